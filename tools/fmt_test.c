// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl's formatting and parsing helpers on the host, no module
 * needed (make -C tools check): policy names, the NODES column, the
 * RATMEM_A_NODE_PAGES nest as the module sends it, the argument parsers,
 * the command line (getopt_long, options per command), column selection
 * (-o), JSON keys, raw escaping, byte figures (-b), tables (aligned, raw,
 * without headings), the grant tree from a synthetic list, snapshots and
 * their Prometheus text. What ratmemctl prints for real regions is tested
 * in the VM (tests/selftests/test_ratmemctl.c).
 *
 * Output is KTAP: one "ok N name" or "not ok N name" per test.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

static int failed_checks;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
			failed_checks++;				\
		}							\
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (strcmp(g_, w_)) {					\
			printf("# %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, g_, w_); \
			failed_checks++;				\
		}							\
	} while (0)

static void test_policy_names(void)
{
	CHECK_STR(policy_name(RATMEM_POLICY_DEFAULT), "default");
	CHECK_STR(policy_name(RATMEM_POLICY_PREFERRED), "preferred");
	CHECK_STR(policy_name(RATMEM_POLICY_BIND), "bind");
	CHECK_STR(policy_name(RATMEM_POLICY_INTERLEAVE), "interleave");
	CHECK(policy_name(RATMEM_POLICY_MAX + 1) == NULL);
	CHECK(policy_name(~0U) == NULL);
}

static void test_feature_names(void)
{
	const char *numa = NULL;

	for (int i = 0; feature_names[i].name; i++)
		if (feature_names[i].bit == RATMEM_FEATURE_NUMA)
			numa = feature_names[i].name;
	CHECK(numa && !strcmp(numa, "numa"));
}

static void test_node_pages_format(void)
{
	const struct node_pages two[] = { { 0, 512 }, { 1, 12 } };
	const struct node_pages one[] = { { 63, 18446744073709551615ULL } };
	char buf[128];

	CHECK_STR(fmt_node_pages(buf, sizeof(buf), two, 0), "-");
	CHECK_STR(fmt_node_pages(buf, sizeof(buf), two, -1), "-");
	CHECK_STR(fmt_node_pages(buf, sizeof(buf), two, 1), "0:512");
	CHECK_STR(fmt_node_pages(buf, sizeof(buf), two, 2), "0:512,1:12");
	CHECK_STR(fmt_node_pages(buf, sizeof(buf), one, 1), "63:18446744073709551615");
	/* No blank inside the cell: tables stay split by blanks. */
	CHECK(!strchr(fmt_node_pages(buf, sizeof(buf), two, 2), ' '));
}

static void test_node_pages_truncated(void)
{
	const struct node_pages v[] = { { 0, 512 }, { 1, 12 }, { 2, 7 } };
	char buf[128];

	/* "0:512,1:12,2:7" is 14 characters: 15 bytes hold it all. */
	CHECK_STR(fmt_node_pages(buf, 15, v, 3), "0:512,1:12,2:7");
	/* One byte less: the entries that fit with ",..." after them. */
	CHECK_STR(fmt_node_pages(buf, 14, v, 3), "0:512,...");
	CHECK_STR(fmt_node_pages(buf, 15, v, 2), "0:512,1:12");
	CHECK_STR(fmt_node_pages(buf, 10, v, 3), "0:512,...");
	CHECK_STR(fmt_node_pages(buf, 9, v, 3), "...");
	CHECK_STR(fmt_node_pages(buf, 4, v, 3), "...");
	CHECK_STR(fmt_node_pages(buf, 3, v, 3), "..");
	CHECK(fmt_node_pages(buf, 0, v, 3) == buf);
}

/* A region message's attributes as the module builds them: the nest
 * with two nodes' pages, empty (no page resident), or absent. */
static struct nl_msg *region_msg(bool with_nest, bool pad, bool empty)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 1, 0, 0,
				 RATMEM_CMD_GET_REGIONS, RATMEM_GENL_VERSION))
		return NULL;
	nla_put_u32(msg, RATMEM_A_POLICY, RATMEM_POLICY_INTERLEAVE);
	nla_put_u64(msg, RATMEM_A_NODEMASK, 0x3);
	nla_put_u64(msg, RATMEM_A_PENDING, 5);
	if (with_nest) {
		nest = nla_nest_start(msg, RATMEM_A_NODE_PAGES);
		/* nla_put_u64_64bit()'s padding where unaligned access is slow:
		 * an attribute of the pad type and no payload. */
		if (pad)
			nla_put(msg, RATMEM_A_PAD, 0, NULL);
		if (!empty) {
			nla_put_u64(msg, 0 + 1, 512);
			nla_put_u64(msg, 3 + 1, 12);
		}
		/* The kernel keeps an empty nest; libnl's nla_nest_end() drops it. */
		nla_nest_end_keep_empty(msg, nest);
	}
	return msg;
}

static int parse_msg(struct nl_msg *msg, struct nlattr **tb)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);

	return nla_parse(tb, RATMEM_A_MAX, genlmsg_attrdata(genlmsg_hdr(hdr), 0),
			 genlmsg_attrlen(genlmsg_hdr(hdr), 0), NULL);
}

static void test_node_pages_nest(void)
{
	struct node_pages v[8];
	struct nlattr *tb[RATMEM_A_MAX + 1];
	struct nl_msg *msg;
	char buf[64];

	for (int pad = 0; pad < 2; pad++) {
		msg = region_msg(true, pad, false);
		CHECK(msg && parse_msg(msg, tb) == 0);
		if (!msg)
			return;
		CHECK(attr_node_pages(tb, RATMEM_A_NODE_PAGES, v, 8) == 2);
		CHECK(v[0].node == 0 && v[0].pages == 512);
		CHECK(v[1].node == 3 && v[1].pages == 12);
		CHECK_STR(fmt_node_pages(buf, sizeof(buf), v, 2), "0:512,3:12");
		/* At most max entries. */
		CHECK(attr_node_pages(tb, RATMEM_A_NODE_PAGES, v, 1) == 1);
		CHECK(v[0].node == 0);
		CHECK_STR(policy_name(attr_u32(tb, RATMEM_A_POLICY, ~0U)), "interleave");
		CHECK(attr_u64(tb, RATMEM_A_NODEMASK, 0) == 0x3);
		CHECK(attr_u64(tb, RATMEM_A_PENDING, 0) == 5);
		nlmsg_free(msg);
	}

	/* No page resident: an empty nest, which the table shows as "-". */
	msg = region_msg(true, false, true);
	CHECK(msg && parse_msg(msg, tb) == 0);
	if (!msg)
		return;
	CHECK(attr_node_pages(tb, RATMEM_A_NODE_PAGES, v, 8) == 0);
	CHECK_STR(fmt_node_pages(buf, sizeof(buf), v, 0), "-");
	nlmsg_free(msg);

	/* An older module sends no nest: -1, not an empty list. */
	msg = region_msg(false, false, false);
	CHECK(msg && parse_msg(msg, tb) == 0);
	if (!msg)
		return;
	CHECK(attr_node_pages(tb, RATMEM_A_NODE_PAGES, v, 8) == -1);
	nlmsg_free(msg);
}

static void test_parse_node(void)
{
	int node = -1;

	CHECK(parse_node("0", &node) && node == 0);
	CHECK(parse_node("1023", &node) && node == 1023);
	CHECK(!parse_node("1024", &node));
	CHECK(!parse_node("-1", &node));
	CHECK(!parse_node("", &node));
	CHECK(!parse_node("1x", &node));
	CHECK(!parse_node("99999999999999999999999", &node));
	CHECK(node == 1023);
}

