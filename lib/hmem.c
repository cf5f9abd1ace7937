// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: HMEM, a committed region named by an opaque handle
 * (RatAllocMemory, RatMapMemory, RatFreeMemory). struct RatMemory is in
 * rat_internal.h: named.c and share.c make HMEMs of shared regions.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "rat_internal.h"

#define HMEM_RIGHTS (RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP | \
		     RATMEM_RIGHT_GRANT)

HMEM RatAllocMemory(size_t size)
{
	struct RatMemory *mem;
	size_t rounded;
	RatStatus st;

	st = rat_round_size(size, &rounded);
	if (st != RAT_STATUS_OK) {
		rat_set_status(st);
		return NULL;
	}
	mem = calloc(1, sizeof(*mem));
	if (!mem) {
		rat_set_status(RAT_STATUS_NO_MEMORY);
		return NULL;
	}
	st = rat_region_create(&mem->region, rounded, HMEM_RIGHTS, RATMEM_CREATE_COMMIT);
	if (st != RAT_STATUS_OK) {
		free(mem);
		rat_set_status(st);
		return NULL;
	}
	mem->rights = HMEM_RIGHTS;
	mem->prot = PROT_READ | PROT_WRITE;
	rat_set_status(RAT_STATUS_OK);
	return mem;
}

void *RatMapMemory(HMEM mem)
{
	RatStatus st;

	if (!mem) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	st = rat_region_map(&mem->region, mem->prot);
	/* A region sealed against writing (RAT_SEAL_WRITE) maps read-only. */
	if (st == RAT_STATUS_PERMISSION && (mem->prot & PROT_WRITE))
		st = rat_region_map(&mem->region, mem->prot & ~PROT_WRITE);
	rat_set_status(st);
	return st == RAT_STATUS_OK ? mem->region.addr : NULL;
}

RatStatus RatFreeMemory(HMEM mem)
{
	/* A lent HMEM goes with its pointer (RatMemHandleOf()). */
	if (!mem || mem->lent)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	rat_region_destroy(&mem->region);
	free(mem);
	return rat_set_status(RAT_STATUS_OK);
}
