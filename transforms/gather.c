/*
 * AM101: `await asyncio.gather(..)` in a coroutine -> an `asyncio.TaskGroup`.
 *
 * Fix (unsafe, py311+), for an awaited gather that is a whole statement
 * (`await ..`, `TARGET = await ..`, `return await ..`) whose arguments are
 * all fresh coroutines (calls of an undecorated `async def` of the module,
 * a method of the enclosing class, or a stdlib coroutine function; a
 * `create_task(c)` wrapper is unwrapped):
 *
 * - two or more plain arguments with plain operands:
 *
 *       async with asyncio.TaskGroup() as tg:
 *           _t0 = tg.create_task(a())
 *           _t1 = tg.create_task(b())
 *       x = [_t0.result(), _t1.result()]
 *
 * - starred comprehensions, or operands that may raise or suspend: the
 *   coroutines are built first, as gather builds its arguments:
 *
 *       _coros = (a(x + 1), *[f(i) for i in xs])
 *       async with asyncio.TaskGroup() as tg:
 *           _tasks = [tg.create_task(_c) for _c in _coros]
 *       x = [_t.result() for _t in _tasks]
 *
 * - one plain argument: `x = [await a()]` (a TaskGroup of one task is
 *   what ASYNC112 reports).
 *
 * Results stay a list in argument order. An enclosing `try` in the same
 * function becomes `except*` when every handler can; otherwise, and for
 * every other shape, the finding says why there is no fix.
 *
 * Not reported at all: a target below 3.11 (gather is the compat form
 * there), `return_exceptions=` other than literal False, and gather over
 * futures (no TaskGroup takes them), see gather_future_arg().
 *
 * This file holds the rule's entry: where the awaited gather stands, its
 * arguments read into a plan, and the choice between a fix and a report.
 * gather_args.c judges each argument (a fresh coroutine, a task, a
 * future); gather_rewrite.c builds the TaskGroup edit; gather_internal.h
 * is what they share.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "gather_internal.h"
#include "gather.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "gather", NULL };

static const TSNode no_node = { { 0 }, NULL, NULL };

static const char *const gathers[] = { "asyncio.gather", "asyncio.tasks.gather", NULL };

/* Finds the statement around an awaited gather: sets shape, stmt and top
 * (the await with its parentheses). Returns a reason when it is not one. */
static const char *find_statement(struct plan *p)
{
	TSNode await = tree_parent(syntax_paren_top(p->call)), top, parent;

	if (!syntax_type_is(await, "await"))
		return "gather-not-awaited";
	top = syntax_paren_top(await);
	parent = tree_parent(top);
	p->top = top;
	if (syntax_type_is(parent, "expression_statement") && ts_node_named_child_count(parent) == 1) {
		p->shape = SHAPE_EXPR;
		p->stmt = parent;
		return NULL;
	}
	if (syntax_type_is(parent, "return_statement")) {
		p->shape = SHAPE_RETURN;
		p->stmt = parent;
		return NULL;
	}
	if (syntax_type_is(parent, "assignment") && syntax_is_field(parent, "right", top)) {
		while (syntax_type_is(tree_parent(parent), "assignment") &&
		       syntax_is_field(tree_parent(parent), "right", parent))
			parent = tree_parent(parent);
		if (syntax_type_is(tree_parent(parent), "expression_statement") &&
		    ts_node_named_child_count(tree_parent(parent)) == 1) {
			p->shape = SHAPE_ASSIGN;
			p->stmt = tree_parent(parent);
			return NULL;
		}
	}
	return "gather-expr-position";
}

/* Reads the arguments; returns a reason when they are not all fresh
 * coroutines (or starred comprehensions of them), or NULL. */
