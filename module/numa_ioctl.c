// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the NUMA commands of a handle: RATMEM_IOC_POLICY,
 * RATMEM_IOC_MIGRATE and RATMEM_IOC_NODES. Each resolves the handle,
 * checks its rights and the arguments that depend on the region or the
 * machine (the range, whether nodes are online), and calls migrate.c.
 */
#include <linux/errno.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "handle.h"
#include "migrate.h"
#include "numa.h"
#include "numa_ioctl.h"
#include "region.h"
#include "validate.h"

/*
 * Moving pages and steering new ones change where the region's data
 * lives for every user: the owner may, and whoever may write it.
 */
static bool ratmem_may_place(const struct ratmem_cap *cap, u32 rights)
{
	return !cap->parent || (rights & RATMEM_RIGHT_WRITE);
}

/**
 * ratmem_handle_policy() - RATMEM_IOC_POLICY
 * @ctx: the context
 * @args: the caller's arguments, checked (ratmem_check_policy_args())
 *
 * The policy steers every page the region will allocate, so a sub-range
 * grant's holder, which must not reach past its range, may not set it.
 *
 * Context: process context; may sleep. Takes ctx->lock, then region->lock.
 * Return: 0, -EBADF, -ENOLINK, -EPERM (neither the owner's capability nor
 * WRITE, or a view of part of the region only), or -EINVAL for a node
 * that is not online.
 */
int ratmem_handle_policy(struct ratmem_ctx *ctx, const struct ratmem_policy *args)
{
	struct ratmem_placement p = {
		.mode = args->mode,
		.node = NUMA_NO_NODE,
		.nodemask = args->nodemask,
	};
	struct ratmem_cap *cap;
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, args->handle, &cap, &rights);
	if (ret)
		return ret;
	if (!ratmem_may_place(cap, rights) || cap->span != cap->region->size)
		ret = -EPERM;
	else
		ret = ratmem_placement_check_online(&p);
	if (!ret)
		ret = ratmem_region_set_policy(cap, &p);
	ratmem_cap_put(cap);
	return ret;
}

/**
 * ratmem_handle_migrate() - RATMEM_IOC_MIGRATE
 * @ctx: the context
 * @args: the caller's arguments, checked (ratmem_check_migrate_args());
 *	@args->pages is set
 *
 * Context: process context; may sleep. Takes ctx->lock, then the locks
 * of ratmem_region_migrate().
 * Return: 0, -EBADF, -ENOLINK, -EPERM, -EINVAL for a range outside the
 * region or not aligned to its pages, or a node that is not online, or
 * the errors of ratmem_region_migrate().
 */
int ratmem_handle_migrate(struct ratmem_ctx *ctx, struct ratmem_migrate *args)
{
	u64 offset = args->offset;
	struct ratmem_region *region;
	struct ratmem_cap *cap;
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, args->handle, &cap, &rights);
	if (ret)
		return ret;
	region = cap->region;
	if (!ratmem_may_place(cap, rights))
		ret = -EPERM;
	else if (ratmem_cap_range(cap, &offset, args->length, 1ULL << region->page_shift) ||
		 !node_online(args->node))
		ret = -EINVAL;
	else
		ret = ratmem_region_migrate(cap, offset, args->length, args->node,
					    args->flags & RATMEM_MIGRATE_LAZY, &args->pages);
	ratmem_cap_put(cap);
	return ret;
}

/**
 * ratmem_handle_nodes() - RATMEM_IOC_NODES
 * @ctx: the context
 * @args: the caller's arguments, checked (ratmem_check_nodes_args());
 *	the answer is written into it
 *
 * Any handle of the region may ask. The counts go to the user array at
 * @args->counts before the call returns.
 *
 * Context: process context; may sleep. Takes ctx->lock, then region->lock.
 * Return: 0, -EBADF, -ENOLINK, -ENOMEM, or -EFAULT for a bad array.
 */
int ratmem_handle_nodes(struct ratmem_ctx *ctx, struct ratmem_nodes *args)
{
	u64 __user *ucounts = u64_to_user_ptr(args->counts);
	struct ratmem_placement p;
	struct ratmem_cap *cap;
	u64 *counts = NULL;
	u32 rights;
	int ret;

	if (args->nr_nodes) {
		counts = kcalloc(args->nr_nodes, sizeof(*counts), GFP_KERNEL);
		if (!counts)
			return -ENOMEM;
	}
	ret = ratmem_handle_lookup(ctx, args->handle, &cap, &rights);
	if (ret)
		goto out;
	ratmem_region_node_pages(cap->region, counts, args->nr_nodes, &args->pending);
	ratmem_region_placement(cap->region, &p);
	ratmem_cap_put(cap);
	args->mode = p.mode;
	args->nodemask = p.nodemask;
	args->node = p.node;
	if (counts && copy_to_user(ucounts, counts, args->nr_nodes * sizeof(*counts)))
		ret = -EFAULT;
	args->nr_nodes = nr_node_ids;
out:
	kfree(counts);
	return ret;
}
