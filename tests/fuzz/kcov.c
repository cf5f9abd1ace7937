// SPDX-License-Identifier: GPL-2.0
/*
 * Edge coverage of ratmem.ko from KCOV (Documentation/dev-tools/kcov.rst):
 * each thread that makes calls opens /sys/kernel/debug/kcov, traces its
 * own PCs (KCOV_TRACE_PC), and folds those inside the module's text into
 * an edge bitmap in memory shared by every process of the run, as AFL
 * does: edge = hash(previous PC, PC).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

/* From <linux/kcov.h>, which Debian 12's linux-libc-dev has too. */
#include <linux/kcov.h>

#define COV_WORDS	(64 << 10)		/* PCs one call may record */
#define MAP_BITS	(1U << 20)		/* edges in the bitmap */

struct cov_shared {
	unsigned long edges;			/* bits set in map */
	uint64_t map[MAP_BITS / 64];
};

static struct cov_shared *shared;
static unsigned long text_lo, text_hi;

static __thread int kcov_fd = -1;
static __thread unsigned long *area;

static unsigned long read_hex_file(const char *path)
{
	unsigned long v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lx", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* ratmem's core: from its .text to the end of what /proc/modules says it takes. */
static int module_text(void)
{
	char line[256], name[64];
	unsigned long size, base;
	FILE *f;

	text_lo = read_hex_file("/sys/module/ratmem/sections/.text");
	f = fopen("/proc/modules", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %*s %*s %*s %lx", name, &size, &base) == 3 &&
		    !strcmp(name, "ratmem")) {
			text_hi = base + size;
			if (!text_lo)
				text_lo = base;
		}
	}
	fclose(f);
	return text_lo && text_hi > text_lo ? 0 : -ENOENT;
}

/**
 * fz_cov_init() - find the module and set up the shared edge map
 *
 * Return: 0, or -errno: -ENOENT without KCOV (or without the module).
 */
int fz_cov_init(void)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	if (fd < 0)
		return -ENOENT;
	close(fd);
	if (module_text())
		return -ENOENT;
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	return shared == MAP_FAILED ? -ENOMEM : 0;
}

void fz_cov_thread_start(void)
{
	int fd;

	if (!shared || kcov_fd >= 0)
		return;
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd < 0)
		return;
	if (ioctl(fd, KCOV_INIT_TRACE, COV_WORDS))
		goto err;
	area = mmap(NULL, COV_WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (area == MAP_FAILED)
		goto err;
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		munmap(area, COV_WORDS * sizeof(unsigned long));
		goto err;
	}
	kcov_fd = fd;
	return;
err:
	close(fd);
}

void fz_cov_thread_stop(void)
{
	if (kcov_fd < 0)
		return;
	ioctl(kcov_fd, KCOV_DISABLE, 0);
	munmap(area, COV_WORDS * sizeof(unsigned long));
	close(kcov_fd);
	kcov_fd = -1;
}

void fz_cov_begin(void)
{
	if (kcov_fd >= 0)
		__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
}

static uint32_t mix(unsigned long x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

void fz_cov_end(void)
{
	unsigned long n, prev = 0;

	if (kcov_fd < 0)
		return;
	n = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	if (n >= COV_WORDS)
		n = COV_WORDS - 1;
	for (unsigned long i = 1; i <= n; i++) {
		unsigned long pc = area[i];
		uint32_t bit;
		uint64_t mask, old;

		if (pc < text_lo || pc >= text_hi)
			continue;
		bit = (mix(pc) ^ (mix(prev) >> 1)) & (MAP_BITS - 1);
		prev = pc;
		mask = 1ULL << (bit & 63);
		old = __atomic_fetch_or(&shared->map[bit / 64], mask, __ATOMIC_RELAXED);
		if (!(old & mask))
			__atomic_fetch_add(&shared->edges, 1, __ATOMIC_RELAXED);
	}
}

unsigned long fz_cov_edges(void)
{
	return shared ? __atomic_load_n(&shared->edges, __ATOMIC_RELAXED) : 0;
}
