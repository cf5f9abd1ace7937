/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem's selftest harness: tests register themselves with TEST(),
 * each runs in its own forked child under a timeout, and the results
 * are printed as KTAP so the VM runner can read them.
 *
 *   prog            run every test
 *   prog -l         list test names
 *   prog -t NAME    run only NAME (exit 0 with "1..0" if absent)
 *
 * Each test has a deadline (TEST_TIMEOUT, default 30 s) enforced by the
 * parent, which then kills the test's whole process group. With
 * RATMEM_BENCH set (the test VM does), a missing /dev/ratmem fails
 * instead of skipping.
 *
 * Inside a test, ASSERT_*() print a diagnostic and end the test as
 * failed; SKIP() ends it as skipped. Helpers that need a child of
 * their own (fork, SCM_RIGHTS) are free to fork: the test's process
 * is disposable.
 */
#ifndef RATMEM_HARNESS_H
#define RATMEM_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rt_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout_s;
};

#define RT_DEFAULT_TIMEOUT 30
#define RT_EXIT_SKIP 4
#define RT_EXIT_FAIL 1

#define RT_REGISTER(fn_, timeout_)					\
	static const struct rt_test rt_test_##fn_ = {			\
		.name = #fn_, .fn = fn_, .timeout_s = (timeout_) };	\
	static const struct rt_test *const rt_ptr_##fn_			\
	__attribute__((used, section("rt_tests"))) = &rt_test_##fn_

/* Declare a test with the default timeout. */
#define TEST(name)							\
	static void name(void);						\
	RT_REGISTER(name, RT_DEFAULT_TIMEOUT);				\
	static void name(void)

/* Declare a test with its own timeout in seconds. */
#define TEST_TIMEOUT(name, seconds)					\
	static void name(void);						\
	RT_REGISTER(name, seconds);					\
	static void name(void)

/*
 * Fixtures: setup and cleanup written once for the tests of a file that
 * start alike. Declare the state, its setup and its teardown, then the
 * tests, which see the state as `self`:
 *
 *   FIXTURE(region) { int fd; uint32_t h; };
 *   FIXTURE_SETUP(region) { self->fd = rt_open_ctx(); ... }
 *   FIXTURE_TEARDOWN(region) { close(self->fd); }
 *   TEST_F(region, commit_twice) { ... self->h ... }
 *
 * The test's child runs the setup on zeroed state, the body, and the
 * teardown when the body returns (a failed ASSERT ends the child at
 * once: the process going away is the cleanup then).
 */
#define FIXTURE(f)		struct rt_fixture_##f
#define FIXTURE_SETUP(f)	static void rt_setup_##f(struct rt_fixture_##f *self)
#define FIXTURE_TEARDOWN(f)	static void rt_teardown_##f(struct rt_fixture_##f *self)

#define TEST_F_TIMEOUT(f, name, seconds)				\
	static void name##_body(struct rt_fixture_##f *self);		\
	static void name(void)						\
	{								\
		struct rt_fixture_##f rt_self_;				\
									\
		memset(&rt_self_, 0, sizeof(rt_self_));			\
		rt_setup_##f(&rt_self_);				\
		name##_body(&rt_self_);					\
		rt_teardown_##f(&rt_self_);				\
	}								\
	RT_REGISTER(name, seconds);					\
	static void name##_body(struct rt_fixture_##f *self)

#define TEST_F(f, name) TEST_F_TIMEOUT(f, name, RT_DEFAULT_TIMEOUT)

void rt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void rt_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void rt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define SKIP(...) rt_skip(__VA_ARGS__)

#define ASSERT_TRUE(cond)						\
	do {								\
		if (!(cond))						\
			rt_fail(__FILE__, __LINE__, "%s is false", #cond); \
	} while (0)

#define ASSERT_EQ(a, b)							\
	do {								\
		long long rt_a_ = (long long)(a);			\
		long long rt_b_ = (long long)(b);			\
		if (rt_a_ != rt_b_)					\
			rt_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
				#a, rt_a_, #b, rt_b_);			\
	} while (0)

#define ASSERT_NE(a, b)							\
	do {								\
		long long rt_a_ = (long long)(a);			\
		long long rt_b_ = (long long)(b);			\
		if (rt_a_ == rt_b_)					\
			rt_fail(__FILE__, __LINE__, "%s == %lld, expected anything else", \
				#a, rt_a_);				\
	} while (0)

/* A -errno style result must be exactly -err. */
#define ASSERT_ERRNO(expr, err)						\
	do {								\
		long long rt_r_ = (long long)(expr);			\
		if (rt_r_ != -(err))					\
			rt_fail(__FILE__, __LINE__, "%s returned %lld (%s), expected -%s", \
				#expr, rt_r_, rt_r_ < 0 ? strerror((int)-rt_r_) : "no error", \
				#err);					\
	} while (0)

/* A libc call returning -1/errno must fail with exactly err. */
#define ASSERT_SYSCALL_ERRNO(expr, err)					\
	do {								\
		errno = 0;						\
		long long rt_r_ = (long long)(expr);			\
		int rt_e_ = errno;					\
		if (rt_r_ != -1 || rt_e_ != (err))			\
			rt_fail(__FILE__, __LINE__, "%s returned %lld errno %d (%s), expected -1 errno %s", \
				#expr, rt_r_, rt_e_, strerror(rt_e_), #err); \
	} while (0)

/*
 * rt_access_signal() - run fn(arg) and report which fault signal, if
 * any, it raised: SIGSEGV, SIGBUS, or 0 when it returned normally.
 */
int rt_access_signal(void (*fn)(void *arg), void *arg);

#define ASSERT_FAULTS(sig, fn, arg)					\
	do {								\
		int rt_s_ = rt_access_signal(fn, arg);			\
		if (rt_s_ != (sig))					\
			rt_fail(__FILE__, __LINE__, "%s(%s) raised signal %d, expected %s (%d)", \
				#fn, #arg, rt_s_, #sig, sig);		\
	} while (0)

/*
 * rt_child_status() - run fn(arg) in a forked child; return its wait
 * status. The child exits 0 when fn returns; ASSERT_*() failures in it
 * print their diagnostic and exit non-zero.
 */
int rt_child_status(void (*fn)(void *arg), void *arg);

#define ASSERT_CHILD_OK(fn, arg)					\
	do {								\
		int rt_w_ = rt_child_status(fn, arg);			\
		if (rt_w_ != 0)						\
			rt_fail(__FILE__, __LINE__, "child %s failed (wait status 0x%x)", \
				#fn, rt_w_);				\
	} while (0)

#endif /* RATMEM_HARNESS_H */
