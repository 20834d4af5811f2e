/*
 * AM113: a blocking wait of thread synchronisation in an async function:
 * `Event.wait()`, `Thread.join()`, `Barrier.wait()`,
 * `concurrent.futures.Future.result()`/`.exception()`,
 * `concurrent.futures.wait(..)`, `Queue.join()`, `Queue.get()`,
 * `Lock/RLock/Semaphore.acquire()`, `Condition.wait()/wait_for()`, and
 * `with lock:` around an `await`; multiprocessing's events, locks,
 * queues and processes alike. The receiver's class comes from
 * src/receiver.c (a constructor, an annotation, a module global,
 * `self.x` set in the class, `executor.submit(..)`). Calls that cannot
 * block are left alone: `acquire(False)`, `get(block=False)`, a timeout
 * of 0, the `_nowait` methods, and polled waits: under an `if` that
 * asks the object whether it is ready (`fut.done()`, `ev.is_set()`,
 * `q.empty()`, ..) or after a `while` loop in the block that does.
 *
 * Each decision turns on what happens when the awaiting task is
 * cancelled while a worker thread waits for it:
 *
 * - Event.wait, Thread.join, Barrier.wait, Future.result/exception,
 *   concurrent.futures.wait and Queue.join consume nothing: the fix is
 *   `await asyncio.to_thread(x.wait, ..)`, the same call in a worker
 *   thread. Unsafe: a cancelled task leaves the thread waiting (without a
 *   timeout maybe for ever, and asyncio.run's exit waits for the default
 *   executor's threads); each wait holds one of the executor's few
 *   workers, so waits on work that itself needs a worker can starve; a
 *   cancelled concurrent future's CancelledError (an Exception) comes out
 *   of to_thread as asyncio.CancelledError (a BaseException).
 * - Queue.get takes an item: in a thread whose task was cancelled, the
 *   item is taken and lost. Reported (`item-lost-if-cancelled`).
 * - Lock/RLock/Semaphore.acquire: acquired in a thread whose task was
 *   cancelled, the lock is never released; an RLock belongs to the thread
 *   that acquired it, so the loop's thread could not release it anyway.
 *   Reported (`acquired-if-cancelled`).
 * - Condition.wait/wait_for need the condition's lock held by the calling
 *   thread, which a worker thread does not hold. Reported
 *   (`lock-held-by-caller`).
 * - `with lock:` whose body awaits: other tasks of the same loop run while
 *   the lock is held; one that takes the same Lock blocks the loop for
 *   ever, and an RLock lets it straight in. Reported
 *   (`thread-lock-across-await`). A body without an await is a short
 *   critical section shared with threads and is not reported.
 *
 * `Queue.put` is not reported: it blocks only on a bounded queue, which
 * the receiver's class does not tell.
 */
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "syntax.h"
#include "thread_wait.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = {
	"threading", "queue", "multiprocessing", "concurrent", "run_coroutine_threadsafe", NULL,
};

enum wait_kind {
	WAIT_NONE,
	WAIT_FIX,		/* to_thread, unsafe */
	WAIT_GET,		/* Queue.get: report */
	WAIT_ACQUIRE,		/* Lock.acquire: report */
	WAIT_CONDITION,		/* Condition.wait: report */
};

/* What waits: class, method, its kind, and where its timeout and its
 * `block`/`blocking` flag are (position, keyword; -1/NULL: none). */
static const struct waiter {
	const char *cls, *method;
	enum wait_kind kind;
	int block_pos;
	const char *block_kw;
	int timeout_pos;
	const char *timeout_kw;
} waiters[] = {
	{ "threading.Event", "wait", WAIT_FIX, -1, NULL, 0, "timeout" },
	{ "threading.Thread", "join", WAIT_FIX, -1, NULL, 0, "timeout" },
	{ "threading.Barrier", "wait", WAIT_FIX, -1, NULL, 0, "timeout" },
	{ "concurrent.futures.Future", "result", WAIT_FIX, -1, NULL, 0, "timeout" },
	{ "concurrent.futures.Future", "exception", WAIT_FIX, -1, NULL, 0, "timeout" },
	{ "queue.Queue", "join", WAIT_FIX, -1, NULL, -1, NULL },
	{ "queue.Queue", "get", WAIT_GET, 0, "block", 1, "timeout" },
	{ "threading.Lock", "acquire", WAIT_ACQUIRE, 0, "blocking", 1, "timeout" },
	{ "threading.RLock", "acquire", WAIT_ACQUIRE, 0, "blocking", 1, "timeout" },
	{ "threading.Semaphore", "acquire", WAIT_ACQUIRE, 0, "blocking", 1, "timeout" },
	{ "threading.Condition", "acquire", WAIT_ACQUIRE, 0, "blocking", 1, "timeout" },
	{ "threading.Condition", "wait", WAIT_CONDITION, -1, NULL, 0, "timeout" },
	{ "threading.Condition", "wait_for", WAIT_CONDITION, -1, NULL, 1, "timeout" },
};

