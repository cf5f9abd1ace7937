// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem_bench: how ratmem's page faults and region lifecycle compare
 * with anonymous memory and memfd, measured side by side in one run.
 *
 *  fault:  touch every 4 KiB page of a fresh mapping once (one write
 *          per page) and time the loop. Kinds: a ratmem region created
 *          with RATMEM_CREATE_COMMIT and mapped MAP_SHARED; anonymous
 *          MAP_PRIVATE memory with MADV_NOHUGEPAGE; memfd_create +
 *          ftruncate + MAP_SHARED; and, for information, anonymous
 *          memory with MADV_HUGEPAGE (THP allowed).
 *  cycle:  create + mmap + touch every page + munmap + close of a small
 *          object, repeated; ratmem against memfd (anonymous mmap +
 *          touch + munmap for information).
 *  revoke: a forked grantee accepts a grant of a region of S bytes, maps
 *          it and touches every page; the owner times RATMEM_IOC_REVOKE,
 *          which removes those PTEs before returning. Baseline: the
 *          owner's own munmap of an S-byte ratmem mapping with every page
 *          touched. S = 64 KiB, 2 MiB and 256 MiB, and 256 MiB of 2 MiB pages
 *          (mapped with PMDs where the kernel can).
 *  setup:  share a 64 KiB object with a forked receiver, from the
 *          sender's start to the receiver's mmap returning (the receiver
 *          reports its CLOCK_MONOTONIC time): GRANT + ACCEPT + mmap
 *          against memfd_create + ftruncate + SCM_RIGHTS + mmap.
 *
 * Each measurement is repeated (the kinds interleaved, their order
 * rotated per round) and the median is reported. Ratios are time
 * ratios: ratmem's time divided by the other kind's, so above 1 means
 * ratmem is slower. Any failure (no /dev/ratmem, a failed ioctl, mmap
 * or check) ends the run with a message and exit status 1, before any
 * ratio is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ratmem.h>

#define MIB		((size_t)1024 * 1024)
#define HUGE_2M		(2 * MIB)
#define MAX_REPS	101

/* ---- errors ------------------------------------------------------- */

static const char *phase = "start";

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "ratmem_bench: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void die_errno(const char *what)
{
	die("%s (%s): %s", what, phase, strerror(errno));
}

static void on_signal(int sig)
{
	static const char pre[] = "ratmem_bench: error: fatal signal during ";
	const char *name = sig == SIGBUS ? " (SIGBUS)\n" : " (SIGSEGV)\n";
	ssize_t r;

	r = write(STDERR_FILENO, pre, sizeof(pre) - 1);
	r = write(STDERR_FILENO, phase, strlen(phase));
	r = write(STDERR_FILENO, name, strlen(name));
	(void)r;
	_exit(1);
}

/* ---- small helpers ------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die_errno("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double median, min, max;
};

static struct stat3 summarize(const double *v, int n)
{
	double *s = malloc(sizeof(*v) * (size_t)n);
	struct stat3 r;

	if (!s)
		die("out of memory");
	memcpy(s, v, sizeof(*v) * (size_t)n);
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	r.min = s[0];
	r.max = s[n - 1];
	r.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return r;
}

/* First line of a file, or "-" when it cannot be read. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, len, "-");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* A "Key:   N kB" value from a /proc file, in kB; -1 when missing. */
static long long proc_kb(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* ---- ratmem ------------------------------------------------------- */

static int rat_fd = -1;
static uint64_t rat_features;	/* RATMEM_FEATURE_* of the loaded module */

static void rat_ioctl(unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(rat_fd, cmd, arg) < 0)
		die_errno(what);
}

static void ratmem_open(void)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	rat_fd = open("/dev/" RATMEM_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (rat_fd < 0)
		die("open /dev/" RATMEM_DEVICE_NAME ": %s%s", strerror(errno),
		    errno == ENOENT ? " (is ratmem.ko loaded? --baseline-only skips ratmem)" : "");
	rat_ioctl(RATMEM_IOC_API, &api, "RATMEM_IOC_API");
	if (!(api.features & RATMEM_FEATURE_MEMORY))
		die("the loaded module (ABI %u, features %#llx) lacks RATMEM_FEATURE_MEMORY: "
		    "no commit or mmap to measure", api.abi_version,
		    (unsigned long long)api.features);
	rat_features = api.features;
}

#define RIGHTS_RWM	(RATMEM_RIGHT_READ | RATMEM_RIGHT_WRITE | RATMEM_RIGHT_MAP)

static uint32_t ratmem_create_shift(uint64_t size, uint32_t rights, uint32_t page_shift)
{
	struct ratmem_create c = {
		.size = size,
		.flags = RATMEM_CREATE_COMMIT,
		.rights = rights,
		.page_shift = page_shift,
		.numa_node = -1,
	};

	rat_ioctl(RATMEM_IOC_CREATE, &c, "RATMEM_IOC_CREATE(COMMIT)");
	if (!c.handle)
		die("RATMEM_IOC_CREATE returned handle 0");
	return c.handle;
}

static uint32_t ratmem_create_rights(uint64_t size, uint32_t rights)
{
	return ratmem_create_shift(size, rights, 0);
}

static uint32_t ratmem_create(uint64_t size)
{
	return ratmem_create_rights(size, RIGHTS_RWM);
}

static void ratmem_close(uint32_t handle)
{
	struct ratmem_close c = { .handle = handle };

	rat_ioctl(RATMEM_IOC_CLOSE, &c, "RATMEM_IOC_CLOSE");
}

static void *ratmem_map(uint32_t handle, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, rat_fd,
		       (off_t)RATMEM_MMAP_OFFSET(handle));

	if (p == MAP_FAILED)
		die_errno("mmap of a ratmem handle");
	return p;
}

