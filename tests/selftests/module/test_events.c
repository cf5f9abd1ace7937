// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: events and inspection over the generic netlink family
 * "ratmem" (contract section 7, <linux/ratmem_genl.h>).
 *
 * Each test joins the events group, reads the last sequence number with
 * GET_STATUS, acts, reads it again, and then receives every event in
 * between: they must come without a gap, each one more than the last,
 * with a time near CLOCK_REALTIME. The selftest programs run one at a
 * time and a test waits for its peers, so in that stretch only the test
 * acts: the events are exactly the ones it caused, in its order.
 */
#include <grp.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define ALL RATMEM_RIGHTS_ALL
#define GR RATMEM_RIGHT_GRANT
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
#define NOBODY 65534
/* An event's time may differ from the test's clock reads by this much. */
#define TIME_SLACK_NS (5ULL * 1000 * 1000 * 1000)
#define MAX_EVENTS 128

static int events_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_EVENTS | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_MEMORY, 0);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	ASSERT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A stretch of events: the listener, the request socket, and where it began. */
struct span {
	struct rt_genl *l, *q;
	uint64_t seq, t0;
};

static void span_begin(struct span *s, struct rt_genl *l, struct rt_genl *q)
{
	s->l = l;
	s->q = q;
	s->seq = rt_status_seq(q);
	s->t0 = realtime_ns();
}

/* Every event since span_begin(): consecutive, each with a sane time. */
static unsigned int span_end(struct span *s, struct rt_genl_msg *evs)
{
	uint64_t upto = rt_status_seq(s->q);
	uint64_t t1 = realtime_ns();
	unsigned int n = rt_events_upto(s->l, s->seq, upto, evs, MAX_EVENTS);

	ASSERT_EQ(n, upto - s->seq);
	for (unsigned int i = 0; i < n; i++) {
		const struct rt_genl_msg *e = &evs[i];

		if (!RT_HAVE(e, RATMEM_A_EVENT) || !RT_HAVE(e, RATMEM_A_TIME_NS) ||
		    e->time_ns + TIME_SLACK_NS < s->t0 || e->time_ns > t1 + TIME_SLACK_NS) {
			rt_event_diag("event", e);
			rt_fail(__FILE__, __LINE__,
				"event %u: time %llu ns, CLOCK_REALTIME was %llu..%llu ns", i,
				(unsigned long long)e->time_ns, (unsigned long long)s->t0,
				(unsigned long long)t1);
		}
	}
	s->seq = upto;
	s->t0 = t1;
	return n;
}

