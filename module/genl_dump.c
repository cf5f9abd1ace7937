// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the netlink dumps of per-process usage, regions, handles and
 * grants, and the per-resource nest that the quota events share with
 * them. A dump resumes from the position it saved in cb->args: usage,
 * regions and handles resume by id, so an object created or freed
 * between two parts of a dump is listed once or not at all, never twice
 * (grants: see ratmem_genl_dump_grants()).
 *
 * Who sees what: a caller with CAP_NET_ADMIN sees every process; anyone
 * else sees the objects of the live processes that run with its own
 * effective uid, as ps shows a user its processes (a grant is seen when
 * its issuer or the process that may accept it is one of those).
 * RATMEM_A_PID narrows a dump to one process. (Before 0.6.0 the
 * unprivileged saw only their own process, so ratmemctl, which has no
 * ratmem objects, showed them nothing.)
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/netlink.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "proc_quota.h"
#include "cap.h"
#include "captable.h"
#include "context.h"
#include "genl.h"
#include "handle.h"
#include "mapping.h"
#include "migrate.h"
#include "numa.h"
#include "region.h"

/* The family the dumps answer in, from genl.c before it is registered. */
static struct genl_family *ratmem_dump_family;

/**
 * ratmem_genl_dump_init() - tell the dumps their family
 * @family: ratmem's generic netlink family, not yet registered
 *
 * Context: module init.
 */
void ratmem_genl_dump_init(struct genl_family *family)
{
	ratmem_dump_family = family;
}

/**
 * ratmem_genl_put_res() - add a nest of one value per resource
 * @skb: the message
 * @attr: RATMEM_A_USAGE or RATMEM_A_LIMITS
 * @values: RATMEM_RES_COUNT values; nest member RATMEM_RES_* + 1 each
 *
 * Context: any context.
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int ratmem_genl_put_res(struct sk_buff *skb, int attr, const u64 *values)
{
	struct nlattr *nest;
	unsigned int res;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (res = 0; res < RATMEM_RES_COUNT; res++) {
		if (nla_put_u64_64bit(skb, res + 1, values[res], RATMEM_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * struct ratmem_dump_filter - which processes a dump lists
 * @only: list only this thread group's objects; NULL for all.
 * @none: list nothing (the pid asked for does not exist).
 * @same_user: list only processes whose effective uid is @euid (a
 *	caller without CAP_NET_ADMIN).
 * @euid: the caller's effective uid.
 * @ref: the reference taken on @only, if any.
 */
struct ratmem_dump_filter {
	struct pid *only;
	bool none;
	bool same_user;
	kuid_t euid;
	struct pid *ref;
};

static void ratmem_filter_init(struct ratmem_dump_filter *f, struct netlink_callback *cb)
{
	const struct nlattr *attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, RATMEM_A_PID);

	f->only = NULL;
	f->none = false;
	f->ref = NULL;
	if (attr) {
		rcu_read_lock();
		f->ref = get_pid(find_pid_ns(nla_get_u32(attr), &init_pid_ns));
		rcu_read_unlock();
		f->only = f->ref;
		f->none = !f->ref;
	}
	/* Dumps run in the requester's recvmsg(): current is the requester. */
	f->same_user = !netlink_capable(cb->skb, CAP_NET_ADMIN);
	f->euid = current_euid();
}

static void ratmem_filter_done(struct ratmem_dump_filter *f)
{
	put_pid(f->ref);
}

/* Does the live process @pid run with effective uid @euid? */
static bool ratmem_pid_euid_is(struct pid *pid, kuid_t euid)
{
	struct task_struct *task;
	bool same = false;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	if (task)
		same = uid_eq(__task_cred(task)->euid, euid);
	rcu_read_unlock();
	return same;
}

static bool ratmem_filter_match(const struct ratmem_dump_filter *f, struct pid *pid)
{
	if (f->none || (f->only && f->only != pid))
		return false;
	return !f->same_user || ratmem_pid_euid_is(pid, f->euid);
}

static void *ratmem_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   ratmem_dump_family, NLM_F_MULTI, cmd);
}

