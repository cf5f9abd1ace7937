/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: module-wide object counters (counters.c).
 */
#ifndef RATMEM_COUNTERS_H
#define RATMEM_COUNTERS_H

#include <linux/atomic.h>

/**
 * struct ratmem_counters - module-wide object counters
 * @contexts: live struct ratmem_ctx objects.
 * @regions: live struct ratmem_region objects.
 * @handles: live struct ratmem_handle objects.
 * @pages: pages allocated for committed memory.
 * @mappings: live VMAs of regions.
 * @caps: live struct ratmem_cap objects of every kind.
 * @grants: live capabilities of kind RATMEM_CAP_GRANT.
 * @names: live region names.
 * @mm_refs: live struct ratmem_mm_ref objects.
 * @accounts: live struct ratmem_acct objects.
 * @next_region_id: last region id handed out.
 *
 * Every counter returns to zero once everything is closed; module exit
 * warns if one does not, which the test bench treats as a failure.
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
	atomic64_t accounts;
	atomic64_t next_region_id;
};

extern struct ratmem_counters ratmem_counters;

void ratmem_counters_check_zero(void);

#endif /* RATMEM_COUNTERS_H */
