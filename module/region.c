// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: regions and their pages. A region is created reserved (no
 * page committed) or fully committed. Committed pages are allocated,
 * zeroed and charged to the caller's memory cgroup on first touch (see
 * fault.c); decommit removes them from every mapping and only then
 * frees them.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/ratmem.h>

#include "proc_quota.h"
#include "cap.h"
#include "counters.h"
#include "mapping.h"
#include "notify.h"
#include "pool.h"
#include "rangeset.h"
#include "region.h"
#include "revoke_after.h"
#include "ratmem_trace.h"

/* Largest region, in bytes (the reserve limit; quotas come on top). */
unsigned long long ratmem_region_size_max = 1ULL << 40;
module_param_named(region_size_max, ratmem_region_size_max, ullong, 0444);
MODULE_PARM_DESC(region_size_max, "Largest region size in bytes (default and limit 1 TiB)");

/* Regions are spaced RATMEM_REGION_SIZE_LIMIT apart in the address space. */
#define RATMEM_REGION_PGOFF_SHIFT	(RATMEM_MMAP_HANDLE_SHIFT - PAGE_SHIFT)
/* The last window whose pages still fit in a pgoff_t. */
#define RATMEM_REGION_WINDOW_MAX	((ULONG_MAX >> RATMEM_REGION_PGOFF_SHIFT) - 1)

/*
 * Every live region by id, for the netlink dumps (genl.c). Ids are
 * 64-bit, taken under ratmem_region_ids_lock only once the region exists,
 * and never reused while the module is loaded.
 */
static DEFINE_XARRAY(ratmem_regions);
static DEFINE_MUTEX(ratmem_region_ids_lock);

/*
 * Windows of ratmem's shared address space (struct ratmem_region.pgoff),
 * one per live region. A window is given back when its region is freed,
 * which is after its last VMA is closed (each holds a reference), so no
 * mapping of the old region can reach the region that reuses it.
 */
static DEFINE_XARRAY_ALLOC1(ratmem_windows);

/*
 * Commit and decommit of alternate pages would split the committed set
 * without bound (2^27 ranges for 1 TiB), with long walks under
 * region->lock. A change that would leave more ranges than this fails
 * with EDQUOT.
 */
static unsigned int ratmem_max_commit_ranges = 65536;
module_param_named(max_commit_ranges, ratmem_max_commit_ranges, uint, 0644);
MODULE_PARM_DESC(max_commit_ranges,
		 "Most separate committed ranges one region may have; COMMIT or DECOMMIT past it fails with EDQUOT (default 65536)");

/*
 * Would a change leaving @ranges committed ranges be refused? Only one
 * that adds ranges past the limit: merging or removing ranges is always
 * allowed, also when the limit was lowered below what the set has.
 * region->lock held.
 */
static bool ratmem_too_fragmented(struct ratmem_rangeset *set, unsigned long ranges)
{
	return ranges > set->nr_ranges && ranges > READ_ONCE(ratmem_max_commit_ranges);
}

/* Publish @region under the next id; nothing is used up on failure. */
static int ratmem_region_publish(struct ratmem_region *region)
{
	u64 id;
	int ret;

	mutex_lock(&ratmem_region_ids_lock);
	id = atomic64_read(&ratmem_counters.next_region_id) + 1;
	/* The dumps read ->id of what they find; it is set before the store. */
	region->id = id;
	ret = xa_insert(&ratmem_regions, id, region, GFP_KERNEL_ACCOUNT);
	if (ret)
		region->id = 0;
	else
		atomic64_set(&ratmem_counters.next_region_id, id);
	mutex_unlock(&ratmem_region_ids_lock);
	return ret;
}

/**
 * ratmem_region_create() - allocate a reserved region
 * @quota: the creator's quota, charged @size reserved bytes; the region
 *	takes a reference
 * @size: bytes; validated by the caller (ratmem_check_create_args())
 * @page_shift: log2 of the page size
 * @max_rights: RATMEM_RIGHT_* bits
 * @placement: where its pages go, checked (nodes online)
 * @named: for NAMED_CREATE, the name's owner and mode, which QUERY and
 *	the region dump report (set before the region is visible); else NULL
 * @out: the region, with one reference held by the caller
 *
 * The id is taken last, so a failed create uses up no id; the window is
 * taken from those free.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM, -EDQUOT past @quota's reserve limit, or -ENOSPC
 * when every window of the address space is in use.
 */
