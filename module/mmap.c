// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: mapping regions. mmap() of a context at RATMEM_MMAP_OFFSET(h)
 * + B maps handle h from byte B of its region; the VMA then belongs to
 * the region's window of ratmem's shared address space (mapping.c), its
 * MAY bits follow the handle's rights and the region's W^X state
 * (wx.c), and pages come from fault.c.
 *
 * Everything that follows a region's mappings is here: which processes
 * map it (region->mms, counted per VMA at mmap, vm_ops->open and
 * vm_ops->close), and the revocation sweep, which visits each of them
 * and zaps the VMAs made through a revoked capability. revoke.c marks
 * the capabilities and asks for the sweep.
 */
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/ratmem.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "cap.h"
#include "compat.h"
#include "context.h"
#include "counters.h"
#include "fault.h"
#include "handle.h"
#include "mapping.h"
#include "notify.h"
#include "region.h"
#include "validate.h"
#include "wx.h"

#define RATMEM_MMAP_PGOFF_SHIFT	(RATMEM_MMAP_HANDLE_SHIFT - PAGE_SHIFT)
#define RATMEM_MMAP_INDEX_MASK	((1UL << RATMEM_MMAP_PGOFF_SHIFT) - 1)

/* Never inherited, never grown, never dumped, never pinned (GUP). */
#define RATMEM_VM_FLAGS	(VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTCOPY | VM_DONTDUMP)
#define RATMEM_VM_MAY	(VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

static const struct vm_operations_struct ratmem_vm_ops;

/**
 * struct ratmem_mm_ref - one process that maps a region, or maps it
 *	through one capability
 * @node: link in region->mms, or in a capability's mms.
 * @mm: the address space; valid while @nr_vmas > 0, because the core mm
 *	closes every VMA (and so untracks it) before freeing the mm.
 * @nr_vmas: VMAs of the region in @mm.
 * @sweep: the last sweep that visited @mm.
 */
struct ratmem_mm_ref {
	struct list_head node;
	struct mm_struct *mm;
	unsigned long nr_vmas;
	u64 sweep;
};

/**
 * ratmem_region_mappers() - how many processes map a region
 * @region: the region
 *
 * Context: under region->lock.
 * Return: the number of tracked mms.
 */
unsigned int ratmem_region_mappers(struct ratmem_region *region)
{
	struct ratmem_mm_ref *ref;
	unsigned int n = 0;

	lockdep_assert_held(&region->lock);
	list_for_each_entry(ref, &region->mms, node)
		n++;
	return n;
}

/* A tracking entry for ratmem_mm_track(), charged to the caller's memcg; sleeps. */
static struct ratmem_mm_ref *ratmem_mm_ref_alloc(void)
{
	return kzalloc(sizeof(struct ratmem_mm_ref), GFP_KERNEL_ACCOUNT);
}

/**
 * ratmem_mm_track() - count a new VMA of @region in @mm
 * @mms: region->mms, or the mms of the VMA's capability
 * @region: the region; the caller holds region->lock
 * @mm: the VMA's address space
 * @spare: an entry from ratmem_mm_ref_alloc(), used (and set to NULL)
 *	when @mm is new to @mms; NULL from vm_ops->open, where a VMA of
 *	the same mm and capability (the one being split or moved) is
 *	already counted
 *
 * Context: region->lock held.
 */
static void ratmem_mm_track(struct list_head *mms, struct ratmem_region *region,
			    struct mm_struct *mm, struct ratmem_mm_ref **spare)
{
	struct ratmem_mm_ref *ref;

	lockdep_assert_held(&region->lock);
	list_for_each_entry(ref, mms, node) {
		if (ref->mm == mm) {
			ref->nr_vmas++;
			return;
		}
	}
	if (WARN_ON_ONCE(!spare || !*spare))
		return;
	ref = *spare;
	*spare = NULL;
	ref->mm = mm;
	ref->nr_vmas = 1;
	/* Its VMAs are all made after any revocation marked so far. */
	ref->sweep = region->sweep;
	list_add_tail(&ref->node, mms);
	atomic64_inc(&ratmem_counters.mm_refs);
}

