// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: regions of 2 MiB pages. Their rules (sizes, commit units,
 * RATMEM_CREATE_PAGE_AUTO), one PMD per page where the kernel maps huge
 * pfnmaps (seen through the minor-fault counter: one fault per 2 MiB),
 * PTEs of the same page elsewhere, and every VMA split and move, fork,
 * cross-process decommit and revoke on PMD-mapped memory.
 */
#include <signal.h>
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
#define MB2 (2ULL << 20)
#define HPG (MB2 / PG)	/* 4 KiB pages in a 2 MiB page */

static int huge_ctx(void)
{
	int fd = rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_HUGE_PAGES, 0);
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	ASSERT_EQ(rat_api(fd, &api), 0);
	/* The bit must say what the kernel can do, both ways. */
	ASSERT_EQ(!!(api.features & RATMEM_FEATURE_HUGE_PMD), rt_kernel_maps_pmd());
	return fd;
}

/* CREATE of @size bytes with @page_shift and @flags: 0 or -errno; the result in *@c. */
static int create(int fd, uint64_t size, uint32_t page_shift, uint32_t flags,
		  struct ratmem_create *c)
{
	*c = (struct ratmem_create){ .size = size, .flags = flags, .rights = ALL,
				     .page_shift = page_shift, .numa_node = -1 };
	return rat_create(fd, c);
}

/* A region of @n 2 MiB pages, or fail. */
static uint32_t huge_region(int fd, uint64_t n, uint32_t flags)
{
	struct ratmem_create c;

	ASSERT_EQ(create(fd, n * MB2, RATMEM_PAGE_SHIFT_2M, flags, &c), 0);
	ASSERT_EQ(c.page_shift, RATMEM_PAGE_SHIFT_2M);
	return c.handle;
}

static long minflt(void)
{
	struct rusage ru;

	ASSERT_EQ(getrusage(RUSAGE_THREAD, &ru), 0);
	return ru.ru_minflt;
}

/* Minor faults taken while reading the 4 KiB pages [first, last] of @p. */
static long faults_reading(const unsigned char *p, size_t first, size_t last)
{
	static unsigned char warm[2];
	const volatile unsigned char *v = p;
	long before;

	(void)minflt();
	(void)*(volatile unsigned char *)warm;
	before = minflt();
	for (size_t i = first; i <= last; i++)
		(void)v[i * PG];
	return minflt() - before;
}

/* Write the byte i + @seed at the start of each 4 KiB page i of [0, @pages). */
static void fill(unsigned char *p, size_t pages, unsigned int seed)
{
	for (size_t i = 0; i < pages; i++)
		p[i * PG] = (unsigned char)(i + seed);
}

static void expect_fill(const unsigned char *p, size_t first, size_t pages, unsigned int seed)
{
	for (size_t i = first; i < first + pages; i++)
		if (p[(i - first) * PG] != (unsigned char)(i + seed))
			rt_fail(__FILE__, __LINE__, "page %zu holds %u, expected %u", i,
				p[(i - first) * PG], (unsigned char)(i + seed));
}

static int populate(int fd, const void *addr, uint64_t len)
{
	struct ratmem_populate a = { .addr = (uintptr_t)addr, .length = len };

	return ioctl(fd, RATMEM_IOC_POPULATE, &a) ? -errno : 0;
}

