// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: per-process accounts (docs/abi.md, "Quotas and EDQUOT"). A
 * process (thread group) has one account, whatever number of contexts it
 * opens. What it uses is charged to the account before it is handed
 * out, so a request that would pass a limit fails with -EDQUOT and
 * changes nothing.
 *
 * Who holds an account: each context of the process, each region it
 * created (reserved and committed bytes), and each grant capability it
 * issued or accepted (shared bytes, grants). The account goes away with
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

#include "account.h"
#include "counters.h"
#include "notify.h"
#include "param.h"
#include "quota_rules.h"

/* Starting limits of a new account (module parameters). */
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
 * Every account, by thread group (for lookups) and by a small id (for
 * the netlink dump, which resumes from an id). The lock is a leaf: it is
 * taken with any ratmem lock held and nothing is called under it.
 */
static DEFINE_MUTEX(ratmem_accts_lock);
static DEFINE_HASHTABLE(ratmem_accts_hash, 7);
static DEFINE_XARRAY_ALLOC1(ratmem_accts_ids);

static unsigned int ratmem_acct_hash(const struct pid *pid)
{
	return hash_ptr(pid, HASH_BITS(ratmem_accts_hash));
}

/* Under ratmem_accts_lock: @pid's account, or NULL. */
static struct ratmem_acct *ratmem_acct_lookup(const struct pid *pid)
{
	struct ratmem_acct *acct;

	lockdep_assert_held(&ratmem_accts_lock);
	hash_for_each_possible(ratmem_accts_hash, acct, node, ratmem_acct_hash(pid))
		if (acct->pid == pid)
			return acct;
	return NULL;
}

static struct ratmem_acct *ratmem_acct_alloc(struct pid *pid)
{
	struct ratmem_acct *acct;
	unsigned int res;

	acct = kzalloc(sizeof(*acct), GFP_KERNEL_ACCOUNT);
	if (!acct)
		return NULL;
	refcount_set(&acct->ref, 1);
	acct->pid = get_pid(pid);
	spin_lock_init(&acct->lock);
	mutex_init(&acct->set_lock);
	for (res = 0; res < RATMEM_RES_COUNT; res++) {
		u64 limit = READ_ONCE(ratmem_default_limit[res]);

		acct->limit[res] = ratmem_quota_limit_round(res, limit);
	}
	return acct;
}

static void ratmem_acct_free(struct ratmem_acct *acct)
{
	put_pid(acct->pid);
	mutex_destroy(&acct->set_lock);
	kfree(acct);
}

/* How far up the process tree a new account looks for limits to inherit. */
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
 * Under ratmem_accts_lock: give @acct the limits of the nearest ancestor
 * of current that has an account, so that limits a process lowered
 * follow its children as rlimits do.
 */
static void ratmem_acct_inherit(struct ratmem_acct *acct, struct pid **pids, unsigned int n)
{
	struct ratmem_acct *from;
	unsigned int i, res;

	lockdep_assert_held(&ratmem_accts_lock);
	for (i = 0; i < n; i++) {
		from = ratmem_acct_lookup(pids[i]);
		if (!from)
			continue;
		/* The module parameters stay a ceiling for new accounts. */
		spin_lock(&from->lock);
		for (res = 0; res < RATMEM_RES_COUNT; res++)
			acct->limit[res] = min(acct->limit[res], from->limit[res]);
		spin_unlock(&from->lock);
		return;
	}
}

/**
 * ratmem_acct_of_current() - the calling process's account
 * @out: the account, with a reference for the caller
 *
 * Made on first use. Its limits are the module parameters', lowered to
 * those of the nearest ancestor (parent, grandparent, ... up to 32
 * levels, below init) that has an account, so that limits a process
 * lowered follow its children as rlimits do, and the parameters stay a
 * ceiling. An ancestor that exited before the child's first use passes
 * nothing on.
 *
 * Context: process context; may sleep. Takes ratmem_accts_lock.
 * Return: 0 or -ENOMEM.
 */
