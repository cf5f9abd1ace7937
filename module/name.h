/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the namespace of region names (name.c). NAMED_CREATE, OPEN and
 * UNLINK are declared in ioctl.h.
 */
#ifndef RATMEM_NAME_H
#define RATMEM_NAME_H

void ratmem_names_init(void);
void ratmem_names_exit(void);

#endif /* RATMEM_NAME_H */
