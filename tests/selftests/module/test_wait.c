// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: WAIT and WAKE on 32-bit words of a region (the wait/wake
 * block of uapi/linux/ratmem.h; revocation as in contract section 5).
 *
 * A test never wakes a waiter it has not seen asleep: await_asleep()
 * polls /proc/PID/task/TID/{stat,syscall} until the waiter sleeps
 * (state S) inside ioctl(RATMEM_IOC_WAIT), which it can only do once it
 * is queued. So every WAKE below must find its waiters at the first try,
 * with no lost-wakeup race in the test itself.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "share.h"
#include "util.h"

#define ALL RATMEM_RIGHTS_ALL
#define RW (PROT_READ | PROT_WRITE)
#define R_ RATMEM_RIGHT_READ
#define W_ RATMEM_RIGHT_WRITE
#define M_ RATMEM_RIGHT_MAP

/* ---- context, feature check -------------------------------------------- */

/* A context of the calling process with WAIT/WAKE (and @more features). */
static int ctx(uint64_t more)
{
	return rt_open_ctx_need(RATMEM_FEATURE_WAIT | RATMEM_FEATURE_MEMORY | more,
				(1ULL << RATMEM_IOC_NR_WAIT) | (1ULL << RATMEM_IOC_NR_WAKE));
}

/* ---- raw ioctl wrappers: 0 or -errno ---------------------------------- */

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int wait_word(int fd, uint32_t handle, uint64_t offset, uint32_t expected,
		     int64_t timeout_ns)
{
	struct ratmem_wait w = { .handle = handle, .offset = offset, .expected = expected,
				 .timeout_ns = timeout_ns };

	return ioc(fd, RATMEM_IOC_WAIT, &w);
}

/* WAKE: 0 or -errno; *woken gets the count (left alone on error). */
static int wake_word(int fd, uint32_t handle, uint64_t offset, uint32_t count, uint32_t *woken)
{
	struct ratmem_wake k = { .handle = handle, .offset = offset, .count = count };
	int r = ioc(fd, RATMEM_IOC_WAKE, &k);

	if (!r && woken)
		*woken = k.woken;
	return r;
}

/* WAKE that must succeed; returns how many were woken. */
static uint32_t wake_ok(int fd, uint32_t handle, uint64_t offset, uint32_t count)
{
	uint32_t woken = 0;
	int r = wake_word(fd, handle, offset, count, &woken);

	if (r)
		rt_fail(__FILE__, __LINE__, "WAKE offset %llu: %s", (unsigned long long)offset,
			strerror(-r));
	return woken;
}

static int hclose(int fd, uint32_t handle)
{
	struct ratmem_close c = { .handle = handle };

	return ioc(fd, RATMEM_IOC_CLOSE, &c);
}


static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- is a task asleep in WAIT? ----------------------------------------- */

/* Wait (10 s at most) until task @tid of @pid sleeps inside WAIT. */
static void await_asleep(pid_t pid, pid_t tid, const atomic_int *done)
{
	rt_await_in_ioctl(pid, tid, RATMEM_IOC_WAIT, done);
}

/* ---- waiter threads ----------------------------------------------------- */

struct waiter {
	int fd;
	uint32_t handle;
	uint64_t offset;
	uint32_t expected;
	int64_t timeout_ns;
	pthread_t thread;
	atomic_int tid;
	atomic_int done;
	int result;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->tid, (int)gettid());
	w->result = wait_word(w->fd, w->handle, w->offset, w->expected, w->timeout_ns);
	atomic_store(&w->done, 1);
	return NULL;
}

/* Start a waiter thread and return once it sleeps in WAIT. */
static void waiter_start(struct waiter *w)
{
	uint64_t deadline = rt_now_ns() + 10000000000ULL;

	atomic_store(&w->tid, 0);
	atomic_store(&w->done, 0);
	w->result = 1;
	ASSERT_EQ(pthread_create(&w->thread, NULL, waiter_main, w), 0);
	while (!atomic_load(&w->tid)) {
		ASSERT_TRUE(rt_now_ns() < deadline);
		sleep_ms(1);
	}
	await_asleep(getpid(), (pid_t)atomic_load(&w->tid), &w->done);
}

