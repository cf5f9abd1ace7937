// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the process's default context.
 *
 * A context is bound to the process that opened it, so a forked child
 * must not use its parent's descriptor: the child drops it (without
 * closing the parent's open file description's binding, which stays
 * the parent's) and opens its own on first use.
 */
#include <pthread.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "rat.h"
#include "rat_internal.h"

static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static int ctx_fd = -1;
static pid_t ctx_pid;	/* process that opened ctx_fd */
static RatApiInfo ctx_info;

/* Drop a descriptor inherited from the parent (called with ctx_lock held). */
static void ctx_forget_locked(void)
{
	if (ctx_fd >= 0)
		close(ctx_fd);
	ctx_fd = -1;
	ctx_pid = 0;
	memset(&ctx_info, 0, sizeof(ctx_info));
}

static void ctx_reset_in_child(void)
{
	/* The prepare handler took ctx_lock in the forking thread, which
	 * is the child's only thread: drop the parent's context, unlock. */
	ctx_forget_locked();
	pthread_mutex_unlock(&ctx_lock);
}

static void ctx_lock_for_fork(void)
{
	pthread_mutex_lock(&ctx_lock);
}

static void ctx_unlock_after_fork(void)
{
	pthread_mutex_unlock(&ctx_lock);
}

static void register_atfork(void)
{
	pthread_atfork(ctx_lock_for_fork, ctx_unlock_after_fork, ctx_reset_in_child);
}

/* Open and handshake; called with ctx_lock held. */
static RatStatus ctx_open_locked(void)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	int fd, ret;

	/* A child made without fork() (clone, vfork) skips the atfork
	 * handler; the pid tells that the descriptor is the parent's. */
	if (ctx_fd >= 0 && ctx_pid != getpid())
		ctx_forget_locked();
	if (ctx_fd >= 0)
		return RAT_STATUS_OK;
	fd = rat_open();
	if (fd < 0)
		return RatStatusFromErrno(fd);
	ret = rat_api(fd, &api);
	if (ret < 0) {
		rat_close(fd);
		return RatStatusFromErrno(ret);
	}
	ctx_info.abi_version = api.abi_version;
	ctx_info.features = api.features;
	ctx_info.ioctls = api.ioctls;
	ctx_fd = fd;
	ctx_pid = getpid();
	return RAT_STATUS_OK;
}

RatStatus RatInit(void)
{
	RatStatus st;

	pthread_once(&atfork_once, register_atfork);
	pthread_mutex_lock(&ctx_lock);
	st = ctx_open_locked();
	pthread_mutex_unlock(&ctx_lock);
	return rat_set_status(st);
}

RatStatus RatShutdown(void)
{
	int ret = 0;

	pthread_mutex_lock(&ctx_lock);
	if (ctx_fd >= 0)
		ret = rat_close(ctx_fd);
	ctx_fd = -1;
	ctx_pid = 0;
	memset(&ctx_info, 0, sizeof(ctx_info));
	pthread_mutex_unlock(&ctx_lock);
	return rat_set_status(RatStatusFromErrno(ret));
}

RatStatus RatQueryApi(RatApiInfo *info)
{
	RatStatus st;

	if (!info)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	pthread_once(&atfork_once, register_atfork);
	pthread_mutex_lock(&ctx_lock);
	st = ctx_open_locked();
	if (st == RAT_STATUS_OK)
		*info = ctx_info;
	pthread_mutex_unlock(&ctx_lock);
	return rat_set_status(st);
}
