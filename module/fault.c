// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: putting a region's pages into page tables. The fault of one
 * page, its neighbours (fault-around), a 2 MiB page with one PMD
 * (->huge_fault) and a whole range at once (RATMEM_IOC_POPULATE).
 *
 * No region-wide mutex is taken here, so faults on one region run side
 * by side. A fault holds region->fault_lock for read from its checks
 * (its capability is not revoked, the page is committed) until its PTEs
 * are in. Whoever invalidates those checks holds it for write: decommit
 * and the drain while they take pages out of region->pages, commit while
 * it changes the committed set, the revocation mark while it marks. So
 * a decommit or revoke either comes first, and the fault's checks fail,
 * or waits until the fault's PTEs exist, and then removes them
 * (unmap_mapping_pages(), the revocation sweep); pages are freed only
 * after that. A missing page is allocated and zeroed before the lock is
 * taken, where it can be, and published with xa_cmpxchg(): two faults on
 * one page agree on the page, and the loser's goes back unused. A page
 * marked for migration (migrate.c) is never mapped: a fault that must map
 * it first moves it, with fault_lock released, and then starts over.
 */
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "compat.h"
#include "fault.h"
#include "mapping.h"
#include "migrate.h"
#include "notify.h"
#include "rangeset.h"
#include "region.h"
#include "ratmem_trace.h"

#define RATMEM_FAULT_AROUND_MAX	512U
/* POPULATE maps at most this many pages per hold of fault_lock. */
#define RATMEM_POPULATE_BATCH	512UL

static unsigned int ratmem_fault_around_pages = 16;
module_param_named(fault_around_pages, ratmem_fault_around_pages, uint, 0644);
MODULE_PARM_DESC(fault_around_pages,
		 "Pages a fault maps at once: the resident ones of an aligned block around it, or with MADV_SEQUENTIAL the committed ones from it on, allocated (default 16, at most 512; 0 or 1: only the page itself)");

/**
 * struct ratmem_map - region pages to map into one VMA
 * @vma: the VMA; the caller holds its mmap_lock or VMA lock
 * @via: the capability @vma was mapped through
 * @start: user address of region page index @first
 * @first: first 4 KiB index of the region that may be mapped
 * @last: last one; [@first, @last] lies in @vma and in the region
 * @must_first: first index that must be mapped, in [@first, @last]
 * @must_last: last index that must be mapped
 * @alloc: allocate the committed pages of [@first, @last] that are not
 *	resident (those in [@must_first, @must_last] always are)
 * @map: insert PTEs; false: only make the pages resident
 */
struct ratmem_map {
	struct vm_area_struct *vma;
	struct ratmem_cap *via;
	unsigned long start;
	pgoff_t first, last;
	pgoff_t must_first, must_last;
	bool alloc;
	bool map;
};

/*
 * May a spare page, allocated for another index, serve region page index
 * @idx? Only an interleaving policy places pages by index.
 */
static bool ratmem_spare_fits(struct ratmem_region *region, struct page *spare,
			      unsigned long idx)
{
	struct ratmem_placement p;

	ratmem_region_placement(region, &p);
	return p.mode != RATMEM_POLICY_INTERLEAVE ||
	       page_to_nid(spare) == ratmem_placement_node(&p, idx, NUMA_NO_NODE);
}

/*
 * The page of region page index @idx, or NULL when it is not resident
 * and @alloc is false or allocation fails. A new page comes from *@spare
 * when there is one that fits, else from the allocator with @gfp; a page
 * that lost the race to publish goes back to *@spare (it is still zero).
 * fault_lock held for read, the index committed and not marked for
 * migration.
 */
