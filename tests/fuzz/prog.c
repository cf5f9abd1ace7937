// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: argument generators that know the uapi, mutation, and a
 * text form (one call per line) that reproducers are saved in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/ratmem.h>

#include "fuzz.h"

#define PG	4096ULL
#define MIB2	(2ULL << 20)
#define RAW	(1ULL << 63)	/* a literal handle number or id, not a slot */

static const char *const kind_names[FZ_NKINDS] = {
	[FZ_CREATE] = "create", [FZ_NAMED] = "named", [FZ_OPEN] = "open",
	[FZ_UNLINK] = "unlink", [FZ_QUERY] = "query", [FZ_DUP] = "dup",
	[FZ_CLOSE] = "close", [FZ_COMMIT] = "commit", [FZ_DECOMMIT] = "decommit",
	[FZ_MMAP] = "mmap", [FZ_MUNMAP] = "munmap", [FZ_MPROTECT] = "mprotect",
	[FZ_TOUCH] = "touch", [FZ_GRANT] = "grant", [FZ_ACCEPT] = "accept",
	[FZ_REVOKE] = "revoke", [FZ_WAIT] = "wait", [FZ_WAKE] = "wake",
	[FZ_QUOTA] = "quota", [FZ_POPULATE] = "populate", [FZ_RACE] = "race",
	[FZ_FORK] = "fork",
	[FZ_RESTART] = "restart", [FZ_POLICY] = "policy", [FZ_MIGRATE] = "migrate",
	[FZ_SEAL] = "seal", [FZ_LEASE] = "lease", [FZ_NOTICES] = "notices",
};

/* Sizes and offsets near the page, 2 MiB and overflow boundaries. */
static const uint64_t sizes[] = {
	0, 1, PG - 1, PG, PG + 1, 2 * PG, 3 * PG, 16 * PG, 64 * PG, MIB2, MIB2 + PG,
	1ULL << 30, 1ULL << 40, (1ULL << 40) + PG, ~0ULL, ~0ULL - PG + 1, 1ULL << 63,
};
static const uint64_t offsets[] = {
	0, 4, 8, PG - 4, PG, 2 * PG, 15 * PG, 16 * PG, 63 * PG, 64 * PG, MIB2,
	~0ULL - PG + 1, ~0ULL - 3, 1ULL << 40,
};

uint64_t fz_rand(uint64_t *s)
{
	/* splitmix64: every seed, 0 included, gives a good stream. */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *rng, uint64_t n)
{
	return fz_rand(rng) % n;
}

static bool chance(uint64_t *rng, unsigned int percent)
{
	return below(rng, 100) < percent;
}

#define PICK(rng, table) ((table)[below(rng, sizeof(table) / sizeof((table)[0]))])

static uint64_t gen_size(uint64_t *rng)
{
	return chance(rng, 70) ? (1 + below(rng, 16)) * PG : PICK(rng, sizes);
}

static uint64_t gen_offset(uint64_t *rng)
{
	return chance(rng, 60) ? below(rng, 16) * PG : PICK(rng, offsets);
}

static uint64_t gen_length(uint64_t *rng)
{
	return chance(rng, 70) ? (1 + below(rng, 8)) * PG : PICK(rng, sizes);
}

static uint64_t gen_rights(uint64_t *rng)
{
	static const uint64_t odd[] = { 0, 0x20, RATMEM_RIGHTS_ALL + 1, 0x80000000U, ~0U };

	if (chance(rng, 5))
		return PICK(rng, odd);
	/* MAP nearly always, or little can be reached. */
	return (below(rng, RATMEM_RIGHTS_ALL + 1) | (chance(rng, 85) ? RATMEM_RIGHT_MAP : 0));
}

static uint64_t gen_flags(uint64_t *rng, uint64_t valid)
{
	if (chance(rng, 5))
		return 1ULL << below(rng, 32);
	return below(rng, valid + 1) & valid;
}

static uint64_t gen_slot(uint64_t *rng)
{
	static const uint64_t raw[] = { 0, 1, 2, 100, 0xffffffffULL };

	if (chance(rng, 5))
		return RAW | PICK(rng, raw);
	return chance(rng, 60) ? 0 : below(rng, FZ_SLOTS);
}

