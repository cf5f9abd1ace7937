// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: per-node pools of zeroed pages.
 *
 * A fault that needs a 4 KiB page on node N first asks the pool of (N,
 * the faulting task's memory cgroup): one spinlock of that pool, and no
 * allocation or zeroing under the fault. A background work item fills
 * each pool up to pool_pages with pages allocated on N (__GFP_THISNODE),
 * zeroed (__GFP_ZERO) and charged to the pool's cgroup (set_active_memcg()
 * with __GFP_ACCOUNT). A page taken from a pool is therefore charged just
 * as a page the fault allocated itself would be. The refill never
 * reclaims: it uses free memory or nothing. It also never takes more
 * than half of the room left under the tightest memory.max or
 * memory.high of the cgroup and its ancestors, because the shrinker is
 * not memcg-aware (registering one needs set_shrinker_bit(), which is not
 * exported) and a cgroup's own reclaim cannot free pool pages.
 *
 * A take gives nothing (the fault allocates as before) when the page's
 * node is outside the task's cpuset, or when the task charges another
 * cgroup for the moment (current->active_memcg).
 *
 * Pages leave a pool when:
 * - a fault takes them;
 * - the shrinker runs, under global memory pressure, or through
 *   `echo 2 >/proc/sys/vm/drop_caches`;
 * - the pool has been idle for pool_idle_secs;
 * - its cgroup went offline;
 * - a direct allocation in its cgroup failed without reclaim and OOM
 *   (__GFP_NORETRY, tried first while the cgroup has pool pages): every
 *   pool of that cgroup is drained before the fault retries normally;
 * - its node went offline;
 * - the module exits.
 *
 * Pages of a decommitted or released region never go back into a pool:
 * they are freed, so a pool holds only pages that nobody has written.
 * Pool pages are not region pages, and the module's pages counter does
 * not count them; ratmem_pool_node_stats() reports them.
 *
 * Locking:
 * - ratmem_pool_mutex serializes the creation and removal of pools and
 *   the refill, and is held over page allocations that do not reclaim.
 *   A fault that makes a pool only tries it (mutex_trylock()): a fault,
 *   holding a region's fault_lock, never waits for a refill pass.
 * - pool->lock, a spinlock, guards a pool's page list. Takes, drains and
 *   the shrinker take only this lock; they find pools under RCU, in
 *   ratmem_pool_hash and ratmem_pool_list.
 * - A removed pool is freed after a grace period. Its cgroup reference
 *   is dropped only after its pages were freed.
 */
#include <linux/cgroup.h>
#include <linux/cpuset.h>
#include <linux/hashtable.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "pool.h"

/* Most pages one pool keeps: 16 MiB per node and cgroup. */
#define RATMEM_POOL_PAGES_MAX	4096

static unsigned int ratmem_pool_pages = 64;
module_param_named(pool_pages, ratmem_pool_pages, uint, 0644);
MODULE_PARM_DESC(pool_pages,
		 "Zeroed 4 KiB pages kept ready per NUMA node and memory cgroup (0: no pools; at most 4096)");

static unsigned int ratmem_pool_idle_secs = 30;
module_param_named(pool_idle_secs, ratmem_pool_idle_secs, uint, 0644);
MODULE_PARM_DESC(pool_idle_secs,
		 "A pool no fault took from for this long gives its pages back (at least 1)");

/**
 * struct ratmem_pool - the ready pages of one node for one memory cgroup
 * @hash: in ratmem_pool_hash, keyed by (@memcg, @nid).
 * @all: in ratmem_pool_list.
 * @memcg: the cgroup its pages are charged to, referenced; NULL when the
 *	kernel has no memory cgroups.
 * @nid: the node its pages are on.
 * @lock: guards @pages, @count, @want, @used and @failed.
 * @pages: the pages, linked by page->lru.
 * @count: the number of @pages.
 * @want: it is new, or a take left it below half full: the next pass
 *	of the work item refills it.
 * @used: jiffies of the last take, or of the creation.
 * @failed: jiffies of the last refill that ended short (no memory, or
 *	no room in the cgroup); takes ask again only a second later.
 * @rcu: frees it after a grace period.
 */
