// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the generic netlink family "ratmem" (docs/abi.md, "Generic
 * netlink: events and inspection"):
 * events to the "events" multicast group, and the status request. The
 * dumps are in genl_dump.c.
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "counters.h"
#include "genl.h"
#include "pool.h"
#include "ratmem.h"

/*
 * Listeners see other processes' pids, regions and capability ids, so
 * joining the group needs CAP_NET_ADMIN. Every kernel ratmem supports
 * has the flag (Debian's 6.1 has it backported).
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "ratmem needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7, or a stable backport)"
#endif

/* Sequence number of the last event; the first one is 1. */
static atomic64_t ratmem_event_seq;

enum ratmem_genl_mcgrp {
	RATMEM_MCGRP_EVENTS,
};

static const struct genl_multicast_group ratmem_genl_mcgrps[] = {
	[RATMEM_MCGRP_EVENTS] = {
		.name = RATMEM_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* Defined below, with the operations that use it. */
static struct genl_family ratmem_genl_family;

/* Requests carry at most a pid; every other attribute is output only. */
static const struct nla_policy ratmem_genl_policy[RATMEM_A_MAX + 1] = {
	[RATMEM_A_PID] = { .type = NLA_U32 },
};

static int ratmem_genl_fill_event(struct sk_buff *skb, const struct ratmem_event_msg *msg,
				  u64 seq)
{
	if (nla_put_u32(skb, RATMEM_A_EVENT, msg->event) ||
	    nla_put_u64_64bit(skb, RATMEM_A_SEQ, seq, RATMEM_A_PAD) ||
	    nla_put_u64_64bit(skb, RATMEM_A_TIME_NS, ktime_get_real_ns(), RATMEM_A_PAD) ||
	    nla_put_u32(skb, RATMEM_A_PID, msg->pid))
		return -EMSGSIZE;
	if (msg->peer_pid && nla_put_u32(skb, RATMEM_A_PEER_PID, msg->peer_pid))
		return -EMSGSIZE;
	if (msg->quota_pid && nla_put_u32(skb, RATMEM_A_QUOTA_PID, msg->quota_pid))
		return -EMSGSIZE;
	if (msg->region_id &&
	    nla_put_u64_64bit(skb, RATMEM_A_REGION_ID, msg->region_id, RATMEM_A_PAD))
		return -EMSGSIZE;
	if (msg->cap_id && nla_put_u64_64bit(skb, RATMEM_A_CAP_ID, msg->cap_id, RATMEM_A_PAD))
		return -EMSGSIZE;
	if (msg->size && nla_put_u64_64bit(skb, RATMEM_A_SIZE, msg->size, RATMEM_A_PAD))
		return -EMSGSIZE;
	if (msg->has_rights && nla_put_u32(skb, RATMEM_A_RIGHTS, msg->rights))
		return -EMSGSIZE;
	if (msg->violation && nla_put_u32(skb, RATMEM_A_VIOLATION, msg->violation))
		return -EMSGSIZE;
	if (msg->usage) {
		if (nla_put_u32(skb, RATMEM_A_RESOURCE, msg->resource) ||
		    nla_put_u64_64bit(skb, RATMEM_A_AMOUNT, msg->amount, RATMEM_A_PAD) ||
		    ratmem_genl_put_res(skb, RATMEM_A_USAGE, msg->usage) ||
		    ratmem_genl_put_res(skb, RATMEM_A_LIMITS, msg->limit))
			return -EMSGSIZE;
	}
	return 0;
}

/**
 * ratmem_genl_event() - send an event to the "events" group
 * @msg: the event
 *
 * Every event takes the next sequence number, whether or not anyone
 * listens and whether or not it can be sent, so listeners can count
 * what they missed.
 *
 * Context: process context; may sleep (allocates with GFP_KERNEL).
 */
void ratmem_genl_event(const struct ratmem_event_msg *msg)
{
	u64 seq = atomic64_inc_return(&ratmem_event_seq);
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&ratmem_genl_family, &init_net, RATMEM_MCGRP_EVENTS))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &ratmem_genl_family, 0, RATMEM_CMD_EVENT);
	if (!hdr || ratmem_genl_fill_event(skb, msg, seq)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	/* -ESRCH (nobody left) and -ENOBUFS (a full listener) are gaps. */
	genlmsg_multicast(&ratmem_genl_family, skb, 0, RATMEM_MCGRP_EVENTS, GFP_KERNEL);
}

