// SPDX-License-Identifier: LGPL-2.1-or-later
/* librat raw layer: one function per ioctl, -errno on failure. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
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
