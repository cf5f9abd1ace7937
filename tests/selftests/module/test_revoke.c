// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: revocation (contract section 5). When REVOKE returns, every
 * mapping made through the capability, or through one below it, has
 * lost its pages: the next access raises SIGBUS (SIGKILL under
 * violation_policy=kill), and the handles' ioctls fail with ENOLINK.
 * The races of section 5 run many rounds each, and after every round
 * the module's counters, grants included, are back where they started.
 *
 * Every test first shows that the grantee can access the memory, so a
 * fault afterwards is the revocation's doing.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL
#define GR RATMEM_RIGHT_GRANT
#define POLICY "/sys/module/ratmem/parameters/violation_policy"

/* Rounds per race, and the most busy-wait turns either side delays. */
#define ROUNDS 40
#define SPIN_MAX 100000

/*
 * The harness runs a file's tests in reverse order of definition, so
 * this one, which changes a module parameter, is defined first and runs
 * last. It restores the parameter itself, whatever the outcome.
 */
static int write_policy(const char *value)
{
	int f = open(POLICY, O_WRONLY);
	ssize_t n;
	int err;

	if (f < 0)
		return -errno;
	n = write(f, value, strlen(value));
	err = errno;
	close(f);
	if (n < 0)
		return -err;
	return n == (ssize_t)strlen(value) ? 0 : -EIO;
}

static void killed_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	(void)arg;
	ASSERT_EQ(p[0], 0x5a);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_send(sock, RT_MSG_READY);	/* the revoke itself did not kill us */
	rt_read_byte(p);		/* this must */
	rt_send(sock, RT_MSG_DONE);
}

static void kill_policy_owner(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	struct rt_peer b;
	uint64_t cap;

	(void)sock;
	(void)arg;
	p[0] = 0x5a;
	rt_peer_start(&b, killed_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_PEER_KILLED(&b, SIGKILL, 10000);
	ASSERT_EQ(p[0], 0x5a);		/* the owner is untouched */
}

/* violation_policy=kill: after REVOKE the grantee's access kills it with SIGKILL. */
TEST(revoke_kill_policy_sigkill)
{
	struct rt_counters before = rt_counters_now();
	struct rt_peer owner;
	struct pollfd pfd;
	int status = -1, ended, restored;
	char now[32] = "";
	ssize_t n;

	close(rt_sharing_ctx());
	ASSERT_EQ(write_policy("kill"), 0);
	/* The owner runs in a peer, so that nothing it does skips the restore. */
	rt_peer_start(&owner, kill_policy_owner, NULL);
	pfd = (struct pollfd){ .fd = owner.pidfd, .events = POLLIN };
	ended = poll(&pfd, 1, 20000) == 1;
	if (!ended)
		kill(owner.pid, SIGKILL);
	waitpid(owner.pid, &status, 0);
	restored = write_policy("sigbus");
	ASSERT_TRUE(ended);
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "owner %s", rt_status_str(status));
	ASSERT_EQ(restored, 0);
	status = open(POLICY, O_RDONLY);
	ASSERT_TRUE(status >= 0);
	n = read(status, now, sizeof(now) - 1);
	ASSERT_TRUE(n > 0);
	ASSERT_TRUE(strstr(now, "sigbus") != NULL);
	close(status);
	rt_counters_expect(before, RT_C_SHARING);
}

/*
 * A grantee that accepts READ|MAP, maps two pages (the first written by
 * the owner with 0x5a, the second committed but never touched), then
 * answers CHECK_OK (still works) or CHECK_REVOKED until EXIT.
 */
static void checked_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RM);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * PG, PROT_READ);
	uint64_t cmd;

	(void)arg;
	rt_expect_bytes(p, PG, 0x5a);
	rt_send(sock, RT_MSG_READY);
	while ((cmd = rt_recv(sock)) != RT_MSG_EXIT) {
		if (cmd == RT_MSG_CHECK_OK) {
			rt_expect_bytes(p, PG, 0x5a);
			ASSERT_NE(rt_region_id(fd, h), 0);
		} else {
			ASSERT_EQ(cmd, RT_MSG_CHECK_REVOKED);
			rt_expect_sigbus(p, 0);
			rt_expect_sigbus(p + PG, 0);
			rt_expect_revoked(fd, h, RT_RM);
		}
		rt_send(sock, RT_MSG_DONE);
	}
}

