// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: named regions (docs/abi.md, "Named regions"). A module-wide namespace,
 * one per user namespace, of names that each hold a region's owner
 * capability. NAMED_OPEN checks the caller against the name's owner, group
 * and mode the way open(2) checks a file, and makes an NAMED_OPEN capability
 * below the owner's; UNLINK removes the name and, if asked, revokes
 * what was opened through it.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/xarray.h>
#include <linux/ratmem.h>

#include "cap.h"
#include "compat.h"
#include "context.h"
#include "counters.h"
#include "create.h"
#include "handle.h"
#include "name.h"
#include "region.h"
#include "revoke.h"
#include "validate.h"

/**
 * struct ratmem_name - a region's name
 * @node: link in ratmem_names.buckets.
 * @ns: the user namespace the name lives in; the names of one namespace
 *	hold one reference to it between them (ratmem_names.per_ns).
 * @put_ns: set when the name is unhashed as the last of its namespace:
 *	the reference ratmem_name_free() drops.
 * @dead: link in a list of names being reaped.
 * @owner: the region's owner capability (counted).
 * @uid: owner, the creator's fsuid.
 * @gid: group, the creator's fsgid.
 * @mode: permission bits (RATMEM_MODE_MASK).
 * @name: NUL-terminated.
 */
struct ratmem_name {
	struct hlist_node node;
	struct user_namespace *ns;
	struct user_namespace *put_ns;
	struct list_head dead;
	struct ratmem_cap *owner;
	kuid_t uid;
	kgid_t gid;
	u32 mode;
	char name[RATMEM_NAME_MAX];
};

static struct {
	struct mutex lock; /* protects buckets and per_user */
	DECLARE_HASHTABLE(buckets, 8);
	struct xarray per_user; /* kuid -> xa_mk_value(names it owns) */
	struct xarray per_ns; /* user_namespace * -> xa_mk_value(names in it) */
} ratmem_names;

/*
 * Names are bounded per user, across every user namespace (a user can
 * make as many namespaces as it likes), not only per process: a name
 * outlives its creator, so a per-process bound would bound nothing.
 */
static unsigned int ratmem_max_names_per_user = 1024;
module_param_named(max_names_per_user, ratmem_max_names_per_user, uint, 0644);
MODULE_PARM_DESC(max_names_per_user,
		 "Most names one user (global uid) may own at once, in every user namespace (default 1024)");

/* Count a new name of @uid, or -ENOSPC at the limit; ratmem_names.lock held. */
static int ratmem_name_charge_user(kuid_t uid)
{
	unsigned long key = __kuid_val(uid);
	unsigned long n = xa_to_value(xa_load(&ratmem_names.per_user, key) ?: xa_mk_value(0));

	lockdep_assert_held(&ratmem_names.lock);
	if (n >= READ_ONCE(ratmem_max_names_per_user))
		return -ENOSPC;
	return xa_err(xa_store(&ratmem_names.per_user, key, xa_mk_value(n + 1), GFP_KERNEL));
}

/*
 * Count a name in @ns, the names' one reference to @ns between them
 * taken with the first; ratmem_names.lock held.
 */
static int ratmem_name_charge_ns(struct user_namespace *ns)
{
	unsigned long n = xa_to_value(xa_load(&ratmem_names.per_ns, (unsigned long)ns) ?:
				      xa_mk_value(0));
	int ret;

	lockdep_assert_held(&ratmem_names.lock);
	ret = xa_err(xa_store(&ratmem_names.per_ns, (unsigned long)ns, xa_mk_value(n + 1),
			      GFP_KERNEL));
	if (!ret && !n)
		get_user_ns(ns);
	return ret;
}

/* Uncount a name in @ns; ratmem_names.lock held. Returns @ns to put, or NULL. */
static struct user_namespace *ratmem_name_uncharge_ns(struct user_namespace *ns)
{
	unsigned long n = xa_to_value(xa_load(&ratmem_names.per_ns, (unsigned long)ns) ?:
				      xa_mk_value(0));

	lockdep_assert_held(&ratmem_names.lock);
	if (WARN_ON_ONCE(!n))
		return NULL;
	if (n > 1) {
		xa_store(&ratmem_names.per_ns, (unsigned long)ns, xa_mk_value(n - 1), GFP_NOWAIT);
		return NULL;
	}
	xa_erase(&ratmem_names.per_ns, (unsigned long)ns);
	return ns;
}

