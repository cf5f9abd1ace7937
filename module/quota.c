// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the worker of RATMEM_IOC_QUOTA, reading and setting a process's limits
 * (docs/abi.md, "RATMEM_IOC_QUOTA (nr 0x10)").
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/ratmem.h>

#include "proc_quota.h"
#include "pidfd.h"
#include "quota.h"
#include "quota_rules.h"

/**
 * ratmem_quota_apply() - RATMEM_IOC_QUOTA: read or change limits
 * @q: the caller's arguments, checked (ratmem_check_quota_args()); the
 *	limits and usage are written back into it
 *
 * Reading another process, and any change that raises a limit or
 * touches another process, needs CAP_SYS_RESOURCE. The capability is
 * checked only when it is needed, so an unprivileged caller lowering its
 * own limits leaves no audit trail of a denied capability.
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_quota_apply(struct ratmem_quota *q)
{
	struct ratmem_proc_quota *quota;
	struct pid *target;
	unsigned int res;
	bool self;
	int ret = 0;

	/* -1: the caller. An exited process is fine: see ratmem_pidfd_process(). */
	target = q->pidfd == -1 ? get_pid(task_tgid(current)) :
				  ratmem_pidfd_process(q->pidfd, false);
	if (IS_ERR(target))
		return PTR_ERR(target);
	self = target == task_tgid(current);
	if (!self && !capable(CAP_SYS_RESOURCE)) {
		put_pid(target);
		return -EPERM;
	}
	quota = ratmem_quota_find(target);
	put_pid(target);
	if (!quota)
		return -ESRCH;

	if (q->set_mask) {
		for (res = 0; res < RATMEM_RES_COUNT; res++)
			q->limit[res] = ratmem_quota_limit_round(res, q->limit[res]);
		/* Another process's limits were checked above. */
		ret = ratmem_quota_set_limits(quota, q->set_mask, q->limit, !self);
		if (ret == -EPERM && capable(CAP_SYS_RESOURCE))
			ret = ratmem_quota_set_limits(quota, q->set_mask, q->limit, true);
		if (ret)
			goto out;
	}
	ratmem_quota_read(quota, q->usage, q->limit);
out:
	ratmem_quota_put(quota);
	return ret;
}
