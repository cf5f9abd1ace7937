// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: contexts, one per open of /dev/ratmem, bound to the opening
 * process (contract section 2).
 */
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "ratmem.h"

/* Every context by id, for the handle dump (lock order 2-, ratmem.h). */
static DEFINE_MUTEX(ratmem_ctxs_mutex);
static DEFINE_XARRAY_ALLOC1(ratmem_ctxs);

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
	int ret;

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
	spin_lock_init(&ctx->issued_lock);
	INIT_LIST_HEAD(&ctx->issued);
	mutex_lock(&ratmem_ctxs_mutex);
	ret = xa_alloc(&ratmem_ctxs, &ctx->id, ctx, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	mutex_unlock(&ratmem_ctxs_mutex);
	if (ret) {
		ratmem_acct_put(ctx->acct);
		put_pid(ctx->owner);
		mutex_destroy(&ctx->lock);
		kfree(ctx);
		return NULL;
	}
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
	mutex_lock(&ratmem_ctxs_mutex);
	xa_erase(&ratmem_ctxs, ctx->id);
	mutex_unlock(&ratmem_ctxs_mutex);
	/* Grants made by a context end with it (contract section 3). */
	ratmem_revoke_issued(ctx);
	WARN_ON_ONCE(!list_empty(&ctx->issued));
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

/**
 * ratmem_ctxs_lock() - hold the context registry still
 *
 * While it is held no context is created or destroyed, so the contexts
 * ratmem_ctx_next_locked() returns stay valid.
 *
 * Context: process context; may sleep. Lock order 2- (ratmem.h).
 */
void ratmem_ctxs_lock(void)
{
	mutex_lock(&ratmem_ctxs_mutex);
}

/**
 * ratmem_ctxs_unlock() - let go of the context registry
 *
 * Context: process context.
 */
void ratmem_ctxs_unlock(void)
{
	mutex_unlock(&ratmem_ctxs_mutex);
}

/**
 * ratmem_ctx_next_locked() - walk the contexts in id order
 * @id: in: the first id to look at; out: the found context's id
 *
 * Context: under ratmem_ctxs_lock().
 * Return: the first context with an id >= @id, or NULL.
 */
struct ratmem_ctx *ratmem_ctx_next_locked(unsigned long *id)
{
	lockdep_assert_held(&ratmem_ctxs_mutex);
	return xa_find(&ratmem_ctxs, id, ULONG_MAX, XA_PRESENT);
}
