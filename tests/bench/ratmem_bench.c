// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem_bench: how ratmem's page faults and region lifecycle compare
 * with anonymous memory and memfd, measured side by side in one run.
 *
 *  fault:  touch every 4 KiB page of a fresh mapping once (one write
 *          per page) and time the loop. Kinds: a ratmem region created
 *          with RATMEM_CREATE_COMMIT and mapped MAP_SHARED; anonymous
 *          MAP_PRIVATE memory with MADV_NOHUGEPAGE; memfd_create +
 *          ftruncate + MAP_SHARED; and, for information, anonymous
 *          memory with MADV_HUGEPAGE (THP allowed).
 *  cycle:  create + mmap + touch every page + munmap + close of a small
 *          object, repeated; ratmem against memfd (anonymous mmap +
 *          touch + munmap for information).
 *
 * Each measurement is repeated (the kinds interleaved, their order
 * rotated per round) and the median is reported. Ratios are time
 * ratios: ratmem's time divided by the other kind's, so above 1 means
 * ratmem is slower. Any failure (no /dev/ratmem, a failed ioctl, mmap
 * or check) ends the run with a message and exit status 1, before any
 * ratio is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/ratmem.h>

#define MIB		((size_t)1024 * 1024)
#define HUGE_2M		(2 * MIB)
#define MAX_REPS	101

/* ---- errors ------------------------------------------------------- */

static const char *phase = "start";

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "ratmem_bench: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void die_errno(const char *what)
{
	die("%s (%s): %s", what, phase, strerror(errno));
}

static void on_signal(int sig)
{
	static const char pre[] = "ratmem_bench: error: fatal signal during ";
	const char *name = sig == SIGBUS ? " (SIGBUS)\n" : " (SIGSEGV)\n";
	ssize_t r;

	r = write(STDERR_FILENO, pre, sizeof(pre) - 1);
	r = write(STDERR_FILENO, phase, strlen(phase));
	r = write(STDERR_FILENO, name, strlen(name));
	(void)r;
	_exit(1);
}

/* ---- small helpers ------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die_errno("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double median, min, max;
};

static struct stat3 summarize(const double *v, int n)
{
	double s[MAX_REPS];
	struct stat3 r;

	memcpy(s, v, sizeof(*v) * (size_t)n);
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	r.min = s[0];
	r.max = s[n - 1];
	r.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return r;
}

/* First line of a file, or "-" when it cannot be read. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, len, "-");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* A "Key:   N kB" value from a /proc file, in kB; -1 when missing. */
static long long proc_kb(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* ---- ratmem ------------------------------------------------------- */

static int rat_fd = -1;

static void rat_ioctl(unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(rat_fd, cmd, arg) < 0)
		die_errno(what);
}

static void ratmem_open(void)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	rat_fd = open("/dev/" RATMEM_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (rat_fd < 0)
		die("open /dev/" RATMEM_DEVICE_NAME ": %s%s", strerror(errno),
		    errno == ENOENT ? " (is ratmem.ko loaded? --baseline-only skips ratmem)" : "");
	rat_ioctl(RATMEM_IOC_API, &api, "RATMEM_IOC_API");
	if (!(api.features & RATMEM_FEATURE_MEMORY))
		die("the loaded module (ABI %u, features %#llx) lacks RATMEM_FEATURE_MEMORY: "
		    "no commit or mmap to measure", api.abi_version,
		    (unsigned long long)api.features);
}

static uint32_t ratmem_create(uint64_t size)
{
	struct ratmem_create c = {
		.size = size,
		.flags = RATMEM_CREATE_COMMIT,
		.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
		.numa_node = -1,
	};

	rat_ioctl(RATMEM_IOC_CREATE, &c, "RATMEM_IOC_CREATE(COMMIT)");
	if (!c.handle)
		die("RATMEM_IOC_CREATE returned handle 0");
	return c.handle;
}

static void ratmem_close(uint32_t handle)
{
	struct ratmem_close c = { .handle = handle };

	rat_ioctl(RATMEM_IOC_CLOSE, &c, "RATMEM_IOC_CLOSE");
}

static void *ratmem_map(uint32_t handle, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, rat_fd,
		       (off_t)RATMEM_MMAP_OFFSET(handle));

	if (p == MAP_FAILED)
		die_errno("mmap of a ratmem handle");
	return p;
}

