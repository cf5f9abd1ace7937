// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: ioctl dispatch, one small handler per command.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "ratmem.h"
#include "validate.h"

#define RATMEM_FEATURES (RATMEM_FEATURE_STATS | RATMEM_FEATURE_CONTEXT_BOUND)
#define RATMEM_IOCTLS	(BIT_ULL(RATMEM_IOC_NR_API) | BIT_ULL(RATMEM_IOC_NR_STATS))

static long ratmem_ioctl_api(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_api api;
	u32 caller_version;
	int ret;

	if (copy_from_user(&api, uarg, sizeof(api)))
		return -EFAULT;
	ret = ratmem_check_api_args(&api);
	if (ret)
		return ret;

	caller_version = api.abi_version;
	api.abi_version = RATMEM_ABI_VERSION;
	api.features = RATMEM_FEATURES;
	api.ioctls = RATMEM_IOCTLS;
	if (copy_to_user(uarg, &api, sizeof(api)))
		return -EFAULT;

	/* Only a completed handshake changes the context. */
	mutex_lock(&ctx->lock);
	ctx->abi_version = caller_version;
	mutex_unlock(&ctx->lock);
	return 0;
}

static long ratmem_ioctl_stats(void __user *uarg)
{
	struct ratmem_stats stats;
	int ret;

	if (copy_from_user(&stats, uarg, sizeof(stats)))
		return -EFAULT;
	ret = ratmem_check_stats_args(&stats);
	if (ret)
		return ret;

	stats.contexts = atomic64_read(&ratmem_counters.contexts);
	if (copy_to_user(uarg, &stats, sizeof(stats)))
		return -EFAULT;
	return 0;
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
 * pointer, -EINVAL for invalid arguments.
 */
long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ratmem_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!ratmem_ctx_is_owner(ctx))
		return -EPERM;

	switch (cmd) {
	case RATMEM_IOC_API:
		return ratmem_ioctl_api(ctx, uarg);
	case RATMEM_IOC_STATS:
		return ratmem_ioctl_stats(uarg);
	default:
		return -ENOTTY;
	}
}
