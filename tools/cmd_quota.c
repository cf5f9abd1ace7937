// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl quota get [PID] and quota set [PID] RES=VALUE...: the
 * RATMEM_IOC_QUOTA ioctl on /dev/ratmem, the process named by a pidfd.
 * Without a PID the process is ratmemctl itself. "quota" alone and
 * "quota list" list every quota (cmd_quota_list.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ctl.h"
#include "rat.h"

static int pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int quota_error(int err, pid_t pid, bool set)
{
	if (err == EPERM)
		return runtime_error("quota %s: permission denied: %s needs CAP_SYS_RESOURCE",
				     set ? "set" : "get",
				     set ? "raising a limit or changing another process's"
					 : "reading another process's quota");
	if (err == ESRCH)
		return runtime_error("quota: process %d has no ratmem quota (it has no "
				     "context, region or grant)", (int)pid);
	return device_error(set ? "quota set" : "quota get", err);
}

static void print_quota(const struct ctl *c, pid_t pid, const struct ratmem_quota *q)
{
	if (c->json) {
		uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
		struct json j;

		/* __u64 is unsigned long long, uint64_t may be unsigned long. */
		for (int res = 0; res < RATMEM_RES_COUNT; res++) {
			usage[res] = q->usage[res];
			limit[res] = q->limit[res];
		}
		json_init(&j, stdout);
		json_obj_open(&j);
		json_key(&j, "pid");
		json_u64(&j, (uint64_t)pid);
		json_usage_limits(&j, usage, limit);
		json_obj_close(&j);
		json_end(&j);
		return;
	}
	static const struct col cols[3] = {
		{ .name = "RESOURCE" },
		{ .name = "USAGE", .flags = COL_RIGHT },
		{ .name = "LIMIT", .flags = COL_RIGHT },
	};
	static const int sel[3] = { 0, 1, 2 };
	struct table t;

	printf("pid %d\n", (int)pid);
	table_init(&t, cols, sel, 3, 0);
	for (int res = 0; res < RATMEM_RES_COUNT; res++) {
		char u[24], l[24];
		int row = table_add_row(&t, 0, 0);

		table_set(&t, row, 0, resource_name(res), NULL);
		table_set(&t, row, 1, fmt_res(u, sizeof(u), res, q->usage[res], false, c->bytes),
			  NULL);
		table_set(&t, row, 2, fmt_res(l, sizeof(l), res, q->limit[res], true, c->bytes),
			  NULL);
	}
	table_print(&t, stdout);
	table_free(&t);
}

/* Parse RES=VALUE arguments into q->set_mask and q->limit. */
static int parse_settings(int argc, char **argv, struct ratmem_quota *q)
{
	if (argc == 0)
		return usage_error("quota set: nothing to set (RES=VALUE, RES one of "
				   "reserved, committed, shared, handles, grants)");
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char name[16];
		uint64_t v;
		int res;

		if (!eq || (size_t)(eq - argv[i]) >= sizeof(name))
			return usage_error("quota set: bad setting '%s' (RES=VALUE, RES one of "
					   "reserved, committed, shared, handles, grants)", argv[i]);
		memcpy(name, argv[i], (size_t)(eq - argv[i]));
		name[eq - argv[i]] = '\0';
		res = parse_resource(name);
		if (res < 0)
			return usage_error("quota set: unknown resource '%s' (reserved, "
					   "committed, shared, handles or grants)", name);
		if (q->set_mask & RATMEM_QUOTA_SET(res))
			return usage_error("quota set: %s given twice", name);
		if (!parse_value(eq + 1, &v))
			return usage_error("quota set: bad value '%s' for %s (a number with an "
					   "optional K, M, G or T suffix, or none)", eq + 1, name);
		q->set_mask |= RATMEM_QUOTA_SET(res);
		q->limit[res] = v;
	}
	return 0;
}

int cmd_quota(const struct ctl *c, int argc, char **argv)
{
	struct ratmem_quota q = { .pidfd = -1 };
	pid_t pid = 0;
	bool set;
	int fd, ret, args = 2;

	if (argc < 2 || !strcmp(argv[1], "list")) {
		/* "quota list [PID]": as "ps [PID]", named in messages as itself. */
		char *list_argv[3] = { "quota list", argc > 2 ? argv[2] : NULL,
				       argc > 3 ? argv[3] : NULL };

		return cmd_quota_list(c, argc < 2 ? 1 : argc - 1, list_argv);
	}
	if (!strcmp(argv[1], "get"))
		set = false;
	else if (!strcmp(argv[1], "set"))
		set = true;
	else
		return usage_error("quota: unknown action '%s' (list, get or set)", argv[1]);
	ret = ctl_check(c, set ? "quota set" : "quota get", OPT_JSON | OPT_BYTES);
	if (ret)
		return ret;
	/* The PID is optional; in "set" it is the argument without '='. */
	if (argc > 2 && (!set || !strchr(argv[2], '='))) {
		if (!parse_pid(argv[2], &pid))
			return usage_error("quota %s: bad PID '%s' (a process id, 1 or more)",
					   argv[1], argv[2]);
		args = 3;
	}
	if (!set && argc > args)
		return usage_error("quota get: unexpected argument '%s'", argv[args]);
	if (set) {
		ret = parse_settings(argc - args, argv + args, &q);
		if (ret)
			return ret;
	}

	fd = rat_open();
	if (fd < 0)
		return device_error(set ? "quota set" : "quota get", -fd);
	if (pid) {
		q.pidfd = pidfd_of(pid);
		if (q.pidfd < 0) {
			int err = errno;

			rat_close(fd);
			if (err == ESRCH)
				return runtime_error("quota: no process %d", (int)pid);
			return runtime_error("quota: pidfd_open(%d): %s", (int)pid, strerror(err));
		}
	} else {
		pid = getpid();
	}
	ret = rat_quota(fd, &q);
	if (q.pidfd >= 0)
		close(q.pidfd);
	rat_close(fd);
	if (ret < 0)
		return quota_error(-ret, pid, set);
	print_quota(c, pid, &q);
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}
