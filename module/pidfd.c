// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: turning a pidfd into the process (thread group) it names.
 */
#include <linux/err.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "compat.h"
#include "pidfd.h"

/**
 * ratmem_pidfd_process() - the process a pidfd names
 * @pidfd: a pidfd of the caller, of a process or of one of its threads
 * @live: the process must still run. GRANT asks this: an exited process
 *	(a zombie) could never accept. QUOTA does not: a quota lives on
 *	while its regions and grants do.
 *
 * A thread pidfd (PIDFD_THREAD) names its whole process while the thread
 * lives. Once it has gone, the thread's own pid is returned (when @live
 * is false), which names no quota.
 *
 * Context: process context.
 * Return: the thread group's pid with a reference, or an ERR_PTR():
 * -EBADF, -EINVAL (not a pidfd) or -ESRCH (@live and the process has
 * exited).
 */
struct pid *ratmem_pidfd_process(int pidfd, bool live)
{
	struct task_struct *task;
	struct pid *pid, *tgid;

	pid = ratmem_pidfd_get_pid(pidfd);
	if (IS_ERR(pid))
		return pid;
	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task) {
		if (!live)
			return pid;
		put_pid(pid);
		return ERR_PTR(-ESRCH);
	}
	put_pid(pid);
	/*
	 * A thread's exit state says nothing about its process: a main
	 * thread that called pthread_exit() stays a zombie while the other
	 * threads run, so ask whether any thread of the group is alive.
	 */
	if (live && !atomic_read(&task->signal->live)) {
		put_task_struct(task);
		return ERR_PTR(-ESRCH);
	}
	tgid = get_task_pid(task, PIDTYPE_TGID);
	put_task_struct(task);
	return tgid ? tgid : ERR_PTR(-ESRCH);
}
