// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: grants (contract sections 2 to 4). A handle with GRANT
 * shares its region with the one process a pidfd names; only that
 * process can accept, once, and it gets no more than the granted
 * rights, which only shrink when it shares onward.
 *
 * The test process is the owner; peers (share.h) are the grantees.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
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
#define RX (PROT_READ | PROT_EXEC)
#define ALL RATMEM_RIGHTS_ALL
#define GR RATMEM_RIGHT_GRANT
#define EX RATMEM_RIGHT_EXEC
#define X86_RET 0xc3

static void both_ways_grantee(int sock, void *arg)
{
	uint64_t region_id = *(uint64_t *)arg;
	int fd = rt_open_ctx();
	struct ratmem_accept a = { 0 };
	struct ratmem_query q = { 0 };
	unsigned char *p;

	ASSERT_EQ(rt_accept(fd, rt_recv(sock), &a), 0);
	ASSERT_NE(a.handle, 0);
	ASSERT_EQ(a.rights, RT_RWM);
	ASSERT_EQ(a.region_id, region_id);
	ASSERT_EQ(a.size, 4 * PG);
	ASSERT_EQ(a.pad, 0);
	q.handle = a.handle;
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUERY, &q), 0);
	ASSERT_EQ(q.rights, RT_RWM);
	ASSERT_EQ(q.region_id, region_id);
	ASSERT_EQ(q.size, 4 * PG);
	ASSERT_EQ(q.committed, 4 * PG);
	p = rt_map_ok(fd, a.handle, 0, 4 * PG, RW);
	rt_expect_bytes(p, PG, 0x11);		/* the owner's */
	memset(p + PG, 0x22, PG);		/* for the owner */
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);
	rt_expect_bytes(p + 2 * PG, PG, 0x33);	/* written after our accept */
	rt_expect_bytes(p + 3 * PG, PG, 0);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(rat_close_handle(fd, a.handle), 0);
}

/* ACCEPT reports rights, region and size; writes cross in both directions. */
TEST(grant_accept_both_directions)
{
	struct rt_counters before;
	struct rt_peer b;
	unsigned char *p;
	uint64_t id, cap;
	uint32_t h;
	int fd;

	before = rt_counters_now();
	fd = rt_sharing_ctx();
	h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	id = rt_region_id(fd, h);
	p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	memset(p, 0x11, PG);
	rt_peer_start(&b, both_ways_grantee, &id);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);	/* accepted: still one */
	rt_expect_bytes(p + PG, PG, 0x22);
	memset(p + 2 * PG, 0x33, PG);
	rt_send(b.sock, RT_MSG_GO);
	ASSERT_PEER_OK(&b);
	rt_expect_bytes(p, PG, 0x11);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void read_only_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RM);
	struct ratmem_dup d = { .handle = h, .rights = RT_RWM };
	int parent = rt_pidfd_open(getppid());
	unsigned char *p;

	(void)arg;
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_WRITE) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RX) == MAP_FAILED && errno == EACCES);
	p = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);
	rt_expect_bytes(p, 4 * PG, 0x66);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RW), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, PROT_WRITE), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RX), EACCES);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	ASSERT_ERRNO(rt_commit(fd, h, 0, PG), EPERM);
	ASSERT_ERRNO(rt_decommit(fd, h, 0, 4 * PG), EPERM);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DUP, &d), EPERM);
	ASSERT_ERRNO(rt_grant(fd, h, RATMEM_RIGHT_READ, parent, NULL), EPERM);
	rt_expect_bytes(p, 4 * PG, 0x66);	/* nothing was decommitted */
	rt_send(sock, RT_MSG_DONE);
}

/* A READ|MAP grantee cannot map or mprotect to write, commit or decommit. */
TEST(grantee_read_only_rights)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	struct rt_peer b;

	memset(p, 0x66, 4 * PG);
	rt_peer_start(&b, read_only_grantee, NULL);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(rt_committed(fd, h), 4 * PG);
	rt_expect_bytes(p, 4 * PG, 0x66);
}

