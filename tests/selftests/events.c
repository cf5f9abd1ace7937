// SPDX-License-Identifier: GPL-2.0
/* Helpers for the selftests of ratmem's netlink family: see events.h. */
#include <poll.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "events.h"
#include "harness.h"

static const char *const event_names[] = {
	[RATMEM_EV_UNSPEC] = "unspec", [RATMEM_EV_QUOTA] = "quota",
	[RATMEM_EV_GRANT] = "grant", [RATMEM_EV_ACCEPT] = "accept",
	[RATMEM_EV_REVOKE] = "revoke", [RATMEM_EV_VIOLATION] = "violation",
};

const char *rt_event_name(uint32_t event)
{
	return event < __RATMEM_EV_MAX ? event_names[event] : "unknown";
}

void rt_event_diag(const char *what, const struct rt_genl_msg *m)
{
	rt_diag("%s: cmd %u event %s seq %llu pid %u peer %u quota %u region %llu "
		"cap 0x%llx size %llu rights 0x%x resource %u amount %llu violation %u",
		what, m->cmd, rt_event_name(m->event), (unsigned long long)m->seq, m->pid,
		m->peer_pid, m->quota_pid, (unsigned long long)m->region_id,
		(unsigned long long)m->cap_id, (unsigned long long)m->size, m->rights,
		m->resource, (unsigned long long)m->amount, m->violation);
}

void rt_genl_open(struct rt_genl *g)
{
	int r;

	memset(g, 0, sizeof(*g));
	g->sk = nl_socket_alloc();
	ASSERT_TRUE(g->sk != NULL);
	r = genl_connect(g->sk);
	if (r < 0)
		rt_fail(__FILE__, __LINE__, "genl_connect: %s", nl_geterror(r));
	/* Flags are set per request; replies are read here, not by libnl. */
	nl_socket_disable_auto_ack(g->sk);
	nl_socket_disable_seq_check(g->sk);
	/* Peek at each datagram's size, so that none is ever truncated. */
	nl_socket_enable_msg_peek(g->sk);
	/* Room for bursts of events: a full buffer would lose some. */
	r = nl_socket_set_buffer_size(g->sk, 1 << 20, 0);
	if (r < 0)
		rt_fail(__FILE__, __LINE__, "nl_socket_set_buffer_size: %s", nl_geterror(r));
	g->family = genl_ctrl_resolve(g->sk, RATMEM_GENL_NAME);
	if (g->family < 0)
		rt_fail(__FILE__, __LINE__, "generic netlink family \"%s\": %s",
			RATMEM_GENL_NAME, nl_geterror(g->family));
	g->events_group = genl_ctrl_resolve_grp(g->sk, RATMEM_GENL_NAME,
						RATMEM_GENL_MCGRP_EVENTS);
	if (g->events_group < 0)
		rt_fail(__FILE__, __LINE__, "multicast group \"%s\" of \"%s\": %s",
			RATMEM_GENL_MCGRP_EVENTS, RATMEM_GENL_NAME, nl_geterror(g->events_group));
}

int rt_genl_join(struct rt_genl *g)
{
	return nl_socket_add_membership(g->sk, g->events_group);
}

void rt_listener_open(struct rt_genl *l)
{
	int r;

	rt_genl_open(l);
	r = rt_genl_join(l);
	if (r < 0)
		rt_fail(__FILE__, __LINE__, "join the events group: %s", nl_geterror(r));
}

void rt_genl_close(struct rt_genl *g)
{
	nl_socket_free(g->sk);
	free(g->queue);
	memset(g, 0, sizeof(*g));
}

static uint32_t get_u32(const struct nlattr *a)
{
	if (nla_len(a) != 4)
		rt_fail(__FILE__, __LINE__, "attribute %d: %d bytes, expected a u32",
			nla_type(a), nla_len(a));
	return nla_get_u32((struct nlattr *)a);
}

