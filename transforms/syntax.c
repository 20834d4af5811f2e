/*
 * syntax: shared questions about Python syntax trees.
 */
#include "syntax.h"
#include "../src/tree.h"

#include <string.h>
#include <strings.h>

static bool is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static bool same(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) &&
	       ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b) &&
	       !strcmp(ts_node_type(a), ts_node_type(b));
}

TSNode syntax_unwrap_parens(TSNode n)
{
	while (is(n, "parenthesized_expression")) {
		TSNode inner = { { 0 }, NULL, NULL };
		uint32_t count = ts_node_named_child_count(n), exprs = 0;

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(n, i);

			if (!is(c, "comment")) {
				inner = c;
				exprs++;
			}
		}
		if (exprs != 1)
			break;
		n = inner;
	}
	return n;
}

/* True when container `n` (a tuple, list or pattern) is itself a target. */
static bool in_target(TSNode n)
{
	TSNode p = tree_parent(n);
	const char *t;

	if (ts_node_is_null(p))
		return false;
	t = ts_node_type(p);
	if (!strcmp(t, "assignment") || !strcmp(t, "augmented_assignment") ||
	    !strcmp(t, "for_statement") || !strcmp(t, "for_in_clause"))
		return same(ts_node_child_by_field_name(p, "left", 4), n);
	if (!strcmp(t, "as_pattern_target") || !strcmp(t, "delete_statement"))
		return true;
	if (!strcmp(t, "pattern_list") || !strcmp(t, "tuple_pattern") ||
	    !strcmp(t, "list_pattern") || !strcmp(t, "list_splat_pattern") ||
	    !strcmp(t, "tuple") || !strcmp(t, "list") || !strcmp(t, "list_splat") ||
	    !strcmp(t, "parenthesized_expression") || !strcmp(t, "expression_list"))
		return in_target(p);
	return false;
}

bool syntax_is_store(TSNode id)
{
	TSNode p = tree_parent(id);
	const char *t;

	if (ts_node_is_null(p))
		return false;
	t = ts_node_type(p);
	if (!strcmp(t, "named_expression") || !strcmp(t, "function_definition") ||
	    !strcmp(t, "class_definition") || !strcmp(t, "default_parameter") ||
	    !strcmp(t, "typed_default_parameter"))
		return same(ts_node_child_by_field_name(p, "name", 4), id);
	if (!strcmp(t, "parameters") || !strcmp(t, "lambda_parameters") ||
	    !strcmp(t, "typed_parameter") || !strcmp(t, "dictionary_splat_pattern") ||
	    !strcmp(t, "global_statement") || !strcmp(t, "nonlocal_statement") ||
	    !strcmp(t, "aliased_import") || !strcmp(t, "dotted_name"))
		return true;
	if (!strcmp(t, "list_splat_pattern")) {
		TSNode g = tree_parent(p);

		return is(g, "parameters") || is(g, "lambda_parameters") || in_target(p);
	}
	return in_target(id);
}

bool syntax_is_scope(TSNode n)
{
	const char *t = ts_node_type(n);

	return !strcmp(t, "function_definition") || !strcmp(t, "lambda") ||
	       !strcmp(t, "class_definition") || !strcmp(t, "list_comprehension") ||
	       !strcmp(t, "set_comprehension") || !strcmp(t, "dictionary_comprehension") ||
	       !strcmp(t, "generator_expression");
}

/* syntax_owned_by() over the ancestors of n: up[0] is the root, up[len - 1]
 * n's parent. */
static bool owned_by(TSNode scope, TSNode n, const struct vec *up, size_t len)
{
	TSNode child = n;

	for (size_t i = len; i-- > 0; child = *(TSNode *)vec_at(up, i)) {
		TSNode p = *(TSNode *)vec_at(up, i);

		if (same(p, scope))
			return true;
		if (!syntax_is_scope(p))
			continue;
		if ((is(p, "function_definition") || is(p, "class_definition")) &&
		    same(ts_node_child_by_field_name(p, "name", 4), child))
			continue;
		return false;
	}
	return is(scope, "module");
}

bool syntax_owned_by(TSNode scope, TSNode n)
{
	struct vec up = VEC_INIT(TSNode);
	bool owned;

	tree_ancestors(n, &up);
	owned = owned_by(scope, n, &up, up.len);
	vec_release(&up);
	return owned;
}