static void check(struct rt_peer *p, uint64_t cmd)
{
	rt_send(p->sock, cmd);
	rt_peer_expect(p, RT_MSG_DONE);
}

/* An owner's region of @pages committed pages, the first one all 0x5a. */
static uint32_t owner_region(int fd, uint64_t pages)
{
	uint32_t h = rt_region(fd, pages, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	memset(p, 0x5a, PG);
	ASSERT_EQ(munmap(p, PG), 0);
	return h;
}

static void revoked_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM | GR);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	(void)arg;
	rt_expect_bytes(p, 2 * PG, 0x5a);	/* the owner's */
	memset(p + 2 * PG, 0xa5, PG);		/* ours; page 3 stays untouched */
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	rt_expect_sigbus(p + PG + 8, 1);
	rt_expect_sigbus(p + 2 * PG, 0);
	rt_expect_sigbus(p + 3 * PG, 1);	/* never faulted in: no page now either */
	rt_expect_sigbus(p, 1);
	rt_expect_revoked(fd, h, RT_RWM | GR);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	rt_send(sock, RT_MSG_DONE);
}

/* After REVOKE: grantee SIGBUS (BUS_ADRERR), ENOLINK on its handle, CLOSE 0; owner's data intact. */
TEST(revoke_faults_grantee_and_enolink)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	struct rt_peer b;
	uint64_t cap;

	memset(p, 0x5a, 2 * PG);
	rt_peer_start(&b, revoked_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM | GR, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	rt_expect_bytes(p, 2 * PG, 0x5a);
	rt_expect_bytes(p + 2 * PG, PG, 0xa5);
	rt_expect_bytes(p + 3 * PG, PG, 0);
	ASSERT_EQ(rt_committed(fd, h), 4 * PG);
	ASSERT_EQ(rt_decommit(fd, h, 0, PG), 0);	/* the owner's handle works */
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void holding_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	(void)arg;
	p[0] = 1;
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);
	ASSERT_EQ(munmap(p, PG), 0);
	rt_send(sock, RT_MSG_DONE);
}

/* A revoked grant stays in STATS.grants while a handle or mapping holds it. */
TEST(revoked_grant_counted_until_released)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 1);
	struct rt_peer b;
	uint64_t cap;

	rt_peer_start(&b, holding_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);	/* handle and mapping */
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);	/* the mapping */
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void leaving_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	(void)arg;
	p[0] = 0x33;
	/* Return without unmapping or closing: exit cleans up. */
}

/* An accepted grant outlives its grantee's exit; REVOKE still returns 0. */
TEST(revoke_after_grantee_exit)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 1);
	struct rt_peer b;
	uint64_t cap;

	rt_peer_start(&b, leaving_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, cap);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	ASSERT_ERRNO(rt_revoke(fd, h, cap), ENOENT);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

/* A second REVOKE of the same id is ENOENT, for a pending and an accepted grant. */
TEST(revoke_twice_enoent)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 2);
	struct rt_peer b;
	uint64_t pending, accepted;

	rt_peer_start(&b, checked_grantee, NULL);
	pending = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	accepted = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	ASSERT_EQ(rt_revoke(fd, h, pending), 0);
	ASSERT_ERRNO(rt_revoke(fd, h, pending), ENOENT);
	rt_send(b.sock, accepted);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_revoke(fd, h, accepted), 0);
	ASSERT_ERRNO(rt_revoke(fd, h, accepted), ENOENT);
	check(&b, RT_MSG_CHECK_REVOKED);
	ASSERT_ERRNO(rt_revoke(fd, h, accepted), ENOENT);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void accept_after_revoke(int sock, void *arg)
{
	int fd = rt_open_ctx();

	(void)arg;
	ASSERT_ERRNO(rt_accept(fd, rt_recv(sock), NULL), ENOENT);
	rt_send(sock, RT_MSG_DONE);
}

