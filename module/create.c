// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: making a region and its owner's handle, for CREATE and
 * NAMED_CREATE alike (docs/abi.md, "RATMEM_IOC_CREATE").
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "compat.h"
#include "context.h"
#include "create.h"
#include "handle.h"
#include "region.h"
#include "revoke.h"
#include "validate.h"

/* Nobody else reaches a new region before its handle: it cannot be drained. */
static int ratmem_region_create_publish(struct ratmem_handle_new *hn)
{
	return WARN_ON_ONCE(ratmem_cap_use_live(hn->cap)) ? -ENOLINK : 0;
}

static const struct ratmem_handle_new_ops ratmem_region_create_ops = {
	.publish = ratmem_region_create_publish,
};

/* RATMEM_CREATE_PAGE_AUTO: the smallest region that gets 2 MiB pages. */
static unsigned long long ratmem_huge_auto_min_bytes = 4ULL << 20;
module_param_named(huge_auto_min_bytes, ratmem_huge_auto_min_bytes, ullong, 0644);
MODULE_PARM_DESC(huge_auto_min_bytes,
		 "RATMEM_CREATE_PAGE_AUTO gives 2 MiB pages to regions of at least this many bytes that are a multiple of 2 MiB, where they are mapped with PMDs (default 4 MiB)");

/**
 * ratmem_region_create_handle() - a new region, and a handle to its owner capability
 * @ctx: the creator's context; its quota is charged
 * @spec: the region; its fields are checked by the caller
 * @ops: the command's last steps (NAMED_CREATE links its name there), or
 *	NULL for CREATE's: count the handle's use of the region
 * @priv: the command's state for @ops
 * @hn: out: the handle, to publish or withdraw (see struct ratmem_handle_new)
 *
 * The steps undo in reverse order on failure: the owner capability holds
 * the region, so dropping it frees the region and its committed pages.
 *
 * Context: process context; may sleep. Takes region->lock and ctx->lock.
 * Return: 0; -EINVAL for a node that is not online; -ENOMEM, -EDQUOT or
 * -ENOSPC from the region; the errors of ratmem_region_commit() and of
 * ratmem_handle_new_reserve().
 */
int ratmem_region_create_handle(struct ratmem_ctx *ctx, const struct ratmem_region_spec *spec,
				const struct ratmem_handle_new_ops *ops, void *priv,
				struct ratmem_handle_new *hn)
{
	struct ratmem_region *region;
	struct ratmem_cap *owner;
	u32 page_shift;
	int ret;

	ret = ratmem_placement_check_online(&spec->placement);
	if (ret)
		return ret;
	page_shift = ratmem_page_shift_for(spec->flags, spec->page_shift, spec->size,
					   READ_ONCE(ratmem_huge_auto_min_bytes),
					   RATMEM_PMD_MAP);
	ret = ratmem_region_create(ctx->quota, spec->size, page_shift, spec->rights,
				   &spec->placement, spec->named, &region);
	if (ret)
		return ret;
	ratmem_revoke_init_region(region);
	/* The owner capability takes over the region's reference. */
	ret = ratmem_cap_create_owner(region, &owner);
	if (ret)
		return ret;
	if (spec->commit) {
		ret = ratmem_region_commit(owner, 0, spec->size);
		if (ret)
			goto err_owner;
	}
	ret = ratmem_handle_new_reserve(ctx, owner, spec->rights,
					ops ?: &ratmem_region_create_ops, priv, hn);
	if (ret)
		goto err_owner;
	return 0;

err_owner:
	ratmem_cap_put(owner);
	return ret;
}
