/*
 * AM402: a coroutine doing network or file I/O with no exception handling.
 *
 * A heuristic, off by default. In an `async def`, the first I/O call
 * (awaited, or entered with `async with`) that no `try` of the same
 * function handles is reported, once per function. I/O calls are:
 * requests of an async HTTP client (`get`, `post`, `put`, `patch`,
 * `delete`, `head`, `options`, `request`, `send`, `stream` on a receiver
 * the file shows to be an `httpx.AsyncClient` or `aiohttp.ClientSession`,
 * or, in a module importing httpx or aiohttp, on a name or attribute whose
 * last part contains "http" or ends in "client" or "session"),
 * `aiohttp.request`, `asyncio.open_connection`,
 * `asyncio.open_unix_connection`, `aiofiles.open` and `aiofiles.os.*`. A
 * `try` handles the call when the call is in its body and one of its
 * handlers catches anything but exceptions plainly unrelated to I/O
 * (KeyError, ValueError, TypeError, CancelledError and the like): an
 * unknown or broad type counts as handling. `with
 * contextlib.suppress(..)` around it counts too. The caller may well
 * handle the error: that is why this is a heuristic and report only.
 * Test code (by its path, or a module importing pytest) is left alone: a
 * test lets I/O errors propagate on purpose, to fail.
 */
#include <string.h>

#include "table.h"
#include "pytest_internal.h"
#include "receiver.h"
#include "syntax.h"
#include "io_unhandled.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "async", NULL };

static const char *const HTTP_METHODS[] = {
	"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
	NULL,
};

static const char *const IO_FUNCTIONS[] = {
	"aiohttp.request", "asyncio.open_connection", "asyncio.open_unix_connection",
	"asyncio.streams.open_connection", "aiofiles.open", NULL,
};

/* Exceptions that no I/O failure is an instance of. */
static const char *const UNRELATED[] = {
	"KeyError", "IndexError", "LookupError", "ValueError", "TypeError", "AttributeError",
	"NameError", "StopIteration", "StopAsyncIteration", "AssertionError",
	"NotImplementedError", "ImportError", "ModuleNotFoundError", "UnicodeError",
	"UnicodeDecodeError", "UnicodeEncodeError", "ZeroDivisionError", "ArithmeticError",
	"RecursionError", "KeyboardInterrupt", "SystemExit", "GeneratorExit",
	"asyncio.CancelledError", "asyncio.exceptions.CancelledError",
	"concurrent.futures.CancelledError", "json.JSONDecodeError",
	"json.decoder.JSONDecodeError", NULL,
};

static bool ends_with(const char *s, size_t n, const char *tail)
{
	size_t k = strlen(tail);

	return n >= k && !memcmp(s + n - k, tail, k);
}

/* The last name of an identifier or attribute chain. */
static TSNode last_name(TSNode e)
{
	if (syntax_type_is(e, "attribute"))
		return ts_node_child_by_field_name(e, "attribute", 9);
	return syntax_type_is(e, "identifier") ? e : (TSNode){ 0 };
}

/* A receiver that looks like an HTTP client by its name. */
static bool client_like(const struct rule_ctx *ctx, TSNode obj)
{
	TSNode n = last_name(obj);
	struct buf low = BUF_INIT;
	uint32_t len;
	const char *s;
	bool yes;

	if (ts_node_is_null(n))
		return false;
	if (!scope_module_alias(ctx->scopes, "httpx") && !scope_module_alias(ctx->scopes, "aiohttp"))
		return false;
	s = rule_text(ctx, n, &len);
	for (uint32_t i = 0; i < len; i++)
		buf_putc(&low, (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]));
	yes = memmem(low.ptr, low.len, "http", 4) || ends_with(low.ptr, low.len, "client") ||
	      ends_with(low.ptr, low.len, "session");
	buf_release(&low);
	return yes;
}

