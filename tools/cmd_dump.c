// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl ps, regions, handles and grants: the four dumps. Each dump
 * but ps is described by a table of fields, from which both the table
 * and the JSON come.
 */
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

enum fkind {
	F_NUM,		/* u32 or u64 as a number */
	F_BYTES,	/* u64 bytes: human in tables, exact in JSON */
	F_HEX64,	/* u64 id as 16 hex digits */
	F_RIGHTS,	/* u32 RATMEM_RIGHT_* */
	F_CAPKIND,	/* u32 enum ratmem_genl_cap_kind */
	F_FLAG,		/* flag: on/off words in tables, a boolean in JSON */
	F_POLICY,	/* u32 RATMEM_POLICY_* */
	F_NODEMASK,	/* u64 node mask: an array of node ids in JSON */
	F_NODES,	/* nest of per-node pages: "0:512,1:12" in tables */
};

struct field {
	int attr;
	bool is_u32;
	enum fkind kind;
	const char *key;	/* JSON */
	const char *head;	/* table; NULL: JSON only */
	const char *on, *off;	/* F_FLAG in tables */
};

struct dump {
	const char *name;	/* subcommand, and the JSON key of the list */
	int cmd;
	int nfields;
	const struct field *fields;
};

#define FLD(a, u32, k, jkey, th) \
	{ .attr = (a), .is_u32 = (u32), .kind = (k), .key = (jkey), .head = (th) }
#define FLAG(a, jkey, th, yes, no) \
	{ .attr = (a), .kind = F_FLAG, .key = (jkey), .head = (th), .on = (yes), .off = (no) }

static const struct field region_fields[] = {
	FLD(RATMEM_A_REGION_ID, false, F_NUM, "region_id", "REGION"),
	FLD(RATMEM_A_PID, true, F_NUM, "pid", "PID"),
	FLD(RATMEM_A_SIZE, false, F_BYTES, "size", "SIZE"),
	FLD(RATMEM_A_COMMITTED, false, F_BYTES, "committed", "COMMITTED"),
	FLD(RATMEM_A_RESIDENT, false, F_BYTES, "resident", "RESIDENT"),
	FLD(RATMEM_A_RIGHTS, true, F_RIGHTS, "rights", "RIGHTS"),
	FLD(RATMEM_A_MAPPERS, true, F_NUM, "mappers", "MAPPERS"),
	FLD(RATMEM_A_POLICY, true, F_POLICY, "policy", "POLICY"),
	FLD(RATMEM_A_NODEMASK, false, F_NODEMASK, "nodemask", NULL),
	FLD(RATMEM_A_NODE_PAGES, false, F_NODES, "nodes", "NODES"),
	FLD(RATMEM_A_PENDING, false, F_NUM, "pending", "PENDING"),
};

static const struct field handle_fields[] = {
	FLD(RATMEM_A_PID, true, F_NUM, "pid", "PID"),
	FLD(RATMEM_A_HANDLE, true, F_NUM, "handle", "HANDLE"),
	FLD(RATMEM_A_REGION_ID, false, F_NUM, "region_id", "REGION"),
	FLD(RATMEM_A_RIGHTS, true, F_RIGHTS, "rights", "RIGHTS"),
	FLD(RATMEM_A_CAP_KIND, true, F_CAPKIND, "kind", "KIND"),
	FLD(RATMEM_A_CAP_ID, false, F_HEX64, "cap_id", "CAPABILITY"),
	FLAG(RATMEM_A_REVOKED, "revoked", "STATE", "revoked", "live"),
};

static const struct field grant_fields[] = {
	FLD(RATMEM_A_CAP_ID, false, F_HEX64, "cap_id", "CAPABILITY"),
	FLD(RATMEM_A_REGION_ID, false, F_NUM, "region_id", "REGION"),
	FLD(RATMEM_A_PID, true, F_NUM, "pid", "PID"),
	FLD(RATMEM_A_PEER_PID, true, F_NUM, "peer_pid", "PEER"),
	FLD(RATMEM_A_RIGHTS, true, F_RIGHTS, "rights", "RIGHTS"),
	FLD(RATMEM_A_SIZE, false, F_BYTES, "size", "SIZE"),
	FLAG(RATMEM_A_ACCEPTED, "accepted", "STATE", "accepted", "pending"),
};

#define DUMP(n, c, f) { n, c, (int)(sizeof(f) / sizeof(f[0])), f }
static const struct dump dumps[] = {
	DUMP("regions", RATMEM_CMD_GET_REGIONS, region_fields),
	DUMP("handles", RATMEM_CMD_GET_HANDLES, handle_fields),
	DUMP("grants", RATMEM_CMD_GET_GRANTS, grant_fields),
};

#define MAX_FIELDS 12
/* A table cell: wide enough for the pages of a few nodes. */
#define CELL_LEN 128

struct run {
	const struct dump *d;
	struct listing l;
};

static uint64_t field_value(struct nlattr **tb, const struct field *f)
{
	/* A nest has no value of its own. */
	if (f->kind == F_NODES)
		return 0;
	return f->is_u32 ? attr_u32(tb, f->attr, 0) : attr_u64(tb, f->attr, 0);
}

/* A node id can be up to RATMEM_NODES_MAX - 1. */
static struct node_pages node_pages[RATMEM_NODES_MAX];

