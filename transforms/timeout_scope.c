/*
 * AM202 and AM201: statements that get an `async with asyncio.timeout(..)`.
 *
 * AM202: `await asyncio.wait_for(E, T)` in statement position (an
 * expression statement, `X = ...`, `X: A = ...`, `return ...`) becomes
 *
 *     async with asyncio.timeout(T):
 *         X = await E
 *
 * Safe from Python 3.12 (where wait_for is this block) when T is `None`
 * or a positive number literal; unsafe on 3.11 (wait_for runs E in a task
 * of its own there) or when T is a name or arithmetic of names (a zero or
 * negative timeout never starts E under wait_for, but starts it under
 * asyncio.timeout). Reported instead: T with side effects (it would be
 * evaluated before E), an await or yield in the arguments, a zero or
 * negative literal, other positions.
 *
 * AM201: an await of network I/O with no time limit, resolved from the
 * receiver's origin in the same function (see `io_finds`), gets the
 * smallest whole simple statement holding it wrapped in
 * `async with asyncio.timeout(N)`, N from `--timeout` (unsafe: a new
 * TimeoutError). Awaits already bounded (inside a timeout block, with an
 * explicit `timeout=`, a connection with its own command or socket
 * timeout) are left alone; a statement holding a `yield` is reported.
 *
 * Both keep the statement's comments (comments of the removed wait_for
 * call go to the end of the new `async with` line), indent the new block
 * by the file's indent unit and re-indent every line of a multi-line
 * statement.
 *
 * This file holds what both rules share, the block they build
 * (timeout_wrap_statement) and the callee tests, and AM202 whole.
 * timeout_io.c finds AM201's un-timed awaits; timeout_origin.c tells
 * where an awaited receiver came from; timeout_scope_internal.h is what
 * they share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "timeout_scope_internal.h"
#include "wait_for.scm.h"
#include "../src/tree.h"


static const char *const wait_for_tokens[] = { "wait_for", NULL };

/* Re-indents by `unit` the lines that begin after the line of `from` and
 * before `to`. */
static void reindent_after(const struct rule_ctx *ctx, struct finding *f, uint32_t from,
			   uint32_t to, const char *unit)
{
	uint32_t start = syntax_next_line(ctx, from);

	if (start < to)
		rule_reindent(ctx, f, start, to, unit);
}

/* Adds the edits that put `stmt` in `async with MOD.timeout(LIMIT):`: the
 * header goes where the statement starts, the statement moves to the next
 * line one indent unit deeper, and its other lines follow. `comments` is
 * appended to the header line. `keep` holds pairs of byte ranges of the
 * statement that survive the caller's own edits (only lines beginning in
 * them are re-indented); NULL means the whole statement. */
void timeout_wrap_statement(const struct rule_ctx *ctx, struct finding *f, TSNode stmt,
			    const char *mod, const char *limit, const char *comments,
			    const uint32_t *keep, size_t nkeep)
{
	struct buf indent = BUF_INIT, unit = BUF_INIT, text = BUF_INIT;
	uint32_t start = ts_node_start_byte(stmt), end = ts_node_end_byte(stmt);

	rule_indent(ctx, start, &indent);
	rule_indent_unit(ctx, &unit);
	buf_printf(&text, "async with %s.timeout(%s):%s%s%s%s", mod, limit, comments,
		   ctx->src->newline, buf_cstr(&indent), buf_cstr(&unit));
	rule_edit(f, start, start, buf_cstr(&text));
	if (!keep) {
		reindent_after(ctx, f, start, end, buf_cstr(&unit));
	} else {
		for (size_t i = 0; i < nkeep; i++)
			reindent_after(ctx, f, i ? keep[2 * i] : start, keep[2 * i + 1],
				       buf_cstr(&unit));
	}
	buf_release(&indent);
	buf_release(&unit);
	buf_release(&text);
}

/* A qualified name of the callee of `call`, or "" when it does not resolve
 * to an import. */
static enum resolution callee_qname(const struct rule_ctx *ctx, TSNode call, struct buf *q)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);

	buf_clear(q);
	if (ts_node_is_null(fn) || (!syntax_type_is(fn, "identifier") && !syntax_type_is(fn, "attribute")))
		return RESOLVE_LOCAL;
	return scope_resolve_expr(ctx->scopes, fn, q);
}