/* ---- the objects measured ----------------------------------------- */

/*
 * The -re kinds time a second mapping of an object whose pages all exist
 * already (touched through a first mapping, then unmapped): the fault
 * without the page allocation, as a hint to where the time goes.
 */
enum kind { K_RATMEM, K_ANON4K, K_MEMFD, K_ANONTHP, K_RATMEM_RE, K_MEMFD_RE, NKINDS };

static const char *const kind_name[NKINDS] = {
	[K_RATMEM] = "ratmem", [K_ANON4K] = "anon4k", [K_MEMFD] = "memfd",
	[K_ANONTHP] = "anon-thp", [K_RATMEM_RE] = "ratmem-re", [K_MEMFD_RE] = "memfd-re",
};

static const char *const kind_desc[NKINDS] = {
	[K_RATMEM] = "ratmem CREATE_COMMIT, MAP_SHARED",
	[K_ANON4K] = "anon MAP_PRIVATE, MADV_NOHUGEPAGE",
	[K_MEMFD] = "memfd + ftruncate, MAP_SHARED",
	[K_ANONTHP] = "anon MAP_PRIVATE, MADV_HUGEPAGE (info)",
	[K_RATMEM_RE] = "ratmem, pages already there (info)",
	[K_MEMFD_RE] = "memfd, pages already there (info)",
};

static int baseline_only;

/* Kinds that need /dev/ratmem. */
static int skipped(enum kind k)
{
	return baseline_only && (k == K_RATMEM || k == K_RATMEM_RE);
}

/* One live mapping of a kind. */
struct obj {
	enum kind kind;
	char *base;		/* what is touched */
	void *map;		/* what is unmapped */
	size_t size, map_size;
	uint32_t handle;	/* ratmem */
	int fd;			/* memfd */
};

static int thp_advice_ok = 1;	/* MADV_HUGEPAGE accepted */

static void obj_create(struct obj *o, enum kind kind, size_t size)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->size = o->map_size = size;
	o->fd = -1;
	switch (kind) {
	case K_RATMEM:
		o->handle = ratmem_create(size);
		o->map = ratmem_map(o->handle, size);
		o->base = o->map;
		break;
	case K_ANON4K:
		o->map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap anonymous");
		/* EINVAL: a kernel without THP, where every fault is 4 KiB. */
		if (madvise(o->map, size, MADV_NOHUGEPAGE) && errno != EINVAL)
			die_errno("madvise(MADV_NOHUGEPAGE)");
		o->base = o->map;
		break;
	case K_ANONTHP:
		/* 2 MiB aligned, so that every huge page can be used. */
		o->map_size = size + HUGE_2M;
		o->map = mmap(NULL, o->map_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap anonymous");
		o->base = (char *)(((uintptr_t)o->map + HUGE_2M - 1) & ~(uintptr_t)(HUGE_2M - 1));
		if (madvise(o->base, size, MADV_HUGEPAGE)) {
			if (errno != EINVAL)
				die_errno("madvise(MADV_HUGEPAGE)");
			thp_advice_ok = 0;
		}
		break;
	case K_MEMFD:
		o->fd = memfd_create("ratmem_bench", MFD_CLOEXEC);
		if (o->fd < 0)
			die_errno("memfd_create");
		if (ftruncate(o->fd, (off_t)size))
			die_errno("ftruncate of the memfd");
		o->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap of the memfd");
		o->base = o->map;
		break;
	default:
		die("unknown kind %d", kind);
	}
}

/* A fresh mapping of a ratmem or memfd object, after munmap of the old. */
static void obj_remap(struct obj *o)
{
	if (o->kind == K_RATMEM) {
		o->map = ratmem_map(o->handle, o->size);
	} else {
		o->map = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap of the memfd");
	}
	o->base = o->map;
}

static void obj_destroy(struct obj *o)
{
	if (munmap(o->map, o->map_size))
		die_errno("munmap");
	if (o->kind == K_RATMEM)
		ratmem_close(o->handle);
	if (o->fd >= 0 && close(o->fd))
		die_errno("close of the memfd");
}

static size_t page_size;

/* The measured loop: one 8-byte write at the start of every page. */
static void touch(char *base, size_t size, uint64_t tag)
{
	size_t n = size / page_size;

	for (size_t i = 0; i < n; i++)
		*(volatile uint64_t *)(base + i * page_size) = tag + i;
}

