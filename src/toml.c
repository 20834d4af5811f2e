/*
 * toml: a hand-written recursive-descent reader for TOML 1.0.
 *
 * One pass over the bytes builds the tree. Every rule of the
 * specification's ABNF and of its prose (tables defined once, dotted keys
 * and inline tables not extended from elsewhere, arrays of tables only
 * appended by [[...]]) is checked as the text is read, and the first
 * breach stops the reading with its line and column. Recursion follows the
 * nesting of arrays and inline tables and is bounded by TREE_MAX_DEPTH, as
 * are key paths.
 */
#include "toml.h"
#include "buf.h"
#include "tree.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* vec_push growing from one element: most tables and arrays here are
 * small, and a hostile file may hold hundreds of thousands of them. */
static void *push(struct vec *v)
{
	void *item;

	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1;
		v->items = xrealloc(v->items, v->cap * v->size);
	}
	item = (char *)v->items + v->len++ * v->size;
	memset(item, 0, v->size);
	return item;
}

static int peek(const struct parser *p, size_t k)
{
	return p->pos + k < p->len ? p->s[p->pos + k] : -1;
}

static void position(struct parser *p, size_t off, unsigned *line, unsigned *column)
{
	if (off < p->at) {
		p->at = 0;
		p->line = 1;
		p->column = 1;
	}
	for (; p->at < off && p->at < p->len; p->at++) {
		unsigned char c = p->s[p->at];

		if (c == '\n') {
			p->line++;
			p->column = 1;
		} else if ((c & 0xc0) != 0x80) {
			p->column++;
		}
	}
	*line = p->line;
	*column = p->column;
}

static int fail_at(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *p, size_t off, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	unsigned line, column;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *c = msg; *c; c++)	/* keys quoted in messages may hold escapes */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	position(p, off, &line, &column);
	return err_set(p->err, "%s:%u:%u: %s", p->name, line, column, msg);
}

static int too_deep(struct parser *p, size_t off)
{
	return fail_at(p, off, "nested more than %u levels deep", TREE_MAX_DEPTH);
}

/* A character for a message: printable ASCII as itself, else its code. */
static const char *shown(int c, char *tmp, size_t n)
{
	if (c < 0)
		snprintf(tmp, n, "the end of the file");
	else if (c == '\n' || (c == '\r'))
		snprintf(tmp, n, "the end of the line");
	else if (c > 0x20 && c < 0x7f)
		snprintf(tmp, n, "'%c'", c);
	else
		snprintf(tmp, n, "character 0x%02x", (unsigned)c);
	return tmp;
}

static int unexpected(struct parser *p, const char *want)
{
	char tmp[32];

	if (peek(p, 0) == '\r' && peek(p, 1) != '\n')
		return fail_at(p, p->pos, "invalid TOML: expected %s, found a carriage return "
			       "without a line feed", want);
	return fail_at(p, p->pos, "invalid TOML: expected %s, found %s", want,
		       shown(peek(p, 0), tmp, sizeof(tmp)));
}

/* The whole text must be UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF). */
static int check_utf8(struct parser *p)
{
	const unsigned char *s = p->s;

	for (size_t i = 0; i < p->len;) {
		unsigned c = s[i], n, cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return fail_at(p, i, "invalid TOML: the file is not UTF-8");
		}
		for (unsigned k = 1; k <= n; k++) {
			if (i + k >= p->len || (s[i + k] & 0xc0) != 0x80)
				return fail_at(p, i, "invalid TOML: the file is not UTF-8");
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail_at(p, i, "invalid TOML: the file is not UTF-8");
		i += n + 1;
	}
	return 0;
}

static bool is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static void skip_ws(struct parser *p)
{
	while (peek(p, 0) == ' ' || peek(p, 0) == '\t')
		p->pos++;
}