static void test_parse_bytes(void)
{
	uint64_t v = 0;

	CHECK(parse_bytes("0", &v) && v == 0);
	CHECK(parse_bytes("4096", &v) && v == 4096);
	CHECK(parse_bytes("2M", &v) && v == 2ULL << 20);
	CHECK(parse_bytes("1g", &v) && v == 1ULL << 30);
	CHECK(!parse_bytes("none", &v));
	CHECK(!parse_bytes("4KB", &v));
	CHECK(!parse_bytes("-4K", &v));
	CHECK(!parse_bytes("17179869184T", &v));
	CHECK(v == 1ULL << 30);
}


/* ---- the command line ------------------------------------------------- */

/* Run @fn with stderr sent to /dev/null: the errors tested are expected. */
static int quietly(int (*fn)(void *), void *arg)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY), ret;

	fflush(stderr);
	if (null >= 0) {
		dup2(null, 2);
		close(null);
	}
	ret = fn(arg);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	return ret;
}

struct parse_case {
	struct ctl c;
	char *argv[16];
	int argc;
};

static int do_parse(void *arg)
{
	struct parse_case *p = arg;

	return ctl_parse(&p->c, p->argc, p->argv);
}

/* Parse a NULL-terminated list (copied: getopt_long permutes it). */
static int parse(struct parse_case *p, const char *const *args)
{
	static char store[16][64];

	p->argc = 0;
	p->argv[p->argc++] = strcpy(store[0], "ratmemctl");
	for (; *args && p->argc < 15; args++, p->argc++)
		p->argv[p->argc] = strcpy(store[p->argc], *args);
	p->argv[p->argc] = NULL;
	return quietly(do_parse, p);
}

#define PARSE(p, ...) parse(p, (const char *const[]){ __VA_ARGS__, NULL })

static void test_parse_options(void)
{
	struct parse_case p;

	/* Options before and after the command, short and long forms. */
	CHECK(PARSE(&p, "-J", "regions", "-o", "pid,Size", "-n", "123", "--raw", "-b") == 0);
	CHECK(p.c.json && p.c.noheadings && p.c.raw && p.c.bytes);
	CHECK_STR(p.c.output, "pid,Size");
	CHECK(p.c.given == (OPT_JSON | OPT_OUTPUT | OPT_NOHEADINGS | OPT_RAW | OPT_BYTES));
	CHECK(p.c.nargs == 2);
	CHECK_STR(p.c.args[0], "regions");
	CHECK_STR(p.c.args[1], "123");

	CHECK(PARSE(&p, "grants", "--tree", "--ascii", "--output=+PARENT", "--json") == 0);
	CHECK(p.c.tree && p.c.ascii && p.c.json);
	CHECK_STR(p.c.output, "+PARENT");
	CHECK(PARSE(&p, "grants", "-Ti", "-nr") == 0);
	CHECK(p.c.tree && p.c.ascii && p.c.noheadings && p.c.raw);

	/* Clustered short options, one taking the rest as its value. */
	CHECK(PARSE(&p, "-nrbocommitted", "top") == 0);
	CHECK(p.c.noheadings && p.c.raw && p.c.bytes);
	CHECK_STR(p.c.output, "committed");

	CHECK(PARSE(&p, "top", "-d", "0.5", "--iterations", "3", "--sort=committed") == 0);
	CHECK_STR(p.c.delay, "0.5");
	CHECK_STR(p.c.iterations, "3");
	CHECK_STR(p.c.sort, "committed");
	CHECK(PARSE(&p, "export", "--prometheus", "--output-file", "/tmp/x.prom") == 0);
	CHECK(p.c.prometheus);
	CHECK_STR(p.c.output_file, "/tmp/x.prom");
	CHECK(PARSE(&p, "monitor", "--count=5") == 0);
	CHECK_STR(p.c.count, "5");
	CHECK(PARSE(&p, "migrate", "n", "--node", "1", "--lazy", "--offset", "4K",
		    "--length=8K") == 0);
	CHECK_STR(p.c.node, "1");
	CHECK(p.c.lazy);
	CHECK_STR(p.c.offset, "4K");
	CHECK_STR(p.c.length, "8K");
	CHECK(p.c.nargs == 2);

	/* "--" ends the options: a name starting with '-' is an operand. */
	CHECK(PARSE(&p, "migrate", "--node", "0", "--", "-name", "--json") == 0);
	CHECK(!p.c.json);
	CHECK(p.c.nargs == 3);
	CHECK_STR(p.c.args[0], "migrate");
	CHECK_STR(p.c.args[1], "-name");
	CHECK_STR(p.c.args[2], "--json");

	CHECK(PARSE(&p, "-h") == 0 && p.c.help);
	CHECK(PARSE(&p, "status", "--help") == 0 && p.c.help);
	CHECK(PARSE(&p, "-V") == 0 && p.c.version);
	CHECK(PARSE(&p, "--version") == 0 && p.c.version);
	CHECK(PARSE(&p, "-H", "regions") == 0 && p.c.list_columns);
	CHECK(PARSE(&p, "--list-columns", "handles") == 0 && p.c.list_columns);
	CHECK(PARSE(&p, "-O", "handles") == 0 && p.c.output_all);
	/* An abbreviation that names one option is that option. */
	CHECK(PARSE(&p, "--noh", "--js", "regions") == 0 && p.c.noheadings && p.c.json);
}

static void test_parse_errors(void)
{
	struct parse_case p;

	CHECK(PARSE(&p, "--frob") == EXIT_USAGE);
	CHECK(PARSE(&p, "regions", "-X") == EXIT_USAGE);
	CHECK(PARSE(&p, "ps", "-5") == EXIT_USAGE);
	CHECK(PARSE(&p, "regions", "-o") == EXIT_USAGE);
	CHECK(PARSE(&p, "migrate", "x", "--node") == EXIT_USAGE);
	CHECK(PARSE(&p, "--json=1", "status") == EXIT_USAGE);
	/* --out: --output, --output-all or --output-file? */
	CHECK(PARSE(&p, "--out", "x", "regions") == EXIT_USAGE);
}

static int do_check(void *arg)
{
	struct parse_case *p = arg;

	return ctl_check(&p->c, p->c.args[0], (unsigned int)p->argc);
}

static int check_opts(struct parse_case *p, unsigned int allowed)
{
	p->argc = (int)allowed;
	return quietly(do_check, p);
}

static void test_options_per_command(void)
{
	struct parse_case p;

	CHECK(PARSE(&p, "regions", "-o", "PID", "-r", "-n", "-b") == 0);
	CHECK(check_opts(&p, OPTS_LISTING) == 0);
	CHECK(check_opts(&p, OPT_JSON) == EXIT_USAGE);
	CHECK(PARSE(&p, "status", "--tree") == 0);
	CHECK(check_opts(&p, OPT_JSON) == EXIT_USAGE);
	CHECK(PARSE(&p, "grants", "--tree") == 0);
	CHECK(check_opts(&p, OPTS_LISTING | OPT_TREE | OPT_ASCII) == 0);
	/* One output format at a time, as lsblk. */
	CHECK(PARSE(&p, "regions", "--json", "--raw") == 0);
	CHECK(check_opts(&p, OPTS_LISTING) == EXIT_USAGE);
	CHECK(PARSE(&p, "regions", "-o", "PID", "-O") == 0);
	CHECK(check_opts(&p, OPTS_LISTING) == EXIT_USAGE);
	CHECK(PARSE(&p, "monitor", "--count", "1", "--json") == 0);
	CHECK(check_opts(&p, OPT_JSON | OPT_BYTES | OPT_COUNT) == 0);
	CHECK_STR(opt_name(OPT_OUTPUT_FILE), "--output-file");
	CHECK_STR(opt_name(OPT_TREE), "--tree");
}

