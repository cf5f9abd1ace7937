/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librat: the heap's internal layout, shared by heap.c (thread heaps and
 * the RatAPI), heap_seg.c (segments and spans), heap_large.c (large
 * allocations) and heap_meta.c (metadata memory and the page map).
 * Not installed. docs/heap.md explains the design and what it took from
 * which allocator.
 *
 * Memory: a segment is one 4 MiB ratmem region, mapped read-write and
 * committed 64 KiB unit by unit. A span is a run of units of one segment
 * holding blocks of one size class. A request above RAT_HEAP_SMALL_MAX
 * (or with an alignment above a page) is a large allocation: a region of
 * its own.
 *
 * Metadata (segments' and spans' descriptors, thread heaps, the page
 * map) lives in anonymous memory apart from the blocks, so a write past
 * a block's end cannot reach it. Descriptors are never unmapped, only
 * reused (type-stable), so a racing lookup of a stale pointer reads a
 * descriptor that says "not live" and the pointer is refused.
 *
 * Locking: heap_lock (heap_seg.c) guards the segments, their free
 * units, the abandoned spans, the large allocations, the page map's
 * writers and the descriptor pools; it comes before the context lock
 * (region calls take it). A span's blocks and lists belong to its
 * owning thread heap and take no lock; other threads free into the
 * span's remote list with atomics. Each block's bit in the span's live
 * bitmap, flipped with one atomic operation, says whether it is handed
 * out: that is how a double or foreign free is refused.
 */
#ifndef RAT_HEAP_INTERNAL_H
#define RAT_HEAP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "rat_internal.h"

#pragma GCC visibility push(hidden)

#define RAT_HEAP_ALIGN		16
#define RAT_HEAP_UNIT_SHIFT	16			/* 64 KiB units */
#define RAT_HEAP_UNIT		((size_t)1 << RAT_HEAP_UNIT_SHIFT)
#define RAT_HEAP_SEG_UNITS	64
#define RAT_HEAP_SEG_SIZE	(RAT_HEAP_UNIT * RAT_HEAP_SEG_UNITS)	/* 4 MiB */
#define RAT_HEAP_SMALL_MAX	((size_t)128 << 10)	/* larger: its own region */
#define RAT_HEAP_CLASSES	48
#define RAT_HEAP_MAX_BLOCKS	(RAT_HEAP_UNIT / RAT_HEAP_ALIGN)	/* 4096 */
#define RAT_HEAP_SPAN_BLOCKS	8			/* at least, per span */
/* Free committed units kept for reuse before units are decommitted. */
#define RAT_HEAP_RETAIN		((size_t)4 << 20)

enum rat_heap_kind { RAT_HEAP_SEG = 1, RAT_HEAP_LARGE = 2 };

struct rat_theap;
struct rat_seg;

/* The first word of a free block: its free-list link. It is the only
 * heap data in ratmem memory, so every use checks it
 * (rat_span_check_free()). */
struct rat_free_blk {
	struct rat_free_blk *next;
};

/*
 * A span: the descriptor of its first unit. Fields marked (owner) are
 * touched only by the owning thread heap, or under heap_lock while the
 * span has no owner.
 */
struct rat_span {
	_Atomic(struct rat_theap *) owner;	/* NULL: abandoned or free */
	struct rat_span *next, *prev;		/* (owner) list of the heap's class */
	struct rat_seg *seg;
	char *start;
	uint32_t bsize;				/* block size; 0: the span is free */
	uint32_t nblocks;
	uint32_t bump;				/* (owner) blocks never handed out: from here */
	uint32_t used;				/* (owner) blocks out, remote frees not yet seen */
	uint16_t cls, units;
	uint8_t in_full;			/* (owner) on the full list */
	struct rat_free_blk *local_free;	/* (owner) */
	_Atomic(struct rat_free_blk *) remote_free;	/* frees by other threads */
	_Atomic uint64_t live[RAT_HEAP_MAX_BLOCKS / 64];	/* block handed out */
	uint32_t req[RAT_HEAP_MAX_BLOCKS];	/* bytes asked for, per live block */
};

/* A segment; its first word is its kind, as the page map needs. */
struct rat_seg {
	int kind;				/* RAT_HEAP_SEG */
	struct rat_region region;
	char *base;
	int dead;				/* its handle is gone: no new spans */
	uint64_t free_units;			/* bit per unit: not in a span */
	uint64_t committed_units;		/* bit per unit: committed */
	struct rat_seg *next, *prev;		/* all segments */
	struct rat_span *unit_span[RAT_HEAP_SEG_UNITS];	/* span holding each unit */
	struct rat_span spans[RAT_HEAP_SEG_UNITS];	/* descriptors by first unit */
};

/* A large allocation; its first word is its kind. */
struct rat_large {
	int kind;				/* RAT_HEAP_LARGE */
	int live;
	struct rat_region region;		/* reserved: twice what was asked */
	char *user;				/* the pointer handed out */
	size_t req;				/* bytes asked for */
	size_t committed;			/* bytes from region.addr, committed */
	struct rat_large *next, *prev;
};

struct rat_span_list {
	struct rat_span *head;
};

