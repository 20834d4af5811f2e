/*
 * ASYNC113 and AM103: where tasks are started.
 *
 * ASYNC113 (report): a task started in `__aenter__` (or before the
 * `yield` of an `@asynccontextmanager`) has not run yet when the
 * `async with` body starts.
 * AM103 (report): tasks started with no bound on how many run at once:
 * in a `while` loop, an `async for` over a stream or queue, or an async
 * comprehension, unless each run of the loop waits for its task or a
 * limiter made outside the per-item work is held around it. A fan-out
 * over a collection in hand (a `for`, a comprehension, gather or
 * as_completed over ids) has a known size and is not reported.
 */
#include <string.h>
#include <strings.h>

#include "table.h"
#include "task_spawn.scm.h"
#include "syntax.h"
#include "../src/tree.h"

static const char *const spawn_tokens[] = { "create_task", "ensure_future", "start_soon", NULL };
static const char *const loop_tokens[] = {
	"create_task", "ensure_future", "start_soon", "gather", "wait", "as_completed", NULL,
};

static const TSNode no_node = { { 0 }, NULL, NULL };

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
	return syntax_type_is(def, "function_definition") && ts_node_child_count(def) &&
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
		yes = syntax_type_is(fn, "attribute");	/* a method of a loop or a group */
	buf_release(&q);
	return yes;
}

/* ASYNC113 ----------------------------------------------------------- */

/* True when `def` is decorated with `asynccontextmanager`. */
static bool is_async_cm(const struct rule_ctx *ctx, TSNode def)
{
	TSNode p = tree_parent(def);
	uint32_t count = syntax_type_is(p, "decorated_definition") ?
			 ts_node_named_child_count(p) : 0;

	for (uint32_t i = 0; i < count; i++) {
		TSNode d = ts_node_named_child(p, i);
		uint32_t len;
		const char *t = rule_text(ctx, d, &len);

		if (syntax_type_is(d, "decorator") && len >= 19 &&
		    !memcmp(t + len - 19, "asynccontextmanager", 19))
			return true;
	}
	return false;
}

/* The first `yield` of a function body (outside nested scopes), or a null node. */
static TSNode first_yield(TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);

	if (syntax_type_is(n, "yield"))
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

static const char *const runners[] = {
	"asyncio.gather", "asyncio.tasks.gather", "asyncio.wait", "asyncio.tasks.wait",
	"asyncio.as_completed", "asyncio.tasks.as_completed", NULL,
};

/* True when a comprehension has an `async for` clause. */
static bool async_comprehension(TSNode comp)
{
	uint32_t count = ts_node_named_child_count(comp);

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(comp, i);

		if (syntax_type_is(c, "for_in_clause") && syntax_is_async(c))
			return true;
	}
	return false;
}

/* The loop around `call`, within its function, that runs it for items
 * nobody counted: a `while` loop, an `async for` (a stream, a queue) or a
 * comprehension with an `async for` clause. A `for` over a collection in
 * hand is a fan-out of known size and does not count. */
static bool find_unbounded_loop(TSNode call, TSNode *loop)
{
	TSNode prev = call;

	for (TSNode p = tree_parent(call); !ts_node_is_null(p); prev = p, p = tree_parent(p)) {
		const char *t = ts_node_type(p);

		if (is_scope_node(p))
			return false;
		if ((!strcmp(t, "while_statement") ||
		     (!strcmp(t, "for_statement") && syntax_is_async(p))) &&
		    same(ts_node_child_by_field_name(p, "body", 4), prev)) {
			*loop = p;
			return true;
		}
		if ((strstr(t, "comprehension") || !strcmp(t, "generator_expression")) &&
		    same(ts_node_child_by_field_name(p, "body", 4), prev) &&
		    async_comprehension(p)) {
			*loop = p;
			return true;
		}
	}
	return false;
}

/* True when the subtree `n` (outside nested scopes) holds an `await` whose
 * operand mentions NAME, or a call `NAME.cancel()`. */
