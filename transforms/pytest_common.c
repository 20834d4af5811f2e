/*
 * pytest_common: the async tests pytest collects and who runs them, for
 * the pytest-asyncio rules (see pytest_internal.h).
 *
 * A mark is known through the module's imports: `pytest.mark.NAME`,
 * `mark.NAME` after `from pytest import mark`, with or without a call
 * (`pytest.mark.asyncio(loop_scope="module")`). Marks of other runners
 * (anyio, trio, tornado's gen_test) and fixtures only other plugins give
 * (anyio_backend, aiohttp's loop and clients, trio's nursery) put a test
 * out of pytest-asyncio's hands; so does a decorator that is not a mark
 * (it may wrap the coroutine into a plain function), except mock's
 * patch, which keeps a coroutine function one.
 */
#include <string.h>

#include "pytest_internal.h"
#include "syntax.h"
#include "../src/pytest_config.h"
#include "../src/tree.h"

bool pytest_asyncio_applies(const struct rule_ctx *ctx)
{
	return ctx->pytest && ctx->pytest->mode != PYTEST_MODE_UNKNOWN &&
	       !ctx->pytest->trio_mode && !ctx->pytest->conftest_hooks &&
	       ctx->runtime == RUNTIME_ASYNCIO;
}

bool pytest_strict(const struct rule_ctx *ctx)
{
	return ctx->pytest && (ctx->pytest->mode == PYTEST_MODE_STRICT ||
			       ctx->pytest->mode == PYTEST_MODE_UNSET);
}

static bool name_starts(const struct rule_ctx *ctx, TSNode def, const char *prefix)
{
	TSNode name = ts_node_child_by_field_name(def, "name", 4);
	uint32_t len;
	const char *s;

	if (ts_node_is_null(name))
		return false;
	s = rule_text(ctx, name, &len);
	return len >= strlen(prefix) && !memcmp(s, prefix, strlen(prefix));
}

/* The node a def or class stands for in its block: its decorated
 * definition when it has decorators. */
static TSNode outer(TSNode def)
{
	TSNode p = tree_parent(def);

	return !ts_node_is_null(p) && syntax_type_is(p, "decorated_definition") ? p : def;
}

/* The class whose body holds `def` directly, or a null node. */
static TSNode class_of(TSNode def)
{
	TSNode block = tree_parent(outer(def)), cls;

	if (ts_node_is_null(block) || !syntax_type_is(block, "block"))
		return (TSNode){ 0 };
	cls = tree_parent(block);
	return !ts_node_is_null(cls) && syntax_type_is(cls, "class_definition") ? cls
										 : (TSNode){ 0 };
}

bool pytest_test_module(const struct rule_ctx *ctx)
{
	const char *t = ctx->src->text;
	size_t n = ctx->src->len;

	return rule_in_test_code(ctx) || memmem(t, n, "import pytest", 13) ||
	       memmem(t, n, "from pytest", 11);
}

/* True when the class body defines `__init__`: pytest does not collect it. */
static bool has_init(const struct rule_ctx *ctx, TSNode cls)
{
	TSNode body = ts_node_child_by_field_name(cls, "body", 4);

	for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
		TSNode s = ts_node_named_child(body, i), name;

		if (syntax_type_is(s, "decorated_definition"))
			s = ts_node_child_by_field_name(s, "definition", 10);
		if (ts_node_is_null(s) || !syntax_type_is(s, "function_definition"))
			continue;
		name = ts_node_child_by_field_name(s, "name", 4);
		if (!ts_node_is_null(name) && rule_text_is(ctx, name, "__init__"))
			return true;
	}
	return false;
}

