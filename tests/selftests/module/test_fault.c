// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: faults, fault-around and RATMEM_IOC_POPULATE.
 *
 * What a fault maps is seen through the minor-fault counter: a page that
 * fault-around (or POPULATE) mapped costs no fault when touched. What it
 * allocates is seen through the module's pages counter. Both are exact.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL

static int fault_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_POPULATE,
				1ULL << RATMEM_IOC_NR_POPULATE);
}

/* fault_around_pages as the module has it now. */
static unsigned int around(void)
{
	char buf[32];

	rt_read_param("fault_around_pages", buf, sizeof(buf));
	return (unsigned int)strtoul(buf, NULL, 10);
}

static long minflt(void)
{
	struct rusage ru;

	ASSERT_EQ(getrusage(RUSAGE_THREAD, &ru), 0);
	return ru.ru_minflt;
}

/* Minor faults taken while reading pages [first, last] of @p. */
static long faults_reading(const unsigned char *p, size_t first, size_t last)
{
	static unsigned char warm[2];
	const volatile unsigned char *v = p;
	long before;

	/* Run the code once so its own pages do not count. */
	(void)minflt();
	(void)*(volatile unsigned char *)warm;
	before = minflt();
	for (size_t i = first; i <= last; i++)
		(void)v[i * PG];
	return minflt() - before;
}

static int populate(int fd, const void *addr, uint64_t len, uint32_t flags)
{
	struct ratmem_populate a = { .addr = (uintptr_t)addr, .length = len, .flags = flags };

	return ioctl(fd, RATMEM_IOC_POPULATE, &a) ? -errno : 0;
}

