/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the selftests of regions' memory: commit, map, access. */
#ifndef RATMEM_SELFTEST_MEM_H
#define RATMEM_SELFTEST_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ratmem.h>

#define PG 4096ULL

/* Every module-wide counter of struct ratmem_stats. */
struct rt_counters {
	uint64_t contexts, regions, handles, pages, mappings, grants, names;
};

/* Which counters rt_counters_expect() compares. */
#define RT_C_CONTEXTS	(1u << 0)
#define RT_C_REGIONS	(1u << 1)
#define RT_C_HANDLES	(1u << 2)
#define RT_C_PAGES	(1u << 3)
#define RT_C_MAPPINGS	(1u << 4)
#define RT_C_GRANTS	(1u << 5)
#define RT_C_NAMES	(1u << 6)
/* What a test of regions' memory gets back: rt_counters_back(). */
#define RT_C_MEMORY	(RT_C_REGIONS | RT_C_HANDLES | RT_C_PAGES | RT_C_MAPPINGS)
/* What a sharing test gets back: the memory counters and the grants. */
#define RT_C_SHARING	(RT_C_MEMORY | RT_C_GRANTS)
#define RT_C_ALL	(RT_C_CONTEXTS | RT_C_SHARING | RT_C_NAMES)

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
/* Fail unless each counter in @which (RT_C_*) equals @before's; on a
 * difference, every counter before and now goes out as a diagnostic. */
void rt_counters_expect(struct rt_counters before, unsigned int which);
/*
 * As rt_counters_expect(), once the counters are back (5 s at most).
 * For the end of a test whose last revocation ran on the module's
 * workqueue (a lease's end, a REVOKE deadline): the work item drops its
 * own reference to the grant, and with it the grant and its region,
 * just after the revocation is complete and visible.
 */
void rt_counters_settle(struct rt_counters before, unsigned int which);
/* rt_counters_expect(@before, RT_C_MEMORY): regions, handles, pages, mappings. */
void rt_counters_back(struct rt_counters before);

/* Access helpers for ASSERT_FAULTS(): arg is the address. */
void rt_read_byte(void *addr);
void rt_write_byte(void *addr);
void rt_call(void *addr);
/* Fail unless [addr, addr + len) is all @byte. */
void rt_expect_bytes(const void *addr, size_t len, unsigned char byte);

#endif
