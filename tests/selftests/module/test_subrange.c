// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: sub-range grants (RATMEM_IOC_GRANT_RANGE). The grantee sees
 * [offset, offset + length) of the region as a region of length bytes:
 * every boundary (one page before, at and after each end) through mmap,
 * COMMIT, DECOMMIT, WAIT, WAKE, QUERY and re-grants; re-grants that
 * narrow; overlapping grants revoked one at a time; the owner's
 * decommit seen through a sub-range; the quotas' shared bytes.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "agent.h"
#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL
#define GR RATMEM_RIGHT_GRANT
#define NPAGES 8
#define MIB2 (2ULL << 20)

static int range_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_GRANT_RANGE, 1ULL << RATMEM_IOC_NR_GRANT_RANGE);
}

/* GRANT_RANGE: 0 and *cap, or -errno. */
static int grant_range(int fd, uint32_t h, uint32_t rights, int pidfd, uint64_t off,
		       uint64_t len, uint64_t *cap)
{
	struct ratmem_grant_range g = { .handle = h, .rights = rights, .pidfd = pidfd,
					.offset = off, .length = len };

	if (ioctl(fd, RATMEM_IOC_GRANT_RANGE, &g))
		return -errno;
	*cap = g.cap_id;
	return 0;
}

static uint64_t grant_range_ok(int fd, uint32_t h, uint32_t rights, int pidfd, uint64_t off,
			       uint64_t len)
{
	uint64_t cap = 0;

	ASSERT_EQ(grant_range(fd, h, rights, pidfd, off, len, &cap), 0);
	return cap;
}

static int range_op(int fd, unsigned long cmd, uint32_t h, uint64_t off, uint64_t len)
{
	struct ratmem_range r = { .handle = h, .offset = off, .length = len };

	return ioctl(fd, cmd, &r) ? -errno : 0;
}

static int wake(int fd, uint32_t h, uint64_t off, uint32_t *woken)
{
	struct ratmem_wake w = { .handle = h, .offset = off, .count = 8 };

	if (ioctl(fd, RATMEM_IOC_WAKE, &w))
		return -errno;
	if (woken)
		*woken = w.woken;
	return 0;
}

/* A region of @n 2 MiB pages, committed. */
static uint32_t huge_region(int fd, uint64_t n)
{
	struct ratmem_create c = { .size = n * MIB2, .flags = RATMEM_CREATE_COMMIT, .rights = ALL,
				   .page_shift = RATMEM_PAGE_SHIFT_2M, .numa_node = -1 };

	ASSERT_EQ(rat_create(fd, &c), 0);
	return c.handle;
}

/* A region of NPAGES pages, page i filled with 0x10 + i, mapped by the owner. */
static unsigned char *filled_region(int fd, uint32_t *h)
{
	unsigned char *p;

	*h = rt_region(fd, NPAGES, ALL, RATMEM_CREATE_COMMIT);
	p = rt_map_ok(fd, *h, 0, NPAGES * PG, RW);
	for (int i = 0; i < NPAGES; i++)
		memset(p + i * PG, 0x10 + i, PG);
	return p;
}

