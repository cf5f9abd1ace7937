// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: validation of user-supplied ioctl arguments.
 */
#include <linux/errno.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/ratmem.h>

#include "validate.h"

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
	if (ratmem_check_flags(api->flags, 0))
		return -EINVAL;
	if (!ratmem_is_zeroed(api->reserved, sizeof(api->reserved)))
		return -EINVAL;
	return 0;
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
	if (ratmem_check_flags(stats->flags, 0))
		return -EINVAL;
	if (stats->pad)
		return -EINVAL;
	if (!ratmem_is_zeroed(stats->reserved, sizeof(stats->reserved)))
		return -EINVAL;
	return 0;
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

/**
 * ratmem_check_create_args() - validate the input of RATMEM_IOC_CREATE
 * @c: copy of the caller's struct ratmem_create
 * @size_max: largest allowed region size in bytes
 *
 * Whether @c->numa_node is online is checked by the caller; here only
 * its range.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags, non-zero padding or reserved
 * fields, empty or unknown rights, an unsupported page size, a size
 * that is 0, unaligned or above @size_max, or a node out of range.
 */
int ratmem_check_create_args(const struct ratmem_create *c, u64 size_max)
{
	u64 page;

	if (ratmem_check_flags(c->flags, 0) || c->pad ||
	    !ratmem_is_zeroed(c->reserved, sizeof(c->reserved)))
		return -EINVAL;
	if (!c->rights || !ratmem_rights_subset(c->rights, RATMEM_RIGHTS_ALL))
		return -EINVAL;
	if (c->page_shift && c->page_shift != RATMEM_PAGE_SHIFT_4K)
		return -EINVAL;
	page = 1ULL << RATMEM_PAGE_SHIFT_4K;
	if (ratmem_check_range(0, c->size, size_max, page))
		return -EINVAL;
	if (c->numa_node < NUMA_NO_NODE || c->numa_node >= MAX_NUMNODES)
		return -EINVAL;
	return 0;
}

/**
 * ratmem_check_query_args() - validate the input of RATMEM_IOC_QUERY
 * @q: copy of the caller's struct ratmem_query
 *
 * Context: any context.
 * Return: 0, or -EINVAL for unknown flags or non-zero reserved fields.
 */
int ratmem_check_query_args(const struct ratmem_query *q)
{
	if (ratmem_check_flags(q->flags, 0) ||
	    !ratmem_is_zeroed(q->reserved, sizeof(q->reserved)))
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
	if (ratmem_check_flags(d->flags, 0) ||
	    !ratmem_is_zeroed(d->reserved, sizeof(d->reserved)))
		return -EINVAL;
	if (!d->rights || !ratmem_rights_subset(d->rights, RATMEM_RIGHTS_ALL))
		return -EINVAL;
	return 0;
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
	if (ratmem_check_flags(c->flags, 0) ||
	    !ratmem_is_zeroed(c->reserved, sizeof(c->reserved)))
		return -EINVAL;
	return 0;
}
