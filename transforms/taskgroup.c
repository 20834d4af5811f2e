/*
 * ASYNC111, ASYNC112, ASYNC121: misuse of a task group opened with
 * `async with` (asyncio.TaskGroup, anyio.create_task_group, trio.open_nursery).
 *
 * ASYNC111 (report): a value bound by a `with` opened inside the group's
 * block is passed to a task of the group: it is closed when that `with`
 * ends, while the task may still run.
 * ASYNC112: a group whose block only starts one task. Fix (unsafe,
 * asyncio): `await coro` in place of the block; the coroutine then runs in
 * the calling task.
 * ASYNC121 (report): `return`, `break` or `continue` in the group's block
 * takes effect only once every task of the group is done.
 */
#include <string.h>

#include "table.h"
#include "taskgroup.scm.h"
#include "syntax.h"

static const char *const tokens[] = { "TaskGroup", "create_task_group", "open_nursery", NULL };

static const TSNode no_node = { { 0 }, NULL, NULL };

static const char *const groups[] = {
	"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup", "anyio.create_task_group",
	"trio.open_nursery", NULL,
};

static bool is_scope_node(TSNode n)
{
	const char *t = ts_node_type(n);

	return !strcmp(t, "function_definition") || !strcmp(t, "lambda") ||
	       !strcmp(t, "class_definition") || !strcmp(t, "decorated_definition");
}

/* The group and its block, when the match is an `async with` over a task
 * group in async code; false otherwise. */
static bool task_group(struct rule_ctx *ctx, const TSQueryMatch *match, TSNode *with,
		       TSNode *group, TSNode *body)
{
	TSNode fn = rule_capture(ctx, match, "fn");
	struct buf q = BUF_INIT;
	bool yes = false;

	*with = rule_capture(ctx, match, "with");
	*group = rule_capture(ctx, match, "group");
	*body = ts_node_child_by_field_name(*with, "body", 4);
	if (ts_node_child_count(*with) && strcmp(ts_node_type(ts_node_child(*with, 0)), "async"))
		return false;
	if (scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
		for (int i = 0; groups[i]; i++)
			yes |= !strcmp(buf_cstr(&q), groups[i]);
	buf_release(&q);
	return yes && !ts_node_is_null(*body) &&
	       scope_context_at(ctx->scopes, ts_node_start_byte(*with)) == CONTEXT_ASYNC;
}

/* When `call` is `GROUP.create_task(..)` / `.start_soon(..)` / `.start(..)`
 * for the group named like `group`, true. */
static bool group_spawn(const struct rule_ctx *ctx, TSNode call, TSNode group)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8), obj, m;
	uint32_t len;
	const char *g = rule_text(ctx, group, &len);
	char name[128];

	if (!syntax_type_is(call, "call") || !syntax_type_is(fn, "attribute") ||
	    len >= sizeof(name))
		return false;
	obj = ts_node_child_by_field_name(fn, "object", 6);
	m = ts_node_child_by_field_name(fn, "attribute", 9);
	memcpy(name, g, len);
	name[len] = 0;
	return syntax_type_is(obj, "identifier") && rule_text_is(ctx, obj, name) &&
	       (rule_text_is(ctx, m, "create_task") || rule_text_is(ctx, m, "start_soon") ||
		rule_text_is(ctx, m, "start"));
}

/* ASYNC111 ----------------------------------------------------------- */

/* Reports the uses of `name` (bound by an inner `with`) in the arguments
 * of the group's spawn calls inside `n`. */
static void report_passed(struct rule_ctx *ctx, TSNode n, TSNode group, TSNode name)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_scope_node(n))
		return;
	if (group_spawn(ctx, n, group)) {
		TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
		TSTreeCursor c = ts_tree_cursor_new(args);
		bool down = true;
		uint32_t len;
		const char *t = rule_text(ctx, name, &len);
		char buf[128];

		if (len >= sizeof(buf)) {
			ts_tree_cursor_delete(&c);
			return;
		}
		memcpy(buf, t, len);
		buf[len] = 0;
		for (;;) {
			TSNode x = ts_tree_cursor_current_node(&c);

			if (down && syntax_type_is(x, "identifier") && rule_text_is(ctx, x, buf) &&
			    !rule_is_name_site(x)) {
				rule_report(ctx, &transform_taskgroup_cm_var, x,
					    "`%s` is opened inside the task group's block and passed to "
					    "one of its tasks: it is closed when its `with` ends, while the "
					    "task may still use it; open it before the task group", buf);
				break;
			}
			if (down && ts_tree_cursor_goto_first_child(&c))
				continue;
			if (ts_tree_cursor_goto_next_sibling(&c)) {
				down = true;
				continue;
			}
			if (!ts_tree_cursor_goto_parent(&c))
				break;
			down = false;
		}
		ts_tree_cursor_delete(&c);
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		report_passed(ctx, ts_node_named_child(n, i), group, name);
}

