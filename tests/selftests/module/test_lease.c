// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: leases, grants that revoke themselves (struct
 * ratmem_grant.lease_ns, RATMEM_IOC_LEASE).
 *
 * Times under TCG: a lease never ends before its time (the module
 * rounds up to whole jiffies and checks the clock), and the tests allow
 * it to end up to LATE_MS after, for a guest whose vCPUs the host
 * schedules at will.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL
#define GR RATMEM_RIGHT_GRANT
#define MS 1000000ULL
/* How late a lease may end under TCG. */
#define LATE_MS 2000

static int lease_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_LEASE, 1ULL << RATMEM_IOC_NR_LEASE);
}


static void sleep_ms(unsigned int ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t))
		;
}

static int grant_lease(int fd, uint32_t h, uint32_t rights, int pidfd, uint64_t lease_ns,
		       uint64_t *cap)
{
	struct ratmem_grant g = { .handle = h, .rights = rights, .pidfd = pidfd,
				  .lease_ns = lease_ns };

	if (ioctl(fd, RATMEM_IOC_GRANT, &g))
		return -errno;
	*cap = g.cap_id;
	return 0;
}

/* RATMEM_IOC_LEASE: 0 and *left, or -errno. set: the new lease, else read. */
static int lease(int fd, uint32_t h, uint64_t cap, uint64_t set_ns, uint64_t *left)
{
	struct ratmem_lease l = { .handle = h, .cap_id = cap, .lease_ns = set_ns,
				  .flags = set_ns ? RATMEM_LEASE_SET : 0 };

	if (ioctl(fd, RATMEM_IOC_LEASE, &l))
		return -errno;
	if (left)
		*left = l.remaining_ns;
	return 0;
}

/*
 * Wait until the grant is gone (LEASE: ENOENT) and its revocation is
 * complete; its end (the ENOENT), in ns since @t0.
 */
static uint64_t wait_gone(int fd, uint32_t h, uint64_t cap, uint64_t t0)
{
	uint64_t took;
	int ret;

	while ((ret = lease(fd, h, cap, 0, NULL)) == 0) {
		if (rt_now_ns() - t0 > 60000 * MS)
			rt_fail(__FILE__, __LINE__, "the lease has not ended after 60 s");
		sleep_ms(2);
	}
	ASSERT_EQ(ret, -ENOENT);
	took = rt_now_ns() - t0;
	/*
	 * LEASE says ENOENT once the grant is marked revoked, before the
	 * sweep has removed the grantee's PTEs; REVOKE says ENOENT only once
	 * that revocation is complete.
	 */
	ASSERT_EQ(rt_revoke(fd, h, cap), -ENOENT);
	return took;
}

static uint32_t query_info(int fd, uint32_t h)
{
	struct ratmem_query q = { .handle = h };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUERY, &q), 0);
	return q.info;
}

TEST(lease_bad_arguments)
{
	int fd = lease_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	uint32_t nogrant = rt_dup(fd, h, RT_RWM);
	int self = rt_pidfd_open(getpid());
	struct ratmem_lease l = { .handle = h };
	uint64_t cap = 0, left = 99;

	ASSERT_EQ(grant_lease(fd, h, RT_RM, self, RATMEM_LEASE_MAX_NS + 1, &cap), -EINVAL);
	ASSERT_EQ(grant_lease(fd, h, RT_RM, self, 0, &cap), 0);
	l.cap_id = cap;
	l.flags = 2;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EINVAL);
	l.flags = RATMEM_LEASE_SET;			/* a lease of 0 */
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EINVAL);
	l.lease_ns = RATMEM_LEASE_MAX_NS + 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EINVAL);
	l.flags = 0;					/* reading with a lease */
	l.lease_ns = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EINVAL);
	l.lease_ns = 0;
	l.remaining_ns = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EINVAL);
	l.remaining_ns = 0;
	l.reserved[1] = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EINVAL);
	/* No lease: reads 0. An unknown grant, a handle without GRANT. */
	ASSERT_EQ(lease(fd, h, cap, 0, &left), 0);
	ASSERT_EQ(left, 0);
	ASSERT_EQ(lease(fd, h, cap ^ 1, 0, NULL), -ENOENT);
	ASSERT_EQ(lease(fd, nogrant, cap, 1000 * MS, NULL), -EPERM);
	ASSERT_EQ(lease(fd, h + 100, cap, 0, NULL), -EBADF);
	/* The granter may give a grant without one a lease. */
	ASSERT_EQ(lease(fd, h, cap, 60000 * MS, &left), 0);
	ASSERT_TRUE(left > 59000 * MS && left <= 60000 * MS);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(lease(fd, h, cap, 0, NULL), -ENOENT);
	close(self);
	close(fd);
}

