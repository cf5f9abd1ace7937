/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An agent: a peer process (share.h) that opens its own /dev/ratmem
 * context and then runs ratmem requests the test sends it, one at a
 * time, replying with the result. Tests of accounting (test_quota.c,
 * test_proc_quota.c) drive several agents to act as separate processes.
 *
 * Every request returns 0 or -errno in ret, plus up to two values.
 */
#ifndef RATMEM_SELFTEST_AGENT_H
#define RATMEM_SELFTEST_AGENT_H

#include <stdint.h>

#include "share.h"

enum rt_agent_op {
	AG_CREATE = 0x61670001,	/* pages, flags, rights -> handle */
	AG_COMMIT,		/* handle, offset, length */
	AG_DECOMMIT,		/* handle, offset, length */
	AG_DUP,			/* handle, rights -> new handle */
	AG_CLOSE,		/* handle */
	AG_GRANT,		/* handle, rights, target pid -> cap id */
	AG_ACCEPT,		/* cap id -> handle, rights */
	AG_REVOKE,		/* handle, cap id */
	AG_MAP,			/* handle, length, prot -> address */
	AG_UNMAP,		/* address, length */
	AG_TOUCH,		/* address, mask of pages (bit i: page i) to read */
	AG_QUOTA_SET,		/* resource, limit: the agent's own, pidfd -1 */
	AG_QUOTA_GET,		/* resource -> usage, limit (its own) */
	AG_OPEN2,		/* open one more context (kept); later requests use it */
	AG_FORK,		/* pages -> pid of a child that opens its own context,
				 * creates a region of that many pages and waits */
	AG_FORK_END,		/* -> the wait status of the child */
	AG_EXIT,		/* exit 0 at once (no reply) */
};

struct rt_agent_reply {
	int64_t ret;
	uint64_t v1, v2;
};

/* Fork an agent and wait until it has opened its context; its pidfd is p->pidfd. */
void rt_agent_start(struct rt_peer *p);
/* Send one request and return its reply (fails the test if the agent dies). */
struct rt_agent_reply rt_agent(struct rt_peer *p, uint64_t op, uint64_t a, uint64_t b,
			       uint64_t c);
/* rt_agent() that must succeed; returns v1. */
uint64_t rt_agent_ok(struct rt_peer *p, uint64_t op, uint64_t a, uint64_t b, uint64_t c);
/* AG_EXIT, then wait for exit 0. */
void rt_agent_exit(struct rt_peer *p);

/* RATMEM_IOC_QUOTA on @fd with *q as input: 0 or -errno. */
int rt_quota(int fd, struct ratmem_quota *q);
/* Read the usage and limits of @pidfd's process (-1: the caller), or fail. */
struct ratmem_quota rt_quota_get(int fd, int pidfd);
/* Set one limit of @pidfd's process (-1: the caller): 0 or -errno. */
int rt_quota_set(int fd, int pidfd, int res, uint64_t limit);

#endif
