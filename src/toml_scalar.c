/*
 * toml_scalar: TOML's unquoted values other than booleans: integers
 * (decimal, hex, octal, binary, with underscores), floats (inf and nan
 * too) and the four kinds of dates and times, each checked as TOML 1.0
 * says.
 */
#include "toml_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool digits_ok(const char *s, size_t n, int base)
{
	/* one or more digits of `base`, an underscore only between two digits */
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit_value((unsigned char)s[i]);

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
		return toml_lex_fail(p, off, "invalid TOML: invalid number '%.*s'", (int)n, t);
	limit = negative ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (t[i] == '_')
			continue;
		d = (unsigned)hex_digit_value((unsigned char)t[i]);
		if (acc > (limit - d) / (unsigned)base)
			return toml_lex_fail(p, off, "invalid TOML: integer '%.*s' does not fit in 64 bits",
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
	return toml_lex_fail(p, off, "invalid TOML: invalid number '%.*s'", (int)n, t);
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
	return toml_lex_fail(p, off, "invalid TOML: invalid date or time '%.*s'", (int)n, t);
done:
	v->str = s;
	v->len = n;
	return 0;
}

bool toml_scalar_char(int c)
{
	return toml_lex_bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

/* A number, a date or a time: the run of characters they may hold. */
int toml_scalar_parse(struct parser *p, struct toml_value *v)
{
	size_t start = p->pos, n;
	const char *t = (const char *)p->s + start;

	while (toml_scalar_char(toml_peek(p, 0)))
		p->pos++;
	n = p->pos - start;
	/* a date, a space and a time: one value */
	if (n == 10 && is_date(t, n) && toml_peek(p, 0) == ' ' && toml_peek(p, 1) >= '0' &&
	    toml_peek(p, 1) <= '9') {
		for (p->pos++; toml_scalar_char(toml_peek(p, 0));)
			p->pos++;
		n = p->pos - start;
	}
	if (!n)
		return toml_lex_unexpected(p, "a value");
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
