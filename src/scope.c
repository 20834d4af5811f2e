/*
 * scope: name scopes and bindings of one Python module.
 *
 * One recursive walk over the tree records scopes with the byte range
 * whose code they run (a def's body, not its default values, which run in
 * the enclosing scope; a comprehension minus its first iterable), and
 * every binding and reference. Lookups then follow Python's LEGB rule.
 */
#include "scope.h"
#include "scope_internal.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

static bool node_is(TSNode n, const char *type)
{
	return !strcmp(ts_node_type(n), type);
}

static char *node_strdup(const struct scope_index *idx, TSNode n)
{
	return xstrndup(idx->text + ts_node_start_byte(n),
			ts_node_end_byte(n) - ts_node_start_byte(n));
}

/* Copies a dotted name's text without the whitespace or comments that
 * Python allows between its parts. */
static char *dotted_strdup(const struct scope_index *idx, TSNode n)
{
	struct buf b = BUF_INIT;
	uint32_t count = ts_node_named_child_count(n);

	if (!node_is(n, "dotted_name"))
		return node_strdup(idx, n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode part = ts_node_named_child(n, i);

		if (i)
			buf_putc(&b, '.');
		buf_add(&b, idx->text + ts_node_start_byte(part),
			ts_node_end_byte(part) - ts_node_start_byte(part));
	}
	return buf_detach(&b);
}

static int scope_add(struct scope_index *idx, enum scope_kind kind, int parent,
		     uint32_t start, uint32_t end)
{
	struct scope *s = vec_push(&idx->scopes);

	s->kind = kind;
	s->parent = parent;
	s->start = start;
	s->end = end;
	return (int)idx->scopes.len - 1;
}

static struct binding *bind(struct scope_index *idx, int scope, TSNode name,
			    enum binding_kind kind)
{
	struct binding *b = vec_push(&idx->bindings);

	b->scope = scope;
	b->kind = kind;
	b->name = node_strdup(idx, name);
	b->at = ts_node_start_byte(name);
	return b;
}

static void add_ref(struct scope_index *idx, TSNode n, int scope)
{
	struct ref *r = vec_push(&idx->refs);

	r->start = ts_node_start_byte(n);
	r->len = ts_node_end_byte(n) - r->start;
	r->scope = scope;
}

static void visit(struct scope_index *idx, TSNode node, int scope);

