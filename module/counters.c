// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: module-wide object counters.
 */
#include <linux/bug.h>
#include <linux/printk.h>

#include "counters.h"

struct ratmem_counters ratmem_counters;

/**
 * ratmem_counters_check_zero() - warn about objects that outlived the module
 *
 * Called at module exit, when no file can be open any more. A non-zero
 * counter means an object was leaked; the WARN makes the leak visible
 * to the test bench, which fails on any kernel warning.
 *
 * Context: process context (module exit).
 */
void ratmem_counters_check_zero(void)
{
	s64 contexts = atomic64_read(&ratmem_counters.contexts);
	s64 regions = atomic64_read(&ratmem_counters.regions);
	s64 handles = atomic64_read(&ratmem_counters.handles);
	s64 pages = atomic64_read(&ratmem_counters.pages);
	s64 mappings = atomic64_read(&ratmem_counters.mappings);
	s64 caps = atomic64_read(&ratmem_counters.caps);
	s64 grants = atomic64_read(&ratmem_counters.grants);
	s64 names = atomic64_read(&ratmem_counters.names);
	s64 mm_refs = atomic64_read(&ratmem_counters.mm_refs);
	s64 accounts = atomic64_read(&ratmem_counters.accounts);

	WARN(contexts || regions || handles || pages || mappings || caps || grants || names ||
	     mm_refs || accounts,
	     "ratmem: leaked %lld contexts, %lld regions, %lld handles, %lld pages, %lld mappings, %lld capabilities, %lld grants, %lld names, %lld mm refs, %lld accounts\n",
	     contexts, regions, handles, pages, mappings, caps, grants, names, mm_refs, accounts);
}
