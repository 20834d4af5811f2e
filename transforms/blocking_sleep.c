/*
 * ASYNC251: `time.sleep(x)` in an async function blocks the event loop.
 *
 * Fix (unsafe): `await asyncio.sleep(x)`; an `import time` left unused goes.
 * Unsafe because blocking the loop can be what the code means (a test that
 * holds the loop on purpose); the rule cannot see intent.
 * Reported instead: in a nested sync scope (await would be a syntax error,
 * or turn a generator expression into an async one); `time.sleep` used as
 * a value; while a sync lock is held (yielding could deadlock); in cleanup
 * code (`finally`, `except CancelledError`/`BaseException`, `__aexit__`),
 * which would become interruptible; unusual arguments; anyio/trio modules.
 */
#include <string.h>
#include <strings.h>

#include "table.h"
#include "blocking_sleep.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "sleep", NULL };

static bool is_cleanup_handler(const struct rule_ctx *ctx, TSNode clause)
{
	uint32_t len;
	const char *t = rule_text(ctx, clause, &len);
	TSNode value = ts_node_child_by_field_name(clause, "value", 5);
	const char *v;
	uint32_t vlen;

	(void)t;
	if (ts_node_is_null(value))
		return true;	/* bare except: catches cancellation */
	v = rule_text(ctx, value, &vlen);
	return memmem(v, vlen, "CancelledError", 14) || memmem(v, vlen, "BaseException", 13);
}

static bool is_sync_lock(const struct rule_ctx *ctx, TSNode with)
{
	uint32_t n = ts_node_child_count(with);
	TSNode clause = ts_node_named_child(with, 0);
	uint32_t len;
	const char *t;

	if (n && !strcmp(ts_node_type(ts_node_child(with, 0)), "async"))
		return false;
	if (ts_node_is_null(clause))
		return false;
	t = rule_text(ctx, clause, &len);
	for (uint32_t i = 0; i + 4 <= len; i++)
		if (!strncasecmp(t + i, "lock", 4) || !strncasecmp(t + i, "semaphore", 9) ||
		    !strncasecmp(t + i, "condition", 9))
			return true;
	return false;
}

/* A reason to report instead of fixing, from the statements around `node`
 * inside its function. */
static const char *guarded_reason(const struct rule_ctx *ctx, TSNode node)
{
	TSNode fn = rule_enclosing_function(node);

	for (TSNode p = tree_parent(node); !ts_node_is_null(p); p = tree_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "function_definition") || !strcmp(t, "lambda"))
			break;
		if (!strcmp(t, "finally_clause"))
			return "in-cleanup";
		if ((!strcmp(t, "except_clause") || !strcmp(t, "except_group_clause")) &&
		    is_cleanup_handler(ctx, p))
			return "in-cleanup";
		if (!strcmp(t, "with_statement") && is_sync_lock(ctx, p))
			return "under-sync-lock";
	}
	if (!ts_node_is_null(fn)) {
		TSNode name = ts_node_child_by_field_name(fn, "name", 4);

		if (!ts_node_is_null(name) && rule_text_is(ctx, name, "__aexit__"))
			return "in-cleanup";
	}
	return NULL;
}