/* Finds the `with` statements inside the group's block and the names they
 * bind. */
static void scan_inner_withs(struct rule_ctx *ctx, TSNode n, TSNode group)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_scope_node(n))
		return;
	if (syntax_type_is(n, "with_statement")) {
		TSNode clause = ts_node_named_child(n, 0);
		TSNode body = ts_node_child_by_field_name(n, "body", 4);
		uint32_t items = ts_node_named_child_count(clause);

		for (uint32_t i = 0; i < items; i++) {
			TSNode v = ts_node_child_by_field_name(ts_node_named_child(clause, i), "value", 5);
			TSNode alias = syntax_type_is(v, "as_pattern") ?
				       ts_node_child_by_field_name(v, "alias", 5) : no_node;
			TSNode name = ts_node_is_null(alias) ? no_node : ts_node_named_child(alias, 0);

			if (syntax_type_is(name, "identifier") && !ts_node_is_null(body))
				report_passed(ctx, body, group, name);
		}
	}
	for (uint32_t i = 0; i < count; i++)
		scan_inner_withs(ctx, ts_node_named_child(n, i), group);
}

static int check_cm_var(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode with, group, body;

	if (task_group(ctx, match, &with, &group, &body))
		scan_inner_withs(ctx, body, group);
	return 0;
}

/* ASYNC112 ----------------------------------------------------------- */

/* True when the identifier `name` appears inside `n`. */
static bool mentions(const struct rule_ctx *ctx, TSNode n, const char *name)
{
	uint32_t count = ts_node_named_child_count(n);

	if (syntax_type_is(n, "identifier"))
		return rule_text_is(ctx, n, name) && !rule_is_name_site(n);
	for (uint32_t i = 0; i < count; i++)
		if (mentions(ctx, ts_node_named_child(n, i), name))
			return true;
	return false;
}

/* True when a comment lies in `n` outside [from, to) and before `upto`
 * (comments after it stay where they are). */
static bool comment_outside(TSNode n, uint32_t from, uint32_t to, uint32_t upto)
{
	TSTreeCursor c = ts_tree_cursor_new(n);
	bool found = false, down = true;

	while (!found) {
		TSNode x = ts_tree_cursor_current_node(&c);

		if (down && syntax_type_is(x, "comment") &&
		    (ts_node_start_byte(x) < from ||
		     (ts_node_end_byte(x) > to && ts_node_start_byte(x) < upto)))
			found = true;
		if (down && ts_tree_cursor_goto_first_child(&c))
			continue;
		if (ts_tree_cursor_goto_next_sibling(&c)) {
			down = true;
			continue;
		}
		if (!ts_tree_cursor_goto_parent(&c))
			break;
		down = false;
	}
	ts_tree_cursor_delete(&c);
	return found;
}

