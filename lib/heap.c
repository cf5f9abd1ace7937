// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the heap (RatMemAlloc, RatMemCalloc, RatMemRealloc,
 * RatMemFree, RatMemAllocAligned, RatMemUsableSize): thread heaps and
 * size classes over the spans of heap_seg.c. docs/heap.md has the
 * design; heap_internal.h the layout and the locking.
 *
 * Each thread has a heap with, per size class, a current span and
 * lists of spans that may have room or had none. Allocation takes the
 * current span's local free list or its bump range: no lock, no system
 * call, one atomic OR for the block's live bit. A free by the owning
 * thread pushes onto the local list; a free by another thread pushes
 * onto the span's remote list (a compare-and-swap), which the owner
 * takes whole when its local list runs dry (mimalloc's free-list
 * sharding). Either way the freeing thread first clears the live bit
 * with one atomic AND: if it was already clear, the pointer was freed
 * before or never handed out, and it is refused before anything is
 * written. It then zeroes the block, so every block arrives zeroed.
 *
 * A fork is seen by the generation counter: pthread_atfork's child
 * handler forgets everything and bumps heap_gen, and a thread whose
 * cached generation differs gets a new heap. No getpid() per call.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heap_internal.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

uint32_t rat_heap_class_size[RAT_HEAP_CLASSES];

static unsigned int heap_gen = 1;		/* bumped in a forked child */
static __thread struct rat_theap *tl_heap;
static __thread unsigned int tl_gen;		/* heap_gen when tl_heap was made */
static pthread_once_t heap_once = PTHREAD_ONCE_INIT;
static pthread_key_t heap_key;
static int heap_key_ok;

/* Under rat_heap_lock. */
static struct rat_theap *heaps, *heap_pool;
static size_t gone_bytes, gone_allocs;		/* of exited threads' heaps */
static int leakcheck = -1;			/* RAT_HEAP_LEAKCHECK=1; -1: not read */
static struct rat_ptrtable callers;		/* leak check: pointer -> caller */

/* ---- size classes --------------------------------------------------- */

/*
 * 16-byte steps up to 128 bytes, then four classes per doubling up to
 * 128 KiB (jemalloc's spacing): a block wastes at most 20% of itself
 * above 128 bytes. Every class is a multiple of 16.
 */
static unsigned int size_class(size_t n)
{
	unsigned int p;

	if (n <= 128)
		return n <= 16 ? 0 : (unsigned int)((n - 1) >> 4);
	p = 63U - (unsigned int)__builtin_clzll((unsigned long long)(n - 1));
	return 8 + (p - 7) * 4 + (unsigned int)((n - 1 - ((size_t)1 << p)) >> (p - 2));
}

static void heap_once_init(void)
{
	for (unsigned int c = 0; c < RAT_HEAP_CLASSES; c++) {
		unsigned int p = 7 + (c - 8) / 4;

		rat_heap_class_size[c] = c < 8 ? 16 * (c + 1)
			: (1U << p) + ((c - 8) % 4 + 1) * (1U << (p - 2));
	}
}

/* ---- thread heaps ---------------------------------------------------- */

static void heap_thread_exit(void *arg);

static void heap_key_init(void)
{
	rat_fork_register();
	heap_once_init();
	heap_key_ok = pthread_key_create(&heap_key, heap_thread_exit) == 0;
}

static void leakcheck_start_locked(void)
{
	static int registered;
	const char *env = getenv("RAT_HEAP_LEAKCHECK");

	leakcheck = env && strcmp(env, "1") == 0;
	if (leakcheck && !registered && atexit(rat_heap_leak_report) == 0)
		registered = 1;
}

static struct rat_theap *heap_new(void)
{
	struct rat_theap *h;

	pthread_once(&heap_once, heap_key_init);
	pthread_mutex_lock(&rat_heap_lock);
	if (leakcheck < 0)
		leakcheck_start_locked();
	h = heap_pool;
	if (h)
		heap_pool = h->next;
	else
		h = rat_meta_alloc(sizeof(*h));
	if (h) {
		memset(h, 0, sizeof(*h));
		h->next = heaps;
		heaps = h;
	}
	pthread_mutex_unlock(&rat_heap_lock);
	if (!h)
		return NULL;
	if (heap_key_ok)
		pthread_setspecific(heap_key, h);
	tl_heap = h;
	tl_gen = heap_gen;
	return h;
}

