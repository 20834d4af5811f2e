/*
 * fuzz_url: libFuzzer target over the URL reader (src/url.c).
 *
 * The input (up to its first NUL) is a manifest's repository. Oracles:
 *   - what is shown is the input with exactly the userinfo replaced by
 *     `***`, and what is cloned is the input without the userinfo and its
 *     `@` (so no byte of the userinfo is in either but by coincidence);
 *   - reading what is shown again shows the same, and finds no userinfo
 *     there but the `***` (none when `***@z` is no URL form any more);
 *   - url_redact_text, given a text naming the URL, lets no byte of a
 *     password through (when it does not also stand outside the userinfo,
 *     and the percent-decoding left it as written).
 */
#include "../src/url.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* True when `needle` (n bytes) occurs in `hay`. */
static bool has(const char *hay, const char *needle, size_t n)
{
	return n && memmem(hay, strlen(hay), needle, n) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *prefix, *suffix;
	struct url u, again;
	size_t n;

	memcpy(s, data, size);
	s[size] = '\0';
	url_parse(&u, s);
	if (!u.has_userinfo) {
		if (strcmp(u.display, s) || strcmp(u.clean, s) || u.user || u.password)
			abort();
		url_release(&u);
		free(s);
		return 0;
	}
	if (!u.remote || u.ui_start > u.ui_end || u.ui_end >= strlen(s) || s[u.ui_end] != '@' ||
	    !u.user)
		abort();
	n = u.ui_end - u.ui_start;
	prefix = strndup(s, u.ui_start);
	suffix = strdup(s + u.ui_end + 1);
	/* shown: PREFIX***@SUFFIX; cloned: PREFIXSUFFIX */
	if (strncmp(u.display, prefix, u.ui_start) || strncmp(u.display + u.ui_start, "***@", 4) ||
	    strcmp(u.display + u.ui_start + 4, suffix))
		abort();
	if (strncmp(u.clean, prefix, u.ui_start) || strcmp(u.clean + u.ui_start, suffix))
		abort();
	/* idempotent on what it shows */
	url_parse(&again, u.display);
	if (strcmp(again.display, u.display) ||
	    (again.has_userinfo &&
	     (again.ui_start != u.ui_start || again.ui_end != u.ui_start + 3)))
		abort();
	url_release(&again);
	/* no byte of a password in a text that names the URL once */
	if (u.password && strlen(u.password) >= 4 && n == strlen(u.password) + 1 + strlen(u.user) &&
	    !has(prefix, u.password, strlen(u.password)) &&
	    !has(suffix, u.password, strlen(u.password)) && !strchr(u.password, '*') &&
	    !strchr(u.password, '@')) {
		char *text = url_redact_text(s, s);

		if (has(text, u.password, strlen(u.password)))
			abort();
		free(text);
	}
	free(prefix);
	free(suffix);
	url_release(&u);
	free(s);
	return 0;
}
