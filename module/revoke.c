// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: revocation (docs/abi.md, "RATMEM_IOC_REVOKE (nr 0x0a)"; the
 * races: docs/architecture.md, "Revocation, step by step").
 *
 * Revoking a capability happens in three steps:
 * 1. Under region->lock, and region->fault_lock for write, it and every
 *    capability below it become REVOKED (ratmem_cap_set_state(),
 *    captable.c), leave the id table, and their waiters are woken. From
 *    then on no handle made from them passes a check made under
 *    region->lock (commit, decommit, mmap) or under fault_lock (every
 *    fault, fault-around and POPULATE: fault.c), so no new PTE can appear
 *    through them; a fault that passed its check before has its PTEs in.
 * 2. The sweep (ratmem_region_sweep(), mmap.c): for each process that
 *    has a VMA made through one of them (each capability's mms), with
 *    its mmap_lock held for read,
 *    every VMA made through a revoked capability loses its PTEs
 *    (zap_vma_ptes()). A fault that inserted a PTE before step 1 is undone
 *    here; one after step 1 gets SIGBUS.
 * 3. Still under zap_lock, once no PTE of theirs is left, the revoked
 *    capabilities stop counting for W^X (ratmem_revoke_uncount()).
 * All steps finish before the revoking call returns 0. On the ioctl
 * paths the locks of step 2 are taken killably: a caller stuck behind a
 * wedged mmap_lock can be killed. Its call returns -EINTR with step 1
 * done, and the capabilities wait on region->unswept until the next
 * revocation of the region, a retry, or the module's workqueue finishes
 * steps 2 and 3 for them. Pages are not
 * freed by revocation: they belong to the region, which outlives every
 * VMA (each holds a reference through its capability).
 *
 * Locks: region->zap_lock, then one mmap_lock at a time (for read),
 * then region->lock. No spinlock is held across a zap.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "cap.h"
#include "captable.h"
#include "context.h"
#include "lease.h"
#include "mapping.h"
#include "notify.h"
#include "region.h"
#include "revoke.h"
#include "revoke_after.h"
#include "wait.h"
#include "ratmem_trace.h"

/* Finishes interrupted sweeps (ratmem_region_sweep_later()). */
struct workqueue_struct *ratmem_wq;

/*
 * Mark @top and every capability below it revoked (pre-order walk with
 * parent links, no recursion: grant chains can be long). Each one that
 * is still referenced goes on @doomed with a reference for the caller.
 */
static void ratmem_mark_subtree(struct ratmem_cap *top, struct list_head *doomed)
{
	struct ratmem_region *region = top->region;
	struct ratmem_cap *cap;

	lockdep_assert_held(&region->lock);
	/* Faults check the state under fault_lock: see fault.c. */
	down_write(&region->fault_lock);
	for (cap = top; cap; cap = ratmem_cap_next_unrevoked(cap, top)) {
		ratmem_cap_set_state(&cap->state, RATMEM_CAP_EV_REVOKE);
		ratmem_lease_cancel_locked(cap);
		ratmem_revoke_after_end_locked(cap);
		ratmem_cap_uncharge(cap);
		if (cap->kind == RATMEM_CAPKIND_GRANT) {
			mutex_lock(&ratmem_caps.lock);
			ratmem_captable_remove(&ratmem_caps, &cap->ent);
			mutex_unlock(&ratmem_caps.lock);
			if (cap->issuer) {
				spin_lock(&cap->issuer->issued_lock);
				list_del_init(&cap->issued_node);
				spin_unlock(&cap->issuer->issued_lock);
			}
		}
		/* A capability at zero is being freed and has no children. */
		if (refcount_inc_not_zero(&cap->ref))
			list_add_tail(&cap->doomed, doomed);
	}
	up_write(&region->fault_lock);
	/* Holders gone with @top may leave a revoking grant above with none. */
	ratmem_revoke_after_user_gone_locked(top->parent);
}

/*
 * After the sweep, still under zap_lock: the revoked capabilities' VMAs
 * have no PTE left, so they stop counting for W^X, and their users stop
 * keeping the memory (true: none is left, drain the region). Before the
 * sweep an executable PTE could still be used while another mapping
 * became writable. Capabilities not on @doomed were at zero references,
 * so they have no VMA and count nothing.
 */
static bool ratmem_revoke_uncount(struct ratmem_region *region, struct list_head *doomed)
{
	struct ratmem_cap *cap;
	bool drain;

	lockdep_assert_held(&region->zap_lock);
	mutex_lock(&region->lock);
	list_for_each_entry(cap, doomed, doomed) {
		if (!cap->counted)
			continue;
		region->nr_maywrite -= cap->nr_maywrite;
		region->nr_mayexec -= cap->nr_mayexec;
		region->live_users -= cap->users;
		cap->counted = false;
	}
	drain = !region->live_users;
	mutex_unlock(&region->lock);
	return drain;
}

/* Report and release what ratmem_mark_subtree() collected. */
static void ratmem_revoke_finish(struct list_head *doomed)
{
	struct ratmem_cap *cap, *tmp;

	list_for_each_entry_safe(cap, tmp, doomed, doomed) {
		list_del_init(&cap->doomed);
		/* A cancelled lease's reference; the list's keeps @cap alive. */
		ratmem_lease_release(cap);
		ratmem_notify(RATMEM_EV_REVOKE, cap);
		ratmem_revoke_after_done(cap);
		/* Uncharged when marked; the quotas need not wait for the last handle. */
		ratmem_cap_release_quotas(cap);
		/* The id table's reference. */
		if (cap->kind == RATMEM_CAPKIND_GRANT)
			ratmem_cap_put(cap);
		ratmem_cap_put(cap);
	}
}

/*
 * The sweep of capabilities on region->unswept was interrupted: finish
 * it from the module's workqueue, without a signal to stop it, in case
 * no caller retries. The work holds a reference to the region.
 */
static void ratmem_region_sweep_later(struct ratmem_region *region)
{
	kref_get(&region->ref);
	if (!queue_work(ratmem_wq, &region->sweep_work))
		ratmem_region_put(region);
}

/*
 * Steps 2 and 3 for @doomed and for any earlier revocation of the region
 * whose sweep was interrupted (region->unswept), then release them all
 * (step 3 ends with the events). Called with zap_lock held; returns with
 * it released. On -EINTR the capabilities stay marked and move to
 * region->unswept with their references, and the workqueue finishes
 * them unless a caller does first.
 */
static int ratmem_revoke_complete(struct ratmem_region *region, struct list_head *doomed,
				  bool killable)
{
	bool drain;
	int ret;

	lockdep_assert_held(&region->zap_lock);
	list_splice_tail_init(&region->unswept, doomed);
	if (list_empty(doomed)) {
		mutex_unlock(&region->zap_lock);
		return 0;
	}
	ret = ratmem_region_sweep(region, doomed, killable);
	if (ret) {
		list_splice_tail_init(doomed, &region->unswept);
		trace_revoke_interrupted(region->id);
		ratmem_region_sweep_later(region);
		mutex_unlock(&region->zap_lock);
		return ret;
	}
	drain = ratmem_revoke_uncount(region, doomed);
	mutex_unlock(&region->zap_lock);
	if (drain)
		ratmem_region_drain(region);
	ratmem_revoke_finish(doomed);
	return 0;
}

static int ratmem_zap_lock(struct ratmem_region *region, bool killable)
{
	if (!killable) {
		mutex_lock(&region->zap_lock);
		return 0;
	}
	return mutex_lock_killable(&region->zap_lock);
}

/* Finish an interrupted revocation of the region, on ratmem_wq. */
static void ratmem_region_sweep_work(struct work_struct *work)
{
	struct ratmem_region *region = container_of(work, struct ratmem_region, sweep_work);
	LIST_HEAD(doomed);

	mutex_lock(&region->zap_lock);
	ratmem_revoke_complete(region, &doomed, false);
	ratmem_region_put(region);
}

/**
 * ratmem_revoke_init_region() - set up the revocation state of a new region
 * @region: made by ratmem_region_create(), with no capability yet, so
 *	nothing can queue its sweep before this
 *
 * Context: process context.
 */
void ratmem_revoke_init_region(struct ratmem_region *region)
{
	INIT_WORK(&region->sweep_work, ratmem_region_sweep_work);
}

/**
 * ratmem_region_finish_revokes() - wait until no revocation of a region
 *	is running or left unfinished
 * @region: the region
 * @killable: as for ratmem_revoke()
 *
 * Waits for a revocation running in another thread, and finishes the
 * sweep of one that was interrupted (region->unswept), so that a caller
 * told "already revoked" knows the revocation is complete.
 *
 * Context: as ratmem_revoke().
 * Return: 0, or -EINTR (only if @killable) on a fatal signal.
 */
int ratmem_region_finish_revokes(struct ratmem_region *region, bool killable)
{
	LIST_HEAD(doomed);

	if (ratmem_zap_lock(region, killable))
		return -EINTR;
	return ratmem_revoke_complete(region, &doomed, killable);
}

/**
 * ratmem_revoke() - revoke a capability and everything below it
 * @cap: a granted or opened capability (never an owner capability)
 * @killable: the caller may be killed while it waits for a lock (the
 *	ioctl paths); false where the revocation must finish here (a
 *	context's release, its owner's exit)
 *
 * When this returns 0, every handle made from the revoked capabilities
 * fails with -ENOLINK, their waiters are woken, and no PTE made through
 * them is left in any process. On -EINTR the capabilities are marked (no
 * handle works and no new PTE appears) but PTEs may be left: the next
 * revocation of the region, or any REVOKE that finds the capability
 * gone (ratmem_region_finish_revokes()), finishes the sweep, and the
 * module's workqueue does if nobody else does.
 *
 * Context: process context; may sleep. Must not hold any mmap_lock or
 * ratmem lock. Takes region->zap_lock, mmap_locks, region->lock.
 * Return: 0; -ENOENT when @cap was already revoked, once that revocation
 * is complete; or -EINTR (only if @killable) on a fatal signal.
 */
int ratmem_revoke(struct ratmem_cap *cap, bool killable)
{
	struct ratmem_region *region = cap->region;
	LIST_HEAD(doomed);
	int ret;

	if (WARN_ON_ONCE(cap->kind == RATMEM_CAPKIND_OWNER))
		return -EINVAL;
	if (ratmem_zap_lock(region, killable))
		return -EINTR;
	mutex_lock(&region->lock);
	if (cap->state == RATMEM_CAP_STATE_REVOKED) {
		mutex_unlock(&region->lock);
		ret = ratmem_revoke_complete(region, &doomed, killable);
		return ret ? ret : -ENOENT;
	}
	ratmem_mark_subtree(cap, &doomed);
	ratmem_wait_wake_revoked(region);
	mutex_unlock(&region->lock);
	return ratmem_revoke_complete(region, &doomed, killable);
}

/**
 * ratmem_revoke_opens() - revoke what was opened through a region's name
 * @owner: the region's owner capability
 * @spare: capabilities opened by this process are left alone (the
 *	owner's own opens)
 * @killable: as for ratmem_revoke()
 *
 * Context: as ratmem_revoke().
 * Return: how many opened capabilities were revoked, or -EINTR (only if
 * @killable) when the sweep was interrupted, as for ratmem_revoke(): the
 * workqueue finishes it.
 */
int ratmem_revoke_opens(struct ratmem_cap *owner, struct pid *spare, bool killable)
{
	struct ratmem_region *region = owner->region;
	struct ratmem_cap *cap;
	LIST_HEAD(doomed);
	int n = 0, ret;

	if (ratmem_zap_lock(region, killable))
		return -EINTR;
	mutex_lock(&region->lock);
	list_for_each_entry(cap, &owner->children, sibling) {
		if (cap->kind != RATMEM_CAPKIND_NAMED_OPEN || cap->pid == spare ||
		    cap->state == RATMEM_CAP_STATE_REVOKED)
			continue;
		/* Only @cap's subtree changes; the walk of @owner goes on. */
		ratmem_mark_subtree(cap, &doomed);
		n++;
	}
	if (n)
		ratmem_wait_wake_revoked(region);
	mutex_unlock(&region->lock);
	ret = ratmem_revoke_complete(region, &doomed, killable);
	return ret ? ret : n;
}

/* The oldest unrevoked grant made through @ctx, with a reference, or NULL. */
static struct ratmem_cap *ratmem_first_issued(struct ratmem_ctx *ctx)
{
	struct ratmem_cap *cap;

	spin_lock(&ctx->issued_lock);
	cap = list_first_entry_or_null(&ctx->issued, struct ratmem_cap, issued_node);
	/* On the list, it is unrevoked, so the id table holds it. */
	if (cap)
		ratmem_cap_get(cap);
	spin_unlock(&ctx->issued_lock);
	return cap;
}

/**
 * ratmem_revoke_issued() - revoke every grant a dying context made
 * @ctx: the context, being released or its owner exiting; it can make
 *	no more grants
 *
 * Each revocation takes its capability off @ctx->issued (under
 * region->lock, with the REVOKED mark), so the loop ends, after as many
 * turns as the context has grants: a context with none costs nothing.
 *
 * Context: as ratmem_revoke().
 */
void ratmem_revoke_issued(struct ratmem_ctx *ctx)
{
	struct ratmem_cap *cap;

	while ((cap = ratmem_first_issued(ctx))) {
		ratmem_revoke(cap, false);
		ratmem_cap_put(cap);
	}
}
