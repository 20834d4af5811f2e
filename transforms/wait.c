/*
 * AM102: `asyncio.wait(..)` in a coroutine: report, suggest a TaskGroup.
 *
 * `wait` hands back sets of done and pending tasks; what the caller does
 * with them (first completed, a timeout, cancelling the rest) has no
 * single TaskGroup form, so this rule only reports.
 */
#include <string.h>

#include "table.h"
#include "wait.scm.h"

static const char *const tokens[] = { "wait", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode fn = rule_capture(ctx, match, "fn"), call = rule_capture(ctx, match, "call");
	struct buf q = BUF_INIT;
	enum resolution r = scope_resolve_expr(ctx->scopes, fn, &q);

	if (r == RESOLVE_MODULE &&
	    (!strcmp(buf_cstr(&q), "asyncio.wait") || !strcmp(buf_cstr(&q), "asyncio.tasks.wait")) &&
	    scope_context_at(ctx->scopes, ts_node_start_byte(call)) == CONTEXT_ASYNC)
		rule_report(ctx, &transform_wait, call,
			    "use `asyncio.TaskGroup` instead of `asyncio.wait`: a group waits "
			    "for its tasks and cancels the others when one fails (with a timeout: "
			    "`asyncio.timeout` around the group)");
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"2. **TaskGroup 优先** - Python 3.11+ 使用 `asyncio.TaskGroup` 替代 `gather`/`wait`",
	"asyncio 最佳实践 > 并发模式（Python 3.11+）",
	"# ✅ 推荐 - 使用 TaskGroup（Python 3.11+）",
	NULL,
};

static const char *const reasons[] = { NULL };

const struct transform transform_wait = {
	.code = "AM102",
	.name = "wait-to-taskgroup",
	.summary = "asyncio.wait(..) -> report, suggest asyncio.TaskGroup",
	.fix = FIX_NONE,
	.query = wait_scm,
	.tokens = tokens,
	.check = check,
	.finds = "`asyncio.wait(..)` (under any import alias) called directly in an `async def`.",
	.why = "The standard prefers `asyncio.TaskGroup` to `gather` and `wait` from Python "
	       "3.11. Tasks handed to `wait` are not supervised: the pending ones keep running "
	       "after it returns unless the caller cancels them, and their errors go unseen "
	       "unless each task is inspected.",
	.standard = standard,
	.fix_text = "None: the finding is a report. Start the tasks in `async with "
		    "asyncio.TaskGroup() as tg:` and read each task's `result()` after the "
		    "block; for `timeout=`, put `async with asyncio.timeout(..)` around the "
		    "group; for `FIRST_COMPLETED`, cancel the rest from the task that finishes "
		    "first or keep `wait` with a comment saying why.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def run_all(jobs):\n"
			  "    tasks = [asyncio.create_task(job()) for job in jobs]\n"
			  "    done, pending = await asyncio.wait(tasks)\n"
			  "    return [t.result() for t in done]\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def run_all(jobs):\n"
			 "    async with asyncio.TaskGroup() as tg:\n"
			 "        tasks = [tg.create_task(job()) for job in jobs]\n"
			 "    return [t.result() for t in tasks]\n",
};
