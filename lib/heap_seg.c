// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the heap's segments and spans.
 *
 * A segment is a 4 MiB ratmem region, reserved and mapped read-write
 * at once and committed 64 KiB unit by unit as spans need it. A span
 * takes a run of free units (first fit over a 64-bit mask). When a span
 * empties, its units go back to the segment still committed; once more
 * than RAT_HEAP_RETAIN bytes of free units are committed, released units
 * are decommitted instead (the kernel hands them back zeroed). A
 * segment with no span left is destroyed unless it is the last one.
 *
 * Every free byte of a committed unit is zero: blocks are zeroed when
 * freed, and a released span's free-list words are cleared here. So a
 * new span needs no zeroing, and neither does a block from its bump
 * range (blocks never handed out).
 *
 * A span whose thread exits is abandoned: it keeps its blocks, other
 * threads may still free into its remote list, and the next thread
 * that needs a span of its class adopts it.
 *
 * Everything here but rat_span_collect() runs under heap_lock.
 */
#include <string.h>
#include <sys/mman.h>

#include "heap_internal.h"

#define HEAP_RIGHTS	(RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP)
#define ALL_UNITS	(~(uint64_t)0)

pthread_mutex_t rat_heap_lock = PTHREAD_MUTEX_INITIALIZER;

static struct rat_seg *segs;		/* every segment */
static size_t nsegs;
static struct rat_seg *seg_pool;	/* descriptors to reuse (by next) */
static struct rat_span *abandoned[RAT_HEAP_CLASSES];
static size_t retained;			/* bytes of free, committed units */

static uint64_t run_mask(unsigned int first, unsigned int units)
{
	uint64_t m = units >= 64 ? ALL_UNITS : (((uint64_t)1 << units) - 1);

	return m << first;
}

unsigned int rat_span_units(unsigned int cls)
{
	size_t want = (size_t)rat_heap_class_size[cls] * RAT_HEAP_SPAN_BLOCKS;

	return (unsigned int)((want + RAT_HEAP_UNIT - 1) / RAT_HEAP_UNIT);
}

/* ---- segments --------------------------------------------------------- */

static void seg_destroy(struct rat_seg *g)
{
	struct rat_region r = g->region;

	rat_pagemap_set(g->base, RAT_HEAP_SEG_SIZE, NULL);
	if (g->prev)
		g->prev->next = g->next;
	else
		segs = g->next;
	if (g->next)
		g->next->prev = g->prev;
	nsegs--;
	retained -= (size_t)__builtin_popcountll(g->committed_units & g->free_units) *
		    RAT_HEAP_UNIT;
	/* The descriptor stays readable for racing lookups: they find no
	 * span in it. */
	for (unsigned int u = 0; u < RAT_HEAP_SEG_UNITS; u++)
		__atomic_store_n(&g->unit_span[u], NULL, __ATOMIC_RELEASE);
	g->committed_units = 0;
	g->next = seg_pool;
	seg_pool = g;
	rat_region_destroy(&r);
}

static RatStatus seg_new(struct rat_seg **out)
{
	struct rat_seg *g = seg_pool;
	RatStatus st;

	if (g)
		seg_pool = g->next;
	else
		g = rat_meta_alloc(sizeof(*g));
	if (!g)
		return RAT_STATUS_NO_MEMORY;
	g->kind = RAT_HEAP_SEG;
	st = rat_region_new(&g->region, RAT_HEAP_SEG_SIZE, HEAP_RIGHTS, 0,
			    PROT_READ | PROT_WRITE);
	if (st == RAT_STATUS_OK && rat_pagemap_set(g->region.addr, RAT_HEAP_SEG_SIZE, g) < 0) {
		rat_region_destroy(&g->region);
		st = RAT_STATUS_NO_MEMORY;
	}
	if (st != RAT_STATUS_OK) {
		g->next = seg_pool;
		seg_pool = g;
		return st;
	}
	g->base = g->region.addr;
	g->dead = 0;
	g->free_units = ALL_UNITS;
	g->committed_units = 0;
	g->prev = NULL;
	g->next = segs;
	if (segs)
		segs->prev = g;
	segs = g;
	nsegs++;
	*out = g;
	return RAT_STATUS_OK;
}

