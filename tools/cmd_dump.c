// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl regions, handles and grants: three of the dumps (quota list
 * is cmd_quota_list.c). Each is a set of columns, one attribute of the
 * dump's messages each, from which both the table and the JSON come;
 * grants --tree draws the grants as a tree by their parent grant.
 */
#include <string.h>

#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

enum fkind {
	F_NUM,		/* u32 or u64 as a number */
	F_BYTES,	/* u64 bytes: human in tables (exact with -b), exact in JSON */
	F_HEX64,	/* u64 id as 16 hex digits */
	F_PARENT,	/* u64 parent grant id: 16 hex digits, none for 0 */
	F_RIGHTS,	/* u32 RATMEM_RIGHT_* */
	F_CAPKIND,	/* u32 enum ratmem_genl_cap_kind */
	F_STATE,	/* flag: one of two words, in tables and JSON */
	F_POLICY,	/* u32 RATMEM_POLICY_* */
	F_NODEMASK,	/* u64 node mask: "0,2-3", an array of node ids in JSON */
	F_NODES,	/* nest of per-node pages: "0:512,1:12" in tables */
	F_MODE,		/* u32 permission bits: "0600" */
	F_SEALS,	/* u32 RATMEM_SEAL_*: "commit,write", an array of names in JSON */
	F_NS,		/* u64 nanoseconds: "1.5s" in tables (exact ns with -b), ns in JSON */
};

struct dump {
	const char *name;	/* subcommand, and the JSON key of the list */
	int cmd;
	int ncols;
	const struct col *cols;
	int id_attr, parent_attr;	/* --tree: a row's id and its parent's */
};

#define D COL_DEFAULT
#define R COL_RIGHT
#define FLD(n, fl, a, u32, k, h) \
	{ .name = (n), .flags = (fl), .attr = (a), .is_u32 = (u32), .kind = (k), .help = (h) }
#define STATE(n, fl, a, yes, no, h) \
	{ .name = (n), .flags = (fl), .attr = (a), .kind = F_STATE, .on = (yes), .off = (no), \
	  .help = (h) }

static const struct col region_cols[] = {
	FLD("REGION", D | R, RATMEM_A_REGION_ID, false, F_NUM, "region id"),
	FLD("PID", D | R, RATMEM_A_PID, true, F_NUM, "process that created the region"),
	FLD("SIZE", D | R, RATMEM_A_SIZE, false, F_BYTES, "size in bytes"),
	FLD("COMMITTED", D | R, RATMEM_A_COMMITTED, false, F_BYTES, "committed bytes"),
	FLD("RESIDENT", D | R, RATMEM_A_RESIDENT, false, F_BYTES, "bytes backed by pages"),
	FLD("RIGHTS", D, RATMEM_A_RIGHTS, true, F_RIGHTS, "the region's maximum rights (rwxmg)"),
	FLD("MAPPERS", D | R, RATMEM_A_MAPPERS, true, F_NUM, "processes mapping the region"),
	FLD("POLICY", D, RATMEM_A_POLICY, true, F_POLICY, "NUMA placement policy"),
	FLD("NODEMASK", D, RATMEM_A_NODEMASK, false, F_NODEMASK, "the policy's NUMA nodes"),
	FLD("NODES", D, RATMEM_A_NODE_PAGES, false, F_NODES,
	    "resident 4 KiB pages per node (node:pages)"),
	FLD("PENDING", D | R, RATMEM_A_PENDING, false, F_NUM,
	    "resident pages marked for a lazy migration"),
	FLD("UID", R, RATMEM_A_OWNER_UID, true, F_NUM, "a named region's owner uid"),
	FLD("GID", R, RATMEM_A_OWNER_GID, true, F_NUM, "a named region's owner gid"),
	FLD("MODE", 0, RATMEM_A_MODE, true, F_MODE, "a named region's permission bits"),
	FLD("SEALS", D, RATMEM_A_SEALS, true, F_SEALS,
	    "seals: commit, protect, grant-write, write, seal"),
};

