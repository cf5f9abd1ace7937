// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: quotas (contract section 6, RATMEM_IOC_QUOTA). Each
 * process has one quota, shared by all its contexts, with a usage and
 * a limit per resource: reserved bytes (regions it created), committed
 * bytes (of those regions, whoever commits), shared bytes (granted out
 * plus accepted in), handles, and grants. Reaching a limit exactly
 * works; one page, handle or grant more fails with EDQUOT and changes
 * nothing. A process may lower its own limits, even below its usage;
 * raising them, or touching another process's, needs CAP_SYS_RESOURCE.
 *
 * Each test runs in a fresh process, so its quota starts from the
 * module parameters; it keeps a context open while it relies on limits
 * it set, since the quota (and its limits) ends with its last object.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL

enum { RES_R = RATMEM_RES_RESERVED, RES_C = RATMEM_RES_COMMITTED, RES_S = RATMEM_RES_SHARED,
       RES_H = RATMEM_RES_HANDLES, RES_G = RATMEM_RES_GRANTS };

static const char *const param_of[RATMEM_RES_COUNT] = {
	"max_reserved_bytes", "max_committed_bytes", "max_shared_bytes", "max_handles",
	"max_grants",
};

static int quota_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NAMED,
				1ULL << RATMEM_IOC_NR_QUOTA);
}

/* Fail unless @pidfd's process uses exactly these (-1: the caller). */
#define EXPECT_USAGE(fd, pidfd, r, c, s, h, g)				\
	do {								\
		struct ratmem_quota q_ = rt_quota_get(fd, pidfd);	\
		ASSERT_EQ(q_.usage[RES_R], r);				\
		ASSERT_EQ(q_.usage[RES_C], c);				\
		ASSERT_EQ(q_.usage[RES_S], s);				\
		ASSERT_EQ(q_.usage[RES_H], h);				\
		ASSERT_EQ(q_.usage[RES_G], g);				\
	} while (0)

static uint64_t limit_of(int fd, int pidfd, int res)
{
	return rt_quota_get(fd, pidfd).limit[res];
}

static uint64_t read_param_u64(const char *name)
{
	char buf[64], *end;
	unsigned long long v;

	rt_read_param(name, buf, sizeof(buf));
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end)
		rt_fail(__FILE__, __LINE__, "parameter %s is '%s'", name, buf);
	return v;
}

/* Drop CAP_SYS_RESOURCE from the effective, permitted and inheritable sets. */
static void drop_cap_sys_resource(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int word = CAP_SYS_RESOURCE / 32, bit = 1U << (CAP_SYS_RESOURCE % 32);

	ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	ASSERT_EQ(syscall(SYS_capset, &hdr, data), 0);
	ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
	ASSERT_EQ(data[word].effective & bit, 0);
}

static int named_create(int fd, const char *name, uint64_t pages, uint32_t flags,
			uint32_t *handle)
{
	return rat_named_create(fd, name, pages * PG, flags, ALL, 0600, handle);
}

/*
 * The two tests that change module parameters are defined first, so
 * that they run last (the harness runs a file's tests in reverse), and
 * restore the parameters themselves from the test process whatever the
 * checks, which run in a child, did.
 */

static void kill_policy_victim(int sock, void *arg)
{
	int fd = quota_ctx();
	uint32_t h;
	struct ratmem_dup d = { 0 };

	(void)arg;
	ASSERT_EQ(rt_quota_set(fd, -1, RES_H, 1), 0);
	h = rt_region(fd, 1, ALL, 0);		/* exactly at the limit: fine */
	d.handle = h;
	d.rights = ALL;
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_GO);
	ioctl(fd, RATMEM_IOC_DUP, &d);		/* one handle too many: death */
	rt_send(sock, RT_MSG_DONE);
}

static void kill_policy_body(void *arg)
{
	struct rt_counters before = rt_counters_now();
	struct rt_peer v;

	(void)arg;
	rt_peer_start(&v, kill_policy_victim, NULL);
	rt_peer_expect(&v, RT_MSG_READY);
	rt_send(v.sock, RT_MSG_GO);
	ASSERT_PEER_KILLED(&v, SIGKILL, 10000);
	rt_counters_expect(before, RT_C_ALL);
}

