/*
 * ASYNC103 / ASYNC104: a handler that catches cancellation and does not
 * re-raise it.
 *
 * A handler catches cancellation when it names `asyncio.CancelledError`
 * (any alias, or in a tuple), `BaseException`, or is a bare `except:`; it
 * matters when its `try` body awaits, in a coroutine. The split follows
 * flake8-async:
 *   ASYNC103: the end of the handler is reachable: a path falls out of it
 *     without re-raising. Fix (unsafe): `raise` is added at the end of the
 *     handler, so cancellation propagates (a code that meant to swallow it
 *     should call `asyncio.current_task().uncancel()`, which this rule
 *     accepts as intent).
 *   ASYNC104: a statement leaves the handler without re-raising: `return`,
 *     `raise` of another exception, `break`/`continue` of a loop outside
 *     it. Reported at each such statement (no fix: what to return instead
 *     is the author's call).
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "cancelled_caught.scm.h"
#include "cancelled_exit.scm.h"

static const char *const tokens[] = { "except", NULL };

static bool is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

/* True when one handler type means cancellation. */
static bool catches_cancel_type(const struct rule_ctx *ctx, TSNode t)
{
	struct buf q = BUF_INIT;
	enum resolution r;
	bool yes;

	t = syntax_unwrap_parens(t);
	if (is(t, "tuple")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(t); i++)
			if (catches_cancel_type(ctx, ts_node_named_child(t, i)))
				return true;
		return false;
	}
	r = scope_resolve_expr(ctx->scopes, t, &q);
	yes = (r == RESOLVE_MODULE && (!strcmp(q.ptr, "asyncio.CancelledError") ||
				       !strcmp(q.ptr, "asyncio.exceptions.CancelledError"))) ||
	      (r == RESOLVE_UNBOUND && !strcmp(buf_cstr(&q), "BaseException"));
	buf_release(&q);
	return yes;
}

/* The handler's type expression and `as` name (null when absent). */
static void handler_parts(TSNode handler, TSNode *type, TSNode *name)
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

static TSNode handler_body(TSNode handler)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint32_t i = ts_node_named_child_count(handler); i > 0; i--)
		if (is(ts_node_named_child(handler, i - 1), "block"))
			return ts_node_named_child(handler, i - 1);
	return none;
}

/* True when `block` (a try body) awaits: await, async for, async with. */
static bool awaits(TSNode block)
{
	struct vec v = VEC_INIT(TSNode);
	bool yes;

	syntax_find_owned(block, "await", &v);
	yes = v.len > 0;
	if (!yes) {
		syntax_find_owned(block, "for_statement", &v);
		syntax_find_owned(block, "with_statement", &v);
		for (size_t i = 0; i < v.len && !yes; i++)
			yes = !strcmp(ts_node_type(ts_node_child(*(TSNode *)vec_at(&v, i), 0)),
				      "async");
	}
	vec_release(&v);
	return yes;
}

/* True when the handler calls `.uncancel()`: swallowing is meant. */
static bool uncancels(const struct rule_ctx *ctx, TSNode body)
{
	struct vec v = VEC_INIT(TSNode);
	bool yes = false;

	syntax_find_owned(body, "call", &v);
	for (size_t i = 0; i < v.len && !yes; i++) {
		TSNode fn = ts_node_child_by_field_name(*(TSNode *)vec_at(&v, i), "function", 8);

		yes = is(fn, "attribute") &&
		      rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "uncancel");
	}
	vec_release(&v);
	return yes;
}

/* The handler to examine: one that catches cancellation around an await
 * in a coroutine, and does not mean to swallow it. */
static bool relevant(const struct rule_ctx *ctx, TSNode try_stmt, TSNode handler)
{
	TSNode type, name, body = handler_body(handler);

	handler_parts(handler, &type, &name);
	if (ts_node_is_null(body) ||
	    (!ts_node_is_null(type) && !catches_cancel_type(ctx, type)) ||
	    scope_context_at(ctx->scopes, ts_node_start_byte(handler)) != CONTEXT_ASYNC ||
	    !awaits(ts_node_child_by_field_name(try_stmt, "body", 4)))
		return false;
	return !uncancels(ctx, body);
}

static TSNode last_statement(TSNode block)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint32_t i = ts_node_named_child_count(block); i > 0; i--)
		if (!is(ts_node_named_child(block, i - 1), "comment"))
			return ts_node_named_child(block, i - 1);
	return none;
}

/* True when control can reach the end of `block` (an approximation that
 * errs towards "yes": loops and match statements are assumed to). */