/* Fail, printing the event, unless attribute @attr is present with @val. */
#define EV_EQ(e, attr, field, val)					\
	do {								\
		const struct rt_genl_msg *ev_ = (e);			\
		unsigned long long want_ = (unsigned long long)(val);	\
		if (!RT_HAVE(ev_, attr)) {				\
			rt_event_diag("event", ev_);			\
			rt_fail(__FILE__, __LINE__, "%s event lacks %s",	\
				rt_event_name(ev_->event), #attr);	\
		}							\
		if ((unsigned long long)ev_->field != want_) {		\
			rt_event_diag("event", ev_);			\
			rt_fail(__FILE__, __LINE__, "%s event: %s == %llu (0x%llx), expected %s == %llu (0x%llx)", \
				rt_event_name(ev_->event), #attr,	\
				(unsigned long long)ev_->field,		\
				(unsigned long long)ev_->field, #val, want_, want_); \
		}							\
	} while (0)

/* An optional attribute: when present, it must be @val. */
#define EV_EQ_IF(e, attr, field, val)					\
	do {								\
		if (RT_HAVE(e, attr))					\
			EV_EQ(e, attr, field, val);			\
	} while (0)

/* A grant or accept event with every field the header lists. */
static void expect_share(const struct rt_genl_msg *e, uint32_t kind, pid_t pid, pid_t peer,
			 uint64_t region, uint64_t cap, uint64_t size, uint32_t rights)
{
	EV_EQ(e, RATMEM_A_EVENT, event, kind);
	EV_EQ(e, RATMEM_A_PID, pid, pid);
	EV_EQ(e, RATMEM_A_PEER_PID, peer_pid, peer);
	EV_EQ(e, RATMEM_A_REGION_ID, region_id, region);
	EV_EQ(e, RATMEM_A_CAP_ID, cap_id, cap);
	EV_EQ(e, RATMEM_A_SIZE, size, size);
	EV_EQ(e, RATMEM_A_RIGHTS, rights, rights);
}

/* A revoke event: @cap revoked by @pid's call, granted to @peer. */
static void expect_revoke(const struct rt_genl_msg *e, pid_t pid, pid_t peer, uint64_t cap,
			  uint64_t region)
{
	EV_EQ(e, RATMEM_A_EVENT, event, RATMEM_EV_REVOKE);
	EV_EQ(e, RATMEM_A_CAP_ID, cap_id, cap);
	EV_EQ(e, RATMEM_A_PID, pid, pid);
	EV_EQ(e, RATMEM_A_PEER_PID, peer_pid, peer);
	EV_EQ_IF(e, RATMEM_A_REGION_ID, region_id, region);
}

/*
 * A violation event. @cap 0: the access went through an owner handle,
 * whose capability has no id user space knows (GET_HANDLES gives
 * CAP_ID for grants only), so CAP_ID is not compared.
 */
static void expect_violation(const struct rt_genl_msg *e, pid_t pid, uint32_t kind,
			     uint64_t region, uint64_t cap, uint64_t size)
{
	EV_EQ(e, RATMEM_A_EVENT, event, RATMEM_EV_VIOLATION);
	EV_EQ(e, RATMEM_A_PID, pid, pid);
	EV_EQ(e, RATMEM_A_VIOLATION, violation, kind);
	EV_EQ(e, RATMEM_A_REGION_ID, region_id, region);
	if (cap)
		EV_EQ(e, RATMEM_A_CAP_ID, cap_id, cap);
	EV_EQ(e, RATMEM_A_SIZE, size, size);
}

/* The one event of @kind about capability @cap among @evs: its index. */
static unsigned int find_cap_event(const struct rt_genl_msg *evs, unsigned int n,
				   uint32_t kind, uint64_t cap)
{
	unsigned int found = n;

	for (unsigned int i = 0; i < n; i++) {
		if (evs[i].event != kind || evs[i].cap_id != cap)
			continue;
		if (found != n)
			rt_fail(__FILE__, __LINE__, "two %s events for capability 0x%llx",
				rt_event_name(kind), (unsigned long long)cap);
		found = i;
	}
	if (found == n)
		rt_fail(__FILE__, __LINE__, "no %s event for capability 0x%llx among %u",
			rt_event_name(kind), (unsigned long long)cap, n);
	return found;
}

/* Print the events of a stretch (on failure paths, to see what came). */
static void diag_events(const struct rt_genl_msg *evs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rt_event_diag("got", &evs[i]);
}

#define ASSERT_EVENTS(n, evs, want)					\
	do {								\
		if ((n) != (want)) {					\
			diag_events(evs, n);				\
			rt_fail(__FILE__, __LINE__, "%u events, expected %u", \
				(unsigned int)(n), (unsigned int)(want)); \
		}							\
	} while (0)

/* A peer that accepts a capability with the rights in *arg, says READY
 * and waits for EXIT. */
static void accepting_peer(int sock, void *arg)
{
	int fd = rt_open_ctx();

	rt_accept_ok(fd, rt_recv(sock), *(uint32_t *)arg);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* A peer that only waits for EXIT. */
static void waiting_peer(int sock, void *arg)
{
	(void)arg;
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* GET_GRANTS: the one entry for @cap, which must be there. */
static struct rt_genl_msg grant_entry(struct rt_genl *q, uint64_t cap)
{
	static struct rt_genl_msg d[MAX_EVENTS];
	int n = rt_genl_request(q, RATMEM_CMD_GET_GRANTS, 1, 0, d, MAX_EVENTS);
	int found = -1;

	if (n < 0)
		rt_fail(__FILE__, __LINE__, "GET_GRANTS dump: %s", strerror(-n));
	for (int i = 0; i < n; i++) {
		if (d[i].cap_id != cap)
			continue;
		ASSERT_EQ(found, -1);
		found = i;
	}
	if (found < 0)
		rt_fail(__FILE__, __LINE__, "GET_GRANTS lists no capability 0x%llx",
			(unsigned long long)cap);
	return d[found];
}

/* GRANT and ACCEPT each send one event naming both processes, the region and the capability. */
TEST(grant_and_accept_events)
{
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS], g;
	uint32_t rights = RT_RWM | GR;
	struct span s;
	struct rt_peer b;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 3, ALL, 0);
	uint64_t rid = rt_region_id(fd, h), cap;
	unsigned int n;

	rt_listener_open(&l);
	rt_genl_open(&q);
	rt_peer_start(&b, accepting_peer, &rights);
	span_begin(&s, &l, &q);
	cap = rt_grant_ok(fd, h, rights, b.pidfd);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 1);
	expect_share(&evs[0], RATMEM_EV_GRANT, getpid(), b.pid, rid, cap, 3 * PG, rights);

	/* The pending grant, as the GET_GRANTS dump shows it. */
	g = grant_entry(&q, cap);
	EV_EQ(&g, RATMEM_A_REGION_ID, region_id, rid);
	EV_EQ(&g, RATMEM_A_PID, pid, getpid());
	EV_EQ(&g, RATMEM_A_PEER_PID, peer_pid, b.pid);
	EV_EQ(&g, RATMEM_A_RIGHTS, rights, rights);
	EV_EQ(&g, RATMEM_A_SIZE, size, 3 * PG);
	ASSERT_TRUE(!RT_HAVE(&g, RATMEM_A_ACCEPTED));

	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 1);
	expect_share(&evs[0], RATMEM_EV_ACCEPT, b.pid, getpid(), rid, cap, 3 * PG, rights);
	g = grant_entry(&q, cap);
	ASSERT_TRUE(RT_HAVE(&g, RATMEM_A_ACCEPTED));

	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	rt_genl_close(&q);
	rt_genl_close(&l);
}

/* Many grants and revokes in a row: one event each, numbered without a gap. */
TEST(event_seq_consecutive_burst)
{
	enum { ROUNDS = 24 };
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	uint64_t caps[ROUNDS];
	struct span s;
	struct rt_peer b;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	uint64_t rid = rt_region_id(fd, h);
	unsigned int n;

	rt_listener_open(&l);
	rt_genl_open(&q);
	rt_peer_start(&b, waiting_peer, NULL);
	span_begin(&s, &l, &q);
	for (int i = 0; i < ROUNDS; i++) {
		caps[i] = rt_grant_ok(fd, h, RT_RM, b.pidfd);
		if (i % 2)
			ASSERT_EQ(rt_revoke(fd, h, caps[i]), 0);
	}
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, ROUNDS + ROUNDS / 2);
	for (int i = 0, k = 0; i < ROUNDS; i++) {
		expect_share(&evs[k++], RATMEM_EV_GRANT, getpid(), b.pid, rid, caps[i], PG,
			     RT_RM);
		if (i % 2)
			expect_revoke(&evs[k++], getpid(), b.pid, caps[i], rid);
	}
	/* Sequence numbers start at 1 and grow by one; no two alike. */
	ASSERT_TRUE(evs[0].seq >= 1);
	for (unsigned int i = 1; i < n; i++)
		ASSERT_EQ(evs[i].seq, evs[0].seq + i);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* GET_HANDLES with RATMEM_A_PID @pid: one handle, made by accepting @cap. */
