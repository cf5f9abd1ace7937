// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the specification's shared memory, by pointer
 * (RatSharedMemCreate, RatSharedMemOpen, RatSharedMemClose,
 * RatSharedMemUnlink), and RatMemHandleOf().
 *
 * Each pointer is the mapping of an HMEM from named.c, lent to the
 * pointer: view_table (sorted by address, under view_lock) finds the
 * HMEM from any address inside the mapping. Lock order: view_lock is
 * taken after res_lock and before the context lock, never while calling
 * into named.c or hmem.c, which take the context lock themselves.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "rat_internal.h"

/* What RatSharedMemCreate() gives: only the creating user may open it. */
#define VIEW_MODE 0600

static pthread_mutex_t view_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rat_ptrtable view_table;
/* The process whose mappings view_table lists. */
static pid_t view_pid;

/* Drop a table copied from the parent: its mappings are not ours, its
 * handles are the parent's. Called with view_lock held. */
static void view_forget_all_locked(void)
{
	for (size_t i = 0; i < view_table.n; i++)
		free(view_table.v[i].obj);
	rat_ptrtable_clear(&view_table);
	view_pid = getpid();
}

void rat_view_fork_prepare(void)
{
	pthread_mutex_lock(&view_lock);
}

void rat_view_fork_parent(void)
{
	pthread_mutex_unlock(&view_lock);
}

void rat_view_fork_child(void)
{
	view_forget_all_locked();
	pthread_mutex_init(&view_lock, NULL);
}

/* Map mem, lend it to its address and return that address; on failure
 * mem is freed and NULL returned. Sets the last error either way. */
static RatMemPtr view_add(HMEM mem)
{
	RatStatus st;
	void *addr;

	if (!mem)
		return NULL;	/* the status is set */
	addr = RatMapMemory(mem);
	if (!addr) {
		st = RatGetLastError();
		RatFreeMemory(mem);
		rat_set_status(st);
		return NULL;
	}
	pthread_mutex_lock(&view_lock);
	if (view_pid != getpid())
		view_forget_all_locked();
	st = rat_ptrtable_insert(&view_table, (uintptr_t)addr, mem->region.size, mem) < 0 ?
		RAT_STATUS_NO_MEMORY : RAT_STATUS_OK;
	if (st == RAT_STATUS_OK)
		mem->lent = 1;
	pthread_mutex_unlock(&view_lock);
	if (st != RAT_STATUS_OK) {
		RatFreeMemory(mem);
		addr = NULL;
	}
	rat_set_status(st);
	return addr;
}

RatMemPtr RatSharedMemCreate(const char *name, size_t size)
{
	HMEM mem = RatSharedMemCreateEx(name, size, VIEW_MODE);
	RatMemPtr p;
	RatStatus st;

	if (!mem)
		return NULL;
	p = view_add(mem);
	if (!p) {
		/* Nobody has the region: the name must not stay behind. */
		st = RatGetLastError();
		RatSharedMemUnlinkEx(name, 0);
		rat_set_status(st);
	}
	return p;
}

/* What RatSharedMemOpen() asks for, most first: the mode decides about
 * write, the region's maximum rights about share. */
static const int open_access[] = {
	RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_SHARE,
	RAT_MEM_READ | RAT_MEM_WRITE,
	RAT_MEM_READ | RAT_MEM_SHARE,
	RAT_MEM_READ,
};

RatMemPtr RatSharedMemOpen(const char *name)
{
	HMEM mem = NULL;

	for (size_t i = 0; i < sizeof(open_access) / sizeof(open_access[0]); i++) {
		mem = RatSharedMemOpenEx(name, open_access[i]);
		if (mem || RatGetLastError() != RAT_STATUS_PERMISSION)
			break;
	}
	return view_add(mem);
}

RatStatus RatSharedMemClose(RatMemPtr ptr)
{
	const struct rat_ptrentry *e;
	HMEM mem = NULL;
	RatStatus st = RAT_STATUS_OK;

	if (!ptr)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	pthread_mutex_lock(&view_lock);
	e = view_pid == getpid() ? rat_ptrtable_find(&view_table, (uintptr_t)ptr) : NULL;
	if (!e)
		st = RAT_STATUS_NOT_FOUND;
	else if (e->base != (uintptr_t)ptr)
		st = RAT_STATUS_INVALID_ARG;
	else
		mem = rat_ptrtable_remove(&view_table, e->base);
	pthread_mutex_unlock(&view_lock);
	if (!mem)
		return rat_set_status(st);
	mem->lent = 0;
	return RatFreeMemory(mem);
}

RatStatus RatSharedMemUnlink(const char *name)
{
	return RatSharedMemUnlinkEx(name, 0);
}

HMEM RatMemHandleOf(RatMemPtr ptr)
{
	const struct rat_ptrentry *e;
	HMEM mem = NULL;

	if (!ptr) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	pthread_mutex_lock(&view_lock);
	e = view_pid == getpid() ? rat_ptrtable_find(&view_table, (uintptr_t)ptr) : NULL;
	if (e)
		mem = e->obj;
	pthread_mutex_unlock(&view_lock);
	if (mem) {
		rat_set_status(RAT_STATUS_OK);
		return mem;
	}
	return rat_reserve_handle_of(ptr);
}
