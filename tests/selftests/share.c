// SPDX-License-Identifier: GPL-2.0
/* Helpers for the sharing selftests: see share.h. */
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

int rt_sharing_ctx(void)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	int fd = rt_open_ctx();

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_API, &api), 0);
	if (!(api.features & RATMEM_FEATURE_SHARING) || !(api.features & RATMEM_FEATURE_MEMORY))
		rt_fail(__FILE__, __LINE__, "module features 0x%llx lack SHARING or MEMORY",
			(unsigned long long)api.features);
	return fd;
}

int rt_pidfd_open(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		rt_fail(__FILE__, __LINE__, "pidfd_open(%d): %s", (int)pid, strerror(errno));
	return fd;
}

int rt_grant(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t *cap)
{
	struct ratmem_grant g = { .handle = handle, .rights = rights, .pidfd = pidfd };

	if (ioctl(fd, RATMEM_IOC_GRANT, &g))
		return -errno;
	if (cap)
		*cap = g.cap_id;
	return 0;
}

int rt_accept(int fd, uint64_t cap, struct ratmem_accept *out)
{
	struct ratmem_accept a = { .cap_id = cap };

	if (ioctl(fd, RATMEM_IOC_ACCEPT, &a))
		return -errno;
	if (out)
		*out = a;
	return 0;
}

int rt_revoke(int fd, uint32_t handle, uint64_t cap)
{
	struct ratmem_revoke r = { .handle = handle, .cap_id = cap };

	return ioctl(fd, RATMEM_IOC_REVOKE, &r) ? -errno : 0;
}

uint64_t rt_grant_ok(int fd, uint32_t handle, uint32_t rights, int pidfd)
{
	uint64_t cap = 0;
	int r = rt_grant(fd, handle, rights, pidfd, &cap);

	if (r)
		rt_fail(__FILE__, __LINE__, "GRANT handle %u rights 0x%x: %s", handle, rights,
			strerror(-r));
	ASSERT_NE(cap, 0);
	return cap;
}

uint32_t rt_accept_ok(int fd, uint64_t cap, uint32_t rights)
{
	struct ratmem_accept a = { 0 };
	int r = rt_accept(fd, cap, &a);

	if (r)
		rt_fail(__FILE__, __LINE__, "ACCEPT 0x%llx: %s", (unsigned long long)cap,
			strerror(-r));
	ASSERT_NE(a.handle, 0);
	ASSERT_EQ(a.rights, rights);
	return a.handle;
}

uint64_t rt_region_id(int fd, uint32_t handle)
{
	struct ratmem_query q = { .handle = handle };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUERY, &q), 0);
	return q.region_id;
}

void rt_expect_revoked(int fd, uint32_t handle, uint32_t rights)
{
	struct ratmem_query q = { .handle = handle };
	struct ratmem_dup d = { .handle = handle, .rights = rights };

	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_QUERY, &q), ENOLINK);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DUP, &d), ENOLINK);
	if (rights & RATMEM_RIGHT_WRITE) {
		ASSERT_ERRNO(rt_commit(fd, handle, 0, PG), ENOLINK);
		ASSERT_ERRNO(rt_decommit(fd, handle, 0, PG), ENOLINK);
	}
	if (rights & RATMEM_RIGHT_GRANT) {
		int pidfd = rt_pidfd_open(getppid());

		ASSERT_ERRNO(rt_grant(fd, handle, RATMEM_RIGHT_READ, pidfd, NULL), ENOLINK);
		close(pidfd);
	}
	if ((rights & RT_RM) == RT_RM)
		ASSERT_TRUE(rt_map(fd, handle, 0, PG, PROT_READ) == MAP_FAILED &&
			    errno == ENOLINK);
	ASSERT_EQ(rat_close_handle(fd, handle), 0);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_QUERY, &q), EBADF);
}

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_sig;
static siginfo_t bus_info;

static void bus_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	bus_sig = sig;
	bus_info = *si;
	siglongjmp(bus_jmp, 1);
}

