/*
 * timeout_origin (AM201, see timeout_scope.c): what an awaited receiver
 * is, as far as its function tells: a call of a known connection maker,
 * a name bound once in the function from one, or a parameter annotated
 * with a known type.
 */
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "syntax.h"
#include "timeout_scope_internal.h"
#include "../src/tree.h"

static const char *const loop_getters[] = {
	"asyncio.get_running_loop", "asyncio.get_event_loop",
	"asyncio.events.get_running_loop", "asyncio.events.get_event_loop", NULL,
};
const char *const timeout_open_connection[] = {
	"asyncio.open_connection", "asyncio.open_unix_connection",
	"asyncio.streams.open_connection", "asyncio.streams.open_unix_connection", NULL,
};
static const char *const subprocess_makers[] = {
	"asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
	"asyncio.subprocess.create_subprocess_exec", "asyncio.subprocess.create_subprocess_shell",
	NULL,
};
static const char *const pg_connect[] = { "asyncpg.connect", "asyncpg.connection.connect", NULL };
static const char *const pg_pool[] = { "asyncpg.create_pool", "asyncpg.pool.create_pool", NULL };
static const char *const redis_makers[] = {
	"redis.asyncio.Redis", "redis.asyncio.StrictRedis", "redis.asyncio.from_url",
	"redis.asyncio.Redis.from_url", "redis.asyncio.client.Redis", NULL,
};
static const char *const ws_connect[] = {
	"websockets.connect", "websockets.client.connect", "websockets.asyncio.client.connect",
	NULL,
};
static const char *const aiohttp_session[] = {
	"aiohttp.ClientSession", "aiohttp.client.ClientSession", NULL,
};

/* Types in parameter annotations. */
static const struct {
	const char *qname;
	enum io_kind kind;
} annotated[] = {
	{ "asyncio.StreamReader", IO_READER },
	{ "asyncio.streams.StreamReader", IO_READER },
	{ "asyncio.StreamWriter", IO_WRITER },
	{ "asyncio.streams.StreamWriter", IO_WRITER },
	{ "asyncio.subprocess.Process", IO_PROCESS },
	{ "asyncpg.Connection", IO_PG_CONN },
	{ "asyncpg.connection.Connection", IO_PG_CONN },
	{ "asyncpg.Pool", IO_PG_POOL },
	{ "asyncpg.pool.Pool", IO_PG_POOL },
	{ "redis.asyncio.Redis", IO_REDIS },
	{ "aiohttp.ClientWebSocketResponse", IO_AIOHTTP_WS },
	{ NULL, IO_UNKNOWN },
};

/* One binding of a name in a function. */
struct binding {
	unsigned count;		/* bindings seen */
	TSNode value;		/* what the only binding assigns, or null */
	bool awaited;		/* `name = await value` */
	bool with_item;		/* `async with value as name` */
	int index;		/* the position in a tuple target, or -1 */
	TSNode annotation;	/* a parameter's annotation */
};

static bool name_is(const struct rule_ctx *ctx, TSNode n, const char *name, uint32_t len)
{
	uint32_t l;
	const char *t;

	if (!syntax_type_is(n, "identifier"))
		return false;
	t = rule_text(ctx, n, &l);
	return l == len && !memcmp(t, name, len);
}

/* Records a binding of `name` by the target `target` (an identifier or a
 * tuple or list of identifiers) with `value`. */