/* quota_policy=kill: a request past a limit kills the process with SIGKILL. */
TEST(quota_kill_policy_sigkill)
{
	char now[32];
	int status, restored;

	close(quota_ctx());
	rt_read_param("quota_policy", now, sizeof(now));
	ASSERT_TRUE(strstr(now, "fail") != NULL);
	ASSERT_EQ(rt_write_param("quota_policy", "kill"), 0);
	status = rt_child_status(kill_policy_body, NULL);
	restored = rt_write_param("quota_policy", "fail");
	if (status)
		rt_fail(__FILE__, __LINE__, "checks %s", rt_status_str(status));
	ASSERT_EQ(restored, 0);
	rt_read_param("quota_policy", now, sizeof(now));
	ASSERT_TRUE(strstr(now, "fail") != NULL);
}

static void param_body(void *arg)
{
	uint64_t old = *(uint64_t *)arg;
	struct rt_peer a, b;
	uint32_t h;
	char buf[32];
	int fd = quota_ctx();

	/* Every new quota starts from the parameters. */
	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		ASSERT_EQ(limit_of(fd, -1, res), read_param_u64(param_of[res]));
	rt_agent_start(&a);		/* its quota exists from here on */
	ASSERT_EQ(limit_of(fd, a.pidfd, RES_H), old);
	snprintf(buf, sizeof(buf), "%d", 7);
	ASSERT_EQ(rt_write_param("max_handles", buf), 0);
	ASSERT_EQ(read_param_u64("max_handles"), 7);
	rt_agent_start(&b);
	ASSERT_EQ(limit_of(fd, b.pidfd, RES_H), 7);
	ASSERT_EQ(limit_of(fd, a.pidfd, RES_H), old);	/* an existing quota keeps its own */
	ASSERT_EQ(limit_of(fd, -1, RES_H), old);
	/* A second context of an existing quota changes nothing either. */
	rt_agent_ok(&a, AG_OPEN2, 0, 0, 0);
	ASSERT_EQ(limit_of(fd, a.pidfd, RES_H), old);
	/* And the new limit holds: seven handles, not eight. */
	h = (uint32_t)rt_agent_ok(&b, AG_CREATE, 1, 0, ALL);
	for (int i = 0; i < 6; i++)
		rt_agent_ok(&b, AG_DUP, h, ALL, 0);
	ASSERT_EQ(rt_agent(&b, AG_DUP, h, ALL, 0).ret, -EDQUOT);
	ASSERT_EQ(rt_agent(&b, AG_CREATE, 1, 0, ALL).ret, -EDQUOT);
	EXPECT_USAGE(fd, b.pidfd, PG, 0, 0, 7, 0);
	rt_agent_exit(&a);
	rt_agent_exit(&b);
}

/* max_handles gives a new process its starting limit; existing ones keep theirs. */
TEST(quota_param_sets_new_accounts_limit)
{
	uint64_t old;
	char buf[32];
	int status, restored;

	close(quota_ctx());
	old = read_param_u64("max_handles");
	ASSERT_NE(old, 7);
	status = rt_child_status(param_body, &old);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)old);
	restored = rt_write_param("max_handles", buf);
	if (status)
		rt_fail(__FILE__, __LINE__, "checks %s", rt_status_str(status));
	ASSERT_EQ(restored, 0);
	ASSERT_EQ(read_param_u64("max_handles"), old);
}

/* A new quota is empty, with the parameters' limits; all contexts share it. */
TEST(quota_one_account_per_process)
{
	int fd = quota_ctx(), fd2;
	struct ratmem_quota q, q2;

	q = rt_quota_get(fd, -1);
	for (int res = 0; res < RATMEM_RES_COUNT; res++) {
		ASSERT_EQ(q.usage[res], 0);
		ASSERT_EQ(q.limit[res], read_param_u64(param_of[res]));
	}
	fd2 = quota_ctx();
	rt_region(fd, 2, ALL, 0);
	rt_region(fd2, 3, ALL, RATMEM_CREATE_COMMIT);
	q = rt_quota_get(fd, -1);
	q2 = rt_quota_get(fd2, -1);
	ASSERT_EQ(memcmp(&q, &q2, sizeof(q)), 0);
	EXPECT_USAGE(fd, -1, 5 * PG, 3 * PG, 0, 2, 0);
	/* A limit set through one context is the other's too. */
	ASSERT_EQ(rt_quota_set(fd2, -1, RES_H, 100), 0);
	ASSERT_EQ(limit_of(fd, -1, RES_H), 100);
	ASSERT_EQ(close(fd2), 0);	/* its region goes with it */
	EXPECT_USAGE(fd, -1, 2 * PG, 0, 0, 1, 0);
	ASSERT_EQ(limit_of(fd, -1, RES_H), 100);
}

