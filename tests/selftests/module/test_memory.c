// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: commit, decommit, mapping and zero fill (contract section 3).
 * Uncommitted and decommitted pages raise SIGBUS; addresses outside any
 * mapping raise SIGSEGV.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL

TEST(commit_bad_range_einval)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	static const struct { uint64_t off, len; } bad[] = {
		{ 0, 0 }, { 0, 1 }, { 0, PG - 1 }, { 0, PG + 1 }, { 1, PG }, { PG - 1, PG },
		{ 0, 1ULL << 63 }, { 0, ~0ULL }, { 0, ~0ULL & ~(PG - 1) },
		{ ~0ULL & ~(PG - 1), 2 * PG },		/* offset + length wraps */
		{ 1ULL << 63, 1ULL << 63 },		/* wraps to exactly 0 */
		{ 3 * PG, 2 * PG }, { 4 * PG, PG }, { 0, 5 * PG },	/* past the end */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_ERRNO(rt_commit(fd, h, bad[i].off, bad[i].len), EINVAL);
		ASSERT_ERRNO(rt_decommit(fd, h, bad[i].off, bad[i].len), EINVAL);
	}
	ASSERT_EQ(rt_committed(fd, h), 0);
	ASSERT_EQ(rt_commit(fd, h, 0, 4 * PG), 0);	/* the whole region is fine */
	ASSERT_EQ(rt_decommit(fd, h, 3 * PG, PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(commit_bad_fields_einval)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	struct ratmem_range r;

	for (int bit = 0; bit < 32; bit++) {
		r = (struct ratmem_range){ .handle = h, .flags = 1U << bit, .length = PG };
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_COMMIT, &r), EINVAL);
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DECOMMIT, &r), EINVAL);
	}
	for (int i = 0; i < 2; i++) {
		r = (struct ratmem_range){ .handle = h, .length = PG };
		r.reserved[i] = 1;
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_COMMIT, &r), EINVAL);
		ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DECOMMIT, &r), EINVAL);
	}
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_COMMIT, NULL), EFAULT);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DECOMMIT, (void *)1), EFAULT);
	ASSERT_EQ(rt_committed(fd, h), 0);
}

TEST(commit_bad_handle)
{
	int fd = rt_open_ctx();
	int other = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	uint32_t ro = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	uint32_t closed = rt_region(fd, 4, ALL, 0);
	uint32_t theirs = 0;

	ASSERT_EQ(rat_close_handle(fd, closed), 0);
	ASSERT_ERRNO(rt_commit(fd, closed, 0, PG), EBADF);
	ASSERT_ERRNO(rt_decommit(fd, closed, 0, PG), EBADF);
	ASSERT_ERRNO(rt_commit(fd, 0, 0, PG), EBADF);
	ASSERT_ERRNO(rt_commit(fd, ~0U, 0, PG), EBADF);
	/* A number that names a handle only in another context. */
	for (int i = 0; i < 5; i++)
		theirs = rt_region(other, 4, ALL, 0);
	ASSERT_TRUE(theirs > closed);
	ASSERT_ERRNO(rt_commit(fd, theirs, 0, PG), EBADF);
	ASSERT_ERRNO(rt_decommit(fd, theirs, 0, PG), EBADF);
	ASSERT_EQ(rt_commit(other, theirs, 0, PG), 0);
	/* Fewer rights: no WRITE, no commit and no decommit. */
	ASSERT_ERRNO(rt_commit(fd, ro, 0, PG), EPERM);
	ASSERT_ERRNO(rt_decommit(fd, ro, 0, PG), EPERM);
	ASSERT_EQ(rt_committed(fd, h), 0);
}

