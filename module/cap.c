// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: capabilities. Each region has a tree of them: the owner
 * capability at the root, then what was granted or opened through it.
 * Handles and mappings hold the capability they were made through, so
 * revoking a capability (and everything below it) reaches exactly them.
 * Granted capabilities can be named by id through ratmem_caps until they
 * are revoked.
 */
#include <linux/errno.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "proc_quota.h"
#include "cap.h"
#include "revoke_after.h"
#include "lease.h"
#include "captable.h"
#include "context.h"
#include "counters.h"
#include "region.h"
#include "validate.h"

/* Granted capabilities by id (its lock nests inside region->lock: see ratmem.h). */
struct ratmem_captable ratmem_caps;

static struct ratmem_cap *ratmem_cap_alloc(enum ratmem_genl_cap_kind kind, u32 rights,
					   struct pid *pid)
{
	struct ratmem_cap *cap;

	cap = kzalloc(sizeof(*cap), GFP_KERNEL_ACCOUNT);
	if (!cap)
		return NULL;
	refcount_set(&cap->ref, 1);
	cap->kind = kind;
	cap->rights = rights;
	cap->pid = get_pid(pid);
	cap->counted = true;
	INIT_LIST_HEAD(&cap->children);
	INIT_LIST_HEAD(&cap->sibling);
	INIT_LIST_HEAD(&cap->doomed);
	INIT_LIST_HEAD(&cap->issued_node);
	INIT_LIST_HEAD(&cap->mms);
	ratmem_lease_init(cap);
	atomic64_inc(&ratmem_counters.caps);
	if (kind == RATMEM_CAPKIND_GRANT)
		atomic64_inc(&ratmem_counters.grants);
	return cap;
}

/**
 * ratmem_cap_create_owner() - make the owner capability of a new region
 * @region: the region; the capability takes over the caller's reference,
 *	on success and on failure alike
 * @out: the capability, with one reference for the caller
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int ratmem_cap_create_owner(struct ratmem_region *region, struct ratmem_cap **out)
{
	struct pid *self = get_task_pid(current, PIDTYPE_TGID);
	struct ratmem_cap *cap;

	cap = ratmem_cap_alloc(RATMEM_CAPKIND_OWNER, region->max_rights, self);
	put_pid(self);
	if (!cap) {
		ratmem_region_put(region);
		return -ENOMEM;
	}
	cap->region = region;
	cap->state = RATMEM_CAP_STATE_LIVE;
	cap->span = region->size;
	*out = cap;
	return 0;
}

/* Under region->lock: charge a new grant to its issuer, all or nothing. */
static int ratmem_cap_charge_issuer(struct ratmem_cap *cap)
{
	struct ratmem_region *region = cap->region;
	int ret;

	lockdep_assert_held(&region->lock);
	ret = ratmem_quota_charge(cap->issuer_quota, RATMEM_RES_GRANTS, 1, region);
	if (ret)
		return ret;
	ret = ratmem_quota_charge(cap->issuer_quota, RATMEM_RES_SHARED, cap->span, region);
	if (ret) {
		ratmem_quota_uncharge(cap->issuer_quota, RATMEM_RES_GRANTS, 1);
		return ret;
	}
	cap->issuer_charged = true;
	return 0;
}

/**
 * ratmem_cap_uncharge() - give back what a grant capability was charged
 * @cap: the capability, being revoked (or freed)
 *
 * Context: under region->lock, or with the last reference.
 */
void ratmem_cap_uncharge(struct ratmem_cap *cap)
{
	u64 size = cap->span;

	if (cap->issuer_charged) {
		ratmem_quota_uncharge(cap->issuer_quota, RATMEM_RES_GRANTS, 1);
		ratmem_quota_uncharge(cap->issuer_quota, RATMEM_RES_SHARED, size);
		cap->issuer_charged = false;
	}
	if (cap->holder_charged) {
		ratmem_quota_uncharge(cap->holder_quota, RATMEM_RES_SHARED, size);
		cap->holder_charged = false;
	}
}

/**
 * ratmem_cap_release_quotas() - let a revoked grant's quotas go
 * @cap: a revoked capability, already uncharged
 *
 * A revoked grant may live on in its holders' handles until they close
 * them; it no longer needs the issuer's or the holder's quota, so an
 * exited process's quota can go when its last grant is revoked.
 *
 * Context: process context; may sleep. Takes region->lock.
 */
