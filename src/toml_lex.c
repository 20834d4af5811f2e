/*
 * toml_lex: the TOML reader's lexical layer: line and column of an
 * offset, error messages, UTF-8, whitespace, comments and line endings,
 * the four kinds of strings with their escapes, and keys (bare, quoted,
 * dotted).
 */
#include "toml_internal.h"
#include "tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void toml_lex_position(struct parser *p, size_t off, unsigned *line, unsigned *column)
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

int toml_lex_fail(struct parser *p, size_t off, const char *fmt, ...)
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
	toml_lex_position(p, off, &line, &column);
	return err_set(p->err, "%s:%u:%u: %s", p->name, line, column, msg);
}

int toml_lex_too_deep(struct parser *p, size_t off)
{
	return toml_lex_fail(p, off, "nested more than %u levels deep", TREE_MAX_DEPTH);
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

int toml_lex_unexpected(struct parser *p, const char *want)
{
	char tmp[32];

	if (toml_peek(p, 0) == '\r' && toml_peek(p, 1) != '\n')
		return toml_lex_fail(p, p->pos, "invalid TOML: expected %s, found a carriage return "
			       "without a line feed", want);
	return toml_lex_fail(p, p->pos, "invalid TOML: expected %s, found %s", want,
		       shown(toml_peek(p, 0), tmp, sizeof(tmp)));
}

/* The whole text must be UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF). */
int toml_lex_check_utf8(struct parser *p)
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
			return toml_lex_fail(p, i, "invalid TOML: the file is not UTF-8");
		}
		for (unsigned k = 1; k <= n; k++) {
			if (i + k >= p->len || (s[i + k] & 0xc0) != 0x80)
				return toml_lex_fail(p, i, "invalid TOML: the file is not UTF-8");
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return toml_lex_fail(p, i, "invalid TOML: the file is not UTF-8");
		i += n + 1;
	}
	return 0;
}

static bool is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

void toml_lex_skip_ws(struct parser *p)
{
	while (toml_peek(p, 0) == ' ' || toml_peek(p, 0) == '\t')
		p->pos++;
}

/* Skips a comment, if one starts here, up to the end of its line. */
int toml_lex_skip_comment(struct parser *p)
{
	if (toml_peek(p, 0) != '#')
		return 0;
	for (p->pos++; p->pos < p->len; p->pos++) {
		int c = toml_peek(p, 0);

		if (c == '\n' || (c == '\r' && toml_peek(p, 1) == '\n'))
			break;
		if (is_control(c))
			return toml_lex_fail(p, p->pos, "invalid TOML: control character 0x%02x in a comment",
				       (unsigned)c);
	}
	return 0;
}

/* Consumes a line ending (LF or CRLF): 1 when there was one. */
int toml_lex_newline(struct parser *p)
{
	if (toml_peek(p, 0) == '\n') {
		p->pos++;
		return 1;
	}
	if (toml_peek(p, 0) == '\r' && toml_peek(p, 1) == '\n') {
		p->pos += 2;
		return 1;
	}
	return 0;
}

/* Whitespace, comments and line endings, as arrays allow between values. */
int toml_lex_skip_ws_nl(struct parser *p)
{
	for (;;) {
		toml_lex_skip_ws(p);
		if (toml_lex_skip_comment(p) < 0)
			return -1;
		if (!toml_lex_newline(p))
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

/* An escape sequence at the backslash under `pos`. */
static int escape(struct parser *p, struct buf *b, bool multiline)
{
	size_t start = p->pos;
	int c = toml_peek(p, 1);
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
			int d = hex_digit_value(toml_peek(p, 2 + i));

			if (d < 0)
				return toml_lex_fail(p, start, "invalid TOML: \\%c needs %u hex digits", c,
					       digits);
			cp = cp * 16 + (unsigned)d;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return toml_lex_fail(p, start, "invalid TOML: \\%c%.*s is not a Unicode scalar value",
				       c, (int)digits, (const char *)p->s + start + 2);
		put_utf8(b, cp);
		p->pos += 2 + digits;
		return 0;
	}
	if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
		/* a line-ending backslash: the line ending and the whitespace
		 * and line endings after it are dropped */
		p->pos++;
		toml_lex_skip_ws(p);
		if (!toml_lex_newline(p))
			return toml_lex_fail(p, start, "invalid TOML: only whitespace may follow a "
				       "line-ending backslash");
		for (;;) {
			toml_lex_skip_ws(p);
			if (!toml_lex_newline(p))
				return 0;
		}
	}
	if (c < 0 || c == '\n' || c == '\r')
		return toml_lex_fail(p, start, "invalid TOML: unterminated string");
	if (c > 0x20 && c < 0x7f)
		return toml_lex_fail(p, start, "invalid TOML: invalid escape '\\%c'", c);
	return toml_lex_fail(p, start, "invalid TOML: invalid escape in a string");
}