static const struct col handle_cols[] = {
	FLD("PID", D | R, RATMEM_A_PID, true, F_NUM, "process holding the handle"),
	FLD("HANDLE", D | R, RATMEM_A_HANDLE, true, F_NUM, "handle number (per context)"),
	FLD("REGION", D | R, RATMEM_A_REGION_ID, false, F_NUM, "region id"),
	FLD("RIGHTS", D, RATMEM_A_RIGHTS, true, F_RIGHTS, "the handle's rights (rwxmg)"),
	FLD("KIND", D, RATMEM_A_CAP_KIND, true, F_CAPKIND,
	    "how it was made: owner, grant or named-open"),
	FLD("CAPABILITY", D, RATMEM_A_CAP_ID, false, F_HEX64, "capability id (grants only)"),
	STATE("STATE", D, RATMEM_A_REVOKED, "revoked", "live", "live or revoked"),
};

static const struct col grant_cols[] = {
	FLD("CAPABILITY", D | COL_TREE, RATMEM_A_CAP_ID, false, F_HEX64, "capability id"),
	FLD("REGION", D | R, RATMEM_A_REGION_ID, false, F_NUM, "region id"),
	FLD("PID", D | R, RATMEM_A_PID, true, F_NUM, "issuing process"),
	FLD("PEER", D | R, RATMEM_A_PEER_PID, true, F_NUM, "process that may accept it"),
	FLD("RIGHTS", D, RATMEM_A_RIGHTS, true, F_RIGHTS, "granted rights (rwxmg)"),
	FLD("SIZE", D | R, RATMEM_A_SIZE, false, F_BYTES,
	    "bytes shared: the region's size, or a sub-range grant's range"),
	FLD("OFFSET", D | R, RATMEM_A_OFFSET, false, F_BYTES,
	    "where the shared range starts in the region (0 for all of it)"),
	STATE("STATE", D, RATMEM_A_ACCEPTED, "accepted", "pending", "pending or accepted"),
	FLD("PARENT", D, RATMEM_A_PARENT_CAP_ID, false, F_PARENT,
	    "the grant it was re-granted through (- for a root)"),
	FLD("LEASE", D | R, RATMEM_A_LEASE_NS, false, F_NS,
	    "time left of its lease, or until a revocation is forced (- for none)"),
	STATE("REVOKING", D, RATMEM_A_REVOKING, "yes", "no",
	      "being revoked with a deadline (REVOKE deadline_ns)"),
};

#undef D
#undef R

#define NCOLS(c) ((int)(sizeof(c) / sizeof(c[0])))
static const struct dump dumps[] = {
	{ "regions", RATMEM_CMD_GET_REGIONS, NCOLS(region_cols), region_cols, 0, 0 },
	{ "handles", RATMEM_CMD_GET_HANDLES, NCOLS(handle_cols), handle_cols, 0, 0 },
	{ "grants", RATMEM_CMD_GET_GRANTS, NCOLS(grant_cols), grant_cols, RATMEM_A_CAP_ID,
	  RATMEM_A_PARENT_CAP_ID },
};

/* A table cell: wide enough for the pages of a few nodes. */
#define CELL_LEN 128

static uint64_t col_value(struct nlattr **tb, const struct col *f)
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

static void json_name_or_number(struct json *j, const char *name, uint64_t v)
{
	if (name)
		json_str(j, name);
	else
		json_u64(j, v);
}

/* The column's value as JSON text; NULL for null. */
static char *json_value(struct nlattr **tb, const struct col *f)
{
	uint64_t v = col_value(tb, f);
	struct json_cell cell;
	struct json *j;
	char buf[8];

	/* A module that reports a policy knows the pages per node: with
	 * it, a missing nest is an empty list, not an unknown one. */
	if (!tb[f->attr] && !(f->kind == F_NODES && tb[RATMEM_A_POLICY]))
		return NULL;
	if (f->kind == F_PARENT && v == 0)
		return NULL;
	j = json_cell_open(&cell);
	switch (f->kind) {
	case F_HEX64:
	case F_PARENT:
		json_hex64(j, v);
		break;
	case F_NODEMASK:
		json_nodemask(j, v);
		break;
	case F_NODES:
		json_nodes(j, tb, f->attr);
		break;
	case F_POLICY:
		json_name_or_number(j, policy_name((uint32_t)v), v);
		break;
	case F_RIGHTS:
		json_bits(j, right_names, v);
		break;
	case F_SEALS:
		json_bits(j, seal_names, v);
		break;
	case F_CAPKIND:
		json_name_or_number(j, capkind_name((uint32_t)v), v);
		break;
	case F_MODE:
		snprintf(buf, sizeof(buf), "%04o", (unsigned int)(v & 07777));
		json_str(j, buf);
		break;
	default:
		json_u64(j, v);
	}
	return json_cell_close(&cell);
}

