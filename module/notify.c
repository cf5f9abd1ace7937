// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the one place events are reported from. Grant, accept,
 * revoke, violations (access after revoke, W^X) and quota refusals call
 * ratmem_notify() or ratmem_notify_quota() where they happen; the event
 * goes to the netlink "events" group (genl.c) and to dynamic debug.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/ratmem_genl.h>

#include "proc_quota.h"
#include "cap.h"
#include "genl.h"
#include "notify.h"
#include "param.h"
#include "region.h"
#include "ratmem_trace.h"

/* For pr_debug(), by enum ratmem_genl_event and enum ratmem_genl_violation. */
static const char *const ratmem_event_names[__RATMEM_EV_MAX] = {
	[RATMEM_EV_QUOTA]	= "quota",
	[RATMEM_EV_GRANT]	= "grant",
	[RATMEM_EV_ACCEPT]	= "accept",
	[RATMEM_EV_REVOKE]	= "revoke",
	[RATMEM_EV_VIOLATION]	= "violation",
};

static const char *const ratmem_violation_names[] = {
	[RATMEM_VIOLATION_REVOKED]	= "revoked",
	[RATMEM_VIOLATION_WX]		= "wx",
};

/* Fill in what every event about @cap says, send it, and log it. */
static void ratmem_notify_send(struct ratmem_event_msg *msg, const struct ratmem_cap *cap)
{
	msg->pid = task_tgid_nr(current);
	msg->region_id = cap->region->id;
	msg->size = cap->span;
	if (cap->kind == RATMEM_CAPKIND_GRANT)
		msg->cap_id = cap->ent.id;
	pr_debug("ratmem: %s%s%s pid %d region %llu capability %llx rights %#x\n",
		 ratmem_event_names[msg->event], msg->violation ? " " : "",
		 msg->violation ? ratmem_violation_names[msg->violation] : "", msg->pid,
		 msg->region_id, msg->cap_id, cap->rights);
	ratmem_genl_event(msg);
}

/**
 * ratmem_notify() - report a sharing event
 * @event: RATMEM_EV_GRANT, RATMEM_EV_ACCEPT or RATMEM_EV_REVOKE
 * @cap: the capability it happened to
 *
 * The acting process is the caller. For a grant or a revoke the other
 * process is the one the capability was made for; for an accept, the
 * issuer.
 *
 * Context: process context, with no spinlock held; may sleep.
 */
void ratmem_notify(enum ratmem_genl_event event, const struct ratmem_cap *cap)
{
	struct ratmem_event_msg msg = {
		.event = event,
		.rights = cap->rights,
		.has_rights = true,
	};
	u64 cap_id = cap->kind == RATMEM_CAPKIND_GRANT ? cap->ent.id : 0;

	switch (event) {
	case RATMEM_EV_GRANT:
		msg.peer_pid = pid_nr(cap->pid);
		trace_grant(cap->region->id, cap_id, cap->rights, msg.peer_pid);
		break;
	case RATMEM_EV_REVOKE:
		msg.peer_pid = pid_nr(cap->pid);
		trace_revoke(cap->region->id, cap_id);
		break;
	case RATMEM_EV_ACCEPT:
		/* A revoke racing with the accept may let the quota go. */
		mutex_lock(&cap->region->lock);
		msg.peer_pid = cap->issuer_quota ? pid_nr(cap->issuer_quota->pid) : 0;
		mutex_unlock(&cap->region->lock);
		trace_accept(cap->region->id, cap_id, task_tgid_nr(current));
		break;
	default:
		WARN_ON_ONCE(1);
		return;
	}
	ratmem_notify_send(&msg, cap);
}

/**
 * ratmem_notify_violation() - report a broken rule
 * @violation: RATMEM_VIOLATION_REVOKED (an access after a revoke) or
 *	RATMEM_VIOLATION_WX (a mapping or mprotect() refused by W^X)
 * @cap: the capability through which it was tried
 *
 * Context: process context or page fault, with no spinlock held; may
 * sleep.
 */
void ratmem_notify_violation(enum ratmem_genl_violation violation, const struct ratmem_cap *cap)
{
	struct ratmem_event_msg msg = {
		.event = RATMEM_EV_VIOLATION,
		.violation = violation,
	};

	ratmem_notify_send(&msg, cap);
}

/**
 * ratmem_notify_quota() - report a request refused by a quota
 * @quota: the quota whose limit it would have passed
 * @res: RATMEM_RES_*
 * @amount: what was asked for
 * @usage: @quota's usage when it was refused
 * @limit: @quota's limits then
 * @region: the region concerned, or NULL
 *
 * Context: process context, with no spinlock held; may sleep.
 */
void ratmem_notify_quota(const struct ratmem_proc_quota *quota, unsigned int res, u64 amount,
			 const u64 *usage, const u64 *limit, const struct ratmem_region *region)
{
	struct ratmem_event_msg msg = {
		.event = RATMEM_EV_QUOTA,
		.pid = task_tgid_nr(current),
		.quota_pid = pid_nr(quota->pid),
		.region_id = region ? region->id : 0,
		.size = region ? region->size : 0,
		.resource = res,
		.amount = amount,
		.usage = usage,
		.limit = limit,
	};

	trace_quota_exceeded(msg.pid, res, amount, usage[res], limit[res]);
	pr_debug("ratmem: quota pid %d quota_pid %d resource %u amount %llu usage %llu limit %llu\n",
		 msg.pid, msg.quota_pid, res, amount, usage[res], limit[res]);
	ratmem_genl_event(&msg);
}

/* "sigbus": an access after revocation raises SIGBUS; "kill": SIGKILL. */
enum { RATMEM_VIOLATION_SIGBUS, RATMEM_VIOLATION_KILL };
static const char * const ratmem_violation_policies[] = { "sigbus", "kill" };
static unsigned int ratmem_violation_policy = RATMEM_VIOLATION_SIGBUS;
static struct ratmem_param_choice ratmem_violation_policy_param = {
	.words = ratmem_violation_policies,
	.count = ARRAY_SIZE(ratmem_violation_policies),
	.value = &ratmem_violation_policy,
};

module_param_cb(violation_policy, &ratmem_param_choice_ops, &ratmem_violation_policy_param,
		0644);
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
	return READ_ONCE(ratmem_violation_policy) == RATMEM_VIOLATION_KILL;
}
