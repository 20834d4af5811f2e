/*
 * blocking_file_whole: ASYNC230's safe fix, a whole-file read or write in
 * one statement (`open(p).read()`, `open(p, "w").write(s)`,
 * `json.load(open(p))`, or a `with open(..) as f:` block whose only
 * statement does one of these) written as
 * `await asyncio.to_thread(pathlib.Path(p).read_text, ..)`: which `open`
 * arguments and modes the Path methods carry, and the edit.
 */
#include <string.h>

#include "blocking_file_internal.h"
#include "../src/tree.h"

static bool has_comment(TSNode n)
{
	if (syntax_type_is(n, "comment"))
		return true;
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		if (has_comment(ts_node_named_child(n, i)))
			return true;
	return false;
}

/* The only argument of a call when it is one plain positional one. */
static TSNode single_positional(TSNode call)
{
	TSNode args = syntax_field(call, "arguments"), none = { { 0 }, NULL, NULL }, arg = none;

	if (!syntax_type_is(args, "argument_list"))
		return none;
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "comment"))
			continue;
		if (!ts_node_is_null(arg) || syntax_type_is(a, "keyword_argument") ||
		    syntax_type_is(a, "list_splat") || syntax_type_is(a, "dictionary_splat"))
			return none;
		arg = a;
	}
	return arg;
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
	TSNode args = syntax_field(call, "arguments");

	memset(a, 0, sizeof(*a));
	if (!syntax_type_is(args, "argument_list")) {
		a->other = true;
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode arg = ts_node_named_child(args, i), value = arg;
		const char *name = NULL;
		uint32_t len;
		const char *t;

		if (syntax_type_is(arg, "comment"))
			continue;
		if (syntax_type_is(arg, "keyword_argument")) {
			t = rule_text(ctx, syntax_field(arg, "name"), &len);
			value = syntax_field(arg, "value");
			for (size_t k = 0; k < nnames; k++)
				if (strlen(names[k]) == len && !memcmp(names[k], t, len))
					name = names[k];
		} else if (!syntax_type_is(arg, "list_splat") &&
			   !syntax_type_is(arg, "dictionary_splat") && pos < nnames) {
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
	static const char *const plain_quotes[] = { "'", "\"", "'''", "\"\"\"", NULL };

	buf_clear(out);
	if (!syntax_type_is(s, "string"))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(s); i++) {
		TSNode c = ts_node_named_child(s, i);
		uint32_t len;
		const char *t = rule_text(ctx, c, &len);

		if (syntax_type_is(c, "string_start")) {
			if (!syntax_strn_in(t, len, plain_quotes))
				return false;
		} else if (syntax_type_is(c, "string_content")) {
			buf_add(out, t, len);
		} else if (!syntax_type_is(c, "string_end")) {
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

	if (syntax_type_is(file, "integer") || syntax_type_is(file, "unary_operator"))
		return false;
	if (syntax_type_is(file, "string")) {
		t = rule_text(ctx, ts_node_named_child(file, 0), &len);	/* the prefix and quote */
		return !memchr(t, 'b', len) && !memchr(t, 'B', len);
	}
	if (syntax_type_is(file, "call")) {
		last = syntax_field(file, "function");
		if (blocking_file_resolves_to(ctx, last, "os.open") ||
		    blocking_file_resolves_to(ctx, last, "os.dup"))
			return false;
	}
	if (syntax_type_is(last, "attribute"))
		last = syntax_field(last, "attribute");
	if (!syntax_type_is(last, "identifier"))
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
		t = rule_text(ctx, syntax_field(syntax_field(call, "function"), "object"), &len);
		buf_add(&path, t, len);
	} else if (syntax_type_is(a->file, "call") &&
		   blocking_file_resolves_to(ctx, syntax_field(a->file, "function"),
					     "pathlib.Path")) {
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

/* For `X.read()` / `X.write(data)` (`outer`, X being an open file): the
 * operation ('r' or 'w') and the data, or 0. */
static char whole_file_op(const struct rule_ctx *ctx, TSNode outer, TSNode *data)
{
	TSNode attr = syntax_field(syntax_field(outer, "function"), "attribute");
	TSNode none = { { 0 }, NULL, NULL };

	*data = none;
	if (has_comment(syntax_field(outer, "arguments")))
		return 0;
	if (rule_text_is(ctx, attr, "read") && syntax_argument_count(outer) == 0)
		return 'r';
	if (rule_text_is(ctx, attr, "write") && !ts_node_is_null(*data = single_positional(outer)) &&
	    blocking_file_simple_value(*data))
		return 'w';
	return 0;
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

	if (syntax_node_eq(id, r->skip) || rule_is_name_site(id) ||
	    (ts_node_start_byte(id) < ts_node_start_byte(r->with) && !blocking_file_declared(id)) ||
	    blocking_file_rebound_later(r->ctx, id, r->with))
		return;
	if (!r->count++)
		r->first = id;
}

/* `json.load(X, ..)` written as `json.loads(REPL, ..)`. */
static void json_loads_text(const struct rule_ctx *ctx, TSNode call, TSNode x, const char *repl,
			    struct buf *out)
{
	TSNode attr = syntax_field(syntax_field(call, "function"), "attribute");
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
	TSNode p = tree_parent(call);

	if (syntax_type_is(p, "assignment") && syntax_node_eq(syntax_field(p, "right"), call))
		p = tree_parent(p);
	return syntax_node_eq(p, stmt);
}

/* `with open(..) as f: STMT` where STMT only reads or writes the whole
 * file: the statement with the call replaced by the to_thread form. */
bool blocking_file_whole_with(struct rule_ctx *ctx, struct finding *f, TSNode with, TSNode item)
{
	TSNode body = syntax_field(with, "body"), value = syntax_field(item, "value");
	TSNode call, target, stmt;
	TSNode attr, outer, data = { { 0 }, NULL, NULL }, json;
	struct name_refs refs = { 0 };
	struct buf text = BUF_INIT, repl = BUF_INIT, wrapped = BUF_INIT;
	struct open_args a;
	enum open_form form;
	const char *method, *t;
	uint32_t len;
	char op;
	bool ok = false;

	if (has_comment(with) || !syntax_type_is(value, "as_pattern") ||
	    ts_node_named_child_count(body) != 1)
		return false;
	stmt = ts_node_named_child(body, 0);
	if (!syntax_type_is(stmt, "expression_statement") &&
	    !syntax_type_is(stmt, "return_statement"))
		return false;
	call = ts_node_named_child(value, 0);
	target = syntax_named_child(syntax_field(value, "alias"), 0);
	if (!syntax_type_is(target, "identifier") ||
	    (form = blocking_file_open_form(ctx, call)) == OPEN_NONE)
		return false;
	refs.ctx = ctx;
	refs.with = with;
	refs.skip = target;
	t = rule_text(ctx, target, &len);
	buf_add(&text, t, len);
	blocking_file_each_name(ctx, syntax_field(rule_enclosing_function(with), "body"),
				buf_cstr(&text), count_ref, &refs);
	if (refs.count != 1 || ts_node_start_byte(refs.first) < ts_node_start_byte(stmt) ||
	    ts_node_end_byte(refs.first) > ts_node_end_byte(stmt))
		goto done;
	attr = tree_parent(refs.first);
	json = blocking_file_json_load_of(ctx, refs.first);
	if (!ts_node_is_null(json)) {
		outer = json;
		op = 'r';
		if (!first_evaluated(outer, stmt))
			goto done;
	} else if (!syntax_type_is(attr, "attribute") ||
		   !syntax_node_eq(syntax_field(attr, "object"), refs.first) ||
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
		blocking_file_drop_open_name(ctx, f, call);
	ok = true;
done:
	buf_release(&text);
	buf_release(&repl);
	buf_release(&wrapped);
	return ok;
}


const char *blocking_file_whole_call(struct rule_ctx *ctx, struct finding *f, TSNode call,
				     enum open_form form, TSNode json)
{
	TSNode p = tree_parent(call), outer;
	TSNode data = { { 0 }, NULL, NULL };
	struct buf text = BUF_INIT, wrapped = BUF_INIT;
	struct open_args a;
	const char *method, *reason = "aiofiles-not-with";
	char op;

	if (!ts_node_is_null(json))
		outer = json, op = 'r';
	else if (!rule_callee_of(p, &outer) || !(op = whole_file_op(ctx, outer, &data)))
		goto done;
	open_args_parse(ctx, call, form, &a);
	if (has_comment(call) || !(method = whole_file_method(ctx, &a, form, op)))
		goto done;
	if (whole_file_text(ctx, f, call, form, &a, method, data,
			    ts_node_is_null(json) && rule_await_needs_parens(outer), &text) < 0) {
		reason = "import-name-shadowed";
		goto done;
	}
	if (!ts_node_is_null(json)) {
		json_loads_text(ctx, json, call, buf_cstr(&text), &wrapped);
		buf_clear(&text);
		buf_puts(&text, buf_cstr(&wrapped));
	}
	rule_edit(f, ts_node_start_byte(outer), ts_node_end_byte(outer), buf_cstr(&text));
	if (form == OPEN_BUILTIN)
		blocking_file_drop_open_name(ctx, f, call);
	f->fix = FIX_SAFE;
	blocking_file_set_message(f, "`open` blocks the event loop in an async function; read or "
				     "write the whole file in a thread");
	reason = NULL;
done:
	buf_release(&text);
	buf_release(&wrapped);
	return reason;
}
