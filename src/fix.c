/*
 * fix: selecting, merging and applying the fixes of one file.
 */
#include "fix.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

void fix_splice(struct buf *out, const char *text, size_t len, struct vec *edits)
{
	size_t pos = 0;

	vec_sort(edits, edit_cmp);
	buf_clear(out);
	for (size_t i = 0; i < edits->len; i++) {
		const struct edit *e = vec_at(edits, i);

		if (e->start < pos)
			continue;	/* callers guarantee no overlap; be safe anyway */
		buf_add(out, text + pos, e->start - pos);
		buf_puts(out, e->text);
		pos = e->end;
	}
	buf_add(out, text + pos, len - pos);
}

static bool edits_clash(const struct edit *a, const struct edit *b)
{
	if (a->start == b->start && a->end == b->end && !strcmp(a->text, b->text))
		return false;	/* the same edit: shared */
	if (a->start == a->end && b->start == b->end)
		return a->start == b->start;	/* two insertions at one point: order unknown */
	if (a->start == a->end)
		return a->start > b->start && a->start < b->end;
	if (b->start == b->end)
		return b->start > a->start && b->start < a->end;
	return a->start < b->end && b->start < a->end;
}

static bool is_docstring(TSNode n)
{
	return !strcmp(ts_node_type(n), "expression_statement") &&
	       ts_node_named_child_count(n) == 1 &&
	       !strcmp(ts_node_type(ts_node_named_child(n, 0)), "string");
}

static uint32_t after_line(const struct source *src, uint32_t at)
{
	while (at < src->len && src->text[at] != '\n')
		at++;
	return at < src->len ? at + 1 : at;
}

uint32_t fix_import_point(const struct source *src, const TSTree *tree)
{
	TSNode root = ts_tree_root_node(tree);
	uint32_t n = ts_node_child_count(root), point = 0;
	bool seen_statement = false;
	TSTreeCursor c = ts_tree_cursor_new(root);

	if (ts_tree_cursor_goto_first_child(&c)) {
		uint32_t i = 0;

		do {
			TSNode child = ts_tree_cursor_current_node(&c);
			const char *type = ts_node_type(child);

			if (!strcmp(type, "comment")) {
				if (!seen_statement)
					point = after_line(src, ts_node_end_byte(child));
			} else if (i == 0 || !seen_statement) {
				if (!is_docstring(child) && strcmp(type, "import_statement") &&
				    strcmp(type, "import_from_statement") &&
				    strcmp(type, "future_import_statement"))
					break;
				seen_statement = true;
				point = after_line(src, ts_node_end_byte(child));
			} else if (!strcmp(type, "import_statement") ||
				   !strcmp(type, "import_from_statement") ||
				   !strcmp(type, "future_import_statement")) {
				point = after_line(src, ts_node_end_byte(child));
			} else {
				break;
			}
			i++;
		} while (ts_tree_cursor_goto_next_sibling(&c) && i < n);
	}
	ts_tree_cursor_delete(&c);
	return point;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool strs_has(const struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(*(char **)vec_at(v, i), s))
			return true;
	return false;
}

static void header_edit(struct vec *edits, const struct source *src, const TSTree *tree,
			struct vec *imports, struct vec *statements)
{
	struct buf text = BUF_INIT;
	uint32_t at;
	struct edit *e;

	if (!imports->len && !statements->len)
		return;
	at = fix_import_point(src, tree);
	if (at == src->len && at > 0 && src->text[at - 1] != '\n')
		buf_puts(&text, src->newline);
	vec_sort(imports, str_cmp);
	for (size_t i = 0; i < imports->len; i++)
		buf_printf(&text, "import %s%s", *(char **)vec_at(imports, i), src->newline);
	for (size_t i = 0; i < statements->len; i++) {
		if (i == 0 && (at > 0 || imports->len))
			buf_puts(&text, src->newline);
		buf_printf(&text, "%s%s", *(char **)vec_at(statements, i), src->newline);
	}
	if (at < src->len && src->text[at] != '\n' && src->text[at] != '\r')
		buf_puts(&text, src->newline);
	e = vec_push(edits);
	e->start = e->end = at;
	e->text = buf_detach(&text);
}

