// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's sharing calls, across processes made with fork().
 * Named regions (RatSharedMemCreateEx/OpenEx/CloseEx/UnlinkEx), capabilities in
 * their printable form (RatMemShare/SharePidfd/Accept/Revoke,
 * RatCapFormat/Parse), revocation (SIGBUS in the receiver's mapping,
 * RAT_STATUS_REVOKED from its calls), RatMemWait/Wake and RatMutex.
 *
 * Processes talk over pipes; each side keeps only its own ends, so a
 * child that dies on a failed assertion shows up as end of file in the
 * parent instead of a hang. A child inherits none of its parent's
 * ratmem state: it opens its own context on its first RatAPI call.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define NEEDED_FEATURES (RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_SHARING | \
			 RATMEM_FEATURE_NAMED | RATMEM_FEATURE_WAIT)
#define MS 1000000LL	/* nanoseconds */

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* ---- helpers -------------------------------------------------------- */

/* The module with every sharing feature, or a skip outside the test VM. */
static void need_sharing(void)
{
	RatApiInfo info;
	RatStatus st = RatQueryApi(&info);

	if (st == RAT_STATUS_NOT_FOUND && !getenv("RATMEM_BENCH"))
		SKIP("/dev/ratmem is missing");
	ASSERT_EQ(st, RAT_STATUS_OK);
	ASSERT_EQ(info.features & NEEDED_FEATURES, NEEDED_FEATURES);
}

/* A region name unique to this test process. */
static void make_name(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "ratshare-%s-%d", tag, (int)getpid());
}

static void assert_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			rt_fail(__FILE__, __LINE__, "byte %zu of %zu is 0x%02x, not 0", i, n, b[i]);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * seed + 7);
}

static void assert_filled(const unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * seed + 7))
			rt_fail(__FILE__, __LINE__, "byte %zu is 0x%02x, expected 0x%02x", i, p[i],
				(unsigned char)(i * seed + 7));
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Two pipes between a parent and one child. */
struct chan {
	int down[2];	/* parent -> child */
	int up[2];	/* child -> parent */
};

static void chan_open(struct chan *c)
{
	ASSERT_EQ(pipe2(c->down, O_CLOEXEC), 0);
	ASSERT_EQ(pipe2(c->up, O_CLOEXEC), 0);
}

static void xwrite(int fd, const void *buf, size_t n)
{
	ASSERT_EQ(write(fd, buf, n), (ssize_t)n);
}

static void xread(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			rt_fail(__FILE__, __LINE__, "read from the other process: %s",
				r ? strerror(errno) : "end of file (it died?)");
		got += (size_t)r;
	}
}

/* One-byte messages: send tok, or expect exactly tok. */
static void send_tok(int fd, char tok)
{
	xwrite(fd, &tok, 1);
}

static void expect_tok(int fd, char tok)
{
	char got;

	xread(fd, &got, 1);
	ASSERT_EQ(got, tok);
}

/* Fork a child running fn(c) with its ends of c; the parent keeps its own. */
static pid_t spawn(struct chan *c, void (*fn)(struct chan *c))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		close(c->down[1]);
		close(c->up[0]);
		fn(c);
		fflush(stdout);
		_exit(0);
	}
	close(c->down[0]);
	close(c->up[1]);
	return pid;
}

static void reap_ok(pid_t pid)
{
	int status;

	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "child %d failed (wait status 0x%x)", (int)pid, status);
}

static int pidfd_of(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	ASSERT_TRUE(fd >= 0);
	return fd;
}

/* State a forked child reads from its copy of the parent's memory. */
static char g_name[RATMEM_NAME_MAX], g_name2[RATMEM_NAME_MAX];
static struct chan g_sub;	/* a child's own channel to a grandchild */

/* Strings that are not the printable form of a capability. */
static const char *const bad_caps[] = {
	"",
	"MEM_SHARE:",
	"MEM_SHARE:0123456789abcde",		/* 15 digits */
	"MEM_SHARE:0123456789abcdef0",		/* 17 digits */
	"MEM_SHARE:0123456789ABCDEF",		/* upper case */
	"MEM_SHARE:0123456789abcdeg",
	"MEM_SHARE:0x23456789abcdef",
	"MEM_SHARE:+123456789abcdef",
	"MEM_SHARE: 123456789abcdef",
	"MEM_SHARE:0123456789abcdef\n",		/* as fgets() leaves it */
	"MEM_SHARE:0123456789abcdef ",
	"MEM_SHARE:0000000000000000",		/* id 0 is never issued */
	"MEM_SHARE:0123456789abcd\0ef",		/* ends early */
	"MEM_SHARE::123456789abcdef",
	" MEM_SHARE:0123456789abcdef",
	"mem_share:0123456789abcdef",
	"MEM_SHARE;0123456789abcdef",
	"MEM_SHARE0123456789abcdef0",
	"0123456789abcdef",
	"MEM_SHARE:-1",
};

#define N_BAD_CAPS (sizeof(bad_caps) / sizeof(bad_caps[0]))

/* ---- the printable form (no module needed) -------------------------- */