static void exec_grantee(int sock, void *arg)
{
	int may_exec = *(int *)arg;
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RM | (may_exec ? EX : 0));
	unsigned char *p;

	if (!may_exec) {
		ASSERT_TRUE(rt_map(fd, h, 0, PG, RX) == MAP_FAILED && errno == EACCES);
		ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_EXEC) == MAP_FAILED && errno == EACCES);
		p = rt_map_ok(fd, h, 0, PG, PROT_READ);
		ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RX), EACCES);
		ASSERT_FAULTS(SIGSEGV, rt_call, p);
	} else {
		ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EACCES);
		p = rt_map_ok(fd, h, 0, PG, RX);
		ASSERT_FAULTS(0, rt_call, p);
	}
	ASSERT_EQ(p[0], X86_RET);
	rt_send(sock, RT_MSG_DONE);
}

/* PROT_EXEC needs the EXEC right: refused without it, works with it. */
TEST(grantee_exec_needs_exec_right)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	int no = 0, yes = 1;
	struct rt_peer b;

	p[0] = X86_RET;
	ASSERT_EQ(munmap(p, PG), 0);	/* no writable mapping left anywhere */
	rt_peer_start(&b, exec_grantee, &no);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	rt_peer_start(&b, exec_grantee, &yes);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RM | EX, b.pidfd));
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
}

/* Accept what arrives; with arg set it must be ENOENT, else must work. */
static void try_accept(int sock, void *arg)
{
	int must_fail = *(int *)arg;
	int fd = rt_open_ctx();
	uint64_t v;

	while ((v = rt_recv(sock)) != RT_MSG_EXIT) {
		if (must_fail) {
			ASSERT_ERRNO(rt_accept(fd, v, NULL), ENOENT);
		} else {
			uint32_t h = rt_accept_ok(fd, v, RT_RM);
			unsigned char *p = rt_map_ok(fd, h, 0, PG, PROT_READ);

			ASSERT_EQ(p[0], 0x71);
		}
		rt_send(sock, RT_MSG_DONE);
	}
}

/* Only the named process can accept; a third one gets ENOENT, before and after. */
TEST(accept_by_other_process_enoent)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	int yes = 1, no = 0;
	struct rt_peer target, third;
	uint64_t cap;

	p[0] = 0x71;
	rt_peer_start(&target, try_accept, &no);
	rt_peer_start(&third, try_accept, &yes);
	cap = rt_grant_ok(fd, h, RT_RM, target.pidfd);
	rt_send(third.sock, cap);
	rt_peer_expect(&third, RT_MSG_DONE);
	rt_send(target.sock, cap);		/* the failed try did not consume it */
	rt_peer_expect(&target, RT_MSG_DONE);
	rt_send(third.sock, cap);
	rt_peer_expect(&third, RT_MSG_DONE);
	rt_send(target.sock, RT_MSG_EXIT);
	rt_send(third.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&target);
	ASSERT_PEER_OK(&third);
}

static void guessing_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t cap = rt_recv(sock);
	uint64_t guesses[] = { 0, ~0ULL, 1, cap ^ 1, cap + 1, cap - 1, cap ^ (1ULL << 63),
			       cap >> 1, cap << 1, ~cap };
	uint32_t seed = (uint32_t)(cap ^ (uint64_t)time(NULL));
	struct ratmem_accept a;

	(void)arg;
	for (size_t i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
		ASSERT_ERRNO(rt_accept(fd, guesses[i], NULL), ENOENT);
	for (int i = 0; i < 256; i++) {
		uint64_t g = (uint64_t)rt_rand(&seed) << 32 | rt_rand(&seed);

		if (g != cap)
			ASSERT_ERRNO(rt_accept(fd, g, NULL), ENOENT);
	}
	/* Malformed requests are EINVAL and do not consume the grant. */
	for (int bit = 0; bit < 32; bit++) {
		a = (struct ratmem_accept){ .cap_id = cap, .flags = 1U << bit };
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_ACCEPT, &a), EINVAL);
	}
	for (int i = 0; i < 2; i++) {
		a = (struct ratmem_accept){ .cap_id = cap };
		a.reserved[i] = 1;
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_ACCEPT, &a), EINVAL);
	}
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_ACCEPT, NULL), EFAULT);
	rt_accept_ok(fd, cap, RT_RM);
	rt_send(sock, RT_MSG_DONE);
}

/* Guessed ids (0, ~0, neighbours, random) are ENOENT; bad fields EINVAL. */
TEST(accept_guessed_ids_enoent)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	struct rt_peer b;

	rt_peer_start(&b, guessing_grantee, NULL);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
}

