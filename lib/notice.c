// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: revocation with notice (RatMemRevokeAfter, RatMemWatch,
 * RatMemWatchFd). The context descriptor is duplicated under the
 * context lock and the waiting is done on the duplicate without it, as
 * RatMemWait() does, so one thread waiting for a deadline or for notices
 * never holds up the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>

#include "rat_internal.h"

/* A duplicate of the context descriptor, taken under the context lock. */
static RatStatus ctx_dup(uint64_t features, int *out)
{
	RatStatus st;
	uint64_t gen;
	int fd, saved = errno;

	st = rat_ctx_lock(features, &fd, &gen);
	if (st != RAT_STATUS_OK)
		return st;
	*out = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (*out < 0)
		st = RatStatusFromErrno(-errno);
	rat_ctx_unlock();
	errno = saved;
	return st;
}

RatStatus RatMemRevokeAfter(HMEM mem, const char *cap, uint64_t timeout_ns)
{
	uint64_t id;
	uint32_t handle;
	RatStatus st;
	int fd, dup, ret;

	if (timeout_ns == 0)
		return RatMemRevoke(mem, cap);
	if (timeout_ns > RATMEM_LEASE_MAX_NS)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	st = rat_cap_lock(mem, cap, RATMEM_FEATURE_NOTICE, &id, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	handle = mem->region.handle;
	/* Started under the lock; the wait, which may be long, on a duplicate. */
	ret = rat_revoke_deadline(fd, handle, id, timeout_ns, 0);
	dup = ret == 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (ret == 0 && dup < 0)
		ret = -errno;
	rat_ctx_unlock();
	/* Asking again with the same deadline only waits for the end. */
	if (ret == 0)
		ret = rat_revoke_deadline(dup, handle, id, timeout_ns, RATMEM_REVOKE_WAIT);
	/* The receivers let go first, and the revocation completed: done. */
	if (ret == -ENOENT)
		ret = 0;
	if (dup >= 0)
		rat_close(dup);
	return rat_set_status(rat_hmem_status(mem, ret));
}

/* Milliseconds for poll(), rounded up; -1 for RAT_WAIT_FOREVER. */
static int poll_ms(int64_t timeout_ns, const struct timespec *start)
{
	struct timespec now;
	int64_t left;

	if (timeout_ns < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left = timeout_ns - ((int64_t)(now.tv_sec - start->tv_sec) * 1000000000 +
			     (now.tv_nsec - start->tv_nsec));
	if (left <= 0)
		return 0;
	return left / 1000000 >= INT32_MAX ? INT32_MAX : (int)((left + 999999) / 1000000);
}

static void notice_from_record(RatMemNotice *n, const struct ratmem_notice *r)
{
	rat_cap_format(r->cap_id, n->cap);
	n->events = (r->events & RATMEM_NOTICE_REVOKING ? RAT_NOTICE_REVOKING : 0) |
		    (r->events & RATMEM_NOTICE_REVOKED ? RAT_NOTICE_REVOKED : 0);
	n->accepted = r->handle != 0;
	n->deadline_ns = r->deadline_ns;
}

RatStatus RatMemWatch(RatMemNotice *notices, size_t max, size_t *count, int64_t timeout_ns)
{
	struct ratmem_notice recs[RATMEM_NOTICES_MAX];
	struct pollfd pfd = { .events = POLLPRI };
	struct timespec start;
	uint32_t n;
	RatStatus st;
	int ret, ms;

	if (!notices || !max || !count || timeout_ns < RAT_WAIT_FOREVER)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	*count = 0;
	st = ctx_dup(RATMEM_FEATURE_NOTICE, &pfd.fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		n = max < RATMEM_NOTICES_MAX ? (uint32_t)max : RATMEM_NOTICES_MAX;
		ret = rat_read_notices(pfd.fd, recs, &n);
		if (ret < 0 || n > 0)
			break;
		ms = poll_ms(timeout_ns, &start);
		if (ms == 0) {
			ret = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
	}
	rat_close(pfd.fd);
	if (ret < 0)
		return rat_set_status(RatStatusFromErrno(ret));
	for (uint32_t i = 0; i < n; i++)
		notice_from_record(&notices[i], &recs[i]);
	*count = n;
	return rat_set_status(RAT_STATUS_OK);
}

int RatMemWatchFd(void)
{
	RatStatus st;
	int fd;

	st = ctx_dup(RATMEM_FEATURE_NOTICE, &fd);
	rat_set_status(st);
	return st == RAT_STATUS_OK ? fd : -1;
}
