// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: module parameters that are one word out of a list, such as
 * violation_policy and quota_policy.
 */
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "param.h"

static int ratmem_param_choice_set(const char *val, const struct kernel_param *kp)
{
	const struct ratmem_param_choice *choice = kp->arg;
	int i = __sysfs_match_string(choice->words, choice->count, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(*choice->value, i);
	return 0;
}

static int ratmem_param_choice_get(char *buf, const struct kernel_param *kp)
{
	const struct ratmem_param_choice *choice = kp->arg;

	return sysfs_emit(buf, "%s\n", choice->words[READ_ONCE(*choice->value)]);
}

const struct kernel_param_ops ratmem_param_choice_ops = {
	.set = ratmem_param_choice_set,
	.get = ratmem_param_choice_get,
};
