/*
 * ASYNC100: an `async with asyncio.timeout(..)` block with no await in it.
 *
 * A timeout can only interrupt the block at an await (or `async for`,
 * `async with`): with none it never fires, and since `asyncio.timeout`'s
 * `__aenter__` and `__aexit__` do not suspend, the block only costs a
 * timer handle. Fix (safe): remove the `async with` line and de-indent the
 * body; comments on the removed header line stay, on lines of their own.
 * Timeout blocks nested in a removed one go with it. A `yield` in the body
 * counts as a checkpoint (the consumer may await while the generator is
 * suspended), so such blocks are not reported.
 */
#include <string.h>

#include "table.h"
#include "useless_timeout.scm.h"
#include "syntax.h"
#include "../src/tree.h"

static const char *const tokens[] = { "timeout", NULL };

static const char *const timeouts[] = {
	"asyncio.timeout", "asyncio.timeout_at", "asyncio.timeouts.timeout",
	"asyncio.timeouts.timeout_at", NULL,
};

static bool timeout_item(const struct rule_ctx *ctx, TSNode with, TSNode *call, bool *bound,
			 bool *alone);

/* True when code below `n` (outside nested defs, lambdas and classes) can
 * suspend: await, async for, async with, yield. A nested `async with` of
 * a lone timeout does not suspend by itself; its body decides. */
static bool has_checkpoint(const struct rule_ctx *ctx, TSNode n)
{
	const char *t = ts_node_type(n);
	uint32_t count = ts_node_named_child_count(n);

	if (!strcmp(t, "await") || !strcmp(t, "yield"))
		return true;
	if ((!strcmp(t, "for_statement") || !strcmp(t, "for_in_clause")) && syntax_is_async(n))
		return true;
	if (!strcmp(t, "with_statement") && syntax_is_async(n)) {
		TSNode call;
		bool bound = false, alone = false;

		if (!timeout_item(ctx, n, &call, &bound, &alone) || !alone)
			return true;
	}
	if (!strcmp(t, "function_definition") || !strcmp(t, "lambda") ||
	    !strcmp(t, "class_definition"))
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (has_checkpoint(ctx, ts_node_named_child(n, i)))
			return true;
	return false;
}

/* Constants, names, attribute chains, arithmetic of those, and `X.time()`
 * (the loop clock of `timeout_at(loop.time() + n)`): nothing that removing
 * the call could make observable. */
static bool side_effect_free(const struct rule_ctx *ctx, TSNode n)
{
	const char *t = ts_node_type(n);

	if (!strcmp(t, "identifier") || !strcmp(t, "integer") || !strcmp(t, "float") ||
	    !strcmp(t, "none") || !strcmp(t, "comment"))
		return true;
	if (!strcmp(t, "attribute"))
		return side_effect_free(ctx, ts_node_child_by_field_name(n, "object", 6));
	if (!strcmp(t, "call")) {
		TSNode fn = ts_node_child_by_field_name(n, "function", 8);
		TSNode args = ts_node_child_by_field_name(n, "arguments", 9);

		return syntax_type_is(fn, "attribute") &&
		       rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "time") &&
		       syntax_type_is(ts_node_child_by_field_name(fn, "object", 6), "identifier") &&
		       syntax_type_is(args, "argument_list") &&
		       ts_node_named_child_count(args) == 0;
	}
	if (!strcmp(t, "unary_operator") || !strcmp(t, "binary_operator") ||
	    !strcmp(t, "parenthesized_expression") || !strcmp(t, "argument_list")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			if (!side_effect_free(ctx, ts_node_named_child(n, i)))
				return false;
		return true;
	}
	return false;
}

/* The timeout call a with statement enters when it is its only item, and
 * whether it binds a name; false when the statement is not one. */
static bool timeout_item(const struct rule_ctx *ctx, TSNode with, TSNode *call, bool *bound,
			 bool *alone)
{
	TSNode clause = ts_node_named_child(with, 0);
	uint32_t items = 0;
	bool found = false;
	struct buf q = BUF_INIT;

	if (!syntax_type_is(clause, "with_clause") || !syntax_is_async(with))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode item = ts_node_named_child(clause, i);
		TSNode v = ts_node_child_by_field_name(item, "value", 5), fn;
		bool as = false;

		if (!syntax_type_is(item, "with_item"))
			continue;
		items++;
		if (syntax_type_is(v, "as_pattern")) {
			v = ts_node_named_child(v, 0);
			as = true;
		}
		if (!syntax_type_is(v, "call") || found)
			continue;
		fn = ts_node_child_by_field_name(v, "function", 8);
		if (ts_node_is_null(fn) ||
		    (!syntax_type_is(fn, "identifier") && !syntax_type_is(fn, "attribute")))
			continue;
		buf_clear(&q);
		if (scope_resolve_expr(ctx->scopes, fn, &q) != RESOLVE_MODULE)
			continue;
		for (int k = 0; timeouts[k]; k++)
			if (!strcmp(buf_cstr(&q), timeouts[k]))
				found = true;
		if (found) {
			*call = v;
			*bound = as;
		}
	}
	buf_release(&q);
	*alone = items == 1;
	return found;
}

