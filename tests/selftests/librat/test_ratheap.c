// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's heap (RatMemAlloc, RatMemCalloc, RatMemRealloc,
 * RatMemFree, RatMemAllocAligned, RatMemUsableSize): zeroed, aligned
 * memory from ratmem regions, thread-safe (frees from any thread),
 * empty in a forked child, a clean NULL at a quota. tests/heap runs the
 * same code on the host under ASan and TSan.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

/* Index of the first non-zero byte of p[0, n), or n. */
static size_t first_nonzero(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i = 0;

	while (i < n && !b[i])
		i++;
	return i;
}

#define ASSERT_ZERO(p, n) ASSERT_EQ(first_nonzero((p), (n)), (n))

/* Index of the first byte of p[0, n) that is not v, or n. */
static size_t first_not(const void *p, size_t n, unsigned char v)
{
	const unsigned char *b = p;
	size_t i = 0;

	while (i < n && b[i] == v)
		i++;
	return i;
}

/* Sizes around the header, the alignment, pages and the large limit. */
static const size_t sizes[] = {
	0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 100, 255, 256, 1000,
	4095, 4096, 4097, 10000, 65536, 100000, 131071, 131072, 131073, 262144,
	300000, 1 << 20, (1 << 20) + 1, 3000000,
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

TEST(alloc_sizes_are_zeroed_and_aligned)
{
	unsigned char *p[NSIZES];

	rt_need_ratapi_memory();
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < NSIZES; i++) {
			p[i] = RatMemAlloc(sizes[i]);
			ASSERT_TRUE(p[i] != NULL);
			ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
			ASSERT_EQ((uintptr_t)p[i] % 16, 0);
			ASSERT_ZERO(p[i], sizes[i]);
			memset(p[i], 0xee, sizes[i]);
		}
		/* No two allocations overlap. */
		for (size_t i = 0; i < NSIZES; i++)
			ASSERT_EQ(first_not(p[i], sizes[i], 0xee), sizes[i]);
		/* Free in a different order each round; memory comes back zeroed. */
		for (size_t k = 0; k < NSIZES; k++) {
			size_t i = round == 1 ? NSIZES - 1 - k : (k * 7 + round) % NSIZES;

			RatMemFree(p[i]);
			ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
		}
	}
}

TEST(alloc_zero_gives_unique_pointers)
{
	void *a, *b;

	rt_need_ratapi_memory();
	a = RatMemAlloc(0);
	b = RatMemAlloc(0);
	ASSERT_TRUE(a && b && a != b);
	RatMemFree(a);
	RatMemFree(b);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
}

