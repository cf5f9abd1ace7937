// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the ioctls of /dev/ratmem. Each RATMEM_IOC_X has a thin
 * ratmem_ioc_x() here: copy the arguments in, check them (validate.c,
 * KUnit-tested), call the one worker of the object it acts on, copy the
 * result out. A command that makes a handle publishes it only after the
 * copy-out (struct ratmem_handle_new), so no thread can use a handle
 * that the command might still take back.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/numa.h>
#include <linux/uaccess.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "context.h"
#include "counters.h"
#include "create.h"
#include "fault.h"
#include "handle.h"
#include "ioctl.h"
#include "lease.h"
#include "notice.h"
#include "name.h"
#include "numa_ioctl.h"
#include "quota.h"
#include "quota_rules.h"
#include "ratmem.h"
#include "region.h"
#include "seal.h"
#include "share.h"
#include "validate.h"
#include "wait.h"

/* Every command from API (0) to NODES, the last one. */
#define RATMEM_IOCTLS	GENMASK_ULL(RATMEM_IOC_NR_GRANT_RANGE, RATMEM_IOC_NR_API)

/*
 * Copy a command's result, which names @hn, out to @uarg, then publish
 * @hn; if the copy fails, withdraw it.
 */
static long ratmem_ioc_publish(struct ratmem_ctx *ctx, struct ratmem_handle_new *hn,
			       void __user *uarg, const void *karg, size_t size)
{
	if (copy_to_user(uarg, karg, size)) {
		ratmem_handle_new_withdraw(ctx, hn);
		return -EFAULT;
	}
	return ratmem_handle_new_publish(ctx, hn);
}

