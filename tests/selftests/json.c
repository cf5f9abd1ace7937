// SPDX-License-Identifier: GPL-2.0
/* A small recursive-descent JSON parser for the selftests (json.h). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "json.h"

#define JV_MAX_DEPTH 64

struct jp {
	const char *p;
	const char *err;
	int depth;
};

static struct jv *jv_new(enum jv_type t)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (!v)
		rt_fail(__FILE__, __LINE__, "out of memory");
	v->type = t;
	return v;
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (int i = 0; i < v->n; i++) {
		jv_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	free(v);
}

static void blanks(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static struct jv *fail(struct jp *j, const char *why, struct jv *partial)
{
	if (!j->err)
		j->err = why;
	jv_free(partial);
	return NULL;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string at j->p (on its opening quote); returns it malloc'd. */
static char *string(struct jp *j)
{
	const char *p = j->p + 1;
	/* Decoded text is never longer than the source. */
	char *out = malloc(strlen(p) + 1), *o = out;

	if (!out)
		rt_fail(__FILE__, __LINE__, "out of memory");
	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			break;
		if (c == '\0' || c < 0x20) {
			j->err = c ? "control character in a string" : "unterminated string";
			free(out);
			return NULL;
		}
		if (c != '\\') {
			*o++ = (char)c;
			p++;
			continue;
		}
		p++;
		switch (*p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			int hi = hex4(p + 1), lo;
			unsigned long cp;

			if (hi < 0)
				goto bad_escape;
			p += 4;
			cp = (unsigned long)hi;
			if (hi >= 0xd800 && hi < 0xdc00) {
				if (p[1] != '\\' || p[2] != 'u')
					goto bad_escape;
				lo = hex4(p + 3);
				if (lo < 0xdc00 || lo >= 0xe000)
					goto bad_escape;
				p += 6;
				cp = 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
				     ((unsigned long)lo - 0xdc00);
			} else if (hi >= 0xdc00 && hi < 0xe000) {
				goto bad_escape;
			}
			o += put_utf8(o, cp);
			break;
		}
		default:
			goto bad_escape;
		}
		p++;
	}
	*o = '\0';
	j->p = p + 1;
	return out;
bad_escape:
	j->err = "bad escape in a string";
	free(out);
	return NULL;
}

static struct jv *number(struct jp *j)
{
	const char *p = j->p, *start = p;
	struct jv *v = jv_new(JV_NUM);
	bool integer = true, neg = false;
	uint64_t u = 0;
	bool overflow = false;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		for (; *p >= '0' && *p <= '9'; p++) {
			unsigned int d = (unsigned int)(*p - '0');

			if (u > (UINT64_MAX - d) / 10)
				overflow = true;
			else
				u = u * 10 + d;
		}
	} else {
		return fail(j, "bad number", v);
	}
	if (*p == '.') {
		integer = false;
		p++;
		if (*p < '0' || *p > '9')
			return fail(j, "bad number", v);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		integer = false;
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return fail(j, "bad number", v);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	v->d = strtod(start, NULL);
	v->is_u64 = integer && !neg && !overflow;
	v->u = v->is_u64 ? u : 0;
	j->p = p;
	return v;
}

static struct jv *value(struct jp *j);

