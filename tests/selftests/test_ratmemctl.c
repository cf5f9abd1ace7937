// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: ratmemctl (contract section 7). Each test runs the tool
 * (/usr/bin/ratmemctl in the test VM, $RATMEMCTL elsewhere), captures
 * its output and exit status, parses --json output with json.c, and
 * compares it with what the test itself created through the raw ioctls.
 */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "json.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define NOBODY 65534
#define RT_ALL RATMEM_RIGHTS_ALL

struct ctl_proc {
	pid_t pid;
	int out, err;		/* pipes, -1 once at EOF */
	char *obuf, *ebuf;
	size_t olen, elen;
	int status;		/* exit status, or 128 + signal */
};

static const char *tool(void)
{
	const char *t = getenv("RATMEMCTL");

	return t && *t ? t : "/usr/bin/ratmemctl";
}

/* Start ratmemctl with @args (NULL-terminated), as @uid unless 0. */
static void ctl_start(struct ctl_proc *p, uid_t uid, const char *const *args)
{
	const char *argv[32] = { "ratmemctl" };
	int o[2], e[2], n = 1;

	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	memset(p, 0, sizeof(*p));
	ASSERT_EQ(pipe2(o, O_CLOEXEC), 0);
	ASSERT_EQ(pipe2(e, O_CLOEXEC), 0);
	fflush(stdout);
	fflush(stderr);
	p->pid = fork();
	ASSERT_TRUE(p->pid >= 0);
	if (p->pid == 0) {
		dup2(o[1], 1);
		dup2(e[1], 2);
		/* A non-root uid without keepcaps drops every capability. */
		if (uid && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid))) {
			perror("drop privileges");
			_exit(126);
		}
		execv(tool(), (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", tool(), strerror(errno));
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	p->out = o[0];
	p->err = e[0];
	p->obuf = calloc(1, 1);
	p->ebuf = calloc(1, 1);
	ASSERT_TRUE(p->obuf && p->ebuf);
}

static void append(int *fd, char **buf, size_t *len)
{
	char chunk[4096];
	ssize_t r = read(*fd, chunk, sizeof(chunk));

	if (r <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	*buf = realloc(*buf, *len + (size_t)r + 1);
	ASSERT_TRUE(*buf != NULL);
	memcpy(*buf + *len, chunk, (size_t)r);
	*len += (size_t)r;
	(*buf)[*len] = '\0';
}

/* Read whatever is ready within @timeout_ms; false when both are at EOF. */
static bool ctl_pump(struct ctl_proc *p, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = p->out, .events = POLLIN },
		{ .fd = p->err, .events = POLLIN },
	};
	int r;

	if (p->out < 0 && p->err < 0)
		return false;
	r = poll(pfd, 2, timeout_ms);
	if (r < 0 && errno == EINTR)
		return true;
	ASSERT_TRUE(r >= 0);
	if (pfd[0].revents)
		append(&p->out, &p->obuf, &p->olen);
	if (pfd[1].revents)
		append(&p->err, &p->ebuf, &p->elen);
	return true;
}

/* Wait until stderr holds @text (at most 10 s). */
static void ctl_wait_stderr(struct ctl_proc *p, const char *text)
{
	for (int i = 0; i < 100 && !strstr(p->ebuf, text); i++)
		if (!ctl_pump(p, 100))
			break;
	if (!strstr(p->ebuf, text))
		rt_fail(__FILE__, __LINE__, "ratmemctl never said \"%s\"; stderr: %s", text,
			p->ebuf);
}

/* Wait until stdout holds @n lines (at most 10 s). */
static void ctl_wait_lines(struct ctl_proc *p, int n)
{
	for (int i = 0; i < 100; i++) {
		int lines = 0;

		for (const char *c = p->obuf; *c; c++)
			lines += *c == '\n';
		if (lines >= n)
			return;
		if (!ctl_pump(p, 100))
			break;
	}
	rt_fail(__FILE__, __LINE__, "ratmemctl printed fewer than %d lines: %s", n, p->obuf);
}

/* Collect everything and reap (the process is killed after 20 s). */
static void ctl_finish(struct ctl_proc *p)
{
	int w;

	for (int i = 0; i < 200 && ctl_pump(p, 100); i++)
		;
	if (p->out >= 0 || p->err >= 0)
		kill(p->pid, SIGKILL);
	while (ctl_pump(p, 1000))
		;
	ASSERT_EQ(waitpid(p->pid, &w, 0), p->pid);
	p->status = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
}

static void ctl_free(struct ctl_proc *p)
{
	free(p->obuf);
	free(p->ebuf);
}

/* Run to completion: CTL(&p, "status", "--json"). */
#define CTL(p, ...) ctl_run(p, 0, (const char *const[]){ __VA_ARGS__, NULL })
#define CTL_AS(p, uid, ...) ctl_run(p, uid, (const char *const[]){ __VA_ARGS__, NULL })

static void ctl_run(struct ctl_proc *p, uid_t uid, const char *const *args)
{
	ctl_start(p, uid, args);
	ctl_finish(p);
}

#define ASSERT_EXIT(p, code)						\
	do {								\
		if ((p)->status != (code))				\
			rt_fail(__FILE__, __LINE__,			\
				"ratmemctl exited %d, expected %d; stdout: %s; stderr: %s", \
				(p)->status, (code), (p)->obuf, (p)->ebuf);	\
	} while (0)

/* A usage or runtime error: nothing on stdout, one "ratmemctl: " line
 * on stderr. */
static void expect_one_line_error(const struct ctl_proc *p)
{
	const char *nl = strchr(p->ebuf, '\n');

	if (p->olen || strncmp(p->ebuf, "ratmemctl: ", 11) || !nl || nl[1])
		rt_fail(__FILE__, __LINE__, "expected one error line; stdout: \"%s\" stderr: \"%s\"",
			p->obuf, p->ebuf);
}

/* Whether a line of @text has every one of @words as a blank-separated word. */
static bool has_row(const char *text, const char *const *words)
{
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		bool all = true;

		for (const char *const *w = words; *w && all; w++) {
			size_t wl = strlen(*w);
			bool found = false;

			for (size_t i = 0; i + wl <= len && !found; i++)
				found = !strncmp(line + i, *w, wl) &&
					(i == 0 || line[i - 1] == ' ') &&
					(i + wl == len || line[i + wl] == ' ');
			all = found;
		}
		if (all)
			return true;
		line += len + (end ? 1 : 0);
	}
	return false;
}

#define ASSERT_ROW(text, ...)						\
	do {								\
		if (!has_row(text, (const char *const[]){ __VA_ARGS__, NULL })) \
			rt_fail(__FILE__, __LINE__, "no line with %s in:\n%s", #__VA_ARGS__, \
				text);					\
	} while (0)

static const char *num(char *buf, uint64_t v)
{
	sprintf(buf, "%llu", (unsigned long long)v);
	return buf;
}

static const char *hex16(char *buf, uint64_t v)
{
	sprintf(buf, "%016llx", (unsigned long long)v);
	return buf;
}

/* The single element of @arr with member "pid" (or @key) == @v. */
static const struct jv *find_by(const struct jv *arr, const char *key, uint64_t v)
{
	const struct jv *hit = NULL;

	for (int i = 0; i < arr->n; i++) {
		const struct jv *m = jv_get(arr->items[i], key);

		if (m && m->type == JV_NUM && m->is_u64 && m->u == v) {
			if (hit)
				rt_fail(__FILE__, __LINE__, "two entries with %s %llu", key,
					(unsigned long long)v);
			hit = arr->items[i];
		}
	}
	if (!hit)
		rt_fail(__FILE__, __LINE__, "no entry with %s %llu", key, (unsigned long long)v);
	return hit;
}

/* A context on a module with RATMEM_IOC_QUOTA. */
static int quota_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_QUOTA, 1ULL << RATMEM_IOC_NR_QUOTA);
}

/* A context on a module with the netlink family too. */
static int events_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_EVENTS,
				1ULL << RATMEM_IOC_NR_QUOTA);
}

/* ---- the JSON parser itself (no module needed) ----------------------- */

TEST(json_parser_reads_what_json_allows)
{
	struct jv *v = jv_parse_ok(" {\"a\":[1,2.5,-3,true,false,null],\"s\":\"q\\\"\\\\\\/"
				   "\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"big\":"
				   "18446744073709551615,\"o\":{}} \n");
	const struct jv *a = jv_arr(v, "a");
	const char *err;

	ASSERT_EQ(a->n, 6);
	ASSERT_TRUE(a->items[0]->is_u64 && a->items[0]->u == 1);
	ASSERT_TRUE(!a->items[1]->is_u64 && a->items[1]->d == 2.5);
	ASSERT_TRUE(!a->items[2]->is_u64 && a->items[2]->d == -3);
	ASSERT_TRUE(a->items[3]->type == JV_BOOL && a->items[3]->b);
	ASSERT_TRUE(a->items[4]->type == JV_BOOL && !a->items[4]->b);
	ASSERT_EQ(a->items[5]->type, JV_NULL);
	ASSERT_EQ(strcmp(jv_str(v, "s"), "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80"), 0);
	ASSERT_TRUE(jv_u64(v, "big") == UINT64_MAX);
	ASSERT_EQ(jv_obj(v, "o")->n, 0);
	jv_free(v);

	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "\"\\x\"", "\"a\nb\"", "01",
		"1.", "-", "tru", "{} {}", "[\"\\ud800\"]", "{1:2}", "\"abc",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = jv_parse(bad[i], &err);
		if (v)
			rt_fail(__FILE__, __LINE__, "parsed bad JSON '%s'", bad[i]);
		ASSERT_TRUE(err != NULL);
	}
}

/* ---- command line ----------------------------------------------------- */

/* Every malformed command line: exit 2, one line on stderr, no output
 * (ratmemctl keeps 2 for usage errors, where util-linux uses 1). */
