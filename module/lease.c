// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: leases, grants that revoke themselves (struct
 * ratmem_grant.lease_ns, RATMEM_IOC_LEASE).
 *
 * A lease is the grant capability's delayed work item on ratmem_wq: a
 * timer, then process context, where it calls the same ratmem_revoke()
 * as REVOKE. Nothing spins. The state is the capability's, under
 * region->lock:
 *
 * - lease_armed: the work is queued, or it runs and has not yet taken
 *   region->lock. Each queued instance holds a capability reference.
 * - The work, under region->lock: a newer queued instance (queued by an
 *   extension while this one waited for the lock), a revoked grant or a
 *   disarmed lease ends it. A lease that ends later (extended, or a wake-up before the
 *   end) queues it again, and the reference goes along. Otherwise it
 *   disarms, marks lease_expired, and revokes once the lock is dropped.
 * - Revocation (ratmem_mark_subtree(), revoke.c) disarms under the same
 *   lock and cancels a queued instance, armed or not; the end of that
 *   revocation drops
 *   the instance's reference (ratmem_lease_release()). An instance that
 *   is already running finds the grant revoked and drops only its own.
 * - REVOKE with a deadline (revoke_after.c) arms the same work for the
 *   deadline, and kicks it whenever a holder lets go; the work then
 *   revokes early if every holder has.
 * - RATMEM_IOC_LEASE sets lease_end. A queued instance is moved
 *   (mod_delayed_work(), its reference stays); a running one gets a new
 *   queued instance with a new reference, and the running one, finding
 *   the work queued already, drops its own.
 *
 * Every grant is revoked before the module can unload (when its issuing
 * context is released, at the latest), which cancels its queued
 * instance, and module exit drains ratmem_wq: no lease timer outlives
 * the module.
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "handle.h"
#include "lease.h"
#include "region.h"
#include "revoke.h"
#include "revoke_after.h"

/* Jiffies until @left_ns from now, rounded up: a lease never ends early. */
static unsigned long ratmem_lease_delay(u64 left_ns)
{
	u64 j = nsecs_to_jiffies64(left_ns) + 1;

	return min_t(u64, j, MAX_JIFFY_OFFSET);
}

static void ratmem_lease_work(struct work_struct *work)
{
	struct ratmem_cap *cap = container_of(to_delayed_work(work), struct ratmem_cap,
					      lease_work);
	struct ratmem_region *region = cap->region;
	bool expire = false;
	u64 now;

	mutex_lock(&region->lock);
	/*
	 * RATMEM_IOC_LEASE queued a newer instance while this one waited for
	 * the lock: that one decides, and this one only drops its reference.
	 */
	if (delayed_work_pending(&cap->lease_work)) {
		mutex_unlock(&region->lock);
		ratmem_cap_put(cap);
		return;
	}
	if (cap->lease_armed && cap->state != RATMEM_CAP_STATE_REVOKED) {
		now = ktime_get_ns();
		/* Revoking with a deadline: sooner, once every holder let go. */
		if (now < cap->lease_end &&
		    !(cap->revoking && ratmem_revoke_after_let_go_locked(cap))) {
			/* The rest of the lease; the reference goes along. */
			if (queue_delayed_work(ratmem_wq, &cap->lease_work,
					       ratmem_lease_delay(cap->lease_end - now))) {
				mutex_unlock(&region->lock);
				return;
			}
		} else {
			WRITE_ONCE(cap->lease_armed, false);
			cap->lease_expired = true;
			expire = true;
		}
	}
	mutex_unlock(&region->lock);
	/* As REVOKE does; -ENOENT when something revoked it meanwhile. */
	if (expire)
		ratmem_revoke(cap, false);
	ratmem_cap_put(cap);
}

/**
 * ratmem_lease_init() - set up the lease state of a new capability
 * @cap: being made; not visible yet
 *
 * Context: any context.
 */
void ratmem_lease_init(struct ratmem_cap *cap)
{
	INIT_DELAYED_WORK(&cap->lease_work, ratmem_lease_work);
}

/**
 * ratmem_lease_arm_locked() - let a capability's lease end at @end
 * @cap: an unrevoked grant whose lease has not expired; the caller holds
 *	a reference, so the count never reaches zero here
 * @end: CLOCK_MONOTONIC ns
 *
 * Context: region->lock held; does not sleep.
 */
void ratmem_lease_arm_locked(struct ratmem_cap *cap, u64 end)
{
	u64 now = ktime_get_ns();
	unsigned long delay = ratmem_lease_delay(end > now ? end - now : 0);

	lockdep_assert_held(&cap->region->lock);
	WRITE_ONCE(cap->lease_end, end);
	if (cap->lease_armed) {
		/* Queued: moved, its reference stays. Running: a new instance. */
		if (!mod_delayed_work(ratmem_wq, &cap->lease_work, delay))
			ratmem_cap_get(cap);
		return;
	}
	WRITE_ONCE(cap->lease_armed, true);
	ratmem_cap_get(cap);
	/* Never queued while disarmed and unrevoked; if it were, undo. */
	if (WARN_ON_ONCE(!queue_delayed_work(ratmem_wq, &cap->lease_work, delay)))
		refcount_dec(&cap->ref);
}

