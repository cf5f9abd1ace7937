/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: internal declarations shared by the module's files.
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
 *   out, removes them from every mapping, and only then frees them.
 *   Revocation frees no page: it only removes PTEs.
 * - A named region's name (name.c) holds the region's owner capability.
 * - struct ratmem_acct (account.c) is reference counted: each context of
 *   the process holds one, each region holds its creator's, and each
 *   grant capability holds its issuer's and, once accepted, its
 *   holder's. A charge is always given back before that reference goes.
 *
 * Lock order, outermost first (extend, never reorder):
 *   0. ratmem_region.zap_lock (mutex): one revocation sweep of a region
 *      at a time. Taken by REVOKE, UNLINK and context release, never
 *      with any mmap_lock held.
 *   1. mmap_lock: of the calling process (held by the core mm around
 *      ->mmap, vm_ops->open/close/mprotect and ->fault), or of a process
 *      mapping a region, taken for read by the revocation sweep
 *      (revoke.c), one mm at a time.
 *   1a. the VMA's lock (per-VMA locks, 6.4+): held by the core mm around
 *      ->fault and vm_ops->open/close; ratmem takes it itself only
 *      through vm_flags_set()/vm_flags_clear() in ->mmap, with no
 *      ratmem lock held.
 *   2-. ratmem_ctxs_lock (mutex, context.c): the context registry; held
 *      by the handle dump while it visits each context.
 *   2. ratmem_ctx.lock (mutex): the context's handle table. Never held
 *      while touching user memory.
 *   2a. ratmem_names.lock (mutex, name.c): the namespace.
 *   3. ratmem_region.lock (mutex): committed set, pages, W^X counts,
 *      capability states and tree, tracked mms, waiters.
 *   4. ratmem_caps.lock (mutex, the capability id table).
 *   4a. ratmem_ctx.issued_lock (spinlock): a context's list of grants;
 *      nothing is called under it.
 *   5. ratmem_accts_lock (mutex, account.c): the account table; nothing
 *      is called under it.
 *   6. ratmem_acct.lock (spinlock): an account's usage and limits.
 *   ratmem_acct.set_lock (mutex) serialises limit changes and is taken
 *   with no other ratmem lock held.
 *   i_mmap_rwsem of the shared address space (taken inside
 *   unmap_mapping_pages()) is only ever taken with none of 2 to 4 held.
 *   No spinlock is held across a zap.
 */
#ifndef RATMEM_H
#define RATMEM_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/ratmem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include "captable.h"
#include "rangeset.h"

/* The module's version (MODULE_VERSION and the netlink status). */
#define RATMEM_MODULE_VERSION	"0.4.0"

/* What this module implements (RATMEM_IOC_API, netlink status). */
#define RATMEM_FEATURES (RATMEM_FEATURE_STATS | RATMEM_FEATURE_CONTEXT_BOUND | \
			 RATMEM_FEATURE_HANDLES | RATMEM_FEATURE_MEMORY | \
			 RATMEM_FEATURE_SHARING | RATMEM_FEATURE_NAMED | RATMEM_FEATURE_WAIT | \
			 RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_EVENTS)

struct address_space;
struct file;
struct pid;
struct ratmem_ctx;
struct ratmem_region;

/**
 * struct ratmem_acct - what one process uses, and may use
 * @ref: see the ownership rules above.
 * @pid: the thread group, counted.
 * @node: in the table's hash, by @pid.
 * @id: in the table's id array, for dumps.
 * @set_lock: serialises ratmem_acct_set_limits().
 * @lock: protects @usage and @limit.
 * @usage: per RATMEM_RES_*.
 * @limit: per RATMEM_RES_*; RATMEM_LIMIT_NONE for none.
 */
struct ratmem_acct {
	refcount_t ref;
	struct pid *pid;
	struct hlist_node node;
	u32 id;
	struct mutex set_lock; /* one limit change at a time */
	spinlock_t lock; /* protects usage and limit */
	u64 usage[RATMEM_RES_COUNT];
	u64 limit[RATMEM_RES_COUNT];
};