static struct page *ratmem_map_page(struct ratmem_region *region, unsigned long idx, bool alloc,
				    gfp_t gfp, struct page **spare)
{
	struct page *page, *old;

	lockdep_assert_held_read(&region->fault_lock);
	page = xa_load(&region->pages, idx);
	if (page || !alloc)
		return page;
	if (*spare && ratmem_spare_fits(region, *spare, idx)) {
		page = *spare;
		*spare = NULL;
	} else {
		page = ratmem_region_page_alloc(region, idx, gfp);
		if (!page)
			return NULL;
	}
	old = xa_cmpxchg(&region->pages, idx, NULL, page, GFP_KERNEL_ACCOUNT);
	if (old) {
		/* An xarray error, or another fault published the page first. */
		*spare = page;
		return xa_is_err(old) ? NULL : old;
	}
	ratmem_region_page_published(region);
	return page;
}

/* Map region page index @i of @m (committed, page resident or allocated). */
static int ratmem_map_one(const struct ratmem_map *m, pgoff_t i, bool must, struct page **spare)
{
	struct ratmem_region *region = m->via->region;
	unsigned int order = ratmem_region_order(region);
	gfp_t gfp = must ? 0 : __GFP_NORETRY | __GFP_NOWARN;
	struct page *page;
	vm_fault_t vret;

	if (!ratmem_rangeset_test(&region->committed, i))
		return -EFAULT;
	/* Must-map pages were checked by the caller. */
	if (!must && ratmem_region_index_marked(region, i >> order))
		return 0;
	page = ratmem_map_page(region, i >> order, must || m->alloc, gfp, spare);
	if (!page)
		return must ? -ENOMEM : 0;
	if (!m->map)
		return 0;
	vret = vmf_insert_pfn(m->vma, m->start + ((i - m->first) << PAGE_SHIFT),
			      page_to_pfn(page) + (i & ((1UL << order) - 1)));
	if (!(vret & VM_FAULT_ERROR))
		return 0;
	return vret & VM_FAULT_OOM ? -ENOMEM : -EFAULT;
}

/*
 * Map the resident pages of [@m->first, @m->last] outside the must range,
 * with one walk of region->pages: a fresh region costs one empty lookup,
 * not one per index. Every page in region->pages is committed (pages
 * leave it, and indices leave the committed set, together under
 * fault_lock for write), so no committed check is needed. fault_lock
 * held for read.
 */
static void ratmem_map_resident(const struct ratmem_map *m)
{
	struct ratmem_region *region = m->via->region;
	unsigned int order = ratmem_region_order(region);
	unsigned long idx;
	struct page *page;
	pgoff_t i, lo, hi;

	xa_for_each_range(&region->pages, idx, page, m->first >> order, m->last >> order) {
		if (ratmem_region_index_marked(region, idx))
			continue;
		lo = max_t(pgoff_t, m->first, idx << order);
		hi = min_t(pgoff_t, m->last, ((idx + 1) << order) - 1);
		for (i = lo; i <= hi; i++) {
			if (i >= m->must_first && i <= m->must_last)
				continue;
			vmf_insert_pfn(m->vma, m->start + ((i - m->first) << PAGE_SHIFT),
				       page_to_pfn(page) + (i & ((1UL << order) - 1)));
		}
	}
}

/*
 * Map what @m asks for, under one hold of fault_lock. Return: 0; -ENOLINK
 * when @m->via is revoked; -EFAULT when a page that must be mapped is not
 * committed; -ENOMEM; -EINTR on a fatal signal while a page marked for
 * migration was being moved. Pages that may be mapped are skipped when
 * they cannot be. The caller holds @m->vma's mmap_lock or VMA lock.
 */