/* Uncount a name of @uid; ratmem_names.lock held. */
static void ratmem_name_uncharge_user(kuid_t uid)
{
	unsigned long key = __kuid_val(uid);
	unsigned long n = xa_to_value(xa_load(&ratmem_names.per_user, key) ?: xa_mk_value(0));

	lockdep_assert_held(&ratmem_names.lock);
	if (WARN_ON_ONCE(!n))
		return;
	if (n == 1)
		xa_erase(&ratmem_names.per_user, key);
	else
		xa_store(&ratmem_names.per_user, key, xa_mk_value(n - 1), GFP_NOWAIT);
}

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
 * reference of its own: rmmod is refused while any name exists
 * (docs/semantics.md, "Module unload"). It is always dropped in an
 * ioctl, whose file holds the module too.
 */
static void ratmem_name_free(struct ratmem_name *n)
{
	ratmem_cap_use(n->owner, -1);
	ratmem_cap_put(n->owner);
	put_user_ns(n->put_ns);
	kfree(n);
	atomic64_dec(&ratmem_counters.names);
	module_put(THIS_MODULE);
}

/* Take @n out of the namespace; ratmem_names.lock held. The caller frees it. */
static void ratmem_name_unhash(struct ratmem_name *n)
{
	lockdep_assert_held(&ratmem_names.lock);
	hash_del(&n->node);
	ratmem_name_uncharge_user(n->uid);
	/* The last name of its namespace drops the names' reference. */
	n->put_ns = ratmem_name_uncharge_ns(n->ns);
}

/*
 * Names whose user namespace nobody but the names holds can never be
 * opened or unlinked again: no process is in that namespace, none can
 * enter it (that needs a reference: a process, a child namespace, an
 * nsfs file or mount), and none can make a new reference from nothing.
 * They are taken out here, onto @dead, for the caller to revoke and free.
 * Called at each NAMED_CREATE, NAMED_OPEN and UNLINK, so what a lost namespace
 * leaves behind lives until the next use of the namespace of names.
 */
static void ratmem_names_reap_locked(struct list_head *dead)
{
	struct user_namespace *ns;
	struct ratmem_name *n;
	struct hlist_node *tmp;
	unsigned long key;
	unsigned int refs, bkt;
	void *count;

	lockdep_assert_held(&ratmem_names.lock);
	xa_for_each(&ratmem_names.per_ns, key, count) {
		ns = (struct user_namespace *)key;
		if (ns == &init_user_ns || !ratmem_user_ns_refs(ns, &refs) || refs != 1)
			continue;
		hash_for_each_safe(ratmem_names.buckets, bkt, tmp, n, node) {
			if (n->ns != ns)
				continue;
			ratmem_name_unhash(n);
			list_add_tail(&n->dead, dead);
		}
	}
}

static void ratmem_names_free_dead(struct list_head *dead)
{
	struct ratmem_name *n, *tmp;

	list_for_each_entry_safe(n, tmp, dead, dead) {
		list_del(&n->dead);
		ratmem_revoke_opens(n->owner, NULL, false);
		ratmem_name_free(n);
	}
}

/* Reap the names of lost user namespaces (see ratmem_names_reap_locked()). */
static void ratmem_names_reap(void)
{
	LIST_HEAD(dead);

	mutex_lock(&ratmem_names.lock);
	ratmem_names_reap_locked(&dead);
	mutex_unlock(&ratmem_names.lock);
	ratmem_names_free_dead(&dead);
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
	/* As generic_permission(): the override needs the owner mapped in @n->ns. */
	return kuid_has_mapping(n->ns, n->uid) && ns_capable(n->ns, CAP_DAC_OVERRIDE);
}

/* May the caller remove @n? Its owner, or CAP_FOWNER over a mapped owner. */
static bool ratmem_name_owned(const struct ratmem_name *n)
{
	if (uid_eq(current_fsuid(), n->uid))
		return true;
	return kuid_has_mapping(n->ns, n->uid) && ns_capable(n->ns, CAP_FOWNER);
}