TEST(cap_format_and_strict_parse)
{
	char cap[RAT_CAP_STRLEN];
	uint64_t id;

	ASSERT_EQ(RatCapFormat(0x0123456789abcdefULL, cap), RAT_STATUS_OK);
	ASSERT_EQ(strcmp(cap, "MEM_SHARE:0123456789abcdef"), 0);
	ASSERT_EQ(RatCapFormat(1, cap), RAT_STATUS_OK);
	ASSERT_EQ(strcmp(cap, "MEM_SHARE:0000000000000001"), 0);
	ASSERT_EQ(RatCapFormat(UINT64_MAX, cap), RAT_STATUS_OK);
	ASSERT_EQ(strcmp(cap, "MEM_SHARE:ffffffffffffffff"), 0);
	ASSERT_EQ(strlen(cap), RAT_CAP_STRLEN - 1);

	ASSERT_EQ(RatCapParse("MEM_SHARE:0123456789abcdef", &id), RAT_STATUS_OK);
	ASSERT_TRUE(id == 0x0123456789abcdefULL);
	ASSERT_EQ(RatCapParse("MEM_SHARE:ffffffffffffffff", &id), RAT_STATUS_OK);
	ASSERT_TRUE(id == UINT64_MAX);
	ASSERT_EQ(RatCapParse("MEM_SHARE:0000000000000001", &id), RAT_STATUS_OK);
	ASSERT_TRUE(id == 1);
	for (uint64_t v = 1; v; v <<= 7) {
		ASSERT_EQ(RatCapFormat(v * 0x9e37, cap), RAT_STATUS_OK);
		ASSERT_EQ(RatCapParse(cap, &id), RAT_STATUS_OK);
		ASSERT_TRUE(id == v * 0x9e37);
	}

	for (size_t i = 0; i < N_BAD_CAPS; i++) {
		id = 77;
		if (RatCapParse(bad_caps[i], &id) != RAT_STATUS_INVALID_ARG)
			rt_fail(__FILE__, __LINE__, "RatCapParse(\"%s\") did not fail", bad_caps[i]);
		ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
		ASSERT_EQ(id, 77);
	}
	ASSERT_EQ(RatCapParse(NULL, &id), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatCapParse("MEM_SHARE:0123456789abcdef", NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatCapFormat(0, cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatCapFormat(1, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
}

/* ---- named regions -------------------------------------------------- */

static void child_opens_named(struct chan *c)
{
	unsigned char *p;
	HMEM mem;

	(void)c;
	mem = RatSharedMemOpenEx(g_name, RAT_MEM_READ | RAT_MEM_WRITE);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSize(mem), 3 * PG);
	ASSERT_EQ(RatMemAccess(mem), RAT_MEM_READ | RAT_MEM_WRITE);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	/* The creator's bytes, and zeros where it wrote nothing. */
	assert_filled(p, PG, 13);
	assert_zero(p + PG, 2 * PG);
	fill(p + PG, PG, 5);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);

	/* Read-only: the mapping is too. */
	mem = RatSharedMemOpenEx(g_name, RAT_MEM_READ);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemAccess(mem), RAT_MEM_READ);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	assert_filled(p + PG, PG, 5);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p + PG);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

TEST(named_region_data_both_ways)
{
	struct chan c;
	unsigned char *p, *q;
	HMEM mem, again;

	need_sharing();
	make_name(g_name, sizeof(g_name), "both");
	mem = RatSharedMemCreateEx(g_name, 2 * PG + 5, 0600);	/* 3 pages */
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSize(mem), 3 * PG);
	ASSERT_EQ(RatMemAccess(mem), RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_SHARE);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	assert_zero(p, 3 * PG);
	fill(p, PG, 13);

	/* The name is taken. */
	ASSERT_TRUE(RatSharedMemCreateEx(g_name, PG, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_EXISTS);

	chan_open(&c);
	reap_ok(spawn(&c, child_opens_named));
	assert_filled(p + PG, PG, 5);
	assert_zero(p + 2 * PG, PG);

	/* Unlink: the name goes, the creator's handle and mapping stay. */
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_TRUE(RatSharedMemOpenEx(g_name, RAT_MEM_READ) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_NOT_FOUND);
	assert_filled(p, PG, 13);
	p[0] = 1;

	/* The name can be used again: a new, zeroed region. */
	again = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(again != NULL);
	q = RatMapMemory(again);
	ASSERT_TRUE(q != NULL && q != p);
	assert_zero(q, PG);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(again), RAT_STATUS_OK);
	ASSERT_EQ(p[0], 1);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
}

