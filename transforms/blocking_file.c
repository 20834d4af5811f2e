/*
 * ASYNC230 / 231 / 232: blocking file I/O in an async function.
 *
 * ASYNC230, `open()` (the builtin, `io.open`, `pathlib.Path(..).open()`):
 * - a whole-file read or write in one statement (`open(p).read()`,
 *   `with open(p) as f: x = f.read()`, `json.load(f)`) becomes
 *   `await asyncio.to_thread(pathlib.Path(p).read_text, ..)` (safe: the
 *   same call, in a thread);
 * - `with open(..) as f:` becomes `async with aiofiles.open(..) as f:`, with
 *   `await` on each method call of `f` and `async for` over it (unsafe:
 *   every file operation becomes a point where other tasks run and where
 *   cancellation can arrive).
 * Reported instead: `f` escapes the block or is used by a sync protocol or
 * through its sync buffer, `open()` outside a `with`, another item of the
 * `with` that cannot become async, a `yield` in the block, nested sync
 * scopes, anyio/trio modules.
 *
 * ASYNC231, `os.fdopen(..)`, and ASYNC232, a blocking method of a name
 * bound only to sync file objects in the coroutine, become
 * `await asyncio.to_thread(os.fdopen, ..)` / `await asyncio.to_thread(f.read, ..)`
 * (safe).
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "blocking_open.scm.h"
#include "blocking_fdopen.scm.h"
#include "blocking_file_call.scm.h"

static const char *const open_tokens[] = { "open", NULL };
static const char *const fdopen_tokens[] = { "fdopen", NULL };
static const char *const call_tokens[] = {
	"read", "write", "seek", "truncate", "flush", "close", "peek", NULL,
};

/* Methods that are coroutines on an aiofiles file object. */
static const char *const aio_methods[] = {
	"close", "flush", "isatty", "read", "readline", "readlines", "seek", "seekable",
	"tell", "truncate", "write", "writable", "writelines", "read1", "readinto", "peek",
	"readall", NULL,
};

/* Plain attributes of an aiofiles file object, the same as the sync file's. */
static const char *const aio_properties[] = {
	"name", "mode", "closed", "encoding", "errors", "newlines", "line_buffering", NULL,
};

/* Members that hand out the sync file, or are sync on one kind of file
 * and a coroutine on the other. */
static const char *const aio_sync_members[] = {
	"buffer", "raw", "fileno", "detach", "readable", NULL,
};

/* Builtins that iterate or call the sync file protocol. */
static const char *const sync_protocol_calls[] = {
	"next", "iter", "list", "tuple", "set", "sorted", "enumerate", "zip", "map",
	"filter", "reversed", NULL,
};

/* Annotations that make a parameter a sync file object. */
static const char *const file_types[] = {
	"io.TextIOWrapper", "io.BufferedReader", "io.BufferedWriter", "io.BufferedRandom",
	"io.FileIO", "io.TextIOBase", "io.BufferedIOBase", "io.RawIOBase", "io.IOBase",
	"typing.IO", "typing.TextIO", "typing.BinaryIO", NULL,
};

static bool str_in(const char *s, size_t len, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (strlen(set[i]) == len && !memcmp(set[i], s, len))
			return true;
	return false;
}

static bool text_in(const struct rule_ctx *ctx, TSNode n, const char *const *set)
{
	uint32_t len;
	const char *t = rule_text(ctx, n, &len);

	return str_in(t, len, set);
}

static bool is_type(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static bool same_node(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) &&
	       ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b) &&
	       !strcmp(ts_node_type(a), ts_node_type(b));
}

/* The field `name` of `n`; a null node when either is missing. */
static TSNode field(TSNode n, const char *name)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* The i-th named child of `n`; a null node when there is none. */
static TSNode named_child(TSNode n, uint32_t i)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_named_child(n, i);
}

static bool has_comment(TSNode n)
{
	if (is_type(n, "comment"))
		return true;
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		if (has_comment(ts_node_named_child(n, i)))
			return true;
	return false;
}

static bool starts_with_async(TSNode n)
{
	return ts_node_child_count(n) && !strcmp(ts_node_type(ts_node_child(n, 0)), "async");
}

static void set_message(struct finding *f, const char *text)
{
	free(f->message);
	f->message = xstrdup(text);
}

/* The arguments of a call other than comments. */
static uint32_t argument_count(TSNode call)
{
	TSNode args = field(call, "arguments");
	uint32_t n = 0;

	if (!is_type(args, "argument_list"))
		return ts_node_is_null(args) ? 0 : 1;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
		if (!is_type(ts_node_named_child(args, i), "comment"))
			n++;
	return n;
}

/* The only argument of a call when it is one plain positional one. */
static TSNode single_positional(TSNode call)
{
	TSNode args = field(call, "arguments"), none = { { 0 }, NULL, NULL }, arg = none;

	if (!is_type(args, "argument_list"))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (is_type(a, "comment"))
			continue;
		if (!ts_node_is_null(arg) || is_type(a, "keyword_argument") ||
		    is_type(a, "list_splat") || is_type(a, "dictionary_splat"))
			return none;
		arg = a;
	}
	return arg;
}

static bool resolves_to(const struct rule_ctx *ctx, TSNode expr, const char *qname)
{
	struct buf q = BUF_INIT;
	bool yes = scope_resolve_expr(ctx->scopes, expr, &q) == RESOLVE_MODULE &&
		   !strcmp(buf_cstr(&q), qname);

	buf_release(&q);
	return yes;
}

enum open_form {
	OPEN_NONE,
	OPEN_BUILTIN,	/* open(file, ..), io.open(file, ..) */
	OPEN_PATH,	/* pathlib.Path(..).open(..) */
};

/* What kind of `open` a call is, through the module's names. */
static enum open_form open_form_of(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = field(call, "function"), obj;
	const char *q = NULL;
	enum resolution r;

	if (!is_type(call, "call") || ts_node_is_null(fn))
		return OPEN_NONE;
	if (is_type(fn, "identifier") && rule_text_is(ctx, fn, "open")) {
		r = scope_resolve_name(ctx->scopes, ts_node_start_byte(fn), "open", 4, &q);
		if (r == RESOLVE_UNBOUND || (r == RESOLVE_MODULE && !strcmp(q, "io.open")))
			return OPEN_BUILTIN;
		return OPEN_NONE;
	}
	if (resolves_to(ctx, fn, "io.open"))
		return OPEN_BUILTIN;
	if (!is_type(fn, "attribute") || !rule_text_is(ctx, field(fn, "attribute"), "open"))
		return OPEN_NONE;
	obj = field(fn, "object");
	if (is_type(obj, "call") && resolves_to(ctx, field(obj, "function"), "pathlib.Path"))
		return OPEN_PATH;
	return OPEN_NONE;
}

