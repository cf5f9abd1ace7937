// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl export --prometheus: a snapshot in the Prometheus text
 * exposition format, for node_exporter's textfile collector. Each metric
 * family has its # HELP and # TYPE lines, then its samples; families with
 * no sample (no process has a limit, say) are left out. Pure formatting:
 * fmt_test.c checks it on synthetic snapshots.
 */
#include <string.h>

#include "ctl.h"

const char *prom_escape(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	if (!len)
		return buf;
	for (; *s && n + 1 < len; s++) {
		const char *esc = NULL;

		if (*s == '\\')
			esc = "\\\\";
		else if (*s == '"')
			esc = "\\\"";
		else if (*s == '\n')
			esc = "\\n";
		if (esc) {
			if (n + 2 >= len)
				break;
			memcpy(buf + n, esc, 2);
			n += 2;
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return buf;
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *out, const char *name, uint64_t v)
{
	fprintf(out, "%s %llu\n", name, (unsigned long long)v);
}

static void pid_sample(FILE *out, const char *name, uint32_t pid, uint64_t v)
{
	fprintf(out, "%s{pid=\"%u\"} %llu\n", name, pid, (unsigned long long)v);
}

/* Per-process figures, one family each. */
enum pfig {
	P_REGIONS,
	P_RESIDENT,
	P_REGION_COMMITTED,
	P_EXITED,
	P_USAGE,	/* + resource */
	P_LIMIT = P_USAGE + RATMEM_RES_COUNT,
	P_MAX = P_LIMIT + RATMEM_RES_COUNT,
};

/* Whether process @p has figure @f, and its value. */
static bool proc_figure(const struct proc_stat *p, int f, uint64_t *v)
{
	switch (f) {
	case P_REGIONS:
		*v = p->regions;
		return true;
	case P_RESIDENT:
		*v = p->resident;
		return true;
	case P_REGION_COMMITTED:
		*v = p->committed;
		return true;
	case P_EXITED:
		*v = p->exited;
		return p->has_quota;
	}
	if (f >= P_USAGE && f < P_LIMIT) {
		*v = p->usage[f - P_USAGE];
		return p->has_quota;
	}
	*v = p->limit[f - P_LIMIT];
	return p->has_quota && *v != RATMEM_LIMIT_NONE;
}

static void proc_family_name(int f, char *name, size_t len, char *help, size_t hlen)
{
	static const char *const fixed[][2] = {
		[P_REGIONS] = { "ratmem_process_regions", "Regions the process created." },
		[P_RESIDENT] = { "ratmem_process_resident_bytes",
				 "Bytes backed by pages of the regions the process created." },
		[P_REGION_COMMITTED] = { "ratmem_process_region_committed_bytes",
					 "Committed bytes of the regions the process created." },
		[P_EXITED] = { "ratmem_process_exited",
			       "1 when the process has exited and its regions live on." },
	};
	int res;

	if (f < P_USAGE) {
		snprintf(name, len, "%s", fixed[f][0]);
		snprintf(help, hlen, "%s", fixed[f][1]);
		return;
	}
	res = f < P_LIMIT ? f - P_USAGE : f - P_LIMIT;
	snprintf(name, len, "ratmem_process_%s%s%s", resource_name(res),
		 f < P_LIMIT ? "" : "_limit", resource_is_bytes(res) ? "_bytes" : "");
	snprintf(help, hlen, "%s of the process's quota: %s%s.", f < P_LIMIT ? "Usage" : "Limit",
		 resource_name(res), resource_is_bytes(res) ? " bytes" : "");
}

void prom_write(FILE *out, const struct snapshot *s)
{
	const struct status *st = &s->st;
	char esc[sizeof(st->version) * 2];

	family(out, "ratmem_info", "gauge", "The loaded ratmem module: version and ABI version.");
	fprintf(out, "ratmem_info{version=\"%s\",abi_version=\"%u\"} 1\n",
		prom_escape(esc, sizeof(esc), st->version[0] ? st->version : "unknown"), st->abi);
	family(out, "ratmem_feature", "gauge", "Features of the loaded module (1: present).");
	for (int i = 0; feature_names[i].name; i++)
		fprintf(out, "ratmem_feature{feature=\"%s\"} %d\n", feature_names[i].name,
			(st->features & feature_names[i].bit) != 0);
	if (st->has_seq) {
		family(out, "ratmem_events_total", "counter",
		       "Events the module has sent (the last event's sequence number).");
		sample(out, "ratmem_events_total", st->seq);
	}
	for (int i = 0; i < NSTATUS_COUNTERS; i++) {
		char name[64];

		if (!st->has[i])
			continue;
		snprintf(name, sizeof(name), "ratmem_%s", status_counters[i].key);
		family(out, name, "gauge", status_counters[i].help);
		sample(out, name, st->val[i]);
	}

	family(out, "ratmem_region_size_bytes", "gauge", "Sum of the sizes of all regions.");
	sample(out, "ratmem_region_size_bytes", s->size);
	family(out, "ratmem_region_committed_bytes", "gauge", "Committed bytes of all regions.");
	sample(out, "ratmem_region_committed_bytes", s->committed);
	family(out, "ratmem_region_resident_bytes", "gauge",
	       "Bytes of all regions backed by pages.");
	sample(out, "ratmem_region_resident_bytes", s->resident);
	family(out, "ratmem_region_pending_pages", "gauge",
	       "Resident 4 KiB pages marked for a lazy migration.");
	sample(out, "ratmem_region_pending_pages", s->pending);
	if (s->has_nodes) {
		family(out, "ratmem_node_resident_bytes", "gauge",
		       "Bytes of regions resident on each NUMA node.");
		for (unsigned int node = 0; node < RATMEM_NODES_MAX; node++)
			if (s->node_pages[node])
				fprintf(out, "ratmem_node_resident_bytes{node=\"%u\"} %llu\n", node,
					(unsigned long long)(s->node_pages[node] * 4096));
	}
	family(out, "ratmem_grants_by_state", "gauge", "Grants, pending or accepted.");
	fprintf(out, "ratmem_grants_by_state{state=\"pending\"} %llu\n",
		(unsigned long long)s->grants_pending);
	fprintf(out, "ratmem_grants_by_state{state=\"accepted\"} %llu\n",
		(unsigned long long)s->grants_accepted);

	for (int f = 0; f < P_MAX; f++) {
		bool header = false;

		for (int i = 0; i < s->nprocs; i++) {
			char name[64], help[128];
			uint64_t v;

			if (!proc_figure(&s->procs[i], f, &v))
				continue;
			proc_family_name(f, name, sizeof(name), help, sizeof(help));
			if (!header)
				family(out, name, "gauge", help);
			header = true;
			pid_sample(out, name, s->procs[i].pid, v);
		}
	}
}