static int check_single(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode with, group, body, stmt = no_node, call, args, coro = no_node, clause;
	uint32_t count, n = 0, len;
	const char *g;
	char name[128];
	struct finding *f;
	struct buf text = BUF_INIT, unit = BUF_INIT;

	if (!task_group(ctx, match, &with, &group, &body))
		return 0;
	count = ts_node_named_child_count(body);
	for (uint32_t i = 0; i < count; i++)
		if (!syntax_type_is(ts_node_named_child(body, i), "comment"))
			stmt = ts_node_named_child(body, i), n++;
	if (n != 1 || !syntax_type_is(stmt, "expression_statement") ||
	    ts_node_named_child_count(stmt) != 1)
		return 0;
	call = ts_node_named_child(stmt, 0);
	if (syntax_type_is(call, "await"))
		call = ts_node_named_child(call, 0);
	if (!group_spawn(ctx, call, group))
		return 0;
	g = rule_text(ctx, group, &len);
	if (len >= sizeof(name))
		return 0;
	memcpy(name, g, len);
	name[len] = 0;
	args = ts_node_child_by_field_name(call, "arguments", 9);
	if (!syntax_type_is(args, "argument_list") || mentions(ctx, args, name))
		return 0;	/* the task gets the group: it may start more */
	clause = ts_node_named_child(with, 0);
	f = rule_report(ctx, &transform_taskgroup_single, with,
			"a task group that starts a single task: await the coroutine directly; "
			"with the fix it runs in the calling task, so its errors arrive bare "
			"instead of in an ExceptionGroup and context variables it sets become "
			"visible to the caller");
	f->start = ts_node_start_byte(with);
	f->end = ts_node_end_byte(clause);
	if (ctx->runtime != RUNTIME_ASYNCIO || !rule_text_is(ctx, ts_node_child_by_field_name(
		    ts_node_child_by_field_name(call, "function", 8), "attribute", 9), "create_task")) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	if (ts_node_named_child_count(clause) != 1) {
		rule_no_fix(f, "other-context-managers");
		goto done;
	}
	count = ts_node_named_child_count(args);
	n = 0;
	for (uint32_t i = 0; i < count; i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "comment"))
			continue;
		if (syntax_type_is(a, "keyword_argument") || syntax_type_is(a, "list_splat") ||
		    syntax_type_is(a, "dictionary_splat")) {
			rule_no_fix(f, "task-options");
			goto done;
		}
		coro = a;
		n++;
	}
	if (n != 1) {
		rule_no_fix(f, "task-options");
		goto done;
	}
	if (comment_outside(with, ts_node_start_byte(coro), ts_node_end_byte(coro), ts_node_end_byte(call))) {
		rule_no_fix(f, "comment-would-be-lost");
		goto done;
	}
	/* `await coro` where the block was; the coroutine's own lines move
	 * out by one level with it */
	buf_puts(&text, "await ");
	rule_edit(f, ts_node_start_byte(with), ts_node_start_byte(coro), buf_cstr(&text));
	rule_edit(f, ts_node_end_byte(coro), ts_node_end_byte(call), "");
	{
		uint32_t s = ts_node_start_byte(coro), e = ts_node_end_byte(coro);

		/* the coroutine's first line moves to the block's indent; its
		 * other lines move as far */
		rule_indent(ctx, s, &unit);
		rule_indent(ctx, ts_node_start_byte(with), &text);
		while (s < e && ctx->src->text[s] != '\n')
			s++;
		if (s < e && unit.len > text.len && mem_eq(unit.ptr, text.ptr, text.len))
			rule_dedent(ctx, f, s + 1, e, unit.ptr + text.len);
	}
	/* `import asyncio` may now be unused */
	rule_root_name(ctx, rule_capture(ctx, match, "fn"), &text);
	rule_need(f, NEED_DROP, buf_cstr(&text));
done:
	buf_release(&text);
	buf_release(&unit);
	return 0;
}

/* ASYNC121 ----------------------------------------------------------- */

/* Reports each `return` in `n`, and each `break`/`continue` whose loop is
 * outside the group's block. */
static void report_jumps(struct rule_ctx *ctx, TSNode n, bool in_loop)
{
	const char *t = ts_node_type(n);
	uint32_t count = ts_node_named_child_count(n);

	if (is_scope_node(n))
		return;
	if (!strcmp(t, "return_statement") ||
	    (!in_loop && (!strcmp(t, "break_statement") || !strcmp(t, "continue_statement")))) {
		const char *word = !strcmp(t, "return_statement") ? "return" :
				   !strcmp(t, "break_statement") ? "break" : "continue";
		struct finding *f = rule_report(ctx, &transform_taskgroup_jump, n,
						"`%s` in a task group's block takes effect only when "
						"every task of the group is done (and is lost if one "
						"fails); leave the block first", word);

		f->end = f->start + (uint32_t)strlen(word);
		return;
	}
	if (!strcmp(t, "for_statement") || !strcmp(t, "while_statement"))
		in_loop = true;
	for (uint32_t i = 0; i < count; i++)
		report_jumps(ctx, ts_node_named_child(n, i), in_loop);
}

static int check_jump(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode with, group, body;

	if (task_group(ctx, match, &with, &group, &body))
		report_jumps(ctx, body, false);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"2. **TaskGroup 优先** - Python 3.11+ 使用 `asyncio.TaskGroup` 替代 `gather`/`wait`",
	"asyncio 最佳实践 > 并发模式（Python 3.11+）",
	"    # TaskGroup 确保所有任务完成或抛出异常",
	NULL,
};

static const char *const standard_resources[] = {
	"核心原则 > ✅ 必须遵守",
	"4. **正确的上下文管理** - 异步资源使用 `async with` 管理",
	"asyncio 最佳实践 > 并发模式（Python 3.11+）",
	"    # TaskGroup 确保所有任务完成或抛出异常",
	NULL,
};

