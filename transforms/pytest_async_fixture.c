/*
 * AM503: an async fixture under a plain `@pytest.fixture` in strict mode.
 *
 * In strict mode (pytest's configuration sets `asyncio_mode = strict` or
 * no mode) pytest-asyncio handles only the fixtures declared with
 * `@pytest_asyncio.fixture`. An `async def` under `@pytest.fixture` (the
 * decorator known through the imports: `pytest.fixture`, `from pytest
 * import fixture`, with or without arguments) is a plain fixture to
 * pytest: the test receives the coroutine or async generator object, never
 * awaited, instead of its value. Modules under anyio or trio, and files
 * that mention them (their plugins run async fixtures themselves), are
 * left alone, as are projects with pytest-trio's `trio_mode`, files under
 * a conftest.py that runs or marks coroutine tests itself and files under
 * a broken pytest configuration. Unsafe fix, when the module imports
 * pytest_asyncio at its top: the decorator becomes
 * `pytest_asyncio.fixture` (arguments kept). The fixture then runs, and
 * its setup may fail.
 */
#include <string.h>

#include "table.h"
#include "pytest_internal.h"
#include "syntax.h"
#include "pytest_fixture.scm.h"

static const char *const tokens[] = { "fixture", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode dec = rule_capture(ctx, match, "dec"), def = rule_capture(ctx, match, "def");
	TSNode e, name;
	struct buf q = BUF_INIT, text = BUF_INIT;
	const char *alias;
	struct finding *f;
	bool fixture;

	if (!syntax_is_async_def(def) || !ts_node_named_child_count(dec) ||
	    !pytest_asyncio_applies(ctx) || !pytest_strict(ctx))
		return 0;
	/* files that mention anyio or trio may run their fixtures with them */
	if (memmem(ctx->src->text, ctx->src->len, "anyio", 5) ||
	    memmem(ctx->src->text, ctx->src->len, "trio", 4))
		return 0;
	e = syntax_unwrap_parens(ts_node_named_child(dec, 0));
	if (syntax_type_is(e, "call"))
		e = ts_node_child_by_field_name(e, "function", 8);
	if (ts_node_is_null(e) ||
	    (!syntax_type_is(e, "attribute") && !syntax_type_is(e, "identifier")))
		return 0;
	fixture = scope_resolve_expr(ctx->scopes, e, &q) == RESOLVE_MODULE &&
		  !strcmp(buf_cstr(&q), "pytest.fixture");
	buf_release(&q);
	if (!fixture)
		return 0;
	name = ts_node_child_by_field_name(def, "name", 4);
	f = rule_report(ctx, &transform_pytest_async_fixture, name,
			"async fixture under a plain `@pytest.fixture` in pytest-asyncio's strict "
			"mode: tests get a coroutine that is never awaited; use "
			"`@pytest_asyncio.fixture`, or set `asyncio_mode = \"auto\"`");
	alias = scope_module_alias(ctx->scopes, "pytest_asyncio");
	if (!alias) {
		rule_no_fix(f, "pytest-asyncio-not-imported");
		return 0;
	}
	buf_printf(&text, "%s.fixture", alias);
	rule_edit(f, ts_node_start_byte(e), ts_node_end_byte(e), buf_cstr(&text));
	buf_release(&text);
	/* `from pytest import fixture` may now be unused */
	if (syntax_type_is(e, "identifier")) {
		syntax_node_text(ctx, e, &text);
		rule_need(f, NEED_DROP, buf_cstr(&text));
		buf_release(&text);
	}
	return 0;
}

/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"异步测试 > pytest-asyncio 配置",
	"asyncio_mode = \"auto\"",
	"异步测试 > 异步 Fixture",
	"# ✅ 正确 - 异步 fixture",
	NULL,
};

static const char *const reasons[] = {
	"pytest-asyncio-not-imported", "the module does not `import pytest_asyncio` at its "
	"top: the decorator would need a name it does not have",
	NULL,
};

const struct transform transform_pytest_async_fixture = {
	.code = "AM503",
	.name = "pytest-asyncio-plain-fixture",
	.summary = "async fixture under @pytest.fixture in strict mode (unsafe fix: "
		   "@pytest_asyncio.fixture)",
	.fix = FIX_UNSAFE,
	.query = pytest_fixture_scm,
	.tokens = tokens,
	.check = check,
	.finds = "An `async def` decorated with `pytest.fixture` (known through the imports, "
		 "called or not) while pytest-asyncio runs in strict mode: pytest's "
		 "configuration sets `asyncio_mode = strict` or no mode at all. Modules that "
		 "run under or mention anyio or trio, projects with pytest-trio's `trio_mode`, "
		 "files under a conftest.py that runs or marks coroutine tests itself and files "
		 "under a broken pytest configuration are left alone.",
	.why = "The standard writes its async fixtures with a plain `@pytest.fixture`, and "
	       "configures `asyncio_mode = \"auto\"`, where pytest-asyncio takes them over. "
	       "In strict mode it handles only `@pytest_asyncio.fixture`: a plain fixture "
	       "gives the test the coroutine or async generator object itself, whose body "
	       "never runs (no setup, no teardown).",
	.standard = standard,
	.fix_text = "With --unsafe-fixes, when the module imports pytest_asyncio: the decorator "
		    "becomes `pytest_asyncio.fixture`, its arguments kept. Unsafe: the fixture's "
		    "body starts to run, and may fail.",
	.reasons = reasons,
	.example_before = "import pytest\n"
			  "import pytest_asyncio\n"
			  "\n"
			  "\n"
			  "@pytest.fixture\n"
			  "async def client():\n"
			  "    async with make_client() as c:\n"
			  "        yield c\n",
	.example_after = "import pytest\n"
			 "import pytest_asyncio\n"
			 "\n"
			 "\n"
			 "@pytest_asyncio.fixture\n"
			 "async def client():\n"
			 "    async with make_client() as c:\n"
			 "        yield c\n",
};