bool timeout_in_list(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

bool timeout_call_is(const struct rule_ctx *ctx, TSNode call, const char *const *qnames)
{
	struct buf q = BUF_INIT;
	bool yes = syntax_type_is(call, "call") && callee_qname(ctx, call, &q) == RESOLVE_MODULE &&
		   timeout_in_list(buf_cstr(&q), qnames);

	buf_release(&q);
	return yes;
}

/* The keyword argument `name=` of a call, or a null node. */
static TSNode keyword_arg(const struct rule_ctx *ctx, TSNode call, const char *name)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	TSNode none = { { 0 }, NULL, NULL };

	if (ts_node_is_null(args))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		TSNode k = ts_node_child_by_field_name(a, "name", 4);

		if (syntax_type_is(a, "keyword_argument") && rule_text_is(ctx, k, name))
			return ts_node_child_by_field_name(a, "value", 5);
	}
	return none;
}

/* True when the call passes `name=` with anything but a literal `None`. */
bool timeout_bounded_by_keyword(const struct rule_ctx *ctx, TSNode call, const char *name)
{
	TSNode v = keyword_arg(ctx, call, name);

	return !ts_node_is_null(v) && !syntax_type_is(v, "none");
}

/* ------------------------------------------------------------------ */
/* AM202                                                               */

enum limit_kind {
	LIMIT_NONE,		/* literal None */
	LIMIT_POSITIVE,		/* a number literal > 0 */
	LIMIT_NONPOSITIVE,	/* a number literal <= 0 */
	LIMIT_PLAIN,		/* names, attributes, arithmetic: no side effects */
	LIMIT_EFFECTS,		/* anything else */
};

/* Constants, names, attribute chains of names and arithmetic of those. */
static bool side_effect_free(TSNode n)
{
	const char *t = ts_node_type(n);

	if (!strcmp(t, "identifier") || !strcmp(t, "integer") || !strcmp(t, "float") ||
	    !strcmp(t, "none") || !strcmp(t, "true") || !strcmp(t, "false"))
		return true;
	if (!strcmp(t, "attribute")) {
		TSNode obj = ts_node_child_by_field_name(n, "object", 6);

		return !ts_node_is_null(obj) && side_effect_free(obj);
	}
	if (!strcmp(t, "unary_operator") || !strcmp(t, "binary_operator") ||
	    !strcmp(t, "parenthesized_expression")) {
		uint32_t count = ts_node_named_child_count(n);

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(n, i);

			if (!syntax_type_is(c, "comment") && !side_effect_free(c))
				return false;
		}
		return count > 0;
	}
	return false;
}

/* The value of a number literal (with an optional sign); false when the
 * text is not one. */
static bool literal_number(const struct rule_ctx *ctx, TSNode n, double *out)
{
	double sign = 1;
	char tmp[64];
	size_t k = 0;
	uint32_t len;
	const char *t;
	char *end;

	while (syntax_type_is(n, "unary_operator") || syntax_type_is(n, "parenthesized_expression")) {
		if (syntax_type_is(n, "unary_operator")) {
			TSNode op = ts_node_child_by_field_name(n, "operator", 8);

			if (rule_text_is(ctx, op, "-"))
				sign = -sign;
			else if (!rule_text_is(ctx, op, "+"))
				return false;
			n = ts_node_child_by_field_name(n, "argument", 8);
		} else {
			if (ts_node_named_child_count(n) != 1)
				return false;
			n = ts_node_named_child(n, 0);
		}
	}
	if (!syntax_type_is(n, "integer") && !syntax_type_is(n, "float"))
		return false;
	t = rule_text(ctx, n, &len);
	for (uint32_t i = 0; i < len && k + 1 < sizeof(tmp); i++) {
		if (t[i] == 'j' || t[i] == 'J')
			return false;	/* complex */
		if (t[i] != '_')
			tmp[k++] = t[i];
	}
	tmp[k] = 0;
	if (k > 1 && tmp[0] == '0' && (tmp[1] == 'o' || tmp[1] == 'O'))
		*out = (double)strtoull(tmp + 2, &end, 8);
	else if (k > 1 && tmp[0] == '0' && (tmp[1] == 'b' || tmp[1] == 'B'))
		*out = (double)strtoull(tmp + 2, &end, 2);
	else
		*out = strtod(tmp, &end);
	*out *= sign;
	return true;
}

static enum limit_kind classify_limit(const struct rule_ctx *ctx, TSNode t)
{
	double v;

