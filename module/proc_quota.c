// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: per-process quotas (docs/abi.md, "Quotas and EDQUOT"). A
 * process (thread group) has one quota, whatever number of contexts it
 * opens. What it uses is charged to the quota before it is handed
 * out, so a request that would pass a limit fails with -EDQUOT and
 * changes nothing.
 *
 * Who holds a quota: each context of the process, each region it
 * created (reserved and committed bytes), and each grant capability it
 * issued or accepted (shared bytes, grants). The quota goes away with
 * the last of them.
 */
#include <linux/capability.h>
#include <linux/hashtable.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/ratmem.h>

#include "proc_quota.h"
#include "counters.h"
#include "notify.h"
#include "param.h"
#include "quota_rules.h"

/* Starting limits of a new quota (module parameters). */
static unsigned long long ratmem_default_limit[RATMEM_RES_COUNT] = {
	[RATMEM_RES_RESERVED]	= 1ULL << 46,
	[RATMEM_RES_COMMITTED]	= RATMEM_LIMIT_NONE,
	[RATMEM_RES_SHARED]	= RATMEM_LIMIT_NONE,
	[RATMEM_RES_HANDLES]	= 65536,
	[RATMEM_RES_GRANTS]	= 1024,
};

module_param_named(max_reserved_bytes, ratmem_default_limit[RATMEM_RES_RESERVED], ullong, 0644);
MODULE_PARM_DESC(max_reserved_bytes,
		 "Per-process limit on bytes of regions created (default 64 TiB)");
module_param_named(max_committed_bytes, ratmem_default_limit[RATMEM_RES_COMMITTED], ullong,
		   0644);
MODULE_PARM_DESC(max_committed_bytes,
		 "Per-process limit on committed bytes of its regions (default none: 18446744073709551615; memory cgroups still apply)");
module_param_named(max_shared_bytes, ratmem_default_limit[RATMEM_RES_SHARED], ullong, 0644);
MODULE_PARM_DESC(max_shared_bytes,
		 "Per-process limit on region bytes granted out plus accepted in (default none)");
module_param_named(max_handles, ratmem_default_limit[RATMEM_RES_HANDLES], ullong, 0644);
MODULE_PARM_DESC(max_handles, "Per-process limit on open handles (default 65536)");
module_param_named(max_grants, ratmem_default_limit[RATMEM_RES_GRANTS], ullong, 0644);
MODULE_PARM_DESC(max_grants,
		 "Per-process limit on pending or live grants issued (default 1024); also bounds the cost of revoking them at exit");

/* "fail": a request past a limit fails with EDQUOT; "kill": and SIGKILL. */
enum { RATMEM_QUOTA_FAIL, RATMEM_QUOTA_KILL };
static const char * const ratmem_quota_policies[] = { "fail", "kill" };
static unsigned int ratmem_quota_policy = RATMEM_QUOTA_FAIL;
static struct ratmem_param_choice ratmem_quota_policy_param = {
	.words = ratmem_quota_policies,
	.count = ARRAY_SIZE(ratmem_quota_policies),
	.value = &ratmem_quota_policy,
};

module_param_cb(quota_policy, &ratmem_param_choice_ops, &ratmem_quota_policy_param, 0644);
MODULE_PARM_DESC(quota_policy,
		 "A request past a quota: fail (default: EDQUOT) or kill (EDQUOT, and SIGKILL to the caller when the limit is its own)");

/*
 * Every quota, by thread group (for lookups) and by a small id (for
 * the netlink dump, which resumes from an id). The lock is a leaf: it is
 * taken with any ratmem lock held and nothing is called under it.
 */
static DEFINE_MUTEX(ratmem_quotas_lock);
static DEFINE_HASHTABLE(ratmem_quotas_hash, 7);
static DEFINE_XARRAY_ALLOC1(ratmem_quotas_ids);

static unsigned int ratmem_quota_hash(const struct pid *pid)
{
	return hash_ptr(pid, HASH_BITS(ratmem_quotas_hash));
}