/* Wait (10 s at most) for the thread to return; its WAIT result. */
static int waiter_join(struct waiter *w)
{
	uint64_t deadline = rt_now_ns() + 10000000000ULL;

	while (!atomic_load(&w->done)) {
		if (rt_now_ns() > deadline)
			rt_fail(__FILE__, __LINE__, "waiter %d was not woken",
				atomic_load(&w->tid));
		sleep_ms(1);
	}
	ASSERT_EQ(pthread_join(w->thread, NULL), 0);
	return w->result;
}

/* ---- peers: forked helper processes with a message channel ----------- */

struct peer {
	pid_t pid;
	int sock;
};

static struct peer peer_start(void (*fn)(int sock, void *arg), void *arg)
{
	int sv[2];
	pid_t pid;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		fn(sv[1], arg);
		fflush(stdout);
		_exit(0);
	}
	close(sv[1]);
	return (struct peer){ pid, sv[0] };
}

static void peer_end(struct peer *p)
{
	int status;

	close(p->sock);
	ASSERT_EQ(waitpid(p->pid, &status, 0), p->pid);
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "peer %d failed (wait status 0x%x)", (int)p->pid,
			status);
}

/* ---- named regions, for the cross-process tests ------------------------ */

struct named {
	char name[RATMEM_NAME_MAX];
	uint64_t id;
};

static uint32_t named_create(int fd, struct named *n, const char *tag, uint64_t pages)
{
	struct ratmem_named_create c = { .size = pages * PG, .rights = ALL, .mode = 0600,
					 .flags = RATMEM_CREATE_COMMIT };

	snprintf(n->name, sizeof(n->name), "rtw-%s-%d", tag, (int)getpid());
	c.name = (uintptr_t)n->name;
	ASSERT_EQ(ioc(fd, RATMEM_IOC_NAMED_CREATE, &c), 0);
	ASSERT_NE(c.handle, 0);
	n->id = c.region_id;
	return c.handle;
}

static uint32_t named_open(int fd, const struct named *n, uint32_t rights)
{
	struct ratmem_named_open o = { .name = (uintptr_t)n->name, .rights = rights };

	ASSERT_EQ(ioc(fd, RATMEM_IOC_NAMED_OPEN, &o), 0);
	ASSERT_EQ(o.region_id, n->id);
	return o.handle;
}

static int named_unlink(int fd, const struct named *n, uint32_t flags)
{
	struct ratmem_unlink u = { .name = (uintptr_t)n->name, .flags = flags };

	return ioc(fd, RATMEM_IOC_UNLINK, &u);
}

/* ======================================================================= */

/*
 * Most tests: a context of the caller's own, and at the end every
 * module counter back where it was.
 */
FIXTURE(ctx) {
	struct rt_counters before;
	int fd;
};

FIXTURE_SETUP(ctx)
{
	self->before = rt_counters_now();
	self->fd = ctx(0);
}

FIXTURE_TEARDOWN(ctx)
{
	ASSERT_EQ(close(self->fd), 0);
	rt_counters_expect(self->before, RT_C_ALL);
}

