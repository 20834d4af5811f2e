/*
 * ASYNC300: the result of `create_task` is dropped.
 *
 * The event loop keeps only weak references to tasks, so an unreferenced
 * task can be garbage-collected before it finishes. Fix (safe): keep it in
 * a module-level set until it is done, as the asyncio documentation shows:
 *
 *     _task = asyncio.create_task(coro())
 *     _background_tasks.add(_task)
 *     _task.add_done_callback(_background_tasks.discard)
 *     _task.add_done_callback(lambda t: t.cancelled() or t.result())
 *
 * The second callback retrieves the exception of a task that failed:
 * `result()` raises it inside the callback, and the loop passes it to its
 * exception handler, which logs it with its traceback, at once rather
 * than as "exception was never retrieved" whenever the task is collected
 * (the standard: never ignore a task's exception).
 *
 * with `_background_tasks: set[asyncio.Task] = set()` added once after the
 * imports (an existing one is reused), or after `import asyncio` when that
 * comes below other code. Reported instead: the statement shares its line
 * with other code, the loop is closed later in the same function, no place
 * for the set is both after `import asyncio` and before code that runs at
 * import time and may use it, or the module runs under anyio/trio.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../src/fix.h"
#include "table.h"
#include "syntax.h"
#include "dangling_task.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "create_task", "ensure_future", NULL };

static const char *const factories[] = {
	"asyncio.create_task", "asyncio.ensure_future",
	"asyncio.tasks.create_task", "asyncio.tasks.ensure_future", NULL,
};

static bool is_task_factory(const char *q)
{
	for (int i = 0; factories[i]; i++)
		if (!strcmp(q, factories[i]))
			return true;
	return false;
}

/* True when the code after `stmt` in its function closes or stops the
 * loop `recv` (text of the receiver). */
static bool loop_closed_later(const struct rule_ctx *ctx, TSNode stmt, TSNode recv)
{
	TSNode fn = rule_enclosing_function(stmt);
	uint32_t end = ts_node_is_null(fn) ? ctx->src->len : ts_node_end_byte(fn);
	uint32_t from = ts_node_end_byte(stmt), rlen;
	const char *r = rule_text(ctx, recv, &rlen);
	static const char *const verbs[] = { ".close(", ".stop(", ".run_until_complete(", NULL };

	for (uint32_t i = from; i + rlen < end; i++) {
		char before = i ? ctx->src->text[i - 1] : ' ';

		if (memcmp(ctx->src->text + i, r, rlen) || isalnum((unsigned char)before) ||
		    before == '_' || before == '.')
			continue;
		for (int v = 0; verbs[v]; v++)
			if (!strncmp(ctx->src->text + i + rlen, verbs[v], strlen(verbs[v])))
				return true;
	}
	return false;
}

/* The name of an existing module-level `NAME = set()` whose name starts
 * with `_background_tasks`, written into `out`. */
static bool existing_set(const struct rule_ctx *ctx, struct buf *out)
{
	TSNode root = ts_tree_root_node(ctx->tree);
	uint32_t n = ts_node_named_child_count(root);

	for (uint32_t i = 0; i < n; i++) {
		TSNode s = ts_node_named_child(root, i), a, left, right;
		uint32_t len;
		const char *t;

		if (strcmp(ts_node_type(s), "expression_statement"))
			continue;
		a = ts_node_named_child(s, 0);
		if (ts_node_is_null(a) || strcmp(ts_node_type(a), "assignment"))
			continue;
		left = ts_node_child_by_field_name(a, "left", 4);
		right = ts_node_child_by_field_name(a, "right", 5);
		if (ts_node_is_null(left) || ts_node_is_null(right) ||
		    strcmp(ts_node_type(left), "identifier"))
			continue;
		t = rule_text(ctx, left, &len);
		if (len < 17 || strncmp(t, "_background_tasks", 17))
			continue;
		if (!rule_text_is(ctx, right, "set()"))
			continue;
		buf_clear(out);
		buf_add(out, t, len);
		return true;
	}
	return false;
}

/* True when the import statement `stmt` binds `name` (`import asyncio`,
 * `import asyncio.tasks`, `import asyncio as aio`). */
static bool import_binds(const struct rule_ctx *ctx, TSNode stmt, const char *name)
{
	uint32_t n = ts_node_named_child_count(stmt), nlen = (uint32_t)strlen(name);

	for (uint32_t i = 0; i < n; i++) {
		TSNode item = ts_node_named_child(stmt, i);
		uint32_t len;
		const char *t;

		if (!strcmp(ts_node_type(item), "aliased_import")) {
			TSNode alias = ts_node_child_by_field_name(item, "alias", 5);

			if (!ts_node_is_null(alias) && rule_text_is(ctx, alias, name))
				return true;
			continue;
		}
		if (strcmp(ts_node_type(item), "dotted_name"))
			continue;
		t = rule_text(ctx, item, &len);
		if (len >= nlen && !strncmp(t, name, nlen) && (len == nlen || t[nlen] == '.'))
			return true;
	}
	return false;
}

