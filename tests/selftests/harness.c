// SPDX-License-Identifier: GPL-2.0
/* ratmem's selftest harness: see harness.h. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern const struct rt_test *const __start_rt_tests[];
extern const struct rt_test *const __stop_rt_tests[];

void rt_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void rt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	_exit(RT_EXIT_FAIL);
}

/* Set by rt_skip() in a page shared with the parent, so an exit(4)
 * from elsewhere is never mistaken for a skip. */
static volatile int *skip_flag;

void rt_skip(const char *fmt, ...)
{
	va_list ap;

	if (skip_flag)
		*skip_flag = 1;
	/* The reason is printed as a diagnostic; the parent, which only
	 * sees the exit status, marks the result line "# SKIP". */
	fputs("# SKIP: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	_exit(RT_EXIT_SKIP);
}

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void fault_handler(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

int rt_access_signal(void (*fn)(void *arg), void *arg)
{
	struct sigaction sa = { .sa_handler = fault_handler }, old_segv, old_bus;
	int sig = 0;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	fault_sig = 0;
	if (sigsetjmp(fault_jmp, 1) == 0)
		fn(arg);
	else
		sig = fault_sig;
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

int rt_child_status(void (*fn)(void *arg), void *arg)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		rt_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		rt_fail(__FILE__, __LINE__, "waitpid: %s", strerror(errno));
	return status;
}

/* Wait for the test's child; kill its process group at the deadline. */
static int wait_with_deadline(pid_t pid, unsigned int timeout_s, int *status, int *timed_out)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	long ticks = (long)timeout_s * 100;
	pid_t got;

	*timed_out = 0;
	for (;;) {
		got = waitpid(pid, status, WNOHANG);
		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
		if (ticks-- <= 0 && !*timed_out) {
			*timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		nanosleep(&tick, NULL);
	}
}

/* Run one test in a child; print its KTAP line; return 1 when it failed. */
static int run_one(const struct rt_test *t, int num)
{
	pid_t pid;
	int status, timed_out;

	*skip_flag = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("not ok %d %s # fork: %s\n", num, t->name, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		/* Own process group, so the deadline kills helpers too. */
		setpgid(0, 0);
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	setpgid(pid, pid);	/* no race with the child's own call */
	if (wait_with_deadline(pid, t->timeout_s, &status, &timed_out) < 0) {
		printf("not ok %d %s # waitpid: %s\n", num, t->name, strerror(errno));
		return 1;
	}
	kill(-pid, SIGKILL);	/* leftover helpers of this test */

	if (timed_out) {
		printf("not ok %d %s # timeout after %us\n", num, t->name, t->timeout_s);
		return 1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %d %s\n", num, t->name);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == RT_EXIT_SKIP && *skip_flag) {
		printf("ok %d %s # SKIP\n", num, t->name);
		return 0;
	}
	if (WIFSIGNALED(status))
		printf("not ok %d %s # killed by signal %d (%s)\n", num, t->name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		printf("not ok %d %s # exit status %d\n", num, t->name, WEXITSTATUS(status));
	return 1;
}

/* Is name one of the comma-separated names in list (NULL: all)? */
static int selected(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return 1;
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, name, n))
			return 1;
		p += len;
		if (!*p)
			return 0;
	}
}

int main(int argc, char **argv)
{
	const struct rt_test *const *t;
	const char *only = NULL;
	int opt, num = 0, planned = 0, failed = 0;

	while ((opt = getopt(argc, argv, "lt:")) != -1) {
		switch (opt) {
		case 'l':
			for (t = __start_rt_tests; t < __stop_rt_tests; t++)
				printf("%s\n", (*t)->name);
			return 0;
		case 't':
			only = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-l] [-t TEST[,TEST...]]\n", argv[0]);
			return 2;
		}
	}

	for (t = __start_rt_tests; t < __stop_rt_tests; t++)
		if (selected(only, (*t)->name))
			planned++;

	skip_flag = mmap(NULL, sizeof(*skip_flag), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (skip_flag == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%d\n", planned);
	for (t = __start_rt_tests; t < __stop_rt_tests; t++) {
		if (!selected(only, (*t)->name))
			continue;
		failed += run_one(*t, ++num);
	}
	printf("# %d tests, %d failed\n", num, failed);
	return failed ? 1 : 0;
}