/**
 * ratmem_mm_untrack() - uncount a closed VMA of @region in @mm
 * @mms: as given to ratmem_mm_track()
 * @region: the region; the caller holds region->lock
 * @mm: the VMA's address space
 *
 * Context: region->lock held.
 */
static void ratmem_mm_untrack(struct list_head *mms, struct ratmem_region *region,
			      struct mm_struct *mm)
{
	struct ratmem_mm_ref *ref;

	lockdep_assert_held(&region->lock);
	list_for_each_entry(ref, mms, node) {
		if (ref->mm != mm)
			continue;
		if (!--ref->nr_vmas) {
			list_del(&ref->node);
			kfree(ref);
			atomic64_dec(&ratmem_counters.mm_refs);
		}
		return;
	}
	WARN_ON_ONCE(1);
}

/*
 * Count (@delta 1) or uncount (-1) a VMA's capabilities, and the VMA as
 * a user, in its capability and, while the capability still counts (see
 * struct ratmem_cap), in its region. Returns true when the region must be
 * drained (ratmem_cap_use_locked()).
 */
static bool ratmem_vma_account(struct ratmem_cap *cap, vm_flags_t flags, int delta)
{
	struct ratmem_region *region = cap->region;
	bool live = cap->counted;

	lockdep_assert_held(&region->lock);
	if (flags & VM_MAYWRITE) {
		cap->nr_maywrite += delta;
		if (live)
			region->nr_maywrite += delta;
	}
	if (flags & VM_MAYEXEC) {
		cap->nr_mayexec += delta;
		if (live)
			region->nr_mayexec += delta;
	}
	return ratmem_cap_use_locked(cap, delta);
}

/* A copy of a ratmem VMA: split, or mremap move. Never fork (VM_DONTCOPY). */
static void ratmem_vm_open(struct vm_area_struct *vma)
{
	struct ratmem_cap *cap = vma->vm_private_data;
	struct ratmem_region *region = cap->region;

	ratmem_cap_get(cap);
	mutex_lock(&region->lock);
	ratmem_vma_account(cap, vma->vm_flags, 1);
	/* The VMA it was copied from is in the same mm and still counted. */
	ratmem_mm_track(&region->mms, region, vma->vm_mm, NULL);
	ratmem_mm_track(&cap->mms, region, vma->vm_mm, NULL);
	mutex_unlock(&region->lock);
	atomic64_inc(&ratmem_counters.mappings);
}

/* Called after the VMA's page tables are gone (munmap, exit, mremap). */
static void ratmem_vm_close(struct vm_area_struct *vma)
{
	struct ratmem_cap *cap = vma->vm_private_data;
	struct ratmem_region *region = cap->region;
	bool drain;

	mutex_lock(&region->lock);
	drain = ratmem_vma_account(cap, vma->vm_flags, -1);
	ratmem_mm_untrack(&region->mms, region, vma->vm_mm);
	ratmem_mm_untrack(&cap->mms, region, vma->vm_mm);
	mutex_unlock(&region->lock);
	atomic64_dec(&ratmem_counters.mappings);
	if (drain)
		ratmem_region_drain(region);
	ratmem_cap_put(cap);
}

/*
 * The core mm's fault-around hook: it maps nothing (it runs under
 * rcu_read_lock(), where region->fault_lock cannot be taken);
 * ratmem_vm_fault() does its own fault-around. Its presence tells the
 * core mm that ->fault does not need the mmap_lock (see
 * vmf_can_call_fault()): ratmem_vm_fault() relies only on the VMA being
 * stable and on region->fault_lock, so faults can run under the per-VMA
 * lock instead of being retried under the mmap_lock.
 */
static vm_fault_t ratmem_vm_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
				      pgoff_t end_pgoff)
{
	return 0;
}

/**
 * ratmem_vma_is_ratmem() - is @vma a mapping of a ratmem region?
 * @vma: any VMA; the caller holds its mmap_lock
 *
 * Context: any context.
 * Return: true when @vma was made by ratmem_mmap(); its vm_private_data
 * is then the capability it was mapped through.
 */
bool ratmem_vma_is_ratmem(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &ratmem_vm_ops;
}

static struct ratmem_region *ratmem_vma_region(struct vm_area_struct *vma)
{
	struct ratmem_cap *cap = vma->vm_private_data;