static void expect_grant_handle(struct rt_genl *q, pid_t pid, uint64_t rid, uint64_t cap,
				uint32_t rights, int revoked)
{
	struct rt_genl_msg d[4];
	int n = rt_genl_request(q, RATMEM_CMD_GET_HANDLES, 1, (uint32_t)pid, d, 4);

	ASSERT_EQ(n, 1);
	EV_EQ(&d[0], RATMEM_A_PID, pid, pid);
	ASSERT_TRUE(RT_HAVE(&d[0], RATMEM_A_HANDLE) && d[0].handle != 0);
	EV_EQ(&d[0], RATMEM_A_REGION_ID, region_id, rid);
	EV_EQ(&d[0], RATMEM_A_RIGHTS, rights, rights);
	EV_EQ(&d[0], RATMEM_A_CAP_KIND, cap_kind, RATMEM_CAPKIND_GRANT);
	EV_EQ(&d[0], RATMEM_A_CAP_ID, cap_id, cap);
	ASSERT_EQ(RT_HAVE(&d[0], RATMEM_A_REVOKED), revoked);
}

/* Accepts RWM|GRANT, re-grants READ|MAP twice to the process it is told
 * of (one of them is never accepted), and waits for EXIT. */
static void regranting_peer(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM | GR);
	int third = rt_pidfd_open((pid_t)rt_recv(sock));

	(void)arg;
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, third));
	rt_send(sock, rt_grant_ok(fd, h, RT_RM, third));
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* REVOKE sends one event per capability it revokes: the re-grants below it, pending or accepted, too. */
TEST(revoke_events_cascade)
{
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	uint32_t rm = RT_RM;
	struct span s;
	struct rt_peer b, c;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 2, ALL, 0);
	uint64_t rid = rt_region_id(fd, h), cap1, cap2, cap3, cap4;
	pid_t me = getpid();
	unsigned int n, i1, i2, i3;

	rt_listener_open(&l);
	rt_genl_open(&q);
	rt_peer_start(&c, accepting_peer, &rm);
	rt_peer_start(&b, regranting_peer, NULL);
	span_begin(&s, &l, &q);
	cap1 = rt_grant_ok(fd, h, RT_RWM | GR, b.pidfd);
	rt_send(b.sock, cap1);
	rt_send(b.sock, (uint64_t)c.pid);
	cap2 = rt_peer_recv(&b);
	cap3 = rt_peer_recv(&b);
	rt_send(c.sock, cap2);
	rt_peer_expect(&c, RT_MSG_READY);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 5);
	expect_share(&evs[0], RATMEM_EV_GRANT, me, b.pid, rid, cap1, 2 * PG, RT_RWM | GR);
	expect_share(&evs[1], RATMEM_EV_ACCEPT, b.pid, me, rid, cap1, 2 * PG, RT_RWM | GR);
	expect_share(&evs[2], RATMEM_EV_GRANT, b.pid, c.pid, rid, cap2, 2 * PG, RT_RM);
	expect_share(&evs[3], RATMEM_EV_GRANT, b.pid, c.pid, rid, cap3, 2 * PG, RT_RM);
	expect_share(&evs[4], RATMEM_EV_ACCEPT, c.pid, b.pid, rid, cap2, 2 * PG, RT_RM);

	/* C's handle, as the GET_HANDLES dump for C's pid shows it. */
	expect_grant_handle(&q, c.pid, rid, cap2, RT_RM, 0);

	/* The owner revokes cap1: cap1, cap2 (accepted) and cap3 (pending) go. */
	ASSERT_EQ(rt_revoke(fd, h, cap1), 0);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 3);
	expect_grant_handle(&q, c.pid, rid, cap2, RT_RM, 1);
	i1 = find_cap_event(evs, n, RATMEM_EV_REVOKE, cap1);
	i2 = find_cap_event(evs, n, RATMEM_EV_REVOKE, cap2);
	i3 = find_cap_event(evs, n, RATMEM_EV_REVOKE, cap3);
	expect_revoke(&evs[i1], me, b.pid, cap1, rid);
	expect_revoke(&evs[i2], me, c.pid, cap2, rid);
	expect_revoke(&evs[i3], me, c.pid, cap3, rid);

	/* Revoking it again fails and says nothing. */
	ASSERT_ERRNO(rt_revoke(fd, h, cap1), ENOENT);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 0);

	/* A pending grant revoked directly: one event. */
	cap4 = rt_grant_ok(fd, h, RT_RM, c.pidfd);
	ASSERT_EQ(rt_revoke(fd, h, cap4), 0);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 2);
	expect_share(&evs[0], RATMEM_EV_GRANT, me, c.pid, rid, cap4, 2 * PG, RT_RM);
	expect_revoke(&evs[1], me, c.pid, cap4, rid);

	rt_send(b.sock, RT_MSG_EXIT);
	rt_send(c.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	ASSERT_PEER_OK(&c);
}

