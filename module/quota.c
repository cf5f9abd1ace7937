// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: RATMEM_IOC_QUOTA, reading and setting a process's limits
 * (docs/abi.md, "RATMEM_IOC_QUOTA (nr 0x10)").
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "account.h"
#include "compat.h"
#include "ioctl.h"
#include "quota_rules.h"

/*
 * The process @pidfd names (-1: the caller), with a reference. Unlike
 * GRANT, an exited process is fine: its account lives on while its
 * regions and grants do. A process pidfd holds the thread group's pid;
 * a thread pidfd is turned into its process while the thread lives.
 */
static struct pid *ratmem_quota_target(int pidfd)
{
	struct task_struct *task;
	struct pid *pid, *tgid;

	if (pidfd == -1)
		return get_pid(task_tgid(current));
	pid = ratmem_pidfd_get_pid(pidfd);
	if (IS_ERR(pid))
		return pid;
	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task)
		return pid;
	tgid = get_task_pid(task, PIDTYPE_TGID);
	put_task_struct(task);
	put_pid(pid);
	return tgid ? tgid : ERR_PTR(-ESRCH);
}

/**
 * ratmem_ioctl_quota() - RATMEM_IOC_QUOTA: read or change limits
 * @uarg: user pointer to struct ratmem_quota
 *
 * Reading another process, and any change that raises a limit or
 * touches another process, needs CAP_SYS_RESOURCE. The capability is
 * checked only when it is needed, so an unprivileged caller lowering its
 * own limits leaves no audit trail of a denied capability.
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_quota(void __user *uarg)
{
	struct ratmem_quota q;
	struct ratmem_acct *acct;
	struct pid *target;
	unsigned int res;
	bool self;
	int ret;

	if (copy_from_user(&q, uarg, sizeof(q)))
		return -EFAULT;
	ret = ratmem_check_quota_args(&q);
	if (ret)
		return ret;
	target = ratmem_quota_target(q.pidfd);
	if (IS_ERR(target))
		return PTR_ERR(target);
	self = target == task_tgid(current);
	if (!self && !capable(CAP_SYS_RESOURCE)) {
		put_pid(target);
		return -EPERM;
	}
	acct = ratmem_acct_find(target);
	put_pid(target);
	if (!acct)
		return -ESRCH;

	if (q.set_mask) {
		for (res = 0; res < RATMEM_RES_COUNT; res++)
			q.limit[res] = ratmem_quota_limit_round(res, q.limit[res]);
		/* Another process's limits were checked above. */
		ret = ratmem_acct_set_limits(acct, q.set_mask, q.limit, !self);
		if (ret == -EPERM && capable(CAP_SYS_RESOURCE))
			ret = ratmem_acct_set_limits(acct, q.set_mask, q.limit, true);
		if (ret)
			goto out;
	}
	ratmem_acct_read(acct, q.usage, q.limit);
	if (copy_to_user(uarg, &q, sizeof(q)))
		ret = -EFAULT;
out:
	ratmem_acct_put(acct);
	return ret;
}
