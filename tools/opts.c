// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: the command line, as util-linux tools read theirs:
 * getopt_long(), short and long options, options anywhere (before or
 * after the command and its operands), "--" ending them. One option set
 * serves every command; each command then says which of them apply to it
 * (ctl_check()), so that "ratmemctl status --tree" is an error rather
 * than silently ignored. Option values are checked by their command.
 */
#include <getopt.h>
#include <string.h>

#include "ctl.h"

/* Options without a short form. */
enum {
	LONG_COUNT = 0x100,
	LONG_NODE,
	LONG_LAZY,
	LONG_OFFSET,
	LONG_LENGTH,
	LONG_ITERATIONS,
	LONG_SORT,
	LONG_PROMETHEUS,
	LONG_OUTPUT_FILE,
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "json", no_argument, NULL, 'J' },
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, 'O' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "tree", no_argument, NULL, 'T' },
	{ "ascii", no_argument, NULL, 'i' },
	{ "delay", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, LONG_COUNT },
	{ "node", required_argument, NULL, LONG_NODE },
	{ "lazy", no_argument, NULL, LONG_LAZY },
	{ "offset", required_argument, NULL, LONG_OFFSET },
	{ "length", required_argument, NULL, LONG_LENGTH },
	{ "iterations", required_argument, NULL, LONG_ITERATIONS },
	{ "sort", required_argument, NULL, LONG_SORT },
	{ "prometheus", no_argument, NULL, LONG_PROMETHEUS },
	{ "output-file", required_argument, NULL, LONG_OUTPUT_FILE },
	{ NULL, 0, NULL, 0 },
};

/* ':' first: a missing value is reported as ':', not '?'. */
static const char shortopts[] = ":hVJo:OnrbHTid:";

static const struct {
	unsigned int bit;
	const char *name;
} opt_names[] = {
	{ OPT_JSON, "--json" },
	{ OPT_OUTPUT, "--output" },
	{ OPT_OUTPUT_ALL, "--output-all" },
	{ OPT_NOHEADINGS, "--noheadings" },
	{ OPT_RAW, "--raw" },
	{ OPT_BYTES, "--bytes" },
	{ OPT_LIST_COLUMNS, "--list-columns" },
	{ OPT_TREE, "--tree" },
	{ OPT_ASCII, "--ascii" },
	{ OPT_COUNT, "--count" },
	{ OPT_NODE, "--node" },
	{ OPT_LAZY, "--lazy" },
	{ OPT_OFFSET, "--offset" },
	{ OPT_LENGTH, "--length" },
	{ OPT_DELAY, "--delay" },
	{ OPT_ITERATIONS, "--iterations" },
	{ OPT_SORT, "--sort" },
	{ OPT_PROMETHEUS, "--prometheus" },
	{ OPT_OUTPUT_FILE, "--output-file" },
};

const char *opt_name(unsigned int bit)
{
	for (size_t i = 0; i < sizeof(opt_names) / sizeof(opt_names[0]); i++)
		if (opt_names[i].bit == bit)
			return opt_names[i].name;
	return "?";
}

/*
 * The option getopt_long() stopped at, as the user wrote it. glibc sets
 * optopt to 0 for an unknown long option, to the letter for a short one,
 * and to the option's value when a long option lacks its value or has
 * one it does not take; argv[optind - 1] is then that long option (for
 * a short one inside a cluster, it may be an earlier argument).
 */
static const char *bad_option(char **argv, char *buf, size_t len, bool *has_value)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	size_t n;

	if (!strncmp(arg, "--", 2)) {
		n = strcspn(arg + 2, "=");
		for (const struct option *o = longopts; o->name && optopt; o++)
			if (o->val == optopt && n && !strncmp(o->name, arg + 2, n))
				goto long_opt;
		if (!optopt)
			goto long_opt;
	}
	*has_value = false;
	snprintf(buf, len, "-%c", optopt > ' ' && optopt < 0x7f ? optopt : '?');
	return buf;
long_opt:
	*has_value = optopt && strchr(arg, '=');
	snprintf(buf, len, "%.*s", (int)strcspn(arg, "="), arg);
	return buf;
}

