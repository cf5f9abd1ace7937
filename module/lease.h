/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: grants that revoke themselves (lease.c).
 */
#ifndef RATMEM_LEASE_H
#define RATMEM_LEASE_H

#include <linux/types.h>

struct ratmem_cap;
struct ratmem_ctx;
struct ratmem_lease;

void ratmem_lease_init(struct ratmem_cap *cap);
void ratmem_lease_arm_locked(struct ratmem_cap *cap, u64 end);
void ratmem_lease_kick_locked(struct ratmem_cap *cap);
int ratmem_lease_start(struct ratmem_cap *cap, u64 lease_ns);
void ratmem_lease_cancel_locked(struct ratmem_cap *cap);
void ratmem_lease_release(struct ratmem_cap *cap);
u64 ratmem_lease_remaining_locked(const struct ratmem_cap *cap);
int ratmem_handle_lease(struct ratmem_ctx *ctx, struct ratmem_lease *args);

#endif /* RATMEM_LEASE_H */
