/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: events, reported from one place (notify.c), and the violation
 * policy.
 */
#ifndef RATMEM_NOTIFY_H
#define RATMEM_NOTIFY_H

#include <linux/types.h>

#include <linux/ratmem_genl.h>

struct ratmem_proc_quota;
struct ratmem_cap;
struct ratmem_region;

/* Events are the uapi's own enums, enum ratmem_genl_event and _violation. */
void ratmem_notify(enum ratmem_genl_event event, const struct ratmem_cap *cap);
void ratmem_notify_violation(enum ratmem_genl_violation violation, const struct ratmem_cap *cap);
void ratmem_notify_quota(const struct ratmem_proc_quota *quota, unsigned int res, u64 amount,
			 const u64 *usage, const u64 *limit, const struct ratmem_region *region);

/* The violation policy (module parameter violation_policy). */
bool ratmem_violation_kills(void);

#endif /* RATMEM_NOTIFY_H */
