// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: named regions as HMEMs (RatSharedMemCreateEx, RatSharedMemOpenEx,
 * RatSharedMemCloseEx, RatSharedMemUnlinkEx), which other processes find
 * by name, like shm_open(3) objects. shmview.c makes the specification's
 * pointer calls of them.
 */
#include <stdlib.h>

#include "rat_internal.h"

/* The creator's rights, and the region's maximum: no EXEC (W^X across
 * processes is the raw layer's business). */
#define SHM_RIGHTS (RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP | \
		    RATMEM_RIGHT_GRANT)
#define SHM_FEATURES (RATMEM_FEATURE_NAMED | RATMEM_FEATURE_MEMORY)

HMEM RatSharedMemCreateEx(const char *name, size_t size, unsigned int mode)
{
	struct RatMemory *mem;
	uint32_t handle;
	size_t rounded;
	uint64_t gen;
	RatStatus st;
	int fd, ret;

	if (!name || (mode & ~RATMEM_MODE_MASK)) {
		rat_set_status(RAT_STATUS_INVALID_ARG);
		return NULL;
	}
	st = rat_round_size(size, &rounded);
	if (st != RAT_STATUS_OK) {
		rat_set_status(st);
		return NULL;
	}
	/* Allocated first: once the name exists, nothing may fail. */
	mem = calloc(1, sizeof(*mem));
	if (!mem) {
		rat_set_status(RAT_STATUS_NO_MEMORY);
		return NULL;
	}
	st = rat_ctx_lock(SHM_FEATURES, &fd, &gen);
	if (st != RAT_STATUS_OK) {
		free(mem);
		rat_set_status(st);
		return NULL;
	}
	ret = rat_named_create(fd, name, rounded, RATMEM_CREATE_COMMIT, SHM_RIGHTS, mode, &handle);
	rat_ctx_unlock();
	if (ret < 0) {
		free(mem);
		rat_set_status(RatStatusFromErrno(ret));
		return NULL;
	}
	rat_hmem_fill(mem, gen, handle, rounded, SHM_RIGHTS);
	rat_set_status(RAT_STATUS_OK);
	return mem;
}

HMEM RatSharedMemOpenEx(const char *name, int access)
{
	struct RatMemory *mem;
	uint32_t rights, handle;
	uint64_t gen;
	RatStatus st;
	int fd, ret;

	st = rat_rights_from_access(access, &rights);
	if (st == RAT_STATUS_OK && !name)
		st = RAT_STATUS_INVALID_ARG;
	if (st != RAT_STATUS_OK) {
		rat_set_status(st);
		return NULL;
	}
	mem = calloc(1, sizeof(*mem));
	if (!mem) {
		rat_set_status(RAT_STATUS_NO_MEMORY);
		return NULL;
	}
	st = rat_ctx_lock(SHM_FEATURES, &fd, &gen);
	if (st == RAT_STATUS_OK) {
		ret = rat_open_named(fd, name, rights, &handle);
		st = ret < 0 ? RatStatusFromErrno(ret) : rat_hmem_adopt_locked(mem, fd, gen, handle);
		rat_ctx_unlock();
	}
	if (st != RAT_STATUS_OK) {
		free(mem);
		mem = NULL;
	}
	rat_set_status(st);
	return mem;
}

RatStatus RatSharedMemCloseEx(HMEM mem)
{
	return RatFreeMemory(mem);
}

RatStatus RatSharedMemUnlinkEx(const char *name, int flags)
{
	uint64_t gen;
	RatStatus st;
	int fd, ret;

	if (!name || (flags & ~RAT_UNLINK_REVOKE))
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	st = rat_ctx_lock(RATMEM_FEATURE_NAMED, &fd, &gen);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	ret = rat_unlink(fd, name, (flags & RAT_UNLINK_REVOKE) ? RATMEM_UNLINK_REVOKE : 0);
	rat_ctx_unlock();
	return rat_set_status(RatStatusFromErrno(ret));
}