static int ratmem_map_range(const struct ratmem_map *m)
{
	struct ratmem_region *region = m->via->region;
	unsigned int order = ratmem_region_order(region);
	struct page *spare = NULL;
	bool fresh;
	pgoff_t i;
	int ret = 0;

	/* The page that must come: allocated and zeroed before any lock. */
	fresh = !xa_load(&region->pages, m->must_first >> order);
	if (fresh) {
		spare = ratmem_region_page_alloc(region, m->must_first >> order, 0);
		if (!spare)
			return -ENOMEM;
	}
again:
	down_read(&region->fault_lock);
	if (READ_ONCE(m->via->state) == RATMEM_CAP_STATE_REVOKED) {
		ret = -ENOLINK;
		goto out;
	}
	if (ratmem_region_marked(region, m->must_first >> order, m->must_last >> order)) {
		/* Lazy migration: move them first, then map them where they went. */
		up_read(&region->fault_lock);
		ret = ratmem_region_move_marked(region, m->must_first >> order,
						m->must_last >> order);
		if (!ret)
			goto again;
		goto out_unlocked;
	}
	for (i = m->must_first; i <= m->must_last; i++) {
		ret = ratmem_map_one(m, i, true, &spare);
		if (ret)
			goto out;
	}
	if (!m->alloc) {
		/*
		 * Around a page this fault allocates, the resident pages are
		 * this mapping's own first touches, mapped already: inserting
		 * them again costs a PAT lookup each (track_pfn_insert()) for
		 * nothing. Around a page someone else brought in, they are
		 * worth mapping.
		 */
		if (m->first != m->last && !fresh)
			ratmem_map_resident(m);
		goto out;
	}
	for (i = m->first; i <= m->last; i++)
		if (i < m->must_first || i > m->must_last)
			ratmem_map_one(m, i, false, &spare);
out:
	up_read(&region->fault_lock);
out_unlocked:
	if (spare)
		ratmem_region_page_discard(region, spare);
	return ret;
}

/* Access through a revoked capability: SIGBUS, or death by policy. */
static vm_fault_t ratmem_fault_violation(struct ratmem_cap *via)
{
	ratmem_notify_violation(RATMEM_VIOLATION_REVOKED, via);
	if (ratmem_violation_kills())
		force_sig(SIGKILL);
	return VM_FAULT_SIGBUS;
}

static vm_fault_t ratmem_fault_result(struct ratmem_cap *via, int err)
{
	switch (err) {
	case 0:
		return VM_FAULT_NOPAGE;
	case -ENOLINK:
		return ratmem_fault_violation(via);
	case -ENOMEM:
		return VM_FAULT_OOM;
	case -EINTR:
		/* Dying while a marked page moved: nothing mapped, no harm. */
		return VM_FAULT_NOPAGE;
	default:
		return VM_FAULT_SIGBUS;
	}
}

/* Region page indices @vma maps, clipped to the region: [*first, *last]. */
static void ratmem_vma_indices(struct vm_area_struct *vma, struct ratmem_region *region,
			       pgoff_t *first, pgoff_t *last)
{
	/* A VMA starts in its region's window and only shrinks or moves. */
	*first = vma->vm_pgoff >= region->pgoff ? vma->vm_pgoff - region->pgoff : 0;
	*last = min_t(pgoff_t, *first + vma_pages(vma) - 1, region->nr_pages - 1);
}

/*
 * The window a fault on @index of @vma may map: an aligned block of
 * fault_around_pages of resident pages (only when the page at @index is
 * resident already; see ratmem_map_range()), or with MADV_SEQUENTIAL
 * that many committed pages from @index on, allocated; none with
 * MADV_RANDOM.
 */
static void ratmem_fault_window(struct ratmem_map *m, struct ratmem_region *region,
				pgoff_t index)
{
	unsigned int n = min(READ_ONCE(ratmem_fault_around_pages), RATMEM_FAULT_AROUND_MAX);
	pgoff_t vfirst, vlast;

	m->first = index;
	m->last = index;
	m->alloc = false;
	if (n <= 1 || (m->vma->vm_flags & VM_RAND_READ))
		return;
	ratmem_vma_indices(m->vma, region, &vfirst, &vlast);
	if (m->vma->vm_flags & VM_SEQ_READ) {
		m->alloc = true;
		m->last = index + n - 1;
		/* Not into the next 2 MiB page, which may be mapped with a PMD. */
		if (ratmem_region_order(region))
			m->last = min(m->last, index | ((1UL << ratmem_region_order(region)) - 1));
	} else {
		n = rounddown_pow_of_two(n);
		m->first = round_down(index, n);
		m->last = m->first + n - 1;
	}
	m->first = max(m->first, vfirst);
	m->last = min(m->last, vlast);
}

