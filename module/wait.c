// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: WAIT and WAKE on 32-bit words of a region, keyed by (region,
 * offset). Shared futexes cannot serve ratmem mappings: they are
 * VM_PFNMAP, and the shared-futex path needs a struct page it can pin
 * (private futexes work, but only within one process).
 *
 * A waiter checks the word and queues itself on region->waiters under
 * region->lock; a waker takes region->lock to dequeue. A store to the
 * word made before WAKE is therefore seen by every WAIT that is not yet
 * queued when WAKE runs, so no wake-up is lost. The waiter struct lives
 * on the waiter's stack: it is only touched under region->lock, and the
 * waiter takes region->lock again before it returns.
 */
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "handle.h"
#include "rangeset.h"
#include "region.h"
#include "validate.h"
#include "wait.h"

/**
 * struct ratmem_waiter - one sleeping WAIT
 * @node: link in region->waiters, oldest first; empty once dequeued.
 * @cap: the capability of the waiter's handle (the WAIT holds it).
 * @offset: byte offset of the word in the region.
 * @task: the sleeping task.
 * @status: 0 while queued; then 1 (woken) or -ENOLINK (revoked).
 */
struct ratmem_waiter {
	struct list_head node;
	struct ratmem_cap *cap;
	u64 offset;
	struct task_struct *task;
	int status;
};

/* Dequeue @w with @status and wake its task; region->lock held. */
static void ratmem_waiter_wake(struct ratmem_waiter *w, int status)
{
	list_del_init(&w->node);
	WRITE_ONCE(w->status, status);
	wake_up_process(w->task);
}

/**
 * ratmem_wait_wake_revoked() - wake the waiters whose handle was revoked
 * @region: the region; the caller holds region->lock and has just marked
 *	capabilities revoked
 *
 * Context: region->lock held.
 */
void ratmem_wait_wake_revoked(struct ratmem_region *region)
{
	struct ratmem_waiter *w, *tmp;

	lockdep_assert_held(&region->lock);
	list_for_each_entry_safe(w, tmp, &region->waiters, node)
		if (w->cap->state == RATMEM_CAP_STATE_REVOKED)
			ratmem_waiter_wake(w, -ENOLINK);
}

/* The word at @offset (committed; region->lock held): 0 before first touch. */
static u32 ratmem_word_read(struct ratmem_region *region, u64 offset)
{
	struct page *page = xa_load(&region->pages, offset >> region->page_shift);
	u32 *kaddr, val;

	if (!page)
		return 0;
	/* The 4 KiB page of the word inside a 2 MiB page. */
	page = pfn_to_page(page_to_pfn(page) +
			   ((offset >> PAGE_SHIFT) & ((1UL << ratmem_region_order(region)) - 1)));
	kaddr = kmap_local_page(page);
	val = READ_ONCE(kaddr[offset_in_page(offset) / sizeof(u32)]);
	kunmap_local(kaddr);
	return val;
}

/*
 * Resolve @handle for WAIT or WAKE and check *@offset: a word inside the
 * handle's view of the region, moved to the region's offset (a
 * sub-range grant's range starts at cap->base). The caller puts *@cap.
 */
static int ratmem_word_handle(struct ratmem_ctx *ctx, u32 handle, u64 *offset,
			      struct ratmem_cap **cap)
{
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, handle, cap, &rights);
	if (ret)
		return ret;
	if (!(rights & RATMEM_RIGHT_READ))
		ret = -EPERM;
	else if (*offset >= (*cap)->span)
		ret = -EINVAL;
	if (ret)
		ratmem_cap_put(*cap);
	else
		*offset += (*cap)->base;
	return ret;
}

/* Sleep until woken, the deadline (NULL: none), or a signal. */
static int ratmem_waiter_sleep(struct ratmem_waiter *w, ktime_t *deadline)
{
	int ret = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(w->status))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!schedule_hrtimeout_range(deadline, 0, HRTIMER_MODE_ABS)) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	__set_current_state(TASK_RUNNING);
	return ret;
}

/**
 * ratmem_word_wait() - RATMEM_IOC_WAIT: sleep while a word has a value
 * @ctx: the caller's context
 * @args: the caller's arguments, checked (ratmem_check_wait_args())
 *
 * Context: process context; sleeps. Takes ctx->lock, then region->lock.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_word_wait(struct ratmem_ctx *ctx, const struct ratmem_wait *args)
{
	struct ratmem_waiter w = { .task = current };
	struct ratmem_region *region;
	ktime_t deadline, *until = NULL;
	int ret, slept;

	if (args->timeout_ns != RATMEM_WAIT_FOREVER) {
		deadline = ktime_add_safe(ktime_get(), ns_to_ktime(args->timeout_ns));
		until = &deadline;
	}
	w.offset = args->offset;
	ret = ratmem_word_handle(ctx, args->handle, &w.offset, &w.cap);
	if (ret)
		return ret;
	region = w.cap->region;

	mutex_lock(&region->lock);
	if (w.cap->state == RATMEM_CAP_STATE_REVOKED)
		ret = -ENOLINK;
	else if (!ratmem_rangeset_test(&region->committed, w.offset >> PAGE_SHIFT))
		ret = -EFAULT;
	else if (ratmem_word_read(region, w.offset) != args->expected)
		ret = -EAGAIN;
	else if (!args->timeout_ns)
		ret = -ETIMEDOUT;
	else
		list_add_tail(&w.node, &region->waiters);
	mutex_unlock(&region->lock);
	if (ret)
		goto out_put;

	slept = ratmem_waiter_sleep(&w, until);

	mutex_lock(&region->lock);
	if (list_empty(&w.node)) {
		/* Dequeued by a waker: that wins over a timeout or signal. */
		ret = w.status < 0 ? w.status : 0;
	} else {
		list_del(&w.node);
		ret = slept;
	}
	mutex_unlock(&region->lock);
out_put:
	ratmem_cap_put(w.cap);
	return ret;
}

/**
 * ratmem_word_wake() - RATMEM_IOC_WAKE: wake waiters of a word
 * @ctx: the caller's context
 * @args: the caller's arguments, checked (ratmem_check_wake_args())
 * @woken: out: how many waiters were woken
 *
 * Context: process context; may sleep. Takes ctx->lock, then region->lock.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_word_wake(struct ratmem_ctx *ctx, const struct ratmem_wake *args, u32 *woken)
{
	struct ratmem_waiter *w, *tmp;
	struct ratmem_region *region;
	u64 offset = args->offset;
	struct ratmem_cap *cap;
	int ret;

	*woken = 0;
	ret = ratmem_word_handle(ctx, args->handle, &offset, &cap);
	if (ret)
		return ret;
	region = cap->region;

	mutex_lock(&region->lock);
	if (cap->state == RATMEM_CAP_STATE_REVOKED) {
		ret = -ENOLINK;
	} else if (!ratmem_rangeset_test(&region->committed, offset >> PAGE_SHIFT)) {
		/* Like a futex word, the word must exist, even though it is not read. */
		ret = -EFAULT;
	} else {
		list_for_each_entry_safe(w, tmp, &region->waiters, node) {
			if (*woken == args->count)
				break;
			if (w->offset != offset)
				continue;
			ratmem_waiter_wake(w, 1);
			(*woken)++;
		}
	}
	mutex_unlock(&region->lock);
	ratmem_cap_put(cap);
	return ret;
}