/* Untimed: every write landed and the rest of each page reads as zero. */
static void verify(const struct obj *o, uint64_t tag)
{
	size_t n = o->size / page_size;
	size_t words = page_size / sizeof(uint64_t);

	for (size_t i = 0; i < n; i++) {
		const volatile uint64_t *w = (const volatile uint64_t *)(o->base + i * page_size);

		if (w[0] != tag + i || w[1] != 0 || w[words - 1] != 0)
			die("%s (%s): page %zu holds %#llx/%#llx/%#llx, expected %#llx/0/0",
			    kind_name[o->kind], phase, i, (unsigned long long)w[0],
			    (unsigned long long)w[1], (unsigned long long)w[words - 1],
			    (unsigned long long)(tag + i));
	}
}

/* ---- measurements ------------------------------------------------- */

struct fault_run {
	double touch_ns, setup_ns, teardown_ns;
};

static long long thp_kb = -1;		/* AnonHugePages seen in an anon-thp run */
static long long rat_pages_seen = -1;	/* ratmem's pages counter while mapped */
static long long rat_pages_before = -1;

static struct fault_run fault_once(enum kind kind, size_t size, uint64_t tag, int observe)
{
	struct fault_run r;
	struct obj o;
	uint64_t t0, t1, t2, t3;

	phase = kind_name[kind];
	if (kind == K_RATMEM_RE || kind == K_MEMFD_RE) {
		obj_create(&o, kind == K_RATMEM_RE ? K_RATMEM : K_MEMFD, size);
		touch(o.base, size, ~tag);
		if (munmap(o.map, o.map_size))
			die_errno("munmap");
		t0 = now_ns();
		obj_remap(&o);
		t1 = now_ns();
		touch(o.base, size, tag);
		t2 = now_ns();
		verify(&o, tag);
		t3 = now_ns();
		obj_destroy(&o);
		r.setup_ns = (double)(t1 - t0);
		r.touch_ns = (double)(t2 - t1);
		r.teardown_ns = (double)(now_ns() - t3);
		return r;
	}
	if (observe && kind == K_RATMEM) {
		struct ratmem_stats st = { 0 };

		rat_ioctl(RATMEM_IOC_STATS, &st, "RATMEM_IOC_STATS");
		rat_pages_before = (long long)st.pages;
	}
	t0 = now_ns();
	obj_create(&o, kind, size);
	t1 = now_ns();
	touch(o.base, size, tag);
	t2 = now_ns();
	verify(&o, tag);
	if (observe && kind == K_ANONTHP)
		thp_kb = proc_kb("/proc/self/smaps_rollup", "AnonHugePages");
	if (observe && kind == K_RATMEM) {
		struct ratmem_stats st = { 0 };

		rat_ioctl(RATMEM_IOC_STATS, &st, "RATMEM_IOC_STATS");
		rat_pages_seen = (long long)st.pages;
	}
	t3 = now_ns();
	obj_destroy(&o);
	r.setup_ns = (double)(t1 - t0);
	r.touch_ns = (double)(t2 - t1);
	r.teardown_ns = (double)(now_ns() - t3);
	return r;
}

/* N full lifecycles of one kind; returns ns per cycle. */
static double cycles_once(enum kind kind, size_t size, int n)
{
	uint64_t t0;
	struct obj o;

	phase = kind_name[kind];
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		obj_create(&o, kind, size);
		touch(o.base, size, 1);
		obj_destroy(&o);
	}
	return (double)(now_ns() - t0) / n;
}

/* ---- main --------------------------------------------------------- */

static void usage(FILE *out, int code)
{
	fprintf(out,
		"usage: ratmem_bench [options]\n"
		"  --baseline-only   skip ratmem (anon and memfd only; no ratios)\n"
		"  --size-mib N      fault test size (default 256)\n"
		"  --reps N          repetitions, median reported (default 5)\n"
		"  --cycles N        lifecycle iterations per repetition (default 2000)\n"
		"  --cycle-kib N     lifecycle object size (default 64)\n");
	exit(code);
}

static long arg_num(const char *opt, const char *v, long lo, long hi)
{
	char *end;
	long n;

	if (!v)
		die("%s needs a value", opt);
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		die("%s: '%s' is not a number from %ld to %ld", opt, v, lo, hi);
	return n;
}

