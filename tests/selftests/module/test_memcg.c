// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: ratmem and the memory cgroup (contract section 6). Every
 * page ratmem allocates is charged to the memory cgroup of the process
 * whose first touch allocates it (__GFP_ACCOUNT in the fault handler),
 * so a region is never a way out of a container's memory.max.
 *
 * A worker process is moved into a fresh cgroup v2 with a small
 * memory.max. It creates and commits a region far larger than the
 * limit and touches it page by page. The test shows that
 * memory.current follows the touched pages up and (after DECOMMIT)
 * down, and that touching past the limit ends in the cgroup's OOM
 * killer: the worker is killed with SIGKILL before it reaches the end.
 *
 * The guest is a busybox initramfs: cgroup2 is mounted here when it is
 * not mounted yet, and everything set up is undone at the end, also
 * when the checks fail (they run in a child of the test process, which
 * keeps the cleanup to itself).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "share.h"
#include "util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define MiB (1024ULL * 1024)
#define RW (PROT_READ | PROT_WRITE)
#define CG_ROOT "/sys/fs/cgroup"

/* The cgroup's memory.max, and a region four times as large. */
#define LIMIT (16 * MiB)
#define REGION_PAGES (4 * LIMIT / PG)
/* Pages touched (then decommitted) while still under the limit. */
#define TOUCH_PAGES (4 * MiB / PG)
/*
 * The worker's own charges besides ratmem's pages (stack, page tables,
 * kernel objects) stay far below this while it runs.
 */
#define OTHER_MAX (1 * MiB)
/*
 * memory.current is the memcg page counter, which is charged and
 * uncharged in batches through a per-CPU stock of at most
 * MEMCG_CHARGE_BATCH (64) pages for each of the VM's two CPUs: it can
 * lead the real charges by that much, never lag them.
 */
#define STOCK_SLACK (2 * 64 * PG)

enum { MSG_TOUCH = 0x6d656d00, MSG_DECOMMIT, MSG_EXCEED };

struct cg {
	char mnt[64];		/* where cgroup2 is mounted */
	char dir[128];		/* the test's cgroup */
	int mounted;		/* we mounted cgroup2 (umount at the end) */
	int enabled_memory;	/* we added +memory to the root's subtree_control */
	volatile uint64_t *progress;	/* pages the worker touched */
};

static int write_str(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (f < 0)
		return -errno;
	n = write(f, s, strlen(s));
	err = errno;
	close(f);
	if (n < 0)
		return -err;
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* The contents of a small file, NUL-terminated, or "" when unreadable. */
static void read_str(const char *path, char *buf, size_t len)
{
	int f = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (f >= 0) {
		n = read(f, buf, len - 1);
		close(f);
	}
	buf[n > 0 ? n : 0] = '\0';
}

static void cg_path(const struct cg *cg, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", cg->dir, file);
}

static uint64_t cg_read_u64(const struct cg *cg, const char *file)
{
	char path[192], buf[64], *end;
	unsigned long long v;

	cg_path(cg, file, path, sizeof(path));
	read_str(path, buf, sizeof(buf));
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf)
		rt_fail(__FILE__, __LINE__, "%s: '%s' is not a number", path, buf);
	return v;
}

/* The value of @key in a flat-keyed file such as memory.events. */
static uint64_t cg_read_key(const struct cg *cg, const char *file, const char *key)
{
	char path[192], buf[1024], *line;
	size_t klen = strlen(key);

	cg_path(cg, file, path, sizeof(path));
	read_str(path, buf, sizeof(buf));
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return strtoull(line + klen + 1, NULL, 10);
	rt_fail(__FILE__, __LINE__, "%s has no key %s: '%s'", path, key, buf);
}

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* Leave a line in the kernel log (best effort): the OOM report is ours. */
static void kmsg(const char *s)
{
	int f = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (f >= 0) {
		if (write(f, s, strlen(s)) < 0)
			(void)0;
		close(f);
	}
}

/*
 * Find or mount cgroup2 with the memory controller, and make the test's
 * cgroup with memory.max = LIMIT. Skips when the kernel has no cgroup2
 * memory controller.
 */