/* WAIT is EAGAIN at once when the word (read from the region) differs from expected. */
TEST_F(ctx, wait_value_differs_eagain)
{
	int fd = self->fd;
	uint32_t h = rt_region(fd, 2, ALL, RATMEM_CREATE_COMMIT);
	uint32_t ronly = rt_dup(fd, h, R_);	/* READ alone suffices */
	volatile uint32_t *w = rt_map_ok(fd, h, 0, PG, RW);

	w[16] = 0x12345678;
	ASSERT_ERRNO(wait_word(fd, h, 64, 0, RATMEM_WAIT_FOREVER), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, 64, 0x12345679, RATMEM_WAIT_FOREVER), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, 64, 0x78563412, 0), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, 64, 0, 1000000000LL), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, ronly, 64, 0, RATMEM_WAIT_FOREVER), EAGAIN);
	/* The value WAIT compares is the one in the region, not a copy. */
	ASSERT_ERRNO(wait_word(fd, h, 64, 0x12345678, 0), ETIMEDOUT);
	w[16] = 7;
	ASSERT_ERRNO(wait_word(fd, h, 64, 0x12345678, RATMEM_WAIT_FOREVER), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, 64, 7, 0), ETIMEDOUT);
	/* The neighbouring words are separate. */
	ASSERT_ERRNO(wait_word(fd, h, 60, 7, 0), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, 60, 0, 0), ETIMEDOUT);
	/* Page 1 is committed but untouched: zero. */
	ASSERT_ERRNO(wait_word(fd, h, PG + 8, 1, RATMEM_WAIT_FOREVER), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, PG + 8, 0, 0), ETIMEDOUT);
	/* Decommit and commit again: zero again. */
	ASSERT_EQ(rt_decommit(fd, h, 0, PG), 0);
	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	ASSERT_ERRNO(wait_word(fd, h, 64, 7, RATMEM_WAIT_FOREVER), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, 64, 0, 0), ETIMEDOUT);
	ASSERT_EQ(w[16], 0);
	ASSERT_EQ(munmap((void *)w, PG), 0);
}

/* Timeouts: 0 only checks, 50 ms sleeps at least 50 ms (ETIMEDOUT), below -1 is EINVAL. */
TEST_F(ctx, wait_timeout_etimedout)
{
	int fd = self->fd;
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	static const int64_t bad[] = { -2, -3, -1000000000LL, INT64_MIN };
	uint64_t t0, elapsed;

	ASSERT_ERRNO(wait_word(fd, h, 0, 0, 0), ETIMEDOUT);
	ASSERT_ERRNO(wait_word(fd, h, 0, 0, 1), ETIMEDOUT);
	t0 = rt_now_ns();
	ASSERT_ERRNO(wait_word(fd, h, 0, 0, 50000000LL), ETIMEDOUT);
	elapsed = rt_now_ns() - t0;
	if (elapsed < 50000000ULL)
		rt_fail(__FILE__, __LINE__, "a 50 ms WAIT returned after %llu ns",
			(unsigned long long)elapsed);
	rt_diag("a 50 ms WAIT took %llu us", (unsigned long long)(elapsed / 1000));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_ERRNO(wait_word(fd, h, 0, 0, bad[i]), EINVAL);
	ASSERT_EQ(wake_ok(fd, h, 0, ~0U), 0);	/* nobody left queued */
}

