// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: moving a region's pages between NUMA nodes, eagerly or on the
 * next fault (the lazy migration of the Braided OS design), and the
 * placement policy changes that steer where new pages go.
 *
 * A page moves in three steps:
 * 1. Mark: under region->lock and fault_lock for write, the page's index
 *    goes into region->lazy with its target node. From then on no fault
 *    maps the page (fault.c checks the mark under fault_lock for read),
 *    and no fault was in the middle of mapping it.
 * 2. Zap: unmap_mapping_pages() removes the range from every mapping of
 *    the region, in every process. Now nothing can write to the page.
 * 3. Move: under region->lock and fault_lock for write, a page on the
 *    target node gets a copy, takes the old page's place in region->pages,
 *    and the old page is freed: no PTE reaches it (step 2, and step 1
 *    keeps faults off it), no fault is looking at it (fault_lock), and no
 *    WAIT is reading it (region->lock).
 * region->migrate_lock is held from step 1 to the end of step 2, and by
 * each step 3, so a page is never copied while a PTE from before its zap
 * may still write to it. Eager migration does step 3 for the whole range
 * at once; lazy migration leaves it to the first fault on each page, from
 * any process. A decommit or drain between the steps takes the page and
 * its mark away together (region.c).
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>
#include <linux/xarray.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "mapping.h"
#include "migrate.h"
#include "numa.h"
#include "region.h"
#include "ratmem_trace.h"

/* Pages moved per hold of region->lock in an eager migration. */
#define RATMEM_MIGRATE_BATCH	64U

/**
 * ratmem_region_set_policy() - RATMEM_IOC_POLICY: where new pages go
 * @via: the caller's capability of the region
 * @p: the new policy, checked, nodes online
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: 0, or -ENOLINK when @via is revoked.
 */
int ratmem_region_set_policy(struct ratmem_cap *via, const struct ratmem_placement *p)
{
	struct ratmem_region *region = via->region;
	int ret = 0;

	mutex_lock(&region->lock);
	if (via->state == RATMEM_CAP_STATE_REVOKED) {
		ret = -ENOLINK;
	} else {
		write_seqlock(&region->placement_lock);
		region->placement = *p;
		write_sequnlock(&region->placement_lock);
	}
	mutex_unlock(&region->lock);
	return ret;
}

/* Copy the data of @from to @to, both of order @order. */
static void ratmem_copy_page(struct page *to, struct page *from, unsigned int order)
{
	unsigned long pfn_to = page_to_pfn(to), pfn_from = page_to_pfn(from);
	unsigned long i;

	for (i = 0; i < 1UL << order; i++) {
		copy_highpage(pfn_to_page(pfn_to + i), pfn_to_page(pfn_from + i));
		if (order)
			cond_resched();
	}
}

/*
 * Step 3 for region page index @index: move its page to the node of its
 * mark, and drop the mark. When the node has no page to give, the page
 * stays, without its mark. region->lock and fault_lock (write) held,
 * migrate_lock too. Return: 1 when the page moved, 0 when it did not
 * need to, -ENOMEM.
 */
static int ratmem_move_one(struct ratmem_region *region, unsigned long index)
{
	unsigned int order = ratmem_region_order(region);
	gfp_t gfp = GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_THISNODE | __GFP_NORETRY | __GFP_NOWARN;
	struct page *old, *new;
	void *mark, *prev;
	int node;

	lockdep_assert_held(&region->migrate_lock);
	lockdep_assert_held(&region->lock);
	lockdep_assert_held_write(&region->fault_lock);
	mark = xa_erase(&region->lazy, index);
	if (!mark)
		return 0;
	node = xa_to_value(mark);
	old = xa_load(&region->pages, index);
	if (!old || page_to_nid(old) == node || !node_online(node))
		return 0;
	if (order)
		gfp |= __GFP_COMP;
	new = alloc_pages_node(node, gfp, order);
	if (!new)
		return -ENOMEM;
	ratmem_copy_page(new, old, order);
	/* The slot exists: replacing its entry allocates nothing. */
	prev = xa_store(&region->pages, index, new, GFP_NOWAIT);
	if (WARN_ON_ONCE(prev != old)) {
		__free_pages(new, order);
		return 0;
	}
	/* Counted once: the new page takes the old one's place. */
	__free_pages(old, order);
	trace_migrate(region->id, index, node);
	return 1;
}

