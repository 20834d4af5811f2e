/*
 * AM305: an `@asynccontextmanager` whose handler around the `yield` does
 * not re-raise.
 *
 * contextlib hands an exception raised in the `async with` body to the
 * generator by throwing it in at the `yield`. An `except` clause of a
 * `try` whose body holds that `yield` catches it; when a path through the
 * handler ends without `raise` (falls off its end, `return`s, leaves it
 * with `break`/`continue`), the exception is gone: if the generator then
 * finishes, contextlib reports it handled and the code after the
 * `async with` runs as if the body had succeeded; if it yields again,
 * contextlib raises RuntimeError("generator didn't stop after athrow()").
 * Report only: re-raise, or decide that suppressing is meant.
 *
 * The decorator is resolved through the imports
 * (`contextlib.asynccontextmanager`, any alias). `@contextmanager` on an
 * `async def` is another bug and is not looked at. Handlers that catch
 * cancellation (bare `except:`, `BaseException`, `CancelledError`) around
 * an await are ASYNC103's and ASYNC104's (their fix re-raises); they get
 * no second finding here. A handler catching only GeneratorExit is left
 * alone: contextlib never throws it.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "cm_swallows.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "asynccontextmanager", NULL };

/* True when the decorator is contextlib.asynccontextmanager. */
static bool is_acm(const struct rule_ctx *ctx, TSNode decorator)
{
	TSNode e = syntax_unwrap_parens(syntax_named_child(decorator, 0));
	struct buf q = BUF_INIT;
	bool yes;

	if (!syntax_type_is(e, "identifier") && !syntax_type_is(e, "attribute"))
		return false;
	yes = scope_resolve_expr(ctx->scopes, e, &q) == RESOLVE_MODULE &&
	      !strcmp(buf_cstr(&q), "contextlib.asynccontextmanager");
	buf_release(&q);
	return yes;
}

/* True when the handler's type is GeneratorExit alone. */
static bool only_generator_exit(const struct rule_ctx *ctx, TSNode type)
{
	struct buf q = BUF_INIT;
	bool yes;

	type = syntax_unwrap_parens(type);
	if (!syntax_type_is(type, "identifier"))
		return false;
	yes = scope_resolve_expr(ctx->scopes, type, &q) == RESOLVE_UNBOUND &&
	      !strcmp(buf_cstr(&q), "GeneratorExit");
	buf_release(&q);
	return yes;
}

/* True when a `break`/`continue` at `stmt` leaves `handler`. */
static bool leaves(TSNode stmt, TSNode handler)
{
	for (TSNode p = tree_parent(stmt); !ts_node_is_null(p); p = tree_parent(p)) {
		if (syntax_node_eq(p, handler))
			return true;
		if (syntax_type_is(p, "for_statement") || syntax_type_is(p, "while_statement"))
			return false;
	}
	return true;
}

/* True when every path through the handler ends in a `raise`. */
static bool always_reraises(TSNode handler, TSNode body)
{
	struct vec v = VEC_INIT(TSNode);
	bool yes = !syntax_falls_through(body);

	if (yes) {
		syntax_find_owned(body, "return_statement", &v);
		yes = v.len == 0;
	}
	if (yes) {
		syntax_find_owned(body, "break_statement", &v);
		syntax_find_owned(body, "continue_statement", &v);
		for (size_t i = 0; i < v.len && yes; i++)
			yes = !leaves(*(TSNode *)vec_at(&v, i), handler);
	}
	vec_release(&v);
	return yes;
}