	if (syntax_type_is(t, "none"))
		return LIMIT_NONE;
	if (literal_number(ctx, t, &v))
		return v > 0 ? LIMIT_POSITIVE : LIMIT_NONPOSITIVE;
	return side_effect_free(t) ? LIMIT_PLAIN : LIMIT_EFFECTS;
}

/* `await` binds tighter than most operators: the awaited expression keeps
 * its meaning alone only when it is a primary expression. */
static bool is_primary(TSNode n)
{
	static const char *const primary[] = {
		"identifier", "attribute", "call", "subscript", "parenthesized_expression",
		"list", "tuple", "dictionary", "set", "string", "concatenated_string",
		"list_comprehension", "set_comprehension", "dictionary_comprehension",
		"generator_expression", "integer", "float", "none", "true", "false", NULL,
	};

	return timeout_in_list(ts_node_type(n), primary);
}

/* E and T of wait_for(E, T): positional or `fut=` / `timeout=`. False for
 * any other argument. */
static bool wait_for_args(const struct rule_ctx *ctx, TSNode call, TSNode *aw, TSNode *limit)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	uint32_t positional = 0;

	aw->id = limit->id = NULL;
	if (!syntax_type_is(args, "argument_list"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "comment"))
			continue;
		if (syntax_type_is(a, "keyword_argument")) {
			TSNode k = ts_node_child_by_field_name(a, "name", 4);
			TSNode v = ts_node_child_by_field_name(a, "value", 5);

			if (rule_text_is(ctx, k, "fut") && ts_node_is_null(*aw))
				*aw = v;
			else if (rule_text_is(ctx, k, "timeout") && ts_node_is_null(*limit))
				*limit = v;
			else
				return false;
			continue;
		}
		if (syntax_type_is(a, "list_splat") || syntax_type_is(a, "dictionary_splat") ||
		    !ts_node_is_null(*limit) || (positional == 0 && !ts_node_is_null(*aw)))
			return false;
		if (positional++ == 0)
			*aw = a;
		else
			*limit = a;
	}
	return !ts_node_is_null(*aw) && !ts_node_is_null(*limit);
}

/* The statement when `await CALL` is a whole statement of a form AM202
 * rewrites, else a null node. */
static TSNode wait_for_statement(TSNode call)
{
	TSNode none = { { 0 }, NULL, NULL };
	TSNode aw = tree_parent(call), p, right;

	if (!syntax_type_is(aw, "await"))
		return none;
	p = tree_parent(aw);
	if (syntax_type_is(p, "return_statement"))
		return p;
	if (syntax_type_is(p, "expression_statement"))
		return ts_node_named_child_count(p) == 1 ? p : none;
	if (!syntax_type_is(p, "assignment"))
		return none;
	right = ts_node_child_by_field_name(p, "right", 5);
	if (!syntax_same_node(right, aw))
		return none;
	p = tree_parent(p);
	return syntax_type_is(p, "expression_statement") && ts_node_named_child_count(p) == 1 ? p : none;
}

/* Appends to `out` the comments below `n` outside the nodes `skip1` and
 * `skip2`: they sit in text the fix removes. */
static void removed_comments(const struct rule_ctx *ctx, TSNode n, TSNode skip1, TSNode skip2,
			     struct buf *out)
{
	uint32_t count = ts_node_child_count(n), len;
	const char *t;

	if (syntax_same_node(n, skip1) || syntax_same_node(n, skip2))
		return;
	if (syntax_type_is(n, "comment")) {
		t = rule_text(ctx, n, &len);
		buf_puts(out, "  ");
		buf_add(out, t, len);
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		removed_comments(ctx, ts_node_child(n, i), skip1, skip2, out);
}

/* True when the awaitable of a multi-line wait_for call starts a line of
 * its own indented one unit deeper than the statement: the lines it spans
 * then already have the indentation they need inside the new block. */
static bool already_indented(const struct rule_ctx *ctx, TSNode stmt, TSNode call, TSNode aw)
{
	struct buf outer = BUF_INIT, inner = BUF_INIT, unit = BUF_INIT;
	uint32_t line = source_line_start(ctx->src, ts_node_start_byte(aw));
	bool yes = false;

	if (line > ts_node_start_byte(call)) {
		rule_indent(ctx, ts_node_start_byte(stmt), &outer);
		rule_indent(ctx, ts_node_start_byte(aw), &inner);
		rule_indent_unit(ctx, &unit);
		yes = line + inner.len == ts_node_start_byte(aw) &&
		      inner.len == outer.len + unit.len && inner.len &&
		      mem_eq(inner.ptr, outer.ptr, outer.len) &&
		      mem_eq(inner.ptr + outer.len, unit.ptr, unit.len);
	}
	buf_release(&outer);
	buf_release(&inner);
	buf_release(&unit);
	return yes;
}

void timeout_format_seconds(double s, struct buf *out)
{
	buf_printf(out, "%.15g", s);
}

static int wait_for_check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fn = rule_capture(ctx, match, "fn");
	TSNode stmt, aw, limit;
	struct buf q = BUF_INIT, mod = BUF_INIT, lim = BUF_INIT, comments = BUF_INIT,
		   root = BUF_INIT;
	enum scope_context where;
	enum limit_kind kind;
	enum resolution r;
	struct finding *f;
	uint32_t len, keep[6];
	const char *t, *reason;

