/*
 * AM107: a coroutine function of this module called and dropped.
 *
 * `fetch()` as a statement, where `fetch` is an `async def` of this
 * module, creates a coroutine and throws it away: the body never runs
 * (Python warns "coroutine ... was never awaited"). Fix (safe, in a
 * coroutine): `await fetch()`. Only exact cases: the name must mean a
 * module-level `async def` (no decorator, not an async generator) that is
 * the module's only binding of it, seen through scope analysis; or
 * `self.m()` in an undecorated method, `self` its first parameter and
 * never rebound, where the class defines `m` once, as such an `async
 * def`, and no class of the file defines `m` otherwise nor is `m`
 * assigned as an attribute. A coroutine passed on (create_task, gather,
 * run) or stored is not a dropped one. Reported instead: in sync code,
 * where `await` is impossible.
 */
#include <ctype.h>
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "missing_await.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "async", NULL };

/* True when `def` is an `async def` with no decorator whose body has no
 * `yield` (a coroutine function, not an async generator). */
static bool plain_coroutine_function(TSNode def)
{
	struct vec yields = VEC_INIT(TSNode);
	bool yes;

	if (!syntax_type_is(def, "function_definition") || !ts_node_child_count(def) ||
	    strcmp(ts_node_type(ts_node_child(def, 0)), "async") ||
	    syntax_type_is(tree_parent(def), "decorated_definition"))
		return false;
	syntax_find_owned(def, "yield", &yields);
	yes = yields.len == 0;
	vec_release(&yields);
	return yes;
}

/* True when `body` (the module or a class body) holds an `async def`
 * called `name` among its own statements: the cheap test before the
 * exact one, since most calls are not of such functions. */
