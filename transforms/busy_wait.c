/*
 * ASYNC110: `while cond: await asyncio.sleep(..)` polls (report only).
 *
 * The loop wakes up on a timer to test a condition someone else changes:
 * it reacts late (up to the sleep interval) and costs a wakeup per
 * interval. An `asyncio.Event` set where the condition changes wakes the
 * waiter at once. `while True:` loops that only sleep wait for nothing and
 * are not reported.
 */
#include <string.h>

#include "table.h"
#include "busy_wait.scm.h"
#include "syntax.h"

static const char *const tokens[] = { "sleep", NULL };

/* The library of `await LIB.sleep(..)` ("asyncio", "anyio", "trio"), or
 * NULL when the statement is not that. */
static const char *sleep_library(const struct rule_ctx *ctx, TSNode stmt)
{
	static const char *const libs[] = { "asyncio", "anyio", "trio", NULL };
	TSNode aw = ts_node_named_child(stmt, 0), call, fn;
	struct buf q = BUF_INIT;
	const char *lib = NULL;

	if (!syntax_type_is(stmt, "expression_statement") || ts_node_named_child_count(stmt) != 1 ||
	    !syntax_type_is(aw, "await"))
		return NULL;
	call = ts_node_named_child(aw, 0);
	fn = ts_node_child_by_field_name(call, "function", 8);
	if (!syntax_type_is(call, "call") ||
	    (!syntax_type_is(fn, "identifier") && !syntax_type_is(fn, "attribute")))
		return NULL;
	if (scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
		for (int i = 0; libs[i]; i++) {
			size_t n = strlen(libs[i]);

			if (!strncmp(buf_cstr(&q), libs[i], n) && !strcmp(buf_cstr(&q) + n, ".sleep"))
				lib = libs[i];
		}
	buf_release(&q);
	return lib;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode loop = rule_capture(ctx, match, "while"), body = rule_capture(ctx, match, "body");
	TSNode cond = ts_node_child_by_field_name(loop, "condition", 9);
	const char *lib = NULL;

	if (scope_context_at(ctx->scopes, ts_node_start_byte(loop)) != CONTEXT_ASYNC)
		return 0;
	if (syntax_type_is(cond, "true") ||
	    (syntax_type_is(cond, "integer") && !rule_text_is(ctx, cond, "0")))
		return 0;
	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
		TSNode s = ts_node_named_child(body, i);
		const char *l;

		if (syntax_type_is(s, "comment") || syntax_type_is(s, "pass_statement"))
			continue;
		if (!(l = sleep_library(ctx, s)))
			return 0;
		lib = l;
	}
	if (!lib)
		return 0;
	rule_report(ctx, &transform_busy_wait, loop,
		    "the loop polls its condition with `%s.sleep`; use `%s.Event`: `set()` it "
		    "where the condition changes and `await event.wait()`", lib, lib);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	NULL,
};

const struct transform transform_busy_wait = {
	.code = "ASYNC110",
	.name = "async-busy-wait",
	.summary = "while cond: await asyncio.sleep() busy-wait (report: use asyncio.Event)",
	.fix = FIX_NONE,
	.query = busy_wait_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "In an async function, a `while` loop whose body only awaits "
		 "`asyncio.sleep(..)` (or `anyio.sleep`, `trio.sleep`; `pass` and comments "
		 "aside). `while True:` loops are not reported: they wait for no condition.",
	.why = "Polling wakes the task every interval to test a condition another task "
	       "changes: it notices the change up to one interval late and costs a wakeup per "
	       "interval. An Event set where the condition changes wakes the waiter at once "
	       "and costs nothing meanwhile.",
	.standard = standard,
	.fix_text = "None (report only): create an `asyncio.Event`, `set()` it where the "
		    "condition becomes true, and replace the loop with `await event.wait()`.",
	.reasons = NULL,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def wait_ready(service):\n"
			  "    while not service.ready:\n"
			  "        await asyncio.sleep(0.1)\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def wait_ready(service):\n"
			 "    # service.ready_event = asyncio.Event(), set() where ready becomes true\n"
			 "    await service.ready_event.wait()\n",
};
