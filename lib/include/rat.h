/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librat: the user-space library of ratmem.
 *
 * Two layers (contract section 9):
 *  - rat_*(): one call per ioctl of /dev/ratmem, returning 0 (or a
 *    descriptor) on success and -errno on failure; errno is untouched.
 *  - The RatAPI (Rat*()): a process-wide default context, RatStatus
 *    codes, and a thread-local RatGetLastError().
 *
 * Each call has a man page (man 3 NAME).
 */
#ifndef RAT_H
#define RAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
/* Next to rat.h: installed as <includedir>/rat/linux/ratmem.h, so that
 * rat.h needs no -I of its own (a symbolic link to uapi/ in the source). */
#include "rat/linux/ratmem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Raw layer ------------------------------------------------------ */

/* Open /dev/ratmem (O_RDWR | O_CLOEXEC): a new context bound to the
 * calling process. Returns the descriptor or -errno. */
int rat_open(void);
/* Close a context descriptor. Returns 0 or -errno. */
int rat_close(int fd);
/* RATMEM_IOC_API: api->abi_version in, module version/features out. */
int rat_api(int fd, struct ratmem_api *api);
/* RATMEM_IOC_STATS: module-wide object counters. */
int rat_stats(int fd, struct ratmem_stats *stats);
/* RATMEM_IOC_CREATE: a reserved region and a handle with all its rights. */
int rat_create(int fd, struct ratmem_create *create);
/* RATMEM_IOC_QUERY: size, committed bytes, id and rights of a handle. */
int rat_query(int fd, struct ratmem_query *query);
/* RATMEM_IOC_DUP: a new handle with equal or fewer rights. */
int rat_dup(int fd, struct ratmem_dup *dup);
/* RATMEM_IOC_CLOSE: close a handle (not the descriptor). */
int rat_close_handle(int fd, uint32_t handle);
/* RATMEM_IOC_COMMIT: make [offset, offset + length) of the handle's
 * region usable (page aligned; pages read as zero on first touch). */
int rat_commit(int fd, uint32_t handle, uint64_t offset, uint64_t length);
/* RATMEM_IOC_DECOMMIT: free the range's pages and remove them from
 * every mapping; access raises SIGBUS until committed again. */
int rat_decommit(int fd, uint32_t handle, uint64_t offset, uint64_t length);
/* mmap(NULL, length, prot, MAP_SHARED, fd, RATMEM_MMAP_OFFSET(handle) +
 * offset): map length bytes of the handle's region from byte offset.
 * Returns 0 and stores the address in *addr, or -errno (*addr is left
 * alone). Unmap with munmap(2). */
int rat_mmap(int fd, uint32_t handle, uint64_t offset, size_t length, int prot, void **addr);

/*
 * Sharing, named regions, wait/wake (librat 0.3; the module reports
 * RATMEM_FEATURE_SHARING, _NAMED and _WAIT). Result pointers named
 * below as required must not be NULL (-EINVAL, no ioctl made); the
 * others may be NULL. Results are stored only on success.
 */
/* RATMEM_IOC_GRANT: a capability for the process of pidfd, with rights
 * (a subset of the handle's). *cap_id (required) receives its id. */
int rat_grant(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t *cap_id);
/* RATMEM_IOC_ACCEPT: a new handle (required) for a capability granted to
 * the calling process; *rights receives its rights. */
int rat_accept(int fd, uint64_t cap_id, uint32_t *handle, uint32_t *rights);
/* RATMEM_IOC_REVOKE: revoke cap_id and every capability below it. */
int rat_revoke(int fd, uint32_t handle, uint64_t cap_id);
/* RATMEM_IOC_NAMED_CREATE: a region named name, mode bits for NAMED_OPEN;
 * *handle (required) receives a handle with all of rights. */
int rat_named_create(int fd, const char *name, uint64_t size, uint32_t flags, uint32_t rights,
		     uint32_t mode, uint32_t *handle);
/* RATMEM_IOC_NAMED_OPEN: a handle (required) with rights to the region name. */
int rat_open_named(int fd, const char *name, uint32_t rights, uint32_t *handle);
/* RATMEM_IOC_UNLINK: remove name (flags 0 or RATMEM_UNLINK_REVOKE). */
int rat_unlink(int fd, const char *name, uint32_t flags);
/* RATMEM_IOC_WAIT: sleep while the 32-bit word at offset equals
 * expected (timeout_ns relative, 0 to only check, RATMEM_WAIT_FOREVER). */
int rat_wait(int fd, uint32_t handle, uint64_t offset, uint32_t expected, int64_t timeout_ns);
/* RATMEM_IOC_WAKE: wake up to count (~0U: all) waiters of the word at
 * offset; *woken receives how many were woken. */
