/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by ratmem's selftests. */
#ifndef RATMEM_SELFTEST_UTIL_H
#define RATMEM_SELFTEST_UTIL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ratmem.h>

/*
 * Every feature bit this version of the module must report on every
 * kernel; RATMEM_FEATURE_HUGE_PMD comes on top where the kernel maps
 * huge pfnmaps (rt_kernel_maps_pmd()).
 */
#define RT_FEATURES_ALL (RATMEM_FEATURE_STATS | RATMEM_FEATURE_CONTEXT_BOUND | \
			 RATMEM_FEATURE_HANDLES | RATMEM_FEATURE_MEMORY | \
			 RATMEM_FEATURE_SHARING | RATMEM_FEATURE_NAMED | RATMEM_FEATURE_WAIT | \
			 RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_EVENTS | \
			 RATMEM_FEATURE_NAMED_PLACEMENT | RATMEM_FEATURE_HUGE_PAGES | \
			 RATMEM_FEATURE_POPULATE | RATMEM_FEATURE_NUMA | RATMEM_FEATURE_SEAL | \
			 RATMEM_FEATURE_LEASE | RATMEM_FEATURE_NOTICE | \
			 RATMEM_FEATURE_GRANT_RANGE)
/* RT_FEATURES_ALL, plus RATMEM_FEATURE_HUGE_PMD where the kernel must have it. */
uint64_t rt_features_expected(void);
/* The running kernel (uname) is 6.12 or later on x86-64: huge pfnmaps. */
int rt_kernel_maps_pmd(void);

/* Open /dev/ratmem or fail the test. */
int rt_open_ctx(void);
/* Module-wide open-context count, read through a fresh context (which
 * counts itself, so the value is one more than the caller's view). */
uint64_t rt_contexts_now(void);
/* Fail unless API on @fd reports every bit of @features and every bit
 * of @ioctls (1ULL << RATMEM_IOC_NR_*). */
void rt_need(int fd, uint64_t features, uint64_t ioctls);
/* rt_open_ctx(), then rt_need() on it. */
int rt_open_ctx_need(uint64_t features, uint64_t ioctls);
/* Send fd over a UNIX socket pair to a child and return the child's
 * wait status; the child runs fn(received_fd). */
int rt_pass_fd_to_child(int fd, void (*fn)(int received_fd));

/* RatInit() through the RatAPI and require the memory feature (or skip
 * outside the test VM when the module is missing). */
void rt_need_ratapi_memory(void);

/* Write a module parameter (/sys/module/ratmem/parameters/NAME): 0 or -errno. */
int rt_write_param(const char *name, const char *value);
/* A module parameter's text, without the newline; fails the test when unreadable. */
void rt_read_param(const char *name, char *buf, size_t len);

/* tracefs at RT_TRACEFS, mounted if needed; SKIP when the kernel has none. */
#define RT_TRACEFS "/sys/kernel/tracing"
void rt_need_tracefs(void);
/* Write @text to @path (open flags | O_WRONLY) in one write, or fail. */
void rt_write_file(const char *path, const char *text, int flags);
/* The whole of @path, NUL-terminated, in a buffer the caller frees; or fail. */
char *rt_read_file(const char *path);
/* CLOCK_MONOTONIC in nanoseconds: the clock of leases and deadlines. */
uint64_t rt_now_ns(void);

/* Read a small /proc file into @buf (NUL-terminated); -errno when it
 * cannot be read (the task is gone, for one). */
int rt_read_proc(const char *path, char *buf, size_t len);
/* The state letter of task @tid of process @pid (R, S, D, Z, ...), or 0
 * when it is gone. */
char rt_task_state(pid_t pid, pid_t tid);
/*
 * Wait (10 s at most) until task @tid of @pid sleeps interruptibly (S)
 * inside ioctl(_, @request, _); fail if it is gone, or if *@done (when
 * not NULL) says it returned instead. Sound where the ioctl's only
 * interruptible sleep is the one the caller waits for (its locks and
 * allocations sleep in D).
 */
void rt_await_in_ioctl(pid_t pid, pid_t tid, unsigned long request, const atomic_int *done);

#endif
