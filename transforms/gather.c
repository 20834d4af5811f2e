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
 * futures (no TaskGroup takes them), see future_arg().
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "gather.scm.h"

static const char *const tokens[] = { "gather", NULL };

static const TSNode no_node = { { 0 }, NULL, NULL };

static bool is_type(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static bool same(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) &&
	       ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b) &&
	       !strcmp(ts_node_type(a), ts_node_type(b));
}

static bool qname_in(const char *q, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(q, list[i]))
			return true;
	return false;
}

/* The qualified name `expr` resolves to through imports, or "" when it
 * is not an imported name. */
static const char *resolved(const struct rule_ctx *ctx, TSNode expr, struct buf *q)
{
	buf_clear(q);
	if (!is_type(expr, "identifier") && !is_type(expr, "attribute"))
		return "";
	if (scope_resolve_expr(ctx->scopes, expr, q) != RESOLVE_MODULE)
		buf_clear(q);
	return buf_cstr(q);
}

static const char *const gathers[] = { "asyncio.gather", "asyncio.tasks.gather", NULL };

static const char *const futures[] = {
	"asyncio.gather", "asyncio.tasks.gather", "asyncio.wait", "asyncio.tasks.wait",
	"asyncio.as_completed", "asyncio.tasks.as_completed", "asyncio.shield",
	"asyncio.tasks.shield", NULL,
};

static const char *const wrappers[] = {
	"asyncio.create_task", "asyncio.tasks.create_task", "asyncio.ensure_future",
	"asyncio.tasks.ensure_future", NULL,
};

/* Stdlib functions whose call returns a fresh coroutine object. */
static const char *const coroutine_functions[] = {
	"asyncio.sleep", "asyncio.tasks.sleep", "asyncio.to_thread", "asyncio.threads.to_thread",
	"asyncio.wait_for", "asyncio.tasks.wait_for", "asyncio.open_connection",
	"asyncio.open_unix_connection", "asyncio.start_server", "asyncio.start_unix_server",
	"asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell", NULL,
};

/* The one expression a parenthesized expression holds (comments aside),
 * or a null node. */
static TSNode paren_inner(TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);
	TSNode inner = no_node;

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);

		if (is_type(c, "comment"))
			continue;
		if (!ts_node_is_null(inner))
			return no_node;
		inner = c;
	}
	return inner;
}

/* The expression inside any number of parentheses. */
static TSNode unparen(TSNode n)
{
	while (is_type(n, "parenthesized_expression") && !ts_node_is_null(paren_inner(n)))
		n = paren_inner(n);
	return n;
}

/* The outermost parenthesized expression that holds only `n`. */
static TSNode paren_top(TSNode n)
{
	TSNode p = ts_node_parent(n);

	while (is_type(p, "parenthesized_expression") && same(paren_inner(p), n)) {
		n = p;
		p = ts_node_parent(n);
	}
	return n;
}

static bool is_async_def(TSNode def)
{
	return is_type(def, "function_definition") && ts_node_child_count(def) &&
	       !strcmp(ts_node_type(ts_node_child(def, 0)), "async");
}

static bool is_scope_node(TSNode n)
{
	const char *t = ts_node_type(n);

	return !strcmp(t, "function_definition") || !strcmp(t, "lambda") ||
	       !strcmp(t, "class_definition") || !strcmp(t, "decorated_definition");
}

/* True when `n` holds a node of `type` outside nested functions and classes. */
static bool holds(TSNode n, const char *type)
{
	uint32_t count = ts_node_named_child_count(n);

	if (!strcmp(ts_node_type(n), type))
		return true;
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(n, i);

		if (!is_scope_node(c) && holds(c, type))
			return true;
	}
	return false;
}

/* True when `child` is the `field` child of `parent`. */
static bool is_field(TSNode parent, const char *field, TSNode child)
{
	return same(ts_node_child_by_field_name(parent, field, (uint32_t)strlen(field)), child);
}

/* True when the identifier `id` stores into its name (or may: a target
 * such as `x[name] = ..` counts, which only makes callers more careful). */
static bool is_store(TSNode id)
{
	TSNode n = id;

	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); n = p, p = ts_node_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "assignment") || !strcmp(t, "augmented_assignment") ||
		    !strcmp(t, "for_statement") || !strcmp(t, "for_in_clause"))
			return is_field(p, "left", n);
		if (!strcmp(t, "named_expression"))
			return is_field(p, "name", n);
		if (!strcmp(t, "as_pattern_target") || !strcmp(t, "global_statement") ||
		    !strcmp(t, "nonlocal_statement") || !strcmp(t, "delete_statement") ||
		    !strcmp(t, "import_statement") || !strcmp(t, "import_from_statement") ||
		    !strcmp(t, "case_pattern"))
			return true;
		if (strstr(t, "statement") || !strcmp(t, "block") || is_scope_node(p))
			return false;
	}
	return false;
}

struct bindings {
	unsigned defs;		/* undecorated `async def NAME` that are not generators */
	unsigned others;	/* any other binding of NAME */
	TSNode def;
};

/* Collects the bindings of `name` made by the statements of one scope
 * (`n` and its children, not nested functions or classes beyond their
 * own names). */
static void scan_bindings(const struct rule_ctx *ctx, TSNode n, const char *name,
			  struct bindings *b)
{
	const char *t = ts_node_type(n);
	uint32_t count;

	if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition")) {
		TSNode id = ts_node_child_by_field_name(n, "name", 4);
		bool decorated = is_type(ts_node_parent(n), "decorated_definition");

