// SPDX-License-Identifier: GPL-2.0
/*
 * The heap's guarantees, on the host: lib/heap*.c linked with the stub
 * region layer (stub_region.c), built with AddressSanitizer and with
 * ThreadSanitizer by tests/heap/Makefile. The same guarantees are
 * tested against the real module in the VM
 * (tests/selftests/librat/test_ratheap.c); here the sanitizers watch
 * the heap's own code, which they cannot do inside the guest.
 *
 * Output is KTAP: one "ok N name" or "not ok N name" per test.
 */
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "rat.h"
#include "stub_region.h"


static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

/* ---- single thread --------------------------------------------------- */

static void zeroed_aligned_distinct(void)
{
	static unsigned char *p[2000];

	for (size_t i = 0; i < 2000; i++) {
		size_t n = i < 1000 ? i : (i - 1000) * 131;

		p[i] = RatMemAlloc(n);
		CHECK(p[i] != NULL);
		CHECK((uintptr_t)p[i] % 16 == 0);
		CHECK(all_zero(p[i], n));
		CHECK(RatMemUsableSize(p[i]) >= n);
		memset(p[i], 0xa5, RatMemUsableSize(p[i]));
	}
	for (size_t i = 0; i < 2000; i++)
		CHECK(RatMemFree(p[i]) == RAT_STATUS_OK);
	/* Reused blocks, the whole usable size written: zero again. */
	for (size_t i = 0; i < 2000; i++) {
		size_t n = i < 1000 ? i : (i - 1000) * 131;

		p[i] = RatMemAlloc(n);
		CHECK(p[i] && all_zero(p[i], RatMemUsableSize(p[i])));
	}
	for (size_t i = 0; i < 2000; i++)
		RatMemFree(p[i]);
}

static void bad_frees_refused(void)
{
	unsigned char *p = RatMemAlloc(100), *q = RatMemAlloc(100), *big = RatMemAlloc(1 << 20);
	int local;

	CHECK(p && q && big);
	memset(q, 7, 100);
	CHECK(RatMemFree(&local) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemFree(p + 16) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemFree(p + 1) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemFree(big + 4096) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemFree(p) == RAT_STATUS_OK);
	CHECK(RatMemFree(p) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemRealloc(p, 10) == NULL && RatGetLastError() == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemUsableSize(p) == 0);
	CHECK(RatMemFree(big) == RAT_STATUS_OK);
	CHECK(RatMemFree(big) == RAT_STATUS_INVALID_ARG);
	/* The neighbour is untouched, and the freed block comes back once. */
	for (int i = 0; i < 100; i++)
		CHECK(q[i] == 7);
	p = RatMemAlloc(100);
	CHECK(p != NULL && p != q);
	RatMemFree(p);
	RatMemFree(q);
}

static void realloc_keeps_and_zeroes(void)
{
	unsigned char *p = RatMemAlloc(10), *q;
	size_t regions, usable;

	memset(p, 1, 10);
	q = RatMemRealloc(p, 12);		/* same class: in place */
	CHECK(q == p && q[11] == 0 && q[9] == 1);
	q = RatMemRealloc(q, 5000);		/* moves */
	CHECK(q && q[4] == 1 && all_zero(q + 10, 4990));
	memset(q, 2, 5000);
	q = RatMemRealloc(q, 300000);		/* large */
	CHECK(q && q[4999] == 2 && all_zero(q + 5000, 295000));
	regions = stub_regions();
	p = RatMemRealloc(q, 500000);		/* grows in place: reserved twice */
	CHECK(p == q && stub_regions() == regions && all_zero(p + 300000, 200000));
	p = RatMemRealloc(p, 100000);		/* shrinks in place */
	CHECK(p == q);
	usable = RatMemUsableSize(p);
	CHECK(usable >= 100000);
	memset(p, 3, usable);
	/* Grows again: what was usable is kept, the rest is zero. */
	p = RatMemRealloc(p, 400000);
	CHECK(p == q && p[usable - 1] == 3 && all_zero(p + usable, 400000 - usable));
	CHECK(RatMemFree(p) == RAT_STATUS_OK);
}

