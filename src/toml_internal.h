/*
 * toml_internal: what the TOML reader's three parts share: the reader's
 * state, the flags it keeps on tables and arrays, and the lexical layer
 * (toml_lex.c) and scalars (toml_scalar.c) that the tree builder
 * (toml.c) calls.
 */
#ifndef ASYNCMOD_TOML_INTERNAL_H
#define ASYNCMOD_TOML_INTERNAL_H

#include "toml.h"
#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

/* How a table or an array came to be, for the redefinition rules. */
enum {
	T_IMPLICIT = 1,	/* made by a [header]'s path, may still be defined once */
	T_EXPLICIT = 2,	/* defined by its own [header] or [[header]] */
	T_DOTTED = 4,	/* made by a dotted key, extended by dotted keys only */
	T_FROZEN = 8,	/* an inline table, or inside one: never extended */
	T_AOT = 16,	/* an array of tables made by [[header]] */
};

struct toml_index {
	size_t cap;	/* a power of two */
	size_t *slots;	/* member index + 1, 0 when empty */
};

struct keypart {
	char *s;	/* owned until handed to the tree */
	size_t len;
	size_t off;
	unsigned line, column;
};

struct parser {
	const char *name;
	const unsigned char *s;
	size_t len;
	size_t pos;
	struct err *err;
	/* line and column of `at`, moved forwards as positions are asked for */
	size_t at;
	unsigned line, column;
};

static inline int toml_peek(const struct parser *p, size_t k)
{
	return p->pos + k < p->len ? p->s[p->pos + k] : -1;
}

/* toml_lex.c: positions, errors, whitespace, comments, strings and keys.
 * Every function that fails returns -1 with "NAME:LINE:COLUMN: message"
 * in p->err. */
int toml_lex_fail(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void toml_lex_position(struct parser *p, size_t off, unsigned *line, unsigned *column);
int toml_lex_too_deep(struct parser *p, size_t off);
int toml_lex_unexpected(struct parser *p, const char *want);
int toml_lex_check_utf8(struct parser *p);
void toml_lex_skip_ws(struct parser *p);
int toml_lex_skip_comment(struct parser *p);
int toml_lex_newline(struct parser *p);
int toml_lex_skip_ws_nl(struct parser *p);
int toml_lex_string(struct parser *p, struct buf *b, bool multiline_ok);
bool toml_lex_bare_key_char(int c);
void toml_lex_parts_release(struct vec *parts);
int toml_lex_key(struct parser *p, struct vec *parts);

/* toml_scalar.c: numbers, dates and times. */
bool toml_scalar_char(int c);
int toml_scalar_parse(struct parser *p, struct toml_value *v);

#endif
