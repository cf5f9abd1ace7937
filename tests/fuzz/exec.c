// SPDX-License-Identifier: GPL-2.0
/*
 * Running a program: two worker processes, 0 and 1, each with its own
 * /dev/ratmem context, take the calls one at a time from the fuzzer over
 * a pipe and answer with the result. The fuzzer itself makes no call, so
 * nothing a program does can take it down. A program is bad when a
 * worker dies of a signal it did not ask for, stops answering, or when
 * the module's counters do not come back to where they were once both
 * workers have gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/ratmem.h>

#include "fuzz.h"

#define RAW		(1ULL << 63)
#define ANSWER_MS	30000	/* a call that takes longer is a hang */
#define RACE_TOUCHES	2000	/* at most; the race ends with the next call */

struct fz_shared_state {
	pid_t pid[2];
	uint64_t cap[FZ_SLOTS];
	unsigned int ncaps;
};

struct worker {
	pid_t pid;
	int cmd, ans;			/* pipes, the fuzzer's ends */
};

struct mapping {
	unsigned char *addr;
	size_t len;
};

/* A worker's own state. */
static int ctx_fd = -1;
static uint32_t handles[FZ_SLOTS];
static unsigned int nhandles, nmaps;
static struct mapping maps[FZ_SLOTS];
static struct fz_shared_state *S;
static unsigned int me;
static pthread_t racer;
static bool racing;
static volatile int race_stop;

/* volatile: the stores around the access must not be optimised away. */
static __thread sigjmp_buf *volatile fault_jmp;