static void visit_children(struct scope_index *idx, TSNode node, int scope)
{
	TSTreeCursor c = ts_tree_cursor_new(node);

	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode child = ts_tree_cursor_current_node(&c);

			if (ts_node_is_named(child))
				visit(idx, child, scope);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* Binds every name in an assignment target; other parts are visited. */
static void bind_target(struct scope_index *idx, TSNode t, int scope)
{
	const char *type = ts_node_type(t);

	if (!strcmp(type, "identifier")) {
		bind(idx, scope, t, BIND_OTHER);
		add_ref(idx, t, scope);
	} else if (!strcmp(type, "pattern_list") || !strcmp(type, "tuple_pattern") ||
		   !strcmp(type, "list_pattern") || !strcmp(type, "tuple") ||
		   !strcmp(type, "list") || !strcmp(type, "parenthesized_expression") ||
		   !strcmp(type, "list_splat_pattern") || !strcmp(type, "list_splat") ||
		   !strcmp(type, "as_pattern_target") || !strcmp(type, "expression_list")) {
		uint32_t n = ts_node_named_child_count(t);

		for (uint32_t i = 0; i < n; i++)
			bind_target(idx, ts_node_named_child(t, i), scope);
	} else {
		visit(idx, t, scope);
	}
}

/* Parameters bind in the new scope `inner`; defaults and annotations run
 * in `outer`. */
static void visit_parameters(struct scope_index *idx, TSNode params, int outer, int inner)
{
	uint32_t n = ts_node_named_child_count(params);

	for (uint32_t i = 0; i < n; i++) {
		TSNode p = ts_node_named_child(params, i);
		const char *type = ts_node_type(p);

		if (!strcmp(type, "identifier")) {
			bind(idx, inner, p, BIND_OTHER);
		} else if (!strcmp(type, "default_parameter") ||
			   !strcmp(type, "typed_default_parameter")) {
			TSNode name = ts_node_child_by_field_name(p, "name", 4);
			TSNode type_n = ts_node_child_by_field_name(p, "type", 4);
			TSNode value = ts_node_child_by_field_name(p, "value", 5);

			if (!ts_node_is_null(name))
				bind_target(idx, name, inner);
			if (!ts_node_is_null(type_n))
				visit(idx, type_n, outer);
			if (!ts_node_is_null(value))
				visit(idx, value, outer);
		} else if (!strcmp(type, "typed_parameter")) {
			uint32_t m = ts_node_named_child_count(p);

			for (uint32_t k = 0; k < m; k++) {
				TSNode c = ts_node_named_child(p, k);

				if (node_is(c, "type"))
					visit(idx, c, outer);
				else
					bind_target(idx, c, inner);
			}
		} else if (!strcmp(type, "list_splat_pattern") ||
			   !strcmp(type, "dictionary_splat_pattern")) {
			uint32_t m = ts_node_named_child_count(p);

			for (uint32_t k = 0; k < m; k++)
				bind_target(idx, ts_node_named_child(p, k), inner);
		}
	}
}

static void visit_function(struct scope_index *idx, TSNode node, int scope)
{
	TSNode name = ts_node_child_by_field_name(node, "name", 4);
	TSNode params = ts_node_child_by_field_name(node, "parameters", 10);
	TSNode ret = ts_node_child_by_field_name(node, "return_type", 11);
	TSNode body = ts_node_child_by_field_name(node, "body", 4);
	bool async = ts_node_child_count(node) && node_is(ts_node_child(node, 0), "async");
	int inner;

	if (!ts_node_is_null(name))
		bind(idx, scope, name, BIND_OTHER);
	if (!ts_node_is_null(ret))
		visit(idx, ret, scope);
	if (ts_node_is_null(body))
		return;
	inner = scope_add(idx, async ? SCOPE_ASYNC_FUNCTION : SCOPE_FUNCTION, scope,
			  ts_node_start_byte(body), ts_node_end_byte(body));
	if (!ts_node_is_null(params))
		visit_parameters(idx, params, scope, inner);
	visit(idx, body, inner);
}

static void visit_lambda(struct scope_index *idx, TSNode node, int scope)
{
	TSNode params = ts_node_child_by_field_name(node, "parameters", 10);
	TSNode body = ts_node_child_by_field_name(node, "body", 4);
	int inner;

	if (ts_node_is_null(body))
		return;
	inner = scope_add(idx, SCOPE_LAMBDA, scope, ts_node_start_byte(body),
			  ts_node_end_byte(body));
	if (!ts_node_is_null(params))
		visit_parameters(idx, params, scope, inner);
	visit(idx, body, inner);
}

static void visit_class(struct scope_index *idx, TSNode node, int scope)
{
	TSNode name = ts_node_child_by_field_name(node, "name", 4);
	TSNode supers = ts_node_child_by_field_name(node, "superclasses", 12);
	TSNode body = ts_node_child_by_field_name(node, "body", 4);
	int inner;

	if (!ts_node_is_null(name))
		bind(idx, scope, name, BIND_OTHER);
	if (!ts_node_is_null(supers))
		visit(idx, supers, scope);
	if (ts_node_is_null(body))
		return;
	inner = scope_add(idx, SCOPE_CLASS, scope, ts_node_start_byte(body),
			  ts_node_end_byte(body));
	visit(idx, body, inner);
}

static void visit_comprehension(struct scope_index *idx, TSNode node, int scope)
{
	bool first = true;
	uint32_t n = ts_node_named_child_count(node);
	int inner = scope_add(idx, node_is(node, "generator_expression") ? SCOPE_GENERATOR
					: SCOPE_COMPREHENSION,
			      scope, ts_node_start_byte(node), ts_node_end_byte(node));

	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(node, i);

		if (node_is(c, "for_in_clause")) {
			TSNode left = ts_node_child_by_field_name(c, "left", 4);
			TSNode right = ts_node_child_by_field_name(c, "right", 5);

			if (!ts_node_is_null(left))
				bind_target(idx, left, inner);
			if (!ts_node_is_null(right)) {
				if (first) {
					struct scope *s = vec_at(&idx->scopes, (size_t)inner);

					s->ex_start = ts_node_start_byte(right);
					s->ex_end = ts_node_end_byte(right);
				}
				visit(idx, right, first ? scope : inner);
			}
			first = false;
		} else {
			visit(idx, c, inner);
		}
	}
}

