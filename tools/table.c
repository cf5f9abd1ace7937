// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: tables, as util-linux's tools print them: a header, columns
 * as wide as their widest cell, numbers right-aligned; -r (raw) with
 * single spaces and no alignment; -n without the header; --tree with the
 * first tree column drawn as a tree (├─ └─ │, or |- `- | with --ascii);
 * and the same rows as JSON, keys the lower-cased column names.
 *
 * Why not libsmartcols, which util-linux's tools use for all this:
 *  - ratmemctl's JSON carries values that are not a cell's text: arrays
 *    (rights, node masks), arrays of objects (pages per node), objects
 *    (a quota's usage and limit), exact numbers where the table shows
 *    "1.5M", and null for an attribute an older module does not send.
 *    libsmartcols' JSON types (2.38, Debian 12) stop at numbers, booleans
 *    and arrays of strings or numbers, so these would need a second JSON
 *    path beside it anyway.
 *  - The test VM runs a statically linked ratmemctl (STATIC=1), and a
 *    new build dependency reaches every place that builds user space:
 *    the bench's host package list, CI, and the Debian packaging's
 *    Build-Depends, which this tool does not own.
 *  - What it would save is small: the code below is aligned columns, a
 *    tree prefix and an escaping rule, all tested on the host
 *    (tools/fmt_test.c).
 * The conventions follow libsmartcols' (raw escaping of blanks, "\" and
 * unprintable bytes as \xHH; "children" arrays in tree JSON), so that
 * output reads like lsblk's and findmnt's.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

void table_init(struct table *t, const struct col *cols, const int *sel, int nsel,
		unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	if (nsel > MAX_COLS)
		nsel = MAX_COLS;
	for (int i = 0; i < nsel; i++)
		t->cols[i] = &cols[sel[i]];
	t->ncols = nsel;
	t->flags = flags;
}

int table_add_row(struct table *t, uint64_t id, uint64_t parent)
{
	struct row *r;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->rows = xrealloc(t->rows, sizeof(*t->rows) * (size_t)t->cap);
	}
	r = &t->rows[t->nrows];
	r->cells = xmalloc(sizeof(*r->cells) * (size_t)(t->ncols ? t->ncols : 1));
	for (int c = 0; c < t->ncols; c++) {
		r->cells[c].text = NULL;
		r->cells[c].json = NULL;
	}
	r->id = id;
	r->parent = parent;
	return t->nrows++;
}

void table_set(struct table *t, int row, int col, const char *text, char *json)
{
	bool raw = t->flags & TABLE_RAW;
	struct cell *cell;
	size_t n;

	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols) {
		free(json);
		return;
	}
	cell = &t->rows[row].cells[col];
	n = fmt_escape(NULL, 0, text ? text : "-", raw);
	free(cell->text);
	free(cell->json);
	cell->text = xmalloc(n + 1);
	fmt_escape(cell->text, n + 1, text ? text : "-", raw);
	cell->json = json;
}

void table_free(struct table *t)
{
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			free(t->rows[r].cells[c].text);
			free(t->rows[r].cells[c].json);
		}
		free(t->rows[r].cells);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}

/* ---- the tree --------------------------------------------------------- */

struct tree {
	int *first, *next;	/* first child, next sibling: row indexes or -1 */
	int *roots;
	int nroots;
};

struct id_index {
	uint64_t id;
	int row;
};

static int cmp_id(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->row - y->row;
}

/* The row of @id (the first one, when ids repeat), or -1. */
static int find_row(const struct id_index *idx, int n, uint64_t id)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (idx[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && idx[lo].id == id ? idx[lo].row : -1;
}

/* Mark @row and its descendants as reached, with @stack (room for every
 * row): a long chain of re-grants must not exhaust the C stack. */
static void reach(const struct tree *tr, int row, bool *reached, int *stack)
{
	int sp = 0;

	reached[row] = true;
	stack[sp++] = row;
	while (sp > 0) {
		int cur = stack[--sp];

		for (int ch = tr->first[cur]; ch >= 0; ch = tr->next[ch])
			if (!reached[ch]) {
				reached[ch] = true;
				stack[sp++] = ch;
			}
	}
}

static void tree_build(const struct table *t, struct tree *tr)
{
	int n = t->nrows, *parent_of = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	struct id_index *idx = xmalloc(sizeof(*idx) * (size_t)(n ? n : 1));
	bool *reached = xmalloc((size_t)(n ? n : 1));
	int *last = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	int *stack = xmalloc(sizeof(int) * (size_t)(n ? n : 1));

	tr->first = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	tr->next = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	tr->roots = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	tr->nroots = 0;
	for (int i = 0; i < n; i++) {
		idx[i].id = t->rows[i].id;
		idx[i].row = i;
		tr->first[i] = tr->next[i] = last[i] = -1;
		reached[i] = false;
	}
	qsort(idx, (size_t)n, sizeof(*idx), cmp_id);
	/* Children in the order of the rows. */
	for (int i = 0; i < n; i++) {
		int p = t->rows[i].parent ? find_row(idx, n, t->rows[i].parent) : -1;

		parent_of[i] = p == i ? -1 : p;
		if (parent_of[i] < 0)
			continue;
		if (last[parent_of[i]] < 0)
			tr->first[parent_of[i]] = i;
		else
			tr->next[last[parent_of[i]]] = i;
		last[parent_of[i]] = i;
	}
	for (int i = 0; i < n; i++)
		if (parent_of[i] < 0) {
			tr->roots[tr->nroots++] = i;
			reach(tr, i, reached, stack);
		}
	/* What no root reaches is in a cycle: its first row becomes a root,
	 * its link to its parent cut. */
	for (int i = 0; i < n; i++) {
		if (reached[i])
			continue;
		int p = parent_of[i], prev = -1;

		for (int ch = tr->first[p]; ch >= 0; prev = ch, ch = tr->next[ch])
			if (ch == i) {
				if (prev < 0)
					tr->first[p] = tr->next[ch];
				else
					tr->next[prev] = tr->next[ch];
				break;
			}
		tr->next[i] = -1;
		tr->roots[tr->nroots++] = i;
		reach(tr, i, reached, stack);
	}
	free(parent_of);
	free(idx);
	free(reached);
	free(last);
	free(stack);
}

static void tree_free(struct tree *tr)
{
	free(tr->first);
	free(tr->next);
	free(tr->roots);
}

/* Depth-first, without recursion: the rows in order, with their depth
 * and whether each is the last of its siblings. */
static void tree_walk(const struct tree *tr, int n, int *order, int *depth, bool *last)
{
	int *stack = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	int *stack_depth = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	int sp = 0, k = 0;

	for (int r = tr->nroots - 1; r >= 0; r--) {
		stack[sp] = tr->roots[r];
		stack_depth[sp++] = 0;
	}
	while (sp > 0) {
		int row = stack[--sp], d = stack_depth[sp], nch = 0;
		bool is_last;

		if (d == 0)
			is_last = row == tr->roots[tr->nroots - 1];
		else
			is_last = tr->next[row] < 0;
		order[k] = row;
		depth[k] = d;
		last[k++] = is_last;
		/* Push the children in reverse, so the first comes out first. */
		for (int ch = tr->first[row]; ch >= 0; ch = tr->next[ch])
			nch++;
		sp += nch;
		for (int ch = tr->first[row], i = 1; ch >= 0; ch = tr->next[ch], i++) {
			stack[sp - i] = ch;
			stack_depth[sp - i] = d + 1;
		}
	}
	free(stack);
	free(stack_depth);
}

void table_tree_order(const struct table *t, int *order, int *depth, bool *last)
{
	struct tree tr;

	tree_build(t, &tr);
	tree_walk(&tr, t->nrows, order, depth, last);
	tree_free(&tr);
}

/* ---- text --------------------------------------------------------------- */

/* Display width of UTF-8 text: the tree's glyphs are one column each. */
static size_t width_of(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/*
 * The tree prefixes of the rows in order: for each ancestor below the
 * root, "│ " while it has siblings to come, else blanks; then "├─" or,
 * for the last child, "└─". Roots have none.
 */
static char **tree_prefixes(const struct table *t, const int *depth, const bool *last)
{
	bool ascii = t->flags & TABLE_ASCII;
	const char *vert = ascii ? "| " : "\u2502 ";
	const char *branch = ascii ? "|-" : "\u251c\u2500";
	const char *right = ascii ? "`-" : "\u2514\u2500";
	char **pre = xmalloc(sizeof(char *) * (size_t)(t->nrows ? t->nrows : 1));
	int maxd = 0;
	bool *open;

	for (int k = 0; k < t->nrows; k++)
		if (depth[k] > maxd)
			maxd = depth[k];
	/* open[d]: the ancestor at depth d has siblings still to come. */
	open = xmalloc((size_t)maxd + 1);
	for (int k = 0; k < t->nrows; k++) {
		size_t len = 1;
		char *p;

		open[depth[k]] = !last[k];
		for (int d = 1; d <= depth[k]; d++)
			len += strlen(d < depth[k] ? vert : branch);
		pre[k] = p = xmalloc(len);
		*p = '\0';
		for (int d = 1; d < depth[k]; d++)
			strcat(p, open[d] ? vert : "  ");
		if (depth[k] > 0)
			strcat(p, last[k] ? right : branch);
	}
	free(open);
	return pre;
}

