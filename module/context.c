// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: contexts, one per open of /dev/ratmem, bound to the opening
 * process: only it may use the context; a descriptor inherited or
 * received names the same context and fails (docs/semantics.md, "fork,
 * exec and descriptors").
 */
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "proc_quota.h"
#include "context.h"
#include "counters.h"
#include "handle.h"
#include "notice.h"
#include "revoke.h"

/* Every context by id, for the handle dump (outside each ctx->lock: see ratmem.h). */
static DEFINE_MUTEX(ratmem_ctxs_mutex);
static DEFINE_XARRAY_ALLOC1(ratmem_ctxs);

/* Is any thread of @ctx's owner still alive? */
static bool ratmem_ctx_owner_alive(const struct ratmem_ctx *ctx)
{
	struct task_struct *task = get_pid_task(ctx->owner, PIDTYPE_PID);
	bool alive;

	if (!task)
		return false;
	alive = atomic_read(&task->signal->live) > 0;
	put_task_struct(task);
	return alive;
}

/*
 * Grants of an exiting owner are revoked at its exit (docs/semantics.md,
 * "Process exit"). ->flush() sees the exit when the owner's last thread closes its
 * descriptor table, but not when that table lives on: shared with a
 * clone(CLONE_FILES) child, the descriptor in flight over SCM_RIGHTS or
 * held by io_uring. So the context also waits on its owner's pid, as a
 * pidfd's poll() does: the kernel wakes that queue when the process
 * exits, whatever holds its files.
 */
static void ratmem_ctx_exit_work(struct work_struct *work)
{
	struct ratmem_ctx *ctx = container_of(work, struct ratmem_ctx, exit_work);

	/* The queue is also woken for other reasons: act on a real exit only. */
	if (!ratmem_ctx_owner_alive(ctx))
		ratmem_revoke_issued(ctx);
}

/* Called under the wait queue's spinlock: only queue the work. */
static int ratmem_ctx_exit_wake(struct wait_queue_entry *wait, unsigned int mode, int sync,
				void *key)
{
	struct ratmem_ctx *ctx = container_of(wait, struct ratmem_ctx, exit_wait);

	schedule_work(&ctx->exit_work);
	return 0;
}

/**
 * ratmem_ctx_create() - create a context owned by the calling process
 *
 * The context remembers the caller's thread group by a counted
 * reference to its struct pid, so the binding survives exec and cannot
 * be inherited by a process that later reuses the pid number. It also
 * holds the process's quota (made now if this is its first context).
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
	ctx->notices = ratmem_noticeq_create();
	if (!ctx->notices) {
		kfree(ctx);
		return NULL;
	}
	if (ratmem_quota_of_current(&ctx->quota)) {
		ratmem_noticeq_close(ctx->notices);
		kfree(ctx);
		return NULL;
	}

	ctx->owner = get_task_pid(current, PIDTYPE_TGID);
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->handles, XA_FLAGS_ALLOC1);
	spin_lock_init(&ctx->issued_lock);
	INIT_LIST_HEAD(&ctx->issued);
	INIT_WORK(&ctx->exit_work, ratmem_ctx_exit_work);
	init_waitqueue_func_entry(&ctx->exit_wait, ratmem_ctx_exit_wake);
	mutex_lock(&ratmem_ctxs_mutex);
	ret = xa_alloc(&ratmem_ctxs, &ctx->id, ctx, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	mutex_unlock(&ratmem_ctxs_mutex);
	if (ret) {
		ratmem_noticeq_close(ctx->notices);
		ratmem_quota_put(ctx->quota);
		put_pid(ctx->owner);
		mutex_destroy(&ctx->lock);
		kfree(ctx);
		return NULL;
	}
	add_wait_queue(&ctx->owner->wait_pidfd, &ctx->exit_wait);
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
	remove_wait_queue(&ctx->owner->wait_pidfd, &ctx->exit_wait);
	cancel_work_sync(&ctx->exit_work);
	/* First: the revocations below must not queue notices to a dead context. */
	ratmem_noticeq_close(ctx->notices);
	/* Grants made by a context are revoked when it is released. */
	ratmem_revoke_issued(ctx);
	WARN_ON_ONCE(!list_empty(&ctx->issued));
	ratmem_handles_release_all(ctx);
	ratmem_quota_put(ctx->quota);
	put_pid(ctx->owner);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	atomic64_dec(&ratmem_counters.contexts);
}

/**
 * ratmem_ctxs_lock() - hold the context registry still
 *
 * While it is held no context is created or destroyed, so the contexts
 * ratmem_ctx_next_locked() returns stay valid.
 *
 * Context: process context; may sleep. Taken outside each ctx->lock (the
 * lock order in ratmem.h).
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
