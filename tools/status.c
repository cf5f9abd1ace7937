// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: the module's status (RATMEM_CMD_GET_STATUS), for status, top
 * and export.
 */
#include <string.h>

#include <netlink/attr.h>

#include <linux/ratmem_genl.h>

#include "ctl.h"

const struct status_counter status_counters[NSTATUS_COUNTERS] = {
	{ RATMEM_A_STAT_CONTEXTS, "contexts", "open contexts", "Open /dev/ratmem contexts." },
	{ RATMEM_A_STAT_REGIONS, "regions", "regions", "Live regions." },
	{ RATMEM_A_STAT_HANDLES, "handles", "handles", "Live handles." },
	{ RATMEM_A_STAT_PAGES, "pages", "pages", "Allocated pages." },
	{ RATMEM_A_STAT_MAPPINGS, "mappings", "mappings", "Live mappings." },
	{ RATMEM_A_STAT_GRANTS, "grants", "grants", "Live grant capabilities." },
	{ RATMEM_A_STAT_NAMES, "names", "names", "Region names." },
	{ RATMEM_A_STAT_QUOTAS, "quotas", "quotas", "Per-process quotas." },
};

static struct nla_policy pool_policy[RATMEM_POOL_A_MAX + 1] = {
	[RATMEM_POOL_A_PAGES] = { .type = NLA_U64 },
	[RATMEM_POOL_A_HITS] = { .type = NLA_U64 },
	[RATMEM_POOL_A_MISSES] = { .type = NLA_U64 },
	[RATMEM_POOL_A_FILLED] = { .type = NLA_U64 },
	[RATMEM_POOL_A_DRAINED] = { .type = NLA_U64 },
};

/* RATMEM_A_POOL: one nest per node, type node + 1. */
static void pools_parse(struct nlattr *all, struct status *s)
{
	struct nlattr *one;
	int rem;

	nla_for_each_nested(one, all, rem) {
		struct nlattr *tb[RATMEM_POOL_A_MAX + 1];
		struct status_pool *p;

		if (s->npools == STATUS_POOLS_MAX || nla_type(one) < 1 ||
		    nla_parse_nested(tb, RATMEM_POOL_A_MAX, one, pool_policy) < 0)
			continue;
		p = &s->pools[s->npools++];
		p->node = (uint32_t)nla_type(one) - 1;
		p->pages = attr_u64(tb, RATMEM_POOL_A_PAGES, 0);
		p->hits = attr_u64(tb, RATMEM_POOL_A_HITS, 0);
		p->misses = attr_u64(tb, RATMEM_POOL_A_MISSES, 0);
		p->filled = attr_u64(tb, RATMEM_POOL_A_FILLED, 0);
		p->drained = attr_u64(tb, RATMEM_POOL_A_DRAINED, 0);
	}
}

static int on_status(struct nlattr **tb, void *arg)
{
	struct status *s = arg;

	s->seen = true;
	if (tb[RATMEM_A_VERSION])
		snprintf(s->version, sizeof(s->version), "%s",
			 (const char *)nla_data(tb[RATMEM_A_VERSION]));
	s->abi = attr_u32(tb, RATMEM_A_ABI_VERSION, 0);
	s->features = attr_u64(tb, RATMEM_A_FEATURES, 0);
	s->seq = attr_u64(tb, RATMEM_A_SEQ, 0);
	s->has_seq = tb[RATMEM_A_SEQ] != NULL;
	for (size_t i = 0; i < NSTATUS_COUNTERS; i++) {
		s->has[i] = tb[status_counters[i].attr] != NULL;
		s->val[i] = attr_u64(tb, status_counters[i].attr, 0);
	}
	if (tb[RATMEM_A_POOL])
		pools_parse(tb[RATMEM_A_POOL], s);
	return 0;
}

int status_fetch(struct rnl *n, struct status *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = rnl_call(n, RATMEM_CMD_GET_STATUS, false, 0, "status", on_status, s);
	if (ret)
		return ret;
	if (!s->seen)
		return runtime_error("status: the module sent no reply");
	return 0;
}
