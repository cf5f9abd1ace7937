// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: ioctl dispatch, one small handler per command.
 */
#include <linux/bits.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "context.h"
#include "counters.h"
#include "handle.h"
#include "ioctl.h"
#include "ratmem.h"
#include "region.h"
#include "validate.h"

/* Every command from API (0) to QUOTA, the last one. */
#define RATMEM_IOCTLS	GENMASK_ULL(RATMEM_IOC_NR_QUOTA, RATMEM_IOC_NR_API)

static long ratmem_ioctl_api(void __user *uarg)
{
	struct ratmem_api api;
	int ret;

	if (copy_from_user(&api, uarg, sizeof(api)))
		return -EFAULT;
	ret = ratmem_check_api_args(&api);
	if (ret)
		return ret;

	api.abi_version = RATMEM_ABI_VERSION;
	api.features = RATMEM_FEATURES;
	api.ioctls = RATMEM_IOCTLS;
	if (copy_to_user(uarg, &api, sizeof(api)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioctl_stats(void __user *uarg)
{
	struct ratmem_stats stats;
	unsigned int i;
	int ret;

	if (copy_from_user(&stats, uarg, sizeof(stats)))
		return -EFAULT;
	ret = ratmem_check_stats_args(&stats);
	if (ret)
		return ret;

	for (i = 0; i < ratmem_nr_counters; i++) {
		const struct ratmem_counter *c = &ratmem_counter_list[i];

		if (c->stats)
			*(__u64 *)((u8 *)&stats + c->stats) = ratmem_counter_read(c);
	}
	if (copy_to_user(uarg, &stats, sizeof(stats)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioctl_create(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_handle_slot slot;
	struct ratmem_region *region;
	struct ratmem_create c;
	struct ratmem_cap *owner;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = ratmem_check_create_args(&c, ratmem_region_size_max);
	if (ret)
		return ret;
	if (c.numa_node != NUMA_NO_NODE && !node_online(c.numa_node))
		return -EINVAL;

	ret = ratmem_region_create(ctx->acct, c.size, RATMEM_PAGE_SHIFT_4K, c.rights,
				   c.numa_node, NULL, &region);
	if (ret)
		return ret;
	ret = ratmem_cap_create_owner(region, &owner);
	if (ret)
		return ret;
	if (c.flags & RATMEM_CREATE_COMMIT) {
		ret = ratmem_region_commit(owner, 0, c.size);
		if (ret)
			goto err_put;
	}
	ret = ratmem_handle_reserve(ctx, region, &slot);
	if (ret)
		goto err_put;
	c.handle = slot.nr;
	c.region_id = region->id;
	c.page_shift = region->page_shift;
	if (copy_to_user(uarg, &c, sizeof(c))) {
		ratmem_handle_cancel(ctx, &slot);
		ret = -EFAULT;
		goto err_put;
	}
	/* Nobody else reaches the region yet: it cannot be drained. */
	WARN_ON_ONCE(ratmem_cap_use_live(owner));
	ratmem_handle_publish(ctx, &slot, owner, c.rights);
	return 0;

err_put:
	ratmem_cap_put(owner);
	return ret;
}

static long ratmem_ioctl_query(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_region *region;
	struct ratmem_cap *cap;
	struct ratmem_query q;
	u32 rights;
	int ret;

	if (copy_from_user(&q, uarg, sizeof(q)))
		return -EFAULT;
	ret = ratmem_check_query_args(&q);
	if (ret)
		return ret;
	ret = ratmem_handle_lookup(ctx, q.handle, &cap, &rights);
	if (ret)
		return ret;
	region = cap->region;
	q.size = region->size;
	q.committed = ratmem_region_committed_bytes(region);
	q.region_id = region->id;
	q.rights = rights;
	q.max_rights = region->max_rights;
	q.page_shift = region->page_shift;
	q.pad = 0;
	if (region->named) {
		q.owner_uid = from_kuid_munged(current_user_ns(), region->owner_uid);
		q.owner_gid = from_kgid_munged(current_user_ns(), region->owner_gid);
		q.mode = region->mode;
		q.info = RATMEM_QUERY_NAMED;
	}
	ratmem_cap_put(cap);
	if (copy_to_user(uarg, &q, sizeof(q)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioctl_dup(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_handle_slot slot;
	struct ratmem_cap *cap;
	struct ratmem_dup d;
	u32 rights;
	int ret;

	if (copy_from_user(&d, uarg, sizeof(d)))
		return -EFAULT;
	ret = ratmem_check_dup_args(&d);
	if (ret)
		return ret;
	ret = ratmem_handle_lookup(ctx, d.handle, &cap, &rights);
	if (ret)
		return ret;
	if (!ratmem_rights_subset(d.rights, rights)) {
		ret = -EPERM;
		goto err_put;
	}
	ret = ratmem_handle_reserve(ctx, cap->region, &slot);
	if (ret)
		goto err_put;
	d.new_handle = slot.nr;
	if (copy_to_user(uarg, &d, sizeof(d))) {
		ratmem_handle_cancel(ctx, &slot);
		ret = -EFAULT;
		goto err_put;
	}
	/* The source may have been closed meanwhile, and the memory drained. */
	ret = ratmem_cap_use_live(cap);
	if (ret) {
		ratmem_handle_cancel(ctx, &slot);
		goto err_put;
	}
	/* The lookup's reference becomes the new handle's. */
	ratmem_handle_publish(ctx, &slot, cap, d.rights);
	return 0;

err_put:
	ratmem_cap_put(cap);
	return ret;
}

/* RATMEM_IOC_COMMIT (@commit true) and RATMEM_IOC_DECOMMIT. */
static long ratmem_ioctl_range(struct ratmem_ctx *ctx, void __user *uarg, bool commit)
{
	struct ratmem_cap *cap;
	struct ratmem_range r;
	u32 rights;
	int ret;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	ret = ratmem_check_range_args(&r);
	if (ret)
		return ret;
	ret = ratmem_handle_lookup(ctx, r.handle, &cap, &rights);
	if (ret)
		return ret;
	/* Decommit zeroes what other mappings see: both need WRITE. */
	if (!(rights & RATMEM_RIGHT_WRITE))
		ret = -EPERM;
	else if (ratmem_check_range(r.offset, r.length, cap->region->size,
				    1ULL << cap->region->page_shift))
		ret = -EINVAL;
	else if (commit)
		ret = ratmem_region_commit(cap, r.offset, r.length);
	else
		ret = ratmem_region_decommit(cap, r.offset, r.length);
	ratmem_cap_put(cap);
	return ret;
}

static long ratmem_ioctl_close(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_close c;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = ratmem_check_close_args(&c);
	if (ret)
		return ret;
	return ratmem_handle_close(ctx, c.handle);
}

/**
 * ratmem_ioctl() - ->unlocked_ioctl() and ->compat_ioctl() of /dev/ratmem
 * @file: the context's file
 * @cmd: ioctl command
 * @arg: user pointer to the command's argument struct
 *
 * The uapi structs have the same layout on 32- and 64-bit user space,
 * so compat callers are served by the same code.
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno: -EPERM when the caller is not the
 * context's owner, -ENOTTY for an unknown command, -EFAULT for a bad
 * pointer, -EINVAL for invalid arguments, -EBADF for a handle the
 * context does not have, -ENOLINK for a revoked handle, -EPERM for rights
 * beyond the handle's, -ENOMEM, -ENOSPC when region ids are exhausted;
 * the sharing, naming and waiting commands as documented in the uapi
 * header.
 */
long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ratmem_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!ratmem_ctx_is_owner(ctx))
		return -EPERM;

	switch (cmd) {
	case RATMEM_IOC_API:
		return ratmem_ioctl_api(uarg);
	case RATMEM_IOC_STATS:
		return ratmem_ioctl_stats(uarg);
	case RATMEM_IOC_CREATE:
		return ratmem_ioctl_create(ctx, uarg);
	case RATMEM_IOC_QUERY:
		return ratmem_ioctl_query(ctx, uarg);
	case RATMEM_IOC_DUP:
		return ratmem_ioctl_dup(ctx, uarg);
	case RATMEM_IOC_CLOSE:
		return ratmem_ioctl_close(ctx, uarg);
	case RATMEM_IOC_COMMIT:
		return ratmem_ioctl_range(ctx, uarg, true);
	case RATMEM_IOC_DECOMMIT:
		return ratmem_ioctl_range(ctx, uarg, false);
	case RATMEM_IOC_GRANT:
		return ratmem_ioctl_grant(ctx, uarg);
	case RATMEM_IOC_ACCEPT:
		return ratmem_ioctl_accept(ctx, uarg);
	case RATMEM_IOC_REVOKE:
		return ratmem_ioctl_revoke(ctx, uarg);
	case RATMEM_IOC_NAMED_CREATE:
		return ratmem_ioctl_named_create(ctx, uarg);
	case RATMEM_IOC_OPEN:
		return ratmem_ioctl_open(ctx, uarg);
	case RATMEM_IOC_UNLINK:
		return ratmem_ioctl_unlink(ctx, uarg);
	case RATMEM_IOC_WAIT:
		return ratmem_ioctl_wait(ctx, uarg);
	case RATMEM_IOC_WAKE:
		return ratmem_ioctl_wake(ctx, uarg);
	case RATMEM_IOC_QUOTA:
		return ratmem_ioctl_quota(uarg);
	default:
		return -ENOTTY;
	}
}