int rat_wake(int fd, uint32_t handle, uint64_t offset, uint32_t count, uint32_t *woken);

/* RATMEM_IOC_QUOTA (librat 0.4; RATMEM_FEATURE_QUOTA): read, and with
 * q->set_mask change, the limits of the process named by q->pidfd (-1:
 * the caller); q->usage and q->limit receive its figures. */
int rat_quota(int fd, struct ratmem_quota *q);

/* RATMEM_IOC_POPULATE (librat 1.2; RATMEM_FEATURE_POPULATE): make every
 * page of [addr, addr + length) (page aligned) of the caller's ratmem
 * mappings resident and mapped now; fd may be any context. */
int rat_populate(int fd, void *addr, size_t length);

/*
 * NUMA placement (librat 1.2; RATMEM_FEATURE_NUMA). The structs' output
 * fields must be zero on input (the kernel's EINVAL otherwise).
 */
/* RATMEM_IOC_POLICY: the region's placement policy becomes mode
 * (RATMEM_POLICY_*) over the nodes of nodemask (bit N: node N), for
 * pages allocated from now on. */
int rat_policy(int fd, uint32_t handle, uint32_t mode, uint64_t nodemask);
/* RATMEM_IOC_SEAL (librat 1.3; RATMEM_FEATURE_SEAL): add the
 * RATMEM_SEAL_* bits seals to the region of handle, which must carry its
 * owner capability with all its rights; *sealed (if not NULL) receives
 * every seal the region has now. */
int rat_seal(int fd, uint32_t handle, uint32_t seals, uint32_t *sealed);
/* RATMEM_IOC_GRANT with a lease (librat 1.3; RATMEM_FEATURE_LEASE): the
 * grant revokes itself lease_ns nanoseconds from now. */
int rat_grant_lease(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t lease_ns,
		    uint64_t *cap_id);
/* RATMEM_IOC_LEASE: with flags RATMEM_LEASE_SET the lease of grant cap_id
 * becomes lease_ns from now (the granter's line only), with flags 0 and
 * lease_ns 0 it is only read; *remaining_ns (if not NULL) receives what
 * is left of it afterwards, 0 for none. */
int rat_lease(int fd, uint32_t handle, uint64_t cap_id, uint32_t flags, uint64_t lease_ns,
	      uint64_t *remaining_ns);
/* RATMEM_IOC_REVOKE with a deadline (librat 1.4; RATMEM_FEATURE_NOTICE):
 * the holders are told at once and keep access for deadline_ns at most
 * (0: revoke now, as rat_revoke()); flags RATMEM_REVOKE_WAIT returns
 * when the revocation is complete. */
int rat_revoke_deadline(int fd, uint32_t handle, uint64_t cap_id, uint64_t deadline_ns,
			uint32_t flags);
/* RATMEM_IOC_READ_NOTICES (librat 1.4): up to *count (1 to
 * RATMEM_NOTICES_MAX) records into records; *count receives how many,
 * 0 when none is waiting. Never blocks: poll() fd for POLLPRI. */
int rat_read_notices(int fd, struct ratmem_notice *records, uint32_t *count);
/* RATMEM_IOC_GRANT_RANGE (librat 1.4; RATMEM_FEATURE_GRANT_RANGE): grant
 * [offset, offset + length) of handle's view of its region, which the
 * grantee sees as a region of length bytes; lease_ns as for
 * rat_grant_lease(). */
int rat_grant_range(int fd, uint32_t handle, uint32_t rights, int pidfd, uint64_t offset,
		    uint64_t length, uint64_t lease_ns, uint64_t *cap_id);
/* RATMEM_IOC_MIGRATE: move (or with RATMEM_MIGRATE_LAZY mark) the
 * resident pages of m->offset, m->length to node m->node; m->pages
 * receives how many. */
int rat_migrate(int fd, struct ratmem_migrate *m);
/* RATMEM_IOC_NODES: the region's policy, mask and pending pages, and
 * into the array at n->counts its resident pages per node. */
int rat_nodes(int fd, struct ratmem_nodes *n);

/* ---- RatAPI --------------------------------------------------------- *
 *
 * The types and calls of the RatOS memory management specification
 * (version 0.1-draft) keep its exact names, signatures and enumerator
 * order; librat's additions come after them.
 */

/* What the pointer calls take and return. */
typedef void *RatMemPtr;

