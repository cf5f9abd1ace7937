/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: WAIT and WAKE on words of a region (wait.c). The ioctls
 * themselves are declared in ioctl.h.
 */
#ifndef RATMEM_WAIT_H
#define RATMEM_WAIT_H

struct ratmem_region;

void ratmem_wait_wake_revoked(struct ratmem_region *region);

#endif /* RATMEM_WAIT_H */
