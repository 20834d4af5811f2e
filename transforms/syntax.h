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

#endif