typedef enum RatStatus {
	/* The specification's five codes, in its order: */
	RAT_STATUS_OK = 0,
	RAT_STATUS_ERROR,		/* anything not listed below */
	RAT_STATUS_INVALID_ARG,		/* EINVAL, EFAULT, EBADF, ENAMETOOLONG */
	RAT_STATUS_NO_MEMORY,		/* ENOMEM */
	RAT_STATUS_PERMISSION,		/* EPERM, EACCES */
	/* librat's: */
	RAT_STATUS_QUOTA,		/* EDQUOT */
	RAT_STATUS_REVOKED,		/* ENOLINK */
	RAT_STATUS_NOT_FOUND,		/* ENOENT, ENODEV, ENXIO: no module; ESRCH */
	RAT_STATUS_UNSUPPORTED,		/* ENOTTY, EOPNOTSUPP, ENOSYS, old module */
	/* librat 0.3: */
	RAT_STATUS_EXISTS,		/* EEXIST: the name is taken */
	RAT_STATUS_TIMEOUT,		/* ETIMEDOUT: the time limit passed */
	RAT_STATUS_AGAIN,		/* EAGAIN: the word did not hold the expected value */
	RAT_STATUS_BUSY,		/* EBUSY: a held mutex (RatMutexTryLock()), a refused RatMemSeal() */
	RAT_STATUS_INTERRUPTED,		/* EINTR: a signal arrived while waiting */
} RatStatus;

/* What RatQueryApi() reports about the loaded module. */
typedef struct RatApiInfo {
	uint32_t abi_version;	/* the module's ABI version */
	uint64_t features;	/* RATMEM_FEATURE_* */
	uint64_t ioctls;	/* bit N: ioctl number N is supported */
} RatApiInfo;

/* Open the process's default context and perform the handshake.
 * Idempotent and thread-safe; a forked child gets its own context on
 * its first call (the parent's is bound to the parent). */
RatStatus RatInit(void);
/* Close the default context. Later RatAPI calls reopen it. */
RatStatus RatShutdown(void);
/* Handshake result of the default context (calls RatInit() if needed). */
RatStatus RatQueryApi(RatApiInfo *info);
/* Status of the calling thread's last RatAPI call. */
RatStatus RatGetLastError(void);
/* Short English description of a status, never NULL. */
const char *RatStatusString(RatStatus status);
/* Map a negative errno (as returned by rat_*()) to a RatStatus. */
RatStatus RatStatusFromErrno(int neg_errno);

/* ---- RatAPI: memory --------------------------------------------------
 *
 * All memory comes from ratmem regions of the default context (opened on
 * first use): zero-filled, MAP_SHARED, never writable and executable at
 * once, never inherited by fork() (a child sees none of its parent's
 * memory, and its library state starts empty). Each call sets
 * RatGetLastError(); calls returning a pointer return NULL on failure.
 * A module without RATMEM_FEATURE_MEMORY gives RAT_STATUS_UNSUPPORTED.
 * After RatShutdown(), memory already mapped stays usable and can be
 * freed or released, but calls that need its handle (RatMapMemory() of
 * an unmapped HMEM, RatMemCommit(), RatMemDecommit()) fail with
 * RAT_STATUS_NOT_FOUND.
 */

/* Protection flags of RatMemCommit() and RatMemProtect(). WRITE and
 * EXECUTE together fail with RAT_STATUS_PERMISSION (W^X). */
#define RAT_MEM_NONE	0
#define RAT_MEM_READ	1
#define RAT_MEM_WRITE	2
#define RAT_MEM_EXECUTE	4

/* RatMemAllocate(): commit now (pages usable at once) or only reserve. */
typedef enum {
	RAT_MEM_COMMIT,
	RAT_MEM_RESERVE
} RatMemAllocType;

/* RatMemAllocate(): never shareable (no capability can be made from it),
 * or shareable through RatMemHandleOf() and RatMemShare(). */
typedef enum {
	RAT_MEM_PRIVATE,
	RAT_MEM_SHARED
} RatMemMapType;

/* A committed region, named by an opaque handle (ADR-0002). */
typedef struct RatMemory *HMEM;

/* A committed region of size bytes rounded up to the page size (rights
 * READ, WRITE, MAP, GRANT). Size 0: NULL and RAT_STATUS_INVALID_ARG. */
HMEM RatAllocMemory(size_t size);
/* Map the region readable and writable (read-only when the handle lacks
 * the write right, see RatMemAccess(), or the region is sealed against
 * writing, see RatMemSeal()); the same address on every call. */
void *RatMapMemory(HMEM mem);
/* Unmap the region and close its handle; mem is invalid afterwards. An
 * HMEM lent by RatMemHandleOf() is refused (RAT_STATUS_INVALID_ARG): it
 * goes with its pointer. */
RatStatus RatFreeMemory(HMEM mem);

/* Reserve size bytes (rounded up to the page size) of address space: a
 * region with READ, WRITE, EXEC, MAP and GRANT rights, nothing
 * committed, mapped PROT_NONE. Returns its page-aligned base. */
