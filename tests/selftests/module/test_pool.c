// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: the per-node pools of zeroed pages (module/pool.c).
 *
 * The pool figures come from the status request (RATMEM_A_POOL). The
 * regions here are bound to node 0, so their pages come from node 0's
 * pool on one-node and two-node guests alike. Each test sets pool_pages
 * and pool_idle_secs and puts them back. The charge to the memory cgroup
 * is tested in test_memcg.c.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "harness.h"
#include "mem.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define POOL_PAGES 64

static size_t first_nonzero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return i;
	return n;
}

struct pool_fig {
	uint64_t pages, hits, misses, filled, drained;
};

static struct pool_fig pool_node0(void)
{
	struct rt_genl g;
	struct rt_genl_msg m;
	struct pool_fig f;

	rt_genl_open(&g);
	m = rt_status(&g);
	rt_genl_close(&g);
	ASSERT_TRUE(RT_HAVE(&m, RATMEM_A_POOL));
	ASSERT_TRUE(m.pool_nodes & 1);
	f.pages = m.pool[0][RATMEM_POOL_A_PAGES];
	f.hits = m.pool[0][RATMEM_POOL_A_HITS];
	f.misses = m.pool[0][RATMEM_POOL_A_MISSES];
	f.filled = m.pool[0][RATMEM_POOL_A_FILLED];
	f.drained = m.pool[0][RATMEM_POOL_A_DRAINED];
	return f;
}

/* Poll node 0's pool until it holds at least (want) or at most (!want) n pages. */
static struct pool_fig pool_wait(uint64_t n, int at_least, int seconds)
{
	struct pool_fig f;

	for (int i = 0; i < seconds * 10; i++) {
		f = pool_node0();
		if (at_least ? f.pages >= n : f.pages <= n)
			return f;
		usleep(100000);
	}
	rt_fail(__FILE__, __LINE__, "node 0's pool has %llu pages after %d s, wanted %s %llu",
		(unsigned long long)f.pages, seconds, at_least ? "at least" : "at most",
		(unsigned long long)n);
	return f;
}

struct saved_params {
	char pages[32], idle[32];
};

static struct saved_params params_set(const char *pages, const char *idle)
{
	struct saved_params s;

	rt_read_param("pool_pages", s.pages, sizeof(s.pages));
	rt_read_param("pool_idle_secs", s.idle, sizeof(s.idle));
	ASSERT_EQ(rt_write_param("pool_pages", pages), 0);
	ASSERT_EQ(rt_write_param("pool_idle_secs", idle), 0);
	return s;
}

static void params_restore(const struct saved_params *s)
{
	ASSERT_EQ(rt_write_param("pool_pages", s->pages), 0);
	ASSERT_EQ(rt_write_param("pool_idle_secs", s->idle), 0);
}

/* A committed region of @pages bound to node 0, mapped read-write. */
static unsigned char *node0_region(int fd, uint64_t pages, uint32_t *handle)
{
	struct ratmem_create c = { .size = pages * PG, .flags = RATMEM_CREATE_COMMIT,
				   .rights = RATMEM_RIGHTS_ALL, .numa_node = -1,
				   .policy = RATMEM_POLICY_BIND, .nodemask = 1 };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_CREATE, &c), 0);
	*handle = c.handle;
	return rt_map_ok(fd, c.handle, 0, pages * PG, RW);
}

static void drop_caches(void)
{
	FILE *f = fopen("/proc/sys/vm/drop_caches", "we");

	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fputs("2\n", f) >= 0);
	ASSERT_EQ(fclose(f), 0);
}

/* First touches take zeroed pages from the pool: every one a hit. */
TEST_TIMEOUT(pool_serves_first_touches, 120)
{
	struct saved_params saved = params_set("64", "60");
	struct rt_counters before = rt_counters_now();
	struct pool_fig f0, f1;
	unsigned char *p;
	uint32_t h;
	int fd;

	fd = rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NUMA, 0);
	p = node0_region(fd, 256, &h);
	drop_caches();			/* whatever earlier tests left: refilled below */
	p[0] = 1;			/* makes the pool, if there is none */
	f0 = pool_wait(POOL_PAGES, 1, 20);
	for (int i = 1; i <= 32; i++) {
		ASSERT_EQ(p[i * PG + 100], 0);		/* read first: zero */
		ASSERT_EQ(first_nonzero(p + i * PG, PG), PG);
		p[i * PG] = 0x5a;
	}
	f1 = pool_node0();
	rt_diag("node 0: hits %llu -> %llu, misses %llu -> %llu, ready %llu -> %llu",
		(unsigned long long)f0.hits, (unsigned long long)f1.hits,
		(unsigned long long)f0.misses, (unsigned long long)f1.misses,
		(unsigned long long)f0.pages, (unsigned long long)f1.pages);
	ASSERT_EQ(f1.hits - f0.hits, 32);
	ASSERT_EQ(f1.misses, f0.misses);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 33);
	ASSERT_EQ(munmap(p, 256 * PG), 0);
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
	params_restore(&saved);
}

