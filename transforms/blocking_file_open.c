/*
 * blocking_file_open: what ASYNC230/231/232 ask of an `open` call and of
 * the name its file is bound to: which `open` a call is (the builtin,
 * `io.open`, `pathlib.Path(..).open`, `p.open` on a path the receiver
 * facility knows, `io.open_code`), `json.load(f)` around a file, and
 * where the file's name is used, rebound or declared global.
 */
#include <stdlib.h>
#include <string.h>

#include "blocking_file_internal.h"
#include "receiver.h"
#include "../src/tree.h"

void blocking_file_set_message(struct finding *f, const char *text)
{
	free(f->message);
	f->message = xstrdup(text);
}

bool blocking_file_resolves_to(const struct rule_ctx *ctx, TSNode expr, const char *qname)
{
	struct buf q = BUF_INIT;
	bool yes = scope_resolve_expr(ctx->scopes, expr, &q) == RESOLVE_MODULE &&
		   !strcmp(buf_cstr(&q), qname);

	buf_release(&q);
	return yes;
}

/* What kind of `open` a call is, through the module's names. */
enum open_form blocking_file_open_form(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = syntax_field(call, "function"), obj;
	const char *q = NULL;
	enum resolution r;

	if (!syntax_type_is(call, "call") || ts_node_is_null(fn))
		return OPEN_NONE;
	if (syntax_type_is(fn, "identifier") && rule_text_is(ctx, fn, "open")) {
		r = scope_resolve_name(ctx->scopes, ts_node_start_byte(fn), "open", 4, &q);
		if (r == RESOLVE_UNBOUND || (r == RESOLVE_MODULE && !strcmp(q, "io.open")))
			return OPEN_BUILTIN;
		return OPEN_NONE;
	}
	if (blocking_file_resolves_to(ctx, fn, "io.open"))
		return OPEN_BUILTIN;
	if (!syntax_type_is(fn, "attribute") ||
	    !rule_text_is(ctx, syntax_field(fn, "attribute"), "open"))
		return OPEN_NONE;
	obj = syntax_field(fn, "object");
	if (syntax_type_is(obj, "call") &&
	    blocking_file_resolves_to(ctx, syntax_field(obj, "function"), "pathlib.Path"))
		return OPEN_PATH;
	/* `p.open(..)` where the file shows `p` to hold a path: a
	 * constructor, an annotation, a module global, `self.p` (receiver.c) */
	{
		struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
		const char *t = receiver_type(&rc, obj);

		if (t && !strcmp(t, "pathlib.Path"))
			return OPEN_PATH;
	}
	return OPEN_NONE;
}

bool blocking_file_is_open_code(const struct rule_ctx *ctx, TSNode call)
{
	return syntax_type_is(call, "call") &&
	       blocking_file_resolves_to(ctx, syntax_field(call, "function"), "io.open_code");
}

/* An import that spelled `io.open` may be left unused by the fix. */
void blocking_file_drop_open_name(const struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	TSNode fn = syntax_field(call, "function");
	struct buf name = BUF_INIT;
	const char *q = NULL;

	rule_root_name(ctx, fn, &name);
	if (scope_resolve_name(ctx->scopes, ts_node_start_byte(fn), buf_cstr(&name), name.len,
			       &q) == RESOLVE_MODULE)
		rule_need(f, NEED_DROP, buf_cstr(&name));
	buf_release(&name);
}


/* True for data whose evaluation cannot fail or act: a name or a plain
 * literal. The whole-file form evaluates the data before it opens the
 * file, which `open(p, "w").write(data)` does the other way round. */
