/*
 * AM304: an async resource that is not closed on every path.
 *
 * In a coroutine, a resource bound to a local name: a file handle from
 * `await aiofiles.open(..)`, a connection from `await asyncpg.connect(..)`,
 * a `redis.asyncio` client (`Redis(..)`, `from_url(..)`), the writer of
 * `await asyncio.open_connection(..)`, a connection from `await
 * pool.acquire()` on an asyncpg pool. Reported when nothing closes it
 * (`close()`, `aclose()`, `pool.release(conn)`, `writer.close()`) in a
 * `finally`, and no `async with` / `aclosing(..)` / `AsyncExitStack`
 * callback owns it. A resource that escapes the function (returned,
 * yielded, stored on an object, passed to a function, used in a nested
 * function) is someone else's to close: no finding.
 *
 * Fix (unsafe), for an aiofiles handle only, where the shape is exact:
 * `f = await aiofiles.open(..)` as a statement, its uses in the statements
 * that follow it in the same block, and a trailing `await f.close()`
 * statement there that nothing else duplicates. The assignment becomes
 * `async with aiofiles.open(..) as f:` over the statements up to the
 * close, and the close goes: the file is then closed also when they
 * raise or leave early. Everything else is reported with its reason.
 */
#include <string.h>

#include "table.h"
#include "syntax.h"
#include "../src/receiver.h"
#include "unclosed_resource.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = {
	"aiofiles", "asyncpg", "redis", "open_connection", "open_unix_connection", "acquire",
	NULL,
};

enum kind {
	KIND_NONE,
	KIND_AIOFILES,
	KIND_ASYNCPG,
	KIND_REDIS,
	KIND_WRITER,
	KIND_ACQUIRE,
};

static const char *const aiofiles_names[] = {
	"aiofiles.open", "aiofiles.threadpool.open", NULL,
};
static const char *const asyncpg_names[] = {
	"asyncpg.connect", "asyncpg.connection.connect", NULL,
};
static const char *const redis_names[] = {
	"redis.asyncio.Redis", "redis.asyncio.StrictRedis", "redis.asyncio.from_url",
	"redis.asyncio.client.Redis", "redis.asyncio.client.StrictRedis",
	"redis.asyncio.utils.from_url", "redis.asyncio.Redis.from_url",
	"redis.asyncio.StrictRedis.from_url", "redis.asyncio.client.Redis.from_url",
	"redis.asyncio.client.StrictRedis.from_url", NULL,
};
static const char *const stream_names[] = {
	"asyncio.open_connection", "asyncio.open_unix_connection",
	"asyncio.streams.open_connection", "asyncio.streams.open_unix_connection", NULL,
};

/* The methods that close each kind (KIND_ACQUIRE: `pool.release(conn)`). */
static const char *const close_methods[][3] = {
	[KIND_NONE] = { NULL },
	[KIND_AIOFILES] = { "close", NULL },
	[KIND_ASYNCPG] = { "close", "terminate", NULL },
	[KIND_REDIS] = { "aclose", "close", NULL },
	[KIND_WRITER] = { "close", NULL },
	[KIND_ACQUIRE] = { NULL },
};

/* What the advice says for each kind. */
static const char *const advice[] = {
	[KIND_NONE] = "",
	[KIND_AIOFILES] = "open it with `async with aiofiles.open(..) as NAME:`",
	[KIND_ASYNCPG] = "close it in a `finally` (`await conn.close()`)",
	[KIND_REDIS] = "use `async with` or `await r.aclose()` in a `finally`",
	[KIND_WRITER] = "call `writer.close()` and `await writer.wait_closed()` in a `finally`",
	[KIND_ACQUIRE] = "use `async with pool.acquire() as conn:` or `await pool.release(conn)` "
			 "in a `finally`",
};

/* What the call opens, from its resolved name (or its receiver). */
static enum kind kind_of(const struct rule_ctx *ctx, TSNode call, TSNode fnref, struct buf *q)
{
	enum resolution r = scope_resolve_expr(ctx->scopes, fnref, q);