bool pytest_is_async_test(const struct rule_ctx *ctx, TSNode def)
{
	TSNode where, cls;

	if (!syntax_is_async_def(def) || !name_starts(ctx, def, "test"))
		return false;
	where = tree_parent(outer(def));
	if (ts_node_is_null(where))
		return false;
	if (!syntax_type_is(where, "module")) {
		cls = class_of(def);
		/* a class with bases may be unittest's, or inherit marks */
		if (ts_node_is_null(cls) || !name_starts(ctx, cls, "Test") ||
		    !ts_node_is_null(ts_node_child_by_field_name(cls, "superclasses", 12)) ||
		    has_init(ctx, cls) ||
		    !syntax_type_is(tree_parent(outer(cls)), "module"))
			return false;
	}
	return pytest_test_module(ctx);
}

/* What one mark expression says: `pytest.mark.X` or a call of it. */
static enum pytest_runner mark_runner(const struct rule_ctx *ctx, TSNode e, bool *is_mark)
{
	static const char *const others[] = { "anyio", "trio", "gen_test", "twisted",
					      "asyncio_cooperative", NULL };
	struct buf q = BUF_INIT;
	enum pytest_runner r = PYTEST_RUNNER_NONE;
	const char *name;

	*is_mark = false;
	e = syntax_unwrap_parens(e);
	if (syntax_type_is(e, "call"))
		e = ts_node_child_by_field_name(e, "function", 8);
	if (ts_node_is_null(e) ||
	    (!syntax_type_is(e, "attribute") && !syntax_type_is(e, "identifier")))
		return PYTEST_RUNNER_NONE;
	if (scope_resolve_expr(ctx->scopes, e, &q) == RESOLVE_MODULE) {
		const char *s = buf_cstr(&q);

		if (!strncmp(s, "pytest.mark.", 12) && !strchr(s + 12, '.')) {
			*is_mark = true;
			name = s + 12;
			if (!strcmp(name, "asyncio"))
				r = PYTEST_RUNNER_ASYNCIO;
			else if (syntax_str_in(name, others))
				r = PYTEST_RUNNER_OTHER;
		} else if (!strncmp(s, "unittest.mock.patch", 19) ||
			   !strncmp(s, "mock.patch", 10)) {
			*is_mark = true;	/* keeps a coroutine function one */
		}
	}
	buf_release(&q);
	return r;
}

static enum pytest_runner join(enum pytest_runner a, enum pytest_runner b)
{
	return a > b ? a : b;
}

/* The marks of the decorators of `def_or_class`; any other decorator:
 * PYTEST_RUNNER_OTHER. */
static enum pytest_runner decorators(const struct rule_ctx *ctx, TSNode node)
{
	TSNode d = tree_parent(node);
	enum pytest_runner r = PYTEST_RUNNER_NONE;

	if (ts_node_is_null(d) || !syntax_type_is(d, "decorated_definition"))
		return r;
	for (uint32_t i = 0; i < ts_node_named_child_count(d); i++) {
		TSNode dec = ts_node_named_child(d, i);
		bool is_mark;

		if (!syntax_type_is(dec, "decorator") || !ts_node_named_child_count(dec))
			continue;
		r = join(r, mark_runner(ctx, ts_node_named_child(dec, 0), &is_mark));
		if (!is_mark)
			r = PYTEST_RUNNER_OTHER;
	}
	return r;
}

/* `pytestmark = MARK`, `= [MARK, ..]` or `+= [..]` among the statements of `body`
 * (the module or a class's block); a value it cannot read counts as
 * another runner's. */
static enum pytest_runner pytestmark_in(const struct rule_ctx *ctx, TSNode body)
{
	enum pytest_runner r = PYTEST_RUNNER_NONE;

	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
		TSNode s = ts_node_named_child(body, i), a, left, right;
		bool is_mark;