/*
 * Step 3 for the marked pages of region page indices [@first, @last],
 * at most @batch of them per hold of the locks. migrate_lock held.
 * Return: pages moved, or -ENOMEM (after moving what could be), -EINTR.
 */
static long ratmem_move_range(struct ratmem_region *region, unsigned long first,
			      unsigned long last, unsigned int batch)
{
	unsigned long index, next = first;
	long moved = 0;
	int ret = 0;

	for (;;) {
		unsigned int n = 0;
		bool more = false;
		void *mark;

		mutex_lock(&region->lock);
		down_write(&region->fault_lock);
		/* Each page moved loses its mark: the next batch starts at @next. */
		xa_for_each_range(&region->lazy, index, mark, next, last) {
			if (n == batch) {
				more = true;
				next = index;
				break;
			}
			ret = ratmem_move_one(region, index);
			if (ret < 0)
				break;
			moved += ret;
			n++;
		}
		up_write(&region->fault_lock);
		mutex_unlock(&region->lock);
		if (ret < 0 || !more)
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	return ret < 0 ? ret : moved;
}

/* Drop the marks of region page indices [@first, @last]. migrate_lock held. */
static void ratmem_unmark_range(struct ratmem_region *region, unsigned long first,
				unsigned long last)
{
	unsigned long index;
	void *mark;

	mutex_lock(&region->lock);
	down_write(&region->fault_lock);
	xa_for_each_range(&region->lazy, index, mark, first, last)
		xa_erase(&region->lazy, index);
	up_write(&region->fault_lock);
	mutex_unlock(&region->lock);
}

/**
 * ratmem_region_move_marked() - move the marked pages of a range now
 * @region: the region
 * @first: first region page index (offset >> page_shift)
 * @last: last one
 *
 * For a fault that found a marked page (lazy migration): after this, no
 * page of the range is marked, unless a MIGRATE marked it again. A page
 * whose node cannot give a page stays where it is.
 *
 * Context: process context, a fault's included; may sleep. Takes
 * region->migrate_lock, region->lock and region->fault_lock for write;
 * the caller holds no ratmem lock.
 * Return: 0, or -EINTR on a fatal signal.
 */
int ratmem_region_move_marked(struct ratmem_region *region, unsigned long first,
			      unsigned long last)
{
	long ret;

	if (mutex_lock_killable(&region->migrate_lock))
		return -EINTR;
	ret = ratmem_move_range(region, first, last, UINT_MAX);
	mutex_unlock(&region->migrate_lock);
	return ret == -EINTR ? -EINTR : 0;
}

/**
 * ratmem_region_marked() - is a page of a range marked for migration?
 * @region: the region
 * @first: first region page index
 * @last: last one
 *
 * Context: region->fault_lock held (for read).
 * Return: true when one is; no fault may map it.
 */
bool ratmem_region_marked(struct ratmem_region *region, unsigned long first,
			  unsigned long last)
{
	unsigned long index = first;

	lockdep_assert_held(&region->fault_lock);
	return !xa_empty(&region->lazy) && xa_find(&region->lazy, &index, last, XA_PRESENT);
}

/**
 * ratmem_region_index_marked() - is one page marked for migration?
 * @region: the region
 * @index: region page index
 *
 * Context: region->fault_lock held (for read).
 * Return: true when it is; no fault may map it.
 */
bool ratmem_region_index_marked(struct ratmem_region *region, unsigned long index)
{
	lockdep_assert_held(&region->fault_lock);
	return !xa_empty(&region->lazy) && xa_load(&region->lazy, index);
}

/*
 * Step 1 for the resident pages of region page indices [@first, @last]
 * not on @node: mark them (a page on @node loses an older mark).
 * migrate_lock held. Return: 4 KiB pages marked, or -ENOLINK, -ENOMEM
 * (the pages marked so far stay marked).
 */
static long ratmem_mark_range(struct ratmem_cap *via, unsigned long first, unsigned long last,
			      int node)
{
	struct ratmem_region *region = via->region;
	unsigned long index;
	struct page *page;
	long marked = 0;
	int ret = 0;

	mutex_lock(&region->lock);
	if (via->state == RATMEM_CAP_STATE_REVOKED || region->drained) {
		mutex_unlock(&region->lock);
		return -ENOLINK;
	}
	down_write(&region->fault_lock);
	xa_for_each_range(&region->pages, index, page, first, last) {
		if (page_to_nid(page) == node) {
			xa_erase(&region->lazy, index);
			continue;
		}
		ret = xa_err(xa_store(&region->lazy, index, xa_mk_value(node), GFP_KERNEL_ACCOUNT));
		if (ret)
			break;
		marked += 1L << ratmem_region_order(region);
	}
	up_write(&region->fault_lock);
	mutex_unlock(&region->lock);
	return ret ?: marked;
}

/**
 * ratmem_region_migrate() - RATMEM_IOC_MIGRATE: move a range's pages to a node
 * @via: the caller's capability of the region
 * @offset: byte offset, aligned to the region's pages, checked
 * @length: bytes, likewise; the range lies in the region
 * @node: the target node, online
 * @lazy: only mark the pages; each moves on its next fault
 * @pages: out: 4 KiB pages marked (lazy) or moved (eager)
 *
 * Context: process context; may sleep. Takes region->migrate_lock, and
 * under it region->lock, region->fault_lock (write) and, with those
 * released, the shared address space's i_mmap_rwsem.
 * Return: 0, -ENOLINK, -ENOMEM, or -EINTR on a fatal signal. On an error
 * the pages handled so far stay moved (eager: the others stay where they
 * are, unmarked) or marked (lazy).
 */
int ratmem_region_migrate(struct ratmem_cap *via, u64 offset, u64 length, int node, bool lazy,
			  u64 *pages)
{
	struct ratmem_region *region = via->region;
	unsigned int order = ratmem_region_order(region);
	unsigned long first = offset >> region->page_shift;
	unsigned long last = first + (length >> region->page_shift) - 1;
	long marked, moved = 0;
	int ret = 0;

	*pages = 0;
	if (mutex_lock_killable(&region->migrate_lock))
		return -EINTR;
	marked = ratmem_mark_range(via, first, last, node);
	if (marked < 0 && marked != -ENOMEM) {
		mutex_unlock(&region->migrate_lock);
		return marked;
	}
	if (marked < 0)
		ret = -ENOMEM;
	/* Step 2, for whatever was marked, also on an error. */
	unmap_mapping_pages(ratmem_mapping, region->pgoff + (first << order),
			    (last - first + 1) << order, false);
	if (!lazy && !ret) {
		moved = ratmem_move_range(region, first, last, RATMEM_MIGRATE_BATCH);
		if (moved < 0)
			ret = moved;
		else
			*pages = (u64)moved << order;
	} else if (!ret) {
		*pages = marked;
	}
	/* An eager migration that stopped leaves no page to move later. */
	if (!lazy && ret)
		ratmem_unmark_range(region, first, last);
	mutex_unlock(&region->migrate_lock);
	trace_migrate_range(region->id, offset, length, node, lazy, ret);
	return ret;
}

/**
 * ratmem_region_node_pages() - a region's resident pages per node
 * @region: the region
 * @counts: out: @nr counters, 4 KiB pages on node 0 to @nr - 1
 * @nr: entries of @counts
 * @pending: out: 4 KiB pages marked for migration
 *
 * Context: process context; may sleep. Takes region->lock, under which
 * no page leaves region->pages.
 */
void ratmem_region_node_pages(struct ratmem_region *region, u64 *counts, unsigned int nr,
			      u64 *pending)
{
	unsigned long n = 1UL << ratmem_region_order(region);
	unsigned long index;
	struct page *page;
	u64 marked = 0;
	void *mark;

	mutex_lock(&region->lock);
	xa_for_each(&region->pages, index, page) {
		int nid = page_to_nid(page);

		if (nid < nr)
			counts[nid] += n;
		cond_resched();
	}
	xa_for_each(&region->lazy, index, mark)
		marked += n;
	mutex_unlock(&region->lock);
	*pending = marked;
}