void table_print(const struct table *t, FILE *out)
{
	bool raw = t->flags & TABLE_RAW, tree = (t->flags & TABLE_TREE) && !raw;
	int n = t->nrows, tree_col = -1;
	int *order = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	int *depth = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
	bool *last = xmalloc(sizeof(bool) * (size_t)(n ? n : 1));
	char **pre = NULL;
	size_t width[MAX_COLS];

	if (t->flags & TABLE_TREE) {
		table_tree_order(t, order, depth, last);
	} else {
		for (int k = 0; k < n; k++)
			order[k] = k;
	}
	if (tree) {
		for (int c = 0; c < t->ncols && tree_col < 0; c++)
			if (t->cols[c]->flags & COL_TREE)
				tree_col = c;
		if (tree_col >= 0)
			pre = tree_prefixes(t, depth, last);
	}
	for (int c = 0; c < t->ncols; c++) {
		width[c] = t->flags & TABLE_NOHEADINGS ? 0 : strlen(t->cols[c]->name);
		for (int k = 0; k < n; k++) {
			size_t w = width_of(t->rows[order[k]].cells[c].text);

			if (c == tree_col)
				w += width_of(pre[k]);
			if (w > width[c])
				width[c] = w;
		}
	}
	for (int k = -1; k < n; k++) {
		if (k < 0 && (t->flags & TABLE_NOHEADINGS))
			continue;
		for (int c = 0; c < t->ncols; c++) {
			const char *text = k < 0 ? t->cols[c]->name
						 : t->rows[order[k]].cells[c].text;
			const char *prefix = k >= 0 && c == tree_col ? pre[k] : "";
			size_t w = width_of(text) + width_of(prefix);
			bool lastcol = c == t->ncols - 1;

			if (c)
				fputs(raw ? " " : "  ", out);
			if (raw) {
				fputs(text, out);
				continue;
			}
			if ((t->cols[c]->flags & COL_RIGHT) && c != tree_col)
				pad(out, width[c] - w);
			fputs(prefix, out);
			fputs(text, out);
			if (!(t->cols[c]->flags & COL_RIGHT) && !lastcol)
				pad(out, width[c] - w);
		}
		fputc('\n', out);
	}
	if (pre)
		for (int k = 0; k < n; k++)
			free(pre[k]);
	free(pre);
	free(order);
	free(depth);
	free(last);
	fflush(out);
}