/* An import that spelled `io.open` may be left unused by the fix. */
static void drop_open_name(const struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	TSNode fn = field(call, "function");
	struct buf name = BUF_INIT;
	const char *q = NULL;

	rule_root_name(ctx, fn, &name);
	if (scope_resolve_name(ctx->scopes, ts_node_start_byte(fn), buf_cstr(&name), name.len,
			       &q) == RESOLVE_MODULE)
		rule_need(f, NEED_DROP, buf_cstr(&name));
	buf_release(&name);
}

static bool is_fdopen(const struct rule_ctx *ctx, TSNode call)
{
	return is_type(call, "call") && resolves_to(ctx, field(call, "function"), "os.fdopen");
}

/* The arguments of an `open` that matter to the whole-file form. */
struct open_args {
	TSNode file, mode, encoding, errors, newline;
	bool other;	/* buffering, closefd, opener, splats: only aiofiles carries them */
};

static void open_args_parse(const struct rule_ctx *ctx, TSNode call, enum open_form form,
			    struct open_args *a)
{
	static const char *const builtin_pos[] = {
		"file", "mode", "buffering", "encoding", "errors", "newline", "closefd", "opener",
	};
	static const char *const path_pos[] = {
		"mode", "buffering", "encoding", "errors", "newline",
	};
	const char *const *names = form == OPEN_PATH ? path_pos : builtin_pos;
	size_t nnames = form == OPEN_PATH ? 5 : 8, pos = 0;
	TSNode args = field(call, "arguments");

	memset(a, 0, sizeof(*a));
	if (!is_type(args, "argument_list")) {
		a->other = true;
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode arg = ts_node_named_child(args, i), value = arg;
		const char *name = NULL;
		uint32_t len;
		const char *t;

		if (is_type(arg, "comment"))
			continue;
		if (is_type(arg, "keyword_argument")) {
			t = rule_text(ctx, field(arg, "name"), &len);
			value = field(arg, "value");
			for (size_t k = 0; k < nnames; k++)
				if (strlen(names[k]) == len && !memcmp(names[k], t, len))
					name = names[k];
		} else if (!is_type(arg, "list_splat") && !is_type(arg, "dictionary_splat") &&
			   pos < nnames) {
			name = names[pos++];
		}
		if (!name)
			a->other = true;
		else if (!strcmp(name, "file"))
			a->file = value;
		else if (!strcmp(name, "mode"))
			a->mode = value;
		else if (!strcmp(name, "encoding"))
			a->encoding = value;
		else if (!strcmp(name, "errors"))
			a->errors = value;
		else if (!strcmp(name, "newline"))
			a->newline = value;
		else
			a->other = true;
	}
}

