/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the selftests of ratmem's generic netlink family
 * (<linux/ratmem_genl.h>): an event listener that resolves the family
 * and its "events" group by name and joins it, and requests (status,
 * dumps) on a socket of their own, so that events and replies never
 * mix. Messages are read and parsed here, not by libnl's callbacks, so
 * every netlink error reaches the test as it came.
 */
#ifndef RATMEM_SELFTEST_EVENTS_H
#define RATMEM_SELFTEST_EVENTS_H

#include <stdint.h>
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

struct nl_sock;

#define RT_POOL_NODES 8

/* One message of the family, parsed. @have has bit (1 << RATMEM_A_*)
 * set for each attribute present; absent ones read as zero. */
struct rt_genl_msg {
	uint8_t cmd;
	uint64_t have;
	uint32_t event, pid, peer_pid, quota_pid, rights, resource, violation;
	uint32_t abi_version, mappers, handle, cap_kind;
	uint32_t owner_uid, owner_gid, mode;
	uint64_t seq, time_ns, region_id, cap_id, size, amount, features;
	uint64_t committed, resident;
	/* RATMEM_A_STAT_CONTEXTS .. RATMEM_A_STAT_QUOTAS, in that order. */
	uint64_t stat[RATMEM_A_STAT_QUOTAS - RATMEM_A_STAT_CONTEXTS + 1];
	/* The usage and limits nests, by RATMEM_RES_*; have_usage and
	 * have_limits have bit (1 << RATMEM_RES_*) per entry present. */
	uint64_t usage[RATMEM_RES_COUNT], limits[RATMEM_RES_COUNT];
	uint32_t have_usage, have_limits;
	char version[64];
	/* RATMEM_A_POOL: per node below RT_POOL_NODES, its figures by
	 * RATMEM_POOL_A_* (index 0 and 1 unused); pool_nodes has bit N
	 * for each node N reported. */
	uint64_t pool[RT_POOL_NODES][RATMEM_POOL_A_MAX + 1];
	uint32_t pool_nodes;
};

#define RT_HAVE(m, attr)	(((m)->have >> (attr)) & 1)

/* A socket of the family: numeric ids resolved by name. */
struct rt_genl {
	struct nl_sock *sk;
	int family;
	int events_group;
	/* Parsed events not yet handed out by rt_event_next(). */
	struct rt_genl_msg *queue;
	unsigned int queued, head, cap;
};

/*
 * rt_genl_open() - connect a generic netlink socket and resolve the
 * family "ratmem" and its group "events" by name; fails the test when
 * either is missing.
 */
void rt_genl_open(struct rt_genl *g);
/* Join the events group: 0 or a negative libnl error (-NLE_*). */
int rt_genl_join(struct rt_genl *g);
/* rt_genl_open() then rt_genl_join() that must succeed. */
void rt_listener_open(struct rt_genl *l);
void rt_genl_close(struct rt_genl *g);

/*
 * rt_event_next() - the next event received, waiting at most
 * @timeout_ms: 1 with *ev filled, 0 when none came in time. Messages
 * of other commands fail the test.
 */
int rt_event_next(struct rt_genl *l, struct rt_genl_msg *ev, int timeout_ms);
/* Non-blocking: is any message waiting on the socket? 1 or 0. */
int rt_genl_pending(struct rt_genl *g);

/*
 * rt_events_upto() - every event with sequence numbers (after, upto],
 * which must arrive (each within 5 s) in order and without a gap; a
 * test reads the bounds from rt_status_seq() before and after acting.
 * Events with older numbers (sent before @after) are dropped. Returns
 * the count, stored in @evs (at most @max, else the test fails).
 */
unsigned int rt_events_upto(struct rt_genl *l, uint64_t after, uint64_t upto,
			    struct rt_genl_msg *evs, unsigned int max);

/*
 * rt_genl_request() - send @cmd (a request, or a dump when @dump) with
 * RATMEM_A_PID = @pid when @pid is non-zero, and collect the replies:
 * their count (stored in @out, at most @max, else the test fails), or
 * the -errno of the netlink error that answered.
 */
int rt_genl_request(struct rt_genl *g, uint8_t cmd, int dump, uint32_t pid,
		    struct rt_genl_msg *out, unsigned int max);
/* GET_STATUS that must succeed with exactly one reply. */
struct rt_genl_msg rt_status(struct rt_genl *g);
/* RATMEM_A_SEQ of GET_STATUS: the last event's sequence number. */
uint64_t rt_status_seq(struct rt_genl *g);

/* Name of an RATMEM_EV_* for diagnostics. */
const char *rt_event_name(uint32_t event);
/* Print one message as a diagnostic line. */
void rt_event_diag(const char *what, const struct rt_genl_msg *m);

#endif