/* Maps the accepted region, reads it, and after REVOKED touches it twice. */
static void touching_peer(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * PG, RW);

	(void)arg;
	ASSERT_EQ(p[0], 0x5a);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_REVOKED);
	rt_expect_sigbus(p, 0);
	rt_expect_sigbus(p + PG, 1);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* A grantee touching revoked memory gets SIGBUS, and each access is a REVOKED violation event. */
TEST(violation_revoked_event)
{
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	struct span s;
	struct rt_peer b;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 2, ALL, RATMEM_CREATE_COMMIT);
	uint64_t rid = rt_region_id(fd, h), cap;
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);
	unsigned int n;

	p[0] = 0x5a;
	rt_listener_open(&l);
	rt_genl_open(&q);
	rt_peer_start(&b, touching_peer, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_READY);
	span_begin(&s, &l, &q);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	rt_send(b.sock, RT_MSG_REVOKED);
	rt_peer_expect(&b, RT_MSG_DONE);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 3);
	expect_revoke(&evs[0], getpid(), b.pid, cap, rid);
	expect_violation(&evs[1], b.pid, RATMEM_VIOLATION_REVOKED, rid, cap, 2 * PG);
	expect_violation(&evs[2], b.pid, RATMEM_VIOLATION_REVOKED, rid, cap, 2 * PG);
	/* The owner's own mapping is no violation. */
	ASSERT_EQ(p[0], 0x5a);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 0);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/*
 * Accepts every right and tries W^X three ways (mprotect of a mapping
 * that could become either, mmap with PROT_WRITE|PROT_EXEC, and an
 * executable mapping while a writable one exists), then a refusal that
 * is no W^X attempt (a handle without EXEC asks for PROT_EXEC).
 */
static void wx_peer(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), ALL);
	uint32_t no_exec = rt_dup(fd, h, RT_RWM);
	unsigned char *p;

	(void)arg;
	p = rt_map_ok(fd, h, 0, 2 * PG, PROT_READ);
	ASSERT_SYSCALL_ERRNO(mprotect(p, 2 * PG, RWX), EACCES);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);

	ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_WRITE | PROT_EXEC) == MAP_FAILED &&
		    errno == EACCES);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);

	p = rt_map_ok(fd, h, 0, PG, RW);
	ASSERT_TRUE(rt_map(fd, h, PG, PG, RX) == MAP_FAILED && errno == EACCES);
	ASSERT_EQ(munmap(p, PG), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_GO);

	ASSERT_TRUE(rt_map(fd, no_exec, 0, PG, RX) == MAP_FAILED && errno == EACCES);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* Each W^X refusal (EACCES) is a WX violation event naming the process, region and capability. */
TEST(violation_wx_events)
{
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	struct span s;
	struct rt_peer b;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 2, ALL, RATMEM_CREATE_COMMIT);
	uint64_t rid = rt_region_id(fd, h), cap;
	unsigned int n;

	rt_listener_open(&l);
	rt_genl_open(&q);

	/* The owner's own attempt, through its owner capability. */
	span_begin(&s, &l, &q);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RWX) == MAP_FAILED && errno == EACCES);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 1);
	expect_violation(&evs[0], getpid(), RATMEM_VIOLATION_WX, rid, 0, 2 * PG);

	rt_peer_start(&b, wx_peer, NULL);
	cap = rt_grant_ok(fd, h, ALL, b.pidfd);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 1);
	expect_share(&evs[0], RATMEM_EV_GRANT, getpid(), b.pid, rid, cap, 2 * PG, ALL);
	rt_send(b.sock, cap);
	for (int step = 0; step < 3; step++) {
		rt_peer_expect(&b, RT_MSG_DONE);
		n = span_end(&s, evs);
		if (step == 0) {	/* the accept, then the mprotect */
			ASSERT_EVENTS(n, evs, 2);
			expect_share(&evs[0], RATMEM_EV_ACCEPT, b.pid, getpid(), rid, cap,
				     2 * PG, ALL);
			expect_violation(&evs[1], b.pid, RATMEM_VIOLATION_WX, rid, cap, 2 * PG);
		} else {
			ASSERT_EVENTS(n, evs, 1);
			expect_violation(&evs[0], b.pid, RATMEM_VIOLATION_WX, rid, cap, 2 * PG);
		}
		rt_send(b.sock, RT_MSG_GO);
	}
	/* A missing right is refused too, but is no W^X attempt. */
	rt_peer_expect(&b, RT_MSG_DONE);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 0);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

static struct ratmem_quota quota_get(int fd)
{
	struct ratmem_quota qt = { .pidfd = -1 };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUOTA, &qt), 0);
	return qt;
}

static void quota_lower(int fd, int res, uint64_t limit)
{
	struct ratmem_quota qt = { .pidfd = -1, .set_mask = RATMEM_QUOTA_SET(res) };

	qt.limit[res] = limit;
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUOTA, &qt), 0);
	ASSERT_EQ(qt.limit[res], limit);
}

/*
 * A quota event's usage and limits nests, against what QUOTA reads
 * before and after the refused request: every limit and the refused
 * resource's usage are exact; another resource's usage may include a
 * charge an earlier step of the same request took and gave back (CREATE
 * charges the region's bytes before the handle), as the uapi says.
 */
