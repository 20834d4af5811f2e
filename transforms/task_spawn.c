/*
 * ASYNC113 and AM103: where tasks are started.
 *
 * ASYNC113 (report): a task started in `__aenter__` (or before the
 * `yield` of an `@asynccontextmanager`) has not run yet when the
 * `async with` body starts.
 * AM103 (report): tasks started in a loop or a comprehension (or
 * coroutines of a comprehension handed to gather/wait/as_completed) with
 * no bound on how many run at once: no Semaphore or limiter in sight, and
 * an iterable that is not a fixed literal or a `range(..)` (a worker pool).
 */
#include <string.h>
#include <strings.h>

#include "table.h"
#include "task_spawn.scm.h"

static const char *const spawn_tokens[] = { "create_task", "ensure_future", "start_soon", NULL };
static const char *const loop_tokens[] = {
	"create_task", "ensure_future", "start_soon", "gather", "wait", "as_completed", NULL,
};

static const TSNode no_node = { { 0 }, NULL, NULL };

static bool is_type(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static bool is_scope_node(TSNode n)
{
	const char *t = ts_node_type(n);

	return !strcmp(t, "function_definition") || !strcmp(t, "lambda") ||
	       !strcmp(t, "class_definition") || !strcmp(t, "decorated_definition");
}

static bool same(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) &&
	       ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b);
}

static bool is_async_def(TSNode def)
{
	return is_type(def, "function_definition") && ts_node_child_count(def) &&
	       !strcmp(ts_node_type(ts_node_child(def, 0)), "async");
}

/* True when `call` starts a task: `asyncio.create_task(..)`,
 * `loop.create_task(..)`, `tg.create_task(..)`, `nursery.start_soon(..)`,
 * not a lookalike function of another module. */
static bool is_spawn(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	struct buf q = BUF_INIT;
	enum resolution r = scope_resolve_expr(ctx->scopes, fn, &q);
	bool yes;

	if (r == RESOLVE_MODULE)
		yes = !strncmp(buf_cstr(&q), "asyncio.", 8);
	else
		yes = is_type(fn, "attribute");	/* a method of a loop or a group */
	buf_release(&q);
	return yes;
}

/* ASYNC113 ----------------------------------------------------------- */

/* True when `def` is decorated with `asynccontextmanager`. */
static bool is_async_cm(const struct rule_ctx *ctx, TSNode def)
{
	TSNode p = ts_node_parent(def);
	uint32_t count = is_type(p, "decorated_definition") ? ts_node_named_child_count(p) : 0;

	for (uint32_t i = 0; i < count; i++) {
		TSNode d = ts_node_named_child(p, i);
		uint32_t len;
		const char *t = rule_text(ctx, d, &len);

		if (is_type(d, "decorator") && len >= 19 && !memcmp(t + len - 19, "asynccontextmanager", 19))
			return true;
	}
	return false;
}

/* The first `yield` of a function body (outside nested scopes), or a null node. */
static TSNode first_yield(TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_type(n, "yield"))
		return n;
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i), y;

		if (is_scope_node(c))
			continue;
		y = first_yield(c);
		if (!ts_node_is_null(y))
			return y;
	}
	return no_node;
}

static int check_aenter(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), def = rule_enclosing_function(call), name;

	if (!ts_node_is_null(rule_capture(ctx, match, "comp")) || !is_async_def(def) ||
	    !is_spawn(ctx, call))
		return 0;
	name = ts_node_child_by_field_name(def, "name", 4);
	if (rule_text_is(ctx, name, "__aenter__")) {
		rule_report(ctx, &transform_aenter_task, call,
			    "a task started in `__aenter__` has not run yet when the `async with` "
			    "body starts; have it signal when it is ready (an `asyncio.Event` to "
			    "await) or start it where its group is entered");
	} else if (is_async_cm(ctx, def)) {
		TSNode y = first_yield(ts_node_child_by_field_name(def, "body", 4));

		if (!ts_node_is_null(y) && ts_node_start_byte(y) > ts_node_start_byte(call))
			rule_report(ctx, &transform_aenter_task, call,
				    "a task started before the `yield` of an async context manager "
				    "has not run yet when the `async with` body starts; have it "
				    "signal when it is ready (an `asyncio.Event` to await)");
	}
	return 0;
}

/* AM103 -------------------------------------------------------------- */

/* True when `e` has a fixed number of items: a tuple, list or set display
 * without `*`, or a `range(..)`, the size a worker pool picks. */
