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
 *     accepts as intent). Only a handler naming CancelledError that
 *     swallows its own task's cancellation is fixed: around the await of an
 *     existing task or future, or of one the function cancelled (the error
 *     may be the child's), and for a
 *     BaseException/bare fallback it is reported; a handler that re-raises
 *     on some path or asks `.cancelling()`, and a try body raising
 *     CancelledError itself (a test double), give no finding.
 *   ASYNC104: a statement leaves the handler without re-raising: `return`,
 *     `raise` of another exception, `break`/`continue` of a loop outside
 *     it. Reported at each such statement (no fix: what to return instead
 *     is the author's call).
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "cancelled_caught.scm.h"
#include "cancelled_exit.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "except", NULL };

/* True when one handler type means cancellation. */
static bool catches_cancel_type(const struct rule_ctx *ctx, TSNode t)
{
	struct buf q = BUF_INIT;
	enum resolution r;
	bool yes;

	t = syntax_unwrap_parens(t);
	if (syntax_type_is(t, "tuple")) {
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

		yes = syntax_type_is(fn, "attribute") &&
		      rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "uncancel");
	}
	vec_release(&v);
	return yes;
}

/* True when an except clause of `try_stmt` before `handler` catches
 * cancellation: it never reaches `handler`. */
static bool caught_earlier(const struct rule_ctx *ctx, TSNode try_stmt, TSNode handler)
{
	for (uint32_t i = 0, n = ts_node_named_child_count(try_stmt); i < n; i++) {
		TSNode c = ts_node_named_child(try_stmt, i), type, name;

		if (ts_node_eq(c, handler))
			break;
		if (!syntax_type_is(c, "except_clause"))
			continue;
		syntax_handler_parts(c, &type, &name);
		if (ts_node_is_null(type) || catches_cancel_type(ctx, type))
			return true;
	}
	return false;
}

/* True when the handler tells cancellation apart itself
 * (`if isinstance(e, asyncio.CancelledError): raise`). */
static bool sorts_out_cancellation(const struct rule_ctx *ctx, TSNode body)
{
	const char *t = ctx->src->text + ts_node_start_byte(body);
	size_t len = ts_node_end_byte(body) - ts_node_start_byte(body);

	return memmem(t, len, "isinstance", 10) && memmem(t, len, "CancelledError", 14);
}

/* The handler to examine: one that catches cancellation around an await
 * in a coroutine, and does not mean to swallow it (table.h). */
bool cancelled_handler_examined(const struct rule_ctx *ctx, TSNode try_stmt, TSNode handler)
{
	TSNode type, name, body = syntax_handler_body(handler);

	syntax_handler_parts(handler, &type, &name);
	if (ts_node_is_null(body) ||
	    (!ts_node_is_null(type) && !catches_cancel_type(ctx, type)) ||
	    scope_context_at(ctx->scopes, ts_node_start_byte(handler)) != CONTEXT_ASYNC ||
	    !awaits(ts_node_child_by_field_name(try_stmt, "body", 4)) ||
	    caught_earlier(ctx, try_stmt, handler) || sorts_out_cancellation(ctx, body))
		return false;
	return !uncancels(ctx, body);
}

/* True when the handler's type names `asyncio.CancelledError` itself (not
 * only `BaseException` or a bare `except:`). */
static bool names_cancelled_error(const struct rule_ctx *ctx, TSNode t)
{
	struct buf q = BUF_INIT;
	bool yes;

	t = syntax_unwrap_parens(t);
	if (ts_node_is_null(t))
		return false;
	if (syntax_type_is(t, "tuple")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(t); i++)
			if (names_cancelled_error(ctx, ts_node_named_child(t, i)))
				return true;
		return false;
	}
	yes = scope_resolve_expr(ctx->scopes, t, &q) == RESOLVE_MODULE &&
	      (!strcmp(q.ptr, "asyncio.CancelledError") ||
	       !strcmp(q.ptr, "asyncio.exceptions.CancelledError"));
	buf_release(&q);
	return yes;
}

/* True when the handler's type means cancellation and nothing else:
 * CancelledError alone, `BaseException` or a bare `except:`. */