static void accept_twice_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t cap = rt_recv(sock);
	uint32_t h = rt_accept_ok(fd, cap, RT_RM);

	(void)arg;
	ASSERT_ERRNO(rt_accept(fd, cap, NULL), ENOENT);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	ASSERT_ERRNO(rt_accept(fd, cap, NULL), ENOENT);
	rt_expect_revoked(fd, h, RT_RM);
	ASSERT_ERRNO(rt_accept(fd, cap, NULL), ENOENT);
	rt_send(sock, RT_MSG_DONE);
}

/* A capability is accepted once: a second ACCEPT, or one after REVOKE, is ENOENT. */
TEST(accept_twice_or_after_revoke_enoent)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	struct rt_peer b;
	uint64_t cap;

	rt_peer_start(&b, accept_twice_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
}

static void no_grant_right_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	int parent = rt_pidfd_open(getppid());
	struct ratmem_dup d = { .handle = h, .rights = RT_RWM | GR };

	(void)arg;
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, parent, NULL), EPERM);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RWM, parent, NULL), EPERM);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DUP, &d), EPERM);
	rt_send(sock, RT_MSG_DONE);
}

/* A grantee without GRANT cannot share onward, nor DUP the right back. */
TEST(regrant_needs_grant_right)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	struct rt_peer b;

	rt_peer_start(&b, no_grant_right_grantee, NULL);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RWM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);	/* nothing was added */
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void regranting_middle(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM | GR);
	int third = rt_pidfd_open((pid_t)rt_recv(sock));
	unsigned char *p = rt_map_ok(fd, h, 0, PG, PROT_READ);
	uint64_t same;

	(void)arg;
	ASSERT_EQ(p[0], 0x77);
	/* More than we hold: EXEC, or everything. */
	ASSERT_ERRNO(rt_grant(fd, h, RT_RWM | GR | EX, third, NULL), EPERM);
	ASSERT_ERRNO(rt_grant(fd, h, EX, third, NULL), EPERM);
	ASSERT_ERRNO(rt_grant(fd, h, ALL, third, NULL), EPERM);
	/* Equal rights are fine (then withdrawn); fewer go to the third process. */
	same = rt_grant_ok(fd, h, RT_RWM | GR, third);
	ASSERT_EQ(rt_revoke(fd, h, same), 0);
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, third));
	/* Stay alive: our context's grants die with it. */
	rt_recv_expect(sock, RT_MSG_EXIT);
}

