// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: a seeded multi-process stress of the uapi with an oracle.
 *
 * NPROC processes, each with a reader thread, run a random mix of every
 * operation: create and free regions, commit, decommit, write and read
 * their own pages, grant them to another process, accept, read what was
 * granted, revoke, and calls that must fail with a given errno. A board
 * in shared memory is the model: for each page whether it is committed
 * and which version of its pattern the owner wrote last, and for each
 * grant its state. Each word of a page holds its region's tag and the
 * version written, so a reader can tell a legitimate value from stale or
 * foreign data. Every access is judged:
 * - the owner's own reads are exact, and fault exactly on uncommitted
 *   pages;
 * - a grantee's read sees only zero or the owner's pattern of a version
 *   already published; it may fault only if the page was not committed
 *   throughout (a sequence count brackets each commit and decommit) or
 *   the grant was being revoked (marked before REVOKE is called);
 * - once REVOKE has returned, the grantee's mapping must fault and its
 *   handle answer ENOLINK.
 * At the end each owner's usage (QUOTA) must equal the model's, and
 * every module counter must be back where it started.
 *
 * RATMEM_STRESS_OPS (default 100000) sets the total number of
 * operations, RATMEM_STRESS_SEED (default 1) the seed: a failure prints
 * both, and the same pair replays the same choices (the interleaving of
 * processes differs from run to run; the oracle holds for any).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "rat.h"
#include "harness.h"
#include "mem.h"
#include "share.h"
#include "util.h"

#define NPROC		4
#define SLOTS		4		/* regions per process */
#define MAXPG		8		/* pages per region */
#define NGRANTS		32
#define WORDS		(PG / sizeof(uint64_t))

enum { G_EMPTY, G_OFFERED, G_ACCEPTED, G_REVOKING, G_REVOKED };

struct page_model {
	_Atomic uint32_t seq;		/* odd while a commit or decommit runs */
	_Atomic uint32_t committed;
	_Atomic uint64_t version;	/* last pattern published; 0: none since commit */
};

struct region_model {
	_Atomic uint32_t live;
	_Atomic uint32_t tag;		/* changes with each region in the slot */
	uint32_t npages;
	struct page_model pg[MAXPG];
};

struct grant_model {
	_Atomic int state;
	int owner, grantee, slot;	/* slot: the owner's region slot */
	_Atomic uint64_t cap;
};

struct board {
	pid_t pid[NPROC];
	pthread_barrier_t barrier;
	struct region_model reg[NPROC][SLOTS];
	struct grant_model grant[NGRANTS];
	_Atomic uint64_t ops_done;
};

/* What a process knows of its own regions and of what it accepted. */
struct mine {
	uint32_t handle;
	unsigned char *map;
	uint64_t written[MAXPG];	/* version in each page; 0: zero */
};

struct held {
	int used;
	uint32_t handle;
	unsigned char *map;
	uint32_t npages;
};

static struct board *B;
static int me, ctx_fd;
static uint64_t seed, ops_total;
static struct mine own[SLOTS];
static struct held held[NGRANTS];
static int pidfds[NPROC];
static pthread_mutex_t plock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stop_reader;

static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "# stress: process %d (seed %llu, ops %llu): ", me,
		(unsigned long long)seed, (unsigned long long)ops_total);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	fault_armed = 0;
	siglongjmp(fault_jmp, 1);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t word_of(uint32_t tag, uint64_t version)
{
	return (uint64_t)tag << 40 | version;
}

/* What read_page() found wrong: the first refused word and its index. */
struct bad_word {
	size_t at;
	uint64_t word;
};

/* Read a page word by word: -1 on a fault, 1 (and *bad) when accept()
 * refuses a word, else 0. */
static int read_page(const unsigned char *p, int (*accept)(uint64_t w, const void *arg),
		     const void *arg, struct bad_word *bad)
{
	const volatile uint64_t *w = (const volatile uint64_t *)p;

	if (sigsetjmp(fault_jmp, 1))
		return -1;
	fault_armed = 1;
	for (size_t i = 0; i < WORDS; i++) {
		uint64_t v = w[i];

		if (!accept(v, arg)) {
			fault_armed = 0;
			*bad = (struct bad_word){ i, v };
			return 1;
		}
	}
	fault_armed = 0;
	return 0;
}

struct exact {
	uint64_t want;
};

static int is_exact(uint64_t w, const void *arg)
{
	return w == ((const struct exact *)arg)->want;
}

/* Zero, or the region's pattern; records the newest version seen. */
struct legit {
	uint32_t tag;
	uint64_t seen;
};

