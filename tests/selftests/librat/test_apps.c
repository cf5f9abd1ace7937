// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: unmodified Debian programs on the ratmem heap through
 * librat-malloc.so (LD_PRELOAD). The bench packs the programs, their
 * shared libraries, Python's standard library and the shim into the
 * guest under /apps for the 6.12 boot only; elsewhere these tests skip,
 * saying so.
 *
 * Each program runs twice on the same input, with and without the shim
 * (strict: RAT_MALLOC_FALLBACK=0, so a heap that is not ratmem's fails
 * instead of falling back), and the outputs must be byte for byte the
 * same. The module's own counters show that the heap was ratmem memory,
 * and a committed-bytes quota reached in the middle of a workload must
 * give the program a clean ENOMEM (Python's MemoryError).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../apps/workloads.h"
#include "agent.h"
#include "harness.h"
#include "rat.h"
#include "util.h"

#define SHIM	APPS_SHIM
#define WORK	"/tmp/apps"

static void need_apps(void)
{
	rt_need_ratapi_memory();
	if (access(SHIM, R_OK))
		SKIP("no %s: the bench packs the programs for the 6.12 boot only", SHIM);
}

/*
 * Run argv with stdin from in (or /dev/null) and stdout to out; with
 * the shim when shim is set. Returns the wait status.
 */
static int run(const char *const argv[], const char *in, const char *out, int shim)
{
	char *env[] = { "PATH=" APPS "/bin:/bin", "HOME=/tmp", "LC_ALL=C",
			"PYTHONHASHSEED=0", "RAT_MALLOC_FALLBACK=0",
			shim ? "LD_PRELOAD=" SHIM : NULL, NULL };
	int status;
	pid_t pid = fork();

	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		int i = open(in ? in : "/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (i < 0 || o < 0 || dup2(i, 0) < 0 || dup2(o, 1) < 0)
			_exit(126);
		execve(argv[0], (char *const *)argv, env);
		_exit(127);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ASSERT_TRUE(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ASSERT_TRUE(buf != NULL);
	ASSERT_EQ(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Run argv both ways; both must exit 0 with the same, non-empty output. */
static void same_output(const char *name, const char *const argv[], const char *in)
{
	char plain[128], shim[128];
	size_t a, b;
	char *x, *y;
	int st;

	mkdir(WORK, 0755);
	snprintf(plain, sizeof(plain), WORK "/%s.glibc", name);
	snprintf(shim, sizeof(shim), WORK "/%s.ratmem", name);
	st = run(argv, in, plain, 0);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run(argv, in, shim, 1);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		rt_fail(__FILE__, __LINE__, "%s under librat-malloc.so: %s %d", name,
			WIFEXITED(st) ? "exit" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	x = slurp(plain, &a);
	y = slurp(shim, &b);
	ASSERT_TRUE(a > 0);
	ASSERT_EQ(a, b);
	ASSERT_TRUE(memcmp(x, y, a) == 0);
	rt_diag("%s: %zu bytes of output, the same both ways", name, a);
	free(x);
	free(y);
}

/* A text file of n numbered lines, as input for the compressors. */
static const char *numbers(size_t n)
{
	static const char path[] = WORK "/numbers.txt";

	mkdir(WORK, 0755);
	ASSERT_EQ(apps_write_numbers(path, n), 0);
	return path;
}

TEST_TIMEOUT(sqlite3_same_output, 240)
{
	static const char path[] = WORK "/work.sql";
	const char *const argv[] = { APPS "/bin/sqlite3", ":memory:", NULL };

	need_apps();
	mkdir(WORK, 0755);
	ASSERT_EQ(apps_write_file(path, apps_sqlite_script), 0);
	same_output("sqlite3", argv, path);
}

TEST_TIMEOUT(python3_same_output, 240)
{
	static const char path[] = WORK "/work.py";
	const char *const argv[] = { APPS "/bin/python3", "-I", path, NULL };

	need_apps();
	mkdir(WORK, 0755);
	ASSERT_EQ(apps_write_file(path, apps_python_script), 0);
	same_output("python3", argv, NULL);
}

TEST_TIMEOUT(xz_same_output, 240)
{
	const char *const argv[] = { APPS "/bin/xz", "-6", "-c", NULL };

	need_apps();
	same_output("xz", argv, numbers(200000));
}

TEST_TIMEOUT(gzip_same_output, 240)
{
	const char *const argv[] = { APPS "/bin/gzip", "-9", "-c", "-n", NULL };

	need_apps();
	same_output("gzip", argv, numbers(200000));
}

/* ---- the heap is ratmem's, and its quota holds ----------------------- */

static const char hold_script[] =
	"import sys, time\n"
	"a = [bytes(1000) for _ in range(50000)]\n"
	"print('ready', flush=True)\n"
	"sys.stdin.read()\n";

/* Committed bytes the module counts for pid (0: it has no quota). */
static uint64_t committed_of(int fd, pid_t pid)
{
	struct ratmem_quota q = { .pidfd = (int)syscall(SYS_pidfd_open, pid, 0) };
	int ret;

	ASSERT_TRUE(q.pidfd >= 0);
	ret = rat_quota(fd, &q);
	close(q.pidfd);
	if (ret == -ESRCH)
		return 0;
	ASSERT_EQ(ret, 0);
	return q.usage[RATMEM_RES_COMMITTED];
}

/* Start python3 on hold_script; wait for its "ready". */
static pid_t start_holder(int shim, int *to_child)
{
	const char *const argv[] = { APPS "/bin/python3", "-I", "-c", hold_script, NULL };
	char *env[] = { "PATH=/bin", "RAT_MALLOC_FALLBACK=0",
			shim ? "LD_PRELOAD=" SHIM : NULL, NULL };
	int in[2], out[2];
	char buf[8] = { 0 };
	pid_t pid;

	ASSERT_EQ(pipe(in), 0);
	ASSERT_EQ(pipe(out), 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		/* Only the parent may hold the write end: its close is EOF. */
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execve(argv[0], (char *const *)argv, env);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	ASSERT_EQ(read(out[0], buf, 6), 6);
	ASSERT_TRUE(strcmp(buf, "ready\n") == 0);
	close(out[0]);
	*to_child = in[1];
	return pid;
}

TEST_TIMEOUT(heap_is_ratmem_memory, 240)
{
	int fd, to_child, st;
	uint64_t with, without;
	pid_t pid;

	need_apps();
	fd = rt_open_ctx();
	pid = start_holder(1, &to_child);
	with = committed_of(fd, pid);
	close(to_child);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pid = start_holder(0, &to_child);
	without = committed_of(fd, pid);
	close(to_child);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	rt_diag("python3 holding 50,000 objects of 1000 bytes: %llu KiB committed in ratmem with the shim, %llu without",
		(unsigned long long)(with >> 10), (unsigned long long)(without >> 10));
	ASSERT_TRUE(with >= 50000ULL * 1000);
	ASSERT_EQ(without, 0);
	rat_close(fd);
}

static const char grow_script[] =
	"a = []\n"
	"try:\n"
	"    while True:\n"
	"        a.append(bytearray(100000))\n"
	"except MemoryError:\n"
	"    n = len(a)\n"
	"    a = None\n"
	"    print('MemoryError after', 'many' if n > 20 else n, flush=True)\n";

/*
 * Our own committed limit, 32 MiB above what we use, is inherited by
 * the child's quota (made at its first open, from its nearest ancestor
 * with one): Python must get NULL from malloc and raise MemoryError,
 * not crash.
 */
TEST_TIMEOUT(quota_mid_workload_is_a_clean_enomem, 240)
{
	const char *const argv[] = { APPS "/bin/python3", "-I", "-c", grow_script, NULL };
	size_t len;
	char *text;
	int fd, st;

	need_apps();
	fd = rt_open_ctx();
	ASSERT_EQ(rt_quota_set(fd, -1, RATMEM_RES_COMMITTED,
			       rt_quota_get(fd, -1).usage[RATMEM_RES_COMMITTED] + (32 << 20)), 0);
	mkdir(WORK, 0755);
	st = run(argv, NULL, WORK "/grow.out", 1);
	text = slurp(WORK "/grow.out", &len);
	rt_diag("python3 under a 32 MiB committed quota: %s", text);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_TRUE(strcmp(text, "MemoryError after many\n") == 0);
	free(text);
	rat_close(fd);
}