static const char *read_arguments(const struct rule_ctx *ctx, struct plan *p)
{
	uint32_t count = ts_node_named_child_count(p->args);
	const char *worst = NULL;

	if (!syntax_type_is(p->args, "argument_list"))
		return "unusual-arguments";
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(p->args, i), name, value;

		if (syntax_type_is(c, "comment"))
			continue;
		if (syntax_type_is(c, "keyword_argument")) {
			name = ts_node_child_by_field_name(c, "name", 4);
			value = ts_node_child_by_field_name(c, "value", 5);
			if (!rule_text_is(ctx, name, "return_exceptions"))
				return "unusual-arguments";
			if (!syntax_type_is(value, "false"))
				return "gather-return-exceptions";
			p->kw = c;
			continue;
		}
		if (syntax_type_is(c, "dictionary_splat") || !ts_node_is_null(p->kw) || p->n == 64)
			return "unusual-arguments";
		p->list[p->n].node = c;
		p->list[p->n].starred = syntax_type_is(c, "list_splat");
		p->any_starred |= p->list[p->n].starred;
		p->n++;
	}
	if (!p->n)
		return "unusual-arguments";
	/* the same name twice: gather awaits it once, a TaskGroup twice */
	for (unsigned i = 0; i < p->n; i++)
		for (unsigned k = i + 1; k < p->n; k++) {
			TSNode a = p->list[i].node, b = p->list[k].node;
			uint32_t la, lb;
			const char *ta = rule_text(ctx, a, &la), *tb = rule_text(ctx, b, &lb);

			if ((syntax_type_is(a, "identifier") || syntax_type_is(a, "attribute")) &&
			    !strcmp(ts_node_type(a), ts_node_type(b)) && la == lb && !memcmp(ta, tb, la))
				return "gather-duplicate-arg";
		}
	for (unsigned i = 0; i < p->n; i++) {
		struct arg *a = &p->list[i];
		TSNode e = a->node;
		enum arg_verdict v;

		if (a->starred) {
			TSNode comp = syntax_unwrap_parens(ts_node_named_child(e, 0));

			if (!syntax_type_is(comp, "list_comprehension") &&
			    !syntax_type_is(comp, "generator_expression")) {
				worst = worst ? worst : "gather-noncoro-arg";
				continue;
			}
			e = ts_node_child_by_field_name(comp, "body", 4);
			v = gather_judge_arg(ctx, e, &a->call, &a->options);
			if (v == ARG_FRESH && !syntax_same_node(syntax_unwrap_parens(e), a->call))
				v = ARG_NOT_FRESH;	/* keep comprehension bodies as written */
		} else {
			v = gather_judge_arg(ctx, e, &a->call, &a->options);
		}
		if (v == ARG_NESTED)
			return "gather-nested";
		if (v != ARG_FRESH)
			worst = worst ? worst : "gather-noncoro-arg";
	}
	/* futures have no TaskGroup form: not reported */
	for (unsigned i = 0; i < p->n; i++)
		if (gather_future_arg(ctx, p->list[i].node))
			return "gather-futures";
	return worst;
}

