/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmemctl: what its files share. ratmemctl.c dispatches; opts.c parses
 * the command line (getopt_long); each cmd_*.c is one group of
 * subcommands; nl.c is the generic netlink plumbing; cols.c the column
 * sets and -o; table.c the tables (aligned, raw, tree) and their JSON;
 * json.c the JSON writer; fmt.c the small formatting helpers; args.c the
 * argument parsers; snap.c a snapshot of the module (top, export) and
 * prom.c its Prometheus text.
 */
#ifndef RATMEMCTL_CTL_H
#define RATMEMCTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/ratmem.h>

/* The ratmem release ratmemctl comes from (tools/Makefile sets it from
 * RATMEM_MODULE_VERSION). */
#ifndef RATMEM_VERSION
#define RATMEM_VERSION "unknown"
#endif

/* Exit statuses (documented in ratmemctl(8)). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1	/* no module, no permission, a failed call */
#define EXIT_USAGE	2	/* a bad command line */
#define EXIT_NOTFOUND	32	/* a listing for a PID found nothing */

struct nlattr;

/* Options (bits of struct ctl's given), each applying to some commands. */
enum {
	OPT_JSON = 1 << 0,
	OPT_OUTPUT = 1 << 1,
	OPT_OUTPUT_ALL = 1 << 2,
	OPT_NOHEADINGS = 1 << 3,
	OPT_RAW = 1 << 4,
	OPT_BYTES = 1 << 5,
	OPT_LIST_COLUMNS = 1 << 6,
	OPT_TREE = 1 << 7,
	OPT_ASCII = 1 << 8,
	OPT_COUNT = 1 << 9,
	OPT_NODE = 1 << 10,
	OPT_LAZY = 1 << 11,
	OPT_OFFSET = 1 << 12,
	OPT_LENGTH = 1 << 13,
	OPT_DELAY = 1 << 14,
	OPT_ITERATIONS = 1 << 15,
	OPT_SORT = 1 << 16,
	OPT_PROMETHEUS = 1 << 17,
	OPT_OUTPUT_FILE = 1 << 18,
};

/* The options of every listing: regions, handles, grants, quota list. */
#define OPTS_LISTING (OPT_JSON | OPT_OUTPUT | OPT_OUTPUT_ALL | OPT_NOHEADINGS | OPT_RAW | \
		      OPT_BYTES | OPT_LIST_COLUMNS)

/* The command line, parsed (opts.c). Values are kept as given and
 * checked by the command they belong to. */
struct ctl {
	unsigned int given;	/* OPT_* seen */
	bool help, version;
	bool json, raw, noheadings, bytes, list_columns, output_all;
	bool tree, ascii;
	const char *output;	/* -o LIST */
	const char *count;	/* monitor --count */
	const char *node, *offset, *length;	/* migrate */
	bool lazy;
	const char *delay, *iterations, *sort;	/* top */
	bool prometheus;	/* export */
	const char *output_file;
	int nargs;		/* the command and its operands */
	char **args;
};

/*
 * Parse argv with getopt_long (options anywhere, "--" ends them). 0, or
 * EXIT_USAGE with the message printed. argv is permuted: c->args points
 * into it.
 */
int ctl_parse(struct ctl *c, int argc, char **argv);
/* EXIT_USAGE (message printed) when an option outside @allowed was
 * given to command @cmd, or a mutually exclusive pair; else 0. */
int ctl_check(const struct ctl *c, const char *cmd, unsigned int allowed);
/* The long name of an OPT_* bit ("--output"). */
const char *opt_name(unsigned int bit);

/* A subcommand: argv[0] is its name; returns an exit status. */
int cmd_status(const struct ctl *c, int argc, char **argv);
int cmd_version(const struct ctl *c, int argc, char **argv);
int cmd_quota_list(const struct ctl *c, int argc, char **argv);
int cmd_regions(const struct ctl *c, int argc, char **argv);
int cmd_handles(const struct ctl *c, int argc, char **argv);
int cmd_grants(const struct ctl *c, int argc, char **argv);
int cmd_quota(const struct ctl *c, int argc, char **argv);
int cmd_monitor(const struct ctl *c, int argc, char **argv);
int cmd_unlink(const struct ctl *c, int argc, char **argv);
int cmd_migrate(const struct ctl *c, int argc, char **argv);
int cmd_top(const struct ctl *c, int argc, char **argv);
int cmd_export(const struct ctl *c, int argc, char **argv);

