// SPDX-License-Identifier: GPL-2.0
/*
 * rat_tour: one walk through what ratmem enforces, for `make demo`,
 * where `ratmemctl monitor` runs alongside and prints each event:
 *
 *   1. a region is created and mapped;
 *   2. a writable and executable mapping is refused (W^X);
 *   3. the region is granted to a child process, which accepts and maps it;
 *   4. the grant is revoked, and the child's next access faults (SIGBUS);
 *   5. the process lowers its own handle limit and the next region is
 *      refused with EDQUOT.
 *
 * Exit status 0 when every step went as described.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rat.h>

#define SIZE (64 * 1024)

static int fail(const char *what, int err)
{
	fprintf(stderr, "rat_tour: %s: %s\n", what, strerror(-err));
	exit(1);
}

static void step(const char *text)
{
	printf("-- %s\n", text);
	fflush(stdout);
	/* Let the monitor print the step's events before the next step. */
	usleep(300 * 1000);
}

/* What `ratmemctl regions <this pid>` says, when the tool is installed. */
static void show_regions(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "ratmemctl regions %d 2>/dev/null", (int)getpid());
	fflush(stdout);
	if (system(cmd) != 0)
		printf("   (ratmemctl is not installed)\n");
	fflush(stdout);
}

static void on_sigbus(int sig)
{
	static const char msg[] = "   child: SIGBUS on its revoked mapping, as promised\n";

	(void)sig;
	write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	_exit(0);
}

/* The grantee: accept the id it is sent, map, read, then read again after the revoke. */
static void child(int sock)
{
	uint32_t handle, rights;
	uint64_t cap;
	volatile char *p;
	void *addr;
	char ok = 1;
	int fd, ret;

	fd = rat_open();
	if (fd < 0)
		fail("child: open", fd);
	if (write(sock, &ok, 1) != 1 || read(sock, &cap, sizeof(cap)) != sizeof(cap))
		exit(1);
	ret = rat_accept(fd, cap, &handle, &rights);
	if (ret)
		fail("child: accept", ret);
	ret = rat_mmap(fd, handle, 0, SIZE, PROT_READ, &addr);
	if (ret)
		fail("child: mmap", ret);
	p = addr;
	printf("   child: accepted capability %016llx, reads \"%s\"\n", (unsigned long long)cap,
	       (const char *)addr);
	fflush(stdout);
	signal(SIGBUS, on_sigbus);
	if (write(sock, &ok, 1) != 1 || read(sock, &ok, 1) != 1)
		exit(1);
	(void)p[0];
	printf("   child: read after revoke succeeded: a bug\n");
	exit(1);
}

int main(void)
{
	struct ratmem_create c = { .size = SIZE, .flags = RATMEM_CREATE_COMMIT,
				   .rights = RATMEM_RIGHTS_ALL, .numa_node = -1 };
	struct ratmem_create more = c;
	struct ratmem_quota q = { .pidfd = -1 };
	int sv[2], fd, pidfd, ret, status;
	uint64_t cap;
	void *addr;
	pid_t pid;
	char ok;

	fd = rat_open();
	if (fd < 0)
		fail("open /dev/ratmem", fd);

	step("1. create a 64 KiB region and map it read-write");
	ret = rat_create(fd, &c);
	if (ret)
		fail("create", ret);
	ret = rat_mmap(fd, c.handle, 0, SIZE, PROT_READ | PROT_WRITE, &addr);
	if (ret)
		fail("mmap", ret);
	strcpy(addr, "hello from the owner");
	printf("   region %llu, handle %u; as ratmemctl sees it:\n",
	       (unsigned long long)c.region_id, c.handle);
	show_regions();

	step("2. map it writable and executable: W^X refuses");
	ret = rat_mmap(fd, c.handle, 0, SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, &addr);
	printf("   mmap(PROT_WRITE|PROT_EXEC): %s\n", ret ? strerror(-ret) : "mapped (a bug)");
	if (ret != -EACCES)
		return 1;

	step("3. grant it read-only to a child process");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		fail("socketpair", -errno);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork", -errno);
	if (pid == 0) {
		close(sv[0]);
		child(sv[1]);
	}
	close(sv[1]);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 || read(sv[0], &ok, 1) != 1)
		fail("child setup", -errno);
	ret = rat_grant(fd, c.handle, RATMEM_RIGHT_READ | RATMEM_RIGHT_MAP, pidfd, &cap);
	if (ret)
		fail("grant", ret);
	if (write(sv[0], &cap, sizeof(cap)) != sizeof(cap) || read(sv[0], &ok, 1) != 1)
		fail("talking to the child", -EPIPE);

	step("4. revoke the grant: the child's next access faults");
	ret = rat_revoke(fd, c.handle, cap);
	if (ret)
		fail("revoke", ret);
	if (write(sv[0], &ok, 1) != 1 || waitpid(pid, &status, 0) != pid)
		fail("child", -ECHILD);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;

	step("5. lower this process's handle limit to what it has, then ask for one more");
	ret = rat_quota(fd, &q);
	if (ret)
		fail("quota get", ret);
	q.set_mask = RATMEM_QUOTA_SET(RATMEM_RES_HANDLES);
	q.limit[RATMEM_RES_HANDLES] = q.usage[RATMEM_RES_HANDLES];
	ret = rat_quota(fd, &q);
	if (ret)
		fail("quota set", ret);
	ret = rat_create(fd, &more);
	printf("   handles %llu of %llu; one more region: %s\n",
	       (unsigned long long)q.usage[RATMEM_RES_HANDLES],
	       (unsigned long long)q.limit[RATMEM_RES_HANDLES],
	       ret ? strerror(-ret) : "created (a bug)");
	if (ret != -EDQUOT)
		return 1;
	step("done");
	return 0;
}