static TSNode import_statement_at(const TSTree *tree, uint32_t start, uint32_t end)
{
	TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(tree), start, end);

	while (!ts_node_is_null(n) && !(ts_node_start_byte(n) == start && ts_node_end_byte(n) == end &&
					 (!strcmp(ts_node_type(n), "import_statement") ||
					  !strcmp(ts_node_type(n), "import_from_statement"))))
		n = tree_parent(n);
	return n;
}

/* Removes the items in [item ranges] of one import statement: the whole
 * line when every item goes (and the statement is alone on its line), or
 * each item with its separating comma. */
static void drop_items(struct vec *edits, const struct source *src, const TSTree *tree,
		       const struct scope_import *imp, const uint32_t *drop, size_t ndrop)
{
	TSNode stmt = import_statement_at(tree, imp->stmt_start, imp->stmt_end);
	uint32_t items[64][2];
	bool gone[64];
	size_t n = 0, kept = 0;
	TSTreeCursor c;

	if (ts_node_is_null(stmt))
		return;
	c = ts_tree_cursor_new(stmt);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			const char *field = ts_tree_cursor_current_field_name(&c);
			TSNode item = ts_tree_cursor_current_node(&c);

			if (!field || strcmp(field, "name") || n == 64)
				continue;
			items[n][0] = ts_node_start_byte(item);
			items[n][1] = ts_node_end_byte(item);
			gone[n] = false;
			for (size_t k = 0; k < ndrop; k++)
				gone[n] |= drop[k] == items[n][0];
			kept += !gone[n];
			n++;
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	if (!n)
		return;
	if (!kept) {
		uint32_t ls = source_line_start(src, imp->stmt_start), end = imp->stmt_end;
		struct edit *e;

		for (uint32_t i = ls; i < imp->stmt_start; i++)
			if (src->text[i] != ' ' && src->text[i] != '\t')
				return;
		while (end < src->len && (src->text[end] == ' ' || src->text[end] == '\t'))
			end++;
		if (end < src->len && src->text[end] == '\r')
			end++;
		if (end < src->len && src->text[end] != '\n')
			return;	/* more code or a comment on the line: leave it */
		e = vec_push(edits);
		e->start = ls;
		e->end = end < src->len ? end + 1 : end;
		e->text = xstrdup("");
		return;
	}
	{
		size_t last_kept = 0;

		for (size_t i = 0; i < n; i++)
			if (!gone[i])
				last_kept = i;
		for (size_t i = 0; i < n; i++) {
			struct edit *e;

			if (!gone[i])
				continue;
			e = vec_push(edits);
			e->text = xstrdup("");
			if (i < last_kept) {
				e->start = items[i][0];
				e->end = items[i + 1][0];
			} else {
				size_t j = i;

				while (j + 1 < n && gone[j + 1])
					j++;
				e->start = items[last_kept][1];
				e->end = items[j][1];
				i = j;
			}
		}
	}
}

/* True when removing the import statement of `imp` leaves its block
 * with a statement: the module, or a body with another statement. */
static bool leaves_a_statement(const TSTree *tree, const struct scope_import *imp)
{
	TSNode stmt = import_statement_at(tree, imp->stmt_start, imp->stmt_end);
	TSNode parent;

	if (ts_node_is_null(stmt))
		return false;
	parent = tree_parent(stmt);
	if (ts_node_is_null(parent))
		return false;
	if (!strcmp(ts_node_type(parent), "module"))
		return true;
	for (uint32_t i = 0, n = ts_node_named_child_count(parent); i < n; i++) {
		TSNode c = ts_node_named_child(parent, i);

		if (!ts_node_eq(c, stmt) && strcmp(ts_node_type(c), "comment"))
			return true;
	}
	return false;
}

/* True when the module may export `name` through `__all__`: the file
 * mentions `__all__` and holds the name as a string literal. */
static bool exported(const struct source *src, const struct scope_index *scopes,
		     const char *name)
{
	size_t n = strlen(name);

	if (!scope_has_all(scopes))
		return false;
	for (const char *p = src->text, *end = src->text + src->len;
	     (p = memmem(p, (size_t)(end - p), name, n)) != NULL; p++)
		if (p > src->text && p + n < end && (p[-1] == '"' || p[-1] == '\'') &&
		    p[n] == p[-1])
			return true;
	return false;
}