/* Reserved bytes: the limit is reached exactly; one page more is EDQUOT. */
TEST(quota_reserved_limit)
{
	int fd = quota_ctx();
	struct rt_counters before = rt_counters_now();
	struct ratmem_quota q0 = rt_quota_get(fd, -1), q;
	uint32_t h1, h2, h;

	/* Rounded down to whole pages; the other limits are untouched. */
	ASSERT_EQ(rt_quota_set(fd, -1, RES_R, 4 * PG + 100), 0);
	q = rt_quota_get(fd, -1);
	ASSERT_EQ(q.limit[RES_R], 4 * PG);
	for (int res = RES_C; res < RATMEM_RES_COUNT; res++)
		ASSERT_EQ(q.limit[res], q0.limit[res]);
	h1 = rt_region(fd, 3, ALL, 0);
	h2 = rt_region(fd, 1, ALL, 0);		/* 4 pages: exactly the limit */
	EXPECT_USAGE(fd, -1, 4 * PG, 0, 0, 2, 0);
	{
		struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1 };

		ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
		ASSERT_EQ(c.handle, 0);
		c.flags = RATMEM_CREATE_COMMIT;
		ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
	}
	ASSERT_ERRNO(named_create(fd, "quota-reserved", 1, 0, &h), EDQUOT);
	ASSERT_ERRNO(rat_open_named(fd, "quota-reserved", RT_RM, &h), ENOENT);
	EXPECT_USAGE(fd, -1, 4 * PG, 0, 0, 2, 0);
	rt_counters_expect((struct rt_counters){
		.regions = before.regions + 2, .handles = before.handles + 2,
		.pages = before.pages, .mappings = before.mappings, .names = before.names,
		.grants = before.grants }, RT_C_ALL & ~RT_C_CONTEXTS);
	/* Closing gives the bytes back. */
	ASSERT_EQ(rat_close_handle(fd, h2), 0);
	EXPECT_USAGE(fd, -1, 3 * PG, 0, 0, 1, 0);
	h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	EXPECT_USAGE(fd, -1, 4 * PG, PG, 0, 2, 0);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	ASSERT_EQ(rat_close_handle(fd, h1), 0);
	EXPECT_USAGE(fd, -1, 0, 0, 0, 0, 0);
	rt_counters_back(before);
}