/* The ':' ending a with statement's header. */
static uint32_t header_colon(TSNode with)
{
	for (uint32_t i = 0; i < ts_node_child_count(with); i++) {
		TSNode c = ts_node_child(with, i);

		if (syntax_type_is(c, ":"))
			return ts_node_end_byte(c);
	}
	return ts_node_end_byte(with);
}

static uint32_t next_line(const struct rule_ctx *ctx, uint32_t at)
{
	while (at < ctx->src->len && ctx->src->text[at] != '\n')
		at++;
	return at < ctx->src->len ? at + 1 : at;
}

/* True when the body follows the header's ':' on the same line. */
static bool body_on_header_line(const struct rule_ctx *ctx, TSNode with, TSNode body)
{
	for (uint32_t i = header_colon(with); i < ts_node_start_byte(body); i++)
		if (ctx->src->text[i] == '\n')
			return false;
	return true;
}

/* Why a pointless timeout block cannot simply go, or NULL. */
static const char *removal_blocker(const struct rule_ctx *ctx, TSNode with, TSNode call,
				   bool bound, bool alone)
{
	TSNode body = ts_node_child_by_field_name(with, "body", 4);
	uint32_t colon = header_colon(with);

	if (!alone)
		return "other-context-managers";
	if (bound)
		return "as-target";
	if (!side_effect_free(ctx, ts_node_child_by_field_name(call, "arguments", 9)))
		return "side-effects";
	if (ts_node_is_null(body))
		return "side-effects";
	if (body_on_header_line(ctx, with, body)) {
		/* `async with t(1): x = 1`: no line of its own to remove */
		const char *s = ctx->src->text;

		for (uint32_t i = ts_node_start_byte(with); i < colon; i++)
			if (s[i] == '#')
				return "comment-would-be-lost";
	}
	return NULL;
}

/* True when `with` is a removable timeout block with no checkpoint. */
static bool removable(const struct rule_ctx *ctx, TSNode with)
{
	TSNode call, body = ts_node_child_by_field_name(with, "body", 4);
	bool bound = false, alone = false;

	return timeout_item(ctx, with, &call, &bound, &alone) && !ts_node_is_null(body) &&
	       !has_checkpoint(ctx, body) && !removal_blocker(ctx, with, call, bound, alone);
}

/* Comments in [start, end) (the header), each as a line at `indent`. */
static void header_comments(const struct rule_ctx *ctx, TSNode n, uint32_t start, uint32_t end,
			    const char *indent, struct buf *out)
{
	if (ts_node_end_byte(n) <= start || ts_node_start_byte(n) >= end)
		return;
	if (syntax_type_is(n, "comment")) {
		uint32_t len;
		const char *t = rule_text(ctx, n, &len);

		buf_puts(out, indent);
		buf_add(out, t, len);
		buf_puts(out, ctx->src->newline);
		return;
	}
	for (uint32_t i = 0; i < ts_node_child_count(n); i++)
		header_comments(ctx, ts_node_child(n, i), start, end, indent, out);
}

static void remove_nested(const struct rule_ctx *ctx, struct finding *f, TSNode n,
			  const char *prefix, uint32_t *pos);

/* Adds the edits removing the block `with` whose lines lose `outer` (the
 * indent removed by enclosing blocks already), then its own indent unit. */
static void remove_block(const struct rule_ctx *ctx, struct finding *f, TSNode with,
			 const char *outer)
{
	TSNode body = ts_node_child_by_field_name(with, "body", 4);
	uint32_t start = ts_node_start_byte(with), colon = header_colon(with);
	uint32_t head = source_line_start(ctx->src, start), pos;
	struct buf indent = BUF_INIT, inner = BUF_INIT, prefix = BUF_INIT, text = BUF_INIT;
	size_t drop;

	if (body_on_header_line(ctx, with, body)) {
		rule_edit(f, start, ts_node_start_byte(body), "");
		return;
	}
	rule_indent(ctx, start, &indent);
	rule_indent(ctx, ts_node_start_byte(body), &inner);
	drop = strlen(outer) <= indent.len ? strlen(outer) : indent.len;
	header_comments(ctx, with, start, next_line(ctx, colon), "", &text);
	if (text.len) {
		/* each comment line at the block's new indent */
		struct buf lines = BUF_INIT;
		const char *p = buf_cstr(&text), *nl;

		while ((nl = strstr(p, ctx->src->newline))) {
			buf_add(&lines, indent.ptr + drop, indent.len - drop);
			buf_add(&lines, p, (size_t)(nl - p));
			buf_puts(&lines, ctx->src->newline);
			p = nl + strlen(ctx->src->newline);
		}
		buf_clear(&text);
		buf_add(&text, lines.ptr, lines.len);
		buf_release(&lines);
	}
	rule_edit(f, head, next_line(ctx, colon), buf_cstr(&text));
	buf_puts(&prefix, outer);
	if (inner.len > indent.len && mem_eq(inner.ptr, indent.ptr, indent.len))
		buf_add(&prefix, inner.ptr + indent.len, inner.len - indent.len);
	pos = next_line(ctx, colon);
	remove_nested(ctx, f, body, buf_cstr(&prefix), &pos);
	if (pos < ts_node_end_byte(with))
		rule_dedent(ctx, f, pos, ts_node_end_byte(with), buf_cstr(&prefix));
	buf_release(&indent);
	buf_release(&inner);
	buf_release(&prefix);
	buf_release(&text);
}

