// SPDX-License-Identifier: GPL-2.0
/* Selftests: the RATMEM_IOC_API handshake, RATMEM_IOC_STATS and
 * ioctl number/argument validation. */
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

/* The uapi layout is part of the ABI: same on i386 and x86_64. */
_Static_assert(sizeof(struct ratmem_api) == 56, "ratmem_api size");
_Static_assert(offsetof(struct ratmem_api, features) == 8, "ratmem_api.features");
_Static_assert(offsetof(struct ratmem_api, ioctls) == 16, "ratmem_api.ioctls");
_Static_assert(offsetof(struct ratmem_api, reserved) == 24, "ratmem_api.reserved");
_Static_assert(sizeof(struct ratmem_stats) == 72, "ratmem_stats size");
_Static_assert(offsetof(struct ratmem_stats, contexts) == 8, "ratmem_stats.contexts");
_Static_assert(offsetof(struct ratmem_stats, handles) == 24, "ratmem_stats.handles");
_Static_assert(sizeof(struct ratmem_create) == 56, "ratmem_create size");
_Static_assert(offsetof(struct ratmem_create, handle) == 24, "ratmem_create.handle");
_Static_assert(offsetof(struct ratmem_create, region_id) == 32, "ratmem_create.region_id");
_Static_assert(sizeof(struct ratmem_query) == 64, "ratmem_query size");
_Static_assert(offsetof(struct ratmem_query, rights) == 32, "ratmem_query.rights");
_Static_assert(sizeof(struct ratmem_dup) == 32, "ratmem_dup size");
_Static_assert(sizeof(struct ratmem_close) == 24, "ratmem_close size");
_Static_assert(sizeof(struct ratmem_range) == 40, "ratmem_range size");
_Static_assert(offsetof(struct ratmem_range, offset) == 8, "ratmem_range.offset");
_Static_assert(offsetof(struct ratmem_stats, mappings) == 40, "ratmem_stats.mappings");

_Static_assert(offsetof(struct ratmem_stats, grants) == 48, "ratmem_stats.grants");
_Static_assert(offsetof(struct ratmem_stats, names) == 56, "ratmem_stats.names");
_Static_assert(sizeof(struct ratmem_grant) == 40, "ratmem_grant size");
_Static_assert(offsetof(struct ratmem_grant, cap_id) == 16, "ratmem_grant.cap_id");
_Static_assert(sizeof(struct ratmem_accept) == 56, "ratmem_accept size");
_Static_assert(offsetof(struct ratmem_accept, region_id) == 24, "ratmem_accept.region_id");
_Static_assert(sizeof(struct ratmem_revoke) == 32, "ratmem_revoke size");
_Static_assert(sizeof(struct ratmem_named_create) == 56, "ratmem_named_create size");
_Static_assert(offsetof(struct ratmem_named_create, region_id) == 32,
	       "ratmem_named_create.region_id");
_Static_assert(offsetof(struct ratmem_named_create, page_shift) == 40,
	       "ratmem_named_create.page_shift");
_Static_assert(offsetof(struct ratmem_named_create, numa_node) == 44,
	       "ratmem_named_create.numa_node");
_Static_assert(sizeof(struct ratmem_named_open) == 56, "ratmem_open size");
_Static_assert(sizeof(struct ratmem_unlink) == 32, "ratmem_unlink size");
_Static_assert(sizeof(struct ratmem_wait) == 48, "ratmem_wait size");
_Static_assert(offsetof(struct ratmem_wait, timeout_ns) == 24, "ratmem_wait.timeout_ns");
_Static_assert(sizeof(struct ratmem_wake) == 40, "ratmem_wake size");
_Static_assert(sizeof(struct ratmem_populate) == 40, "ratmem_populate size");
_Static_assert(sizeof(struct ratmem_policy) == 40, "ratmem_policy size");
_Static_assert(sizeof(struct ratmem_migrate) == 56, "ratmem_migrate size");
_Static_assert(offsetof(struct ratmem_migrate, pages) == 32, "ratmem_migrate.pages");
_Static_assert(sizeof(struct ratmem_nodes) == 64, "ratmem_nodes size");
_Static_assert(offsetof(struct ratmem_nodes, counts) == 24, "ratmem_nodes.counts");
_Static_assert(offsetof(struct ratmem_create, policy) == 28, "ratmem_create.policy");
_Static_assert(offsetof(struct ratmem_create, nodemask) == 40, "ratmem_create.nodemask");

#define EXPECTED_FEATURES rt_features_expected()
/* Every command number from API to LEASE. */
#define EXPECTED_IOCTLS ((1ULL << (RATMEM_IOC_NR_GRANT_RANGE + 1)) - 1)