static void expect_quota_nests(const struct rt_genl_msg *e, const struct ratmem_quota *qt)
{
	ASSERT_EQ(e->have_usage, (1u << RATMEM_RES_COUNT) - 1);
	ASSERT_EQ(e->have_limits, (1u << RATMEM_RES_COUNT) - 1);
	ASSERT_TRUE(e->usage[e->resource] + e->amount > e->limits[e->resource]);
	for (int r = 0; r < RATMEM_RES_COUNT; r++) {
		bool usage_ok = r == (int)e->resource ? e->usage[r] == qt->usage[r]
						       : e->usage[r] >= qt->usage[r];

		if (!usage_ok || e->limits[r] != qt->limit[r]) {
			rt_event_diag("event", e);
			rt_fail(__FILE__, __LINE__,
				"resource %d: event usage %llu limit %llu, QUOTA says %llu and %llu",
				r, (unsigned long long)e->usage[r],
				(unsigned long long)e->limits[r],
				(unsigned long long)qt->usage[r],
				(unsigned long long)qt->limit[r]);
		}
	}
}

/* Lowering one's own handle limit makes CREATE fail with EDQUOT, and that is a quota event. */
TEST(quota_handles_event)
{
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1 };
	struct ratmem_quota before, after;
	struct span s;
	int fd = rt_open_ctx_need(RATMEM_FEATURE_EVENTS | RATMEM_FEATURE_QUOTA, 0);
	uint32_t h = rt_region(fd, 1, ALL, 0);
	unsigned int n;

	before = quota_get(fd);
	ASSERT_EQ(before.usage[RATMEM_RES_HANDLES], 1);
	ASSERT_EQ(before.usage[RATMEM_RES_RESERVED], PG);
	ASSERT_TRUE(before.limit[RATMEM_RES_HANDLES] >= 1);
	quota_lower(fd, RATMEM_RES_HANDLES, 1);
	before = quota_get(fd);

	rt_listener_open(&l);
	rt_genl_open(&q);
	span_begin(&s, &l, &q);
	ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 1);
	EV_EQ(&evs[0], RATMEM_A_EVENT, event, RATMEM_EV_QUOTA);
	EV_EQ(&evs[0], RATMEM_A_PID, pid, getpid());
	EV_EQ(&evs[0], RATMEM_A_QUOTA_PID, quota_pid, getpid());
	EV_EQ(&evs[0], RATMEM_A_RESOURCE, resource, RATMEM_RES_HANDLES);
	EV_EQ(&evs[0], RATMEM_A_AMOUNT, amount, 1);
	expect_quota_nests(&evs[0], &before);

	/* The refused request changed nothing; the handle still works. */
	after = quota_get(fd);
	ASSERT_EQ(memcmp(&before, &after, sizeof(before)), 0);
	ASSERT_NE(rt_region_id(fd, h), 0);
	rt_genl_close(&q);
	rt_genl_close(&l);
}

/* Commits through WRITE|MAP granted to the peer, expecting *arg (0 or -EDQUOT). */
static void committing_peer(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RWM);

	(void)arg;
	ASSERT_ERRNO(rt_commit(fd, h, PG, 2 * PG), EDQUOT);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* A grantee's COMMIT passing the creator's committed limit: the event names both processes and the region. */
TEST(quota_commit_event_names_account)
{
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	struct ratmem_quota qt;
	struct span s;
	struct rt_peer b;
	int fd = rt_open_ctx_need(RATMEM_FEATURE_EVENTS | RATMEM_FEATURE_QUOTA |
				  RATMEM_FEATURE_SHARING, 0);
	uint32_t h = rt_region(fd, 4, ALL, 0);
	uint64_t rid = rt_region_id(fd, h), cap;
	unsigned int n;

	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	quota_lower(fd, RATMEM_RES_COMMITTED, PG);
	rt_listener_open(&l);
	rt_genl_open(&q);
	rt_peer_start(&b, committing_peer, NULL);
	cap = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	span_begin(&s, &l, &q);
	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_DONE);
	qt = quota_get(fd);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 2);
	expect_share(&evs[0], RATMEM_EV_ACCEPT, b.pid, getpid(), rid, cap, 4 * PG, RT_RWM);
	EV_EQ(&evs[1], RATMEM_A_EVENT, event, RATMEM_EV_QUOTA);
	EV_EQ(&evs[1], RATMEM_A_PID, pid, b.pid);
	EV_EQ(&evs[1], RATMEM_A_QUOTA_PID, quota_pid, getpid());
	EV_EQ(&evs[1], RATMEM_A_RESOURCE, resource, RATMEM_RES_COMMITTED);
	EV_EQ(&evs[1], RATMEM_A_AMOUNT, amount, 2 * PG);
	EV_EQ(&evs[1], RATMEM_A_REGION_ID, region_id, rid);
	ASSERT_EQ(qt.usage[RATMEM_RES_COMMITTED], PG);
	expect_quota_nests(&evs[1], &qt);
	ASSERT_EQ(rt_committed(fd, h), PG);

	/* The creator's own commit past the limit: pid and quota are its own. */
	ASSERT_ERRNO(rt_commit(fd, h, 3 * PG, PG), EDQUOT);
	n = span_end(&s, evs);
	ASSERT_EVENTS(n, evs, 1);
	EV_EQ(&evs[0], RATMEM_A_PID, pid, getpid());
	EV_EQ(&evs[0], RATMEM_A_QUOTA_PID, quota_pid, getpid());
	EV_EQ(&evs[0], RATMEM_A_RESOURCE, resource, RATMEM_RES_COMMITTED);
	EV_EQ(&evs[0], RATMEM_A_AMOUNT, amount, PG);
	EV_EQ(&evs[0], RATMEM_A_REGION_ID, region_id, rid);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* How a peer gives up CAP_NET_ADMIN. */
enum drop { DROP_TO_NOBODY = 1, DROP_NET_ADMIN };

