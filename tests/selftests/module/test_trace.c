// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: ratmem's tracepoints (trace system "ratmem") through
 * tracefs. The field names are read from each event's format file, not
 * assumed; trace lines are parsed as "name=value" words, each value in
 * the base its print format gives it.
 *
 * The tracing itself runs in a child: the parent disables the events
 * whatever the child's fate, then judges it.
 */
#include <ctype.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define ALL RATMEM_RIGHTS_ALL
#define RW (PROT_READ | PROT_WRITE)
#define SYSTEM RT_TRACEFS "/events/ratmem"
#define MAX_FIELDS 24
#define NAME_LEN 48

/* One field of an event, as the test names it, and the names a module may use. */
struct want_field {
	const char *role;
	const char *names[5];
};

struct event_fields {
	const char *event;
	struct want_field f[6];
};

#define F(role, ...) { role, { __VA_ARGS__, NULL } }
#define REGION F("region", "region", "region_id", "id")
#define CAP F("cap", "cap", "cap_id", "id_cap")

/* The events and fields the module promises (the lead's list). */
static const struct event_fields events[] = {
	{ "region_create", { REGION, F("size", "size", "bytes"), F("pid", "pid") } },
	{ "region_free", { REGION } },
	{ "commit", { REGION, F("offset", "offset", "off"), F("length", "length", "len"),
		      F("ret", "ret", "err", "result") } },
	{ "decommit", { REGION, F("offset", "offset", "off"), F("length", "length", "len"),
			F("ret", "ret", "err", "result") } },
	{ "fault", { REGION, F("index", "index", "pgoff", "page"),
		     F("result", "result", "ret") } },
	{ "grant", { REGION, CAP, F("rights", "rights"),
		     F("target", "target", "target_pid", "peer", "peer_pid") } },
	{ "accept", { REGION, CAP, F("pid", "pid") } },
	{ "revoke", { REGION, CAP } },
	{ "quota_exceeded", { F("pid", "pid"), F("resource", "resource", "res"),
			      F("amount", "amount"), F("usage", "usage"),
			      F("limit", "limit") } },
	{ "migrate", { REGION, F("index", "index"), F("node", "node") } },
	{ "migrate_range", { REGION, F("offset", "offset"), F("length", "length"),
			     F("node", "node"), F("lazy", "lazy"), F("ret", "ret") } },
};
#define NR_EVENTS (sizeof(events) / sizeof(events[0]))

/* What an event's format file says about one role: the field's name and
 * the base its value is printed in. */
struct field_fmt {
	char name[NAME_LEN];
	int base;
};

struct event_fmt {
	int nr;
	struct field_fmt f[6];
};

static int has_field(const char *format, const char *name)
{
	const char *p = format;
	size_t len = strlen(name);

	/* "\tfield:unsigned long long region;\toffset:..." */
	while ((p = strstr(p, "field:")) != NULL) {
		const char *semi = strchr(p, ';');
		const char *start;

		if (!semi)
			break;
		start = semi;
		while (start > p && start[-1] != ' ' && start[-1] != '\t')
			start--;
		if ((size_t)(semi - start) == len && !strncmp(start, name, len))
			return 1;
		p = semi;
	}
	return 0;
}

