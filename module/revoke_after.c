// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: revocation with a deadline (struct ratmem_revoke.deadline_ns),
 * and the notices every revocation sends (docs/semantics.md,
 * "Revocation with notice").
 *
 * REVOKE with a deadline marks the grant @revoking, arms its lease work
 * (lease.c) for the deadline, and sends RATMEM_NOTICE_REVOKING to the
 * holder of every unrevoked capability below it, all under region->lock.
 * Until then nothing changes for them: their handles and mappings work;
 * only new grants through them are refused, so that the set of holders
 * to notify cannot grow. The lease work then revokes with ratmem_revoke(),
 * exactly as REVOKE without a deadline, at the deadline or earlier: each
 * time a user of a capability below a revoking one goes (a handle
 * closed, a VMA closed), ratmem_cap_use_locked() kicks the work, which
 * revokes at once when the holders have all let go
 * (ratmem_revoke_after_let_go_locked()).
 *
 * Every revocation, with a deadline or not, ends with
 * RATMEM_NOTICE_REVOKED to each revoked capability's holder and, for one
 * revoked with a deadline, to the context that asked; then the waiters
 * of RATMEM_REVOKE_WAIT are woken (ratmem_revoke_after_done(), from the
 * end of the revocation in revoke.c).
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "context.h"
#include "lease.h"
#include "notice.h"
#include "region.h"
#include "revoke_after.h"

/**
 * ratmem_cap_revoking() - is a capability being revoked with a deadline?
 * @cap: the capability
 *
 * Context: any context; exact under region->lock, a hint without it.
 * Return: @cap or the nearest capability above it that is @revoking, or
 * NULL.
 */
struct ratmem_cap *ratmem_cap_revoking(const struct ratmem_cap *cap)
{
	/* Parent links never change while @cap is held. */
	for (; cap; cap = cap->parent)
		if (READ_ONCE(cap->revoking))
			return (struct ratmem_cap *)cap;
	return NULL;
}

/*
 * When @cap's access ends at the latest: the soonest deadline of the
 * revoking grants at or above it (U64_MAX when none). region->lock held.
 */
static u64 ratmem_revoke_deadline_locked(const struct ratmem_cap *cap)
{
	u64 end = U64_MAX;

	lockdep_assert_held(&cap->region->lock);
	for (; cap; cap = cap->parent)
		if (cap->revoking)
			end = min(end, cap->lease_end);
	return end;
}

/**
 * ratmem_revoke_after_let_go_locked() - have the holders below @top let go?
 * @top: a grant being revoked with a deadline
 *
 * A holder has let go when no handle or VMA of its capability is left:
 * an unrevoked grant's only user is then the grant itself (cap.h,
 * @users). A pending grant has no holder yet, so it counts as let go.
 *
 * Context: region->lock held.
 * Return: true when no handle or VMA reaches the memory through @top or
 * an unrevoked capability below it.
 */
bool ratmem_revoke_after_let_go_locked(struct ratmem_cap *top)
{
	struct ratmem_cap *cap;

	lockdep_assert_held(&top->region->lock);
	for (cap = top; cap; cap = ratmem_cap_next_unrevoked(cap, top))
		if (cap->users > (cap->kind == RATMEM_CAPKIND_GRANT ? 1 : 0))
			return false;
	return true;
}

/**
 * ratmem_revoke_after_user_gone_locked() - a user of @cap went
 * @cap: the capability whose @users just dropped, or the parent of a
 *	subtree just revoked; NULL for none
 *
 * Kicks the lease work of every revoking capability at or above @cap,
 * which revokes at once if the holders have all let go. Costs nothing
 * while no capability of the region is revoking.
 *
 * Context: region->lock held; does not sleep.
 */
void ratmem_revoke_after_user_gone_locked(struct ratmem_cap *cap)
{
	if (!cap)
		return;
	lockdep_assert_held(&cap->region->lock);
	if (!cap->region->nr_revoking)
		return;
	for (; cap; cap = cap->parent)
		if (cap->revoking)
			ratmem_lease_kick_locked(cap);
}

/**
 * ratmem_revoke_after() - start revoking a grant with a deadline
 * @ctx: the asking context, told when the revocation is complete
 * @cap: an unrevoked grant, held by the caller
 * @deadline_ns: 1 to RATMEM_LEASE_MAX_NS, from now
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: 0, or -ENOENT when the grant was revoked, or its lease ended,
 * meanwhile (the caller then revokes at once, as without a deadline).
 */
