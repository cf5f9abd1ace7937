// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: named regions (NAMED_CREATE, NAMED_OPEN, UNLINK; contract
 * section 4 and the "Named regions" block of uapi/linux/ratmem.h).
 *
 * Names are shared by every test program, so each test's names carry
 * the test process's pid. Other processes are forked helpers ("peers")
 * that open their own context, as contexts are bound to their opener,
 * and talk to the test over a SOCK_SEQPACKET pair. Peers that switch to
 * another uid open a private 0666 node of the device in /tmp, since
 * /dev/ratmem itself is root-only: so the mode of a name is the only
 * permission check they meet.
 */
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "share.h"
#include "util.h"

#define ALL RATMEM_RIGHTS_ALL
#define RW (PROT_READ | PROT_WRITE)
#define R_ RATMEM_RIGHT_READ
#define W_ RATMEM_RIGHT_WRITE
#define X_ RATMEM_RIGHT_EXEC
#define M_ RATMEM_RIGHT_MAP
#define G_ RATMEM_RIGHT_GRANT
#define RWM (R_ | W_ | M_)

/* ---- context, feature check -------------------------------------------- */

/* The named-region feature and its three ioctls. */
#define NAMED_IOCTLS ((1ULL << RATMEM_IOC_NR_NAMED_CREATE) | (1ULL << RATMEM_IOC_NR_NAMED_OPEN) | \
		      (1ULL << RATMEM_IOC_NR_UNLINK))

/* A context of the calling process with the named-region feature. */
static int ctx(void)
{
	return rt_open_ctx_need(RATMEM_FEATURE_NAMED, NAMED_IOCTLS);
}

/* A name unique to this test process: "rtn-<tag>-<pid>". */
static void mkname(char *buf, const char *tag)
{
	int n = snprintf(buf, RATMEM_NAME_MAX, "rtn-%s-%d", tag, (int)getpid());

	ASSERT_TRUE(n > 0 && n < RATMEM_NAME_MAX);
}

/* ---- raw ioctl wrappers: 0 or -errno ---------------------------------- */

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int ncreate(int fd, const char *name, uint64_t size, uint32_t rights, uint32_t mode,
		   uint32_t flags, uint32_t *handle, uint64_t *id)
{
	struct ratmem_named_create c = {
		.name = (uintptr_t)name, .size = size, .flags = flags,
		.rights = rights, .mode = mode,
	};
	int r = ioc(fd, RATMEM_IOC_NAMED_CREATE, &c);

	if (!r && handle)
		*handle = c.handle;
	if (!r && id)
		*id = c.region_id;
	return r;
}

/* A committed named region of @pages pages with all rights, or fail. */
static uint32_t ncreate_ok(int fd, const char *name, uint64_t pages, uint32_t mode, uint64_t *id)
{
	uint32_t h = 0;
	uint64_t rid = 0;
	int r = ncreate(fd, name, pages * PG, ALL, mode, RATMEM_CREATE_COMMIT, &h, &rid);

	if (r)
		rt_fail(__FILE__, __LINE__, "NAMED_CREATE %s: %s", name, strerror(-r));
	ASSERT_NE(h, 0);
	ASSERT_NE(rid, 0);
	if (id)
		*id = rid;
	return h;
}

static int nopen(int fd, const char *name, uint32_t rights, uint32_t *handle, uint64_t *id,
		 uint64_t *size)
{
	struct ratmem_named_open o = { .name = (uintptr_t)name, .rights = rights };
	int r = ioc(fd, RATMEM_IOC_NAMED_OPEN, &o);

	if (!r) {
		ASSERT_NE(o.handle, 0);
		if (handle)
			*handle = o.handle;
		if (id)
			*id = o.region_id;
		if (size)
			*size = o.size;
	}
	return r;
}

static uint32_t nopen_ok(int fd, const char *name, uint32_t rights, uint64_t *id)
{
	uint32_t h = 0;
	int r = nopen(fd, name, rights, &h, id, NULL);

	if (r)
		rt_fail(__FILE__, __LINE__, "NAMED_OPEN %s rights 0x%x: %s", name, rights, strerror(-r));
	return h;
}

static int nunlink(int fd, const char *name, uint32_t flags)
{
	struct ratmem_unlink u = { .name = (uintptr_t)name, .flags = flags };

	return ioc(fd, RATMEM_IOC_UNLINK, &u);
}

static int hclose(int fd, uint32_t handle)
{
	struct ratmem_close c = { .handle = handle };

	return ioc(fd, RATMEM_IOC_CLOSE, &c);
}

static int hquery(int fd, uint32_t handle, struct ratmem_query *q)
{
	*q = (struct ratmem_query){ .handle = handle };
	return ioc(fd, RATMEM_IOC_QUERY, q);
}

static int hdup(int fd, uint32_t handle, uint32_t rights, uint32_t *out)
{
	struct ratmem_dup d = { .handle = handle, .rights = rights };
	int r = ioc(fd, RATMEM_IOC_DUP, &d);

	if (!r && out)
		*out = d.new_handle;
	return r;
}

/* ---- peers: forked helper processes with a message channel ----------- */

struct peer {
	pid_t pid;
	int sock;
};

/* The test's ends of live channels: a new peer must not hold them, or
 * a dead peer would never show as end-of-file. */
static int live_socks[8];
static int n_live;

static struct peer peer_start(void (*fn)(int sock, void *arg), void *arg)
{
	int sv[2];
	pid_t pid;

	ASSERT_TRUE(n_live < (int)(sizeof(live_socks) / sizeof(live_socks[0])));
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		for (int i = 0; i < n_live; i++)
			close(live_socks[i]);
		n_live = 0;
		close(sv[0]);
		fn(sv[1], arg);
		fflush(stdout);
		_exit(0);
	}
	close(sv[1]);
	live_socks[n_live++] = sv[0];
	return (struct peer){ pid, sv[0] };
}

/* Reap a peer: it must have exited with status 0. */
static void peer_end(struct peer *p)
{
	int status;

	for (int i = 0; i < n_live; i++)
		if (live_socks[i] == p->sock)
			live_socks[i] = live_socks[--n_live];
	close(p->sock);
	ASSERT_EQ(waitpid(p->pid, &status, 0), p->pid);
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "peer %d failed (wait status 0x%x)", (int)p->pid,
			status);
}

/* ---- other users ------------------------------------------------------- */

static char node_path[64];

