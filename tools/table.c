// SPDX-License-Identifier: GPL-2.0
/* ratmemctl: tables with a header and columns as wide as their widest cell. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

void table_init(struct table *t, int ncols, const char *const *heads, const bool *right)
{
	t->ncols = ncols;
	t->heads = heads;
	t->right = right;
	t->cells = NULL;
	t->rows = 0;
	t->cap = 0;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "-");

	if (!d) {
		perror("ratmemctl");
		exit(EXIT_RUNTIME);
	}
	return d;
}

void table_add(struct table *t, const char *const *row)
{
	if (t->rows == t->cap) {
		int cap = t->cap ? 2 * t->cap : 16;
		char **cells = realloc(t->cells, sizeof(*cells) * (size_t)cap * (size_t)t->ncols);

		if (!cells) {
			perror("ratmemctl");
			exit(EXIT_RUNTIME);
		}
		t->cells = cells;
		t->cap = cap;
	}
	for (int c = 0; c < t->ncols; c++)
		t->cells[t->rows * t->ncols + c] = xstrdup(row[c]);
	t->rows++;
}

static void print_row(const struct table *t, FILE *out, const char *const *row,
		      const size_t *width)
{
	for (int c = 0; c < t->ncols; c++) {
		bool last = c == t->ncols - 1;
		int w = (int)width[c];

		if (t->right && t->right[c])
			fprintf(out, "%*s", w, row[c]);
		else
			fprintf(out, "%-*s", last ? 0 : w, row[c]);
		fputs(last ? "\n" : "  ", out);
	}
}

void table_print(struct table *t, FILE *out)
{
	size_t width[t->ncols];

	for (int c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->heads[c]);
		for (int r = 0; r < t->rows; r++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);

			if (l > width[c])
				width[c] = l;
		}
	}
	print_row(t, out, t->heads, width);
	for (int r = 0; r < t->rows; r++)
		print_row(t, out, (const char *const *)&t->cells[r * t->ncols], width);
	fflush(out);
}

void table_free(struct table *t)
{
	for (int i = 0; i < t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->rows = t->cap = 0;
}
