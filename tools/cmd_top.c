// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl top: processes by their ratmem memory, refreshed every -d
 * seconds. Each snapshot is the quota and region dumps (snap.c): per
 * process its regions' resident bytes, its quota's committed bytes and
 * the rest of its usage. Between snapshots ratmemctl listens to the
 * events group, when the caller may join it (CAP_NET_ADMIN), and shows
 * each process's events and grants per second; otherwise "-".
 *
 * In a terminal (standard output a tty, no --iterations, no --json) the
 * screen is cleared with plain ANSI codes before each snapshot and keys
 * are read from the terminal: q quits, c sorts by committed bytes, r by
 * resident bytes. Otherwise, or with --iterations N (N snapshots, then
 * exit 0), snapshots follow each other without any control code; with
 * --json one JSON document per snapshot and line.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/ratmem_genl.h>

#include "ctl.h"

enum {
	TOP_PID,
	TOP_RESIDENT,
	TOP_COMMITTED,
	TOP_RESERVED,
	TOP_SHARED,
	TOP_REGIONS,
	TOP_HANDLES,
	TOP_GRANTS,
	TOP_GRANT_RATE,
	TOP_EVENT_RATE,
	TOP_STATE,
};

#define D COL_DEFAULT
#define R COL_RIGHT
static const struct col top_cols[] = {
	{ .name = "PID", .flags = D | R, .id = TOP_PID, .help = "process id" },
	{ .name = "RESIDENT", .flags = D | R, .id = TOP_RESIDENT,
	  .help = "bytes backed by pages of the regions it created" },
	{ .name = "COMMITTED", .flags = D | R, .id = TOP_COMMITTED,
	  .help = "committed bytes charged to its quota" },
	{ .name = "RESERVED", .flags = R, .id = TOP_RESERVED,
	  .help = "reserved bytes charged to its quota" },
	{ .name = "SHARED", .flags = R, .id = TOP_SHARED,
	  .help = "bytes of regions shared with it" },
	{ .name = "REGIONS", .flags = D | R, .id = TOP_REGIONS, .help = "regions it created" },
	{ .name = "HANDLES", .flags = D | R, .id = TOP_HANDLES, .help = "handles it holds" },
	{ .name = "GRANTS", .flags = D | R, .id = TOP_GRANTS, .help = "live grants it issued" },
	{ .name = "GRANTS/S", .flags = D | R, .id = TOP_GRANT_RATE,
	  .help = "grants it made per second (- without the events group)" },
	{ .name = "EVENTS/S", .flags = D | R, .id = TOP_EVENT_RATE,
	  .help = "events it caused per second (- without the events group)" },
	{ .name = "STATE", .flags = 0, .id = TOP_STATE, .help = "live or exited" },
};
#undef D
#undef R
#define NTOP_COLS ((int)(sizeof(top_cols) / sizeof(top_cols[0])))

struct evcount {
	uint32_t pid;
	uint64_t events, grants;
};

struct top {
	const struct ctl *c;
	struct listing l;	/* the columns; a table per snapshot */
	double delay;
	int iterations;		/* 0: until q or a signal */
	bool by_committed;
	bool interactive, keys;	/* a terminal on stdout; keys from stdin */
	bool events;		/* the events group joined */
	struct rnl dump, ev;
	struct evcount *cnt;	/* events since the last snapshot */
	int ncnt, cap;
	uint64_t ev_total;
	double last;		/* CLOCK_MONOTONIC of the last snapshot */
	struct snapshot *s;
	struct termios saved;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_event(struct nlattr **tb, void *arg)
{
	struct top *t = arg;
	uint32_t pid;
	int i;