/**
 * ratmem_vm_fault() - ->fault of a ratmem mapping
 * @vmf: the fault
 *
 * Maps the page that faulted, and around it what fault_around_pages and
 * the VMA's MADV_SEQUENTIAL or MADV_RANDOM hint say, never past the VMA,
 * the region, the committed pages or a revoked capability.
 *
 * Context: page fault; the caller holds the mmap_lock or the VMA lock.
 * Takes region->fault_lock for read.
 * Return: VM_FAULT_NOPAGE when the page is mapped; VM_FAULT_SIGBUS for a
 * page that is not committed or a revoked capability (after sending
 * SIGKILL when the violation policy says so); VM_FAULT_OOM when no page
 * can be had.
 */
vm_fault_t ratmem_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ratmem_cap *cap = vma->vm_private_data;
	struct ratmem_region *region = cap->region;
	struct ratmem_map m = { .vma = vma, .via = cap, .map = true };
	vm_fault_t ret;
	pgoff_t index;

	/* Check the offset on every fault, not only at mmap (CVE-2023-2008). */
	if (vmf->pgoff < region->pgoff || vmf->pgoff - region->pgoff >= region->nr_pages)
		return VM_FAULT_SIGBUS;
	index = vmf->pgoff - region->pgoff;
	m.must_first = index;
	m.must_last = index;
	ratmem_fault_window(&m, region, index);
	m.start = (vmf->address & PAGE_MASK) - ((index - m.first) << PAGE_SHIFT);
	ret = ratmem_fault_result(cap, ratmem_map_range(&m));
	trace_fault(region->id, index, (__force unsigned int)ret);
	return ret;
}

#ifdef RATMEM_HAVE_PMD_MAP
/**
 * ratmem_vm_huge_fault() - ->huge_fault: map a 2 MiB page with one PMD
 * @vmf: the fault
 * @order: the mapping size the core mm asks for
 *
 * Only for regions of 2 MiB pages, and only where the whole PMD lies in
 * the VMA at a 2 MiB-aligned offset; everything else falls back to
 * ratmem_vm_fault(), which maps the same physical page with PTEs.
 *
 * Context: page fault; the caller holds the mmap_lock or the VMA lock.
 * Takes region->fault_lock for read.
 * Return: VM_FAULT_NOPAGE, VM_FAULT_FALLBACK, or as ratmem_vm_fault().
 */
