// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: revocation notices (docs/abi.md, "RATMEM_IOC_READ_NOTICES";
 * docs/semantics.md, "Revocation with notice").
 *
 * Each context has a queue. A capability has a record for the context
 * that accepted it (its holder) and one for the context that asked for
 * its revocation with a deadline; a notice sets event bits in the record
 * and, when it was not queued, puts it on its queue's ready list. In the
 * manner of epoll's ready list the queue never allocates and never
 * overflows: a record is queued at most once, and what happens to its
 * capability before the next read is OR-ed into it.
 *
 * Lifetimes: each record holds its queue. A record holds nothing of its
 * capability (it keeps a copy of the id), so a queued record does not
 * keep a revoked capability, or its region, alive: when the capability
 * is freed its record becomes an orphan that the queue frees once read.
 * The context's release closes the queue: nothing more is queued, and
 * queued orphans are freed.
 *
 * Every change of a record's list membership is made under the queue's
 * lock, so a notice that arrives while a reader copies the record out
 * sees it off the ready list but not idle, sets its bits, and the reader
 * puts it back (ratmem_noticeq_settle()).
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "notice.h"

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

/* Free records nobody points to any more (taken off every list under q->lock). */
static void ratmem_notice_free_all(struct list_head *dead)
{
	struct ratmem_notice_rec *rec, *tmp;

	list_for_each_entry_safe(rec, tmp, dead, node) {
		list_del(&rec->node);
		kref_put(&rec->q->ref, ratmem_noticeq_free);
		kfree(rec);
	}
}

/**
 * ratmem_noticeq_close() - the context is going: queue nothing more
 * @q: the context's queue; its reference is dropped
 *
 * Unread notices are dropped: orphans are freed, the other records stay
 * with their capabilities, idle. The queue itself lives on while
 * records point to it.
 *
 * Context: process context; may sleep. No ratmem lock held.
 */
