// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's revocation with notice (librat 1.4):
 * RatMemRevokeAfter, RatMemWatch and RatMemWatchFd, shared with this
 * very process so that one program is sharer and receiver (librat has
 * one context per process, so both sides' notices arrive there). The
 * module's own tests, other processes and races included, are
 * module/test_notice.c.
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define SEC 1000000000ULL

static void need_notice(void)
{
	RatApiInfo info;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_TRUE(info.features & RATMEM_FEATURE_NOTICE);
}


struct revoker {
	HMEM mem;
	const char *cap;
	RatStatus st;
	uint64_t took;
};

static void *revoke_after(void *arg)
{
	struct revoker *r = arg;
	uint64_t t0 = rt_now_ns();

	r->st = RatMemRevokeAfter(r->mem, r->cap, 60 * SEC);
	r->took = rt_now_ns() - t0;
	return NULL;
}

/*
 * The receiver hears of the revocation, frees what it accepted, and
 * that ends a 60 s RatMemRevokeAfter() at once; then both sides hear it
 * is done.
 */
TEST_TIMEOUT(ratmemrevokeafter_ends_when_the_receiver_lets_go, 120)
{
	struct revoker r = { 0 };
	char cap[RAT_CAP_STRLEN];
	RatMemNotice n[4];
	int seen_held = 0, seen_revoker = 0;
	size_t count = 0;
	HMEM mem, got;
	pthread_t t;

	need_notice();
	mem = RatAllocMemory(4096);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, getpid(), cap), RAT_STATUS_OK);
	got = RatMemAccept(cap);
	ASSERT_TRUE(got != NULL);
	r.mem = mem;
	r.cap = cap;
	ASSERT_EQ(pthread_create(&t, NULL, revoke_after, &r), 0);

	ASSERT_EQ(RatMemWatch(n, 4, &count, 60 * SEC), RAT_STATUS_OK);
	ASSERT_EQ(count, 1);
	ASSERT_EQ(strcmp(n[0].cap, cap), 0);
	ASSERT_EQ(n[0].events, RAT_NOTICE_REVOKING);
	ASSERT_EQ(n[0].accepted, 1);
	ASSERT_TRUE(n[0].deadline_ns > rt_now_ns() + 30 * SEC);
	/* Still usable until let go. */
	ASSERT_TRUE(RatMapMemory(got) != NULL);
	ASSERT_EQ(RatFreeMemory(got), RAT_STATUS_OK);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	rt_diag("RatMemRevokeAfter returned after %llu ms of 60000",
		(unsigned long long)(r.took / 1000000));
	ASSERT_EQ(r.st, RAT_STATUS_OK);
	ASSERT_TRUE(r.took < 30 * SEC);

	while (!seen_held || !seen_revoker) {
		ASSERT_EQ(RatMemWatch(n, 4, &count, 60 * SEC), RAT_STATUS_OK);
		for (size_t i = 0; i < count; i++) {
			ASSERT_EQ(strcmp(n[i].cap, cap), 0);
			ASSERT_EQ(n[i].events, RAT_NOTICE_REVOKED);
			ASSERT_EQ(n[i].deadline_ns, 0);
			seen_held += n[i].accepted;
			seen_revoker += !n[i].accepted;
		}
	}
	ASSERT_EQ(seen_held, 1);
	ASSERT_EQ(seen_revoker, 1);
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(ratmemwatch_arguments_timeout_and_fd)
{
	char cap[RAT_CAP_STRLEN];
	struct pollfd p = { .events = POLLPRI };
	RatMemNotice n[2];
	size_t count = 7;
	HMEM mem, got;

	need_notice();
	ASSERT_EQ(RatMemWatch(NULL, 1, &count, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWatch(n, 0, &count, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWatch(n, 2, NULL, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWatch(n, 2, &count, -2), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWatch(n, 2, &count, 0), RAT_STATUS_TIMEOUT);
	ASSERT_EQ(count, 0);
	ASSERT_EQ(RatMemWatch(n, 2, &count, 20000000), RAT_STATUS_TIMEOUT);

	mem = RatAllocMemory(4096);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemRevokeAfter(NULL, "MEM_SHARE:0000000000000001", SEC),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRevokeAfter(mem, "nonsense", SEC), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRevokeAfter(mem, "MEM_SHARE:0000000000000001", (1ULL << 62) + 1),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, getpid(), cap), RAT_STATUS_OK);
	got = RatMemAccept(cap);
	ASSERT_TRUE(got != NULL);
	p.fd = RatMemWatchFd();
	ASSERT_TRUE(p.fd >= 0);
	ASSERT_EQ(poll(&p, 1, 0), 0);
	/* A timeout of 0 is RatMemRevoke(): done on return, and it is told. */
	ASSERT_EQ(RatMemRevokeAfter(mem, cap, 0), RAT_STATUS_OK);
	ASSERT_EQ(poll(&p, 1, 60000), 1);
	ASSERT_EQ(p.revents, POLLPRI);
	ASSERT_EQ(RatMemWatch(n, 2, &count, 0), RAT_STATUS_OK);
	ASSERT_EQ(count, 1);
	ASSERT_EQ(strcmp(n[0].cap, cap), 0);
	ASSERT_EQ(n[0].events, RAT_NOTICE_REVOKED);
	ASSERT_EQ(n[0].accepted, 1);
	ASSERT_EQ(poll(&p, 1, 0), 0);
	ASSERT_EQ(close(p.fd), 0);
	ASSERT_TRUE(RatMapMemory(got) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatFreeMemory(got), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}
