// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: placement policies. A region's policy picks the node of each
 * page as it is allocated: the node CREATE named (or the faulting CPU's),
 * one preferred node, a set of nodes the pages are bound to, or a set
 * they are interleaved over by page index, in the manner of mbind(2)'s
 * MPOL_PREFERRED, MPOL_BIND and MPOL_INTERLEAVE. Pages are not moved
 * when the policy changes; migrate.c moves them.
 */
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/topology.h>
#include <linux/ratmem.h>

#include "numa.h"

/**
 * ratmem_placement_check_online() - are the nodes a policy names online?
 * @p: the policy, checked by ratmem_check_policy()
 *
 * Context: any context.
 * Return: 0, or -EINVAL when a node of the mask, or the DEFAULT policy's
 * node, is not online.
 */
int ratmem_placement_check_online(const struct ratmem_placement *p)
{
	unsigned long mask = p->nodemask;
	unsigned int nid;

	BUILD_BUG_ON(BITS_PER_LONG < RATMEM_NODEMASK_BITS);
	if (p->node != NUMA_NO_NODE && !node_online(p->node))
		return -EINVAL;
	for_each_set_bit(nid, &mask, RATMEM_NODEMASK_BITS)
		if (!node_online(nid))
			return -EINVAL;
	return 0;
}

/* The @n-th (from 0) set bit of @mask; @n is below its weight. */
static int ratmem_nth_node(u64 mask, unsigned int n)
{
	while (n--)
		mask &= mask - 1;
	return __ffs64(mask);
}

/**
 * ratmem_placement_node() - the node to try first for a page
 * @p: the region's policy
 * @index: the page's index in the region, in the region's pages
 * @local: the node of the CPU that allocates
 *
 * Context: any context.
 * Return: a node, or NUMA_NO_NODE for the allocator's choice (the local
 * node first).
 */
int ratmem_placement_node(const struct ratmem_placement *p, unsigned long index, int local)
{
	switch (p->mode) {
	case RATMEM_POLICY_PREFERRED:
		return __ffs64(p->nodemask);
	case RATMEM_POLICY_BIND:
		if (local >= 0 && local < RATMEM_NODEMASK_BITS && (p->nodemask & BIT_ULL(local)))
			return local;
		return __ffs64(p->nodemask);
	case RATMEM_POLICY_INTERLEAVE:
		return ratmem_nth_node(p->nodemask, index % hweight64(p->nodemask));
	default:
		return p->node;
	}
}

/* BIND: the first node of @p that has a page, @first tried first; never another. */
static struct page *ratmem_placement_alloc_bound(const struct ratmem_placement *p, int first,
						 gfp_t gfp, unsigned int order)
{
	unsigned long mask = p->nodemask;
	struct page *page;
	unsigned int nid;

	gfp |= __GFP_THISNODE;
	if (node_online(first)) {
		page = alloc_pages_node(first, gfp, order);
		if (page)
			return page;
	}
	for_each_set_bit(nid, &mask, RATMEM_NODEMASK_BITS) {
		if (nid == first || !node_online(nid))
			continue;
		page = alloc_pages_node(nid, gfp, order);
		if (page)
			return page;
	}
	return NULL;
}

/**
 * ratmem_placement_alloc() - allocate a page where a policy says
 * @p: the region's policy (a copy: it may change meanwhile)
 * @index: the page's index in the region, in the region's pages
 * @gfp: allocation flags
 * @order: the region's page order
 *
 * A node that went offline since the policy was set is skipped: with
 * BIND the page comes from another node of the mask or not at all,
 * otherwise from wherever the allocator finds one.
 *
 * Context: as @gfp allows.
 * Return: the page, or NULL.
 */
struct page *ratmem_placement_alloc(const struct ratmem_placement *p, unsigned long index,
				    gfp_t gfp, unsigned int order)
{
	int nid = ratmem_placement_node(p, index, numa_node_id());

	if (p->mode == RATMEM_POLICY_BIND)
		return ratmem_placement_alloc_bound(p, nid, gfp, order);
	if (nid != NUMA_NO_NODE && !node_online(nid))
		nid = NUMA_NO_NODE;
	return alloc_pages_node(nid, gfp, order);
}
