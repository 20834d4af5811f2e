/*
 * url: reading repository URLs, hiding and removing their credentials.
 */
#include "url.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

bool url_is_remote(const char *s)
{
	const char *colon = strchr(s, ':'), *slash = strchr(s, '/');

	if (strstr(s, "://"))
		return true;
	return colon && colon > s && (!slash || colon < slash);
}

/* The length of a valid scheme ending at `sep` (ALPHA *( ALPHA / DIGIT /
 * "+" / "-" / "." )), or 0. */
static size_t scheme_len(const char *s, const char *sep)
{
	if (sep == s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (const char *p = s; p < sep; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))
			return 0;
	return (size_t)(sep - s);
}

/* True when an scp-like host and its `:` start at `p`: `[...]:` or one or
 * more bytes other than `/`, `:` and `@`, then `:`. */
static bool host_colon_at(const char *p)
{
	if (*p == '[') {
		const char *close = strchr(p, ']');

		return close && close[1] == ':' && !memchr(p, '/', (size_t)(close - p));
	}
	if (*p == ':' || !*p)
		return false;
	p += strcspn(p, "/:@");
	return *p == ':';
}

/* `s[0, n)` with %XX decoded (a `%` not followed by two hex digits is
 * kept), as git decodes credentials. */
static char *decode(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n && (hi = hex_digit_value(s[i + 1])) >= 0 &&
		    (lo = hex_digit_value(s[i + 2])) >= 0) {
			buf_putc(&b, (char)(hi * 16 + lo));
			i += 2;
		} else {
			buf_putc(&b, s[i]);
		}
	}
	buf_putc(&b, '\0');
	b.len--;
	return buf_detach(&b);
}

void url_parse(struct url *u, const char *s)
{
	const char *sep = strstr(s, "://"), *at = NULL;
	struct buf b = BUF_INIT;

	memset(u, 0, sizeof(*u));
	u->remote = url_is_remote(s);
	if (u->remote && sep && scheme_len(s, sep)) {
		u->ui_start = (size_t)(sep + 3 - s);
		at = strrchr(sep + 3, '@');
	} else if (u->remote) {
		u->scp = !sep;
		/* the last `@` followed by a host and `:`, else the last `@` */
		for (const char *p = strchr(s, '@'); p; p = strchr(p + 1, '@'))
			if (host_colon_at(p + 1))
				at = p;
		/* else the last `@` before any `/` (one after a slash is in the path) */
		if (!at) {
			size_t head = strcspn(s, "/");

			for (const char *p = strchr(s, '@'); p && (size_t)(p - s) < head;
			     p = strchr(p + 1, '@'))
				at = p;
		}
	}
	if (at) {
		const char *colon;
		size_t n;

		u->has_userinfo = true;
		u->ui_end = (size_t)(at - s);
		n = u->ui_end - u->ui_start;
		colon = memchr(s + u->ui_start, ':', n);
		if (colon) {
			u->user = decode(s + u->ui_start, (size_t)(colon - (s + u->ui_start)));
			u->password = decode(colon + 1, (size_t)(at - colon - 1));
		} else {
			u->user = decode(s + u->ui_start, n);
		}
		buf_add(&b, s, u->ui_start);
		buf_puts(&b, at + 1);
		u->clean = buf_detach(&b);
		buf_add(&b, s, u->ui_start);
		buf_puts(&b, "***");
		buf_puts(&b, at);
		u->display = buf_detach(&b);
	} else {
		u->clean = xstrdup(s);
		u->display = xstrdup(s);
	}
}

void url_release(struct url *u)
{
	free(u->user);
	free(u->password);
	free(u->clean);
	free(u->display);
	memset(u, 0, sizeof(*u));
}

char *url_redact(const char *s)
{
	struct url u;
	char *out;

	url_parse(&u, s);
	out = u.display;
	u.display = NULL;
	url_release(&u);
	return out;
}

/* `text` with every copy of `needle` (n > 0 bytes) replaced by `***`. */
static char *replace_all(char *text, const char *needle, size_t n)
{
	struct buf b = BUF_INIT;
	const char *p = text, *hit;

	if (!n || !strstr(text, needle))
		return text;
	while ((hit = strstr(p, needle))) {
		buf_add(&b, p, (size_t)(hit - p));
		buf_puts(&b, "***");
		p = hit + n;
	}
	buf_puts(&b, p);
	free(text);
	return buf_detach(&b);
}

char *url_redact_text(const char *text, const char *url)
{
	struct url u;
	char *out = xstrdup(text);

	url_parse(&u, url);
	if (u.has_userinfo) {
		size_t n = u.ui_end - u.ui_start;
		char *raw = xmalloc(n + 1);

		memcpy(raw, url + u.ui_start, n);
		raw[n] = '\0';
		/* shorter pieces would be words of the text, not secrets */
		if (u.password || n >= 8)
			out = replace_all(out, raw, strlen(raw));
		free(raw);
		if (u.password && strlen(u.password) >= 4)
			out = replace_all(out, u.password, strlen(u.password));
		else if (!u.password && strlen(u.user) >= 8)
			out = replace_all(out, u.user, strlen(u.user));
	}
	url_release(&u);
	return out;
}
