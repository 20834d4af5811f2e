/*
 * syntax: questions about Python syntax trees that several transforms ask
 * (where a name is bound, which code a function runs itself, whether a
 * statement can be deleted as whole lines).
 */
#ifndef ASYNCMOD_SYNTAX_H
#define ASYNCMOD_SYNTAX_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "../src/rule.h"

/* The expression inside any number of parentheses (comments aside). */
TSNode syntax_unwrap_parens(TSNode n);

/* True when the identifier `id` is in a binding position: an assignment or
 * `for` target, an `as` target, a walrus name, a parameter, the name of a
 * def or class, an import, `global`/`nonlocal`, `del`. */
bool syntax_is_store(TSNode id);

/* True when a node opens a scope of its own: def, lambda, class,
 * comprehension, generator expression. */
bool syntax_is_scope(TSNode n);

/* True when `n` is code that `scope` (a def, lambda, class or the module)
 * runs itself, not a nested scope (the name of a nested def or class
 * counts as the outer scope's). */
bool syntax_owned_by(TSNode scope, TSNode n);

/* Appends to `out` (struct vec of TSNode) every identifier under `root`
 * whose text is `name`. */
void syntax_find_names(const struct rule_ctx *ctx, TSNode root, const char *name, size_t len,
		       struct vec *out);

/* Appends to `out` (struct vec of TSNode) the nodes of type `type` under
 * `root` that `root` runs itself (nested scopes skipped). */
void syntax_find_owned(TSNode root, const char *type, struct vec *out);

/* Appends to `out` every node of type `type` under `root`, nested scopes
 * included. */
void syntax_find_all(TSNode root, const char *type, struct vec *out);

/* True when a comment lies under `node` within [start, end). */
bool syntax_comment_in(TSNode node, uint32_t start, uint32_t end);

/* The byte range of the whole line(s) of `stmt`, line break included, when
 * nothing but blanks shares them; false otherwise. */
bool syntax_whole_lines(const struct rule_ctx *ctx, TSNode stmt, uint32_t *start, uint32_t *end);

/* The positional arguments of an argument_list (comments skipped) into
 * `out` (at most `max`); returns how many there are in all, or -1 when
 * there is a keyword argument, a splat or a generator argument. */
int syntax_positional(TSNode args, TSNode *out, int max);

/* Appends to `out` the identifiers called `name` that `scope` (a def,
 * lambda, class, comprehension or the module) binds itself: stores in its
 * own code and the names of the defs and classes directly in it. */
void syntax_find_stores(const struct rule_ctx *ctx, TSNode scope, const char *name, size_t len,
			struct vec *out);

/* How `scope` (a def, lambda, class, comprehension) binds `name` itself:
 * 0 not at all, 1 as a local, 2 through `global`. */
int syntax_binds(const struct rule_ctx *ctx, TSNode scope, const char *name, size_t len);

/* True when the identifier `id` means the module's own binding of its
 * name: no enclosing function scope binds it (or it is declared global). */
bool syntax_means_module(const struct rule_ctx *ctx, TSNode id);

/* An except clause's type expression and `as` name (null nodes when
 * absent), and its block. */
void syntax_handler_parts(TSNode handler, TSNode *type, TSNode *name);
TSNode syntax_handler_body(TSNode handler);

/* ---- small node and string tests the transforms share ---- */

/* True when `n` is not null and of type `type`. */
bool syntax_type_is(TSNode n, const char *type);

/* The field `name` of `n`; a null node when either is missing. */
TSNode syntax_field(TSNode n, const char *name);

/* The i-th named child of `n`; a null node when there is none. */
TSNode syntax_named_child(TSNode n, uint32_t i);

/* True when `a` and `b` are both not null and the same node. */
bool syntax_node_eq(TSNode a, TSNode b);

/* True when the string `s` is one of the NULL-ended `list`. */
bool syntax_str_in(const char *s, const char *const *list);

/* The same for the `len` bytes at `s`. */
bool syntax_strn_in(const char *s, size_t len, const char *const *list);

/* True when the text of `n` is one of the NULL-ended `list`. */
bool syntax_text_in(const struct rule_ctx *ctx, TSNode n, const char *const *list);

/* Appends the text of `n` to `out`. */
void syntax_node_text(const struct rule_ctx *ctx, TSNode n, struct buf *out);

