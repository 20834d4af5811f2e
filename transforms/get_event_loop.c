/*
 * AM105: `asyncio.get_event_loop()` inside a coroutine.
 *
 * In a coroutine it always returns the running loop, so
 * `asyncio.get_running_loop()` is the same call without the deprecated
 * fallback (safe). Outside a coroutine the two differ (get_running_loop
 * raises when no loop runs): reported with `loop-not-in-coroutine`.
 */
#include <string.h>

#include "table.h"
#include "get_event_loop.scm.h"

static const char *const tokens[] = { "get_event_loop", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call, args;
	struct buf q = BUF_INIT, name = BUF_INIT;
	struct finding *f;
	enum resolution r;
	const char *qn;

	if (rule_is_name_site(ref) || !rule_callee_of(ref, &call))
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if (r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS)
		goto done;
	qn = buf_cstr(&q);
	if (strcmp(qn, "asyncio.get_event_loop") && strcmp(qn, "asyncio.events.get_event_loop"))
		goto done;
	args = ts_node_child_by_field_name(call, "arguments", 9);
	if (ts_node_is_null(args))
		goto done;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
		if (strcmp(ts_node_type(ts_node_named_child(args, i)), "comment"))
			goto done;
	if (scope_context_at(ctx->scopes, ts_node_start_byte(call)) != CONTEXT_ASYNC) {
		f = rule_report(ctx, &transform_get_event_loop, call,
				"`asyncio.get_event_loop()` outside a coroutine may create a loop "
				"(deprecated) or raise; create the loop with `asyncio.run()` and "
				"pass it in");
		rule_no_fix(f, "loop-not-in-coroutine");
		goto done;
	}
	f = rule_report(ctx, &transform_get_event_loop, call,
			"`asyncio.get_event_loop()` in a coroutine; use "
			"`asyncio.get_running_loop()`");
	if (r == RESOLVE_AMBIGUOUS) {
		rule_no_fix(f, "ambiguous-name");
		goto done;
	}
	if (!strcmp(ts_node_type(ref), "attribute")) {
		TSNode attr = ts_node_child_by_field_name(ref, "attribute", 9);

		rule_edit(f, ts_node_start_byte(attr), ts_node_end_byte(attr), "get_running_loop");
	} else {
		if (rule_module_ref(ctx, f, ts_node_start_byte(ref), "asyncio", &name) < 0) {
			rule_no_fix(f, "import-name-shadowed");
			goto done;
		}
		buf_puts(&name, ".get_running_loop");
		rule_edit(f, ts_node_start_byte(ref), ts_node_end_byte(ref), buf_cstr(&name));
		rule_root_name(ctx, ref, &name);
		rule_need(f, NEED_DROP, buf_cstr(&name));
	}
done:
	buf_release(&q);
	buf_release(&name);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"1. **使用 asyncio** - Python 3.11+ 优先使用 `asyncio` 而非其他异步框架",
	NULL,
};

static const char *const reasons[] = {
	"loop-not-in-coroutine", "the call is not directly in a coroutine (module level, a "
	"plain `def`, a lambda): there `get_running_loop()` raises when no loop runs; create the "
	"loop with `asyncio.run()` and pass it in",
	"ambiguous-name", "the name may or may not mean `asyncio.get_event_loop` (conditional "
	"imports)",
	"import-name-shadowed", "a bare `get_event_loop` needs `asyncio.` in front, and the name "
	"`asyncio` means something else there",
	NULL,
};

const struct transform transform_get_event_loop = {
	.code = "AM105",
	.name = "get-event-loop-in-coroutine",
	.summary = "asyncio.get_event_loop() in a coroutine -> asyncio.get_running_loop()",
	.fix = FIX_SAFE,
	.query = get_event_loop_scm,
	.tokens = tokens,
	.check = check,
	.finds = "A call of `asyncio.get_event_loop()` with no arguments in a coroutine, "
		 "under any import alias. The same call outside a coroutine is reported.",
	.why = "In a coroutine `get_event_loop()` always returns the running loop, so "
	       "`get_running_loop()` is the same call without the fallback that creates a loop "
	       "when none runs, deprecated since Python 3.12 and an error since 3.14. The "
	       "standard takes asyncio on Python 3.11+ as its baseline (its older examples still "
	       "call `asyncio.get_event_loop()` in coroutines, the form this rule updates).",
	.standard = standard,
	.fix_text = "`asyncio.get_event_loop()` becomes `asyncio.get_running_loop()`: only the "
		    "attribute is rewritten, so an alias (`aio.get_event_loop()`) is kept; a bare "
		    "`get_event_loop()` imported from asyncio becomes "
		    "`asyncio.get_running_loop()`, with the import added when needed.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def schedule_tick():\n"
			  "    loop = asyncio.get_event_loop()\n"
			  "    loop.call_later(1, print, \"tick\")\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def schedule_tick():\n"
			 "    loop = asyncio.get_running_loop()\n"
			 "    loop.call_later(1, print, \"tick\")\n",
};
