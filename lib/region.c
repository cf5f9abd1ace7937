// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: one region of the default context and its whole-region
 * mapping, the building block of HMEMs, reservations and the heap.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rat_internal.h"

size_t rat_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

RatStatus rat_round_size(size_t size, size_t *rounded)
{
	size_t page = rat_page_size();

	if (size == 0 || size > SIZE_MAX - (page - 1))
		return RAT_STATUS_INVALID_ARG;
	*rounded = (size + page - 1) & ~(page - 1);
	return RAT_STATUS_OK;
}

RatStatus rat_prot_from_flags(int flags, int *prot)
{
	if (flags & ~(RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_EXECUTE))
		return RAT_STATUS_INVALID_ARG;
	if ((flags & RAT_MEM_WRITE) && (flags & RAT_MEM_EXECUTE))
		return RAT_STATUS_PERMISSION;
	*prot = ((flags & RAT_MEM_READ) ? PROT_READ : 0) |
		((flags & RAT_MEM_WRITE) ? PROT_WRITE : 0) |
		((flags & RAT_MEM_EXECUTE) ? PROT_EXEC : 0);
	return RAT_STATUS_OK;
}

RatStatus rat_region_create(struct rat_region *r, size_t size, uint32_t rights, uint32_t flags)
{
	struct ratmem_create c = {
		.size = size, .flags = flags, .rights = rights, .numa_node = -1,
	};
	RatStatus st;
	uint64_t gen;
	int fd, ret;

	memset(r, 0, sizeof(*r));
	st = rat_ctx_lock(RATMEM_FEATURE_MEMORY, &fd, &gen);
	if (st != RAT_STATUS_OK)
		return st;
	ret = rat_create(fd, &c);
	rat_ctx_unlock();
	if (ret < 0)
		return RatStatusFromErrno(ret);
	r->size = size;
	r->handle = c.handle;
	r->gen = gen;
	return RAT_STATUS_OK;
}

RatStatus rat_region_map(struct rat_region *r, int prot)
{
	void *addr;
	int fd, ret;

	RatStatus st;

	/* The context lock also orders concurrent maps of one region, and
	 * keeps the descriptor the handle's context during mmap(). */
	fd = rat_ctx_lock_gen(r->gen);
	if (r->addr) {
		st = r->pid == getpid() ? RAT_STATUS_OK : RAT_STATUS_NOT_FOUND;
	} else if (fd < 0) {
		st = RAT_STATUS_NOT_FOUND;
	} else {
		ret = rat_mmap(fd, r->handle, 0, r->size, prot, &addr);
		st = RatStatusFromErrno(ret);
		if (ret == 0) {
			r->addr = addr;
			r->pid = getpid();
		}
	}
	rat_ctx_unlock();
	return st;
}

RatStatus rat_region_new(struct rat_region *r, size_t size, uint32_t rights, uint32_t flags,
			 int prot)
{
	RatStatus st = rat_region_create(r, size, rights, flags);

	if (st != RAT_STATUS_OK)
		return st;
	st = rat_region_map(r, prot);
	if (st != RAT_STATUS_OK)
		rat_region_destroy(r);
	return st;
}

RatStatus rat_region_range(const struct rat_region *r, int commit, uint64_t offset,
			   uint64_t length)
{
	int fd, ret;

	fd = rat_ctx_lock_gen(r->gen);
	if (fd < 0)
		ret = -ENOENT;	/* the handle went with its context */
	else if (commit)
		ret = rat_commit(fd, r->handle, offset, length);
	else
		ret = rat_decommit(fd, r->handle, offset, length);
	rat_ctx_unlock();
	return RatStatusFromErrno(ret);
}

void rat_region_destroy(struct rat_region *r)
{
	int fd;

	/* In a forked child the parent's mapping is absent, and its
	 * address may hold one of the child's own: leave it alone. */
	if (r->addr && r->pid == getpid())
		munmap(r->addr, r->size);
	fd = rat_ctx_lock_gen(r->gen);
	if (fd >= 0)
		rat_close_handle(fd, r->handle);
	rat_ctx_unlock();
	memset(r, 0, sizeof(*r));
}
