/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem's coverage-guided fuzzer (tests/fuzz/README.md). A program is a
 * list of calls made by two processes, 0 (the runner) and 1 (its peer),
 * one at a time in order, plus races and forks. Arguments are literal
 * numbers, or indices into the resources earlier calls made (handles,
 * mappings, capability ids, names), so a saved program replays alone.
 */
#ifndef RATMEM_FUZZ_H
#define RATMEM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FZ_MAX_OPS	32
#define FZ_SLOTS	8	/* handles and mappings per process, caps, names */
#define FZ_NARGS	5

enum fz_kind {
	FZ_CREATE,	/* size, flags, rights, node, page_shift -> handle slot */
	FZ_NAMED,	/* name, size, flags, rights, mode -> handle slot */
	FZ_OPEN,	/* name, rights -> handle slot */
	FZ_UNLINK,	/* name, flags */
	FZ_QUERY,	/* handle */
	FZ_DUP,		/* handle, rights -> handle slot */
	FZ_CLOSE,	/* handle */
	FZ_COMMIT,	/* handle, offset, length */
	FZ_DECOMMIT,	/* handle, offset, length */
	FZ_MMAP,	/* handle, offset, length, prot -> mapping slot */
	FZ_MUNMAP,	/* mapping */
	FZ_MPROTECT,	/* mapping, prot */
	FZ_TOUCH,	/* mapping, offset, write */
	FZ_GRANT,	/* handle, rights, lease ns, range (0: GRANT) -> cap slot (to the other process) */
	FZ_ACCEPT,	/* cap -> handle slot */
	FZ_REVOKE,	/* handle, cap, deadline ns, RATMEM_REVOKE_WAIT or 0 */
	FZ_WAIT,	/* handle, offset, expected */
	FZ_WAKE,	/* handle, offset, count */
	FZ_QUOTA,	/* resource, limit (own limits, lowered or raised) */
	FZ_POPULATE,	/* mapping, offset, length (from the mapping's start; wraps) */
	FZ_RACE,	/* mapping: a thread touches it during the next call */
	FZ_FORK,	/* mapping: a child touches it and uses the context, then exits */
	FZ_RESTART,	/* the process exits and a fresh one takes its place */
	FZ_POLICY,	/* handle, mode, node mask */
	FZ_MIGRATE,	/* handle, offset, length, node | flags << 8 */
	FZ_SEAL,	/* handle, seals */
	FZ_LEASE,	/* handle, cap, lease in ns (0: read) */
	FZ_NOTICES,	/* records to read (READ_NOTICES), and poll() first */
	FZ_NKINDS
};

struct fz_op {
	uint8_t proc;	/* 0 or 1 */
	uint8_t kind;	/* enum fz_kind */
	uint64_t arg[FZ_NARGS];
};

struct fz_prog {
	unsigned int n;
	struct fz_op op[FZ_MAX_OPS];
};

/* prog.c: making, changing and writing programs. */
uint64_t fz_rand(uint64_t *state);
void fz_generate(struct fz_prog *p, uint64_t *rng);
void fz_mutate(struct fz_prog *p, const struct fz_prog *other, uint64_t *rng);
void fz_write(FILE *f, const struct fz_prog *p);
int fz_parse(const char *text, struct fz_prog *p);
const char *fz_kind_name(unsigned int kind);

/* kcov.c: edge coverage of ratmem.ko, shared by every process of a run. */
int fz_cov_init(void);			/* 0, or -errno when KCOV is missing */
void fz_cov_thread_start(void);		/* each thread that makes calls */
void fz_cov_thread_stop(void);
void fz_cov_begin(void);
void fz_cov_end(void);
unsigned long fz_cov_edges(void);

/* exec.c: run one program in a fresh pair of processes. */
struct fz_result {
	bool bad;		/* a finding */
	char why[256];
};
void fz_exec(const struct fz_prog *p, struct fz_result *res);

/* fuzz.c: the loop. */
struct fz_opts {
	uint64_t seed;
	unsigned long programs;	/* stop after this many (0: no bound) */
	unsigned long seconds;	/* stop after this long (0: no bound) */
};
struct fz_stats {
	unsigned long programs, edges, corpus, findings;
	double seconds;
};
int fz_run(const struct fz_opts *o, struct fz_stats *st);
int fz_replay(const char *text, char *why, size_t len);

#endif /* RATMEM_FUZZ_H */
