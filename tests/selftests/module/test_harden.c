// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: the security review's findings (issue 13). Each test
 * attacks one window or counter the way an unprivileged member of group
 * ratmem could, and asserts the exact outcome. The races loop long
 * enough on the debug kernel under TCG to have hit the bug before its
 * fix (see docs/testing.md for the counts).
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rat.h"

#include "agent.h"
#include "harness.h"
#include "mem.h"
#include "share.h"
#include "util.h"


#define ALL RATMEM_RIGHTS_ALL
#define R_ RATMEM_RIGHT_READ
#define W_ RATMEM_RIGHT_WRITE
#define X_ RATMEM_RIGHT_EXEC
#define M_ RATMEM_RIGHT_MAP
#define G_ RATMEM_RIGHT_GRANT

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* "rth-<tag>-<pid>": names are shared by every test program. */
static void mkname(char *buf, const char *tag)
{
	int n = snprintf(buf, RATMEM_NAME_MAX, "rth-%s-%d", tag, (int)getpid());

	ASSERT_TRUE(n > 0 && n < RATMEM_NAME_MAX);
}

static int ncreate(int fd, const char *name, uint32_t mode, uint32_t *handle, uint64_t *id)
{
	struct ratmem_named_create c = {
		.name = (uintptr_t)name, .size = PG, .rights = ALL, .mode = mode,
	};
	int r = ioc(fd, RATMEM_IOC_NAMED_CREATE, &c);

	if (!r && handle)
		*handle = c.handle;
	if (!r && id)
		*id = c.region_id;
	return r;
}

static int nopen(int fd, const char *name, uint32_t rights, uint32_t *handle, uint64_t *id)
{
	struct ratmem_named_open o = { .name = (uintptr_t)name, .rights = rights };
	int r = ioc(fd, RATMEM_IOC_NAMED_OPEN, &o);

	if (!r && handle)
		*handle = o.handle;
	if (!r && id)
		*id = o.region_id;
	return r;
}

static int nunlink(int fd, const char *name, uint32_t flags)
{
	struct ratmem_unlink u = { .name = (uintptr_t)name, .flags = flags };

	return ioc(fd, RATMEM_IOC_UNLINK, &u);
}

static int hquery(int fd, uint32_t handle, struct ratmem_query *q)
{
	*q = (struct ratmem_query){ .handle = handle };
	return ioc(fd, RATMEM_IOC_QUERY, q);
}

/* ---- finding 1: NAMED_CREATE's error path vs UNLINK --------------------- */

struct name_race {
	int fd;
	char name[RATMEM_NAME_MAX];
	atomic_int stop;
	long creates, bad_create;
	atomic_long unlinks, bad_unlink;
	int last_bad;
};

static void *name_race_unlinker(void *arg)
{
	struct name_race *nr = arg;

	while (!atomic_load(&nr->stop)) {
		int r = nunlink(nr->fd, nr->name, 0);

		atomic_fetch_add(&nr->unlinks, 1);
		if (r != -ENOENT) {
			atomic_fetch_add(&nr->bad_unlink, 1);
			nr->last_bad = r;
		}
	}
	return NULL;
}

/*
 * With a handle limit of 0 every NAMED_CREATE must fail with EDQUOT, and
 * the name must never have been visible: an UNLINK racing it finds
 * nothing. Before the fix the name was published first and taken back
 * on the error path, so UNLINK could free it too (a double free, a
 * refcount underflow and a module reference put twice).
 */
TEST_TIMEOUT(named_create_failing_install_never_shows_the_name, 120)
{
	struct rt_counters before = rt_counters_now();
	struct name_race nr = { .fd = rt_open_ctx() };
	double end = now_s() + 20;
	pthread_t t[2];

	mkname(nr.name, "race");
	ASSERT_EQ(rt_quota_set(nr.fd, -1, RATMEM_RES_HANDLES, 0), 0);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, name_race_unlinker, &nr), 0);
	while (nr.creates < 200000 && now_s() < end) {
		int r = ncreate(nr.fd, nr.name, 0600, NULL, NULL);

		nr.creates++;
		if (r != -EDQUOT) {
			nr.bad_create++;
			nr.last_bad = r;
		}
	}
	atomic_store(&nr.stop, 1);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	rt_diag("%ld creates, %ld unlinks", nr.creates, atomic_load(&nr.unlinks));
	if (nr.bad_create || atomic_load(&nr.bad_unlink))
		rt_fail(__FILE__, __LINE__, "%ld creates and %ld unlinks did not fail as expected (last %d)",
			nr.bad_create, atomic_load(&nr.bad_unlink), nr.last_bad);
	ASSERT_TRUE(nr.creates > 100 && atomic_load(&nr.unlinks) > 100);
	close(nr.fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/* ---- finding 6: a handle is published only after its copy-out --------- */

struct accept_race {
	int fd;
	atomic_int stop;
	long dups, stolen;
};

/* Try every small handle number: a half-made handle must never answer. */
static void *accept_race_dup(void *arg)
{
	struct accept_race *ar = arg;

	while (!atomic_load(&ar->stop)) {
		for (uint32_t h = 1; h <= 4; h++) {
			struct ratmem_dup d = { .handle = h, .rights = R_ };

			ar->dups++;
			if (!ioc(ar->fd, RATMEM_IOC_DUP, &d)) {
				ar->stolen++;
				rat_close_handle(ar->fd, d.new_handle);
			}
		}
	}
	return NULL;
}

/* The grantee: ACCEPT through a read-only argument, so the copy-out fails. */
static void accept_efault_grantee(int sock, void *argp)
{
	struct accept_race ar = { .fd = rt_sharing_ctx() };
	struct ratmem_accept *ro;
	struct ratmem_accept a;
	uint64_t cap = rt_recv(sock);
	double end = now_s() + 12;
	long tries = 0;
	pthread_t t;

	(void)argp;
	ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	*ro = (struct ratmem_accept){ .cap_id = cap };
	ASSERT_EQ(mprotect(ro, PG, PROT_READ), 0);
	ASSERT_EQ(pthread_create(&t, NULL, accept_race_dup, &ar), 0);
	while (tries < 50000 && now_s() < end) {
		ASSERT_ERRNO(ioc(ar.fd, RATMEM_IOC_ACCEPT, ro), EFAULT);
		tries++;
	}
	atomic_store(&ar.stop, 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	rt_diag("%ld failed accepts, %ld dups tried", tries, ar.dups);
	ASSERT_EQ(ar.stolen, 0);
	/* Nothing was accepted, charged or left behind: it accepts once now. */
	ASSERT_EQ(rt_quota_get(ar.fd, -1).usage[RATMEM_RES_SHARED], 0);
	ASSERT_EQ(rt_quota_get(ar.fd, -1).usage[RATMEM_RES_HANDLES], 0);
	a = (struct ratmem_accept){ .cap_id = cap };
	ASSERT_EQ(ioc(ar.fd, RATMEM_IOC_ACCEPT, &a), 0);
	ASSERT_NE(ioc(ar.fd, RATMEM_IOC_ACCEPT, &a), 0);
	ASSERT_EQ(rt_quota_get(ar.fd, -1).usage[RATMEM_RES_HANDLES], 1);
	rt_send(sock, 1);
	rt_recv(sock);
}

TEST_TIMEOUT(accept_efault_leaves_no_usable_handle, 120)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	struct rt_peer p;

	rt_peer_start(&p, accept_efault_grantee, NULL);
	rt_send(p.sock, rt_grant_ok(fd, h, R_ | W_ | M_, p.pidfd));
	rt_peer_expect(&p, 1);
	rt_send(p.sock, 0);
	ASSERT_PEER_OK(&p);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_GRANTS);
}