int ratmem_acct_of_current(struct ratmem_acct **out);
struct ratmem_acct *ratmem_acct_find(const struct pid *pid);
struct ratmem_acct *ratmem_acct_next(unsigned long *id);
void ratmem_acct_get(struct ratmem_acct *acct);
void ratmem_acct_put(struct ratmem_acct *acct);
int ratmem_acct_charge(struct ratmem_acct *acct, unsigned int res, u64 amount,
		       const struct ratmem_region *region);
void ratmem_acct_uncharge(struct ratmem_acct *acct, unsigned int res, u64 amount);
void ratmem_acct_read(struct ratmem_acct *acct, u64 *usage, u64 *limit);
int ratmem_acct_set_limits(struct ratmem_acct *acct, u32 mask, const u64 *limit, bool may_raise);

/**
 * struct ratmem_region - a memory region
 * @ref: one reference per capability of the region.
 * @id: unique while the module is loaded; never reused; 0 until the
 *	region is published.
 * @size: bytes, a non-zero multiple of the page size.
 * @nr_pages: @size in pages.
 * @pgoff: where the region sits in ratmem's shared address space, in
 *	pages: its VMAs have vm_pgoff in [@pgoff, @pgoff + @nr_pages), so
 *	unmap_mapping_pages() finds every mapping of it in every process.
 * @window: which window of the address space @pgoff is; reused once
 *	the region is freed (so never while a VMA of it exists).
 * @page_shift: log2 of the page size.
 * @max_rights: RATMEM_RIGHT_* bits no handle may exceed.
 * @numa_node: preferred node for pages, or NUMA_NO_NODE.
 * @named: made by NAMED_CREATE; @owner_uid, @owner_gid and @mode are
 *	its name's (they stay after UNLINK).
 * @owner_uid: the creator's fsuid, for a named region.
 * @owner_gid: the creator's fsgid, for a named region.
 * @mode: the name's permission bits, for a named region.
 * @acct: the creator's account (counted), charged with @size and with
 *	the committed bytes until the region is freed.
 * @lock: protects the fields below.
 * @committed: page indices that are committed.
 * @nr_committed: number of indices in @committed.
 * @pages: page index -> struct page, for committed pages touched since
 *	they were committed; every page here is committed.
 * @nr_resident: number of pages in @pages.
 * @nr_maywrite: VMAs of the region with VM_MAYWRITE.
 * @nr_mayexec: VMAs of the region with VM_MAYEXEC.
 * @live_users: sum of @users of the capabilities still counted: what can
 *	reach the memory without going through a revoked capability. When
 *	it drops to zero the region is drained (ratmem_region_drain()).
 * @drained: its pages are freed and its charges given back; nothing
 *	unrevoked reaches it, and nothing ever will again.
 * @mms: struct ratmem_mm_ref per process that maps the region.
 * @sweep: generation of the last revocation sweep (revoke.c).
 * @waiters: struct ratmem_waiter of WAIT calls sleeping on the region.
 * @zap_lock: serialises revocation sweeps (lock order 0).
 * @unswept: revoked capabilities whose sweep was interrupted by a fatal
 *	signal, each with a reference, linked by their @doomed; under
 *	@zap_lock. The next revocation of the region, a retry, or
 *	@sweep_work finishes them (revoke.c).
 * @sweep_work: finishes the sweep of @unswept on ratmem_wq.
 *
 * The fields above @lock are set at creation and never change.
 */
struct ratmem_region {
	struct kref ref;
	u64 id;
	u64 size;
	pgoff_t nr_pages;
	pgoff_t pgoff;
	u32 window;
	u32 page_shift;
	u32 max_rights;
	int numa_node;
	bool named;
	kuid_t owner_uid;
	kgid_t owner_gid;
	u32 mode;
	struct ratmem_acct *acct;

	struct mutex lock; /* protects the fields below */
	struct ratmem_rangeset committed;
	pgoff_t nr_committed;
	struct xarray pages;
	pgoff_t nr_resident;
	unsigned int nr_maywrite;
	unsigned int nr_mayexec;
	unsigned long live_users;
	bool drained;
	struct list_head mms;
	u64 sweep;
	struct list_head waiters;

