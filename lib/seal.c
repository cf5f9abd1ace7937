// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: sealed regions (RatMemSeal, RatMemGetSeals) over
 * RATMEM_IOC_SEAL and the seals field of RATMEM_IOC_QUERY.
 */
#include "rat_internal.h"

RatStatus RatMemSeal(HMEM mem, uint32_t seals, uint32_t *sealed)
{
	uint32_t all = 0;
	RatStatus st;
	int fd, ret;

	if (seals & ~(uint32_t)RAT_SEALS_ALL)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	st = rat_hmem_lock(mem, RATMEM_FEATURE_SEAL, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	ret = rat_seal(fd, mem->region.handle, seals, &all);
	rat_ctx_unlock();
	st = rat_hmem_status(mem, ret);
	if (st == RAT_STATUS_OK && sealed)
		*sealed = all;
	return rat_set_status(st);
}

RatStatus RatMemGetSeals(HMEM mem, uint32_t *seals)
{
	struct ratmem_query q = { 0 };
	RatStatus st;
	int fd, ret;

	if (!seals)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	st = rat_hmem_lock(mem, RATMEM_FEATURE_SEAL, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	q.handle = mem->region.handle;
	ret = rat_query(fd, &q);
	rat_ctx_unlock();
	st = rat_hmem_status(mem, ret);
	if (st == RAT_STATUS_OK)
		*seals = q.seals;
	return rat_set_status(st);
}