static void leased_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t cap = rt_recv(sock);
	uint32_t h = rt_accept_ok(fd, cap, RT_RWM | GR);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	uint64_t left = 0;

	(void)arg;
	ASSERT_EQ(p[0], 0x4c);
	ASSERT_TRUE(query_info(fd, h) & RATMEM_QUERY_LEASED);
	/* The grantee reads its lease, and cannot extend it even with GRANT. */
	ASSERT_EQ(lease(fd, h, cap, 0, &left), 0);
	ASSERT_TRUE(left > 0 && left <= 1500 * MS);
	ASSERT_EQ(lease(fd, h, cap, 60000 * MS, NULL), -ENOENT);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	/* Ended exactly as REVOKE ends a grant. */
	rt_expect_sigbus(p, 0);
	ASSERT_EQ(munmap(p, PG), 0);
	rt_expect_revoked(fd, h, RT_RWM | GR);
	rt_send(sock, RT_MSG_DONE);
}

/* The lease ends at its time, not before, and revokes as REVOKE does. */
TEST_TIMEOUT(lease_expires_and_revokes, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = lease_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	struct rt_peer b;
	uint64_t cap = 0, t0, took;

	p[0] = 0x4c;
	rt_peer_start(&b, leased_grantee, NULL);
	t0 = rt_now_ns();
	/* 1.5 s: time for the grantee to accept and look, even under TCG. */
	ASSERT_EQ(grant_lease(fd, h, RT_RWM | GR, b.pidfd, 1500 * MS, &cap), 0);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	took = wait_gone(fd, h, cap, t0);
	rt_diag("the 1500 ms lease ended after %llu ms", (unsigned long long)(took / MS));
	ASSERT_TRUE(took >= 1500 * MS);
	ASSERT_TRUE(took <= (1500 + LATE_MS) * MS);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(p[0], 0x4c);				/* the owner's memory stays */
	ASSERT_EQ(munmap(p, PG), 0);
	close(fd);
	rt_counters_settle(before, RT_C_SHARING);
}

/* Extending moves the end; shortening too; a grant without lease keeps none. */
TEST_TIMEOUT(lease_extend_and_shorten, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = lease_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	int self = rt_pidfd_open(getpid());
	uint64_t cap = 0, t0, t1, took, left = 0;

	t0 = rt_now_ns();
	ASSERT_EQ(grant_lease(fd, h, RT_RM, self, 2000 * MS, &cap), 0);
	sleep_ms(100);
	t1 = rt_now_ns();
	ASSERT_EQ(lease(fd, h, cap, 3000 * MS, &left), 0);	/* now 3 s from t1 */
	ASSERT_TRUE(left > 2900 * MS && left <= 3000 * MS);
	while (rt_now_ns() - t0 < 2200 * MS)	/* past the first end */
		sleep_ms(50);
	ASSERT_EQ(lease(fd, h, cap, 0, &left), 0);
	ASSERT_TRUE(left > 0);
	took = wait_gone(fd, h, cap, t1);
	rt_diag("extended to 3000 ms, ended after %llu ms", (unsigned long long)(took / MS));
	ASSERT_TRUE(took >= 3000 * MS && took <= (3000 + LATE_MS) * MS);

	/* Shortened to 1 ns: it ends at once. */
	ASSERT_EQ(grant_lease(fd, h, RT_RM, self, 60000 * MS, &cap), 0);
	t0 = rt_now_ns();
	ASSERT_EQ(lease(fd, h, cap, 1, NULL), 0);
	took = wait_gone(fd, h, cap, t0);
	ASSERT_TRUE(took <= LATE_MS * MS);
	close(self);
	close(fd);
	rt_counters_settle(before, RT_C_SHARING);
}

