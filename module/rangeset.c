// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: a set of page indices kept as ranges in a maple tree.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>

#include "rangeset.h"

/* What every range of the set stores: any non-NULL, non-internal entry. */
#define RATMEM_RANGESET_MEMBER	xa_mk_value(1)

/**
 * ratmem_rangeset_init() - initialise an empty set
 * @set: the set
 *
 * Context: any context.
 */
void ratmem_rangeset_init(struct ratmem_rangeset *set)
{
	mt_init(&set->tree);
	set->nr_ranges = 0;
}

/**
 * ratmem_rangeset_destroy() - free the set's memory; the set is empty after
 * @set: the set
 *
 * Context: process context; may sleep.
 */
void ratmem_rangeset_destroy(struct ratmem_rangeset *set)
{
	mtree_destroy(&set->tree);
}

/**
 * ratmem_rangeset_test() - is @index in the set?
 * @set: the set
 * @index: the index
 *
 * Context: any context.
 * Return: true when @index is in the set.
 */
bool ratmem_rangeset_test(struct ratmem_rangeset *set, unsigned long index)
{
	return !!mtree_load(&set->tree, index);
}

/**
 * ratmem_rangeset_count() - how many indices of [@first, @last] are set
 * @set: the set
 * @first: first index
 * @last: last index, >= @first
 *
 * Context: any context; takes the RCU read lock.
 * Return: the number of indices in both the set and [@first, @last].
 */
unsigned long ratmem_rangeset_count(struct ratmem_rangeset *set, unsigned long first,
				    unsigned long last)
{
	MA_STATE(mas, &set->tree, first, first);
	unsigned long count = 0;
	void *entry;

	rcu_read_lock();
	mas_for_each(&mas, entry, last)
		count += min(mas.last, last) - max(mas.index, first) + 1;
	rcu_read_unlock();
	return count;
}

/*
 * How many ranges meet [@first, @last]; *@left: the first of them starts
 * before @first; *@right: the last ends after @last.
 */
static unsigned long ratmem_rangeset_meeting(struct ratmem_rangeset *set, unsigned long first,
					     unsigned long last, bool *left, bool *right)
{
	MA_STATE(mas, &set->tree, first, first);
	unsigned long n = 0;
	void *entry;

	*left = false;
	*right = false;
	rcu_read_lock();
	mas_for_each(&mas, entry, last) {
		if (!n && mas.index < first)
			*left = true;
		*right = mas.last > last;
		n++;
	}
	rcu_read_unlock();
	return n;
}

/**
 * ratmem_rangeset_ranges_if_added() - the set's range count after an add
 * @set: the set
 * @first: first index that would be added
 * @last: last index that would be added, >= @first
 *
 * Every range touching [@first - 1, @last + 1] merges into one.
 *
 * Context: any context that may take RCU; writers serialised by the caller.
 * Return: what @set->nr_ranges would be after ratmem_rangeset_add().
 */
unsigned long ratmem_rangeset_ranges_if_added(struct ratmem_rangeset *set, unsigned long first,
					      unsigned long last)
{
	unsigned long lo = first ? first - 1 : 0, hi = last < ULONG_MAX ? last + 1 : last;
	bool left, right;

	return set->nr_ranges + 1 - ratmem_rangeset_meeting(set, lo, hi, &left, &right);
}

/**
 * ratmem_rangeset_ranges_if_removed() - the set's range count after a remove
 * @set: the set
 * @first: first index that would be removed
 * @last: last index that would be removed, >= @first
 *
 * Ranges inside [@first, @last] go; one sticking out on either side
 * leaves a piece there (one range covering both sides splits in two).
 *
 * Context: as ratmem_rangeset_ranges_if_added().
 * Return: what @set->nr_ranges would be after ratmem_rangeset_remove().
 */
unsigned long ratmem_rangeset_ranges_if_removed(struct ratmem_rangeset *set, unsigned long first,
						unsigned long last)
{
	bool left, right;
	unsigned long n = ratmem_rangeset_meeting(set, first, last, &left, &right);

	return set->nr_ranges - n + left + right;
}

/* The range stored at @index, if any, widens [*lo, *hi]. */
static void ratmem_rangeset_widen(struct ratmem_rangeset *set, unsigned long index,
				  unsigned long *lo, unsigned long *hi)
{
	MA_STATE(mas, &set->tree, index, index);

	rcu_read_lock();
	if (mas_walk(&mas)) {
		*lo = min(*lo, mas.index);
		*hi = max(*hi, mas.last);
	}
	rcu_read_unlock();
}

/**
 * ratmem_rangeset_add() - add [@first, @last] to the set
 * @set: the set
 * @first: first index
 * @last: last index, >= @first
 * @gfp: allocation flags for tree nodes
 * @added: out: how many indices were not in the set before
 *
 * Ranges that touch or overlap the new one are merged with it, so the
 * set stays as few ranges as its members allow.
 *
 * Context: process context when @gfp may sleep. The caller serialises
 * writers.
 * Return: 0, or -ENOMEM with the set unchanged.
 */
int ratmem_rangeset_add(struct ratmem_rangeset *set, unsigned long first, unsigned long last,
			gfp_t gfp, unsigned long *added)
{
	unsigned long lo = first, hi = last, before, ranges;
	int ret;

	if (first > last)
		return -EINVAL;
	if (first > 0)
		ratmem_rangeset_widen(set, first - 1, &lo, &hi);
	if (last < ULONG_MAX)
		ratmem_rangeset_widen(set, last + 1, &lo, &hi);
	before = ratmem_rangeset_count(set, first, last);
	ranges = ratmem_rangeset_ranges_if_added(set, first, last);
	ret = mtree_store_range(&set->tree, lo, hi, RATMEM_RANGESET_MEMBER, gfp);
	if (ret)
		return ret;
	set->nr_ranges = ranges;
	*added = last - first + 1 - before;
	return 0;
}

/**
 * ratmem_rangeset_remove() - remove [@first, @last] from the set
 * @set: the set
 * @first: first index
 * @last: last index, >= @first
 * @gfp: allocation flags for tree nodes (splitting a range may need one)
 * @removed: out: how many indices were in the set before
 *
 * Context: process context when @gfp may sleep. The caller serialises
 * writers.
 * Return: 0, or -ENOMEM with the set unchanged.
 */
int ratmem_rangeset_remove(struct ratmem_rangeset *set, unsigned long first,
			   unsigned long last, gfp_t gfp, unsigned long *removed)
{
	unsigned long before, ranges;
	int ret;

	if (first > last)
		return -EINVAL;
	before = ratmem_rangeset_count(set, first, last);
	if (before) {
		ranges = ratmem_rangeset_ranges_if_removed(set, first, last);
		ret = mtree_store_range(&set->tree, first, last, NULL, gfp);
		if (ret)
			return ret;
		set->nr_ranges = ranges;
	}
	*removed = before;
	return 0;
}