static bool plain_single_argument(TSNode call)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	const char *t;

	uint32_t n, plain = 0;

	if (ts_node_is_null(args) || strcmp(ts_node_type(args), "argument_list"))
		return false;
	n = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < n; i++) {
		t = ts_node_type(ts_node_named_child(args, i));
		if (!strcmp(t, "comment"))
			continue;
		if (!strcmp(t, "keyword_argument") || !strcmp(t, "list_splat") ||
		    !strcmp(t, "dictionary_splat"))
			return false;
		plain++;
	}
	return plain == 1;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call;
	struct buf q = BUF_INIT, name = BUF_INIT, text = BUF_INIT;
	enum scope_context where;
	enum resolution r;
	struct finding *f;
	const char *reason;

	if (rule_is_name_site(ref))
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) || strcmp(buf_cstr(&q), "time.sleep"))
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(ref));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	f = rule_report(ctx, &transform_blocking_sleep, ref,
			"`time.sleep` blocks the event loop in an async function; "
			"use `asyncio.sleep`");
	if (!rule_callee_of(ref, &call)) {
		f->start = ts_node_start_byte(ref);
		rule_no_fix(f, "sleep-as-value");
		goto done;
	}
	f->start = ts_node_start_byte(call);
	f->end = ts_node_end_byte(call);
	if ((reason = rule_site_reason(ctx, r, where))) {
		rule_no_fix(f, reason);
		goto done;
	}
	if ((reason = guarded_reason(ctx, call))) {
		rule_no_fix(f, reason);
		goto done;
	}
	if (!plain_single_argument(call)) {
		rule_no_fix(f, "unusual-arguments");
		goto done;
	}
	if (rule_module_ref(ctx, f, ts_node_start_byte(call), "asyncio", &name) < 0) {
		rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	buf_printf(&text, "%sawait %s.sleep", rule_await_needs_parens(call) ? "(" : "", buf_cstr(&name));
	rule_edit(f, ts_node_start_byte(ref), ts_node_end_byte(ref), buf_cstr(&text));
	if (rule_await_needs_parens(call))
		rule_edit(f, ts_node_end_byte(call), ts_node_end_byte(call), ")");
	rule_root_name(ctx, ref, &name);
	rule_need(f, NEED_DROP, buf_cstr(&name));
done:
	buf_release(&q);
	buf_release(&name);
	buf_release(&text);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ❌ 禁止 - 使用 time.sleep",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ✅ 正确 - 使用 asyncio.sleep",
	"检查清单",
	"- [ ] 没有在异步函数中使用 `time.sleep`",
	NULL,
};

static const char *const reasons[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda` or generator expression nested in "
	"the coroutine, where `await` is a syntax error or would turn the generator async",
	"sleep-as-value", "`time.sleep` is referenced but not called (`to_thread(time.sleep, 1)`, "
	"`f = time.sleep`)",
	"under-sync-lock", "inside a sync `with` over a lock, semaphore or condition: yielding "
	"while a thread lock is held can deadlock",
	"in-cleanup", "in a `finally` block, an `except CancelledError`/`BaseException`/bare "
	"`except` handler or `__aexit__`, which would become interruptible",
	"unusual-arguments", "not exactly one positional argument (keywords, `*args`)",
	"ambiguous-name", "the name may or may not mean `time.sleep` (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_blocking_sleep = {
	.code = "ASYNC251",
	.name = "blocking-sleep-in-async-function",
	.summary = "time.sleep() in an async function -> await asyncio.sleep()",
	.fix = FIX_UNSAFE,
	.query = blocking_sleep_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call of `time.sleep(x)` whose nearest enclosing function is an `async def`. "
		 "The name is resolved through the module's imports (`import time as t`, "
		 "`from time import sleep`); a local or parameter called `sleep` is not it.",
	.why = "`time.sleep` blocks the thread, and with it the event loop: no other task runs "
	       "until it returns. `await asyncio.sleep(x)` waits as long while the loop runs the "
	       "other tasks.",
	.standard = standard,
	.fix_text = "`time.sleep(x)` becomes `await asyncio.sleep(x)`, through the module's "
		    "asyncio import or alias (one is added when there is none); an `import time` "
		    "left unused is removed. The call becomes a point where other tasks run and "
		    "where cancellation can arrive; a negative delay no longer raises. The fix is "
		    "unsafe because blocking the loop can be what the code means (a test that "
		    "holds the loop on purpose to see what a stall does, a command meant to "
		    "pause the whole program), and the rule cannot see intent; ruff and "
		    "flake8-async report this rule without a fix.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "import time\n"
			  "\n"
			  "\n"
			  "async def wait_then_fetch(client):\n"
			  "    time.sleep(1)\n"
			  "    return await client.fetch()\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def wait_then_fetch(client):\n"
			 "    await asyncio.sleep(1)\n"
			 "    return await client.fetch()\n",
};
