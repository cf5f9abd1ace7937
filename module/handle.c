// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the per-context handle table. Handle numbers are small
 * integers starting at 1, local to one context; a closed number may be
 * reused.
 */
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/uidgid.h>

#include <linux/ratmem.h>

#include "proc_quota.h"
#include "cap.h"
#include "context.h"
#include "counters.h"
#include "handle.h"
#include "revoke_after.h"
#include "region.h"
#include "validate.h"

/**
 * ratmem_handle_reserve() - take a handle number that nobody can use yet
 * @ctx: the context
 * @region: the region the handle will name, for the quota event
 * @slot: out: the number and the preallocated handle
 *
 * The handle is charged to the context's quota and its number is
 * taken, but lookups see no handle there until ratmem_handle_publish().
 * Like get_unused_fd_flags() and fd_install(): an ioctl reserves, does
 * everything that can fail (the copy-out included), and only then
 * publishes, so no other thread can use, duplicate or map a handle that
 * the ioctl might still take back. Every reservation ends in exactly one
 * of ratmem_handle_publish() or ratmem_handle_cancel(), within the same
 * ioctl (whose file keeps the context alive).
 *
 * Context: process context; may sleep. Takes ctx->lock.
 * Return: 0, -ENOMEM, -EDQUOT past the process's handle limit, or
 * -EMFILE when the context has no free number.
 */
static int ratmem_handle_reserve(struct ratmem_ctx *ctx, const struct ratmem_region *region,
				 struct ratmem_handle_slot *slot)
{
	struct ratmem_handle *h;
	int ret;

	ret = ratmem_quota_charge(ctx->quota, RATMEM_RES_HANDLES, 1, region);
	if (ret)
		return ret;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h) {
		ratmem_quota_uncharge(ctx->quota, RATMEM_RES_HANDLES, 1);
		return -ENOMEM;
	}

	/* A NULL entry in an allocating xarray is reserved: xa_load() sees NULL. */
	mutex_lock(&ctx->lock);
	ret = xa_alloc(&ctx->handles, &slot->nr, NULL, XA_LIMIT(1, RATMEM_HANDLE_MAX),
		       GFP_KERNEL_ACCOUNT);
	mutex_unlock(&ctx->lock);
	if (ret) {
		kfree(h);
		ratmem_quota_uncharge(ctx->quota, RATMEM_RES_HANDLES, 1);
		return ret == -EBUSY ? -EMFILE : ret;
	}
	slot->h = h;
	atomic64_inc(&ratmem_counters.handles);
	return 0;
}

/**
 * ratmem_handle_publish() - make a reserved handle usable
 * @ctx: the context
 * @slot: from ratmem_handle_reserve(); consumed
 * @cap: the capability; the handle takes over the caller's reference and
 *	the use of @cap the caller counted (ratmem_cap_use_live())
 * @rights: the handle's rights, already checked against @cap's
 *
 * Cannot fail: the number's slot exists, so the store allocates nothing.
 *
 * Context: process context; may sleep. Takes ctx->lock.
 */
static void ratmem_handle_publish(struct ratmem_ctx *ctx, struct ratmem_handle_slot *slot,
				  struct ratmem_cap *cap, u32 rights)
{
	struct ratmem_handle *h = slot->h;
	void *old;

	h->cap = cap;
	h->rights = rights;
	mutex_lock(&ctx->lock);
	old = xa_store(&ctx->handles, slot->nr, h, GFP_NOWAIT);
	mutex_unlock(&ctx->lock);
	WARN_ON_ONCE(old);
	slot->h = NULL;
}

/**
 * ratmem_handle_cancel() - give back a reservation that was not published
 * @ctx: the context
 * @slot: from ratmem_handle_reserve(); consumed
 *
 * Context: process context; may sleep. Takes ctx->lock.
 */
static void ratmem_handle_cancel(struct ratmem_ctx *ctx, struct ratmem_handle_slot *slot)
{
	mutex_lock(&ctx->lock);
	xa_erase(&ctx->handles, slot->nr);
	mutex_unlock(&ctx->lock);
	kfree(slot->h);
	slot->h = NULL;
	ratmem_quota_uncharge(ctx->quota, RATMEM_RES_HANDLES, 1);
	atomic64_dec(&ratmem_counters.handles);
}

/**
 * ratmem_handle_new_reserve() - start a command's new handle
 * @ctx: the context the handle will live in
 * @cap: the capability it will carry; @hn takes over the caller's
 *	reference on success only
 * @rights: the handle's rights, already checked against @cap's
 * @ops: the command's last steps, or NULL for none
 * @priv: the command's state for @ops
 * @hn: out: the handle being made
 *
 * Reserves the number (ratmem_handle_reserve()). The caller writes
 * @hn->slot.nr to user space and then ends @hn with exactly one of
 * ratmem_handle_new_publish() and ratmem_handle_new_withdraw().
 *
 * Context: process context; may sleep. Takes ctx->lock.
 * Return: 0, or the errors of ratmem_handle_reserve(); then the caller
 * still owns its reference to @cap.
 */