TEST(huge_create_rules)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	struct ratmem_create c;
	struct ratmem_query q;

	ASSERT_EQ(create(fd, MB2, RATMEM_PAGE_SHIFT_2M, 0, &c), 0);
	q = (struct ratmem_query){ .handle = c.handle };
	ASSERT_EQ(rat_query(fd, &q), 0);
	ASSERT_EQ(q.page_shift, RATMEM_PAGE_SHIFT_2M);
	ASSERT_EQ(q.size, MB2);
	ASSERT_ERRNO(create(fd, 3 * MB2 / 2, RATMEM_PAGE_SHIFT_2M, 0, &c), EINVAL);
	ASSERT_ERRNO(create(fd, PG, RATMEM_PAGE_SHIFT_2M, 0, &c), EINVAL);
	ASSERT_ERRNO(create(fd, 2 * MB2, 22, 0, &c), EINVAL);
	ASSERT_ERRNO(create(fd, 2 * MB2, RATMEM_PAGE_SHIFT_4K, RATMEM_CREATE_PAGE_AUTO, &c),
		     EINVAL);
	/* The module's choice: 2 MiB pages only where PMDs map them, 4 MiB and up. */
	ASSERT_EQ(create(fd, 4 * MB2, 0, RATMEM_CREATE_PAGE_AUTO, &c), 0);
	ASSERT_EQ(c.page_shift, rt_kernel_maps_pmd() ? RATMEM_PAGE_SHIFT_2M : RATMEM_PAGE_SHIFT_4K);
	ASSERT_EQ(create(fd, 2 * MB2, 0, RATMEM_CREATE_PAGE_AUTO, &c), 0);
	ASSERT_EQ(c.page_shift, rt_kernel_maps_pmd() ? RATMEM_PAGE_SHIFT_2M : RATMEM_PAGE_SHIFT_4K);
	ASSERT_EQ(create(fd, MB2, 0, RATMEM_CREATE_PAGE_AUTO, &c), 0);
	ASSERT_EQ(c.page_shift, RATMEM_PAGE_SHIFT_4K);
	ASSERT_EQ(create(fd, 4 * MB2 + PG, 0, RATMEM_CREATE_PAGE_AUTO, &c), 0);
	ASSERT_EQ(c.page_shift, RATMEM_PAGE_SHIFT_4K);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_commit_in_whole_pages)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, 0);

	ASSERT_ERRNO(rt_commit(fd, h, 0, PG), EINVAL);
	ASSERT_ERRNO(rt_commit(fd, h, MB2 / 2, MB2), EINVAL);
	ASSERT_ERRNO(rt_commit(fd, h, PG, MB2), EINVAL);
	ASSERT_ERRNO(rt_commit(fd, h, 0, MB2 + PG), EINVAL);
	ASSERT_EQ(rt_committed(fd, h), 0);
	ASSERT_EQ(rt_commit(fd, h, MB2, MB2), 0);
	ASSERT_EQ(rt_committed(fd, h), MB2);
	ASSERT_ERRNO(rt_decommit(fd, h, MB2, PG), EINVAL);
	ASSERT_ERRNO(rt_decommit(fd, h, MB2 + PG, MB2 - PG), EINVAL);
	ASSERT_EQ(rt_committed(fd, h), MB2);
	ASSERT_EQ(rt_decommit(fd, h, 0, 2 * MB2), 0);
	ASSERT_EQ(rt_committed(fd, h), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_pages_zeroed_counted_and_decommitted)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * MB2, RW);

	/* One byte read makes the whole 2 MiB page resident, zeroed. */
	ASSERT_EQ(p[MB2 - 1], 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + HPG);
	rt_expect_bytes(p, MB2, 0);
	fill(p, 2 * HPG, 3);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 2 * HPG);
	expect_fill(p, 0, 2 * HPG, 3);
	ASSERT_EQ(rt_decommit(fd, h, 0, MB2), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + HPG);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + MB2 - 1);
	expect_fill(p + MB2, HPG, HPG, 3);
	ASSERT_EQ(rt_commit(fd, h, 0, MB2), 0);
	rt_expect_bytes(p, MB2, 0);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_pmd_one_fault_per_page)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *p;

	if (!rt_kernel_maps_pmd())
		SKIP("this kernel maps pfnmaps with PTEs only (huge pfnmaps came in 6.12)");
	p = rt_map_ok(fd, h, 0, 2 * MB2, RW);
	/* get_unmapped_area aligned it, so each page gets one PMD. */
	ASSERT_EQ((uintptr_t)p % MB2, 0);
	ASSERT_EQ(faults_reading(p, 0, HPG - 1), 1);
	ASSERT_EQ(faults_reading(p, HPG + 7, 2 * HPG - 1), 1);
	ASSERT_EQ(faults_reading(p, HPG, HPG + 6), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 2 * HPG);
	/* After a decommit, the page comes back with one fault too. */
	ASSERT_EQ(rt_decommit(fd, h, 0, MB2), 0);
	ASSERT_EQ(rt_commit(fd, h, 0, MB2), 0);
	ASSERT_EQ(faults_reading(p, 5, HPG - 1), 1);
	ASSERT_EQ(faults_reading(p, 0, 4), 0);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_unaligned_mapping_maps_the_same_page_with_ptes)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *a = rt_map_ok(fd, h, 0, 2 * MB2, RW);
	unsigned char *b = rt_map_ok(fd, h, PG, 2 * MB2 - PG, RW);

	fill(a, 2 * HPG, 9);
	expect_fill(b, 1, 2 * HPG - 1, 9);
	b[0] = 0xee;	/* page 1 of the region */
	ASSERT_EQ(a[PG], 0xee);
	/* No PMD fits in b: several faults for a page's worth of it. */
	ASSERT_EQ(munmap(b, 2 * MB2 - PG), 0);
	b = rt_map_ok(fd, h, PG, 2 * MB2 - PG, RW);
	ASSERT_TRUE(faults_reading(b, 0, HPG - 2) > 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 2 * HPG);
	ASSERT_EQ(munmap(a, 2 * MB2), 0);
	ASSERT_EQ(munmap(b, 2 * MB2 - PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_partial_munmap)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * MB2, RW);

	fill(p, 2 * HPG, 1);
	/* Half of the first PMD, then one page inside the second. */
	ASSERT_EQ(munmap(p, MB2 / 2), 0);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	expect_fill(p + MB2 / 2, HPG / 2, HPG * 3 / 2, 1);
	ASSERT_EQ(munmap(p + MB2 + 100 * PG, PG), 0);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p + MB2 + 100 * PG);
	expect_fill(p + MB2, HPG, 100, 1);
	expect_fill(p + MB2 + 101 * PG, HPG + 101, HPG - 101, 1);
	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 2);
	/* Decommit reaches every piece. */
	ASSERT_EQ(rt_decommit(fd, h, 0, 2 * MB2), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + MB2 / 2);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + MB2 + 101 * PG);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_partial_mprotect)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 1, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, MB2, RW);

	fill(p, HPG, 5);
	ASSERT_EQ(mprotect(p + MB2 / 2, MB2 / 2, PROT_READ), 0);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p + MB2 / 2);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p + MB2 - 1);
	ASSERT_FAULTS(0, rt_write_byte, p + MB2 / 2 - 1);
	expect_fill(p + MB2 / 2, HPG / 2, HPG / 2, 5);
	ASSERT_EQ(mprotect(p + MB2 / 2, MB2 / 2, RW), 0);
	ASSERT_FAULTS(0, rt_write_byte, p + MB2 - 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + HPG);
	ASSERT_EQ(munmap(p, MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(huge_mremap_move_aligned_and_not)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 1, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, MB2, RW);
	unsigned char *area, *dst, *q;

	fill(p, HPG, 7);
	area = mmap(NULL, 5 * MB2, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(area != MAP_FAILED);
	dst = (unsigned char *)(((uintptr_t)area + MB2 - 1) & ~(uintptr_t)(MB2 - 1));
	q = mremap(p, MB2, MB2, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_TRUE(q == dst);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	expect_fill(q, 0, HPG, 7);
	/* On to an address that no PMD fits (not overlapping: mremap refuses that). */
	p = mremap(q, MB2, MB2, MREMAP_MAYMOVE | MREMAP_FIXED, dst + MB2 + 4 * PG);
	ASSERT_TRUE(p == dst + MB2 + 4 * PG);
	expect_fill(p, 0, HPG, 7);
	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 1);
	ASSERT_EQ(rt_decommit(fd, h, 0, MB2), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 3 * PG);
	ASSERT_EQ(rt_commit(fd, h, 0, MB2), 0);
	rt_expect_bytes(p, MB2, 0);
	ASSERT_EQ(munmap(area, 5 * MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

static void touch_parent_mapping(void *arg)
{
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, arg);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, (unsigned char *)arg + MB2 - 1);
}

TEST(huge_fork_does_not_inherit)
{
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 1, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, MB2, RW);

	memset(p, 0x44, MB2);
	ASSERT_CHILD_OK(touch_parent_mapping, p);
	rt_expect_bytes(p, MB2, 0x44);
	ASSERT_EQ(munmap(p, MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
}

static void huge_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * MB2, RW);

	(void)arg;
	expect_fill(p, 0, 2 * HPG, 11);
	rt_send(sock, RT_MSG_READY);
	/* The owner decommitted the first page. */
	rt_recv_expect(sock, RT_MSG_GO);
	rt_expect_sigbus(p, 0);
	rt_expect_sigbus(p + MB2 - PG, 1);
	expect_fill(p + MB2, HPG, HPG, 11);
	rt_send(sock, RT_MSG_CHECK_OK);
	/* Then revoked the grant. */
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p + MB2, 0);
	rt_expect_sigbus(p + 2 * MB2 - 1, 1);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	rt_send(sock, RT_MSG_DONE);
}

