/*
 * rule: what a transform is, what it produces, and the helpers it uses.
 *
 * A transform (one file in transforms/) owns a tree-sitter query and a
 * `check` callback. The pipeline runs all transforms' queries as one, and
 * hands each match to its transform's `check` with a `struct rule_ctx`.
 * `check` records findings; a finding may carry a fix: byte-range edits
 * plus "needs" (an import to add, a module-level statement to add, an
 * import that may have become unused). The edit stage merges them.
 */
#ifndef ASYNCMOD_RULE_H
#define ASYNCMOD_RULE_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "scope.h"
#include "source.h"
#include "vec.h"

enum fix_class {
	FIX_NONE,
	FIX_SAFE,
	FIX_UNSAFE,
};

/* Python versions as 3.x minor numbers: 9 for py39 ... 14 for py314. */
#define PY_MIN_MINOR 9
#define PY_MAX_MINOR 14

struct edit {
	uint32_t start, end;	/* byte range of the source text to replace */
	char *text;		/* replacement, owned */
	/* 1-based line and character column of start and end, for the
	 * sinks (SARIF fixes); 0 until the pipeline fills them */
	unsigned line, column, end_line, end_column;
};

enum need_kind {
	NEED_IMPORT,		/* `import TEXT` once, at the top */
	NEED_STATEMENT,		/* module-level statement TEXT once, after the imports */
	NEED_DROP,		/* drop the top-level import of name TEXT if now unused */
	NEED_FORCE_DROP,	/* drop it even if references remain (they now mean a builtin) */
};

struct need {
	enum need_kind kind;
	char *text;		/* owned */
};

struct transform;

struct finding {
	const struct transform *rule;
	uint32_t start, end;	/* byte range the finding points at */
	char *message;		/* owned */
	const char *reason;	/* why there is no fix (static token), or NULL */
	enum fix_class fix;	/* the class of the attached fix, FIX_NONE if none */
	struct vec edits;	/* struct edit */
	struct vec needs;	/* struct need */
	bool applied;
	bool held;		/* left out of this run's fixes (interactive review) */
	/* filled by the pipeline for the sinks */
	unsigned line, column, end_line, end_column;
	/* the fix alone, as the edits it makes to the text the finding's
	 * position is in (struct edit, positions set), when the run asks for
	 * them (fixdesc.h); empty when there is none to give */
	struct vec shown;
};

struct options;

/* The async HTTP client that HTTP fixes migrate to (`--http-client`). */
enum http_client {
	HTTP_CLIENT_HTTPX,
	HTTP_CLIENT_AIOHTTP,
};

/* Seconds in a new `asyncio.timeout(N)` when nothing else is set. */
#define RULE_DEFAULT_TIMEOUT 30.0

/* What a transform's check sees for one file. */
struct rule_ctx {
	const struct source *src;
	const TSTree *tree;
	const struct scope_index *scopes;
	const TSQuery *query;
	int target_minor;		/* target Python 3.x */
	enum runtime runtime;		/* the module's async framework */
	double timeout;			/* seconds for new timeouts (`--timeout`) */
	enum http_client http_client;	/* the client HTTP fixes use */
	/* unsafe fixes are wanted: a rule with a safe and an unsafe form of
	 * fix for the same code offers the unsafe one */
	bool unsafe_fixes;
	struct vec *findings;		/* struct finding, owned by the pipeline */
	/* pytest's configuration for the file (pytest_config.h), or NULL
	 * when it is not known */
	const struct pytest_config *pytest;
};

struct transform {
	const char *code;		/* "ASYNC251" */
	const char *name;		/* "blocking-sleep" */
	const char *summary;		/* one line for `asyncmod rules` */
	enum fix_class fix;		/* best class of fix it offers (FIX_NONE: report only) */
	/* runs only when a selector names its code in full (not a prefix,
	 * not ALL): a check the standard's own examples contradict */
	bool off_by_default;
	const char *query;		/* tree-sitter query source */
	/* its check gives no finding for a match whose pattern's root node
	 * lies outside every `async def` (the root or one of its nodes must
	 * be where scope_context_at() says CONTEXT_ASYNC or
	 * CONTEXT_NESTED_SYNC): its patterns then run only over the async
	 * defs of a file, which most code has few of */
	bool in_async_def;
	/* NULL-terminated: a file lacking all of them gets no finding of
	 * this rule, which then does not run there (tests/reach and the
	 * fuzzer check it) */
	const char *const *tokens;
	/* Inspects one match. Returns 0, or negative on an internal failure. */
	int (*check)(struct rule_ctx *ctx, const TSQueryMatch *match);

	/* The long description, for `asyncmod explain` and SARIF help. Plain
	 * text; paragraphs may hold newlines. */
	const char *finds;		/* what it finds */
	const char *why;		/* why it matters */
	/* NULL-terminated pairs: a section of the standard (its headings,
	 * joined by " > ") and the line(s) of it quoted verbatim */
	const char *const *standard;
	const char *fix_text;		/* what the fix writes */
	/* NULL-terminated pairs: a reason token and when it is given */
	const char *const *reasons;
	const char *example_before;	/* Python code the rule finds */
	const char *example_after;	/* the same code after the fix */
};

/* The capture called `name` in `match`; a null node when absent. */
TSNode rule_capture(const struct rule_ctx *ctx, const TSQueryMatch *match, const char *name);