int ratmem_region_create(struct ratmem_proc_quota *quota, u64 size, u32 page_shift, u32 max_rights,
			 const struct ratmem_placement *placement,
			 const struct ratmem_region_owner *named,
			 struct ratmem_region **out)
{
	struct ratmem_region *region;
	u32 window;
	int ret;

	BUILD_BUG_ON(BITS_PER_LONG < 64);
	BUILD_BUG_ON(RATMEM_REGION_WINDOW_MAX < U32_MAX);
	ret = ratmem_quota_charge(quota, RATMEM_RES_RESERVED, size, NULL);
	if (ret)
		return ret;
	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
	if (!region) {
		ratmem_quota_uncharge(quota, RATMEM_RES_RESERVED, size);
		return -ENOMEM;
	}
	ret = xa_alloc(&ratmem_windows, &window, region, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	if (ret) {
		kfree(region);
		ratmem_quota_uncharge(quota, RATMEM_RES_RESERVED, size);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	kref_init(&region->ref);
	region->size = size;
	region->nr_pages = size >> PAGE_SHIFT;
	region->window = window;
	region->pgoff = (pgoff_t)window << RATMEM_REGION_PGOFF_SHIFT;
	region->page_shift = page_shift;
	region->max_rights = max_rights;
	seqlock_init(&region->placement_lock);
	region->placement = *placement;
	mutex_init(&region->migrate_lock);
	region->owner_uid = INVALID_UID;
	region->owner_gid = INVALID_GID;
	if (named) {
		region->named = true;
		region->owner_uid = named->uid;
		region->owner_gid = named->gid;
		region->mode = named->mode;
	}
	ratmem_quota_get(quota);
	region->quota = quota;
	init_rwsem(&region->fault_lock);
	atomic_long_set(&region->nr_resident, 0);
	mutex_init(&region->lock);
	mutex_init(&region->zap_lock);
	ratmem_rangeset_init(&region->committed);
	xa_init(&region->pages);
	xa_init(&region->lazy);
	INIT_LIST_HEAD(&region->mms);
	INIT_LIST_HEAD(&region->waiters);
	INIT_LIST_HEAD(&region->unswept);
	atomic64_inc(&ratmem_counters.regions);
	/* Visible to the dumps only once complete. */
	ret = ratmem_region_publish(region);
	if (ret) {
		/* Frees it and gives the charge and the window back. */
		ratmem_region_put(region);
		return ret;
	}
	trace_region_create(region->id, size, task_tgid_nr(current));
	*out = region;
	return 0;
}

/**
 * ratmem_region_placement() - a consistent copy of a region's policy
 * @region: the region
 * @p: out: its policy
 *
 * Context: any context; takes no lock (a seqlock read).
 */
void ratmem_region_placement(struct ratmem_region *region, struct ratmem_placement *p)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&region->placement_lock);
		*p = region->placement;
	} while (read_seqretry(&region->placement_lock, seq));
}

/**
 * ratmem_region_page_alloc() - a zeroed page of the region's page size
 * @region: the region
 * @index: the page's index in the region (offset >> page_shift), which
 *	an interleaving policy places by
 * @extra: GFP flags on top of the region's own (e.g. __GFP_NORETRY for
 *	a page nobody asked for yet)
 *
 * The page comes from the node the region's placement policy says (see
 * numa.c): a 4 KiB page from that node's pool when one is ready (pool.c),
 * else from the allocator. It is charged to the caller's memory cgroup. It is the caller's
 * until it is published in region->pages, which counts it (see
 * ratmem_region_page_published()); one never published goes back with
 * ratmem_region_page_discard().
 *
 * Context: process context; may sleep.
 * Return: the first struct page of the page, or NULL.
 */
