// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: sealed regions (RATMEM_IOC_SEAL), in the manner of memfd's
 * F_ADD_SEALS. A region's seals only grow, under region->lock, and each
 * is checked under region->lock where it applies:
 *
 * - RATMEM_SEAL_COMMIT: ratmem_region_commit() and _decommit() (region.c);
 * - RATMEM_SEAL_PROTECT: the mprotect() hook (mmap.c). The hook checks
 *   under region->lock but the core mm applies the change after it, under
 *   the mapper's mmap_lock only, so SEAL waits for every mapper's
 *   mmap_lock once (ratmem_region_mm_barrier()) before it returns;
 * - RATMEM_SEAL_GRANT_WRITE: ratmem_cap_create_child() (cap.c), the one
 *   place GRANT and NAMED_OPEN make capabilities;
 * - RATMEM_SEAL_WRITE: ratmem_mmap() refuses PROT_WRITE and takes
 *   VM_MAYWRITE away, and decommit is refused. It is set only while the
 *   region's count of VMAs with VM_MAYWRITE is zero, and that count
 *   changes only under region->lock too, so once it is set no mapping
 *   of the region can write, now or later;
 * - RATMEM_SEAL_SEAL: here.
 *
 * The count includes VMAs whose capability was revoked until their
 * revocation sweep has removed every PTE (struct ratmem_cap.counted), so
 * a revoked mapping that could still write keeps SEAL_WRITE out too.
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "handle.h"
#include "mapping.h"
#include "region.h"
#include "seal.h"

/**
 * ratmem_handle_seal() - RATMEM_IOC_SEAL
 * @ctx: the context
 * @args: the caller's arguments, checked (ratmem_check_seal_args());
 *	@args->seals is set to the region's seals on success
 *
 * Context: process context; may sleep. Takes ctx->lock, then region->lock;
 * for a new RATMEM_SEAL_PROTECT then region->zap_lock and each mapper's
 * mmap_lock (ratmem_region_mm_barrier()).
 * Return: 0, -EBADF, -ENOLINK, -EPERM (not the owner's capability with
 * all its rights, or the region has RATMEM_SEAL_SEAL and @args adds a
 * seal), or -EBUSY (RATMEM_SEAL_WRITE while a mapping may write).
 */
int ratmem_handle_seal(struct ratmem_ctx *ctx, struct ratmem_seal *args)
{
	struct ratmem_region *region;
	struct ratmem_cap *cap;
	u32 rights, add;
	int ret;

	ret = ratmem_handle_lookup(ctx, args->handle, &cap, &rights);
	if (ret)
		return ret;
	region = cap->region;
	if (cap->kind != RATMEM_CAPKIND_OWNER || rights != cap->rights) {
		ratmem_cap_put(cap);
		return -EPERM;
	}
	mutex_lock(&region->lock);
	add = args->seals & ~region->seals;
	if (region->drained)
		ret = -ENOLINK;
	else if (add && (region->seals & RATMEM_SEAL_SEAL))
		ret = -EPERM;
	else if ((add & RATMEM_SEAL_WRITE) && region->nr_maywrite)
		ret = -EBUSY;
	if (!ret) {
		WRITE_ONCE(region->seals, region->seals | add);
		args->seals = region->seals;
	}
	mutex_unlock(&region->lock);
	/* An mprotect() that passed its check before the seal ends first. */
	if (!ret && (add & RATMEM_SEAL_PROTECT))
		ratmem_region_mm_barrier(region);
	ratmem_cap_put(cap);
	return ret;
}