static void note_runtime(struct scope_index *idx, const char *module)
{
	if (!strncmp(module, "anyio", 5) && (module[5] == '\0' || module[5] == '.'))
		idx->runtime = RUNTIME_ANYIO;
	else if (idx->runtime == RUNTIME_ASYNCIO && !strncmp(module, "trio", 4) &&
		 (module[4] == '\0' || module[4] == '.'))
		idx->runtime = RUNTIME_TRIO;
}

static void visit_import(struct scope_index *idx, TSNode node, int scope)
{
	bool top = scope == 0 && node_is(ts_node_parent(node), "module");
	TSTreeCursor c = ts_tree_cursor_new(node);

	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			const char *field = ts_tree_cursor_current_field_name(&c);
			TSNode item = ts_tree_cursor_current_node(&c);
			struct binding *b;
			char *full;

			if (!field || strcmp(field, "name"))
				continue;
			if (node_is(item, "aliased_import")) {
				TSNode name = ts_node_child_by_field_name(item, "name", 4);
				TSNode alias = ts_node_child_by_field_name(item, "alias", 5);

				if (ts_node_is_null(name) || ts_node_is_null(alias))
					continue;
				full = dotted_strdup(idx, name);
				b = bind(idx, scope, alias, BIND_IMPORT);
			} else {
				full = dotted_strdup(idx, item);
				b = bind(idx, scope, ts_node_named_child(item, 0), BIND_IMPORT);
				full[strcspn(full, ".")] = '\0';
			}
			note_runtime(idx, full);
			b->qname = full;
			b->top = top;
			b->stmt_start = ts_node_start_byte(node);
			b->stmt_end = ts_node_end_byte(node);
			b->item_start = ts_node_start_byte(item);
			b->item_end = ts_node_end_byte(item);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

static void visit_import_from(struct scope_index *idx, TSNode node, int scope)
{
	bool top = scope == 0 && node_is(ts_node_parent(node), "module");
	TSNode mod = ts_node_child_by_field_name(node, "module_name", 11);
	TSTreeCursor c;
	char *module;

	if (ts_node_is_null(mod))
		return;
	module = dotted_strdup(idx, mod);
	note_runtime(idx, module);
	c = ts_tree_cursor_new(node);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			const char *field = ts_tree_cursor_current_field_name(&c);
			TSNode item = ts_tree_cursor_current_node(&c);
			TSNode name, local;
			struct binding *b;
			struct buf q = BUF_INIT;
			char *n;

			if (!field || strcmp(field, "name"))
				continue;
			if (node_is(item, "aliased_import")) {
				name = ts_node_child_by_field_name(item, "name", 4);
				local = ts_node_child_by_field_name(item, "alias", 5);
			} else {
				name = item;
				local = ts_node_named_child(item, 0);
			}
			if (ts_node_is_null(name) || ts_node_is_null(local))
				continue;
			n = dotted_strdup(idx, name);
			buf_printf(&q, "%s.%s", module, n);
			free(n);
			b = bind(idx, scope, local, BIND_IMPORT);
			b->qname = buf_detach(&q);
			b->top = top;
			b->from = true;
			b->stmt_start = ts_node_start_byte(node);
			b->stmt_end = ts_node_end_byte(node);
			b->item_start = ts_node_start_byte(item);
			b->item_end = ts_node_end_byte(item);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	free(module);
}

static bool text_is(const struct scope_index *idx, TSNode n, const char *s)
{
	size_t len = strlen(s);

	return !ts_node_is_null(n) && ts_node_end_byte(n) - ts_node_start_byte(n) == len &&
	       !memcmp(idx->text + ts_node_start_byte(n), s, len);
}

/* `pytest.mark.anyio` / `pytest.mark.trio` select the runner of a test
 * module, whatever it imports. */
static void note_marker(struct scope_index *idx, TSNode attr)
{
	TSNode name = ts_node_child_by_field_name(attr, "attribute", 9);
	TSNode obj = ts_node_child_by_field_name(attr, "object", 6);

	if (ts_node_is_null(obj) || !node_is(obj, "attribute") ||
	    !text_is(idx, ts_node_child_by_field_name(obj, "attribute", 9), "mark"))
		return;
	if (text_is(idx, name, "anyio"))
		idx->runtime = RUNTIME_ANYIO;
	else if (text_is(idx, name, "trio") && idx->runtime == RUNTIME_ASYNCIO)
		idx->runtime = RUNTIME_TRIO;
}

/* The scope a walrus binds in: the nearest one that is not a comprehension. */
static int walrus_scope(const struct scope_index *idx, int scope)
{
	while (scope > 0) {
		const struct scope *s = vec_at(&idx->scopes, (size_t)scope);

		if (s->kind != SCOPE_COMPREHENSION && s->kind != SCOPE_GENERATOR)
			break;
		scope = s->parent;
	}
	return scope;
}

static void visit(struct scope_index *idx, TSNode node, int scope)
{
	const char *type = ts_node_type(node);

	if (!strcmp(type, "identifier")) {
		add_ref(idx, node, scope);
	} else if (!strcmp(type, "function_definition")) {
		visit_function(idx, node, scope);
	} else if (!strcmp(type, "lambda")) {
		visit_lambda(idx, node, scope);
	} else if (!strcmp(type, "class_definition")) {
		visit_class(idx, node, scope);
	} else if (!strcmp(type, "list_comprehension") || !strcmp(type, "set_comprehension") ||
		   !strcmp(type, "dictionary_comprehension") ||
		   !strcmp(type, "generator_expression")) {
		visit_comprehension(idx, node, scope);
	} else if (!strcmp(type, "import_statement")) {
		visit_import(idx, node, scope);
	} else if (!strcmp(type, "import_from_statement")) {
		visit_import_from(idx, node, scope);
	} else if (!strcmp(type, "future_import_statement")) {
		return;
	} else if (!strcmp(type, "assignment") || !strcmp(type, "augmented_assignment") ||
		   !strcmp(type, "for_statement")) {
		TSNode left = ts_node_child_by_field_name(node, "left", 4);
		TSTreeCursor c = ts_tree_cursor_new(node);

		if (!ts_node_is_null(left))
			bind_target(idx, left, scope);
		if (ts_tree_cursor_goto_first_child(&c)) {
			do {
				const char *field = ts_tree_cursor_current_field_name(&c);
				TSNode child = ts_tree_cursor_current_node(&c);

				if (ts_node_is_named(child) && (!field || strcmp(field, "left")))
					visit(idx, child, scope);
			} while (ts_tree_cursor_goto_next_sibling(&c));
		}
		ts_tree_cursor_delete(&c);
	} else if (!strcmp(type, "as_pattern")) {
		TSNode alias = ts_node_child_by_field_name(node, "alias", 5);
		uint32_t n = ts_node_named_child_count(node);

		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(node, i);

			if (!node_is(c, "as_pattern_target"))
				visit(idx, c, scope);
		}
		if (!ts_node_is_null(alias))
			bind_target(idx, alias, scope);
	} else if (!strcmp(type, "named_expression")) {
		TSNode name = ts_node_child_by_field_name(node, "name", 4);
		TSNode value = ts_node_child_by_field_name(node, "value", 5);

		if (!ts_node_is_null(name)) {
			bind(idx, walrus_scope(idx, scope), name, BIND_OTHER);
			add_ref(idx, name, walrus_scope(idx, scope));
		}
		if (!ts_node_is_null(value))
			visit(idx, value, scope);
	} else if (!strcmp(type, "global_statement") || !strcmp(type, "nonlocal_statement")) {
		uint32_t n = ts_node_named_child_count(node);

		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(node, i);

			if (node_is(c, "identifier"))
				bind(idx, scope, c, type[0] == 'g' ? BIND_GLOBAL : BIND_NONLOCAL);
		}
	} else if (!strcmp(type, "attribute")) {
		TSNode obj = ts_node_child_by_field_name(node, "object", 6);

		note_marker(idx, node);
		if (!ts_node_is_null(obj))
			visit(idx, obj, scope);
	} else if (!strcmp(type, "keyword_argument")) {
		TSNode value = ts_node_child_by_field_name(node, "value", 5);

		if (!ts_node_is_null(value))
			visit(idx, value, scope);
	} else {
		visit_children(idx, node, scope);
	}
}