static void on_fault(int sig)
{
	if (fault_jmp)
		siglongjmp(*fault_jmp, sig);
	/* A fault nobody expected: die of it, and the fuzzer sees it. */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Touch one byte; the signal it raised, or 0. */
static int touch(volatile unsigned char *p, bool write)
{
	sigjmp_buf jb;
	int sig;

	sig = sigsetjmp(jb, 1);
	if (sig) {
		fault_jmp = NULL;
		return sig;
	}
	fault_jmp = &jb;
	if (write)
		*p = (unsigned char)(*p + 1);
	else
		(void)*p;
	fault_jmp = NULL;
	return 0;
}

static const char *name_of(uint64_t i, char *buf, size_t len)
{
	switch (i) {
	case 4:
		return "bad/name";
	case 5:
		return "";
	case 6:
		memset(buf, 'n', len - 1);
		buf[len - 1] = 0;
		return buf;
	default:
		snprintf(buf, len, "fz-%d-%u", (int)getppid(), (unsigned int)(i & 3));
		return buf;
	}
}

static uint32_t handle_of(uint64_t a)
{
	return a & RAW ? (uint32_t)a : handles[a % FZ_SLOTS];
}

static uint64_t cap_of(uint64_t a)
{
	return a & RAW ? a & ~RAW : S->cap[a % FZ_SLOTS];
}

static void keep_handle(uint32_t h)
{
	handles[nhandles++ % FZ_SLOTS] = h;
}

static int ioc(unsigned long cmd, void *arg)
{
	return ioctl(ctx_fd, cmd, arg) ? -errno : 0;
}

static void *race_touch(void *arg)
{
	struct mapping *m = arg;

	fz_cov_thread_start();
	fz_cov_begin();
	for (int i = 0; i < RACE_TOUCHES && m->len && !__atomic_load_n(&race_stop, __ATOMIC_RELAXED);
	     i++)
		touch(m->addr + ((size_t)i * 4096) % m->len, i & 1);
	fz_cov_end();
	fz_cov_thread_stop();
	free(m);
	return NULL;
}

static void race_join(void)
{
	if (racing) {
		__atomic_store_n(&race_stop, 1, __ATOMIC_RELAXED);
		pthread_join(racer, NULL);
	}
	racing = false;
}

/* A child of the worker: no mapping is inherited, and the context is bound. */
static int fork_child(const struct mapping *m)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		struct ratmem_api api = { 0 };

		if (m->len && touch(m->addr, false) != SIGSEGV)
			_exit(3);
		if (ioctl(ctx_fd, RATMEM_IOC_API, &api) == 0 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	/* The child's exit status says which rule broke. */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1000 + status;
}

static int do_op(const struct fz_op *op)
{
	const uint64_t *a = op->arg;
	char nbuf[80];
	int ret = 0;

	switch (op->kind) {
	case FZ_CREATE: {
		struct ratmem_create c = { .size = a[0], .flags = a[1], .rights = a[2],
					   .numa_node = (int32_t)a[3], .page_shift = a[4] };

		ret = ioc(RATMEM_IOC_CREATE, &c);
		if (!ret)
			keep_handle(c.handle);
		break;
	}
	case FZ_NAMED: {
		struct ratmem_named_create c = {
			.name = (uintptr_t)name_of(a[0], nbuf, sizeof(nbuf)), .size = a[1],
			.flags = a[2], .rights = a[3], .mode = a[4],
		};

		ret = ioc(RATMEM_IOC_NAMED_CREATE, &c);
		if (!ret)
			keep_handle(c.handle);
		break;
	}
	case FZ_OPEN: {
		struct ratmem_named_open o = { .name = (uintptr_t)name_of(a[0], nbuf, sizeof(nbuf)),
					 .rights = a[1] };

		ret = ioc(RATMEM_IOC_NAMED_OPEN, &o);
		if (!ret)
			keep_handle(o.handle);
		break;
	}
	case FZ_UNLINK: {
		struct ratmem_unlink u = { .name = (uintptr_t)name_of(a[0], nbuf, sizeof(nbuf)),
					   .flags = a[1] };

		ret = ioc(RATMEM_IOC_UNLINK, &u);
		break;
	}
	case FZ_QUERY: {
		struct ratmem_query q = { .handle = handle_of(a[0]) };

		ret = ioc(RATMEM_IOC_QUERY, &q);
		break;
	}
	case FZ_DUP: {
		struct ratmem_dup d = { .handle = handle_of(a[0]), .rights = a[1] };

		ret = ioc(RATMEM_IOC_DUP, &d);
		if (!ret)
			keep_handle(d.new_handle);
		break;
	}
	case FZ_CLOSE: {
		struct ratmem_close c = { .handle = handle_of(a[0]) };

		ret = ioc(RATMEM_IOC_CLOSE, &c);
		break;
	}
	case FZ_COMMIT:
	case FZ_DECOMMIT: {
		struct ratmem_range r = { .handle = handle_of(a[0]), .offset = a[1], .length = a[2] };

		ret = ioc(op->kind == FZ_COMMIT ? RATMEM_IOC_COMMIT : RATMEM_IOC_DECOMMIT, &r);
		break;
	}
	case FZ_MMAP: {
		uint64_t len = a[2] > (64ULL << 20) ? 64ULL << 20 : a[2];
		void *p = mmap(NULL, len, (int)a[3], MAP_SHARED, ctx_fd,
			       (off_t)(RATMEM_MMAP_OFFSET(handle_of(a[0])) + (a[1] & ((1ULL << 40) - 1))));

		if (p == MAP_FAILED) {
			ret = -errno;
		} else {
			struct mapping *m = &maps[nmaps++ % FZ_SLOTS];

			if (m->len) {
				race_join();
				munmap(m->addr, m->len);
			}
			*m = (struct mapping){ p, len };
		}
		break;
	}
	case FZ_MUNMAP: {
		struct mapping *m = &maps[a[0] % FZ_SLOTS];

		if (m->len) {
			race_join();
			ret = munmap(m->addr, m->len) ? -errno : 0;
			m->len = 0;
		}
		break;
	}
	case FZ_MPROTECT: {
		struct mapping *m = &maps[a[0] % FZ_SLOTS];

		if (m->len)
			ret = mprotect(m->addr, m->len, (int)a[1]) ? -errno : 0;
		break;
	}
	case FZ_TOUCH: {
		struct mapping *m = &maps[a[0] % FZ_SLOTS];

		if (m->len)
			ret = touch(m->addr + (a[1] % m->len), a[2] & 1);
		break;
	}
	case FZ_GRANT: {
		int pidfd = (int)syscall(SYS_pidfd_open, S->pid[me ^ 1], 0);
		struct ratmem_grant g = { .handle = handle_of(a[0]), .rights = a[1],
					  .pidfd = pidfd, .lease_ns = a[2] };
		struct ratmem_grant_range r = { .handle = g.handle, .rights = g.rights,
						.pidfd = pidfd, .lease_ns = a[2],
						.offset = (a[3] >> 8 & 0xff) * 4096,
						.length = (a[3] & 0xff) * 4096 };

		if (a[3]) {
			ret = ioc(RATMEM_IOC_GRANT_RANGE, &r);
			g.cap_id = r.cap_id;
		} else {
			ret = ioc(RATMEM_IOC_GRANT, &g);
		}
		if (pidfd >= 0)
			close(pidfd);
		if (!ret)
			S->cap[S->ncaps++ % FZ_SLOTS] = g.cap_id;
		break;
	}
	case FZ_ACCEPT: {
		struct ratmem_accept c = { .cap_id = cap_of(a[0]) };

		ret = ioc(RATMEM_IOC_ACCEPT, &c);
		if (!ret)
			keep_handle(c.handle);
		break;
	}
	case FZ_REVOKE: {
		struct ratmem_revoke r = { .handle = handle_of(a[0]), .cap_id = cap_of(a[1]),
					   .deadline_ns = a[2], .flags = (uint32_t)a[3] };

		ret = ioc(RATMEM_IOC_REVOKE, &r);
		break;
	}
	case FZ_WAIT: {
		struct ratmem_wait w = { .handle = handle_of(a[0]), .offset = a[1],
					 .expected = (uint32_t)a[2], .timeout_ns = 1000000 };

		ret = ioc(RATMEM_IOC_WAIT, &w);
		break;
	}
	case FZ_WAKE: {
		struct ratmem_wake w = { .handle = handle_of(a[0]), .offset = a[1],
					 .count = (uint32_t)a[2] };

		ret = ioc(RATMEM_IOC_WAKE, &w);
		break;
	}
	case FZ_QUOTA: {
		struct ratmem_quota q = { .pidfd = -1 };

		if (a[0] < RATMEM_RES_COUNT) {
			q.set_mask = 1U << a[0];
			q.limit[a[0]] = a[1];
		} else {
			q.set_mask = 1U << (a[0] % 32);
		}
		ret = ioc(RATMEM_IOC_QUOTA, &q);
		break;
	}
	case FZ_POPULATE: {
		struct mapping *m = &maps[a[0] % FZ_SLOTS];
		/* Inside the mapping mostly; a length past its end is a test too. */
		struct ratmem_populate p = {
			.addr = (uintptr_t)m->addr + (m->len ? (a[1] % m->len) & ~(uint64_t)4095 : 0),
			.length = a[2],
		};

		if (m->len)
			ret = ioc(RATMEM_IOC_POPULATE, &p);
		break;
	}
	case FZ_POLICY: {
		struct ratmem_policy p = { .handle = handle_of(a[0]), .mode = (uint32_t)a[1],
					   .nodemask = a[2] };

		ret = ioc(RATMEM_IOC_POLICY, &p);
		break;
	}
	case FZ_MIGRATE: {
		struct ratmem_migrate m = { .handle = handle_of(a[0]), .offset = a[1],
					    .length = a[2], .node = (int32_t)(a[3] & 0xff),
					    .flags = (uint32_t)(a[3] >> 8) };

		ret = ioc(RATMEM_IOC_MIGRATE, &m);
		break;
	}
	case FZ_LEASE: {
		struct ratmem_lease l = { .handle = handle_of(a[0]), .cap_id = cap_of(a[1]),
					  .lease_ns = a[2], .flags = a[2] ? RATMEM_LEASE_SET : 0 };

		ret = ioc(RATMEM_IOC_LEASE, &l);
		break;
	}
	case FZ_NOTICES: {
		struct ratmem_notice recs[4];
		struct ratmem_read_notices n = { .records = (uintptr_t)recs, .count = (uint32_t)a[0] };
		struct pollfd p = { .fd = ctx_fd, .events = POLLPRI };

		/* Within the array: counts past 4 are only the refused ones. */
		if (n.count > 4 && n.count <= RATMEM_NOTICES_MAX)
			n.count = 4;
		poll(&p, 1, 0);
		ret = ioc(RATMEM_IOC_READ_NOTICES, &n);
		break;
	}
	case FZ_SEAL: {
		struct ratmem_seal s = { .handle = handle_of(a[0]), .seals = (uint32_t)a[1] };

		ret = ioc(RATMEM_IOC_SEAL, &s);
		break;
	}
	case FZ_RACE: {
		struct mapping *m = &maps[a[0] % FZ_SLOTS];
		struct mapping *copy;

		race_join();
		if (!m->len)
			break;
		copy = malloc(sizeof(*copy));
		if (!copy)
			break;
		*copy = *m;
		/*
		 * The thread may outlive the mapping's munmap by the next call,
		 * which only makes its touches fault: it catches them.
		 */
		race_stop = 0;
		racing = !pthread_create(&racer, NULL, race_touch, copy);
		if (!racing)
			free(copy);
		break;
	}
	case FZ_FORK:
		ret = fork_child(&maps[a[0] % FZ_SLOTS]);
		break;
	}
	return ret;
}

static void worker_main(unsigned int proc, int cmd, int ans)
{
	struct sigaction sa = { .sa_handler = on_fault, .sa_flags = SA_NODEFER };
	struct fz_op op;

	me = proc;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	ctx_fd = open("/dev/ratmem", O_RDWR | O_CLOEXEC);
	if (ctx_fd < 0)
		_exit(2);
	fz_cov_thread_start();
	while (read(cmd, &op, sizeof(op)) == sizeof(op)) {
		int32_t ret;

		fz_cov_begin();
		ret = do_op(&op);
		fz_cov_end();
		if (write(ans, &ret, sizeof(ret)) != sizeof(ret))
			break;
		/* A mapping that outlives a revoke is what the race is for: one call only. */
		if (op.kind != FZ_RACE)
			race_join();
	}
	race_join();
	fz_cov_thread_stop();
	_exit(0);
}

static int worker_start(struct worker *w, unsigned int proc)
{
	int cmd[2], ans[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(ans, O_CLOEXEC))
		return -errno;
	w->pid = fork();
	if (w->pid < 0)
		return -errno;
	if (!w->pid) {
		/*
		 * Only its own ends: a copy of the other worker's command pipe
		 * here would keep that worker from ever seeing the end of it.
		 */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != cmd[0] && fd != ans[1])
				close(fd);
		worker_main(proc, cmd[0], ans[1]);
	}
	close(cmd[0]);
	close(ans[1]);
	w->cmd = cmd[1];
	w->ans = ans[0];
	S->pid[proc] = w->pid;
	return 0;
}