void ratmem_cap_release_quotas(struct ratmem_cap *cap)
{
	struct ratmem_proc_quota *issuer, *holder;

	mutex_lock(&cap->region->lock);
	WARN_ON_ONCE(cap->state != RATMEM_CAP_STATE_REVOKED || cap->issuer_charged ||
		     cap->holder_charged);
	issuer = cap->issuer_quota;
	holder = cap->holder_quota;
	cap->issuer_quota = NULL;
	cap->holder_quota = NULL;
	mutex_unlock(&cap->region->lock);
	ratmem_quota_put(issuer);
	ratmem_quota_put(holder);
}

/**
 * ratmem_cap_create_child() - grant or open a capability below @parent
 * @parent: the capability it is made through
 * @kind: RATMEM_CAPKIND_GRANT (born pending, entered in the id table) or
 *	RATMEM_CAPKIND_NAMED_OPEN (born live)
 * @rights: its rights, already checked against @parent's
 * @pid: the target (GRANT) or the opener (NAMED_OPEN), a thread-group pid
 * @issuer: GRANT: the granting context; NULL otherwise
 * @issuer_quota: GRANT: the granting process's quota, charged one grant
 *	and the range's size in shared bytes; NULL otherwise
 * @offset: where its range starts in @parent's view of the region
 * @length: the range's length; 0 for all of @parent's view (@offset 0)
 * @out: the capability, with one reference for the caller
 *
 * Context: process context; may sleep. Takes region->lock, then the id
 * table's lock.
 * Return: 0, -ENOMEM, -EINVAL for a range outside @parent's view or not
 * aligned to the region's pages, -EDQUOT past a limit of @issuer_quota,
 * or -ENOLINK when @parent is revoked or being revoked with a deadline.
 */
int ratmem_cap_create_child(struct ratmem_cap *parent, enum ratmem_genl_cap_kind kind, u32 rights,
			    struct pid *pid, struct ratmem_ctx *issuer,
			    struct ratmem_proc_quota *issuer_quota, u64 offset, u64 length,
			    struct ratmem_cap **out)
{
	struct ratmem_region *region = parent->region;
	struct ratmem_cap *cap;
	int ret;

	if (!length && offset)
		return -EINVAL;
	/* The range is the parent's view, or part of it (a re-grant narrows). */
	if (length && ratmem_check_range(offset, length, parent->span, 1ULL << region->page_shift))
		return -EINVAL;
	cap = ratmem_cap_alloc(kind, rights, pid);
	if (!cap)
		return -ENOMEM;
	kref_get(&region->ref);
	cap->region = region;
	cap->base = parent->base + offset;
	cap->span = length ? length : parent->span;
	ratmem_cap_get(parent);
	cap->parent = parent;
	cap->issuer = issuer;
	cap->state = kind == RATMEM_CAPKIND_GRANT ? RATMEM_CAP_STATE_PENDING :
						    RATMEM_CAP_STATE_LIVE;
	if (issuer_quota) {
		ratmem_quota_get(issuer_quota);
		cap->issuer_quota = issuer_quota;
	}

	mutex_lock(&region->lock);
	/*
	 * A drained region takes no new user (ratmem_cap_use_live()); a
	 * capability being revoked with a deadline, no new holder to notify.
	 */
	ret = parent->state == RATMEM_CAP_STATE_REVOKED || region->drained ||
	      ratmem_cap_revoking(parent) ? -ENOLINK : 0;
	if (!ret && (rights & RATMEM_RIGHT_WRITE) && (region->seals & RATMEM_SEAL_GRANT_WRITE))
		ret = -EPERM;
	if (!ret && kind == RATMEM_CAPKIND_GRANT)
		ret = ratmem_cap_charge_issuer(cap);
	if (ret) {
		mutex_unlock(&region->lock);
		ratmem_cap_put(cap);
		return ret;
	}
	list_add_tail(&cap->sibling, &parent->children);
	if (kind == RATMEM_CAPKIND_GRANT) {
		/* The table's reference, dropped when it is revoked. */
		refcount_inc(&cap->ref);
		/* Until revoked, the target may accept: a user of the memory. */
		ratmem_cap_use_locked(cap, 1);
		mutex_lock(&ratmem_caps.lock);
		ratmem_captable_insert(&ratmem_caps, &cap->ent);
		mutex_unlock(&ratmem_caps.lock);
		if (issuer) {
			spin_lock(&issuer->issued_lock);
			list_add_tail(&cap->issued_node, &issuer->issued);
			spin_unlock(&issuer->issued_lock);
		}
	}
	mutex_unlock(&region->lock);
	*out = cap;
	return 0;
}

