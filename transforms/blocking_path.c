/*
 * ASYNC240: an `os.path` function that touches the file system (`exists`,
 * `isfile`, `getsize`, `realpath`, ...) called in an async function, and
 * the same family of methods on a `pathlib.Path` (`p.exists()`,
 * `p.read_text()`, `p.mkdir()`, `p.iterdir()`, ...), where the file tells
 * that `p` holds a path (src/receiver.c).
 *
 * Report only: each call is one short system call, and whether it is worth
 * a thread depends on the file system, so the finding suggests
 * `aiofiles.os.path` (where aiofiles has the function) or
 * `asyncio.to_thread`. Pure path functions (`join`, `basename`) are not
 * reported.
 */
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "blocking_path.scm.h"
#include "syntax.h"

static const char *const tokens[] = { "path", NULL };

static const char *const fs_functions[] = {
	"exists", "lexists", "isfile", "isdir", "islink", "ismount", "isjunction",
	"getsize", "getmtime", "getatime", "getctime", "samefile", "sameopenfile",
	"realpath", NULL,
};

/* Path methods that return an iterator doing the I/O as it is consumed. */
static const char *const lazy_methods[] = { "iterdir", "glob", "rglob", "walk", NULL };

/* The functions aiofiles.os.path offers (aiofiles 0.8 and later). */
static const char *const aiofiles_functions[] = {
	"exists", "isfile", "isdir", "islink", "getsize", "getmtime", "getatime",
	"getctime", "samefile", "sameopenfile", NULL,
};

/* `p.exists()` where `p` holds a pathlib path. */
static int check_path_method(struct rule_ctx *ctx, const TSQueryMatch *match, TSNode call)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode obj = rule_capture(ctx, match, "obj");
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	TSNode m = ts_node_child_by_field_name(fn, "attribute", 9);
	enum scope_context where;
	const char *t;
	struct finding *f;
	uint32_t olen, mlen;
	const char *otext, *mtext;
	struct buf name = BUF_INIT;

	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		return 0;
	t = receiver_type(&rc, obj);
	if (!t || strcmp(t, "pathlib.Path"))
		return 0;
	otext = rule_text(ctx, obj, &olen);
	mtext = rule_text(ctx, m, &mlen);
	buf_add(&name, mtext, mlen);
	if (olen > 40) {
		otext = "path";
		olen = 4;
	}
	if (syntax_str_in(buf_cstr(&name), lazy_methods))
		f = rule_report(ctx, &transform_blocking_path, call,
				"`%.*s.%s()` reads the file system as it is iterated and blocks the "
				"event loop; use `await asyncio.to_thread(lambda: list(%.*s.%s(..)))` "
				"or `anyio.Path`", (int)olen, otext, buf_cstr(&name), (int)olen, otext,
				buf_cstr(&name));
	else
		f = rule_report(ctx, &transform_blocking_path, call,
				"`%.*s.%s()` touches the file system and blocks the event loop; use "
				"`await asyncio.to_thread(%.*s.%s, ..)` or `anyio.Path`", (int)olen,
				otext, buf_cstr(&name), (int)olen, otext, buf_cstr(&name));
	buf_release(&name);
	if (where == CONTEXT_NESTED_SYNC)
		rule_no_fix(f, "nested-sync-scope");
	return 0;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call;
	TSNode pcall = rule_capture(ctx, match, "pcall");

	if (!ts_node_is_null(pcall))
		return check_path_method(ctx, match, pcall);
	struct buf q = BUF_INIT;
	enum scope_context where;
	enum resolution r;
	struct finding *f;
	const char *fn;

	if (rule_is_name_site(ref) || !rule_callee_of(ref, &call))
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) ||
	    strncmp(buf_cstr(&q), "os.path.", 8))
		goto done;
	fn = buf_cstr(&q) + 8;
	if (!syntax_str_in(fn, fs_functions))
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	if (syntax_str_in(fn, aiofiles_functions))
		f = rule_report(ctx, &transform_blocking_path, call,
				"`os.path.%s` touches the file system and blocks the event loop; "
				"use `await aiofiles.os.path.%s(..)` or "
				"`await asyncio.to_thread(os.path.%s, ..)`", fn, fn, fn);
	else
		f = rule_report(ctx, &transform_blocking_path, call,
				"`os.path.%s` touches the file system and blocks the event loop; "
				"use `await asyncio.to_thread(os.path.%s, ..)`", fn, fn);
	if (where == CONTEXT_NESTED_SYNC)
		rule_no_fix(f, "nested-sync-scope");
	else if (r == RESOLVE_AMBIGUOUS)
		rule_no_fix(f, "ambiguous-name");