static void drop_imports(struct vec *edits, const struct source *src, const TSTree *tree,
			 const struct scope_index *scopes, struct vec *drops, struct vec *forced,
			 const struct vec *taken)
{
	size_t nskip = taken->len;
	uint32_t *skip = xcalloc(nskip ? nskip * 2 : 1, sizeof(uint32_t));
	struct vec plan = VEC_INIT(struct scope_import);
	bool *done;

	for (size_t i = 0; i < taken->len; i++) {
		const struct edit *e = *(struct edit *const *)vec_at(taken, i);

		skip[2 * i] = e->start;
		skip[2 * i + 1] = e->end;
	}
	for (size_t pass = 0; pass < 2; pass++) {
		struct vec *names = pass ? forced : drops;

		for (size_t i = 0; i < names->len; i++) {
			const char *name = *(char **)vec_at(names, i);
			struct scope_import imp;

			if (!scope_top_import(scopes, name, &imp) &&
			    !(scope_sole_import(scopes, name, &imp) && leaves_a_statement(tree, &imp)))
				continue;
			if (!pass && (exported(src, scopes, name) || strs_has(forced, name) ||
				      scope_count_refs(scopes, name, skip, nskip) > 0))
				continue;
			*(struct scope_import *)vec_push(&plan) = imp;
		}
	}
	done = xcalloc(plan.len ? plan.len : 1, sizeof(bool));
	for (size_t i = 0; i < plan.len; i++) {
		const struct scope_import *imp = vec_at(&plan, i);
		uint32_t drop[64];
		size_t ndrop = 0;

		if (done[i])
			continue;
		for (size_t k = i; k < plan.len && ndrop < 64; k++) {
			const struct scope_import *o = vec_at(&plan, k);

			if (o->stmt_start == imp->stmt_start && !done[k]) {
				drop[ndrop++] = o->item_start;
				done[k] = true;
			}
		}
		drop_items(edits, src, tree, imp, drop, ndrop);
	}
	free(done);
	vec_release(&plan);
	free(skip);
}

static void add_unique(struct vec *v, const char *s)
{
	if (!strs_has(v, s))
		*(char **)vec_push(v) = (char *)s;
}

void fix_map_init(struct fix_map *m, const struct vec *edits)
{
	int64_t shift = 0;

	m->n = edits->len;
	m->start = xcalloc(m->n ? m->n : 1, sizeof(*m->start));
	m->end = xcalloc(m->n ? m->n : 1, sizeof(*m->end));
	m->shift = xcalloc(m->n + 1, sizeof(*m->shift));
	for (size_t i = 0; i < m->n; i++) {
		const struct edit *e = vec_at(edits, i);

		m->start[i] = e->start;
		m->end[i] = e->end;
		m->shift[i] = shift;
		shift += (int64_t)strlen(e->text) - (int64_t)(e->end - e->start);
	}
	m->shift[m->n] = shift;
}

/* The edits are sorted and disjoint, so their ends never decrease and
 * "this edit ends after `off`, or inserts at it" holds from some edit on:
 * `off` moves by the edits before that one. */
uint32_t fix_map_at(const struct fix_map *m, uint32_t off)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->end[mid] > off || (m->start[mid] == m->end[mid] && m->start[mid] == off))
			hi = mid;
		else
			lo = mid + 1;
	}
	return (uint32_t)((int64_t)off + m->shift[lo]);
}

void fix_map_release(struct fix_map *m)
{
	free(m->start);
	free(m->end);
	free(m->shift);
	memset(m, 0, sizeof(*m));
}

void fix_edits_release(struct vec *edits)
{
	for (size_t i = 0; i < edits->len; i++)
		free(((struct edit *)vec_at(edits, i))->text);
	vec_release(edits);
}

/* An import a fix may have left unused is judged on the text every other
 * edit makes: a name another fix now refers to (`asyncio.timeout` written
 * where `asyncio.TimeoutError` went away) keeps its import. */
static void keep_used_imports(struct vec *drops, TSParser *parser, const struct source *src,
			      struct vec *all)
{
	struct buf text = BUF_INIT;
	TSTree *tree;
	struct scope_index *idx;