vm_fault_t ratmem_vm_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ratmem_cap *cap = vma->vm_private_data;
	struct ratmem_region *region = cap->region;
	struct page *page, *spare = NULL;
	unsigned long haddr = vmf->address & PMD_MASK;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	pgoff_t pgoff, index;
	int err = 0;

	if (order != PMD_ORDER || region->page_shift != PMD_SHIFT ||
	    !thp_vma_suitable_order(vma, vmf->address, PMD_ORDER))
		return VM_FAULT_FALLBACK;
	pgoff = vma->vm_pgoff + ((haddr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff < region->pgoff || pgoff - region->pgoff >= region->nr_pages)
		return VM_FAULT_SIGBUS;
	index = pgoff - region->pgoff;
	/* Region windows and the VMA's offset are 2 MiB aligned (checked above). */
	if (WARN_ON_ONCE(index & (HPAGE_PMD_NR - 1)))
		return VM_FAULT_FALLBACK;

	if (!xa_load(&region->pages, index >> PMD_ORDER)) {
		spare = ratmem_region_page_alloc(region, index >> PMD_ORDER, 0);
		if (!spare)
			return VM_FAULT_OOM;
	}
again:
	down_read(&region->fault_lock);
	if (READ_ONCE(cap->state) == RATMEM_CAP_STATE_REVOKED) {
		err = -ENOLINK;
	} else if (!ratmem_rangeset_test(&region->committed, index)) {
		err = -EFAULT;
	} else if (ratmem_region_index_marked(region, index >> PMD_ORDER)) {
		/* Lazy migration: move the page, then map it where it went. */
		up_read(&region->fault_lock);
		err = ratmem_region_move_marked(region, index >> PMD_ORDER, index >> PMD_ORDER);
		if (!err)
			goto again;
		goto out_unlocked;
	} else {
		page = ratmem_map_page(region, index >> PMD_ORDER, true, 0, &spare);
		if (!page)
			err = -ENOMEM;
		else
			/*
			 * Not a write insert, even for a write fault: the
			 * shared mapping's vm_page_prot is writable already
			 * (no write notify for pfnmaps), and a write insert
			 * WARNs when a racing fault-around put a PTE table
			 * here meanwhile; a read insert leaves it, and the
			 * refault maps PTEs.
			 */
			ret = ratmem_insert_pfn_pmd(vmf, page_to_pfn(page), false);
	}
	up_read(&region->fault_lock);
out_unlocked:
	if (spare)
		ratmem_region_page_discard(region, spare);
	if (err)
		ret = ratmem_fault_result(cap, err);
	trace_fault(region->id, index, (__force unsigned int)ret);
	return ret;
}
#endif

/**
 * ratmem_populate() - RATMEM_IOC_POPULATE: map a range of the caller's
 *	ratmem mappings now
 * @args: the range, checked by the caller (ratmem_check_populate_args())
 *
 * Every page of [addr, addr + length) is made resident and mapped, as a
 * touch of each would, so that touching them later costs no fault. In
 * regions of 2 MiB pages on kernels that map them with PMDs, the pages
 * are only made resident: the first touch of each maps it with one PMD.
 * Pages populated before an error stay.
 *
 * Context: process context; may sleep. Takes the caller's mmap_lock for
 * read, then region->fault_lock for read.
 * Return: 0; -ENOMEM when part of the range is not mapped, or out of
 * memory; -EINVAL when part of it is not a ratmem mapping; -EFAULT when a
 * page is not committed or its mapping is PROT_NONE; -ENOLINK when the
 * mapping's capability is revoked; -EINTR on a fatal signal.
 */
int ratmem_populate(const struct ratmem_populate *args)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = args->addr, end = args->addr + args->length;
	int ret = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	while (addr < end) {
		struct vm_area_struct *vma = vma_lookup(mm, addr);
		struct ratmem_map m = { .vma = vma, .alloc = true, .map = true };
		unsigned long stop;
		pgoff_t vfirst, vlast;

		if (!vma) {
			ret = -ENOMEM;
			break;
		}
		if (!ratmem_vma_is_ratmem(vma)) {
			ret = -EINVAL;
			break;
		}
		if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
			ret = -EFAULT;
			break;
		}
		m.via = vma->vm_private_data;
		stop = min3(end, vma->vm_end, addr + (RATMEM_POPULATE_BATCH << PAGE_SHIFT));
		ratmem_vma_indices(vma, m.via->region, &vfirst, &vlast);
		m.first = vfirst + ((addr - vma->vm_start) >> PAGE_SHIFT);
		m.last = m.first + ((stop - addr) >> PAGE_SHIFT) - 1;
		if (m.last > vlast) {
			ret = -EFAULT;
			break;
		}
		m.must_first = m.first;
		m.must_last = m.last;
		m.start = addr;
#ifdef RATMEM_HAVE_PMD_MAP
		m.map = m.via->region->page_shift != PMD_SHIFT;
#endif
		ret = ratmem_map_range(&m);
		if (ret)
			break;
		addr = stop;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	mmap_read_unlock(mm);
	return ret;
}
