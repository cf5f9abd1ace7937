// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl: a streaming JSON writer. Values are written as they come;
 * the writer only remembers, per nesting level, whether a comma is due.
 * Output is compact: one document per line.
 */
#include <stdlib.h>

#include <linux/ratmem.h>

#include "ctl.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* Before any value or key: the comma that separates it from the last. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
}

static void open_level(struct json *j, char c)
{
	sep(j);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct json *j, char c)
{
	fputc(c, j->out);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_open(struct json *j)
{
	open_level(j, '{');
}

void json_obj_close(struct json *j)
{
	close_level(j, '}');
}

void json_arr_open(struct json *j)
{
	open_level(j, '[');
}

void json_arr_close(struct json *j)
{
	close_level(j, ']');
}

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void json_key(struct json *j, const char *key)
{
	sep(j);
	put_string(j->out, key);
	fputc(':', j->out);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	put_string(j->out, s);
}

void json_u64(struct json *j, uint64_t v)
{
	sep(j);
	fprintf(j->out, "%llu", (unsigned long long)v);
}

void json_rate(struct json *j, double v)
{
	sep(j);
	fprintf(j->out, "%.1f", v);
}

void json_raw(struct json *j, const char *text)
{
	sep(j);
	fputs(text, j->out);
}

void json_bool(struct json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	sep(j);
	fputs("null", j->out);
}

void json_hex64(struct json *j, uint64_t v)
{
	char buf[17];

	snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)v);
	json_str(j, buf);
}

void json_bits(struct json *j, const struct name_bit *names, uint64_t v)
{
	json_arr_open(j);
	for (; names->name; names++)
		if (v & names->bit)
			json_str(j, names->name);
	json_arr_close(j);
}

void json_end(struct json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* {"reserved":N,...} for usage, with null for RATMEM_LIMIT_NONE limits. */
static void res_object(struct json *j, const uint64_t *v, bool limits)
{
	json_obj_open(j);
	for (int res = 0; res < RATMEM_RES_COUNT; res++) {
		json_key(j, resource_name(res));
		if (limits && v[res] == RATMEM_LIMIT_NONE)
			json_null(j);
		else
			json_u64(j, v[res]);
	}
	json_obj_close(j);
}

void json_usage_limits(struct json *j, const uint64_t *usage, const uint64_t *limit)
{
	json_key(j, "usage");
	res_object(j, usage, false);
	json_key(j, "limits");
	res_object(j, limit, true);
}

struct json *json_cell_open(struct json_cell *c)
{
	c->buf = NULL;
	c->len = 0;
	c->mem = open_memstream(&c->buf, &c->len);
	if (!c->mem) {
		fputs("ratmemctl: out of memory\n", stderr);
		exit(EXIT_RUNTIME);
	}
	json_init(&c->j, c->mem);
	return &c->j;
}

char *json_cell_close(struct json_cell *c)
{
	char *text;

	if (fclose(c->mem) || !c->buf) {
		fputs("ratmemctl: out of memory\n", stderr);
		exit(EXIT_RUNTIME);
	}
	text = c->buf;
	c->buf = NULL;
	c->mem = NULL;
	return text;
}
