/*
 * timeout_io (AM201, see timeout_scope.c): an await of network I/O with no
 * time limit. Which awaited methods are I/O for which kind of receiver,
 * whether the await is already bounded (a timeout block around it, a
 * `timeout=` of its own, a transaction), and the rule's entry, which
 * wraps the smallest whole simple statement holding the await.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "timeout_scope_internal.h"
#include "io_timeout.scm.h"
#include "../src/tree.h"

static const char *const io_tokens[] = { "await", NULL };

static bool is_simple_statement(TSNode stmt)
{
	static const char *const simple[] = {
		"expression_statement", "return_statement", "raise_statement",
		"assert_statement", "delete_statement", NULL,
	};

	for (int i = 0; simple[i]; i++)
		if (syntax_type_is(stmt, simple[i]))
			return true;
	return false;
}

static const char *const reader_methods[] = {
	"read", "readline", "readexactly", "readuntil", NULL,
};
static const char *const writer_methods[] = { "drain", "wait_closed", NULL };
static const char *const loop_methods[] = {
	"sock_recv", "sock_recv_into", "sock_recvfrom", "sock_recvfrom_into", "sock_sendall",
	"sock_sendto", "sock_connect", "sock_accept", "sock_sendfile", "create_connection",
	"create_unix_connection", "getaddrinfo", NULL,
};
static const char *const pg_methods[] = {
	"fetch", "fetchrow", "fetchval", "execute", "executemany", "copy_from_table",
	"copy_from_query", "copy_to_table", "copy_records_to_table", NULL,
};
static const char *const pg_pool_methods[] = {
	"acquire", "fetch", "fetchrow", "fetchval", "execute", "executemany",
	"copy_from_table", "copy_from_query", "copy_to_table", "copy_records_to_table", NULL,
};
static const char *const redis_quiet[] = { "close", "aclose", "connection_pool", NULL };
static const char *const ws_methods[] = { "recv", NULL };
static const char *const aiohttp_ws_methods[] = {
	"receive", "receive_str", "receive_bytes", "receive_json", NULL,
};

static const char *const timeout_scopes[] = {
	"asyncio.timeout", "asyncio.timeout_at", "asyncio.timeouts.timeout",
	"asyncio.timeouts.timeout_at", "async_timeout.timeout", "async_timeout.timeout_at",
	"anyio.fail_after", "anyio.move_on_after", "trio.fail_after", "trio.fail_at",
	"trio.move_on_after", "trio.move_on_at", NULL,
};
static const char *const wait_for_names[] = { "asyncio.wait_for", "asyncio.tasks.wait_for", NULL };

/* True when a `with` statement enters one of `qnames` (or a call to a
 * method called `method`, when not NULL). */