/* Revoking a pending grant frees it, and the target's later ACCEPT is ENOENT. */
TEST(revoke_pending_then_accept_enoent)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 1);
	struct rt_peer b;
	uint64_t cap;

	rt_peer_start(&b, accept_after_revoke, NULL);
	cap = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void wait_for_exit(int sock, void *arg)
{
	(void)arg;
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* REVOKE: EPERM without GRANT; EINVAL for bad fields; EBADF for no handle; ENOENT for unreachable ids. */
TEST(revoke_bad_arguments)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 1);
	uint32_t other = rt_region(fd, 1, ALL, 0);
	uint32_t nogrant = rt_dup(fd, h, ALL & ~GR);
	uint32_t weak = rt_dup(fd, h, RT_RM | GR);
	uint32_t closed = rt_dup(fd, h, ALL);
	struct ratmem_revoke r;
	struct rt_peer b;
	uint64_t cap, cap2;

	rt_peer_start(&b, wait_for_exit, NULL);
	cap = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	cap2 = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	ASSERT_EQ(rat_close_handle(fd, closed), 0);
	ASSERT_ERRNO(rt_revoke(fd, nogrant, cap), EPERM);
	ASSERT_ERRNO(rt_revoke(fd, closed, cap), EBADF);
	ASSERT_ERRNO(rt_revoke(fd, 0, cap), EBADF);
	ASSERT_ERRNO(rt_revoke(fd, other, cap), ENOENT);	/* another region */
	ASSERT_ERRNO(rt_revoke(fd, h, 0), ENOENT);
	ASSERT_ERRNO(rt_revoke(fd, h, ~0ULL), ENOENT);
	ASSERT_ERRNO(rt_revoke(fd, h, cap ^ 1), ENOENT);
	for (int bit = 0; bit < 32; bit++) {
		if ((1U << bit) == RATMEM_REVOKE_WAIT)
			continue;
		r = (struct ratmem_revoke){ .handle = h, .cap_id = cap, .flags = 1U << bit };
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_REVOKE, &r), EINVAL);
	}
	r = (struct ratmem_revoke){ .handle = h, .cap_id = cap, .reserved = 1 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_REVOKE, &r), EINVAL);
	r = (struct ratmem_revoke){ .handle = h, .cap_id = cap,
				    .deadline_ns = RATMEM_LEASE_MAX_NS + 1 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_REVOKE, &r), EINVAL);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_REVOKE, NULL), EFAULT);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 2);	/* none of that revoked */
	/* Any owner handle with GRANT reaches every grant of the region. */
	ASSERT_EQ(rt_revoke(fd, weak, cap2), 0);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void sibling_revoker(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t mine = rt_recv(sock), theirs = rt_recv(sock);
	uint32_t h = rt_accept_ok(fd, mine, RT_RWM | GR);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, PROT_READ);

	(void)arg;
	ASSERT_EQ(p[0], 0x5a);
	ASSERT_ERRNO(rt_revoke(fd, h, theirs), ENOENT);	/* a sibling's */
	ASSERT_ERRNO(rt_revoke(fd, h, mine), ENOENT);		/* the one above us */
	ASSERT_EQ(p[0], 0x5a);
	ASSERT_NE(rt_region_id(fd, h), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* A grantee cannot revoke a sibling's grant or its own (ENOENT): only below itself. */
TEST(revoke_not_ancestor_enoent)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 2);
	struct rt_peer b, c;
	uint64_t cap_b, cap_c;

	rt_peer_start(&b, sibling_revoker, NULL);
	rt_peer_start(&c, checked_grantee, NULL);
	cap_b = rt_grant_ok(fd, h, RT_RWM | GR, b.pidfd);
	cap_c = rt_grant_ok(fd, h, RT_RM, c.pidfd);
	rt_send(c.sock, cap_c);
	rt_peer_expect(&c, RT_MSG_READY);
	rt_send(b.sock, cap_b);
	rt_send(b.sock, cap_c);
	rt_peer_expect(&b, RT_MSG_DONE);
	check(&c, RT_MSG_CHECK_OK);		/* c was not revoked */
	ASSERT_EQ(rt_revoke(fd, h, cap_c), 0);	/* both were still live */
	ASSERT_EQ(rt_revoke(fd, h, cap_b), 0);
	check(&c, RT_MSG_CHECK_REVOKED);
	rt_send(b.sock, RT_MSG_EXIT);
	rt_send(c.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	ASSERT_PEER_OK(&c);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void cascade_middle(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM | GR);
	int leaf = rt_pidfd_open((pid_t)rt_recv(sock));
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	(void)arg;
	ASSERT_EQ(p[0], 0x5a);
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, leaf));
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	rt_expect_revoked(fd, h, RT_RWM | GR);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* Revoking a grant revokes the re-grants made from it: the third process faults too. */
TEST(revoke_cascades_to_regrants)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 2);
	struct rt_peer mid, leaf;
	uint64_t cap, regrant;

	rt_peer_start(&leaf, checked_grantee, NULL);
	rt_peer_start(&mid, cascade_middle, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM | GR, mid.pidfd);
	rt_send(mid.sock, cap);
	rt_send(mid.sock, (uint64_t)leaf.pid);
	regrant = rt_peer_recv(&mid);
	rt_send(leaf.sock, regrant);
	rt_peer_expect(&leaf, RT_MSG_READY);
	check(&leaf, RT_MSG_CHECK_OK);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_ERRNO(rt_revoke(fd, h, regrant), ENOENT);	/* went with it */
	rt_send(mid.sock, RT_MSG_REVOKED);
	rt_peer_expect(&mid, RT_MSG_DONE);
	check(&leaf, RT_MSG_CHECK_REVOKED);
	rt_send(mid.sock, RT_MSG_EXIT);
	rt_send(leaf.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&mid);
	ASSERT_PEER_OK(&leaf);
	ASSERT_NE(rt_region_id(fd, h), 0);	/* the owner's handle works */
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void regranting_revoker(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM | GR);
	int leaf1 = rt_pidfd_open((pid_t)rt_recv(sock));
	int leaf2 = rt_pidfd_open((pid_t)rt_recv(sock));
	unsigned char *p = rt_map_ok(fd, h, 0, PG, PROT_READ);
	uint64_t cap1 = rt_grant_ok(fd, h, RT_RM, leaf1);
	uint64_t cmd;

	(void)arg;
	rt_send(sock, cap1);
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, leaf2));
	while ((cmd = rt_recv(sock)) != RT_MSG_EXIT) {
		if (cmd == RT_MSG_GO) {
			ASSERT_EQ(rt_revoke(fd, h, cap1), 0);
			ASSERT_EQ(p[0], 0x5a);
		} else if (cmd == RT_MSG_CHECK_OK) {
			ASSERT_EQ(p[0], 0x5a);
			ASSERT_NE(rt_region_id(fd, h), 0);
		} else {
			ASSERT_EQ(cmd, RT_MSG_CHECK_REVOKED);
			rt_expect_sigbus(p, 0);
			rt_expect_revoked(fd, h, RT_RWM | GR);
		}
		rt_send(sock, RT_MSG_DONE);
	}
}