/* Skips a comment, if one starts here, up to the end of its line. */
static int skip_comment(struct parser *p)
{
	if (peek(p, 0) != '#')
		return 0;
	for (p->pos++; p->pos < p->len; p->pos++) {
		int c = peek(p, 0);

		if (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
			break;
		if (is_control(c))
			return fail_at(p, p->pos, "invalid TOML: control character 0x%02x in a comment",
				       (unsigned)c);
	}
	return 0;
}

/* Consumes a line ending (LF or CRLF): 1 when there was one. */
static int newline(struct parser *p)
{
	if (peek(p, 0) == '\n') {
		p->pos++;
		return 1;
	}
	if (peek(p, 0) == '\r' && peek(p, 1) == '\n') {
		p->pos += 2;
		return 1;
	}
	return 0;
}

/* Whitespace, comments and line endings, as arrays allow between values. */
static int skip_ws_nl(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (skip_comment(p) < 0)
			return -1;
		if (!newline(p))
			return 0;
	}
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* An escape sequence at the backslash under `pos`. */
static int escape(struct parser *p, struct buf *b, bool multiline)
{
	size_t start = p->pos;
	int c = peek(p, 1);
	char simple = 0;

	switch (c) {
	case 'b': simple = '\b'; break;
	case 't': simple = '\t'; break;
	case 'n': simple = '\n'; break;
	case 'f': simple = '\f'; break;
	case 'r': simple = '\r'; break;
	case '"': simple = '"'; break;
	case '\\': simple = '\\'; break;
	}
	if (simple) {
		buf_putc(b, simple);
		p->pos += 2;
		return 0;
	}
	if (c == 'u' || c == 'U') {
		unsigned digits = c == 'u' ? 4 : 8;
		unsigned long cp = 0;

		for (unsigned i = 0; i < digits; i++) {
			int d = hex_digit(peek(p, 2 + i));

			if (d < 0)
				return fail_at(p, start, "invalid TOML: \\%c needs %u hex digits", c,
					       digits);
			cp = cp * 16 + (unsigned)d;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail_at(p, start, "invalid TOML: \\%c%.*s is not a Unicode scalar value",
				       c, (int)digits, (const char *)p->s + start + 2);
		put_utf8(b, cp);
		p->pos += 2 + digits;
		return 0;
	}
	if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
		/* a line-ending backslash: the line ending and the whitespace
		 * and line endings after it are dropped */
		p->pos++;
		skip_ws(p);
		if (!newline(p))
			return fail_at(p, start, "invalid TOML: only whitespace may follow a "
				       "line-ending backslash");
		for (;;) {
			skip_ws(p);
			if (!newline(p))
				return 0;
		}
	}
	if (c < 0 || c == '\n' || c == '\r')
		return fail_at(p, start, "invalid TOML: unterminated string");
	if (c > 0x20 && c < 0x7f)
		return fail_at(p, start, "invalid TOML: invalid escape '\\%c'", c);
	return fail_at(p, start, "invalid TOML: invalid escape in a string");
}

/* A string of any of the four kinds under `pos`; multi-line ones only
 * when `multiline_ok` (keys take one-line strings). */
static int parse_string(struct parser *p, struct buf *b, bool multiline_ok)
{
	size_t start = p->pos;
	int q = peek(p, 0);
	bool literal = q == '\'';

	if (peek(p, 1) == q && peek(p, 2) == q) {
		if (!multiline_ok)
			return fail_at(p, start, "invalid TOML: a key cannot be a multi-line string");
		p->pos += 3;
		newline(p);	/* a line ending right after the quotes is dropped */
		for (;;) {
			int c = peek(p, 0);

			if (c < 0)
				return fail_at(p, start, "invalid TOML: unterminated string");
			if (c == q) {
				size_t n = 0;

				while (peek(p, n) == q)
					n++;
				if (n >= 3) {
					if (n > 5)
						return fail_at(p, p->pos + 5, "invalid TOML: too many "
							       "quotes at the end of a string");
					buf_add(b, p->s + p->pos, n - 3);
					p->pos += n;
					return 0;
				}
				buf_add(b, p->s + p->pos, n);
				p->pos += n;
			} else if (c == '\\' && !literal) {
				if (escape(p, b, true) < 0)
					return -1;
			} else if (c == '\n' || (c == '\r' && peek(p, 1) == '\n')) {
				newline(p);
				buf_putc(b, '\n');
			} else if (is_control(c)) {
				return fail_at(p, p->pos, "invalid TOML: control character 0x%02x in "
					       "a string", (unsigned)c);
			} else {
				buf_putc(b, (char)c);
				p->pos++;
			}
		}
	}
	for (p->pos++;;) {
		int c = peek(p, 0);

		if (c < 0 || c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
			return fail_at(p, start, "invalid TOML: unterminated string");
		if (c == q) {
			p->pos++;
			return 0;
		}
		if (c == '\\' && !literal) {
			if (escape(p, b, false) < 0)
				return -1;
		} else if (is_control(c)) {
			return fail_at(p, p->pos, "invalid TOML: control character 0x%02x in a string",
				       (unsigned)c);
		} else {
			buf_putc(b, (char)c);
			p->pos++;
		}
	}
}

static bool bare_key_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static void parts_release(struct vec *parts)
{
	for (size_t i = 0; i < parts->len; i++)
		free(((struct keypart *)vec_at(parts, i))->s);
	vec_release(parts);
}

/* A key, bare, quoted or dotted, and the whitespace after it. */
static int parse_key(struct parser *p, struct vec *parts)
{
	for (;;) {
		struct buf b = BUF_INIT;
		size_t start;
		struct keypart *k;
		int c;

		skip_ws(p);
		start = p->pos;
		c = peek(p, 0);
		if (c == '"' || c == '\'') {
			if (parse_string(p, &b, false) < 0) {
				buf_release(&b);
				return -1;
			}
		} else if (bare_key_char(c)) {
			while (bare_key_char(peek(p, 0)))
				p->pos++;
			buf_add(&b, p->s + start, p->pos - start);
		} else {
			return unexpected(p, "a key");
		}
		if (parts->len >= TREE_MAX_DEPTH) {
			buf_release(&b);
			return too_deep(p, start);
		}
		k = vec_push(parts);
		k->len = b.len;
		k->s = buf_detach(&b);
		k->off = start;
		position(p, start, &k->line, &k->column);
		skip_ws(p);
		if (peek(p, 0) != '.')
			return 0;
		p->pos++;
	}
}

/* Tables: members in a vector, found through an open-addressing index. */

static size_t hash_key(const char *s, size_t len)
{
	size_t h = 1469598103934665603u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static void index_put(struct toml_index *ix, const struct toml_member *m, size_t i)
{
	size_t h = hash_key(m->key, m->key_len) & (ix->cap - 1);

	while (ix->slots[h])
		h = (h + 1) & (ix->cap - 1);
	ix->slots[h] = i + 1;
}

static struct toml_member *table_find(const struct toml_value *t, const char *key, size_t len)
{
	if (!t->index) {
		for (size_t i = 0; i < t->members.len; i++) {
			struct toml_member *m = vec_at(&t->members, i);

			if (m->key_len == len && !memcmp(m->key, key, len))
				return m;
		}
		return NULL;
	}
	for (size_t h = hash_key(key, len) & (t->index->cap - 1); t->index->slots[h];
	     h = (h + 1) & (t->index->cap - 1)) {
		struct toml_member *m = vec_at(&t->members, t->index->slots[h] - 1);

		if (m->key_len == len && !memcmp(m->key, key, len))
			return m;
	}
	return NULL;
}

/* Adds member `k` (taking its string) to table `t`; returns its value,
 * valid until the next member is added to `t`. */
static struct toml_value *table_add(struct toml_value *t, struct keypart *k)
{
	struct toml_member *m = push(&t->members);
	struct vec items = VEC_INIT(struct toml_value), members = VEC_INIT(struct toml_member);
	size_t n = t->members.len;

	m->key = k->s;
	m->key_len = k->len;
	k->s = NULL;
	m->value.items = items;
	m->value.members = members;
	if (n > 8 && (!t->index || n * 2 > t->index->cap)) {
		struct toml_index *ix = t->index ? t->index : xcalloc(1, sizeof(*ix));

		free(ix->slots);
		ix->cap = 32;
		while (ix->cap < n * 4)
			ix->cap *= 2;
		ix->slots = xcalloc(ix->cap, sizeof(size_t));
		t->index = ix;
		for (size_t i = 0; i < n; i++)
			index_put(ix, vec_at(&t->members, i), i);
	} else if (t->index) {
		index_put(t->index, m, n - 1);
	}
	return &m->value;
}

static void value_init(struct toml_value *v, enum toml_type type)
{
	struct vec items = VEC_INIT(struct toml_value), members = VEC_INIT(struct toml_member);

	memset(v, 0, sizeof(*v));
	v->type = type;
	v->items = items;
	v->members = members;
}

static void value_release(struct toml_value *v)
{
	free(v->str);
	for (size_t i = 0; i < v->items.len; i++)
		value_release(vec_at(&v->items, i));
	vec_release(&v->items);
	for (size_t i = 0; i < v->members.len; i++) {
		struct toml_member *m = vec_at(&v->members, i);

		free(m->key);
		value_release(&m->value);
	}
	vec_release(&v->members);
	if (v->index)
		free(v->index->slots);
	free(v->index);
}

static void set_position(struct parser *p, struct toml_value *v, size_t off)
{
	position(p, off, &v->line, &v->column);
}

static void key_position(struct toml_value *v, const struct keypart *k)
{
	v->line = k->line;
	v->column = k->column;
}

/* Marks an inline table and everything in it as closed to extension. */
static void freeze(struct toml_value *v)
{
	if (v->flags & T_FROZEN)
		return;
	v->flags |= T_FROZEN;
	for (size_t i = 0; i < v->items.len; i++)
		freeze(vec_at(&v->items, i));
	for (size_t i = 0; i < v->members.len; i++)
		freeze(&((struct toml_member *)vec_at(&v->members, i))->value);
}

static const char *kind(const struct toml_value *v)
{
	if (v->type == TOML_TABLE)
		return v->flags & T_FROZEN ? "an inline table" : "a table";
	if (v->type == TOML_ARRAY)
		return v->flags & T_AOT ? "an array of tables" : "an array";
	return "a value";
}

/* Numbers, dates and times. */

static bool digits_ok(const char *s, size_t n, int base)
{
	/* one or more digits of `base`, an underscore only between two digits */
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit((unsigned char)s[i]);

		if (s[i] == '_') {
			if (!i || i + 1 == n || s[i + 1] == '_')
				return false;
		} else if (d < 0 || d >= base) {
			return false;
		}
	}
	return true;
}

static int parse_integer(struct parser *p, struct toml_value *v, const char *t, size_t n,
			 size_t off)
{
	int base = 10;
	bool negative = false;
	unsigned long long acc = 0, limit;
	size_t i = 0;

	if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o' || t[1] == 'b')) {
		base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
		i = 2;
	} else if (t[0] == '+' || t[0] == '-') {
		negative = t[0] == '-';
		i = 1;
	}
	if (!digits_ok(t + i, n - i, base) ||
	    (base == 10 && t[i] == '0' && n - i > 1))	/* no leading zeros */
		return fail_at(p, off, "invalid TOML: invalid number '%.*s'", (int)n, t);
	limit = negative ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (t[i] == '_')
			continue;
		d = (unsigned)hex_digit((unsigned char)t[i]);
		if (acc > (limit - d) / (unsigned)base)
			return fail_at(p, off, "invalid TOML: integer '%.*s' does not fit in 64 bits",
				       (int)n, t);
		acc = acc * (unsigned)base + d;
	}
	v->type = TOML_INTEGER;
	v->integer = negative ? (long long)(0 - acc) : (long long)acc;
	v->number = (double)v->integer;
	return 0;
}

