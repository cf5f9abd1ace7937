// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: revocation notices and REVOKE with a deadline
 * (RATMEM_IOC_READ_NOTICES, poll() POLLPRI on a context,
 * struct ratmem_revoke.deadline_ns and RATMEM_REVOKE_WAIT).
 *
 * Times under TCG: a deadline is never early (the lease work checks the
 * clock), and may be up to LATE_MS late.
 */
#include <poll.h>
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
/* How late a deadline may be under TCG. */
#define LATE_MS 2000

static int notice_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_NOTICE, 1ULL << RATMEM_IOC_NR_READ_NOTICES);
}


/* REVOKE with a deadline: 0 or -errno. */
static int revoke_after(int fd, uint32_t h, uint64_t cap, uint64_t deadline_ns, uint32_t flags)
{
	struct ratmem_revoke r = { .handle = h, .cap_id = cap, .deadline_ns = deadline_ns,
				   .flags = flags };

	return ioctl(fd, RATMEM_IOC_REVOKE, &r) ? -errno : 0;
}

/* READ_NOTICES of up to @max records: how many, or -errno. */
static int read_notices(int fd, struct ratmem_notice *recs, uint32_t max)
{
	struct ratmem_read_notices n = { .records = (uintptr_t)recs, .count = max };

	memset(recs, 0x5a, sizeof(*recs) * max);
	if (ioctl(fd, RATMEM_IOC_READ_NOTICES, &n))
		return -errno;
	return (int)n.count;
}

/* poll() for POLLPRI: the revents, 0 on timeout. */
static short poll_pri(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };
	int ret = poll(&p, 1, timeout_ms);

	ASSERT_TRUE(ret >= 0);
	return ret ? p.revents : 0;
}

/* Wait up to 60 s for one notice and return it. */
static struct ratmem_notice one_notice(int fd)
{
	struct ratmem_notice r;

	ASSERT_EQ(poll_pri(fd, 60000), POLLPRI);
	ASSERT_EQ(read_notices(fd, &r, 1), 1);
	ASSERT_EQ(r.reserved, 0);
	return r;
}

static uint32_t query_info(int fd, uint32_t h)
{
	struct ratmem_query q = { .handle = h };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUERY, &q), 0);
	return q.info;
}

TEST(notice_bad_arguments)
{
	int fd = notice_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	int self = rt_pidfd_open(getpid());
	struct ratmem_notice recs[RATMEM_NOTICES_MAX + 1];
	struct ratmem_read_notices n = { .records = (uintptr_t)recs, .count = 1 };
	uint64_t cap;

	/* Nothing waiting: 0 records, and poll() does not report POLLPRI. */
	ASSERT_EQ(read_notices(fd, recs, RATMEM_NOTICES_MAX), 0);
	ASSERT_EQ(poll_pri(fd, 0), 0);
	n.count = 0;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_READ_NOTICES, &n), EINVAL);
	n.count = RATMEM_NOTICES_MAX + 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_READ_NOTICES, &n), EINVAL);
	n.count = 1;
	n.flags = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_READ_NOTICES, &n), EINVAL);
	n.flags = 0;
	n.reserved[1] = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_READ_NOTICES, &n), EINVAL);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_READ_NOTICES, NULL), EFAULT);

	/* A notice whose copy faults is not lost: it is read next time. */
	cap = rt_grant_ok(fd, h, RT_RM, self);
	rt_accept_ok(fd, cap, RT_RM);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(poll_pri(fd, 0), POLLPRI);
	n = (struct ratmem_read_notices){ .records = 8, .count = 1 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_READ_NOTICES, &n), EFAULT);
	ASSERT_EQ(poll_pri(fd, 0), POLLPRI);
	ASSERT_EQ(read_notices(fd, recs, 4), 1);
	ASSERT_EQ(recs[0].cap_id, cap);
	ASSERT_EQ(recs[0].events, RATMEM_NOTICE_REVOKED);
	ASSERT_EQ(read_notices(fd, recs, 4), 0);

	/* A child that inherited the descriptor can neither poll nor read it. */
	{
		pid_t child = fork();
		int status;

		ASSERT_TRUE(child >= 0);
		if (child == 0) {
			struct pollfd pf = { .fd = fd, .events = POLLPRI };

			n = (struct ratmem_read_notices){ .records = (uintptr_t)recs, .count = 1 };
			_exit(poll(&pf, 1, 0) == 1 && pf.revents == POLLERR &&
			      ioctl(fd, RATMEM_IOC_READ_NOTICES, &n) == -1 && errno == EPERM ? 0 : 1);
		}
		ASSERT_EQ(waitpid(child, &status, 0), child);
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}

	/* Deadlines past the longest lease; and on a revoked grant. */
	ASSERT_EQ(revoke_after(fd, h, cap, RATMEM_LEASE_MAX_NS + 1, 0), -EINVAL);
	ASSERT_EQ(revoke_after(fd, h, cap, 1000 * MS, 0), -ENOENT);
	close(self);
	close(fd);
}