/* Whether "--abbrev" is the start of two or more long options. */
static bool ambiguous(const char *opt)
{
	size_t n = strlen(opt + 2);
	int hits = 0;

	if (strncmp(opt, "--", 2) || !n)
		return false;
	for (const struct option *o = longopts; o->name; o++)
		hits += !strncmp(o->name, opt + 2, n);
	return hits > 1;
}

int ctl_parse(struct ctl *c, int argc, char **argv)
{
	bool has_value;
	char buf[64];
	int ch;

	memset(c, 0, sizeof(*c));
	opterr = 0;
	optind = 0;		/* glibc: start afresh (the host tests parse many) */
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			c->help = true;
			break;
		case 'V':
			c->version = true;
			break;
		case 'J':
			c->given |= OPT_JSON;
			c->json = true;
			break;
		case 'o':
			c->given |= OPT_OUTPUT;
			c->output = optarg;
			break;
		case 'O':
			c->given |= OPT_OUTPUT_ALL;
			c->output_all = true;
			break;
		case 'n':
			c->given |= OPT_NOHEADINGS;
			c->noheadings = true;
			break;
		case 'r':
			c->given |= OPT_RAW;
			c->raw = true;
			break;
		case 'b':
			c->given |= OPT_BYTES;
			c->bytes = true;
			break;
		case 'H':
			c->given |= OPT_LIST_COLUMNS;
			c->list_columns = true;
			break;
		case 'T':
			c->given |= OPT_TREE;
			c->tree = true;
			break;
		case 'i':
			c->given |= OPT_ASCII;
			c->ascii = true;
			break;
		case 'd':
			c->given |= OPT_DELAY;
			c->delay = optarg;
			break;
		case LONG_COUNT:
			c->given |= OPT_COUNT;
			c->count = optarg;
			break;
		case LONG_NODE:
			c->given |= OPT_NODE;
			c->node = optarg;
			break;
		case LONG_LAZY:
			c->given |= OPT_LAZY;
			c->lazy = true;
			break;
		case LONG_OFFSET:
			c->given |= OPT_OFFSET;
			c->offset = optarg;
			break;
		case LONG_LENGTH:
			c->given |= OPT_LENGTH;
			c->length = optarg;
			break;
		case LONG_ITERATIONS:
			c->given |= OPT_ITERATIONS;
			c->iterations = optarg;
			break;
		case LONG_SORT:
			c->given |= OPT_SORT;
			c->sort = optarg;
			break;
		case LONG_PROMETHEUS:
			c->given |= OPT_PROMETHEUS;
			c->prometheus = true;
			break;
		case LONG_OUTPUT_FILE:
			c->given |= OPT_OUTPUT_FILE;
			c->output_file = optarg;
			break;
		case ':':
			return usage_error("option '%s' needs a value (ratmemctl --help lists "
					   "the options)", bad_option(argv, buf, sizeof(buf),
								      &has_value));
		default:
			bad_option(argv, buf, sizeof(buf), &has_value);
			if (has_value)
				return usage_error("option '%s' takes no value", buf);
			if (ambiguous(buf))
				return usage_error("option '%s' is ambiguous (ratmemctl --help "
						   "lists the options)", buf);
			return usage_error("unknown option '%s' (ratmemctl --help lists them)",
					   buf);
		}
	}
	c->nargs = argc - optind;
	c->args = argv + optind;
	return 0;
}

int ctl_check(const struct ctl *c, const char *cmd, unsigned int allowed)
{
	unsigned int extra = c->given & ~allowed;

	if (extra) {
		unsigned int bit = extra & -extra;

		return usage_error("%s: option '%s' does not apply (ratmemctl --help lists the "
				   "options of each command)", cmd, opt_name(bit));
	}
	/* As lsblk: one output format at a time. */
	if (c->json && c->raw)
		return usage_error("%s: --json and --raw exclude each other", cmd);
	if (c->output && c->output_all)
		return usage_error("%s: --output and --output-all exclude each other", cmd);
	return 0;
}
