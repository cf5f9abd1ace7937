// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the heap's metadata memory and its page map.
 *
 * Metadata comes from anonymous mmap(), not from malloc(), so that the
 * heap can stand in for malloc() (librat-malloc.so) and so that no heap
 * block borders on it. Each mapping starts with a header chaining it to
 * the others, so that a forked child can give them all back.
 *
 * The page map sends a page number to the segment or large allocation
 * covering it: 2^16 leaves of 2^20 entries cover 48 bits of address.
 * Both levels are MAP_NORESERVE and only the touched pages of a leaf
 * cost memory. Lookups are lock-free (acquire loads); writers hold
 * heap_lock. Leaves are never unmapped while the process lives.
 */
#include <string.h>
#include <sys/mman.h>

#include "heap_internal.h"

#define PAGE_SHIFT	12
#define LEAF_BITS	20
#define TOP_BITS	16
#define LEAF_SIZE	(sizeof(_Atomic(void *)) << LEAF_BITS)

struct meta_hdr {
	struct meta_hdr *next;
	size_t len;
};

static struct meta_hdr *meta_list;
static _Atomic(_Atomic(void *) *) *pagemap_top;

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *rat_meta_alloc(size_t size)
{
	size_t hdr = RAT_HEAP_ALIGN * ((sizeof(struct meta_hdr) + RAT_HEAP_ALIGN - 1) /
				       RAT_HEAP_ALIGN);
	size_t page = rat_page_size(), len;
	struct meta_hdr *m;

	if (size > SIZE_MAX - hdr - page)
		return NULL;
	len = (size + hdr + page - 1) & ~(page - 1);
	m = map_anon(len);
	if (!m)
		return NULL;
	m->len = len;
	m->next = meta_list;
	meta_list = m;
	return (char *)m + hdr;
}

void rat_meta_forget_all(void)
{
	struct meta_hdr *m = meta_list, *next;

	for (; m; m = next) {
		next = m->next;
		munmap(m, m->len);
	}
	meta_list = NULL;
	/* The map's levels were allocated with rat_meta_alloc(). */
	atomic_store_explicit(&pagemap_top, NULL, memory_order_relaxed);
}

void *rat_pagemap_lookup(const void *p)
{
	uintptr_t page = (uintptr_t)p >> PAGE_SHIFT;
	_Atomic(void *) *leaf;
	_Atomic(_Atomic(void *) *) *top;

	if (page >> (LEAF_BITS + TOP_BITS))
		return NULL;
	top = atomic_load_explicit(&pagemap_top, memory_order_acquire);
	if (!top)
		return NULL;
	leaf = atomic_load_explicit(&top[page >> LEAF_BITS], memory_order_acquire);
	if (!leaf)
		return NULL;
	return atomic_load_explicit(&leaf[page & ((1UL << LEAF_BITS) - 1)],
				    memory_order_acquire);
}

/* The leaf for page number page, made if needed (heap_lock held). */
static _Atomic(void *) *leaf_of(uintptr_t page)
{
	_Atomic(_Atomic(void *) *) *top = atomic_load_explicit(&pagemap_top,
							       memory_order_relaxed);
	_Atomic(void *) *leaf;

	if (!top) {
		top = rat_meta_alloc(sizeof(*top) << TOP_BITS);
		if (!top)
			return NULL;
		atomic_store_explicit(&pagemap_top, top, memory_order_release);
	}
	leaf = atomic_load_explicit(&top[page >> LEAF_BITS], memory_order_relaxed);
	if (!leaf) {
		leaf = rat_meta_alloc(LEAF_SIZE);
		if (!leaf)
			return NULL;
		atomic_store_explicit(&top[page >> LEAF_BITS], leaf, memory_order_release);
	}
	return leaf;
}

int rat_pagemap_set(const void *addr, size_t len, void *obj)
{
	uintptr_t first = (uintptr_t)addr >> PAGE_SHIFT;
	uintptr_t end = ((uintptr_t)addr + len + (1UL << PAGE_SHIFT) - 1) >> PAGE_SHIFT;

	if (end >> (LEAF_BITS + TOP_BITS))
		return -1;
	/* Make every leaf first, so that a failure changes nothing. */
	for (uintptr_t page = first; page < end; page = (page | ((1UL << LEAF_BITS) - 1)) + 1)
		if (!leaf_of(page))
			return -1;
	for (uintptr_t page = first; page < end; page++)
		atomic_store_explicit(&leaf_of(page)[page & ((1UL << LEAF_BITS) - 1)], obj,
				      memory_order_release);
	return 0;
}