/* Committed bytes: charged once per page, exactly to the limit; EDQUOT past it. */
TEST(quota_committed_limit)
{
	int fd = quota_ctx();
	struct rt_counters before = rt_counters_now();
	uint32_t h = rt_region(fd, 8, ALL, 0);
	unsigned char *p;

	ASSERT_EQ(rt_quota_set(fd, -1, RES_C, 4 * PG), 0);
	ASSERT_EQ(rt_commit(fd, h, 0, 3 * PG), 0);
	EXPECT_USAGE(fd, -1, 8 * PG, 3 * PG, 0, 1, 0);
	ASSERT_EQ(rt_commit(fd, h, 2 * PG, 2 * PG), 0);	/* only page 3 is new */
	EXPECT_USAGE(fd, -1, 8 * PG, 4 * PG, 0, 1, 0);
	ASSERT_EQ(rt_commit(fd, h, 0, 4 * PG), 0);		/* nothing new: no charge */
	EXPECT_USAGE(fd, -1, 8 * PG, 4 * PG, 0, 1, 0);
	/* Page 3 again and page 4: one page past the limit, nothing happens. */
	ASSERT_ERRNO(rt_commit(fd, h, 3 * PG, 2 * PG), EDQUOT);
	ASSERT_ERRNO(rt_commit(fd, h, 0, 8 * PG), EDQUOT);
	ASSERT_EQ(rt_committed(fd, h), 4 * PG);
	EXPECT_USAGE(fd, -1, 8 * PG, 4 * PG, 0, 1, 0);
	p = rt_map_ok(fd, h, 0, 8 * PG, RW);
	memset(p, 0x3c, 4 * PG);
	for (int i = 4; i < 8; i++)
		rt_expect_sigbus(p + i * PG, 0);	/* none of them got committed */
	/* A region committed at creation is refused whole: no region, no handle. */
	{
		struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1,
					   .flags = RATMEM_CREATE_COMMIT };

		ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
	}
	EXPECT_USAGE(fd, -1, 8 * PG, 4 * PG, 0, 1, 0);
	rt_counters_expect((struct rt_counters){
		.regions = before.regions + 1, .handles = before.handles + 1,
		.pages = before.pages + 4, .mappings = before.mappings + 1 }, RT_C_MEMORY);
	/* Decommit gives pages back, and they can be committed elsewhere. */
	ASSERT_EQ(rt_decommit(fd, h, 0, PG), 0);
	EXPECT_USAGE(fd, -1, 8 * PG, 3 * PG, 0, 1, 0);
	ASSERT_EQ(rt_decommit(fd, h, 0, PG), 0);		/* nothing to refund twice */
	EXPECT_USAGE(fd, -1, 8 * PG, 3 * PG, 0, 1, 0);
	ASSERT_EQ(rt_commit(fd, h, 4 * PG, PG), 0);
	EXPECT_USAGE(fd, -1, 8 * PG, 4 * PG, 0, 1, 0);
	rt_expect_bytes(p + PG, 3 * PG, 0x3c);
	rt_expect_bytes(p + 4 * PG, PG, 0);
	/* Faults do not change it; the region's end refunds it all. */
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	EXPECT_USAGE(fd, -1, 0, 0, 0, 0, 0);
	rt_counters_back(before);
}

/* COMMIT by a grantee charges (and is limited by) the region's creator. */
TEST(quota_commit_charges_creator)
{
	int fd = quota_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0), gh;
	struct rt_peer b;
	uint64_t cap;

	ASSERT_EQ(rt_quota_set(fd, -1, RES_C, 2 * PG), 0);
	rt_agent_start(&b);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	gh = (uint32_t)rt_agent_ok(&b, AG_ACCEPT, cap, 0, 0);
	ASSERT_EQ(rt_agent(&b, AG_COMMIT, gh, 0, 2 * PG).ret, 0);
	EXPECT_USAGE(fd, -1, 4 * PG, 2 * PG, 4 * PG, 1, 1);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 4 * PG, 1, 0);
	/* The creator's limit is reached: the grantee's next page fails. */
	ASSERT_EQ(rt_agent(&b, AG_COMMIT, gh, 2 * PG, PG).ret, -EDQUOT);
	ASSERT_EQ(rt_committed(fd, h), 2 * PG);
	ASSERT_EQ(rt_decommit(fd, h, 0, PG), 0);
	ASSERT_EQ(rt_agent(&b, AG_COMMIT, gh, 2 * PG, PG).ret, 0);
	EXPECT_USAGE(fd, -1, 4 * PG, 2 * PG, 4 * PG, 1, 1);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 4 * PG, 1, 0);
	ASSERT_EQ(rt_agent(&b, AG_DECOMMIT, gh, 0, 4 * PG).ret, 0);
	EXPECT_USAGE(fd, -1, 4 * PG, 0, 4 * PG, 1, 1);
	rt_agent_exit(&b);
}

