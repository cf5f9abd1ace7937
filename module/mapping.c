// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the address space every ratmem mapping belongs to.
 *
 * Each open of /dev/ratmem points its file at one module-wide
 * address_space, and each region owns a disjoint window of page offsets
 * in it (struct ratmem_region.pgoff). The core mm then tracks every VMA
 * of a region, in every process, through that space's i_mmap tree,
 * across VMA splits and mremap moves; unmap_mapping_pages() on the
 * window removes a range from all of them at once, under i_mmap_rwsem,
 * without ratmem holding any VMA pointer. (The device inode cannot
 * serve: another device node for the same minor would have its own.)
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>

#include "mapping.h"

#define RATMEM_FS_MAGIC	0x7261746d	/* "ratm" */

struct address_space *ratmem_mapping;

static struct vfsmount *ratmem_mnt;
static struct inode *ratmem_inode;

static int ratmem_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, RATMEM_FS_MAGIC) ? 0 : -ENOMEM;
}

/*
 * No .owner: the mount lives from module init to module exit, and a
 * module reference held by it would make the module impossible to
 * unload. Files and VMAs pin the module through ratmem_fops.owner.
 */
static struct file_system_type ratmem_fs_type = {
	.name		 = "ratmem",
	.init_fs_context = ratmem_fs_init_fs_context,
	.kill_sb	 = kill_anon_super,
};

/**
 * ratmem_mapping_init() - create the shared address space
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int ratmem_mapping_init(void)
{
	int ret;

	ratmem_mnt = kern_mount(&ratmem_fs_type);
	if (IS_ERR(ratmem_mnt))
		return PTR_ERR(ratmem_mnt);
	ratmem_inode = alloc_anon_inode(ratmem_mnt->mnt_sb);
	if (IS_ERR(ratmem_inode)) {
		ret = PTR_ERR(ratmem_inode);
		kern_unmount(ratmem_mnt);
		return ret;
	}
	ratmem_mapping = ratmem_inode->i_mapping;
	return 0;
}

/**
 * ratmem_mapping_exit() - free the shared address space
 *
 * Context: module exit; no file and no mapping can remain.
 */
void ratmem_mapping_exit(void)
{
	ratmem_mapping = NULL;
	iput(ratmem_inode);
	kern_unmount(ratmem_mnt);
}
