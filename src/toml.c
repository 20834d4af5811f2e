/*
 * toml: a TOML reader over the tree-sitter TOML grammar.
 *
 * The grammar gives the structure; this file turns keys and values into C
 * data (unescaping strings, reading numbers) and flattens tables into key
 * paths, which is all a configuration reader needs.
 */
#include "toml.h"
#include "buf.h"
#include "grammar.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

struct reader {
	const char *name;
	const char *text;
	struct toml_doc *doc;
	struct err *err;
};

static bool is(TSNode n, const char *type)
{
	return !strcmp(ts_node_type(n), type);
}

static unsigned line_of(TSNode n)
{
	return ts_node_start_point(n).row + 1;
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

/* The value of a string or quoted key: basic ("..", """..""") strings
 * with escapes, literal ('..', '''..''') strings as they are. */
static char *string_value(const struct reader *r, TSNode n)
{
	const char *s = r->text + ts_node_start_byte(n);
	size_t len = ts_node_end_byte(n) - ts_node_start_byte(n), q = 1;
	bool literal = s[0] == '\'';
	struct buf b = BUF_INIT;

	if (len >= 6 && (!strncmp(s, "\"\"\"", 3) || !strncmp(s, "'''", 3)))
		q = 3;
	if (len < 2 * q)
		return xstrdup("");
	s += q;
	len -= 2 * q;
	if (q == 3 && len && s[0] == '\n') {	/* a newline right after the opening quotes */
		s++;
		len--;
	} else if (q == 3 && len > 1 && s[0] == '\r' && s[1] == '\n') {
		s += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (literal || c != '\\' || i + 1 >= len) {
			buf_putc(&b, c);
			continue;
		}
		c = s[++i];
		switch (c) {
		case 'b': buf_putc(&b, '\b'); break;
		case 't': buf_putc(&b, '\t'); break;
		case 'n': buf_putc(&b, '\n'); break;
		case 'f': buf_putc(&b, '\f'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 'e': buf_putc(&b, '\033'); break;
		case '"': buf_putc(&b, '"'); break;
		case '\\': buf_putc(&b, '\\'); break;
		case 'u':
		case 'U': {
			size_t digits = c == 'u' ? 4 : 8;
			char hex[9] = { 0 };

			if (i + digits < len) {
				memcpy(hex, s + i + 1, digits);
				put_utf8(&b, strtoul(hex, NULL, 16));
				i += digits;
			}
			break;
		}
		default:
			/* a line-ending backslash trims the whitespace that follows */
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				while (i + 1 < len && strchr(" \t\r\n", s[i + 1]))
					i++;
			} else {
				buf_putc(&b, '\\');
				buf_putc(&b, c);
			}
		}
	}
	return buf_detach(&b);
}

/* Appends the parts of a key node (bare, quoted or dotted) to `parts`. */
static void key_parts(const struct reader *r, TSNode key, struct vec *parts)
{
	if (is(key, "dotted_key")) {
		uint32_t n = ts_node_named_child_count(key);

		for (uint32_t i = 0; i < n; i++)
			key_parts(r, ts_node_named_child(key, i), parts);
	} else if (is(key, "quoted_key")) {
		*(char **)vec_push(parts) = string_value(r, key);
	} else {
		*(char **)vec_push(parts) = xstrndup(r->text + ts_node_start_byte(key),
						     ts_node_end_byte(key) - ts_node_start_byte(key));
	}
}

static char *node_text(const struct reader *r, TSNode n)
{
	struct buf b = BUF_INIT;

	for (uint32_t i = ts_node_start_byte(n); i < ts_node_end_byte(n); i++)
		if (r->text[i] != '_')
			buf_putc(&b, r->text[i]);
	return buf_detach(&b);
}

static void read_value(const struct reader *r, TSNode n, struct toml_value *v, struct vec *path);
static void read_pairs(const struct reader *r, TSNode table, struct vec *path, uint32_t from);

static void add_entry(const struct reader *r, struct vec *path, TSNode value_node,
		      enum toml_type forced, unsigned line)
{
	struct toml_entry *e = vec_push(&r->doc->entries);
	struct vec items = VEC_INIT(struct toml_value);
	size_t index = r->doc->entries.len - 1;

	e->depth = path->len;
	e->path = xcalloc(path->len ? path->len : 1, sizeof(char *));
	for (size_t i = 0; i < path->len; i++)
		e->path[i] = xstrdup(*(char **)vec_at(path, i));
	e->line = line;
	e->value.items = items;
	e->value.line = line;
	if (ts_node_is_null(value_node)) {
		e->value.type = forced;
	} else {
		struct toml_value v;

		read_value(r, value_node, &v, path);
		/* read_value may have pushed entries (inline tables) and moved ours */
		e = vec_at(&r->doc->entries, index);
		e->value = v;
	}
}

/* Reads one value. Inline tables are flattened into entries under `path`. */
static void read_value(const struct reader *r, TSNode n, struct toml_value *v, struct vec *path)
{
	struct vec items = VEC_INIT(struct toml_value);
	char *t;

	memset(v, 0, sizeof(*v));
	v->items = items;
	v->line = line_of(n);
	if (is(n, "string")) {
		v->type = TOML_STRING;
		v->str = string_value(r, n);
	} else if (is(n, "integer")) {
		v->type = TOML_INTEGER;
		t = node_text(r, n);
		v->integer = strtoll(t, NULL, 0);
		if (!strncmp(t, "0o", 2))
			v->integer = strtoll(t + 2, NULL, 8);
		else if (!strncmp(t, "0b", 2))
			v->integer = strtoll(t + 2, NULL, 2);
		v->number = (double)v->integer;
		free(t);
	} else if (is(n, "float")) {
		v->type = TOML_FLOAT;
		t = node_text(r, n);
		v->number = strtod(t, NULL);
		free(t);
	} else if (is(n, "boolean")) {
		v->type = TOML_BOOLEAN;
		v->boolean = r->text[ts_node_start_byte(n)] == 't';
	} else if (is(n, "array")) {
		uint32_t count = ts_node_named_child_count(n);

		v->type = TOML_ARRAY;
		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(n, i);

			if (is(c, "comment"))
				continue;
			read_value(r, c, vec_push(&v->items), path);
		}
	} else if (is(n, "inline_table")) {
		v->type = TOML_TABLE;
		read_pairs(r, n, path, 0);
	} else {
		v->type = TOML_OTHER;
	}
}

