// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: the life of a ratmem mapping. Split by munmap and
 * mprotect, moved and shrunk (never grown) by mremap, not inherited by
 * fork, released by exit, and never pinned by get_user_pages.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL

TEST(partial_munmap_both_edges)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 8, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 8 * PG, RW);

	memset(p, 0x3c, 8 * PG);
	ASSERT_EQ(munmap(p, PG), 0);
	ASSERT_EQ(munmap(p + 7 * PG, PG), 0);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p + 7 * PG);
	rt_expect_bytes(p + PG, 6 * PG, 0x3c);
	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 1);
	ASSERT_EQ(munmap(p + 4 * PG, PG), 0);	/* a hole: two VMAs now */
	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 2);
	rt_expect_bytes(p + PG, 3 * PG, 0x3c);
	rt_expect_bytes(p + 5 * PG, 2 * PG, 0x3c);
	/* Decommit still reaches both pieces. */
	ASSERT_EQ(rt_decommit(fd, h, 0, 8 * PG), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + PG);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 6 * PG);
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(partial_mprotect)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	memset(p, 0x42, 4 * PG);
	ASSERT_EQ(mprotect(p + PG, PG, PROT_READ), 0);
	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 3);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p + PG);
	ASSERT_FAULTS(0, rt_write_byte, p);
	ASSERT_FAULTS(0, rt_write_byte, p + 2 * PG);
	ASSERT_EQ(p[PG], 0x42);
	ASSERT_EQ(mprotect(p + PG, PG, RW), 0);
	ASSERT_FAULTS(0, rt_write_byte, p + PG);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

TEST(mremap_grow_fails)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 8, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	p[0] = 1;
	ASSERT_SYSCALL_ERRNO((long)mremap(p, 4 * PG, 8 * PG, MREMAP_MAYMOVE), EFAULT);
	ASSERT_SYSCALL_ERRNO((long)mremap(p, 4 * PG, 5 * PG, 0), EFAULT);
	/* Duplicating a shared mapping (old size 0) would grow it too. */
	ASSERT_SYSCALL_ERRNO((long)mremap(p, 0, 4 * PG, MREMAP_MAYMOVE), EFAULT);
	ASSERT_EQ(p[0], 1);
	/* Shrinking is unmapping the tail. */
	ASSERT_TRUE(mremap(p, 4 * PG, 2 * PG, 0) == p);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p + 3 * PG);
	ASSERT_EQ(p[0], 1);
}

TEST(mremap_move_stays_tracked)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	unsigned char *dst, *q;

	memset(p, 0x99, 4 * PG);
	dst = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(dst != MAP_FAILED);
	q = mremap(p, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_TRUE(q == dst);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	rt_expect_bytes(q, 4 * PG, 0x99);
	ASSERT_EQ(rt_counters_now().mappings, before.mappings + 1);
	ASSERT_EQ(rt_decommit(fd, h, PG, PG), 0);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, q + PG);
	rt_expect_bytes(q, PG, 0x99);
	ASSERT_EQ(rt_commit(fd, h, PG, PG), 0);
	rt_expect_bytes(q + PG, PG, 0);
	ASSERT_EQ(munmap(q, 4 * PG), 0);
	ASSERT_EQ(rat_close(fd), 0);
	rt_counters_back(before);
}

static void touch_parent_mapping(void *arg)
{
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, arg);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, arg);
}

TEST(fork_child_does_not_inherit)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	uint64_t mappings;

	memset(p, 0x61, 4 * PG);
	ASSERT_SYSCALL_ERRNO(madvise(p, 4 * PG, MADV_DOFORK), EINVAL);
	mappings = rt_counters_now().mappings;
	ASSERT_CHILD_OK(touch_parent_mapping, p);
	ASSERT_EQ(rt_counters_now().mappings, mappings);
	rt_expect_bytes(p, 4 * PG, 0x61);
}

static void map_touch_exit(void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 16, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 16 * PG, RW);

	(void)arg;
	memset(p, 1, 16 * PG);
	ASSERT_TRUE(rt_map_ok(fd, h, 0, PG, PROT_READ) != NULL);
	ASSERT_EQ(munmap(p + 8 * PG, PG), 0);
	_exit(0);	/* no munmap, no close: exit releases everything */
}

TEST(exit_releases_everything)
{
	struct rt_counters before = rt_counters_now();

	for (int i = 0; i < 20; i++)
		ASSERT_CHILD_OK(map_touch_exit, NULL);
	rt_counters_back(before);
}

TEST(gup_process_vm_readv_efault)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	char buf[64];
	struct iovec local = { buf, sizeof(buf) }, remote = { p, sizeof(buf) };

	p[0] = 7;
	ASSERT_SYSCALL_ERRNO(process_vm_readv(getpid(), &local, 1, &remote, 1, 0), EFAULT);
	ASSERT_SYSCALL_ERRNO(process_vm_writev(getpid(), &local, 1, &remote, 1, 0), EFAULT);
	ASSERT_EQ(p[0], 7);
}

TEST(gup_proc_self_mem_eio)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	int mem = open("/proc/self/mem", O_RDWR);
	char buf[16] = "overwritten";

	ASSERT_TRUE(mem >= 0);
	p[0] = 7;
	ASSERT_SYSCALL_ERRNO(pwrite(mem, buf, sizeof(buf), (off_t)(uintptr_t)p), EIO);
	ASSERT_SYSCALL_ERRNO(pread(mem, buf, sizeof(buf), (off_t)(uintptr_t)p), EIO);
	ASSERT_EQ(p[0], 7);
	ASSERT_EQ(close(mem), 0);
}

TEST(gup_vmsplice_efault)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	struct iovec iov = { p, PG };
	int pipefd[2];

	p[0] = 7;
	ASSERT_EQ(pipe(pipefd), 0);
	ASSERT_SYSCALL_ERRNO(vmsplice(pipefd[1], &iov, 1, 0), EFAULT);
	ASSERT_SYSCALL_ERRNO(vmsplice(pipefd[1], &iov, 1, SPLICE_F_GIFT), EFAULT);
}

TEST(gup_o_direct_read_efault)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	int blk = open("/dev/ram0", O_RDONLY | O_DIRECT);

	/* O_DIRECT needs a block device; the debug kernel has a RAM disk. */
	if (blk < 0 && errno == ENOENT)
		SKIP("no /dev/ram0 (kernel without CONFIG_BLK_DEV_RAM)");
	ASSERT_TRUE(blk >= 0);
	p[0] = 7;
	ASSERT_SYSCALL_ERRNO(read(blk, p, PG), EFAULT);
	ASSERT_SYSCALL_ERRNO(pread(blk, p, PG, 0), EFAULT);
	ASSERT_EQ(p[0], 7);
	ASSERT_EQ(close(blk), 0);
}
