/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: revocation with a deadline, and the notices of revocation
 * (revoke_after.c).
 */
#ifndef RATMEM_REVOKE_AFTER_H
#define RATMEM_REVOKE_AFTER_H

#include <linux/types.h>

struct ratmem_cap;
struct ratmem_ctx;
struct ratmem_noticeq;
struct ratmem_notice_rec;

struct ratmem_cap *ratmem_cap_revoking(const struct ratmem_cap *cap);
int ratmem_revoke_after(struct ratmem_ctx *ctx, struct ratmem_cap *cap, u64 deadline_ns);
int ratmem_revoke_after_wait(struct ratmem_cap *cap);
bool ratmem_revoke_after_let_go_locked(struct ratmem_cap *top);
void ratmem_revoke_after_user_gone_locked(struct ratmem_cap *cap);
void ratmem_revoke_after_end_locked(struct ratmem_cap *cap);
void ratmem_revoke_after_done(struct ratmem_cap *cap);
void ratmem_revoke_notice_accepted(struct ratmem_cap *cap, struct ratmem_notice_rec **rec,
				   struct ratmem_noticeq *q, u32 handle);

#endif /* RATMEM_REVOKE_AFTER_H */