	return cap->region;
}

/* Are other VMAs of @vma's region in its process writable, executable? */
static void ratmem_vma_siblings(struct vm_area_struct *vma, bool *write, bool *exec)
{
	VMA_ITERATOR(vmi, vma->vm_mm, 0);
	struct vm_area_struct *other;

	mmap_assert_write_locked(vma->vm_mm);
	for_each_vma(vmi, other) {
		if (other == vma || other->vm_ops != &ratmem_vm_ops ||
		    ratmem_vma_region(other) != ratmem_vma_region(vma))
			continue;
		*write |= !!(other->vm_flags & VM_WRITE);
		*exec |= !!(other->vm_flags & VM_EXEC);
	}
}

/*
 * mprotect() of [@start, @end) of @vma to @newflags. The core mm has
 * checked the VM_MAY* bits. Only pieces of one capable VMA (all in this
 * process) can hold write and exec capability together, so only this
 * process's VMAs need looking at, and its mmap_lock is held for write.
 */
static int ratmem_vm_mprotect(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, unsigned long newflags)
{
	struct ratmem_cap *cap = vma->vm_private_data;
	struct ratmem_region *region = cap->region;
	bool whole = start == vma->vm_start && end == vma->vm_end;
	bool others_write = false, others_exec = false;
	unsigned int maywrite, mayexec;
	bool counted, widen_sealed;

	mutex_lock(&region->lock);
	widen_sealed = (region->seals & RATMEM_SEAL_PROTECT) &&
		       (newflags & ~vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
	/* The region's counts include this VMA unless its revocation is complete. */
	counted = cap->counted;
	maywrite = region->nr_maywrite - (counted && (vma->vm_flags & VM_MAYWRITE));
	mayexec = region->nr_mayexec - (counted && (vma->vm_flags & VM_MAYEXEC));
	mutex_unlock(&region->lock);
	if (widen_sealed)
		return -EPERM;
	if (((newflags & VM_EXEC) && maywrite) || ((newflags & VM_WRITE) && mayexec))
		ratmem_vma_siblings(vma, &others_write, &others_exec);
	if (ratmem_wx_mprotect(newflags, vma->vm_flags, whole, others_write, others_exec)) {
		ratmem_notify_violation(RATMEM_VIOLATION_WX, cap);
		return -EACCES;
	}
	return 0;
}

static const struct vm_operations_struct ratmem_vm_ops = {
	.open		= ratmem_vm_open,
	.close		= ratmem_vm_close,
	.fault		= ratmem_vm_fault,
#ifdef RATMEM_HAVE_PMD_MAP
	.huge_fault	= ratmem_vm_huge_fault,
#endif
	.map_pages	= ratmem_vm_map_pages,
	.mprotect	= ratmem_vm_mprotect,
};

/**
 * ratmem_mm_zap_revoked() - remove the PTEs of @mm's revoked mappings
 * @mm: an address space; the caller holds its mmap_lock (read is enough:
 *	VMAs cannot be split, moved or freed meanwhile, and a fault that
 *	races the zap either has its PTEs in before the mark or fails its
 *	revoked check under region->fault_lock: fault.c)
 * @region: only VMAs of this region are looked at
 *
 * Context: process context; may sleep (zapping flushes TLBs).
 */
static void ratmem_mm_zap_revoked(struct mm_struct *mm, struct ratmem_region *region)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	struct ratmem_cap *cap;

	mmap_assert_locked(mm);
	for_each_vma(vmi, vma) {
		if (vma->vm_ops != &ratmem_vm_ops)
			continue;
		cap = vma->vm_private_data;
		if (cap->region == region && ratmem_cap_revoked(cap))
			ratmem_zap_vma(vma);
	}
}

/*
 * The next process of @mms (a region's or a capability's list of struct
 * ratmem_mm_ref) not yet visited in pass @gen, with a reference on its
 * mm, or NULL when none is left. Unvisited entries stay at the head:
 * each visit moves its entry to the tail, and entries added meanwhile
 * (vm_open of a split or moved VMA, whose mm is counted already) go to
 * the tail as visited. So each turn looks at the head only, and a pass
 * is linear in the mappers. A process whose mm has no users left is
 * passed over: nothing runs in it, and its VMAs are being torn down.
 * Takes region->lock.
 */
