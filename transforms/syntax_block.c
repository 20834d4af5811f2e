/*
 * syntax_block: statements and the blocks that hold them, as several
 * transforms need them: where control can leave a block, whether a
 * statement has its line to itself, whether a use of an object lets it
 * outlive the code that made it, and the rewrite of `NAME = VALUE` into an
 * `async with VALUE as NAME:` over the statements that follow it.
 */
#include "syntax.h"
#include "../src/tree.h"

#include <stdlib.h>
#include <string.h>

TSNode syntax_parent_unparen(TSNode n)
{
	TSNode p = tree_parent(n);

	while (syntax_type_is(p, "parenthesized_expression"))
		p = tree_parent(p);
	return p;
}

bool syntax_alone(TSNode stmt)
{
	TSNode prev = ts_node_prev_sibling(stmt), next = ts_node_next_sibling(stmt);
	TSNode block = tree_parent(stmt);

	if (!ts_node_is_null(prev) && ts_node_end_point(prev).row == ts_node_start_point(stmt).row)
		return false;
	if (!ts_node_is_null(next) && !syntax_type_is(next, "comment") &&
	    ts_node_start_point(next).row == ts_node_end_point(stmt).row)
		return false;
	return ts_node_start_point(tree_parent(block)).row != ts_node_start_point(stmt).row;
}

bool syntax_member_use_escapes(TSNode attr)
{
	TSNode child = attr;

	for (TSNode q = tree_parent(attr); !ts_node_is_null(q); child = q, q = tree_parent(q)) {
		const char *t = ts_node_type(q);

		if (!strcmp(t, "await"))
			return false;
		if (!strcmp(t, "return_statement") || !strcmp(t, "yield") || !strcmp(t, "lambda"))
			return true;
		if (!strcmp(t, "assignment") || !strcmp(t, "augmented_assignment")) {
			TSNode left = ts_node_child_by_field_name(q, "left", 4);

			return ts_node_start_byte(child) != ts_node_start_byte(left) &&
			       !syntax_type_is(left, "identifier");
		}
		if (!strcmp(t, "block") || !strcmp(t, "module"))
			return false;
	}
	return false;
}

TSNode syntax_last_statement(TSNode block)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint32_t i = ts_node_named_child_count(block); i > 0; i--)
		if (!syntax_type_is(ts_node_named_child(block, i - 1), "comment"))
			return ts_node_named_child(block, i - 1);
	return none;
}

bool syntax_falls_through(TSNode block)
{
	TSNode last = syntax_last_statement(block);
	const char *t;

	if (ts_node_is_null(last))
		return true;
	t = ts_node_type(last);
	if (!strcmp(t, "raise_statement") || !strcmp(t, "return_statement") ||
	    !strcmp(t, "break_statement") || !strcmp(t, "continue_statement"))
		return false;
	if (!strcmp(t, "if_statement")) {
		bool has_else = false;

		if (syntax_falls_through(ts_node_child_by_field_name(last, "consequence", 11)))
			return true;
		for (uint32_t i = 0; i < ts_node_named_child_count(last); i++) {
			TSNode c = ts_node_named_child(last, i);

			if (syntax_type_is(c, "elif_clause") &&
			    syntax_falls_through(ts_node_child_by_field_name(c, "consequence", 11)))
				return true;
			if (syntax_type_is(c, "else_clause")) {
				has_else = true;
				if (syntax_falls_through(ts_node_child_by_field_name(c, "body", 4)))
					return true;
			}
		}
		return !has_else;
	}
	if (!strcmp(t, "with_statement"))
		return syntax_falls_through(ts_node_child_by_field_name(last, "body", 4));
	if (!strcmp(t, "try_statement")) {
		TSNode body = ts_node_child_by_field_name(last, "body", 4);

		for (uint32_t i = 0; i < ts_node_named_child_count(last); i++) {
			TSNode c = ts_node_named_child(last, i);

			if (syntax_type_is(c, "finally_clause") &&
			    !syntax_falls_through(syntax_handler_body(c)))
				return false;
			if (syntax_type_is(c, "else_clause"))
				body = ts_node_child_by_field_name(c, "body", 4);
		}
		if (syntax_falls_through(body))
			return true;
		for (uint32_t i = 0; i < ts_node_named_child_count(last); i++) {
			TSNode c = ts_node_named_child(last, i);

			if (syntax_type_is(c, "except_clause") &&
			    syntax_falls_through(syntax_handler_body(c)))
				return true;
		}
		return false;
	}
	return true;
}

/* Claims the end of each line that begins in [start, end) (its last
 * character and line break, rewritten as they are), so that another
 * fix adding a line there clashes with this one and waits for the next
 * run: a line it added would keep the old indentation and fall out of
 * the new block (or break the file). */
static void guard_line_ends(const struct rule_ctx *ctx, struct finding *f, uint32_t start,
			    uint32_t end)
{
	const char *s = ctx->src->text;
	uint32_t i = start;

	while (i < ctx->src->len && i < end) {
		uint32_t nl = i, last;
		char *text;

		while (nl < ctx->src->len && s[nl] != '\n')
			nl++;
		last = nl;
		if (last > i && s[last - 1] == '\r')
			last--;
		if (last > i) {
			uint32_t to = nl < ctx->src->len ? nl + 1 : nl;

			text = xstrndup(s + last - 1, to - (last - 1));
			rule_edit(f, last - 1, to, text);
			free(text);
		}
		i = nl + 1;
	}
}

void syntax_async_with_over(const struct rule_ctx *ctx, struct finding *f, TSNode stmt,
			    TSNode name, uint32_t value_start, uint32_t value_end, TSNode last)
{
	struct buf unit = BUF_INIT, text = BUF_INIT, indent = BUF_INIT;
	uint32_t at;

	rule_indent_unit(ctx, &unit);
	rule_edit(f, ts_node_start_byte(stmt), value_start, "async with ");
	buf_printf(&text, " as %.*s:", (int)(ts_node_end_byte(name) - ts_node_start_byte(name)),
		   ctx->src->text + ts_node_start_byte(name));
	rule_edit(f, value_end, value_end, buf_cstr(&text));
	at = ts_node_end_byte(stmt);
	while (at < ctx->src->len && ctx->src->text[at] != '\n')
		at++;
	if (ts_node_start_byte(last) == ts_node_start_byte(stmt)) {
		/* nothing goes into the block: its body is `pass` */
		rule_indent(ctx, ts_node_start_byte(stmt), &indent);
		buf_clear(&text);
		buf_printf(&text, "%s%s%spass", ctx->src->newline, buf_cstr(&indent), buf_cstr(&unit));
		if (at > 0 && ctx->src->text[at - 1] == '\r')
			at--;
		rule_edit(f, at, at, buf_cstr(&text));
	} else if (at < ctx->src->len) {
		rule_reindent(ctx, f, at + 1, ts_node_end_byte(last), buf_cstr(&unit));
		guard_line_ends(ctx, f, at + 1, ts_node_end_byte(last));
	}
	buf_release(&unit);
	buf_release(&text);
	buf_release(&indent);
}