static inline struct rat_theap *heap_get(void)
{
	if (likely(tl_gen == heap_gen))
		return tl_heap;
	return heap_new();
}

/* The calling thread's heap if it has one; frees never make one, so a
 * free during thread exit (after heap_thread_exit()) leaves none behind. */
static inline struct rat_theap *heap_if_any(void)
{
	return tl_gen == heap_gen ? tl_heap : NULL;
}

/* The thread's heap goes: its spans wait for adopters, its counts stay. */
static void heap_thread_exit(void *arg)
{
	struct rat_theap *h = arg, **pp;

	if (tl_gen != heap_gen || h != tl_heap)
		return;		/* made before a fork: not this process's */
	rat_spans_sweep(h, 1);
	pthread_mutex_lock(&rat_heap_lock);
	gone_bytes += atomic_load_explicit(&h->bytes, memory_order_relaxed);
	gone_allocs += atomic_load_explicit(&h->allocs, memory_order_relaxed);
	for (pp = &heaps; *pp != h; pp = &(*pp)->next)
		;
	*pp = h->next;
	h->next = heap_pool;
	heap_pool = h;
	pthread_mutex_unlock(&rat_heap_lock);
	tl_heap = NULL;
	tl_gen = 0;
}

/* Counts of threads without a heap (frees during thread exit). */
static _Atomic size_t loose_bytes, loose_allocs;

/* The owner's counts: plain stores, atomic only so that stats may read.
 * Without a heap, shared atomic counts. */
static inline void heap_count(struct rat_theap *h, size_t bytes, size_t n)
{
	if (unlikely(!h)) {
		atomic_fetch_add_explicit(&loose_bytes, bytes, memory_order_relaxed);
		atomic_fetch_add_explicit(&loose_allocs, n, memory_order_relaxed);
		return;
	}
	atomic_store_explicit(&h->bytes, atomic_load_explicit(&h->bytes,
			      memory_order_relaxed) + bytes, memory_order_relaxed);
	atomic_store_explicit(&h->allocs, atomic_load_explicit(&h->allocs,
			      memory_order_relaxed) + n, memory_order_relaxed);
}

/* ---- span lists (owner only; rat_span_list_* in heap_internal.h) ---- */

static void span_to_full(struct rat_theap *h, struct rat_span *s)
{
	rat_span_list_del(&h->avail[s->cls], s);
	rat_span_list_add(&h->full[s->cls], s);
	s->in_full = 1;
	if (h->cur[s->cls] == s)
		h->cur[s->cls] = NULL;
}

static void span_to_avail(struct rat_theap *h, struct rat_span *s)
{
	rat_span_list_del(&h->full[s->cls], s);
	rat_span_list_add(&h->avail[s->cls], s);
	s->in_full = 0;
}

/* ---- allocation ------------------------------------------------------ */

/* A block of s, or NULL when it has none at hand. */
static inline struct rat_free_blk *span_take(struct rat_span *s, size_t *idx)
{
	struct rat_free_blk *b = s->local_free;

	if (b) {
		rat_span_check_free(s, b->next);
		s->local_free = b->next;
		*idx = rat_span_index(s, b);
		b->next = NULL;
		return b;
	}
	if (s->bump < s->nblocks) {
		*idx = s->bump++;
		return (struct rat_free_blk *)(s->start + *idx * s->bsize);
	}
	return NULL;
}

static struct rat_free_blk *alloc_slow(struct rat_theap *h, unsigned int cls,
				       struct rat_span **out, size_t *idx, RatStatus *st)
{
	struct rat_free_blk *b;
	struct rat_span *s;

	/* The current span: frees from other threads first. */
	s = h->cur[cls];
	if (s) {
		rat_span_collect(s);
		b = span_take(s, idx);
		if (b)
			goto found;
		span_to_full(h, s);
	}
	/* Another span that may have room, moved to full if it has none. */
	while ((s = h->avail[cls].head)) {
		rat_span_collect(s);
		b = span_take(s, idx);
		if (b)
			goto found;
		span_to_full(h, s);
	}
	/* A full span that other threads freed into since. */
	for (s = h->full[cls].head; s; s = s->next) {
		if (!atomic_load_explicit(&s->remote_free, memory_order_relaxed))
			continue;
		rat_span_collect(s);
		span_to_avail(h, s);
		b = span_take(s, idx);
		goto found;
	}
	*st = rat_span_acquire(h, cls, &s);
	if (*st != RAT_STATUS_OK)
		return NULL;
	rat_span_list_add(&h->avail[cls], s);
	b = span_take(s, idx);
	if (!b) {		/* an adopted span with nothing free */
		span_to_full(h, s);
		return alloc_slow(h, cls, out, idx, st);
	}
found:
	h->cur[cls] = s;
	*out = s;
	return b;
}

