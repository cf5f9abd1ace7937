/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the per-context handle table (handle.c).
 */
#ifndef RATMEM_HANDLE_H
#define RATMEM_HANDLE_H

#include <linux/types.h>

struct ratmem_cap;
struct ratmem_ctx;
struct ratmem_region;

/**
 * struct ratmem_handle - a context's name for (capability, rights)
 * @cap: counted reference; the region is @cap->region.
 * @rights: RATMEM_RIGHT_* bits, a subset of @cap->rights.
 */
struct ratmem_handle {
	struct ratmem_cap *cap;
	u32 rights;
};

/**
 * struct ratmem_handle_slot - a handle number reserved by an ioctl
 * @nr: the number, reported to user space before it is published.
 * @h: the preallocated handle, published or freed with the slot.
 */
struct ratmem_handle_slot {
	u32 nr;
	struct ratmem_handle *h;
};

int ratmem_handle_reserve(struct ratmem_ctx *ctx, const struct ratmem_region *region,
			  struct ratmem_handle_slot *slot);
void ratmem_handle_publish(struct ratmem_ctx *ctx, struct ratmem_handle_slot *slot,
			   struct ratmem_cap *cap, u32 rights);
void ratmem_handle_cancel(struct ratmem_ctx *ctx, struct ratmem_handle_slot *slot);
int ratmem_handle_lookup(struct ratmem_ctx *ctx, u32 handle, struct ratmem_cap **cap,
			 u32 *rights);
int ratmem_handle_close(struct ratmem_ctx *ctx, u32 handle);
void ratmem_handles_release_all(struct ratmem_ctx *ctx);

#endif /* RATMEM_HANDLE_H */
