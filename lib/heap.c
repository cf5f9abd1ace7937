// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the heap (RatMemAlloc, RatMemCalloc, RatMemRealloc,
 * RatMemFree), whose memory comes from ratmem regions.
 *
 * Memory is held in chunks, each a committed region mapped read-write:
 * 1 MiB arenas, carved into blocks by arena.c, serve requests up to
 * RAT_ARENA_MAX_BLOCK; a larger request gets a chunk of its own. Every
 * chunk is listed in heap_table by address, so a pointer leads to its
 * chunk. Everything reads as zero when handed out: regions start zeroed,
 * arena blocks are zeroed when freed, and realloc zeroes what it adds.
 *
 * One mutex, heap_lock, guards everything. One empty arena is kept for
 * reuse; RatShutdown() gives it back (rat_heap_trim()).
 *
 * Telemetry (heapstat.c reports it): live allocations and their bytes,
 * the bytes of the heap's regions, and, when RAT_HEAP_LEAKCHECK=1 is in
 * the environment at the process's first heap call, who made each live
 * allocation (callers, by address).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rat_internal.h"

#define HEAP_RIGHTS	(RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP)

/* An arena, or one large allocation. */
struct chunk {
	struct rat_region region;
	int is_arena;
	struct rat_arena arena;		/* arena: its blocks */
	size_t req;			/* large: bytes asked for */
	struct chunk *next, *prev;	/* arena: the arena list */
};

static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rat_ptrtable heap_table;	/* every chunk, by address */
static struct chunk *arenas;
static size_t empty_arenas;
static pid_t heap_pid;			/* the process the state above is of */
static size_t live_allocs, live_bytes, committed_bytes;
static int leakcheck = -1;		/* RAT_HEAP_LEAKCHECK=1; -1: not read yet */
static struct rat_ptrtable callers;	/* leak check: allocation -> caller */

/* ---- chunks --------------------------------------------------------- */

static void chunk_destroy(struct chunk *c)
{
	rat_ptrtable_remove(&heap_table, (uintptr_t)c->region.addr);
	if (c->is_arena) {
		if (c->prev)
			c->prev->next = c->next;
		else
			arenas = c->next;
		if (c->next)
			c->next->prev = c->prev;
	}
	committed_bytes -= c->region.size;
	rat_region_destroy(&c->region);
	free(c);
}

/* A new mapped, committed chunk of size bytes, listed in heap_table. */
static RatStatus chunk_new(size_t size, struct chunk **out)
{
	struct chunk *c = calloc(1, sizeof(*c));
	RatStatus st;

	if (!c)
		return RAT_STATUS_NO_MEMORY;
	st = rat_region_new(&c->region, size, HEAP_RIGHTS, RATMEM_CREATE_COMMIT,
			    PROT_READ | PROT_WRITE);
	if (st != RAT_STATUS_OK) {
		free(c);
		return st;
	}
	if (rat_ptrtable_insert(&heap_table, (uintptr_t)c->region.addr, size, c) < 0) {
		rat_region_destroy(&c->region);
		free(c);
		return RAT_STATUS_NO_MEMORY;
	}
	committed_bytes += size;
	*out = c;
	return RAT_STATUS_OK;
}

static RatStatus arena_new(struct chunk **out)
{
	struct chunk *a;
	RatStatus st = chunk_new(RAT_ARENA_SIZE, &a);

	if (st != RAT_STATUS_OK)
		return st;
	a->is_arena = 1;
	rat_arena_init(&a->arena, a->region.addr, RAT_ARENA_SIZE);
	a->next = arenas;
	if (arenas)
		arenas->prev = a;
	arenas = a;
	empty_arenas++;
	*out = a;
	return RAT_STATUS_OK;
}

/* ---- the heap's state ----------------------------------------------- */

/* Drop the state copied from the parent: its chunks are not mapped here
 * and their handles are the parent's. Called with heap_lock held. */
static void heap_forget_all_locked(void)
{
	for (size_t i = 0; i < heap_table.n; i++)
		free(heap_table.v[i].obj);
	rat_ptrtable_clear(&heap_table);
	rat_ptrtable_clear(&callers);
	arenas = NULL;
	empty_arenas = 0;
	live_allocs = live_bytes = committed_bytes = 0;
	leakcheck = -1;
	heap_pid = getpid();
}