static bool defines_coroutine(const struct rule_ctx *ctx, TSNode body, const char *name,
			      size_t len)
{
	TSTreeCursor c;
	bool found = false;

	/* the statements with a cursor: indexed child access is linear per
	 * call, which makes a wide body quadratic */
	if (ts_node_is_null(body))
		return false;
	c = ts_tree_cursor_new(body);
	for (bool more = ts_tree_cursor_goto_first_child(&c); more && !found;
	     more = ts_tree_cursor_goto_next_sibling(&c)) {
		TSNode s = ts_tree_cursor_current_node(&c), id;

		if (!ts_node_is_named(s) || !syntax_type_is(s, "function_definition") ||
		    strcmp(ts_node_type(ts_node_child(s, 0)), "async"))
			continue;
		id = ts_node_child_by_field_name(s, "name", 4);
		found = ts_node_end_byte(id) - ts_node_start_byte(id) == len &&
			!memcmp(ctx->src->text + ts_node_start_byte(id), name, len);
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/* The only binding of `name` that scope node `scope` makes itself, when it
 * is a coroutine function defined directly in it; else a null node. Any
 * `global`/`nonlocal` of the name anywhere (for the module) disqualifies. */
static TSNode sole_coroutine(const struct rule_ctx *ctx, TSNode scope, TSNode body,
			     const char *name, size_t len)
{
	TSNode none = { { 0 }, NULL, NULL }, found = none;
	struct vec ids = VEC_INIT(TSNode);
	const char *text = ctx->src->text;

	if (syntax_type_is(scope, "module") && (memmem(text, ctx->src->len, "global", 6) ||
				    memmem(text, ctx->src->len, "nonlocal", 8))) {
		/* `global NAME` in a function binds the module's name too */
		syntax_find_names(ctx, scope, name, len, &ids);
		for (size_t i = 0; i < ids.len; i++) {
			TSNode p = tree_parent(*(TSNode *)vec_at(&ids, i));

			if (syntax_type_is(p, "global_statement") ||
			    syntax_type_is(p, "nonlocal_statement"))
				goto bad;
		}
		ids.len = 0;
	}
	syntax_find_stores(ctx, scope, name, len, &ids);
	for (size_t i = 0; i < ids.len; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i), p = tree_parent(id);

		if (syntax_type_is(scope, "class_definition") &&
		    ts_node_start_byte(ts_node_child_by_field_name(scope, "name", 4)) ==
			    ts_node_start_byte(id))
			continue;	/* the class's own name binds outside */

		if (!ts_node_is_null(found) || !syntax_type_is(p, "function_definition") ||
		    ts_node_start_byte(tree_parent(p)) != ts_node_start_byte(body) ||
		    !plain_coroutine_function(p))
			goto bad;
		found = p;
	}
	vec_release(&ids);
	return found;
bad:
	vec_release(&ids);
	return none;
}

/* True when the text assigns or deletes an attribute called `m`
 * (`x.m = ..`, `x.m += ..`, `x.m: T = ..`, `del x.m`), found by scanning
 * the text, which errs towards "yes" (strings and comments count too). */
static bool attribute_assigned(const struct rule_ctx *ctx, const char *m, size_t len)
{
	const char *t = ctx->src->text, *end = t + ctx->src->len, *hit = t;

	while ((hit = memmem(hit, (size_t)(end - hit), m, len))) {
		const char *b = hit, *a = hit + len;

		hit += len;
		while (b > t && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b == t || b[-1] != '.' || (a < end && (isalnum((unsigned char)*a) || *a == '_')))
			continue;
		while (a < end && (*a == ' ' || *a == '\t' || *a == ')'))
			a++;
		if (a < end && ((*a == '=' && (a + 1 >= end || a[1] != '=')) || *a == ':' ||
				*a == ',' || (a + 1 < end && a[1] == '=' && strchr("+-*/%&|^@<>", *a))))
			return true;
		for (const char *d = b - 1; d > t && d[-1] != '\n'; d--)
			if (!strncmp(d, "del ", 4))
				return true;
	}
	return false;
}

/* True when `m` is only ever an async method: every class of the file
 * that binds it does so with a coroutine function, and no attribute of
 * that name is assigned. */
static bool method_never_replaced(const struct rule_ctx *ctx, const char *m, size_t len)
{
	struct vec classes = VEC_INIT(TSNode), ids = VEC_INIT(TSNode);
	bool ok = !attribute_assigned(ctx, m, len);

	syntax_find_all(ts_tree_root_node(ctx->tree), "class_definition", &classes);
	for (size_t c = 0; c < classes.len && ok; c++) {
		TSNode cls = *(TSNode *)vec_at(&classes, c);

		ids.len = 0;
		syntax_find_stores(ctx, cls, m, len, &ids);
		for (size_t i = 0; i < ids.len && ok; i++) {
			TSNode id = *(TSNode *)vec_at(&ids, i), p = tree_parent(id);

			if (ts_node_start_byte(ts_node_child_by_field_name(cls, "name", 4)) ==
			    ts_node_start_byte(id))
				continue;	/* the class's own name */
			ok = syntax_type_is(p, "function_definition") &&
			     plain_coroutine_function(p);
		}
	}
	vec_release(&classes);
	vec_release(&ids);
	return ok;
}

/* For `self.m()`: true when the call runs directly in an undecorated
 * method whose first parameter `self` is never rebound, of a class whose
 * `m` is a coroutine method that nothing replaces. */
static bool is_own_coroutine_method(const struct rule_ctx *ctx, TSNode call, TSNode self,
				    TSNode m)
{
	TSNode fn = rule_enclosing_function(call), params, first, block, cls;
	uint32_t slen, mlen;
	const char *st = rule_text(ctx, self, &slen), *mt = rule_text(ctx, m, &mlen);
	struct vec ids = VEC_INIT(TSNode);
	size_t stores = 0;

	if (!syntax_type_is(fn, "function_definition") || !syntax_owned_by(fn, call))
		return false;
	block = tree_parent(fn);
	cls = tree_parent(block);
	if (!syntax_type_is(block, "block") || !syntax_type_is(cls, "class_definition") ||
	    !defines_coroutine(ctx, ts_node_child_by_field_name(cls, "body", 4), mt, mlen))
		return false;
	params = ts_node_child_by_field_name(fn, "parameters", 10);
	first = ts_node_named_child(params, 0);
	if (!syntax_type_is(first, "identifier") ||
	    ts_node_end_byte(first) - ts_node_start_byte(first) != slen ||
	    memcmp(ctx->src->text + ts_node_start_byte(first), st, slen))
		return false;
	syntax_find_stores(ctx, fn, st, slen, &ids);
	stores = ids.len;
	vec_release(&ids);
	if (stores != 1)
		return false;
	return !ts_node_is_null(sole_coroutine(ctx, cls, ts_node_child_by_field_name(cls, "body", 4),
					       mt, mlen)) &&
	       method_never_replaced(ctx, mt, mlen);
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode stmt = rule_capture(ctx, match, "stmt"), call = rule_capture(ctx, match, "call");
	TSNode name = rule_capture(ctx, match, "name"), self = rule_capture(ctx, match, "self");
	TSNode root = ts_tree_root_node(ctx->tree);
	enum scope_context where;
	struct finding *f;
	uint32_t len;
	const char *t = rule_text(ctx, name, &len);
	const char *q;

	/* the cheap test first: most calls are of no async def of the file */
	if (ts_node_named_child_count(stmt) != 1 || !scope_has_async_def(ctx->scopes, t, len))
		return 0;
	if (ts_node_is_null(self)) {
		if (!defines_coroutine(ctx, root, t, len) ||
		    scope_resolve_name(ctx->scopes, ts_node_start_byte(name), t, len, &q) !=
			    RESOLVE_LOCAL ||
		    !syntax_means_module(ctx, name) ||
		    ts_node_is_null(sole_coroutine(ctx, root, root, t, len)))
			return 0;
	} else if (!is_own_coroutine_method(ctx, call, self, name)) {
		return 0;
	}
	f = rule_report(ctx, &transform_missing_await, call,
			"`%.*s` is a coroutine function: this call creates a coroutine and drops "
			"it, so its body never runs; add `await`",
			(int)(ts_node_end_byte(ts_node_child_by_field_name(call, "function", 8)) -
			      ts_node_start_byte(call)),
			ctx->src->text + ts_node_start_byte(call));
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where == CONTEXT_NESTED_SYNC) {
		rule_no_fix(f, "nested-sync-scope");
		return 0;
	}
	if (where != CONTEXT_ASYNC) {
		rule_no_fix(f, "not-in-coroutine");
		return 0;
	}
	rule_edit(f, ts_node_start_byte(call), ts_node_start_byte(call), "await ");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 混用同步和异步代码",
	"核心原则 > ❌ 禁止行为",
	"- 忽略 `Future`/`Task` 的异常",
	NULL,
};