/* A re-grant is revoked by its granter or by the owner, leaving the granter working. */
TEST(revoke_regrant_by_granter_or_owner)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 2);
	struct rt_peer mid, leaf1, leaf2;
	uint64_t cap, cap2;

	rt_peer_start(&leaf1, checked_grantee, NULL);
	rt_peer_start(&leaf2, checked_grantee, NULL);
	rt_peer_start(&mid, regranting_revoker, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM | GR, mid.pidfd);
	rt_send(mid.sock, cap);
	rt_send(mid.sock, (uint64_t)leaf1.pid);
	rt_send(mid.sock, (uint64_t)leaf2.pid);
	rt_send(leaf1.sock, rt_peer_recv(&mid));
	cap2 = rt_peer_recv(&mid);
	rt_send(leaf2.sock, cap2);
	rt_peer_expect(&leaf1, RT_MSG_READY);
	rt_peer_expect(&leaf2, RT_MSG_READY);
	check(&mid, RT_MSG_GO);			/* the granter revokes leaf1's */
	check(&leaf1, RT_MSG_CHECK_REVOKED);
	check(&leaf2, RT_MSG_CHECK_OK);
	ASSERT_EQ(rt_revoke(fd, h, cap2), 0);	/* the owner revokes leaf2's */
	check(&leaf2, RT_MSG_CHECK_REVOKED);
	check(&mid, RT_MSG_CHECK_OK);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	check(&mid, RT_MSG_CHECK_REVOKED);
	rt_send(mid.sock, RT_MSG_EXIT);
	rt_send(leaf1.sock, RT_MSG_EXIT);
	rt_send(leaf2.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&mid);
	ASSERT_PEER_OK(&leaf1);
	ASSERT_PEER_OK(&leaf2);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void exiting_owner(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = owner_region(fd, 2);
	int target = rt_pidfd_open((pid_t)rt_recv(sock));
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * PG, RW);

	(void)arg;
	p[PG] = 0x66;
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, target));
	rt_recv_expect(sock, RT_MSG_EXIT);
	/* Exit with the mapping, the handle and the context still open. */
}

