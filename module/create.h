/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the worker CREATE and NAMED_CREATE share (create.c).
 */
#ifndef RATMEM_CREATE_H
#define RATMEM_CREATE_H

#include <linux/types.h>

#include "numa.h"

struct ratmem_ctx;
struct ratmem_handle_new;
struct ratmem_handle_new_ops;
struct ratmem_region_owner;

/**
 * struct ratmem_region_spec - what a new region is to be
 * @size: bytes, checked by the caller.
 * @flags: the command's RATMEM_CREATE_* flags (RATMEM_CREATE_PAGE_AUTO).
 * @page_shift: log2 of its page size, checked by the caller (0: the
 *	default, ratmem_page_shift_for()).
 * @rights: its maximum rights, all of which the owner's handle gets.
 * @placement: where its pages go; checked by the caller, except whether
 *	its nodes are online.
 * @commit: commit all of it at once.
 * @named: for NAMED_CREATE, the name's owner and mode; else NULL.
 */
struct ratmem_region_spec {
	u64 size;
	u32 flags;
	u32 page_shift;
	u32 rights;
	struct ratmem_placement placement;
	bool commit;
	const struct ratmem_region_owner *named;
};

int ratmem_region_create_handle(struct ratmem_ctx *ctx, const struct ratmem_region_spec *spec,
				const struct ratmem_handle_new_ops *ops, void *priv,
				struct ratmem_handle_new *hn);

#endif /* RATMEM_CREATE_H */
