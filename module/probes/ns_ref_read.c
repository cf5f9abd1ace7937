// SPDX-License-Identifier: GPL-2.0
/* HAVE_NS_REF_READ: __ns_ref_read(), how kernels from 6.18 on read a
 * namespace's reference count (ns_common.count became __ns_ref).
 */
#include <linux/user_namespace.h>

int ratmem_probe(struct user_namespace *ns);
int ratmem_probe(struct user_namespace *ns)
{
	return __ns_ref_read(&ns->ns);
}
