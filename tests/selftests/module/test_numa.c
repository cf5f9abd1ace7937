// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: NUMA placement policies, RATMEM_IOC_MIGRATE (eager and lazy)
 * and RATMEM_IOC_NODES.
 *
 * Where pages are is read back two ways: RATMEM_IOC_NODES (the module's
 * page_to_nid() of every page), and, for the placement tests, the free
 * memory of each node in /sys/devices/system/node, which the module does
 * not compute. The tests that need two nodes skip, with the reason, on a
 * guest with one (the bench boots 6.12 and the debug kernel with two).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL
#define MAXN 8
#define MB2 (2UL << 20)

struct nodes {
	uint64_t pages[MAXN];
	uint64_t pending;
	uint32_t mode, nr;
	uint64_t mask;
	int32_t node;
};

static int numa_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NUMA,
				(1ULL << RATMEM_IOC_NR_POLICY) | (1ULL << RATMEM_IOC_NR_MIGRATE) |
				(1ULL << RATMEM_IOC_NR_NODES));
}

/* Online nodes, from sysfs: node0, node1, ... */
static int online_nodes(void)
{
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 1;	/* a kernel without NUMA: one node */
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "node", 4) && e->d_name[4] >= '0' && e->d_name[4] <= '9')
			n++;
	closedir(d);
	return n;
}

static void need_two_nodes(void)
{
	int n = online_nodes();

	if (n < 2)
		SKIP("needs two NUMA nodes; this guest has %d (the bench gives 6.12 and debug two)",
		     n);
}

static int policy(int fd, uint32_t h, uint32_t mode, uint64_t mask)
{
	struct ratmem_policy p = { .handle = h, .mode = mode, .nodemask = mask };

	return ioctl(fd, RATMEM_IOC_POLICY, &p) ? -errno : 0;
}

static int migrate(int fd, uint32_t h, uint64_t off, uint64_t len, int node, uint32_t flags,
		   uint64_t *pages)
{
	struct ratmem_migrate m = { .handle = h, .flags = flags, .offset = off, .length = len,
				    .node = node };
	int ret = ioctl(fd, RATMEM_IOC_MIGRATE, &m) ? -errno : 0;

	if (pages)
		*pages = m.pages;
	return ret;
}

static struct nodes nodes_of(int fd, uint32_t h)
{
	struct nodes n = { 0 };
	struct ratmem_nodes a = { .handle = h, .nr_nodes = MAXN, .counts = (uintptr_t)n.pages };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_NODES, &a), 0);
	n.pending = a.pending;
	n.mode = a.mode;
	n.nr = a.nr_nodes;
	n.mask = a.nodemask;
	n.node = a.node;
	return n;
}

/* A region of @pages 4 KiB pages with @mode over @mask, all committed. */
static uint32_t placed_region(int fd, uint64_t pages, uint32_t mode, uint64_t mask)
{
	struct ratmem_create c = { .size = pages * PG, .flags = RATMEM_CREATE_COMMIT, .rights = ALL,
				   .numa_node = -1, .policy = mode, .nodemask = mask };

	ASSERT_EQ(rat_create(fd, &c), 0);
	return c.handle;
}

static void touch(unsigned char *p, size_t first, size_t last, unsigned char byte)
{
	for (size_t i = first; i <= last; i++)
		p[i * PG + 7] = byte;
}

/* MemFree of a node in KiB, from its meminfo. */
static long node_free_kb(int node)
{
	char path[96], *text, *at;
	long kb = -1;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", node);
	text = rt_read_file(path);
	at = strstr(text, "MemFree:");
	ASSERT_TRUE(at != NULL);
	ASSERT_EQ(sscanf(at, "MemFree: %ld kB", &kb), 1);
	free(text);
	return kb;
}