/* Read RAT_HEAP_LEAKCHECK once per process; register the exit report. */
static void leakcheck_start_locked(void)
{
	static int registered;
	const char *env = getenv("RAT_HEAP_LEAKCHECK");

	leakcheck = env && strcmp(env, "1") == 0;
	if (leakcheck && !registered && atexit(rat_heap_leak_report) == 0)
		registered = 1;
}

/* Take heap_lock; a child made without fork() starts from nothing. */
static void heap_lock_checked(void)
{
	pthread_mutex_lock(&heap_lock);
	if (heap_pid != getpid())
		heap_forget_all_locked();
	if (leakcheck < 0)
		leakcheck_start_locked();
}

void rat_heap_fork_prepare(void)
{
	pthread_mutex_lock(&heap_lock);
}

void rat_heap_fork_parent(void)
{
	pthread_mutex_unlock(&heap_lock);
}

void rat_heap_fork_child(void)
{
	heap_forget_all_locked();
	/* The lock's owner was the parent's thread: start with a fresh one. */
	pthread_mutex_init(&heap_lock, NULL);
}

void rat_heap_trim(void)
{
	struct chunk *a, *next;

	heap_lock_checked();
	for (a = arenas; a; a = next) {
		next = a->next;
		if (rat_arena_is_empty(&a->arena))
			chunk_destroy(a);
	}
	empty_arenas = 0;
	pthread_mutex_unlock(&heap_lock);
}

/* ---- with heap_lock held -------------------------------------------- */

static RatStatus alloc_large(size_t n, void **out)
{
	struct chunk *c;
	size_t size;
	RatStatus st = rat_round_size(n, &size);

	if (st == RAT_STATUS_OK)
		st = chunk_new(size, &c);
	if (st != RAT_STATUS_OK)
		return st;
	c->req = n;
	*out = c->region.addr;
	return RAT_STATUS_OK;
}

/* A block from arena a, keeping empty_arenas right. */
static void *alloc_from(struct chunk *a, size_t need, size_t n)
{
	int was_empty = rat_arena_is_empty(&a->arena);
	void *p = rat_arena_alloc(&a->arena, need, n);

	if (p && was_empty)
		empty_arenas--;
	return p;
}

static RatStatus alloc_locked(size_t n, void **out)
{
	size_t need = rat_arena_block_size(n);
	struct chunk *a;
	RatStatus st;

	if (!need)
		return alloc_large(n, out);
	for (a = arenas; a; a = a->next) {
		*out = alloc_from(a, need, n);
		if (*out)
			return RAT_STATUS_OK;
	}
	st = arena_new(&a);
	if (st != RAT_STATUS_OK)
		return st;
	*out = alloc_from(a, need, n);
	return RAT_STATUS_OK;
}

/* Count a new allocation, and remember its caller when checking leaks.
 * A caller that cannot be remembered (no memory) is reported unknown. */
static void account_alloc(void *p, size_t n, void *caller)
{
	live_allocs++;
	live_bytes += n;
	if (leakcheck > 0)
		rat_ptrtable_insert(&callers, (uintptr_t)p, 1, caller);
}

static void account_free(void *p, size_t n)
{
	live_allocs--;
	live_bytes -= n;
	if (leakcheck > 0)
		rat_ptrtable_remove(&callers, (uintptr_t)p);
}

/* The size asked for of a live allocation of chunk c. */
static size_t req_of(const struct chunk *c, const void *ptr)
{
	return c->is_arena ? rat_arena_block_req(ptr) : c->req;
}

/* The chunk holding a pointer the heap handed out (and not freed). */
static struct chunk *find_locked(void *ptr)
{
	const struct rat_ptrentry *e = rat_ptrtable_find(&heap_table, (uintptr_t)ptr);
	struct chunk *c;

	if (!e)
		return NULL;
	c = e->obj;
	if (c->is_arena)
		return rat_arena_is_block(&c->arena, ptr) ? c : NULL;
	return ptr == c->region.addr ? c : NULL;
}

static void free_locked(struct chunk *c, void *ptr)
{
	if (!c->is_arena) {
		chunk_destroy(c);
		return;
	}
	rat_arena_free(&c->arena, ptr);
	if (rat_arena_is_empty(&c->arena)) {
		/* Keep one empty arena for reuse, give back the others. */
		if (empty_arenas)
			chunk_destroy(c);
		else
			empty_arenas++;
	}
}