TEST(commit_counts_committed_bytes)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 16, ALL, 0);
	uint32_t full = rt_region(fd, 16, ALL, RATMEM_CREATE_COMMIT);

	ASSERT_EQ(rt_committed(fd, full), 16 * PG);
	ASSERT_EQ(rt_commit(fd, h, 2 * PG, 3 * PG), 0);
	ASSERT_EQ(rt_committed(fd, h), 3 * PG);
	ASSERT_EQ(rt_commit(fd, h, 4 * PG, 4 * PG), 0);	/* overlaps page 4 */
	ASSERT_EQ(rt_committed(fd, h), 6 * PG);
	ASSERT_EQ(rt_commit(fd, h, 2 * PG, 6 * PG), 0);	/* already committed */
	ASSERT_EQ(rt_committed(fd, h), 6 * PG);
	ASSERT_EQ(rt_commit(fd, h, 1 * PG, PG), 0);	/* touches the start */
	ASSERT_EQ(rt_committed(fd, h), 7 * PG);
	ASSERT_EQ(rt_decommit(fd, h, 3 * PG, 2 * PG), 0);	/* a hole */
	ASSERT_EQ(rt_committed(fd, h), 5 * PG);
	ASSERT_EQ(rt_decommit(fd, h, 12 * PG, 4 * PG), 0);	/* nothing there */
	ASSERT_EQ(rt_committed(fd, h), 5 * PG);
	ASSERT_EQ(rt_decommit(fd, h, 0, 16 * PG), 0);
	ASSERT_EQ(rt_committed(fd, h), 0);
	ASSERT_EQ(rt_decommit(fd, full, 15 * PG, PG), 0);
	ASSERT_EQ(rt_committed(fd, full), 15 * PG);
	/* The largest region, committed whole, costs no page until touched. */
	h = rt_region(fd, (1ULL << 40) / PG, ALL, RATMEM_CREATE_COMMIT);
	ASSERT_EQ(rt_committed(fd, h), 1ULL << 40);
	ASSERT_EQ(rt_counters_now().pages, before.pages);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(mmap_bad_input)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t closed = rt_region(fd, 4, ALL, 0);
	uint64_t off;

	ASSERT_EQ(rat_close_handle(fd, closed), 0);
	off = RATMEM_MMAP_OFFSET(h);
	ASSERT_SYSCALL_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, (off_t)off), EINVAL);
	ASSERT_TRUE(rt_map(fd, closed, 0, PG, PROT_READ) == MAP_FAILED && errno == EINVAL);
	ASSERT_TRUE(rt_map(fd, 0, 0, PG, PROT_READ) == MAP_FAILED && errno == EINVAL);
	ASSERT_TRUE(rt_map(fd, RATMEM_HANDLE_MAX, 0, PG, PROT_READ) == MAP_FAILED &&
		    errno == EINVAL);
	ASSERT_TRUE(rt_map(fd, h, 0, 5 * PG, PROT_READ) == MAP_FAILED && errno == EINVAL);
	ASSERT_TRUE(rt_map(fd, h, 3 * PG, 2 * PG, PROT_READ) == MAP_FAILED && errno == EINVAL);
	ASSERT_TRUE(rt_map(fd, h, 4 * PG, PG, PROT_READ) == MAP_FAILED && errno == EINVAL);
	/* An offset past any region: the bits above the handle are not ignored. */
	ASSERT_SYSCALL_ERRNO(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd,
				  (off_t)RATMEM_MMAP_OFFSET(RATMEM_HANDLE_MAX + 1ULL)), EINVAL);
	ASSERT_TRUE(rt_map(fd, h, 1, PG, PROT_READ) == MAP_FAILED && errno == EINVAL);
	ASSERT_EQ(rt_counters_now().mappings, 0);
}

TEST(mmap_needs_rights_eacces)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t nomap = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE);
	uint32_t noread = rt_dup(fd, h, RATMEM_RIGHT_MAP | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_EXEC);
	uint32_t ro = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	void *p;

	ASSERT_TRUE(rt_map(fd, nomap, 0, PG, PROT_READ) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, nomap, 0, PG, PROT_NONE) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, noread, 0, PG, PROT_READ) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, noread, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, ro, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, ro, 0, PG, PROT_READ | PROT_EXEC) == MAP_FAILED &&
		    errno == EACCES);
	/* What the handle allows works, and mprotect cannot widen it. */
	p = rt_map_ok(fd, ro, 0, PG, PROT_READ);
	rt_read_byte(p);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RW), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, PROT_READ | PROT_EXEC), EACCES);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	p = rt_map_ok(fd, noread, 0, PG, PROT_NONE);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, PROT_READ), EACCES);
}

