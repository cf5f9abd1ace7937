/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ratmem: handle-based memory regions with capability sharing and
 * revocation. User-space ABI of /dev/ratmem.
 *
 * ABI rules (docs/abi.md): fixed-width fields only, pointers
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
/* Regions and handles: CREATE, QUERY, DUP and CLOSE. */
#define RATMEM_FEATURE_HANDLES		_BITULL(2)
/*
 * Memory: COMMIT and DECOMMIT, RATMEM_CREATE_COMMIT, mmap of a handle
 * with W^X, and the pages and mappings counters of RATMEM_IOC_STATS.
 */
#define RATMEM_FEATURE_MEMORY		_BITULL(3)
/*
 * Sharing: GRANT, ACCEPT and REVOKE, the ENOLINK error of revoked
 * handles, and the grants counter of RATMEM_IOC_STATS.
 */
#define RATMEM_FEATURE_SHARING		_BITULL(4)
/* Named regions: NAMED_CREATE, NAMED_OPEN, UNLINK and the names counter. */
#define RATMEM_FEATURE_NAMED		_BITULL(5)
/* WAIT and WAKE on 32-bit words of a region. */
#define RATMEM_FEATURE_WAIT		_BITULL(6)
/*
 * Quotas: per-process accounting, RATMEM_IOC_QUOTA and EDQUOT when a
 * request would pass a limit (docs/abi.md, "Quotas and EDQUOT").
 */
#define RATMEM_FEATURE_QUOTA		_BITULL(7)
/*
 * Events and inspection over the generic netlink family "ratmem"
 * (<linux/ratmem_genl.h>).
 */
#define RATMEM_FEATURE_EVENTS		_BITULL(8)
/*
 * NAMED_CREATE takes a page size and, with RATMEM_CREATE_NODE, a NUMA
 * node, as CREATE does.
 */
#define RATMEM_FEATURE_NAMED_PLACEMENT	_BITULL(9)
/*
 * Regions of 2 MiB pages (page_shift RATMEM_PAGE_SHIFT_2M) and
 * RATMEM_CREATE_PAGE_AUTO; on every kernel, mapped with PTEs at least.
 */
#define RATMEM_FEATURE_HUGE_PAGES	_BITULL(10)
/*
 * 2 MiB pages are mapped with one PMD each where the mapping allows
 * (kernels with huge pfnmap support, 6.12 and later).
 */
#define RATMEM_FEATURE_HUGE_PMD		_BITULL(11)
/*
 * RATMEM_IOC_POPULATE, and fault-around: a fault maps its neighbours
 * too (module parameter fault_around_pages; MADV_SEQUENTIAL and
 * MADV_RANDOM on the mapping are hints).
 */
#define RATMEM_FEATURE_POPULATE		_BITULL(12)
/*
 * NUMA placement and migration: a placement policy per region (struct
 * ratmem_create.policy and .nodemask, RATMEM_IOC_POLICY), RATMEM_IOC_MIGRATE
 * (eager and lazy) and RATMEM_IOC_NODES (docs/numa.md).
 */
#define RATMEM_FEATURE_NUMA		_BITULL(13)
/*
 * Sealed regions: RATMEM_IOC_SEAL adds RATMEM_SEAL_* bits that never come
 * off; struct ratmem_query.seals reports them (docs/semantics.md).
 */
#define RATMEM_FEATURE_SEAL		_BITULL(14)
/*
 * Leases: a grant that revokes itself (struct ratmem_grant.lease_ns),
 * RATMEM_IOC_LEASE to extend or read it, RATMEM_QUERY_LEASED.
 */
#define RATMEM_FEATURE_LEASE		_BITULL(15)
/*
 * Revocation notices: poll() on a context reports POLLPRI while
 * RATMEM_IOC_READ_NOTICES has records of its grants being revoked, or
 * about to be; REVOKE with a deadline (struct ratmem_revoke.deadline_ns,
 * RATMEM_REVOKE_WAIT), RATMEM_QUERY_REVOKING (docs/semantics.md).
 */
#define RATMEM_FEATURE_NOTICE		_BITULL(16)
/*
 * Sub-range grants: RATMEM_IOC_GRANT_RANGE shares part of a region, which
 * the grantee sees as a region of that size (docs/semantics.md).
 */
#define RATMEM_FEATURE_GRANT_RANGE	_BITULL(17)

/*
 * Rights of a handle. A handle can be duplicated with fewer rights,
 * never more; a region's maximum rights bound every handle to it.
 */
#define RATMEM_RIGHT_READ	0x01U	/* map readable */
#define RATMEM_RIGHT_WRITE	0x02U	/* map writable */
#define RATMEM_RIGHT_EXEC	0x04U	/* map executable */
#define RATMEM_RIGHT_MAP	0x08U	/* map at all */
#define RATMEM_RIGHT_GRANT	0x10U	/* share onward */
#define RATMEM_RIGHTS_ALL	0x1fU

/* The page size of a region: 4 KiB, or 2 MiB (RATMEM_FEATURE_HUGE_PAGES). */
#define RATMEM_PAGE_SHIFT_4K	12
#define RATMEM_PAGE_SHIFT_2M	21

/*
 * Placement policies (struct ratmem_create.policy, struct ratmem_policy.mode).
 * A policy decides where pages allocated from then on go; pages already
 * resident stay until RATMEM_IOC_MIGRATE moves them. Node masks name
 * nodes 0 to 63, each online.
 * - DEFAULT: numa_node at CREATE when it is not -1, else the node of the
 *   CPU that faults; other nodes when that one is full. The mask is 0.
 * - PREFERRED: the one node of the mask, other nodes when it is full.
 * - BIND: only the nodes of the mask, the faulting CPU's first when it is
 *   one of them. When none has memory, a fault gets VM_FAULT_OOM and
 *   POPULATE ENOMEM: pages never spill to other nodes.
 * - INTERLEAVE: page N of the region (in its page size) on the (N mod
 *   k)-th of the k nodes of the mask, other nodes when that one is full.
 */
#define RATMEM_POLICY_DEFAULT		0U
#define RATMEM_POLICY_PREFERRED		1U
#define RATMEM_POLICY_BIND		2U
#define RATMEM_POLICY_INTERLEAVE	3U
#define RATMEM_POLICY_MAX		RATMEM_POLICY_INTERLEAVE
#define RATMEM_NODEMASK_BITS		64

/* No region is ever larger than this, whatever region_size_max says. */
#define RATMEM_REGION_SIZE_LIMIT	(_BITULL(40))

