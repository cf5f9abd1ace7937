// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: rights and W^X decisions for mappings (docs/abi.md, "mmap";
 * docs/semantics.md, "W^X in brief").
 *
 * A mapping's capabilities (VM_MAYWRITE, VM_MAYEXEC) are decided once,
 * at mmap, and mprotect can never add one. Across the mappings of a
 * region, write and exec capabilities exclude each other: while any
 * mapping may be writable, no other may be executable. The one
 * exception is a mapping made with neither PROT_WRITE nor PROT_EXEC
 * while the region had no capable mapping: it keeps both, and so do the
 * pieces it is split into (all in one process, since fork does not copy
 * ratmem mappings); among those pieces mprotect enforces W^X at each
 * instant (ratmem_wx_mprotect()).
 */
#include <linux/errno.h>
#include <linux/ratmem.h>

#include "wx.h"

/**
 * ratmem_wx_mmap_may() - may a new mapping be made, and with which VM_MAY*
 * @rights: RATMEM_RIGHT_* of the handle being mapped
 * @want: VM_READ, VM_WRITE, VM_EXEC asked for by mmap
 * @counts: the region's capable mappings before this one
 * @may: out: the VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC bits the mapping may
 *	keep (the caller clears the others)
 *
 * Every access needs RATMEM_RIGHT_READ as well (x86 cannot map a page
 * writable or executable but unreadable), and mapping at all needs
 * RATMEM_RIGHT_MAP.
 *
 * Context: any context.
 * Return: 0, or -EACCES when a right is missing, when write and exec are
 * asked for together, or when the region's other mappings hold the
 * opposite capability.
 */
int ratmem_wx_mmap_may(u32 rights, vm_flags_t want, struct ratmem_wx_counts counts,
		       vm_flags_t *may)
{
	bool readable = (rights & RATMEM_RIGHT_READ);
	bool can_write = readable && (rights & RATMEM_RIGHT_WRITE) && !counts.mayexec;
	bool can_exec = readable && (rights & RATMEM_RIGHT_EXEC) && !counts.maywrite;

	if (!(rights & RATMEM_RIGHT_MAP))
		return -EACCES;
	if ((want & VM_WRITE) && (want & VM_EXEC))
		return -EACCES;
	if ((want & VM_READ) && !readable)
		return -EACCES;
	if (want & VM_WRITE) {
		if (!can_write)
			return -EACCES;
		can_exec = false;
	}
	if (want & VM_EXEC) {
		if (!can_exec)
			return -EACCES;
		can_write = false;
	}
	*may = (readable ? VM_MAYREAD : 0) | (can_write ? VM_MAYWRITE : 0) |
	       (can_exec ? VM_MAYEXEC : 0);
	return 0;
}

/**
 * ratmem_wx_mmap_conflict() - was a refused mapping refused for W^X?
 * @rights: as for ratmem_wx_mmap_may()
 * @want: as for ratmem_wx_mmap_may()
 * @counts: as for ratmem_wx_mmap_may()
 *
 * Tells a W^X attempt (reported as a violation) from a missing right.
 *
 * Context: any context.
 * Return: true when @want asks for write and exec together, or for one
 * the rights allow while the region's other mappings hold the other.
 */
bool ratmem_wx_mmap_conflict(u32 rights, vm_flags_t want, struct ratmem_wx_counts counts)
{
	if ((want & VM_WRITE) && (want & VM_EXEC))
		return true;
	if ((want & VM_WRITE) && (rights & RATMEM_RIGHT_WRITE) && counts.mayexec)
		return true;
	return (want & VM_EXEC) && (rights & RATMEM_RIGHT_EXEC) && counts.maywrite;
}

/**
 * ratmem_wx_mprotect() - may a mapping (or part of it) take new flags
 * @newflags: the flags mprotect wants for the range
 * @oldflags: the mapping's current flags
 * @whole_vma: the range covers the whole VMA
 * @others_write: another VMA of the region in this process is writable
 * @others_exec: another VMA of the region in this process is executable
 *
 * VM_MAY* bits were checked by the core mm before; this adds W^X: never
 * write and exec together, and never one while another piece of the
 * region (including the rest of this VMA after a split) has the other.
 *
 * Context: any context.
 * Return: 0, or -EACCES.
 */
int ratmem_wx_mprotect(vm_flags_t newflags, vm_flags_t oldflags, bool whole_vma,
		       bool others_write, bool others_exec)
{
	if ((newflags & VM_WRITE) && (newflags & VM_EXEC))
		return -EACCES;
	if ((newflags & VM_EXEC) &&
	    (others_write || (!whole_vma && (oldflags & VM_WRITE))))
		return -EACCES;
	if ((newflags & VM_WRITE) &&
	    (others_exec || (!whole_vma && (oldflags & VM_EXEC))))
		return -EACCES;
	return 0;
}
