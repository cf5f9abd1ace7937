/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ratmem: the generic netlink family "ratmem" (docs/abi.md, "Generic
 * netlink: events and inspection").
 *
 * Events: the module sends one RATMEM_CMD_EVENT message to the
 * multicast group RATMEM_GENL_MCGRP_EVENTS for every quota failure,
 * grant, accept, revoke and violation. Joining the group needs
 * CAP_NET_ADMIN (EPERM otherwise), because events name other processes.
 * Every event carries a sequence number, one more than the previous
 * event's: a gap means events were lost (a full socket buffer, or no
 * memory to build them).
 *
 * Inspection: RATMEM_CMD_GET_STATUS (a request) and the dumps
 * RATMEM_CMD_GET_QUOTAS, _GET_REGIONS, _GET_HANDLES and _GET_GRANTS.
 * A dump by a process without CAP_NET_ADMIN lists the objects of the live
 * processes that run with its effective uid (before 0.6.0: only its own
 * process's). RATMEM_A_PID in a dump request lists one process only.
 *
 * The family exists in the initial network namespace only. Process ids
 * are those of the initial pid namespace; times are CLOCK_REALTIME in
 * nanoseconds. Attributes may be added in later versions: skip the
 * ones you do not know.
 */
#ifndef _UAPI_LINUX_RATMEM_GENL_H
#define _UAPI_LINUX_RATMEM_GENL_H

#define RATMEM_GENL_NAME		"ratmem"
#define RATMEM_GENL_VERSION		1
#define RATMEM_GENL_MCGRP_EVENTS	"events"

/**
 * enum ratmem_genl_cmd - commands of the family
 * @RATMEM_CMD_UNSPEC: never used.
 * @RATMEM_CMD_EVENT: module to listeners: one event (RATMEM_A_EVENT
 *	and the attributes listed at enum ratmem_genl_event).
 * @RATMEM_CMD_GET_STATUS: request: RATMEM_A_VERSION, _ABI_VERSION,
 *	_FEATURES, _SEQ (the last event's) and the RATMEM_A_STAT_* counters;
 *	since 0.7.0 also _POOL.
 * @RATMEM_CMD_GET_QUOTAS: dump, one message per process with a quota:
 *	RATMEM_A_PID, RATMEM_A_USAGE, RATMEM_A_LIMITS, and RATMEM_A_EXITED
 *	when the process is gone but its regions live on.
 * @RATMEM_CMD_GET_REGIONS: dump, one message per region: RATMEM_A_REGION_ID,
 *	_PID (creator), _SIZE, _COMMITTED, _RESIDENT, _RIGHTS (the region's
 *	maximum) and _MAPPERS; for a region made by NAMED_CREATE also
 *	_OWNER_UID, _OWNER_GID and _MODE (kept after UNLINK); since 0.6.0
 *	also _POLICY, _NODEMASK, _PENDING and _NODE_PAGES; since 0.7.0 also
 *	_SEALS.
 * @RATMEM_CMD_GET_HANDLES: dump, one message per handle: RATMEM_A_PID,
 *	_HANDLE, _REGION_ID, _RIGHTS, _CAP_KIND, _CAP_ID (grants only) and
 *	_REVOKED when its capability is revoked.
 * @RATMEM_CMD_GET_GRANTS: dump, one message per pending or live grant:
 *	RATMEM_A_CAP_ID, _REGION_ID, _PID (issuer), _PEER_PID (the process
 *	that may accept), _RIGHTS, _SIZE and _ACCEPTED when accepted; since
 *	0.6.0 also _PARENT_CAP_ID; since 0.7.0 also _LEASE_NS.
 * @__RATMEM_CMD_MAX: one more than the last command.
 */
enum ratmem_genl_cmd {
	RATMEM_CMD_UNSPEC,
	RATMEM_CMD_EVENT,
	RATMEM_CMD_GET_STATUS,
	RATMEM_CMD_GET_QUOTAS,
	RATMEM_CMD_GET_REGIONS,
	RATMEM_CMD_GET_HANDLES,
	RATMEM_CMD_GET_GRANTS,
	__RATMEM_CMD_MAX,
};

#define RATMEM_CMD_MAX (__RATMEM_CMD_MAX - 1)

/**
 * enum ratmem_genl_event - values of RATMEM_A_EVENT
 * @RATMEM_EV_UNSPEC: never used.
 * @RATMEM_EV_QUOTA: a request was refused with EDQUOT. RATMEM_A_PID
 *	made it; RATMEM_A_QUOTA_PID is the process whose limit it passed
 *	(the region's creator for commits); RATMEM_A_RESOURCE, _AMOUNT (what
 *	was asked, bytes or count), _USAGE and _LIMITS of that quota at
 *	the refusal; and _REGION_ID when a region was involved. The usage of
 *	the refused resource is exact; that of another resource may include
 *	a charge an earlier step of the same request took, which is given
 *	back before the request fails (CREATE charges the region's bytes,
 *	then the handle; ACCEPT the shared bytes, then the handle).
 * @RATMEM_EV_GRANT: RATMEM_A_PID granted RATMEM_A_CAP_ID on
 *	_REGION_ID (_SIZE bytes) to _PEER_PID with _RIGHTS.
 * @RATMEM_EV_ACCEPT: RATMEM_A_PID accepted RATMEM_A_CAP_ID (same
 *	attributes as the grant, _PEER_PID being the issuer).
 * @RATMEM_EV_REVOKE: RATMEM_A_CAP_ID was revoked; RATMEM_A_PID is the
 *	process whose call revoked it (a kernel worker's when the module did
 *	by itself: a lease's end, a sweep finished on its workqueue, an
 *	owner's exit seen there), _PEER_PID the process it was granted to. One event per revoked
 *	capability, re-grants included.
 * @RATMEM_EV_VIOLATION: RATMEM_A_PID broke a rule: RATMEM_A_VIOLATION
 *	says which; _REGION_ID, _CAP_ID (of the capability used) and _SIZE.
 * @__RATMEM_EV_MAX: one more than the last event.
 */
enum ratmem_genl_event {
	RATMEM_EV_UNSPEC,
	RATMEM_EV_QUOTA,
	RATMEM_EV_GRANT,
	RATMEM_EV_ACCEPT,
	RATMEM_EV_REVOKE,
	RATMEM_EV_VIOLATION,
	__RATMEM_EV_MAX,
};

/**
 * enum ratmem_genl_violation - values of RATMEM_A_VIOLATION
 * @RATMEM_VIOLATION_REVOKED: an access to memory mapped through a
 *	revoked capability (the process got SIGBUS, or SIGKILL by policy).
 * @RATMEM_VIOLATION_WX: a mapping or mprotect() that would have made
 *	the region writable and executable at once (refused with EACCES).
 */
enum ratmem_genl_violation {
	RATMEM_VIOLATION_REVOKED = 1,
	RATMEM_VIOLATION_WX,
};

/**
 * enum ratmem_genl_attr - attributes
 * @RATMEM_A_UNSPEC: never used.
 * @RATMEM_A_PAD: padding for 64-bit attributes.
 * @RATMEM_A_EVENT: u32, enum ratmem_genl_event.
 * @RATMEM_A_SEQ: u64, the event's sequence number (from 1).
 * @RATMEM_A_TIME_NS: u64, when the event happened (CLOCK_REALTIME).
 * @RATMEM_A_PID: u32, the process that acted or owns the object.
 * @RATMEM_A_PEER_PID: u32, the other process of a grant.
 * @RATMEM_A_QUOTA_PID: u32, the process whose limit a request passed.
 * @RATMEM_A_REGION_ID: u64, a region's id.
 * @RATMEM_A_CAP_ID: u64, a grant's capability id.
 * @RATMEM_A_SIZE: u64, the region's size in bytes (events and the grant dump:
 *	the size the capability shares, a sub-range grant's range).
 * @RATMEM_A_RIGHTS: u32, RATMEM_RIGHT_* bits.
 * @RATMEM_A_RESOURCE: u32, RATMEM_RES_*.
 * @RATMEM_A_AMOUNT: u64, what a refused request asked for.
 * @RATMEM_A_USAGE: nest of u64 attributes, type RATMEM_RES_* + 1.
 * @RATMEM_A_LIMITS: nest of u64 attributes, type RATMEM_RES_* + 1;
 *	RATMEM_LIMIT_NONE for no limit.
 * @RATMEM_A_VIOLATION: u32, enum ratmem_genl_violation.
 * @RATMEM_A_VERSION: string, the module's version.
 * @RATMEM_A_ABI_VERSION: u32, RATMEM_ABI_VERSION of the module.
 * @RATMEM_A_FEATURES: u64, RATMEM_FEATURE_* bits.
 * @RATMEM_A_STAT_CONTEXTS: u64, open contexts.
 * @RATMEM_A_STAT_REGIONS: u64, live regions.
 * @RATMEM_A_STAT_HANDLES: u64, live handles.
 * @RATMEM_A_STAT_PAGES: u64, allocated pages.
 * @RATMEM_A_STAT_MAPPINGS: u64, live mappings.
 * @RATMEM_A_STAT_GRANTS: u64, live grant capabilities.
 * @RATMEM_A_STAT_NAMES: u64, region names.
 * @RATMEM_A_STAT_QUOTAS: u64, per-process quotas.
 * @RATMEM_A_EXITED: flag, the process has exited.
 * @RATMEM_A_COMMITTED: u64, committed bytes of a region.
 * @RATMEM_A_RESIDENT: u64, bytes of a region backed by pages.
 * @RATMEM_A_MAPPERS: u32, processes mapping a region.
 * @RATMEM_A_HANDLE: u32, a handle number (local to its context).
 * @RATMEM_A_CAP_KIND: u32, enum ratmem_genl_cap_kind.
 * @RATMEM_A_REVOKED: flag, the capability is revoked.
 * @RATMEM_A_ACCEPTED: flag, the grant was accepted.
 * @RATMEM_A_OWNER_UID: u32, a named region's creator's fsuid, as seen in
 *	the dumping process's user namespace (65534 when unmapped).
 * @RATMEM_A_OWNER_GID: u32, a named region's creator's fsgid, likewise.
 * @RATMEM_A_MODE: u32, a named region's permission bits.
 * @RATMEM_A_NODE_PAGES: nest of u64 attributes, type node id + 1: a
 *	region's resident 4 KiB pages on each node that has some.
 * @RATMEM_A_POLICY: u32, a region's RATMEM_POLICY_*.
 * @RATMEM_A_NODEMASK: u64, its policy's node mask.
 * @RATMEM_A_PENDING: u64, its resident 4 KiB pages marked for lazy
 *	migration.
 * @RATMEM_A_PARENT_CAP_ID: u64, the grant this grant was made through
 *	(a re-grant), or 0 when it was made through the region's owner
 *	capability or a NAMED_OPEN handle: the roots of a grant tree.
 * @RATMEM_A_SEALS: u32, a region's RATMEM_SEAL_* bits (region dump).
 * @RATMEM_A_LEASE_NS: u64, nanoseconds left of a grant's lease (grant
 *	dump; absent when it has none).
 * @RATMEM_A_REVOKING: flag, the grant is being revoked with a deadline
 *	(grant dump; RATMEM_A_LEASE_NS is the time left until then).
 * @RATMEM_A_OFFSET: u64, where a grant's range starts in its region
 *	(grant dump; 0 for a grant of the whole region; RATMEM_A_SIZE is
 *	then the range's length).
 * @RATMEM_A_POOL: nest of nests, type node id + 1, one per online node:
 *	that node's page pools (enum ratmem_genl_pool_attr).
 * @__RATMEM_A_MAX: one more than the last attribute.
 */
enum ratmem_genl_attr {
	RATMEM_A_UNSPEC,
	RATMEM_A_PAD,
	RATMEM_A_EVENT,
	RATMEM_A_SEQ,
	RATMEM_A_TIME_NS,
	RATMEM_A_PID,
	RATMEM_A_PEER_PID,
	RATMEM_A_QUOTA_PID,
	RATMEM_A_REGION_ID,
	RATMEM_A_CAP_ID,
	RATMEM_A_SIZE,
	RATMEM_A_RIGHTS,
	RATMEM_A_RESOURCE,
	RATMEM_A_AMOUNT,
	RATMEM_A_USAGE,
	RATMEM_A_LIMITS,
	RATMEM_A_VIOLATION,
	RATMEM_A_VERSION,
	RATMEM_A_ABI_VERSION,
	RATMEM_A_FEATURES,
	RATMEM_A_STAT_CONTEXTS,
	RATMEM_A_STAT_REGIONS,
	RATMEM_A_STAT_HANDLES,
	RATMEM_A_STAT_PAGES,
	RATMEM_A_STAT_MAPPINGS,
	RATMEM_A_STAT_GRANTS,
	RATMEM_A_STAT_NAMES,
	RATMEM_A_STAT_QUOTAS,
	RATMEM_A_EXITED,
	RATMEM_A_COMMITTED,
	RATMEM_A_RESIDENT,
	RATMEM_A_MAPPERS,
	RATMEM_A_HANDLE,
	RATMEM_A_CAP_KIND,
	RATMEM_A_REVOKED,
	RATMEM_A_ACCEPTED,
	RATMEM_A_OWNER_UID,
	RATMEM_A_OWNER_GID,
	RATMEM_A_MODE,
	RATMEM_A_NODE_PAGES,
	RATMEM_A_POLICY,
	RATMEM_A_NODEMASK,
	RATMEM_A_PENDING,
	RATMEM_A_PARENT_CAP_ID,
	RATMEM_A_POOL,
	RATMEM_A_SEALS,
	RATMEM_A_LEASE_NS,
	RATMEM_A_REVOKING,
	RATMEM_A_OFFSET,
	__RATMEM_A_MAX,
};

#define RATMEM_A_MAX (__RATMEM_A_MAX - 1)

/**
 * enum ratmem_genl_pool_attr - one node's page pools, in RATMEM_A_POOL
 * @RATMEM_POOL_A_UNSPEC: never used.
 * @RATMEM_POOL_A_PAD: padding for 64-bit attributes.
 * @RATMEM_POOL_A_PAGES: u64, zeroed pages ready on the node now, over
 *	all memory cgroups.
 * @RATMEM_POOL_A_HITS: u64, region pages taken from the node's pools.
 * @RATMEM_POOL_A_MISSES: u64, region pages the pools could not give.
 * @RATMEM_POOL_A_FILLED: u64, pages the background refill added.
 * @RATMEM_POOL_A_DRAINED: u64, pages given back (memory pressure, idle
 *	or dead pools, module exit).
 * @__RATMEM_POOL_A_MAX: one more than the last attribute.
 */
enum ratmem_genl_pool_attr {
	RATMEM_POOL_A_UNSPEC,
	RATMEM_POOL_A_PAD,
	RATMEM_POOL_A_PAGES,
	RATMEM_POOL_A_HITS,
	RATMEM_POOL_A_MISSES,
	RATMEM_POOL_A_FILLED,
	RATMEM_POOL_A_DRAINED,
	__RATMEM_POOL_A_MAX,
};

#define RATMEM_POOL_A_MAX (__RATMEM_POOL_A_MAX - 1)

/*
 * Names of ABI 1.x, before per-process limits and usage were called
 * quotas throughout. Same values; kept so that older programs build.
 */
#define RATMEM_CMD_GET_USAGE	RATMEM_CMD_GET_QUOTAS
#define RATMEM_A_ACCOUNT_PID	RATMEM_A_QUOTA_PID
#define RATMEM_A_STAT_ACCOUNTS	RATMEM_A_STAT_QUOTAS

/**
 * enum ratmem_genl_cap_kind - values of RATMEM_A_CAP_KIND
 * @RATMEM_CAPKIND_OWNER: the handle was made with its region.
 * @RATMEM_CAPKIND_GRANT: made by accepting a grant.
 * @RATMEM_CAPKIND_NAMED_OPEN: made by opening a region's name.
 */
enum ratmem_genl_cap_kind {
	RATMEM_CAPKIND_OWNER = 1,
	RATMEM_CAPKIND_GRANT,
	RATMEM_CAPKIND_NAMED_OPEN,
};

#endif /* _UAPI_LINUX_RATMEM_GENL_H */
