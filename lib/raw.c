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
