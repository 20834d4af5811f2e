/*
 * lsp_text: open documents, their edits, and position conversion.
 */
#include "buf.h"
#include "lsp_text.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void lsp_lines_init(struct lsp_lines *l, const char *text, size_t len)
{
	l->text = text;
	l->len = len;
	l->starts = (struct vec)VEC_INIT(size_t);
	*(size_t *)vec_push(&l->starts) = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		if (text[i] == '\r' || text[i] == '\n')
			*(size_t *)vec_push(&l->starts) = i + 1;
	}
}

void lsp_lines_release(struct lsp_lines *l)
{
	vec_release(&l->starts);
}

/* The length in bytes of the character at `s` (at most `n` bytes there),
 * and its size in code units of `enc`. Invalid UTF-8 counts byte by byte. */
static size_t char_at(const unsigned char *s, size_t n, enum lsp_encoding enc, unsigned *units)
{
	size_t len = 1;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	if (len > n)
		len = 1;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			len = 1;
	*units = enc == LSP_UTF8 ? (unsigned)len : enc == LSP_UTF16 && len == 4 ? 2 : 1;
	return len;
}

/* The end of the line starting at `start`: its line break, or the text's end. */
static size_t line_end(const struct lsp_lines *l, size_t start)
{
	size_t e = start;

	while (e < l->len && l->text[e] != '\n' && l->text[e] != '\r')
		e++;
	return e;
}

size_t lsp_lines_offset(const struct lsp_lines *l, int64_t line, int64_t character,
			enum lsp_encoding enc)
{
	size_t pos, end;
	int64_t u = 0;

	if (line < 0)
		return 0;
	if ((uint64_t)line >= l->starts.len)
		return l->len;
	pos = *(size_t *)vec_at(&l->starts, (size_t)line);
	end = line_end(l, pos);
	while (pos < end && u < character) {
		unsigned units;
		size_t n = char_at((const unsigned char *)l->text + pos, end - pos, enc, &units);

		if (u + units > character)
			break;	/* inside the character: its start */
		u += units;
		pos += n;
	}
	return pos;
}

json_object *lsp_lines_position(const struct lsp_lines *l, size_t off, enum lsp_encoding enc)
{
	size_t lo = 0, hi = l->starts.len, start, end;
	int64_t u = 0;
	json_object *o = json_object_new_object();

	if (off > l->len)
		off = l->len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (*(size_t *)vec_at(&l->starts, mid) <= off)
			lo = mid;
		else
			hi = mid;
	}
	start = *(size_t *)vec_at(&l->starts, lo);
	end = line_end(l, start);
	if (off < end)
		end = off;
	for (size_t pos = start; pos < end;) {
		unsigned units;

		pos += char_at((const unsigned char *)l->text + pos, end - pos, enc, &units);
		u += units;
	}
	json_object_object_add(o, "line", json_object_new_int64((int64_t)lo));
	json_object_object_add(o, "character", json_object_new_int64(u));
	return o;
}

json_object *lsp_lines_range(const struct lsp_lines *l, size_t start, size_t end,
			     enum lsp_encoding enc)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "start", lsp_lines_position(l, start, enc));
	json_object_object_add(r, "end", lsp_lines_position(l, end, enc));
	return r;
}

/* A uinteger member `key` of `o`. */
static int get_uint(json_object *o, const char *key, int64_t *v, struct err *err)
{
	json_object *m;

	if (!json_object_object_get_ex(o, key, &m) || !json_object_is_type(m, json_type_int))
		return err_set(err, "'%s' must be an integer", key);
	*v = json_object_get_int64(m);
	if (*v < 0)
		return err_set(err, "'%s' must not be negative", key);
	return 0;
}

int lsp_position_parse(json_object *pos, int64_t *line, int64_t *character, struct err *err)
{
	if (!json_object_is_type(pos, json_type_object))
		return err_set(err, "a position must be an object");
	if (get_uint(pos, "line", line, err) < 0 || get_uint(pos, "character", character, err) < 0)
		return -1;
	return 0;
}