/* True when a comment lies in the statement outside the argument list. */
static bool comment_outside_args(const struct rule_ctx *ctx, const struct plan *p)
{
	uint32_t as = ts_node_start_byte(p->args), ae = ts_node_end_byte(p->args);
	TSTreeCursor c = ts_tree_cursor_new(p->stmt);
	bool found = false, down = true;

	(void)ctx;
	while (!found) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (down && syntax_type_is(n, "comment") &&
		    (ts_node_start_byte(n) < as || ts_node_end_byte(n) > ae))
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

static bool has_options(const struct plan *p)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->list[i].options)
			return true;
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode fn = rule_capture(ctx, match, "fn");
	struct plan p;
	struct buf q = BUF_INIT, tgcls = BUF_INIT, tg = BUF_INIT, indent = BUF_INIT,
		   unit = BUF_INIT, root = BUF_INIT;
	struct vec stars = VEC_INIT(uint32_t);
	const char *reason;
	enum resolution r;
	struct finding *f;

	memset(&p, 0, sizeof(p));
	p.call = rule_capture(ctx, match, "call");
	p.args = ts_node_child_by_field_name(p.call, "arguments", 9);
	p.kw = no_node;
	r = scope_resolve_expr(ctx->scopes, fn, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) || !gather_qname_in(buf_cstr(&q), gathers))
		goto done;
	if (scope_context_at(ctx->scopes, ts_node_start_byte(p.call)) != CONTEXT_ASYNC)
		goto done;
	/* below 3.11 gather is the standard's compat form; with
	 * `return_exceptions=` (not False) or over futures, a TaskGroup is no
	 * replacement: none of these is reported */
	if (ctx->target_minor < 11)
		goto done;
	reason = read_arguments(ctx, &p);
	if (reason && (!strcmp(reason, "gather-return-exceptions") ||
		       !strcmp(reason, "gather-futures")))
		goto done;
	f = rule_report(ctx, &transform_gather, p.call,
			"use `asyncio.TaskGroup` instead of `asyncio.gather`: on failure it cancels "
			"the other tasks and raises an ExceptionGroup");
	if (r == RESOLVE_AMBIGUOUS) {
		rule_no_fix(f, "ambiguous-name");
		goto done;
	}
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	if (reason && strcmp(reason, "gather-noncoro-arg")) {
		rule_no_fix(f, reason);
		goto done;
	}
	if (!reason)
		reason = find_statement(&p);
	else if (find_statement(&p))
		reason = find_statement(&p);
	if (reason) {
		rule_no_fix(f, reason);
		goto done;
	}
	if (!rule_own_line(ctx, p.stmt)) {
		rule_no_fix(f, "compound-statement");
		goto done;
	}
	if (comment_outside_args(ctx, &p)) {
		rule_no_fix(f, "comment-would-be-lost");
		goto done;
	}
	/* one coroutine is awaited as it is: handlers still see its own errors */
	if (!(p.n == 1 && !p.any_starred) && !gather_enclosing_handlers(ctx, p.stmt, &stars)) {
		rule_no_fix(f, "gather-in-try");
		goto done;
	}
	rule_root_name(ctx, fn, &root);
	if (p.n == 1 && !p.any_starred) {
		free(f->message);
		f->message = xstrdup("`asyncio.gather` of one coroutine: await it directly; with the "
				     "fix it runs in the calling task, so context variables it sets "
				     "become visible to the caller");
		if (p.list[0].options) {
			rule_no_fix(f, "task-options");
			goto done;
		}
		if (!gather_fix_single(ctx, f, &p)) {
			rule_no_fix(f, "comment-would-be-lost");
			goto done;
		}
	} else {
		bool ok;

		if (gather_taskgroup_ref(ctx, f, ts_node_start_byte(p.stmt), &tgcls) < 0) {
			rule_no_fix(f, "import-name-shadowed");
			goto done;
		}
		free(f->message);
		f->message = xstrdup("use `asyncio.TaskGroup` instead of `asyncio.gather`; with the "
				     "fix a failure cancels the other tasks and reaches callers as an "
				     "ExceptionGroup instead of the first exception");
		rule_fresh_name(ctx, "tg", &tg);
		rule_indent(ctx, ts_node_start_byte(p.stmt), &indent);
		rule_indent_unit(ctx, &unit);
		ok = true;
		for (unsigned i = 0; i < p.n && ok; i++)
			ok = !p.list[i].starred && gather_plain_call(p.list[i].call) &&
			     gather_plain_wrapper(p.list[i].node, p.list[i].call);
		if (ok) {
			gather_fix_tasks(ctx, f, &p, buf_cstr(&tgcls), buf_cstr(&tg),
					 buf_cstr(&indent), buf_cstr(&unit));
		} else if (has_options(&p)) {
			rule_no_fix(f, "task-options");
			goto done;
		} else if (!gather_fix_collected(ctx, f, &p, buf_cstr(&tgcls), buf_cstr(&tg),
						 buf_cstr(&indent), buf_cstr(&unit))) {
			rule_no_fix(f, "comment-would-be-lost");
			goto done;
		}
	}
	for (size_t i = 0; i < stars.len; i++) {
		uint32_t at = *(uint32_t *)vec_at(&stars, i);

		rule_edit(f, at, at, "*");
	}
	/* `asyncio` stays in use by the TaskGroup; a `gather` imported by name
	 * may go, and so may the module when one coroutine is awaited */
	if (syntax_type_is(fn, "identifier") || (p.n == 1 && !p.any_starred))
		rule_need(f, NEED_DROP, buf_cstr(&root));
done:
	vec_release(&stars);
	buf_release(&q);
	buf_release(&tgcls);
	buf_release(&tg);
	buf_release(&indent);
	buf_release(&unit);
	buf_release(&root);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"2. **TaskGroup 优先** - Python 3.11+ 使用 `asyncio.TaskGroup` 替代 `gather`/`wait`",
	"asyncio 最佳实践 > 并发模式（Python 3.11+）",
	"# ✅ 推荐 - 使用 TaskGroup（Python 3.11+）",
	"检查清单",
	"- [ ] Python 3.11+ 使用 `TaskGroup` 而非 `gather`",
	NULL,
};

