// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the process's default context.
 *
 * A context is bound to the process that opened it, so a forked child
 * must not use its parent's descriptor: the child drops it (without
 * closing the parent's open file description's binding, which stays
 * the parent's) and opens its own on first use.
 *
 * Each open of the default context starts a new generation. Memory
 * objects remember the generation their handle belongs to: once the
 * context is closed (RatShutdown(), or a fork), the handle number is
 * meaningless and rat_ctx_lock_gen() refuses it, so a later context's
 * handle with the same number is never touched by mistake.
 */
#include <pthread.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "rat.h"
#include "rat_internal.h"

static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static int ctx_fd = -1;
static pid_t ctx_pid;		/* process that opened ctx_fd */
static uint64_t ctx_gen;	/* generation of ctx_fd; counts every open */
static RatApiInfo ctx_info;

/* Drop the context's descriptor (called with ctx_lock held). */
static void ctx_forget_locked(void)
{
	if (ctx_fd >= 0)
		close(ctx_fd);
	ctx_fd = -1;
	ctx_pid = 0;
	memset(&ctx_info, 0, sizeof(ctx_info));
}

void rat_ctx_fork_prepare(void)
{
	pthread_mutex_lock(&ctx_lock);
}

void rat_ctx_fork_parent(void)
{
	pthread_mutex_unlock(&ctx_lock);
}

void rat_ctx_fork_child(void)
{
	/* The prepare handler took ctx_lock in the forking thread, which
	 * is the child's only thread: drop the parent's context, unlock. */
	ctx_forget_locked();
	pthread_mutex_unlock(&ctx_lock);
}

/* Is ctx_fd open and this process's? Called with ctx_lock held. */
static int ctx_is_ours_locked(void)
{
	return ctx_fd >= 0 && ctx_pid == getpid();
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
	ctx_gen++;
	return RAT_STATUS_OK;
}

RatStatus rat_ctx_lock(uint64_t features, int *fd, uint64_t *gen)
{
	RatStatus st;

	rat_fork_register();
	pthread_mutex_lock(&ctx_lock);
	st = ctx_open_locked();
	if (st == RAT_STATUS_OK && (ctx_info.features & features) != features)
		st = RAT_STATUS_UNSUPPORTED;
	if (st != RAT_STATUS_OK) {
		pthread_mutex_unlock(&ctx_lock);
		return st;
	}
	*fd = ctx_fd;
	*gen = ctx_gen;
	return RAT_STATUS_OK;
}

int rat_ctx_lock_gen(uint64_t gen)
{
	pthread_mutex_lock(&ctx_lock);
	return ctx_is_ours_locked() && ctx_gen == gen ? ctx_fd : -1;
}

void rat_ctx_unlock(void)
{
	pthread_mutex_unlock(&ctx_lock);
}

RatStatus RatInit(void)
{
	RatStatus st;

	rat_fork_register();
	pthread_mutex_lock(&ctx_lock);
	st = ctx_open_locked();
	pthread_mutex_unlock(&ctx_lock);
	return rat_set_status(st);
}

RatStatus RatShutdown(void)
{
	int ret = 0;

	/* Empty heap arenas go first, while their handles still exist. */
	rat_heap_trim();
	pthread_mutex_lock(&ctx_lock);
	if (ctx_is_ours_locked())
		ret = rat_close(ctx_fd);
	ctx_forget_locked();
	pthread_mutex_unlock(&ctx_lock);
	return rat_set_status(RatStatusFromErrno(ret));
}

RatStatus RatQueryApi(RatApiInfo *info)
{
	RatStatus st;

	if (!info)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	rat_fork_register();
	pthread_mutex_lock(&ctx_lock);
	st = ctx_open_locked();
	if (st == RAT_STATUS_OK)
		*info = ctx_info;
	pthread_mutex_unlock(&ctx_lock);
	return rat_set_status(st);
}
