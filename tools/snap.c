// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: a snapshot of the module for top and export: the status,
 * and per process its quota (usage and limits) and the regions it
 * created (how many, their resident and committed bytes), from the
 * quota and region dumps; optionally how many grants are pending or
 * accepted. The folding (snap_add_*) needs no module: fmt_test.c feeds
 * it synthetic objects. quota list joins the region dump the same way
 * for its RESIDENT column.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/ratmem_genl.h>

#include "ctl.h"

void snap_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void snap_free(struct snapshot *s)
{
	free(s->procs);
	s->procs = NULL;
	s->nprocs = s->cap = 0;
}

/* Where @pid is in s->procs, or would go. */
static int snap_index(const struct snapshot *s, uint32_t pid)
{
	int lo = 0, hi = s->nprocs;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct proc_stat *snap_find(const struct snapshot *s, uint32_t pid)
{
	int i = snap_index(s, pid);

	return i < s->nprocs && s->procs[i].pid == pid ? &s->procs[i] : NULL;
}

struct proc_stat *snap_proc(struct snapshot *s, uint32_t pid)
{
	int lo = snap_index(s, pid);
	struct proc_stat *p;

	if (lo < s->nprocs && s->procs[lo].pid == pid)
		return &s->procs[lo];
	if (s->nprocs == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->procs = xrealloc(s->procs, sizeof(*s->procs) * (size_t)s->cap);
	}
	p = &s->procs[lo];
	memmove(p + 1, p, sizeof(*p) * (size_t)(s->nprocs - lo));
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		p->limit[res] = RATMEM_LIMIT_NONE;
	s->nprocs++;
	return p;
}

void snap_add_quota(struct snapshot *s, uint32_t pid, bool exited, const uint64_t *usage,
		    const uint64_t *limit)
{
	struct proc_stat *p = snap_proc(s, pid);

	p->has_quota = true;
	p->exited = exited;
	memcpy(p->usage, usage, sizeof(p->usage));
	memcpy(p->limit, limit, sizeof(p->limit));
}

void snap_add_region(struct snapshot *s, uint32_t pid, uint64_t size, uint64_t committed,
		     uint64_t resident, uint64_t pending, const struct node_pages *np, int nnp)
{
	struct proc_stat *p = snap_proc(s, pid);

	p->regions++;
	p->resident += resident;
	p->committed += committed;
	s->regions++;
	s->size += size;
	s->committed += committed;
	s->resident += resident;
	s->pending += pending;
	if (nnp >= 0)
		s->has_nodes = true;
	for (int i = 0; i < nnp; i++)
		if (np[i].node < RATMEM_NODES_MAX)
			s->node_pages[np[i].node] += np[i].pages;
}

void snap_add_grant(struct snapshot *s, bool accepted)
{
	if (accepted)
		s->grants_accepted++;
	else
		s->grants_pending++;
}

static int on_quota(struct nlattr **tb, void *arg)
{
	uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];

	if (!tb[RATMEM_A_PID])
		return 0;
	attr_res_nest(tb, RATMEM_A_USAGE, usage, 0);
	attr_res_nest(tb, RATMEM_A_LIMITS, limit, RATMEM_LIMIT_NONE);
	snap_add_quota(arg, attr_u32(tb, RATMEM_A_PID, 0), tb[RATMEM_A_EXITED] != NULL, usage,
		       limit);
	return 0;
}

static struct node_pages snap_nodes[RATMEM_NODES_MAX];

int snap_region_row(struct nlattr **tb, void *arg)
{
	int n = attr_node_pages(tb, RATMEM_A_NODE_PAGES, snap_nodes, RATMEM_NODES_MAX);

	/* A module that reports a policy sends no nest when nothing is
	 * resident: that is no page on any node, not an unknown. */
	if (n < 0 && tb[RATMEM_A_POLICY])
		n = 0;
	snap_add_region(arg, attr_u32(tb, RATMEM_A_PID, 0), attr_u64(tb, RATMEM_A_SIZE, 0),
			attr_u64(tb, RATMEM_A_COMMITTED, 0), attr_u64(tb, RATMEM_A_RESIDENT, 0),
			attr_u64(tb, RATMEM_A_PENDING, 0), snap_nodes, n);
	return 0;
}

int snap_regions(struct rnl *n, struct snapshot *s, pid_t pid)
{
	return rnl_call(n, RATMEM_CMD_GET_REGIONS, true, pid, "regions", snap_region_row, s);
}

static int on_grant(struct nlattr **tb, void *arg)
{
	snap_add_grant(arg, tb[RATMEM_A_ACCEPTED] != NULL);
	return 0;
}

int snap_take(struct rnl *n, struct snapshot *s, bool grants)
{
	int ret;

	snap_free(s);
	snap_init(s);
	ret = status_fetch(n, &s->st);
	if (!ret)
		ret = rnl_call(n, RATMEM_CMD_GET_QUOTAS, true, 0, "quotas", on_quota, s);
	if (!ret)
		ret = snap_regions(n, s, 0);
	if (!ret && grants)
		ret = rnl_call(n, RATMEM_CMD_GET_GRANTS, true, 0, "grants", on_grant, s);
	return ret;
}
