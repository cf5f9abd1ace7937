/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmemctl: what its files share. ratmemctl.c parses the command line
 * and dispatches; each cmd_*.c is one group of subcommands; nl.c is the
 * generic netlink plumbing, json.c and table.c the two output forms,
 * fmt.c the small formatting helpers, args.c the argument parsers.
 */
#ifndef RATMEMCTL_CTL_H
#define RATMEMCTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit statuses (documented in ratmemctl(8)). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1	/* no module, no permission, a failed call */
#define EXIT_USAGE	2	/* a bad command line */

struct nlattr;

/* Global options. */
struct ctl {
	bool json;
};

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
/* A resource value for a table: bytes or a count, "-" for no limit. */
const char *fmt_res(char *buf, size_t len, int res, uint64_t v, bool is_limit);
/* "rw-mg": the RATMEM_RIGHT_* letters, '-' for missing ones. */
const char *fmt_rights(char *buf, size_t len, uint32_t rights);
/* Names of the rights (NULL-terminated table, bit order). */
extern const struct name_bit {
	uint64_t bit;
	const char *name;
} right_names[], feature_names[];
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

/* ---- json.c: a streaming JSON writer -------------------------------- */

#define JSON_MAX_DEPTH 16

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
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* End of a document: a newline and a flush. */
void json_end(struct json *j);
/* A 64-bit id as 16 hex digits (JSON numbers lose precision past 2^53). */
void json_hex64(struct json *j, uint64_t v);
/*
 * A document built in memory and printed only when the command worked:
 * a dump that fails half-way must not leave half a document on stdout.
 */
struct json_doc {
	char *buf;
	size_t len;
	FILE *mem;
};
/* json_init() on a memory buffer; false when out of memory. */
bool json_doc_open(struct json *j, struct json_doc *d);
/* End the document and, when @print, copy it to stdout; frees it. */
void json_doc_close(struct json *j, struct json_doc *d, bool print);
/* Names of the bits of @v that @names knows, as an array. */
void json_bits(struct json *j, const struct name_bit *names, uint64_t v);

/* ---- table.c: aligned columns --------------------------------------- */

struct table {
	int ncols;
	const char *const *heads;
	const bool *right;		/* right-align this column */
	char **cells;			/* rows * ncols strings */
	int rows, cap;
};

void table_init(struct table *t, int ncols, const char *const *heads, const bool *right);
/* Append a row of ncols strings (copied). */
void table_add(struct table *t, const char *const *row);
void table_print(struct table *t, FILE *out);
void table_free(struct table *t);

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
/* Join the events group; 0 or an exit status (message printed). */
int rnl_join_events(struct rnl *n);
/* Read one datagram and call fn per event: 0, -1 when events were
 * dropped (socket buffer overflow), or EXIT_RUNTIME (message printed). */
int rnl_read_events(struct rnl *n, int (*fn)(struct nlattr **tb, void *arg), void *arg);
int rnl_fd(const struct rnl *n);

/* ---- listing.c: a dump printed as a table or a JSON array ----------- */

struct listing {
	bool json;
	struct json j;		/* rows go here when json */
	struct table t;		/* else here; table_init() it before the run */
};

/*
 * Dump @cmd (for @pid, or every visible process when 0), calling fn(tb,
 * arg) per object to add a row to @l; then print the table, or the
 * document {"@key": [rows]}, only when the whole dump worked. Frees the
 * table. Returns an exit status.
 */
int listing_run(struct listing *l, const char *key, int cmd, pid_t pid,
		int (*fn)(struct nlattr **tb, void *arg), void *arg);

/* Attribute accessors: the value, or @def when absent. */
uint64_t attr_u64(struct nlattr **tb, int type, uint64_t def);
uint32_t attr_u32(struct nlattr **tb, int type, uint32_t def);
/* Parse a usage or limits nest into v[RATMEM_RES_COUNT]; entries not in
 * the nest get @def. Returns false when the nest is absent. */
bool attr_res_nest(struct nlattr **tb, int type, uint64_t *v, uint64_t def);
/* The entries of a RATMEM_A_NODE_PAGES nest, in the order sent, at most
 * @max: their number, or -1 when the nest is absent. */
int attr_node_pages(struct nlattr **tb, int type, struct node_pages *v, int max);

/* Usage and limits of one account, as ps and quota print them. */
void json_usage_limits(struct json *j, const uint64_t *usage, const uint64_t *limit);

#endif