/* CREATE and DUP with a read-only argument: EFAULT, and no handle made. */
TEST(create_dup_efault_leave_no_handle)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 1, ALL, 0);
	struct rt_counters before = rt_counters_now();
	void *ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct ratmem_create *c = ro;
	struct ratmem_dup *d = (struct ratmem_dup *)((char *)ro + 1024);

	ASSERT_TRUE(ro != MAP_FAILED);
	*c = (struct ratmem_create){ .size = PG, .rights = ALL, .numa_node = -1 };
	*d = (struct ratmem_dup){ .handle = h, .rights = R_ };
	ASSERT_EQ(mprotect(ro, PG, PROT_READ), 0);
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_CREATE, c), EFAULT);
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_DUP, d), EFAULT);
	ASSERT_EQ(rt_quota_get(fd, -1).usage[RATMEM_RES_HANDLES], 1);
	rt_counters_expect(before, RT_C_MEMORY);
	/* The number the failed calls reserved is free again. */
	ASSERT_EQ(rt_dup(fd, h, R_), 2);
	munmap(ro, PG);
	close(fd);
}

/* ---- finding 3: NAMED_OPEN needs a permission bit ---------------------------- */

TEST(open_without_permission_bit_einval)
{
	int fd = rt_open_ctx();
	char name[RATMEM_NAME_MAX];
	uint32_t h;

	mkname(name, "perm");
	ASSERT_EQ(ncreate(fd, name, 0000, &h, NULL), 0);
	ASSERT_ERRNO(nopen(fd, name, M_, NULL, NULL), EINVAL);
	ASSERT_ERRNO(nopen(fd, name, G_, NULL, NULL), EINVAL);
	ASSERT_ERRNO(nopen(fd, name, M_ | G_, NULL, NULL), EINVAL);
	/* A permission bit goes through the mode: 0000 refuses even the owner. */
	ASSERT_ERRNO(nopen(fd, name, R_ | M_, NULL, NULL), getuid() ? EACCES : 0);
	ASSERT_EQ(nunlink(fd, name, 0), 0);
	close(fd);
}

/* ---- finding 4: UNLINK+REVOKE vs an NAMED_OPEN in progress ------------------- */

struct open_race_shared {
	atomic_ullong revoked_upto;	/* every region id <= this was unlinked with REVOKE */
	atomic_int stop;
	atomic_long opens, late;
};

struct open_race_thread {
	int fd;
	const char *name;
	struct open_race_shared *sh;
};

static void *open_race_opener(void *arg)
{
	struct open_race_thread *ot = arg;
	struct ratmem_query q;

	while (!atomic_load(&ot->sh->stop)) {
		uint32_t h;
		uint64_t id;

		if (nopen(ot->fd, ot->name, R_ | M_, &h, &id))
			continue;
		atomic_fetch_add(&ot->sh->opens, 1);
		/* Wait until that region's UNLINK+REVOKE has returned. */
		while (atomic_load(&ot->sh->revoked_upto) < id && !atomic_load(&ot->sh->stop))
			;
		if (atomic_load(&ot->sh->revoked_upto) >= id && hquery(ot->fd, h, &q) != -ENOLINK)
			atomic_fetch_add(&ot->sh->late, 1);
		rat_close_handle(ot->fd, h);
	}
	return NULL;
}

static void open_race_peer(int sock, void *argp)
{
	struct open_race_shared *sh = argp;
	struct open_race_thread ot[4];
	char name[RATMEM_NAME_MAX];
	pthread_t t[4];
	int fd = rt_open_ctx();

	snprintf(name, sizeof(name), "rth-open-%d", (int)getppid());
	for (int i = 0; i < 4; i++) {
		ot[i] = (struct open_race_thread){ .fd = fd, .name = name, .sh = sh };
		ASSERT_EQ(pthread_create(&t[i], NULL, open_race_opener, &ot[i]), 0);
	}
	rt_send(sock, 1);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	close(fd);
}