/* The base the print format gives "name=": 16 for %x, else 10. */
static int print_base(const char *format, const char *name)
{
	const char *fmt = strstr(format, "print fmt:");
	char key[NAME_LEN + 2];
	const char *p;

	ASSERT_TRUE(fmt != NULL);
	snprintf(key, sizeof(key), "%s=", name);
	for (p = strstr(fmt, key); p; p = strstr(p + 1, key)) {
		if (p > fmt && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;	/* part of a longer name */
		p += strlen(key);
		if (!strncmp(p, "0x", 2))
			p += 2;
		if (*p != '%')
			return 10;	/* a symbolic or literal value */
		while (*p && !strchr("diuxXsp", *p))
			p++;
		return (*p == 'x' || *p == 'X' || *p == 'p') ? 16 : 10;
	}
	rt_fail(__FILE__, __LINE__, "print fmt has no \"%s\": %s", key, fmt);
}

/* Read events[i]'s format file and resolve every role to a field. */
static void load_format(unsigned int i, struct event_fmt *out)
{
	const struct event_fields *ev = &events[i];
	char path[128];
	char *format;

	snprintf(path, sizeof(path), SYSTEM "/%s/format", ev->event);
	if (access(path, R_OK))
		rt_fail(__FILE__, __LINE__, "no tracepoint ratmem:%s (%s: %s)", ev->event, path,
			strerror(errno));
	format = rt_read_file(path);
	memset(out, 0, sizeof(*out));
	for (int r = 0; r < 6 && ev->f[r].role; r++) {
		const char *found = NULL;

		for (int k = 0; ev->f[r].names[k]; k++) {
			if (has_field(format, ev->f[r].names[k])) {
				found = ev->f[r].names[k];
				break;
			}
		}
		if (!found) {
			rt_diag("%s", format);
			rt_fail(__FILE__, __LINE__, "ratmem:%s has no field for its %s (tried %s...)",
				ev->event, ev->f[r].role, ev->f[r].names[0]);
		}
		snprintf(out->f[r].name, NAME_LEN, "%s", found);
		out->f[r].base = print_base(format, found);
		out->nr = r + 1;
	}
	free(format);
}

static struct event_fmt formats[NR_EVENTS];

static unsigned int event_index(const char *name)
{
	for (unsigned int i = 0; i < NR_EVENTS; i++)
		if (!strcmp(events[i].event, name))
			return i;
	rt_fail(__FILE__, __LINE__, "unknown event %s", name);
}

/* One trace line of a ratmem event, its fields by role. */
struct record {
	unsigned int event;
	uint64_t v[6];
	const char *line;
};

/*
 * parse_trace() - the records of the trace buffer's ratmem events.
 * A line reads "task-pid [cpu] flags stamp: event: name=value ...".
 */
static unsigned int parse_trace(char *text, struct record *recs, unsigned int max)
{
	unsigned int n = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned int i;
		char *body = NULL;

		if (line[0] == '#')
			continue;
		for (i = 0; i < NR_EVENTS; i++) {
			char key[NAME_LEN + 4];

			snprintf(key, sizeof(key), " %s: ", events[i].event);
			body = strstr(line, key);
			if (body) {
				body += strlen(key);
				break;
			}
		}
		if (i == NR_EVENTS)
			continue;
		ASSERT_TRUE(n < max);
		recs[n] = (struct record){ .event = i, .line = line };
		for (int r = 0; r < formats[i].nr; r++) {
			char key[NAME_LEN + 2];
			char *p = body, *end;

			snprintf(key, sizeof(key), "%s=", formats[i].f[r].name);
			while ((p = strstr(p, key)) != NULL && p != body && p[-1] != ' ' &&
			       p[-1] != ',' && p[-1] != '(')
				p++;
			if (!p)
				rt_fail(__FILE__, __LINE__, "no %s in trace line: %s", key, line);
			p += strlen(key);
			errno = 0;
			recs[n].v[r] = strtoull(p, &end, formats[i].f[r].base);
			if (end == p || errno)
				rt_fail(__FILE__, __LINE__, "bad value of %s in trace line: %s",
					key, line);
			/* Negative values (ret=-22) read back as two's complement. */
		}
		n++;
	}
	return n;
}

/*
 * The records of @event whose fields match @want (in role order; a
 * role with RT_ANY is not compared): their count, the last one in *out.
 */
#define RT_ANY (~0ULL - 1)

static unsigned int count_records(const struct record *recs, unsigned int n, const char *event,
				  const uint64_t *want, const struct record **out)
{
	unsigned int e = event_index(event), found = 0;

	for (unsigned int i = 0; i < n; i++) {
		int match = recs[i].event == e;

		for (int r = 0; match && r < formats[e].nr; r++)
			if (want[r] != RT_ANY && recs[i].v[r] != want[r])
				match = 0;
		if (match) {
			found++;
			if (out)
				*out = &recs[i];
		}
	}
	return found;
}

static void diag_records(const struct record *recs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rt_diag("trace: %s", recs[i].line);
}