/**
 * ratmem_cap_get() - take a reference
 * @cap: a capability the caller already holds a reference to
 *
 * Context: any context.
 */
void ratmem_cap_get(struct ratmem_cap *cap)
{
	refcount_inc(&cap->ref);
}

/**
 * ratmem_cap_put() - drop a reference
 * @cap: the capability; freed with its last reference, which also drops
 *	its parent's (iteratively: grant chains can be long)
 *
 * Context: process context; may sleep. Takes region->lock, so the caller
 * must not hold it.
 */
void ratmem_cap_put(struct ratmem_cap *cap)
{
	struct ratmem_region *region;
	struct ratmem_cap *parent;

	while (cap && refcount_dec_and_test(&cap->ref)) {
		parent = cap->parent;
		region = cap->region;
		/* Children and VMAs hold a reference each, so none is left. */
		WARN_ON_ONCE(!list_empty(&cap->children) || !list_empty(&cap->mms));
		if (parent) {
			mutex_lock(&region->lock);
			list_del(&cap->sibling);
			mutex_unlock(&region->lock);
		}
		if (cap->kind == RATMEM_CAPKIND_GRANT)
			atomic64_dec(&ratmem_counters.grants);
		/* Revocation gave the charges back; a grant is always revoked. */
		WARN_ON_ONCE(cap->issuer_charged || cap->holder_charged);
		if (region)
			ratmem_cap_uncharge(cap);
		ratmem_quota_put(cap->issuer_quota);
		ratmem_quota_put(cap->holder_quota);
		put_pid(cap->pid);
		ratmem_notice_release(cap->held_notice);
		ratmem_notice_release(cap->revoker_notice);
		kfree(cap);
		atomic64_dec(&ratmem_counters.caps);
		if (region)
			ratmem_region_put(region);
		cap = parent;
	}
}

/**
 * ratmem_cap_revoked() - has @cap been revoked?
 * @cap: the capability
 *
 * The answer can only change from false to true. Callers that need it to
 * stay false while they act hold region->lock.
 *
 * Context: any context.
 * Return: true once @cap is revoked.
 */
bool ratmem_cap_revoked(const struct ratmem_cap *cap)
{
	return READ_ONCE(cap->state) == RATMEM_CAP_STATE_REVOKED;
}

/**
 * ratmem_cap_range() - turn a range of a capability's view into the region's
 * @cap: the capability a handle carries
 * @offset: in: the offset the caller passed, in its view; out: the same
 *	place as an offset in the region
 * @length: the range's length
 * @align: what @offset and @length must be multiples of (a power of 2)
 *
 * A sub-range grant's holder sees its range as a region of @cap->span
 * bytes at offset 0: every range it names must lie inside, and is
 * moved by @cap->base.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for a range that is empty, unaligned, or runs
 * past the view's end.
 */
int ratmem_cap_range(const struct ratmem_cap *cap, u64 *offset, u64 length, u64 align)
{
	if (ratmem_check_range(*offset, length, cap->span, align))
		return -EINVAL;
	*offset += cap->base;
	return 0;
}

/**
 * ratmem_cap_next_unrevoked() - walk a capability tree, skipping revoked ones
 * @cap: where the walk is, in @top's subtree
 * @top: the subtree's root
 *
 * Pre-order, with parent links and no recursion (grant chains can be
 * long). Revoked capabilities are skipped with everything below them,
 * which is revoked too (REVOKED is closed downwards, cap.h), so a walk
 * that revokes each capability it visits still reaches them all.
 *
 * Context: region->lock held.
 * Return: the next unrevoked capability below @top, or NULL.
 */
struct ratmem_cap *ratmem_cap_next_unrevoked(struct ratmem_cap *cap, const struct ratmem_cap *top)
{
	struct ratmem_cap *next;