static bool waits_for(const struct rule_ctx *ctx, TSNode n, TSNode name, bool in_await)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_scope_node(n))
		return false;
	if (syntax_type_is(n, "await"))
		in_await = true;
	if (syntax_type_is(n, "identifier") &&
	    ts_node_end_byte(n) - ts_node_start_byte(n) ==
	    ts_node_end_byte(name) - ts_node_start_byte(name) &&
	    !memcmp(ctx->src->text + ts_node_start_byte(n), ctx->src->text + ts_node_start_byte(name),
		    ts_node_end_byte(n) - ts_node_start_byte(n))) {
		TSNode p = tree_parent(n), gp = tree_parent(p);

		if (in_await)
			return true;
		if (syntax_type_is(p, "attribute") && syntax_type_is(gp, "call") &&
		    rule_text_is(ctx, ts_node_child_by_field_name(p, "attribute", 9), "cancel"))
			return true;
	}
	for (uint32_t i = 0; i < count; i++)
		if (waits_for(ctx, ts_node_named_child(n, i), name, in_await))
			return true;
	return false;
}

/* True when each run of the loop body waits for the tasks it starts at
 * `call`: the call is awaited at once, runs inside a task group entered in
 * the loop (`async with X(..) as tg:`), or its task goes to a name that
 * the loop body awaits or cancels (a ping task per reconnect). */