/* WAIT argument errors: EINVAL, EFAULT (uncommitted), EPERM (no READ), EBADF, EFAULT. */
TEST(wait_bad_arguments)
{
	static const uint64_t bad_off[] = {
		1, 2, 3, 5, PG - 1, 4 * PG, 4 * PG + 4, 8 * PG, 1ULL << 40, 1ULL << 63,
		~0ULL, ~0ULL & ~3ULL, (~0ULL & ~3ULL) - 4 * PG + 4,
	};
	struct rt_counters before = rt_counters_now();
	int fd = ctx(0);
	int other = ctx(0);
	uint32_t h = rt_region(fd, 4, ALL, 0);
	uint32_t noread = rt_dup(fd, h, W_ | M_);
	uint32_t closed = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	uint32_t theirs = 0;
	struct ratmem_wait w;

	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);	/* page 0 only */
	ASSERT_EQ(rt_commit(fd, h, 2 * PG, PG), 0);	/* and page 2 */
	ASSERT_ERRNO(wait_word(fd, h, 0, 0, 0), ETIMEDOUT);
	ASSERT_ERRNO(wait_word(fd, h, PG - 4, 0, 0), ETIMEDOUT);
	ASSERT_ERRNO(wait_word(fd, h, 3 * PG - 4, 0, 0), ETIMEDOUT);
	for (size_t i = 0; i < sizeof(bad_off) / sizeof(bad_off[0]); i++)
		ASSERT_ERRNO(wait_word(fd, h, bad_off[i], 0, RATMEM_WAIT_FOREVER), EINVAL);
	/* Uncommitted pages: never committed, and decommitted. */
	ASSERT_ERRNO(wait_word(fd, h, PG, 0, RATMEM_WAIT_FOREVER), EFAULT);
	ASSERT_ERRNO(wait_word(fd, h, 4 * PG - 4, 0, RATMEM_WAIT_FOREVER), EFAULT);
	ASSERT_EQ(rt_decommit(fd, h, 2 * PG, PG), 0);
	ASSERT_ERRNO(wait_word(fd, h, 2 * PG + 8, 0, RATMEM_WAIT_FOREVER), EFAULT);
	/* Rights and handles. */
	ASSERT_ERRNO(wait_word(fd, noread, 0, 0, RATMEM_WAIT_FOREVER), EPERM);
	ASSERT_EQ(hclose(fd, closed), 0);
	ASSERT_ERRNO(wait_word(fd, closed, 0, 0, RATMEM_WAIT_FOREVER), EBADF);
	ASSERT_ERRNO(wait_word(fd, 0, 0, 0, RATMEM_WAIT_FOREVER), EBADF);
	ASSERT_ERRNO(wait_word(fd, RATMEM_HANDLE_MAX, 0, 0, RATMEM_WAIT_FOREVER), EBADF);
	ASSERT_ERRNO(wait_word(fd, ~0U, 0, 0, RATMEM_WAIT_FOREVER), EBADF);
	for (int i = 0; i < 8; i++)
		theirs = rt_region(other, 1, ALL, RATMEM_CREATE_COMMIT);
	ASSERT_TRUE(theirs != h && theirs != noread);
	ASSERT_ERRNO(wait_word(fd, theirs, 0, 0, RATMEM_WAIT_FOREVER), EBADF);
	ASSERT_ERRNO(wait_word(other, theirs, 0, 0, 0), ETIMEDOUT);
	/* Flags, pad and reserved words. */
	for (int bit = 0; bit < 32; bit++) {
		w = (struct ratmem_wait){ .handle = h, .flags = 1U << bit,
					  .timeout_ns = RATMEM_WAIT_FOREVER };
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_WAIT, &w), EINVAL);
	}
	w = (struct ratmem_wait){ .handle = h, .pad = 1, .timeout_ns = RATMEM_WAIT_FOREVER };
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_WAIT, &w), EINVAL);
	for (int i = 0; i < 2; i++) {
		w = (struct ratmem_wait){ .handle = h, .timeout_ns = RATMEM_WAIT_FOREVER };
		w.reserved[i] = 1;
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_WAIT, &w), EINVAL);
	}
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_WAIT, NULL), EFAULT);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_WAIT, (void *)1), EFAULT);
	ASSERT_EQ(close(fd), 0);
	ASSERT_EQ(close(other), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* WAKE argument errors as WAIT's plus count 0 EINVAL; no waiter gives woken = 0. */
TEST(wake_bad_arguments_and_no_waiters)
{
	static const uint64_t bad_off[] = { 1, 2, 3, PG - 1, 2 * PG, 2 * PG + 4, 1ULL << 63,
					    ~0ULL & ~3ULL };
	struct rt_counters before = rt_counters_now();
	int fd = ctx(0);
	uint32_t h = rt_region(fd, 2, ALL, 0);
	uint32_t noread = rt_dup(fd, h, W_ | M_);
	uint32_t ronly = rt_dup(fd, h, R_);
	uint32_t closed = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	uint32_t woken = 77;
	struct ratmem_wake k;

	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	ASSERT_EQ(wake_word(fd, h, 0, 1, &woken), 0);
	ASSERT_EQ(woken, 0);
	ASSERT_EQ(wake_ok(fd, h, PG - 4, ~0U), 0);
	ASSERT_EQ(wake_ok(fd, ronly, 8, 5), 0);
	ASSERT_ERRNO(wake_word(fd, h, 0, 0, NULL), EINVAL);
	for (size_t i = 0; i < sizeof(bad_off) / sizeof(bad_off[0]); i++)
		ASSERT_ERRNO(wake_word(fd, h, bad_off[i], 1, NULL), EINVAL);
	/* The header's committed-page rule (EFAULT) is read as applying to WAKE too. */
	ASSERT_ERRNO(wake_word(fd, h, PG, 1, NULL), EFAULT);
	ASSERT_ERRNO(wake_word(fd, noread, 0, 1, NULL), EPERM);
	ASSERT_EQ(hclose(fd, closed), 0);
	ASSERT_ERRNO(wake_word(fd, closed, 0, 1, NULL), EBADF);
	ASSERT_ERRNO(wake_word(fd, 0, 0, 1, NULL), EBADF);
	ASSERT_ERRNO(wake_word(fd, ~0U, 0, 1, NULL), EBADF);
	for (int bit = 0; bit < 32; bit++) {
		k = (struct ratmem_wake){ .handle = h, .flags = 1U << bit, .count = 1 };
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_WAKE, &k), EINVAL);
	}
	for (int i = 0; i < 2; i++) {
		k = (struct ratmem_wake){ .handle = h, .count = 1 };
		k.reserved[i] = 1;
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_WAKE, &k), EINVAL);
	}
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_WAKE, NULL), EFAULT);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

