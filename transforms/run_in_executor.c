/*
 * AM104: `await loop.run_in_executor(None, f, *args)` in a coroutine. An
 * explicit executor (a process pool, a sized thread pool, any expression
 * but `None`) is what the standard prescribes for CPU and blocking work:
 * it is not reported.
 *
 * Fix (unsafe, 3.9): `await asyncio.to_thread(f, *args)`, and
 * `functools.partial(g, *a, **k)` as f becomes `asyncio.to_thread(g, *a,
 * **k)`. It differs in two ways: the worker sees the caller's contextvars
 * (run_in_executor runs it in an empty context), and the work is submitted
 * when awaited, not when the call is made. The loop must be the running
 * one: `asyncio.get_running_loop()`/`get_event_loop()` inline, or a local
 * of the coroutine assigned only from them. Reported instead: another
 * executor, a result that is not awaited at once, a loop from elsewhere,
 * keyword or unpacked arguments, a comment the edit would drop, anyio/trio
 * modules.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "run_in_executor.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "run_in_executor", NULL };

/* True when `n` is a call of asyncio.get_running_loop() or
 * asyncio.get_event_loop() with no arguments. */
static bool is_loop_getter(const struct rule_ctx *ctx, TSNode n)
{
	TSNode fn, args;
	struct buf q = BUF_INIT;
	bool yes;

	n = syntax_unwrap_parens(n);
	if (ts_node_is_null(n) || strcmp(ts_node_type(n), "call"))	/* `x: T` has no value */
		return false;
	fn = ts_node_child_by_field_name(n, "function", 8);
	args = ts_node_child_by_field_name(n, "arguments", 9);
	if (ts_node_is_null(fn) || syntax_positional(args, NULL, 0) != 0)
		return false;
	yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      (!strcmp(q.ptr, "asyncio.get_running_loop") ||
	       !strcmp(q.ptr, "asyncio.get_event_loop") ||
	       !strcmp(q.ptr, "asyncio.events.get_running_loop") ||
	       !strcmp(q.ptr, "asyncio.events.get_event_loop"));
	buf_release(&q);
	return yes;
}

/* True when the local `name` of coroutine `fn` is bound only by
 * assignments of the running loop. */
static bool is_running_loop_local(const struct rule_ctx *ctx, TSNode fn, TSNode name)
{
	struct vec ids = VEC_INIT(TSNode);
	uint32_t len;
	const char *t = rule_text(ctx, name, &len);
	size_t assigned = 0;
	bool ok = true;

	syntax_find_names(ctx, fn, t, len, &ids);
	for (size_t i = 0; i < ids.len && ok; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i), p = tree_parent(id);

		if (!syntax_is_store(id))
			continue;
		if (!syntax_owned_by(fn, id) && !strcmp(ts_node_type(p), "nonlocal_statement"))
			ok = false;
		else if (!syntax_owned_by(fn, id))
			continue;	/* a nested scope's own name */
		else if (!strcmp(ts_node_type(p), "assignment") &&
			 ts_node_start_byte(ts_node_child_by_field_name(p, "left", 4)) ==
				 ts_node_start_byte(id) &&
			 is_loop_getter(ctx, ts_node_child_by_field_name(p, "right", 5)))
			assigned++;
		else
			ok = false;
	}
	vec_release(&ids);
	return ok && assigned > 0;
}

/* The `await` right around `call` (parentheses allowed), if any. */
static bool awaited_at_once(TSNode call)
{
	TSNode p = tree_parent(call);

	while (!ts_node_is_null(p) && !strcmp(ts_node_type(p), "parenthesized_expression"))
		p = tree_parent(p);
	return !ts_node_is_null(p) && !strcmp(ts_node_type(p), "await");
}

/* The positional arguments of the call: all but the first two may be
 * `*args`; keywords and `**` are refused. Returns the count or -1. */
static int executor_args(TSNode args, TSNode out[2])
{
	uint32_t count = ts_node_named_child_count(args);
	int n = 0;

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);
		const char *t = ts_node_type(c);

		if (!strcmp(t, "comment"))
			continue;
		if (!strcmp(t, "keyword_argument") || !strcmp(t, "dictionary_splat") ||
		    (n < 2 && (!strcmp(t, "list_splat") || !strcmp(t, "parenthesized_list_splat"))))
			return -1;
		if (n < 2)
			out[n] = c;
		n++;
	}
	return n;
}