/* True when `node` (outside nested defs and lambdas) mentions one of the
 * module's top-level functions or classes, whose code could then run while
 * the module is imported. */
static bool mentions_local_code(const struct rule_ctx *ctx, TSNode node, const struct vec *defs)
{
	const char *type = ts_node_type(node);
	uint32_t n;

	if (!strcmp(type, "function_definition") || !strcmp(type, "lambda"))
		return false;
	if (!strcmp(type, "identifier")) {
		for (size_t i = 0; i < defs->len; i++) {
			TSNode d = *(TSNode *)vec_at(defs, i);
			uint32_t len;
			const char *t = rule_text(ctx, d, &len);

			if (ts_node_end_byte(node) - ts_node_start_byte(node) == len &&
			    !memcmp(ctx->src->text + ts_node_start_byte(node), t, len))
				return true;
		}
		return false;
	}
	n = ts_node_named_child_count(node);
	for (uint32_t i = 0; i < n; i++)
		if (mentions_local_code(ctx, ts_node_named_child(node, i), defs))
			return true;
	return false;
}

/* True when the top-level statement starting at `start` is a function
 * definition, whose body runs only when it is called. */
static bool runs_later(const struct rule_ctx *ctx, uint32_t start)
{
	TSNode root = ts_tree_root_node(ctx->tree);
	TSNode s = ts_node_named_descendant_for_byte_range(root, start, start);

	while (!ts_node_is_null(s) && !ts_node_eq(tree_parent(s), root))
		s = tree_parent(s);
	if (!ts_node_is_null(s) && !strcmp(ts_node_type(s), "decorated_definition"))
		s = ts_node_child_by_field_name(s, "definition", 10);
	return !ts_node_is_null(s) && !strcmp(ts_node_type(s), "function_definition");
}

/* Where the set `_background_tasks: set[ALIAS.Task] = set()` can go: the
 * start of the line after the first top-level `import` binding `alias` and
 * the imports that follow it at once.
 * Returns 0 when that is within the imports at the top (the statement
 * then goes with them), 1 with the offset in `*at` when it is further
 * down, and -1 when no place is defined before use: `stmt` (the fixed
 * statement) runs at import time above it, or code above it that runs at
 * import time mentions a function or class of the module. */
static int set_place(const struct rule_ctx *ctx, TSNode stmt, const char *alias, uint32_t *at)
{
	TSNode root = ts_tree_root_node(ctx->tree);
	uint32_t n = ts_node_named_child_count(root), head = fix_import_point(ctx->src, ctx->tree);
	uint32_t point = 0, top_start = ts_node_start_byte(stmt);
	struct vec defs = VEC_INIT(TSNode);
	int ret = 0;

	for (uint32_t i = 0; i < n; i++) {
		TSNode s = ts_node_named_child(root, i);

		if (!point && !strcmp(ts_node_type(s), "import_statement") &&
		    import_binds(ctx, s, alias)) {
			/* with the imports that follow it at once */
			for (uint32_t k = i; k < n; k++) {
				TSNode m = ts_node_named_child(root, k);
				const char *type = ts_node_type(m);

				if (strcmp(type, "import_statement") &&
				    strcmp(type, "import_from_statement") && strcmp(type, "comment"))
					break;
				if (strcmp(type, "comment"))
					point = ts_node_end_byte(m);
			}
		}
		if (ts_node_start_byte(s) <= ts_node_start_byte(stmt) &&
		    ts_node_end_byte(stmt) <= ts_node_end_byte(s))
			top_start = ts_node_start_byte(s);
	}
	while (point < ctx->src->len && ctx->src->text[point] != '\n')
		point++;
	if (point < ctx->src->len)
		point++;
	if (point <= head)
		goto done;
	ret = 1;
	*at = point;
	if (top_start < point && !runs_later(ctx, top_start)) {
		ret = -1;
		goto done;
	}
	for (uint32_t i = 0; i < n; i++) {
		TSNode s = ts_node_named_child(root, i), name;
		const char *type = ts_node_type(s);

		if (!strcmp(type, "decorated_definition"))
			s = ts_node_child_by_field_name(s, "definition", 10);
		if (ts_node_is_null(s))
			continue;
		type = ts_node_type(s);
		if (strcmp(type, "function_definition") && strcmp(type, "class_definition"))
			continue;
		name = ts_node_child_by_field_name(s, "name", 4);
		if (!ts_node_is_null(name))
			*(TSNode *)vec_push(&defs) = name;
	}
	for (uint32_t i = 0; i < n && ret > 0; i++) {
		TSNode s = ts_node_named_child(root, i);
		const char *type = ts_node_type(s);

		if (ts_node_start_byte(s) < head || ts_node_start_byte(s) >= point)
			continue;
		if (!strcmp(type, "function_definition"))
			continue;
		if (mentions_local_code(ctx, s, &defs))
			ret = -1;
	}
done:
	vec_release(&defs);
	return ret;
}