static void test_parse_seconds(void)
{
	double d = 0;

	CHECK(parse_seconds("1", &d) && d == 1);
	CHECK(parse_seconds("0.5", &d) && d == 0.5);
	CHECK(parse_seconds("86400", &d) && d == 86400);
	CHECK(!parse_seconds("0", &d));
	CHECK(!parse_seconds("0.0", &d));
	CHECK(!parse_seconds("86401", &d));
	CHECK(!parse_seconds("-1", &d));
	CHECK(!parse_seconds("1.", &d));
	CHECK(!parse_seconds(".5", &d));
	CHECK(!parse_seconds("1e3", &d));
	CHECK(!parse_seconds("inf", &d));
	CHECK(!parse_seconds("nan", &d));
	CHECK(!parse_seconds("", &d));
	CHECK(d == 86400);
}

/* ---- columns, keys, escaping, figures ---------------------------------- */

static const struct col test_cols[] = {
	{ .name = "ID", .flags = COL_DEFAULT | COL_TREE, .help = "id" },
	{ .name = "PID", .flags = COL_DEFAULT | COL_RIGHT, .help = "pid" },
	{ .name = "SIZE", .flags = COL_DEFAULT | COL_RIGHT, .help = "size" },
	{ .name = "NAME", .flags = 0, .help = "name" },
	{ .name = "EVENTS/S", .flags = COL_RIGHT, .help = "rate" },
};
#define NTEST_COLS ((int)(sizeof(test_cols) / sizeof(test_cols[0])))

struct select_case {
	const char *list;
	bool all;
	int max;
	int sel[MAX_COLS];
};

static int do_select(void *arg)
{
	struct select_case *sc = arg;

	return cols_select(test_cols, NTEST_COLS, sc->list, sc->all, sc->sel, sc->max, "test");
}

static int select_cols(struct select_case *sc, const char *list, bool all, int max)
{
	sc->list = list;
	sc->all = all;
	sc->max = max;
	return quietly(do_select, sc);
}

static void test_column_selection(void)
{
	struct select_case sc;

	CHECK(select_cols(&sc, NULL, false, MAX_COLS) == 3);
	CHECK(sc.sel[0] == 0 && sc.sel[1] == 1 && sc.sel[2] == 2);
	CHECK(select_cols(&sc, NULL, true, MAX_COLS) == 5);
	CHECK(sc.sel[3] == 3 && sc.sel[4] == 4);
	/* Any case, in the order given, repeats allowed. */
	CHECK(select_cols(&sc, "name,pid,Events/s,PID", false, MAX_COLS) == 4);
	CHECK(sc.sel[0] == 3 && sc.sel[1] == 1 && sc.sel[2] == 4 && sc.sel[3] == 1);
	/* "+LIST": the defaults, then LIST. */
	CHECK(select_cols(&sc, "+name", false, MAX_COLS) == 4);
	CHECK(sc.sel[0] == 0 && sc.sel[2] == 2 && sc.sel[3] == 3);
	CHECK(select_cols(&sc, "size", false, MAX_COLS) == 1 && sc.sel[0] == 2);
	CHECK(select_cols(&sc, "frob", false, MAX_COLS) == -1);
	CHECK(select_cols(&sc, "pid,,size", false, MAX_COLS) == -1);
	CHECK(select_cols(&sc, "pid,", false, MAX_COLS) == -1);
	CHECK(select_cols(&sc, "", false, MAX_COLS) == -1);
	CHECK(select_cols(&sc, "+", false, MAX_COLS) == -1);
	CHECK(select_cols(&sc, "pi", false, MAX_COLS) == -1);
	CHECK(select_cols(&sc, "pid,size,name", false, 2) == -1);
}

static void test_json_keys(void)
{
	static const struct col cols[] = {
		{ .name = "PENDING" }, { .name = "REGION" }, { .name = "GRANTS/S" },
		{ .name = "CAPABILITY" },
	};
	char buf[32];

	CHECK_STR(col_json_key(&cols[0], buf, sizeof(buf)), "pending");
	CHECK_STR(col_json_key(&cols[1], buf, sizeof(buf)), "region");
	CHECK_STR(col_json_key(&cols[2], buf, sizeof(buf)), "grants/s");
	CHECK_STR(col_json_key(&cols[3], buf, 4), "cap");
}

static void test_raw_escaping(void)
{
	char buf[64];

	CHECK(fmt_escape(buf, sizeof(buf), "rw-m-", true) == 5);
	CHECK_STR(buf, "rw-m-");
	CHECK_STR((fmt_escape(buf, sizeof(buf), "a b\tc", true), buf), "a\\x20b\\x09c");
	/* Aligned tables keep spaces but not control characters. */
	CHECK_STR((fmt_escape(buf, sizeof(buf), "a b\tc", false), buf), "a b\\x09c");
	CHECK_STR((fmt_escape(buf, sizeof(buf), "back\\slash", false), buf), "back\\x5cslash");
	CHECK_STR((fmt_escape(buf, sizeof(buf), "\x1b[2J\x7f\xc3\xa9", false), buf),
		  "\\x1b[2J\\x7f\\xc3\\xa9");
	/* Too short: whole escapes only, the needed length returned. */
	CHECK(fmt_escape(buf, 6, "ab\ncd", false) == 8);
	CHECK_STR(buf, "ab");
	CHECK(fmt_escape(buf, 8, "ab\ncd", false) == 8);
	CHECK_STR(buf, "ab\\x0ac");
	CHECK(fmt_escape(NULL, 0, "a b", true) == 6);
}

static void test_byte_figures(void)
{
	char buf[32];

	CHECK_STR(fmt_size(buf, sizeof(buf), 20480, false), "20K");
	CHECK_STR(fmt_ns(buf, sizeof(buf), 999999999ULL, false), "999ms");
	CHECK_STR(fmt_ns(buf, sizeof(buf), 1500000000ULL, false), "1.5s");
	CHECK_STR(fmt_ns(buf, sizeof(buf), 123000000000ULL, false), "2m03s");
	CHECK_STR(fmt_ns(buf, sizeof(buf), 11100000000000ULL, false), "3h05m");
	CHECK_STR(fmt_ns(buf, sizeof(buf), 1500000000ULL, true), "1500000000");
	CHECK_STR(fmt_size(buf, sizeof(buf), 20480, true), "20480");
	CHECK_STR(fmt_size(buf, sizeof(buf), 1536 * 1024, false), "1.5M");
	CHECK_STR(fmt_size(buf, sizeof(buf), 1536 * 1024, true), "1572864");
	CHECK_STR(fmt_size(buf, sizeof(buf), 512, false), "512");
	CHECK_STR(fmt_size(buf, sizeof(buf), UINT64_MAX, true), "18446744073709551615");
	CHECK_STR(fmt_res(buf, sizeof(buf), RATMEM_RES_COMMITTED, 1 << 20, false, false), "1M");
	CHECK_STR(fmt_res(buf, sizeof(buf), RATMEM_RES_COMMITTED, 1 << 20, false, true),
		  "1048576");
	CHECK_STR(fmt_res(buf, sizeof(buf), RATMEM_RES_COMMITTED, RATMEM_LIMIT_NONE, true, true),
		  "-");
	CHECK_STR(fmt_res(buf, sizeof(buf), RATMEM_RES_HANDLES, 2048, false, false), "2048");
}

static void test_nodemask_format(void)
{
	char buf[64];

	CHECK_STR(fmt_nodemask(buf, sizeof(buf), 0), "-");
	CHECK_STR(fmt_nodemask(buf, sizeof(buf), 1), "0");
	CHECK_STR(fmt_nodemask(buf, sizeof(buf), 0x3), "0,1");
	CHECK_STR(fmt_nodemask(buf, sizeof(buf), 0x2d), "0,2,3,5");
	CHECK_STR(fmt_nodemask(buf, sizeof(buf), 0xf1), "0,4-7");
	CHECK_STR(fmt_nodemask(buf, sizeof(buf), 1ULL << 63), "63");
	CHECK_STR(fmt_nodemask(buf, sizeof(buf), ~0ULL), "0-63");
	CHECK(!strchr(fmt_nodemask(buf, sizeof(buf), 0x2d), ' '));
}

/* ---- tables ------------------------------------------------------------ */