	r = scope_resolve_expr(ctx->scopes, fn, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) ||
	    (strcmp(buf_cstr(&q), "asyncio.wait_for") && strcmp(buf_cstr(&q), "asyncio.tasks.wait_for")))
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	if (ctx->target_minor < 11)
		goto done;	/* wait_for is the standard's compat form there */
	f = rule_report(ctx, &transform_wait_for, call,
			"`asyncio.wait_for` can be an `async with asyncio.timeout(..)` block");
	if ((reason = rule_site_reason(ctx, r, where))) {
		rule_no_fix(f, reason);
		goto done;
	}
	stmt = wait_for_statement(call);
	if (ts_node_is_null(stmt)) {
		rule_no_fix(f, "waitfor-expr-position");
		goto done;
	}
	if (!wait_for_args(ctx, call, &aw, &limit)) {
		rule_no_fix(f, "unusual-arguments");
		goto done;
	}
	if (syntax_holds(aw, "yield") || syntax_holds(limit, "yield")) {
		rule_no_fix(f, "yield-in-scope");
		goto done;
	}
	if (syntax_holds(aw, "await") || syntax_holds(limit, "await")) {
		rule_no_fix(f, "waitfor-await-in-args");
		goto done;
	}
	kind = classify_limit(ctx, limit);
	if (kind == LIMIT_NONPOSITIVE) {
		rule_no_fix(f, "waitfor-nonpositive-timeout");
		goto done;
	}
	if (kind == LIMIT_EFFECTS) {
		rule_no_fix(f, "waitfor-eval-order");
		goto done;
	}
	if (!rule_own_line(ctx, stmt)) {
		rule_no_fix(f, "compound-statement");
		goto done;
	}
	if (rule_module_ref(ctx, f, ts_node_start_byte(stmt), "asyncio", &mod) < 0) {
		rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	if (ctx->target_minor < 12 || kind == LIMIT_PLAIN) {
		struct buf msg = BUF_INIT;

		buf_puts(&msg, f->message);
		if (ctx->target_minor < 12)
			buf_puts(&msg, "; on Python 3.11 wait_for runs the awaitable in a task of "
				 "its own, so context variables it sets and cancellation races may "
				 "differ");
		if (kind == LIMIT_PLAIN)
			buf_puts(&msg, "; a zero or negative timeout never starts the awaitable "
				 "under wait_for but starts it under asyncio.timeout");
		free(f->message);
		f->message = buf_detach(&msg);
		f->fix = FIX_UNSAFE;
	} else {
		f->fix = FIX_SAFE;
	}
	t = rule_text(ctx, limit, &len);
	buf_add(&lim, t, len);
	removed_comments(ctx, call, aw, limit, &comments);
	rule_edit(f, ts_node_start_byte(call), ts_node_start_byte(aw), is_primary(aw) ? "" : "(");
	rule_edit(f, ts_node_end_byte(aw), ts_node_end_byte(call), is_primary(aw) ? "" : ")");
	keep[0] = ts_node_start_byte(stmt);
	keep[1] = ts_node_start_byte(call);
	keep[2] = ts_node_start_byte(aw);
	keep[3] = ts_node_end_byte(aw);
	keep[4] = ts_node_end_byte(call);
	keep[5] = ts_node_end_byte(stmt);
	if (already_indented(ctx, stmt, call, aw)) {
		/* `aw` stood on lines of its own one unit deeper: they stay as they are */
		keep[2] = keep[3];
	}
	timeout_wrap_statement(ctx, f, stmt, buf_cstr(&mod), buf_cstr(&lim), buf_cstr(&comments),
			       keep, 3);
	rule_root_name(ctx, fn, &root);
	if (strcmp(buf_cstr(&root), buf_cstr(&mod)))
		rule_need(f, NEED_DROP, buf_cstr(&root));
done:
	buf_release(&q);
	buf_release(&mod);
	buf_release(&lim);
	buf_release(&comments);
	buf_release(&root);
	return 0;
}

