// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for librat's region layer (lib/region.c) and status.c, so
 * that the heap (lib/heap*.c) runs on the host without /dev/ratmem:
 * under AddressSanitizer and ThreadSanitizer (tests/heap/Makefile), and
 * for the host CPU column of the heap benchmark.
 *
 * It keeps the kernel's rules that the heap depends on: a region is
 * reserved, its pages are inaccessible until committed (PROT_NONE, so
 * a touch of an uncommitted unit faults), committed pages read as zero,
 * and decommitted pages come back zeroed. A test can set a limit on
 * committed bytes, standing in for a quota (RAT_STATUS_QUOTA).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../lib/rat_internal.h"
#include "stub_region.h"

static _Atomic unsigned long ncommit, ndecommit;
unsigned long stub_commits(void) { return ncommit; }
unsigned long stub_decommits(void) { return ndecommit; }
static _Atomic size_t committed, regions, limit = SIZE_MAX;
static __thread RatStatus last;

size_t stub_committed(void) { return committed; }
size_t stub_regions(void) { return regions; }
void stub_set_limit(size_t bytes) { limit = bytes; }

RatStatus rat_set_status(RatStatus status)
{
	last = status;
	return status;
}

RatStatus RatInit(void)
{
	return RAT_STATUS_OK;
}

/* The heap's part of RatShutdown() (the stub has no context to close). */
RatStatus RatShutdown(void)
{
	rat_heap_trim();
	return RAT_STATUS_OK;
}

const char *RatStatusString(RatStatus status)
{
	return status == RAT_STATUS_OK ? "ok" : "error";
}

RatStatus RatGetLastError(void)
{
	return last;
}

/* fork.c's registration, for the heap's handlers only. */
static void fork_register_once(void)
{
	pthread_atfork(rat_heap_fork_prepare, rat_heap_fork_parent, rat_heap_fork_child);
}

void rat_fork_register(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fork_register_once);
}

size_t rat_page_size(void)
{
	return 4096;
}

/* Committed bytes per region, by address (a small open-addressed table). */
#define SLOTS 65536
static struct { void *addr; size_t committed; } table[SLOTS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* Add delta to addr's count (make: a new region's slot); the count
 * before. Everything under table_lock. */
static size_t slot_add(void *addr, size_t delta, int make)
{
	size_t i = ((uintptr_t)addr >> 12) % SLOTS, old = 0;

	pthread_mutex_lock(&table_lock);
	for (;; i = (i + 1) % SLOTS) {
		if (table[i].addr == addr || (!table[i].addr && make)) {
			table[i].addr = addr;
			old = table[i].committed;
			table[i].committed = make ? 0 : old + delta;
			break;
		}
		if (!table[i].addr)
			break;
	}
	pthread_mutex_unlock(&table_lock);
	return old;
}

RatStatus rat_region_new(struct rat_region *r, size_t size, uint32_t rights, uint32_t flags,
			 int prot)
{
	void *p;

	(void)rights;
	(void)prot;
	memset(r, 0, sizeof(*r));
	p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return RAT_STATUS_NO_MEMORY;
	r->addr = p;
	r->size = size;
	r->pid = getpid();
	slot_add(p, 0, 1);
	regions++;
	if (flags & RATMEM_CREATE_COMMIT)
		return rat_region_range(r, 1, 0, size);
	return RAT_STATUS_OK;
}

/* The stub does not track which pages are committed: the heap never
 * commits a committed page or decommits an uncommitted one, which the
 * kernel would take as no-ops. */
RatStatus rat_region_range(const struct rat_region *r, int commit, uint64_t offset,
			   uint64_t length)
{
	char *p = (char *)r->addr + offset;

	if (offset + length > r->size || offset % 4096 || length % 4096)
		return RAT_STATUS_INVALID_ARG;
	if (commit) {
		if (committed + length > limit)
			return RAT_STATUS_QUOTA;
		if (mprotect(p, length, PROT_READ | PROT_WRITE))
			return RAT_STATUS_NO_MEMORY;
		committed += length;
		ncommit++;
		slot_add(r->addr, length, 0);
	} else {
		madvise(p, length, MADV_DONTNEED);
		mprotect(p, length, PROT_NONE);
		committed -= length;
		ndecommit++;
		slot_add(r->addr, 0 - length, 0);
	}
	return RAT_STATUS_OK;
}

void rat_region_destroy(struct rat_region *r)
{
	size_t c = slot_add(r->addr, 0, 0);

	committed -= c;
	munmap(r->addr, r->size);
	regions--;
	memset(r, 0, sizeof(*r));
}