/* ---- the objects measured ----------------------------------------- */

/*
 * The -re kinds time a second mapping of an object whose pages all exist
 * already (touched through a first mapping, then unmapped): the fault
 * without the page allocation, as a hint to where the time goes.
 */
enum kind { K_RATMEM, K_ANON4K, K_MEMFD, K_ANONTHP, K_RATMEM_RE, K_MEMFD_RE, NKINDS };

static const char *const kind_name[NKINDS] = {
	[K_RATMEM] = "ratmem", [K_ANON4K] = "anon4k", [K_MEMFD] = "memfd",
	[K_ANONTHP] = "anon-thp", [K_RATMEM_RE] = "ratmem-re", [K_MEMFD_RE] = "memfd-re",
};

static const char *const kind_desc[NKINDS] = {
	[K_RATMEM] = "ratmem CREATE_COMMIT, MAP_SHARED",
	[K_ANON4K] = "anon MAP_PRIVATE, MADV_NOHUGEPAGE",
	[K_MEMFD] = "memfd + ftruncate, MAP_SHARED",
	[K_ANONTHP] = "anon MAP_PRIVATE, MADV_HUGEPAGE (info)",
	[K_RATMEM_RE] = "ratmem, pages already there (info)",
	[K_MEMFD_RE] = "memfd, pages already there (info)",
};

static int baseline_only;

/* Kinds that need /dev/ratmem. */
static int skipped(enum kind k)
{
	return baseline_only && (k == K_RATMEM || k == K_RATMEM_RE);
}

/* One live mapping of a kind. */
struct obj {
	enum kind kind;
	char *base;		/* what is touched */
	void *map;		/* what is unmapped */
	size_t size, map_size;
	uint32_t handle;	/* ratmem */
	int fd;			/* memfd */
};

static int thp_advice_ok = 1;	/* MADV_HUGEPAGE accepted */

static void obj_create(struct obj *o, enum kind kind, size_t size)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->size = o->map_size = size;
	o->fd = -1;
	switch (kind) {
	case K_RATMEM:
		o->handle = ratmem_create(size);
		o->map = ratmem_map(o->handle, size);
		o->base = o->map;
		break;
	case K_ANON4K:
		o->map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap anonymous");
		/* EINVAL: a kernel without THP, where every fault is 4 KiB. */
		if (madvise(o->map, size, MADV_NOHUGEPAGE) && errno != EINVAL)
			die_errno("madvise(MADV_NOHUGEPAGE)");
		o->base = o->map;
		break;
	case K_ANONTHP:
		/* 2 MiB aligned, so that every huge page can be used. */
		o->map_size = size + HUGE_2M;
		o->map = mmap(NULL, o->map_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap anonymous");
		o->base = (char *)(((uintptr_t)o->map + HUGE_2M - 1) & ~(uintptr_t)(HUGE_2M - 1));
		if (madvise(o->base, size, MADV_HUGEPAGE)) {
			if (errno != EINVAL)
				die_errno("madvise(MADV_HUGEPAGE)");
			thp_advice_ok = 0;
		}
		break;
	case K_MEMFD:
		o->fd = memfd_create("ratmem_bench", MFD_CLOEXEC);
		if (o->fd < 0)
			die_errno("memfd_create");
		if (ftruncate(o->fd, (off_t)size))
			die_errno("ftruncate of the memfd");
		o->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap of the memfd");
		o->base = o->map;
		break;
	default:
		die("unknown kind %d", kind);
	}
}

/* A fresh mapping of a ratmem or memfd object, after munmap of the old. */
static void obj_remap(struct obj *o)
{
	if (o->kind == K_RATMEM) {
		o->map = ratmem_map(o->handle, o->size);
	} else {
		o->map = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd, 0);
		if (o->map == MAP_FAILED)
			die_errno("mmap of the memfd");
	}
	o->base = o->map;
}

static void obj_destroy(struct obj *o)
{
	if (munmap(o->map, o->map_size))
		die_errno("munmap");
	if (o->kind == K_RATMEM)
		ratmem_close(o->handle);
	if (o->fd >= 0 && close(o->fd))
		die_errno("close of the memfd");
}

static size_t page_size;

/* The measured loop: one 8-byte write at the start of every page. */
static void touch(char *base, size_t size, uint64_t tag)
{
	size_t n = size / page_size;

	for (size_t i = 0; i < n; i++)
		*(volatile uint64_t *)(base + i * page_size) = tag + i;
}

/* Untimed: every write landed and the rest of each page reads as zero. */
static void verify(const struct obj *o, uint64_t tag)
{
	size_t n = o->size / page_size;
	size_t words = page_size / sizeof(uint64_t);

	for (size_t i = 0; i < n; i++) {
		const volatile uint64_t *w = (const volatile uint64_t *)(o->base + i * page_size);

		if (w[0] != tag + i || w[1] != 0 || w[words - 1] != 0)
			die("%s (%s): page %zu holds %#llx/%#llx/%#llx, expected %#llx/0/0",
			    kind_name[o->kind], phase, i, (unsigned long long)w[0],
			    (unsigned long long)w[1], (unsigned long long)w[words - 1],
			    (unsigned long long)(tag + i));
	}
}

/* ---- measurements ------------------------------------------------- */

struct fault_run {
	double touch_ns, setup_ns, teardown_ns;
};

static long long thp_kb = -1;		/* AnonHugePages seen in an anon-thp run */
static long long rat_pages_seen = -1;	/* ratmem's pages counter while mapped */
static long long rat_pages_before = -1;

static struct fault_run fault_once(enum kind kind, size_t size, uint64_t tag, int observe)
{
	struct fault_run r;
	struct obj o;
	uint64_t t0, t1, t2, t3;