TEST(grant_range_bad_arguments)
{
	int fd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h = rt_region(fd, NPAGES, ALL, RATMEM_CREATE_COMMIT);
	uint32_t huge;
	struct ratmem_grant_range g = { .handle = h, .rights = RT_RM, .pidfd = self,
					.offset = 0, .length = PG };
	struct rt_counters before = rt_counters_now();
	uint64_t cap = 0;

	ASSERT_EQ(grant_range(fd, h, RT_RM, self, 0, 0, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, h, RT_RM, self, 1, PG, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, h, RT_RM, self, 0, PG + 1, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, h, RT_RM, self, NPAGES * PG, PG, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, h, RT_RM, self, (NPAGES - 1) * PG, 2 * PG, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, h, RT_RM, self, -PG, 2 * PG, &cap), -EINVAL);	/* wraps */
	ASSERT_EQ(grant_range(fd, h, RT_RM, self, PG, -PG, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, h, RT_RM | RATMEM_RIGHT_EXEC << 8, self, 0, PG, &cap), -EINVAL);
	g.flags = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT_RANGE, &g), EINVAL);
	g.flags = 0;
	g.reserved[1] = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT_RANGE, &g), EINVAL);
	g.reserved[1] = 0;
	g.lease_ns = RATMEM_LEASE_MAX_NS + 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT_RANGE, &g), EINVAL);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_GRANT_RANGE, NULL), EFAULT);
	ASSERT_EQ(grant_range(fd, h + 100, RT_RM, self, 0, PG, &cap), -EBADF);
	{
		uint32_t closed = rt_dup(fd, h, ALL), nogrant = rt_dup(fd, h, RT_RWM);
		int other = range_ctx();

		ASSERT_EQ(rat_close_handle(fd, closed), 0);
		ASSERT_EQ(grant_range(fd, closed, RT_RM, self, 0, PG, &cap), -EBADF);
		ASSERT_EQ(grant_range(fd, nogrant, RT_RM, self, 0, PG, &cap), -EPERM);
		/* Another context's handle number means nothing here. */
		ASSERT_EQ(grant_range(other, h, RT_RM, self, 0, PG, &cap), -EBADF);
		ASSERT_EQ(rat_close_handle(fd, nogrant), 0);
		close(other);
	}
	/* Nothing was made by any of that. */
	rt_counters_expect(before, RT_C_SHARING);

	/* 2 MiB pages: the range is in 2 MiB units. */
	huge = huge_region(fd, 2);
	ASSERT_EQ(grant_range(fd, huge, RT_RM, self, PG, MIB2, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, huge, RT_RM, self, 0, PG, &cap), -EINVAL);
	ASSERT_EQ(grant_range(fd, huge, RT_RM, self, MIB2, MIB2, &cap), 0);
	ASSERT_EQ(rt_revoke(fd, huge, cap), 0);
	close(self);
	close(fd);
}

/*
 * Pages 2, 3 and 4 of 8, granted and accepted: every operation of the
 * grantee's handle sees three pages, which are the region's 2 to 4, and
 * nothing of pages 1 or 5.
 */