/* The owner's exit revokes its grants: the mapped grantee faults and gets ENOLINK. */
TEST(owner_exit_revokes_grants)
{
	struct rt_counters before = rt_counters_now();
	struct rt_peer owner, grantee;

	close(rt_sharing_ctx());
	rt_peer_start(&grantee, checked_grantee, NULL);
	rt_peer_start(&owner, exiting_owner, NULL);
	rt_send(owner.sock, (uint64_t)grantee.pid);
	rt_send(grantee.sock, rt_peer_recv(&owner));
	rt_peer_expect(&grantee, RT_MSG_READY);
	check(&grantee, RT_MSG_CHECK_OK);
	rt_send(owner.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&owner);			/* reaped: its context is released */
	check(&grantee, RT_MSG_CHECK_REVOKED);
	rt_send(grantee.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&grantee);
	rt_counters_expect(before, RT_C_SHARING);
}

/*
 * An owner that forks a child holding its descriptor (which the child
 * cannot use: EPERM) and sends the child's pid, then grants and, on
 * EXIT, exits. The child keeps the file open until it is killed.
 */
static void exiting_owner_with_child(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = owner_region(fd, 2);
	int target = rt_pidfd_open((pid_t)rt_recv(sock));
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	pid_t child;

	(void)arg;
	p[PG] = 0x66;
	child = fork();
	ASSERT_TRUE(child >= 0);
	if (child == 0) {
		struct ratmem_query q = { .handle = h };

		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_QUERY, &q), EPERM);
		rt_send(sock, (uint64_t)getpid());
		for (;;)
			pause();
	}
	rt_recv_expect(sock, RT_MSG_GO);	/* the child's pid was read */
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, target));
	rt_recv_expect(sock, RT_MSG_EXIT);
	/* Exit with everything open, the child still holding the file. */
}

/*
 * Contract section 3: grants made by an exiting owner are revoked, even
 * while a child it forked keeps the descriptor (and so the file) open.
 */
TEST(owner_exit_revokes_grants_while_child_holds_file)
{
	struct rt_counters before = rt_counters_now();
	struct rt_peer owner, grantee;
	struct pollfd pfd = { .events = POLLIN };
	pid_t child;

	close(rt_sharing_ctx());
	rt_peer_start(&grantee, checked_grantee, NULL);
	rt_peer_start(&owner, exiting_owner_with_child, NULL);
	rt_send(owner.sock, (uint64_t)grantee.pid);
	child = (pid_t)rt_peer_recv(&owner);
	pfd.fd = rt_pidfd_open(child);
	rt_send(owner.sock, RT_MSG_GO);
	rt_send(grantee.sock, rt_peer_recv(&owner));
	rt_peer_expect(&grantee, RT_MSG_READY);
	check(&grantee, RT_MSG_CHECK_OK);
	rt_send(owner.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&owner);
	/* The grantee's context and the one the child keeps open. */
	ASSERT_EQ(rt_counters_now().contexts, before.contexts + 2);
	check(&grantee, RT_MSG_CHECK_REVOKED);
	/* A pidfd polls readable once the child has exited (files closed). */
	ASSERT_EQ(kill(child, SIGKILL), 0);
	ASSERT_EQ(poll(&pfd, 1, 10000), 1);
	close(pfd.fd);
	ASSERT_EQ(rt_counters_now().contexts, before.contexts + 1);
	rt_send(grantee.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&grantee);
	rt_counters_expect(before, RT_C_SHARING);
}

#define MANY 8

/* Eight grantees of one region: revoked one by one (the rest unaffected), then all at once by the owner's close. */
TEST_TIMEOUT(revoke_many_grantees, 60)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = owner_region(fd, 2);
	struct rt_peer b[MANY];
	uint64_t cap[MANY];

	for (int i = 0; i < MANY; i++) {
		rt_peer_start(&b[i], checked_grantee, NULL);
		cap[i] = rt_grant_ok(fd, h, RT_RM, b[i].pidfd);
		rt_send(b[i].sock, cap[i]);
	}
	for (int i = 0; i < MANY; i++)
		rt_peer_expect(&b[i], RT_MSG_READY);
	ASSERT_EQ(rt_counters_now().grants, before.grants + MANY);
	for (int i = 0; i < MANY / 2; i++) {
		ASSERT_EQ(rt_revoke(fd, h, cap[i]), 0);
		check(&b[i], RT_MSG_CHECK_REVOKED);
		for (int j = i + 1; j < MANY; j++)
			check(&b[j], RT_MSG_CHECK_OK);
	}
	/* The owner's context release revokes the other half together. */
	ASSERT_EQ(close(fd), 0);
	for (int i = MANY / 2; i < MANY; i++)
		check(&b[i], RT_MSG_CHECK_REVOKED);
	for (int i = 0; i < MANY; i++) {
		rt_send(b[i].sock, RT_MSG_EXIT);
		ASSERT_PEER_OK(&b[i]);
	}
	rt_counters_expect(before, RT_C_SHARING);
}