static void cg_setup(struct cg *cg)
{
	char buf[512], path[192];
	struct statfs sfs;
	int r;

	memset(cg, 0, sizeof(*cg));
	read_str("/proc/filesystems", buf, sizeof(buf));
	if (!strstr(buf, "\tcgroup2\n"))
		SKIP("the kernel has no cgroup2 (not in /proc/filesystems)");
	snprintf(cg->mnt, sizeof(cg->mnt), "%s", CG_ROOT);
	if (statfs(CG_ROOT, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			rt_fail(__FILE__, __LINE__, "mount cgroup2 on %s: %s", CG_ROOT,
				strerror(errno));
		cg->mounted = 1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.controllers", cg->mnt);
	read_str(path, buf, sizeof(buf));
	if (!has_word(buf, "memory")) {
		if (cg->mounted)
			umount(cg->mnt);
		SKIP("no cgroup2 memory controller (cgroup.controllers: '%.*s')",
		     (int)strcspn(buf, "\n"), buf);
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg->mnt);
	read_str(path, buf, sizeof(buf));
	if (!has_word(buf, "memory")) {
		r = write_str(path, "+memory");
		if (r)
			rt_fail(__FILE__, __LINE__, "+memory in %s: %s", path, strerror(-r));
		cg->enabled_memory = 1;
	}
	snprintf(cg->dir, sizeof(cg->dir), "%s/ratmem-memcg-%d", cg->mnt, (int)getpid());
	if (mkdir(cg->dir, 0755))
		rt_fail(__FILE__, __LINE__, "mkdir %s: %s", cg->dir, strerror(errno));
	cg_path(cg, "memory.max", path, sizeof(path));
	snprintf(buf, sizeof(buf), "%llu", LIMIT);
	r = write_str(path, buf);
	if (r)
		rt_fail(__FILE__, __LINE__, "%s = %s: %s", path, buf, strerror(-r));
	/* Touched here, so that its page is charged outside the cgroup. */
	cg->progress = rt_shared_page();
	cg->progress[0] = 0;
}

/*
 * Undo cg_setup(): kill what is left in the cgroup, reap it (the test
 * process is a child subreaper), remove the cgroup, take back +memory
 * and unmount what we mounted. Returns rmdir's result (0 or -errno).
 */
static int cg_cleanup(struct cg *cg)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	char path[192], buf[256];
	int rmdir_ret = -EBUSY;

	cg_path(cg, "cgroup.kill", path, sizeof(path));
	write_str(path, "1");
	cg_path(cg, "cgroup.events", path, sizeof(path));
	for (int i = 0; i < 1000; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		read_str(path, buf, sizeof(buf));
		if (strstr(buf, "populated 0"))
			break;
		nanosleep(&tick, NULL);
	}
	if (rmdir(cg->dir) == 0)
		rmdir_ret = 0;
	else
		rmdir_ret = -errno;
	if (cg->enabled_memory) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg->mnt);
		write_str(path, "-memory");
	}
	if (cg->mounted)
		umount(cg->mnt);
	return rmdir_ret;
}

/*
 * The worker, inside the cgroup: a region of REGION_PAGES, committed
 * and mapped; then it touches, decommits and touches again as told.
 */
static void worker(int sock, void *arg)
{
	struct cg *cg = arg;
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, REGION_PAGES, RT_RWM, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, REGION_PAGES * PG, RW);

	rt_send(sock, RT_MSG_READY);
	rt_recv_expect(sock, MSG_TOUCH);
	for (uint64_t i = 0; i < TOUCH_PAGES; i++) {
		p[i * PG] = 0x5a;
		cg->progress[0] = i + 1;
	}
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, MSG_DECOMMIT);
	ASSERT_EQ(rt_decommit(fd, h, 0, TOUCH_PAGES * PG), 0);
	ASSERT_EQ(rt_commit(fd, h, 0, TOUCH_PAGES * PG), 0);
	rt_send(sock, RT_MSG_DONE);
	rt_recv_expect(sock, MSG_EXCEED);
	cg->progress[0] = 0;
	for (uint64_t i = 0; i < REGION_PAGES; i++) {
		p[i * PG] = 0xa5;
		cg->progress[0] = i + 1;
	}
	/* Four times memory.max touched and still alive: the escape worked. */
	rt_send(sock, RT_MSG_DONE);
}