/* On any guest: NODES answers, with every resident page counted once. */
TEST(numa_nodes_counts_resident_pages)
{
	struct rt_counters before = rt_counters_now();
	int fd = numa_ctx();
	uint32_t h = rt_region(fd, 32, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 32 * PG, RW);
	struct ratmem_nodes a = { .handle = h };
	struct nodes n;
	uint64_t sum = 0;

	n = nodes_of(fd, h);
	for (int i = 0; i < MAXN; i++)
		sum += n.pages[i];
	ASSERT_EQ(sum, 0);
	touch(p, 0, 7, 1);
	touch(p, 20, 20, 1);
	n = nodes_of(fd, h);
	for (int i = 0; i < MAXN; i++)
		sum += n.pages[i];
	ASSERT_EQ(sum, 9);
	ASSERT_EQ(n.pending, 0);
	ASSERT_EQ(n.mode, RATMEM_POLICY_DEFAULT);
	ASSERT_EQ(n.mask, 0);
	ASSERT_EQ(n.node, -1);
	ASSERT_TRUE(n.nr >= (uint32_t)online_nodes());
	/* No array: only the policy comes back. */
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_NODES, &a), 0);
	ASSERT_EQ(a.nr_nodes, n.nr);
	a = (struct ratmem_nodes){ .handle = h, .nr_nodes = 4, .counts = 8 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_NODES, &a), EFAULT);
	a = (struct ratmem_nodes){ .handle = h, .nr_nodes = RATMEM_NODES_MAX + 1 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_NODES, &a), EINVAL);
	a = (struct ratmem_nodes){ .handle = h + 100 };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_NODES, &a), EBADF);
	ASSERT_EQ(munmap(p, 32 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

/* Policies name online nodes only, one way each. */
TEST(numa_policy_arguments)
{
	int fd = numa_ctx();
	struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1,
				   .policy = RATMEM_POLICY_BIND, .nodemask = 1ULL << 63 };
	uint32_t h = rt_region(fd, 4, ALL, 0);
	uint64_t pages = 99;

	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);	/* node 63 is not online */
	c.nodemask = 1;
	c.numa_node = 0;
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);	/* a node twice */
	c.numa_node = -1;
	ASSERT_EQ(rat_create(fd, &c), 0);
	ASSERT_EQ(nodes_of(fd, c.handle).mode, RATMEM_POLICY_BIND);
	ASSERT_EQ(nodes_of(fd, c.handle).mask, 1);
	ASSERT_EQ(policy(fd, h, RATMEM_POLICY_PREFERRED, 3), -EINVAL);
	ASSERT_EQ(policy(fd, h, RATMEM_POLICY_INTERLEAVE, 0), -EINVAL);
	ASSERT_EQ(policy(fd, h, RATMEM_POLICY_BIND, 1ULL << 62), -EINVAL);
	ASSERT_EQ(policy(fd, h, RATMEM_POLICY_MAX + 1, 1), -EINVAL);
	ASSERT_EQ(policy(fd, h + 100, RATMEM_POLICY_BIND, 1), -EBADF);
	ASSERT_EQ(policy(fd, h, RATMEM_POLICY_INTERLEAVE, 1), 0);
	ASSERT_EQ(nodes_of(fd, h).mode, RATMEM_POLICY_INTERLEAVE);
	/* MIGRATE: whole pages inside the region, to an online node. */
	ASSERT_EQ(migrate(fd, h, 0, 4 * PG, 63, 0, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, h, 1, PG, 0, 0, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, h, 0, 5 * PG, 0, 0, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, h, 4 * PG, PG, 0, 0, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, h, 0, 0, 0, 0, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, h, 0, PG, 0, 2, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, h, 0, PG, -1, 0, NULL), -EINVAL);
	/* Nothing resident: nothing to move. */
	ASSERT_EQ(migrate(fd, h, 0, 4 * PG, 0, 0, &pages), 0);
	ASSERT_EQ(pages, 0);
	ASSERT_EQ(close(fd), 0);
}