/* RATMEM_A_POOL: each online node's pool figures. */
static int ratmem_genl_fill_pools(struct sk_buff *skb)
{
	struct ratmem_pool_stats st;
	struct nlattr *all, *one;
	int nid;

	all = nla_nest_start(skb, RATMEM_A_POOL);
	if (!all)
		return -EMSGSIZE;
	for_each_online_node(nid) {
		ratmem_pool_node_stats(nid, &st);
		one = nla_nest_start(skb, nid + 1);
		if (!one ||
		    nla_put_u64_64bit(skb, RATMEM_POOL_A_PAGES, st.pages, RATMEM_POOL_A_PAD) ||
		    nla_put_u64_64bit(skb, RATMEM_POOL_A_HITS, st.hits, RATMEM_POOL_A_PAD) ||
		    nla_put_u64_64bit(skb, RATMEM_POOL_A_MISSES, st.misses, RATMEM_POOL_A_PAD) ||
		    nla_put_u64_64bit(skb, RATMEM_POOL_A_FILLED, st.filled, RATMEM_POOL_A_PAD) ||
		    nla_put_u64_64bit(skb, RATMEM_POOL_A_DRAINED, st.drained, RATMEM_POOL_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, all);
	return 0;
}

static int ratmem_genl_fill_status(struct sk_buff *skb)
{
	unsigned int i;

	if (nla_put_string(skb, RATMEM_A_VERSION, RATMEM_MODULE_VERSION) ||
	    nla_put_u32(skb, RATMEM_A_ABI_VERSION, RATMEM_ABI_VERSION) ||
	    nla_put_u64_64bit(skb, RATMEM_A_FEATURES, RATMEM_FEATURES, RATMEM_A_PAD) ||
	    nla_put_u64_64bit(skb, RATMEM_A_SEQ, atomic64_read(&ratmem_event_seq), RATMEM_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < ratmem_nr_counters; i++) {
		const struct ratmem_counter *c = &ratmem_counter_list[i];

		if (c->attr &&
		    nla_put_u64_64bit(skb, c->attr, ratmem_counter_read(c), RATMEM_A_PAD))
			return -EMSGSIZE;
	}
	return ratmem_genl_fill_pools(skb);
}

/* RATMEM_CMD_GET_STATUS: anyone may ask; the answer names no process. */
static int ratmem_genl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	void *hdr;

	/* About 80 bytes of pool figures per node. */
	reply = genlmsg_new(NLMSG_DEFAULT_SIZE + nr_online_nodes * 80, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &ratmem_genl_family, 0, RATMEM_CMD_GET_STATUS);
	if (!hdr || ratmem_genl_fill_status(reply)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static const struct genl_small_ops ratmem_genl_ops[] = {
	{
		.cmd = RATMEM_CMD_GET_STATUS,
		.doit = ratmem_genl_status,
	},
	{
		.cmd = RATMEM_CMD_GET_QUOTAS,
		.dumpit = ratmem_genl_dump_quotas,
	},
	{
		.cmd = RATMEM_CMD_GET_REGIONS,
		.dumpit = ratmem_genl_dump_regions,
	},
	{
		.cmd = RATMEM_CMD_GET_HANDLES,
		.dumpit = ratmem_genl_dump_handles,
	},
	{
		.cmd = RATMEM_CMD_GET_GRANTS,
		.dumpit = ratmem_genl_dump_grants,
	},
};

static struct genl_family ratmem_genl_family = {
	.name		= RATMEM_GENL_NAME,
	.version	= RATMEM_GENL_VERSION,
	.maxattr	= RATMEM_A_MAX,
	.policy		= ratmem_genl_policy,
	.module		= THIS_MODULE,
	/* Strict validation for every command: the family is new. */
	.resv_start_op	= RATMEM_CMD_GET_GRANTS + 1,
	.small_ops	= ratmem_genl_ops,
	.n_small_ops	= ARRAY_SIZE(ratmem_genl_ops),
	.mcgrps		= ratmem_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ratmem_genl_mcgrps),
};

/**
 * ratmem_genl_init() - register the family
 *
 * Context: module init.
 * Return: 0 or a negative errno from genl_register_family().
 */
int __init ratmem_genl_init(void)
{
	ratmem_genl_dump_init(&ratmem_genl_family);
	return genl_register_family(&ratmem_genl_family);
}

/**
 * ratmem_genl_exit() - unregister the family
 *
 * Listeners stay subscribed to nothing; a dump in progress holds the
 * module (.module), so none runs here.
 *
 * Context: module exit.
 */
void ratmem_genl_exit(void)
{
	genl_unregister_family(&ratmem_genl_family);
}

/* Looking the family up loads the module (genl_ctrl's request_module()). */
MODULE_ALIAS_GENL_FAMILY(RATMEM_GENL_NAME);
