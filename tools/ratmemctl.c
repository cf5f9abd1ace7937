// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: inspect and control the ratmem module.
 *
 * The inspection commands and the event monitor speak the generic
 * netlink family "ratmem" (<linux/ratmem_genl.h>); quota, version,
 * unlink and migrate use ioctls of /dev/ratmem. Options may come before or after the
 * command; see ratmemctl(8).
 */
#include <string.h>

#include "ctl.h"

static const struct {
	const char *name;
	int (*fn)(const struct ctl *c, int argc, char **argv);
} commands[] = {
	{ "status", cmd_status },
	{ "version", cmd_version },
	{ "ps", cmd_quota_list },	/* the old name of "quota list" */
	{ "regions", cmd_regions },
	{ "handles", cmd_handles },
	{ "grants", cmd_grants },
	{ "quota", cmd_quota },
	{ "monitor", cmd_monitor },
	{ "unlink", cmd_unlink },
	{ "migrate", cmd_migrate },
};

static int usage(FILE *out)
{
	fprintf(out,
		"usage: ratmemctl [--json] COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  status                     module version, features and counters\n"
		"  version                    ABI versions of ratmemctl and of the module\n"
		"  regions [PID]              regions (of the process that created them)\n"
		"  handles [PID]              handles (of the process that holds them)\n"
		"  grants [PID]               pending and accepted grants\n"
		"  quota [list [PID]]         every process's quota: usage and limits\n"
		"                             (\"ps\" is an alias)\n"
		"  quota get [PID]            a process's quota: usage and limits\n"
		"  quota set [PID] RES=VALUE...\n"
		"                             set limits; RES: reserved, committed, shared,\n"
		"                             handles, grants; VALUE: N[K|M|G|T] or none\n"
		"  monitor [--count N]        print events as they happen (CAP_NET_ADMIN)\n"
		"  unlink REGION_ID           remove a region's name in any user namespace\n"
		"                             and revoke its opens (CAP_SYS_ADMIN)\n"
		"  migrate NAME --node N [--lazy] [--offset BYTES] [--length BYTES]\n"
		"                             move a named region's resident pages to NUMA\n"
		"                             node N (--lazy: each on its next fault)\n"
		"  help                       this text\n"
		"\n"
		"Without PID, quota acts on ratmemctl itself: give the PID.\n"
		"options:\n"
		"  --json                     machine-readable output (monitor: JSON Lines)\n"
		"  -h, --help                 this text\n");
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct ctl c = { .json = false };
	char **args = argv + 1;
	int nargs = 0;

	/* Global options anywhere: drop them from the command's arguments. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			c.json = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout);
		else
			args[nargs++] = argv[i];
	}
	if (nargs == 0) {
		usage_error("no command given (ratmemctl --help lists them)");
		return EXIT_USAGE;
	}
	if (!strcmp(args[0], "help"))
		return nargs == 1 ? usage(stdout)
				  : usage_error("help: unexpected argument '%s'", args[1]);
	if (args[0][0] == '-')
		return usage_error("unknown option '%s' (ratmemctl --help lists them)", args[0]);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(args[0], commands[i].name))
			return commands[i].fn(&c, nargs, args);
	return usage_error("unknown command '%s' (ratmemctl --help lists them)", args[0]);
}
