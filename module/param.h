/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: module parameters that are one word out of a list (param.c).
 */
#ifndef RATMEM_PARAM_H
#define RATMEM_PARAM_H

#include <linux/moduleparam.h>

/**
 * struct ratmem_param_choice - a parameter that is one word out of a list
 * @words: the words it accepts, in the order of the values they stand for.
 * @count: how many @words there are.
 * @value: the index in @words of the current word; written with
 *	WRITE_ONCE(), so readers use READ_ONCE().
 *
 * Pass it as the arg of module_param_cb() with ratmem_param_choice_ops.
 */
struct ratmem_param_choice {
	const char * const *words;
	unsigned int count;
	unsigned int *value;
};

extern const struct kernel_param_ops ratmem_param_choice_ops;

#endif /* RATMEM_PARAM_H */