/* Adds the edits that unwrap `functools.partial(g, ..)` given as the
 * function, when it is one and the last argument. Returns 1 when done, 0
 * when `func` is not such a partial, -1 when a comment would be lost. */
static int unwrap_partial(const struct rule_ctx *ctx, struct finding *f, TSNode call_args,
			  TSNode func)
{
	TSNode fn = ts_node_child_by_field_name(func, "function", 8);
	TSNode pargs = ts_node_child_by_field_name(func, "arguments", 9), first, last;
	struct buf q = BUF_INIT;
	uint32_t count, i, n;
	bool partial;

	if (strcmp(ts_node_type(func), "call") || ts_node_is_null(fn) ||
	    strcmp(ts_node_type(pargs), "argument_list"))
		return 0;
	partial = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
		  !strcmp(q.ptr, "functools.partial");
	buf_release(&q);
	if (!partial)
		return 0;
	/* the partial must be the last argument of run_in_executor */
	count = ts_node_named_child_count(call_args);
	for (i = count; i > 0; i--)
		if (strcmp(ts_node_type(ts_node_named_child(call_args, i - 1)), "comment"))
			break;
	if (i == 0 || ts_node_start_byte(ts_node_named_child(call_args, i - 1)) !=
			      ts_node_start_byte(func))
		return 0;
	first = last = ts_node_named_child(pargs, 0);
	count = ts_node_named_child_count(pargs);
	for (i = 0, n = 0; i < count; i++) {
		TSNode c = ts_node_named_child(pargs, i);

		if (!strcmp(ts_node_type(c), "comment"))
			continue;
		if (!n++)
			first = c;
		last = c;
	}
	if (!n || !strcmp(ts_node_type(first), "keyword_argument") ||
	    !strcmp(ts_node_type(first), "list_splat") ||
	    !strcmp(ts_node_type(first), "dictionary_splat"))
		return 0;
	if (syntax_comment_in(func, ts_node_start_byte(func), ts_node_start_byte(first)) ||
	    syntax_comment_in(func, ts_node_end_byte(last), ts_node_end_byte(func)))
		return -1;
	rule_edit(f, ts_node_start_byte(func), ts_node_start_byte(first), "");
	rule_edit(f, ts_node_end_byte(last), ts_node_end_byte(func), "");
	rule_root_name(ctx, fn, &q);
	rule_need(f, NEED_DROP, buf_cstr(&q));	/* `import functools` may be unused now */
	buf_release(&q);
	return 1;
}

const char *run_in_executor_fix(struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	TSNode loop = ts_node_child_by_field_name(fn, "object", 6);
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9), pos[2];
	struct buf name = BUF_INIT;
	const char *reason = NULL;
	int n;

	n = executor_args(args, pos);
	if (n < 2) {
		reason = "unusual-arguments";
		goto done;
	}
	if (strcmp(ts_node_type(pos[0]), "none")) {
		reason = "executor-not-default";
		goto done;
	}
	if (!awaited_at_once(call)) {
		reason = "executor-future-used";
		goto done;
	}
	loop = syntax_unwrap_parens(loop);
	if (!is_loop_getter(ctx, loop) &&
	    !(!strcmp(ts_node_type(loop), "identifier") &&
	      is_running_loop_local(ctx, rule_enclosing_function(call), loop))) {
		reason = "executor-foreign-loop";
		goto done;
	}
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		reason = "non-asyncio-runtime";
		goto done;
	}
	if (syntax_comment_in(args, ts_node_start_byte(pos[0]), ts_node_start_byte(pos[1]))) {
		reason = "comment-would-be-lost";
		goto done;
	}
	if (rule_module_ref(ctx, f, ts_node_start_byte(call), "asyncio", &name) < 0) {
		reason = "import-name-shadowed";
		goto done;
	}
	if (is_loop_getter(ctx, loop)) {
		/* `from asyncio import get_event_loop` may be unused now (not
		 * the asyncio binding the new call uses) */
		struct buf root = BUF_INIT;

		rule_root_name(ctx, ts_node_child_by_field_name(syntax_unwrap_parens(loop),
								 "function", 8), &root);
		if (strcmp(buf_cstr(&root), buf_cstr(&name)))
			rule_need(f, NEED_DROP, buf_cstr(&root));
		buf_release(&root);
	}
	buf_puts(&name, ".to_thread");
	rule_edit(f, ts_node_start_byte(fn), ts_node_end_byte(fn), buf_cstr(&name));
	rule_edit(f, ts_node_start_byte(pos[0]), ts_node_start_byte(pos[1]), "");
	if (unwrap_partial(ctx, f, args, pos[1]) < 0)
		reason = "comment-would-be-lost";