/* Stop a worker; 0, or its wait status when it died of a signal. */
static int worker_stop(struct worker *w)
{
	int status = 0;

	if (w->pid <= 0)
		return 0;
	close(w->cmd);
	close(w->ans);
	if (waitpid(w->pid, &status, 0) != w->pid)
		status = 0;
	w->pid = 0;
	return WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status)) ? status : 0;
}

static int call(struct worker *w, const struct fz_op *op, int32_t *ret)
{
	struct pollfd p = { .fd = w->ans, .events = POLLIN };

	if (write(w->cmd, op, sizeof(*op)) != sizeof(*op))
		return -EPIPE;
	if (poll(&p, 1, ANSWER_MS) != 1)
		return -ETIMEDOUT;
	return read(w->ans, ret, sizeof(*ret)) == sizeof(*ret) ? 0 : -EPIPE;
}

static int stats(struct ratmem_stats *s)
{
	int fd = open("/dev/ratmem", O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	memset(s, 0, sizeof(*s));
	ret = ioctl(fd, RATMEM_IOC_STATS, s) ? -errno : 0;
	close(fd);
	s->contexts--;	/* our own */
	return ret;
}

/* What a program's names leave behind, the fuzzer removes. */
static void unlink_names(void)
{
	int fd = open("/dev/ratmem", O_RDWR | O_CLOEXEC);
	char name[80];

	if (fd < 0)
		return;
	for (unsigned int i = 0; i < 4; i++) {
		struct ratmem_unlink u = { .name = (uintptr_t)name, .flags = RATMEM_UNLINK_REVOKE };

		snprintf(name, sizeof(name), "fz-%d-%u", (int)getpid(), i);
		ioctl(fd, RATMEM_IOC_UNLINK, &u);
	}
	close(fd);
}

static bool same_counts(const struct ratmem_stats *a, const struct ratmem_stats *b)
{
	return a->contexts == b->contexts && a->regions == b->regions &&
	       a->handles == b->handles && a->pages == b->pages && a->mappings == b->mappings &&
	       a->grants == b->grants && a->names == b->names;
}

/**
 * fz_exec() - run one program
 * @p: the program
 * @res: out: whether it found something, and what
 */
void fz_exec(const struct fz_prog *p, struct fz_result *res)
{
	struct ratmem_stats before, after;
	struct worker w[2] = { 0 };
	int status, tries;

	memset(res, 0, sizeof(*res));
	/* A worker that died must not take the fuzzer with it. */
	signal(SIGPIPE, SIG_IGN);
	if (!S) {
		S = mmap(NULL, sizeof(*S), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
		if (S == MAP_FAILED) {
			S = NULL;
			snprintf(res->why, sizeof(res->why), "mmap: %s", strerror(errno));
			res->bad = true;
			return;
		}
	}
	memset(S, 0, sizeof(*S));
	if (stats(&before)) {
		snprintf(res->why, sizeof(res->why), "STATS: %s", strerror(errno));
		res->bad = true;
		return;
	}
	for (unsigned int i = 0; i < 2; i++)
		if (worker_start(&w[i], i))
			goto out;

	for (unsigned int i = 0; i < p->n && !res->bad; i++) {
		const struct fz_op *op = &p->op[i];
		struct worker *wk = &w[op->proc & 1];
		int32_t ret;
		int err;

		if (op->kind == FZ_RESTART) {
			status = worker_stop(wk);
			if (status) {
				snprintf(res->why, sizeof(res->why),
					 "call %u: process %u ended with status %#x", i, op->proc, status);
				res->bad = true;
			} else if (worker_start(wk, op->proc & 1)) {
				break;
			}
			continue;
		}
		err = call(wk, op, &ret);
		if (err) {
			snprintf(res->why, sizeof(res->why), "call %u (%u %s): %s", i, op->proc,
				 fz_kind_name(op->kind),
				 err == -ETIMEDOUT ? "no answer in 30 s" : "the process died");
			res->bad = true;
		} else if (op->kind == FZ_FORK && ret >= 1000) {
			snprintf(res->why, sizeof(res->why),
				 "call %u: a forked child broke a rule (wait status %#x)", i, ret - 1000);
			res->bad = true;
		}
	}
out:
	for (unsigned int i = 0; i < 2; i++) {
		status = worker_stop(&w[i]);
		if (status && !res->bad) {
			snprintf(res->why, sizeof(res->why), "process %u ended with status %#x "
				 "(signal %d)", i, status, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
			res->bad = true;
		}
	}
	unlink_names();
	if (res->bad)
		return;
	/* Releases that finish on the workqueue may lag a little. */
	for (tries = 0; tries < 60; tries++) {
		if (stats(&after) == 0 && same_counts(&before, &after))
			return;
		usleep(50000);
	}
	snprintf(res->why, sizeof(res->why),
		 "counters did not come back: regions %llu->%llu handles %llu->%llu "
		 "pages %llu->%llu mappings %llu->%llu grants %llu->%llu names %llu->%llu",
		 (unsigned long long)before.regions, (unsigned long long)after.regions,
		 (unsigned long long)before.handles, (unsigned long long)after.handles,
		 (unsigned long long)before.pages, (unsigned long long)after.pages,
		 (unsigned long long)before.mappings, (unsigned long long)after.mappings,
		 (unsigned long long)before.grants, (unsigned long long)after.grants,
		 (unsigned long long)before.names, (unsigned long long)after.names);
	res->bad = true;
}