/* Under ratmem_quotas_lock: @pid's quota, or NULL. */
static struct ratmem_proc_quota *ratmem_quota_lookup(const struct pid *pid)
{
	struct ratmem_proc_quota *quota;

	lockdep_assert_held(&ratmem_quotas_lock);
	hash_for_each_possible(ratmem_quotas_hash, quota, node, ratmem_quota_hash(pid))
		if (quota->pid == pid)
			return quota;
	return NULL;
}

static struct ratmem_proc_quota *ratmem_quota_alloc(struct pid *pid)
{
	struct ratmem_proc_quota *quota;
	unsigned int res;

	quota = kzalloc(sizeof(*quota), GFP_KERNEL_ACCOUNT);
	if (!quota)
		return NULL;
	refcount_set(&quota->ref, 1);
	quota->pid = get_pid(pid);
	spin_lock_init(&quota->lock);
	mutex_init(&quota->set_lock);
	for (res = 0; res < RATMEM_RES_COUNT; res++) {
		u64 limit = READ_ONCE(ratmem_default_limit[res]);

		quota->limit[res] = ratmem_quota_limit_round(res, limit);
	}
	return quota;
}

static void ratmem_quota_free(struct ratmem_proc_quota *quota)
{
	put_pid(quota->pid);
	mutex_destroy(&quota->set_lock);
	kfree(quota);
}

/* How far up the process tree a new quota looks for limits to inherit. */
#define RATMEM_ACCT_ANCESTORS	32

/*
 * Fill @pids with the thread-group pids of current's ancestors, nearest
 * first (counted; the caller puts them). Return how many.
 */
static unsigned int ratmem_ancestors(struct pid **pids)
{
	struct task_struct *t = current, *parent;
	unsigned int n = 0;

	rcu_read_lock();
	while (n < RATMEM_ACCT_ANCESTORS) {
		parent = rcu_dereference(t->real_parent);
		if (!parent || parent == t || is_global_init(parent) || parent->pid == 0)
			break;
		pids[n++] = get_pid(task_tgid(parent));
		t = parent;
	}
	rcu_read_unlock();
	return n;
}

/*
 * Under ratmem_quotas_lock: give @quota the limits of the nearest ancestor
 * of current that has a quota, so that limits a process lowered
 * follow its children as rlimits do.
 */
static void ratmem_quota_inherit(struct ratmem_proc_quota *quota, struct pid **pids, unsigned int n)
{
	struct ratmem_proc_quota *from;
	unsigned int i, res;

	lockdep_assert_held(&ratmem_quotas_lock);
	for (i = 0; i < n; i++) {
		from = ratmem_quota_lookup(pids[i]);
		if (!from)
			continue;
		/* The module parameters stay a ceiling for new quotas. */
		spin_lock(&from->lock);
		for (res = 0; res < RATMEM_RES_COUNT; res++)
			quota->limit[res] = min(quota->limit[res], from->limit[res]);
		spin_unlock(&from->lock);
		return;
	}
}

/**
 * ratmem_quota_of_current() - the calling process's quota
 * @out: the quota, with a reference for the caller
 *
 * Made on first use. Its limits are the module parameters', lowered to
 * those of the nearest ancestor (parent, grandparent, ... up to 32
 * levels, below init) that has a quota, so that limits a process
 * lowered follow its children as rlimits do, and the parameters stay a
 * ceiling. An ancestor that exited before the child's first use passes
 * nothing on.
 *
 * Context: process context; may sleep. Takes ratmem_quotas_lock.
 * Return: 0 or -ENOMEM.
 */
