// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: heap telemetry (RatMemHeapStats, RatMemHeapDump) and the leak
 * report of RAT_HEAP_LEAKCHECK=1: the specification's "heap dump, leak
 * detection" and the subsystem notes' "usage and fragmentation". The
 * figures are counted by heap.c.
 */
#include <stdio.h>

#include "rat_internal.h"

RatStatus RatMemHeapStats(RatHeapStats *stats)
{
	struct rat_heap_totals t;

	if (!stats)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	rat_heap_totals(&t);
	*stats = (RatHeapStats){
		.bytes_in_use = t.in_use,
		.bytes_committed = t.committed,
		.allocations = t.allocations,
		.bytes_free = t.free_bytes,
		.largest_free_block = t.largest_free,
		/* 0: all free memory in one block; near 1: in many small ones. */
		.fragmentation = t.free_bytes ?
			1.0 - (double)t.largest_free / (double)t.free_bytes : 0.0,
	};
	return rat_set_status(RAT_STATUS_OK);
}

struct dump {
	FILE *out;
	int failed;
};

static void dump_one(void *p, size_t req, void *caller, void *arg)
{
	struct dump *d = arg;
	int n;

	if (caller)
		n = fprintf(d->out, "%p %zu %p\n", p, req, caller);
	else
		n = fprintf(d->out, "%p %zu\n", p, req);
	if (n < 0)
		d->failed = 1;
}

RatStatus RatMemHeapDump(FILE *out)
{
	struct dump d = { out, 0 };

	if (!out)
		return rat_set_status(RAT_STATUS_INVALID_ARG);
	rat_heap_visit(dump_one, &d);
	if (fflush(out) != 0)
		d.failed = 1;
	return rat_set_status(d.failed ? RAT_STATUS_ERROR : RAT_STATUS_OK);
}

struct leaks {
	size_t n, bytes;
};

static void report_one(void *p, size_t req, void *caller, void *arg)
{
	struct leaks *l = arg;

	l->n++;
	l->bytes += req;
	if (caller)
		fprintf(stderr, "librat: leak: %zu bytes at %p, allocated from %p\n", req, p, caller);
	else
		fprintf(stderr, "librat: leak: %zu bytes at %p\n", req, p);
}

void rat_heap_leak_report(void)
{
	struct leaks l = { 0, 0 };

	/* Registered once per program image; a forked child reports its own heap. */
	if (!rat_heap_leakcheck())
		return;
	rat_heap_visit(report_one, &l);
	fprintf(stderr, "librat: %zu allocation%s (%zu bytes) still live at exit\n", l.n,
		l.n == 1 ? "" : "s", l.bytes);
}
