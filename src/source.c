/*
 * source: reading Python files and checking their encoding.
 *
 * Python reads a source file as UTF-8 unless a PEP 263 cookie on one of
 * the first two lines says otherwise. We only edit what we can round-trip
 * byte for byte, so any other declared encoding is refused rather than
 * guessed at.
 */
#include "source.h"
#include "fsio.h"
#include "buf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

size_t source_utf8_check(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

bool source_has_python_shebang(const char *head, size_t len)
{
	const char *nl;
	size_t n;

	if (len < 2 || head[0] != '#' || head[1] != '!')
		return false;
	nl = memchr(head, '\n', len);
	n = nl ? (size_t)(nl - head) : len;
	for (size_t i = 2; i + 6 <= n; i++)
		if (!memcmp(head + i, "python", 6))
			return true;
	return false;
}

/* Finds a PEP 263 cookie in one line: "#...coding[:=] name". Copies the
 * lower-cased name into `name` and returns true when there is one. */
static bool cookie_in_line(const char *line, size_t n, char *name, size_t cap)
{
	size_t i = 0, k;

	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f'))
		i++;
	if (i >= n || line[i] != '#')
		return false;
	for (; i + 7 <= n; i++) {
		if (memcmp(line + i, "coding", 6) || (line[i + 6] != ':' && line[i + 6] != '='))
			continue;
		i += 7;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		for (k = 0; i < n && k + 1 < cap &&
		     (isalnum((unsigned char)line[i]) || strchr("-_.", line[i])); i++)
			name[k++] = line[i] == '_' ? '-' : (char)tolower((unsigned char)line[i]);
		name[k] = '\0';
		return k > 0;
	}
	return false;
}

static int check_cookie(const char *path, const char *text, size_t len, bool *ascii,
			struct err *err)
{
	static const char *const utf8[] = { "utf-8", "utf8", "u8", "utf", "cp65001", NULL };
	static const char *const asc[] = { "ascii", "us-ascii", "646", NULL };
	size_t start = 0;
	char name[64];

	*ascii = false;
	for (int line = 0; line < 2 && start < len; line++) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t n = nl ? (size_t)(nl - (text + start)) : len - start;

		if (cookie_in_line(text + start, n, name, sizeof(name))) {
			for (int i = 0; utf8[i]; i++)
				if (!strcmp(name, utf8[i]) || !strncmp(name, "utf-8-", 6))
					return 0;
			for (int i = 0; asc[i]; i++)
				if (!strcmp(name, asc[i])) {
					*ascii = true;
					return 0;
				}
			return err_set(err, "%s: unsupported source encoding '%s' (only utf-8 and ascii are rewritten)",
				       path, name);
		}
		/* a cookie on line 2 counts only below a comment or blank line */
		{
			size_t i = 0;

			while (i < n && (text[start + i] == ' ' || text[start + i] == '\t' ||
					 text[start + i] == '\f' || text[start + i] == '\r'))
				i++;
			if (i < n && text[start + i] != '#')
				break;
		}
		if (!nl)
			break;
		start += n + 1;
	}
	return 0;
}

static void index_lines(struct source *src)
{
	size_t cap = 64, n = 0;
	uint32_t *lines = xmalloc(cap * sizeof(*lines));

	lines[n++] = 0;
	for (uint32_t i = 0; i < src->len; i++) {
		if (src->text[i] != '\n')
			continue;
		if (n == cap) {
			cap *= 2;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		lines[n++] = i + 1;
	}
	src->lines = lines;
	src->nlines = n;
}

int source_take(struct source *out, const char *path, char *data, size_t len, struct err *err)
{
	size_t bad, bom = 0;
	bool ascii;
	const char *nl;

	if (memchr(data, '\0', len)) {
		free(data);
		return err_set(err, "%s: binary file (it holds NUL bytes), skipped", path);
	}
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		bom = 3;
	if (check_cookie(path, data + bom, len - bom, &ascii, err) < 0) {
		free(data);
		return -1;
	}
	bad = source_utf8_check(data, len);
	if (bad < len) {
		size_t line = 1;

		for (size_t i = 0; i < bad; i++)
			line += data[i] == '\n';
		free(data);
		return err_set(err, "%s:%zu: invalid UTF-8 (byte offset %zu), skipped", path, line, bad);
	}
	if (ascii) {
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)data[i] >= 0x80) {
				free(data);
				return err_set(err, "%s: declared ascii but holds non-ASCII bytes, skipped", path);
			}
	}
	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	out->bytes = data;
	out->size = len;
	out->bom = bom;
	out->text = data + bom;
	out->len = (uint32_t)(len - bom);
	nl = memchr(out->text, '\n', out->len);
	out->newline = (nl && nl > out->text && nl[-1] == '\r') ? "\r\n" : "\n";
	if (!nl && memchr(out->text, '\r', out->len)) {
		/* old Mac line ends, which Python reads too: the rules see LF,
		 * and the fixed text gets its CRs back (source_restore_cr) */
		char *lf = xmalloc((size_t)out->len + 1);

		for (uint32_t i = 0; i < out->len; i++)
			lf[i] = out->text[i] == '\r' ? '\n' : out->text[i];
		lf[out->len] = '\0';
		out->text = out->cr_text = lf;
	}
	index_lines(out);
	return 0;
}

int source_from_bytes(struct source *out, const char *path, const char *data, size_t len,
		      struct err *err)
{
	char *copy;

	if (len > SOURCE_MAX_BYTES)
		return err_set(err, "%s: file too large (%zu bytes, the limit is %u), skipped", path,
			       len, SOURCE_MAX_BYTES);
	copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	return source_take(out, path, copy, len, err);
}

int source_load(struct source *out, const char *path, struct err *err)
{
	struct buf b = BUF_INIT;
	struct stat st;
	size_t len;

	if (fsio_read_regular(&b, &st, path, SOURCE_MAX_BYTES, err) < 0) {
		buf_release(&b);
		return -1;
	}
	len = b.len;
	if (source_take(out, path, buf_detach(&b), len, err) < 0)
		return -1;
	out->st = st;
	return 0;
}

void source_restore_cr(const struct source *src, char *text, size_t len)
{
	if (!src->cr_text)
		return;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			text[i] = '\r';
}

void source_release(struct source *src)
{
	free(src->cr_text);
	free(src->path);
	free(src->bytes);
	free(src->lines);
	memset(src, 0, sizeof(*src));
}

uint32_t source_line_start(const struct source *src, uint32_t off)
{
	size_t lo = 0, hi = src->nlines;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (src->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return src->lines[lo];
}

void source_position(const struct source *src, uint32_t off, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi = src->nlines;
	unsigned c = 1;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (src->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	for (uint32_t i = src->lines[lo]; i < off && i < src->len; i++)
		if (((unsigned char)src->text[i] & 0xc0) != 0x80)
			c++;
	*line = (unsigned)lo + 1;
	*col = c;
}
