// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl monitor [--count N]: follow the "events" multicast group,
 * one line per event, until SIGINT, SIGTERM or N events. Gaps in the
 * events' sequence numbers are counted as missed events.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "ctl.h"

struct mon {
	bool json, bytes;
	struct json j;
	uint64_t max;		/* 0: no limit */
	uint64_t count, missed, last_seq;
	bool have_seq;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void track_seq(struct mon *m, struct nlattr **tb)
{
	uint64_t seq;

	if (!tb[RATMEM_A_SEQ])
		return;
	seq = attr_u64(tb, RATMEM_A_SEQ, 0);
	/* A smaller number means the module was reloaded: start again. */
	if (m->have_seq && seq > m->last_seq)
		m->missed += seq - m->last_seq - 1;
	m->last_seq = seq;
	m->have_seq = true;
}

static const char *kind_of(struct nlattr **tb, char *buf, size_t len)
{
	uint32_t ev = attr_u32(tb, RATMEM_A_EVENT, 0);
	const char *name = event_name(ev);

	if (name)
		return name;
	snprintf(buf, len, "event-%u", ev);
	return buf;
}

static void event_json(struct mon *m, struct nlattr **tb)
{
	static const struct {
		int attr;
		const char *key;
	} pids[] = {
		{ RATMEM_A_PID, "pid" },
		{ RATMEM_A_PEER_PID, "peer_pid" },
		{ RATMEM_A_QUOTA_PID, "quota_pid" },
	}, u64s[] = {
		{ RATMEM_A_REGION_ID, "region_id" },
		{ RATMEM_A_SIZE, "size" },
		{ RATMEM_A_AMOUNT, "amount" },
	};
	struct json *j = &m->j;
	char buf[24];

	json_obj_open(j);
	json_key(j, "kind");
	json_str(j, kind_of(tb, buf, sizeof(buf)));
	json_key(j, "seq");
	json_u64(j, attr_u64(tb, RATMEM_A_SEQ, 0));
	json_key(j, "time_ns");
	json_u64(j, attr_u64(tb, RATMEM_A_TIME_NS, 0));
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++)
		if (tb[pids[i].attr]) {
			json_key(j, pids[i].key);
			json_u64(j, attr_u32(tb, pids[i].attr, 0));
		}
	for (size_t i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++)
		if (tb[u64s[i].attr]) {
			json_key(j, u64s[i].key);
			json_u64(j, attr_u64(tb, u64s[i].attr, 0));
		}
	if (tb[RATMEM_A_CAP_ID]) {
		json_key(j, "cap_id");
		json_hex64(j, attr_u64(tb, RATMEM_A_CAP_ID, 0));
	}
	if (tb[RATMEM_A_RIGHTS]) {
		json_key(j, "rights");
		json_bits(j, right_names, attr_u32(tb, RATMEM_A_RIGHTS, 0));
	}
	if (tb[RATMEM_A_RESOURCE]) {
		uint32_t res = attr_u32(tb, RATMEM_A_RESOURCE, 0);

		json_key(j, "resource");
		if (resource_name((int)res))
			json_str(j, resource_name((int)res));
		else
			json_u64(j, res);
	}
	if (tb[RATMEM_A_USAGE] || tb[RATMEM_A_LIMITS]) {
		uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];

		attr_res_nest(tb, RATMEM_A_USAGE, usage, 0);
		attr_res_nest(tb, RATMEM_A_LIMITS, limit, RATMEM_LIMIT_NONE);
		json_usage_limits(j, usage, limit);
	}
	if (tb[RATMEM_A_VIOLATION]) {
		uint32_t v = attr_u32(tb, RATMEM_A_VIOLATION, 0);

		json_key(j, "violation");
		if (violation_name(v))
			json_str(j, violation_name(v));
		else
			json_u64(j, v);
	}
	json_obj_close(j);
	json_end(j);
}

