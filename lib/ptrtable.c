// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: a table of non-overlapping address ranges, sorted by base, for
 * finding the object that contains a pointer (binary search). It has no
 * lock of its own: each user guards its table with its own lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rat_internal.h"

/* Index of the first entry whose base is above addr. */
static size_t first_above(const struct rat_ptrtable *t, uintptr_t addr)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int rat_ptrtable_insert(struct rat_ptrtable *t, uintptr_t base, size_t size, void *obj)
{
	size_t at;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct rat_ptrentry *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -ENOMEM;
		v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	at = first_above(t, base);
	memmove(&t->v[at + 1], &t->v[at], (t->n - at) * sizeof(*t->v));
	t->v[at] = (struct rat_ptrentry){ .base = base, .size = size, .obj = obj };
	t->n++;
	return 0;
}

const struct rat_ptrentry *rat_ptrtable_find(const struct rat_ptrtable *t, uintptr_t addr)
{
	size_t at = first_above(t, addr);
	const struct rat_ptrentry *e;

	if (at == 0)
		return NULL;
	e = &t->v[at - 1];
	return addr - e->base < e->size ? e : NULL;
}

void *rat_ptrtable_remove(struct rat_ptrtable *t, uintptr_t base)
{
	size_t at = first_above(t, base);
	void *obj;

	if (at == 0 || t->v[at - 1].base != base)
		return NULL;
	at--;
	obj = t->v[at].obj;
	memmove(&t->v[at], &t->v[at + 1], (t->n - at - 1) * sizeof(*t->v));
	t->n--;
	return obj;
}

void rat_ptrtable_clear(struct rat_ptrtable *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
	t->cap = 0;
}