/* ---- args.c: messages and argument parsers ------------------------- */

/* "ratmemctl: <msg>" on stderr; returns EXIT_USAGE / EXIT_RUNTIME. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int runtime_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A process id: decimal, 1 to INT_MAX. Returns false when it is not. */
bool parse_pid(const char *s, pid_t *pid);
/* A count or size: digits with an optional K, M, G or T (powers of
 * 1024), or "none" (RATMEM_LIMIT_NONE). False on anything else or on
 * overflow. */
bool parse_value(const char *s, uint64_t *v);
/* A byte count or offset: as parse_value(), without "none". */
bool parse_bytes(const char *s, uint64_t *v);
/* A NUMA node id: decimal, 0 to RATMEM_NODES_MAX - 1. */
bool parse_node(const char *s, int *node);
/* Seconds: a decimal number with an optional fraction ("0.5"), more
 * than 0 and at most a day. */
bool parse_seconds(const char *s, double *secs);
/* A RATMEM_RES_* name; -1 when unknown. */
int parse_resource(const char *s);
/* Subcommands taking an optional PID and nothing else: 0 when absent. */
int optional_pid_arg(int argc, char **argv, pid_t *pid);

/* What a failed open or ioctl of /dev/ratmem (positive errno) means:
 * the message printed, EXIT_RUNTIME returned. In cmd_status.c. */
int device_error(const char *what, int err);

/* ---- fmt.c ---------------------------------------------------------- */

/* Resident 4 KiB pages of a region on one NUMA node. */
struct node_pages {
	uint32_t node;
	uint64_t pages;
};

/* The name of RATMEM_RES_@res ("reserved", ...). */
const char *resource_name(int res);
/* Whether a resource counts bytes (else objects). */
bool resource_is_bytes(int res);
/* "4K", "1.5M", "512": binary units, one decimal when inexact. */
const char *fmt_bytes(char *buf, size_t len, uint64_t v);
/* fmt_bytes(), or the exact number when @exact (-b, --bytes). */
const char *fmt_size(char *buf, size_t len, uint64_t v, bool exact);
/* A resource value for a table: bytes or a count, "-" for no limit. */
const char *fmt_res(char *buf, size_t len, int res, uint64_t v, bool is_limit, bool exact);
/* "rw-mg": the RATMEM_RIGHT_* letters, '-' for missing ones. */
const char *fmt_rights(char *buf, size_t len, uint32_t rights);
/* "0,2-5": the node ids of a mask, "-" for none. */
const char *fmt_nodemask(char *buf, size_t len, uint64_t mask);
/* Names of the rights (NULL-terminated table, bit order). */
extern const struct name_bit {
	uint64_t bit;
	const char *name;
} right_names[], feature_names[], seal_names[];
/* Nanoseconds as "950ms", "1.5s", "2m03s", "3h05m" (exact: the number). */
const char *fmt_ns(char *buf, size_t len, uint64_t ns, bool exact);
/* "commit,write": the RATMEM_SEAL_* names, "-" for none. */
const char *fmt_seals(char *buf, size_t len, uint32_t seals);
/* "owner", "grant", "named-open"; NULL when unknown. */
const char *capkind_name(uint32_t kind);
/* "quota", "grant", ...; NULL when unknown. */
const char *event_name(uint32_t ev);
/* "revoked", "wx"; NULL when unknown. */
const char *violation_name(uint32_t v);
/* "default", "preferred", "bind", "interleave" (RATMEM_POLICY_*); NULL
 * when unknown. */
const char *policy_name(uint32_t mode);
/* "0:512,1:12": node:pages for each of the @n entries, "-" for none;
 * when @len is too short, the entries that fit and then "...". */
const char *fmt_node_pages(char *buf, size_t len, const struct node_pages *v, int n);
/*
 * A cell made safe to print: backslash and every byte that is not
 * printable ASCII (control characters, DEL, bytes past 0x7f) as \xHH,
 * and with @raw also blanks (space, tab), so that raw output stays split
 * by single spaces. Writes at most @len bytes with the NUL; returns the
 * length the whole result needs (as snprintf).
 */
size_t fmt_escape(char *dst, size_t len, const char *src, bool raw);

/* malloc() and friends that exit(EXIT_RUNTIME) when out of memory. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- json.c: a streaming JSON writer -------------------------------- */