/* Text of a node (not NUL-terminated) and its length; "" for a null node. */
const char *rule_text(const struct rule_ctx *ctx, TSNode node, uint32_t *len);
/* True when the node's text equals `s`. */
bool rule_text_is(const struct rule_ctx *ctx, TSNode node, const char *s);

/* Adds a finding at `node` with a formatted message; returns it so the
 * caller can attach a fix or a reason. Valid until the next finding. */
struct finding *rule_report(struct rule_ctx *ctx, const struct transform *rule, TSNode node,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Marks the finding report-only with `reason`, dropping any fix parts. */
void rule_no_fix(struct finding *f, const char *reason);
void rule_edit(struct finding *f, uint32_t start, uint32_t end, const char *text);
void rule_need(struct finding *f, enum need_kind kind, const char *text);

/* The name by which code at `at` can refer to MODULE (say "asyncio"):
 * an existing top-level `import asyncio as aio` gives "aio"; otherwise
 * "asyncio", and an import of it is added to the finding's needs. Returns
 * -1 when the name is taken by something else there. */
int rule_module_ref(struct rule_ctx *ctx, struct finding *f, uint32_t at, const char *module,
		    struct buf *out);

/* A name based on `base` that nothing in the file binds or references. */
void rule_fresh_name(const struct rule_ctx *ctx, const char *base, struct buf *out);

/* The leading whitespace of the line holding byte `at`. */
void rule_indent(const struct rule_ctx *ctx, uint32_t at, struct buf *out);

/* True when `node` is inside a node of type `type` before reaching a node
 * whose type is in `stop` (NULL-terminated, may be NULL). */
bool rule_inside(TSNode node, const char *type, const char *const *stop);

/* Frees what a finding owns. */
void rule_finding_release(struct finding *f);

/* Keeps, in order, the findings for which `keep` says yes (it sees the
 * last finding kept, or NULL); the others are released. */
void rule_findings_keep(struct vec *findings,
			bool (*keep)(const struct finding *f, const struct finding *kept, void *arg),
			void *arg);


/* When `ref` is the callee of a call, stores the call and returns true. */
bool rule_callee_of(TSNode ref, TSNode *call);

/* The name at the root of an identifier or attribute chain (`t` for
 * `t.sleep`), written into `out`. */
void rule_root_name(const struct rule_ctx *ctx, TSNode ref, struct buf *out);

/* True when `ref` sits where a name is defined, not used: the item of an
 * import, the attribute of `x.attr`, a keyword argument's name. */
bool rule_is_name_site(TSNode ref);

/* True when a statement node is alone on its line(s): only blanks before
 * it, and only blanks or a comment after it. */
bool rule_own_line(const struct rule_ctx *ctx, TSNode stmt);

/* The node of the innermost enclosing def or lambda, or a null node. */
TSNode rule_enclosing_function(TSNode node);

/* True when `await` put before `call` would bind to something larger
 * (`f().x`, `f()[0]`, `f()()`, `await f()`), so the result needs
 * parentheses. */
bool rule_await_needs_parens(TSNode call);

/* Adds to `f` the edits that turn `call` into
 * `await asyncio.to_thread(CALLEE, ARGS...)`, through the module's asyncio
 * binding (an import is added to the needs when there is none). CALLEE is
 * `callee` when not NULL (it replaces the call's function), else the
 * call's own function text. Parentheses are added where `await` needs
 * them. Returns -1, adding nothing, when the name `asyncio` is taken by
 * something else at the call. */
int rule_to_thread(struct rule_ctx *ctx, struct finding *f, TSNode call, const char *callee);

/* The fix of the rules that move a blocking call to a thread: the site's
 * reason (rule_site_reason) when one applies, else rule_to_thread's edits,
 * else `import-name-shadowed`. */
void rule_fix_in_thread(struct rule_ctx *ctx, struct finding *f, TSNode call,
			enum resolution r, enum scope_context where);

/* The reason every rule gives for not fixing a call at a resolved name:
 * the name may or may not be it (`ambiguous-name`), the call is in a
 * nested sync scope (`nested-sync-scope`), or the module runs under anyio
 * or trio (`non-asyncio-runtime`); NULL when none applies. */
const char *rule_site_reason(const struct rule_ctx *ctx, enum resolution r,
			     enum scope_context where);

/* The file's indent unit, written into `out`: what the first indented
 * block adds to its header's indent (say "    " or "\t"); four spaces when
 * the file has no indented block. */
void rule_indent_unit(const struct rule_ctx *ctx, struct buf *out);

/* Adds to `f` an edit putting `prefix` at the start of each line that
 * begins in [start, end) (the line holding `start` included), except
 * blank lines and lines that begin inside a string literal, whose text
 * would change. */
void rule_reindent(const struct rule_ctx *ctx, struct finding *f, uint32_t start, uint32_t end,
		   const char *prefix);

/* The reverse: removes `unit` (or as much of it as the line starts with)
 * from the start of the same lines. */
void rule_dedent(const struct rule_ctx *ctx, struct finding *f, uint32_t start, uint32_t end,
		 const char *unit);

/* True when the file is test code: in a `test` or `tests` folder, or
 * named `test_*.py`, `*_test.py` or `conftest.py`. Tests break the rules
 * on purpose to see how other code copes. */
bool rule_in_test_code(const struct rule_ctx *ctx);

#endif