/* Orders two names given by text and length as strcmp orders strings. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return (alen > blen) - (alen < blen);
}

static int binding_order(const void *a, const void *b)
{
	const struct binding *x = *(const struct binding *const *)a;
	const struct binding *y = *(const struct binding *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->scope != y->scope)
		return (x->scope > y->scope) - (x->scope < y->scope);
	return (x > y) - (x < y);
}

static int ref_text_cmp(const void *a, const void *b, void *text)
{
	const struct ref *x = a, *y = b;

	return name_cmp((const char *)text + x->start, x->len, (const char *)text + y->start,
			y->len);
}

/* The first entry of `by_name` for `name` in `scope` (any scope when
 * `scope` < 0), or by_name.len. */
static size_t first_binding(const struct scope_index *idx, const char *name, size_t len,
			    int scope)
{
	size_t lo = 0, hi = idx->by_name.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct binding *b = *(const struct binding **)vec_at(&idx->by_name, mid);
		int c = name_cmp(b->name, strlen(b->name), name, len);

		if (!c && scope >= 0)
			c = (b->scope > scope) - (b->scope < scope);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct scope_index *scope_index_new(const TSTree *tree, const char *text, uint32_t len)
{
	struct scope_index *idx = xcalloc(1, sizeof(*idx));
	struct vec scopes = VEC_INIT(struct scope);
	struct vec bindings = VEC_INIT(struct binding);
	struct vec refs = VEC_INIT(struct ref);
	struct vec from_imports = VEC_INIT(size_t);
	struct vec by_name = VEC_INIT(const struct binding *);
	struct vec ref_names = VEC_INIT(struct ref);
	TSNode root = ts_tree_root_node(tree);

	idx->text = text;
	idx->len = len;
	idx->scopes = scopes;
	idx->bindings = bindings;
	idx->refs = refs;
	idx->runtime = RUNTIME_ASYNCIO;
	idx->has_all = memmem(text, len, "__all__", 7) != NULL;

	scope_add(idx, SCOPE_MODULE, -1, 0, len + 1);
	visit_children(idx, root, 0);
	/* look-ups by name run in logarithmic time: rules ask once per finding */
	idx->by_name = by_name;
	for (size_t i = 0; i < idx->bindings.len; i++)
		*(const struct binding **)vec_push(&idx->by_name) = vec_at(&idx->bindings, i);
	vec_sort(&idx->by_name, binding_order);
	idx->ref_names = ref_names;
	for (size_t i = 0; i < idx->refs.len; i++)
		*(struct ref *)vec_push(&idx->ref_names) = *(const struct ref *)vec_at(&idx->refs, i);
	if (idx->ref_names.len)
		qsort_r(idx->ref_names.items, idx->ref_names.len, sizeof(struct ref), ref_text_cmp,
			(void *)text);
	/* `#imports?` asks about every identifier: keep its candidates apart */
	idx->from_imports = from_imports;
	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);

		if (b->kind == BIND_IMPORT && b->from)
			*(size_t *)vec_push(&idx->from_imports) = i;
	}
	return idx;
}