/* Adds an entry for each `key = value` child of `table` (a document,
 * table or inline table) from child `from` on, below `path`. */
static void read_pairs(const struct reader *r, TSNode table, struct vec *path, uint32_t from)
{
	uint32_t count = ts_node_named_child_count(table);

	for (uint32_t i = from; i < count; i++) {
		TSNode pair = ts_node_named_child(table, i);
		size_t depth = path->len;

		if (!is(pair, "pair"))
			continue;
		key_parts(r, ts_node_named_child(pair, 0), path);
		add_entry(r, path, ts_node_named_child(pair, 1), TOML_OTHER, line_of(pair));
		while (path->len > depth)
			free(*(char **)vec_pop(path));
	}
}


int toml_parse(struct toml_doc *out, const char *name, const char *text, size_t len,
	       struct err *err)
{
	struct vec entries = VEC_INIT(struct toml_entry);
	struct vec path = VEC_INIT(char *);
	struct reader r = { name, text, out, err };
	TSParser *parser = ts_parser_new();
	TSTree *tree;
	TSNode root, bad;
	uint32_t count;

	out->entries = entries;
	ts_parser_set_language(parser, tree_sitter_toml());
	tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
	root = ts_tree_root_node(tree);
	if (tree_deeper_than(root, TREE_MAX_DEPTH)) {
		ts_tree_delete(tree);
		ts_parser_delete(parser);
		return err_set(err, "%s: nested more than %u levels deep", name, TREE_MAX_DEPTH);
	}
	if (tree_first_error(root, &bad)) {
		unsigned line = line_of(bad);

		ts_tree_delete(tree);
		ts_parser_delete(parser);
		return err_set(err, "%s:%u: invalid TOML", name, line);
	}
	read_pairs(&r, root, &path, 0);
	count = ts_node_named_child_count(root);
	for (uint32_t i = 0; i < count; i++) {
		TSNode t = ts_node_named_child(root, i);
		bool array = is(t, "table_array_element");

		if (!is(t, "table") && !array)
			continue;
		key_parts(&r, ts_node_named_child(t, 0), &path);
		add_entry(&r, &path, (TSNode){ { 0 }, NULL, NULL }, array ? TOML_OTHER : TOML_TABLE,
			  line_of(t));
		read_pairs(&r, t, &path, 1);
		while (path.len)
			free(*(char **)vec_pop(&path));
	}
	vec_release(&path);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return 0;
}

static void value_release(struct toml_value *v)
{
	free(v->str);
	for (size_t i = 0; i < v->items.len; i++)
		value_release(vec_at(&v->items, i));
	vec_release(&v->items);
}

void toml_doc_release(struct toml_doc *doc)
{
	for (size_t i = 0; i < doc->entries.len; i++) {
		struct toml_entry *e = vec_at(&doc->entries, i);

		for (size_t k = 0; k < e->depth; k++)
			free(e->path[k]);
		free(e->path);
		value_release(&e->value);
	}
	vec_release(&doc->entries);
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
	default: return "another kind of value";
	}
}