int main(int argc, char **argv)
{
	int reps = 5, cycles = 2000;
	size_t size = 256 * MIB, cycle_size = 64 * 1024;
	enum kind fault_kinds[] = { K_RATMEM, K_ANON4K, K_MEMFD, K_ANONTHP, K_RATMEM_RE,
				    K_MEMFD_RE };
	enum kind cycle_kinds[] = { K_RATMEM, K_MEMFD, K_ANON4K };
	double t_touch[NKINDS][MAX_REPS], setup[NKINDS][MAX_REPS], down[NKINDS][MAX_REPS];
	double cyc[NKINDS][MAX_REPS];
	struct stat3 fs[NKINDS], cs[NKINDS];
	struct sigaction sa;
	struct utsname un;
	char thp[128], shmem_thp[128];
	long long avail;
	size_t npages;
	cpu_set_t cpus;
	int cpu;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--baseline-only"))
			baseline_only = 1;
		else if (!strcmp(a, "--size-mib"))
			size = (size_t)arg_num(a, argv[++i], 2, 1 << 20) * MIB;
		else if (!strcmp(a, "--reps"))
			reps = (int)arg_num(a, argv[++i], 1, MAX_REPS);
		else if (!strcmp(a, "--cycles"))
			cycles = (int)arg_num(a, argv[++i], 1, 100000000);
		else if (!strcmp(a, "--cycle-kib"))
			cycle_size = (size_t)arg_num(a, argv[++i], 4, 1 << 20) * 1024;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage(stdout, 0);
		else
			usage(stderr, 2);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (page_size != 4096)
		die("page size is %zu, this bench measures 4 KiB pages", page_size);
	if (size % HUGE_2M || cycle_size % page_size)
		die("sizes must be multiples of 2 MiB (faults) and 4 KiB (cycles)");
	npages = size / page_size;

	/* Needs one object of `size` at a time, plus a margin. */
	avail = proc_kb("/proc/meminfo", "MemAvailable");
	if (avail >= 0 && (unsigned long long)avail * 1024 < size + 64 * MIB)
		die("MemAvailable is %lld MiB; %zu MiB plus 64 MiB of margin are needed "
		    "(use --size-mib or give the machine more memory)", avail / 1024, size / MIB);

	/* One CPU for the whole run, so that no kind pays for migrations. */
	cpu = sched_getcpu();
	if (cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(cpu, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			die_errno("sched_setaffinity");
	}

	if (!baseline_only)
		ratmem_open();

	uname(&un);
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp));
	read_line("/sys/kernel/mm/transparent_hugepage/shmem_enabled", shmem_thp, sizeof(shmem_thp));
	printf("ratmem_bench: kernel %s, cpu %d, MemAvailable %lld MiB\n",
	       un.release, cpu, avail / 1024);
	printf("  THP enabled: %s; shmem_enabled: %s\n", thp, shmem_thp);
	printf("  fault: %zu MiB = %zu pages of 4 KiB, one write per page; "
	       "cycle: %zu KiB x %d; %d rounds, kinds interleaved, median\n",
	       size / MIB, npages, cycle_size / 1024, cycles, reps);
	if (baseline_only)
		printf("  ratmem: skipped (--baseline-only)\n");

	/* Warm-up, not counted: the code paths, and memory the kernel keeps. */
	for (size_t k = 0; k < sizeof(fault_kinds) / sizeof(fault_kinds[0]); k++) {
		if (skipped(fault_kinds[k]))
			continue;
		fault_once(fault_kinds[k], 16 * MIB, 7, 0);
	}

	for (int r = 0; r < reps; r++) {
		int nk = (int)(sizeof(fault_kinds) / sizeof(fault_kinds[0]));

		for (int j = 0; j < nk; j++) {
			enum kind k = fault_kinds[(j + r) % nk];
			struct fault_run fr;

			if (skipped(k))
				continue;
			fr = fault_once(k, size, 0x1000 * (uint64_t)(r + 1), r == 0);
			t_touch[k][r] = fr.touch_ns;
			setup[k][r] = fr.setup_ns;
			down[k][r] = fr.teardown_ns;
		}
		nk = (int)(sizeof(cycle_kinds) / sizeof(cycle_kinds[0]));
		for (int j = 0; j < nk; j++) {
			enum kind k = cycle_kinds[(j + r) % nk];

			if (skipped(k))
				continue;
			cyc[k][r] = cycles_once(k, cycle_size, cycles);
		}
	}
	phase = "report";

	printf("\nfault throughput (time of the touch loop only)\n");
	printf("  %-9s %-39s %9s %9s %9s %8s %8s %9s %9s\n", "kind", "mapping", "ns/fault",
	       "min", "max", "Mpage/s", "GiB/s", "setup ms", "unmap ms");
	for (size_t j = 0; j < sizeof(fault_kinds) / sizeof(fault_kinds[0]); j++) {
		enum kind k = fault_kinds[j];
		struct stat3 su, dn;

		if (skipped(k))
			continue;
		fs[k] = summarize(t_touch[k], reps);
		su = summarize(setup[k], reps);
		dn = summarize(down[k], reps);
		printf("  %-9s %-39s %9.0f %9.0f %9.0f %8.3f %8.3f %9.2f %9.2f\n",
		       kind_name[k], kind_desc[k], fs[k].median / npages, fs[k].min / npages,
		       fs[k].max / npages, npages / fs[k].median * 1e3,
		       size / fs[k].median * 1e9 / (1024.0 * MIB), su.median / 1e6,
		       dn.median / 1e6);
	}
	if (!thp_advice_ok)
		printf("  anon-thp: MADV_HUGEPAGE refused (no THP in this kernel)\n");
	else if (thp_kb >= 0)
		printf("  anon-thp: AnonHugePages %lld MiB of %zu MiB after touching\n",
		       thp_kb / 1024, size / MIB);
	if (rat_pages_seen >= 0)
		printf("  ratmem: pages counter %lld while mapped (%lld before create)\n",
		       rat_pages_seen, rat_pages_before);

	printf("\nlifecycle of a %zu KiB object, %d cycles per round (ns per cycle)\n",
	       cycle_size / 1024, cycles);
	printf("  %-9s %-60s %10s %10s %10s\n", "kind", "cycle", "ns/cycle", "min", "max");
	for (size_t j = 0; j < sizeof(cycle_kinds) / sizeof(cycle_kinds[0]); j++) {
		enum kind k = cycle_kinds[j];
		static const char *const what[NKINDS] = {
			[K_RATMEM] = "CREATE(COMMIT)+mmap+touch+munmap+CLOSE",
			[K_MEMFD] = "memfd_create+ftruncate+mmap+touch+munmap+close",
			[K_ANON4K] = "mmap+madvise(NOHUGEPAGE)+touch+munmap (info)",
		};

		if (skipped(k))
			continue;
		cs[k] = summarize(cyc[k], reps);
		printf("  %-9s %-60s %10.0f %10.0f %10.0f\n", kind_name[k], what[k],
		       cs[k].median, cs[k].min, cs[k].max);
	}

	printf("\n");
	for (size_t j = 0; j < sizeof(fault_kinds) / sizeof(fault_kinds[0]); j++) {
		enum kind k = fault_kinds[j];

		if (skipped(k))
			continue;
		printf("result fault %s ns_per_fault %.1f\n", kind_name[k], fs[k].median / npages);
	}
	for (size_t j = 0; j < sizeof(cycle_kinds) / sizeof(cycle_kinds[0]); j++) {
		enum kind k = cycle_kinds[j];

		if (skipped(k))
			continue;
		printf("result cycle %s ns_per_cycle %.0f\n", kind_name[k], cs[k].median);
	}
	if (baseline_only) {
		printf("no ratios: ratmem skipped (--baseline-only)\n");
	} else {
		printf("ratios are time ratios of the medians (ratmem / other): "
		       "above 1 means ratmem is slower\n");
		printf("ratio fault ratmem/anon4k %.2f\n", fs[K_RATMEM].median / fs[K_ANON4K].median);
		printf("ratio fault ratmem/memfd %.2f\n", fs[K_RATMEM].median / fs[K_MEMFD].median);
		printf("ratio cycle ratmem/memfd %.2f\n", cs[K_RATMEM].median / cs[K_MEMFD].median);
		printf("ratio refault ratmem-re/memfd-re %.2f\n",
		       fs[K_RATMEM_RE].median / fs[K_MEMFD_RE].median);
	}
	if (rat_fd >= 0 && close(rat_fd))
		die_errno("close /dev/ratmem");
	return 0;
}
