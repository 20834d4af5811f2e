/*
 * AM303: a class that is half an async context manager.
 *
 * `async with X()` needs both `__aenter__` and `__aexit__`, and awaits
 * what `__aexit__` returns. Reported (no fix: what the exit should do is
 * the author's choice):
 * - `async def __aenter__` with no `__aexit__` in a class with no base
 *   class that could supply it (`async with` raises TypeError);
 * - a plain `def __aexit__` next to an `__aenter__`, when every `return`
 *   in it is bare (or there is none): the None it returns cannot be
 *   awaited. A sync `__aexit__` that returns something (a coroutine, a
 *   future) may be right and is left alone.
 * In test code, which builds such classes on purpose, the finding says
 * so (`test-code`).
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "async_cm_protocol.scm.h"

static const char *const tokens[] = { "__aenter__", NULL };

/* The def named `name` directly in the class body (decorated or not). */
static TSNode method(struct rule_ctx *ctx, TSNode body, const char *name)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
		TSNode d = ts_node_named_child(body, i);

		if (syntax_type_is(d, "decorated_definition"))
			d = syntax_field(d, "definition");
		if (syntax_type_is(d, "function_definition") &&
		    rule_text_is(ctx, syntax_field(d, "name"), name))
			return d;
	}
	return none;
}

/* True when a return below `n` (not in nested defs) gives a value. */
static bool returns_value(TSNode n)
{
	if (syntax_type_is(n, "return_statement"))
		return ts_node_named_child_count(n) > 0;
	if (syntax_is_def_scope(n))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		if (returns_value(ts_node_named_child(n, i)))
			return true;
	return false;
}

/* True when the class names a base other than `object` (one that may
 * supply the method), or any keyword (a metaclass). */
static bool has_bases(struct rule_ctx *ctx, TSNode cls)
{
	TSNode args = syntax_field(cls, "superclasses");

	for (uint32_t i = 0; !ts_node_is_null(args) && i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "comment"))
			continue;
		if (!syntax_type_is(a, "identifier") || !rule_text_is(ctx, a, "object"))
			return true;
	}
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode cls = rule_capture(ctx, match, "class"), body = rule_capture(ctx, match, "body");
	TSNode enter = method(ctx, body, "__aenter__"), exit = method(ctx, body, "__aexit__");
	struct finding *f = NULL;

	if (ts_node_is_null(enter))
		return 0;
	if (ts_node_is_null(exit)) {
		if (syntax_is_async(enter) && !has_bases(ctx, cls))
			f = rule_report(ctx, &transform_async_cm_protocol,
					syntax_field(enter, "name"),
					"`__aenter__` without `__aexit__`: `async with` on this "
					"class raises TypeError; add `async def __aexit__(self, "
					"exc_type, exc, tb)`");
	} else if (!syntax_is_async(exit) && !returns_value(syntax_field(exit, "body"))) {
		f = rule_report(ctx, &transform_async_cm_protocol, syntax_field(exit, "name"),
				"a plain `def __aexit__` returns None, which `async with` cannot "
				"await (TypeError); make it `async def __aexit__`");
	}
	if (f && rule_in_test_code(ctx))
		rule_no_fix(f, "test-code");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"异步上下文管理器 > 自定义异步上下文管理器",
	"# ✅ 完整的异步上下文管理器类",
	NULL,
};

static const char *const reasons[] = {
	"test-code", "the file is test code, which may build such a class on purpose to see "
	"the TypeError",
	NULL,
};

const struct transform transform_async_cm_protocol = {
	.code = "AM303",
	.name = "incomplete-async-context-manager",
	.summary = "__aenter__ without __aexit__, or a sync __aexit__ (report)",
	.fix = FIX_NONE,
	.query = async_cm_protocol_scm,
	.tokens = tokens,
	.check = check,
	.finds = "A class with `async def __aenter__` and no `__aexit__` (when it names no "
		 "base class that could supply one), and a class with `__aenter__` whose "
		 "`__aexit__` is a plain `def` returning nothing (every `return` bare). A sync "
		 "`__aexit__` that returns a value (a coroutine, a future) is not reported.",
	.why = "`async with` calls `__aenter__` and awaits what `__aexit__` returns. Without "
	       "`__aexit__` the statement raises TypeError before the block runs; a sync "
	       "`__aexit__` returning None raises TypeError on the way out, after the "
	       "resource was used but before the code meant to release it has finished.",
	.standard = standard,
	.fix_text = "None: write `async def __aexit__(self, exc_type, exc, tb)` releasing what "
		    "`__aenter__` acquired, as the standard's complete context manager class "
		    "does.",
	.reasons = reasons,
	.example_before = "class Connection:\n"
			  "    async def __aenter__(self):\n"
			  "        await self.open()\n"
			  "        return self\n"
			  "\n"
			  "    def __aexit__(self, exc_type, exc, tb):\n"
			  "        self.close()\n",
	.example_after = "class Connection:\n"
			 "    async def __aenter__(self):\n"
			 "        await self.open()\n"
			 "        return self\n"
			 "\n"
			 "    async def __aexit__(self, exc_type, exc, tb):\n"
			 "        await self.close()\n",
};
