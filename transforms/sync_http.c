/*
 * ASYNC210 / ASYNC211 / ASYNC212: synchronous HTTP in an async function.
 *
 * ASYNC210 finds `requests.<verb>(..)`, module-level `httpx.<verb>(..)`,
 * `urllib.request.urlopen(..)` and the methods of a `requests.Session`;
 * ASYNC211 a request on a urllib3 pool; ASYNC212 a request method of a
 * sync `httpx.Client`. Each blocks the event loop for the whole exchange.
 *
 * Safe fix: `await asyncio.to_thread(requests.get, url, ..)`, which keeps
 * the call's own semantics. Unsafe fix (ASYNC210, when unsafe fixes are
 * wanted): a statement `r = requests.get(..)` (or an expression statement)
 * is wrapped in `async with httpx.AsyncClient(..) as client:` (or an
 * aiohttp.ClientSession, per `--http-client`) with the argument renames
 * that keep requests' behaviour, and the later uses of `r` are renamed
 * where an exact equivalent exists. When a condition of the migration
 * fails, the safe form is given and the message says why.
 *
 * Reported instead: nested sync scopes, a client object shared across
 * tasks (module-level or from an outer function), `stream=True` (reading
 * the body would still block), anyio/trio modules.
 *
 * This file holds the rule table entries and the checks: which calls are
 * found, and which fix or reason each gets. Who owns a client object is in
 * sync_http_owner.c, whether a call can migrate in sync_http_plan.c, and
 * the migration's edits in sync_http_migrate.c.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "sync_http_internal.h"
#include "sync_http.scm.h"
#include "sync_http_pool.scm.h"
#include "sync_http_client.scm.h"
#include "../src/tree.h"

static const char *const tokens_requests[] = { "requests", "urlopen", "httpx", "urllib3", NULL };
static const char *const tokens_pool[] = { "urllib3", NULL };
static const char *const tokens_client[] = { "httpx", NULL };

const char *const sync_http_verbs[] = {
	"get", "post", "put", "patch", "delete", "head", "options", NULL,
};

const char *const sync_http_session_ctors[] = {
	"requests.Session", "requests.session", "requests.sessions.Session",
	"requests.sessions.session", NULL,
};

static const char *const pool_ctors[] = {
	"urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPConnectionPool",
	"urllib3.HTTPSConnectionPool", "urllib3.connection_from_url", "urllib3.proxy_from_url",
	"urllib3.poolmanager.PoolManager", "urllib3.poolmanager.ProxyManager",
	"urllib3.poolmanager.proxy_from_url", "urllib3.connectionpool.HTTPConnectionPool",
	"urllib3.connectionpool.HTTPSConnectionPool",
	"urllib3.connectionpool.connection_from_url", NULL,
};

static const char *const client_ctors[] = { "httpx.Client", "httpx._client.Client", NULL };
/* ---- the checks ---- */

/* True when the call passes `stream=` with a value other than False. */
static bool streams(const struct rule_ctx *ctx, TSNode call)
{
	TSNode list = syntax_field(call, "arguments");

	for (uint32_t i = 0;
	     syntax_type_is(list, "argument_list") && i < ts_node_named_child_count(list); i++) {
		TSNode a = ts_node_named_child(list, i);

		if (syntax_type_is(a, "keyword_argument") &&
		    rule_text_is(ctx, syntax_field(a, "name"), "stream") &&
		    !syntax_type_is(syntax_field(a, "value"), "false"))
			return true;
	}
	return false;
}

/* rule_to_thread turns `f(` into `f, `: when the arguments start on the
 * next line, drop the space it would leave at the end of the line. */
static void tidy_to_thread(const struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	uint32_t open = ts_node_start_byte(syntax_field(call, "arguments"));
	char next = open + 1 < ctx->src->len ? ctx->src->text[open + 1] : '\0';

	if (next != '\n' && next != '\r')
		return;
	for (size_t i = 0; i < f->edits.len; i++) {
		struct edit *e = vec_at(&f->edits, i);

		if (e->start == open && e->end == open + 1 && !strcmp(e->text, ", ")) {
			free(e->text);
			e->text = xstrdup(",");
		}
	}
}

