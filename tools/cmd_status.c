// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl status (RATMEM_CMD_GET_STATUS) and ratmemctl version (the
 * RATMEM_IOC_API handshake on /dev/ratmem).
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include <linux/ratmem_genl.h>

#include "ctl.h"
#include "rat.h"

static void print_json(const struct status *s)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j);
	json_key(&j, "version");
	if (s->version[0])
		json_str(&j, s->version);
	else
		json_null(&j);
	json_key(&j, "abi_version");
	json_u64(&j, s->abi);
	json_key(&j, "features");
	json_bits(&j, feature_names, s->features);
	json_key(&j, "feature_bits");
	json_u64(&j, s->features);
	json_key(&j, "seq");
	if (s->has_seq)
		json_u64(&j, s->seq);
	else
		json_null(&j);
	json_key(&j, "counters");
	json_obj_open(&j);
	for (size_t i = 0; i < NSTATUS_COUNTERS; i++) {
		json_key(&j, status_counters[i].key);
		if (s->has[i])
			json_u64(&j, s->val[i]);
		else
			json_null(&j);
	}
	json_obj_close(&j);
	json_key(&j, "pools");
	json_arr_open(&j);
	for (size_t i = 0; i < s->npools; i++) {
		const struct status_pool *p = &s->pools[i];
		const char *keys[] = { "pages", "hits", "misses", "filled", "drained" };
		const uint64_t vals[] = { p->pages, p->hits, p->misses, p->filled, p->drained };

		json_obj_open(&j);
		json_key(&j, "node");
		json_u64(&j, p->node);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			json_key(&j, keys[k]);
			json_u64(&j, vals[k]);
		}
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
}

static void print_text(const struct status *s)
{
	uint64_t known = 0;

	printf("module version:     %s\n", s->version[0] ? s->version : "-");
	printf("module ABI version: %u\n", s->abi);
	printf("features:          ");
	for (size_t i = 0; feature_names[i].name; i++) {
		known |= feature_names[i].bit;
		if (s->features & feature_names[i].bit)
			printf(" %s", feature_names[i].name);
	}
	if (s->features & ~known)
		printf(" %#llx", (unsigned long long)(s->features & ~known));
	if (s->has_seq)
		printf("\nlast event:         %llu\n", (unsigned long long)s->seq);
	else
		printf("\nlast event:         -\n");
	for (size_t i = 0; i < NSTATUS_COUNTERS; i++) {
		char label[32];

		snprintf(label, sizeof(label), "%s:", status_counters[i].label);
		if (s->has[i])
			printf("%-19s %llu\n", label, (unsigned long long)s->val[i]);
		else
			printf("%-19s -\n", label);
	}
	for (size_t i = 0; i < s->npools; i++) {
		const struct status_pool *p = &s->pools[i];

		printf("pool node %-9u %llu ready, %llu hits, %llu misses, %llu filled, "
		       "%llu drained\n", p->node, (unsigned long long)p->pages,
		       (unsigned long long)p->hits, (unsigned long long)p->misses,
		       (unsigned long long)p->filled, (unsigned long long)p->drained);
	}
}

/*
 * A module from before RATMEM_FEATURE_EVENTS has no netlink family:
 * the version, ABI, features and the counters of RATMEM_IOC_STATS come
 * from /dev/ratmem instead (the contexts count includes ratmemctl's).
 */
static int status_from_device(const struct ctl *c)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	struct ratmem_stats st = { 0 };
	struct status s = { .seen = true };
	int fd = rat_open(), ret;

	if (fd < 0)
		return device_error("status", -fd);
	ret = rat_api(fd, &api);
	if (ret == 0)
		ret = rat_stats(fd, &st);
	rat_close(fd);
	if (ret < 0)
		return device_error("status", -ret);
	fprintf(stderr, "ratmemctl: the loaded module has no netlink family \"" RATMEM_GENL_NAME
		"\": status from /dev/" RATMEM_DEVICE_NAME " (ratmemctl's own context "
		"counted)\n");
	s.abi = api.abi_version;
	s.features = api.features;
	uint64_t v[] = { st.contexts, st.regions, st.handles, st.pages, st.mappings,
			 st.grants, st.names };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		s.has[i] = true;
		s.val[i] = v[i];
	}
	if (c->json)
		print_json(&s);
	else
		print_text(&s);
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_status(const struct ctl *c, int argc, char **argv)
{
	struct status s = { 0 };
	struct rnl n;
	int ret;

	if (argc > 1)
		return usage_error("status: unexpected argument '%s'", argv[1]);
	ret = rnl_open_quiet(&n, true);
	if (ret && n.missing)
		return status_from_device(c);
	if (ret)
		return ret;
	ret = status_fetch(&n, &s);
	rnl_close(&n);
	if (ret)
		return ret;
	if (c->json)
		print_json(&s);
	else
		print_text(&s);
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}

/* What a failed open or ioctl of /dev/ratmem means, as a message. */
int device_error(const char *what, int err)
{
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		return runtime_error("%s: /dev/" RATMEM_DEVICE_NAME ": %s (is the ratmem "
				     "module loaded? modprobe ratmem)", what, strerror(err));
	if (err == ENOTTY)
		return runtime_error("%s: the loaded ratmem module does not support it", what);
	return runtime_error("%s: %s", what, strerror(err));
}

int cmd_version(const struct ctl *c, int argc, char **argv)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };
	int fd, ret;

	if (argc > 1)
		return usage_error("version: unexpected argument '%s'", argv[1]);
	fd = rat_open();
	if (fd < 0)
		return device_error("version", -fd);
	ret = rat_api(fd, &api);
	rat_close(fd);
	if (ret < 0)
		return device_error("version", -ret);
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_open(&j);
		json_key(&j, "ratmemctl_version");
		json_str(&j, RATMEM_VERSION);
		json_key(&j, "ratmemctl_abi_version");
		json_u64(&j, RATMEM_ABI_VERSION);
		json_key(&j, "module_abi_version");
		json_u64(&j, api.abi_version);
		json_obj_close(&j);
		json_end(&j);
	} else {
		printf("ratmemctl version:     %s\n", RATMEM_VERSION);
		printf("ratmemctl ABI version: %d\n", RATMEM_ABI_VERSION);
		printf("module ABI version:    %u\n", api.abi_version);
	}
	return fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
}