/* Commit or decommit the units of mask that need it, in runs. */
static RatStatus seg_units_commit(struct rat_seg *g, uint64_t mask, int commit)
{
	uint64_t todo = commit ? mask & ~g->committed_units : mask & g->committed_units;

	while (todo) {
		unsigned int first = (unsigned int)__builtin_ctzll(todo), n = 0;
		RatStatus st;

		while (first + n < 64 && (todo >> (first + n) & 1))
			n++;
		st = rat_region_range(&g->region, commit, (uint64_t)first * RAT_HEAP_UNIT,
				      (uint64_t)n * RAT_HEAP_UNIT);
		if (st != RAT_STATUS_OK)
			return st;
		if (commit)
			g->committed_units |= run_mask(first, n);
		else
			g->committed_units &= ~run_mask(first, n);
		todo &= ~run_mask(first, n);
	}
	return RAT_STATUS_OK;
}

/* The first run of units free units long in g, or -1. */
static int seg_find_run(const struct rat_seg *g, unsigned int units)
{
	for (unsigned int first = 0; first + units <= RAT_HEAP_SEG_UNITS; first++) {
		uint64_t m = run_mask(first, units);

		if ((g->free_units & m) == m)
			return (int)first;
	}
	return -1;
}

/* ---- spans ------------------------------------------------------------ */

static void span_init(struct rat_seg *g, unsigned int first, unsigned int units,
		      unsigned int cls, struct rat_theap *h)
{
	struct rat_span *s = &g->spans[first];
	size_t nblocks = units * RAT_HEAP_UNIT / rat_heap_class_size[cls];

	s->seg = g;
	s->start = g->base + (size_t)first * RAT_HEAP_UNIT;
	s->nblocks = (uint32_t)(nblocks > RAT_HEAP_MAX_BLOCKS ? RAT_HEAP_MAX_BLOCKS : nblocks);
	s->bump = 0;
	s->used = 0;
	s->cls = (uint16_t)cls;
	s->units = (uint16_t)units;
	s->in_full = 0;
	s->next = s->prev = NULL;
	s->local_free = NULL;
	atomic_store_explicit(&s->remote_free, NULL, memory_order_relaxed);
	atomic_store_explicit(&s->owner, h, memory_order_relaxed);
	/* The live bits are all clear: a released span leaves them so. */
	__atomic_store_n(&s->bsize, rat_heap_class_size[cls], __ATOMIC_RELEASE);
	for (unsigned int u = first; u < first + units; u++)
		__atomic_store_n(&g->unit_span[u], s, __ATOMIC_RELEASE);
}

void rat_span_collect(struct rat_span *s)
{
	struct rat_free_blk *list = atomic_exchange_explicit(&s->remote_free, NULL,
							     memory_order_acquire);
	struct rat_free_blk *last = list;
	uint32_t n = 1;

	if (!list)
		return;
	/* Each link is checked, and a list longer than the span is a cycle. */
	rat_span_check_free(s, list);
	while (last->next) {
		rat_span_check_free(s, last->next);
		last = last->next;
		if (++n > s->nblocks)
			rat_heap_corrupt("a free list longer than its span");
	}
	last->next = s->local_free;
	s->local_free = list;
	s->used -= n;
}

static RatStatus span_adopt(struct rat_theap *h, unsigned int cls, struct rat_span **out)
{
	struct rat_span *s = abandoned[cls];

	if (!s)
		return RAT_STATUS_NOT_FOUND;
	abandoned[cls] = s->next;
	if (s->next)
		s->next->prev = NULL;
	s->next = s->prev = NULL;
	s->in_full = 0;
	atomic_store_explicit(&s->owner, h, memory_order_release);
	*out = s;
	return RAT_STATUS_OK;
}

