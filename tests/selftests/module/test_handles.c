// SPDX-License-Identifier: GPL-2.0
/* Selftests: regions and handles (CREATE, QUERY, DUP, CLOSE). */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "rat.h"
#include "util.h"

#define PG 4096ULL
#define ALL RATMEM_RIGHTS_ALL

static struct ratmem_create create_args(uint64_t size, uint32_t rights)
{
	struct ratmem_create c = { .size = size, .rights = rights, .numa_node = -1 };

	return c;
}

static uint32_t create_ok(int fd, uint64_t size, uint32_t rights, uint64_t *id)
{
	struct ratmem_create c = create_args(size, rights);

	ASSERT_EQ(rat_create(fd, &c), 0);
	ASSERT_NE(c.handle, 0);
	if (id)
		*id = c.region_id;
	return c.handle;
}

static void counters(uint64_t *regions, uint64_t *handles)
{
	struct ratmem_stats st = { 0 };
	int fd = rt_open_ctx();

	ASSERT_EQ(rat_stats(fd, &st), 0);
	ASSERT_EQ(rat_close(fd), 0);
	*regions = st.regions;
	*handles = st.handles;
}

TEST(create_and_query)
{
	int fd = rt_open_ctx();
	struct ratmem_create c = create_args(256 * PG, ALL);
	struct ratmem_query q = { 0 };

	ASSERT_EQ(rat_create(fd, &c), 0);
	ASSERT_NE(c.handle, 0);
	ASSERT_NE(c.region_id, 0);
	ASSERT_EQ(c.page_shift, RATMEM_PAGE_SHIFT_4K);	/* 0 asked: default reported */
	q.handle = c.handle;
	ASSERT_EQ(rat_query(fd, &q), 0);
	ASSERT_EQ(q.size, 256 * PG);
	ASSERT_EQ(q.committed, 0);
	ASSERT_EQ(q.region_id, c.region_id);
	ASSERT_EQ(q.rights, ALL);
	ASSERT_EQ(q.max_rights, ALL);
	ASSERT_EQ(q.page_shift, RATMEM_PAGE_SHIFT_4K);
	ASSERT_EQ(q.seals, 0);
}

TEST(region_ids_unique_and_increasing)
{
	int fd = rt_open_ctx();
	uint64_t prev = 0, id;

	for (int i = 0; i < 64; i++) {
		uint32_t h = create_ok(fd, PG, RATMEM_RIGHT_READ, &id);

		ASSERT_TRUE(id > prev);
		prev = id;
		/* Closing frees the region; its id is still never reused. */
		ASSERT_EQ(rat_close_handle(fd, h), 0);
	}
}

TEST(create_sizes)
{
	const uint64_t bad[] = {
		0, 1, PG - 1, PG + 1, 3 * PG + 7, 1ULL << 63, ~0ULL, ~0ULL & ~(PG - 1),
		(1ULL << 40) + PG,	/* one page past the default region_size_max */
	};
	int fd = rt_open_ctx();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ratmem_create c = create_args(bad[i], ALL);

		if (rat_create(fd, &c) != -EINVAL)
			rt_fail(__FILE__, __LINE__, "size %#llx not refused with EINVAL",
				(unsigned long long)bad[i]);
	}
	/* Exactly the limit works: nothing is committed, so it is cheap. */
	create_ok(fd, 1ULL << 40, ALL, NULL);
	create_ok(fd, PG, ALL, NULL);
}

TEST(create_bad_fields_einval)
{
	int fd = rt_open_ctx();
	struct ratmem_create c;

	for (int bit = 0; bit < 32; bit++) {
		if ((1U << bit) & RATMEM_CREATE_FLAGS)
			continue;
		c = create_args(PG, ALL);
		c.flags = 1U << bit;
		ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	}
	/* PREFERRED without its node; an unknown policy; a mask for DEFAULT. */
	c = create_args(PG, ALL);
	c.policy = RATMEM_POLICY_PREFERRED;
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	c.policy = RATMEM_POLICY_MAX + 1;
	c.nodemask = 1;
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	c = create_args(PG, ALL);
	c.nodemask = 1;
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	c = create_args(PG, ALL);
	c.reserved = 1;
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	c = create_args(PG, 0);
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	c = create_args(PG, ALL + 1);
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	c = create_args(PG, ~0U);
	ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	const uint32_t shifts[] = { 1, 11, 13, 20, 22, 30, 63, ~0U };

	for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		c = create_args(4ULL << 20, ALL);
		c.page_shift = shifts[i];
		ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	}
	c = create_args(PG, ALL);
	c.page_shift = RATMEM_PAGE_SHIFT_4K;
	ASSERT_EQ(rat_create(fd, &c), 0);
	const int32_t nodes[] = { -2, 1 << 20, INT32_MIN, INT32_MAX };

	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		c = create_args(PG, ALL);
		c.numa_node = nodes[i];
		ASSERT_ERRNO(rat_create(fd, &c), EINVAL);
	}
	c = create_args(PG, ALL);
	c.numa_node = 0;	/* node 0 is always online in the test VM */
	ASSERT_EQ(rat_create(fd, &c), 0);
}

