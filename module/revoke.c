// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: revocation (contract section 5).
 *
 * Revoking a capability happens in three steps:
 * 1. Under region->lock, it and every capability below it become
 *    REVOKED, leave the id table, and their waiters are woken. From then
 *    on no handle made from them passes a check made under region->lock:
 *    commit, decommit, mmap and the fault all check there, so no new PTE
 *    can appear through them.
 * 2. The sweep: for each process that maps the region (region->mms),
 *    with its mmap_lock held for read, every VMA made through a revoked
 *    capability loses its PTEs (zap_vma_ptes()). A fault that inserted a
 *    PTE before step 1 is undone here; one after step 1 gets SIGBUS.
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
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "ratmem.h"
#include "ratmem_trace.h"

/**
 * struct ratmem_mm_ref - one process that maps a region
 * @node: link in region->mms.
 * @mm: the address space; valid while @nr_vmas > 0, because the core mm
 *	closes every VMA (and so untracks it) before freeing the mm.
 * @nr_vmas: VMAs of the region in @mm.
 * @sweep: the last sweep that visited @mm.
 */
struct ratmem_mm_ref {
	struct list_head node;
	struct mm_struct *mm;
	unsigned long nr_vmas;
	u64 sweep;
};

/**
 * ratmem_region_mappers() - how many processes map a region
 * @region: the region
 *
 * Context: under region->lock.
 * Return: the number of tracked mms.
 */
unsigned int ratmem_region_mappers(struct ratmem_region *region)
{
	struct ratmem_mm_ref *ref;
	unsigned int n = 0;

	lockdep_assert_held(&region->lock);
	list_for_each_entry(ref, &region->mms, node)
		n++;
	return n;
}

/**
 * ratmem_mm_ref_alloc() - allocate a tracking entry for ratmem_mm_track()
 *
 * Context: process context; may sleep.
 * Return: the entry or NULL.
 */
struct ratmem_mm_ref *ratmem_mm_ref_alloc(void)
{
	return kzalloc(sizeof(struct ratmem_mm_ref), GFP_KERNEL_ACCOUNT);
}

/**
 * ratmem_mm_track() - count a new VMA of @region in @mm
 * @region: the region; the caller holds region->lock
 * @mm: the VMA's address space
 * @spare: an entry from ratmem_mm_ref_alloc(), used (and set to NULL)
 *	when @mm is new to @region; NULL from vm_ops->open, where a VMA of
 *	the same mm (the one being split or moved) is already counted
 *
 * Context: region->lock held.
 */
void ratmem_mm_track(struct ratmem_region *region, struct mm_struct *mm,
		     struct ratmem_mm_ref **spare)
{
	struct ratmem_mm_ref *ref;

	lockdep_assert_held(&region->lock);
	list_for_each_entry(ref, &region->mms, node) {
		if (ref->mm == mm) {
			ref->nr_vmas++;
			return;
		}
	}
	if (WARN_ON_ONCE(!spare || !*spare))
		return;
	ref = *spare;
	*spare = NULL;
	ref->mm = mm;
	ref->nr_vmas = 1;
	/* Its VMAs are all made after any revocation marked so far. */
	ref->sweep = region->sweep;
	list_add_tail(&ref->node, &region->mms);
	atomic64_inc(&ratmem_counters.mm_refs);
}

/**
 * ratmem_mm_untrack() - uncount a closed VMA of @region in @mm
 * @region: the region; the caller holds region->lock
 * @mm: the VMA's address space
 *
 * Context: region->lock held.
 */
void ratmem_mm_untrack(struct ratmem_region *region, struct mm_struct *mm)
{
	struct ratmem_mm_ref *ref;

	lockdep_assert_held(&region->lock);
	list_for_each_entry(ref, &region->mms, node) {
		if (ref->mm != mm)
			continue;
		if (!--ref->nr_vmas) {
			list_del(&ref->node);
			kfree(ref);
			atomic64_dec(&ratmem_counters.mm_refs);
		}
		return;
	}
	WARN_ON_ONCE(1);
}

/**
 * ratmem_region_sweep() - remove the PTEs of every revoked mapping
 * @region: the region; the caller holds region->zap_lock and has marked
 *	the capabilities revoked
 * @killable: take each mmap_lock with mmap_read_lock_killable(), so a
 *	caller stuck behind another process's mmap_lock can be killed
 *
 * Visits each process that maps @region once, in time linear in their
 * number. A process whose mm is already exiting (no users left) is
 * skipped: nothing can run in it, and its VMAs are being torn down.
 *
 * Context: process context; may sleep. Takes each mm's mmap_lock for
 * read, then region->lock, never both with region->lock first.
 * Return: 0 when every mapper was visited, or -EINTR (only if @killable)
 * when a fatal signal came first: some revoked PTEs may be left, and
 * the next sweep visits every mapper again.
 */
