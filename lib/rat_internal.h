/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librat: declarations shared by the library's files, not installed.
 *
 * Lock order (outer first): rat_heap_lock (heap_seg.c), res_lock (reserve.c),
 * fview_lock (fileview.c), view_lock (shmview.c), ctx_lock (context.c).
 * fork.c takes all five in this order. Files
 * whose section says "callers lock" have no lock of their own.
 */
#ifndef RAT_INTERNAL_H
#define RAT_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rat.h"

/*
 * Everything declared below is internal: hidden in librat.so, and made
 * local in librat.a by a partial link (lib/Makefile), so that no
 * internal rat_* name reaches a program's symbol table.
 */
#pragma GCC visibility push(hidden)

/* ---- status.c ------------------------------------------------------- */

/* Record status as the calling thread's last error and return it. */
RatStatus rat_set_status(RatStatus status);

/* ---- context.c: the default context --------------------------------- */

/*
 * Lock the default context, opening it if needed, and check that the
 * module has every RATMEM_FEATURE_* bit in features (else
 * RAT_STATUS_UNSUPPORTED). On RAT_STATUS_OK the caller holds the lock
 * and gets the descriptor and its generation; it must call
 * rat_ctx_unlock(). On failure nothing is held.
 */
RatStatus rat_ctx_lock(uint64_t features, int *fd, uint64_t *gen);
/*
 * Lock the default context and return its descriptor if it is still the
 * context of generation gen in this process, else -1 (it was closed
 * since, or belongs to the parent). The lock is held either way: call
 * rat_ctx_unlock().
 */
int rat_ctx_lock_gen(uint64_t gen);
void rat_ctx_unlock(void);

/* ---- fork.c and the per-file fork hooks ----------------------------- */

/* Register the library's fork handlers (once; any thread). */
void rat_fork_register(void);
void rat_ctx_fork_prepare(void);
void rat_ctx_fork_parent(void);
void rat_ctx_fork_child(void);
void rat_reserve_fork_prepare(void);
void rat_reserve_fork_parent(void);
void rat_reserve_fork_child(void);
/* reserve.c: RatMemHandleOf() of an address inside a reservation (lent
 * HMEM, made on first use), else NULL; sets the last error. */
HMEM rat_reserve_handle_of(const void *ptr);
/* fileview.c: RatMemProtect() and RatMemRelease() of a file view, for
 * reserve.c when ptr is in no reservation (RAT_STATUS_NOT_FOUND when it
 * is in no view either). */
RatStatus rat_fileview_protect(void *ptr, size_t size, int prot);
RatStatus rat_fileview_release(void *ptr, size_t size);
void rat_fileview_fork_prepare(void);
void rat_fileview_fork_parent(void);
void rat_fileview_fork_child(void);
void rat_view_fork_prepare(void);
void rat_view_fork_parent(void);
void rat_view_fork_child(void);
void rat_heap_fork_prepare(void);
void rat_heap_fork_parent(void);
void rat_heap_fork_child(void);

/* ---- heap.c --------------------------------------------------------- */

/* Give back the calling thread's empty spans and the heap's empty
 * segments; decommit free units (RatShutdown()). */
void rat_heap_trim(void);

/* What heapstat.c reports, counted by heap.c. */
struct rat_heap_totals {
	size_t in_use;		/* bytes asked for by live allocations */
	size_t committed;	/* bytes of the heap's regions */
	size_t allocations;	/* live allocations */
	size_t free_bytes;	/* committed bytes of segments not in live blocks */
	size_t largest_free;	/* largest request served without new memory */
};

/* A live allocation: its address, the size asked for, and who asked
 * (NULL unless RAT_HEAP_LEAKCHECK=1 was set when the heap started). */
typedef void (*rat_heap_visitor)(void *p, size_t req, void *caller, void *arg);

/* The heap's totals, under its lock. */
void rat_heap_totals(struct rat_heap_totals *t);
/* fn for each live allocation, in address order, under the heap's lock
 * (fn must not call the heap). */