TEST(api_handshake_fields)
{
	struct ratmem_api api;
	int fd = rt_open_ctx();

	memset(&api, 0, sizeof(api));
	api.abi_version = RATMEM_ABI_VERSION;
	ASSERT_EQ(rat_api(fd, &api), 0);
	ASSERT_EQ(api.abi_version, RATMEM_ABI_VERSION);
	ASSERT_EQ(api.flags, 0);
	ASSERT_EQ(api.features, EXPECTED_FEATURES);
	ASSERT_EQ(api.ioctls, EXPECTED_IOCTLS);
	for (size_t i = 0; i < sizeof(api.reserved) / sizeof(api.reserved[0]); i++)
		ASSERT_EQ(api.reserved[i], 0);
}

TEST(api_output_fields_ignored_on_input)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION,
				  .features = ~0ULL, .ioctls = ~0ULL };
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_api(fd, &api), 0);
	ASSERT_EQ(api.features, EXPECTED_FEATURES);
	ASSERT_EQ(api.ioctls, EXPECTED_IOCTLS);
}

TEST(api_newer_caller_gets_module_version)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION + 7 };
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_api(fd, &api), 0);
	ASSERT_EQ(api.abi_version, RATMEM_ABI_VERSION);
}

TEST(api_abi_version_zero_einval)
{
	struct ratmem_api api = { .abi_version = 0 };
	int fd = rt_open_ctx();

	ASSERT_ERRNO(rat_api(fd, &api), EINVAL);
	/* Nothing was written back on failure. */
	ASSERT_EQ(api.features, 0);
}

TEST(api_unknown_flags_einval)
{
	int fd = rt_open_ctx();

	for (int bit = 0; bit < 32; bit++) {
		struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION,
					  .flags = 1U << bit };

		ASSERT_ERRNO(rat_api(fd, &api), EINVAL);
	}
}

TEST(api_nonzero_reserved_einval)
{
	int fd = rt_open_ctx();

	for (int i = 0; i < 4; i++) {
		struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

		api.reserved[i] = 1ULL << (i * 16);
		ASSERT_ERRNO(rat_api(fd, &api), EINVAL);
	}
}

TEST(api_bad_pointers_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct ratmem_api *ro;
	int fd = rt_open_ctx();

	ASSERT_ERRNO(rat_api(fd, NULL), EFAULT);
	ASSERT_ERRNO(rat_api(fd, (struct ratmem_api *)(uintptr_t)-4096), EFAULT);

	/* Readable but not writable: the reply cannot be copied out. */
	ro = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	ro->abi_version = RATMEM_ABI_VERSION;
	ASSERT_EQ(mprotect(ro, page, PROT_READ), 0);
	ASSERT_ERRNO(rat_api(fd, ro), EFAULT);
}

TEST(unknown_ioctls_enotty)
{
	int fd = rt_open_ctx();
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	const unsigned long cmds[] = {
		0,
		_IO(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_API),
		_IOR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_API, struct ratmem_api),
		_IOW(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_API, struct ratmem_api),
		_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_API, uint64_t),
		_IOWR(RATMEM_IOC_MAGIC, 0x06, struct ratmem_api),
		_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_CREATE, uint64_t),
		_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_QUERY, struct ratmem_api),
		_IOWR(RATMEM_IOC_MAGIC, RATMEM_IOC_NR_LEASE + 1, struct ratmem_api),
		_IOWR(RATMEM_IOC_MAGIC, 0xff, struct ratmem_api),
		_IOWR(RATMEM_IOC_MAGIC + 1, RATMEM_IOC_NR_API, struct ratmem_api),
		FIONREAD,
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		errno = 0;
		ASSERT_EQ(ioctl(fd, cmds[i], &api), -1);
		if (errno != ENOTTY)
			rt_fail(__FILE__, __LINE__, "cmd %#lx: errno %d, expected ENOTTY",
				cmds[i], errno);
	}
}

TEST(stats_counts_own_contexts)
{
	struct ratmem_stats st = { 0 };
	int fd = rt_open_ctx();
	int fd2 = rt_open_ctx();
	uint64_t before;

	ASSERT_EQ(rat_stats(fd, &st), 0);
	before = st.contexts;
	ASSERT_TRUE(before >= 2);
	ASSERT_EQ(st.reserved, 0);
	ASSERT_EQ(rat_close(fd2), 0);
	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_EQ(st.contexts, before - 1);
}

TEST(stats_bad_input_einval)
{
	int fd = rt_open_ctx();
	struct ratmem_stats st;

	memset(&st, 0, sizeof(st));
	st.flags = 1;
	ASSERT_ERRNO(rat_stats(fd, &st), EINVAL);
	memset(&st, 0, sizeof(st));
	st.flags = 0x80000000u;
	ASSERT_ERRNO(rat_stats(fd, &st), EINVAL);
	memset(&st, 0, sizeof(st));
	st.pad = 1;
	ASSERT_ERRNO(rat_stats(fd, &st), EINVAL);
	memset(&st, 0, sizeof(st));
	st.reserved = ~0ULL;
	ASSERT_ERRNO(rat_stats(fd, &st), EINVAL);
	/* Output-only counters are ignored on input. */
	memset(&st, 0, sizeof(st));
	st.grants = ~0ULL;
	st.names = ~0ULL;
	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_ERRNO(rat_stats(fd, NULL), EFAULT);
}