static void *small_alloc(struct rat_theap *h, unsigned int cls, size_t n, RatStatus *st)
{
	struct rat_span *s = h->cur[cls];
	struct rat_free_blk *b = NULL;
	size_t idx;

	if (likely(s != NULL))
		b = span_take(s, &idx);
	if (unlikely(!b)) {
		b = alloc_slow(h, cls, &s, &idx, st);
		if (!b)
			return NULL;
	}
	/* The size first: a heap dump that sees the bit sees the size. */
	__atomic_store_n(&s->req[idx], (uint32_t)n, __ATOMIC_RELAXED);
	if (atomic_fetch_or_explicit(&s->live[idx / 64], (uint64_t)1 << (idx % 64),
				     memory_order_release) & ((uint64_t)1 << (idx % 64)))
		rat_heap_corrupt("a block on a free list is in use");
	s->used++;
	heap_count(h, n, 1);
	return b;
}

static void remember_caller(void *p, void *caller)
{
	pthread_mutex_lock(&rat_heap_lock);
	rat_ptrtable_insert(&callers, (uintptr_t)p, 1, caller);
	pthread_mutex_unlock(&rat_heap_lock);
}

static void forget_caller(void *p)
{
	pthread_mutex_lock(&rat_heap_lock);
	rat_ptrtable_remove(&callers, (uintptr_t)p);
	pthread_mutex_unlock(&rat_heap_lock);
}

/* n bytes aligned to align (a power of two), zeroed. */
static void *heap_alloc(size_t n, size_t align, void *caller)
{
	struct rat_theap *h = heap_get();
	RatStatus st = RAT_STATUS_NO_MEMORY;
	void *p = NULL;

	if (unlikely(!h))
		goto out;
	if (likely(n <= RAT_HEAP_SMALL_MAX && align <= RAT_HEAP_ALIGN)) {
		p = small_alloc(h, size_class(n), n, &st);
	} else if (n <= RAT_HEAP_SMALL_MAX && align <= rat_page_size()) {
		/* A class that is a multiple of align: spans start on a page. */
		unsigned int cls = size_class(n > align ? n : align);

		while (cls < RAT_HEAP_CLASSES && rat_heap_class_size[cls] % align)
			cls++;
		if (cls < RAT_HEAP_CLASSES)
			p = small_alloc(h, cls, n, &st);
		else
			st = rat_large_alloc(n, align, &p);
	} else {
		st = rat_large_alloc(n, align, &p);	/* counted by heap_large.c */
	}
	if (p) {
		st = RAT_STATUS_OK;
		if (unlikely(leakcheck > 0))
			remember_caller(p, caller);
	}
out:
	rat_set_status(st);
	return p;
}

/* ---- finding a block ------------------------------------------------- */

struct blk_ref {
	struct rat_span *span;		/* NULL: large */
	struct rat_large *large;
	size_t idx;
};

/* Which live block p is: 1, or 0 for a pointer the heap did not hand
 * out (or that is freed). Lock-free for small blocks. */
static int blk_find(void *p, struct blk_ref *r)
{
	void *obj = rat_pagemap_lookup(p);
	struct rat_seg *g = obj;
	struct rat_span *s;
	size_t off;
	uint32_t bs;

	if (!obj)
		return 0;
	if (*(int *)obj == RAT_HEAP_LARGE) {
		r->span = NULL;
		r->large = obj;
		return 1;
	}
	off = (size_t)((char *)p - g->base);
	if (off >= RAT_HEAP_SEG_SIZE)
		return 0;
	s = __atomic_load_n(&g->unit_span[off >> RAT_HEAP_UNIT_SHIFT], __ATOMIC_ACQUIRE);
	if (!s)
		return 0;
	bs = __atomic_load_n(&s->bsize, __ATOMIC_ACQUIRE);
	if (!bs)
		return 0;
	off = (size_t)((char *)p - s->start);
	if (off % bs || off / bs >= s->nblocks)
		return 0;
	r->span = s;
	r->idx = off / bs;
	return 1;
}