static int parse_float(struct parser *p, struct toml_value *v, const char *t, size_t n,
		       size_t off)
{
	size_t i = 0, j;
	struct buf b = BUF_INIT;

	if (t[0] == '+' || t[0] == '-')
		i = 1;
	/* the integer part: no leading zeros */
	for (j = i; j < n && t[j] != '.' && t[j] != 'e' && t[j] != 'E'; j++)
		;
	if (!digits_ok(t + i, j - i, 10) || (t[i] == '0' && j - i > 1))
		goto bad;
	if (j < n && t[j] == '.') {
		size_t k;

		for (k = ++j; k < n && t[k] != 'e' && t[k] != 'E'; k++)
			;
		if (!digits_ok(t + j, k - j, 10))
			goto bad;
		j = k;
	}
	if (j < n) {	/* an exponent */
		j++;
		if (j < n && (t[j] == '+' || t[j] == '-'))
			j++;
		if (!digits_ok(t + j, n - j, 10))
			goto bad;
	}
	for (i = 0; i < n; i++)
		if (t[i] != '_')
			buf_putc(&b, t[i]);
	v->type = TOML_FLOAT;
	v->number = strtod(buf_cstr(&b), NULL);
	buf_release(&b);
	return 0;
bad:
	return fail_at(p, off, "invalid TOML: invalid number '%.*s'", (int)n, t);
}