static void bind_target(const struct rule_ctx *ctx, TSNode target, TSNode value, bool awaited,
			bool with_item, const char *name, uint32_t len, struct binding *b)
{
	if (name_is(ctx, target, name, len)) {
		b->count++;
		b->value = value;
		b->awaited = awaited;
		b->with_item = with_item;
		b->index = -1;
		return;
	}
	if (syntax_type_is(target, "pattern_list") || syntax_type_is(target, "tuple_pattern") ||
	    syntax_type_is(target, "tuple") || syntax_type_is(target, "list_pattern") ||
	    syntax_type_is(target, "list")) {
		int pos = 0;

		for (uint32_t i = 0; i < ts_node_named_child_count(target); i++) {
			TSNode el = ts_node_named_child(target, i);

			if (syntax_type_is(el, "comment"))
				continue;
			if (name_is(ctx, el, name, len)) {
				b->count++;
				b->value = value;
				b->awaited = awaited;
				b->with_item = with_item;
				b->index = pos;
			} else {
				TSNode none = { { 0 }, NULL, NULL };

				/* deeper nesting or starred: a binding we cannot follow */
				bind_target(ctx, el, none, false, false, name, len, b);
				if (b->count && ts_node_is_null(b->value))
					return;
			}
			pos++;
		}
		return;
	}
	if (syntax_type_is(target, "list_splat_pattern") ||
	    syntax_type_is(target, "parenthesized_expression")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(target); i++) {
			TSNode none = { { 0 }, NULL, NULL };

			bind_target(ctx, ts_node_named_child(target, i), none, false, false, name, len,
				    b);
		}
	}
}

/* Any other identifier occurrence of `name` in a binding position counts
 * as a binding we cannot follow. */
static void unknown_binding(struct binding *b)
{
	TSNode none = { { 0 }, NULL, NULL };

	b->count++;
	b->value = none;
}

/* Every binding find_bindings() counts is an identifier or dotted name
 * holding the name's text, so a node whose bytes hold no occurrence of it
 * binds nothing and is not walked. */
static void find_bindings(const struct rule_ctx *ctx, TSNode n, const char *name, uint32_t len,
			  const struct tree_occurrences *occ, struct binding *b)
{
	const char *t;
	uint32_t count;

	if (!tree_occurrences_within(occ, n))
		return;
	t = ts_node_type(n);
	count = ts_node_named_child_count(n);

	if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition")) {
		if (name_is(ctx, ts_node_child_by_field_name(n, "name", 4), name, len))
			unknown_binding(b);
		return;	/* its own scope */
	}
	if (!strcmp(t, "lambda") || !strcmp(t, "list_comprehension") ||
	    !strcmp(t, "set_comprehension") || !strcmp(t, "dictionary_comprehension") ||
	    !strcmp(t, "generator_expression"))
		return;
	if (!strcmp(t, "assignment")) {
		TSNode left = ts_node_child_by_field_name(n, "left", 4);
		TSNode right = ts_node_child_by_field_name(n, "right", 5);
		bool awaited = syntax_type_is(right, "await");

		if (awaited)
			right = ts_node_named_child(right, 0);
		if (!ts_node_is_null(left))
			bind_target(ctx, left, right, awaited, false, name, len, b);
	} else if (!strcmp(t, "augmented_assignment") || !strcmp(t, "for_statement") ||
		   !strcmp(t, "named_expression") || !strcmp(t, "for_in_clause")) {
		TSNode left = ts_node_child_by_field_name(n, !strcmp(t, "named_expression") ?
							  "name" : "left", 4);
		struct binding tmp = { 0 };

		if (!ts_node_is_null(left))
			bind_target(ctx, left, left, false, false, name, len, &tmp);
		if (tmp.count)
			unknown_binding(b);
	} else if (!strcmp(t, "as_pattern")) {
		TSNode alias = ts_node_child_by_field_name(n, "alias", 5);
		TSNode value = ts_node_named_child(n, 0);
		TSNode item = tree_parent(n);

		if (!ts_node_is_null(alias) && ts_node_named_child_count(alias) == 1) {
			TSNode target = ts_node_named_child(alias, 0);

			if (syntax_type_is(item, "with_item") && name_is(ctx, target, name, len)) {
				b->count++;
				b->value = value;
				b->awaited = false;
				b->with_item = true;
				b->index = -1;
			} else {
				struct binding tmp = { 0 };

				bind_target(ctx, target, target, false, false, name, len, &tmp);
				if (tmp.count)
					unknown_binding(b);
			}
		}
	} else if (!strcmp(t, "global_statement") || !strcmp(t, "nonlocal_statement") ||
		   !strcmp(t, "import_statement") || !strcmp(t, "import_from_statement") ||
		   !strcmp(t, "delete_statement") || !strcmp(t, "except_clause")) {
		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(n, i);

			if (name_is(ctx, c, name, len) ||
			    ((syntax_type_is(c, "dotted_name") || syntax_type_is(c, "aliased_import")) &&
			     memmem(rule_text(ctx, c, &(uint32_t){ 0 }),
				    ts_node_end_byte(c) - ts_node_start_byte(c), name, len)))
				unknown_binding(b);
		}
		if (!strcmp(t, "except_clause")) {
			for (uint32_t i = 0; i < count; i++)
				find_bindings(ctx, ts_node_named_child(n, i), name, len, occ, b);
		}
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		find_bindings(ctx, ts_node_named_child(n, i), name, len, occ, b);
}