/* Shared bytes: GRANT charges the issuer, ACCEPT the acceptor; REVOKE refunds both. */
TEST(quota_shared_limit)
{
	int fd = quota_ctx();
	struct rt_counters before = rt_counters_now();
	uint32_t ha = rt_region(fd, 4, ALL, 0), hb = rt_region(fd, 1, ALL, 0), h1, h2;
	struct rt_peer b;
	uint64_t cap1, cap2;

	rt_agent_start(&b);
	ASSERT_EQ(rt_quota_set(fd, -1, RES_S, 4 * PG), 0);
	cap1 = rt_grant_ok(fd, ha, RT_RM, b.pidfd);		/* exactly the limit */
	EXPECT_USAGE(fd, -1, 5 * PG, 0, 4 * PG, 2, 1);
	ASSERT_ERRNO(rt_grant(fd, hb, RT_RM, b.pidfd, &cap2), EDQUOT);
	EXPECT_USAGE(fd, -1, 5 * PG, 0, 4 * PG, 2, 1);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 1);
	/* We hold CAP_SYS_RESOURCE: raising our own limit works. */
	ASSERT_EQ(rt_quota_set(fd, -1, RES_S, 5 * PG), 0);
	cap2 = rt_grant_ok(fd, hb, RT_RM, b.pidfd);
	EXPECT_USAGE(fd, -1, 5 * PG, 0, 5 * PG, 2, 2);

	/* The acceptor's side: its limit of 4 pages takes cap1, not cap2 as well. */
	ASSERT_EQ(rt_agent(&b, AG_QUOTA_SET, RES_S, 4 * PG, 0).ret, 0);
	h1 = (uint32_t)rt_agent_ok(&b, AG_ACCEPT, cap1, 0, 0);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 4 * PG, 1, 0);
	ASSERT_EQ(rt_agent(&b, AG_ACCEPT, cap2, 0, 0).ret, -EDQUOT);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 4 * PG, 1, 0);
	ASSERT_EQ(rt_counters_now().handles, before.handles + 3);
	EXPECT_USAGE(fd, -1, 5 * PG, 0, 5 * PG, 2, 2);	/* accepting charges nothing here */

	/* REVOKE refunds both sides; cap2, still pending, can then be accepted. */
	ASSERT_EQ(rt_revoke(fd, ha, cap1), 0);
	EXPECT_USAGE(fd, -1, 5 * PG, 0, PG, 2, 1);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 0, 1, 0);	/* the revoked handle still counts */
	h2 = (uint32_t)rt_agent_ok(&b, AG_ACCEPT, cap2, 0, 0);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, PG, 2, 0);
	rt_agent_ok(&b, AG_CLOSE, h1, 0, 0);
	rt_agent_ok(&b, AG_CLOSE, h2, 0, 0);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, PG, 0, 0);	/* accepted and unrevoked */
	ASSERT_EQ(rt_revoke(fd, hb, cap2), 0);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 0, 0, 0);
	EXPECT_USAGE(fd, -1, 5 * PG, 0, 0, 2, 0);
	rt_agent_exit(&b);
	ASSERT_EQ(rat_close_handle(fd, ha), 0);
	ASSERT_EQ(rat_close_handle(fd, hb), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

/* Handles: every way of making one stops at the limit with EDQUOT. */
TEST(quota_handles_limit)
{
	int fd = quota_ctx();
	struct rt_counters before = rt_counters_now();
	uint32_t hn, h1, h;
	struct ratmem_dup d;
	struct rt_peer b;
	uint64_t cap;

	ASSERT_EQ(named_create(fd, "quota-handles", 1, 0, &hn), 0);
	ASSERT_EQ(rt_quota_set(fd, -1, RES_H, 2), 0);
	h1 = rt_region(fd, 2, ALL, 0);			/* exactly the limit */
	EXPECT_USAGE(fd, -1, 3 * PG, 0, 0, 2, 0);
	d = (struct ratmem_dup){ .handle = h1, .rights = RT_RM };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DUP, &d), EDQUOT);
	{
		struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1 };

		ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
	}
	ASSERT_ERRNO(named_create(fd, "quota-handles2", 1, 0, &h), EDQUOT);
	ASSERT_ERRNO(rat_open_named(fd, "quota-handles", RT_RM, &h), EDQUOT);
	rt_agent_start(&b);
	h = (uint32_t)rt_agent_ok(&b, AG_CREATE, 1, 0, ALL);
	cap = rt_agent_ok(&b, AG_GRANT, h, RT_RM, (uint64_t)getpid());
	ASSERT_ERRNO(rt_accept(fd, cap, NULL), EDQUOT);
	/* Nothing was made: usage and the module's counters are unchanged. */
	EXPECT_USAGE(fd, -1, 3 * PG, 0, 0, 2, 0);
	rt_counters_expect((struct rt_counters){
		.regions = before.regions + 3, .handles = before.handles + 3,
		.pages = before.pages, .mappings = before.mappings,
		.grants = before.grants + 1, .names = before.names + 1 },
		RT_C_ALL & ~RT_C_CONTEXTS);
	/* A handle closed is one to use again; the capability is still pending. */
	ASSERT_EQ(rat_close_handle(fd, h1), 0);
	EXPECT_USAGE(fd, -1, PG, 0, 0, 1, 0);
	h = rt_accept_ok(fd, cap, RT_RM);
	EXPECT_USAGE(fd, -1, PG, 0, PG, 2, 0);
	d.handle = h;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DUP, &d), EDQUOT);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	EXPECT_USAGE(fd, -1, PG, 0, PG, 1, 0);	/* accepted, unrevoked: still shared */
	ASSERT_EQ(rat_open_named(fd, "quota-handles", RT_RM, &h), 0);
	EXPECT_USAGE(fd, -1, PG, 0, PG, 2, 0);
	ASSERT_EQ(rat_unlink(fd, "quota-handles", 0), 0);
	rt_agent_exit(&b);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	ASSERT_EQ(rat_close_handle(fd, hn), 0);
	EXPECT_USAGE(fd, -1, 0, 0, 0, 0, 0);
	rt_counters_expect(before, RT_C_SHARING | RT_C_NAMES);
}