/* The text of a plain string literal (no prefix, no interpolation). */
static bool literal_text(const struct rule_ctx *ctx, TSNode s, struct buf *out)
{
	buf_clear(out);
	if (!is_type(s, "string"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(s); i++) {
		TSNode c = ts_node_named_child(s, i);
		uint32_t len;
		const char *t = rule_text(ctx, c, &len);

		if (is_type(c, "string_start")) {
			if (!str_in(t, len, (const char *const[]){ "'", "\"", "'''", "\"\"\"", NULL }))
				return false;
		} else if (is_type(c, "string_content")) {
			buf_add(out, t, len);
		} else if (!is_type(c, "string_end")) {
			return false;
		}
	}
	return true;
}

/* False when the file argument of `open` looks like something that
 * `pathlib.Path` does not take: a descriptor (`3`, `fd`, `f.fileno()`,
 * `os.open(..)`) or a bytes path. The rest is taken to be a str or
 * PathLike, as the names say nothing more. */
static bool path_like(const struct rule_ctx *ctx, TSNode file)
{
	TSNode last = file;
	uint32_t len;
	const char *t;

	if (is_type(file, "integer") || is_type(file, "unary_operator"))
		return false;
	if (is_type(file, "string")) {
		t = rule_text(ctx, ts_node_named_child(file, 0), &len);	/* the prefix and quote */
		return !memchr(t, 'b', len) && !memchr(t, 'B', len);
	}
	if (is_type(file, "call")) {
		last = field(file, "function");
		if (resolves_to(ctx, last, "os.open") || resolves_to(ctx, last, "os.dup"))
			return false;
	}
	if (is_type(last, "attribute"))
		last = field(last, "attribute");
	if (!is_type(last, "identifier"))
		return true;
	t = rule_text(ctx, last, &len);
	return !((len == 2 && !memcmp(t, "fd", 2)) || (len > 3 && !memcmp(t + len - 3, "_fd", 3)) ||
		 (len > 3 && !memcmp(t, "fd_", 3)) || (len == 6 && !memcmp(t, "fileno", 6)));
}

/* The `pathlib.Path` method that does what `open(.., ARGS).read()` (op
 * 'r') or `.write(data)` (op 'w') does, or NULL when there is none. */
static const char *whole_file_method(const struct rule_ctx *ctx, const struct open_args *a,
				     enum open_form form, char op)
{
	struct buf mode = BUF_INIT;
	bool binary = false, text = false;
	char mop = 'r';
	const char *m;

	if (a->other || (form == OPEN_BUILTIN && (ts_node_is_null(a->file) ||
						   !path_like(ctx, a->file))))
		return NULL;
	if (!ts_node_is_null(a->mode)) {
		if (!literal_text(ctx, a->mode, &mode) || !mode.len) {
			buf_release(&mode);
			return NULL;
		}
		mop = 0;
		for (m = buf_cstr(&mode); *m; m++) {
			if (*m == 'b' && !binary && !text)
				binary = true;
			else if (*m == 't' && !binary && !text)
				text = true;
			else if ((*m == 'r' || *m == 'w') && !mop)
				mop = *m;
			else
				mop = '?';
		}
		buf_release(&mode);
	}
	if (mop != op)
		return NULL;
	if (binary)
		return ts_node_is_null(a->encoding) && ts_node_is_null(a->errors) &&
		       ts_node_is_null(a->newline) ? (op == 'r' ? "read_bytes" : "write_bytes") : NULL;
	/* `newline=`: Path.write_text has it from 3.10, read_text from 3.13 */
	if (!ts_node_is_null(a->newline) && ctx->target_minor < (op == 'r' ? 13 : 10))
		return NULL;
	return op == 'r' ? "read_text" : "write_text";
}

/* `await asyncio.to_thread(PATH.METHOD[, DATA], encoding=.., ..)` for the
 * `open` call `call`. Returns -1 when a module name it needs is taken. */
static int whole_file_text(struct rule_ctx *ctx, struct finding *f, TSNode call,
			   enum open_form form, const struct open_args *a, const char *method,
			   TSNode data, bool parens, struct buf *out)
{
	struct buf aio = BUF_INIT, path = BUF_INIT;
	uint32_t at = ts_node_start_byte(call), len;
	const char *t, *q = NULL;
	int error = -1;

	if (rule_module_ref(ctx, f, at, "asyncio", &aio) < 0)
		goto done;
	if (form == OPEN_PATH) {
		t = rule_text(ctx, field(field(call, "function"), "object"), &len);
		buf_add(&path, t, len);
	} else if (is_type(a->file, "call") &&
		   resolves_to(ctx, field(a->file, "function"), "pathlib.Path")) {
		t = rule_text(ctx, a->file, &len);
		buf_add(&path, t, len);
	} else {
		if (scope_resolve_name(ctx->scopes, at, "Path", 4, &q) == RESOLVE_MODULE &&
		    !strcmp(q, "pathlib.Path")) {
			buf_puts(&path, "Path(");
		} else {
			if (rule_module_ref(ctx, f, at, "pathlib", &path) < 0)
				goto done;
			buf_puts(&path, ".Path(");
		}
		t = rule_text(ctx, a->file, &len);
		buf_add(&path, t, len);
		buf_putc(&path, ')');
	}
	buf_clear(out);
	buf_printf(out, "%sawait %s.to_thread(%s.%s", parens ? "(" : "", buf_cstr(&aio),
		   buf_cstr(&path), method);
	if (!ts_node_is_null(data)) {
		t = rule_text(ctx, data, &len);
		buf_puts(out, ", ");
		buf_add(out, t, len);
	}
	if (!ts_node_is_null(a->encoding)) {
		t = rule_text(ctx, a->encoding, &len);
		buf_printf(out, ", encoding=%.*s", (int)len, t);
	}
	if (!ts_node_is_null(a->errors)) {
		t = rule_text(ctx, a->errors, &len);
		buf_printf(out, ", errors=%.*s", (int)len, t);
	}
	if (!ts_node_is_null(a->newline)) {
		t = rule_text(ctx, a->newline, &len);
		buf_printf(out, ", newline=%.*s", (int)len, t);
	}
	buf_puts(out, parens ? "))" : ")");
	error = 0;
done:
	buf_release(&aio);
	buf_release(&path);
	return error;
}

/* True for data whose evaluation cannot fail or act: a name or a plain
 * literal. The whole-file form evaluates the data before it opens the
 * file, which `open(p, "w").write(data)` does the other way round. */
static bool simple_value(TSNode n)
{
	if (is_type(n, "identifier") || is_type(n, "integer") || is_type(n, "float"))
		return true;
	if (is_type(n, "concatenated_string")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			if (!simple_value(ts_node_named_child(n, i)))
				return false;
		return true;
	}
	if (!is_type(n, "string"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		if (is_type(ts_node_named_child(n, i), "interpolation"))
			return false;
	return true;
}

/* For `X.read()` / `X.write(data)` (`outer`, X being an open file): the
 * operation ('r' or 'w') and the data, or 0. */
static char whole_file_op(const struct rule_ctx *ctx, TSNode outer, TSNode *data)
{
	TSNode attr = field(field(outer, "function"), "attribute");
	TSNode none = { { 0 }, NULL, NULL };

	*data = none;
	if (has_comment(field(outer, "arguments")))
		return 0;
	if (rule_text_is(ctx, attr, "read") && argument_count(outer) == 0)
		return 'r';
	if (rule_text_is(ctx, attr, "write") && !ts_node_is_null(*data = single_positional(outer)) &&
	    simple_value(*data))
		return 'w';
	return 0;
}

/* Calls `fn` on every identifier spelled `name` under `n`. */
static void each_name(const struct rule_ctx *ctx, TSNode n, const char *name,
		      void (*fn)(TSNode id, void *arg), void *arg)
{
	if (is_type(n, "identifier")) {
		if (rule_text_is(ctx, n, name))
			fn(n, arg);
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		each_name(ctx, ts_node_named_child(n, i), name, fn, arg);
}

/* True when `id` lies in the body of a later `with` (after `with`) that
 * binds the same name again: it means that other file. */
static bool rebound_later(const struct rule_ctx *ctx, TSNode id, TSNode with)
{
	TSNode up = ts_node_parent(id);

	/* the later binding itself: `with .. as NAME` */
	if (is_type(up, "as_pattern_target") &&
	    is_type(ts_node_parent(ts_node_parent(up)), "with_item") &&
	    ts_node_start_byte(up) >= ts_node_end_byte(with))
		return true;
	for (TSNode p = ts_node_parent(id); !ts_node_is_null(p); p = ts_node_parent(p)) {
		TSNode clause, body = field(p, "body");

		if (!is_type(p, "with_statement") || ts_node_start_byte(p) < ts_node_end_byte(with) ||
		    ts_node_start_byte(id) < ts_node_start_byte(body))
			continue;
		clause = ts_node_named_child(p, 0);
		for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
			TSNode value = field(ts_node_named_child(clause, i), "value"), target;
			uint32_t len;
			const char *t = rule_text(ctx, id, &len);

			if (!is_type(value, "as_pattern"))
				continue;
			target = named_child(field(value, "alias"), 0);
			if (is_type(target, "identifier") &&
			    ts_node_end_byte(target) - ts_node_start_byte(target) == len &&
			    !memcmp(ctx->src->text + ts_node_start_byte(target), t, len))
				return true;
		}
	}
	return false;
}

/* True when `id` is named by `global` or `nonlocal`: the binding then
 * outlives the function. */
static bool declared(TSNode id)
{
	TSNode p = ts_node_parent(id);

	return is_type(p, "global_statement") || is_type(p, "nonlocal_statement");
}

struct name_refs {
	const struct rule_ctx *ctx;
	TSNode with;
	TSNode skip;	/* the binding itself */
	TSNode first;
	size_t count;
};

static void count_ref(TSNode id, void *arg)
{
	struct name_refs *r = arg;

	if (same_node(id, r->skip) || rule_is_name_site(id) ||
	    (ts_node_start_byte(id) < ts_node_start_byte(r->with) && !declared(id)) ||
	    rebound_later(r->ctx, id, r->with))
		return;
	if (!r->count++)
		r->first = id;
}

/* A literal, a name or a dotted name: what may be evaluated after the
 * file is read instead of before (`parse_float=decimal.Decimal`). */
static bool plain_name_or_literal(TSNode n)
{
	while (is_type(n, "attribute"))
		n = field(n, "object");
	return simple_value(n) || is_type(n, "true") || is_type(n, "false") || is_type(n, "none");
}

/* The call `json.load(X, kw=..)` when `x` is its X, else a null node.
 * `json.load(fp, ..)` is `json.loads(fp.read(), ..)`, which the fixes
 * write out. */
static TSNode json_load_of(const struct rule_ctx *ctx, TSNode x)
{
	TSNode args = ts_node_parent(x), none = { { 0 }, NULL, NULL }, call, fn;
	bool first = true;

	if (!is_type(args, "argument_list"))
		return none;
	call = ts_node_parent(args);
	fn = field(call, "function");
	if (!is_type(fn, "attribute") || !resolves_to(ctx, fn, "json.load"))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode c = ts_node_named_child(args, i);

		if (is_type(c, "comment"))
			continue;
		if (first ? !same_node(c, x) : !is_type(c, "keyword_argument") ||
					       !plain_name_or_literal(field(c, "value")))
			return none;
		first = false;
	}
	return call;
}

/* `json.load(X, ..)` written as `json.loads(REPL, ..)`. */
static void json_loads_text(const struct rule_ctx *ctx, TSNode call, TSNode x, const char *repl,
			    struct buf *out)
{
	TSNode attr = field(field(call, "function"), "attribute");
	const char *s = ctx->src->text;

	buf_clear(out);
	buf_add(out, s + ts_node_start_byte(call), ts_node_end_byte(attr) - ts_node_start_byte(call));
	buf_putc(out, 's');
	buf_add(out, s + ts_node_end_byte(attr), ts_node_start_byte(x) - ts_node_end_byte(attr));
	buf_puts(out, repl);
	buf_add(out, s + ts_node_end_byte(x), ts_node_end_byte(call) - ts_node_end_byte(x));
}

/* True when the call is the first thing `stmt` evaluates: the whole
 * statement, the whole returned value or the whole right side of an
 * assignment, so nothing runs between opening the file and the call. */
static bool first_evaluated(TSNode call, TSNode stmt)
{
	TSNode p = ts_node_parent(call);

	if (is_type(p, "assignment") && same_node(field(p, "right"), call))
		p = ts_node_parent(p);
	return same_node(p, stmt);
}

/* `with open(..) as f: STMT` where STMT only reads or writes the whole
 * file: the statement with the call replaced by the to_thread form. */
static bool whole_file_with(struct rule_ctx *ctx, struct finding *f, TSNode with, TSNode item)
{
	TSNode body = field(with, "body"), value = field(item, "value"), call, target, stmt;
	TSNode attr, outer, data = { { 0 }, NULL, NULL }, json;
	struct name_refs refs = { 0 };
	struct buf text = BUF_INIT, repl = BUF_INIT, wrapped = BUF_INIT;
	struct open_args a;
	enum open_form form;
	const char *method, *t;
	uint32_t len;
	char op;
	bool ok = false;

	if (has_comment(with) || !is_type(value, "as_pattern") ||
	    ts_node_named_child_count(body) != 1)
		return false;
	stmt = ts_node_named_child(body, 0);
	if (!is_type(stmt, "expression_statement") && !is_type(stmt, "return_statement"))
		return false;
	call = ts_node_named_child(value, 0);
	target = named_child(field(value, "alias"), 0);
	if (!is_type(target, "identifier") || (form = open_form_of(ctx, call)) == OPEN_NONE)
		return false;
	refs.ctx = ctx;
	refs.with = with;
	refs.skip = target;
	t = rule_text(ctx, target, &len);
	buf_add(&text, t, len);
	each_name(ctx, field(rule_enclosing_function(with), "body"), buf_cstr(&text), count_ref,
		  &refs);
	if (refs.count != 1 || ts_node_start_byte(refs.first) < ts_node_start_byte(stmt) ||
	    ts_node_end_byte(refs.first) > ts_node_end_byte(stmt))
		goto done;
	attr = ts_node_parent(refs.first);
	json = json_load_of(ctx, refs.first);
	if (!ts_node_is_null(json)) {
		outer = json;
		op = 'r';
		if (!first_evaluated(outer, stmt))
			goto done;
	} else if (!is_type(attr, "attribute") || !same_node(field(attr, "object"), refs.first) ||
		   !rule_callee_of(attr, &outer) || !first_evaluated(outer, stmt) ||
		   !(op = whole_file_op(ctx, outer, &data))) {
		goto done;
	}
	open_args_parse(ctx, call, form, &a);
	if (!(method = whole_file_method(ctx, &a, form, op)))
		goto done;
	if (whole_file_text(ctx, f, call, form, &a, method, data,
			    ts_node_is_null(json) && rule_await_needs_parens(outer), &repl) < 0)
		goto done;
	if (!ts_node_is_null(json)) {
		json_loads_text(ctx, json, refs.first, buf_cstr(&repl), &wrapped);
		buf_clear(&repl);
		buf_puts(&repl, buf_cstr(&wrapped));
	}
	buf_clear(&text);
	t = rule_text(ctx, stmt, &len);
	buf_add(&text, t, ts_node_start_byte(outer) - ts_node_start_byte(stmt));
	buf_puts(&text, buf_cstr(&repl));
	buf_add(&text, ctx->src->text + ts_node_end_byte(outer),
		ts_node_end_byte(stmt) - ts_node_end_byte(outer));
	rule_edit(f, ts_node_start_byte(with), ts_node_end_byte(with), buf_cstr(&text));
	if (form == OPEN_BUILTIN)
		drop_open_name(ctx, f, call);
	ok = true;
done:
	buf_release(&text);
	buf_release(&repl);
	buf_release(&wrapped);
	return ok;
}

/* How the uses of a `with` target are checked and given their awaits. */
struct use_check {
	struct rule_ctx *ctx;
	struct finding *f;
	TSNode with, target;
	const char *reason;
};

static void check_use(TSNode id, void *arg)
{
	struct use_check *u = arg;
	TSNode p = ts_node_parent(id), c, fn;
	uint32_t at = ts_node_start_byte(id);

	if (u->reason || same_node(id, u->target) || rule_is_name_site(id))
		return;
	if (declared(id)) {
		u->reason = "escapes-block";
		return;
	}
	if (at < ts_node_start_byte(u->with))
		return;
	if (rebound_later(u->ctx, id, u->with))
		return;
	if (at >= ts_node_end_byte(u->with) ||
	    scope_context_at(u->ctx->scopes, at) != CONTEXT_ASYNC) {
		u->reason = "escapes-block";
		return;
	}
	if (is_type(p, "attribute") && same_node(field(p, "object"), id)) {
		TSNode attr = field(p, "attribute");

		if (text_in(u->ctx, attr, aio_methods) && rule_callee_of(p, &c)) {
			bool parens = rule_await_needs_parens(c);

			if (is_type(ts_node_parent(c), "await"))
				return;
			rule_edit(u->f, ts_node_start_byte(c), ts_node_start_byte(c),
				  parens ? "(await " : "await ");
			if (parens)
				rule_edit(u->f, ts_node_end_byte(c), ts_node_end_byte(c), ")");
			return;
		}
		if (text_in(u->ctx, attr, aio_sync_members))
			u->reason = "aiofiles-buffer";
		else if (!text_in(u->ctx, attr, aio_properties) || rule_callee_of(p, &c))
			u->reason = "escapes-block";
		return;
	}
	if (is_type(p, "for_statement") && same_node(field(p, "right"), id)) {
		if (!starts_with_async(p))
			rule_edit(u->f, ts_node_start_byte(p), ts_node_start_byte(p), "async ");
		return;
	}
	if (is_type(p, "for_in_clause") && same_node(field(p, "right"), id)) {
		TSNode comp = ts_node_parent(p);

		if (is_type(comp, "generator_expression")) {
			u->reason = "aiofiles-sync-protocol";
		} else if (!starts_with_async(p)) {
			rule_edit(u->f, ts_node_start_byte(p), ts_node_start_byte(p), "async ");
		}
		return;
	}
	if (is_type(p, "argument_list") && !ts_node_is_null(c = json_load_of(u->ctx, id))) {
		struct buf text = BUF_INIT;
		uint32_t len;
		const char *t = rule_text(u->ctx, id, &len);
		TSNode attr = field(field(c, "function"), "attribute");

		buf_printf(&text, "await %.*s.read()", (int)len, t);
		rule_edit(u->f, ts_node_end_byte(attr), ts_node_end_byte(attr), "s");
		rule_edit(u->f, ts_node_start_byte(id), ts_node_end_byte(id), buf_cstr(&text));
		buf_release(&text);
		return;
	}
	if (is_type(p, "argument_list")) {
		fn = field(ts_node_parent(p), "function");
		u->reason = is_type(fn, "identifier") && text_in(u->ctx, fn, sync_protocol_calls) ?
			    "aiofiles-sync-protocol" : "escapes-block";
		return;
	}
	if (is_type(p, "with_item") || (is_type(p, "as_pattern") &&
					 is_type(ts_node_parent(p), "with_item"))) {
		u->reason = "aiofiles-sync-protocol";
		return;
	}
	u->reason = "escapes-block";
}

struct yield_find {
	const struct rule_ctx *ctx;
	bool found;
};

static void find_yield(TSNode n, struct yield_find *y)
{
	if (y->found)
		return;
	if (is_type(n, "yield") &&
	    scope_context_at(y->ctx->scopes, ts_node_start_byte(n)) == CONTEXT_ASYNC) {
		y->found = true;
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		find_yield(ts_node_named_child(n, i), y);
}

/* Checks one item of the `with` and adds its edits: `aiofiles.open` for
 * the call, awaits and `async for` for the uses of its target. Returns a
 * reason when the item cannot become async. */
static const char *with_item_plan(struct rule_ctx *ctx, struct finding *f, TSNode with,
				  TSNode item, const char *aiofiles)
{
	TSNode value = field(item, "value"), call = value, target = { { 0 }, NULL, NULL };
	TSNode fn, args;
	struct use_check u = { ctx, f, with, target, NULL };
	struct buf text = BUF_INIT;
	enum open_form form;
	uint32_t len;
	const char *t;

	if (is_type(value, "as_pattern")) {
		call = ts_node_named_child(value, 0);
		target = named_child(field(value, "alias"), 0);
	}
	if ((form = open_form_of(ctx, call)) == OPEN_NONE)
		return "not-open";
	fn = field(call, "function");
	if (form == OPEN_BUILTIN) {
		drop_open_name(ctx, f, call);
		buf_printf(&text, "%s.open", aiofiles);
		rule_edit(f, ts_node_start_byte(fn), ts_node_end_byte(fn), buf_cstr(&text));
	} else {
		args = field(call, "arguments");
		t = rule_text(ctx, field(fn, "object"), &len);
		buf_printf(&text, "%s.open(%.*s%s", aiofiles, (int)len, t,
			   argument_count(call) ? ", " : "");
		rule_edit(f, ts_node_start_byte(call), ts_node_start_byte(args) + 1,
			  buf_cstr(&text));
	}
	buf_release(&text);
	if (ts_node_is_null(target))
		return NULL;
	if (!is_type(target, "identifier"))
		return "escapes-block";
	u.target = target;
	t = rule_text(ctx, target, &len);
	buf_add(&text, t, len);
	each_name(ctx, field(rule_enclosing_function(with), "body"), buf_cstr(&text), check_use,
		  &u);
	buf_release(&text);
	return u.reason;
}

/* The fix of `with` for the item `item`: the whole-file form when it
 * fits, else the aiofiles form. Returns a reason when there is none. */
static const char *with_fix(struct rule_ctx *ctx, struct finding *f, TSNode with, TSNode item)
{
	TSNode clause = ts_node_named_child(with, 0);
	struct yield_find y = { ctx, false };
	struct buf aiofiles = BUF_INIT;
	const char *own = NULL, *other = NULL, *r;
	uint32_t items = 0;

	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++)
		items += is_type(ts_node_named_child(clause, i), "with_item");
	if (items == 1 && whole_file_with(ctx, f, with, item)) {
		f->fix = FIX_SAFE;
		set_message(f, "`open` blocks the event loop in an async function; read or write "
			       "the whole file in a thread");
		return NULL;
	}
	if (rule_module_ref(ctx, f, ts_node_start_byte(with), "aiofiles", &aiofiles) < 0) {
		buf_release(&aiofiles);
		return "import-name-shadowed";
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode it = ts_node_named_child(clause, i);

		if (!is_type(it, "with_item"))
			continue;
		r = with_item_plan(ctx, f, with, it, buf_cstr(&aiofiles));
		if (same_node(it, item))
			own = r;
		else if (r && !other)
			other = r;
	}
	buf_release(&aiofiles);
	if (own)
		return own;
	if (other)
		return "other-with-item";
	find_yield(field(with, "body"), &y);
	if (y.found)
		return "yield-in-scope";
	rule_edit(f, ts_node_start_byte(with), ts_node_start_byte(with), "async ");
	f->fix = FIX_UNSAFE;
	set_message(f, "`open` blocks the event loop in an async function; use `aiofiles.open` "
		       "(unsafe: each file operation runs in a thread and becomes a point where "
		       "other tasks run and where cancellation can arrive)");
	return NULL;
}

static int check_open(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), p, outer, item, with, json;
	TSNode data = { { 0 }, NULL, NULL };
	struct buf text = BUF_INIT, wrapped = BUF_INIT;
	enum scope_context where;
	enum open_form form;
	struct open_args a;
	const char *method, *reason = "aiofiles-not-with";
	struct finding *f;
	char op;

	if ((form = open_form_of(ctx, call)) == OPEN_NONE)
		return 0;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		return 0;
	f = rule_report(ctx, &transform_blocking_open, call,
			"`open` blocks the event loop in an async function; use `aiofiles` or "
			"`asyncio.to_thread`");
	if (where == CONTEXT_NESTED_SYNC) {
		rule_no_fix(f, "nested-sync-scope");
		goto done;
	}
	if (ctx->runtime != RUNTIME_ASYNCIO) {
		rule_no_fix(f, "non-asyncio-runtime");
		goto done;
	}
	p = ts_node_parent(call);
	json = json_load_of(ctx, call);
	if (!ts_node_is_null(json) ||
	    (is_type(p, "attribute") && same_node(field(p, "object"), call))) {
		if (!ts_node_is_null(json))
			outer = json, op = 'r';
		else if (!rule_callee_of(p, &outer) || !(op = whole_file_op(ctx, outer, &data)))
			goto report;
		open_args_parse(ctx, call, form, &a);
		if (has_comment(call) || !(method = whole_file_method(ctx, &a, form, op)))
			goto report;
		if (whole_file_text(ctx, f, call, form, &a, method, data,
				    ts_node_is_null(json) && rule_await_needs_parens(outer),
				    &text) < 0) {
			reason = "import-name-shadowed";
			goto report;
		}
		if (!ts_node_is_null(json)) {
			json_loads_text(ctx, json, call, buf_cstr(&text), &wrapped);
			buf_clear(&text);
			buf_puts(&text, buf_cstr(&wrapped));
		}
		rule_edit(f, ts_node_start_byte(outer), ts_node_end_byte(outer), buf_cstr(&text));
		if (form == OPEN_BUILTIN)
			drop_open_name(ctx, f, call);
		f->fix = FIX_SAFE;
		set_message(f, "`open` blocks the event loop in an async function; read or write "
			       "the whole file in a thread");
		goto done;
	}
	item = is_type(p, "as_pattern") ? ts_node_parent(p) : p;
	if (!is_type(item, "with_item"))
		goto report;
	with = ts_node_parent(ts_node_parent(item));
	if (!is_type(with, "with_statement") || starts_with_async(with))
		goto report;
	if ((reason = with_fix(ctx, f, with, item)))
		goto report;
	goto done;
report:
	rule_no_fix(f, reason);
done:
	buf_release(&text);
	buf_release(&wrapped);
	return 0;
}

/* rule_to_thread(), without a blank before the end of the line when the
 * arguments start on the next one. */
static int to_thread(struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	uint32_t open = ts_node_start_byte(field(call, "arguments"));
	size_t first = f->edits.len;
	const char *s = ctx->src->text;

	uint32_t next = open + 1;

	if (rule_to_thread(ctx, f, call, NULL) < 0)
		return -1;
	while (next < ctx->src->len && (s[next] == ' ' || s[next] == '\t'))
		next++;
	if (next >= ctx->src->len || (s[next] != '\n' && s[next] != '\r' && s[next] != '#'))
		return 0;
	for (size_t i = first; i < f->edits.len; i++) {
		struct edit *e = vec_at(&f->edits, i);

		if (e->start == open && e->end == open + 1 && !strcmp(e->text, ", ")) {
			free(e->text);
			e->text = xstrdup(",");
		}
	}
	return 0;
}

static int check_fdopen(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fn = rule_capture(ctx, match, "fn");
	struct buf q = BUF_INIT;
	enum scope_context where;
	enum resolution r;
	struct finding *f;
	const char *reason;

	r = scope_resolve_expr(ctx->scopes, fn, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) || strcmp(buf_cstr(&q), "os.fdopen"))
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	f = rule_report(ctx, &transform_blocking_fdopen, call,
			"`os.fdopen` blocks the event loop in an async function; "
			"call it in a thread");
	if ((reason = rule_site_reason(ctx, r, where)))
		rule_no_fix(f, reason);
	else if (to_thread(ctx, f, call) < 0)
		rule_no_fix(f, "import-name-shadowed");
done:
	buf_release(&q);
	return 0;
}