/* The argument at position `pos` or by keyword `kw` (its value); a null
 * node when absent. Sets `*unknown` for a `*args`/`**kw` splat. */
static TSNode argument(const struct rule_ctx *ctx, TSNode args, int pos, const char *kw,
		       bool *unknown)
{
	TSNode none = { { 0 }, NULL, NULL };
	int at = 0;

	for (uint32_t i = 0, n = ts_node_named_child_count(args); i < n; i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "comment"))
			continue;
		if (syntax_type_is(a, "list_splat") || syntax_type_is(a, "dictionary_splat")) {
			*unknown = true;
			continue;
		}
		if (syntax_type_is(a, "keyword_argument")) {
			if (kw && rule_text_is(ctx, syntax_field(a, "name"), kw))
				return syntax_field(a, "value");
			continue;
		}
		if (at++ == pos)
			return a;
	}
	return none;
}

/* True when the call cannot block (`blocking=False`/`block=False`, a
 * timeout of 0) or may not (a `*args`/`**kw` splat could say so). */
static bool cannot_block(const struct rule_ctx *ctx, TSNode call, const struct waiter *w)
{
	TSNode args = syntax_field(call, "arguments");
	bool unknown = false;
	TSNode b, t;

	if (!syntax_type_is(args, "argument_list"))
		return false;
	b = w->block_kw ? argument(ctx, args, w->block_pos, w->block_kw, &unknown)
			: (TSNode){ { 0 }, NULL, NULL };
	t = w->timeout_kw ? argument(ctx, args, w->timeout_pos, w->timeout_kw, &unknown)
			  : (TSNode){ { 0 }, NULL, NULL };
	if (unknown)
		return true;
	if (!ts_node_is_null(b) &&
	    (syntax_type_is(b, "false") || rule_text_is(ctx, b, "0")))
		return true;
	return !ts_node_is_null(t) && (rule_text_is(ctx, t, "0") || rule_text_is(ctx, t, "0.0"));
}

/* The reason a report-only wait gives. */
static const char *reason_of(enum wait_kind kind)
{
	return kind == WAIT_GET ? "item-lost-if-cancelled"
	       : kind == WAIT_ACQUIRE ? "acquired-if-cancelled"
				      : "lock-held-by-caller";
}

static int report_futures_wait(struct rule_ctx *ctx, TSNode call, enum resolution r,
			       enum scope_context where)
{
	struct finding *f = rule_report(ctx, &transform_thread_wait, call,
					"`concurrent.futures.wait` blocks the event loop until the "
					"futures are done; use `await asyncio.to_thread(..)` or "
					"`asyncio.wait` over `asyncio.wrap_future(..)`");

	rule_fix_in_thread(ctx, f, call, r, where);
	return 0;
}

/* An `await`, `async for` or `async with` under `n`, nested definitions
 * left out. */
static enum syntax_step find_await(TSNode n, void *arg)
{
	(void)arg;
	if (syntax_is_def_scope(n))
		return SYNTAX_WALK_PAST;
	if (syntax_type_is(n, "await"))
		return SYNTAX_WALK_STOP;
	if ((syntax_type_is(n, "with_statement") || syntax_type_is(n, "for_statement")) &&
	    syntax_is_async(n))
		return SYNTAX_WALK_STOP;
	return SYNTAX_WALK_INTO;
}

/* Methods that tell whether a wait would return at once. */
static const char *const probes[] = {
	"done", "is_set", "is_alive", "empty", "qsize", "full", "locked", NULL,
};