/* Handle numbers run from 1 to RATMEM_HANDLE_MAX. */
#define RATMEM_HANDLE_MAX	((1U << 23) - 1)

/*
 * mmap offsets. A mapping of handle H starting at byte B of its region
 * is made with offset RATMEM_MMAP_OFFSET(H) + B: the handle sits above
 * the largest region offset. Only MAP_SHARED is accepted. Note that a
 * 32-bit process (mmap2 offsets below 2^44) can reach handles 1 to 15.
 */
/*
 * Mapping rules (docs/abi.md, "mmap"):
 * - MAP_SHARED only; MAP_PRIVATE fails with EINVAL. The range
 *   [B, B + length) must lie inside the region (else EINVAL).
 * - The handle needs RATMEM_RIGHT_MAP, and READ, WRITE or EXEC for
 *   PROT_READ, PROT_WRITE or PROT_EXEC; a missing right fails with
 *   EACCES. PROT_WRITE | PROT_EXEC together fail with EACCES, in mmap
 *   and in mprotect.
 * - Each mapping's capabilities are fixed when it is made: it may
 *   become writable only if the handle has WRITE, and executable only if
 *   the handle has EXEC (mprotect cannot add a right later). A mapping
 *   made with PROT_WRITE can never become executable, one made with
 *   PROT_EXEC never writable; one made with PROT_READ or PROT_NONE may
 *   later become either (one at a time), so it can be filled and then
 *   switched to PROT_READ | PROT_EXEC (the JIT sequence).
 * - Per region, across processes: while any mapping of a region can be
 *   made writable, no other mapping of it can be executable, and the
 *   reverse. A request that would break this fails with EACCES.
 * - Pages appear on first touch of a committed page, zero-filled.
 *   Touching a page that is not committed raises SIGBUS (BUS_ADRERR).
 * - Mappings are not inherited by fork() (madvise(MADV_DOFORK) fails),
 *   cannot grow with mremap(), are left out of core dumps, and cannot be
 *   pinned by get_user_pages: O_DIRECT, process_vm_readv(), vmsplice()
 *   and /proc/PID/mem fail on them.
 */
#define RATMEM_MMAP_HANDLE_SHIFT	40
#define RATMEM_MMAP_OFFSET(handle)	((__u64)(handle) << RATMEM_MMAP_HANDLE_SHIFT)

/* Flags of struct ratmem_create. */
#define RATMEM_CREATE_COMMIT	0x1U	/* commit the whole region at once */
/*
 * Let the module choose the page size (page_shift must be 0): 2 MiB when
 * the module maps 2 MiB pages with PMDs (RATMEM_FEATURE_HUGE_PMD) and
 * the size is a multiple of 2 MiB and at least the module parameter
 * huge_auto_min_bytes (default 4 MiB); else 4 KiB. The page_shift field
 * reports the choice. (RATMEM_FEATURE_HUGE_PAGES)
 */
#define RATMEM_CREATE_PAGE_AUTO	0x4U
#define RATMEM_CREATE_FLAGS	(RATMEM_CREATE_COMMIT | RATMEM_CREATE_PAGE_AUTO)
/*
 * NAMED_CREATE only: struct ratmem_named_create.numa_node holds a node.
 * CREATE always reads its numa_node (-1 there is no preference).
 */
#define RATMEM_CREATE_NODE	0x2U
#define RATMEM_NAMED_CREATE_FLAGS	(RATMEM_CREATE_COMMIT | RATMEM_CREATE_NODE | \
					 RATMEM_CREATE_PAGE_AUTO)

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
 * @regions: out: live regions.
 * @handles: out: live handles, in all contexts.
 * @pages: out: pages ratmem has allocated for committed memory.
 * @mappings: out: live mappings (VMAs) of regions, in all processes.
 * @grants: out: live capabilities made by RATMEM_IOC_GRANT: pending,
 *	accepted, or revoked but still held by a handle or mapping
 *	(RATMEM_FEATURE_SHARING).
 * @names: out: region names, in all user namespaces
 *	(RATMEM_FEATURE_NAMED).
 * @reserved: in: must be zero; out: zero.
 *
 * All counters return to their starting values when the objects they
 * count are closed. The module cannot be unloaded while a context is
 * open or a name exists.
 */
struct ratmem_stats {
	__u32 flags;
	__u32 pad;
	__u64 contexts;
	__u64 regions;
	__u64 handles;
	__u64 pages;
	__u64 mappings;
	__u64 grants;
	__u64 names;
	__u64 reserved;
};

/**
 * struct ratmem_create - create a region (RATMEM_IOC_CREATE)
 * @size: in: bytes; a non-zero multiple of the page size, at most the
 *	module's region_size_max parameter.
 * @flags: in: RATMEM_CREATE_COMMIT, RATMEM_CREATE_PAGE_AUTO, or 0.
 * @rights: in: the region's maximum rights (RATMEM_RIGHT_*), non-zero;
 *	the new handle gets all of them.
 * @page_shift: in: 0 (default, 4 KiB, or the module's choice with
 *	RATMEM_CREATE_PAGE_AUTO), RATMEM_PAGE_SHIFT_4K or
 *	RATMEM_PAGE_SHIFT_2M; out: the region's.
 * @numa_node: in: -1 for no preference, or an online NUMA node; -1
 *	unless @policy is RATMEM_POLICY_DEFAULT.
 * @handle: out: the new handle, never 0.
 * @policy: in: RATMEM_POLICY_* (0, the default, before version 0.6.0,
 *	when this field was padding that had to be 0).
 * @region_id: out: the region's id, never reused while the module is
 *	loaded.
 * @nodemask: in: bit N for node N: one node for RATMEM_POLICY_PREFERRED,
 *	one or more for BIND and INTERLEAVE, 0 for DEFAULT (this was
 *	reserved, and had to be 0, before 0.6.0).
 * @reserved: in: must be zero.
 *
 * A new region is reserved: no byte of it is committed, unless @flags
 * has RATMEM_CREATE_COMMIT, which commits all of it.
 *
 * A region of 2 MiB pages has a size that is a multiple of 2 MiB, and
 * COMMIT and DECOMMIT take only 2 MiB-aligned offsets and lengths
 * (EINVAL otherwise). Each page is physically contiguous. It may be
 * mapped at any 4 KiB-aligned offset and length: where a mapping covers
 * a whole 2 MiB page at a 2 MiB-aligned address, and the module has
 * RATMEM_FEATURE_HUGE_PMD, one PMD maps it; elsewhere PTEs map the same
 * page. mmap() places mappings of 2 MiB or more at a 2 MiB-aligned
 * address where their offset is 2 MiB aligned.
 */
