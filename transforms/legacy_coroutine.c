/*
 * AM302: a generator-based coroutine, `@asyncio.coroutine` with
 * `yield from`.
 *
 * The decorator was deprecated in 3.8 and removed in 3.11. Fix (safe): the
 * decorator line goes, `def` becomes `async def` and each `yield from X`
 * becomes `await X` (parenthesised when X is not a primary); an import left
 * unused goes. Reported instead: a bare `yield` or `yield value` (old-style
 * future yielding); no `yield` at all (the decorator then awaited what the
 * function returned); `with (yield from lock):`; `yield from` over a plain
 * iterable or generator; the function used as a generator (iterated,
 * `next`, `.send`, `yield from` in a plain generator); a comment the edit
 * would drop.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "legacy_coroutine.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "coroutine", NULL };

/* True when decorator node `dec` is `@asyncio.coroutine` under any alias. */
static bool is_coroutine_decorator(const struct rule_ctx *ctx, TSNode dec)
{
	TSNode e = ts_node_named_child(dec, 0);
	struct buf q = BUF_INIT;
	bool yes;

	if (ts_node_is_null(e) ||
	    (!syntax_type_is(e, "attribute") && !syntax_type_is(e, "identifier")))
		return false;
	yes = scope_resolve_expr(ctx->scopes, e, &q) == RESOLVE_MODULE &&
	      (!strcmp(q.ptr, "asyncio.coroutine") || !strcmp(q.ptr, "asyncio.coroutines.coroutine"));
	buf_release(&q);
	return yes;
}

/* True when function `def` is decorated with @asyncio.coroutine. */
static bool is_legacy(const struct rule_ctx *ctx, TSNode def)
{
	TSNode d = tree_parent(def);

	if (!syntax_type_is(d, "decorated_definition"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(d); i++)
		if (syntax_type_is(ts_node_named_child(d, i), "decorator") &&
		    is_coroutine_decorator(ctx, ts_node_named_child(d, i)))
			return true;
	return false;
}

/* The operand of `yield from X`, or a null node for `yield`/`yield X`. */
static TSNode yield_from_operand(TSNode y)
{
	TSNode none = { { 0 }, NULL, NULL };

	if (ts_node_child_count(y) < 3 || strcmp(ts_node_type(ts_node_child(y, 1)), "from"))
		return none;
	return ts_node_named_child(y, ts_node_named_child_count(y) - 1);
}

/* True when `def` is a plain generator function (not a coroutine). */
static bool plain_generator(const struct rule_ctx *ctx, TSNode def)
{
	struct vec v = VEC_INIT(TSNode);
	bool yes;

	if (!syntax_type_is(def, "function_definition") ||
	    !strcmp(ts_node_type(ts_node_child(def, 0)), "async") || is_legacy(ctx, def))
		return false;
	syntax_find_owned(def, "yield", &v);
	yes = v.len > 0;
	vec_release(&v);
	return yes;
}

/* True when `yield from x` iterates rather than awaits: x is a literal
 * collection, a builtin iterator, or a plain generator of this module. */
static bool iterates(const struct rule_ctx *ctx, TSNode x)
{
	static const char *const builtins[] = { "iter", "range", "map", "zip", "filter",
						"reversed", "enumerate", NULL };
	static const char *const literals[] = { "list", "tuple", "set", "dictionary", "string",
						"list_comprehension", "set_comprehension",
						"dictionary_comprehension", "generator_expression",
						"concatenated_string", NULL };
	TSNode fn, root = ts_tree_root_node(ctx->tree);
	uint32_t len;
	const char *t, *q;
	enum resolution r;

	x = syntax_unwrap_parens(x);
	for (int i = 0; literals[i]; i++)
		if (syntax_type_is(x, literals[i]))
			return true;
	if (!syntax_type_is(x, "call"))
		return false;
	fn = ts_node_child_by_field_name(x, "function", 8);
	if (!syntax_type_is(fn, "identifier"))
		return false;
	t = rule_text(ctx, fn, &len);
	r = scope_resolve_name(ctx->scopes, ts_node_start_byte(fn), t, len, &q);
	if (r == RESOLVE_UNBOUND) {
		for (int i = 0; builtins[i]; i++)
			if (strlen(builtins[i]) == len && !memcmp(builtins[i], t, len))
				return true;
		return false;
	}
	if (r != RESOLVE_LOCAL || !syntax_means_module(ctx, fn))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
		TSNode s = ts_node_named_child(root, i), name;

		if (syntax_type_is(s, "decorated_definition"))
			s = ts_node_child_by_field_name(s, "definition", 10);
		name = ts_node_child_by_field_name(s, "name", 4);
		if (syntax_type_is(s, "function_definition") && !ts_node_is_null(name) &&
		    ts_node_end_byte(name) - ts_node_start_byte(name) == len &&
		    !memcmp(ctx->src->text + ts_node_start_byte(name), t, len) &&
		    plain_generator(ctx, s))
			return true;
	}
	return false;
}

