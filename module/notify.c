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