static uint64_t get_u64(const struct nlattr *a)
{
	if (nla_len(a) != 8)
		rt_fail(__FILE__, __LINE__, "attribute %d: %d bytes, expected a u64",
			nla_type(a), nla_len(a));
	return nla_get_u64((struct nlattr *)a);
}

static void get_flag(const struct nlattr *a)
{
	if (nla_len(a) != 0)
		rt_fail(__FILE__, __LINE__, "attribute %d: %d bytes, expected a flag",
			nla_type(a), nla_len(a));
}

/* A usage or limits nest: u64 entries of type RATMEM_RES_* + 1. */
static void get_res_nest(const struct nlattr *nest, uint64_t *vals, uint32_t *have)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		int type = nla_type(a);

		if (type < 1 || type > RATMEM_RES_COUNT)
			continue;	/* a later resource */
		vals[type - 1] = get_u64(a);
		*have |= 1u << (type - 1);
	}
}

/* RATMEM_A_POOL: a nest per node (type node + 1) of RATMEM_POOL_A_* u64s. */
static void get_pool_nest(const struct nlattr *nest, struct rt_genl_msg *m)
{
	struct nlattr *node, *a;
	int rem, rem2;

	nla_for_each_nested(node, (struct nlattr *)nest, rem) {
		int nid = nla_type(node) - 1;

		if (nid < 0 || nid >= RT_POOL_NODES)
			continue;
		m->pool_nodes |= 1u << nid;
		nla_for_each_nested(a, node, rem2) {
			int type = nla_type(a);

			if (type > RATMEM_POOL_A_PAD && type <= RATMEM_POOL_A_MAX)
				m->pool[nid][type] = get_u64(a);
		}
	}
}

static void parse_attr(struct rt_genl_msg *m, const struct nlattr *a)
{
	int type = nla_type(a);

	if (type <= RATMEM_A_PAD || type > RATMEM_A_MAX)
		return;		/* unknown attributes are skipped */
	m->have |= 1ULL << type;
	switch (type) {
	case RATMEM_A_EVENT:		m->event = get_u32(a); break;
	case RATMEM_A_SEQ:		m->seq = get_u64(a); break;
	case RATMEM_A_TIME_NS:		m->time_ns = get_u64(a); break;
	case RATMEM_A_PID:		m->pid = get_u32(a); break;
	case RATMEM_A_PEER_PID:		m->peer_pid = get_u32(a); break;
	case RATMEM_A_QUOTA_PID:	m->quota_pid = get_u32(a); break;
	case RATMEM_A_REGION_ID:	m->region_id = get_u64(a); break;
	case RATMEM_A_CAP_ID:		m->cap_id = get_u64(a); break;
	case RATMEM_A_SIZE:		m->size = get_u64(a); break;
	case RATMEM_A_RIGHTS:		m->rights = get_u32(a); break;
	case RATMEM_A_RESOURCE:		m->resource = get_u32(a); break;
	case RATMEM_A_AMOUNT:		m->amount = get_u64(a); break;
	case RATMEM_A_USAGE:
		get_res_nest(a, m->usage, &m->have_usage);
		break;
	case RATMEM_A_LIMITS:
		get_res_nest(a, m->limits, &m->have_limits);
		break;
	case RATMEM_A_POOL:
		get_pool_nest(a, m);
		break;
	case RATMEM_A_VIOLATION:	m->violation = get_u32(a); break;
	case RATMEM_A_VERSION:
		if (nla_len(a) < 1 || ((const char *)nla_data(a))[nla_len(a) - 1] != '\0')
			rt_fail(__FILE__, __LINE__, "RATMEM_A_VERSION is not a string");
		snprintf(m->version, sizeof(m->version), "%s", (const char *)nla_data(a));
		break;
	case RATMEM_A_ABI_VERSION:	m->abi_version = get_u32(a); break;
	case RATMEM_A_FEATURES:		m->features = get_u64(a); break;
	case RATMEM_A_STAT_CONTEXTS:
	case RATMEM_A_STAT_REGIONS:
	case RATMEM_A_STAT_HANDLES:
	case RATMEM_A_STAT_PAGES:
	case RATMEM_A_STAT_MAPPINGS:
	case RATMEM_A_STAT_GRANTS:
	case RATMEM_A_STAT_NAMES:
	case RATMEM_A_STAT_QUOTAS:
		m->stat[type - RATMEM_A_STAT_CONTEXTS] = get_u64(a);
		break;
	case RATMEM_A_COMMITTED:	m->committed = get_u64(a); break;
	case RATMEM_A_RESIDENT:		m->resident = get_u64(a); break;
	case RATMEM_A_MAPPERS:		m->mappers = get_u32(a); break;
	case RATMEM_A_HANDLE:		m->handle = get_u32(a); break;
	case RATMEM_A_CAP_KIND:		m->cap_kind = get_u32(a); break;
	case RATMEM_A_OWNER_UID:	m->owner_uid = get_u32(a); break;
	case RATMEM_A_OWNER_GID:	m->owner_gid = get_u32(a); break;
	case RATMEM_A_MODE:		m->mode = get_u32(a); break;
	case RATMEM_A_EXITED:
	case RATMEM_A_REVOKED:
	case RATMEM_A_ACCEPTED:
		get_flag(a);
		break;
	default:
		break;
	}
}

