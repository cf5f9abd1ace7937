/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: internal declarations shared by the module's files.
 *
 * Object ownership (this slice): a struct ratmem_ctx is owned by the
 * struct file that created it (file->private_data) and is freed in
 * ->release(), so it needs no refcount of its own yet; later objects
 * (regions, handles, grants) get a kref each.
 *
 * Lock order, outermost first (extend, never reorder):
 *   1. ratmem_ctx.lock (mutex)
 */
#ifndef RATMEM_H
#define RATMEM_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct file;
struct pid;

/**
 * struct ratmem_ctx - one open of /dev/ratmem
 * @owner: thread group that opened the device; holds a reference, so a
 *	recycled pid number can never match. Set once at open.
 * @lock: protects the mutable fields below.
 * @abi_version: the ABI version the caller announced through
 *	RATMEM_IOC_API, 0 until then.
 */
struct ratmem_ctx {
	struct pid *owner;
	struct mutex lock; /* protects abi_version */
	u32 abi_version;
};

struct ratmem_ctx *ratmem_ctx_create(void);
void ratmem_ctx_destroy(struct ratmem_ctx *ctx);
bool ratmem_ctx_is_owner(const struct ratmem_ctx *ctx);

long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/**
 * struct ratmem_counters - module-wide object counters
 * @contexts: live struct ratmem_ctx objects.
 *
 * Every counter returns to zero once everything is closed; module exit
 * warns if one does not, which the test bench treats as a failure.
 */
struct ratmem_counters {
	atomic64_t contexts;
};

extern struct ratmem_counters ratmem_counters;

void ratmem_counters_check_zero(void);

#endif /* RATMEM_H */
