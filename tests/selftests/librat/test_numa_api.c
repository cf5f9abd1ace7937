// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's NUMA placement and populate calls (librat 1.2):
 * RatMemSetPolicy, RatMemNodeUsage, RatMemMigrate and RatMemPopulate, on
 * the memory of RatAllocMemory and of RatMemReserve (through
 * RatMemHandleOf). The module's own placement and race tests are
 * module/test_numa.c; ratmemctl's view of the same figures is in
 * test_ratmemctl.c (librat has no call that reads a policy back).
 *
 * Every figure is exact on a guest with one node. Where node 1 is online
 * the migration tests bind their pages there first, so that they really
 * move to node 0; the expected figures follow from that node.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

/* Entries of the arrays given to RatMemNodeUsage(). */
#define MAXN 64
#define RW (RAT_MEM_READ | RAT_MEM_WRITE)

/* The module with NUMA placement and populate, or a skip outside the test VM. */
static void need_numa(void)
{
	const uint64_t want = RATMEM_FEATURE_NUMA | RATMEM_FEATURE_POPULATE;
	RatApiInfo info;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_EQ(info.features & want, want);
}

/* Node 1 when this guest has it (pages bound there move to node 0 for
 * real), else node 0. */
static int source_node(void)
{
	return access("/sys/devices/system/node/node1", F_OK) == 0 ? 1 : 0;
}

/*
 * RatMemNodeUsage() of @mem into @pages[MAXN], which must succeed: every
 * entry is written (0 past the node ids the system has). Returns the
 * sum over all nodes.
 */
static uint64_t usage(HMEM mem, uint64_t pages[MAXN])
{
	uint64_t sum = 0;
	size_t nr = 0;

	memset(pages, 0xff, MAXN * sizeof(*pages));
	ASSERT_EQ(RatMemNodeUsage(mem, pages, MAXN, &nr), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_TRUE(nr >= 1);
	for (size_t i = 0; i < MAXN; i++) {
		if (i >= nr)
			ASSERT_EQ(pages[i], 0);
		sum += pages[i];
	}
	return sum;
}

static void assert_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			rt_fail(__FILE__, __LINE__, "byte %zu of %zu is 0x%02x, not 0", i, n, b[i]);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * seed + 7);
}

static void assert_filled(const unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * seed + 7))
			rt_fail(__FILE__, __LINE__, "byte %zu is 0x%02x, expected 0x%02x", i, p[i],
				(unsigned char)(i * seed + 7));
}

/* ---- RatMemNodeUsage -------------------------------------------------- */