done:
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const reasons[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine: it blocks only if that code runs on the loop",
	"ambiguous-name", "the name may or may not mean the `os.path` function (conditional "
	"imports)",
	NULL,
};

const struct transform transform_blocking_path = {
	.code = "ASYNC240",
	.name = "blocking-path-method-in-async-function",
	.summary = "os.path file-system calls and pathlib.Path's blocking methods in an async "
		   "function (report: aiofiles.os.path, anyio.Path or asyncio.to_thread)",
	.fix = FIX_NONE,
	.query = blocking_path_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call of an `os.path` function that reads the file system (`exists`, "
		 "`lexists`, `isfile`, `isdir`, `islink`, `ismount`, `isjunction`, `getsize`, "
		 "`getmtime`, `getatime`, `getctime`, `samefile`, `sameopenfile`, `realpath`) "
		 "whose nearest enclosing function is an `async def`, resolved through the "
		 "imports (`import os.path as osp`, `from os.path import exists`). Functions "
		 "that only compute on the string (`join`, `basename`, `splitext`) are not "
		 "reported. Also a blocking method (`stat`, `lstat`, `exists`, `is_dir`, "
		 "`is_file`, `is_symlink` and the other `is_*` tests, `owner`, `group`, "
		 "`read_bytes`, `read_text`, `write_bytes`, `write_text`, `readlink`, `touch`, "
		 "`mkdir`, `chmod`, `unlink`, `rmdir`, `rename`, `replace`, `symlink_to`, "
		 "`hardlink_to`, `iterdir`, `glob`, `rglob`, `walk`, `resolve`, `samefile`) "
		 "called on an object the file shows to be a `pathlib.Path`: made by "
		 "`Path(..)` (or `PosixPath`, `Path.cwd()`, `Path.home()`, a path's "
		 "`resolve()`, `parent`, `/`), annotated `Path`, `Optional[Path]`, "
		 "`Path | None` or `\"Path\"`, bound at module level, by `with .. as`, or "
		 "assigned to `self.x` in the class's methods. `Path(..).open()` is "
		 "ASYNC230's.",
	.why = "Each of these calls is a system call (`stat`, `lstat`, `readlink`) that runs in "
	       "the event loop's thread; on a slow or network file system it stalls every "
	       "task.",
	.standard = standard,
	.fix_text = "None: the finding suggests `await aiofiles.os.path.exists(p)` (for the "
		    "functions aiofiles offers) or `await asyncio.to_thread(os.path.exists, p)`. "
		    "Moving a single `stat` to a thread costs more than it saves on a local "
		    "disk, so the choice is left to the author.",
	.reasons = reasons,
	.example_before = "import os\n"
			  "\n"
			  "\n"
			  "async def load_config(path):\n"
			  "    if not os.path.exists(path):\n"
			  "        return {}\n"
			  "    return await read_config(path)\n",
	.example_after = "import os\n"
			 "\n"
			 "import aiofiles.os\n"
			 "\n"
			 "\n"
			 "async def load_config(path):\n"
			 "    if not await aiofiles.os.path.exists(path):\n"
			 "        return {}\n"
			 "    return await read_config(path)\n",
};