static const char *const no_reasons[] = { NULL };

static const char *const single_reasons[] = {
	"non-asyncio-runtime", "the group is an anyio or trio one (`start_soon(fn, *args)`), or "
	"the module runs under anyio or trio",
	"other-context-managers", "the `async with` opens other context managers too",
	"task-options", "the task gets `name=`, `context=` or more than one argument",
	"comment-would-be-lost", "a comment sits in the `async with` line or around the call",
	NULL,
};

const struct transform transform_taskgroup_cm_var = {
	.code = "ASYNC111",
	.name = "task-group-context-manager-value",
	.summary = "value of a with inside a task group passed to a task -> report",
	.fix = FIX_NONE,
	.query = taskgroup_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check_cm_var,
	.finds = "Inside an `async with asyncio.TaskGroup() as tg:` block (or an anyio task "
		 "group, a trio nursery), a `with`/`async with` binds a name that is then "
		 "passed to `tg.create_task(..)` (or `start_soon`/`start`).",
	.why = "The inner `with` closes its value when its own block ends, but the task keeps "
	       "running until the group's block ends: it may use a closed connection or file. "
	       "Opening the resource before the group keeps it open for every task.",
	.standard = standard_resources,
	.fix_text = "None: the finding is a report. Open the resource before the task group, "
		    "so that the group is the innermost `async with`.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def copy_all(pool, rows):\n"
			  "    async with asyncio.TaskGroup() as tg:\n"
			  "        async with pool.acquire() as conn:\n"
			  "            for row in rows:\n"
			  "                tg.create_task(conn.execute(row))\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def copy_all(pool, rows):\n"
			 "    async with pool.acquire() as conn:\n"
			 "        async with asyncio.TaskGroup() as tg:\n"
			 "            for row in rows:\n"
			 "                tg.create_task(conn.execute(row))\n",
};

const struct transform transform_taskgroup_single = {
	.code = "ASYNC112",
	.name = "useless-task-group",
	.summary = "a task group that starts one task -> await the coroutine (unsafe)",
	.fix = FIX_UNSAFE,
	.query = taskgroup_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check_single,
	.finds = "An `async with asyncio.TaskGroup() as tg:` block (or an anyio task group, a "
		 "trio nursery) whose only statement starts one task, `tg.create_task(coro)`, "
		 "without passing the group to it.",
	.why = "A group of one task runs nothing concurrently: it only adds a task, an "
	       "ExceptionGroup around the task's errors and a block. Awaiting the coroutine "
	       "says the same thing plainly.",
	.standard = standard,
	.fix_text = "The block becomes `await coro` at the block's place (the coroutine's own "
		    "continuation lines move out by one level). What changes: the coroutine runs "
		    "in the calling task, so its errors arrive bare instead of in an "
		    "ExceptionGroup, and context variables it sets become visible to the caller.",
	.reasons = single_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def refresh(cache, delay):\n"
			  "    await asyncio.sleep(delay)\n"
			  "    async with asyncio.TaskGroup() as tg:\n"
			  "        tg.create_task(cache.reload())\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def refresh(cache, delay):\n"
			 "    await asyncio.sleep(delay)\n"
			 "    await cache.reload()\n",
};

const struct transform transform_taskgroup_jump = {
	.code = "ASYNC121",
	.name = "control-flow-in-task-group",
	.summary = "return/break/continue in a task group's block -> report",
	.fix = FIX_NONE,
	.query = taskgroup_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check_jump,
	.finds = "A `return`, or a `break`/`continue` of a loop outside the block, directly "
		 "in an `async with asyncio.TaskGroup() as tg:` block (or an anyio task group, a "
		 "trio nursery).",
	.why = "Leaving the block waits for every task of the group first, so the jump is "
	       "delayed for as long as the slowest task runs; if a task fails, the group's "
	       "ExceptionGroup replaces the jump (a returned value is lost).",
	.standard = standard,
	.fix_text = "None: the finding is a report. Set a result inside the block and return "
		    "(or break) after it, or cancel the tasks first if the jump should not wait "
		    "for them.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def first_ready(jobs):\n"
			  "    async with asyncio.TaskGroup() as tg:\n"
			  "        for job in jobs:\n"
			  "            tg.create_task(job.run())\n"
			  "        return len(jobs)\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def first_ready(jobs):\n"
			 "    async with asyncio.TaskGroup() as tg:\n"
			 "        for job in jobs:\n"
			 "            tg.create_task(job.run())\n"
			 "    return len(jobs)\n",
};