/* True when a call of the function (by `name`, or as `x.name` for a
 * method) is used as a generator somewhere in the file. */
static bool used_as_generator(const struct rule_ctx *ctx, TSNode def, TSNode name, bool method)
{
	static const char *const consumers[] = { "next", "list", "tuple", "iter", "set", "sorted",
						 "sum", "any", "all", NULL };
	static const char *const gen_methods[] = { "send", "throw", "close", "__next__",
						   "__iter__", "gi_frame", "gi_running", NULL };
	struct vec ids = VEC_INIT(TSNode);
	uint32_t len;
	const char *t = rule_text(ctx, name, &len);
	bool yes = false;

	syntax_find_names(ctx, ts_tree_root_node(ctx->tree), t, len, &ids);
	for (size_t i = 0; i < ids.len && !yes; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i), ref = id, call, p;

		if (ts_node_start_byte(id) == ts_node_start_byte(name))
			continue;
		p = tree_parent(id);
		if (syntax_type_is(p, "attribute") &&
		    ts_node_start_byte(ts_node_child_by_field_name(p, "attribute", 9)) ==
			    ts_node_start_byte(id)) {
			if (!method)
				continue;
			ref = p;
		} else if (method || syntax_is_store(id)) {
			continue;
		}
		p = tree_parent(ref);
		if (syntax_type_is(p, "argument_list")) {
			/* inspect.isgeneratorfunction(f), inspect.isgenerator(..) */
			TSNode c = tree_parent(p), fn = ts_node_child_by_field_name(c, "function", 8);
			uint32_t fl;
			const char *ft = ts_node_is_null(fn) ? "" : rule_text(ctx, fn, &fl);

			if (!ts_node_is_null(fn) && memmem(ft, fl, "isgenerator", 11))
				yes = true;
			continue;
		}
		if (!rule_callee_of(ref, &call))
			continue;
		p = tree_parent(call);
		while (syntax_type_is(p, "parenthesized_expression"))
			p = tree_parent(p);
		if ((syntax_type_is(p, "for_statement") || syntax_type_is(p, "for_in_clause")) &&
		    ts_node_start_byte(ts_node_child_by_field_name(p, "right", 5)) <=
			    ts_node_start_byte(call)) {
			yes = true;
		} else if (syntax_type_is(p, "attribute")) {
			TSNode a = ts_node_child_by_field_name(p, "attribute", 9);

			for (int k = 0; gen_methods[k] && !yes; k++)
				yes = rule_text_is(ctx, a, gen_methods[k]);
		} else if (syntax_type_is(p, "argument_list")) {
			TSNode fn = ts_node_child_by_field_name(tree_parent(p), "function", 8);

			for (int k = 0; consumers[k] && !yes && syntax_type_is(fn, "identifier");
			     k++)
				yes = rule_text_is(ctx, fn, consumers[k]);
			if (!yes && !ts_node_is_null(fn)) {
				uint32_t fl;
				const char *ft = rule_text(ctx, fn, &fl);

				yes = memmem(ft, fl, "isgenerator", 11) != NULL;
			}
		} else if (syntax_type_is(p, "yield") && !ts_node_is_null(yield_from_operand(p))) {
			TSNode outer = rule_enclosing_function(p);

			/* `yield from f()` in a plain generator iterates it */
			yes = syntax_type_is(outer, "function_definition") &&
			      !is_legacy(ctx, outer) &&
			      strcmp(ts_node_type(ts_node_child(outer, 0)), "async") &&
			      ts_node_start_byte(outer) != ts_node_start_byte(def);
		}
	}
	vec_release(&ids);
	return yes;
}