/*
 * A deadline of 0 is today's REVOKE; the grantee, who accepted in its
 * own context, also gets one REVOKED record naming its handle.
 */
TEST(revoke_now_sends_revoked_notice)
{
	struct rt_counters before = rt_counters_now();
	int fd = notice_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	int self = rt_pidfd_open(getpid());
	int gfd = notice_ctx();
	uint64_t cap = rt_grant_ok(fd, h, RT_RWM, self);
	uint32_t gh = rt_accept_ok(gfd, cap, RT_RWM);
	unsigned char *p = rt_map_ok(gfd, gh, 0, PG, RW);
	struct ratmem_notice r;

	p[0] = 1;
	ASSERT_EQ(revoke_after(fd, h, cap, 0, RATMEM_REVOKE_WAIT), 0);
	/* Complete when REVOKE returns, as always. */
	rt_expect_sigbus(p, 0);
	r = one_notice(gfd);
	ASSERT_EQ(r.cap_id, cap);
	ASSERT_EQ(r.handle, gh);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKED);
	ASSERT_EQ(r.deadline_ns, 0);
	/* The revoker asked for no deadline: no record for it. */
	ASSERT_EQ(read_notices(fd, &r, 1), 0);
	ASSERT_EQ(read_notices(gfd, &r, 1), 0);
	ASSERT_EQ(munmap(p, PG), 0);
	close(gfd);
	close(self);
	close(fd);
	rt_counters_expect(before, RT_C_SHARING);
}

struct revoke_call {
	int fd;
	uint32_t h;
	uint64_t cap;
	uint64_t deadline_ns;
	int ret;
	uint64_t took;
	atomic_int tid;		/* the thread's, once it runs */
	atomic_int done;	/* set when its REVOKE returned */
};

static void *revoke_thread(void *arg)
{
	struct revoke_call *c = arg;
	uint64_t t0 = rt_now_ns();

	atomic_store(&c->tid, (int)gettid());
	c->ret = revoke_after(c->fd, c->h, c->cap, c->deadline_ns, RATMEM_REVOKE_WAIT);
	c->took = rt_now_ns() - t0;
	atomic_store(&c->done, 1);
	return NULL;
}

/* Wait until revoke_thread() sleeps in its REVOKE (RATMEM_REVOKE_WAIT). */
static void await_revoke_waiting(struct revoke_call *c)
{
	while (!atomic_load(&c->tid))
		usleep(1000);
	rt_await_in_ioctl(getpid(), (pid_t)atomic_load(&c->tid), RATMEM_IOC_REVOKE, &c->done);
}

static void letting_go_grantee(int sock, void *arg)
{
	int fd = notice_ctx();
	uint64_t cap = rt_recv(sock);
	uint32_t h = rt_accept_ok(fd, cap, RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	struct ratmem_notice r;

	(void)arg;
	ASSERT_EQ(p[0], 0x6e);
	rt_send(sock, RT_MSG_READY);
	r = one_notice(fd);
	ASSERT_EQ(r.cap_id, cap);
	ASSERT_EQ(r.handle, h);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKING);
	ASSERT_TRUE(r.deadline_ns > rt_now_ns() + 30000 * MS);
	/* Until it lets go, nothing changes: it still reads and writes. */
	ASSERT_TRUE(query_info(fd, h) & RATMEM_QUERY_REVOKING);
	p[1] = 0x6f;
	ASSERT_EQ(munmap(p, PG), 0);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	/* Letting go ended the revocation: the last record says so. */
	r = one_notice(fd);
	ASSERT_EQ(r.cap_id, cap);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKED);
	rt_send(sock, RT_MSG_DONE);
}

