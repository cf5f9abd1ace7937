// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: heap telemetry. RatMemHeapStats() figures, exact after a
 * scripted sequence of calls (they follow the heap's layout: 64 KiB
 * units of 4 MiB segments, one unit per span for classes up to 8 KiB,
 * the current span of such a class kept when it empties, requests above
 * 128 KiB in regions of their own reserving twice their size);
 * RatMemHeapDump() lines; the RAT_HEAP_LEAKCHECK=1 report at exit. Each
 * test runs in a fresh child of the harness, so the heap starts empty.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

#define UNIT 65536UL

static RatHeapStats stats(void)
{
	RatHeapStats s;

	memset(&s, 0xff, sizeof(s));
	ASSERT_EQ(RatMemHeapStats(&s), RAT_STATUS_OK);
	return s;
}

#define ASSERT_STATS(s, use, com, n, fr, big)				\
	do {								\
		ASSERT_EQ((s).bytes_in_use, (size_t)(use));		\
		ASSERT_EQ((s).bytes_committed, (size_t)(com));		\
		ASSERT_EQ((s).allocations, (size_t)(n));		\
		ASSERT_EQ((s).bytes_free, (size_t)(fr));		\
		ASSERT_EQ((s).largest_free_block, (size_t)(big));	\
	} while (0)

TEST(stats_follow_a_scripted_sequence)
{
	unsigned char *a, *b, *c, *big;
	RatHeapStats s;

	rt_need_ratapi_memory();
	s = stats();
	ASSERT_STATS(s, 0, 0, 0, 0, 0);
	ASSERT_TRUE(s.fragmentation == 0.0);
	a = RatMemAlloc(100);			/* class 112: a span of one unit */
	ASSERT_TRUE(a != NULL);
	s = stats();
	ASSERT_STATS(s, 100, UNIT, 1, UNIT - 112, 112);
	b = RatMemAlloc(1000);			/* class 1024 */
	c = RatMemAlloc(50);			/* class 64 */
	ASSERT_TRUE(b && c);
	s = stats();
	ASSERT_STATS(s, 1150, 3 * UNIT, 3, 3 * UNIT - 1200, 1024);
	/* b's span is empty but current for its class: kept. */
	ASSERT_EQ(RatMemFree(b), RAT_STATUS_OK);
	s = stats();
	ASSERT_STATS(s, 150, 3 * UNIT, 2, 3 * UNIT - 176, 1024);
	ASSERT_TRUE(s.fragmentation == 1.0 - 1024.0 / (double)(3 * UNIT - 176));
	/* A large request: a region of its own, 74 pages committed of 148. */
	big = RatMemAlloc(300000);
	ASSERT_TRUE(big != NULL);
	s = stats();
	ASSERT_STATS(s, 300150, 3 * UNIT + 74 * 4096, 3, 3 * UNIT - 176, 1024);
	/* Shrinking in place changes only what is in use. */
	ASSERT_TRUE(RatMemRealloc(a, 10) == a);
	s = stats();
	ASSERT_STATS(s, 300060, 3 * UNIT + 74 * 4096, 3, 3 * UNIT - 176, 1024);
	/* Growing in place commits more of the large region. */
	ASSERT_TRUE(RatMemRealloc(big, 500000) == big);
	s = stats();
	ASSERT_STATS(s, 500060, 3 * UNIT + 123 * 4096, 3, 3 * UNIT - 176, 1024);
	ASSERT_EQ(RatMemFree(big), RAT_STATUS_OK);
	ASSERT_EQ(RatMemFree(a), RAT_STATUS_OK);
	ASSERT_EQ(RatMemFree(c), RAT_STATUS_OK);
	/* The three spans stay for their classes, empty. */
	s = stats();
	ASSERT_STATS(s, 0, 3 * UNIT, 0, 3 * UNIT, 1024);
	/* Refused frees change nothing. */
	ASSERT_EQ(RatMemFree(a), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemFree(big), RAT_STATUS_INVALID_ARG);
	s = stats();
	ASSERT_STATS(s, 0, 3 * UNIT, 0, 3 * UNIT, 1024);
	ASSERT_EQ(RatMemHeapStats(NULL), RAT_STATUS_INVALID_ARG);
}

