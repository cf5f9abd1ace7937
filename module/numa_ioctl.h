/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the NUMA commands of a handle (numa_ioctl.c).
 */
#ifndef RATMEM_NUMA_IOCTL_H
#define RATMEM_NUMA_IOCTL_H

struct ratmem_ctx;
struct ratmem_policy;
struct ratmem_migrate;
struct ratmem_nodes;

int ratmem_handle_policy(struct ratmem_ctx *ctx, const struct ratmem_policy *args);
int ratmem_handle_migrate(struct ratmem_ctx *ctx, struct ratmem_migrate *args);
int ratmem_handle_nodes(struct ratmem_ctx *ctx, struct ratmem_nodes *args);

#endif /* RATMEM_NUMA_IOCTL_H */