TEST(bad_arguments_exit_2_with_one_line)
{
	static const char *const cases[][6] = {
		{ NULL },
		{ "frobnicate" },
		{ "--frob" },
		{ "--json", "frobnicate" },
		{ "status", "extra" },
		{ "version", "extra" },
		{ "help", "extra" },
		{ "ps", "0" },
		{ "ps", "-5" },
		{ "ps", "12abc" },
		{ "ps", "1", "2" },
		{ "regions", "" },
		{ "regions", "1", "2" },
		{ "handles", "x" },
		{ "grants", "99999999999" },
		{ "quota", "list", "0" },
		{ "quota", "list", "1", "2" },
		{ "quota", "frob" },
		{ "quota", "get", "0" },
		{ "quota", "get", "1", "2" },
		{ "quota", "set" },
		{ "quota", "set", "1" },
		{ "quota", "set", "1", "foo=1" },
		{ "quota", "set", "1", "handles" },
		{ "quota", "set", "1", "handles=" },
		{ "quota", "set", "1", "handles=-1" },
		{ "quota", "set", "1", "handles=12Q" },
		{ "quota", "set", "1", "handles=1KK" },
		{ "quota", "set", "1", "handles=99999999999999999999" },
		{ "quota", "set", "1", "reserved=16777216T" },
		{ "quota", "set", "1", "handles=1", "handles=2" },
		{ "quota", "set", "x1", "handles=1" },
		{ "monitor", "--count" },
		{ "monitor", "--count", "0" },
		{ "monitor", "--count", "x" },
		{ "monitor", "extra" },
		{ "migrate" },
		{ "migrate", "--node", "0" },
		{ "migrate", "--lazy", "--node", "0" },
		{ "migrate", "rt-none" },
		{ "migrate", "rt-none", "--lazy" },
		{ "migrate", "rt-none", "--node" },
		{ "migrate", "rt-none", "--node", "x" },
		{ "migrate", "rt-none", "--node=x" },
		{ "migrate", "rt-none", "--node", "-1" },
		{ "migrate", "rt-none", "--node", "1024" },
		{ "migrate", "rt-none", "--node", "" },
		{ "migrate", "rt-none", "rt-other", "--node", "0" },
		{ "migrate", "rt-none", "--node", "0", "--frob" },
		{ "migrate", "rt-none", "--node", "0", "--offset=1Q" },
		{ "migrate", "rt-none", "--node", "0", "--length" },
		{ "migrate", "rt-none", "--node", "0", "--tree" },
		{ "regions", "-o", "frob" },
		{ "regions", "-o", "PID,,SIZE" },
		{ "regions", "--output" },
		{ "regions", "--json", "--raw" },
		{ "regions", "-o", "PID", "-O" },
		{ "regions", "--tree" },
		{ "handles", "--ascii" },
		{ "status", "-o", "PID" },
		{ "status", "--raw" },
		{ "version", "--tree" },
		{ "--out", "PID", "regions" },
		{ "--json=1", "status" },
		{ "quota", "get", "-o", "PID" },
		{ "quota", "set", "1", "handles=1", "--raw" },
		{ "monitor", "--prometheus" },
		{ "top", "-d", "0" },
		{ "top", "--delay", "x" },
		{ "top", "-d", "-1" },
		{ "top", "--iterations", "0" },
		{ "top", "--iterations", "x" },
		{ "top", "--sort", "pid" },
		{ "top", "--tree" },
		{ "top", "extra" },
		{ "top", "-o", "frob" },
		{ "export" },
		{ "export", "--json" },
		{ "export", "--prometheus", "extra" },
		{ "export", "--prometheus", "--output-file" },
		{ "grants", "--count", "1" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_proc p;

		ctl_run(&p, 0, cases[i]);
		if (p.status != 2)
			rt_fail(__FILE__, __LINE__, "case %zu (%s %s %s): exit %d, stderr: %s", i,
				cases[i][0], cases[i][0] ? cases[i][1] : "",
				cases[i][0] && cases[i][1] ? cases[i][2] : "", p.status, p.ebuf);
		expect_one_line_error(&p);
		ctl_free(&p);
	}
}

TEST(help_exits_0)
{
	static const char *const cases[][3] = {
		{ "--help" }, { "-h" }, { "help" }, { "status", "--help" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_proc p;

		ctl_run(&p, 0, cases[i]);
		ASSERT_EXIT(&p, 0);
		ASSERT_TRUE(strstr(p.obuf, "usage: ratmemctl") == p.obuf);
		ASSERT_TRUE(strstr(p.obuf, "monitor [--count N]") != NULL);
		ASSERT_TRUE(strstr(p.obuf, "migrate NAME --node N [--lazy]") != NULL);
		ASSERT_EQ(p.elen, 0);
		ctl_free(&p);
	}
}

/* ---- status and version ----------------------------------------------- */

TEST(status_reports_the_modules_counters)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	struct ratmem_stats st = { 0 };
	int fd = events_ctx();
	struct ctl_proc p;
	struct jv *v;
	const struct jv *c;
	char buf[32];

	rt_region(fd, 3, RT_ALL, RATMEM_CREATE_COMMIT);
	ASSERT_EQ(rat_api(fd, &api), 0);
	ASSERT_EQ(rat_stats(fd, &st), 0);

	CTL(&p, "status", "--json");
	ASSERT_EXIT(&p, 0);
	ASSERT_EQ(p.elen, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_TRUE(strlen(jv_str(v, "version")) > 0);
	ASSERT_EQ(jv_u64(v, "abi_version"), api.abi_version);
	ASSERT_TRUE(jv_u64(v, "feature_bits") == api.features);
	ASSERT_TRUE(jv_has_str(jv_arr(v, "features"), "quota"));
	ASSERT_TRUE(jv_has_str(jv_arr(v, "features"), "events"));
	ASSERT_TRUE(jv_has_str(jv_arr(v, "features"), "sharing"));
	jv_u64(v, "seq");
	c = jv_obj(v, "counters");
	/* ratmemctl status opens no context of its own. */
	ASSERT_EQ(jv_u64(c, "contexts"), st.contexts);
	ASSERT_EQ(jv_u64(c, "regions"), st.regions);
	ASSERT_EQ(jv_u64(c, "handles"), st.handles);
	ASSERT_EQ(jv_u64(c, "pages"), st.pages);
	ASSERT_EQ(jv_u64(c, "mappings"), st.mappings);
	ASSERT_EQ(jv_u64(c, "grants"), st.grants);
	ASSERT_EQ(jv_u64(c, "names"), st.names);
	ASSERT_TRUE(jv_u64(c, "quotas") >= 1);
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "status");
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "module", "ABI", "version:", num(buf, api.abi_version));
	ASSERT_ROW(p.obuf, "regions:", num(buf, st.regions));
	ASSERT_ROW(p.obuf, "features:", "stats", "quota", "events");
	ctl_free(&p);

	CTL(&p, "--json", "version");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_TRUE(strlen(jv_str(v, "ratmemctl_version")) > 0);
	ASSERT_EQ(jv_u64(v, "ratmemctl_abi_version"), RATMEM_ABI_VERSION);
	ASSERT_EQ(jv_u64(v, "module_abi_version"), api.abi_version);
	jv_free(v);
	ctl_free(&p);
}

/* ---- dumps -------------------------------------------------------------- */

TEST(regions_lists_the_tests_region)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 5, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP,
			       0);
	uint64_t id = rt_region_id(fd, h);
	char pid[16], ids[24];
	struct ctl_proc p;
	const struct jv *r, *list;
	struct jv *v;

	ASSERT_EQ(rt_commit(fd, h, PG, 2 * PG), 0);
	num(pid, (uint64_t)getpid());
	num(ids, id);

	CTL(&p, "--json", "regions", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	list = jv_arr(v, "regions");
	ASSERT_EQ(list->n, 1);
	r = list->items[0];
	ASSERT_TRUE(jv_u64(r, "region") == id);
	ASSERT_EQ(jv_u64(r, "pid"), getpid());
	ASSERT_EQ(jv_u64(r, "size"), 5 * PG);
	ASSERT_EQ(jv_u64(r, "committed"), 2 * PG);
	ASSERT_EQ(jv_u64(r, "resident"), 0);
	ASSERT_EQ(jv_u64(r, "mappers"), 0);
	ASSERT_EQ(jv_arr(r, "rights")->n, 3);
	ASSERT_TRUE(jv_has_str(jv_arr(r, "rights"), "read"));
	ASSERT_TRUE(jv_has_str(jv_arr(r, "rights"), "write"));
	ASSERT_TRUE(jv_has_str(jv_arr(r, "rights"), "map"));
	jv_free(v);
	ctl_free(&p);

	/* Without a PID (root sees everything): the region is there too. */
	CTL(&p, "regions", "--json");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	r = find_by(jv_arr(v, "regions"), "region", id);
	ASSERT_EQ(jv_u64(r, "size"), 5 * PG);
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "regions", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "REGION", "PID", "SIZE", "COMMITTED", "RESIDENT", "RIGHTS", "MAPPERS");
	ASSERT_ROW(p.obuf, ids, pid, "20K", "8K", "0", "rw-m-");
	ctl_free(&p);
}

TEST(handles_lists_the_tests_handles)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 1, RT_ALL, 0);
	uint32_t d = rt_dup(fd, h, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP);
	uint64_t id = rt_region_id(fd, h);
	char pid[16], hs[16];
	struct ctl_proc p;
	const struct jv *e, *list;
	struct jv *v;

	num(pid, (uint64_t)getpid());
	CTL(&p, "--json", "handles", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	list = jv_arr(v, "handles");
	ASSERT_EQ(list->n, 2);
	e = find_by(list, "handle", h);
	ASSERT_EQ(jv_u64(e, "pid"), getpid());
	ASSERT_TRUE(jv_u64(e, "region") == id);
	ASSERT_EQ(jv_arr(e, "rights")->n, 5);
	ASSERT_EQ(strcmp(jv_str(e, "kind"), "owner"), 0);
	ASSERT_TRUE(jv_is_null(e, "capability"));
	ASSERT_EQ(strcmp(jv_str(e, "state"), "live"), 0);
	e = find_by(list, "handle", d);
	ASSERT_TRUE(jv_u64(e, "region") == id);
	ASSERT_EQ(jv_arr(e, "rights")->n, 2);
	ASSERT_TRUE(jv_has_str(jv_arr(e, "rights"), "read"));
	ASSERT_TRUE(jv_has_str(jv_arr(e, "rights"), "map"));
	ASSERT_EQ(strcmp(jv_str(e, "kind"), "owner"), 0);
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "handles", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "PID", "HANDLE", "REGION", "RIGHTS", "KIND", "CAPABILITY", "STATE");
	ASSERT_ROW(p.obuf, pid, num(hs, d), "r--m-", "owner", "-", "live");
	ctl_free(&p);
}

