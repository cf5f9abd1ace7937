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
 * All steps finish before the revoking call returns. Pages are not
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

#include "compat.h"
#include "ratmem.h"

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
 *
 * Visits each process that maps @region once, in time linear in their
 * number. A process whose mm is already exiting (no users left) is
 * skipped: nothing can run in it, and its VMAs are being torn down.
 *
 * Context: process context; may sleep. Takes each mm's mmap_lock for
 * read, then region->lock, never both with region->lock first.
 */
void ratmem_region_sweep(struct ratmem_region *region)
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
			break;
		mmap_read_lock(mm);
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
 * keeping the memory (true: none is left, drain the region). Before the sweep an
 * executable PTE could still be used while another mapping became
 * writable. Capabilities not on @doomed were at zero references, so they
 * have no VMA and count nothing.
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

/**
 * ratmem_revoke() - revoke a capability and everything below it
 * @cap: a granted or opened capability (never an owner capability)
 *
 * When this returns, every handle made from the revoked capabilities
 * fails with -ENOLINK, their waiters are woken, and no PTE made through
 * them is left in any process.
 *
 * Context: process context; may sleep. Must not hold any mmap_lock or
 * ratmem lock. Takes region->zap_lock, mmap_locks, region->lock.
 * Return: 0, or -ENOENT when @cap was already revoked.
 */
int ratmem_revoke(struct ratmem_cap *cap)
{
	struct ratmem_region *region = cap->region;
	LIST_HEAD(doomed);
	bool drain;

	if (WARN_ON_ONCE(cap->kind == RATMEM_CAP_OWNER))
		return -EINVAL;
	mutex_lock(&region->zap_lock);
	mutex_lock(&region->lock);
	if (cap->state == RATMEM_CAP_REVOKED) {
		mutex_unlock(&region->lock);
		mutex_unlock(&region->zap_lock);
		return -ENOENT;
	}
	ratmem_mark_subtree(cap, &doomed);
	ratmem_wait_wake_revoked(region);
	mutex_unlock(&region->lock);
	ratmem_region_sweep(region);
	drain = ratmem_revoke_uncount(region, &doomed);
	mutex_unlock(&region->zap_lock);
	if (drain)
		ratmem_region_drain(region);
	ratmem_revoke_finish(&doomed);
	return 0;
}

/**
 * ratmem_revoke_opens() - revoke what was opened through a region's name
 * @owner: the region's owner capability
 * @spare: capabilities opened by this process are left alone (the
 *	owner's own opens)
 *
 * Context: as ratmem_revoke().
 * Return: how many opened capabilities were revoked.
 */
int ratmem_revoke_opens(struct ratmem_cap *owner, struct pid *spare)
{
	struct ratmem_region *region = owner->region;
	struct ratmem_cap *cap;
	LIST_HEAD(doomed);
	bool drain = false;
	int n = 0;

	mutex_lock(&region->zap_lock);
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
	if (n) {
		ratmem_region_sweep(region);
		drain = ratmem_revoke_uncount(region, &doomed);
	}
	mutex_unlock(&region->zap_lock);
	if (drain)
		ratmem_region_drain(region);
	ratmem_revoke_finish(&doomed);
	return n;
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
		ratmem_revoke(cap);
		ratmem_cap_put(cap);
	}
}
