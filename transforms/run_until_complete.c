/*
 * AM106: `loop.run_until_complete(main())` where `asyncio.run(main())`
 * would do.
 *
 * Input, at module level or in a plain function: `LOOP =
 * asyncio.get_event_loop()` or `asyncio.new_event_loop()`, an optional
 * `asyncio.set_event_loop(LOOP)` and `LOOP.close()` in the same block, and
 * one `LOOP.run_until_complete(C(..))` (or the same call on an inline
 * `asyncio.new_event_loop()`/`get_event_loop()`). Fix (unsafe): the call
 * becomes `asyncio.run(C(..))` and the creation, set_event_loop and close
 * statements go. asyncio.run differs: it cancels the tasks left running,
 * shuts down async generators and the default executor, closes its loop
 * and leaves no current loop behind. Reported instead: the loop is used in
 * any other way, code after the call asks for the current loop, the
 * argument is not a coroutine call, module-level asyncio objects bound to
 * a loop (py39), anyio/trio modules; and for the current loop
 * (`get_event_loop()`), when other code may share it: a method (a test
 * case's loop), a function taking an `event_loop` fixture, or one that
 * asks for, sets or runs a loop elsewhere. Several run_until_complete on
 * one loop are all reported, so one run reaches its fixed point.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "run_until_complete.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "run_until_complete", NULL };

/* True when `n` is a call of asyncio.get_event_loop() or
 * asyncio.new_event_loop() with no arguments. */
static bool is_loop_maker(const struct rule_ctx *ctx, TSNode n)
{
	TSNode fn, args;
	struct buf q = BUF_INIT;
	bool yes;

	n = syntax_unwrap_parens(n);
	if (ts_node_is_null(n) || strcmp(ts_node_type(n), "call"))
		return false;
	fn = ts_node_child_by_field_name(n, "function", 8);
	args = ts_node_child_by_field_name(n, "arguments", 9);
	if (ts_node_is_null(fn) || syntax_positional(args, NULL, 0) != 0)
		return false;
	yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      (!strcmp(q.ptr, "asyncio.get_event_loop") ||
	       !strcmp(q.ptr, "asyncio.new_event_loop") ||
	       !strcmp(q.ptr, "asyncio.events.get_event_loop") ||
	       !strcmp(q.ptr, "asyncio.events.new_event_loop"));
	buf_release(&q);
	return yes;
}

/* The call of an expression statement holding only a call, or null. */
static TSNode statement_call(TSNode stmt)
{
	TSNode none = { { 0 }, NULL, NULL }, c;

	if (strcmp(ts_node_type(stmt), "expression_statement") ||
	    ts_node_named_child_count(stmt) != 1)
		return none;
	c = ts_node_named_child(stmt, 0);
	return strcmp(ts_node_type(c), "call") ? none : c;
}

/* True when `stmt` is `LOOP = <loop maker>()`. */
static bool creates(const struct rule_ctx *ctx, TSNode stmt, TSNode loop)
{
	TSNode a, left;

	if (strcmp(ts_node_type(stmt), "expression_statement") ||
	    ts_node_named_child_count(stmt) != 1)
		return false;
	a = ts_node_named_child(stmt, 0);
	if (strcmp(ts_node_type(a), "assignment"))
		return false;
	left = ts_node_child_by_field_name(a, "left", 4);
	return !ts_node_is_null(left) && !strcmp(ts_node_type(left), "identifier") &&
	       ts_node_end_byte(left) - ts_node_start_byte(left) ==
		       ts_node_end_byte(loop) - ts_node_start_byte(loop) &&
	       !memcmp(ctx->src->text + ts_node_start_byte(left),
		       ctx->src->text + ts_node_start_byte(loop),
		       ts_node_end_byte(loop) - ts_node_start_byte(loop)) &&
	       is_loop_maker(ctx, ts_node_child_by_field_name(a, "right", 5));
}

/* True when `stmt` is `asyncio.set_event_loop(LOOP)` (`close` false) or
 * `LOOP.close()` (`close` true). */