/* Grants: the limit counts pending and accepted grants until they are revoked. */
TEST(quota_grants_limit)
{
	int fd = quota_ctx();
	struct rt_counters before = rt_counters_now();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	uint64_t c1, c2, c3 = 0;
	struct rt_peer b;

	rt_agent_start(&b);
	ASSERT_EQ(rt_quota_set(fd, -1, RES_G, 2), 0);
	c1 = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	c2 = rt_grant_ok(fd, h, RT_RM, b.pidfd);		/* exactly the limit */
	rt_agent_ok(&b, AG_ACCEPT, c2, 0, 0);
	EXPECT_USAGE(fd, -1, PG, 0, 2 * PG, 1, 2);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, b.pidfd, &c3), EDQUOT);
	EXPECT_USAGE(fd, -1, PG, 0, 2 * PG, 1, 2);
	ASSERT_EQ(rt_counters_now().grants, before.grants + 2);
	ASSERT_EQ(rt_revoke(fd, h, c1), 0);			/* pending: revoked */
	EXPECT_USAGE(fd, -1, PG, 0, PG, 1, 1);
	c3 = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	EXPECT_USAGE(fd, -1, PG, 0, 2 * PG, 1, 2);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, b.pidfd, NULL), EDQUOT);
	ASSERT_EQ(rt_revoke(fd, h, c2), 0);			/* accepted: revoked */
	EXPECT_USAGE(fd, -1, PG, 0, PG, 1, 1);
	EXPECT_USAGE(fd, b.pidfd, 0, 0, 0, 1, 0);
	ASSERT_EQ(rt_revoke(fd, h, c3), 0);
	EXPECT_USAGE(fd, -1, PG, 0, 0, 1, 0);
	rt_agent_exit(&b);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	rt_counters_expect(before, RT_C_SHARING);
}