	phase = kind_name[kind];
	if (kind == K_RATMEM_RE || kind == K_MEMFD_RE) {
		obj_create(&o, kind == K_RATMEM_RE ? K_RATMEM : K_MEMFD, size);
		touch(o.base, size, ~tag);
		if (munmap(o.map, o.map_size))
			die_errno("munmap");
		t0 = now_ns();
		obj_remap(&o);
		t1 = now_ns();
		touch(o.base, size, tag);
		t2 = now_ns();
		verify(&o, tag);
		t3 = now_ns();
		obj_destroy(&o);
		r.setup_ns = (double)(t1 - t0);
		r.touch_ns = (double)(t2 - t1);
		r.teardown_ns = (double)(now_ns() - t3);
		return r;
	}
	if (observe && kind == K_RATMEM) {
		struct ratmem_stats st = { 0 };

		rat_ioctl(RATMEM_IOC_STATS, &st, "RATMEM_IOC_STATS");
		rat_pages_before = (long long)st.pages;
	}
	t0 = now_ns();
	obj_create(&o, kind, size);
	t1 = now_ns();
	touch(o.base, size, tag);
	t2 = now_ns();
	verify(&o, tag);
	if (observe && kind == K_ANONTHP)
		thp_kb = proc_kb("/proc/self/smaps_rollup", "AnonHugePages");
	if (observe && kind == K_RATMEM) {
		struct ratmem_stats st = { 0 };

		rat_ioctl(RATMEM_IOC_STATS, &st, "RATMEM_IOC_STATS");
		rat_pages_seen = (long long)st.pages;
	}
	t3 = now_ns();
	obj_destroy(&o);
	r.setup_ns = (double)(t1 - t0);
	r.touch_ns = (double)(t2 - t1);
	r.teardown_ns = (double)(now_ns() - t3);
	return r;
}

/* N full lifecycles of one kind; returns ns per cycle. */
static double cycles_once(enum kind kind, size_t size, int n)
{
	uint64_t t0;
	struct obj o;

	phase = kind_name[kind];
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		obj_create(&o, kind, size);
		touch(o.base, size, 1);
		obj_destroy(&o);
	}
	return (double)(now_ns() - t0) / n;
}

/* ---- sharing: revoke and setup, with a forked helper process ------- */

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/*
 * Sharing needs the module's RATMEM_FEATURE_SHARING; without it (or with
 * --baseline-only) the revoke measurement and the ratmem setup kinds are
 * skipped, and the memfd setup kinds still run.
 */
static int share_skip;
static const char *share_skip_why = "";

/* Requests to the helper and its replies: one SOCK_SEQPACKET message each. */
enum op {
	OP_MAP_TOUCH = 1,	/* ACCEPT arg, mmap size bytes, touch every page with tag t */
	OP_RELEASE,		/* munmap and CLOSE what OP_MAP_TOUCH made */
	OP_SETUP_RATMEM,	/* ACCEPT arg, mmap; reply with the time mmap returned; undo */
	OP_SETUP_MEMFD,		/* mmap the memfd that came along; the same */
	OP_REPLY,
};

struct msg {
	uint64_t op, arg, size, t;
};

/* The helper: grantee of the revoke test, receiver of the setup test. */
static struct {
	pid_t pid;
	int sock, pidfd;
} helper = { -1, -1, -1 };

