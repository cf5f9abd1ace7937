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

struct ratmem_read_notices;

/**
 * struct ratmem_noticeq - a context's unread revocation notices
 * @ref: the context holds one, each record one.
 * @lock: protects @ready, @closed and every record's @node, @events,
 *	@deadline and @orphan (a leaf spinlock, taken under region->lock:
 *	see ratmem.h).
 * @ready: the records with unread events, oldest first.
 * @wait: poll() waits here.
 * @closed: the context is gone: nothing more is queued.
 */
struct ratmem_noticeq {
	struct kref ref;
	spinlock_t lock; /* protects ready, closed and the records' state */
	struct list_head ready;
	wait_queue_head_t wait;
	bool closed;
};

/**
 * struct ratmem_notice_rec - a capability's notices to one context
 * @node: in @q->ready while it has unread events, or on the private
 *	list of a READ_NOTICES copying it out; empty otherwise.
 * @q: the queue, counted.
 * @cap_id: the capability's id, reported.
 * @handle: reported with it (the handle ACCEPT made, or 0).
 * @events: RATMEM_NOTICE_* bits not yet read.
 * @deadline: with RATMEM_NOTICE_REVOKING unread, the soonest deadline.
 * @orphan: the capability was freed while the record was queued: the
 *	queue frees it once it is read (or the queue closes).
 *
 * A capability points to its record (struct ratmem_cap.held_notice and
 * .revoker_notice) and frees it with itself, unless it is queued: a
 * record holds no reference to its capability, so unread notices never
 * keep a capability or its region alive. What happens to a capability
 * before its record is read is OR-ed into it, so notices are never
 * dropped and a queue never holds more records than capabilities
 * reached it.
 */
struct ratmem_notice_rec {
	struct list_head node;
	struct ratmem_noticeq *q;
	u64 cap_id;
	u32 handle;
	u32 events;
	u64 deadline;
	bool orphan;
};

struct ratmem_noticeq *ratmem_noticeq_create(void);
void ratmem_noticeq_close(struct ratmem_noticeq *q);
__poll_t ratmem_noticeq_poll(struct ratmem_noticeq *q, struct file *file, poll_table *wait);
int ratmem_noticeq_read(struct ratmem_noticeq *q, struct ratmem_read_notices *args);

struct ratmem_notice_rec *ratmem_notice_rec_alloc(void);
void ratmem_notice_bind(struct ratmem_notice_rec **slot, struct ratmem_notice_rec **spare,
			struct ratmem_noticeq *q, u64 cap_id, u32 handle);
void ratmem_notice_post(struct ratmem_notice_rec *rec, u32 events, u64 deadline);
void ratmem_notice_release(struct ratmem_notice_rec *rec);

#endif /* RATMEM_NOTICE_H */