	if (r == RESOLVE_MODULE) {
		if (syntax_str_in(buf_cstr(q), aiofiles_names))
			return KIND_AIOFILES;
		if (syntax_str_in(buf_cstr(q), asyncpg_names))
			return KIND_ASYNCPG;
		if (syntax_str_in(buf_cstr(q), redis_names))
			return KIND_REDIS;
		if (syntax_str_in(buf_cstr(q), stream_names))
			return KIND_WRITER;
	}
	if (syntax_type_is(fnref, "attribute") &&
	    rule_text_is(ctx, syntax_field(fnref, "attribute"), "acquire") &&
	    syntax_argument_count(call) == 0) {
		struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
		const char *t = receiver_type(&rc, syntax_field(fnref, "object"));

		if (t && !strcmp(t, "asyncpg.Pool")) {
			buf_clear(q);
			syntax_node_text(ctx, fnref, q);
			return KIND_ACQUIRE;
		}
	}
	return KIND_NONE;
}

/* True when a keyword argument `name=` is given to the call. */
static bool has_keyword(const struct rule_ctx *ctx, TSNode call, const char *name)
{
	TSNode args = syntax_field(call, "arguments");

	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "keyword_argument") &&
		    rule_text_is(ctx, syntax_field(a, "name"), name))
			return true;
	}
	return false;
}

/* How the uses of the name treat the resource. */
struct uses {
	bool escapes;		/* it may outlive the function: someone else closes it */
	bool managed;		/* `async with NAME`, aclosing(NAME), an exit-stack callback */
	struct vec closes;	/* TSNode: the calls that close it */
	bool rebound;		/* the name is bound again in the function */
	TSNode first, last;	/* the first and last use (binding aside) */
};

/* True when `call`'s function resolves to contextlib.aclosing/closing. */
static bool closing_wrapper(const struct rule_ctx *ctx, TSNode call)
{
	struct buf q = BUF_INIT;
	TSNode fn = syntax_field(call, "function");
	bool yes = false;

	if (syntax_type_is(call, "call") &&
	    (syntax_type_is(fn, "identifier") || syntax_type_is(fn, "attribute"))) {
		yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
		      (!strcmp(buf_cstr(&q), "contextlib.aclosing") ||
		       !strcmp(buf_cstr(&q), "contextlib.closing"));
	}
	buf_release(&q);
	return yes;
}

/* True when `call` is a call `X.m(..)` of a method named in `list`. */
static bool calls_method(const struct rule_ctx *ctx, TSNode call, const char *const *list)
{
	TSNode fn = syntax_field(call, "function");

	return syntax_type_is(call, "call") && syntax_type_is(fn, "attribute") &&
	       !ts_node_is_null(syntax_field(fn, "attribute")) &&
	       syntax_text_in(ctx, syntax_field(fn, "attribute"), list);
}

/* Sorts one use `id` of the name into `u`. */
static void classify(const struct rule_ctx *ctx, enum kind kind, TSNode id, struct uses *u)
{
	TSNode p = syntax_parent_unparen(id), call;

	if (syntax_type_is(p, "attribute") && syntax_same_node(syntax_field(p, "object"),
							      syntax_paren_top(id))) {
		TSNode m = syntax_field(p, "attribute");

		if (!syntax_text_in(ctx, m, close_methods[kind])) {
			u->escapes = u->escapes || syntax_member_use_escapes(p);
			return;
		}
		if (rule_callee_of(p, &call)) {
			*(TSNode *)vec_push(&u->closes) = call;
			return;
		}
		/* `stack.push_async_callback(f.close)` */
		p = syntax_parent_unparen(p);
		if (syntax_type_is(p, "argument_list") &&
		    calls_method(ctx, tree_parent(p),
				 (const char *const[]){ "push_async_callback", "callback", NULL }))
			u->managed = true;
		else
			u->escapes = true;
		return;
	}
	if (syntax_type_is(p, "with_item") ||
	    (syntax_type_is(p, "as_pattern") && syntax_type_is(tree_parent(p), "with_item"))) {
		u->managed = true;
		return;
	}
	if (syntax_type_is(p, "argument_list")) {
		call = tree_parent(p);
		if (closing_wrapper(ctx, call))
			u->managed = true;
		else if (kind == KIND_ACQUIRE &&
			 calls_method(ctx, call, (const char *const[]){ "release", NULL }))
			*(TSNode *)vec_push(&u->closes) = call;
		else
			u->escapes = true;
		return;
	}
	if ((syntax_type_is(p, "for_statement") || syntax_type_is(p, "for_in_clause")) &&
	    syntax_is_field(p, "right", syntax_paren_top(id)))
		return;		/* `async for line in f` */
	if (syntax_type_is(p, "comparison_operator") || syntax_type_is(p, "not_operator") ||
	    syntax_type_is(p, "boolean_operator"))
		return;
	if ((syntax_type_is(p, "if_statement") || syntax_type_is(p, "elif_clause") ||
	     syntax_type_is(p, "while_statement") || syntax_type_is(p, "conditional_expression")) &&
	    !syntax_is_field(p, "consequence", id) && !syntax_is_field(p, "alternative", id))
		return;		/* a test: `if f:` */
	u->escapes = true;
}