TEST_TIMEOUT(unlink_revoke_catches_open_in_progress, 120)
{
	struct open_race_shared *sh = rt_shared_page();
	struct rt_counters before = rt_counters_now();
	char name[RATMEM_NAME_MAX];
	double end = now_s() + 20;
	int fd = rt_open_ctx();
	long rounds = 0;
	struct rt_peer p;

	mkname(name, "open");
	rt_peer_start(&p, open_race_peer, sh);
	rt_peer_expect(&p, 1);
	while (rounds < 20000 && now_s() < end) {
		uint32_t h;
		uint64_t id;

		ASSERT_EQ(ncreate(fd, name, 0666, &h, &id), 0);
		/* Let the openers find it now and then, in every phase. */
		rt_spin(rounds % 7 * 200);
		ASSERT_EQ(nunlink(fd, name, RATMEM_UNLINK_REVOKE), 0);
		atomic_store(&sh->revoked_upto, id);
		ASSERT_EQ(rat_close_handle(fd, h), 0);
		rounds++;
	}
	atomic_store(&sh->stop, 1);
	ASSERT_PEER_OK(&p);
	rt_diag("%ld rounds, %ld opens", rounds, atomic_load(&sh->opens));
	ASSERT_EQ(atomic_load(&sh->late), 0);
	ASSERT_TRUE(atomic_load(&sh->opens) > 0);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/* ---- finding 5: region ids and address-space windows -------------------- */

static void ids_not_burnt(void *arg)
{
	int fd = rt_open_ctx();
	struct ratmem_query q;
	uint64_t first, second, used;
	uint32_t h;

	(void)arg;
	h = rt_region(fd, 1, ALL, 0);
	ASSERT_EQ(hquery(fd, h, &q), 0);
	first = q.region_id;
	used = rt_quota_get(fd, -1).usage[RATMEM_RES_RESERVED];
	ASSERT_EQ(rt_quota_set(fd, -1, RATMEM_RES_RESERVED, used), 0);
	for (int i = 0; i < 1000; i++) {
		struct ratmem_create c = { .size = PG, .rights = ALL, .numa_node = -1 };

		ASSERT_ERRNO(ioc(fd, RATMEM_IOC_CREATE, &c), EDQUOT);
	}
	/* Raising a limit back needs CAP_SYS_RESOURCE: the test runs as root. */
	ASSERT_EQ(rt_quota_set(fd, -1, RATMEM_RES_RESERVED, used + PG), 0);
	h = rt_region(fd, 1, ALL, 0);
	ASSERT_EQ(hquery(fd, h, &q), 0);
	second = q.region_id;
	ASSERT_EQ(second, first + 1);
	close(fd);
}

TEST(failed_creates_use_up_no_region_id)
{
	if (geteuid())
		SKIP("needs CAP_SYS_RESOURCE to raise the limit back");
	ASSERT_CHILD_OK(ids_not_burnt, NULL);
}

/* The file offset /proc/self/maps shows for the mapping at @addr. */
static unsigned long long maps_offset(void *addr)
{
	unsigned long long lo, hi, off = ~0ULL;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx %*s %llx", &lo, &hi, &off) == 3 &&
		    lo == (uintptr_t)addr)
			break;
		off = ~0ULL;
	}
	fclose(f);
	ASSERT_NE(off, ~0ULL);
	return off;
}

/*
 * A window is reused only once its region is freed, which is after the
 * region's last VMA: a mapping of the old region keeps it, and the new
 * region behind a reused window reads zero.
 */
TEST(address_windows_are_reused_after_free)
{
	int fd = rt_open_ctx();
	uint32_t h1 = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT), h2, h3;
	unsigned char *m1 = rt_map_ok(fd, h1, 0, PG, PROT_READ | PROT_WRITE), *m2, *m3;
	unsigned long long w1 = maps_offset(m1);

	memset(m1, 0xa5, PG);
	/* The mapping holds region 1 after its handle is gone. */
	ASSERT_EQ(rat_close_handle(fd, h1), 0);
	h2 = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	m2 = rt_map_ok(fd, h2, 0, PG, PROT_READ | PROT_WRITE);
	ASSERT_NE(maps_offset(m2), w1);
	rt_expect_bytes(m1, PG, 0xa5);
	rt_expect_bytes(m2, PG, 0);
	ASSERT_EQ(munmap(m1, PG), 0);
	/* Region 1 is gone with its VMA: its window is the lowest free one. */
	h3 = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	m3 = rt_map_ok(fd, h3, 0, PG, PROT_READ | PROT_WRITE);
	ASSERT_EQ(maps_offset(m3), w1);
	rt_expect_bytes(m3, PG, 0);
	munmap(m2, PG);
	munmap(m3, PG);
	close(fd);
}

/* ---- finding 9: a named region's owner is visible ---------------------- */

TEST(query_reports_a_named_regions_owner)
{
	int fd = rt_open_ctx();
	char name[RATMEM_NAME_MAX];
	struct ratmem_query q;
	uint32_t h, ho, hu = rt_region(fd, 1, ALL, 0);

	mkname(name, "owner");
	ASSERT_EQ(ncreate(fd, name, 0640, &h, NULL), 0);
	ASSERT_EQ(nopen(fd, name, R_ | M_, &ho, NULL), 0);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(hquery(fd, i ? ho : h, &q), 0);
		ASSERT_EQ(q.info, RATMEM_QUERY_NAMED);
		ASSERT_EQ(q.owner_uid, getuid());
		ASSERT_EQ(q.owner_gid, getgid());
		ASSERT_EQ(q.mode, 0640);
	}
	/* It stays after UNLINK: the region was made under that name. */
	ASSERT_EQ(nunlink(fd, name, 0), 0);
	ASSERT_EQ(hquery(fd, ho, &q), 0);
	ASSERT_EQ(q.info, RATMEM_QUERY_NAMED);
	ASSERT_EQ(q.mode, 0640);
	ASSERT_EQ(hquery(fd, hu, &q), 0);
	ASSERT_EQ(q.info, 0);
	ASSERT_EQ(q.owner_uid, 0);
	ASSERT_EQ(q.mode, 0);
	close(fd);
}

/* ---- finding 2: names are bounded per user ----------------------------- */

static void other_process_hits_the_user_limit(void *arg)
{
	int fd = rt_open_ctx();
	char name[RATMEM_NAME_MAX];

	snprintf(name, sizeof(name), "rth-lim-child-%d", (int)getpid());
	ASSERT_ERRNO(ncreate(fd, name, 0600, NULL, NULL), (int)(intptr_t)arg);
	close(fd);
}

TEST(names_are_bounded_per_user)
{
	struct rt_counters before = rt_counters_now();
	char saved[32], name[3][RATMEM_NAME_MAX], extra[RATMEM_NAME_MAX];
	int fd = rt_open_ctx();
	char v[32];

	if (geteuid())
		SKIP("needs root to set max_names_per_user");
	rt_read_param("max_names_per_user", saved, sizeof(saved));
	ASSERT_EQ(strcmp(saved, "1024"), 0);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)before.names + 3);
	ASSERT_EQ(rt_write_param("max_names_per_user", v), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(name[i], sizeof(name[i]), "rth-lim%d-%d", i, (int)getpid());
		ASSERT_EQ(ncreate(fd, name[i], 0600, NULL, NULL), 0);
	}
	mkname(extra, "lim-x");
	ASSERT_ERRNO(ncreate(fd, extra, 0600, NULL, NULL), ENOSPC);
	/* Per user, not per process: another process of the same user too. */
	ASSERT_CHILD_OK(other_process_hits_the_user_limit, (void *)(intptr_t)ENOSPC);
	/* Names outlive their creator's handles, and still count. */
	close(fd);
	fd = rt_open_ctx();
	ASSERT_ERRNO(ncreate(fd, extra, 0600, NULL, NULL), ENOSPC);
	ASSERT_EQ(nunlink(fd, name[0], 0), 0);
	ASSERT_EQ(ncreate(fd, extra, 0600, NULL, NULL), 0);
	ASSERT_EQ(nunlink(fd, extra, 0), 0);
	ASSERT_EQ(nunlink(fd, name[1], 0), 0);
	ASSERT_EQ(nunlink(fd, name[2], 0), 0);
	ASSERT_EQ(rt_write_param("max_names_per_user", saved), 0);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/* ---- quotas: limits follow children; kill only the one over its limit --- */