	struct mutex zap_lock; /* one revocation sweep at a time */
	struct list_head unswept;
	struct work_struct sweep_work;
};

/**
 * struct ratmem_region_owner - who made a named region, and its mode
 * @uid: the creator's fsuid.
 * @gid: the creator's fsgid.
 * @mode: the name's permission bits.
 */
struct ratmem_region_owner {
	kuid_t uid;
	kgid_t gid;
	u32 mode;
};

int ratmem_region_create(struct ratmem_acct *acct, u64 size, u32 page_shift, u32 max_rights,
			 int numa_node, const struct ratmem_region_owner *named,
			 struct ratmem_region **out);
void ratmem_region_put(struct ratmem_region *region);
struct ratmem_region *ratmem_region_next(unsigned long *id);
struct ratmem_cap;
int ratmem_region_commit(struct ratmem_cap *via, u64 offset, u64 length);
int ratmem_region_decommit(struct ratmem_cap *via, u64 offset, u64 length);
u64 ratmem_region_committed_bytes(struct ratmem_region *region);
bool ratmem_cap_use_locked(struct ratmem_cap *cap, int delta);
void ratmem_cap_use(struct ratmem_cap *cap, int delta);
int ratmem_cap_use_live(struct ratmem_cap *cap);
void ratmem_region_drain(struct ratmem_region *region);
vm_fault_t ratmem_region_fault(struct ratmem_cap *via, struct vm_fault *vmf, pgoff_t index);

/**
 * enum ratmem_cap_kind - how a capability came to be
 * @RATMEM_CAP_OWNER: made with its region (CREATE, NAMED_CREATE); the
 *	root of the region's capability tree; never revoked.
 * @RATMEM_CAP_GRANT: made by GRANT for one target process.
 * @RATMEM_CAP_OPEN: made by OPEN of a region's name.
 */
enum ratmem_cap_kind {
	RATMEM_CAP_OWNER,
	RATMEM_CAP_GRANT,
	RATMEM_CAP_OPEN,
};

/**
 * struct ratmem_cap - a capability: how a handle or mapping reaches a region
 * @ref: see the ownership rules above.
 * @region: counted reference.
 * @parent: the capability this one was granted or opened through
 *	(counted), NULL for the owner capability.
 * @kind: see enum ratmem_cap_kind.
 * @rights: the most any handle made from it may have.
 * @pid: OWNER: the creating process; GRANT: the one process that may
 *	accept; OPEN: the opening process. Counted, thread-group pid.
 * @issuer: GRANT: the granting context; its grants are revoked when it
 *	is released, and it stays alive until they are, so the pointer is
 *	valid while @issued_node is on its list.
 * @issued_node: GRANT: link in @issuer->issued while not revoked (under
 *	@issuer->issued_lock).
 * @ent: GRANT: the entry in the id table, until revoked.
 * @state: enum ratmem_cap_state; written under region->lock, read
 *	with READ_ONCE() where a stale value is harmless (see users).
 * @children: capabilities made through this one (under region->lock).
 * @sibling: link in the parent's @children (under region->lock).
 * @doomed: link in a revocation's private list.
 * @nr_maywrite: VMAs made through it with VM_MAYWRITE (region->lock).
 * @nr_mayexec: VMAs made through it with VM_MAYEXEC (region->lock).
 * @issuer_acct: GRANT: the issuer's account (counted); charged one grant
 *	and the region's size in shared bytes while @issuer_charged. Under
 *	region->lock; NULL once revoked (ratmem_cap_release_accounts()).
 * @holder_acct: GRANT: the acceptor's account (counted), set at the
 *	first accept; charged the region's size while @holder_charged.
 *	Under region->lock; NULL once revoked.
 * @issuer_charged: under region->lock; cleared when revoked.
 * @holder_charged: under region->lock; set while accepted.
 * @users: under region->lock; what reaches the memory through it: its
 *	handles and VMAs, one for a name holding it, one for an unrevoked
 *	grant (the target may still accept).
 * @counted: under region->lock; @nr_maywrite, @nr_mayexec and @users
 *	are part of the region's counts. Cleared only after the revocation
 *	sweep has removed every PTE made through the capability.
 *
 * The region's W^X counts sum those of its capabilities with
 * @counted: a mapping whose revocation is complete can never be
 * accessed again, so it no longer stands in the way of other mappings;
 * until its PTEs are gone, it still does.
 *
 * Revocation marks a capability and everything below it REVOKED under
 * region->lock; the state is final, and no child is ever added below a
 * revoked capability, so REVOKED is closed downwards.
 */
