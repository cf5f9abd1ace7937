// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the rights and W^X decisions of mappings (module/wx.c).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/ratmem.h>

#include "../../module/wx.h"

#define RD RATMEM_RIGHT_READ
#define WR RATMEM_RIGHT_WRITE
#define EX RATMEM_RIGHT_EXEC
#define MP RATMEM_RIGHT_MAP
#define MAYRW (VM_MAYREAD | VM_MAYWRITE)
#define MAYRX (VM_MAYREAD | VM_MAYEXEC)
#define MAYALL (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

struct mmap_case {
	const char *name;
	u32 rights;
	vm_flags_t want;
	unsigned int maywrite, mayexec;
	int expect;
	vm_flags_t may;
};

static const struct mmap_case mmap_cases[] = {
	{ "none_first_gets_both", RD | WR | EX | MP, 0, 0, 0, 0, MAYALL },
	{ "read_first_gets_both", RD | WR | EX | MP, VM_READ, 0, 0, 0, MAYALL },
	{ "write_gets_no_exec", RD | WR | EX | MP, VM_READ | VM_WRITE, 0, 0, 0, MAYRW },
	{ "exec_gets_no_write", RD | WR | EX | MP, VM_READ | VM_EXEC, 0, 0, 0, MAYRX },
	{ "write_and_exec", RD | WR | EX | MP, VM_READ | VM_WRITE | VM_EXEC, 0, 0, -EACCES, 0 },
	{ "write_exec_no_read", RD | WR | EX | MP, VM_WRITE | VM_EXEC, 0, 0, -EACCES, 0 },
	{ "no_map_right", RD | WR | EX, 0, 0, 0, -EACCES, 0 },
	{ "no_read_right", WR | EX | MP, VM_READ, 0, 0, -EACCES, 0 },
	{ "no_read_none", WR | EX | MP, 0, 0, 0, 0, 0 },
	{ "no_read_write", WR | MP, VM_WRITE, 0, 0, -EACCES, 0 },
	{ "no_write_right", RD | MP, VM_READ | VM_WRITE, 0, 0, -EACCES, 0 },
	{ "no_exec_right", RD | MP, VM_READ | VM_EXEC, 0, 0, -EACCES, 0 },
	{ "read_only_handle", RD | MP, VM_READ, 0, 0, 0, VM_MAYREAD },
	{ "write_while_exec_exists", RD | WR | EX | MP, VM_READ | VM_WRITE, 0, 1, -EACCES, 0 },
	{ "exec_while_write_exists", RD | WR | EX | MP, VM_READ | VM_EXEC, 1, 0, -EACCES, 0 },
	{ "write_beside_writers", RD | WR | EX | MP, VM_READ | VM_WRITE, 3, 0, 0, MAYRW },
	{ "exec_beside_execs", RD | WR | EX | MP, VM_READ | VM_EXEC, 0, 2, 0, MAYRX },
	{ "read_beside_writer", RD | WR | EX | MP, VM_READ, 1, 0, 0, MAYRW },
	{ "read_beside_exec", RD | WR | EX | MP, VM_READ, 0, 1, 0, MAYRX },
	{ "read_beside_both", RD | WR | EX | MP, VM_READ, 1, 1, 0, VM_MAYREAD },
	{ "none_beside_both", RD | WR | EX | MP, 0, 1, 1, 0, VM_MAYREAD },
};

static void mmap_case_desc(const struct mmap_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mmap, mmap_cases, mmap_case_desc);

static void ratmem_wx_mmap_may_test(struct kunit *test)
{
	const struct mmap_case *c = test->param_value;
	struct ratmem_wx_counts counts = { .maywrite = c->maywrite, .mayexec = c->mayexec };
	vm_flags_t may = 0xdead;
	int ret;

	ret = ratmem_wx_mmap_may(c->rights, c->want, counts, &may);
	KUNIT_EXPECT_EQ(test, ret, c->expect);
	if (!ret)
		KUNIT_EXPECT_EQ(test, may, c->may);
	else
		KUNIT_EXPECT_EQ(test, may, (vm_flags_t)0xdead);
}

struct mprotect_case {
	const char *name;
	vm_flags_t newflags, oldflags;
	bool whole, others_write, others_exec;
	int expect;
};

#define R VM_READ
#define W VM_WRITE
#define X VM_EXEC

static const struct mprotect_case mprotect_cases[] = {
	{ "rw_to_rwx", R | W | X, R | W, true, false, false, -EACCES },
	{ "rx_to_rwx", R | W | X, R | X, true, false, false, -EACCES },
	{ "r_to_rw", R | W, R, true, false, false, 0 },
	{ "rw_to_rx_whole", R | X, R | W, true, false, false, 0 },
	{ "rw_to_rx_part", R | X, R | W, false, false, false, -EACCES },
	{ "rx_to_rw_part", R | W, R | X, false, false, false, -EACCES },
	{ "r_to_rx_part", R | X, R, false, false, false, 0 },
	{ "exec_while_piece_writable", R | X, R, true, true, false, -EACCES },
	{ "write_while_piece_exec", R | W, R, true, false, true, -EACCES },
	{ "read_while_both", R, R | W, false, true, true, 0 },
	{ "none", 0, R | X, false, true, false, 0 },
};

static void mprotect_case_desc(const struct mprotect_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mprotect, mprotect_cases, mprotect_case_desc);

static void ratmem_wx_mprotect_test(struct kunit *test)
{
	const struct mprotect_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ratmem_wx_mprotect(c->newflags, c->oldflags, c->whole,
						 c->others_write, c->others_exec), c->expect);
}

/* Which refusals are W^X attempts (violations) and which missing rights. */
static void ratmem_wx_mmap_conflict_test(struct kunit *test)
{
	struct ratmem_wx_counts none = {}, w = { .maywrite = 1 }, x = { .mayexec = 1 };
	u32 all = RD | WR | EX | MP;

	KUNIT_EXPECT_TRUE(test, ratmem_wx_mmap_conflict(all, VM_WRITE | VM_EXEC, none));
	KUNIT_EXPECT_TRUE(test, ratmem_wx_mmap_conflict(RD | MP, VM_WRITE | VM_EXEC, none));
	KUNIT_EXPECT_TRUE(test, ratmem_wx_mmap_conflict(all, VM_WRITE, x));
	KUNIT_EXPECT_TRUE(test, ratmem_wx_mmap_conflict(all, VM_EXEC, w));
	/* A missing right is not a W^X attempt. */
	KUNIT_EXPECT_FALSE(test, ratmem_wx_mmap_conflict(RD | MP, VM_WRITE, x));
	KUNIT_EXPECT_FALSE(test, ratmem_wx_mmap_conflict(RD | MP, VM_EXEC, w));
	KUNIT_EXPECT_FALSE(test, ratmem_wx_mmap_conflict(all, VM_WRITE, w));
	KUNIT_EXPECT_FALSE(test, ratmem_wx_mmap_conflict(all, 0, none));
}

static struct kunit_case ratmem_wx_cases[] = {
	KUNIT_CASE(ratmem_wx_mmap_conflict_test),
	KUNIT_CASE_PARAM(ratmem_wx_mmap_may_test, mmap_gen_params),
	KUNIT_CASE_PARAM(ratmem_wx_mprotect_test, mprotect_gen_params),
	{}
};

static struct kunit_suite ratmem_wx_suite = {
	.name = "ratmem_wx",
	.test_cases = ratmem_wx_cases,
};

kunit_test_suites(&ratmem_wx_suite);