#define EXPECT_RECORDS(recs, n, count, event, ...)			\
	do {								\
		const uint64_t want_[] = { __VA_ARGS__ };		\
		unsigned int got_ = count_records(recs, n, event, want_, NULL); \
		if (got_ != (count)) {					\
			diag_records(recs, n);				\
			rt_fail(__FILE__, __LINE__, "%u %s records with { %s }, expected %u", \
				got_, event, #__VA_ARGS__, (unsigned int)(count)); \
		}							\
	} while (0)

static void disable_events(void)
{
	rt_write_file(SYSTEM "/enable", "0", 0);
}

/* Resolve every event's fields; fail when a tracepoint or field is missing. */
static void load_formats(void)
{
	struct stat st;

	rt_need_tracefs();
	if (stat(SYSTEM, &st) != 0)
		rt_fail(__FILE__, __LINE__, "no trace system ratmem (%s): %s", SYSTEM,
			strerror(errno));
	for (unsigned int i = 0; i < NR_EVENTS; i++)
		load_format(i, &formats[i]);
}

static void start_tracing(void)
{
	load_formats();
	/*
	 * No comm recording: enabling an event would otherwise hook
	 * sched_switch, patching __schedule() while the other vCPU runs it,
	 * and QEMU's multi-threaded TCG (7.2) then sometimes executes a
	 * stale int3 there ("Oops: int3" in __schedule, seen twice in 6.12
	 * guests). The records are matched by their fields, not by comm.
	 */
	rt_write_file(RT_TRACEFS "/options/record-cmd", "0", 0);
	rt_write_file(RT_TRACEFS "/tracing_on", "1", 0);
	rt_write_file(RT_TRACEFS "/trace", "", O_TRUNC);
	rt_write_file(SYSTEM "/enable", "1", 0);
}

/* Run @fn in a child with the events on; switch them off, then judge. */
static void traced(void (*fn)(void *), void *arg)
{
	int status;

	close(rt_open_ctx());	/* skips outside the VM before touching tracefs */
	rt_need_tracefs();
	status = rt_child_status(fn, arg);
	disable_events();
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "traced child failed (wait status 0x%x)", status);
}

/* Every event of the ratmem system exists with the fields it promises. */
TEST(trace_formats_have_fields)
{
	char *enable;

	close(rt_open_ctx());
	load_formats();
	for (unsigned int i = 0; i < NR_EVENTS; i++) {
		char line[256] = "";
		size_t len = 0;

		for (int r = 0; r < formats[i].nr; r++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " %s=%s(base %d)",
						events[i].f[r].role, formats[i].f[r].name,
						formats[i].f[r].base);
		rt_diag("ratmem:%s%s", events[i].event, line);
	}
	enable = rt_read_file(SYSTEM "/enable");
	ASSERT_TRUE(enable[0] == '0' || enable[0] == '1' || enable[0] == 'X');
	free(enable);
}