static bool awaited_in_loop(const struct rule_ctx *ctx, TSNode call, TSNode loop)
{
	for (TSNode p = tree_parent(call); !ts_node_is_null(p) && !same(p, loop);
	     p = tree_parent(p)) {
		if (syntax_type_is(p, "await"))
			return true;
		if (syntax_type_is(p, "with_statement") && syntax_is_async(p)) {
			TSNode clause = ts_node_named_child(p, 0);
			TSNode item = ts_node_named_child_count(clause) ?
				      ts_node_named_child(clause, 0) : no_node;
			TSNode value = ts_node_child_by_field_name(item, "value", 5);

			if (syntax_type_is(value, "as_pattern"))
				value = ts_node_named_child(value, 0);
			if (syntax_type_is(value, "call"))
				return true;
		}
		if (syntax_type_is(p, "assignment")) {
			TSNode left = ts_node_child_by_field_name(p, "left", 4);

			return syntax_type_is(left, "identifier") &&
			       waits_for(ctx, ts_node_child_by_field_name(loop, "body", 4), left, false);
		}
	}
	return false;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True when `text` mentions a semaphore or a limiter: the words, or a
 * name such as `sem`, `_sem`, `self.sem1`. */
static bool mentions_limit(const char *t, uint32_t len)
{
	static const char *const words[] = { "semaphore", "limiter", "limit", NULL };

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

/* True when the name or attribute chain `x` is assigned somewhere in the
 * subtree `n` (outside nested scopes). */
static bool assigns(const struct rule_ctx *ctx, TSNode n, TSNode x)
{
	uint32_t count = ts_node_named_child_count(n), xl, l;
	const char *xt = rule_text(ctx, x, &xl), *t;

	if (is_scope_node(n))
		return false;
	if (syntax_type_is(n, "assignment") || syntax_type_is(n, "augmented_assignment")) {
		t = rule_text(ctx, ts_node_child_by_field_name(n, "left", 4), &l);
		if (l == xl && !memcmp(t, xt, l))
			return true;
	}
	for (uint32_t i = 0; i < count; i++)
		if (assigns(ctx, ts_node_named_child(n, i), x))
			return true;
	return false;
}

/* True when the subtree `n` (outside nested scopes) holds a limiter held
 * around the work: `async with X:` or `await X.acquire()`, X a name or
 * attribute that mentions a semaphore or limiter and is not assigned in
 * `fresh` (the per-item work: a limiter made there bounds nothing);
 * `async with` only when WITH is set. */
static bool holds_limiter(const struct rule_ctx *ctx, TSNode n, TSNode fresh, bool with)
{
	uint32_t count = ts_node_named_child_count(n);
	TSNode x = no_node;

	if (is_scope_node(n))
		return false;
	if (syntax_type_is(n, "with_item")) {
		TSNode p = tree_parent(tree_parent(n));

		x = ts_node_child_by_field_name(n, "value", 5);
		if (!with || !syntax_type_is(p, "with_statement") || !syntax_is_async(p))
			x = no_node;
	} else if (syntax_type_is(n, "await") &&
		   syntax_type_is(ts_node_named_child(n, 0), "call")) {
		TSNode fn = ts_node_child_by_field_name(ts_node_named_child(n, 0), "function", 8);

		if (syntax_type_is(fn, "attribute") &&
		    rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "acquire"))
			x = ts_node_child_by_field_name(fn, "object", 6);
	}
	if ((syntax_type_is(x, "identifier") || syntax_type_is(x, "attribute"))) {
		uint32_t len;
		const char *t = rule_text(ctx, x, &len);

		if (mentions_limit(t, len) && !assigns(ctx, fresh, x))
			return true;
	}
	for (uint32_t i = 0; i < count; i++)
		if (holds_limiter(ctx, ts_node_named_child(n, i), fresh, with))
			return true;
	return false;
}

/* The definition of the function a coroutine call calls: a `def NAME` of
 * the functions around `at` or of the module, or `self.NAME` of the
 * enclosing class. */
static TSNode callee_def(const struct rule_ctx *ctx, TSNode coro)
{
	TSNode fn = syntax_type_is(coro, "call") ?
		    ts_node_child_by_field_name(coro, "function", 8) : no_node;
	TSNode name = fn;

	if (syntax_type_is(fn, "attribute") &&
	    rule_text_is(ctx, ts_node_child_by_field_name(fn, "object", 6), "self"))
		name = ts_node_child_by_field_name(fn, "attribute", 9);
	if (!syntax_type_is(name, "identifier"))
		return no_node;
	for (TSNode p = tree_parent(coro); !ts_node_is_null(p); p = tree_parent(p)) {
		TSNode body = ts_node_child_by_field_name(p, "body", 4);
		uint32_t count;

		if (!syntax_type_is(p, "function_definition") &&
		    !syntax_type_is(p, "class_definition") && !syntax_type_is(p, "module"))
			continue;
		if (syntax_type_is(p, "module"))
			body = p;
		if (syntax_type_is(p, "class_definition") && !syntax_type_is(fn, "attribute"))
			continue;
		count = ts_node_named_child_count(body);
		for (uint32_t i = 0; i < count; i++) {
			TSNode d = ts_node_named_child(body, i);

			if (syntax_type_is(d, "decorated_definition"))
				d = ts_node_child_by_field_name(d, "definition", 10);
			if (syntax_type_is(d, "function_definition")) {
				uint32_t a, b;
				const char *ta = rule_text(ctx, ts_node_child_by_field_name(d, "name", 4), &a);
				const char *tb = rule_text(ctx, name, &b);

				if (a == b && !memcmp(ta, tb, a))
					return d;
			}
		}
	}
	return no_node;
}

/* True when a limiter bounds the tasks `call` starts in `loop`: the loop
 * body takes it (`await sem.acquire()`) or the coroutine's function holds
 * one made outside it (`async with semaphore:` in the standard's
 * bounded_fetch). */
static bool limited(const struct rule_ctx *ctx, TSNode loop, TSNode coro)
{
	TSNode body = ts_node_child_by_field_name(loop, "body", 4), def;

	/* in the loop, `async with` would hold it only while the task is
	 * created: `await X.acquire()` counts, released when a task is done */
	if (!ts_node_is_null(body) && holds_limiter(ctx, body, body, false))
		return true;
	def = callee_def(ctx, coro);
	if (ts_node_is_null(def))
		return false;
	body = ts_node_child_by_field_name(def, "body", 4);
	return holds_limiter(ctx, body, body, true);
}

static int check_unbounded(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), comp = rule_capture(ctx, match, "comp");
	TSNode def = rule_enclosing_function(call), loop = no_node, coro;
	const char *what;

	if (!is_async_def(def))
		return 0;
	if (!ts_node_is_null(comp)) {
		/* gather / wait / as_completed over a comprehension: a collection
		 * in hand, unless it reads an async stream */
		TSNode fn = ts_node_child_by_field_name(call, "function", 8);
		struct buf q = BUF_INIT;
		bool runner = false;

		if (scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
			for (int i = 0; runners[i]; i++)
				runner |= !strcmp(buf_cstr(&q), runners[i]);
		buf_release(&q);
		coro = ts_node_child_by_field_name(comp, "body", 4);
		if (!runner || !async_comprehension(comp) ||
		    (syntax_type_is(coro, "call") && is_spawn(ctx, coro)))
			return 0;	/* a task-starting call in it gets the finding */
		if (limited(ctx, comp, coro))
			return 0;
		rule_report(ctx, &transform_unbounded_tasks, call,
			    "every coroutine of an `async for` comprehension runs at once, with no "
			    "bound; limit them with an `asyncio.Semaphore` held around the work, "
			    "or a fixed pool of workers reading an `asyncio.Queue`");
		return 0;
	} else {
		TSNode args = ts_node_child_by_field_name(call, "arguments", 9);

		if (!is_spawn(ctx, call) || !find_unbounded_loop(call, &loop))
			return 0;
		coro = syntax_type_is(args, "argument_list") && ts_node_named_child_count(args) ?
		       ts_node_named_child(args, 0) : no_node;
	}
	if (awaited_in_loop(ctx, call, loop) || limited(ctx, loop, coro))
		return 0;
	what = syntax_type_is(loop, "while_statement") ? "a `while` loop" :
	       syntax_type_is(loop, "for_statement") ? "an `async for` loop" :
	       "an `async for` comprehension";
	rule_report(ctx, &transform_unbounded_tasks, call,
		    "tasks are started in %s with no bound on how many run at once; limit them "
		    "with an `asyncio.Semaphore` held around the work, or a fixed pool of workers "
		    "reading an `asyncio.Queue`", what);
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
	.in_async_def = true,
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
	.summary = "tasks created with no bound (a while loop, async for over a stream) -> report",
	.fix = FIX_NONE,
	.query = task_spawn_scm,
	.in_async_def = true,
	.tokens = loop_tokens,
	.check = check_unbounded,
	.finds = "In an `async def`, a task started (`create_task`, `ensure_future`, "
		 "`start_soon`) with no bound on how many run at once: in a `while` loop, an "
		 "`async for` loop over a stream or queue, or an `async for` comprehension "
		 "(also one handed to `gather`/`wait`/`as_completed`). Not reported: a loop "
		 "run that waits for its task (awaits it, cancels it, or starts it in a task "
		 "group entered in the loop); a limiter (a name or attribute that says "
		 "semaphore or limiter, not made in the per-item work) held around the work "
		 "(`async with` in the coroutine's function, or `await X.acquire()` in the "
		 "loop); and a fan-out over a collection in hand (a `for` loop, a "
		 "comprehension, gather, TaskGroup or as_completed over ids, a list, a "
		 "`range`), whose size the caller chose, as the standard's own examples do.",
	.why = "A loop that reads a stream and starts a task per item runs every item at "
	       "once: thousands of connections, open files or requests against a server, "
	       "bounded only by how fast items arrive. The standard forbids creating tasks "
	       "in a loop without a limit.",
	.standard = standard_unbounded,
	.fix_text = "None: the finding is a report. Take an `asyncio.Semaphore(N)` created "
		    "before the loop (`await semaphore.acquire()` before the task, released "
		    "when it is done, or `async with semaphore:` around the work), or start N "
		    "workers (`for _ in range(N)`) that take items from an `asyncio.Queue`, as "
		    "the standard shows.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def serve(queue, handle):\n"
			  "    while True:\n"
			  "        item = await queue.get()\n"
			  "        asyncio.create_task(handle(item))\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def serve(queue, handle, limit=10):\n"
			 "    semaphore = asyncio.Semaphore(limit)\n"
			 "    while True:\n"
			 "        item = await queue.get()\n"
			 "        await semaphore.acquire()\n"
			 "        task = asyncio.create_task(handle(item))\n"
			 "        task.add_done_callback(lambda _: semaphore.release())\n",
};
