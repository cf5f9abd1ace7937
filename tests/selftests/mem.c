// SPDX-License-Identifier: GPL-2.0
/* Helpers for the selftests of regions' memory: commit, map, access. */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

uint32_t rt_region(int fd, uint64_t pages, uint32_t rights, uint32_t flags)
{
	struct ratmem_create c = { .size = pages * PG, .rights = rights, .flags = flags,
				   .numa_node = -1 };

	ASSERT_EQ(rat_create(fd, &c), 0);
	ASSERT_NE(c.handle, 0);
	return c.handle;
}

uint32_t rt_dup(int fd, uint32_t handle, uint32_t rights)
{
	struct ratmem_dup d = { .handle = handle, .rights = rights };

	ASSERT_EQ(rat_dup(fd, &d), 0);
	return d.new_handle;
}

static int range_ioctl(int fd, unsigned long cmd, uint32_t handle, uint64_t off,
		       uint64_t len)
{
	struct ratmem_range r = { .handle = handle, .offset = off, .length = len };

	return ioctl(fd, cmd, &r) ? -errno : 0;
}

int rt_commit(int fd, uint32_t handle, uint64_t off, uint64_t len)
{
	return range_ioctl(fd, RATMEM_IOC_COMMIT, handle, off, len);
}

int rt_decommit(int fd, uint32_t handle, uint64_t off, uint64_t len)
{
	return range_ioctl(fd, RATMEM_IOC_DECOMMIT, handle, off, len);
}

uint64_t rt_committed(int fd, uint32_t handle)
{
	struct ratmem_query q = { .handle = handle };

	ASSERT_EQ(rat_query(fd, &q), 0);
	return q.committed;
}

void *rt_map(int fd, uint32_t handle, uint64_t off, size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)(RATMEM_MMAP_OFFSET(handle) + off));
}

void *rt_map_ok(int fd, uint32_t handle, uint64_t off, size_t len, int prot)
{
	void *p = rt_map(fd, handle, off, len, prot);

	if (p == MAP_FAILED)
		rt_fail(__FILE__, __LINE__, "mmap handle %u: %s", handle, strerror(errno));
	return p;
}

struct rt_counters rt_counters_now(void)
{
	struct ratmem_stats st = { 0 };
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_EQ(rat_close(fd), 0);
	return (struct rt_counters){
		.contexts = st.contexts, .regions = st.regions, .handles = st.handles,
		.pages = st.pages, .mappings = st.mappings, .grants = st.grants,
		.names = st.names,
	};
}

/* The counters in @which where @now differs from @before. */
static unsigned int counters_differ(struct rt_counters before, struct rt_counters now,
				    unsigned int which)
{
	unsigned int d = 0;

	d |= now.contexts != before.contexts ? RT_C_CONTEXTS : 0;
	d |= now.regions != before.regions ? RT_C_REGIONS : 0;
	d |= now.handles != before.handles ? RT_C_HANDLES : 0;
	d |= now.pages != before.pages ? RT_C_PAGES : 0;
	d |= now.mappings != before.mappings ? RT_C_MAPPINGS : 0;
	d |= now.grants != before.grants ? RT_C_GRANTS : 0;
	d |= now.names != before.names ? RT_C_NAMES : 0;
	return d & which;
}

static void diag_counters(const char *what, struct rt_counters c)
{
	rt_diag("%s: contexts %llu regions %llu handles %llu pages %llu mappings %llu "
		"grants %llu names %llu", what, (unsigned long long)c.contexts,
		(unsigned long long)c.regions, (unsigned long long)c.handles,
		(unsigned long long)c.pages, (unsigned long long)c.mappings,
		(unsigned long long)c.grants, (unsigned long long)c.names);
}

/* Fail, showing every counter, unless those in @which match. */
static void counters_match(struct rt_counters before, struct rt_counters now,
			   unsigned int which)
{
	if (!counters_differ(before, now, which))
		return;
	diag_counters("before", before);
	diag_counters("now   ", now);
	if (which & RT_C_CONTEXTS)
		ASSERT_EQ(now.contexts, before.contexts);
	if (which & RT_C_REGIONS)
		ASSERT_EQ(now.regions, before.regions);
	if (which & RT_C_HANDLES)
		ASSERT_EQ(now.handles, before.handles);
	if (which & RT_C_PAGES)
		ASSERT_EQ(now.pages, before.pages);
	if (which & RT_C_MAPPINGS)
		ASSERT_EQ(now.mappings, before.mappings);
	if (which & RT_C_GRANTS)
		ASSERT_EQ(now.grants, before.grants);
	if (which & RT_C_NAMES)
		ASSERT_EQ(now.names, before.names);
}

void rt_counters_expect(struct rt_counters before, unsigned int which)
{
	counters_match(before, rt_counters_now(), which);
}

void rt_counters_settle(struct rt_counters before, unsigned int which)
{
	uint64_t t0 = rt_now_ns();
	struct rt_counters now;

	for (;;) {
		now = rt_counters_now();
		if (!counters_differ(before, now, which) || rt_now_ns() - t0 > 5000000000ULL)
			break;
		usleep(1000);
	}
	counters_match(before, now, which);
}

void rt_counters_back(struct rt_counters before)
{
	rt_counters_expect(before, RT_C_MEMORY);
}

void rt_read_byte(void *addr)
{
	(void)*(volatile unsigned char *)addr;
}

void rt_write_byte(void *addr)
{
	*(volatile unsigned char *)addr = 0x5a;
}

void rt_call(void *addr)
{
	((void (*)(void))addr)();
}

void rt_expect_bytes(const void *addr, size_t len, unsigned char byte)
{
	const unsigned char *p = addr;

	for (size_t i = 0; i < len; i++)
		if (p[i] != byte)
			rt_fail(__FILE__, __LINE__, "byte %zu is 0x%02x, expected 0x%02x", i,
				p[i], byte);
}