		if (rule_text_is(ctx, id, name)) {
			TSNode body = ts_node_child_by_field_name(n, "body", 4);

			if (is_async_def(n) && !decorated && !ts_node_is_null(body) &&
			    !holds(body, "yield")) {
				b->defs++;
				b->def = n;
			} else {
				b->others++;
			}
		}
		return;
	}
	if (!strcmp(t, "lambda") || strstr(t, "comprehension") ||
	    !strcmp(t, "generator_expression"))
		return;
	if (!strcmp(t, "identifier")) {
		if (rule_text_is(ctx, n, name) && is_store(n))
			b->others++;
		return;
	}
	if ((!strcmp(t, "aliased_import") || !strcmp(t, "dotted_name")) &&
	    is_store(n)) {
		uint32_t len;
		const char *s = rule_text(ctx, n, &len);

		/* `import name`, `import x as name`, `from m import name` */
		if (memmem(s, len, name, strlen(name)))
			b->others++;
		return;
	}
	count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++)
		scan_bindings(ctx, ts_node_named_child(n, i), name, b);
}

/* True when the parameters of `def` bind `name`. */
static bool binds_parameter(const struct rule_ctx *ctx, TSNode def, const char *name)
{
	TSNode params = ts_node_child_by_field_name(def, "parameters", 10);
	uint32_t count = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);

	for (uint32_t i = 0; i < count; i++) {
		TSNode p = ts_node_named_child(params, i), id = p;

		if (!is_type(p, "identifier")) {
			id = ts_node_child_by_field_name(p, "name", 4);
			if (ts_node_is_null(id) && ts_node_named_child_count(p))
				id = ts_node_named_child(p, 0);
		}
		if (!ts_node_is_null(id) && rule_text_is(ctx, id, name))
			return true;
	}
	return false;
}

/* True when a comprehension binds `name` in one of its `for` clauses. */
static bool comprehension_binds(const struct rule_ctx *ctx, TSNode comp, const char *name)
{
	uint32_t count = ts_node_named_child_count(comp);

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(comp, i);
		struct bindings b = { 0, 0, no_node };

		if (is_type(c, "for_in_clause")) {
			scan_bindings(ctx, ts_node_child_by_field_name(c, "left", 4), name, &b);
			if (b.defs || b.others)
				return true;
		}
	}
	return false;
}

/* True when the name `id`, called at its place, means an undecorated
 * `async def` that is not a generator: the nearest scope binding the name
 * binds it by that one definition only. */
static bool names_coroutine_function(const struct rule_ctx *ctx, TSNode id)
{
	uint32_t len;
	const char *t = rule_text(ctx, id, &len);
	char name[128];
	TSNode p;

	if (len >= sizeof(name))
		return false;
	memcpy(name, t, len);
	name[len] = 0;
	for (p = ts_node_parent(id); !ts_node_is_null(p); p = ts_node_parent(p)) {
		const char *type = ts_node_type(p);
		struct bindings b = { 0, 0, no_node };

		if (strstr(type, "comprehension") || !strcmp(type, "generator_expression")) {
			if (comprehension_binds(ctx, p, name))
				return false;
			continue;
		}
		if (!strcmp(type, "lambda"))
			return false;
		if (strcmp(type, "function_definition") && strcmp(type, "module"))
			continue;
		if (!strcmp(type, "function_definition")) {
			if (binds_parameter(ctx, p, name))
				return false;
			scan_bindings(ctx, ts_node_child_by_field_name(p, "body", 4), name, &b);
		} else {
			scan_bindings(ctx, p, name, &b);
		}
		if (b.defs || b.others)
			return b.defs == 1 && !b.others;
		/* not bound here: the enclosing function (class bodies are not
		 * seen from the methods inside them), then the module */
	}
	return false;
}

/* True when `attr` is `self.m` in a method whose class defines `m` as an
 * undecorated `async def` that is not a generator. */
static bool names_coroutine_method(const struct rule_ctx *ctx, TSNode attr)
{
	TSNode obj = ts_node_child_by_field_name(attr, "object", 6);
	TSNode m = ts_node_child_by_field_name(attr, "attribute", 9);
	TSNode fn = rule_enclosing_function(attr), params, first, cls, body;
	struct bindings b = { 0, 0, no_node };
	uint32_t len;
	const char *t;
	char name[128];

	if (!is_type(obj, "identifier") || !is_type(fn, "function_definition") ||
	    is_type(ts_node_parent(fn), "decorated_definition"))
		return false;
	params = ts_node_child_by_field_name(fn, "parameters", 10);
	if (ts_node_is_null(params) || !ts_node_named_child_count(params))
		return false;
	first = ts_node_named_child(params, 0);
	cls = ts_node_parent(ts_node_parent(fn));
	if (!is_type(first, "identifier") || !is_type(cls, "class_definition"))
		return false;
	t = rule_text(ctx, obj, &len);
	if (len >= sizeof(name))
		return false;
	memcpy(name, t, len);
	name[len] = 0;
	if (!rule_text_is(ctx, first, name))
		return false;
	scan_bindings(ctx, ts_node_child_by_field_name(fn, "body", 4), name, &b);
	if (b.defs || b.others)
		return false;	/* `self` rebound */
	t = rule_text(ctx, m, &len);
	if (len >= sizeof(name))
		return false;
	memcpy(name, t, len);
	name[len] = 0;
	body = ts_node_child_by_field_name(cls, "body", 4);
	scan_bindings(ctx, body, name, &b);
	return b.defs == 1 && !b.others;
}