static void drop_privilege(enum drop how)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (how == DROP_TO_NOBODY) {
		ASSERT_EQ(setgroups(0, NULL), 0);
		ASSERT_EQ(setresgid(NOBODY, NOBODY, NOBODY), 0);
		ASSERT_EQ(setresuid(NOBODY, NOBODY, NOBODY), 0);
	} else {
		/* Stay uid 0, without CAP_NET_ADMIN in any set. */
		ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
		data[0].effective &= ~(1u << CAP_NET_ADMIN);
		data[0].permitted &= ~(1u << CAP_NET_ADMIN);
		data[0].inheritable &= ~(1u << CAP_NET_ADMIN);
		ASSERT_EQ(syscall(SYS_capset, &hdr, data), 0);
	}
	ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
	ASSERT_EQ(data[0].effective & (1u << CAP_NET_ADMIN), 0);
}

/*
 * Opens a socket of the family, drops CAP_NET_ADMIN (how = *arg), fails
 * to join the events group, says READY, and on GO checks that nothing
 * reached its socket.
 */
static void unprivileged_listener(int sock, void *arg)
{
	struct rt_genl g;
	int group;

	rt_genl_open(&g);
	drop_privilege(*(enum drop *)arg);
	ASSERT_EQ(rt_genl_join(&g), -NLE_PERM);
	group = g.events_group;
	ASSERT_SYSCALL_ERRNO(setsockopt(nl_socket_get_fd(g.sk), SOL_NETLINK,
					NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)), EPERM);
	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, RT_MSG_GO);
	ASSERT_EQ(rt_genl_pending(&g), 0);
	rt_send(sock, RT_MSG_DONE);
}

/* Joining the events group needs CAP_NET_ADMIN (EPERM): the unprivileged see no event. */
TEST(join_needs_cap_net_admin)
{
	enum drop how[] = { DROP_TO_NOBODY, DROP_NET_ADMIN };
	struct rt_genl l, q;
	struct rt_genl_msg evs[MAX_EVENTS];
	struct span s;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);

	rt_listener_open(&l);
	rt_genl_open(&q);
	for (unsigned int i = 0; i < 2; i++) {
		struct rt_peer u;
		uint64_t cap;

		rt_peer_start(&u, unprivileged_listener, &how[i]);
		rt_peer_expect(&u, RT_MSG_READY);
		span_begin(&s, &l, &q);
		cap = rt_grant_ok(fd, h, RT_RM, u.pidfd);	/* an event naming it */
		ASSERT_EQ(rt_revoke(fd, h, cap), 0);
		/* Delivered to the privileged listener, so it would be queued
		 * for the other one by now if that one had joined. */
		ASSERT_EVENTS(span_end(&s, evs), evs, 2);
		expect_share(&evs[0], RATMEM_EV_GRANT, getpid(), u.pid, rt_region_id(fd, h), cap,
			     PG, RT_RM);
		rt_send(u.sock, RT_MSG_GO);
		rt_peer_expect(&u, RT_MSG_DONE);
		ASSERT_PEER_OK(&u);
	}
}

/* GET_REGIONS: every entry for region @rid (0 or 1 of them) into *out. */
static int region_entries(struct rt_genl_msg *d, int n, uint64_t rid, struct rt_genl_msg *out)
{
	int found = 0;

	for (int i = 0; i < n; i++) {
		ASSERT_TRUE(RT_HAVE(&d[i], RATMEM_A_REGION_ID));
		if (d[i].region_id != rid)
			continue;
		found++;
		*out = d[i];
	}
	ASSERT_TRUE(found <= 1);
	return found;
}

static void expect_region_entry(const struct rt_genl_msg *e, uint64_t rid, pid_t pid,
				uint64_t size, uint64_t committed, uint32_t rights)
{
	EV_EQ(e, RATMEM_A_REGION_ID, region_id, rid);
	EV_EQ(e, RATMEM_A_PID, pid, pid);
	EV_EQ(e, RATMEM_A_SIZE, size, size);
	EV_EQ(e, RATMEM_A_COMMITTED, committed, committed);
	EV_EQ(e, RATMEM_A_RIGHTS, rights, rights);
	ASSERT_TRUE(RT_HAVE(e, RATMEM_A_RESIDENT));
	ASSERT_TRUE(RT_HAVE(e, RATMEM_A_MAPPERS));
}

/* The entries of @d whose RATMEM_A_PID is @pid; *@out is the last. */
static int pid_entries(struct rt_genl_msg *d, int n, uint32_t pid, struct rt_genl_msg *out)
{
	int found = 0;

	for (int i = 0; i < n; i++) {
		ASSERT_TRUE(RT_HAVE(&d[i], RATMEM_A_PID));
		if (d[i].pid == pid) {
			found++;
			*out = d[i];
		}
	}
	return found;
}

/*
 * Creates a region of its own, drops CAP_NET_ADMIN (how = *arg), sends
 * its region id, then dumps. It is shown its own objects; the test's
 * (root's) region, handles and grant, sent as GO's follower, only when
 * it still runs as root, the test's user.
 */