static struct mm_struct *ratmem_mms_next(struct ratmem_region *region, struct list_head *mms,
					 u64 gen)
{
	struct mm_struct *mm = NULL;
	struct ratmem_mm_ref *ref;

	mutex_lock(&region->lock);
	while (!list_empty(mms)) {
		ref = list_first_entry(mms, struct ratmem_mm_ref, node);
		if (ref->sweep == gen)
			break;
		ref->sweep = gen;
		list_move_tail(&ref->node, mms);
		if (mmget_not_zero(ref->mm)) {
			mm = ref->mm;
			break;
		}
	}
	mutex_unlock(&region->lock);
	return mm;
}

/**
 * ratmem_region_sweep() - remove the PTEs of revoked mappings
 * @region: the region; the caller holds region->zap_lock and has marked
 *	the capabilities revoked
 * @doomed: the revoked capabilities (linked by their @doomed), whose
 *	mappings are swept; held by the caller
 * @killable: take each mmap_lock with mmap_read_lock_killable(), so a
 *	caller stuck behind another process's mmap_lock can be killed
 *
 * Visits each process that has a VMA made through one of @doomed (each
 * capability's mms), in time linear in their number: revoking one grant
 * of a region that many processes map visits only the grantee's. A
 * process whose mm is already exiting (no users left) is skipped:
 * nothing can run in it, and its VMAs are being torn down.
 *
 * Context: process context; may sleep. Takes each mm's mmap_lock for
 * read, then region->lock, never both with region->lock first.
 * Return: 0 when every mapper was visited, or -EINTR (only if @killable)
 * when a fatal signal came first: some revoked PTEs may be left, and
 * the next sweep visits every mapper of @doomed again.
 */
int ratmem_region_sweep(struct ratmem_region *region, struct list_head *doomed, bool killable)
{
	struct ratmem_cap *cap;
	struct mm_struct *mm;
	u64 gen;

	lockdep_assert_held(&region->zap_lock);
	mutex_lock(&region->lock);
	gen = ++region->sweep;
	mutex_unlock(&region->lock);

	/*
	 * Each capability's mms in one pass (ratmem_mms_next()). @doomed is
	 * the caller's and each capability on it is held, so it is walked
	 * without a lock.
	 */
	list_for_each_entry(cap, doomed, doomed) {
		while ((mm = ratmem_mms_next(region, &cap->mms, gen))) {
			if (!killable) {
				mmap_read_lock(mm);
			} else if (mmap_read_lock_killable(mm)) {
				mmput(mm);
				return -EINTR;
			}
			ratmem_mm_zap_revoked(mm, region);
			mmap_read_unlock(mm);
			mmput(mm);
		}
	}
	return 0;
}

/**
 * ratmem_region_mm_barrier() - wait out mm calls in flight in @region's mappers
 * @region: the region
 *
 * Takes and drops the mmap_lock of every process that maps @region. An
 * mprotect() holds its mmap_lock for write from the vm_ops->mprotect
 * check to the change, so one that passed the check before a seal was
 * set has finished when this returns (seal.c). Serialised with
 * revocation sweeps by region->zap_lock, and linear in the mappers in
 * the same way as ratmem_region_sweep().
 *
 * Context: process context; may sleep. Takes region->zap_lock, then
 * each mmap_lock for read, never with region->lock held.
 */
void ratmem_region_mm_barrier(struct ratmem_region *region)
{
	struct mm_struct *mm;
	u64 gen;

	mutex_lock(&region->zap_lock);
	mutex_lock(&region->lock);
	gen = ++region->sweep;
	mutex_unlock(&region->lock);
	while ((mm = ratmem_mms_next(region, &region->mms, gen))) {
		/* A fatal signal ends the wait: the caller is going away. */
		if (!mmap_read_lock_killable(mm))
			mmap_read_unlock(mm);
		mmput(mm);
		if (fatal_signal_pending(current))
			break;
	}
	mutex_unlock(&region->zap_lock);
}