/* Why an argument is not one gather's TaskGroup form can take. */
enum arg_verdict {
	ARG_FRESH,		/* a fresh coroutine */
	ARG_NOT_FRESH,		/* anything else */
	ARG_NESTED,		/* gather / wait / as_completed / shield: a future */
};

/* Judges `arg` (an argument expression, or the body of a starred
 * comprehension). `*inner` gets the coroutine call, `arg` itself or the
 * coroutine inside a `create_task(..)` / `ensure_future(..)`. */
static enum arg_verdict judge_arg(const struct rule_ctx *ctx, TSNode arg, TSNode *inner,
				   bool *options)
{
	TSNode call = unparen(arg), fn, args;
	struct buf q = BUF_INIT;
	enum arg_verdict v = ARG_NOT_FRESH;
	const char *name;

	*inner = call;
	if (!is_type(call, "call"))
		return ARG_NOT_FRESH;
	fn = ts_node_child_by_field_name(call, "function", 8);
	args = ts_node_child_by_field_name(call, "arguments", 9);
	name = resolved(ctx, fn, &q);
	if (qname_in(name, futures)) {
		v = ARG_NESTED;
	} else if (qname_in(name, wrappers)) {
		/* create_task(c): one positional coroutine; `name=` and `context=`
		 * of create_task can go to the group's create_task */
		bool create = strstr(name, "create_task") != NULL;
		uint32_t count = is_type(args, "argument_list") ? ts_node_named_child_count(args) : 0;
		TSNode only = no_node, sub;
		unsigned n = 0, bad = 0;
		bool sub_options = false;

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(args, i);

			if (is_type(c, "comment"))
				continue;
			if (is_type(c, "keyword_argument")) {
				TSNode k = ts_node_child_by_field_name(c, "name", 4);

				if (!create || !(rule_text_is(ctx, k, "name") ||
						 rule_text_is(ctx, k, "context")))
					bad++;
				*options = true;
				continue;
			}
			only = c;
			n++;
		}
		if (n == 1 && !bad && !is_type(only, "list_splat") &&
		    !is_type(only, "dictionary_splat")) {
			v = judge_arg(ctx, only, &sub, &sub_options);
			if (v == ARG_FRESH && same(sub, unparen(only)))
				*inner = sub;
			else if (v == ARG_FRESH)
				v = ARG_NOT_FRESH;	/* create_task(create_task(c)) */
		}
	} else if (qname_in(name, coroutine_functions)) {
		v = ARG_FRESH;
	} else if (is_type(fn, "identifier")) {
		v = names_coroutine_function(ctx, fn) ? ARG_FRESH : ARG_NOT_FRESH;
	} else if (is_type(fn, "attribute")) {
		v = names_coroutine_method(ctx, fn) ? ARG_FRESH : ARG_NOT_FRESH;
	}
	buf_release(&q);
	return v;
}

/* True when evaluating `e` cannot suspend, run other code or (commonly)
 * raise: names, attribute chains, literals. */
static bool plain_operand(TSNode e)
{
	const char *t = ts_node_type(e);

	if (!strcmp(t, "identifier") || !strcmp(t, "integer") || !strcmp(t, "float") ||
	    !strcmp(t, "true") || !strcmp(t, "false") || !strcmp(t, "none"))
		return true;
	if (!strcmp(t, "attribute"))
		return plain_operand(ts_node_child_by_field_name(e, "object", 6));
	if (!strcmp(t, "string"))
		return !holds(e, "interpolation");
	if (!strcmp(t, "unary_operator")) {
		TSNode x = ts_node_child_by_field_name(e, "argument", 8);

		return is_type(x, "integer") || is_type(x, "float");
	}
	if (!strcmp(t, "keyword_argument"))
		return plain_operand(ts_node_child_by_field_name(e, "value", 5));
	return false;
}

/* True when a coroutine call's callee and arguments are plain operands,
 * so creating each task before the next argument is evaluated is the
 * same as evaluating all arguments first. */
static bool plain_call(TSNode call)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	uint32_t count;

	if (!plain_operand(fn) || !is_type(args, "argument_list"))
		return false;
	count = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);

		if (!is_type(c, "comment") && !plain_operand(c))
			return false;
	}
	return true;
}

/* True when a `create_task(call, name=.., context=..)` around `call` has
 * plain options (or when there is no wrapper). */
static bool plain_wrapper(TSNode node, TSNode call)
{
	TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
	uint32_t count;

	if (same(node, call))
		return true;
	count = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);

		if (!is_type(c, "comment") && !same(unparen(c), call) && !plain_operand(c))
			return false;
	}
	return true;
}

/* The handler's exception types are ExceptionGroup or BaseExceptionGroup
 * (which `except*` refuses). */
static bool catches_group(const struct rule_ctx *ctx, TSNode types)
{
	uint32_t len;
	const char *t = rule_text(ctx, types, &len);

	return memmem(t, len, "ExceptionGroup", 14) != NULL;
}

/* True when the handler body has a `return`, or a `break`/`continue` not
 * inside a loop of its own: `except*` refuses them. */
