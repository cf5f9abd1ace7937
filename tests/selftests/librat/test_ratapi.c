// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's memory calls. The raw wrappers (rat_commit,
 * rat_decommit, rat_mmap), HMEM (RatAllocMemory, RatMapMemory,
 * RatFreeMemory), reservations (RatMemReserve, RatMemCommit,
 * RatMemProtect, RatMemDecommit, RatMemRelease), fork, RatShutdown and
 * the module's counters. The heap is in test_ratheap.c.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"


static void assert_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			rt_fail(__FILE__, __LINE__, "byte %zu of %zu is 0x%02x, not 0", i, n, b[i]);
}

/* The module's counters, read through a context of their own. */
struct counts {
	uint64_t contexts, regions, handles, pages, mappings;
};

static struct counts counts_now(void)
{
	struct ratmem_stats st = { 0 };
	struct counts c;
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_EQ(rat_close(fd), 0);
	c = (struct counts){ st.contexts, st.regions, st.handles, st.pages, st.mappings };
	return c;
}

static void assert_counts_equal(struct counts a, struct counts b)
{
	ASSERT_EQ(a.contexts, b.contexts);
	ASSERT_EQ(a.regions, b.regions);
	ASSERT_EQ(a.handles, b.handles);
	ASSERT_EQ(a.pages, b.pages);
	ASSERT_EQ(a.mappings, b.mappings);
}

/* ---- raw layer ------------------------------------------------------ */