struct page *ratmem_region_page_alloc(struct ratmem_region *region, unsigned long index,
				      gfp_t extra)
{
	unsigned int order = ratmem_region_order(region);
	gfp_t gfp = GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT | extra;
	struct ratmem_placement p;
	struct page *page;

	if (order)
		gfp |= __GFP_COMP | __GFP_NOWARN;
	ratmem_region_placement(region, &p);
	if (!order) {
		page = ratmem_pool_take(ratmem_placement_node(&p, index, numa_mem_id()));
		if (page)
			return page;
		/*
		 * The cgroup's pool pages hold room under its limit that its
		 * own reclaim cannot free: first try without reclaim and OOM,
		 * and on failure give that room back before the real attempt.
		 */
		if (ratmem_pool_held_current()) {
			page = ratmem_placement_alloc(&p, index,
						      gfp | __GFP_NORETRY | __GFP_NOWARN, order);
			if (page)
				return page;
			ratmem_pool_drain_current();
		}
	}
	return ratmem_placement_alloc(&p, index, gfp, order);
}

/**
 * ratmem_region_page_discard() - free a page that was never published
 * @region: the region it was allocated for
 * @page: from ratmem_region_page_alloc(); never in region->pages, so
 *	never mapped
 *
 * Context: any context that may free pages.
 */
void ratmem_region_page_discard(struct ratmem_region *region, struct page *page)
{
	__free_pages(page, ratmem_region_order(region));
}

/**
 * ratmem_region_page_published() - count a page just stored in region->pages
 * @region: the region
 *
 * The module's pages counter (in 4 KiB units) and @region's resident
 * count cover exactly the pages in region->pages, so a page a fault
 * allocated but lost to another fault is never counted.
 *
 * Context: any context.
 */
void ratmem_region_page_published(struct ratmem_region *region)
{
	long n = 1L << ratmem_region_order(region);

	atomic_long_add(n, &region->nr_resident);
	atomic64_add(n, &ratmem_counters.pages);
}

/* Free a page taken out of region->pages; no page table reaches it any more. */
static void ratmem_region_page_free(struct ratmem_region *region, struct page *page)
{
	unsigned int order = ratmem_region_order(region);

	__free_pages(page, order);
	atomic64_sub(1L << order, &ratmem_counters.pages);
}

/*
 * Take the pages of region page indices [@first, @last] out of @region,
 * onto @doomed; the caller frees them once no page table reaches them.
 * region->lock and region->fault_lock (write) held.
 */
static void ratmem_region_take_pages(struct ratmem_region *region, unsigned long first,
				     unsigned long last, struct list_head *doomed)
{
	unsigned long index;
	struct page *page;

	lockdep_assert_held(&region->lock);
	lockdep_assert_held_write(&region->fault_lock);
	xa_for_each_range(&region->pages, index, page, first, last) {
		xa_erase(&region->pages, index);
		xa_erase(&region->lazy, index);
		list_add(&page->lru, doomed);
		atomic_long_sub(1L << ratmem_region_order(region), &region->nr_resident);
	}
}

/* Free the pages ratmem_region_take_pages() took, once unmapped. */
static void ratmem_region_free_pages(struct ratmem_region *region, struct list_head *doomed)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, doomed, lru) {
		list_del(&page->lru);
		ratmem_region_page_free(region, page);
		cond_resched();
	}
}

static void ratmem_region_free(struct kref *ref)
{
	struct ratmem_region *region = container_of(ref, struct ratmem_region, ref);
	struct page *page;
	unsigned long index;

	/* id 0: ratmem_region_create() failed before publishing it. */
	if (region->id) {
		xa_erase(&ratmem_regions, region->id);
		trace_region_free(region->id);
	}
	/* No VMA is left (each holds a reference), so no page table either. */
	WARN_ON_ONCE(region->nr_maywrite || region->nr_mayexec);
	WARN_ON_ONCE(!list_empty(&region->mms) || !list_empty(&region->waiters));
	/* Each capability on it holds the region. */
	WARN_ON_ONCE(!list_empty(&region->unswept));
	xa_for_each(&region->pages, index, page)
		ratmem_region_page_free(region, page);
	xa_destroy(&region->pages);
	xa_destroy(&region->lazy);
	ratmem_rangeset_destroy(&region->committed);
	ratmem_quota_uncharge(region->quota, RATMEM_RES_COMMITTED,
			      (u64)region->nr_committed << PAGE_SHIFT);
	ratmem_quota_uncharge(region->quota, RATMEM_RES_RESERVED, region->size);
	ratmem_quota_put(region->quota);
	mutex_destroy(&region->zap_lock);
	mutex_destroy(&region->lock);
	mutex_destroy(&region->migrate_lock);
	xa_erase(&ratmem_windows, region->window);
	kfree(region);
	atomic64_dec(&ratmem_counters.regions);
}