/* The expression inside any number of parentheses (comments aside). */
static TSNode unwrap_parens(TSNode n)
{
	while (!strcmp(ts_node_type(n), "parenthesized_expression")) {
		TSNode inner = { { 0 }, NULL, NULL };
		uint32_t count = ts_node_named_child_count(n), exprs = 0;

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(n, i);

			if (strcmp(ts_node_type(c), "comment")) {
				inner = c;
				exprs++;
			}
		}
		if (exprs != 1)
			break;
		n = inner;
	}
	return n;
}

/* End of the statement's last line, before its line break. */
static uint32_t line_end(const struct rule_ctx *ctx, uint32_t at)
{
	while (at < ctx->src->len && ctx->src->text[at] != '\n' && ctx->src->text[at] != '\r')
		at++;
	return at;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode stmt = rule_capture(ctx, match, "stmt"), call = rule_capture(ctx, match, "call");
	TSNode fn = rule_capture(ctx, match, "fn"), recv = { { 0 }, NULL, NULL };
	TSNode paren = rule_capture(ctx, match, "paren");
	struct buf q = BUF_INIT, set = BUF_INIT, task = BUF_INIT, text = BUF_INIT,
		   indent = BUF_INIT, mod = BUF_INIT;
	const char *nl = ctx->src->newline;
	enum resolution r;
	struct finding *f;

	if (ts_node_named_child_count(stmt) != 1)
		return 0;
	if (!ts_node_is_null(paren)) {
		call = unwrap_parens(paren);
		if (strcmp(ts_node_type(call), "call"))
			return 0;
		fn = ts_node_child_by_field_name(call, "function", 8);
		if (ts_node_is_null(fn))
			return 0;
	}
	if (!strcmp(ts_node_type(fn), "identifier") && !rule_text_is(ctx, fn, "create_task") &&
	    !rule_text_is(ctx, fn, "ensure_future") &&
	    !scope_imports_name(ctx->scopes, rule_text(ctx, fn, &(uint32_t){ 0 }),
				ts_node_end_byte(fn) - ts_node_start_byte(fn), factories, 4))
		return 0;
	r = scope_resolve_expr(ctx->scopes, fn, &q);
	if (!(r == RESOLVE_MODULE && is_task_factory(buf_cstr(&q)))) {
		TSNode method;

		if (strcmp(ts_node_type(fn), "attribute"))
			goto done;
		method = ts_node_child_by_field_name(fn, "attribute", 9);
		recv = ts_node_child_by_field_name(fn, "object", 6);
		if (!rule_text_is(ctx, method, "create_task") || ts_node_is_null(recv) ||
		    !syntax_is_loop(ctx, recv))
			goto done;
	}
	f = rule_report(ctx, &transform_dangling_task, call,
			"the task from `%.*s` is not kept: it may be garbage-collected before "
			"it finishes; keep a reference",
			(int)(ts_node_end_byte(fn) - ts_node_start_byte(fn)),
			ctx->src->text + ts_node_start_byte(fn));
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	if (!rule_own_line(ctx, stmt)) {
		rule_no_fix(f, "compound-statement");
		goto done;
	}
	if (!ts_node_is_null(recv) && strcmp(ts_node_type(recv), "call") &&
	    loop_closed_later(ctx, stmt, recv)) {
		rule_no_fix(f, "loop-closed");
		goto done;
	}
	if (!existing_set(ctx, &set)) {
		const char *alias = scope_module_alias(ctx->scopes, "asyncio");
		int place = 0;
		uint32_t at = 0;

		rule_fresh_name(ctx, "_background_tasks", &set);
		if (alias) {
			buf_printf(&mod, "%s: set[%s.Task] = set()", buf_cstr(&set), alias);
			place = set_place(ctx, stmt, alias, &at);
		} else {
			buf_printf(&mod, "%s = set()", buf_cstr(&set));
		}
		if (place < 0) {
			rule_no_fix(f, "no-place-for-set");
			goto done;
		}
		if (place == 0) {
			rule_need(f, NEED_STATEMENT, buf_cstr(&mod));
		} else {
			/* below an `import asyncio` that comes after other code:
			 * the statement goes right after it, as its own edit */
			buf_clear(&text);
			buf_printf(&text, "%s%s%s", nl, buf_cstr(&mod), nl);
			if (at < ctx->src->len && ctx->src->text[at] != '\n' &&
			    ctx->src->text[at] != '\r')
				buf_puts(&text, nl);
			rule_edit(f, at, at, buf_cstr(&text));
			buf_clear(&text);
		}
	}
	rule_fresh_name(ctx, "_task", &task);
	rule_indent(ctx, ts_node_start_byte(stmt), &indent);
	buf_printf(&text, "%s = ", buf_cstr(&task));
	rule_edit(f, ts_node_start_byte(stmt), ts_node_start_byte(stmt), buf_cstr(&text));
	buf_clear(&text);
	/* the second callback retrieves a failure: `result()` raises it in
	 * the callback, and the loop hands it to its exception handler,
	 * which logs it with its traceback (a cancelled task is left alone) */
	buf_printf(&text, "%s%s%s.add(%s)%s%s%s.add_done_callback(%s.discard)%s%s"
		   "%s.add_done_callback(lambda t: t.cancelled() or t.result())", nl,
		   buf_cstr(&indent), buf_cstr(&set), buf_cstr(&task), nl, buf_cstr(&indent),
		   buf_cstr(&task), buf_cstr(&set), nl, buf_cstr(&indent), buf_cstr(&task));
	{
		uint32_t at = line_end(ctx, ts_node_end_byte(stmt));

		rule_edit(f, at, at, buf_cstr(&text));
	}
done:
	buf_release(&q);
	buf_release(&set);
	buf_release(&task);
	buf_release(&text);
	buf_release(&indent);
	buf_release(&mod);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 使用 `asyncio.create_task` 但不等待结果",
	"核心原则 > ❌ 禁止行为",
	"- 忽略 `Future`/`Task` 的异常",
	NULL,
};