void rat_heap_visit(rat_heap_visitor fn, void *arg);
/* Is leak checking on in this process (RAT_HEAP_LEAKCHECK=1)? */
int rat_heap_leakcheck(void);

/* ---- heapstat.c ----------------------------------------------------- */

/* The atexit() report of RAT_HEAP_LEAKCHECK=1: every live allocation. */
void rat_heap_leak_report(void);

/* ---- region.c: one region of the default context, mapped whole ------ */

struct rat_region {
	void *addr;		/* mapping of the whole region, or NULL */
	size_t size;		/* bytes, a multiple of the page size */
	uint32_t handle;	/* handle in the context of generation gen */
	uint64_t gen;		/* generation of the context holding handle */
	pid_t pid;		/* the process in which addr is mapped */
};

/* The system page size (a multiple of the 4 KiB region page size). */
size_t rat_page_size(void);
/* Round size up to whole pages: RAT_STATUS_INVALID_ARG for 0 or overflow. */
RatStatus rat_round_size(size_t size, size_t *rounded);
/* RAT_MEM_* flags to PROT_* bits: INVALID_ARG for unknown bits,
 * PERMISSION for RAT_MEM_WRITE | RAT_MEM_EXECUTE (the kernel's EACCES). */
RatStatus rat_prot_from_flags(int flags, int *prot);
/* Create a region of size bytes (page multiple) with RATMEM_RIGHT_*
 * rights and RATMEM_CREATE_* flags; not mapped. */
RatStatus rat_region_create(struct rat_region *r, size_t size, uint32_t rights,
			    uint32_t flags);
/* Map the whole region MAP_SHARED with prot, unless it is mapped in
 * this process already. RAT_STATUS_NOT_FOUND once its handle is gone. */
RatStatus rat_region_map(struct rat_region *r, int prot);
/* rat_region_create() then rat_region_map(); nothing left on failure. */
RatStatus rat_region_new(struct rat_region *r, size_t size, uint32_t rights,
			 uint32_t flags, int prot);
/* Commit (commit != 0) or decommit a page range of the region.
 * RAT_STATUS_NOT_FOUND once its handle is gone. */
RatStatus rat_region_range(const struct rat_region *r, int commit, uint64_t offset,
			   uint64_t length);
/* Unmap the region if this process mapped it, close its handle if its
 * context is still open. Leaves r zeroed. */
void rat_region_destroy(struct rat_region *r);

/* ---- ptrtable.c: address ranges sorted by base (callers lock) ------- */

struct rat_ptrentry {
	uintptr_t base;
	size_t size;
	void *obj;
};

struct rat_ptrtable {
	struct rat_ptrentry *v;
	size_t n, cap;
};

/* Add [base, base + size), which overlaps no entry: 0 or -ENOMEM. */
int rat_ptrtable_insert(struct rat_ptrtable *t, uintptr_t base, size_t size, void *obj);
/* The entry whose range contains addr, or NULL. Valid until the
 * table's next change. */
const struct rat_ptrentry *rat_ptrtable_find(const struct rat_ptrtable *t, uintptr_t addr);
/* Remove the entry starting at base; returns its obj, or NULL. */
void *rat_ptrtable_remove(struct rat_ptrtable *t, uintptr_t base);
/* Forget every entry and free the table's storage. */
void rat_ptrtable_clear(struct rat_ptrtable *t);

/* ---- HMEM (hmem.c; shared ones made by named.c and share.c) ---------- */

struct RatMemory {
	struct rat_region region;
	uint32_t rights;	/* RATMEM_RIGHT_* of region.handle */
	int prot;		/* PROT_* that RatMapMemory() maps with */
	int received;		/* accepted or opened: another process can revoke it */
	atomic_int revoked;	/* an ioctl on the handle failed with ENOLINK */
	int lent;		/* owned by a pointer: RatFreeMemory() refuses it */
};

/* ---- hmemio.c: ioctls on an HMEM's handle (no lock of its own) ------- */

