// SPDX-License-Identifier: GPL-2.0
/* Selftests: librat's raw layer conventions and the RatAPI basics. */
#include <pthread.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

TEST(ratinit_and_query_api)
{
	RatApiInfo info;

	if (RatInit() == RAT_STATUS_NOT_FOUND && !getenv("RATMEM_BENCH"))
		SKIP("/dev/ratmem is missing");
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_EQ(info.abi_version, RATMEM_ABI_VERSION);
	ASSERT_EQ(info.features, rt_features_expected());
	ASSERT_TRUE(info.ioctls & (1ULL << RATMEM_IOC_NR_API));
	/* Idempotent. */
	ASSERT_EQ(RatInit(), RAT_STATUS_OK);
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
}

TEST(last_error_follows_each_call)
{
	RatApiInfo info;

	ASSERT_EQ(RatQueryApi(NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
}

static void *thread_last_error(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)RatGetLastError();
}

TEST(last_error_is_thread_local)
{
	pthread_t th;
	void *other;

	ASSERT_EQ(RatQueryApi(NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(pthread_create(&th, NULL, thread_last_error, NULL), 0);
	ASSERT_EQ(pthread_join(th, &other), 0);
	ASSERT_EQ((intptr_t)other, RAT_STATUS_OK);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_INVALID_ARG);
}

TEST(status_from_errno_table)
{
	ASSERT_EQ(RatStatusFromErrno(0), RAT_STATUS_OK);
	ASSERT_EQ(RatStatusFromErrno(-EINVAL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatStatusFromErrno(-EFAULT), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatStatusFromErrno(-EBADF), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatStatusFromErrno(-ENOMEM), RAT_STATUS_NO_MEMORY);
	ASSERT_EQ(RatStatusFromErrno(-EPERM), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatStatusFromErrno(-EACCES), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatStatusFromErrno(-EDQUOT), RAT_STATUS_QUOTA);
	ASSERT_EQ(RatStatusFromErrno(-ENOLINK), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatStatusFromErrno(-ENOENT), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatStatusFromErrno(-ENOTTY), RAT_STATUS_UNSUPPORTED);
	ASSERT_EQ(RatStatusFromErrno(-EIO), RAT_STATUS_ERROR);
}

TEST(status_strings_never_null)
{
	for (int s = RAT_STATUS_OK; s <= RAT_STATUS_UNSUPPORTED + 1; s++) {
		const char *str = RatStatusString((RatStatus)s);

		ASSERT_TRUE(str && *str);
	}
	ASSERT_EQ(strcmp(RatStatusString(RAT_STATUS_QUOTA), "quota exceeded"), 0);
}

TEST(raw_calls_return_negative_errno_and_keep_errno)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	errno = 1234;
	ASSERT_ERRNO(rat_api(-1, &api), EBADF);
	ASSERT_EQ(errno, 1234);
	ASSERT_ERRNO(rat_close(-1), EBADF);
	ASSERT_EQ(errno, 1234);
}

static void child_queries(void *arg)
{
	RatApiInfo info;

	(void)arg;
	/* The parent's default context is bound to the parent; librat
	 * must give the child a context of its own. */
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_EQ(info.abi_version, RATMEM_ABI_VERSION);
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
}

TEST(forked_child_gets_own_default_context)
{
	RatApiInfo info;
	uint64_t before;

	ASSERT_EQ(RatInit(), RAT_STATUS_OK);
	before = rt_contexts_now();
	ASSERT_CHILD_OK(child_queries, NULL);
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_EQ(rt_contexts_now(), before);
	ASSERT_EQ(RatShutdown(), RAT_STATUS_OK);
	ASSERT_EQ(rt_contexts_now(), before - 1);
}
