/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the process a pidfd names, for GRANT and QUOTA (pidfd.c).
 */
#ifndef RATMEM_PIDFD_H
#define RATMEM_PIDFD_H

#include <linux/types.h>

struct pid;

struct pid *ratmem_pidfd_process(int pidfd, bool live);

#endif /* RATMEM_PIDFD_H */