static void accept_on_go(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint64_t cap = rt_recv(sock);

	(void)arg;
	rt_accept_ok(fd, cap, RT_RM);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, RT_MSG_EXIT);
}

TEST(grants_lists_pending_then_accepted)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 2, RT_ALL, 0);
	uint64_t id = rt_region_id(fd, h), cap;
	char pid[16], peer[16], caps[20];
	struct ctl_proc p;
	struct rt_peer b;
	const struct jv *g;
	struct jv *v;

	rt_peer_start(&b, accept_on_go, NULL);
	cap = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	num(pid, (uint64_t)getpid());
	num(peer, (uint64_t)b.pid);
	hex16(caps, cap);

	CTL(&p, "--json", "grants", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "grants")->n, 1);
	g = jv_arr(v, "grants")->items[0];
	ASSERT_EQ(strcmp(jv_str(g, "capability"), caps), 0);
	ASSERT_TRUE(jv_u64(g, "region") == id);
	ASSERT_EQ(jv_u64(g, "pid"), getpid());
	ASSERT_EQ(jv_u64(g, "peer"), b.pid);
	ASSERT_EQ(jv_u64(g, "size"), 2 * PG);
	ASSERT_EQ(jv_u64(g, "offset"), 0);		/* all of the region */
	ASSERT_EQ(jv_arr(g, "rights")->n, 2);
	ASSERT_EQ(strcmp(jv_str(g, "state"), "pending"), 0);
	/* Granted through the owner capability: a root of the grant tree. */
	ASSERT_TRUE(jv_is_null(g, "parent"));
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "grants");
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "CAPABILITY", "REGION", "PID", "PEER", "RIGHTS", "SIZE", "STATE");
	ASSERT_ROW(p.obuf, caps, pid, peer, "r--m-", "8K", "pending");
	ctl_free(&p);

	rt_send(b.sock, cap);
	rt_peer_expect(&b, RT_MSG_DONE);
	CTL(&p, "--json", "grants", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "grants")->n, 1);
	ASSERT_EQ(strcmp(jv_str(jv_arr(v, "grants")->items[0], "state"), "accepted"), 0);
	jv_free(v);
	ctl_free(&p);

	/* The peer's handle came from the grant and names its capability. */
	CTL(&p, "--json", "handles", peer);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "handles")->n, 1);
	g = jv_arr(v, "handles")->items[0];
	ASSERT_EQ(jv_u64(g, "pid"), b.pid);
	ASSERT_EQ(strcmp(jv_str(g, "kind"), "grant"), 0);
	ASSERT_EQ(strcmp(jv_str(g, "capability"), caps), 0);
	ASSERT_TRUE(jv_u64(g, "region") == id);
	jv_free(v);
	ctl_free(&p);

	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* ---- NUMA: placement in the region dump, migrate ---------------------------- */

/* Entries of the arrays given to RATMEM_IOC_NODES. */
#define MAXN 8

/* A context on a module with NUMA placement, names and the netlink family. */
static int numa_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_EVENTS | RATMEM_FEATURE_NAMED | RATMEM_FEATURE_NUMA,
				(1ULL << RATMEM_IOC_NR_POLICY) | (1ULL << RATMEM_IOC_NR_MIGRATE) |
				(1ULL << RATMEM_IOC_NR_NODES));
}

/* Node 1 when this guest has it (pages bound there move to node 0 for
 * real), else node 0: the expected figures follow from it. */
static int source_node(void)
{
	return access("/sys/devices/system/node/node1", F_OK) == 0 ? 1 : 0;
}

/* RATMEM_IOC_NODES of @h: the resident pages on each node into
 * @pages[MAXN]; returns the pages marked for a lazy migration. */
static uint64_t nodes_of(int fd, uint32_t h, uint64_t pages[MAXN])
{
	struct ratmem_nodes n = { .handle = h, .nr_nodes = MAXN, .counts = (uintptr_t)pages };

	memset(pages, 0, MAXN * sizeof(*pages));
	ASSERT_EQ(rat_nodes(fd, &n), 0);
	return n.pending;
}

/* A committed named region "rtctl-<tag>-<pid>" (written to @name) of
 * @npages pages with @rights, mode 0600. */
static uint32_t named_region(int fd, char *name, const char *tag, uint64_t npages,
			     uint32_t rights)
{
	uint32_t h = 0;
	int n = snprintf(name, RATMEM_NAME_MAX, "rtctl-%s-%d", tag, (int)getpid());

	ASSERT_TRUE(n > 0 && n < RATMEM_NAME_MAX);
	ASSERT_EQ(rat_named_create(fd, name, npages * PG, RATMEM_CREATE_COMMIT, rights, 0600, &h),
		  0);
	ASSERT_NE(h, 0);
	return h;
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * seed + 7);
}

static void assert_filled(const unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * seed + 7))
			rt_fail(__FILE__, __LINE__, "byte %zu is 0x%02x, expected 0x%02x", i, p[i],
				(unsigned char)(i * seed + 7));
}

/* Exit 0, stdout exactly @want, nothing on stderr. */
static void expect_output(const struct ctl_proc *p, const char *want)
{
	if (p->status != 0 || strcmp(p->obuf, want) || p->elen)
		rt_fail(__FILE__, __LINE__,
			"expected exit 0 and \"%s\"; exit %d, stdout: \"%s\" stderr: \"%s\"", want,
			p->status, p->obuf, p->ebuf);
}

/* Exit 1 with one error line that says @says. */
static void expect_failure(const struct ctl_proc *p, const char *says)
{
	if (p->status != 1 || !strstr(p->ebuf, says))
		rt_fail(__FILE__, __LINE__,
			"expected exit 1 saying \"%s\"; exit %d, stdout: \"%s\" stderr: \"%s\"", says,
			p->status, p->obuf, p->ebuf);
	expect_one_line_error(p);
}

/* A region's "nodemask" is the node ids of @mask, in order. */
static void expect_nodemask(const struct jv *r, uint64_t mask)
{
	const struct jv *m = jv_arr(r, "nodemask");
	int k = 0;

	for (unsigned int node = 0; node < RATMEM_NODEMASK_BITS; node++) {
		if (!(mask & (1ULL << node)))
			continue;
		ASSERT_TRUE(k < m->n);
		ASSERT_TRUE(m->items[k]->type == JV_NUM && m->items[k]->is_u64);
		ASSERT_EQ(m->items[k]->u, node);
		k++;
	}
	ASSERT_EQ(m->n, k);
}

/* A region's "nodes" is [{"node": @node, "pages": @pages}] (no page: []),
 * and sums to its resident bytes. */
static void expect_nodes(const struct jv *r, uint32_t node, uint64_t pages)
{
	const struct jv *nodes = jv_arr(r, "nodes");
	uint64_t sum = 0;

	for (int i = 0; i < nodes->n; i++)
		sum += jv_u64(nodes->items[i], "pages");
	ASSERT_EQ(sum, pages);
	ASSERT_EQ(sum * PG, jv_u64(r, "resident"));
	ASSERT_EQ(nodes->n, pages ? 1 : 0);
	if (pages)
		ASSERT_EQ(jv_u64(nodes->items[0], "node"), node);
}

TEST(regions_shows_placement_and_pages_per_node)
{
	int fd = numa_ctx();
	struct ratmem_create c = { .size = 8 * PG, .flags = RATMEM_CREATE_COMMIT, .rights = RT_ALL,
				   .numa_node = -1, .policy = RATMEM_POLICY_BIND, .nodemask = 1 };
	uint32_t idle = rt_region(fd, 3, RT_ALL, RATMEM_CREATE_COMMIT);
	uint64_t id, idle_id;
	char pid[16], ids[24], idles[24];
	const struct jv *r, *list;
	struct ctl_proc p;
	unsigned char *m;
	struct jv *v;

	ASSERT_EQ(rat_create(fd, &c), 0);
	id = rt_region_id(fd, c.handle);
	idle_id = rt_region_id(fd, idle);
	m = rt_map_ok(fd, c.handle, 0, 8 * PG, PROT_READ | PROT_WRITE);
	fill(m, 5 * PG, 3);
	num(pid, (uint64_t)getpid());
	num(ids, id);
	num(idles, idle_id);

	CTL(&p, "--json", "regions", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_EQ(p.elen, 0);
	v = jv_parse_ok(p.obuf);
	list = jv_arr(v, "regions");
	ASSERT_EQ(list->n, 2);
	r = find_by(list, "region", id);
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "bind"), 0);
	expect_nodemask(r, 1);
	ASSERT_EQ(jv_u64(r, "resident"), 5 * PG);
	expect_nodes(r, 0, 5);
	ASSERT_EQ(jv_u64(r, "pending"), 0);
	ASSERT_EQ(jv_u64(r, "mappers"), 1);
	r = find_by(list, "region", idle_id);
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "default"), 0);
	expect_nodemask(r, 0);
	expect_nodes(r, 0, 0);
	ASSERT_EQ(jv_u64(r, "pending"), 0);
	jv_free(v);
	ctl_free(&p);

	/* A new policy shows at once; resident pages stay where they are. */
	ASSERT_EQ(rat_policy(fd, c.handle, RATMEM_POLICY_INTERLEAVE, 1), 0);
	ASSERT_EQ(rat_policy(fd, idle, RATMEM_POLICY_PREFERRED, 1), 0);
	CTL(&p, "regions", "--json", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	list = jv_arr(v, "regions");
	r = find_by(list, "region", id);
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "interleave"), 0);
	expect_nodemask(r, 1);
	expect_nodes(r, 0, 5);
	r = find_by(list, "region", idle_id);
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "preferred"), 0);
	expect_nodemask(r, 1);
	expect_nodes(r, 0, 0);
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "regions", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "REGION", "PID", "SIZE", "COMMITTED", "RESIDENT", "RIGHTS", "MAPPERS",
		   "POLICY", "NODES", "PENDING");
	ASSERT_ROW(p.obuf, ids, pid, "32K", "32K", "20K", "rwxmg", "1", "interleave", "0:5", "0");
	ASSERT_ROW(p.obuf, idles, pid, "12K", "12K", "0", "rwxmg", "0", "preferred", "-", "0");
	ctl_free(&p);
	ASSERT_EQ(munmap(m, 8 * PG), 0);
}

