/*
 * toml: a strict TOML 1.0 reader for pyproject.toml.
 *
 * toml_parse reads a whole document into a tree (`root`, a table) and
 * refuses anything TOML 1.0 does not allow (invalid UTF-8, control
 * characters, bad escapes, duplicate keys and tables, integers outside 64
 * bits, impossible dates...) with "NAME:LINE:COLUMN: message". For readers
 * that only look a few keys deep, `entries` lists every key path of up to
 * TOML_ENTRY_MAX_DEPTH parts with its value, tables included.
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
	TOML_TABLE,		/* a [table], an inline table or a dotted key's table */
	TOML_OTHER,		/* not produced any more; kept for callers */
	TOML_DATETIME,		/* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL,	/* 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,	/* 1979-05-27 */
	TOML_TIME_LOCAL,	/* 07:32:00 */
};

/* Entries deeper than this many key parts are only in the tree. */
#define TOML_ENTRY_MAX_DEPTH 16

struct toml_index;

struct toml_value {
	enum toml_type type;
	/* TOML_STRING: the unescaped text (may hold NUL bytes, see len);
	 * dates and times: the text as written with 'T' and 'Z' upper-case
	 * and a space between date and time written 'T'. Owned. */
	char *str;
	size_t len;
	long long integer;
	double number;		/* TOML_FLOAT, and TOML_INTEGER as a double */
	bool boolean;
	struct vec items;	/* TOML_ARRAY: struct toml_value */
	struct vec members;	/* TOML_TABLE: struct toml_member, in order of definition */
	unsigned line;		/* 1-based, where the value (a table: its key) starts */
	unsigned column;	/* 1-based, in characters */
	unsigned flags;		/* the reader's own bookkeeping */
	struct toml_index *index;	/* the reader's own: members by key */
};

struct toml_member {
	char *key;		/* owned, NUL-terminated (may hold NUL bytes, see key_len) */
	size_t key_len;
	struct toml_value value;
};

struct toml_entry {
	char **path;		/* key parts; the array is owned, the strings belong to the tree */
	size_t depth;
	struct toml_value value;	/* a shallow copy of the tree's value */
	unsigned line;
};

struct toml_doc {
	struct toml_value root;	/* a TOML_TABLE */
	struct vec entries;	/* struct toml_entry, tables before what they hold */
};

/* Parses `text` (`len` bytes, need not end in NUL). On invalid TOML
 * returns -1 with "NAME:LINE:COLUMN: message" in `err`. On success the
 * caller releases `out` with toml_doc_release(). */
int toml_parse(struct toml_doc *out, const char *name, const char *text, size_t len,
	       struct err *err);
void toml_doc_release(struct toml_doc *doc);

/* The member `key` of a table, or NULL (also when `table` is NULL or not a table). */
const struct toml_value *toml_get(const struct toml_value *table, const char *key);

/* True when the entry's path is exactly the `n` given parts. */
bool toml_path_is(const struct toml_entry *e, const char *const *parts, size_t n);
/* True when the entry's path starts with the `n` given parts. */
bool toml_path_under(const struct toml_entry *e, const char *const *parts, size_t n);

/* The name of a type, for messages ("a string", "an array"). */
const char *toml_type_name(enum toml_type t);

#endif