/* What the bindings of one name in one function make of it. */
struct bindings {
	const struct rule_ctx *ctx;
	size_t files;	/* bound to a new sync file object */
	size_t others;	/* bound to anything else */
	size_t opens;	/* of which `with open(..) as name`: ASYNC230's */
};

static bool is_file_type(const struct rule_ctx *ctx, TSNode type)
{
	TSNode t = ts_node_named_child(type, 0);
	struct buf q = BUF_INIT;
	bool yes;

	if (is_type(t, "generic_type"))	/* IO[str] */
		t = ts_node_named_child(t, 0);
	if (is_type(t, "subscript"))
		t = field(t, "value");
	yes = !ts_node_is_null(t) &&
	      scope_resolve_expr(ctx->scopes, t, &q) == RESOLVE_MODULE &&
	      str_in(buf_cstr(&q), q.len, file_types);
	buf_release(&q);
	return yes;
}

static void bind_param(const struct rule_ctx *ctx, TSNode fn, const char *name,
		       struct bindings *b)
{
	TSNode params = field(fn, "parameters");

	for (uint32_t i = 0; !ts_node_is_null(params) && i < ts_node_named_child_count(params); i++) {
		TSNode p = ts_node_named_child(params, i), id = p;

		if (is_type(p, "default_parameter") || is_type(p, "typed_default_parameter"))
			id = field(p, "name");
		else if (!is_type(p, "identifier"))
			id = ts_node_named_child(p, 0);
		if (is_type(id, "list_splat_pattern") || is_type(id, "dictionary_splat_pattern"))
			id = ts_node_named_child(id, 0);
		if (!is_type(id, "identifier") || !rule_text_is(ctx, id, name))
			continue;
		if ((is_type(p, "typed_parameter") || is_type(p, "typed_default_parameter")) &&
		    is_file_type(ctx, field(p, "type")))
			b->files++;
		else
			b->others++;
	}
}