TEST(create_efault_leaves_nothing)
{
	int fd = rt_open_ctx();
	uint64_t r0, h0, r1, h1;
	struct ratmem_create *ro;

	counters(&r0, &h0);
	ASSERT_ERRNO(rat_create(fd, NULL), EFAULT);
	/* Readable, valid input, but the reply cannot be written back. */
	ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	*ro = create_args(PG, ALL);
	ASSERT_EQ(mprotect(ro, PG, PROT_READ), 0);
	ASSERT_ERRNO(rat_create(fd, ro), EFAULT);
	counters(&r1, &h1);
	ASSERT_EQ(r1, r0);
	ASSERT_EQ(h1, h0);
}

TEST(dup_rights_only_shrink)
{
	int fd = rt_open_ctx();
	uint32_t h = create_ok(fd, PG, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
			       NULL);
	struct ratmem_dup d = { .handle = h, .rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP };
	struct ratmem_query q = { 0 };
	uint32_t ro;

	ASSERT_EQ(rat_dup(fd, &d), 0);
	ro = d.new_handle;
	ASSERT_TRUE(ro != 0 && ro != h);
	q.handle = ro;
	ASSERT_EQ(rat_query(fd, &q), 0);
	ASSERT_EQ(q.rights, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	ASSERT_EQ(q.max_rights, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP);

	/* More than the handle has: EXEC was never in the region. */
	d = (struct ratmem_dup){ .handle = h, .rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_EXEC };
	ASSERT_ERRNO(rat_dup(fd, &d), EPERM);
	/* A reduced handle asking for what its parent had. */
	d = (struct ratmem_dup){ .handle = ro, .rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE };
	ASSERT_ERRNO(rat_dup(fd, &d), EPERM);
	d = (struct ratmem_dup){ .handle = ro, .rights = RATMEM_RIGHT_GRANT };
	ASSERT_ERRNO(rat_dup(fd, &d), EPERM);
	/* Equal rights are fine. */
	d = (struct ratmem_dup){ .handle = ro, .rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP };
	ASSERT_EQ(rat_dup(fd, &d), 0);
}

TEST(dup_bad_fields)
{
	int fd = rt_open_ctx();
	uint32_t h = create_ok(fd, PG, ALL, NULL);
	struct ratmem_dup d;

	d = (struct ratmem_dup){ .handle = h, .rights = 0 };
	ASSERT_ERRNO(rat_dup(fd, &d), EINVAL);
	d = (struct ratmem_dup){ .handle = h, .rights = ALL + 1 };
	ASSERT_ERRNO(rat_dup(fd, &d), EINVAL);
	d = (struct ratmem_dup){ .handle = h, .rights = RATMEM_RIGHT_READ, .flags = 1 };
	ASSERT_ERRNO(rat_dup(fd, &d), EINVAL);
	d = (struct ratmem_dup){ .handle = h, .rights = RATMEM_RIGHT_READ, .reserved = { 0, 1 } };
	ASSERT_ERRNO(rat_dup(fd, &d), EINVAL);
	d = (struct ratmem_dup){ .handle = h + 1000, .rights = RATMEM_RIGHT_READ };
	ASSERT_ERRNO(rat_dup(fd, &d), EBADF);
}

TEST(closed_and_unknown_handles_ebadf)
{
	int fd = rt_open_ctx();
	uint32_t h = create_ok(fd, PG, ALL, NULL);
	struct ratmem_query q = { .handle = h };
	struct ratmem_dup d = { .handle = h, .rights = RATMEM_RIGHT_READ };
	struct ratmem_close c = { .handle = h, .flags = 1 };

	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_CLOSE, &c), EINVAL);
	c = (struct ratmem_close){ .handle = h, .reserved = { 1, 0 } };
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_CLOSE, &c), EINVAL);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	ASSERT_ERRNO(rat_close_handle(fd, h), EBADF);
	ASSERT_ERRNO(rat_query(fd, &q), EBADF);
	ASSERT_ERRNO(rat_dup(fd, &d), EBADF);
	const uint32_t nums[] = { 0, 1, 2, 0x7fffffff, 0x80000000u, ~0U };

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		q = (struct ratmem_query){ .handle = nums[i] };
		ASSERT_ERRNO(rat_query(fd, &q), EBADF);
		ASSERT_ERRNO(rat_close_handle(fd, nums[i]), EBADF);
	}
	q = (struct ratmem_query){ .handle = h, .flags = 1 };
	ASSERT_ERRNO(rat_query(fd, &q), EINVAL);
	q = (struct ratmem_query){ .handle = h, .info = 1 };
	ASSERT_ERRNO(rat_query(fd, &q), EINVAL);
}