RatStatus rat_span_acquire(struct rat_theap *h, unsigned int cls, struct rat_span **out)
{
	unsigned int units = rat_span_units(cls);
	struct rat_seg *g;
	RatStatus st = RAT_STATUS_OK;
	int first = -1;

	pthread_mutex_lock(&rat_heap_lock);
	if (span_adopt(h, cls, out) == RAT_STATUS_OK) {
		pthread_mutex_unlock(&rat_heap_lock);
		rat_span_collect(*out);
		return RAT_STATUS_OK;
	}
	for (;;) {
		for (g = segs; g; g = g->next) {
			if (g->dead)
				continue;
			first = seg_find_run(g, units);
			if (first >= 0)
				break;
		}
		if (!g) {
			st = seg_new(&g);
			if (st != RAT_STATUS_OK)
				break;
			first = 0;
		}
		uint64_t m = run_mask((unsigned int)first, units);
		size_t had = (size_t)__builtin_popcountll(m & g->committed_units) * RAT_HEAP_UNIT;

		st = seg_units_commit(g, m, 1);
		if (st != RAT_STATUS_OK)	/* units committed before the failure stay free */
			retained += (size_t)__builtin_popcountll(m & g->committed_units) *
				    RAT_HEAP_UNIT - had;
		if (st == RAT_STATUS_NOT_FOUND) {
			g->dead = 1;	/* its context was closed: never again */
			continue;
		}
		if (st != RAT_STATUS_OK)
			break;
		g->free_units &= ~m;
		retained -= had;
		span_init(g, (unsigned int)first, units, cls, h);
		*out = &g->spans[first];
		break;
	}
	pthread_mutex_unlock(&rat_heap_lock);
	return st;
}

/* Zero what a free span's blocks hold: their free-list words. */
static void span_wipe(struct rat_span *s)
{
	struct rat_free_blk *b = s->local_free, *next;

	for (; b; b = next) {
		next = b->next;
		rat_span_check_free(s, next);
		b->next = NULL;
	}
	s->local_free = NULL;
}

/* Give s's units back to its segment (heap_lock held, s wiped). */
static void span_release_locked(struct rat_span *s)
{
	struct rat_seg *g = s->seg;
	unsigned int first = (unsigned int)(s - g->spans);
	uint64_t m = run_mask(first, s->units);

	atomic_store_explicit(&s->owner, NULL, memory_order_relaxed);
	__atomic_store_n(&s->bsize, 0, __ATOMIC_RELEASE);
	for (unsigned int u = first; u < first + s->units; u++)
		__atomic_store_n(&g->unit_span[u], NULL, __ATOMIC_RELEASE);
	g->free_units |= m;
	retained += (size_t)__builtin_popcountll(m & g->committed_units) * RAT_HEAP_UNIT;
	if (retained > RAT_HEAP_RETAIN && seg_units_commit(g, m, 0) == RAT_STATUS_OK)
		retained -= (size_t)s->units * RAT_HEAP_UNIT;
	if (g->free_units == ALL_UNITS && nsegs > 1)
		seg_destroy(g);
}

void rat_span_release(struct rat_span *s)
{
	span_wipe(s);
	pthread_mutex_lock(&rat_heap_lock);
	span_release_locked(s);
	pthread_mutex_unlock(&rat_heap_lock);
}

/* Put s, which has live blocks, on the abandoned list of its class. */
static void span_abandon_locked(struct rat_span *s)
{
	s->prev = NULL;
	s->next = abandoned[s->cls];
	if (s->next)
		s->next->prev = s;
	abandoned[s->cls] = s;
	/* From here frees by anyone go to the remote list. */
	atomic_store_explicit(&s->owner, NULL, memory_order_release);
}

void rat_spans_sweep(struct rat_theap *h, int abandon)
{
	pthread_mutex_lock(&rat_heap_lock);
	for (unsigned int c = 0; c < RAT_HEAP_CLASSES; c++) {
		struct rat_span_list *lists[2] = { &h->avail[c], &h->full[c] };

		for (int i = 0; i < 2; i++) {
			struct rat_span *s = lists[i]->head, *next;

			for (; s; s = next) {
				next = s->next;
				rat_span_collect(s);
				if (s->used && !abandon)
					continue;
				rat_span_list_del(lists[i], s);
				if (h->cur[c] == s)
					h->cur[c] = NULL;
				if (s->used) {
					span_abandon_locked(s);
				} else {
					span_wipe(s);
					span_release_locked(s);
				}
			}
		}
	}
	pthread_mutex_unlock(&rat_heap_lock);
}