/*
 * Races. A round: a fresh region and peer; the peer accepts, maps and
 * touches, says READY and waits at the start line; the owner opens it,
 * both wait a random moment, the peer does its part while the owner
 * revokes. Then the peer is judged, and the counters must be back.
 */
struct start_line {
	atomic_int go;
	uint32_t seed;
};

struct round {
	int fd;
	uint32_t h;
	uint64_t cap;
	struct rt_peer peer;
};

/* The peer's side: wait for the owner, then a random moment. */
static void race_wait_go(struct start_line *line)
{
	uint32_t seed = line->seed;

	while (!atomic_load(&line->go))
		;
	rt_spin(rt_rand(&seed) % SPIN_MAX);
}

/* The owner's side of a round, up to REVOKE (and REVOKED sent if @tell). */
static void race_round(struct round *r, struct start_line *line, uint32_t *seed,
		       void (*fn)(int sock, void *arg), uint64_t pages, int tell)
{
	r->fd = rt_open_ctx();
	r->h = rt_region(r->fd, pages, ALL, RATMEM_CREATE_COMMIT);
	atomic_store(&line->go, 0);
	line->seed = rt_rand(seed);
	rt_peer_start(&r->peer, fn, line);
	r->cap = rt_grant_ok(r->fd, r->h, RT_RWM, r->peer.pidfd);
	rt_send(r->peer.sock, r->cap);
	rt_peer_expect(&r->peer, RT_MSG_READY);
	atomic_store(&line->go, 1);
	rt_spin(rt_rand(seed) % SPIN_MAX);
	ASSERT_EQ(rt_revoke(r->fd, r->h, r->cap), 0);
	if (tell)
		rt_send(r->peer.sock, RT_MSG_REVOKED);
}

static void race_round_end(struct round *r, struct rt_counters before)
{
	ASSERT_EQ(close(r->fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

#define FAULT_PAGES 2048	/* 8 MiB */
#define FAULT_THREADS 4

static unsigned char *fault_base;
static atomic_long fault_touches[FAULT_THREADS];
static atomic_int fault_code[FAULT_THREADS];
static _Thread_local sigjmp_buf fault_jmp;

/* SIGBUS is delivered to the thread that faulted: end its loop. */
static void fault_bus_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	siglongjmp(fault_jmp, si->si_code);
}

static void *fault_loop(void *arg)
{
	long tid = (long)(intptr_t)arg;
	int code = sigsetjmp(fault_jmp, 1);

	if (code) {
		atomic_store(&fault_code[tid], code);
		return NULL;
	}
	for (;;)
		for (long i = tid; i < FAULT_PAGES; i += FAULT_THREADS) {
			fault_base[i * PG] = (unsigned char)(tid + 1);
			atomic_fetch_add(&fault_touches[tid], 1);
		}
}

static void faulting_grantee(int sock, void *arg)
{
	struct sigaction sa = { .sa_sigaction = fault_bus_handler, .sa_flags = SA_SIGINFO };
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	pthread_t t[FAULT_THREADS];

	(void)arg;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGBUS, &sa, NULL), 0);	/* SIGSEGV stays fatal */
	fault_base = rt_map_ok(fd, h, 0, FAULT_PAGES * PG, RW);
	for (long i = 0; i < FAULT_THREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, fault_loop, (void *)(intptr_t)i), 0);
	for (int i = 0; i < FAULT_THREADS; i++)
		while (atomic_load(&fault_touches[i]) < 4)
			;	/* every thread has written its first pages */
	rt_send(sock, RT_MSG_READY);
	/* Each thread ends only by a SIGBUS: a missed one hangs us. */
	for (int i = 0; i < FAULT_THREADS; i++) {
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
		ASSERT_EQ(atomic_load(&fault_code[i]), BUS_ADRERR);
	}
}


#define PIECES 16

