// SPDX-License-Identifier: GPL-2.0
/* ratmemctl: one netlink dump printed as a table or as a JSON array. */
#include "ctl.h"

int listing_init(struct listing *l, const struct ctl *c, const char *cmd,
		 const struct col *cols, int ncols)
{
	int sel[MAX_COLS], n;
	unsigned int flags = 0;

	l->c = c;
	l->priv = NULL;
	l->before = NULL;
	l->before_arg = NULL;
	l->cols = cols;
	l->ncols = ncols;
	n = cols_select(cols, ncols, c->output, c->output_all, sel, MAX_COLS, cmd);
	if (n < 0)
		return EXIT_USAGE;
	if (c->raw)
		flags |= TABLE_RAW;
	if (c->noheadings)
		flags |= TABLE_NOHEADINGS;
	if (c->tree)
		flags |= TABLE_TREE;
	if (c->ascii)
		flags |= TABLE_ASCII;
	table_init(&l->t, cols, sel, n, flags);
	return 0;
}

void listing_print(struct listing *l, const char *key, FILE *out)
{
	if (l->c->json)
		table_print_json(&l->t, out, key);
	else
		table_print(&l->t, out);
}

int listing_run(struct listing *l, const char *key, int cmd, pid_t pid,
		int (*fn)(struct nlattr **tb, void *arg), void *arg)
{
	struct rnl n;
	bool none;
	int ret;

	ret = rnl_open(&n);
	if (!ret) {
		if (l->before)
			ret = l->before(&n, pid, l->before_arg);
		if (!ret)
			ret = rnl_call(&n, cmd, true, pid, key, fn, arg);
		rnl_close(&n);
	}
	/* Half a dump is no answer: print only a whole one. */
	if (!ret)
		listing_print(l, key, stdout);
	none = pid && l->t.nrows == 0;
	table_free(&l->t);
	if (ret)
		return ret;
	if (fflush(stdout))
		return EXIT_RUNTIME;
	/* As lsblk for devices it was asked about: none found is 32. */
	return none ? EXIT_NOTFOUND : EXIT_OK;
}
