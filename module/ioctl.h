/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the ioctls of /dev/ratmem. ratmem_ioctl() (ioctl.c) checks the
 * caller and dispatches; the handlers of the sharing, naming, waiting and
 * quota commands live with their objects: share.c, name.c, wait.c and
 * quota.c.
 */
#ifndef RATMEM_IOCTL_H
#define RATMEM_IOCTL_H

struct file;
struct ratmem_ctx;

/* ioctl.c */
long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* share.c */
long ratmem_ioctl_grant(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_accept(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_revoke(struct ratmem_ctx *ctx, void __user *uarg);

/* name.c */
long ratmem_ioctl_named_create(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_open(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_unlink(struct ratmem_ctx *ctx, void __user *uarg);

/* wait.c */
long ratmem_ioctl_wait(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_wake(struct ratmem_ctx *ctx, void __user *uarg);

/* quota.c */
long ratmem_ioctl_quota(void __user *uarg);

#endif /* RATMEM_IOCTL_H */