/* What @t prints (as text, or as JSON under @key), malloc'd. */
static char *printed(const struct table *t, const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	if (key)
		table_print_json(t, f, key);
	else
		table_print(t, f);
	fclose(f);
	return buf;
}

static void add(struct table *t, uint64_t id, uint64_t parent, const char *pid,
		const char *size)
{
	int r = table_add_row(t, id, parent);
	char idtext[24];

	snprintf(idtext, sizeof(idtext), "%llu", (unsigned long long)id);
	table_set(t, r, 0, idtext, xstrdup(idtext));
	table_set(t, r, 1, pid, pid ? xasprintf("%s", pid) : NULL);
	if (t->ncols > 2)
		table_set(t, r, 2, size, size ? xasprintf("\"%s\"", size) : NULL);
}

static void test_table_text(void)
{
	static const int sel[] = { 0, 1, 2 };
	struct table t;
	char *out;

	table_init(&t, test_cols, sel, 3, 0);
	add(&t, 7, 0, "1", "20K");
	add(&t, 12, 0, "1234", NULL);
	out = printed(&t, NULL);
	CHECK_STR(out, "ID   PID  SIZE\n"
		       "7      1   20K\n"
		       "12  1234     -\n");
	free(out);
	out = printed(&t, "things");
	CHECK_STR(out, "{\"things\":[{\"id\":7,\"pid\":1,\"size\":\"20K\"},"
		       "{\"id\":12,\"pid\":1234,\"size\":null}]}\n");
	free(out);
	table_free(&t);

	table_init(&t, test_cols, sel, 3, TABLE_NOHEADINGS);
	add(&t, 7, 0, "1", "20K");
	out = printed(&t, NULL);
	CHECK_STR(out, "7  1  20K\n");
	free(out);
	table_free(&t);

	/* Raw: one space, no padding, blanks escaped. */
	table_init(&t, test_cols, sel, 3, TABLE_RAW);
	add(&t, 7, 0, "1", "a b");
	add(&t, 12, 0, "1234", "\\");
	out = printed(&t, NULL);
	CHECK_STR(out, "ID PID SIZE\n7 1 a\\x20b\n12 1234 \\x5c\n");
	free(out);
	table_free(&t);

	/* No rows: the header alone, and an empty JSON array. */
	table_init(&t, test_cols, sel, 3, 0);
	out = printed(&t, NULL);
	CHECK_STR(out, "ID  PID  SIZE\n");
	free(out);
	out = printed(&t, "things");
	CHECK_STR(out, "{\"things\":[]}\n");
	free(out);
	table_free(&t);
}

/*
 * A grant tree: 1 and 2 are roots; 3 and 4 re-grants of 1, 5 of 3; 6's
 * parent 99 is not in the dump (a root); 7 and 8 are each other's parent
 * (a cycle: cut at the first met).
 */
static void tree_table(struct table *t, unsigned int flags)
{
	static const int sel[] = { 0, 1 };

	table_init(t, test_cols, sel, 2, TABLE_TREE | flags);
	add(t, 1, 0, "10", NULL);
	add(t, 3, 1, "11", NULL);
	add(t, 2, 0, "10", NULL);
	add(t, 5, 3, "12", NULL);
	add(t, 4, 1, "11", NULL);
	add(t, 6, 99, "13", NULL);
	add(t, 7, 8, "14", NULL);
	add(t, 8, 7, "15", NULL);
}

static void test_tree_order(void)
{
	int order[8], depth[8];
	bool last[8];
	struct table t;

	tree_table(&t, 0);
	table_tree_order(&t, order, depth, last);
	/* Rows: 0:id1 1:id3 2:id2 3:id5 4:id4 5:id6 6:id7 7:id8. */
	static const int want_order[] = { 0, 1, 3, 4, 2, 5, 6, 7 };
	static const int want_depth[] = { 0, 1, 2, 1, 0, 0, 0, 1 };
	static const bool want_last[] = { false, false, true, true, false, false, true, true };
	for (int k = 0; k < 8; k++) {
		CHECK(order[k] == want_order[k]);
		CHECK(depth[k] == want_depth[k]);
		CHECK(last[k] == want_last[k]);
	}
	table_free(&t);
}

static void test_tree_text(void)
{
	struct table t;
	char *out;

	tree_table(&t, 0);
	out = printed(&t, NULL);
	CHECK_STR(out, "ID     PID\n"
		       "1       10\n"
		       "\u251c\u25003     11\n"
		       "\u2502 \u2514\u25005   12\n"
		       "\u2514\u25004     11\n"
		       "2       10\n"
		       "6       13\n"
		       "7       14\n"
		       "\u2514\u25008     15\n");
	free(out);
	table_free(&t);

	tree_table(&t, TABLE_ASCII);
	out = printed(&t, NULL);
	CHECK_STR(out, "ID     PID\n"
		       "1       10\n"
		       "|-3     11\n"
		       "| `-5   12\n"
		       "`-4     11\n"
		       "2       10\n"
		       "6       13\n"
		       "7       14\n"
		       "`-8     15\n");
	free(out);
	table_free(&t);

	/* Raw: the tree's order, without its drawing. */
	tree_table(&t, TABLE_RAW);
	out = printed(&t, NULL);
	CHECK_STR(out, "ID PID\n1 10\n3 11\n5 12\n4 11\n2 10\n6 13\n7 14\n8 15\n");
	free(out);
	table_free(&t);
}

static void test_tree_json(void)
{
	static const int sel[] = { 0, 1 };
	struct table t;
	char *out;

	tree_table(&t, 0);
	out = printed(&t, "grants");
	CHECK_STR(out, "{\"grants\":[{\"id\":1,\"pid\":10,\"children\":["
		       "{\"id\":3,\"pid\":11,\"children\":[{\"id\":5,\"pid\":12}]},"
		       "{\"id\":4,\"pid\":11}]},"
		       "{\"id\":2,\"pid\":10},{\"id\":6,\"pid\":13},"
		       "{\"id\":7,\"pid\":14,\"children\":[{\"id\":8,\"pid\":15}]}]}\n");
	free(out);
	table_free(&t);

	/* A chain deeper than the writer nests stays whole and valid. */
	table_init(&t, test_cols, sel, 2, TABLE_TREE);
	for (uint64_t id = 1; id <= 200; id++)
		add(&t, id, id - 1, "1", NULL);
	out = printed(&t, "grants");
	size_t opens = 0, closes = 0, ids = 0;
	for (const char *p = out; *p; p++) {
		opens += *p == '{' || *p == '[';
		closes += *p == '}' || *p == ']';
		ids += !strncmp(p, "\"id\":", 5);
	}
	CHECK(opens == closes);
	CHECK(ids == 200);
	CHECK(!strstr(out, ",,") && !strstr(out, "[,") && !strstr(out, "}{"));
	CHECK(strstr(out, "{\"id\":200,\"pid\":1}") != NULL);
	free(out);
	table_free(&t);
}

static void test_json_cell(void)
{
	struct json_cell cell;
	struct json *j = json_cell_open(&cell);
	char *text;

	json_arr_open(j);
	json_str(j, "a\"b");
	json_u64(j, 3);
	json_rate(j, 2.25);
	json_null(j);
	json_arr_close(j);
	text = json_cell_close(&cell);
	CHECK_STR(text, "[\"a\\\"b\",3,2.2,null]");
	free(text);
}

/* ---- the dumps' rows, from messages as the module sends them ---------- */

static struct nl_msg *msg_new(int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 1, 0, 0, (uint8_t)cmd,
				 RATMEM_GENL_VERSION))
		abort();
	return msg;
}

/* Add the row of @msg to @l (through the command's own callback). */
static void feed(struct listing *l, struct nl_msg *msg, int (*row)(struct nlattr **, void *))
{
	struct nlattr *tb[RATMEM_A_MAX + 1];

	CHECK(parse_msg(msg, tb) == 0);
	row(tb, l);
	nlmsg_free(msg);
}

