/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ratmem: handle-based memory regions with capability sharing and
 * revocation. User-space ABI of /dev/ratmem.
 *
 * ABI rules (contract section 8): fixed-width fields only, pointers
 * carried as __u64, explicit padding that must be zero, a flags word
 * whose unknown bits fail with EINVAL, no implicit padding (identical
 * layout on i386 and x86_64), and new fields only ever appended to a
 * struct under a new ioctl number, with zero meaning the old behaviour.
 */
#ifndef _UAPI_LINUX_RATMEM_H
#define _UAPI_LINUX_RATMEM_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* The ABI version this header describes. */
#define RATMEM_ABI_VERSION	1

/* Name of the misc device, as it appears under /dev. */
#define RATMEM_DEVICE_NAME	"ratmem"

/*
 * Feature bits reported by RATMEM_IOC_API. A bit is set only when the
 * loaded module implements the feature; user space must check a bit
 * before relying on the feature.
 */
/* RATMEM_IOC_STATS reports the module-wide object counters. */
#define RATMEM_FEATURE_STATS		_BITULL(0)
/* Each context is bound to the process that opened it (EPERM elsewhere). */
#define RATMEM_FEATURE_CONTEXT_BOUND	_BITULL(1)

/**
 * struct ratmem_api - API and version handshake (RATMEM_IOC_API)
 * @abi_version: in: the ABI version the caller was built against
 *	(RATMEM_ABI_VERSION), never 0; out: the module's ABI version.
 * @flags: in: must be 0 (no flags are defined yet).
 * @features: out: RATMEM_FEATURE_* bits the module implements.
 * @ioctls: out: bit N set when the ioctl with _IOC_NR() == N is
 *	supported (see RATMEM_IOC_NR_*).
 * @reserved: in: must be zero; out: zero.
 *
 * Any caller ABI version >= 1 is accepted: the ABI only grows, so an
 * older library keeps working on a newer module, and a newer library
 * learns from @features and @ioctls what an older module offers. The
 * module remembers the caller's version in the context.
 */
struct ratmem_api {
	__u32 abi_version;
	__u32 flags;
	__u64 features;
	__u64 ioctls;
	__u64 reserved[4];
};

/**
 * struct ratmem_stats - module-wide object counters (RATMEM_IOC_STATS)
 * @flags: in: must be 0.
 * @pad: in: must be 0; out: 0.
 * @contexts: out: open contexts (open file descriptions of /dev/ratmem)
 *	across all processes, including the caller's.
 * @reserved: in: must be zero; out: zero. Later ABI versions define
 *	these as further counters (regions, handles, pages, mappings,
 *	grants) in this order.
 *
 * All counters return to their starting values when the objects they
 * count are closed; the module refuses to unload while any is non-zero.
 */
struct ratmem_stats {
	__u32 flags;
	__u32 pad;
	__u64 contexts;
	__u64 reserved[7];
};

#define RATMEM_IOC_MAGIC	0xB7

/*
 * ioctl numbers (_IOC_NR) as used in struct ratmem_api.ioctls. They stay
 * below 64 so that every one of them has a bit in that mask.
 */
#define RATMEM_IOC_NR_API	0x00
#define RATMEM_IOC_NR_STATS	0x01

#define RATMEM_IOC_API	  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_API, struct ratmem_api)
#define RATMEM_IOC_STATS  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_STATS, struct ratmem_stats)

#endif /* _UAPI_LINUX_RATMEM_H */