bool blocking_file_simple_value(TSNode n)
{
	if (syntax_type_is(n, "identifier") || syntax_type_is(n, "integer") ||
	    syntax_type_is(n, "float"))
		return true;
	if (syntax_type_is(n, "concatenated_string")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			if (!blocking_file_simple_value(ts_node_named_child(n, i)))
				return false;
		return true;
	}
	if (!syntax_type_is(n, "string"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		if (syntax_type_is(ts_node_named_child(n, i), "interpolation"))
			return false;
	return true;
}

/* Calls `fn` on every identifier spelled `name` under `n`. */
void blocking_file_each_name(const struct rule_ctx *ctx, TSNode n, const char *name,
			     void (*fn)(TSNode id, void *arg), void *arg)
{
	if (syntax_type_is(n, "identifier")) {
		if (rule_text_is(ctx, n, name))
			fn(n, arg);
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		blocking_file_each_name(ctx, ts_node_named_child(n, i), name, fn, arg);
}

/* True when `id` lies in the body of a later `with` (after `with`) that
 * binds the same name again: it means that other file. */
bool blocking_file_rebound_later(const struct rule_ctx *ctx, TSNode id, TSNode with)
{
	TSNode up = tree_parent(id);

	/* the later binding itself: `with .. as NAME` */
	if (syntax_type_is(up, "as_pattern_target") &&
	    syntax_type_is(tree_parent(tree_parent(up)), "with_item") &&
	    ts_node_start_byte(up) >= ts_node_end_byte(with))
		return true;
	for (TSNode p = tree_parent(id); !ts_node_is_null(p); p = tree_parent(p)) {
		TSNode clause, body = syntax_field(p, "body");

		if (!syntax_type_is(p, "with_statement") ||
		    ts_node_start_byte(p) < ts_node_end_byte(with) ||
		    ts_node_start_byte(id) < ts_node_start_byte(body))
			continue;
		clause = ts_node_named_child(p, 0);
		for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
			TSNode value = syntax_field(ts_node_named_child(clause, i), "value");
			TSNode target;
			uint32_t len;
			const char *t = rule_text(ctx, id, &len);

			if (!syntax_type_is(value, "as_pattern"))
				continue;
			target = syntax_named_child(syntax_field(value, "alias"), 0);
			if (syntax_type_is(target, "identifier") &&
			    ts_node_end_byte(target) - ts_node_start_byte(target) == len &&
			    !memcmp(ctx->src->text + ts_node_start_byte(target), t, len))
				return true;
		}
	}
	return false;
}

/* True when `id` is named by `global` or `nonlocal`: the binding then
 * outlives the function. */
bool blocking_file_declared(TSNode id)
{
	TSNode p = tree_parent(id);

	return syntax_type_is(p, "global_statement") || syntax_type_is(p, "nonlocal_statement");
}

/* A literal, a name or a dotted name: what may be evaluated after the
 * file is read instead of before (`parse_float=decimal.Decimal`). */
static bool plain_name_or_literal(TSNode n)
{
	while (syntax_type_is(n, "attribute"))
		n = syntax_field(n, "object");
	return blocking_file_simple_value(n) || syntax_type_is(n, "true") ||
	       syntax_type_is(n, "false") || syntax_type_is(n, "none");
}

/* The call `json.load(X, kw=..)` when `x` is its X, else a null node.
 * `json.load(fp, ..)` is `json.loads(fp.read(), ..)`, which the fixes
 * write out. */
TSNode blocking_file_json_load_of(const struct rule_ctx *ctx, TSNode x)
{
	TSNode args = tree_parent(x), none = { { 0 }, NULL, NULL }, call, fn;
	bool first = true;

	if (!syntax_type_is(args, "argument_list"))
		return none;
	call = tree_parent(args);
	fn = syntax_field(call, "function");
	if (!syntax_type_is(fn, "attribute") || !blocking_file_resolves_to(ctx, fn, "json.load"))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode c = ts_node_named_child(args, i);

		if (syntax_type_is(c, "comment"))
			continue;
		if (first ? !syntax_node_eq(c, x) :
			    !syntax_type_is(c, "keyword_argument") ||
			    !plain_name_or_literal(syntax_field(c, "value")))
			return none;
		first = false;
	}
	return call;
}

