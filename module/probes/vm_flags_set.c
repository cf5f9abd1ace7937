// SPDX-License-Identifier: GPL-2.0
/* HAVE_VM_FLAGS_SET: vm_flags_set()/vm_flags_clear() (6.3+) replace
 * writing vma->vm_flags directly.
 */
#include <linux/mm.h>

void ratmem_probe(struct vm_area_struct *vma);
void ratmem_probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_DONTEXPAND);
	vm_flags_clear(vma, VM_MAYWRITE);
}