static struct nl_msg *region(uint64_t id, bool numa, bool named)
{
	struct nl_msg *msg = msg_new(RATMEM_CMD_GET_REGIONS);
	struct nlattr *nest;

	nla_put_u64(msg, RATMEM_A_REGION_ID, id);
	nla_put_u32(msg, RATMEM_A_PID, 100);
	nla_put_u64(msg, RATMEM_A_SIZE, 20480);
	nla_put_u64(msg, RATMEM_A_COMMITTED, 8192);
	nla_put_u64(msg, RATMEM_A_RESIDENT, 1536 * 1024);
	nla_put_u32(msg, RATMEM_A_RIGHTS,
		    RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP);
	nla_put_u32(msg, RATMEM_A_MAPPERS, 1);
	if (named) {
		nla_put_u32(msg, RATMEM_A_OWNER_UID, 1000);
		nla_put_u32(msg, RATMEM_A_OWNER_GID, 50);
		nla_put_u32(msg, RATMEM_A_MODE, 0640);
	}
	if (numa) {
		nla_put_u32(msg, RATMEM_A_POLICY, RATMEM_POLICY_INTERLEAVE);
		nla_put_u64(msg, RATMEM_A_NODEMASK, 0x3);
		nla_put_u64(msg, RATMEM_A_PENDING, 5);
		nest = nla_nest_start(msg, RATMEM_A_NODE_PAGES);
		nla_put_u64(msg, 0 + 1, 512);
		nla_put_u64(msg, 1 + 1, 12);
		nla_nest_end(msg, nest);
		/* Seals came with 0.7.0, after the NUMA figures. */
		nla_put_u32(msg, RATMEM_A_SEALS, RATMEM_SEAL_COMMIT | RATMEM_SEAL_WRITE | 0x100);
	}
	return msg;
}

/* What the listing prints, malloc'd; frees its table. */
static char *listed(struct listing *l, const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	listing_print(l, key, f);
	fclose(f);
	table_free(&l->t);
	return buf;
}

static int do_dump_init(void *arg)
{
	struct parse_case *p = arg;
	struct listing l;

	return dump_init(&l, &p->c, p->c.args[0]);
}

static void test_regions_rows(void)
{
	struct parse_case p;
	struct listing l;
	char *out;

	CHECK(PARSE(&p, "regions", "--json") == 0);
	CHECK(dump_init(&l, &p.c, "regions") == 0);
	feed(&l, region(7, true, false), dump_row);
	feed(&l, region(8, false, false), dump_row);
	out = listed(&l, "regions");
	CHECK_STR(out, "{\"regions\":[{\"region\":7,\"pid\":100,\"size\":20480,\"committed\":8192,"
		       "\"resident\":1572864,\"rights\":[\"read\",\"write\",\"map\"],\"mappers\":1,"
		       "\"policy\":\"interleave\",\"nodemask\":[0,1],"
		       "\"nodes\":[{\"node\":0,\"pages\":512},{\"node\":1,\"pages\":12}],"
		       "\"pending\":5,\"seals\":[\"commit\",\"write\"]},"
		       "{\"region\":8,\"pid\":100,\"size\":20480,\"committed\":8192,"
		       "\"resident\":1572864,\"rights\":[\"read\",\"write\",\"map\"],\"mappers\":1,"
		       "\"policy\":null,\"nodemask\":null,\"nodes\":null,\"pending\":null,"
		       "\"seals\":null}]}\n");
	free(out);

	CHECK(PARSE(&p, "regions") == 0);
	CHECK(dump_init(&l, &p.c, "regions") == 0);
	feed(&l, region(7, true, false), dump_row);
	out = listed(&l, "regions");
	CHECK_STR(out, "REGION  PID  SIZE  COMMITTED  RESIDENT  RIGHTS  MAPPERS  POLICY      "
		       "NODEMASK  NODES       PENDING  SEALS\n"
		       "     7  100   20K         8K      1.5M  rw-m-         1  interleave  "
		       "0,1       0:512,1:12        5  commit,write,0x100\n");
	free(out);

	/* -o in any case, -b, -r, -n; a named region's owner and mode. */
	CHECK(PARSE(&p, "regions", "-o", "region,Size,RESIDENT,uid,gid,mode", "-b", "-r",
		    "-n") == 0);
	CHECK(dump_init(&l, &p.c, "regions") == 0);
	feed(&l, region(7, true, true), dump_row);
	feed(&l, region(9, true, false), dump_row);
	out = listed(&l, "regions");
	CHECK_STR(out, "7 20480 1572864 1000 50 0640\n9 20480 1572864 - - -\n");
	free(out);

	CHECK(PARSE(&p, "regions", "-J", "-o", "+mode,UID") == 0);
	CHECK(dump_init(&l, &p.c, "regions") == 0);
	feed(&l, region(7, false, true), dump_row);
	out = listed(&l, "regions");
	CHECK(strstr(out, "\"seals\":null,\"mode\":\"0640\",\"uid\":1000}]}\n") != NULL);
	free(out);

	CHECK(PARSE(&p, "regions", "-o", "PID,frob") == 0);
	CHECK(quietly(do_dump_init, &p) == EXIT_USAGE);
}

static struct nl_msg *grant(uint64_t cap, uint64_t parent, uint32_t pid, bool accepted)
{
	struct nl_msg *msg = msg_new(RATMEM_CMD_GET_GRANTS);