static bool makes_file(const struct rule_ctx *ctx, TSNode value)
{
	TSNode call = named_child(value, 0), args, first;

	if (ts_node_is_null(value))	/* `x: T` without a value */
		return false;
	if (open_form_of(ctx, value) != OPEN_NONE || is_fdopen(ctx, value))
		return true;
	/* what ASYNC231's fix writes: await asyncio.to_thread(os.fdopen, ..) */
	if (!is_type(value, "await") || !is_type(call, "call") ||
	    !resolves_to(ctx, field(call, "function"), "asyncio.to_thread"))
		return false;
	args = field(call, "arguments");
	first = ts_node_named_child(args, 0);
	return is_type(args, "argument_list") && !ts_node_is_null(first) &&
	       resolves_to(ctx, first, "os.fdopen");
}

/* Counts the bindings of `name` under `n`, not looking into nested
 * functions and classes (whose own name may bind it). */
static void bind_body(TSNode n, const char *name, struct bindings *b)
{
	const struct rule_ctx *ctx = b->ctx;
	TSNode p;

	if (is_type(n, "function_definition") || is_type(n, "class_definition")) {
		if (rule_text_is(ctx, field(n, "name"), name))
			b->others++;
		return;
	}
	if (is_type(n, "lambda"))
		return;
	if (is_type(n, "identifier")) {
		if (!rule_text_is(ctx, n, name) || rule_is_name_site(n))
			return;
		p = ts_node_parent(n);
		if (is_type(p, "assignment") && same_node(field(p, "left"), n)) {
			if (makes_file(ctx, field(p, "right")))
				b->files++;
			else
				b->others++;
		} else if (is_type(p, "as_pattern_target")) {
			TSNode as = ts_node_parent(p);

			if (is_type(ts_node_parent(as), "with_item") &&
			    makes_file(ctx, ts_node_named_child(as, 0)) &&
			    open_form_of(ctx, ts_node_named_child(as, 0)) == OPEN_NONE)
				b->files++;
			else
				b->others++;
			if (is_type(ts_node_parent(as), "with_item") &&
			    open_form_of(ctx, ts_node_named_child(as, 0)) != OPEN_NONE)
				b->opens++;
		} else if (((is_type(p, "for_statement") || is_type(p, "for_in_clause")) &&
			    same_node(field(p, "left"), n)) ||
			   (is_type(p, "augmented_assignment") && same_node(field(p, "left"), n)) ||
			   (is_type(p, "named_expression") && same_node(field(p, "name"), n)) ||
			   is_type(p, "pattern_list") || is_type(p, "tuple_pattern") ||
			   is_type(p, "list_pattern") || is_type(p, "list_splat_pattern") ||
			   is_type(p, "global_statement") || is_type(p, "nonlocal_statement") ||
			   is_type(p, "aliased_import") || is_type(p, "delete_statement")) {
			b->others++;
		}
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		bind_body(ts_node_named_child(n, i), name, b);
}

static void bindings_of(const struct rule_ctx *ctx, TSNode fn, const char *name,
			struct bindings *b)
{
	b->ctx = ctx;
	b->files = b->others = b->opens = 0;
	bind_param(ctx, fn, name, b);
	bind_body(field(fn, "body"), name, b);
}

/* A file object the coroutine does not make or take as a parameter, but
 * that the file shows to be one: a module global, `self.f` set in the
 * class. Other tasks may use it while a thread does. */
static bool shared_file(const struct rule_ctx *ctx, TSNode obj)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	const char *t = receiver_type(&rc, obj);

	return t && !strcmp(t, "io.IOBase");
}

