/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the workers of GRANT, ACCEPT and REVOKE (share.c).
 */
#ifndef RATMEM_SHARE_H
#define RATMEM_SHARE_H

#include <linux/types.h>

struct ratmem_cap;
struct ratmem_ctx;
struct ratmem_grant_range;
struct ratmem_revoke;
struct ratmem_handle_new;

int ratmem_grant_create(struct ratmem_ctx *ctx, const struct ratmem_grant_range *args,
			struct ratmem_cap **out);
void ratmem_grant_withdraw(struct ratmem_cap *grant);
int ratmem_grant_accept(struct ratmem_ctx *ctx, u64 cap_id, struct ratmem_handle_new *hn);
int ratmem_grant_revoke(struct ratmem_ctx *ctx, const struct ratmem_revoke *args);

#endif /* RATMEM_SHARE_H */
