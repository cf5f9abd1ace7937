// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: sealed regions (RATMEM_IOC_SEAL, contract: seals never come
 * off, and bind every handle and mapping, the owner's too).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "mem.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL

static int seal_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_SEAL, 1ULL << RATMEM_IOC_NR_SEAL);
}

/* RATMEM_IOC_SEAL: 0 and *now set to the region's seals, or -errno. */
static int seal(int fd, uint32_t h, uint32_t seals, uint32_t *now)
{
	struct ratmem_seal s = { .handle = h, .seals = seals };

	if (ioctl(fd, RATMEM_IOC_SEAL, &s))
		return -errno;
	if (now)
		*now = s.seals;
	return 0;
}

static uint32_t query_seals(int fd, uint32_t h)
{
	struct ratmem_query q = { .handle = h };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUERY, &q), 0);
	return q.seals;
}

static uint64_t sum(const unsigned char *p, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

TEST(seal_bad_arguments)
{
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t weak = rt_dup(fd, h, RT_RWM);
	struct ratmem_seal s = { .handle = h, .seals = RATMEM_SEAL_SEAL << 1 };
	uint32_t now = 99;

	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_SEAL, &s), EINVAL);
	s.seals = 0;
	s.flags = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_SEAL, &s), EINVAL);
	s.flags = 0;
	s.pad = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_SEAL, &s), EINVAL);
	s.pad = 0;
	s.reserved[0] = 1;
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_SEAL, &s), EINVAL);
	ASSERT_EQ(seal(fd, h + 100, 0, NULL), -EBADF);
	/* The owner's capability, but not all of its rights. */
	ASSERT_EQ(seal(fd, weak, RATMEM_SEAL_COMMIT, NULL), -EPERM);
	/* Seals 0 only reads them. */
	ASSERT_EQ(seal(fd, h, 0, &now), 0);
	ASSERT_EQ(now, 0);
	ASSERT_EQ(query_seals(fd, h), 0);
	{
		/* Padding before 0.7.0, never checked: its input is ignored. */
		struct ratmem_query q = { .handle = h, .seals = 0xdead };

		ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUERY, &q), 0);
		ASSERT_EQ(q.seals, 0);
	}
	close(fd);
}

/* SEAL_COMMIT: neither COMMIT nor DECOMMIT, the memory itself unchanged. */
TEST(seal_commit_freezes_the_committed_set)
{
	struct rt_counters before = rt_counters_now();
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 8, ALL, 0);
	unsigned char *p;
	uint32_t now = 0;

	ASSERT_EQ(rt_commit(fd, h, 0, 4 * PG), 0);
	p = rt_map_ok(fd, h, 0, 8 * PG, RW);
	memset(p, 0x42, 4 * PG);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_COMMIT, &now), 0);
	ASSERT_EQ(now, RATMEM_SEAL_COMMIT);
	ASSERT_ERRNO(rt_commit(fd, h, 4 * PG, PG), EPERM);
	ASSERT_ERRNO(rt_decommit(fd, h, 0, PG), EPERM);
	ASSERT_EQ(rt_committed(fd, h), 4 * PG);
	rt_expect_bytes(p, 4 * PG, 0x42);
	p[0] = 1;					/* writing is still allowed */
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + 5 * PG);	/* not committed */
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
}

/* SEAL_WRITE: refused while a mapping may write; afterwards no mapping can. */
TEST(seal_write_needs_and_keeps_no_writable_mapping)
{
	struct rt_counters before = rt_counters_now();
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p, *r;

	p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	memset(p, 0x5c, 4 * PG);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_WRITE, NULL), -EBUSY);
	ASSERT_EQ(query_seals(fd, h), 0);		/* nothing added */
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	/* Read-only, but it could be mprotect()ed to write: still busy. */
	r = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_WRITE, NULL), -EBUSY);
	ASSERT_EQ(munmap(r, 4 * PG), 0);

	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_WRITE, NULL), 0);
	ASSERT_EQ(query_seals(fd, h), RATMEM_SEAL_WRITE);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EPERM);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, PROT_WRITE) == MAP_FAILED && errno == EPERM);
	r = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);
	rt_expect_bytes(r, 4 * PG, 0x5c);
	/* The mapping has no VM_MAYWRITE: the core mm refuses. */
	ASSERT_SYSCALL_ERRNO(mprotect(r, PG, RW), EACCES);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, r);
	/* DECOMMIT would zero the contents. COMMIT changes nothing written. */
	ASSERT_ERRNO(rt_decommit(fd, h, 0, PG), EPERM);
	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	rt_expect_bytes(r, 4 * PG, 0x5c);
	ASSERT_EQ(munmap(r, 4 * PG), 0);
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
}