/**
 * ratmem_region_put() - drop a reference to a region
 * @region: the region; freed with its last reference
 *
 * Context: process context; may sleep.
 */
void ratmem_region_put(struct ratmem_region *region)
{
	kref_put(&region->ref, ratmem_region_free);
}

/**
 * ratmem_region_next() - walk the live regions in id order
 * @id: in: the first id to look at; out: the found region's id
 *
 * Context: process context. Takes the registry's spinlock.
 * Return: the first live region with an id >= @id, with a reference the
 * caller drops with ratmem_region_put(), or NULL.
 */
struct ratmem_region *ratmem_region_next(unsigned long *id)
{
	struct ratmem_region *region;

	xa_lock(&ratmem_regions);
	xa_for_each_start(&ratmem_regions, *id, region, *id)
		if (kref_get_unless_zero(&region->ref))
			break;
	xa_unlock(&ratmem_regions);
	return region;
}

/**
 * ratmem_region_commit() - make a page range usable
 * @via: the capability the caller's handle carries; its region is the
 *	one changed
 * @offset: byte offset, page aligned, validated by the caller
 * @length: bytes, page aligned, non-zero, inside the region
 *
 * Pages are not allocated here: each appears zero-filled on first touch.
 * The pages of the range not yet committed are charged to the region's
 * creator, whoever commits.
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: 0, -ENOMEM or -EDQUOT (nothing changed: past the creator's
 * committed limit, or past max_commit_ranges ranges), -EPERM when the
 * region has RATMEM_SEAL_COMMIT, or -ENOLINK when @via is revoked.
 */
int ratmem_region_commit(struct ratmem_cap *via, u64 offset, u64 length)
{
	struct ratmem_region *region = via->region;
	pgoff_t first = offset >> PAGE_SHIFT;
	pgoff_t last = first + (length >> PAGE_SHIFT) - 1;
	unsigned long added, fresh, ranges;
	u64 bytes;
	int ret = 0;

	mutex_lock(&region->lock);
	if (via->state == RATMEM_CAP_STATE_REVOKED || region->drained) {
		ret = -ENOLINK;
		goto out;
	}
	if (region->seals & RATMEM_SEAL_COMMIT) {
		ret = -EPERM;
		goto out;
	}
	fresh = last - first + 1 - ratmem_rangeset_count(&region->committed, first, last);
	bytes = (u64)fresh << PAGE_SHIFT;
	if (!fresh)
		goto out;
	ranges = ratmem_rangeset_ranges_if_added(&region->committed, first, last);
	if (ratmem_too_fragmented(&region->committed, ranges)) {
		ret = -EDQUOT;
		goto out;
	}
	ret = ratmem_quota_charge(region->quota, RATMEM_RES_COMMITTED, bytes, region);
	if (ret)
		goto out;
	down_write(&region->fault_lock);
	ret = ratmem_rangeset_add(&region->committed, first, last, GFP_KERNEL_ACCOUNT, &added);
	up_write(&region->fault_lock);
	if (ret) {
		ratmem_quota_uncharge(region->quota, RATMEM_RES_COMMITTED, bytes);
		goto out;
	}
	WARN_ON_ONCE(added != fresh);
	region->nr_committed += added;
out:
	mutex_unlock(&region->lock);
	trace_commit(region->id, offset, length, ret);
	return ret;
}

