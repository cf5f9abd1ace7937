/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librat: the user-space library of ratmem.
 *
 * Two layers (contract section 9):
 *  - rat_*(): one call per ioctl of /dev/ratmem, returning 0 (or a
 *    descriptor) on success and -errno on failure; errno is untouched.
 *  - The RatAPI (Rat*()): a process-wide default context, RatStatus
 *    codes, and a thread-local RatGetLastError().
 */
#ifndef RAT_H
#define RAT_H

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

#ifdef __cplusplus
}
#endif

#endif /* RAT_H */
