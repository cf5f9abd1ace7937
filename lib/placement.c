// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: where a region's pages are, and when they appear
 * (RatMemSetPolicy, RatMemMigrate, RatMemNodeUsage, RatMemPopulate).
 *
 * MIGRATE copies pages and POPULATE allocates them: either may run for
 * long, so, like a wait (wait.c), they run on a duplicate of the
 * context's descriptor, taken under the context lock and used without
 * it, and every other RatAPI call of the process goes on meanwhile.
 */
#include <errno.h>
#include <fcntl.h>

#include "rat_internal.h"

/* A duplicate of the context descriptor fd (the caller holds the
 * context lock), to be closed with rat_close(). */
static RatStatus dup_locked(int fd, int *out)
{
	RatStatus st = RAT_STATUS_OK;
	int saved = errno;

	*out = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (*out < 0)
		st = RatStatusFromErrno(-errno);
	errno = saved;
	return st;
}

RatStatus RatMemSetPolicy(HMEM mem, RatNumaPolicy policy, uint64_t nodemask)
{
	RatStatus st;
	int fd, ret;

	st = rat_hmem_lock(mem, RATMEM_FEATURE_NUMA, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	ret = rat_policy(fd, mem->region.handle, (uint32_t)policy, nodemask);
	rat_ctx_unlock();
	return rat_set_status(rat_hmem_status(mem, ret));
}

/*
 * The pages, of 1 << shift bytes, of a region of size bytes that hold a
 * byte of [offset, offset + length) (length 0: to the end of the region),
 * as m->offset and m->length. RAT_STATUS_INVALID_ARG when the range is
 * not inside the region.
 */
static RatStatus migrate_range(const struct ratmem_query *q, uint64_t offset, uint64_t length,
			       struct ratmem_migrate *m)
{
	uint64_t page, end;

	if (q->page_shift >= 64 || offset >= q->size)
		return RAT_STATUS_INVALID_ARG;
	if (length == 0)
		length = q->size - offset;
	if (length > q->size - offset)
		return RAT_STATUS_INVALID_ARG;
	/* The size is a multiple of the page: end rounds up within it. */
	page = (uint64_t)1 << q->page_shift;
	end = (offset + length + page - 1) & ~(page - 1);
	m->offset = offset & ~(page - 1);
	m->length = end - m->offset;
	return RAT_STATUS_OK;
}

RatStatus RatMemMigrate(HMEM mem, size_t offset, size_t size, int node, unsigned int flags)
{
	struct ratmem_migrate m = { .node = node };
	struct ratmem_query q = { 0 };
	RatStatus st;
	int fd, own, ret;

	if (!mem || node < 0 || (flags & ~(unsigned int)RAT_MIGRATE_LAZY))
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	m.flags = (flags & RAT_MIGRATE_LAZY) ? RATMEM_MIGRATE_LAZY : 0;
	st = rat_hmem_lock(mem, RATMEM_FEATURE_NUMA, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	/* The region's page size: the range is rounded out to its pages. */
	q.handle = mem->region.handle;
	ret = rat_query(fd, &q);
	st = rat_hmem_status(mem, ret);
	if (st == RAT_STATUS_OK)
		st = migrate_range(&q, offset, size, &m);
	if (st == RAT_STATUS_OK)
		st = dup_locked(fd, &own);
	rat_ctx_unlock();
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	m.handle = mem->region.handle;
	ret = rat_migrate(own, &m);
	rat_close(own);
	return rat_set_status(rat_hmem_status(mem, ret));
}

RatStatus RatMemNodeUsage(HMEM mem, uint64_t *pages, size_t nr_nodes, size_t *nr_out)
{
	struct ratmem_nodes n = { 0 };
	size_t filled;
	RatStatus st;
	int fd, ret;

	if (!pages && nr_nodes)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	/* No system has more node ids than the kernel counts at most. */
	n.nr_nodes = nr_nodes < RATMEM_NODES_MAX ? (uint32_t)nr_nodes : RATMEM_NODES_MAX;
	n.counts = (uint64_t)(uintptr_t)pages;
	st = rat_hmem_lock(mem, RATMEM_FEATURE_NUMA, &fd);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	n.handle = mem->region.handle;
	ret = rat_nodes(fd, &n);
	rat_ctx_unlock();
	st = rat_hmem_status(mem, ret);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	/* The kernel fills the entries of the node ids it has. */
	filled = n.nr_nodes < nr_nodes ? n.nr_nodes : nr_nodes;
	for (size_t i = filled; i < nr_nodes; i++)
		pages[i] = 0;
	if (nr_out)
		*nr_out = n.nr_nodes;
	return rat_set_status(RAT_STATUS_OK);
}

RatStatus RatMemPopulate(RatMemPtr ptr, size_t size)
{
	uintptr_t p = (uintptr_t)ptr, page = rat_page_size(), start, end;
	RatStatus st;
	uint64_t gen;
	int fd, own, ret;

	if (!ptr || size == 0 || size > UINTPTR_MAX - p || p + size > UINTPTR_MAX - (page - 1))
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	start = p & ~(page - 1);
	end = (p + size + page - 1) & ~(page - 1);
	/* Any context may populate any of the process's ratmem mappings. */
	st = rat_ctx_lock(RATMEM_FEATURE_POPULATE, &fd, &gen);
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	st = dup_locked(fd, &own);
	rat_ctx_unlock();
	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	ret = rat_populate(own, (void *)start, end - start);
	rat_close(own);
	return rat_set_status(RatStatusFromErrno(ret));
}
