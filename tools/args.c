// SPDX-License-Identifier: GPL-2.0
/* ratmemctl: error messages and the parsers of PIDs, resources and values. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ratmem.h>

#include "ctl.h"

static void vsay(const char *fmt, va_list ap)
{
	fputs("ratmemctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int runtime_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return EXIT_RUNTIME;
}

/* Digits only, no sign or blanks; false on overflow of UINT64_MAX. */
static bool parse_digits(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (n > (UINT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*s = p;
	*v = n;
	return true;
}

bool parse_pid(const char *s, pid_t *pid)
{
	uint64_t v;

	if (!parse_digits(&s, &v) || *s || v == 0 || v > INT_MAX)
		return false;
	*pid = (pid_t)v;
	return true;
}

bool parse_value(const char *s, uint64_t *v)
{
	static const char units[] = "KMGT";
	const char *u;
	uint64_t n;
	int shift;

	if (!strcmp(s, "none")) {
		*v = RATMEM_LIMIT_NONE;
		return true;
	}
	if (!parse_digits(&s, &n))
		return false;
	if (!*s) {
		*v = n;
		return true;
	}
	u = strchr(units, *s >= 'a' ? *s - 'a' + 'A' : *s);
	if (!u || !*u || s[1])
		return false;
	shift = 10 * (int)(u - units + 1);
	if (n > (UINT64_MAX >> shift))
		return false;
	*v = n << shift;
	return true;
}

bool parse_bytes(const char *s, uint64_t *v)
{
	return strcmp(s, "none") && parse_value(s, v);
}

bool parse_node(const char *s, int *node)
{
	uint64_t v;

	if (!parse_digits(&s, &v) || *s || v >= RATMEM_NODES_MAX)
		return false;
	*node = (int)v;
	return true;
}

bool parse_seconds(const char *s, double *secs)
{
	const char *p = s;
	char *end;
	double v;

	/* Digits, then at most one '.' with digits: no sign, exponent, hex,
	 * "inf" or "nan", which strtod() would take. */
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return false;
	v = strtod(s, &end);
	if (*end || !isfinite(v) || v <= 0 || v > 86400)
		return false;
	*secs = v;
	return true;
}

int parse_resource(const char *s)
{
	for (int res = 0; res < RATMEM_RES_COUNT; res++)
		if (!strcmp(s, resource_name(res)))
			return res;
	return -1;
}

int optional_pid_arg(int argc, char **argv, pid_t *pid)
{
	*pid = 0;
	if (argc > 2)
		return usage_error("%s: unexpected argument '%s'", argv[0], argv[2]);
	if (argc == 2 && !parse_pid(argv[1], pid))
		return usage_error("%s: bad PID '%s' (a process id, 1 or more)", argv[0],
				   argv[1]);
	return 0;
}
