// SPDX-License-Identifier: GPL-2.0
/* ratmemctl: names of the module's constants and human-readable figures. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

const struct name_bit right_names[] = {
	{ RATMEM_RIGHT_READ, "read" },
	{ RATMEM_RIGHT_WRITE, "write" },
	{ RATMEM_RIGHT_EXEC, "exec" },
	{ RATMEM_RIGHT_MAP, "map" },
	{ RATMEM_RIGHT_GRANT, "grant" },
	{ 0, NULL },
};

const struct name_bit feature_names[] = {
	{ RATMEM_FEATURE_STATS, "stats" },
	{ RATMEM_FEATURE_CONTEXT_BOUND, "context-bound" },
	{ RATMEM_FEATURE_HANDLES, "handles" },
	{ RATMEM_FEATURE_MEMORY, "memory" },
	{ RATMEM_FEATURE_SHARING, "sharing" },
	{ RATMEM_FEATURE_NAMED, "named" },
	{ RATMEM_FEATURE_WAIT, "wait" },
	{ RATMEM_FEATURE_QUOTA, "quota" },
	{ RATMEM_FEATURE_EVENTS, "events" },
	{ RATMEM_FEATURE_NAMED_PLACEMENT, "named-placement" },
	{ RATMEM_FEATURE_HUGE_PAGES, "huge-pages" },
	{ RATMEM_FEATURE_HUGE_PMD, "huge-pmd" },
	{ RATMEM_FEATURE_POPULATE, "populate" },
	{ RATMEM_FEATURE_NUMA, "numa" },
	{ RATMEM_FEATURE_SEAL, "seal" },
	{ RATMEM_FEATURE_LEASE, "lease" },
	{ 0, NULL },
};

const struct name_bit seal_names[] = {
	{ RATMEM_SEAL_COMMIT, "commit" },
	{ RATMEM_SEAL_PROTECT, "protect" },
	{ RATMEM_SEAL_GRANT_WRITE, "grant-write" },
	{ RATMEM_SEAL_WRITE, "write" },
	{ RATMEM_SEAL_SEAL, "seal" },
	{ 0, NULL },
};

const char *fmt_ns(char *buf, size_t len, uint64_t ns, bool exact)
{
	uint64_t s = ns / 1000000000ULL;

	if (exact)
		snprintf(buf, len, "%llu", (unsigned long long)ns);
	else if (ns < 1000000000ULL)
		snprintf(buf, len, "%llums", (unsigned long long)(ns / 1000000ULL));
	else if (s < 60)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ns / 100000000ULL % 10));
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
	return buf;
}

const char *fmt_seals(char *buf, size_t len, uint32_t seals)
{
	char tmp[96] = "";	/* every name, commas and an unknown rest fit */

	for (size_t i = 0; seal_names[i].name; i++) {
		if (!(seals & seal_names[i].bit))
			continue;
		if (tmp[0])
			strcat(tmp, ",");
		strcat(tmp, seal_names[i].name);
		seals &= ~(uint32_t)seal_names[i].bit;
	}
	if (seals)
		snprintf(tmp + strlen(tmp), sizeof(tmp) - strlen(tmp), "%s%#x", tmp[0] ? "," : "",
			 seals);
	snprintf(buf, len, "%s", tmp[0] ? tmp : "-");
	return buf;
}

static const char *const resources[RATMEM_RES_COUNT] = {
	[RATMEM_RES_RESERVED] = "reserved",
	[RATMEM_RES_COMMITTED] = "committed",
	[RATMEM_RES_SHARED] = "shared",
	[RATMEM_RES_HANDLES] = "handles",
	[RATMEM_RES_GRANTS] = "grants",
};

const char *resource_name(int res)
{
	return res >= 0 && res < RATMEM_RES_COUNT ? resources[res] : NULL;
}

bool resource_is_bytes(int res)
{
	return res == RATMEM_RES_RESERVED || res == RATMEM_RES_COMMITTED ||
	       res == RATMEM_RES_SHARED;
}