static bool loop_statement(const struct rule_ctx *ctx, TSNode stmt, TSNode loop, bool close)
{
	TSNode call = statement_call(stmt), fn, args, arg;
	struct buf q = BUF_INIT;
	uint32_t len;
	const char *lt = rule_text(ctx, loop, &len);
	bool yes;

	if (ts_node_is_null(call))
		return false;
	fn = ts_node_child_by_field_name(call, "function", 8);
	args = ts_node_child_by_field_name(call, "arguments", 9);
	if (close) {
		TSNode obj = ts_node_child_by_field_name(fn, "object", 6);

		return !strcmp(ts_node_type(fn), "attribute") && syntax_positional(args, NULL, 0) == 0 &&
		       rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "close") &&
		       !strcmp(ts_node_type(obj), "identifier") &&
		       ts_node_end_byte(obj) - ts_node_start_byte(obj) == len &&
		       !memcmp(ctx->src->text + ts_node_start_byte(obj), lt, len);
	}
	if (syntax_positional(args, &arg, 1) != 1 || strcmp(ts_node_type(arg), "identifier") ||
	    ts_node_end_byte(arg) - ts_node_start_byte(arg) != len ||
	    memcmp(ctx->src->text + ts_node_start_byte(arg), lt, len))
		return false;
	yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      (!strcmp(q.ptr, "asyncio.set_event_loop") ||
	       !strcmp(q.ptr, "asyncio.events.set_event_loop"));
	buf_release(&q);
	return yes;
}

/* The statement holding `n` that is a direct child of a block or the
 * module. */
static TSNode statement_of(TSNode n)
{
	for (TSNode p = tree_parent(n); !ts_node_is_null(p); n = p, p = tree_parent(p))
		if (!strcmp(ts_node_type(p), "block") || !strcmp(ts_node_type(p), "module"))
			return n;
	return n;
}

/* True when a call of asyncio.get_event_loop() lies in [from, region end). */
static bool current_loop_asked(const struct rule_ctx *ctx, TSNode region, uint32_t from)
{
	struct vec ids = VEC_INIT(TSNode);
	struct buf q = BUF_INIT;
	bool yes = false;

	syntax_find_names(ctx, region, "get_event_loop", 14, &ids);
	for (size_t i = 0; i < ids.len && !yes; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i), ref = id, p = tree_parent(id);

		if (ts_node_start_byte(id) < from)
			continue;
		if (!strcmp(ts_node_type(p), "attribute") &&
		    ts_node_start_byte(ts_node_child_by_field_name(p, "attribute", 9)) ==
			    ts_node_start_byte(id))
			ref = p;
		else if (rule_is_name_site(id))
			continue;
		yes = scope_resolve_expr(ctx->scopes, ref, &q) == RESOLVE_MODULE &&
		      (!strcmp(q.ptr, "asyncio.get_event_loop") ||
		       !strcmp(q.ptr, "asyncio.events.get_event_loop"));
	}
	buf_release(&q);
	vec_release(&ids);
	return yes;
}

/* True when the argument of run_until_complete cannot go to asyncio.run:
 * a future factory's result, or (before 3.14) anything but a call. */
static bool not_a_coroutine(const struct rule_ctx *ctx, TSNode arg)
{
	static const char *const futures[] = {
		"asyncio.gather", "asyncio.ensure_future", "asyncio.create_task", "asyncio.shield",
		"asyncio.wrap_future", "asyncio.wait", "asyncio.tasks.gather",
		"asyncio.tasks.ensure_future", NULL,
	};
	TSNode fn;
	struct buf q = BUF_INIT;
	bool yes = false;

	arg = syntax_unwrap_parens(arg);
	if (strcmp(ts_node_type(arg), "call"))
		return ctx->target_minor < 14;
	fn = ts_node_child_by_field_name(arg, "function", 8);
	if (scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
		for (int i = 0; futures[i] && !yes; i++)
			yes = !strcmp(q.ptr, futures[i]);
	if (!strcmp(ts_node_type(fn), "attribute") &&
	    rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "create_task"))
		yes = true;
	buf_release(&q);
	return yes;
}