/**
 * ratmem_lease_kick_locked() - run a capability's lease work now
 * @cap: a grant being revoked with a deadline (revoke_after.c)
 *
 * The work revokes the grant if its holders have let go, and otherwise
 * waits again for the rest of the lease.
 *
 * Context: region->lock held; does not sleep.
 */
void ratmem_lease_kick_locked(struct ratmem_cap *cap)
{
	lockdep_assert_held(&cap->region->lock);
	if (cap->lease_armed && !mod_delayed_work(ratmem_wq, &cap->lease_work, 0))
		ratmem_cap_get(cap);
}

/*
 * Let @cap's lease end @lease_ns from now (RATMEM_IOC_LEASE and GRANT).
 * region->lock held; the caller holds a reference to @cap.
 */
static int ratmem_lease_set_locked(struct ratmem_cap *cap, u64 lease_ns)
{
	lockdep_assert_held(&cap->region->lock);
	if (cap->state == RATMEM_CAP_STATE_REVOKED || cap->lease_expired)
		return -ENOENT;
	/* The deadline of a revocation under way is not a lease to move. */
	if (cap->revoking)
		return -EBUSY;
	ratmem_lease_arm_locked(cap, ktime_get_ns() + lease_ns);
	return 0;
}

/**
 * ratmem_lease_start() - give a new grant its lease
 * @cap: the grant, held by the caller
 * @lease_ns: 1 to RATMEM_LEASE_MAX_NS
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: 0, or -ENOENT when the grant was revoked meanwhile.
 */
int ratmem_lease_start(struct ratmem_cap *cap, u64 lease_ns)
{
	struct ratmem_region *region = cap->region;
	int ret;

	mutex_lock(&region->lock);
	ret = ratmem_lease_set_locked(cap, lease_ns);
	mutex_unlock(&region->lock);
	return ret;
}

/**
 * ratmem_lease_cancel_locked() - stop the lease of a capability being revoked
 * @cap: the capability, being marked revoked
 *
 * A queued work item is cancelled, and ratmem_lease_release() drops its
 * reference once the revocation is over; a running one sees the mark.
 * The cancel is tried even with the lease disarmed: an expiring instance
 * disarms it while a newer one, queued by an extension it raced with,
 * may still wait for its timer.
 *
 * Context: region->lock held; does not sleep.
 */
void ratmem_lease_cancel_locked(struct ratmem_cap *cap)
{
	lockdep_assert_held(&cap->region->lock);
	WRITE_ONCE(cap->lease_armed, false);
	if (cancel_delayed_work(&cap->lease_work))
		cap->lease_put = true;
}

/**
 * ratmem_lease_release() - drop the reference of a cancelled lease
 * @cap: a revoked capability, still held by the revocation
 *
 * Context: process context; no ratmem lock held.
 */
void ratmem_lease_release(struct ratmem_cap *cap)
{
	if (cap->lease_put) {
		cap->lease_put = false;
		ratmem_cap_put(cap);
	}
}

/**
 * ratmem_lease_remaining_locked() - what is left of a capability's lease
 * @cap: the capability
 *
 * Context: region->lock held.
 * Return: nanoseconds, 0 when it has no lease or it ends now.
 */
u64 ratmem_lease_remaining_locked(const struct ratmem_cap *cap)
{
	u64 now = ktime_get_ns();

	lockdep_assert_held(&cap->region->lock);
	return cap->lease_armed && cap->lease_end > now ? cap->lease_end - now : 0;
}

/**
 * ratmem_handle_lease() - RATMEM_IOC_LEASE
 * @ctx: the caller's context
 * @args: the caller's arguments, checked (ratmem_check_lease_args());
 *	@args->remaining_ns is set on success
 *
 * Setting a lease is the granter line's (a handle with GRANT carrying a
 * capability the grant was made through, as for REVOKE); reading it is
 * also the grantee's, through its own handle.
 *
 * Context: process context; may sleep. Takes ctx->lock, the id table's
 * lock, then region->lock.
 * Return: 0, -EBADF, -ENOLINK, -EPERM (setting without GRANT), -EBUSY
 * (setting while the grant is being revoked with a deadline), or
 * -ENOENT (no such unrevoked grant this handle may act on, or its lease
 * has just ended).
 */
int ratmem_handle_lease(struct ratmem_ctx *ctx, struct ratmem_lease *args)
{
	bool set = args->flags & RATMEM_LEASE_SET;
	struct ratmem_cap *via, *cap;
	u32 rights;
	int ret;

	ret = ratmem_handle_lookup(ctx, args->handle, &via, &rights);
	if (ret)
		return ret;
	if (set && !(rights & RATMEM_RIGHT_GRANT)) {
		ret = -EPERM;
		goto out_via;
	}
	cap = ratmem_cap_find_grant(args->cap_id);
	if (!cap) {
		ret = -ENOENT;
		goto out_via;
	}
	if (ratmem_cap_is_below(cap, via) || (!set && cap == via)) {
		mutex_lock(&cap->region->lock);
		ret = set ? ratmem_lease_set_locked(cap, args->lease_ns) : 0;
		if (!ret)
			args->remaining_ns = ratmem_lease_remaining_locked(cap);
		mutex_unlock(&cap->region->lock);
	} else {
		ret = -ENOENT;
	}
	ratmem_cap_put(cap);
out_via:
	ratmem_cap_put(via);
	return ret;
}