int ratmem_handle_new_reserve(struct ratmem_ctx *ctx, struct ratmem_cap *cap, u32 rights,
			      const struct ratmem_handle_new_ops *ops, void *priv,
			      struct ratmem_handle_new *hn)
{
	static const struct ratmem_handle_new_ops none;
	int ret;

	ret = ratmem_handle_reserve(ctx, cap->region, &hn->slot);
	if (ret)
		return ret;
	hn->cap = cap;
	hn->rights = rights;
	hn->ops = ops ?: &none;
	hn->priv = priv;
	return 0;
}

/**
 * ratmem_handle_new_withdraw() - give up a handle that was not published
 * @ctx: the context
 * @hn: from ratmem_handle_new_reserve(); consumed with its reference
 *
 * Context: process context; may sleep. Takes ctx->lock and what
 * @hn->ops->withdraw takes.
 */
void ratmem_handle_new_withdraw(struct ratmem_ctx *ctx, struct ratmem_handle_new *hn)
{
	ratmem_handle_cancel(ctx, &hn->slot);
	if (hn->ops->withdraw)
		hn->ops->withdraw(hn);
	ratmem_cap_put(hn->cap);
	hn->cap = NULL;
}

/**
 * ratmem_handle_new_publish() - finish a command's new handle
 * @ctx: the context
 * @hn: from ratmem_handle_new_reserve(); consumed
 *
 * Runs the command's last fallible step, then makes the handle usable;
 * if that step fails, withdraws it instead.
 *
 * Context: process context; may sleep. Takes ctx->lock and what
 * @hn->ops takes.
 * Return: 0, or the error of @hn->ops->publish (then it is withdrawn).
 */
int ratmem_handle_new_publish(struct ratmem_ctx *ctx, struct ratmem_handle_new *hn)
{
	int ret = hn->ops->publish ? hn->ops->publish(hn) : 0;

	if (ret) {
		ratmem_handle_new_withdraw(ctx, hn);
		return ret;
	}
	ratmem_handle_publish(ctx, &hn->slot, hn->cap, hn->rights);
	hn->cap = NULL;
	return 0;
}

/* DUP: the source may have been closed meanwhile, and the memory drained. */
static int ratmem_handle_dup_publish(struct ratmem_handle_new *hn)
{
	return ratmem_cap_use_live(hn->cap);
}

static const struct ratmem_handle_new_ops ratmem_handle_dup_ops = {
	.publish = ratmem_handle_dup_publish,
};

/**
 * ratmem_handle_dup() - RATMEM_IOC_DUP: a second handle with fewer rights
 * @ctx: the context
 * @handle: the source handle
 * @rights: the new handle's rights, a subset of the source's
 * @hn: out: the new handle, to publish or withdraw
 *
 * Context: process context; may sleep. Takes ctx->lock.
 * Return: 0, -EBADF, -ENOLINK, -EPERM for rights beyond the source's,
 * or the errors of ratmem_handle_reserve().
 */
int ratmem_handle_dup(struct ratmem_ctx *ctx, u32 handle, u32 rights,
		      struct ratmem_handle_new *hn)
{
	struct ratmem_cap *cap;
	u32 have;
	int ret;

	ret = ratmem_handle_lookup(ctx, handle, &cap, &have);
	if (ret)
		return ret;
	if (!ratmem_rights_subset(rights, have))
		ret = -EPERM;
	else
		ret = ratmem_handle_new_reserve(ctx, cap, rights, &ratmem_handle_dup_ops, NULL, hn);
	/* On success the lookup's reference is the new handle's. */
	if (ret)
		ratmem_cap_put(cap);
	return ret;
}

/**
 * ratmem_handle_lookup() - resolve a handle number
 * @ctx: the context
 * @handle: the number
 * @cap: out: its capability, with a reference the caller must put
 * @rights: out: the handle's rights
 *
 * A revoked capability is refused here, for every command but CLOSE;
 * commands that change the region check again under region->lock.
 *
 * Context: process context; may sleep. Takes ctx->lock.
 * Return: 0, -EBADF when @ctx has no such handle, or -ENOLINK when its
 * capability is revoked.
 */
int ratmem_handle_lookup(struct ratmem_ctx *ctx, u32 handle, struct ratmem_cap **cap,
			 u32 *rights)
{
	struct ratmem_handle *h;
	int ret = -EBADF;

	mutex_lock(&ctx->lock);
	h = xa_load(&ctx->handles, handle);
	if (h && ratmem_cap_revoked(h->cap)) {
		ret = -ENOLINK;
	} else if (h) {
		ratmem_cap_get(h->cap);
		*cap = h->cap;
		*rights = h->rights;
		ret = 0;
	}
	mutex_unlock(&ctx->lock);
	return ret;
}