/* Visits the named descendants of `root` in order with a cursor (indexed
 * child access is linear per call, which makes wide blocks quadratic).
 * `visit` returns false to skip a node's children. */
static void walk(TSNode root, bool (*visit)(TSNode n, void *arg), void *arg)
{
	TSTreeCursor c = ts_tree_cursor_new(root);

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		bool down = !ts_node_is_named(n) || visit(n, arg);

		if (down && ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
}

struct name_walk {
	const struct rule_ctx *ctx;
	const char *name;
	size_t len;
	struct vec *out;
};

static bool visit_name(TSNode n, void *arg)
{
	struct name_walk *w = arg;

	if (is(n, "identifier")) {
		if (ts_node_end_byte(n) - ts_node_start_byte(n) == w->len &&
		    !memcmp(w->ctx->src->text + ts_node_start_byte(n), w->name, w->len))
			*(TSNode *)vec_push(w->out) = n;
		return false;
	}
	return true;
}

void syntax_find_names(const struct rule_ctx *ctx, TSNode root, const char *name, size_t len,
		       struct vec *out)
{
	struct name_walk w = { ctx, name, len, out };
	uint32_t start = ts_node_start_byte(root), end = ts_node_end_byte(root);

	if (!len || end - start < len || !memmem(ctx->src->text + start, end - start, name, len))
		return;
	walk(root, visit_name, &w);
}

struct owned_walk {
	const char *type;
	struct vec *out;
	bool root_seen;
};

static bool visit_owned(TSNode n, void *arg)
{
	struct owned_walk *w = arg;

	if (w->root_seen && syntax_is_scope(n))
		return false;
	w->root_seen = true;
	if (!strcmp(ts_node_type(n), w->type))
		*(TSNode *)vec_push(w->out) = n;
	return true;
}

void syntax_find_owned(TSNode root, const char *type, struct vec *out)
{
	struct owned_walk w = { type, out, false };

	walk(root, visit_owned, &w);
}

static bool visit_all(TSNode n, void *arg)
{
	struct owned_walk *w = arg;

	if (!strcmp(ts_node_type(n), w->type))
		*(TSNode *)vec_push(w->out) = n;
	return true;
}

void syntax_find_all(TSNode root, const char *type, struct vec *out)
{
	struct owned_walk w = { type, out, false };

	walk(root, visit_all, &w);
}

bool syntax_comment_in(TSNode node, uint32_t start, uint32_t end)
{
	uint32_t count = ts_node_child_count(node);

	if (ts_node_end_byte(node) <= start || ts_node_start_byte(node) >= end)
		return false;
	if (is(node, "comment"))
		return true;
	for (uint32_t i = 0; i < count; i++)
		if (syntax_comment_in(ts_node_child(node, i), start, end))
			return true;
	return false;
}

bool syntax_whole_lines(const struct rule_ctx *ctx, TSNode stmt, uint32_t *start, uint32_t *end)
{
	const char *s = ctx->src->text;
	uint32_t a = ts_node_start_byte(stmt), b = ts_node_end_byte(stmt);

	for (uint32_t i = source_line_start(ctx->src, a); i < a; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	while (b < ctx->src->len && (s[b] == ' ' || s[b] == '\t'))
		b++;
	if (b < ctx->src->len && s[b] == '\r')
		b++;
	if (b < ctx->src->len && s[b] != '\n')
		return false;
	if (b < ctx->src->len)
		b++;
	*start = source_line_start(ctx->src, a);
	*end = b;
	return true;
}

int syntax_positional(TSNode args, TSNode *out, int max)
{
	uint32_t count;
	int n = 0;

	if (!is(args, "argument_list"))
		return -1;
	count = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);
		const char *t = ts_node_type(c);

		if (!strcmp(t, "comment"))
			continue;
		if (!strcmp(t, "keyword_argument") || !strcmp(t, "list_splat") ||
		    !strcmp(t, "dictionary_splat") || !strcmp(t, "parenthesized_list_splat"))
			return -1;
		if (n < max)
			out[n] = c;
		n++;
	}
	return n;
}

/* Store test from an ancestor stack (stack[depth] is the node, stack[0]
 * the walk's root): the same answers as syntax_is_store() without the
 * cost of tree_parent(), which is linear in the width of the tree. */
