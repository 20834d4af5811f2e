/*
 * AM401: an exception swallowed in a coroutine.
 *
 * A handler directly in an `async def` that catches `Exception` (alone or
 * in a tuple) and whose body does nothing but `pass`, `...` or
 * `continue`: the error disappears without a trace. Report only: what
 * to do with it (log, re-raise, return an error) is the author's choice.
 * Handlers that catch cancellation (a bare `except:`, `BaseException`,
 * `CancelledError`) are ASYNC103's and ASYNC104's; narrower types
 * (`except KeyError: pass`) are an ordinary, deliberate idiom and are not
 * reported. A comment in the body (`pass  # best effort`) marks the
 * silence as deliberate: reported with `commented`, so a team can ignore
 * that reason.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "swallowed_exception.scm.h"

static const char *const tokens[] = { "except", NULL };

/* True when the type expression names the builtin Exception, alone or in
 * a tuple. */
static bool catches_exception(struct rule_ctx *ctx, TSNode t)
{
	struct buf q = BUF_INIT;
	enum resolution r;
	bool yes;

	t = syntax_unwrap_parens(t);
	if (syntax_type_is(t, "tuple")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(t); i++)
			if (catches_exception(ctx, ts_node_named_child(t, i)))
				return true;
		return false;
	}
	if (!syntax_type_is(t, "identifier") && !syntax_type_is(t, "attribute"))
		return false;
	r = scope_resolve_expr(ctx->scopes, t, &q);
	yes = (r == RESOLVE_UNBOUND && !strcmp(buf_cstr(&q), "Exception")) ||
	      (r == RESOLVE_MODULE && !strcmp(buf_cstr(&q), "builtins.Exception"));
	buf_release(&q);
	return yes;
}

/* True when the block does nothing: only pass, `...`, continue and
 * comments. Sets `*commented` when a comment is there. */
static bool does_nothing(TSNode block, bool *commented)
{
	*commented = false;
	for (uint32_t i = 0; i < ts_node_named_child_count(block); i++) {
		TSNode s = ts_node_named_child(block, i);

		if (syntax_type_is(s, "comment")) {
			*commented = true;
			continue;
		}
		if (syntax_type_is(s, "pass_statement") || syntax_type_is(s, "continue_statement"))
			continue;
		if (syntax_type_is(s, "expression_statement") &&
		    ts_node_named_child_count(s) == 1 &&
		    syntax_type_is(ts_node_named_child(s, 0), "ellipsis"))
			continue;
		return false;
	}
	return true;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode handler = rule_capture(ctx, match, "handler"), type, name, body;
	struct finding *f;
	bool commented;

	if (scope_context_at(ctx->scopes, ts_node_start_byte(handler)) != CONTEXT_ASYNC)
		return 0;
	syntax_handler_parts(handler, &type, &name);
	body = syntax_handler_body(handler);
	if (ts_node_is_null(type) || ts_node_is_null(body) || !catches_exception(ctx, type) ||
	    !does_nothing(body, &commented))
		return 0;
	/* the comment may sit after the colon, before the block */
	if (!commented)
		commented = syntax_comment_in(handler, ts_node_start_byte(handler),
					      ts_node_end_byte(handler));
	f = rule_report(ctx, &transform_swallowed_exception, handler,
			"the exception is swallowed: nothing logs, re-raises or returns it; "
			"handle it (`logger.exception(..)`) or catch only what is expected");
	if (commented)
		rule_no_fix(f, "commented");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"5. **明确的异常处理** - 异步函数必须有清晰的异常处理策略",
	"最佳实践总结 > 3. 错误处理",
	"# ✅ 正确 - 统一的异步错误处理",
	NULL,
};

static const char *const reasons[] = {
	"commented", "a comment in the handler says why it is silent: the silence may be "
	"deliberate",
	NULL,
};

const struct transform transform_swallowed_exception = {
	.code = "AM401",
	.name = "exception-swallowed-in-coroutine",
	.summary = "except Exception: pass in a coroutine (report: log or narrow it)",
	.fix = FIX_NONE,
	.query = swallowed_exception_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "An `except` clause directly in an `async def` that catches the builtin "
		 "`Exception` (alone or in a tuple) and whose body holds only `pass`, `...` or "
		 "`continue`. Handlers that catch cancellation (a bare `except:`, "
		 "`BaseException`, `CancelledError`) are left to ASYNC103 and ASYNC104; "
		 "narrower types (`except KeyError: pass`) are not reported.",
	.why = "The standard asks every async function for a clear exception strategy, and "
	       "its error-handling example logs each failure. A handler that does nothing "
	       "hides failures of the awaited work: a lost connection, a bug, a timeout all "
	       "look like success.",
	.standard = standard,
	.fix_text = "None: log the exception (`logger.exception(\"..\")`), re-raise it, return "
		    "an error result, or catch only the exceptions that are expected.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def refresh(cache):\n"
			  "    try:\n"
			  "        await cache.reload()\n"
			  "    except Exception:\n"
			  "        pass\n",
	.example_after = "import asyncio\n"
			 "import logging\n"
			 "\n"
			 "logger = logging.getLogger(__name__)\n"
			 "\n"
			 "\n"
			 "async def refresh(cache):\n"
			 "    try:\n"
			 "        await cache.reload()\n"
			 "    except Exception:\n"
			 "        logger.exception(\"cache reload failed\")\n",
};