static bool only_cancellation(TSNode t)
{
	t = syntax_unwrap_parens(t);
	return ts_node_is_null(t) || !syntax_type_is(t, "tuple");
}

/* True when the try body raises CancelledError itself (`raise
 * asyncio.CancelledError`, `raise CancelledError()`): a test double or a
 * stand-in, whose handler is not about the task's own cancellation. */
static bool raises_cancelled_itself(const struct rule_ctx *ctx, TSNode body)
{
	struct vec v = VEC_INIT(TSNode);
	bool yes = false;

	syntax_find_owned(body, "raise_statement", &v);
	for (size_t i = 0; i < v.len && !yes; i++) {
		TSNode e = ts_node_named_child(*(TSNode *)vec_at(&v, i), 0);

		if (syntax_type_is(e, "call"))
			e = ts_node_child_by_field_name(e, "function", 8);
		yes = !ts_node_is_null(e) && !syntax_type_is(e, "comment") &&
		      names_cancelled_error(ctx, e);
	}
	vec_release(&v);
	return yes;
}

/* True when the handler already re-raises on some path (a bare `raise`, or
 * `raise NAME` of the caught exception) or asks `.cancelling()` to tell
 * its own task's cancellation from another. */
static bool reraises_somewhere(const struct rule_ctx *ctx, TSNode body, TSNode name)
{
	struct vec v = VEC_INIT(TSNode);
	bool yes = false;

	syntax_find_owned(body, "raise_statement", &v);
	for (size_t i = 0; i < v.len && !yes; i++) {
		TSNode s = *(TSNode *)vec_at(&v, i), e = ts_node_named_child(s, 0);

		if (ts_node_is_null(e) || syntax_type_is(e, "comment"))
			yes = true;
		else if (!ts_node_is_null(name) && syntax_type_is(e, "identifier") &&
			 ts_node_named_child_count(s) == 1 &&
			 ts_node_end_byte(e) - ts_node_start_byte(e) ==
				 ts_node_end_byte(name) - ts_node_start_byte(name) &&
			 !memcmp(ctx->src->text + ts_node_start_byte(e),
				 ctx->src->text + ts_node_start_byte(name),
				 ts_node_end_byte(e) - ts_node_start_byte(e)))
			yes = true;
	}
	v.len = 0;
	syntax_find_owned(body, "call", &v);
	for (size_t i = 0; i < v.len && !yes; i++) {
		TSNode fn = ts_node_child_by_field_name(*(TSNode *)vec_at(&v, i), "function", 8);

		yes = syntax_type_is(fn, "attribute") &&
		      rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "cancelling");
	}
	vec_release(&v);
	return yes;
}

/* True when `text` (of length `len`) holds `word` as a whole name or
 * attribute chain: not preceded or followed by a name character. */