/**
 * ratmem_region_decommit() - take a page range away and free its pages
 * @via: the capability the caller's handle carries
 * @offset: byte offset, page aligned, validated by the caller
 * @length: bytes, page aligned, non-zero, inside the region
 *
 * Under region->lock and region->fault_lock (write) the range stops
 * being committed and its pages leave region->pages, so no fault can map
 * them again, and every fault that could has its PTEs in. Then the range is
 * removed from every mapping of the region in every process, and only
 * after that are the pages freed.
 *
 * Context: process context; may sleep. Takes region->lock, then (with
 * region->lock released) the shared address space's i_mmap_rwsem.
 * Return: 0, -ENOMEM or -EDQUOT (nothing changed; EDQUOT: the committed
 * set would split into more than max_commit_ranges ranges), -EPERM when
 * the region has RATMEM_SEAL_COMMIT or RATMEM_SEAL_WRITE, or -ENOLINK
 * when @via is revoked.
 */
int ratmem_region_decommit(struct ratmem_cap *via, u64 offset, u64 length)
{
	struct ratmem_region *region = via->region;
	pgoff_t first = offset >> PAGE_SHIFT;
	pgoff_t nr = length >> PAGE_SHIFT;
	pgoff_t last = first + nr - 1;
	unsigned int order = ratmem_region_order(region);
	unsigned long removed, ranges;
	LIST_HEAD(doomed);
	int ret;

	mutex_lock(&region->lock);
	if (via->state == RATMEM_CAP_STATE_REVOKED) {
		mutex_unlock(&region->lock);
		return -ENOLINK;
	}
	/* Decommit zeroes the range: SEAL_WRITE forbids it as well. */
	if (region->seals & (RATMEM_SEAL_COMMIT | RATMEM_SEAL_WRITE)) {
		mutex_unlock(&region->lock);
		trace_decommit(region->id, offset, length, -EPERM);
		return -EPERM;
	}
	ranges = ratmem_rangeset_ranges_if_removed(&region->committed, first, last);
	if (ratmem_too_fragmented(&region->committed, ranges)) {
		mutex_unlock(&region->lock);
		trace_decommit(region->id, offset, length, -EDQUOT);
		return -EDQUOT;
	}
	down_write(&region->fault_lock);
	ret = ratmem_rangeset_remove(&region->committed, first, last, GFP_KERNEL_ACCOUNT,
				     &removed);
	if (ret) {
		up_write(&region->fault_lock);
		mutex_unlock(&region->lock);
		trace_decommit(region->id, offset, length, ret);
		return ret;
	}
	region->nr_committed -= removed;
	ratmem_quota_uncharge(region->quota, RATMEM_RES_COMMITTED, (u64)removed << PAGE_SHIFT);
	/* @offset and @length are whole pages of the region (the caller checked). */
	ratmem_region_take_pages(region, first >> order, last >> order, &doomed);
	up_write(&region->fault_lock);
	mutex_unlock(&region->lock);

	/* Every mapping, every process; returns with the TLBs flushed. */
	unmap_mapping_pages(ratmem_mapping, region->pgoff + first, nr, false);
	ratmem_region_free_pages(region, &doomed);
	trace_decommit(region->id, offset, length, 0);
	return 0;
}

/**
 * ratmem_cap_use_locked() - count a user of a capability in and out
 * @cap: the capability
 * @delta: 1 for a new handle, VMA, name or grant through @cap; -1 when
 *	one goes
 *
 * While @cap is counted (not revoked, or revoked but not yet swept) its
 * users are the region's live users too.
 *
 * Context: region->lock held.
 * Return: true when the region's last live user went: the caller calls
 * ratmem_region_drain() once region->lock is dropped.
 */
bool ratmem_cap_use_locked(struct ratmem_cap *cap, int delta)
{
	struct ratmem_region *region = cap->region;

	lockdep_assert_held(&region->lock);
	cap->users += delta;
	if (delta < 0)
		ratmem_revoke_after_user_gone_locked(cap);
	if (!cap->counted)
		return false;
	region->live_users += delta;
	return !region->live_users;
}

/**
 * ratmem_cap_use_live() - count a new user, unless the region is drained
 * @cap: the capability the new handle, name or mapping goes through
 *
 * Every new user of a region is counted here (or, for a mapping, under
 * the same lock in ratmem_mmap()) before it becomes visible, and a
 * drained region takes none: so once drained, a region stays without
 * live users, and no handle is ever made to memory that is gone.
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: 0, or -ENOLINK when the region was drained.
 */
