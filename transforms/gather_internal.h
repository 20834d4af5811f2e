/*
 * gather_internal: what the files of AM101 (gather.c, gather_args.c,
 * gather_rewrite.c) share: the plan of one gather call and the functions
 * one file calls in another.
 */
#ifndef ASYNCMOD_GATHER_INTERNAL_H
#define ASYNCMOD_GATHER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "../src/rule.h"

/* Why an argument is not one gather's TaskGroup form can take. */
enum arg_verdict {
	ARG_FRESH,		/* a fresh coroutine */
	ARG_NOT_FRESH,		/* anything else */
	ARG_NESTED,		/* gather / wait / as_completed / shield: a future */
};

/* One argument of the gather call. */
struct arg {
	TSNode node;		/* the argument as written */
	TSNode call;		/* the coroutine call (inside create_task(..) when unwrapped) */
	bool starred;
	bool options;		/* create_task(c, name=.., context=..) */
};

enum shape { SHAPE_EXPR, SHAPE_ASSIGN, SHAPE_RETURN };

struct plan {
	TSNode stmt, top, call, args, kw;	/* kw: return_exceptions=False, if given */
	enum shape shape;
	struct arg list[64];
	unsigned n;
	bool any_starred;
};

/* gather_args.c */

/* True when `q` is one of the NULL-terminated `list`. */
bool gather_qname_in(const char *q, const char *const *list);

/* The qualified name `expr` resolves to through imports, or "" when it
 * is not an imported name (`q` holds the text). */
const char *gather_resolved(const struct rule_ctx *ctx, TSNode expr, struct buf *q);

/* Judges `arg` (an argument expression, or the body of a starred
 * comprehension). `*inner` gets the coroutine call, `arg` itself or the
 * coroutine inside a `create_task(..)` / `ensure_future(..)`. */
enum arg_verdict gather_judge_arg(const struct rule_ctx *ctx, TSNode arg, TSNode *inner,
				  bool *options);

/* True when a coroutine call's callee and arguments are plain operands,
 * so creating each task before the next argument is evaluated is the
 * same as evaluating all arguments first. */
bool gather_plain_call(TSNode call);

/* True when a `create_task(call, name=.., context=..)` around `call` has
 * plain options (or when there is no wrapper). */
bool gather_plain_wrapper(TSNode node, TSNode call);

/* True when an argument of the gather is (or holds) a future rather than
 * coroutines. */
bool gather_future_arg(const struct rule_ctx *ctx, TSNode c);

/* gather_rewrite.c */

/* Collects the `except` keywords to star (struct vec of uint32_t offsets)
 * for every `try` of the function whose body holds `stmt`; false when one
 * cannot be converted, or when a `with contextlib.suppress(..)` around the
 * statement would stop matching. */
bool gather_enclosing_handlers(const struct rule_ctx *ctx, TSNode stmt, struct vec *stars);

/* Adds the edits of the form for one plain argument: `[await c]`; false
 * when a comment would be lost. */
bool gather_fix_single(const struct rule_ctx *ctx, struct finding *f, const struct plan *p);

/* The callee text for a TaskGroup: `asyncio.TaskGroup` through the
 * module's binding, or an imported `TaskGroup`. Returns -1 when the name
 * asyncio is taken. */
int gather_taskgroup_ref(struct rule_ctx *ctx, struct finding *f, uint32_t at, struct buf *out);

/* Adds the edits of the per-task form: each argument becomes a
 * `create_task` line in the block, results are read after it. */
void gather_fix_tasks(struct rule_ctx *ctx, struct finding *f, const struct plan *p,
		      const char *tgcls, const char *tg, const char *indent, const char *unit);

/* Adds the edits of the collected form: the argument list becomes a tuple
 * of coroutines, the block creates a task for each; false when a comment
 * would be lost. */
bool gather_fix_collected(struct rule_ctx *ctx, struct finding *f, const struct plan *p,
			  const char *tgcls, const char *tg, const char *indent, const char *unit);

#endif
