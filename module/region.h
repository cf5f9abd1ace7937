/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: regions, their pages and their live users (region.c).
 */
#ifndef RATMEM_REGION_H
#define RATMEM_REGION_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "numa.h"
#include "rangeset.h"

struct ratmem_proc_quota;
struct ratmem_cap;
struct vm_fault;

/**
 * struct ratmem_region - a memory region
 * @ref: one reference per capability of the region.
 * @id: unique while the module is loaded; never reused; 0 until the
 *	region is published.
 * @size: bytes, a non-zero multiple of the page size.
 * @nr_pages: @size in 4 KiB pages (PAGE_SIZE); indices into the region
 *	(page index, the committed set) are always in these units.
 * @pgoff: where the region sits in ratmem's shared address space, in
 *	pages: its VMAs have vm_pgoff in [@pgoff, @pgoff + @nr_pages), so
 *	unmap_mapping_pages() finds every mapping of it in every process.
 * @window: which window of the address space @pgoff is; reused once
 *	the region is freed (so never while a VMA of it exists).
 * @page_shift: log2 of the region's page size: PAGE_SHIFT, or PMD_SHIFT
 *	for 2 MiB pages, each one physically contiguous (order
 *	ratmem_region_order()); commit and decommit work in whole pages.
 * @max_rights: RATMEM_RIGHT_* bits no handle may exceed.
 * @named: made by NAMED_CREATE; @owner_uid, @owner_gid and @mode are
 *	its name's (they stay after UNLINK).
 * @owner_uid: the creator's fsuid, for a named region.
 * @owner_gid: the creator's fsgid, for a named region.
 * @mode: the name's permission bits, for a named region.
 * @quota: the creator's quota (counted), charged with @size and with
 *	the committed bytes until the region is freed.
 * @placement_lock: guards @placement; faults read it without other locks.
 * @placement: where new pages go (numa.c); changed by RATMEM_IOC_POLICY
 *	under @lock and @placement_lock.
 * @migrate_lock: one migration of the region at a time (migrate.c): held
 *	from the marking of pages to their last copy, and by a fault that
 *	moves a marked page; never under @lock.
 * @fault_lock: faults (fault.c) hold it for read from their checks (the
 *	capability is not revoked, the page is committed) until their PTEs
 *	are in; whoever invalidates those checks holds it for write, inside
 *	@lock: a change of @committed, a removal from @pages, the revocation
 *	mark. Faults on one region never wait for each other.
 * @nr_resident: 4 KiB pages in @pages (a 2 MiB page counts 512); changed
 *	by faults without @lock.
 * @lock: protects the fields below.
 * @committed: 4 KiB page indices that are committed; changed under
 *	@fault_lock too, read by faults under it alone.
 * @nr_committed: number of indices in @committed.
 * @pages: region page index (offset >> @page_shift) -> struct page (the
 *	first of a 2 MiB page), for committed pages touched since they were
 *	committed; every page here is committed. Faults add pages with
 *	xa_cmpxchg() under @fault_lock for read; pages leave under @lock and
 *	@fault_lock for write.
 * @lazy: region page index -> xa_mk_value(node): resident pages marked
 *	for migration (RATMEM_IOC_MIGRATE), which no fault maps until the
 *	page is moved (migrate.c); changed under @lock and @fault_lock for
 *	write, read by faults under @fault_lock for read.
 * @nr_maywrite: VMAs of the region with VM_MAYWRITE.
 * @nr_mayexec: VMAs of the region with VM_MAYEXEC.
 * @live_users: sum of @users of the capabilities still counted: what can
 *	reach the memory without going through a revoked capability. When
 *	it drops to zero the region is drained (ratmem_region_drain()).
 * @drained: its pages are freed and its charges given back; nothing
 *	unrevoked reaches it, and nothing ever will again.
 * @seals: RATMEM_SEAL_* (seal.c); bits are only ever added, under @lock,
 *	and every check of one runs under @lock too.
 * @mms: struct ratmem_mm_ref per process that maps the region.
 * @sweep: generation of the last revocation sweep (mmap.c).
 * @waiters: struct ratmem_waiter of WAIT calls sleeping on the region.
 * @nr_revoking: capabilities of the region being revoked with a deadline
 *	(revoke_after.c); while non-zero, a user that goes checks whether
 *	their holders have all let go.
 * @zap_lock: serialises revocation sweeps (the outermost lock of the lock
 *	order in ratmem.h).
 * @unswept: revoked capabilities whose sweep was interrupted by a fatal
 *	signal, each with a reference, linked by their @doomed; under
 *	@zap_lock. The next revocation of the region, a retry, or
 *	@sweep_work finishes them (revoke.c).
 * @sweep_work: finishes the sweep of @unswept on ratmem_wq; set up by
 *	revoke.c (ratmem_revoke_init_region()) as create.c makes the region.
 *
 * The fields above @lock are set at creation and never change.
 */
