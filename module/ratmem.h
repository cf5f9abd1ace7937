/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: internal declarations shared by the module's files.
 *
 * Object ownership:
 * - struct ratmem_ctx is owned by the struct file that created it
 *   (file->private_data) and freed in ->release().
 * - struct ratmem_handle is owned by its context's handle table and
 *   freed when closed or when the context goes.
 * - struct ratmem_region is reference counted (kref): each handle and
 *   each VMA mapping it holds one reference; the region, its pages and
 *   its committed-page set are freed with the last. A VMA is closed only
 *   after its page tables are torn down, so no page is freed while a page
 *   table can still reach it.
 * - A region's pages are owned by region->pages; decommit takes them
 *   out, removes them from every mapping, and only then frees them.
 *
 * Lock order, outermost first (extend, never reorder):
 *   1. mmap_lock of the calling process (held by the core mm around
 *      ->mmap, vm_ops->open/close/mprotect and ->fault).
 *   1a. the VMA's lock (per-VMA locks, 6.4+): held by the core mm around
 *      ->fault and vm_ops->open/close; ratmem takes it itself only
 *      through vm_flags_set()/vm_flags_clear() in ->mmap, with no
 *      ratmem lock held.
 *   2. ratmem_ctx.lock (mutex): the context's handle table. Never held
 *      while touching user memory.
 *   3. ratmem_region.lock (mutex): committed set, pages, W^X counts.
 *   i_mmap_rwsem of the shared address space (taken inside
 *   unmap_mapping_pages()) is only ever taken with none of 2 and 3 held.
 */
#ifndef RATMEM_H
#define RATMEM_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "rangeset.h"

struct address_space;
struct file;
struct pid;

/**
 * struct ratmem_region - a memory region
 * @ref: one reference per handle and per VMA that maps the region
 *	(later also per grant).
 * @id: unique while the module is loaded; never reused.
 * @size: bytes, a non-zero multiple of the page size.
 * @nr_pages: @size in pages.
 * @pgoff: where the region sits in ratmem's shared address space, in
 *	pages: its VMAs have vm_pgoff in [@pgoff, @pgoff + @nr_pages), so
 *	unmap_mapping_pages() finds every mapping of it in every process.
 * @page_shift: log2 of the page size.
 * @max_rights: RATMEM_RIGHT_* bits no handle may exceed.
 * @numa_node: preferred node for pages, or NUMA_NO_NODE.
 * @lock: protects the fields below.
 * @committed: page indices that are committed.
 * @nr_committed: number of indices in @committed.
 * @pages: page index -> struct page, for committed pages touched since
 *	they were committed; every page here is committed.
 * @nr_maywrite: VMAs of the region with VM_MAYWRITE.
 * @nr_mayexec: VMAs of the region with VM_MAYEXEC.
 *
 * The fields above @lock are set at creation and never change.
 */
struct ratmem_region {
	struct kref ref;
	u64 id;
	u64 size;
	pgoff_t nr_pages;
	pgoff_t pgoff;
	u32 page_shift;
	u32 max_rights;
	int numa_node;

	struct mutex lock; /* protects the fields below */
	struct ratmem_rangeset committed;
	pgoff_t nr_committed;
	struct xarray pages;
	unsigned int nr_maywrite;
	unsigned int nr_mayexec;
};

int ratmem_region_create(u64 size, u32 page_shift, u32 max_rights, int numa_node,
			 struct ratmem_region **out);
void ratmem_region_put(struct ratmem_region *region);
int ratmem_region_commit(struct ratmem_region *region, u64 offset, u64 length);
int ratmem_region_decommit(struct ratmem_region *region, u64 offset, u64 length);
u64 ratmem_region_committed_bytes(struct ratmem_region *region);
vm_fault_t ratmem_region_fault(struct ratmem_region *region, struct vm_fault *vmf,
			       pgoff_t index);

extern struct address_space *ratmem_mapping;
int ratmem_mapping_init(void);
void ratmem_mapping_exit(void);

int ratmem_mmap(struct file *file, struct vm_area_struct *vma);

/**
 * struct ratmem_handle - a context's name for (region, rights)
 * @region: counted reference.
 * @rights: RATMEM_RIGHT_* bits, a subset of @region->max_rights.
 */
struct ratmem_handle {
	struct ratmem_region *region;
	u32 rights;
};

/**
 * struct ratmem_ctx - one open of /dev/ratmem
 * @owner: thread group that opened the device; holds a reference, so a
 *	recycled pid number can never match. Set once at open.
 * @lock: protects the mutable fields below.
 * @abi_version: the ABI version the caller announced through
 *	RATMEM_IOC_API, 0 until then.
 * @handles: handle number -> struct ratmem_handle; numbers start at 1.
 */
struct ratmem_ctx {
	struct pid *owner;
	struct mutex lock; /* protects abi_version and handles */
	u32 abi_version;
	struct xarray handles;
};

int ratmem_handle_install(struct ratmem_ctx *ctx, struct ratmem_region *region, u32 rights,
			  u32 *handle);
int ratmem_handle_lookup(struct ratmem_ctx *ctx, u32 handle, struct ratmem_region **region,
			 u32 *rights);
int ratmem_handle_close(struct ratmem_ctx *ctx, u32 handle);
void ratmem_handles_release_all(struct ratmem_ctx *ctx);

struct ratmem_ctx *ratmem_ctx_create(void);
void ratmem_ctx_destroy(struct ratmem_ctx *ctx);
bool ratmem_ctx_is_owner(const struct ratmem_ctx *ctx);

long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/**
 * struct ratmem_counters - module-wide object counters
 * @contexts: live struct ratmem_ctx objects.
 * @regions: live struct ratmem_region objects.
 * @handles: live struct ratmem_handle objects.
 * @pages: pages allocated for committed memory.
 * @mappings: live VMAs of regions.
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
	atomic64_t next_region_id;
};

extern unsigned long long ratmem_region_size_max;

extern struct ratmem_counters ratmem_counters;

void ratmem_counters_check_zero(void);

#endif /* RATMEM_H */
