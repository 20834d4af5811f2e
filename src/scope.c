/*
 * scope: name scopes and bindings of one Python module.
 *
 * One recursive walk over the tree records scopes with the byte range
 * whose code they run (a def's body, not its default values, which run in
 * the enclosing scope; a comprehension minus its first iterable), and
 * every binding and reference. The lookups over the index, following
 * Python's LEGB rule, are in scope_lookup.c.
 */
#include "scope.h"
#include "scope_internal.h"
#include "vec.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>

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

	if (!scope_node_is(n, "dotted_name"))
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
			TSNode name = ts_node_child_by_field_id(p, idx->fields.name);
			TSNode type_n = ts_node_child_by_field_id(p, idx->fields.type);
			TSNode value = ts_node_child_by_field_id(p, idx->fields.value);

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

				if (scope_node_is(c, "type"))
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
	TSNode name = ts_node_child_by_field_id(node, idx->fields.name);
	TSNode params = ts_node_child_by_field_id(node, idx->fields.parameters);
	TSNode ret = ts_node_child_by_field_id(node, idx->fields.return_type);
	TSNode body = ts_node_child_by_field_id(node, idx->fields.body);
	bool async = ts_node_child_count(node) && scope_node_is(ts_node_child(node, 0), "async");
	int inner;

	if (!ts_node_is_null(name))
		bind(idx, scope, name, BIND_OTHER)->async_def = async;
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
	TSNode params = ts_node_child_by_field_id(node, idx->fields.parameters);
	TSNode body = ts_node_child_by_field_id(node, idx->fields.body);
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
	TSNode name = ts_node_child_by_field_id(node, idx->fields.name);
	TSNode supers = ts_node_child_by_field_id(node, idx->fields.superclasses);
	TSNode body = ts_node_child_by_field_id(node, idx->fields.body);
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
	int inner = scope_add(idx, scope_node_is(node, "generator_expression") ? SCOPE_GENERATOR
					: SCOPE_COMPREHENSION,
			      scope, ts_node_start_byte(node), ts_node_end_byte(node));

	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(node, i);

		if (scope_node_is(c, "for_in_clause")) {
			TSNode left = ts_node_child_by_field_id(c, idx->fields.left);
			TSNode right = ts_node_child_by_field_id(c, idx->fields.right);

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
	bool top = scope == 0 && scope_node_is(tree_parent(node), "module");
	TSTreeCursor c = ts_tree_cursor_new(node);

	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			const char *field = ts_tree_cursor_current_field_name(&c);
			TSNode item = ts_tree_cursor_current_node(&c);
			struct binding *b;
			char *full;

			if (!field || strcmp(field, "name"))
				continue;
			if (scope_node_is(item, "aliased_import")) {
				TSNode name = ts_node_child_by_field_id(item, idx->fields.name);
				TSNode alias = ts_node_child_by_field_id(item, idx->fields.alias);

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
	bool top = scope == 0 && scope_node_is(tree_parent(node), "module");
	TSNode mod = ts_node_child_by_field_id(node, idx->fields.module_name);
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
			if (scope_node_is(item, "aliased_import")) {
				name = ts_node_child_by_field_id(item, idx->fields.name);
				local = ts_node_child_by_field_id(item, idx->fields.alias);
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
	TSNode name = ts_node_child_by_field_id(attr, idx->fields.attribute);
	TSNode obj = ts_node_child_by_field_id(attr, idx->fields.object);

	if (ts_node_is_null(obj) || !scope_node_is(obj, "attribute") ||
	    !text_is(idx, ts_node_child_by_field_id(obj, idx->fields.attribute), "mark"))
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

/* What visit() does with a node of a type. */
enum visit_kind {
	SCOPE_VISIT_UNKNOWN,
	SCOPE_VISIT_OTHER,
	SCOPE_VISIT_IDENTIFIER,
	SCOPE_VISIT_FUNCTION,
	SCOPE_VISIT_LAMBDA,
	SCOPE_VISIT_CLASS,
	SCOPE_VISIT_COMPREHENSION,
	SCOPE_VISIT_IMPORT,
	SCOPE_VISIT_IMPORT_FROM,
	SCOPE_VISIT_FUTURE_IMPORT,
	SCOPE_VISIT_ASSIGNMENT,
	SCOPE_VISIT_AS_PATTERN,
	SCOPE_VISIT_NAMED_EXPRESSION,
	SCOPE_VISIT_GLOBAL,
	SCOPE_VISIT_NONLOCAL,
	SCOPE_VISIT_ATTRIBUTE,
	SCOPE_VISIT_KEYWORD_ARGUMENT,
	SCOPE_VISIT_BLOCK,
};

static enum visit_kind visit_kind_of(const char *type)
{
	static const struct {
		const char *type;
		enum visit_kind kind;
	} kinds[] = {
		{ "identifier", SCOPE_VISIT_IDENTIFIER },
		{ "function_definition", SCOPE_VISIT_FUNCTION },
		{ "lambda", SCOPE_VISIT_LAMBDA },
		{ "class_definition", SCOPE_VISIT_CLASS },
		{ "list_comprehension", SCOPE_VISIT_COMPREHENSION },
		{ "set_comprehension", SCOPE_VISIT_COMPREHENSION },
		{ "dictionary_comprehension", SCOPE_VISIT_COMPREHENSION },
		{ "generator_expression", SCOPE_VISIT_COMPREHENSION },
		{ "import_statement", SCOPE_VISIT_IMPORT },
		{ "import_from_statement", SCOPE_VISIT_IMPORT_FROM },
		{ "future_import_statement", SCOPE_VISIT_FUTURE_IMPORT },
		{ "assignment", SCOPE_VISIT_ASSIGNMENT },
		{ "augmented_assignment", SCOPE_VISIT_ASSIGNMENT },
		{ "for_statement", SCOPE_VISIT_ASSIGNMENT },
		{ "as_pattern", SCOPE_VISIT_AS_PATTERN },
		{ "named_expression", SCOPE_VISIT_NAMED_EXPRESSION },
		{ "global_statement", SCOPE_VISIT_GLOBAL },
		{ "nonlocal_statement", SCOPE_VISIT_NONLOCAL },
		{ "attribute", SCOPE_VISIT_ATTRIBUTE },
		{ "keyword_argument", SCOPE_VISIT_KEYWORD_ARGUMENT },
		{ "block", SCOPE_VISIT_BLOCK },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(type, kinds[i].type))
			return kinds[i].kind;
	return SCOPE_VISIT_OTHER;
}

/* Keeps the earliest block that holds comments at most. */
static void note_empty_block(struct scope_index *idx, TSNode block)
{
	uint32_t n = ts_node_named_child_count(block), k = 0;

	while (k < n && !strcmp(ts_node_type(ts_node_named_child(block, k)), "comment"))
		k++;
	if (k == n && (!idx->empty_block || ts_node_start_byte(block) < idx->empty_block_at)) {
		idx->empty_block = true;
		idx->empty_block_at = ts_node_start_byte(block);
	}
}

/* The visit kind of `node`, from its symbol once the type was seen. */
static enum visit_kind node_visit_kind(struct scope_index *idx, TSNode node)
{
	TSSymbol sym = ts_node_symbol(node);

	if (sym >= idx->nsymbols)
		return visit_kind_of(ts_node_type(node));
	if (idx->visit_kinds[sym] == SCOPE_VISIT_UNKNOWN)
		idx->visit_kinds[sym] = (unsigned char)visit_kind_of(ts_node_type(node));
	return (enum visit_kind)idx->visit_kinds[sym];
}

static void visit(struct scope_index *idx, TSNode node, int scope)
{
	enum visit_kind kind = node_visit_kind(idx, node);

	if (kind == SCOPE_VISIT_OTHER) {
		visit_children(idx, node, scope);
	} else if (kind == SCOPE_VISIT_BLOCK) {
		note_empty_block(idx, node);
		visit_children(idx, node, scope);
	} else if (kind == SCOPE_VISIT_IDENTIFIER) {
		add_ref(idx, node, scope);
	} else if (kind == SCOPE_VISIT_FUNCTION) {
		visit_function(idx, node, scope);
	} else if (kind == SCOPE_VISIT_LAMBDA) {
		visit_lambda(idx, node, scope);
	} else if (kind == SCOPE_VISIT_CLASS) {
		visit_class(idx, node, scope);
	} else if (kind == SCOPE_VISIT_COMPREHENSION) {
		visit_comprehension(idx, node, scope);
	} else if (kind == SCOPE_VISIT_IMPORT) {
		visit_import(idx, node, scope);
	} else if (kind == SCOPE_VISIT_IMPORT_FROM) {
		visit_import_from(idx, node, scope);
	} else if (kind == SCOPE_VISIT_FUTURE_IMPORT) {
		return;
	} else if (kind == SCOPE_VISIT_ASSIGNMENT) {
		TSNode left = ts_node_child_by_field_id(node, idx->fields.left);
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
	} else if (kind == SCOPE_VISIT_AS_PATTERN) {
		TSNode alias = ts_node_child_by_field_id(node, idx->fields.alias);
		uint32_t n = ts_node_named_child_count(node);

		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(node, i);

			if (!scope_node_is(c, "as_pattern_target"))
				visit(idx, c, scope);
		}
		if (!ts_node_is_null(alias))
			bind_target(idx, alias, scope);
	} else if (kind == SCOPE_VISIT_NAMED_EXPRESSION) {
		TSNode name = ts_node_child_by_field_id(node, idx->fields.name);
		TSNode value = ts_node_child_by_field_id(node, idx->fields.value);

		if (!ts_node_is_null(name)) {
			bind(idx, walrus_scope(idx, scope), name, BIND_OTHER);
			add_ref(idx, name, walrus_scope(idx, scope));
		}
		if (!ts_node_is_null(value))
			visit(idx, value, scope);
	} else if (kind == SCOPE_VISIT_GLOBAL || kind == SCOPE_VISIT_NONLOCAL) {
		uint32_t n = ts_node_named_child_count(node);

		for (uint32_t i = 0; i < n; i++) {
			TSNode c = ts_node_named_child(node, i);

			if (scope_node_is(c, "identifier"))
				bind(idx, scope, c,
				     kind == SCOPE_VISIT_GLOBAL ? BIND_GLOBAL : BIND_NONLOCAL);
		}
	} else if (kind == SCOPE_VISIT_ATTRIBUTE) {
		TSNode obj = ts_node_child_by_field_id(node, idx->fields.object);

		note_marker(idx, node);
		if (!ts_node_is_null(obj))
			visit(idx, obj, scope);
	} else if (kind == SCOPE_VISIT_KEYWORD_ARGUMENT) {
		TSNode value = ts_node_child_by_field_id(node, idx->fields.value);

		if (!ts_node_is_null(value))
			visit(idx, value, scope);
	}
}

/* Orders two names given by text and length as strcmp orders strings. */
int scope_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
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

	return scope_name_cmp((const char *)text + x->start, x->len, (const char *)text + y->start,
			y->len);
}

/* The first entry of `by_name` for `name` in `scope` (any scope when
 * `scope` < 0), or by_name.len. */
size_t scope_first_binding(const struct scope_index *idx, const char *name, size_t len,
			    int scope)
{
	size_t lo = 0, hi = idx->by_name.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct binding *b = *(const struct binding **)vec_at(&idx->by_name, mid);
		int c = scope_name_cmp(b->name, strlen(b->name), name, len);

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
	scope_fields_resolve(&idx->fields, ts_tree_language(tree));
	idx->nsymbols = ts_language_symbol_count(ts_tree_language(tree));
	idx->visit_kinds = xcalloc(idx->nsymbols ? idx->nsymbols : 1, 1);

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

bool scope_empty_block(const struct scope_index *idx, uint32_t *at)
{
	if (idx->empty_block)
		*at = idx->empty_block_at;
	return idx->empty_block;
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
	free(idx->visit_kinds);
	free(idx);
}