/* A grantee that lets go at the notice ends a 60 s revocation at once. */
TEST_TIMEOUT(grantee_letting_go_ends_revoke_early, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = notice_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	struct revoke_call c = { .fd = fd, .h = h, .deadline_ns = 60000 * MS };
	struct ratmem_notice r;
	struct rt_peer b;
	pthread_t t;

	p[0] = 0x6e;
	rt_peer_start(&b, letting_go_grantee, NULL);
	c.cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, c.cap);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(pthread_create(&t, NULL, revoke_thread, &c), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	rt_diag("the grantee let go after %llu ms of 60000", (unsigned long long)(c.took / MS));
	ASSERT_EQ(c.ret, 0);
	ASSERT_TRUE(c.took < 30000 * MS);
	ASSERT_EQ(p[1], 0x6f);				/* its last write stays */
	/* The revoker's record: handle 0, complete. */
	r = one_notice(fd);
	ASSERT_EQ(r.cap_id, c.cap);
	ASSERT_EQ(r.handle, 0);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(rt_revoke(fd, h, c.cap), -ENOENT);
	ASSERT_EQ(munmap(p, PG), 0);
	close(fd);
	rt_counters_settle(before, RT_C_SHARING);
}

static void ignoring_grantee(int sock, void *arg)
{
	int fd = notice_ctx();
	uint64_t cap = rt_recv(sock);
	uint32_t h = rt_accept_ok(fd, cap, RT_RWM | GR);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	int self = rt_pidfd_open(getpid());
	uint64_t onward = 0;
	struct ratmem_notice r;

	(void)arg;
	rt_send(sock, RT_MSG_READY);
	r = one_notice(fd);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKING);
	/* No new holder while revoking: re-grants are refused. */
	ASSERT_EQ(rt_grant(fd, h, RT_RM, self, &onward), -ENOLINK);
	ASSERT_EQ(p[0], 0x70);
	rt_send(sock, RT_MSG_READY);
	/* It keeps its mapping; at the deadline it is zapped. */
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	rt_expect_revoked(fd, h, RT_RWM | GR);
	r = one_notice(fd);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKED);
	ASSERT_EQ(munmap(p, PG), 0);
	close(self);
	rt_send(sock, RT_MSG_DONE);
}

/*
 * A grantee that ignores the notice keeps access until the deadline,
 * not after: SIGBUS then. The owner polls for the end instead of
 * blocking, and the lease cannot move a deadline.
 */
TEST_TIMEOUT(ignoring_grantee_zapped_at_deadline, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = notice_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	struct ratmem_lease l = { .handle = h, .flags = RATMEM_LEASE_SET, .lease_ns = 60000 * MS };
	struct ratmem_notice r;
	uint64_t cap, t0, took;
	struct rt_peer b;

	p[0] = 0x70;
	rt_peer_start(&b, ignoring_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM | GR, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	t0 = rt_now_ns();
	ASSERT_EQ(revoke_after(fd, h, cap, 2000 * MS, 0), 0);
	l.cap_id = cap;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_LEASE, &l), EBUSY);
	/* A later deadline does not move it, and tells nobody again. */
	ASSERT_EQ(revoke_after(fd, h, cap, 50000 * MS, 0), 0);
	rt_peer_expect(&b, RT_MSG_READY);
	r = one_notice(fd);
	took = rt_now_ns() - t0;
	rt_diag("the 2000 ms deadline came after %llu ms", (unsigned long long)(took / MS));
	ASSERT_EQ(r.cap_id, cap);
	ASSERT_EQ(r.handle, 0);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKED);
	ASSERT_TRUE(took >= 2000 * MS);
	ASSERT_TRUE(took <= (2000 + LATE_MS) * MS);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(munmap(p, PG), 0);
	close(fd);
	rt_counters_settle(before, RT_C_SHARING);
}

#define MANY 150

/*
 * Many notices, read a few at a time: each grant reports REVOKING (for
 * those given a deadline) and REVOKED exactly, none lost, none twice
 * once merged. A re-grant's holder is told too.
 */
