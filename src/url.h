/*
 * url: the one reader of repository URLs, for everything that shows,
 * stores or connects to one.
 *
 * Two forms, as git reads them: `SCHEME://[USERINFO@]HOST/PATH` and the
 * scp-like `[USERINFO@]HOST:PATH` (a colon before any slash). The userinfo
 * is the credentials (`user`, `user:password`, or a lone token); it is
 * never shown (url_redact turns it into `***`) and never stored (a clone is
 * made from url_parse's `clean` URL, the credentials go through libgit2's
 * credential callback). Where it ends is chosen so that no part of a secret
 * is ever taken for the host:
 *   - with `://`, at the LAST `@` of the URL, so a password may hold `/`,
 *     `@`, `:`, `?` or `#` (an `@` in a path must then be written `%40`);
 *   - scp-like, at the last `@` followed by a host and a `:`, else at the
 *     last `@` before any `/`.
 * user and password are percent-decoded (`%40` is `@`); the password is
 * what follows the first `:` of the userinfo.
 */
#ifndef ASYNCMOD_URL_H
#define ASYNCMOD_URL_H

#include <stdbool.h>
#include <stddef.h>

struct url {
	bool remote;		/* `://` or scp-like: not a local path */
	bool scp;		/* the scp-like form */
	bool has_userinfo;	/* an `@` ends a userinfo (which may be empty) */
	size_t ui_start;	/* the userinfo is text[ui_start, ui_end) */
	size_t ui_end;		/* the index of the `@` that ends it */
	char *user;		/* percent-decoded, NULL without userinfo */
	char *password;		/* percent-decoded, NULL without a `:` in the userinfo */
	char *clean;		/* the URL without the userinfo and its `@` */
	char *display;		/* the URL with the userinfo shown as `***` */
};

/* True when `s` has the form of a URL (`://`, or a colon before any slash
 * with something before it), as git tells a URL from a
 * path. A caller that must honour an existing file of that name checks it
 * first, as git does. */
bool url_is_remote(const char *s);

/* Reads `s` (any text; it cannot fail). A local path has no userinfo:
 * clean and display are copies of it. Release with url_release. */
void url_parse(struct url *u, const char *s);
void url_release(struct url *u);

/* url_parse's display: a new string (free it). */
char *url_redact(const char *s);

/* `text` with every copy of the credentials of `url` replaced by `***`:
 * the userinfo as written (when it holds a password, or is eight bytes or
 * more), its decoded password of four bytes or more, and a decoded lone
 * user of eight bytes or more (a token); shorter pieces would be words of
 * the text. A new string (free it). */
char *url_redact_text(const char *text, const char *url);

#endif