static bool stack_in_target(const TSNode *stack, int depth)
{
	TSNode n = stack[depth], p;
	const char *t;

	if (depth == 0)
		return false;
	p = stack[depth - 1];
	t = ts_node_type(p);
	if (!strcmp(t, "assignment") || !strcmp(t, "augmented_assignment") ||
	    !strcmp(t, "for_statement") || !strcmp(t, "for_in_clause"))
		return same(ts_node_child_by_field_name(p, "left", 4), n);
	if (!strcmp(t, "as_pattern_target") || !strcmp(t, "delete_statement"))
		return true;
	if (!strcmp(t, "pattern_list") || !strcmp(t, "tuple_pattern") ||
	    !strcmp(t, "list_pattern") || !strcmp(t, "list_splat_pattern") ||
	    !strcmp(t, "tuple") || !strcmp(t, "list") || !strcmp(t, "list_splat") ||
	    !strcmp(t, "parenthesized_expression") || !strcmp(t, "expression_list"))
		return stack_in_target(stack, depth - 1);
	return false;
}

static bool stack_is_store(const TSNode *stack, int depth)
{
	TSNode id = stack[depth], p;
	const char *t;

	if (depth == 0)
		return false;
	p = stack[depth - 1];
	t = ts_node_type(p);
	if (!strcmp(t, "named_expression") || !strcmp(t, "function_definition") ||
	    !strcmp(t, "class_definition") || !strcmp(t, "default_parameter") ||
	    !strcmp(t, "typed_default_parameter"))
		return same(ts_node_child_by_field_name(p, "name", 4), id);
	if (!strcmp(t, "parameters") || !strcmp(t, "lambda_parameters") ||
	    !strcmp(t, "typed_parameter") || !strcmp(t, "dictionary_splat_pattern") ||
	    !strcmp(t, "global_statement") || !strcmp(t, "nonlocal_statement") ||
	    !strcmp(t, "aliased_import") || !strcmp(t, "dotted_name"))
		return true;
	if (!strcmp(t, "list_splat_pattern"))
		return (depth >= 2 && (is(stack[depth - 2], "parameters") ||
				       is(stack[depth - 2], "lambda_parameters"))) ||
		       stack_in_target(stack, depth - 1);
	return stack_in_target(stack, depth);
}

#define SYNTAX_MAX_DEPTH 400

void syntax_find_stores(const struct rule_ctx *ctx, TSNode scope, const char *name, size_t len,
			struct vec *out)
{
	TSNode stack[SYNTAX_MAX_DEPTH];
	uint32_t start = ts_node_start_byte(scope), end = ts_node_end_byte(scope);
	TSTreeCursor c;
	int depth = 0;

	if (!len || end - start < len || !memmem(ctx->src->text + start, end - start, name, len))
		return;
	c = ts_tree_cursor_new(scope);
	stack[0] = scope;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		bool down = true;

		stack[depth] = n;
		if (is(n, "identifier")) {
			if (ts_node_end_byte(n) - ts_node_start_byte(n) == len &&
			    !memcmp(ctx->src->text + ts_node_start_byte(n), name, len) &&
			    stack_is_store(stack, depth))
				*(TSNode *)vec_push(out) = n;
			down = false;
		} else if (depth > 0 && syntax_is_scope(n)) {
			/* a nested scope: only its own name binds here */
			TSNode nm = ts_node_child_by_field_name(n, "name", 4);

			if (!ts_node_is_null(nm) && (is(n, "function_definition") ||
						     is(n, "class_definition")) &&
			    ts_node_end_byte(nm) - ts_node_start_byte(nm) == len &&
			    !memcmp(ctx->src->text + ts_node_start_byte(nm), name, len))
				*(TSNode *)vec_push(out) = nm;
			down = false;
		} else if (ts_node_end_byte(n) - ts_node_start_byte(n) < len ||
			   depth + 1 >= SYNTAX_MAX_DEPTH) {
			down = false;
		}
		if (down && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
}

int syntax_binds(const struct rule_ctx *ctx, TSNode scope, const char *name, size_t len)
{
	struct vec ids = VEC_INIT(TSNode);
	int how = 0;

	syntax_find_stores(ctx, scope, name, len, &ids);
	for (size_t i = 0; i < ids.len && how != 2; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i);

		if ((is(scope, "function_definition") || is(scope, "class_definition")) &&
		    same(ts_node_child_by_field_name(scope, "name", 4), id))
			continue;	/* its own name binds outside */
		if (is(tree_parent(id), "global_statement"))
			how = 2;
		else
			how = 1;
	}
	vec_release(&ids);
	return how;
}