/**
 * ratmem_handle_query() - RATMEM_IOC_QUERY: describe a handle and its region
 * @ctx: the context
 * @q: the caller's arguments, checked (ratmem_check_query_args()); the
 *	description is written into it
 *
 * Context: process context; may sleep. Takes ctx->lock and region->lock.
 * Return: 0, -EBADF or -ENOLINK.
 */
int ratmem_handle_query(struct ratmem_ctx *ctx, struct ratmem_query *q)
{
	struct ratmem_region *region;
	struct ratmem_cap *cap;
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, q->handle, &cap, &rights);
	if (ret)
		return ret;
	region = cap->region;
	q->size = cap->span;
	q->committed = ratmem_region_committed_bytes(cap);
	q->region_id = region->id;
	q->rights = rights;
	q->max_rights = region->max_rights;
	q->page_shift = region->page_shift;
	q->seals = READ_ONCE(region->seals);
	if (region->named) {
		q->owner_uid = from_kuid_munged(current_user_ns(), region->owner_uid);
		q->owner_gid = from_kgid_munged(current_user_ns(), region->owner_gid);
		q->mode = region->mode;
		q->info = RATMEM_QUERY_NAMED;
	}
	if (READ_ONCE(cap->lease_armed))
		q->info |= RATMEM_QUERY_LEASED;
	if (ratmem_cap_revoking(cap))
		q->info |= RATMEM_QUERY_REVOKING;
	ratmem_cap_put(cap);
	return 0;
}

/**
 * ratmem_handle_commit() - RATMEM_IOC_COMMIT and RATMEM_IOC_DECOMMIT
 * @ctx: the context
 * @r: the caller's arguments, checked (ratmem_check_range_args())
 * @commit: commit, or decommit
 *
 * Context: process context; may sleep. Takes ctx->lock and the locks of
 * ratmem_region_commit() or ratmem_region_decommit().
 * Return: 0, -EBADF, -ENOLINK, -EPERM without WRITE, -EINVAL for a range
 * outside the region or not aligned to its pages, or the errors of the
 * region's commit or decommit.
 */
int ratmem_handle_commit(struct ratmem_ctx *ctx, const struct ratmem_range *r, bool commit)
{
	u64 offset = r->offset;
	struct ratmem_cap *cap;
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, r->handle, &cap, &rights);
	if (ret)
		return ret;
	/* Decommit zeroes what other mappings see: both need WRITE. */
	if (!(rights & RATMEM_RIGHT_WRITE))
		ret = -EPERM;
	else if (ratmem_cap_range(cap, &offset, r->length, 1ULL << cap->region->page_shift))
		ret = -EINVAL;
	else if (commit)
		ret = ratmem_region_commit(cap, offset, r->length);
	else
		ret = ratmem_region_decommit(cap, offset, r->length);
	ratmem_cap_put(cap);
	return ret;
}

static void ratmem_handle_free(struct ratmem_ctx *ctx, struct ratmem_handle *h)
{
	ratmem_quota_uncharge(ctx->quota, RATMEM_RES_HANDLES, 1);
	ratmem_cap_use(h->cap, -1);
	ratmem_cap_put(h->cap);
	kfree(h);
	atomic64_dec(&ratmem_counters.handles);
}

/**
 * ratmem_handle_close() - remove a handle and drop its capability reference
 * @ctx: the context
 * @handle: the number
 *
 * Context: process context; may sleep. Takes ctx->lock.
 * Return: 0, or -EBADF when @ctx has no such handle.
 */
int ratmem_handle_close(struct ratmem_ctx *ctx, u32 handle)
{
	struct ratmem_handle *h;

	mutex_lock(&ctx->lock);
	/* A reserved number looks free here, and is not erased: only its ioctl ends it. */
	h = xa_load(&ctx->handles, handle);
	if (h)
		xa_erase(&ctx->handles, handle);
	mutex_unlock(&ctx->lock);
	if (!h)
		return -EBADF;
	ratmem_handle_free(ctx, h);
	return 0;
}

/**
 * ratmem_handles_release_all() - close every handle of a dying context
 * @ctx: the context; no other user may remain
 *
 * Context: process context; may sleep.
 */
void ratmem_handles_release_all(struct ratmem_ctx *ctx)
{
	struct ratmem_handle *h;
	unsigned long index;

	xa_for_each(&ctx->handles, index, h) {
		xa_erase(&ctx->handles, index);
		ratmem_handle_free(ctx, h);
	}
	xa_destroy(&ctx->handles);
}
