// SPDX-License-Identifier: GPL-2.0
/*
 * numa_bench: the cost per page of moving memory from node 0 to node 1,
 * ratmem against move_pages(2) of anonymous memory, side by side in one
 * run on a guest with two NUMA nodes (issue 19).
 *
 *   move_pages   anonymous memory bound to node 0 (mbind), every page
 *                touched, then move_pages(MPOL_MF_MOVE) of all to node 1
 *   eager        a ratmem region bound to node 0, every page touched,
 *                then one RATMEM_IOC_MIGRATE to node 1
 *   lazy-mark    the same region state, RATMEM_IOC_MIGRATE with
 *                RATMEM_MIGRATE_LAZY: the marking and zap alone
 *   lazy-touch   then a read of every page, each of which moves on its
 *                fault: the deferred cost
 *   lazy         lazy-mark + lazy-touch
 *   refault      for scale: a read of every page of a region whose pages
 *                were only zapped (a lazy MIGRATE to the node they are on
 *                already marks nothing, but zaps): the fault without copy
 *
 * 64 MiB, 4 KiB pages; medians of ROUNDS interleaved rounds. Under TCG
 * both nodes are the same host memory: only the costs compare, not NUMA
 * latencies. Ratios are against move_pages. Nothing is asserted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/mempolicy.h>
#include <linux/ratmem.h>

#define BENCH_NAME "numa_bench"
#include "bench_util.h"

#define PG	((size_t)4096)
#define NPAGES	((size_t)16384)		/* 64 MiB */
#define SIZE	(NPAGES * PG)
#define ROUNDS	5

enum kind { K_MOVE_PAGES, K_EAGER, K_LAZY_MARK, K_LAZY_TOUCH, K_LAZY, K_REFAULT, NKINDS };

static const char *const kind_name[NKINDS] = {
	"move_pages", "eager", "lazy-mark", "lazy-touch", "lazy", "refault",
};

static int rat_fd = -1;

static void touch(char *p)
{
	for (size_t i = 0; i < NPAGES; i++)
		p[i * PG] = (char)i;
}

static void read_all(const char *p)
{
	const volatile char *v = p;

	for (size_t i = 0; i < NPAGES; i++)
		if (v[i * PG] != (char)i)
			die("page %zu lost its data", i);
}

/* Anonymous memory on node 0, touched; move_pages() to node 1: ns. */
static double run_move_pages(void)
{
	unsigned long mask = 1;
	void **pages = malloc(NPAGES * sizeof(*pages));
	int *nodes = malloc(NPAGES * sizeof(*nodes)), *status = malloc(NPAGES * sizeof(*status));
	char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;
	long ret;

	if (!pages || !nodes || !status || p == MAP_FAILED)
		die("memory for move_pages");
	if (syscall(SYS_mbind, p, SIZE, MPOL_BIND, &mask, 8 * sizeof(mask), 0))
		die("mbind");
	madvise(p, SIZE, MADV_NOHUGEPAGE);
	touch(p);
	for (size_t i = 0; i < NPAGES; i++) {
		pages[i] = p + i * PG;
		nodes[i] = 1;
	}
	t0 = now_ns();
	ret = syscall(SYS_move_pages, 0, NPAGES, pages, nodes, status, MPOL_MF_MOVE);
	t0 = now_ns() - t0;
	if (ret < 0)
		die("move_pages");
	for (size_t i = 0; i < NPAGES; i++)
		if (status[i] != 1)
			die("move_pages left page %zu on %d", i, status[i]);
	read_all(p);
	munmap(p, SIZE);
	free(pages);
	free(nodes);
	free(status);
	return (double)t0;
}

static int migrate(uint32_t h, int node, uint32_t flags)
{
	struct ratmem_migrate m = { .handle = h, .flags = flags, .length = SIZE, .node = node };

	return ioctl(rat_fd, RATMEM_IOC_MIGRATE, &m);
}