static bool mentions(const char *text, uint32_t len, const char *word, uint32_t wlen)
{
	for (uint32_t i = 0; wlen && i + wlen <= len; i++) {
		char before = i ? text[i - 1] : ' ', after = i + wlen < len ? text[i + wlen] : ' ';

		if (memcmp(text + i, word, wlen))
			continue;
		if (before == '_' || before == '.' || (before >= 'a' && before <= 'z') ||
		    (before >= 'A' && before <= 'Z') || (before >= '0' && before <= '9'))
			continue;
		if (after == '_' || (after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
		    (after >= '0' && after <= '9'))
			continue;
		return true;
	}
	return false;
}

/* True when `n` names a value rather than making one: a name or an
 * attribute chain (`task`, `self._reader`). */
static bool held_value(TSNode n)
{
	n = syntax_unwrap_parens(n);
	return syntax_type_is(n, "identifier") || syntax_type_is(n, "attribute");
}

/* True when the await `aw` waits for a task or future that exists apart
 * from it: `await task`, `await self._task`, or `wait_for`, `shield`,
 * `gather` or `wait` whose first argument is one. Whoever holds it may
 * have cancelled it, and the CancelledError is then that child's. */
static bool awaits_held_task(const struct rule_ctx *ctx, TSNode aw)
{
	static const char *const waiters[] = { "wait_for", "shield", "gather", "wait", NULL };
	TSNode e = syntax_unwrap_parens(ts_node_named_child(aw, 0)), fn, name, args, first;

	if (ts_node_is_null(e))
		return false;
	if (held_value(e))
		return true;
	if (!syntax_type_is(e, "call"))
		return false;
	fn = ts_node_child_by_field_name(e, "function", 8);
	name = syntax_type_is(fn, "attribute") ?
	       ts_node_child_by_field_name(fn, "attribute", 9) : fn;
	args = ts_node_child_by_field_name(e, "arguments", 9);
	if (!syntax_type_is(name, "identifier") || ts_node_is_null(args))
		return false;
	first = ts_node_named_child(args, 0);
	if (syntax_type_is(first, "list_splat") || syntax_type_is(first, "list") ||
	    syntax_type_is(first, "tuple") || syntax_type_is(first, "set"))
		first = ts_node_named_child(first, 0);
	for (int i = 0; waiters[i]; i++)
		if (rule_text_is(ctx, name, waiters[i]))
			return !ts_node_is_null(first) && held_value(first);
	return false;
}

/* True when the try body awaits a task this function has cancelled
 * (`X.cancel()` or `call_soon(X.cancel)` before the end of the body, then
 * `await X`,
 * `await asyncio.gather(X, ..)`, `await asyncio.wait_for(X, ..)`; with
 * `for t in TASKS: t.cancel()`, an await naming TASKS): the
 * CancelledError then comes from that child, and re-raising it would make
 * the normal path raise. */
static bool awaits_cancelled_child(const struct rule_ctx *ctx, TSNode try_stmt)
{
	TSNode fn = rule_enclosing_function(try_stmt);
	TSNode body = ts_node_child_by_field_name(try_stmt, "body", 4);
	struct vec calls = VEC_INIT(TSNode), waits = VEC_INIT(TSNode);
	bool yes = false;

	if (ts_node_is_null(fn) || ts_node_is_null(body))
		return false;
	syntax_find_owned(body, "await", &waits);
	for (size_t k = 0; k < waits.len && !yes; k++)
		yes = awaits_held_task(ctx, *(TSNode *)vec_at(&waits, k));
	syntax_find_owned(fn, "attribute", &calls);
	for (size_t i = 0; i < calls.len && !yes; i++) {
		TSNode f = *(TSNode *)vec_at(&calls, i), c = f;
		TSNode recv, target = { { 0 }, NULL, NULL };
		uint32_t rlen, tlen = 0;
		const char *r, *t = NULL;

		/* `X.cancel()`, or `X.cancel` handed on (`call_soon(X.cancel)`) */
		if (ts_node_start_byte(f) >= ts_node_end_byte(body) ||
		    !rule_text_is(ctx, ts_node_child_by_field_name(f, "attribute", 9), "cancel"))
			continue;
		recv = ts_node_child_by_field_name(f, "object", 6);
		if (ts_node_is_null(recv))
			continue;
		r = rule_text(ctx, recv, &rlen);
		/* `for t in TASKS: t.cancel()`: TASKS counts as cancelled */
		for (TSNode p = tree_parent(c); !ts_node_is_null(p); p = tree_parent(p)) {
			TSNode left;

			if (ts_node_eq(p, fn))
				break;
			if (!syntax_type_is(p, "for_statement"))
				continue;
			left = ts_node_child_by_field_name(p, "left", 4);
			if (syntax_type_is(left, "identifier")) {
				uint32_t llen;
				const char *l = rule_text(ctx, left, &llen);

				if (llen == rlen && !memcmp(l, r, rlen)) {
					target = ts_node_child_by_field_name(p, "right", 5);
					break;
				}
			}
		}
		if (!ts_node_is_null(target))
			t = rule_text(ctx, target, &tlen);
		for (size_t k = 0; k < waits.len && !yes; k++) {
			uint32_t wlen;
			const char *w = rule_text(ctx, *(TSNode *)vec_at(&waits, k), &wlen);

			yes = mentions(w, wlen, r, rlen) || (t && mentions(w, wlen, t, tlen));
		}
	}
	vec_release(&calls);
	vec_release(&waits);
	return yes;
}

/* True when `body` refers to the caught exception's name: it hands the
 * CancelledError on (to a future, a callback, a log). */
static bool uses_name(const struct rule_ctx *ctx, TSNode body, TSNode name)
{
	const char *t = ctx->src->text;
	uint32_t nlen = ts_node_end_byte(name) - ts_node_start_byte(name);
	struct vec ids = VEC_INIT(TSNode);
	bool yes = false;

	syntax_find_owned(body, "identifier", &ids);
	for (size_t i = 0; i < ids.len && !yes; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i);

		TSNode up = tree_parent(id);

		if (ts_node_end_byte(id) - ts_node_start_byte(id) != nlen ||
		    memcmp(t + ts_node_start_byte(id), t + ts_node_start_byte(name), nlen))
			continue;
		/* handed on: an argument (but to isinstance/type), a value
		 * stored or returned */
		if (syntax_type_is(up, "argument_list")) {
			TSNode fn = ts_node_child_by_field_name(tree_parent(up), "function", 8);

			yes = !rule_text_is(ctx, fn, "isinstance") && !rule_text_is(ctx, fn, "type");
		} else {
			yes = syntax_type_is(up, "return_statement") ||
			      syntax_type_is(up, "yield") ||
			      (syntax_type_is(up, "assignment") &&
			       ts_node_eq(ts_node_child_by_field_name(up, "right", 5), id));
		}
	}
	vec_release(&ids);
	return yes;
}