TEST(huge_cross_process_decommit_and_revoke)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * MB2, RW);
	struct rt_peer b;
	uint64_t cap;

	fill(p, 2 * HPG, 11);
	rt_peer_start(&b, huge_grantee, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(rt_decommit(fd, h, 0, MB2), 0);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_CHECK_OK);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	expect_fill(p + MB2, HPG, HPG, 11);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

TEST(huge_populate)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * MB2, RW);

	ASSERT_EQ(populate(fd, p, 2 * MB2), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 2 * HPG);
	/* Resident, and mapped: with one PMD at the first touch, or PTEs now. */
	ASSERT_EQ(faults_reading(p, 0, 2 * HPG - 1), rt_kernel_maps_pmd() ? 2 : 0);
	rt_expect_bytes(p, 2 * MB2, 0);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

static int wait_word(int fd, uint32_t handle, uint64_t offset, uint32_t expected)
{
	struct ratmem_wait w = { .handle = handle, .offset = offset, .expected = expected,
				 .timeout_ns = 0 };

	return ioctl(fd, RATMEM_IOC_WAIT, &w) ? -errno : 0;
}

/* WAIT reads its word from the right 4 KiB piece of a 2 MiB page. */
TEST(huge_wait_reads_the_right_word)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	uint32_t *p = rt_map_ok(fd, h, 0, 2 * MB2, RW);
	const uint64_t off = MB2 + 5 * PG + 8;

	p[off / 4] = 0x5eed;
	/* timeout 0: ETIMEDOUT when the word is as expected, EAGAIN when not. */
	ASSERT_ERRNO(wait_word(fd, h, off, 0x5eed), ETIMEDOUT);
	ASSERT_ERRNO(wait_word(fd, h, off, 0), EAGAIN);
	ASSERT_ERRNO(wait_word(fd, h, off - PG, 0), ETIMEDOUT);
	ASSERT_ERRNO(wait_word(fd, h, 8, 0), ETIMEDOUT);
	ASSERT_EQ(munmap(p, 2 * MB2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

/*
 * Sequential fault-around at the end of one 2 MiB page does not map
 * into the next with PTEs, which would keep that page from its PMD (and
 * could race a PMD insert there).
 */
TEST(huge_sequential_fault_around_leaves_the_next_pmd)
{
	struct rt_counters before = rt_counters_now();
	int fd = huge_ctx();
	uint32_t h = huge_region(fd, 2, RATMEM_CREATE_COMMIT);
	unsigned char *p;

	if (!rt_kernel_maps_pmd())
		SKIP("this kernel maps pfnmaps with PTEs only (huge pfnmaps came in 6.12)");
	/* From 1 MiB in: half of page 0, then all of page 1 at a 2 MiB address. */
	p = rt_map_ok(fd, h, MB2 / 2, 3 * MB2 / 2, RW);
	ASSERT_EQ((uintptr_t)(p + MB2 / 2) % MB2, 0);
	ASSERT_EQ(madvise(p, 3 * MB2 / 2, MADV_SEQUENTIAL), 0);
	ASSERT_EQ(faults_reading(p, HPG / 2 - 1, HPG / 2 - 1), 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + HPG);
	ASSERT_EQ(faults_reading(p + MB2 / 2, 0, HPG - 1), 1);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 2 * HPG);
	ASSERT_EQ(munmap(p, 3 * MB2 / 2), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}