static int is_legit(uint64_t w, const void *arg)
{
	struct legit *l = (struct legit *)arg;
	uint64_t v = w & ((1ULL << 40) - 1);

	if (w == 0)
		return 1;
	if (w >> 40 != l->tag)
		return 0;
	if (v > l->seen)
		l->seen = v;
	return 1;
}

static int ioc(unsigned long cmd, void *arg)
{
	return ioctl(ctx_fd, cmd, arg) ? -errno : 0;
}

#define EXPECT_RET(expr, want)						\
	do {								\
		int r_ = (expr);					\
		if (r_ != (want))					\
			die("%s:%d: %s = %d, expected %d", __FILE__, __LINE__, #expr, r_, (want)); \
	} while (0)

/* ---- the owner's operations ------------------------------------------- */

static int free_slot(uint64_t *s)
{
	int i = (int)(rnd(s) % SLOTS);

	return atomic_load(&B->reg[me][i].live) ? -1 : i;
}

static int live_slot(uint64_t *s)
{
	int i = (int)(rnd(s) % SLOTS);

	return atomic_load(&B->reg[me][i].live) ? i : -1;
}

static void op_create(uint64_t *s)
{
	int i = free_slot(s);
	struct region_model *r;
	struct ratmem_create c = { .rights = RATMEM_RIGHTS_ALL, .numa_node = -1 };
	void *map;

	if (i < 0)
		return;
	r = &B->reg[me][i];
	r->npages = 1 + (uint32_t)(rnd(s) % MAXPG);
	c.size = r->npages * PG;
	EXPECT_RET(ioc(RATMEM_IOC_CREATE, &c), 0);
	map = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, ctx_fd,
		   RATMEM_MMAP_OFFSET(c.handle));
	if (map == MAP_FAILED)
		die("mmap of a new region: %s", strerror(errno));
	own[i].handle = c.handle;
	own[i].map = map;
	memset(own[i].written, 0, sizeof(own[i].written));
	for (uint32_t p = 0; p < r->npages; p++) {
		atomic_store(&r->pg[p].committed, 0);
		atomic_store(&r->pg[p].version, 0);
	}
	atomic_fetch_add(&r->tag, 1);
	atomic_store(&r->live, 1);
}

/* A page range [first, first + n) of a live slot. */
static void range(uint64_t *s, const struct region_model *r, uint32_t *first, uint32_t *n)
{
	*first = (uint32_t)(rnd(s) % r->npages);
	*n = 1 + (uint32_t)(rnd(s) % (r->npages - *first));
}

static void op_commit(uint64_t *s, int commit)
{
	int i = live_slot(s);
	struct region_model *r;
	uint32_t first, n;

	if (i < 0)
		return;
	r = &B->reg[me][i];
	range(s, r, &first, &n);
	for (uint32_t p = first; p < first + n; p++)
		atomic_fetch_add(&r->pg[p].seq, 1);
	if (commit)
		EXPECT_RET(rt_commit(ctx_fd, own[i].handle, first * PG, n * PG), 0);
	else
		EXPECT_RET(rt_decommit(ctx_fd, own[i].handle, first * PG, n * PG), 0);
	for (uint32_t p = first; p < first + n; p++) {
		/* Newly committed pages read as zero; decommitted ones lose their data. */
		if (!commit || !atomic_load(&r->pg[p].committed)) {
			own[i].written[p] = 0;
			atomic_store(&r->pg[p].version, 0);
		}
		atomic_store(&r->pg[p].committed, (uint32_t)commit);
		atomic_fetch_add(&r->pg[p].seq, 1);
	}
}

static void op_write(uint64_t *s)
{
	int i = live_slot(s);
	struct region_model *r;
	uint64_t *w, v;
	uint32_t p;

	if (i < 0)
		return;
	r = &B->reg[me][i];
	p = (uint32_t)(rnd(s) % r->npages);
	if (!atomic_load(&r->pg[p].committed))
		return;
	/* Published before it is written, so a reader never sees it early. */
	v = atomic_fetch_add(&r->pg[p].version, 1) + 1;
	w = (uint64_t *)(own[i].map + p * PG);
	for (size_t k = 0; k < WORDS; k++)
		w[k] = word_of(atomic_load(&r->tag), v);
	own[i].written[p] = v;
}