static void parse_msg(struct rt_genl *g, struct nlmsghdr *h, struct rt_genl_msg *m)
{
	struct genlmsghdr *gh;
	struct nlattr *a;
	int rem;

	if (h->nlmsg_type != g->family)
		rt_fail(__FILE__, __LINE__, "netlink message type %u, expected the family's %d",
			h->nlmsg_type, g->family);
	if (!genlmsg_valid_hdr(h, 0))
		rt_fail(__FILE__, __LINE__, "short generic netlink message");
	gh = nlmsg_data(h);
	memset(m, 0, sizeof(*m));
	m->cmd = gh->cmd;
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem)
		parse_attr(m, a);
}

/* Wait up to @timeout_ms for a datagram; its length, or 0 on timeout. */
static int recv_datagram(struct rt_genl *g, unsigned char **buf, int timeout_ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(g->sk), .events = POLLIN };
	struct sockaddr_nl from;
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		rt_fail(__FILE__, __LINE__, "poll: %s", strerror(errno));
	if (r == 0)
		return 0;
	r = nl_recv(g->sk, &from, buf, NULL);
	if (r <= 0)
		rt_fail(__FILE__, __LINE__, "nl_recv: %s", r ? nl_geterror(r) : "end of file");
	if (from.nl_pid != 0)
		rt_fail(__FILE__, __LINE__, "netlink message from port %u, not the kernel",
			from.nl_pid);
	return r;
}

static void queue_event(struct rt_genl *l, const struct rt_genl_msg *ev)
{
	if (l->head == l->queued) {
		l->head = l->queued = 0;
	}
	if (l->queued == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->queue = realloc(l->queue, l->cap * sizeof(*l->queue));
		ASSERT_TRUE(l->queue != NULL);
	}
	l->queue[l->queued++] = *ev;
}

int rt_event_next(struct rt_genl *l, struct rt_genl_msg *ev, int timeout_ms)
{
	while (l->head == l->queued) {
		unsigned char *buf = NULL;
		struct nlmsghdr *h;
		int len = recv_datagram(l, &buf, timeout_ms);

		if (!len)
			return 0;
		for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			struct rt_genl_msg m;

			parse_msg(l, h, &m);
			if (m.cmd != RATMEM_CMD_EVENT)
				rt_fail(__FILE__, __LINE__, "listener got command %u", m.cmd);
			queue_event(l, &m);
		}
		free(buf);
	}
	*ev = l->queue[l->head++];
	return 1;
}

int rt_genl_pending(struct rt_genl *g)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(g->sk), .events = POLLIN };

	if (g->head != g->queued)
		return 1;
	return poll(&pfd, 1, 0) == 1;
}

