/*
 * toml: reading a TOML document (pyproject.toml) with the tree-sitter TOML
 * grammar into a flat list of entries: each key path with its value and
 * line, tables and inline tables flattened, table headers recorded as
 * entries of type TOML_TABLE.
 */
#ifndef ASYNCMOD_TOML_H
#define ASYNCMOD_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "vec.h"

enum toml_type {
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOLEAN,
	TOML_ARRAY,
	TOML_TABLE,	/* a [table] header or an inline table */
	TOML_OTHER,	/* dates, arrays of tables */
};

struct toml_value {
	enum toml_type type;
	char *str;		/* TOML_STRING: the unescaped text, owned */
	long long integer;
	double number;		/* TOML_FLOAT, and TOML_INTEGER as a double */
	bool boolean;
	struct vec items;	/* TOML_ARRAY: struct toml_value */
	unsigned line;		/* 1-based */
};

struct toml_entry {
	char **path;		/* key parts, owned */
	size_t depth;
	struct toml_value value;
	unsigned line;
};

struct toml_doc {
	struct vec entries;	/* struct toml_entry, in document order */
};

/* Parses `text`. On a syntax error returns -1 with "NAME:LINE: ..." in
 * `err`. On success the caller releases `out` with toml_doc_release(). */
int toml_parse(struct toml_doc *out, const char *name, const char *text, size_t len,
	       struct err *err);
void toml_doc_release(struct toml_doc *doc);

/* True when the entry's path is exactly the `n` given parts. */
bool toml_path_is(const struct toml_entry *e, const char *const *parts, size_t n);
/* True when the entry's path starts with the `n` given parts. */
bool toml_path_under(const struct toml_entry *e, const char *const *parts, size_t n);

/* The name of a type, for messages ("a string", "an array"). */
const char *toml_type_name(enum toml_type t);

#endif
