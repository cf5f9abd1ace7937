// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: revocation notices (docs/abi.md, "RATMEM_IOC_READ_NOTICES";
 * docs/semantics.md, "Revocation with notice").
 *
 * Each context has a queue. A capability has a slot for the context
 * that accepted it (its holder) and one for the context that asked for
 * its revocation with a deadline; a notice sets event bits in the slot
 * and, when the slot was empty, puts it on its queue's ready list. In
 * the manner of epoll's ready list, the queue never allocates and never
 * overflows: a capability is on it at most once per slot, and what
 * happens to it before the next read is OR-ed into that one record.
 *
 * References: a bound slot holds its queue; a slot on the ready list
 * holds its capability. The context's release closes the queue (nothing
 * more is queued) and drops the capabilities on it, so the two kinds of
 * reference never form a cycle that outlives the context.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "notice.h"
#include "region.h"

/**
 * ratmem_noticeq_create() - make a context's notice queue
 *
 * Context: process context; may sleep.
 * Return: the queue with one reference for the context, or NULL.
 */
struct ratmem_noticeq *ratmem_noticeq_create(void)
{
	struct ratmem_noticeq *q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);

	if (!q)
		return NULL;
	kref_init(&q->ref);
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->ready);
	init_waitqueue_head(&q->wait);
	return q;
}

static void ratmem_noticeq_free(struct kref *ref)
{
	kfree(container_of(ref, struct ratmem_noticeq, ref));
}

/* Drop the capability references of slots taken off a ready list. */
static void ratmem_notice_put_all(struct list_head *taken)
{
	struct ratmem_notice_slot *slot, *tmp;

	list_for_each_entry_safe(slot, tmp, taken, node) {
		list_del_init(&slot->node);
		ratmem_cap_put(slot->cap);
	}
}

/**
 * ratmem_noticeq_close() - the context is going: queue nothing more
 * @q: the context's queue; its reference is dropped
 *
 * Unread notices are dropped with the references they held. The queue
 * itself lives on while capabilities are bound to it.
 *
 * Context: process context; may sleep. No ratmem lock held.
 */
void ratmem_noticeq_close(struct ratmem_noticeq *q)
{
	struct ratmem_notice_slot *slot;
	LIST_HEAD(taken);

	spin_lock(&q->lock);
	q->closed = true;
	list_for_each_entry(slot, &q->ready, node)
		slot->events = 0;
	list_splice_init(&q->ready, &taken);
	spin_unlock(&q->lock);
	ratmem_notice_put_all(&taken);
	kref_put(&q->ref, ratmem_noticeq_free);
}

/**
 * ratmem_noticeq_poll() - ->poll() of a context
 * @q: the context's queue
 * @file: the context's file
 * @wait: the poll table
 *
 * Context: process context.
 * Return: EPOLLPRI while a notice is unread, else 0.
 */
__poll_t ratmem_noticeq_poll(struct ratmem_noticeq *q, struct file *file, poll_table *wait)
{
	poll_wait(file, &q->wait, wait);
	return list_empty_careful(&q->ready) ? 0 : EPOLLPRI;
}

/*
 * After the copy of @recs (the records of @taken, in order) to user
 * space: a slot notified meanwhile (ratmem_notice_post() saw it off the
 * ready list's view but not empty, and only set its bits) goes back to
 * the ready list; so does every slot when the copy failed (@failed),
 * its record OR-ed back in. The rest, and everything once the queue is
 * closed, lose their reference.
 */
static void ratmem_noticeq_settle(struct ratmem_noticeq *q, struct list_head *taken,
				  const struct ratmem_notice *recs, bool failed)
{
	struct ratmem_notice_slot *slot, *tmp;
	unsigned int i = 0;
	LIST_HEAD(back);

	spin_lock(&q->lock);
	list_for_each_entry_safe(slot, tmp, taken, node) {
		if (!q->closed && failed) {
			slot->events |= recs[i].events;
			if (!slot->deadline)
				slot->deadline = recs[i].deadline_ns;
		}
		/* Back on the ready list, its reference along with it. */
		if (!q->closed && slot->events)
			list_move_tail(&slot->node, &back);
		i++;
	}
	/* Ahead of anything queued since: they are older. */
	list_splice(&back, &q->ready);
	spin_unlock(&q->lock);
	ratmem_notice_put_all(taken);
}

