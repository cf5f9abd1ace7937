// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: waiting on and waking a 32-bit word of a region (RatMemWait,
 * RatMemWake). The kernel keys waiters by (region, offset), so every
 * process meets at the same word whatever handle or address it uses;
 * futexes cannot serve, ratmem mappings being VM_PFNMAP.
 *
 * A wait may sleep for long: it must not hold the context lock, which
 * every other RatAPI call of the process takes. It sleeps on a dup of the
 * context's descriptor instead, so that a RatShutdown() meanwhile can
 * neither pull the file from under it nor let the number be reused.
 */
#include <errno.h>
#include <fcntl.h>

#include "rat_internal.h"

#define WAIT_FEATURES (RATMEM_FEATURE_WAIT | RATMEM_FEATURE_MEMORY)

RatStatus rat_waiter_open(HMEM mem, struct rat_waiter *w)
{
	RatStatus st;
	int fd, saved;

	st = rat_hmem_lock(mem, WAIT_FEATURES, &fd);
	if (st != RAT_STATUS_OK)
		return st;
	saved = errno;
	w->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (w->fd < 0)
		st = RatStatusFromErrno(-errno);
	errno = saved;
	w->handle = mem->region.handle;
	rat_ctx_unlock();
	return st;
}

RatStatus rat_waiter_wait(HMEM mem, const struct rat_waiter *w, uint64_t offset,
			  uint32_t expected, int64_t timeout_ns)
{
	return rat_hmem_status(mem, rat_wait(w->fd, w->handle, offset, expected, timeout_ns));
}

void rat_waiter_close(struct rat_waiter *w)
{
	if (w->fd >= 0)
		rat_close(w->fd);
	w->fd = -1;
}

RatStatus rat_hmem_wake(HMEM mem, uint64_t offset, uint32_t count, uint32_t *woken)
{
	RatStatus st;
	int fd, ret;

	st = rat_hmem_lock(mem, WAIT_FEATURES, &fd);
	if (st != RAT_STATUS_OK)
		return st;
	ret = rat_wake(fd, mem->region.handle, offset, count, woken);
	rat_ctx_unlock();
	return rat_hmem_status(mem, ret);
}

RatStatus RatMemWait(HMEM mem, size_t offset, uint32_t expected, int64_t timeout_ns)
{
	struct rat_waiter w;
	RatStatus st;

	st = rat_waiter_open(mem, &w);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	st = rat_waiter_wait(mem, &w, offset, expected, timeout_ns);
	rat_waiter_close(&w);
	return rat_set_status(st);
}

RatStatus RatMemWake(HMEM mem, size_t offset, uint32_t count, uint32_t *woken)
{
	return rat_set_status(rat_hmem_wake(mem, offset, count, woken));
}