static int check_caught(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode try_stmt = rule_capture(ctx, match, "try"), handler = rule_capture(ctx, match, "handler");
	TSNode body = syntax_handler_body(handler), last, type, name;
	struct buf text = BUF_INIT, indent = BUF_INIT;
	struct finding *f;
	uint32_t at;

	if (!cancelled_handler_examined(ctx, try_stmt, handler) || !syntax_falls_through(body))
		return 0;
	syntax_handler_parts(handler, &type, &name);
	if (raises_cancelled_itself(ctx, ts_node_child_by_field_name(try_stmt, "body", 4)))
		return 0;
	if (only_cancellation(type) && reraises_somewhere(ctx, body, name))
		return 0;
	f = rule_report(ctx, &transform_cancelled_caught, handler,
			"this handler catches cancellation around an await and can end without "
			"re-raising it: a cancellation of this task arriving there is swallowed");
	f->end = ts_node_is_null(type) ? ts_node_start_byte(handler) + 6 : ts_node_end_byte(type);
	if (awaits_cancelled_child(ctx, try_stmt)) {
		rule_no_fix(f, "cancelled-child");
		goto done;
	}
	if (!names_cancelled_error(ctx, type)) {
		rule_no_fix(f, "broad-handler");
		goto done;
	}
	if (rule_in_test_code(ctx)) {
		rule_no_fix(f, "test-code");
		goto done;
	}
	if (!ts_node_is_null(name) && uses_name(ctx, body, name)) {
		rule_no_fix(f, "forwards-cancellation");
		goto done;
	}
	last = syntax_last_statement(body);
	if (ts_node_is_null(last))
		goto done;
	free(f->message);
	f->message = xstrdup("this handler catches cancellation around an await and can end "
			     "without re-raising it: the task then cannot be cancelled; re-raise "
			     "at the end (the fix adds `raise`: cancellation then propagates from "
			     "here)");
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
	for (TSNode p = tree_parent(stmt); !ts_node_is_null(p); p = tree_parent(p)) {
		if (ts_node_start_byte(p) == ts_node_start_byte(handler) &&
		    syntax_type_is(p, "except_clause"))
			return true;
		if (syntax_type_is(p, "for_statement") || syntax_type_is(p, "while_statement"))
			return false;
	}
	return true;
}

