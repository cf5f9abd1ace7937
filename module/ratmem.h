/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the rules every file of the module follows (who owns what, and
 * how locks nest), the module's version and its features.
 *
 * Each object is declared in the header named after its file: proc_quota.h,
 * cap.h, context.h, counters.h, create.h, handle.h, ioctl.h, mapping.h
 * (mapping.c and mmap.c), fault.h, name.h, notify.h, pidfd.h, quota.h, region.h,
 * revoke.h, revoke_after.h, notice.h, share.h and wait.h; besides them captable.h, rangeset.h,
 * validate.h, wx.h, quota_rules.h, param.h, genl.h, compat.h and
 * ratmem_trace.h. Each ioctl is a thin ratmem_ioc_<command>() in ioctl.c
 * calling one worker, declared in the header of the object it acts on.
 *
 * References across a failing call: a worker that fails has given back
 * everything it took; one that makes a handle returns a struct
 * ratmem_handle_new that holds all it took until the ioctl publishes or
 * withdraws it (handle.h). A callee that takes over a reference says so
 * in its kernel-doc, "on success and on failure alike" or "on success
 * only".
 *
 * Object ownership:
 * - struct ratmem_ctx is owned by the struct file that created it
 *   (file->private_data) and freed in ->release().
 * - struct ratmem_handle is owned by its context's handle table and
 *   freed when closed or when the context goes.
 * - struct ratmem_cap (cap.c) is reference counted: each handle and
 *   each VMA holds one, each child capability holds its parent, and a
 *   granted capability is held by the id table until it is revoked.
 * - struct ratmem_region is reference counted (kref): each capability
 *   holds one, so handles and VMAs hold their region through their
 *   capability; the region, its pages and its committed-page set are
 *   freed with the last. A VMA is closed only after its page tables are
 *   torn down, so no page is freed while a page table can still reach it.
 * - A region's pages are owned by region->pages; decommit takes them
 *   out, removes them from every mapping, and only then frees them. A
 *   fault allocates a page before publishing it (xa_cmpxchg() under
 *   region->fault_lock), and frees it unpublished if another fault won.
 *   Revocation frees no page: it only removes PTEs.
 * - A named region's name (name.c) holds the region's owner capability.
 * - struct ratmem_proc_quota (proc_quota.c) is reference counted: each context of
 *   the process holds one, each region holds its creator's, and each
 *   grant capability holds its issuer's and, once accepted, its
 *   holder's. A charge is always given back before that reference goes.
 *
 * Lock order, drawn as a tree in the manner of mm/rmap.c: a lock may be
 * taken while locks on its path above it are held, never the other way
 * round; locks side by side under one parent are never held together. In
 * parentheses, where each is taken. Extend the tree, never reorder it.
 *
 * ratmem_region.zap_lock (revoke.c: one revocation sweep of a region at a time;
 *                         REVOKE, a failed GRANT, UNLINK, context release, owner
 *                         exit, ratmem_wq)
 *   mm->mmap_lock (for read, one mm at a time, in the sweep, mmap.c; otherwise
 *                  the core mm's, held around ->mmap, vm_ops and ->fault)
 *     vma lock (per-VMA locks, 6.4+: the core mm's, around ->fault and
 *               vm_ops->open/close; ratmem takes it only in vm_flags_set() and
 *               vm_flags_clear() in ->mmap, with no ratmem lock held)
 *       ratmem_ctxs_lock (context.c: the context registry; the handle dump)
 *         ratmem_ctx.lock (handle.c: the handle table and the ABI version; every
 *                          handle lookup, ->mmap's included, and the handle dump;
 *                          never held while touching user memory)
 *       ratmem_region.migrate_lock (migrate.c: MIGRATE, from the marking of pages to
 *                                   their last copy; a fault that moves a marked page)
 *         ratmem_region.lock, ratmem_region.fault_lock (below; a page moves under both)
 *         mapping->i_mmap_rwsem (below; MIGRATE's unmap_mapping_pages())
 *       ratmem_names.lock (name.c: the namespace)
 *         ratmem_region.lock (region.c: committed set, pages, W^X counts, capability
 *                             states and tree, tracked mms, waiters; the sweep and
 *                             the mark, ->mmap, vm_ops, every ioctl on a region;
 *                             NAMED_OPEN and NAMED_CREATE under ratmem_names.lock)
 *           ratmem_region.fault_lock (rwsem, fault.c: read by every fault, fault-around
 *                             and POPULATE, under the mmap_lock or VMA lock alone;
 *                             write inside region->lock by commit, decommit, the
 *                             drain, the revocation mark, and a page's move to
 *                             another node)
 *             ratmem_caps.lock (cap.c: the capability id table; GRANT enters a
 *                               capability, the mark takes it out)
 *             ratmem_noticeq.lock (spinlock, a context's unread notices: REVOKE
 *                                  with a deadline queues them under region->lock;
 *                                  READ_NOTICES and the end of a revocation take it
 *                                  alone; nothing is called under it)
 *             ratmem_ctx.issued_lock (spinlock, a context's grants: GRANT adds, the
 *                                     mark removes; nothing is called under it)
 *             ratmem_proc_quota.lock (spinlock, a quota's usage and limits: every
 *                                     charge and uncharge)
 *             ratmem_pool_mutex (pool.c: a fault's first take for a (cgroup, node)
 *                                makes the pool; the refill and the removal of
 *                                pools, on system_unbound_wq, take it alone)
 *               ratmem_pool.lock (spinlock, a pool's pages: every take, refill
 *                                 and drain; the shrinker takes it alone, finding
 *                                 pools under RCU)
 *           ratmem_region.placement_lock (seqlock, written by POLICY; read
 *                                         locklessly by every page allocation)
 *       ratmem_quotas_lock (proc_quota.c: the quota table; the last ratmem_quota_put(),
 *                          from vm_ops->close among others)
 *         ratmem_proc_quota.lock (a new quota inherits its nearest ancestor's limits)
 *       mapping->i_mmap_rwsem (of the shared address space, in unmap_mapping_pages():
 *                              decommit, and the drain, from vm_ops->close too)
 *
 * ratmem_proc_quota.set_lock (proc_quota.c: QUOTA, one limit change at a time)
 *   ratmem_proc_quota.lock (the check whether a limit goes up, then the change)
 *
 * ratmem_region_ids_lock (region.c: a new region's id) is taken with no other
 * ratmem lock held, and none is taken under it. No spinlock is held across
 * a zap.
 */
#ifndef RATMEM_H
#define RATMEM_H

#include <linux/ratmem.h>

#include "compat.h"

/* The module's version (MODULE_VERSION and the netlink status). */
#define RATMEM_MODULE_VERSION	"0.8.0"

/* What this module implements (RATMEM_IOC_API, netlink status). */
#define RATMEM_FEATURES (RATMEM_FEATURE_STATS | RATMEM_FEATURE_CONTEXT_BOUND | \
			 RATMEM_FEATURE_HANDLES | RATMEM_FEATURE_MEMORY | \
			 RATMEM_FEATURE_SHARING | RATMEM_FEATURE_NAMED | RATMEM_FEATURE_WAIT | \
			 RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_EVENTS | \
			 RATMEM_FEATURE_NAMED_PLACEMENT | RATMEM_FEATURE_HUGE_PAGES | \
			 RATMEM_FEATURE_POPULATE | RATMEM_FEATURE_NUMA | RATMEM_FEATURE_SEAL | \
			 RATMEM_FEATURE_LEASE | RATMEM_FEATURE_NOTICE | \
			 RATMEM_FEATURE_GRANT_RANGE | \
			 RATMEM_FEATURE_HUGE_PMD_IF)

/* 2 MiB pages are mapped with PMDs only where the kernel can (compat.h). */
#ifdef RATMEM_HAVE_PMD_MAP
#define RATMEM_FEATURE_HUGE_PMD_IF	RATMEM_FEATURE_HUGE_PMD
#else
#define RATMEM_FEATURE_HUGE_PMD_IF	0
#endif

#endif /* RATMEM_H */