/* Send one message, with @fd as SCM_RIGHTS when it is not -1. */
static void send_msg(int sock, const struct msg *m, int fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = (void *)m, .iov_len = sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(&c, 0, sizeof(c));
		mh.msg_control = c.buf;
		mh.msg_controllen = sizeof(c.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	/* MSG_NOSIGNAL: a dead peer is reported by recv_msg(), not SIGPIPE. */
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die_errno("sendmsg");
	if (n != (ssize_t)sizeof(*m))
		die("sendmsg (%s): sent %zd of %zu bytes", phase, n, sizeof(*m));
}

/* 1 with a message (*fd: the descriptor that came with it, or -1), 0 at EOF. */
static int recv_msg(int sock, struct msg *m, int *fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die_errno("recvmsg");
	if (n == 0)
		return 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
	if (n != (ssize_t)sizeof(*m) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		die("recvmsg (%s): a message of %zd bytes, flags %#x", phase, n, mh.msg_flags);
	return 1;
}

/* Untimed: every page's first word holds tag + its index. */
static void check_words(const char *base, size_t size, uint64_t tag, const char *who)
{
	for (size_t i = 0; i < size / page_size; i++) {
		uint64_t w = *(const volatile uint64_t *)(base + i * page_size);

		if (w != tag + i)
			die("%s (%s): page %zu holds %#llx, expected %#llx", who, phase, i,
			    (unsigned long long)w, (unsigned long long)(tag + i));
	}
}

/* In the helper: ACCEPT a grant of RIGHTS_RWM over @size bytes. */
static uint32_t helper_accept(uint64_t cap, uint64_t size)
{
	struct ratmem_accept a = { .cap_id = cap };

	rat_ioctl(RATMEM_IOC_ACCEPT, &a, "RATMEM_IOC_ACCEPT");
	if (!a.handle || a.size != size || a.rights != RIGHTS_RWM)
		die("RATMEM_IOC_ACCEPT gave handle %u, size %llu, rights %#x; expected size %llu, "
		    "rights %#x", a.handle, (unsigned long long)a.size, a.rights,
		    (unsigned long long)size, RIGHTS_RWM);
	return a.handle;
}

static void helper_main(int sock)
{
	struct msg m, reply;
	char *map = NULL;
	size_t map_size = 0;
	uint32_t h = 0;
	int fd;

	phase = "helper process";
	/* Its own context: a context works only in the process that opened it. */
	if (!share_skip)
		ratmem_open();
	while (recv_msg(sock, &m, &fd)) {
		memset(&reply, 0, sizeof(reply));
		reply.op = OP_REPLY;
		if (m.op != OP_SETUP_MEMFD && fd >= 0)
			die("helper: a descriptor came with request %llu", (unsigned long long)m.op);
		switch (m.op) {
		case OP_MAP_TOUCH:
		case OP_SETUP_RATMEM:
			if (map)
				die("helper: request %llu while mapped", (unsigned long long)m.op);
			h = helper_accept(m.arg, m.size);
			map = ratmem_map(h, (size_t)m.size);
			map_size = (size_t)m.size;
			if (m.op == OP_SETUP_RATMEM) {
				reply.t = now_ns();
				if (munmap(map, map_size))
					die_errno("munmap");
				ratmem_close(h);
				map = NULL;
			} else {
				touch(map, map_size, m.t);
				check_words(map, map_size, m.t, "grantee");
			}
			break;
		case OP_RELEASE:
			if (!map)
				die("helper: release without a mapping");
			/* Revoked by now: its PTEs are gone; CLOSE still works. */
			if (munmap(map, map_size))
				die_errno("munmap of the revoked mapping");
			ratmem_close(h);
			map = NULL;
			break;
		case OP_SETUP_MEMFD:
			if (fd < 0)
				die("helper: no memfd came with the request");
			map = mmap(NULL, (size_t)m.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (map == MAP_FAILED)
				die_errno("mmap of the received memfd");
			reply.t = now_ns();
			if (munmap(map, (size_t)m.size))
				die_errno("munmap");
			if (close(fd))
				die_errno("close of the received memfd");
			map = NULL;
			break;
		default:
			die("helper: unknown request %llu", (unsigned long long)m.op);
		}
		send_msg(sock, &reply, -1);
	}
	if (map)
		die("helper: the bench went away while a mapping was live");
	if (rat_fd >= 0 && close(rat_fd))
		die_errno("close /dev/ratmem");
}

static const char *status_str(int status)
{
	static char buf[64];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", status);
	return buf;
}

static void helper_start(void)
{
	pid_t parent = getpid();
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		die_errno("socketpair");
	fflush(stdout);
	fflush(stderr);
	helper.pid = fork();
	if (helper.pid < 0)
		die_errno("fork");
	if (helper.pid == 0) {
		/* Dies with the bench, so that a killed run leaves no context behind. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		close(sv[0]);
		/* The bench's context is no use here (EPERM); do not keep it alive. */
		if (rat_fd >= 0)
			close(rat_fd);
		rat_fd = -1;
		helper_main(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	helper.sock = sv[0];
	if (!share_skip) {
		helper.pidfd = (int)syscall(SYS_pidfd_open, helper.pid, 0);
		if (helper.pidfd < 0)
			die_errno("pidfd_open of the helper process");
	}
}

/* One request and its reply. */
static struct msg helper_call(uint64_t op, uint64_t arg, uint64_t size, uint64_t t, int fd)
{
	struct msg m = { .op = op, .arg = arg, .size = size, .t = t };
	int status, rfd;

	send_msg(helper.sock, &m, fd);
	if (!recv_msg(helper.sock, &m, &rfd)) {
		if (waitpid(helper.pid, &status, 0) != helper.pid)
			die_errno("waitpid");
		helper.pid = -1;
		die("the helper process ended (%s) during %s", status_str(status), phase);
	}
	if (rfd >= 0 || m.op != OP_REPLY)
		die("a bad reply from the helper process (%s)", phase);
	return m;
}

/* Close the socket (the helper then exits), reap the helper. */
static void helper_stop(void)
{
	int status;

	if (close(helper.sock))
		die_errno("close of the helper's socket");
	if (waitpid(helper.pid, &status, 0) != helper.pid)
		die_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("the helper process ended with %s", status_str(status));
	if (helper.pidfd >= 0 && close(helper.pidfd))
		die_errno("close of the pidfd");
	helper.pid = helper.sock = helper.pidfd = -1;
}

static uint64_t ratmem_grant_helper(uint32_t handle)
{
	struct ratmem_grant g = { .handle = handle, .rights = RIGHTS_RWM, .pidfd = helper.pidfd };

	rat_ioctl(RATMEM_IOC_GRANT, &g, "RATMEM_IOC_GRANT");
	if (!g.cap_id)
		die("RATMEM_IOC_GRANT returned capability id 0");
	return g.cap_id;
}

static void ratmem_revoke(uint32_t handle, uint64_t cap)
{
	struct ratmem_revoke r = { .handle = handle, .cap_id = cap };

	rat_ioctl(RATMEM_IOC_REVOKE, &r, "RATMEM_IOC_REVOKE");
}

/*
 * revoke: sizes, and rounds per size (a 256 MiB round faults 65536 pages
 * twice, in the grantee and for the munmap baseline).
 */
#define NREVOKE 4
static const size_t revoke_size[NREVOKE] = { 64 * 1024, 2 * MIB, 256 * MIB, 256 * MIB };
static const char *const revoke_label[NREVOKE] = { "64 KiB", "2 MiB", "256 MiB", "256M/2M" };
static const char *const revoke_name[NREVOKE] = { "revoke-64k", "revoke-2m", "revoke-256m",
						  "revoke-256m-huge" };
static const int revoke_rounds[NREVOKE] = { 31, 15, 3, 3 };
/* The last: a region of 2 MiB pages (PMD-mapped where the kernel can). */
static const uint32_t revoke_shift[NREVOKE] = { 0, 0, 0, RATMEM_PAGE_SHIFT_2M };

/* REVOKE of a grant the helper has mapped and touched in full; ns. */
static double revoke_once(size_t size, uint32_t shift, uint64_t tag)
{
	uint32_t h = ratmem_create_shift(size, RIGHTS_RWM | RATMEM_RIGHT_GRANT, shift);
	uint64_t cap = ratmem_grant_helper(h);
	struct ratmem_revoke r = { .handle = h, .cap_id = cap };
	uint64_t t0, t1;

	helper_call(OP_MAP_TOUCH, cap, size, tag, -1);
	t0 = now_ns();
	if (ioctl(rat_fd, RATMEM_IOC_REVOKE, &r))
		die_errno("RATMEM_IOC_REVOKE");
	t1 = now_ns();
	helper_call(OP_RELEASE, 0, 0, 0, -1);
	ratmem_close(h);
	return (double)(t1 - t0);
}

/* The baseline: munmap of the bench's own mapping, every page touched; ns. */
static double munmap_once(size_t size, uint32_t shift, uint64_t tag)
{
	uint32_t h = ratmem_create_shift(size, RIGHTS_RWM, shift);
	char *p = ratmem_map(h, size);
	uint64_t t0, t1;

	touch(p, size, tag);
	check_words(p, size, tag, "owner");
	t0 = now_ns();
	if (munmap(p, size))
		die_errno("munmap");
	t1 = now_ns();
	ratmem_close(h);
	return (double)(t1 - t0);
}

/* setup: ways of giving a 64 KiB object to another process. */
enum skind { S_RATMEM, S_MEMFD, S_RATMEM_NEW, S_MEMFD_FD, NSKINDS };

static const char *const skind_name[NSKINDS] = {
	[S_RATMEM] = "ratmem", [S_MEMFD] = "memfd",
	[S_RATMEM_NEW] = "ratmem-new", [S_MEMFD_FD] = "memfd-fd",
};

static const char *const skind_desc[NSKINDS] = {
	[S_RATMEM] = "GRANT+ACCEPT+mmap (the region exists)",
	[S_MEMFD] = "memfd_create+ftruncate+SCM_RIGHTS+mmap",
	[S_RATMEM_NEW] = "CREATE(COMMIT)+GRANT+ACCEPT+mmap (info)",
	[S_MEMFD_FD] = "SCM_RIGHTS+mmap (the memfd exists) (info)",
};

static int setup_skipped(enum skind k)
{
	return share_skip && (k == S_RATMEM || k == S_RATMEM_NEW);
}

/*
 * One hand-over, from the sender's start to the receiver's mmap
 * returning (the receiver's CLOCK_MONOTONIC reading); ns. The sender's
 * cleanup (REVOKE of the grant, CLOSE, close of the memfd) is untimed.
 * @region and @memfd are the existing objects of S_RATMEM and S_MEMFD_FD.
 */
static double setup_once(enum skind k, size_t size, uint32_t region, int memfd)
{
	uint64_t t0, cap;
	uint32_t h;
	struct msg reply;
	int fd;

	phase = skind_name[k];
	t0 = now_ns();
	switch (k) {
	case S_RATMEM:
	case S_RATMEM_NEW:
		h = k == S_RATMEM ? region : ratmem_create_rights(size, RIGHTS_RWM |
								  RATMEM_RIGHT_GRANT);
		cap = ratmem_grant_helper(h);
		reply = helper_call(OP_SETUP_RATMEM, cap, size, 0, -1);
		ratmem_revoke(h, cap);
		if (k == S_RATMEM_NEW)
			ratmem_close(h);
		break;
	case S_MEMFD:
		fd = memfd_create("ratmem_bench", MFD_CLOEXEC);
		if (fd < 0)
			die_errno("memfd_create");
		if (ftruncate(fd, (off_t)size))
			die_errno("ftruncate of the memfd");
		reply = helper_call(OP_SETUP_MEMFD, 0, size, 0, fd);
		if (close(fd))
			die_errno("close of the memfd");
		break;
	case S_MEMFD_FD:
		reply = helper_call(OP_SETUP_MEMFD, 0, size, 0, memfd);
		break;
	default:
		die("unknown setup kind %d", k);
	}
	return (double)reply.t - (double)t0;
}

/* Module-wide counters, to show that the sharing tests left nothing behind. */
static struct ratmem_stats stats_now(void)
{
	struct ratmem_stats st = { 0 };

	rat_ioctl(RATMEM_IOC_STATS, &st, "RATMEM_IOC_STATS");
	return st;
}

static void stats_expect(const struct ratmem_stats *before)
{
	struct ratmem_stats now = stats_now();

	if (now.contexts != before->contexts || now.regions != before->regions ||
	    now.handles != before->handles || now.pages != before->pages ||
	    now.mappings != before->mappings || now.grants != before->grants)
		die("ratmem counters after the sharing tests (contexts %llu, regions %llu, "
		    "handles %llu, pages %llu, mappings %llu, grants %llu) differ from before "
		    "(%llu, %llu, %llu, %llu, %llu, %llu)",
		    (unsigned long long)now.contexts, (unsigned long long)now.regions,
		    (unsigned long long)now.handles, (unsigned long long)now.pages,
		    (unsigned long long)now.mappings, (unsigned long long)now.grants,
		    (unsigned long long)before->contexts, (unsigned long long)before->regions,
		    (unsigned long long)before->handles, (unsigned long long)before->pages,
		    (unsigned long long)before->mappings, (unsigned long long)before->grants);
}

/* ---- main --------------------------------------------------------- */

static void usage(FILE *out, int code)
{
	fprintf(out,
		"usage: ratmem_bench [options]\n"
		"  --baseline-only   skip ratmem (anon and memfd only; no ratios)\n"
		"  --size-mib N      fault test size (default 256)\n"
		"  --reps N          repetitions, median reported (default 5)\n"
		"  --cycles N        lifecycle iterations per repetition (default 2000)\n"
		"  --cycle-kib N     lifecycle object size (default 64)\n"
		"  --setup-iters N   sharing setup hand-overs per kind (default 200)\n"
		"  --no-revoke-256   revoke test at 64 KiB and 2 MiB only\n");
	exit(code);
}

static long arg_num(const char *opt, const char *v, long lo, long hi)
{
	char *end;
	long n;

	if (!v)
		die("%s needs a value", opt);
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		die("%s: '%s' is not a number from %ld to %ld", opt, v, lo, hi);
	return n;
}

int main(int argc, char **argv)
{
	int reps = 5, cycles = 2000, setup_iters = 200, revoke_sizes = NREVOKE;
	size_t size = 256 * MIB, cycle_size = 64 * 1024;
	enum kind fault_kinds[] = { K_RATMEM, K_ANON4K, K_MEMFD, K_ANONTHP, K_RATMEM_RE,
				    K_MEMFD_RE };
	enum kind cycle_kinds[] = { K_RATMEM, K_MEMFD, K_ANON4K };
	double t_touch[NKINDS][MAX_REPS], setup[NKINDS][MAX_REPS], down[NKINDS][MAX_REPS];
	double cyc[NKINDS][MAX_REPS];
	struct stat3 fs[NKINDS], cs[NKINDS];
	double rv[NREVOKE][2][MAX_REPS];	/* [size][0 revoke, 1 munmap] */
	struct stat3 rs[NREVOKE][2];
	int rv_done[NREVOKE] = { 0 };
	long long rv_avail = -1;
	enum skind setup_kinds[] = { S_RATMEM, S_MEMFD, S_RATMEM_NEW, S_MEMFD_FD };
	double *st_ns[NSKINDS];
	struct stat3 ss[NSKINDS];
	struct ratmem_stats st_before = { 0 };
	struct sigaction sa;
	struct utsname un;
	char thp[128], shmem_thp[128];
	long long avail;
	size_t npages;
	cpu_set_t cpus;
	int cpu;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--baseline-only"))
			baseline_only = 1;
		else if (!strcmp(a, "--size-mib"))
			size = (size_t)arg_num(a, argv[++i], 2, 1 << 20) * MIB;
		else if (!strcmp(a, "--reps"))
			reps = (int)arg_num(a, argv[++i], 1, MAX_REPS);
		else if (!strcmp(a, "--cycles"))
			cycles = (int)arg_num(a, argv[++i], 1, 100000000);
		else if (!strcmp(a, "--cycle-kib"))
			cycle_size = (size_t)arg_num(a, argv[++i], 4, 1 << 20) * 1024;
		else if (!strcmp(a, "--setup-iters"))
			setup_iters = (int)arg_num(a, argv[++i], 1, 1000000);
		else if (!strcmp(a, "--no-revoke-256"))
			revoke_sizes = 2;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage(stdout, 0);
		else
			usage(stderr, 2);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (page_size != 4096)
		die("page size is %zu, this bench measures 4 KiB pages", page_size);
	if (size % HUGE_2M || cycle_size % page_size)
		die("sizes must be multiples of 2 MiB (faults) and 4 KiB (cycles)");
	npages = size / page_size;

	/* Needs one object of `size` at a time, plus a margin. */
	avail = proc_kb("/proc/meminfo", "MemAvailable");
	if (avail >= 0 && (unsigned long long)avail * 1024 < size + 64 * MIB)
		die("MemAvailable is %lld MiB; %zu MiB plus 64 MiB of margin are needed "
		    "(use --size-mib or give the machine more memory)", avail / 1024, size / MIB);

	/* One CPU for the whole run, so that no kind pays for migrations. */
	cpu = sched_getcpu();
	if (cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(cpu, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			die_errno("sched_setaffinity");
	}

	if (!baseline_only)
		ratmem_open();
	if (baseline_only) {
		share_skip = 1;
		share_skip_why = "--baseline-only";
	} else if (!(rat_features & RATMEM_FEATURE_SHARING)) {
		share_skip = 1;
		share_skip_why = "the module lacks RATMEM_FEATURE_SHARING";
	}

	uname(&un);
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp));
	read_line("/sys/kernel/mm/transparent_hugepage/shmem_enabled", shmem_thp, sizeof(shmem_thp));
	printf("ratmem_bench: kernel %s, cpu %d, MemAvailable %lld MiB\n",
	       un.release, cpu, avail / 1024);
	printf("  THP enabled: %s; shmem_enabled: %s\n", thp, shmem_thp);
	printf("  fault: %zu MiB = %zu pages of 4 KiB, one write per page; "
	       "cycle: %zu KiB x %d; %d rounds, kinds interleaved, median\n",
	       size / MIB, npages, cycle_size / 1024, cycles, reps);
	printf("  revoke: REVOKE of a grantee's mapping, every page touched, against munmap; "
	       "setup: %zu KiB handed over %d times per kind\n", cycle_size / 1024, setup_iters);
	if (baseline_only)
		printf("  ratmem: skipped (--baseline-only)\n");
	else if (share_skip)
		printf("  sharing: skipped (%s)\n", share_skip_why);

	/* Warm-up, not counted: the code paths, and memory the kernel keeps. */
	for (size_t k = 0; k < sizeof(fault_kinds) / sizeof(fault_kinds[0]); k++) {
		if (skipped(fault_kinds[k]))
			continue;
		fault_once(fault_kinds[k], 16 * MIB, 7, 0);
	}

	for (int r = 0; r < reps; r++) {
		int nk = (int)(sizeof(fault_kinds) / sizeof(fault_kinds[0]));

		for (int j = 0; j < nk; j++) {
			enum kind k = fault_kinds[(j + r) % nk];
			struct fault_run fr;

			if (skipped(k))
				continue;
			fr = fault_once(k, size, 0x1000 * (uint64_t)(r + 1), r == 0);
			t_touch[k][r] = fr.touch_ns;
			setup[k][r] = fr.setup_ns;
			down[k][r] = fr.teardown_ns;
		}
		nk = (int)(sizeof(cycle_kinds) / sizeof(cycle_kinds[0]));
		for (int j = 0; j < nk; j++) {
			enum kind k = cycle_kinds[(j + r) % nk];

			if (skipped(k))
				continue;
			cyc[k][r] = cycles_once(k, cycle_size, cycles);
		}
	}

	/*
	 * Sharing, with one helper process: the grantee of the revoke test
	 * and the receiver of the setup test. Everything it and the bench
	 * make here is gone again before the counters are compared.
	 */
	if (!baseline_only)
		st_before = stats_now();
	helper_start();
	if (!share_skip) {
		phase = "revoke warm-up";
		revoke_once(revoke_size[0], 0, 3);
		munmap_once(revoke_size[0], 0, 3);
		for (int s = 0; s < revoke_sizes; s++) {
			size_t sz = revoke_size[s];

			/* One object of sz at a time (the grantee maps the owner's pages). */
			if (sz > 16 * MIB) {
				rv_avail = proc_kb("/proc/meminfo", "MemAvailable");
				if (rv_avail >= 0 &&
				    (unsigned long long)rv_avail * 1024 < sz + 64 * MIB)
					continue;
			}
			phase = revoke_name[s];
			for (int r = 0; r < revoke_rounds[s]; r++) {
				uint64_t tag = 0x100000 * (uint64_t)(r + 1);

				/* Alternate which of the two goes first. */
				if (r % 2) {
					rv[s][1][r] = munmap_once(sz, revoke_shift[s], tag);
					rv[s][0][r] = revoke_once(sz, revoke_shift[s], tag);
				} else {
					rv[s][0][r] = revoke_once(sz, revoke_shift[s], tag);
					rv[s][1][r] = munmap_once(sz, revoke_shift[s], tag);
				}
			}
			rv_done[s] = 1;
		}
	}
	{
		int nk = (int)(sizeof(setup_kinds) / sizeof(setup_kinds[0]));
		uint32_t region = 0;
		int memfd;

		for (int k = 0; k < NSKINDS; k++) {
			st_ns[k] = calloc((size_t)setup_iters, sizeof(double));
			if (!st_ns[k])
				die("out of memory");
		}
		phase = "setup";
		if (!share_skip)
			region = ratmem_create_rights(cycle_size, RIGHTS_RWM | RATMEM_RIGHT_GRANT);
		memfd = memfd_create("ratmem_bench", MFD_CLOEXEC);
		if (memfd < 0)
			die_errno("memfd_create");
		if (ftruncate(memfd, (off_t)cycle_size))
			die_errno("ftruncate of the memfd");
		/* Warm-up, not counted. */
		for (int i = 0; i < 5; i++)
			for (int j = 0; j < nk; j++)
				if (!setup_skipped(setup_kinds[j]))
					setup_once(setup_kinds[j], cycle_size, region, memfd);
		for (int i = 0; i < setup_iters; i++) {
			for (int j = 0; j < nk; j++) {
				enum skind k = setup_kinds[(i + j) % nk];

				if (!setup_skipped(k))
					st_ns[k][i] = setup_once(k, cycle_size, region, memfd);
			}
		}
		phase = "setup cleanup";
		if (region)
			ratmem_close(region);
		if (close(memfd))
			die_errno("close of the memfd");
	}
	helper_stop();
	if (!baseline_only)
		stats_expect(&st_before);
	phase = "report";

	printf("\nfault throughput (time of the touch loop only)\n");
	printf("  %-9s %-39s %9s %9s %9s %8s %8s %9s %9s\n", "kind", "mapping", "ns/fault",
	       "min", "max", "Mpage/s", "GiB/s", "setup ms", "unmap ms");
	for (size_t j = 0; j < sizeof(fault_kinds) / sizeof(fault_kinds[0]); j++) {
		enum kind k = fault_kinds[j];
		struct stat3 su, dn;

		if (skipped(k))
			continue;
		fs[k] = summarize(t_touch[k], reps);
		su = summarize(setup[k], reps);
		dn = summarize(down[k], reps);
		printf("  %-9s %-39s %9.0f %9.0f %9.0f %8.3f %8.3f %9.2f %9.2f\n",
		       kind_name[k], kind_desc[k], fs[k].median / npages, fs[k].min / npages,
		       fs[k].max / npages, npages / fs[k].median * 1e3,
		       size / fs[k].median * 1e9 / (1024.0 * MIB), su.median / 1e6,
		       dn.median / 1e6);
	}
	if (!thp_advice_ok)
		printf("  anon-thp: MADV_HUGEPAGE refused (no THP in this kernel)\n");
	else if (thp_kb >= 0)
		printf("  anon-thp: AnonHugePages %lld MiB of %zu MiB after touching\n",
		       thp_kb / 1024, size / MIB);
	if (rat_pages_seen >= 0)
		printf("  ratmem: pages counter %lld while mapped (%lld before create)\n",
		       rat_pages_seen, rat_pages_before);

	printf("\nlifecycle of a %zu KiB object, %d cycles per round (ns per cycle)\n",
	       cycle_size / 1024, cycles);
	printf("  %-9s %-60s %10s %10s %10s\n", "kind", "cycle", "ns/cycle", "min", "max");
	for (size_t j = 0; j < sizeof(cycle_kinds) / sizeof(cycle_kinds[0]); j++) {
		enum kind k = cycle_kinds[j];
		static const char *const what[NKINDS] = {
			[K_RATMEM] = "CREATE(COMMIT)+mmap+touch+munmap+CLOSE",
			[K_MEMFD] = "memfd_create+ftruncate+mmap+touch+munmap+close",
			[K_ANON4K] = "mmap+madvise(NOHUGEPAGE)+touch+munmap (info)",
		};

		if (skipped(k))
			continue;
		cs[k] = summarize(cyc[k], reps);
		printf("  %-9s %-60s %10.0f %10.0f %10.0f\n", kind_name[k], what[k],
		       cs[k].median, cs[k].min, cs[k].max);
	}

	printf("\nrevoke of a grant whose grantee mapped and touched every page, against munmap "
	       "of an own such mapping (us per call)\n");
	printf("  %-8s %-7s %-47s %10s %10s %10s %6s\n", "size", "kind", "timed call", "us",
	       "min", "max", "rounds");
	for (int s = 0; s < NREVOKE; s++) {
		static const char *const what[2] = {
			"REVOKE; the grantee's PTEs go before it returns",
			"munmap of the owner's own ratmem mapping",
		};

		if (share_skip) {
			printf("  %-8s skipped (%s)\n", revoke_label[s], share_skip_why);
			continue;
		}
		if (s >= revoke_sizes) {
			printf("  %-8s skipped (--no-revoke-256)\n", revoke_label[s]);
			continue;
		}
		if (!rv_done[s]) {
			printf("  %-8s skipped: MemAvailable %lld MiB, %zu MiB plus 64 MiB needed\n",
			       revoke_label[s], rv_avail / 1024, revoke_size[s] / MIB);
			continue;
		}
		for (int w = 0; w < 2; w++) {
			rs[s][w] = summarize(rv[s][w], revoke_rounds[s]);
			printf("  %-8s %-7s %-47s %10.1f %10.1f %10.1f %6d\n", revoke_label[s],
			       w ? "munmap" : "revoke", what[w], rs[s][w].median / 1e3,
			       rs[s][w].min / 1e3, rs[s][w].max / 1e3, revoke_rounds[s]);
		}
	}

	printf("\nsharing setup of a %zu KiB object, %d hand-overs per kind, interleaved "
	       "(ns from the sender's start to the receiver's mmap returning)\n",
	       cycle_size / 1024, setup_iters);
	printf("  %-10s %-48s %10s %10s %10s\n", "kind", "steps", "ns", "min", "max");
	for (size_t j = 0; j < sizeof(setup_kinds) / sizeof(setup_kinds[0]); j++) {
		enum skind k = setup_kinds[j];

		if (setup_skipped(k)) {
			printf("  %-10s skipped (%s)\n", skind_name[k], share_skip_why);
			continue;
		}
		ss[k] = summarize(st_ns[k], setup_iters);
		printf("  %-10s %-48s %10.0f %10.0f %10.0f\n", skind_name[k], skind_desc[k],
		       ss[k].median, ss[k].min, ss[k].max);
	}

	printf("\n");
	for (size_t j = 0; j < sizeof(fault_kinds) / sizeof(fault_kinds[0]); j++) {
		enum kind k = fault_kinds[j];

		if (skipped(k))
			continue;
		printf("result fault %s ns_per_fault %.1f\n", kind_name[k], fs[k].median / npages);
	}
	for (size_t j = 0; j < sizeof(cycle_kinds) / sizeof(cycle_kinds[0]); j++) {
		enum kind k = cycle_kinds[j];

		if (skipped(k))
			continue;
		printf("result cycle %s ns_per_cycle %.0f\n", kind_name[k], cs[k].median);
	}
	for (int s = 0; s < NREVOKE; s++) {
		if (!share_skip && s < revoke_sizes && rv_done[s]) {
			printf("result %s revoke us %.1f\n", revoke_name[s], rs[s][0].median / 1e3);
			printf("result %s munmap us %.1f\n", revoke_name[s], rs[s][1].median / 1e3);
		}
	}
	for (size_t j = 0; j < sizeof(setup_kinds) / sizeof(setup_kinds[0]); j++) {
		enum skind k = setup_kinds[j];

		if (!setup_skipped(k))
			printf("result setup %s ns_per_setup %.0f\n", skind_name[k], ss[k].median);
	}
	if (baseline_only) {
		printf("no ratios: ratmem skipped (--baseline-only)\n");
	} else {
		printf("ratios are time ratios of the medians (ratmem / other): "
		       "above 1 means ratmem is slower\n");
		printf("ratio fault ratmem/anon4k %.2f\n", fs[K_RATMEM].median / fs[K_ANON4K].median);
		printf("ratio fault ratmem/memfd %.2f\n", fs[K_RATMEM].median / fs[K_MEMFD].median);
		printf("ratio cycle ratmem/memfd %.2f\n", cs[K_RATMEM].median / cs[K_MEMFD].median);
		printf("ratio refault ratmem-re/memfd-re %.2f\n",
		       fs[K_RATMEM_RE].median / fs[K_MEMFD_RE].median);
		for (int s = 0; s < NREVOKE; s++) {
			if (!share_skip && s < revoke_sizes && rv_done[s])
				printf("ratio %s revoke/munmap %.2f\n", revoke_name[s],
				       rs[s][0].median / rs[s][1].median);
		}
		if (!share_skip) {
			printf("ratio setup ratmem/memfd %.2f\n",
			       ss[S_RATMEM].median / ss[S_MEMFD].median);
			printf("ratio setup ratmem-new/memfd %.2f\n",
			       ss[S_RATMEM_NEW].median / ss[S_MEMFD].median);
			printf("ratio setup ratmem/memfd-fd %.2f\n",
			       ss[S_RATMEM].median / ss[S_MEMFD_FD].median);
		}
	}
	for (int k = 0; k < NSKINDS; k++)
		free(st_ns[k]);
	if (rat_fd >= 0 && close(rat_fd))
		die_errno("close /dev/ratmem");
	return 0;
}