/* A 0666 device node of ratmem, for processes that are not root. */
static void make_open_node(void)
{
	struct stat st;

	if (geteuid() != 0 && !getenv("RATMEM_BENCH"))
		SKIP("not root: cannot switch uids");
	ASSERT_EQ(geteuid(), 0);
	ASSERT_EQ(stat("/dev/" RATMEM_DEVICE_NAME, &st), 0);
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	snprintf(node_path, sizeof(node_path), "/tmp/ratmem-named-%d", (int)getpid());
	unlink(node_path);
	ASSERT_EQ(mknod(node_path, S_IFCHR | 0666, st.st_rdev), 0);
	ASSERT_EQ(chmod(node_path, 0666), 0);	/* whatever the umask */
}

static void drop_open_node(void)
{
	ASSERT_EQ(unlink(node_path), 0);
}

static int ctx_at_node(void)
{
	int fd = open(node_path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		rt_fail(__FILE__, __LINE__, "open %s: %s", node_path, strerror(errno));
	rt_need(fd, RATMEM_FEATURE_NAMED, NAMED_IOCTLS);
	return fd;
}

/* Switch to uid/gid with these supplementary groups; no capability left. */
static void become(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups)
{
	ASSERT_EQ(setgroups(ngroups, groups), 0);
	ASSERT_EQ(setgid(gid), 0);
	ASSERT_EQ(setuid(uid), 0);
	ASSERT_EQ(geteuid(), uid);
	ASSERT_EQ(getegid(), gid);
	ASSERT_SYSCALL_ERRNO(setuid(0), EPERM);	/* really unprivileged */
}

/* ======================================================================= */

struct share_arg {
	char name[RATMEM_NAME_MAX];
	uint64_t id, size;
};

static void opener_shares_data(int sock, void *argp)
{
	struct share_arg *a = argp;
	int fd = ctx();
	uint32_t h = 0;
	uint64_t id = 0, size = 0;
	struct ratmem_query q;
	unsigned char *p;

	ASSERT_EQ(nopen(fd, a->name, RWM, &h, &id, &size), 0);
	ASSERT_EQ(id, a->id);
	ASSERT_EQ(size, a->size);
	ASSERT_EQ(hquery(fd, h, &q), 0);
	ASSERT_EQ(q.region_id, a->id);
	ASSERT_EQ(q.size, a->size);
	ASSERT_EQ(q.committed, a->size);
	ASSERT_EQ(q.rights, RWM);
	ASSERT_EQ(q.max_rights, ALL);
	p = rt_map_ok(fd, h, 0, a->size, RW);
	rt_expect_bytes(p, PG, 0xa1);		/* the creator's write */
	memset(p + PG, 0xb2, PG);
	rt_send(sock, 1);
	ASSERT_EQ(rt_recv(sock), 2);
	rt_expect_bytes(p + 2 * PG, PG, 0xc3);	/* written after we mapped */
	ASSERT_EQ(munmap(p, a->size), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_ERRNO(hclose(fd, h), EBADF);
	ASSERT_EQ(close(fd), 0);
}

/* Another process opens the name: same id and size, data both ways, counters back after unlink. */
TEST(named_open_from_other_process_shares_data)
{
	struct rt_counters before = rt_counters_now(), mid;
	struct share_arg a = { .size = 4 * PG };
	int fd = ctx();
	uint32_t h;
	unsigned char *p;
	struct peer b;

	mkname(a.name, "share");
	h = ncreate_ok(fd, a.name, 4, 0600, &a.id);
	mid = rt_counters_now();
	ASSERT_EQ(mid.names, before.names + 1);
	ASSERT_EQ(mid.regions, before.regions + 1);
	ASSERT_EQ(mid.handles, before.handles + 1);
	p = rt_map_ok(fd, h, 0, a.size, RW);
	memset(p, 0xa1, PG);

	b = peer_start(opener_shares_data, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	rt_expect_bytes(p + PG, PG, 0xb2);	/* the opener's write */
	mid = rt_counters_now();
	ASSERT_EQ(mid.handles, before.handles + 2);
	ASSERT_EQ(mid.mappings, before.mappings + 2);
	ASSERT_EQ(mid.regions, before.regions + 1);
	memset(p + 2 * PG, 0xc3, PG);
	rt_send(b.sock, 2);
	peer_end(&b);

	rt_expect_bytes(p + PG, PG, 0xb2);
	rt_expect_bytes(p + 3 * PG, PG, 0);
	ASSERT_EQ(munmap(p, a.size), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	/* No handle is left, but the name still holds the region. */
	mid = rt_counters_now();
	ASSERT_EQ(mid.names, before.names + 1);
	ASSERT_EQ(mid.regions, before.regions + 1);
	ASSERT_EQ(mid.handles, before.handles);
	ASSERT_EQ(nunlink(fd, a.name, 0), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

struct exist_arg {
	char name[RATMEM_NAME_MAX];
	uint64_t id1;
};

static void peer_across_unlink(int sock, void *argp)
{
	struct exist_arg *a = argp;
	int fd = ctx();
	uint32_t h, h2, d = 0, hn;
	uint64_t id = 0, id2;
	struct ratmem_query q;
	unsigned char *p, *pn;

	/* The name exists for this process too. */
	ASSERT_ERRNO(ncreate(fd, a->name, PG, ALL, 0600, 0, NULL, NULL), EEXIST);
	ASSERT_ERRNO(ncreate(fd, a->name, 8 * PG, R_, 0644, RATMEM_CREATE_COMMIT, NULL, NULL),
		     EEXIST);
	h = nopen_ok(fd, a->name, RWM, &id);
	ASSERT_EQ(id, a->id1);
	p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	rt_expect_bytes(p, PG, 0x4d);
	rt_send(sock, 1);

	ASSERT_EQ(rt_recv(sock), 2);		/* the name is gone now */
	ASSERT_ERRNO(nopen(fd, a->name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_ERRNO(nunlink(fd, a->name, 0), ENOENT);
	/* ... but this handle and mapping work as before. */
	rt_expect_bytes(p, PG, 0x4d);
	memset(p + PG, 0x5e, PG);
	ASSERT_EQ(hquery(fd, h, &q), 0);
	ASSERT_EQ(q.region_id, a->id1);
	ASSERT_EQ(hdup(fd, h, R_ | M_, &d), 0);
	ASSERT_EQ(rt_commit(fd, h, 0, PG), 0);
	h2 = d;
	rt_send(sock, 3);

	id2 = rt_recv(sock);			/* a new region under the old name */
	ASSERT_NE(id2, a->id1);
	hn = nopen_ok(fd, a->name, R_ | M_, &id);
	ASSERT_EQ(id, id2);
	pn = rt_map_ok(fd, hn, 0, PG, PROT_READ);
	rt_expect_bytes(pn, PG, 0);		/* not the old region's data */
	ASSERT_EQ(hquery(fd, h2, &q), 0);
	ASSERT_EQ(q.region_id, a->id1);		/* old handles stay on the old region */
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(munmap(pn, PG), 0);
	ASSERT_EQ(close(fd), 0);
}

/* EEXIST from any process, ENOENT if missing; unlinked: handles still work, name reusable. */
TEST(named_eexist_enoent_and_reuse)
{
	struct rt_counters before = rt_counters_now(), mid;
	struct exist_arg a;
	int fd = ctx();
	uint32_t h, h2;
	uint64_t id2 = 0;
	unsigned char *p;
	struct peer b;

	mkname(a.name, "exist");
	ASSERT_ERRNO(nopen(fd, a.name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_ERRNO(nunlink(fd, a.name, 0), ENOENT);
	ASSERT_ERRNO(nunlink(fd, a.name, RATMEM_UNLINK_REVOKE), ENOENT);

	h = ncreate_ok(fd, a.name, 2, 0600, &a.id1);
	ASSERT_ERRNO(ncreate(fd, a.name, 2 * PG, ALL, 0600, RATMEM_CREATE_COMMIT, NULL, NULL),
		     EEXIST);
	ASSERT_ERRNO(ncreate(fd, a.name, PG, R_ | M_, 0666, 0, NULL, NULL), EEXIST);
	mid = rt_counters_now();			/* the refusals left nothing */
	ASSERT_EQ(mid.regions, before.regions + 1);
	ASSERT_EQ(mid.handles, before.handles + 1);
	ASSERT_EQ(mid.names, before.names + 1);
	p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	memset(p, 0x4d, PG);

	b = peer_start(peer_across_unlink, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	ASSERT_EQ(nunlink(fd, a.name, 0), 0);
	ASSERT_ERRNO(nunlink(fd, a.name, 0), ENOENT);
	ASSERT_ERRNO(nopen(fd, a.name, R_, NULL, NULL, NULL), ENOENT);
	mid = rt_counters_now();
	ASSERT_EQ(mid.names, before.names);
	ASSERT_EQ(mid.regions, before.regions + 1);
	rt_send(b.sock, 2);
	ASSERT_EQ(rt_recv(b.sock), 3);
	rt_expect_bytes(p + PG, PG, 0x5e);	/* the peer wrote after the unlink */
	p[0] = 0x6f;
	ASSERT_EQ(p[0], 0x6f);

	h2 = ncreate_ok(fd, a.name, 1, 0600, &id2);
	ASSERT_NE(id2, a.id1);
	ASSERT_EQ(rt_counters_now().regions, before.regions + 2);
	rt_send(b.sock, id2);
	peer_end(&b);

	ASSERT_EQ(nunlink(fd, a.name, 0), 0);
	ASSERT_EQ(hclose(fd, h2), 0);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

/* NAMED_CREATE, NAMED_OPEN and UNLINK of the name at @ptr all fail with @err.
 * A create that wrongly succeeds is undone first, so that no name leaks
 * into later tests. */
static void expect_name_error(int fd, uint64_t ptr, int err, const char *what)
{
	struct ratmem_named_create c = { .name = ptr, .size = PG, .rights = ALL, .mode = 0600 };
	struct ratmem_named_open o = { .name = ptr, .rights = R_ };
	struct ratmem_unlink u = { .name = ptr };
	int r;

	r = ioc(fd, RATMEM_IOC_NAMED_CREATE, &c);
	if (r == 0) {
		ioc(fd, RATMEM_IOC_UNLINK, &u);
		rt_fail(__FILE__, __LINE__, "NAMED_CREATE of %s succeeded, expected %s", what,
			strerror(err));
	}
	if (r != -err)
		rt_fail(__FILE__, __LINE__, "NAMED_CREATE of %s: %s, expected %s", what,
			strerror(-r), strerror(err));
	r = ioc(fd, RATMEM_IOC_NAMED_OPEN, &o);
	if (r != -err)
		rt_fail(__FILE__, __LINE__, "NAMED_OPEN of %s: %s, expected %s", what,
			r ? strerror(-r) : "success", strerror(err));
	r = ioc(fd, RATMEM_IOC_UNLINK, &u);
	if (r != -err)
		rt_fail(__FILE__, __LINE__, "UNLINK of %s: %s, expected %s", what,
			r ? strerror(-r) : "success", strerror(err));
}

/* @name is valid: create, open (same region) and unlink it. */
static void expect_name_ok(int fd, const char *name)
{
	uint32_t h = 0, h2;
	uint64_t id = 0, id2 = 0;
	int r = ncreate(fd, name, PG, ALL, 0600, 0, &h, &id);

	if (r)
		rt_fail(__FILE__, __LINE__, "NAMED_CREATE of \"%s\": %s", name, strerror(-r));
	h2 = nopen_ok(fd, name, R_, &id2);
	ASSERT_EQ(id2, id);
	ASSERT_EQ(nunlink(fd, name, 0), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(hclose(fd, h2), 0);
}

/* Name rules: EINVAL, ENAMETOOLONG and EFAULT exactly, and nothing past byte 64 is read. */
TEST(named_name_validation)
{
	static const char *const bad[] = {
		"", "a/b", "/abs", "a b", " a", "a ", ".", "..", ".hidden", "a\tb", "a\nb",
		"a:b", "a*b", "a\\b", "a+b", "caf\xc3\xa9", "\xe9t\xe9", "a\x7f", "a\x01",
	};
	struct rt_counters before = rt_counters_now();
	int fd = ctx();
	char name[RATMEM_NAME_MAX + 64], what[96];
	unsigned char *area;
	char *edge;
	int n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "bad name #%zu", i);
		expect_name_error(fd, (uintptr_t)bad[i], EINVAL, what);
	}
	/* Characters that are fine, also first (except '.') and last. */
	n = snprintf(name, sizeof(name), "-Az09._-x%d.", (int)getpid());
	ASSERT_TRUE(n < RATMEM_NAME_MAX);
	expect_name_ok(fd, name);
	name[0] = '_';
	expect_name_ok(fd, name);

	/* 63 bytes: the longest name. 64 and more: ENAMETOOLONG. */
	n = snprintf(name, sizeof(name), "rtn-long-%d-", (int)getpid());
	memset(name + n, 'x', RATMEM_NAME_MAX - 1 - n);
	name[RATMEM_NAME_MAX - 1] = '\0';
	ASSERT_EQ(strlen(name), RATMEM_NAME_MAX - 1);
	expect_name_ok(fd, name);
	name[RATMEM_NAME_MAX - 1] = 'y';
	name[RATMEM_NAME_MAX] = '\0';
	expect_name_error(fd, (uintptr_t)name, ENAMETOOLONG, "a 64-byte name");
	memset(name, 'z', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	expect_name_error(fd, (uintptr_t)name, ENAMETOOLONG, "a 127-byte name");

	/* Names that end at a page followed by an inaccessible one. */
	area = mmap(NULL, 2 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(area != MAP_FAILED);
	ASSERT_EQ(mprotect(area + PG, PG, PROT_NONE), 0);
	edge = (char *)area + PG - RATMEM_NAME_MAX;
	/* 64 bytes, no NUL: too long, known without reading further. */
	memset(edge, 'e', RATMEM_NAME_MAX);
	expect_name_error(fd, (uintptr_t)edge, ENAMETOOLONG,
			  "64 bytes before an inaccessible page");
	/* 63 bytes and the NUL as the page's last byte: fine. */
	n = snprintf(edge, RATMEM_NAME_MAX, "rtn-edge-%d-", (int)getpid());
	memset(edge + n, 'e', RATMEM_NAME_MAX - 1 - n);
	edge[RATMEM_NAME_MAX - 1] = '\0';
	expect_name_ok(fd, edge);
	/* 63 bytes with no NUL: the 64th byte cannot be read. */
	memset(edge, 'f', RATMEM_NAME_MAX);
	expect_name_error(fd, (uintptr_t)(edge + 1), EFAULT,
			  "63 bytes before an inaccessible page");

	expect_name_error(fd, 0, EFAULT, "a NULL name");
	expect_name_error(fd, (uintptr_t)(area + PG), EFAULT, "a PROT_NONE name");
	expect_name_error(fd, 0xffff888000000000ULL, EFAULT, "a kernel address");
	expect_name_error(fd, 0x8000000000000000ULL, EFAULT, "a non-canonical address");
	ASSERT_EQ(munmap(area, 2 * PG), 0);

	/* The structs themselves unreadable. */
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_NAMED_CREATE, NULL), EFAULT);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_NAMED_OPEN, NULL), EFAULT);
	ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_UNLINK, (void *)1), EFAULT);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* NAMED_CREATE with @c must fail with @err and leave nothing behind. */
static void expect_create_error(int fd, struct ratmem_named_create c, int err, const char *what)
{
	int r = ioc(fd, RATMEM_IOC_NAMED_CREATE, &c);

	if (r == 0) {
		nunlink(fd, (const char *)(uintptr_t)c.name, 0);
		rt_fail(__FILE__, __LINE__, "NAMED_CREATE with %s succeeded, expected %s", what,
			strerror(err));
	}
	if (r != -err)
		rt_fail(__FILE__, __LINE__, "NAMED_CREATE with %s: %s, expected %s", what,
			strerror(-r), strerror(err));
}

/* Bad flags, pad, reserved, mode, size or rights are EINVAL and create nothing. */
TEST(named_bad_fields_einval)
{
	static const uint64_t sizes[] = {
		0, 1, PG - 1, PG + 1, 3 * PG / 2, (1ULL << 40) + PG, 1ULL << 41, ~0ULL,
		~0ULL & ~(PG - 1),
	};
	static const uint32_t rights[] = { 0, 0x20, ALL + 1, 0x80000000U, ~0U };
	static const uint32_t modes[] = { 01000, 02000, 04000, 07777, 010000, 0x80000000U,
					  ~0U };
	struct rt_counters before = rt_counters_now();
	int fd = ctx();
	char name[RATMEM_NAME_MAX], other[RATMEM_NAME_MAX], what[64];
	struct ratmem_named_create ok, c;
	struct ratmem_named_open o;
	struct ratmem_unlink u;
	uint32_t h;

	mkname(name, "fields");
	ok = (struct ratmem_named_create){ .name = (uintptr_t)name, .size = PG,
					   .rights = ALL, .mode = 0600 };
	for (int bit = 0; bit < 32; bit++) {
		if ((1U << bit) & RATMEM_NAMED_CREATE_FLAGS)
			continue;
		c = ok;
		c.flags = 1U << bit;
		snprintf(what, sizeof(what), "flags bit %d", bit);
		expect_create_error(fd, c, EINVAL, what);
	}
	c = ok;
	c.reserved = 1;
	expect_create_error(fd, c, EINVAL, "the reserved word set");
	c = ok;
	c.page_shift = 13;
	expect_create_error(fd, c, EINVAL, "page_shift 13");
	c = ok;
	c.page_shift = 21;
	expect_create_error(fd, c, EINVAL, "page_shift 21 with a 4 KiB size");
	c = ok;
	c.page_shift = 22;
	expect_create_error(fd, c, EINVAL, "page_shift 22");
	c = ok;
	c.flags = RATMEM_CREATE_PAGE_AUTO;
	c.page_shift = RATMEM_PAGE_SHIFT_4K;
	expect_create_error(fd, c, EINVAL, "PAGE_AUTO with a page_shift");
	c = ok;
	c.numa_node = -1;
	expect_create_error(fd, c, EINVAL, "a node without RATMEM_CREATE_NODE");
	c = ok;
	c.flags = RATMEM_CREATE_NODE;
	c.numa_node = -2;
	expect_create_error(fd, c, EINVAL, "node -2");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		c = ok;
		c.mode = modes[i];
		snprintf(what, sizeof(what), "mode 0%o", modes[i]);
		expect_create_error(fd, c, EINVAL, what);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		c = ok;
		c.size = sizes[i];
		snprintf(what, sizeof(what), "size 0x%llx", (unsigned long long)sizes[i]);
		expect_create_error(fd, c, EINVAL, what);
	}
	for (size_t i = 0; i < sizeof(rights) / sizeof(rights[0]); i++) {
		c = ok;
		c.rights = rights[i];
		snprintf(what, sizeof(what), "rights 0x%x", rights[i]);
		expect_create_error(fd, c, EINVAL, what);
	}
	ASSERT_ERRNO(nopen(fd, name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_EQ(rt_counters_now().names, before.names);

	/* The same struct with good fields works: mode 0 and 0777 included. */
	h = ncreate_ok(fd, name, 1, 0777, NULL);
	ASSERT_EQ(hclose(fd, h), 0);
	mkname(other, "fields0");
	ASSERT_EQ(ncreate(fd, other, PG, R_, 0, 0, &h, NULL), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(nunlink(fd, other, 0), 0);

	/* NAMED_OPEN: flags, pad, reserved, and rights that are empty or unknown. */
	for (int bit = 0; bit < 32; bit++) {
		o = (struct ratmem_named_open){ .name = (uintptr_t)name, .rights = R_,
					  .flags = 1U << bit };
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_NAMED_OPEN, &o), EINVAL);
	}
	o = (struct ratmem_named_open){ .name = (uintptr_t)name, .rights = R_, .pad = 1 };
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_NAMED_OPEN, &o), EINVAL);
	for (int i = 0; i < 2; i++) {
		o = (struct ratmem_named_open){ .name = (uintptr_t)name, .rights = R_ };
		o.reserved[i] = 1;
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_NAMED_OPEN, &o), EINVAL);
	}
	for (size_t i = 0; i < sizeof(rights) / sizeof(rights[0]); i++) {
		o = (struct ratmem_named_open){ .name = (uintptr_t)name, .rights = rights[i] };
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_NAMED_OPEN, &o), EINVAL);
	}
	ASSERT_EQ(rt_counters_now().handles, before.handles);

	/* UNLINK: unknown flags, pad, reserved; the name survives them. */
	for (int bit = 0; bit < 32; bit++) {
		if ((1U << bit) & RATMEM_UNLINK_FLAGS)
			continue;
		u = (struct ratmem_unlink){ .name = (uintptr_t)name, .flags = 1U << bit };
		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), EINVAL);
	}
	u = (struct ratmem_unlink){ .name = (uintptr_t)name, .flags = RATMEM_UNLINK_REVOKE | 2 };
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), EINVAL);
	u = (struct ratmem_unlink){ .name = (uintptr_t)name, .pad = 1 };
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), EINVAL);
	u = (struct ratmem_unlink){ .name = (uintptr_t)name, .region_id = 1 };
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), EINVAL);
	u = (struct ratmem_unlink){ .name = (uintptr_t)name, .reserved = 1 };
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), EINVAL);
	h = nopen_ok(fd, name, R_, NULL);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(nunlink(fd, name, 0), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

enum { M600, M604, M606, M605, M601, M000, MMAXR, NMODES };

static const uint32_t mode_of[NMODES] = {
	[M600] = 0600, [M604] = 0604, [M606] = 0606, [M605] = 0605, [M601] = 0601,
	[M000] = 0000, [MMAXR] = 0666,
};

struct modes_arg {
	char name[NMODES][RATMEM_NAME_MAX];
};

static void expect_open(int fd, const char *name, uint32_t rights, int err)
{
	uint32_t h = 0;
	int r = nopen(fd, name, rights, &h, NULL, NULL);

	if (r != -err)
		rt_fail(__FILE__, __LINE__, "NAMED_OPEN %s rights 0x%x as uid %d: %s, expected %s",
			name, rights, (int)geteuid(), r ? strerror(-r) : "success",
			err ? strerror(err) : "success");
	if (!r)
		ASSERT_EQ(hclose(fd, h), 0);
}

static void nobody_opens(int sock, void *argp)
{
	struct modes_arg *a = argp;
	int fd;
	uint32_t h;
	unsigned char *p;

	become(65534, 65534, 0, NULL);
	fd = ctx_at_node();

	/* 0600: nothing for others. */
	expect_open(fd, a->name[M600], R_ | M_, EACCES);
	expect_open(fd, a->name[M600], R_, EACCES);
	expect_open(fd, a->name[M600], W_, EACCES);
	expect_open(fd, a->name[M600], X_, EACCES);
	/* 0604: read only. */
	expect_open(fd, a->name[M604], R_ | M_, 0);
	expect_open(fd, a->name[M604], R_ | W_ | M_, EACCES);
	expect_open(fd, a->name[M604], W_, EACCES);
	expect_open(fd, a->name[M604], R_ | X_ | M_, EACCES);
	h = nopen_ok(fd, a->name[M604], R_ | M_, NULL);
	p = rt_map_ok(fd, h, 0, PG, PROT_READ);
	rt_expect_bytes(p, PG, 0x2a);
	ASSERT_TRUE(rt_map(fd, h, 0, PG, RW) == MAP_FAILED && errno == EACCES);
	ASSERT_EQ(munmap(p, PG), 0);
	/* 0606 (created under umask 077): read and write. */
	h = nopen_ok(fd, a->name[M606], RWM, NULL);
	p = rt_map_ok(fd, h, 0, PG, RW);
	memset(p, 0x3b, PG);
	ASSERT_EQ(munmap(p, PG), 0);
	expect_open(fd, a->name[M606], R_ | X_, EACCES);
	/* 0605: read and execute; 0601: execute only. */
	expect_open(fd, a->name[M605], R_ | X_ | M_, 0);
	expect_open(fd, a->name[M605], W_, EACCES);
	expect_open(fd, a->name[M601], X_, 0);
	expect_open(fd, a->name[M601], X_ | R_, EACCES);
	/* 0000: nothing. */
	expect_open(fd, a->name[M000], R_, EACCES);
	expect_open(fd, a->name[M000], W_, EACCES);
	/* Mode 0666 but the region's maximum rights are READ|MAP: EPERM. */
	expect_open(fd, a->name[MMAXR], R_ | M_, 0);
	expect_open(fd, a->name[MMAXR], R_ | W_ | M_, EPERM);
	expect_open(fd, a->name[MMAXR], W_, EPERM);
	expect_open(fd, a->name[MMAXR], R_ | G_, EPERM);
	/* Only the owner (or CAP_FOWNER) unlinks. */
	for (int i = 0; i < NMODES; i++) {
		ASSERT_ERRNO(nunlink(fd, a->name[i], 0), EPERM);
		ASSERT_ERRNO(nunlink(fd, a->name[i], RATMEM_UNLINK_REVOKE), EPERM);
	}
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 1);
}

