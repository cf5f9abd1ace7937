// SPDX-License-Identifier: GPL-2.0
/*
 * fault_bench: the fault path of issue 18, against anonymous memory,
 * side by side in one run.
 *
 * Every case touches each 4 KiB page of a fresh 256 MiB mapping once
 * (one 8-byte write per page) and is timed from the first touch to the
 * last (the populate case includes its RATMEM_IOC_POPULATE call).
 *
 *   anon4k      anonymous MAP_PRIVATE, MADV_NOHUGEPAGE
 *   anon-thp    anonymous, 2 MiB aligned, MADV_HUGEPAGE
 *   ratmem      a region of 4 KiB pages, CREATE_COMMIT, demand faults,
 *               with the page pools off (pool_pages 0)
 *   ratmem-pool the same with pool_pages 4096: zeroed pages from the
 *               node's pool, refilled on the other CPU meanwhile
 *   ratmem-seq  the same with MADV_SEQUENTIAL: fault-around allocates
 *               and maps fault_around_pages pages per fault
 *   ratmem-pop  the same, RATMEM_IOC_POPULATE of the whole mapping first
 *   ratmem-2m   a region of 2 MiB pages (one PMD each where the kernel
 *               maps huge pfnmaps)
 *
 * Then two threads touch the two halves of one mapping (ratmem, anon4k)
 * and the speedup over one thread is printed.
 *
 * revoke-n: one 64 KiB region granted to N processes, each of which maps
 * and touches it; the owner revokes the N grants one by one. The time
 * per REVOKE at N = 16 against N = 4 shows whether a revocation costs its
 * own grantee (the same) or every mapper of the region (4 times as much).
 *
 * Each case runs ROUNDS times, interleaved; medians are reported, with
 * the goals of issue 18 and by how much each is missed. Nothing here is
 * a pass/fail check of speed; a failed system call ends the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ratmem.h>

#define BENCH_NAME "fault_bench"
#include "bench_util.h"

#define MIB	((size_t)1 << 20)
#define SIZE	(256 * MIB)
#define PG	((size_t)4096)
#define ROUNDS	5

enum kind { K_ANON4K, K_ANONTHP, K_RATMEM, K_RATMEM_POOL, K_RATMEM_SEQ, K_RATMEM_POP,
	    K_RATMEM_2M, NKINDS };

static const char *const kind_name[NKINDS] = {
	"anon4k", "anon-thp", "ratmem", "ratmem-pool", "ratmem-seq", "ratmem-pop", "ratmem-2m",
};

#define POOL_PARAM "/sys/module/ratmem/parameters/pool_pages"

static char pool_pages_saved[32] = "64";	/* read at the start of main() */

/* Set the module's pool_pages; a module without pools has no file. */
static void set_pool_pages(const char *value)
{
	FILE *f = fopen(POOL_PARAM, "we");

	if (!f)
		return;
	if (fputs(value, f) < 0 || fclose(f))
		die("writing %s", POOL_PARAM);
}

static int rat_fd = -1;
static uint64_t features;

/* One mapping of SIZE bytes of @kind: what to touch, and what to unmap. */
struct obj {
	char *base;
	void *map;
	size_t map_size;
	uint32_t handle;
};

static void obj_create(struct obj *o, enum kind k)
{
	memset(o, 0, sizeof(*o));
	o->map_size = SIZE;
	if (k == K_ANON4K || k == K_ANONTHP) {
		if (k == K_ANONTHP)
			o->map_size += 2 * MIB;
		o->map = mmap(NULL, o->map_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (o->map == MAP_FAILED)
			die("mmap anonymous");
		o->base = o->map;
		if (k == K_ANONTHP)
			o->base = (char *)(((uintptr_t)o->map + 2 * MIB - 1) & ~(2 * MIB - 1));
		/* EINVAL: no THP in this kernel; every fault is 4 KiB anyway. */
		if (madvise(o->base, SIZE, k == K_ANONTHP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
		    errno != EINVAL)
			die("madvise");
		return;
	}
	struct ratmem_create c = {
		.size = SIZE, .flags = RATMEM_CREATE_COMMIT,
		.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
		.page_shift = k == K_RATMEM_2M ? RATMEM_PAGE_SHIFT_2M : 0, .numa_node = -1,
	};

	if (ioctl(rat_fd, RATMEM_IOC_CREATE, &c))
		die("RATMEM_IOC_CREATE");
	o->handle = c.handle;
	o->map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, rat_fd,
		      (off_t)RATMEM_MMAP_OFFSET(c.handle));
	if (o->map == MAP_FAILED)
		die("mmap of a ratmem handle");
	o->base = o->map;
	if (k == K_RATMEM_SEQ && madvise(o->base, SIZE, MADV_SEQUENTIAL))
		die("madvise(MADV_SEQUENTIAL)");
}

static void obj_destroy(struct obj *o)
{
	if (munmap(o->map, o->map_size))
		die("munmap");
	if (o->handle) {
		struct ratmem_close c = { .handle = o->handle };

		if (ioctl(rat_fd, RATMEM_IOC_CLOSE, &c))
			die("RATMEM_IOC_CLOSE");
	}
}

static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += PG)
		*(volatile uint64_t *)(p + off) = off + 1;
}