	nla_put_u64(msg, RATMEM_A_CAP_ID, cap);
	nla_put_u64(msg, RATMEM_A_REGION_ID, 7);
	nla_put_u32(msg, RATMEM_A_PID, pid);
	nla_put_u32(msg, RATMEM_A_PEER_PID, pid + 1);
	nla_put_u32(msg, RATMEM_A_RIGHTS, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	nla_put_u64(msg, RATMEM_A_SIZE, 8192);
	nla_put_u64(msg, RATMEM_A_OFFSET, parent ? 4096 : 0);
	nla_put_u64(msg, RATMEM_A_PARENT_CAP_ID, parent);
	if (accepted)
		nla_put_flag(msg, RATMEM_A_ACCEPTED);
	else	/* the pending ones have a lease here: 1 min 30.25 s left */
		nla_put_u64(msg, RATMEM_A_LEASE_NS, 90250000000ULL);
	return msg;
}

static void test_grants_rows(void)
{
	struct parse_case p;
	struct nl_msg *msg;
	struct listing l;
	char *out;

	CHECK(PARSE(&p, "grants", "--json") == 0);
	CHECK(dump_init(&l, &p.c, "grants") == 0);
	feed(&l, grant(0xa1, 0, 10, true), dump_row);
	feed(&l, grant(0xb2, 0xa1, 11, false), dump_row);
	out = listed(&l, "grants");
	CHECK_STR(out, "{\"grants\":[{\"capability\":\"00000000000000a1\",\"region\":7,\"pid\":10,"
		       "\"peer\":11,\"rights\":[\"read\",\"map\"],\"size\":8192,\"offset\":0,"
		       "\"state\":\"accepted\",\"parent\":null,\"lease\":null,"
		       "\"revoking\":\"no\"},"
		       "{\"capability\":\"00000000000000b2\",\"region\":7,\"pid\":11,\"peer\":12,"
		       "\"rights\":[\"read\",\"map\"],\"size\":8192,\"offset\":4096,"
		       "\"state\":\"pending\","
		       "\"parent\":\"00000000000000a1\",\"lease\":90250000000,"
		       "\"revoking\":\"no\"}]}\n");
	free(out);

	/* LEASE: human in tables, exact nanoseconds with -b. */
	CHECK(PARSE(&p, "grants", "-o", "capability,lease") == 0);
	CHECK(dump_init(&l, &p.c, "grants") == 0);
	feed(&l, grant(0xa1, 0, 10, true), dump_row);
	feed(&l, grant(0xb2, 0xa1, 11, false), dump_row);
	out = listed(&l, "grants");
	CHECK_STR(out, "CAPABILITY        LEASE\n"
		       "00000000000000a1      -\n"
		       "00000000000000b2  1m30s\n");
	free(out);
	/* REVOKING: a grant being revoked with a deadline. */
	CHECK(PARSE(&p, "grants", "-o", "capability,revoking") == 0);
	CHECK(dump_init(&l, &p.c, "grants") == 0);
	feed(&l, grant(0xa1, 0, 10, true), dump_row);
	msg = grant(0xb2, 0xa1, 11, false);
	nla_put_flag(msg, RATMEM_A_REVOKING);
	feed(&l, msg, dump_row);
	out = listed(&l, "grants");
	CHECK_STR(out, "CAPABILITY        REVOKING\n"
		       "00000000000000a1  no\n"
		       "00000000000000b2  yes\n");
	free(out);
	CHECK(PARSE(&p, "grants", "-b", "-r", "-n", "-o", "lease") == 0);
	CHECK(dump_init(&l, &p.c, "grants") == 0);
	feed(&l, grant(0xb2, 0xa1, 11, false), dump_row);
	out = listed(&l, "grants");
	CHECK_STR(out, "90250000000\n");
	free(out);

	/* --tree: re-grants under their parent; a parent not listed (its
	 * issuer's dump only) makes a root. */
	CHECK(PARSE(&p, "grants", "--tree", "-o", "capability,pid,state") == 0);
	CHECK(dump_init(&l, &p.c, "grants") == 0);
	feed(&l, grant(0xa1, 0, 10, true), dump_row);
	feed(&l, grant(0xc3, 0xb2, 12, false), dump_row);
	feed(&l, grant(0xb2, 0xa1, 11, true), dump_row);
	feed(&l, grant(0xd4, 0xa1, 11, false), dump_row);
	feed(&l, grant(0xe5, 0xff, 20, false), dump_row);
	out = listed(&l, "grants");
	CHECK_STR(out, "CAPABILITY            PID  STATE\n"
		       "00000000000000a1       10  accepted\n"
		       "\u251c\u250000000000000000b2     11  accepted\n"
		       "\u2502 \u2514\u250000000000000000c3   12  pending\n"
		       "\u2514\u250000000000000000d4     11  pending\n"
		       "00000000000000e5       20  pending\n");
	free(out);

	CHECK(PARSE(&p, "grants", "-T", "-i", "-J", "-o", "CAPABILITY") == 0);
	CHECK(dump_init(&l, &p.c, "grants") == 0);
	feed(&l, grant(0xa1, 0, 10, true), dump_row);
	feed(&l, grant(0xb2, 0xa1, 11, true), dump_row);
	out = listed(&l, "grants");
	CHECK_STR(out, "{\"grants\":[{\"capability\":\"00000000000000a1\",\"children\":["
		       "{\"capability\":\"00000000000000b2\"}]}]}\n");
	free(out);
}

/* A message of the quota dump: @pid's usage, committed limited to 1M. */
static struct nl_msg *quota(uint32_t pid, const uint64_t *usage, bool exited)
{
	struct nl_msg *msg = msg_new(RATMEM_CMD_GET_QUOTAS);
	struct nlattr *nest;

	nla_put_u32(msg, RATMEM_A_PID, pid);
	nest = nla_nest_start(msg, RATMEM_A_USAGE);
	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		nla_put_u64(msg, res + 1, usage[res]);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, RATMEM_A_LIMITS);
	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		nla_put_u64(msg, res + 1, res == RATMEM_RES_COMMITTED ? 1 << 20 : RATMEM_LIMIT_NONE);
	nla_nest_end(msg, nest);
	if (exited)
		nla_put_flag(msg, RATMEM_A_EXITED);
	return msg;
}

static void test_handles_and_quota_rows(void)
{
	uint64_t usage[RATMEM_RES_COUNT] = { 24576, 0, 0, 2, 0 };
	struct parse_case p;
	struct listing l;
	struct nl_msg *msg;
	char *out;

	CHECK(PARSE(&p, "handles", "-J") == 0);
	CHECK(dump_init(&l, &p.c, "handles") == 0);
	msg = msg_new(RATMEM_CMD_GET_HANDLES);
	nla_put_u32(msg, RATMEM_A_PID, 10);
	nla_put_u32(msg, RATMEM_A_HANDLE, 3);
	nla_put_u64(msg, RATMEM_A_REGION_ID, 7);
	nla_put_u32(msg, RATMEM_A_RIGHTS, RATMEM_RIGHT_READ);
	nla_put_u32(msg, RATMEM_A_CAP_KIND, RATMEM_CAPKIND_GRANT);
	nla_put_u64(msg, RATMEM_A_CAP_ID, 0xa1);
	nla_put_flag(msg, RATMEM_A_REVOKED);
	feed(&l, msg, dump_row);
	msg = msg_new(RATMEM_CMD_GET_HANDLES);
	nla_put_u32(msg, RATMEM_A_PID, 10);
	nla_put_u32(msg, RATMEM_A_HANDLE, 1);
	nla_put_u64(msg, RATMEM_A_REGION_ID, 7);
	nla_put_u32(msg, RATMEM_A_RIGHTS, 0);
	nla_put_u32(msg, RATMEM_A_CAP_KIND, RATMEM_CAPKIND_OWNER);
	feed(&l, msg, dump_row);
	out = listed(&l, "handles");
	CHECK_STR(out, "{\"handles\":[{\"pid\":10,\"handle\":3,\"region\":7,\"rights\":[\"read\"],"
		       "\"kind\":\"grant\",\"capability\":\"00000000000000a1\","
		       "\"state\":\"revoked\"},"
		       "{\"pid\":10,\"handle\":1,\"region\":7,\"rights\":[],\"kind\":\"owner\","
		       "\"capability\":null,\"state\":\"live\"}]}\n");
	free(out);

	for (int json = 0; json < 2; json++) {
		CHECK(PARSE(&p, "quota", json ? "--json" : "-b") == 0);
		CHECK(quota_list_init(&l, &p.c, "quota list") == 0);
		/* Without the region dump, RESIDENT is unknown. */
		CHECK(quota_list_needs_regions(&l));
		feed(&l, quota(42, usage, true), quota_row);
		out = listed(&l, "processes");
		if (json)
			CHECK_STR(out, "{\"processes\":[{\"pid\":42,"
				       "\"reserved\":{\"usage\":24576,\"limit\":null},"
				       "\"committed\":{\"usage\":0,\"limit\":1048576},"
				       "\"resident\":null,"
				       "\"shared\":{\"usage\":0,\"limit\":null},"
				       "\"handles\":{\"usage\":2,\"limit\":null},"
				       "\"grants\":{\"usage\":0,\"limit\":null},"
				       "\"state\":\"exited\"}]}\n");
		else
			CHECK_STR(out,
				  "PID  RESERVED  COMMITTED  RESIDENT  SHARED  HANDLES  GRANTS  STATE\n"
				  " 42   24576/-  0/1048576         -     0/-      2/-     0/-  exited\n");
		free(out);
	}
}

/* A region of the dump: @pid created it, @resident bytes of it. */
static struct nl_msg *region_of(uint64_t id, uint32_t pid, uint64_t resident)
{
	struct nl_msg *msg = msg_new(RATMEM_CMD_GET_REGIONS);

	nla_put_u64(msg, RATMEM_A_REGION_ID, id);
	nla_put_u32(msg, RATMEM_A_PID, pid);
	nla_put_u64(msg, RATMEM_A_SIZE, 1 << 20);
	nla_put_u64(msg, RATMEM_A_COMMITTED, resident);
	nla_put_u64(msg, RATMEM_A_RESIDENT, resident);
	nla_put_u32(msg, RATMEM_A_RIGHTS, RATMEM_RIGHT_READ);
	nla_put_u32(msg, RATMEM_A_MAPPERS, 0);
	return msg;
}