/* Collects the uses of `name` (bound at `site`) in `fn`. */
static void collect(const struct rule_ctx *ctx, enum kind kind, TSNode fn, TSNode site,
		    struct uses *u)
{
	struct vec ids = VEC_INIT(TSNode);
	uint32_t len;
	const char *t = rule_text(ctx, site, &len);

	syntax_find_names(ctx, fn, t, len, &ids);
	for (size_t i = 0; i < ids.len; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i);

		if (ts_node_start_byte(id) == ts_node_start_byte(site) || rule_is_name_site(id))
			continue;
		if (syntax_type_is(tree_parent(id), "global_statement") ||
		    syntax_type_is(tree_parent(id), "nonlocal_statement")) {
			u->escapes = true;	/* it outlives the call */
			continue;
		}
		if (!syntax_node_eq(rule_enclosing_function(id), fn)) {
			/* a nested function sees it (or binds a name of its own) */
			u->escapes = u->escapes || !syntax_is_store(id);
			continue;
		}
		if (syntax_is_store(id)) {
			u->rebound = true;
			continue;
		}
		if (ts_node_is_null(u->first))
			u->first = id;
		u->last = id;
		classify(ctx, kind, id, u);
	}
	vec_release(&ids);
}

/* True when one of the closing calls runs in a `finally` of `fn`. */
static bool closed_in_finally(const struct uses *u)
{
	for (size_t i = 0; i < u->closes.len; i++)
		if (rule_inside(*(TSNode *)vec_at(&u->closes, i), "finally_clause",
				(const char *const[]){ "function_definition", "lambda", NULL }))
			return true;
	return false;
}

/* The statement `await NAME.close()` when `call` is the whole of one. */
static TSNode close_statement(TSNode call)
{
	TSNode none = { { 0 }, NULL, NULL };
	TSNode aw = tree_parent(call), stmt = tree_parent(aw);

	if (!syntax_type_is(aw, "await") || !syntax_type_is(stmt, "expression_statement") ||
	    ts_node_named_child_count(stmt) != 1 || syntax_argument_count(call) != 0)
		return none;
	return stmt;
}

/* The reason the aiofiles handle bound by `stmt` cannot be rewritten, or
 * NULL with the edits added to `f`. */