static void populate(char *p, size_t len)
{
	struct ratmem_populate a = { .addr = (uintptr_t)p, .length = len };

	if (ioctl(rat_fd, RATMEM_IOC_POPULATE, &a))
		die("RATMEM_IOC_POPULATE");
}

/* Seconds to touch all of a fresh object of @k. */
static double touch_once(enum kind k)
{
	struct obj o;
	uint64_t t0, t1;

	/* Only ratmem-pool runs with pools; the other cases as before them. */
	set_pool_pages(k == K_RATMEM_POOL ? "4096" : "0");
	obj_create(&o, k);
	t0 = now_ns();
	if (k == K_RATMEM_POP)
		populate(o.base, SIZE);
	touch(o.base, SIZE);
	t1 = now_ns();
	set_pool_pages(pool_pages_saved);
	for (size_t off = 0; off < SIZE; off += 2 * MIB)
		if (*(uint64_t *)(o.base + off) != off + 1)
			die("%s: wrong word at %zu", kind_name[k], off);
	obj_destroy(&o);
	return (double)(t1 - t0) / 1e9;
}

struct half {
	char *p;
	pthread_barrier_t *start;
};

static void *touch_half(void *arg)
{
	struct half *h = arg;

	pthread_barrier_wait(h->start);
	touch(h->p, SIZE / 2);
	return NULL;
}

/* Seconds for two threads to touch one half each of a fresh object. */
static double two_threads_once(enum kind k)
{
	pthread_barrier_t start;
	struct half h[2];
	pthread_t t[2];
	struct obj o;
	uint64_t t0, t1;

	obj_create(&o, k);
	if (pthread_barrier_init(&start, NULL, 3))
		die("pthread_barrier_init");
	for (int i = 0; i < 2; i++) {
		h[i] = (struct half){ .p = o.base + i * (SIZE / 2), .start = &start };
		if (pthread_create(&t[i], NULL, touch_half, &h[i]))
			die("pthread_create");
	}
	t0 = now_ns();
	pthread_barrier_wait(&start);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	t1 = now_ns();
	pthread_barrier_destroy(&start);
	obj_destroy(&o);
	return (double)(t1 - t0) / 1e9;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* A grantee: accept the capability that comes on @sock, map, touch, wait. */
static void grantee(int sock)
{
	struct ratmem_accept a = { 0 };
	uint64_t cap;
	char *p, c = 1;
	int fd = open("/dev/ratmem", O_RDWR | O_CLOEXEC);

	if (fd < 0 || read(sock, &cap, sizeof(cap)) != sizeof(cap))
		_exit(1);
	a.cap_id = cap;
	if (ioctl(fd, RATMEM_IOC_ACCEPT, &a))
		_exit(2);
	p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)RATMEM_MMAP_OFFSET(a.handle));
	if (p == MAP_FAILED)
		_exit(3);
	touch(p, a.size);
	if (write(sock, &c, 1) != 1)
		_exit(4);
	/* Until the owner is done (EOF). */
	while (read(sock, &c, 1) > 0)
		;
	_exit(0);
}

/* Mean microseconds per REVOKE of @n grants of one 64 KiB region, each mapped. */
static double revoke_n_once(int n)
{
	struct ratmem_create c = {
		.size = 64 * 1024, .flags = RATMEM_CREATE_COMMIT, .numa_node = -1,
		.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP |
			  RATMEM_RIGHT_GRANT,
	};
	uint64_t caps[16], t0, t1;
	int socks[16];
	pid_t pids[16];

	if (n > 16)
		die("revoke-n: at most 16");
	if (ioctl(rat_fd, RATMEM_IOC_CREATE, &c))
		die("RATMEM_IOC_CREATE");
	for (int i = 0; i < n; i++) {
		struct ratmem_grant g = {
			.handle = c.handle,
			.rights = RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
		};
		int sv[2], pidfd;
		char ok;

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			die("socketpair");
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			close(sv[0]);
			grantee(sv[1]);
		}
		close(sv[1]);
		socks[i] = sv[0];
		pidfd = (int)syscall(SYS_pidfd_open, pids[i], 0);
		if (pidfd < 0)
			die("pidfd_open");
		g.pidfd = pidfd;
		if (ioctl(rat_fd, RATMEM_IOC_GRANT, &g))
			die("RATMEM_IOC_GRANT");
		close(pidfd);
		caps[i] = g.cap_id;
		if (write(socks[i], &caps[i], sizeof(caps[i])) != sizeof(caps[i]) ||
		    read(socks[i], &ok, 1) != 1)
			die("revoke-n: grantee %d did not map", i);
	}
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		struct ratmem_revoke r = { .handle = c.handle, .cap_id = caps[i] };

		if (ioctl(rat_fd, RATMEM_IOC_REVOKE, &r))
			die("RATMEM_IOC_REVOKE");
	}
	t1 = now_ns();
	/*
	 * Every socket first: each grantee holds the sockets of those forked
	 * before it, so none sees EOF until all are closed here.
	 */
	for (int i = 0; i < n; i++)
		close(socks[i]);
	for (int i = 0; i < n; i++) {
		int status;

		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("revoke-n: grantee %d failed (status %#x)", i, status);
	}
	struct ratmem_close cl = { .handle = c.handle };

	if (ioctl(rat_fd, RATMEM_IOC_CLOSE, &cl))
		die("RATMEM_IOC_CLOSE");
	return (double)(t1 - t0) / 1e3 / n;
}

