// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: named regions (contract section 4). A module-wide namespace,
 * one per user namespace, of names that each hold a region's owner
 * capability. OPEN checks the caller against the name's owner, group
 * and mode the way open(2) checks a file, and makes an OPEN capability
 * below the owner's; UNLINK removes the name and, if asked, revokes
 * what was opened through it.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/ratmem.h>

#include "ratmem.h"
#include "validate.h"

/**
 * struct ratmem_name - a region's name
 * @node: link in ratmem_names.buckets.
 * @ns: the user namespace the name lives in (counted).
 * @owner: the region's owner capability (counted).
 * @uid: owner, the creator's fsuid.
 * @gid: group, the creator's fsgid.
 * @mode: permission bits (RATMEM_MODE_MASK).
 * @name: NUL-terminated.
 */
struct ratmem_name {
	struct hlist_node node;
	struct user_namespace *ns;
	struct ratmem_cap *owner;
	kuid_t uid;
	kgid_t gid;
	u32 mode;
	char name[RATMEM_NAME_MAX];
};

static struct {
	struct mutex lock; /* protects buckets */
	DECLARE_HASHTABLE(buckets, 8);
} ratmem_names;

static u32 ratmem_name_hash(const struct user_namespace *ns, const char *name)
{
	return full_name_hash(ns, name, strlen(name));
}

/* The entry for (@ns, @name), or NULL; ratmem_names.lock held. */
static struct ratmem_name *ratmem_name_find(const struct user_namespace *ns, const char *name)
{
	struct ratmem_name *n;

	lockdep_assert_held(&ratmem_names.lock);
	hash_for_each_possible(ratmem_names.buckets, n, node, ratmem_name_hash(ns, name))
		if (n->ns == ns && !strcmp(n->name, name))
			return n;
	return NULL;
}

/*
 * A name is a live object with no file behind it, so it holds a module
 * reference of its own: rmmod is refused while any name exists (contract
 * section 7). It is always dropped in an ioctl, whose file holds the
 * module too.
 */
static void ratmem_name_free(struct ratmem_name *n)
{
	ratmem_cap_put(n->owner);
	put_user_ns(n->ns);
	kfree(n);
	atomic64_dec(&ratmem_counters.names);
	module_put(THIS_MODULE);
}

/* Copy and check a name from user space into @buf (RATMEM_NAME_MAX bytes). */
static int ratmem_name_copy(char *buf, u64 uname)
{
	long copied = strncpy_from_user(buf, u64_to_user_ptr(uname), RATMEM_NAME_MAX);

	return ratmem_check_name(buf, copied);
}

/* May the caller use @n with @rights? Like generic_permission() on a file. */
static bool ratmem_name_permits(const struct ratmem_name *n, u32 rights)
{
	u32 need = 0, have;

	if (rights & RATMEM_RIGHT_READ)
		need |= 4;
	if (rights & RATMEM_RIGHT_WRITE)
		need |= 2;
	if (rights & RATMEM_RIGHT_EXEC)
		need |= 1;
	if (uid_eq(current_fsuid(), n->uid))
		have = n->mode >> 6;
	else if (in_group_p(n->gid))
		have = n->mode >> 3;
	else
		have = n->mode;
	if (!(need & ~have & 7))
		return true;
	return ns_capable(n->ns, CAP_DAC_OVERRIDE);
}

/**
 * ratmem_ioctl_named_create() - RATMEM_IOC_NAMED_CREATE
 * @ctx: the caller's context
 * @uarg: user pointer to struct ratmem_named_create
 *
 * Context: process context; may sleep. Takes ctx->lock, then
 * ratmem_names.lock (never together).
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_named_create(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_named_create c;
	struct ratmem_region *region;
	struct ratmem_name *n;
	struct ratmem_cap *owner;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = ratmem_check_named_create_args(&c, ratmem_region_size_max);
	if (ret)
		return ret;
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	ret = ratmem_name_copy(n->name, c.name);
	if (ret)
		goto err_free;
	ret = ratmem_region_create(ctx->acct, c.size, RATMEM_PAGE_SHIFT_4K, c.rights,
				   NUMA_NO_NODE, &region);
	if (ret)
		goto err_free;
	ret = ratmem_cap_create_owner(region, &owner);
	if (ret)
		goto err_free;
	if (c.flags & RATMEM_CREATE_COMMIT) {
		ret = ratmem_region_commit(owner, 0, c.size);
		if (ret) {
			ratmem_cap_put(owner);
			goto err_free;
		}
	}
	n->ns = get_user_ns(current_user_ns());
	n->uid = current_fsuid();
	n->gid = current_fsgid();
	n->mode = c.mode;
	ratmem_cap_get(owner);
	n->owner = owner;
	atomic64_inc(&ratmem_counters.names);
	__module_get(THIS_MODULE);	/* the caller's file holds one already */

	mutex_lock(&ratmem_names.lock);
	if (ratmem_name_find(n->ns, n->name)) {
		mutex_unlock(&ratmem_names.lock);
		ratmem_name_free(n);
		ret = -EEXIST;
		goto err_owner;
	}
	hash_add(ratmem_names.buckets, &n->node, ratmem_name_hash(n->ns, n->name));
	mutex_unlock(&ratmem_names.lock);

	ret = ratmem_handle_install(ctx, owner, c.rights, &c.handle);
	if (ret)
		goto err_unname;
	c.region_id = owner->region->id;
	if (copy_to_user(uarg, &c, sizeof(c))) {
		ratmem_handle_close(ctx, c.handle);
		ret = -EFAULT;
		owner = NULL;	/* the handle's reference went with it */
		goto err_unname;
	}
	return 0;