/* SEAL_PROTECT: mprotect() may take permissions away, never add them. */
TEST(seal_protect_forbids_widening)
{
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);

	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_PROTECT, NULL), 0);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, RW), EPERM);
	ASSERT_EQ(mprotect(p, PG, PROT_NONE), 0);
	ASSERT_SYSCALL_ERRNO(mprotect(p, PG, PROT_READ), EPERM);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	ASSERT_EQ(p[PG], 0);				/* the rest is still readable */
	ASSERT_EQ(mprotect(p + PG, PG, PROT_READ), 0);	/* no change: allowed */
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	close(fd);
}

static void seal_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RM);
	uint32_t seals = (uint32_t)(uintptr_t)arg;
	unsigned char *p;

	/* Grantees see the seals, and cannot add any. */
	ASSERT_EQ(query_seals(fd, h), seals);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_SEAL, NULL), -EPERM);
	p = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);
	rt_send(sock, sum(p, 4 * PG));
	rt_recv_expect(sock, RT_MSG_GO);
	/* Nothing changed it meanwhile. */
	rt_send(sock, sum(p, 4 * PG));
	rt_send(sock, query_seals(fd, h));
	rt_recv_expect(sock, RT_MSG_GO);
}

/*
 * The use case: a producer fills a buffer, seals it, and grants it read
 * only to two consumers, who can trust it not to change under them.
 */
TEST(seal_producer_consumers)
{
	const uint32_t seals = RATMEM_SEAL_WRITE | RATMEM_SEAL_COMMIT | RATMEM_SEAL_GRANT_WRITE;
	struct rt_counters before = rt_counters_now();
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 4 * PG, RW);
	struct rt_peer c[2];
	uint64_t want;

	for (size_t i = 0; i < 4 * PG; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	want = sum(p, 4 * PG);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	ASSERT_EQ(seal(fd, h, seals, NULL), 0);
	for (int i = 0; i < 2; i++) {
		rt_peer_start(&c[i], seal_grantee, (void *)(uintptr_t)seals);
		/* SEAL_GRANT_WRITE: WRITE is refused, READ is not. */
		ASSERT_ERRNO(rt_grant(fd, h, RT_RWM, c[i].pidfd, NULL), EPERM);
		rt_send(c[i].sock, rt_grant_ok(fd, h, RT_RM, c[i].pidfd));
		ASSERT_EQ(rt_peer_recv(&c[i]), want);
	}
	/* The producer tries to change it every way it could. */
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EPERM);
	ASSERT_ERRNO(rt_decommit(fd, h, 0, 4 * PG), EPERM);
	ASSERT_ERRNO(rt_commit(fd, h, 0, PG), EPERM);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_SEAL, NULL), 0);
	for (int i = 0; i < 2; i++) {
		rt_send(c[i].sock, RT_MSG_GO);
		ASSERT_EQ(rt_peer_recv(&c[i]), want);
		ASSERT_EQ(rt_peer_recv(&c[i]), seals | RATMEM_SEAL_SEAL);
		rt_send(c[i].sock, RT_MSG_GO);
		ASSERT_PEER_OK(&c[i]);
	}
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
}

static void late_accept_grantee(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t rw = rt_recv(sock), ro = rt_recv(sock);

	(void)arg;
	ASSERT_ERRNO(rt_accept(fd, rw, NULL), EPERM);
	ASSERT_ERRNO(rt_accept(fd, rw, NULL), EPERM);		/* still pending, still no */
	rt_accept_ok(fd, ro, RT_RM);
	rt_send(sock, RT_MSG_DONE);
}