/* True when (on py39) the module creates asyncio objects at import time,
 * which bind the loop current then, not the one asyncio.run makes. */
static bool module_binds_loop_objects(const struct rule_ctx *ctx)
{
	static const char *const kinds[] = {
		"Queue", "Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Future",
		"PriorityQueue", "LifoQueue", NULL,
	};
	struct vec calls = VEC_INIT(TSNode);
	struct buf q = BUF_INIT;
	bool yes = false;

	if (ctx->target_minor > 9)
		return false;
	syntax_find_owned(ts_tree_root_node(ctx->tree), "call", &calls);
	for (size_t i = 0; i < calls.len && !yes; i++) {
		TSNode fn = ts_node_child_by_field_name(*(TSNode *)vec_at(&calls, i), "function", 8);

		if (ts_node_is_null(fn) || scope_resolve_expr(ctx->scopes, fn, &q) != RESOLVE_MODULE ||
		    strncmp(q.ptr, "asyncio.", 8))
			continue;
		for (int k = 0; kinds[k] && !yes; k++)
			yes = !strcmp(q.ptr + 8, kinds[k]);
	}
	buf_release(&q);
	vec_release(&calls);
	return yes;
}

/* True when the LOOP variable of `region` is referenced outside the
 * `nskip` ranges of `skip` (uses in other scopes that bind their own name
 * do not count). */
static bool loop_used_elsewhere(const struct rule_ctx *ctx, TSNode region, const char *name,
				uint32_t len, const uint32_t *skip, size_t nskip)
{
	struct vec ids = VEC_INIT(TSNode);
	bool module = !strcmp(ts_node_type(region), "module"), yes = false;

	syntax_find_names(ctx, module ? region : ts_node_child_by_field_name(region, "body", 4),
			  name, len, &ids);
	for (size_t i = 0; i < ids.len && !yes; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i);
		uint32_t at = ts_node_start_byte(id);
		bool skipped = rule_is_name_site(id) && !syntax_is_store(id);

		for (size_t k = 0; k < nskip && !skipped; k++)
			skipped = at >= skip[2 * k] && at < skip[2 * k + 1];
		if (skipped)
			continue;
		yes = module ? syntax_means_module(ctx, id) : true;
	}
	vec_release(&ids);
	return yes;
}

/* True when `n` is a call of asyncio.get_event_loop() (the current loop,
 * which other code may share), not new_event_loop(). */
static bool asks_current_loop(const struct rule_ctx *ctx, TSNode n)
{
	TSNode fn;
	struct buf q = BUF_INIT;
	bool yes;

	n = syntax_unwrap_parens(n);
	if (ts_node_is_null(n) || strcmp(ts_node_type(n), "call"))
		return false;
	fn = ts_node_child_by_field_name(n, "function", 8);
	yes = !ts_node_is_null(fn) && scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      (!strcmp(q.ptr, "asyncio.get_event_loop") ||
	       !strcmp(q.ptr, "asyncio.events.get_event_loop"));
	buf_release(&q);
	return yes;
}

/* True when the function `region` is a method (defined in a class body, or
 * its first parameter is `self` or `cls`) or takes a parameter whose name
 * ends in `loop` (the pytest `event_loop` fixture): the current loop then
 * belongs to the test case or fixture that set it. */
static bool shares_caller_loop(const struct rule_ctx *ctx, TSNode region)
{
	TSNode params;
	uint32_t n;

	if (strcmp(ts_node_type(region), "function_definition"))
		return false;
	for (TSNode p = tree_parent(region); !ts_node_is_null(p); p = tree_parent(p)) {
		if (!strcmp(ts_node_type(p), "class_definition"))
			return true;
		if (!strcmp(ts_node_type(p), "function_definition"))
			break;
	}
	params = ts_node_child_by_field_name(region, "parameters", 10);
	n = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
	for (uint32_t i = 0; i < n; i++) {
		TSNode p = ts_node_named_child(params, i), id = p;
		uint32_t len;
		const char *t;

		while (!ts_node_is_null(id) && strcmp(ts_node_type(id), "identifier"))
			id = ts_node_named_child(id, 0);
		if (ts_node_is_null(id))
			continue;
		t = rule_text(ctx, id, &len);
		if (i == 0 && ((len == 4 && !memcmp(t, "self", 4)) ||
			       (len == 3 && !memcmp(t, "cls", 3))))
			return true;
		if (len >= 4 && !memcmp(t + len - 4, "loop", 4))
			return true;
	}
	return false;
}