/* Lowering one's own limits below usage is allowed; then requests fail. */
TEST(quota_lower_below_usage)
{
	int fd = quota_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	struct ratmem_quota q = { .pidfd = -1, .set_mask = RATMEM_QUOTA_SET_ALL };
	struct ratmem_dup d = { .handle = h, .rights = RT_RM };
	struct rt_peer b;
	uint64_t cap;

	ASSERT_EQ(rt_commit(fd, h, 0, 2 * PG), 0);
	rt_agent_start(&b);
	cap = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	EXPECT_USAGE(fd, -1, 4 * PG, 2 * PG, 4 * PG, 1, 1);
	q.limit[RES_R] = 2 * PG;
	q.limit[RES_C] = PG;
	q.limit[RES_S] = 0;
	q.limit[RES_H] = 0;
	q.limit[RES_G] = 0;
	ASSERT_EQ(rt_quota(fd, &q), 0);
	ASSERT_EQ(q.limit[RES_R], 2 * PG);
	ASSERT_EQ(q.limit[RES_C], PG);
	ASSERT_EQ(q.limit[RES_S], 0);
	ASSERT_EQ(q.limit[RES_H], 0);
	ASSERT_EQ(q.limit[RES_G], 0);
	ASSERT_EQ(q.usage[RES_R], 4 * PG);
	{
		struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1 };

		ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
	}
	ASSERT_ERRNO(rt_commit(fd, h, 2 * PG, PG), EDQUOT);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_DUP, &d), EDQUOT);
	ASSERT_ERRNO(rt_grant(fd, h, RT_RM, b.pidfd, NULL), EDQUOT);
	EXPECT_USAGE(fd, -1, 4 * PG, 2 * PG, 4 * PG, 1, 1);
	/* Going down is always allowed, and below the limit requests work again. */
	ASSERT_EQ(rt_decommit(fd, h, 0, 2 * PG), 0);
	EXPECT_USAGE(fd, -1, 4 * PG, 0, 4 * PG, 1, 1);
	ASSERT_EQ(rt_commit(fd, h, 3 * PG, PG), 0);
	ASSERT_ERRNO(rt_commit(fd, h, 0, PG), EDQUOT);
	EXPECT_USAGE(fd, -1, 4 * PG, PG, 4 * PG, 1, 1);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	EXPECT_USAGE(fd, -1, 4 * PG, PG, 0, 1, 0);
	rt_agent_exit(&b);
}

static void no_cap_body(void *arg)
{
	int fd = quota_ctx();
	struct ratmem_quota q0 = rt_quota_get(fd, -1), q;
	struct rt_peer b;

	(void)arg;
	ASSERT_TRUE(q0.limit[RES_H] > 10);
	ASSERT_TRUE(q0.limit[RES_R] > 4 * PG);
	rt_agent_start(&b);
	drop_cap_sys_resource();
	/* Reading and lowering one's own limits needs nothing. */
	ASSERT_EQ(rt_quota_set(fd, -1, RES_H, 10), 0);
	ASSERT_EQ(limit_of(fd, -1, RES_H), 10);
	/* Raising them needs CAP_SYS_RESOURCE. */
	ASSERT_ERRNO(rt_quota_set(fd, -1, RES_H, 11), EPERM);
	ASSERT_ERRNO(rt_quota_set(fd, -1, RES_H, RATMEM_LIMIT_NONE), EPERM);
	ASSERT_EQ(limit_of(fd, -1, RES_H), 10);
	/* One lowered and one raised in the same call: neither happens. */
	q = (struct ratmem_quota){ .pidfd = -1,
		.set_mask = RATMEM_QUOTA_SET(RES_R) | RATMEM_QUOTA_SET(RES_H) };
	q.limit[RES_R] = 4 * PG;
	q.limit[RES_H] = 20;
	ASSERT_ERRNO(rt_quota(fd, &q), EPERM);
	q = rt_quota_get(fd, -1);
	ASSERT_EQ(q.limit[RES_R], q0.limit[RES_R]);
	ASSERT_EQ(q.limit[RES_H], 10);
	/* Another process's figures: neither read nor set, not even lowered. */
	q = (struct ratmem_quota){ .pidfd = b.pidfd };
	ASSERT_ERRNO(rt_quota(fd, &q), EPERM);
	ASSERT_ERRNO(rt_quota_set(fd, b.pidfd, RES_H, 1), EPERM);
	ASSERT_EQ(rt_agent(&b, AG_QUOTA_GET, RES_H, 0, 0).v2, q0.limit[RES_H]);
	rt_agent_exit(&b);
}

/* Without CAP_SYS_RESOURCE: lower one's own limits only; others' are EPERM. */
TEST(quota_raise_needs_cap_sys_resource)
{
	ASSERT_CHILD_OK(no_cap_body, NULL);
}

