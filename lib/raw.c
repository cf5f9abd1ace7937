// SPDX-License-Identifier: LGPL-2.1-or-later
/* librat raw layer: one function per ioctl (and mmap), -errno on failure. */
/* mmap offsets carry the handle in bits 40 and up: off_t must be 64-bit. */
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rat.h"

static int rat_ioctl(int fd, unsigned long cmd, void *arg)
{
	int saved = errno;
	int ret = ioctl(fd, cmd, arg);

	if (ret < 0) {
		ret = -errno;
		errno = saved;
	}
	return ret;
}

int rat_open(void)
{
	int saved = errno;
	int fd = open("/dev/" RATMEM_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fd = -errno;
		errno = saved;
	}
	return fd;
}

int rat_close(int fd)
{
	int saved = errno;
	int ret = close(fd);

	if (ret < 0) {
		ret = -errno;
		errno = saved;
	}
	return ret;
}

int rat_api(int fd, struct ratmem_api *api)
{
	return rat_ioctl(fd, RATMEM_IOC_API, api);
}

int rat_stats(int fd, struct ratmem_stats *stats)
{
	return rat_ioctl(fd, RATMEM_IOC_STATS, stats);
}

int rat_create(int fd, struct ratmem_create *create)
{
	return rat_ioctl(fd, RATMEM_IOC_CREATE, create);
}

int rat_query(int fd, struct ratmem_query *query)
{
	return rat_ioctl(fd, RATMEM_IOC_QUERY, query);
}

int rat_dup(int fd, struct ratmem_dup *dup)
{
	return rat_ioctl(fd, RATMEM_IOC_DUP, dup);
}

int rat_close_handle(int fd, uint32_t handle)
{
	struct ratmem_close c = { .handle = handle };

	return rat_ioctl(fd, RATMEM_IOC_CLOSE, &c);
}

static int rat_range(int fd, unsigned long cmd, uint32_t handle, uint64_t offset,
		     uint64_t length)
{
	struct ratmem_range r = { .handle = handle, .offset = offset, .length = length };

	return rat_ioctl(fd, cmd, &r);
}

int rat_commit(int fd, uint32_t handle, uint64_t offset, uint64_t length)
{
	return rat_range(fd, RATMEM_IOC_COMMIT, handle, offset, length);
}

int rat_decommit(int fd, uint32_t handle, uint64_t offset, uint64_t length)
{
	return rat_range(fd, RATMEM_IOC_DECOMMIT, handle, offset, length);
}

int rat_mmap(int fd, uint32_t handle, uint64_t offset, size_t length, int prot, void **addr)
{
	int saved = errno;
	void *p;

	/* The kernel would read a larger handle or offset as another
	 * handle's window: refuse both here, with the kernel's EINVAL. */
	if (!addr || !handle || handle > RATMEM_HANDLE_MAX ||
	    offset >= RATMEM_REGION_SIZE_LIMIT)
		return -EINVAL;
	p = mmap(NULL, length, prot, MAP_SHARED, fd,
		 (off_t)(RATMEM_MMAP_OFFSET(handle) + offset));
	if (p == MAP_FAILED) {
		int ret = -errno;

		errno = saved;
		return ret;
	}
	*addr = p;
	return 0;
}

/* ---- sharing, named regions, wait/wake ------------------------------ */

/* A name as the kernel's __u64 pointer field. */
static uint64_t rat_name_ptr(const char *name)
{
	return (uint64_t)(uintptr_t)name;
}

int rat_grant(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t *cap_id)
{
	return rat_grant_lease(fd, handle, rights, pidfd, 0, cap_id);
}

int rat_accept(int fd, uint64_t cap_id, uint32_t *handle, uint32_t *rights)
{
	struct ratmem_accept a = { .cap_id = cap_id };
	int ret;

	if (!handle)
		return -EINVAL;
	ret = rat_ioctl(fd, RATMEM_IOC_ACCEPT, &a);
	if (ret == 0) {
		*handle = a.handle;
		if (rights)
			*rights = a.rights;
	}
	return ret;
}

int rat_revoke(int fd, uint32_t handle, uint64_t cap_id)
{
	return rat_revoke_deadline(fd, handle, cap_id, 0, 0);
}

int rat_revoke_deadline(int fd, uint32_t handle, uint64_t cap_id, uint64_t deadline_ns,
			uint32_t flags)
{
	struct ratmem_revoke r = { .handle = handle, .flags = flags, .cap_id = cap_id,
				   .deadline_ns = deadline_ns };

	return rat_ioctl(fd, RATMEM_IOC_REVOKE, &r);
}

int rat_read_notices(int fd, struct ratmem_notice *records, uint32_t *count)
{
	struct ratmem_read_notices n;
	int ret;

	if (!count)
		return -EINVAL;
	n = (struct ratmem_read_notices){ .records = (uintptr_t)records, .count = *count };
	ret = rat_ioctl(fd, RATMEM_IOC_READ_NOTICES, &n);
	if (ret == 0)
		*count = n.count;
	return ret;
}