/* The binding of parameter `name` of `fn`, if it is one. */
static bool parameter_binding(const struct rule_ctx *ctx, TSNode fn, const char *name,
			      uint32_t len, struct binding *b)
{
	TSNode params = ts_node_child_by_field_name(fn, "parameters", 10);

	for (uint32_t i = 0; !ts_node_is_null(params) && i < ts_node_named_child_count(params); i++) {
		TSNode p = ts_node_named_child(params, i), id = p, type;

		if (syntax_type_is(p, "typed_parameter") || syntax_type_is(p, "typed_default_parameter") ||
		    syntax_type_is(p, "default_parameter")) {
			id = ts_node_child_by_field_name(p, "name", 4);
			if (ts_node_is_null(id))
				id = ts_node_named_child(p, 0);
		}
		if (!name_is(ctx, id, name, len))
			continue;
		b->count++;
		type = ts_node_child_by_field_name(p, "type", 4);
		b->annotation = type;
		if (!ts_node_is_null(type) && ts_node_named_child_count(type) == 1)
			b->annotation = ts_node_named_child(type, 0);
		return true;
	}
	return false;
}

/* What the call `value` produces, awaited or entered by `async with` or
 * neither, taking element `index` of a tuple result (-1: the whole). */
static struct io_origin origin_of_call(const struct rule_ctx *ctx, TSNode fn, TSNode value,
				       bool awaited, bool with_item, int index, int depth)
{
	struct io_origin o = { IO_UNKNOWN, false };
	TSNode callee;

	if (!syntax_type_is(value, "call"))
		return o;
	if (timeout_call_is(ctx, value, loop_getters) && !awaited && !with_item && index < 0) {
		o.kind = IO_LOOP;
	} else if (timeout_call_is(ctx, value, timeout_open_connection) && awaited &&
		   (index == 0 || index == 1)) {
		o.kind = index == 0 ? IO_READER : IO_WRITER;
	} else if (timeout_call_is(ctx, value, subprocess_makers) && awaited && index < 0) {
		o.kind = IO_PROCESS;
	} else if (timeout_call_is(ctx, value, pg_connect) && awaited && index < 0) {
		o.kind = IO_PG_CONN;
		o.bounded = timeout_bounded_by_keyword(ctx, value, "command_timeout");
	} else if (timeout_call_is(ctx, value, pg_pool) && (awaited || with_item) && index < 0) {
		o.kind = IO_PG_POOL;
		o.bounded = timeout_bounded_by_keyword(ctx, value, "command_timeout");
	} else if (timeout_call_is(ctx, value, redis_makers) && !awaited && index < 0) {
		o.kind = IO_REDIS;
		o.bounded = timeout_bounded_by_keyword(ctx, value, "socket_timeout");
	} else if (timeout_call_is(ctx, value, ws_connect) && (awaited || with_item) && index < 0) {
		o.kind = IO_WEBSOCKET;
	} else if (timeout_call_is(ctx, value, aiohttp_session) && !awaited && index < 0) {
		o.kind = IO_AIOHTTP_SESSION;
	} else if (syntax_type_is((callee = ts_node_child_by_field_name(value, "function", 8)),
				  "attribute") &&
		   index < 0 && depth < 4) {
		TSNode recv = ts_node_child_by_field_name(callee, "object", 6);
		TSNode method = ts_node_child_by_field_name(callee, "attribute", 9);
		struct io_origin r = timeout_origin_of_expr(ctx, fn, recv, depth + 1);

		if (r.kind == IO_PG_POOL && rule_text_is(ctx, method, "acquire") &&
		    (awaited || with_item)) {
			o.kind = IO_PG_CONN;
			o.bounded = r.bounded;
		} else if (r.kind == IO_AIOHTTP_SESSION && rule_text_is(ctx, method, "ws_connect") &&
			   (awaited || with_item)) {
			o.kind = IO_AIOHTTP_WS;
			o.bounded = timeout_bounded_by_keyword(ctx, value, "receive_timeout");
		}
	}
	return o;
}

