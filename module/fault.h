/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: putting a region's pages into page tables (fault.c): the
 * fault, fault-around, the 2 MiB fault and POPULATE.
 */
#ifndef RATMEM_FAULT_H
#define RATMEM_FAULT_H

#include <linux/mm_types.h>
#include <linux/types.h>

#include "compat.h"

struct ratmem_populate;

vm_fault_t ratmem_vm_fault(struct vm_fault *vmf);
#ifdef RATMEM_HAVE_PMD_MAP
vm_fault_t ratmem_vm_huge_fault(struct vm_fault *vmf, unsigned int order);
#endif
int ratmem_populate(const struct ratmem_populate *args);

#endif /* RATMEM_FAULT_H */
