// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: contexts, one per open of /dev/ratmem, bound to the opening
 * process (contract section 2).
 */
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "ratmem.h"

/**
 * ratmem_ctx_create() - create a context owned by the calling process
 *
 * The context remembers the caller's thread group by a counted
 * reference to its struct pid, so the binding survives exec and cannot
 * be inherited by a process that later reuses the pid number. It also
 * holds the process's account (made now if this is its first context).
 *
 * Context: process context; may sleep.
 * Return: the new context, or NULL when out of memory.
 */
struct ratmem_ctx *ratmem_ctx_create(void)
{
	struct ratmem_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	if (ratmem_acct_of_current(&ctx->acct)) {
		kfree(ctx);
		return NULL;
	}

	ctx->owner = get_task_pid(current, PIDTYPE_TGID);
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->handles, XA_FLAGS_ALLOC1);
	atomic64_inc(&ratmem_counters.contexts);
	return ctx;
}

/**
 * ratmem_ctx_destroy() - free a context
 * @ctx: context created by ratmem_ctx_create(); no other reference to
 *	it may remain (called from the file's ->release()).
 *
 * Context: process context; may sleep.
 */
void ratmem_ctx_destroy(struct ratmem_ctx *ctx)
{
	/* Grants made by a context end with it (contract section 3). */
	ratmem_revoke_issued(ctx);
	ratmem_handles_release_all(ctx);
	ratmem_acct_put(ctx->acct);
	put_pid(ctx->owner);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	atomic64_dec(&ratmem_counters.contexts);
}

/**
 * ratmem_ctx_is_owner() - is the caller the process that opened @ctx?
 * @ctx: context
 *
 * A descriptor inherited over fork or received over SCM_RIGHTS names
 * the same context but a different thread group, and fails here.
 *
 * Context: process context.
 * Return: true when the calling thread belongs to @ctx's owner.
 */
bool ratmem_ctx_is_owner(const struct ratmem_ctx *ctx)
{
	return task_tgid(current) == ctx->owner;
}