struct ratmem_pool {
	struct hlist_node hash;
	struct list_head all;
	struct mem_cgroup *memcg;
	int nid;
	spinlock_t lock; /* protects pages, count, want and used */
	struct list_head pages;
	unsigned int count;
	bool want;
	unsigned long used;
	unsigned long failed;
	struct rcu_head rcu;
};

/* A node's figures; ratmem_pool_node_stats() reads them. */
struct ratmem_pool_node {
	atomic_long_t pages;
	atomic64_t hits;
	atomic64_t misses;
	atomic64_t filled;
	atomic64_t drained;
};

static DEFINE_HASHTABLE(ratmem_pool_hash, 6);
static LIST_HEAD(ratmem_pool_list);
static DEFINE_MUTEX(ratmem_pool_mutex);
static struct ratmem_pool_node *ratmem_pool_nodes;
static struct delayed_work ratmem_pool_work;

static unsigned int ratmem_pool_target(void)
{
	return min(READ_ONCE(ratmem_pool_pages), RATMEM_POOL_PAGES_MAX);
}

static unsigned long ratmem_pool_idle(void)
{
	return (unsigned long)max(READ_ONCE(ratmem_pool_idle_secs), 1U) * HZ;
}

static unsigned long ratmem_pool_key(const struct mem_cgroup *memcg, int nid)
{
	return (unsigned long)memcg ^ (unsigned long)nid;
}

/*
 * The cgroup that a __GFP_ACCOUNT allocation by current is charged to:
 * its task's. RCU read lock held; the result is not referenced.
 */
static struct mem_cgroup *ratmem_pool_memcg(void)
{
	return mem_cgroup_from_task(current);
}

/*
 * Pages the refill may still charge to @memcg: half of the room left
 * under the tightest memory.max or memory.high of it and its ancestors.
 */
static unsigned long ratmem_pool_room(struct mem_cgroup *memcg)
{
	unsigned long room = ULONG_MAX;

#ifdef CONFIG_MEMCG
	for (; memcg; memcg = parent_mem_cgroup(memcg)) {
		unsigned long limit = min(READ_ONCE(memcg->memory.max),
					  READ_ONCE(memcg->memory.high));
		unsigned long usage = page_counter_read(&memcg->memory);

		room = min(room, limit > usage ? limit - usage : 0);
	}
#endif
	return room / 2;
}

/* Does current charge another cgroup for the moment (set_active_memcg())? */
static bool ratmem_pool_charging_elsewhere(void)
{
#ifdef CONFIG_MEMCG
	return in_task() && current->active_memcg;
#else
	return false;
#endif
}

/* The pool of (@memcg, @nid); RCU read lock or ratmem_pool_mutex held. */
static struct ratmem_pool *ratmem_pool_find(const struct mem_cgroup *memcg, int nid)
{
	struct ratmem_pool *pool;

	hash_for_each_possible_rcu(ratmem_pool_hash, pool, hash, ratmem_pool_key(memcg, nid),
				   lockdep_is_held(&ratmem_pool_mutex))
		if (pool->memcg == memcg && pool->nid == nid)
			return pool;
	return NULL;
}

/* Run the refill now (from a take) or again later (idle pools go). */
static void ratmem_pool_kick(unsigned long delay)
{
	mod_delayed_work(system_unbound_wq, &ratmem_pool_work, delay);
}

/* Free up to @max pages of @pool; returns how many. */
static unsigned long ratmem_pool_drain(struct ratmem_pool *pool, unsigned long max)
{
	struct ratmem_pool_node *node = &ratmem_pool_nodes[pool->nid];
	struct page *page, *next;
	unsigned long n = 0;
	LIST_HEAD(gone);

	spin_lock(&pool->lock);
	while (n < max && !list_empty(&pool->pages)) {
		list_move(pool->pages.next, &gone);
		pool->count--;
		n++;
	}
	spin_unlock(&pool->lock);
	list_for_each_entry_safe(page, next, &gone, lru) {
		list_del(&page->lru);
		__free_page(page);		/* uncharges its cgroup */
	}
	atomic_long_sub(n, &node->pages);
	atomic64_add(n, &node->drained);
	return n;
}

