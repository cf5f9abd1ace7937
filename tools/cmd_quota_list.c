// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl quota [list [PID]] (alias: ps): every process's quota, its
 * usage and limits (the RATMEM_CMD_GET_QUOTAS dump).
 */
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

#define PS_COLS (2 + RATMEM_RES_COUNT)

static int on_quota(struct nlattr **tb, void *arg)
{
	struct listing *p = arg;
	uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
	bool exited = tb[RATMEM_A_EXITED] != NULL;

	attr_res_nest(tb, RATMEM_A_USAGE, usage, 0);
	attr_res_nest(tb, RATMEM_A_LIMITS, limit, RATMEM_LIMIT_NONE);
	if (p->json) {
		json_obj_open(&p->j);
		json_key(&p->j, "pid");
		if (tb[RATMEM_A_PID])
			json_u64(&p->j, attr_u32(tb, RATMEM_A_PID, 0));
		else
			json_null(&p->j);
		json_key(&p->j, "exited");
		json_bool(&p->j, exited);
		json_usage_limits(&p->j, usage, limit);
		json_obj_close(&p->j);
	} else {
		char buf[PS_COLS][48];
		const char *row[PS_COLS];

		snprintf(buf[0], sizeof(buf[0]), "%u", attr_u32(tb, RATMEM_A_PID, 0));
		for (int res = 0; res < RATMEM_RES_COUNT; res++) {
			char u[24], l[24];

			snprintf(buf[res + 1], sizeof(buf[res + 1]), "%s/%s",
				 fmt_res(u, sizeof(u), res, usage[res], false),
				 fmt_res(l, sizeof(l), res, limit[res], true));
		}
		snprintf(buf[PS_COLS - 1], sizeof(buf[0]), "%s", exited ? "exited" : "live");
		for (int i = 0; i < PS_COLS; i++)
			row[i] = buf[i];
		table_add(&p->t, row);
	}
	return 0;
}

int cmd_quota_list(const struct ctl *c, int argc, char **argv)
{
	static const char *const heads[PS_COLS] = {
		"PID", "RESERVED", "COMMITTED", "SHARED", "HANDLES", "GRANTS", "STATE",
	};
	static const bool right[PS_COLS] = { true, true, true, true, true, true, false };
	struct listing l = { .json = c->json };
	pid_t pid;
	int ret;

	ret = optional_pid_arg(argc, argv, &pid);
	if (ret)
		return ret;
	table_init(&l.t, PS_COLS, heads, right);
	return listing_run(&l, "processes", RATMEM_CMD_GET_QUOTAS, pid, on_quota, &l);
}