RatMemPtr RatMemReserve(size_t size);
/* VirtualAlloc() style: size bytes (rounded up to the page size), either
 * committed with protection prot (RAT_MEM_COMMIT) or only reserved, with
 * prot RAT_MEM_NONE (RAT_MEM_RESERVE; other prot: RAT_STATUS_INVALID_ARG).
 * RAT_MEM_PRIVATE memory can never be shared: RatMemShare() through its
 * RatMemHandleOf() fails with RAT_STATUS_PERMISSION. RAT_MEM_SHARED
 * memory can be. Either is a reservation: RatMemCommit(), RatMemProtect(),
 * RatMemDecommit() and RatMemRelease() work on it. */
RatMemPtr RatMemAllocate(size_t size, RatMemAllocType type, RatMemMapType map, int prot);
/*
 * RatMemCommit(), RatMemProtect() and RatMemDecommit() act on every
 * page holding a byte of [ptr, ptr + size) (ptr need not be aligned) of
 * the reservation containing ptr. ptr NULL or size 0:
 * RAT_STATUS_INVALID_ARG; ptr inside no live reservation of this process:
 * RAT_STATUS_NOT_FOUND; range running past the reservation's end:
 * RAT_STATUS_INVALID_ARG. Heap and HMEM memory are not reservations.
 */
/* Commit the pages (new ones read as zero), then set their protection
 * to prot (RAT_MEM_*). If that protection change fails, the pages stay
 * committed. */
RatStatus RatMemCommit(RatMemPtr ptr, size_t size, int prot);
/* Change the pages' protection to prot (RAT_MEM_*). No part of one
 * reservation may be executable while another is writable:
 * RAT_STATUS_PERMISSION. */
RatStatus RatMemProtect(RatMemPtr ptr, size_t size, int prot);
/* Free the pages; an access raises SIGBUS until they are committed
 * again, after which they read as zero. Protection is unchanged. */
RatStatus RatMemDecommit(RatMemPtr ptr, size_t size);
/* Unmap the whole reservation (of RatMemReserve() or RatMemAllocate())
 * and close its handle, or unmap a file view (RatFileMapView()). ptr
 * must be its base (else RAT_STATUS_INVALID_ARG, or RAT_STATUS_NOT_FOUND
 * outside any), size 0 or its size as given when it was made. */
RatStatus RatMemRelease(RatMemPtr ptr, size_t size);

/*
 * A view of a regular file (the specification's "memory-mapped files
 * reuse the same protection and allocation logic"): size bytes from
 * offset (a multiple of the page size; size 0: to the end of the file),
 * of the file at path (opened with the file's own permissions, read-only
 * unless a RAT_MEM_SHARED view asks for RAT_MEM_WRITE; fd must be -1) or
 * of the open descriptor fd (path NULL; the view does not keep fd, the
 * mapping keeps the file). prot: RAT_MEM_* (never write and execute
 * together: RAT_STATUS_PERMISSION; execute only when asked). RAT_MEM_SHARED
 * views write through to the file; RAT_MEM_PRIVATE views are
 * copy-on-write. RatMemProtect() changes a view's protection, refusing
 * any page executable while another is writable (RAT_STATUS_PERMISSION);
 * RatMemRelease() unmaps it (ptr its base, size 0 or its size).
 * RatMemCommit(), RatMemDecommit() and RatMemHandleOf() do not apply
 * (RAT_STATUS_NOT_FOUND). Access past the end of the file raises SIGBUS.
 * Errors: RAT_STATUS_NOT_FOUND for a missing file, RAT_STATUS_PERMISSION
 * when the file's permissions or fd's access mode refuse prot,
 * RAT_STATUS_INVALID_ARG for a directory or other non-regular file, both
 * or neither of path and fd, an unaligned offset, or size 0 at or past
 * the end of the file. Unlike ratmem memory, a view is inherited by
 * fork() (the child may release it).
 */
RatMemPtr RatFileMapView(const char *path, int fd, uint64_t offset, size_t size, int prot,
			 RatMemMapType map);

/* The heap: like malloc(), but from ratmem regions, every byte zeroed,
 * 16-byte aligned, thread-safe, empty in a forked child. RatMemAlloc(0)
 * returns a unique pointer. Failure: NULL, and RatGetLastError() says
 * why (RAT_STATUS_QUOTA when a ratmem limit is reached). */
RatMemPtr RatMemAlloc(size_t size);
/* count * size bytes; an overflowing product: RAT_STATUS_INVALID_ARG. */
RatMemPtr RatMemCalloc(size_t count, size_t size);
/* Resize; bytes added read as zero. ptr NULL: RatMemAlloc(newSize).
 * newSize 0 keeps a valid (empty) allocation. On failure ptr is left as
 * it was. */
