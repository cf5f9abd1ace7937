/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the selftests of regions' memory: commit, map, access. */
#ifndef RATMEM_SELFTEST_MEM_H
#define RATMEM_SELFTEST_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ratmem.h>

#define PG 4096ULL

/* The module-wide counters that must come back after a test. */
struct rt_counters {
	uint64_t regions, handles, pages, mappings;
};

/* Create a region of @pages pages (rights, RATMEM_CREATE_* flags) or fail. */
uint32_t rt_region(int fd, uint64_t pages, uint32_t rights, uint32_t flags);
/* Duplicate @handle with @rights or fail. */
uint32_t rt_dup(int fd, uint32_t handle, uint32_t rights);
/* RATMEM_IOC_COMMIT / DECOMMIT of bytes [off, off + len): 0 or -errno. */
int rt_commit(int fd, uint32_t handle, uint64_t off, uint64_t len);
int rt_decommit(int fd, uint32_t handle, uint64_t off, uint64_t len);
/* Committed bytes of @handle's region, or fail. */
uint64_t rt_committed(int fd, uint32_t handle);
/* mmap MAP_SHARED of @handle from byte @off: the address or MAP_FAILED. */
void *rt_map(int fd, uint32_t handle, uint64_t off, size_t len, int prot);
/* rt_map() that must succeed. */
void *rt_map_ok(int fd, uint32_t handle, uint64_t off, size_t len, int prot);
/* Read the module-wide counters through a fresh context. */
struct rt_counters rt_counters_now(void);
/* Fail unless the counters equal @before. */
void rt_counters_back(struct rt_counters before);

/* Access helpers for ASSERT_FAULTS(): arg is the address. */
void rt_read_byte(void *addr);
void rt_write_byte(void *addr);
void rt_call(void *addr);
/* Fail unless [addr, addr + len) is all @byte. */
void rt_expect_bytes(const void *addr, size_t len, unsigned char byte);

#endif