static bool two_digits(const char *s, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

static bool is_date(const char *t, size_t n)
{
	if (n < 10)
		return false;
	for (size_t i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? t[i] != '-' : (t[i] < '0' || t[i] > '9'))
			return false;
	return true;
}

/* HH:MM:SS(.fraction) at `t`; the length read, 0 when invalid. */
static size_t parse_time(const char *t, size_t n)
{
	int h, m, s;
	size_t i = 8;

	if (n < 8 || !two_digits(t, &h) || t[2] != ':' || !two_digits(t + 3, &m) ||
	    t[5] != ':' || !two_digits(t + 6, &s) || h > 23 || m > 59 || s > 60)
		return 0;
	if (i < n && t[i] == '.') {
		size_t d = strspn(t + i + 1, "0123456789");

		if (!d || i + 1 + d > n)
			return 0;
		i += 1 + d;
	}
	return i;
}

static int parse_datetime(struct parser *p, struct toml_value *v, const char *t, size_t n,
			  size_t off)
{
	char *s = xstrndup(t, n);
	size_t i = 0, k;

	if (is_date(s, n)) {
		int y = atoi(s), mo = 0, d = 0, h, mi;
		static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

		two_digits(s + 5, &mo);
		two_digits(s + 8, &d);
		if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] ||
		    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
			goto bad;
		if (n == 10) {
			v->type = TOML_DATE_LOCAL;
			goto done;
		}
		if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
			goto bad;
		s[10] = 'T';
		if (!(k = parse_time(s + 11, n - 11)))
			goto bad;
		i = 11 + k;
		if (i == n) {
			v->type = TOML_DATETIME_LOCAL;
			goto done;
		}
		if (s[i] == 'Z' || s[i] == 'z') {
			s[i] = 'Z';
			if (i + 1 != n)
				goto bad;
		} else if ((s[i] != '+' && s[i] != '-') || n - i != 6 || !two_digits(s + i + 1, &h) ||
			   s[i + 3] != ':' || !two_digits(s + i + 4, &mi) || h > 23 || mi > 59) {
			goto bad;
		}
		v->type = TOML_DATETIME;
		goto done;
	}
	if ((k = parse_time(s, n)) && k == n) {
		v->type = TOML_TIME_LOCAL;
		goto done;
	}
bad:
	free(s);
	return fail_at(p, off, "invalid TOML: invalid date or time '%.*s'", (int)n, t);
done:
	v->str = s;
	v->len = n;
	return 0;
}

