// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: the columns of a listing. -o LIST picks them by name (any
 * case, separated by commas), "+LIST" adds to the defaults, -O shows them
 * all, as lsblk and findmnt do; --list-columns says what each shows.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"

static int find_col(const struct col *cols, int ncols, const char *name, size_t len)
{
	for (int i = 0; i < ncols; i++)
		if (strlen(cols[i].name) == len && !strncasecmp(cols[i].name, name, len))
			return i;
	return -1;
}

int cols_select(const struct col *cols, int ncols, const char *list, bool all, int *sel,
		int max, const char *cmd)
{
	int n = 0;

	if (all || !list || list[0] == '+') {
		for (int i = 0; i < ncols; i++) {
			if (!all && !(cols[i].flags & COL_DEFAULT))
				continue;
			if (n == max)
				break;
			sel[n++] = i;
		}
		if (!list)
			return n;
		list++;
	}
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		int i = find_col(cols, ncols, p, len);

		if (len == 0) {
			usage_error("%s: an empty column name in '%s'", cmd, list);
			return -1;
		}
		if (i < 0) {
			usage_error("%s: unknown column '%.*s' (ratmemctl %s --list-columns lists "
				    "them)", cmd, (int)len, p, cmd);
			return -1;
		}
		if (n == max) {
			usage_error("%s: too many columns (at most %d)", cmd, max);
			return -1;
		}
		sel[n++] = i;
		p += len;
		if (!*p)
			break;
	}
	return n;
}

const char *col_json_key(const struct col *col, char *buf, size_t len)
{
	size_t i;

	if (!len)
		return buf;
	for (i = 0; col->name[i] && i + 1 < len; i++)
		buf[i] = (char)tolower((unsigned char)col->name[i]);
	buf[i] = '\0';
	return buf;
}

int cols_list(const struct col *cols, int ncols, bool json, FILE *out)
{
	struct json j;

	if (!json) {
		for (int i = 0; i < ncols; i++)
			fprintf(out, "%c %-10s %s\n", cols[i].flags & COL_DEFAULT ? '*' : ' ',
				cols[i].name, cols[i].help);
		return fflush(out) ? EXIT_RUNTIME : EXIT_OK;
	}
	json_init(&j, out);
	json_obj_open(&j);
	json_key(&j, "columns");
	json_arr_open(&j);
	for (int i = 0; i < ncols; i++) {
		json_obj_open(&j);
		json_key(&j, "name");
		json_str(&j, cols[i].name);
		json_key(&j, "default");
		json_bool(&j, cols[i].flags & COL_DEFAULT);
		json_key(&j, "description");
		json_str(&j, cols[i].help);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
	return ferror(out) ? EXIT_RUNTIME : EXIT_OK;
}