static void munmapping_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *m[PIECES];

	for (int i = 0; i < PIECES; i++) {
		m[i] = rt_map_ok(fd, h, (uint64_t)i * PG, PG, RW);
		m[i][0] = (unsigned char)i;
	}
	rt_send(sock, RT_MSG_READY);
	race_wait_go(arg);
	for (int i = 0; i < PIECES; i += 2)
		ASSERT_EQ(munmap(m[i], PG), 0);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	for (int i = 0; i < PIECES; i++)
		if (i % 2)
			rt_expect_sigbus(m[i], i % 4 == 1);
		else
			ASSERT_FAULTS(SIGSEGV, rt_read_byte, m[i]);
	rt_expect_revoked(fd, h, RT_RWM);
	rt_send(sock, RT_MSG_DONE);
}


static void mremapping_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *m[PIECES], *to[PIECES], *dst;

	for (int i = 0; i < PIECES; i++) {
		m[i] = rt_map_ok(fd, h, (uint64_t)i * PG, PG, RW);
		m[i][0] = (unsigned char)i;
	}
	/* Destinations two pages apart, so that moved pieces never touch. */
	dst = mmap(NULL, 2 * PIECES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(dst != MAP_FAILED);
	rt_send(sock, RT_MSG_READY);
	race_wait_go(arg);
	for (int i = 0; i < PIECES; i++) {
		to[i] = mremap(m[i], PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 2 * i * PG);
		ASSERT_TRUE(to[i] == dst + 2 * i * PG);
	}
	rt_recv_expect(sock, RT_MSG_REVOKED);
	for (int i = 0; i < PIECES; i++) {
		rt_expect_sigbus(to[i], i % 2);
		ASSERT_FAULTS(SIGSEGV, rt_read_byte, m[i]);
	}
	rt_expect_revoked(fd, h, RT_RWM);
	rt_send(sock, RT_MSG_DONE);
}


#define FORKS 3

static void forking_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	pid_t kids[FORKS];
	int status;

	memset(p, 0x17, 4 * PG);
	rt_send(sock, RT_MSG_READY);
	race_wait_go(arg);
	fflush(stdout);
	for (int i = 0; i < FORKS; i++) {
		kids[i] = fork();
		ASSERT_TRUE(kids[i] >= 0);
		if (kids[i] == 0) {
			/* Not inherited: nothing is mapped there in the child. */
			ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
			ASSERT_FAULTS(SIGSEGV, rt_write_byte, p + 3 * PG);
			_exit(0);
		}
	}
	for (int i = 0; i < FORKS; i++) {
		ASSERT_EQ(waitpid(kids[i], &status, 0), kids[i]);
		ASSERT_EQ(status, 0);
	}
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	rt_expect_sigbus(p + 3 * PG, 1);
	rt_expect_revoked(fd, h, RT_RWM);
	rt_send(sock, RT_MSG_DONE);
}


static void exiting_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	memset(p, 0x18, 4 * PG);
	rt_send(sock, RT_MSG_READY);
	race_wait_go(arg);
	_exit(0);	/* mapping, handle and context still open */
}


static void accepting_racer(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t cap = rt_recv(sock);
	struct ratmem_accept a = { 0 };
	int r;

	rt_send(sock, RT_MSG_READY);
	race_wait_go(arg);
	r = rt_accept(fd, cap, &a);
	if (r != 0 && r != -ENOENT)
		rt_fail(__FILE__, __LINE__, "ACCEPT racing REVOKE: %s", strerror(-r));
	rt_recv_expect(sock, RT_MSG_REVOKED);
	if (r == 0) {
		ASSERT_EQ(a.rights, RT_RWM);
		rt_expect_revoked(fd, a.handle, RT_RWM);
	}
	ASSERT_ERRNO(rt_accept(fd, cap, NULL), ENOENT);
	rt_send(sock, r == 0);		/* 1: ACCEPT won */
}


/* How a race round ends, after the revocation. */
enum race_end {
	RACE_PEER_EXITS,	/* the grantee checks everything and exits */
	RACE_PEER_DONE,		/* the grantee reports RT_MSG_DONE, then exits */
	RACE_PEER_COUNTS,	/* the grantee reports whether it won (ACCEPT) */
};

/*
 * REVOKE racing each thing a grantee can be doing. Each round starts the
 * grantee, lines both sides up and revokes after a random spin
 * (race_round()); the grantee asserts what it must see.
 */