static bool falls_through(TSNode block)
{
	TSNode last = last_statement(block);
	const char *t;

	if (ts_node_is_null(last))
		return true;
	t = ts_node_type(last);
	if (!strcmp(t, "raise_statement") || !strcmp(t, "return_statement") ||
	    !strcmp(t, "break_statement") || !strcmp(t, "continue_statement"))
		return false;
	if (!strcmp(t, "if_statement")) {
		bool has_else = false;

		if (falls_through(ts_node_child_by_field_name(last, "consequence", 11)))
			return true;
		for (uint32_t i = 0; i < ts_node_named_child_count(last); i++) {
			TSNode c = ts_node_named_child(last, i);

			if (is(c, "elif_clause") &&
			    falls_through(ts_node_child_by_field_name(c, "consequence", 11)))
				return true;
			if (is(c, "else_clause")) {
				has_else = true;
				if (falls_through(ts_node_child_by_field_name(c, "body", 4)))
					return true;
			}
		}
		return !has_else;
	}
	if (!strcmp(t, "with_statement"))
		return falls_through(ts_node_child_by_field_name(last, "body", 4));
	if (!strcmp(t, "try_statement")) {
		TSNode body = ts_node_child_by_field_name(last, "body", 4);

		for (uint32_t i = 0; i < ts_node_named_child_count(last); i++) {
			TSNode c = ts_node_named_child(last, i);

			if (is(c, "finally_clause") && !falls_through(handler_body(c)))
				return false;
			if (is(c, "else_clause"))
				body = ts_node_child_by_field_name(c, "body", 4);
		}
		if (falls_through(body))
			return true;
		for (uint32_t i = 0; i < ts_node_named_child_count(last); i++) {
			TSNode c = ts_node_named_child(last, i);

			if (is(c, "except_clause") && falls_through(handler_body(c)))
				return true;
		}
		return false;
	}
	return true;
}

static int check_caught(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode try_stmt = rule_capture(ctx, match, "try"), handler = rule_capture(ctx, match, "handler");
	TSNode body = handler_body(handler), last, type, name;
	struct buf text = BUF_INIT, indent = BUF_INIT;
	struct finding *f;
	uint32_t at;

	if (!relevant(ctx, try_stmt, handler) || !falls_through(body))
		return 0;
	handler_parts(handler, &type, &name);
	f = rule_report(ctx, &transform_cancelled_caught, handler,
			"this handler catches cancellation around an await and can end without "
			"re-raising it: the task then cannot be cancelled; re-raise at the end "
			"(the fix adds `raise`: cancellation then propagates from here)");
	f->end = ts_node_is_null(type) ? ts_node_start_byte(handler) + 6 : ts_node_end_byte(type);
	last = last_statement(body);
	if (ts_node_is_null(last))
		goto done;
	if (source_line_start(ctx->src, ts_node_start_byte(body)) ==
	    source_line_start(ctx->src, ts_node_start_byte(handler))) {
		/* `except X: pass` on one line */
		rule_edit(f, ts_node_end_byte(last), ts_node_end_byte(last), "; raise");
		goto done;
	}
	/* the new line goes in at the start of the next line, where a fix
	 * re-indenting the lines (AM301) would clash with it rather than
	 * leave it at the old indentation */
	rule_indent(ctx, ts_node_start_byte(body), &indent);
	at = ts_node_end_byte(last);
	while (at < ctx->src->len && ctx->src->text[at] != '\n')
		at++;
	if (at < ctx->src->len)
		buf_printf(&text, "%sraise%s", buf_cstr(&indent), ctx->src->newline);
	else
		buf_printf(&text, "%s%sraise%s", ctx->src->newline, buf_cstr(&indent),
			   ctx->src->newline);
	at += at < ctx->src->len;
	rule_edit(f, at, at, buf_cstr(&text));
done:
	buf_release(&text);
	buf_release(&indent);
	return 0;
}

/* True when a `break`/`continue` at `stmt` leaves `handler`: its loop is
 * outside the handler. */
static bool leaves_loop_outside(TSNode stmt, TSNode handler)
{
	for (TSNode p = ts_node_parent(stmt); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (ts_node_start_byte(p) == ts_node_start_byte(handler) && is(p, "except_clause"))
			return true;
		if (is(p, "for_statement") || is(p, "while_statement"))
			return false;
	}
	return true;
}