/* Resize in place when the chunk already has room: 1, else 0. */
static int resize_in_place(struct chunk *c, void *ptr, size_t n)
{
	if (c->is_arena)
		return rat_arena_resize(ptr, n);
	/* A large chunk shrinking into arena sizes moves to an arena. */
	if (rat_arena_block_size(n) || n > c->region.size)
		return 0;
	if (n > c->req)
		memset((char *)ptr + c->req, 0, n - c->req);
	c->req = n;
	return 1;
}

/* ---- the RatAPI ----------------------------------------------------- */

static void *heap_alloc(size_t size, void *caller)
{
	void *p = NULL;
	RatStatus st;

	heap_lock_checked();
	st = alloc_locked(size, &p);
	if (st == RAT_STATUS_OK)
		account_alloc(p, size, caller);
	pthread_mutex_unlock(&heap_lock);
	rat_set_status(st);
	return st == RAT_STATUS_OK ? p : NULL;
}

void *RatMemAlloc(size_t size)
{
	return heap_alloc(size, __builtin_return_address(0));
}

void *RatMemCalloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	return heap_alloc(count * size, __builtin_return_address(0));
}

RatStatus RatMemFree(void *ptr)
{
	struct chunk *c;

	if (!ptr)
		return rat_set_status(RAT_STATUS_OK);
	heap_lock_checked();
	c = find_locked(ptr);
	if (c) {
		account_free(ptr, req_of(c, ptr));
		free_locked(c, ptr);
	}
	pthread_mutex_unlock(&heap_lock);
	return rat_set_status(c ? RAT_STATUS_OK : RAT_STATUS_INVALID_ARG);
}

void *RatMemRealloc(void *ptr, size_t size)
{
	struct chunk *c;
	void *p = NULL;
	size_t old;
	RatStatus st;

	if (!ptr)
		return heap_alloc(size, __builtin_return_address(0));
	heap_lock_checked();
	c = find_locked(ptr);
	if (!c) {
		st = RAT_STATUS_INVALID_ARG;
	} else {
		old = req_of(c, ptr);
		if (resize_in_place(c, ptr, size)) {
			live_bytes += size - old;	/* wraps back when shrinking */
			p = ptr;
			st = RAT_STATUS_OK;
		} else {
			st = alloc_locked(size, &p);
			if (st == RAT_STATUS_OK) {
				memcpy(p, ptr, old < size ? old : size);
				account_free(ptr, old);
				free_locked(c, ptr);
				account_alloc(p, size, __builtin_return_address(0));
			}
		}
	}
	pthread_mutex_unlock(&heap_lock);
	rat_set_status(st);
	return st == RAT_STATUS_OK ? p : NULL;
}

/* ---- telemetry (heapstat.c) ----------------------------------------- */

void rat_heap_totals(struct rat_heap_totals *t)
{
	struct chunk *a;

	heap_lock_checked();
	*t = (struct rat_heap_totals){
		.in_use = live_bytes, .committed = committed_bytes, .allocations = live_allocs,
	};
	for (a = arenas; a; a = a->next) {
		size_t largest = rat_arena_largest_free(&a->arena);

		t->free_bytes += a->arena.free_bytes;
		if (largest > t->largest_free)
			t->largest_free = largest;
	}
	pthread_mutex_unlock(&heap_lock);
}

struct visit {
	rat_heap_visitor fn;
	void *arg;
};

static void visit_block(void *p, size_t req, void *arg)
{
	const struct visit *v = arg;
	const struct rat_ptrentry *e = rat_ptrtable_find(&callers, (uintptr_t)p);

	v->fn(p, req, e ? e->obj : NULL, v->arg);
}

void rat_heap_visit(rat_heap_visitor fn, void *arg)
{
	struct visit v = { fn, arg };

	heap_lock_checked();
	for (size_t i = 0; i < heap_table.n; i++) {
		struct chunk *c = heap_table.v[i].obj;

		if (c->is_arena)
			rat_arena_walk(&c->arena, visit_block, &v);
		else
			visit_block(c->region.addr, c->req, &v);
	}
	pthread_mutex_unlock(&heap_lock);
}

int rat_heap_leakcheck(void)
{
	int on;

	heap_lock_checked();
	on = leakcheck > 0;
	pthread_mutex_unlock(&heap_lock);
	return on;
}
