/*
 * ASYNC109: an `async def` that takes a `timeout` parameter (report only).
 *
 * A coroutine's caller can bound it with `async with asyncio.timeout(..)`;
 * a timeout parameter duplicates that, and is usually passed down to a
 * single call, leaving the rest of the function unbounded. Not reported:
 * overloads and overrides (their signature is given), and functions that
 * apply the parameter to their whole work with `asyncio.timeout(timeout)`
 * or `asyncio.wait_for(.., timeout)`, as the standard's own recommended
 * example does.
 */
#include <string.h>

#include "table.h"
#include "timeout_param.scm.h"
#include "syntax.h"
#include "../src/tree.h"

static const char *const tokens[] = { "timeout", NULL };

/* The node naming the parameter `timeout`, if the list has one. */
static bool timeout_parameter(const struct rule_ctx *ctx, TSNode params, TSNode *out)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(params); i++) {
		TSNode p = ts_node_named_child(params, i), id = p;

		if (syntax_type_is(p, "default_parameter") ||
		    syntax_type_is(p, "typed_default_parameter"))
			id = ts_node_child_by_field_name(p, "name", 4);
		else if (syntax_type_is(p, "typed_parameter"))
			id = ts_node_named_child(p, 0);
		if (syntax_type_is(id, "identifier") && rule_text_is(ctx, id, "timeout")) {
			*out = p;
			return true;
		}
	}
	return false;
}

/* True when a decorator of the definition ends in `overload` or
 * `override`. */
static bool signature_given(const struct rule_ctx *ctx, TSNode fn)
{
	TSNode dec = tree_parent(fn);

	if (!syntax_type_is(dec, "decorated_definition"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(dec); i++) {
		TSNode d = ts_node_named_child(dec, i);
		uint32_t len;
		const char *t;

		if (!syntax_type_is(d, "decorator"))
			continue;
		t = rule_text(ctx, d, &len);
		if ((len >= 8 && !memcmp(t + len - 8, "overload", 8)) ||
		    (len >= 8 && !memcmp(t + len - 8, "override", 8)))
			return true;
	}
	return false;
}

/* True when code below `n` calls asyncio.timeout/timeout_at/wait_for with
 * the name `timeout` as an argument. */
static bool applies_timeout(const struct rule_ctx *ctx, TSNode n)
{
	if (syntax_type_is(n, "function_definition") || syntax_type_is(n, "lambda") ||
	    syntax_type_is(n, "class_definition"))
		return false;
	if (syntax_type_is(n, "call")) {
		TSNode fn = ts_node_child_by_field_name(n, "function", 8);
		TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
		struct buf q = BUF_INIT;
		bool known = false;

		if ((syntax_type_is(fn, "identifier") || syntax_type_is(fn, "attribute")) &&
		    scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
			known = !strcmp(buf_cstr(&q), "asyncio.timeout") ||
				!strcmp(buf_cstr(&q), "asyncio.timeout_at") ||
				!strcmp(buf_cstr(&q), "asyncio.wait_for");
		buf_release(&q);
		for (uint32_t i = 0; known && syntax_type_is(args, "argument_list") &&
				     i < ts_node_named_child_count(args); i++) {
			TSNode a = ts_node_named_child(args, i);

			if (syntax_type_is(a, "keyword_argument"))
				a = ts_node_child_by_field_name(a, "value", 5);
			if (syntax_type_is(a, "identifier") && rule_text_is(ctx, a, "timeout"))
				return true;
		}
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		if (applies_timeout(ctx, ts_node_named_child(n, i)))
			return true;
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode fn = rule_capture(ctx, match, "fn"), params = rule_capture(ctx, match, "params");
	TSNode param, name = ts_node_child_by_field_name(fn, "name", 4);
	TSNode body = ts_node_child_by_field_name(fn, "body", 4);
	uint32_t len;
	const char *t;

	if (!ts_node_child_count(fn) || !syntax_type_is(ts_node_child(fn, 0), "async"))
		return 0;
	if (!timeout_parameter(ctx, params, &param) || signature_given(ctx, fn))
		return 0;
	if (!ts_node_is_null(body) && applies_timeout(ctx, body))
		return 0;
	t = rule_text(ctx, name, &len);
	rule_report(ctx, &transform_timeout_param, param,
		    "async function `%.*s` takes a `timeout` parameter; let callers bound it "
		    "with `async with asyncio.timeout(..)`", (int)len, t);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"超时控制 > 设置超时",
	"# ✅ 推荐 - 使用 asyncio.timeout（Python 3.11+）",
	"核心原则 > ✅ 必须遵守",
	"6. **超时控制** - 所有 I/O 操作都应该有超时限制",
	NULL,
};

const struct transform transform_timeout_param = {
	.code = "ASYNC109",
	.name = "async-function-with-timeout",
	.summary = "async def with a timeout parameter (report: use asyncio.timeout at the call)",
	.fix = FIX_NONE,
	.query = timeout_param_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "An `async def` with a parameter named `timeout` (positional, keyword-only, "
		 "typed or with a default). Not reported: functions decorated with `overload` or "
		 "`override`, and functions that pass the parameter to `asyncio.timeout(..)`, "
		 "`asyncio.timeout_at(..)` or `asyncio.wait_for(..)` themselves (the standard's "
		 "recommended `fetch_with_timeout(url, timeout)` form).",
	.why = "A timeout parameter handed down to one library call bounds that call only; the "
	       "rest of the coroutine stays unbounded, and each layer grows its own parameter. "
	       "With `asyncio.timeout` the caller bounds the whole operation, however it is "
	       "built, and the limits of nested calls compose.",
	.standard = standard,
	.fix_text = "None (report only): drop the parameter and bound the call at the call site "
		    "with `async with asyncio.timeout(..)`, or apply it to the whole body with "
		    "`async with asyncio.timeout(timeout)`.",
	.reasons = NULL,
	.example_before = "async def fetch(client, url, timeout=10):\n"
			  "    response = await client.get(url, timeout=timeout)\n"
			  "    return response.json()\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch(client, url):\n"
			 "    response = await client.get(url)\n"
			 "    return response.json()\n"
			 "\n"
			 "\n"
			 "async def caller(client, url):\n"
			 "    async with asyncio.timeout(10):\n"
			 "        return await fetch(client, url)\n",
};