struct ratmem_create {
	__u64 size;
	__u32 flags;
	__u32 rights;
	__u32 page_shift;
	__s32 numa_node;
	__u32 handle;
	__u32 policy;
	__u64 region_id;
	__u64 nodemask;
	__u64 reserved;
};

/**
 * struct ratmem_query - describe a handle (RATMEM_IOC_QUERY)
 * @handle: in: the handle.
 * @flags: in: must be 0.
 * @size: out: the region's size in bytes (a sub-range grant's handle:
 *	the range's, RATMEM_IOC_GRANT_RANGE).
 * @committed: out: committed bytes of the region (of the range).
 * @region_id: out: the region's id.
 * @rights: out: this handle's rights.
 * @max_rights: out: the region's maximum rights.
 * @page_shift: out: log2 of the region's page size.
 * @seals: in: ignored; out: the region's RATMEM_SEAL_* bits (0 before
 *	version 0.7.0, when this field was padding).
 * @owner_uid: in: must be 0; out: for a named region (@info has
 *	RATMEM_QUERY_NAMED), its creator's fsuid as seen in the caller's
 *	user namespace (the overflow uid, 65534, when unmapped there); else 0.
 * @owner_gid: in: must be 0; out: likewise the creator's fsgid.
 * @mode: in: must be 0; out: a named region's permission bits, else 0.
 * @info: in: must be 0; out: RATMEM_QUERY_* bits.
 *
 * A named region keeps its owner and mode after UNLINK, so a client can
 * check who made a well-known name before it writes into it, as fstat()
 * does for a POSIX shared memory object. (These four fields were
 * reserved, zero both ways, before version 0.5.0; a caller that still
 * zeroes them works unchanged.)
 */
struct ratmem_query {
	__u32 handle;
	__u32 flags;
	__u64 size;
	__u64 committed;
	__u64 region_id;
	__u32 rights;
	__u32 max_rights;
	__u32 page_shift;
	__u32 seals;
	__u32 owner_uid;
	__u32 owner_gid;
	__u32 mode;
	__u32 info;
};

/* struct ratmem_query.info: the region was made by NAMED_CREATE. */
#define RATMEM_QUERY_NAMED	0x1U
/*
 * struct ratmem_query.info: the handle's grant has a lease running
 * (RATMEM_IOC_LEASE reads what is left of it).
 */
#define RATMEM_QUERY_LEASED	0x2U
/*
 * struct ratmem_query.info: the handle's grant, or one it was made
 * through, is being revoked with a deadline (RATMEM_IOC_REVOKE): it
 * works until then, and RATMEM_IOC_READ_NOTICES says when.
 */
#define RATMEM_QUERY_REVOKING	0x4U

/**
 * struct ratmem_dup - duplicate a handle with equal or fewer rights
 *	(RATMEM_IOC_DUP)
 * @handle: in: the handle to duplicate.
 * @rights: in: rights of the new handle; a subset of @handle's rights,
 *	else EPERM.
 * @flags: in: must be 0.
 * @new_handle: out: the new handle.
 * @reserved: in: must be zero.
 */
struct ratmem_dup {
	__u32 handle;
	__u32 rights;
	__u32 flags;
	__u32 new_handle;
	__u64 reserved[2];
};

/**
 * struct ratmem_close - close a handle (RATMEM_IOC_CLOSE)
 * @handle: in: the handle; its number may be reused by later handles.
 * @flags: in: must be 0.
 * @reserved: in: must be zero.
 *
 * The region lives on while other handles refer to it.
 */
