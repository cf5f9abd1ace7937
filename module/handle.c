// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the per-context handle table. Handle numbers are small
 * integers starting at 1, local to one context; a closed number may be
 * reused.
 */
#include <linux/errno.h>
#include <linux/slab.h>

#include <linux/ratmem.h>

#include "ratmem.h"

/**
 * ratmem_handle_install() - add a handle to a context
 * @ctx: the context
 * @cap: the capability; on success the handle takes over the caller's
 *	reference, on failure the caller keeps it
 * @rights: the handle's rights, already checked against @cap's
 * @handle: out: the new handle number
 *
 * The handle is charged to the context's account first.
 *
 * Context: process context; may sleep. Takes ctx->lock.
 * Return: 0, -ENOMEM, -EDQUOT past the process's handle limit, or
 * -EMFILE when the context has no free number.
 */
int ratmem_handle_install(struct ratmem_ctx *ctx, struct ratmem_cap *cap, u32 rights,
			  u32 *handle)
{
	struct ratmem_handle *h;
	int ret;

	ret = ratmem_acct_charge(ctx->acct, RATMEM_RES_HANDLES, 1, cap->region);
	if (ret)
		return ret;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h) {
		ratmem_acct_uncharge(ctx->acct, RATMEM_RES_HANDLES, 1);
		return -ENOMEM;
	}
	h->cap = cap;
	h->rights = rights;

	mutex_lock(&ctx->lock);
	ret = xa_alloc(&ctx->handles, handle, h, XA_LIMIT(1, RATMEM_HANDLE_MAX),
		       GFP_KERNEL_ACCOUNT);
	mutex_unlock(&ctx->lock);
	if (ret) {
		kfree(h);
		ratmem_acct_uncharge(ctx->acct, RATMEM_RES_HANDLES, 1);
		return ret == -EBUSY ? -EMFILE : ret;
	}
	atomic64_inc(&ratmem_counters.handles);
	return 0;
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
	h = xa_erase(&ctx->handles, handle);
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