int lsp_range_parse(json_object *range, const struct lsp_lines *l, enum lsp_encoding enc,
		    size_t *start, size_t *end, struct err *err)
{
	json_object *s, *e;
	int64_t sl, sc, el, ec;

	if (!json_object_is_type(range, json_type_object) ||
	    !json_object_object_get_ex(range, "start", &s) ||
	    !json_object_object_get_ex(range, "end", &e))
		return err_set(err, "a range must be an object with start and end");
	if (lsp_position_parse(s, &sl, &sc, err) < 0 || lsp_position_parse(e, &el, &ec, err) < 0)
		return -1;
	*start = lsp_lines_offset(l, sl, sc, enc);
	*end = lsp_lines_offset(l, el, ec, enc);
	if (*end < *start)
		return err_set(err, "a range must not end before it starts");
	return 0;
}

int lsp_doc_change(struct lsp_doc *d, json_object *change, enum lsp_encoding enc,
		   struct err *err)
{
	json_object *text, *range;
	const char *t;
	size_t tlen, start, end;
	struct lsp_lines lines;
	struct buf next = BUF_INIT;
	int rc;

	if (!json_object_is_type(change, json_type_object) ||
	    !json_object_object_get_ex(change, "text", &text) ||
	    !json_object_is_type(text, json_type_string))
		return err_set(err, "a content change must be an object with a text");
	t = json_object_get_string(text);
	tlen = (size_t)json_object_get_string_len(text);
	if (!json_object_object_get_ex(change, "range", &range) ||
	    json_object_is_type(range, json_type_null)) {
		buf_clear(&d->text);
		buf_add(&d->text, t, tlen);
		d->lost = false;
		return 0;
	}
	lsp_lines_init(&lines, d->text.ptr ? d->text.ptr : "", d->text.len);
	rc = lsp_range_parse(range, &lines, enc, &start, &end, err);
	lsp_lines_release(&lines);
	if (rc < 0)
		return -1;
	buf_add(&next, d->text.ptr, start);
	buf_add(&next, t, tlen);
	buf_add(&next, d->text.ptr + end, d->text.len - end);
	buf_release(&d->text);
	d->text = next;
	return 0;
}

char *lsp_uri_path(const char *uri)
{
	struct buf out = BUF_INIT;
	const char *p;

	if (strncasecmp(uri, "file:", 5))
		return NULL;
	p = uri + 5;
	if (!strncmp(p, "//", 2)) {
		const char *slash = strchr(p + 2, '/');

		if (!slash)
			return NULL;
		/* a host other than this one is not a file we can read */
		if (slash != p + 2 && strncasecmp(p + 2, "localhost/", 10))
			return NULL;
		p = slash;
	}
	if (*p != '/')
		return NULL;
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '%') {
			int a = hex_digit_value(p[1]), b = a < 0 ? -1 : hex_digit_value(p[2]);

			if (a < 0 || b < 0 || (a == 0 && b == 0)) {
				buf_release(&out);
				return NULL;
			}
			buf_putc(&out, (char)(a * 16 + b));
			p += 2;
		} else {
			buf_putc(&out, *p);
		}
	}
	return buf_detach(&out);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

bool lsp_doc_is_python(const struct lsp_doc *d)
{
	return (d->language && !strcmp(d->language, "python")) || ends_with(d->path, ".py") ||
	       ends_with(d->path, ".pyi");
}

/* The whole-lines edit from the first to the last changed line. */
static json_object *one_edit(const char *old, size_t oldlen, const char *new, size_t newlen,
			     enum lsp_encoding enc)
{
	size_t p = 0, s = 0, min = oldlen < newlen ? oldlen : newlen;
	struct lsp_lines lines;
	json_object *edit;