TEST(named_argument_errors)
{
	char longest[RATMEM_NAME_MAX + 1];
	HMEM mem;

	need_sharing();
	make_name(g_name, sizeof(g_name), "args");
	ASSERT_TRUE(RatSharedMemCreateEx(NULL, PG, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemCreateEx(g_name, 0, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemCreateEx(g_name, PG, 01000) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemCreateEx("", PG, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemCreateEx(".hidden", PG, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemCreateEx("a/b", PG, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);

	/* RATMEM_NAME_MAX - 1 bytes is the longest name; one more fails. */
	memset(longest, 'x', sizeof(longest));
	memcpy(longest, g_name, strlen(g_name));
	longest[RATMEM_NAME_MAX] = '\0';
	ASSERT_TRUE(RatSharedMemCreateEx(longest, PG, 0600) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	longest[RATMEM_NAME_MAX - 1] = '\0';
	mem = RatSharedMemCreateEx(longest, PG, 0600);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatSharedMemUnlinkEx(longest, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);

	/* Access: READ is needed; no EXECUTE, no unknown bits. */
	mem = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(mem != NULL);
	ASSERT_TRUE(RatSharedMemOpenEx(g_name, 0) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemOpenEx(g_name, RAT_MEM_WRITE) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemOpenEx(g_name, RAT_MEM_READ | RAT_MEM_EXECUTE) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemOpenEx(g_name, RAT_MEM_READ | 0x100) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatSharedMemOpenEx(NULL, RAT_MEM_READ) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 2), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatSharedMemUnlinkEx(NULL, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatSharedMemCloseEx(NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemSize(NULL), 0);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemAccess(NULL), -1);
	/* None of that touched the name. */
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

/* C opens two names; one is unlinked without and one with revocation. */
static void child_outlives_unlink(struct chan *c)
{
	unsigned char *p1, *p2;
	uint32_t woken = 99;
	HMEM m1, m2;

	m1 = RatSharedMemOpenEx(g_name, RAT_MEM_READ | RAT_MEM_WRITE);
	m2 = RatSharedMemOpenEx(g_name2, RAT_MEM_READ | RAT_MEM_WRITE);
	ASSERT_TRUE(m1 && m2);
	p1 = RatMapMemory(m1);
	p2 = RatMapMemory(m2);
	ASSERT_TRUE(p1 && p2);
	ASSERT_EQ(p1[0], 1);
	ASSERT_EQ(p2[0], 1);
	send_tok(c->up[1], 'r');
	expect_tok(c->down[0], 'u');

	/* Plain unlink: the handle and mapping work on, both ways. */
	ASSERT_EQ(p1[0], 2);
	p1[1] = 3;
	ASSERT_EQ(RatMemWake(m1, 0, 1, &woken), RAT_STATUS_OK);
	ASSERT_EQ(woken, 0);
	/* Unlink with revocation: the mapping faults, the handle is dead. */
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p2);
	ASSERT_FAULTS(SIGBUS, rt_write_byte, p2 + 1);
	ASSERT_EQ(RatMemWake(m2, 0, 1, NULL), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatSharedMemCloseEx(m2), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(m1), RAT_STATUS_OK);
	send_tok(c->up[1], 'd');
}

TEST(unlink_keeps_or_revokes_openers)
{
	unsigned char *p1, *p2;
	struct chan c;
	HMEM m1, m2;
	pid_t pid;

	need_sharing();
	make_name(g_name, sizeof(g_name), "keep");
	make_name(g_name2, sizeof(g_name2), "cut");
	m1 = RatSharedMemCreateEx(g_name, PG, 0600);
	m2 = RatSharedMemCreateEx(g_name2, PG, 0600);
	ASSERT_TRUE(m1 && m2);
	p1 = RatMapMemory(m1);
	p2 = RatMapMemory(m2);
	ASSERT_TRUE(p1 && p2);
	p1[0] = 1;
	p2[0] = 1;
	chan_open(&c);
	pid = spawn(&c, child_outlives_unlink);
	expect_tok(c.up[0], 'r');
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name2, RAT_UNLINK_REVOKE), RAT_STATUS_OK);
	ASSERT_TRUE(RatSharedMemOpenEx(g_name2, RAT_MEM_READ) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	p1[0] = 2;
	p2[0] = 2;	/* the creator's own mapping is not revoked */
	send_tok(c.down[1], 'u');
	expect_tok(c.up[0], 'd');
	reap_ok(pid);
	ASSERT_EQ(p1[1], 3);
	ASSERT_EQ(p2[0], 2);
	ASSERT_EQ(RatMemWake(m2, 0, 1, NULL), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(m1), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(m2), RAT_STATUS_OK);
}

/* ---- capabilities across processes ---------------------------------- */

static void child_accepts_rw(struct chan *c)
{
	char cap[RAT_CAP_STRLEN], onward[RAT_CAP_STRLEN];
	unsigned char *p;
	HMEM mem;

	xread(c->down[0], cap, sizeof(cap));
	mem = RatMemAccept(cap);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSize(mem), 2 * PG);
	ASSERT_EQ(RatMemAccess(mem), RAT_MEM_READ | RAT_MEM_WRITE);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	assert_filled(p, 2 * PG, 11);
	fill(p + PG, PG, 3);
	/* A capability is accepted once. */
	ASSERT_TRUE(RatMemAccept(cap) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	/* Granted without RAT_MEM_SHARE: no sharing onward. */
	memset(onward, 'x', sizeof(onward));
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, getppid(), onward), RAT_STATUS_PERMISSION);
	ASSERT_EQ(onward[0], '\0');
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
	send_tok(c->up[1], 'd');
}

TEST(share_and_accept_across_processes)
{
	char cap[RAT_CAP_STRLEN];
	unsigned char *p;
	struct chan c;
	uint64_t id;
	HMEM mem;
	pid_t pid;

	need_sharing();
	/* Any HMEM can be shared, not only named regions. */
	mem = RatAllocMemory(2 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	fill(p, 2 * PG, 11);
	chan_open(&c);
	pid = spawn(&c, child_accepts_rw);

	memset(cap, 'x', sizeof(cap));
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ | RAT_MEM_WRITE, pid, cap), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(strlen(cap), RAT_CAP_STRLEN - 1);
	ASSERT_EQ(strncmp(cap, RAT_CAP_PREFIX, strlen(RAT_CAP_PREFIX)), 0);
	ASSERT_EQ(RatCapParse(cap, &id), RAT_STATUS_OK);
	/* Only the target process can accept it. */
	ASSERT_TRUE(RatMemAccept(cap) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);

	xwrite(c.down[1], cap, sizeof(cap));
	expect_tok(c.up[0], 'd');
	reap_ok(pid);
	assert_filled(p, PG, 11);
	assert_filled(p + PG, PG, 3);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* B, the grandchild: accepts from A what A accepted from the test. */
static void grandchild_accepts(struct chan *c)
{
	char cap[RAT_CAP_STRLEN];
	unsigned char *p;
	HMEM mem;

	xread(c->down[0], cap, sizeof(cap));
	mem = RatMemAccept(cap);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemAccess(mem), RAT_MEM_READ);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	assert_filled(p, PG, 17);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	send_tok(c->up[1], 'r');
	/* A's capability, and so B's below it, is revoked. */
	expect_tok(c->down[0], 'v');
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_EQ(RatMemWake(mem, 0, 1, NULL), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* A: accepts read + share, shares read-only onward to B. */
static void child_shares_onward(struct chan *c)
{
	char cap[RAT_CAP_STRLEN], onward[RAT_CAP_STRLEN];
	unsigned char *p;
	HMEM mem;
	pid_t b;

	xread(c->down[0], cap, sizeof(cap));
	mem = RatMemAccept(cap);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemAccess(mem), RAT_MEM_READ | RAT_MEM_SHARE);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	assert_filled(p, PG, 17);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);

	chan_open(&g_sub);
	b = spawn(&g_sub, grandchild_accepts);
	/* Rights only shrink: no WRITE to give. */
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ | RAT_MEM_WRITE, b, onward), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, b, onward), RAT_STATUS_OK);
	xwrite(g_sub.down[1], onward, sizeof(onward));
	expect_tok(g_sub.up[0], 'r');
	send_tok(c->up[1], 'r');

	expect_tok(c->down[0], 'v');
	send_tok(g_sub.down[1], 'v');
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	/* Revoked below it: A cannot take B's capability back any more. */
	ASSERT_EQ(RatMemRevoke(mem, onward), RAT_STATUS_REVOKED);
	reap_ok(b);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
	send_tok(c->up[1], 'd');
}

