/*
 * gather_rewrite (AM101, see gather.c): the edits that turn an awaited
 * gather into an `asyncio.TaskGroup` block (one task per argument, or the
 * coroutines built first), or `[await c]` for one coroutine; the comments
 * of the argument list carried over; and an enclosing `try` whose
 * handlers become `except*`.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "gather_internal.h"
#include "../src/tree.h"

static const TSNode no_node = { { 0 }, NULL, NULL };

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
	if (syntax_is_definition(n))
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

	if (syntax_type_is(n, "raise_statement"))
		return count == 0;
	if (syntax_is_definition(n))
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
	if (syntax_type_is(n, "identifier"))
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

		if (!syntax_type_is(clause, "except_clause"))
			continue;
		value = ts_node_child_by_field_name(clause, "value", 5);
		if (ts_node_is_null(value))
			return false;	/* bare `except:` has no `except*` form */
		types = value;
		if (syntax_type_is(value, "as_pattern")) {
			types = ts_node_named_child(value, 0);
			alias = ts_node_child_by_field_name(value, "alias", 5);
		}
		block = ts_node_named_child(clause, ts_node_named_child_count(clause) - 1);
		if (!syntax_type_is(block, "block") || catches_group(ctx, types) || jumps_out(block, false) ||
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
bool gather_enclosing_handlers(const struct rule_ctx *ctx, TSNode stmt, struct vec *stars)
{
	struct buf q = BUF_INIT;
	bool ok = true;

	for (TSNode n = stmt, p = tree_parent(stmt); ok && !ts_node_is_null(p);
	     n = p, p = tree_parent(p)) {
		if (syntax_is_definition(p))
			break;
		if (syntax_type_is(p, "try_statement") && syntax_is_field(p, "body", n)) {
			ok = convert_handlers(ctx, p, stars);
		} else if (syntax_type_is(p, "with_statement")) {
			TSNode clause = ts_node_named_child(p, 0);
			uint32_t count = syntax_type_is(clause, "with_clause") ?
					 ts_node_named_child_count(clause) : 0;

			for (uint32_t i = 0; i < count && ok; i++) {
				TSNode v = syntax_unwrap_parens(ts_node_child_by_field_name(
					ts_node_named_child(clause, i), "value", 5));

				if (syntax_type_is(v, "as_pattern"))
					v = ts_node_named_child(v, 0);
				if (syntax_type_is(v, "call") &&
				    !strcmp(gather_resolved(
						    ctx, ts_node_child_by_field_name(v, "function", 8), &q),
					    "contextlib.suppress"))
					ok = false;
			}
		}
	}
	buf_release(&q);
	return ok;
}

/* The comments of the argument list that lie between arguments. */
static bool comment_between(TSNode args, uint32_t from, uint32_t to)
{
	uint32_t count = ts_node_named_child_count(args);

	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(args, i);

		if (syntax_type_is(c, "comment") && ts_node_start_byte(c) >= from &&
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

		if (!syntax_type_is(c, "comment") || ts_node_start_byte(c) < from || ts_node_end_byte(c) > to)
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

/* Adds the edits of the form for one plain argument: `[await c]`. */
bool gather_fix_single(const struct rule_ctx *ctx, struct finding *f, const struct plan *p)
{
	TSNode c = p->list[0].call;
	const char *open = p->shape == SHAPE_EXPR ? "await " : "[await ";
	uint32_t len;
	const char *t;

	if (comment_between(p->args, 0, UINT32_MAX))
		return false;
	t = rule_text(ctx, p->list[0].node, &len);
	if (!syntax_same_node(c, p->list[0].node) && memchr(t, '#', len))
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
int gather_taskgroup_ref(struct rule_ctx *ctx, struct finding *f, uint32_t at, struct buf *out)
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
void gather_fix_tasks(struct rule_ctx *ctx, struct finding *f, const struct plan *p,
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
				   syntax_same_node(p->list[i - 1].call, p->list[i - 1].node) ? ")" : "",
				   buf_cstr(&trailing), nl);
		buf_puts(&text, buf_cstr(&own));
		if (i < p->n) {
			const struct arg *a = &p->list[i];

			buf_printf(&text, "%s", buf_cstr(&inner));
			if (p->shape != SHAPE_EXPR)
				buf_printf(&text, "%s = ", names[i]);
			if (syntax_same_node(a->call, a->node)) {
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
			if (syntax_next_line(ctx, s) < e) {
				struct buf was = BUF_INIT;

				rule_indent(ctx, s, &was);
				if (inner.len > was.len && mem_eq(inner.ptr, was.ptr, was.len))
					rule_reindent(ctx, f, syntax_next_line(ctx, s), e, inner.ptr + was.len);
				else if (was.len > inner.len && mem_eq(inner.ptr, was.ptr, inner.len))
					rule_dedent(ctx, f, syntax_next_line(ctx, s), e, was.ptr + inner.len);
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
bool gather_fix_collected(struct rule_ctx *ctx, struct finding *f, const struct plan *p,
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

		if (a->starred || syntax_same_node(a->call, a->node))
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