static void regrant_receiver(int sock, void *arg)
{
	uint64_t region_id = *(uint64_t *)arg;
	int fd = rt_open_ctx();
	struct ratmem_accept a = { 0 };
	unsigned char *p;

	ASSERT_EQ(rt_accept(fd, rt_recv(sock), &a), 0);
	ASSERT_EQ(a.rights, RT_RM);
	ASSERT_EQ(a.region_id, region_id);
	ASSERT_EQ(a.size, 2 * PG);
	ASSERT_TRUE(rt_map(fd, a.handle, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	p = rt_map_ok(fd, a.handle, 0, 2 * PG, PROT_READ);
	ASSERT_EQ(p[0], 0x77);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);
	ASSERT_EQ(p[PG], 0x78);			/* written by the owner later */
	rt_send(sock, RT_MSG_DONE);
}

/* A GRANT holder re-grants equal or fewer rights (not more) to a third process. */
TEST(regrant_equal_or_fewer_rights)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 2, ALL, RATMEM_CREATE_COMMIT);
	uint64_t id = rt_region_id(fd, h);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	struct rt_peer mid, third;

	p[0] = 0x77;
	rt_peer_start(&third, regrant_receiver, &id);
	rt_peer_start(&mid, regranting_middle, NULL);
	rt_send(mid.sock, rt_grant_ok(fd, h, RT_RWM | GR, mid.pidfd));
	rt_send(mid.sock, (uint64_t)third.pid);
	rt_send(third.sock, rt_peer_recv(&mid));
	rt_peer_expect(&third, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 2);	/* ours and the re-grant */
	p[PG] = 0x78;
	rt_send(third.sock, RT_MSG_GO);
	rt_peer_expect(&third, RT_MSG_DONE);
	rt_send(mid.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&third);
	ASSERT_PEER_OK(&mid);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void wait_for_exit(int sock, void *arg)
{
	(void)arg;
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* A pidfd of a process that has exited and been reaped. */
static int reaped_pidfd(void)
{
	int pipefd[2], pidfd, status;
	pid_t pid;
	char c;

	ASSERT_EQ(pipe(pipefd), 0);
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(pipefd[0]);
	pidfd = rt_pidfd_open(pid);
	close(pipefd[1]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(status, 0);
	return pidfd;
}

/* A pidfd of a child that has exited but is not reaped (a zombie); *pid gets it. */
static int zombie_pidfd(pid_t *pid)
{
	siginfo_t info;
	int pidfd;

	fflush(stdout);
	*pid = fork();
	ASSERT_TRUE(*pid >= 0);
	if (*pid == 0)
		_exit(0);
	pidfd = rt_pidfd_open(*pid);
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(waitid(P_PID, *pid, &info, WEXITED | WNOWAIT), 0);
	ASSERT_EQ(info.si_pid, *pid);
	return pidfd;
}

/* GRANT to a zombie fails with ESRCH: it could never accept. */
TEST(grant_to_zombie_esrch)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx(), pidfd, status;
	uint32_t h = rt_region(fd, 1, ALL, 0);
	pid_t pid;

	pidfd = zombie_pidfd(&pid);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, pidfd, NULL), ESRCH);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, pidfd, NULL), ESRCH);
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	ASSERT_EQ(close(pidfd), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

/* GRANT: EPERM without GRANT or beyond the handle, EINVAL for bad fields, EBADF/EINVAL/ESRCH for bad targets. */
TEST(grant_bad_arguments)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	uint32_t nogrant = rt_dup(fd, h, ALL & ~GR);
	uint32_t ro = rt_dup(fd, h, RT_RM | GR);
	uint32_t closed = rt_region(fd, 1, ALL, 0);
	int pipefd[2], gone = reaped_pidfd(), stale;
	struct ratmem_grant g;
	struct rt_peer b;

	rt_peer_start(&b, wait_for_exit, NULL);
	ASSERT_EQ(rat_close_handle(fd, closed), 0);
	ASSERT_ERRNO(rt_grant(fd, nogrant, RATMEM_RIGHT_READ, b.pidfd, NULL), EPERM);
	ASSERT_ERRNO(rt_grant(fd, ro, RT_RWM, b.pidfd, NULL), EPERM);
	ASSERT_ERRNO(rt_grant(fd, ro, RT_RM | EX, b.pidfd, NULL), EPERM);
	ASSERT_ERRNO(rt_grant(fd, closed, RT_RM, b.pidfd, NULL), EBADF);
	ASSERT_ERRNO(rt_grant(fd, 0, RT_RM, b.pidfd, NULL), EBADF);
	ASSERT_ERRNO(rt_grant(fd, h, 0, b.pidfd, NULL), EINVAL);
	ASSERT_ERRNO(rt_grant(fd, h, 0x20, b.pidfd, NULL), EINVAL);
	ASSERT_ERRNO(rt_grant(fd, h, ALL | 0x20, b.pidfd, NULL), EINVAL);
	ASSERT_ERRNO(rt_grant(fd, h, 1U << 31, b.pidfd, NULL), EINVAL);
	for (int bit = 0; bit < 32; bit++) {
		g = (struct ratmem_grant){ .handle = h, .rights = RT_RM, .pidfd = b.pidfd,
					   .flags = 1U << bit };
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT, &g), EINVAL);
	}
	/* reserved[0] became lease_ns in 0.7.0 (test_lease.c checks it). */
	g = (struct ratmem_grant){ .handle = h, .rights = RT_RM, .pidfd = b.pidfd, .reserved = 1 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT, &g), EINVAL);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT, NULL), EFAULT);
	/* Targets: not a descriptor, a closed one, not a pidfd, a reaped process. */
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, -1, NULL), EBADF);
	stale = rt_pidfd_open(b.pid);
	ASSERT_EQ(close(stale), 0);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, stale, NULL), EBADF);
	ASSERT_EQ(pipe(pipefd), 0);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, pipefd[0], NULL), EINVAL);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, fd, NULL), EINVAL);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, gone, NULL), ESRCH);
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	/* The same arguments, corrected, work. */
	rt_grant_ok(fd, ro, RT_RM, b.pidfd);
	rt_grant_ok(fd, h, ALL, b.pidfd);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 2);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void wx_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM | EX);
	unsigned char *w = rt_map_ok(fd, h, 0, PG, RW), *r;

	(void)arg;
	w[0] = X86_RET;
	rt_send(sock, RT_MSG_READY);		/* we hold a writable mapping */
	rt_recv_expect(sock, RT_MSG_GO);
	ASSERT_EQ(munmap(w, PG), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);	/* the owner holds an executable one */
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_WRITE) == MAP_FAILED && errno == EACCES);
	r = rt_map_ok(fd, h, 0, PG, PROT_READ);
	ASSERT_SYSCALL_ERRNO(mprotect(r, PG, RW), EACCES);
	ASSERT_EQ(munmap(r, PG), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);	/* the owner unmapped it */
	w = rt_map_ok(fd, h, 0, PG, RW);
	ASSERT_EQ(w[0], X86_RET);
	rt_send(sock, RT_MSG_DONE);
}