RatMemPtr RatMemRealloc(RatMemPtr ptr, size_t newSize);
/* Free a heap pointer: RAT_STATUS_OK, also for NULL. A pointer the heap
 * did not give out (or already freed) is left alone:
 * RAT_STATUS_INVALID_ARG. */
RatStatus RatMemFree(RatMemPtr ptr);
/* size bytes aligned to alignment, a power of two (else NULL and
 * RAT_STATUS_INVALID_ARG); freed with RatMemFree(). (librat 1.1) */
RatMemPtr RatMemAllocAligned(size_t size, size_t alignment);
/* How many bytes of a heap pointer may be used: at least what was asked
 * for. 0 and RAT_STATUS_INVALID_ARG for a pointer the heap did not give
 * out (or already freed). Bytes past the size asked for read as zero
 * until written. (librat 1.1) */
size_t RatMemUsableSize(RatMemPtr ptr);

/*
 * Heap telemetry (the specification's heap dump and leak detection).
 * Every figure counts this process's heap (RatMemAlloc() and friends)
 * only, at the moment of the call.
 */
typedef struct RatHeapStats {
	size_t bytes_in_use;		/* bytes asked for by live allocations */
	size_t bytes_committed;		/* bytes of the ratmem regions the heap holds */
	size_t allocations;		/* live allocations */
	size_t bytes_free;		/* committed bytes of the heap's small-block
					 * segments not in a live block */
	size_t largest_free_block;	/* the largest block the heap can hand out
					 * without new memory: a free 64 KiB unit
					 * run, or a free block of a size class */
	double fragmentation;		/* 1 - largest_free_block / bytes_free: 0 when
					 * the free bytes are one block (or none), near
					 * 1 when they are scattered in small ones */
} RatHeapStats;

/* Fill *stats (NULL: RAT_STATUS_INVALID_ARG). */
RatStatus RatMemHeapStats(RatHeapStats *stats);
/* Write one line per live allocation to out, grouped by region: its
 * address, the size asked for, and with RAT_HEAP_LEAKCHECK=1 the address
 * of the code that asked ("%p %zu[ %p]\n"). RAT_STATUS_ERROR when writing
 * fails. */
RatStatus RatMemHeapDump(FILE *out);
/* With RAT_HEAP_LEAKCHECK=1 in the environment at a process's first heap
 * call, librat reports at exit(), on stderr, every allocation still live:
 * "librat: leak: SIZE bytes at ADDR, allocated from CALLER", then
 * "librat: N allocations (B bytes) still live at exit". */

/* ---- RatAPI: sharing (librat 0.3) -------------------------------------
 *
 * A shared region is an HMEM like any other: RatMapMemory() maps it
 * (readable, and writable when its handle has the write right),
 * RatFreeMemory() or RatSharedMemCloseEx() unmaps it and closes its
 * handle. Each call sets RatGetLastError(). A module without the
 * feature a call needs (RATMEM_FEATURE_NAMED for names,
 * RATMEM_FEATURE_SHARING for capabilities, RATMEM_FEATURE_WAIT for
 * RatMemWait(), RatMemWake() and RatMutex) gives RAT_STATUS_UNSUPPORTED.
 * An HMEM whose capability was revoked gives RAT_STATUS_REVOKED, and
 * touching its mapping raises SIGBUS.
 */

/* Access and rights of RatSharedMemOpenEx() and RatMemShare(): RAT_MEM_READ
 * (required), RAT_MEM_WRITE, and: */
#define RAT_MEM_SHARE	8	/* may be shared onward with RatMemShare() */

/* Flag of RatSharedMemUnlinkEx(): also revoke every handle that other
 * processes opened through the name. */
#define RAT_UNLINK_REVOKE	1

/*
 * The specification's shared memory, by pointer (librat 1.0). A name is
 * seen by the processes of one user namespace.
 */
/* A named region of size bytes (rounded up to the page size), committed,
 * zero-filled, with mode 0600 (only the creating user can open it),
 * mapped readable and writable. RAT_STATUS_EXISTS when the name is taken. */
RatMemPtr RatSharedMemCreate(const char *name, size_t size);
/* Open and map the named region with the most access its mode grants
 * the caller: readable and writable, else readable only (then a write
 * raises SIGSEGV); shareable onward (RatMemHandleOf(), RatMemShare())
 * when the region allows it. RAT_STATUS_PERMISSION when it may not even
 * read it. */
RatMemPtr RatSharedMemOpen(const char *name);
/* Unmap and close what RatSharedMemCreate() or RatSharedMemOpen()
 * returned (ptr must be that address: else RAT_STATUS_INVALID_ARG, or
 * RAT_STATUS_NOT_FOUND outside any); the name, and the region for other
 * holders, stay. */
