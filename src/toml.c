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
 *
 * This file builds the tree (tables, arrays, headers, key/value lines);
 * toml_lex.c reads strings and keys, toml_scalar.c numbers and dates.
 */
#include "toml_internal.h"
#include "tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	toml_lex_position(p, off, &v->line, &v->column);
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

static int parse_keyval(struct parser *p, struct toml_value *table, size_t depth);

static int parse_value(struct parser *p, struct toml_value *v, size_t depth)
{
	size_t start = p->pos;
	int c = toml_peek(p, 0);

	value_init(v, TOML_STRING);
	set_position(p, v, start);
	if (c == '"' || c == '\'') {
		struct buf b = BUF_INIT;

		if (toml_lex_string(p, &b, true) < 0) {
			buf_release(&b);
			return -1;
		}
		v->len = b.len;
		v->str = buf_detach(&b);
		return 0;
	}
	if ((c == '[' || c == '{') && depth >= TREE_MAX_DEPTH)
		return toml_lex_too_deep(p, start);
	if (c == '[') {
		v->type = TOML_ARRAY;
		p->pos++;
		for (;;) {
			struct toml_value item;

			if (toml_lex_skip_ws_nl(p) < 0)
				return -1;
			if (toml_peek(p, 0) == ']')
				break;
			if (parse_value(p, &item, depth + 1) < 0) {
				value_release(&item);
				return -1;
			}
			*(struct toml_value *)push(&v->items) = item;
			if (toml_lex_skip_ws_nl(p) < 0)
				return -1;
			if (toml_peek(p, 0) == ',')
				p->pos++;
			else if (toml_peek(p, 0) != ']')
				return toml_lex_unexpected(p, "',' or ']' in an array");
		}
		p->pos++;
		return 0;
	}
	if (c == '{') {
		v->type = TOML_TABLE;
		p->pos++;
		toml_lex_skip_ws(p);
		if (toml_peek(p, 0) == '}') {
			p->pos++;
			freeze(v);
			return 0;
		}
		for (;;) {
			if (parse_keyval(p, v, depth + 1) < 0)
				return -1;
			toml_lex_skip_ws(p);
			if (toml_peek(p, 0) == '}')
				break;
			if (toml_peek(p, 0) != ',')
				return toml_lex_unexpected(p, "',' or '}' in an inline table (on one line)");
			p->pos++;
			toml_lex_skip_ws(p);
			if (toml_peek(p, 0) == '}')
				return toml_lex_fail(p, p->pos, "invalid TOML: a trailing comma is not "
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
		    !toml_scalar_char(toml_peek(p, n))) {
			v->type = TOML_BOOLEAN;
			v->boolean = c == 't';
			p->pos += n;
			return 0;
		}
	}
	if (toml_scalar_char(c))
		return toml_scalar_parse(p, v);
	return toml_lex_unexpected(p, "a value");
}

/* `key = value` into `table`, whose depth is `depth`. */
static int parse_keyval(struct parser *p, struct toml_value *table, size_t depth)
{
	struct vec parts = VEC_INIT(struct keypart);
	struct toml_value *t = table, v, *slot;
	struct keypart *last;

	if (toml_lex_key(p, &parts) < 0)
		goto fail;
	if (toml_peek(p, 0) != '=') {
		toml_lex_unexpected(p, "'=' after a key");
		goto fail;
	}
	p->pos++;
	toml_lex_skip_ws(p);
	for (size_t i = 0; i + 1 < parts.len; i++) {
		struct keypart *k = vec_at(&parts, i);
		struct toml_member *m = table_find(t, k->s, k->len);

		if (depth + i + 1 >= TREE_MAX_DEPTH) {
			toml_lex_too_deep(p, k->off);
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
			toml_lex_fail(p, k->off, "invalid TOML: cannot add keys to %s defined elsewhere "
				"('%s')", kind(&m->value), m->key);
			goto fail;
		}
	}
	last = vec_at(&parts, parts.len - 1);
	if (table_find(t, last->s, last->len)) {
		toml_lex_fail(p, last->off, "invalid TOML: duplicate key '%s'", last->s);
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
	toml_lex_parts_release(&parts);
	return 0;
fail:
	toml_lex_parts_release(&parts);
	return -1;
}

/* A [table] or [[array of tables]] header: the table it opens. */
static int parse_header(struct parser *p, struct toml_value *root, struct toml_value **out,
			size_t *out_depth)
{
	struct vec parts = VEC_INIT(struct keypart);
	size_t start = p->pos, depth = 0;
	bool aot = toml_peek(p, 1) == '[';
	struct toml_value *t = root;
	struct keypart *last;
	struct toml_member *m;
	struct keypart here = { NULL, 0, start, 0, 0 };

	toml_lex_position(p, start, &here.line, &here.column);
	p->pos += aot ? 2 : 1;
	if (toml_lex_key(p, &parts) < 0)
		goto fail;
	if (toml_peek(p, 0) != ']' || (aot && toml_peek(p, 1) != ']')) {
		toml_lex_unexpected(p, aot ? "']]' after a table name" : "']' after a table name");
		goto fail;
	}
	p->pos += aot ? 2 : 1;
	for (size_t i = 0; i + 1 < parts.len; i++) {
		struct keypart *k = vec_at(&parts, i);

		m = table_find(t, k->s, k->len);
		if (++depth >= TREE_MAX_DEPTH) {
			toml_lex_too_deep(p, k->off);
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
			toml_lex_fail(p, k->off, "invalid TOML: '%s' is %s, it cannot hold a table", m->key,
				kind(&m->value));
			goto fail;
		}
	}
	last = vec_at(&parts, parts.len - 1);
	m = table_find(t, last->s, last->len);
	if (++depth + 1 >= TREE_MAX_DEPTH) {
		toml_lex_too_deep(p, last->off);
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
			toml_lex_fail(p, start, "invalid TOML: '%s' is already %s, not an array of tables",
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
		toml_lex_fail(p, start, "invalid TOML: '%s' is already defined as %s", m->key,
			kind(&m->value));
		goto fail;
	}
	*out_depth = depth;
	toml_lex_parts_release(&parts);
	return 0;
fail:
	toml_lex_parts_release(&parts);
	return -1;
}

static int parse_document(struct parser *p, struct toml_value *root)
{
	struct toml_value *current = root;
	size_t depth = 0;

	if (p->len >= 3 && !memcmp(p->s, "\xef\xbb\xbf", 3))
		p->pos = 3;	/* a byte order mark */
	while (p->pos < p->len) {
		toml_lex_skip_ws(p);
		if (toml_lex_skip_comment(p) < 0)
			return -1;
		if (p->pos >= p->len)
			break;
		if (toml_lex_newline(p))
			continue;
		if (toml_peek(p, 0) == '[') {
			if (parse_header(p, root, &current, &depth) < 0)
				return -1;
		} else if (parse_keyval(p, current, depth) < 0) {
			return -1;
		}
		toml_lex_skip_ws(p);
		if (toml_lex_skip_comment(p) < 0)
			return -1;
		if (p->pos < p->len && !toml_lex_newline(p))
			return toml_lex_unexpected(p, "the end of the line");
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
	if (toml_lex_check_utf8(&p) < 0 || parse_document(&p, &out->root) < 0) {
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