void scope_index_free(struct scope_index *idx)
{
	if (!idx)
		return;
	for (size_t i = 0; i < idx->bindings.len; i++) {
		struct binding *b = vec_at(&idx->bindings, i);

		free(b->name);
		free(b->qname);
	}
	vec_release(&idx->bindings);
	vec_release(&idx->scopes);
	vec_release(&idx->refs);
	vec_release(&idx->from_imports);
	vec_release(&idx->by_name);
	vec_release(&idx->ref_names);
	free(idx);
}

int scope_at(const struct scope_index *idx, uint32_t at)
{
	int best = 0;
	uint32_t best_size = UINT32_MAX;

	for (size_t i = 0; i < idx->scopes.len; i++) {
		const struct scope *s = vec_at(&idx->scopes, i);

		if (at < s->start || at >= s->end || s->end - s->start >= best_size)
			continue;
		if (s->ex_end > s->ex_start && at >= s->ex_start && at < s->ex_end)
			continue;
		best = (int)i;
		best_size = s->end - s->start;
	}
	return best;
}

enum scope_kind scope_kind(const struct scope_index *idx, int scope)
{
	return ((const struct scope *)vec_at(&idx->scopes, (size_t)scope))->kind;
}

enum scope_context scope_context_at(const struct scope_index *idx, uint32_t at)
{
	int s = scope_at(idx, at);
	bool nested = false;