static int check_exit(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode try_stmt = rule_capture(ctx, match, "try"), handler = rule_capture(ctx, match, "handler");
	TSNode body = syntax_handler_body(handler), type, name;
	static const char *const kinds[] = { "return_statement", "raise_statement",
					     "break_statement", "continue_statement", NULL };
	struct vec v = VEC_INIT(TSNode);

	if (!cancelled_handler_examined(ctx, try_stmt, handler))
		return 0;
	syntax_handler_parts(handler, &type, &name);
	for (int k = 0; kinds[k]; k++)
		syntax_find_owned(body, kinds[k], &v);
	for (size_t i = 0; i < v.len; i++) {
		TSNode s = *(TSNode *)vec_at(&v, i), e;
		struct finding *f;

		if (syntax_type_is(s, "raise_statement")) {
			e = ts_node_named_child(s, 0);
			if (ts_node_is_null(e) || syntax_type_is(e, "comment"))
				continue;	/* bare raise */
			if (!ts_node_is_null(name) && ts_node_named_child_count(s) == 1 &&
			    syntax_type_is(e, "identifier") &&
			    ts_node_end_byte(e) - ts_node_start_byte(e) ==
				    ts_node_end_byte(name) - ts_node_start_byte(name) &&
			    !memcmp(ctx->src->text + ts_node_start_byte(e),
				    ctx->src->text + ts_node_start_byte(name),
				    ts_node_end_byte(e) - ts_node_start_byte(e)))
				continue;	/* `raise e` of the caught exception */
		} else if ((syntax_type_is(s, "break_statement") ||
			    syntax_type_is(s, "continue_statement")) &&
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

static const char *const caught_reasons[] = {
	"cancelled-child", "the `try` body awaits a task or future that exists apart from the "
	"await (`await task`, `await self._task`, `wait_for`/`shield`/`gather` of one), or one "
	"this function cancelled (`task.cancel()` then `await task`, also through "
	"`call_soon(task.cancel)`): the CancelledError may be the child's, cancelled here or by "
	"whoever holds it, and re-raising it would make the normal path raise; to re-raise only "
	"this task's own cancellation, check `asyncio.current_task().cancelling()`",
	"broad-handler", "the handler is `except BaseException` or a bare `except:`, a fallback "
	"for every error rather than for cancellation: adding `raise` would re-raise every "
	"error it handles; catch `asyncio.CancelledError` on its own and re-raise there",
	"forwards-cancellation", "the handler uses the caught CancelledError (`except "
	"CancelledError as exc:` then `fut.set_exception(exc)`, a callback, a log): it hands "
	"the cancellation on by hand, and whoever receives it may rely on this task ending "
	"quietly",
	"test-code", "the file is test code (in a `test` or `tests` folder, or named "
	"`test_*.py`, `*_test.py` or `conftest.py`): tests swallow cancellation on purpose to "
	"check how other code copes with it, and re-raising would change what they test",
	NULL,
};

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
	.in_async_def = true,
	.tokens = tokens,
	.check = check_caught,
	.finds = "An `except` clause that catches cancellation (`asyncio.CancelledError` under "
		 "any alias or in a tuple, `BaseException`, a bare `except:`) of a `try` whose "
		 "body awaits, in a coroutine, whose end can be reached without re-raising. A "
		 "handler that calls `.uncancel()` means to swallow and is left alone; so is one "
		 "that already re-raises on some path or asks `.cancelling()`, and one whose "
		 "`try` body raises CancelledError itself (a test double standing in for a "
		 "cancellation). Only a handler naming CancelledError that swallows its own "
		 "task's cancellation gets the fix; a handler around the await of an existing "
		 "task or future (`await task`, `await self._task`, `wait_for`/`shield`/`gather` "
		 "of one) or of one the function just cancelled (`task.cancel()` then "
		 "`await task`), where the CancelledError may be the child's, and a "
		 "`BaseException`/bare `except:` fallback, which handles every error, are "
		 "reported with a reason.",
	.why = "Cancellation is delivered as an exception; a handler that swallows it makes "
	       "the task impossible to cancel, and `asyncio.timeout`, TaskGroup and "
	       "`asyncio.run` misbehave. The asyncio documentation says a caught "
	       "CancelledError should be propagated when clean-up is complete.",
	.standard = standard,
	.fix_text = "`raise` is added as the last statement of the handler (`; raise` when the "
		    "handler is on one line), so the caught exception propagates after the "
		    "handler's clean-up. What changes: the cancellation now leaves the function "
		    "instead of being swallowed; a CancelledError raised by something else the "
		    "body awaits (not this task's cancellation) propagates too.",
	.reasons = caught_reasons,
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
	.in_async_def = true,
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