TEST(fault_around_maps_resident_neighbours)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	unsigned int n = around();
	uint32_t h = rt_region(fd, 64, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *a = rt_map_ok(fd, h, 0, 64 * PG, RW);
	unsigned char *b;

	if (n < 2 || n > 16 || (n & (n - 1)))
		SKIP("fault_around_pages is %u; this test expects a power of two up to 16", n);
	for (size_t i = 0; i < 32; i++)
		a[i * PG] = (unsigned char)(i + 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 32);
	b = rt_map_ok(fd, h, 0, 64 * PG, RW);
	/* One fault maps the aligned block of resident pages around page 5. */
	ASSERT_EQ(faults_reading(b, 5, 5), 1);
	ASSERT_EQ(faults_reading(b, 0, n - 1), 0);
	ASSERT_EQ(faults_reading(b, n, n), 1);
	ASSERT_EQ(faults_reading(b, n, 2 * n - 1), 0);
	for (size_t i = 0; i < 32; i++)
		ASSERT_EQ(b[i * PG], i + 1);
	/* A page that is not resident is allocated alone, and maps nothing new. */
	ASSERT_EQ(faults_reading(b, 40, 40), 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 33);
	ASSERT_EQ(faults_reading(b, 41, 41), 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 34);
	ASSERT_EQ(munmap(a, 64 * PG), 0);
	ASSERT_EQ(munmap(b, 64 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(fault_around_stays_inside_the_vma)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	uint32_t h = rt_region(fd, 32, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *a = rt_map_ok(fd, h, 0, 32 * PG, RW);
	unsigned char *b;

	if (around() < 16)
		SKIP("fault_around_pages is below 16");
	memset(a, 0x6b, 32 * PG);
	/* Pages 4 to 9 only; the block around them is 0 to 15. */
	b = rt_map_ok(fd, h, 4 * PG, 6 * PG, RW);
	ASSERT_EQ(faults_reading(b, 2, 2), 1);
	ASSERT_EQ(faults_reading(b, 0, 5), 0);
	rt_expect_bytes(b, 6 * PG, 0x6b);
	/* A split piece maps only inside itself too. */
	ASSERT_EQ(munmap(b, 6 * PG), 0);
	b = rt_map_ok(fd, h, 0, 16 * PG, RW);
	ASSERT_EQ(mprotect(b + 8 * PG, 8 * PG, PROT_READ), 0);
	ASSERT_EQ(faults_reading(b, 3, 3), 1);
	ASSERT_EQ(faults_reading(b, 0, 7), 0);
	ASSERT_EQ(faults_reading(b, 8, 8), 1);
	ASSERT_EQ(faults_reading(b, 9, 15), 0);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, b + 9 * PG);
	ASSERT_EQ(munmap(a, 32 * PG), 0);
	ASSERT_EQ(munmap(b, 16 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(fault_around_sequential_allocates_committed_pages_only)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	unsigned int n = around();
	uint32_t h = rt_region(fd, 64, ALL, 0);
	unsigned char *p;

	if (n < 12 || n > 64)
		SKIP("fault_around_pages is %u; this test expects 12 to 64", n);
	ASSERT_EQ(rt_commit(fd, h, 0, 10 * PG), 0);
	ASSERT_EQ(rt_commit(fd, h, 60 * PG, 4 * PG), 0);
	p = rt_map_ok(fd, h, 0, 64 * PG, RW);
	ASSERT_EQ(madvise(p, 64 * PG, MADV_SEQUENTIAL), 0);
	/* From page 0 on: the ten committed pages, not one more. */
	ASSERT_EQ(faults_reading(p, 0, 0), 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 10);
	ASSERT_EQ(faults_reading(p, 1, 9), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 10 * PG);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 10);
	/* At the end of the region: four pages. */
	ASSERT_EQ(faults_reading(p, 60, 60), 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 14);
	ASSERT_EQ(faults_reading(p, 61, 63), 0);
	rt_expect_bytes(p, 10 * PG, 0);
	rt_expect_bytes(p + 60 * PG, 4 * PG, 0);
	ASSERT_EQ(munmap(p, 64 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(fault_around_random_maps_one_page)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	uint32_t h = rt_region(fd, 16, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *a = rt_map_ok(fd, h, 0, 16 * PG, RW);
	unsigned char *b = rt_map_ok(fd, h, 0, 16 * PG, RW);

	memset(a, 1, 16 * PG);
	ASSERT_EQ(madvise(b, 16 * PG, MADV_RANDOM), 0);
	ASSERT_EQ(faults_reading(b, 5, 5), 1);
	ASSERT_EQ(faults_reading(b, 4, 4), 1);
	ASSERT_EQ(faults_reading(b, 6, 6), 1);
	ASSERT_EQ(munmap(a, 16 * PG), 0);
	ASSERT_EQ(munmap(b, 16 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(populate_maps_every_page)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	uint32_t h = rt_region(fd, 64, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 64 * PG, RW);

	ASSERT_EQ(populate(fd, p, 64 * PG, 0), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 64);
	ASSERT_EQ(faults_reading(p, 0, 63), 0);
	rt_expect_bytes(p, 64 * PG, 0);
	/* Again: nothing changes. */
	ASSERT_EQ(populate(fd, p, 64 * PG, 0), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 64);
	/* Decommit still takes them from the mapping. */
	ASSERT_EQ(rt_decommit(fd, h, 8 * PG, 8 * PG), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 56);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 8 * PG);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 15 * PG);
	ASSERT_EQ(munmap(p, 64 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(populate_through_another_context_and_across_vmas)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx(), other = fault_ctx();
	uint32_t h = rt_region(fd, 8, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 8 * PG, RW);

	/* Two VMAs (mprotect split), populated by one call on another context. */
	ASSERT_EQ(mprotect(p + 4 * PG, 4 * PG, PROT_READ), 0);
	ASSERT_EQ(populate(other, p, 8 * PG, 0), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 8);
	ASSERT_EQ(faults_reading(p, 0, 7), 0);
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	ASSERT_EQ(rat_close(other), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(populate_errors)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	uint32_t h = rt_region(fd, 8, ALL, 0);
	unsigned char *p = rt_map_ok(fd, h, 0, 8 * PG, RW);
	unsigned char *anon = mmap(NULL, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ratmem_populate bad = { .addr = (uintptr_t)p, .length = PG, .pad = 1 };

	ASSERT_TRUE(anon != MAP_FAILED);
	ASSERT_ERRNO(populate(fd, p, PG, 1), EINVAL);
	ASSERT_ERRNO(populate(fd, p, 0, 0), EINVAL);
	ASSERT_ERRNO(populate(fd, p + 1, PG, 0), EINVAL);
	ASSERT_ERRNO(populate(fd, p, PG + 1, 0), EINVAL);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_POPULATE, &bad), EINVAL);
	bad.pad = 0;
	bad.reserved[0] = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_POPULATE, &bad), EINVAL);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_POPULATE, (void *)8), EFAULT);
	/* Not ratmem memory. */
	ASSERT_ERRNO(populate(fd, anon, PG, 0), EINVAL);
	/* Pages 0 to 3 committed: they are populated, then page 4 fails. */
	ASSERT_EQ(rt_commit(fd, h, 0, 4 * PG), 0);
	ASSERT_ERRNO(populate(fd, p, 8 * PG, 0), EFAULT);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 4);
	ASSERT_EQ(faults_reading(p, 0, 3), 0);
	/* A hole in the range. */
	ASSERT_EQ(rt_commit(fd, h, 0, 8 * PG), 0);
	ASSERT_EQ(munmap(p + 6 * PG, PG), 0);
	ASSERT_ERRNO(populate(fd, p + 4 * PG, 4 * PG, 0), ENOMEM);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 6);
	/* PROT_NONE. */
	ASSERT_EQ(mprotect(p + 7 * PG, PG, PROT_NONE), 0);
	ASSERT_ERRNO(populate(fd, p + 7 * PG, PG, 0), EFAULT);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 6);
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	ASSERT_EQ(munmap(anon, PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

static void populate_revoked_grantee(int sock, void *arg)
{
	int fd = fault_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	(void)arg;
	ASSERT_EQ(populate(fd, p, 4 * PG, 0), 0);
	ASSERT_EQ(p[0], 0x31);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	ASSERT_ERRNO(populate(fd, p, 4 * PG, 0), ENOLINK);
	rt_expect_sigbus(p + PG, 0);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	rt_send(sock, RT_MSG_DONE);
}

TEST(populate_of_a_revoked_mapping_enolink)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	struct rt_peer b;
	uint64_t cap;

	memset(p, 0x31, 4 * PG);
	rt_peer_start(&b, populate_revoked_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	rt_expect_bytes(p, 4 * PG, 0x31);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

/* Threads that write their own byte of every page of one region at once. */
struct same_pages {
	unsigned char *p;
	size_t pages;
	unsigned int byte;
	atomic_int *go;
};

static void *write_own_byte(void *arg)
{
	struct same_pages *s = arg;

	while (!atomic_load(s->go))
		;
	for (size_t i = 0; i < s->pages; i++)
		s->p[i * PG + s->byte] = (unsigned char)(s->byte + 1);
	return NULL;
}

/*
 * Two threads fault the same pages at the same time: each page is
 * allocated once (the pages counter), and both threads' bytes land in it.
 */
TEST_TIMEOUT(fault_race_same_pages_one_page_each, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	const size_t pages = 1024;
	atomic_int go = 0;
	struct same_pages s[2];
	pthread_t t[2];
	unsigned char *q;

	for (int round = 0; round < 4; round++) {
		uint32_t h = rt_region(fd, pages, ALL, RATMEM_CREATE_COMMIT);
		unsigned char *p = rt_map_ok(fd, h, 0, pages * PG, RW);

		atomic_store(&go, 0);
		for (int i = 0; i < 2; i++) {
			s[i] = (struct same_pages){ .p = p, .pages = pages, .byte = (unsigned int)i,
						    .go = &go };
			ASSERT_EQ(pthread_create(&t[i], NULL, write_own_byte, &s[i]), 0);
		}
		atomic_store(&go, 1);
		for (int i = 0; i < 2; i++)
			ASSERT_EQ(pthread_join(t[i], NULL), 0);
		ASSERT_EQ(rt_counters_now().pages, before.pages + pages);
		q = rt_map_ok(fd, h, 0, pages * PG, PROT_READ);
		for (size_t i = 0; i < pages; i++) {
			ASSERT_EQ(q[i * PG], 1);
			ASSERT_EQ(q[i * PG + 1], 2);
		}
		ASSERT_EQ(munmap(p, pages * PG), 0);
		ASSERT_EQ(munmap(q, pages * PG), 0);
		ASSERT_EQ(rat_close_handle(fd, h), 0);
		ASSERT_EQ(rt_counters_now().pages, before.pages);
	}
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

static __thread sigjmp_buf toucher_jmp;

static void toucher_sigbus(int sig)
{
	(void)sig;
	siglongjmp(toucher_jmp, 1);
}

struct toucher {
	unsigned char *p;
	size_t pages;
	atomic_int *stop;
	unsigned long sigbus, touched;
	int sequential;
};

static void *toucher_run(void *arg)
{
	struct toucher *t = arg;
	volatile size_t i = 0;

	while (!atomic_load(t->stop)) {
		if (sigsetjmp(toucher_jmp, 1)) {
			t->sigbus++;
			i = (i + 1) % t->pages;
			continue;
		}
		for (; i < t->pages; i++) {
			t->p[i * PG] = 1;
			t->touched++;
		}
		i = 0;
	}
	return NULL;
}

/*
 * Faults race decommit: once DECOMMIT returns, no page of the region is
 * left (a fault that passed its checks before has its PTE removed; one
 * after fails), so the pages counter is back where it started, each
 * time. Threads with and without MADV_SEQUENTIAL (which allocates pages
 * around each fault) hammer the region meanwhile.
 */
TEST_TIMEOUT(fault_race_decommit_leaves_no_page, 240)
{
	struct rt_counters before = rt_counters_now();
	int fd = fault_ctx();
	const size_t pages = 256;
	uint32_t h = rt_region(fd, pages, ALL, 0);
	unsigned char *p[2];
	struct sigaction sa = { .sa_handler = toucher_sigbus };
	struct toucher t[2];
	pthread_t th[2];
	atomic_int stop = 0;
	unsigned long faults = 0, sigbus = 0;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGBUS, &sa, NULL), 0);
	for (int i = 0; i < 2; i++) {
		p[i] = rt_map_ok(fd, h, 0, pages * PG, RW);
		t[i] = (struct toucher){ .p = p[i], .pages = pages, .stop = &stop };
	}
	ASSERT_EQ(madvise(p[1], pages * PG, MADV_SEQUENTIAL), 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, toucher_run, &t[i]), 0);
	for (int round = 0; round < 300; round++) {
		ASSERT_EQ(rt_commit(fd, h, 0, pages * PG), 0);
		usleep(round % 7 * 100);
		ASSERT_EQ(rt_decommit(fd, h, 0, pages * PG), 0);
		ASSERT_EQ(rt_counters_now().pages, before.pages);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		faults += t[i].touched;
		sigbus += t[i].sigbus;
	}
	/* The race was run: pages were touched, and uncommitted ones refused. */
	ASSERT_TRUE(faults > 0);
	ASSERT_TRUE(sigbus > 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(munmap(p[i], pages * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

/* Each of @n pages of @p raises SIGBUS when read (no PTE is left). */
static void expect_all_sigbus(unsigned char *p, size_t n)
{
	struct sigaction sa = { .sa_handler = toucher_sigbus }, old;
	volatile size_t bus = 0;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGBUS, &sa, &old), 0);
	for (volatile size_t i = 0; i < n; i++) {
		if (sigsetjmp(toucher_jmp, 1)) {
			bus++;
			continue;
		}
		(void)*(volatile unsigned char *)(p + i * PG);
	}
	ASSERT_EQ(sigaction(SIGBUS, &old, NULL), 0);
	ASSERT_EQ(bus, n);
}

#define RACE_PAGES 1024

static void racing_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	struct sigaction sa = { .sa_handler = toucher_sigbus };
	uint64_t cap;

	(void)arg;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGBUS, &sa, NULL), 0);
	while ((cap = rt_recv(sock)) != RT_MSG_EXIT) {
		uint32_t h = rt_accept_ok(fd, cap, RT_RWM);
		unsigned char *p[2];
		struct toucher t[2];
		pthread_t th[2];
		atomic_int stop = 0;

		for (int i = 0; i < 2; i++) {
			p[i] = rt_map_ok(fd, h, 0, RACE_PAGES * PG, RW);
			t[i] = (struct toucher){ .p = p[i], .pages = RACE_PAGES, .stop = &stop };
		}
		ASSERT_EQ(madvise(p[1], RACE_PAGES * PG, MADV_SEQUENTIAL), 0);
		for (int i = 0; i < 2; i++)
			ASSERT_EQ(pthread_create(&th[i], NULL, toucher_run, &t[i]), 0);
		rt_send(sock, RT_MSG_READY);
		rt_recv_expect(sock, RT_MSG_REVOKED);
		atomic_store(&stop, 1);
		for (int i = 0; i < 2; i++)
			ASSERT_EQ(pthread_join(th[i], NULL), 0);
		/* Whatever the threads mapped before the revoke is gone. */
		for (int i = 0; i < 2; i++) {
			expect_all_sigbus(p[i], RACE_PAGES);
			ASSERT_EQ(munmap(p[i], RACE_PAGES * PG), 0);
		}
		ASSERT_EQ(rat_close_handle(fd, h), 0);
		rt_send(sock, RT_MSG_DONE);
	}
}

/*
 * Faults and fault-around (with and without allocation) race REVOKE in
 * the grantee: once REVOKE returns, no page of either mapping is
 * reachable, round after round. fault_around_pages is at its largest
 * meanwhile, so that a fault that allocates ahead is in flight (between
 * its check and its last PTE) for a long time. Checked to fail, a
 * stale PTE left, with a mark that does not take fault_lock.
 */
TEST_TIMEOUT(fault_race_revoke_leaves_no_pte, 300)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	struct rt_peer b;
	char saved[32];

	rt_read_param("fault_around_pages", saved, sizeof(saved));
	ASSERT_EQ(rt_write_param("fault_around_pages", "512"), 0);
	rt_peer_start(&b, racing_grantee, NULL);
	for (int round = 0; round < 60; round++) {
		/* Three quarters committed: the grantee's touches fault, allocate, SIGBUS. */
		uint32_t h = rt_region(fd, RACE_PAGES, ALL, 0);
		uint64_t cap;

		ASSERT_EQ(rt_commit(fd, h, 0, RACE_PAGES / 4 * 3 * PG), 0);
		cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
		rt_send(b.sock, cap);
		rt_peer_expect(&b, RT_MSG_READY);
		usleep((unsigned int)(round % 7) * 300);
		ASSERT_EQ(rt_revoke(fd, h, cap), 0);
		rt_send(b.sock, RT_MSG_REVOKED);
		rt_peer_expect(&b, RT_MSG_DONE);
		ASSERT_EQ(rat_close_handle(fd, h), 0);
	}
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	saved[strcspn(saved, "\n")] = 0;
	ASSERT_EQ(rt_write_param("fault_around_pages", saved), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}