/* True when `cond` asks `obj` (text) whether it is ready:
 * `fut.done()`, `ev.is_set()`, `q.empty()`, .. */
static bool asks_ready(const struct rule_ctx *ctx, TSNode cond, const char *obj, uint32_t olen)
{
	uint32_t len;
	const char *t = rule_text(ctx, cond, &len);

	for (size_t i = 0; probes[i]; i++) {
		size_t plen = strlen(probes[i]);

		for (const char *at = t; (at = memmem(at, len - (uint32_t)(at - t), obj, olen));
		     at++) {
			const char *dot = at + olen;

			if (at > t && (at[-1] == '_' || at[-1] == '.' ||
				       (at[-1] >= 'a' && at[-1] <= 'z') ||
				       (at[-1] >= 'A' && at[-1] <= 'Z') ||
				       (at[-1] >= '0' && at[-1] <= '9')))
				continue;
			if (dot + 1 + plen + 1 < t + len && *dot == '.' &&
			    !memcmp(dot + 1, probes[i], plen) && dot[1 + plen] == '(')
				return true;
		}
	}
	return false;
}

/* True when the wait is polled, not blocking: under an `if` (or a
 * conditional expression) that asks the object whether it is ready, or after a `while` loop in the same block that does
 * (`while q.empty(): await asyncio.sleep(0)` then `q.get()`). */
static bool polled(const struct rule_ctx *ctx, TSNode call, TSNode obj)
{
	uint32_t olen;
	const char *o = rule_text(ctx, obj, &olen);
	TSNode fn = rule_enclosing_function(call);

	for (TSNode n = call, p = tree_parent(n); !ts_node_is_null(p) && !syntax_node_eq(n, fn);
	     n = p, p = tree_parent(p)) {
		TSNode cond = syntax_field(p, "condition");

		if ((syntax_type_is(p, "if_statement") || syntax_type_is(p, "elif_clause")) &&
		    !syntax_node_eq(cond, n) && !ts_node_is_null(cond) &&
		    asks_ready(ctx, cond, o, olen))
			return true;
		if (syntax_type_is(p, "conditional_expression") &&
		    asks_ready(ctx, ts_node_named_child(p, 1), o, olen))
			return true;
		if (syntax_type_is(p, "block"))
			for (TSNode b = ts_node_prev_named_sibling(n); !ts_node_is_null(b);
			     b = ts_node_prev_named_sibling(b))
				if (syntax_type_is(b, "while_statement") &&
				    asks_ready(ctx, syntax_field(b, "condition"), o, olen))
					return true;
	}
	return false;
}

static int check_method(struct rule_ctx *ctx, const TSQueryMatch *match, TSNode call)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode obj = rule_capture(ctx, match, "obj");
	TSNode m = syntax_field(syntax_field(call, "function"), "attribute");
	const struct waiter *w = NULL;
	enum scope_context where;
	struct buf name = BUF_INIT, q = BUF_INIT;
	struct finding *f;
	uint32_t olen;
	const char *t, *otext;

	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		return 0;
	/* `concurrent.futures.wait(..)` through the module's name */
	if (rule_text_is(ctx, m, "wait")) {
		enum resolution r = scope_resolve_expr(ctx->scopes, syntax_field(call, "function"), &q);
		bool is_wait = (r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) &&
			       !strcmp(buf_cstr(&q), "concurrent.futures.wait");

		buf_release(&q);
		if (is_wait)
			return report_futures_wait(ctx, call, r, where);
	}
	t = receiver_type(&rc, obj);
	if (!t)
		return 0;
	syntax_node_text(ctx, m, &name);
	for (size_t i = 0; i < sizeof(waiters) / sizeof(waiters[0]); i++)
		if (!strcmp(waiters[i].cls, t) && !strcmp(waiters[i].method, buf_cstr(&name)))
			w = &waiters[i];
	if (!w || cannot_block(ctx, call, w) || polled(ctx, call, obj)) {
		buf_release(&name);
		return 0;
	}
	otext = rule_text(ctx, obj, &olen);
	if (olen > 40) {
		otext = "x";
		olen = 1;
	}
	if (w->kind == WAIT_FIX) {
		f = rule_report(ctx, &transform_thread_wait, call,
				"`%.*s.%s()` (a `%s`) blocks the event loop until it returns; "
				"use `await asyncio.to_thread(%.*s.%s, ..)`%s", (int)olen, otext,
				buf_cstr(&name), t, (int)olen, otext, buf_cstr(&name),
				!strcmp(t, "concurrent.futures.Future")
					? " or `await asyncio.wrap_future(..)`" : "");
		rule_fix_in_thread(ctx, f, call, RESOLVE_MODULE, where);
	} else {
		f = rule_report(ctx, &transform_thread_wait, call,
				"`%.*s.%s()` (a `%s`) blocks the event loop until it returns; "
				"%s", (int)olen, otext, buf_cstr(&name), t,
				w->kind == WAIT_GET ? "use an `asyncio.Queue` between tasks"
				: w->kind == WAIT_ACQUIRE && !strcmp(t, "threading.Semaphore")
					? "use an `asyncio.Semaphore` between tasks"
				: w->kind == WAIT_ACQUIRE ? "use an `asyncio.Lock` between tasks"
							  : "use an `asyncio.Condition` between tasks");
		rule_no_fix(f, where == CONTEXT_NESTED_SYNC ? "nested-sync-scope"
							    : reason_of(w->kind));
	}
	buf_release(&name);
	return 0;
}

