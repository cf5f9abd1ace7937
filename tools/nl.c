// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: the generic netlink family "ratmem" through libnl-genl-3.
 * Requests and dumps (rnl_call), the events group (rnl_join_events,
 * rnl_read_events) and the attribute accessors.
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

/* Sizes checked before any nla_get_*(); unknown attributes are skipped. */
static struct nla_policy policy[RATMEM_A_MAX + 1] = {
	[RATMEM_A_EVENT] = { .type = NLA_U32 },
	[RATMEM_A_SEQ] = { .type = NLA_U64 },
	[RATMEM_A_TIME_NS] = { .type = NLA_U64 },
	[RATMEM_A_PID] = { .type = NLA_U32 },
	[RATMEM_A_PEER_PID] = { .type = NLA_U32 },
	[RATMEM_A_QUOTA_PID] = { .type = NLA_U32 },
	[RATMEM_A_REGION_ID] = { .type = NLA_U64 },
	[RATMEM_A_CAP_ID] = { .type = NLA_U64 },
	[RATMEM_A_SIZE] = { .type = NLA_U64 },
	[RATMEM_A_RIGHTS] = { .type = NLA_U32 },
	[RATMEM_A_RESOURCE] = { .type = NLA_U32 },
	[RATMEM_A_AMOUNT] = { .type = NLA_U64 },
	[RATMEM_A_USAGE] = { .type = NLA_NESTED },
	[RATMEM_A_LIMITS] = { .type = NLA_NESTED },
	[RATMEM_A_VIOLATION] = { .type = NLA_U32 },
	[RATMEM_A_VERSION] = { .type = NLA_STRING },
	[RATMEM_A_ABI_VERSION] = { .type = NLA_U32 },
	[RATMEM_A_FEATURES] = { .type = NLA_U64 },
	[RATMEM_A_STAT_CONTEXTS] = { .type = NLA_U64 },
	[RATMEM_A_STAT_REGIONS] = { .type = NLA_U64 },
	[RATMEM_A_STAT_HANDLES] = { .type = NLA_U64 },
	[RATMEM_A_STAT_PAGES] = { .type = NLA_U64 },
	[RATMEM_A_STAT_MAPPINGS] = { .type = NLA_U64 },
	[RATMEM_A_STAT_GRANTS] = { .type = NLA_U64 },
	[RATMEM_A_STAT_NAMES] = { .type = NLA_U64 },
	[RATMEM_A_STAT_QUOTAS] = { .type = NLA_U64 },
	[RATMEM_A_EXITED] = { .type = NLA_FLAG },
	[RATMEM_A_COMMITTED] = { .type = NLA_U64 },
	[RATMEM_A_RESIDENT] = { .type = NLA_U64 },
	[RATMEM_A_MAPPERS] = { .type = NLA_U32 },
	[RATMEM_A_HANDLE] = { .type = NLA_U32 },
	[RATMEM_A_CAP_KIND] = { .type = NLA_U32 },
	[RATMEM_A_REVOKED] = { .type = NLA_FLAG },
	[RATMEM_A_ACCEPTED] = { .type = NLA_FLAG },
	[RATMEM_A_OWNER_UID] = { .type = NLA_U32 },
	[RATMEM_A_OWNER_GID] = { .type = NLA_U32 },
	[RATMEM_A_MODE] = { .type = NLA_U32 },
	[RATMEM_A_NODE_PAGES] = { .type = NLA_NESTED },
	[RATMEM_A_POLICY] = { .type = NLA_U32 },
	[RATMEM_A_NODEMASK] = { .type = NLA_U64 },
	[RATMEM_A_PENDING] = { .type = NLA_U64 },
	[RATMEM_A_PARENT_CAP_ID] = { .type = NLA_U64 },
	[RATMEM_A_POOL] = { .type = NLA_NESTED },
	[RATMEM_A_SEALS] = { .type = NLA_U32 },
	[RATMEM_A_LEASE_NS] = { .type = NLA_U64 },
	[RATMEM_A_REVOKING] = { .type = NLA_FLAG },
	[RATMEM_A_OFFSET] = { .type = NLA_U64 },
};

static struct nla_policy res_policy[RATMEM_RES_COUNT + 1] = {
	[RATMEM_RES_RESERVED + 1] = { .type = NLA_U64 },
	[RATMEM_RES_COMMITTED + 1] = { .type = NLA_U64 },
	[RATMEM_RES_SHARED + 1] = { .type = NLA_U64 },
	[RATMEM_RES_HANDLES + 1] = { .type = NLA_U64 },
	[RATMEM_RES_GRANTS + 1] = { .type = NLA_U64 },
};

uint64_t attr_u64(struct nlattr **tb, int type, uint64_t def)
{
	return tb[type] ? nla_get_u64(tb[type]) : def;
}

uint32_t attr_u32(struct nlattr **tb, int type, uint32_t def)
{
	return tb[type] ? nla_get_u32(tb[type]) : def;
}

bool attr_res_nest(struct nlattr **tb, int type, uint64_t *v, uint64_t def)
{
	struct nlattr *nt[RATMEM_RES_COUNT + 1];

	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		v[res] = def;
	if (!tb[type] || nla_parse_nested(nt, RATMEM_RES_COUNT, tb[type], res_policy) < 0)
		return false;
	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		if (nt[res + 1])
			v[res] = nla_get_u64(nt[res + 1]);
	return true;
}

int attr_node_pages(struct nlattr **tb, int type, struct node_pages *v, int max)
{
	struct nlattr *a;
	int rem, n = 0;

	if (!tb[type])
		return -1;
	nla_for_each_nested(a, tb[type], rem) {
		/* Type node + 1, a u64; padding (no payload) is skipped. */
		if (nla_type(a) < 1 || nla_len(a) != (int)sizeof(uint64_t) || n == max)
			continue;
		v[n].node = (uint32_t)(nla_type(a) - 1);
		v[n].pages = nla_get_u64(a);
		n++;
	}
	return n;
}