static int check_exit(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode try_stmt = rule_capture(ctx, match, "try"), handler = rule_capture(ctx, match, "handler");
	TSNode body = handler_body(handler), type, name;
	static const char *const kinds[] = { "return_statement", "raise_statement",
					     "break_statement", "continue_statement", NULL };
	struct vec v = VEC_INIT(TSNode);

	if (!relevant(ctx, try_stmt, handler))
		return 0;
	handler_parts(handler, &type, &name);
	for (int k = 0; kinds[k]; k++)
		syntax_find_owned(body, kinds[k], &v);
	for (size_t i = 0; i < v.len; i++) {
		TSNode s = *(TSNode *)vec_at(&v, i), e;
		struct finding *f;

		if (is(s, "raise_statement")) {
			e = ts_node_named_child(s, 0);
			if (ts_node_is_null(e) || is(e, "comment"))
				continue;	/* bare raise */
			if (!ts_node_is_null(name) && ts_node_named_child_count(s) == 1 &&
			    is(e, "identifier") &&
			    ts_node_end_byte(e) - ts_node_start_byte(e) ==
				    ts_node_end_byte(name) - ts_node_start_byte(name) &&
			    !memcmp(ctx->src->text + ts_node_start_byte(e),
				    ctx->src->text + ts_node_start_byte(name),
				    ts_node_end_byte(e) - ts_node_start_byte(e)))
				continue;	/* `raise e` of the caught exception */
		} else if ((is(s, "break_statement") || is(s, "continue_statement")) &&
			   !leaves_loop_outside(s, handler)) {
			continue;
		}
		f = rule_report(ctx, &transform_cancelled_exit, s,
				"this leaves a handler that catches cancellation without re-raising "
				"it: the task then cannot be cancelled; re-raise the caught exception");
		rule_no_fix(f, "exits-handler");
	}
	vec_release(&v);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const standard[] = {
	"超时控制 > 取消处理",
	"    except asyncio.CancelledError:",
	"超时控制 > 取消处理",
	"        logger.info(\"operation cancelled by caller\")",
	"超时控制 > 取消处理",
	"        raise",
	"检查清单",
	"- [ ] 正确处理 `CancelledError`",
	NULL,
};

static const char *const no_reasons[] = { NULL };

static const char *const exit_reasons[] = {
	"exits-handler", "the statement (`return`, `raise` of another exception, "
	"`break`/`continue` of an outer loop) leaves the handler: adding `raise` after it "
	"cannot help; re-raise the caught exception instead, or call "
	"`asyncio.current_task().uncancel()` if swallowing is meant",
	NULL,
};

const struct transform transform_cancelled_caught = {
	.code = "ASYNC103",
	.name = "cancelled-not-reraised",
	.summary = "except CancelledError/BaseException that can end without re-raising -> raise",
	.fix = FIX_UNSAFE,
	.query = cancelled_caught_scm,
	.tokens = tokens,
	.check = check_caught,
	.finds = "An `except` clause that catches cancellation (`asyncio.CancelledError` under "
		 "any alias or in a tuple, `BaseException`, a bare `except:`) of a `try` whose "
		 "body awaits, in a coroutine, whose end can be reached without re-raising. A "
		 "handler that calls `.uncancel()` means to swallow and is left alone.",
	.why = "Cancellation is delivered as an exception; a handler that swallows it makes "
	       "the task impossible to cancel, and `asyncio.timeout`, TaskGroup and "
	       "`asyncio.run` misbehave. The asyncio documentation says a caught "
	       "CancelledError should be propagated when clean-up is complete.",
	.standard = standard,
	.fix_text = "`raise` is added as the last statement of the handler (`; raise` when the "
		    "handler is on one line), so the caught exception propagates after the "
		    "handler's clean-up. What changes: the cancellation (or other exception) now "
		    "leaves the function instead of being swallowed.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def pump(queue, log):\n"
			  "    try:\n"
			  "        await queue.get()\n"
			  "    except asyncio.CancelledError:\n"
			  "        log.append(\"stopped\")\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def pump(queue, log):\n"
			 "    try:\n"
			 "        await queue.get()\n"
			 "    except asyncio.CancelledError:\n"
			 "        log.append(\"stopped\")\n"
			 "        raise\n",
};

const struct transform transform_cancelled_exit = {
	.code = "ASYNC104",
	.name = "cancelled-exit-without-reraise",
	.summary = "return/raise-other inside except CancelledError/BaseException (report)",
	.fix = FIX_NONE,
	.query = cancelled_exit_scm,
	.tokens = tokens,
	.check = check_exit,
	.finds = "Inside an `except` clause that catches cancellation (`asyncio.CancelledError`, "
		 "`BaseException`, a bare `except:`) of a `try` whose body awaits, in a "
		 "coroutine: a `return`, a `raise` of a different exception, or a "
		 "`break`/`continue` of a loop outside the handler. Each is reported.",
	.why = "Leaving the handler any other way than re-raising swallows the cancellation: "
	       "the task cannot be cancelled, and timeouts and TaskGroups that rely on it "
	       "misbehave. The standard's cancellation example re-raises in every handler.",
	.standard = standard,
	.fix_text = "None: re-raise the caught exception (bare `raise`) instead of returning "
		    "or raising another, or call `asyncio.current_task().uncancel()` when "
		    "swallowing is really meant.",
	.reasons = exit_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def fetch_or_none(client, url):\n"
			  "    try:\n"
			  "        return await client.get(url)\n"
			  "    except asyncio.CancelledError:\n"
			  "        return None\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch_or_none(client, url):\n"
			 "    try:\n"
			 "        return await client.get(url)\n"
			 "    except asyncio.CancelledError:\n"
			 "        raise\n",
};