static bool scalar_char(int c)
{
	return bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

/* A number, a date or a time: the run of characters they may hold. */
static int parse_scalar(struct parser *p, struct toml_value *v)
{
	size_t start = p->pos, n;
	const char *t = (const char *)p->s + start;

	while (scalar_char(peek(p, 0)))
		p->pos++;
	n = p->pos - start;
	/* a date, a space and a time: one value */
	if (n == 10 && is_date(t, n) && peek(p, 0) == ' ' && peek(p, 1) >= '0' &&
	    peek(p, 1) <= '9') {
		for (p->pos++; scalar_char(peek(p, 0));)
			p->pos++;
		n = p->pos - start;
	}
	if (!n)
		return unexpected(p, "a value");
	if (is_date(t, n) || (n > 2 && t[2] == ':'))
		return parse_datetime(p, v, t, n, start);
	if (n - (t[0] == '+' || t[0] == '-') == 3 &&
	    (!memcmp(t + n - 3, "inf", 3) || !memcmp(t + n - 3, "nan", 3))) {
		v->type = TOML_FLOAT;
		v->number = t[n - 1] == 'f' ? (double)INFINITY : (double)NAN;
		if (t[0] == '-')
			v->number = -v->number;
		return 0;
	}
	if (n > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o' || t[1] == 'b'))
		return parse_integer(p, v, t, n, start);
	if (memchr(t, '.', n) || memchr(t, 'e', n) || memchr(t, 'E', n))
		return parse_float(p, v, t, n, start);
	return parse_integer(p, v, t, n, start);
}

static int parse_keyval(struct parser *p, struct toml_value *table, size_t depth);

static int parse_value(struct parser *p, struct toml_value *v, size_t depth)
{
	size_t start = p->pos;
	int c = peek(p, 0);

	value_init(v, TOML_STRING);
	set_position(p, v, start);
	if (c == '"' || c == '\'') {
		struct buf b = BUF_INIT;

		if (parse_string(p, &b, true) < 0) {
			buf_release(&b);
			return -1;
		}
		v->len = b.len;
		v->str = buf_detach(&b);
		return 0;
	}
	if ((c == '[' || c == '{') && depth >= TREE_MAX_DEPTH)
		return too_deep(p, start);
	if (c == '[') {
		v->type = TOML_ARRAY;
		p->pos++;
		for (;;) {
			struct toml_value item;

			if (skip_ws_nl(p) < 0)
				return -1;
			if (peek(p, 0) == ']')
				break;
			if (parse_value(p, &item, depth + 1) < 0) {
				value_release(&item);
				return -1;
			}
			*(struct toml_value *)push(&v->items) = item;
			if (skip_ws_nl(p) < 0)
				return -1;
			if (peek(p, 0) == ',')
				p->pos++;
			else if (peek(p, 0) != ']')
				return unexpected(p, "',' or ']' in an array");
		}
		p->pos++;
		return 0;
	}
	if (c == '{') {
		v->type = TOML_TABLE;
		p->pos++;
		skip_ws(p);
		if (peek(p, 0) == '}') {
			p->pos++;
			freeze(v);
			return 0;
		}
		for (;;) {
			if (parse_keyval(p, v, depth + 1) < 0)
				return -1;
			skip_ws(p);
			if (peek(p, 0) == '}')
				break;
			if (peek(p, 0) != ',')
				return unexpected(p, "',' or '}' in an inline table (on one line)");
			p->pos++;
			skip_ws(p);
			if (peek(p, 0) == '}')
				return fail_at(p, p->pos, "invalid TOML: a trailing comma is not "
					       "allowed in an inline table");
		}
		p->pos++;
		freeze(v);
		return 0;
	}
	if (c == 't' || c == 'f') {
		const char *word = c == 't' ? "true" : "false";
		size_t n = strlen(word);

		if (p->pos + n <= p->len && !memcmp(p->s + p->pos, word, n) &&
		    !scalar_char(peek(p, n))) {
			v->type = TOML_BOOLEAN;
			v->boolean = c == 't';
			p->pos += n;
			return 0;
		}
	}
	if (scalar_char(c))
		return parse_scalar(p, v);
	return unexpected(p, "a value");
}

/* `key = value` into `table`, whose depth is `depth`. */
static int parse_keyval(struct parser *p, struct toml_value *table, size_t depth)
{
	struct vec parts = VEC_INIT(struct keypart);
	struct toml_value *t = table, v, *slot;
	struct keypart *last;

	if (parse_key(p, &parts) < 0)
		goto fail;
	if (peek(p, 0) != '=') {
		unexpected(p, "'=' after a key");
		goto fail;
	}
	p->pos++;
	skip_ws(p);
	for (size_t i = 0; i + 1 < parts.len; i++) {
		struct keypart *k = vec_at(&parts, i);
		struct toml_member *m = table_find(t, k->s, k->len);

		if (depth + i + 1 >= TREE_MAX_DEPTH) {
			too_deep(p, k->off);
			goto fail;
		}
		if (!m) {
			struct toml_value *sub = table_add(t, k);

			value_init(sub, TOML_TABLE);
			sub->flags = T_DOTTED;
			key_position(sub, k);
			t = sub;
		} else if (m->value.type == TOML_TABLE && (m->value.flags & T_DOTTED) &&
			   !(m->value.flags & T_FROZEN)) {
			t = &m->value;
		} else {
			fail_at(p, k->off, "invalid TOML: cannot add keys to %s defined elsewhere "
				"('%s')", kind(&m->value), m->key);
			goto fail;
		}
	}
	last = vec_at(&parts, parts.len - 1);
	if (table_find(t, last->s, last->len)) {
		fail_at(p, last->off, "invalid TOML: duplicate key '%s'", last->s);
		goto fail;
	}
	if (parse_value(p, &v, depth + parts.len) < 0) {
		value_release(&v);
		goto fail;
	}
	v.flags &= T_FROZEN;	/* arrays made by a value are never arrays of tables */
	slot = table_add(t, last);
	*slot = v;
	key_position(slot, vec_at(&parts, 0));
	parts_release(&parts);
	return 0;
fail:
	parts_release(&parts);
	return -1;
}

/* A [table] or [[array of tables]] header: the table it opens. */
static int parse_header(struct parser *p, struct toml_value *root, struct toml_value **out,
			size_t *out_depth)
{
	struct vec parts = VEC_INIT(struct keypart);
	size_t start = p->pos, depth = 0;
	bool aot = peek(p, 1) == '[';
	struct toml_value *t = root;
	struct keypart *last;
	struct toml_member *m;
	struct keypart here = { NULL, 0, start, 0, 0 };

	position(p, start, &here.line, &here.column);
	p->pos += aot ? 2 : 1;
	if (parse_key(p, &parts) < 0)
		goto fail;
	if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']')) {
		unexpected(p, aot ? "']]' after a table name" : "']' after a table name");
		goto fail;
	}
	p->pos += aot ? 2 : 1;
	for (size_t i = 0; i + 1 < parts.len; i++) {
		struct keypart *k = vec_at(&parts, i);

		m = table_find(t, k->s, k->len);
		if (++depth >= TREE_MAX_DEPTH) {
			too_deep(p, k->off);
			goto fail;
		}
		if (!m) {
			struct toml_value *sub = table_add(t, k);

			value_init(sub, TOML_TABLE);
			sub->flags = T_IMPLICIT;
			key_position(sub, &here);
			t = sub;
		} else if (m->value.type == TOML_TABLE && !(m->value.flags & T_FROZEN)) {
			t = &m->value;
		} else if (m->value.type == TOML_ARRAY && (m->value.flags & T_AOT)) {
			t = vec_at(&m->value.items, m->value.items.len - 1);
			depth++;
		} else {
			fail_at(p, k->off, "invalid TOML: '%s' is %s, it cannot hold a table", m->key,
				kind(&m->value));
			goto fail;
		}
	}
	last = vec_at(&parts, parts.len - 1);
	m = table_find(t, last->s, last->len);
	if (++depth + 1 >= TREE_MAX_DEPTH) {
		too_deep(p, last->off);
		goto fail;
	}
	if (aot) {
		struct toml_value *arr, *elem;

		if (!m) {
			arr = table_add(t, last);
			value_init(arr, TOML_ARRAY);
			arr->flags = T_AOT;
			key_position(arr, &here);
		} else if (m->value.type == TOML_ARRAY && (m->value.flags & T_AOT)) {
			arr = &m->value;
		} else {
			fail_at(p, start, "invalid TOML: '%s' is already %s, not an array of tables",
				m->key, kind(&m->value));
			goto fail;
		}
		elem = push(&arr->items);
		value_init(elem, TOML_TABLE);
		elem->flags = T_EXPLICIT;
		key_position(elem, &here);
		*out = elem;
		depth++;
	} else if (!m) {
		struct toml_value *sub = table_add(t, last);

		value_init(sub, TOML_TABLE);
		sub->flags = T_EXPLICIT;
		key_position(sub, &here);
		*out = sub;
	} else if (m->value.type == TOML_TABLE && m->value.flags == T_IMPLICIT) {
		m->value.flags = T_EXPLICIT;
		key_position(&m->value, &here);
		*out = &m->value;
	} else {
		fail_at(p, start, "invalid TOML: '%s' is already defined as %s", m->key,
			kind(&m->value));
		goto fail;
	}
	*out_depth = depth;
	parts_release(&parts);
	return 0;
fail:
	parts_release(&parts);
	return -1;
}