int rat_named_create(int fd, const char *name, uint64_t size, uint32_t flags, uint32_t rights,
		     uint32_t mode, uint32_t *handle)
{
	struct ratmem_named_create c = {
		.name = rat_name_ptr(name), .size = size, .flags = flags,
		.rights = rights, .mode = mode,
	};
	int ret;

	if (!handle)
		return -EINVAL;
	ret = rat_ioctl(fd, RATMEM_IOC_NAMED_CREATE, &c);
	if (ret == 0)
		*handle = c.handle;
	return ret;
}

int rat_open_named(int fd, const char *name, uint32_t rights, uint32_t *handle)
{
	struct ratmem_named_open o = { .name = rat_name_ptr(name), .rights = rights };
	int ret;

	if (!handle)
		return -EINVAL;
	ret = rat_ioctl(fd, RATMEM_IOC_NAMED_OPEN, &o);
	if (ret == 0)
		*handle = o.handle;
	return ret;
}

int rat_unlink(int fd, const char *name, uint32_t flags)
{
	struct ratmem_unlink u = { .name = rat_name_ptr(name), .flags = flags };

	return rat_ioctl(fd, RATMEM_IOC_UNLINK, &u);
}

int rat_wait(int fd, uint32_t handle, uint64_t offset, uint32_t expected, int64_t timeout_ns)
{
	struct ratmem_wait w = {
		.handle = handle, .offset = offset, .expected = expected,
		.timeout_ns = timeout_ns,
	};

	return rat_ioctl(fd, RATMEM_IOC_WAIT, &w);
}

int rat_wake(int fd, uint32_t handle, uint64_t offset, uint32_t count, uint32_t *woken)
{
	struct ratmem_wake w = { .handle = handle, .offset = offset, .count = count };
	int ret = rat_ioctl(fd, RATMEM_IOC_WAKE, &w);

	if (ret == 0 && woken)
		*woken = w.woken;
	return ret;
}

/* ---- quotas (librat 0.4) --------------------------------------------- */

int rat_quota(int fd, struct ratmem_quota *q)
{
	return rat_ioctl(fd, RATMEM_IOC_QUOTA, q);
}

/* ---- populate, NUMA placement (librat 1.2) ---------------------------- */

int rat_populate(int fd, void *addr, size_t length)
{
	struct ratmem_populate p = { .addr = (uint64_t)(uintptr_t)addr, .length = length };

	return rat_ioctl(fd, RATMEM_IOC_POPULATE, &p);
}

int rat_policy(int fd, uint32_t handle, uint32_t mode, uint64_t nodemask)
{
	struct ratmem_policy p = { .handle = handle, .mode = mode, .nodemask = nodemask };

	return rat_ioctl(fd, RATMEM_IOC_POLICY, &p);
}

int rat_grant_range(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t offset,
		    uint64_t length, uint64_t lease_ns, uint64_t *cap_id)
{
	struct ratmem_grant_range g = { .handle = handle, .rights = rights, .pidfd = pidfd,
					.offset = offset, .length = length, .lease_ns = lease_ns };
	int ret;

	if (!cap_id)
		return -EINVAL;
	ret = rat_ioctl(fd, RATMEM_IOC_GRANT_RANGE, &g);
	if (ret == 0)
		*cap_id = g.cap_id;
	return ret;
}

int rat_grant_lease(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t lease_ns,
		    uint64_t *cap_id)
{
	struct ratmem_grant g = { .handle = handle, .rights = rights, .pidfd = pidfd,
				  .lease_ns = lease_ns };
	int ret;

	/* Without somewhere to put the id the capability could never be
	 * accepted or revoked: refuse before it exists. */
	if (!cap_id)
		return -EINVAL;
	ret = rat_ioctl(fd, RATMEM_IOC_GRANT, &g);
	if (ret == 0)
		*cap_id = g.cap_id;
	return ret;
}

int rat_lease(int fd, uint32_t handle, uint64_t cap_id, uint32_t flags, uint64_t lease_ns,
	      uint64_t *remaining_ns)
{
	struct ratmem_lease l = { .handle = handle, .flags = flags, .cap_id = cap_id,
				  .lease_ns = lease_ns };
	int ret = rat_ioctl(fd, RATMEM_IOC_LEASE, &l);

	if (ret == 0 && remaining_ns)
		*remaining_ns = l.remaining_ns;
	return ret;
}

int rat_seal(int fd, uint32_t handle, uint32_t seals, uint32_t *sealed)
{
	struct ratmem_seal s = { .handle = handle, .seals = seals };
	int ret = rat_ioctl(fd, RATMEM_IOC_SEAL, &s);

	if (ret == 0 && sealed)
		*sealed = s.seals;
	return ret;
}

int rat_migrate(int fd, struct ratmem_migrate *m)
{
	return rat_ioctl(fd, RATMEM_IOC_MIGRATE, m);
}

int rat_nodes(int fd, struct ratmem_nodes *n)
{
	return rat_ioctl(fd, RATMEM_IOC_NODES, n);
}
