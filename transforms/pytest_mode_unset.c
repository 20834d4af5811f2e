/*
 * AM501: async tests, and no asyncio_mode in pytest's configuration.
 *
 * The standard configures pytest-asyncio explicitly (`asyncio_mode =
 * "auto"` in [tool.pytest.ini_options]). Without the key pytest-asyncio
 * runs in strict mode, where an async test or fixture without its
 * marker or decorator is not run at all; with it, the project says
 * which rules its tests follow. pytest's configuration is the file pytest
 * itself would take for the test (pytest_config.h); the finding is given
 * once per file, at its first async test that pytest-asyncio would run
 * (tests of anyio, trio and other plugins are left out). A broken
 * configuration file is not judged. Report only: the mode is the
 * project's choice.
 */
#include <string.h>

#include "table.h"
#include "pytest_internal.h"
#include "syntax.h"
#include "../src/pytest_config.h"
#include "pytest_test.scm.h"

static const char *const tokens[] = { "async", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode def = rule_capture(ctx, match, "def"), name, first;
	const char *path, *base;
	struct finding *f;

	if (!pytest_asyncio_applies(ctx) || ctx->pytest->mode != PYTEST_MODE_UNSET ||
	    !pytest_is_async_test(ctx, def) || pytest_runner_of(ctx, def) == PYTEST_RUNNER_OTHER)
		return 0;
	first = pytest_first_async_test(ctx);
	if (!syntax_node_eq(first, def))
		return 0;
	name = ts_node_child_by_field_name(def, "name", 4);
	path = ctx->pytest->path;
	base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path;
	if (base)
		f = rule_report(ctx, &transform_pytest_mode_unset, name,
				"async tests, and pytest's configuration (%s) sets no "
				"`asyncio_mode`: pytest-asyncio runs in strict mode by default; "
				"set `asyncio_mode = \"auto\"` (or \"strict\") there",
				base);
	else
		f = rule_report(ctx, &transform_pytest_mode_unset, name,
				"async tests, and no pytest configuration file sets "
				"`asyncio_mode`: pytest-asyncio runs in strict mode by default; "
				"set it in [tool.pytest.ini_options] of pyproject.toml");
	(void)f;
	return 0;
}

/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"异步测试 > pytest-asyncio 配置",
	"# ✅ 正确 - 配置 pytest-asyncio",
	"异步测试 > pytest-asyncio 配置",
	"asyncio_mode = \"auto\"",
	NULL,
};

static const char *const reasons[] = { NULL };

const struct transform transform_pytest_mode_unset = {
	.code = "AM501",
	.name = "pytest-asyncio-mode-unset",
	.summary = "async tests, and pytest's configuration sets no asyncio_mode (report)",
	.fix = FIX_NONE,
	.query = pytest_test_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A test module with an `async def test*` that pytest collects (at module "
		 "level, or in a `Test*` class without bases) and that pytest-asyncio would run "
		 "(not marked for anyio, trio or tornado, not using their fixtures), while "
		 "pytest's configuration file sets no `asyncio_mode` (nor `--asyncio-mode` in "
		 "`addopts`). The configuration file is the one pytest takes for the test's "
		 "folder: in each folder from there up, pytest.ini (even empty), .pytest.ini, "
		 "pyproject.toml with [tool.pytest.ini_options], tox.ini with [pytest], "
		 "setup.cfg with [tool:pytest]; a pyproject.toml without the table is passed "
		 "over, as pytest does. Reported once per file, at its first async test. Not "
		 "reported when pytest-trio's `trio_mode` is on, when a conftest.py runs or "
		 "marks coroutine tests itself (`pytest_pyfunc_call`, `add_marker` with "
		 "asyncio), when the module runs under anyio or trio, or when the configuration "
		 "file is broken (pytest itself stops there).",
	.why = "The standard configures pytest-asyncio explicitly. Without `asyncio_mode`, "
	       "pytest-asyncio runs in strict mode: an async test without "
	       "`@pytest.mark.asyncio` and an async fixture under a plain `@pytest.fixture` are "
	       "not run, with only a warning. Setting the mode makes the project's choice "
	       "visible, and `auto` runs every async test and fixture.",
	.standard = standard,
	.fix_text = "None: add `asyncio_mode = \"auto\"` (or \"strict\") to pytest's "
		    "configuration file.",
	.reasons = reasons,
	.example_before = "# pyproject.toml has no [tool.pytest.ini_options] asyncio_mode\n"
			  "import pytest\n"
			  "\n"
			  "\n"
			  "@pytest.mark.asyncio\n"
			  "async def test_fetch(client):\n"
			  "    assert await client.fetch() == 1\n",
	.example_after = "# pyproject.toml:\n"
			 "# [tool.pytest.ini_options]\n"
			 "# asyncio_mode = \"auto\"\n"
			 "import pytest\n"
			 "\n"
			 "\n"
			 "@pytest.mark.asyncio\n"
			 "async def test_fetch(client):\n"
			 "    assert await client.fetch() == 1\n",
};