RatStatus RatSharedMemClose(RatMemPtr ptr);
/* Remove the name; handles and mappings made from it stay valid. */
RatStatus RatSharedMemUnlink(const char *name);

/*
 * The same as HMEMs, with a mode, an access and flags (librat 0.3's
 * RatSharedMemCreate/Open/Close/Unlink, renamed in 1.0).
 */
/* A named region of size bytes (rounded up to the page size), committed,
 * zero-filled, readable and writable by its creator. mode: permission
 * bits (0 to 0777, no umask) checked like a file's by RatSharedMemOpenEx().
 * RAT_STATUS_EXISTS when the name is taken. */
HMEM RatSharedMemCreateEx(const char *name, size_t size, unsigned int mode);
/* Open the named region with access RAT_MEM_READ [| RAT_MEM_WRITE]
 * [| RAT_MEM_SHARE]. */
HMEM RatSharedMemOpenEx(const char *name, int access);
/* Unmap and close a shared region (the same as RatFreeMemory()); the
 * name, and the region for other holders, stay. */
RatStatus RatSharedMemCloseEx(HMEM mem);
/* Remove the name (flags 0 or RAT_UNLINK_REVOKE); handles stay valid
 * unless RAT_UNLINK_REVOKE. */
RatStatus RatSharedMemUnlinkEx(const char *name, int flags);
/* The HMEM behind a pointer, so pointer-based code can share, revoke,
 * wait and lock: for any address inside memory from RatSharedMemCreate(),
 * RatSharedMemOpen(), RatMemReserve() or RatMemAllocate() (else NULL and
 * RAT_STATUS_NOT_FOUND). The HMEM is lent, not given: it stays valid
 * until that memory is closed or released, and RatFreeMemory() refuses
 * it. Heap pointers have none (an arena holds many allocations). NULL:
 * RAT_STATUS_INVALID_ARG. */
HMEM RatMemHandleOf(RatMemPtr ptr);
/* Size in bytes of mem's region (a page multiple); 0 for NULL. */
size_t RatMemSize(HMEM mem);
/* What mem's handle allows: RAT_MEM_READ, RAT_MEM_WRITE, RAT_MEM_SHARE
 * bits (RAT_MEM_EXECUTE too for the raw EXEC right); -1 for NULL. */
int RatMemAccess(HMEM mem);

/* Printable capability: "MEM_SHARE:" and 16 lower-case hex digits. */
#define RAT_CAP_PREFIX	"MEM_SHARE:"
#define RAT_CAP_STRLEN	27	/* with the terminating NUL */

/* Share mem with the process pid: a capability with rights RAT_MEM_READ
 * [| RAT_MEM_WRITE] [| RAT_MEM_SHARE] that only that process can accept,
 * written to cap as "MEM_SHARE:<16 hex digits>" (the empty string on
 * failure). pid is turned into a pidfd first: see RatMemSharePidfd()
 * to rule out pid reuse. */
RatStatus RatMemShare(HMEM mem, int rights, pid_t pid, char cap[RAT_CAP_STRLEN]);
/* RatMemShare() naming the target by a pidfd (pidfd_open(2), CLONE_PIDFD). */
RatStatus RatMemSharePidfd(HMEM mem, int rights, int pidfd, char cap[RAT_CAP_STRLEN]);
/* RatMemShare() of part of mem (librat 1.4; RATMEM_FEATURE_GRANT_RANGE):
 * [offset, offset + length), page-aligned (2 MiB-aligned for memory of
 * 2 MiB pages) and inside mem. The receiver's RatMemAccept() gives an
 * HMEM of length bytes that starts at mem's byte offset; everything it
 * does (map, commit, decommit, wait, wake, share onward, narrower only)
 * stays inside the range. */
RatStatus RatMemShareRange(HMEM mem, size_t offset, size_t length, int rights, pid_t pid,
			   char cap[RAT_CAP_STRLEN]);
/* Accept a capability granted to this process, in exactly the form
 * RatMemShare() writes (else RAT_STATUS_INVALID_ARG). */
HMEM RatMemAccept(const char *cap);
/* Revoke a capability made through mem (or below one made through it):
 * the receivers' handles fail with RAT_STATUS_REVOKED and their
 * mappings fault, before the call returns. */
RatStatus RatMemRevoke(HMEM mem, const char *cap);
/*
 * Leases (librat 1.3): a share that revokes itself lease_ns nanoseconds
 * after it is made, exactly as RatMemRevoke() would, unless the sharer
 * extends it first. RatMemShareLease() is RatMemShare() with a lease
 * (1 to 2^62 ns). RatMemLeaseExtend() lets the lease of cap end lease_ns
 * from now (sooner or later than before); only the sharer's side may,
 * through mem as for RatMemRevoke(). RatMemLeaseRemaining() stores what
 * is left, 0 for a share without a lease; the receiver may ask through
 * the HMEM it accepted. A lease that has ended is a revoked share:
 * RAT_STATUS_NOT_FOUND for cap, RAT_STATUS_REVOKED for the receiver.
 */