static void root_opens_mode_0000(int sock, void *argp)
{
	struct modes_arg *a = argp;
	int fd = ctx();
	uint32_t h = nopen_ok(fd, a->name[M000], RWM, NULL);
	unsigned char *p = rt_map_ok(fd, h, 0, PG, RW);

	rt_expect_bytes(p, PG, 0);
	p[0] = 0x0d;
	/* CAP_DAC_OVERRIDE does not lift the region's maximum rights. */
	expect_open(fd, a->name[MMAXR], W_, EPERM);
	ASSERT_EQ(munmap(p, PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 1);
}

/* Mode r/w/x bits gate NAMED_OPEN for another uid (EACCES), root overrides, max rights EPERM. */
/*
 * NAMED_CREATE places a region as CREATE does: a page size, and a node
 * with RATMEM_CREATE_NODE. The guests have one node, 0.
 */
/* The lowest node id that is not online (the bench's guests have one or two). */
static int32_t offline_node(void)
{
	char path[64];

	for (int32_t n = 1; n < 64; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
		if (access(path, F_OK))
			return n;
	}
	return 64;
}

TEST(named_create_takes_page_size_and_node)
{
	struct rt_counters before = rt_counters_now();
	int fd = ctx();
	char name[RATMEM_NAME_MAX];
	struct ratmem_named_create c;
	const int32_t nodes[] = { -1, 0 };

	mkname(name, "place");
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		c = (struct ratmem_named_create){ .name = (uintptr_t)name, .size = 2 * PG,
			.flags = RATMEM_CREATE_NODE | RATMEM_CREATE_COMMIT, .rights = ALL,
			.mode = 0600, .page_shift = RATMEM_PAGE_SHIFT_4K,
			.numa_node = nodes[i] };
		ASSERT_EQ(ioc(fd, RATMEM_IOC_NAMED_CREATE, &c), 0);
		ASSERT_NE(c.handle, 0);
		ASSERT_EQ(nunlink(fd, name, 0), 0);
	}
	c = (struct ratmem_named_create){ .name = (uintptr_t)name, .size = PG,
		.flags = RATMEM_CREATE_NODE, .rights = ALL, .mode = 0600,
		.numa_node = offline_node() };
	expect_create_error(fd, c, EINVAL, "an offline node");
	c.numa_node = 1 << 20;
	expect_create_error(fd, c, EINVAL, "node 2^20");
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

TEST(named_mode_bits_for_other_users)
{
	struct rt_counters before = rt_counters_now();
	struct modes_arg a;
	uint32_t h[NMODES];
	int fd;
	unsigned char *p;
	struct peer b;

	make_open_node();
	fd = ctx();
	umask(077);
	for (int i = 0; i < NMODES; i++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "mode%o%s", mode_of[i], i == MMAXR ? "m" : "");
		mkname(a.name[i], tag);
		if (i == MMAXR) {
			ASSERT_EQ(ncreate(fd, a.name[i], PG, R_ | M_, mode_of[i],
					  RATMEM_CREATE_COMMIT, &h[i], NULL), 0);
		} else {
			h[i] = ncreate_ok(fd, a.name[i], 1, mode_of[i], NULL);
		}
	}
	p = rt_map_ok(fd, h[M604], 0, PG, RW);
	memset(p, 0x2a, PG);
	ASSERT_EQ(munmap(p, PG), 0);

	b = peer_start(nobody_opens, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	peer_end(&b);
	b = peer_start(root_opens_mode_0000, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	peer_end(&b);

	p = rt_map_ok(fd, h[M606], 0, PG, PROT_READ);
	rt_expect_bytes(p, PG, 0x3b);		/* written by uid 65534 */
	ASSERT_EQ(munmap(p, PG), 0);
	p = rt_map_ok(fd, h[M000], 0, PG, PROT_READ);
	ASSERT_EQ(p[0], 0x0d);			/* written by the root peer */
	ASSERT_EQ(munmap(p, PG), 0);
	/* The creator too passes mode 0000 with CAP_DAC_OVERRIDE. */
	expect_open(fd, a.name[M000], RWM, 0);
	expect_open(fd, a.name[MMAXR], R_ | W_, EPERM);
	/* The refused unlinks left every name in place. */
	for (int i = 0; i < NMODES; i++) {
		ASSERT_EQ(nunlink(fd, a.name[i], 0), 0);
		ASSERT_EQ(hclose(fd, h[i]), 0);
	}
	ASSERT_EQ(close(fd), 0);
	drop_open_node();
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

struct owner_arg {
	char name[RATMEM_NAME_MAX];
	char own[RATMEM_NAME_MAX];
};

/* uid 65534, gid 65534 creates a 0460 name (owner r, group rw). */
static void owner_creates(int sock, void *argp)
{
	struct owner_arg *a = argp;
	int fd;
	uint32_t h;
	unsigned char *p;

	become(65534, 65534, 0, NULL);
	fd = ctx_at_node();
	h = ncreate_ok(fd, a->name, 1, 0460, NULL);
	p = rt_map_ok(fd, h, 0, PG, RW);	/* the creator's handle has every right */
	memset(p, 0x46, PG);
	ASSERT_EQ(munmap(p, PG), 0);
	/* The owner's class is r: the group's rw does not apply to it. */
	expect_open(fd, a->name, R_ | M_, 0);
	expect_open(fd, a->name, R_ | W_ | M_, EACCES);
	expect_open(fd, a->name, W_, EACCES);
	/* The owner unlinks its own names. */
	ASSERT_EQ(ncreate(fd, a->own, PG, ALL, 0, 0, &h, NULL), 0);
	ASSERT_EQ(nunlink(fd, a->own, 0), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);	/* the name keeps the region */
	rt_send(sock, 1);
}

struct member {
	struct owner_arg *a;
	uid_t uid;
	gid_t gid, group;	/* group: a supplementary group, or 0 */
	int in_group;
};

static void member_opens(int sock, void *argp)
{
	struct member *m = argp;
	int fd;
	uint32_t h;
	unsigned char *p;

	become(m->uid, m->gid, m->group ? 1 : 0, &m->group);
	fd = ctx_at_node();
	if (m->in_group) {
		h = nopen_ok(fd, m->a->name, RWM, NULL);
		p = rt_map_ok(fd, h, 0, PG, RW);
		rt_expect_bytes(p, PG, 0x46);
		ASSERT_EQ(munmap(p, PG), 0);
		expect_open(fd, m->a->name, R_ | X_, EACCES);
	} else {
		expect_open(fd, m->a->name, R_, EACCES);
		expect_open(fd, m->a->name, W_, EACCES);
	}
	ASSERT_ERRNO(nunlink(fd, m->a->name, 0), EPERM);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 1);
}

/* Owner, group (primary or supplementary) and other classes apply as for files. */
TEST(named_mode_owner_group_other)
{
	struct rt_counters before = rt_counters_now();
	struct owner_arg a;
	struct member m[] = {
		{ &a, 65533, 65534, 0, 1 },	/* primary group matches */
		{ &a, 65533, 65533, 65534, 1 },	/* supplementary group matches */
		{ &a, 65532, 65532, 0, 0 },	/* other: mode ---, nothing */
	};
	struct peer b;
	int fd;

	make_open_node();
	mkname(a.name, "owner");
	mkname(a.own, "ownunlink");
	b = peer_start(owner_creates, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	peer_end(&b);
	ASSERT_EQ(rt_counters_now().names, before.names + 1);
	ASSERT_EQ(rt_counters_now().regions, before.regions + 1);
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		b = peer_start(member_opens, &m[i]);
		ASSERT_EQ(rt_recv(b.sock), 1);
		peer_end(&b);
	}
	/* Root (CAP_FOWNER) unlinks a name it does not own. */
	fd = ctx();
	ASSERT_EQ(nunlink(fd, a.name, 0), 0);
	ASSERT_ERRNO(nopen(fd, a.own, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_EQ(close(fd), 0);
	drop_open_node();
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

struct userns_arg {
	char name[RATMEM_NAME_MAX];
	uint64_t id;
};

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		rt_fail(__FILE__, __LINE__, "open %s: %s", path, strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rt_fail(__FILE__, __LINE__, "write %s to %s: %s", text, path, strerror(errno));
	ASSERT_EQ(close(fd), 0);
}

/* In a new user namespace (root mapped to root), with a context opened
 * there. */
static void enter_userns(void)
{
	ASSERT_EQ(unshare(CLONE_NEWUSER), 0);
	write_file("/proc/self/setgroups", "deny");
	write_file("/proc/self/uid_map", "0 0 1");
	write_file("/proc/self/gid_map", "0 0 1");
}

static void probe_userns(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWUSER))
		_exit(errno == EINVAL || errno == EPERM ? 100 + errno : 99);
}

static void userns_peer(int sock, void *argp)
{
	struct userns_arg *a = argp;
	int fd;
	uint32_t h, h2;
	uint64_t id = 0, id2 = 0;

	enter_userns();
	fd = ctx_at_node();
	ASSERT_ERRNO(nopen(fd, a->name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_ERRNO(nunlink(fd, a->name, 0), ENOENT);
	h = ncreate_ok(fd, a->name, 1, 0600, &id);
	ASSERT_NE(id, a->id);
	h2 = nopen_ok(fd, a->name, R_, &id2);
	ASSERT_EQ(id2, id);
	rt_send(sock, id);
	ASSERT_EQ(rt_recv(sock), 2);
	ASSERT_EQ(nunlink(fd, a->name, 0), 0);
	ASSERT_ERRNO(nopen(fd, a->name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(hclose(fd, h2), 0);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 3);
}

/* A new user namespace neither sees nor collides with the parent's names. */
TEST(named_scoped_to_user_namespace)
{
	struct rt_counters before = rt_counters_now(), mid;
	struct userns_arg a;
	int status = rt_child_status(probe_userns, NULL);
	int fd;
	uint32_t h, h2;
	uint64_t id = 0, their;
	struct peer b;

	/* Kernels without CONFIG_USER_NS (the tinyconfig debug kernel) skip. */
	if (WIFEXITED(status) && WEXITSTATUS(status) > 100)
		SKIP("unshare(CLONE_NEWUSER): %s: no user namespaces in this kernel",
		     strerror(WEXITSTATUS(status) - 100));
	ASSERT_EQ(status, 0);
	make_open_node();
	fd = ctx();
	mkname(a.name, "userns");
	h = ncreate_ok(fd, a.name, 1, 0600, &a.id);

	b = peer_start(userns_peer, &a);
	their = rt_recv(b.sock);
	ASSERT_NE(their, a.id);
	mid = rt_counters_now();
	ASSERT_EQ(mid.names, before.names + 2);	/* counted in all namespaces */
	ASSERT_EQ(mid.regions, before.regions + 2);
	h2 = nopen_ok(fd, a.name, R_, &id);
	ASSERT_EQ(id, a.id);			/* ours, not theirs */
	ASSERT_EQ(hclose(fd, h2), 0);
	rt_send(b.sock, 2);
	ASSERT_EQ(rt_recv(b.sock), 3);
	peer_end(&b);

	ASSERT_EQ(rt_counters_now().names, before.names + 1);
	h2 = nopen_ok(fd, a.name, R_, &id);	/* their unlink left ours */
	ASSERT_EQ(id, a.id);
	ASSERT_EQ(hclose(fd, h2), 0);
	ASSERT_EQ(nunlink(fd, a.name, 0), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);
	drop_open_node();
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

struct revoke_arg {
	char name[RATMEM_NAME_MAX];
	uint64_t id;
};

static void revoked_opener(int sock, void *argp)
{
	struct revoke_arg *a = argp;
	int fd = ctx();
	uint64_t id = 0;
	uint32_t h = nopen_ok(fd, a->name, RWM, &id), h2 = 0;
	struct ratmem_query q;
	unsigned char *p, *q2;
	void *again;

	ASSERT_EQ(id, a->id);
	ASSERT_EQ(hdup(fd, h, R_ | M_, &h2), 0);
	p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	q2 = rt_map_ok(fd, h2, 0, 2 * PG, PROT_READ);
	/* Before the unlink: full access. */
	ASSERT_FAULTS(0, rt_read_byte, p);
	rt_expect_bytes(p, PG, 0x11);
	memset(p + PG, 0x22, PG);
	rt_expect_bytes(q2 + PG, PG, 0x22);
	rt_send(sock, 1);

	ASSERT_EQ(rt_recv(sock), 2);		/* UNLINK(REVOKE) has returned */
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p);
	ASSERT_FAULTS(SIGBUS, rt_write_byte, p + PG);
	ASSERT_FAULTS(SIGBUS, rt_read_byte, q2 + PG + 100);
	ASSERT_ERRNO(hquery(fd, h, &q), ENOLINK);
	ASSERT_ERRNO(hquery(fd, h2, &q), ENOLINK);	/* the dup is below it */
	ASSERT_ERRNO(hdup(fd, h, R_, NULL), ENOLINK);
	ASSERT_ERRNO(rt_commit(fd, h, 0, PG), ENOLINK);
	ASSERT_ERRNO(rt_decommit(fd, h, 0, PG), ENOLINK);
	again = rt_map(fd, h2, 0, PG, PROT_READ);
	if (again != MAP_FAILED)
		rt_fail(__FILE__, __LINE__, "a revoked handle was mapped again");
	ASSERT_ERRNO(nopen(fd, a->name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_EQ(hclose(fd, h), 0);		/* CLOSE still works */
	ASSERT_EQ(hclose(fd, h2), 0);
	ASSERT_ERRNO(hclose(fd, h), EBADF);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(munmap(q2, 2 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 3);
}

/* UNLINK_REVOKE: other openers get SIGBUS and ENOLINK at once; the creator keeps all. */
TEST(named_unlink_revoke_cuts_off_openers)
{
	struct rt_counters before = rt_counters_now();
	struct revoke_arg a;
	int fd = ctx();
	uint32_t h, hd;
	struct ratmem_query q;
	unsigned char *p, *p2;
	struct peer b;

	mkname(a.name, "revoke");
	h = ncreate_ok(fd, a.name, 2, 0600, &a.id);
	hd = rt_dup(fd, h, R_ | M_);
	p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	memset(p, 0x11, PG);
	for (int bit = 1; bit < 32; bit++)
		ASSERT_ERRNO(nunlink(fd, a.name, 1U << bit), EINVAL);
	ASSERT_ERRNO(nunlink(fd, a.name, ~0U), EINVAL);

	b = peer_start(revoked_opener, &a);	/* the name is still there */
	ASSERT_EQ(rt_recv(b.sock), 1);
	ASSERT_EQ(nunlink(fd, a.name, RATMEM_UNLINK_REVOKE), 0);
	rt_send(b.sock, 2);
	ASSERT_EQ(rt_recv(b.sock), 3);
	peer_end(&b);

	/* The creator's side is untouched, data included. */
	rt_expect_bytes(p, PG, 0x11);
	rt_expect_bytes(p + PG, PG, 0x22);
	memset(p + PG, 0x33, PG);
	ASSERT_EQ(hquery(fd, h, &q), 0);
	ASSERT_EQ(q.region_id, a.id);
	ASSERT_EQ(hquery(fd, hd, &q), 0);
	p2 = rt_map_ok(fd, hd, 0, 2 * PG, PROT_READ);
	rt_expect_bytes(p2 + PG, PG, 0x33);
	ASSERT_EQ(rt_commit(fd, h, 0, 2 * PG), 0);
	ASSERT_ERRNO(nopen(fd, a.name, R_, NULL, NULL, NULL), ENOENT);
	ASSERT_ERRNO(nunlink(fd, a.name, RATMEM_UNLINK_REVOKE), ENOENT);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(munmap(p2, 2 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ======================================================================= */

struct lives_arg {
	char name[RATMEM_NAME_MAX];
	uint64_t id;
};

static void reopen_after_creator_left(int sock, void *argp)
{
	struct lives_arg *a = argp;
	int fd = ctx();
	uint64_t id = 0;
	uint32_t h = nopen_ok(fd, a->name, RWM, &id);
	unsigned char *p = rt_map_ok(fd, h, 0, 2 * PG, RW);

	ASSERT_EQ(id, a->id);
	rt_expect_bytes(p, 2 * PG, 0x5c);
	memset(p + PG, 0x6d, PG);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 1);
}

static void hold_across_unlink(int sock, void *argp)
{
	struct lives_arg *a = argp;
	int fd = ctx();
	uint32_t h = nopen_ok(fd, a->name, R_ | M_, NULL);
	unsigned char *p;

	rt_send(sock, 1);
	ASSERT_EQ(rt_recv(sock), 2);		/* unlinked: this handle holds it */
	p = rt_map_ok(fd, h, 0, 2 * PG, PROT_READ);
	rt_expect_bytes(p, PG, 0x5c);
	rt_expect_bytes(p + PG, PG, 0x6d);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(close(fd), 0);
	rt_send(sock, 3);
}

/* The name keeps the region and its data with no handle left; counters return after unlink. */
TEST(named_region_lives_while_named)
{
	struct rt_counters before = rt_counters_now(), mid;
	struct lives_arg a;
	int fd = ctx();
	uint32_t h;
	unsigned char *p;
	struct peer b;

	mkname(a.name, "lives");
	h = ncreate_ok(fd, a.name, 2, 0600, &a.id);
	p = rt_map_ok(fd, h, 0, 2 * PG, RW);
	memset(p, 0x5c, 2 * PG);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);
	mid = rt_counters_now();
	ASSERT_EQ(mid.contexts, before.contexts);
	ASSERT_EQ(mid.handles, before.handles);
	ASSERT_EQ(mid.mappings, before.mappings);
	ASSERT_EQ(mid.regions, before.regions + 1);
	ASSERT_EQ(mid.names, before.names + 1);
	ASSERT_EQ(mid.pages, before.pages + 2);	/* the data is kept */

	b = peer_start(reopen_after_creator_left, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	peer_end(&b);
	ASSERT_EQ(rt_counters_now().regions, before.regions + 1);

	b = peer_start(hold_across_unlink, &a);
	ASSERT_EQ(rt_recv(b.sock), 1);
	fd = ctx();
	ASSERT_EQ(nunlink(fd, a.name, 0), 0);
	ASSERT_EQ(close(fd), 0);
	mid = rt_counters_now();
	ASSERT_EQ(mid.names, before.names);
	ASSERT_EQ(mid.regions, before.regions + 1);
	rt_send(b.sock, 2);
	ASSERT_EQ(rt_recv(b.sock), 3);
	peer_end(&b);
	rt_counters_expect(before, RT_C_ALL);
}

/* /sys/module/ratmem/refcnt: the module's reference count. */
static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/ratmem/refcnt", "re");
	long n = -1;

	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(fscanf(f, "%ld", &n), 1);
	fclose(f);
	return n;
}

/*
 * A name holds the module (contract section 7: rmmod with live objects is
 * refused): with every descriptor closed, a named region still keeps
 * delete_module() from unloading it, until the name is unlinked.
 */
TEST(named_name_holds_the_module)
{
	struct rt_counters before = rt_counters_now();
	int fd = ctx();
	long open_ref = module_refcnt();	/* counts our file */
	char name[64];
	uint32_t h;

	mkname(name, "pin");
	h = ncreate_ok(fd, name, 1, 0600, NULL);
	ASSERT_EQ(module_refcnt(), open_ref + 1);
	ASSERT_EQ(hclose(fd, h), 0);
	ASSERT_EQ(close(fd), 0);
	ASSERT_EQ(module_refcnt(), open_ref);
	ASSERT_SYSCALL_ERRNO(syscall(SYS_delete_module, "ratmem", O_NONBLOCK), EWOULDBLOCK);
	fd = ctx();
	ASSERT_EQ(nunlink(fd, name, 0), 0);
	ASSERT_EQ(module_refcnt(), open_ref);
	ASSERT_EQ(close(fd), 0);
	ASSERT_EQ(module_refcnt(), open_ref - 1);
	rt_counters_expect(before, RT_C_ALL);
}
