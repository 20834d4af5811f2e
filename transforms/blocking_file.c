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
 *
 * This file holds the rule table entries and the checks: which calls are
 * found, which names ASYNC232 takes for sync files, and which fix or reason
 * each finding gets. What an `open` call and its file's name are is in
 * blocking_file_open.c, the whole-file thread form in blocking_file_whole.c
 * and the aiofiles rewrite of a `with` block in blocking_file_aiofiles.c.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "../src/tree.h"
#include "blocking_file_internal.h"
#include "blocking_open.scm.h"
#include "blocking_fdopen.scm.h"
#include "blocking_file_call.scm.h"

static const char *const open_tokens[] = { "open", NULL };
static const char *const fdopen_tokens[] = { "fdopen", NULL };
static const char *const call_tokens[] = {
	"read", "write", "seek", "truncate", "flush", "close", "peek", NULL,
};

/* Annotations that make a parameter a sync file object. */
static const char *const file_types[] = {
	"io.TextIOWrapper", "io.BufferedReader", "io.BufferedWriter", "io.BufferedRandom",
	"io.FileIO", "io.TextIOBase", "io.BufferedIOBase", "io.RawIOBase", "io.IOBase",
	"typing.IO", "typing.TextIO", "typing.BinaryIO", NULL,
};

static bool is_fdopen(const struct rule_ctx *ctx, TSNode call)
{
	return syntax_type_is(call, "call") &&
	       blocking_file_resolves_to(ctx, syntax_field(call, "function"), "os.fdopen");
}

static int check_open(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), p, item, with, json;
	enum scope_context where;
	enum open_form form;
	const char *reason = "aiofiles-not-with";
	struct finding *f;

	if (blocking_file_is_open_code(ctx, call)) {
		where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
		if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
			return 0;
		f = rule_report(ctx, &transform_blocking_open, call,
				"`io.open_code` blocks the event loop in an async function; use "
				"`asyncio.to_thread` around the code that opens and reads the file");
		rule_no_fix(f, where == CONTEXT_NESTED_SYNC ? "nested-sync-scope" : "open-code-hook");
		return 0;
	}
	if ((form = blocking_file_open_form(ctx, call)) == OPEN_NONE)
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
	p = tree_parent(call);
	json = blocking_file_json_load_of(ctx, call);
	if (!ts_node_is_null(json) ||
	    (syntax_type_is(p, "attribute") && syntax_node_eq(syntax_field(p, "object"), call))) {
		if ((reason = blocking_file_whole_call(ctx, f, call, form, json)))
			goto report;
		goto done;
	}
	item = syntax_type_is(p, "as_pattern") ? tree_parent(p) : p;
	if (!syntax_type_is(item, "with_item"))
		goto report;
	with = tree_parent(tree_parent(item));
	if (!syntax_type_is(with, "with_statement") || syntax_is_async(with))
		goto report;
	if ((reason = blocking_file_with_fix(ctx, f, with, item)))
		goto report;
	goto done;
report:
	rule_no_fix(f, reason);
done:
	return 0;
}


/* rule_to_thread(), without a blank before the end of the line when the
 * arguments start on the next one. */
static int to_thread(struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	uint32_t open = ts_node_start_byte(syntax_field(call, "arguments"));
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
	struct tree_occurrences occ;	/* where the name's text is in the body */
};

static bool is_file_type(const struct rule_ctx *ctx, TSNode type)
{
	TSNode t = ts_node_named_child(type, 0);
	struct buf q = BUF_INIT;
	bool yes;

	if (syntax_type_is(t, "generic_type"))	/* IO[str] */
		t = ts_node_named_child(t, 0);
	if (syntax_type_is(t, "subscript"))
		t = syntax_field(t, "value");
	yes = !ts_node_is_null(t) &&
	      scope_resolve_expr(ctx->scopes, t, &q) == RESOLVE_MODULE &&
	      syntax_strn_in(buf_cstr(&q), q.len, file_types);
	buf_release(&q);
	return yes;
}

static void bind_param(const struct rule_ctx *ctx, TSNode fn, const char *name,
		       struct bindings *b)
{
	TSNode params = syntax_field(fn, "parameters");

	for (uint32_t i = 0; !ts_node_is_null(params) && i < ts_node_named_child_count(params); i++) {
		TSNode p = ts_node_named_child(params, i), id = p;

		if (syntax_type_is(p, "default_parameter") ||
		    syntax_type_is(p, "typed_default_parameter"))
			id = syntax_field(p, "name");
		else if (!syntax_type_is(p, "identifier"))
			id = ts_node_named_child(p, 0);
		if (syntax_type_is(id, "list_splat_pattern") ||
		    syntax_type_is(id, "dictionary_splat_pattern"))
			id = ts_node_named_child(id, 0);
		if (!syntax_type_is(id, "identifier") || !rule_text_is(ctx, id, name))
			continue;
		if ((syntax_type_is(p, "typed_parameter") ||
		     syntax_type_is(p, "typed_default_parameter")) &&
		    is_file_type(ctx, syntax_field(p, "type")))
			b->files++;
		else
			b->others++;
	}
}