static int parse_document(struct parser *p, struct toml_value *root)
{
	struct toml_value *current = root;
	size_t depth = 0;

	if (p->len >= 3 && !memcmp(p->s, "\xef\xbb\xbf", 3))
		p->pos = 3;	/* a byte order mark */
	while (p->pos < p->len) {
		skip_ws(p);
		if (skip_comment(p) < 0)
			return -1;
		if (p->pos >= p->len)
			break;
		if (newline(p))
			continue;
		if (peek(p, 0) == '[') {
			if (parse_header(p, root, &current, &depth) < 0)
				return -1;
		} else if (parse_keyval(p, current, depth) < 0) {
			return -1;
		}
		skip_ws(p);
		if (skip_comment(p) < 0)
			return -1;
		if (p->pos < p->len && !newline(p))
			return unexpected(p, "the end of the line");
	}
	return 0;
}

/* The flat view: an entry per key path of up to TOML_ENTRY_MAX_DEPTH parts. */
static void flatten(struct toml_doc *doc, const struct toml_value *table, const char **path,
		    size_t depth)
{
	if (depth >= TOML_ENTRY_MAX_DEPTH)
		return;
	for (size_t i = 0; i < table->members.len; i++) {
		const struct toml_member *m = vec_at(&table->members, i);
		struct toml_entry *e = vec_push(&doc->entries);

		path[depth] = m->key;
		e->depth = depth + 1;
		e->path = xcalloc(depth + 1, sizeof(char *));
		memcpy(e->path, path, (depth + 1) * sizeof(char *));
		e->value = m->value;
		e->line = m->value.line;
		if (m->value.type == TOML_TABLE)
			flatten(doc, &m->value, path, depth + 1);
	}
}

