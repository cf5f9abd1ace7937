// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: the RatAPI as the RatOS memory management specification
 * (seed 001) and ADR-0002 (seed 000) write it, from a RatOS programmer's
 * point of view. Only the specification's types and calls are used to
 * do things: RatMemPtr, RatStatus, RatMemAlloc/Calloc/Realloc/Free,
 * RatMemReserve/Commit/Protect/Release, RatSharedMemCreate/Open/Close/
 * Unlink, RatGetLastError, RAT_MEM_* and HMEM's RatAllocMemory/
 * RatMapMemory/RatFreeMemory; and librat's additions that give the
 * specification's enums a use (RatMemAllocate, RatMemHandleOf). Every
 * failure must return NULL (or a status) and set RatGetLastError().
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

#define PG 4096UL

/* The spec's code examples, compiled as written. */
static RatStatus spec_example(void)
{
	RatMemPtr p = RatSharedMemCreate("rt-seed-cache", 8192);
	RatMemPtr q = RatMemAlloc(64);

	if (!p || !q)
		return RatGetLastError();
	if (RatMemFree(q) != RAT_STATUS_OK)
		return RatGetLastError();
	if (RatSharedMemUnlink("rt-seed-cache") != RAT_STATUS_OK)
		return RatGetLastError();
	return RatSharedMemClose(p);
}

static void assert_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			rt_fail(__FILE__, __LINE__, "byte %zu of %zu is 0x%02x, not 0", i, n, b[i]);
}

#define ASSERT_FAILS(expr, status)					\
	do {								\
		ASSERT_TRUE((expr) == NULL);				\
		ASSERT_EQ(RatGetLastError(), (status));			\
	} while (0)

/* "rt-seed-<tag>-<pid>": names are shared by every test program. */
static void seed_name(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "rt-seed-%s-%d", tag, (int)getpid());
}

