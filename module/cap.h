/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: capabilities, each region's tree of them, and the id table of
 * granted ones (cap.c).
 */
#ifndef RATMEM_CAP_H
#define RATMEM_CAP_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/ratmem_genl.h>

#include "captable.h"
#include "notice.h"

struct pid;
struct ratmem_proc_quota;
struct ratmem_ctx;
struct ratmem_region;

/*
 * How a capability came to be is the uapi's enum ratmem_genl_cap_kind
 * (RATMEM_CAPKIND_*), which the netlink dumps report as it is:
 * RATMEM_CAPKIND_OWNER is made with its region (CREATE, NAMED_CREATE), the
 * root of the region's capability tree, and is never revoked;
 * RATMEM_CAPKIND_GRANT is made by GRANT for one target process;
 * RATMEM_CAPKIND_NAMED_OPEN by NAMED_OPEN of a region's name.
 */

/**
 * struct ratmem_cap - a capability: how a handle or mapping reaches a region
 * @ref: see the ownership rules in ratmem.h.
 * @region: counted reference.
 * @parent: the capability this one was granted or opened through
 *	(counted), NULL for the owner capability.
 * @kind: RATMEM_CAPKIND_*, above.
 * @rights: the most any handle made from it may have.
 * @base: where its view of the region starts, in bytes: 0, or for a
 *	sub-range grant (RATMEM_IOC_GRANT_RANGE) and what is made through
 *	it, the range's start. Set at creation, then constant.
 * @span: its view's length in bytes: the region's size, or the range's.
 *	Every offset a handle of it passes is checked against @span and
 *	moved by @base (ratmem_cap_range()). Constant.
 * @pid: OWNER: the creating process; GRANT: the one process that may
 *	accept; NAMED_OPEN: the opening process. Counted, thread-group pid.
 * @issuer: GRANT: the granting context; its grants are revoked when it
 *	is released, and it stays alive until they are, so the pointer is
 *	valid while @issued_node is on its list.
 * @issued_node: GRANT: link in @issuer->issued while not revoked (under
 *	@issuer->issued_lock).
 * @ent: GRANT: the entry in the id table, until revoked.
 * @state: enum ratmem_cap_state; set at creation, then changed only by
 *	ratmem_cap_set_state() (captable.c) under region->lock; read
 *	with READ_ONCE() where a stale value is harmless (see users).
 * @children: capabilities made through this one (under region->lock).
 * @sibling: link in the parent's @children (under region->lock).
 * @doomed: link in a revocation's private list.
 * @nr_maywrite: VMAs made through it with VM_MAYWRITE (region->lock).
 * @nr_mayexec: VMAs made through it with VM_MAYEXEC (region->lock).
 * @mms: struct ratmem_mm_ref per process with a VMA made through it
 *	(mmap.c, under region->lock): what the revocation sweep visits, so
 *	revoking one capability costs its own mappers, not the region's.
 * @issuer_quota: GRANT: the issuer's quota (counted); charged one grant
 *	and the region's size in shared bytes while @issuer_charged. Under
 *	region->lock; NULL once revoked (ratmem_cap_release_quotas()).
 * @holder_quota: GRANT: the acceptor's quota (counted), set at the
 *	first accept; charged the region's size while @holder_charged.
 *	Under region->lock; NULL once revoked.
 * @issuer_charged: under region->lock; cleared when revoked.
 * @holder_charged: under region->lock; set while accepted.
 * @users: under region->lock; what reaches the memory through it: its
 *	handles and VMAs, one for a name holding it, one for an unrevoked
 *	grant (the target may still accept).
 * @counted: under region->lock; @nr_maywrite, @nr_mayexec and @users
 *	are part of the region's counts. Cleared only after the revocation
 *	sweep has removed every PTE made through the capability.
 * @lease_work: GRANT: revokes it when its lease ends (lease.c); while
 *	queued it holds a reference.
 * @lease_end: GRANT: when the lease ends, CLOCK_MONOTONIC ns (under
 *	region->lock).
 * @lease_armed: the lease runs: @lease_work is queued, or running and
 *	not yet past its check (under region->lock).
 * @lease_expired: the lease ended and its work is revoking the grant.
 * @lease_put: revocation cancelled the queued @lease_work; the end of
 *	the revocation drops the reference it held.
 * @held_notice: GRANT: its record of notices to the context that accepted
 *	it, set when ACCEPT publishes its handle (notice.c); NULL before.
 *	Set once under region->lock, freed with the capability.
 * @revoker_notice: GRANT: its record of notices to the context that first
 *	asked for its revocation with a deadline; likewise.
 * @revoking: GRANT: REVOKE with a deadline started; its lease work forces
 *	the revocation at @lease_end, or as soon as every holder below has
 *	let go (revoke_after.c). Under region->lock; cleared when revoked.
 * @revoke_done: its revocation is complete (set once, then its
 *	RATMEM_REVOKE_WAIT waiters are woken: wake_up_var()).
 *
 * The region's W^X counts sum those of its capabilities with
 * @counted: a mapping whose revocation is complete can never be
 * accessed again, so it no longer stands in the way of other mappings;
 * until its PTEs are gone, it still does.
 *
 * Revocation marks a capability and everything below it REVOKED under
 * region->lock; the state is final, and no child is ever added below a
 * revoked capability, so REVOKED is closed downwards.
 */
