// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the per-context handle table. Handle numbers are small
 * integers starting at 1, local to one context; a closed number may be
 * reused.
 */
#include <linux/errno.h>
#include <linux/slab.h>

#include <linux/ratmem.h>

#include "account.h"
#include "cap.h"
#include "context.h"
#include "counters.h"
#include "handle.h"
#include "region.h"

/**
 * ratmem_handle_reserve() - take a handle number that nobody can use yet
 * @ctx: the context
 * @region: the region the handle will name, for the quota event
 * @slot: out: the number and the preallocated handle
 *
 * The handle is charged to the context's account and its number is
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
int ratmem_handle_reserve(struct ratmem_ctx *ctx, const struct ratmem_region *region,
			  struct ratmem_handle_slot *slot)
{
	struct ratmem_handle *h;
	int ret;

	ret = ratmem_acct_charge(ctx->acct, RATMEM_RES_HANDLES, 1, region);
	if (ret)
		return ret;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h) {
		ratmem_acct_uncharge(ctx->acct, RATMEM_RES_HANDLES, 1);
		return -ENOMEM;
	}

	/* A NULL entry in an allocating xarray is reserved: xa_load() sees NULL. */
	mutex_lock(&ctx->lock);
	ret = xa_alloc(&ctx->handles, &slot->nr, NULL, XA_LIMIT(1, RATMEM_HANDLE_MAX),
		       GFP_KERNEL_ACCOUNT);
	mutex_unlock(&ctx->lock);
	if (ret) {
		kfree(h);
		ratmem_acct_uncharge(ctx->acct, RATMEM_RES_HANDLES, 1);
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
void ratmem_handle_publish(struct ratmem_ctx *ctx, struct ratmem_handle_slot *slot,
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
void ratmem_handle_cancel(struct ratmem_ctx *ctx, struct ratmem_handle_slot *slot)
{
	mutex_lock(&ctx->lock);
	xa_erase(&ctx->handles, slot->nr);
	mutex_unlock(&ctx->lock);
	kfree(slot->h);
	slot->h = NULL;
	ratmem_acct_uncharge(ctx->acct, RATMEM_RES_HANDLES, 1);
	atomic64_dec(&ratmem_counters.handles);
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

static void ratmem_handle_free(struct ratmem_ctx *ctx, struct ratmem_handle *h)
{
	ratmem_acct_uncharge(ctx->acct, RATMEM_RES_HANDLES, 1);
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
