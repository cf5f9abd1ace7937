// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: W^X (contract section 3). No mapping is writable and
 * executable at once; a region is never writable in one mapping while
 * executable in another; mprotect cannot add a right the mapping lacks.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define R PROT_READ
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
#define ALL RATMEM_RIGHTS_ALL
#define X86_RET 0xc3

TEST(mmap_write_exec_eacces)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);

	ASSERT_TRUE(rt_map(fd, h, 0, PG, RWX) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_WRITE | PROT_EXEC) == MAP_FAILED &&
		    errno == EACCES);
	ASSERT_EQ(rt_counters_now().mappings, 0);
}

TEST(mprotect_rw_to_rwx_eacces)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);

	p[0] = X86_RET;
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RWX), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RWX), EACCES);
	/* Made writable, it can never become executable. */
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RX), EACCES);
	ASSERT_FAULTS(0, rt_write_byte, p + PG);	/* still RW */
	ASSERT_FAULTS(SIGSEGV, rt_call, p);
}

TEST(mprotect_rx_to_rwx_eacces)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RX);

	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RWX), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(p + PG, PG, RWX), EACCES);
	/* Made executable, it can never become writable. */
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RW), EACCES);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
}

TEST(jit_sequence_one_mapping)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, PROT_NONE);

	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	ASSERT_EQ(mprotect(p, 4 * PG, RW), 0);
	p[0] = X86_RET;
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RWX), EACCES);
	ASSERT_EQ(mprotect(p, 4 * PG, RX), 0);
	ASSERT_FAULTS(0, rt_call, p);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RWX), EACCES);
	ASSERT_EQ(mprotect(p, 4 * PG, RW), 0);
	ASSERT_FAULTS(SIGSEGV, rt_call, p);
	ASSERT_EQ(p[0], X86_RET);
}

TEST(pieces_of_one_mapping_wx)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, R);

	ASSERT_EQ(mprotect(p, PG, RW), 0);		/* piece 0 writable */
	ASSERT_SYSCALL_ERRNO(mprotect(p + 2 * PG, PG, RX), EACCES);
	ASSERT_EQ(mprotect(p, PG, R), 0);
	ASSERT_EQ(mprotect(p + 2 * PG, PG, RX), 0);	/* now piece 2 executable */
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RW), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(p + 3 * PG, PG, RW), EACCES);
	ASSERT_EQ(mprotect(p + 2 * PG, PG, R), 0);
	ASSERT_EQ(mprotect(p + PG, 3 * PG, RW), 0);
	/* Part of a writable mapping cannot turn executable: the rest is W. */
	ASSERT_SYSCALL_ERRNO(mprotect(p + PG, PG, RX), EACCES);
	ASSERT_EQ(mprotect(p, 4 * PG, R), 0);
	ASSERT_EQ(mprotect(p, 4 * PG, RX), 0);
}

TEST(rw_and_rx_mappings_one_process)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t h2 = rt_dup(fd, h, ALL);
	unsigned char *w, *x;

	w = rt_map_ok(fd, h, 0, 4 * PG, RW);
	ASSERT_TRUE(rt_map(fd, h, 0, 4 * PG, RX) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h2, 2 * PG, PG, RX) == MAP_FAILED && errno == EACCES);
	/* A second writable mapping is fine; a read-only one too. */
	x = rt_map_ok(fd, h2, 0, 4 * PG, RW);
	ASSERT_EQ(munmap(x, 4 * PG), 0);
	x = rt_map_ok(fd, h2, 0, 4 * PG, R);
	ASSERT_SYSCALL_ERRNO(mprotect(x, 4 * PG, RX), EACCES);
	ASSERT_EQ(munmap(x, 4 * PG), 0);
	w[0] = X86_RET;
	ASSERT_EQ(munmap(w, 4 * PG), 0);
	/* With the writable mapping gone, the reverse holds. */
	x = rt_map_ok(fd, h2, 0, 4 * PG, RX);
	ASSERT_FAULTS(0, rt_call, x);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	w = rt_map_ok(fd, h, 0, PG, R);
	ASSERT_SYSCALL_ERRNO(mprotect(w, PG, RW), EACCES);
}

TEST(capable_mapping_excludes_others)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *jit = rt_map_ok(fd, h, 0, 4 * PG, PROT_NONE);
	unsigned char *ro;

	/* The first mapping may become either; while it exists, no other can. */
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RX) == MAP_FAILED && errno == EACCES);
	ro = rt_map_ok(fd, h, 0, PG, R);
	ASSERT_SYSCALL_ERRNO(mprotect(ro, PG, RW), EACCES);
	ASSERT_SYSCALL_ERRNO(mprotect(ro, PG, RX), EACCES);
	ASSERT_EQ(mprotect(jit, 4 * PG, RW), 0);
	ASSERT_EQ(munmap(jit, 4 * PG), 0);
	ASSERT_EQ(munmap(ro, PG), 0);
	ASSERT_EQ(rt_counters_now().mappings, 0);
}

TEST(rights_bound_mprotect)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t nox = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP);
	uint32_t now = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_EXEC | RATMEM_RIGHT_MAP);
	unsigned char *p;

	p = rt_map_ok(fd, nox, 0, 4 * PG, PROT_NONE);
	ASSERT_EQ(mprotect(p, 4 * PG, RW), 0);
	ASSERT_EQ(mprotect(p, 4 * PG, R), 0);
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RX), EACCES);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	p = rt_map_ok(fd, now, 0, 4 * PG, PROT_NONE);
	ASSERT_SYSCALL_ERRNO(mprotect(p, 4 * PG, RW), EACCES);
	ASSERT_EQ(mprotect(p, 4 * PG, RX), 0);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
}
