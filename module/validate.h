/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: validation of user-supplied ioctl arguments.
 *
 * Pure functions over copies of user structs: no locks, no allocation,
 * so they are unit-tested by KUnit in tests/kunit/.
 */
#ifndef RATMEM_VALIDATE_H
#define RATMEM_VALIDATE_H

#include <linux/types.h>

struct ratmem_api;
struct ratmem_stats;
struct ratmem_create;
struct ratmem_query;
struct ratmem_dup;
struct ratmem_close;
struct ratmem_range;
struct ratmem_grant;
struct ratmem_accept;
struct ratmem_revoke;
struct ratmem_named_create;
struct ratmem_named_open;
struct ratmem_unlink;
struct ratmem_wait;
struct ratmem_wake;
struct ratmem_policy;
struct ratmem_migrate;
struct ratmem_nodes;
struct ratmem_read_notices;
struct ratmem_grant_range;

bool ratmem_is_zeroed(const void *buf, size_t len);
int ratmem_check_flags(u64 flags, u64 valid);
int ratmem_check_range(u64 offset, u64 length, u64 size, u64 align);
int ratmem_check_api_args(const struct ratmem_api *api);
int ratmem_check_stats_args(const struct ratmem_stats *stats);
bool ratmem_rights_subset(u32 want, u32 have);
int ratmem_check_create_args(const struct ratmem_create *c, u64 size_max);
int ratmem_check_query_args(const struct ratmem_query *q);
int ratmem_check_dup_args(const struct ratmem_dup *d);
int ratmem_check_close_args(const struct ratmem_close *c);
int ratmem_check_range_args(const struct ratmem_range *r);
int ratmem_check_populate_args(const struct ratmem_populate *p);
int ratmem_check_policy(u32 mode, u64 nodemask);
int ratmem_check_policy_args(const struct ratmem_policy *p);
int ratmem_check_migrate_args(const struct ratmem_migrate *m);
int ratmem_check_nodes_args(const struct ratmem_nodes *n);
int ratmem_check_seal_args(const struct ratmem_seal *s);
int ratmem_check_lease_args(const struct ratmem_lease *l);
int ratmem_check_grant_range_args(const struct ratmem_grant_range *g);
int ratmem_check_read_notices_args(const struct ratmem_read_notices *n);
u32 ratmem_page_shift_for(u32 flags, u32 page_shift, u64 size, u64 auto_min, bool pmd);
int ratmem_check_grant_rights(u32 have, u32 want);
int ratmem_check_grant_args(const struct ratmem_grant *g);
int ratmem_check_accept_args(const struct ratmem_accept *a);
int ratmem_check_revoke_args(const struct ratmem_revoke *r);
int ratmem_check_name(const char *name, long copied);
int ratmem_check_named_create_args(const struct ratmem_named_create *c, u64 size_max);
int ratmem_check_named_open_args(const struct ratmem_named_open *o);
int ratmem_check_unlink_args(const struct ratmem_unlink *u);
int ratmem_check_wait_args(const struct ratmem_wait *w);
int ratmem_check_wake_args(const struct ratmem_wake *w);

#endif /* RATMEM_VALIDATE_H */