static void goal(const char *what, double value, double target, int at_least)
{
	int met = at_least ? value >= target : value <= target;

	printf("goal %-44s %6.2f  %s %.2f  %s", what, value, at_least ? ">=" : "<=", target,
	       met ? "met" : "MISSED");
	if (!met)
		printf(" by %.0f%%", 100.0 * (at_least ? 1 - value / target : value / target - 1));
	printf("\n");
}

int main(void)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	double t[NKINDS][ROUNDS], two[NKINDS][ROUNDS], med[NKINDS], med2[NKINDS];
	double rv4[ROUNDS], rv16[ROUNDS], m4, m16;
	const enum kind pair[2] = { K_RATMEM, K_ANON4K };
	const double kpages = (double)(SIZE / PG) / 1000;

	FILE *pf = fopen(POOL_PARAM, "re");

	/* Line by line: a run killed at its time limit still shows how far it got. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pf) {
		if (!fgets(pool_pages_saved, sizeof(pool_pages_saved), pf))
			die("reading %s", POOL_PARAM);
		fclose(pf);
	}
	rat_fd = open("/dev/ratmem", O_RDWR | O_CLOEXEC);
	if (rat_fd < 0)
		die("open /dev/ratmem");
	if (ioctl(rat_fd, RATMEM_IOC_API, &api))
		die("RATMEM_IOC_API");
	features = api.features;
	if (!(features & RATMEM_FEATURE_POPULATE) || !(features & RATMEM_FEATURE_HUGE_PAGES))
		die("the module has no POPULATE or 2 MiB pages (features %#llx)",
		    (unsigned long long)features);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < NKINDS; i++) {
			enum kind k = (enum kind)((i + r) % NKINDS);

			t[k][r] = touch_once(k);
			printf("# round %d %s %.3f s\n", r, kind_name[k], t[k][r]);
		}
		for (int i = 0; i < 2; i++)
			two[pair[(i + r) % 2]][r] = two_threads_once(pair[(i + r) % 2]);
		printf("# round %d 2 threads done\n", r);
		rv4[r] = revoke_n_once(4);
		rv16[r] = revoke_n_once(16);
		printf("# round %d revoke-n done\n", r);
	}
	printf("fault_bench: 256 MiB, one write per 4 KiB page, median of %d rounds; "
	       "2 MiB pages mapped with %s\n", ROUNDS,
	       features & RATMEM_FEATURE_HUGE_PMD ? "PMDs" : "PTEs");
	printf("%-11s %10s %10s\n", "case", "seconds", "kpages/s");
	for (int k = 0; k < NKINDS; k++) {
		med[k] = median(t[k], ROUNDS);
		printf("%-11s %10.3f %10.0f\n", kind_name[k], med[k], kpages / med[k]);
	}
	for (int i = 0; i < 2; i++) {
		enum kind k = pair[i];

		med2[k] = median(two[k], ROUNDS);
		printf("%-11s 2 threads %8.3f s, speedup %.2f\n", kind_name[k], med2[k],
		       med[k] / med2[k]);
	}
	m4 = median(rv4, ROUNDS);
	m16 = median(rv16, ROUNDS);
	printf("revoke-n    one 64 KiB region, N grantees mapped: %.1f us per REVOKE at N=4, "
	       "%.1f at N=16\n", m4, m16);
	printf("ratio fault ratmem/anon4k %.2f\n", med[K_RATMEM] / med[K_ANON4K]);
	printf("ratio fault ratmem-pool/anon4k %.2f, ratmem/ratmem-pool %.2f\n",
	       med[K_RATMEM_POOL] / med[K_ANON4K], med[K_RATMEM] / med[K_RATMEM_POOL]);
	goal("2 MiB region, throughput / anon THP", med[K_ANONTHP] / med[K_RATMEM_2M], 1.0, 1);
	goal("4 KiB region + fault-around, throughput / anon4k",
	     med[K_ANON4K] / med[K_RATMEM_SEQ], 1.5, 1);
	goal("populate + touch, cheaper than demand faults", med[K_RATMEM] / med[K_RATMEM_POP],
	     5.0, 1);
	goal("2 threads, ratmem speedup / anon4k speedup",
	     (med[K_RATMEM] / med2[K_RATMEM]) / (med[K_ANON4K] / med2[K_ANON4K]), 1.0, 1);
	/* Linear in N: the same per call; quadratic would be 4 times. */
	goal("revoke-n, us per REVOKE at N=16 / at N=4", m16 / m4, 1.25, 0);
	return 0;
}
