/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the sharing selftests (test_share.c, test_revoke.c):
 * raw GRANT/ACCEPT/REVOKE ioctls and peer processes that talk to the
 * test over a socket pair.
 *
 * A peer is a forked child that keeps only stdio and its socket: it
 * inherits no /dev/ratmem context, so it opens its own, and it never
 * keeps another process's context alive.
 */
#ifndef RATMEM_SELFTEST_SHARE_H
#define RATMEM_SELFTEST_SHARE_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/ratmem.h>

#include "mem.h"

#define RT_RM	(RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP)
#define RT_RWM	(RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP)

/* Messages between a test and its peers (capability ids travel too). */
enum {
	RT_MSG_READY = 0x7e5700,
	RT_MSG_GO,
	RT_MSG_DONE,
	RT_MSG_REVOKED,
	RT_MSG_CHECK_OK,
	RT_MSG_CHECK_REVOKED,
	RT_MSG_EXIT,
};

/* rt_open_ctx() on a module that reports RATMEM_FEATURE_SHARING and
 * MEMORY, or fail. */
int rt_sharing_ctx(void);

/* pidfd_open(pid, 0) or fail. */
int rt_pidfd_open(pid_t pid);

/* Raw ioctls: 0 or -errno. */
int rt_grant(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t *cap);
int rt_accept(int fd, uint64_t cap, struct ratmem_accept *out);
int rt_revoke(int fd, uint32_t handle, uint64_t cap);
/* GRANT that must succeed; returns the capability id (never 0). */
uint64_t rt_grant_ok(int fd, uint32_t handle, uint32_t rights, int pidfd);
/* ACCEPT that must succeed with exactly @rights; returns the handle. */
uint32_t rt_accept_ok(int fd, uint64_t cap, uint32_t rights);
/* The region id of @handle, or fail. */
uint64_t rt_region_id(int fd, uint32_t handle);

/*
 * @handle (which had @rights) is revoked: QUERY, DUP, COMMIT and
 * DECOMMIT (with WRITE), GRANT (with GRANT) and mmap (with READ|MAP)
 * fail with ENOLINK; then CLOSE returns 0 and the number is gone (EBADF).
 */
void rt_expect_revoked(int fd, uint32_t handle, uint32_t rights);
/* A read (or write) of @addr raises SIGBUS, BUS_ADRERR at @addr. */
void rt_expect_sigbus(void *addr, int write);

struct rt_peer {
	pid_t pid;
	int sock;	/* the test's end */
	int pidfd;	/* names the peer, for GRANT */
};

/* Fork a peer running fn(its socket end, arg), then _exit(0). Returns once
 * the peer has closed the descriptors it inherited (the test's contexts). */
void rt_peer_start(struct rt_peer *p, void (*fn)(int sock, void *arg), void *arg);
/* Wait at most @timeout_ms for the peer (killed and failed after) and
 * return its wait status; closes the socket and the pidfd. */
int rt_peer_wait(struct rt_peer *p, unsigned int timeout_ms);
/* "exited 1", "killed by signal 7 (Bus error)". */
const char *rt_status_str(int status);

/* Both sides: send one value; receive one (fail on EOF). */
void rt_send(int sock, uint64_t v);
uint64_t rt_recv(int sock);
void rt_recv_expect(int sock, uint64_t v);
/* The test's side: as rt_recv, but reports the peer's fate on EOF. */
uint64_t rt_peer_recv(struct rt_peer *p);
void rt_peer_expect(struct rt_peer *p, uint64_t v);

#define ASSERT_PEER_OK(p)						\
	do {								\
		int rt_w_ = rt_peer_wait(p, 20000);			\
		if (rt_w_ != 0)						\
			rt_fail(__FILE__, __LINE__, "peer %s %s, expected exit 0", \
				#p, rt_status_str(rt_w_));		\
	} while (0)

#define ASSERT_PEER_KILLED(p, sig, timeout_ms)				\
	do {								\
		int rt_w_ = rt_peer_wait(p, timeout_ms);		\
		if (!WIFSIGNALED(rt_w_) || WTERMSIG(rt_w_) != (sig))	\
			rt_fail(__FILE__, __LINE__, "peer %s %s, expected killed by %s", \
				#p, rt_status_str(rt_w_), #sig);	\
	} while (0)

/* A zeroed page shared with peers forked after it (MAP_SHARED anon). */
void *rt_shared_page(void);
/* Busy-wait for about @n loop turns (race timing). */
void rt_spin(unsigned long n);
/* xorshift step, for reproducible random delays. */
uint32_t rt_rand(uint32_t *state);

#endif