/* Looks at the handlers of one `try` of the generator. */
static void check_try(struct rule_ctx *ctx, TSNode try_stmt)
{
	struct vec yields = VEC_INIT(TSNode);

	syntax_find_owned(syntax_field(try_stmt, "body"), "yield", &yields);
	for (uint32_t i = 0, n = ts_node_named_child_count(try_stmt); yields.len && i < n; i++) {
		TSNode h = ts_node_named_child(try_stmt, i), type, name, body;
		struct vec again = VEC_INIT(TSNode);
		struct finding *f;

		if (!syntax_type_is(h, "except_clause"))
			continue;
		syntax_handler_parts(h, &type, &name);
		body = syntax_handler_body(h);
		if (ts_node_is_null(body) || (!ts_node_is_null(type) && only_generator_exit(ctx, type)) ||
		    cancelled_handler_examined(ctx, try_stmt, h) || always_reraises(h, body))
			continue;
		syntax_find_owned(body, "yield", &again);
		f = rule_report(ctx, &transform_cm_swallows, h,
				again.len
				? "this handler around the `yield` of an @asynccontextmanager yields "
				  "again instead of re-raising: contextlib raises RuntimeError "
				  "(\"generator didn't stop after athrow()\") in place of the "
				  "exception of the `async with` body; end the handler with `raise`"
				: "this handler around the `yield` of an @asynccontextmanager can end "
				  "without re-raising: an exception of the `async with` body is "
				  "swallowed and the code after the block runs as if it had "
				  "succeeded; end the handler with `raise`");
		f->end = ts_node_is_null(type) ? ts_node_start_byte(h) + 6 : ts_node_end_byte(type);
		vec_release(&again);
	}
	vec_release(&yields);
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode decorator = rule_capture(ctx, match, "decorator"), fn = rule_capture(ctx, match, "fn");
	struct vec tries = VEC_INIT(TSNode);

	if (!syntax_is_async_def(fn) || !is_acm(ctx, decorator))
		return 0;
	syntax_find_owned(syntax_field(fn, "body"), "try_statement", &tries);
	for (size_t i = 0; i < tries.len; i++)
		check_try(ctx, *(TSNode *)vec_at(&tries, i));
	vec_release(&tries);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"5. **明确的异常处理** - 异步函数必须有清晰的异常处理策略",
	"异步上下文管理器 > 自定义异步上下文管理器",
	"# ✅ 推荐 - 使用 @asynccontextmanager",
	"异步上下文管理器 > 自定义异步上下文管理器",
	"    except Exception as e:",
	"异步上下文管理器 > 自定义异步上下文管理器",
	"        raise",
	NULL,
};

const struct transform transform_cm_swallows = {
	.code = "AM305",
	.name = "asynccontextmanager-swallows",
	.summary = "@asynccontextmanager: except around yield without re-raise (report)",
	.fix = FIX_NONE,
	.query = cm_swallows_scm,
	.tokens = tokens,
	.check = check,
	.finds = "In an `async def` decorated with `contextlib.asynccontextmanager` (under any "
		 "import alias), an `except` clause of a `try` whose body holds the `yield`, with "
		 "a path that ends without `raise`: it falls off the end of the handler, "
		 "`return`s, or leaves it with `break`/`continue`. Handlers that catch "
		 "cancellation around an await (bare `except:`, `BaseException`, "
		 "`CancelledError`) are left to ASYNC103/ASYNC104, and `except GeneratorExit` is "
		 "not looked at.",
	.why = "contextlib throws the exception of the `async with` body into the generator at "
	       "the `yield`. A handler that catches it and does not re-raise makes it "
	       "disappear: when the generator then ends, the `async with` reports the exception "
	       "handled and the code after it runs as if the body had succeeded (the Python "
	       "documentation: a generator that traps an exception to log it or clean up must "
	       "re-raise it); when the generator yields again, contextlib raises "
	       "RuntimeError(\"generator didn't stop after athrow()\") instead. The "
	       "standard's own @asynccontextmanager example rolls back and re-raises.",
	.standard = standard,
	.fix_text = "None: end the handler with `raise` (after the rollback or the log), or, "
		    "if suppressing the exception is really meant, let the caller say so "
		    "(`contextlib.suppress`).",
	.example_before = "from contextlib import asynccontextmanager\n"
			  "\n"
			  "\n"
			  "@asynccontextmanager\n"
			  "async def transaction(conn):\n"
			  "    try:\n"
			  "        yield conn\n"
			  "        await conn.commit()\n"
			  "    except Exception:\n"
			  "        await conn.rollback()\n",
	.example_after = "from contextlib import asynccontextmanager\n"
			 "\n"
			 "\n"
			 "@asynccontextmanager\n"
			 "async def transaction(conn):\n"
			 "    try:\n"
			 "        yield conn\n"
			 "        await conn.commit()\n"
			 "    except Exception:\n"
			 "        await conn.rollback()\n"
			 "        raise\n",
};