static void drop_sys_resource(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
	data[CAP_SYS_RESOURCE / 32].effective &= ~(1U << (CAP_SYS_RESOURCE % 32));
	ASSERT_EQ(syscall(SYS_capset, &hdr, data), 0);
}

/* The grandchild: it never lowered anything, and finds its grandparent's limit. */
static void limited_leaf(void *arg)
{
	int fd = rt_open_ctx();

	(void)arg;
	ASSERT_EQ(rt_quota_get(fd, -1).limit[RATMEM_RES_HANDLES], 2);
	rt_region(fd, 1, ALL, 0);
	rt_region(fd, 1, ALL, 0);
	ASSERT_ERRNO(rat_create(fd, &(struct ratmem_create){ .size = PG, .rights = ALL,
							 .numa_node = -1 }), EDQUOT);
	drop_sys_resource();
	ASSERT_ERRNO(rt_quota_set(fd, -1, RATMEM_RES_HANDLES, 100), EPERM);
	close(fd);
}

/* The middle process never opens /dev/ratmem. */
static void limited_middle(void *arg)
{
	ASSERT_CHILD_OK(limited_leaf, arg);
}

static void limited_sandbox(void *arg)
{
	int fd = rt_open_ctx();

	ASSERT_EQ(rt_quota_set(fd, -1, RATMEM_RES_HANDLES, 2), 0);
	ASSERT_CHILD_OK(limited_leaf, arg);
	ASSERT_CHILD_OK(limited_middle, arg);
	close(fd);
}

TEST(lowered_limits_follow_children)
{
	ASSERT_CHILD_OK(limited_sandbox, NULL);
}

static void commits_into_owners_region(int sock, void *argp)
{
	int fd = rt_sharing_ctx();
	uint32_t h;

	(void)argp;
	rt_send(sock, 7);
	h = rt_accept_ok(fd, rt_recv(sock), R_ | W_ | M_);
	/* The owner's committed limit is exceeded: EDQUOT, but not my limit. */
	ASSERT_ERRNO(rt_commit(fd, h, 0, PG), EDQUOT);
	rt_send(sock, 1);
	close(fd);
}

TEST(kill_policy_spares_a_grantee_over_the_owners_limit)
{
	char saved[16];
	int fd, restored;
	uint32_t h;
	struct rt_peer p;

	if (geteuid())
		SKIP("needs root to set quota_policy");
	fd = rt_sharing_ctx();
	h = rt_region(fd, 1, ALL, 0);
	rt_read_param("quota_policy", saved, sizeof(saved));
	ASSERT_EQ(strcmp(saved, "fail"), 0);
	rt_peer_start(&p, commits_into_owners_region, NULL);
	rt_peer_expect(&p, 7);
	/* Lowered after the fork, so the grantee's own limit stays the default. */
	ASSERT_EQ(rt_quota_set(fd, -1, RATMEM_RES_COMMITTED, 0), 0);
	ASSERT_EQ(rt_write_param("quota_policy", "kill"), 0);
	rt_send(p.sock, rt_grant_ok(fd, h, R_ | W_ | M_, p.pidfd));
	/* The grantee's EDQUOT, reported back; a killed grantee closes the socket. */
	if (recv(p.sock, &(uint64_t){ 0 }, sizeof(uint64_t), MSG_WAITALL) != sizeof(uint64_t))
		rt_diag("the grantee did not report back");
	restored = rt_peer_wait(&p, 20000);
	ASSERT_EQ(rt_write_param("quota_policy", "fail"), 0);
	if (restored)
		rt_fail(__FILE__, __LINE__, "grantee %s, expected exit 0", rt_status_str(restored));
	close(fd);
}

/* ---- finding 2: names in other user namespaces --------------------------- */

/* A peer that names a region in a user namespace of its own. */
static void name_in_private_userns(int sock, void *argp)
{
	int fd = rt_open_ctx();
	char name[RATMEM_NAME_MAX];
	struct ratmem_named_create c = { .size = 4 * PG, .rights = ALL, .mode = 0600,
					 .flags = RATMEM_CREATE_COMMIT };

	/* The context stays this process's; the name goes in the new namespace. */
	ASSERT_EQ(unshare(CLONE_NEWUSER), 0);
	snprintf(name, sizeof(name), "rth-userns-%d", (int)getpid());
	c.name = (uintptr_t)name;
	ASSERT_EQ(ioc(fd, RATMEM_IOC_NAMED_CREATE, &c), 0);
	rt_send(sock, c.region_id);
	/* Stay (and keep the namespace alive) until told, if asked to. */
	if (argp)
		rt_recv(sock);
}

static void unprivileged_unlink_by_id(void *arg)
{
	struct ratmem_unlink u = { .flags = RATMEM_UNLINK_BY_ID,
				   .region_id = *(uint64_t *)arg };
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	int fd = rt_open_ctx();

	ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
	data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	ASSERT_EQ(syscall(SYS_capset, &hdr, data), 0);
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), EPERM);
	close(fd);
}

