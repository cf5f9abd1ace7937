/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workloads that unmodified programs run on librat-malloc.so in the
 * guest: test_apps (tests/selftests/librat/) checks that their output
 * is the same with and without the shim, and heap_bench (tests/bench/)
 * times them both ways. Deterministic: the same output on every run.
 */
#ifndef RATMEM_APPS_WORKLOADS_H
#define RATMEM_APPS_WORKLOADS_H

#include <stdio.h>

#define APPS		"/apps"
#define APPS_SHIM	APPS "/librat-malloc.so"

/* sqlite3 :memory: < this */
static const char apps_sqlite_script[] =
	"CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);\n"
	"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 50000)\n"
	"INSERT INTO t SELECT x, printf('%08d-%s', x*7919 % 100003, x % 97), x*0.5 FROM n;\n"
	"CREATE INDEX tb ON t(b);\n"
	"SELECT count(*), sum(c), min(b), max(b) FROM t;\n"
	"SELECT b FROM t ORDER BY b DESC LIMIT 3;\n"
	"SELECT substr(b,1,3) AS p, count(*) FROM t GROUP BY p ORDER BY 2 DESC, 1 LIMIT 5;\n"
	"DELETE FROM t WHERE a % 3 = 0;\n"
	"VACUUM;\n"
	"SELECT count(*), total(length(b)) FROM t;\n";

/* python3 -I on this (PYTHONHASHSEED=0): standard-library heavy. */
static const char apps_python_script[] =
	"import collections, heapq, json, random, re, statistics, textwrap, difflib\n"
	"random.seed(7)\n"
	"recs = [{'id': i, 'name': 'n%05d' % random.randrange(100000),\n"
	"         'tags': [random.choice('abcdefgh') for _ in range(5)]} for i in range(20000)]\n"
	"s = json.dumps(recs, sort_keys=True)\n"
	"back = json.loads(s)\n"
	"c = collections.Counter(t for r in back for t in r['tags'])\n"
	"print(len(s), sorted(c.items()))\n"
	"print(heapq.nlargest(3, (r['name'] for r in back)))\n"
	"print(len(re.findall(r'n0[0-4]\\d+', s)), statistics.mean(r['id'] for r in back))\n"
	"words = ' '.join(r['name'] for r in back[:2000])\n"
	"print(textwrap.fill(words, 70).count('\\n'))\n"
	"a = [r['name'] for r in back[:300]]; b = sorted(a)\n"
	"print(sum(1 for _ in difflib.unified_diff(a, b, lineterm='')))\n";

/* Write text to path (its folder must exist); 0 or -1. */
static inline int apps_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	if (fputs(text, f) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f) ? -1 : 0;
}

/* Write n numbered lines to path, as input for xz and gzip; 0 or -1. */
static inline int apps_write_numbers(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%zu %zu line %zu of the input\n", i, i * 7919 % 100003, i);
	return fclose(f) ? -1 : 0;
}

#endif
