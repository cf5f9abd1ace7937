// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: what the sharing calls (named.c, share.c, wait.c, mutex.c)
 * and the placement calls (placement.c) share about HMEMs: reaching an
 * HMEM's handle in the default context, making HMEMs of received
 * handles, and remembering a revocation.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rat_internal.h"

RatStatus rat_hmem_lock(HMEM mem, uint64_t features, int *fd)
{
	uint64_t gen;
	RatStatus st;

	if (!mem)
		return RAT_STATUS_INVALID_ARG;
	if (atomic_load_explicit(&mem->revoked, memory_order_relaxed))
		return RAT_STATUS_REVOKED;
	/* In a forked child, or after RatShutdown(), this opens a new
	 * context whose generation is not mem's: the handle is gone. */
	st = rat_ctx_lock(features, fd, &gen);
	if (st != RAT_STATUS_OK)
		return st;
	if (gen != mem->region.gen) {
		rat_ctx_unlock();
		return RAT_STATUS_NOT_FOUND;
	}
	return RAT_STATUS_OK;
}

RatStatus rat_hmem_status(HMEM mem, int ret)
{
	if (ret == -ENOLINK && mem)
		atomic_store_explicit(&mem->revoked, 1, memory_order_relaxed);
	return RatStatusFromErrno(ret);
}

void rat_hmem_fill(struct RatMemory *mem, uint64_t gen, uint32_t handle, size_t size,
		   uint32_t rights)
{
	mem->region.size = size;
	mem->region.handle = handle;
	mem->region.gen = gen;
	mem->rights = rights;
	/* Never executable: W^X leaves that to the raw layer. */
	mem->prot = PROT_READ | ((rights & RATMEM_RIGHT_WRITE) ? PROT_WRITE : 0);
	mem->received = 0;
	atomic_store_explicit(&mem->revoked, 0, memory_order_relaxed);
}

RatStatus rat_hmem_adopt_locked(struct RatMemory *mem, int fd, uint64_t gen, uint32_t handle)
{
	struct ratmem_query q = { .handle = handle };
	int ret = rat_query(fd, &q);

	if (ret == 0 && q.size > SIZE_MAX)
		ret = -ENOMEM;		/* cannot be mapped by a 32-bit process */
	if (ret < 0) {
		/* Revoked already, most likely: give the number back. */
		rat_close_handle(fd, handle);
		return RatStatusFromErrno(ret);
	}
	rat_hmem_fill(mem, gen, handle, (size_t)q.size, q.rights);
	mem->received = 1;
	return RAT_STATUS_OK;
}

RatStatus rat_hmem_word_locked(HMEM mem, const void *addr, uint64_t *offset)
{
	const struct rat_region *r = &mem->region;
	uintptr_t p = (uintptr_t)addr, base = (uintptr_t)r->addr;

	/* The mapping of another process (before a fork) is not here. */
	if (!r->addr || r->pid != getpid())
		return RAT_STATUS_NOT_FOUND;
	if (p % sizeof(uint32_t) || p < base || r->size < sizeof(uint32_t) ||
	    p - base > r->size - sizeof(uint32_t))
		return RAT_STATUS_INVALID_ARG;
	*offset = p - base;
	return RAT_STATUS_OK;
}

RatStatus rat_rights_from_access(int access, uint32_t *rights)
{
	if (!(access & RAT_MEM_READ) || (access & ~(RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_SHARE)))
		return RAT_STATUS_INVALID_ARG;
	*rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP |
		  ((access & RAT_MEM_WRITE) ? RATMEM_RIGHT_WRITE : 0) |
		  ((access & RAT_MEM_SHARE) ? RATMEM_RIGHT_GRANT : 0);
	return RAT_STATUS_OK;
}

size_t RatMemSize(HMEM mem)
{
	rat_set_status(mem ? RAT_STATUS_OK : RAT_STATUS_INVALID_ARG);
	return mem ? mem->region.size : 0;
}

int RatMemAccess(HMEM mem)
{
	uint32_t r;

	if (!mem) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return -1;
	}
	r = mem->rights;
	rat_set_status(RAT_STATUS_OK);
	return ((r & RATMEM_RIGHT_READ) ? RAT_MEM_READ : 0) |
	       ((r & RATMEM_RIGHT_WRITE) ? RAT_MEM_WRITE : 0) |
	       ((r & RATMEM_RIGHT_EXEC) ? RAT_MEM_EXECUTE : 0) |
	       ((r & RATMEM_RIGHT_GRANT) ? RAT_MEM_SHARE : 0);
}