void ratmem_noticeq_close(struct ratmem_noticeq *q)
{
	struct ratmem_notice_rec *rec, *tmp;
	LIST_HEAD(dead);

	spin_lock(&q->lock);
	q->closed = true;
	list_for_each_entry_safe(rec, tmp, &q->ready, node) {
		rec->events = 0;
		if (rec->orphan)
			list_move_tail(&rec->node, &dead);
		else
			list_del_init(&rec->node);
	}
	spin_unlock(&q->lock);
	ratmem_notice_free_all(&dead);
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
 * space. A record notified meanwhile (its bits set again) goes back to
 * the ready list; so does every record when the copy failed (@failed),
 * its old events OR-ed back in. The others leave the list: idle, or
 * freed if their capability is gone.
 */
static void ratmem_noticeq_settle(struct ratmem_noticeq *q, struct list_head *taken,
				  const struct ratmem_notice *recs, bool failed)
{
	struct ratmem_notice_rec *rec, *tmp;
	unsigned int i = 0;
	LIST_HEAD(back);
	LIST_HEAD(dead);

	spin_lock(&q->lock);
	list_for_each_entry_safe(rec, tmp, taken, node) {
		if (failed && !q->closed) {
			if (recs[i].events & RATMEM_NOTICE_REVOKING &&
			    (!(rec->events & RATMEM_NOTICE_REVOKING) ||
			     recs[i].deadline_ns < rec->deadline))
				rec->deadline = recs[i].deadline_ns;
			rec->events |= recs[i].events;
		}
		if (rec->events && !q->closed)
			list_move_tail(&rec->node, &back);
		else if (rec->orphan)
			list_move_tail(&rec->node, &dead);
		else
			list_del_init(&rec->node);
		i++;
	}
	/* Ahead of anything queued since: they are older. */
	list_splice(&back, &q->ready);
	spin_unlock(&q->lock);
	/* Pollers woken by a notice that arrived meanwhile found nothing. */
	if (!list_empty_careful(&q->ready))
		wake_up_interruptible_poll(&q->wait, EPOLLPRI);
	ratmem_notice_free_all(&dead);
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
	struct ratmem_notice_rec *rec, *tmp;
	struct ratmem_notice *recs;
	unsigned int n = 0;
	LIST_HEAD(taken);
	bool failed;

	recs = kcalloc(args->count, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	spin_lock(&q->lock);
	list_for_each_entry_safe(rec, tmp, &q->ready, node) {
		if (n == args->count)
			break;
		recs[n].cap_id = rec->cap_id;
		recs[n].handle = rec->handle;
		recs[n].events = rec->events;
		recs[n].deadline_ns = rec->events & RATMEM_NOTICE_REVOKING ? rec->deadline : 0;
		rec->events = 0;
		rec->deadline = 0;
		list_move_tail(&rec->node, &taken);
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
 * ratmem_notice_rec_alloc() - a record, before the lock it is bound under
 *
 * Context: process context; may sleep.
 * Return: an unbound record (kfree() it if unused), or NULL.
 */
struct ratmem_notice_rec *ratmem_notice_rec_alloc(void)
{
	struct ratmem_notice_rec *rec = kzalloc(sizeof(*rec), GFP_KERNEL_ACCOUNT);

	if (rec)
		INIT_LIST_HEAD(&rec->node);
	return rec;
}

/**
 * ratmem_notice_bind() - give a capability's slot a record on a queue
 * @slot: the capability's pointer to it; bound once, later calls leave
 *	it as it is
 * @spare: in: a record from ratmem_notice_rec_alloc(); set to NULL when
 *	it was used, else the caller frees it
 * @q: the queue; the record takes a reference
 * @cap_id: the capability's id
 * @handle: reported with the notices
 *
 * Context: region->lock held (the capability's); does not sleep.
 */
void ratmem_notice_bind(struct ratmem_notice_rec **slot, struct ratmem_notice_rec **spare,
			struct ratmem_noticeq *q, u64 cap_id, u32 handle)
{
	struct ratmem_notice_rec *rec = *spare;

	if (*slot)
		return;
	kref_get(&q->ref);
	rec->q = q;
	rec->cap_id = cap_id;
	rec->handle = handle;
	*spare = NULL;
	/* Read without region->lock by ratmem_notice_post() after a revocation. */
	smp_store_release(slot, rec);
}

/**
 * ratmem_notice_post() - tell a record's queue what happened
 * @rec: the record, or NULL (the slot is unbound: nobody to tell)
 * @events: RATMEM_NOTICE_* bits, OR-ed into what is unread
 * @deadline: with RATMEM_NOTICE_REVOKING, when access ends; the record
 *	keeps the soonest one not yet read
 *
 * Context: process context, region->lock held or not (a leaf spinlock
 * is taken); does not sleep. The caller keeps the capability alive.
 */
void ratmem_notice_post(struct ratmem_notice_rec *rec, u32 events, u64 deadline)
{
	struct ratmem_noticeq *q;

	if (!rec)
		return;
	q = rec->q;
	spin_lock(&q->lock);
	if (q->closed) {
		spin_unlock(&q->lock);
		return;
	}
	if ((events & RATMEM_NOTICE_REVOKING) &&
	    (!(rec->events & RATMEM_NOTICE_REVOKING) || deadline < rec->deadline))
		rec->deadline = deadline;
	rec->events |= events;
	/* Idle: queue it. Queued, or being read: the reader puts it back. */
	if (list_empty(&rec->node))
		list_add_tail(&rec->node, &q->ready);
	spin_unlock(&q->lock);
	wake_up_interruptible_poll(&q->wait, EPOLLPRI);
}

/**
 * ratmem_notice_release() - a capability is freed: so is its record
 * @rec: the record, or NULL
 *
 * A record still queued (or being read) is left to its queue, which
 * frees it once read or closed.
 *
 * Context: process context.
 */
void ratmem_notice_release(struct ratmem_notice_rec *rec)
{
	struct ratmem_noticeq *q;

	if (!rec)
		return;
	q = rec->q;
	spin_lock(&q->lock);
	if (!list_empty(&rec->node)) {
		rec->orphan = true;
		spin_unlock(&q->lock);
		return;
	}
	spin_unlock(&q->lock);
	kref_put(&q->ref, ratmem_noticeq_free);
	kfree(rec);
}
