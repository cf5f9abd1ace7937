// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzing loop: make a program (new, or a mutation of one that found
 * new edges), run it, keep it if it found new edges, and stop at the
 * first finding: a bad program (exec.c) or a kernel report in the log.
 * The finding is printed as a reproducer that fz_replay() runs alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define CORPUS_MAX	512

static struct fz_prog corpus[CORPUS_MAX];
static unsigned int ncorpus;
static int kmsg = -1;

/* What a kernel report starts with (lib/, mm/kasan, kernel/locking). */
static const char *const reports[] = {
	"BUG:", "WARNING:", "KASAN:", "UBSAN:", "general protection fault", "Oops:",
	"kernel BUG", "possible circular locking", "possible recursive locking",
	"INFO: task", "refcount_t:", "list_add corruption", "list_del corruption",
	"Kernel panic", "kmemleak:", "Unable to handle",
};

static void kmsg_open(void)
{
	if (kmsg >= 0)
		return;
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
}

/* Read what the kernel logged since the last call; the first report, if any. */
static bool kmsg_report(char *why, size_t len)
{
	char rec[2048];
	bool found = false;
	ssize_t n;

	if (kmsg < 0)
		return false;
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) != 0) {
		char *text;

		if (n < 0) {
			if (errno == EPIPE)	/* overrun: records were lost */
				continue;
			break;
		}
		rec[n] = 0;
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]) && !found; i++) {
			if (strstr(text, reports[i])) {
				snprintf(why, len, "kernel: %.*s", (int)strcspn(text, "\n"), text);
				found = true;
			}
		}
	}
	return found;
}

static void print_reproducer(const struct fz_prog *p, const char *why, uint64_t seed,
			     unsigned long nr)
{
	printf("# fuzz: finding in program %lu of seed %llu: %s\n", nr,
	       (unsigned long long)seed, why);
	printf("# fuzz: reproducer begin\n");
	printf("# %s\n# seed %llu, program %lu\n", why, (unsigned long long)seed, nr);
	fz_write(stdout, p);
	printf("# fuzz: reproducer end\n");
	fflush(stdout);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Run @p; a finding is written to @why. */
static bool run_one(const struct fz_prog *p, char *why, size_t len)
{
	struct fz_result res;

	kmsg_open();
	kmsg_report(why, len);		/* what came before is not ours */
	fz_exec(p, &res);
	if (kmsg_report(why, len))
		return true;
	if (res.bad)
		snprintf(why, len, "%s", res.why);
	return res.bad;
}

/**
 * fz_run() - fuzz until the bound, or the first finding
 * @o: seed and bounds
 * @st: out: what was done
 *
 * Return: 0, 1 after a finding (printed as a reproducer), or -errno when
 * KCOV is missing.
 */
int fz_run(const struct fz_opts *o, struct fz_stats *st)
{
	uint64_t rng = o->seed;
	double t0 = now();
	char why[256];
	int ret;

	memset(st, 0, sizeof(*st));
	ret = fz_cov_init();
	if (ret)
		return ret;
	ncorpus = 0;
	while ((!o->programs || st->programs < o->programs) &&
	       (!o->seconds || now() - t0 < o->seconds)) {
		struct fz_prog p;
		unsigned long edges = fz_cov_edges();

		if (!ncorpus || fz_rand(&rng) % 100 < 20) {
			fz_generate(&p, &rng);
		} else {
			p = corpus[fz_rand(&rng) % ncorpus];
			fz_mutate(&p, &corpus[fz_rand(&rng) % ncorpus], &rng);
		}
		st->programs++;
		if (run_one(&p, why, sizeof(why))) {
			st->findings++;
			print_reproducer(&p, why, o->seed, st->programs);
			break;
		}
		if (fz_cov_edges() > edges && ncorpus < CORPUS_MAX)
			corpus[ncorpus++] = p;
		if (!(st->programs % 50)) {
			printf("# fuzz: %lu programs, %lu edges, corpus %u, %.0f s\n", st->programs,
			       fz_cov_edges(), ncorpus, now() - t0);
			fflush(stdout);
		}
	}
	st->edges = fz_cov_edges();
	st->corpus = ncorpus;
	st->seconds = now() - t0;
	return st->findings ? 1 : 0;
}

/**
 * fz_replay() - run a saved reproducer
 * @text: its text (fz_write()'s form)
 * @why: out: the finding, if it still finds something
 * @len: size of @why
 *
 * Runs without KCOV too.
 *
 * Return: 0 when the program now runs clean, 1 when it still finds
 * something, -EINVAL when it cannot be parsed.
 */
int fz_replay(const char *text, char *why, size_t len)
{
	struct fz_prog p;

	if (fz_parse(text, &p))
		return -EINVAL;
	fz_cov_init();
	return run_one(&p, why, len) ? 1 : 0;
}