/* A region bound to node 0, mapped and touched. */
static char *region_on_node0(uint32_t *h)
{
	struct ratmem_create c = {
		.size = SIZE, .flags = RATMEM_CREATE_COMMIT,
		.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
		.numa_node = -1, .policy = RATMEM_POLICY_BIND, .nodemask = 1,
	};
	char *p;

	if (ioctl(rat_fd, RATMEM_IOC_CREATE, &c))
		die("RATMEM_IOC_CREATE");
	*h = c.handle;
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, rat_fd,
		 (off_t)RATMEM_MMAP_OFFSET(c.handle));
	if (p == MAP_FAILED)
		die("mmap of a ratmem handle");
	touch(p);
	return p;
}

static void region_free(char *p, uint32_t h)
{
	struct ratmem_close c = { .handle = h };

	munmap(p, SIZE);
	if (ioctl(rat_fd, RATMEM_IOC_CLOSE, &c))
		die("RATMEM_IOC_CLOSE");
}

/* One round of every ratmem case; times in ns go to t[kind]. */
static void run_ratmem(double *t)
{
	uint32_t h;
	char *p = region_on_node0(&h);
	uint64_t t0, t1;

	t0 = now_ns();
	if (migrate(h, 1, 0))
		die("eager MIGRATE");
	t[K_EAGER] = (double)(now_ns() - t0);
	read_all(p);
	region_free(p, h);

	p = region_on_node0(&h);
	t0 = now_ns();
	if (migrate(h, 1, RATMEM_MIGRATE_LAZY))
		die("lazy MIGRATE");
	t1 = now_ns();
	read_all(p);
	t[K_LAZY_MARK] = (double)(t1 - t0);
	t[K_LAZY_TOUCH] = (double)(now_ns() - t1);
	t[K_LAZY] = t[K_LAZY_MARK] + t[K_LAZY_TOUCH];
	/* All on node 1 now: a lazy MIGRATE there marks nothing, but zaps. */
	if (migrate(h, 1, RATMEM_MIGRATE_LAZY))
		die("lazy MIGRATE");
	t0 = now_ns();
	read_all(p);
	t[K_REFAULT] = (double)(now_ns() - t0);
	region_free(p, h);
}

int main(void)
{
	double t[NKINDS][ROUNDS], med[NKINDS];
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	if (access("/sys/devices/system/node/node1", F_OK)) {
		printf("numa_bench: skipped: one NUMA node (boot with two: 6.12 or debug)\n");
		return 0;
	}
	rat_fd = open("/dev/ratmem", O_RDWR | O_CLOEXEC);
	if (rat_fd < 0)
		die("open /dev/ratmem");
	if (ioctl(rat_fd, RATMEM_IOC_API, &api))
		die("RATMEM_IOC_API");
	if (!(api.features & RATMEM_FEATURE_NUMA)) {
		printf("numa_bench: skipped: the module has no RATMEM_FEATURE_NUMA\n");
		return 0;
	}
	for (int r = 0; r < ROUNDS; r++) {
		double one[NKINDS];

		t[K_MOVE_PAGES][r] = run_move_pages();
		run_ratmem(one);
		for (int k = K_EAGER; k < NKINDS; k++)
			t[k][r] = one[k];
	}
	printf("numa_bench: %zu pages of 4 KiB, node 0 -> node 1, median of %d rounds\n",
	       NPAGES, ROUNDS);
	printf("%-12s %10s %12s\n", "case", "ns/page", "vs move_pages");
	for (int k = 0; k < NKINDS; k++) {
		med[k] = median(t[k], ROUNDS) / (double)NPAGES;
		printf("%-12s %10.0f %12.2f\n", kind_name[k], med[k], med[k] / med[K_MOVE_PAGES]);
	}
	printf("lazy copy share: a moving fault costs %.2f refaults\n",
	       med[K_LAZY_TOUCH] / med[K_REFAULT]);
	return 0;
}