/* Unpublish @pool, free its pages, and free it after a grace period. */
static void ratmem_pool_remove(struct ratmem_pool *pool)
{
	lockdep_assert_held(&ratmem_pool_mutex);
	hash_del_rcu(&pool->hash);
	list_del_rcu(&pool->all);
	ratmem_pool_drain(pool, ULONG_MAX);
	if (pool->memcg)
		css_put(&pool->memcg->css);
	kfree_rcu(pool, rcu);
}

/*
 * Make the pool of (current's cgroup, @nid) if there is none and the
 * pools are not busy; may sleep (allocation).
 */
static void ratmem_pool_create(int nid)
{
	struct mem_cgroup *memcg;
	struct ratmem_pool *pool;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);
	if (!pool)
		return;
	/* Busy with a refill pass: the next miss makes the pool. */
	if (!mutex_trylock(&ratmem_pool_mutex)) {
		kfree(pool);
		return;
	}
	rcu_read_lock();
	memcg = ratmem_pool_memcg();
	if (memcg && !css_tryget_online(&memcg->css))
		memcg = ERR_PTR(-ENOENT);		/* a cgroup going away */
	rcu_read_unlock();
	if (IS_ERR(memcg) || ratmem_pool_find(memcg, nid)) {
		if (!IS_ERR_OR_NULL(memcg))
			css_put(&memcg->css);
		mutex_unlock(&ratmem_pool_mutex);
		kfree(pool);
		return;
	}
	pool->memcg = memcg;
	pool->nid = nid;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->pages);
	pool->used = jiffies;
	pool->want = true;
	hash_add_rcu(ratmem_pool_hash, &pool->hash, ratmem_pool_key(memcg, nid));
	list_add_tail_rcu(&pool->all, &ratmem_pool_list);
	mutex_unlock(&ratmem_pool_mutex);
	ratmem_pool_kick(0);
}

/**
 * ratmem_pool_take() - a zeroed page from a pool, if one is ready
 * @nid: the node the page must be on; NUMA_NO_NODE for the local node
 *
 * The page is order 0, zeroed and charged to the current task's memory
 * cgroup, as alloc_pages_node(@nid, GFP_HIGHUSER | __GFP_ZERO |
 * __GFP_ACCOUNT | __GFP_THISNODE, 0) would give it. A miss asks for the
 * pool to be made or refilled in the background.
 *
 * Nothing is given, and no pool made, for a node outside the task's
 * cpuset, or while the task charges another cgroup (active_memcg).
 *
 * Context: process context; may sleep (on a miss with no pool yet).
 * Return: the page, or NULL.
 */
struct page *ratmem_pool_take(int nid)
{
	unsigned int target = ratmem_pool_target();
	struct ratmem_pool *pool;
	struct page *page = NULL;
	bool kick = false;

	if (!target || ratmem_pool_charging_elsewhere())
		return NULL;
	if (nid == NUMA_NO_NODE)
		nid = numa_mem_id();
	if (nid < 0 || nid >= nr_node_ids || !node_online(nid) ||
	    !node_isset(nid, cpuset_current_mems_allowed))
		return NULL;
	rcu_read_lock();
	pool = ratmem_pool_find(ratmem_pool_memcg(), nid);
	if (pool) {
		spin_lock(&pool->lock);
		page = list_first_entry_or_null(&pool->pages, struct page, lru);
		if (page) {
			list_del(&page->lru);
			pool->count--;
		}
		pool->used = jiffies;
		if (pool->count < target / 2 + 1 && !pool->want &&
		    !time_before(jiffies, pool->failed + HZ)) {
			pool->want = true;
			kick = true;
		}
		spin_unlock(&pool->lock);
	}
	rcu_read_unlock();
	if (page) {
		atomic_long_dec(&ratmem_pool_nodes[nid].pages);
		atomic64_inc(&ratmem_pool_nodes[nid].hits);
	} else {
		atomic64_inc(&ratmem_pool_nodes[nid].misses);
	}
	if (!pool)
		ratmem_pool_create(nid);
	else if (kick)
		ratmem_pool_kick(0);
	return page;
}