int ratmem_region_sweep(struct ratmem_region *region, bool killable)
{
	struct ratmem_mm_ref *ref;
	struct mm_struct *mm;
	u64 gen;

	lockdep_assert_held(&region->zap_lock);
	mutex_lock(&region->lock);
	gen = ++region->sweep;
	mutex_unlock(&region->lock);

	/*
	 * Unvisited entries stay at the head of region->mms: each visit moves
	 * its entry to the tail, and entries added meanwhile go to the tail
	 * already visited (their VMAs postdate the marking). So each turn
	 * looks at the head only, and the sweep is linear in the mappers.
	 */
	for (;;) {
		mm = NULL;
		mutex_lock(&region->lock);
		while (!list_empty(&region->mms)) {
			ref = list_first_entry(&region->mms, struct ratmem_mm_ref, node);
			if (ref->sweep == gen)
				break;
			ref->sweep = gen;
			list_move_tail(&ref->node, &region->mms);
			if (mmget_not_zero(ref->mm)) {
				mm = ref->mm;
				break;
			}
		}
		mutex_unlock(&region->lock);
		if (!mm)
			return 0;
		if (!killable) {
			mmap_read_lock(mm);
		} else if (mmap_read_lock_killable(mm)) {
			mmput(mm);
			return -EINTR;
		}
		ratmem_mm_zap_revoked(mm, region);
		mmap_read_unlock(mm);
		mmput(mm);
	}
}

/*
 * Mark @top and every capability below it revoked (pre-order walk with
 * parent links, no recursion: grant chains can be long). Each one that
 * is still referenced goes on @doomed with a reference for the caller.
 */
static void ratmem_mark_subtree(struct ratmem_cap *top, struct list_head *doomed)
{
	struct ratmem_region *region = top->region;
	struct ratmem_cap *cap = top, *next;

	lockdep_assert_held(&region->lock);
	for (;;) {
		WRITE_ONCE(cap->state, RATMEM_CAP_REVOKED);
		ratmem_cap_uncharge(cap);
		if (cap->kind == RATMEM_CAP_GRANT) {
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

		/* Down to the first unrevoked child, else across or up. */
		next = NULL;
		list_for_each_entry(next, &cap->children, sibling)
			if (next->state != RATMEM_CAP_REVOKED)
				break;
		if (!list_entry_is_head(next, &cap->children, sibling)) {
			cap = next;
			continue;
		}
		for (;;) {
			if (cap == top)
				return;
			next = cap;
			list_for_each_entry_continue(next, &cap->parent->children, sibling)
				if (next->state != RATMEM_CAP_REVOKED)
					break;
			if (!list_entry_is_head(next, &cap->parent->children, sibling))
				break;
			cap = cap->parent;
		}
		cap = next;
	}
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
		ratmem_notify(RATMEM_EVENT_REVOKE, cap);
		/* Uncharged when marked; the accounts need not wait for the last handle. */
		ratmem_cap_release_accounts(cap);
		/* The id table's reference. */
		if (cap->kind == RATMEM_CAP_GRANT)
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
	ret = ratmem_region_sweep(region, killable);
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

/**
 * ratmem_region_sweep_work() - finish an interrupted revocation
 * @work: the region's sweep_work
 *
 * Context: the module's workqueue; may sleep.
 */
void ratmem_region_sweep_work(struct work_struct *work)
{
	struct ratmem_region *region = container_of(work, struct ratmem_region, sweep_work);
	LIST_HEAD(doomed);

	mutex_lock(&region->zap_lock);
	ratmem_revoke_complete(region, &doomed, false);
	ratmem_region_put(region);
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

	if (WARN_ON_ONCE(cap->kind == RATMEM_CAP_OWNER))
		return -EINVAL;
	if (ratmem_zap_lock(region, killable))
		return -EINTR;
	mutex_lock(&region->lock);
	if (cap->state == RATMEM_CAP_REVOKED) {
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
		if (cap->kind != RATMEM_CAP_OPEN || cap->pid == spare ||
		    cap->state == RATMEM_CAP_REVOKED)
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
