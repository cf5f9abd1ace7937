// SPDX-License-Identifier: GPL-2.0
/* Selftests: a context is bound to the process that opened it. */
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

static int shared_fd = -1;

/* Every use of a foreign context fails with EPERM, whatever the call. */
static void assert_foreign_context_refused(int fd)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	struct ratmem_stats st = { 0 };
	long page = sysconf(_SC_PAGESIZE);

	ASSERT_ERRNO(rat_api(fd, &api), EPERM);
	ASSERT_EQ(api.features, 0);
	ASSERT_ERRNO(rat_stats(fd, &st), EPERM);
	/* Binding is checked before the command is even decoded. */
	ASSERT_SYSCALL_ERRNO(ioctl(fd, 0x12345678, NULL), EPERM);
	ASSERT_TRUE(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	ASSERT_EQ(errno, EPERM);
	ASSERT_TRUE(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED);
	ASSERT_EQ(errno, EPERM);
	/* Closing a foreign descriptor is allowed and harmless. */
	ASSERT_EQ(rat_close(fd), 0);
}

static void owner_still_works(int fd)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	ASSERT_EQ(rat_api(fd, &api), 0);
	ASSERT_EQ(api.abi_version, RATMEM_ABI_VERSION);
}

static void child_uses_inherited_fd(void *arg)
{
	(void)arg;
	assert_foreign_context_refused(shared_fd);
}

TEST(forked_child_gets_eperm)
{
	shared_fd = rt_open_ctx();
	ASSERT_CHILD_OK(child_uses_inherited_fd, NULL);
	owner_still_works(shared_fd);
}

TEST(scm_rights_receiver_gets_eperm)
{
	int fd = rt_open_ctx();
	int status = rt_pass_fd_to_child(fd, assert_foreign_context_refused);

	ASSERT_EQ(status, 0);
	owner_still_works(fd);
}

static void child_opens_own_context(void *arg)
{
	int fd;

	(void)arg;
	fd = rt_open_ctx();
	owner_still_works(fd);
	ASSERT_EQ(rat_close(fd), 0);
}

TEST(forked_child_own_context_works)
{
	shared_fd = rt_open_ctx();
	ASSERT_CHILD_OK(child_opens_own_context, NULL);
}

static void *thread_uses_ctx(void *arg)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	return (void *)(intptr_t)rat_api(*(int *)arg, &api);
}

TEST(other_thread_of_owner_allowed)
{
	int fd = rt_open_ctx();
	pthread_t th;
	void *ret;

	ASSERT_EQ(pthread_create(&th, NULL, thread_uses_ctx, &fd), 0);
	ASSERT_EQ(pthread_join(th, &ret), 0);
	ASSERT_EQ((intptr_t)ret, 0);
}

TEST(owner_mmap_private_or_unknown_offset_einval)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = rt_open_ctx();

	ASSERT_TRUE(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	/* No handle exists, so no offset names a region. */
	ASSERT_TRUE(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	ASSERT_TRUE(mmap(NULL, page, PROT_READ, MAP_SHARED, fd, page * 16) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
}

static void child_opens_and_exits(void *arg)
{
	(void)arg;
	for (int i = 0; i < 16; i++)
		rt_open_ctx();
	/* exit without closing: the kernel closes them. */
}

TEST_TIMEOUT(many_opens_and_closes_leave_counters, 120)
{
	enum { N = 200 };
	int fds[N];
	uint64_t base = rt_contexts_now();

	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < N; i++)
			fds[i] = rt_open_ctx();
		ASSERT_EQ(rt_contexts_now(), base + N);
		for (int i = 0; i < N; i++)
			ASSERT_EQ(rat_close(fds[i]), 0);
		ASSERT_EQ(rt_contexts_now(), base);
	}
	for (int i = 0; i < 10; i++)
		ASSERT_CHILD_OK(child_opens_and_exits, NULL);
	ASSERT_EQ(rt_contexts_now(), base);
}

static void child_closes_inherited(void *arg)
{
	(void)arg;
	ASSERT_EQ(rat_close(shared_fd), 0);
}

TEST(child_close_does_not_end_parent_context)
{
	shared_fd = rt_open_ctx();
	ASSERT_CHILD_OK(child_closes_inherited, NULL);
	owner_still_works(shared_fd);
}