static void memcg_body(void *arg)
{
	struct cg *cg = arg;
	struct rt_counters before = rt_counters_now();
	char path[192], pid[32];
	uint64_t cur0, cur1, cur2, touched;
	struct rt_peer w;
	int status;

	ASSERT_EQ(cg_read_u64(cg, "memory.current"), 0);	/* a new, empty cgroup */
	ASSERT_EQ(cg_read_u64(cg, "memory.max"), LIMIT);
	rt_peer_start(&w, worker, cg);
	cg_path(cg, "cgroup.procs", path, sizeof(path));
	snprintf(pid, sizeof(pid), "%d", (int)w.pid);
	ASSERT_EQ(write_str(path, pid), 0);
	rt_peer_expect(&w, RT_MSG_READY);

	/* Committed and mapped, nothing touched: no page charged yet. */
	ASSERT_EQ(rt_counters_now().pages, before.pages);
	cur0 = cg_read_u64(cg, "memory.current");
	ASSERT_TRUE(cur0 < OTHER_MAX);

	/* Touched: every page ratmem allocated is in memory.current. */
	rt_send(w.sock, MSG_TOUCH);
	rt_peer_expect(&w, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().pages, before.pages + TOUCH_PAGES);
	cur1 = cg_read_u64(cg, "memory.current");
	rt_diag("memory.current: %llu before touching, %llu after %llu pages",
		(unsigned long long)cur0, (unsigned long long)cur1, TOUCH_PAGES);
	ASSERT_TRUE(cur1 >= TOUCH_PAGES * PG);
	ASSERT_TRUE(cur1 - cur0 >= TOUCH_PAGES * PG - STOCK_SLACK);

	/* Decommitted: the pages are freed and uncharged. */
	rt_send(w.sock, MSG_DECOMMIT);
	rt_peer_expect(&w, RT_MSG_DONE);
	ASSERT_EQ(rt_counters_now().pages, before.pages);
	cur2 = cg_read_u64(cg, "memory.current");
	rt_diag("memory.current after DECOMMIT: %llu", (unsigned long long)cur2);
	ASSERT_TRUE(cur1 - cur2 >= TOUCH_PAGES * PG - STOCK_SLACK);
	ASSERT_EQ(cg_read_key(cg, "memory.events", "oom_kill"), 0);

	/*
	 * Past the limit. The page allocation in ratmem's fault handler
	 * (GFP_HIGHUSER | __GFP_ACCOUNT) charges the worker's cgroup; at
	 * memory.max reclaim finds nothing to take (ratmem pages are not
	 * on the LRU, there is no swap), so the charge invokes the memcg
	 * OOM killer, whose only candidate is the worker: it gets SIGKILL
	 * (memory.events oom_kill 1). The dying worker's last charge then
	 * fails, the fault returns VM_FAULT_OOM, and the worker dies on
	 * its way back to user space without touching another page. The
	 * allocation never succeeds past the limit for a live process, and
	 * the worker never reports having touched the whole region.
	 */
	kmsg("ratmem selftest test_memcg: a memcg OOM kill (with its stack dump) is expected now\n");
	rt_send(w.sock, MSG_EXCEED);
	status = rt_peer_wait(&w, 120000);
	kmsg("ratmem selftest test_memcg: end of the expected memcg OOM kill\n");
	touched = cg->progress[0];
	rt_diag("worker %s after touching %llu of %llu pages; memory.events oom %llu oom_kill %llu",
		rt_status_str(status), (unsigned long long)touched, REGION_PAGES,
		(unsigned long long)cg_read_key(cg, "memory.events", "oom"),
		(unsigned long long)cg_read_key(cg, "memory.events", "oom_kill"));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(WTERMSIG(status), SIGKILL);
	ASSERT_TRUE(touched < REGION_PAGES);
	/* It was stopped at the limit, not before. */
	ASSERT_TRUE(touched * PG >= LIMIT - OTHER_MAX - STOCK_SLACK);
	ASSERT_TRUE(touched * PG <= LIMIT);
	ASSERT_EQ(cg_read_key(cg, "memory.events", "oom_kill"), 1);
	ASSERT_TRUE(cg_read_key(cg, "memory.events", "oom") >= 1);
	ASSERT_TRUE(cg_read_key(cg, "memory.events", "max") >= 1);

	/* The worker's exit freed the region: its pages are uncharged. */
	rt_counters_expect(before, RT_C_ALL);
	ASSERT_TRUE(cg_read_u64(cg, "memory.current") < OTHER_MAX);
}

/* ratmem pages count against memory.max, and passing it ends in the OOM killer. */
TEST_TIMEOUT(memcg_charges_and_limits_ratmem_pages, 240)
{
	struct rt_counters before;
	struct cg cg;
	int status, rmdir_ret;

	close(rt_open_ctx_need(RATMEM_FEATURE_MEMORY, 0));
	before = rt_counters_now();
	cg_setup(&cg);
	/* Whatever happens in the body, its children come back to us. */
	ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	status = rt_child_status(memcg_body, &cg);
	rmdir_ret = cg_cleanup(&cg);
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "the checks failed: %s", rt_status_str(status));
	ASSERT_EQ(rmdir_ret, 0);
	rt_counters_expect(before, RT_C_ALL);
}

/* ---- the page pools (module/pool.c) ----------------------------------- */

#define POOL_TEST_PAGES 256

enum { MSG_TOUCH_NEXT = 0x6d656d10 };

/* In the cgroup: one page touched per MSG_TOUCH_NEXT, until told to stop. */
static void pool_worker(int sock, void *arg)
{
	int fd = rt_open_ctx();
	uint32_t h = rt_region(fd, 16, RT_RWM, RATMEM_CREATE_COMMIT);
	unsigned char *p = rt_map_ok(fd, h, 0, 16 * PG, RW);

	(void)arg;
	rt_send(sock, RT_MSG_READY);
	for (int i = 0; i < 16; i++) {
		if (rt_recv(sock) != MSG_TOUCH_NEXT)
			return;
		p[i * PG] = 1;
		rt_send(sock, RT_MSG_DONE);
	}
}