static void fold_region(struct snapshot *s, struct nl_msg *msg)
{
	struct nlattr *tb[RATMEM_A_MAX + 1];

	CHECK(parse_msg(msg, tb) == 0);
	snap_region_row(tb, s);
	nlmsg_free(msg);
}

/* quota list's RESIDENT: the region dump joined per creator pid, as top
 * does; two regions of one pid add up, a pid without regions has 0. */
static void test_quota_list_resident(void)
{
	uint64_t usage[RATMEM_RES_COUNT] = { 24576, 12288, 0, 3, 0 };
	struct snapshot regions;
	struct parse_case p;
	struct listing l;
	char *out;

	snap_init(&regions);
	fold_region(&regions, region_of(7, 42, 3 * 4096));
	fold_region(&regions, region_of(8, 43, 5 * 4096));
	fold_region(&regions, region_of(9, 42, 2 * 4096));
	CHECK(snap_find(&regions, 42) && snap_find(&regions, 42)->resident == 20480);
	CHECK(snap_find(&regions, 42)->regions == 2);
	CHECK(snap_find(&regions, 44) == NULL);

	CHECK(PARSE(&p, "ps", "--json") == 0);
	CHECK(quota_list_init(&l, &p.c, "ps") == 0);
	CHECK(quota_list_needs_regions(&l));
	l.priv = &regions;
	feed(&l, quota(42, usage, false), quota_row);
	feed(&l, quota(44, usage, true), quota_row);
	out = listed(&l, "processes");
	CHECK(strstr(out, "{\"processes\":[{\"pid\":42,\"reserved\":{\"usage\":24576,"
			  "\"limit\":null},\"committed\":{\"usage\":12288,\"limit\":1048576},"
			  "\"resident\":20480,\"shared\":{") == out);
	CHECK(strstr(out, "},{\"pid\":44,") != NULL);
	CHECK(strstr(out, "\"resident\":0,\"shared\":{\"usage\":0,\"limit\":null},"
			  "\"handles\":{\"usage\":3,\"limit\":null},"
			  "\"grants\":{\"usage\":0,\"limit\":null},\"state\":\"exited\"}]}\n")
	      != NULL);
	free(out);

	/* Tables: K, M, G... or with -b the bytes; -o picks it. */
	CHECK(PARSE(&p, "quota", "list") == 0);
	CHECK(quota_list_init(&l, &p.c, "quota list") == 0);
	l.priv = &regions;
	feed(&l, quota(42, usage, false), quota_row);
	feed(&l, quota(44, usage, true), quota_row);
	out = listed(&l, "processes");
	CHECK_STR(out, "PID  RESERVED  COMMITTED  RESIDENT  SHARED  HANDLES  GRANTS  STATE\n"
		       " 42     24K/-     12K/1M       20K     0/-      3/-     0/-  live\n"
		       " 44     24K/-     12K/1M         0     0/-      3/-     0/-  exited\n");
	free(out);

	CHECK(PARSE(&p, "ps", "-o", "pid,Resident", "-b", "-r", "-n") == 0);
	CHECK(quota_list_init(&l, &p.c, "ps") == 0);
	CHECK(quota_list_needs_regions(&l));
	l.priv = &regions;
	feed(&l, quota(42, usage, false), quota_row);
	out = listed(&l, "processes");
	CHECK_STR(out, "42 20480\n");
	free(out);

	CHECK(PARSE(&p, "ps", "-o", "pid,committed") == 0);
	CHECK(quota_list_init(&l, &p.c, "ps") == 0);
	CHECK(!quota_list_needs_regions(&l));
	table_free(&l.t);
	snap_free(&regions);
}

/* ---- snapshots and Prometheus ------------------------------------------ */

static void synthetic_snapshot(struct snapshot *s)
{
	uint64_t usage[RATMEM_RES_COUNT] = { 8192, 4096, 0, 2, 1 };
	uint64_t limit[RATMEM_RES_COUNT];
	const struct node_pages np[] = { { 0, 1 }, { 1, 2 } };

	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		limit[res] = RATMEM_LIMIT_NONE;
	limit[RATMEM_RES_COMMITTED] = 1 << 20;
	limit[RATMEM_RES_HANDLES] = 64;
	snap_init(s);
	snprintf(s->st.version, sizeof(s->st.version), "0.6.0\"x");
	s->st.seen = true;
	s->st.abi = 3;
	s->st.features = RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_NUMA;
	s->st.seq = 42;
	s->st.has_seq = true;
	s->st.has[1] = true;	/* regions */
	s->st.val[1] = 2;
	s->st.has[3] = true;	/* pages */
	s->st.val[3] = 3;
	snap_add_quota(s, 300, false, usage, limit);
	usage[RATMEM_RES_COMMITTED] = 0;
	snap_add_quota(s, 100, true, usage, limit);
	snap_add_region(s, 300, 8192, 4096, 4096, 0, np, 1);
	snap_add_region(s, 300, 4096, 0, 8192, 1, np + 1, 1);
	snap_add_region(s, 200, 4096, 0, 0, 0, NULL, -1);
	snap_add_grant(s, false);
	snap_add_grant(s, true);
	snap_add_grant(s, true);
}

static void test_snapshot_folding(void)
{
	struct snapshot s;
	struct proc_stat *p;

	synthetic_snapshot(&s);
	CHECK(s.nprocs == 3);
	/* Sorted by pid, whatever the order of the dumps. */
	CHECK(s.procs[0].pid == 100 && s.procs[1].pid == 200 && s.procs[2].pid == 300);
	p = snap_proc(&s, 300);
	CHECK(p->has_quota && !p->exited);
	CHECK(p->regions == 2 && p->resident == 12288 && p->committed == 4096);
	CHECK(p->usage[RATMEM_RES_COMMITTED] == 4096);
	p = snap_proc(&s, 200);
	CHECK(!p->has_quota && p->regions == 1 && p->limit[0] == RATMEM_LIMIT_NONE);
	CHECK(snap_proc(&s, 100)->exited);
	CHECK(s.nprocs == 3);
	CHECK(s.regions == 3 && s.size == 16384 && s.committed == 4096 && s.resident == 12288);
	CHECK(s.pending == 1);
	CHECK(s.has_nodes && s.node_pages[0] == 1 && s.node_pages[1] == 2);
	CHECK(s.grants_pending == 1 && s.grants_accepted == 2);
	snap_free(&s);
}

/* Every sample of @text belongs to a family announced by HELP and TYPE
 * before it, and each family is announced once. */
static bool prom_well_formed(const char *text)
{
	char families[64][80];
	int nfam = 0;
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char name[80];
		size_t n;

		if (!end)
			return false;	/* the last line ends too */
		if (!strncmp(line, "# HELP ", 7)) {
			n = strcspn(line + 7, " \n");
			if (n >= sizeof(name) || nfam == 64)
				return false;
			snprintf(families[nfam], sizeof(families[nfam]), "%.*s", (int)n, line + 7);
			for (int i = 0; i < nfam; i++)
				if (!strcmp(families[i], families[nfam]))
					return false;
			nfam++;
		} else if (!strncmp(line, "# TYPE ", 7)) {
			if (!nfam)
				return false;
			n = strlen(families[nfam - 1]);
			if (strncmp(line + 7, families[nfam - 1], n) || line[7 + n] != ' ')
				return false;
		} else {
			n = strcspn(line, "{ ");
			if (!nfam || n != strlen(families[nfam - 1]) ||
			    strncmp(line, families[nfam - 1], n))
				return false;
		}
		line += len + 1;
	}
	return nfam > 0;
}