/*
 * NAMED_CREATE's last step: the name becomes visible last. Once it is in
 * the hash, UNLINK may take it out and free it at any time, so nothing
 * may fail after this.
 */
static int ratmem_name_create_publish(struct ratmem_handle_new *hn)
{
	struct ratmem_name *n = hn->priv;
	int ret;

	n->ns = current_user_ns();
	mutex_lock(&ratmem_names.lock);
	if (ratmem_name_find(n->ns, n->name))
		ret = -EEXIST;
	else
		ret = ratmem_name_charge_user(n->uid);
	if (!ret) {
		ret = ratmem_name_charge_ns(n->ns);
		if (ret) {
			ratmem_name_uncharge_user(n->uid);
			ret = -ENOMEM;
		}
	}
	if (ret) {
		mutex_unlock(&ratmem_names.lock);
		return ret;
	}
	n->owner = hn->cap;
	ratmem_cap_get(n->owner);
	/* The name's use and the handle's, before anyone can UNLINK it. */
	ratmem_cap_use(n->owner, 2);
	atomic64_inc(&ratmem_counters.names);
	__module_get(THIS_MODULE);	/* the caller's file holds one already */
	hash_add(ratmem_names.buckets, &n->node, ratmem_name_hash(n->ns, n->name));
	mutex_unlock(&ratmem_names.lock);
	return 0;
}

/* The name never became visible: free it. */
static void ratmem_name_create_withdraw(struct ratmem_handle_new *hn)
{
	kfree(hn->priv);
}

static const struct ratmem_handle_new_ops ratmem_name_create_ops = {
	.publish = ratmem_name_create_publish,
	.withdraw = ratmem_name_create_withdraw,
};

/**
 * ratmem_name_create() - RATMEM_IOC_NAMED_CREATE: a region and its name
 * @ctx: the caller's context
 * @c: the caller's arguments, checked (ratmem_check_named_create_args())
 * @hn: out: the owner's handle, to publish or withdraw; publishing it
 *	links the name
 *
 * Context: process context; may sleep. Takes ctx->lock, then
 * ratmem_names.lock (never together).
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_name_create(struct ratmem_ctx *ctx, const struct ratmem_named_create *c,
		       struct ratmem_handle_new *hn)
{
	struct ratmem_region_owner owner;
	struct ratmem_region_spec spec = {
		.size = c->size,
		.flags = c->flags,
		.page_shift = c->page_shift,
		.rights = c->rights,
		.placement = {
			.mode = RATMEM_POLICY_DEFAULT,
			.node = c->flags & RATMEM_CREATE_NODE ? c->numa_node : NUMA_NO_NODE,
		},
		.commit = c->flags & RATMEM_CREATE_COMMIT,
		.named = &owner,
	};
	struct ratmem_name *n;
	int ret;

	ratmem_names_reap();
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	ret = ratmem_name_copy(n->name, c->name);
	if (ret)
		goto err_free;
	n->uid = current_fsuid();
	n->gid = current_fsgid();
	n->mode = c->mode;
	owner = (struct ratmem_region_owner){ n->uid, n->gid, n->mode };
	ret = ratmem_region_create_handle(ctx, &spec, &ratmem_name_create_ops, n, hn);
	if (ret)
		goto err_free;
	return 0;

err_free:
	kfree(n);
	return ret;
}

/* NAMED_OPEN counted the handle's use under ratmem_names.lock: uncount it. */
static void ratmem_name_open_withdraw(struct ratmem_handle_new *hn)
{
	ratmem_cap_use(hn->cap, -1);
}

static const struct ratmem_handle_new_ops ratmem_name_open_ops = {
	.withdraw = ratmem_name_open_withdraw,
};