/* De-indents the lines from `*pos` to each removable timeout block below
 * `n`, and removes that block; `*pos` ends after the last one. */
static void remove_nested(const struct rule_ctx *ctx, struct finding *f, TSNode n,
			  const char *prefix, uint32_t *pos)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
		TSNode c = ts_node_named_child(n, i);

		if (syntax_type_is(c, "function_definition") ||
		    syntax_type_is(c, "class_definition"))
			continue;
		if (syntax_type_is(c, "with_statement") && removable(ctx, c)) {
			uint32_t head = source_line_start(ctx->src, ts_node_start_byte(c));

			if (*pos < head)
				rule_dedent(ctx, f, *pos, head, prefix);
			remove_block(ctx, f, c, prefix);
			*pos = next_line(ctx, ts_node_end_byte(c));
			continue;
		}
		remove_nested(ctx, f, c, prefix, pos);
	}
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode with = rule_capture(ctx, match, "with"), call, body;
	bool bound = false, alone = false;
	const char *reason;
	struct finding *f;
	uint32_t len;
	const char *t;

	if (!timeout_item(ctx, with, &call, &bound, &alone))
		return 0;
	body = ts_node_child_by_field_name(with, "body", 4);
	if (ts_node_is_null(body) || has_checkpoint(ctx, body))
		return 0;
	if (scope_context_at(ctx->scopes, ts_node_start_byte(with)) != CONTEXT_ASYNC)
		return 0;
	/* a removable block inside a removable one goes with it */
	for (TSNode p = tree_parent(with); removable(ctx, with) && !ts_node_is_null(p);
	     p = tree_parent(p)) {
		if (syntax_type_is(p, "function_definition") || syntax_type_is(p, "lambda") ||
		    syntax_type_is(p, "class_definition"))
			break;
		if (syntax_type_is(p, "with_statement") && removable(ctx, p))
			return 0;
	}
	t = rule_text(ctx, ts_node_child_by_field_name(call, "function", 8), &len);
	f = rule_report(ctx, &transform_useless_timeout, call,
			"`%.*s` block has no await: the timeout can never fire; remove it",
			(int)len, t);
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		return 0;
	}
	if ((reason = removal_blocker(ctx, with, call, bound, alone))) {
		rule_no_fix(f, reason);
		return 0;
	}
	remove_block(ctx, f, with, "");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"超时控制 > 设置超时",
	"# ✅ 推荐 - 使用 asyncio.timeout（Python 3.11+）",
	NULL,
};

static const char *const reasons[] = {
	"other-context-managers", "the `async with` also enters other context managers",
	"as-target", "the block binds the timeout object (`as cm`), which the code may use",
	"side-effects", "the timeout argument may have side effects (a call other than "
	"`X.time()`, a subscript): removing the call would remove them",
	"comment-would-be-lost", "the header holds a comment and the body is on the same line",
	"non-asyncio-runtime", "the module runs under anyio or trio, where `asyncio.timeout` "
	"raises instead of doing nothing",
	NULL,
};

const struct transform transform_useless_timeout = {
	.code = "ASYNC100",
	.name = "cancel-scope-no-checkpoint",
	.summary = "async with asyncio.timeout() block with no await -> remove it",
	.fix = FIX_SAFE,
	.query = useless_timeout_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "An `async with asyncio.timeout(..)` or `asyncio.timeout_at(..)` block (any "
		 "import alias) in an async function whose body has no `await`, `async for`, "
		 "`async with` or `yield` outside nested functions and classes. A block nested "
		 "in such a block is covered by the outer one's finding.",
	.why = "A timeout interrupts a task only where it suspends. A block that never awaits "
	       "cannot time out: it promises a limit the code does not have, and usually means "
	       "the await it was meant to bound moved elsewhere.",
	.standard = standard,
	.fix_text = "The `async with` line goes and the body moves out one indent level (lines "
		    "inside multi-line strings are left alone); comments on the removed line stay "
		    "on lines of their own. Timeout blocks nested in it go too. Behaviour is kept: "
		    "`asyncio.timeout` does not suspend on entry or exit and cannot fire without "
		    "an await.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def total(prices):\n"
			  "    async with asyncio.timeout(5):\n"
			  "        result = sum(prices)\n"
			  "    return result\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def total(prices):\n"
			 "    result = sum(prices)\n"
			 "    return result\n",
};
