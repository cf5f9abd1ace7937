/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the rights and W^X decisions for mappings. Pure functions of
 * their arguments, unit-tested by KUnit in tests/kunit/.
 */
#ifndef RATMEM_WX_H
#define RATMEM_WX_H

#include <linux/mm.h>
#include <linux/types.h>

/**
 * struct ratmem_wx_counts - capable mappings of one region
 * @maywrite: mappings that are or may become writable (VM_MAYWRITE).
 * @mayexec: mappings that are or may become executable (VM_MAYEXEC).
 */
struct ratmem_wx_counts {
	unsigned int maywrite;
	unsigned int mayexec;
};

int ratmem_wx_mmap_may(u32 rights, vm_flags_t want, struct ratmem_wx_counts counts,
		       vm_flags_t *may);
bool ratmem_wx_mmap_conflict(u32 rights, vm_flags_t want, struct ratmem_wx_counts counts);
int ratmem_wx_mprotect(vm_flags_t newflags, vm_flags_t oldflags, bool whole_vma,
		       bool others_write, bool others_exec);

#endif /* RATMEM_WX_H */