static bool jumps_out(TSNode n, bool in_loop)
{
	const char *t = ts_node_type(n);
	uint32_t count = ts_node_named_child_count(n);

	if (!strcmp(t, "return_statement"))
		return true;
	if ((!strcmp(t, "break_statement") || !strcmp(t, "continue_statement")) && !in_loop)
		return true;
	if (is_scope_node(n))
		return false;
	if (!strcmp(t, "for_statement") || !strcmp(t, "while_statement"))
		in_loop = true;
	for (uint32_t i = 0; i < count; i++)
		if (jumps_out(ts_node_named_child(n, i), in_loop))
			return true;
	return false;
}

/* True when the handler body has a bare `raise` (which under `except*`
 * re-raises a group). */
static bool bare_raise(TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_type(n, "raise_statement"))
		return count == 0;
	if (is_scope_node(n))
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (bare_raise(ts_node_named_child(n, i)))
			return true;
	return false;
}

/* True when an identifier `name` appears in `n`. */
static bool mentions(const struct rule_ctx *ctx, TSNode n, TSNode name)
{
	uint32_t count = ts_node_named_child_count(n);
	uint32_t len;
	const char *s = rule_text(ctx, name, &len);
	char buf[128];

	if (len >= sizeof(buf))
		return true;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (is_type(n, "identifier"))
		return rule_text_is(ctx, n, buf);
	for (uint32_t i = 0; i < count; i++)
		if (mentions(ctx, ts_node_named_child(n, i), name))
			return true;
	return false;
}

/* Adds the edits that turn each `except` of `try` into `except*`, or
 * returns false when one of its handlers cannot become `except*`. A try
 * without handlers, or already using `except*`, needs nothing. */
static bool convert_handlers(const struct rule_ctx *ctx, TSNode try, struct vec *stars)
{
	uint32_t count = ts_node_named_child_count(try);

	for (uint32_t i = 0; i < count; i++) {
		TSNode clause = ts_node_named_child(try, i), value, block, types, alias = no_node;

		if (!is_type(clause, "except_clause"))
			continue;
		value = ts_node_child_by_field_name(clause, "value", 5);
		if (ts_node_is_null(value))
			return false;	/* bare `except:` has no `except*` form */
		types = value;
		if (is_type(value, "as_pattern")) {
			types = ts_node_named_child(value, 0);
			alias = ts_node_child_by_field_name(value, "alias", 5);
		}
		block = ts_node_named_child(clause, ts_node_named_child_count(clause) - 1);
		if (!is_type(block, "block") || catches_group(ctx, types) || jumps_out(block, false) ||
		    bare_raise(block))
			return false;
		if (!ts_node_is_null(alias) && mentions(ctx, block, ts_node_named_child(alias, 0)))
			return false;	/* the bound name would hold a group */
		*(uint32_t *)vec_push(stars) = ts_node_end_byte(ts_node_child(clause, 0));
	}
	return true;
}

/* Collects the `except` keywords to star for every `try` of the function
 * whose body holds `stmt`; false when one cannot be converted, or when a
 * `with contextlib.suppress(..)` around the statement would stop matching. */
static bool enclosing_handlers(const struct rule_ctx *ctx, TSNode stmt, struct vec *stars)
{
	struct buf q = BUF_INIT;
	bool ok = true;

	for (TSNode n = stmt, p = ts_node_parent(stmt); ok && !ts_node_is_null(p);
	     n = p, p = ts_node_parent(p)) {
		if (is_scope_node(p))
			break;
		if (is_type(p, "try_statement") && is_field(p, "body", n)) {
			ok = convert_handlers(ctx, p, stars);
		} else if (is_type(p, "with_statement")) {
			TSNode clause = ts_node_named_child(p, 0);
			uint32_t count = is_type(clause, "with_clause") ?
					 ts_node_named_child_count(clause) : 0;

			for (uint32_t i = 0; i < count && ok; i++) {
				TSNode v = unparen(ts_node_child_by_field_name(
					ts_node_named_child(clause, i), "value", 5));

				if (is_type(v, "as_pattern"))
					v = ts_node_named_child(v, 0);
				if (is_type(v, "call") &&
				    !strcmp(resolved(ctx, ts_node_child_by_field_name(v, "function", 8),
						     &q), "contextlib.suppress"))
					ok = false;
			}
		}
	}
	buf_release(&q);
	return ok;
}

/* One argument of the gather call. */
struct arg {
	TSNode node;		/* the argument as written */
	TSNode call;		/* the coroutine call (inside create_task(..) when unwrapped) */
	bool starred;
	bool options;		/* create_task(c, name=.., context=..) */
};

/* The comments of the argument list that lie between arguments. */
static bool comment_between(TSNode args, uint32_t from, uint32_t to)
{
	uint32_t count = ts_node_named_child_count(args);

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);

		if (is_type(c, "comment") && ts_node_start_byte(c) >= from &&
		    ts_node_end_byte(c) <= to)
			return true;
	}
	return false;
}

/* Writes the comments of the argument list in [from, to) into `out` as
 * they go into the new block: one on the line where the gap starts
 * follows the previous line ("  # c"); the others go on lines of their
 * own, indented by `indent`, before what comes next. */
static void gap_comments(const struct rule_ctx *ctx, TSNode args, uint32_t from, uint32_t to,
			 const char *indent, struct buf *trailing, struct buf *own)
{
	uint32_t count = ts_node_named_child_count(args);

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);
		uint32_t len;
		const char *t;

		if (!is_type(c, "comment") || ts_node_start_byte(c) < from || ts_node_end_byte(c) > to)
			continue;
		t = rule_text(ctx, c, &len);
		while (len && (t[len - 1] == '\r' || t[len - 1] == ' '))
			len--;
		if (source_line_start(ctx->src, ts_node_start_byte(c)) <= from)
			buf_printf(trailing, "  %.*s", (int)len, t);
		else
			buf_printf(own, "%s%.*s%s", indent, (int)len, t, ctx->src->newline);
	}
}

