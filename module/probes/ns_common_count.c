// SPDX-License-Identifier: GPL-2.0
/* HAVE_NS_COMMON_COUNT: struct ns_common keeps its references in
 * refcount_t count (6.1 to 6.17; later kernels renamed it).
 */
#include <linux/user_namespace.h>

unsigned int ratmem_probe(struct user_namespace *ns);
unsigned int ratmem_probe(struct user_namespace *ns)
{
	return refcount_read(&ns->ns.count);
}