/* True when the call is in a lambda handed straight to a thread:
 * `asyncio.to_thread(lambda: ..)`, `loop.run_in_executor(None, lambda: ..)`. */
static bool runs_in_thread(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = rule_enclosing_function(call), list, outer, callee;

	if (!syntax_type_is(fn, "lambda"))
		return false;
	list = tree_parent(fn);
	outer = tree_parent(list);
	if (!syntax_type_is(list, "argument_list") || !syntax_type_is(outer, "call"))
		return false;
	callee = syntax_field(outer, "function");
	if (syntax_type_is(callee, "attribute"))
		callee = syntax_field(callee, "attribute");
	return rule_text_is(ctx, callee, "to_thread") ||
	       rule_text_is(ctx, callee, "run_in_executor");
}

static void set_message(struct finding *f, const struct buf *msg)
{
	free(f->message);
	f->message = xstrdup(buf_cstr(msg));
}

/* The common part of the three codes once a call is known: reasons to
 * report, else the fix. `label` names the call in messages. */
static void finish(struct rule_ctx *ctx, const struct transform *rule, TSNode call, TSNode ref,
		   enum kind kind, const char *verb, enum resolution r, enum owner owner,
		   const char *label)
{
	enum scope_context where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	struct buf msg = BUF_INIT, limit = BUF_INIT;
	struct finding *f;
	const char *reason;
	struct plan p;

	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		return;
	if (where == CONTEXT_NESTED_SYNC && runs_in_thread(ctx, call))
		return;
	f = rule_report(ctx, rule, call, "`%s` blocks the event loop in an async function; run it "
			"in a thread with `asyncio.to_thread`", label);
	f->start = ts_node_start_byte(call);
	f->end = ts_node_end_byte(call);
	if ((reason = rule_site_reason(ctx, r, where))) {
		rule_no_fix(f, reason);
		return;
	}
	if (owner == OWNER_SHARED) {
		buf_printf(&msg, "`%s` blocks the event loop in an async function, and its %s is "
			   "shared across tasks: a thread would use it concurrently",
			   label, kind == KIND_METHOD && rule == &transform_sync_http ?
			   "requests.Session (not thread-safe)" : "client object");
		set_message(f, &msg);
		rule_no_fix(f, rule == &transform_sync_http ? "shared-session" : "shared-client");
		goto done;
	}
	if ((verb && !strcmp(verb, "stream")) || streams(ctx, call)) {
		buf_printf(&msg, "`%s` blocks the event loop in an async function; it streams the "
			   "response, whose reads would still block: restructure with the async "
			   "client's streaming API", label);
		set_message(f, &msg);
		rule_no_fix(f, "http-stream");
		goto done;
	}
	if (ctx->unsafe_fixes && (kind == KIND_REQUESTS || kind == KIND_HTTPX)) {
		memset(&p, 0, sizeof(p));
		p.ctx = ctx;
		p.kind = kind;
		p.verb = verb;
		p.aiohttp = ctx->http_client == HTTP_CLIENT_AIOHTTP;
		p.call = call;
		p.ref = ref;
		if (sync_http_plan(&p)) {
			if (ts_node_is_null(p.timeout))
				buf_printf(&limit, "; the request now times out after %.15g s "
					   "(`--timeout`), where it waited forever", ctx->timeout);
			if (sync_http_migrate(&p, f) == 0) {
				f->fix = FIX_UNSAFE;
				if (kind == KIND_HTTPX)
					buf_printf(&msg, "`%s` blocks the event loop in an async "
						   "function; use `httpx.AsyncClient` (unsafe: "
						   "cancelling the task now aborts the request)", label);
				else
					buf_printf(&msg, "`%s` blocks the event loop in an async "
						   "function; use `%s` (unsafe: errors raise the "
						   "client's own exception types; User-Agent, `.netrc` "
						   "and CA-bundle variables differ; text without a "
						   "charset may decode differently%s)", label,
						   p.aiohttp ? "aiohttp.ClientSession" :
						   "httpx.AsyncClient", buf_cstr(&limit));
				set_message(f, &msg);
				goto done;
			}
			p.why = "the name of the client module is taken";
		}
		buf_printf(&msg, "`%s` blocks the event loop in an async function; run it in a "
			   "thread with `asyncio.to_thread` (not migrated to %s: %s)", label,
			   kind == KIND_HTTPX || !p.aiohttp ? "httpx" : "aiohttp",
			   p.why ? p.why : "unusual call");
		set_message(f, &msg);
	}
	if (rule_to_thread(ctx, f, call, NULL) < 0) {
		rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	tidy_to_thread(ctx, f, call);
	f->fix = FIX_SAFE;
done:
	buf_release(&limit);
	buf_release(&msg);
}

/* True when the call runs in an async function, directly or in a nested
 * sync scope. */
static bool in_async_code(const struct rule_ctx *ctx, TSNode call)
{
	enum scope_context where = scope_context_at(ctx->scopes, ts_node_start_byte(call));

	return where == CONTEXT_ASYNC || where == CONTEXT_NESTED_SYNC;
}

/* The method name of `ref` when it is `obj.method`, else NULL; `obj` gets
 * the receiver. */
static const char *method_of(const struct rule_ctx *ctx, TSNode ref, TSNode *obj, char *buf,
			     size_t size)
{
	TSNode attr;
	uint32_t len;
	const char *t;

	if (!syntax_type_is(ref, "attribute"))
		return NULL;
	attr = syntax_field(ref, "attribute");
	t = rule_text(ctx, attr, &len);
	if (len >= size)
		return NULL;
	memcpy(buf, t, len);
	buf[len] = '\0';
	*obj = syntax_field(ref, "object");
	return buf;
}

static int check_requests(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call = rule_capture(ctx, match, "call"), obj;
	struct buf q = BUF_INIT, label = BUF_INIT;
	enum owner owner = OWNER_UNKNOWN;
	enum kind kind = KIND_NONE;
	const char *verb = NULL, *qs;
	enum resolution r;
	char method[32];

	r = scope_resolve_expr(ctx->scopes, ref, &q);
	qs = buf_cstr(&q);
	if (r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) {
		if (!strncmp(qs, "requests.", 9) &&
		    (syntax_str_in(qs + 9, sync_http_verbs) || !strcmp(qs + 9, "request"))) {
			kind = KIND_REQUESTS;
			verb = qs + 9;
		} else if (!strncmp(qs, "requests.api.", 13) &&
			   (syntax_str_in(qs + 13, sync_http_verbs) ||
			    !strcmp(qs + 13, "request"))) {
			kind = KIND_REQUESTS;
			verb = qs + 13;
		} else if (!strncmp(qs, "httpx.", 6) &&
			   (syntax_str_in(qs + 6, sync_http_verbs) || !strcmp(qs + 6, "request") ||
			    !strcmp(qs + 6, "stream"))) {
			kind = KIND_HTTPX;
			verb = qs + 6;
		} else if (!strcmp(qs, "urllib.request.urlopen") || !strcmp(qs, "urllib3.request")) {
			kind = KIND_URLOPEN;
		}
	}
	if (kind != KIND_NONE) {
		syntax_node_text(ctx, ref, &label);
	} else if (r == RESOLVE_UNBOUND || r == RESOLVE_LOCAL) {
		verb = method_of(ctx, ref, &obj, method, sizeof(method));
		if (!verb || (!syntax_str_in(verb, sync_http_verbs) && strcmp(verb, "request")))
			goto done;
		if (!in_async_code(ctx, call))
			goto done;	/* before the costlier look at the receiver */
		owner = sync_http_owner_of(ctx, obj, call, sync_http_session_ctors);
		if (owner == OWNER_UNKNOWN)
			goto done;
		kind = KIND_METHOD;
		syntax_node_text(ctx, ref, &label);
	} else {
		goto done;
	}
	finish(ctx, &transform_sync_http, call, ref, kind, verb, r, owner, buf_cstr(&label));
done:
	buf_release(&q);
	buf_release(&label);
	return 0;
}

/* ASYNC211 and ASYNC212: a method on a client object made by `ctors`. */
static int check_method(struct rule_ctx *ctx, const TSQueryMatch *match,
			const struct transform *rule, const char *const *ctors)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call = rule_capture(ctx, match, "call"), obj;
	struct buf q = BUF_INIT, label = BUF_INIT;
	enum resolution r;
	enum owner owner;
	const char *verb;
	char method[32];

	verb = method_of(ctx, ref, &obj, method, sizeof(method));
	if (!verb)
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	buf_release(&q);
	if (r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS)
		return 0;	/* `urllib3.request`, `httpx.get`: a module's function */
	if (!in_async_code(ctx, call))
		return 0;	/* before the costlier look at the receiver */
	owner = sync_http_owner_of(ctx, obj, call, ctors);
	if (owner == OWNER_UNKNOWN)
		return 0;
	syntax_node_text(ctx, ref, &label);
	finish(ctx, rule, call, ref, KIND_METHOD, verb, RESOLVE_MODULE, owner, buf_cstr(&label));
	buf_release(&label);
	return 0;
}

