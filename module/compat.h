/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: thin wrappers over kernel APIs that differ between the
 * kernels ratmem supports. Each HAVE_* comes from a compile probe
 * (module/probes/, run by module/probe.sh), never from a version check.
 */
#ifndef RATMEM_COMPAT_H
#define RATMEM_COMPAT_H

#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

/* vm_flags_set()/vm_flags_clear() replaced direct writes in 6.3. */
static inline void ratmem_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

static inline void ratmem_vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * Remove every PTE of a VM_PFNMAP VMA. The caller holds the VMA's
 * mmap_lock (read is enough). 7.x replaced zap_vma_ptes() with
 * zap_special_vma_range(), which has the same contract: the range must
 * lie in the VMA, and VMAs that are not VM_PFNMAP (or VM_MIXEDMAP) are
 * left alone.
 */
static inline void ratmem_zap_vma(struct vm_area_struct *vma)
{
#if defined(HAVE_ZAP_VMA_PTES)
	zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
#elif defined(HAVE_ZAP_SPECIAL_VMA_RANGE)
	zap_special_vma_range(vma, vma->vm_start, vma->vm_end - vma->vm_start);
#else
#error "ratmem: neither zap_vma_ptes() nor zap_special_vma_range() on this kernel"
#endif
}

/*
 * References to a user namespace, for reaping names in namespaces that
 * only ratmem holds (name.c). Where the count is not readable (kernels
 * that renamed the field), this says "unknown" and names are never
 * reaped: an administrator removes them (RATMEM_UNLINK_BY_ID).
 */
static inline bool ratmem_user_ns_refs(struct user_namespace *ns, unsigned int *refs)
{
#if defined(HAVE_NS_COMMON_COUNT)
	*refs = refcount_read(&ns->ns.count);
	return true;
#elif defined(HAVE_NS_REF_READ)
	*refs = __ns_ref_read(&ns->ns);
	return true;
#else
	return false;
#endif
}

#ifndef PID_FS_MAGIC
#define PID_FS_MAGIC		0x50494446
#endif

/*
 * The struct pid of a pidfd, with a reference, or an ERR_PTR: -EBADF when
 * @fd is not open, -EINVAL when it is not a pidfd. pidfd_pid() is not
 * exported, so the file is recognised by where it lives: on pidfs
 * (6.9+), whose inodes keep the pid in i_private, or, before pidfs, as
 * the anonymous inode named "[pidfd]", which keeps it in private_data.
 * Only the kernel's pidfd code makes files of either kind. (Checked at
 * run time rather than probed: both tests are exact, whatever the kernel.)
 */
static inline struct pid *ratmem_pidfd_get_pid(int fd)
{
	struct file *file = fget(fd);
	struct pid *pid = ERR_PTR(-EINVAL);
	unsigned long magic;

	if (!file)
		return ERR_PTR(-EBADF);
	magic = file_inode(file)->i_sb->s_magic;
	if (magic == PID_FS_MAGIC)
		pid = get_pid(file_inode(file)->i_private);
	else if (magic == ANON_INODE_FS_MAGIC &&
		 !strcmp(file->f_path.dentry->d_name.name, "[pidfd]"))
		pid = get_pid(file->private_data);
	fput(file);
	return pid;
}

/*
 * 2 MiB pages mapped with one PMD (->huge_fault, vmf_insert_pfn_pmd()):
 * where the architecture maps huge pfnmaps (the huge-pfnmap series,
 * 6.12+), THP is built in, and ->huge_fault takes an order. Elsewhere
 * (6.1) a region of 2 MiB pages is mapped with PTEs.
 */
#if defined(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE) && \
	!defined(HAVE_PAGE_ENTRY_SIZE) && \
	(defined(HAVE_VMF_INSERT_PFN_PMD_ULONG) || defined(HAVE_VMF_INSERT_PFN_PMD_PFN_T))
#define RATMEM_HAVE_PMD_MAP 1
#ifndef HAVE_VMF_INSERT_PFN_PMD_ULONG
#include <linux/pfn_t.h>
#endif

static inline vm_fault_t ratmem_insert_pfn_pmd(struct vm_fault *vmf, unsigned long pfn,
					       bool write)
{
#ifdef HAVE_VMF_INSERT_PFN_PMD_ULONG
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#else
	return vmf_insert_pfn_pmd(vmf, pfn_to_pfn_t(pfn), write);
#endif
}
#endif

/* Whether 2 MiB pages get PMDs, as a value for C conditions. */
#ifdef RATMEM_HAVE_PMD_MAP
#define RATMEM_PMD_MAP	true
#else
#define RATMEM_PMD_MAP	false
#endif

#endif /* RATMEM_COMPAT_H */
