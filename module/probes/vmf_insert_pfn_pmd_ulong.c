// SPDX-License-Identifier: GPL-2.0
/* HAVE_VMF_INSERT_PFN_PMD_ULONG: vmf_insert_pfn_pmd(vmf, unsigned long
 * pfn, write), after pfn_t was removed (6.17+).
 */
#include <linux/mm.h>

vm_fault_t ratmem_probe(struct vm_fault *vmf, unsigned long pfn);
vm_fault_t ratmem_probe(struct vm_fault *vmf, unsigned long pfn)
{
	return vmf_insert_pfn_pmd(vmf, pfn, true);
}
