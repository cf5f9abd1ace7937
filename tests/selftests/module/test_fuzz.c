// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer (tests/fuzz/) in make check: a short slice with a fixed seed
 * on kernels with KCOV (the debug kernel), and the replay of every saved
 * reproducer (tests/fuzz/repro/) on every kernel. make fuzz runs the
 * slice for longer, with RATMEM_FUZZ_SECONDS and RATMEM_FUZZ_SEED.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mem.h"
#include "util.h"
#include "../fuzz/fuzz.h"
#include "fuzz_repro.h"	/* generated: fz_repros[] from tests/fuzz/repro/ */

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

TEST_TIMEOUT(fuzz_slice, 1200)
{
	struct rt_counters before = rt_counters_now();
	struct fz_opts o = {
		.seed = env_ul("RATMEM_FUZZ_SEED", 1),
		.programs = env_ul("RATMEM_FUZZ_PROGRAMS", 300),
		.seconds = env_ul("RATMEM_FUZZ_SECONDS", 0),
	};
	struct fz_stats st;
	int ret;

	/* A time bound replaces the default count. */
	if (o.seconds && !getenv("RATMEM_FUZZ_PROGRAMS"))
		o.programs = 0;
	ret = fz_run(&o, &st);
	if (ret == -ENOENT)
		rt_skip("no KCOV here (/sys/kernel/debug/kcov): the slice runs on the debug kernel");
	ASSERT_EQ(ret, 0);
	rt_diag("seed %llu: %lu programs in %.1f s, %lu edges of ratmem.ko, corpus %lu",
		(unsigned long long)o.seed, st.programs, st.seconds, st.edges, st.corpus);
	/* A slice that reaches nothing of the module measures nothing. */
	ASSERT_TRUE(st.edges > 100);
	rt_counters_expect(before, RT_C_ALL);
}

TEST_TIMEOUT(fuzz_reproducers_replay_clean, 600)
{
	struct rt_counters before = rt_counters_now();
	char why[256];

	ASSERT_TRUE(fz_nrepros > 0);
	for (unsigned int i = 0; i < fz_nrepros; i++) {
		int ret = fz_replay(fz_repros[i].text, why, sizeof(why));

		if (ret)
			rt_fail(__FILE__, __LINE__, "reproducer %s: %s", fz_repros[i].name,
				ret < 0 ? "cannot be parsed" : why);
		rt_diag("reproducer %s: clean", fz_repros[i].name);
	}
	rt_counters_expect(before, RT_C_ALL);
}
