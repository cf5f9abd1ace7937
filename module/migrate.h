/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: placement changes, page migration and per-node counts
 * (migrate.c).
 */
#ifndef RATMEM_MIGRATE_H
#define RATMEM_MIGRATE_H

#include <linux/types.h>

struct ratmem_cap;
struct ratmem_placement;
struct ratmem_region;

int ratmem_region_set_policy(struct ratmem_cap *via, const struct ratmem_placement *p);
int ratmem_region_migrate(struct ratmem_cap *via, u64 offset, u64 length, int node, bool lazy,
			  u64 *pages);
int ratmem_region_move_marked(struct ratmem_region *region, unsigned long first,
			      unsigned long last);
bool ratmem_region_marked(struct ratmem_region *region, unsigned long first,
			  unsigned long last);
bool ratmem_region_index_marked(struct ratmem_region *region, unsigned long index);
void ratmem_region_node_pages(struct ratmem_region *region, u64 *counts, unsigned int nr,
			      u64 *pending);

#endif /* RATMEM_MIGRATE_H */
