/*
 * pytest_internal: what the pytest-asyncio rules (AM501, AM502, AM503)
 * share: which defs pytest collects as async tests, which marks put them
 * under pytest-asyncio or another runner, and which mode applies.
 */
#ifndef ASYNCMOD_PYTEST_INTERNAL_H
#define ASYNCMOD_PYTEST_INTERNAL_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "../src/rule.h"

/* Who runs an async test, from its marks. */
enum pytest_runner {
	PYTEST_RUNNER_NONE,	/* no mark: pytest-asyncio only in auto mode */
	PYTEST_RUNNER_ASYNCIO,	/* pytest.mark.asyncio */
	PYTEST_RUNNER_OTHER,	/* anyio, trio, tornado, aiohttp's fixtures, or unknown */
};

/* True when the file's async tests are pytest-asyncio's to run, as far as
 * the file and pytest's configuration say: the configuration is known
 * (ctx->pytest set, its mode readable), pytest-trio's trio_mode is off,
 * no conftest.py runs or marks coroutine tests itself, and the module does
 * not run under anyio or trio. */
bool pytest_asyncio_applies(const struct rule_ctx *ctx);

/* True when pytest's configuration leaves pytest-asyncio in strict mode
 * (set so, or not set at all). */
bool pytest_strict(const struct rule_ctx *ctx);

/* True when the file is test code (rule_in_test_code) or imports pytest
 * (`import pytest..`, `from pytest..`): a test module, a conftest, a
 * plugin. */
bool pytest_test_module(const struct rule_ctx *ctx);

/* True when `def` (a function_definition) is an `async def test*` that
 * pytest collects: at module level or directly in a `Test*` class with no
 * base class and no `__init__`, in a test module (pytest_test_module). */
bool pytest_is_async_test(const struct rule_ctx *ctx, TSNode def);

/* Who runs the async test `def`, from the marks on it, on its class and
 * in the module's `pytestmark`. Decorators other than pytest marks may
 * wrap the coroutine into something else: PYTEST_RUNNER_OTHER. */
enum pytest_runner pytest_runner_of(const struct rule_ctx *ctx, TSNode def);

/* The first async test of the file (pytest_is_async_test), or a null node. */
TSNode pytest_first_async_test(const struct rule_ctx *ctx);

#endif