/* Nobody outside the namespace can name it; an administrator removes it by id. */
TEST(admin_unlinks_a_name_in_another_user_namespace)
{
	struct rt_counters before = rt_counters_now();
	struct ratmem_unlink u = { .flags = RATMEM_UNLINK_BY_ID };
	struct rt_peer p;
	int fd;

	if (geteuid())
		SKIP("needs CAP_SYS_ADMIN");
	rt_peer_start(&p, name_in_private_userns, (void *)1);
	u.region_id = rt_peer_recv(&p);
	ASSERT_EQ(rt_counters_now().names, before.names + 1);
	ASSERT_CHILD_OK(unprivileged_unlink_by_id, &u.region_id);
	fd = rt_open_ctx();
	ASSERT_EQ(ioc(fd, RATMEM_IOC_UNLINK, &u), 0);
	ASSERT_EQ(rt_counters_now().names, before.names);
	ASSERT_ERRNO(ioc(fd, RATMEM_IOC_UNLINK, &u), ENOENT);
	rt_send(p.sock, 0);
	ASSERT_PEER_OK(&p);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/*
 * Once every process of the namespace is gone, nobody can reach its
 * names: the next name operation reaps them, and their regions go.
 */
TEST(names_of_a_lost_user_namespace_are_reaped)
{
	struct rt_counters before = rt_counters_now();
	double end = now_s() + 10;
	int fd = rt_open_ctx();
	struct rt_peer p;
	int polls = 0;

	rt_peer_start(&p, name_in_private_userns, NULL);
	rt_peer_recv(&p);
	ASSERT_PEER_OK(&p);
	/* Credentials go after an RCU grace period: poll with a name operation. */
	do {
		ASSERT_ERRNO(nopen(fd, "rth-no-such-name", R_, NULL, NULL), ENOENT);
		polls++;
		if (rt_counters_now().names == before.names)
			break;
		usleep(10000);
	} while (now_s() < end);
	rt_diag("reaped after %d name operations", polls);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/* ---- finding 10: GRANT to a process whose main thread has exited ------- */

static int peer_sock;

/* True once the main thread (the group leader) is a zombie. */
static int leader_is_zombie(void)
{
	return rt_task_state(getpid(), getpid()) == 'Z';
}

static void *orphaned_thread(void *arg)
{
	int fd = rt_sharing_ctx();

	(void)arg;
	while (!leader_is_zombie())
		usleep(1000);
	rt_send(peer_sock, 1);
	rt_accept_ok(fd, rt_recv(peer_sock), R_ | M_);
	rt_send(peer_sock, 2);
	close(fd);
	_exit(0);
}

static void main_thread_exits(int sock, void *argp)
{
	pthread_t t;

	(void)argp;
	peer_sock = sock;
	ASSERT_EQ(pthread_create(&t, NULL, orphaned_thread, NULL), 0);
	pthread_exit(NULL);
}

TEST(grant_to_process_whose_main_thread_exited)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	struct rt_peer p;

	rt_peer_start(&p, main_thread_exits, NULL);
	rt_peer_expect(&p, 1);
	rt_send(p.sock, rt_grant_ok(fd, h, R_ | M_, p.pidfd));
	rt_peer_expect(&p, 2);
	ASSERT_PEER_OK(&p);
	close(fd);
}

/* ---- finding 8: the committed set's fragmentation is bounded ----------- */

TEST(commit_fragmentation_is_bounded)
{
	struct rt_counters before = rt_counters_now();
	char saved[32];
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 256, ALL, 0), hf = rt_region(fd, 256, ALL,
							      RATMEM_CREATE_COMMIT);
	uint64_t committed;

	if (geteuid())
		SKIP("needs root to set max_commit_ranges");
	rt_read_param("max_commit_ranges", saved, sizeof(saved));
	ASSERT_EQ(strcmp(saved, "65536"), 0);
	ASSERT_EQ(rt_write_param("max_commit_ranges", "16"), 0);
	/* Alternate pages: 16 ranges, then the 17th would be one too many. */
	for (int i = 0; i < 16; i++)
		ASSERT_EQ(rt_commit(fd, h, 2 * i * PG, PG), 0);
	ASSERT_ERRNO(rt_commit(fd, h, 32 * PG, PG), EDQUOT);
	/* Joining ranges and growing one at its edge stay allowed. */
	ASSERT_EQ(rt_commit(fd, h, PG, PG), 0);
	ASSERT_EQ(rt_commit(fd, h, 31 * PG, PG), 0);
	ASSERT_EQ(rt_commit(fd, h, 32 * PG, PG), 0);
	committed = rt_committed(fd, h);
	ASSERT_EQ(committed, 19 * PG);
	/* Decommit that splits: a fully committed region, holes punched. */
	for (int i = 0; i < 15; i++)
		ASSERT_EQ(rt_decommit(fd, hf, (2 * i + 1) * PG, PG), 0);
	ASSERT_ERRNO(rt_decommit(fd, hf, 31 * PG, PG), EDQUOT);
	ASSERT_EQ(rt_committed(fd, hf), (256 - 15) * PG);
	/* Taking a whole range away, or more, is never refused. */
	ASSERT_EQ(rt_decommit(fd, hf, 0, 64 * PG), 0);
	ASSERT_EQ(rt_write_param("max_commit_ranges", saved), 0);
	ASSERT_EQ(rt_quota_get(fd, -1).usage[RATMEM_RES_COMMITTED],
		  committed + (256 - 64) * PG);
	close(fd);
	rt_counters_back(before);
}

/* ---- finding 3: a revoked capability keeps no memory alive -------------- */

static void revoked_opener_keeps_handle(int sock, void *argp)
{
	int fd = rt_open_ctx();
	char *name = argp;
	struct ratmem_query q;
	unsigned char *m;
	uint32_t h;

	ASSERT_EQ(nopen(fd, name, R_ | M_, &h, NULL), 0);
	m = rt_map_ok(fd, h, 0, 4 * PG, PROT_READ);
	rt_expect_bytes(m, 4 * PG, 0x5a);
	rt_send(sock, 1);
	/* Revoked, unlinked, the creator gone: the handle and VMA are husks. */
	rt_recv(sock);
	ASSERT_ERRNO(hquery(fd, h, &q), ENOLINK);
	rt_expect_sigbus(m, 0);
	rt_send(sock, 2);
	rt_recv(sock);
	close(fd);
}