static int check_file_call(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), obj = rule_capture(ctx, match, "obj");
	TSNode fn = call;
	struct buf name = BUF_INIT;
	struct bindings b;
	enum scope_context where;
	struct finding *f;
	uint32_t len;
	const char *t;

	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		return 0;
	t = rule_text(ctx, obj, &len);
	buf_add(&name, t, len);
	memset(&b, 0, sizeof(b));
	if (is_type(obj, "attribute"))
		goto by_type;
	/* the coroutine whose name it is: no sync function in between binds it */
	for (;;) {
		fn = rule_enclosing_function(fn);
		if (ts_node_is_null(fn))
			goto done;
		bindings_of(ctx, fn, buf_cstr(&name), &b);
		if (is_type(fn, "function_definition") && starts_with_async(fn))
			break;
		if (b.files || b.others)
			goto done;
	}
by_type:
	/* bound in the coroutine to something else too, or not bound there:
	 * what the file shows of its type decides */
	if (b.opens || ((b.others || !b.files) && !shared_file(ctx, obj)))
		goto done;
	t = rule_text(ctx, field(field(call, "function"), "attribute"), &len);
	f = rule_report(ctx, &transform_blocking_file_call, call,
			"`%s.%.*s()` blocks the event loop in an async function; call it in a "
			"thread", buf_cstr(&name), (int)len, t);
	if (!b.files && !b.others)
		rule_no_fix(f, "shared-file");
	else if (where == CONTEXT_NESTED_SYNC)
		rule_no_fix(f, "nested-sync-scope");
	else if (ctx->runtime != RUNTIME_ASYNCIO)
		rule_no_fix(f, "non-asyncio-runtime");
	else if (to_thread(ctx, f, call) < 0)
		rule_no_fix(f, "import-name-shadowed");