/* W^X holds across processes: a grantee's writable mapping blocks the owner's exec, and back. */
TEST(wx_across_processes)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *r, *x;
	struct rt_peer b;

	rt_peer_start(&b, wx_grantee, NULL);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RWM | EX, b.pidfd));
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RX) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_EXEC) == MAP_FAILED && errno == EACCES);
	r = rt_map_ok(fd, h, 0, PG, PROT_READ);
	ASSERT_EQ(r[0], X86_RET);
	ASSERT_SYSCALL_ERRNO(mprotect(r, PG, RX), EACCES);
	ASSERT_EQ(munmap(r, PG), 0);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);	/* the grantee unmapped */
	x = rt_map_ok(fd, h, 0, PG, RX);
	ASSERT_FAULTS(0, rt_call, x);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_EQ(munmap(x, PG), 0);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
}

static void decommit_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RM);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);

	(void)arg;
	rt_expect_bytes(p, 4 * PG, 0x44);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_GO);	/* pages 1 and 2 decommitted */
	rt_expect_sigbus(p + PG, 0);
	rt_expect_sigbus(p + 2 * PG + 100, 0);
	rt_expect_bytes(p, PG, 0x44);
	rt_expect_bytes(p + 3 * PG, PG, 0x44);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);	/* committed again */
	rt_expect_bytes(p + PG, 2 * PG, 0);
	rt_send(sock, RT_MSG_DONE);
}

/* The owner's decommit removes pages from the grantee's mapping (SIGBUS); recommit reads zero. */
TEST(owner_decommit_reaches_grantee)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	struct rt_peer b;

	memset(p, 0x44, 4 * PG);
	rt_peer_start(&b, decommit_grantee, NULL);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_decommit(fd, h, PG, 2 * PG), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 2);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + PG);
	ASSERT_EQ(rt_commit(fd, h, PG, 2 * PG), 0);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	rt_expect_bytes(p + PG, 2 * PG, 0);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

static void late_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t caps[2];

	(void)arg;
	caps[0] = rt_recv(sock);
	caps[1] = rt_recv(sock);
	rt_recv_expect(sock, RT_MSG_GO);	/* the owner closed its context */
	ASSERT_ERRNO(rt_accept(fd, caps[0], NULL), ENOENT);
	ASSERT_ERRNO(rt_accept(fd, caps[1], NULL), ENOENT);
	rt_send(sock, RT_MSG_DONE);
}

/* STATS.grants counts live grants; REVOKE and the owner's context release bring it back. */
TEST(grants_counter_follows_grants)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	uint64_t caps[3];
	struct rt_peer b;

	rt_peer_start(&b, late_grantee, NULL);
	for (int i = 0; i < 3; i++) {
		caps[i] = rt_grant_ok(fd, h, RT_RM, b.pidfd);
		ASSERT_EQ(rt_counters_now().grants, before.grants + i + 1);
	}
	ASSERT_TRUE(caps[0] != caps[1] && caps[1] != caps[2] && caps[0] != caps[2]);
	ASSERT_EQ(rt_revoke(fd, h, caps[0]), 0);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 2);
	rt_send(b.sock, caps[1]);
	rt_send(b.sock, caps[2]);
	ASSERT_EQ(close(fd), 0);		/* releases the context: revokes the rest */
	ASSERT_EQ(rt_counters_now().grants, before.grants);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	rt_counters_expect(before, RT_C_SHARING);
}