	while (p < min && old[p] == new[p])
		p++;
	/* whole lines: back to the start of the line */
	while (p > 0 && old[p - 1] != '\n')
		p--;
	while (s < min - p && old[oldlen - 1 - s] == new[newlen - 1 - s])
		s++;
	/* the common end starts a line too (or is the end of both texts) */
	while (s > 0 && old[oldlen - s - 1] != '\n')
		s--;
	lsp_lines_init(&lines, old, oldlen);
	edit = json_object_new_object();
	json_object_object_add(edit, "range", lsp_lines_range(&lines, p, oldlen - s, enc));
	json_object_object_add(edit, "newText",
			       json_object_new_string_len(new + p, (int)(newlen - s - p)));
	lsp_lines_release(&lines);
	return edit;
}

/* Byte offset of the start of 1-based line `n` of `text` split at LF, as
 * git counts lines (the text's end past the last). */
static size_t git_line(const char *text, size_t len, size_t n)
{
	size_t off = 0;

	while (--n > 0 && off < len) {
		const char *nl = memchr(text + off, '\n', len - off);

		off = nl ? (size_t)(nl - text) + 1 : len;
	}
	return off;
}

/* One edit per hunk of git's diff of the two texts (no context lines).
 * Returns -1 when libgit2 cannot make it. */
static int hunk_edits(json_object *list, struct buf *check, const char *old, size_t oldlen,
		      const char *new, size_t newlen, enum lsp_encoding enc)
{
	git_diff_options opts;
	git_patch *patch = NULL;
	struct lsp_lines lines;
	size_t at = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	if (git_patch_from_buffers(&patch, old, oldlen, "a", new, newlen, "b", &opts) < 0)
		return -1;
	lsp_lines_init(&lines, old, oldlen);
	for (size_t i = 0; i < git_patch_num_hunks(patch); i++) {
		const git_diff_hunk *h;
		size_t n, os, oe, ns, ne;
		json_object *edit;

		if (git_patch_get_hunk(&h, &n, patch, i) < 0) {
			git_patch_free(patch);
			lsp_lines_release(&lines);
			return -1;
		}
		/* a hunk of no lines sits after line `start` */
		os = git_line(old, oldlen, (size_t)h->old_start + (h->old_lines ? 0 : 1));
		oe = h->old_lines ? git_line(old, oldlen, (size_t)(h->old_start + h->old_lines)) : os;
		ns = git_line(new, newlen, (size_t)h->new_start + (h->new_lines ? 0 : 1));
		ne = h->new_lines ? git_line(new, newlen, (size_t)(h->new_start + h->new_lines)) : ns;
		if (os < at || oe < os || ne < ns) {
			git_patch_free(patch);
			lsp_lines_release(&lines);
			return -1;
		}
		buf_add(check, old + at, os - at);
		buf_add(check, new + ns, ne - ns);
		at = oe;
		edit = json_object_new_object();
		json_object_object_add(edit, "range", lsp_lines_range(&lines, os, oe, enc));
		json_object_object_add(edit, "newText",
				       json_object_new_string_len(new + ns, (int)(ne - ns)));
		json_object_array_add(list, edit);
	}
	buf_add(check, old + at, oldlen - at);
	git_patch_free(patch);
	lsp_lines_release(&lines);
	return 0;
}

json_object *lsp_text_edits(const char *old, size_t oldlen, const char *new, size_t newlen,
			    enum lsp_encoding enc)
{
	json_object *list = json_object_new_array();
	struct buf check = BUF_INIT;

	if (oldlen == newlen && !memcmp(old, new, oldlen))
		return list;
	/* the edits must give exactly the new text: otherwise one edit does */
	if (hunk_edits(list, &check, old, oldlen, new, newlen, enc) < 0 ||
	    !json_object_array_length(list) || check.len != newlen ||
	    memcmp(check.ptr, new, newlen)) {
		json_object_put(list);
		list = json_object_new_array();
		json_object_array_add(list, one_edit(old, oldlen, new, newlen, enc));
	}
	buf_release(&check);
	return list;
}