TEST(other_contexts_handle_number_ebadf)
{
	int a = rt_open_ctx(), b = rt_open_ctx();
	uint32_t h = create_ok(a, PG, ALL, NULL);
	struct ratmem_query q = { .handle = h };

	ASSERT_ERRNO(rat_query(b, &q), EBADF);
	ASSERT_ERRNO(rat_close_handle(b, h), EBADF);
	ASSERT_EQ(rat_query(a, &q), 0);
}

TEST(region_lives_while_any_handle_does)
{
	int fd = rt_open_ctx();
	uint64_t r0, h0, r, hs, id;
	uint32_t h, h2;
	struct ratmem_dup d;
	struct ratmem_query q = { 0 };

	counters(&r0, &h0);
	h = create_ok(fd, 8 * PG, ALL, &id);
	d = (struct ratmem_dup){ .handle = h, .rights = RATMEM_RIGHT_READ };
	ASSERT_EQ(rat_dup(fd, &d), 0);
	h2 = d.new_handle;
	counters(&r, &hs);
	ASSERT_EQ(r, r0 + 1);
	ASSERT_EQ(hs, h0 + 2);
	ASSERT_EQ(rat_close_handle(fd, h), 0);
	q.handle = h2;
	ASSERT_EQ(rat_query(fd, &q), 0);
	ASSERT_EQ(q.region_id, id);
	ASSERT_EQ(q.size, 8 * PG);
	counters(&r, &hs);
	ASSERT_EQ(r, r0 + 1);
	ASSERT_EQ(hs, h0 + 1);
	ASSERT_EQ(rat_close_handle(fd, h2), 0);
	counters(&r, &hs);
	ASSERT_EQ(r, r0);
	ASSERT_EQ(hs, h0);
}

static void child_creates_and_exits(void *arg)
{
	int fd = rt_open_ctx();

	(void)arg;
	for (int i = 0; i < 32; i++) {
		uint32_t h = create_ok(fd, PG * (i + 1), ALL, NULL);
		struct ratmem_dup d = { .handle = h, .rights = RATMEM_RIGHT_READ };

		ASSERT_EQ(rat_dup(fd, &d), 0);
	}
	/* exit with everything open */
}

TEST_TIMEOUT(counters_return_after_close_and_exit, 120)
{
	uint64_t r0, h0, r, hs;
	int fd;

	counters(&r0, &h0);
	fd = rt_open_ctx();
	for (int i = 0; i < 100; i++)
		create_ok(fd, PG, ALL, NULL);
	counters(&r, &hs);
	ASSERT_EQ(r, r0 + 100);
	ASSERT_EQ(hs, h0 + 100);
	ASSERT_EQ(rat_close(fd), 0);	/* the context takes its handles along */
	counters(&r, &hs);
	ASSERT_EQ(r, r0);
	ASSERT_EQ(hs, h0);
	for (int i = 0; i < 5; i++)
		ASSERT_CHILD_OK(child_creates_and_exits, NULL);
	counters(&r, &hs);
	ASSERT_EQ(r, r0);
	ASSERT_EQ(hs, h0);
}

static int inherited_fd = -1;
static uint32_t inherited_handle;

static void child_uses_parent_handle(void *arg)
{
	struct ratmem_query q = { .handle = inherited_handle };

	(void)arg;
	ASSERT_ERRNO(rat_query(inherited_fd, &q), EPERM);
	ASSERT_ERRNO(rat_close_handle(inherited_fd, inherited_handle), EPERM);
}

TEST(forked_child_cannot_use_parent_handles)
{
	struct ratmem_query q = { 0 };

	inherited_fd = rt_open_ctx();
	inherited_handle = create_ok(inherited_fd, PG, ALL, NULL);
	ASSERT_CHILD_OK(child_uses_parent_handle, NULL);
	q.handle = inherited_handle;
	ASSERT_EQ(rat_query(inherited_fd, &q), 0);
}