unsigned int rt_events_upto(struct rt_genl *l, uint64_t after, uint64_t upto,
			    struct rt_genl_msg *evs, unsigned int max)
{
	uint64_t last = after;
	unsigned int n = 0;
	struct rt_genl_msg ev;

	while (last < upto) {
		if (!rt_event_next(l, &ev, 5000))
			rt_fail(__FILE__, __LINE__, "event seq %llu (of %llu..%llu) never came",
				(unsigned long long)last + 1, (unsigned long long)after + 1,
				(unsigned long long)upto);
		if (!RT_HAVE(&ev, RATMEM_A_SEQ)) {
			rt_event_diag("event", &ev);
			rt_fail(__FILE__, __LINE__, "event without RATMEM_A_SEQ");
		}
		if (ev.seq <= after)
			continue;	/* sent before the test began */
		if (ev.seq != last + 1) {
			rt_event_diag("event", &ev);
			rt_fail(__FILE__, __LINE__, "event seq %llu follows %llu",
				(unsigned long long)ev.seq, (unsigned long long)last);
		}
		last = ev.seq;
		if (n == max)
			rt_fail(__FILE__, __LINE__, "more than %u events in %llu..%llu", max,
				(unsigned long long)after + 1, (unsigned long long)upto);
		evs[n++] = ev;
	}
	return n;
}

int rt_genl_request(struct rt_genl *g, uint8_t cmd, int dump, uint32_t pid,
		    struct rt_genl_msg *out, unsigned int max)
{
	struct nl_msg *msg = nlmsg_alloc();
	unsigned int seq, n = 0;
	int r, done = 0, err = 0;

	ASSERT_TRUE(msg != NULL);
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0,
			 NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK), cmd,
			 RATMEM_GENL_VERSION))
		rt_fail(__FILE__, __LINE__, "genlmsg_put failed");
	if (pid)
		ASSERT_EQ(nla_put_u32(msg, RATMEM_A_PID, pid), 0);
	r = nl_send_auto(g->sk, msg);
	if (r < 0)
		rt_fail(__FILE__, __LINE__, "nl_send_auto: %s", nl_geterror(r));
	seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);

	while (!done) {
		unsigned char *buf = NULL;
		struct nlmsghdr *h;
		int len = recv_datagram(g, &buf, 10000);

		if (!len)
			rt_fail(__FILE__, __LINE__, "no reply to command %u in 10 s", cmd);
		for (h = (struct nlmsghdr *)buf; !done && nlmsg_ok(h, len);
		     h = nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq)
				rt_fail(__FILE__, __LINE__, "reply seq %u, expected %u",
					h->nlmsg_seq, seq);
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(h);

				err = e->error;
				done = 1;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				if (nlmsg_datalen(h) >= (int)sizeof(int))
					err = *(int *)nlmsg_data(h);
				done = 1;
			} else if (h->nlmsg_type != NLMSG_NOOP) {
				if (n == max)
					rt_fail(__FILE__, __LINE__, "more than %u replies to %u",
						max, cmd);
				parse_msg(g, h, &out[n]);
				if (out[n].cmd != cmd)
					rt_fail(__FILE__, __LINE__, "reply command %u to %u",
						out[n].cmd, cmd);
				n++;
			}
		}
		free(buf);
	}
	return err ? err : (int)n;
}

struct rt_genl_msg rt_status(struct rt_genl *g)
{
	struct rt_genl_msg m;
	int r = rt_genl_request(g, RATMEM_CMD_GET_STATUS, 0, 0, &m, 1);

	if (r < 0)
		rt_fail(__FILE__, __LINE__, "GET_STATUS: %s", strerror(-r));
	ASSERT_EQ(r, 1);
	ASSERT_TRUE(RT_HAVE(&m, RATMEM_A_SEQ));
	return m;
}

uint64_t rt_status_seq(struct rt_genl *g)
{
	return rt_status(g).seq;
}
