/*
 * AM202 and AM201: statements that get an `async with asyncio.timeout(..)`.
 *
 * AM202: `await asyncio.wait_for(E, T)` in statement position (an
 * expression statement, `X = ...`, `X: A = ...`, `return ...`) becomes
 *
 *     async with asyncio.timeout(T):
 *         X = await E
 *
 * Safe from Python 3.12 (where wait_for is this block) when T is `None`
 * or a positive number literal; unsafe on 3.11 (wait_for runs E in a task
 * of its own there) or when T is a name or arithmetic of names (a zero or
 * negative timeout never starts E under wait_for, but starts it under
 * asyncio.timeout). Reported instead: T with side effects (it would be
 * evaluated before E), an await or yield in the arguments, a zero or
 * negative literal, other positions.
 *
 * AM201: an await of network I/O with no time limit, resolved from the
 * receiver's origin in the same function (see `io_finds`), gets the
 * smallest whole simple statement holding it wrapped in
 * `async with asyncio.timeout(N)`, N from `--timeout` (unsafe: a new
 * TimeoutError). Awaits already bounded (inside a timeout block, with an
 * explicit `timeout=`, a connection with its own command or socket
 * timeout) are left alone; a statement holding a `yield` is reported.
 *
 * Both keep the statement's comments (comments of the removed wait_for
 * call go to the end of the new `async with` line), indent the new block
 * by the file's indent unit and re-indent every line of a multi-line
 * statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "wait_for.scm.h"
#include "io_timeout.scm.h"

static const char *const wait_for_tokens[] = { "wait_for", NULL };
static const char *const io_tokens[] = { "await", NULL };

static bool same_node(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) &&
	       ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b) &&
	       !strcmp(ts_node_type(a), ts_node_type(b));
}

static bool is_type(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static bool is_scope_node(TSNode n)
{
	return is_type(n, "function_definition") || is_type(n, "lambda") ||
	       is_type(n, "class_definition");
}

/* True when `n` or a node below it (not inside a nested def, lambda or
 * class) has type `type`. */
static bool holds(TSNode n, const char *type)
{
	uint32_t count = ts_node_named_child_count(n);

	if (is_type(n, type))
		return true;
	if (is_scope_node(n))
		return false;
	for (uint32_t i = 0; i < count; i++)
		if (holds(ts_node_named_child(n, i), type))
			return true;
	return false;
}

/* The statement holding `n`: the ancestor whose parent is a block or the
 * module. */
static TSNode statement_of(TSNode n)
{
	TSNode p = ts_node_parent(n);

	while (!ts_node_is_null(p) && !is_type(p, "block") && !is_type(p, "module")) {
		n = p;
		p = ts_node_parent(n);
	}
	return n;
}

static bool is_simple_statement(TSNode stmt)
{
	static const char *const simple[] = {
		"expression_statement", "return_statement", "raise_statement",
		"assert_statement", "delete_statement", NULL,
	};

	for (int i = 0; simple[i]; i++)
		if (is_type(stmt, simple[i]))
			return true;
	return false;
}

/* The start of the line after the one holding `at`. */
static uint32_t next_line(const struct rule_ctx *ctx, uint32_t at)
{
	while (at < ctx->src->len && ctx->src->text[at] != '\n')
		at++;
	return at < ctx->src->len ? at + 1 : at;
}

/* Re-indents by `unit` the lines that begin after the line of `from` and
 * before `to`. */
static void reindent_after(const struct rule_ctx *ctx, struct finding *f, uint32_t from,
			   uint32_t to, const char *unit)
{
	uint32_t start = next_line(ctx, from);

	if (start < to)
		rule_reindent(ctx, f, start, to, unit);
}

/* Adds the edits that put `stmt` in `async with MOD.timeout(LIMIT):`: the
 * header goes where the statement starts, the statement moves to the next
 * line one indent unit deeper, and its other lines follow. `comments` is
 * appended to the header line. `keep` holds pairs of byte ranges of the
 * statement that survive the caller's own edits (only lines beginning in
 * them are re-indented); NULL means the whole statement. */