static const char *const reasons[] = {
	"not-in-coroutine", "the call is in sync code (module level, a plain `def`), where "
	"`await` is a syntax error: run it with `asyncio.run()` or make the caller async",
	"nested-sync-scope", "the call is in a `def`, `lambda` or class body nested in a "
	"coroutine, where `await` is a syntax error",
	NULL,
};

const struct transform transform_missing_await = {
	.code = "AM107",
	.name = "missing-await",
	.summary = "a coroutine function of this module called without await -> await it",
	.fix = FIX_SAFE,
	.query = missing_await_scm,
	.tokens = tokens,
	.check = check,
	.finds = "A call statement whose result is dropped, `f(..)` or `self.m(..)`, where the "
		 "callee resolves through scope analysis to an `async def` of this module: a "
		 "module-level `async def` that is the module's only binding of the name, or, "
		 "for `self.m()` in an undecorated method whose first parameter is `self`, the "
		 "class's only binding of `m`. Decorated functions and async generators are left "
		 "alone, and so is a coroutine that is passed on or stored.",
	.why = "Calling a coroutine function only creates a coroutine object; dropped, its "
	       "body never runs and Python warns that it was never awaited. The standard "
	       "forbids mixing sync and async code and ignoring what an awaitable reports.",
	.standard = standard,
	.fix_text = "`await ` is written before the call. The call now runs the coroutine to "
		    "its end (and raises its exceptions) before the next statement.",
	.reasons = reasons,
	.example_before = "async def save(record):\n"
			  "    ...\n"
			  "\n"
			  "\n"
			  "async def handle(record):\n"
			  "    save(record)\n",
	.example_after = "async def save(record):\n"
			 "    ...\n"
			 "\n"
			 "\n"
			 "async def handle(record):\n"
			 "    await save(record)\n",
};