/**
 * ratmem_noticeq_read() - RATMEM_IOC_READ_NOTICES
 * @q: the caller's context's queue
 * @args: checked (ratmem_check_read_notices_args()); @args->count is
 *	set to the number of records filled
 *
 * Context: process context; may sleep. No ratmem lock held.
 * Return: 0 (with no record when none is waiting), -ENOMEM, or -EFAULT
 * (the records are put back).
 */
int ratmem_noticeq_read(struct ratmem_noticeq *q, struct ratmem_read_notices *args)
{
	struct ratmem_notice_slot *slot, *tmp;
	struct ratmem_notice *recs;
	unsigned int n = 0;
	LIST_HEAD(taken);
	bool failed;

	recs = kcalloc(args->count, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	spin_lock(&q->lock);
	list_for_each_entry_safe(slot, tmp, &q->ready, node) {
		if (n == args->count)
			break;
		recs[n].cap_id = slot->cap->ent.id;
		recs[n].handle = slot->handle;
		recs[n].events = slot->events;
		recs[n].deadline_ns = slot->events & RATMEM_NOTICE_REVOKING ? slot->deadline : 0;
		slot->events = 0;
		slot->deadline = 0;
		/* Its reference to the capability comes along. */
		list_move_tail(&slot->node, &taken);
		n++;
	}
	spin_unlock(&q->lock);
	failed = n && copy_to_user(u64_to_user_ptr(args->records), recs, n * sizeof(*recs));
	ratmem_noticeq_settle(q, &taken, recs, failed);
	kfree(recs);
	args->count = n;
	return failed ? -EFAULT : 0;
}

/**
 * ratmem_notice_slot_init() - set up a slot of a new capability
 * @slot: the slot
 * @cap: the capability it is part of
 *
 * Context: any context.
 */
void ratmem_notice_slot_init(struct ratmem_notice_slot *slot, struct ratmem_cap *cap)
{
	INIT_LIST_HEAD(&slot->node);
	slot->cap = cap;
}

/**
 * ratmem_notice_bind_locked() - send a slot's notices to a queue
 * @slot: the slot; bound once, later calls are ignored
 * @q: the queue; the slot takes a reference
 * @handle: reported with the notices
 *
 * Context: region->lock held (the slot's capability's); does not sleep.
 */
void ratmem_notice_bind_locked(struct ratmem_notice_slot *slot, struct ratmem_noticeq *q,
			       u32 handle)
{
	lockdep_assert_held(&slot->cap->region->lock);
	if (slot->q)
		return;
	kref_get(&q->ref);
	slot->handle = handle;
	/* Read without region->lock by ratmem_notice_post() after the revocation. */
	smp_store_release(&slot->q, q);
}

/**
 * ratmem_notice_post() - tell a slot's queue what happened
 * @slot: the slot; nothing happens while it is unbound
 * @events: RATMEM_NOTICE_* bits, OR-ed into its unread record
 * @deadline: with RATMEM_NOTICE_REVOKING, when access ends
 *
 * Context: process context, region->lock held or not (a leaf spinlock
 * is taken); does not sleep.
 */
void ratmem_notice_post(struct ratmem_notice_slot *slot, u32 events, u64 deadline)
{
	struct ratmem_noticeq *q;

	/* Pairs with the release in ratmem_notice_bind_locked(): @handle is set. */
	q = smp_load_acquire(&slot->q);
	if (!q)
		return;
	spin_lock(&q->lock);
	if (q->closed) {
		spin_unlock(&q->lock);
		return;
	}
	/* On the list already, or taken by a reader that will put it back. */
	if (list_empty(&slot->node)) {
		/* A capability at zero is being freed: nobody holds it to care. */
		if (!refcount_inc_not_zero(&slot->cap->ref)) {
			spin_unlock(&q->lock);
			return;
		}
		list_add_tail(&slot->node, &q->ready);
	}
	slot->events |= events;
	if (events & RATMEM_NOTICE_REVOKING)
		slot->deadline = deadline;
	spin_unlock(&q->lock);
	wake_up_interruptible_poll(&q->wait, EPOLLPRI);
}

/**
 * ratmem_notice_slot_release() - a capability is freed: unbind its slot
 * @slot: the slot; never on a ready list, since that holds a reference
 *
 * Context: process context.
 */
void ratmem_notice_slot_release(struct ratmem_notice_slot *slot)
{
	WARN_ON_ONCE(!list_empty(&slot->node));
	if (slot->q)
		kref_put(&slot->q->ref, ratmem_noticeq_free);
}
