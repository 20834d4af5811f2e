/*
 * gather_args (AM101, see gather.c): what each argument of a gather is.
 * A fresh coroutine (a call of an undecorated `async def` of the module, a
 * method of the enclosing class, or a stdlib coroutine function, perhaps
 * inside `create_task(..)`), something else, or a future no TaskGroup can
 * take; and whether its operands are plain enough to be evaluated inside
 * the TaskGroup block.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "gather_internal.h"
#include "../src/tree.h"

static const TSNode no_node = { { 0 }, NULL, NULL };

bool gather_qname_in(const char *q, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(q, list[i]))
			return true;
	return false;
}

/* The qualified name `expr` resolves to through imports, or "" when it
 * is not an imported name. */
const char *gather_resolved(const struct rule_ctx *ctx, TSNode expr, struct buf *q)
{
	buf_clear(q);
	if (!syntax_type_is(expr, "identifier") && !syntax_type_is(expr, "attribute"))
		return "";
	if (scope_resolve_expr(ctx->scopes, expr, q) != RESOLVE_MODULE)
		buf_clear(q);
	return buf_cstr(q);
}

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

/* True when the identifier `id` stores into its name (or may: a target
 * such as `x[name] = ..` counts, which only makes callers more careful). */
static bool is_store(TSNode id)
{
	TSNode n = id;

	for (TSNode p = tree_parent(n); !ts_node_is_null(p); n = p, p = tree_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "assignment") || !strcmp(t, "augmented_assignment") ||
		    !strcmp(t, "for_statement") || !strcmp(t, "for_in_clause"))
			return syntax_is_field(p, "left", n);
		if (!strcmp(t, "named_expression"))
			return syntax_is_field(p, "name", n);
		if (!strcmp(t, "as_pattern_target") || !strcmp(t, "global_statement") ||
		    !strcmp(t, "nonlocal_statement") || !strcmp(t, "delete_statement") ||
		    !strcmp(t, "import_statement") || !strcmp(t, "import_from_statement") ||
		    !strcmp(t, "case_pattern"))
			return true;
		if (strstr(t, "statement") || !strcmp(t, "block") || syntax_is_definition(p))
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
		bool decorated = syntax_type_is(tree_parent(n), "decorated_definition");

		if (rule_text_is(ctx, id, name)) {
			TSNode body = ts_node_child_by_field_name(n, "body", 4);

			if (syntax_is_async_def(n) && !decorated && !ts_node_is_null(body) &&
			    !syntax_holds_below(body, "yield")) {
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

		if (!syntax_type_is(p, "identifier")) {
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

		if (syntax_type_is(c, "for_in_clause")) {
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
	for (p = tree_parent(id); !ts_node_is_null(p); p = tree_parent(p)) {
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

	if (!syntax_type_is(obj, "identifier") || !syntax_type_is(fn, "function_definition") ||
	    syntax_type_is(tree_parent(fn), "decorated_definition"))
		return false;
	params = ts_node_child_by_field_name(fn, "parameters", 10);
	if (ts_node_is_null(params) || !ts_node_named_child_count(params))
		return false;
	first = ts_node_named_child(params, 0);
	cls = tree_parent(tree_parent(fn));
	if (!syntax_type_is(first, "identifier") || !syntax_type_is(cls, "class_definition"))
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


/* Judges `arg` (an argument expression, or the body of a starred
 * comprehension). `*inner` gets the coroutine call, `arg` itself or the
 * coroutine inside a `create_task(..)` / `ensure_future(..)`. */
enum arg_verdict gather_judge_arg(const struct rule_ctx *ctx, TSNode arg, TSNode *inner,
				  bool *options)
{
	TSNode call = syntax_unwrap_parens(arg), fn, args;
	struct buf q = BUF_INIT;
	enum arg_verdict v = ARG_NOT_FRESH;
	const char *name;

	*inner = call;
	if (!syntax_type_is(call, "call"))
		return ARG_NOT_FRESH;
	fn = ts_node_child_by_field_name(call, "function", 8);
	args = ts_node_child_by_field_name(call, "arguments", 9);
	name = gather_resolved(ctx, fn, &q);
	if (gather_qname_in(name, futures)) {
		v = ARG_NESTED;
	} else if (gather_qname_in(name, wrappers)) {
		/* create_task(c): one positional coroutine; `name=` and `context=`
		 * of create_task can go to the group's create_task */
		bool create = strstr(name, "create_task") != NULL;
		uint32_t count = syntax_type_is(args, "argument_list") ? ts_node_named_child_count(args) : 0;
		TSNode only = no_node, sub;
		unsigned n = 0, bad = 0;
		bool sub_options = false;

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(args, i);

			if (syntax_type_is(c, "comment"))
				continue;
			if (syntax_type_is(c, "keyword_argument")) {
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
		if (n == 1 && !bad && !syntax_type_is(only, "list_splat") &&
		    !syntax_type_is(only, "dictionary_splat")) {
			v = gather_judge_arg(ctx, only, &sub, &sub_options);
			if (v == ARG_FRESH && syntax_same_node(sub, syntax_unwrap_parens(only)))
				*inner = sub;
			else if (v == ARG_FRESH)
				v = ARG_NOT_FRESH;	/* create_task(create_task(c)) */
		}
	} else if (gather_qname_in(name, coroutine_functions)) {
		v = ARG_FRESH;
	} else if (syntax_type_is(fn, "identifier")) {
		v = names_coroutine_function(ctx, fn) ? ARG_FRESH : ARG_NOT_FRESH;
	} else if (syntax_type_is(fn, "attribute")) {
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
		return !syntax_holds_below(e, "interpolation");
	if (!strcmp(t, "unary_operator")) {
		TSNode x = ts_node_child_by_field_name(e, "argument", 8);

		return syntax_type_is(x, "integer") || syntax_type_is(x, "float");
	}
	if (!strcmp(t, "keyword_argument"))
		return plain_operand(ts_node_child_by_field_name(e, "value", 5));
	return false;
}

/* True when a coroutine call's callee and arguments are plain operands,
 * so creating each task before the next argument is evaluated is the
 * same as evaluating all arguments first. */
bool gather_plain_call(TSNode call)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	uint32_t count;

	if (!plain_operand(fn) || !syntax_type_is(args, "argument_list"))
		return false;
	count = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);

		if (!syntax_type_is(c, "comment") && !plain_operand(c))
			return false;
	}
	return true;
}

/* True when a `create_task(call, name=.., context=..)` around `call` has
 * plain options (or when there is no wrapper). */
bool gather_plain_wrapper(TSNode node, TSNode call)
{
	TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
	uint32_t count;

	if (syntax_same_node(node, call))
		return true;
	count = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);

		if (!syntax_type_is(c, "comment") &&
		    !syntax_same_node(syntax_unwrap_parens(c), call) && !plain_operand(c))
			return false;
	}
	return true;
}

/* Calls that return a future, not a coroutine: a TaskGroup cannot take
 * what they return. */
static bool future_call(const struct rule_ctx *ctx, TSNode e)
{
	TSNode call = syntax_unwrap_parens(e), fn;
	struct buf q = BUF_INIT;
	const char *name;
	bool yes;

	if (!syntax_type_is(call, "call"))
		return false;
	fn = ts_node_child_by_field_name(call, "function", 8);
	if (syntax_type_is(fn, "attribute")) {
		TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);

		if (rule_text_is(ctx, attr, "run_in_executor") ||
		    rule_text_is(ctx, attr, "create_future") ||
		    rule_text_is(ctx, attr, "run_coroutine_threadsafe"))
			return true;
	}
	name = gather_resolved(ctx, fn, &q);
	yes = gather_qname_in(name, futures) ||
	      (name && (!strcmp(name, "asyncio.Future") || !strcmp(name, "asyncio.wrap_future") ||
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

	if (syntax_type_is(fn, "attribute") &&
	    (rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "create_task") ||
	     rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9), "ensure_future")))
		return true;
	yes = gather_qname_in(gather_resolved(ctx, fn, &q), wrappers);
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
	v = syntax_unwrap_parens(v);
	if (syntax_type_is(v, "identifier") && !coros_only)
		return name_holds_calls(ctx, v, true);
	if (syntax_type_is(v, "list") || syntax_type_is(v, "tuple")) {
		uint32_t count = ts_node_named_child_count(v);

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(v, i);

			if (!syntax_type_is(c, "comment") && !value_holds_calls(ctx, c, coros_only))
				return false;
		}
		return true;
	}
	if (syntax_type_is(v, "list_comprehension") || syntax_type_is(v, "generator_expression"))
		return value_holds_calls(ctx, ts_node_child_by_field_name(v, "body", 4),
					 coros_only);
	return syntax_type_is(v, "call") && !future_call(ctx, v) && !(coros_only && task_call(ctx, v));
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
		TSNode id = *(TSNode *)vec_at(&ids, i), p = tree_parent(id), gp;

		if (!syntax_owned_by(fn, id)) {
			ok = strcmp(ts_node_type(p), "nonlocal_statement") != 0;
			continue;
		}
		if (syntax_is_store(id)) {
			if (syntax_type_is(p, "assignment") &&
			    syntax_same_node(ts_node_child_by_field_name(p, "left", 4), id) &&
			    !ts_node_is_null(ts_node_child_by_field_name(p, "right", 5)) &&
			    value_holds_calls(ctx, ts_node_child_by_field_name(p, "right", 5),
					      coros_only))
				assigned++;
			else
				ok = false;
			continue;
		}
		if (syntax_type_is(p, "global_statement") || syntax_type_is(p, "nonlocal_statement")) {
			ok = false;
			continue;
		}
		/* NAME.append(x) / NAME.extend(xs): what goes in must be calls */
		gp = tree_parent(p);
		if (syntax_type_is(p, "attribute") &&
		    syntax_same_node(ts_node_child_by_field_name(p, "object", 6), id) &&
		    syntax_type_is(gp, "call") &&
		    syntax_same_node(ts_node_child_by_field_name(gp, "function", 8), p)) {
			TSNode attr = ts_node_child_by_field_name(p, "attribute", 9);
			TSNode args = ts_node_child_by_field_name(gp, "arguments", 9);

			if ((rule_text_is(ctx, attr, "append") || rule_text_is(ctx, attr, "extend")) &&
			    syntax_type_is(args, "argument_list") &&
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
bool gather_future_arg(const struct rule_ctx *ctx, TSNode c)
{
	TSNode e = c;

	if (syntax_type_is(c, "list_splat")) {
		e = syntax_unwrap_parens(ts_node_named_child(c, 0));
		if (syntax_type_is(e, "list_comprehension") || syntax_type_is(e, "generator_expression"))
			return future_call(ctx, ts_node_child_by_field_name(e, "body", 4));
		if (!syntax_type_is(e, "identifier"))
			return true;	/* `*self.tasks`: whatever it holds */
	}
	if (syntax_type_is(e, "identifier"))
		return !name_holds_calls(ctx, e, false);
	return future_call(ctx, e);
}