/* What the library's RatMemSetPolicy() sets, the dump shows. */
TEST(regions_shows_the_policy_ratmemsetpolicy_set)
{
	struct ctl_proc p;
	const struct jv *r;
	unsigned char *m;
	char pid[16];
	struct jv *v;
	HMEM mem;

	numa_ctx();
	rt_need_ratapi_memory();
	mem = RatAllocMemory(7 * PG);
	ASSERT_TRUE(mem != NULL);
	m = RatMapMemory(mem);
	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_PREFERRED, 1), RAT_STATUS_OK);
	/* Refused changes leave it as it is. */
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_PREFERRED, 3), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1ULL << 63), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_DEFAULT, 1), RAT_STATUS_INVALID_ARG);
	m[0] = 1;
	m[3 * PG] = 1;
	num(pid, (uint64_t)getpid());

	CTL(&p, "--json", "regions", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	r = find_by(jv_arr(v, "regions"), "size", 7 * PG);
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "preferred"), 0);
	expect_nodemask(r, 1);
	expect_nodes(r, 0, 2);
	ASSERT_EQ(jv_u64(r, "pending"), 0);
	jv_free(v);
	ctl_free(&p);

	/* Every page is on node 0 already: a lazy migration marks none. */
	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_BIND, 1), RAT_STATUS_OK);
	ASSERT_EQ(RatMemMigrate(mem, 0, 0, 0, RAT_MIGRATE_LAZY), RAT_STATUS_OK);
	CTL(&p, "--json", "regions", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	r = find_by(jv_arr(v, "regions"), "size", 7 * PG);
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "bind"), 0);
	expect_nodemask(r, 1);
	expect_nodes(r, 0, 2);
	ASSERT_EQ(jv_u64(r, "pending"), 0);
	jv_free(v);
	ctl_free(&p);

	ASSERT_EQ(RatMemSetPolicy(mem, RAT_NUMA_DEFAULT, 0), RAT_STATUS_OK);
	CTL(&p, "regions", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, pid, "28K", "8K", "default", "0:2");
	ctl_free(&p);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

TEST(migrate_moves_a_named_regions_pages)
{
	int fd = numa_ctx(), src = source_node();
	uint64_t pages[MAXN], moved = src ? 6 : 0;
	char name[RATMEM_NAME_MAX], want[192];
	struct ratmem_migrate back;
	struct ctl_proc p;
	unsigned char *m;
	struct jv *v;
	uint32_t h;

	h = named_region(fd, name, "mig", 8, RT_ALL);
	m = rt_map_ok(fd, h, 0, 8 * PG, PROT_READ | PROT_WRITE);
	ASSERT_EQ(rat_policy(fd, h, RATMEM_POLICY_BIND, 1ULL << src), 0);
	fill(m, 6 * PG, 3);
	ASSERT_EQ(nodes_of(fd, h, pages), 0);
	ASSERT_EQ(pages[src], 6);

	CTL(&p, "migrate", name, "--node", "0");
	snprintf(want, sizeof(want), "moved %llu pages (%s) of %s to node 0\n",
		 (unsigned long long)moved, src ? "24K" : "0", name);
	expect_output(&p, want);
	ctl_free(&p);
	ASSERT_EQ(nodes_of(fd, h, pages), 0);
	ASSERT_EQ(pages[0], 6);
	assert_filled(m, 6 * PG, 3);

	/* Pages 1 and 2 go back; a range brings only them: JSON, and the
	 * "--node=N" and "--" forms. */
	back = (struct ratmem_migrate){ .handle = h, .offset = PG, .length = 2 * PG, .node = src };
	ASSERT_EQ(rat_migrate(fd, &back), 0);
	ASSERT_EQ(back.pages, src ? 2 : 0);
	CTL(&p, "--json", "migrate", "--node=0", "--offset", "4K", "--length", "8K", "--", name);
	ASSERT_EXIT(&p, 0);
	ASSERT_EQ(p.elen, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(strcmp(jv_str(v, "name"), name), 0);
	ASSERT_TRUE(jv_u64(v, "region_id") == rt_region_id(fd, h));
	ASSERT_EQ(jv_u64(v, "node"), 0);
	ASSERT_EQ(jv_bool(v, "lazy"), false);
	ASSERT_EQ(jv_u64(v, "offset"), PG);
	ASSERT_EQ(jv_u64(v, "length"), 2 * PG);
	ASSERT_EQ(jv_u64(v, "pages"), src ? 2 : 0);
	jv_free(v);
	ctl_free(&p);
	ASSERT_EQ(nodes_of(fd, h, pages), 0);
	ASSERT_EQ(pages[0], 6);
	assert_filled(m, 6 * PG, 3);

	ASSERT_EQ(munmap(m, 8 * PG), 0);
	ASSERT_EQ(rat_unlink(fd, name, 0), 0);
}

TEST(migrate_lazy_marks_pages_that_move_on_their_next_fault)
{
	int fd = numa_ctx(), src = source_node();
	uint64_t pages[MAXN], moved = src ? 6 : 0;
	char name[RATMEM_NAME_MAX], want[192], pid[16];
	const struct jv *r;
	struct ctl_proc p;
	unsigned char *m;
	struct jv *v;
	uint32_t h;

	h = named_region(fd, name, "lazy", 8, RT_ALL);
	m = rt_map_ok(fd, h, 0, 8 * PG, PROT_READ | PROT_WRITE);
	ASSERT_EQ(rat_policy(fd, h, RATMEM_POLICY_BIND, 1ULL << src), 0);
	fill(m, 6 * PG, 5);
	num(pid, (uint64_t)getpid());

	CTL(&p, "migrate", name, "--node", "0", "--lazy");
	snprintf(want, sizeof(want),
		 "marked %llu pages (%s) of %s for node 0: each moves on its next fault\n",
		 (unsigned long long)moved, src ? "24K" : "0", name);
	expect_output(&p, want);
	ctl_free(&p);
	/* Marked, not moved yet: counted where they are, and pending. */
	ASSERT_EQ(nodes_of(fd, h, pages), moved);
	ASSERT_EQ(pages[src], 6);
	CTL(&p, "--json", "regions", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "regions")->n, 1);
	r = jv_arr(v, "regions")->items[0];
	ASSERT_TRUE(jv_u64(r, "region") == rt_region_id(fd, h));
	ASSERT_EQ(strcmp(jv_str(r, "policy"), "bind"), 0);
	expect_nodemask(r, 1ULL << src);
	expect_nodes(r, (uint32_t)src, 6);
	ASSERT_EQ(jv_u64(r, "pending"), moved);
	jv_free(v);
	ctl_free(&p);

	/* The next fault on each page moves it, data and all. */
	assert_filled(m, 6 * PG, 5);
	ASSERT_EQ(nodes_of(fd, h, pages), 0);
	ASSERT_EQ(pages[0], 6);

	CTL(&p, "migrate", "--lazy", name, "--node", "0", "--json");
	ASSERT_EXIT(&p, 0);
	ASSERT_EQ(p.elen, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(strcmp(jv_str(v, "name"), name), 0);
	ASSERT_EQ(jv_u64(v, "node"), 0);
	ASSERT_EQ(jv_bool(v, "lazy"), true);
	ASSERT_EQ(jv_u64(v, "offset"), 0);
	ASSERT_EQ(jv_u64(v, "length"), 8 * PG);
	ASSERT_EQ(jv_u64(v, "pages"), 0);
	jv_free(v);
	ctl_free(&p);
	ASSERT_EQ(nodes_of(fd, h, pages), 0);

	ASSERT_EQ(munmap(m, 8 * PG), 0);
	ASSERT_EQ(rat_unlink(fd, name, 0), 0);
}

/* Runtime failures: exit 1, one line, and the region is untouched. */
TEST(migrate_failures_exit_1_with_one_line)
{
	int fd = numa_ctx();
	char name[RATMEM_NAME_MAX], ro[RATMEM_NAME_MAX], none[RATMEM_NAME_MAX];
	uint64_t before[MAXN], after[MAXN];
	struct ctl_proc p;
	unsigned char *m;
	uint32_t h;

	h = named_region(fd, name, "fail", 4, RT_ALL);
	named_region(fd, ro, "ro", 1, RT_RM);
	snprintf(none, sizeof(none), "rtctl-none-%d", (int)getpid());
	m = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ | PROT_WRITE);
	fill(m, 4 * PG, 9);
	ASSERT_EQ(nodes_of(fd, h, before), 0);

	/* Node 63 is never online in the test guests. */
	CTL(&p, "migrate", name, "--node", "63");
	expect_failure(&p, "node 63 is not online");
	ctl_free(&p);
	CTL(&p, "migrate", name, "--node", "63", "--lazy");
	expect_failure(&p, "node 63 is not online");
	ctl_free(&p);
	CTL(&p, "migrate", none, "--node", "0");
	expect_failure(&p, "no region named");
	ctl_free(&p);
	CTL(&p, "migrate", "bad/name", "--node", "0");
	expect_failure(&p, "is not a region name");
	ctl_free(&p);
	/* A region without the write right cannot be migrated by name. */
	CTL(&p, "migrate", ro, "--node", "0");
	expect_failure(&p, "does not allow writing");
	ctl_free(&p);
	CTL(&p, "migrate", name, "--node", "0", "--offset", "16K");
	expect_failure(&p, "past the end");
	ctl_free(&p);
	CTL(&p, "migrate", name, "--node", "0", "--length", "20K");
	expect_failure(&p, "past the end");
	ctl_free(&p);
	CTL(&p, "migrate", name, "--node", "0", "--offset", "100");
	expect_failure(&p, "multiples of the page size");
	ctl_free(&p);
	if (geteuid() == 0) {
		/* The mode is 0600 (or nobody may not even open /dev/ratmem). */
		CTL_AS(&p, NOBODY, "migrate", name, "--node", "0");
		ASSERT_EXIT(&p, 1);
		expect_one_line_error(&p);
		ctl_free(&p);
	}

	ASSERT_EQ(nodes_of(fd, h, after), 0);
	for (int i = 0; i < MAXN; i++)
		ASSERT_EQ(after[i], before[i]);
	assert_filled(m, 4 * PG, 9);
	ASSERT_EQ(munmap(m, 4 * PG), 0);
	ASSERT_EQ(rat_unlink(fd, name, 0), 0);
	ASSERT_EQ(rat_unlink(fd, ro, 0), 0);
}