struct ratmem_region {
	struct kref ref;
	u64 id;
	u64 size;
	pgoff_t nr_pages;
	pgoff_t pgoff;
	u32 window;
	u32 page_shift;
	u32 max_rights;
	bool named;
	kuid_t owner_uid;
	kgid_t owner_gid;
	u32 mode;
	struct ratmem_proc_quota *quota;

	seqlock_t placement_lock;
	struct ratmem_placement placement;
	struct mutex migrate_lock; /* one migration at a time */
	struct rw_semaphore fault_lock;
	atomic_long_t nr_resident;

	struct mutex lock; /* protects the fields below */
	struct ratmem_rangeset committed;
	pgoff_t nr_committed;
	struct xarray pages;
	struct xarray lazy;
	unsigned int nr_maywrite;
	unsigned int nr_mayexec;
	unsigned long live_users;
	bool drained;
	u32 seals;
	struct list_head mms;
	u64 sweep;
	struct list_head waiters;
	unsigned int nr_revoking;

	struct mutex zap_lock; /* one revocation sweep at a time */
	struct list_head unswept;
	struct work_struct sweep_work;
};

/**
 * struct ratmem_region_owner - who made a named region, and its mode
 * @uid: the creator's fsuid.
 * @gid: the creator's fsgid.
 * @mode: the name's permission bits.
 */
struct ratmem_region_owner {
	kuid_t uid;
	kgid_t gid;
	u32 mode;
};

/* Order of a region's pages: 0 for 4 KiB, 9 for 2 MiB. */
static inline unsigned int ratmem_region_order(const struct ratmem_region *region)
{
	return region->page_shift - PAGE_SHIFT;
}

/* Largest region, in bytes (module parameter region_size_max). */
extern unsigned long long ratmem_region_size_max;

int ratmem_region_create(struct ratmem_proc_quota *quota, u64 size, u32 page_shift, u32 max_rights,
			 const struct ratmem_placement *placement,
			 const struct ratmem_region_owner *named,
			 struct ratmem_region **out);
void ratmem_region_put(struct ratmem_region *region);
struct ratmem_region *ratmem_region_next(unsigned long *id);
int ratmem_region_commit(struct ratmem_cap *via, u64 offset, u64 length);
int ratmem_region_decommit(struct ratmem_cap *via, u64 offset, u64 length);
u64 ratmem_region_committed_bytes(struct ratmem_cap *cap);
u64 ratmem_region_resident_bytes(const struct ratmem_cap *cap);
bool ratmem_cap_use_locked(struct ratmem_cap *cap, int delta);
void ratmem_cap_use(struct ratmem_cap *cap, int delta);
int ratmem_cap_use_live(struct ratmem_cap *cap);
void ratmem_region_drain(struct ratmem_region *region);
struct page *ratmem_region_page_alloc(struct ratmem_region *region, unsigned long index,
				      gfp_t extra);
void ratmem_region_placement(struct ratmem_region *region, struct ratmem_placement *p);
void ratmem_region_page_discard(struct ratmem_region *region, struct page *page);
void ratmem_region_page_published(struct ratmem_region *region);

#endif /* RATMEM_REGION_H */