/**
 * ratmem_pool_held_current() - does current's cgroup have pool pages?
 *
 * Context: any context.
 * Return: true when one of its pools, on any node, holds pages.
 */
bool ratmem_pool_held_current(void)
{
	struct ratmem_pool *pool;
	struct mem_cgroup *memcg;
	bool held = false;
	int nid;

	rcu_read_lock();
	memcg = ratmem_pool_memcg();
	for_each_online_node(nid) {
		pool = ratmem_pool_find(memcg, nid);
		if (pool && READ_ONCE(pool->count)) {
			held = true;
			break;
		}
	}
	rcu_read_unlock();
	return held;
}

/**
 * ratmem_pool_drain_current() - give back the pool pages of current's cgroup
 *
 * For an allocation that failed: the cgroup's pool pages on every node
 * are freed, so that a retry can use the room they held.
 *
 * Context: any context that may free pages.
 * Return: true when pages were freed.
 */
bool ratmem_pool_drain_current(void)
{
	struct ratmem_pool *pool;
	struct mem_cgroup *memcg;
	unsigned long n = 0;
	int nid;

	rcu_read_lock();
	memcg = ratmem_pool_memcg();
	for_each_online_node(nid) {
		pool = ratmem_pool_find(memcg, nid);
		if (pool)
			n += ratmem_pool_drain(pool, ULONG_MAX);
	}
	rcu_read_unlock();
	return n;
}

/* Fill @pool up to @target pages, without reclaim; ratmem_pool_mutex held. */
static void ratmem_pool_fill(struct ratmem_pool *pool, unsigned int target)
{
	const gfp_t gfp = (GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT | __GFP_THISNODE |
			   __GFP_NOWARN) & ~__GFP_DIRECT_RECLAIM;
	struct ratmem_pool_node *node = &ratmem_pool_nodes[pool->nid];
	struct mem_cgroup *old;
	struct page *page;
	unsigned int n;

	unsigned long room = ratmem_pool_room(pool->memcg);

	spin_lock(&pool->lock);
	pool->want = false;
	n = pool->count;
	spin_unlock(&pool->lock);
	if (room < target - min(n, target))
		target = n + room;
	while (n < target) {
		old = set_active_memcg(pool->memcg);
		page = alloc_pages_node(pool->nid, gfp, 0);
		set_active_memcg(old);
		if (!page)
			break;
		spin_lock(&pool->lock);
		list_add(&page->lru, &pool->pages);
		n = ++pool->count;
		spin_unlock(&pool->lock);
		atomic_long_inc(&node->pages);
		atomic64_inc(&node->filled);
		cond_resched();
	}
	if (n < ratmem_pool_target()) {
		spin_lock(&pool->lock);
		pool->failed = jiffies;
		spin_unlock(&pool->lock);
	}
}

static void ratmem_pool_work_fn(struct work_struct *work)
{
	unsigned int target = ratmem_pool_target();
	unsigned long idle = ratmem_pool_idle();
	struct ratmem_pool *pool, *next;
	bool stale, want;

	mutex_lock(&ratmem_pool_mutex);
	list_for_each_entry_safe(pool, next, &ratmem_pool_list, all) {
		spin_lock(&pool->lock);
		stale = time_after(jiffies, pool->used + idle);
		want = pool->want;
		spin_unlock(&pool->lock);
		if (!target || stale || !node_online(pool->nid) ||
		    (pool->memcg && !mem_cgroup_online(pool->memcg)))
			ratmem_pool_remove(pool);
		else if (want)
			ratmem_pool_fill(pool, target);
	}
	/*
	 * Come back to retire idle pools. A pool is refilled only when a
	 * take asked (or when it is new), never just because the shrinker
	 * emptied it: the next take that finds it below half full asks.
	 */
	if (!list_empty(&ratmem_pool_list))
		queue_delayed_work(system_unbound_wq, &ratmem_pool_work, min(idle, 5UL * HZ));
	mutex_unlock(&ratmem_pool_mutex);
}

