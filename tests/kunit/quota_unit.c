// SPDX-License-Identifier: GPL-2.0
/* The unit under test, compiled into the KUnit module (see validate_unit.c). */
#include "../../module/quota_rules.c"
