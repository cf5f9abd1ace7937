// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: /proc/PID/fdinfo/N of a /dev/ratmem descriptor: the context
 * and its handles, one line each, in the "key:\tvalue" form other
 * drivers' fdinfo uses, so that an administrator can see what a process
 * holds without netlink.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>
#include <linux/ratmem.h>
#include <linux/ratmem_genl.h>

#include "cap.h"
#include "context.h"
#include "fdinfo.h"
#include "handle.h"
#include "region.h"

static const char *ratmem_cap_kind_name(enum ratmem_genl_cap_kind kind)
{
	switch (kind) {
	case RATMEM_CAPKIND_OWNER:
		return "owner";
	case RATMEM_CAPKIND_GRANT:
		return "grant";
	case RATMEM_CAPKIND_NAMED_OPEN:
		return "named";
	default:
		return "?";
	}
}

/* Rights as letters, "-" for each one missing: rwxmg. */
static void ratmem_rights_str(u32 rights, char *buf)
{
	static const char letters[] = "rwxmg";
	int i;

	for (i = 0; i < 5; i++)
		buf[i] = rights & (1U << i) ? letters[i] : '-';
	buf[5] = '\0';
}

/**
 * ratmem_show_fdinfo() - ->show_fdinfo of /dev/ratmem
 * @m: the fdinfo file being read
 * @file: the context's file
 *
 * Prints the context id, the pid of the process that opened it (in the
 * reader's pid namespace; 0 when not visible there), the number of
 * handles, and a line per handle: its number, the region's id, size and
 * resident bytes, the handle's rights, how its capability came to be,
 * and whether it is revoked.
 *
 * Context: process context (a read of the fdinfo file). Takes ctx->lock.
 */
void ratmem_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct ratmem_ctx *ctx = file->private_data;
	struct ratmem_handle *h;
	unsigned long nr, count = 0;
	char rights[6];

	seq_printf(m, "ratmem-context:\t%u\n", ctx->id);
	seq_printf(m, "ratmem-owner-pid:\t%d\n", pid_vnr(ctx->owner));
	mutex_lock(&ctx->lock);
	xa_for_each(&ctx->handles, nr, h)
		count++;
	seq_printf(m, "ratmem-handles:\t%lu\n", count);
	xa_for_each(&ctx->handles, nr, h) {
		struct ratmem_region *region = h->cap->region;

		ratmem_rights_str(h->rights, rights);
		seq_printf(m, "ratmem-handle:\t%lu region=%llu size=%llu resident=%llu rights=%s cap=%s%s",
			   nr, region->id, h->cap->span, ratmem_region_resident_bytes(h->cap),
			   rights,
			   ratmem_cap_kind_name(h->cap->kind),
			   ratmem_cap_revoked(h->cap) ? " revoked" : "");
		/* A sub-range grant's view: size is the range's, and where it starts. */
		if (h->cap->span != region->size)
			seq_printf(m, " offset=%llu", h->cap->base);
		seq_putc(m, '\n');
	}
	mutex_unlock(&ctx->lock);
}