/* What the expression `expr` is: a call, or a name bound once in the
 * function `fn` (or one of its parameters, by its annotation). */
static struct io_origin local_origin(const struct rule_ctx *ctx, TSNode fn, TSNode expr,
				     int depth)
{
	struct io_origin o = { IO_UNKNOWN, false };
	struct binding b = { 0, { { 0 }, NULL, NULL }, false, false, -1, { { 0 }, NULL, NULL } };
	TSNode body;
	uint32_t len;
	const char *name;

	if (syntax_type_is(expr, "call"))
		return origin_of_call(ctx, fn, expr, false, false, -1, depth);
	if (!syntax_type_is(expr, "identifier") || ts_node_is_null(fn))
		return o;
	name = rule_text(ctx, expr, &len);
	parameter_binding(ctx, fn, name, len, &b);
	body = ts_node_child_by_field_name(fn, "body", 4);
	if (!ts_node_is_null(body)) {
		struct tree_occurrences occ;

		tree_occurrences_find(&occ, ctx->src->text, ts_node_start_byte(body),
				 ts_node_end_byte(body), name, len);
		find_bindings(ctx, body, name, len, &occ, &b);
		tree_occurrences_release(&occ);
	}
	if (b.count != 1)
		return o;
	if (!ts_node_is_null(b.annotation)) {
		struct buf q = BUF_INIT;

		if (scope_resolve_expr(ctx->scopes, b.annotation, &q) == RESOLVE_MODULE)
			for (int i = 0; annotated[i].qname; i++)
				if (!strcmp(buf_cstr(&q), annotated[i].qname))
					o.kind = annotated[i].kind;
		buf_release(&q);
		return o;
	}
	if (ts_node_is_null(b.value))
		return o;
	return origin_of_call(ctx, fn, b.value, b.awaited, b.with_item, b.index, depth);
}

/* The kinds the receiver facility tells from the rest of the file. Only
 * classes with no time limit of their own set where they are made: a
 * redis client or an asyncpg pool may carry one (`socket_timeout`,
 * `command_timeout`), which only the function-local look above sees. */
static const struct {
	const char *cls;
	enum io_kind kind;
} receiver_kinds[] = {
	{ "asyncio.StreamReader", IO_READER },
	{ "asyncio.StreamWriter", IO_WRITER },
	{ "asyncio.subprocess.Process", IO_PROCESS },
	{ "aiohttp.ClientSession", IO_AIOHTTP_SESSION },
	{ "aiohttp.ClientWebSocketResponse", IO_AIOHTTP_WS },
};

/* What `expr` is: first as its function tells (timeout_origin.c's own
 * look at calls, bindings and parameter annotations), else as the rest of
 * the file does (src/receiver.c): `Optional[..]`, `X | None` and string
 * annotations, module globals, `self.x` set in the class. */
struct io_origin timeout_origin_of_expr(const struct rule_ctx *ctx, TSNode fn, TSNode expr,
					int depth)
{
	struct io_origin o = local_origin(ctx, fn, expr, depth);
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	const char *t;

	if (o.kind != IO_UNKNOWN ||
	    !(syntax_type_is(expr, "identifier") || syntax_type_is(expr, "attribute")))
		return o;
	t = receiver_type(&rc, expr);
	for (size_t i = 0; t && i < sizeof(receiver_kinds) / sizeof(receiver_kinds[0]); i++)
		if (!strcmp(receiver_kinds[i].cls, t))
			o.kind = receiver_kinds[i].kind;
	return o;
}