void rt_expect_sigbus(void *addr, int write)
{
	struct sigaction sa = { .sa_sigaction = bus_handler,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	struct sigaction old_bus, old_segv;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	bus_sig = 0;
	if (sigsetjmp(bus_jmp, 1) == 0) {
		if (write)
			rt_write_byte(addr);
		else
			rt_read_byte(addr);
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	if (bus_sig != SIGBUS)
		rt_fail(__FILE__, __LINE__, "%s of %p raised signal %d, expected SIGBUS",
			write ? "write" : "read", addr, (int)bus_sig);
	ASSERT_EQ(bus_info.si_code, BUS_ADRERR);
	ASSERT_TRUE(bus_info.si_addr == addr);
}

void rt_peer_start(struct rt_peer *p, void (*fn)(int sock, void *arg), void *arg)
{
	struct rlimit no_core = { 0, 0 };
	int sv[2];

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fflush(stdout);
	p->pid = fork();
	ASSERT_TRUE(p->pid >= 0);
	if (p->pid == 0) {
		/* Keep stdio and the socket (as fd 3), nothing else. */
		if (dup2(sv[1], 3) != 3 || syscall(SYS_close_range, 4, ~0U, 0))
			rt_fail(__FILE__, __LINE__, "peer fds: %s", strerror(errno));
		/* A peer killed by SIGBUS must not leave a core behind. */
		setrlimit(RLIMIT_CORE, &no_core);
		/* The test's descriptors are closed: tell it before anything else. */
		rt_send(3, RT_MSG_READY);
		fn(3, arg);
		fflush(stdout);
		_exit(0);
	}
	close(sv[1]);
	p->sock = sv[0];
	p->pidfd = rt_pidfd_open(p->pid);
	/*
	 * Until the peer has closed what it inherited, it holds the test's
	 * contexts open: a close() in the test would not release them.
	 */
	rt_peer_expect(p, RT_MSG_READY);
}

int rt_peer_wait(struct rt_peer *p, unsigned int timeout_ms)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	int status, r;

	close(p->sock);
	do
		r = poll(&pfd, 1, (int)timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &status, 0);
		rt_fail(__FILE__, __LINE__, "peer %d still running after %u ms", (int)p->pid,
			timeout_ms);
	}
	ASSERT_EQ(waitpid(p->pid, &status, 0), p->pid);
	close(p->pidfd);
	p->pid = 0;
	return status;
}

const char *rt_status_str(int status)
{
	static char buf[80];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, sizeof(buf), "wait status 0x%x", status);
	return buf;
}

void rt_send(int sock, uint64_t v)
{
	/* MSG_NOSIGNAL: a dead peer is a failure to report, not SIGPIPE. */
	if (send(sock, &v, sizeof(v), MSG_NOSIGNAL) != (ssize_t)sizeof(v))
		rt_fail(__FILE__, __LINE__, "send to peer: %s", strerror(errno));
}

/* 1 with a value, 0 at EOF. */
static int recv_raw(int sock, uint64_t *v)
{
	size_t got = 0;

	while (got < sizeof(*v)) {
		ssize_t n = recv(sock, (char *)v + got, sizeof(*v) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rt_fail(__FILE__, __LINE__, "recv: %s", strerror(errno));
		if (n == 0)
			return 0;
		got += (size_t)n;
	}
	return 1;
}

uint64_t rt_recv(int sock)
{
	uint64_t v;

	if (!recv_raw(sock, &v))
		rt_fail(__FILE__, __LINE__, "the other side closed the socket");
	return v;
}

void rt_recv_expect(int sock, uint64_t v)
{
	ASSERT_EQ(rt_recv(sock), v);
}

uint64_t rt_peer_recv(struct rt_peer *p)
{
	uint64_t v;

	if (!recv_raw(p->sock, &v)) {
		pid_t pid = p->pid;
		int status = rt_peer_wait(p, 5000);

		rt_fail(__FILE__, __LINE__, "peer %d closed its socket: %s", (int)pid,
			rt_status_str(status));
	}
	return v;
}

void rt_peer_expect(struct rt_peer *p, uint64_t v)
{
	ASSERT_EQ(rt_peer_recv(p), v);
}

void *rt_shared_page(void)
{
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

void rt_spin(unsigned long n)
{
	for (volatile unsigned long i = 0; i < n; i++)
		;
}

uint32_t rt_rand(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}
