/* SPDX-License-Identifier: GPL-2.0 */
/* The host stand-in for librat's region layer (stub_region.c). */
#ifndef STUB_REGION_H
#define STUB_REGION_H

#include <stddef.h>

/* Bytes committed now, over every region. */
size_t stub_committed(void);
/* Regions that exist now. */
size_t stub_regions(void);
/* Commit and decommit calls so far. */
unsigned long stub_commits(void);
unsigned long stub_decommits(void);
/* Refuse commits past bytes committed (a quota). */
void stub_set_limit(size_t bytes);

#endif