static const char *const reasons[] = {
	"gather-not-awaited", "the gather is not awaited where it is called (stored, passed or "
	"returned as a future)",
	"gather-expr-position", "the awaited gather is part of a larger expression, or an "
	"augmented or walrus assignment: hoisting it would change the order of evaluation",
	"gather-noncoro-arg", "an argument is not provably a fresh coroutine (a name, a task, a "
	"future, `*` of a variable, a call of something not known to be an `async def`)",
	"gather-duplicate-arg", "the same name is passed twice: gather awaits it once, a "
	"TaskGroup would await it twice",
	"gather-nested", "an argument is itself a gather, `wait`, `as_completed` or `shield` "
	"(a future, not a coroutine)",
	"gather-in-try", "an enclosing `try` has a handler that cannot become `except*` (bare "
	"`except`, `ExceptionGroup`, a bound name used, bare `raise`, `return`/`break`/"
	"`continue`), or a `contextlib.suppress` encloses it",
	"task-options", "a `create_task(c, name=.., context=..)` argument where the fix would "
	"not create a task of its own for it (a gather of one coroutine, or coroutines built "
	"before the block)",
	"unusual-arguments", "no positional argument, `**kwargs`, a keyword other than "
	"`return_exceptions`, or a positional argument after it",
	"compound-statement", "the statement shares its line with other code",
	"comment-would-be-lost", "a comment sits where the statement is rewritten: outside "
	"the arguments, in a `create_task(..)` that is unwrapped, or anywhere in a gather of "
	"one coroutine",
	"import-name-shadowed", "the name `asyncio` means something else where the gather is",
	"ambiguous-name", "the name may or may not mean `asyncio.gather` (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	NULL,
};

const struct transform transform_gather = {
	.code = "AM101",
	.name = "gather-to-taskgroup",
	.summary = "await asyncio.gather(..) -> async with asyncio.TaskGroup() (py311+)",
	.fix = FIX_UNSAFE,
	.query = gather_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "`asyncio.gather(..)` (under any import alias) called directly in an "
		 "`async def`, where a TaskGroup can replace it. Not reported: a target below "
		 "Python 3.11 (gather is the standard's compat form there); "
		 "`return_exceptions=` other than literal `False` (a TaskGroup has no "
		 "equivalent); gather over futures (a `run_in_executor(..)` or other future, "
		 "or a name not known to hold only coroutine or task calls: a parameter, a "
		 "global, a list filled from elsewhere).",
	.why = "The standard prefers `asyncio.TaskGroup` to `gather` from Python 3.11: when a "
	       "task fails, a TaskGroup cancels its siblings and waits for them, where gather "
	       "leaves them running unobserved and drops their later errors.",
	.standard = standard,
	.fix_text = "An awaited gather that is a whole statement (`await ..`, `TARGET = "
		    "await ..`, `return await ..`) whose arguments are all fresh coroutines (calls "
		    "of an undecorated `async def` of the module, a method of the enclosing class, "
		    "or an asyncio coroutine function; `create_task(c)` counts as `c`) becomes an "
		    "`async with asyncio.TaskGroup() as tg:` block with one `_tN = "
		    "tg.create_task(..)` per argument, and the target gets "
		    "`[_t0.result(), _t1.result(), ..]` after the block (a list in argument "
		    "order, as gather returns). When an argument may raise or suspend while "
		    "evaluated, or is a starred comprehension, the coroutines are first built in "
		    "a tuple `_coros = (..)` exactly as gather evaluates them, and the block "
		    "creates a task for each. A gather of one coroutine becomes `[await c]`. "
		    "`return_exceptions=False` goes. An enclosing `try` of the function has its "
		    "handlers turned into `except*`. Comments in the argument list are kept; the "
		    "block only holds `create_task` calls, so no `yield` ends up in it. What "
		    "changes: a failure cancels the other tasks and reaches handlers and callers "
		    "as an `ExceptionGroup`; `[await c]` runs `c` in the calling task.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    await asyncio.sleep(0.1)\n"
			  "    return url\n"
			  "\n"
			  "\n"
			  "async def fetch_both(a, b):\n"
			  "    first, second = await asyncio.gather(fetch(a), fetch(b))\n"
			  "    return first + second\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    await asyncio.sleep(0.1)\n"
			 "    return url\n"
			 "\n"
			 "\n"
			 "async def fetch_both(a, b):\n"
			 "    async with asyncio.TaskGroup() as tg:\n"
			 "        _t0 = tg.create_task(fetch(a))\n"
			 "        _t1 = tg.create_task(fetch(b))\n"
			 "    first, second = [_t0.result(), _t1.result()]\n"
			 "    return first + second\n",
};
