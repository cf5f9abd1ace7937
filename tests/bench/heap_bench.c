// SPDX-License-Identifier: GPL-2.0
/*
 * heap_bench: the RatAPI heap (RatMemAlloc/RatMemFree) against glibc's
 * malloc/free and calloc/free, side by side in one run (issue 17's
 * four cases), plus the heap's peak committed memory against its live
 * bytes.
 *
 *  1t-1k:   one thread keeps 10,000 live objects of 16 B to 1 KiB and
 *           replaces a random one per step (free, then allocate a new
 *           random size and write its first byte). ns per alloc+free.
 *           The untimed fill writes every object once (see live_set()).
 *  1t-64k:  the same with sizes of 16 B to 64 KiB.
 *  2t-1k:   two threads each run 1t-1k on their own objects at once;
 *           the figure is the throughput of two over that of one.
 *  prodcon: one thread allocates 16 B to 1 KiB objects and hands them
 *           through a ring to another thread, which frees them. ns per
 *           object, wall clock.
 *
 * Then the program runs itself again with transparent huge pages off
 * (PR_SET_THP_DISABLE) for 1t-64k only: glibc's heap may sit on 2 MiB
 * pages and ratmem's on 4 KiB ones, and this shows what that is worth
 * (TLB reach) before ratmem has huge pages of its own.
 *
 * Last, when the guest has the real programs (/apps, packed by the
 * bench), each runs its workload (tests/apps/workloads.h) with and
 * without librat-malloc.so, interleaved, and "ratio app-NAME" gives
 * the time with the shim over the time without: a whole-program figure.
 *
 * Kinds are interleaved per round and rotated; medians of the rounds
 * are printed. "ratio X" lines give RatMem's time over calloc's (above
 * 1: RatMem is slower) and the 2-thread speedups. In the VM this runs
 * against /dev/ratmem (make bench); tests/heap builds it on the host
 * over a stub region layer for a host CPU column.
 */
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../apps/workloads.h"
#include "rat.h"

#define LIVE		10000
#define ROUNDS		5
#define QLEN		1024

enum kind { MALLOC, CALLOC, RATMEM, NKINDS };

static const char *const kind_name[NKINDS] = { "malloc", "calloc", "RatMem" };
static long steps_small = 400000, steps_big = 60000, steps_pc = 200000;

static void *k_alloc(enum kind k, size_t n)
{
	switch (k) {
	case MALLOC:
		return malloc(n);
	case CALLOC:
		return calloc(1, n);
	default:
		return RatMemAlloc(n);
	}
}