/* ---- ps and quota --------------------------------------------------------- */

static struct jv *quota_json(pid_t pid, struct ctl_proc *p, const char *const *set)
{
	const char *args[12] = { "--json", "quota", set ? "set" : "get" };
	char ps[16];
	int n = 3;
	struct jv *v;

	args[n++] = num(ps, (uint64_t)pid);
	for (; set && *set && n < 11; set++)
		args[n++] = *set;
	args[n] = NULL;
	ctl_run(p, 0, args);
	ASSERT_EXIT(p, 0);
	v = jv_parse_ok(p->obuf);
	ASSERT_EQ(jv_u64(v, "pid"), pid);
	return v;
}

TEST(quota_set_then_get_and_enforced)
{
	int fd = quota_ctx();
	struct ratmem_quota q = { .pidfd = -1 };
	struct ratmem_create c = { .size = PG, .rights = RT_ALL, .numa_node = -1 };
	uint32_t h = rt_region(fd, 4, RT_ALL, 0);
	struct ctl_proc p;
	struct jv *v;
	const struct jv *u, *l;
	char pid[16];

	(void)h;
	num(pid, (uint64_t)getpid());
	v = quota_json(getpid(), &p,
		       (const char *const[]){ "handles=7", "committed=1M", "grants=3", NULL });
	l = jv_obj(v, "limits");
	ASSERT_EQ(jv_u64(l, "handles"), 7);
	ASSERT_EQ(jv_u64(l, "committed"), 1 << 20);
	ASSERT_EQ(jv_u64(l, "grants"), 3);
	jv_free(v);
	ctl_free(&p);

	/* What the ioctl says, ratmemctl says. */
	ASSERT_EQ(rat_quota(fd, &q), 0);
	ASSERT_EQ(q.limit[RATMEM_RES_HANDLES], 7);
	ASSERT_EQ(q.limit[RATMEM_RES_COMMITTED], 1 << 20);
	v = quota_json(getpid(), &p, NULL);
	u = jv_obj(v, "usage");
	l = jv_obj(v, "limits");
	ASSERT_EQ(jv_u64(u, "reserved"), 4 * PG);
	ASSERT_EQ(jv_u64(u, "committed"), 0);
	ASSERT_EQ(jv_u64(u, "handles"), 1);
	ASSERT_EQ(jv_u64(u, "grants"), 0);
	ASSERT_EQ(jv_u64(l, "handles"), 7);
	for (int res = 0; res < RATMEM_RES_COUNT; res++) {
		static const char *const names[] = {
			"reserved", "committed", "shared", "handles", "grants",
		};

		ASSERT_TRUE(jv_u64(u, names[res]) == q.usage[res]);
		if (q.limit[res] == RATMEM_LIMIT_NONE)
			ASSERT_TRUE(jv_is_null(l, names[res]));
		else
			ASSERT_TRUE(jv_u64(l, names[res]) == q.limit[res]);
	}
	jv_free(v);
	ctl_free(&p);

	/* A limit at the current usage refuses the next handle. */
	v = quota_json(getpid(), &p, (const char *const[]){ "handles=1", NULL });
	jv_free(v);
	ctl_free(&p);
	ASSERT_ERRNO(rat_create(fd, &c), EDQUOT);
	v = quota_json(getpid(), &p, (const char *const[]){ "handles=none", NULL });
	ASSERT_TRUE(jv_is_null(jv_obj(v, "limits"), "handles"));
	jv_free(v);
	ctl_free(&p);
	ASSERT_EQ(rat_create(fd, &c), 0);

	CTL(&p, "quota", "get", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "pid", pid);
	ASSERT_ROW(p.obuf, "handles", "2", "-");
	ASSERT_ROW(p.obuf, "committed", "0", "1M");
	ctl_free(&p);
}

/* quota list: one process's usage and limits, as quota get shows them. */
TEST(quota_list_shows_usage_and_limits)
{
	int fd = events_ctx();
	struct ctl_proc p;
	const struct jv *u;
	struct jv *v;
	char pid[16];

	rt_region(fd, 5, RT_ALL, 0);
	rt_region(fd, 1, RT_ALL, 0);
	num(pid, (uint64_t)getpid());
	v = quota_json(getpid(), &p,
		       (const char *const[]){ "reserved=none", "committed=1M", "shared=none",
					       "handles=none", "grants=3", NULL });
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "--json", "quota", "list", pid);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "processes")->n, 1);
	u = jv_arr(v, "processes")->items[0];
	ASSERT_EQ(jv_u64(u, "pid"), getpid());
	ASSERT_EQ(strcmp(jv_str(u, "state"), "live"), 0);
	/* A resource's column: {"usage": N, "limit": N or null}. */
	ASSERT_EQ(jv_u64(jv_obj(u, "reserved"), "usage"), 6 * PG);
	ASSERT_EQ(jv_u64(jv_obj(u, "handles"), "usage"), 2);
	ASSERT_TRUE(jv_is_null(jv_obj(u, "reserved"), "limit"));
	ASSERT_TRUE(jv_is_null(jv_obj(u, "handles"), "limit"));
	ASSERT_EQ(jv_u64(jv_obj(u, "committed"), "limit"), 1 << 20);
	ASSERT_EQ(jv_u64(jv_obj(u, "grants"), "limit"), 3);
	/* RESIDENT: a plain number of bytes; nothing touched yet. */
	ASSERT_EQ(jv_u64(u, "resident"), 0);
	ASSERT_EQ(u->n, 8);
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "quota");
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "PID", "RESERVED", "COMMITTED", "RESIDENT", "SHARED", "HANDLES",
		   "GRANTS", "STATE");
	ASSERT_ROW(p.obuf, pid, "24K/-", "0/1M", "0", "0/-", "2/-", "0/3", "live");
	ctl_free(&p);
}

/* A region of 4 committed pages, 3 of them resident. */
static unsigned char *resident_region(int fd, uint32_t *h)
{
	unsigned char *m;

	*h = rt_region(fd, 4, RT_ALL, RATMEM_CREATE_COMMIT);
	m = rt_map_ok(fd, *h, 0, 4 * PG, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 3; i++)
		m[i * PG] = 1;
	return m;
}

/* ps's RESIDENT: the resident bytes of the regions the process created,
 * summed over them (the region dump joined per pid, as top does). */
TEST(ps_shows_the_resident_bytes_of_the_regions_it_created)
{
	int fd = events_ctx();
	unsigned char *m[2], *n;
	const struct jv *u;
	struct ctl_proc p;
	char pid[16], want[64];
	struct jv *v;
	uint32_t h[3];

	/* Two regions with 3 pages touched each, one created untouched. */
	m[0] = resident_region(fd, &h[0]);
	m[1] = resident_region(fd, &h[1]);
	h[2] = rt_region(fd, 2, RT_ALL, RATMEM_CREATE_COMMIT);
	n = rt_map_ok(fd, h[2], 0, 2 * PG, PROT_READ | PROT_WRITE);
	num(pid, (uint64_t)getpid());

	CTL(&p, "ps", "--json");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	u = find_by(jv_arr(v, "processes"), "pid", (uint64_t)getpid());
	ASSERT_EQ(jv_u64(u, "resident"), 6 * 4096);
	jv_free(v);
	ctl_free(&p);

	/* One more page: the column follows; narrowed to the pid too. */
	n[PG] = 1;
	CTL(&p, "--json", "quota", "list", pid, "-o", "pid,resident");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "processes")->n, 1);
	u = jv_arr(v, "processes")->items[0];
	ASSERT_EQ(u->n, 2);
	ASSERT_EQ(jv_u64(u, "pid"), getpid());
	ASSERT_EQ(jv_u64(u, "resident"), 7 * 4096);
	jv_free(v);
	ctl_free(&p);

	/* Tables: K, M... by default, bytes with -b. */
	CTL(&p, "ps", pid);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "PID", "RESERVED", "COMMITTED", "RESIDENT", "SHARED");
	ASSERT_ROW(p.obuf, pid, "28K", "live");
	ctl_free(&p);
	CTL(&p, "ps", pid, "-o", "PID,RESIDENT", "-b", "-r", "-n");
	snprintf(want, sizeof(want), "%s %d\n", pid, 7 * 4096);
	expect_output(&p, want);
	ctl_free(&p);

	ASSERT_EQ(munmap(n, 2 * PG), 0);
	ASSERT_EQ(munmap(m[0], 4 * PG), 0);
	ASSERT_EQ(munmap(m[1], 4 * PG), 0);
}

/* "ps" is the old name of "quota list": the same output, byte for byte. */
TEST(ps_is_quota_list)
{
	int fd = events_ctx();
	struct ctl_proc p, q;
	char pid[16];

	rt_region(fd, 2, RT_ALL, 0);
	num(pid, (uint64_t)getpid());
	CTL(&p, "quota", "list", pid);
	ASSERT_EXIT(&p, 0);
	CTL(&q, "ps", pid);
	ASSERT_EXIT(&q, 0);
	ASSERT_TRUE(strcmp(q.obuf, p.obuf) == 0);
	ASSERT_TRUE(strstr(p.obuf, pid) != NULL);
	ASSERT_TRUE(strstr(p.obuf, " 8K/") != NULL);
	ctl_free(&p);
	ctl_free(&q);
}

TEST(quota_without_pid_is_ratmemctl_itself)
{
	struct ctl_proc p;
	struct jv *v;

	quota_ctx();
	ctl_start(&p, 0, (const char *const[]){ "--json", "quota", "get", NULL });
	ctl_finish(&p);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_u64(v, "pid"), p.pid);
	ASSERT_EQ(jv_u64(jv_obj(v, "usage"), "handles"), 0);
	jv_free(v);
	ctl_free(&p);
}

static void sleeper(int sock, void *arg)
{
	(void)arg;
	rt_recv_expect(sock, RT_MSG_EXIT);
}