static void cross_waiter(int sock, void *argp)
{
	const struct named *n = argp;
	int fd = ctx(RATMEM_FEATURE_NAMED);
	uint32_t h = named_open(fd, n, R_ | M_);
	volatile uint32_t *w = rt_map_ok(fd, h, 0, PG, PROT_READ);

	ASSERT_EQ(w[32], 0);
	rt_send(sock, 1);
	ASSERT_EQ(wait_word(fd, h, 128, 0, RATMEM_WAIT_FOREVER), 0);
	ASSERT_EQ(w[32], 1);			/* the waker's store, seen here */
	rt_send(sock, 2);
	ASSERT_EQ(munmap((void *)w, PG), 0);
	ASSERT_EQ(close(fd), 0);
}

/* A store and WAKE in one process wakes a WAIT of another on the same region word. */
TEST(wait_woken_by_other_process)
{
	struct rt_counters before = rt_counters_now();
	int fd = ctx(RATMEM_FEATURE_NAMED);
	struct named n;
	uint32_t h = named_create(fd, &n, "cross", 1);
	volatile uint32_t *w = rt_map_ok(fd, h, 0, PG, RW);
	struct peer b;

	b = peer_start(cross_waiter, &n);
	ASSERT_EQ(rt_recv(b.sock), 1);
	await_asleep(b.pid, b.pid, NULL);
	/* Nothing on the neighbouring words or another count wakes it. */
	ASSERT_EQ(wake_ok(fd, h, 124, ~0U), 0);
	ASSERT_EQ(wake_ok(fd, h, 132, ~0U), 0);
	w[32] = 1;
	ASSERT_EQ(wake_ok(fd, h, 128, 1), 1);
	ASSERT_EQ(rt_recv(b.sock), 2);
	peer_end(&b);
	ASSERT_EQ(wake_ok(fd, h, 128, ~0U), 0);
	ASSERT_EQ(named_unlink(fd, &n, 0), 0);
	ASSERT_EQ(munmap((void *)w, PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

/* WAKE count 2 wakes exactly the two oldest waiters of the word, and only that word's. */
TEST_F(ctx, wake_count_oldest_first)
{
	int fd = self->fd;
	uint32_t h1 = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	uint32_t h1b = rt_dup(fd, h1, R_);
	uint32_t h2 = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	struct waiter t[5] = {
		{ .fd = fd, .handle = h1, .offset = 64 },
		{ .fd = fd, .handle = h1b, .offset = 64 },
		{ .fd = fd, .handle = h1, .offset = 64 },
		{ .fd = fd, .handle = h1, .offset = 128 },	/* another word */
		{ .fd = fd, .handle = h2, .offset = 64 },	/* another region */
	};

	for (int i = 0; i < 5; i++) {
		t[i].timeout_ns = RATMEM_WAIT_FOREVER;
		waiter_start(&t[i]);	/* queued in this order */
	}
	ASSERT_EQ(wake_ok(fd, h1, 64, 2), 2);
	ASSERT_EQ(waiter_join(&t[0]), 0);
	ASSERT_EQ(waiter_join(&t[1]), 0);
	sleep_ms(100);
	for (int i = 2; i < 5; i++) {
		ASSERT_EQ(atomic_load(&t[i].done), 0);
		await_asleep(getpid(), (pid_t)atomic_load(&t[i].tid), &t[i].done);
	}
	ASSERT_EQ(wake_ok(fd, h1b, 64, ~0U), 1);	/* either handle: one key */
	ASSERT_EQ(waiter_join(&t[2]), 0);
	ASSERT_EQ(wake_ok(fd, h1, 64, ~0U), 0);
	sleep_ms(50);
	ASSERT_EQ(atomic_load(&t[3].done), 0);
	ASSERT_EQ(atomic_load(&t[4].done), 0);
	ASSERT_EQ(wake_ok(fd, h1, 128, ~0U), 1);
	ASSERT_EQ(waiter_join(&t[3]), 0);
	ASSERT_EQ(atomic_load(&t[4].done), 0);
	ASSERT_EQ(wake_ok(fd, h2, 64, 1), 1);
	ASSERT_EQ(waiter_join(&t[4]), 0);
}

/* ======================================================================= */

static atomic_int usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&usr1_seen, 1);
}

/* A signal without SA_RESTART ends a WAIT with EINTR and dequeues the waiter. */
TEST_F(ctx, wait_interrupted_by_signal_eintr)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int fd = self->fd;
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	static const int64_t limits[] = { RATMEM_WAIT_FOREVER, 20000000000LL };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;			/* no SA_RESTART */
	ASSERT_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		struct waiter t = { .fd = fd, .handle = h, .offset = 16,
				    .timeout_ns = limits[i] };
		int seen = atomic_load(&usr1_seen);

		waiter_start(&t);
		ASSERT_EQ(pthread_kill(t.thread, SIGUSR1), 0);
		ASSERT_EQ(-waiter_join(&t), EINTR);
		ASSERT_EQ(atomic_load(&usr1_seen), seen + 1);
		ASSERT_EQ(wake_ok(fd, h, 16, ~0U), 0);
	}
}

