/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: thin wrappers over kernel APIs that differ between the
 * kernels ratmem supports. Each HAVE_* comes from a compile probe
 * (module/probes/, run by module/probe.sh), never from a version check.
 */
#ifndef RATMEM_COMPAT_H
#define RATMEM_COMPAT_H

#include <linux/mm.h>

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

#endif /* RATMEM_COMPAT_H */