static void op_read_own(uint64_t *s)
{
	int i = live_slot(s), got;
	struct region_model *r;
	struct exact e;
	struct bad_word bad = { 0, 0 };
	uint32_t p;

	if (i < 0)
		return;
	r = &B->reg[me][i];
	p = (uint32_t)(rnd(s) % r->npages);
	e.want = own[i].written[p] ? word_of(atomic_load(&r->tag), own[i].written[p]) : 0;
	got = read_page(own[i].map + p * PG, is_exact, &e, &bad);
	if (atomic_load(&r->pg[p].committed)) {
		if (got < 0)
			die("own committed page %u of slot %d faulted", p, i);
		if (got > 0)
			die("own page %u of slot %d: word %zu is %#llx, not %#llx", p, i, bad.at,
			    (unsigned long long)bad.word, (unsigned long long)e.want);
	} else if (got >= 0) {
		die("own uncommitted page %u of slot %d did not fault", p, i);
	}
}

static int grants_of(int i)
{
	int n = 0;

	for (int g = 0; g < NGRANTS; g++) {
		struct grant_model *gm = &B->grant[g];
		int st = atomic_load(&gm->state);

		if (st != G_EMPTY && gm->owner == me && gm->slot == i)
			n++;
	}
	return n;
}

static void op_free(uint64_t *s)
{
	int i = live_slot(s);
	struct region_model *r;

	if (i < 0 || grants_of(i))
		return;
	r = &B->reg[me][i];
	if (munmap(own[i].map, r->npages * PG))
		die("munmap: %s", strerror(errno));
	EXPECT_RET(rat_close_handle(ctx_fd, own[i].handle), 0);
	atomic_store(&r->live, 0);
}

static void op_grant(uint64_t *s)
{
	int i = live_slot(s), to = (int)(rnd(s) % NPROC);
	uint64_t cap = 0;

	if (i < 0 || to == me)
		return;
	for (int g = 0; g < NGRANTS; g++) {
		struct grant_model *gm = &B->grant[g];
		int empty = G_EMPTY;

		if (atomic_load(&gm->state) != G_EMPTY)
			continue;
		/* Claimed as OFFERED with no capability yet: nobody accepts it. */
		if (!atomic_compare_exchange_strong(&gm->state, &empty, G_OFFERED))
			continue;
		gm->owner = me;
		gm->grantee = to;
		gm->slot = i;
		EXPECT_RET(rt_grant(ctx_fd, own[i].handle, RT_RM, pidfds[to], &cap), 0);
		atomic_store(&gm->cap, cap);
		return;
	}
}

/*
 * Revoke grant g made by this process: an accepted one, or at the end
 * (offered too) an offered one. While the run goes on, an offered grant
 * is left to its grantee, so that every slot is emptied by the grantee
 * that reaps it.
 */
static void revoke_one(int g, int offered_too)
{
	struct grant_model *gm = &B->grant[g];
	int st = atomic_load(&gm->state);

	if (gm->owner != me || !atomic_load(&gm->cap) ||
	    (st != G_ACCEPTED && !(offered_too && st == G_OFFERED)))
		return;
	if (!atomic_compare_exchange_strong(&gm->state, &st, G_REVOKING))
		return;
	EXPECT_RET(rt_revoke(ctx_fd, own[gm->slot].handle, atomic_load(&gm->cap)), 0);
	/* Again: it is gone, and ENOENT only once complete. */
	EXPECT_RET(rt_revoke(ctx_fd, own[gm->slot].handle, atomic_load(&gm->cap)), -ENOENT);
	atomic_store(&gm->state, G_REVOKED);
}

static void op_revoke(uint64_t *s)
{
	revoke_one((int)(rnd(s) % NGRANTS), 0);
}

static void op_bad_call(uint64_t *s)
{
	struct ratmem_query q = { .handle = 0xfffff };
	struct ratmem_accept a = { .cap_id = 0xdead0000beef0000ULL + rnd(s) % 1000 };
	int i = live_slot(s);

	switch (rnd(s) % 4) {
	case 0:
		EXPECT_RET(ioc(RATMEM_IOC_QUERY, &q), -EBADF);
		break;
	case 1:
		EXPECT_RET(ioc(RATMEM_IOC_ACCEPT, &a), -ENOENT);
		break;
	case 2:
		if (i >= 0)
			EXPECT_RET(rt_commit(ctx_fd, own[i].handle, B->reg[me][i].npages * PG, PG),
				   -EINVAL);
		break;
	default:
		if (i >= 0)
			EXPECT_RET(rt_commit(ctx_fd, own[i].handle, 1, PG), -EINVAL);
		break;
	}
}

/* ---- the grantee's side ------------------------------------------------ */

