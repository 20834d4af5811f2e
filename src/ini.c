/*
 * ini: iniconfig's dialect of INI files (see ini.h). The text is read
 * line by line with explicit lengths: nothing relies on a NUL at the end,
 * and every line, name and value is copied out with its length.
 */
#include "ini.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Python's str.isspace() over ASCII, which is what str.strip() removes. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       (c >= '\x1c' && c <= '\x1f');
}

/* Python's str.splitlines() boundaries over ASCII. */
static bool is_line_end(char c)
{
	return c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= '\x1c' && c <= '\x1e');
}

static void strip(const char **s, size_t *n)
{
	while (*n && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

static void entry_free(struct ini_entry *e)
{
	free(e->section);
	free(e->name);
	free(e->value);
}

void ini_release(struct ini_doc *doc)
{
	for (size_t i = 0; i < doc->entries.len; i++)
		entry_free(vec_at(&doc->entries, i));
	vec_release(&doc->entries);
}

static const struct ini_entry *find(const struct ini_doc *doc, const char *section,
				    const char *name)
{
	for (size_t i = 0; i < doc->entries.len; i++) {
		const struct ini_entry *e = vec_at(&doc->entries, i);

		if (strcmp(e->section, section))
			continue;
		if (!name ? !e->name : e->name && !strcmp(e->name, name))
			return e;
	}
	return NULL;
}

bool ini_has_section(const struct ini_doc *doc, const char *section)
{
	return find(doc, section, NULL) != NULL;
}

const char *ini_get(const struct ini_doc *doc, const char *section, const char *name)
{
	const struct ini_entry *e = find(doc, section, name);

	return e ? e->value : NULL;
}

/* The state of one parse. */
struct reader {
	struct ini_doc *doc;
	const char *name;
	char *section;		/* the current section (borrowed from its header entry) */
	size_t last;		/* the entry a continuation adds to, or SIZE_MAX */
	struct buf value;	/* its value so far: continuations append here, not to a copy */
	unsigned line;
	struct err *err;
};

static int fail(struct reader *r, const char *what)
{
	return err_set(r->err, "%s:%u: %s", r->name, r->line, what);
}

/* The lines are read first, as tokens (headers, values, continuations
 * joined); what makes a whole file wrong (a value before any header, a
 * section or a name given twice) is checked after, as iniconfig does: an
 * error in a line comes before them. */
/* Gives the entry being continued its value. */
static void flush(struct reader *r)
{
	struct ini_entry *e;

	if (r->last == SIZE_MAX)
		return;
	e = vec_at(&r->doc->entries, r->last);
	e->value = xstrndup(r->value.ptr ? r->value.ptr : "", r->value.len);
	r->last = SIZE_MAX;
	buf_clear(&r->value);
}

static int add_section(struct reader *r, const char *s, size_t n)
{
	struct ini_entry *e;

	if (!n)
		return fail(r, "empty section name");
	flush(r);
	e = vec_push(&r->doc->entries);
	memset(e, 0, sizeof(*e));
	e->section = xstrndup(s, n);
	e->line = r->line;
	r->section = e->section;
	return 0;
}

static int add_value(struct reader *r, const char *k, size_t kn, const char *v, size_t vn)
{
	struct ini_entry *e;

	strip(&k, &kn);
	strip(&v, &vn);
	flush(r);
	e = vec_push(&r->doc->entries);
	e->section = r->section ? xstrdup(r->section) : NULL;
	e->name = xstrndup(k, kn);
	e->value = NULL;
	e->line = r->line;
	r->last = r->doc->entries.len - 1;
	buf_add(&r->value, v, vn);
	return 0;
}

struct key {
	const char *section, *name;	/* name NULL for a header */
	size_t index;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->section, y->section);

	if (c)
		return c;
	if (!x->name != !y->name)
		return x->name ? 1 : -1;
	if (x->name && (c = strcmp(x->name, y->name)))
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The checks over the whole file: the first entry in file order that is a
 * value before any header, or a header or name given before. Sorted, not
 * compared pair by pair: a file may hold a hundred thousand lines. */
static int validate(struct reader *r)
{
	size_t n = r->doc->entries.len, bad = n;
	struct key *keys = xcalloc(n ? n : 1, sizeof(*keys));
	size_t k = 0;
	const char *what = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct ini_entry *e = vec_at(&r->doc->entries, i);

		if (!e->section) {
			if (i < bad) {
				bad = i;
				what = "a value before any section header";
			}
			continue;
		}
		keys[k].section = e->section;
		keys[k].name = e->name;
		keys[k++].index = i;
	}
	qsort(keys, k, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < k; i++) {
		const struct key *a = &keys[i - 1], *b = &keys[i];

		if (strcmp(a->section, b->section) || !a->name != !b->name ||
		    (a->name && strcmp(a->name, b->name)) || b->index > bad)
			continue;
		bad = b->index;
		what = b->name ? "the name is given twice in its section" : "the section is given twice";
	}
	free(keys);
	if (bad == n)
		return 0;
	r->line = ((struct ini_entry *)vec_at(&r->doc->entries, bad))->line;
	return fail(r, what);
}

static int continue_value(struct reader *r, const char *s, size_t n)
{
	if (r->last == SIZE_MAX)
		return fail(r, "a continuation line with no value to continue");
	strip(&s, &n);
	if (r->value.len)
		buf_putc(&r->value, '\n');
	buf_add(&r->value, s, n);
	return 0;
}

/* One line, without its end. */
static int read_line(struct reader *r, const char *s, size_t n)
{
	const char *t = s, *eq, *colon;
	size_t tn = n;

	strip(&t, &tn);
	if (!tn || *t == '#' || *t == ';')
		return 0;		/* blank or comment */
	while (n && is_blank(s[n - 1]))
		n--;
	if (s[0] == '[') {
		size_t h = n;

		/* the header ends at the first comment character */
		for (size_t i = 0; i < n; i++)
			if (s[i] == '#' || s[i] == ';') {
				h = i;
				break;
			}
		while (h && is_blank(s[h - 1]))
			h--;
		if (h >= 2 && s[h - 1] == ']')
			return add_section(r, s + 1, h - 2);
		return continue_value(r, s, n);
	}
	if (is_blank(s[0]))
		return continue_value(r, s, n);
	eq = memchr(s, '=', n);
	colon = memchr(s, ':', n);
	if (eq && (!colon || colon > eq))
		return add_value(r, s, (size_t)(eq - s), eq + 1, n - (size_t)(eq - s) - 1);
	if (colon)
		return add_value(r, s, (size_t)(colon - s), colon + 1, n - (size_t)(colon - s) - 1);
	return fail(r, "a line that is neither a section, a value nor a comment");
}

int ini_parse(struct ini_doc *out, const char *name, const char *text, size_t len,
	      struct err *err)
{
	struct ini_doc doc = { VEC_INIT(struct ini_entry) };
	struct reader r = { &doc, name, NULL, SIZE_MAX, BUF_INIT, 0, err };
	size_t i = 0;

	if (memchr(text, '\0', len)) {
		r.line = 1;
		for (const char *p = text; *p; p++)
			r.line += *p == '\n';
		fail(&r, "a NUL byte: not a text file");
		return -1;
	}
	while (i < len) {
		size_t start = i;

		while (i < len && !is_line_end(text[i]))
			i++;
		r.line++;
		if (read_line(&r, text + start, i - start) < 0) {
			flush(&r);
			buf_release(&r.value);
			ini_release(&doc);
			return -1;
		}
		if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
	}
	flush(&r);
	buf_release(&r.value);
	if (validate(&r) < 0) {
		ini_release(&doc);
		return -1;
	}
	*out = doc;
	return 0;
}