/* True when code of `region` outside the `nskip` ranges of `skip` (and
 * outside coroutines, where the loop is the running one) asks for, sets,
 * makes or runs an event loop: the current loop is then shared with it. */
static bool other_loop_code(const struct rule_ctx *ctx, TSNode region, const uint32_t *skip,
			    size_t nskip)
{
	static const char *const names[] = {
		"get_event_loop", "set_event_loop", "new_event_loop", "run_until_complete",
		"run_forever", NULL,
	};
	struct vec ids = VEC_INIT(TSNode);
	bool yes = false;

	for (int k = 0; names[k] && !yes; k++) {
		ids.len = 0;
		syntax_find_names(ctx, region, names[k], strlen(names[k]), &ids);
		for (size_t i = 0; i < ids.len && !yes; i++) {
			TSNode id = *(TSNode *)vec_at(&ids, i);
			uint32_t at = ts_node_start_byte(id);
			bool skipped = scope_context_at(ctx->scopes, at) == CONTEXT_ASYNC;

			for (size_t j = 0; j < nskip && !skipped; j++)
				skipped = at >= skip[2 * j] && at < skip[2 * j + 1];
			yes = !skipped;
		}
	}
	vec_release(&ids);
	return yes;
}

struct loop_parts {
	TSNode stmts[3];	/* creation, set_event_loop, close: null when absent */
	uint32_t del[3][2];	/* the lines they take */
};

/* Finds the statements that make, install and close LOOP around `stmt`:
 * the creation among the earlier statements of its block or of an
 * enclosing block in `region`, the others in the creation's block. */
static bool find_parts(const struct rule_ctx *ctx, TSNode region, TSNode stmt, TSNode loop,
		       struct loop_parts *parts)
{
	TSNode s = stmt, block;

