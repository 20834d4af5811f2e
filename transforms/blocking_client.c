/*
 * AM114: a blocking method of a sync network or database client called in
 * an async function, on an object the file shows to be one (src/receiver.c:
 * a constructor or factory, an annotation, a module global, `self.x` set in
 * the class, `with X() as y`, `conn.cursor()`):
 *
 * - a socket (`socket.socket(..)`, `socket.create_connection(..)`,
 *   `socket.create_server(..)`, `socket.fromfd(..)`): `recv`, `recv_into`,
 *   `recvfrom`, `recvfrom_into`, `recvmsg`, `recvmsg_into`, `send`,
 *   `sendall`, `sendto`, `sendmsg`, `sendfile`, `connect`, `connect_ex`,
 *   `accept`. Not when the file makes that object non-blocking
 *   (`x.setblocking(False)`, `x.settimeout(0)`), hands it to a
 *   `loop.sock_*` method or `add_reader`/`add_writer` (it is then used
 *   through the event loop), or the call is in a `try` that catches
 *   `BlockingIOError` (or ssl's `SSLWantReadError`/`SSLWantWriteError`,
 *   also through a module-level name bound to a tuple of them);
 * - a sqlite3 connection or cursor: `execute`, `executemany`,
 *   `executescript`, `commit`, `rollback`, `backup`, `blobopen`, `fetchone`,
 *   `fetchall`, `fetchmany`;
 * - a DB-API connection or cursor of psycopg2, pymysql or MySQLdb:
 *   `commit`, `rollback` (pymysql and MySQLdb also `ping`, `select_db`,
 *   `query`), `execute`, `executemany`, `callproc` (psycopg2 also
 *   `copy_from`, `copy_to`, `copy_expert`). Their `fetch*` are left out:
 *   the default cursors hold the whole result once `execute` returns;
 * - a sync redis client (`redis.Redis`, `StrictRedis`, `from_url`): every
 *   method but those that make an object without talking to the server
 *   (`pipeline`, `pubsub`, `lock`, `register_script`, `monitor`, `client`,
 *   `close`, ..); a redis pipeline: `execute` and `watch` (the commands in
 *   between are buffered).
 *
 * Report only (`not-thread-safe`): `asyncio.to_thread(conn.execute, ..)`
 * would run one call of an object that belongs to the thread that made it
 * (sqlite3's `check_same_thread`) or that other tasks use at the same time
 * (DB-API connections and sockets are not safe to share between threads);
 * the fix is an async driver. Calls in a nested `def` or lambda are left
 * out: such functions are what code hands to a worker thread.
 * `socket.socketpair()` and `accept()`'s new socket (tuples) are not
 * followed.
 */
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "syntax.h"
#include "blocking_client.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = {
	"socket", "sqlite3", "psycopg2", "pymysql", "MySQLdb", "redis", NULL,
};

static const char *const socket_methods[] = {
	"recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg", "recvmsg_into", "send",
	"sendall", "sendto", "sendmsg", "sendfile", "connect", "connect_ex", "accept", NULL,
};
static const char *const sqlite_methods[] = {
	"execute", "executemany", "executescript", "commit", "rollback", "backup", "blobopen",
	"fetchone", "fetchall", "fetchmany", NULL,
};
static const char *const dbapi_conn_methods[] = { "commit", "rollback", NULL };
static const char *const mysql_conn_methods[] = {
	"commit", "rollback", "ping", "select_db", "query", NULL,
};
static const char *const dbapi_cursor_methods[] = { "execute", "executemany", "callproc", NULL };
static const char *const psycopg2_cursor_methods[] = {
	"execute", "executemany", "callproc", "copy_from", "copy_to", "copy_expert", NULL,
};
/* Methods of a sync redis client that do not talk to the server. */
static const char *const redis_local[] = {
	"pipeline", "pubsub", "lock", "register_script", "monitor", "client", "close",
	"set_response_callback", "get_encoder", "get_connection_kwargs", "get_retry",
	"set_retry", "from_url", "from_pool", "load_external_module", "__enter__", "__exit__",
	"__del__", NULL,
};
static const char *const redis_pipeline_methods[] = { "execute", "watch", NULL };

