// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: accounting is exact (contract section 6). A randomized,
 * seeded sequence of create, commit, decommit, dup, close, map, unmap,
 * grant, accept, revoke, fork and exit runs across several agent
 * processes (agent.h). The test keeps its own model of every region,
 * capability, handle and mapping, derives from it what each process
 * should be charged, and after every step compares that with
 * RATMEM_IOC_QUOTA of every process (it runs as root, so it reads the
 * others' through pidfds) and with the module's counters.
 *
 * The model's rules (uapi/linux/ratmem.h):
 * - reserved: the sizes of the live regions a process created;
 *   committed: their committed pages, whoever committed them. A region
 *   lives while a handle, a mapping or an unrevoked grant refers to it.
 * - shared: the region size of each unrevoked grant it issued, plus
 *   that of each unrevoked grant it accepted.
 * - handles: its open handles, revoked ones included, until CLOSE or
 *   exit; grants: the unrevoked grants it issued.
 * - A process's exit closes its handles and mappings and revokes the
 *   grants it issued, with everything granted onward from them.
 * - Its quota exists while it is alive with a context, or while a
 *   region it created lives or a grant it made or accepted is
 *   unrevoked; otherwise QUOTA gives ESRCH.
 *
 * Set RT_SEED=<number> to replay a sequence; the seed is printed first.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#define ALL RATMEM_RIGHTS_ALL
#define NW 4			/* agents alive at any time */
#define STEPS 600
#define MAX_PAGES 8		/* region size, pages */
#define MAXP 64			/* processes over the whole run */
#define MAXR 512
#define MAXC 1024
#define MAXH 1024
#define MAXM 512
#define HANDLES_PER_PROC 24	/* beyond this, a process closes rather than makes */

enum cap_state { C_LIVE, C_PENDING, C_ACCEPTED, C_REVOKED };

struct proc {
	struct rt_peer peer;
	int pidfd;		/* kept after exit, to ask for the quota */
	pid_t pid;
	int alive;
	int gone;		/* dead and seen without a quota: never asked again */
};

struct region {
	int creator;
	unsigned int pages;
	uint64_t committed;	/* bit i: page i */
	int alive;
};

struct cap {
	int region, parent, issuer, target;
	int grant;		/* 0: the region's owner capability */
	enum cap_state state;
	uint32_t rights;
	uint64_t id;
};

struct handle {
	int proc, cap, alive;
	uint32_t num, rights;
};

struct map {
	int proc, cap, alive;
	uint64_t addr, len;
};

static struct model {
	struct proc p[MAXP];
	struct region r[MAXR];
	struct cap c[MAXC];
	struct handle h[MAXH];
	struct map m[MAXM];
	int np, nr, nc, nh, nm;
	int slot[NW];		/* the process in each agent slot */
	int fd;			/* the test's context, for QUOTA */
	uint32_t rng;
	struct rt_counters before;
} M;

static uint32_t rnd(uint32_t n)
{
	return n ? rt_rand(&M.rng) % n : 0;
}

static int pick(const int *v, int n)
{
	return n ? v[rnd((uint32_t)n)] : -1;
}

static int cap_revoked(int c)
{
	return M.c[c].state == C_REVOKED;
}

/* Revoke @c and, by cascade, every capability below it. */
static void model_revoke(int c)
{
	M.c[c].state = C_REVOKED;
	/* Children are made after their parent: one pass suffices. */
	for (int i = c + 1; i < M.nc; i++)
		if (M.c[i].parent >= 0 && cap_revoked(M.c[i].parent))
			M.c[i].state = C_REVOKED;
}

/*
 * A region ends with its last handle, mapping and unrevoked grant; its
 * memory (committed pages and their charge) already goes when only
 * revoked ones are left.
 */
static void model_settle(void)
{
	for (int r = 0; r < M.nr; r++) {
		int refs = 0, live = 0;

		if (!M.r[r].alive)
			continue;
		for (int i = 0; i < M.nh; i++) {
			if (M.h[i].alive && M.c[M.h[i].cap].region == r) {
				refs = 1;
				live |= !cap_revoked(M.h[i].cap);
			}
		}
		for (int i = 0; i < M.nm; i++) {
			if (M.m[i].alive && M.c[M.m[i].cap].region == r) {
				refs = 1;
				live |= !cap_revoked(M.m[i].cap);
			}
		}
		for (int i = 0; i < M.nc; i++) {
			if (M.c[i].grant && M.c[i].region == r && !cap_revoked(i)) {
				refs = 1;
				live = 1;
			}
		}
		if (!live)
			M.r[r].committed = 0;
		if (!refs)
			M.r[r].alive = 0;
	}
}

static void model_usage(int p, uint64_t u[RATMEM_RES_COUNT])
{
	memset(u, 0, sizeof(uint64_t) * RATMEM_RES_COUNT);
	for (int r = 0; r < M.nr; r++)
		if (M.r[r].alive && M.r[r].creator == p) {
			u[RATMEM_RES_RESERVED] += M.r[r].pages * PG;
			u[RATMEM_RES_COMMITTED] += __builtin_popcountll(M.r[r].committed) * PG;
		}
	for (int i = 0; i < M.nc; i++) {
		const struct cap *c = &M.c[i];

		if (!c->grant || c->state == C_REVOKED)
			continue;
		if (c->issuer == p) {
			u[RATMEM_RES_SHARED] += M.r[c->region].pages * PG;
			u[RATMEM_RES_GRANTS]++;
		}
		if (c->state == C_ACCEPTED && c->target == p)
			u[RATMEM_RES_SHARED] += M.r[c->region].pages * PG;
	}
	for (int i = 0; i < M.nh; i++)
		if (M.h[i].alive && M.h[i].proc == p)
			u[RATMEM_RES_HANDLES]++;
}

/* Live capability objects made by GRANT, as RATMEM_IOC_STATS counts them. */
static uint64_t model_grant_objects(void)
{
	static unsigned char held[MAXC];
	uint64_t n = 0;

	memset(held, 0, sizeof(held));
	for (int i = 0; i < M.nh; i++)
		if (M.h[i].alive)
			held[M.h[i].cap] = 1;
	for (int i = 0; i < M.nm; i++)
		if (M.m[i].alive)
			held[M.m[i].cap] = 1;
	/* Children come after parents: walking down, each child is final. */
	for (int i = M.nc - 1; i >= 0; i--) {
		if (M.c[i].grant && !cap_revoked(i))
			held[i] = 1;
		if (held[i] && M.c[i].parent >= 0)
			held[M.c[i].parent] = 1;
		if (held[i] && M.c[i].grant)
			n++;
	}
	return n;
}

static const char *const res_name[RATMEM_RES_COUNT] = {
	"reserved", "committed", "shared", "handles", "grants",
};

/* Extra objects of a forked child that the model does not hold. */
struct extra {
	uint64_t contexts, regions, handles;
};

static void check(int step, const char *what, struct extra x)
{
	struct rt_counters now;
	uint64_t regions = 0, handles = 0, maps = 0, alive = 0;

	for (int p = 0; p < M.np; p++) {
		struct proc *pr = &M.p[p];
		struct ratmem_quota q = { .pidfd = pr->pidfd };
		uint64_t u[RATMEM_RES_COUNT];
		int r;

		if (pr->gone)
			continue;
		model_usage(p, u);
		r = rt_quota(M.fd, &q);
		if (!pr->alive && !u[RATMEM_RES_RESERVED] && !u[RATMEM_RES_SHARED]) {
			/* No context, no region, no grant: no quota. */
			if (r != -ESRCH)
				rt_fail(__FILE__, __LINE__,
					"step %d (%s): exited process %d (pid %d): QUOTA %s, expected ESRCH",
					step, what, p, (int)pr->pid,
					r ? strerror(-r) : "succeeded");
			pr->gone = 1;
			close(pr->pidfd);
			continue;
		}
		if (r)
			rt_fail(__FILE__, __LINE__,
				"step %d (%s): process %d (pid %d%s): QUOTA: %s; its quota should live with reserved %llu committed %llu shared %llu handles %llu grants %llu",
				step, what, p, (int)pr->pid, pr->alive ? "" : ", exited",
				strerror(-r), (unsigned long long)u[0], (unsigned long long)u[1],
				(unsigned long long)u[2], (unsigned long long)u[3],
				(unsigned long long)u[4]);
		for (int res = 0; res < RATMEM_RES_COUNT; res++)
			if (q.usage[res] != u[res])
				rt_fail(__FILE__, __LINE__,
					"step %d (%s): process %d (pid %d%s): %s usage %llu, expected %llu",
					step, what, p, (int)pr->pid, pr->alive ? "" : ", exited",
					res_name[res], (unsigned long long)q.usage[res],
					(unsigned long long)u[res]);
	}
	{
		struct ratmem_quota self = rt_quota_get(M.fd, -1);

		for (int res = 0; res < RATMEM_RES_COUNT; res++)
			ASSERT_EQ(self.usage[res], 0);
	}
	for (int r = 0; r < M.nr; r++)
		regions += M.r[r].alive;
	for (int i = 0; i < M.nh; i++)
		handles += M.h[i].alive;
	for (int i = 0; i < M.nm; i++)
		maps += M.m[i].alive;
	for (int p = 0; p < M.np; p++)
		alive += M.p[p].alive;
	now = rt_counters_now();
	if (now.regions != M.before.regions + regions + x.regions ||
	    now.handles != M.before.handles + handles + x.handles ||
	    now.mappings != M.before.mappings + maps ||
	    now.grants != M.before.grants + model_grant_objects() ||
	    now.contexts != M.before.contexts + 1 + alive + x.contexts)
		rt_fail(__FILE__, __LINE__,
			"step %d (%s): counters regions %llu handles %llu mappings %llu grants %llu contexts %llu, expected %llu %llu %llu %llu %llu",
			step, what, (unsigned long long)now.regions,
			(unsigned long long)now.handles, (unsigned long long)now.mappings,
			(unsigned long long)now.grants, (unsigned long long)now.contexts,
			(unsigned long long)(M.before.regions + regions + x.regions),
			(unsigned long long)(M.before.handles + handles + x.handles),
			(unsigned long long)(M.before.mappings + maps),
			(unsigned long long)(M.before.grants + model_grant_objects()),
			(unsigned long long)(M.before.contexts + 1 + alive + x.contexts));
}

static int spawn(int slot)
{
	int p = M.np++;

	ASSERT_TRUE(p < MAXP);
	rt_agent_start(&M.p[p].peer);
	M.p[p].pidfd = dup(M.p[p].peer.pidfd);
	ASSERT_TRUE(M.p[p].pidfd >= 0);
	M.p[p].alive = 1;
	M.p[p].pid = M.p[p].peer.pid;
	M.slot[slot] = p;
	return p;
}

static int new_handle(int p, int cap, uint32_t num, uint32_t rights)
{
	int i = M.nh++;

	ASSERT_TRUE(i < MAXH);
	ASSERT_NE(num, 0);
	M.h[i] = (struct handle){ .proc = p, .cap = cap, .num = num, .rights = rights, .alive = 1 };
	return i;
}

static int live_handles(int p)
{
	int n = 0;

	for (int i = 0; i < M.nh; i++)
		n += M.h[i].alive && M.h[i].proc == p;
	return n;
}

/*
 * Alive, unrevoked handles of live processes (of @p only, unless -1)
 * that have every right in @need.
 */
static int usable_handles(int p, uint32_t need, int *v)
{
	int n = 0;

	for (int i = 0; i < M.nh; i++)
		if (M.h[i].alive && M.p[M.h[i].proc].alive && (p < 0 || M.h[i].proc == p) &&
		    !cap_revoked(M.h[i].cap) && (M.h[i].rights & need) == need)
			v[n++] = i;
	return n;
}

/* A non-empty random subset of @rights, with READ|MAP more often than not. */
static uint32_t some_rights(uint32_t rights)
{
	uint32_t r = rights & rt_rand(&M.rng);

	if (rnd(4))
		r |= rights & RT_RM;
	if (!r)
		r = rights & (0U - rights);	/* its lowest right */
	return r;
}

static void page_range(const struct region *r, uint64_t *off, uint64_t *len, uint64_t *mask)
{
	unsigned int first = rnd(r->pages), n = 1 + rnd(r->pages - first);

	*off = first * PG;
	*len = n * PG;
	*mask = ((1ULL << n) - 1) << first;
}

static void do_exit(int slot)
{
	int p = M.slot[slot];

	rt_agent_exit(&M.p[p].peer);
	M.p[p].alive = 0;
	for (int i = 0; i < M.nh; i++)
		if (M.h[i].proc == p)
			M.h[i].alive = 0;
	for (int i = 0; i < M.nm; i++)
		if (M.m[i].proc == p)
			M.m[i].alive = 0;
	for (int i = 0; i < M.nc; i++)
		if (M.c[i].grant && M.c[i].issuer == p && !cap_revoked(i))
			model_revoke(i);
}

static struct rt_peer *agent_of(int p)
{
	return &M.p[p].peer;
}

static const char *op_create(int p)
{
	struct region *r;
	int ri = M.nr++, ci = M.nc++;
	uint32_t flags = rnd(3) ? 0 : RATMEM_CREATE_COMMIT;
	uint64_t h;

	ASSERT_TRUE(ri < MAXR && ci < MAXC);
	r = &M.r[ri];
	*r = (struct region){ .creator = p, .pages = 1 + rnd(MAX_PAGES), .alive = 1 };
	h = rt_agent_ok(agent_of(p), AG_CREATE, r->pages, flags, ALL);
	if (flags)
		r->committed = (1ULL << r->pages) - 1;
	M.c[ci] = (struct cap){ .region = ri, .parent = -1, .issuer = p, .target = p,
				.state = C_LIVE, .rights = ALL };
	new_handle(p, ci, (uint32_t)h, ALL);
	return flags ? "create+commit" : "create";
}

static const char *op_close(int *v)
{
	int n = 0, i;

	for (int k = 0; k < M.nh; k++)
		if (M.h[k].alive && M.p[M.h[k].proc].alive)
			v[n++] = k;
	if (!n)
		return "nothing (close)";
	i = pick(v, n);
	rt_agent_ok(agent_of(M.h[i].proc), AG_CLOSE, M.h[i].num, 0, 0);
	M.h[i].alive = 0;
	return cap_revoked(M.h[i].cap) ? "close (revoked)" : "close";
}

/* A fork shares nothing: the child's quota is its own, and ends with it. */
static const char *op_fork(int p, int stepno)
{
	uint64_t pages = 1 + rnd(MAX_PAGES), status;
	struct ratmem_quota q = { 0 };
	pid_t child;
	int pidfd;

	/* The agent replies once the child has made its region. */
	child = (pid_t)rt_agent_ok(agent_of(p), AG_FORK, pages, 0, 0);
	pidfd = rt_pidfd_open(child);
	q = (struct ratmem_quota){ .pidfd = pidfd };
	ASSERT_EQ(rt_quota(M.fd, &q), 0);
	ASSERT_EQ(q.usage[RATMEM_RES_RESERVED], pages * PG);
	ASSERT_EQ(q.usage[RATMEM_RES_COMMITTED], 0);
	ASSERT_EQ(q.usage[RATMEM_RES_SHARED], 0);
	ASSERT_EQ(q.usage[RATMEM_RES_HANDLES], 1);
	ASSERT_EQ(q.usage[RATMEM_RES_GRANTS], 0);
	check(stepno, "fork (child alive)", (struct extra){ .contexts = 1, .regions = 1,
							    .handles = 1 });
	status = rt_agent_ok(agent_of(p), AG_FORK_END, 0, 0, 0);
	ASSERT_EQ(status, 0);
	q = (struct ratmem_quota){ .pidfd = pidfd };
	ASSERT_ERRNO(rt_quota(M.fd, &q), ESRCH);
	close(pidfd);
	return "fork";
}

/*
 * One random step. The kind of step is drawn first, then what it acts
 * on among everything alive, which decides the acting process.
 */
static const char *step_once(int stepno)
{
	static int v[MAXH > MAXC ? MAXH : MAXC];
	int slot = (int)rnd(NW), p = M.slot[slot];
	uint32_t op = rnd(100);
	int n, i;

	if (live_handles(p) >= HANDLES_PER_PROC && op < 12)
		return op_close(v);
	if (op < 12)
		return op_create(p);
	if (op < 32) {
		int commit = op < 22;
		uint64_t off, len, mask;
		struct region *r;

		n = usable_handles(-1, RATMEM_RIGHT_WRITE, v);
		if (!n)
			return "nothing (commit)";
		i = pick(v, n);
		r = &M.r[M.c[M.h[i].cap].region];
		page_range(r, &off, &len, &mask);
		rt_agent_ok(agent_of(M.h[i].proc), commit ? AG_COMMIT : AG_DECOMMIT, M.h[i].num,
			    off, len);
		if (commit)
			r->committed |= mask;
		else
			r->committed &= ~mask;
		return commit ? "commit" : "decommit";
	}
	if (op < 37) {
		uint32_t rights;
		uint64_t h;

		n = usable_handles(-1, 0, v);
		if (!n)
			return "nothing (dup)";
		i = pick(v, n);
		if (live_handles(M.h[i].proc) >= HANDLES_PER_PROC)
			return op_close(v);
		rights = some_rights(M.h[i].rights);
		h = rt_agent_ok(agent_of(M.h[i].proc), AG_DUP, M.h[i].num, rights, 0);
		new_handle(M.h[i].proc, M.h[i].cap, (uint32_t)h, rights);
		return "dup";
	}
	if (op < 43) {
		struct region *r;
		uint64_t addr;
		struct map *m;

		n = usable_handles(-1, RT_RM, v);
		if (!n)
			return "nothing (map)";
		i = pick(v, n);
		ASSERT_TRUE(M.nm < MAXM);
		r = &M.r[M.c[M.h[i].cap].region];
		addr = rt_agent_ok(agent_of(M.h[i].proc), AG_MAP, M.h[i].num, r->pages * PG,
				   PROT_READ);
		m = &M.m[M.nm++];
		*m = (struct map){ .proc = M.h[i].proc, .cap = M.h[i].cap, .alive = 1,
				   .addr = addr, .len = r->pages * PG };
		/* Pages appear on first touch; that changes no quota. */
		rt_agent_ok(agent_of(M.h[i].proc), AG_TOUCH, addr, r->committed, 0);
		return "map+touch";
	}
	if (op < 47) {
		n = 0;
		for (int k = 0; k < M.nm; k++)
			if (M.m[k].alive)
				v[n++] = k;
		if (!n)
			return "nothing (unmap)";
		i = pick(v, n);
		rt_agent_ok(agent_of(M.m[i].proc), AG_UNMAP, M.m[i].addr, M.m[i].len, 0);
		M.m[i].alive = 0;
		return "unmap";
	}
	if (op < 61) {
		int t, k = 0, targets[NW], q;
		struct cap *c;
		uint32_t rights;

		n = usable_handles(-1, RATMEM_RIGHT_GRANT, v);
		if (!n)
			return "nothing (grant)";
		i = pick(v, n);
		q = M.h[i].proc;
		for (int s = 0; s < NW; s++)
			if (M.slot[s] != q)
				targets[k++] = M.slot[s];
		t = pick(targets, k);
		rights = some_rights(M.h[i].rights);
		ASSERT_TRUE(M.nc < MAXC);
		c = &M.c[M.nc++];
		*c = (struct cap){ .region = M.c[M.h[i].cap].region, .parent = M.h[i].cap,
				   .issuer = q, .target = t, .grant = 1, .state = C_PENDING,
				   .rights = rights };
		c->id = rt_agent_ok(agent_of(q), AG_GRANT, M.h[i].num, rights,
				    (uint64_t)M.p[t].peer.pid);
		return M.c[M.h[i].cap].grant ? "grant onward" : "grant";
	}
	if (op < 73) {
		struct rt_agent_reply rep;
		int t;

		n = 0;
		for (int k = 0; k < M.nc; k++)
			if (M.c[k].state == C_PENDING && M.p[M.c[k].target].alive)
				v[n++] = k;
		if (!n)
			return "nothing (accept)";
		i = pick(v, n);
		t = M.c[i].target;
		if (live_handles(t) >= HANDLES_PER_PROC)
			return op_close(v);
		rep = rt_agent(agent_of(t), AG_ACCEPT, M.c[i].id, 0, 0);
		if (rep.ret)
			rt_fail(__FILE__, __LINE__, "step %d: ACCEPT: %s", stepno,
				strerror((int)-rep.ret));
		ASSERT_EQ(rep.v2, M.c[i].rights);
		M.c[i].state = C_ACCEPTED;
		new_handle(t, i, (uint32_t)rep.v1, M.c[i].rights);
		return "accept";
	}
	if (op < 81) {
		int g, hs[MAXH];

		/* Any unrevoked grant, revoked by whoever may: its issuer or those above. */
		n = 0;
		for (int k = 0; k < M.nc; k++)
			if (M.c[k].grant && !cap_revoked(k))
				v[n++] = k;
		if (!n)
			return "nothing (revoke)";
		g = pick(v, n);
		n = 0;
		for (int k = 0; k < M.nh; k++) {
			const struct handle *h = &M.h[k];

			if (!h->alive || !M.p[h->proc].alive || cap_revoked(h->cap) ||
			    !(h->rights & RATMEM_RIGHT_GRANT))
				continue;
			for (int up = M.c[g].parent; up >= 0; up = M.c[up].parent)
				if (up == h->cap)
					hs[n++] = k;
		}
		if (!n)
			return "nothing (revoke)";
		i = pick(hs, n);
		rt_agent_ok(agent_of(M.h[i].proc), AG_REVOKE, M.h[i].num, M.c[g].id, 0);
		model_revoke(g);
		return M.h[i].proc == M.c[g].issuer ? "revoke (issuer)" : "revoke (from above)";
	}
	if (op < 85) {
		struct rt_peer *a = agent_of(p);

		/* Failures change nothing: a revoked handle, a used capability. */
		n = 0;
		for (int k = 0; k < M.nh; k++)
			if (M.h[k].alive && M.h[k].proc == p && cap_revoked(M.h[k].cap))
				v[n++] = k;
		if (n) {
			i = pick(v, n);
			ASSERT_EQ(rt_agent(a, AG_DUP, M.h[i].num, M.h[i].rights, 0).ret, -ENOLINK);
			if (M.h[i].rights & RATMEM_RIGHT_WRITE)
				ASSERT_EQ(rt_agent(a, AG_COMMIT, M.h[i].num, 0, PG).ret, -ENOLINK);
		}
		n = 0;
		for (int k = 0; k < M.nc; k++)
			if (M.c[k].grant && M.c[k].target == p && M.c[k].state != C_PENDING)
				v[n++] = k;
		if (n)
			ASSERT_EQ(rt_agent(a, AG_ACCEPT, M.c[pick(v, n)].id, 0, 0).ret, -ENOENT);
		return "failing requests";
	}
	if (op < 87)
		return op_fork(p, stepno);
	if (op < 90) {
		do_exit(slot);
		spawn(slot);
		return "exit+respawn";
	}
	return op_close(v);
}

/* How often each kind of step ran, for the log. */
static void tally(const char *what, int print)
{
	static const char *names[32];
	static int counts[32];
	char line[1024] = "";

	for (int i = 0; i < 32 && what; i++) {
		if (!names[i])
			names[i] = what;
		if (!strcmp(names[i], what)) {
			counts[i]++;
			break;
		}
	}
	for (int i = 0; i < 32 && print && names[i]; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s %d",
			 i ? ", " : "", names[i], counts[i]);
	if (print)
		rt_diag("steps: %s", line);
}

/* Random steps across four agents; every quota matches the model after each. */
TEST_TIMEOUT(account_exact_after_random_steps, 280)
{
	struct timespec ts;
	const char *seed_env = getenv("RT_SEED");
	uint32_t seed;
	struct extra none = { 0 };

	clock_gettime(CLOCK_REALTIME, &ts);
	seed = seed_env ? (uint32_t)strtoul(seed_env, NULL, 0)
			: (uint32_t)(ts.tv_nsec ^ ts.tv_sec ^ (getpid() << 16));
	if (!seed)
		seed = 1;
	rt_diag("seed %u (set RT_SEED=%u to replay)", seed, seed);
	memset(&M, 0, sizeof(M));
	M.rng = seed;
	M.fd = rt_open_ctx_need(RATMEM_FEATURE_QUOTA | RATMEM_FEATURE_SHARING |
				RATMEM_FEATURE_MEMORY, 1ULL << RATMEM_IOC_NR_QUOTA);
	close(M.fd);
	M.before = rt_counters_now();
	M.fd = rt_open_ctx();
	for (int s = 0; s < NW; s++)
		spawn(s);
	check(0, "start", none);
	for (int step = 1; step <= STEPS; step++) {
		const char *what = step_once(step);

		model_settle();
		check(step, what, none);
		tally(what, 0);
	}
	/* Everything ends: every agent exits, and every quota with it. */
	for (int s = 0; s < NW; s++) {
		do_exit(s);
		model_settle();
		check(STEPS + 1 + s, "final exit", none);
	}
	for (int r = 0; r < M.nr; r++)
		ASSERT_EQ(M.r[r].alive, 0);
	for (int p = 0; p < M.np; p++)
		ASSERT_TRUE(M.p[p].gone);
	tally(NULL, 1);
	rt_diag("%d processes, %d regions, %d capabilities, %d handles, %d mappings",
		M.np, M.nr, M.nc, M.nh, M.nm);
	ASSERT_EQ(close(M.fd), 0);
	rt_counters_expect(M.before, RT_C_ALL);
}