int ratmem_quota_of_current(struct ratmem_proc_quota **out)
{
	struct pid *ancestors[RATMEM_ACCT_ANCESTORS];
	struct pid *self = task_tgid(current);
	struct ratmem_proc_quota *quota, *fresh;
	unsigned int n, i;
	int ret;

	fresh = ratmem_quota_alloc(self);
	if (!fresh)
		return -ENOMEM;
	n = ratmem_ancestors(ancestors);
	mutex_lock(&ratmem_quotas_lock);
	quota = ratmem_quota_lookup(self);
	if (quota && refcount_inc_not_zero(&quota->ref)) {
		mutex_unlock(&ratmem_quotas_lock);
		for (i = 0; i < n; i++)
			put_pid(ancestors[i]);
		ratmem_quota_free(fresh);
		*out = quota;
		return 0;
	}
	ratmem_quota_inherit(fresh, ancestors, n);
	for (i = 0; i < n; i++)
		put_pid(ancestors[i]);
	/* None, or one on its way out under this lock (never both). */
	ret = xa_alloc(&ratmem_quotas_ids, &fresh->id, fresh, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	if (ret) {
		mutex_unlock(&ratmem_quotas_lock);
		ratmem_quota_free(fresh);
		return ret == -EBUSY ? -ENOMEM : ret;
	}
	hash_add(ratmem_quotas_hash, &fresh->node, ratmem_quota_hash(self));
	mutex_unlock(&ratmem_quotas_lock);
	atomic64_inc(&ratmem_counters.quotas);
	*out = fresh;
	return 0;
}

/**
 * ratmem_quota_find() - look up a process's quota
 * @pid: the thread group's pid
 *
 * Context: process context; may sleep. Takes ratmem_quotas_lock.
 * Return: the quota with a reference for the caller, or NULL.
 */
struct ratmem_proc_quota *ratmem_quota_find(const struct pid *pid)
{
	struct ratmem_proc_quota *quota;

	mutex_lock(&ratmem_quotas_lock);
	quota = ratmem_quota_lookup(pid);
	if (quota && !refcount_inc_not_zero(&quota->ref))
		quota = NULL;
	mutex_unlock(&ratmem_quotas_lock);
	return quota;
}

/**
 * ratmem_quota_next() - walk the quotas in id order
 * @id: in: the first id to look at; out: the found quota's id
 *
 * Context: process context; may sleep. Takes ratmem_quotas_lock.
 * Return: the first quota with an id >= @id, with a reference for the
 * caller, or NULL when there is none.
 */
struct ratmem_proc_quota *ratmem_quota_next(unsigned long *id)
{
	struct ratmem_proc_quota *quota;

	mutex_lock(&ratmem_quotas_lock);
	xa_for_each_start(&ratmem_quotas_ids, *id, quota, *id)
		if (refcount_inc_not_zero(&quota->ref))
			break;
	mutex_unlock(&ratmem_quotas_lock);
	return quota;
}

/**
 * ratmem_quota_get() - take another reference
 * @quota: a quota the caller holds a reference to
 *
 * Context: any context.
 */
void ratmem_quota_get(struct ratmem_proc_quota *quota)
{
	refcount_inc(&quota->ref);
}

/**
 * ratmem_quota_put() - drop a reference
 * @quota: the quota, or NULL; freed with the last reference
 *
 * Context: process context; may sleep. Takes ratmem_quotas_lock for the
 * last reference.
 */
void ratmem_quota_put(struct ratmem_proc_quota *quota)
{
	unsigned int res;

	if (!quota || !refcount_dec_and_mutex_lock(&quota->ref, &ratmem_quotas_lock))
		return;
	hash_del(&quota->node);
	xa_erase(&ratmem_quotas_ids, quota->id);
	mutex_unlock(&ratmem_quotas_lock);
	/* Whoever charged held a reference until they uncharged. */
	for (res = 0; res < RATMEM_RES_COUNT; res++)
		WARN_ONCE(quota->usage[res], "ratmem: quota freed with usage %llu of resource %u\n",
			  quota->usage[res], res);
	ratmem_quota_free(quota);
	atomic64_dec(&ratmem_counters.quotas);
}

/**
 * ratmem_quota_charge() - charge more use of a resource
 * @quota: the quota to charge
 * @res: RATMEM_RES_*
 * @amount: bytes or count
 * @region: the region the request is about, for the event; or NULL
 *
 * Fails without charging anything when the usage would pass the limit:
 * then the refusal is reported as a quota event and, under
 * quota_policy=kill, the calling process is sent SIGKILL.
 *
 * Context: process context; takes @quota's spinlock (the innermost lock),
 * so it may be called under any ratmem lock.
 * Return: 0 or -EDQUOT.
 */
int ratmem_quota_charge(struct ratmem_proc_quota *quota, unsigned int res, u64 amount,
			const struct ratmem_region *region)
{
	u64 usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
	bool fits;

	spin_lock(&quota->lock);
	fits = ratmem_quota_fits(quota->usage[res], amount, quota->limit[res]);
	if (fits)
		quota->usage[res] += amount;
	memcpy(usage, quota->usage, sizeof(usage));
	memcpy(limit, quota->limit, sizeof(limit));
	spin_unlock(&quota->lock);
	if (fits)
		return 0;

	ratmem_notify_quota(quota, res, amount, usage, limit, region);
	/*
	 * Only the process whose own limit was exceeded: a grantee that
	 * commits into an owner's region charges the owner, and the owner's
	 * limit is no reason to kill the grantee.
	 */
	if (READ_ONCE(ratmem_quota_policy) == RATMEM_QUOTA_KILL && quota->pid == task_tgid(current))
		send_sig(SIGKILL, current, 1);
	return -EDQUOT;
}

/**
 * ratmem_quota_uncharge() - give back what ratmem_quota_charge() took
 * @quota: the quota that was charged
 * @res: RATMEM_RES_*
 * @amount: what was charged
 *
 * Context: any context; takes @quota's spinlock.
 */
void ratmem_quota_uncharge(struct ratmem_proc_quota *quota, unsigned int res, u64 amount)
{
	spin_lock(&quota->lock);
	if (WARN_ON_ONCE(quota->usage[res] < amount))
		amount = quota->usage[res];
	quota->usage[res] -= amount;
	spin_unlock(&quota->lock);
}

/**
 * ratmem_quota_read() - a consistent snapshot of usage and limits
 * @quota: the quota
 * @usage: out: RATMEM_RES_COUNT values
 * @limit: out: RATMEM_RES_COUNT values
 *
 * Context: any context; takes @quota's spinlock.
 */
void ratmem_quota_read(struct ratmem_proc_quota *quota, u64 *usage, u64 *limit)
{
	spin_lock(&quota->lock);
	memcpy(usage, quota->usage, sizeof(quota->usage));
	memcpy(limit, quota->limit, sizeof(quota->limit));
	spin_unlock(&quota->lock);
}

/**
 * ratmem_quota_set_limits() - change some of a quota's limits
 * @quota: the quota
 * @mask: RATMEM_QUOTA_SET() bits, already validated
 * @limit: the new limits of the resources in @mask, rounded by the caller
 * @may_raise: the caller has CAP_SYS_RESOURCE
 *
 * Setters are serialised by @quota->set_lock, so the raise check and the
 * update see the same limits; charges go on meanwhile.
 *
 * Context: process context; may sleep.
 * Return: 0, or -EPERM when a limit would go up and !@may_raise.
 */
int ratmem_quota_set_limits(struct ratmem_proc_quota *quota, u32 mask, const u64 *limit,
			    bool may_raise)
{
	u64 usage[RATMEM_RES_COUNT], now[RATMEM_RES_COUNT];
	unsigned int res;
	int ret = 0;

	mutex_lock(&quota->set_lock);
	ratmem_quota_read(quota, usage, now);
	if (!may_raise && ratmem_quota_raises(now, mask, limit)) {
		ret = -EPERM;
		goto out;
	}
	spin_lock(&quota->lock);
	for (res = 0; res < RATMEM_RES_COUNT; res++)
		if (mask & RATMEM_QUOTA_SET(res))
			quota->limit[res] = limit[res];
	spin_unlock(&quota->lock);
out:
	mutex_unlock(&quota->set_lock);
	return ret;
}
