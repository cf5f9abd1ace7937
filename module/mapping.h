/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: mappings of regions. mapping.c: the shared address space every
 * mapping belongs to. mmap.c: ->mmap, the VMA operations, which processes
 * map a region, and the revocation sweep that zaps their revoked mappings.
 */
#ifndef RATMEM_MAPPING_H
#define RATMEM_MAPPING_H

#include <linux/types.h>

struct address_space;
struct file;
struct ratmem_region;
struct vm_area_struct;

/* mapping.c */
extern struct address_space *ratmem_mapping;
int ratmem_mapping_init(void);
void ratmem_mapping_exit(void);

/* mmap.c */
int ratmem_mmap(struct file *file, struct vm_area_struct *vma);
unsigned int ratmem_region_mappers(struct ratmem_region *region);
int ratmem_region_sweep(struct ratmem_region *region, struct list_head *doomed, bool killable);
void ratmem_region_mm_barrier(struct ratmem_region *region);
bool ratmem_vma_is_ratmem(const struct vm_area_struct *vma);

#endif /* RATMEM_MAPPING_H */
