// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: validation of user-supplied ioctl arguments.
 */
#include <linux/errno.h>
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