static const char *const reasons[] = {
	"compound-statement", "the statement shares its line with other code",
	"loop-closed", "the function later closes, stops or runs the loop the task was created "
	"on, so a kept task would outlive its loop",
	"no-place-for-set", "`import asyncio` comes below other code, and no place for the "
	"module-level set is both after it and before the code that runs at import time and may "
	"use the set (a fixed statement at module level above the import, or code above it that "
	"names a function or class of the module)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	NULL,
};

const struct transform transform_dangling_task = {
	.code = "ASYNC300",
	.name = "create-task-no-reference",
	.summary = "create_task() result dropped -> keep it in a module-level set, log its failure",
	.fix = FIX_SAFE,
	.query = dangling_task_scm,
	.tokens = tokens,
	.check = check,
	.finds = "An expression statement that calls `asyncio.create_task(..)`, "
		 "`asyncio.ensure_future(..)` or `loop.create_task(..)` and drops the task it "
		 "returns.",
	.why = "The event loop keeps only weak references to tasks: a task nobody refers to "
	       "can be garbage-collected before it finishes. The standard forbids creating a "
	       "task without waiting for its result and ignoring a task's exception; keeping a "
	       "reference and logging its failure is the least change that makes the task "
	       "safe, and lets it be awaited or supervised later.",
	.standard = standard,
	.fix_text = "The task is kept in a module-level set until it is done, as the asyncio "
		    "documentation shows: the statement becomes `_task = asyncio.create_task(..)`, "
		    "`_background_tasks.add(_task)` and "
		    "`_task.add_done_callback(_background_tasks.discard)` and "
		    "`_task.add_done_callback(lambda t: t.cancelled() or t.result())`, and "
		    "`_background_tasks: set[asyncio.Task] = set()` is added once after the imports "
		    "(an existing `_background_tasks = set()` is reused; new names never collide "
		    "with names in the file). When `import asyncio` comes below other code (an "
		    "optional import in a `try`), the set goes right after that import and the "
		    "imports that follow it, so the name it uses is bound before it runs. The "
		    "second callback retrieves the exception of a task that failed: `result()` "
		    "raises it in the callback and the loop logs it through its exception handler "
		    "(`loop.set_exception_handler`), with the traceback, as soon as the task ends; "
		    "a cancelled task is left alone. Before, the failure was logged only as "
		    "\"exception was never retrieved\" whenever the task was collected.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def start(worker):\n"
			  "    asyncio.create_task(worker.run())\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "_background_tasks: set[asyncio.Task] = set()\n"
			 "\n"
			 "\n"
			 "async def start(worker):\n"
			 "    _task = asyncio.create_task(worker.run())\n"
			 "    _background_tasks.add(_task)\n"
			 "    _task.add_done_callback(_background_tasks.discard)\n"
			 "    _task.add_done_callback(lambda t: t.cancelled() or t.result())\n",
};