/* The shrinker (drop_caches) gives every pool page back. */
TEST_TIMEOUT(pool_shrinker_drains, 120)
{
	struct saved_params saved = params_set("64", "60");
	struct pool_fig f0, f1;
	unsigned char *p;
	uint32_t h;
	int fd;

	fd = rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NUMA, 0);
	p = node0_region(fd, 4, &h);
	drop_caches();			/* whatever earlier tests left: refilled below */
	p[0] = 1;
	f0 = pool_wait(POOL_PAGES, 1, 20);
	/* No fault takes while the shrinker runs: the refill stays idle. */
	drop_caches();
	f1 = pool_node0();
	rt_diag("node 0: ready %llu -> %llu, drained %llu -> %llu",
		(unsigned long long)f0.pages, (unsigned long long)f1.pages,
		(unsigned long long)f0.drained, (unsigned long long)f1.drained);
	ASSERT_EQ(f1.pages, 0);
	ASSERT_TRUE(f1.drained - f0.drained >= f0.pages);
	close(fd);
	params_restore(&saved);
}

/* An idle pool gives its pages back, and pool_pages 0 turns pools off. */
TEST_TIMEOUT(pool_idle_and_off, 120)
{
	struct saved_params saved = params_set("64", "1");
	struct pool_fig f0, f1;
	unsigned char *p;
	uint32_t h;
	int fd;

	fd = rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NUMA, 0);
	p = node0_region(fd, 64, &h);
	p[0] = 1;
	pool_wait(1, 1, 20);
	/* Idle for 1 s: the next refill pass (at most 1 s later) frees it. */
	pool_wait(0, 0, 20);

	ASSERT_EQ(rt_write_param("pool_pages", "0"), 0);
	f0 = pool_node0();
	for (int i = 1; i < 32; i++)
		p[i * PG] = 1;
	sleep(2);
	f1 = pool_node0();
	ASSERT_EQ(f1.pages, 0);
	ASSERT_EQ(f1.hits, f0.hits);
	ASSERT_EQ(f1.misses, f0.misses);	/* no pool asked */
	ASSERT_EQ(f1.filled, f0.filled);
	close(fd);
	params_restore(&saved);
}

/* ---- races: faults against the shrinker and pools turned off and on --- */

static atomic_int race_stop;

static void *race_faults(void *arg)
{
	int fd = *(int *)arg;
	long bad = 0;

	while (!atomic_load(&race_stop)) {
		uint32_t h;
		unsigned char *p = node0_region(fd, 32, &h);
		struct ratmem_close c = { .handle = h };

		for (int i = 0; i < 32; i++) {
			if (first_nonzero(p + i * PG, PG) != PG)
				bad++;
			memset(p + i * PG, 0xee, PG);
		}
		ASSERT_EQ(munmap(p, 32 * PG), 0);
		ASSERT_EQ(ioctl(fd, RATMEM_IOC_CLOSE, &c), 0);
	}
	return (void *)bad;
}

static void *race_drain(void *arg)
{
	(void)arg;
	for (int i = 0; !atomic_load(&race_stop); i++) {
		drop_caches();
		ASSERT_EQ(rt_write_param("pool_pages", i % 3 ? "64" : "0"), 0);
		usleep(20000);
	}
	return NULL;
}

/*
 * Four faulting threads, the shrinker and pool_pages flipping between 0
 * and 64 for 20 s: every page arrives zeroed, and nothing is leaked (the
 * debug kernel's KASAN and kmemleak watch the pool's lists and frees).
 */
TEST_TIMEOUT(pool_race_faults_shrinker_toggle, 180)
{
	struct saved_params saved = params_set("64", "1");
	struct rt_counters before = rt_counters_now();
	pthread_t t[5];
	void *bad;
	long total = 0;
	int fd;

	fd = rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NUMA, 0);
	atomic_store(&race_stop, 0);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, race_faults, &fd), 0);
	ASSERT_EQ(pthread_create(&t[4], NULL, race_drain, NULL), 0);
	sleep(20);
	atomic_store(&race_stop, 1);
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(pthread_join(t[i], &bad), 0);
		total += (long)bad;
	}
	ASSERT_EQ(total, 0);
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
	/*
	 * The last takes may have kicked a refill that is still adding
	 * pages, so a drop_caches() now could be followed by more. With no
	 * take since, the pool is idle: the refill pass frees it within
	 * pool_idle_secs (1) plus a pass.
	 */
	pool_wait(0, 0, 20);
	params_restore(&saved);
}