static void wrap_statement(const struct rule_ctx *ctx, struct finding *f, TSNode stmt,
			   const char *mod, const char *limit, const char *comments,
			   const uint32_t *keep, size_t nkeep)
{
	struct buf indent = BUF_INIT, unit = BUF_INIT, text = BUF_INIT;
	uint32_t start = ts_node_start_byte(stmt), end = ts_node_end_byte(stmt);

	rule_indent(ctx, start, &indent);
	rule_indent_unit(ctx, &unit);
	buf_printf(&text, "async with %s.timeout(%s):%s%s%s%s", mod, limit, comments,
		   ctx->src->newline, buf_cstr(&indent), buf_cstr(&unit));
	rule_edit(f, start, start, buf_cstr(&text));
	if (!keep) {
		reindent_after(ctx, f, start, end, buf_cstr(&unit));
	} else {
		for (size_t i = 0; i < nkeep; i++)
			reindent_after(ctx, f, i ? keep[2 * i] : start, keep[2 * i + 1],
				       buf_cstr(&unit));
	}
	buf_release(&indent);
	buf_release(&unit);
	buf_release(&text);
}

/* A qualified name of the callee of `call`, or "" when it does not resolve
 * to an import. */
static enum resolution callee_qname(const struct rule_ctx *ctx, TSNode call, struct buf *q)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);

	buf_clear(q);
	if (ts_node_is_null(fn) || (!is_type(fn, "identifier") && !is_type(fn, "attribute")))
		return RESOLVE_LOCAL;
	return scope_resolve_expr(ctx->scopes, fn, q);
}

static bool in_list(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static bool call_is(const struct rule_ctx *ctx, TSNode call, const char *const *qnames)
{
	struct buf q = BUF_INIT;
	bool yes = is_type(call, "call") && callee_qname(ctx, call, &q) == RESOLVE_MODULE &&
		   in_list(buf_cstr(&q), qnames);

	buf_release(&q);
	return yes;
}

/* The keyword argument `name=` of a call, or a null node. */
static TSNode keyword_arg(const struct rule_ctx *ctx, TSNode call, const char *name)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	TSNode none = { { 0 }, NULL, NULL };

	if (ts_node_is_null(args))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		TSNode k = ts_node_child_by_field_name(a, "name", 4);

		if (is_type(a, "keyword_argument") && rule_text_is(ctx, k, name))
			return ts_node_child_by_field_name(a, "value", 5);
	}
	return none;
}

/* True when the call passes `name=` with anything but a literal `None`. */
static bool bounded_by_keyword(const struct rule_ctx *ctx, TSNode call, const char *name)
{
	TSNode v = keyword_arg(ctx, call, name);

	return !ts_node_is_null(v) && !is_type(v, "none");
}

/* ------------------------------------------------------------------ */
/* AM202                                                               */

enum limit_kind {
	LIMIT_NONE,		/* literal None */
	LIMIT_POSITIVE,		/* a number literal > 0 */
	LIMIT_NONPOSITIVE,	/* a number literal <= 0 */
	LIMIT_PLAIN,		/* names, attributes, arithmetic: no side effects */
	LIMIT_EFFECTS,		/* anything else */
};

/* Constants, names, attribute chains of names and arithmetic of those. */
static bool side_effect_free(TSNode n)
{
	const char *t = ts_node_type(n);

	if (!strcmp(t, "identifier") || !strcmp(t, "integer") || !strcmp(t, "float") ||
	    !strcmp(t, "none") || !strcmp(t, "true") || !strcmp(t, "false"))
		return true;
	if (!strcmp(t, "attribute")) {
		TSNode obj = ts_node_child_by_field_name(n, "object", 6);

		return !ts_node_is_null(obj) && side_effect_free(obj);
	}
	if (!strcmp(t, "unary_operator") || !strcmp(t, "binary_operator") ||
	    !strcmp(t, "parenthesized_expression")) {
		uint32_t count = ts_node_named_child_count(n);

		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(n, i);

			if (!is_type(c, "comment") && !side_effect_free(c))
				return false;
		}
		return count > 0;
	}
	return false;
}

/* The value of a number literal (with an optional sign); false when the
 * text is not one. */