/* ---- JSON --------------------------------------------------------------- */

/* Tree levels nested as "children"; deeper rows follow their parent in
 * the same array instead (the writer nests JSON_MAX_DEPTH levels). */
#define JSON_TREE_LEVELS ((JSON_MAX_DEPTH - 4) / 2)

static void json_row(const struct table *t, struct json *j, int row, const struct tree *tr,
		     int level)
{
	bool nest = tr && tr->first[row] >= 0 && level < JSON_TREE_LEVELS;
	char key[64];

	json_obj_open(j);
	for (int c = 0; c < t->ncols; c++) {
		json_key(j, col_json_key(t->cols[c], key, sizeof(key)));
		if (t->rows[row].cells[c].json)
			json_raw(j, t->rows[row].cells[c].json);
		else
			json_null(j);
	}
	if (nest) {
		json_key(j, "children");
		json_arr_open(j);
		for (int ch = tr->first[row]; ch >= 0; ch = tr->next[ch])
			json_row(t, j, ch, tr, level + 1);
		json_arr_close(j);
	}
	json_obj_close(j);
	if (tr && !nest)
		for (int ch = tr->first[row]; ch >= 0; ch = tr->next[ch])
			json_row(t, j, ch, tr, level);
}

void table_json_array(const struct table *t, struct json *j)
{
	struct tree tr;

	json_arr_open(j);
	if (t->flags & TABLE_TREE) {
		tree_build(t, &tr);
		for (int r = 0; r < tr.nroots; r++)
			json_row(t, j, tr.roots[r], &tr, 0);
		tree_free(&tr);
	} else {
		for (int r = 0; r < t->nrows; r++)
			json_row(t, j, r, NULL, 0);
	}
	json_arr_close(j);
}

void table_print_json(const struct table *t, FILE *out, const char *key)
{
	struct json j;

	json_init(&j, out);
	json_obj_open(&j);
	json_key(&j, key);
	table_json_array(t, &j);
	json_obj_close(&j);
	json_end(&j);
}