	for (;;) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);

		if (sc->kind == SCOPE_COMPREHENSION && !nested) {
			s = sc->parent;
			continue;
		}
		if (sc->kind == SCOPE_ASYNC_FUNCTION)
			return nested ? CONTEXT_NESTED_SYNC : CONTEXT_ASYNC;
		if (sc->kind == SCOPE_MODULE)
			return nested ? CONTEXT_SYNC : CONTEXT_MODULE;
		nested = true;
		s = sc->parent;
	}
}

/* Looks `name` up in the bindings of one scope. Returns -1 when the scope
 * does not bind it, else a resolution; `*global` is set for `global name`. */
static int lookup_in(const struct scope_index *idx, int scope, const char *name, size_t len,
		     const char **qname, bool *global, bool *nonlocal)
{
	size_t imports = 0, others = 0;
	const char *q = NULL;
	bool mixed = false;

	*global = *nonlocal = false;
	for (size_t i = first_binding(idx, name, len, scope); i < idx->by_name.len; i++) {
		const struct binding *b = *(const struct binding **)vec_at(&idx->by_name, i);

		if (b->scope != scope || strlen(b->name) != len || memcmp(b->name, name, len))
			break;
		switch (b->kind) {
		case BIND_GLOBAL:
			*global = true;
			break;
		case BIND_NONLOCAL:
			*nonlocal = true;
			break;
		case BIND_IMPORT:
			if (q && strcmp(q, b->qname))
				mixed = true;
			if (!q)
				q = b->qname;	/* the first in the source: a try branch */
			imports++;
			break;
		case BIND_OTHER:
			others++;
			break;
		}
	}
	if (*global || *nonlocal)
		return -1;
	if (!imports && !others)
		return -1;
	if (imports && (others || mixed)) {
		*qname = q;	/* one of the candidates, for the report */
		return RESOLVE_AMBIGUOUS;
	}
	if (others)
		return RESOLVE_LOCAL;
	*qname = q;
	return RESOLVE_MODULE;
}

enum resolution scope_resolve_name(const struct scope_index *idx, uint32_t at,
				   const char *name, size_t len, const char **qname)
{
	int s = scope_at(idx, at);
	bool first = true;

	while (s >= 0) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);
		bool global, nonlocal;
		int r;

		if (sc->kind == SCOPE_CLASS && !first) {
			s = sc->parent;
			continue;
		}
		r = lookup_in(idx, s, name, len, qname, &global, &nonlocal);
		if (global) {
			s = 0;
			first = false;
			r = lookup_in(idx, 0, name, len, qname, &global, &nonlocal);
			return r < 0 ? RESOLVE_UNBOUND : (enum resolution)r;
		}
		if (r >= 0)
			return (enum resolution)r;
		first = false;
		s = sc->parent;
	}
	return RESOLVE_UNBOUND;
}

enum resolution scope_resolve_expr(const struct scope_index *idx, TSNode expr,
				   struct buf *qname)
{
	TSNode parts[32];
	size_t n = 0;
	TSNode base = expr;
	const char *q = NULL;
	enum resolution r;

	buf_clear(qname);
	if (node_is(base, "dotted_name")) {
		/* a.b.c in a class pattern: parts are the named children */
		uint32_t count = ts_node_named_child_count(base);

		for (uint32_t i = count; i > 1 && n < 32; i--)
			parts[n++] = ts_node_named_child(base, i - 1);
		base = ts_node_named_child(base, 0);
	}
	while (node_is(base, "attribute") && n < 32) {
		parts[n++] = ts_node_child_by_field_name(base, "attribute", 9);
		base = ts_node_child_by_field_name(base, "object", 6);
		if (ts_node_is_null(base))
			return RESOLVE_LOCAL;
	}
	if (!node_is(base, "identifier"))
		return RESOLVE_LOCAL;
	r = scope_resolve_name(idx, ts_node_start_byte(base), idx->text + ts_node_start_byte(base),
			       ts_node_end_byte(base) - ts_node_start_byte(base), &q);
	if ((r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) && q)
		buf_puts(qname, q);
	else
		buf_add(qname, idx->text + ts_node_start_byte(base),
			ts_node_end_byte(base) - ts_node_start_byte(base));
	while (n > 0) {
		TSNode p = parts[--n];

		buf_putc(qname, '.');
		buf_add(qname, idx->text + ts_node_start_byte(p),
			ts_node_end_byte(p) - ts_node_start_byte(p));
	}
	return r;
}