void rat_segs_trim(void)
{
	struct rat_seg *g, *next;

	pthread_mutex_lock(&rat_heap_lock);
	/* Abandoned spans whose blocks have all been freed since. */
	for (unsigned int c = 0; c < RAT_HEAP_CLASSES; c++) {
		struct rat_span *s = abandoned[c], *snext;

		for (; s; s = snext) {
			snext = s->next;
			rat_span_collect(s);
			if (s->used)
				continue;
			if (s->prev)
				s->prev->next = s->next;
			else
				abandoned[c] = s->next;
			if (s->next)
				s->next->prev = s->prev;
			span_wipe(s);
			span_release_locked(s);
		}
	}
	for (g = segs; g; g = next) {
		next = g->next;
		if (g->free_units == ALL_UNITS)
			seg_destroy(g);
		else
			seg_units_commit(g, g->free_units, 0);
	}
	retained = 0;
	for (g = segs; g; g = g->next)
		retained += (size_t)__builtin_popcountll(g->committed_units & g->free_units) *
			    RAT_HEAP_UNIT;
	pthread_mutex_unlock(&rat_heap_lock);
}

void rat_segs_forget_all(void)
{
	/* The descriptors are metadata, unmapped by rat_meta_forget_all(). */
	segs = NULL;
	seg_pool = NULL;
	nsegs = 0;
	retained = 0;
	memset(abandoned, 0, sizeof(abandoned));
}

/* ---- telemetry -------------------------------------------------------- */

static size_t span_live(struct rat_span *s)
{
	size_t n = 0;

	for (unsigned int w = 0; w < (s->nblocks + 63) / 64; w++)
		n += (size_t)__builtin_popcountll(atomic_load_explicit(&s->live[w],
								       memory_order_relaxed));
	return n;
}

static struct rat_span *span_at(struct rat_seg *g, unsigned int u)
{
	struct rat_span *s = __atomic_load_n(&g->unit_span[u], __ATOMIC_ACQUIRE);

	return s == &g->spans[u] && __atomic_load_n(&s->bsize, __ATOMIC_ACQUIRE) ? s : NULL;
}

void rat_segs_totals(struct rat_heap_totals *t)
{
	for (struct rat_seg *g = segs; g; g = g->next) {
		size_t committed = (size_t)__builtin_popcountll(g->committed_units) *
				   RAT_HEAP_UNIT;
		uint64_t freec = g->free_units & g->committed_units;

		t->committed += committed;
		t->free_bytes += committed;
		unsigned int run = 0;

		/* The longest run of free committed units: each step shortens
		 * every run by one. */
		for (; freec; freec &= freec << 1)
			run++;
		if ((size_t)run * RAT_HEAP_UNIT > t->largest_free)
			t->largest_free = (size_t)run * RAT_HEAP_UNIT;
		for (unsigned int u = 0; u < RAT_HEAP_SEG_UNITS; u++) {
			struct rat_span *s = span_at(g, u);
			size_t live;

			if (!s)
				continue;
			live = span_live(s);
			t->free_bytes -= live * s->bsize;
			if (live < s->nblocks && s->bsize > t->largest_free)
				t->largest_free = s->bsize;
		}
	}
}

void rat_segs_visit(void (*fn)(void *p, size_t req, void *arg), void *arg)
{
	for (struct rat_seg *g = segs; g; g = g->next) {
		for (unsigned int u = 0; u < RAT_HEAP_SEG_UNITS; u++) {
			struct rat_span *s = span_at(g, u);

			if (!s)
				continue;
			for (uint32_t i = 0; i < s->nblocks; i++)
				if (atomic_load_explicit(&s->live[i / 64], memory_order_relaxed) >>
				    (i % 64) & 1)
					fn(s->start + (size_t)i * s->bsize, s->req[i], arg);
		}
	}
}