TEST(quota_of_missing_process_or_account_exits_1)
{
	struct ctl_proc p;
	struct rt_peer b;
	char pid[16];
	pid_t gone;

	quota_ctx();
	/* A process that never opened /dev/ratmem has no quota. */
	rt_peer_start(&b, sleeper, NULL);
	CTL(&p, "quota", "get", num(pid, (uint64_t)b.pid));
	ASSERT_EXIT(&p, 1);
	expect_one_line_error(&p);
	ASSERT_TRUE(strstr(p.ebuf, "no ratmem quota") != NULL);
	ctl_free(&p);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);

	gone = fork();
	ASSERT_TRUE(gone >= 0);
	if (gone == 0)
		_exit(0);
	ASSERT_EQ(waitpid(gone, NULL, 0), gone);
	CTL(&p, "quota", "set", num(pid, (uint64_t)gone), "handles=1");
	ASSERT_EXIT(&p, 1);
	expect_one_line_error(&p);
	ASSERT_TRUE(strstr(p.ebuf, "no process") != NULL);
	ctl_free(&p);
}

/* ---- monitor ---------------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The i-th line of @text, parsed. */
static struct jv *json_line(const char *text, int i)
{
	char *copy = strdup(text), *line = copy, *end;
	struct jv *v;

	ASSERT_TRUE(copy != NULL);
	for (; i > 0; i--) {
		line = strchr(line, '\n');
		ASSERT_TRUE(line != NULL);
		line++;
	}
	end = strchr(line, '\n');
	ASSERT_TRUE(end != NULL);
	*end = '\0';
	v = jv_parse_ok(line);
	free(copy);
	return v;
}

TEST(monitor_json_sees_a_grant_and_its_revoke)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 3, RT_ALL, 0);
	uint64_t id = rt_region_id(fd, h), cap, t0, t1, seq;
	struct ctl_proc p;
	struct rt_peer b;
	struct jv *v;
	char caps[20];

	rt_peer_start(&b, sleeper, NULL);
	ctl_start(&p, 0, (const char *const[]){ "--json", "monitor", "--count", "2", NULL });
	ctl_wait_stderr(&p, "listening");
	t0 = now_ns();
	cap = rt_grant_ok(fd, h, RT_RM | RATMEM_RIGHT_GRANT, b.pidfd);
	ASSERT_EQ(rt_revoke(fd, h, cap), 0);
	t1 = now_ns();
	ctl_finish(&p);
	ASSERT_EXIT(&p, 0);
	hex16(caps, cap);

	v = json_line(p.obuf, 0);
	ASSERT_EQ(strcmp(jv_str(v, "kind"), "grant"), 0);
	seq = jv_u64(v, "seq");
	ASSERT_TRUE(seq >= 1);
	ASSERT_TRUE(jv_u64(v, "time_ns") >= t0 && jv_u64(v, "time_ns") <= t1);
	ASSERT_EQ(jv_u64(v, "pid"), getpid());
	ASSERT_EQ(jv_u64(v, "peer_pid"), b.pid);
	ASSERT_TRUE(jv_u64(v, "region_id") == id);
	ASSERT_EQ(strcmp(jv_str(v, "cap_id"), caps), 0);
	ASSERT_EQ(jv_u64(v, "size"), 3 * PG);
	ASSERT_EQ(jv_arr(v, "rights")->n, 3);
	ASSERT_TRUE(jv_has_str(jv_arr(v, "rights"), "grant"));
	jv_free(v);

	v = json_line(p.obuf, 1);
	ASSERT_EQ(strcmp(jv_str(v, "kind"), "revoke"), 0);
	ASSERT_TRUE(jv_u64(v, "seq") == seq + 1);
	ASSERT_EQ(jv_u64(v, "pid"), getpid());
	ASSERT_EQ(jv_u64(v, "peer_pid"), b.pid);
	ASSERT_EQ(strcmp(jv_str(v, "cap_id"), caps), 0);
	jv_free(v);

	v = json_line(p.obuf, 2);
	ASSERT_EQ(strcmp(jv_str(v, "kind"), "summary"), 0);
	ASSERT_EQ(jv_u64(v, "events"), 2);
	ASSERT_EQ(jv_u64(v, "missed"), 0);
	jv_free(v);
	ASSERT_TRUE(strchr(strchr(strchr(p.obuf, '\n') + 1, '\n') + 1, '\n')[1] == '\0');
	ctl_free(&p);

	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

TEST(monitor_text_until_sigint)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 1, RT_ALL, 0);
	uint64_t id = rt_region_id(fd, h), cap;
	struct ctl_proc p;
	struct rt_peer b;
	char caps[20], want[64];

	rt_peer_start(&b, sleeper, NULL);
	ctl_start(&p, 0, (const char *const[]){ "monitor", NULL });
	ctl_wait_stderr(&p, "listening");
	cap = rt_grant_ok(fd, h, RT_RM, b.pidfd);
	ctl_wait_lines(&p, 1);	/* flushed at once, though stdout is a pipe */
	ASSERT_EQ(kill(p.pid, SIGINT), 0);
	ctl_finish(&p);
	ASSERT_EXIT(&p, 0);
	snprintf(want, sizeof(want), "pid=%d", (int)getpid());
	ASSERT_TRUE(strstr(p.obuf, " grant ") != NULL);
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	snprintf(want, sizeof(want), "peer=%d", (int)b.pid);
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	snprintf(want, sizeof(want), "region=%llu", (unsigned long long)id);
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	snprintf(want, sizeof(want), "cap=%s", hex16(caps, cap));
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	ASSERT_TRUE(strstr(p.obuf, "size=4K") != NULL);
	ASSERT_TRUE(strstr(p.ebuf, "\n1 events, 0 missed\n") != NULL);
	ctl_free(&p);

	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* ---- without privileges --------------------------------------------------- */

TEST(unprivileged_monitor_fails_and_dumps_show_nothing_foreign)
{
	int fd = events_ctx();
	struct ctl_proc p;
	struct jv *v;
	char pid[16];

	if (geteuid() != 0)
		SKIP("needs root to become nobody");
	rt_region(fd, 1, RT_ALL, 0);
	CTL_AS(&p, NOBODY, "monitor");
	ASSERT_EXIT(&p, 1);
	expect_one_line_error(&p);
	ASSERT_TRUE(strstr(p.ebuf, "CAP_NET_ADMIN") != NULL);
	ctl_free(&p);

	/* nobody's ratmemctl has no objects; root's region is not listed. */
	CTL_AS(&p, NOBODY, "--json", "regions");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "regions")->n, 0);
	jv_free(v);
	ctl_free(&p);
	CTL_AS(&p, NOBODY, "--json", "ps");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "processes")->n, 0);
	jv_free(v);
	ctl_free(&p);

	/* Another process's quota: EPERM (or no access to /dev/ratmem). */
	CTL_AS(&p, NOBODY, "quota", "get", num(pid, (uint64_t)getpid()));
	ASSERT_EXIT(&p, 1);
	expect_one_line_error(&p);
	ctl_free(&p);
}

/* ---- util-linux style: -V, columns, formats, exit 32 ----------------------- */

/* Lines of @text that start with @prefix. */
static int count_lines(const char *text, const char *prefix)
{
	const char *line = text;
	int n = 0;

	while (*line) {
		const char *end = strchr(line, '\n');

		n += !strncmp(line, prefix, strlen(prefix));
		if (!end)
			break;
		line = end + 1;
	}
	return n;
}

/* -V names the release ratmemctl comes from: the module's version, the
 * two being built from one tree. */
TEST(version_option_names_the_release)
{
	static const char *const opts[] = { "-V", "--version" };
	struct ctl_proc p;
	char want[96], word[96];
	struct jv *v;

	events_ctx();
	CTL(&p, "--json", "status");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	snprintf(want, sizeof(want), "ratmemctl from ratmem %s\n", jv_str(v, "version"));
	jv_free(v);
	ctl_free(&p);
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		CTL(&p, opts[i]);
		expect_output(&p, want);
		ctl_free(&p);
	}
	/* Anywhere on the line, and before the command runs. */
	CTL(&p, "status", "-V");
	expect_output(&p, want);
	ctl_free(&p);
	CTL(&p, "--json", "version");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	snprintf(word, sizeof(word), "ratmemctl from ratmem %s\n", jv_str(v, "ratmemctl_version"));
	ASSERT_EQ(strcmp(word, want), 0);
	jv_free(v);
	ctl_free(&p);
}

/* A context with names and the netlink family. */
static int named_ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_EVENTS | RATMEM_FEATURE_NAMED,
				1ULL << RATMEM_IOC_NR_QUOTA);
}

TEST(output_columns_raw_noheadings_and_bytes)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 5, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP, 0);
	uint64_t id = rt_region_id(fd, h);
	char pid[16], want[96];
	const struct jv *r;
	struct ctl_proc p;
	struct jv *v;

	ASSERT_EQ(rt_commit(fd, h, PG, 2 * PG), 0);
	num(pid, (uint64_t)getpid());

	/* -o in any case and order, -n, -r, -b: one line, single spaces. */
	CTL(&p, "regions", pid, "-o", "region,Size,COMMITTED,rights", "-n", "-r", "-b");
	snprintf(want, sizeof(want), "%llu %llu %llu rw-m-\n", (unsigned long long)id,
		 (unsigned long long)(5 * PG), (unsigned long long)(2 * PG));
	expect_output(&p, want);
	ctl_free(&p);
	CTL(&p, "-nrb", "--output=SIZE", "regions", pid);
	snprintf(want, sizeof(want), "%llu\n", (unsigned long long)(5 * PG));
	expect_output(&p, want);
	ctl_free(&p);

	/* Raw with headings: the same names, one space between columns. */
	CTL(&p, "regions", pid, "--raw");
	ASSERT_EXIT(&p, 0);
	ASSERT_TRUE(strstr(p.obuf, "REGION PID SIZE COMMITTED RESIDENT RIGHTS MAPPERS POLICY "
				   "NODEMASK NODES PENDING SEALS\n") == p.obuf);
	ASSERT_TRUE(strstr(p.obuf, "  ") == NULL);
	ctl_free(&p);

	/* +LIST: the defaults, then the columns asked for. */
	CTL(&p, "regions", pid, "-o", "+uid,MODE");
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "REGION", "PID", "SIZE", "PENDING", "UID", "MODE");
	ASSERT_ROW(p.obuf, num(want, id), pid, "20K", "8K", "rw-m-");
	ctl_free(&p);

	/* JSON: exactly the columns asked for, keys in lower case. */
	CTL(&p, "regions", pid, "-J", "-o", "REGION,size");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(v->n, 1);
	ASSERT_EQ(jv_arr(v, "regions")->n, 1);
	r = jv_arr(v, "regions")->items[0];
	ASSERT_EQ(r->n, 2);
	ASSERT_TRUE(jv_u64(r, "region") == id);
	ASSERT_EQ(jv_u64(r, "size"), 5 * PG);
	jv_free(v);
	ctl_free(&p);

	/* -O: every column; an unnamed region has no owner or mode. */
	CTL(&p, "regions", pid, "--json", "-O");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	r = jv_arr(v, "regions")->items[0];
	ASSERT_TRUE(jv_is_null(r, "uid") && jv_is_null(r, "gid") && jv_is_null(r, "mode"));
	ASSERT_EQ(jv_u64(r, "committed"), 2 * PG);
	jv_get(r, "nodemask");
	jv_free(v);
	ctl_free(&p);

	/* -b in quota get and in quota list. */
	CTL(&p, "quota", "get", pid, "-b");
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, "reserved", num(want, 5 * PG));
	ctl_free(&p);
	CTL(&p, "quota", "list", pid, "--bytes", "-o", "pid,reserved", "-n");
	ASSERT_EXIT(&p, 0);
	snprintf(want, sizeof(want), "%s  %llu/", pid, (unsigned long long)(5 * PG));
	ASSERT_TRUE(strncmp(p.obuf, want, strlen(want)) == 0);
	ASSERT_EQ(count_lines(p.obuf, ""), 1);
	ctl_free(&p);
}