/* Accept what was offered to this process. */
static void accept_offers(void)
{
	for (int g = 0; g < NGRANTS; g++) {
		struct grant_model *gm = &B->grant[g];
		struct ratmem_accept a = { 0 };
		uint64_t cap = atomic_load(&gm->cap);
		int st = G_OFFERED, r;
		void *map;

		if (atomic_load(&gm->state) != G_OFFERED || gm->grantee != me || !cap || held[g].used)
			continue;
		/* Offered grants are revoked only at the end: both must work. */
		r = rt_accept(ctx_fd, cap, &a);
		if (r)
			die("ACCEPT of an offered grant: %d", r);
		map = mmap(NULL, B->reg[gm->owner][gm->slot].npages * PG, PROT_READ, MAP_SHARED,
			   ctx_fd, RATMEM_MMAP_OFFSET(a.handle));
		if (map == MAP_FAILED)
			die("mmap of an accepted grant: %s", strerror(errno));
		pthread_mutex_lock(&plock);
		held[g] = (struct held){ 1, a.handle, map, B->reg[gm->owner][gm->slot].npages };
		pthread_mutex_unlock(&plock);
		if (!atomic_compare_exchange_strong(&gm->state, &st, G_ACCEPTED))
			die("grant %d left OFFERED while being accepted", g);
	}
}

/* Read one page of a held grant and judge it. Called with plock held. */
static void read_held(int g, uint32_t p)
{
	struct grant_model *gm = &B->grant[g];
	struct region_model *r = &B->reg[gm->owner][gm->slot];
	struct page_model *pm = &r->pg[p];
	uint32_t q1 = atomic_load(&pm->seq), c1 = atomic_load(&pm->committed);
	struct legit l = { atomic_load(&r->tag), 0 };
	int st1 = atomic_load(&gm->state), got, st2;
	struct bad_word bad = { 0, 0 };

	got = read_page(held[g].map + p * PG, is_legit, &l, &bad);
	st2 = atomic_load(&gm->state);
	if (got < 0) {
		if (st1 >= G_REVOKED)
			return;		/* as it must */
		if (st2 >= G_REVOKING || q1 % 2 || q1 != atomic_load(&pm->seq) || !c1)
			return;
		die("grant %d (from %d) page %u faulted while committed and not revoked", g,
		    gm->owner, p);
	}
	if (st1 >= G_REVOKED)
		die("grant %d page %u readable after REVOKE returned", g, p);
	if (got > 0)
		die("grant %d (from %d) page %u: foreign word %#llx at %zu", g, gm->owner, p,
		    (unsigned long long)bad.word, bad.at);
	/* No word newer than what the owner had published by the time it
	 * was read (a decommit in between resets the count, and the seq). */
	if (l.seen > atomic_load(&pm->version) && atomic_load(&pm->seq) == q1)
		die("grant %d page %u: version %llu beyond the published %llu", g, p,
		    (unsigned long long)l.seen, (unsigned long long)atomic_load(&pm->version));
}

/* Drop a held grant that its owner revoked: it must be dead everywhere. */
static void reap_revoked(int g)
{
	struct ratmem_query q = { .handle = held[g].handle };
	struct bad_word bad;
	struct legit l = { 0, 0 };

	if (read_page(held[g].map, is_legit, &l, &bad) != -1)
		die("grant %d still mapped after REVOKE returned", g);
	EXPECT_RET(ioc(RATMEM_IOC_QUERY, &q), -ENOLINK);
	if (munmap(held[g].map, held[g].npages * PG))
		die("munmap: %s", strerror(errno));
	EXPECT_RET(rat_close_handle(ctx_fd, held[g].handle), 0);
	held[g].used = 0;
	atomic_store(&B->grant[g].cap, 0);
	atomic_store(&B->grant[g].state, G_EMPTY);
}

static void grantee_step(uint64_t *s)
{
	int g = (int)(rnd(s) % NGRANTS);

	pthread_mutex_lock(&plock);
	if (held[g].used) {
		if (atomic_load(&B->grant[g].state) == G_REVOKED)
			reap_revoked(g);
		else
			read_held(g, (uint32_t)(rnd(s) % held[g].npages));
	}
	pthread_mutex_unlock(&plock);
}

static void *reader(void *arg)
{
	uint64_t s = seed * 7919 + (uint64_t)me * 104729 + 3;

	(void)arg;
	while (!atomic_load(&stop_reader))
		grantee_step(&s);
	return NULL;
}

/* ---- one process ---------------------------------------------------------- */