static void idle_peer(int sock, void *arg)
{
	(void)arg;
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* With CAP_SYS_RESOURCE another process's figures can be read and set. */
TEST(quota_other_process_with_cap)
{
	int fd = quota_ctx(), kept;
	struct rt_peer b, idle;
	struct ratmem_quota q;
	uint32_t h;

	rt_agent_start(&b);
	h = (uint32_t)rt_agent_ok(&b, AG_CREATE, 3, RATMEM_CREATE_COMMIT, ALL);
	EXPECT_USAGE(fd, b.pidfd, 3 * PG, 3 * PG, 0, 1, 0);
	EXPECT_USAGE(fd, -1, 0, 0, 0, 0, 0);
	ASSERT_EQ(rt_quota_set(fd, b.pidfd, RES_H, 1), 0);
	ASSERT_EQ(limit_of(fd, b.pidfd, RES_H), 1);
	ASSERT_EQ(rt_agent(&b, AG_QUOTA_GET, RES_H, 0, 0).v2, 1);
	ASSERT_EQ(rt_agent(&b, AG_DUP, h, ALL, 0).ret, -EDQUOT);
	ASSERT_EQ(rt_quota_set(fd, b.pidfd, RES_H, 5), 0);	/* raised */
	rt_agent_ok(&b, AG_DUP, h, ALL, 0);
	EXPECT_USAGE(fd, b.pidfd, 3 * PG, 3 * PG, 0, 2, 0);
	/* Our own limits were not touched by any of it. */
	ASSERT_EQ(limit_of(fd, -1, RES_H), read_param_u64("max_handles"));
	/* Its quota ends with its last object: then ESRCH. */
	kept = dup(b.pidfd);
	ASSERT_TRUE(kept >= 0);
	rt_agent_exit(&b);
	q = (struct ratmem_quota){ .pidfd = kept };
	ASSERT_ERRNO(rt_quota(fd, &q), ESRCH);
	close(kept);
	/* A process that never opened /dev/ratmem has no quota. */
	rt_peer_start(&idle, idle_peer, NULL);
	q = (struct ratmem_quota){ .pidfd = idle.pidfd };
	ASSERT_ERRNO(rt_quota(fd, &q), ESRCH);
	rt_send(idle.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&idle);
}

/* Unknown set_mask bits and non-zero reserved fail with EINVAL and change nothing. */
TEST(quota_bad_args)
{
	int fd = quota_ctx();
	struct ratmem_quota q0 = rt_quota_get(fd, -1), q;

	q = (struct ratmem_quota){ .pidfd = -1, .set_mask = 1U << RATMEM_RES_COUNT };
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = (struct ratmem_quota){ .pidfd = -1, .set_mask = 1U << 31 };
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = (struct ratmem_quota){ .pidfd = -1,
		.set_mask = RATMEM_QUOTA_SET(RES_H) | (1U << RATMEM_RES_COUNT) };
	q.limit[RES_H] = 1;
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = (struct ratmem_quota){ .pidfd = -1, .reserved = 1 };
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = (struct ratmem_quota){ .pidfd = -1, .set_mask = RATMEM_QUOTA_SET(RES_H),
		.reserved = 1ULL << 63 };
	q.limit[RES_H] = 1;
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = rt_quota_get(fd, -1);
	ASSERT_EQ(memcmp(&q, &q0, sizeof(q)), 0);
}

/*
 * The pidfd must be -1 or a pidfd: another kind of file gives EINVAL
 * (as GRANT's does), a descriptor that is not open or below -1 EBADF.
 */
TEST(quota_pidfd_must_be_a_pidfd)
{
	int fd = quota_ctx();
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int closed = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct ratmem_quota q;

	ASSERT_TRUE(null_fd >= 0);
	ASSERT_TRUE(closed >= 0);
	ASSERT_EQ(close(closed), 0);
	q = (struct ratmem_quota){ .pidfd = null_fd };
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = (struct ratmem_quota){ .pidfd = fd };
	ASSERT_ERRNO(rt_quota(fd, &q), EINVAL);
	q = (struct ratmem_quota){ .pidfd = closed };
	ASSERT_ERRNO(rt_quota(fd, &q), EBADF);
	q = (struct ratmem_quota){ .pidfd = -2 };
	ASSERT_ERRNO(rt_quota(fd, &q), EBADF);
	ASSERT_EQ(close(null_fd), 0);
}