/* What is blocking for each class, and what to use instead. */
static const struct client {
	const char *cls;
	const char *const *methods;	/* NULL: every method but redis_local */
	const char *instead;
} clients[] = {
	{ "socket.socket", socket_methods,
	  "use asyncio streams (`asyncio.open_connection`) or `loop.sock_*` on a non-blocking "
	  "socket" },
	{ "sqlite3.Connection", sqlite_methods, "use an async driver (aiosqlite)" },
	{ "sqlite3.Cursor", sqlite_methods, "use an async driver (aiosqlite)" },
	{ "psycopg2.connection", dbapi_conn_methods,
	  "use an async driver (asyncpg, psycopg's `AsyncConnection`)" },
	{ "psycopg2.cursor", psycopg2_cursor_methods,
	  "use an async driver (asyncpg, psycopg's `AsyncConnection`)" },
	{ "pymysql.Connection", mysql_conn_methods, "use an async driver (aiomysql)" },
	{ "pymysql.Cursor", dbapi_cursor_methods, "use an async driver (aiomysql)" },
	{ "MySQLdb.Connection", mysql_conn_methods, "use an async driver (aiomysql)" },
	{ "MySQLdb.Cursor", dbapi_cursor_methods, "use an async driver (aiomysql)" },
	{ "redis.Redis", NULL, "use `redis.asyncio`" },
	{ "redis.Pipeline", redis_pipeline_methods, "use `redis.asyncio`" },
};

/* The socket `obj` (text) made non-blocking or used through the loop:
 * `obj.setblocking(False)`, `obj.settimeout(0)`, `loop.sock_*(obj, ..)`. */
struct nonblocking {
	const struct rule_ctx *ctx;
	const char *obj;
	uint32_t olen;
};

/* Loop methods that watch a non-blocking file descriptor. */
static const char *const loop_watchers[] = {
	"add_reader", "add_writer", "remove_reader", "remove_writer", NULL,
};

static bool text_eq(const struct rule_ctx *ctx, TSNode n, const char *s, uint32_t len)
{
	uint32_t l;
	const char *t = ts_node_is_null(n) ? NULL : rule_text(ctx, n, &l);

	return t && l == len && !memcmp(t, s, len);
}

static enum syntax_step find_nonblocking(TSNode n, void *arg)
{
	const struct nonblocking *nb = arg;
	TSNode fn, m, args, first;
	uint32_t mlen;
	const char *name;

	if (!syntax_type_is(n, "call"))
		return SYNTAX_WALK_INTO;
	fn = syntax_field(n, "function");
	m = syntax_field(fn, "attribute");
	args = syntax_field(n, "arguments");
	if (!syntax_type_is(fn, "attribute") || ts_node_is_null(m) ||
	    !syntax_type_is(args, "argument_list"))
		return SYNTAX_WALK_INTO;
	name = rule_text(nb->ctx, m, &mlen);
	first = ts_node_named_child(args, 0);
	if (ts_node_is_null(first))
		return SYNTAX_WALK_INTO;
	if ((mlen > 5 && !memcmp(name, "sock_", 5)) || syntax_strn_in(name, mlen, loop_watchers))
		return text_eq(nb->ctx, first, nb->obj, nb->olen) ? SYNTAX_WALK_STOP
								  : SYNTAX_WALK_INTO;
	if (!text_eq(nb->ctx, syntax_field(fn, "object"), nb->obj, nb->olen))
		return SYNTAX_WALK_INTO;
	if (rule_text_is(nb->ctx, m, "setblocking") &&
	    (syntax_type_is(first, "false") || rule_text_is(nb->ctx, first, "0")))
		return SYNTAX_WALK_STOP;
	if (rule_text_is(nb->ctx, m, "settimeout") &&
	    (rule_text_is(nb->ctx, first, "0") || rule_text_is(nb->ctx, first, "0.0")))
		return SYNTAX_WALK_STOP;
	return SYNTAX_WALK_INTO;
}

/* A module-level name bound to a tuple of "would block" errors
 * (`WantRead = (BlockingIOError, InterruptedError)`). */