TEST(dump_lists_live_allocations)
{
	void *a, *b, *c, *big;
	char *text = NULL, line[128];
	size_t len = 0, seen = 0;
	FILE *f;

	rt_need_ratapi_memory();
	a = RatMemAlloc(100);
	b = RatMemAlloc(7);
	c = RatMemCalloc(3, 11);
	big = RatMemAlloc(400000);
	ASSERT_TRUE(a && b && c && big);
	ASSERT_EQ(RatMemFree(b), RAT_STATUS_OK);
	f = open_memstream(&text, &len);
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(RatMemHeapDump(f), RAT_STATUS_OK);
	ASSERT_EQ(fclose(f), 0);
	f = fmemopen(text, len, "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		void *p;
		size_t n;

		ASSERT_EQ(sscanf(line, "%p %zu", &p, &n), 2);
		if (p == a)
			ASSERT_EQ(n, 100);
		else if (p == c)
			ASSERT_EQ(n, 33);
		else if (p == big)
			ASSERT_EQ(n, 400000);
		else
			rt_fail(__FILE__, __LINE__, "dump line for %p (%zu bytes)", p, n);
		seen++;
	}
	fclose(f);
	free(text);
	ASSERT_EQ(seen, 3);
	ASSERT_EQ(RatMemHeapDump(NULL), RAT_STATUS_INVALID_ARG);
	RatMemFree(a);
	RatMemFree(c);
	RatMemFree(big);
}

static void *volatile g_kept;

static void *volatile g_last;

/* Not a tail call (the store comes after), so the caller is in here. */
static __attribute__((noinline)) void *leak_here(size_t n)
{
	void *p = RatMemAlloc(n);

	g_last = p;
	return p;
}

/* Run a child that leaks 123 bytes (and frees 7) with the leak check on;
 * return what it wrote on stderr. */
static char *leaky_child_stderr(void)
{
	static char buf[4096];
	size_t got = 0;
	ssize_t n;
	int p[2], status;
	pid_t pid;

	ASSERT_EQ(pipe(p), 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		setenv("RAT_HEAP_LEAKCHECK", "1", 1);
		g_kept = leak_here(123);
		RatMemFree(leak_here(7));
		exit(g_kept ? 0 : 1);
	}
	close(p[1]);
	while (got < sizeof(buf) - 1 && (n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(p[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return buf;
}

TEST(leak_check_reports_live_allocations_at_exit)
{
	char *out, *line;
	void *at, *from;
	size_t n;

	rt_need_ratapi_memory();
	out = leaky_child_stderr();
	line = strstr(out, "librat: leak: ");
	ASSERT_TRUE(line != NULL);
	ASSERT_EQ(sscanf(line, "librat: leak: %zu bytes at %p, allocated from %p", &n, &at, &from),
		  3);
	ASSERT_EQ(n, 123);
	/* The caller is leak_here(), a few instructions in. */
	ASSERT_TRUE((char *)from > (char *)leak_here && (char *)from < (char *)leak_here + 256);
	ASSERT_TRUE(strstr(line + 1, "librat: leak: ") == NULL);	/* only one */
	ASSERT_TRUE(strstr(out, "librat: 1 allocation (123 bytes) still live at exit\n") != NULL);
}

TEST(no_report_without_leak_check)
{
	int p[2], status;
	char buf[256];
	ssize_t n;
	pid_t pid;

	rt_need_ratapi_memory();
	ASSERT_EQ(pipe(p), 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		unsetenv("RAT_HEAP_LEAKCHECK");
		g_kept = RatMemAlloc(10);
		exit(0);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf));
	close(p[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_EQ(n, 0);
}