		if (!syntax_type_is(s, "expression_statement") || !ts_node_named_child_count(s))
			continue;
		a = ts_node_named_child(s, 0);
		/* `pytestmark = ..` or `pytestmark += [..]` */
		if (!syntax_type_is(a, "assignment") && !syntax_type_is(a, "augmented_assignment"))
			continue;
		left = ts_node_child_by_field_name(a, "left", 4);
		right = ts_node_child_by_field_name(a, "right", 5);
		if (ts_node_is_null(left) || !rule_text_is(ctx, left, "pytestmark"))
			continue;
		if (ts_node_is_null(right)) {
			r = PYTEST_RUNNER_OTHER;
			continue;
		}
		right = syntax_unwrap_parens(right);
		if (syntax_type_is(right, "list") || syntax_type_is(right, "tuple")) {
			for (uint32_t k = 0; k < ts_node_named_child_count(right); k++) {
				TSNode m = ts_node_named_child(right, k);

				if (syntax_type_is(m, "comment"))
					continue;
				r = join(r, mark_runner(ctx, m, &is_mark));
				if (!is_mark)
					r = PYTEST_RUNNER_OTHER;
			}
			continue;
		}
		r = join(r, mark_runner(ctx, right, &is_mark));
		if (!is_mark)
			r = PYTEST_RUNNER_OTHER;
	}
	return r;
}

/* Parameters naming fixtures of other async plugins. */
static bool other_plugin_fixture(const struct rule_ctx *ctx, TSNode def)
{
	static const char *const names[] = {
		"anyio_backend", "aiohttp_client", "aiohttp_server", "aiohttp_raw_server",
		"aiohttp_unused_port", "loop", "test_client", "nursery", "autojump_clock",
		"io_loop", "http_server_client", NULL,
	};
	TSNode params = ts_node_child_by_field_name(def, "parameters", 10);

	for (uint32_t i = 0; !ts_node_is_null(params) && i < ts_node_named_child_count(params);
	     i++) {
		TSNode p = ts_node_named_child(params, i);

		if (syntax_type_is(p, "typed_parameter") || syntax_type_is(p, "default_parameter") ||
		    syntax_type_is(p, "typed_default_parameter")) {
			if (!ts_node_named_child_count(p))
				continue;
			p = syntax_type_is(p, "typed_parameter") ? ts_node_named_child(p, 0)
				: ts_node_child_by_field_name(p, "name", 4);
		}
		if (!ts_node_is_null(p) && syntax_type_is(p, "identifier") &&
		    syntax_text_in(ctx, p, names))
			return true;
	}
	return false;
}

enum pytest_runner pytest_runner_of(const struct rule_ctx *ctx, TSNode def)
{
	enum pytest_runner r = decorators(ctx, def);
	TSNode cls = class_of(def), body;

	if (other_plugin_fixture(ctx, def))
		return PYTEST_RUNNER_OTHER;
	if (!ts_node_is_null(cls)) {
		r = join(r, decorators(ctx, cls));
		body = ts_node_child_by_field_name(cls, "body", 4);
		if (!ts_node_is_null(body))
			r = join(r, pytestmark_in(ctx, body));
	}
	return join(r, pytestmark_in(ctx, ts_tree_root_node(ctx->tree)));
}

/* The first async test among the statements of `body`, classes looked into. */
static TSNode first_in(const struct rule_ctx *ctx, TSNode body)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
		TSNode s = ts_node_named_child(body, i), b;

		if (syntax_type_is(s, "decorated_definition"))
			s = ts_node_child_by_field_name(s, "definition", 10);
		if (ts_node_is_null(s))
			continue;
		if (syntax_type_is(s, "function_definition") && pytest_is_async_test(ctx, s) &&
		    pytest_runner_of(ctx, s) != PYTEST_RUNNER_OTHER)
			return s;
		if (syntax_type_is(s, "class_definition") &&
		    syntax_type_is(tree_parent(outer(s)), "module") &&
		    !ts_node_is_null(b = ts_node_child_by_field_name(s, "body", 4))) {
			TSNode t = first_in(ctx, b);

			if (!ts_node_is_null(t))
				return t;
		}
	}
	return (TSNode){ 0 };
}

TSNode pytest_first_async_test(const struct rule_ctx *ctx)
{
	return first_in(ctx, ts_tree_root_node(ctx->tree));
}
