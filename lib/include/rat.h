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
#include <linux/ratmem.h>

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

/* ---- RatAPI --------------------------------------------------------- */

typedef enum RatStatus {
	RAT_STATUS_OK = 0,
	RAT_STATUS_ERROR,		/* anything not listed below */
	RAT_STATUS_INVALID_ARG,		/* EINVAL, EFAULT, EBADF */
	RAT_STATUS_NO_MEMORY,		/* ENOMEM */
	RAT_STATUS_PERMISSION,		/* EPERM, EACCES */
	RAT_STATUS_QUOTA,		/* EDQUOT */
	RAT_STATUS_REVOKED,		/* ENOLINK */
	RAT_STATUS_NOT_FOUND,		/* ENOENT, ENODEV, ENXIO: no module */
	RAT_STATUS_UNSUPPORTED,		/* ENOTTY, EOPNOTSUPP, old module */
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

/* A committed region, named by an opaque handle. */
typedef struct RatMemory *HMEM;

/* A committed region of size bytes rounded up to the page size (rights
 * READ, WRITE, MAP, GRANT). Size 0: NULL and RAT_STATUS_INVALID_ARG. */
HMEM RatAllocMemory(size_t size);
/* Map the region readable and writable; the same address on every call. */
void *RatMapMemory(HMEM mem);
/* Unmap the region and close its handle; mem is invalid afterwards. */
RatStatus RatFreeMemory(HMEM mem);

/* Reserve size bytes (rounded up to the page size) of address space: a
 * region with READ, WRITE, EXEC, MAP and GRANT rights, nothing
 * committed, mapped PROT_NONE. Returns its page-aligned base. */
void *RatMemReserve(size_t size);
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
RatStatus RatMemCommit(void *ptr, size_t size, int prot);
/* Change the pages' protection to prot (RAT_MEM_*). No part of one
 * reservation may be executable while another is writable:
 * RAT_STATUS_PERMISSION. */
RatStatus RatMemProtect(void *ptr, size_t size, int prot);
/* Free the pages; an access raises SIGBUS until they are committed
 * again, after which they read as zero. Protection is unchanged. */
RatStatus RatMemDecommit(void *ptr, size_t size);
/* Unmap the whole reservation and close its handle. ptr must be its
 * base (else RAT_STATUS_INVALID_ARG, or RAT_STATUS_NOT_FOUND outside any
 * reservation), size 0 or its size as given to RatMemReserve(). */
RatStatus RatMemRelease(void *ptr, size_t size);

/* The heap: like malloc(), but from ratmem regions, every byte zeroed,
 * 16-byte aligned. RatMemAlloc(0) returns a unique pointer. */
void *RatMemAlloc(size_t size);
/* count * size bytes; an overflowing product: RAT_STATUS_INVALID_ARG. */
void *RatMemCalloc(size_t count, size_t size);
/* Resize; bytes added read as zero. ptr NULL: RatMemAlloc(size). size 0
 * keeps a valid (empty) allocation. On failure ptr is left as it was. */
void *RatMemRealloc(void *ptr, size_t size);
/* Free a heap pointer; NULL does nothing. A pointer the heap did not
 * give out (or already freed) is ignored with RAT_STATUS_INVALID_ARG. */
void RatMemFree(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* RAT_H */