TEST(share_onward_and_revoke_the_chain)
{
	char cap[RAT_CAP_STRLEN];
	unsigned char *p;
	struct chan c;
	int pidfd;
	HMEM mem;
	pid_t a;

	need_sharing();
	make_name(g_name, sizeof(g_name), "chain");
	mem = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	fill(p, PG, 17);
	chan_open(&c);
	a = spawn(&c, child_shares_onward);
	pidfd = pidfd_of(a);
	ASSERT_EQ(RatMemSharePidfd(mem, RAT_MEM_READ | RAT_MEM_SHARE, pidfd, cap), RAT_STATUS_OK);
	close(pidfd);
	xwrite(c.down[1], cap, sizeof(cap));
	expect_tok(c.up[0], 'r');
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_NOT_FOUND);
	send_tok(c.down[1], 'v');
	expect_tok(c.up[0], 'd');
	reap_ok(a);
	/* The owner's memory is untouched. */
	assert_filled(p, PG, 17);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

static void child_exits_at_once(struct chan *c)
{
	(void)c;
}

TEST(share_argument_and_target_errors)
{
	char cap[RAT_CAP_STRLEN];
	struct chan c;
	int pidfd, fds[2];
	HMEM mem;
	pid_t pid;

	need_sharing();
	mem = RatAllocMemory(PG);
	ASSERT_TRUE(mem != NULL);
	memset(cap, 'x', sizeof(cap));
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_WRITE, getpid(), cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(cap[0], '\0');
	ASSERT_EQ(RatMemShare(mem, 0, getpid(), cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ | RAT_MEM_EXECUTE, getpid(), cap),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ | 0x40, getpid(), cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, 0, cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, -1, cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(NULL, RAT_MEM_READ, getpid(), cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, getpid(), NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemSharePidfd(mem, RAT_MEM_READ, -1, cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemSharePidfd(mem, RAT_MEM_READ, 0, NULL), RAT_STATUS_INVALID_ARG);
	/* A descriptor that is not a pidfd (EINVAL), one that is not open (EBADF). */
	ASSERT_EQ(pipe(fds), 0);
	ASSERT_EQ(RatMemSharePidfd(mem, RAT_MEM_READ, fds[0], cap), RAT_STATUS_INVALID_ARG);
	close(fds[0]);
	close(fds[1]);
	ASSERT_EQ(RatMemSharePidfd(mem, RAT_MEM_READ, fds[0], cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(cap[0], '\0');

	/* A process that has exited, by pid and by a pidfd taken before. */
	chan_open(&c);
	pid = spawn(&c, child_exits_at_once);
	pidfd = pidfd_of(pid);
	reap_ok(pid);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, pid, cap), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemSharePidfd(mem, RAT_MEM_READ, pidfd, cap), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	close(pidfd);
	close(c.down[1]);
	close(c.up[0]);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(accept_and_revoke_reject_malformed_strings)
{
	struct rt_counters before;
	HMEM mem;

	need_sharing();
	mem = RatAllocMemory(PG);
	ASSERT_TRUE(mem != NULL);
	before = rt_counters_now();
	for (size_t i = 0; i < N_BAD_CAPS; i++) {
		if (RatMemAccept(bad_caps[i]) != NULL)
			rt_fail(__FILE__, __LINE__, "RatMemAccept(\"%s\") succeeded", bad_caps[i]);
		ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
		ASSERT_EQ(RatMemRevoke(mem, bad_caps[i]), RAT_STATUS_INVALID_ARG);
	}
	ASSERT_TRUE(RatMemAccept(NULL) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRevoke(mem, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRevoke(NULL, "MEM_SHARE:0123456789abcdef"), RAT_STATUS_INVALID_ARG);
	/* Well formed, but no such capability. */
	ASSERT_TRUE(RatMemAccept("MEM_SHARE:0123456789abcdef") == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRevoke(mem, "MEM_SHARE:0123456789abcdef"), RAT_STATUS_NOT_FOUND);
	rt_counters_expect(before, RT_C_SHARING | RT_C_NAMES);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* ---- revocation ----------------------------------------------------- */

#define MUTEX_OFF	64
#define WORD_OFF	128

static void child_is_revoked(struct chan *c)
{
	char cap[RAT_CAP_STRLEN], onward[RAT_CAP_STRLEN];
	unsigned char *p;
	RatMutex *m;
	uint32_t woken = 99;
	HMEM mem;

	xread(c->down[0], cap, sizeof(cap));
	mem = RatMemAccept(cap);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	m = (RatMutex *)(void *)(p + MUTEX_OFF);
	ASSERT_EQ(p[0], 42);
	p[1] = 43;
	/* Everything works before the revocation. */
	ASSERT_EQ(RatMutexLock(mem, m), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, m), RAT_STATUS_OK);
	ASSERT_EQ(RatMemWake(mem, WORD_OFF, 1, &woken), RAT_STATUS_OK);
	ASSERT_EQ(woken, 0);
	send_tok(c->up[1], 'r');
	expect_tok(c->down[0], 'v');

	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_FAULTS(SIGBUS, rt_write_byte, p + PG);
	/* The mutex asks the kernel before it touches the word. */
	ASSERT_EQ(RatMutexLock(mem, m), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMutexTryLock(mem, m), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMutexTimedLock(mem, m, 0), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMutexUnlock(mem, m), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMutexInit(mem, m), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMemWake(mem, WORD_OFF, 1, NULL), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMemWait(mem, WORD_OFF, 0, 0), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, getppid(), onward), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_REVOKED);
	/* Closing still works. */
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
	send_tok(c->up[1], 'd');
}

TEST(revoke_faults_the_receiver_and_fails_its_calls)
{
	char cap[RAT_CAP_STRLEN];
	unsigned char *p;
	RatMutex *m;
	struct chan c;
	HMEM mem;
	pid_t pid;

	need_sharing();
	mem = RatAllocMemory(2 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	m = (RatMutex *)(void *)(p + MUTEX_OFF);
	ASSERT_EQ(RatMutexInit(mem, m), RAT_STATUS_OK);
	p[0] = 42;
	chan_open(&c);
	pid = spawn(&c, child_is_revoked);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_SHARE, pid, cap),
		  RAT_STATUS_OK);
	xwrite(c.down[1], cap, sizeof(cap));
	expect_tok(c.up[0], 'r');
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_NOT_FOUND);
	send_tok(c.down[1], 'v');
	expect_tok(c.up[0], 'd');
	reap_ok(pid);
	/* The owner keeps its memory, its mutex and its calls. */
	ASSERT_EQ(p[0], 42);
	ASSERT_EQ(p[1], 43);
	ASSERT_EQ(RatMutexTryLock(mem, m), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, m), RAT_STATUS_OK);
	ASSERT_EQ(RatMemWake(mem, WORD_OFF, 1, NULL), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

static void child_waits_until_revoked(struct chan *c)
{
	char cap[RAT_CAP_STRLEN];
	HMEM mem;

	xread(c->down[0], cap, sizeof(cap));
	mem = RatMemAccept(cap);
	ASSERT_TRUE(mem != NULL);
	send_tok(c->up[1], 'r');
	/* Queued before or after the revocation, the wait ends the same. */
	ASSERT_EQ(RatMemWait(mem, WORD_OFF, 0, RAT_WAIT_FOREVER), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(revoke_ends_a_sleeping_wait)
{
	char cap[RAT_CAP_STRLEN];
	struct chan c;
	HMEM mem;
	pid_t pid;

	need_sharing();
	mem = RatAllocMemory(PG);
	ASSERT_TRUE(mem != NULL);
	chan_open(&c);
	pid = spawn(&c, child_waits_until_revoked);
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ, pid, cap), RAT_STATUS_OK);
	xwrite(c.down[1], cap, sizeof(cap));
	expect_tok(c.up[0], 'r');
	sleep_ms(100);		/* most likely asleep by now */
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_OK);
	reap_ok(pid);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(revoke_within_one_process)
{
	char cap[RAT_CAP_STRLEN];
	unsigned char *p, *q;
	HMEM mem, mine;

	need_sharing();
	mem = RatAllocMemory(PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	/* A process may grant to itself: a second handle and mapping. */
	ASSERT_EQ(RatMemShare(mem, RAT_MEM_READ | RAT_MEM_WRITE, getpid(), cap), RAT_STATUS_OK);
	mine = RatMemAccept(cap);
	ASSERT_TRUE(mine != NULL);
	q = RatMapMemory(mine);
	ASSERT_TRUE(q != NULL && q != p);
	p[5] = 9;
	ASSERT_EQ(q[5], 9);
	q[6] = 10;
	ASSERT_EQ(p[6], 10);
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, q);
	ASSERT_EQ(RatMutexLock(mine, (RatMutex *)(void *)q), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatMemWake(mine, 0, 1, NULL), RAT_STATUS_REVOKED);
	ASSERT_EQ(p[5], 9);
	ASSERT_EQ(RatMutexLock(mem, (RatMutex *)(void *)p), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, (RatMutex *)(void *)p), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mine), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* ---- wait and wake -------------------------------------------------- */

TEST(wait_checks_timeouts_and_errors)
{
	uint32_t woken = 99, *w;
	int64_t t0, elapsed;
	HMEM mem;

	need_sharing();
	mem = RatAllocMemory(PG);
	ASSERT_TRUE(mem != NULL);
	w = RatMapMemory(mem);
	ASSERT_TRUE(w != NULL);
	ASSERT_EQ(RatMemWait(mem, 0, 1, 0), RAT_STATUS_AGAIN);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_AGAIN);
	ASSERT_EQ(RatMemWait(mem, 0, 1, RAT_WAIT_FOREVER), RAT_STATUS_AGAIN);
	ASSERT_EQ(RatMemWait(mem, 0, 0, 0), RAT_STATUS_TIMEOUT);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_TIMEOUT);
	t0 = now_ns();
	ASSERT_EQ(RatMemWait(mem, 0, 0, 30 * MS), RAT_STATUS_TIMEOUT);
	elapsed = now_ns() - t0;
	ASSERT_TRUE(elapsed >= 30 * MS);
	/* The kernel reads what the mapping wrote. */
	w[1] = 7;
	ASSERT_EQ(RatMemWait(mem, 4, 7, 0), RAT_STATUS_TIMEOUT);
	ASSERT_EQ(RatMemWait(mem, 4, 0, 0), RAT_STATUS_AGAIN);
	/* Offsets: a multiple of 4 inside the region; timeouts >= -1. */
	ASSERT_EQ(RatMemWait(mem, 2, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWait(mem, PG, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWait(mem, 0, 0, -2), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWait(NULL, 0, 0, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWake(mem, 0, 1, &woken), RAT_STATUS_OK);
	ASSERT_EQ(woken, 0);
	woken = 99;
	ASSERT_EQ(RatMemWake(mem, 0, RAT_WAKE_ALL, &woken), RAT_STATUS_OK);
	ASSERT_EQ(woken, 0);
	ASSERT_EQ(RatMemWake(mem, 0, 0, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWake(mem, 2, 1, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWake(mem, PG, 1, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemWake(NULL, 0, 1, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

#define WAKE_OFF	8
#define OTHER_OFF	12

static void child_waits_for_wake(struct chan *c)
{
	HMEM mem = RatSharedMemOpenEx(g_name, RAT_MEM_READ);

	ASSERT_TRUE(mem != NULL);
	send_tok(c->up[1], 'r');
	ASSERT_EQ(RatMemWait(mem, WAKE_OFF, 0, RAT_WAIT_FOREVER), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

/* Wake at off until total waiters were woken (they queue when they will). */
static void wake_until(HMEM mem, uint64_t off, uint32_t count, uint32_t total)
{
	uint32_t done = 0, woken, other;

	for (int tries = 0; done < total && tries < 10000; tries++) {
		/* Another word's waiters are other waiters. */
		ASSERT_EQ(RatMemWake(mem, OTHER_OFF, RAT_WAKE_ALL, &other), RAT_STATUS_OK);
		ASSERT_EQ(other, 0);
		ASSERT_EQ(RatMemWake(mem, off, count, &woken), RAT_STATUS_OK);
		ASSERT_TRUE(woken <= count);
		done += woken;
		if (done < total)
			sleep_ms(1);
	}
	ASSERT_EQ(done, total);
}

TEST_TIMEOUT(wake_reaches_other_processes, 60)
{
	struct chan c1, c2;
	uint32_t woken = 99;
	HMEM mem;
	pid_t a, b;

	need_sharing();
	make_name(g_name, sizeof(g_name), "wake");
	mem = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(mem != NULL);

	/* One waiter, woken with a count of 1. */
	chan_open(&c1);
	a = spawn(&c1, child_waits_for_wake);
	expect_tok(c1.up[0], 'r');
	wake_until(mem, WAKE_OFF, 1, 1);
	reap_ok(a);
	ASSERT_EQ(RatMemWake(mem, WAKE_OFF, 1, &woken), RAT_STATUS_OK);
	ASSERT_EQ(woken, 0);

	/* Two waiters, all woken. */
	chan_open(&c1);
	chan_open(&c2);
	a = spawn(&c1, child_waits_for_wake);
	b = spawn(&c2, child_waits_for_wake);
	expect_tok(c1.up[0], 'r');
	expect_tok(c2.up[0], 'r');
	wake_until(mem, WAKE_OFF, RAT_WAKE_ALL, 2);
	reap_ok(a);
	reap_ok(b);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void child_wait_is_interrupted(struct chan *c)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	sigset_t blocked;
	HMEM mem;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	mem = RatAllocMemory(PG);
	ASSERT_TRUE(mem != NULL);
	send_tok(c->up[1], 'r');
	ASSERT_EQ(RatMemWait(mem, 0, 0, RAT_WAIT_FOREVER), RAT_STATUS_INTERRUPTED);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INTERRUPTED);
	/* The parent keeps signalling until this process exits. */
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	ASSERT_EQ(sigprocmask(SIG_BLOCK, &blocked, NULL), 0);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(signal_interrupts_a_wait)
{
	struct chan c;
	int status, tries;
	pid_t pid, got = 0;

	need_sharing();
	chan_open(&c);
	pid = spawn(&c, child_wait_is_interrupted);
	expect_tok(c.up[0], 'r');
	/* Signal until the wait returns: one may land before it sleeps. */
	for (tries = 0; tries < 2000 && got == 0; tries++) {
		ASSERT_EQ(kill(pid, SIGUSR1), 0);
		sleep_ms(10);
		got = waitpid(pid, &status, WNOHANG);
	}
	ASSERT_EQ(got, pid);
	ASSERT_EQ(status, 0);
}

/* ---- RatMutex ------------------------------------------------------- */

#define ROUNDS 20000

struct shared_counter {
	RatMutex lock;
	uint32_t inside;	/* 1 while someone is in the critical section */
	uint64_t count;
	uint32_t overlaps;	/* times the critical section was found occupied */
	uint32_t released;	/* set by a holder just before it unlocks */
};

static void count_rounds(HMEM mem, struct shared_counter *s)
{
	for (int i = 0; i < ROUNDS; i++) {
		RatStatus st = RatMutexLock(mem, &s->lock);

		if (st != RAT_STATUS_OK)
			rt_fail(__FILE__, __LINE__, "round %d: RatMutexLock: %s", i,
				RatStatusString(st));
		if (*(volatile uint32_t *)&s->inside)
			s->overlaps++;
		*(volatile uint32_t *)&s->inside = 1;
		/* A read-modify-write that a lost exclusion would lose. */
		*(volatile uint64_t *)&s->count = *(volatile uint64_t *)&s->count + 1;
		if ((i & 63) == 0)
			sched_yield();	/* let the other side find it held */
		*(volatile uint32_t *)&s->inside = 0;
		st = RatMutexUnlock(mem, &s->lock);
		if (st != RAT_STATUS_OK)
			rt_fail(__FILE__, __LINE__, "round %d: RatMutexUnlock: %s", i,
				RatStatusString(st));
	}
}

static void child_counts(struct chan *c)
{
	struct shared_counter *s;
	HMEM mem = RatSharedMemOpenEx(g_name, RAT_MEM_READ | RAT_MEM_WRITE);

	ASSERT_TRUE(mem != NULL);
	s = RatMapMemory(mem);
	ASSERT_TRUE(s != NULL);
	send_tok(c->up[1], 'r');
	expect_tok(c->down[0], 'g');
	count_rounds(mem, s);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

TEST_TIMEOUT(mutex_two_processes_exact_count, 300)
{
	struct shared_counter *s;
	struct chan c;
	HMEM mem;
	pid_t pid;

	need_sharing();
	make_name(g_name, sizeof(g_name), "count");
	mem = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(mem != NULL);
	s = RatMapMemory(mem);
	ASSERT_TRUE(s != NULL);
	ASSERT_EQ(RatMutexInit(mem, &s->lock), RAT_STATUS_OK);
	/* The creator's handle and the child's opened one meet at one word. */
	chan_open(&c);
	pid = spawn(&c, child_counts);
	expect_tok(c.up[0], 'r');
	send_tok(c.down[1], 'g');
	count_rounds(mem, s);
	reap_ok(pid);
	ASSERT_EQ(s->count, 2 * ROUNDS);
	ASSERT_EQ(s->overlaps, 0);
	/* Left unlocked. */
	ASSERT_EQ(RatMutexTryLock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

static void child_blocks_on_mutex(struct chan *c)
{
	struct shared_counter *s;
	int64_t t0;
	HMEM mem = RatSharedMemOpenEx(g_name, RAT_MEM_READ | RAT_MEM_WRITE);

	ASSERT_TRUE(mem != NULL);
	s = RatMapMemory(mem);
	ASSERT_TRUE(s != NULL);
	ASSERT_EQ(RatMutexTryLock(mem, &s->lock), RAT_STATUS_BUSY);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_BUSY);
	t0 = now_ns();
	ASSERT_EQ(RatMutexTimedLock(mem, &s->lock, 20 * MS), RAT_STATUS_TIMEOUT);
	ASSERT_TRUE(now_ns() - t0 >= 20 * MS);
	send_tok(c->up[1], 'w');
	/* Sleeps until the parent unlocks. */
	ASSERT_EQ(RatMutexTimedLock(mem, &s->lock, 20000 * MS), RAT_STATUS_OK);
	ASSERT_EQ(*(volatile uint32_t *)&s->released, 1);
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

TEST(mutex_try_timed_and_errors)
{
	struct shared_counter *s;
	unsigned char *p, *rp;
	RatMutex on_stack = RAT_MUTEX_INITIALIZER;
	int64_t t0;
	struct chan c;
	HMEM mem, unmapped, ro;
	pid_t pid;

	need_sharing();
	make_name(g_name, sizeof(g_name), "mutex");
	mem = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	s = (struct shared_counter *)(void *)p;
	ASSERT_EQ(RatMutexInit(mem, &s->lock), RAT_STATUS_OK);

	ASSERT_EQ(RatMutexTryLock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexTryLock(mem, &s->lock), RAT_STATUS_BUSY);
	ASSERT_EQ(RatMutexTimedLock(mem, &s->lock, 0), RAT_STATUS_TIMEOUT);
	t0 = now_ns();
	ASSERT_EQ(RatMutexTimedLock(mem, &s->lock, 20 * MS), RAT_STATUS_TIMEOUT);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_TIMEOUT);
	ASSERT_TRUE(now_ns() - t0 >= 20 * MS);
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);
	/* Not locked: nothing to unlock. */
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexTimedLock(mem, &s->lock, 20 * MS), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexLock(mem, &s->lock), RAT_STATUS_OK);

	/* Another process: busy, a timed wait that expires, then a sleep
	 * that ends when this process unlocks. */
	chan_open(&c);
	pid = spawn(&c, child_blocks_on_mutex);
	expect_tok(c.up[0], 'w');
	sleep_ms(50);
	*(volatile uint32_t *)&s->released = 1;
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);
	reap_ok(pid);
	ASSERT_EQ(RatMutexTryLock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);

	/* Where the mutex may not be. */
	ASSERT_EQ(RatMutexLock(NULL, &s->lock), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexLock(mem, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexLock(mem, (RatMutex *)(void *)(p + 2)), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexLock(mem, (RatMutex *)(void *)(p + PG)), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexLock(mem, &on_stack), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexInit(mem, &on_stack), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMutexTimedLock(mem, &s->lock, -2), RAT_STATUS_INVALID_ARG);
	unmapped = RatAllocMemory(PG);
	ASSERT_TRUE(unmapped != NULL);
	ASSERT_EQ(RatMutexLock(unmapped, &s->lock), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatFreeMemory(unmapped), RAT_STATUS_OK);
	/* A read-only mapping cannot hold a lock. */
	ro = RatSharedMemOpenEx(g_name, RAT_MEM_READ);
	ASSERT_TRUE(ro != NULL);
	rp = RatMapMemory(ro);
	ASSERT_TRUE(rp != NULL);
	ASSERT_EQ(RatMutexLock(ro, (RatMutex *)(void *)rp), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatSharedMemCloseEx(ro), RAT_STATUS_OK);
	/* None of that changed the mutex. */
	ASSERT_EQ(RatMutexTryLock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(mem, &s->lock), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(mem), RAT_STATUS_OK);
}

/* ---- fork and counters ---------------------------------------------- */

static HMEM g_parent_mem;
static unsigned char *g_parent_ptr;

static void child_uses_parents_hmem(struct chan *c)
{
	char cap[RAT_CAP_STRLEN];

	(void)c;
	/* The copy of the parent's HMEM names a handle of the parent's context. */
	ASSERT_EQ(RatMemShare(g_parent_mem, RAT_MEM_READ, getppid(), cap), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemWake(g_parent_mem, 0, 1, NULL), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemWait(g_parent_mem, 0, 0, 0), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMutexLock(g_parent_mem, (RatMutex *)(void *)g_parent_ptr),
		  RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRevoke(g_parent_mem, "MEM_SHARE:0123456789abcdef"), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatSharedMemCloseEx(g_parent_mem), RAT_STATUS_OK);
}

TEST(forked_child_cannot_use_parents_hmem)
{
	struct chan c;

	need_sharing();
	make_name(g_name, sizeof(g_name), "fork");
	g_parent_mem = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(g_parent_mem != NULL);
	g_parent_ptr = RatMapMemory(g_parent_mem);
	ASSERT_TRUE(g_parent_ptr != NULL);
	ASSERT_EQ(RatMutexInit(g_parent_mem, (RatMutex *)(void *)g_parent_ptr), RAT_STATUS_OK);
	chan_open(&c);
	reap_ok(spawn(&c, child_uses_parents_hmem));
	ASSERT_EQ(RatMutexTryLock(g_parent_mem, (RatMutex *)(void *)g_parent_ptr), RAT_STATUS_OK);
	ASSERT_EQ(RatMutexUnlock(g_parent_mem, (RatMutex *)(void *)g_parent_ptr), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(g_parent_mem), RAT_STATUS_OK);
}

TEST(counters_return_after_sharing)
{
	char cap[RAT_CAP_STRLEN];
	struct rt_counters base, during;
	unsigned char *p, *q;
	HMEM named, mine;

	need_sharing();
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	base = rt_counters_now();
	make_name(g_name, sizeof(g_name), "counts");
	named = RatSharedMemCreateEx(g_name, PG, 0600);
	ASSERT_TRUE(named != NULL);
	p = RatMapMemory(named);
	ASSERT_TRUE(p != NULL);
	p[0] = 1;
	ASSERT_EQ(RatMemShare(named, RAT_MEM_READ, getpid(), cap), RAT_STATUS_OK);
	mine = RatMemAccept(cap);
	ASSERT_TRUE(mine != NULL);
	q = RatMapMemory(mine);
	ASSERT_TRUE(q != NULL);
	ASSERT_EQ(q[0], 1);
	during = rt_counters_now();
	ASSERT_EQ(during.regions, base.regions + 1);
	ASSERT_EQ(during.handles, base.handles + 2);
	ASSERT_EQ(during.mappings, base.mappings + 2);
	ASSERT_EQ(during.pages, base.pages + 1);
	ASSERT_EQ(during.grants, base.grants + 1);
	ASSERT_EQ(during.names, base.names + 1);

	ASSERT_EQ(RatSharedMemUnlinkEx(g_name, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mine), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(named), RAT_STATUS_OK);
	/* The grant lives with the granting context. */
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	rt_counters_expect(base, RT_C_SHARING | RT_C_NAMES);
}
