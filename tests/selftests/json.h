/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON parser for the selftests that read ratmemctl --json:
 * the whole text becomes a tree of struct jv. Integers are kept exact
 * (64 bits); strings are decoded (escapes, \u with surrogate pairs,
 * to UTF-8).
 */
#ifndef RATMEM_SELFTEST_JSON_H
#define RATMEM_SELFTEST_JSON_H

#include <stdbool.h>
#include <stdint.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	bool b;			/* JV_BOOL */
	bool is_u64;		/* JV_NUM: a non-negative integer that fits */
	uint64_t u;		/* JV_NUM with is_u64 */
	double d;		/* JV_NUM */
	char *s;		/* JV_STR, NUL-terminated (may hold no NUL) */
	int n;			/* JV_ARR, JV_OBJ: items */
	struct jv **items;	/* JV_ARR, JV_OBJ */
	char **keys;		/* JV_OBJ */
};

/* Parse one document (blanks around it allowed). NULL on an error,
 * with a description in @err (may be NULL). */
struct jv *jv_parse(const char *text, const char **err);
void jv_free(struct jv *v);
/* The member @key of an object, NULL when absent or @obj not an object. */
const struct jv *jv_get(const struct jv *obj, const char *key);

/* Accessors that fail the test when the value is missing or of another
 * type. */
const struct jv *jv_obj(const struct jv *obj, const char *key);
const struct jv *jv_arr(const struct jv *obj, const char *key);
uint64_t jv_u64(const struct jv *obj, const char *key);
const char *jv_str(const struct jv *obj, const char *key);
bool jv_bool(const struct jv *obj, const char *key);
bool jv_is_null(const struct jv *obj, const char *key);
/* Whether the array @arr holds the string @s. */
bool jv_has_str(const struct jv *arr, const char *s);
/* Parse @text or fail the test, showing it. */
struct jv *jv_parse_ok(const char *text);

#endif