static void aligned(void)
{
	static const size_t al[] = { 1, 16, 32, 64, 256, 4096, 8192, 1 << 16, 1 << 21 };

	for (size_t i = 0; i < sizeof(al) / sizeof(al[0]); i++)
		for (size_t n = 0; n < 300000; n = n * 7 + 3) {
			unsigned char *p = RatMemAllocAligned(n, al[i]);

			CHECK(p && (uintptr_t)p % al[i] == 0 && all_zero(p, n));
			CHECK(RatMemUsableSize(p) >= n && RatMemUsableSize(p) >= 1);
			memset(p, 9, RatMemUsableSize(p));
			CHECK(RatMemFree(p) == RAT_STATUS_OK);
		}
	CHECK(RatMemAllocAligned(10, 24) == NULL);
	CHECK(RatGetLastError() == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemAllocAligned(10, 0) == NULL);
}

static void stats_count(void)
{
	RatHeapStats s0, s;
	void *p[100];

	RatMemHeapStats(&s0);
	for (int i = 0; i < 100; i++)
		p[i] = RatMemAlloc((size_t)i * 10);
	p[99] = RatMemRealloc(p[99], 200000);
	RatMemHeapStats(&s);
	CHECK(s.allocations == s0.allocations + 100);
	CHECK(s.bytes_in_use == s0.bytes_in_use + 99 * 98 * 10 / 2 + 200000);
	for (int i = 0; i < 100; i++)
		RatMemFree(p[i]);
	RatMemHeapStats(&s);
	CHECK(s.allocations == s0.allocations && s.bytes_in_use == s0.bytes_in_use);
}

/* Memory goes back: free everything, and committed bytes fall to what
 * the heap retains; a trim gives back the rest. */
static void memory_goes_back(void)
{
	static void *p[20000];
	size_t peak;

	for (int i = 0; i < 20000; i++)
		p[i] = RatMemAlloc(1000);
	peak = stub_committed();
	CHECK(peak >= 20000 * 1024);
	for (int i = 0; i < 20000; i++)
		RatMemFree(p[i]);
	CHECK(stub_committed() <= (4 << 20) + (64 << 10) * 48);
	printf("# peak %zu KiB, after frees %zu KiB\n", peak >> 10, stub_committed() >> 10);
}

static void quota_is_a_clean_null(void)
{
	static void *p[100000];
	int n = 0;

	stub_set_limit(stub_committed() + (8 << 20));
	for (; n < 100000; n++) {
		p[n] = RatMemAlloc(2000);
		if (!p[n])
			break;
		memset(p[n], 5, 2000);
	}
	CHECK(n > 1000 && n < 100000);
	CHECK(RatGetLastError() == RAT_STATUS_QUOTA);
	CHECK(RatMemAlloc(1 << 20) == NULL);
	for (int i = 0; i < n; i++) {
		CHECK(((unsigned char *)p[i])[1999] == 5);
		CHECK(RatMemFree(p[i]) == RAT_STATUS_OK);
	}
	stub_set_limit(SIZE_MAX);
	p[0] = RatMemAlloc(1 << 20);
	CHECK(p[0] != NULL);
	RatMemFree(p[0]);
}

/* ---- threads --------------------------------------------------------- */

#define QLEN 1024

struct queue {
	void *_Atomic slot[QLEN];
	int n;
};