const char *fmt_bytes(char *buf, size_t len, uint64_t v)
{
	static const char units[] = "KMGTPE";
	int u = -1;
	uint64_t div = 1;

	while (u + 1 < (int)sizeof(units) - 1 && v / div >= 1024) {
		div *= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else if (v % div == 0)
		snprintf(buf, len, "%llu%c", (unsigned long long)(v / div), units[u]);
	else
		snprintf(buf, len, "%.1f%c", (double)v / (double)div, units[u]);
	return buf;
}

const char *fmt_size(char *buf, size_t len, uint64_t v, bool exact)
{
	if (exact) {
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	}
	return fmt_bytes(buf, len, v);
}

const char *fmt_res(char *buf, size_t len, int res, uint64_t v, bool is_limit, bool exact)
{
	if (is_limit && v == RATMEM_LIMIT_NONE)
		snprintf(buf, len, "-");
	else if (resource_is_bytes(res))
		fmt_size(buf, len, v, exact);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

const char *fmt_rights(char *buf, size_t len, uint32_t rights)
{
	static const char letters[] = "rwxmg";
	size_t i;

	for (i = 0; right_names[i].name && i + 1 < len; i++)
		buf[i] = (rights & right_names[i].bit) ? letters[i] : '-';
	buf[i] = '\0';
	return buf;
}

const char *capkind_name(uint32_t kind)
{
	switch (kind) {
	case RATMEM_CAPKIND_OWNER:
		return "owner";
	case RATMEM_CAPKIND_GRANT:
		return "grant";
	case RATMEM_CAPKIND_NAMED_OPEN:
		return "named-open";
	}
	return NULL;
}

const char *event_name(uint32_t ev)
{
	switch (ev) {
	case RATMEM_EV_QUOTA:
		return "quota";
	case RATMEM_EV_GRANT:
		return "grant";
	case RATMEM_EV_ACCEPT:
		return "accept";
	case RATMEM_EV_REVOKE:
		return "revoke";
	case RATMEM_EV_VIOLATION:
		return "violation";
	}
	return NULL;
}

const char *violation_name(uint32_t v)
{
	switch (v) {
	case RATMEM_VIOLATION_REVOKED:
		return "revoked";
	case RATMEM_VIOLATION_WX:
		return "wx";
	}
	return NULL;
}

const char *policy_name(uint32_t mode)
{
	switch (mode) {
	case RATMEM_POLICY_DEFAULT:
		return "default";
	case RATMEM_POLICY_PREFERRED:
		return "preferred";
	case RATMEM_POLICY_BIND:
		return "bind";
	case RATMEM_POLICY_INTERLEAVE:
		return "interleave";
	}
	return NULL;
}

const char *fmt_node_pages(char *buf, size_t len, const struct node_pages *v, int n)
{
	size_t used = 0;

	if (len == 0)
		return buf;
	if (n <= 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		char one[48];
		int w = snprintf(one, sizeof(one), "%s%u:%llu", i ? "," : "", v[i].node,
				 (unsigned long long)v[i].pages);
		/* Every entry but the last leaves room for ",..." after it. */
		size_t need = (size_t)w + (i + 1 < n ? 4 : 0);

		if (used + need >= len) {
			snprintf(buf + used, len - used, "%s", i ? ",..." : "...");
			break;
		}
		memcpy(buf + used, one, (size_t)w + 1);
		used += (size_t)w;
	}
	return buf;
}

const char *fmt_nodemask(char *buf, size_t len, uint64_t mask)
{
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (!mask) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* Runs of three or more nodes as "first-last", as cpusets write them. */
	for (unsigned int node = 0; node < RATMEM_NODEMASK_BITS && used < len; node++) {
		const char *sep = used ? "," : "";
		unsigned int last = node;
		int w;

		if (!(mask & (1ULL << node)))
			continue;
		while (last + 1 < RATMEM_NODEMASK_BITS && (mask & (1ULL << (last + 1))))
			last++;
		if (last >= node + 2)
			w = snprintf(buf + used, len - used, "%s%u-%u", sep, node, last);
		else if (last == node + 1)
			w = snprintf(buf + used, len - used, "%s%u,%u", sep, node, last);
		else
			w = snprintf(buf + used, len - used, "%s%u", sep, node);
		used += (size_t)w;
		node = last;
	}
	return buf;
}

size_t fmt_escape(char *dst, size_t len, const char *src, bool raw)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
		bool esc = *p == '\\' || *p < 0x20 || *p >= 0x7f || (raw && *p == ' ');
		char tmp[5];
		size_t w = esc ? 4 : 1;

		if (esc)
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		else
			tmp[0] = (char)*p;
		if (n + w < len)
			memcpy(dst + n, tmp, w);
		else if (n < len)
			len = n + 1;	/* no half escapes: stop here */
		n += w;
	}
	if (len)
		dst[n < len ? n : len - 1] = '\0';
	return n;
}

static void out_of_memory(void)
{
	fputs("ratmemctl: out of memory\n", stderr);
	exit(EXIT_RUNTIME);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	return s;
}