static void unprivileged_dumper(int sock, void *arg)
{
	static struct rt_genl_msg d[MAX_EVENTS];
	bool root = *(enum drop *)arg == DROP_NET_ADMIN;
	struct rt_genl_msg e;
	struct rt_genl g;
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 2, RT_RWM, 0);
	uint64_t rid = rt_region_id(fd, h), other;
	uint32_t me = (uint32_t)getpid(), test = (uint32_t)getppid();
	int n;

	rt_genl_open(&g);
	drop_privilege(*(enum drop *)arg);
	rt_send(sock, rid);
	other = rt_recv(sock);

	n = rt_genl_request(&g, RATMEM_CMD_GET_REGIONS, 1, 0, d, MAX_EVENTS);
	ASSERT_EQ(region_entries(d, n, rid, &e), 1);
	expect_region_entry(&e, rid, me, 2 * PG, 0, RT_RWM);
	ASSERT_EQ(region_entries(d, n, other, &e), root);
	if (!root)
		ASSERT_EQ(n, 1);

	n = rt_genl_request(&g, RATMEM_CMD_GET_HANDLES, 1, 0, d, MAX_EVENTS);
	ASSERT_EQ(pid_entries(d, n, me, &e), 1);
	EV_EQ(&e, RATMEM_A_HANDLE, handle, h);
	EV_EQ(&e, RATMEM_A_REGION_ID, region_id, rid);
	EV_EQ(&e, RATMEM_A_CAP_KIND, cap_kind, RATMEM_CAPKIND_OWNER);
	ASSERT_EQ(pid_entries(d, n, test, &e) > 0, root);
	if (!root)
		ASSERT_EQ(n, 1);

	n = rt_genl_request(&g, RATMEM_CMD_GET_QUOTAS, 1, 0, d, MAX_EVENTS);
	ASSERT_EQ(pid_entries(d, n, me, &e), 1);
	ASSERT_EQ(e.usage[RATMEM_RES_RESERVED], 2 * PG);
	ASSERT_EQ(e.usage[RATMEM_RES_HANDLES], 1);
	ASSERT_EQ(pid_entries(d, n, test, &e), root);
	if (!root)
		ASSERT_EQ(n, 1);

	/* The test's grant: issued by root, to a peer running as root. */
	n = rt_genl_request(&g, RATMEM_CMD_GET_GRANTS, 1, 0, d, MAX_EVENTS);
	ASSERT_EQ(pid_entries(d, n, test, &e) > 0, root);
	if (!root)
		ASSERT_EQ(n, 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/*
 * A region of its own as user nobody, then a dump: the other nobody
 * peer's region is listed with its own (the same user's processes),
 * root's is not. *arg: 1 for the peer that dumps, 0 for the one that
 * only holds its region.
 */
static void nobody_peer(int sock, void *arg)
{
	static struct rt_genl_msg d[MAX_EVENTS];
	struct rt_genl_msg e;
	struct rt_genl g;
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, RT_RWM, 0);
	uint64_t mine = rt_region_id(fd, h), theirs, roots;
	int n;

	rt_genl_open(&g);
	drop_privilege(DROP_TO_NOBODY);
	rt_send(sock, mine);
	if (*(int *)arg) {
		theirs = rt_recv(sock);
		roots = rt_recv(sock);
		n = rt_genl_request(&g, RATMEM_CMD_GET_REGIONS, 1, 0, d, MAX_EVENTS);
		ASSERT_EQ(n, 2);
		ASSERT_EQ(region_entries(d, n, mine, &e), 1);
		ASSERT_EQ(region_entries(d, n, theirs, &e), 1);
		ASSERT_EQ(region_entries(d, n, roots, &e), 0);
		/* Another user's pid, asked for by number: nothing. */
		n = rt_genl_request(&g, RATMEM_CMD_GET_REGIONS, 1, (uint32_t)getppid(), d,
				    MAX_EVENTS);
		ASSERT_EQ(n, 0);
		rt_send(sock, RT_MSG_DONE);
	}
	rt_recv_expect(sock, RT_MSG_EXIT);
}

/* Without CAP_NET_ADMIN a user sees the ratmem objects of all its processes, no one else's. */
TEST(dumps_unprivileged_see_their_users_processes)
{
	int fd = events_ctx();
	uint64_t rid = rt_region_id(fd, rt_region(fd, 1, ALL, 0));
	int holds = 0, dumps = 1;
	struct rt_peer a, b;
	uint64_t arid;

	rt_peer_start(&a, nobody_peer, &holds);
	arid = rt_peer_recv(&a);
	rt_peer_start(&b, nobody_peer, &dumps);
	(void)rt_peer_recv(&b);
	rt_send(b.sock, arid);
	rt_send(b.sock, rid);
	rt_peer_expect(&b, RT_MSG_DONE);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	rt_send(a.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&a);
}

/* A dump without CAP_NET_ADMIN lists only its user's objects; root sees everyone's, or one pid's. */
TEST(dumps_unprivileged_see_own_user_only)
{
	static struct rt_genl_msg d[MAX_EVENTS];
	enum drop how[] = { DROP_TO_NOBODY, DROP_NET_ADMIN };
	struct rt_genl_msg e;
	struct rt_genl q;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 3, ALL, 0);
	uint64_t rid = rt_region_id(fd, h);
	struct rt_peer other;
	uint32_t rm = RT_RM;
	int n;

	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	rt_genl_open(&q);
	/* A grant of ours, that the unprivileged must not see. */
	rt_peer_start(&other, accepting_peer, &rm);
	rt_send(other.sock, rt_grant_ok(fd, h, RT_RM, other.pidfd));
	rt_peer_expect(&other, RT_MSG_READY);

	for (unsigned int i = 0; i < 2; i++) {
		struct rt_peer u;
		uint64_t urid;

		rt_peer_start(&u, unprivileged_dumper, &how[i]);
		urid = rt_peer_recv(&u);
		ASSERT_NE(urid, rid);

		n = rt_genl_request(&q, RATMEM_CMD_GET_REGIONS, 1, 0, d, MAX_EVENTS);
		ASSERT_TRUE(n >= 2);
		ASSERT_EQ(region_entries(d, n, rid, &e), 1);
		expect_region_entry(&e, rid, getpid(), 3 * PG, PG, ALL);
		ASSERT_EQ(region_entries(d, n, urid, &e), 1);
		expect_region_entry(&e, urid, u.pid, 2 * PG, 0, RT_RWM);

		/* RATMEM_A_PID: that process's regions only. */
		n = rt_genl_request(&q, RATMEM_CMD_GET_REGIONS, 1, (uint32_t)u.pid, d,
				    MAX_EVENTS);
		ASSERT_EQ(n, 1);
		expect_region_entry(&d[0], urid, u.pid, 2 * PG, 0, RT_RWM);

		rt_send(u.sock, rid);
		rt_peer_expect(&u, RT_MSG_DONE);
		rt_send(u.sock, RT_MSG_EXIT);
		ASSERT_PEER_OK(&u);
	}
	rt_send(other.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&other);
}