/**
 * ratmem_mmap() - ->mmap() of /dev/ratmem: map a range of a handle's region
 * @file: the context's file
 * @vma: the new VMA; vm_pgoff encodes the handle and the start page
 *
 * Context: process context; the caller holds current->mm's mmap_lock for
 * write. Takes ctx->lock, then region->lock.
 * Return: 0; -EPERM when the caller does not own the context, or for
 * PROT_WRITE on a region with RATMEM_SEAL_WRITE; -EINVAL for MAP_PRIVATE,
 * an offset naming no handle, or a range outside the region; -ENOLINK
 * when the handle is revoked; -EACCES when the handle's
 * rights or the region's W^X state forbid the protection asked for;
 * -ENOMEM.
 */
int ratmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ratmem_ctx *ctx = file->private_data;
	unsigned long handle = vma->vm_pgoff >> RATMEM_MMAP_PGOFF_SHIFT;
	u64 offset = (u64)(vma->vm_pgoff & RATMEM_MMAP_INDEX_MASK) << PAGE_SHIFT;
	u64 length = vma->vm_end - vma->vm_start;
	struct ratmem_mm_ref *spare, *spare_cap;
	struct ratmem_wx_counts counts;
	struct ratmem_region *region;
	struct ratmem_cap *cap;
	vm_flags_t may;
	u32 rights;
	int ret;

	if (!ratmem_ctx_is_owner(ctx))
		return -EPERM;
	/* MAP_PRIVATE would make copies that revocation cannot reach. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (!handle || handle > RATMEM_HANDLE_MAX)
		return -EINVAL;
	ret = ratmem_handle_lookup(ctx, handle, &cap, &rights);
	if (ret)
		return ret == -ENOLINK ? ret : -EINVAL;
	region = cap->region;
	/* A sub-range grant's view: @offset moves into its range. */
	if (ratmem_cap_range(cap, &offset, length, PAGE_SIZE)) {
		ret = -EINVAL;
		goto err_put;
	}
	spare = ratmem_mm_ref_alloc();
	spare_cap = ratmem_mm_ref_alloc();
	if (!spare || !spare_cap) {
		kfree(spare);
		kfree(spare_cap);
		ret = -ENOMEM;
		goto err_put;
	}

	/*
	 * Decide and count under region->lock; change the flags after it,
	 * since vm_flags_set() takes the VMA lock, which faults hold while
	 * they take region->fault_lock (below region->lock). The VMA is not
	 * visible to anyone yet.
	 */
	mutex_lock(&region->lock);
	counts.maywrite = region->nr_maywrite;
	counts.mayexec = region->nr_mayexec;
	if (cap->state == RATMEM_CAP_STATE_REVOKED || region->drained)
		ret = -ENOLINK;
	else if ((region->seals & RATMEM_SEAL_WRITE) && (vma->vm_flags & VM_WRITE))
		ret = -EPERM;
	else
		ret = ratmem_wx_mmap_may(rights, vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC),
					 counts, &may);
	/* Sealed against writing: no mapping may become writable later. */
	if (!ret && (region->seals & RATMEM_SEAL_WRITE))
		may &= ~VM_MAYWRITE;
	if (!ret) {
		ratmem_vma_account(cap, vma->vm_flags & ~(RATMEM_VM_MAY & ~may), 1);
		ratmem_mm_track(&region->mms, region, vma->vm_mm, &spare);
		ratmem_mm_track(&cap->mms, region, vma->vm_mm, &spare_cap);
	}
	mutex_unlock(&region->lock);
	kfree(spare);
	kfree(spare_cap);
	if (ret == -EACCES &&
	    ratmem_wx_mmap_conflict(rights, vma->vm_flags & (VM_WRITE | VM_EXEC), counts))
		ratmem_notify_violation(RATMEM_VIOLATION_WX, cap);
	if (ret)
		goto err_put;
	ratmem_vm_flags_clear(vma, RATMEM_VM_MAY & ~may);
	ratmem_vm_flags_set(vma, RATMEM_VM_FLAGS);

	/* Move the VMA into the region's window; the lookup's reference is its. */
	vma->vm_pgoff = region->pgoff + (offset >> PAGE_SHIFT);
	vma->vm_private_data = cap;
	vma->vm_ops = &ratmem_vm_ops;
	atomic64_inc(&ratmem_counters.mappings);
	return 0;

err_put:
	ratmem_cap_put(cap);
	return ret;
}