TEST(raw_commit_mmap_decommit)
{
	int fd = rt_open_ctx();
	struct ratmem_create c = {
		.size = 4 * PG, .numa_node = -1,
		.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
	};
	struct ratmem_query q = { 0 };
	unsigned char *p = NULL;
	void *addr = NULL;

	ASSERT_EQ(rat_create(fd, &c), 0);
	errno = 4321;
	ASSERT_EQ(rat_commit(fd, c.handle, PG, 2 * PG), 0);
	q.handle = c.handle;
	ASSERT_EQ(rat_query(fd, &q), 0);
	ASSERT_EQ(q.committed, 2 * PG);
	ASSERT_EQ(rat_mmap(fd, c.handle, PG, 2 * PG, PROT_READ | PROT_WRITE, &addr), 0);
	ASSERT_EQ(errno, 4321);
	p = addr;
	assert_zero(p, 2 * PG);
	p[0] = 1;
	ASSERT_EQ(rat_decommit(fd, c.handle, PG, PG), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_EQ(rat_query(fd, &q), 0);
	ASSERT_EQ(q.committed, PG);
	ASSERT_EQ(munmap(addr, 2 * PG), 0);
	ASSERT_EQ(errno, 4321);
}

TEST(raw_errors_are_negative_errno)
{
	int fd = rt_open_ctx();
	struct ratmem_create c = {
		.size = 4 * PG, .numa_node = -1,
		.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP,
	};
	void *addr = &addr;

	ASSERT_EQ(rat_create(fd, &c), 0);
	errno = 4321;
	/* No WRITE right: neither commit nor decommit. */
	ASSERT_ERRNO(rat_commit(fd, c.handle, 0, PG), EPERM);
	ASSERT_ERRNO(rat_decommit(fd, c.handle, 0, PG), EPERM);
	ASSERT_ERRNO(rat_commit(fd, c.handle + 1, 0, PG), EBADF);
	/* mmap: no handle 0, no offset beyond the largest region, no
	 * PROT_WRITE without the right; *addr untouched on failure. */
	ASSERT_ERRNO(rat_mmap(fd, 0, 0, PG, PROT_READ, &addr), EINVAL);
	ASSERT_ERRNO(rat_mmap(fd, c.handle, RATMEM_REGION_SIZE_LIMIT, PG, PROT_READ, &addr),
		     EINVAL);
	ASSERT_ERRNO(rat_mmap(fd, c.handle, 0, 8 * PG, PROT_READ, &addr), EINVAL);
	ASSERT_ERRNO(rat_mmap(fd, c.handle, 0, PG, PROT_READ | PROT_WRITE, &addr), EACCES);
	ASSERT_ERRNO(rat_mmap(-1, c.handle, 0, PG, PROT_READ, &addr), EBADF);
	ASSERT_TRUE(addr == &addr);
	ASSERT_EQ(errno, 4321);
}

/* ---- HMEM ----------------------------------------------------------- */

TEST(alloc_memory_zero_size_is_invalid)
{
	rt_need_ratapi_memory();
	ASSERT_TRUE(RatAllocMemory(0) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatMapMemory(NULL) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatFreeMemory(NULL), RAT_STATUS_INVALID_ARG);
}

TEST(alloc_map_write_read_free)
{
	HMEM mem;
	unsigned char *p;
	size_t size = 3 * PG + 1;	/* rounded up to 4 pages */

	rt_need_ratapi_memory();
	mem = RatAllocMemory(size);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ((uintptr_t)p % PG, 0);
	ASSERT_TRUE(RatMapMemory(mem) == p);	/* same mapping every time */
	assert_zero(p, 4 * PG);
	for (size_t i = 0; i < 4 * PG; i++)
		p[i] = (unsigned char)(i * 7 + 1);
	for (size_t i = 0; i < 4 * PG; i++)
		ASSERT_EQ(p[i], (unsigned char)(i * 7 + 1));
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
}

/* ---- reservations --------------------------------------------------- */

TEST(reserve_zero_size_is_invalid)
{
	rt_need_ratapi_memory();
	ASSERT_TRUE(RatMemReserve(0) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
}

TEST(reserved_pages_fault_until_committed)
{
	unsigned char *r;

	rt_need_ratapi_memory();
	r = RatMemReserve(8 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ((uintptr_t)r % PG, 0);
	/* PROT_NONE: the CPU refuses before ratmem is asked. */
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, r);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, r + 5 * PG);
	/* Accessible but not committed: ratmem's fault handler says SIGBUS. */
	ASSERT_EQ(RatMemProtect(r, 8 * PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, r);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, r + 7 * PG);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
}

TEST(commit_read_write_is_zero_and_writable)
{
	unsigned char *r;

	rt_need_ratapi_memory();
	r = RatMemReserve(8 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatMemCommit(r + 2 * PG, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	assert_zero(r + 2 * PG, 2 * PG);
	memset(r + 2 * PG, 0xab, 2 * PG);
	ASSERT_EQ(r[2 * PG], 0xab);
	ASSERT_EQ(r[4 * PG - 1], 0xab);
	/* The neighbours stay reserved and PROT_NONE. */
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, r + PG);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, r + 4 * PG);
	/* Read-only: reads work, writes fault. */
	ASSERT_EQ(RatMemProtect(r + 2 * PG, 2 * PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(r[3 * PG], 0xab);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, r + 3 * PG);
	/* Committing committed pages keeps their contents. */
	ASSERT_EQ(RatMemCommit(r + 2 * PG, PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(r[2 * PG], 0xab);
	ASSERT_EQ(RatMemRelease(r, 8 * PG), RAT_STATUS_OK);
}

TEST(unaligned_range_covers_every_touched_page)
{
	unsigned char *r;

	rt_need_ratapi_memory();
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	/* Two bytes straddling the first page boundary: pages 0 and 1. */
	ASSERT_EQ(RatMemCommit(r + PG - 1, 2, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	r[0] = 1;
	r[2 * PG - 1] = 2;
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, r + 2 * PG);
	ASSERT_EQ(RatMemDecommit(r + 2 * PG - 1, 1), RAT_STATUS_OK);
	ASSERT_EQ(r[0], 1);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, r + PG);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
}

TEST(range_rules)
{
	unsigned char *r;
	int local;
	void *heap;

	rt_need_ratapi_memory();
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatMemCommit(NULL, PG, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemCommit(r, 0, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemCommit(r, 4 * PG + 1, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemCommit(r + 4 * PG - 1, 2, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemCommit(r, SIZE_MAX, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemProtect(r + PG, 3 * PG + 1, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemDecommit(r, 0), RAT_STATUS_INVALID_ARG);
	/* Unknown protection bits. */
	ASSERT_EQ(RatMemCommit(r, PG, 8), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemProtect(r, PG, -1), RAT_STATUS_INVALID_ARG);
	/* Pointers that are in no reservation. */
	ASSERT_EQ(RatMemCommit(r + 4 * PG, 1, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemProtect(&local, 1, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	heap = RatMemAlloc(64);
	ASSERT_TRUE(heap != NULL);
	ASSERT_EQ(RatMemDecommit(heap, 1), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRelease(heap, 0), RAT_STATUS_NOT_FOUND);
	RatMemFree(heap);
	/* Release needs the base, and 0 or the reservation's size. */
	ASSERT_EQ(RatMemRelease(NULL, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(r + PG, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(r + 1, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(r, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(r, 5 * PG), RAT_STATUS_INVALID_ARG);
	/* Nothing above changed the reservation. */
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, r);
	ASSERT_EQ(RatMemRelease(r, 4 * PG - 100), RAT_STATUS_OK);	/* rounds to 4 pages */
}

#if defined(__x86_64__) || defined(__i386__)
static int call_code(void *code)
{
	int (*fn)(void);

	memcpy(&fn, &code, sizeof(fn));
	return fn();
}

static void call_ret(void *code)
{
	call_code(code);
}

TEST(jit_write_then_execute)
{
	/* mov eax, 42; ret */
	static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	unsigned char *r;

	rt_need_ratapi_memory();
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	/* W^X in the protection flags themselves. */
	ASSERT_EQ(RatMemCommit(r, PG, RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_EXECUTE),
		  RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemCommit(r, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	/* Writable, not executable. */
	ASSERT_FAULTS(SIGSEGV, call_ret, r);
	memcpy(r, code, sizeof(code));
	r[64] = 0xc3;	/* a bare ret */
	ASSERT_EQ(RatMemProtect(r, PG, RAT_MEM_READ | RAT_MEM_EXECUTE), RAT_STATUS_OK);
	ASSERT_EQ(call_code(r), 42);
	ASSERT_EQ(rt_access_signal(call_ret, r + 64), 0);
	/* Executable, not writable. */
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, r);
	ASSERT_EQ(RatMemProtect(r, PG, RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_EXECUTE),
		  RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemProtect(r, PG, RAT_MEM_WRITE | RAT_MEM_EXECUTE), RAT_STATUS_PERMISSION);
	/* One region: no page writable while another is executable. */
	ASSERT_EQ(RatMemCommit(r + PG, PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(RatMemProtect(r + PG, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_PERMISSION);
	ASSERT_EQ(call_code(r), 42);
	/* Back to writable once nothing is executable. */
	ASSERT_EQ(RatMemProtect(r, PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(RatMemProtect(r, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	r[PG] = 1;
	ASSERT_EQ(r[0], 0xb8);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
}
#endif

TEST(decommit_faults_and_recommit_reads_zero)
{
	unsigned char *r;

	rt_need_ratapi_memory();
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatMemCommit(r, 4 * PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	memset(r, 0x77, 4 * PG);
	ASSERT_EQ(RatMemDecommit(r + PG, 2 * PG), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, r + PG);
	ASSERT_FAULTS(SIGBUS, rt_write_byte, r + 3 * PG - 1);
	ASSERT_EQ(r[0], 0x77);
	ASSERT_EQ(r[3 * PG], 0x77);
	/* Decommitting decommitted pages changes nothing. */
	ASSERT_EQ(RatMemDecommit(r + PG, PG), RAT_STATUS_OK);
	ASSERT_EQ(RatMemCommit(r + PG, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	assert_zero(r + PG, 2 * PG);
	ASSERT_EQ(r[PG - 1], 0x77);
	ASSERT_EQ(r[3 * PG], 0x77);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
}

TEST(released_reservation_is_gone)
{
	unsigned char *r;

	rt_need_ratapi_memory();
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatMemCommit(r, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	r[0] = 1;
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, r);
	ASSERT_EQ(RatMemCommit(r, PG, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemProtect(r, PG, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemDecommit(r, PG), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_NOT_FOUND);
}

TEST(many_reservations_are_found_by_pointer)
{
	enum { N = 64 };
	unsigned char *r[N];

	rt_need_ratapi_memory();
	for (int i = 0; i < N; i++) {
		r[i] = RatMemReserve((size_t)(i % 5 + 1) * PG);
		ASSERT_TRUE(r[i] != NULL);
	}
	for (int i = 0; i < N; i++) {
		size_t last = (size_t)(i % 5) * PG;

		ASSERT_EQ(RatMemCommit(r[i] + last + 7, 1, RAT_MEM_READ | RAT_MEM_WRITE),
			  RAT_STATUS_OK);
		r[i][last] = (unsigned char)i;
	}
	for (int i = 0; i < N; i += 2)
		ASSERT_EQ(RatMemRelease(r[i], 0), RAT_STATUS_OK);
	for (int i = 1; i < N; i += 2) {
		ASSERT_EQ(r[i][(size_t)(i % 5) * PG], i);
		ASSERT_EQ(RatMemRelease(r[i], (size_t)(i % 5 + 1) * PG), RAT_STATUS_OK);
	}
}

/* ---- fork, shutdown, counters --------------------------------------- */

static HMEM parent_hmem;
static unsigned char *parent_hmem_ptr, *parent_res, *parent_heap;

static void child_sees_nothing_of_parent(void *arg)
{
	unsigned char *mine, *res;
	HMEM h;

	(void)arg;
	/* The mappings are not inherited. */
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, parent_hmem_ptr);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, parent_res);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, parent_heap);
	/* Nor the library's records of them. */
	ASSERT_TRUE(RatMapMemory(parent_hmem) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemCommit(parent_res, PG, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRelease(parent_res, 0), RAT_STATUS_NOT_FOUND);
	RatMemFree(parent_heap);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	/* Freeing the copied HMEM descriptor touches nothing of the parent's. */
	ASSERT_EQ(RatFreeMemory(parent_hmem), RAT_STATUS_OK);
	/* The child's own memory works. */
	mine = RatMemAlloc(100);
	ASSERT_TRUE(mine != NULL);
	assert_zero(mine, 100);
	memset(mine, 1, 100);
	RatMemFree(mine);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	res = RatMemReserve(2 * PG);
	ASSERT_TRUE(res != NULL);
	ASSERT_EQ(RatMemCommit(res, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	res[0] = 1;
	ASSERT_EQ(RatMemRelease(res, 0), RAT_STATUS_OK);
	h = RatAllocMemory(PG);
	ASSERT_TRUE(h != NULL);
	ASSERT_TRUE(RatMapMemory(h) != NULL);
	ASSERT_EQ(RatFreeMemory(h), RAT_STATUS_OK);
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
}

TEST(forked_child_starts_clean)
{
	struct counts before;

	rt_need_ratapi_memory();
	parent_hmem = RatAllocMemory(PG);
	ASSERT_TRUE(parent_hmem != NULL);
	parent_hmem_ptr = RatMapMemory(parent_hmem);
	ASSERT_TRUE(parent_hmem_ptr != NULL);
	parent_res = RatMemReserve(2 * PG);
	ASSERT_TRUE(parent_res != NULL);
	ASSERT_EQ(RatMemCommit(parent_res, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	parent_heap = RatMemAlloc(32);
	ASSERT_TRUE(parent_heap != NULL);
	parent_hmem_ptr[0] = 11;
	parent_res[0] = 12;
	parent_heap[0] = 13;
	before = counts_now();
	ASSERT_CHILD_OK(child_sees_nothing_of_parent, NULL);
	/* The child's objects died with it; the parent's are intact. */
	assert_counts_equal(counts_now(), before);
	ASSERT_EQ(parent_hmem_ptr[0], 11);
	ASSERT_EQ(parent_res[0], 12);
	ASSERT_EQ(parent_heap[0], 13);
	ASSERT_TRUE(RatMapMemory(parent_hmem) == parent_hmem_ptr);
	ASSERT_EQ(RatMemDecommit(parent_res, PG), RAT_STATUS_OK);
	RatMemFree(parent_heap);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRelease(parent_res, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(parent_hmem), RAT_STATUS_OK);
}

TEST(counters_return_to_baseline)
{
	struct counts base, during;
	unsigned char *p, *r, *h1, *h2;
	HMEM mem;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	base = counts_now();

	mem = RatAllocMemory(2 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	p[0] = 1;
	p[PG] = 1;
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatMemCommit(r, 3 * PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	r[0] = 1;
	h1 = RatMemAlloc(10);		/* an arena */
	h2 = RatMemAlloc(1 << 20);	/* a region of its own */
	ASSERT_TRUE(h1 && h2);
	h1[0] = 1;
	h2[0] = 1;
	during = counts_now();
	ASSERT_EQ(during.contexts, base.contexts + 1);	/* the default context */
	ASSERT_EQ(during.regions, base.regions + 4);
	ASSERT_EQ(during.handles, base.handles + 4);
	ASSERT_EQ(during.mappings, base.mappings + 4 + 1);	/* commit split r's VMA */
	/* Pages appear on first touch: 2 + 1 + at least 1 + 1. */
	ASSERT_TRUE(during.pages >= base.pages + 5);

	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
	RatMemFree(h1);
	RatMemFree(h2);
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);	/* also gives back the empty arena */
	assert_counts_equal(counts_now(), base);
}

TEST(memory_outlives_shutdown)
{
	struct counts base;
	unsigned char *p, *r, *h;
	HMEM mem, unmapped, fresh[4];

	rt_need_ratapi_memory();
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	base = counts_now();
	mem = RatAllocMemory(PG);
	unmapped = RatAllocMemory(PG);
	ASSERT_TRUE(mem && unmapped);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	r = RatMemReserve(2 * PG);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(RatMemCommit(r, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	h = RatMemAlloc(100);
	ASSERT_TRUE(h != NULL);

	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	/* Mapped memory stays usable... */
	p[1] = 2;
	r[1] = 2;
	h[1] = 2;
	ASSERT_TRUE(RatMapMemory(mem) == p);
	ASSERT_EQ(RatMemProtect(r, PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(r[1], 2);
	/* ...but the handles went with the context. */
	ASSERT_TRUE(RatMapMemory(unmapped) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemCommit(r + PG, PG, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemDecommit(r, PG), RAT_STATUS_NOT_FOUND);
	/* A new context reuses the old handle numbers: the old objects
	 * must never act on the new context's regions. */
	ASSERT_EQ(RatInit(), RAT_STATUS_OK);
	for (int i = 0; i < 4; i++) {
		fresh[i] = RatAllocMemory(PG);
		ASSERT_TRUE(fresh[i] != NULL);
	}
	ASSERT_EQ(RatMemCommit(r + PG, PG, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemDecommit(r, PG), RAT_STATUS_NOT_FOUND);
	ASSERT_TRUE(RatMapMemory(unmapped) == NULL);
	/* Everything can still be given back. */
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(unmapped), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
	RatMemFree(h);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	/* The new context's regions were not touched by any of that. */
	for (int i = 0; i < 4; i++) {
		unsigned char *f = RatMapMemory(fresh[i]);

		ASSERT_TRUE(f != NULL);
		f[0] = 1;
		ASSERT_EQ(RatFreeMemory(fresh[i]), RAT_STATUS_OK);
	}
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	assert_counts_equal(counts_now(), base);
}