static unsigned long ratmem_pool_count(struct shrinker *s, struct shrink_control *sc)
{
	long n = atomic_long_read(&ratmem_pool_nodes[sc->nid].pages);

	return n > 0 ? n : SHRINK_EMPTY;
}

static unsigned long ratmem_pool_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct ratmem_pool *pool;
	unsigned long n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(pool, &ratmem_pool_list, all) {
		if (pool->nid != sc->nid)
			continue;
		n += ratmem_pool_drain(pool, sc->nr_to_scan - n);
		if (n >= sc->nr_to_scan)
			break;
	}
	rcu_read_unlock();
	return n ? n : SHRINK_STOP;
}

#ifdef HAVE_SHRINKER_ALLOC
static struct shrinker *ratmem_pool_shrinker;

static int ratmem_pool_shrinker_register(void)
{
	ratmem_pool_shrinker = shrinker_alloc(SHRINKER_NUMA_AWARE, "ratmem-pool");
	if (!ratmem_pool_shrinker)
		return -ENOMEM;
	ratmem_pool_shrinker->count_objects = ratmem_pool_count;
	ratmem_pool_shrinker->scan_objects = ratmem_pool_scan;
	ratmem_pool_shrinker->seeks = DEFAULT_SEEKS;
	shrinker_register(ratmem_pool_shrinker);
	return 0;
}

static void ratmem_pool_shrinker_unregister(void)
{
	shrinker_free(ratmem_pool_shrinker);
}
#else
static struct shrinker ratmem_pool_shrinker = {
	.count_objects	= ratmem_pool_count,
	.scan_objects	= ratmem_pool_scan,
	.seeks		= DEFAULT_SEEKS,
	.flags		= SHRINKER_NUMA_AWARE,
};

static int ratmem_pool_shrinker_register(void)
{
	return register_shrinker(&ratmem_pool_shrinker, "ratmem-pool");
}

static void ratmem_pool_shrinker_unregister(void)
{
	unregister_shrinker(&ratmem_pool_shrinker);
}
#endif

/**
 * ratmem_pool_node_stats() - one node's pool figures
 * @nid: the node, below nr_node_ids
 * @st: filled in
 *
 * Context: any context.
 */
void ratmem_pool_node_stats(int nid, struct ratmem_pool_stats *st)
{
	const struct ratmem_pool_node *node = &ratmem_pool_nodes[nid];
	long pages = atomic_long_read(&node->pages);

	st->pages = pages > 0 ? pages : 0;
	st->hits = atomic64_read(&node->hits);
	st->misses = atomic64_read(&node->misses);
	st->filled = atomic64_read(&node->filled);
	st->drained = atomic64_read(&node->drained);
}

/**
 * ratmem_pool_init() - set up the pools and register their shrinker
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int ratmem_pool_init(void)
{
	int ret;

	ratmem_pool_nodes = kcalloc(nr_node_ids, sizeof(*ratmem_pool_nodes), GFP_KERNEL);
	if (!ratmem_pool_nodes)
		return -ENOMEM;
	INIT_DELAYED_WORK(&ratmem_pool_work, ratmem_pool_work_fn);
	ret = ratmem_pool_shrinker_register();
	if (ret)
		kfree(ratmem_pool_nodes);
	return ret;
}

/**
 * ratmem_pool_exit() - free every pool and its pages
 *
 * Context: module exit: no context is open, so no fault can take.
 */
void ratmem_pool_exit(void)
{
	struct ratmem_pool *pool, *next;

	ratmem_pool_shrinker_unregister();
	cancel_delayed_work_sync(&ratmem_pool_work);
	mutex_lock(&ratmem_pool_mutex);
	list_for_each_entry_safe(pool, next, &ratmem_pool_list, all)
		ratmem_pool_remove(pool);
	mutex_unlock(&ratmem_pool_mutex);
	/* The pools freed above go after a grace period: wait for it. */
	rcu_barrier();
	kfree(ratmem_pool_nodes);
}