size_t scope_binding_sites(const struct scope_index *idx, uint32_t at, const char *name,
			   size_t len, uint32_t *sites, size_t max)
{
	int s = scope_at(idx, at);
	bool first = true;

	while (s >= 0) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);
		size_t n = 0;
		bool bound = false;

		if (sc->kind == SCOPE_CLASS && !first) {
			s = sc->parent;
			continue;
		}
		for (size_t i = first_binding(idx, name, len, s); i < idx->by_name.len; i++) {
			const struct binding *b =
				*(const struct binding **)vec_at(&idx->by_name, i);

			if (b->scope != s || strlen(b->name) != len || memcmp(b->name, name, len))
				break;
			bound = true;
			if (b->kind != BIND_OTHER || n == max)
				return 0;
			sites[n++] = b->at;
		}
		if (bound)
			return n;
		first = false;
		s = sc->parent;
	}
	return 0;
}

bool scope_imports_name(const struct scope_index *idx, const char *text, size_t len,
			const char *const *qnames, size_t n)
{
	for (size_t i = 0; i < idx->from_imports.len; i++) {
		const struct binding *b =
			vec_at(&idx->bindings, *(size_t *)vec_at(&idx->from_imports, i));

		if (strlen(b->name) != len || memcmp(b->name, text, len))
			continue;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(b->qname, qnames[k]))
				return true;
	}
	return false;
}

bool scope_name_used(const struct scope_index *idx, const char *name)
{
	size_t len = strlen(name), lo = 0, hi = idx->ref_names.len, at;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ref *r = vec_at(&idx->ref_names, mid);

		if (name_cmp(idx->text + r->start, r->len, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < idx->ref_names.len) {
		const struct ref *r = vec_at(&idx->ref_names, lo);

		if (r->len == len && !memcmp(idx->text + r->start, name, len))
			return true;
	}
	at = first_binding(idx, name, len, -1);
	return at < idx->by_name.len &&
	       !strcmp((*(const struct binding **)vec_at(&idx->by_name, at))->name, name);
}

const char *scope_module_alias(const struct scope_index *idx, const char *module)
{
	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);
		const char *q = NULL;

		if (b->kind != BIND_IMPORT || !b->top || b->from || strcmp(b->qname, module))
			continue;
		if (scope_resolve_name(idx, 0, b->name, strlen(b->name), &q) == RESOLVE_MODULE &&
		    !strcmp(q, module))
			return b->name;
	}
	return NULL;
}

/* Describes the import binding `b` in `out`; false when there is none. */
static bool import_out(const struct binding *b, struct scope_import *out)
{
	if (!b)
		return false;
	out->stmt_start = b->stmt_start;
	out->stmt_end = b->stmt_end;
	out->item_start = b->item_start;
	out->item_end = b->item_end;
	out->qname = b->qname;
	out->from = b->from;
	return true;
}

bool scope_top_import(const struct scope_index *idx, const char *name, struct scope_import *out)
{
	const struct binding *found = NULL;

	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);

		if (b->scope != 0 || strcmp(b->name, name))
			continue;
		if (found || b->kind != BIND_IMPORT || !b->top)
			return false;
		found = b;
	}
	return import_out(found, out);
}

bool scope_sole_import(const struct scope_index *idx, const char *name, struct scope_import *out)
{
	const struct binding *found = NULL;

	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);

		if (strcmp(b->name, name))
			continue;
		if (found || b->kind != BIND_IMPORT)
			return false;
		found = b;
	}
	return import_out(found, out);
}

size_t scope_count_refs(const struct scope_index *idx, const char *name, const uint32_t *skip,
			size_t nskip)
{
	size_t len = strlen(name), count = 0;

	for (size_t i = 0; i < idx->refs.len; i++) {
		const struct ref *r = vec_at(&idx->refs, i);
		bool skipped = false;

		if (r->len != len || memcmp(idx->text + r->start, name, len))
			continue;
		for (size_t k = 0; k < nskip && !skipped; k++)
			skipped = r->start >= skip[2 * k] && r->start + r->len <= skip[2 * k + 1];
		count += !skipped;
	}
	return count;
}

enum runtime scope_runtime(const struct scope_index *idx)
{
	return idx->runtime;
}

bool scope_has_all(const struct scope_index *idx)
{
	return idx->has_all;
}
