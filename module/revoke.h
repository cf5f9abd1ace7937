/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: revocation (revoke.c): marking a capability and everything
 * below it, asking for the sweep of the PTEs made through them (mmap.c),
 * and finishing a sweep that a fatal signal interrupted.
 */
#ifndef RATMEM_REVOKE_H
#define RATMEM_REVOKE_H

#include <linux/types.h>

struct pid;
struct ratmem_cap;
struct ratmem_ctx;
struct ratmem_region;
struct workqueue_struct;

/* Finishes interrupted revocation sweeps; made and destroyed by main.c. */
extern struct workqueue_struct *ratmem_wq;

int ratmem_revoke(struct ratmem_cap *cap, bool killable);
int ratmem_region_finish_revokes(struct ratmem_region *region, bool killable);
int ratmem_revoke_opens(struct ratmem_cap *owner, struct pid *spare, bool killable);
void ratmem_revoke_issued(struct ratmem_ctx *ctx);
void ratmem_revoke_init_region(struct ratmem_region *region);

#endif /* RATMEM_REVOKE_H */