bool syntax_means_module(const struct rule_ctx *ctx, TSNode id)
{
	uint32_t len = ts_node_end_byte(id) - ts_node_start_byte(id);
	const char *name = ctx->src->text + ts_node_start_byte(id);
	bool innermost = true, module = true;
	struct vec up = VEC_INIT(TSNode);

	tree_ancestors(id, &up);
	for (size_t i = up.len; i-- > 0;) {
		TSNode p = *(TSNode *)vec_at(&up, i);
		int how;

		if (!syntax_is_scope(p) || !owned_by(p, id, &up, up.len))
			continue;
		if (is(p, "class_definition") && !innermost)
			continue;
		innermost = false;
		how = syntax_binds(ctx, p, name, len);
		if (how == 2)
			break;
		if (how == 1) {
			module = false;
			break;
		}
	}
	vec_release(&up);
	return module;
}

void syntax_handler_parts(TSNode handler, TSNode *type, TSNode *name)
{
	TSNode v = ts_node_child_by_field_name(handler, "value", 5);
	TSNode none = { { 0 }, NULL, NULL };

	*type = v;
	*name = none;
	if (is(v, "as_pattern")) {
		TSNode alias = ts_node_child_by_field_name(v, "alias", 5);

		*type = ts_node_named_child(v, 0);
		if (!ts_node_is_null(alias) && ts_node_named_child_count(alias) == 1)
			*name = ts_node_named_child(alias, 0);
	}
}

TSNode syntax_handler_body(TSNode handler)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint32_t i = ts_node_named_child_count(handler); i > 0; i--)
		if (is(ts_node_named_child(handler, i - 1), "block"))
			return ts_node_named_child(handler, i - 1);
	return none;
}

/* ---- small node and string tests the transforms share ---- */

bool syntax_type_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

TSNode syntax_field(TSNode n, const char *name)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

TSNode syntax_named_child(TSNode n, uint32_t i)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_named_child(n, i);
}

bool syntax_node_eq(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) && ts_node_eq(a, b);
}

bool syntax_str_in(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

bool syntax_strn_in(const char *s, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return true;
	return false;
}

bool syntax_text_in(const struct rule_ctx *ctx, TSNode n, const char *const *list)
{
	uint32_t len;
	const char *t = rule_text(ctx, n, &len);

	return syntax_strn_in(t, len, list);
}

void syntax_node_text(const struct rule_ctx *ctx, TSNode n, struct buf *out)
{
	uint32_t len;
	const char *t = rule_text(ctx, n, &len);

	buf_add(out, t, len);
}

bool syntax_walk(TSNode n, enum syntax_step (*visit)(TSNode node, void *arg), void *arg)
{
	TSTreeCursor cur = ts_tree_cursor_new(n);
	bool stopped = false;

	if (ts_tree_cursor_goto_first_child(&cur)) {
		for (;;) {
			enum syntax_step w = visit(ts_tree_cursor_current_node(&cur), arg);

			if (w == SYNTAX_WALK_STOP) {
				stopped = true;
				break;
			}
			if (w == SYNTAX_WALK_INTO && ts_tree_cursor_goto_first_child(&cur))
				continue;
			while (!ts_tree_cursor_goto_next_sibling(&cur))
				if (!ts_tree_cursor_goto_parent(&cur) ||
				    ts_node_eq(ts_tree_cursor_current_node(&cur), n))
					goto done;
		}
	}
done:
	ts_tree_cursor_delete(&cur);
	return !stopped;
}

bool syntax_is_async(TSNode n)
{
	return ts_node_child_count(n) && !strcmp(ts_node_type(ts_node_child(n, 0)), "async");
}

uint32_t syntax_argument_count(TSNode call)
{
	TSNode args = syntax_field(call, "arguments");
	uint32_t n = 0;

	if (!syntax_type_is(args, "argument_list"))
		return ts_node_is_null(args) ? 0 : 1;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
		if (!syntax_type_is(ts_node_named_child(args, i), "comment"))
			n++;
	return n;
}

/* ---- statements, scopes and fields the transforms share ---- */

bool syntax_same_node(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) &&
	       ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b) &&
	       !strcmp(ts_node_type(a), ts_node_type(b));
}

bool syntax_is_field(TSNode parent, const char *field, TSNode child)
{
	return syntax_same_node(ts_node_child_by_field_name(parent, field, (uint32_t)strlen(field)),
				child);
}

