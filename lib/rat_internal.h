/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* librat: declarations shared by the library's files, not installed. */
#ifndef RAT_INTERNAL_H
#define RAT_INTERNAL_H

#include "rat.h"

/* Record status as the calling thread's last error and return it. */
RatStatus rat_set_status(RatStatus status);

#endif