TEST(subrange_boundaries)
{
	struct rt_counters before = rt_counters_now();
	int fd = range_ctx(), gfd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h, gh, woken = 9;
	unsigned char *p = filled_region(fd, &h), *g;
	struct ratmem_query q = { 0 };
	uint64_t cap = 0;

	cap = grant_range_ok(fd, h, RT_RWM, self, 2 * PG, 3 * PG);
	gh = rt_accept_ok(gfd, cap, RT_RWM);
	q.handle = gh;
	ASSERT_EQ(ioctl(gfd, RATMEM_IOC_QUERY, &q), 0);
	ASSERT_EQ(q.size, 3 * PG);
	ASSERT_EQ(q.committed, 3 * PG);

	/* mmap: at both ends and not past them. */
	g = rt_map_ok(gfd, gh, 0, 3 * PG, RW);
	ASSERT_EQ(g[0], 0x12);				/* the range's first page */
	ASSERT_EQ(g[3 * PG - 1], 0x14);			/* its last */
	g[PG] = 0x7a;
	ASSERT_EQ(p[3 * PG], 0x7a);			/* the same memory */
	ASSERT_EQ(munmap(g, 3 * PG), 0);
	g = rt_map_ok(gfd, gh, 2 * PG, PG, RW);
	ASSERT_EQ(g[0], 0x14);
	ASSERT_EQ(munmap(g, PG), 0);
	ASSERT_TRUE(rt_map(gfd, gh, 0, 4 * PG, RW) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	ASSERT_TRUE(rt_map(gfd, gh, 3 * PG, PG, RW) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	ASSERT_TRUE(rt_map(gfd, gh, 2 * PG, 2 * PG, RW) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	/* A mapping cannot grow past the range either. */
	g = rt_map_ok(gfd, gh, 0, 3 * PG, RW);
	ASSERT_TRUE(mremap(g, 3 * PG, 4 * PG, 0) == MAP_FAILED);
	ASSERT_EQ(munmap(g, 3 * PG), 0);

	/* COMMIT and DECOMMIT: the last page is the region's page 4. */
	ASSERT_EQ(range_op(gfd, RATMEM_IOC_DECOMMIT, gh, 3 * PG, PG), -EINVAL);
	ASSERT_EQ(range_op(gfd, RATMEM_IOC_DECOMMIT, gh, 2 * PG, 2 * PG), -EINVAL);
	ASSERT_EQ(range_op(gfd, RATMEM_IOC_COMMIT, gh, 0, 4 * PG), -EINVAL);
	ASSERT_EQ(range_op(gfd, RATMEM_IOC_DECOMMIT, gh, 2 * PG, PG), 0);
	rt_expect_sigbus(p + 4 * PG, 0);
	ASSERT_EQ(p[5 * PG], 0x15);			/* one page after: untouched */
	ASSERT_EQ(p[PG], 0x11);				/* one before too */
	ASSERT_EQ(range_op(gfd, RATMEM_IOC_COMMIT, gh, 2 * PG, PG), 0);
	ASSERT_EQ(p[4 * PG], 0);
	q.handle = gh;
	ASSERT_EQ(ioctl(gfd, RATMEM_IOC_QUERY, &q), 0);
	ASSERT_EQ(q.committed, 3 * PG);
	/* The range's committed bytes, not the region's. */
	ASSERT_EQ(range_op(fd, RATMEM_IOC_DECOMMIT, h, 6 * PG, 2 * PG), 0);
	ASSERT_EQ(ioctl(gfd, RATMEM_IOC_QUERY, &q), 0);
	ASSERT_EQ(q.committed, 3 * PG);
	ASSERT_EQ(range_op(fd, RATMEM_IOC_DECOMMIT, h, 3 * PG, PG), 0);
	ASSERT_EQ(ioctl(gfd, RATMEM_IOC_QUERY, &q), 0);
	ASSERT_EQ(q.committed, 2 * PG);
	ASSERT_EQ(range_op(fd, RATMEM_IOC_COMMIT, h, 3 * PG, PG), 0);

	/* POLICY steers the whole region: not for a range's holder. */
	ASSERT_EQ(rat_policy(gfd, gh, RATMEM_POLICY_DEFAULT, 0), -EPERM);
	ASSERT_EQ(rat_policy(fd, h, RATMEM_POLICY_DEFAULT, 0), 0);

	/* WAKE: the last word of the range, not one past it. */
	ASSERT_EQ(wake(gfd, gh, 3 * PG - 4, &woken), 0);
	ASSERT_EQ(woken, 0);
	ASSERT_EQ(wake(gfd, gh, 3 * PG, NULL), -EINVAL);

	ASSERT_EQ(munmap(p, NPAGES * PG), 0);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	close(gfd);
	close(self);
	close(fd);
	rt_counters_expect(before, RT_C_SHARING);
}

struct waiter {
	int fd;
	uint32_t h;
	uint64_t off;
	int ret;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	struct ratmem_wait r = { .handle = w->h, .offset = w->off, .expected = 0,
				 .timeout_ns = 60000000000LL };

	w->ret = ioctl(w->fd, RATMEM_IOC_WAIT, &r) ? -errno : 0;
	return NULL;
}

/* A word at the range's offset 8 is the region's word at 2 pages + 8. */
TEST(subrange_wait_wake_same_word)
{
	int fd = range_ctx(), gfd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h = rt_region(fd, NPAGES, ALL, RATMEM_CREATE_COMMIT), gh, woken = 0;
	struct waiter w = { .fd = gfd, .off = 8 };
	uint64_t cap = 0;
	pthread_t t;

	cap = grant_range_ok(fd, h, RT_RWM, self, 2 * PG, 3 * PG);
	gh = rt_accept_ok(gfd, cap, RT_RWM);
	w.h = gh;
	ASSERT_EQ(pthread_create(&t, NULL, wait_thread, &w), 0);
	/* The owner wakes the region's word; nobody waits at offset 8 of it. */
	for (int i = 0; i < 6000 && !woken; i++) {
		ASSERT_EQ(wake(fd, h, 8, &woken), 0);
		ASSERT_EQ(woken, 0);
		ASSERT_EQ(wake(fd, h, 2 * PG + 8, &woken), 0);
		if (!woken)
			usleep(10000);
	}
	ASSERT_EQ(woken, 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	ASSERT_EQ(w.ret, 0);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	close(gfd);
	close(self);
	close(fd);
}

/*
 * A re-grant narrows: of the grantee's three pages, the middle one. It
 * cannot widen, and the original grant's revocation takes it along.
 */
TEST(subrange_regrant_narrows)
{
	struct rt_counters before = rt_counters_now();
	int fd = range_ctx(), gfd = range_ctx(), cfd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h, gh, ch;
	unsigned char *p = filled_region(fd, &h), *c;
	uint64_t cap, sub, bad;

	cap = grant_range_ok(fd, h, RT_RWM | GR, self, 2 * PG, 3 * PG);
	gh = rt_accept_ok(gfd, cap, RT_RWM | GR);
	ASSERT_EQ(grant_range(gfd, gh, RT_RM, self, 2 * PG, 2 * PG, &bad), -EINVAL);
	ASSERT_EQ(grant_range(gfd, gh, RT_RM, self, 0, 4 * PG, &bad), -EINVAL);
	ASSERT_EQ(grant_range(gfd, gh, RT_RM, self, 3 * PG, PG, &bad), -EINVAL);
	sub = grant_range_ok(gfd, gh, RT_RM, self, PG, PG);
	ch = rt_accept_ok(cfd, sub, RT_RM);
	c = rt_map_ok(cfd, ch, 0, PG, PROT_READ);
	ASSERT_EQ(c[0], 0x13);				/* the region's page 3 */
	ASSERT_TRUE(rt_map(cfd, ch, PG, PG, PROT_READ) == MAP_FAILED);
	/* A whole-view GRANT through a sub-range is the same range. */
	bad = rt_grant_ok(gfd, gh, RT_RM, self);
	ch = rt_accept_ok(cfd, bad, RT_RM);
	{
		struct ratmem_query q = { .handle = ch };

		ASSERT_EQ(ioctl(cfd, RATMEM_IOC_QUERY, &q), 0);
		ASSERT_EQ(q.size, 3 * PG);
	}
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_expect_sigbus(c, 0);
	ASSERT_EQ(rt_revoke(gfd, gh, sub), -ENOLINK);	/* its handle went with it */
	ASSERT_EQ(munmap(c, PG), 0);
	ASSERT_EQ(munmap(p, NPAGES * PG), 0);
	close(cfd);
	close(gfd);
	close(self);
	close(fd);
	rt_counters_expect(before, RT_C_SHARING);
}

/* Two grants that overlap on page 3: revoking one leaves the other whole. */
TEST(overlapping_subranges_revoked_one_at_a_time)
{
	struct rt_counters before = rt_counters_now();
	int fd = range_ctx(), gfd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h, ga, gb;
	unsigned char *p = filled_region(fd, &h), *a, *b;
	uint64_t ca, cb;

	ca = grant_range_ok(fd, h, RT_RWM, self, 1 * PG, 3 * PG);	/* pages 1-3 */
	cb = grant_range_ok(fd, h, RT_RWM, self, 3 * PG, 2 * PG);	/* pages 3-4 */
	ga = rt_accept_ok(gfd, ca, RT_RWM);
	gb = rt_accept_ok(gfd, cb, RT_RWM);
	a = rt_map_ok(gfd, ga, 0, 3 * PG, RW);
	b = rt_map_ok(gfd, gb, 0, 2 * PG, RW);
	a[2 * PG] = 0x5e;				/* page 3 through a */
	ASSERT_EQ(b[0], 0x5e);				/* is page 3 through b */
	ASSERT_EQ(rt_revoke(fd, h, ca), 0);
	rt_expect_sigbus(a, 0);
	rt_expect_sigbus(a + 2 * PG, 0);
	ASSERT_EQ(b[0], 0x5e);
	b[PG] = 0x5f;
	ASSERT_EQ(p[4 * PG], 0x5f);
	ASSERT_EQ(rt_revoke(fd, h, cb), 0);
	rt_expect_sigbus(b, 0);
	ASSERT_EQ(p[3 * PG], 0x5e);			/* the owner keeps it all */
	ASSERT_EQ(munmap(a, 3 * PG), 0);
	ASSERT_EQ(munmap(b, 2 * PG), 0);
	ASSERT_EQ(munmap(p, NPAGES * PG), 0);
	close(gfd);
	close(self);
	close(fd);
	rt_counters_expect(before, RT_C_SHARING);
}

/*
 * The owner decommits a page inside the range: the grantee's mapping of
 * it faults with SIGBUS, its neighbours do not; recommitted, it reads 0.
 */
TEST(owner_decommit_seen_through_subrange)
{
	int fd = range_ctx(), gfd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h, gh;
	unsigned char *p = filled_region(fd, &h), *g;
	uint64_t cap = 0;

	cap = grant_range_ok(fd, h, RT_RM, self, 2 * PG, 3 * PG);
	gh = rt_accept_ok(gfd, cap, RT_RM);
	g = rt_map_ok(gfd, gh, 0, 3 * PG, PROT_READ);
	ASSERT_EQ(g[PG], 0x13);
	ASSERT_EQ(range_op(fd, RATMEM_IOC_DECOMMIT, h, 3 * PG, PG), 0);
	rt_expect_sigbus(g + PG, 0);
	ASSERT_EQ(g[0], 0x12);
	ASSERT_EQ(g[2 * PG], 0x14);
	/* The grantee has no WRITE: it cannot commit it back itself. */
	ASSERT_EQ(range_op(gfd, RATMEM_IOC_COMMIT, gh, PG, PG), -EPERM);
	ASSERT_EQ(range_op(fd, RATMEM_IOC_COMMIT, h, 3 * PG, PG), 0);
	ASSERT_EQ(g[PG], 0);
	ASSERT_EQ(munmap(g, 3 * PG), 0);
	ASSERT_EQ(munmap(p, NPAGES * PG), 0);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	close(gfd);
	close(self);
	close(fd);
}

/* Shared bytes are the range's: the issuer and the holder each pay 2 pages. */
TEST(subrange_charges_its_length)
{
	int fd = range_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h = rt_region(fd, NPAGES, ALL, RATMEM_CREATE_COMMIT), gh;
	uint64_t shared0 = rt_quota_get(fd, -1).usage[RATMEM_RES_SHARED], cap;
	char line[256], want[64];
	FILE *f;
	int found = 0;

	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	p[0] = 1;		/* resident, but outside the range */
	cap = grant_range_ok(fd, h, RT_RM, self, 4 * PG, 2 * PG);
	ASSERT_EQ(rt_quota_get(fd, -1).usage[RATMEM_RES_SHARED], shared0 + 2 * PG);
	gh = rt_accept_ok(fd, cap, RT_RM);
	ASSERT_EQ(rt_quota_get(fd, -1).usage[RATMEM_RES_SHARED], shared0 + 4 * PG);
	/* fdinfo: the view's size, and where it starts. */
	snprintf(line, sizeof(line), "/proc/self/fdinfo/%d", fd);
	f = fopen(line, "r");
	ASSERT_TRUE(f != NULL);
	snprintf(want, sizeof(want), "ratmem-handle:\t%u ", gh);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want))) {
			ASSERT_TRUE(strstr(line, " size=8192 ") != NULL);
			ASSERT_TRUE(strstr(line, " resident=0 ") != NULL);
			ASSERT_TRUE(strstr(line, " offset=16384\n") != NULL);
			found = 1;
		}
	fclose(f);
	ASSERT_TRUE(found);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(rt_quota_get(fd, -1).usage[RATMEM_RES_SHARED], shared0);
	ASSERT_EQ(munmap(p, PG), 0);
	close(self);
	close(fd);
}

/* ---- race: sub-range grants, maps, decommits and revokes at once ------ */

struct range_race {
	int fd, gfd, self;
	uint32_t h;
	_Atomic int stop;
	_Atomic unsigned long bad;
};

/* The owner decommits and recommits single pages all the time. */
static void *decommit_thread(void *arg)
{
	struct range_race *r = arg;
	uint32_t seed = 5;

	while (!atomic_load(&r->stop)) {
		uint64_t off = (rt_rand(&seed) % NPAGES) * PG;

		if (range_op(r->fd, RATMEM_IOC_DECOMMIT, r->h, off, PG) ||
		    range_op(r->fd, RATMEM_IOC_COMMIT, r->h, off, PG))
			atomic_fetch_add(&r->bad, 1);
	}
	return NULL;
}

/*
 * 300 rounds: a random sub-range granted, accepted, mapped and read
 * through while the owner decommits pages under it and the grant is
 * revoked. Every byte read is 0 or the page's fill; every call ends in a
 * documented result; nothing is left behind. Reads that fault (a page
 * decommitted, the grant revoked) are expected: the mapping is read with
 * a syscall, which gets EFAULT instead of a signal.
 */
TEST_TIMEOUT(subrange_race_map_decommit_revoke, 240)
{
	struct rt_counters before = rt_counters_now();
	struct range_race r = { .fd = range_ctx(), .gfd = range_ctx() };
	unsigned char *p;
	uint32_t seed = 3;
	pthread_t t;
	int pipefd[2];

	r.self = rt_pidfd_open(getpid());
	p = filled_region(r.fd, &r.h);
	ASSERT_EQ(munmap(p, NPAGES * PG), 0);
	ASSERT_EQ(pipe(pipefd), 0);
	ASSERT_EQ(pthread_create(&t, NULL, decommit_thread, &r), 0);
	for (int i = 0; i < 300; i++) {
		uint64_t first = rt_rand(&seed) % NPAGES;
		uint64_t n = rt_rand(&seed) % (NPAGES - first) + 1, cap;
		unsigned char buf[16];
		uint32_t gh;
		int ret;
		unsigned char *g;

		cap = grant_range_ok(r.fd, r.h, RT_RM, r.self, first * PG, n * PG);
		gh = rt_accept_ok(r.gfd, cap, RT_RM);
		g = rt_map_ok(r.gfd, gh, 0, n * PG, PROT_READ);
		for (uint64_t k = 0; k < n; k++) {
			/* write(2) from the mapping: EFAULT, not SIGBUS, on a missing page. */
			if (write(pipefd[1], g + k * PG, sizeof(buf)) == (ssize_t)sizeof(buf)) {
				ASSERT_EQ(read(pipefd[0], buf, sizeof(buf)), (ssize_t)sizeof(buf));
				if (buf[0] != 0 && buf[0] != 0x10 + first + k)
					rt_fail(__FILE__, __LINE__, "page %llu of [%llu, +%llu) read %#x",
						(unsigned long long)k, (unsigned long long)first,
						(unsigned long long)n, buf[0]);
			}
		}
		if (rt_rand(&seed) % 2)
			ASSERT_EQ(rt_revoke(r.fd, r.h, cap), 0);
		ASSERT_EQ(munmap(g, n * PG), 0);
		ASSERT_EQ(rat_close_handle(r.gfd, gh), 0);
		ret = rt_revoke(r.fd, r.h, cap);
		ASSERT_TRUE(ret == 0 || ret == -ENOENT);
	}
	atomic_store(&r.stop, 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	ASSERT_EQ(r.bad, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	close(r.gfd);
	close(r.self);
	close(r.fd);
	rt_counters_expect(before, RT_C_SHARING);
}