TEST_TIMEOUT(many_notices_none_lost, 180)
{
	struct rt_counters before = rt_counters_now();
	int fd = notice_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	int self = rt_pidfd_open(getpid());
	int gfd = notice_ctx();
	static uint64_t caps[MANY];
	static uint32_t handles[MANY];
	static uint32_t seen[MANY];
	struct ratmem_notice recs[3];
	uint64_t onward;
	uint32_t oh;
	int total = 0, n = 0;

	for (int i = 0; i < MANY; i++) {
		caps[i] = rt_grant_ok(fd, h, RT_RM | GR, self);
		handles[i] = rt_accept_ok(gfd, caps[i], RT_RM | GR);
	}
	/* A re-grant below the first, held in the revoker's own context. */
	onward = rt_grant_ok(gfd, handles[0], RT_RM, self);
	oh = rt_accept_ok(fd, onward, RT_RM);
	for (int i = 0; i < MANY; i++)
		ASSERT_EQ(revoke_after(fd, h, caps[i], i % 2 ? 1 : 0, 0), 0);
	/* Odd ones have 1 ns deadlines: REVOKING, then REVOKED; even ones REVOKED. */
	/* Even grants report one event, odd ones two. */
	while (total < MANY / 2 + MANY / 2 * 2) {
		ASSERT_EQ(poll_pri(gfd, 60000), POLLPRI);
		while ((n = read_notices(gfd, recs, 3)) > 0) {
			for (int k = 0; k < n; k++) {
				int i = 0;

				while (i < MANY && caps[i] != recs[k].cap_id)
					i++;
				ASSERT_TRUE(i < MANY);
				ASSERT_EQ(recs[k].handle, handles[i]);
				ASSERT_EQ(seen[i] & recs[k].events, 0);	/* never twice */
				seen[i] |= recs[k].events;
				total += __builtin_popcount(recs[k].events);
			}
		}
		ASSERT_EQ(n, 0);
	}
	for (int i = 0; i < MANY; i++)
		ASSERT_EQ(seen[i], i % 2 ? RATMEM_NOTICE_REVOKING | RATMEM_NOTICE_REVOKED :
					   RATMEM_NOTICE_REVOKED);
	/* The re-grant's holder (fd) was told it went with its parent. */
	for (int got = 0; !got;) {
		ASSERT_EQ(poll_pri(fd, 60000), POLLPRI);
		while ((n = read_notices(fd, recs, 3)) > 0)
			for (int k = 0; k < n; k++)
				if (recs[k].cap_id == onward) {
					ASSERT_EQ(recs[k].handle, oh);
					ASSERT_TRUE(recs[k].events & RATMEM_NOTICE_REVOKED);
					got = 1;
				}
	}
	close(gfd);
	close(self);
	close(fd);
	rt_counters_settle(before, RT_C_SHARING);
}

/*
 * Unread notices keep nothing alive: grants accepted, closed and revoked
 * a hundred times with nobody reading leave no capability or region
 * behind; the records are all there when read.
 */
TEST(unread_notices_pin_nothing)
{
	struct rt_counters before = rt_counters_now();
	int fd = notice_ctx(), gfd = notice_ctx();
	int self = rt_pidfd_open(getpid());
	struct ratmem_notice recs[RATMEM_NOTICES_MAX];
	int n, total = 0;

	for (int i = 0; i < 100; i++) {
		uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
		uint64_t cap = rt_grant_ok(fd, h, RT_RM, self);
		uint32_t gh = rt_accept_ok(gfd, cap, RT_RM);

		ASSERT_EQ(rat_close_handle(gfd, gh), 0);
		ASSERT_EQ(rt_revoke(fd, h, cap), 0);
		ASSERT_EQ(rat_close_handle(fd, h), 0);
	}
	/* Every region and grant is gone, with 100 records unread. */
	rt_counters_expect(before, RT_C_SHARING);
	while ((n = read_notices(gfd, recs, RATMEM_NOTICES_MAX)) > 0)
		for (int k = 0; k < n; k++, total++)
			ASSERT_EQ(recs[k].events, RATMEM_NOTICE_REVOKED);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(total, 100);
	close(gfd);
	close(self);
	close(fd);
}

/*
 * Nested deadlines: a grant below one revoking within 60 s is told 60 s,
 * not the 120 s asked for it later; when the only holder left below a
 * revoking grant loses its re-grant, the revocation ends at once.
 */