int toml_parse(struct toml_doc *out, const char *name, const char *text, size_t len,
	       struct err *err)
{
	struct vec entries = VEC_INIT(struct toml_entry);
	struct parser p = { name, (const unsigned char *)text, len, 0, err, 0, 1, 1 };
	const char *path[TOML_ENTRY_MAX_DEPTH];

	memset(out, 0, sizeof(*out));
	value_init(&out->root, TOML_TABLE);
	out->root.line = 1;
	out->root.column = 1;
	out->entries = entries;
	if (check_utf8(&p) < 0 || parse_document(&p, &out->root) < 0) {
		value_release(&out->root);
		return -1;
	}
	flatten(out, &out->root, path, 0);
	return 0;
}

void toml_doc_release(struct toml_doc *doc)
{
	for (size_t i = 0; i < doc->entries.len; i++)
		free(((struct toml_entry *)vec_at(&doc->entries, i))->path);
	vec_release(&doc->entries);
	value_release(&doc->root);
}

const struct toml_value *toml_get(const struct toml_value *table, const char *key)
{
	const struct toml_member *m;

	if (!table || table->type != TOML_TABLE)
		return NULL;
	m = table_find(table, key, strlen(key));
	return m ? &m->value : NULL;
}

bool toml_path_under(const struct toml_entry *e, const char *const *parts, size_t n)
{
	if (e->depth < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(e->path[i], parts[i]))
			return false;
	return true;
}

bool toml_path_is(const struct toml_entry *e, const char *const *parts, size_t n)
{
	return e->depth == n && toml_path_under(e, parts, n);
}

const char *toml_type_name(enum toml_type t)
{
	switch (t) {
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOLEAN: return "a boolean";
	case TOML_ARRAY: return "an array";
	case TOML_TABLE: return "a table";
	case TOML_DATETIME: return "a date-time";
	case TOML_DATETIME_LOCAL: return "a local date-time";
	case TOML_DATE_LOCAL: return "a date";
	case TOML_TIME_LOCAL: return "a time";
	default: return "another kind of value";
	}
}
