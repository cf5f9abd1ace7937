// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by ratmem's selftests. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

int rt_open_ctx(void)
{
	int fd = rat_open();

	/* In the test VM the module is loaded: a missing node is a bug. */
	if (fd == -ENOENT && !getenv("RATMEM_BENCH"))
		SKIP("/dev/ratmem is missing: is ratmem.ko loaded?");
	if (fd < 0)
		rt_fail(__FILE__, __LINE__, "open /dev/ratmem: %s", strerror(-fd));
	return fd;
}

void rt_need(int fd, uint64_t features, uint64_t ioctls)
{
	struct ratmem_api a = { .abi_version = RATMEM_ABI_VERSION };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_API, &a), 0);
	ASSERT_EQ(a.features & features, features);
	ASSERT_EQ(a.ioctls & ioctls, ioctls);
}

int rt_open_ctx_need(uint64_t features, uint64_t ioctls)
{
	int fd = rt_open_ctx();

	rt_need(fd, features, ioctls);
	return fd;
}

uint64_t rt_contexts_now(void)
{
	struct ratmem_stats st = { 0 };
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_EQ(rat_close(fd), 0);
	return st.contexts;
}

static void send_fd(int sock, int fd)
{
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cmsg;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(&cmsg, 0, sizeof(cmsg));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ASSERT_EQ(sendmsg(sock, &msg, 0), 1);
}

static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cmsg;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg.buf),
	};
	struct cmsghdr *c;
	int fd;

	ASSERT_EQ(recvmsg(sock, &msg, 0), 1);
	c = CMSG_FIRSTHDR(&msg);
	ASSERT_TRUE(c && c->cmsg_type == SCM_RIGHTS);
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

int rt_pass_fd_to_child(int fd, void (*fn)(int received_fd))
{
	int sv[2], status;
	pid_t pid;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		int got;

		/* The child must not simply inherit the descriptor: it
		 * exists in the child only once received. */
		close(sv[0]);
		close(fd);
		got = recv_fd(sv[1]);
		fn(got);
		fflush(stdout);
		_exit(0);
	}
	close(sv[1]);
	send_fd(sv[0], fd);
	close(sv[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

void rt_need_ratapi_memory(void)
{
	RatApiInfo info;
	RatStatus st = RatQueryApi(&info);

	if (st == RAT_STATUS_NOT_FOUND && !getenv("RATMEM_BENCH"))
		SKIP("/dev/ratmem is missing");
	ASSERT_EQ(st, RAT_STATUS_OK);
	ASSERT_TRUE(info.features & RATMEM_FEATURE_MEMORY);
}

#define RT_PARAMS "/sys/module/ratmem/parameters/"

int rt_write_param(const char *name, const char *value)
{
	char path[128];
	int f, err = 0;
	ssize_t n;

	snprintf(path, sizeof(path), RT_PARAMS "%s", name);
	f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	n = write(f, value, strlen(value));
	if (n < 0)
		err = -errno;
	else if (n != (ssize_t)strlen(value))
		err = -EIO;
	close(f);
	return err;
}

void rt_read_param(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), RT_PARAMS "%s", name);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		rt_fail(__FILE__, __LINE__, "open %s: %s", path, strerror(errno));
	n = read(f, buf, len - 1);
	close(f);
	ASSERT_TRUE(n > 0);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* Mount tracefs if needed (see util.h). */
void rt_need_tracefs(void)
{
	struct stat st;

	if (stat(RT_TRACEFS "/trace", &st) == 0)
		return;
	if (stat(RT_TRACEFS, &st) != 0)
		SKIP("no %s: the kernel is built without tracefs (CONFIG_TRACING)", RT_TRACEFS);
	if (mount("nodev", RT_TRACEFS, "tracefs", 0, NULL) != 0) {
		if (errno == ENODEV)
			SKIP("tracefs is not a file system type of this kernel");
		rt_fail(__FILE__, __LINE__, "mount tracefs on %s: %s", RT_TRACEFS,
			strerror(errno));
	}
	ASSERT_EQ(stat(RT_TRACEFS "/trace", &st), 0);
}

void rt_write_file(const char *path, const char *text, int flags)
{
	int f = open(path, O_WRONLY | flags);
	ssize_t n;

	if (f < 0)
		rt_fail(__FILE__, __LINE__, "open %s: %s", path, strerror(errno));
	n = write(f, text, strlen(text));
	if (n != (ssize_t)strlen(text))
		rt_fail(__FILE__, __LINE__, "write \"%s\" to %s: %s", text, path,
			n < 0 ? strerror(errno) : "short write");
	close(f);
}

/* The whole file, NUL-terminated, in a buffer the caller frees. */
char *rt_read_file(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int f = open(path, O_RDONLY);
	ssize_t n;

	ASSERT_TRUE(buf != NULL);
	if (f < 0)
		rt_fail(__FILE__, __LINE__, "open %s: %s", path, strerror(errno));
	while ((n = read(f, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			ASSERT_TRUE(buf != NULL);
		}
	}
	if (n < 0)
		rt_fail(__FILE__, __LINE__, "read %s: %s", path, strerror(errno));
	close(f);
	buf[len] = '\0';
	return buf;
}

int rt_kernel_maps_pmd(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	ASSERT_EQ(uname(&u), 0);
	ASSERT_EQ(sscanf(u.release, "%d.%d", &major, &minor), 2);
	return strcmp(u.machine, "x86_64") == 0 && (major > 6 || (major == 6 && minor >= 12));
}

uint64_t rt_features_expected(void)
{
	return RT_FEATURES_ALL | (rt_kernel_maps_pmd() ? RATMEM_FEATURE_HUGE_PMD : 0);
}

uint64_t rt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int rt_read_proc(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int f;

	buf[0] = '\0';
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	n = read(f, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(f);
		return (int)n;
	}
	close(f);
	buf[n] = '\0';
	return 0;
}

char rt_task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *close_paren;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	if (rt_read_proc(path, buf, sizeof(buf)))
		return 0;
	/* The command name may hold spaces and parentheses: after the last ')'. */
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

/* Whether task @tid of @pid is inside ioctl(_, @request, _). */
static int task_in_ioctl(pid_t pid, pid_t tid, unsigned long request)
{
	char path[64], buf[256];
	unsigned long a0, a1;
	long nr;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
	r = rt_read_proc(path, buf, sizeof(buf));
	if (r)
		rt_fail(__FILE__, __LINE__, "read %s: %s", path, strerror(-r));
	if (sscanf(buf, "%ld 0x%lx 0x%lx", &nr, &a0, &a1) != 3)
		return 0;	/* "running" */
	return nr == SYS_ioctl && a1 == request;
}

void rt_await_in_ioctl(pid_t pid, pid_t tid, unsigned long request, const atomic_int *done)
{
	uint64_t deadline = rt_now_ns() + 10000000000ULL;

	for (;;) {
		char st = rt_task_state(pid, tid);

		if (done && atomic_load(done))
			rt_fail(__FILE__, __LINE__, "task %d returned instead of sleeping",
				(int)tid);
		if (st == 0 || st == 'Z' || st == 'X')
			rt_fail(__FILE__, __LINE__, "task %d is gone (state %c)", (int)tid,
				st ? st : '?');
		if (st == 'S' && task_in_ioctl(pid, tid, request))
			return;
		if (rt_now_ns() > deadline)
			rt_fail(__FILE__, __LINE__, "task %d never slept in ioctl %#lx (state %c)",
				(int)tid, request, st);
		usleep(1000);
	}
}
