// SPDX-License-Identifier: GPL-2.0
/*
 * The unit under test, compiled into the KUnit module itself (see
 * validate_unit.c): module/numa.c.
 */
#include "../../module/numa.c"
