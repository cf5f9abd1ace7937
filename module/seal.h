/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: sealed regions (seal.c).
 */
#ifndef RATMEM_SEAL_H
#define RATMEM_SEAL_H

struct ratmem_ctx;
struct ratmem_seal;

int ratmem_handle_seal(struct ratmem_ctx *ctx, struct ratmem_seal *args);

#endif /* RATMEM_SEAL_H */
