// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rat_hello: a tour of librat's memory calls. Exits 0 only if every
 * step worked.
 *
 *   cc rat_hello.c $(pkg-config --cflags --libs librat) -o rat_hello
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rat.h>

static int failures;

/* Print one step's outcome; count the failures. */
static void report(const char *step, int ok)
{
	RatStatus st = RatGetLastError();

	printf("%-52s %s", step, ok ? "ok" : "FAILED");
	if (!ok)
		printf(" (last error: %s)", RatStatusString(st));
	printf("\n");
	if (!ok)
		failures++;
}

/* A committed region behind an opaque handle: allocate, map, use, free. */
static void hmem_tour(void)
{
	HMEM mem = RatAllocMemory(8192);
	char *p;

	report("RatAllocMemory(8192): a committed region", mem != NULL);
	if (!mem)
		return;
	p = RatMapMemory(mem);
	report("RatMapMemory: mapped read-write, reads as zero", p && p[0] == 0 && p[8191] == 0);
	if (p) {
		strcpy(p, "hello, ratmem");
		report("write then read back \"hello, ratmem\"", strcmp(p, "hello, ratmem") == 0);
	}
	report("RatFreeMemory: unmapped, handle closed", RatFreeMemory(mem) == RAT_STATUS_OK);
}

/* Reserve address space, commit a page read-write, then make it read-only. */
static void reserve_tour(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *base = RatMemReserve(16 * page);

	report("RatMemReserve(16 pages): nothing committed yet", base != NULL);
	if (!base)
		return;
	report("RatMemCommit(page 1, read-write)",
	       RatMemCommit(base + page, page, RAT_MEM_READ | RAT_MEM_WRITE) == RAT_STATUS_OK);
	base[page] = 42;
	report("the committed page holds what was written", base[page] == 42);
	report("RatMemProtect(page 1, read-only)",
	       RatMemProtect(base + page, page, RAT_MEM_READ) == RAT_STATUS_OK);
	report("write+execute together is refused (W^X)",
	       RatMemProtect(base + page, page, RAT_MEM_WRITE | RAT_MEM_EXECUTE) ==
	       RAT_STATUS_PERMISSION);
	report("RatMemDecommit(page 1): its page is freed",
	       RatMemDecommit(base + page, page) == RAT_STATUS_OK);
	report("RatMemRelease: the reservation is gone",
	       RatMemRelease(base, 0) == RAT_STATUS_OK);
}

/* The heap: zeroed allocations from ratmem regions. */
static void heap_tour(void)
{
	int *numbers = RatMemCalloc(100, sizeof(int));
	int sum = 0;

	report("RatMemCalloc(100 ints): zeroed", numbers && numbers[0] == 0 && numbers[99] == 0);
	if (!numbers)
		return;
	for (int i = 0; i < 100; i++)
		numbers[i] = i;
	numbers = RatMemRealloc(numbers, 200 * sizeof(int));
	report("RatMemRealloc(200 ints): old values kept, new zeroed",
	       numbers && numbers[99] == 99 && numbers[199] == 0);
	if (!numbers)
		return;
	for (int i = 0; i < 200; i++)
		sum += numbers[i];
	report("sum of the 200 ints is 4950", sum == 4950);
	RatMemFree(numbers);
	report("RatMemFree", RatGetLastError() == RAT_STATUS_OK);
}

int main(void)
{
	RatStatus st = RatInit();

	report("RatInit: /dev/ratmem opened, handshake done", st == RAT_STATUS_OK);
	if (st != RAT_STATUS_OK)
		return 1;
	hmem_tour();
	reserve_tour();
	heap_tour();
	report("RatShutdown: default context closed", RatShutdown() == RAT_STATUS_OK);
	printf("rat_hello: %s\n", failures ? "FAILED" : "all steps worked");
	return failures ? 1 : 0;
}