/* True when `call` does network or file I/O, by the list above. */
static bool io_call(const struct rule_ctx *ctx, TSNode call)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode fn = ts_node_child_by_field_name(call, "function", 8), obj, m;
	struct buf q = BUF_INIT;
	bool yes = false;

	if (ts_node_is_null(fn))
		return false;
	if ((syntax_type_is(fn, "attribute") || syntax_type_is(fn, "identifier")) &&
	    scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE)
		yes = syntax_str_in(buf_cstr(&q), IO_FUNCTIONS) ||
		      !strncmp(buf_cstr(&q), "aiofiles.os.", 12);
	buf_release(&q);
	if (yes || !syntax_type_is(fn, "attribute"))
		return yes;
	obj = ts_node_child_by_field_name(fn, "object", 6);
	m = ts_node_child_by_field_name(fn, "attribute", 9);
	if (ts_node_is_null(obj) || ts_node_is_null(m) || !syntax_text_in(ctx, m, HTTP_METHODS))
		return false;
	{
		const char *t = receiver_type(&rc, obj);

		if (t)
			return !strcmp(t, "httpx.AsyncClient") || !strcmp(t, "aiohttp.ClientSession");
	}
	return client_like(ctx, obj);
}

/* True when the handler's type may catch an I/O failure. */
static bool may_catch(const struct rule_ctx *ctx, TSNode t)
{
	struct buf q = BUF_INIT;
	enum resolution r;
	bool unrelated;

	t = syntax_unwrap_parens(t);
	if (syntax_type_is(t, "tuple")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(t); i++)
			if (may_catch(ctx, ts_node_named_child(t, i)))
				return true;
		return false;
	}
	if (!syntax_type_is(t, "identifier") && !syntax_type_is(t, "attribute"))
		return true;
	r = scope_resolve_expr(ctx->scopes, t, &q);
	unrelated = (r == RESOLVE_UNBOUND || r == RESOLVE_MODULE) &&
		    (syntax_str_in(buf_cstr(&q), UNRELATED) ||
		     (!strncmp(buf_cstr(&q), "builtins.", 9) &&
		      syntax_str_in(buf_cstr(&q) + 9, UNRELATED)));
	buf_release(&q);
	return !unrelated;
}

/* True when a `try` around `n` in its function handles it, or a `with
 * suppress(..)` holds it. */
static bool handled(const struct rule_ctx *ctx, TSNode n, TSNode def)
{
	for (TSNode p = tree_parent(n); !ts_node_is_null(p) && !syntax_node_eq(p, def);
	     n = p, p = tree_parent(p)) {
		if (syntax_type_is(p, "try_statement") && syntax_is_field(p, "body", n)) {
			for (uint32_t i = 0; i < ts_node_named_child_count(p); i++) {
				TSNode h = ts_node_named_child(p, i), type, name;

				if (syntax_type_is(h, "except_group_clause"))
					return true;
				if (!syntax_type_is(h, "except_clause"))
					continue;
				syntax_handler_parts(h, &type, &name);
				if (ts_node_is_null(type) || may_catch(ctx, type))
					return true;
			}
		}
		if (syntax_type_is(p, "with_statement") && syntax_is_field(p, "body", n)) {
			struct buf text = BUF_INIT;
			bool suppress;

			syntax_node_text(ctx, p, &text);
			suppress = memmem(text.ptr, text.len < 400 ? text.len : 400, "suppress(", 9);
			buf_release(&text);
			if (suppress)
				return true;
		}
	}
	return false;
}

struct walk {
	const struct rule_ctx *ctx;
	TSNode def;
	TSNode found;		/* the node to report */
	TSNode call;		/* its I/O call */
};

static bool try_call(struct walk *w, TSNode at, TSNode e)
{
	e = syntax_unwrap_parens(e);
	if (syntax_type_is(e, "as_pattern") && ts_node_named_child_count(e))
		e = syntax_unwrap_parens(ts_node_named_child(e, 0));
	if (!syntax_type_is(e, "call") || !io_call(w->ctx, e) || handled(w->ctx, at, w->def))
		return false;
	w->found = at;
	w->call = e;
	return true;
}

static enum syntax_step visit(TSNode n, void *arg)
{
	struct walk *w = arg;