struct ratmem_close {
	__u32 handle;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * struct ratmem_range - commit or decommit pages of a region
 *	(RATMEM_IOC_COMMIT, RATMEM_IOC_DECOMMIT)
 * @handle: in: a handle with the RATMEM_RIGHT_WRITE right (else EPERM).
 * @flags: in: must be 0.
 * @offset: in: first byte of the range; a multiple of the page size.
 * @length: in: bytes; non-zero, a multiple of the page size, and
 *	@offset + @length must not pass the end of the region.
 * @reserved: in: must be zero.
 *
 * Commit makes the range usable: each page reads as zero when first
 * touched. Committing committed pages changes nothing.
 *
 * Decommit removes the range's pages from every mapping of the region,
 * in every process, then frees them; a later access raises SIGBUS
 * until the range is committed again, and then it reads as zero.
 * Decommitting uncommitted pages changes nothing.
 */
struct ratmem_range {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u64 length;
	__u64 reserved[2];
};

/**
 * struct ratmem_populate - map a range of the caller's ratmem mappings now
 *	(RATMEM_IOC_POPULATE, RATMEM_FEATURE_POPULATE)
 * @addr: in: first byte, page aligned, of mappings of /dev/ratmem in the
 *	caller's address space (any context's, any region's).
 * @length: in: bytes; non-zero, page aligned, no wrap-around.
 * @flags: in: must be 0.
 * @pad: in: must be 0.
 * @reserved: in: must be zero.
 *
 * Every page of the range becomes resident and mapped, as if each had
 * been touched, so that touching it later takes no fault. (madvise's
 * MADV_POPULATE_READ and _WRITE refuse pfn mappings.) In regions of 2
 * MiB pages, with RATMEM_FEATURE_HUGE_PMD, the pages only become
 * resident, and the first touch of each maps it with one PMD. On error,
 * the pages populated so far stay. Errors: ENOMEM (a part is not mapped,
 * or no memory), EINVAL (bad arguments, or a part is not a ratmem
 * mapping), EFAULT (a page is not committed, or a mapping is PROT_NONE),
 * ENOLINK (a mapping's capability is revoked), EINTR (fatal signal).
 */
struct ratmem_populate {
	__u64 addr;
	__u64 length;
	__u32 flags;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct ratmem_policy - change a region's placement policy
 *	(RATMEM_IOC_POLICY, RATMEM_FEATURE_NUMA)
 * @handle: in: a handle with RATMEM_RIGHT_WRITE, or one carrying the
 *	region's owner capability (else EPERM).
 * @flags: in: must be 0.
 * @mode: in: RATMEM_POLICY_*.
 * @pad: in: must be 0.
 * @nodemask: in: as struct ratmem_create.nodemask for @mode.
 * @reserved: in: must be zero.
 *
 * Pages allocated from now on follow the new policy; resident pages stay
 * where they are (RATMEM_IOC_MIGRATE moves them). RATMEM_POLICY_DEFAULT
 * also forgets the node CREATE was given. Errors: EINVAL (bad mode, a
 * mask that does not fit it, a node that is not online), EPERM, ENOLINK.
 */
struct ratmem_policy {
	__u32 handle;
	__u32 flags;
	__u32 mode;
	__u32 pad;
	__u64 nodemask;
	__u64 reserved[2];
};

/* struct ratmem_migrate.flags: mark the pages now, move each on its next fault. */
#define RATMEM_MIGRATE_LAZY	0x1U
#define RATMEM_MIGRATE_FLAGS	RATMEM_MIGRATE_LAZY

/**
 * struct ratmem_migrate - move the resident pages of a range to a node
 *	(RATMEM_IOC_MIGRATE, RATMEM_FEATURE_NUMA)
 * @handle: in: a handle with RATMEM_RIGHT_WRITE, or one carrying the
 *	region's owner capability (else EPERM).
 * @flags: in: 0 (eager) or RATMEM_MIGRATE_LAZY.
 * @offset: in: byte offset in the region, aligned to its page size.
 * @length: in: bytes, non-zero, aligned to its page size, inside it.
 * @node: in: an online node.
 * @pad: in: must be 0.
 * @pages: out: 4 KiB pages of the range that were resident and not on
 *	@node: moved (eager) or marked (lazy).
 * @reserved: in: must be zero.
 *
 * Every mapping of the range, in every process, loses its PTEs first,
 * so that no process writes to a page while it is copied; a later
 * access faults and maps the page where it is then.
 * - Eager: each page is copied to a new page on @node now; the old page
 *   is freed. Pages @node cannot give stay where they are, and the call
 *   fails with ENOMEM after moving what it could.
 * - Lazy: the pages are only marked. The next fault on a marked page,
 *   from any process, copies it to @node first (WAIT reads the word
 *   where the page is); when @node has no memory then, the page stays where it
 *   is. A later MIGRATE of the page replaces the mark.
 * Pages that are not resident are not touched: they appear where the
 * region's policy says. Decommit drops marks with the pages. Errors:
 * EINVAL, EPERM, ENOLINK (revoked), ENOMEM, EINTR (fatal signal; the
 * pages handled so far stay moved).
 */
struct ratmem_migrate {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u64 length;
	__s32 node;
	__u32 pad;
	__u64 pages;
	__u64 reserved[2];
};

/**
 * struct ratmem_nodes - where a region's pages are (RATMEM_IOC_NODES,
 *	RATMEM_FEATURE_NUMA)
 * @handle: in: any handle of the region.
 * @flags: in: must be 0.
 * @mode: out: the region's RATMEM_POLICY_*.
 * @nr_nodes: in: entries of @counts, at most 1024 (0: only the other
 *	fields are filled); out: nr_node_ids, the number of node ids the
 *	system may have.
 * @nodemask: out: the policy's mask.
 * @counts: in: user address of an array of @nr_nodes __u64; out there:
 *	resident 4 KiB pages of the region on each node.
 * @pending: out: resident 4 KiB pages marked for lazy migration.
 * @node: out: the node given at CREATE (policy DEFAULT), or -1.
 * @pad: out: 0.
 * @reserved: in: must be zero.
 */
struct ratmem_nodes {
	__u32 handle;
	__u32 flags;
	__u32 mode;
	__u32 nr_nodes;
	__u64 nodemask;
	__u64 counts;
	__u64 pending;
	__s32 node;
	__u32 pad;
	__u64 reserved[2];
};

#define RATMEM_NODES_MAX	1024U

/*
 * Sharing (docs/abi.md, "Capabilities and revoked handles").
 *
 * Every handle descends from a capability. The handles made by CREATE
 * and NAMED_CREATE (and their DUPs) carry the region's owner
 * capability; GRANT and NAMED_OPEN make new capabilities, children of the
 * one the granting or opened handle carries, and ACCEPT hands out the
 * granted one. Revoking a capability
 * revokes every capability below it as well, and with them:
 * - every handle made from them: their ioctls fail with ENOLINK (CLOSE
 *   still works and is how the number is given back);
 * - every mapping made through them, in every process: before REVOKE
 *   returns, their pages are removed (zap_vma_ptes), and a later access
 *   raises SIGBUS (BUS_ADRERR), or kills the process when the module
 *   parameter violation_policy is "kill";
 * - every WAIT on them, which returns ENOLINK.
 * The region itself, its data and every other handle are untouched.
 * A context's grants are revoked when the context is released: when the
 * process exits, or closes its last descriptor of it and unmaps its last
 * mapping made through it (each mapping holds the descriptor's file).
 */

/*
 * struct ratmem_grant.flags: none yet. A capability id is 64 bits, not
 * 0, unpredictable, and never issued twice while the module is loaded.
 */
#define RATMEM_GRANT_FLAGS	0x0U

/**
 * struct ratmem_grant - share a region with one process (RATMEM_IOC_GRANT)
 * @handle: in: a handle with RATMEM_RIGHT_GRANT (else EPERM).
 * @rights: in: the rights to hand over; non-zero, a subset of @handle's
 *	rights (else EPERM). They may include RATMEM_RIGHT_GRANT, which
 *	lets the receiver share onward with equal or fewer rights.
 * @pidfd: in: a pidfd (pidfd_open(2), CLONE_PIDFD) naming the one
 *	process that may accept. EBADF when it is not an open descriptor,
 *	EINVAL when it is not a pidfd, ESRCH when the process (or, for a
 *	thread pidfd, the thread) has exited.
 * @flags: in: must be 0.
 * @cap_id: out: the capability's id, to be passed to the target (for
 *	example as the text "MEM_SHARE:<id in hex>").
 * @lease_ns: in: 0, or a lease (RATMEM_FEATURE_LEASE): the grant revokes
 *	itself this many nanoseconds from now (CLOCK_MONOTONIC), exactly as
 *	REVOKE would, unless RATMEM_IOC_LEASE extends it first; at most
 *	RATMEM_LEASE_MAX_NS (else EINVAL). Was reserved before 0.7.0.
 * @reserved: in: must be zero.
 *
 * The capability stays pending until the target accepts it, and lives
 * until it is revoked, its lease ends, or the granting context is
 * released.
 */
struct ratmem_grant {
	__u32 handle;
	__u32 rights;
	__s32 pidfd;
	__u32 flags;
	__u64 cap_id;
	__u64 lease_ns;
	__u64 reserved;
};

/**
 * struct ratmem_grant_range - share part of a region with one process
 *	(RATMEM_IOC_GRANT_RANGE, RATMEM_FEATURE_GRANT_RANGE)
 * @handle: in: as for RATMEM_IOC_GRANT.
 * @rights: in: as for RATMEM_IOC_GRANT.
 * @pidfd: in: as for RATMEM_IOC_GRANT.
 * @flags: in: must be 0.
 * @cap_id: out: the capability's id.
 * @lease_ns: in: as for RATMEM_IOC_GRANT.
 * @offset: in: where the shared range starts, in @handle's view of the
 *	region (which is itself a range when @handle came from a sub-range
 *	grant); a multiple of the region's page size.
 * @length: in: the range's length; not 0, a multiple of the region's
 *	page size, and @offset + @length within @handle's view (else
 *	EINVAL).
 * @reserved: in: must be zero.
 *
 * Everything GRANT does, for [@offset, @offset + @length) only: the
 * grantee's handle sees that range as a region of @length bytes at
 * offset 0. Its mmap, COMMIT, DECOMMIT, MIGRATE, WAIT, WAKE, QUERY and
 * re-grants are bounded by the range and translated into it; a re-grant
 * may narrow it further, never widen it. Revocation is as for any grant.
 * The quotas charge @length shared bytes, not the region's size.
 */
struct ratmem_grant_range {
	__u32 handle;
	__u32 rights;
	__s32 pidfd;
	__u32 flags;
	__u64 cap_id;
	__u64 lease_ns;
	__u64 offset;
	__u64 length;
	__u64 reserved[2];
};

/**
 * struct ratmem_accept - turn a capability into a handle (RATMEM_IOC_ACCEPT)
 * @cap_id: in: the id from RATMEM_IOC_GRANT.
 * @flags: in: must be 0.
 * @handle: out: the new handle, with the capability's rights.
 * @rights: out: those rights.
 * @pad: out: 0.
 * @region_id: out: the region's id.
 * @size: out: the region's size in bytes; for a sub-range grant, the
 *	range's (RATMEM_IOC_GRANT_RANGE).
 * @reserved: in: must be zero.
 *
 * ENOENT when there is no pending capability with this id for the
 * calling process: an id never issued, issued to another process,
 * already accepted, or revoked all fail alike, so nothing can be
 * learnt by guessing.
 */
struct ratmem_accept {
	__u64 cap_id;
	__u32 flags;
	__u32 handle;
	__u32 rights;
	__u32 pad;
	__u64 region_id;
	__u64 size;
	__u64 reserved[2];
};

/**
 * struct ratmem_revoke - revoke a capability (RATMEM_IOC_REVOKE)
 * @handle: in: a handle with RATMEM_RIGHT_GRANT to the same region,
 *	carrying the capability the grant was made through or one above
 *	it: the granter's handles, and the region owner's handles for
 *	every grant of the region.
 * @flags: in: 0, or RATMEM_REVOKE_WAIT (RATMEM_FEATURE_NOTICE).
 * @cap_id: in: the capability; pending or accepted.
 * @deadline_ns: in: 0 to revoke now; else the grace period in
 *	nanoseconds, at most RATMEM_LEASE_MAX_NS (RATMEM_FEATURE_NOTICE;
 *	was reserved before 0.8.0, so zero keeps the old behaviour).
 * @reserved: in: must be zero.
 *
 * ENOENT when @handle cannot reach a live capability with this id
 * (including one already revoked); the call first waits for any
 * revocation of the region still running in another thread, and
 * finishes one that was interrupted, so ENOENT too means no PTE made
 * through a revoked capability of the region is left. On success the
 * capability and all below it are revoked, as described above, before
 * the call returns.
 *
 * EINTR when a fatal signal arrives while the call waits for another
 * process's mmap_lock (or another revocation of the region): the
 * capabilities are already marked, so every handle made from them fails
 * with ENOLINK and no new page can be mapped through them, but pages
 * already mapped may remain until the sweep finishes. Any later REVOKE
 * on the region (a retry gets 0 or ENOENT) finishes it, and the module
 * finishes it in the background otherwise.
 *
 * With a deadline the call only starts the revocation (docs/semantics.md,
 * "Revocation with notice"): every holder of the capability and of the
 * capabilities below it gets a RATMEM_NOTICE_REVOKING record on the
 * context it accepted them in, and keeps its access until the deadline
 * or until every one of them has let go (closed its handles and
 * unmapped), whichever comes first; then the revocation happens exactly
 * as without a deadline. No grant or re-grant can be made through them
 * meanwhile, and the lease cannot be changed (EBUSY). A second REVOKE can
 * only bring the deadline closer: 0 revokes at once. When the
 * revocation is complete, the caller's context gets a
 * RATMEM_NOTICE_REVOKED record for @cap_id (the first caller's, when
 * several asked). With RATMEM_REVOKE_WAIT the call returns only then, 0;
 * EINTR on a signal, with the revocation still under way.
 */
struct ratmem_revoke {
	__u32 handle;
	__u32 flags;
	__u64 cap_id;
	__u64 deadline_ns;
	__u64 reserved;
};

/* struct ratmem_revoke.flags: return when the revocation is complete. */
#define RATMEM_REVOKE_WAIT	0x1U

/*
 * Named regions (docs/abi.md, "Named regions"). A name is 1 to RATMEM_NAME_MAX - 1
 * bytes of [A-Za-z0-9._-], not starting with '.', passed as a pointer
 * to a NUL-terminated string (EINVAL otherwise, ENAMETOOLONG when
 * longer). Names are scoped to the caller's user namespace. A name
 * holds its region: the region lives until the name is unlinked and the
 * last handle and mapping are gone.
 */
#define RATMEM_NAME_MAX		64

/* Permission bits of a named region (struct ratmem_named_create.mode). */
#define RATMEM_MODE_MASK	0777U

/**
 * struct ratmem_named_create - create a named region (RATMEM_IOC_NAMED_CREATE)
 * @name: in: pointer to the name.
 * @size: in: as in struct ratmem_create.
 * @flags: in: RATMEM_CREATE_COMMIT, RATMEM_CREATE_NODE and
 *	RATMEM_CREATE_PAGE_AUTO, or 0.
 * @rights: in: the region's maximum rights, non-zero; the new handle
 *	gets all of them.
 * @mode: in: permission bits (RATMEM_MODE_MASK) for RATMEM_IOC_NAMED_OPEN,
 *	checked like a file's against the creator's fsuid and fsgid;
 *	the umask is not applied.
 * @handle: out: the new handle, carrying the owner capability.
 * @region_id: out: the region's id.
 * @page_shift: in: as in struct ratmem_create.
 * @numa_node: in: with RATMEM_CREATE_NODE, -1 or an online NUMA node, as
 *	in struct ratmem_create; without it, must be 0 (no preference).
 * @reserved: in: must be zero.
 *
 * EEXIST when the name exists in the caller's user namespace; ENOSPC
 * when the caller's fsuid already owns max_names_per_user names (module
 * parameter, counted across every user namespace). The name appears only
 * once nothing can fail any more, so a failed call leaves no trace; the
 * output fields may have been written even then.
 */
struct ratmem_named_create {
	__u64 name;
	__u64 size;
	__u32 flags;
	__u32 rights;
	__u32 mode;
	__u32 handle;
	__u64 region_id;
	__u32 page_shift;
	__s32 numa_node;
	__u64 reserved;
};

/**
 * struct ratmem_named_open - open a named region (RATMEM_IOC_NAMED_OPEN)
 * @name: in: pointer to the name.
 * @rights: in: rights asked for, including at least one of READ, WRITE
 *	and EXEC (else EINVAL: like shm_open(), an open always asks for an
 *	access the mode decides), within the region's maximum rights (else
 *	EPERM). READ needs the mode's read bit for the caller (owner, group
 *	or other, as for a file), WRITE the write bit, EXEC the execute bit
 *	(else EACCES); CAP_DAC_OVERRIDE in the name's user namespace
 *	overrides the mode when the name's owner is mapped there.
 * @flags: in: must be 0.
 * @handle: out: the new handle.
 * @pad: in: must be 0.
 * @region_id: out: the region's id.
 * @size: out: the region's size in bytes.
 * @reserved: in: must be zero.
 *
 * ENOENT when the name does not exist in the caller's user namespace.
 */
struct ratmem_named_open {
	__u64 name;
	__u32 rights;
	__u32 flags;
	__u32 handle;
	__u32 pad;
	__u64 region_id;
	__u64 size;
	__u64 reserved[2];
};

/* Also revoke every handle opened through the name, except the owner's. */
#define RATMEM_UNLINK_REVOKE	0x1U
/*
 * Administrator removal: the name of region @region_id goes, in whichever
 * user namespace it lives, and everything opened through it is revoked
 * (the creator's opens too). Needs CAP_SYS_ADMIN in the initial user
 * namespace (else EPERM); @name must be 0.
 */
#define RATMEM_UNLINK_BY_ID	0x2U
#define RATMEM_UNLINK_FLAGS	(RATMEM_UNLINK_REVOKE | RATMEM_UNLINK_BY_ID)

/**
 * struct ratmem_unlink - remove a name (RATMEM_IOC_UNLINK)
 * @name: in: pointer to the name; 0 with RATMEM_UNLINK_BY_ID.
 * @flags: in: RATMEM_UNLINK_* bits.
 * @pad: in: must be 0.
 * @region_id: in: with RATMEM_UNLINK_BY_ID, the region whose name is
 *	removed (ENOENT when it has none); else must be 0.
 * @reserved: in: must be zero.
 *
 * Only the name's owner (its fsuid at creation) or a holder of
 * CAP_FOWNER in the name's user namespace, where the owner is mapped, may
 * unlink (else EPERM);
 * ENOENT when there is no such name. Handles keep working, unless
 * RATMEM_UNLINK_REVOKE is given: then every capability opened through
 * the name by a process other than its creator is revoked (with what
 * was granted onward from it) before the call returns. Grants the
 * creator made itself are not touched. EINTR as for REVOKE: the name is
 * gone and the opens are marked; the module finishes their sweep.
 */
struct ratmem_unlink {
	__u64 name;
	__u32 flags;
	__u32 pad;
	__u64 region_id;
	__u64 reserved;
};

/*
 * Wait and wake on a 32-bit word of a region, keyed by (region, offset)
 * so that every process and every mapping address meet at the same key.
 * Shared futexes fail with EFAULT on ratmem mappings (VM_PFNMAP cannot be
 * pinned); private futexes work only between threads of one process. The
 * offset must be a multiple of 4 inside the region (EINVAL) and on a
 * committed page (EFAULT). Both need RATMEM_RIGHT_READ (else EPERM).
 */
/* Wait without a time limit (struct ratmem_wait.timeout_ns). */
#define RATMEM_WAIT_FOREVER	(-1)

/**
 * struct ratmem_wait - sleep while a word has a value (RATMEM_IOC_WAIT)
 * @handle: in: the handle.
 * @flags: in: must be 0.
 * @offset: in: byte offset of the word in the region.
 * @expected: in: the value the caller saw.
 * @pad: in: must be 0.
 * @timeout_ns: in: relative time limit in nanoseconds, 0 to only check,
 *	or RATMEM_WAIT_FOREVER; other negative values are EINVAL.
 * @reserved: in: must be zero.
 *
 * The word is compared with @expected and the caller queued in one
 * step with respect to RATMEM_IOC_WAKE. Decommitting the word's page
 * does not end the wait. Return: 0 when woken by WAKE,
 * EAGAIN when the word is not @expected, ETIMEDOUT when the time limit
 * passes, EINTR on a signal, ENOLINK when the handle is or becomes
 * revoked.
 */
struct ratmem_wait {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u32 expected;
	__u32 pad;
	__s64 timeout_ns;
	__u64 reserved[2];
};

/**
 * struct ratmem_wake - wake waiters of a word (RATMEM_IOC_WAKE)
 * @handle: in: the handle.
 * @flags: in: must be 0.
 * @offset: in: byte offset of the word in the region.
 * @count: in: most waiters to wake, non-zero; ~0U for all.
 * @woken: out: how many were woken, oldest first (ignored on input).
 * @reserved: in: must be zero.
 */
struct ratmem_wake {
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u32 count;
	__u32 woken;
	__u64 reserved[2];
};

/*
 * Resources a process is accounted for: indices of the usage and limit
 * arrays of struct ratmem_quota (and of the netlink usage and limit
 * nests, plus one). A process is one thread group, whatever number of
 * contexts it opens.
 */
/* Bytes of the regions the process created (CREATE, NAMED_CREATE). */
#define RATMEM_RES_RESERVED	0
/* Committed bytes of those regions, whoever committed them. */
#define RATMEM_RES_COMMITTED	1
/* Region bytes it granted out (pending or live) plus accepted in. */
#define RATMEM_RES_SHARED	2
/* Handles open in all its contexts. */
#define RATMEM_RES_HANDLES	3
/* Grants it issued that are pending or live. */
#define RATMEM_RES_GRANTS	4
#define RATMEM_RES_COUNT	5

/* A limit that is never reached. */
#define RATMEM_LIMIT_NONE	(~0ULL)

/* Bits of struct ratmem_quota.set_mask: one per resource. */
#define RATMEM_QUOTA_SET(res)	(1U << (res))
#define RATMEM_QUOTA_SET_ALL	((1U << RATMEM_RES_COUNT) - 1)

/**
 * struct ratmem_quota - read and set a process's limits (RATMEM_IOC_QUOTA)
 * @set_mask: in: RATMEM_QUOTA_SET(res) bits of the limits to change; 0
 *	only reads. Other bits fail with EINVAL.
 * @pidfd: in: a pidfd of the process, or -1 for the caller.
 * @usage: out: what the process uses now, per RATMEM_RES_*.
 * @limit: in: the new limits, for the resources in @set_mask (the
 *	others are ignored); out: the limits after the call.
 * @reserved: in: must be zero; out: zero.
 *
 * Reading another process's figures needs CAP_SYS_RESOURCE (EPERM
 * otherwise; modules cannot ask the ptrace access check). A process
 * may lower its own limits, even below what it uses: its next request
 * fails with EDQUOT until usage falls below the limit. Raising a limit,
 * or changing another process's, needs CAP_SYS_RESOURCE (EPERM).
 * Byte limits are rounded down to whole pages. A process's quota
 * lives while it has a context open, a region it created lives, or a
 * grant it made or accepted is unrevoked, even after the process has
 * exited (a pidfd still names it); one without (it never opened
 * /dev/ratmem, or everything it had is gone) gives ESRCH.
 *
 * A request that would take a resource past its limit fails with
 * EDQUOT and changes nothing; the module reports it as a quota event
 * and, with the module parameter quota_policy=kill, kills the process.
 * Limits start from the module parameters max_reserved_bytes,
 * max_committed_bytes, max_shared_bytes, max_handles and max_grants as
 * they are when the process first opens /dev/ratmem.
 */
struct ratmem_quota {
	__u32 set_mask;
	__s32 pidfd;
	__u64 usage[RATMEM_RES_COUNT];
	__u64 limit[RATMEM_RES_COUNT];
	__u64 reserved;
};

/*
 * Seals of a region (RATMEM_IOC_SEAL), in the manner of memfd's F_SEAL_*.
 * Each forbids, from the moment it is set and for every handle and
 * mapping of the region, the owner's included:
 */
/* COMMIT and DECOMMIT (EPERM): the committed set is frozen. */
#define RATMEM_SEAL_COMMIT		0x01U
/* mprotect() that adds a permission to a mapping of the region (EPERM). */
#define RATMEM_SEAL_PROTECT		0x02U
/*
 * New capabilities with RATMEM_RIGHT_WRITE: GRANT and NAMED_OPEN, and the
 * ACCEPT of a WRITE grant made before the seal (EPERM). Handles accepted
 * before keep their rights.
 */
#define RATMEM_SEAL_GRANT_WRITE		0x04U
/*
 * Writing: no mapping may be writable (mmap with PROT_WRITE fails with
 * EPERM; other mappings lose VM_MAYWRITE, so mprotect() cannot add it),
 * and DECOMMIT fails with EPERM, since it would zero the contents. Setting
 * it fails with EBUSY while any mapping of the region could write.
 */
#define RATMEM_SEAL_WRITE		0x08U
/* More seals (EPERM): the set is final. */
#define RATMEM_SEAL_SEAL		0x10U
#define RATMEM_SEALS_ALL		0x1fU

/**
 * struct ratmem_seal - add seals to a region (RATMEM_IOC_SEAL,
 *	RATMEM_FEATURE_SEAL)
 * @handle: in: a handle carrying the region's owner capability with all
 *	of its rights (else EPERM): a grantee can never seal.
 * @seals: in: RATMEM_SEAL_* bits to add (0 only reads them); out: every
 *	seal of the region now.
 * @flags: in: must be 0.
 * @pad: in: must be 0.
 * @reserved: in: must be zero.
 *
 * Seals are added, never removed, and grantees read them in struct
 * ratmem_query.seals. Errors: EINVAL (unknown bits, nonzero @flags, @pad
 * or @reserved), EBADF, ENOLINK, EPERM (not the owner's full handle, or
 * the region has RATMEM_SEAL_SEAL and @seals adds a bit), EBUSY
 * (RATMEM_SEAL_WRITE while a mapping of the region may write; nothing is
 * added then).
 */
struct ratmem_seal {
	__u32 handle;
	__u32 seals;
	__u32 flags;
	__u32 pad;
	__u64 reserved[2];
};

/* The longest lease: 2^62 ns, about 146 years. */
#define RATMEM_LEASE_MAX_NS	_BITULL(62)
/* struct ratmem_lease.flags: set the lease to lease_ns from now. */
#define RATMEM_LEASE_SET	0x1U

/**
 * struct ratmem_lease - extend or read a grant's lease (RATMEM_IOC_LEASE,
 *	RATMEM_FEATURE_LEASE)
 * @handle: in: a handle to the grant's region. With RATMEM_LEASE_SET it
 *	must have RATMEM_RIGHT_GRANT and carry a capability the grant was
 *	made through, directly or further up (the granter's line, as for
 *	REVOKE): the grantee cannot extend its own lease. Without it, the
 *	grantee's own handle may read too.
 * @flags: in: RATMEM_LEASE_SET, or 0 to read.
 * @cap_id: in: the grant.
 * @lease_ns: in: with RATMEM_LEASE_SET, the lease from now, 1 to
 *	RATMEM_LEASE_MAX_NS (shorter or longer than before; a grant without
 *	a lease gets one); else 0.
 * @remaining_ns: in: 0; out: the nanoseconds left of the lease after
 *	the call, 0 when the grant has none.
 * @reserved: in: must be zero.
 *
 * Errors: EINVAL, EBADF, ENOLINK (the handle is revoked), EPERM (SET
 * without RATMEM_RIGHT_GRANT), ENOENT (no such unrevoked grant that
 * this handle may act on, or its lease has just ended).
 */
struct ratmem_lease {
	__u32 handle;
	__u32 flags;
	__u64 cap_id;
	__u64 lease_ns;
	__u64 remaining_ns;
	__u64 reserved[2];
};

/*
 * struct ratmem_notice.events. A capability has one record at a time:
 * what happened to it since the last read is OR-ed in, so no notice is
 * lost however many arrive.
 */
/* It is being revoked: access ends at @deadline_ns at the latest. */
#define RATMEM_NOTICE_REVOKING	0x1U
/* It was revoked: its handles fail with ENOLINK, its mappings are gone. */
#define RATMEM_NOTICE_REVOKED	0x2U

/**
 * struct ratmem_notice - one record of RATMEM_IOC_READ_NOTICES
 * @cap_id: the capability: a grant this context accepted (@handle is
 *	the handle ACCEPT made), or one whose revocation with a deadline
 *	this context asked for (@handle is 0).
 * @handle: see @cap_id.
 * @events: RATMEM_NOTICE_* bits.
 * @deadline_ns: with RATMEM_NOTICE_REVOKING, when the revocation will
 *	be forced, CLOCK_MONOTONIC nanoseconds; else 0.
 * @reserved: 0.
 */
struct ratmem_notice {
	__u64 cap_id;
	__u32 handle;
	__u32 events;
	__u64 deadline_ns;
	__u64 reserved;
};

/* The most records one RATMEM_IOC_READ_NOTICES returns. */
#define RATMEM_NOTICES_MAX	64

/**
 * struct ratmem_read_notices - take a context's revocation notices
 *	(RATMEM_IOC_READ_NOTICES, RATMEM_FEATURE_NOTICE)
 * @records: in: user pointer to an array of struct ratmem_notice.
 * @count: in: the array's length, 1 to RATMEM_NOTICES_MAX; out: how
 *	many records were filled, oldest first, 0 when none is waiting
 *	(the call never blocks: poll() the context for POLLPRI).
 * @flags: in: must be 0.
 * @reserved: in: must be zero.
 *
 * Records read are gone; EFAULT puts them back.
 */
struct ratmem_read_notices {
	__u64 records;
	__u32 count;
	__u32 flags;
	__u64 reserved[2];
};

#define RATMEM_IOC_MAGIC	0xB7

/*
 * ioctl numbers (_IOC_NR) as used in struct ratmem_api.ioctls. They stay
 * below 64 so that every one of them has a bit in that mask.
 */
#define RATMEM_IOC_NR_API	0x00
#define RATMEM_IOC_NR_STATS	0x01
#define RATMEM_IOC_NR_CREATE	0x02
#define RATMEM_IOC_NR_QUERY	0x03
#define RATMEM_IOC_NR_DUP	0x04
#define RATMEM_IOC_NR_CLOSE	0x05
#define RATMEM_IOC_NR_COMMIT	0x06
#define RATMEM_IOC_NR_DECOMMIT	0x07
#define RATMEM_IOC_NR_GRANT	0x08
#define RATMEM_IOC_NR_ACCEPT	0x09
#define RATMEM_IOC_NR_REVOKE	0x0a
#define RATMEM_IOC_NR_NAMED_CREATE	0x0b
#define RATMEM_IOC_NR_NAMED_OPEN	0x0c
#define RATMEM_IOC_NR_UNLINK	0x0d
#define RATMEM_IOC_NR_WAIT	0x0e
#define RATMEM_IOC_NR_WAKE	0x0f
#define RATMEM_IOC_NR_QUOTA	0x10
#define RATMEM_IOC_NR_POPULATE	0x11
#define RATMEM_IOC_NR_POLICY	0x12
#define RATMEM_IOC_NR_MIGRATE	0x13
#define RATMEM_IOC_NR_NODES	0x14
#define RATMEM_IOC_NR_SEAL	0x15
#define RATMEM_IOC_NR_LEASE	0x16
#define RATMEM_IOC_NR_READ_NOTICES	0x17
#define RATMEM_IOC_NR_GRANT_RANGE	0x18

#define RATMEM_IOC_API	  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_API, struct ratmem_api)
#define RATMEM_IOC_STATS  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_STATS, struct ratmem_stats)
#define RATMEM_IOC_CREATE _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_CREATE, struct ratmem_create)
#define RATMEM_IOC_QUERY  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_QUERY, struct ratmem_query)
#define RATMEM_IOC_DUP	  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_DUP, struct ratmem_dup)
#define RATMEM_IOC_CLOSE  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_CLOSE, struct ratmem_close)
#define RATMEM_IOC_COMMIT _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_COMMIT, struct ratmem_range)
#define RATMEM_IOC_DECOMMIT \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_DECOMMIT, struct ratmem_range)
#define RATMEM_IOC_GRANT  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_GRANT, struct ratmem_grant)
#define RATMEM_IOC_ACCEPT _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_ACCEPT, struct ratmem_accept)
#define RATMEM_IOC_REVOKE _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_REVOKE, struct ratmem_revoke)
#define RATMEM_IOC_NAMED_CREATE \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_NAMED_CREATE, struct ratmem_named_create)
#define RATMEM_IOC_NAMED_OPEN \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_NAMED_OPEN, struct ratmem_named_open)
#define RATMEM_IOC_UNLINK _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_UNLINK, struct ratmem_unlink)
#define RATMEM_IOC_WAIT	  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_WAIT, struct ratmem_wait)
#define RATMEM_IOC_WAKE	  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_WAKE, struct ratmem_wake)
#define RATMEM_IOC_QUOTA  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_QUOTA, struct ratmem_quota)
#define RATMEM_IOC_POPULATE \
	_IOW(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_POPULATE, struct ratmem_populate)
#define RATMEM_IOC_POLICY \
	_IOW(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_POLICY, struct ratmem_policy)
#define RATMEM_IOC_MIGRATE \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_MIGRATE, struct ratmem_migrate)
#define RATMEM_IOC_NODES \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_NODES, struct ratmem_nodes)
#define RATMEM_IOC_SEAL	  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_SEAL, struct ratmem_seal)
#define RATMEM_IOC_LEASE  _IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_LEASE, struct ratmem_lease)
#define RATMEM_IOC_READ_NOTICES \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_READ_NOTICES, struct ratmem_read_notices)
#define RATMEM_IOC_GRANT_RANGE \
	_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_GRANT_RANGE, struct ratmem_grant_range)

#endif /* _UAPI_LINUX_RATMEM_H */
