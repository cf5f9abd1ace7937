// SPDX-License-Identifier: GPL-2.0
/*
 * The unit under test, compiled into the KUnit module itself: the test
 * module links its own copy of module/validate.c instead of needing
 * exports from ratmem.ko, so it works the same on every kernel.
 */
#include "../../module/validate.c"
