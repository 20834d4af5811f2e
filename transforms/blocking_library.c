/*
 * AM110: a blocking function of the standard library in an async
 * function, beyond the families of the ASYNC2xx rules: file operations of
 * `shutil` and `os` (`shutil.copytree`, `os.makedirs`, `os.listdir`, ..),
 * `sqlite3.connect` and the `connect` of the other sync database drivers
 * (`psycopg2`, `pymysql`, `MySQLdb`), name lookups and connections of `socket`
 * (`getaddrinfo`, `create_connection`, ..) and `glob.glob`.
 *
 * Safe fix: `await asyncio.to_thread(shutil.copy, a, b)`, the same call in
 * a worker thread. Only module-level functions, which take their inputs
 * as arguments and share no object with other tasks; methods of objects
 * that are not thread-safe (a sqlite3 connection, a socket) are out of
 * scope. Lazy iterators (`os.walk`, `os.scandir`, `glob.iglob`) are not
 * reported: a thread would only make the iterator. Reported instead:
 * nested sync scopes, conditional imports, anyio/trio modules, and a
 * shadowed `asyncio`.
 */
#include <string.h>

#include "table.h"
#include "blocking_library.scm.h"

static const char *const tokens[] = {
	"shutil", "os", "sqlite3", "socket", "glob", "psycopg2", "pymysql", "MySQLdb", NULL,
};

/* The connect functions of sync database drivers: reported without a fix. */
static const char *const db_connects[] = {
	"sqlite3.connect", "psycopg2.connect", "pymysql.connect", "MySQLdb.connect", NULL,
};

static const char *const blocking[] = {
	"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copyfileobj",
	"shutil.copymode", "shutil.copystat", "shutil.copytree", "shutil.rmtree", "shutil.move",
	"shutil.make_archive", "shutil.unpack_archive", "shutil.disk_usage", "shutil.chown",
	"shutil.which", "os.remove", "os.unlink", "os.rename", "os.renames", "os.replace",
	"os.mkdir", "os.makedirs", "os.rmdir", "os.removedirs", "os.listdir", "os.stat",
	"os.lstat", "os.chmod", "os.chown", "os.link", "os.symlink", "os.readlink",
	"os.truncate", "os.utime", "os.access", "os.fsync", "sqlite3.connect",
	"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
	"socket.gethostbyaddr", "socket.getnameinfo", "socket.create_connection",
	"socket.getfqdn", "glob.glob", "psycopg2.connect", "pymysql.connect", "MySQLdb.connect",
	NULL,
};

static bool in_names(const char *const *names, const char *qname)
{
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(names[i], qname))
			return true;
	return false;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call;
	struct buf q = BUF_INIT;
	enum scope_context where;
	enum resolution r;
	struct finding *f;

	if (rule_is_name_site(ref) || !rule_callee_of(ref, &call))
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) || !in_names(blocking, buf_cstr(&q)))
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;
	if (in_names(db_connects, buf_cstr(&q))) {
		/* the connection belongs to the thread that made it: a thread
		 * for the connect alone is no fix */
		f = rule_report(ctx, &transform_blocking_library, call,
				"`%s` blocks the event loop in an async function, and so does "
				"every call on the connection it returns; use an async driver",
				buf_cstr(&q));
		if (!rule_site_reason(ctx, r, where))
			rule_no_fix(f, "thread-bound-result");
		else
			rule_fix_in_thread(ctx, f, call, r, where);
		goto done;
	}
	f = rule_report(ctx, &transform_blocking_library, call,
			"`%s` blocks the event loop in an async function; run it in a thread "
			"with `asyncio.to_thread`", buf_cstr(&q));
	rule_fix_in_thread(ctx, f, call, r, where);
done:
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"# ✅ 正确 - 使用线程池处理阻塞 I/O",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

static const char *const reasons[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"ambiguous-name", "the name may or may not mean the library function (conditional "
	"imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	"thread-bound-result", "a database connection made in a worker thread belongs to that "
	"thread: `sqlite3.connect`'s may only be used there (`check_same_thread`), and the "
	"DB-API connections of `psycopg2`, `pymysql` and `MySQLdb` may not be used by two "
	"threads or tasks at once; open it in a thread that keeps using it, or use an async "
	"driver (aiosqlite, asyncpg or psycopg's async connection, aiomysql)",
	NULL,
};

const struct transform transform_blocking_library = {
	.code = "AM110",
	.name = "blocking-library-call-in-async-function",
	.summary = "shutil/os file operations, sqlite3/psycopg2/pymysql/MySQLdb connect, socket "
		   "lookups, glob.glob in an "
		   "async function -> await asyncio.to_thread(..)",
	.fix = FIX_SAFE,
	.query = blocking_library_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call, whose nearest enclosing function is an `async def`, of a blocking "
		 "module-level function: `shutil` (`copy`, `copy2`, `copyfile`, `copyfileobj`, "
		 "`copymode`, `copystat`, `copytree`, `rmtree`, `move`, `make_archive`, "
		 "`unpack_archive`, `disk_usage`, `chown`, `which`), `os` (`remove`, `unlink`, "
		 "`rename`, `renames`, `replace`, `mkdir`, `makedirs`, `rmdir`, `removedirs`, "
		 "`listdir`, `stat`, `lstat`, `chmod`, `chown`, `link`, `symlink`, `readlink`, "
		 "`truncate`, `utime`, `access`, `fsync`), `sqlite3.connect`, "
		 "`psycopg2.connect`, `pymysql.connect`, `MySQLdb.connect`, `socket` "
		 "(`getaddrinfo`, `gethostbyname`, `gethostbyname_ex`, `gethostbyaddr`, "
		 "`getnameinfo`, `create_connection`, `getfqdn`) and `glob.glob`, resolved "
		 "through the imports. Lazy iterators (`os.walk`, `os.scandir`, `glob.iglob`) "
		 "and methods of connections and sockets are not reported (AM114 reports them).",
	.why = "Each of these calls waits on the disk, a database file or the network in the "
	       "event loop's thread, holding up every other task for as long as it takes.",
	.standard = standard,
	.fix_text = "`shutil.copytree(a, b)` becomes `await asyncio.to_thread(shutil.copytree, a, "
		    "b)`, through the module's asyncio import or alias (one is added when there is "
		    "none): the same call with the same arguments, in a worker thread. "
		    "`sqlite3.connect`, `psycopg2.connect`, `pymysql.connect` and "
		    "`MySQLdb.connect` are reported without a fix: the connection would belong "
		    "to the worker thread.",
	.reasons = reasons,
	.example_before = "import shutil\n"
			  "\n"
			  "\n"
			  "async def backup(src, dst):\n"
			  "    shutil.copytree(src, dst)\n",
	.example_after = "import shutil\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def backup(src, dst):\n"
			 "    await asyncio.to_thread(shutil.copytree, src, dst)\n",
};