static bool fixed_size(const struct rule_ctx *ctx, TSNode e)
{
	const char *t = ts_node_type(e);
	uint32_t count = ts_node_named_child_count(e);

	if (!strcmp(t, "tuple") || !strcmp(t, "list") || !strcmp(t, "set")) {
		for (uint32_t i = 0; i < count; i++)
			if (is_type(ts_node_named_child(e, i), "list_splat"))
				return false;
		return true;
	}
	if (!strcmp(t, "call")) {
		TSNode fn = ts_node_child_by_field_name(e, "function", 8);
		struct buf q = BUF_INIT;
		bool range = is_type(fn, "identifier") && rule_text_is(ctx, fn, "range") &&
			     scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_UNBOUND;

		buf_release(&q);
		return range;
	}
	return false;
}

/* Counts the assignments to `name` in a function body (outside nested
 * scopes); `fixed` counts those of a fixed-size value. */
static void assignments(const struct rule_ctx *ctx, TSNode n, const char *name, unsigned *all,
			unsigned *fixed)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_scope_node(n))
		return;
	if (is_type(n, "assignment") || is_type(n, "augmented_assignment") ||
	    is_type(n, "for_statement") || is_type(n, "named_expression")) {
		bool walrus = is_type(n, "named_expression");
		TSNode left = ts_node_child_by_field_name(n, walrus ? "name" : "left", 4);
		TSNode right = ts_node_child_by_field_name(n, walrus ? "value" : "right", 5);

		if (is_type(left, "identifier") && rule_text_is(ctx, left, name)) {
			(*all)++;
			if (is_type(n, "assignment") && !ts_node_is_null(right) &&
			    fixed_size(ctx, right))
				(*fixed)++;
		}
	}
	for (uint32_t i = 0; i < count; i++)
		assignments(ctx, ts_node_named_child(n, i), name, all, fixed);
}

