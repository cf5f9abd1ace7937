// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: blocks inside one heap arena (a committed, mapped region).
 *
 * Each block has a 16-byte header, so payloads are 16-byte aligned when
 * the arena is. Free blocks are on a first-fit list and carry boundary
 * tags (a footer holding their size, and a prev_free bit in the next
 * block's header) so that a freed block merges with free neighbours at
 * once.
 *
 * Zeroing: the arena starts zeroed, and a block is zeroed when it is
 * freed, so every byte of a free block other than its header, list
 * links and footer is zero at all times; those are cleared when the
 * block is handed out. A block therefore always arrives zeroed.
 *
 * No locking here: the heap holds its lock around every call.
 */
#include <string.h>

#include "rat_internal.h"

#define MAGIC_USED	0x72617455U
#define MAGIC_FREE	0x72617446U
#define MIN_BLOCK	48	/* header, free-list links and footer */

/* The header before each payload; sizes fit 32 bits (arenas are small). */
struct rat_blk {
	uint32_t magic;		/* MAGIC_USED or MAGIC_FREE */
	uint32_t req;		/* used: bytes asked for */
	uint32_t size;		/* whole block, header included; multiple of 16 */
	uint32_t prev_free;	/* the block just before this one is free */
};

/* The start of a free block's payload. */
struct links {
	struct rat_blk *next, *prev;
};

_Static_assert(sizeof(struct rat_blk) == RAT_ARENA_ALIGN, "payloads stay aligned");
_Static_assert(sizeof(struct rat_blk) + sizeof(struct links) + sizeof(uint32_t) <= MIN_BLOCK,
	       "a free block holds its header, links and footer");

static struct links *blk_links(struct rat_blk *b)
{
	return (struct links *)(b + 1);
}

static uint32_t *blk_footer(struct rat_blk *b)
{
	return (uint32_t *)((char *)b + b->size - sizeof(uint32_t));
}

static struct rat_blk *blk_next(struct rat_blk *b)
{
	return (struct rat_blk *)((char *)b + b->size);
}

static int arena_holds(const struct rat_arena *a, const struct rat_blk *b)
{
	return (const char *)b < a->base + a->size;
}

static void list_push(struct rat_arena *a, struct rat_blk *b)
{
	blk_links(b)->prev = NULL;
	blk_links(b)->next = a->free_head;
	if (a->free_head)
		blk_links(a->free_head)->prev = b;
	a->free_head = b;
}

static void list_unlink(struct rat_arena *a, struct rat_blk *b)
{
	struct links *l = blk_links(b);

	if (l->prev)
		blk_links(l->prev)->next = l->next;
	else
		a->free_head = l->next;
	if (l->next)
		blk_links(l->next)->prev = l->prev;
}

/* Make b a free block of size bytes and put it on the list. */
static void blk_make_free(struct rat_arena *a, struct rat_blk *b, uint32_t size)
{
	struct rat_blk *next;

	b->magic = MAGIC_FREE;
	b->req = 0;
	b->size = size;
	*blk_footer(b) = size;
	next = blk_next(b);
	if (arena_holds(a, next))
		next->prev_free = 1;
	list_push(a, b);
}

/* Hand out need bytes of free block b for a request of n bytes. */
static void *blk_take(struct rat_arena *a, struct rat_blk *b, uint32_t need, size_t n)
{
	uint32_t rest = b->size - need;

	list_unlink(a, b);
	if (rest >= MIN_BLOCK) {
		struct rat_blk *tail;

		/* The tail, zero so far, becomes a free block; its footer
		 * is b's old one. */
		b->size = need;
		tail = blk_next(b);
		tail->prev_free = 0;
		blk_make_free(a, tail, rest);
	} else {
		struct rat_blk *next = blk_next(b);

		*blk_footer(b) = 0;
		if (arena_holds(a, next))
			next->prev_free = 0;
	}
	memset(blk_links(b), 0, sizeof(struct links));
	b->magic = MAGIC_USED;
	b->req = (uint32_t)n;
	a->free_bytes -= b->size;
	return b + 1;
}

void rat_arena_init(struct rat_arena *a, void *base, size_t size)
{
	a->base = base;
	a->size = size;
	a->free_head = NULL;
	a->free_bytes = size;
	blk_make_free(a, base, (uint32_t)size);
}

size_t rat_arena_block_size(size_t n)
{
	size_t need;

	if (n > RAT_ARENA_MAX_BLOCK)
		return 0;
	need = (sizeof(struct rat_blk) + n + RAT_ARENA_ALIGN - 1) & ~(size_t)(RAT_ARENA_ALIGN - 1);
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;
	return need > RAT_ARENA_MAX_BLOCK ? 0 : need;
}

void *rat_arena_alloc(struct rat_arena *a, size_t need, size_t n)
{
	struct rat_blk *b;

	if (a->free_bytes < need)
		return NULL;
	for (b = a->free_head; b; b = blk_links(b)->next)
		if (b->size >= need)
			return blk_take(a, b, (uint32_t)need, n);
	return NULL;
}

int rat_arena_is_block(const struct rat_arena *a, const void *p)
{
	uintptr_t addr = (uintptr_t)p, base = (uintptr_t)a->base;
	const struct rat_blk *b = (const struct rat_blk *)p - 1;

	if (addr % RAT_ARENA_ALIGN || addr - base < sizeof(*b) || addr - base >= a->size)
		return 0;
	return b->magic == MAGIC_USED && b->size >= MIN_BLOCK && b->size % RAT_ARENA_ALIGN == 0 &&
	       b->size <= base + a->size - (uintptr_t)b;
}

size_t rat_arena_block_req(const void *p)
{
	return ((const struct rat_blk *)p - 1)->req;
}

int rat_arena_resize(void *p, size_t n)
{
	struct rat_blk *b = (struct rat_blk *)p - 1;

	if (n > b->size - sizeof(*b))
		return 0;
	if (n > b->req)
		memset((char *)p + b->req, 0, n - b->req);
	b->req = (uint32_t)n;
	return 1;
}

void rat_arena_free(struct rat_arena *a, void *p)
{
	struct rat_blk *b = (struct rat_blk *)p - 1, *next = blk_next(b), *start = b;
	uint32_t size = b->size;

	memset(p, 0, b->size - sizeof(*b));
	a->free_bytes += b->size;
	if (arena_holds(a, next) && next->magic == MAGIC_FREE) {
		list_unlink(a, next);
		size += next->size;
		memset(next, 0, sizeof(*next) + sizeof(struct links));
	}
	if (b->prev_free) {
		uint32_t *prev_footer = (uint32_t *)b - 1;
		struct rat_blk *prev = (struct rat_blk *)((char *)b - *prev_footer);

		list_unlink(a, prev);
		size += prev->size;
		*prev_footer = 0;
		memset(b, 0, sizeof(*b));
		start = prev;
	}
	blk_make_free(a, start, size);
}

void rat_arena_walk(const struct rat_arena *a, void (*fn)(void *p, size_t req, void *arg),
		    void *arg)
{
	struct rat_blk *b = (struct rat_blk *)a->base;

	for (; arena_holds(a, b); b = blk_next(b))
		if (b->magic == MAGIC_USED)
			fn(b + 1, b->req, arg);
}

size_t rat_arena_largest_free(const struct rat_arena *a)
{
	size_t largest = 0;

	for (struct rat_blk *b = a->free_head; b; b = blk_links(b)->next)
		if (b->size > largest)
			largest = b->size;
	return largest;
}

int rat_arena_is_empty(const struct rat_arena *a)
{
	return a->free_bytes == a->size;
}
