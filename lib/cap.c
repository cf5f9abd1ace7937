// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: the printable form of a capability, "MEM_SHARE:" followed by
 * the 64-bit id as exactly 16 lower-case hex digits (RatCapFormat,
 * RatCapParse). One form per id, so that two strings name the same
 * capability exactly when they are equal.
 */
#include <string.h>

#include "rat_internal.h"

#define CAP_PREFIX_LEN	(sizeof(RAT_CAP_PREFIX) - 1)
#define CAP_DIGITS	16

_Static_assert(CAP_PREFIX_LEN + CAP_DIGITS + 1 == RAT_CAP_STRLEN, "RAT_CAP_STRLEN");

RatStatus rat_cap_parse(const char *cap, uint64_t *cap_id)
{
	uint64_t id = 0;
	const char *p;

	if (!cap || strncmp(cap, RAT_CAP_PREFIX, CAP_PREFIX_LEN))
		return RAT_STATUS_INVALID_ARG;
	p = cap + CAP_PREFIX_LEN;
	/* Byte by byte: a NUL ends the scan before anything past it is read. */
	for (int i = 0; i < CAP_DIGITS; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9')
			id = id << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			id = id << 4 | (uint64_t)(c - 'a' + 10);
		else
			return RAT_STATUS_INVALID_ARG;
	}
	/* Nothing may follow (no newline either), and 0 is never issued. */
	if (p[CAP_DIGITS] != '\0' || id == 0)
		return RAT_STATUS_INVALID_ARG;
	*cap_id = id;
	return RAT_STATUS_OK;
}

void rat_cap_format(uint64_t cap_id, char *cap)
{
	static const char hex[] = "0123456789abcdef";

	memcpy(cap, RAT_CAP_PREFIX, CAP_PREFIX_LEN);
	for (int i = 0; i < CAP_DIGITS; i++)
		cap[CAP_PREFIX_LEN + i] = hex[(cap_id >> (4 * (CAP_DIGITS - 1 - i))) & 0xf];
	cap[CAP_PREFIX_LEN + CAP_DIGITS] = '\0';
}

RatStatus RatCapFormat(uint64_t cap_id, char cap[RAT_CAP_STRLEN])
{
	if (!cap || cap_id == 0)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	rat_cap_format(cap_id, cap);
	return rat_set_status(RAT_STATUS_OK);
}

RatStatus RatCapParse(const char *cap, uint64_t *cap_id)
{
	if (!cap_id)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	return rat_set_status(rat_cap_parse(cap, cap_id));
}