/* End a dump part: a message that did not fit is sent in the next part. */
static int ratmem_dump_end(struct sk_buff *skb, void *hdr, int err)
{
	if (err) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int ratmem_fill_usage(struct sk_buff *skb, struct netlink_callback *cb,
			     struct ratmem_proc_quota *quota)
{
	u64 usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
	bool exited;
	void *hdr;
	int err;

	hdr = ratmem_dump_put(skb, cb, RATMEM_CMD_GET_QUOTAS);
	if (!hdr)
		return -EMSGSIZE;
	rcu_read_lock();
	exited = !pid_task(quota->pid, PIDTYPE_TGID);
	rcu_read_unlock();
	ratmem_quota_read(quota, usage, limit);
	err = nla_put_u32(skb, RATMEM_A_PID, pid_nr(quota->pid)) ||
	      ratmem_genl_put_res(skb, RATMEM_A_USAGE, usage) ||
	      ratmem_genl_put_res(skb, RATMEM_A_LIMITS, limit) ||
	      (exited && nla_put_flag(skb, RATMEM_A_EXITED));
	return ratmem_dump_end(skb, hdr, err);
}

/**
 * ratmem_genl_dump_quotas() - RATMEM_CMD_GET_QUOTAS: one message per quota
 * @skb: the dump part being filled
 * @cb: cb->args[0] is the next quota id
 *
 * Context: process context; may sleep.
 * Return: bytes in @skb (0 when done), or a negative errno.
 */
int ratmem_genl_dump_quotas(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ratmem_dump_filter f;
	struct ratmem_proc_quota *quota;
	unsigned long id = cb->args[0];
	int err = 0;

	ratmem_filter_init(&f, cb);
	while (!err && (quota = ratmem_quota_next(&id))) {
		if (ratmem_filter_match(&f, quota->pid))
			err = ratmem_fill_usage(skb, cb, quota);
		ratmem_quota_put(quota);
		if (!err)
			id++;
	}
	ratmem_filter_done(&f);
	cb->args[0] = id;
	return err && !skb->len ? err : skb->len;
}

/* The nest of a region's resident 4 KiB pages per node: type node + 1. */
static int ratmem_put_node_pages(struct sk_buff *skb, const u64 *counts)
{
	struct nlattr *nest;
	unsigned int nid;

	nest = nla_nest_start(skb, RATMEM_A_NODE_PAGES);
	if (!nest)
		return -EMSGSIZE;
	for (nid = 0; nid < nr_node_ids; nid++) {
		if (counts[nid] && nla_put_u64_64bit(skb, nid + 1, counts[nid], RATMEM_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Where a region's pages are: its policy, pages per node, marked pages. */
static int ratmem_put_region_numa(struct sk_buff *skb, struct ratmem_region *region)
{
	struct ratmem_placement p;
	u64 *counts, pending;
	int err;

	counts = kcalloc(nr_node_ids, sizeof(*counts), GFP_KERNEL);
	if (!counts)
		return -ENOMEM;
	ratmem_region_node_pages(region, counts, nr_node_ids, &pending);
	ratmem_region_placement(region, &p);
	err = nla_put_u32(skb, RATMEM_A_POLICY, p.mode) ||
	      nla_put_u64_64bit(skb, RATMEM_A_NODEMASK, p.nodemask, RATMEM_A_PAD) ||
	      nla_put_u64_64bit(skb, RATMEM_A_PENDING, pending, RATMEM_A_PAD) ||
	      ratmem_put_node_pages(skb, counts);
	kfree(counts);
	return err ? -EMSGSIZE : 0;
}

static int ratmem_fill_region(struct sk_buff *skb, struct netlink_callback *cb,
			      struct ratmem_region *region)
{
	u64 committed, resident;
	u32 mappers;
	void *hdr;
	int err;

	mutex_lock(&region->lock);
	committed = (u64)region->nr_committed << PAGE_SHIFT;
	resident = (u64)atomic_long_read(&region->nr_resident) << PAGE_SHIFT;
	mappers = ratmem_region_mappers(region);
	mutex_unlock(&region->lock);

	hdr = ratmem_dump_put(skb, cb, RATMEM_CMD_GET_REGIONS);
	if (!hdr)
		return -EMSGSIZE;
	err = nla_put_u64_64bit(skb, RATMEM_A_REGION_ID, region->id, RATMEM_A_PAD) ||
	      nla_put_u32(skb, RATMEM_A_PID, pid_nr(region->quota->pid)) ||
	      nla_put_u64_64bit(skb, RATMEM_A_SIZE, region->size, RATMEM_A_PAD) ||
	      nla_put_u64_64bit(skb, RATMEM_A_COMMITTED, committed, RATMEM_A_PAD) ||
	      nla_put_u64_64bit(skb, RATMEM_A_RESIDENT, resident, RATMEM_A_PAD) ||
	      nla_put_u32(skb, RATMEM_A_RIGHTS, region->max_rights) ||
	      nla_put_u32(skb, RATMEM_A_MAPPERS, mappers) ||
	      nla_put_u32(skb, RATMEM_A_SEALS, READ_ONCE(region->seals));
	/* Dumps run in the requester's recvmsg(): its namespace maps the ids. */
	if (!err && region->named)
		err = nla_put_u32(skb, RATMEM_A_OWNER_UID,
				  from_kuid_munged(current_user_ns(), region->owner_uid)) ||
		      nla_put_u32(skb, RATMEM_A_OWNER_GID,
				  from_kgid_munged(current_user_ns(), region->owner_gid)) ||
		      nla_put_u32(skb, RATMEM_A_MODE, region->mode);
	if (!err)
		err = ratmem_put_region_numa(skb, region);
	return ratmem_dump_end(skb, hdr, err);
}

/**
 * ratmem_genl_dump_regions() - RATMEM_CMD_GET_REGIONS: one message per region
 * @skb: the dump part being filled
 * @cb: cb->args[0] is the next region id
 *
 * A region is listed under its creator's pid.
 *
 * Context: process context; may sleep. Takes each region's lock.
 * Return: bytes in @skb (0 when done), or a negative errno.
 */
int ratmem_genl_dump_regions(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ratmem_dump_filter f;
	struct ratmem_region *region;
	unsigned long id = cb->args[0];
	int err = 0;

	ratmem_filter_init(&f, cb);
	while (!err && (region = ratmem_region_next(&id))) {
		if (ratmem_filter_match(&f, region->quota->pid))
			err = ratmem_fill_region(skb, cb, region);
		ratmem_region_put(region);
		if (!err)
			id++;
	}
	ratmem_filter_done(&f);
	cb->args[0] = id;
	return err && !skb->len ? err : skb->len;
}

static int ratmem_fill_handle(struct sk_buff *skb, struct netlink_callback *cb,
			      const struct ratmem_ctx *ctx, unsigned long number,
			      const struct ratmem_handle *h)
{
	const struct ratmem_cap *cap = h->cap;
	void *hdr;
	int err;

	hdr = ratmem_dump_put(skb, cb, RATMEM_CMD_GET_HANDLES);
	if (!hdr)
		return -EMSGSIZE;
	err = nla_put_u32(skb, RATMEM_A_PID, pid_nr(ctx->owner)) ||
	      nla_put_u32(skb, RATMEM_A_HANDLE, number) ||
	      nla_put_u64_64bit(skb, RATMEM_A_REGION_ID, cap->region->id, RATMEM_A_PAD) ||
	      nla_put_u32(skb, RATMEM_A_RIGHTS, h->rights) ||
	      nla_put_u32(skb, RATMEM_A_CAP_KIND, cap->kind) ||
	      (cap->kind == RATMEM_CAPKIND_GRANT &&
	       nla_put_u64_64bit(skb, RATMEM_A_CAP_ID, cap->ent.id, RATMEM_A_PAD)) ||
	      (ratmem_cap_revoked(cap) && nla_put_flag(skb, RATMEM_A_REVOKED));
	return ratmem_dump_end(skb, hdr, err);
}

/* Under ctx->lock: the context's handles from *@number on. */
static int ratmem_fill_ctx_handles(struct sk_buff *skb, struct netlink_callback *cb,
				   struct ratmem_ctx *ctx, unsigned long *number)
{
	struct ratmem_handle *h;
	int err = 0;

	mutex_lock(&ctx->lock);
	xa_for_each_start(&ctx->handles, *number, h, *number) {
		err = ratmem_fill_handle(skb, cb, ctx, *number, h);
		if (err)
			break;
	}
	mutex_unlock(&ctx->lock);
	return err;
}

/**
 * ratmem_genl_dump_handles() - RATMEM_CMD_GET_HANDLES: one message per handle
 * @skb: the dump part being filled
 * @cb: cb->args[0] is the context id, cb->args[1] the next handle number
 *
 * Context: process context; may sleep. Takes the context registry's lock,
 * then each context's lock.
 * Return: bytes in @skb (0 when done), or a negative errno.
 */
int ratmem_genl_dump_handles(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long id = cb->args[0], number = cb->args[1];
	struct ratmem_dump_filter f;
	struct ratmem_ctx *ctx;
	int err = 0;

	ratmem_filter_init(&f, cb);
	ratmem_ctxs_lock();
	while ((ctx = ratmem_ctx_next_locked(&id))) {
		if (ratmem_filter_match(&f, ctx->owner)) {
			err = ratmem_fill_ctx_handles(skb, cb, ctx, &number);
			if (err)
				break;
		}
		id++;
		number = 0;
	}
	ratmem_ctxs_unlock();
	ratmem_filter_done(&f);
	cb->args[0] = id;
	cb->args[1] = number;
	return err && !skb->len ? err : skb->len;
}

/* What is left of @cap's lease, read without region->lock (for a dump). */
static u64 ratmem_lease_left(const struct ratmem_cap *cap)
{
	u64 end = READ_ONCE(cap->lease_end), now = ktime_get_ns();

	return end > now ? end - now : 0;
}

static int ratmem_fill_grant(struct sk_buff *skb, struct netlink_callback *cb,
			     const struct ratmem_cap *cap)
{
	/* The parent is held by @cap; a grant's id never changes. */
	const struct ratmem_cap *parent = cap->parent;
	u64 parent_id = parent && parent->kind == RATMEM_CAPKIND_GRANT ? parent->ent.id : 0;
	void *hdr;
	int err;

	hdr = ratmem_dump_put(skb, cb, RATMEM_CMD_GET_GRANTS);
	if (!hdr)
		return -EMSGSIZE;
	err = nla_put_u64_64bit(skb, RATMEM_A_CAP_ID, cap->ent.id, RATMEM_A_PAD) ||
	      nla_put_u64_64bit(skb, RATMEM_A_REGION_ID, cap->region->id, RATMEM_A_PAD) ||
	      nla_put_u32(skb, RATMEM_A_PID, pid_nr(cap->issuer_quota->pid)) ||
	      nla_put_u32(skb, RATMEM_A_PEER_PID, pid_nr(cap->pid)) ||
	      nla_put_u32(skb, RATMEM_A_RIGHTS, cap->rights) ||
	      nla_put_u64_64bit(skb, RATMEM_A_SIZE, cap->span, RATMEM_A_PAD) ||
	      nla_put_u64_64bit(skb, RATMEM_A_OFFSET, cap->base, RATMEM_A_PAD) ||
	      nla_put_u64_64bit(skb, RATMEM_A_PARENT_CAP_ID, parent_id, RATMEM_A_PAD) ||
	      (READ_ONCE(cap->state) == RATMEM_CAP_STATE_LIVE &&
	       nla_put_flag(skb, RATMEM_A_ACCEPTED)) ||
	      (READ_ONCE(cap->lease_armed) &&
	       nla_put_u64_64bit(skb, RATMEM_A_LEASE_NS, ratmem_lease_left(cap), RATMEM_A_PAD)) ||
	      (READ_ONCE(cap->revoking) && nla_put_flag(skb, RATMEM_A_REVOKING));
	return ratmem_dump_end(skb, hdr, err);
}

/**
 * ratmem_genl_dump_grants() - RATMEM_CMD_GET_GRANTS: pending and live grants
 * @skb: the dump part being filled
 * @cb: cb->args[0] is the id table bucket, cb->args[1] the entries of it
 *	already sent
 *
 * The grants are those still in the id table: revoked ones have left it.
 * Within a bucket, entries are added at the head, so a grant made
 * between two parts may shift the bucket by one: it is then listed
 * late or an entry twice; use the grant ids to tell.
 *
 * Context: process context; may sleep. Takes the id table's lock.
 * Return: bytes in @skb (0 when done), or a negative errno.
 */
int ratmem_genl_dump_grants(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long bkt = cb->args[0], skip = cb->args[1], pos;
	struct ratmem_dump_filter f;
	struct ratmem_capent *ent;
	struct ratmem_cap *cap;
	int err = 0;

	ratmem_filter_init(&f, cb);
	mutex_lock(&ratmem_caps.lock);
	for (; bkt < HASH_SIZE(ratmem_caps.buckets); bkt++, skip = 0) {
		pos = 0;
		hlist_for_each_entry(ent, &ratmem_caps.buckets[bkt], node) {
			if (pos++ < skip)
				continue;
			cap = container_of(ent, struct ratmem_cap, ent);
			if (ratmem_filter_match(&f, cap->pid) ||
			    ratmem_filter_match(&f, cap->issuer_quota->pid))
				err = ratmem_fill_grant(skb, cb, cap);
			if (err)
				break;
			skip = pos;
		}
		if (err)
			break;
	}
	mutex_unlock(&ratmem_caps.lock);
	ratmem_filter_done(&f);
	cb->args[0] = bkt;
	cb->args[1] = skip;
	return err && !skb->len ? err : skb->len;
}