done:
	buf_release(&name);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const open_standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ❌ 禁止 - 在 async 函数中使用阻塞 I/O",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ✅ 正确 - 使用 aiofiles",
	"异步上下文管理器 > 标准异步上下文管理器",
	"# ❌ 错误 - 在 async with 中使用同步资源",
	"检查清单",
	"- [ ] 没有在异步函数中使用阻塞 I/O（如 `open`、`requests`）",
	NULL,
};

static const char *const thread_standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"# ✅ 正确 - 使用线程池处理阻塞 I/O",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const open_reasons[] = {
	"escapes-block", "the file object is passed to a function (`pickle.load(f)`, "
	"`csv.reader(f)`, `print(.., file=f)`; `json.load(f)` is rewritten), returned, "
	"stored, rebound, named by `global`/`nonlocal`, used after the block, used in a "
	"nested function, lambda or class, or used in any way other than awaited methods, "
	"plain attributes (`name`, `mode`, ..) and `for` loops",
	"aiofiles-sync-protocol", "the file is iterated or entered the sync way: `next(f)`, "
	"`list(f)`, `iter(f)`, `enumerate(f)`, `zip(..)`, `with f:`, a generator expression over it",
	"aiofiles-buffer", "the block uses `f.buffer`, `f.raw`, `f.fileno()`, `f.detach()` "
	"(the sync file again) or `f.readable()` (sync on binary files, a coroutine on text files)",
	"aiofiles-not-with", "`open()` outside a `with` statement (`f = open(p)`, "
	"`pickle.dump(x, open(p, \"wb\"))`), or a whole-file `open(p).read()`/`.write(s)` that "
	"the thread form cannot carry (a descriptor or bytes path, `buffering=`, `closefd=`, "
	"`opener=`, a mode other than r/w, written data other than a name or a literal, a "
	"comment in the call); convert it by hand",
	"other-with-item", "another item of the same `with` (a lock, another context manager, an "
	"`open` whose file escapes) cannot become part of an `async with`",
	"yield-in-scope", "the `with` block holds a `yield`: the new `async with` scope would "
	"stay open while the consumer runs",
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `aiofiles`, `asyncio` or `pathlib` means something "
	"else where the fix would use it",
	NULL,
};

static const char *const thread_reasons[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	"shared-file", "the file object comes from outside the coroutine (a module global, "
	"an attribute of `self`): other tasks may use it while a thread does",
	NULL,
};