static bool literal_number(const struct rule_ctx *ctx, TSNode n, double *out)
{
	double sign = 1;
	char tmp[64];
	size_t k = 0;
	uint32_t len;
	const char *t;
	char *end;

	while (is_type(n, "unary_operator") || is_type(n, "parenthesized_expression")) {
		if (is_type(n, "unary_operator")) {
			TSNode op = ts_node_child_by_field_name(n, "operator", 8);

			if (rule_text_is(ctx, op, "-"))
				sign = -sign;
			else if (!rule_text_is(ctx, op, "+"))
				return false;
			n = ts_node_child_by_field_name(n, "argument", 8);
		} else {
			if (ts_node_named_child_count(n) != 1)
				return false;
			n = ts_node_named_child(n, 0);
		}
	}
	if (!is_type(n, "integer") && !is_type(n, "float"))
		return false;
	t = rule_text(ctx, n, &len);
	for (uint32_t i = 0; i < len && k + 1 < sizeof(tmp); i++) {
		if (t[i] == 'j' || t[i] == 'J')
			return false;	/* complex */
		if (t[i] != '_')
			tmp[k++] = t[i];
	}
	tmp[k] = 0;
	if (k > 1 && tmp[0] == '0' && (tmp[1] == 'o' || tmp[1] == 'O'))
		*out = (double)strtoull(tmp + 2, &end, 8);
	else if (k > 1 && tmp[0] == '0' && (tmp[1] == 'b' || tmp[1] == 'B'))
		*out = (double)strtoull(tmp + 2, &end, 2);
	else
		*out = strtod(tmp, &end);
	*out *= sign;
	return true;
}

static enum limit_kind classify_limit(const struct rule_ctx *ctx, TSNode t)
{
	double v;

	if (is_type(t, "none"))
		return LIMIT_NONE;
	if (literal_number(ctx, t, &v))
		return v > 0 ? LIMIT_POSITIVE : LIMIT_NONPOSITIVE;
	return side_effect_free(t) ? LIMIT_PLAIN : LIMIT_EFFECTS;
}

/* `await` binds tighter than most operators: the awaited expression keeps
 * its meaning alone only when it is a primary expression. */
static bool is_primary(TSNode n)
{
	static const char *const primary[] = {
		"identifier", "attribute", "call", "subscript", "parenthesized_expression",
		"list", "tuple", "dictionary", "set", "string", "concatenated_string",
		"list_comprehension", "set_comprehension", "dictionary_comprehension",
		"generator_expression", "integer", "float", "none", "true", "false", NULL,
	};

	return in_list(ts_node_type(n), primary);
}

/* E and T of wait_for(E, T): positional or `fut=` / `timeout=`. False for
 * any other argument. */
static bool wait_for_args(const struct rule_ctx *ctx, TSNode call, TSNode *aw, TSNode *limit)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	uint32_t positional = 0;

	aw->id = limit->id = NULL;
	if (!is_type(args, "argument_list"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (is_type(a, "comment"))
			continue;
		if (is_type(a, "keyword_argument")) {
			TSNode k = ts_node_child_by_field_name(a, "name", 4);
			TSNode v = ts_node_child_by_field_name(a, "value", 5);

			if (rule_text_is(ctx, k, "fut") && ts_node_is_null(*aw))
				*aw = v;
			else if (rule_text_is(ctx, k, "timeout") && ts_node_is_null(*limit))
				*limit = v;
			else
				return false;
			continue;
		}
		if (is_type(a, "list_splat") || is_type(a, "dictionary_splat") ||
		    !ts_node_is_null(*limit) || (positional == 0 && !ts_node_is_null(*aw)))
			return false;
		if (positional++ == 0)
			*aw = a;
		else
			*limit = a;
	}
	return !ts_node_is_null(*aw) && !ts_node_is_null(*limit);
}

/* The statement when `await CALL` is a whole statement of a form AM202
 * rewrites, else a null node. */
static TSNode wait_for_statement(TSNode call)
{
	TSNode none = { { 0 }, NULL, NULL };
	TSNode aw = ts_node_parent(call), p, right;

	if (!is_type(aw, "await"))
		return none;
	p = ts_node_parent(aw);
	if (is_type(p, "return_statement"))
		return p;
	if (is_type(p, "expression_statement"))
		return ts_node_named_child_count(p) == 1 ? p : none;
	if (!is_type(p, "assignment"))
		return none;
	right = ts_node_child_by_field_name(p, "right", 5);
	if (!same_node(right, aw))
		return none;
	p = ts_node_parent(p);
	return is_type(p, "expression_statement") && ts_node_named_child_count(p) == 1 ? p : none;
}