static void json_nodes(struct json *j, struct nlattr **tb, int attr)
{
	int n = attr_node_pages(tb, attr, node_pages, RATMEM_NODES_MAX);

	json_arr_open(j);
	for (int i = 0; i < n; i++) {
		json_obj_open(j);
		json_key(j, "node");
		json_u64(j, node_pages[i].node);
		json_key(j, "pages");
		json_u64(j, node_pages[i].pages);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void json_nodemask(struct json *j, uint64_t mask)
{
	json_arr_open(j);
	for (unsigned int node = 0; node < RATMEM_NODEMASK_BITS; node++)
		if (mask & (1ULL << node))
			json_u64(j, node);
	json_arr_close(j);
}

static void json_field(struct json *j, struct nlattr **tb, const struct field *f)
{
	uint64_t v = field_value(tb, f);
	const char *name;

	json_key(j, f->key);
	if (f->kind == F_FLAG) {
		json_bool(j, tb[f->attr] != NULL);
		return;
	}
	/* A module that reports a policy knows the pages per node: with
	 * it, a missing nest is an empty list, not an unknown one. */
	if (f->kind == F_NODES && !tb[f->attr] && tb[RATMEM_A_POLICY]) {
		json_arr_open(j);
		json_arr_close(j);
		return;
	}
	if (!tb[f->attr]) {
		json_null(j);
		return;
	}
	switch (f->kind) {
	case F_HEX64:
		json_hex64(j, v);
		break;
	case F_NODEMASK:
		json_nodemask(j, v);
		break;
	case F_NODES:
		json_nodes(j, tb, f->attr);
		break;
	case F_POLICY:
		name = policy_name((uint32_t)v);
		if (name)
			json_str(j, name);
		else
			json_u64(j, v);
		break;
	case F_RIGHTS:
		json_bits(j, right_names, v);
		break;
	case F_CAPKIND:
		name = capkind_name((uint32_t)v);
		if (name)
			json_str(j, name);
		else
			json_u64(j, v);
		break;
	default:
		json_u64(j, v);
	}
}

static void cell(char *buf, size_t len, struct nlattr **tb, const struct field *f)
{
	uint64_t v = field_value(tb, f);
	const char *name;

	if (f->kind == F_FLAG) {
		snprintf(buf, len, "%s", tb[f->attr] ? f->on : f->off);
		return;
	}
	if (!tb[f->attr]) {
		snprintf(buf, len, "-");
		return;
	}
	switch (f->kind) {
	case F_BYTES:
		fmt_bytes(buf, len, v);
		break;
	case F_HEX64:
		snprintf(buf, len, "%016llx", (unsigned long long)v);
		break;
	case F_RIGHTS:
		fmt_rights(buf, len, (uint32_t)v);
		break;
	case F_CAPKIND:
		name = capkind_name((uint32_t)v);
		if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "%llu", (unsigned long long)v);
		break;
	case F_POLICY:
		name = policy_name((uint32_t)v);
		if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "%llu", (unsigned long long)v);
		break;
	case F_NODES:
		fmt_node_pages(buf, len, node_pages,
			       attr_node_pages(tb, f->attr, node_pages, RATMEM_NODES_MAX));
		break;
	default:
		snprintf(buf, len, "%llu", (unsigned long long)v);
	}
}

static int on_object(struct nlattr **tb, void *arg)
{
	struct run *r = arg;
	const struct dump *d = r->d;

	if (r->l.json) {
		json_obj_open(&r->l.j);
		for (int i = 0; i < d->nfields; i++)
			json_field(&r->l.j, tb, &d->fields[i]);
		json_obj_close(&r->l.j);
	} else {
		char buf[MAX_FIELDS][CELL_LEN];
		const char *row[MAX_FIELDS];
		int n = 0;

		for (int i = 0; i < d->nfields; i++) {
			if (!d->fields[i].head)
				continue;
			cell(buf[n], sizeof(buf[n]), tb, &d->fields[i]);
			row[n] = buf[n];
			n++;
		}
		table_add(&r->l.t, row);
	}
	return 0;
}

static int run_dump(const struct ctl *c, const struct dump *d, int argc, char **argv)
{
	const char *heads[MAX_FIELDS];
	bool right[MAX_FIELDS];
	struct run r = { .d = d, .l.json = c->json };
	pid_t pid;
	int ret, ncols = 0;

	ret = optional_pid_arg(argc, argv, &pid);
	if (ret)
		return ret;
	for (int i = 0; i < d->nfields; i++) {
		if (!d->fields[i].head)
			continue;
		heads[ncols] = d->fields[i].head;
		right[ncols] = d->fields[i].kind == F_NUM || d->fields[i].kind == F_BYTES;
		ncols++;
	}
	table_init(&r.l.t, ncols, heads, right);
	return listing_run(&r.l, d->name, d->cmd, pid, on_object, &r);
}

int cmd_regions(const struct ctl *c, int argc, char **argv)
{
	return run_dump(c, &dumps[0], argc, argv);
}

int cmd_handles(const struct ctl *c, int argc, char **argv)
{
	return run_dump(c, &dumps[1], argc, argv);
}

int cmd_grants(const struct ctl *c, int argc, char **argv)
{
	return run_dump(c, &dumps[2], argc, argv);
}
