/*
 * AM502: an async test pytest-asyncio's strict mode does not run.
 *
 * In strict mode (pytest's configuration sets `asyncio_mode = strict`, or
 * sets none: strict is the default) pytest-asyncio runs only the async
 * tests marked `@pytest.mark.asyncio`: on the def, on its class (a
 * decorator or `pytestmark`), or in the module's `pytestmark` (one mark
 * or a list). An `async def test*` with none of them is not run: pytest
 * skips it with a warning ("async def functions are not natively
 * supported"), and the test passes for nothing. Tests of other runners
 * (anyio, trio and tornado marks, their fixtures) and tests under a
 * decorator that is not a mark are left alone (pytest_common.c). Unsafe
 * fix, when the module imports pytest: `@pytest.mark.asyncio` above the
 * test. The test then runs, and may fail: that is the point, and why it
 * is not safe.
 */
#include "table.h"
#include "pytest_internal.h"
#include "syntax.h"
#include "pytest_test.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "async", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode def = rule_capture(ctx, match, "def"), name, at;
	struct buf text = BUF_INIT, indent = BUF_INIT;
	const char *pytest;
	struct finding *f;

	if (!pytest_asyncio_applies(ctx) || !pytest_strict(ctx) ||
	    !pytest_is_async_test(ctx, def) || pytest_runner_of(ctx, def) != PYTEST_RUNNER_NONE)
		return 0;
	name = ts_node_child_by_field_name(def, "name", 4);
	f = rule_report(ctx, &transform_pytest_unmarked_test, name,
			"async test without `@pytest.mark.asyncio` in pytest-asyncio's strict "
			"mode: pytest skips it with a warning, so it never runs; mark it, or "
			"set `asyncio_mode = \"auto\"`");
	pytest = scope_module_alias(ctx->scopes, "pytest");
	if (!pytest) {
		rule_no_fix(f, "pytest-not-imported");
		return 0;
	}
	at = tree_parent(def);
	if (ts_node_is_null(at) || !syntax_type_is(at, "decorated_definition"))
		at = def;
	rule_indent(ctx, ts_node_start_byte(at), &indent);
	buf_printf(&text, "@%s.mark.asyncio\n%s", pytest, buf_cstr(&indent));
	rule_edit(f, ts_node_start_byte(at), ts_node_start_byte(at), buf_cstr(&text));
	buf_release(&text);
	buf_release(&indent);
	return 0;
}

/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"异步测试 > 异步测试示例",
	"# ✅ 正确 - 异步测试",
	"异步测试 > 异步测试示例",
	"@pytest.mark.asyncio",
	NULL,
};

static const char *const reasons[] = {
	"pytest-not-imported", "the module does not `import pytest` at its top: the mark "
	"would need a name it does not have",
	NULL,
};

const struct transform transform_pytest_unmarked_test = {
	.code = "AM502",
	.name = "pytest-asyncio-unmarked-test",
	.summary = "async test without @pytest.mark.asyncio in strict mode (unsafe fix: mark it)",
	.fix = FIX_UNSAFE,
	.query = pytest_test_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "An `async def test*` that pytest collects (at module level, or in a `Test*` "
		 "class without bases, in a test module) while pytest-asyncio runs in strict "
		 "mode (pytest's configuration sets `asyncio_mode = strict` or no mode at all), "
		 "and no `@pytest.mark.asyncio` reaches it: not on the def, not on its class "
		 "(decorator or `pytestmark`), not in the module's `pytestmark` (one mark or a "
		 "list). Tests marked for anyio, trio or tornado, tests taking those plugins' "
		 "fixtures (`anyio_backend`, aiohttp's `loop` and clients, `nursery`), tests "
		 "under a decorator that is not a mark, modules under anyio or trio and "
		 "projects with pytest-trio's `trio_mode` are left alone; so are files under a "
		 "conftest.py that runs or marks coroutine tests itself (`pytest_pyfunc_call`, "
		 "`add_marker` with asyncio) and files under a broken pytest configuration.",
	.why = "In strict mode pytest-asyncio runs only marked tests. pytest does not run a "
	       "coroutine function by itself: it skips the test with a warning (\"async def "
	       "functions are not natively supported\"), and a suite that looks green never "
	       "ran it. The standard marks every async test.",
	.standard = standard,
	.fix_text = "With --unsafe-fixes, when the module imports pytest: `@pytest.mark.asyncio` "
		    "above the test (through the module's name for pytest). Unsafe: the test "
		    "starts to run, and may fail.",
	.reasons = reasons,
	.example_before = "import pytest\n"
			  "\n"
			  "\n"
			  "async def test_fetch(client):\n"
			  "    assert await client.fetch() == 1\n",
	.example_after = "import pytest\n"
			 "\n"
			 "\n"
			 "@pytest.mark.asyncio\n"
			 "async def test_fetch(client):\n"
			 "    assert await client.fetch() == 1\n",
};