/* Appends to `out` the comments below `n` outside the nodes `skip1` and
 * `skip2`: they sit in text the fix removes. */
static void removed_comments(const struct rule_ctx *ctx, TSNode n, TSNode skip1, TSNode skip2,
			     struct buf *out)
{
	uint32_t count = ts_node_child_count(n), len;
	const char *t;

	if (same_node(n, skip1) || same_node(n, skip2))
		return;
	if (is_type(n, "comment")) {
		t = rule_text(ctx, n, &len);
		buf_puts(out, "  ");
		buf_add(out, t, len);
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		removed_comments(ctx, ts_node_child(n, i), skip1, skip2, out);
}

/* True when the awaitable of a multi-line wait_for call starts a line of
 * its own indented one unit deeper than the statement: the lines it spans
 * then already have the indentation they need inside the new block. */
static bool already_indented(const struct rule_ctx *ctx, TSNode stmt, TSNode call, TSNode aw)
{
	struct buf outer = BUF_INIT, inner = BUF_INIT, unit = BUF_INIT;
	uint32_t line = source_line_start(ctx->src, ts_node_start_byte(aw));
	bool yes = false;

	if (line > ts_node_start_byte(call)) {
		rule_indent(ctx, ts_node_start_byte(stmt), &outer);
		rule_indent(ctx, ts_node_start_byte(aw), &inner);
		rule_indent_unit(ctx, &unit);
		yes = line + inner.len == ts_node_start_byte(aw) &&
		      inner.len == outer.len + unit.len && inner.len &&
		      mem_eq(inner.ptr, outer.ptr, outer.len) &&
		      mem_eq(inner.ptr + outer.len, unit.ptr, unit.len);
	}
	buf_release(&outer);
	buf_release(&inner);
	buf_release(&unit);
	return yes;
}

static void format_seconds(double s, struct buf *out)
{
	buf_printf(out, "%.15g", s);
}

static int wait_for_check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fn = rule_capture(ctx, match, "fn");
	TSNode stmt, aw, limit;
	struct buf q = BUF_INIT, mod = BUF_INIT, lim = BUF_INIT, comments = BUF_INIT,
		   root = BUF_INIT;
	enum scope_context where;
	enum limit_kind kind;
	enum resolution r;
	struct finding *f;
	uint32_t len, keep[6];
	const char *t, *reason;