TEST_TIMEOUT(nested_deadlines_soonest_and_let_go, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = notice_ctx(), gfd = notice_ctx(), cfd = notice_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	struct revoke_call c = { .fd = fd, .h = h, .deadline_ns = 60000 * MS };
	struct ratmem_notice r, top;
	uint64_t below;
	uint32_t ga;
	pthread_t t;

	c.cap = rt_grant_ok(fd, h, RT_RM | GR, self);
	ga = rt_accept_ok(gfd, c.cap, RT_RM | GR);
	below = rt_grant_ok(gfd, ga, RT_RM, self);
	rt_accept_ok(cfd, below, RT_RM);
	ASSERT_EQ(revoke_after(fd, h, c.cap, 60000 * MS, 0), 0);
	top = one_notice(gfd);
	ASSERT_EQ(top.events, RATMEM_NOTICE_REVOKING);
	r = one_notice(cfd);
	ASSERT_EQ(r.cap_id, below);
	ASSERT_EQ(r.deadline_ns, top.deadline_ns);
	/* Asked for later: told the sooner deadline it really has. */
	ASSERT_EQ(revoke_after(fd, h, below, 120000 * MS, 0), 0);
	r = one_notice(cfd);
	ASSERT_EQ(r.events, RATMEM_NOTICE_REVOKING);
	ASSERT_EQ(r.deadline_ns, top.deadline_ns);

	/* The top grant's holder lets go; its re-grant's holder does not. */
	ASSERT_EQ(rat_close_handle(gfd, ga), 0);
	ASSERT_EQ(pthread_create(&t, NULL, revoke_thread, &c), 0);
	/* Before the revocation it waits for can end: else it gets ENOENT. */
	await_revoke_waiting(&c);
	/* Revoking the re-grant leaves nobody: the top revocation ends now. */
	ASSERT_EQ(rt_revoke(fd, h, below), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	rt_diag("ended %llu ms after the re-grant went", (unsigned long long)(c.took / MS));
	ASSERT_EQ(c.ret, 0);
	ASSERT_TRUE(c.took < 30000 * MS);
	close(cfd);
	close(gfd);
	close(self);
	close(fd);
	rt_counters_settle(before, RT_C_SHARING);
}

/* ---- race: deadlines racing letting go, ACCEPT and reading ------------- */

struct race {
	int fd, gfd;
	uint32_t h;
	_Atomic uint64_t cap;
	_Atomic int round;
	_Atomic int stop;
};

static void *race_reader(void *arg)
{
	struct race *r = arg;
	struct ratmem_notice recs[2];

	while (!atomic_load(&r->stop)) {
		int n = read_notices(r->gfd, recs, 2);

		if (n < 0)
			rt_fail(__FILE__, __LINE__, "READ_NOTICES: %s", strerror(-n));
		for (int k = 0; k < n; k++)
			if (!recs[k].events || recs[k].events & ~3U)
				rt_fail(__FILE__, __LINE__, "bad events %#x", recs[k].events);
	}
	return NULL;
}

/*
 * 300 rounds: a grant accepted and mapped, revoked with a deadline of
 * 0 to 3 ms (half of them waiting) while the holder unmaps and closes at
 * a random moment and another thread reads the notices. Every REVOKE
 * ends in 0, every object goes away, and the debug kernel watches the
 * references the notices and the lease work hold.
 */
TEST_TIMEOUT(revoke_deadline_race, 240)
{
	struct rt_counters before = rt_counters_now();
	struct race r = { .fd = notice_ctx(), .gfd = notice_ctx() };
	int self = rt_pidfd_open(getpid());
	uint32_t seed = 11;
	pthread_t reader;

	r.h = rt_region(r.fd, 1, ALL, RATMEM_CREATE_COMMIT);
	ASSERT_EQ(pthread_create(&reader, NULL, race_reader, &r), 0);
	for (int i = 0; i < 300; i++) {
		struct revoke_call c = { .fd = r.fd, .h = r.h };
		uint64_t cap = rt_grant_ok(r.fd, r.h, RT_RM, self);
		uint32_t gh = rt_accept_ok(r.gfd, cap, RT_RM);
		unsigned char *p = rt_map_ok(r.gfd, gh, 0, PG, PROT_READ);
		pthread_t t;

		c.cap = cap;
		c.deadline_ns = (rt_rand(&seed) % 3000) * 1000;
		ASSERT_EQ(pthread_create(&t, NULL, revoke_thread, &c), 0);
		rt_spin(rt_rand(&seed) % 20000);
		munmap(p, PG);
		rat_close_handle(r.gfd, gh);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		if (c.ret)
			rt_fail(__FILE__, __LINE__, "REVOKE: %s", strerror(-c.ret));
	}
	atomic_store(&r.stop, 1);
	ASSERT_EQ(pthread_join(reader, NULL), 0);
	close(r.gfd);
	close(self);
	close(r.fd);
	rt_counters_settle(before, RT_C_SHARING);
}
