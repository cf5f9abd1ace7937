// SPDX-License-Identifier: GPL-2.0
/* Agents: peers that run ratmem requests for the test (see agent.h). */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

struct agent_req {
	uint64_t op, a, b, c;
};

int rt_quota(int fd, struct ratmem_quota *q)
{
	return ioctl(fd, RATMEM_IOC_QUOTA, q) ? -errno : 0;
}

struct ratmem_quota rt_quota_get(int fd, int pidfd)
{
	struct ratmem_quota q = { .pidfd = pidfd };
	int r = rt_quota(fd, &q);

	if (r)
		rt_fail(__FILE__, __LINE__, "QUOTA read (pidfd %d): %s", pidfd, strerror(-r));
	ASSERT_EQ(q.reserved, 0);
	return q;
}

int rt_quota_set(int fd, int pidfd, int res, uint64_t limit)
{
	struct ratmem_quota q = { .pidfd = pidfd, .set_mask = RATMEM_QUOTA_SET(res) };

	q.limit[res] = limit;
	return rt_quota(fd, &q);
}

static void agent_fork_child(int pipe_rd, int ready_wr, uint64_t pages)
{
	int fd = rt_open_ctx();

	rt_region(fd, pages, RT_RWM, 0);
	/* The region and its handle exist (not just their charges). */
	ASSERT_EQ(write(ready_wr, "r", 1), 1);
	close(ready_wr);
	/* Wait until the agent closes its end of the pipe. */
	for (char c; read(pipe_rd, &c, 1) > 0;)
		;
	_exit(0);
}

static void agent_main(int sock, void *arg)
{
	int fd = rt_open_ctx();
	pid_t child = 0;
	int child_pipe = -1;

	(void)arg;
	rt_send(sock, RT_MSG_READY);	/* its context (and quota) exists */
	for (;;) {
		struct agent_req q;
		struct rt_agent_reply r = { 0 };

		q.op = rt_recv(sock);
		q.a = rt_recv(sock);
		q.b = rt_recv(sock);
		q.c = rt_recv(sock);
		switch (q.op) {
		case AG_CREATE: {
			struct ratmem_create c = { .size = q.a * PG, .flags = (uint32_t)q.b,
						   .rights = (uint32_t)q.c, .numa_node = -1 };

			r.ret = rat_create(fd, &c);
			r.v1 = c.handle;
			break;
		}
		case AG_COMMIT:
			r.ret = rt_commit(fd, (uint32_t)q.a, q.b, q.c);
			break;
		case AG_DECOMMIT:
			r.ret = rt_decommit(fd, (uint32_t)q.a, q.b, q.c);
			break;
		case AG_DUP: {
			struct ratmem_dup d = { .handle = (uint32_t)q.a, .rights = (uint32_t)q.b };

			r.ret = rat_dup(fd, &d);
			r.v1 = d.new_handle;
			break;
		}
		case AG_CLOSE:
			r.ret = rat_close_handle(fd, (uint32_t)q.a);
			break;
		case AG_GRANT: {
			int pidfd = rt_pidfd_open((pid_t)q.c);

			r.ret = rt_grant(fd, (uint32_t)q.a, (uint32_t)q.b, pidfd, &r.v1);
			close(pidfd);
			break;
		}
		case AG_ACCEPT: {
			struct ratmem_accept a = { 0 };

			r.ret = rt_accept(fd, q.a, &a);
			r.v1 = a.handle;
			r.v2 = a.rights;
			break;
		}
		case AG_REVOKE:
			r.ret = rt_revoke(fd, (uint32_t)q.a, q.b);
			break;
		case AG_MAP: {
			void *p = rt_map(fd, (uint32_t)q.a, 0, q.b, (int)q.c);

			r.ret = p == MAP_FAILED ? -errno : 0;
			r.v1 = (uintptr_t)p;
			break;
		}
		case AG_UNMAP:
			r.ret = munmap((void *)(uintptr_t)q.a, q.b) ? -errno : 0;
			break;
		case AG_TOUCH:
			for (unsigned int i = 0; i < 64; i++)
				if (q.b & (1ULL << i))
					rt_read_byte((char *)(uintptr_t)q.a + i * PG);
			break;
		case AG_QUOTA_SET:
			r.ret = rt_quota_set(fd, -1, (int)q.a, q.b);
			break;
		case AG_QUOTA_GET: {
			struct ratmem_quota g = { .pidfd = -1 };

			r.ret = rt_quota(fd, &g);
			if (q.a < RATMEM_RES_COUNT) {
				r.v1 = g.usage[q.a];
				r.v2 = g.limit[q.a];
			}
			break;
		}
		case AG_OPEN2:
			fd = rt_open_ctx();
			break;
		case AG_FORK: {
			int pfd[2], ready[2];
			char c;

			ASSERT_EQ(pipe(pfd), 0);
			ASSERT_EQ(pipe(ready), 0);
			fflush(stdout);
			child = fork();
			ASSERT_TRUE(child >= 0);
			if (child == 0) {
				struct ratmem_query qq = { .handle = 1 };

				close(pfd[1]);
				close(ready[0]);
				/* The agent's context is no use to its child. */
				ASSERT_SYSCALL_ERRNO(ioctl(fd, RATMEM_IOC_QUERY, &qq), EPERM);
				close(fd);
				close(sock);
				agent_fork_child(pfd[0], ready[1], q.a);
			}
			close(pfd[0]);
			close(ready[1]);
			/* Reply once the child has made its region. */
			ASSERT_EQ(read(ready[0], &c, 1), 1);
			close(ready[0]);
			child_pipe = pfd[1];
			r.v1 = (uint64_t)child;
			break;
		}
		case AG_FORK_END: {
			int status = -1;

			close(child_pipe);
			ASSERT_EQ(waitpid(child, &status, 0), child);
			r.v1 = (uint64_t)status;
			break;
		}
		case AG_EXIT:
			_exit(0);
		default:
			rt_fail(__FILE__, __LINE__, "agent: unknown request 0x%llx",
				(unsigned long long)q.op);
		}
		rt_send(sock, (uint64_t)r.ret);
		rt_send(sock, r.v1);
		rt_send(sock, r.v2);
	}
}

void rt_agent_start(struct rt_peer *p)
{
	rt_peer_start(p, agent_main, NULL);
	rt_peer_expect(p, RT_MSG_READY);
}

struct rt_agent_reply rt_agent(struct rt_peer *p, uint64_t op, uint64_t a, uint64_t b,
			       uint64_t c)
{
	struct rt_agent_reply r;

	rt_send(p->sock, op);
	rt_send(p->sock, a);
	rt_send(p->sock, b);
	rt_send(p->sock, c);
	r.ret = (int64_t)rt_peer_recv(p);
	r.v1 = rt_peer_recv(p);
	r.v2 = rt_peer_recv(p);
	return r;
}

uint64_t rt_agent_ok(struct rt_peer *p, uint64_t op, uint64_t a, uint64_t b, uint64_t c)
{
	struct rt_agent_reply r = rt_agent(p, op, a, b, c);

	if (r.ret)
		rt_fail(__FILE__, __LINE__, "agent %d: request 0x%llx (%llu, %llu, %llu): %s",
			(int)p->pid, (unsigned long long)op, (unsigned long long)a,
			(unsigned long long)b, (unsigned long long)c, strerror((int)-r.ret));
	return r.v1;
}

void rt_agent_exit(struct rt_peer *p)
{
	rt_send(p->sock, AG_EXIT);
	rt_send(p->sock, 0);
	rt_send(p->sock, 0);
	rt_send(p->sock, 0);
	ASSERT_PEER_OK(p);
}
