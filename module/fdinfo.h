/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: /proc/PID/fdinfo of a /dev/ratmem descriptor (fdinfo.c).
 */
#ifndef RATMEM_FDINFO_H
#define RATMEM_FDINFO_H

struct file;
struct seq_file;

void ratmem_show_fdinfo(struct seq_file *m, struct file *file);

#endif /* RATMEM_FDINFO_H */