	memset(parts, 0, sizeof(*parts));
	for (;;) {
		for (TSNode p = ts_node_prev_named_sibling(s); !ts_node_is_null(p);
		     p = ts_node_prev_named_sibling(p))
			if (creates(ctx, p, loop)) {
				parts->stmts[0] = p;
				break;
			}
		if (!ts_node_is_null(parts->stmts[0]))
			break;
		block = tree_parent(s);
		if (ts_node_is_null(block) || !strcmp(ts_node_type(block), "module") ||
		    ts_node_start_byte(tree_parent(block)) == ts_node_start_byte(region))
			return false;
		s = statement_of(block);
	}
	for (TSNode p = ts_node_next_named_sibling(parts->stmts[0]); !ts_node_is_null(p);
	     p = ts_node_next_named_sibling(p)) {
		if (ts_node_is_null(parts->stmts[1]) && loop_statement(ctx, p, loop, false))
			parts->stmts[1] = p;
		else if (ts_node_is_null(parts->stmts[2]) && loop_statement(ctx, p, loop, true) &&
			 ts_node_start_byte(p) > ts_node_start_byte(stmt))
			parts->stmts[2] = p;
	}
	return true;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fn = rule_capture(ctx, match, "fn");
	TSNode loop = syntax_unwrap_parens(ts_node_child_by_field_name(fn, "object", 6));
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9), arg;
	TSNode region = rule_enclosing_function(call), stmt = statement_of(call);
	struct loop_parts parts;
	struct buf name = BUF_INIT;
	enum scope_context where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	struct finding *f;
	bool current;

	if (where != CONTEXT_MODULE && where != CONTEXT_SYNC)
		return 0;
	if (ts_node_is_null(region))
		region = ts_tree_root_node(ctx->tree);
	else if (strcmp(ts_node_type(region), "function_definition"))
		return 0;
	f = rule_report(ctx, &transform_run_until_complete, call,
			"`run_until_complete` drives an event loop by hand; only a loop made for "
			"this one call can become `asyncio.run()`");
	if (syntax_positional(args, &arg, 1) != 1) {
		rule_no_fix(f, "unusual-arguments");
		goto done;
	}
	memset(&parts, 0, sizeof(parts));
	if (!is_loop_maker(ctx, loop)) {
		uint32_t skip[12], n = 0, len;
		const char *lt;

		if (strcmp(ts_node_type(loop), "identifier") ||
		    !find_parts(ctx, region, stmt, loop, &parts)) {
			rule_no_fix(f, "loop-not-local");
			goto done;
		}
		if (strcmp(ts_node_type(region), "module")) {
			skip[n++] = 0;
			skip[n++] = ts_node_start_byte(region);
			skip[n++] = ts_node_end_byte(region);
			skip[n++] = ctx->src->len;
		}
		for (int i = 0; i < 3; i++)
			if (!ts_node_is_null(parts.stmts[i])) {
				skip[n++] = ts_node_start_byte(parts.stmts[i]);
				skip[n++] = ts_node_end_byte(parts.stmts[i]);
			}
		skip[n++] = ts_node_start_byte(fn);
		skip[n++] = ts_node_end_byte(fn);
		lt = rule_text(ctx, loop, &len);
		if (loop_used_elsewhere(ctx, region, lt, len, skip, n / 2)) {
			rule_no_fix(f, "loop-reused");
			goto done;
		}
	}
	if (current_loop_asked(ctx, region, ts_node_end_byte(stmt))) {
		rule_no_fix(f, "loop-used-after");
		goto done;
	}
	current = asks_current_loop(ctx, loop) ||
		  (!ts_node_is_null(parts.stmts[0]) &&
		   asks_current_loop(ctx, ts_node_child_by_field_name(
						  ts_node_named_child(parts.stmts[0], 0), "right", 5)));
	if (current) {
		uint32_t skip[8], n = 0;

		for (int i = 0; i < 3; i++)
			if (!ts_node_is_null(parts.stmts[i])) {
				skip[n++] = ts_node_start_byte(parts.stmts[i]);
				skip[n++] = ts_node_end_byte(parts.stmts[i]);
			}
		skip[n++] = ts_node_start_byte(fn);
		skip[n++] = ts_node_end_byte(fn);
		if (shares_caller_loop(ctx, region) || other_loop_code(ctx, region, skip, n / 2)) {
			rule_no_fix(f, "loop-shared");
			goto done;
		}
	}
	if (not_a_coroutine(ctx, arg)) {
		rule_no_fix(f, "run-arg-not-coroutine");
		goto done;
	}
	if (module_binds_loop_objects(ctx)) {
		rule_no_fix(f, "loop-bound-objects");
		goto done;
	}
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	for (int i = 0; i < 3; i++)
		if (!ts_node_is_null(parts.stmts[i]) &&
		    !syntax_whole_lines(ctx, parts.stmts[i], &parts.del[i][0], &parts.del[i][1])) {
			rule_no_fix(f, "compound-statement");
			goto done;
		}
	if (rule_module_ref(ctx, f, ts_node_start_byte(call), "asyncio", &name) < 0) {
		rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	free(f->message);
	f->message = xstrdup(current ?
		"`run_until_complete` on the current loop, which nothing else here uses; use "
		"`asyncio.run()` (it makes a new loop, cancels leftover tasks, shuts down async "
		"generators and the default executor, and closes the loop)" :
		"`run_until_complete` on a loop made for it; use `asyncio.run()` (it also "
		"cancels leftover tasks, shuts down async generators and the default "
		"executor, and closes the loop)");
	buf_puts(&name, ".run");
	rule_edit(f, ts_node_start_byte(fn), ts_node_end_byte(fn), buf_cstr(&name));
	for (int i = 0; i < 3; i++)
		if (!ts_node_is_null(parts.stmts[i]))
			rule_edit(f, parts.del[i][0], parts.del[i][1], "");
done:
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
	"loop-reused", "the loop is used other than by its creation, `set_event_loop`, this "
	"one `run_until_complete` and a `close()` in the creation's block (a second run, "
	"`run_forever`, `create_task`, handlers, a `close()` in a `finally`): `asyncio.Runner` "
	"(3.11+) keeps one loop for several runs",
	"loop-not-local", "the loop is not made here by `asyncio.get_event_loop()` or "
	"`asyncio.new_event_loop()` (a parameter, an attribute, another event loop library)",
	"loop-used-after", "code after the call calls `asyncio.get_event_loop()`, which finds "
	"no current loop after `asyncio.run`",
	"loop-shared", "the loop is the current one (`asyncio.get_event_loop()`) and other code "
	"may share it: the function is a method (a test case sets its loop in `setUp`), takes a "
	"parameter named like `event_loop` (the pytest fixture), or itself asks for, sets, makes "
	"or runs a loop elsewhere (another `run_until_complete`, `call_soon` on a loop from "
	"`get_event_loop()`); tasks scheduled on that loop would never run, and later code would "
	"find it closed or gone",
	"run-arg-not-coroutine", "the argument is a future (`gather`, `ensure_future`, "
	"`create_task`), or not a call at all below Python 3.14, where `asyncio.run` takes only "
	"a coroutine",
	"loop-bound-objects", "with a py39 target, the module creates asyncio objects "
	"(`Queue`, `Lock`, `Event`, ...) at import time, which bind the loop current then, not "
	"the one `asyncio.run` makes",
	"unusual-arguments", "not exactly one positional argument",
	"compound-statement", "a statement to remove shares its line with other code or a "
	"comment",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_run_until_complete = {
	.code = "AM106",
	.name = "run-until-complete-to-run",
	.summary = "loop.run_until_complete(main()) -> asyncio.run(main())",
	.fix = FIX_UNSAFE,
	.query = run_until_complete_scm,
	.tokens = tokens,
	.check = check,
	.finds = "A call of `LOOP.run_until_complete(..)` at module level or in a plain "
		 "function, where LOOP comes from `asyncio.get_event_loop()` or "
		 "`asyncio.new_event_loop()`. The fix is offered only when the loop is made "
		 "for this one call: a loop in an attribute (`self.loop`), a parameter (the "
		 "pytest `event_loop` fixture), a loop used again, or a current loop other "
		 "code may share is reported, with the reason.",
	.why = "`asyncio.run` creates the loop, runs the coroutine, and cleans up: it cancels "
	       "the tasks still running, finishes async generators, shuts down the default "
	       "executor and closes the loop. Managing a loop by hand leaks these, and "
	       "`get_event_loop()` outside a coroutine is deprecated. The standard's baseline "
	       "is asyncio on Python 3.11+.",
	.standard = standard,
	.fix_text = "`LOOP.run_until_complete(C(..))` becomes `asyncio.run(C(..))`; the "
		    "`LOOP = asyncio.new_event_loop()` (or `get_event_loop()`) statement, an "
		    "`asyncio.set_event_loop(LOOP)` and a `LOOP.close()` in the same block are "
		    "removed. What changes: tasks left running when the coroutine returns are "
		    "cancelled, async generators and the default executor are shut down, the "
		    "loop is closed, no current loop is left set, and from 3.11 Ctrl-C cancels "
		    "the main task.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def main():\n"
			  "    await asyncio.sleep(0)\n"
			  "\n"
			  "\n"
			  "if __name__ == \"__main__\":\n"
			  "    loop = asyncio.new_event_loop()\n"
			  "    asyncio.set_event_loop(loop)\n"
			  "    loop.run_until_complete(main())\n"
			  "    loop.close()\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def main():\n"
			 "    await asyncio.sleep(0)\n"
			 "\n"
			 "\n"
			 "if __name__ == \"__main__\":\n"
			 "    asyncio.run(main())\n",
};