/*
 * Lock the default context for an ioctl on mem's handle, after checking
 * that the module has every RATMEM_FEATURE_* bit in features. On
 * RAT_STATUS_OK the caller holds the context lock, *fd is the handle's
 * context, and it must call rat_ctx_unlock(). Otherwise nothing is
 * held: RAT_STATUS_INVALID_ARG for a NULL mem, RAT_STATUS_REVOKED when
 * the handle is known to be revoked, RAT_STATUS_NOT_FOUND when its
 * context is gone (RatShutdown(), or the parent's before a fork).
 */
RatStatus rat_hmem_lock(HMEM mem, uint64_t features, int *fd);
/* RatStatusFromErrno(ret), remembering ENOLINK in mem: a revocation is
 * for good, so later calls fail without asking the kernel. */
RatStatus rat_hmem_status(HMEM mem, int ret);
/*
 * Fill the zeroed mem for handle, just made by ACCEPT or NAMED_OPEN in the
 * context fd of generation gen (the caller holds the context lock),
 * with the size and rights the kernel reports; received is set. On
 * failure the handle is closed and mem left zeroed.
 */
RatStatus rat_hmem_adopt_locked(struct RatMemory *mem, int fd, uint64_t gen, uint32_t handle);
/* Fill the zeroed mem for a handle the caller made (not received). */
void rat_hmem_fill(struct RatMemory *mem, uint64_t gen, uint32_t handle, size_t size,
		   uint32_t rights);
/*
 * The offset in mem's region of the 32-bit word at addr, which must lie
 * in mem's mapping in this process (RAT_STATUS_NOT_FOUND when mem is
 * not mapped here, RAT_STATUS_INVALID_ARG when addr is outside it or
 * not 4-byte aligned). Called with the context lock held.
 */
RatStatus rat_hmem_word_locked(HMEM mem, const void *addr, uint64_t *offset);
/* RAT_MEM_READ [| RAT_MEM_WRITE] [| RAT_MEM_SHARE] to RATMEM_RIGHT_*
 * (with MAP); RAT_STATUS_INVALID_ARG without RAT_MEM_READ or with any
 * other bit. */
RatStatus rat_rights_from_access(int access, uint32_t *rights);

/* ---- cap.c: the printable capability -------------------------------- */

/* Parse "MEM_SHARE:<16 lower-case hex digits>", id not 0. */
RatStatus rat_cap_parse(const char *cap, uint64_t *cap_id);
/* Write the printable form of cap_id (RAT_CAP_STRLEN bytes with NUL). */
void rat_cap_format(uint64_t cap_id, char *cap);
/*
 * Parse the capability text cap into *id and take mem's context lock
 * (rat_hmem_lock() with features): on RAT_STATUS_OK *fd is the context
 * and the caller must call rat_ctx_unlock() (share.c).
 */
RatStatus rat_cap_lock(HMEM mem, const char *cap, uint64_t features, uint64_t *id, int *fd);

/* ---- wait.c: blocking waits ----------------------------------------- */

/*
 * A waiter sleeps in RATMEM_IOC_WAIT on a descriptor of its own, a dup
 * of the context's, so that no library lock is held while it sleeps and
 * a RatShutdown() meanwhile cannot turn the number into another file.
 */
struct rat_waiter {
	int fd;
	uint32_t handle;
};

/* Set up a waiter for mem (RATMEM_FEATURE_WAIT needed). */
RatStatus rat_waiter_open(HMEM mem, struct rat_waiter *w);
/* One RATMEM_IOC_WAIT; its result as a status (ENOLINK remembered). */
RatStatus rat_waiter_wait(HMEM mem, const struct rat_waiter *w, uint64_t offset,
			  uint32_t expected, int64_t timeout_ns);
void rat_waiter_close(struct rat_waiter *w);
/* RATMEM_IOC_WAKE on mem's handle, under the context lock. */
RatStatus rat_hmem_wake(HMEM mem, uint64_t offset, uint32_t count, uint32_t *woken);

#pragma GCC visibility pop

#endif
