/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: where a region's pages are allocated (numa.c).
 */
#ifndef RATMEM_NUMA_H
#define RATMEM_NUMA_H

#include <linux/gfp.h>
#include <linux/types.h>

struct ratmem_region;

/**
 * struct ratmem_placement - a region's placement policy
 * @mode: RATMEM_POLICY_*.
 * @node: for RATMEM_POLICY_DEFAULT, the node CREATE named, or
 *	NUMA_NO_NODE; else NUMA_NO_NODE.
 * @nodemask: bit N for node N (ratmem_check_policy() holds).
 */
struct ratmem_placement {
	u32 mode;
	int node;
	u64 nodemask;
};

int ratmem_placement_check_online(const struct ratmem_placement *p);
int ratmem_placement_node(const struct ratmem_placement *p, unsigned long index, int local);
struct page *ratmem_placement_alloc(const struct ratmem_placement *p, unsigned long index,
				    gfp_t gfp, unsigned int order);

#endif /* RATMEM_NUMA_H */