TEST(named_regions_show_owner_and_mode)
{
	int fd = named_ctx();
	char name[RATMEM_NAME_MAX], pid[16], uid[16], gid[16];
	const struct jv *r;
	struct ctl_proc p;
	struct jv *v;
	uint32_t h = 0;
	uint64_t id;

	snprintf(name, sizeof(name), "rtctl-owner-%d", (int)getpid());
	ASSERT_EQ(rat_named_create(fd, name, 2 * PG, 0, RT_ALL, 0640, &h), 0);
	id = rt_region_id(fd, h);
	num(pid, (uint64_t)getpid());
	CTL(&p, "--json", "regions", pid, "-o", "REGION,UID,GID,MODE");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	r = find_by(jv_arr(v, "regions"), "region", id);
	ASSERT_EQ(jv_u64(r, "uid"), geteuid());
	ASSERT_EQ(jv_u64(r, "gid"), getegid());
	ASSERT_EQ(strcmp(jv_str(r, "mode"), "0640"), 0);
	jv_free(v);
	ctl_free(&p);
	CTL(&p, "regions", pid, "-o", "UID,GID,MODE");
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, num(uid, geteuid()), num(gid, getegid()), "0640");
	ctl_free(&p);
	ASSERT_EQ(rat_unlink(fd, name, 0), 0);
}

TEST(list_columns_names_every_column)
{
	static const char *const cmds[][2] = {
		{ "regions", "NODEMASK" }, { "handles", "CAPABILITY" }, { "grants", "LEASE" },
		{ "ps", "RESERVED" }, { "quota", "STATE" }, { "top", "EVENTS/S" },
	};
	struct ctl_proc p;
	struct jv *v;
	bool found;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		CTL(&p, cmds[i][0], "--list-columns");
		ASSERT_EXIT(&p, 0);
		ASSERT_EQ(p.elen, 0);
		ASSERT_ROW(p.obuf, cmds[i][1]);
		ctl_free(&p);
		CTL(&p, "-H", "--json", cmds[i][0]);
		ASSERT_EXIT(&p, 0);
		v = jv_parse_ok(p.obuf);
		found = false;
		for (int k = 0; k < jv_arr(v, "columns")->n; k++) {
			const struct jv *c = jv_arr(v, "columns")->items[k];

			found |= !strcmp(jv_str(c, "name"), cmds[i][1]);
			jv_bool(c, "default");
			ASSERT_TRUE(strlen(jv_str(c, "description")) > 0);
		}
		ASSERT_TRUE(found);
		jv_free(v);
		ctl_free(&p);
	}
}

/* As lsblk for devices it was asked about: a PID with nothing listed
 * exits 32, the (empty) listing printed all the same. */
TEST(a_pid_with_nothing_to_list_exits_32)
{
	struct ctl_proc p;
	struct rt_peer b;
	char pid[16];
	struct jv *v;

	events_ctx();
	rt_peer_start(&b, sleeper, NULL);
	num(pid, (uint64_t)b.pid);
	CTL(&p, "regions", pid);
	ASSERT_EXIT(&p, 32);
	ASSERT_EQ(p.elen, 0);
	ASSERT_TRUE(strncmp(p.obuf, "REGION", 6) == 0 && strchr(p.obuf, '\n')[1] == '\0');
	ctl_free(&p);
	CTL(&p, "--json", "handles", pid);
	ASSERT_EXIT(&p, 32);
	v = jv_parse_ok(p.obuf);
	ASSERT_EQ(jv_arr(v, "handles")->n, 0);
	jv_free(v);
	ctl_free(&p);
	CTL(&p, "grants", "-n", pid);
	ASSERT_EXIT(&p, 32);
	ASSERT_EQ(p.olen, 0);
	ctl_free(&p);
	CTL(&p, "ps", pid);
	ASSERT_EXIT(&p, 32);
	ctl_free(&p);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* Accepts the grant it is sent, with RT_RM | GRANT, re-grants RT_RM to
 * the process it is sent, sends the new capability id back, and waits. */
static void regrant_on(int sock, void *arg)
{
	int fd = rt_open_ctx(), pidfd;
	uint32_t h;
	uint64_t cap;

	(void)arg;
	h = rt_accept_ok(fd, rt_recv(sock), RT_RM | RATMEM_RIGHT_GRANT);
	pidfd = rt_pidfd_open((pid_t)rt_recv(sock));
	cap = rt_grant_ok(fd, h, RT_RM, pidfd);
	rt_send(sock, cap);
	rt_recv_expect(sock, RT_MSG_EXIT);
	close(pidfd);
	close(fd);
}

/* The grant with capability @hex in @arr or, recursively, in its
 * "children"; NULL when absent. @depth: where it was found. */
static const struct jv *find_cap(const struct jv *arr, const char *hex, int *depth)
{
	for (int i = 0; arr && i < arr->n; i++) {
		const struct jv *g = arr->items[i], *hit;
		const struct jv *cap = jv_get(g, "capability");

		if (cap && cap->type == JV_STR && !strcmp(cap->s, hex))
			return g;
		hit = find_cap(jv_get(g, "children"), hex, depth);
		if (hit) {
			(*depth)++;
			return hit;
		}
	}
	return NULL;
}

TEST(grants_tree_shows_regrants_under_their_parent)
{
	int fd = events_ctx(), depth;
	uint32_t h = rt_region(fd, 2, RT_ALL, 0);
	uint64_t ab, bc;
	char hab[20], hbc[20], pb[16], pc[16], word[40];
	const struct jv *g, *kids;
	struct rt_peer b, c;
	struct ctl_proc p;
	struct jv *v;

	rt_peer_start(&c, sleeper, NULL);
	rt_peer_start(&b, regrant_on, NULL);
	ab = rt_grant_ok(fd, h, RT_RM | RATMEM_RIGHT_GRANT, b.pidfd);
	rt_send(b.sock, ab);
	rt_send(b.sock, (uint64_t)c.pid);
	bc = rt_peer_recv(&b);
	hex16(hab, ab);
	hex16(hbc, bc);
	num(pb, (uint64_t)b.pid);
	num(pc, (uint64_t)c.pid);

	/* Flat: each grant names its parent; the owner's is a root. */
	CTL(&p, "--json", "grants", pb);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	depth = 0;
	g = find_cap(jv_arr(v, "grants"), hab, &depth);
	ASSERT_TRUE(g != NULL);
	ASSERT_TRUE(jv_is_null(g, "parent"));
	ASSERT_EQ(strcmp(jv_str(g, "state"), "accepted"), 0);
	g = find_cap(jv_arr(v, "grants"), hbc, &depth);
	ASSERT_TRUE(g != NULL && depth == 0);
	ASSERT_EQ(strcmp(jv_str(g, "parent"), hab), 0);
	ASSERT_EQ(jv_u64(g, "pid"), b.pid);
	ASSERT_EQ(jv_u64(g, "peer"), c.pid);
	jv_free(v);
	ctl_free(&p);

	/* --tree: the re-grant inside its parent's "children". */
	CTL(&p, "--json", "grants", "--tree", pb);
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	depth = 0;
	g = find_cap(jv_arr(v, "grants"), hab, &depth);
	ASSERT_TRUE(g != NULL && depth == 0);
	kids = jv_arr(g, "children");
	ASSERT_EQ(kids->n, 1);
	ASSERT_EQ(strcmp(jv_str(kids->items[0], "capability"), hbc), 0);
	depth = 0;
	ASSERT_TRUE(find_cap(jv_arr(v, "grants"), hbc, &depth) != NULL && depth == 1);
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "grants", "--tree", "-o", "CAPABILITY,PID,PEER,STATE", pb);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, hab, num(word, (uint64_t)getpid()), pb, "accepted");
	snprintf(word, sizeof(word), "\u2514\u2500%s", hbc);
	ASSERT_ROW(p.obuf, word, pb, pc, "pending");
	ctl_free(&p);
	CTL(&p, "grants", "-T", "--ascii", pb);
	ASSERT_EXIT(&p, 0);
	snprintf(word, sizeof(word), "`-%s", hbc);
	ASSERT_ROW(p.obuf, word, pb, pc, "pending");
	ctl_free(&p);

	/* C's dump has the re-grant only: its parent is not there, so it
	 * is a root. */
	CTL(&p, "grants", "--tree", pc);
	ASSERT_EXIT(&p, 0);
	ASSERT_ROW(p.obuf, hbc, pb, pc, "pending");
	ASSERT_TRUE(strstr(p.obuf, "\u2500") == NULL);
	ctl_free(&p);

	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
	rt_send(c.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&c);
}