TEST(zero_fill_new_pages)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 64, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 64 * PG, RW);

	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 1);
	rt_expect_bytes(p, 64 * PG, 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 64);
	memset(p, 0xa5, 64 * PG);
	rt_expect_bytes(p, 64 * PG, 0xa5);
	ASSERT_EQ(munmap(p, 64 * PG), 0);
	/* A new mapping sees the same pages. */
	p = rt_map_ok(fd, h, 32 * PG, 32 * PG, PROT_READ);
	rt_expect_bytes(p, 32 * PG, 0xa5);
	ASSERT_EQ(munmap(p, 32 * PG), 0);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(zero_after_decommit_recommit)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 8, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 8 * PG, RW);

	memset(p, 0x77, 8 * PG);
	ASSERT_EQ(rt_decommit(fd, h, 2 * PG, 3 * PG), 0);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 5);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 2 * PG);
	ASSERT_FAULTS(SIGBUS, rt_write_byte, p + 4 * PG + 17);
	ASSERT_EQ(rt_commit(fd, h, 2 * PG, 3 * PG), 0);
	rt_expect_bytes(p + 2 * PG, 3 * PG, 0);
	rt_expect_bytes(p, 2 * PG, 0x77);
	rt_expect_bytes(p + 5 * PG, 3 * PG, 0x77);
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(uncommitted_access_sigbus)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_FAULTS(SIGBUS, rt_write_byte, p + 3 * PG);
	ASSERT_EQ(rt_commit(fd, h, PG, PG), 0);
	ASSERT_FAULTS(0, rt_write_byte, p + PG);
	ASSERT_EQ(p[PG], 0x5a);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 2 * PG);
	ASSERT_EQ(rt_decommit(fd, h, PG, PG), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + PG);
	ASSERT_EQ(rt_counters_now().pages, 0);
}

TEST(beyond_the_end_sigsegv)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 2, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *area, *p;

	/* Make sure the page after the mapping is not mapped. */
	area = mmap(NULL, 3 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(area != MAP_FAILED);
	ASSERT_EQ(munmap(area + 2 * PG, PG), 0);
	p = mmap(area, 2 * PG, RW, MAP_SHARED | MAP_FIXED, fd, (off_t)RATMEM_MMAP_OFFSET(h));
	ASSERT_TRUE(p == area);
	ASSERT_FAULTS(0, rt_write_byte, p + 2 * PG - 1);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p + 2 * PG);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p + 2 * PG);
}

TEST(decommit_reaches_every_mapping)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t h2 = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	unsigned char *a = rt_map_ok(fd, h, 0, 4 * PG, RW);
	unsigned char *b = rt_map_ok(fd, h2, 0, 4 * PG, PROT_READ);
	unsigned char *c = rt_map_ok(fd, h, 2 * PG, 2 * PG, RW);

	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 3);
	memset(a, 0x11, 4 * PG);
	rt_expect_bytes(b, 4 * PG, 0x11);	/* one page, three mappings */
	rt_expect_bytes(c, 2 * PG, 0x11);
	ASSERT_EQ(rt_decommit(fd, h, 2 * PG, 2 * PG), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, a + 3 * PG);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, b + 2 * PG);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, c);
	ASSERT_EQ(rt_commit(fd, h, 2 * PG, 2 * PG), 0);
	rt_expect_bytes(c, 2 * PG, 0);
	rt_expect_bytes(b + 2 * PG, 2 * PG, 0);
	rt_expect_bytes(b, 2 * PG, 0x11);
	/* The region outlives its handles while mapped. */
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	ASSERT_EQ(rat_close_handle(fd, h2), 0);
	a[0] = 0x22;
	ASSERT_EQ(b[0], 0x22);
	ASSERT_EQ(munmap(a, 4 * PG), 0);
	ASSERT_EQ(munmap(b, 4 * PG), 0);
	ASSERT_EQ(rt_counters_now().regions, before.regions + 1);
	ASSERT_EQ(munmap(c, 2 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

static void fill_and_free(void *arg)
{
	int fd = rt_open_ctx();
	uint64_t pages = *(uint64_t *)arg;
	uint32_t h = rt_region(fd, pages, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, pages * PG, RW);

	memset(p, 0xee, pages * PG);
	/* Exit without cleaning up: the kernel must do it. */
}

TEST(no_stale_data_from_another_process)
{
	struct rt_counters before = rt_counters_now();
	uint64_t pages = 2048;	/* 8 MiB, so freed pages come back to us */

	for (int round = 0; round < 3; round++) {
		int fd;
		uint32_t h;
		unsigned char *p;

		ASSERT_CHILD_OK(fill_and_free, &pages);
		rt_counters_back(before);
		fd = rt_open_ctx();
		h = rt_region(fd, pages, ALL, RATMEM_CREATE_COMMIT);
		p = rt_map_ok(fd, h, 0, pages * PG, PROT_READ);
		rt_expect_bytes(p, pages * PG, 0);
		ASSERT_EQ(munmap(p, pages * PG), 0);
		ASSERT_EQ(rat_close(fd), 0);
		rt_counters_back(before);
	}
}