static int check_pool(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_method(ctx, match, &transform_sync_http_pool, pool_ctors);
}

static int check_client(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_method(ctx, match, &transform_sync_http_client, client_ctors);
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ❌ 禁止 - 使用 requests 库",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ✅ 正确 - 使用 httpx/aiohttp",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	"检查清单",
	"- [ ] 没有在异步函数中使用阻塞 I/O（如 `open`、`requests`）",
	NULL,
};

static const char *const reasons_requests[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"shared-session", "a method of a `requests.Session` made at module level or in an "
	"enclosing function: the session is shared across tasks and is not thread-safe",
	"http-stream", "`stream=True` (or `httpx.stream`): the response's body reads would "
	"still block; restructure with the async client's streaming API",
	"ambiguous-name", "the name may or may not mean the HTTP function (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

static const char *const reasons_method[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine",
	"shared-client", "the client object is made at module level or in an enclosing "
	"function, so it is shared across tasks; a thread would use it concurrently",
	"http-stream", "`client.stream(..)`: the response's body reads would still block",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_sync_http = {
	.code = "ASYNC210",
	.name = "blocking-http-call-in-async-function",
	.summary = "requests/httpx/urlopen call in an async function -> asyncio.to_thread, "
		   "or an async client (unsafe)",
	.fix = FIX_SAFE,
	.query = sync_http_scm,
	.in_async_def = true,
	.tokens = tokens_requests,
	.check = check_requests,
	.finds = "A call of `requests.<verb>(..)` (get, post, put, patch, delete, head, options, "
		 "request), of module-level `httpx.<verb>(..)`, of `urllib.request.urlopen(..)`, "
		 "of `urllib3.request(..)` (urllib3 2's module-level request), "
		 "or of a method of a `requests.Session` object, whose nearest enclosing function "
		 "is an `async def`. Names are resolved through the module's imports "
		 "(`import requests as rq`, `from requests import get`); a local or parameter "
		 "with the same name is not it. A call in a lambda handed straight to "
		 "`asyncio.to_thread` or `run_in_executor` already runs in a thread: not reported.",
	.why = "A synchronous HTTP request blocks the thread, and with it the event loop, for the "
	       "whole exchange: no other task runs until the answer has arrived.",
	.standard = standard,
	.fix_text = "Safe: the call runs in a thread, `await asyncio.to_thread(requests.get, url, "
		    "..)`, with the same arguments, so requests' behaviour is kept exactly. "
		    "Unsafe (with --unsafe-fixes), for a statement `r = requests.get(..)` or a call "
		    "statement: the statement is wrapped in `async with httpx.AsyncClient("
		    "follow_redirects=True, timeout=30, max_redirects=30) as client:` and becomes "
		    "`r = await client.get(..)`, keeping requests' redirects and its redirect "
		    "limit. requests has no timeout unless one is given; the standard wants one on "
		    "every I/O, so the client gets the configured one (`--timeout`, default 30 s): "
		    "this changes behaviour, a request that used to wait forever now raises after "
		    "that long. Positional arguments become keywords, `allow_redirects`, "
		    "`timeout` and `verify` move to the client, `data=b\"..\"` becomes `content=`, "
		    "`r.reason` becomes `r.reason_phrase`. With `--http-client aiohttp` the client is "
		    "`aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))`, the body is "
		    "read inside the block (`await r.read()`), `r.status_code` becomes `r.status`, "
		    "`r.text`/`r.content`/`r.json()` become `await r.text()`/`await r.read()`/"
		    "`await r.json(content_type=None)` and `auth=(u, p)` becomes "
		    "`aiohttp.BasicAuth(u, p)`. The migration is made only when every argument and "
		    "every later use of the response has an exact equivalent (dict literals of plain "
		    "values for params/headers/data; status_code, reason, headers[..], text, content, "
		    "json()); otherwise the safe form is given and the message says why. "
		    "`httpx.<verb>(..)` migrates to `httpx.AsyncClient()` with the same arguments. "
		    "What may change with the migration: the time limit, exception types, User-Agent, `.netrc` and "
		    "CA-bundle environment variables, text decoding without a charset.",
	.reasons = reasons_requests,
	.example_before = "import requests\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    r = requests.get(url, params={\"q\": \"x\"})\n"
			  "    return r.status_code\n",
	.example_after = "import httpx\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    async with httpx.AsyncClient(follow_redirects=True, timeout=30, "
			 "max_redirects=30) as client:\n"
			 "        r = await client.get(url, params={\"q\": \"x\"})\n"
			 "    return r.status_code\n",
};

const struct transform transform_sync_http_pool = {
	.code = "ASYNC211",
	.name = "blocking-http-call-pool-in-async-function",
	.summary = "urllib3 pool request in an async function -> asyncio.to_thread",
	.fix = FIX_SAFE,
	.query = sync_http_pool_scm,
	.in_async_def = true,
	.tokens = tokens_pool,
	.check = check_pool,
	.finds = "A request (`request`, `urlopen`, `request_encode_url`, `request_encode_body`) on "
		 "a urllib3 pool — `urllib3.PoolManager().request(..)`, or `http.request(..)` where "
		 "`http` is bound to a `PoolManager`, `ProxyManager` or connection pool — whose "
		 "nearest enclosing function is an `async def` (a lambda handed straight to "
		 "`asyncio.to_thread` or `run_in_executor` aside).",
	.why = "urllib3 requests are synchronous: they block the event loop for the whole "
	       "exchange.",
	.standard = standard,
	.fix_text = "`await asyncio.to_thread(http.request, ..)` with the same arguments, when the "
		    "pool is made in the coroutine itself. A pool made at module level or in an "
		    "enclosing function is shared across tasks: reported.",
	.reasons = reasons_method,
	.example_before = "import urllib3\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    http = urllib3.PoolManager()\n"
			  "    r = http.request(\"GET\", url)\n"
			  "    return r.status\n",
	.example_after = "import urllib3\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    http = urllib3.PoolManager()\n"
			 "    r = await asyncio.to_thread(http.request, \"GET\", url)\n"
			 "    return r.status\n",
};

const struct transform transform_sync_http_client = {
	.code = "ASYNC212",
	.name = "blocking-http-call-httpx-in-async-function",
	.summary = "sync httpx.Client method in an async function -> asyncio.to_thread",
	.fix = FIX_SAFE,
	.query = sync_http_client_scm,
	.in_async_def = true,
	.tokens = tokens_client,
	.check = check_client,
	.finds = "A request method (get, post, put, patch, delete, head, options, request, send, "
		 "stream) of a sync `httpx.Client` — bound by `client = httpx.Client(..)` or "
		 "`with httpx.Client() as client`, assigned to `self.client` in the class, or "
		 "a parameter annotated `httpx.Client` — whose nearest enclosing function is an "
		 "`async def` (a lambda handed straight to `asyncio.to_thread` or "
		 "`run_in_executor` aside).",
	.why = "A sync httpx client blocks the thread, and with it the event loop, for the whole "
	       "exchange.",
	.standard = standard,
	.fix_text = "`await asyncio.to_thread(client.get, ..)` with the same arguments, when the "
		    "client is made in the coroutine itself. A client made at module level or in an "
		    "enclosing function is shared across tasks: reported. `client.stream(..)` is "
		    "reported (its body reads would still block).",
	.reasons = reasons_method,
	.example_before = "import httpx\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    with httpx.Client() as client:\n"
			  "        r = client.get(url)\n"
			  "    return r.status_code\n",
	.example_after = "import httpx\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    with httpx.Client() as client:\n"
			 "        r = await asyncio.to_thread(client.get, url)\n"
			 "    return r.status_code\n",
};