int ratmem_acct_of_current(struct ratmem_acct **out)
{
	struct pid *ancestors[RATMEM_ACCT_ANCESTORS];
	struct pid *self = task_tgid(current);
	struct ratmem_acct *acct, *fresh;
	unsigned int n, i;
	int ret;

	fresh = ratmem_acct_alloc(self);
	if (!fresh)
		return -ENOMEM;
	n = ratmem_ancestors(ancestors);
	mutex_lock(&ratmem_accts_lock);
	acct = ratmem_acct_lookup(self);
	if (acct && refcount_inc_not_zero(&acct->ref)) {
		mutex_unlock(&ratmem_accts_lock);
		for (i = 0; i < n; i++)
			put_pid(ancestors[i]);
		ratmem_acct_free(fresh);
		*out = acct;
		return 0;
	}
	ratmem_acct_inherit(fresh, ancestors, n);
	for (i = 0; i < n; i++)
		put_pid(ancestors[i]);
	/* None, or one on its way out under this lock (never both). */
	ret = xa_alloc(&ratmem_accts_ids, &fresh->id, fresh, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	if (ret) {
		mutex_unlock(&ratmem_accts_lock);
		ratmem_acct_free(fresh);
		return ret == -EBUSY ? -ENOMEM : ret;
	}
	hash_add(ratmem_accts_hash, &fresh->node, ratmem_acct_hash(self));
	mutex_unlock(&ratmem_accts_lock);
	atomic64_inc(&ratmem_counters.accounts);
	*out = fresh;
	return 0;
}

/**
 * ratmem_acct_find() - look up a process's account
 * @pid: the thread group's pid
 *
 * Context: process context; may sleep. Takes ratmem_accts_lock.
 * Return: the account with a reference for the caller, or NULL.
 */
struct ratmem_acct *ratmem_acct_find(const struct pid *pid)
{
	struct ratmem_acct *acct;

	mutex_lock(&ratmem_accts_lock);
	acct = ratmem_acct_lookup(pid);
	if (acct && !refcount_inc_not_zero(&acct->ref))
		acct = NULL;
	mutex_unlock(&ratmem_accts_lock);
	return acct;
}

/**
 * ratmem_acct_next() - walk the accounts in id order
 * @id: in: the first id to look at; out: the found account's id
 *
 * Context: process context; may sleep. Takes ratmem_accts_lock.
 * Return: the first account with an id >= @id, with a reference for the
 * caller, or NULL when there is none.
 */
struct ratmem_acct *ratmem_acct_next(unsigned long *id)
{
	struct ratmem_acct *acct;

	mutex_lock(&ratmem_accts_lock);
	xa_for_each_start(&ratmem_accts_ids, *id, acct, *id)
		if (refcount_inc_not_zero(&acct->ref))
			break;
	mutex_unlock(&ratmem_accts_lock);
	return acct;
}

/**
 * ratmem_acct_get() - take another reference
 * @acct: an account the caller holds a reference to
 *
 * Context: any context.
 */
void ratmem_acct_get(struct ratmem_acct *acct)
{
	refcount_inc(&acct->ref);
}

/**
 * ratmem_acct_put() - drop a reference
 * @acct: the account, or NULL; freed with the last reference
 *
 * Context: process context; may sleep. Takes ratmem_accts_lock for the
 * last reference.
 */
void ratmem_acct_put(struct ratmem_acct *acct)
{
	unsigned int res;

	if (!acct || !refcount_dec_and_mutex_lock(&acct->ref, &ratmem_accts_lock))
		return;
	hash_del(&acct->node);
	xa_erase(&ratmem_accts_ids, acct->id);
	mutex_unlock(&ratmem_accts_lock);
	/* Whoever charged held a reference until they uncharged. */
	for (res = 0; res < RATMEM_RES_COUNT; res++)
		WARN_ONCE(acct->usage[res], "ratmem: account freed with usage %llu of resource %u\n",
			  acct->usage[res], res);
	ratmem_acct_free(acct);
	atomic64_dec(&ratmem_counters.accounts);
}

/**
 * ratmem_acct_charge() - account for more use of a resource
 * @acct: the account to charge
 * @res: RATMEM_RES_*
 * @amount: bytes or count
 * @region: the region the request is about, for the event; or NULL
 *
 * Fails without charging anything when the usage would pass the limit:
 * then the refusal is reported as a quota event and, under
 * quota_policy=kill, the calling process is sent SIGKILL.
 *
 * Context: process context; takes @acct's spinlock (the innermost lock),
 * so it may be called under any ratmem lock.
 * Return: 0 or -EDQUOT.
 */
int ratmem_acct_charge(struct ratmem_acct *acct, unsigned int res, u64 amount,
		       const struct ratmem_region *region)
{
	u64 usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
	bool fits;

	spin_lock(&acct->lock);
	fits = ratmem_quota_fits(acct->usage[res], amount, acct->limit[res]);
	if (fits)
		acct->usage[res] += amount;
	memcpy(usage, acct->usage, sizeof(usage));
	memcpy(limit, acct->limit, sizeof(limit));
	spin_unlock(&acct->lock);
	if (fits)
		return 0;

	ratmem_notify_quota(acct, res, amount, usage, limit, region);
	/*
	 * Only the process whose own limit was exceeded: a grantee that
	 * commits into an owner's region charges the owner, and the owner's
	 * limit is no reason to kill the grantee.
	 */
	if (READ_ONCE(ratmem_quota_policy) == RATMEM_QUOTA_KILL && acct->pid == task_tgid(current))
		send_sig(SIGKILL, current, 1);
	return -EDQUOT;
}

/**
 * ratmem_acct_uncharge() - give back what ratmem_acct_charge() took
 * @acct: the account that was charged
 * @res: RATMEM_RES_*
 * @amount: what was charged
 *
 * Context: any context; takes @acct's spinlock.
 */
void ratmem_acct_uncharge(struct ratmem_acct *acct, unsigned int res, u64 amount)
{
	spin_lock(&acct->lock);
	if (WARN_ON_ONCE(acct->usage[res] < amount))
		amount = acct->usage[res];
	acct->usage[res] -= amount;
	spin_unlock(&acct->lock);
}

/**
 * ratmem_acct_read() - a consistent snapshot of usage and limits
 * @acct: the account
 * @usage: out: RATMEM_RES_COUNT values
 * @limit: out: RATMEM_RES_COUNT values
 *
 * Context: any context; takes @acct's spinlock.
 */
void ratmem_acct_read(struct ratmem_acct *acct, u64 *usage, u64 *limit)
{
	spin_lock(&acct->lock);
	memcpy(usage, acct->usage, sizeof(acct->usage));
	memcpy(limit, acct->limit, sizeof(acct->limit));
	spin_unlock(&acct->lock);
}

/**
 * ratmem_acct_set_limits() - change some of an account's limits
 * @acct: the account
 * @mask: RATMEM_QUOTA_SET() bits, already validated
 * @limit: the new limits of the resources in @mask, rounded by the caller
 * @may_raise: the caller has CAP_SYS_RESOURCE
 *
 * Setters are serialised by @acct->set_lock, so the raise check and the
 * update see the same limits; charges go on meanwhile.
 *
 * Context: process context; may sleep.
 * Return: 0, or -EPERM when a limit would go up and !@may_raise.
 */
int ratmem_acct_set_limits(struct ratmem_acct *acct, u32 mask, const u64 *limit, bool may_raise)
{
	u64 usage[RATMEM_RES_COUNT], now[RATMEM_RES_COUNT];
	unsigned int res;
	int ret = 0;

	mutex_lock(&acct->set_lock);
	ratmem_acct_read(acct, usage, now);
	if (!may_raise && ratmem_quota_raises(now, mask, limit)) {
		ret = -EPERM;
		goto out;
	}
	spin_lock(&acct->lock);
	for (res = 0; res < RATMEM_RES_COUNT; res++)
		if (mask & RATMEM_QUOTA_SET(res))
			acct->limit[res] = limit[res];
	spin_unlock(&acct->lock);
out:
	mutex_unlock(&acct->set_lock);
	return ret;
}