/* The kernel's NLMSG_ERROR: keep its errno, libnl's codes lose detail. */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct rnl *n = arg;

	(void)who;
	n->error = err->error < 0 ? -err->error : err->error;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct rnl *n = arg;
	struct nlattr *tb[RATMEM_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, RATMEM_A_MAX, policy) < 0)
		return NL_SKIP;		/* malformed: not ours to print */
	if (n->fn && n->fn(tb, n->arg))
		return NL_STOP;
	return NL_OK;
}

int rnl_open(struct rnl *n)
{
	return rnl_open_quiet(n, false);
}

int rnl_open_quiet(struct rnl *n, bool quiet_missing)
{
	int err;

	memset(n, 0, sizeof(*n));
	n->sk = nl_socket_alloc();
	if (!n->sk)
		return runtime_error("out of memory");
	err = genl_connect(n->sk);
	if (err < 0) {
		nl_socket_free(n->sk);
		n->sk = NULL;
		return runtime_error("generic netlink socket: %s", nl_geterror(err));
	}
	nl_socket_disable_auto_ack(n->sk);
	n->family = genl_ctrl_resolve(n->sk, RATMEM_GENL_NAME);
	if (n->family < 0) {
		err = n->family;
		rnl_close(n);
		n->missing = err == -NLE_OBJ_NOTFOUND;
		if (n->missing && quiet_missing)
			return EXIT_RUNTIME;
		if (n->missing)
			return runtime_error("generic netlink family \"" RATMEM_GENL_NAME
					     "\" not found: is the ratmem module loaded "
					     "(modprobe ratmem), and is this the initial "
					     "network namespace?");
		return runtime_error("resolving the netlink family \"" RATMEM_GENL_NAME
				     "\": %s", nl_geterror(err));
	}
	nl_socket_modify_err_cb(n->sk, NL_CB_CUSTOM, on_error, n);
	nl_socket_modify_cb(n->sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, n);
	return 0;
}

void rnl_close(struct rnl *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	n->sk = NULL;
}

int rnl_fd(const struct rnl *n)
{
	return nl_socket_get_fd(n->sk);
}

static int call_failed(struct rnl *n, const char *what, int nlerr)
{
	if (n->error == EPERM || n->error == EACCES)
		return runtime_error("%s: %s", what, strerror(n->error));
	if (n->error == EOPNOTSUPP)
		return runtime_error("%s: the loaded ratmem module does not support it", what);
	if (n->error)
		return runtime_error("%s: %s", what, strerror(n->error));
	return runtime_error("%s: %s", what, nl_geterror(nlerr));
}

int rnl_call(struct rnl *n, int cmd, bool dump, pid_t pid, const char *what,
	     int (*fn)(struct nlattr **tb, void *arg), void *arg)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg)
		return runtime_error("out of memory");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, n->family, 0,
			 dump ? NLM_F_DUMP : 0, (uint8_t)cmd, RATMEM_GENL_VERSION) ||
	    (pid && nla_put_u32(msg, RATMEM_A_PID, (uint32_t)pid) < 0)) {
		nlmsg_free(msg);
		return runtime_error("out of memory");
	}
	n->error = 0;
	n->fn = fn;
	n->arg = arg;
	err = nl_send_auto(n->sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return call_failed(n, what, err);
	err = nl_recvmsgs_default(n->sk);
	n->fn = NULL;
	if (err < 0 || n->error)
		return call_failed(n, what, err);
	return 0;
}

int rnl_join_events(struct rnl *n, bool quiet)
{
	int grp = genl_ctrl_resolve_grp(n->sk, RATMEM_GENL_NAME, RATMEM_GENL_MCGRP_EVENTS);
	int err;

	if (quiet && grp < 0)
		return EXIT_RUNTIME;
	if (grp < 0)
		return runtime_error("the ratmem family has no \"" RATMEM_GENL_MCGRP_EVENTS
				     "\" group: %s", nl_geterror(grp));
	/* Events are not answers: their sequence numbers are not ours. */
	nl_socket_disable_seq_check(n->sk);
	err = nl_socket_add_membership(n->sk, grp);
	if (quiet && err < 0)
		return EXIT_RUNTIME;
	if (err == -NLE_PERM || err == -NLE_NOACCESS)
		return runtime_error("joining the ratmem events group needs CAP_NET_ADMIN "
				     "(run as root)");
	if (err < 0)
		return runtime_error("joining the ratmem events group: %s", nl_geterror(err));
	/* Bursts of events should not overflow a slow reader at once. */
	nl_socket_set_buffer_size(n->sk, 1 << 20, 0);
	err = nl_socket_set_nonblocking(n->sk);
	if (err < 0)
		return runtime_error("netlink socket: %s", nl_geterror(err));
	return 0;
}

/*
 * Read one datagram of events and call fn per event (it keeps its own
 * state: libnl reports a stop asked by fn as success). Returns 0, -1
 * when the socket buffer overflowed (events were dropped: the sequence
 * numbers tell how many), or EXIT_RUNTIME with the message printed.
 */
int rnl_read_events(struct rnl *n, int (*fn)(struct nlattr **tb, void *arg), void *arg)
{
	int err;

	n->error = 0;
	n->fn = fn;
	n->arg = arg;
	err = nl_recvmsgs_default(n->sk);
	n->fn = NULL;
	if (err >= 0 || err == -NLE_AGAIN)
		return 0;
	if (err == -NLE_NOMEM)
		return -1;
	return runtime_error("reading events: %s", nl_geterror(err));
}
