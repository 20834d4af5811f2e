/*
 * paths: paths made absolute, normalized, and relative to a folder.
 */
#include "paths.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

/* Rewrites a path in place without `.` segments, repeated slashes, and
 * `..` segments that follow a name. Leading `..` of a relative path stay. */
void paths_normalize(struct buf *path)
{
	struct buf out = BUF_INIT;
	const char *p = buf_cstr(path);
	bool absolute = *p == '/';
	size_t floor = absolute ? 1 : 0;	/* `..` cannot go above this */

	if (absolute)
		buf_putc(&out, '/');
	while (*p) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') || !n) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.' && out.len > floor) {
			while (out.len > floor && out.ptr[out.len - 1] != '/')
				out.len--;
			if (out.len > floor)
				out.len--;
			out.ptr[out.len] = '\0';
		} else if (n == 2 && p[0] == '.' && p[1] == '.' && absolute) {
			/* `/..` is `/` */
		} else {
			if (out.len && out.ptr[out.len - 1] != '/')
				buf_putc(&out, '/');
			buf_add(&out, p, n);
			if (n == 2 && p[0] == '.' && p[1] == '.')
				floor = out.len;
		}
		p += n;
		if (*p)
			p++;
	}
	buf_clear(path);
	buf_puts(path, buf_cstr(&out));
	buf_release(&out);
}

/* `path` made absolute (against the working folder) and normalized. */
void paths_absolute(struct buf *out, const char *path)
{
	char here[PATH_MAX];

	buf_clear(out);
	if (path[0] != '/' && getcwd(here, sizeof(here)))
		buf_printf(out, "%s/", here);
	buf_puts(out, path);
	paths_normalize(out);
}

/* `path` relative to the folder `top` (absolute; NULL: the working
 * folder) when it is below it, with `*below` set; else absolute. */
void paths_from_top(struct buf *out, const char *path, const char *top, bool *below)
{
	struct buf abs = BUF_INIT, base = BUF_INIT;
	char here[PATH_MAX];
	const char *p;

	paths_absolute(&abs, path);
	p = buf_cstr(&abs);
	if (top)
		buf_puts(&base, top);
	else if (getcwd(here, sizeof(here)))
		buf_puts(&base, here);
	paths_normalize(&base);
	buf_clear(out);
	if (p[0] != '/') {
		/* no working folder to resolve it against: keep it */
		*below = strcmp(p, "..") && strncmp(p, "../", 3);
		buf_puts(out, p);
	} else if (base.len == 1 && base.ptr[0] == '/') {
		*below = true;
		buf_puts(out, p + 1);
	} else if (base.len > 1 && !strncmp(p, base.ptr, base.len) && p[base.len] == '/') {
		*below = true;
		buf_puts(out, p + base.len + 1);
	} else {
		*below = false;
		buf_puts(out, p);
	}
	buf_release(&abs);
	buf_release(&base);
}
