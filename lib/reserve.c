// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: reservations (RatMemReserve, RatMemAllocate, RatMemCommit,
 * RatMemProtect, RatMemDecommit, RatMemRelease).
 *
 * A reservation is one region with READ, WRITE, EXEC and MAP rights (and
 * GRANT unless it is RAT_MEM_PRIVATE), mapped over its whole size:
 * PROT_NONE and uncommitted, unless RatMemAllocate() committed it:
 * the kernel then lets each part of that mapping become writable or
 * executable later (never both at once, anywhere in the region). The
 * pointer calls find their reservation in res_table, a sorted table
 * under res_lock: read-locked for the whole of a call that uses a
 * reservation, so RatMemRelease() (write-locked) cannot close a handle
 * that another thread's call is using.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rat_internal.h"

#define PRIVATE_RIGHTS (RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_EXEC | \
			RATMEM_RIGHT_MAP)
#define RESERVE_RIGHTS (PRIVATE_RIGHTS | RATMEM_RIGHT_GRANT)

/* One reservation: res_table's objects. */
struct res {
	struct rat_region region;
	uint32_t rights;	/* RATMEM_RIGHT_* of region.handle */
	HMEM lent;		/* made by RatMemHandleOf(), or NULL */
};

static pthread_rwlock_t res_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct rat_ptrtable res_table;
/* The process whose reservations res_table lists; a child made without
 * fork() (no atfork handler) sees none of them. */
static pid_t res_pid;

/* A page range of one reservation, found by pointer. */
struct res_range {
	struct rat_region *region;
	uintptr_t start;	/* page aligned */
	size_t length;		/* page multiple, non-zero */
};

/* Free what a table copied from the parent describes (the mappings and
 * handles are not the child's). Called with res_lock held for write. */
static void res_forget_all_locked(void)
{
	for (size_t i = 0; i < res_table.n; i++) {
		struct res *r = res_table.v[i].obj;

		free(r->lent);
		free(r);
	}
	rat_ptrtable_clear(&res_table);
	res_pid = getpid();
}

void rat_reserve_fork_prepare(void)
{
	pthread_rwlock_wrlock(&res_lock);
}

void rat_reserve_fork_parent(void)
{
	pthread_rwlock_unlock(&res_lock);
}

void rat_reserve_fork_child(void)
{
	res_forget_all_locked();
	/* The lock's owner was the parent's thread: start with a fresh one. */
	pthread_rwlock_init(&res_lock, NULL);
}

/*
 * The pages holding [ptr, ptr + size) of the reservation containing ptr.
 * Called with res_lock held. NULL ptr or size 0: RAT_STATUS_INVALID_ARG;
 * ptr in no reservation: RAT_STATUS_NOT_FOUND; a range running past the
 * reservation's end: RAT_STATUS_INVALID_ARG.
 */
static RatStatus res_find_range_locked(const void *ptr, size_t size, struct res_range *out)
{
	uintptr_t p = (uintptr_t)ptr, page = rat_page_size(), end, last;
	const struct rat_ptrentry *e;

	if (!ptr || size == 0)
		return RAT_STATUS_INVALID_ARG;
	e = res_pid == getpid() ? rat_ptrtable_find(&res_table, p) : NULL;
	if (!e)
		return RAT_STATUS_NOT_FOUND;
	if (size > e->base + e->size - p)
		return RAT_STATUS_INVALID_ARG;
	end = p + size;
	last = (end + page - 1) & ~(page - 1);
	out->region = &((struct res *)e->obj)->region;
	out->start = p & ~(page - 1);
	out->length = last - out->start;
	return RAT_STATUS_OK;
}

/* A new reservation of size bytes, listed in res_table; its base or NULL. */
static void *res_new(size_t size, uint32_t rights, uint32_t flags, int prot)
{
	struct res *r;
	size_t rounded;
	RatStatus st;

	st = rat_round_size(size, &rounded);
	if (st != RAT_STATUS_OK) {
		rat_set_status(st);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		rat_set_status(RAT_STATUS_NO_MEMORY);
		return NULL;
	}
	r->rights = rights;
	st = rat_region_new(&r->region, rounded, rights, flags, prot);
	if (st != RAT_STATUS_OK) {
		free(r);
		rat_set_status(st);
		return NULL;
	}
	pthread_rwlock_wrlock(&res_lock);
	if (res_pid != getpid())
		res_forget_all_locked();
	if (rat_ptrtable_insert(&res_table, (uintptr_t)r->region.addr, r->region.size, r) < 0)
		st = RAT_STATUS_NO_MEMORY;
	pthread_rwlock_unlock(&res_lock);
	if (st != RAT_STATUS_OK) {
		rat_region_destroy(&r->region);
		free(r);
		rat_set_status(st);
		return NULL;
	}
	rat_set_status(RAT_STATUS_OK);
	return r->region.addr;
}

RatMemPtr RatMemReserve(size_t size)
{
	return res_new(size, RESERVE_RIGHTS, 0, PROT_NONE);
}