static void event_text(struct nlattr **tb, bool exact)
{
	uint64_t ns = attr_u64(tb, RATMEM_A_TIME_NS, 0);
	time_t secs = (time_t)(ns / 1000000000ULL);
	char when[32] = "-", kind[24], buf[32];
	struct tm tm;

	if (ns && localtime_r(&secs, &tm)) {
		size_t k = strftime(when, sizeof(when), "%H:%M:%S", &tm);

		snprintf(when + k, sizeof(when) - k, ".%06llu",
			 (unsigned long long)(ns % 1000000000ULL / 1000));
	}
	printf("%s #%llu %s", when, (unsigned long long)attr_u64(tb, RATMEM_A_SEQ, 0),
	       kind_of(tb, kind, sizeof(kind)));
	if (tb[RATMEM_A_PID])
		printf(" pid=%u", attr_u32(tb, RATMEM_A_PID, 0));
	if (tb[RATMEM_A_QUOTA_PID])
		printf(" quota_pid=%u", attr_u32(tb, RATMEM_A_QUOTA_PID, 0));
	if (tb[RATMEM_A_PEER_PID])
		printf(" peer=%u", attr_u32(tb, RATMEM_A_PEER_PID, 0));
	if (tb[RATMEM_A_REGION_ID])
		printf(" region=%llu", (unsigned long long)attr_u64(tb, RATMEM_A_REGION_ID, 0));
	if (tb[RATMEM_A_CAP_ID])
		printf(" cap=%016llx", (unsigned long long)attr_u64(tb, RATMEM_A_CAP_ID, 0));
	if (tb[RATMEM_A_SIZE])
		printf(" size=%s",
		       fmt_size(buf, sizeof(buf), attr_u64(tb, RATMEM_A_SIZE, 0), exact));
	if (tb[RATMEM_A_RIGHTS])
		printf(" rights=%s", fmt_rights(buf, sizeof(buf), attr_u32(tb, RATMEM_A_RIGHTS, 0)));
	if (tb[RATMEM_A_RESOURCE]) {
		int res = (int)attr_u32(tb, RATMEM_A_RESOURCE, 0);
		uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];

		if (resource_name(res))
			printf(" resource=%s", resource_name(res));
		else
			printf(" resource=%d", res);
		if (tb[RATMEM_A_AMOUNT])
			printf(" amount=%s",
			       fmt_res(buf, sizeof(buf), res, attr_u64(tb, RATMEM_A_AMOUNT, 0),
				       false, exact));
		if (res >= 0 && res < RATMEM_RES_COUNT &&
		    attr_res_nest(tb, RATMEM_A_USAGE, usage, 0))
			printf(" usage=%s",
			       fmt_res(buf, sizeof(buf), res, usage[res], false, exact));
		if (res >= 0 && res < RATMEM_RES_COUNT &&
		    attr_res_nest(tb, RATMEM_A_LIMITS, limit, RATMEM_LIMIT_NONE))
			printf(" limit=%s",
			       fmt_res(buf, sizeof(buf), res, limit[res], true, exact));
	}
	if (tb[RATMEM_A_VIOLATION]) {
		uint32_t v = attr_u32(tb, RATMEM_A_VIOLATION, 0);

		if (violation_name(v))
			printf(" violation=%s", violation_name(v));
		else
			printf(" violation=%u", v);
	}
	putchar('\n');
	fflush(stdout);
}

static int on_event(struct nlattr **tb, void *arg)
{
	struct mon *m = arg;

	if (!tb[RATMEM_A_EVENT])
		return 0;		/* not an event */
	if (m->max && m->count >= m->max)
		return 1;
	track_seq(m, tb);
	if (m->json)
		event_json(m, tb);
	else
		event_text(tb, m->bytes);
	m->count++;
	return 0;
}

static int parse_args(const struct ctl *c, int argc, char **argv, uint64_t *max)
{
	pid_t n;

	if (argc > 1)
		return usage_error("monitor: unexpected argument '%s'", argv[1]);
	if (!c->count)
		return 0;
	/* Same range as a PID: 1 to INT_MAX. */
	if (!parse_pid(c->count, &n))
		return usage_error("monitor: bad count '%s' (a number, 1 or more)", c->count);
	*max = (uint64_t)n;
	return 0;
}

static void summary(struct mon *m)
{
	if (m->json) {
		json_obj_open(&m->j);
		json_key(&m->j, "kind");
		json_str(&m->j, "summary");
		json_key(&m->j, "events");
		json_u64(&m->j, m->count);
		json_key(&m->j, "missed");
		json_u64(&m->j, m->missed);
		json_obj_close(&m->j);
		json_end(&m->j);
	} else {
		fprintf(stderr, "%llu events, %llu missed\n", (unsigned long long)m->count,
			(unsigned long long)m->missed);
	}
}

int cmd_monitor(const struct ctl *c, int argc, char **argv)
{
	struct mon m = { .json = c->json, .bytes = c->bytes };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	struct rnl n;
	int ret;

	ret = parse_args(c, argc, argv, &m.max);
	if (ret)
		return ret;
	json_init(&m.j, stdout);
	ret = rnl_open(&n);
	if (ret)
		return ret;
	ret = rnl_join_events(&n, false);
	if (ret) {
		rnl_close(&n);
		return ret;
	}
	/* Signals arrive only inside ppoll(): no wake-up is lost. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "ratmemctl: listening for ratmem events\n");

	while (!stop_signal && !(m.max && m.count >= m.max)) {
		struct pollfd pfd = { .fd = rnl_fd(&n), .events = POLLIN };

		if (ppoll(&pfd, 1, NULL, &old) < 0) {
			if (errno == EINTR)
				continue;
			ret = runtime_error("monitor: poll: %s", strerror(errno));
			break;
		}
		ret = rnl_read_events(&n, on_event, &m);
		if (ret == -1) {
			/* The gap shows at the next event's sequence number. */
			ret = 0;
			continue;
		}
		if (ret)
			break;
	}
	rnl_close(&n);
	sigprocmask(SIG_SETMASK, &old, NULL);
	summary(&m);
	return ret;
}