struct ratmem_cap {
	refcount_t ref;
	struct ratmem_region *region;
	struct ratmem_cap *parent;
	enum ratmem_genl_cap_kind kind;
	u32 rights;
	u64 base;
	u64 span;
	struct pid *pid;
	struct ratmem_ctx *issuer;
	struct list_head issued_node;
	struct ratmem_capent ent;
	enum ratmem_cap_state state;
	struct list_head children;
	struct list_head sibling;
	struct list_head doomed;
	unsigned int nr_maywrite;
	unsigned int nr_mayexec;
	struct list_head mms;
	struct ratmem_proc_quota *issuer_quota;
	struct ratmem_proc_quota *holder_quota;
	bool issuer_charged;
	bool holder_charged;
	bool counted;
	unsigned long users;
	struct delayed_work lease_work;
	u64 lease_end;
	bool lease_armed;
	bool lease_expired;
	bool lease_put;
	struct ratmem_notice_rec *held_notice;
	struct ratmem_notice_rec *revoker_notice;
	bool revoking;
	bool revoke_done;
};

/* Granted capabilities by id (cap.c). */
extern struct ratmem_captable ratmem_caps;

int ratmem_cap_create_owner(struct ratmem_region *region, struct ratmem_cap **out);
int ratmem_cap_create_child(struct ratmem_cap *parent, enum ratmem_genl_cap_kind kind, u32 rights,
			    struct pid *pid, struct ratmem_ctx *issuer,
			    struct ratmem_proc_quota *issuer_quota, u64 offset, u64 length,
			    struct ratmem_cap **out);
int ratmem_cap_range(const struct ratmem_cap *cap, u64 *offset, u64 length, u64 align);
void ratmem_cap_get(struct ratmem_cap *cap);
void ratmem_cap_put(struct ratmem_cap *cap);
bool ratmem_cap_revoked(const struct ratmem_cap *cap);
bool ratmem_cap_is_below(const struct ratmem_cap *cap, const struct ratmem_cap *above);
struct ratmem_cap *ratmem_cap_next_unrevoked(struct ratmem_cap *cap, const struct ratmem_cap *top);
struct ratmem_cap *ratmem_cap_find_grant(u64 id);
int ratmem_cap_accept(struct ratmem_cap *cap, struct ratmem_proc_quota *holder);
void ratmem_cap_uncharge(struct ratmem_cap *cap);
void ratmem_cap_release_quotas(struct ratmem_cap *cap);
void ratmem_cap_unaccept(struct ratmem_cap *cap);

#endif /* RATMEM_CAP_H */