static uint64_t cg_wait_current(const struct cg *cg, uint64_t at_least)
{
	uint64_t cur = 0;

	for (int i = 0; i < 200; i++) {
		cur = cg_read_u64(cg, "memory.current");
		if (cur >= at_least)
			break;
		usleep(100000);
	}
	return cur;
}

/* memory.current once it has not changed for half a second (at most 20 s). */
static uint64_t cg_wait_stable(const struct cg *cg)
{
	uint64_t last = cg_read_u64(cg, "memory.current"), cur = last;

	for (int i = 0; i < 40; i++) {
		usleep(500000);
		cur = cg_read_u64(cg, "memory.current");
		if (cur == last)
			break;
		last = cur;
	}
	return cur;
}

static void pool_body(void *arg)
{
	struct cg *cg = arg;
	uint64_t cur0, cur1, cur2;
	char path[192], pid[32];
	struct rt_peer w;
	int fd;

	ASSERT_EQ(rt_write_param("pool_pages", "0"), 0);
	rt_peer_start(&w, pool_worker, cg);
	cg_path(cg, "cgroup.procs", path, sizeof(path));
	snprintf(pid, sizeof(pid), "%d", (int)w.pid);
	ASSERT_EQ(write_str(path, pid), 0);
	rt_peer_expect(&w, RT_MSG_READY);
	rt_send(w.sock, MSG_TOUCH_NEXT);		/* pools off: no pool */
	rt_peer_expect(&w, RT_MSG_DONE);
	cur0 = cg_read_u64(cg, "memory.current");

	/* The next miss makes the cgroup's pool; its refill charges the cgroup. */
	snprintf(pid, sizeof(pid), "%d", POOL_TEST_PAGES);
	ASSERT_EQ(rt_write_param("pool_pages", pid), 0);
	rt_send(w.sock, MSG_TOUCH_NEXT);
	rt_peer_expect(&w, RT_MSG_DONE);
	cur1 = cg_wait_current(cg, cur0 + POOL_TEST_PAGES * PG);
	rt_diag("memory.current: %llu with pools off, %llu once the pool filled",
		(unsigned long long)cur0, (unsigned long long)cur1);
	ASSERT_TRUE(cur1 >= cur0 + POOL_TEST_PAGES * PG);

	/* The shrinker gives the pages back, and the charge with them. */
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, "2\n", 2), 2);
	close(fd);
	cur2 = cg_read_u64(cg, "memory.current");
	rt_diag("memory.current after drop_caches: %llu", (unsigned long long)cur2);
	ASSERT_TRUE(cur1 - cur2 >= POOL_TEST_PAGES * PG - STOCK_SLACK);

	/*
	 * pool_pages far above the room under memory.max: the refill takes
	 * at most half of what is left (its own reclaim could not free
	 * pool pages), and nobody is OOM-killed.
	 */
	ASSERT_EQ(rt_write_param("pool_pages", "4096"), 0);
	rt_send(w.sock, MSG_TOUCH_NEXT);
	rt_peer_expect(&w, RT_MSG_DONE);
	cur1 = cg_wait_stable(cg);
	rt_diag("memory.current with pool_pages 4096 under memory.max %llu: %llu",
		(unsigned long long)LIMIT, (unsigned long long)cur1);
	ASSERT_TRUE(cur1 <= cur2 + (LIMIT - cur2) / 2 + STOCK_SLACK + PG);
	ASSERT_TRUE(cur1 >= cur2 + (LIMIT - cur2) / 4);
	ASSERT_EQ(cg_read_key(cg, "memory.events", "oom_kill"), 0);
	rt_send(w.sock, RT_MSG_DONE);
	rt_peer_wait(&w, 30000);
}

/*
 * A pool's pages are charged to the cgroup whose faults take them, while
 * they wait in the pool, and the shrinker uncharges them.
 */
TEST_TIMEOUT(memcg_pool_pages_charged_to_the_cgroup, 120)
{
	char saved[32];
	struct cg cg;
	int status, rmdir_ret;

	close(rt_open_ctx_need(RATMEM_FEATURE_MEMORY | RATMEM_FEATURE_NUMA, 0));
	rt_read_param("pool_pages", saved, sizeof(saved));
	cg_setup(&cg);
	ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	status = rt_child_status(pool_body, &cg);
	rmdir_ret = cg_cleanup(&cg);
	ASSERT_EQ(rt_write_param("pool_pages", saved), 0);
	if (status != 0)
		rt_fail(__FILE__, __LINE__, "the checks failed: %s", rt_status_str(status));
	ASSERT_EQ(rmdir_ret, 0);
}
