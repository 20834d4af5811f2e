/*
 * ASYNC119 and ASYNC101: `yield` inside a `with` block of an async
 * generator (report only).
 *
 * While the generator is suspended at the yield, the block stays open and
 * the consumer's code runs "inside" it. ASYNC101: for a cancel scope
 * (`asyncio.TaskGroup`, `asyncio.timeout`/`timeout_at`, `async_timeout`,
 * anyio and trio task groups and cancel scopes) the scope then cancels or
 * times out the consumer, and exceptions cross it the wrong way. ASYNC119:
 * for any other context manager the exit may run only when the generator
 * is garbage-collected, when `await` is no longer possible. Functions
 * decorated as context managers (`asynccontextmanager`,
 * `contextmanager`) or fixtures (`pytest.fixture`,
 * `pytest_asyncio.fixture`) are meant to yield inside a block and are not
 * reported.
 */
#include <string.h>

#include "table.h"
#include "yield_in_cm.scm.h"
#include "yield_in_cancel_scope.scm.h"
#include "syntax.h"
#include "../src/tree.h"

static const char *const tokens[] = { "yield", NULL };

static const char *const cancel_scopes[] = {
	"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup", "asyncio.timeout",
	"asyncio.timeout_at", "asyncio.timeouts.timeout", "asyncio.timeouts.timeout_at",
	"async_timeout.timeout", "async_timeout.timeout_at", "anyio.create_task_group",
	"anyio.fail_after", "anyio.move_on_after", "anyio.CancelScope", "trio.open_nursery",
	"trio.fail_after", "trio.fail_at", "trio.move_on_after", "trio.move_on_at",
	"trio.CancelScope", NULL,
};

static const char *const exempt_decorators[] = {
	"contextlib.asynccontextmanager", "contextlib.contextmanager", "pytest.fixture",
	"pytest_asyncio.fixture", NULL,
};

static bool qname_in(const struct rule_ctx *ctx, TSNode expr, const char *const *list)
{
	struct buf q = BUF_INIT;
	bool yes = false;

	if ((syntax_type_is(expr, "identifier") || syntax_type_is(expr, "attribute")) &&
	    scope_resolve_expr(ctx->scopes, expr, &q) == RESOLVE_MODULE)
		for (int i = 0; list[i] && !yes; i++)
			yes = !strcmp(buf_cstr(&q), list[i]);
	buf_release(&q);
	return yes;
}

/* True when a decorator of `fn` makes yielding inside a block its purpose. */
static bool exempt(const struct rule_ctx *ctx, TSNode fn)
{
	TSNode dec = tree_parent(fn);

	if (!syntax_type_is(dec, "decorated_definition"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(dec); i++) {
		TSNode d = ts_node_named_child(dec, i), e;

		if (!syntax_type_is(d, "decorator"))
			continue;
		e = ts_node_named_child(d, 0);
		if (syntax_type_is(e, "call"))
			e = ts_node_child_by_field_name(e, "function", 8);
		if (qname_in(ctx, e, exempt_decorators))
			return true;
	}
	return false;
}

/* The first item of a with statement that enters a cancel scope, else a
 * null node; `*first` gets its first item's expression. */
static TSNode cancel_scope_item(const struct rule_ctx *ctx, TSNode with, TSNode *first)
{
	TSNode clause = ts_node_named_child(with, 0), none = { { 0 }, NULL, NULL };

	first->id = NULL;
	if (!syntax_type_is(clause, "with_clause"))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode item = ts_node_named_child(clause, i);
		TSNode v = ts_node_child_by_field_name(item, "value", 5);

		if (syntax_type_is(v, "as_pattern"))
			v = ts_node_named_child(v, 0);
		if (ts_node_is_null(*first))
			*first = v;
		if (syntax_type_is(v, "call") &&
		    qname_in(ctx, ts_node_child_by_field_name(v, "function", 8), cancel_scopes))
			return v;
	}
	return none;
}

/* Reports the yield for `rule`: ASYNC101 when a with block around it (in
 * its async generator) enters a cancel scope, ASYNC119 when one enters
 * anything else. */
static int check_for(struct rule_ctx *ctx, const TSQueryMatch *match, bool cancel)
{
	TSNode y = rule_capture(ctx, match, "yield");
	TSNode fn = rule_enclosing_function(y), body;
	TSNode hit = { { 0 }, NULL, NULL };

	if (!syntax_type_is(fn, "function_definition") || !ts_node_child_count(fn) ||
	    !syntax_type_is(ts_node_child(fn, 0), "async") || exempt(ctx, fn))
		return 0;
	body = ts_node_child_by_field_name(fn, "body", 4);
	for (TSNode p = tree_parent(y); !ts_node_is_null(p) && !ts_node_eq(p, body);
	     p = tree_parent(p)) {
		TSNode first, scope;

		if (!syntax_type_is(p, "with_statement"))
			continue;
		scope = cancel_scope_item(ctx, p, &first);
		if (cancel && !ts_node_is_null(scope)) {
			hit = scope;
			break;
		}
		if (!cancel && ts_node_is_null(scope) && !ts_node_is_null(first)) {
			hit = first;
			break;
		}
	}
	if (ts_node_is_null(hit))
		return 0;
	{
		uint32_t len;
		const char *t = rule_text(ctx, syntax_type_is(hit, "call") ?
					  ts_node_child_by_field_name(hit, "function", 8) : hit, &len);
		unsigned line = ts_node_start_point(hit).row + 1;

		if (len > 60)
			len = 60;
		if (cancel)
			rule_report(ctx, &transform_yield_in_cancel_scope, y,
				    "`yield` inside the `%.*s` block of line %u in an async "
				    "generator: while suspended the scope cancels or times out the "
				    "consumer; move the yield out of the block", (int)len, t, line);
		else
			rule_report(ctx, &transform_yield_in_cm, y,
				    "`yield` inside the `with %.*s` block of line %u in an async "
				    "generator: its exit may be delayed until the generator is "
				    "collected; use `@asynccontextmanager` or `contextlib.aclosing`",
				    (int)len, t, line);
	}
	return 0;
}

