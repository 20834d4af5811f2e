/*
 * ASYNC250: `input()` in an async function blocks the event loop until a
 * line arrives on stdin.
 *
 * Fix (unsafe): `await asyncio.to_thread(input, ..)`, the same call in a
 * worker thread; Ctrl-C no longer interrupts the read (the signal reaches
 * the main thread while the worker keeps waiting on stdin). Reported instead: in a nested sync scope, for an ambiguous
 * name, in an anyio/trio module, or when the name `asyncio` is taken. A
 * local, parameter or import named `input` is not the builtin.
 */
#include <string.h>

#include "table.h"
#include "blocking_input.scm.h"

static const char *const tokens[] = { "input", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call;
	struct buf q = BUF_INIT;
	enum scope_context where;
	enum resolution r;
	struct finding *f;

	if (rule_is_name_site(ref) || !rule_callee_of(ref, &call))
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if (r == RESOLVE_UNBOUND) {
		if (strcmp(ts_node_type(ref), "identifier") || strcmp(buf_cstr(&q), "input"))
			goto done;
	} else if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) ||
		   strcmp(buf_cstr(&q), "builtins.input")) {
		goto done;
	}
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	f = rule_report(ctx, &transform_blocking_input, call,
			"`input()` blocks the event loop until a line arrives; run it in a "
			"thread with `asyncio.to_thread`");
	rule_fix_in_thread(ctx, f, call, r, where);
done:
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"# ✅ 正确 - 使用线程池处理阻塞 I/O",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const reasons[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"ambiguous-name", "the name may or may not mean the builtin `input` (conditional "
	"imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_blocking_input = {
	.code = "ASYNC250",
	.name = "blocking-input-in-async-function",
	.summary = "input() in an async function -> await asyncio.to_thread(input, ..)",
	.fix = FIX_UNSAFE,
	.query = blocking_input_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call of the builtin `input(..)` (or `builtins.input`) whose nearest "
		 "enclosing function is an `async def`. A local, parameter or import from "
		 "another module named `input` is not it.",
	.why = "`input()` blocks the thread until a line arrives on stdin, and with it the "
	       "event loop: no other task runs while the program waits for the user.",
	.standard = standard,
	.fix_text = "`input(prompt)` becomes `await asyncio.to_thread(input, prompt)`, through "
		    "the module's asyncio import or alias (one is added when there is none). The "
		    "call is unchanged, in the default executor; cancelling the task does not "
		    "stop the read. The fix is unsafe because Ctrl-C changes: the "
		    "KeyboardInterrupt reaches the main thread while the worker thread keeps "
		    "waiting on stdin, so the read does not end, the program may need a second "
		    "Ctrl-C to exit, and a third can abort the interpreter while it waits for the "
		    "thread at exit.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def confirm(question):\n"
			  "    answer = input(question + \" [y/N] \")\n"
			  "    return answer.strip().lower() == \"y\"\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def confirm(question):\n"
			 "    answer = await asyncio.to_thread(input, question + \" [y/N] \")\n"
			 "    return answer.strip().lower() == \"y\"\n",
};