TEST(revoked_handles_keep_no_pages)
{
	struct rt_counters before = rt_counters_now();
	char name[RATMEM_NAME_MAX];
	int fd = rt_open_ctx();
	struct ratmem_named_create c = { .size = 4 * PG, .rights = ALL, .mode = 0644,
					 .flags = RATMEM_CREATE_COMMIT };
	struct rt_peer p;
	unsigned char *m;

	mkname(name, "husk");
	c.name = (uintptr_t)name;
	ASSERT_EQ(ioc(fd, RATMEM_IOC_NAMED_CREATE, &c), 0);
	m = rt_map_ok(fd, c.handle, 0, 4 * PG, PROT_READ | PROT_WRITE);
	memset(m, 0x5a, 4 * PG);
	ASSERT_EQ(rt_counters_now().pages, before.pages + 4);
	rt_peer_start(&p, revoked_opener_keeps_handle, name);
	rt_peer_expect(&p, 1);
	ASSERT_EQ(nunlink(fd, name, RATMEM_UNLINK_REVOKE), 0);
	ASSERT_EQ(munmap(m, 4 * PG), 0);
	ASSERT_EQ(rat_close_handle(fd, c.handle), 0);
	/* Only the peer's revoked handle and mapping are left: no page, no charge. */
	ASSERT_EQ(rt_counters_now().pages, before.pages);
	ASSERT_EQ(rt_counters_now().regions, before.regions + 1);
	ASSERT_EQ(rt_quota_get(fd, -1).usage[RATMEM_RES_COMMITTED], 0);
	rt_send(p.sock, 0);
	rt_peer_expect(&p, 2);
	rt_send(p.sock, 0);
	ASSERT_PEER_OK(&p);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/* ---- finding 10: owner exit seen whatever holds its descriptor table ---- */

static int sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/*
 * The owner grants, then shares its descriptor table with a
 * clone(CLONE_FILES) child (not a thread) and exits. The table lives on
 * in the child, so no ->flush() runs; the grant must still go.
 */
static void owner_exits_with_shared_files(int sock, void *argp)
{
	int fd = rt_sharing_ctx();
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	int pidfd = rt_pidfd_open(getppid());
	static char stack[64 * 1024];
	pid_t c;

	(void)argp;
	rt_send(sock, rt_grant_ok(fd, h, R_ | M_, pidfd));
	rt_recv(sock);
	c = clone(sleep_forever, stack + sizeof(stack), CLONE_FILES | SIGCHLD, NULL);
	ASSERT_TRUE(c > 0);
	rt_send(sock, (uint64_t)c);
	_exit(0);
}

TEST(owner_exit_revokes_grants_while_a_clone_shares_its_files)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd = rt_sharing_ctx();
	struct ratmem_query q;
	double end;
	struct rt_peer p;
	uint32_t h;
	pid_t c;
	char *m;

	rt_peer_start(&p, owner_exits_with_shared_files, NULL);
	h = rt_accept_ok(fd, rt_peer_recv(&p), R_ | M_);
	m = rt_map_ok(fd, h, 0, PG, PROT_READ);
	rt_read_byte(m);
	rt_send(p.sock, 0);
	c = (pid_t)rt_peer_recv(&p);
	ASSERT_PEER_OK(&p);
	/*
	 * The clone keeps the owner's files (and its context) open. The exit
	 * is seen from a work item, which marks the grant (ENOLINK) and then
	 * sweeps: nobody's call waits for that, so wait for the fault too.
	 */
	end = now_s() + 10;
	while (hquery(fd, h, &q) == 0 && now_s() < end)
		usleep(10000);
	ASSERT_ERRNO(hquery(fd, h, &q), ENOLINK);
	while (rt_access_signal(rt_read_byte, m) == 0 && now_s() < end)
		usleep(10000);
	rt_expect_sigbus(m, 0);
	/* Gone, with the owner's context, before the next test counts. */
	pfd.fd = rt_pidfd_open(c);
	ASSERT_EQ(kill(c, SIGKILL), 0);
	ASSERT_EQ(poll(&pfd, 1, 10000), 1);
	close(pfd.fd);
	munmap(m, PG);
	close(fd);
}

/* ---- a region that loses its last user is drained; never one in flight -- */

struct drain_race {
	atomic_int stop;
	atomic_long opens, empty;
};

static void *drain_race_opener(void *arg)
{
	struct drain_race *dr = arg;
	char name[RATMEM_NAME_MAX];
	struct ratmem_query q;
	int fd = rt_open_ctx();

	snprintf(name, sizeof(name), "rth-drain-%d", (int)getppid());
	while (!atomic_load(&dr->stop)) {
		uint32_t h;

		if (nopen(fd, name, R_ | M_, &h, NULL))
			continue;
		atomic_fetch_add(&dr->opens, 1);
		/* UNLINK without REVOKE: the handle must be as good as before it. */
		if (hquery(fd, h, &q) || q.committed != 4 * PG)
			atomic_fetch_add(&dr->empty, 1);
		rat_close_handle(fd, h);
	}
	close(fd);
	return NULL;
}

static void drain_race_peer(int sock, void *argp)
{
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, drain_race_opener, argp), 0);
	rt_send(sock, 1);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
}

/*
 * The producer's handle is gone and only the name holds the region when
 * UNLINK (without REVOKE) drops the last live user; an NAMED_OPEN in flight
 * must either fail or get a handle to the whole, committed region.
 */
TEST_TIMEOUT(open_racing_the_last_unlink_gets_live_memory, 120)
{
	struct drain_race *dr = rt_shared_page();
	struct rt_counters before = rt_counters_now();
	char name[RATMEM_NAME_MAX];
	double end = now_s() + 15;
	int fd = rt_open_ctx();
	long rounds = 0;
	struct rt_peer p;

	mkname(name, "drain");
	rt_peer_start(&p, drain_race_peer, dr);
	rt_peer_expect(&p, 1);
	while (rounds < 20000 && now_s() < end) {
		struct ratmem_named_create c = { .name = (uintptr_t)name, .size = 4 * PG,
						 .rights = ALL, .mode = 0644,
						 .flags = RATMEM_CREATE_COMMIT };

		ASSERT_EQ(ioc(fd, RATMEM_IOC_NAMED_CREATE, &c), 0);
		ASSERT_EQ(rat_close_handle(fd, c.handle), 0);
		rt_spin(rounds % 5 * 300);
		ASSERT_EQ(nunlink(fd, name, 0), 0);
		rounds++;
	}
	atomic_store(&dr->stop, 1);
	ASSERT_PEER_OK(&p);
	rt_diag("%ld rounds, %ld opens", rounds, atomic_load(&dr->opens));
	ASSERT_EQ(atomic_load(&dr->empty), 0);
	ASSERT_TRUE(atomic_load(&dr->opens) > 0);
	close(fd);
	rt_counters_expect(before, RT_C_MEMORY | RT_C_NAMES);
}

/* ---- finding 8: a REVOKE stuck behind another mmap_lock can be killed ---- */

#define WEDGE_MB 96
/* Tries of a wedged revocation before a test says its window was missed. */
#define WEDGE_TRIES 24

/* Message to the wedging mapper: read your mapping, say whether it faulted. */
#define WEDGE_PROBE 5

struct wedge {
	char *mem;
	size_t len;
	atomic_int stop;
};