/* A thread's heap. */
struct rat_theap {
	struct rat_span *cur[RAT_HEAP_CLASSES];
	struct rat_span_list avail[RAT_HEAP_CLASSES];	/* may have room */
	struct rat_span_list full[RAT_HEAP_CLASSES];	/* had none when last looked */
	_Atomic size_t bytes;			/* asked for, less freed (wraps) */
	_Atomic size_t allocs;			/* allocated less freed (wraps) */
	struct rat_theap *next;			/* all heaps, or the free pool */
};

extern pthread_mutex_t rat_heap_lock;

static inline void rat_span_list_add(struct rat_span_list *l, struct rat_span *s)
{
	s->prev = NULL;
	s->next = l->head;
	if (l->head)
		l->head->prev = s;
	l->head = s;
}

static inline void rat_span_list_del(struct rat_span_list *l, struct rat_span *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		l->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

extern uint32_t rat_heap_class_size[RAT_HEAP_CLASSES];

/* The heap found its own state broken (a free-list word overwritten by
 * a write past a block or after a free): say so and abort, as glibc
 * does, rather than hand out memory twice. */
void rat_heap_corrupt(const char *what) __attribute__((noreturn, cold));

/* Index of block p of s; p must lie in s at a block boundary. */
static inline size_t rat_span_index(const struct rat_span *s, const void *p)
{
	return (size_t)((const char *)p - s->start) / s->bsize;
}

/*
 * Check that b, read from a free list of s (or NULL), is a free block
 * of s: inside it, on a block boundary, its live bit clear. Aborts
 * otherwise.
 */
static inline void rat_span_check_free(const struct rat_span *s, const struct rat_free_blk *b)
{
	size_t off = (size_t)((const char *)b - s->start), idx;

	if (!b)
		return;
	idx = off / s->bsize;
	if (off % s->bsize || idx >= s->bump ||
	    atomic_load_explicit(&s->live[idx / 64], memory_order_relaxed) >> (idx % 64) & 1)
		rat_heap_corrupt("a free-list link points outside the free blocks");
}

/* heap.c: is p a block the heap handed out and that is not freed? */
int rat_heap_live(void *p);

/* ---- heap_meta.c (callers hold heap_lock unless said) ---------------- */

/* Zeroed anonymous memory, never given back except in a forked child. */
void *rat_meta_alloc(size_t size);
/* The segment or large allocation that covers the page of p, or NULL.
 * Lock-free. */
void *rat_pagemap_lookup(const void *p);
/* Point the pages of [addr, addr + len) at obj (NULL: clear): 0, or -1
 * when the map's memory cannot be had. */
int rat_pagemap_set(const void *addr, size_t len, void *obj);
/* In a forked child: unmap every metadata mapping, forget the map. */
void rat_meta_forget_all(void);

/* ---- heap_seg.c ------------------------------------------------------ */

/* Units per span of class cls. */
unsigned int rat_span_units(unsigned int cls);
/* A span of class cls for h: an abandoned one adopted, or a new one. */
RatStatus rat_span_acquire(struct rat_theap *h, unsigned int cls, struct rat_span **out);
/* Give an empty span (every block free and zero) back to its segment. */
void rat_span_release(struct rat_span *s);
/* Give back h's empty spans. abandon: h's thread exits, and its other
 * spans wait for an adopter; else they stay h's (RatShutdown()). */
void rat_spans_sweep(struct rat_theap *h, int abandon);
/* Give back empty segments and decommit free units (RatShutdown()). */
void rat_segs_trim(void);
/* Forget every segment (forked child; heap_lock is fresh). */
void rat_segs_forget_all(void);
/* Collect the remote frees of s into its local list (owner). */
void rat_span_collect(struct rat_span *s);
/* Totals over the segments and their spans (heap_lock held). */
void rat_segs_totals(struct rat_heap_totals *t);
/* fn for each live block of every span (heap_lock held). */
void rat_segs_visit(void (*fn)(void *p, size_t req, void *arg), void *arg);

/* ---- heap_large.c ---------------------------------------------------- */

/* A large allocation of n bytes whose pointer is align-aligned. */
RatStatus rat_large_alloc(size_t n, size_t align, void **out);
/* Free l if it is live and p is its pointer: RAT_STATUS_OK, else
 * RAT_STATUS_INVALID_ARG. req gets the size asked for. */
RatStatus rat_large_free(struct rat_large *l, void *p, size_t *req);
/* Resize l in place to n bytes if its reservation allows: 1 (old size
 * in *old), 0 when it must move, -1 when p is not l's live pointer. */
int rat_large_resize(struct rat_large *l, void *p, size_t n, size_t *old);
/* The size asked for (usable: what may be used, which then counts as
 * asked for) of l's pointer p, or 0 when p is not l's live pointer. */
size_t rat_large_size(struct rat_large *l, const void *p, int usable);
/* Is p l's pointer, and l live? */
int rat_large_live(struct rat_large *l, const void *p);
/* Totals, visit and fork, as for segments (heap_lock held). */
void rat_large_totals(struct rat_heap_totals *t);
void rat_large_visit(void (*fn)(void *p, size_t req, void *arg), void *arg);
void rat_large_forget_all(void);

#pragma GCC visibility pop

#endif