	r = scope_resolve_expr(ctx->scopes, fn, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) ||
	    (strcmp(buf_cstr(&q), "asyncio.wait_for") && strcmp(buf_cstr(&q), "asyncio.tasks.wait_for")))
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	if (ctx->target_minor < 11)
		goto done;	/* wait_for is the standard's compat form there */
	f = rule_report(ctx, &transform_wait_for, call,
			"`asyncio.wait_for` can be an `async with asyncio.timeout(..)` block");
	if ((reason = rule_site_reason(ctx, r, where))) {
		rule_no_fix(f, reason);
		goto done;
	}
	stmt = wait_for_statement(call);
	if (ts_node_is_null(stmt)) {
		rule_no_fix(f, "waitfor-expr-position");
		goto done;
	}
	if (!wait_for_args(ctx, call, &aw, &limit)) {
		rule_no_fix(f, "unusual-arguments");
		goto done;
	}
	if (holds(aw, "yield") || holds(limit, "yield")) {
		rule_no_fix(f, "yield-in-scope");
		goto done;
	}
	if (holds(aw, "await") || holds(limit, "await")) {
		rule_no_fix(f, "waitfor-await-in-args");
		goto done;
	}
	kind = classify_limit(ctx, limit);
	if (kind == LIMIT_NONPOSITIVE) {
		rule_no_fix(f, "waitfor-nonpositive-timeout");
		goto done;
	}
	if (kind == LIMIT_EFFECTS) {
		rule_no_fix(f, "waitfor-eval-order");
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
	if (ctx->target_minor < 12 || kind == LIMIT_PLAIN) {
		struct buf msg = BUF_INIT;

		buf_puts(&msg, f->message);
		if (ctx->target_minor < 12)
			buf_puts(&msg, "; on Python 3.11 wait_for runs the awaitable in a task of "
				 "its own, so context variables it sets and cancellation races may "
				 "differ");
		if (kind == LIMIT_PLAIN)
			buf_puts(&msg, "; a zero or negative timeout never starts the awaitable "
				 "under wait_for but starts it under asyncio.timeout");
		free(f->message);
		f->message = buf_detach(&msg);
		f->fix = FIX_UNSAFE;
	} else {
		f->fix = FIX_SAFE;
	}
	t = rule_text(ctx, limit, &len);
	buf_add(&lim, t, len);
	removed_comments(ctx, call, aw, limit, &comments);
	rule_edit(f, ts_node_start_byte(call), ts_node_start_byte(aw), is_primary(aw) ? "" : "(");
	rule_edit(f, ts_node_end_byte(aw), ts_node_end_byte(call), is_primary(aw) ? "" : ")");
	keep[0] = ts_node_start_byte(stmt);
	keep[1] = ts_node_start_byte(call);
	keep[2] = ts_node_start_byte(aw);
	keep[3] = ts_node_end_byte(aw);
	keep[4] = ts_node_end_byte(call);
	keep[5] = ts_node_end_byte(stmt);
	if (already_indented(ctx, stmt, call, aw)) {
		/* `aw` stood on lines of its own one unit deeper: they stay as they are */
		keep[2] = keep[3];
	}
	wrap_statement(ctx, f, stmt, buf_cstr(&mod), buf_cstr(&lim), buf_cstr(&comments), keep, 3);
	rule_root_name(ctx, fn, &root);
	if (strcmp(buf_cstr(&root), buf_cstr(&mod)))
		rule_need(f, NEED_DROP, buf_cstr(&root));
done:
	buf_release(&q);
	buf_release(&mod);
	buf_release(&lim);
	buf_release(&comments);
	buf_release(&root);
	return 0;
}

/* ------------------------------------------------------------------ */
/* AM201                                                               */

/* What an object is, as far as AM201 can tell from where it came from. */
enum io_kind {
	IO_UNKNOWN,
	IO_LOOP,		/* asyncio.get_running_loop() */
	IO_STREAMS,		/* the (reader, writer) pair of open_connection */
	IO_READER,		/* asyncio.StreamReader */
	IO_WRITER,		/* asyncio.StreamWriter */
	IO_PROCESS,		/* asyncio.subprocess.Process */
	IO_PG_CONN,		/* asyncpg connection */
	IO_PG_POOL,		/* asyncpg pool */
	IO_REDIS,		/* redis.asyncio client */
	IO_WEBSOCKET,		/* websockets connection */
	IO_AIOHTTP_SESSION,	/* aiohttp.ClientSession */
	IO_AIOHTTP_WS,		/* aiohttp websocket response */
};

struct io_origin {
	enum io_kind kind;
	bool bounded;		/* the object carries its own time limit */
};

