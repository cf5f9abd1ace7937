/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the per-context handle table (handle.c).
 */
#ifndef RATMEM_HANDLE_H
#define RATMEM_HANDLE_H

#include <linux/types.h>

struct ratmem_cap;
struct ratmem_ctx;
struct ratmem_query;
struct ratmem_range;
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

struct ratmem_handle_new;

/**
 * struct ratmem_handle_new_ops - a command's last steps for its new handle
 * @publish: the last step that may fail, after the copy-out and before
 *	the handle is usable (NAMED_CREATE links its name, DUP and ACCEPT
 *	count a use of a region that may have been drained meanwhile);
 *	NULL when nothing can fail any more. On failure the handle is
 *	withdrawn.
 * @withdraw: undo what the worker did to the capability beyond taking
 *	its reference (ACCEPT unaccepts, NAMED_OPEN uncounts its use), before the
 *	reference is dropped; NULL when there is nothing.
 */
struct ratmem_handle_new_ops {
	int (*publish)(struct ratmem_handle_new *hn);
	void (*withdraw)(struct ratmem_handle_new *hn);
};

/**
 * struct ratmem_handle_new - a handle a command is making
 * @slot: its reserved number.
 * @cap: the capability it will carry: one counted reference, which
 *	ratmem_handle_new_publish() moves into the handle and
 *	ratmem_handle_new_withdraw() drops.
 * @rights: its rights, checked against @cap's.
 * @ops: the command's last steps.
 * @priv: the command's own state for @ops (NAMED_CREATE's name).
 *
 * The rule for references, for every worker that makes a handle: on
 * success it returns a struct ratmem_handle_new that holds everything
 * the command took, and the ioctl ends it with exactly one of publish
 * and withdraw; on failure it returns an errno and has given back
 * everything it took, the capability's reference included.
 */
struct ratmem_handle_new {
	struct ratmem_handle_slot slot;
	struct ratmem_cap *cap;
	u32 rights;
	const struct ratmem_handle_new_ops *ops;
	void *priv;
};

int ratmem_handle_new_reserve(struct ratmem_ctx *ctx, struct ratmem_cap *cap, u32 rights,
			      const struct ratmem_handle_new_ops *ops, void *priv,
			      struct ratmem_handle_new *hn);
int ratmem_handle_new_publish(struct ratmem_ctx *ctx, struct ratmem_handle_new *hn);
void ratmem_handle_new_withdraw(struct ratmem_ctx *ctx, struct ratmem_handle_new *hn);
int ratmem_handle_dup(struct ratmem_ctx *ctx, u32 handle, u32 rights,
		      struct ratmem_handle_new *hn);

int ratmem_handle_lookup(struct ratmem_ctx *ctx, u32 handle, struct ratmem_cap **cap,
			 u32 *rights);
int ratmem_handle_close(struct ratmem_ctx *ctx, u32 handle);
int ratmem_handle_query(struct ratmem_ctx *ctx, struct ratmem_query *q);
int ratmem_handle_commit(struct ratmem_ctx *ctx, const struct ratmem_range *r, bool commit);
void ratmem_handles_release_all(struct ratmem_ctx *ctx);

#endif /* RATMEM_HANDLE_H */