	lockdep_assert_held(&cap->region->lock);
	/* Down to the first unrevoked child, else across or up. */
	list_for_each_entry(next, &cap->children, sibling)
		if (next->state != RATMEM_CAP_STATE_REVOKED)
			return next;
	for (; cap != top; cap = cap->parent) {
		next = cap;
		list_for_each_entry_continue(next, &cap->parent->children, sibling)
			if (next->state != RATMEM_CAP_STATE_REVOKED)
				return next;
	}
	return NULL;
}

/**
 * ratmem_cap_is_below() - was @cap made through @above, directly or not?
 * @cap: a capability
 * @above: another capability
 *
 * Parent links never change, so no lock is needed.
 *
 * Context: any context.
 * Return: true when @above is a strict ancestor of @cap.
 */
bool ratmem_cap_is_below(const struct ratmem_cap *cap, const struct ratmem_cap *above)
{
	for (cap = cap->parent; cap; cap = cap->parent)
		if (cap == above)
			return true;
	return false;
}

/**
 * ratmem_cap_find_grant() - look a granted capability up by id
 * @id: the id
 *
 * Context: process context; may sleep. Takes the id table's lock.
 * Return: the capability with a reference for the caller, or NULL when
 * no unrevoked capability has this id.
 */
struct ratmem_cap *ratmem_cap_find_grant(u64 id)
{
	struct ratmem_capent *ent;
	struct ratmem_cap *cap = NULL;

	mutex_lock(&ratmem_caps.lock);
	ent = ratmem_captable_find(&ratmem_caps, id);
	if (ent) {
		cap = container_of(ent, struct ratmem_cap, ent);
		ratmem_cap_get(cap);
	}
	mutex_unlock(&ratmem_caps.lock);
	return cap;
}

/**
 * ratmem_cap_accept() - mark a pending capability accepted
 * @cap: the capability
 * @holder: the accepting process's quota, charged the region's size
 *	in shared bytes
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: 0, -ENOENT when it is no longer pending, -EPERM when it has
 * RATMEM_RIGHT_WRITE and the region was sealed with
 * RATMEM_SEAL_GRANT_WRITE since, or -EDQUOT past @holder's shared limit.
 */
int ratmem_cap_accept(struct ratmem_cap *cap, struct ratmem_proc_quota *holder)
{
	struct ratmem_region *region = cap->region;
	struct ratmem_proc_quota *old = NULL;
	enum ratmem_cap_state state;
	int ret;

	mutex_lock(&region->lock);
	/* Whether it may be accepted first, then the charge, then the change. */
	state = cap->state;
	ret = ratmem_cap_transition(&state, RATMEM_CAP_EV_ACCEPT);
	/* A WRITE grant made before RATMEM_SEAL_GRANT_WRITE stays unaccepted. */
	if (!ret && (cap->rights & RATMEM_RIGHT_WRITE) && (region->seals & RATMEM_SEAL_GRANT_WRITE))
		ret = -EPERM;
	if (!ret)
		ret = ratmem_quota_charge(holder, RATMEM_RES_SHARED, cap->span, region);
	if (!ret) {
		ratmem_cap_set_state(&cap->state, RATMEM_CAP_EV_ACCEPT);
		if (cap->holder_quota != holder) {
			old = cap->holder_quota;
			ratmem_quota_get(holder);
			cap->holder_quota = holder;
		}
		cap->holder_charged = true;
	}
	mutex_unlock(&region->lock);
	ratmem_quota_put(old);
	return ret;
}

/**
 * ratmem_cap_unaccept() - undo ratmem_cap_accept() after a failure
 * @cap: the capability; left alone if it was revoked meanwhile (the
 *	revocation gave the charge back)
 *
 * Context: process context; may sleep. Takes region->lock.
 */
void ratmem_cap_unaccept(struct ratmem_cap *cap)
{
	mutex_lock(&cap->region->lock);
	if (!ratmem_cap_set_state(&cap->state, RATMEM_CAP_EV_ABORT)) {
		ratmem_quota_uncharge(cap->holder_quota, RATMEM_RES_SHARED, cap->span);
		cap->holder_charged = false;
	}
	mutex_unlock(&cap->region->lock);
}