err_unname:
	mutex_lock(&ratmem_names.lock);
	hash_del(&n->node);
	mutex_unlock(&ratmem_names.lock);
	ratmem_name_free(n);
err_owner:
	if (owner)
		ratmem_cap_put(owner);
	return ret;
err_free:
	kfree(n);
	return ret;
}

/**
 * ratmem_ioctl_open() - RATMEM_IOC_OPEN
 * @ctx: the caller's context
 * @uarg: user pointer to struct ratmem_open
 *
 * Context: process context; may sleep. Takes ratmem_names.lock, then
 * (without it) region->lock and ctx->lock.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_open(struct ratmem_ctx *ctx, void __user *uarg)
{
	struct ratmem_cap *owner = NULL, *cap;
	char name[RATMEM_NAME_MAX];
	struct ratmem_name *n;
	struct ratmem_open o;
	int ret;

	if (copy_from_user(&o, uarg, sizeof(o)))
		return -EFAULT;
	ret = ratmem_check_open_args(&o);
	if (ret)
		return ret;
	ret = ratmem_name_copy(name, o.name);
	if (ret)
		return ret;

	mutex_lock(&ratmem_names.lock);
	n = ratmem_name_find(current_user_ns(), name);
	if (!n)
		ret = -ENOENT;
	else if (o.rights & ~n->owner->rights)
		ret = -EPERM;
	else if (!ratmem_name_permits(n, o.rights))
		ret = -EACCES;
	if (!ret) {
		owner = n->owner;
		ratmem_cap_get(owner);
	}
	mutex_unlock(&ratmem_names.lock);
	if (ret)
		return ret;

	ret = ratmem_cap_create_child(owner, RATMEM_CAP_OPEN, o.rights, task_tgid(current), NULL,
				      NULL, &cap);
	ratmem_cap_put(owner);
	if (ret)
		return ret;
	ret = ratmem_handle_install(ctx, cap, o.rights, &o.handle);
	if (ret) {
		ratmem_cap_put(cap);
		return ret;
	}
	o.region_id = cap->region->id;
	o.size = cap->region->size;
	if (copy_to_user(uarg, &o, sizeof(o))) {
		ratmem_handle_close(ctx, o.handle);
		return -EFAULT;
	}
	return 0;
}

/**
 * ratmem_ioctl_unlink() - RATMEM_IOC_UNLINK
 * @ctx: the caller's context
 * @uarg: user pointer to struct ratmem_unlink
 *
 * Context: process context; may sleep. Takes ratmem_names.lock, then
 * (without it) the locks of ratmem_revoke_opens().
 * Return: 0 or a negative errno as documented in the uapi header.
 */
long ratmem_ioctl_unlink(struct ratmem_ctx *ctx, void __user *uarg)
{
	char name[RATMEM_NAME_MAX];
	struct ratmem_unlink u;
	struct ratmem_name *n;
	int ret;

	if (copy_from_user(&u, uarg, sizeof(u)))
		return -EFAULT;
	ret = ratmem_check_unlink_args(&u);
	if (ret)
		return ret;
	ret = ratmem_name_copy(name, u.name);
	if (ret)
		return ret;

	mutex_lock(&ratmem_names.lock);
	n = ratmem_name_find(current_user_ns(), name);
	if (!n)
		ret = -ENOENT;
	else if (!uid_eq(current_fsuid(), n->uid) && !ns_capable(n->ns, CAP_FOWNER))
		ret = -EPERM;
	else
		hash_del(&n->node);
	mutex_unlock(&ratmem_names.lock);
	if (ret)
		return ret;

	if (u.flags & RATMEM_UNLINK_REVOKE)
		ratmem_revoke_opens(n->owner, n->owner->pid);
	ratmem_name_free(n);
	return 0;
}

/**
 * ratmem_names_init() - set up the empty namespace
 *
 * Context: module init.
 */
void ratmem_names_init(void)
{
	mutex_init(&ratmem_names.lock);
	hash_init(ratmem_names.buckets);
}

/**
 * ratmem_names_exit() - tear down the namespace at unload
 *
 * Every name holds a module reference, so none is left by the time the
 * module can be unloaded.
 *
 * Context: module exit.
 */
void ratmem_names_exit(void)
{
	WARN_ON(!hash_empty(ratmem_names.buckets));
	mutex_destroy(&ratmem_names.lock);
}
