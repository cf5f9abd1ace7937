/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the generic netlink family (genl.c, genl_dump.c). The uapi is
 * <linux/ratmem_genl.h>.
 */
#ifndef RATMEM_GENL_H
#define RATMEM_GENL_H

#include <linux/types.h>

struct genl_family;
struct sk_buff;
struct netlink_callback;

/**
 * struct ratmem_event_msg - one event, as notify.c reports it
 * @event: RATMEM_EV_*.
 * @violation: RATMEM_VIOLATION_*, or 0.
 * @pid: the process that acted (initial pid namespace).
 * @peer_pid: the other process of a grant, or 0.
 * @quota_pid: quota events: the quota's process, or 0.
 * @region_id: the region, or 0.
 * @cap_id: the grant's id, or 0.
 * @size: the region's size, or 0.
 * @rights: RATMEM_RIGHT_* bits, sent when @has_rights.
 * @has_rights: @rights means something.
 * @resource: quota events: RATMEM_RES_*.
 * @amount: quota events: what was asked for.
 * @usage: quota events: RATMEM_RES_COUNT values; NULL otherwise.
 * @limit: quota events: RATMEM_RES_COUNT values; NULL otherwise.
 */
struct ratmem_event_msg {
	u32 event;
	u32 violation;
	pid_t pid;
	pid_t peer_pid;
	pid_t quota_pid;
	u64 region_id;
	u64 cap_id;
	u64 size;
	u32 rights;
	bool has_rights;
	u32 resource;
	u64 amount;
	const u64 *usage;
	const u64 *limit;
};

/* genl.c: the family, its events and its status request. */
int ratmem_genl_init(void);
void ratmem_genl_exit(void);
void ratmem_genl_event(const struct ratmem_event_msg *msg);

/* genl_dump.c: the dumps, and the helpers they share with the events. */
void ratmem_genl_dump_init(struct genl_family *family);
int ratmem_genl_put_res(struct sk_buff *skb, int attr, const u64 *values);

int ratmem_genl_dump_quotas(struct sk_buff *skb, struct netlink_callback *cb);
int ratmem_genl_dump_regions(struct sk_buff *skb, struct netlink_callback *cb);
int ratmem_genl_dump_handles(struct sk_buff *skb, struct netlink_callback *cb);
int ratmem_genl_dump_grants(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* RATMEM_GENL_H */
