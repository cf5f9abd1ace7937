// SPDX-License-Identifier: GPL-2.0
/* HAVE_PAGE_ENTRY_SIZE: vm_operations_struct.huge_fault takes an enum
 * page_entry_size (before 6.6), not the page order. (The two cannot be
 * told apart by assigning a handler: the enum is an unsigned int.)
 */
#include <linux/mm.h>

enum page_entry_size ratmem_probe_size = PE_SIZE_PMD;
