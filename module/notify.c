// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the one place sharing events are reported from. Grant,
 * accept, revoke and violation call ratmem_notify() where they happen;
 * for now it logs through dynamic debug (pr_debug()), and the
 * events work (generic netlink, contract section 7) will send them on.
 */
#include <linux/atomic.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "ratmem.h"

static const char *const ratmem_event_names[] = {
	[RATMEM_EVENT_GRANT]		= "grant",
	[RATMEM_EVENT_ACCEPT]		= "accept",
	[RATMEM_EVENT_REVOKE]		= "revoke",
	[RATMEM_EVENT_VIOLATION]	= "violation",
	[RATMEM_EVENT_WX]		= "wx",
};

/**
 * ratmem_notify() - report a sharing event
 * @event: what happened
 * @cap: the capability it happened to
 *
 * Context: process context or page fault; takes no lock and does not
 * sleep.
 */
void ratmem_notify(enum ratmem_event event, const struct ratmem_cap *cap)
{
	pr_debug("ratmem: %s pid %d region %llu capability %llx rights %#x\n",
		 ratmem_event_names[event], task_tgid_nr(current), cap->region->id,
		 cap->ent.id, cap->rights);
}

/**
 * ratmem_notify_quota() - report a request refused by a quota
 * @acct: the account whose limit it would have passed
 * @res: RATMEM_RES_*
 * @amount: what was asked for
 * @usage: @acct's usage when it was refused
 * @limit: @acct's limits then
 * @region: the region concerned, or NULL
 *
 * Context: process context; may sleep.
 */
void ratmem_notify_quota(const struct ratmem_acct *acct, unsigned int res, u64 amount,
			 const u64 *usage, const u64 *limit, const struct ratmem_region *region)
{
	pr_debug("ratmem: quota pid %d account %d resource %u amount %llu usage %llu limit %llu\n",
		 task_tgid_nr(current), pid_nr(acct->pid), res, amount, usage[res], limit[res]);
}

/* "sigbus": an access after revocation raises SIGBUS; "kill": SIGKILL. */
static bool ratmem_violation_kill;

static int ratmem_violation_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "sigbus"))
		WRITE_ONCE(ratmem_violation_kill, false);
	else if (sysfs_streq(val, "kill"))
		WRITE_ONCE(ratmem_violation_kill, true);
	else
		return -EINVAL;
	return 0;
}

static int ratmem_violation_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(ratmem_violation_kill) ? "kill" : "sigbus");
}

static const struct kernel_param_ops ratmem_violation_ops = {
	.set = ratmem_violation_set,
	.get = ratmem_violation_get,
};

module_param_cb(violation_policy, &ratmem_violation_ops, NULL, 0644);
MODULE_PARM_DESC(violation_policy,
		 "Access to revoked memory: sigbus (default: SIGBUS) or kill (SIGKILL)");

/**
 * ratmem_violation_kills() - does the policy kill violating processes?
 *
 * Context: any context.
 * Return: true when violation_policy is "kill".
 */
bool ratmem_violation_kills(void)
{
	return READ_ONCE(ratmem_violation_kill);
}