static void accept_and_wait(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_accept_ok(fd, rt_recv(sock), RT_RM);

	(void)arg;
	rt_send(sock, h);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

static void one_of_each(void *arg)
{
	enum { NREC = 4096 };
	static struct record recs[NREC];
	int fd = rt_open_ctx_need(RATMEM_FEATURE_SHARING | RATMEM_FEATURE_MEMORY |
				  RATMEM_FEATURE_QUOTA, 0);
	/* Bound to node 0: the MIGRATE below to node 0 moves nothing, on any guest. */
	struct ratmem_create c = { .size = 4 * PG, .rights = ALL, .numa_node = -1,
				   .policy = RATMEM_POLICY_BIND, .nodemask = 1 };
	struct ratmem_migrate mig = { .length = 2 * PG, .node = 0 };
	struct ratmem_create refused = { .size = PG, .rights = ALL, .numa_node = -1 };
	struct ratmem_quota qt = { .pidfd = -1, .set_mask = RATMEM_QUOTA_SET(RATMEM_RES_HANDLES) };
	const struct record *ok_fault, *bus_fault;
	uint64_t me = (uint64_t)getpid(), rid, cap, handles, peer;
	unsigned char *p;
	struct rt_peer b;
	unsigned int n;
	char *text;

	(void)arg;
	start_tracing();
	ASSERT_EQ(rat_create(fd, &c), 0);
	rid = c.region_id;
	ASSERT_EQ(rt_commit(fd, c.handle, 0, 2 * PG), 0);
	p = rt_map_ok(fd, c.handle, 0, 4 * PG, RW);
	p[PG] = 1;				/* fault on page 1: mapped */
	rt_expect_sigbus(p + 3 * PG, 0);	/* fault on page 3: not committed */
	mig.handle = c.handle;
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_MIGRATE, &mig), 0);
	ASSERT_EQ(mig.pages, 0);
	ASSERT_EQ(rt_decommit(fd, c.handle, PG, PG), 0);
	ASSERT_EQ(munmap(p, 4 * PG), 0);

	rt_peer_start(&b, accept_and_wait, NULL);
	peer = (uint64_t)b.pid;		/* rt_peer_wait() clears b.pid */
	cap = rt_grant_ok(fd, c.handle, RT_RM, b.pidfd);
	rt_send(b.sock, cap);
	ASSERT_NE(rt_peer_recv(&b), 0);
	ASSERT_EQ(rt_revoke(fd, c.handle, cap), 0);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);

	/* Handles at their limit: the next CREATE passes it. */
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUOTA, &(struct ratmem_quota){ .pidfd = -1 }), 0);
	qt.limit[RATMEM_RES_HANDLES] = 1;
	ASSERT_EQ(ioctl(fd, RATMEM_IOC_QUOTA, &qt), 0);
	handles = qt.usage[RATMEM_RES_HANDLES];
	ASSERT_EQ(handles, 1);
	ASSERT_ERRNO(rat_create(fd, &refused), EDQUOT);

	/* The last handle closed, the region goes. */
	ASSERT_EQ(rat_close_handle(fd, c.handle), 0);
	ASSERT_EQ(close(fd), 0);

	rt_write_file(SYSTEM "/enable", "0", 0);
	text = rt_read_file(RT_TRACEFS "/trace");
	n = parse_trace(text, recs, NREC);

	EXPECT_RECORDS(recs, n, 1, "region_create", rid, 4 * PG, me);
	EXPECT_RECORDS(recs, n, 1, "commit", rid, 0, 2 * PG, 0);
	EXPECT_RECORDS(recs, n, 1, "decommit", rid, PG, PG, 0);
	EXPECT_RECORDS(recs, n, 1, "grant", rid, cap, RT_RM, peer);
	EXPECT_RECORDS(recs, n, 1, "accept", rid, cap, peer);
	EXPECT_RECORDS(recs, n, 1, "revoke", rid, cap);
	EXPECT_RECORDS(recs, n, 1, "quota_exceeded", me, RATMEM_RES_HANDLES, 1, handles, 1);
	EXPECT_RECORDS(recs, n, 1, "region_free", rid);
	EXPECT_RECORDS(recs, n, 1, "migrate_range", rid, 0, 2 * PG, 0, 0, 0);
	EXPECT_RECORDS(recs, n, 0, "migrate", rid, RT_ANY, RT_ANY);
	/* One fault per touch: one that mapped page 1, one refused on page 3. */
	EXPECT_RECORDS(recs, n, 1, "fault", rid, 1, RT_ANY);
	EXPECT_RECORDS(recs, n, 1, "fault", rid, 3, RT_ANY);
	count_records(recs, n, "fault", (const uint64_t[]){ rid, 1, RT_ANY }, &ok_fault);
	count_records(recs, n, "fault", (const uint64_t[]){ rid, 3, RT_ANY }, &bus_fault);
	if (ok_fault->v[2] == bus_fault->v[2]) {
		diag_records(recs, n);
		rt_fail(__FILE__, __LINE__, "the mapped and the refused fault have one result %llu",
			(unsigned long long)ok_fault->v[2]);
	}
	/* Nothing else happened to the region: exactly these records. */
	{
		unsigned int ours = 0;

		for (unsigned int i = 0; i < n; i++) {
			const char *ev = events[recs[i].event].event;

			if (strcmp(ev, "quota_exceeded") && recs[i].v[0] == rid)
				ours++;
		}
		if (ours != 10) {
			diag_records(recs, n);
			rt_fail(__FILE__, __LINE__, "%u records of region %llu, expected 10", ours,
				(unsigned long long)rid);
		}
	}
	free(text);
}

/* With the ratmem events on, each operation leaves one trace record with its region, capability and sizes. */
TEST(trace_one_of_each)
{
	traced(one_of_each, NULL);
}

static void nothing_when_disabled(void *arg)
{
	enum { NREC = 64 };
	static struct record recs[NREC];
	int fd = rt_open_ctx();
	char *text;

	(void)arg;
	start_tracing();
	disable_events();
	rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	ASSERT_EQ(close(fd), 0);
	text = rt_read_file(RT_TRACEFS "/trace");
	ASSERT_EQ(parse_trace(text, recs, NREC), 0);
	free(text);
}

/* With the events off, ratmem leaves nothing in the trace buffer. */
TEST(trace_nothing_when_disabled)
{
	traced(nothing_when_disabled, NULL);
}