#define JSON_MAX_DEPTH 128

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
	bool after_key;
};

void json_init(struct json *j, FILE *out);
void json_obj_open(struct json *j);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j);
void json_arr_close(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
/* A number with one decimal ("2.5"). */
void json_rate(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A value already written as JSON text (a table cell's). */
void json_raw(struct json *j, const char *text);
/* End of a document: a newline and a flush. */
void json_end(struct json *j);
/* A 64-bit id as 16 hex digits (JSON numbers lose precision past 2^53). */
void json_hex64(struct json *j, uint64_t v);
/* Names of the bits of @v that @names knows, as an array. */
void json_bits(struct json *j, const struct name_bit *names, uint64_t v);
/* Usage and limits of one quota, as quota get prints them. */
void json_usage_limits(struct json *j, const uint64_t *usage, const uint64_t *limit);
/*
 * One JSON value written to memory: json_cell_open() gives a writer,
 * json_cell_close() the text (malloc'd) of what was written to it.
 */
struct json_cell {
	struct json j;
	char *buf;
	size_t len;
	FILE *mem;
};
struct json *json_cell_open(struct json_cell *c);
char *json_cell_close(struct json_cell *c);

/* ---- cols.c: the columns of a listing, and -o ------------------------ */

#define COL_DEFAULT	0x1	/* shown without -o */
#define COL_RIGHT	0x2	/* right-aligned (numbers) */
#define COL_TREE	0x4	/* carries the tree with --tree */

/* The most columns one table shows (-o may repeat a column). */
#define MAX_COLS 32

struct col {
	const char *name;	/* header and -o name; JSON key lower-cased */
	const char *help;	/* --list-columns */
	unsigned int flags;	/* COL_* */
	int id;			/* what the column shows, for its command */
	/* Dumps (cmd_dump.c): one attribute of the message. */
	int attr;
	bool is_u32;
	int kind;
	const char *on, *off;	/* a flag's words in tables */
};

/*
 * The columns to show: @list is -o's value (NULL for the defaults; names
 * separated by commas, any case; a leading '+' adds them to the
 * defaults), @all is -O. Fills sel[] with indexes into @cols; returns
 * how many, or -1 with the message printed (naming @cmd).
 */
int cols_select(const struct col *cols, int ncols, const char *list, bool all, int *sel,
		int max, const char *cmd);
/* The JSON key of a column: its name in lower case. */
const char *col_json_key(const struct col *col, char *buf, size_t len);
/* --list-columns: the names and what they show (* marks the defaults),
 * or with @json {"columns": [{"name", "default", "description"}]}. */
int cols_list(const struct col *cols, int ncols, bool json, FILE *out);

/* ---- table.c: aligned, raw or tree tables, and their JSON ------------ */

#define TABLE_RAW		0x1	/* -r: single spaces, blanks escaped */
#define TABLE_NOHEADINGS	0x2	/* -n */
#define TABLE_TREE		0x4	/* --tree: rows as a tree of id/parent */
#define TABLE_ASCII		0x8	/* --ascii: the tree in ASCII */

struct cell {
	char *text;		/* escaped for the table */
	char *json;		/* the value as JSON text; NULL: null */
};

struct row {
	struct cell *cells;
	uint64_t id, parent;	/* the tree: parent 0 or unknown: a root */
};

struct table {
	int ncols;
	const struct col *cols[MAX_COLS];
	unsigned int flags;	/* TABLE_* */
	struct row *rows;
	int nrows, cap;
};

/* A table of the columns sel[0..nsel) of @cols. */
void table_init(struct table *t, const struct col *cols, const int *sel, int nsel,
		unsigned int flags);
/* Append a row (cells empty: "-" and null); returns its index. */
int table_add_row(struct table *t, uint64_t id, uint64_t parent);
/* Set a cell: @text for tables (copied), @json its JSON text (taken
 * over, freed with the table; NULL for null). */
void table_set(struct table *t, int row, int col, const char *text, char *json);
void table_print(const struct table *t, FILE *out);
/* {"@key": [rows]}, nested "children" arrays with TABLE_TREE; one line. */
void table_print_json(const struct table *t, FILE *out, const char *key);
/* Only the array of rows (nested with TABLE_TREE), written to @j. */
void table_json_array(const struct table *t, struct json *j);
void table_free(struct table *t);
/* The rows in tree order: order[] the row indexes, depth[] and last[]
 * (the row is its parent's last child) for each position. Rows whose
 * parent is 0, missing or in a cycle are roots. */
void table_tree_order(const struct table *t, int *order, int *depth, bool *last);

/* ---- nl.c: the generic netlink family ------------------------------- */

struct rnl {
	struct nl_sock *sk;
	int family;
	int error;		/* errno from the kernel's NLMSG_ERROR, else 0 */
	bool missing;		/* rnl_open*(): the family does not exist */
	int (*fn)(struct nlattr **tb, void *arg);
	void *arg;
};

/* Connect and resolve the family; prints the reason and returns
 * EXIT_RUNTIME on failure, 0 on success. */
int rnl_open(struct rnl *n);
/* The same, silent when the family is missing (n->missing set). */
int rnl_open_quiet(struct rnl *n, bool quiet_missing);
void rnl_close(struct rnl *n);
/*
 * Send @cmd (a dump when @dump) with RATMEM_A_PID = @pid when non-zero,
 * and call fn(tb, arg) for each reply with tb indexed by RATMEM_A_*.
 * fn returns 0 to go on, non-zero to stop. Returns 0 or an exit status
 * (the message printed, naming @what).
 */
int rnl_call(struct rnl *n, int cmd, bool dump, pid_t pid, const char *what,
	     int (*fn)(struct nlattr **tb, void *arg), void *arg);
/* Join the events group; 0 or an exit status (message printed unless
 * @quiet). */
int rnl_join_events(struct rnl *n, bool quiet);
/* Read one datagram and call fn per event: 0, -1 when events were
 * dropped (socket buffer overflow), or EXIT_RUNTIME (message printed). */
int rnl_read_events(struct rnl *n, int (*fn)(struct nlattr **tb, void *arg), void *arg);
int rnl_fd(const struct rnl *n);

/* Attribute accessors: the value, or @def when absent. */
uint64_t attr_u64(struct nlattr **tb, int type, uint64_t def);
uint32_t attr_u32(struct nlattr **tb, int type, uint32_t def);
/* Parse a usage or limits nest into v[RATMEM_RES_COUNT]; entries not in
 * the nest get @def. Returns false when the nest is absent. */
bool attr_res_nest(struct nlattr **tb, int type, uint64_t *v, uint64_t def);
/* The entries of a RATMEM_A_NODE_PAGES nest, in the order sent, at most
 * @max: their number, or -1 when the nest is absent. */
int attr_node_pages(struct nlattr **tb, int type, struct node_pages *v, int max);

/* ---- listing.c: a dump printed as a table or a JSON array ----------- */

struct listing {
	const struct ctl *c;
	const struct col *cols;
	int ncols;
	const void *priv;	/* the command's */
	struct table t;		/* rows go here */
	/* When set, listing_run() calls before(n, pid, before_arg) on its
	 * connection ahead of the dump: 0, or an exit status (message
	 * printed) that stops it. */
	int (*before)(struct rnl *n, pid_t pid, void *arg);
	void *before_arg;
};

/*
 * Set up @l for the columns -o (or -O, or the defaults) pick of @cols;
 * 0 or EXIT_USAGE (message printed, naming @cmd).
 */
int listing_init(struct listing *l, const struct ctl *c, const char *cmd,
		 const struct col *cols, int ncols);
/*
 * Dump @cmd (for @pid, or every visible process when 0), calling fn(tb,
 * arg) per object to add rows to l->t; then print the table, or the
 * document {"@key": [rows]}, only when the whole dump worked. Frees the
 * table. Returns an exit status: EXIT_NOTFOUND when @pid was given and
 * nothing was listed.
 */
int listing_run(struct listing *l, const char *key, int cmd, pid_t pid,
		int (*fn)(struct nlattr **tb, void *arg), void *arg);
/* Print the table or the JSON document of l->t (as listing_run). */
void listing_print(struct listing *l, const char *key, FILE *out);

/*
 * The dumps' rows, for their commands and the host tests: set @l up for
 * the columns of dump @name ("regions", "handles", "grants") or of quota
 * list as @c asks (0 or EXIT_USAGE), then add the row of one message with
 * dump_row() or quota_row() (callbacks of rnl_call(), @arg the listing).
 */
int dump_init(struct listing *l, const struct ctl *c, const char *name);
int dump_row(struct nlattr **tb, void *arg);
int quota_list_init(struct listing *l, const struct ctl *c, const char *cmd);
/* quota_row()'s RESIDENT: l->priv, when set, is a struct snapshot with
 * the region dump folded in (snap_region_row()); without one the column
 * is "-" (null). */
int quota_row(struct nlattr **tb, void *arg);
/* Whether @l shows RESIDENT (quota list needs the region dump). */
bool quota_list_needs_regions(const struct listing *l);

/* ---- cmd_status.c: the module's status ------------------------------ */

#define NSTATUS_COUNTERS 8

struct status_counter {
	int attr;
	const char *key;	/* JSON and the Prometheus metric */
	const char *label;	/* text */
	const char *help;	/* Prometheus */
};
extern const struct status_counter status_counters[NSTATUS_COUNTERS];

#define STATUS_POOLS_MAX 64

struct status {
	bool seen;
	char version[64];
	uint32_t abi;
	uint64_t features, seq;
	bool has_seq;
	bool has[NSTATUS_COUNTERS];
	uint64_t val[NSTATUS_COUNTERS];
	/* RATMEM_A_POOL: the first STATUS_POOLS_MAX nodes' pool figures. */
	size_t npools;
	struct status_pool {
		uint32_t node;
		uint64_t pages, hits, misses, filled, drained;
	} pools[STATUS_POOLS_MAX];
};

/* RATMEM_CMD_GET_STATUS on @n into @s; 0 or an exit status. */
int status_fetch(struct rnl *n, struct status *s);

/* ---- snap.c: every process's figures at one moment (top, export) ---- */

struct proc_stat {
	uint32_t pid;
	bool has_quota, exited;
	uint64_t usage[RATMEM_RES_COUNT], limit[RATMEM_RES_COUNT];
	uint64_t regions;		/* regions it created */
	uint64_t resident, committed;	/* bytes of those regions */
	uint64_t events, grant_events;	/* top: in the last interval */
};

struct snapshot {
	struct status st;
	struct proc_stat *procs;	/* sorted by pid */
	int nprocs, cap;
	uint64_t regions, size, committed, resident, pending;	/* all regions */
	uint64_t node_pages[RATMEM_NODES_MAX];	/* resident 4 KiB pages */
	bool has_nodes;
	uint64_t grants_pending, grants_accepted;
};

void snap_init(struct snapshot *s);
void snap_free(struct snapshot *s);
/* The entry of @pid, added (zeroed) when new. */
struct proc_stat *snap_proc(struct snapshot *s, uint32_t pid);
/* The entry of @pid, or NULL when it has none. */
const struct proc_stat *snap_find(const struct snapshot *s, uint32_t pid);
/* Fold one quota, region or grant of a dump into @s. */
void snap_add_quota(struct snapshot *s, uint32_t pid, bool exited, const uint64_t *usage,
		    const uint64_t *limit);
void snap_add_region(struct snapshot *s, uint32_t pid, uint64_t size, uint64_t committed,
		     uint64_t resident, uint64_t pending, const struct node_pages *np, int nnp);
void snap_add_grant(struct snapshot *s, bool accepted);
/* Fold one message of the region dump into @s (an rnl_call() callback,
 * @arg the snapshot). */
int snap_region_row(struct nlattr **tb, void *arg);
/* The region dump (of @pid's regions, or all when 0) through @n, folded
 * into @s; 0 or an exit status (message printed). */
int snap_regions(struct rnl *n, struct snapshot *s, pid_t pid);
/* The status, the quota and region dumps, and with @grants the grant
 * dump, through @n; 0 or an exit status (message printed). */
int snap_take(struct rnl *n, struct snapshot *s, bool grants);

/*
 * top's screen of @s (sorted in place), as the options of @c ask, with
 * @events events in the @secs since the last (rates "-" unless
 * @have_events): for the host tests. 0 or EXIT_USAGE.
 */
int top_render(const struct ctl *c, struct snapshot *s, uint64_t events, double secs,
	       bool have_events, FILE *out);

/* ---- prom.c: Prometheus text ----------------------------------------- */

/* A label value escaped as the text format wants (\\, \", \n). */
const char *prom_escape(char *buf, size_t len, const char *s);
/* The node_exporter textfile-collector text of @s. */
void prom_write(FILE *out, const struct snapshot *s);

#endif