struct error_alias {
	const struct rule_ctx *ctx;
	const char *name;
	uint32_t len;
};

static bool names_would_block(const char *t, uint32_t len)
{
	return memmem(t, len, "BlockingIOError", 15) || memmem(t, len, "SSLWant", 7);
}

static enum syntax_step find_error_alias(TSNode n, void *arg)
{
	const struct error_alias *ea = arg;
	TSNode r;
	uint32_t len;
	const char *t;

	if (syntax_is_def_scope(n))
		return SYNTAX_WALK_PAST;
	if (!syntax_type_is(n, "assignment") ||
	    !text_eq(ea->ctx, syntax_field(n, "left"), ea->name, ea->len))
		return SYNTAX_WALK_INTO;
	r = syntax_field(n, "right");
	if (ts_node_is_null(r))
		return SYNTAX_WALK_INTO;
	t = rule_text(ea->ctx, r, &len);
	return names_would_block(t, len) ? SYNTAX_WALK_STOP : SYNTAX_WALK_INTO;
}

/* True when `call` is in the body of a `try` that catches
 * `BlockingIOError` (or ssl's want-read/want-write errors): the code
 * expects the socket not to block. */
static bool expects_would_block(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = rule_enclosing_function(call);

	for (TSNode n = call, p = tree_parent(n); !ts_node_is_null(p) && !syntax_node_eq(n, fn);
	     n = p, p = tree_parent(p)) {
		if (!syntax_type_is(p, "try_statement") || !syntax_is_field(p, "body", n))
			continue;
		for (uint32_t i = 0, k = ts_node_named_child_count(p); i < k; i++) {
			TSNode h = ts_node_named_child(p, i), type, name;
			uint32_t len;
			const char *t;

			if (!syntax_type_is(h, "except_clause"))
				continue;
			syntax_handler_parts(h, &type, &name);
			if (ts_node_is_null(type))
				continue;
			t = rule_text(ctx, type, &len);
			if (names_would_block(t, len))
				return true;
			if (syntax_type_is(type, "identifier")) {
				struct error_alias ea = { ctx, t, len };

				if (!syntax_walk(ts_tree_root_node(call.tree), find_error_alias, &ea))
					return true;
			}
		}
	}
	return false;
}

static bool made_nonblocking(const struct rule_ctx *ctx, TSNode obj)
{
	struct nonblocking nb = { ctx, NULL, 0 };

	nb.obj = rule_text(ctx, obj, &nb.olen);
	return !syntax_walk(ts_tree_root_node(obj.tree), find_nonblocking, &nb);
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode call = rule_capture(ctx, match, "mcall");
	TSNode obj = rule_capture(ctx, match, "obj");
	TSNode m = syntax_field(syntax_field(call, "function"), "attribute");
	const struct client *c = NULL;
	const char *t, *otext, *mtext, *reason;
	uint32_t olen, mlen;
	struct finding *f;

	if (scope_context_at(ctx->scopes, ts_node_start_byte(call)) != CONTEXT_ASYNC)
		return 0;
	mtext = rule_text(ctx, m, &mlen);
	t = receiver_type(&rc, obj);
	if (!t)
		return 0;
	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++)
		if (!strcmp(clients[i].cls, t))
			c = &clients[i];
	if (!c)
		return 0;
	if (c->methods ? !syntax_strn_in(mtext, mlen, c->methods)
		       : syntax_strn_in(mtext, mlen, redis_local) || (mlen && mtext[0] == '_'))
		return 0;
	if (c->methods == socket_methods &&
	    (made_nonblocking(ctx, obj) || expects_would_block(ctx, call)))
		return 0;
	otext = rule_text(ctx, obj, &olen);
	if (olen > 40) {
		otext = "x";
		olen = 1;
	}
	f = rule_report(ctx, &transform_blocking_client, call,
			"`%.*s.%.*s()` (a sync `%s`) blocks the event loop; %s", (int)olen, otext,
			(int)mlen, mtext, t, c->instead);
	reason = rule_site_reason(ctx, RESOLVE_MODULE, CONTEXT_ASYNC);
	rule_no_fix(f, reason ? reason : "not-thread-safe");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"\"\"\"同步数据库查询（阻塞）.\"\"\"",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"# 使用同步数据库驱动",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"\"\"\"异步包装同步数据库查询.\"\"\"",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const reasons[] = {
	"not-thread-safe", "the object belongs to the thread that made it (sqlite3's "
	"`check_same_thread`) or is shared with other tasks (DB-API connections, sockets and "
	"redis clients are not safe to use from two threads at once): moving one call to a "
	"worker thread is not a fix; use the async driver",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	NULL,
};

