/*
 * AM108: `asyncio.run(..)` or `loop.run_until_complete(..)` called in a
 * coroutine.
 *
 * Both start an event loop, and in code that runs on one they raise
 * RuntimeError ("cannot be called from a running event loop", "This event
 * loop is already running"): the author meant to await. Unsafe fix, where
 * the call has exactly one argument and nothing else: `await ARG`
 * (parenthesised where the call was an operand). The program no longer
 * raises, and the awaited work runs on the running loop, sharing it with
 * the other tasks, where the call would have run it on a loop of its own.
 * A call in a nested `def` or lambda (which may run in a thread, where
 * the call is legitimate) is not reported. Reported instead: extra
 * arguments (`debug=True`), anyio/trio modules, test code (which may
 * want the RuntimeError); a module that imports nest_asyncio (which makes
 * nested loops legal) is left alone.
 */
#include <string.h>

#include "table.h"
#include "run_in_coroutine.scm.h"
#include "syntax.h"
#include "../src/tree.h"

static const char *const tokens[] = { "run", NULL };

/* True when `await ARG` may stand where `call` stands without parentheses:
 * a statement of its own, the value of an assignment or a return. */
static bool bare_await_fits(TSNode call)
{
	TSNode p = tree_parent(call);

	if (syntax_type_is(p, "expression_statement") || syntax_type_is(p, "return_statement"))
		return true;
	return (syntax_type_is(p, "assignment") || syntax_type_is(p, "augmented_assignment")) &&
	       ts_node_eq(ts_node_child_by_field_name(p, "right", 5), call);
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call = rule_capture(ctx, match, "call");
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9), arg;
	struct buf q = BUF_INIT, text = BUF_INIT;
	bool is_run = false;
	struct finding *f;
	enum resolution r;
	uint32_t len;
	const char *t;

	if (scope_context_at(ctx->scopes, ts_node_start_byte(call)) != CONTEXT_ASYNC ||
	    !syntax_type_is(args, "argument_list"))
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if ((r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) &&
	    (!strcmp(buf_cstr(&q), "asyncio.run") || !strcmp(buf_cstr(&q), "asyncio.runners.run")))
		is_run = true;
	else if (!syntax_type_is(ref, "attribute") ||
		 !rule_text_is(ctx, ts_node_child_by_field_name(ref, "attribute", 9),
			       "run_until_complete"))
		goto done;
	if (scope_name_used(ctx->scopes, "nest_asyncio"))
		goto done;	/* nested loops are legal there */
	f = rule_report(ctx, &transform_run_in_coroutine, call,
			is_run ? "`asyncio.run()` in a coroutine raises RuntimeError (a loop is "
				 "already running); await the coroutine instead"
			       : "`run_until_complete()` in a coroutine raises RuntimeError (a "
				 "loop is already running); await the coroutine instead");
	if (r == RESOLVE_AMBIGUOUS && is_run) {
		rule_no_fix(f, "ambiguous-name");
		goto done;
	}
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	if (rule_in_test_code(ctx)) {
		rule_no_fix(f, "test-code");
		goto done;
	}
	arg = ts_node_named_child(args, 0);
	if (ts_node_named_child_count(args) != 1 || syntax_type_is(arg, "keyword_argument") ||
	    syntax_type_is(arg, "list_splat") || syntax_type_is(arg, "dictionary_splat") ||
	    syntax_type_is(arg, "comment") || syntax_type_is(arg, "generator_expression")) {
		rule_no_fix(f, "extra-arguments");
		goto done;
	}
	t = rule_text(ctx, arg, &len);
	if (!bare_await_fits(call))
		buf_putc(&text, '(');
	buf_puts(&text, "await ");
	buf_add(&text, t, len);
	if (!bare_await_fits(call))
		buf_putc(&text, ')');
	rule_edit(f, ts_node_start_byte(call), ts_node_end_byte(call), buf_cstr(&text));
	if (is_run && syntax_type_is(ref, "identifier")) {
		rule_root_name(ctx, ref, &q);
		rule_need(f, NEED_DROP, buf_cstr(&q));
	}
done:
	buf_release(&q);
	buf_release(&text);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 混用同步和异步代码",
	NULL,
};

static const char *const reasons[] = {
	"extra-arguments", "the call has more than the one coroutine argument (`debug=True`, "
	"a `loop_factory`, a comment): `await` has no place for them",
	"ambiguous-name", "the name may or may not mean `asyncio.run` (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"test-code", "the file is test code, which may call it on purpose to see the "
	"RuntimeError",
	NULL,
};

const struct transform transform_run_in_coroutine = {
	.code = "AM108",
	.name = "event-loop-run-in-coroutine",
	.summary = "asyncio.run() / loop.run_until_complete() in a coroutine -> await (unsafe)",
	.fix = FIX_UNSAFE,
	.query = run_in_coroutine_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call of `asyncio.run(..)` (under any import alias) or of a "
		 "`.run_until_complete(..)` method directly in an `async def`. A call in a "
		 "nested `def` or lambda is not reported: that code may run in a thread, "
		 "where starting a loop is legitimate. Modules that import nest_asyncio are "
		 "skipped.",
	.why = "Code in a coroutine runs on an event loop, and both calls start one: they "
	       "raise RuntimeError (\"asyncio.run() cannot be called from a running event "
	       "loop\"). The author meant to wait for the coroutine, which is `await`.",
	.standard = standard,
	.fix_text = "Unsafe: `asyncio.run(C(..))` or `loop.run_until_complete(C(..))` becomes "
		    "`await C(..)` (in parentheses where the call was an operand). The program "
		    "no longer raises, and the work runs on the running loop with the other "
		    "tasks instead of on a loop of its own.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def refresh():\n"
			  "    return 1\n"
			  "\n"
			  "\n"
			  "async def handler():\n"
			  "    value = asyncio.run(refresh())\n"
			  "    return value\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def refresh():\n"
			 "    return 1\n"
			 "\n"
			 "\n"
			 "async def handler():\n"
			 "    value = await refresh()\n"
			 "    return value\n",
};
