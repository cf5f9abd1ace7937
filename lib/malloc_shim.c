// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat-malloc.so: the C allocator (malloc, calloc, realloc,
 * reallocarray, free, posix_memalign, aligned_alloc, memalign, valloc,
 * pvalloc, malloc_usable_size) on the ratmem heap, for LD_PRELOAD. An
 * unmodified program then gets a heap that is zero-filled, governed by
 * its ratmem quotas and never inherited over fork(). docs/heap.md,
 * "librat-malloc.so", and librat-malloc(7) say what it breaks.
 *
 * It holds a private copy of librat (its own default context and heap)
 * and exports nothing else.
 *
 * Bootstrap: the heap's first call opens /dev/ratmem and registers
 * fork handlers, and glibc may allocate inside those; a thread-local
 * flag sends such nested calls to glibc's own allocator (__libc_malloc
 * and friends, which glibc exports for this), so nothing recurses.
 * free() and realloc() tell the two apart by the heap's page map: a
 * pointer the ratmem heap did not hand out is glibc's.
 *
 * RAT_MALLOC_FALLBACK=1 sends a request the ratmem heap cannot serve
 * (no /dev/ratmem, a quota reached) to glibc; by default (0) it fails
 * with ENOMEM, so that ratmem's limits hold.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heap_internal.h"

#define EXPORT __attribute__((visibility("default")))

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void __libc_free(void *ptr);

static __thread int in_shim __attribute__((tls_model("initial-exec")));
static int fallback = -1;		/* RAT_MALLOC_FALLBACK; -1: not read */

/* write(2) to stderr, whose failure there is no one to tell about. */
static void say(const char *msg, size_t len)
{
	ssize_t n = write(2, msg, len);

	(void)n;
}
static int warned;

static int fallback_on(void)
{
	if (fallback < 0) {
		const char *v = getenv("RAT_MALLOC_FALLBACK");

		fallback = v && v[0] == '1' && !v[1];
	}
	return fallback;
}

/* Say once, without stdio (which may allocate), why the heap failed. */
static void warn_once(void)
{
	static const char msg[] =
		"librat-malloc: the ratmem heap cannot serve a request (no /dev/ratmem, or a "
		"quota is reached); RAT_MALLOC_FALLBACK=1 falls back to glibc\n";

	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		say(msg, sizeof(msg) - 1);
}

/* A request the ratmem heap refused: glibc's, or ENOMEM. */
static void *refused(size_t size, size_t alignment)
{
	RatStatus st = RatGetLastError();

	if (st == RAT_STATUS_INVALID_ARG) {
		errno = alignment > RAT_HEAP_ALIGN ? EINVAL : ENOMEM;
		return NULL;
	}
	if (fallback_on())
		return alignment > RAT_HEAP_ALIGN ? __libc_memalign(alignment, size)
						  : __libc_malloc(size);
	if (st != RAT_STATUS_QUOTA)
		warn_once();
	errno = ENOMEM;
	return NULL;
}

static int ours(const void *p)
{
	return p && rat_pagemap_lookup(p) != NULL;
}

static void *shim_alloc(size_t size, size_t alignment)
{
	void *p;

	if (in_shim)
		return alignment > RAT_HEAP_ALIGN ? __libc_memalign(alignment, size)
						  : __libc_malloc(size);
	in_shim++;
	p = alignment > RAT_HEAP_ALIGN ? RatMemAllocAligned(size, alignment) : RatMemAlloc(size);
	if (!p)
		p = refused(size, alignment);
	in_shim--;
	return p;
}

EXPORT void *malloc(size_t size)
{
	return shim_alloc(size, RAT_HEAP_ALIGN);
}

EXPORT void *calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if (in_shim)
		return __libc_calloc(count, size);
	return shim_alloc(count * size, RAT_HEAP_ALIGN);	/* zeroed either way */
}

EXPORT void free(void *ptr)
{
	static const char msg[] = "librat-malloc: free(): invalid or double free\n";
	RatStatus st;

	if (!ptr)
		return;
	if (!ours(ptr)) {
		__libc_free(ptr);
		return;
	}
	in_shim++;
	st = RatMemFree(ptr);
	in_shim--;
	if (st != RAT_STATUS_OK) {
		/* glibc aborts here too; the heap itself is intact. */
		say(msg, sizeof(msg) - 1);
		abort();
	}
}

EXPORT void *realloc(void *ptr, size_t size)
{
	size_t old;
	void *p;

	if (!ptr)
		return malloc(size);
	if (!ours(ptr))
		return __libc_realloc(ptr, size);
	if (size == 0) {			/* as glibc: free, and NULL */
		free(ptr);
		return NULL;
	}
	in_shim++;
	p = RatMemRealloc(ptr, size);
	in_shim--;
	if (p)
		return p;
	/* Failed: ptr stays the caller's unless it was never live. */
	if (!rat_heap_live(ptr)) {
		free(ptr);			/* aborts */
		return NULL;
	}
	if (!fallback_on() || !(p = __libc_malloc(size))) {
		errno = ENOMEM;
		return NULL;
	}
	in_shim++;
	old = RatMemUsableSize(ptr);
	memcpy(p, ptr, old < size ? old : size);
	RatMemFree(ptr);
	in_shim--;
	return p;
}

EXPORT void *reallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, count * size);
}

static int power_of_two(size_t a)
{
	return a && !(a & (a - 1));
}

EXPORT int posix_memalign(void **out, size_t alignment, size_t size)
{
	void *p;

	if (!power_of_two(alignment) || alignment % sizeof(void *))
		return EINVAL;
	p = shim_alloc(size, alignment);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
	if (!power_of_two(alignment)) {
		errno = EINVAL;
		return NULL;
	}
	return shim_alloc(size, alignment);
}

EXPORT void *memalign(size_t alignment, size_t size)
{
	return aligned_alloc(alignment, size);
}

EXPORT void *valloc(size_t size)
{
	return shim_alloc(size, (size_t)sysconf(_SC_PAGESIZE));
}

EXPORT void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (size > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return shim_alloc(size ? (size + page - 1) & ~(page - 1) : page, page);
}

EXPORT size_t malloc_usable_size(void *ptr)
{
	static size_t (*libc_usable)(void *);

	if (!ptr)
		return 0;
	if (ours(ptr))
		return RatMemUsableSize(ptr);
	if (!libc_usable) {
		/* dlsym() may allocate: those calls go to glibc. */
		in_shim++;
		libc_usable = (size_t (*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
		in_shim--;
		if (!libc_usable)
			return 0;
	}
	return libc_usable(ptr);
}