/* The start of the line after the one holding `at`. */
static uint32_t next_line(const struct rule_ctx *ctx, uint32_t at)
{
	while (at < ctx->src->len && ctx->src->text[at] != '\n')
		at++;
	return at < ctx->src->len ? at + 1 : at;
}

enum shape { SHAPE_EXPR, SHAPE_ASSIGN, SHAPE_RETURN };

struct plan {
	TSNode stmt, top, call, args, kw;	/* kw: return_exceptions=False, if given */
	enum shape shape;
	struct arg list[64];
	unsigned n;
	bool any_starred;
};

/* Finds the statement around an awaited gather: sets shape, stmt and top
 * (the await with its parentheses). Returns a reason when it is not one. */
static const char *find_statement(struct plan *p)
{
	TSNode await = ts_node_parent(paren_top(p->call)), top, parent;

	if (!is_type(await, "await"))
		return "gather-not-awaited";
	top = paren_top(await);
	parent = ts_node_parent(top);
	p->top = top;
	if (is_type(parent, "expression_statement") && ts_node_named_child_count(parent) == 1) {
		p->shape = SHAPE_EXPR;
		p->stmt = parent;
		return NULL;
	}
	if (is_type(parent, "return_statement")) {
		p->shape = SHAPE_RETURN;
		p->stmt = parent;
		return NULL;
	}
	if (is_type(parent, "assignment") && is_field(parent, "right", top)) {
		while (is_type(ts_node_parent(parent), "assignment") &&
		       is_field(ts_node_parent(parent), "right", parent))
			parent = ts_node_parent(parent);
		if (is_type(ts_node_parent(parent), "expression_statement") &&
		    ts_node_named_child_count(ts_node_parent(parent)) == 1) {
			p->shape = SHAPE_ASSIGN;
			p->stmt = ts_node_parent(parent);
			return NULL;
		}
	}
	return "gather-expr-position";
}

/* Calls that return a future, not a coroutine: a TaskGroup cannot take
 * what they return. */
static bool future_call(const struct rule_ctx *ctx, TSNode e)
{
	TSNode call = unparen(e), fn;
	struct buf q = BUF_INIT;
	const char *name;
	bool yes;

	if (!is_type(call, "call"))
		return false;
	fn = ts_node_child_by_field_name(call, "function", 8);
	if (is_type(fn, "attribute")) {
		TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);

		if (rule_text_is(ctx, attr, "run_in_executor") ||
		    rule_text_is(ctx, attr, "create_future") ||
		    rule_text_is(ctx, attr, "run_coroutine_threadsafe"))
			return true;
	}
	name = resolved(ctx, fn, &q);
	yes = qname_in(name, futures) || (name && (!strcmp(name, "asyncio.Future") ||
						   !strcmp(name, "asyncio.wrap_future") ||
						   !strcmp(name, "asyncio.futures.Future") ||
						   !strcmp(name, "asyncio.run_coroutine_threadsafe")));
	buf_release(&q);
	return yes;
}

static bool name_holds_calls(const struct rule_ctx *ctx, TSNode name, bool coros_only);

/* True when a call starts a task (`create_task(..)`, `ensure_future(..)`). */
static bool task_call(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	struct buf q = BUF_INIT;
	bool yes;

	if (is_type(fn, "attribute") &&
	    (rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "create_task") ||
	     rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "ensure_future")))
		return true;
	yes = qname_in(resolved(ctx, fn, &q), wrappers);
	buf_release(&q);
	return yes;
}

/* True when the elements a value holds are calls that make a coroutine or
 * a task (one call, or a list, tuple or comprehension of them); with
 * COROS_ONLY, coroutines only. A name among them (`futs.append(fut)`) is
 * followed once: it must hold coroutines made in this function, not tasks
 * started earlier, which no TaskGroup can take over. */
static bool value_holds_calls(const struct rule_ctx *ctx, TSNode v, bool coros_only)
{
	v = unparen(v);
	if (is_type(v, "identifier") && !coros_only)
		return name_holds_calls(ctx, v, true);
	if (is_type(v, "list") || is_type(v, "tuple")) {
		uint32_t count = ts_node_named_child_count(v);

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(v, i);

			if (!is_type(c, "comment") && !value_holds_calls(ctx, c, coros_only))
				return false;
		}
		return true;
	}
	if (is_type(v, "list_comprehension") || is_type(v, "generator_expression"))
		return value_holds_calls(ctx, ts_node_child_by_field_name(v, "body", 4),
					 coros_only);
	return is_type(v, "call") && !future_call(ctx, v) && !(coros_only && task_call(ctx, v));
}

/* True when the local NAME of the function around it is bound only by
 * plain assignments and `NAME.append(..)` of coroutine or task calls: a
 * TaskGroup can replace a gather of it. A parameter, a global, a loop
 * target or anything else leaves what it holds unknown. */
