// SPDX-License-Identifier: GPL-2.0
/* HAVE_ZAP_SPECIAL_VMA_RANGE: zap_special_vma_range(), zap_vma_ptes()'s
 * successor in 7.x (it accepts VM_PFNMAP and VM_MIXEDMAP VMAs).
 */
#include <linux/mm.h>

void ratmem_probe(struct vm_area_struct *vma);
void ratmem_probe(struct vm_area_struct *vma)
{
	zap_special_vma_range(vma, vma->vm_start, PAGE_SIZE);
}