int ratmem_cap_use_live(struct ratmem_cap *cap)
{
	struct ratmem_region *region = cap->region;
	int ret = 0;

	mutex_lock(&region->lock);
	if (region->drained)
		ret = -ENOLINK;
	else
		ratmem_cap_use_locked(cap, 1);
	mutex_unlock(&region->lock);
	return ret;
}

/**
 * ratmem_cap_use() - ratmem_cap_use_locked(), taking region->lock
 * @cap: the capability
 * @delta: as for ratmem_cap_use_locked()
 *
 * Context: process context; may sleep. Takes region->lock; may drain.
 */
void ratmem_cap_use(struct ratmem_cap *cap, int delta)
{
	struct ratmem_region *region = cap->region;
	bool drain;

	mutex_lock(&region->lock);
	drain = ratmem_cap_use_locked(cap, delta);
	mutex_unlock(&region->lock);
	if (drain)
		ratmem_region_drain(region);
}

/**
 * ratmem_region_drain() - free the memory of a region nothing live reaches
 * @region: a region whose live users dropped to zero
 *
 * Only revoked capabilities are left (a handle that answers ENOLINK, a
 * VMA that faults with SIGBUS), or nothing: they must not keep pages,
 * memory-cgroup charges or the creator's quota. Every page leaves the
 * region and every mapping (revoked VMAs of an exiting process that the
 * sweep skipped included) before it is freed. The region itself stays,
 * small, until its last reference. Live users never come back: each new
 * one needs an existing one (a handle, a name, a grant).
 *
 * Context: process context; may sleep. Takes region->lock, then (with it
 * released) the shared address space's i_mmap_rwsem.
 */
void ratmem_region_drain(struct ratmem_region *region)
{
	LIST_HEAD(doomed);
	u64 committed;

	mutex_lock(&region->lock);
	if (region->drained || region->live_users) {
		mutex_unlock(&region->lock);
		return;
	}
	region->drained = true;
	down_write(&region->fault_lock);
	ratmem_rangeset_destroy(&region->committed);
	ratmem_rangeset_init(&region->committed);
	ratmem_region_take_pages(region, 0, ULONG_MAX, &doomed);
	up_write(&region->fault_lock);
	committed = (u64)region->nr_committed << PAGE_SHIFT;
	region->nr_committed = 0;
	mutex_unlock(&region->lock);
	ratmem_quota_uncharge(region->quota, RATMEM_RES_COMMITTED, committed);

	unmap_mapping_pages(ratmem_mapping, region->pgoff, region->nr_pages, false);
	ratmem_region_free_pages(region, &doomed);
}

/**
 * ratmem_region_resident_bytes() - how much of a capability's view has pages
 * @cap: the capability: all of its region, or a sub-range grant's range
 *
 * Context: any context that may take the RCU read lock; lockless, so a
 * snapshot.
 * Return: resident bytes.
 */
u64 ratmem_region_resident_bytes(const struct ratmem_cap *cap)
{
	struct ratmem_region *region = cap->region;
	unsigned long index, n = 0;
	struct page *page;

	if (cap->span == region->size)
		return (u64)atomic_long_read(&region->nr_resident) << PAGE_SHIFT;
	xa_for_each_range(&region->pages, index, page, cap->base >> region->page_shift,
			  (cap->base + cap->span - 1) >> region->page_shift)
		n++;
	return (u64)n << region->page_shift;
}

/**
 * ratmem_region_committed_bytes() - how much of a capability's view is committed
 * @cap: the capability: all of its region, or a sub-range grant's range
 *
 * Context: process context; may sleep. Takes region->lock.
 * Return: committed bytes.
 */
u64 ratmem_region_committed_bytes(struct ratmem_cap *cap)
{
	struct ratmem_region *region = cap->region;
	u64 bytes;

	mutex_lock(&region->lock);
	if (cap->span == region->size)
		bytes = (u64)region->nr_committed << PAGE_SHIFT;
	else
		bytes = (u64)ratmem_rangeset_count(&region->committed, cap->base >> PAGE_SHIFT,
						   (cap->base + cap->span - 1) >> PAGE_SHIFT)
			<< PAGE_SHIFT;
	mutex_unlock(&region->lock);
	return bytes;
}
