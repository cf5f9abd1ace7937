// SPDX-License-Identifier: GPL-2.0
/* Selftests of the harness's fault helper, so the assertions other
 * tests build on it are known to work. */
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"

TEST(fault_helper_reports_sigsegv)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_FAULTS(SIGSEGV, rt_read_byte, p);
	ASSERT_EQ(mprotect(p, page, PROT_READ), 0);
	ASSERT_FAULTS(0, rt_read_byte, p);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	/* The helper can be used again after a fault. */
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
}

TEST(fault_helper_reports_sigbus)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = memfd_create("rt", MFD_CLOEXEC);
	char *p;

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(ftruncate(fd, page), 0);
	p = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_FAULTS(0, rt_read_byte, p);
	/* Past the end of the file. */
	ASSERT_FAULTS(SIGBUS, rt_read_byte, p + page);
}
