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

#endif /* RATMEM_VALIDATE_H */
