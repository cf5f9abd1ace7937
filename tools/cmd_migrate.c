// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl migrate NAME --node N [--lazy] [--offset BYTES] [--length
 * BYTES]: move the resident pages of a named region to a NUMA node
 * (RATMEM_IOC_MIGRATE), now or, with --lazy, each on its next fault.
 * The region is opened by name with the write right, which MIGRATE
 * needs; without --length the range runs to the end of the region.
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "rat.h"

/* 4 KiB: the unit of struct ratmem_migrate.pages. */
#define PAGE_4K 4096ULL

struct migrate_args {
	const char *name;
	int node;		/* -1 until given */
	bool lazy;
	uint64_t offset;
	uint64_t length;	/* 0: to the end of the region */
};

static int parse_args(const struct ctl *c, int argc, char **argv, struct migrate_args *a)
{
	if (argc > 2)
		return usage_error("migrate: unexpected argument '%s'", argv[2]);
	if (argc < 2)
		return usage_error("migrate: give the NAME of a region (ratmemctl migrate NAME "
				   "--node N)");
	a->name = argv[1];
	a->lazy = c->lazy;
	if (!c->node)
		return usage_error("migrate: --node N is required");
	if (!parse_node(c->node, &a->node))
		return usage_error("migrate: bad node '%s' (a node id, 0 to %u)", c->node,
				   RATMEM_NODES_MAX - 1);
	if (c->offset && !parse_bytes(c->offset, &a->offset))
		return usage_error("migrate: bad offset '%s' (bytes: a number with an optional "
				   "K, M, G or T suffix)", c->offset);
	if (c->length && !parse_bytes(c->length, &a->length))
		return usage_error("migrate: bad length '%s' (bytes: a number with an optional "
				   "K, M, G or T suffix)", c->length);
	return 0;
}

/* What a failed NAMED_OPEN means here. */
static int open_error(const char *name, int err)
{
	if (err == ENOENT)
		return runtime_error("migrate: no region named '%s' (in this user namespace)", name);
	if (err == EACCES)
		return runtime_error("migrate: permission denied: the mode of '%s' does not let "
				     "you write to it, which migrating needs", name);
	if (err == EPERM)
		return runtime_error("migrate: region '%s' does not allow writing, which "
				     "migrating needs", name);
	if (err == EINVAL || err == ENAMETOOLONG)
		return runtime_error("migrate: '%s' is not a region name (1 to %d characters of "
				     "A-Z a-z 0-9 . _ -, not starting with '.')", name,
				     RATMEM_NAME_MAX - 1);
	return device_error("migrate", err);
}

static int migrate_error(const struct migrate_args *a, int err)
{
	if (err == EINVAL)
		return runtime_error("migrate: node %d is not online", a->node);
	if (err == ENOMEM)
		return runtime_error("migrate: node %d has too little free memory (the pages "
				     "that fitted were moved)", a->node);
	if (err == ENOLINK)
		return runtime_error("migrate: access to '%s' was revoked meanwhile", a->name);
	return device_error("migrate", err);
}

static void print_result(const struct ctl *c, const struct migrate_args *a,
			 const struct ratmem_query *q, const struct ratmem_migrate *m)
{
	char bytes[24];

	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_open(&j);
		json_key(&j, "name");
		json_str(&j, a->name);
		json_key(&j, "region_id");
		json_u64(&j, q->region_id);
		json_key(&j, "node");
		json_u64(&j, (uint64_t)a->node);
		json_key(&j, "lazy");
		json_bool(&j, a->lazy);
		json_key(&j, "offset");
		json_u64(&j, m->offset);
		json_key(&j, "length");
		json_u64(&j, m->length);
		json_key(&j, "pages");
		json_u64(&j, m->pages);
		json_obj_close(&j);
		json_end(&j);
		return;
	}
	fmt_size(bytes, sizeof(bytes), m->pages * PAGE_4K, c->bytes);
	if (a->lazy)
		printf("marked %llu pages (%s) of %s for node %d: each moves on its next fault\n",
		       (unsigned long long)m->pages, bytes, a->name, a->node);
	else
		printf("moved %llu pages (%s) of %s to node %d\n", (unsigned long long)m->pages,
		       bytes, a->name, a->node);
}

/* Check the range against the region, migrate it and print the result. */
static int migrate_handle(const struct ctl *c, const struct migrate_args *a, int fd,
			  uint32_t handle)
{
	struct ratmem_query q = { .handle = handle };
	struct ratmem_migrate m = { .handle = handle, .node = a->node };
	char b1[24], b2[24];
	uint64_t page;
	int ret;

	ret = rat_query(fd, &q);
	if (ret < 0)
		return device_error("migrate", -ret);
	if (a->offset >= q.size)
		return runtime_error("migrate: offset %s is past the end of %s (%s)",
				     fmt_bytes(b1, sizeof(b1), a->offset), a->name,
				     fmt_bytes(b2, sizeof(b2), q.size));
	m.offset = a->offset;
	m.length = a->length ? a->length : q.size - a->offset;
	if (m.length > q.size - m.offset)
		return runtime_error("migrate: the range runs past the end of %s (%s)", a->name,
				     fmt_bytes(b2, sizeof(b2), q.size));
	page = q.page_shift < 64 ? 1ULL << q.page_shift : 0;
	if (!page || m.offset % page || m.length % page)
		return runtime_error("migrate: the offset and length must be multiples of the "
				     "page size of %s (%s)", a->name,
				     fmt_bytes(b1, sizeof(b1), page));
	m.flags = a->lazy ? RATMEM_MIGRATE_LAZY : 0;
	ret = rat_migrate(fd, &m);
	if (ret < 0)
		return migrate_error(a, -ret);
	print_result(c, a, &q, &m);
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_migrate(const struct ctl *c, int argc, char **argv)
{
	struct migrate_args a = { .node = -1 };
	uint32_t handle;
	int fd, ret;

	ret = parse_args(c, argc, argv, &a);
	if (ret)
		return ret;
	fd = rat_open();
	if (fd < 0)
		return device_error("migrate", -fd);
	/* An opened handle never carries the owner capability: MIGRATE
	 * takes the write right then. Nothing is mapped: no MAP or READ. */
	ret = rat_open_named(fd, a.name, RATMEM_RIGHT_WRITE, &handle);
	if (ret < 0) {
		rat_close(fd);
		return open_error(a.name, -ret);
	}
	ret = migrate_handle(c, &a, fd, handle);
	rat_close_handle(fd, handle);
	rat_close(fd);
	return ret;
}
