/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: contexts, one per open of /dev/ratmem, and their registry
 * (context.c).
 */
#ifndef RATMEM_CONTEXT_H
#define RATMEM_CONTEXT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct pid;
struct ratmem_noticeq;
struct ratmem_proc_quota;

/**
 * struct ratmem_ctx - one open of /dev/ratmem
 * @owner: thread group that opened the device; holds a reference, so a
 *	recycled pid number can never match. Set once at open.
 * @lock: protects @handles.
 * @quota: the owner's quota (counted), charged for the handles.
 * @id: in the context registry (for the handle dump), set once.
 * @handles: handle number -> struct ratmem_handle; numbers start at 1.
 * @issued_lock: protects @issued (a leaf spinlock, taken under
 *	region->lock; see the lock order in ratmem.h).
 * @issued: the unrevoked grants made through this context
 *	(struct ratmem_cap.issued_node), so that its release revokes them
 *	in time linear in their number.
 * @exit_wait: on @owner's wait_pidfd queue (what pidfd poll() waits on),
 *	woken when the owner exits, whatever holds its descriptor table.
 * @exit_work: revokes @issued once the owner is gone (ratmem_ctx_exit_work()).
 * @notices: its revocation notices (notice.c), counted; set once.
 */
struct ratmem_ctx {
	struct pid *owner;
	u32 id;
	struct ratmem_proc_quota *quota;
	struct mutex lock; /* protects handles */
	struct xarray handles;
	spinlock_t issued_lock; /* protects issued */
	struct list_head issued;
	struct wait_queue_entry exit_wait;
	struct work_struct exit_work;
	struct ratmem_noticeq *notices;
};

struct ratmem_ctx *ratmem_ctx_create(void);
void ratmem_ctx_destroy(struct ratmem_ctx *ctx);
struct ratmem_ctx *ratmem_ctx_next_locked(unsigned long *id);
void ratmem_ctxs_lock(void);
void ratmem_ctxs_unlock(void);

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
static inline bool ratmem_ctx_is_owner(const struct ratmem_ctx *ctx)
{
	return task_tgid(current) == ctx->owner;
}

#endif /* RATMEM_CONTEXT_H */
