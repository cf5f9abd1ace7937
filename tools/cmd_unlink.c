// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl unlink REGION_ID: an administrator removes the name of a
 * region (RATMEM_IOC_UNLINK with RATMEM_UNLINK_BY_ID), in whichever user
 * namespace it lives, and revokes everything opened through it. Region
 * ids come from "ratmemctl regions". Needs CAP_SYS_ADMIN.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ctl.h"
#include "rat.h"

int cmd_unlink(const struct ctl *c, int argc, char **argv)
{
	struct ratmem_unlink u = { .flags = RATMEM_UNLINK_BY_ID };
	char *end;
	int fd, err = 0;

	(void)c;
	if (argc != 2)
		return usage_error("unlink: give one REGION_ID (ratmemctl regions lists them)");
	errno = 0;
	u.region_id = strtoull(argv[1], &end, 10);
	if (errno || *end || !u.region_id || argv[1][0] == '-')
		return usage_error("unlink: '%s' is not a region id", argv[1]);
	fd = rat_open();
	if (fd < 0)
		return device_error("unlink", -fd);
	if (ioctl(fd, RATMEM_IOC_UNLINK, &u))
		err = errno;
	rat_close(fd);
	if (err == EPERM)
		return runtime_error("unlink: permission denied: removing a name by region id "
				     "needs CAP_SYS_ADMIN");
	if (err == ENOENT)
		return runtime_error("unlink: region %" PRIu64 " has no name (or no such region)",
				     (uint64_t)u.region_id);
	if (err)
		return device_error("unlink", err);
	return EXIT_OK;
}
