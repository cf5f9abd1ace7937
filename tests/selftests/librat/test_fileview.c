// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: RatFileMapView(), views of files with the RatAPI's
 * protection rules: round trips through shared and private views,
 * W^X refused at creation and by RatMemProtect() across the view,
 * protection changes, a truncated file (SIGBUS), and every error.
 * Views need no module: these run wherever librat does.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"

static char g_path[64];

/* A file of @pages pages, page i filled with byte 'a' + i; its path in g_path. */
static void make_file(unsigned int pages)
{
	char buf[PG];
	int fd;

	snprintf(g_path, sizeof(g_path), "/tmp/rt-fileview-%d", (int)getpid());
	fd = open(g_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_TRUE(fd >= 0);
	for (unsigned int i = 0; i < pages; i++) {
		memset(buf, 'a' + i, sizeof(buf));
		ASSERT_EQ(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	}
	ASSERT_EQ(close(fd), 0);
}

static unsigned char file_byte(off_t off)
{
	unsigned char c = 0;
	int fd = open(g_path, O_RDONLY | O_CLOEXEC);

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(pread(fd, &c, 1, off), 1);
	close(fd);
	return c;
}

TEST(shared_view_writes_through_to_the_file)
{
	unsigned char *v;
	int fd;

	make_file(3);
	v = RatFileMapView(g_path, -1, PG, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE, RAT_MEM_SHARED);
	ASSERT_TRUE(v != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(v[0], 'b');
	ASSERT_EQ(v[PG], 'c');
	v[10] = 'X';
	ASSERT_EQ(file_byte(PG + 10), 'X');
	/* And the other way: a write(2) shows in the view. */
	fd = open(g_path, O_WRONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(pwrite(fd, "Y", 1, 2 * PG + 5), 1);
	close(fd);
	ASSERT_EQ(v[PG + 5], 'Y');
	ASSERT_EQ(RatMemRelease(v, 2 * PG), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRelease(v, 0), RAT_STATUS_NOT_FOUND);
	unlink(g_path);
}

TEST(private_view_is_copy_on_write)
{
	unsigned char *v;
	int fd;

	make_file(2);
	fd = open(g_path, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	/* Size 0: the rest of the file. Read-only descriptor: writes stay private. */
	v = RatFileMapView(NULL, fd, 0, 0, RAT_MEM_READ | RAT_MEM_WRITE, RAT_MEM_PRIVATE);
	ASSERT_TRUE(v != NULL);
	ASSERT_EQ(close(fd), 0);	/* the view does not need it */
	v[0] = 'Z';
	ASSERT_EQ(v[0], 'Z');
	ASSERT_EQ(file_byte(0), 'a');
	ASSERT_EQ(v[2 * PG - 1], 'b');
	ASSERT_EQ(RatMemRelease(v, 2 * PG), RAT_STATUS_OK);
	unlink(g_path);
}

TEST(write_and_execute_are_never_together)
{
	unsigned char *v;

	make_file(2);
	ASSERT_TRUE(RatFileMapView(g_path, -1, 0, 2 * PG, RAT_MEM_WRITE | RAT_MEM_EXECUTE,
				   RAT_MEM_PRIVATE) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_PERMISSION);
	v = RatFileMapView(g_path, -1, 0, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE, RAT_MEM_PRIVATE);
	ASSERT_TRUE(v != NULL);
	/* One page executable while the other is writable: refused. */
	ASSERT_EQ(RatMemProtect(v, PG, RAT_MEM_READ | RAT_MEM_EXECUTE), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemProtect(v, 1, RAT_MEM_WRITE | RAT_MEM_EXECUTE), RAT_STATUS_PERMISSION);
	/* Once nothing is writable, execute is allowed; then write is not. */
	ASSERT_EQ(RatMemProtect(v, 2 * PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(RatMemProtect(v + PG, PG, RAT_MEM_READ | RAT_MEM_EXECUTE), RAT_STATUS_OK);
	ASSERT_EQ(RatMemProtect(v, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemProtect(v + PG, PG, RAT_MEM_NONE), RAT_STATUS_OK);
	ASSERT_EQ(RatMemProtect(v, PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRelease(v, 0), RAT_STATUS_OK);
	unlink(g_path);
}

TEST(protection_changes_take_effect)
{
	unsigned char *v;

	make_file(2);
	v = RatFileMapView(g_path, -1, 0, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE, RAT_MEM_SHARED);
	ASSERT_TRUE(v != NULL);
	ASSERT_FAULTS(0, rt_write_byte, v);
	ASSERT_EQ(RatMemProtect(v + 100, 10, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, v);
	ASSERT_FAULTS(0, rt_write_byte, v + PG);	/* the other page is untouched */
	ASSERT_EQ(RatMemProtect(v, PG, RAT_MEM_NONE), RAT_STATUS_OK);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, v);
	/* A range running past the view's end. */
	ASSERT_EQ(RatMemProtect(v + PG, PG + 1, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	/* Views are not reservations: no commit, no HMEM. */
	ASSERT_EQ(RatMemCommit(v, PG, RAT_MEM_READ), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemDecommit(v, PG), RAT_STATUS_NOT_FOUND);
	ASSERT_TRUE(RatMemHandleOf(v) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRelease(v + PG, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(v, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(v, 2 * PG), RAT_STATUS_OK);
	unlink(g_path);
}

TEST(truncated_file_raises_sigbus)
{
	unsigned char *v;

	make_file(3);
	v = RatFileMapView(g_path, -1, 0, 3 * PG, RAT_MEM_READ, RAT_MEM_SHARED);
	ASSERT_TRUE(v != NULL);
	ASSERT_EQ(truncate(g_path, PG), 0);
	ASSERT_FAULTS(0, rt_read_byte, v);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, v + 2 * PG);
	ASSERT_EQ(RatMemRelease(v, 0), RAT_STATUS_OK);
	unlink(g_path);
}

TEST(every_error)
{
	int fd;

	make_file(1);
	ASSERT_TRUE(RatFileMapView("/nonexistent/rt-file", -1, 0, PG, RAT_MEM_READ,
				   RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_TRUE(RatFileMapView("/tmp", -1, 0, PG, RAT_MEM_READ, RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatFileMapView("/tmp", -1, 0, PG, RAT_MEM_READ | RAT_MEM_WRITE,
				   RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	fd = open(g_path, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	/* Both or neither of path and fd. */
	ASSERT_TRUE(RatFileMapView(g_path, fd, 0, PG, RAT_MEM_READ, RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatFileMapView(NULL, -1, 0, PG, RAT_MEM_READ, RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	/* A read-only descriptor cannot back a shared writable view. */
	ASSERT_TRUE(RatFileMapView(NULL, fd, 0, PG, RAT_MEM_READ | RAT_MEM_WRITE,
				   RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_PERMISSION);
	ASSERT_TRUE(RatFileMapView(NULL, fd, 100, PG, RAT_MEM_READ, RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	/* Size 0 at the end of the file: nothing to map. */
	ASSERT_TRUE(RatFileMapView(NULL, fd, PG, 0, RAT_MEM_READ, RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatFileMapView(NULL, fd, 0, PG, 0x40, RAT_MEM_SHARED) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatFileMapView(NULL, fd, 0, PG, RAT_MEM_READ, (RatMemMapType)5) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	close(fd);
	/* A pipe is not a file. */
	{
		int p[2];

		ASSERT_EQ(pipe(p), 0);
		ASSERT_TRUE(RatFileMapView(NULL, p[0], 0, PG, RAT_MEM_READ, RAT_MEM_SHARED) == NULL);
		ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
		close(p[0]);
		close(p[1]);
	}
	ASSERT_EQ(RatMemRelease(g_path, 0), RAT_STATUS_NOT_FOUND);	/* not a view */
	unlink(g_path);
}

TEST(execute_only_when_asked)
{
	unsigned char *v;
	char line[256];
	FILE *maps;
	int found = 0;

	make_file(1);
	v = RatFileMapView(g_path, -1, 0, PG, RAT_MEM_READ, RAT_MEM_PRIVATE);
	ASSERT_TRUE(v != NULL);
	maps = fopen("/proc/self/maps", "re");
	ASSERT_TRUE(maps != NULL);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo;

		if (sscanf(line, "%lx-", &lo) == 1 && lo == (unsigned long)v) {
			found = 1;
			ASSERT_TRUE(strncmp(strchr(line, ' ') + 1, "r--p", 4) == 0);
		}
	}
	fclose(maps);
	ASSERT_TRUE(found);
	ASSERT_EQ(RatMemRelease(v, 0), RAT_STATUS_OK);
	unlink(g_path);
}
