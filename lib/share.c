// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: capabilities (RatMemShare, RatMemSharePidfd, RatMemShareRange,
 * RatMemAccept, RatMemRevoke) and leases (RatMemShareLease, RatMemLeaseExtend,
 * RatMemLeaseRemaining). A capability names one target process by pidfd, so pid
 * reuse cannot redirect it once granted; RatMemShare() takes a pid and
 * opens the pidfd itself, which leaves the usual window between the
 * caller learning the pid and that open (none for an unreaped child).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rat_internal.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434	/* the same number on every architecture */
#endif

/* What to share: all of mem, or a range of it (length not 0), with or without a lease. */
struct share_what {
	uint64_t lease_ns;
	uint64_t offset, length;
};

/* A module without leases or ranges is not asked for one. */
static RatStatus share_pidfd(HMEM mem, int access, int pidfd, const struct share_what *w,
			     char *cap)
{
	uint32_t rights;
	uint64_t id;
	RatStatus st;
	int fd, ret;

	st = rat_rights_from_access(access, &rights);
	if (st != RAT_STATUS_OK)
		return st;
	st = rat_hmem_lock(mem, RATMEM_FEATURE_SHARING |
			   (w->lease_ns ? RATMEM_FEATURE_LEASE : 0) |
			   (w->length ? RATMEM_FEATURE_GRANT_RANGE : 0), &fd);
	if (st != RAT_STATUS_OK)
		return st;
	if (w->length)
		ret = rat_grant_range(fd, mem->region.handle, rights, pidfd, w->offset, w->length,
				      w->lease_ns, &id);
	else
		ret = rat_grant_lease(fd, mem->region.handle, rights, pidfd, w->lease_ns, &id);
	rat_ctx_unlock();
	st = rat_hmem_status(mem, ret);
	if (st == RAT_STATUS_OK)
		rat_cap_format(id, cap);
	return st;
}

RatStatus RatMemSharePidfd(HMEM mem, int rights, int pidfd, char cap[RAT_CAP_STRLEN])
{
	const struct share_what all = { 0 };

	if (!cap)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	cap[0] = '\0';
	if (pidfd < 0)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	return rat_set_status(share_pidfd(mem, rights, pidfd, &all, cap));
}

static RatStatus share_pid(HMEM mem, int rights, pid_t pid, const struct share_what *w,
			   char *cap)
{
	uint32_t unused;
	RatStatus st;
	int saved = errno;
	int pidfd;

	if (!cap)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	cap[0] = '\0';
	/* Bad arguments fail before a descriptor is opened. */
	if (!mem || pid <= 0 || rat_rights_from_access(rights, &unused) != RAT_STATUS_OK)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		st = RatStatusFromErrno(-errno);	/* ESRCH: no such process */
		errno = saved;
		return rat_set_status(st);
	}
	st = share_pidfd(mem, rights, pidfd, w, cap);
	close(pidfd);
	errno = saved;
	return rat_set_status(st);
}

RatStatus RatMemShare(HMEM mem, int rights, pid_t pid, char cap[RAT_CAP_STRLEN])
{
	const struct share_what all = { 0 };

	return share_pid(mem, rights, pid, &all, cap);
}

RatStatus RatMemShareLease(HMEM mem, int rights, pid_t pid, uint64_t lease_ns,
			   char cap[RAT_CAP_STRLEN])
{
	const struct share_what w = { .lease_ns = lease_ns };

	if (cap)
		cap[0] = '\0';
	if (lease_ns == 0 || lease_ns > RATMEM_LEASE_MAX_NS)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	return share_pid(mem, rights, pid, &w, cap);
}

RatStatus RatMemShareRange(HMEM mem, size_t offset, size_t length, int rights, pid_t pid,
			   char cap[RAT_CAP_STRLEN])
{
	const struct share_what w = { .offset = offset, .length = length };

	if (cap)
		cap[0] = '\0';
	/* The module checks alignment and bounds against the region. */
	if (length == 0)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	return share_pid(mem, rights, pid, &w, cap);
}

RatStatus rat_cap_lock(HMEM mem, const char *cap, uint64_t features, uint64_t *id, int *fd)
{
	RatStatus st = rat_cap_parse(cap, id);

	if (st == RAT_STATUS_OK && !mem)
		st = RAT_STATUS_INVALID_ARG;
	if (st != RAT_STATUS_OK)
		return st;
	return rat_hmem_lock(mem, features, fd);
}

/* RATMEM_IOC_LEASE on capability text cap through mem. */
static RatStatus lease(HMEM mem, const char *cap, uint32_t flags, uint64_t lease_ns,
		       uint64_t *remaining_ns)
{
	uint64_t id;
	RatStatus st;
	int fd, ret;

	st = rat_cap_lock(mem, cap, RATMEM_FEATURE_LEASE, &id, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	ret = rat_lease(fd, mem->region.handle, id, flags, lease_ns, remaining_ns);
	rat_ctx_unlock();
	return rat_set_status(rat_hmem_status(mem, ret));
}

RatStatus RatMemLeaseExtend(HMEM mem, const char *cap, uint64_t lease_ns)
{
	if (lease_ns == 0 || lease_ns > RATMEM_LEASE_MAX_NS)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	return lease(mem, cap, RATMEM_LEASE_SET, lease_ns, NULL);
}

RatStatus RatMemLeaseRemaining(HMEM mem, const char *cap, uint64_t *remaining_ns)
{
	if (!remaining_ns)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	return lease(mem, cap, 0, 0, remaining_ns);
}

HMEM RatMemAccept(const char *cap)
{
	struct RatMemory *mem;
	uint32_t handle;
	uint64_t id, gen;
	RatStatus st;
	int fd, ret;

	st = rat_cap_parse(cap, &id);
	if (st != RAT_STATUS_OK) {
		rat_set_status(st);
		return NULL;
	}
	/* Allocated first: an accepted capability cannot be accepted again. */
	mem = calloc(1, sizeof(*mem));
	if (!mem) {
		rat_set_status(RAT_STATUS_NO_MEMORY);
		return NULL;
	}
	st = rat_ctx_lock(RATMEM_FEATURE_SHARING | RATMEM_FEATURE_MEMORY, &fd, &gen);
	if (st == RAT_STATUS_OK) {
		ret = rat_accept(fd, id, &handle, NULL);
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

RatStatus RatMemRevoke(HMEM mem, const char *cap)
{
	uint64_t id;
	RatStatus st;
	int fd, ret;

	st = rat_cap_lock(mem, cap, RATMEM_FEATURE_SHARING, &id, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	ret = rat_revoke(fd, mem->region.handle, id);
	rat_ctx_unlock();
	return rat_set_status(rat_hmem_status(mem, ret));
}