/* Hold the mmap_lock for write nearly all the time, until told to stop. */
static void *wedge_loop(void *arg)
{
	struct wedge *w = arg;

	while (!atomic_load(&w->stop)) {
		ASSERT_EQ(mprotect(w->mem, w->len, PROT_READ), 0);
		ASSERT_EQ(mprotect(w->mem, w->len, PROT_READ | PROT_WRITE), 0);
	}
	return NULL;
}

/*
 * A grantee that maps the grant and touches it, then has a thread hold
 * its mmap_lock for write nearly all the time: mprotect() rewrites every
 * PTE of WEDGE_MB of touched memory under that lock, back and forth.
 * (A fork() loop, used before, held it only while copying the page
 * tables and not while the child exited, and the revoker often slipped
 * through in between.) It sends 2 and its mapping's address; then on
 * WEDGE_PROBE it reads its mapping and answers 1 if that faulted, else
 * 0 (a read that does not fault went through a PTE that was there); on
 * 3 it stops the thread and its mapping must fault: the revocation
 * completed. argp NULL: a READ|WRITE grant mapped read-write; else a
 * READ|EXEC grant mapped read-execute.
 */
static void mapper_that_wedges(int sock, void *argp)
{
	struct wedge w = { .len = (size_t)WEDGE_MB << 20 };
	int fd = rt_sharing_ctx();
	pthread_t thread;
	uint64_t msg;
	char *addr;
	uint32_t h;

	rt_send(sock, 1);
	if (argp) {
		h = rt_accept_ok(fd, rt_recv(sock), R_ | X_ | M_);
		addr = rt_map_ok(fd, h, 0, PG, PROT_READ | PROT_EXEC);
		rt_read_byte(addr);
	} else {
		h = rt_accept_ok(fd, rt_recv(sock), R_ | W_ | M_);
		addr = rt_map_ok(fd, h, 0, PG, PROT_READ | PROT_WRITE);
		rt_write_byte(addr);
	}
	w.mem = mmap(NULL, w.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(w.mem != MAP_FAILED);
	madvise(w.mem, w.len, MADV_NOHUGEPAGE);
	memset(w.mem, 1, w.len);
	ASSERT_EQ(pthread_create(&thread, NULL, wedge_loop, &w), 0);
	rt_send(sock, 2);
	rt_send(sock, (uint64_t)(uintptr_t)addr);
	while ((msg = rt_recv(sock)) == WEDGE_PROBE)
		rt_send(sock, rt_access_signal(rt_read_byte, addr) != 0);
	atomic_store(&w.stop, 1);
	ASSERT_EQ(pthread_join(thread, NULL), 0);
	ASSERT_EQ(msg, 3);
	rt_expect_sigbus(addr, 0);
	rt_send(sock, 4);
	close(fd);
}

/* A diagnostic per line of @text (a kernel stack), after @what. */
static void diag_lines(const char *what, const char *text)
{
	int n;

	rt_diag("%s", what);
	for (; *text; text += n + (text[n] == '\n')) {
		n = (int)strcspn(text, "\n");
		rt_diag("  %.*s", n, text);
	}
}

/*
 * Wait (up to 4 s) until @pid sleeps in the revocation sweep: state D
 * with ratmem_region_sweep() on its kernel stack. There it waits for a
 * mapper's mmap_lock, the grant already marked revoked. (State D alone
 * is not enough: the revoker also sleeps elsewhere, on its way out for
 * one. The two reads are not atomic, so the caller must not take this
 * to mean that the sweep is still waiting afterwards.) True when caught
 * there; false when it finished first. @seen gets the last kernel stack
 * seen in state D, for the diagnostics.
 */
static bool wait_asleep_in_sweep(pid_t pid, char *seen, size_t len)
{
	char path[64], stack[4096];
	char st;

	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	snprintf(seen, len, "never in state D");
	for (int i = 0; i < 20000; i++) {
		st = rt_task_state(pid, pid);
		if (st == 'Z' || st == 0)
			return false;
		if (st == 'D') {
			rt_read_proc(path, stack, sizeof(stack));
			if (strstr(stack, "ratmem_region_sweep")) {
				snprintf(seen, len, "%s", stack);
				return true;
			}
			if (stack[0])
				snprintf(seen, len, "%s", stack);
		}
		usleep(200);
	}
	return false;
}

/*
 * The revoker: accepts a grant with every right, grants onward to the
 * wedging mapper with the rights it is sent, and on GO revokes that
 * second grant.
 */
static void regranter(int sock, void *argp)
{
	int fd = rt_sharing_ctx(), pidfd;
	uint32_t h, rights;
	uint64_t cap;

	(void)argp;
	rt_send(sock, 1);
	h = rt_accept_ok(fd, rt_recv(sock), R_ | W_ | X_ | M_ | G_);
	rights = (uint32_t)rt_recv(sock);
	pidfd = rt_pidfd_open((pid_t)rt_recv(sock));
	cap = rt_grant_ok(fd, h, rights, pidfd);
	rt_send(sock, cap);
	rt_recv_expect(sock, RT_MSG_GO);
	rt_send(sock, rt_revoke(fd, h, cap) == 0 ? RT_MSG_DONE : RT_MSG_EXIT);
	close(fd);
}

/*
 * Start the wedging mapper b (exec: NULL for a READ|WRITE mapping, else
 * READ|EXEC) and the regranter a, which grants b from what the owner
 * granted it; returns the capability a made for b, which b has mapped
 * at *@addr and touched by the time this returns.
 */
static uint64_t wedged_regrant(int fd, uint32_t h, struct rt_peer *a, struct rt_peer *b,
			       int *exec, uint64_t *addr)
{
	uint64_t cap;

	rt_peer_start(b, mapper_that_wedges, exec);
	rt_peer_expect(b, 1);
	rt_peer_start(a, regranter, NULL);
	rt_peer_expect(a, 1);
	rt_send(a->sock, rt_grant_ok(fd, h, R_ | W_ | X_ | M_ | G_, a->pidfd));
	rt_send(a->sock, exec ? R_ | X_ | M_ : R_ | W_ | M_);
	rt_send(a->sock, (uint64_t)b->pid);
	cap = rt_peer_recv(a);
	rt_send(b->sock, cap);
	rt_peer_expect(b, 2);
	*addr = rt_peer_recv(b);
	return cap;
}

/*
 * One try: a revoker revokes its grant while the grantee's mprotect()
 * loop holds its mmap_lock, and is killed as soon as it sleeps in
 * the kernel. Returns whether it was killed there (state D). Either way
 * the grant must end up revoked with no PTE left: a REVOKE that finds
 * the capability gone returns ENOENT only once the sweep is complete,
 * and the grantee then checks that its mapping faults.
 */
static int revoke_killed_in_sweep(int fd, uint32_t h)
{
	struct rt_peer b, a;
	uint64_t cap, addr, msg;
	int killed = 0, status;
	char seen[4096];

	cap = wedged_regrant(fd, h, &a, &b, NULL, &addr);
	rt_send(a.sock, RT_MSG_GO);
	if (wait_asleep_in_sweep(a.pid, seen, sizeof(seen))) {
		kill(a.pid, SIGKILL);
		/* Its answer, if it finished before the signal came; else EOF. */
		if (read(a.sock, &msg, sizeof(msg)) != (ssize_t)sizeof(msg))
			msg = 0;
		status = rt_peer_wait(&a, 60000);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			killed = 1;
		else if (status == 0 && msg == RT_MSG_DONE)
			rt_diag("the revoker finished before SIGKILL came");
		else
			rt_fail(__FILE__, __LINE__, "revoker %s (sent %llu), expected killed "
				"by SIGKILL or done", rt_status_str(status),
				(unsigned long long)msg);
	} else {
		diag_lines("revoker not caught in the sweep; last seen asleep in:", seen);
		rt_peer_expect(&a, RT_MSG_DONE);
		ASSERT_PEER_OK(&a);
	}
	/* The owner's handle reaches every grant of the region. */
	ASSERT_ERRNO(rt_revoke(fd, h, cap), ENOENT);
	rt_send(b.sock, 3);
	rt_peer_expect(&b, 4);
	ASSERT_PEER_OK(&b);
	return killed;
}

TEST_TIMEOUT(revoke_killed_behind_a_wedged_mmap_lock_completes, 600)
{
	struct rt_counters before = rt_counters_now();
	const char *ev = RT_TRACEFS "/events/ratmem/revoke_interrupted/enable";
	int fd, tries, killed = 0, interrupted = 0;
	uint32_t h;
	char *log;

	if (geteuid())
		SKIP("needs root for tracefs");
	rt_need_tracefs();
	rt_write_file(RT_TRACEFS "/trace", "", O_TRUNC);
	rt_write_file(ev, "1", 0);
	fd = rt_sharing_ctx();
	h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);
	for (tries = 1; tries <= WEDGE_TRIES && !interrupted; tries++) {
		killed += revoke_killed_in_sweep(fd, h);
		log = rt_read_file(RT_TRACEFS "/trace");
		interrupted = strstr(log, "revoke_interrupted:") != NULL;
		free(log);
	}
	rt_write_file(ev, "0", 0);
	rt_diag("%d tries, the revoker was killed asleep %d times", tries - 1, killed);
	/* Killed while it waited for the grantee's mmap_lock: it gave up there. */
	ASSERT_TRUE(interrupted);
	close(fd);
	rt_counters_back(before);
}