	fix_splice(&text, src->text, src->len, all);
	tree = tree_parse(parser, text.ptr, (uint32_t)text.len);
	if (!tree) {
		drops->len = 0;	/* cannot tell: keep every import */
		buf_release(&text);
		return;
	}
	idx = scope_index_new(tree, text.ptr, (uint32_t)text.len);
	for (size_t i = drops->len; i-- > 0;)
		if (scope_count_refs(idx, *(char **)vec_at(drops, i), NULL, 0) > 0)
			vec_remove(drops, i);
	scope_index_free(idx);
	ts_tree_delete(tree);
	buf_release(&text);
}

/* Where `e` goes in `taken` (struct edit *, sorted by start, then end):
 * after the edits that sort equal to it, so that two insertions at one
 * point keep the order their fix gave them. */
static size_t taken_index(const struct vec *taken, const struct edit *e)
{
	size_t lo = 0, hi = taken->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (edit_cmp(*(struct edit **)vec_at(taken, mid), e) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether `e` clashes with an edit already taken. The taken edits do not
 * overlap, so their ends grow with their starts: only the neighbours of
 * e's place can reach it. */
static bool clashes_with_taken(const struct vec *taken, const struct edit *e)
{
	size_t at = taken_index(taken, e);

	for (size_t k = at; k-- > 0;) {
		const struct edit *o = *(struct edit **)vec_at(taken, k);

		if (o->end < e->start)
			break;
		if (edits_clash(e, o))
			return true;
	}
	for (size_t k = at; k < taken->len; k++) {
		const struct edit *o = *(struct edit **)vec_at(taken, k);

		if (o->start > e->end)
			break;
		if (edits_clash(e, o))
			return true;
	}
	return false;
}

static void take(struct vec *taken, struct edit *e)
{
	size_t at = taken_index(taken, e);
	struct edit **items;

	vec_push(taken);
	items = taken->items;
	memmove(items + at + 1, items + at, (taken->len - 1 - at) * sizeof(*items));
	items[at] = e;
}

size_t fix_apply(struct buf *out, struct vec *edits, const struct source *src,
		 const TSTree *tree, const struct scope_index *scopes, struct vec *findings,
		 bool unsafe, TSParser *parser)
{
	struct vec taken = VEC_INIT(struct edit *);
	struct vec all = VEC_INIT(struct edit);
	struct vec imports = VEC_INIT(char *), statements = VEC_INIT(char *);
	struct vec drops = VEC_INIT(char *), forced = VEC_INIT(char *);
	size_t applied = 0;

	for (size_t i = 0; i < findings->len; i++) {
		struct finding *f = vec_at(findings, i);
		bool clash = false;

		if (f->fix == FIX_NONE || f->reason || f->held || (f->fix == FIX_UNSAFE && !unsafe) ||
		    (!f->edits.len && !f->needs.len))
			continue;
		for (size_t k = 0; k < f->edits.len && !clash; k++)
			clash = clashes_with_taken(&taken, vec_at(&f->edits, k));
		if (clash) {
			f->reason = "conflict";
			continue;
		}
		for (size_t k = 0; k < f->edits.len; k++)
			take(&taken, vec_at(&f->edits, k));
		for (size_t k = 0; k < f->needs.len; k++) {
			const struct need *n = vec_at(&f->needs, k);

			add_unique(n->kind == NEED_IMPORT ? &imports :
				   n->kind == NEED_STATEMENT ? &statements :
				   n->kind == NEED_DROP ? &drops : &forced, n->text);
		}
		f->applied = true;
		applied++;
	}
	for (size_t t = 0; t < taken.len; t++) {
		const struct edit *e = *(struct edit **)vec_at(&taken, t);
		const struct edit *o = all.len ? vec_at(&all, all.len - 1) : NULL;
		/* taken is sorted and shared edits are equal: a repeat follows its twin */
		bool dup = o && o->start == e->start && o->end == e->end && !strcmp(o->text, e->text);

		if (!dup) {
			struct edit *c = vec_push(&all);

			c->start = e->start;
			c->end = e->end;
			c->text = xstrdup(e->text);
		}
	}
	header_edit(&all, src, tree, &imports, &statements);
	if (drops.len && parser)
		keep_used_imports(&drops, parser, src, &all);
	drop_imports(&all, src, tree, scopes, &drops, &forced, &taken);
	fix_splice(out, src->text, src->len, &all);
	*edits = all;
	vec_release(&taken);
	vec_release(&imports);
	vec_release(&statements);
	vec_release(&drops);
	vec_release(&forced);
	return applied;
}