	if (!tb[RATMEM_A_EVENT])
		return 0;
	t->ev_total++;
	if (!tb[RATMEM_A_PID])
		return 0;
	pid = attr_u32(tb, RATMEM_A_PID, 0);
	for (i = 0; i < t->ncnt && t->cnt[i].pid != pid; i++)
		;
	if (i == t->ncnt) {
		if (t->ncnt == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 32;
			t->cnt = xrealloc(t->cnt, sizeof(*t->cnt) * (size_t)t->cap);
		}
		t->cnt[t->ncnt++] = (struct evcount){ .pid = pid };
	}
	t->cnt[i].events++;
	if (attr_u32(tb, RATMEM_A_EVENT, 0) == RATMEM_EV_GRANT)
		t->cnt[i].grants++;
	return 0;
}

static bool sort_by_committed;

static uint64_t committed_of(const struct proc_stat *p)
{
	return p->has_quota ? p->usage[RATMEM_RES_COMMITTED] : p->committed;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct proc_stat *x = a, *y = b;
	uint64_t kx = sort_by_committed ? committed_of(x) : x->resident;
	uint64_t ky = sort_by_committed ? committed_of(y) : y->resident;

	if (kx != ky)
		return kx > ky ? -1 : 1;
	kx = sort_by_committed ? x->resident : committed_of(x);
	ky = sort_by_committed ? y->resident : committed_of(y);
	if (kx != ky)
		return kx > ky ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void set_num(struct table *tb, int row, int col, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	table_set(tb, row, col, buf, xstrdup(buf));
}

static void set_rate(struct top *t, int row, int col, uint64_t n, double secs)
{
	char buf[32];

	if (!t->events) {
		table_set(&t->l.t, row, col, "-", NULL);
		return;
	}
	snprintf(buf, sizeof(buf), "%.1f", secs > 0.001 ? (double)n / secs : 0.0);
	table_set(&t->l.t, row, col, buf, xstrdup(buf));
}

static void add_row(struct top *t, const struct proc_stat *p, double secs)
{
	struct table *tb = &t->l.t;
	int row = table_add_row(tb, 0, 0);
	static const int res_of[] = {
		[TOP_RESERVED] = RATMEM_RES_RESERVED,
		[TOP_SHARED] = RATMEM_RES_SHARED,
		[TOP_HANDLES] = RATMEM_RES_HANDLES,
		[TOP_GRANTS] = RATMEM_RES_GRANTS,
	};

	for (int c = 0; c < tb->ncols; c++) {
		int id = tb->cols[c]->id;
		char buf[32];
		uint64_t v;

		switch (id) {
		case TOP_PID:
			set_num(tb, row, c, p->pid);
			break;
		case TOP_RESIDENT:
		case TOP_COMMITTED:
			v = id == TOP_RESIDENT ? p->resident : committed_of(p);
			table_set(tb, row, c, fmt_size(buf, sizeof(buf), v, t->c->bytes),
				  xasprintf("%llu", (unsigned long long)v));
			break;
		case TOP_RESERVED:
		case TOP_SHARED:
		case TOP_HANDLES:
		case TOP_GRANTS:
			if (!p->has_quota) {
				table_set(tb, row, c, "-", NULL);
				break;
			}
			v = p->usage[res_of[id]];
			table_set(tb, row, c, fmt_res(buf, sizeof(buf), res_of[id], v, false,
						      t->c->bytes),
				  xasprintf("%llu", (unsigned long long)v));
			break;
		case TOP_REGIONS:
			set_num(tb, row, c, p->regions);
			break;
		case TOP_GRANT_RATE:
			set_rate(t, row, c, p->grant_events, secs);
			break;
		case TOP_EVENT_RATE:
			set_rate(t, row, c, p->events, secs);
			break;
		case TOP_STATE:
			if (p->has_quota)
				table_set(tb, row, c, p->exited ? "exited" : "live",
					  xstrdup(p->exited ? "\"exited\"" : "\"live\""));
			else
				table_set(tb, row, c, "-", NULL);
			break;
		}
	}
}

static void summary(struct top *t, double secs, FILE *out)
{
	const struct status *st = &t->s->st;
	char when[16] = "", res[24], rate[32] = "-";
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (t->events)
		snprintf(rate, sizeof(rate), "%.1f",
			 secs > 0.001 ? (double)t->ev_total / secs : 0.0);
	fprintf(out, "ratmemctl top - %s, ratmem %s: %llu regions, %s resident, %llu processes, "
		"%s events/s\n", when, st->version[0] ? st->version : "-",
		(unsigned long long)t->s->regions,
		fmt_size(res, sizeof(res), t->s->resident, t->c->bytes),
		(unsigned long long)t->s->nprocs, rate);
}

static void print_json(struct top *t, double secs, FILE *out)
{
	struct timespec ts;
	struct json j;

	clock_gettime(CLOCK_REALTIME, &ts);
	json_init(&j, out);
	json_obj_open(&j);
	json_key(&j, "time_ns");
	json_u64(&j, (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
	json_key(&j, "regions");
	json_u64(&j, t->s->regions);
	json_key(&j, "resident");
	json_u64(&j, t->s->resident);
	json_key(&j, "events/s");
	if (t->events)
		json_rate(&j, secs > 0.001 ? (double)t->ev_total / secs : 0.0);
	else
		json_null(&j);
	json_key(&j, "processes");
	table_json_array(&t->l.t, &j);
	json_obj_close(&j);
	json_end(&j);
}

/* Rows of the terminal that a snapshot may fill. */
static int screen_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_row == 0)
		return 24;
	return ws.ws_row;
}

/* Print the snapshot t->s (sorted in place) as one screen, table or JSON
 * line, @secs after the last; @first: nothing was printed before it. */
static void render(struct top *t, double secs, bool first, FILE *out)
{
	int max;

	sort_by_committed = t->by_committed;
	qsort(t->s->procs, (size_t)t->s->nprocs, sizeof(*t->s->procs), cmp_proc);
	max = t->s->nprocs;
	if (t->interactive && max > screen_rows() - 3)
		max = screen_rows() - 3 > 0 ? screen_rows() - 3 : 0;
	for (int k = 0; k < max; k++)
		add_row(t, &t->s->procs[k], secs);

	if (t->c->json) {
		print_json(t, secs, out);
	} else {
		if (t->interactive)
			fputs("\033[H\033[2J", out);
		else if (!first)
			fputc('\n', out);
		if (!t->c->raw && !t->c->noheadings)
			summary(t, secs, out);
		table_print(&t->l.t, out);
	}
	table_free(&t->l.t);
}

/* Take and print one snapshot; @first: nothing printed before it. */
static int snapshot(struct top *t, bool first)
{
	double now;
	int ret;

	ret = snap_take(&t->dump, t->s, false);
	if (ret)
		return ret;
	now = mono();
	for (int i = 0; i < t->ncnt; i++) {
		struct proc_stat *p = NULL;

		/* Only processes the dumps know: no new rows for events. */
		for (int k = 0; k < t->s->nprocs && !p; k++)
			if (t->s->procs[k].pid == t->cnt[i].pid)
				p = &t->s->procs[k];
		if (p) {
			p->events = t->cnt[i].events;
			p->grant_events = t->cnt[i].grants;
		}
	}
	render(t, now - t->last, first, stdout);
	t->ncnt = 0;
	t->ev_total = 0;
	t->last = now;
	return fflush(stdout) ? EXIT_RUNTIME : 0;
}

/* Keys typed in the terminal: false to quit. */
static bool read_keys(struct top *t, bool *redraw)
{
	char buf[32];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	for (ssize_t i = 0; i < n; i++) {
		switch (buf[i]) {
		case 'q':
		case 'Q':
			return false;
		case 'c':
			t->by_committed = true;
			*redraw = true;
			break;
		case 'r':
			t->by_committed = false;
			*redraw = true;
			break;
		}
	}
	return true;
}

/* Until the next snapshot is due: count events, read keys. Returns 0,
 * or an exit status; *quit when the user or a signal asked to stop. */
static int wait_next(struct top *t, const sigset_t *unblocked, bool *quit)
{
	for (;;) {
		double left = t->last + t->delay - mono();
		struct pollfd pfd[2];
		struct timespec ts;
		bool redraw = false;
		int n = 0, ev = -1, in = -1, ret;

		if (stop_signal) {
			*quit = true;
			return 0;
		}
		if (left <= 0)
			return 0;
		if (t->events) {
			ev = n;
			pfd[n++] = (struct pollfd){ .fd = rnl_fd(&t->ev), .events = POLLIN };
		}
		if (t->keys) {
			in = n;
			pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		}
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (ppoll(pfd, (nfds_t)n, &ts, unblocked) < 0) {
			if (errno == EINTR)
				continue;
			return runtime_error("top: poll: %s", strerror(errno));
		}
		if (ev >= 0 && pfd[ev].revents) {
			ret = rnl_read_events(&t->ev, on_event, t);
			if (ret > 0)
				return ret;
		}
		if (in >= 0 && pfd[in].revents) {
			if (!read_keys(t, &redraw)) {
				*quit = true;
				return 0;
			}
			if (redraw)
				return 0;
		}
	}
}

static int parse_args(const struct ctl *c, int argc, char **argv, struct top *t)
{
	if (argc > 1)
		return usage_error("top: unexpected argument '%s'", argv[1]);
	t->delay = 1;
	if (c->delay && !parse_seconds(c->delay, &t->delay))
		return usage_error("top: bad delay '%s' (seconds, more than 0 and at most "
				   "86400, such as 0.5)", c->delay);
	if (c->iterations) {
		pid_t n;

		/* Same range as a PID: 1 to INT_MAX. */
		if (!parse_pid(c->iterations, &n))
			return usage_error("top: bad iterations '%s' (a number, 1 or more)",
					   c->iterations);
		t->iterations = (int)n;
	}
	if (c->sort && !strcasecmp(c->sort, "committed"))
		t->by_committed = true;
	else if (c->sort && strcasecmp(c->sort, "resident"))
		return usage_error("top: bad sort '%s' (resident or committed)", c->sort);
	return 0;
}

static void keys_on(struct top *t)
{
	struct termios raw;

	t->keys = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &t->saved);
	if (!t->keys)
		return;
	raw = t->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		t->keys = false;
}

static void keys_off(struct top *t)
{
	if (t->keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
}

int cmd_top(const struct ctl *c, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct top t = { .c = c };
	struct snapshot snap;
	sigset_t block, old;
	bool quit = false;
	int ret;

	if (c->list_columns)
		return argc > 1 ? usage_error("top: unexpected argument '%s'", argv[1])
				: cols_list(top_cols, NTOP_COLS, c->json, stdout);
	ret = parse_args(c, argc, argv, &t);
	if (!ret)
		ret = listing_init(&t.l, c, "top", top_cols, NTOP_COLS);
	if (ret)
		return ret;
	ret = rnl_open(&t.dump);
	if (ret)
		return ret;
	/* Without CAP_NET_ADMIN the group is closed: rates show as "-". */
	if (!rnl_open_quiet(&t.ev, true)) {
		t.events = !rnl_join_events(&t.ev, true);
		if (!t.events)
			rnl_close(&t.ev);
	}
	t.interactive = !c->json && !t.iterations && isatty(STDOUT_FILENO);
	snap_init(&snap);
	t.s = &snap;

	/* Signals arrive only inside ppoll(): no wake-up is lost. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (t.interactive)
		keys_on(&t);

	t.last = mono();
	for (int i = 0; !quit; i++) {
		ret = snapshot(&t, i == 0);
		if (ret || (t.iterations && i + 1 >= t.iterations))
			break;
		ret = wait_next(&t, &old, &quit);
		if (ret)
			break;
	}

	keys_off(&t);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (t.events)
		rnl_close(&t.ev);
	rnl_close(&t.dump);
	snap_free(&snap);
	free(t.cnt);
	return ret;
}

int top_render(const struct ctl *c, struct snapshot *s, uint64_t events, double secs,
	       bool have_events, FILE *out)
{
	struct top t = { .c = c, .s = s, .ev_total = events, .events = have_events };
	char *argv[] = { "top", NULL };
	int ret;

	ret = parse_args(c, 1, argv, &t);
	if (!ret)
		ret = listing_init(&t.l, c, "top", top_cols, NTOP_COLS);
	if (ret)
		return ret;
	render(&t, secs, true, out);
	return 0;
}