/* A string of any of the four kinds under `pos`; multi-line ones only
 * when `multiline_ok` (keys take one-line strings). */
int toml_lex_string(struct parser *p, struct buf *b, bool multiline_ok)
{
	size_t start = p->pos;
	int q = toml_peek(p, 0);
	bool literal = q == '\'';

	if (toml_peek(p, 1) == q && toml_peek(p, 2) == q) {
		if (!multiline_ok)
			return toml_lex_fail(p, start, "invalid TOML: a key cannot be a multi-line string");
		p->pos += 3;
		toml_lex_newline(p);	/* a line ending right after the quotes is dropped */
		for (;;) {
			int c = toml_peek(p, 0);

			if (c < 0)
				return toml_lex_fail(p, start, "invalid TOML: unterminated string");
			if (c == q) {
				size_t n = 0;

				while (toml_peek(p, n) == q)
					n++;
				if (n >= 3) {
					if (n > 5)
						return toml_lex_fail(p, p->pos + 5, "invalid TOML: too many "
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
			} else if (c == '\n' || (c == '\r' && toml_peek(p, 1) == '\n')) {
				toml_lex_newline(p);
				buf_putc(b, '\n');
			} else if (is_control(c)) {
				return toml_lex_fail(p, p->pos, "invalid TOML: control character 0x%02x in "
					       "a string", (unsigned)c);
			} else {
				buf_putc(b, (char)c);
				p->pos++;
			}
		}
	}
	for (p->pos++;;) {
		int c = toml_peek(p, 0);

		if (c < 0 || c == '\n' || (c == '\r' && toml_peek(p, 1) == '\n'))
			return toml_lex_fail(p, start, "invalid TOML: unterminated string");
		if (c == q) {
			p->pos++;
			return 0;
		}
		if (c == '\\' && !literal) {
			if (escape(p, b, false) < 0)
				return -1;
		} else if (is_control(c)) {
			return toml_lex_fail(p, p->pos, "invalid TOML: control character 0x%02x in a string",
				       (unsigned)c);
		} else {
			buf_putc(b, (char)c);
			p->pos++;
		}
	}
}

bool toml_lex_bare_key_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

void toml_lex_parts_release(struct vec *parts)
{
	for (size_t i = 0; i < parts->len; i++)
		free(((struct keypart *)vec_at(parts, i))->s);
	vec_release(parts);
}

/* A key, bare, quoted or dotted, and the whitespace after it. */
int toml_lex_key(struct parser *p, struct vec *parts)
{
	for (;;) {
		struct buf b = BUF_INIT;
		size_t start;
		struct keypart *k;
		int c;

		toml_lex_skip_ws(p);
		start = p->pos;
		c = toml_peek(p, 0);
		if (c == '"' || c == '\'') {
			if (toml_lex_string(p, &b, false) < 0) {
				buf_release(&b);
				return -1;
			}
		} else if (toml_lex_bare_key_char(c)) {
			while (toml_lex_bare_key_char(toml_peek(p, 0)))
				p->pos++;
			buf_add(&b, p->s + start, p->pos - start);
		} else {
			return toml_lex_unexpected(p, "a key");
		}
		if (parts->len >= TREE_MAX_DEPTH) {
			buf_release(&b);
			return toml_lex_too_deep(p, start);
		}
		k = vec_push(parts);
		k->len = b.len;
		k->s = buf_detach(&b);
		k->off = start;
		toml_lex_position(p, start, &k->line, &k->column);
		toml_lex_skip_ws(p);
		if (toml_peek(p, 0) != '.')
			return 0;
		p->pos++;
	}
}