static bool with_enters(const struct rule_ctx *ctx, TSNode with, const char *const *qnames,
			const char *method)
{
	TSNode clause = ts_node_named_child(with, 0);

	if (!syntax_type_is(clause, "with_clause"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode item = ts_node_named_child(clause, i);
		TSNode v = ts_node_child_by_field_name(item, "value", 5);

		if (syntax_type_is(v, "as_pattern"))
			v = ts_node_named_child(v, 0);
		if (!syntax_type_is(v, "call"))
			continue;
		if (qnames && timeout_call_is(ctx, v, qnames))
			return true;
		if (method) {
			TSNode callee = ts_node_child_by_field_name(v, "function", 8);

			if (syntax_type_is(callee, "attribute") &&
			    rule_text_is(ctx, ts_node_child_by_field_name(callee, "attribute", 9),
					 method))
				return true;
		}
	}
	return false;
}

/* True when the await is already under a time limit in its function:
 * inside a timeout block or the arguments of wait_for. */
static bool lexically_bounded(const struct rule_ctx *ctx, TSNode n)
{
	for (TSNode p = tree_parent(n); !ts_node_is_null(p); p = tree_parent(p)) {
		if (syntax_is_def_scope(p))
			break;
		if (syntax_type_is(p, "with_statement") && with_enters(ctx, p, timeout_scopes, NULL))
			return true;
		if (syntax_type_is(p, "call") && timeout_call_is(ctx, p, wait_for_names))
			return true;
	}
	return false;
}

/* True when the statement runs inside `async with X.transaction()`. */
static bool in_transaction(const struct rule_ctx *ctx, TSNode n)
{
	for (TSNode p = tree_parent(n); !ts_node_is_null(p); p = tree_parent(p)) {
		if (syntax_is_def_scope(p))
			break;
		if (syntax_type_is(p, "with_statement") && with_enters(ctx, p, NULL, "transaction"))
			return true;
	}
	return false;
}

/* The enclosing def of `n`, or a null node. */
static TSNode enclosing_def(TSNode n)
{
	TSNode fn = rule_enclosing_function(n);

	return syntax_type_is(fn, "function_definition") ? fn : (TSNode){ { 0 }, NULL, NULL };
}

/* True when the awaited call is network I/O with no limit of its own. */
static bool unbounded_io(const struct rule_ctx *ctx, TSNode call, TSNode fn_node)
{
	TSNode callee = ts_node_child_by_field_name(call, "function", 8), recv, method;
	struct io_origin o;
	const char *const *methods = NULL;
	uint32_t len;
	const char *m;

	if (timeout_bounded_by_keyword(ctx, call, "timeout"))
		return false;
	if (syntax_type_is(callee, "identifier"))
		return timeout_call_is(ctx, call, timeout_open_connection);
	if (timeout_call_is(ctx, call, timeout_open_connection))
		return true;
	recv = ts_node_child_by_field_name(callee, "object", 6);
	method = ts_node_child_by_field_name(callee, "attribute", 9);
	if (ts_node_is_null(recv) || ts_node_is_null(method))
		return false;
	m = rule_text(ctx, method, &len);
	(void)fn_node;
	o = timeout_origin_of_expr(ctx, enclosing_def(call), recv, 0);
	/* command_timeout bounds queries, not the wait for a free connection */
	if (o.bounded && !(o.kind == IO_PG_POOL && len == 7 && !memcmp(m, "acquire", 7)))
		return false;
	switch (o.kind) {
	case IO_LOOP: methods = loop_methods; break;
	case IO_READER: methods = reader_methods; break;
	case IO_WRITER: methods = writer_methods; break;
	case IO_PROCESS: {
		static const char *const p[] = { "communicate", NULL };

		methods = p;
		break;
	}
	case IO_PG_CONN: methods = pg_methods; break;
	case IO_PG_POOL: methods = pg_pool_methods; break;
	case IO_WEBSOCKET: methods = ws_methods; break;
	case IO_AIOHTTP_WS: methods = aiohttp_ws_methods; break;
	case IO_REDIS: {
		struct buf mb = BUF_INIT;
		bool quiet;

		buf_add(&mb, m, len);
		quiet = timeout_in_list(buf_cstr(&mb), redis_quiet);
		buf_release(&mb);
		return !quiet;
	}
	default:
		return false;
	}
	{
		struct buf mb = BUF_INIT;
		bool yes;

		buf_add(&mb, m, len);
		yes = timeout_in_list(buf_cstr(&mb), methods);
		buf_release(&mb);
		return yes;
	}
}

static int io_check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fn = rule_capture(ctx, match, "fn");
	TSNode await = rule_capture(ctx, match, "await"), stmt;
	struct buf mod = BUF_INIT, lim = BUF_INIT;
	enum scope_context where;
	struct finding *f;

	where = scope_context_at(ctx->scopes, ts_node_start_byte(await));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	if (lexically_bounded(ctx, await) || !unbounded_io(ctx, call, fn))
		goto done;
	timeout_format_seconds(ctx->timeout, &lim);
	if (ctx->target_minor < 11)	/* no asyncio.timeout: the compat form */
		f = rule_report(ctx, &transform_io_timeout, call,
				"`%.*s` waits for I/O with no time limit; wrap the awaited call in "
				"`asyncio.wait_for(.., %s)` (after %s s it raises "
				"asyncio.TimeoutError instead of waiting)",
				(int)(ts_node_end_byte(fn) - ts_node_start_byte(fn)),
				ctx->src->text + ts_node_start_byte(fn), buf_cstr(&lim),
				buf_cstr(&lim));
	else
		f = rule_report(ctx, &transform_io_timeout, call,
				"`%.*s` waits for I/O with no time limit; wrap the statement in "
				"`asyncio.timeout(%s)` (after %s s it raises TimeoutError instead of "
				"waiting)",
				(int)(ts_node_end_byte(fn) - ts_node_start_byte(fn)),
				ctx->src->text + ts_node_start_byte(fn), buf_cstr(&lim),
				buf_cstr(&lim));
	if (where == CONTEXT_NESTED_SYNC) {
		rule_no_fix(f, "nested-sync-scope");
		goto done;
	}
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	if (ctx->target_minor < 11) {
		/* `await X` -> `await asyncio.wait_for(X, N)`: only the one await
		 * is bounded, so any statement shape will do */
		TSNode operand = ts_node_named_child(await, 0);

		if (syntax_holds(operand, "yield")) {
			rule_no_fix(f, "yield-in-scope");
			goto done;
		}
		if (in_transaction(ctx, syntax_statement_of(await))) {
			rule_no_fix(f, "io-timeout-not-cancel-safe");
			goto done;
		}
		if (rule_module_ref(ctx, f, ts_node_start_byte(await), "asyncio", &mod) < 0) {
			rule_no_fix(f, "import-name-shadowed");
			goto done;
		}
		buf_puts(&mod, ".wait_for(");
		rule_edit(f, ts_node_start_byte(operand), ts_node_start_byte(operand), buf_cstr(&mod));
		buf_clear(&mod);
		buf_puts(&mod, ", ");
		buf_puts(&mod, buf_cstr(&lim));
		buf_puts(&mod, ")");
		rule_edit(f, ts_node_end_byte(operand), ts_node_end_byte(operand), buf_cstr(&mod));
		goto done;
	}
	stmt = syntax_statement_of(await);
	if (!is_simple_statement(stmt)) {
		rule_no_fix(f, "in-compound-header");
		goto done;
	}
	if (syntax_holds(stmt, "yield")) {
		rule_no_fix(f, "yield-in-scope");
		goto done;
	}
	if (in_transaction(ctx, stmt)) {
		rule_no_fix(f, "io-timeout-not-cancel-safe");
		goto done;
	}
	if (!rule_own_line(ctx, stmt)) {
		rule_no_fix(f, "compound-statement");
		goto done;
	}
	if (rule_module_ref(ctx, f, ts_node_start_byte(stmt), "asyncio", &mod) < 0) {
		rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	timeout_wrap_statement(ctx, f, stmt, buf_cstr(&mod), buf_cstr(&lim), "", NULL, 0);
done:
	buf_release(&mod);
	buf_release(&lim);
	return 0;
}



static const char *const io_standard[] = {
	"核心原则 > ✅ 必须遵守",
	"6. **超时控制** - 所有 I/O 操作都应该有超时限制",
	"检查清单",
	"- [ ] I/O 操作都有超时设置",
	NULL,
};

static const char *const io_reasons[] = {
	"in-compound-header", "the await is in the header of a compound statement (`if`, "
	"`while`, `for`, `with`): wrapping it would bound the whole body",
	"yield-in-scope", "the statement holds a `yield`, which must not run inside a timeout "
	"block",
	"io-timeout-not-cancel-safe", "the statement runs inside `async with ..transaction()`, "
	"where a cancellation leaves the transaction half done",
	"compound-statement", "the statement shares its line with other code",
	"nested-sync-scope", "the await is in a generator expression nested in the coroutine",
	"non-asyncio-runtime", "the module runs under anyio or trio (use `anyio.fail_after`)",
	"import-name-shadowed", "the name `asyncio` means something else where the await is",
	NULL,
};

const struct transform transform_io_timeout = {
	.code = "AM201",
	.name = "unbounded-network-await",
	.summary = "await of network I/O with no time limit -> async with asyncio.timeout(N)",
	.fix = FIX_UNSAFE,
	.query = io_timeout_scm,
	.in_async_def = true,
	.tokens = io_tokens,
	.check = io_check,
	.finds = "In an async function, an await of one of these calls with no time limit:\n"
		 "- `asyncio.open_connection(..)`, `asyncio.open_unix_connection(..)`;\n"
		 "- `read`, `readline`, `readexactly`, `readuntil` of a reader and `drain`, "
		 "`wait_closed` of a writer, where the reader or writer is unpacked from `await "
		 "asyncio.open_connection(..)` (or the unix form) in the same function, or is "
		 "annotated `asyncio.StreamReader` / `asyncio.StreamWriter` (a parameter, also "
		 "`Optional[..]`, `X | None` or a string; a module global; `self.x` set in the "
		 "class);\n"
		 "- `sock_recv`, `sock_recv_into`, `sock_recvfrom`, `sock_recvfrom_into`, "
		 "`sock_sendall`, `sock_sendto`, `sock_connect`, `sock_accept`, `sock_sendfile`, "
		 "`create_connection`, `create_unix_connection`, `getaddrinfo` of "
		 "`asyncio.get_running_loop()` (or `get_event_loop()`), called directly or through "
		 "a name assigned from it in the same function;\n"
		 "- `communicate()` of a process from `await asyncio.create_subprocess_exec(..)` "
		 "or `create_subprocess_shell(..)` in the same function;\n"
		 "- `fetch`, `fetchrow`, `fetchval`, `execute`, `executemany`, `copy_from_table`, "
		 "`copy_from_query`, `copy_to_table`, `copy_records_to_table` of an asyncpg "
		 "connection (`await asyncpg.connect(..)`, `pool.acquire()`) or pool (`await "
		 "asyncpg.create_pool(..)`, also `acquire`) made without `command_timeout=`;\n"
		 "- any method but `close`/`aclose` of a `redis.asyncio.Redis(..)` / "
		 "`redis.asyncio.from_url(..)` client made without `socket_timeout=`;\n"
		 "- `recv()` of a `websockets.connect(..)` connection; `receive`, `receive_str`, "
		 "`receive_bytes`, `receive_json` of an aiohttp `session.ws_connect(..)` websocket "
		 "made without `receive_timeout=` (session from `aiohttp.ClientSession(..)`).\n"
		 "Objects are followed only through a name bound once in the same function (by "
		 "`=`, a tuple unpacking or `async with .. as`) or a parameter annotation; "
		 "anything else is not reported. An await is already bounded, and not reported, "
		 "inside `async with asyncio.timeout/timeout_at(..)`, `async_timeout.timeout(..)`, "
		 "`with anyio/trio.fail_after/move_on_after(..)` or the arguments of "
		 "`asyncio.wait_for`, or with an explicit `timeout=` other than `None`.",
	.why = "The standard requires a time limit on every I/O operation. These awaits wait "
	       "for a peer: with no limit a silent server or a lost packet stalls the task "
	       "forever. httpx, aiohttp requests, asyncpg.connect and websockets.connect have "
	       "their own default limits and are not reported.",
	.standard = io_standard,
	.fix_text = "The smallest whole simple statement holding the await is wrapped in `async "
		    "with asyncio.timeout(N):`, N from `--timeout` (default 30), with the "
		    "statement re-indented by the file's indent unit and its comments kept. Unsafe: "
		    "the operation now raises TimeoutError after N seconds (cancelling it half "
		    "done) where it used to wait. Below Python 3.11 (no `asyncio.timeout`) the "
		    "standard's compat form is written instead: `await X` becomes `await "
		    "asyncio.wait_for(X, N)`, which also runs a coroutine X in a task of its own "
		    "(context variables it sets stay there).",
	.reasons = io_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def ask(host, port, question):\n"
			  "    reader, writer = await asyncio.open_connection(host, port)\n"
			  "    writer.write(question)\n"
			  "    return await reader.readline()\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def ask(host, port, question):\n"
			 "    async with asyncio.timeout(30):\n"
			 "        reader, writer = await asyncio.open_connection(host, port)\n"
			 "    writer.write(question)\n"
			 "    async with asyncio.timeout(30):\n"
			 "        return await reader.readline()\n",
};
