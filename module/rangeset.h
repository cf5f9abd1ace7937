/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: a set of page indices kept as ranges (the committed pages of
 * a region). A region of 2^28 pages committed in one call costs one
 * range, not 2^28 entries.
 */
#ifndef RATMEM_RANGESET_H
#define RATMEM_RANGESET_H

#include <linux/gfp.h>
#include <linux/maple_tree.h>
#include <linux/types.h>

/**
 * struct ratmem_rangeset - set of unsigned long indices
 * @tree: maple tree; each stored range [index, last] is in the set.
 *	Adjacent ranges are merged when added.
 * @nr_ranges: how many ranges @tree holds: the set's fragmentation,
 *	which callers bound (ratmem_rangeset_ranges_if_added/removed()).
 *
 * Writers must be serialised by the caller (ratmem: the region's lock);
 * the tree's own spinlock only covers its internal state.
 */
struct ratmem_rangeset {
	struct maple_tree tree;
	unsigned long nr_ranges;
};

void ratmem_rangeset_init(struct ratmem_rangeset *set);
void ratmem_rangeset_destroy(struct ratmem_rangeset *set);
bool ratmem_rangeset_test(struct ratmem_rangeset *set, unsigned long index);
unsigned long ratmem_rangeset_count(struct ratmem_rangeset *set, unsigned long first,
				    unsigned long last);
unsigned long ratmem_rangeset_ranges_if_added(struct ratmem_rangeset *set, unsigned long first,
					      unsigned long last);
unsigned long ratmem_rangeset_ranges_if_removed(struct ratmem_rangeset *set, unsigned long first,
						unsigned long last);
int ratmem_rangeset_add(struct ratmem_rangeset *set, unsigned long first, unsigned long last,
			gfp_t gfp, unsigned long *added);
int ratmem_rangeset_remove(struct ratmem_rangeset *set, unsigned long first,
			   unsigned long last, gfp_t gfp, unsigned long *removed);

#endif /* RATMEM_RANGESET_H */