struct ratmem_cap {
	refcount_t ref;
	struct ratmem_region *region;
	struct ratmem_cap *parent;
	enum ratmem_cap_kind kind;
	u32 rights;
	struct pid *pid;
	struct ratmem_ctx *issuer;
	struct list_head issued_node;
	struct ratmem_capent ent;
	enum ratmem_cap_state state;
	struct list_head children;
	struct list_head sibling;
	struct list_head doomed;
	unsigned int nr_maywrite;
	unsigned int nr_mayexec;
	struct ratmem_acct *issuer_acct;
	struct ratmem_acct *holder_acct;
	bool issuer_charged;
	bool holder_charged;
	bool counted;
	unsigned long users;
};

extern struct ratmem_captable ratmem_caps;

int ratmem_cap_create_owner(struct ratmem_region *region, struct ratmem_cap **out);
int ratmem_cap_create_child(struct ratmem_cap *parent, enum ratmem_cap_kind kind, u32 rights,
			    struct pid *pid, struct ratmem_ctx *issuer,
			    struct ratmem_acct *issuer_acct, struct ratmem_cap **out);
void ratmem_cap_get(struct ratmem_cap *cap);
void ratmem_cap_put(struct ratmem_cap *cap);
bool ratmem_cap_revoked(const struct ratmem_cap *cap);
bool ratmem_cap_is_below(const struct ratmem_cap *cap, const struct ratmem_cap *above);
struct ratmem_cap *ratmem_cap_find_grant(u64 id);
int ratmem_cap_accept(struct ratmem_cap *cap, struct ratmem_acct *holder);
void ratmem_cap_uncharge(struct ratmem_cap *cap);
void ratmem_cap_release_accounts(struct ratmem_cap *cap);
void ratmem_cap_unaccept(struct ratmem_cap *cap);
int ratmem_revoke(struct ratmem_cap *cap, bool killable);
int ratmem_region_finish_revokes(struct ratmem_region *region, bool killable);
int ratmem_revoke_opens(struct ratmem_cap *owner, struct pid *spare, bool killable);
void ratmem_revoke_issued(struct ratmem_ctx *ctx);

/* revoke.c: which processes map a region, and the revocation sweep. */
struct ratmem_mm_ref;
struct ratmem_mm_ref *ratmem_mm_ref_alloc(void);
unsigned int ratmem_region_mappers(struct ratmem_region *region);
void ratmem_mm_track(struct ratmem_region *region, struct mm_struct *mm,
		     struct ratmem_mm_ref **spare);
void ratmem_mm_untrack(struct ratmem_region *region, struct mm_struct *mm);
int ratmem_region_sweep(struct ratmem_region *region, bool killable);
void ratmem_region_sweep_work(struct work_struct *work);
void ratmem_mm_zap_revoked(struct mm_struct *mm, struct ratmem_region *region);

/* wait.c */
void ratmem_wait_wake_revoked(struct ratmem_region *region);

/* notify.c */
/**
 * enum ratmem_event - what ratmem_notify() reports
 * @RATMEM_EVENT_GRANT: a capability was granted.
 * @RATMEM_EVENT_ACCEPT: a capability was accepted.
 * @RATMEM_EVENT_REVOKE: a capability was revoked.
 * @RATMEM_EVENT_VIOLATION: a process touched memory it lost by a revoke.
 * @RATMEM_EVENT_WX: a mapping or mprotect() was refused by W^X.
 */
