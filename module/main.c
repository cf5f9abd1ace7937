// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: module entry, the /dev/ratmem misc device and its file
 * operations.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "captable.h"
#include "compat.h"
#include "context.h"
#include "counters.h"
#include "fdinfo.h"
#include "genl.h"
#include "ioctl.h"
#include "mapping.h"
#include "name.h"
#include "notice.h"
#include "pool.h"
#include "ratmem.h"
#include "region.h"
#include "revoke.h"

static int ratmem_dev_open(struct inode *inode, struct file *file)
{
	struct ratmem_ctx *ctx;

	ctx = ratmem_ctx_create();
	if (!ctx)
		return -ENOMEM;
	file->private_data = ctx;
	/* Every mapping joins the shared address space (see mapping.c). */
	file->f_mapping = ratmem_mapping;
	return 0;
}

/*
 * Grants made by an exiting owner are revoked (docs/semantics.md,
 * "Process exit") when the owner's descriptor table goes at its exit,
 * not only when the file is released: a child that inherited the
 * descriptor, or a process that received it, keeps the file open but
 * can do nothing with it. signal->live is zero once the last thread of
 * the group is exiting, so a thread that unshared its descriptor table
 * and exits alone does not count.
 */
static int ratmem_flush(struct file *file, fl_owner_t id)
{
	struct ratmem_ctx *ctx = file->private_data;

	if ((current->flags & PF_EXITING) && !atomic_read(&current->signal->live) &&
	    ratmem_ctx_is_owner(ctx))
		ratmem_revoke_issued(ctx);
	return 0;
}

/* POLLPRI while the context has revocation notices (notice.c). */
static __poll_t ratmem_poll(struct file *file, poll_table *wait)
{
	struct ratmem_ctx *ctx = file->private_data;

	/* Only the owner may read them (ratmem_ioctl()). */
	if (!ratmem_ctx_is_owner(ctx))
		return EPOLLERR;
	return ratmem_noticeq_poll(ctx->notices, file, wait);
}

static int ratmem_release(struct inode *inode, struct file *file)
{
	ratmem_ctx_destroy(file->private_data);
	return 0;
}

static const struct file_operations ratmem_fops = {
	.owner		= THIS_MODULE,
	.open		= ratmem_dev_open,
	.flush		= ratmem_flush,
	.release	= ratmem_release,
	.poll		= ratmem_poll,
	.unlocked_ioctl	= ratmem_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= ratmem_mmap,
	.show_fdinfo	= ratmem_show_fdinfo,
#ifdef RATMEM_HAVE_PMD_MAP
	/* 2 MiB-aligned addresses for 2 MiB-aligned offsets, so PMDs fit. */
	.get_unmapped_area = thp_get_unmapped_area,
#endif
	.llseek		= noop_llseek,
};

/*
 * /dev/ratmem has a fixed minor, so that its node can exist before the
 * module is loaded (kmod static-nodes makes it from the devname alias
 * at boot) and opening it loads the module (char-major-10-242). 242 is
 * in the range Documentation/admin-guide/devices.txt reserves for local
 * use (240-254) on the misc major. When another driver has it, the
 * module takes a dynamic minor and says so; then only modprobe loads it.
 */
#define RATMEM_MISC_MINOR	242

static struct miscdevice ratmem_misc = {
	.minor	= RATMEM_MISC_MINOR,
	.name	= RATMEM_DEVICE_NAME,
	.fops	= &ratmem_fops,
	.mode	= 0660,
};

static int __init ratmem_init(void)
{
	int ret;

	if (ratmem_region_size_max > RATMEM_REGION_SIZE_LIMIT) {
		pr_err("ratmem: region_size_max above %llu\n", RATMEM_REGION_SIZE_LIMIT);
		return -EINVAL;
	}
	ratmem_captable_init(&ratmem_caps);
	ratmem_names_init();
	ratmem_wq = alloc_workqueue("ratmem", WQ_UNBOUND, 0);
	if (!ratmem_wq)
		return -ENOMEM;
	ret = ratmem_pool_init();
	if (ret)
		goto err_wq;
	ret = ratmem_mapping_init();
	if (ret)
		goto err_pool;
	ret = ratmem_genl_init();
	if (ret) {
		pr_err("ratmem: cannot register the netlink family: %d\n", ret);
		goto err_mapping;
	}
	ret = misc_register(&ratmem_misc);
	if (ret == -EBUSY) {
		pr_warn("ratmem: misc minor %d is taken: /dev/%s gets a dynamic one, and opening it cannot load the module\n",
			RATMEM_MISC_MINOR, RATMEM_DEVICE_NAME);
		ratmem_misc.minor = MISC_DYNAMIC_MINOR;
		ret = misc_register(&ratmem_misc);
	}
	if (ret) {
		pr_err("ratmem: cannot register /dev/%s: %d\n", RATMEM_DEVICE_NAME, ret);
		goto err_genl;
	}
	pr_info("ratmem: ABI version %d loaded\n", RATMEM_ABI_VERSION);
	return 0;

err_genl:
	ratmem_genl_exit();
err_mapping:
	ratmem_mapping_exit();
err_pool:
	ratmem_pool_exit();
err_wq:
	destroy_workqueue(ratmem_wq);
	return ret;
}

static void __exit ratmem_exit(void)
{
	misc_deregister(&ratmem_misc);
	ratmem_names_exit();
	/* Finishes interrupted sweeps, which hold regions and report revocations. */
	destroy_workqueue(ratmem_wq);
	/* Last: dropping names above can still report revocations. */
	ratmem_genl_exit();
	ratmem_mapping_exit();
	/* After every region: their pages are freed, never pooled again. */
	ratmem_pool_exit();
	ratmem_counters_check_zero();
	pr_info("ratmem: unloaded\n");
}

module_init(ratmem_init);
module_exit(ratmem_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ratmem: handle-based memory regions with revocable sharing");
MODULE_AUTHOR("The ratmem developers");
MODULE_VERSION(RATMEM_MODULE_VERSION);
MODULE_ALIAS_MISCDEV(RATMEM_MISC_MINOR);
MODULE_ALIAS("devname:" RATMEM_DEVICE_NAME);
