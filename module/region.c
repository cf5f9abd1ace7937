// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: regions. A region is created reserved (no page committed);
 * its fields never change, so readers need no lock.
 */
#include <linux/slab.h>

#include "ratmem.h"

/**
 * ratmem_region_create() - allocate a region
 * @size: bytes; validated by the caller (ratmem_check_create_args())
 * @page_shift: log2 of the page size
 * @max_rights: RATMEM_RIGHT_* bits
 * @numa_node: preferred node, or NUMA_NO_NODE
 *
 * Context: process context; may sleep.
 * Return: the region with one reference held by the caller, or NULL
 * when out of memory.
 */
struct ratmem_region *ratmem_region_create(u64 size, u32 page_shift, u32 max_rights,
					   int numa_node)
{
	struct ratmem_region *region;

	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
	if (!region)
		return NULL;
	kref_init(&region->ref);
	region->id = atomic64_inc_return(&ratmem_counters.next_region_id);
	region->size = size;
	region->page_shift = page_shift;
	region->max_rights = max_rights;
	region->numa_node = numa_node;
	atomic64_inc(&ratmem_counters.regions);
	return region;
}

static void ratmem_region_free(struct kref *ref)
{
	struct ratmem_region *region = container_of(ref, struct ratmem_region, ref);

	kfree(region);
	atomic64_dec(&ratmem_counters.regions);
}

/**
 * ratmem_region_put() - drop a reference to a region
 * @region: the region; freed with its last reference
 *
 * Context: process context; may sleep.
 */
void ratmem_region_put(struct ratmem_region *region)
{
	kref_put(&region->ref, ratmem_region_free);
}