const struct transform transform_blocking_client = {
	.code = "AM114",
	.name = "blocking-client-method-in-async-function",
	.summary = "recv/sendall/connect of a sync socket, execute/commit/fetch of a sqlite3, "
		   "psycopg2, pymysql or MySQLdb connection or cursor, a sync redis command in an "
		   "async function (report only)",
	.fix = FIX_NONE,
	.query = blocking_client_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A method call, whose nearest enclosing function is an `async def`, on an "
		 "object the file shows to be a sync client (a constructor or factory call, "
		 "an annotation, a module global, `self.x` set in the class, `with X() as y`, "
		 "`conn.cursor()`): a socket (`socket.socket(..)`, `create_connection`, "
		 "`create_server`, `fromfd`) and its `recv`, `recv_into`, `recvfrom`, "
		 "`recvfrom_into`, `recvmsg`, `recvmsg_into`, `send`, `sendall`, `sendto`, "
		 "`sendmsg`, `sendfile`, `connect`, `connect_ex`, `accept`; a sqlite3 "
		 "connection or cursor and its `execute`, `executemany`, `executescript`, "
		 "`commit`, `rollback`, `backup`, `blobopen`, `fetchone`, `fetchall`, "
		 "`fetchmany`; a psycopg2, pymysql or MySQLdb connection (`commit`, "
		 "`rollback`; MySQL's also `ping`, `select_db`, `query`) or cursor "
		 "(`execute`, `executemany`, `callproc`; psycopg2's also `copy_from`, "
		 "`copy_to`, `copy_expert`); a sync redis client (`redis.Redis`, "
		 "`StrictRedis`, `from_url`) and any of its methods but those that only make "
		 "an object (`pipeline`, `pubsub`, `lock`, `register_script`, `monitor`, "
		 "`client`, `close`, ..), and a redis pipeline's `execute` and `watch`. Not "
		 "reported: a socket the file makes non-blocking (`setblocking(False)`, "
		 "`settimeout(0)`) or hands to `loop.sock_*` or `add_reader`/`add_writer`, a "
		 "socket call in a `try` that catches `BlockingIOError`, the non-I/O methods "
		 "(`setblocking`, `settimeout`, `fileno`, `close`, `cursor`, `makefile`), "
		 "the `fetch*` of psycopg2/pymysql/MySQLdb cursors (the result is already "
		 "in memory), calls in a `def` or lambda nested in the coroutine, sockets "
		 "from `socketpair()` or `accept()` (tuples).",
	.why = "Each of these calls waits on the network or a database in the event loop's "
	       "thread, holding up every other task for as long as it takes. Unlike a "
	       "module-level function, the call cannot simply move to a worker thread: the "
	       "object belongs to the thread that made it or is used by other tasks at the "
	       "same time.",
	.standard = standard,
	.fix_text = "None: the object is not thread-safe, so `asyncio.to_thread` around one "
		    "call is not a fix. Use the async driver: asyncio streams or `loop.sock_*` "
		    "for sockets, aiosqlite, asyncpg or psycopg's async connection, aiomysql, "
		    "`redis.asyncio`.",
	.reasons = reasons,
	.example_before = "import sqlite3\n"
			  "\n"
			  "\n"
			  "async def count(path):\n"
			  "    conn = sqlite3.connect(path)\n"
			  "    return conn.execute(\"select count(*) from t\").fetchone()\n",
	.example_after = "import aiosqlite\n"
			 "\n"
			 "\n"
			 "async def count(path):\n"
			 "    async with aiosqlite.connect(path) as conn:\n"
			 "        async with conn.execute(\"select count(*) from t\") as cur:\n"
			 "            return await cur.fetchone()\n",
};
