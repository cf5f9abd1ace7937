// SPDX-License-Identifier: GPL-2.0
/* HAVE_ZAP_VMA_PTES: zap_vma_ptes() (gone in 7.x, which has
 * zap_special_vma_range()).
 */
#include <linux/mm.h>

void ratmem_probe(struct vm_area_struct *vma);
void ratmem_probe(struct vm_area_struct *vma)
{
	zap_vma_ptes(vma, vma->vm_start, PAGE_SIZE);
}