static bool name_holds_calls(const struct rule_ctx *ctx, TSNode name, bool coros_only)
{
	TSNode fn = rule_enclosing_function(name);
	struct vec ids = VEC_INIT(TSNode);
	uint32_t len;
	const char *t = rule_text(ctx, name, &len);
	size_t assigned = 0;
	bool ok = !ts_node_is_null(fn);

	if (ok)
		syntax_find_names(ctx, fn, t, len, &ids);
	for (size_t i = 0; i < ids.len && ok; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i), p = ts_node_parent(id), gp;

		if (!syntax_owned_by(fn, id)) {
			ok = strcmp(ts_node_type(p), "nonlocal_statement") != 0;
			continue;
		}
		if (syntax_is_store(id)) {
			if (is_type(p, "assignment") &&
			    same(ts_node_child_by_field_name(p, "left", 4), id) &&
			    !ts_node_is_null(ts_node_child_by_field_name(p, "right", 5)) &&
			    value_holds_calls(ctx, ts_node_child_by_field_name(p, "right", 5),
					      coros_only))
				assigned++;
			else
				ok = false;
			continue;
		}
		if (is_type(p, "global_statement") || is_type(p, "nonlocal_statement")) {
			ok = false;
			continue;
		}
		/* NAME.append(x) / NAME.extend(xs): what goes in must be calls */
		gp = ts_node_parent(p);
		if (is_type(p, "attribute") && same(ts_node_child_by_field_name(p, "object", 6), id) &&
		    is_type(gp, "call") && same(ts_node_child_by_field_name(gp, "function", 8), p)) {
			TSNode attr = ts_node_child_by_field_name(p, "attribute", 9);
			TSNode args = ts_node_child_by_field_name(gp, "arguments", 9);

			if ((rule_text_is(ctx, attr, "append") || rule_text_is(ctx, attr, "extend")) &&
			    is_type(args, "argument_list") &&
			    ts_node_named_child_count(args) == 1 &&
			    !value_holds_calls(ctx, ts_node_named_child(args, 0), coros_only))
				ok = false;
		}
	}
	vec_release(&ids);
	return ok && assigned > 0;
}

/* True when an argument of the gather is (or holds) a future rather than
 * coroutines: a call that returns one, or a name not known to hold only
 * coroutine and task calls. */
static bool future_arg(const struct rule_ctx *ctx, TSNode c)
{
	TSNode e = c;

	if (is_type(c, "list_splat")) {
		e = unparen(ts_node_named_child(c, 0));
		if (is_type(e, "list_comprehension") || is_type(e, "generator_expression"))
			return future_call(ctx, ts_node_child_by_field_name(e, "body", 4));
		if (!is_type(e, "identifier"))
			return true;	/* `*self.tasks`: whatever it holds */
	}
	if (is_type(e, "identifier"))
		return !name_holds_calls(ctx, e, false);
	return future_call(ctx, e);
}

/* Reads the arguments; returns a reason when they are not all fresh
 * coroutines (or starred comprehensions of them), or NULL. */