static void *producer(void *arg)
{
	struct queue *q = arg;

	for (int i = 0; i < q->n; i++) {
		unsigned char *p = RatMemAlloc(16 + (size_t)(i % 1000));
		size_t k = (size_t)i % QLEN;

		if (!p)
			abort();
		if (!all_zero(p, 16 + (size_t)(i % 1000)))
			abort();
		memset(p, 0x3c, 16);
		while (atomic_load(&q->slot[k]))
			sched_yield();
		atomic_store(&q->slot[k], p);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct queue *q = arg;

	for (int i = 0; i < q->n; i++) {
		size_t k = (size_t)i % QLEN;
		unsigned char *p;

		while (!(p = atomic_load(&q->slot[k])))
			sched_yield();
		atomic_store(&q->slot[k], NULL);
		if (p[0] != 0x3c || RatMemFree(p) != RAT_STATUS_OK)
			abort();
	}
	return NULL;
}

static void producer_consumer(void)
{
	static struct queue q = { .n = 200000 };
	pthread_t a, b;
	RatHeapStats s0, s;

	RatMemHeapStats(&s0);
	pthread_create(&a, NULL, producer, &q);
	pthread_create(&b, NULL, consumer, &q);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	RatMemHeapStats(&s);
	CHECK(s.allocations == s0.allocations && s.bytes_in_use == s0.bytes_in_use);
}

static void *churn(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	unsigned char *slot[256] = { 0 };
	unsigned char tag = (unsigned char)(seed | 1);
	size_t len[256] = { 0 };

	for (int i = 0; i < 100000; i++) {
		unsigned int k = rnd(&seed) % 256, r = rnd(&seed);
		size_t n = r % 97 == 0 ? 150000 + r % 9000 : r % 3000;

		if (slot[k]) {
			for (size_t j = 0; j < len[k]; j++)
				if (slot[k][j] != tag)
					abort();
			if (RatMemFree(slot[k]) != RAT_STATUS_OK)
				abort();
		}
		slot[k] = RatMemAlloc(n);
		if (!slot[k] || !all_zero(slot[k], n))
			abort();
		memset(slot[k], tag, n);
		len[k] = n;
	}
	for (int k = 0; k < 256; k++)
		RatMemFree(slot[k]);
	return NULL;
}

static void threads_churn(void)
{
	pthread_t t[4];

	for (uintptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, churn, (void *)(i * 7919 + 1));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

/*
 * A second free from another thread is refused while the owner sits in
 * pthread_join() and so cannot take the block back off the remote list.
 * (Once the owner may allocate again, the pointer may name a new live
 * block, and a second free is no longer an error anyone can see.)
 */
static void *free_each_twice(void *arg)
{
	void **p = arg;

	for (int i = 0; i < 64; i++) {
		CHECK(RatMemFree(p[i]) == RAT_STATUS_OK);
		CHECK(RatMemFree(p[i]) == RAT_STATUS_INVALID_ARG);
	}
	return NULL;
}

static void remote_double_free_refused(void)
{
	static void *p[64];
	pthread_t t;

	for (int i = 0; i < 64; i++) {
		p[i] = RatMemAlloc(48);
		CHECK(p[i] != NULL);
		memset(p[i], 0x5a, 48);
	}
	pthread_create(&t, NULL, free_each_twice, p);
	pthread_join(t, NULL);
	for (int i = 0; i < 64; i++)
		CHECK(RatMemFree(p[i]) == RAT_STATUS_INVALID_ARG);
	for (int i = 0; i < 64; i++) {
		unsigned char *q = RatMemAlloc(48);

		CHECK(q && all_zero(q, 48));
		p[i] = q;
	}
	for (int i = 0; i < 64; i++)
		CHECK(RatMemFree(p[i]) == RAT_STATUS_OK);
}

/* Blocks of an exited thread are freed by others and adopted. */
static void *leave_blocks(void *arg)
{
	void **p = arg;

	for (int i = 0; i < 1000; i++)
		p[i] = RatMemAlloc(64);
	return NULL;
}

static void exited_threads_spans_adopted(void)
{
	static void *p[1000];
	pthread_t t;

	pthread_create(&t, NULL, leave_blocks, p);
	pthread_join(t, NULL);
	for (int i = 0; i < 1000; i += 2)
		CHECK(RatMemFree(p[i]) == RAT_STATUS_OK);
	for (int i = 0; i < 2000; i++) {
		unsigned char *q = RatMemAlloc(64);

		CHECK(q && all_zero(q, 64));
		memset(q, 1, 64);
	}
	for (int i = 1; i < 1000; i += 2)
		CHECK(RatMemFree(p[i]) == RAT_STATUS_OK);
}

/* ---- fork ------------------------------------------------------------ */

static void *spin_alloc(void *arg)
{
	_Atomic int *stop = arg;

	while (!atomic_load(stop))
		RatMemFree(RatMemAlloc(100));
	return NULL;
}

static void fork_child_empty(void)
{
	static _Atomic int stop;
	unsigned char *p = RatMemAlloc(1000);
	RatHeapStats s;
	pthread_t t;
	pid_t pid;
	int status;

	pthread_create(&t, NULL, spin_alloc, &stop);
	memset(p, 0x55, 1000);
	pid = fork();
	if (pid == 0) {
		/* The stub's memory is inherited, unlike ratmem's: the heap
		 * must still forget the parent's blocks. */
		int bad = RatMemFree(p) != RAT_STATUS_INVALID_ARG;

		RatMemHeapStats(&s);
		bad |= s.allocations != 0 || s.bytes_in_use != 0;
		for (int i = 0; i < 1000 && !bad; i++) {
			unsigned char *q = RatMemAlloc(100);

			bad |= !q || !all_zero(q, 100);
			RatMemFree(q);
		}
		_exit(bad);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	CHECK(p[999] == 0x55 && RatMemFree(p) == RAT_STATUS_OK);
}

/* A failed realloc leaves the block as it was (issue 17 review). */
static void failed_realloc_keeps_the_block(void)
{
	unsigned char *p = RatMemAlloc(100), *big = RatMemAlloc(1 << 20);

	memset(p, 4, 100);
	CHECK(RatMemRealloc(p, SIZE_MAX / 2) == NULL);
	CHECK(RatMemRealloc(big, SIZE_MAX - 4096) == NULL);
	CHECK(p[99] == 4 && RatMemUsableSize(p) >= 100);
	/* Interior pointers of a large block are refused, not misread. */
	CHECK(RatMemFree(big + 8192) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemFree(big + (1 << 20) - 16) == RAT_STATUS_INVALID_ARG);
	CHECK(RatMemFree(p) == RAT_STATUS_OK);
	CHECK(RatMemFree(big) == RAT_STATUS_OK);
	CHECK(RatMemAllocAligned((size_t)1 << 62, (size_t)1 << 63) == NULL);
}

/* A write after free into a free-list link must not turn the heap into
 * a tool that hands out arbitrary memory: the next allocation from that
 * list aborts (in a child). */
static void overwritten_link_aborts(void)
{
	static long target;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		unsigned char *a = RatMemAlloc(48), *b = RatMemAlloc(48);
		void **link = (void **)b;

		RatMemFree(a);
		RatMemFree(b);			/* b's link now points at a */
		*link = &target;		/* the bug: a write after free */
		RatMemAlloc(48);		/* b */
		RatMemAlloc(48);		/* would be &target */
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

static const struct ktap_case tests[] = {
	{ "failed_realloc_keeps_the_block", failed_realloc_keeps_the_block },
	{ "overwritten_link_aborts", overwritten_link_aborts },
	{ "zeroed_aligned_distinct", zeroed_aligned_distinct },
	{ "bad_frees_refused", bad_frees_refused },
	{ "realloc_keeps_and_zeroes", realloc_keeps_and_zeroes },
	{ "aligned", aligned },
	{ "stats_count", stats_count },
	{ "memory_goes_back", memory_goes_back },
	{ "quota_is_a_clean_null", quota_is_a_clean_null },
	{ "producer_consumer", producer_consumer },
	{ "threads_churn", threads_churn },
	{ "remote_double_free_refused", remote_double_free_refused },
	{ "exited_threads_spans_adopted", exited_threads_spans_adopted },
	{ "fork_child_empty", fork_child_empty },
};

int main(void)
{
	int n = (int)(sizeof(tests) / sizeof(tests[0]));

	printf("KTAP version 1\n1..%d\n", n);
	return ktap_run(tests, n);
}