static void append(struct jv *v, char *key, struct jv *item)
{
	v->items = realloc(v->items, sizeof(*v->items) * (size_t)(v->n + 1));
	if (!v->items)
		rt_fail(__FILE__, __LINE__, "out of memory");
	if (v->type == JV_OBJ) {
		v->keys = realloc(v->keys, sizeof(*v->keys) * (size_t)(v->n + 1));
		if (!v->keys)
			rt_fail(__FILE__, __LINE__, "out of memory");
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
}

/* An array or object at j->p (on its opening bracket). */
static struct jv *container(struct jp *j, bool obj)
{
	struct jv *v = jv_new(obj ? JV_OBJ : JV_ARR);
	char close = obj ? '}' : ']';

	if (++j->depth > JV_MAX_DEPTH)
		return fail(j, "nested too deep", v);
	j->p++;
	blanks(j);
	if (*j->p == close) {
		j->p++;
		j->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jv *item;

		blanks(j);
		if (obj) {
			if (*j->p != '"')
				return fail(j, "object key is not a string", v);
			key = string(j);
			if (!key)
				return fail(j, "bad key", v);
			blanks(j);
			if (*j->p != ':') {
				free(key);
				return fail(j, "':' missing after a key", v);
			}
			j->p++;
		}
		item = value(j);
		if (!item) {
			free(key);
			return fail(j, "bad value", v);
		}
		append(v, key, item);
		blanks(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			j->depth--;
			return v;
		}
		return fail(j, obj ? "',' or '}' expected" : "',' or ']' expected", v);
	}
}

static struct jv *literal(struct jp *j, const char *word, enum jv_type t, bool b)
{
	struct jv *v;

	if (strncmp(j->p, word, strlen(word)))
		return fail(j, "unknown literal", NULL);
	j->p += strlen(word);
	v = jv_new(t);
	v->b = b;
	return v;
}

static struct jv *value(struct jp *j)
{
	struct jv *v;

	blanks(j);
	switch (*j->p) {
	case '{':
		return container(j, true);
	case '[':
		return container(j, false);
	case '"':
		v = jv_new(JV_STR);
		v->s = string(j);
		return v->s ? v : fail(j, "bad string", v);
	case 't':
		return literal(j, "true", JV_BOOL, true);
	case 'f':
		return literal(j, "false", JV_BOOL, false);
	case 'n':
		return literal(j, "null", JV_NULL, false);
	default:
		return number(j);
	}
}

struct jv *jv_parse(const char *text, const char **err)
{
	struct jp j = { .p = text };
	struct jv *v = value(&j);

	if (v) {
		blanks(&j);
		if (*j.p) {
			jv_free(v);
			v = NULL;
			j.err = "text after the document";
		}
	}
	if (err)
		*err = j.err;
	return v;
}

struct jv *jv_parse_ok(const char *text)
{
	const char *err = NULL;
	struct jv *v = jv_parse(text, &err);

	if (!v)
		rt_fail(__FILE__, __LINE__, "not JSON (%s): %s", err, text);
	return v;
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	if (!obj || obj->type != JV_OBJ)
		return NULL;
	for (int i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

static const struct jv *member(const struct jv *obj, const char *key, enum jv_type t)
{
	const struct jv *v = jv_get(obj, key);

	if (!v)
		rt_fail(__FILE__, __LINE__, "JSON member \"%s\" is missing", key);
	if (v->type != t)
		rt_fail(__FILE__, __LINE__, "JSON member \"%s\" has type %d, expected %d", key,
			(int)v->type, (int)t);
	return v;
}

const struct jv *jv_obj(const struct jv *obj, const char *key)
{
	return member(obj, key, JV_OBJ);
}

const struct jv *jv_arr(const struct jv *obj, const char *key)
{
	return member(obj, key, JV_ARR);
}

uint64_t jv_u64(const struct jv *obj, const char *key)
{
	const struct jv *v = member(obj, key, JV_NUM);

	if (!v->is_u64)
		rt_fail(__FILE__, __LINE__, "JSON member \"%s\" is %g, not a 64-bit count", key,
			v->d);
	return v->u;
}

const char *jv_str(const struct jv *obj, const char *key)
{
	return member(obj, key, JV_STR)->s;
}

bool jv_bool(const struct jv *obj, const char *key)
{
	return member(obj, key, JV_BOOL)->b;
}

bool jv_is_null(const struct jv *obj, const char *key)
{
	const struct jv *v = jv_get(obj, key);

	if (!v)
		rt_fail(__FILE__, __LINE__, "JSON member \"%s\" is missing", key);
	return v->type == JV_NULL;
}

bool jv_has_str(const struct jv *arr, const char *s)
{
	if (!arr || arr->type != JV_ARR)
		return false;
	for (int i = 0; i < arr->n; i++)
		if (arr->items[i]->type == JV_STR && !strcmp(arr->items[i]->s, s))
			return true;
	return false;
}
