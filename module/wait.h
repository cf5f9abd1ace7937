/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: WAIT and WAKE on words of a region (wait.c).
 */
#ifndef RATMEM_WAIT_H
#define RATMEM_WAIT_H

#include <linux/types.h>

struct ratmem_ctx;
struct ratmem_region;
struct ratmem_wait;
struct ratmem_wake;

int ratmem_word_wait(struct ratmem_ctx *ctx, const struct ratmem_wait *args);
int ratmem_word_wake(struct ratmem_ctx *ctx, const struct ratmem_wake *args, u32 *woken);

void ratmem_wait_wake_revoked(struct ratmem_region *region);

#endif /* RATMEM_WAIT_H */