/* Free small block r of p; 0, or -1 when it is not live. */
static int small_free(struct rat_theap *h, const struct blk_ref *r, void *p, size_t *req)
{
	struct rat_span *s = r->span;
	uint64_t bit = (uint64_t)1 << (r->idx % 64);
	struct rat_free_blk *b = p;

	if (!(atomic_fetch_and_explicit(&s->live[r->idx / 64], ~bit, memory_order_acq_rel) & bit))
		return -1;	/* freed before, or never handed out */
	/* Past the size asked for, the block is zero: realloc() zeroes what
	 * it cuts, and RatMemUsableSize() raises req to the block size. */
	*req = s->req[r->idx];
	memset(p, 0, *req);
	if (h && atomic_load_explicit(&s->owner, memory_order_relaxed) == h) {
		b->next = s->local_free;
		s->local_free = b;
		s->used--;
		if (s->in_full)
			span_to_avail(h, s);
		/* An empty span goes back, unless it is the current one of
		 * a one-unit class: those stay for the next allocation. */
		if (s->used == 0 && (h->cur[s->cls] != s || s->units > 1)) {
			if (h->cur[s->cls] == s)
				h->cur[s->cls] = NULL;
			rat_span_list_del(&h->avail[s->cls], s);
			rat_span_release(s);
		}
	} else {
		struct rat_free_blk *head = atomic_load_explicit(&s->remote_free,
								 memory_order_relaxed);

		do
			b->next = head;
		while (!atomic_compare_exchange_weak_explicit(&s->remote_free, &head, b,
							      memory_order_release,
							      memory_order_relaxed));
	}
	return 0;
}

void rat_heap_corrupt(const char *what)
{
	static const char head[] = "librat: heap corruption detected: ";
	ssize_t n;

	n = write(2, head, sizeof(head) - 1);
	n = write(2, what, strlen(what));
	n = write(2, "\n", 1);
	(void)n;
	abort();
}

/* ---- the RatAPI ------------------------------------------------------ */

void *RatMemAlloc(size_t size)
{
	return heap_alloc(size, RAT_HEAP_ALIGN, __builtin_return_address(0));
}

void *RatMemCalloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	return heap_alloc(count * size, RAT_HEAP_ALIGN, __builtin_return_address(0));
}

void *RatMemAllocAligned(size_t size, size_t alignment)
{
	if (!alignment || (alignment & (alignment - 1))) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	return heap_alloc(size, alignment < RAT_HEAP_ALIGN ? RAT_HEAP_ALIGN : alignment,
			  __builtin_return_address(0));
}

RatStatus RatMemFree(void *ptr)
{
	struct rat_theap *h;
	struct blk_ref r;
	size_t req;

	if (!ptr)
		return rat_set_status(RAT_STATUS_OK);
	if (!blk_find(ptr, &r))
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	/* Before the block can be reused, so as not to drop its next owner's entry. */
	if (unlikely(leakcheck > 0))
		forget_caller(ptr);
	h = heap_if_any();
	if (r.span) {
		if (small_free(h, &r, ptr, &req) < 0)
			return rat_set_status(RAT_STATUS_INVALID_ARG);
		heap_count(h, 0 - req, (size_t)0 - 1);
	} else if (rat_large_free(r.large, ptr, &req) != RAT_STATUS_OK) {
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	}
	return rat_set_status(RAT_STATUS_OK);
}

/* Is small block r live? (Its holder is the caller: no race but a
 * caller's own double use.) */
static int small_live(const struct blk_ref *r)
{
	return atomic_load_explicit(&r->span->live[r->idx / 64], memory_order_acquire) >>
	       (r->idx % 64) & 1;
}