TEST(top_batch_iterations_2)
{
	int fd = events_ctx();
	struct ratmem_quota q = { .pidfd = -1 };
	char pid[16], want[64];
	const struct jv *e;
	struct ctl_proc p;
	unsigned char *m;
	struct jv *v;
	uint32_t h;

	m = resident_region(fd, &h);
	ASSERT_EQ(rat_quota(fd, &q), 0);
	num(pid, (uint64_t)getpid());

	/* Two snapshots, each a summary, a header and the rows; no
	 * terminal control, exit 0. */
	CTL(&p, "top", "--iterations", "2", "-d", "0.2");
	ASSERT_EXIT(&p, 0);
	ASSERT_EQ(p.elen, 0);
	ASSERT_TRUE(strchr(p.obuf, '\033') == NULL);
	ASSERT_EQ(count_lines(p.obuf, "ratmemctl top - "), 2);
	ASSERT_ROW(p.obuf, "PID", "RESIDENT", "COMMITTED", "REGIONS", "HANDLES", "GRANTS",
		   "GRANTS/S", "EVENTS/S");
	ASSERT_ROW(p.obuf, pid, "12K", "16K", "1");
	ctl_free(&p);

	/* JSON Lines: one document per snapshot. */
	CTL(&p, "top", "--iterations", "2", "-d", "0.2", "--json", "-b");
	ASSERT_EXIT(&p, 0);
	for (int i = 0; i < 2; i++) {
		v = json_line(p.obuf, i);
		jv_u64(v, "time_ns");
		e = find_by(jv_arr(v, "processes"), "pid", (uint64_t)getpid());
		ASSERT_EQ(jv_u64(e, "resident"), 3 * PG);
		ASSERT_TRUE(jv_u64(e, "committed") == q.usage[RATMEM_RES_COMMITTED]);
		ASSERT_EQ(jv_u64(e, "regions"), 1);
		ASSERT_TRUE(jv_u64(e, "handles") == q.usage[RATMEM_RES_HANDLES]);
		/* Root may join the events group: rates are numbers. */
		if (geteuid() == 0)
			ASSERT_EQ(jv_get(e, "events/s")->type, JV_NUM);
		jv_free(v);
	}
	ASSERT_EQ(count_lines(p.obuf, "{"), 2);
	ctl_free(&p);

	/* --sort committed, -o, -r, -n: rows only. */
	CTL(&p, "top", "--iterations", "1", "--sort", "committed", "-o", "PID,COMMITTED", "-r",
	    "-n", "-b");
	ASSERT_EXIT(&p, 0);
	snprintf(want, sizeof(want), "%s %llu\n", pid,
		 (unsigned long long)q.usage[RATMEM_RES_COMMITTED]);
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	ASSERT_TRUE(strstr(p.obuf, "ratmemctl top") == NULL);
	ctl_free(&p);
	ASSERT_EQ(munmap(m, 4 * PG), 0);
}

/* Grants made while top runs show as grants and events per second. */
TEST(top_counts_events_per_second)
{
	int fd = events_ctx();
	uint32_t h = rt_region(fd, 1, RT_ALL, 0);
	double grants = 0, events = 0;
	struct ctl_proc p;
	struct rt_peer b;
	const struct jv *e;
	struct jv *v;

	if (geteuid() != 0)
		SKIP("needs CAP_NET_ADMIN to join the events group");
	rt_peer_start(&b, sleeper, NULL);
	ctl_start(&p, 0, (const char *const[]){ "top", "--json", "--iterations", "3", "-d", "0.5",
						NULL });
	ctl_wait_lines(&p, 1);
	rt_grant_ok(fd, h, RT_RM, b.pidfd);
	rt_grant_ok(fd, h, RT_RM, b.pidfd);
	ctl_finish(&p);
	ASSERT_EXIT(&p, 0);
	for (int i = 1; i < 3; i++) {
		v = json_line(p.obuf, i);
		e = find_by(jv_arr(v, "processes"), "pid", (uint64_t)getpid());
		grants += jv_get(e, "grants/s")->d;
		events += jv_get(e, "events/s")->d;
		ASSERT_EQ(jv_get(v, "events/s")->type, JV_NUM);
		jv_free(v);
	}
	/* Two grants in two intervals of about 0.5 s. */
	ASSERT_TRUE(grants > 0 && events >= grants);
	ctl_free(&p);
	rt_send(b.sock, RT_MSG_EXIT);
	ASSERT_PEER_OK(&b);
}

/* CLOCK_MONOTONIC in milliseconds. */
static uint64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* In a terminal: the screen cleared with ANSI codes, q quits, exit 0. */
TEST_TIMEOUT(top_in_a_terminal_quits_on_q, 60)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 120 };
	char buf[8192] = "";
	size_t len = 0;
	int master, w = 0;
	pid_t pid;
	bool sent = false, done = false;

	events_ctx();
	fflush(stdout);
	fflush(stderr);
	pid = forkpty(&master, NULL, NULL, &ws);
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		execl(tool(), "ratmemctl", "top", "-d", "0.2", (char *)NULL);
		_exit(127);
	}
	/*
	 * 30 s in all, by the clock: under TCG the first screen once took
	 * most of a 10 s budget that counted poll rounds, and the q sent
	 * then had no time left to be read.
	 */
	for (uint64_t end = mono_ms() + 30000; !done && mono_ms() < end;) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		ssize_t r;

		if (poll(&pfd, 1, 50) > 0) {
			r = read(master, buf + len, sizeof(buf) - 1 - len);
			if (r > 0) {
				len += (size_t)r;
				buf[len] = '\0';
			}
			if (len > sizeof(buf) / 2) {	/* keep the tail */
				memmove(buf, buf + len / 2, len - len / 2 + 1);
				len -= len / 2;
			}
		}
		if (!sent && strstr(buf, "\033[H\033[2J") && strstr(buf, "ratmemctl top - ")) {
			ASSERT_EQ(write(master, "q", 1), 1);
			sent = true;
		}
		done = waitpid(pid, &w, WNOHANG) == pid;
	}
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &w, 0);
		rt_fail(__FILE__, __LINE__, "top did not quit on q (%s); output: %s",
			sent ? "q sent" : "no screen seen", buf);
	}
	close(master);
	ASSERT_TRUE(sent);
	ASSERT_TRUE(WIFEXITED(w) && WEXITSTATUS(w) == 0);
}

TEST(export_prometheus_to_stdout_and_atomically_to_a_file)
{
	int fd = events_ctx();
	char pid[16], want[128], dir[64], path[96], *text;
	struct ctl_proc p;
	struct stat st;
	unsigned char *m;
	struct jv *v;
	struct dirent *de;
	DIR *d;
	uint32_t h;
	int files = 0;
	FILE *f;
	long n;

	m = resident_region(fd, &h);
	num(pid, (uint64_t)getpid());
	CTL(&p, "--json", "status");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	snprintf(want, sizeof(want), "ratmem_info{version=\"%s\",", jv_str(v, "version"));
	jv_free(v);
	ctl_free(&p);

	CTL(&p, "export", "--prometheus");
	ASSERT_EXIT(&p, 0);
	ASSERT_EQ(p.elen, 0);
	ASSERT_TRUE(strstr(p.obuf, "# HELP ratmem_regions ") != NULL);
	ASSERT_TRUE(strstr(p.obuf, "\n# TYPE ratmem_regions gauge\nratmem_regions ") != NULL);
	ASSERT_TRUE(strstr(p.obuf, "# TYPE ratmem_events_total counter\n") != NULL);
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	snprintf(want, sizeof(want), "\nratmem_process_resident_bytes{pid=\"%s\"} %llu\n", pid,
		 (unsigned long long)(3 * PG));
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	snprintf(want, sizeof(want), "\nratmem_process_regions{pid=\"%s\"} 1\n", pid);
	ASSERT_TRUE(strstr(p.obuf, want) != NULL);
	ctl_free(&p);

	snprintf(dir, sizeof(dir), "/tmp/rtctl-prom-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/ratmem.prom", dir);
	ASSERT_EQ(mkdir(dir, 0755), 0);
	for (int round = 0; round < 2; round++) {	/* create, then replace */
		CTL(&p, "export", "--prometheus", "--output-file", path);
		ASSERT_EXIT(&p, 0);
		ASSERT_EQ(p.olen, 0);
		ASSERT_EQ(p.elen, 0);
		ctl_free(&p);
	}
	ASSERT_EQ(stat(path, &st), 0);
	ASSERT_EQ(st.st_mode & 0777, 0644);
	f = fopen(path, "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	ASSERT_TRUE(text && fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	ASSERT_TRUE(strstr(text, want) != NULL);
	ASSERT_EQ(text[n - 1], '\n');
	free(text);
	/* Nothing left beside it: the temporary file was renamed. */
	d = opendir(dir);
	ASSERT_TRUE(d != NULL);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.';
	closedir(d);
	ASSERT_EQ(files, 1);
	ASSERT_EQ(unlink(path), 0);
	ASSERT_EQ(rmdir(dir), 0);

	/* A directory that does not exist: exit 1, one line. */
	snprintf(path, sizeof(path), "%s/none/ratmem.prom", dir);
	CTL(&p, "export", "--prometheus", "--output-file", path);
	expect_failure(&p, "export");
	ctl_free(&p);
	ASSERT_EQ(munmap(m, 4 * PG), 0);
}

/* Without CAP_NET_ADMIN top still runs: its own figures, rates "-". */
TEST(unprivileged_top_shows_no_rates)
{
	struct ctl_proc p;
	struct jv *v;

	events_ctx();
	if (geteuid() != 0)
		SKIP("needs root to become nobody");
	CTL_AS(&p, NOBODY, "top", "--json", "--iterations", "1");
	ASSERT_EXIT(&p, 0);
	v = jv_parse_ok(p.obuf);
	ASSERT_TRUE(jv_is_null(v, "events/s"));
	for (int i = 0; i < jv_arr(v, "processes")->n; i++)
		ASSERT_TRUE(jv_is_null(jv_arr(v, "processes")->items[i], "events/s"));
	jv_free(v);
	ctl_free(&p);
	CTL_AS(&p, NOBODY, "top", "--iterations", "1", "-n", "-o", "PID,EVENTS/S");
	ASSERT_EXIT(&p, 0);
	ctl_free(&p);
}