static void k_free(enum kind k, void *p)
{
	if (k == RATMEM) {
		if (RatMemFree(p) != RAT_STATUS_OK) {
			fprintf(stderr, "heap_bench: RatMemFree failed\n");
			exit(1);
		}
	} else {
		free(p);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void *alloc_or_die(enum kind k, size_t n)
{
	void *p = k_alloc(k, n);

	if (!p) {
		fprintf(stderr, "heap_bench: %s of %zu bytes failed\n", kind_name[k], n);
		exit(1);
	}
	return p;
}

/* ---- the live-set cases ------------------------------------------------ */

struct live_run {
	enum kind kind;
	size_t max;		/* sizes 16 .. max */
	long steps;
	unsigned int seed;
	pthread_barrier_t *start;
	double ns;		/* per step */
	double faults;		/* page faults per step (the thread's) */
};

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void *live_set(void *arg)
{
	struct live_run *r = arg;
	unsigned char **slot = calloc(LIVE, sizeof(*slot));
	unsigned int seed = r->seed;
	uint64_t t0;
	long f0;

	if (!slot)
		exit(1);
	/* The fill writes each object once, as a program writes what it
	 * allocates: every kind then meets its pages before the clock runs
	 * (calloc's memset would, and ratmem's fresh blocks are not written
	 * by the heap at all). */
	for (int i = 0; i < LIVE; i++) {
		size_t n = 16 + rnd(&seed) % (r->max - 15);

		slot[i] = alloc_or_die(r->kind, n);
		memset(slot[i], 1, n);
	}
	if (r->start)
		pthread_barrier_wait(r->start);
	f0 = minor_faults();
	t0 = now_ns();
	for (long i = 0; i < r->steps; i++) {
		unsigned int k = rnd(&seed) % LIVE;
		size_t n = 16 + rnd(&seed) % (r->max - 15);

		k_free(r->kind, slot[k]);
		slot[k] = alloc_or_die(r->kind, n);
		slot[k][0] = 1;
	}
	r->ns = (double)(now_ns() - t0) / (double)r->steps;
	r->faults = (double)(minor_faults() - f0) / (double)r->steps;
	for (int i = 0; i < LIVE; i++)
		k_free(r->kind, slot[i]);
	free(slot);
	return NULL;
}

static double last_faults;	/* of the last 1-thread run_live() */

static double run_live(enum kind k, size_t max, long steps, int threads)
{
	struct live_run r[2];
	pthread_barrier_t start;
	pthread_t t[2];
	uint64_t t0;

	if (threads == 1) {
		r[0] = (struct live_run){ .kind = k, .max = max, .steps = steps, .seed = 42 };
		live_set(&r[0]);
		last_faults = r[0].faults;
		return r[0].ns;
	}
	pthread_barrier_init(&start, NULL, 3);
	for (int i = 0; i < 2; i++) {
		r[i] = (struct live_run){ .kind = k, .max = max, .steps = steps,
					  .seed = 42 + 1000U * (unsigned int)i, .start = &start };
		pthread_create(&t[i], NULL, live_set, &r[i]);
	}
	pthread_barrier_wait(&start);
	t0 = now_ns();
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	/* Wall time per step of one thread: both ran steps at once. */
	return (double)(now_ns() - t0) / (double)steps;
}

/* ---- producer/consumer -------------------------------------------------- */

struct ring {
	void *_Atomic slot[QLEN];
	enum kind kind;
	long n;
};

static void *producer(void *arg)
{
	struct ring *q = arg;
	unsigned int seed = 7;

	for (long i = 0; i < q->n; i++) {
		unsigned char *p = alloc_or_die(q->kind, 16 + rnd(&seed) % 1009);

		p[0] = 1;
		while (atomic_load_explicit(&q->slot[i % QLEN], memory_order_acquire))
			sched_yield();
		atomic_store_explicit(&q->slot[i % QLEN], p, memory_order_release);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct ring *q = arg;

	for (long i = 0; i < q->n; i++) {
		void *p;

		while (!(p = atomic_load_explicit(&q->slot[i % QLEN], memory_order_acquire)))
			sched_yield();
		atomic_store_explicit(&q->slot[i % QLEN], NULL, memory_order_release);
		k_free(q->kind, p);
	}
	return NULL;
}

static double run_prodcon(enum kind k, long n)
{
	static struct ring q;
	pthread_t a, b;
	uint64_t t0;

	memset(&q, 0, sizeof(q));
	q.kind = k;
	q.n = n;
	t0 = now_ns();
	pthread_create(&a, NULL, producer, &q);
	pthread_create(&b, NULL, consumer, &q);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return (double)(now_ns() - t0) / (double)n;
}

/* ---- memory ------------------------------------------------------------- */

/* The 1t-64k workload, untimed, sampling the heap's figures. */
static void peak_memory(void)
{
	unsigned char **slot = calloc(LIVE, sizeof(*slot));
	size_t peak_committed = 0, live_at_peak = 0, peak_live = 0;
	unsigned int seed = 42;
	RatHeapStats s;

	for (int i = 0; i < LIVE; i++)
		slot[i] = alloc_or_die(RATMEM, 16 + rnd(&seed) % (65536 - 15));
	for (long i = 0; i < steps_big; i++) {
		unsigned int k = rnd(&seed) % LIVE;

		k_free(RATMEM, slot[k]);
		slot[k] = alloc_or_die(RATMEM, 16 + rnd(&seed) % (65536 - 15));
		if (i % 512 == 0 && RatMemHeapStats(&s) == RAT_STATUS_OK) {
			if (s.bytes_committed > peak_committed) {
				peak_committed = s.bytes_committed;
				live_at_peak = s.bytes_in_use;
			}
			if (s.bytes_in_use > peak_live)
				peak_live = s.bytes_in_use;
		}
	}
	for (int i = 0; i < LIVE; i++)
		k_free(RATMEM, slot[i]);
	free(slot);
	printf("memory 1t-64k: peak committed %.1f MiB, live bytes then %.1f MiB, peak live %.1f MiB\n",
	       peak_committed / 1048576.0, live_at_peak / 1048576.0, peak_live / 1048576.0);
	printf("ratio memory-committed/live %.3f (committed - 1.3 x live: %.1f MiB)\n",
	       (double)peak_committed / (double)live_at_peak,
	       ((double)peak_committed - 1.3 * (double)live_at_peak) / 1048576.0);
}

/* ---- real programs ------------------------------------------------------ */

#define APP_ROUNDS	3
#define APP_DIR		"/tmp/heap_bench"

/* Seconds that argv takes, stdin from in, stdout discarded; exits on failure. */
static double app_once(const char *const argv[], const char *in, int shim)
{
	char *env[] = { "PATH=" APPS "/bin:/bin", "HOME=/tmp", "LC_ALL=C", "PYTHONHASHSEED=0",
			"RAT_MALLOC_FALLBACK=0", shim ? "LD_PRELOAD=" APPS_SHIM : NULL, NULL };
	uint64_t t0 = now_ns();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int i = open(in ? in : "/dev/null", O_RDONLY), o = open("/dev/null", O_WRONLY);

		if (i < 0 || o < 0 || dup2(i, 0) < 0 || dup2(o, 1) < 0)
			_exit(126);
		execve(argv[0], (char *const *)argv, env);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "heap_bench: %s%s failed\n", argv[0], shim ? " (shim)" : "");
		exit(1);
	}
	return (double)(now_ns() - t0) / 1e9;
}

static void apps(void)
{
	static const char *const sqlite[] = { APPS "/bin/sqlite3", ":memory:", NULL };
	static const char *const python[] = { APPS "/bin/python3", "-I", APP_DIR "/work.py", NULL };
	static const char *const xz[] = { APPS "/bin/xz", "-6", "-c", NULL };
	static const char *const gz[] = { APPS "/bin/gzip", "-9", "-c", "-n", NULL };
	static const struct {
		const char *name;
		const char *const *argv;
		const char *in;
	} app[] = {
		{ "sqlite3", sqlite, APP_DIR "/work.sql" },
		{ "python3", python, NULL },
		{ "xz", xz, APP_DIR "/numbers.txt" },
		{ "gzip", gz, APP_DIR "/numbers.txt" },
	};
	double t[2][APP_ROUNDS];

	if (access(APPS_SHIM, R_OK)) {
		printf("apps: no %s in this guest: the programs' figures are skipped\n", APPS_SHIM);
		return;
	}
	mkdir(APP_DIR, 0755);
	if (apps_write_file(APP_DIR "/work.sql", apps_sqlite_script) ||
	    apps_write_file(APP_DIR "/work.py", apps_python_script) ||
	    apps_write_numbers(APP_DIR "/numbers.txt", 200000)) {
		fprintf(stderr, "heap_bench: cannot write the workloads under %s\n", APP_DIR);
		exit(1);
	}
	printf("%-8s %10s %10s  (seconds, median of %d; with and without librat-malloc.so)\n",
	       "program", "glibc", "shim", APP_ROUNDS);
	for (size_t a = 0; a < sizeof(app) / sizeof(app[0]); a++) {
		double m[2];

		app_once(app[a].argv, app[a].in, 1);	/* warm: Python writes its caches */
		for (int r = 0; r < APP_ROUNDS; r++)
			for (int k = 0; k < 2; k++) {
				int shim = (k + r) % 2;

				t[shim][r] = app_once(app[a].argv, app[a].in, shim);
			}
		m[0] = median(t[0], APP_ROUNDS);
		m[1] = median(t[1], APP_ROUNDS);
		printf("%-8s %10.3f %10.3f\n", app[a].name, m[0], m[1]);
		printf("ratio app-%s shim/glibc %.2f\n", app[a].name, m[1] / m[0]);
	}
}

/* ---- main --------------------------------------------------------------- */

/* Run this program again with --no-thp; its exit status. */
static int again_without_thp(int quick)
{
	char *const args[] = { "heap_bench", "--no-thp", quick ? "--quick" : NULL, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", args);
		perror("heap_bench: execv");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

struct bcase {
	const char *name, *desc;
	double (*run)(enum kind k, const struct bcase *c);
	size_t max;
	int threads;
};

static double case_live(enum kind k, const struct bcase *c)
{
	return run_live(k, c->max, c->max > 1024 ? steps_big : steps_small, c->threads);
}

static double case_prodcon(enum kind k, const struct bcase *c)
{
	(void)c;
	return run_prodcon(k, steps_pc);
}

static const struct bcase cases[] = {
	{ "1t-1k", "1 thread, 16 B-1 KiB, 10,000 live", case_live, 1024, 1 },
	{ "1t-64k", "1 thread, 16 B-64 KiB, 10,000 live", case_live, 65536, 1 },
	{ "2t-1k", "2 threads, 16 B-1 KiB, 10,000 live each (wall ns per step of one)",
	  case_live, 1024, 2 },
	{ "prodcon", "producer/consumer, 16 B-1 KiB, per object", case_prodcon, 0, 0 },
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

int main(int argc, char **argv)
{
	double v[NCASES][NKINDS][ROUNDS], med[NCASES][NKINDS], faults[NCASES][NKINDS] = { { 0 } };

	int ncases = NCASES, first = 0, no_thp = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			steps_small /= 10;
			steps_big /= 10;
			steps_pc /= 10;
		} else if (!strcmp(argv[i], "--no-thp")) {
			/* Before the first allocation, so no heap page is huge. */
			if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)) {
				perror("heap_bench: PR_SET_THP_DISABLE");
				return 1;
			}
			no_thp = 1;
			first = 1;
			ncases = 2;
		}
	}
	if (RatInit() != RAT_STATUS_OK) {
		fprintf(stderr, "heap_bench: RatInit: %s\n", RatStatusString(RatGetLastError()));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("heap_bench%s: %d rounds, medians; ns per alloc+free pair\n",
	       no_thp ? " (transparent huge pages off)" : "", ROUNDS);
	for (int round = 0; round < ROUNDS; round++)
		for (int c = first; c < ncases; c++)
			for (int j = 0; j < NKINDS; j++) {
				enum kind k = (enum kind)((j + round) % NKINDS);

				last_faults = 0;
				v[c][k][round] = cases[c].run(k, &cases[c]);
				faults[c][k] = last_faults;
			}
	printf("%-8s %10s %10s %10s  %s\n", "case", "malloc", "calloc", "RatMem", "what");
	for (int c = first; c < ncases; c++) {
		for (int k = 0; k < NKINDS; k++)
			med[c][k] = median(v[c][k], ROUNDS);
		printf("%-8s %10.0f %10.0f %10.0f  %s\n", cases[c].name, med[c][MALLOC],
		       med[c][CALLOC], med[c][RATMEM], cases[c].desc);
	}
	/* Where time goes under TCG: first touches of pages (the last round's). */
	for (int c = first; c < ncases; c++)
		if (cases[c].threads == 1)
			printf("faults per step %-8s malloc %.2f calloc %.2f RatMem %.2f\n",
			       cases[c].name, faults[c][MALLOC], faults[c][CALLOC], faults[c][RATMEM]);
	for (int c = first; c < ncases; c++)
		printf("ratio heap-%s%s RatMem/calloc %.2f (RatMem/malloc %.2f)\n", cases[c].name,
		       no_thp ? "-nothp" : "", med[c][RATMEM] / med[c][CALLOC],
		       med[c][RATMEM] / med[c][MALLOC]);
	if (no_thp)
		return 0;
	/* Throughput of two threads over one: twice the steps in the wall
	 * time of one thread's steps. */
	for (int k = 0; k < NKINDS; k++)
		printf("ratio heap-2t-speedup %s %.2f\n", kind_name[k],
		       2.0 * med[0][k] / med[2][k]);
	peak_memory();
	/* Give back both heaps' free memory first: the guest has 1 GiB, and
	 * the run without huge pages needs most of it while this one waits. */
	malloc_trim(0);
	RatShutdown();
	if (again_without_thp(argc > 1 && !strcmp(argv[1], "--quick")))
		return 1;
	apps();
	return 0;
}
