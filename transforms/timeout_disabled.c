/*
 * AM204: an HTTP client or request whose time limit is switched off.
 *
 * `httpx.AsyncClient(timeout=None)`, `client.get(url, timeout=None)` (an
 * httpx client, or an aiohttp session, which wraps a number in a
 * ClientTimeout),
 * `httpx.Timeout(None)`, `aiohttp.ClientTimeout(total=None)` and a bare
 * `aiohttp.ClientTimeout()` (every limit None) let a request wait forever
 * on a silent server, where the standard asks a limit of every I/O.
 * Unsafe fix: the `None` becomes the configured timeout (`--timeout`,
 * default 30 s), `ClientTimeout()` gets `total=N`; requests that took longer
 * now fail with a timeout error. The callee is known through the imports
 * (`httpx.*`, `aiohttp.ClientTimeout`) or, for a method, through the
 * receiver: a client the file shows to be an httpx client or an aiohttp
 * session.
 */
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "timeout_disabled.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "timeout", "Timeout", NULL };

/* Calls whose `timeout=` is the request's or client's time limit. */
static const char *const httpx_calls[] = {
	"httpx.AsyncClient", "httpx.Client", "httpx.get", "httpx.post", "httpx.put",
	"httpx.patch", "httpx.delete", "httpx.head", "httpx.options", "httpx.request",
	"httpx.stream", NULL,
};

static const char *const client_methods[] = {
	"get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
	"send", "ws_connect", NULL,
};

static bool in_list(const char *const *list, const char *s, size_t len)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return true;
	return false;
}

static bool type_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

/* What the call is, as far as this rule cares: "timeout" for a call whose
 * `timeout=` limits a request, "total" for aiohttp.ClientTimeout,
 * "positional" for httpx.Timeout; NULL for anything else. */
static const char *call_kind(struct rule_ctx *ctx, TSNode call)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	struct buf q = BUF_INIT;
	const char *kind = NULL, *qn;
	enum resolution r;

	r = scope_resolve_expr(ctx->scopes, fn, &q);
	qn = buf_cstr(&q);
	if (r == RESOLVE_MODULE) {
		if (in_list(httpx_calls, qn, strlen(qn)))
			kind = "timeout";
		else if (!strcmp(qn, "aiohttp.ClientTimeout") ||
			 !strcmp(qn, "aiohttp.client.ClientTimeout"))
			kind = "total";
		else if (!strcmp(qn, "httpx.Timeout"))
			kind = "positional";
	} else if (type_is(fn, "attribute")) {
		TSNode m = ts_node_child_by_field_name(fn, "attribute", 9);
		const char *t = receiver_type(&rc, ts_node_child_by_field_name(fn, "object", 6));
		uint32_t len;
		const char *name = rule_text(ctx, m, &len);

		if (t && (!strcmp(t, "httpx.AsyncClient") || !strcmp(t, "httpx.Client") ||
			  !strcmp(t, "aiohttp.ClientSession")) &&
		    in_list(client_methods, name, len))
			kind = "timeout";
	}
	buf_release(&q);
	return kind;
}

/* True when another argument of a ClientTimeout or httpx.Timeout sets a
 * limit (`sock_read=10`, `read=5.0`): the missing total is deliberate. */
static bool other_limit(TSNode call, TSNode none)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);

	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i), v;

		if (!type_is(a, "keyword_argument"))
			continue;
		v = ts_node_child_by_field_name(a, "value", 5);
		if (!ts_node_eq(v, none) && !type_is(v, "none"))
			return true;
	}
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), none = rule_capture(ctx, match, "none");
	TSNode empty = rule_capture(ctx, match, "empty");
	const char *kind = call_kind(ctx, call);
	struct buf text = BUF_INIT;
	struct finding *f;

	if (!kind)
		return 0;
	if (!ts_node_is_null(empty)) {
		if (strcmp(kind, "total") || ts_node_named_child_count(empty))
			return 0;
		f = rule_report(ctx, &transform_timeout_disabled, call,
				"`ClientTimeout()` sets no limit at all: a silent server holds the "
				"request forever; give it `total=`");
		buf_printf(&text, "total=%.15g", ctx->timeout);
		rule_edit(f, ts_node_start_byte(empty) + 1, ts_node_start_byte(empty) + 1,
			  buf_cstr(&text));
		buf_release(&text);
		return 0;
	}
	if (type_is(tree_parent(none), "keyword_argument")) {
		uint32_t len;
		const char *k = rule_text(ctx, ts_node_child_by_field_name(tree_parent(none),
									 "name", 4), &len);

		if (strlen(kind) != len || memcmp(kind, k, len))
			return 0;
	} else if (strcmp(kind, "positional")) {
		return 0;
	}
	if (strcmp(kind, "timeout") && other_limit(call, none))
		return 0;	/* `total=None, sock_read=10`: a stream's deliberate form */
	f = rule_report(ctx, &transform_timeout_disabled, none,
			"the time limit is switched off: a silent server holds the request "
			"forever; set one (the standard asks a timeout of every I/O)");
	buf_printf(&text, "%.15g", ctx->timeout);
	rule_edit(f, ts_node_start_byte(none), ts_node_end_byte(none), buf_cstr(&text));
	buf_release(&text);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"6. **超时控制** - 所有 I/O 操作都应该有超时限制",
	"检查清单",
	"- [ ] I/O 操作都有超时设置",
	NULL,
};

static const char *const reasons[] = { NULL };

const struct transform transform_timeout_disabled = {
	.code = "AM204",
	.name = "http-timeout-disabled",
	.summary = "timeout=None / ClientTimeout(total=None) on an HTTP client or request -> the "
		   "configured timeout (unsafe)",
	.fix = FIX_UNSAFE,
	.query = timeout_disabled_scm,
	.tokens = tokens,
	.check = check,
	.finds = "`timeout=None` in a call of `httpx.AsyncClient`, `httpx.Client`, "
		 "`httpx.<verb>`, `httpx.request` or `httpx.stream`, or of a request method of "
		 "a client the file shows to be an httpx client or an aiohttp session "
		 "(`client.get(url, timeout=None)`); `httpx.Timeout(None)`; "
		 "`aiohttp.ClientTimeout(total=None)` and a bare `aiohttp.ClientTimeout()`, "
		 "whose limits are all None (another limit given, `total=None, sock_read=10`, "
		 "is a stream's deliberate form and is left alone). "
		 "`aiohttp.ClientSession(timeout=None)` is left "
		 "alone: what None means there differs between aiohttp versions, and the "
		 "session wants a `ClientTimeout`, not a number.",
	.why = "With no limit, a server that accepts the connection and never answers holds "
	       "the request, and the task waiting on it, forever. The standard asks a time "
	       "limit of every I/O operation.",
	.standard = standard,
	.fix_text = "Unsafe: the `None` becomes the configured timeout (`--timeout`, default "
		    "30 seconds), and `ClientTimeout()` gets `total=30`. A request that took "
		    "longer now fails with the client's timeout error.",
	.reasons = reasons,
	.example_before = "import httpx\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    async with httpx.AsyncClient(timeout=None) as client:\n"
			  "        return (await client.get(url)).text\n",
	.example_after = "import httpx\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    async with httpx.AsyncClient(timeout=30) as client:\n"
			 "        return (await client.get(url)).text\n",
};
