/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: sharing (share.c). GRANT, ACCEPT and REVOKE are declared in
 * ioctl.h.
 */
#ifndef RATMEM_SHARE_H
#define RATMEM_SHARE_H

struct pid;

struct pid *ratmem_pidfd_process(int pidfd);

#endif /* RATMEM_SHARE_H */
