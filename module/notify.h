/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: events, reported from one place (notify.c), and the violation
 * policy.
 */
#ifndef RATMEM_NOTIFY_H
#define RATMEM_NOTIFY_H

#include <linux/types.h>

struct ratmem_acct;
struct ratmem_cap;
struct ratmem_region;

/**
 * enum ratmem_event - what ratmem_notify() reports
 * @RATMEM_EVENT_GRANT: a capability was granted.
 * @RATMEM_EVENT_ACCEPT: a capability was accepted.
 * @RATMEM_EVENT_REVOKE: a capability was revoked.
 * @RATMEM_EVENT_VIOLATION: a process touched memory it lost by a revoke.
 * @RATMEM_EVENT_WX: a mapping or mprotect() was refused by W^X.
 */
enum ratmem_event {
	RATMEM_EVENT_GRANT,
	RATMEM_EVENT_ACCEPT,
	RATMEM_EVENT_REVOKE,
	RATMEM_EVENT_VIOLATION,
	RATMEM_EVENT_WX,
};

void ratmem_notify(enum ratmem_event event, const struct ratmem_cap *cap);
void ratmem_notify_quota(const struct ratmem_acct *acct, unsigned int res, u64 amount,
			 const u64 *usage, const u64 *limit, const struct ratmem_region *region);

/* The violation policy (module parameter violation_policy). */
bool ratmem_violation_kills(void);

#endif /* RATMEM_NOTIFY_H */
