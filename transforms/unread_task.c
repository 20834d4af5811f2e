/*
 * AM111: a task bound to a local name that the function never reads.
 *
 * `t = asyncio.create_task(..)` (or `asyncio.ensure_future(..)`,
 * `loop.create_task(..)`) in a def or async def, where no other mention
 * of `t` that means the same variable reads it: not awaited, not passed
 * on, not returned, stored or yielded, no method called on it. Its
 * exception is never retrieved, and once the function returns nothing
 * refers to the task: the loop holds it only weakly, so it may be
 * garbage-collected before it finishes. Report only: whether to await
 * it, keep it or move it into a TaskGroup is the author's choice.
 *
 * Conservative: any mention other than a plain `t = ..` counts as a read
 * (`del t`, `t += ..`, a loop or `with` target, a use in a nested def or
 * lambda, after a loop that rebinds it); so does every name when the file
 * mentions `locals`, `vars`, `eval` or `exec`. Names bound at module or
 * class level, declared `global` or `nonlocal`, or bound from a walrus or
 * a tuple target are not looked at. A TaskGroup's `create_task` is not a
 * task factory here (the group awaits its tasks); the dropped result,
 * `asyncio.create_task(..)` as a statement, is ASYNC300's.
 *
 * `_ = asyncio.create_task(..)` (or any name starting with `_`) is
 * reported too, with reason `underscore`: the underscore says the result
 * is not wanted, but the task is as unkept and its failure as lost as a
 * dropped one's. A line whose comment silences F841 (pyflakes' and ruff's
 * unused variable) is reported with `marked-unused`: the name is kept on
 * purpose, yet it keeps the task only while the function runs.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "unread_task.scm.h"
#include "../src/tree.h"

#define UNREAD_TASK_MAX_REFS 64

static const char *const tokens[] = { "create_task", "ensure_future", NULL };

/* Names whose use lets code read any local variable by its name. */
static const char *const introspection[] = { "locals", "vars", "eval", "exec", NULL };

/* True when the identifier `id` is the whole target of a plain assignment
 * (`t = ..`, `t: T = ..`): a store that reads nothing. */
static bool plain_store(TSNode id)
{
	TSNode p = tree_parent(id);

	return syntax_type_is(p, "assignment") && syntax_is_field(p, "left", id);
}

/* True when a comment on the last line of `stmt` silences pyflakes' and
 * ruff's unused-variable code, F841: the author knows the name is unread. */
static bool marked_unused(const struct rule_ctx *ctx, TSNode stmt)
{
	uint32_t at = ts_node_end_byte(stmt), end = at;
	const char *t = ctx->src->text;

	while (end < ctx->src->len && t[end] != '\n' && t[end] != '\r')
		end++;
	while (at < end && t[at] != '#')
		at++;
	for (; at + 4 <= end; at++)
		if (!memcmp(t + at, "F841", 4))
			return true;
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode name = rule_capture(ctx, match, "name"), call = rule_capture(ctx, match, "call");
	TSNode root = ts_tree_root_node(ctx->tree);
	uint32_t refs[UNREAD_TASK_MAX_REFS], len;
	const char *text = rule_text(ctx, name, &len);
	size_t n;
	int scope, here;
	enum scope_kind kind;
	struct finding *f;

	if (!syntax_creates_task(ctx, call))
		return 0;
	here = scope_at(ctx->scopes, ts_node_start_byte(name));
	kind = scope_kind(ctx->scopes, here);
	if (kind != SCOPE_FUNCTION && kind != SCOPE_ASYNC_FUNCTION)
		return 0;
	for (size_t i = 0; introspection[i]; i++)
		if (scope_name_used(ctx->scopes, introspection[i]))
			return 0;
	n = scope_variable_refs(ctx->scopes, ts_node_start_byte(name), text, len, refs,
				UNREAD_TASK_MAX_REFS, &scope);
	if (scope != here || n == 0 || n > UNREAD_TASK_MAX_REFS)
		return 0;
	for (size_t i = 0; i < n; i++) {
		TSNode id = ts_node_named_descendant_for_byte_range(root, refs[i], refs[i] + len);

		if (!syntax_type_is(id, "identifier") || ts_node_start_byte(id) != refs[i] ||
		    !plain_store(id))
			return 0;	/* read, or not understood */
	}
	f = rule_report(ctx, &transform_unread_task, call,
			"the task bound to `%.*s` is never awaited, passed on or read: its exception "
			"is lost and it may be garbage-collected before it finishes; await it, keep "
			"it, or run it in a TaskGroup",
			(int)len, text);
	if (*text == '_')
		rule_no_fix(f, "underscore");
	else if (marked_unused(ctx, rule_capture(ctx, match, "stmt")))
		rule_no_fix(f, "marked-unused");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 使用 `asyncio.create_task` 但不等待结果",
	"核心原则 > ❌ 禁止行为",
	"- 忽略 `Future`/`Task` 的异常",
	"asyncio 最佳实践 > 并发模式（Python 3.11+）",
	"# TaskGroup 确保所有任务完成或抛出异常",
	NULL,
};

static const char *const reasons[] = {
	"underscore", "the task is bound to `_` or a name starting with `_`, which says its "
	"result is not wanted: it is still unkept and its failure still lost",
	"marked-unused", "a comment on the line silences F841 (unused variable): the name is "
	"kept on purpose, but it holds the task only while the function runs",
	NULL,
};

const struct transform transform_unread_task = {
	.code = "AM111",
	.name = "task-never-read",
	.summary = "task bound to a name that is never awaited, passed on or read (report)",
	.fix = FIX_NONE,
	.query = unread_task_scm,
	.tokens = tokens,
	.check = check,
	.finds = "`NAME = asyncio.create_task(..)` (also `asyncio.ensure_future(..)` and "
		 "`loop.create_task(..)` on an event loop) in a function, where nothing else in "
		 "the function, nested defs and lambdas included, mentions `NAME`: the task is "
		 "never awaited, cancelled, passed to a call, returned, yielded or stored. Any "
		 "mention other than another plain `NAME = ..` counts as a use (`del NAME`, a read "
		 "after a loop that rebinds it). `_ = ..` and other names starting with `_` are "
		 "reported with reason `underscore`, a line whose comment silences F841 "
		 "(unused variable) with `marked-unused`. "
		 "A TaskGroup's `create_task` is not reported (the group awaits its tasks), nor "
		 "a name at module or class level, nor one declared `global` or `nonlocal`, nor "
		 "any name in a file that mentions `locals`, `vars`, `eval` or `exec`. A task "
		 "dropped without a name is ASYNC300's.",
	.why = "The standard forbids creating a task without waiting for its result and "
	       "ignoring a task's exception. A name that is never read keeps the task only "
	       "while the function runs: the event loop holds tasks weakly, so afterwards the "
	       "task may be garbage-collected before it finishes, and a failure is at best "
	       "logged as \"exception was never retrieved\" whenever that happens.",
	.standard = standard,
	.fix_text = "None: await the task where its result is needed, keep it where it is "
		    "supervised (a set the task removes itself from when done, with a callback "
		    "that retrieves its exception), or create it in an `asyncio.TaskGroup`, "
		    "which awaits it and raises its failure.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def show(cache, key):\n"
			  "    warm = asyncio.create_task(cache.refresh(key))\n"
			  "    return await cache.get(key)\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def show(cache, key):\n"
			 "    warm = asyncio.create_task(cache.refresh(key))\n"
			 "    value = await cache.get(key)\n"
			 "    await warm\n"
			 "    return value\n",
};