/* What syntax_walk does after visiting a node. */
enum syntax_step {
	SYNTAX_WALK_INTO,	/* go on into the node's children */
	SYNTAX_WALK_PAST,	/* skip its children */
	SYNTAX_WALK_STOP,	/* end the walk */
};

/* Visits the nodes under `n` (not `n` itself) in order, with one cursor:
 * indexing children one by one is quadratic in their number. Returns
 * false when a visit stopped it. */
bool syntax_walk(TSNode n, enum syntax_step (*visit)(TSNode node, void *arg), void *arg);

/* True when `n` (a def, `with` or `for`) starts with the `async` keyword. */
bool syntax_is_async(TSNode n);

/* The arguments of a call other than comments (1 for a bare generator
 * argument, 0 when it has none). */
uint32_t syntax_argument_count(TSNode call);

/* ---- statements, scopes and fields the transforms share ---- */

/* True when `a` and `b` are both non-null and have the same range and
 * type (syntax_node_eq asks for the very same node). */
bool syntax_same_node(TSNode a, TSNode b);

/* True when `child` is the `field` child of `parent`. */
bool syntax_is_field(TSNode parent, const char *field, TSNode child);

/* True when `def` is an `async def`. */
bool syntax_is_async_def(TSNode def);

/* True for a def, lambda or class (not a comprehension, compare
 * syntax_is_scope). */
bool syntax_is_def_scope(TSNode n);

/* True for a def, lambda, class or decorated definition; `n` must not be
 * null. */
bool syntax_is_definition(TSNode n);

/* True when `n` or a node below it (not inside a nested def, lambda or
 * class) has type `type`; a def, lambda or class `n` counts only itself. */
bool syntax_holds(TSNode n, const char *type);

/* True when `n` (not null) or a node below it has type `type`, its own
 * children always searched and nested definitions under it (see
 * syntax_is_definition, decorators included) skipped. */
bool syntax_holds_below(TSNode n, const char *type);

/* The statement holding `n`: the ancestor whose parent is a block or the
 * module. */
TSNode syntax_statement_of(TSNode n);

/* The outermost parenthesized expression that holds only `n` (comments
 * aside), or `n` itself. */
TSNode syntax_paren_top(TSNode n);

/* The start of the line after the one holding byte `at`. */
uint32_t syntax_next_line(const struct rule_ctx *ctx, uint32_t at);

/* True when `obj` (the receiver of `.create_task`) is an event loop:
 * `asyncio.get_running_loop()`, `asyncio.get_event_loop()`, or a name
 * such as `loop`, `self._loop`, `event_loop`. */
bool syntax_is_loop(const struct rule_ctx *ctx, TSNode obj);

/* True when `call` creates an asyncio task: `asyncio.create_task(..)`,
 * `asyncio.ensure_future(..)` (also through asyncio.tasks or imported by
 * name) or `.create_task(..)` on an event loop (syntax_is_loop). A
 * TaskGroup's `create_task` is not one: the group awaits its tasks. */
bool syntax_creates_task(const struct rule_ctx *ctx, TSNode call);

/* ---- statements and blocks (syntax_block.c) ---- */

/* The parent of `n` above any parentheses around it. */
TSNode syntax_parent_unparen(TSNode n);

/* True when `stmt` shares no line with another statement or with its
 * block's header. */
bool syntax_alone(TSNode stmt);

/* True when the use `attr` of an object (`x.m`, `x.m(..)`, its object the
 * name) lets the object outlive the code: returned, yielded, in a lambda
 * or stored on another object without being awaited. */
bool syntax_member_use_escapes(TSNode attr);

/* The last statement of a block, comments aside; a null node when there
 * is none. */
TSNode syntax_last_statement(TSNode block);

/* True when control can reach the end of `block` (an approximation that
 * errs towards "yes": loops and match statements are assumed to). */
bool syntax_falls_through(TSNode block);

/* Adds to `f` the edits that turn `stmt` (`NAME = VALUE` alone on its
 * line, in a block) into `async with VALUE as NAME:` over the lines that
 * follow it up to the end of `last`, a later statement of the same block,
 * re-indented with the file's indent unit (their line ends are claimed,
 * so a fix adding a line there waits for the next run); when `last` is
 * `stmt` the new body is `pass`. The text from the start of `stmt` to
 * `value_start` becomes `async with `; ` as NAME:` goes in at
 * `value_end`. */
void syntax_async_with_over(const struct rule_ctx *ctx, struct finding *f, TSNode stmt,
			    TSNode name, uint32_t value_start, uint32_t value_end, TSNode last);

#endif
