// SPDX-License-Identifier: GPL-2.0
/*
 * librat-malloc.so's C allocator contract, on the host: this program
 * runs with LD_PRELOAD=librat-malloc-stub.so (tests/heap/Makefile), the
 * shim over the stub region layer. KTAP output, one line per case.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"


/* A large request whose size is volatile, so the compiler keeps it. */
static volatile size_t huge = SIZE_MAX / 2;

static void failed_realloc_keeps_the_block(void)
{
	char *p = malloc(100), *big = malloc(1 << 20);

	strcpy(p, "keep me");
	errno = 0;
	CHECK(realloc(p, huge) == NULL && errno == ENOMEM);
	CHECK(strcmp(p, "keep me") == 0);
	errno = 0;
	CHECK(realloc(big, huge) == NULL && errno == ENOMEM);
	free(p);
	free(big);
}

static void errors_are_posix(void)
{
	void *p = (void *)1;

	errno = 0;
	CHECK(calloc(huge, 4) == NULL && errno == ENOMEM);
	CHECK(posix_memalign(&p, 24, 10) == EINVAL && p == (void *)1);
	CHECK(posix_memalign(&p, 4096, 10) == 0 && (uintptr_t)p % 4096 == 0);
	free(p);
	errno = 0;
	CHECK(reallocarray(NULL, huge, 4) == NULL && errno == ENOMEM);
	p = aligned_alloc(64, 100);
	CHECK(p && (uintptr_t)p % 64 == 0 && malloc_usable_size(p) >= 100);
	free(p);
	CHECK(malloc_usable_size(NULL) == 0);
	p = realloc(malloc(10), 0);		/* as glibc: freed, NULL */
	CHECK(p == NULL);
}

static void zeroed_and_usable(void)
{
	for (size_t n = 1; n < 300000; n = n * 3 + 1) {
		unsigned char *p = malloc(n);
		size_t u = malloc_usable_size(p);

		CHECK(p && u >= n);
		for (size_t i = 0; i < u; i++)
			if (p[i]) {
				CHECK(!"malloc gave non-zero bytes");
				break;
			}
		memset(p, 0xee, u);
		p = realloc(p, u + 1000);
		CHECK(p && p[u - 1] == 0xee && p[u] == 0 && p[u + 999] == 0);
		free(p);
	}
}

/* An interior or double free aborts, as glibc's does. */
static void bad_free_aborts(void)
{
	for (int mode = 0; mode < 3; mode++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			char *p = malloc(mode == 2 ? (1 << 20) : 64);

			if (mode == 0) {
				free(p);
				free(p);
			} else {
				free(p + 8192 * (mode == 2) + 16 * (mode == 1));
			}
			_exit(0);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	}
}

static const struct ktap_case tests[] = {
	{ "failed_realloc_keeps_the_block", failed_realloc_keeps_the_block },
	{ "errors_are_posix", errors_are_posix },
	{ "zeroed_and_usable", zeroed_and_usable },
	{ "bad_free_aborts", bad_free_aborts },
};

int main(void)
{
	int n = (int)(sizeof(tests) / sizeof(tests[0]));

	printf("KTAP version 1\n1..%d\n", n);
	if (!getenv("LD_PRELOAD") || !strstr(getenv("LD_PRELOAD"), "librat-malloc")) {
		printf("not ok 1 preloaded # run me with LD_PRELOAD=librat-malloc-stub.so\n");
		return 1;
	}
	return ktap_run(tests, n);
}
