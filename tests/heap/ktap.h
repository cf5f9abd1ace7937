/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host heap tests' small runner (heap_test.c, shim_test.c): CHECK()
 * counts failed conditions, and ktap_run() runs each case and prints
 * KTAP, one "ok N name" or "not ok N name" per case.
 */
#ifndef HEAP_KTAP_H
#define HEAP_KTAP_H

#include <stdio.h>

static int failed_checks;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
			failed_checks++;				\
		}							\
	} while (0)

struct ktap_case {
	const char *name;
	void (*fn)(void);
};

/* Run the n cases; 0 when all passed, else 1. */
static int ktap_run(const struct ktap_case *cases, int n)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		int before = failed_checks;

		cases[i].fn();
		printf("%sok %d %s\n", failed_checks == before ? "" : "not ", i + 1, cases[i].name);
		fflush(stdout);
		bad += failed_checks != before;
	}
	printf("# %d passed, %d failed\n", n - bad, bad);
	return bad != 0;
}

#endif