/* ======================================================================= */

static void revoked_waiter(int sock, void *argp)
{
	const struct named *n = argp;
	int fd = ctx(RATMEM_FEATURE_NAMED);
	uint32_t h = named_open(fd, n, R_ | M_);

	rt_send(sock, 1);
	ASSERT_ERRNO(wait_word(fd, h, 256, 0, RATMEM_WAIT_FOREVER), ENOLINK);
	/* The handle stays revoked. */
	ASSERT_ERRNO(wait_word(fd, h, 256, 0, 0), ENOLINK);
	ASSERT_ERRNO(wait_word(fd, h, 256, 5, RATMEM_WAIT_FOREVER), ENOLINK);
	ASSERT_ERRNO(wake_word(fd, h, 256, 1, NULL), ENOLINK);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 2);
}

/* Revoking a waiter's handle ends its WAIT with ENOLINK; the owner's waiter sleeps on. */
TEST(wait_revoke_wakes_with_enolink)
{
	struct rt_counters before = rt_counters_now();
	int fd = ctx(RATMEM_FEATURE_NAMED);
	struct named n;
	uint32_t h = named_create(fd, &n, "revoke", 1);
	struct waiter t = { .fd = fd, .handle = h, .offset = 256,
			    .timeout_ns = RATMEM_WAIT_FOREVER };
	struct peer b;

	b = peer_start(revoked_waiter, &n);
	ASSERT_EQ(rt_recv(b.sock), 1);
	await_asleep(b.pid, b.pid, NULL);
	waiter_start(&t);			/* after the fork: one thread forked */
	ASSERT_EQ(named_unlink(fd, &n, RATMEM_UNLINK_REVOKE), 0);
	ASSERT_EQ(rt_recv(b.sock), 2);
	peer_end(&b);
	sleep_ms(50);
	ASSERT_EQ(atomic_load(&t.done), 0);	/* the owner's waiter sleeps on */
	await_asleep(getpid(), (pid_t)atomic_load(&t.tid), &t.done);
	ASSERT_EQ(wait_word(fd, h, 256, 0, 0), -ETIMEDOUT);
	ASSERT_EQ(wake_ok(fd, h, 256, ~0U), 1);	/* only ours is left */
	ASSERT_EQ(waiter_join(&t), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

static void killed_waiter(int sock, void *argp)
{
	const struct named *n = argp;
	int fd = ctx(RATMEM_FEATURE_NAMED);
	uint32_t h = named_open(fd, n, R_ | M_);

	rt_send(sock, 1);
	wait_word(fd, h, 0, 0, RATMEM_WAIT_FOREVER);
	rt_fail(__FILE__, __LINE__, "WAIT returned although nobody woke it");
}

/* Waiters killed in their sleep leave no waiter and no object behind. */
TEST(wait_killed_waiters_leave_nothing)
{
	struct rt_counters before = rt_counters_now();
	int fd = ctx(RATMEM_FEATURE_NAMED);
	struct named n;
	uint32_t h = named_create(fd, &n, "killed", 1);
	struct peer b[3];
	int status;

	for (int i = 0; i < 3; i++) {
		b[i] = peer_start(killed_waiter, &n);
		ASSERT_EQ(rt_recv(b[i].sock), 1);
		await_asleep(b[i].pid, b[i].pid, NULL);
	}
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(kill(b[i].pid, SIGKILL), 0);
		ASSERT_EQ(waitpid(b[i].pid, &status, 0), b[i].pid);
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		close(b[i].sock);
	}
	ASSERT_EQ(wake_ok(fd, h, 0, ~0U), 0);
	ASSERT_EQ(named_unlink(fd, &n, 0), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ---- futexes on ratmem memory (docs/semantics.md, "Futexes") ----------- */

static long futex_op(volatile uint32_t *word, int op, uint32_t val)
{
	struct timespec zero = { 0 };

	return syscall(SYS_futex, word, op, val,
		       (op & ~FUTEX_PRIVATE_FLAG) == FUTEX_WAIT ? &zero : NULL, NULL, 0);
}

/*
 * Shared futexes need the page pinned, which VM_PFNMAP refuses: EFAULT.
 * Private ones are keyed by address and read the word through the page
 * tables, so they work on a committed page and fail with EFAULT on an
 * uncommitted one (the fault that would be SIGBUS in user mode).
 */
TEST_F(ctx, futex_shared_efault_private_works)
{
	int fd = self->fd;
	uint32_t h = rt_region(fd, 2, ALL, 0);
	volatile uint32_t *w = rt_map_ok(fd, h, 0, 2 * PG, RW);

	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	w[0] = 5;
	ASSERT_SYSCALL_ERRNO(futex_op(w, FUTEX_WAKE, 1), EFAULT);
	ASSERT_SYSCALL_ERRNO(futex_op(w, FUTEX_WAIT, 5), EFAULT);
	ASSERT_EQ(futex_op(w, FUTEX_WAKE_PRIVATE, 1), 0);
	ASSERT_SYSCALL_ERRNO(futex_op(w, FUTEX_WAIT_PRIVATE, 4), EAGAIN);
	ASSERT_SYSCALL_ERRNO(futex_op(w, FUTEX_WAIT_PRIVATE, 5), ETIMEDOUT);
	/* Page 1 is reserved, not committed. */
	ASSERT_SYSCALL_ERRNO(futex_op(w + PG / 4, FUTEX_WAIT_PRIVATE, 0), EFAULT);
	ASSERT_EQ(munmap((void *)w, 2 * PG), 0);
}