static void test_prometheus(void)
{
	struct snapshot s;
	char *buf = NULL, esc[32];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_STR(prom_escape(esc, sizeof(esc), "a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
	CHECK_STR(prom_escape(esc, 4, "a\"b"), "a\\\"");
	CHECK_STR(prom_escape(esc, 3, "a\"b"), "a");
	synthetic_snapshot(&s);
	if (!f)
		abort();
	prom_write(f, &s);
	fclose(f);
	CHECK(prom_well_formed(buf));
	CHECK(strstr(buf, "ratmem_info{version=\"0.6.0\\\"x\",abi_version=\"3\"} 1\n"));
	CHECK(strstr(buf, "# TYPE ratmem_events_total counter\nratmem_events_total 42\n"));
	CHECK(strstr(buf, "ratmem_feature{feature=\"numa\"} 1\n"));
	CHECK(strstr(buf, "ratmem_feature{feature=\"events\"} 0\n"));
	CHECK(strstr(buf, "# TYPE ratmem_regions gauge\nratmem_regions 2\n"));
	CHECK(strstr(buf, "\nratmem_pages 3\n"));
	/* Counters the module did not send are left out. */
	CHECK(!strstr(buf, "ratmem_contexts"));
	CHECK(strstr(buf, "\nratmem_region_resident_bytes 12288\n"));
	CHECK(strstr(buf, "\nratmem_node_resident_bytes{node=\"0\"} 4096\n"));
	CHECK(strstr(buf, "\nratmem_node_resident_bytes{node=\"1\"} 8192\n"));
	CHECK(strstr(buf, "\nratmem_grants_by_state{state=\"accepted\"} 2\n"));
	CHECK(strstr(buf, "\nratmem_process_resident_bytes{pid=\"300\"} 12288\n"));
	CHECK(strstr(buf, "\nratmem_process_resident_bytes{pid=\"200\"} 0\n"));
	CHECK(strstr(buf, "\nratmem_process_regions{pid=\"300\"} 2\n"));
	CHECK(strstr(buf, "\nratmem_process_committed_bytes{pid=\"300\"} 4096\n"));
	CHECK(strstr(buf, "\nratmem_process_handles{pid=\"100\"} 2\n"));
	CHECK(strstr(buf, "\nratmem_process_exited{pid=\"100\"} 1\n"));
	CHECK(strstr(buf, "\nratmem_process_exited{pid=\"300\"} 0\n"));
	/* Without a quota, no usage, limit or state. */
	CHECK(!strstr(buf, "ratmem_process_handles{pid=\"200\"}"));
	CHECK(!strstr(buf, "ratmem_process_exited{pid=\"200\"}"));
	/* Limits only where set. */
	CHECK(strstr(buf, "\nratmem_process_committed_limit_bytes{pid=\"300\"} 1048576\n"));
	CHECK(strstr(buf, "\nratmem_process_handles_limit{pid=\"300\"} 64\n"));
	CHECK(!strstr(buf, "ratmem_process_reserved_limit_bytes"));
	CHECK(strstr(buf, "# HELP ratmem_process_resident_bytes "));
	free(buf);
	snap_free(&s);

	/* An empty module: still well formed, no process families. */
	snap_init(&s);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	prom_write(f, &s);
	fclose(f);
	CHECK(prom_well_formed(buf));
	CHECK(!strstr(buf, "ratmem_process_"));
	CHECK(strstr(buf, "ratmem_info{version=\"unknown\",abi_version=\"0\"} 1\n"));
	free(buf);
	snap_free(&s);
}

static char *top_screen(struct snapshot *s, uint64_t events, bool have_events,
			const char *const *args)
{
	struct parse_case p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	CHECK(parse(&p, args) == 0);
	CHECK(top_render(&p.c, s, events, 2.0, have_events, f) == 0);
	fclose(f);
	return buf;
}

#define TOP(s, ev, have, ...) top_screen(s, ev, have, (const char *const[]){ __VA_ARGS__, NULL })

static void test_top_screen(void)
{
	struct snapshot s;
	char *out;

	/* By resident bytes, then committed, then pid; rates unknown. */
	synthetic_snapshot(&s);
	out = TOP(&s, 0, false, "top", "-n");
	CHECK_STR(out, "300  12K  4K  2  2  1  -  -\n"
		       "100    0   0  0  2  1  -  -\n"
		       "200    0   0  1  -  -  -  -\n");
	free(out);
	snap_free(&s);

	/* Rates over the 2 s since the last screen; by committed bytes. */
	synthetic_snapshot(&s);
	snap_proc(&s, 100)->events = 3;
	snap_proc(&s, 300)->events = 8;
	snap_proc(&s, 300)->grant_events = 5;
	out = TOP(&s, 11, true, "top", "--sort", "committed", "-b", "-o",
		  "pid,committed,resident,grants/s,events/s,state");
	CHECK(strstr(out, ", 3 processes, 5.5 events/s\n") != NULL);
	CHECK(strstr(out, "\nPID  COMMITTED  RESIDENT  GRANTS/S  EVENTS/S  STATE\n"
			  "300       4096     12288       2.5       4.0  live\n"
			  "100          0         0       0.0       1.5  exited\n"
			  "200          0         0       0.0       0.0  -\n") != NULL);
	free(out);
	snap_free(&s);

	synthetic_snapshot(&s);
	out = TOP(&s, 4, true, "top", "--json", "-o", "PID,RESIDENT,EVENTS/S,state");
	CHECK(!strncmp(out, "{\"time_ns\":", 11));
	CHECK(strstr(out, ",\"regions\":3,\"resident\":12288,\"events/s\":2.0,\"processes\":["
			  "{\"pid\":300,\"resident\":12288,\"events/s\":0.0,\"state\":\"live\"},"
			  "{\"pid\":100,\"resident\":0,\"events/s\":0.0,\"state\":\"exited\"},"
			  "{\"pid\":200,\"resident\":0,\"events/s\":0.0,\"state\":null}]}\n")
	      != NULL);
	free(out);
	snap_free(&s);

	synthetic_snapshot(&s);
	out = TOP(&s, 0, false, "top", "--json", "-o", "pid,events/s");
	CHECK(strstr(out, "\"events/s\":null,\"processes\":[{\"pid\":300,\"events/s\":null},")
	      != NULL);
	free(out);
	snap_free(&s);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "policy_names", test_policy_names },
	{ "feature_names", test_feature_names },
	{ "node_pages_format", test_node_pages_format },
	{ "node_pages_truncated", test_node_pages_truncated },
	{ "node_pages_nest", test_node_pages_nest },
	{ "parse_node", test_parse_node },
	{ "parse_bytes", test_parse_bytes },
	{ "parse_options", test_parse_options },
	{ "parse_errors", test_parse_errors },
	{ "options_per_command", test_options_per_command },
	{ "parse_seconds", test_parse_seconds },
	{ "column_selection", test_column_selection },
	{ "json_keys", test_json_keys },
	{ "raw_escaping", test_raw_escaping },
	{ "byte_figures", test_byte_figures },
	{ "nodemask_format", test_nodemask_format },
	{ "table_text", test_table_text },
	{ "tree_order", test_tree_order },
	{ "tree_text", test_tree_text },
	{ "tree_json", test_tree_json },
	{ "json_cell", test_json_cell },
	{ "regions_rows", test_regions_rows },
	{ "grants_rows", test_grants_rows },
	{ "handles_and_quota_rows", test_handles_and_quota_rows },
	{ "quota_list_resident", test_quota_list_resident },
	{ "snapshot_folding", test_snapshot_folding },
	{ "top_screen", test_top_screen },
	{ "prometheus", test_prometheus },
};

int main(void)
{
	int n = (int)(sizeof(cases) / sizeof(cases[0])), bad = 0;

	printf("KTAP version 1\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		int before = failed_checks;

		cases[i].fn();
		printf("%sok %d %s\n", failed_checks == before ? "" : "not ", i + 1, cases[i].name);
		bad += failed_checks != before;
	}
	printf("# %d passed, %d failed\n", n - bad, bad);
	return bad != 0;
}
