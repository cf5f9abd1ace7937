// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the workers of GRANT, ACCEPT and REVOKE (docs/abi.md,
 * "Capabilities and revoked handles" and the sections of the three
 * commands).
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "context.h"
#include "handle.h"
#include "lease.h"
#include "notice.h"
#include "notify.h"
#include "pidfd.h"
#include "region.h"
#include "revoke.h"
#include "revoke_after.h"
#include "share.h"
#include "validate.h"

/**
 * ratmem_grant_create() - RATMEM_IOC_GRANT and RATMEM_IOC_GRANT_RANGE:
 *	share a region, or part of it, with one process
 * @ctx: the caller's context
 * @args: checked (ratmem_check_grant_range_args()); GRANT passes a
 *	@length of 0 for all of the handle's view. @rights are checked here
 *	against the handle's, the range against its view.
 * @out: the grant, with a reference for the caller; once its id has
 *	reached user space the caller drops it, else it withdraws the
 *	grant with ratmem_grant_withdraw()
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_grant_create(struct ratmem_ctx *ctx, const struct ratmem_grant_range *args,
			struct ratmem_cap **out)
{
	u64 lease_ns = args->lease_ns;
	struct ratmem_cap *cap;
	struct pid *target;
	u32 have;
	int ret;

	ret = ratmem_handle_lookup(ctx, args->handle, &cap, &have);
	if (ret)
		return ret;
	ret = ratmem_check_grant_rights(have, args->rights);
	if (ret)
		goto out_put;
	target = ratmem_pidfd_process(args->pidfd, true);
	if (IS_ERR(target)) {
		ret = PTR_ERR(target);
		goto out_put;
	}
	ret = ratmem_cap_create_child(cap, RATMEM_CAPKIND_GRANT, args->rights, target, ctx,
				      ctx->quota, args->offset, args->length, out);
	put_pid(target);
	if (!ret)
		ratmem_notify(RATMEM_EV_GRANT, *out);
	/* After the GRANT event: a short lease's REVOKE event comes second. */
	if (!ret && lease_ns) {
		ret = ratmem_lease_start(*out, lease_ns);
		/* Revoked already (its issuer is going away): no grant then. */
		if (ret)
			ratmem_grant_withdraw(*out);
	}
out_put:
	ratmem_cap_put(cap);
	return ret;
}

/**
 * ratmem_grant_withdraw() - take back a grant whose id nobody learnt
 * @grant: from ratmem_grant_create(); its reference is dropped
 *
 * Context: process context; may sleep. Takes the locks of ratmem_revoke().
 */
void ratmem_grant_withdraw(struct ratmem_cap *grant)
{
	ratmem_revoke(grant, true);
	ratmem_cap_put(grant);
}

/* Until revoked, the grant itself is a live user: never drained here. */
static int ratmem_grant_accept_publish(struct ratmem_handle_new *hn)
{
	struct ratmem_notice_rec *rec = ratmem_notice_rec_alloc();
	int ret;

	/* The record first: nothing can fail once the use is counted. */
	if (!rec)
		return -ENOMEM;
	ret = ratmem_cap_use_live(hn->cap);
	if (!ret) {
		/* @priv: the accepting context's notice queue. */
		ratmem_revoke_notice_accepted(hn->cap, &rec, hn->priv, hn->slot.nr);
		ratmem_notify(RATMEM_EV_ACCEPT, hn->cap);
	}
	kfree(rec);
	return ret;
}

/*
 * The handle was never usable, so nobody can hold a copy: undo, and the
 * target may accept again.
 */
static void ratmem_grant_accept_withdraw(struct ratmem_handle_new *hn)
{
	ratmem_cap_unaccept(hn->cap);
}

static const struct ratmem_handle_new_ops ratmem_grant_accept_ops = {
	.publish = ratmem_grant_accept_publish,
	.withdraw = ratmem_grant_accept_withdraw,
};

/**
 * ratmem_grant_accept() - RATMEM_IOC_ACCEPT: turn a capability into a handle
 * @ctx: the caller's context
 * @cap_id: the grant's id
 * @hn: out: the handle, to publish or withdraw; @hn->cap is the grant
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_grant_accept(struct ratmem_ctx *ctx, u64 cap_id, struct ratmem_handle_new *hn)
{
	struct ratmem_cap *cap;
	int ret;

	cap = ratmem_cap_find_grant(cap_id);
	if (!cap)
		return -ENOENT;
	/* Someone else's capability looks exactly like a missing one. */
	if (cap->pid != task_tgid(current)) {
		ret = -ENOENT;
		goto err_put;
	}
	/* The handle is charged before the shared bytes, as in every command. */
	ret = ratmem_handle_new_reserve(ctx, cap, cap->rights, NULL, NULL, hn);
	if (ret)
		goto err_put;
	ret = ratmem_cap_accept(cap, ctx->quota);
	if (ret) {
		ratmem_handle_new_withdraw(ctx, hn);
		return ret;
	}
	/* From here on, withdrawing the handle unaccepts. */
	hn->ops = &ratmem_grant_accept_ops;
	hn->priv = ctx->notices;
	return 0;

err_put:
	ratmem_cap_put(cap);
	return ret;
}

/*
 * REVOKE of @cap, which @via may reach: now, or with a deadline, waiting
 * for the end if asked.
 */
static int ratmem_grant_revoke_cap(struct ratmem_ctx *ctx, struct ratmem_cap *cap,
				   const struct ratmem_revoke *args)
{
	int ret;

	if (!args->deadline_ns)
		return ratmem_revoke(cap, true);
	ret = ratmem_revoke_after(ctx, cap, args->deadline_ns);
	/* Revoked, or its lease ended, meanwhile: as without a deadline. */
	if (ret == -ENOENT)
		return ratmem_revoke(cap, true);
	if (ret || !(args->flags & RATMEM_REVOKE_WAIT))
		return ret;
	return ratmem_revoke_after_wait(cap);
}

/**
 * ratmem_grant_revoke() - RATMEM_IOC_REVOKE: revoke a capability
 * @ctx: the caller's context
 * @args: the caller's arguments, checked (ratmem_check_revoke_args())
 *
 * Context: process context; may sleep. Takes the locks of ratmem_revoke().
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_grant_revoke(struct ratmem_ctx *ctx, const struct ratmem_revoke *args)
{
	struct ratmem_cap *via, *cap;
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, args->handle, &via, &rights);
	if (ret)
		return ret;
	if (!(rights & RATMEM_RIGHT_GRANT)) {
		ret = -EPERM;
		goto out_via;
	}
	cap = ratmem_cap_find_grant(args->cap_id);
	if (!cap) {
		/* Perhaps revoked already: ENOENT once that is complete. */
		ret = ratmem_region_finish_revokes(via->region, true);
		if (!ret)
			ret = -ENOENT;
		goto out_via;
	}
	/* Only the granter's line (and so the owner) may take it back. */
	if (ratmem_cap_is_below(cap, via))
		ret = ratmem_grant_revoke_cap(ctx, cap, args);
	else
		ret = -ENOENT;
	ratmem_cap_put(cap);
out_via:
	ratmem_cap_put(via);
	return ret;
}