static const char *cell_text(char *buf, size_t len, struct nlattr **tb, const struct col *f,
			     bool exact)
{
	uint64_t v = col_value(tb, f);
	const char *name;

	if (f->kind == F_STATE)
		return tb[f->attr] ? f->on : f->off;
	if (!tb[f->attr] || (f->kind == F_PARENT && v == 0))
		return "-";
	switch (f->kind) {
	case F_BYTES:
		return fmt_size(buf, len, v, exact);
	case F_HEX64:
	case F_PARENT:
		snprintf(buf, len, "%016llx", (unsigned long long)v);
		return buf;
	case F_RIGHTS:
		return fmt_rights(buf, len, (uint32_t)v);
	case F_SEALS:
		return fmt_seals(buf, len, (uint32_t)v);
	case F_NS:
		return fmt_ns(buf, len, v, exact);
	case F_CAPKIND:
		name = capkind_name((uint32_t)v);
		break;
	case F_POLICY:
		name = policy_name((uint32_t)v);
		break;
	case F_NODEMASK:
		return fmt_nodemask(buf, len, v);
	case F_NODES:
		return fmt_node_pages(buf, len, node_pages,
				      attr_node_pages(tb, f->attr, node_pages, RATMEM_NODES_MAX));
	case F_MODE:
		snprintf(buf, len, "%04o", (unsigned int)(v & 07777));
		return buf;
	default:
		name = NULL;
	}
	if (name)
		return name;
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

int dump_row(struct nlattr **tb, void *arg)
{
	struct listing *l = arg;
	const struct dump *d = l->priv;
	struct table *t = &l->t;
	int row = table_add_row(t, d->id_attr ? attr_u64(tb, d->id_attr, 0) : 0,
				d->parent_attr ? attr_u64(tb, d->parent_attr, 0) : 0);

	for (int c = 0; c < t->ncols; c++) {
		const struct col *f = t->cols[c];
		char buf[CELL_LEN];
		const char *text = cell_text(buf, sizeof(buf), tb, f, l->c->bytes);
		char *json;

		if (f->kind == F_STATE)
			json = xasprintf("\"%s\"", text);
		else
			json = l->c->json ? json_value(tb, f) : NULL;
		table_set(t, row, c, text, json);
	}
	return 0;
}

static const struct dump *find_dump(const char *name)
{
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++)
		if (!strcmp(dumps[i].name, name))
			return &dumps[i];
	return NULL;
}

int dump_init(struct listing *l, const struct ctl *c, const char *name)
{
	const struct dump *d = find_dump(name);
	int ret;

	if (!d)
		return runtime_error("no dump named '%s'", name);
	ret = listing_init(l, c, d->name, d->cols, d->ncols);
	l->priv = d;
	return ret;
}

static int run_dump(const struct ctl *c, const char *name, int argc, char **argv)
{
	const struct dump *d = find_dump(name);
	struct listing l;
	pid_t pid;
	int ret;

	if (c->list_columns)
		return argc > 1 ? usage_error("%s: unexpected argument '%s'", argv[0], argv[1])
				: cols_list(d->cols, d->ncols, c->json, stdout);
	ret = optional_pid_arg(argc, argv, &pid);
	if (!ret)
		ret = dump_init(&l, c, name);
	if (ret)
		return ret;
	return listing_run(&l, d->name, d->cmd, pid, dump_row, &l);
}

int cmd_regions(const struct ctl *c, int argc, char **argv)
{
	return run_dump(c, "regions", argc, argv);
}

int cmd_handles(const struct ctl *c, int argc, char **argv)
{
	return run_dump(c, "handles", argc, argv);
}

int cmd_grants(const struct ctl *c, int argc, char **argv)
{
	return run_dump(c, "grants", argc, argv);
}
