/*
 * blocking_file_internal: what the ASYNC230/231/232 files share.
 * blocking_file.c finds the calls and decides the fix, blocking_file_open.c
 * tells what an `open` call and its file's name are, blocking_file_whole.c
 * writes the whole-file thread form and blocking_file_aiofiles.c the
 * aiofiles rewrite of a `with` block.
 */
#ifndef ASYNCMOD_BLOCKING_FILE_INTERNAL_H
#define ASYNCMOD_BLOCKING_FILE_INTERNAL_H

#include <stdbool.h>

#include "../src/rule.h"
#include "syntax.h"

/* Which `open` a call is. */
enum open_form {
	OPEN_NONE,
	OPEN_BUILTIN,	/* open(file, ..), io.open(file, ..) */
	OPEN_PATH,	/* pathlib.Path(..).open(..) */
};

/* ---- blocking_file_open.c ---- */

/* Replaces the finding's message with `text`. */
void blocking_file_set_message(struct finding *f, const char *text);

/* True when `expr` resolves to the module-level name `qname`. */
bool blocking_file_resolves_to(const struct rule_ctx *ctx, TSNode expr, const char *qname);

/* What kind of `open` a call is, through the module's names. */
enum open_form blocking_file_open_form(const struct rule_ctx *ctx, TSNode call);
/* True for a call of `io.open_code(path)`: `open(path, "rb")` through the
 * interpreter's open-code hook (PEP 578), which no fix may bypass. */
bool blocking_file_is_open_code(const struct rule_ctx *ctx, TSNode call);

/* An import that spelled `io.open` may be left unused by the fix. */
void blocking_file_drop_open_name(const struct rule_ctx *ctx, struct finding *f, TSNode call);

/* True for data whose evaluation cannot fail or act: a name or a plain
 * literal. */
bool blocking_file_simple_value(TSNode n);

/* Calls `fn` on every identifier spelled `name` under `n`. */
void blocking_file_each_name(const struct rule_ctx *ctx, TSNode n, const char *name,
			     void (*fn)(TSNode id, void *arg), void *arg);

/* True when `id` lies in the body of a later `with` (after `with`) that
 * binds the same name again: it means that other file. */
bool blocking_file_rebound_later(const struct rule_ctx *ctx, TSNode id, TSNode with);

/* True when `id` is named by `global` or `nonlocal`. */
bool blocking_file_declared(TSNode id);

/* The call `json.load(X, kw=..)` when `x` is its X, else a null node. */
TSNode blocking_file_json_load_of(const struct rule_ctx *ctx, TSNode x);

/* ---- blocking_file_whole.c ---- */

/* `with open(..) as f: STMT` where STMT only reads or writes the whole
 * file: adds the edit replacing the block with the statement, the call
 * in it in the to_thread form. False (nothing added) when it does not fit. */
bool blocking_file_whole_with(struct rule_ctx *ctx, struct finding *f, TSNode with, TSNode item);

/* `open(p).read()`, `open(p, "w").write(data)`, or `json.load(open(p))`
 * (`json`, that call, else a null node), for the `open` call `call` of
 * form `form`: adds the whole-file thread form and makes the finding a
 * safe fix. Returns NULL then, else the reason there is no fix. */
const char *blocking_file_whole_call(struct rule_ctx *ctx, struct finding *f, TSNode call,
				     enum open_form form, TSNode json);

/* ---- blocking_file_aiofiles.c ---- */

/* The fix of `with` for the item `item`: the whole-file form when it
 * fits, else the aiofiles form. Returns a reason when there is none. */
const char *blocking_file_with_fix(struct rule_ctx *ctx, struct finding *f, TSNode with,
				   TSNode item);

#endif
