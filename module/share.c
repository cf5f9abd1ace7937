// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: GRANT, ACCEPT and REVOKE (docs/abi.md, "Capabilities and
 * revoked handles" and the sections of the three commands).
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "compat.h"
#include "context.h"
#include "handle.h"
#include "ioctl.h"
#include "notify.h"
#include "region.h"
#include "revoke.h"
#include "validate.h"

/**
 * ratmem_pidfd_process() - the live process a pidfd names
 * @pidfd: a pidfd of the caller, of a process or of one of its threads
 *
 * Context: process context.
 * Return: the thread group's pid with a reference, or an ERR_PTR():
 * -EBADF, -EINVAL (not a pidfd) or -ESRCH (the process has exited).
 */
static struct pid *ratmem_pidfd_process(int pidfd)
{
	struct task_struct *task;
	struct pid *pid, *tgid;

	pid = ratmem_pidfd_get_pid(pidfd);
	if (IS_ERR(pid))
		return pid;
	/* A thread pidfd (PIDFD_THREAD) names its whole process. */
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return ERR_PTR(-ESRCH);
	/*
	 * An exited process (a zombie) could never accept. A thread's exit
	 * state says nothing about its process: a main thread that called
	 * pthread_exit() stays a zombie while the other threads run, so ask
	 * whether any thread of the group is still alive.
	 */
	if (!atomic_read(&task->signal->live)) {
		put_task_struct(task);
		return ERR_PTR(-ESRCH);
	}
	tgid = get_task_pid(task, PIDTYPE_TGID);
	put_task_struct(task);
	return tgid ? tgid : ERR_PTR(-ESRCH);
}

/**
 * ratmem_ioctl_grant() - RATMEM_IOC_GRANT: share a region with one process
 * @ctx: the caller's context
 * @uarg: user pointer to struct ratmem_grant
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_grant(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_cap *cap, *grant;
	struct ratmem_grant g;
	struct pid *target;
	u32 rights;
	int ret;

	if (copy_from_user(&g, uarg, sizeof(g)))
		return -EFAULT;
	ret = ratmem_check_grant_args(&g);
	if (ret)
		return ret;
	ret = ratmem_handle_lookup(ctx, g.handle, &cap, &rights);
	if (ret)
		return ret;
	ret = ratmem_check_grant_rights(rights, g.rights);
	if (ret)
		goto out_put;
	target = ratmem_pidfd_process(g.pidfd);
	if (IS_ERR(target)) {
		ret = PTR_ERR(target);
		goto out_put;
	}
	ret = ratmem_cap_create_child(cap, RATMEM_CAP_GRANT, g.rights, target, ctx, ctx->acct,
				      &grant);
	put_pid(target);
	if (ret)
		goto out_put;
	ratmem_notify(RATMEM_EVENT_GRANT, grant);
	g.cap_id = grant->ent.id;
	if (copy_to_user(uarg, &g, sizeof(g))) {
		/* Nobody learnt the id: take the grant back. */
		ratmem_revoke(grant, true);
		ret = -EFAULT;
	}
	ratmem_cap_put(grant);
out_put:
	ratmem_cap_put(cap);
	return ret;
}

/**
 * ratmem_ioctl_accept() - RATMEM_IOC_ACCEPT: turn a capability into a handle
 * @ctx: the caller's context
 * @uarg: user pointer to struct ratmem_accept
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_accept(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_handle_slot slot;
	struct ratmem_accept a;
	struct ratmem_cap *cap;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	ret = ratmem_check_accept_args(&a);
	if (ret)
		return ret;
	cap = ratmem_cap_find_grant(a.cap_id);
	if (!cap)
		return -ENOENT;
	/* Someone else's capability looks exactly like a missing one. */
	if (cap->pid != task_tgid(current)) {
		ret = -ENOENT;
		goto out_put;
	}
	ret = ratmem_handle_reserve(ctx, cap->region, &slot);
	if (ret)
		goto out_put;
	ret = ratmem_cap_accept(cap, ctx->acct);
	if (ret) {
		ratmem_handle_cancel(ctx, &slot);
		goto out_put;
	}
	a.handle = slot.nr;
	a.rights = cap->rights;
	a.pad = 0;
	a.region_id = cap->region->id;
	a.size = cap->region->size;
	if (copy_to_user(uarg, &a, sizeof(a))) {
		/*
		 * The handle was never usable, so nobody can hold a copy:
		 * undo, and the target may accept again.
		 */
		ratmem_handle_cancel(ctx, &slot);
		ratmem_cap_unaccept(cap);
		ret = -EFAULT;
		goto out_put;
	}
	/* Until revoked, the grant itself is a live user: never drained here. */
	ret = ratmem_cap_use_live(cap);
	if (ret) {
		ratmem_handle_cancel(ctx, &slot);
		ratmem_cap_unaccept(cap);
		goto out_put;
	}
	ratmem_cap_get(cap);
	ratmem_handle_publish(ctx, &slot, cap, cap->rights);
	ratmem_notify(RATMEM_EVENT_ACCEPT, cap);
out_put:
	ratmem_cap_put(cap);
	return ret;
}

/**
 * ratmem_ioctl_revoke() - RATMEM_IOC_REVOKE: revoke a capability
 * @ctx: the caller's context
 * @uarg: user pointer to struct ratmem_revoke
 *
 * Context: process context; may sleep. Takes the locks of ratmem_revoke().
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_revoke(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_cap *via, *cap;
	struct ratmem_revoke r;
	u32 rights;
	int ret;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	ret = ratmem_check_revoke_args(&r);
	if (ret)
		return ret;
	ret = ratmem_handle_lookup(ctx, r.handle, &via, &rights);
	if (ret)
		return ret;
	if (!(rights & RATMEM_RIGHT_GRANT)) {
		ret = -EPERM;
		goto out_via;
	}
	cap = ratmem_cap_find_grant(r.cap_id);
	if (!cap) {
		/* Perhaps revoked already: ENOENT once that is complete. */
		ret = ratmem_region_finish_revokes(via->region, true);
		if (!ret)
			ret = -ENOENT;
		goto out_via;
	}
	/* Only the granter's line (and so the owner) may take it back. */
	if (ratmem_cap_is_below(cap, via))
		ret = ratmem_revoke(cap, true);
	else
		ret = -ENOENT;
	ratmem_cap_put(cap);
out_via:
	ratmem_cap_put(via);
	return ret;
}
