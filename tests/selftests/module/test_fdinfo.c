// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: /proc/PID/fdinfo/N of a /dev/ratmem descriptor lists the
 * context and every handle, with its region, rights, resident bytes and
 * capability kind.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define RW (PROT_READ | PROT_WRITE)
#define ALL RATMEM_RIGHTS_ALL

static char *fdinfo(pid_t pid, int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	return rt_read_file(path);
}

static void expect_line(const char *text, const char *line)
{
	if (!strstr(text, line))
		rt_fail(__FILE__, __LINE__, "fdinfo has no line \"%s\":\n%s", line, text);
}

TEST(fdinfo_lists_context_and_handles)
{
	int fd = rt_open_ctx();
	int self = rt_pidfd_open(getpid());
	uint32_t h = rt_region(fd, 8, ALL, RATMEM_CREATE_COMMIT);
	uint32_t ro = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	uint64_t rid = rt_region_id(fd, h), cap;
	unsigned char *p = rt_map_ok(fd, h, 0, 8 * PG, RW);
	uint32_t got;
	char want[160], *text;

	memset(p, 1, 3 * PG);
	cap = rt_grant_ok(fd, h, RT_RWM, self);
	got = rt_accept_ok(fd, cap, RT_RWM);
	text = fdinfo(getpid(), fd);
	snprintf(want, sizeof(want), "ratmem-owner-pid:\t%d\n", (int)getpid());
	expect_line(text, want);
	expect_line(text, "ratmem-handles:\t3\n");
	snprintf(want, sizeof(want),
		 "ratmem-handle:\t%u region=%llu size=%llu resident=%llu rights=rwxmg cap=owner\n", h,
		 (unsigned long long)rid, 8ULL * PG, 3ULL * PG);
	expect_line(text, want);
	snprintf(want, sizeof(want),
		 "ratmem-handle:\t%u region=%llu size=%llu resident=%llu rights=r--m- cap=owner\n", ro,
		 (unsigned long long)rid, 8ULL * PG, 3ULL * PG);
	expect_line(text, want);
	snprintf(want, sizeof(want),
		 "ratmem-handle:\t%u region=%llu size=%llu resident=%llu rights=rw-m- cap=grant\n", got,
		 (unsigned long long)rid, 8ULL * PG, 3ULL * PG);
	expect_line(text, want);
	free(text);
	/* A revoked handle says so; a closed one is gone. */
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	ASSERT_EQ(rat_close_handle(fd, ro), 0);
	text = fdinfo(getpid(), fd);
	expect_line(text, "ratmem-handles:\t2\n");
	snprintf(want, sizeof(want), "ratmem-handle:\t%u region=%llu size=%llu resident=%llu rights=rw-m- cap=grant revoked\n",
		 got, (unsigned long long)rid, 8ULL * PG, 3ULL * PG);
	expect_line(text, want);
	snprintf(want, sizeof(want), "ratmem-handle:\t%u ", ro);
	ASSERT_TRUE(strstr(text, want) == NULL);
	free(text);
	ASSERT_EQ(munmap(p, 8 * PG), 0);
	ASSERT_EQ(close(self), 0);
	ASSERT_EQ(close(fd), 0);
}

/* An empty context: no handle lines. */
TEST(fdinfo_of_an_empty_context)
{
	int fd = rt_open_ctx();
	char *text = fdinfo(getpid(), fd);

	expect_line(text, "ratmem-handles:\t0\n");
	ASSERT_TRUE(strstr(text, "ratmem-handle:\t") == NULL);
	ASSERT_TRUE(strstr(text, "ratmem-context:\t") != NULL);
	free(text);
	ASSERT_EQ(close(fd), 0);
}