/* REVOKE before the end, and the issuer's exit, cancel the lease at once. */
TEST_TIMEOUT(lease_cancelled_by_revoke_and_exit, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = lease_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	int self = rt_pidfd_open(getpid());
	uint64_t cap = 0;
	pid_t child;
	int status;

	ASSERT_EQ(grant_lease(fd, h, RT_RM, self, 200 * MS, &cap), 0);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	sleep_ms(400);			/* the cancelled timer must not fire */
	ASSERT_EQ(rt_revoke(fd, h, cap), -ENOENT);

	/* A child grants us an hour-long lease and exits: nothing stays. */
	child = fork();
	ASSERT_TRUE(child >= 0);
	if (child == 0) {
		int cfd = lease_ctx();
		uint32_t ch = rt_region(cfd, 1, ALL, RATMEM_CREATE_COMMIT);
		int parent = rt_pidfd_open(getppid());
		uint64_t ccap;

		_exit(grant_lease(cfd, ch, RT_RM, parent, 3600000 * MS, &ccap) ? 1 : 0);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(self);
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
}

/* ---- races: ends racing REVOKE, ACCEPT, extension and exit ------------ */

static void racing_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t cap = 0;

	(void)arg;
	while ((cap = rt_recv(sock)) != RT_MSG_EXIT) {
		struct ratmem_accept a;
		int ret = rt_accept(fd, cap, &a);

		if (ret == 0) {
			unsigned char *p = rt_map(fd, a.handle, 0, PG, PROT_READ);

			if (p != MAP_FAILED)
				munmap(p, PG);
			rat_close_handle(fd, a.handle);
		} else if (ret != -ENOENT) {
			rt_fail(__FILE__, __LINE__, "ACCEPT: %s", strerror(-ret));
		}
		rt_send(sock, RT_MSG_DONE);
	}
}

/*
 * 300 grants with leases of 0 to 3 ms: the grantee accepts and maps
 * each while the lease ends, the owner revokes or extends some at the
 * same moment. Every call ends in one of its documented results, and
 * every object goes away (the debug kernel's KASAN and kmemleak watch
 * the capability references the timers hold).
 */
TEST_TIMEOUT(lease_race_with_revoke_accept_extend, 240)
{
	struct rt_counters before = rt_counters_now();
	int fd = lease_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	uint32_t seed = 7;
	struct rt_peer b;

	rt_peer_start(&b, racing_grantee, NULL);
	for (int i = 0; i < 300; i++) {
		uint64_t cap = 0, ns = (rt_rand(&seed) % 3000 + 1) * 1000;
		int ret;

		ASSERT_EQ(grant_lease(fd, h, RT_RM, b.pidfd, ns, &cap), 0);
		rt_send(b.sock, cap);
		switch (rt_rand(&seed) % 3) {
		case 0:
			ret = rt_revoke(fd, h, cap);
			break;
		case 1:
			ret = lease(fd, h, cap, (rt_rand(&seed) % 3000 + 1) * 1000, NULL);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret != 0 && ret != -ENOENT)
			rt_fail(__FILE__, __LINE__, "round %d (lease %llu ns): %s, expected 0 "
				"or ENOENT", i, (unsigned long long)ns, strerror(-ret));
		rt_peer_expect(&b, RT_MSG_DONE);
	}
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	/* Leases of at most 3 ms (and extensions) end soon after: 5 s at most. */
	close(fd);
	rt_counters_settle(before, RT_C_ALL);
}
