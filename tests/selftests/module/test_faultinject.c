// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: fail the Nth allocation (slab or page) of one ioctl,
 * mmap or page fault, for N = 1, 2, ... until the call completes
 * without reaching an Nth allocation, and check that every call either
 * succeeds or fails cleanly (ENOMEM, no state change) and that the
 * module's counters come back. Needs CONFIG_FAULT_INJECTION with
 * failslab and fail_page_alloc in debugfs (the debug kernel); skipped
 * elsewhere.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL
#define MAX_NTH 200

static void write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		rt_fail(__FILE__, __LINE__, "open %s: %s", path, strerror(errno));
	ASSERT_EQ(write(fd, value, strlen(value)), (long)strlen(value));
	ASSERT_EQ(close(fd), 0);
}

/* Make failslab and fail_page_alloc honour fail-nth for every allocation. */
static void setup_injection(void)
{
	if (access("/proc/thread-self/fail-nth", W_OK) ||
	    access("/sys/kernel/debug/failslab/ignore-gfp-wait", W_OK) ||
	    access("/sys/kernel/debug/fail_page_alloc/min-order", W_OK))
		SKIP("no fault injection (needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, debugfs)");
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	write_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
	write_file("/sys/kernel/debug/fail_page_alloc/min-order", "0");
	write_file("/sys/kernel/debug/fail_page_alloc/verbose", "0");
}

static int nth_fd = -1;

/* Arm: the Nth fault-injection point of this thread fails. */
static void arm(int nth)
{
	char buf[16];

	if (nth_fd < 0)
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	ASSERT_TRUE(nth_fd >= 0);
	snprintf(buf, sizeof(buf), "%d", nth);
	ASSERT_EQ(pwrite(nth_fd, buf, strlen(buf), 0), (long)strlen(buf));
}

/* Disarm; return true when the armed failure was injected. */
static int disarm(void)
{
	char buf[16] = { 0 };
	int left;

	ASSERT_TRUE(pread(nth_fd, buf, sizeof(buf) - 1, 0) > 0);
	left = atoi(buf);
	ASSERT_EQ(pwrite(nth_fd, "0", 1, 0), 1);
	return left == 0;
}

struct outcome {
	int ok, enomem;
};

/*
 * Some injected failures are absorbed below ratmem (the maple tree
 * retries a failed GFP_NOWAIT allocation with the caller's flags), so
 * not every one surfaces as ENOMEM; but the loop must have reached at
 * least one allocation, or it tested nothing.
 */
static void report(const char *what, struct outcome o)
{
	rt_diag("%s: %d injected failures gave ENOMEM, %d were absorbed", what, o.enomem, o.ok);
	ASSERT_TRUE(o.enomem + o.ok > 0);
}

TEST_TIMEOUT(inject_create, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	struct outcome o = { 0 };
	int nth;

	setup_injection();
	for (nth = 1; nth < MAX_NTH; nth++) {
		struct ratmem_create c = { .size = 64 * PG, .rights = ALL, .numa_node = -1,
					   .flags = RATMEM_CREATE_COMMIT };
		int ret, injected;

		arm(nth);
		ret = rat_create(fd, &c);
		injected = disarm();
		if (!injected) {
			ASSERT_EQ(ret, 0);
			ASSERT_EQ(rat_close_handle(fd, c.handle), 0);
			break;
		}
		if (ret) {
			ASSERT_EQ(ret, -ENOMEM);
			o.enomem++;
		} else {
			o.ok++;
			ASSERT_EQ(rt_committed(fd, c.handle), 64 * PG);
			ASSERT_EQ(rat_close_handle(fd, c.handle), 0);
		}
		ASSERT_EQ(rt_counters_now().regions, before.regions);
	}
	ASSERT_TRUE(nth < MAX_NTH);
	report("create", o);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

/*
 * Commit: one call that merges five of sixteen separate ranges.
 * Decommit: a hole in the middle of each of sixteen ranges in turn,
 * which splits them and grows the tree, until one call fails.
 */
static void inject_range(int commit)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	struct outcome o = { 0 };
	int nth;

	setup_injection();
	for (nth = 1; nth < MAX_NTH; nth++) {
		uint32_t h = rt_region(fd, 64, ALL, 0);
		uint64_t was, expect;
		int ret = 0, injected;

		for (int i = 0; i < 64; i += 4)		/* 16 separate ranges */
			ASSERT_EQ(rt_commit(fd, h, i * PG, 3 * PG), 0);
		was = rt_committed(fd, h);
		expect = was;
		arm(nth);
		if (commit) {
			ret = rt_commit(fd, h, 6 * PG, 20 * PG);
			if (!ret)
				expect += 5 * PG;
		} else {
			for (int i = 0; i < 64 && !ret; i += 4) {
				ret = rt_decommit(fd, h, (i + 1) * PG, PG);
				if (!ret)
					expect -= PG;
			}
		}
		injected = disarm();
		if (ret) {
			ASSERT_TRUE(injected);
			ASSERT_EQ(ret, -ENOMEM);
			o.enomem++;
		} else {
			o.ok += injected;
		}
		/* A failed call changed nothing; the others did all they said. */
		ASSERT_EQ(rt_committed(fd, h), expect);
		ASSERT_EQ(rat_close_handle(fd, h), 0);
		if (!injected)
			break;
	}
	ASSERT_TRUE(nth < MAX_NTH);
	report(commit ? "commit" : "decommit", o);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST_TIMEOUT(inject_commit, 120)
{
	inject_range(1);
}

TEST_TIMEOUT(inject_decommit, 120)
{
	inject_range(0);
}

TEST_TIMEOUT(inject_mmap_and_fault, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	struct outcome o = { 0 };
	int nth, done_mmap = 0, done_fault = 0;

	setup_injection();
	for (nth = 1; nth < MAX_NTH && !(done_mmap && done_fault); nth++) {
		unsigned char *p;
		int injected;

		arm(nth);
		p = rt_map(fd, h, 0, 4 * PG, RW);
		injected = disarm();
		if (p == MAP_FAILED) {
			ASSERT_TRUE(injected);
			ASSERT_EQ(errno, ENOMEM);
			ASSERT_EQ(rt_counters_now().mappings, before.mappings);
			o.enomem++;
			continue;
		}
		done_mmap |= !injected;
		/*
		 * A fault whose allocation fails returns VM_FAULT_OOM; the
		 * core mm retries it, and the retry (not armed) succeeds.
		 */
		p[PG] = 0;
		ASSERT_EQ(rt_decommit(fd, h, 0, 4 * PG), 0);
		ASSERT_EQ(rt_commit(fd, h, 0, 4 * PG), 0);
		arm(nth);
		ASSERT_FAULTS(0, rt_write_byte, p);
		injected = disarm();
		done_fault |= !injected;
		ASSERT_EQ(p[0], 0x5a);
		ASSERT_EQ(p[1], 0);
		ASSERT_EQ(munmap(p, 4 * PG), 0);
		ASSERT_EQ(rt_counters_now().mappings, before.mappings);
	}
	ASSERT_TRUE(done_mmap && done_fault);
	report("mmap", o);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}
