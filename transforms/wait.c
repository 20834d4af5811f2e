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

/* True when the call waits for the first task to finish or fail
 * (`return_when=` anything but ALL_COMPLETED): a group always waits for
 * all, so there is no TaskGroup to suggest. */
static bool waits_for_first(const struct rule_ctx *ctx, TSNode call)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);

	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(args, i), name, value;
		const char *t;
		uint32_t len;

		if (strcmp(ts_node_type(a), "keyword_argument"))
			continue;
		name = ts_node_child_by_field_name(a, "name", 4);
		value = ts_node_child_by_field_name(a, "value", 5);
		if (ts_node_is_null(name) || ts_node_is_null(value) ||
		    !rule_text_is(ctx, name, "return_when"))
			continue;
		t = ctx->src->text + ts_node_start_byte(value);
		len = ts_node_end_byte(value) - ts_node_start_byte(value);
		return !(len >= 13 && !memcmp(t + len - 13, "ALL_COMPLETED", 13));
	}
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode fn = rule_capture(ctx, match, "fn"), call = rule_capture(ctx, match, "call");
	struct buf q = BUF_INIT;
	enum resolution r = scope_resolve_expr(ctx->scopes, fn, &q);

	if (ctx->target_minor < 11 || waits_for_first(ctx, call)) {
		buf_release(&q);
		return 0;	/* no TaskGroup to offer */
	}
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
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "`asyncio.wait(..)` (under any import alias) called directly in an `async def`, "
		 "waiting for all its tasks, when the target is Python 3.11 or later. Waiting "
		 "for the first to finish or fail (`return_when=FIRST_COMPLETED` or "
		 "`FIRST_EXCEPTION`) has no TaskGroup form and is not reported.",
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