static const char *const loop_getters[] = {
	"asyncio.get_running_loop", "asyncio.get_event_loop",
	"asyncio.events.get_running_loop", "asyncio.events.get_event_loop", NULL,
};
static const char *const open_connection[] = {
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

	if (!is_type(n, "identifier"))
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
	if (is_type(target, "pattern_list") || is_type(target, "tuple_pattern") ||
	    is_type(target, "tuple") || is_type(target, "list_pattern") ||
	    is_type(target, "list")) {
		int pos = 0;

		for (uint32_t i = 0; i < ts_node_named_child_count(target); i++) {
			TSNode el = ts_node_named_child(target, i);

			if (is_type(el, "comment"))
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
	if (is_type(target, "list_splat_pattern") || is_type(target, "parenthesized_expression")) {
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

static void find_bindings(const struct rule_ctx *ctx, TSNode n, const char *name, uint32_t len,
			  struct binding *b)
{
	const char *t = ts_node_type(n);
	uint32_t count = ts_node_named_child_count(n);

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
		bool awaited = is_type(right, "await");

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
		TSNode item = ts_node_parent(n);

		if (!ts_node_is_null(alias) && ts_node_named_child_count(alias) == 1) {
			TSNode target = ts_node_named_child(alias, 0);

			if (is_type(item, "with_item") && name_is(ctx, target, name, len)) {
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
			    ((is_type(c, "dotted_name") || is_type(c, "aliased_import")) &&
			     memmem(rule_text(ctx, c, &(uint32_t){ 0 }),
				    ts_node_end_byte(c) - ts_node_start_byte(c), name, len)))
				unknown_binding(b);
		}
		if (!strcmp(t, "except_clause")) {
			for (uint32_t i = 0; i < count; i++)
				find_bindings(ctx, ts_node_named_child(n, i), name, len, b);
		}
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		find_bindings(ctx, ts_node_named_child(n, i), name, len, b);
}

/* The binding of parameter `name` of `fn`, if it is one. */
static bool parameter_binding(const struct rule_ctx *ctx, TSNode fn, const char *name,
			      uint32_t len, struct binding *b)
{
	TSNode params = ts_node_child_by_field_name(fn, "parameters", 10);

	for (uint32_t i = 0; !ts_node_is_null(params) && i < ts_node_named_child_count(params); i++) {
		TSNode p = ts_node_named_child(params, i), id = p, type;

		if (is_type(p, "typed_parameter") || is_type(p, "typed_default_parameter") ||
		    is_type(p, "default_parameter")) {
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

static struct io_origin origin_of_expr(const struct rule_ctx *ctx, TSNode fn, TSNode expr,
				       int depth);

/* What the call `value` produces, awaited or entered by `async with` or
 * neither, taking element `index` of a tuple result (-1: the whole). */
static struct io_origin origin_of_call(const struct rule_ctx *ctx, TSNode fn, TSNode value,
				       bool awaited, bool with_item, int index, int depth)
{
	struct io_origin o = { IO_UNKNOWN, false };
	TSNode callee;

	if (!is_type(value, "call"))
		return o;
	if (call_is(ctx, value, loop_getters) && !awaited && !with_item && index < 0) {
		o.kind = IO_LOOP;
	} else if (call_is(ctx, value, open_connection) && awaited && (index == 0 || index == 1)) {
		o.kind = index == 0 ? IO_READER : IO_WRITER;
	} else if (call_is(ctx, value, subprocess_makers) && awaited && index < 0) {
		o.kind = IO_PROCESS;
	} else if (call_is(ctx, value, pg_connect) && awaited && index < 0) {
		o.kind = IO_PG_CONN;
		o.bounded = bounded_by_keyword(ctx, value, "command_timeout");
	} else if (call_is(ctx, value, pg_pool) && (awaited || with_item) && index < 0) {
		o.kind = IO_PG_POOL;
		o.bounded = bounded_by_keyword(ctx, value, "command_timeout");
	} else if (call_is(ctx, value, redis_makers) && !awaited && index < 0) {
		o.kind = IO_REDIS;
		o.bounded = bounded_by_keyword(ctx, value, "socket_timeout");
	} else if (call_is(ctx, value, ws_connect) && (awaited || with_item) && index < 0) {
		o.kind = IO_WEBSOCKET;
	} else if (call_is(ctx, value, aiohttp_session) && !awaited && index < 0) {
		o.kind = IO_AIOHTTP_SESSION;
	} else if (is_type((callee = ts_node_child_by_field_name(value, "function", 8)), "attribute") &&
		   index < 0 && depth < 4) {
		TSNode recv = ts_node_child_by_field_name(callee, "object", 6);
		TSNode method = ts_node_child_by_field_name(callee, "attribute", 9);
		struct io_origin r = origin_of_expr(ctx, fn, recv, depth + 1);

		if (r.kind == IO_PG_POOL && rule_text_is(ctx, method, "acquire") &&
		    (awaited || with_item)) {
			o.kind = IO_PG_CONN;
			o.bounded = r.bounded;
		} else if (r.kind == IO_AIOHTTP_SESSION && rule_text_is(ctx, method, "ws_connect") &&
			   (awaited || with_item)) {
			o.kind = IO_AIOHTTP_WS;
			o.bounded = bounded_by_keyword(ctx, value, "receive_timeout");
		}
	}
	return o;
}

/* What the expression `expr` is: a call, or a name bound once in the
 * function `fn` (or one of its parameters, by its annotation). */
static struct io_origin origin_of_expr(const struct rule_ctx *ctx, TSNode fn, TSNode expr,
				       int depth)
{
	struct io_origin o = { IO_UNKNOWN, false };
	struct binding b = { 0, { { 0 }, NULL, NULL }, false, false, -1, { { 0 }, NULL, NULL } };
	TSNode body;
	uint32_t len;
	const char *name;

	if (is_type(expr, "call"))
		return origin_of_call(ctx, fn, expr, false, false, -1, depth);
	if (!is_type(expr, "identifier") || ts_node_is_null(fn))
		return o;
	name = rule_text(ctx, expr, &len);
	parameter_binding(ctx, fn, name, len, &b);
	body = ts_node_child_by_field_name(fn, "body", 4);
	if (!ts_node_is_null(body))
		find_bindings(ctx, body, name, len, &b);
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

	if (!is_type(clause, "with_clause"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode item = ts_node_named_child(clause, i);
		TSNode v = ts_node_child_by_field_name(item, "value", 5);

		if (is_type(v, "as_pattern"))
			v = ts_node_named_child(v, 0);
		if (!is_type(v, "call"))
			continue;
		if (qnames && call_is(ctx, v, qnames))
			return true;
		if (method) {
			TSNode callee = ts_node_child_by_field_name(v, "function", 8);

			if (is_type(callee, "attribute") &&
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
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (is_scope_node(p))
			break;
		if (is_type(p, "with_statement") && with_enters(ctx, p, timeout_scopes, NULL))
			return true;
		if (is_type(p, "call") && call_is(ctx, p, wait_for_names))
			return true;
	}
	return false;
}

/* True when the statement runs inside `async with X.transaction()`. */
static bool in_transaction(const struct rule_ctx *ctx, TSNode n)
{
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (is_scope_node(p))
			break;
		if (is_type(p, "with_statement") && with_enters(ctx, p, NULL, "transaction"))
			return true;
	}
	return false;
}

/* The enclosing def of `n`, or a null node. */
static TSNode enclosing_def(TSNode n)
{
	TSNode fn = rule_enclosing_function(n);

	return is_type(fn, "function_definition") ? fn : (TSNode){ { 0 }, NULL, NULL };
}

/* True when the awaited call is network I/O with no limit of its own. */
static bool unbounded_io(const struct rule_ctx *ctx, TSNode call, TSNode fn_node)
{
	TSNode callee = ts_node_child_by_field_name(call, "function", 8), recv, method;
	struct io_origin o;
	const char *const *methods = NULL;
	uint32_t len;
	const char *m;

	if (bounded_by_keyword(ctx, call, "timeout"))
		return false;
	if (is_type(callee, "identifier"))
		return call_is(ctx, call, open_connection);
	if (call_is(ctx, call, open_connection))
		return true;
	recv = ts_node_child_by_field_name(callee, "object", 6);
	method = ts_node_child_by_field_name(callee, "attribute", 9);
	if (ts_node_is_null(recv) || ts_node_is_null(method))
		return false;
	m = rule_text(ctx, method, &len);
	(void)fn_node;
	o = origin_of_expr(ctx, enclosing_def(call), recv, 0);
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
		quiet = in_list(buf_cstr(&mb), redis_quiet);
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
		yes = in_list(buf_cstr(&mb), methods);
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
	format_seconds(ctx->timeout, &lim);
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

		if (holds(operand, "yield")) {
			rule_no_fix(f, "yield-in-scope");
			goto done;
		}
		if (in_transaction(ctx, statement_of(await))) {
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
	stmt = statement_of(await);
	if (!is_simple_statement(stmt)) {
		rule_no_fix(f, "in-compound-header");
		goto done;
	}
	if (holds(stmt, "yield")) {
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
	wrap_statement(ctx, f, stmt, buf_cstr(&mod), buf_cstr(&lim), "", NULL, 0);
done:
	buf_release(&mod);
	buf_release(&lim);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const wait_for_standard[] = {
	"超时控制 > 设置超时",
	"# ✅ 推荐 - 使用 asyncio.timeout（Python 3.11+）",
	"超时控制 > 设置超时",
	"# ✅ 兼容 - 使用 asyncio.wait_for（Python 3.10-）",
	NULL,
};

static const char *const wait_for_reasons[] = {
	"waitfor-expr-position", "the awaited wait_for is not a whole statement (`X = await ..`, "
	"`return await ..` or an expression statement): inside a larger expression, not awaited, "
	"or an augmented assignment",
	"unusual-arguments", "arguments other than the awaitable and the timeout (positional, "
	"`fut=`, `timeout=`), or `*args`/`**kwargs`",
	"waitfor-await-in-args", "the awaitable or the timeout holds an `await`, which would move "
	"inside the timeout",
	"yield-in-scope", "the awaitable or the timeout holds a `yield`, which must not run "
	"inside a timeout block",
	"waitfor-nonpositive-timeout", "the timeout is a zero or negative literal: wait_for never "
	"starts the awaitable, asyncio.timeout starts it and then cancels it",
	"waitfor-eval-order", "the timeout is not a literal, a name, an attribute of a name or "
	"arithmetic of those: it may have side effects, and the block evaluates it before the "
	"awaitable",
	"compound-statement", "the statement shares its line with other code",
	"nested-sync-scope", "the call is in a `def`, `lambda` or generator expression nested in "
	"the coroutine",
	"ambiguous-name", "the name may or may not mean `asyncio.wait_for` (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_wait_for = {
	.code = "AM202",
	.name = "wait-for-instead-of-timeout",
	.summary = "await asyncio.wait_for(aw, t) -> async with asyncio.timeout(t): await aw",
	.fix = FIX_SAFE,
	.query = wait_for_scm,
	.tokens = wait_for_tokens,
	.check = wait_for_check,
	.finds = "`asyncio.wait_for(..)` (any import alias, `asyncio.tasks.wait_for`) in an async "
		 "function. Fixed when it is awaited as a whole statement: `await "
		 "asyncio.wait_for(aw, t)`, `x = await ..`, `x: T = await ..`, `return await ..`; "
		 "reported elsewhere. Not reported below Python 3.11, where wait_for is the "
		 "standard's compat form.",
	.why = "The standard's Python 3.11+ form bounds an operation with `async with "
	       "asyncio.timeout(t)`; `asyncio.wait_for` is its 3.10- compatibility form. On 3.11 "
	       "wait_for also runs a coroutine in a task of its own, so context variables it sets "
	       "are lost and a cancellation can be swallowed; from 3.12 wait_for is implemented "
	       "with asyncio.timeout.",
	.standard = wait_for_standard,
	.fix_text = "The statement moves into `async with asyncio.timeout(t):` with `wait_for(aw, "
		    "t)` replaced by `aw` (parenthesised when needed); comments of the removed call "
		    "go to the end of the `async with` line, and the statement's lines are "
		    "re-indented by the file's indent unit. Safe when the target is Python 3.12+ "
		    "and `t` is `None` or a positive number literal; unsafe on 3.11 (wait_for's "
		    "separate task: context variables and cancellation races differ) or when `t` "
		    "is a name, attribute or arithmetic (a zero or negative value never starts "
		    "`aw` under wait_for; asyncio.timeout starts it, then cancels it). The timeout "
		    "is now evaluated before `aw` is built.",
	.reasons = wait_for_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def fetch_user(client, user_id):\n"
			  "    user = await asyncio.wait_for(client.get_user(user_id), timeout=5)\n"
			  "    return user\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch_user(client, user_id):\n"
			 "    async with asyncio.timeout(5):\n"
			 "        user = await client.get_user(user_id)\n"
			 "    return user\n",
};

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
	.tokens = io_tokens,
	.check = io_check,
	.finds = "In an async function, an await of one of these calls with no time limit:\n"
		 "- `asyncio.open_connection(..)`, `asyncio.open_unix_connection(..)`;\n"
		 "- `read`, `readline`, `readexactly`, `readuntil` of a reader and `drain`, "
		 "`wait_closed` of a writer, where the reader or writer is unpacked from `await "
		 "asyncio.open_connection(..)` (or the unix form) in the same function, or is a "
		 "parameter annotated `asyncio.StreamReader` / `asyncio.StreamWriter`;\n"
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
