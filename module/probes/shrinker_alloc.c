// SPDX-License-Identifier: GPL-2.0
/* HAVE_SHRINKER_ALLOC: shrinkers are allocated with shrinker_alloc()
 * and registered with shrinker_register() (6.7 and later); before, the
 * caller's struct shrinker went to register_shrinker().
 */
#include <linux/shrinker.h>

struct shrinker *ratmem_probe(void);
struct shrinker *ratmem_probe(void)
{
	return shrinker_alloc(0, "ratmem-probe");
}
