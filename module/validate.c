// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: validation of user-supplied ioctl arguments.
 */
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <asm/page.h>
#include <linux/string.h>
#include <linux/ratmem.h>

#include "validate.h"

/* The nodes a mask may name: those below MAX_NUMNODES and 64. */
#define RATMEM_NODEMASK_VALID	GENMASK_ULL(min_t(int, MAX_NUMNODES, RATMEM_NODEMASK_BITS) - 1, 0)

/**
 * ratmem_is_zeroed() - check that a buffer holds only zero bytes
 * @buf: buffer (kernel memory)
 * @len: its length in bytes; 0 is allowed and yields true
 *
 * Used for padding and reserved fields, which must be zero so that a
 * later ABI can give them a meaning.
 *
 * Context: any context.
 * Return: true when every byte is zero.
 */
bool ratmem_is_zeroed(const void *buf, size_t len)
{
	return !memchr_inv(buf, 0, len);
}

/**
 * ratmem_check_flags() - reject flag bits the ABI does not define
 * @flags: the flags word from user space
 * @valid: mask of the bits that are defined for this call
 *
 * Context: any context.
 * Return: 0, or -EINVAL when any bit outside @valid is set.
 */
int ratmem_check_flags(u64 flags, u64 valid)
{
	return (flags & ~valid) ? -EINVAL : 0;
}

/* Only flags from @valid and an all-zero reserved area: the common ABI rule. */
static int ratmem_check_flags_reserved(u32 flags, u32 valid, const void *reserved,
				       size_t len)
{
	if (ratmem_check_flags(flags, valid) || !ratmem_is_zeroed(reserved, len))
		return -EINVAL;
	return 0;
}

/* A non-empty set of known rights. */
static bool ratmem_rights_valid(u32 rights)
{
	return rights && !(rights & ~RATMEM_RIGHTS_ALL);
}

/**
 * ratmem_check_range() - validate a byte range inside an object
 * @offset: start of the range
 * @length: length of the range; must be non-zero
 * @size: size of the object the range must lie in
 * @align: alignment both @offset and @length must have; a power of two
 *
 * All arithmetic is done in 64 bits with overflow checks, so a range
 * whose end wraps around is rejected rather than mistaken for a small
 * one.
 *
 * Context: any context.
 * Return: 0 when [@offset, @offset + @length) is non-empty, aligned and
 * inside [0, @size); -EINVAL otherwise.
 */