RatMemPtr RatMemAllocate(size_t size, RatMemAllocType type, RatMemMapType map, int prot)
{
	uint32_t rights;
	RatStatus st;
	int mprot;

	st = rat_prot_from_flags(prot, &mprot);
	if (st == RAT_STATUS_OK &&
	    ((type != RAT_MEM_COMMIT && type != RAT_MEM_RESERVE) ||
	     (map != RAT_MEM_PRIVATE && map != RAT_MEM_SHARED) ||
	     (type == RAT_MEM_RESERVE && prot != RAT_MEM_NONE)))
		st = RAT_STATUS_INVALID_ARG;
	if (st != RAT_STATUS_OK) {
		rat_set_status(st);
		return NULL;
	}
	rights = map == RAT_MEM_SHARED ? RESERVE_RIGHTS : PRIVATE_RIGHTS;
	if (type == RAT_MEM_RESERVE)
		return res_new(size, rights, 0, PROT_NONE);
	return res_new(size, rights, RATMEM_CREATE_COMMIT, mprot);
}

HMEM rat_reserve_handle_of(const void *ptr)
{
	const struct rat_ptrentry *e;
	struct res *r;
	HMEM mem = NULL;

	pthread_rwlock_wrlock(&res_lock);
	e = res_pid == getpid() ? rat_ptrtable_find(&res_table, (uintptr_t)ptr) : NULL;
	if (e) {
		r = e->obj;
		if (!r->lent) {
			r->lent = calloc(1, sizeof(*r->lent));
			if (r->lent) {
				/* The reservation's own handle and mapping, not a copy. */
				r->lent->region = r->region;
				r->lent->rights = r->rights;
				r->lent->prot = PROT_READ | PROT_WRITE;
				r->lent->lent = 1;
			}
		}
		mem = r->lent;
		rat_set_status(mem ? RAT_STATUS_OK : RAT_STATUS_NO_MEMORY);
	} else {
		rat_set_status(RAT_STATUS_NOT_FOUND);
	}
	pthread_rwlock_unlock(&res_lock);
	return mem;
}

/* mprotect() as a RatStatus, errno untouched. */
static RatStatus res_mprotect(uintptr_t start, size_t length, int prot)
{
	int saved = errno;
	RatStatus st = RAT_STATUS_OK;

	if (mprotect((void *)start, length, prot) < 0)
		st = RatStatusFromErrno(-errno);
	errno = saved;
	return st;
}

/* Commit (when @commit) and then set @prot on the pages covering [ptr, ptr + size). */
static RatStatus res_commit_protect(void *ptr, size_t size, int prot, int commit)
{
	struct res_range range;
	RatStatus st;
	int mprot;

	st = rat_prot_from_flags(prot, &mprot);
	if (st != RAT_STATUS_OK)
		return st;
	pthread_rwlock_rdlock(&res_lock);
	st = res_find_range_locked(ptr, size, &range);
	/* Not a reservation: perhaps a file view (RatMemProtect() only). */
	if (st == RAT_STATUS_NOT_FOUND && !commit) {
		st = rat_fileview_protect(ptr, size, prot);
		pthread_rwlock_unlock(&res_lock);
		return st;
	}
	if (st == RAT_STATUS_OK && commit)
		st = rat_region_range(range.region, 1,
				      range.start - (uintptr_t)range.region->addr, range.length);
	if (st == RAT_STATUS_OK)
		st = res_mprotect(range.start, range.length, mprot);
	pthread_rwlock_unlock(&res_lock);
	return st;
}

RatStatus RatMemCommit(void *ptr, size_t size, int prot)
{
	return rat_set_status(res_commit_protect(ptr, size, prot, 1));
}

RatStatus RatMemProtect(void *ptr, size_t size, int prot)
{
	return rat_set_status(res_commit_protect(ptr, size, prot, 0));
}

RatStatus RatMemDecommit(void *ptr, size_t size)
{
	struct res_range range;
	RatStatus st;

	pthread_rwlock_rdlock(&res_lock);
	st = res_find_range_locked(ptr, size, &range);
	if (st == RAT_STATUS_OK)
		st = rat_region_range(range.region, 0,
				      range.start - (uintptr_t)range.region->addr, range.length);
	pthread_rwlock_unlock(&res_lock);
	return rat_set_status(st);
}

RatStatus RatMemRelease(void *ptr, size_t size)
{
	const struct rat_ptrentry *e;
	struct res *r = NULL;
	size_t rounded;
	RatStatus st = RAT_STATUS_OK;

	if (!ptr)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	pthread_rwlock_wrlock(&res_lock);
	e = res_pid == getpid() ? rat_ptrtable_find(&res_table, (uintptr_t)ptr) : NULL;
	if (!e)
		st = RAT_STATUS_NOT_FOUND;
	else if (e->base != (uintptr_t)ptr)
		st = RAT_STATUS_INVALID_ARG;
	else if (size && (rat_round_size(size, &rounded) != RAT_STATUS_OK || rounded != e->size))
		st = RAT_STATUS_INVALID_ARG;
	else
		r = rat_ptrtable_remove(&res_table, e->base);
	pthread_rwlock_unlock(&res_lock);
	if (st == RAT_STATUS_NOT_FOUND)
		st = rat_fileview_release(ptr, size);
	if (r) {
		rat_region_destroy(&r->region);
		free(r->lent);
		free(r);
	}
	return rat_set_status(st);
}