/* A WRITE grant still pending when SEAL_GRANT_WRITE comes is never accepted. */
TEST(seal_grant_write_stops_pending_write_grants)
{
	struct rt_counters before = rt_counters_now();
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	struct rt_peer b;
	uint64_t rw, ro;

	rt_peer_start(&b, late_accept_grantee, NULL);
	rw = rt_grant_ok(fd, h, RT_RWM, b.pidfd);
	ro = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_GRANT_WRITE, NULL), 0);
	rt_send(b.sock, rw);
	rt_send(b.sock, ro);
	rt_peer_expect(&b, RT_MSG_DONE);
	ASSERT_PEER_OK(&b);
	/* The owner may still revoke the grant that was never accepted. */
	ASSERT_EQ(rt_revoke(fd, h, rw), 0);
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
}

/* SEAL_SEAL: the set is final; seals already there may be named again. */
TEST(seal_seal_is_final_and_seals_never_come_off)
{
	int fd = seal_ctx();
	uint32_t h = rt_region(fd, 4, ALL, RATMEM_CREATE_COMMIT);
	uint32_t now = 0;

	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_COMMIT, &now), 0);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_PROTECT, &now), 0);
	ASSERT_EQ(now, RATMEM_SEAL_COMMIT | RATMEM_SEAL_PROTECT);	/* added, not replaced */
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_SEAL, &now), 0);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_WRITE, NULL), -EPERM);
	ASSERT_EQ(seal(fd, h, RATMEM_SEAL_COMMIT | RATMEM_SEAL_SEAL, &now), 0);
	ASSERT_EQ(now, RATMEM_SEAL_COMMIT | RATMEM_SEAL_PROTECT | RATMEM_SEAL_SEAL);
	ASSERT_EQ(query_seals(fd, h), now);
	close(fd);
}

/* ---- the race: SEAL_WRITE against mmap(PROT_WRITE) -------------------- */

struct race {
	int fd;
	uint32_t h;
	atomic_int sealed;	/* the main thread's SEAL_WRITE returned 0 */
	atomic_int stop;
	atomic_long late;	/* writable mappings made after that */
};

static void *race_mapper(void *arg)
{
	struct race *r = arg;

	while (!atomic_load(&r->stop)) {
		int sealed = atomic_load(&r->sealed);
		unsigned char *p = rt_map(r->fd, r->h, 0, PG, RW);

		if (p == MAP_FAILED) {
			if (errno != EPERM)
				atomic_fetch_add(&r->late, 1000000);
			continue;
		}
		if (sealed)
			atomic_fetch_add(&r->late, 1);
		p[8]++;
		munmap(p, PG);
	}
	return NULL;
}

/*
 * 200 rounds of a thread mapping the region writable and writing to it
 * while the main thread seals it against writing: once SEAL_WRITE has
 * returned 0, no mmap may succeed and the contents never change.
 */
TEST_TIMEOUT(seal_write_race_with_mmap, 240)
{
	struct rt_counters before = rt_counters_now();
	int fd = seal_ctx();

	for (int round = 0; round < 200; round++) {
		struct race r = { .fd = fd };
		struct timespec tick = { .tv_nsec = 200000 };
		unsigned char *ro;
		uint64_t s0;
		pthread_t t;
		int ret;

		r.h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
		ASSERT_EQ(pthread_create(&t, NULL, race_mapper, &r), 0);
		while ((ret = seal(fd, r.h, RATMEM_SEAL_WRITE, NULL)) == -EBUSY)
			nanosleep(&tick, NULL);
		ASSERT_EQ(ret, 0);
		atomic_store(&r.sealed, 1);
		ro = rt_map_ok(fd, r.h, 0, PG, PROT_READ);
		s0 = sum(ro, PG);
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
		atomic_store(&r.stop, 1);
		ASSERT_EQ(pthread_join(t, NULL), 0);
		ASSERT_EQ(sum(ro, PG), s0);
		ASSERT_EQ(atomic_load(&r.late), 0);
		ASSERT_EQ(munmap(ro, PG), 0);
		ASSERT_EQ(rat_close_handle(fd, r.h), 0);
	}
	close(fd);
	rt_counters_expect(before, RT_C_ALL);
}