static uint64_t gen_cap(uint64_t *rng)
{
	if (chance(rng, 5))
		return RAW | fz_rand(rng);
	return chance(rng, 60) ? 0 : below(rng, FZ_SLOTS);
}

static uint64_t gen_prot(uint64_t *rng)
{
	return below(rng, 8) & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

static void gen_args(unsigned int kind, uint64_t *a, uint64_t *rng)
{
	static const uint64_t nodes[] = { (uint64_t)-1, 0, 1, (uint64_t)-2, 1U << 20 };
	static const uint64_t shifts[] = { 0, RATMEM_PAGE_SHIFT_4K, 13, 21 };
	static const uint64_t modes[] = { 0600, 0644, 0666, 0, 04777 };

	memset(a, 0, FZ_NARGS * sizeof(*a));
	switch (kind) {
	case FZ_CREATE:
		a[0] = gen_size(rng);
		a[1] = gen_flags(rng, RATMEM_CREATE_FLAGS);
		a[2] = gen_rights(rng);
		a[3] = chance(rng, 85) ? (uint64_t)-1 : PICK(rng, nodes);
		a[4] = chance(rng, 85) ? 0 : PICK(rng, shifts);
		break;
	case FZ_NAMED:
		a[0] = below(rng, 7);
		a[1] = gen_size(rng);
		a[2] = gen_flags(rng, RATMEM_NAMED_CREATE_FLAGS);
		a[3] = gen_rights(rng);
		a[4] = PICK(rng, modes);
		break;
	case FZ_OPEN:
		a[0] = below(rng, 7);
		a[1] = gen_rights(rng);
		break;
	case FZ_UNLINK:
		a[0] = below(rng, 7);
		a[1] = gen_flags(rng, RATMEM_UNLINK_REVOKE);
		break;
	case FZ_QUERY:
	case FZ_CLOSE:
		a[0] = gen_slot(rng);
		break;
	case FZ_DUP:
		a[0] = gen_slot(rng);
		a[1] = gen_rights(rng);
		break;
	case FZ_COMMIT:
	case FZ_DECOMMIT:
		a[0] = gen_slot(rng);
		a[1] = gen_offset(rng);
		a[2] = gen_length(rng);
		break;
	case FZ_MMAP:
		a[0] = gen_slot(rng);
		a[1] = gen_offset(rng);
		a[2] = gen_length(rng);
		a[3] = gen_prot(rng);
		break;
	case FZ_MUNMAP:
	case FZ_RACE:
	case FZ_FORK:
		a[0] = below(rng, FZ_SLOTS);
		break;
	case FZ_MPROTECT:
		a[0] = below(rng, FZ_SLOTS);
		a[1] = gen_prot(rng);
		break;
	case FZ_TOUCH:
		a[0] = below(rng, FZ_SLOTS);
		a[1] = gen_offset(rng);
		a[2] = below(rng, 2);
		break;
	case FZ_GRANT:
		a[0] = gen_slot(rng);
		a[1] = gen_rights(rng);
		/* Now and then a lease that ends within the program (0-2 ms). */
		a[2] = chance(rng, 25) ? below(rng, 2000) * 1000 + 1 : 0;
		/* Now and then GRANT_RANGE: offset and length in pages, 0-7 each. */
		a[3] = chance(rng, 30) ? below(rng, 8) << 8 | below(rng, 8) : 0;
		break;
	case FZ_LEASE:
		a[0] = gen_slot(rng);
		a[1] = gen_cap(rng);
		a[2] = chance(rng, 50) ? 0 : below(rng, 2000) * 1000 + 1;
		break;
	case FZ_ACCEPT:
		a[0] = gen_cap(rng);
		break;
	case FZ_REVOKE:
		a[0] = gen_slot(rng);
		a[1] = gen_cap(rng);
		/* Now and then a deadline within the program (0-2 ms), waited for or not. */
		a[2] = chance(rng, 30) ? below(rng, 2000) * 1000 + 1 : 0;
		a[3] = chance(rng, 50) ? RATMEM_REVOKE_WAIT : 0;
		break;
	case FZ_NOTICES:
		/* 1 to 4 records; now and then 0 or one past the most (EINVAL). */
		a[0] = chance(rng, 90) ? below(rng, 4) + 1 :
		       chance(rng, 50) ? 0 : RATMEM_NOTICES_MAX + 1;
		break;
	case FZ_WAIT:
		a[0] = gen_slot(rng);
		a[1] = chance(rng, 70) ? below(rng, 4) * 4 : gen_offset(rng);
		a[2] = below(rng, 2);
		break;
	case FZ_WAKE:
		a[0] = gen_slot(rng);
		a[1] = chance(rng, 70) ? below(rng, 4) * 4 : gen_offset(rng);
		a[2] = below(rng, 3);
		break;
	case FZ_POPULATE:
		a[0] = below(rng, FZ_SLOTS);
		a[1] = gen_offset(rng);
		a[2] = gen_length(rng);
		break;
	case FZ_POLICY: {
		static const uint64_t masks[] = { 0, 1, 2, 3, 1ULL << 63, ~0ULL };

		a[0] = gen_slot(rng);
		a[1] = below(rng, RATMEM_POLICY_MAX + 2);
		a[2] = PICK(rng, masks);
		break;
	}
	case FZ_MIGRATE:
		a[0] = gen_slot(rng);
		a[1] = chance(rng, 50) ? 0 : gen_offset(rng);
		a[2] = gen_length(rng);
		/* Nodes 0, 1 (on the two-node guests) and 2 (offline); lazy or not. */
		a[3] = below(rng, 3) | (chance(rng, 50) ? RATMEM_MIGRATE_LAZY << 8 : 0) |
		       (chance(rng, 5) ? 0x80U << 8 : 0);
		break;
	case FZ_SEAL:
		/* Mostly one seal; now and then all, or an unknown bit. */
		a[0] = gen_slot(rng);
		a[1] = chance(rng, 80) ? 1U << below(rng, 5) :
		       chance(rng, 50) ? RATMEM_SEALS_ALL : RATMEM_SEALS_ALL + 1;
		break;
	case FZ_QUOTA:
		a[0] = below(rng, RATMEM_RES_COUNT + 1);
		a[1] = chance(rng, 50) ? below(rng, 8) * PG : PICK(rng, sizes);
		break;
	}
}

/* Kinds, weighted: the calls that make state come up more often. */
static unsigned int gen_kind(uint64_t *rng)
{
	static const unsigned char weighted[] = {
		FZ_CREATE, FZ_CREATE, FZ_NAMED, FZ_OPEN, FZ_UNLINK, FZ_QUERY, FZ_DUP,
		FZ_CLOSE, FZ_COMMIT, FZ_COMMIT, FZ_DECOMMIT, FZ_MMAP, FZ_MMAP, FZ_MMAP,
		FZ_MUNMAP, FZ_MPROTECT, FZ_TOUCH, FZ_TOUCH, FZ_TOUCH, FZ_GRANT, FZ_GRANT,
		FZ_ACCEPT, FZ_ACCEPT, FZ_REVOKE, FZ_REVOKE, FZ_WAIT, FZ_WAKE, FZ_QUOTA,
		FZ_POPULATE, FZ_RACE, FZ_FORK, FZ_RESTART, FZ_POLICY, FZ_MIGRATE, FZ_MIGRATE,
		FZ_SEAL, FZ_LEASE, FZ_NOTICES,
	};

	return PICK(rng, weighted);
}

static void gen_op(struct fz_op *op, uint64_t *rng)
{
	op->kind = gen_kind(rng);
	op->proc = below(rng, 2);
	gen_args(op->kind, op->arg, rng);
}

static void put(struct fz_prog *p, unsigned int proc, unsigned int kind, uint64_t a0,
		uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct fz_op *op = &p->op[p->n++];

	*op = (struct fz_op){ .proc = proc, .kind = kind, .arg = { a0, a1, a2, a3 } };
}

/**
 * fz_generate() - a new random program
 * @p: out
 * @rng: the generator's state
 *
 * Half of them begin by sharing a committed, mapped region with the peer,
 * so that revocation, faults and races are reached at once.
 */
void fz_generate(struct fz_prog *p, uint64_t *rng)
{
	unsigned int extra = 3 + below(rng, 14);

	p->n = 0;
	if (chance(rng, 50)) {
		put(p, 0, FZ_CREATE, 16 * PG, RATMEM_CREATE_COMMIT,
		    RATMEM_RIGHTS_ALL & ~RATMEM_RIGHT_EXEC, (uint64_t)-1);
		put(p, 0, FZ_MMAP, 0, 0, 16 * PG, PROT_READ | PROT_WRITE);
		put(p, 0, FZ_GRANT, 0, RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP, 0, 0);
		put(p, 1, FZ_ACCEPT, 0, 0, 0, 0);
		put(p, 1, FZ_MMAP, 0, 0, 16 * PG, PROT_READ | PROT_WRITE);
	}
	while (extra-- && p->n < FZ_MAX_OPS)
		gen_op(&p->op[p->n++], rng);
}

/**
 * fz_mutate() - change a program a little
 * @p: the program, changed in place
 * @other: another program of the corpus, for splicing
 * @rng: the generator's state
 */
void fz_mutate(struct fz_prog *p, const struct fz_prog *other, uint64_t *rng)
{
	unsigned int rounds = 1 + below(rng, 3), i, k;
	uint64_t fresh[FZ_NARGS];

	while (rounds--) {
		switch (below(rng, 6)) {
		case 0:	/* insert a call */
			if (p->n >= FZ_MAX_OPS)
				break;
			i = below(rng, p->n + 1);
			memmove(&p->op[i + 1], &p->op[i], (p->n - i) * sizeof(p->op[0]));
			gen_op(&p->op[i], rng);
			p->n++;
			break;
		case 1:	/* remove a call */
			if (p->n <= 1)
				break;
			i = below(rng, p->n);
			memmove(&p->op[i], &p->op[i + 1], (p->n - i - 1) * sizeof(p->op[0]));
			p->n--;
			break;
		case 2:	/* the other process makes the call */
			if (p->n)
				p->op[below(rng, p->n)].proc ^= 1;
			break;
		case 3:	/* splice: our head, the other's tail */
			if (!other || !other->n)
				break;
			i = below(rng, p->n + 1);
			k = below(rng, other->n);
			while (i < FZ_MAX_OPS && k < other->n)
				p->op[i++] = other->op[k++];
			p->n = i;
			break;
		default: /* one argument, new */
			if (!p->n)
				break;
			i = below(rng, p->n);
			gen_args(p->op[i].kind, fresh, rng);
			k = below(rng, FZ_NARGS);
			p->op[i].arg[k] = chance(rng, 20) ? p->op[i].arg[k] ^ (1ULL << below(rng, 64)) :
							    fresh[k];
			break;
		}
	}
	if (!p->n)
		fz_generate(p, rng);
}

const char *fz_kind_name(unsigned int kind)
{
	return kind < FZ_NKINDS ? kind_names[kind] : "?";
}

/* One call per line: "<process> <call> <arg>..." in hex. */
void fz_write(FILE *f, const struct fz_prog *p)
{
	for (unsigned int i = 0; i < p->n; i++) {
		const struct fz_op *op = &p->op[i];

		fprintf(f, "%u %s", op->proc, fz_kind_name(op->kind));
		for (int k = 0; k < FZ_NARGS; k++)
			fprintf(f, " %#llx", (unsigned long long)op->arg[k]);
		fputc('\n', f);
	}
}

/* Parse fz_write()'s form; '#' starts a comment. 0, or -1 when malformed. */
int fz_parse(const char *text, struct fz_prog *p)
{
	const char *line = text;

	p->n = 0;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512], name[32];
		unsigned long long a[FZ_NARGS] = { 0 };
		unsigned int proc, kind;
		int got;

		if (len >= sizeof(buf))
			return -1;
		memcpy(buf, line, len);
		buf[len] = 0;
		line += len + (end ? 1 : 0);
		if (strchr(buf, '#'))
			*strchr(buf, '#') = 0;
		got = sscanf(buf, "%u %31s %llx %llx %llx %llx %llx", &proc, name, &a[0], &a[1],
			     &a[2], &a[3], &a[4]);
		if (got <= 0)
			continue;
		if (got < 2 || proc > 1 || p->n >= FZ_MAX_OPS)
			return -1;
		for (kind = 0; kind < FZ_NKINDS; kind++)
			if (!strcmp(name, kind_names[kind]))
				break;
		if (kind == FZ_NKINDS)
			return -1;
		p->op[p->n].proc = proc;
		p->op[p->n].kind = kind;
		for (int k = 0; k < FZ_NARGS; k++)
			p->op[p->n].arg[k] = a[k];
		p->n++;
	}
	return p->n ? 0 : -1;
}