int ratmem_check_range(u64 offset, u64 length, u64 size, u64 align)
{
	u64 end;

	if (!align || (align & (align - 1)))
		return -EINVAL;
	if (!length || (offset & (align - 1)) || (length & (align - 1)))
		return -EINVAL;
	if (check_add_overflow(offset, length, &end))
		return -EINVAL;
	if (end > size)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_api_args() - validate the input of RATMEM_IOC_API
 * @api: copy of the caller's struct ratmem_api
 *
 * Context: any context.
 * Return: 0, or -EINVAL for ABI version 0, unknown flags or non-zero
 * reserved fields.
 */
int ratmem_check_api_args(const struct ratmem_api *api)
{
	if (!api->abi_version)
		return -EINVAL;
	return ratmem_check_flags_reserved(api->flags, 0, api->reserved, sizeof(api->reserved));
}

/**
 * ratmem_check_stats_args() - validate the input of RATMEM_IOC_STATS
 * @stats: copy of the caller's struct ratmem_stats
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero padding or
 * reserved fields.
 */
int ratmem_check_stats_args(const struct ratmem_stats *stats)
{
	if (stats->pad || stats->reserved)
		return -EINVAL;
	return ratmem_check_flags(stats->flags, 0);
}

/**
 * ratmem_rights_subset() - may a holder of @have hand out @want?
 * @want: RATMEM_RIGHT_* bits asked for
 * @have: RATMEM_RIGHT_* bits held
 *
 * Context: any context.
 * Return: true when @want has no bit outside @have (the empty set is a
 * subset; callers that need a non-empty set check that themselves).
 */
bool ratmem_rights_subset(u32 want, u32 have)
{
	return !(want & ~have);
}

/* The placement fields CREATE and NAMED_CREATE share. */
static int ratmem_check_placement(u32 flags, u64 size, u64 size_max, u32 page_shift,
				  s32 numa_node)
{
	if (page_shift && page_shift != RATMEM_PAGE_SHIFT_4K && page_shift != RATMEM_PAGE_SHIFT_2M)
		return -EINVAL;
	/* The module chooses, or the caller does. */
	if ((flags & RATMEM_CREATE_PAGE_AUTO) && page_shift)
		return -EINVAL;
	if (ratmem_check_range(0, size, size_max, 1ULL << (page_shift ?: RATMEM_PAGE_SHIFT_4K)))
		return -EINVAL;
	if (numa_node < NUMA_NO_NODE || numa_node >= MAX_NUMNODES)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_create_args() - validate the input of RATMEM_IOC_CREATE
 * @c: copy of the caller's struct ratmem_create
 * @size_max: largest allowed region size in bytes
 *
 * Whether @c->numa_node is online is checked by the caller; here only
 * its range.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for flags other than RATMEM_CREATE_FLAGS, non-zero
 * reserved fields, empty or unknown rights, an unsupported page size, a
 * size that is 0, unaligned or above @size_max, a node out of range, or
 * a policy and mask that do not fit (ratmem_check_policy(); a node in
 * @c->numa_node as well as a policy other than DEFAULT).
 */
int ratmem_check_create_args(const struct ratmem_create *c, u64 size_max)
{
	if (ratmem_check_flags_reserved(c->flags, RATMEM_CREATE_FLAGS, &c->reserved,
					sizeof(c->reserved)))
		return -EINVAL;
	if (!ratmem_rights_valid(c->rights))
		return -EINVAL;
	if (ratmem_check_policy(c->policy, c->nodemask))
		return -EINVAL;
	/* One way to name a node: numa_node with DEFAULT, the mask otherwise. */
	if (c->policy != RATMEM_POLICY_DEFAULT && c->numa_node != NUMA_NO_NODE)
		return -EINVAL;
	return ratmem_check_placement(c->flags, c->size, size_max, c->page_shift, c->numa_node);
}

/**
 * ratmem_check_policy() - does a placement policy fit its node mask?
 * @mode: RATMEM_POLICY_*
 * @nodemask: bit N for node N
 *
 * Whether the nodes are online is checked by the caller.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for an unknown @mode, a mask for DEFAULT, a
 * PREFERRED mask without exactly one node, an empty mask for BIND or
 * INTERLEAVE, or a node at or above MAX_NUMNODES.
 */
int ratmem_check_policy(u32 mode, u64 nodemask)
{
	if (nodemask & ~RATMEM_NODEMASK_VALID)
		return -EINVAL;
	switch (mode) {
	case RATMEM_POLICY_DEFAULT:
		return nodemask ? -EINVAL : 0;
	case RATMEM_POLICY_PREFERRED:
		return hweight64(nodemask) == 1 ? 0 : -EINVAL;
	case RATMEM_POLICY_BIND:
	case RATMEM_POLICY_INTERLEAVE:
		return nodemask ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/**
 * ratmem_check_policy_args() - validate the input of RATMEM_IOC_POLICY
 * @p: copy of the caller's struct ratmem_policy
 *
 * Context: any context.
 * Return: 0, or -EINVAL for flags, non-zero padding or reserved fields,
 * or a mode and mask that do not fit (ratmem_check_policy()).
 */
int ratmem_check_policy_args(const struct ratmem_policy *p)
{
	if (p->pad || ratmem_check_flags_reserved(p->flags, 0, p->reserved, sizeof(p->reserved)))
		return -EINVAL;
	return ratmem_check_policy(p->mode, p->nodemask);
}

/**
 * ratmem_check_migrate_args() - validate the input of RATMEM_IOC_MIGRATE
 * @m: copy of the caller's struct ratmem_migrate
 *
 * The range is checked against the region by the caller, the node's
 * being online too.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for flags other than RATMEM_MIGRATE_FLAGS,
 * non-zero padding, output or reserved fields, or a node out of range.
 */
int ratmem_check_migrate_args(const struct ratmem_migrate *m)
{
	if (m->pad || m->pages ||
	    ratmem_check_flags_reserved(m->flags, RATMEM_MIGRATE_FLAGS, m->reserved,
					sizeof(m->reserved)))
		return -EINVAL;
	if (m->node < 0 || m->node >= MAX_NUMNODES)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_nodes_args() - validate the input of RATMEM_IOC_NODES
 * @n: copy of the caller's struct ratmem_nodes
 *
 * Context: any context.
 * Return: 0, or -EINVAL for flags, non-zero output, padding or reserved
 * fields, or more than RATMEM_NODES_MAX counts.
 */
int ratmem_check_nodes_args(const struct ratmem_nodes *n)
{
	if (n->mode || n->nodemask || n->pending || n->node || n->pad ||
	    ratmem_check_flags_reserved(n->flags, 0, n->reserved, sizeof(n->reserved)))
		return -EINVAL;
	if (n->nr_nodes > RATMEM_NODES_MAX)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_seal_args() - validate the input of RATMEM_IOC_SEAL
 * @s: copy of the caller's struct ratmem_seal
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown seal bits, flags, padding or reserved
 * fields.
 */
int ratmem_check_seal_args(const struct ratmem_seal *s)
{
	if ((s->seals & ~RATMEM_SEALS_ALL) || s->pad ||
	    ratmem_check_flags_reserved(s->flags, 0, s->reserved, sizeof(s->reserved)))
		return -EINVAL;
	return 0;
}

/**
 * ratmem_page_shift_for() - the page size of a new region
 * @flags: the command's flags (RATMEM_CREATE_PAGE_AUTO matters)
 * @page_shift: the caller's, checked: 0, RATMEM_PAGE_SHIFT_4K or
 *	RATMEM_PAGE_SHIFT_2M
 * @size: the region's size in bytes, checked
 * @auto_min: with RATMEM_CREATE_PAGE_AUTO, the smallest size that gets
 *	2 MiB pages
 * @pmd: 2 MiB pages can be mapped with PMDs on this kernel
 *
 * With RATMEM_CREATE_PAGE_AUTO: 2 MiB pages when they can be mapped with
 * PMDs and @size is a multiple of 2 MiB and at least @auto_min; else 4
 * KiB. Without it: the caller's choice, 4 KiB by default.
 *
 * Context: any context.
 * Return: the page shift.
 */
u32 ratmem_page_shift_for(u32 flags, u32 page_shift, u64 size, u64 auto_min, bool pmd)
{
	if (page_shift)
		return page_shift;
	if ((flags & RATMEM_CREATE_PAGE_AUTO) && pmd && size >= auto_min &&
	    IS_ALIGNED(size, 1ULL << RATMEM_PAGE_SHIFT_2M))
		return RATMEM_PAGE_SHIFT_2M;
	return RATMEM_PAGE_SHIFT_4K;
}

/**
 * ratmem_check_populate_args() - validate the input of RATMEM_IOC_POPULATE
 * @p: copy of the caller's struct ratmem_populate
 *
 * Context: any context.
 * Return: 0, or -EINVAL for flags, padding or reserved fields that are not
 * zero, an unaligned address or length, a length of 0, or a range that
 * wraps around.
 */
int ratmem_check_populate_args(const struct ratmem_populate *p)
{
	if (p->pad || ratmem_check_flags_reserved(p->flags, 0, p->reserved, sizeof(p->reserved)))
		return -EINVAL;
	if (!p->length || !IS_ALIGNED(p->addr, PAGE_SIZE) || !IS_ALIGNED(p->length, PAGE_SIZE))
		return -EINVAL;
	if (p->addr + p->length < p->addr)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_query_args() - validate the input of RATMEM_IOC_QUERY
 * @q: copy of the caller's struct ratmem_query
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero output fields.
 */
int ratmem_check_query_args(const struct ratmem_query *q)
{
	if (ratmem_check_flags(q->flags, 0) || q->owner_uid || q->owner_gid || q->mode ||
	    q->info)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_dup_args() - validate the input of RATMEM_IOC_DUP
 * @d: copy of the caller's struct ratmem_dup
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, non-zero reserved fields, or
 * empty or unknown rights. Whether the rights are a subset of the
 * handle's is checked by the caller (-EPERM).
 */
int ratmem_check_dup_args(const struct ratmem_dup *d)
{
	if (!ratmem_rights_valid(d->rights))
		return -EINVAL;
	return ratmem_check_flags_reserved(d->flags, 0, d->reserved, sizeof(d->reserved));
}

/**
 * ratmem_check_close_args() - validate the input of RATMEM_IOC_CLOSE
 * @c: copy of the caller's struct ratmem_close
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero reserved fields.
 */
int ratmem_check_close_args(const struct ratmem_close *c)
{
	return ratmem_check_flags_reserved(c->flags, 0, c->reserved, sizeof(c->reserved));
}

/**
 * ratmem_check_range_args() - validate the fixed fields of a struct ratmem_range
 * @r: copy of the caller's struct ratmem_range (RATMEM_IOC_COMMIT and
 *	RATMEM_IOC_DECOMMIT)
 *
 * The range itself is checked against the region by the caller
 * (ratmem_check_range()), once the handle is resolved.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero reserved fields.
 */
int ratmem_check_range_args(const struct ratmem_range *r)
{
	return ratmem_check_flags_reserved(r->flags, 0, r->reserved, sizeof(r->reserved));
}

/**
 * ratmem_check_grant_rights() - the rights algebra of GRANT and re-grants
 * @have: rights of the granting handle
 * @want: rights asked for the new capability
 *
 * Only a holder of RATMEM_RIGHT_GRANT shares, and only with a non-empty
 * subset of what it holds: rights only shrink along a chain of grants,
 * and RATMEM_RIGHT_GRANT itself passes on only when asked for.
 *
 * Context: any context.
 * Return: 0; -EINVAL for an empty set or unknown bits in @want; -EPERM
 * when @have lacks GRANT or @want is not a subset of @have.
 */
int ratmem_check_grant_rights(u32 have, u32 want)
{
	if (!ratmem_rights_valid(want))
		return -EINVAL;
	if (!(have & RATMEM_RIGHT_GRANT) || !ratmem_rights_subset(want, have))
		return -EPERM;
	return 0;
}

/**
 * ratmem_check_grant_args() - validate the input of RATMEM_IOC_GRANT
 * @g: copy of the caller's struct ratmem_grant
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, a lease past
 * RATMEM_LEASE_MAX_NS, or non-zero reserved fields. The rights are
 * checked by ratmem_check_grant_rights().
 */
int ratmem_check_grant_args(const struct ratmem_grant *g)
{
	if (g->lease_ns > RATMEM_LEASE_MAX_NS)
		return -EINVAL;
	return ratmem_check_flags_reserved(g->flags, RATMEM_GRANT_FLAGS, &g->reserved,
					   sizeof(g->reserved));
}

/**
 * ratmem_check_grant_range_args() - validate the input of
 *	RATMEM_IOC_GRANT_RANGE
 * @g: copy of the caller's struct ratmem_grant_range
 *
 * Context: any context.
 * Return: 0, or -EINVAL as for ratmem_check_grant_args(), or for a
 * length of 0. Whether the range fits the handle's view is checked with
 * the handle (ratmem_cap_create_child()).
 */
int ratmem_check_grant_range_args(const struct ratmem_grant_range *g)
{
	if (g->lease_ns > RATMEM_LEASE_MAX_NS || !g->length)
		return -EINVAL;
	return ratmem_check_flags_reserved(g->flags, RATMEM_GRANT_FLAGS, g->reserved,
					   sizeof(g->reserved));
}

/**
 * ratmem_check_lease_args() - validate the input of RATMEM_IOC_LEASE
 * @l: copy of the caller's struct ratmem_lease
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, a lease of 0 or past
 * RATMEM_LEASE_MAX_NS with RATMEM_LEASE_SET, a lease without it, or
 * non-zero output or reserved fields.
 */
int ratmem_check_lease_args(const struct ratmem_lease *l)
{
	if (ratmem_check_flags_reserved(l->flags, RATMEM_LEASE_SET, l->reserved,
					sizeof(l->reserved)) || l->remaining_ns)
		return -EINVAL;
	if (l->flags & RATMEM_LEASE_SET)
		return l->lease_ns && l->lease_ns <= RATMEM_LEASE_MAX_NS ? 0 : -EINVAL;
	return l->lease_ns ? -EINVAL : 0;
}

/**
 * ratmem_check_accept_args() - validate the input of RATMEM_IOC_ACCEPT
 * @a: copy of the caller's struct ratmem_accept
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero reserved fields.
 */
int ratmem_check_accept_args(const struct ratmem_accept *a)
{
	return ratmem_check_flags_reserved(a->flags, 0, a->reserved, sizeof(a->reserved));
}

/**
 * ratmem_check_revoke_args() - validate the input of RATMEM_IOC_REVOKE
 * @r: copy of the caller's struct ratmem_revoke
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, a deadline past
 * RATMEM_LEASE_MAX_NS, or non-zero reserved fields.
 */
int ratmem_check_revoke_args(const struct ratmem_revoke *r)
{
	if (r->deadline_ns > RATMEM_LEASE_MAX_NS)
		return -EINVAL;
	return ratmem_check_flags_reserved(r->flags, RATMEM_REVOKE_WAIT, &r->reserved,
					   sizeof(r->reserved));
}

/**
 * ratmem_check_read_notices_args() - validate the input of
 *	RATMEM_IOC_READ_NOTICES
 * @n: copy of the caller's struct ratmem_read_notices
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, a count of 0 or past
 * RATMEM_NOTICES_MAX, or non-zero reserved fields. The records pointer
 * is checked by the copy.
 */
int ratmem_check_read_notices_args(const struct ratmem_read_notices *n)
{
	if (!n->count || n->count > RATMEM_NOTICES_MAX)
		return -EINVAL;
	return ratmem_check_flags_reserved(n->flags, 0, n->reserved, sizeof(n->reserved));
}

/**
 * ratmem_check_name() - validate a region name copied from user space
 * @name: buffer of RATMEM_NAME_MAX bytes
 * @copied: what strncpy_from_user() returned for it: the name's length,
 *	RATMEM_NAME_MAX when no NUL was found in the buffer, or -errno
 *
 * Context: any context.
 * Return: 0; -EFAULT when the copy faulted; -ENAMETOOLONG when the name
 * does not end within RATMEM_NAME_MAX bytes; -EINVAL when it is empty,
 * starts with '.', or has a byte outside [A-Za-z0-9._-].
 */
int ratmem_check_name(const char *name, long copied)
{
	long i;

	if (copied < 0)
		return -EFAULT;
	if (copied >= RATMEM_NAME_MAX)
		return -ENAMETOOLONG;
	if (!copied || name[0] == '.')
		return -EINVAL;
	for (i = 0; i < copied; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return -EINVAL;
	}
	return 0;
}

/**
 * ratmem_check_named_create_args() - validate RATMEM_IOC_NAMED_CREATE's input
 * @c: copy of the caller's struct ratmem_named_create
 * @size_max: largest allowed region size in bytes
 *
 * Context: any context.
 * Return: 0, or -EINVAL as for RATMEM_IOC_CREATE, and for mode bits
 * outside RATMEM_MODE_MASK.
 */
int ratmem_check_named_create_args(const struct ratmem_named_create *c, u64 size_max)
{
	if (ratmem_check_flags_reserved(c->flags, RATMEM_NAMED_CREATE_FLAGS, &c->reserved,
					sizeof(c->reserved)))
		return -EINVAL;
	if (!ratmem_rights_valid(c->rights) || (c->mode & ~RATMEM_MODE_MASK))
		return -EINVAL;
	/* Without RATMEM_CREATE_NODE the field is what old callers zeroed. */
	if (!(c->flags & RATMEM_CREATE_NODE) && c->numa_node)
		return -EINVAL;
	return ratmem_check_placement(c->flags, c->size, size_max, c->page_shift, c->numa_node);
}

/**
 * ratmem_check_named_open_args() - validate the input of RATMEM_IOC_NAMED_OPEN
 * @o: copy of the caller's struct ratmem_named_open
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, non-zero padding or reserved
 * fields, or empty or unknown rights, or rights with none of READ, WRITE
 * and EXEC (only those are checked against the name's mode).
 */
int ratmem_check_named_open_args(const struct ratmem_named_open *o)
{
	const u32 perm = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_EXEC;

	/* Like shm_open(), an open asks for some access the mode bits decide. */
	if (o->pad || !ratmem_rights_valid(o->rights) || !(o->rights & perm))
		return -EINVAL;
	return ratmem_check_flags_reserved(o->flags, 0, o->reserved, sizeof(o->reserved));
}

/**
 * ratmem_check_unlink_args() - validate the input of RATMEM_IOC_UNLINK
 * @u: copy of the caller's struct ratmem_unlink
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero padding or
 * reserved fields; with RATMEM_UNLINK_BY_ID a name pointer or no region
 * id, without it a region id.
 */
int ratmem_check_unlink_args(const struct ratmem_unlink *u)
{
	bool by_id = u->flags & RATMEM_UNLINK_BY_ID;

	/* Without BY_ID a NULL name is the copy's EFAULT, as before. */
	if (u->pad || (by_id && u->name) || by_id != !!u->region_id)
		return -EINVAL;
	return ratmem_check_flags_reserved(u->flags, RATMEM_UNLINK_FLAGS, &u->reserved,
					   sizeof(u->reserved));
}

/**
 * ratmem_check_wait_args() - validate the fixed fields of RATMEM_IOC_WAIT
 * @w: copy of the caller's struct ratmem_wait
 *
 * The offset is checked against the region by the caller.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, non-zero padding or reserved
 * fields, an offset that is not a multiple of 4, or a negative timeout
 * other than RATMEM_WAIT_FOREVER.
 */
int ratmem_check_wait_args(const struct ratmem_wait *w)
{
	if (w->pad || (w->offset & 3) || w->timeout_ns < RATMEM_WAIT_FOREVER)
		return -EINVAL;
	return ratmem_check_flags_reserved(w->flags, 0, w->reserved, sizeof(w->reserved));
}

/**
 * ratmem_check_wake_args() - validate the fixed fields of RATMEM_IOC_WAKE
 * @w: copy of the caller's struct ratmem_wake
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, non-zero reserved fields, an
 * offset that is not a multiple of 4, or a zero count. @w->woken is
 * output only and ignored.
 */
int ratmem_check_wake_args(const struct ratmem_wake *w)
{
	if (!w->count || (w->offset & 3))
		return -EINVAL;
	return ratmem_check_flags_reserved(w->flags, 0, w->reserved, sizeof(w->reserved));
}