/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const wait_for_standard[] = {
	"超时控制 > 设置超时",
	"# ✅ 推荐 - 使用 asyncio.timeout（Python 3.11+）",
	"超时控制 > 设置超时",
	"# ✅ 兼容 - 使用 asyncio.wait_for（Python 3.10-）",
	NULL,
};

static const char *const wait_for_reasons[] = {
	"waitfor-expr-position", "the awaited wait_for is not a whole statement (`X = await ..`, "
	"`return await ..` or an expression statement): inside a larger expression, not awaited, "
	"or an augmented assignment",
	"unusual-arguments", "arguments other than the awaitable and the timeout (positional, "
	"`fut=`, `timeout=`), or `*args`/`**kwargs`",
	"waitfor-await-in-args", "the awaitable or the timeout holds an `await`, which would move "
	"inside the timeout",
	"yield-in-scope", "the awaitable or the timeout holds a `yield`, which must not run "
	"inside a timeout block",
	"waitfor-nonpositive-timeout", "the timeout is a zero or negative literal: wait_for never "
	"starts the awaitable, asyncio.timeout starts it and then cancels it",
	"waitfor-eval-order", "the timeout is not a literal, a name, an attribute of a name or "
	"arithmetic of those: it may have side effects, and the block evaluates it before the "
	"awaitable",
	"compound-statement", "the statement shares its line with other code",
	"nested-sync-scope", "the call is in a `def`, `lambda` or generator expression nested in "
	"the coroutine",
	"ambiguous-name", "the name may or may not mean `asyncio.wait_for` (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_wait_for = {
	.code = "AM202",
	.name = "wait-for-instead-of-timeout",
	.summary = "await asyncio.wait_for(aw, t) -> async with asyncio.timeout(t): await aw",
	.fix = FIX_SAFE,
	.query = wait_for_scm,
	.in_async_def = true,
	.tokens = wait_for_tokens,
	.check = wait_for_check,
	.finds = "`asyncio.wait_for(..)` (any import alias, `asyncio.tasks.wait_for`) in an async "
		 "function. Fixed when it is awaited as a whole statement: `await "
		 "asyncio.wait_for(aw, t)`, `x = await ..`, `x: T = await ..`, `return await ..`; "
		 "reported elsewhere. Not reported below Python 3.11, where wait_for is the "
		 "standard's compat form.",
	.why = "The standard's Python 3.11+ form bounds an operation with `async with "
	       "asyncio.timeout(t)`; `asyncio.wait_for` is its 3.10- compatibility form. On 3.11 "
	       "wait_for also runs a coroutine in a task of its own, so context variables it sets "
	       "are lost and a cancellation can be swallowed; from 3.12 wait_for is implemented "
	       "with asyncio.timeout.",
	.standard = wait_for_standard,
	.fix_text = "The statement moves into `async with asyncio.timeout(t):` with `wait_for(aw, "
		    "t)` replaced by `aw` (parenthesised when needed); comments of the removed call "
		    "go to the end of the `async with` line, and the statement's lines are "
		    "re-indented by the file's indent unit. Safe when the target is Python 3.12+ "
		    "and `t` is `None` or a positive number literal; unsafe on 3.11 (wait_for's "
		    "separate task: context variables and cancellation races differ) or when `t` "
		    "is a name, attribute or arithmetic (a zero or negative value never starts "
		    "`aw` under wait_for; asyncio.timeout starts it, then cancels it). The timeout "
		    "is now evaluated before `aw` is built.",
	.reasons = wait_for_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def fetch_user(client, user_id):\n"
			  "    user = await asyncio.wait_for(client.get_user(user_id), timeout=5)\n"
			  "    return user\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch_user(client, user_id):\n"
			 "    async with asyncio.timeout(5):\n"
			 "        user = await client.get_user(user_id)\n"
			 "    return user\n",
};
