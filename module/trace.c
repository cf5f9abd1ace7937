// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the tracepoint instances of ratmem_trace.h.
 */
#define CREATE_TRACE_POINTS
#include "ratmem_trace.h"
