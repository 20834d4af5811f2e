/*
 * AM105: `asyncio.get_event_loop()` inside a coroutine.
 *
 * In a coroutine it always returns the running loop, so
 * `asyncio.get_running_loop()` is the same call without the deprecated
 * fallback (safe). Outside a coroutine the two differ (get_running_loop
 * raises when no loop runs): reported with `loop-not-in-coroutine`.
 * With unsafe fixes, a call that only feeds `await
 * CALL.run_in_executor(None, ..)` gets AM104's edits instead (unsafe), so
 * that the two rules agree on the final `asyncio.to_thread(..)` in one run.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "get_event_loop.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "get_event_loop", NULL };

/* With unsafe fixes, when the call only feeds
 * `await CALL.run_in_executor(None, f, ..)` that AM104 turns into
 * `asyncio.to_thread(f, ..)`: gives `f` AM104's very edits (the two
 * findings then share them, and one run reaches the final form instead
 * of the two clashing) and returns true. */
static bool executor_fix(struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	TSNode attr = tree_parent(call), outer;
	struct finding tmp;

	while (!ts_node_is_null(attr) && !strcmp(ts_node_type(attr), "parenthesized_expression"))
		attr = tree_parent(attr);
	if (ts_node_is_null(attr) || strcmp(ts_node_type(attr), "attribute") ||
	    !rule_text_is(ctx, ts_node_child_by_field_name(attr, "attribute", 9), "run_in_executor") ||
	    !rule_callee_of(attr, &outer))
		return false;
	memset(&tmp, 0, sizeof(tmp));
	tmp.edits = (struct vec)VEC_INIT(struct edit);
	tmp.needs = (struct vec)VEC_INIT(struct need);
	if (run_in_executor_fix(ctx, &tmp, outer)) {
		rule_finding_release(&tmp);
		return false;
	}
	for (size_t i = 0; i < tmp.edits.len; i++) {
		const struct edit *e = vec_at(&tmp.edits, i);

		rule_edit(f, e->start, e->end, e->text);
	}
	for (size_t i = 0; i < tmp.needs.len; i++) {
		const struct need *n = vec_at(&tmp.needs, i);

		rule_need(f, n->kind, n->text);
	}
	rule_finding_release(&tmp);
	f->fix = FIX_UNSAFE;
	free(f->message);
	f->message = xstrdup("`asyncio.get_event_loop()` in a coroutine, only to call "
			     "`run_in_executor(None, ..)`; with AM104 the call becomes "
			     "`asyncio.to_thread(..)`, which needs no loop");
	return true;
}

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
	if (ctx->unsafe_fixes && executor_fix(ctx, f, call))
		goto done;
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
		    "`asyncio.get_running_loop()`, with the import added when needed. With "
		    "`--unsafe-fixes`, a call that only feeds `await "
		    "asyncio.get_event_loop().run_in_executor(None, f, ..)` takes AM104's fix "
		    "instead, `await asyncio.to_thread(f, ..)` (unsafe, see AM104), so that the "
		    "two rules write the same edit and one run reaches the final form.",
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