/* GET_STATUS reports the module's version, ABI, features and counters: the same as API and STATS. */
TEST(status_matches_stats)
{
	static struct rt_genl_msg d[MAX_EVENTS];
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	struct ratmem_stats st1 = { 0 }, st2 = { 0 };
	struct rt_genl_msg m;
	struct rt_genl q;
	struct rt_peer b;
	uint32_t rm = RT_RM;
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 4, ALL, 0);
	unsigned char *p;
	int n;

	/* Something in every counter but names: pages, a mapping, a grant. */
	rt_region(fd, 1, ALL, 0);
	ASSERT_EQ(rt_commit(fd, h, 0, 2 * PG), 0);
	p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	p[0] = 1;
	p[PG] = 1;
	rt_peer_start(&b, accepting_peer, &rm);
	rt_send(b.sock, rt_grant_ok(fd, h, RT_RM, b.pidfd));
	rt_peer_expect(&b, RT_MSG_READY);

	rt_genl_open(&q);
	ASSERT_EQ(rat_api(fd, &api), 0);
	ASSERT_EQ(rat_stats(fd, &st1), 0);
	m = rt_status(&q);
	ASSERT_EQ(rat_stats(fd, &st2), 0);
	ASSERT_EQ(memcmp(&st1, &st2, sizeof(st1)), 0);
	ASSERT_TRUE(st1.regions >= 2 && st1.pages >= 2 && st1.mappings >= 1 && st1.grants >= 1);

	EV_EQ(&m, RATMEM_A_ABI_VERSION, abi_version, RATMEM_ABI_VERSION);
	EV_EQ(&m, RATMEM_A_FEATURES, features, api.features);
	ASSERT_TRUE(RT_HAVE(&m, RATMEM_A_VERSION) && m.version[0] != '\0');
	EV_EQ(&m, RATMEM_A_STAT_CONTEXTS, stat[0], st1.contexts);
	EV_EQ(&m, RATMEM_A_STAT_REGIONS, stat[1], st1.regions);
	EV_EQ(&m, RATMEM_A_STAT_HANDLES, stat[2], st1.handles);
	EV_EQ(&m, RATMEM_A_STAT_PAGES, stat[3], st1.pages);
	EV_EQ(&m, RATMEM_A_STAT_MAPPINGS, stat[4], st1.mappings);
	EV_EQ(&m, RATMEM_A_STAT_GRANTS, stat[5], st1.grants);
	EV_EQ(&m, RATMEM_A_STAT_NAMES, stat[6], st1.names);

	/* One quota per process: ours and the peer's at least, one usage entry each. */
	n = rt_genl_request(&q, RATMEM_CMD_GET_QUOTAS, 1, 0, d, MAX_EVENTS);
	ASSERT_TRUE(n >= 2);
	EV_EQ(&m, RATMEM_A_STAT_QUOTAS, stat[7], n);

	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* GET_REGIONS: a named region shows its owner and mode; an unnamed one does not. */
TEST(region_dump_shows_a_named_regions_owner)
{
	static struct rt_genl_msg d[MAX_EVENTS];
	char name[RATMEM_NAME_MAX];
	struct ratmem_named_create c = { .size = PG, .rights = RT_RWM, .mode = 0604 };
	struct rt_genl_msg e;
	struct rt_genl g;
	int fd = rt_open_ctx(), n;
	uint32_t h = rt_region(fd, 1, RT_RWM, 0);

	snprintf(name, sizeof(name), "rte-owner-%d", (int)getpid());
	c.name = (uintptr_t)name;
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_NAMED_CREATE, &c), 0);
	rt_genl_open(&g);
	n = rt_genl_request(&g, RATMEM_CMD_GET_REGIONS, 1, 0, d, MAX_EVENTS);
	ASSERT_EQ(region_entries(d, n, c.region_id, &e), 1);
	EV_EQ(&e, RATMEM_A_OWNER_UID, owner_uid, getuid());
	EV_EQ(&e, RATMEM_A_OWNER_GID, owner_gid, getgid());
	EV_EQ(&e, RATMEM_A_MODE, mode, 0604);
	ASSERT_EQ(region_entries(d, n, rt_region_id(fd, h), &e), 1);
	ASSERT_TRUE(!RT_HAVE(&e, RATMEM_A_OWNER_UID) && !RT_HAVE(&e, RATMEM_A_MODE));
	rt_genl_close(&g);
	ASSERT_EQ(rat_unlink(fd, name, 0), 0);
	close(fd);
}