/* ---- finding 7: W^X counts stay until the sweep removed the PTEs -------- */

/*
 * One try: the grantee has an executable mapping with a PTE; its grant
 * is revoked while the grantee's mprotect() loop holds its mmap_lock, so
 * the sweep waits. Once the revoker sleeps in the sweep (the grant is
 * marked revoked), the owner asks for a writable mapping, then has the
 * grantee read its mapping. A read that does not fault used a PTE that
 * was there when the owner got its answer (after the mark, the sweep
 * only removes PTEs), so the answer must have been EACCES: the try
 * counts. A read that faults proves nothing either way: the try does
 * not count. Once the sweep is done the grantee faults, and the owner
 * may map the region writable. Returns whether the try counted.
 */
static int wx_held_through_sweep(int fd, uint32_t h)
{
	static int exec = 1;
	struct rt_peer b, a;
	int counted = 0, err;
	char seen[4096];
	uint64_t addr;
	void *p;

	wedged_regrant(fd, h, &a, &b, &exec, &addr);
	/* Executable somewhere: no writable mapping anywhere. */
	p = rt_map(fd, h, 0, PG, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(p == MAP_FAILED && errno == EACCES);
	rt_send(b.sock, WEDGE_PROBE);
	ASSERT_EQ(rt_peer_recv(&b), 0);
	rt_send(a.sock, RT_MSG_GO);
	if (!wait_asleep_in_sweep(a.pid, seen, sizeof(seen))) {
		diag_lines("revoker not caught in the sweep; last seen asleep in:", seen);
	} else {
		p = rt_map(fd, h, 0, PG, PROT_READ | PROT_WRITE);
		err = errno;
		rt_send(b.sock, WEDGE_PROBE);
		if (rt_peer_recv(&b) == 0) {
			if (p != MAP_FAILED)
				rt_fail(__FILE__, __LINE__, "writable mapping allowed while a "
					"revoked executable mapping still has its PTE");
			ASSERT_EQ(err, EACCES);
			counted = 1;
		} else {
			rt_diag("caught in the sweep, but the PTE was gone by the check");
			if (p != MAP_FAILED)
				ASSERT_EQ(munmap(p, PG), 0);
		}
	}
	/*
	 * The revoker's REVOKE returns 0 once the sweep is done (the wedge
	 * lets it through between two mprotect() calls); only then must the
	 * grantee's mapping fault.
	 */
	rt_peer_expect(&a, RT_MSG_DONE);
	ASSERT_PEER_OK(&a);
	rt_send(b.sock, 3);
	rt_peer_expect(&b, 4);
	ASSERT_PEER_OK(&b);
	/* Swept: the revoked mapping counts no more. */
	p = rt_map_ok(fd, h, 0, PG, PROT_READ | PROT_WRITE);
	ASSERT_EQ(munmap(p, PG), 0);
	return counted;
}

TEST_TIMEOUT(wx_counts_stay_until_the_sweep_removed_the_ptes, 600)
{
	struct rt_counters before = rt_counters_now();
	int fd = rt_sharing_ctx(), tries, caught = 0;
	uint32_t h = rt_region(fd, 1, ALL, RATMEM_CREATE_COMMIT);

	for (tries = 1; tries <= WEDGE_TRIES && !caught; tries++)
		caught = wx_held_through_sweep(fd, h);
	rt_diag("%d tries", tries - 1);
	/* No try counted: the window was not tested. */
	ASSERT_TRUE(caught);
	close(fd);
	rt_counters_back(before);
}
