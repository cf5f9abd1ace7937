// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: inspect and control the ratmem module.
 *
 * The inspection commands, top, export and the event monitor speak the
 * generic netlink family "ratmem" (<linux/ratmem_genl.h>); quota get/set,
 * version, unlink and migrate use ioctls of /dev/ratmem. Options may come
 * before or after the command (getopt_long, opts.c); see ratmemctl(8).
 */
#include <string.h>

#include "ctl.h"

static const struct {
	const char *name;
	int (*fn)(const struct ctl *c, int argc, char **argv);
	unsigned int opts;	/* OPT_* that apply */
} commands[] = {
	{ "status", cmd_status, OPT_JSON },
	{ "version", cmd_version, OPT_JSON },
	{ "ps", cmd_quota_list, OPTS_LISTING },	/* the old name of "quota list" */
	{ "regions", cmd_regions, OPTS_LISTING },
	{ "handles", cmd_handles, OPTS_LISTING },
	{ "grants", cmd_grants, OPTS_LISTING | OPT_TREE | OPT_ASCII },
	/* quota get and set take only --json and --bytes (cmd_quota.c). */
	{ "quota", cmd_quota, OPTS_LISTING },
	{ "monitor", cmd_monitor, OPT_JSON | OPT_BYTES | OPT_COUNT },
	{ "unlink", cmd_unlink, OPT_JSON },
	{ "migrate", cmd_migrate,
	  OPT_JSON | OPT_BYTES | OPT_NODE | OPT_LAZY | OPT_OFFSET | OPT_LENGTH },
	{ "top", cmd_top, OPTS_LISTING | OPT_DELAY | OPT_ITERATIONS | OPT_SORT },
	{ "export", cmd_export, OPT_PROMETHEUS | OPT_OUTPUT_FILE },
};

static int usage(void)
{
	printf("usage: ratmemctl [OPTIONS] COMMAND [ARGS]\n"
	       "\n"
	       "commands:\n"
	       "  status                     module version, features and counters\n"
	       "  version                    versions of ratmemctl and of the module\n"
	       "  regions [PID]              regions (of the process that created them)\n"
	       "  handles [PID]              handles (of the process that holds them)\n"
	       "  grants [PID] [--tree [--ascii]]\n"
	       "                             pending and accepted grants, as a tree of\n"
	       "                             re-grants with --tree\n"
	       "  quota [list [PID]]         every process's quota: usage and limits\n"
	       "                             (\"ps\" is an alias)\n"
	       "  quota get [PID]            a process's quota: usage and limits\n"
	       "  quota set [PID] RES=VALUE...\n"
	       "                             set limits; RES: reserved, committed, shared,\n"
	       "                             handles, grants; VALUE: N[K|M|G|T] or none\n"
	       "  top [-d SECS] [--iterations N] [--sort resident|committed]\n"
	       "                             processes by ratmem memory, refreshed\n"
	       "  monitor [--count N]        print events as they happen (CAP_NET_ADMIN)\n"
	       "  export --prometheus [--output-file PATH]\n"
	       "                             metrics for node_exporter's textfile collector\n"
	       "  unlink REGION_ID           remove a region's name in any user namespace\n"
	       "                             and revoke its opens (CAP_SYS_ADMIN)\n"
	       "  migrate NAME --node N [--lazy] [--offset BYTES] [--length BYTES]\n"
	       "                             move a named region's resident pages to NUMA\n"
	       "                             node N (--lazy: each on its next fault)\n"
	       "  help                       this text\n"
	       "\n"
	       "Without PID, quota get and set act on ratmemctl itself: give the PID.\n"
	       "\n"
	       "options:\n"
	       "  -J, --json                 JSON output (monitor, top: JSON Lines)\n"
	       "  -o, --output LIST          the columns to show (+LIST: added to the\n"
	       "                             defaults); listings and top\n"
	       "  -O, --output-all           every column\n"
	       "  -H, --list-columns         the columns of the command, and exit\n"
	       "  -n, --noheadings           no header line\n"
	       "  -r, --raw                  raw table: single spaces, no alignment\n"
	       "  -b, --bytes                sizes in bytes, not in K, M, G...\n"
	       "  -T, --tree                 grants: a tree by parent grant\n"
	       "  -i, --ascii                the tree in ASCII characters\n"
	       "  -d, --delay SECS           top: seconds between refreshes (1)\n"
	       "      --iterations N         top: N snapshots without terminal control\n"
	       "      --sort COLUMN          top: resident (default) or committed\n"
	       "      --count N              monitor: stop after N events\n"
	       "      --prometheus           export: the Prometheus text format\n"
	       "      --output-file PATH     export: write PATH atomically\n"
	       "  -h, --help                 this text\n"
	       "  -V, --version              ratmemctl's version\n"
	       "\n"
	       "Exit status: 0 success, 1 failure, 2 bad command line, 32 nothing\n"
	       "found for the PID given. See ratmemctl(8).\n");
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}

int main(int argc, char **argv)
{
	struct ctl c;
	int ret;

	ret = ctl_parse(&c, argc, argv);
	if (ret)
		return ret;
	if (c.help)
		return usage();
	if (c.version) {
		printf("ratmemctl from ratmem %s\n", RATMEM_VERSION);
		return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
	}
	if (c.nargs == 0)
		return usage_error("no command given (ratmemctl --help lists them)");
	if (!strcmp(c.args[0], "help")) {
		if (c.nargs > 1)
			return usage_error("help: unexpected argument '%s'", c.args[1]);
		return usage();
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(c.args[0], commands[i].name))
			continue;
		ret = ctl_check(&c, c.args[0], commands[i].opts);
		if (ret)
			return ret;
		return commands[i].fn(&c, c.nargs, c.args);
	}
	return usage_error("unknown command '%s' (ratmemctl --help lists them)", c.args[0]);
}