bool syntax_is_async_def(TSNode def)
{
	return syntax_type_is(def, "function_definition") && ts_node_child_count(def) &&
	       !strcmp(ts_node_type(ts_node_child(def, 0)), "async");
}

bool syntax_is_def_scope(TSNode n)
{
	return syntax_type_is(n, "function_definition") || syntax_type_is(n, "lambda") ||
	       syntax_type_is(n, "class_definition");
}

bool syntax_is_definition(TSNode n)
{
	const char *t = ts_node_type(n);

	return !strcmp(t, "function_definition") || !strcmp(t, "lambda") ||
	       !strcmp(t, "class_definition") || !strcmp(t, "decorated_definition");
}

bool syntax_holds(TSNode n, const char *type)
{
	uint32_t count = ts_node_named_child_count(n);

	if (syntax_type_is(n, type))
		return true;
	if (syntax_is_def_scope(n))
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (syntax_holds(ts_node_named_child(n, i), type))
			return true;
	return false;
}

bool syntax_holds_below(TSNode n, const char *type)
{
	uint32_t count = ts_node_named_child_count(n);

	if (!strcmp(ts_node_type(n), type))
		return true;
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);

		if (!syntax_is_definition(c) && syntax_holds_below(c, type))
			return true;
	}
	return false;
}

TSNode syntax_statement_of(TSNode n)
{
	TSNode p = tree_parent(n);

	while (!ts_node_is_null(p) && !syntax_type_is(p, "block") && !syntax_type_is(p, "module")) {
		n = p;
		p = tree_parent(n);
	}
	return n;
}

/* The one expression a parenthesized expression holds (comments aside),
 * or a null node. */
static TSNode syntax_paren_only(TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);
	TSNode inner = { { 0 }, NULL, NULL };

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);

		if (syntax_type_is(c, "comment"))
			continue;
		if (!ts_node_is_null(inner))
			return (TSNode){ { 0 }, NULL, NULL };
		inner = c;
	}
	return inner;
}

TSNode syntax_paren_top(TSNode n)
{
	TSNode p = tree_parent(n);

	while (syntax_type_is(p, "parenthesized_expression") &&
	       syntax_same_node(syntax_paren_only(p), n)) {
		n = p;
		p = tree_parent(n);
	}
	return n;
}

uint32_t syntax_next_line(const struct rule_ctx *ctx, uint32_t at)
{
	while (at < ctx->src->len && ctx->src->text[at] != '\n')
		at++;
	return at < ctx->src->len ? at + 1 : at;
}

bool syntax_is_loop(const struct rule_ctx *ctx, TSNode obj)
{
	struct buf q = BUF_INIT;
	bool yes = false;
	uint32_t len;
	const char *t;

	if (!strcmp(ts_node_type(obj), "call")) {
		TSNode fn = ts_node_child_by_field_name(obj, "function", 8);

		if (!ts_node_is_null(fn) &&
		    scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
			yes = !strcmp(q.ptr, "asyncio.get_running_loop") ||
			      !strcmp(q.ptr, "asyncio.get_event_loop");
		buf_release(&q);
		return yes;
	}
	if (!strcmp(ts_node_type(obj), "attribute"))
		obj = ts_node_child_by_field_name(obj, "attribute", 9);
	if (ts_node_is_null(obj) || strcmp(ts_node_type(obj), "identifier"))
		return false;
	t = rule_text(ctx, obj, &len);
	return len >= 4 && !strncasecmp(t + len - 4, "loop", 4);
}

bool syntax_creates_task(const struct rule_ctx *ctx, TSNode call)
{
	static const char *const factories[] = {
		"asyncio.create_task", "asyncio.ensure_future",
		"asyncio.tasks.create_task", "asyncio.tasks.ensure_future", NULL,
	};
	TSNode fn = syntax_field(call, "function");
	struct buf q = BUF_INIT;
	bool yes = false;

	if (!syntax_type_is(call, "call"))
		return false;
	if (syntax_type_is(fn, "identifier") || syntax_type_is(fn, "attribute")) {
		yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
		      syntax_str_in(buf_cstr(&q), factories);
		buf_release(&q);
	}
	if (!yes && syntax_type_is(fn, "attribute")) {
		TSNode obj = syntax_field(fn, "object"), m = syntax_field(fn, "attribute");

		yes = !ts_node_is_null(m) && rule_text_is(ctx, m, "create_task") &&
		      !ts_node_is_null(obj) && syntax_is_loop(ctx, obj);
	}
	return yes;
}