	if (syntax_is_def_scope(n))
		return SYNTAX_WALK_PAST;
	if (syntax_type_is(n, "await") && ts_node_named_child_count(n))
		return try_call(w, n, ts_node_named_child(n, 0)) ? SYNTAX_WALK_STOP
								  : SYNTAX_WALK_INTO;
	if (syntax_type_is(n, "with_item") && syntax_is_async(tree_parent(tree_parent(n))))
		return try_call(w, n, ts_node_child_by_field_name(n, "value", 5))
			       ? SYNTAX_WALK_STOP : SYNTAX_WALK_INTO;
	return SYNTAX_WALK_INTO;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode def = rule_capture(ctx, match, "def"), body = rule_capture(ctx, match, "body");
	struct walk w = { .ctx = ctx, .def = def };
	struct buf text = BUF_INIT;
	/* a test lets I/O errors propagate on purpose: they fail it */
	if (!syntax_is_async_def(def) || pytest_test_module(ctx))
		return 0;
	syntax_walk(body, visit, &w);
	if (ts_node_is_null(w.found))
		return 0;
	syntax_node_text(ctx, ts_node_child_by_field_name(w.call, "function", 8), &text);
	rule_report(ctx, &transform_io_unhandled, w.found,
		    "`%.*s(..)` does I/O, and no `try` in this coroutine handles its failure: "
		    "catch the errors it can raise (and log, re-raise as a domain error, or "
		    "return), or make sure every caller does",
		    text.len > 60 ? 60 : (int)text.len, text.ptr ? text.ptr : "");
	buf_release(&text);
	return 0;
}

/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"5. **明确的异常处理** - 异步函数必须有清晰的异常处理策略",
	"asyncio 最佳实践 > 异步函数定义",
	"# ❌ 错误 - 没有异常处理",
	NULL,
};

static const char *const reasons[] = { NULL };

const struct transform transform_io_unhandled = {
	.code = "AM402",
	.name = "io-without-exception-handling",
	.summary = "I/O in a coroutine with no try/except handling it (report; a heuristic)",
	.fix = FIX_NONE,
	.off_by_default = true,
	.query = io_unhandled_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A heuristic, off by default (select AM402 by its full code). In an `async "
		 "def`, the first awaited (or `async with`) I/O call that no `try` of the same "
		 "function handles; once per function. I/O calls: `get`, `post`, `put`, "
		 "`patch`, `delete`, `head`, `options`, `request`, `send`, `stream` of an "
		 "`httpx.AsyncClient` or `aiohttp.ClientSession` (known through the receiver "
		 "facility) or, in a module that imports httpx or aiohttp, of a name whose last "
		 "part contains \"http\" or ends in \"client\" or \"session\"; "
		 "`aiohttp.request`, `asyncio.open_connection`, "
		 "`asyncio.open_unix_connection`, `aiofiles.open`, `aiofiles.os.*`. A `try` "
		 "handles the call when it is in the `try` body and a handler catches anything "
		 "but exceptions unrelated to I/O (KeyError, ValueError, TypeError, "
		 "CancelledError, JSONDecodeError...); an unknown or broad type counts. `with "
		 "contextlib.suppress(..)` counts too. Test code (a `test`/`tests` folder, "
		 "`test_*.py`, `*_test.py`, `conftest.py`, or a module importing pytest) is "
		 "not reported: a test lets I/O errors propagate on purpose.",
	.why = "The standard asks every async function for a clear exception strategy, and "
	       "its first wrong example is a request whose failure nothing handles: a "
	       "refused connection or a 404 surfaces as a raw transport error far from the "
	       "call. The handling may also be the callers' (a library function that lets "
	       "errors propagate by design): that is why this is a heuristic, off by "
	       "default.",
	.standard = standard,
	.fix_text = "None: catch the client's errors (`httpx.HTTPStatusError`, "
		    "`httpx.RequestError`, `aiohttp.ClientError`, `OSError`) where the call is, "
		    "log them and raise a domain error, as the standard's example does.",
	.reasons = reasons,
	.example_before = "import httpx\n"
			  "\n"
			  "\n"
			  "async def fetch_user(client: httpx.AsyncClient, user_id: int):\n"
			  "    response = await client.get(f\"/api/users/{user_id}\")\n"
			  "    return response.json()\n",
	.example_after = "import httpx\n"
			 "\n"
			 "\n"
			 "async def fetch_user(client: httpx.AsyncClient, user_id: int):\n"
			 "    try:\n"
			 "        response = await client.get(f\"/api/users/{user_id}\")\n"
			 "    except httpx.RequestError as e:\n"
			 "        logger.error(\"request failed: %s\", e)\n"
			 "        raise ServiceError(\"service unavailable\") from e\n"
			 "    return response.json()\n",
};
