// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl quota [list [PID]] (alias: ps): every process's quota, its
 * usage and limits (the RATMEM_CMD_GET_QUOTAS dump). A resource's column
 * is "USAGE/LIMIT" in tables and {"usage": N, "limit": N or null} in
 * JSON. RESIDENT, the resident bytes of the regions a process created,
 * comes from the region dump (listed under the creator's pid), folded
 * per pid as top does it (snap.c) before the quota dump.
 */
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

#define COL_PID		(-1)
#define COL_STATE	(-2)
#define COL_RESIDENT	(-3)

#define D COL_DEFAULT
#define R COL_RIGHT
static const struct col quota_cols[] = {
	{ .name = "PID", .flags = D | R, .id = COL_PID, .help = "process id" },
	{ .name = "RESERVED", .flags = D | R, .id = RATMEM_RES_RESERVED,
	  .help = "reserved bytes: usage/limit" },
	{ .name = "COMMITTED", .flags = D | R, .id = RATMEM_RES_COMMITTED,
	  .help = "committed bytes: usage/limit" },
	{ .name = "RESIDENT", .flags = D | R, .id = COL_RESIDENT,
	  .help = "bytes backed by pages of the regions it created" },
	{ .name = "SHARED", .flags = D | R, .id = RATMEM_RES_SHARED,
	  .help = "bytes of regions shared with it: usage/limit" },
	{ .name = "HANDLES", .flags = D | R, .id = RATMEM_RES_HANDLES,
	  .help = "handles: usage/limit" },
	{ .name = "GRANTS", .flags = D | R, .id = RATMEM_RES_GRANTS,
	  .help = "live grants it issued: usage/limit" },
	{ .name = "STATE", .flags = D, .id = COL_STATE,
	  .help = "live, or exited (its regions live on)" },
};
#undef D
#undef R
#define NQUOTA_COLS ((int)(sizeof(quota_cols) / sizeof(quota_cols[0])))

static char *json_resource(uint64_t usage, uint64_t limit)
{
	if (limit == RATMEM_LIMIT_NONE)
		return xasprintf("{\"usage\":%llu,\"limit\":null}", (unsigned long long)usage);
	return xasprintf("{\"usage\":%llu,\"limit\":%llu}", (unsigned long long)usage,
			 (unsigned long long)limit);
}

int quota_row(struct nlattr **tb, void *arg)
{
	struct listing *l = arg;
	struct table *t = &l->t;
	uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
	bool exited = tb[RATMEM_A_EXITED] != NULL;
	int row = table_add_row(t, 0, 0);

	attr_res_nest(tb, RATMEM_A_USAGE, usage, 0);
	attr_res_nest(tb, RATMEM_A_LIMITS, limit, RATMEM_LIMIT_NONE);
	for (int c = 0; c < t->ncols; c++) {
		int id = t->cols[c]->id;
		char buf[64], u[24], lim[24];

		if (id == COL_PID) {
			if (!tb[RATMEM_A_PID]) {
				table_set(t, row, c, "-", NULL);
				continue;
			}
			snprintf(buf, sizeof(buf), "%u", attr_u32(tb, RATMEM_A_PID, 0));
			table_set(t, row, c, buf, xstrdup(buf));
		} else if (id == COL_RESIDENT) {
			const struct snapshot *s = l->priv;
			const struct proc_stat *p;
			uint64_t resident;

			if (!s || !tb[RATMEM_A_PID]) {
				table_set(t, row, c, "-", NULL);
				continue;
			}
			p = snap_find(s, attr_u32(tb, RATMEM_A_PID, 0));
			resident = p ? p->resident : 0;
			table_set(t, row, c, fmt_size(buf, sizeof(buf), resident, l->c->bytes),
				  xasprintf("%llu", (unsigned long long)resident));
		} else if (id == COL_STATE) {
			table_set(t, row, c, exited ? "exited" : "live",
				  xstrdup(exited ? "\"exited\"" : "\"live\""));
		} else {
			snprintf(buf, sizeof(buf), "%s/%s",
				 fmt_res(u, sizeof(u), id, usage[id], false, l->c->bytes),
				 fmt_res(lim, sizeof(lim), id, limit[id], true, l->c->bytes));
			table_set(t, row, c, buf, json_resource(usage[id], limit[id]));
		}
	}
	return 0;
}

bool quota_list_needs_regions(const struct listing *l)
{
	for (int c = 0; c < l->t.ncols; c++)
		if (l->t.cols[c]->id == COL_RESIDENT)
			return true;
	return false;
}

static int fetch_regions(struct rnl *n, pid_t pid, void *arg)
{
	return snap_regions(n, arg, pid);
}

int quota_list_init(struct listing *l, const struct ctl *c, const char *cmd)
{
	return listing_init(l, c, cmd, quota_cols, NQUOTA_COLS);
}

int cmd_quota_list(const struct ctl *c, int argc, char **argv)
{
	struct snapshot regions;
	struct listing l;
	pid_t pid;
	int ret;

	if (c->list_columns)
		return argc > 1 ? usage_error("%s: unexpected argument '%s'", argv[0], argv[1])
				: cols_list(quota_cols, NQUOTA_COLS, c->json, stdout);
	ret = optional_pid_arg(argc, argv, &pid);
	if (!ret)
		ret = quota_list_init(&l, c, argv[0]);
	if (ret)
		return ret;
	/* The regions first, on the same connection: only when RESIDENT
	 * is shown. */
	snap_init(&regions);
	if (quota_list_needs_regions(&l)) {
		l.priv = &regions;
		l.before = fetch_regions;
		l.before_arg = &regions;
	}
	ret = listing_run(&l, "processes", RATMEM_CMD_GET_QUOTAS, pid, quota_row, &l);
	snap_free(&regions);
	return ret;
}