done:
	buf_release(&name);
	return reason;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fn = rule_capture(ctx, match, "fn");
	TSNode loop = ts_node_child_by_field_name(fn, "object", 6);
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9), pos[2];
	struct finding *f;
	const char *reason;

	if (ts_node_is_null(loop) || scope_context_at(ctx->scopes, ts_node_start_byte(call)) !=
					     CONTEXT_ASYNC)
		return 0;
	/* an explicit executor (a process pool for CPU work, a sized thread
	 * pool) is what the standard prescribes: only the default one is
	 * reported */
	if (!ts_node_is_null(args) && executor_args(args, pos) >= 1 &&
	    strcmp(ts_node_type(pos[0]), "none"))
		return 0;
	f = rule_report(ctx, &transform_run_in_executor, call,
			"`run_in_executor(None, ..)` in a coroutine; use `asyncio.to_thread` "
			"(the function then sees the caller's contextvars and starts when awaited)");
	if ((reason = run_in_executor_fix(ctx, f, call)))
		rule_no_fix(f, reason);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"1. **使用 asyncio** - Python 3.11+ 优先使用 `asyncio` 而非其他异步框架",
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const reasons[] = {
	"executor-future-used", "the returned future is not awaited at once (stored, passed to "
	"`gather`, cancelled): `run_in_executor` submits the work at the call, `to_thread` only "
	"when awaited",
	"executor-foreign-loop", "the loop is not the running one taken in this coroutine "
	"(`self.loop`, a parameter, a loop from another thread)",
	"unusual-arguments", "fewer than two arguments, keyword arguments, or `*args` in place "
	"of the executor or the function",
	"comment-would-be-lost", "a comment sits in the text the edit removes",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_run_in_executor = {
	.code = "AM104",
	.name = "run-in-executor-to-thread",
	.summary = "await loop.run_in_executor(None, f, *a) -> await asyncio.to_thread(f, *a)",
	.fix = FIX_UNSAFE,
	.query = run_in_executor_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call of `LOOP.run_in_executor(None, ..)` in a coroutine: the default "
		 "executor. An explicit executor (a process pool for CPU work, a sized thread "
		 "pool, any expression but `None`) is what the standard prescribes and is not "
		 "reported. It is fixed when the result is awaited at once, and LOOP is "
		 "`asyncio.get_running_loop()`/`asyncio.get_event_loop()` or a local of the "
		 "coroutine assigned only from them.",
	.why = "`asyncio.to_thread` (Python 3.9+) is the same default-executor call written "
	       "as a coroutine, with keyword arguments and without reaching for the loop. The "
	       "standard's baseline is asyncio on Python 3.11+.",
	.standard = standard,
	.fix_text = "`await loop.run_in_executor(None, f, *args)` becomes "
		    "`await asyncio.to_thread(f, *args)`; `functools.partial(g, *a, **k)` as "
		    "the function becomes `asyncio.to_thread(g, *a, **k)`. What changes: the "
		    "function runs in a copy of the caller's contextvars context (with "
		    "run_in_executor it saw the defaults), and the work starts when awaited, not "
		    "when the call is made. A `loop = ...` left unused stays.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def checksum(path, digest):\n"
			  "    loop = asyncio.get_running_loop()\n"
			  "    return await loop.run_in_executor(None, digest, path)\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def checksum(path, digest):\n"
			 "    loop = asyncio.get_running_loop()\n"
			 "    return await asyncio.to_thread(digest, path)\n",
};