static const struct race_case {
	const char *what;
	void (*grantee)(int sock, void *arg);
	uint64_t pages;
	int tell_revoked;	/* race_round() sends RT_MSG_REVOKED after REVOKE */
	enum race_end end;
} race_cases[] = {
	/* Four threads fault in fresh pages: every thread ends in SIGBUS. */
	{ "fault", faulting_grantee, FAULT_PAGES, 0, RACE_PEER_EXITS },
	/* Half the mappings are unmapped: the rest fault, nothing leaks. */
	{ "munmap", munmapping_grantee, PIECES, 1, RACE_PEER_DONE },
	/* The mappings move: at the new addresses they fault. */
	{ "mremap_move", mremapping_grantee, PIECES, 1, RACE_PEER_DONE },
	/* It forks: children never see the mapping, the parent faults. */
	{ "fork", forking_grantee, 4, 1, RACE_PEER_DONE },
	/* It exits: REVOKE returns 0 and everything is released. */
	{ "exit", exiting_grantee, 4, 0, RACE_PEER_EXITS },
	/* It accepts: either ENOENT, or a handle that is then ENOLINK. */
	{ "accept", accepting_racer, 1, 1, RACE_PEER_COUNTS },
};

TEST_TIMEOUT(race_revoke_vs_each_grantee_action, 420)
{
	struct rt_counters before = rt_counters_now();
	struct start_line *line = rt_shared_page();
	struct round r;

	close(rt_sharing_ctx());
	for (size_t c = 0; c < sizeof(race_cases) / sizeof(race_cases[0]); c++) {
		const struct race_case *rc = &race_cases[c];
		uint32_t seed = (uint32_t)c + 1;
		int won = 0;

		for (int i = 0; i < ROUNDS; i++) {
			race_round(&r, line, &seed, rc->grantee, rc->pages, rc->tell_revoked);
			if (rc->end == RACE_PEER_DONE)
				rt_peer_expect(&r.peer, RT_MSG_DONE);
			else if (rc->end == RACE_PEER_COUNTS)
				won += rt_peer_recv(&r.peer) == 1;
			ASSERT_PEER_OK(&r.peer);	/* waits 20 s at most */
			race_round_end(&r, before);
		}
		if (rc->end == RACE_PEER_COUNTS)
			rt_diag("revoke vs %s: the grantee won %d of %d rounds", rc->what, won,
				ROUNDS);
		else
			rt_diag("revoke vs %s: %d rounds", rc->what, ROUNDS);
	}
}

struct double_revoke {
	struct start_line *line;
	struct round *r;
	int result;
};

static void *second_revoker(void *arg)
{
	struct double_revoke *d = arg;

	race_wait_go(d->line);
	d->result = rt_revoke(d->r->fd, d->r->h, d->r->cap);
	return NULL;
}

static void double_revoked_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	(void)arg;
	p[0] = 1;
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	rt_expect_revoked(fd, h, RT_RWM);
	rt_send(sock, RT_MSG_DONE);
}

/* Two threads of the owner revoke one grant at once: one gets 0, the other ENOENT. */
TEST_TIMEOUT(race_revoke_vs_revoke, 60)
{
	struct rt_counters before = rt_counters_now();
	struct start_line *line = rt_shared_page();
	struct double_revoke d = { .line = line };
	uint32_t seed = 7;
	struct round r;
	pthread_t t;
	int mine;

	close(rt_sharing_ctx());
	d.r = &r;
	for (int i = 0; i < ROUNDS; i++) {
		r.fd = rt_open_ctx();
		r.h = rt_region(r.fd, 1, ALL, RATMEM_CREATE_COMMIT);
		atomic_store(&line->go, 0);
		line->seed = rt_rand(&seed);
		rt_peer_start(&r.peer, double_revoked_grantee, NULL);
		r.cap = rt_grant_ok(r.fd, r.h, RT_RWM, r.peer.pidfd);
		rt_send(r.peer.sock, r.cap);
		rt_peer_expect(&r.peer, RT_MSG_READY);
		ASSERT_EQ(pthread_create(&t, NULL, second_revoker, &d), 0);
		atomic_store(&line->go, 1);
		rt_spin(rt_rand(&seed) % SPIN_MAX);
		mine = rt_revoke(r.fd, r.h, r.cap);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		ASSERT_TRUE((mine == 0 && d.result == -ENOENT) ||
			    (mine == -ENOENT && d.result == 0));
		rt_send(r.peer.sock, RT_MSG_REVOKED);
		rt_peer_expect(&r.peer, RT_MSG_DONE);
		ASSERT_PEER_OK(&r.peer);
		race_round_end(&r, before);
	}
}
