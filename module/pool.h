/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: per-node pools of zeroed pages (pool.c).
 */
#ifndef RATMEM_POOL_H
#define RATMEM_POOL_H

#include <linux/types.h>

struct page;

/**
 * struct ratmem_pool_stats - one node's pool figures, over all cgroups
 * @pages: pages in the node's pools now (zeroed, charged, unused).
 * @hits: region pages taken from a pool.
 * @misses: region pages a pool could not give (allocated directly).
 * @filled: pages the background refill put in.
 * @drained: pages given back: by the shrinker, idle or dead pools, a
 *	cgroup out of memory, or the module's exit.
 */
struct ratmem_pool_stats {
	u64 pages;
	u64 hits;
	u64 misses;
	u64 filled;
	u64 drained;
};

struct page *ratmem_pool_take(int nid);
bool ratmem_pool_held_current(void);
bool ratmem_pool_drain_current(void);
void ratmem_pool_node_stats(int nid, struct ratmem_pool_stats *st);
int ratmem_pool_init(void);
void ratmem_pool_exit(void);

#endif /* RATMEM_POOL_H */
