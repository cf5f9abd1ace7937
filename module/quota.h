/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the worker of RATMEM_IOC_QUOTA (quota.c).
 */
#ifndef RATMEM_QUOTA_H
#define RATMEM_QUOTA_H

struct ratmem_quota;

int ratmem_quota_apply(struct ratmem_quota *q);

#endif /* RATMEM_QUOTA_H */