/* Run fn in a child; return its wait status. */
static int in_child(void (*fn)(const void *), const void *arg)
{
	int status;
	pid_t pid = fork();

	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

/*
 * Every call with the specification's exact type: a signature that
 * differs in any parameter or result does not compile (-Werror).
 */
static const struct {
	RatMemPtr (*alloc)(size_t size);
	RatMemPtr (*calloc)(size_t count, size_t size);
	RatMemPtr (*realloc)(RatMemPtr ptr, size_t newSize);
	RatStatus (*free)(RatMemPtr ptr);
	RatMemPtr (*reserve)(size_t size);
	RatStatus (*commit)(RatMemPtr ptr, size_t size, int protectionFlags);
	RatStatus (*protect)(RatMemPtr ptr, size_t size, int protectionFlags);
	RatStatus (*release)(RatMemPtr ptr, size_t size);
	RatMemPtr (*shm_create)(const char *name, size_t size);
	RatMemPtr (*shm_open)(const char *name);
	RatStatus (*shm_close)(RatMemPtr ptr);
	RatStatus (*shm_unlink)(const char *name);
	RatStatus (*last_error)(void);
	HMEM (*alloc_memory)(size_t size);
	void *(*map_memory)(HMEM region);
} spec_calls = {
	RatMemAlloc, RatMemCalloc, RatMemRealloc, RatMemFree,
	RatMemReserve, RatMemCommit, RatMemProtect, RatMemRelease,
	RatSharedMemCreate, RatSharedMemOpen, RatSharedMemClose, RatSharedMemUnlink,
	RatGetLastError, RatAllocMemory, RatMapMemory,
};

TEST(every_call_has_the_specifications_signature)
{
	/* The table above compiled; RatFreeMemory's result is not specified. */
	ASSERT_TRUE(spec_calls.alloc && spec_calls.free && spec_calls.shm_unlink);
	ASSERT_TRUE(spec_calls.last_error && spec_calls.map_memory);
	ASSERT_TRUE(RatFreeMemory != NULL);
}

TEST(types_and_codes_are_the_specifications)
{
	RatMemAllocType a = RAT_MEM_COMMIT;
	RatMemMapType m = RAT_MEM_PRIVATE;
	RatMemPtr p = NULL;

	ASSERT_EQ(sizeof(p), sizeof(void *));
	/* Enumerator order as the specification lists it. */
	ASSERT_EQ(RAT_STATUS_OK, 0);
	ASSERT_EQ(RAT_STATUS_ERROR, 1);
	ASSERT_EQ(RAT_STATUS_INVALID_ARG, 2);
	ASSERT_EQ(RAT_STATUS_NO_MEMORY, 3);
	ASSERT_EQ(RAT_STATUS_PERMISSION, 4);
	ASSERT_EQ(a, 0);
	ASSERT_EQ(RAT_MEM_RESERVE, 1);
	ASSERT_EQ(m, 0);
	ASSERT_EQ(RAT_MEM_SHARED, 1);
	/* Four distinct protection flags, NONE being none of the others. */
	ASSERT_EQ(RAT_MEM_NONE, 0);
	ASSERT_TRUE(RAT_MEM_READ && RAT_MEM_WRITE && RAT_MEM_EXECUTE);
	ASSERT_EQ(RAT_MEM_READ & RAT_MEM_WRITE, 0);
	ASSERT_EQ((RAT_MEM_READ | RAT_MEM_WRITE) & RAT_MEM_EXECUTE, 0);
}

TEST(the_specifications_example_compiles_and_works)
{
	rt_need_ratapi_memory();
	ASSERT_EQ(spec_example(), RAT_STATUS_OK);
}

TEST(heap_is_zero_filled_and_reports_every_error)
{
	unsigned char *p, *c, *r;
	int local;

	rt_need_ratapi_memory();
	p = RatMemAlloc(100);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	assert_zero(p, 100);
	memset(p, 0xab, 100);
	c = RatMemCalloc(10, 30);
	ASSERT_TRUE(c != NULL);
	assert_zero(c, 300);
	r = RatMemRealloc(p, 5000);
	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(r[99], 0xab);
	assert_zero(r + 100, 4900);
	ASSERT_FAILS(RatMemCalloc(SIZE_MAX / 2, 4), RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatMemAlloc(SIZE_MAX - 64), RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatMemRealloc(r, SIZE_MAX - 64), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(r[0], 0xab);	/* a failed realloc keeps the block */
	ASSERT_EQ(RatMemFree(r), RAT_STATUS_OK);
	ASSERT_EQ(RatMemFree(c), RAT_STATUS_OK);
	ASSERT_EQ(RatMemFree(NULL), RAT_STATUS_OK);
	/* A pointer the heap did not give out, or gave out and took back. */
	ASSERT_EQ(RatMemFree(&local), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemFree(c), RAT_STATUS_INVALID_ARG);
}

static void write_to(const void *addr)
{
	*(volatile unsigned char *)addr = 1;
}

TEST(virtual_memory_commit_protect_release)
{
	unsigned char *base;

	rt_need_ratapi_memory();
	ASSERT_FAILS(RatMemReserve(0), RAT_STATUS_INVALID_ARG);
	base = RatMemReserve(4 * PG);
	ASSERT_TRUE(base != NULL);
	ASSERT_EQ(RatMemCommit(base, 2 * PG, RAT_MEM_READ | RAT_MEM_WRITE), RAT_STATUS_OK);
	assert_zero(base, 2 * PG);
	base[PG] = 7;
	/* W^X, through both calls that set a protection. */
	ASSERT_EQ(RatMemProtect(base, PG, RAT_MEM_WRITE | RAT_MEM_EXECUTE), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemCommit(base + 2 * PG, PG, RAT_MEM_READ | RAT_MEM_WRITE | RAT_MEM_EXECUTE),
		  RAT_STATUS_PERMISSION);
	/* Read-only: a write faults; the data stays. */
	ASSERT_EQ(RatMemProtect(base, 2 * PG, RAT_MEM_READ), RAT_STATUS_OK);
	ASSERT_EQ(base[PG], 7);
	{
		int st = in_child(write_to, base + PG);

		ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	}
	ASSERT_EQ(RatMemProtect(base, 2 * PG, RAT_MEM_NONE), RAT_STATUS_OK);
	ASSERT_EQ(RatMemProtect(NULL, PG, RAT_MEM_READ), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemCommit(base, PG, 0x80), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(base + PG, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemRelease(base, 4 * PG), RAT_STATUS_OK);
	ASSERT_EQ(RatMemRelease(base, 0), RAT_STATUS_NOT_FOUND);
}

static void open_and_write(const void *arg)
{
	unsigned char *p = RatSharedMemOpen(arg);

	if (!p)
		_exit(10 + RatGetLastError());
	if (p[0] != 0x11 || p[PG] != 0)
		_exit(2);
	p[PG] = 0x22;
	_exit(RatSharedMemClose(p) == RAT_STATUS_OK ? 0 : 3);
}

TEST(named_shared_memory_between_two_processes)
{
	char name[64];
	unsigned char *p;
	int st;

	rt_need_ratapi_memory();
	seed_name(name, sizeof(name), "two");
	p = RatSharedMemCreate(name, 2 * PG);
	ASSERT_TRUE(p != NULL);
	assert_zero(p, 2 * PG);
	p[0] = 0x11;
	ASSERT_FAILS(RatSharedMemCreate(name, PG), RAT_STATUS_EXISTS);
	st = in_child(open_and_write, name);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		rt_fail(__FILE__, __LINE__, "opener: wait status 0x%x", st);
	ASSERT_EQ(p[PG], 0x22);
	ASSERT_EQ(RatSharedMemUnlink(name), RAT_STATUS_OK);
	/* The mapping outlives the name. */
	ASSERT_EQ(p[PG], 0x22);
	ASSERT_FAILS(RatSharedMemOpen(name), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatSharedMemUnlink(name), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatSharedMemClose(p + 1), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatSharedMemClose(p), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemClose(p), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatSharedMemClose(NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatSharedMemCreate(NULL, PG), RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatSharedMemCreate(name, 0), RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatSharedMemCreate("a/b", PG), RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatSharedMemOpen(NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatSharedMemUnlink(NULL), RAT_STATUS_INVALID_ARG);
}

/* Another user: 0600 keeps it out; 0644 lets it read only. */
static void open_as_nobody(const void *arg)
{
	const char *name = arg;
	unsigned char *p;

	/* The context first: /dev/ratmem itself is not for everyone. */
	if (RatInit() != RAT_STATUS_OK)
		_exit(8);
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		_exit(9);
	p = RatSharedMemOpen(name);
	if (name[strlen(name) - 1] == '0')	/* the 0600 one */
		_exit(p == NULL && RatGetLastError() == RAT_STATUS_PERMISSION ? 0 : 1);
	if (!p || p[0] != 0x33)
		_exit(2);
	/* Mapped read-only: this write must fault (SIGSEGV). */
	p[0] = 0;
	_exit(3);
}

TEST(open_maps_with_the_most_access_the_mode_allows)
{
	char priv[64], pub[64];
	unsigned char *p;
	HMEM shared;
	int st;

	rt_need_ratapi_memory();
	if (geteuid())
		SKIP("needs root to open as another user");
	seed_name(priv, sizeof(priv), "m0");
	seed_name(pub, sizeof(pub), "m4");
	/* Names end in the mode's last digit, for the child. */
	strcat(priv, "-0");
	strcat(pub, "-4");
	p = RatSharedMemCreate(priv, PG);
	ASSERT_TRUE(p != NULL);
	shared = RatSharedMemCreateEx(pub, PG, 0644);
	ASSERT_TRUE(shared != NULL);
	((unsigned char *)RatMapMemory(shared))[0] = 0x33;
	st = in_child(open_as_nobody, priv);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		rt_fail(__FILE__, __LINE__, "0600 opener: wait status 0x%x", st);
	st = in_child(open_as_nobody, pub);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV)
		rt_fail(__FILE__, __LINE__, "0644 opener: wait status 0x%x, expected SIGSEGV", st);
	ASSERT_EQ(RatSharedMemUnlink(priv), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlinkEx(pub, 0), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemClose(p), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemCloseEx(shared), RAT_STATUS_OK);
}

TEST(adr_0002_handles)
{
	HMEM region;
	unsigned char *ptr;

	rt_need_ratapi_memory();
	region = RatAllocMemory(4096);
	ASSERT_TRUE(region != NULL);
	ptr = RatMapMemory(region);
	ASSERT_TRUE(ptr != NULL);
	assert_zero(ptr, 4096);
	ASSERT_TRUE(RatMapMemory(region) == ptr);
	ASSERT_EQ(RatFreeMemory(region), RAT_STATUS_OK);
	ASSERT_TRUE(RatAllocMemory(0) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_TRUE(RatMapMemory(NULL) == NULL);
	ASSERT_EQ(RatFreeMemory(NULL), RAT_STATUS_INVALID_ARG);
}

/* A child that accepts the capability written into the pipe and reads. */
static int g_pipe[2];

static void accept_and_read(const void *arg)
{
	char cap[RAT_CAP_STRLEN];
	HMEM mem;
	unsigned char *p;

	(void)arg;
	if (read(g_pipe[0], cap, sizeof(cap)) != sizeof(cap))
		_exit(5);
	mem = RatMemAccept(cap);
	if (!mem)
		_exit(6);
	p = RatMapMemory(mem);
	_exit(p && p[10] == 42 ? 0 : 7);
}

TEST(allocate_uses_the_alloc_and_map_types)
{
	char cap[RAT_CAP_STRLEN];
	unsigned char *priv, *shared, *res;
	HMEM h;
	pid_t pid;
	int st;

	rt_need_ratapi_memory();
	priv = RatMemAllocate(2 * PG, RAT_MEM_COMMIT, RAT_MEM_PRIVATE,
			      RAT_MEM_READ | RAT_MEM_WRITE);
	ASSERT_TRUE(priv != NULL);
	assert_zero(priv, 2 * PG);
	priv[5] = 1;
	/* Private: it has an HMEM, but no capability can be made of it. */
	h = RatMemHandleOf(priv + PG);
	ASSERT_TRUE(h != NULL);
	ASSERT_TRUE(RatMemHandleOf(priv) == h);
	ASSERT_EQ(RatMemShare(h, RAT_MEM_READ, getpid(), cap), RAT_STATUS_PERMISSION);
	/* Lent, not given. */
	ASSERT_EQ(RatFreeMemory(h), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemProtect(priv, PG, RAT_MEM_READ | RAT_MEM_EXECUTE), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemRelease(priv, 0), RAT_STATUS_OK);

	res = RatMemAllocate(PG, RAT_MEM_RESERVE, RAT_MEM_PRIVATE, RAT_MEM_NONE);
	ASSERT_TRUE(res != NULL);
	ASSERT_EQ(RatMemCommit(res, PG, RAT_MEM_READ), RAT_STATUS_OK);
	assert_zero(res, PG);
	ASSERT_EQ(RatMemRelease(res, PG), RAT_STATUS_OK);
	ASSERT_FAILS(RatMemAllocate(PG, RAT_MEM_RESERVE, RAT_MEM_PRIVATE, RAT_MEM_READ),
		     RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatMemAllocate(PG, RAT_MEM_COMMIT, RAT_MEM_SHARED,
				    RAT_MEM_WRITE | RAT_MEM_EXECUTE), RAT_STATUS_PERMISSION);
	ASSERT_FAILS(RatMemAllocate(PG, (RatMemAllocType)7, RAT_MEM_SHARED, RAT_MEM_READ),
		     RAT_STATUS_INVALID_ARG);
	ASSERT_FAILS(RatMemAllocate(0, RAT_MEM_COMMIT, RAT_MEM_SHARED, RAT_MEM_READ),
		     RAT_STATUS_INVALID_ARG);

	/* Shared: another process reads it through a capability. */
	shared = RatMemAllocate(PG, RAT_MEM_COMMIT, RAT_MEM_SHARED, RAT_MEM_READ | RAT_MEM_WRITE);
	ASSERT_TRUE(shared != NULL);
	shared[10] = 42;
	ASSERT_EQ(pipe(g_pipe), 0);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0)
		accept_and_read(NULL);
	h = RatMemHandleOf(shared);
	ASSERT_TRUE(h != NULL);
	ASSERT_EQ(RatMemShare(h, RAT_MEM_READ, pid, cap), RAT_STATUS_OK);
	ASSERT_EQ(write(g_pipe[1], cap, sizeof(cap)), (ssize_t)sizeof(cap));
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		rt_fail(__FILE__, __LINE__, "grantee: wait status 0x%x", st);
	ASSERT_EQ(RatMemRelease(shared, 0), RAT_STATUS_OK);
	close(g_pipe[0]);
	close(g_pipe[1]);
}

TEST(handle_of_shared_memory_and_of_nothing)
{
	char name[64];
	unsigned char *p;
	int local;
	void *heap;
	HMEM h;

	rt_need_ratapi_memory();
	seed_name(name, sizeof(name), "hof");
	p = RatSharedMemCreate(name, 3 * PG);
	ASSERT_TRUE(p != NULL);
	h = RatMemHandleOf(p + 2 * PG + 17);
	ASSERT_TRUE(h != NULL);
	ASSERT_EQ(RatMemSize(h), 3 * PG);
	ASSERT_TRUE(RatMapMemory(h) == p);
	ASSERT_EQ(RatFreeMemory(h), RAT_STATUS_INVALID_ARG);
	/* A wait on the word the pointer names, through its HMEM. */
	ASSERT_EQ(RatMemWait(h, 8, 1, 0), RAT_STATUS_AGAIN);
	heap = RatMemAlloc(32);
	ASSERT_TRUE(heap != NULL);
	ASSERT_FAILS(RatMemHandleOf(heap), RAT_STATUS_NOT_FOUND);
	ASSERT_FAILS(RatMemHandleOf(&local), RAT_STATUS_NOT_FOUND);
	ASSERT_FAILS(RatMemHandleOf(p + 3 * PG + 1), RAT_STATUS_NOT_FOUND);
	ASSERT_FAILS(RatMemHandleOf(NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemFree(heap), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemUnlink(name), RAT_STATUS_OK);
	ASSERT_EQ(RatSharedMemClose(p), RAT_STATUS_OK);
}