static void run_process(int id, uint64_t ops)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	uint64_t s = seed * 2654435761ULL + (uint64_t)id * 40503 + 1;
	struct ratmem_quota q;
	uint64_t reserved = 0, committed = 0;
	pthread_t t;

	me = id;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	ctx_fd = rt_open_ctx();
	pthread_barrier_wait(&B->barrier);
	for (int p = 0; p < NPROC; p++)
		pidfds[p] = p == me ? -1 : (int)syscall(SYS_pidfd_open, B->pid[p], 0);
	if (pthread_create(&t, NULL, reader, NULL))
		die("pthread_create");
	for (uint64_t n = 0; n < ops; n++) {
		uint64_t dice = rnd(&s) % 100;

		accept_offers();
		if (dice < 8)
			op_create(&s);
		else if (dice < 11)
			op_free(&s);
		else if (dice < 23)
			op_commit(&s, 1);
		else if (dice < 31)
			op_commit(&s, 0);
		else if (dice < 46)
			op_write(&s);
		else if (dice < 56)
			op_read_own(&s);
		else if (dice < 64)
			op_grant(&s);
		else if (dice < 70)
			op_revoke(&s);
		else if (dice < 93)
			grantee_step(&s);
		else
			op_bad_call(&s);
		atomic_fetch_add(&B->ops_done, 1);
	}
	atomic_store(&stop_reader, 1);
	pthread_join(t, NULL);

	/* The end: revoke everything, let the grantees see it, then count. */
	pthread_barrier_wait(&B->barrier);
	for (int g = 0; g < NGRANTS; g++)
		revoke_one(g, 1);
	pthread_barrier_wait(&B->barrier);
	for (int g = 0; g < NGRANTS; g++) {
		if (!held[g].used)
			continue;
		if (atomic_load(&B->grant[g].state) != G_REVOKED)
			die("grant %d held but not revoked at the end", g);
		reap_revoked(g);
	}
	pthread_barrier_wait(&B->barrier);
	for (int i = 0; i < SLOTS; i++) {
		struct region_model *r = &B->reg[me][i];

		if (!atomic_load(&r->live))
			continue;
		reserved += r->npages * PG;
		for (uint32_t p = 0; p < r->npages; p++)
			committed += atomic_load(&r->pg[p].committed) * PG;
	}
	q = rt_quota_get(ctx_fd, -1);
	if (q.usage[RATMEM_RES_RESERVED] != reserved || q.usage[RATMEM_RES_COMMITTED] != committed)
		die("usage reserved %llu committed %llu, the model says %llu and %llu",
		    (unsigned long long)q.usage[RATMEM_RES_RESERVED],
		    (unsigned long long)q.usage[RATMEM_RES_COMMITTED],
		    (unsigned long long)reserved, (unsigned long long)committed);
	close(ctx_fd);
	_exit(0);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

TEST_TIMEOUT(stress_with_oracle, 1200)
{
	struct rt_counters before = rt_counters_now();
	pthread_barrierattr_t ba;
	struct timespec t0, t1;
	int failed = 0, status;
	double secs;

	int fd = rt_open_ctx();

	rt_need(fd, RATMEM_FEATURE_SHARING | RATMEM_FEATURE_QUOTA, 0);
	close(fd);
	seed = env_u64("RATMEM_STRESS_SEED", 1);
	ops_total = env_u64("RATMEM_STRESS_OPS", 100000);
	B = mmap(NULL, sizeof(*B), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(B != MAP_FAILED);
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&B->barrier, &ba, NPROC);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int p = 0; p < NPROC; p++) {
		pid_t pid = fork();

		ASSERT_TRUE(pid >= 0);
		if (pid == 0) {
			/* Wait until every pid is on the board. */
			while (!__atomic_load_n(&B->pid[NPROC - 1], __ATOMIC_ACQUIRE))
				usleep(1000);
			run_process(p, ops_total / NPROC);
		}
		__atomic_store_n(&B->pid[p], pid, __ATOMIC_RELEASE);
	}
	for (int p = 0; p < NPROC; p++) {
		ASSERT_EQ(waitpid(B->pid[p], &status, 0), B->pid[p]);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			rt_diag("process %d: %s", p, rt_status_str(status));
			failed = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	rt_diag("seed %llu: %llu operations in %.1f s, %.0f ops/s",
		(unsigned long long)seed, (unsigned long long)atomic_load(&B->ops_done), secs,
		(double)atomic_load(&B->ops_done) / secs);
	if (failed)
		rt_fail(__FILE__, __LINE__, "a process failed: replay with RATMEM_STRESS_SEED=%llu "
			"RATMEM_STRESS_OPS=%llu", (unsigned long long)seed,
			(unsigned long long)ops_total);
	ASSERT_EQ(atomic_load(&B->ops_done), ops_total / NPROC * NPROC);
	rt_counters_back(before);
}