enum ratmem_event {
	RATMEM_EVENT_GRANT,
	RATMEM_EVENT_ACCEPT,
	RATMEM_EVENT_REVOKE,
	RATMEM_EVENT_VIOLATION,
	RATMEM_EVENT_WX,
};

void ratmem_notify(enum ratmem_event event, const struct ratmem_cap *cap);
void ratmem_notify_quota(const struct ratmem_acct *acct, unsigned int res, u64 amount,
			 const u64 *usage, const u64 *limit, const struct ratmem_region *region);

/* The violation policy (module parameter violation_policy). */
bool ratmem_violation_kills(void);

extern struct address_space *ratmem_mapping;
int ratmem_mapping_init(void);
void ratmem_mapping_exit(void);

int ratmem_mmap(struct file *file, struct vm_area_struct *vma);

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
 * struct ratmem_ctx - one open of /dev/ratmem
 * @owner: thread group that opened the device; holds a reference, so a
 *	recycled pid number can never match. Set once at open.
 * @lock: protects the mutable fields below.
 * @abi_version: the ABI version the caller announced through
 *	RATMEM_IOC_API, 0 until then.
 * @acct: the owner's account (counted), charged for the handles.
 * @id: in the context registry (for the handle dump), set once.
 * @handles: handle number -> struct ratmem_handle; numbers start at 1.
 * @issued_lock: protects @issued (lock order 4a: a leaf spinlock, taken
 *	under region->lock).
 * @issued: the unrevoked grants made through this context
 *	(struct ratmem_cap.issued_node), so that its release revokes them
 *	in time linear in their number.
 * @exit_wait: on @owner's wait_pidfd queue (what pidfd poll() waits on),
 *	woken when the owner exits, whatever holds its descriptor table.
 * @exit_work: revokes @issued once the owner is gone (ratmem_ctx_exit_work()).
 */
struct ratmem_ctx {
	struct pid *owner;
	u32 id;
	struct ratmem_acct *acct;
	struct mutex lock; /* protects abi_version and handles */
	u32 abi_version;
	struct xarray handles;
	spinlock_t issued_lock; /* protects issued */
	struct list_head issued;
	struct wait_queue_entry exit_wait;
	struct work_struct exit_work;
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

struct ratmem_ctx *ratmem_ctx_create(void);
void ratmem_ctx_destroy(struct ratmem_ctx *ctx);
bool ratmem_ctx_is_owner(const struct ratmem_ctx *ctx);
struct ratmem_ctx *ratmem_ctx_next_locked(unsigned long *id);
void ratmem_ctxs_lock(void);
void ratmem_ctxs_unlock(void);

long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
long ratmem_ioctl_grant(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_accept(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_revoke(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_named_create(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_open(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_unlink(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_wait(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_wake(struct ratmem_ctx *ctx, void __user *uarg);
long ratmem_ioctl_quota(void __user *uarg);

struct pid *ratmem_pidfd_process(int pidfd);

void ratmem_names_init(void);
void ratmem_names_exit(void);

/**
 * struct ratmem_counters - module-wide object counters
 * @contexts: live struct ratmem_ctx objects.
 * @regions: live struct ratmem_region objects.
 * @handles: live struct ratmem_handle objects.
 * @pages: pages allocated for committed memory.
 * @mappings: live VMAs of regions.
 * @caps: live struct ratmem_cap objects of every kind.
 * @grants: live capabilities of kind RATMEM_CAP_GRANT.
 * @names: live region names.
 * @mm_refs: live struct ratmem_mm_ref objects.
 * @accounts: live struct ratmem_acct objects.
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
	atomic64_t caps;
	atomic64_t grants;
	atomic64_t names;
	atomic64_t mm_refs;
	atomic64_t accounts;
	atomic64_t next_region_id;
};

extern unsigned long long ratmem_region_size_max;

/* main.c: finishes interrupted revocation sweeps (revoke.c). */
extern struct workqueue_struct *ratmem_wq;

extern struct ratmem_counters ratmem_counters;

void ratmem_counters_check_zero(void);

#endif /* RATMEM_H */