static bool makes_file(const struct rule_ctx *ctx, TSNode value)
{
	TSNode call = syntax_named_child(value, 0), args, first;

	if (ts_node_is_null(value))	/* `x: T` without a value */
		return false;
	if (blocking_file_open_form(ctx, value) != OPEN_NONE || is_fdopen(ctx, value))
		return true;
	/* what ASYNC231's fix writes: await asyncio.to_thread(os.fdopen, ..) */
	if (!syntax_type_is(value, "await") || !syntax_type_is(call, "call") ||
	    !blocking_file_resolves_to(ctx, syntax_field(call, "function"), "asyncio.to_thread"))
		return false;
	args = syntax_field(call, "arguments");
	first = ts_node_named_child(args, 0);
	return syntax_type_is(args, "argument_list") && !ts_node_is_null(first) &&
	       blocking_file_resolves_to(ctx, first, "os.fdopen");
}

/* Counts the bindings of `name` under `n`, not looking into nested
 * functions and classes (whose own name may bind it). */
static void bind_body(TSNode n, const char *name, struct bindings *b)
{
	const struct rule_ctx *ctx = b->ctx;
	TSNode p;

	/* each binding counted is an identifier with the name's text */
	if (!tree_occurrences_within(&b->occ, n))
		return;
	if (syntax_type_is(n, "function_definition") || syntax_type_is(n, "class_definition")) {
		if (rule_text_is(ctx, syntax_field(n, "name"), name))
			b->others++;
		return;
	}
	if (syntax_type_is(n, "lambda"))
		return;
	if (syntax_type_is(n, "identifier")) {
		if (!rule_text_is(ctx, n, name) || rule_is_name_site(n))
			return;
		p = tree_parent(n);
		if (syntax_type_is(p, "assignment") &&
		    syntax_node_eq(syntax_field(p, "left"), n)) {
			if (makes_file(ctx, syntax_field(p, "right")))
				b->files++;
			else
				b->others++;
		} else if (syntax_type_is(p, "as_pattern_target")) {
			TSNode as = tree_parent(p);

			if (syntax_type_is(tree_parent(as), "with_item") &&
			    makes_file(ctx, ts_node_named_child(as, 0)) &&
			    blocking_file_open_form(ctx, ts_node_named_child(as, 0)) == OPEN_NONE)
				b->files++;
			else
				b->others++;
			if (syntax_type_is(tree_parent(as), "with_item") &&
			    blocking_file_open_form(ctx, ts_node_named_child(as, 0)) != OPEN_NONE)
				b->opens++;
		} else if (((syntax_type_is(p, "for_statement") ||
			     syntax_type_is(p, "for_in_clause")) &&
			    syntax_node_eq(syntax_field(p, "left"), n)) ||
			   (syntax_type_is(p, "augmented_assignment") &&
			    syntax_node_eq(syntax_field(p, "left"), n)) ||
			   (syntax_type_is(p, "named_expression") &&
			    syntax_node_eq(syntax_field(p, "name"), n)) ||
			   syntax_type_is(p, "pattern_list") ||
			   syntax_type_is(p, "tuple_pattern") ||
			   syntax_type_is(p, "list_pattern") ||
			   syntax_type_is(p, "list_splat_pattern") ||
			   syntax_type_is(p, "global_statement") ||
			   syntax_type_is(p, "nonlocal_statement") ||
			   syntax_type_is(p, "aliased_import") ||
			   syntax_type_is(p, "delete_statement")) {
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
	TSNode body = syntax_field(fn, "body");

	b->ctx = ctx;
	b->files = b->others = b->opens = 0;
	bind_param(ctx, fn, name, b);
	if (ts_node_is_null(body))
		return;
	tree_occurrences_find(&b->occ, ctx->src->text, ts_node_start_byte(body),
			      ts_node_end_byte(body), name, (uint32_t)strlen(name));
	bind_body(body, name, b);
	tree_occurrences_release(&b->occ);
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
	if (syntax_type_is(obj, "attribute"))
		goto by_type;
	/* the coroutine whose name it is: no sync function in between binds it */
	for (;;) {
		fn = rule_enclosing_function(fn);
		if (ts_node_is_null(fn))
			goto done;
		bindings_of(ctx, fn, buf_cstr(&name), &b);
		if (syntax_type_is(fn, "function_definition") && syntax_is_async(fn))
			break;
		if (b.files || b.others)
			goto done;
	}
by_type:
	/* bound in the coroutine to something else too, or not bound there:
	 * what the file shows of its type decides */
	if (b.opens || ((b.others || !b.files) && !shared_file(ctx, obj)))
		goto done;
	t = rule_text(ctx, syntax_field(syntax_field(call, "function"), "attribute"), &len);
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
	"open-code-hook", "`io.open_code(p)` opens through the interpreter's open-code hook "
	"(PEP 578), which may check or change what is read; `aiofiles.open` or "
	"`Path.read_bytes` would bypass it, so the code that opens and reads the file goes "
	"to a thread by hand",
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
	.in_async_def = true,
	.tokens = open_tokens,
	.check = check_open,
	.finds = "A call of the builtin `open(..)` (also `io.open`, `io.open_code`, and "
		 "`pathlib.Path(..).open(..)` or `p.open(..)` where the file shows `p` to hold a "
		 "path: a constructor, an annotation, a module global, `self.p` set in the class) "
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
	.in_async_def = true,
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
	.in_async_def = true,
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