static long ratmem_ioc_api(void __user *uarg)
{
	struct ratmem_api api;
	int ret;

	if (copy_from_user(&api, uarg, sizeof(api)))
		return -EFAULT;
	ret = ratmem_check_api_args(&api);
	if (ret)
		return ret;
	api.abi_version = RATMEM_ABI_VERSION;
	api.features = RATMEM_FEATURES;
	api.ioctls = RATMEM_IOCTLS;
	if (copy_to_user(uarg, &api, sizeof(api)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_stats(void __user *uarg)
{
	struct ratmem_stats stats;
	int ret;

	if (copy_from_user(&stats, uarg, sizeof(stats)))
		return -EFAULT;
	ret = ratmem_check_stats_args(&stats);
	if (ret)
		return ret;
	ratmem_counters_fill(&stats);
	if (copy_to_user(uarg, &stats, sizeof(stats)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_create(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_region_spec spec;
	struct ratmem_handle_new hn;
	struct ratmem_create c;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = ratmem_check_create_args(&c, ratmem_region_size_max);
	if (ret)
		return ret;
	spec = (struct ratmem_region_spec){
		.size = c.size,
		.flags = c.flags,
		.page_shift = c.page_shift,
		.rights = c.rights,
		.placement = {
			.mode = c.policy,
			.node = c.numa_node,
			.nodemask = c.nodemask,
		},
		.commit = c.flags & RATMEM_CREATE_COMMIT,
	};
	ret = ratmem_region_create_handle(ctx, &spec, NULL, NULL, &hn);
	if (ret)
		return ret;
	c.handle = hn.slot.nr;
	c.region_id = hn.cap->region->id;
	c.page_shift = hn.cap->region->page_shift;
	return ratmem_ioc_publish(ctx, &hn, uarg, &c, sizeof(c));
}

static long ratmem_ioc_named_create(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_named_create c;
	struct ratmem_handle_new hn;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = ratmem_check_named_create_args(&c, ratmem_region_size_max);
	if (ret)
		return ret;
	ret = ratmem_name_create(ctx, &c, &hn);
	if (ret)
		return ret;
	c.handle = hn.slot.nr;
	c.region_id = hn.cap->region->id;
	return ratmem_ioc_publish(ctx, &hn, uarg, &c, sizeof(c));
}

static long ratmem_ioc_query(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_query q;
	int ret;

	if (copy_from_user(&q, uarg, sizeof(q)))
		return -EFAULT;
	ret = ratmem_check_query_args(&q);
	if (ret)
		return ret;
	ret = ratmem_handle_query(ctx, &q);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &q, sizeof(q)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_dup(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_handle_new hn;
	struct ratmem_dup d;
	int ret;

	if (copy_from_user(&d, uarg, sizeof(d)))
		return -EFAULT;
	ret = ratmem_check_dup_args(&d);
	if (ret)
		return ret;
	ret = ratmem_handle_dup(ctx, d.handle, d.rights, &hn);
	if (ret)
		return ret;
	d.new_handle = hn.slot.nr;
	return ratmem_ioc_publish(ctx, &hn, uarg, &d, sizeof(d));
}

static long ratmem_ioc_close(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_close c;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = ratmem_check_close_args(&c);
	if (ret)
		return ret;
	return ratmem_handle_close(ctx, c.handle);
}

/* RATMEM_IOC_COMMIT (@commit true) and RATMEM_IOC_DECOMMIT share a struct. */
static long ratmem_ioc_commit(struct ratmem_ctx *ctx, void __user *uarg, bool commit)
{
	struct ratmem_range r;
	int ret;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	ret = ratmem_check_range_args(&r);
	if (ret)
		return ret;
	return ratmem_handle_commit(ctx, &r, commit);
}

/* The id of a new grant goes out, or the grant is taken back. */
static long ratmem_ioc_grant_out(struct ratmem_cap *grant, __u64 *cap_id, void __user *uarg,
				 const void *args, size_t size)
{
	*cap_id = grant->ent.id;
	if (copy_to_user(uarg, args, size)) {
		/* Nobody learnt the id: take the grant back. */
		ratmem_grant_withdraw(grant);
		return -EFAULT;
	}
	ratmem_cap_put(grant);
	return 0;
}

static long ratmem_ioc_grant(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_grant_range whole = {};
	struct ratmem_cap *grant;
	struct ratmem_grant g;
	int ret;

	if (copy_from_user(&g, uarg, sizeof(g)))
		return -EFAULT;
	ret = ratmem_check_grant_args(&g);
	if (ret)
		return ret;
	/* All of the handle's view: length 0. */
	whole.handle = g.handle;
	whole.rights = g.rights;
	whole.pidfd = g.pidfd;
	whole.lease_ns = g.lease_ns;
	ret = ratmem_grant_create(ctx, &whole, &grant);
	if (ret)
		return ret;
	return ratmem_ioc_grant_out(grant, &g.cap_id, uarg, &g, sizeof(g));
}

static long ratmem_ioc_grant_range(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_grant_range g;
	struct ratmem_cap *grant;
	int ret;

	if (copy_from_user(&g, uarg, sizeof(g)))
		return -EFAULT;
	ret = ratmem_check_grant_range_args(&g);
	if (ret)
		return ret;
	ret = ratmem_grant_create(ctx, &g, &grant);
	if (ret)
		return ret;
	return ratmem_ioc_grant_out(grant, &g.cap_id, uarg, &g, sizeof(g));
}

static long ratmem_ioc_accept(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_handle_new hn;
	struct ratmem_accept a;
	int ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	ret = ratmem_check_accept_args(&a);
	if (ret)
		return ret;
	ret = ratmem_grant_accept(ctx, a.cap_id, &hn);
	if (ret)
		return ret;
	a.handle = hn.slot.nr;
	a.rights = hn.rights;
	a.pad = 0;
	a.region_id = hn.cap->region->id;
	a.size = hn.cap->span;
	return ratmem_ioc_publish(ctx, &hn, uarg, &a, sizeof(a));
}

static long ratmem_ioc_revoke(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_revoke r;
	int ret;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	ret = ratmem_check_revoke_args(&r);
	if (ret)
		return ret;
	return ratmem_grant_revoke(ctx, &r);
}

static long ratmem_ioc_read_notices(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_read_notices n;
	int ret;

	if (copy_from_user(&n, uarg, sizeof(n)))
		return -EFAULT;
	ret = ratmem_check_read_notices_args(&n);
	if (ret)
		return ret;
	ret = ratmem_noticeq_read(ctx->notices, &n);
	if (ret)
		return ret;
	/* The records are out: a fault here loses only the count. */
	if (copy_to_user(uarg, &n, sizeof(n)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_named_open(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_handle_new hn;
	struct ratmem_named_open o;
	int ret;

	if (copy_from_user(&o, uarg, sizeof(o)))
		return -EFAULT;
	ret = ratmem_check_named_open_args(&o);
	if (ret)
		return ret;
	ret = ratmem_name_open(ctx, o.name, o.rights, &hn);
	if (ret)
		return ret;
	o.handle = hn.slot.nr;
	o.region_id = hn.cap->region->id;
	o.size = hn.cap->span;
	return ratmem_ioc_publish(ctx, &hn, uarg, &o, sizeof(o));
}

static long ratmem_ioc_unlink(void __user *uarg)
{
	struct ratmem_unlink u;
	int ret;

	if (copy_from_user(&u, uarg, sizeof(u)))
		return -EFAULT;
	ret = ratmem_check_unlink_args(&u);
	if (ret)
		return ret;
	return ratmem_name_unlink(&u);
}

static long ratmem_ioc_wait(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_wait w;
	int ret;

	if (copy_from_user(&w, uarg, sizeof(w)))
		return -EFAULT;
	ret = ratmem_check_wait_args(&w);
	if (ret)
		return ret;
	return ratmem_word_wait(ctx, &w);
}

static long ratmem_ioc_wake(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_wake w;
	int ret;

	if (copy_from_user(&w, uarg, sizeof(w)))
		return -EFAULT;
	ret = ratmem_check_wake_args(&w);
	if (ret)
		return ret;
	ret = ratmem_word_wake(ctx, &w, &w.woken);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &w, sizeof(w)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_quota(void __user *uarg)
{
	struct ratmem_quota q;
	int ret;

	if (copy_from_user(&q, uarg, sizeof(q)))
		return -EFAULT;
	ret = ratmem_check_quota_args(&q);
	if (ret)
		return ret;
	ret = ratmem_quota_apply(&q);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &q, sizeof(q)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_populate(void __user *uarg)
{
	struct ratmem_populate p;
	int ret;

	if (copy_from_user(&p, uarg, sizeof(p)))
		return -EFAULT;
	ret = ratmem_check_populate_args(&p);
	if (ret)
		return ret;
	return ratmem_populate(&p);
}

static long ratmem_ioc_policy(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_policy p;
	int ret;

	if (copy_from_user(&p, uarg, sizeof(p)))
		return -EFAULT;
	ret = ratmem_check_policy_args(&p);
	if (ret)
		return ret;
	return ratmem_handle_policy(ctx, &p);
}

static long ratmem_ioc_migrate(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_migrate m;
	int ret;

	if (copy_from_user(&m, uarg, sizeof(m)))
		return -EFAULT;
	ret = ratmem_check_migrate_args(&m);
	if (ret)
		return ret;
	ret = ratmem_handle_migrate(ctx, &m);
	/* What moved stays moved: the count goes out on errors too. */
	if (copy_to_user(uarg, &m, sizeof(m)))
		return -EFAULT;
	return ret;
}

static long ratmem_ioc_seal(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_seal s;
	int ret;

	if (copy_from_user(&s, uarg, sizeof(s)))
		return -EFAULT;
	ret = ratmem_check_seal_args(&s);
	if (ret)
		return ret;
	ret = ratmem_handle_seal(ctx, &s);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &s, sizeof(s)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_lease(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_lease l;
	int ret;

	if (copy_from_user(&l, uarg, sizeof(l)))
		return -EFAULT;
	ret = ratmem_check_lease_args(&l);
	if (ret)
		return ret;
	ret = ratmem_handle_lease(ctx, &l);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &l, sizeof(l)))
		return -EFAULT;
	return 0;
}

static long ratmem_ioc_nodes(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_nodes n;
	int ret;

	if (copy_from_user(&n, uarg, sizeof(n)))
		return -EFAULT;
	ret = ratmem_check_nodes_args(&n);
	if (ret)
		return ret;
	ret = ratmem_handle_nodes(ctx, &n);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &n, sizeof(n)))
		return -EFAULT;
	return 0;
}

/**
 * ratmem_ioctl() - ->unlocked_ioctl() and ->compat_ioctl() of /dev/ratmem
 * @file: the context's file
 * @cmd: ioctl command
 * @arg: user pointer to the command's argument struct
 *
 * The uapi structs have the same layout on 32- and 64-bit user space,
 * so compat callers are served by the same code.
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno: -EPERM when the caller is not the
 * context's owner, -ENOTTY for an unknown command, -EFAULT for a bad
 * pointer, -EINVAL for invalid arguments, -EBADF for a handle the
 * context does not have, -ENOLINK for a revoked handle, -EPERM for rights
 * beyond the handle's, -ENOMEM, -ENOSPC when region ids are exhausted;
 * the sharing, naming and waiting commands as documented in the uapi
 * header.
 */
long ratmem_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ratmem_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!ratmem_ctx_is_owner(ctx))
		return -EPERM;

	switch (cmd) {
	case RATMEM_IOC_API:
		return ratmem_ioc_api(uarg);
	case RATMEM_IOC_STATS:
		return ratmem_ioc_stats(uarg);
	case RATMEM_IOC_CREATE:
		return ratmem_ioc_create(ctx, uarg);
	case RATMEM_IOC_QUERY:
		return ratmem_ioc_query(ctx, uarg);
	case RATMEM_IOC_DUP:
		return ratmem_ioc_dup(ctx, uarg);
	case RATMEM_IOC_CLOSE:
		return ratmem_ioc_close(ctx, uarg);
	case RATMEM_IOC_COMMIT:
		return ratmem_ioc_commit(ctx, uarg, true);
	case RATMEM_IOC_DECOMMIT:
		return ratmem_ioc_commit(ctx, uarg, false);
	case RATMEM_IOC_GRANT:
		return ratmem_ioc_grant(ctx, uarg);
	case RATMEM_IOC_ACCEPT:
		return ratmem_ioc_accept(ctx, uarg);
	case RATMEM_IOC_REVOKE:
		return ratmem_ioc_revoke(ctx, uarg);
	case RATMEM_IOC_NAMED_CREATE:
		return ratmem_ioc_named_create(ctx, uarg);
	case RATMEM_IOC_NAMED_OPEN:
		return ratmem_ioc_named_open(ctx, uarg);
	case RATMEM_IOC_UNLINK:
		return ratmem_ioc_unlink(uarg);
	case RATMEM_IOC_WAIT:
		return ratmem_ioc_wait(ctx, uarg);
	case RATMEM_IOC_WAKE:
		return ratmem_ioc_wake(ctx, uarg);
	case RATMEM_IOC_QUOTA:
		return ratmem_ioc_quota(uarg);
	case RATMEM_IOC_POPULATE:
		return ratmem_ioc_populate(uarg);
	case RATMEM_IOC_POLICY:
		return ratmem_ioc_policy(ctx, uarg);
	case RATMEM_IOC_MIGRATE:
		return ratmem_ioc_migrate(ctx, uarg);
	case RATMEM_IOC_NODES:
		return ratmem_ioc_nodes(ctx, uarg);
	case RATMEM_IOC_SEAL:
		return ratmem_ioc_seal(ctx, uarg);
	case RATMEM_IOC_LEASE:
		return ratmem_ioc_lease(ctx, uarg);
	case RATMEM_IOC_READ_NOTICES:
		return ratmem_ioc_read_notices(ctx, uarg);
	case RATMEM_IOC_GRANT_RANGE:
		return ratmem_ioc_grant_range(ctx, uarg);
	default:
		return -ENOTTY;
	}
}
