/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: revocation notices, a context's queue of them (notice.c).
 */
#ifndef RATMEM_NOTICE_H
#define RATMEM_NOTICE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct ratmem_cap;
struct ratmem_read_notices;

/**
 * struct ratmem_noticeq - a context's unread revocation notices
 * @ref: the context holds one, each bound slot one.
 * @lock: protects @ready, @closed and the slots' @events and @deadline
 *	(a leaf spinlock, taken under region->lock: see ratmem.h).
 * @ready: the slots with unread events, oldest first; each holds a
 *	reference to its capability while on it.
 * @wait: poll() waits here.
 * @closed: the context is gone: nothing more is queued.
 */
struct ratmem_noticeq {
	struct kref ref;
	spinlock_t lock; /* protects ready, closed and the slots' events */
	struct list_head ready;
	wait_queue_head_t wait;
	bool closed;
};

/**
 * struct ratmem_notice_slot - where a capability's notices to one
 *	context collect
 * @node: in @q->ready while it has unread events.
 * @cap: the capability the slot is part of.
 * @q: the queue, counted; set once, under region->lock, then constant.
 * @handle: reported with the notices (the handle ACCEPT made, or 0).
 * @events: RATMEM_NOTICE_* bits not yet read (under @q->lock).
 * @deadline: for RATMEM_NOTICE_REVOKING, CLOCK_MONOTONIC ns (@q->lock).
 *
 * One slot holds one record at a time: a notice that arrives before the
 * last was read is OR-ed into it, so notices are never dropped and a
 * queue never holds more records than capabilities reach it.
 */
struct ratmem_notice_slot {
	struct list_head node;
	struct ratmem_cap *cap;
	struct ratmem_noticeq *q;
	u32 handle;
	u32 events;
	u64 deadline;
};

struct ratmem_noticeq *ratmem_noticeq_create(void);
void ratmem_noticeq_close(struct ratmem_noticeq *q);
__poll_t ratmem_noticeq_poll(struct ratmem_noticeq *q, struct file *file, poll_table *wait);
int ratmem_noticeq_read(struct ratmem_noticeq *q, struct ratmem_read_notices *args);

void ratmem_notice_slot_init(struct ratmem_notice_slot *slot, struct ratmem_cap *cap);
void ratmem_notice_bind_locked(struct ratmem_notice_slot *slot, struct ratmem_noticeq *q,
			       u32 handle);
void ratmem_notice_post(struct ratmem_notice_slot *slot, u32 events, u64 deadline);
void ratmem_notice_slot_release(struct ratmem_notice_slot *slot);

#endif /* RATMEM_NOTICE_H */