/**
 * ratmem_name_open() - RATMEM_IOC_NAMED_OPEN: a handle to a named region
 * @ctx: the caller's context
 * @uname: user pointer to the name
 * @rights: the rights asked for, checked (ratmem_check_named_open_args())
 * @hn: out: the handle, to publish or withdraw
 *
 * Context: process context; may sleep. Takes ratmem_names.lock, then
 * (without it) region->lock and ctx->lock.
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_name_open(struct ratmem_ctx *ctx, u64 uname, u32 rights,
		     struct ratmem_handle_new *hn)
{
	char name[RATMEM_NAME_MAX];
	struct ratmem_name *n;
	struct ratmem_cap *cap;
	int ret;

	ratmem_names_reap();
	ret = ratmem_name_copy(name, uname);
	if (ret)
		return ret;

	/*
	 * The child is linked below the owner before ratmem_names.lock is
	 * dropped, so an UNLINK that takes the name out after this has the
	 * child in the owner's list and revokes it (ratmem_names.lock, then
	 * region->lock: see the lock order in ratmem.h).
	 */
	mutex_lock(&ratmem_names.lock);
	n = ratmem_name_find(current_user_ns(), name);
	if (!n)
		ret = -ENOENT;
	else if (rights & ~n->owner->rights)
		ret = -EPERM;
	else if (!ratmem_name_permits(n, rights))
		ret = -EACCES;
	else
		ret = ratmem_cap_create_child(n->owner, RATMEM_CAPKIND_NAMED_OPEN, rights,
					      task_tgid(current), NULL, NULL, 0, 0, &cap);
	/* The name's use keeps the region live while the handle's is counted. */
	if (!ret)
		ratmem_cap_use(cap, 1);
	mutex_unlock(&ratmem_names.lock);
	if (ret)
		return ret;

	ret = ratmem_handle_new_reserve(ctx, cap, rights, &ratmem_name_open_ops, NULL, hn);
	if (ret) {
		ratmem_cap_use(cap, -1);
		ratmem_cap_put(cap);
	}
	return ret;
}

/*
 * RATMEM_UNLINK_BY_ID: an administrator removes the name of a region,
 * in any user namespace, including one that no process can enter any
 * more, and revokes every open of it. The scan is linear in the names,
 * which max_names_per_user bounds.
 */
static int ratmem_unlink_by_id(u64 region_id)
{
	struct ratmem_name *n, *found = NULL;
	unsigned int bkt;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&ratmem_names.lock);
	hash_for_each(ratmem_names.buckets, bkt, n, node) {
		if (n->owner->region->id == region_id) {
			found = n;
			ratmem_name_unhash(n);
			break;
		}
	}
	mutex_unlock(&ratmem_names.lock);
	if (!found)
		return -ENOENT;
	ret = ratmem_revoke_opens(found->owner, NULL, true);
	ratmem_name_free(found);
	return ret < 0 ? ret : 0;
}

/**
 * ratmem_name_unlink() - RATMEM_IOC_UNLINK: remove a name
 * @u: the caller's arguments, checked (ratmem_check_unlink_args())
 *
 * Context: process context; may sleep. Takes ratmem_names.lock, then
 * (without it) the locks of ratmem_revoke_opens().
 * Return: 0 or a negative errno as documented in the uapi header.
 */
int ratmem_name_unlink(const struct ratmem_unlink *u)
{
	char name[RATMEM_NAME_MAX];
	struct ratmem_name *n;
	int ret;

	ratmem_names_reap();
	if (u->flags & RATMEM_UNLINK_BY_ID)
		return ratmem_unlink_by_id(u->region_id);
	ret = ratmem_name_copy(name, u->name);
	if (ret)
		return ret;

	mutex_lock(&ratmem_names.lock);
	n = ratmem_name_find(current_user_ns(), name);
	if (!n)
		ret = -ENOENT;
	else if (!ratmem_name_owned(n))
		ret = -EPERM;
	else
		ratmem_name_unhash(n);
	mutex_unlock(&ratmem_names.lock);
	if (ret)
		return ret;

	if (u->flags & RATMEM_UNLINK_REVOKE)
		ret = ratmem_revoke_opens(n->owner, n->owner->pid, true);
	ratmem_name_free(n);
	/* -EINTR: the name is gone; ratmem_wq finishes the interrupted sweep. */
	return ret < 0 ? ret : 0;
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
	xa_init(&ratmem_names.per_user);
	xa_init(&ratmem_names.per_ns);
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
	WARN_ON(!xa_empty(&ratmem_names.per_user));
	xa_destroy(&ratmem_names.per_user);
	WARN_ON(!xa_empty(&ratmem_names.per_ns));
	xa_destroy(&ratmem_names.per_ns);
	mutex_destroy(&ratmem_names.lock);
}