static const char *read_arguments(const struct rule_ctx *ctx, struct plan *p)
{
	uint32_t count = ts_node_named_child_count(p->args);
	const char *worst = NULL;

	if (!is_type(p->args, "argument_list"))
		return "unusual-arguments";
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(p->args, i), name, value;

		if (is_type(c, "comment"))
			continue;
		if (is_type(c, "keyword_argument")) {
			name = ts_node_child_by_field_name(c, "name", 4);
			value = ts_node_child_by_field_name(c, "value", 5);
			if (!rule_text_is(ctx, name, "return_exceptions"))
				return "unusual-arguments";
			if (!is_type(value, "false"))
				return "gather-return-exceptions";
			p->kw = c;
			continue;
		}
		if (is_type(c, "dictionary_splat") || !ts_node_is_null(p->kw) || p->n == 64)
			return "unusual-arguments";
		p->list[p->n].node = c;
		p->list[p->n].starred = is_type(c, "list_splat");
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

			if ((is_type(a, "identifier") || is_type(a, "attribute")) &&
			    !strcmp(ts_node_type(a), ts_node_type(b)) && la == lb && !memcmp(ta, tb, la))
				return "gather-duplicate-arg";
		}
	for (unsigned i = 0; i < p->n; i++) {
		struct arg *a = &p->list[i];
		TSNode e = a->node;
		enum arg_verdict v;

		if (a->starred) {
			TSNode comp = unparen(ts_node_named_child(e, 0));

			if (!is_type(comp, "list_comprehension") &&
			    !is_type(comp, "generator_expression")) {
				worst = worst ? worst : "gather-noncoro-arg";
				continue;
			}
			e = ts_node_child_by_field_name(comp, "body", 4);
			v = judge_arg(ctx, e, &a->call, &a->options);
			if (v == ARG_FRESH && !same(unparen(e), a->call))
				v = ARG_NOT_FRESH;	/* keep comprehension bodies as written */
		} else {
			v = judge_arg(ctx, e, &a->call, &a->options);
		}
		if (v == ARG_NESTED)
			return "gather-nested";
		if (v != ARG_FRESH)
			worst = worst ? worst : "gather-noncoro-arg";
	}
	/* futures have no TaskGroup form: not reported */
	for (unsigned i = 0; i < p->n; i++)
		if (future_arg(ctx, p->list[i].node))
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

		if (down && is_type(n, "comment") &&
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

/* Adds the edits of the form for one plain argument: `[await c]`. */
static bool fix_single(const struct rule_ctx *ctx, struct finding *f, const struct plan *p)
{
	TSNode c = p->list[0].call;
	const char *open = p->shape == SHAPE_EXPR ? "await " : "[await ";
	uint32_t len;
	const char *t;

	if (comment_between(p->args, 0, UINT32_MAX))
		return false;
	t = rule_text(ctx, p->list[0].node, &len);
	if (!same(c, p->list[0].node) && memchr(t, '#', len))
		return false;
	rule_edit(f, ts_node_start_byte(p->top), ts_node_start_byte(c), open);
	rule_edit(f, ts_node_end_byte(c), ts_node_end_byte(p->top),
		  p->shape == SHAPE_EXPR ? "" : "]");
	return true;
}

/* Text from the statement's start to the awaited gather: "x = ",
 * "return ", or "". */
static void target_text(const struct rule_ctx *ctx, const struct plan *p, struct buf *out)
{
	buf_clear(out);
	buf_add(out, ctx->src->text + ts_node_start_byte(p->stmt),
		ts_node_start_byte(p->top) - ts_node_start_byte(p->stmt));
}

/* The callee text for a TaskGroup: `asyncio.TaskGroup` through the
 * module's binding, or an imported `TaskGroup`. Returns -1 when the name
 * asyncio is taken. */
static int taskgroup_ref(struct rule_ctx *ctx, struct finding *f, uint32_t at, struct buf *out)
{
	const char *q = NULL;

	if (scope_resolve_name(ctx->scopes, at, "TaskGroup", 9, &q) == RESOLVE_MODULE &&
	    (!strcmp(q, "asyncio.TaskGroup") || !strcmp(q, "asyncio.taskgroups.TaskGroup"))) {
		buf_clear(out);
		buf_puts(out, "TaskGroup");
		return 0;
	}
	if (rule_module_ref(ctx, f, at, "asyncio", out) < 0)
		return -1;
	buf_puts(out, ".TaskGroup");
	return 0;
}

/* Adds the edits of the per-task form: each argument becomes a
 * `create_task` line in the block, results are read after it. */
static void fix_tasks(struct rule_ctx *ctx, struct finding *f, const struct plan *p,
		      const char *tgcls, const char *tg, const char *indent, const char *unit)
{
	const char *nl = ctx->src->newline;
	struct buf text = BUF_INIT, trailing = BUF_INIT, own = BUF_INIT, inner = BUF_INIT,
		   target = BUF_INIT, results = BUF_INIT;
	char names[64][32];

	buf_printf(&inner, "%s%s", indent, unit);
	target_text(ctx, p, &target);
	for (unsigned i = 0; i < p->n; i++) {
		struct buf name = BUF_INIT;
		char base[16];

		snprintf(base, sizeof(base), "_t%u", i);
		rule_fresh_name(ctx, base, &name);
		snprintf(names[i], sizeof(names[i]), "%s", buf_cstr(&name));
		buf_release(&name);
	}
	for (unsigned i = 0; i <= p->n; i++) {
		uint32_t from = i ? ts_node_end_byte(p->list[i - 1].node) :
				    ts_node_start_byte(p->args) + 1;
		uint32_t to = i < p->n ? ts_node_start_byte(p->list[i].node) :
			      ts_node_end_byte(p->args) - 1;
		uint32_t start = i ? from : ts_node_start_byte(p->stmt);
		uint32_t end = i < p->n ? to : ts_node_end_byte(p->stmt);

		buf_clear(&text);
		buf_clear(&trailing);
		buf_clear(&own);
		gap_comments(ctx, p->args, from, to, buf_cstr(&inner), &trailing, &own);
		if (i == 0)
			buf_printf(&text, "async with %s() as %s:%s%s", tgcls, tg, buf_cstr(&trailing), nl);
		else
			buf_printf(&text, "%s%s%s",
				   same(p->list[i - 1].call, p->list[i - 1].node) ? ")" : "",
				   buf_cstr(&trailing), nl);
		buf_puts(&text, buf_cstr(&own));
		if (i < p->n) {
			const struct arg *a = &p->list[i];

			buf_printf(&text, "%s", buf_cstr(&inner));
			if (p->shape != SHAPE_EXPR)
				buf_printf(&text, "%s = ", names[i]);
			if (same(a->call, a->node)) {
				buf_printf(&text, "%s.create_task(", tg);
			} else {
				/* create_task(c): the group's create_task takes its place */
				TSNode fn = ts_node_child_by_field_name(a->node, "function", 8);
				struct buf callee = BUF_INIT;

				buf_printf(&callee, "%s.create_task", tg);
				rule_edit(f, ts_node_start_byte(fn), ts_node_end_byte(fn), buf_cstr(&callee));
				buf_release(&callee);
			}
		} else {
			/* the block ends here: no line break after its last line */
			text.len -= strlen(nl);
			text.ptr[text.len] = 0;
			if (p->shape != SHAPE_EXPR) {
				buf_clear(&results);
				for (unsigned k = 0; k < p->n; k++)
					buf_printf(&results, "%s%s.result()", k ? ", " : "", names[k]);
				buf_printf(&text, "%s%s%s[%s]", nl, indent, buf_cstr(&target),
					   buf_cstr(&results));
			}
		}
		rule_edit(f, start, end, buf_cstr(&text));
		if (i < p->n) {
			const struct arg *a = &p->list[i];
			uint32_t s = ts_node_start_byte(a->node), e = ts_node_end_byte(a->node);

			/* continuation lines of the argument move as far as its first line */
			if (next_line(ctx, s) < e) {
				struct buf was = BUF_INIT;

				rule_indent(ctx, s, &was);
				if (inner.len > was.len && mem_eq(inner.ptr, was.ptr, was.len))
					rule_reindent(ctx, f, next_line(ctx, s), e, inner.ptr + was.len);
				else if (was.len > inner.len && mem_eq(inner.ptr, was.ptr, inner.len))
					rule_dedent(ctx, f, next_line(ctx, s), e, was.ptr + inner.len);
				buf_release(&was);
			}
		}
	}
	buf_release(&text);
	buf_release(&trailing);
	buf_release(&own);
	buf_release(&inner);
	buf_release(&target);
	buf_release(&results);
}

/* Adds the edits of the collected form: the argument list becomes a tuple
 * of coroutines, the block creates a task for each. */
static bool fix_collected(struct rule_ctx *ctx, struct finding *f, const struct plan *p,
			  const char *tgcls, const char *tg, const char *indent, const char *unit)
{
	const char *nl = ctx->src->newline;
	struct buf coros = BUF_INIT, tasks = BUF_INIT, c = BUF_INIT, t = BUF_INIT,
		   text = BUF_INIT, target = BUF_INIT;
	uint32_t count = ts_node_named_child_count(p->args), last_end;
	TSNode last = p->list[p->n - 1].node;
	bool comma = false;

	rule_fresh_name(ctx, "_coros", &coros);
	rule_fresh_name(ctx, "_tasks", &tasks);
	rule_fresh_name(ctx, "_c", &c);
	rule_fresh_name(ctx, "_t", &t);
	target_text(ctx, p, &target);
	for (unsigned i = 0; i < p->n; i++) {
		const struct arg *a = &p->list[i];
		uint32_t len;
		const char *s = rule_text(ctx, a->node, &len);

		if (a->starred || same(a->call, a->node))
			continue;
		/* create_task(c) -> c: the task is made in the block */
		if (memchr(s, '#', len))
			goto refuse;
		rule_edit(f, ts_node_start_byte(a->node), ts_node_start_byte(a->call), "");
		rule_edit(f, ts_node_end_byte(a->call), ts_node_end_byte(a->node), "");
	}
	last_end = ts_node_end_byte(last);
	if (!ts_node_is_null(p->kw)) {
		if (comment_between(p->args, last_end, ts_node_end_byte(p->kw)))
			goto refuse;
		rule_edit(f, last_end, ts_node_end_byte(p->kw), "");
		last_end = ts_node_end_byte(p->kw);
	}
	for (uint32_t i = 0; i < ts_node_child_count(p->args); i++) {
		TSNode k = ts_node_child(p->args, i);

		if (!strcmp(ts_node_type(k), ",") && ts_node_start_byte(k) >= last_end)
			comma = true;
	}
	(void)count;
	if (p->n == 1 && !comma)
		rule_edit(f, ts_node_end_byte(last), ts_node_end_byte(last), ",");
	buf_printf(&text, "%s = ", buf_cstr(&coros));
	rule_edit(f, ts_node_start_byte(p->stmt), ts_node_start_byte(p->args), buf_cstr(&text));
	buf_clear(&text);
	buf_printf(&text, "%s%sasync with %s() as %s:%s", nl, indent, tgcls, tg, nl);
	if (p->shape == SHAPE_EXPR)
		buf_printf(&text, "%s%sfor %s in %s:%s%s%s%s%s.create_task(%s)", indent, unit,
			   buf_cstr(&c), buf_cstr(&coros), nl, indent, unit, unit, tg, buf_cstr(&c));
	else
		buf_printf(&text, "%s%s%s = [%s.create_task(%s) for %s in %s]%s%s%s[%s.result() for %s in %s]",
			   indent, unit, buf_cstr(&tasks), tg, buf_cstr(&c), buf_cstr(&c),
			   buf_cstr(&coros), nl, indent, buf_cstr(&target), buf_cstr(&t), buf_cstr(&t),
			   buf_cstr(&tasks));
	rule_edit(f, ts_node_end_byte(p->args), ts_node_end_byte(p->stmt), buf_cstr(&text));
	buf_release(&coros);
	buf_release(&tasks);
	buf_release(&c);
	buf_release(&t);
	buf_release(&text);
	buf_release(&target);
	return true;
refuse:
	buf_release(&coros);
	buf_release(&tasks);
	buf_release(&c);
	buf_release(&t);
	buf_release(&text);
	buf_release(&target);
	return false;
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
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) || !qname_in(buf_cstr(&q), gathers))
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
	if (!(p.n == 1 && !p.any_starred) && !enclosing_handlers(ctx, p.stmt, &stars)) {
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
		if (!fix_single(ctx, f, &p)) {
			rule_no_fix(f, "comment-would-be-lost");
			goto done;
		}
	} else {
		bool ok;

		if (taskgroup_ref(ctx, f, ts_node_start_byte(p.stmt), &tgcls) < 0) {
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
			ok = !p.list[i].starred && plain_call(p.list[i].call) &&
			     plain_wrapper(p.list[i].node, p.list[i].call);
		if (ok) {
			fix_tasks(ctx, f, &p, buf_cstr(&tgcls), buf_cstr(&tg), buf_cstr(&indent),
				  buf_cstr(&unit));
		} else if (has_options(&p)) {
			rule_no_fix(f, "task-options");
			goto done;
		} else if (!fix_collected(ctx, f, &p, buf_cstr(&tgcls), buf_cstr(&tg),
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
	if (is_type(fn, "identifier") || (p.n == 1 && !p.any_starred))
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