static int check_cm(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_for(ctx, match, false);
}

static int check_cancel(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_for(ctx, match, true);
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const cm_standard[] = {
	"核心原则 > ✅ 必须遵守",
	"4. **正确的上下文管理** - 异步资源使用 `async with` 管理",
	NULL,
};

static const char *const cancel_standard[] = {
	"核心原则 > ✅ 必须遵守",
	"2. **TaskGroup 优先** - Python 3.11+ 使用 `asyncio.TaskGroup` 替代 `gather`/`wait`",
	"核心原则 > ✅ 必须遵守",
	"6. **超时控制** - 所有 I/O 操作都应该有超时限制",
	NULL,
};

const struct transform transform_yield_in_cm = {
	.code = "ASYNC119",
	.name = "yield-in-context-manager-in-async-generator",
	.summary = "yield inside a with block in an async generator (report)",
	.fix = FIX_NONE,
	/* the standard's own streaming example and async fixtures yield in a
	 * with block: available with --select ASYNC119, not run by default */
	.off_by_default = true,
	.query = yield_in_cm_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check_cm,
	.finds = "A `yield` inside a `with` or `async with` block (other than a TaskGroup or "
		 "timeout, which ASYNC101 reports) in an `async def` generator, the block and the "
		 "yield in the same function. Generators decorated with `asynccontextmanager`, "
		 "`contextmanager`, `pytest.fixture` or `pytest_asyncio.fixture` are not "
		 "reported. Off by default: the standard's own streaming example yields inside "
		 "`async with aiofiles.open(..)`; `--select ASYNC119` (its full code: a prefix "
		 "or ALL does not select it) runs it.",
	.why = "A consumer that stops iterating early leaves the generator suspended inside "
	       "the block; its exit then runs only when the generator is closed, often by the "
	       "garbage collector, where `await` is no longer possible (PEP 533). The resource "
	       "the block manages stays open meanwhile.",
	.standard = cm_standard,
	.fix_text = "None (report only): decorate a generator that yields once with "
		    "`@contextlib.asynccontextmanager`, have consumers close it with `async with "
		    "contextlib.aclosing(gen())`, or yield outside the block.",
	.reasons = NULL,
	.example_before = "async def rows(pool):\n"
			  "    async with pool.acquire() as conn:\n"
			  "        for row in await conn.fetch(\"SELECT 1\"):\n"
			  "            yield row\n",
	.example_after = "import contextlib\n"
			 "\n"
			 "\n"
			 "async def rows(pool):\n"
			 "    async with pool.acquire() as conn:\n"
			 "        for row in await conn.fetch(\"SELECT 1\"):\n"
			 "            yield row\n"
			 "\n"
			 "\n"
			 "async def consume(pool):\n"
			 "    async with contextlib.aclosing(rows(pool)) as it:\n"
			 "        async for row in it:\n"
			 "            print(row)\n",
};

const struct transform transform_yield_in_cancel_scope = {
	.code = "ASYNC101",
	.name = "yield-in-cancel-scope",
	.summary = "yield inside a TaskGroup or timeout block in an async generator (report)",
	.fix = FIX_NONE,
	.query = yield_in_cancel_scope_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check_cancel,
	.finds = "A `yield` inside an `async with asyncio.TaskGroup()`, `asyncio.timeout(..)`, "
		 "`asyncio.timeout_at(..)`, `async_timeout.timeout(..)` block, or an anyio/trio "
		 "task group, nursery or cancel scope (`fail_after`, `move_on_after`, "
		 "`CancelScope`), in an `async def` generator, the block and the yield in the "
		 "same function. Generators decorated with `asynccontextmanager`, "
		 "`contextmanager`, `pytest.fixture` or `pytest_asyncio.fixture` are not "
		 "reported. Off by default: the standard's own streaming example yields inside "
		 "`async with aiofiles.open(..)`; `--select ASYNC119` (its full code: a prefix "
		 "or ALL does not select it) runs it.",
	.why = "At the yield the generator is suspended but its scope stays open: a timeout "
	       "expiring then cancels whatever the consumer is awaiting, a failing task group "
	       "child cancels the consumer, and the consumer's exceptions are not seen by the "
	       "scope (PEP 789).",
	.standard = cancel_standard,
	.fix_text = "None (report only): collect the results inside the block and yield them "
		    "after it, or turn the generator into an `@asynccontextmanager` that yields "
		    "once.",
	.reasons = NULL,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def lines(reader):\n"
			  "    async with asyncio.timeout(10):\n"
			  "        while line := await reader.readline():\n"
			  "            yield line\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def lines(reader):\n"
			 "    while True:\n"
			 "        async with asyncio.timeout(10):\n"
			 "            line = await reader.readline()\n"
			 "        if not line:\n"
			 "            return\n"
			 "        yield line\n",
};