TEST(node_usage_counts_touched_pages)
{
	uint64_t pages[MAXN], one = 99;
	unsigned char *p;
	size_t nr = 0, nr2 = 0;
	HMEM mem;

	need_numa();
	mem = RatAllocMemory(16 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);

	/* No array: only the number of node ids. */
	ASSERT_EQ(RatMemNodeUsage(mem, NULL, 0, &nr), RAT_STATUS_OK);
	ASSERT_TRUE(nr >= 1);
	ASSERT_EQ(RatMemNodeUsage(mem, NULL, 0, NULL), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);

	/* Committed, mapped, never touched: nothing is resident. */
	ASSERT_EQ(usage(mem, pages), 0);
	for (size_t i = 0; i <= 4; i++)
		p[i * PG + 3] = 1;
	p[9 * PG] = 1;
	p[16 * PG - 1] = 1;
	ASSERT_EQ(usage(mem, pages), 7);
	/* A read of an untouched page brings it in too, zero-filled. */
	ASSERT_EQ(p[12 * PG + 100], 0);
	ASSERT_EQ(usage(mem, pages), 8);
	/* Touching resident pages again adds nothing. */
	p[0] = 2;
	p[PG] = 2;
	ASSERT_EQ(p[9 * PG], 1);
	ASSERT_EQ(usage(mem, pages), 8);

	/* One entry: node 0's figure; *nr_out is still every node id. */
	ASSERT_EQ(RatMemNodeUsage(mem, &one, 1, &nr2), RAT_STATUS_OK);
	ASSERT_EQ(nr2, nr);
	ASSERT_EQ(one, pages[0]);

	/* Errors leave *nr_out alone. */
	nr2 = 12345;
	ASSERT_EQ(RatMemNodeUsage(NULL, pages, MAXN, &nr2), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(nr2, 12345);
	ASSERT_EQ(RatMemNodeUsage(mem, NULL, 1, &nr2), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(nr2, 12345);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* ---- RatMemSetPolicy -------------------------------------------------- */

TEST(set_policy_takes_valid_masks_only)
{
	static const struct {
		RatNumaPolicy policy;
		uint64_t mask;
	} bad[] = {
		{ RAT_NUMA_DEFAULT, 1 },		/* DEFAULT has no mask */
		{ RAT_NUMA_PREFERRED, 0 },		/* exactly one node */
		{ RAT_NUMA_PREFERRED, 3 },		/* two nodes (or node 1 offline) */
		{ RAT_NUMA_BIND, 0 },			/* at least one node */
		{ RAT_NUMA_INTERLEAVE, 0 },
		{ RAT_NUMA_BIND, 1ULL << 63 },		/* node 63 is not online */
		{ RAT_NUMA_PREFERRED, 1ULL << 63 },
		{ RAT_NUMA_INTERLEAVE, 1 | 1ULL << 63 },
		{ (RatNumaPolicy)4, 1 },		/* no such policy */
		{ (RatNumaPolicy)-1, 1 },
	};
	uint64_t pages[MAXN];
	unsigned char *p;
	HMEM mem;

	need_numa();
	mem = RatAllocMemory(8 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);

	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_DEFAULT, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_PREFERRED, 1), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_INTERLEAVE, 1), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		RatStatus st = RatMemSetPolicy(mem, bad[i].policy, bad[i].mask);

		if (st != RAT_STATUS_INVALID_ARG || RatGetLastError() != RAT_STATUS_INVALID_ARG)
			rt_fail(__FILE__, __LINE__, "case %zu (policy %d, mask 0x%llx): %s", i,
				(int)bad[i].policy, (unsigned long long)bad[i].mask,
				RatStatusString(st));
	}
	ASSERT_EQ(RatMemSetPolicy(NULL, RAT_NUMA_BIND, 1), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);

	/* The failures changed nothing: BIND to node 0 places every page
	 * there, on a guest with two nodes too. */
	fill(p, 8 * PG, 5);
	ASSERT_EQ(usage(mem, pages), 8);
	ASSERT_EQ(pages[0], 8);
	assert_filled(p, 8 * PG, 5);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* An HMEM opened without write access may read the placement, not set it. */
TEST(set_policy_and_migrate_need_write_access)
{
	char name[RATMEM_NAME_MAX];
	uint64_t pages[MAXN];
	unsigned char *p;
	HMEM owner, ro;

	need_numa();
	snprintf(name, sizeof(name), "rt-numa-ro-%d", (int)getpid());
	owner = RatSharedMemCreateEx(name, 4 * PG, 0600);
	ASSERT_TRUE(owner != NULL);
	p = RatMapMemory(owner);
	ASSERT_TRUE(p != NULL);
	fill(p, 2 * PG, 3);
	ro = RatSharedMemOpenEx(name, RAT_MEM_READ);
	ASSERT_TRUE(ro != NULL);
	ASSERT_EQ(RatMemAccess(ro), RAT_MEM_READ);

	ASSERT_EQ(RatMemSetPolicy(ro, RAT_NUMA_BIND, 1), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemMigrate(ro, 0, 0, 0, 0), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemMigrate(ro, 0, 0, 0, RAT_MIGRATE_LAZY), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_PERMISSION);
	/* Any HMEM of the region reads the figures, whatever its access. */
	ASSERT_EQ(usage(ro, pages), 2);
	/* The owner's HMEM may. */
	ASSERT_EQ(RatMemSetPolicy(owner, RAT_NUMA_BIND, 1), RAT_STATUS_OK);
	ASSERT_EQ(RatMemMigrate(owner, 0, 0, 0, 0), RAT_STATUS_OK);
	assert_filled(p, 2 * PG, 3);
	ASSERT_EQ(usage(owner, pages), 2);
	ASSERT_EQ(pages[0], 2);

	ASSERT_EQ(RatSharedMemCloseEx(ro), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(owner), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlinkEx(name, 0), RAT_STATUS_OK);
}

/* ---- RatMemMigrate ---------------------------------------------------- */

TEST(migrate_eager_to_node_0_keeps_the_data)
{
	int src = source_node();
	uint64_t pages[MAXN];
	unsigned char *p;
	HMEM mem;

	need_numa();
	mem = RatAllocMemory(16 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1ULL << src), RAT_STATUS_OK);
	fill(p, 6 * PG, 3);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[src], 6);

	/* size 0: to the end of the region. */
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 0, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[0], 6);
	assert_filled(p, 6 * PG, 3);
	/* Nothing left to move: still OK, still the same. */
	ASSERT_EQ(RatMemMigrate(mem, 0, 16 * PG, 0, 0), RAT_STATUS_OK);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[0], 6);

	/* One byte in page 1: that whole page, and only it, goes back. */
	ASSERT_EQ(RatMemMigrate(mem, PG + 1, 1, src, 0), RAT_STATUS_OK);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[0], src ? 5 : 6);
	ASSERT_EQ(pages[src], src ? 1 : 6);
	assert_filled(p, 6 * PG, 3);
	/* Pages that were not resident appear where the policy says. */
	p[10 * PG] = 1;
	ASSERT_EQ(usage(mem, pages), 7);
	ASSERT_EQ(pages[src], src ? 2 : 7);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(migrate_lazy_to_node_0_moves_each_page_on_its_next_touch)
{
	int src = source_node();
	uint64_t pages[MAXN];
	unsigned char *p;
	HMEM mem;

	need_numa();
	mem = RatAllocMemory(16 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1ULL << src), RAT_STATUS_OK);
	fill(p, 6 * PG, 11);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[src], 6);

	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 0, RAT_MIGRATE_LAZY), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	/* Marked pages count where they are until they move. */
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[src], 6);
	/* Reading each page moves it, data and all. */
	assert_filled(p, 6 * PG, 11);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[0], 6);
	/* The moved pages are mapped writable again. */
	fill(p, 6 * PG, 13);
	assert_filled(p, 6 * PG, 13);
	ASSERT_EQ(usage(mem, pages), 6);
	ASSERT_EQ(pages[0], 6);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(migrate_refuses_bad_nodes_flags_and_ranges)
{
	uint64_t pages[MAXN];
	unsigned char *p;
	HMEM mem;

	need_numa();
	mem = RatAllocMemory(4 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1), RAT_STATUS_OK);
	fill(p, 4 * PG, 7);

	/* Node 63 is never online in the test guests. */
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 63, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 63, RAT_MIGRATE_LAZY), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, -1, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 1024, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 0, 2), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 4 * PG, 0, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 0, 4 * PG + 1, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(mem, 3 * PG, 2 * PG, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemMigrate(NULL, 0, 0, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);

	/* Nothing moved, nothing was lost. */
	ASSERT_EQ(usage(mem, pages), 4);
	ASSERT_EQ(pages[0], 4);
	assert_filled(p, 4 * PG, 7);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* ---- RatMemPopulate --------------------------------------------------- */

TEST(populate_hmem_mapping_follows_the_policy)
{
	int src = source_node();
	uint64_t pages[MAXN];
	unsigned char *p;
	HMEM mem;

	need_numa();
	mem = RatAllocMemory(8 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1ULL << src), RAT_STATUS_OK);
	/* Unaligned: every page holding a byte of the range, pages 0 and 1. */
	ASSERT_EQ(RatMemPopulate(p + 10, PG), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(usage(mem, pages), 2);
	ASSERT_EQ(pages[src], 2);
	ASSERT_EQ(RatMemPopulate(p, 8 * PG), RAT_STATUS_OK);
	ASSERT_EQ(usage(mem, pages), 8);
	ASSERT_EQ(pages[src], 8);
	assert_zero(p, 8 * PG);
	fill(p, 8 * PG, 3);
	assert_filled(p, 8 * PG, 3);
	ASSERT_EQ(usage(mem, pages), 8);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(populate_committed_reservation)
{
	uint64_t pages[MAXN];
	unsigned char *r;
	HMEM h;

	need_numa();
	r = RatMemReserve(8 * PG);
	ASSERT_TRUE(r != NULL);
	h = RatMemHandleOf(r);
	ASSERT_TRUE(h != NULL);
	ASSERT_TRUE(RatMemHandleOf(r + 7 * PG) == h);
	ASSERT_EQ(usage(h, pages), 0);

	ASSERT_EQ(RatMemCommit(r, 4 * PG, RW), RAT_STATUS_OK);
	ASSERT_EQ(usage(h, pages), 0);		/* committing allocates nothing */
	ASSERT_EQ(RatMemPopulate(r, 4 * PG), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(usage(h, pages), 4);
	/* Two bytes straddling the boundary of pages 4 and 5. */
	ASSERT_EQ(RatMemCommit(r + 4 * PG, 2 * PG, RW), RAT_STATUS_OK);
	ASSERT_EQ(RatMemPopulate(r + 5 * PG - 1, 2), RAT_STATUS_OK);
	ASSERT_EQ(usage(h, pages), 6);
	/* Populating resident pages changes nothing. */
	ASSERT_EQ(RatMemPopulate(r, 6 * PG), RAT_STATUS_OK);
	ASSERT_EQ(usage(h, pages), 6);
	assert_zero(r, 6 * PG);
	fill(r, 6 * PG, 9);
	assert_filled(r, 6 * PG, 9);
	ASSERT_EQ(usage(h, pages), 6);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
}

TEST(populate_uncommitted_range_is_invalid)
{
	uint64_t pages[MAXN];
	unsigned char *r;
	HMEM h;

	need_numa();
	r = RatMemReserve(4 * PG);
	ASSERT_TRUE(r != NULL);
	h = RatMemHandleOf(r);
	ASSERT_TRUE(h != NULL);

	/* Reserved only (RAT_MEM_NONE). */
	ASSERT_EQ(RatMemPopulate(r, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(usage(h, pages), 0);
	/* Half committed: the committed pages before the error stay. */
	ASSERT_EQ(RatMemCommit(r, 2 * PG, RW), RAT_STATUS_OK);
	ASSERT_EQ(RatMemPopulate(r, 4 * PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(usage(h, pages), 2);
	/* Readable but not committed. */
	ASSERT_EQ(RatMemProtect(r + 2 * PG, 2 * PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(RatMemPopulate(r + 2 * PG, 2 * PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(usage(h, pages), 2);
	/* Decommitted. */
	ASSERT_EQ(RatMemDecommit(r, PG), RAT_STATUS_OK);
	ASSERT_EQ(usage(h, pages), 1);
	ASSERT_EQ(RatMemPopulate(r, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(usage(h, pages), 1);
	ASSERT_EQ(RatMemRelease(r, 0), RAT_STATUS_OK);
}

TEST(populate_refuses_what_is_not_ratmem_memory)
{
	unsigned char local[64];
	void *anon, *gone;

	need_numa();
	ASSERT_EQ(RatMemPopulate(NULL, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemPopulate(local, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemPopulate(local, SIZE_MAX), RAT_STATUS_INVALID_ARG);
	/* The stack and anonymous memory are not ratmem's. */
	ASSERT_EQ(RatMemPopulate(local, sizeof(local)), RAT_STATUS_INVALID_ARG);
	anon = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(anon != MAP_FAILED);
	ASSERT_EQ(RatMemPopulate(anon, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(munmap(anon, PG), 0);
	/* Nothing mapped there at all. */
	gone = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(gone != MAP_FAILED);
	ASSERT_EQ(munmap(gone, PG), 0);
	ASSERT_EQ(RatMemPopulate(gone, PG), RAT_STATUS_NO_MEMORY);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NO_MEMORY);
}
