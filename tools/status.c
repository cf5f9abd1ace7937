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