/* The owner's capability may steer pages, any WRITE handle too, nobody else. */
TEST(numa_policy_needs_owner_or_write)
{
	int fd = numa_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t ro = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	uint32_t got;
	uint64_t cap;

	/* A DUP carries the owner capability: allowed without WRITE. */
	ASSERT_EQ(policy(fd, ro, RATMEM_POLICY_PREFERRED, 1), 0);
	ASSERT_EQ(migrate(fd, ro, 0, PG, 0, 0, NULL), 0);
	/* A grant to ourselves is a child capability: WRITE decides. */
	cap = rt_grant_ok(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP, self);
	got = rt_accept_ok(fd, cap, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	ASSERT_EQ(policy(fd, got, RATMEM_POLICY_PREFERRED, 1), -EPERM);
	ASSERT_EQ(migrate(fd, got, 0, PG, 0, RATMEM_MIGRATE_LAZY, NULL), -EPERM);
	ASSERT_EQ(nodes_of(fd, got).mode, RATMEM_POLICY_PREFERRED);	/* reading is allowed */
	cap = rt_grant_ok(fd, h, RT_RWM, self);
	got = rt_accept_ok(fd, cap, RT_RWM);
	ASSERT_EQ(policy(fd, got, RATMEM_POLICY_DEFAULT, 0), 0);
	ASSERT_EQ(migrate(fd, got, 0, PG, 0, 0, NULL), 0);
	/* Revoked: ENOLINK. */
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(policy(fd, got, RATMEM_POLICY_DEFAULT, 0), -ENOLINK);
	ASSERT_EQ(migrate(fd, got, 0, PG, 0, 0, NULL), -ENOLINK);
	ASSERT_EQ(close(self), 0);
	ASSERT_EQ(close(fd), 0);
}

/* BIND, PREFERRED and INTERLEAVE put each page where they say. */
TEST(numa_policies_place_pages)
{
	struct rt_counters before = rt_counters_now();
	int fd;
	uint32_t b0, b1, pr, il;
	unsigned char *p0, *p1, *pp, *pi;
	struct nodes n;

	need_two_nodes();
	fd = numa_ctx();
	b0 = placed_region(fd, 64, RATMEM_POLICY_BIND, 1);
	b1 = placed_region(fd, 64, RATMEM_POLICY_BIND, 2);
	pr = placed_region(fd, 64, RATMEM_POLICY_PREFERRED, 2);
	il = placed_region(fd, 64, RATMEM_POLICY_INTERLEAVE, 3);
	p0 = rt_map_ok(fd, b0, 0, 64 * PG, RW);
	p1 = rt_map_ok(fd, b1, 0, 64 * PG, RW);
	pp = rt_map_ok(fd, pr, 0, 64 * PG, RW);
	pi = rt_map_ok(fd, il, 0, 64 * PG, RW);
	touch(p0, 0, 63, 1);
	touch(p1, 0, 63, 1);
	touch(pp, 0, 63, 1);
	n = nodes_of(fd, b0);
	ASSERT_EQ(n.pages[0], 64);
	ASSERT_EQ(n.pages[1], 0);
	n = nodes_of(fd, b1);
	ASSERT_EQ(n.pages[0], 0);
	ASSERT_EQ(n.pages[1], 64);
	n = nodes_of(fd, pr);
	ASSERT_EQ(n.pages[1], 64);
	/* Interleave goes by page index: even pages on node 0, odd on 1. */
	for (size_t i = 0; i < 64; i += 2)
		touch(pi, i, i, 1);
	n = nodes_of(fd, il);
	ASSERT_EQ(n.pages[0], 32);
	ASSERT_EQ(n.pages[1], 0);
	for (size_t i = 1; i < 64; i += 4)
		touch(pi, i, i, 1);
	n = nodes_of(fd, il);
	ASSERT_EQ(n.pages[0], 32);
	ASSERT_EQ(n.pages[1], 16);
	ASSERT_EQ(munmap(pi, 64 * PG), 0);
	ASSERT_EQ(munmap(p0, 64 * PG), 0);
	ASSERT_EQ(munmap(p1, 64 * PG), 0);
	ASSERT_EQ(munmap(pp, 64 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

/* Seen from outside the module: node 1's free memory pays for BIND to node 1. */
TEST(numa_bind_shows_in_node_meminfo)
{
	const uint64_t pages = 16384;	/* 64 MiB */
	int fd;
	uint32_t h;
	unsigned char *p;
	long free0, free1, used0, used1;
	struct ratmem_populate pop;

	need_two_nodes();
	fd = numa_ctx();
	h = placed_region(fd, pages, RATMEM_POLICY_BIND, 2);
	p = rt_map_ok(fd, h, 0, pages * PG, RW);
	free0 = node_free_kb(0);
	free1 = node_free_kb(1);
	pop = (struct ratmem_populate){ .addr = (uintptr_t)p, .length = pages * PG };
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_POPULATE, &pop), 0);
	used0 = free0 - node_free_kb(0);
	used1 = free1 - node_free_kb(1);
	rt_diag("node 0 used %ld KiB, node 1 used %ld KiB for %llu KiB bound to node 1", used0,
		used1, (unsigned long long)(pages * 4));
	ASSERT_EQ(nodes_of(fd, h).pages[1], pages);
	/*
	 * Pages on the per-CPU lists are not counted free: allocations served
	 * from them do not lower MemFree (about 13 MiB of 32 on 6.12 here).
	 */
	ASSERT_TRUE(used1 >= (long)(pages * 4) / 2);
	ASSERT_TRUE(used0 < (long)(pages * 4) / 4);
	ASSERT_EQ(munmap(p, pages * PG), 0);
	ASSERT_EQ(close(fd), 0);
}

/* A new policy steers the pages allocated after it; the others stay. */
TEST(numa_policy_change_steers_new_pages)
{
	int fd;
	uint32_t h;
	unsigned char *p;
	struct nodes n;

	need_two_nodes();
	fd = numa_ctx();
	h = placed_region(fd, 32, RATMEM_POLICY_BIND, 1);
	p = rt_map_ok(fd, h, 0, 32 * PG, RW);
	touch(p, 0, 15, 1);
	ASSERT_EQ(policy(fd, h, RATMEM_POLICY_BIND, 2), 0);
	touch(p, 16, 31, 1);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 16);
	ASSERT_EQ(n.pages[1], 16);
	ASSERT_EQ(n.mask, 2);
	ASSERT_EQ(munmap(p, 32 * PG), 0);
	ASSERT_EQ(close(fd), 0);
}

/* Eager: every resident page moves now, its data with it; the count stays. */
TEST(numa_eager_migrate_moves_data)
{
	struct rt_counters before = rt_counters_now(), during;
	int fd;
	uint32_t h;
	unsigned char *p;
	uint64_t moved;
	struct nodes n;

	need_two_nodes();
	fd = numa_ctx();
	h = placed_region(fd, 64, RATMEM_POLICY_BIND, 1);
	p = rt_map_ok(fd, h, 0, 64 * PG, RW);
	for (size_t i = 0; i < 48; i++)
		memset(p + i * PG, (int)i + 1, PG);
	during = rt_counters_now();
	ASSERT_EQ(migrate(fd, h, 0, 64 * PG, 1, 0, &moved), 0);
	ASSERT_EQ(moved, 48);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 0);
	ASSERT_EQ(n.pages[1], 48);
	ASSERT_EQ(n.pending, 0);
	rt_counters_expect(during, RT_C_PAGES);
	for (size_t i = 0; i < 48; i++)
		rt_expect_bytes(p + i * PG, PG, (unsigned char)(i + 1));
	rt_expect_bytes(p + 48 * PG, 16 * PG, 0);
	/* Pages already there are not counted again; back again works. */
	ASSERT_EQ(migrate(fd, h, 0, 48 * PG, 1, 0, &moved), 0);
	ASSERT_EQ(moved, 0);
	ASSERT_EQ(migrate(fd, h, 8 * PG, 8 * PG, 0, 0, &moved), 0);
	ASSERT_EQ(moved, 8);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 24);	/* 8 moved back, 16 new ones (BIND 0) */
	ASSERT_EQ(n.pages[1], 40);
	rt_expect_bytes(p + 8 * PG, PG, 9);
	ASSERT_EQ(munmap(p, 64 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

/* Lazy: pages are marked, and each moves when it is next touched. */
TEST(numa_lazy_migrate_moves_on_fault)
{
	struct rt_counters before = rt_counters_now();
	int fd;
	uint32_t h;
	unsigned char *p;
	uint64_t marked;
	struct nodes n;

	need_two_nodes();
	fd = numa_ctx();
	h = placed_region(fd, 64, RATMEM_POLICY_BIND, 1);
	p = rt_map_ok(fd, h, 0, 64 * PG, RW);
	for (size_t i = 0; i < 64; i++)
		memset(p + i * PG, (int)i + 1, PG);
	ASSERT_EQ(migrate(fd, h, 0, 64 * PG, 1, RATMEM_MIGRATE_LAZY, &marked), 0);
	ASSERT_EQ(marked, 64);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 64);
	ASSERT_EQ(n.pending, 64);
	/* A read moves the page; fault-around leaves marked neighbours alone. */
	rt_expect_bytes(p + 10 * PG, PG, 11);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 63);
	ASSERT_EQ(n.pages[1], 1);
	ASSERT_EQ(n.pending, 63);
	/* A write too, and it lands in the new page. */
	p[20 * PG] = 0xee;
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[1], 2);
	for (size_t i = 0; i < 64; i++)
		if (i != 20)
			rt_expect_bytes(p + i * PG, PG, (unsigned char)(i + 1));
	ASSERT_EQ(p[20 * PG], 0xee);
	rt_expect_bytes(p + 20 * PG + 1, PG - 1, 21);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 0);
	ASSERT_EQ(n.pages[1], 64);
	ASSERT_EQ(n.pending, 0);
	ASSERT_EQ(munmap(p, 64 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

static void lazy_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, 16 * PG, RW);

	(void)arg;
	rt_expect_bytes(p, 16 * PG, 0x33);	/* maps the pages, where they are */
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_GO);	/* the owner marked them */
	rt_expect_bytes(p, 8 * PG, 0x33);	/* moves pages 0-7 */
	memset(p, 0x44, PG);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
	ASSERT_EQ(munmap(p, 16 * PG), 0);
	rt_send(sock, RT_MSG_DONE);
}