static const char *const fdopen_reasons[] = {
	"ambiguous-name", "the name may or may not mean `os.fdopen` (conditional imports)",
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_blocking_open = {
	.code = "ASYNC230",
	.name = "blocking-open-call-in-async-function",
	.summary = "open() in an async function -> await asyncio.to_thread(Path(p).read_text), "
		   "or aiofiles.open() (unsafe)",
	.fix = FIX_SAFE,
	.query = blocking_open_scm,
	.tokens = open_tokens,
	.check = check_open,
	.finds = "A call of the builtin `open(..)` (also `io.open`, and `pathlib.Path(..).open(..)`) "
		 "whose nearest enclosing function is an `async def`. A local, parameter or import "
		 "named `open` (`from os import open`, `from gzip import open`) is not the builtin.",
	.why = "Opening, reading, writing and closing a file are blocking system calls: the event "
	       "loop, and every other task, waits for the disk. `aiofiles` and `asyncio.to_thread` "
	       "run them in a worker thread while the loop goes on.",
	.standard = open_standard,
	.fix_text = "A whole-file read or write in one statement (`data = open(p).read()`, "
		    "`with open(p, \"rb\") as f: return f.read()`, `open(p, \"w\").write(s)`) "
		    "becomes `await asyncio.to_thread(pathlib.Path(p).read_text, encoding=..)` "
		    "(`read_bytes`, `write_text`, `write_bytes` by mode; `encoding`, `errors` and "
		    "`newline` carried over); `json.load(f)` in that place, and "
		    "`json.load(open(p))`, become `json.loads(await asyncio.to_thread(..))`: "
		    "safe, the same work in a thread. A descriptor or bytes path keeps `open`. "
		    "An existing "
		    "`from pathlib import Path` is reused; `import pathlib` is added otherwise. "
		    "Other `with open(..) as f:` blocks (also with several `open` items, and "
		    "`Path(..).open(..)`) become `async with aiofiles.open(..) as f:`, with `await` "
		    "on every method call of `f` and `async for` over it, and `import aiofiles` "
		    "added (`json.load(f)` there becomes `json.loads(await f.read())`): unsafe, "
		    "because every file operation becomes a point where other "
		    "tasks run and where cancellation can arrive (a cancelled write may be "
		    "partial), and the project must depend on aiofiles.",
	.reasons = open_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def load(path):\n"
			  "    with open(path, encoding=\"utf-8\") as f:\n"
			  "        return f.read()\n"
			  "\n"
			  "\n"
			  "async def copy_lines(src, dst):\n"
			  "    with open(src) as f, open(dst, \"w\") as out:\n"
			  "        for line in f:\n"
			  "            out.write(line.upper())\n",
	.example_after = "import asyncio\n"
			 "import aiofiles\n"
			 "import pathlib\n"
			 "\n"
			 "\n"
			 "async def load(path):\n"
			 "    return await asyncio.to_thread(pathlib.Path(path).read_text, "
			 "encoding=\"utf-8\")\n"
			 "\n"
			 "\n"
			 "async def copy_lines(src, dst):\n"
			 "    async with aiofiles.open(src) as f, aiofiles.open(dst, \"w\") as out:\n"
			 "        async for line in f:\n"
			 "            await out.write(line.upper())\n",
};

const struct transform transform_blocking_fdopen = {
	.code = "ASYNC231",
	.name = "blocking-fdopen-call-in-async-function",
	.summary = "os.fdopen() in an async function -> await asyncio.to_thread(os.fdopen, ..)",
	.fix = FIX_SAFE,
	.query = blocking_fdopen_scm,
	.tokens = fdopen_tokens,
	.check = check_fdopen,
	.finds = "A call of `os.fdopen(..)` whose nearest enclosing function is an `async def`. "
		 "The name is resolved through the module's imports (`import os as o`, "
		 "`from os import fdopen`).",
	.why = "`os.fdopen` opens a file object over a descriptor, a blocking call that holds up "
	       "the event loop and every other task.",
	.standard = thread_standard,
	.fix_text = "`os.fdopen(fd, ..)` becomes `await asyncio.to_thread(os.fdopen, fd, ..)`, "
		    "through the module's asyncio import or alias (one is added when there is "
		    "none): the same call, in a worker thread. The file it returns is still a sync "
		    "file object (see ASYNC232 for its methods).",
	.reasons = fdopen_reasons,
	.example_before = "import os\n"
			  "\n"
			  "\n"
			  "async def wrap(fd):\n"
			  "    return os.fdopen(fd, \"rb\")\n",
	.example_after = "import os\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def wrap(fd):\n"
			 "    return await asyncio.to_thread(os.fdopen, fd, \"rb\")\n",
};

const struct transform transform_blocking_file_call = {
	.code = "ASYNC232",
	.name = "blocking-file-call-in-async-function",
	.summary = "a blocking method of a sync file object in an async function -> "
		   "await asyncio.to_thread(f.read, ..)",
	.fix = FIX_SAFE,
	.query = blocking_file_call_scm,
	.tokens = call_tokens,
	.check = check_file_call,
	.finds = "A call of a blocking method (`read`, `read1`, `readall`, `readinto`, "
		 "`readline`, `readlines`, `write`, `writelines`, `seek`, `truncate`, `flush`, "
		 "`close`, `peek`) on a name that the coroutine binds only to sync file objects: "
		 "`f = open(..)`, `f = io.open(..)`, `f = Path(..).open(..)`, `f = os.fdopen(..)`, "
		 "`with os.fdopen(..) as f` (also as `await asyncio.to_thread(os.fdopen, ..)`, "
		 "ASYNC231's fix), or a parameter annotated `io.TextIOWrapper`, "
		 "`io.BufferedReader` (and the other `io` classes), `typing.IO`, `TextIO` or "
		 "`BinaryIO` (also inside `Optional[..]` or a union with `None`). A module "
		 "global or a `self.f` that the file shows to hold a file is reported without "
		 "a fix (`shared-file`). A file bound by `with open(..) as f` is ASYNC230's.",
	.why = "Each method of a sync file object is a blocking system call that holds up the "
	       "event loop and every other task.",
	.standard = thread_standard,
	.fix_text = "`f.read(n)` becomes `await asyncio.to_thread(f.read, n)`, through the "
		    "module's asyncio import or alias (one is added when there is none): the same "
		    "call, in a worker thread.",
	.reasons = thread_reasons,
	.example_before = "import asyncio\n"
			  "from typing import TextIO\n"
			  "\n"
			  "\n"
			  "async def first_line(f: TextIO):\n"
			  "    return f.readline()\n",
	.example_after = "import asyncio\n"
			 "from typing import TextIO\n"
			 "\n"
			 "\n"
			 "async def first_line(f: TextIO):\n"
			 "    return await asyncio.to_thread(f.readline)\n",
};