/* `with lock:` (not `async with`) whose body awaits. */
static int check_with(struct rule_ctx *ctx, TSNode with, TSNode lock)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode body = syntax_field(with, "body");
	const char *t;
	uint32_t olen;
	const char *otext;
	struct finding *f;

	if (syntax_is_async(with) || ts_node_is_null(body))
		return 0;
	if (scope_context_at(ctx->scopes, ts_node_start_byte(with)) != CONTEXT_ASYNC)
		return 0;
	t = receiver_type(&rc, lock);
	if (!t || (strcmp(t, "threading.Lock") && strcmp(t, "threading.RLock") &&
		   strcmp(t, "threading.Semaphore") && strcmp(t, "threading.Condition")))
		return 0;
	if (syntax_walk(body, find_await, NULL))
		return 0;	/* no await under it */
	otext = rule_text(ctx, lock, &olen);
	if (olen > 40) {
		otext = "lock";
		olen = 4;
	}
	f = rule_report(ctx, &transform_thread_wait, lock,
			"`with %.*s:` holds a `%s` across an `await`: another task taking it "
			"blocks the event loop; use an `asyncio.Lock` with `async with`", (int)olen,
			otext, t);
	rule_no_fix(f, "thread-lock-across-await");
	return 0;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode mcall = rule_capture(ctx, match, "mcall");
	TSNode with = rule_capture(ctx, match, "with");
	TSNode ref = rule_capture(ctx, match, "ref"), call;
	struct buf q = BUF_INIT;
	enum scope_context where;
	enum resolution r;

	if (!ts_node_is_null(mcall))
		return check_method(ctx, match, mcall);
	if (!ts_node_is_null(with))
		return check_with(ctx, with, rule_capture(ctx, match, "lock"));
	if (ts_node_is_null(ref) || !rule_callee_of(ref, &call))
		return 0;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if ((where == CONTEXT_ASYNC || where == CONTEXT_NESTED_SYNC) &&
	    (r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) &&
	    !strcmp(buf_cstr(&q), "concurrent.futures.wait"))
		report_futures_wait(ctx, call, r, where);
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"核心原则 > ❌ 禁止行为",
	"- 混用同步和异步代码",
	"asyncio 最佳实践 > 限制并发数量",
	"# ✅ 推荐 - 使用 asyncio.Queue 实现工作池",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const reasons[] = {
	"item-lost-if-cancelled", "`Queue.get` run in a worker thread takes the item even when "
	"the awaiting task has been cancelled, and the item is lost: use an `asyncio.Queue` "
	"between tasks (or a queue with both a sync and an async side between threads and tasks)",
	"acquired-if-cancelled", "a lock acquired in a worker thread for a task that has been "
	"cancelled stays acquired for ever, and an `RLock` may only be released by the thread "
	"that acquired it: use an `asyncio.Lock` (or `asyncio.Semaphore`) between tasks",
	"lock-held-by-caller", "`Condition.wait`/`wait_for` need the condition's lock held by "
	"the calling thread, which a worker thread does not hold: use an `asyncio.Condition` "
	"between tasks",
	"thread-lock-across-await", "`with lock:` on a thread lock whose body awaits: another "
	"task of the loop taking the same `Lock` blocks the loop's thread for ever, and an "
	"`RLock` lets it in at once; use an `asyncio.Lock` with `async with`",
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"ambiguous-name", "the name may or may not mean `concurrent.futures.wait` (conditional "
	"imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_thread_wait = {
	.code = "AM113",
	.name = "blocking-thread-wait-in-async-function",
	.summary = "Event.wait/Thread.join/Future.result/Queue.get/Lock.acquire of threading, "
		   "queue, concurrent.futures, multiprocessing in an async function -> "
		   "await asyncio.to_thread(..) or the asyncio primitive",
	.fix = FIX_UNSAFE,
	.query = thread_wait_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call, whose nearest enclosing function is an `async def`, that waits on a "
		 "thread-synchronisation object: `Event.wait()`, `Thread.join()` (also "
		 "`Timer`, `multiprocessing.Process`), `Barrier.wait()`, "
		 "`concurrent.futures.Future.result()`/`.exception()` (a future of "
		 "`executor.submit(..)` or `asyncio.run_coroutine_threadsafe(..)`), "
		 "`concurrent.futures.wait(..)`, `Queue.join()` and `Queue.get()` (every "
		 "queue class of `queue` and `multiprocessing`), `Lock`/`RLock`/`Semaphore`/"
		 "`BoundedSemaphore`/`Condition` `.acquire()`, `Condition.wait()`/"
		 "`wait_for()`, and `with lock:` on such a lock when its body awaits. The "
		 "object's class must be known from the file: a constructor call, an "
		 "annotation (also `Optional[..]`, `X | None`, a string), a module global, "
		 "`self.x` set in the class. Not reported: calls that cannot block "
		 "(`acquire(False)`, `get(block=False)`, a timeout of 0, the `_nowait` "
		 "methods, a wait under an `if` asking `fut.done()`, `ev.is_set()`, "
		 "`q.empty()` and the like, or after a `while` loop in the block that does), `Queue.put` (it blocks only on a bounded queue, which the class "
		 "does not tell), and `with lock:` around code that does not await (a short "
		 "critical section shared with threads).",
	.why = "Each of these waits holds the event loop's thread until another thread acts; "
	       "no other task runs meanwhile, and when the one that would act is a task of "
	       "the same loop (a future of `run_coroutine_threadsafe`, an event set by a "
	       "coroutine) the program deadlocks.",
	.standard = standard,
	.fix_text = "`done.wait()` becomes `await asyncio.to_thread(done.wait)` (arguments "
		    "kept), through the module's asyncio import or alias (one is added when "
		    "there is none), for the waits that take nothing: `Event.wait`, "
		    "`Thread.join`, `Barrier.wait`, `Future.result`/`exception`, "
		    "`concurrent.futures.wait`, `Queue.join`. Unsafe: when the awaiting task is "
		    "cancelled the worker thread keeps waiting (without a timeout perhaps for "
		    "ever, and `asyncio.run` waits for the default executor's threads when it "
		    "ends); each wait holds one of the executor's few workers, so waits for work "
		    "that itself needs a worker can starve; and a cancelled concurrent future's "
		    "`CancelledError` (an `Exception`) comes out as `asyncio.CancelledError`. "
		    "`await asyncio.wrap_future(fut)` waits for a future without a thread. "
		    "`Queue.get`, `acquire` and `Condition.wait` have no fix: in a thread they "
		    "would take an item or a lock for a task that may be gone, or need a lock "
		    "the thread does not hold; the asyncio primitive is the way.",
	.reasons = reasons,
	.example_before = "import threading\n"
			  "\n"
			  "ready = threading.Event()\n"
			  "\n"
			  "\n"
			  "async def start():\n"
			  "    ready.wait()\n",
	.example_after = "import threading\n"
			 "import asyncio\n"
			 "\n"
			 "ready = threading.Event()\n"
			 "\n"
			 "\n"
			 "async def start():\n"
			 "    await asyncio.to_thread(ready.wait)\n",
};