static const char *fix_aiofiles(struct rule_ctx *ctx, struct finding *f, TSNode call, TSNode aw,
				TSNode stmt, TSNode name, const struct uses *u)
{
	TSNode asg = ts_node_named_child(stmt, 0), right = syntax_field(asg, "right");
	TSNode close, last, block = tree_parent(stmt);
	struct vec yields = VEC_INIT(TSNode);
	uint32_t start, end, value_start;
	bool found = false;

	if (!u->closes.len)
		return "never-closed";
	if (u->rebound)
		return "escapes-block";
	close = close_statement(*(TSNode *)vec_at(&u->closes, 0));
	if (u->closes.len != 1 || ts_node_is_null(close) ||
	    !syntax_node_eq(tree_parent(close), block) ||
	    ts_node_start_byte(close) < ts_node_end_byte(stmt))
		return "closed-without-finally";
	if (ts_node_start_byte(u->first) < ts_node_end_byte(stmt) ||
	    ts_node_start_byte(u->last) >= ts_node_end_byte(close))
		return "escapes-block";
	for (TSNode s = ts_node_next_named_sibling(stmt); !found && !ts_node_is_null(s);
	     s = ts_node_next_named_sibling(s)) {
		found = syntax_node_eq(s, close);
		syntax_find_owned(s, "yield", &yields);
	}
	if (yields.len) {
		vec_release(&yields);
		return "yield-in-scope";
	}
	vec_release(&yields);
	if (!syntax_type_is(block, "block") || !syntax_alone(stmt) || !rule_own_line(ctx, stmt) ||
	    !syntax_alone(close) || !syntax_whole_lines(ctx, close, &start, &end) ||
	    !ts_node_is_null(syntax_field(asg, "type")) ||
	    syntax_comment_in(aw, ts_node_start_byte(aw), ts_node_start_byte(call)))
		return "compound-statement";
	last = ts_node_prev_named_sibling(close);
	while (syntax_type_is(last, "comment"))
		last = ts_node_prev_named_sibling(last);
	/* `f = await X` loses `f = await `; `f = (await X)` keeps its
	 * parentheses and loses the `await` inside them */
	if (syntax_node_eq(right, aw)) {
		value_start = ts_node_start_byte(call);
	} else {
		value_start = ts_node_start_byte(right);
		rule_edit(f, ts_node_start_byte(aw), ts_node_start_byte(call), "");
	}
	syntax_async_with_over(ctx, f, stmt, name, value_start, ts_node_end_byte(right), last);
	rule_edit(f, start, end, "");
	return NULL;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fnref = rule_capture(ctx, match, "fn");
	TSNode value = call, p, stmt, name, fn, top;
	struct buf q = BUF_INIT;
	struct uses u = { .closes = VEC_INIT(TSNode) };
	struct finding *f;
	enum kind kind;
	const char *why;

	if (scope_context_at(ctx->scopes, ts_node_start_byte(call)) != CONTEXT_ASYNC)
		goto done;
	kind = kind_of(ctx, call, fnref, &q);
	if (kind == KIND_NONE || (kind == KIND_REDIS && has_keyword(ctx, call, "connection_pool")))
		goto done;	/* a client on a pool it is given does not own the pool */
	p = syntax_parent_unparen(call);
	if (syntax_type_is(p, "await"))
		value = p;
	else if (kind != KIND_REDIS)
		goto done;	/* not opened here (`async with aiofiles.open(..)`) */
	top = syntax_paren_top(value);
	p = tree_parent(top);
	if (syntax_type_is(p, "attribute") && syntax_same_node(syntax_field(p, "object"), top)) {
		/* `(await aiofiles.open(p)).read()`: nothing can close it */
		f = rule_report(ctx, &transform_unclosed_resource, call,
				"`%s(..)` is used once and never closed: %s", buf_cstr(&q),
				advice[kind]);
		rule_no_fix(f, "not-bound");
		goto done;
	}
	if (!syntax_type_is(p, "assignment") || !syntax_is_field(p, "right", top) ||
	    syntax_type_is(tree_parent(p), "assignment"))
		goto done;	/* managed, passed on, returned or aliased where it is made */
	name = syntax_field(p, "left");
	if (kind == KIND_WRITER) {
		/* `reader, writer = await asyncio.open_connection(..)` */
		if ((!syntax_type_is(name, "pattern_list") && !syntax_type_is(name, "tuple_pattern")) ||
		    ts_node_named_child_count(name) != 2)
			goto done;
		name = ts_node_named_child(name, 1);
	}
	if (!syntax_type_is(name, "identifier"))
		goto done;	/* stored on an object or in a container */
	fn = rule_enclosing_function(call);
	collect(ctx, kind, fn, name, &u);
	if (u.escapes || u.managed || closed_in_finally(&u))
		goto done;
	if (kind == KIND_ACQUIRE)
		f = rule_report(ctx, &transform_unclosed_resource, call,
				u.closes.len ? "`%.*s` from `%s()` is released, but not in a `finally`: "
					       "an exception before the release keeps it from the pool; %s"
					     : "`%.*s` from `%s()` is never released to its pool; %s",
				(int)(ts_node_end_byte(name) - ts_node_start_byte(name)),
				ctx->src->text + ts_node_start_byte(name), buf_cstr(&q), advice[kind]);
	else
		f = rule_report(ctx, &transform_unclosed_resource, call,
				u.closes.len ? "`%.*s` from `%s(..)` is closed, but not in a `finally`: "
					       "an exception before the close leaks it; %s"
					     : "`%.*s` from `%s(..)` is never closed: it stays open until "
					       "garbage collection; %s",
				(int)(ts_node_end_byte(name) - ts_node_start_byte(name)),
				ctx->src->text + ts_node_start_byte(name), buf_cstr(&q), advice[kind]);
	if (kind != KIND_AIOFILES) {
		rule_no_fix(f, "close-by-hand");
		goto done;
	}
	stmt = tree_parent(p);
	if (!syntax_type_is(stmt, "expression_statement") || ts_node_named_child_count(stmt) != 1 ||
	    !syntax_type_is(value, "await") || !syntax_node_eq(ts_node_named_child(value, 0), call)) {
		rule_no_fix(f, u.closes.len ? "closed-without-finally" : "never-closed");
		goto done;
	}
	if ((why = fix_aiofiles(ctx, f, call, value, stmt, name, &u)))
		rule_no_fix(f, why);
done:
	vec_release(&u.closes);
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"4. **正确的上下文管理** - 异步资源使用 `async with` 管理",
	"最佳实践总结 > 2. 资源管理",
	"# ✅ 正确 - 确保资源释放",
	"最佳实践总结 > 2. 资源管理",
	"# ✅ 推荐 - 使用上下文管理器",
	"检查清单",
	"- [ ] 异步资源使用 `async with` 管理",
	NULL,
};