void *RatMemRealloc(void *ptr, size_t size)
{
	struct rat_theap *h;
	struct blk_ref r;
	size_t old;
	void *p;
	int ret;

	if (!ptr)
		return heap_alloc(size, RAT_HEAP_ALIGN, __builtin_return_address(0));
	if (!blk_find(ptr, &r) || (r.span && !small_live(&r))) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	h = heap_if_any();
	if (r.span) {
		old = r.span->req[r.idx];
		ret = size <= r.span->bsize;
		if (ret) {
			/* Growing, the bytes added are zero already; cut ones
			 * are zeroed, so the block stays zero past its size. */
			if (size < old)
				memset((char *)ptr + size, 0, old - size);
			r.span->req[r.idx] = (uint32_t)size;
		}
	} else {
		ret = rat_large_resize(r.large, ptr, size, &old);
		if (ret < 0) {
			rat_set_status(RAT_STATUS_INVALID_ARG);
			return NULL;
		}
	}
	if (ret) {
		if (r.span)
			heap_count(h, size - old, 0);
		rat_set_status(RAT_STATUS_OK);
		return ptr;
	}
	p = heap_alloc(size, RAT_HEAP_ALIGN, __builtin_return_address(0));
	if (!p)
		return NULL;
	memcpy(p, ptr, old < size ? old : size);
	RatMemFree(ptr);
	return p;
}

int rat_heap_live(void *p)
{
	struct blk_ref r;

	if (!p || !blk_find(p, &r))
		return 0;
	return r.span ? small_live(&r) : rat_large_live(r.large, p);
}

size_t RatMemUsableSize(void *ptr)
{
	struct blk_ref r;
	size_t n = 0;

	if (ptr && blk_find(ptr, &r)) {
		if (!r.span)
			n = rat_large_size(r.large, ptr, 1);
		else if (small_live(&r)) {
			/* The caller may use it all now: it counts as asked
			 * for, and is zeroed whole when freed. */
			size_t old = r.span->req[r.idx];

			n = r.span->bsize;
			r.span->req[r.idx] = (uint32_t)n;
			heap_count(heap_if_any(), n - old, 0);
		}
	}
	rat_set_status(n ? RAT_STATUS_OK : RAT_STATUS_INVALID_ARG);
	return n;
}

/* ---- fork and shutdown ----------------------------------------------- */

void rat_heap_fork_prepare(void)
{
	pthread_mutex_lock(&rat_heap_lock);
}

void rat_heap_fork_parent(void)
{
	pthread_mutex_unlock(&rat_heap_lock);
}

/* The parent's heap is not this process's: its regions are not mapped
 * here (VM_DONTCOPY) and its handles are the parent's. */
void rat_heap_fork_child(void)
{
	rat_segs_forget_all();
	rat_large_forget_all();
	rat_meta_forget_all();
	heaps = heap_pool = NULL;
	gone_bytes = gone_allocs = 0;
	atomic_store(&loose_bytes, 0);
	atomic_store(&loose_allocs, 0);
	rat_ptrtable_clear(&callers);
	leakcheck = -1;
	heap_gen++;
	pthread_mutex_init(&rat_heap_lock, NULL);
}

/* Give back the calling thread's empty spans, then empty segments. */
void rat_heap_trim(void)
{
	struct rat_theap *h = heap_if_any();

	if (h)
		rat_spans_sweep(h, 0);
	rat_segs_trim();
}

/* ---- telemetry (heapstat.c) ----------------------------------------- */

void rat_heap_totals(struct rat_heap_totals *t)
{
	*t = (struct rat_heap_totals){ 0 };
	pthread_mutex_lock(&rat_heap_lock);
	t->in_use = gone_bytes + atomic_load_explicit(&loose_bytes, memory_order_relaxed);
	t->allocations = gone_allocs + atomic_load_explicit(&loose_allocs, memory_order_relaxed);
	for (struct rat_theap *h = heaps; h; h = h->next) {
		t->in_use += atomic_load_explicit(&h->bytes, memory_order_relaxed);
		t->allocations += atomic_load_explicit(&h->allocs, memory_order_relaxed);
	}
	rat_segs_totals(t);
	rat_large_totals(t);
	pthread_mutex_unlock(&rat_heap_lock);
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

	pthread_mutex_lock(&rat_heap_lock);
	rat_segs_visit(visit_block, &v);
	rat_large_visit(visit_block, &v);
	pthread_mutex_unlock(&rat_heap_lock);
}

int rat_heap_leakcheck(void)
{
	int on;

	pthread_mutex_lock(&rat_heap_lock);
	on = leakcheck > 0;
	pthread_mutex_unlock(&rat_heap_lock);
	return on;
}
