/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the ioctls of /dev/ratmem (ioctl.c). Each command's worker is
 * declared in the header of the object it acts on.
 */
#ifndef RATMEM_IOCTL_H
#define RATMEM_IOCTL_H

struct file;

long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* RATMEM_IOCTL_H */