RatStatus RatMemShareLease(HMEM mem, int rights, pid_t pid, uint64_t lease_ns,
			   char cap[RAT_CAP_STRLEN]);
RatStatus RatMemLeaseExtend(HMEM mem, const char *cap, uint64_t lease_ns);
RatStatus RatMemLeaseRemaining(HMEM mem, const char *cap, uint64_t *remaining_ns);

/*
 * Revocation with notice (librat 1.4; RATMEM_FEATURE_NOTICE, else
 * RAT_STATUS_UNSUPPORTED). RatMemRevokeAfter() revokes cap as
 * RatMemRevoke() does, but first tells its receivers (and theirs, for
 * shares made onward) and gives them up to timeout_ns to let go: to free
 * the HMEM they accepted. It returns once the revocation is complete: at
 * the deadline, or as soon as every receiver has let go. timeout_ns 0 is
 * RatMemRevoke(). RAT_STATUS_INTERRUPTED when a signal ends the
 * wait (the revocation goes on).
 */
RatStatus RatMemRevokeAfter(HMEM mem, const char *cap, uint64_t timeout_ns);

/* What RatMemWatch() reports about a capability (bits of events). */
#define RAT_NOTICE_REVOKING	0x1	/* it will be revoked by deadline_ns */
#define RAT_NOTICE_REVOKED	0x2	/* it was revoked */

/* One report of RatMemWatch(). */
typedef struct RatMemNotice {
	char cap[RAT_CAP_STRLEN];	/* the capability, as RatMemShare() writes it */
	int events;			/* RAT_NOTICE_* bits since the last report */
	int accepted;			/* 1: one this process accepted; 0: one it revoked */
	uint64_t deadline_ns;		/* RAT_NOTICE_REVOKING: CLOCK_MONOTONIC deadline */
} RatMemNotice;

/*
 * Wait up to timeout_ns (0: do not wait; RAT_WAIT_FOREVER) for notices
 * about capabilities this process accepted (one is about to be revoked,
 * or was) or revoked with RatMemRevokeAfter() (complete), and store up to
 * max of them in notices, *count how many. RAT_STATUS_TIMEOUT when none
 * came in time (*count 0). No notice is lost: what happens to one
 * capability between two calls is merged into one report.
 */
RatStatus RatMemWatch(RatMemNotice *notices, size_t max, size_t *count, int64_t timeout_ns);
/*
 * A new descriptor that poll()s readable (POLLPRI) while RatMemWatch()
 * has notices, for an event loop; the caller closes it. It works in this
 * process only. -1 on failure (RatGetLastError()).
 */
int RatMemWatchFd(void);

/* Format a capability id (not 0) as RatMemShare() does. */
RatStatus RatCapFormat(uint64_t cap_id, char cap[RAT_CAP_STRLEN]);
/* Parse the printable form strictly; the id is stored only on success. */
RatStatus RatCapParse(const char *cap, uint64_t *cap_id);

/* ---- RatAPI: wait, wake and a cross-process mutex (librat 0.3) -------- */

/* Timeouts in nanoseconds, relative; or: */
#define RAT_WAIT_FOREVER	(-1)
/* Count of RatMemWake(): every waiter. */
#define RAT_WAKE_ALL		UINT32_MAX

/* Sleep while the 32-bit word at offset (a multiple of 4, on a committed
 * page) of mem's region holds expected. RAT_STATUS_OK when woken,
 * RAT_STATUS_AGAIN when the word differs, RAT_STATUS_TIMEOUT,
 * RAT_STATUS_INTERRUPTED on a signal, RAT_STATUS_REVOKED. Every
 * process's handle to the region meets at the same (region, offset). */
RatStatus RatMemWait(HMEM mem, size_t offset, uint32_t expected, int64_t timeout_ns);
/* Wake up to count (RAT_WAKE_ALL: all) waiters of that word, oldest
 * first; *woken (may be NULL) receives how many were woken. */
RatStatus RatMemWake(HMEM mem, size_t offset, uint32_t count, uint32_t *woken);

/*
 * A mutex that lives in a shared region, like a process-shared
 * pthread_mutex_t: place it in the mapping of mem (4-byte aligned) and
 * pass, in each process, the HMEM through which that process maps it.
 * Zeroed memory is an unlocked mutex. It has no owner: no recursion, no
 * error checking of the unlocking thread, and a holder that dies leaves
 * it locked.
 */