/* The next fault from any process moves a marked page, for every process. */
TEST(numa_lazy_migrate_from_another_process)
{
	struct rt_counters before = rt_counters_now();
	int fd;
	uint32_t h;
	unsigned char *p;
	struct rt_peer b;
	uint64_t marked;
	struct nodes n;

	need_two_nodes();
	fd = rt_sharing_ctx();
	h = placed_region(fd, 16, RATMEM_POLICY_BIND, 1);
	p = rt_map_ok(fd, h, 0, 16 * PG, RW);
	memset(p, 0x33, 16 * PG);
	rt_peer_start(&b, lazy_grantee, NULL);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RWM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_READY);
	ASSERT_EQ(migrate(fd, h, 0, 16 * PG, 1, RATMEM_MIGRATE_LAZY, &marked), 0);
	ASSERT_EQ(marked, 16);
	rt_send(b.sock, RT_MSG_GO);
	rt_peer_expect(&b, RT_MSG_DONE);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[1], 8);
	ASSERT_EQ(n.pending, 8);
	/* The owner sees the grantee's write: one page, both mappings. */
	rt_expect_bytes(p, PG, 0x44);
	rt_expect_bytes(p + PG, 15 * PG, 0x33);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[1], 16);
	rt_send(b.sock, RT_MSG_EXIT);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	ASSERT_EQ(munmap(p, 16 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

/* Decommit takes marks with the pages; recommitted pages come back zero. */
TEST(numa_decommit_drops_marks)
{
	struct rt_counters before = rt_counters_now();
	int fd;
	uint32_t h;
	unsigned char *p;
	struct nodes n;

	need_two_nodes();
	fd = numa_ctx();
	h = placed_region(fd, 16, RATMEM_POLICY_BIND, 1);
	p = rt_map_ok(fd, h, 0, 16 * PG, RW);
	memset(p, 0x77, 16 * PG);
	ASSERT_EQ(migrate(fd, h, 0, 16 * PG, 1, RATMEM_MIGRATE_LAZY, NULL), 0);
	ASSERT_EQ(rt_decommit(fd, h, 0, 8 * PG), 0);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pending, 8);
	ASSERT_EQ(n.pages[0], 8);
	ASSERT_EQ(rt_commit(fd, h, 0, 8 * PG), 0);
	rt_expect_bytes(p, 8 * PG, 0);
	n = nodes_of(fd, h);
	ASSERT_EQ(n.pages[0], 16);	/* BIND 0 still, for new pages */
	ASSERT_EQ(n.pending, 8);
	rt_expect_bytes(p + 8 * PG, 8 * PG, 0x77);
	ASSERT_EQ(nodes_of(fd, h).pending, 0);
	ASSERT_EQ(munmap(p, 16 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

/* 2 MiB pages move whole, eagerly and lazily, PMD-mapped or not. */
TEST(numa_migrate_2m_pages)
{
	struct rt_counters before = rt_counters_now();
	struct ratmem_create c = { .size = 4 * MB2, .flags = RATMEM_CREATE_COMMIT, .rights = ALL,
				   .page_shift = RATMEM_PAGE_SHIFT_2M, .numa_node = -1,
				   .policy = RATMEM_POLICY_BIND, .nodemask = 1 };
	int fd;
	unsigned char *p;
	uint64_t pages;
	struct nodes n;

	need_two_nodes();
	fd = numa_ctx();
	ASSERT_EQ(rat_create(fd, &c), 0);
	p = rt_map_ok(fd, c.handle, 0, 4 * MB2, RW);
	for (size_t i = 0; i < 4; i++)
		memset(p + i * MB2, 0x10 + (int)i, MB2);
	ASSERT_EQ(nodes_of(fd, c.handle).pages[0], 2048);
	ASSERT_EQ(migrate(fd, c.handle, MB2, PG, 1, 0, NULL), -EINVAL);
	ASSERT_EQ(migrate(fd, c.handle, 0, MB2, 1, 0, &pages), 0);
	ASSERT_EQ(pages, 512);
	ASSERT_EQ(migrate(fd, c.handle, MB2, 3 * MB2, 1, RATMEM_MIGRATE_LAZY, &pages), 0);
	ASSERT_EQ(pages, 1536);
	n = nodes_of(fd, c.handle);
	ASSERT_EQ(n.pages[1], 512);
	ASSERT_EQ(n.pending, 1536);
	p[2 * MB2 + 4096] = 0x99;	/* moves the third page */
	n = nodes_of(fd, c.handle);
	ASSERT_EQ(n.pages[1], 1024);
	ASSERT_EQ(n.pending, 1024);
	for (size_t i = 0; i < 4; i++) {
		rt_expect_bytes(p + i * MB2, 4096, 0x10 + (unsigned char)i);
		rt_expect_bytes(p + i * MB2 + 4097, MB2 - 4097, 0x10 + (unsigned char)i);
	}
	ASSERT_EQ(p[2 * MB2 + 4096], 0x99);
	ASSERT_EQ(nodes_of(fd, c.handle).pages[1], 2048);
	ASSERT_EQ(munmap(p, 4 * MB2), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

/*
 * Writers keep incrementing their own words in every page while pages
 * move back and forth, eagerly and lazily. A page copied while a PTE of
 * the old page could still be written would lose increments: each word
 * must end at exactly its writer's count.
 */
#define RACE_PAGES	32
#define RACE_WRITERS	2

struct race {
	uint64_t *words;
	atomic_int stop;
	uint64_t done[RACE_WRITERS];
};

struct writer {
	struct race *r;
	int id;
};

static void *race_writer(void *arg)
{
	struct writer *w = arg;
	struct race *r = w->r;
	uint64_t n = 0;

	while (!atomic_load(&r->stop)) {
		for (size_t i = 0; i < RACE_PAGES; i++)
			r->words[i * (PG / 8) + (size_t)w->id]++;
		n++;
	}
	r->done[w->id] = n;
	return NULL;
}

TEST_TIMEOUT(numa_migrate_races_writers, 120)
{
	struct rt_counters before = rt_counters_now();
	struct writer w[RACE_WRITERS];
	pthread_t t[RACE_WRITERS];
	struct race r = { 0 };
	int fd;
	uint32_t h;
	unsigned long rounds = 0;

	need_two_nodes();
	fd = numa_ctx();
	h = placed_region(fd, RACE_PAGES, RATMEM_POLICY_DEFAULT, 0);
	r.words = rt_map_ok(fd, h, 0, RACE_PAGES * PG, RW);
	for (int i = 0; i < RACE_WRITERS; i++) {
		w[i] = (struct writer){ .r = &r, .id = i };
		ASSERT_EQ(pthread_create(&t[i], NULL, race_writer, &w[i]), 0);
	}
	for (rounds = 0; rounds < 400; rounds++) {
		uint32_t flags = rounds % 3 ? RATMEM_MIGRATE_LAZY : 0;

		ASSERT_EQ(migrate(fd, h, 0, RACE_PAGES * PG, (int)(rounds % 2), flags, NULL), 0);
		usleep(200);
	}
	atomic_store(&r.stop, 1);
	for (int i = 0; i < RACE_WRITERS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	for (size_t i = 0; i < RACE_PAGES; i++)
		for (int k = 0; k < RACE_WRITERS; k++)
			if (r.words[i * (PG / 8) + (size_t)k] != r.done[k])
				rt_fail(__FILE__, __LINE__,
					"page %zu writer %d: %llu increments, expected %llu", i, k,
					(unsigned long long)r.words[i * (PG / 8) + (size_t)k],
					(unsigned long long)r.done[k]);
	rt_diag("%lu migrations; writers made %llu and %llu passes", rounds,
		(unsigned long long)r.done[0], (unsigned long long)r.done[1]);
	ASSERT_EQ(munmap(r.words, RACE_PAGES * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_back(before);
}

/* Migrations racing decommit, revoke and the exit of the process mapping. */
static void racing_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	volatile unsigned char *p = rt_map_ok(fd, h, 0, 16 * PG, RW);

	(void)arg;
	rt_send(sock, RT_MSG_READY);
	/*
	 * Touch until revoked (SIGBUS) or killed: either ends the peer.
	 * Pages 4-7 are decommitted for a while: not touched.
	 */
	for (;;)
		for (size_t i = 0; i < 16; i++)
			if (i < 4 || i > 7)
				(void)p[i * PG];
}

TEST_TIMEOUT(numa_migrate_races_decommit_revoke_exit, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd;

	need_two_nodes();
	fd = rt_sharing_ctx();
	for (int round = 0; round < 20; round++) {
		uint32_t h = placed_region(fd, 16, RATMEM_POLICY_INTERLEAVE, 3);
		unsigned char *p = rt_map_ok(fd, h, 0, 16 * PG, RW);
		struct rt_peer b;
		uint64_t cap;
		int status;

		memset(p, 0x5a, 16 * PG);
		rt_peer_start(&b, racing_grantee, NULL);
		cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);

		rt_send(b.sock, cap);
		rt_peer_expect(&b, RT_MSG_READY);
		for (int i = 0; i < 10; i++) {
			int ret = migrate(fd, h, 0, 16 * PG, (round + i) % 2,
					  i % 2 ? RATMEM_MIGRATE_LAZY : 0, NULL);

			ASSERT_EQ(ret, 0);
			if (i == 4)
				ASSERT_EQ(rt_decommit(fd, h, 4 * PG, 4 * PG), 0);
			if (i == 5)
				ASSERT_EQ(rt_commit(fd, h, 4 * PG, 4 * PG), 0);
		}
		if (round % 2) {
			ASSERT_EQ(rt_revoke(fd, h, cap), 0);
		} else {
			kill(b.pid, SIGKILL);
		}
		ASSERT_EQ(migrate(fd, h, 0, 16 * PG, round % 2, RATMEM_MIGRATE_LAZY, NULL), 0);
		status = rt_peer_wait(&b, 30000);
		ASSERT_TRUE(WIFSIGNALED(status));
		rt_expect_bytes(p, 4 * PG, 0x5a);
		rt_expect_bytes(p + 4 * PG, 4 * PG, 0);
		rt_expect_bytes(p + 8 * PG, 8 * PG, 0x5a);
		ASSERT_EQ(nodes_of(fd, h).pending, 0);
		ASSERT_EQ(munmap(p, 16 * PG), 0);
		ASSERT_EQ(rat_close_handle(fd, h), 0);
	}
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_SHARING);
}
