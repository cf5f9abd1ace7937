// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: inspect the ratmem module.
 *
 * This version reads the module through /dev/ratmem (the handshake and
 * the object counters); the generic netlink commands come later.
 */
#include <stdio.h>
#include <string.h>

#include "rat.h"

static const struct {
	unsigned long long bit;
	const char *name;
} features[] = {
	{ RATMEM_FEATURE_STATS, "stats" },
	{ RATMEM_FEATURE_CONTEXT_BOUND, "context-bound" },
	{ RATMEM_FEATURE_HANDLES, "handles" },
	{ RATMEM_FEATURE_MEMORY, "memory" },
	{ RATMEM_FEATURE_SHARING, "sharing" },
	{ RATMEM_FEATURE_NAMED, "named" },
	{ RATMEM_FEATURE_WAIT, "wait" },
};

static int usage(FILE *out)
{
	fprintf(out,
		"usage: ratmemctl COMMAND\n"
		"\n"
		"commands:\n"
		"  version   ABI versions of ratmemctl and of the loaded module\n"
		"  status    version, features, supported ioctls and counters\n"
		"  help      this text\n");
	return out == stderr ? 2 : 0;
}

static int fail(const char *what, RatStatus st)
{
	fprintf(stderr, "ratmemctl: %s: %s\n", what, RatStatusString(st));
	if (st == RAT_STATUS_NOT_FOUND)
		fprintf(stderr, "ratmemctl: is the ratmem module loaded (modprobe ratmem)?\n");
	return 1;
}

static int cmd_version(void)
{
	RatApiInfo info;
	RatStatus st = RatQueryApi(&info);

	if (st != RAT_STATUS_OK)
		return fail("handshake with /dev/" RATMEM_DEVICE_NAME, st);
	printf("ratmemctl ABI version: %d\n", RATMEM_ABI_VERSION);
	printf("module ABI version:    %u\n", info.abi_version);
	return 0;
}

static int cmd_status(void)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	struct ratmem_stats stats = { 0 };
	int fd, ret;

	/* One raw context for both calls, so the count below includes
	 * exactly one context of ratmemctl's own. */
	fd = rat_open();
	if (fd < 0)
		return fail("open /dev/" RATMEM_DEVICE_NAME, RatStatusFromErrno(fd));
	ret = rat_api(fd, &api);
	if (ret == 0)
		ret = rat_stats(fd, &stats);
	rat_close(fd);
	if (ret < 0)
		return fail("query", RatStatusFromErrno(ret));

	printf("module ABI version: %u\n", api.abi_version);
	printf("features:          ");
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (api.features & features[i].bit)
			printf(" %s", features[i].name);
	printf("\nioctls:             %#llx\n", (unsigned long long)api.ioctls);
	printf("open contexts:      %llu (ratmemctl's own included)\n",
	       (unsigned long long)stats.contexts);
	printf("regions:            %llu\n", (unsigned long long)stats.regions);
	printf("handles:            %llu\n", (unsigned long long)stats.handles);
	printf("pages:              %llu\n", (unsigned long long)stats.pages);
	printf("mappings:           %llu\n", (unsigned long long)stats.mappings);
	printf("grants:             %llu\n", (unsigned long long)stats.grants);
	printf("names:              %llu\n", (unsigned long long)stats.names);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return usage(stderr);
	if (!strcmp(argv[1], "version"))
		return cmd_version();
	if (!strcmp(argv[1], "status"))
		return cmd_status();
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	fprintf(stderr, "ratmemctl: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