typedef struct RatMutex {
	uint32_t state;		/* private: 0 unlocked, 1 locked, 2 locked with waiters */
} RatMutex;

#define RAT_MUTEX_INITIALIZER	{ 0 }

/* Make *mutex (inside mem's mapping in this process) unlocked. */
RatStatus RatMutexInit(HMEM mem, RatMutex *mutex);
/* Lock, sleeping as long as needed (signals do not interrupt it). */
RatStatus RatMutexLock(HMEM mem, RatMutex *mutex);
/* Lock if free, else RAT_STATUS_BUSY at once. */
RatStatus RatMutexTryLock(HMEM mem, RatMutex *mutex);
/* Lock, waiting at most timeout_ns (RAT_WAIT_FOREVER: no limit), else
 * RAT_STATUS_TIMEOUT. */
RatStatus RatMutexTimedLock(HMEM mem, RatMutex *mutex, int64_t timeout_ns);
/* Unlock, waking one waiter if there is one. RAT_STATUS_INVALID_ARG when
 * it was not locked. */
RatStatus RatMutexUnlock(HMEM mem, RatMutex *mutex);

/* ---- RatAPI: NUMA placement and populate (librat 1.2) -----------------
 *
 * Each call sets RatGetLastError(). A module without RATMEM_FEATURE_NUMA
 * (RATMEM_FEATURE_POPULATE for RatMemPopulate()) gives
 * RAT_STATUS_UNSUPPORTED. Page counts are of 4 KiB pages, whatever the
 * region's page size.
 */

/* Where a region's pages are allocated from (the values of RATMEM_POLICY_*): */
typedef enum {
	RAT_NUMA_DEFAULT = 0,		/* the node given at creation, else the
					 * faulting CPU's; others when full */
	RAT_NUMA_PREFERRED = 1,		/* the one node of the mask, others when full */
	RAT_NUMA_BIND = 2,		/* only the nodes of the mask */
	RAT_NUMA_INTERLEAVE = 3		/* page N on the (N mod k)-th of the mask's k nodes */
} RatNumaPolicy;

/* Flag of RatMemMigrate(): only mark the pages; each moves on its next
 * fault. */
#define RAT_MIGRATE_LAZY	0x1

/* Set the placement policy of mem's region for pages allocated from now
 * on; nodemask: bit N for node N (0 for RAT_NUMA_DEFAULT, one node for
 * RAT_NUMA_PREFERRED, one or more otherwise). Resident pages stay where
 * they are: see RatMemMigrate(). */
RatStatus RatMemSetPolicy(HMEM mem, RatNumaPolicy policy, uint64_t nodemask);

/*
 * Seals (librat 1.3): once set on a region they never come off, and they
 * bind every process that maps it, the owner included.
 */
#define RAT_SEAL_COMMIT		0x01U	/* no RatMemCommit or RatMemDecommit */
#define RAT_SEAL_PROTECT	0x02U	/* no mprotect() adds a permission */
#define RAT_SEAL_GRANT_WRITE	0x04U	/* no new shares with RAT_MEM_WRITE */
#define RAT_SEAL_WRITE		0x08U	/* no writable mapping, no decommit */
#define RAT_SEAL_SEAL		0x10U	/* no more seals */
#define RAT_SEALS_ALL		0x1fU
/* Add seals to mem's region; mem must be the region's owner handle with
 * all its rights. *sealed (if not NULL) receives every seal it has now.
 * RAT_SEAL_WRITE fails with RAT_STATUS_BUSY while any mapping of the
 * region could write. */
RatStatus RatMemSeal(HMEM mem, uint32_t seals, uint32_t *sealed);
/* *seals receives the seals of mem's region; any handle may ask. */
RatStatus RatMemGetSeals(HMEM mem, uint32_t *seals);
/* Move the resident pages of every page holding a byte of [offset,
 * offset + size) of mem's region (size 0: to the end of the region) to
 * node, now, or with RAT_MIGRATE_LAZY on their next fault. */
RatStatus RatMemMigrate(HMEM mem, size_t offset, size_t size, int node, unsigned int flags);
/* pages[i] receives the resident 4 KiB pages of mem's region on node i,
 * for i below nr_nodes (0 for node ids the system does not have); *nr_out
 * (may be NULL) the number of node ids the system may have. pages may be
 * NULL when nr_nodes is 0. */
RatStatus RatMemNodeUsage(HMEM mem, uint64_t *pages, size_t nr_nodes, size_t *nr_out);
/* Make every page holding a byte of [ptr, ptr + size) resident and
 * mapped now, so that touching it takes no fault. The range must lie in
 * ratmem memory mapped in this process (of any librat call), committed
 * and not RAT_MEM_NONE. */
RatStatus RatMemPopulate(RatMemPtr ptr, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* RAT_H */
