// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: module-wide object counters.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/stddef.h>
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "counters.h"

struct ratmem_counters ratmem_counters;

#define RATMEM_COUNTER(field)	offsetof(struct ratmem_counters, field)
#define RATMEM_STATS(field)	offsetof(struct ratmem_stats, field)

/* Every counter, in the order of the leak warning and of the netlink status. */
const struct ratmem_counter ratmem_counter_list[] = {
	{ "contexts", RATMEM_COUNTER(contexts), RATMEM_STATS(contexts), RATMEM_A_STAT_CONTEXTS },
	{ "regions", RATMEM_COUNTER(regions), RATMEM_STATS(regions), RATMEM_A_STAT_REGIONS },
	{ "handles", RATMEM_COUNTER(handles), RATMEM_STATS(handles), RATMEM_A_STAT_HANDLES },
	{ "pages", RATMEM_COUNTER(pages), RATMEM_STATS(pages), RATMEM_A_STAT_PAGES },
	{ "mappings", RATMEM_COUNTER(mappings), RATMEM_STATS(mappings), RATMEM_A_STAT_MAPPINGS },
	{ "capabilities", RATMEM_COUNTER(caps), 0, 0 },
	{ "grants", RATMEM_COUNTER(grants), RATMEM_STATS(grants), RATMEM_A_STAT_GRANTS },
	{ "names", RATMEM_COUNTER(names), RATMEM_STATS(names), RATMEM_A_STAT_NAMES },
	{ "mm refs", RATMEM_COUNTER(mm_refs), 0, 0 },
	{ "quotas", RATMEM_COUNTER(quotas), 0, RATMEM_A_STAT_QUOTAS },
};

const unsigned int ratmem_nr_counters = ARRAY_SIZE(ratmem_counter_list);

/**
 * ratmem_counter_read() - the current value of a counter
 * @counter: a row of ratmem_counter_list
 *
 * Context: any context.
 * Return: the value, as atomic64_read() gives it.
 */
s64 ratmem_counter_read(const struct ratmem_counter *counter)
{
	return atomic64_read((atomic64_t *)((u8 *)&ratmem_counters + counter->offset));
}

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
	char leaks[320];
	size_t len = 0;
	bool leaked = false;
	unsigned int i;

	for (i = 0; i < ratmem_nr_counters; i++) {
		s64 n = ratmem_counter_read(&ratmem_counter_list[i]);

		leaked |= n != 0;
		len += scnprintf(leaks + len, sizeof(leaks) - len, "%s%lld %s", i ? ", " : "", n,
				 ratmem_counter_list[i].what);
	}
	WARN(leaked, "ratmem: leaked %s\n", leaks);
}

/**
 * ratmem_counters_fill() - RATMEM_IOC_STATS: every counter STATS reports
 * @stats: the caller's struct; each counter's field is written
 *
 * Context: any context.
 */
void ratmem_counters_fill(struct ratmem_stats *stats)
{
	unsigned int i;

	for (i = 0; i < ratmem_nr_counters; i++) {
		const struct ratmem_counter *c = &ratmem_counter_list[i];

		if (c->stats)
			*(__u64 *)((u8 *)stats + c->stats) = ratmem_counter_read(c);
	}
}