int ratmem_revoke_after(struct ratmem_ctx *ctx, struct ratmem_cap *cap, u64 deadline_ns)
{
	struct ratmem_region *region = cap->region;
	u64 end = ktime_get_ns() + deadline_ns;
	struct ratmem_notice_rec *spare;
	struct ratmem_cap *c;
	bool sooner = true;
	int ret;

	spare = ratmem_notice_rec_alloc();
	if (!spare)
		return -ENOMEM;
	mutex_lock(&region->lock);
	if (cap->state == RATMEM_CAP_STATE_REVOKED || cap->lease_expired) {
		ret = -ENOENT;
		goto out;
	}
	/* A deadline only comes closer: a sooner lease, or an earlier REVOKE, stays. */
	if (cap->lease_armed && cap->lease_end <= end) {
		end = cap->lease_end;
		sooner = false;
	}
	if (sooner)
		ratmem_lease_arm_locked(cap, end);
	if (!cap->revoking) {
		WRITE_ONCE(cap->revoking, true);
		region->nr_revoking++;
	} else if (!sooner) {
		goto bound;
	}
	/*
	 * The holders hear of the first deadline, and of each that comes
	 * closer: each its own, which a revoking grant further up may make
	 * sooner still.
	 */
	for (c = cap; c; c = ratmem_cap_next_unrevoked(c, cap))
		ratmem_notice_post(c->held_notice, RATMEM_NOTICE_REVOKING,
				   ratmem_revoke_deadline_locked(c));
bound:
	ratmem_notice_bind(&cap->revoker_notice, &spare, ctx->notices, cap->ent.id, 0);
	/* Nobody to wait for (not accepted yet, or let go before): now. */
	if (ratmem_revoke_after_let_go_locked(cap))
		ratmem_lease_kick_locked(cap);
	ret = 0;
out:
	mutex_unlock(&region->lock);
	kfree(spare);
	return ret;
}

/**
 * ratmem_revoke_after_wait() - RATMEM_REVOKE_WAIT: wait for the end
 * @cap: a grant whose revocation was started, held by the caller
 *
 * The sleep is interruptible, as WAIT's is: a deadline may be far off,
 * and the task must not hold up a signal or the freezer meanwhile.
 *
 * Context: process context; sleeps. No ratmem lock held.
 * Return: 0 once the revocation is complete, or -EINTR on a signal (the
 * revocation goes on).
 */
int ratmem_revoke_after_wait(struct ratmem_cap *cap)
{
	/*
	 * On @cap->revoke_done's own wait queue (wait_var_event()): only the
	 * end of this revocation wakes the caller. Pairs with the release
	 * in ratmem_revoke_after_done().
	 */
	if (wait_var_event_interruptible(&cap->revoke_done, smp_load_acquire(&cap->revoke_done)))
		return -EINTR;
	return 0;
}

/**
 * ratmem_revoke_after_end_locked() - a capability is being marked revoked
 * @cap: the capability
 *
 * Context: region->lock held (ratmem_mark_subtree()).
 */
void ratmem_revoke_after_end_locked(struct ratmem_cap *cap)
{
	lockdep_assert_held(&cap->region->lock);
	if (cap->revoking) {
		WRITE_ONCE(cap->revoking, false);
		cap->region->nr_revoking--;
	}
}

/**
 * ratmem_revoke_after_done() - a capability's revocation is complete
 * @cap: the capability, revoked, its PTEs gone; held by the caller
 *
 * Sends RATMEM_NOTICE_REVOKED to its holder and to the context that
 * asked for its revocation with a deadline, and wakes RATMEM_REVOKE_WAIT.
 *
 * Context: process context; no ratmem lock held.
 */
void ratmem_revoke_after_done(struct ratmem_cap *cap)
{
	struct ratmem_notice_rec *held, *revoker;

	/* Pairs with the release in ratmem_notice_bind(): the record is whole. */
	held = smp_load_acquire(&cap->held_notice);
	/* The same for the revoker's record. */
	revoker = smp_load_acquire(&cap->revoker_notice);
	ratmem_notice_post(held, RATMEM_NOTICE_REVOKED, 0);
	ratmem_notice_post(revoker, RATMEM_NOTICE_REVOKED, 0);
	/* The notices are queued before a waiter returns (its acquire). */
	smp_store_release(&cap->revoke_done, true);
	/* The store before wake_up_var()'s look for waiters: see wait_bit.h. */
	smp_mb();
	wake_up_var(&cap->revoke_done);
}

/**
 * ratmem_revoke_notice_accepted() - bind a grant's notices to its holder
 * @cap: the grant, just accepted
 * @rec: in: a record from ratmem_notice_rec_alloc(); NULL when used,
 *	else the caller frees it
 * @q: the accepting context's queue
 * @handle: the handle ACCEPT made
 *
 * A grant accepted while it is being revoked, or after, is told at once.
 *
 * Context: process context; may sleep. Takes region->lock.
 */
void ratmem_revoke_notice_accepted(struct ratmem_cap *cap, struct ratmem_notice_rec **rec,
				   struct ratmem_noticeq *q, u32 handle)
{
	u64 end;

	mutex_lock(&cap->region->lock);
	ratmem_notice_bind(&cap->held_notice, rec, q, cap->ent.id, handle);
	if (cap->state == RATMEM_CAP_STATE_REVOKED) {
		ratmem_notice_post(cap->held_notice, RATMEM_NOTICE_REVOKED, 0);
	} else {
		end = ratmem_revoke_deadline_locked(cap);
		if (end != U64_MAX)
			ratmem_notice_post(cap->held_notice, RATMEM_NOTICE_REVOKING, end);
	}
	mutex_unlock(&cap->region->lock);
}
