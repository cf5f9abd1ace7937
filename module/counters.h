/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: module-wide object counters (counters.c).
 */
#ifndef RATMEM_COUNTERS_H
#define RATMEM_COUNTERS_H

#include <linux/atomic.h>
#include <linux/types.h>

/**
 * struct ratmem_counters - module-wide object counters
 * @contexts: live struct ratmem_ctx objects.
 * @regions: live struct ratmem_region objects.
 * @handles: live struct ratmem_handle objects.
 * @pages: pages allocated for committed memory.
 * @mappings: live VMAs of regions.
 * @caps: live struct ratmem_cap objects of every kind.
 * @grants: live capabilities of kind RATMEM_CAPKIND_GRANT.
 * @names: live region names.
 * @mm_refs: live struct ratmem_mm_ref objects.
 * @quotas: live struct ratmem_proc_quota objects.
 * @next_region_id: last region id handed out.
 *
 * Every counter but @next_region_id returns to zero once everything is
 * closed; module exit warns if one does not, which the test bench treats
 * as a failure. Each of them has a row in ratmem_counter_list, which
 * every place that reports all counters walks.
 */
struct ratmem_counters {
	atomic64_t contexts;
	atomic64_t regions;
	atomic64_t handles;
	atomic64_t pages;
	atomic64_t mappings;
	atomic64_t caps;
	atomic64_t grants;
	atomic64_t names;
	atomic64_t mm_refs;
	atomic64_t quotas;
	atomic64_t next_region_id;
};

extern struct ratmem_counters ratmem_counters;

/**
 * struct ratmem_counter - one object counter and where it is reported
 * @what: what it counts, as the leak warning at module exit says it.
 * @offset: offset of its atomic64_t in struct ratmem_counters.
 * @stats: offset of its member in struct ratmem_stats (RATMEM_IOC_STATS),
 *	or 0 (the offset of @flags, never a counter) when not reported there.
 * @attr: its netlink attribute (RATMEM_A_STAT_*) in the status, or 0
 *	when not reported there.
 */
struct ratmem_counter {
	const char *what;
	size_t offset;
	size_t stats;
	int attr;
};

extern const struct ratmem_counter ratmem_counter_list[];
extern const unsigned int ratmem_nr_counters;

s64 ratmem_counter_read(const struct ratmem_counter *counter);
void ratmem_counters_check_zero(void);
struct ratmem_stats;
void ratmem_counters_fill(struct ratmem_stats *stats);

#endif /* RATMEM_COUNTERS_H */
