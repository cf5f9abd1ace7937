/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: internal declarations shared by the module's files.
 *
 * Object ownership:
 * - struct ratmem_ctx is owned by the struct file that created it
 *   (file->private_data) and freed in ->release().
 * - struct ratmem_handle is owned by its context's handle table and
 *   freed when closed or when the context goes.
 * - struct ratmem_region is reference counted (kref): each handle holds
 *   one reference; the region is freed with the last.
 *
 * Lock order, outermost first (extend, never reorder):
 *   1. ratmem_ctx.lock (mutex): the context's handle table.
 */
#ifndef RATMEM_H
#define RATMEM_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct file;
struct pid;

/**
 * struct ratmem_region - a memory region
 * @ref: one reference per handle (later also per mapping and grant).
 * @id: unique while the module is loaded; never reused.
 * @size: bytes, a non-zero multiple of the page size.
 * @page_shift: log2 of the page size.
 * @max_rights: RATMEM_RIGHT_* bits no handle may exceed.
 * @numa_node: preferred node for pages, or NUMA_NO_NODE.
 *
 * All fields are set at creation and never change.
 */
struct ratmem_region {
	struct kref ref;
	u64 id;
	u64 size;
	u32 page_shift;
	u32 max_rights;
	int numa_node;
};

struct ratmem_region *ratmem_region_create(u64 size, u32 page_shift, u32 max_rights,
					   int numa_node);
void ratmem_region_put(struct ratmem_region *region);

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
 * @next_region_id: last region id handed out.
 *
 * Every counter returns to zero once everything is closed; module exit
 * warns if one does not, which the test bench treats as a failure.
 */
struct ratmem_counters {
	atomic64_t contexts;
	atomic64_t regions;
	atomic64_t handles;
	atomic64_t next_region_id;
};

extern unsigned long long ratmem_region_size_max;

extern struct ratmem_counters ratmem_counters;

void ratmem_counters_check_zero(void);

#endif /* RATMEM_H */
