/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the namespace of region names (name.c): the workers of
 * NAMED_CREATE, NAMED_OPEN and UNLINK.
 */
#ifndef RATMEM_NAME_H
#define RATMEM_NAME_H

#include <linux/types.h>

struct ratmem_ctx;
struct ratmem_handle_new;
struct ratmem_named_create;
struct ratmem_unlink;

int ratmem_name_create(struct ratmem_ctx *ctx, const struct ratmem_named_create *c,
		       struct ratmem_handle_new *hn);
int ratmem_name_open(struct ratmem_ctx *ctx, u64 uname, u32 rights,
		     struct ratmem_handle_new *hn);
int ratmem_name_unlink(const struct ratmem_unlink *u);

void ratmem_names_init(void);
void ratmem_names_exit(void);

#endif /* RATMEM_NAME_H */