static const char *const reasons[] = {
	"close-by-hand", "only a handle from `await aiofiles.open(..)` is rewritten; an asyncpg "
	"connection, a redis client, a stream writer or an acquired connection is closed in a "
	"`finally` by hand (or with `async with` where its library offers one)",
	"never-closed", "nothing closes the aiofiles handle: where its use ends is not known, so "
	"no block is drawn around it",
	"closed-without-finally", "the handle is closed, but the close is not one trailing "
	"`await f.close()` statement in the block that opened it (it is in a branch, a loop, a "
	"handler, or there are several)",
	"escapes-block", "the name is used before the open or after the close, or bound again "
	"in the function",
	"yield-in-scope", "the statements up to the close hold a `yield`: the new `async with` "
	"would stay open while the generator is suspended",
	"compound-statement", "the open or the close shares its line with other code, a "
	"comment or its block's header, or the name is annotated",
	"not-bound", "the resource is used once as a temporary "
	"(`await (await aiofiles.open(p)).read()`) and never bound to a name",
	NULL,
};

const struct transform transform_unclosed_resource = {
	.code = "AM304",
	.name = "unclosed-async-resource",
	.summary = "aiofiles/asyncpg/redis/stream resource not closed in a finally -> async with",
	.fix = FIX_UNSAFE,
	.query = unclosed_resource_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "In a coroutine, a resource bound to a local name: a handle from `await "
		 "aiofiles.open(..)`, a connection from `await asyncpg.connect(..)`, a "
		 "`redis.asyncio` client (`Redis(..)`, `from_url(..)`; not one given a "
		 "`connection_pool`), the writer of `await asyncio.open_connection(..)`, a "
		 "connection from `await pool.acquire()` on an asyncpg pool (`asyncpg.create_pool`, "
		 "an `asyncpg.Pool` annotation), whose close (`close()`, `aclose()`, "
		 "`pool.release(conn)`, `writer.close()`) is missing or not in a `finally`, and "
		 "that no `async with`, `contextlib.aclosing(..)` or `AsyncExitStack` callback "
		 "owns. A resource that leaves the function (returned, yielded, stored on an "
		 "object, passed to a function, used in a nested function) is not reported.",
	.why = "A resource that is closed only on the path where nothing goes wrong leaks on "
	       "every other one: an exception, a cancellation or an early `return` before the "
	       "close leaves the file descriptor, the database connection or the socket open "
	       "until the garbage collector finds it (an acquired connection never goes back "
	       "to its pool). The standard requires async resources to be managed with "
	       "`async with`, or released in a `finally`.",
	.standard = standard,
	.fix_text = "For an aiofiles handle whose `await f.close()` is a statement after it in "
		    "the same block: `f = await aiofiles.open(..)` becomes `async with "
		    "aiofiles.open(..) as f:` over the statements up to the close, re-indented, "
		    "and the close goes. What changes: the file is also closed when those "
		    "statements raise, are cancelled or leave early (`return`, `break`), where it "
		    "used to stay open.",
	.reasons = reasons,
	.example_before = "import aiofiles\n"
			  "\n"
			  "\n"
			  "async def read_config(path):\n"
			  "    f = await aiofiles.open(path)\n"
			  "    text = await f.read()\n"
			  "    await f.close()\n"
			  "    return text\n",
	.example_after = "import aiofiles\n"
			 "\n"
			 "\n"
			 "async def read_config(path):\n"
			 "    async with aiofiles.open(path) as f:\n"
			 "        text = await f.read()\n"
			 "    return text\n",
};