TEST(calloc_zeroes_and_checks_overflow)
{
	unsigned char *p;

	rt_need_ratapi_memory();
	p = RatMemCalloc(1000, 24);
	ASSERT_TRUE(p != NULL);
	ASSERT_ZERO(p, 24000);
	RatMemFree(p);
	ASSERT_TRUE(RatMemCalloc(SIZE_MAX / 2 + 1, 2) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatMemCalloc(2, SIZE_MAX) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	p = RatMemCalloc(0, SIZE_MAX);
	ASSERT_TRUE(p != NULL);
	RatMemFree(p);
}

TEST(too_large_requests_fail_cleanly)
{
	rt_need_ratapi_memory();
	ASSERT_TRUE(RatMemAlloc(SIZE_MAX) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	/* Above RATMEM_REGION_SIZE_LIMIT: the module refuses the region. */
	ASSERT_TRUE(RatMemAlloc((size_t)RATMEM_REGION_SIZE_LIMIT + 1) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
}

TEST(realloc_keeps_contents_and_zeroes_growth)
{
	unsigned char *p, *q;
	size_t prev = 10;

	rt_need_ratapi_memory();
	p = RatMemRealloc(NULL, 10);	/* like RatMemAlloc */
	ASSERT_TRUE(p != NULL);
	ASSERT_ZERO(p, 10);
	memset(p, 0x11, 10);
	/* Grow through every size class: in place, into another block, into
	 * a region of its own; the old bytes stay, the new ones are zero. */
	for (size_t i = 0; i < NSIZES; i++) {
		if (sizes[i] <= prev)
			continue;
		q = RatMemRealloc(p, sizes[i]);
		ASSERT_TRUE(q != NULL);
		ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
		ASSERT_EQ(first_not(q, prev, 0x11), prev);
		ASSERT_ZERO(q + prev, sizes[i] - prev);
		memset(q + prev, 0x11, sizes[i] - prev);
		p = q;
		prev = sizes[i];
	}
	/* Shrink back step by step, then grow again inside one block: the
	 * regrown tail must read zero, not the old bytes. */
	for (size_t i = NSIZES; i-- > 0;) {
		if (sizes[i] >= prev)
			continue;
		q = RatMemRealloc(p, sizes[i]);
		ASSERT_TRUE(q != NULL);
		ASSERT_EQ(first_not(q, sizes[i], 0x11), sizes[i]);
		p = q;
		prev = sizes[i];
	}
	ASSERT_EQ(prev, 0);
	q = RatMemRealloc(p, 0);	/* size 0 keeps a valid allocation */
	ASSERT_TRUE(q != NULL);
	p = RatMemRealloc(q, 40);
	ASSERT_TRUE(p != NULL);
	ASSERT_ZERO(p, 40);
	memset(p, 0x22, 40);
	q = RatMemRealloc(p, 8);
	ASSERT_TRUE(q != NULL);
	q = RatMemRealloc(q, 40);
	ASSERT_TRUE(q != NULL);
	ASSERT_EQ(first_not(q, 8, 0x22), 8);
	ASSERT_ZERO(q + 8, 32);
	RatMemFree(q);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
}

TEST(realloc_failure_keeps_the_block)
{
	unsigned char *p;

	rt_need_ratapi_memory();
	p = RatMemAlloc(100);
	ASSERT_TRUE(p != NULL);
	memset(p, 0x33, 100);
	ASSERT_TRUE(RatMemRealloc(p, SIZE_MAX) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(first_not(p, 100, 0x33), 100);
	RatMemFree(p);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
}

TEST(free_checks_its_pointer)
{
	unsigned char *p, *big;
	int local;

	rt_need_ratapi_memory();
	RatMemFree(NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	RatMemFree(&local);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	p = RatMemAlloc(64);
	big = RatMemAlloc(1 << 20);
	ASSERT_TRUE(p && big);
	RatMemFree(p + 16);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	RatMemFree(big + 16);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatMemRealloc(p + 1, 10) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	RatMemFree(p);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	RatMemFree(p);	/* twice: refused, nothing corrupted */
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	RatMemFree(big);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, big);
	p = RatMemAlloc(64);
	ASSERT_TRUE(p != NULL);
	ASSERT_ZERO(p, 64);
	RatMemFree(p);
}

/* ---- threads -------------------------------------------------------- */

enum { THREADS = 4, ROUNDS = 10000, SLOTS = 64 };

struct worker {
	unsigned int seed;
	int failures;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

/* Each thread keeps up to SLOTS blocks filled with its own tag; every
 * block must read zero when it arrives and keep its tag until freed. */
static void *heap_worker(void *arg)
{
	struct worker *w = arg;
	unsigned char *slot[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 };
	unsigned char tag = (unsigned char)(w->seed | 1);

	for (int i = 0; i < ROUNDS; i++) {
		int k = (int)(next_rand(&w->seed) % SLOTS);
		unsigned int r = next_rand(&w->seed);
		size_t n = r % 64 == 0 ? 300000 + r % 5000 : r % 2000;

		if (slot[k]) {
			if (first_not(slot[k], len[k], tag) != len[k])
				w->failures++;
			RatMemFree(slot[k]);
			if (RatGetLastError() != RAT_STATUS_OK)
				w->failures++;
		}
		slot[k] = RatMemAlloc(n);
		if (!slot[k] || first_nonzero(slot[k], n) != n) {
			w->failures++;
			slot[k] = NULL;
			continue;
		}
		memset(slot[k], tag, n);
		len[k] = n;
	}
	for (int k = 0; k < SLOTS; k++) {
		if (slot[k] && first_not(slot[k], len[k], tag) != len[k])
			w->failures++;
		RatMemFree(slot[k]);
	}
	return NULL;
}

TEST_TIMEOUT(threads_alloc_and_free, 240)
{
	pthread_t th[THREADS];
	struct worker w[THREADS];

	rt_need_ratapi_memory();
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .seed = 1234U + 77U * (unsigned int)i };
		ASSERT_EQ(pthread_create(&th[i], NULL, heap_worker, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(w[i].failures, 0);
}

/* ---- fork and counters ---------------------------------------------- */

static unsigned char *parent_block;

static void child_heap(void *arg)
{
	unsigned char *p;

	(void)arg;
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, parent_block);
	RatMemFree(parent_block);	/* not the child's: refused */
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	for (int i = 0; i < 100; i++) {
		p = RatMemAlloc((size_t)i * 100);
		ASSERT_TRUE(p != NULL);
		ASSERT_ZERO(p, (size_t)i * 100);
		memset(p, 0x44, (size_t)i * 100);
		RatMemFree(p);
		ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	}
}

TEST(forked_child_has_an_empty_heap)
{
	rt_need_ratapi_memory();
	parent_block = RatMemAlloc(1000);
	ASSERT_TRUE(parent_block != NULL);
	memset(parent_block, 0x55, 1000);
	ASSERT_CHILD_OK(child_heap, NULL);
	ASSERT_EQ(first_not(parent_block, 1000, 0x55), 1000);
	/* The parent's heap keeps working after the fork. */
	RatMemFree(parent_block);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	parent_block = RatMemAlloc(1000);
	ASSERT_TRUE(parent_block != NULL);
	ASSERT_ZERO(parent_block, 1000);
	RatMemFree(parent_block);
}

static void counters(uint64_t *regions, uint64_t *handles, uint64_t *pages, uint64_t *maps)
{
	struct ratmem_stats st = { 0 };
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_EQ(rat_close(fd), 0);
	*regions = st.regions;
	*handles = st.handles;
	*pages = st.pages;
	*maps = st.mappings;
}

TEST(heap_gives_everything_back)
{
	uint64_t r0, h0, p0, m0, r, h, p, m;
	void *blocks[200];

	rt_need_ratapi_memory();
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	counters(&r0, &h0, &p0, &m0);
	/* Several arenas' worth of small blocks and a few large ones. */
	for (int i = 0; i < 200; i++) {
		blocks[i] = RatMemAlloc(i % 20 == 0 ? 400000 : 20000);
		ASSERT_TRUE(blocks[i] != NULL);
		memset(blocks[i], 1, 100);
	}
	counters(&r, &h, &p, &m);
	ASSERT_TRUE(r > r0 + 10);
	ASSERT_EQ(h - h0, r - r0);
	ASSERT_EQ(m - m0, r - r0);
	ASSERT_TRUE(p > p0);
	for (int i = 0; i < 200; i++)
		RatMemFree(blocks[i]);
	/* One empty arena is kept for reuse until RatShutdown(). */
	counters(&r, &h, &p, &m);
	ASSERT_EQ(r, r0 + 1);
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	counters(&r, &h, &p, &m);
	ASSERT_EQ(r, r0);
	ASSERT_EQ(h, h0);
	ASSERT_EQ(p, p0);
	ASSERT_EQ(m, m0);
}

/* ---- librat 1.1: aligned and usable sizes --------------------------- */

TEST(aligned_alloc_and_usable_size)
{
	static const size_t align[] = { 1, 8, 16, 64, 512, 4096, 8192, 65536, 2 << 20 };
	static const size_t len[] = { 0, 1, 100, 4000, 70000, 200000 };
	int local = 0;

	rt_need_ratapi_memory();
	for (size_t i = 0; i < sizeof(align) / sizeof(align[0]); i++) {
		for (size_t j = 0; j < sizeof(len) / sizeof(len[0]); j++) {
			unsigned char *p = RatMemAllocAligned(len[j], align[i]);
			size_t usable;

			ASSERT_TRUE(p != NULL);
			ASSERT_EQ((uintptr_t)p % align[i], 0);
			ASSERT_ZERO(p, len[j]);
			usable = RatMemUsableSize(p);
			ASSERT_TRUE(usable >= len[j] && usable >= 1);
			/* All of it may be written, and comes back zeroed. */
			memset(p, 0x6b, usable);
			ASSERT_EQ(RatMemFree(p), RAT_STATUS_OK);
		}
	}
	ASSERT_TRUE(RatMemAllocAligned(16, 48) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatMemAllocAligned(16, 0) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemUsableSize(NULL), 0);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemUsableSize(&local), 0);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	for (int k = 0; k < 100; k++) {
		unsigned char *p = RatMemAlloc(777);

		ASSERT_ZERO(p, RatMemUsableSize(p));
		RatMemFree(p);
	}
}

TEST(large_realloc_grows_in_place)
{
	unsigned char *p, *q;
	uint64_t r0, h0, pg0, m0, r, h, pg, m;

	rt_need_ratapi_memory();
	p = RatMemAlloc(1 << 20);
	ASSERT_TRUE(p != NULL);
	memset(p, 0x11, 1 << 20);
	counters(&r0, &h0, &pg0, &m0);
	/* Twice the size is reserved: growing to it commits, never copies. */
	q = RatMemRealloc(p, 2 << 20);
	ASSERT_TRUE(q == p);
	ASSERT_EQ(first_not(q, 1 << 20, 0x11), 1 << 20);
	ASSERT_ZERO(q + (1 << 20), 1 << 20);
	counters(&r, &h, &pg, &m);
	ASSERT_EQ(r, r0);
	/* Past the reservation it moves. */
	q = RatMemRealloc(q, 5 << 20);
	ASSERT_TRUE(q != NULL);
	ASSERT_EQ(first_not(q, 1 << 20, 0x11), 1 << 20);
	ASSERT_ZERO(q + (1 << 20), 4 << 20);
	ASSERT_EQ(RatMemFree(q), RAT_STATUS_OK);
}

/* ---- frees from other threads ---------------------------------------- */

#define RING 256

struct ring {
	void *_Atomic slot[RING];
	int n;
	atomic_int bad;
};

static void *ring_producer(void *arg)
{
	struct ring *q = arg;

	for (int i = 0; i < q->n; i++) {
		size_t n = 16 + (size_t)(i * 37 % 1000);
		unsigned char *p = RatMemAlloc(n);

		if (!p || first_nonzero(p, n) != n) {
			atomic_fetch_add(&q->bad, 1);
			continue;
		}
		memset(p, 0x3c, n);
		/* A consumer that saw a bad block has stopped: no more room. */
		while (atomic_load(&q->slot[i % RING]))
			if (atomic_load(&q->bad))
				return NULL;
			else
				sched_yield();
		atomic_store(&q->slot[i % RING], p);
	}
	return NULL;
}

static void *ring_consumer(void *arg)
{
	struct ring *q = arg;

	for (int i = 0; i < q->n; i++) {
		unsigned char *p;

		while (!(p = atomic_load(&q->slot[i % RING])))
			if (atomic_load(&q->bad))
				return NULL;
			else
				sched_yield();
		atomic_store(&q->slot[i % RING], NULL);
		/*
		 * No second free here: once the first has returned, the
		 * producer may collect the block and hand it out again, and
		 * then the pointer names a live block and a second free is
		 * legal. remote_double_free_is_refused checks the refusal
		 * where no reuse can happen.
		 */
		if (p[0] != 0x3c || RatMemFree(p) != RAT_STATUS_OK)
			atomic_fetch_add(&q->bad, 1);
	}
	return NULL;
}

TEST_TIMEOUT(other_threads_free_and_counts_return, 240)
{
	static struct ring q = { .n = 20000 };
	RatHeapStats s0, s;
	pthread_t a, b;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatMemHeapStats(&s0), RAT_STATUS_OK);
	ASSERT_EQ(pthread_create(&a, NULL, ring_producer, &q), 0);
	ASSERT_EQ(pthread_create(&b, NULL, ring_consumer, &q), 0);
	ASSERT_EQ(pthread_join(a, NULL), 0);
	ASSERT_EQ(pthread_join(b, NULL), 0);
	ASSERT_EQ(atomic_load(&q.bad), 0);
	ASSERT_EQ(RatMemHeapStats(&s), RAT_STATUS_OK);
	ASSERT_EQ(s.allocations, s0.allocations);
	ASSERT_EQ(s.bytes_in_use, s0.bytes_in_use);
}

/*
 * A second free from another thread is refused while the owner is
 * parked and so cannot have taken the block back from the span's
 * remote list.
 */
static void *free_twice_from_here(void *arg)
{
	void **blocks = arg;
	intptr_t bad = 0;

	for (int i = 0; i < 64; i++) {
		if (RatMemFree(blocks[i]) != RAT_STATUS_OK)
			bad++;
		if (RatMemFree(blocks[i]) != RAT_STATUS_INVALID_ARG)
			bad++;
	}
	return (void *)bad;
}

TEST(remote_double_free_is_refused)
{
	static void *blocks[64];
	RatHeapStats s0, s;
	pthread_t t;
	void *bad;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatMemHeapStats(&s0), RAT_STATUS_OK);
	for (int i = 0; i < 64; i++) {
		blocks[i] = RatMemAlloc(48);
		ASSERT_TRUE(blocks[i] != NULL);
		memset(blocks[i], 0x5a, 48);
	}
	ASSERT_EQ(pthread_create(&t, NULL, free_twice_from_here, blocks), 0);
	ASSERT_EQ(pthread_join(t, &bad), 0);
	ASSERT_EQ((intptr_t)bad, 0);
	/* And here, after the frees, the owner's own second free too. */
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(RatMemFree(blocks[i]), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemHeapStats(&s), RAT_STATUS_OK);
	ASSERT_EQ(s.allocations, s0.allocations);
	/* The blocks come back zeroed to their owner. */
	for (int i = 0; i < 64; i++) {
		unsigned char *p = RatMemAlloc(48);

		ASSERT_TRUE(p != NULL);
		ASSERT_ZERO(p, 48);
		blocks[i] = p;
	}
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(RatMemFree(blocks[i]), RAT_STATUS_OK);
}

/* ---- fork while other threads allocate -------------------------------- */

static atomic_int spin_stop;

static void *spin_heap(void *arg)
{
	(void)arg;
	while (!atomic_load(&spin_stop))
		RatMemFree(RatMemAlloc(200));
	return NULL;
}

static void child_of_threads(void *arg)
{
	unsigned char *parents = arg;
	RatHeapStats s;

	ASSERT_EQ(RatMemFree(parents), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemHeapStats(&s), RAT_STATUS_OK);
	ASSERT_EQ(s.allocations, 0);
	ASSERT_EQ(s.bytes_in_use, 0);
	ASSERT_EQ(s.bytes_committed, 0);
	for (int i = 0; i < 200; i++) {
		unsigned char *p = RatMemAlloc((size_t)i * 50);

		ASSERT_TRUE(p != NULL);
		ASSERT_ZERO(p, (size_t)i * 50);
		memset(p, 1, (size_t)i * 50);
		ASSERT_EQ(RatMemFree(p), RAT_STATUS_OK);
	}
}

TEST(fork_in_a_multithreaded_program)
{
	unsigned char *p;
	pthread_t t[2];

	rt_need_ratapi_memory();
	p = RatMemAlloc(5000);
	ASSERT_TRUE(p != NULL);
	memset(p, 0x77, 5000);
	atomic_store(&spin_stop, 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, spin_heap, NULL), 0);
	for (int i = 0; i < 5; i++)
		ASSERT_CHILD_OK(child_of_threads, p);
	atomic_store(&spin_stop, 1);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	ASSERT_EQ(first_not(p, 5000, 0x77), 5000);
	ASSERT_EQ(RatMemFree(p), RAT_STATUS_OK);
}

/* ---- quota ------------------------------------------------------------ */

TEST(quota_exhaustion_is_a_clean_null)
{
	enum { MAXN = 20000 };
	static unsigned char *p[MAXN];
	int fd, n;

	rt_need_ratapi_memory();
	fd = rt_open_ctx();
	/* Our own committed limit, 6 MiB above what we use: lowering is
	 * allowed without privilege. */
	ASSERT_EQ(rt_quota_set(fd, -1, RATMEM_RES_COMMITTED,
			       rt_quota_get(fd, -1).usage[RATMEM_RES_COMMITTED] + (6 << 20)), 0);
	for (n = 0; n < MAXN; n++) {
		p[n] = RatMemAlloc(3000);
		if (!p[n])
			break;
		memset(p[n], n & 0xff, 3000);
	}
	ASSERT_TRUE(n > 100 && n < MAXN);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_QUOTA);
	ASSERT_TRUE(RatMemAlloc(1 << 20) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_QUOTA);
	ASSERT_TRUE(RatMemRealloc(p[0], 8 << 20) == NULL);
	/* Nothing was corrupted, and everything frees. */
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(first_not(p[i], 3000, (unsigned char)(i & 0xff)), 3000);
		ASSERT_EQ(RatMemFree(p[i]), RAT_STATUS_OK);
	}
	p[0] = RatMemAlloc(1 << 20);
	ASSERT_TRUE(p[0] != NULL);
	ASSERT_EQ(RatMemFree(p[0]), RAT_STATUS_OK);
	rat_close(fd);
}
