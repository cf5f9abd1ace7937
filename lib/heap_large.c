// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: large heap allocations, each a ratmem region of its own.
 *
 * The region reserves twice the rounded request and commits only the
 * pages asked for, so that RatMemRealloc() can grow the block in place
 * by committing more pages (fresh pages read as zero) instead of
 * copying. Shrinking decommits the whole pages past the new end.
 * Freeing destroys the region: its pages go back to the kernel at once.
 *
 * The page map points every page of the reservation at the descriptor,
 * so a pointer is known in O(1), and any address inside the allocation
 * other than the one handed out is known as this block's and refused. Descriptors are
 * reused, never unmapped.
 */
#include <string.h>
#include <sys/mman.h>

#include "heap_internal.h"

#define HEAP_RIGHTS	(RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP)
#define BATCH		64

static struct rat_large *large_list;	/* live ones */
static struct rat_large *large_pool;	/* descriptors to reuse (by next) */

static struct rat_large *desc_get(void)
{
	struct rat_large *l = large_pool;

	if (!l) {
		l = rat_meta_alloc(BATCH * sizeof(*l));
		if (!l)
			return NULL;
		for (int i = 1; i < BATCH; i++) {
			l[i].next = large_pool;
			large_pool = &l[i];
		}
		return l;
	}
	large_pool = l->next;
	return l;
}

static void desc_put(struct rat_large *l)
{
	l->live = 0;
	l->next = large_pool;
	large_pool = l;
}

static size_t page_up(size_t n)
{
	size_t page = rat_page_size();

	return (n + page - 1) & ~(page - 1);
}

RatStatus rat_large_alloc(size_t n, size_t align, void **out)
{
	size_t page = rat_page_size(), pad = align > page ? align - page : 0;
	size_t used, need, reserve;
	struct rat_large *l;
	struct rat_region r;
	RatStatus st;
	char *user;

	if (pad > SIZE_MAX / 4 || n > SIZE_MAX / 4 - pad)
		return RAT_STATUS_INVALID_ARG;
	/* A 0-byte request (aligned past a page) still gets a page. */
	used = n ? n : 1;
	need = page_up(used + pad);
	reserve = need * 2;
	st = rat_region_new(&r, reserve, HEAP_RIGHTS, 0, PROT_READ | PROT_WRITE);
	if (st != RAT_STATUS_OK)
		return st;
	user = (char *)(((uintptr_t)r.addr + align - 1) & ~(uintptr_t)(align - 1));
	st = rat_region_range(&r, 1, 0, page_up((size_t)(user - (char *)r.addr) + used));
	if (st != RAT_STATUS_OK) {
		rat_region_destroy(&r);
		return st;
	}
	pthread_mutex_lock(&rat_heap_lock);
	l = desc_get();
	/* Every page of the reservation: an interior pointer is then known
	 * as this block's (and refused), not taken for someone else's. */
	if (!l || rat_pagemap_set(r.addr, r.size, l) < 0) {
		if (l)
			desc_put(l);
		pthread_mutex_unlock(&rat_heap_lock);
		rat_region_destroy(&r);
		return RAT_STATUS_NO_MEMORY;
	}
	l->kind = RAT_HEAP_LARGE;
	l->region = r;
	l->user = user;
	l->req = n;
	l->committed = page_up((size_t)(user - (char *)r.addr) + used);
	l->prev = NULL;
	l->next = large_list;
	if (large_list)
		large_list->prev = l;
	large_list = l;
	l->live = 1;
	pthread_mutex_unlock(&rat_heap_lock);
	*out = user;
	return RAT_STATUS_OK;
}

RatStatus rat_large_free(struct rat_large *l, void *p, size_t *req)
{
	struct rat_region r;

	pthread_mutex_lock(&rat_heap_lock);
	if (!l->live || l->user != p) {
		pthread_mutex_unlock(&rat_heap_lock);
		return RAT_STATUS_INVALID_ARG;
	}
	rat_pagemap_set(l->region.addr, l->region.size, NULL);
	if (l->prev)
		l->prev->next = l->next;
	else
		large_list = l->next;
	if (l->next)
		l->next->prev = l->prev;
	r = l->region;
	*req = l->req;
	desc_put(l);
	pthread_mutex_unlock(&rat_heap_lock);
	rat_region_destroy(&r);
	return RAT_STATUS_OK;
}

int rat_large_resize(struct rat_large *l, void *p, size_t n, size_t *old)
{
	size_t off, end, keep;
	int ret = 1;

	pthread_mutex_lock(&rat_heap_lock);
	if (!l->live || l->user != p) {
		pthread_mutex_unlock(&rat_heap_lock);
		return -1;
	}
	off = (size_t)(l->user - (char *)l->region.addr);
	*old = l->req;
	if (n > l->region.size - off) {
		ret = 0;		/* past the reservation: move */
		goto out;
	}
	end = page_up(off + n);
	if (n > l->req) {
		/* Bytes between the old size and the old committed end may
		 * have been written (usable size); new pages read as zero. */
		keep = l->committed - off;
		if (end > l->committed) {
			if (rat_region_range(&l->region, 1, l->committed,
					     end - l->committed) != RAT_STATUS_OK) {
				ret = 0;	/* no commit (quota?): try a move */
				goto out;
			}
			l->committed = end;
		}
		memset(l->user + l->req, 0, (n < keep ? n : keep) - l->req);
	} else {
		/* What lies past n is zeroed when the block grows again. */
		if (end < l->committed &&
		    rat_region_range(&l->region, 0, end, l->committed - end) == RAT_STATUS_OK)
			l->committed = end;
	}
	l->req = n;
out:
	pthread_mutex_unlock(&rat_heap_lock);
	return ret;
}

size_t rat_large_size(struct rat_large *l, const void *p, int usable)
{
	size_t n = 0;

	pthread_mutex_lock(&rat_heap_lock);
	if (l->live && l->user == p) {
		n = usable ? l->committed - (size_t)(l->user - (char *)l->region.addr) : l->req;
		/* The caller may use it all now: a resize keeps it all. */
		if (usable)
			l->req = n;
	}
	pthread_mutex_unlock(&rat_heap_lock);
	return n;
}

int rat_large_live(struct rat_large *l, const void *p)
{
	int live;

	pthread_mutex_lock(&rat_heap_lock);
	live = l->live && l->user == p;
	pthread_mutex_unlock(&rat_heap_lock);
	return live;
}

void rat_large_totals(struct rat_heap_totals *t)
{
	for (struct rat_large *l = large_list; l; l = l->next) {
		t->committed += l->committed;
		t->in_use += l->req;
		t->allocations++;
	}
}

void rat_large_visit(void (*fn)(void *p, size_t req, void *arg), void *arg)
{
	for (struct rat_large *l = large_list; l; l = l->next)
		fn(l->user, l->req, arg);
}

void rat_large_forget_all(void)
{
	large_list = NULL;
	large_pool = NULL;
}
