// SPDX-License-Identifier: GPL-2.0
/* HAVE_VMF_INSERT_PFN_PMD_PFN_T: vmf_insert_pfn_pmd(vmf, pfn_t, write),
 * exported for modules (6.12; 6.1 exports only the _prot variant).
 */
#include <linux/mm.h>
#include <linux/pfn_t.h>

vm_fault_t ratmem_probe(struct vm_fault *vmf, unsigned long pfn);
vm_fault_t ratmem_probe(struct vm_fault *vmf, unsigned long pfn)
{
	return vmf_insert_pfn_pmd(vmf, pfn_to_pfn_t(pfn), true);
}