/* True when iterating `it` in function `def` runs a bounded number of times. */
static bool bounded_iterable(const struct rule_ctx *ctx, TSNode it, TSNode def)
{
	uint32_t len;
	const char *t;
	char name[128];
	unsigned all = 0, fixed = 0;

	if (fixed_size(ctx, it))
		return true;
	if (!is_type(it, "identifier"))
		return false;
	t = rule_text(ctx, it, &len);
	if (len >= sizeof(name))
		return false;
	memcpy(name, t, len);
	name[len] = 0;
	assignments(ctx, ts_node_child_by_field_name(def, "body", 4), name, &all, &fixed);
	return all && all == fixed;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True when `text` mentions a semaphore or a limiter: the words, or a
 * name such as `sem`, `_sem`, `self.sem1`. */
static bool mentions_limit(const char *t, uint32_t len)
{
	static const char *const words[] = { "semaphore", "limiter", NULL };

	for (uint32_t i = 0; i < len; i++) {
		for (int w = 0; words[w]; w++)
			if (len - i >= strlen(words[w]) && !strncasecmp(t + i, words[w], strlen(words[w])))
				return true;
		if (len - i >= 3 && !strncasecmp(t + i, "sem", 3) && (i == 0 || !is_letter(t[i - 1])) &&
		    (len - i == 3 || !is_letter(t[i + 3])))
			return true;
	}
	return false;
}

/* True when the coroutine call `coro` is of a module-level function whose
 * body mentions a semaphore or a limiter (the standard's bounded_fetch). */
static bool callee_limited(const struct rule_ctx *ctx, TSNode coro)
{
	TSNode fn = is_type(coro, "call") ? ts_node_child_by_field_name(coro, "function", 8) : no_node;
	TSNode root = ts_tree_root_node(ctx->tree);
	uint32_t count = ts_node_named_child_count(root), len;

	if (!is_type(fn, "identifier"))
		return false;
	for (uint32_t i = 0; i < count; i++) {
		TSNode d = ts_node_named_child(root, i);
		const char *t;

		if (is_type(d, "decorated_definition"))
			d = ts_node_child_by_field_name(d, "definition", 10);
		if (!is_type(d, "function_definition"))
			continue;
		t = rule_text(ctx, ts_node_child_by_field_name(d, "name", 4), &len);
		if (ts_node_end_byte(fn) - ts_node_start_byte(fn) == len &&
		    !memcmp(t, ctx->src->text + ts_node_start_byte(fn), len)) {
			t = rule_text(ctx, d, &len);
			return mentions_limit(t, len);
		}
	}
	return false;
}

/* The first `for` clause of a comprehension. */
static TSNode first_for(TSNode comp)
{
	uint32_t count = ts_node_named_child_count(comp);

	for (uint32_t i = 0; i < count; i++)
		if (is_type(ts_node_named_child(comp, i), "for_in_clause"))
			return ts_node_named_child(comp, i);
	return no_node;
}

/* The loop or comprehension that runs `call` many times within its
 * function, and what it iterates (a null node for `while`). */
static bool find_loop(TSNode call, TSNode *loop, TSNode *iterable)
{
	TSNode prev = call;

	for (TSNode p = ts_node_parent(call); !ts_node_is_null(p); prev = p, p = ts_node_parent(p)) {
		const char *t = ts_node_type(p);

		if (is_scope_node(p))
			return false;
		if ((!strcmp(t, "for_statement") || !strcmp(t, "while_statement")) &&
		    same(ts_node_child_by_field_name(p, "body", 4), prev)) {
			*loop = p;
			*iterable = !strcmp(t, "for_statement") ?
				    ts_node_child_by_field_name(p, "right", 5) : no_node;
			return true;
		}
		if (strstr(t, "comprehension") || !strcmp(t, "generator_expression")) {
			TSNode clause = first_for(p);

			if (ts_node_is_null(clause) ||
			    ts_node_start_byte(prev) >= ts_node_start_byte(clause))
				continue;	/* in a `for` clause: run once per item of an outer loop */
			*loop = p;
			*iterable = ts_node_child_by_field_name(clause, "right", 5);
			return true;
		}
	}
	return false;
}

static const char *const runners[] = {
	"asyncio.gather", "asyncio.tasks.gather", "asyncio.wait", "asyncio.tasks.wait",
	"asyncio.as_completed", "asyncio.tasks.as_completed", NULL,
};

static int check_unbounded(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), comp = rule_capture(ctx, match, "comp");
	TSNode def = rule_enclosing_function(call), loop = no_node, it = no_node, coro;
	uint32_t len;
	const char *t;

	if (!is_async_def(def))
		return 0;
	if (!ts_node_is_null(comp)) {
		TSNode fn = ts_node_child_by_field_name(call, "function", 8), clause;
		struct buf q = BUF_INIT;
		bool runner = false;

		if (scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
			for (int i = 0; runners[i]; i++)
				runner |= !strcmp(buf_cstr(&q), runners[i]);
		buf_release(&q);
		coro = ts_node_child_by_field_name(comp, "body", 4);
		if (!runner || (is_type(coro, "call") && is_spawn(ctx, coro) &&
				find_loop(coro, &loop, &it)))
			return 0;	/* the task-starting call in it gets the finding */
		clause = first_for(comp);
		if (ts_node_is_null(clause))
			return 0;
		loop = comp;
		it = ts_node_child_by_field_name(clause, "right", 5);
	} else {
		TSNode args = ts_node_child_by_field_name(call, "arguments", 9);

		if (!is_spawn(ctx, call) || !find_loop(call, &loop, &it))
			return 0;
		coro = is_type(args, "argument_list") && ts_node_named_child_count(args) ?
		       ts_node_named_child(args, 0) : no_node;
	}
	if (!ts_node_is_null(it) && bounded_iterable(ctx, it, def))
		return 0;
	t = rule_text(ctx, def, &len);
	if (mentions_limit(t, len) || callee_limited(ctx, coro))
		return 0;
	if (ts_node_is_null(comp))
		rule_report(ctx, &transform_unbounded_tasks, call,
			    "tasks are started in a %s with no bound on how many run at once; limit "
			    "them with an `asyncio.Semaphore` or a fixed pool of workers reading an "
			    "`asyncio.Queue`", is_type(loop, "for_statement") ||
			    is_type(loop, "while_statement") ? "loop" : "comprehension");
	else
		rule_report(ctx, &transform_unbounded_tasks, call,
			    "every coroutine of the comprehension runs at once, with no bound; "
			    "limit them with an `asyncio.Semaphore` or a fixed pool of workers "
			    "reading an `asyncio.Queue`");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const standard_aenter[] = {
	"核心原则 > ✅ 必须遵守",
	"4. **正确的上下文管理** - 异步资源使用 `async with` 管理",
	"核心原则 > ❌ 禁止行为",
	"- 使用 `asyncio.create_task` 但不等待结果",
	NULL,
};

static const char *const standard_unbounded[] = {
	"核心原则 > ❌ 禁止行为",
	"- 在循环中无限制地创建任务",
	"asyncio 最佳实践 > 并发模式（Python 3.11+）",
	"# ❌ 错误 - 无限制创建任务",
	"asyncio 最佳实践 > 限制并发数量",
	"# ✅ 正确 - 使用 Semaphore 限制并发",
	"asyncio 最佳实践 > 限制并发数量",
	"# ✅ 推荐 - 使用 asyncio.Queue 实现工作池",
	"检查清单",
	"- [ ] 限制并发数量（使用 Semaphore 或工作池）",
	NULL,
};

static const char *const no_reasons[] = { NULL };

const struct transform transform_aenter_task = {
	.code = "ASYNC113",
	.name = "task-started-in-aenter",
	.summary = "create_task()/start_soon() in __aenter__ -> report",
	.fix = FIX_NONE,
	.query = task_spawn_scm,
	.tokens = spawn_tokens,
	.check = check_aenter,
	.finds = "A task started (`asyncio.create_task`, `loop.create_task`, "
		 "`tg.create_task`, `start_soon`) in an `async def __aenter__`, or before the "
		 "`yield` of an `@asynccontextmanager` function.",
	.why = "Starting a task only schedules it: when `__aenter__` returns, the task has "
	       "not run a single step, so the `async with` body may use what the task was "
	       "meant to set up (a connection, a subscription, a listening socket) before it "
	       "exists.",
	.standard = standard_aenter,
	.fix_text = "None: the finding is a report. Have the task signal readiness (set an "
		    "`asyncio.Event` that `__aenter__` awaits), or with anyio/trio use "
		    "`await tg.start(..)`, which returns once the task reports it is started.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "class Listener:\n"
			  "    async def __aenter__(self):\n"
			  "        self._task = asyncio.create_task(self._serve())\n"
			  "        return self\n"
			  "\n"
			  "    async def _serve(self):\n"
			  "        await asyncio.sleep(1)\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "class Listener:\n"
			 "    async def __aenter__(self):\n"
			 "        self._ready = asyncio.Event()\n"
			 "        self._task = asyncio.create_task(self._serve())\n"
			 "        await self._ready.wait()\n"
			 "        return self\n"
			 "\n"
			 "    async def _serve(self):\n"
			 "        self._ready.set()\n"
			 "        await asyncio.sleep(1)\n",
};

const struct transform transform_unbounded_tasks = {
	.code = "AM103",
	.name = "unbounded-task-creation",
	.summary = "tasks created in a loop or comprehension with no bound -> report",
	.fix = FIX_NONE,
	.query = task_spawn_scm,
	.tokens = loop_tokens,
	.check = check_unbounded,
	.finds = "In an `async def`, a task started (`create_task`, `ensure_future`, "
		 "`start_soon`) in the body of a `for`/`while` loop or of a comprehension, or a "
		 "comprehension of coroutines handed to `asyncio.gather(*..)`, `asyncio.wait` or "
		 "`asyncio.as_completed`, when nothing bounds how many run at once: the function "
		 "(or the coroutine function called) mentions no semaphore or limiter, and the "
		 "loop does not iterate a fixed literal, a name only ever assigned one, or a "
		 "`range(..)` (the size of a worker pool).",
	.why = "One task per item runs every item at once: thousands of connections, open "
	       "files or requests against a server. The standard forbids creating tasks in a "
	       "loop without a limit.",
	.standard = standard_unbounded,
	.fix_text = "None: the finding is a report. Wrap the work in `async with semaphore:` "
		    "(an `asyncio.Semaphore(N)` created before the loop), or start N workers "
		    "(`for _ in range(N)`) that take items from an `asyncio.Queue`, as the "
		    "standard shows.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def fetch_all(client, urls):\n"
			  "    tasks = [asyncio.create_task(client.get(u)) for u in urls]\n"
			  "    return await asyncio.gather(*tasks)\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch_all(client, urls, limit=10):\n"
			 "    semaphore = asyncio.Semaphore(limit)\n"
			 "\n"
			 "    async def fetch(u):\n"
			 "        async with semaphore:\n"
			 "            return await client.get(u)\n"
			 "\n"
			 "    tasks = [asyncio.create_task(fetch(u)) for u in urls]\n"
			 "    return await asyncio.gather(*tasks)\n",
};
