// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl's formatting and parsing helpers on the host, no module
 * needed (make -C tools check): policy names, the NODES column, the
 * RATMEM_A_NODE_PAGES nest as the module sends it, and the migrate
 * command's argument parsers. What ratmemctl prints for real regions is
 * tested in the VM (tests/selftests/test_ratmemctl.c).
 *
 * Output is KTAP: one "ok N name" or "not ok N name" per test.
 */
#include <string.h>

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