static bool is_primary(TSNode x)
{
	return syntax_type_is(x, "identifier") || syntax_type_is(x, "attribute") ||
	       syntax_type_is(x, "call") || syntax_type_is(x, "subscript") ||
	       syntax_type_is(x, "parenthesized_expression");
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode dec = rule_capture(ctx, match, "dec"), def = rule_capture(ctx, match, "def");
	TSNode name = ts_node_child_by_field_name(def, "name", 4);
	struct vec yields = VEC_INIT(TSNode);
	struct buf root = BUF_INIT;
	struct finding *f;
	uint32_t a, b;
	bool method;

	if (!is_coroutine_decorator(ctx, dec) ||
	    !strcmp(ts_node_type(ts_node_child(def, 0)), "async") || ts_node_is_null(name))
		return 0;
	f = rule_report(ctx, &transform_legacy_coroutine, dec,
			"`@asyncio.coroutine` was removed in Python 3.11; write `async def` and "
			"`await`");
	syntax_find_owned(def, "yield", &yields);
	if (!yields.len) {
		rule_no_fix(f, "legacy-non-generator");
		goto done;
	}
	for (size_t i = 0; i < yields.len; i++) {
		TSNode y = *(TSNode *)vec_at(&yields, i), x = yield_from_operand(y);
		TSNode p = tree_parent(y);

		if (ts_node_is_null(x)) {
			rule_no_fix(f, "legacy-bare-yield");
			goto done;
		}
		if (syntax_type_is(p, "parenthesized_expression") &&
		    (syntax_type_is(tree_parent(p), "with_item") ||
		     syntax_type_is(tree_parent(p), "with_clause"))) {
			rule_no_fix(f, "legacy-with-yield-from-lock");
			goto done;
		}
		if (iterates(ctx, x)) {
			rule_no_fix(f, "legacy-yield-from-generator");
			goto done;
		}
	}
	method = syntax_type_is(tree_parent(tree_parent(def)), "block") &&
		 syntax_type_is(tree_parent(tree_parent(tree_parent(def))),
				"class_definition");
	if (used_as_generator(ctx, def, name, method)) {
		rule_no_fix(f, "legacy-used-as-generator");
		goto done;
	}
	if (!syntax_whole_lines(ctx, dec, &a, &b) ||
	    syntax_comment_in(dec, ts_node_start_byte(dec), ts_node_end_byte(dec))) {
		rule_no_fix(f, "comment-would-be-lost");
		goto done;
	}
	for (size_t i = 0; i < yields.len; i++) {
		TSNode y = *(TSNode *)vec_at(&yields, i), x = yield_from_operand(y);

		if (syntax_comment_in(y, ts_node_start_byte(y), ts_node_start_byte(x))) {
			rule_no_fix(f, "comment-would-be-lost");
			goto done;
		}
		if (is_primary(x)) {
			rule_edit(f, ts_node_start_byte(y), ts_node_start_byte(x), "await ");
		} else {
			rule_edit(f, ts_node_start_byte(y), ts_node_start_byte(x), "await (");
			rule_edit(f, ts_node_end_byte(x), ts_node_end_byte(x), ")");
		}
	}
	rule_edit(f, a, b, "");
	rule_edit(f, ts_node_start_byte(def), ts_node_start_byte(def), "async ");
	rule_root_name(ctx, ts_node_named_child(dec, 0), &root);
	rule_need(f, NEED_DROP, buf_cstr(&root));
done:
	vec_release(&yields);
	buf_release(&root);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"检查清单",
	"- [ ] 所有异步函数都使用 `async def` 定义",
	NULL,
};

static const char *const reasons[] = {
	"legacy-bare-yield", "the function has a bare `yield` or `yield value` (old-style "
	"future yielding), which has no `await` form",
	"legacy-non-generator", "the function has no `yield`: the decorator awaited whatever it "
	"returned, so it needs `return await ..` by hand",
	"legacy-with-yield-from-lock", "`with (yield from lock):` needs `async with lock:`",
	"legacy-yield-from-generator", "a `yield from` runs over a plain iterable or generator "
	"(a literal, `range`, `iter`, a generator of this module): `await` would raise "
	"TypeError",
	"legacy-used-as-generator", "the function's result is iterated, passed to `next`/"
	"`list`, sent to (`.send`), tested with `inspect.isgenerator*`, or `yield from`-ed in a "
	"plain generator",
	"comment-would-be-lost", "a comment on the decorator's line or inside `yield from`",
	NULL,
};

const struct transform transform_legacy_coroutine = {
	.code = "AM302",
	.name = "legacy-coroutine-decorator",
	.summary = "@asyncio.coroutine + yield from -> async def + await",
	.fix = FIX_SAFE,
	.query = legacy_coroutine_scm,
	.tokens = tokens,
	.check = check,
	.finds = "A function decorated with `@asyncio.coroutine` (under any import alias), a "
		 "generator-based coroutine.",
	.why = "`@asyncio.coroutine` was deprecated in Python 3.8 and removed in 3.11, so the "
	       "module fails to import on the standard's baseline. Native coroutines are the "
	       "standard's only form of async function.",
	.standard = standard,
	.fix_text = "The decorator line is removed, `def` becomes `async def` and every "
		    "`yield from X` of the function's own body becomes `await X` (`await (X)` "
		    "when X is not a simple expression); `return value` stays. An import of "
		    "`asyncio` or `coroutine` left unused is removed.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "@asyncio.coroutine\n"
			  "def read_line(reader):\n"
			  "    line = yield from asyncio.wait_for(reader.readline(), 5)\n"
			  "    return line.strip()\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def read_line(reader):\n"
			 "    line = await asyncio.wait_for(reader.readline(), 5)\n"
			 "    return line.strip()\n",
};
