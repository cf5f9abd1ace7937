/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: tracepoints (trace system "ratmem"), for ftrace and perf users:
 * region lifetime, commit and decommit, faults, sharing and quota
 * refusals. The instances are made in trace.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ratmem

#if !defined(RATMEM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define RATMEM_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

TRACE_EVENT(region_create,
	TP_PROTO(u64 region, u64 size, pid_t pid),
	TP_ARGS(region, size, pid),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, size)
		__field(pid_t, pid)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->size = size;
		__entry->pid = pid;
	),
	TP_printk("region=%llu size=%llu pid=%d", __entry->region, __entry->size, __entry->pid)
);

TRACE_EVENT(region_free,
	TP_PROTO(u64 region),
	TP_ARGS(region),
	TP_STRUCT__entry(
		__field(u64, region)
	),
	TP_fast_assign(
		__entry->region = region;
	),
	TP_printk("region=%llu", __entry->region)
);

DECLARE_EVENT_CLASS(ratmem_range_class,
	TP_PROTO(u64 region, u64 offset, u64 length, int ret),
	TP_ARGS(region, offset, length, ret),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, offset)
		__field(u64, length)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->offset = offset;
		__entry->length = length;
		__entry->ret = ret;
	),
	TP_printk("region=%llu offset=%llu length=%llu ret=%d", __entry->region,
		  __entry->offset, __entry->length, __entry->ret)
);

DEFINE_EVENT(ratmem_range_class, commit,
	TP_PROTO(u64 region, u64 offset, u64 length, int ret),
	TP_ARGS(region, offset, length, ret)
);

DEFINE_EVENT(ratmem_range_class, decommit,
	TP_PROTO(u64 region, u64 offset, u64 length, int ret),
	TP_ARGS(region, offset, length, ret)
);

TRACE_EVENT(fault,
	TP_PROTO(u64 region, unsigned long index, unsigned int result),
	TP_ARGS(region, index, result),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, index)
		__field(unsigned int, result)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->index = index;
		__entry->result = result;
	),
	TP_printk("region=%llu index=%lu result=%#x", __entry->region, __entry->index,
		  __entry->result)
);

/* A page moved to another node (migrate.c); @index is in the region's pages. */
TRACE_EVENT(migrate,
	TP_PROTO(u64 region, unsigned long index, int node),
	TP_ARGS(region, index, node),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, index)
		__field(int, node)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->index = index;
		__entry->node = node;
	),
	TP_printk("region=%llu index=%lu node=%d", __entry->region, __entry->index,
		  __entry->node)
);

TRACE_EVENT(migrate_range,
	TP_PROTO(u64 region, u64 offset, u64 length, int node, bool lazy, int ret),
	TP_ARGS(region, offset, length, node, lazy, ret),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, offset)
		__field(u64, length)
		__field(int, node)
		__field(bool, lazy)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->offset = offset;
		__entry->length = length;
		__entry->node = node;
		__entry->lazy = lazy;
		__entry->ret = ret;
	),
	TP_printk("region=%llu offset=%#llx length=%#llx node=%d lazy=%d ret=%d",
		  __entry->region, __entry->offset, __entry->length, __entry->node,
		  __entry->lazy, __entry->ret)
);

TRACE_EVENT(grant,
	TP_PROTO(u64 region, u64 cap, u32 rights, pid_t target),
	TP_ARGS(region, cap, rights, target),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, cap)
		__field(u32, rights)
		__field(pid_t, target)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->cap = cap;
		__entry->rights = rights;
		__entry->target = target;
	),
	TP_printk("region=%llu cap=%016llx rights=%#x target=%d", __entry->region, __entry->cap,
		  __entry->rights, __entry->target)
);

TRACE_EVENT(accept,
	TP_PROTO(u64 region, u64 cap, pid_t pid),
	TP_ARGS(region, cap, pid),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, cap)
		__field(pid_t, pid)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->cap = cap;
		__entry->pid = pid;
	),
	TP_printk("region=%llu cap=%016llx pid=%d", __entry->region, __entry->cap, __entry->pid)
);

TRACE_EVENT(revoke,
	TP_PROTO(u64 region, u64 cap),
	TP_ARGS(region, cap),
	TP_STRUCT__entry(
		__field(u64, region)
		__field(u64, cap)
	),
	TP_fast_assign(
		__entry->region = region;
		__entry->cap = cap;
	),
	TP_printk("region=%llu cap=%016llx", __entry->region, __entry->cap)
);

TRACE_EVENT(revoke_interrupted,
	TP_PROTO(u64 region),
	TP_ARGS(region),
	TP_STRUCT__entry(
		__field(u64, region)
	),
	TP_fast_assign(
		__entry->region = region;
	),
	TP_printk("region=%llu", __entry->region)
);

TRACE_EVENT(quota_exceeded,
	TP_PROTO(pid_t pid, u32 resource, u64 amount, u64 usage, u64 limit),
	TP_ARGS(pid, resource, amount, usage, limit),
	TP_STRUCT__entry(
		__field(pid_t, pid)
		__field(u32, resource)
		__field(u64, amount)
		__field(u64, usage)
		__field(u64, limit)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->resource = resource;
		__entry->amount = amount;
		__entry->usage = usage;
		__entry->limit = limit;
	),
	TP_printk("pid=%d resource=%u amount=%llu usage=%llu limit=%llu", __entry->pid,
		  __entry->resource, __entry->amount, __entry->usage, __entry->limit)
);

#endif /* RATMEM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ratmem_trace
#include <trace/define_trace.h>
