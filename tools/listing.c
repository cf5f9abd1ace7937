// SPDX-License-Identifier: GPL-2.0
/* ratmemctl: one netlink dump printed as a table or as a JSON array. */
#include "ctl.h"

int listing_run(struct listing *l, const char *key, int cmd, pid_t pid,
		int (*fn)(struct nlattr **tb, void *arg), void *arg)
{
	struct json_doc doc;
	struct rnl n;
	int ret;

	if (l->json) {
		if (!json_doc_open(&l->j, &doc)) {
			table_free(&l->t);
			return runtime_error("out of memory");
		}
		json_obj_open(&l->j);
		json_key(&l->j, key);
		json_arr_open(&l->j);
	}
	ret = rnl_open(&n);
	if (!ret) {
		ret = rnl_call(&n, cmd, true, pid, key, fn, arg);
		rnl_close(&n);
	}
	if (l->json) {
		json_arr_close(&l->j);
		json_obj_close(&l->j);
		json_doc_close(&l->j, &doc, !ret);
	} else if (!ret) {
		table_print(&l->t, stdout);
	}
	table_free(&l->t);
	if (ret)
		return ret;
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}
