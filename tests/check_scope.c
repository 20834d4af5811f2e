/*
 * check_scope: name resolution, shadowing, scope contexts and runtime.
 */
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "scope.h"
#include "units.h"

struct parsed {
	const char *text;
	TSParser *parser;
	TSTree *tree;
	struct scope_index *idx;
};

static void parse(struct parsed *p, const char *text)
{
	p->text = text;
	p->parser = ts_parser_new();
	ts_parser_set_language(p->parser, tree_sitter_python());
	p->tree = ts_parser_parse_string(p->parser, NULL, text, (uint32_t)strlen(text));
	p->idx = scope_index_new(p->tree, text, (uint32_t)strlen(text));
}

static void release(struct parsed *p)
{
	scope_index_free(p->idx);
	ts_tree_delete(p->tree);
	ts_parser_delete(p->parser);
}

/* Byte offset of the n-th (0-based) occurrence of `needle`. */
static uint32_t at(const struct parsed *p, const char *needle, int n)
{
	const char *s = p->text;

	for (;;) {
		s = strstr(s, needle);
		ck_assert_ptr_nonnull(s);
		if (n-- == 0)
			return (uint32_t)(s - p->text);
		s++;
	}
}

/* Resolves the expression that starts at the n-th `needle`. */
static enum resolution resolve(const struct parsed *p, const char *needle, int n,
			       struct buf *q)
{
	uint32_t start = at(p, needle, n);
	TSNode node = ts_node_descendant_for_byte_range(ts_tree_root_node(p->tree), start,
							start + (uint32_t)strlen(needle));

	return scope_resolve_expr(p->idx, node, q);
}

START_TEST(aliases)
{
	struct parsed p;
	struct buf q = BUF_INIT;

	parse(&p, "import time as t\nfrom time import sleep as zz\nimport os.path\n"
		  "async def f():\n    t.sleep(1)\n    zz(1)\n    os.path.join('a')\n");
	ck_assert_int_eq(resolve(&p, "t.sleep", 0, &q), RESOLVE_MODULE);
	ck_assert_str_eq(buf_cstr(&q), "time.sleep");
	ck_assert_int_eq(resolve(&p, "zz", 1, &q), RESOLVE_MODULE);
	ck_assert_str_eq(buf_cstr(&q), "time.sleep");
	ck_assert_int_eq(resolve(&p, "os.path.join", 0, &q), RESOLVE_MODULE);
	ck_assert_str_eq(buf_cstr(&q), "os.path.join");
	buf_release(&q);
	release(&p);
}
END_TEST

START_TEST(shadowing)
{
	struct parsed p;
	struct buf q = BUF_INIT;

	parse(&p, "import time\n"
		  "async def a(time):\n    time.sleep(1)\n"
		  "async def b():\n    time = Clock()\n    time.sleep(1)\n"
		  "async def c():\n    def time(): pass\n    time.sleep(1)\n"
		  "async def d():\n    time.sleep(1)\n"
		  "async def e():\n    for time in xs:\n        time.sleep(1)\n"
		  "async def g():\n    with ctx() as time:\n        time.sleep(1)\n");
	ck_assert_int_eq(resolve(&p, "time.sleep", 0, &q), RESOLVE_LOCAL);
	ck_assert_int_eq(resolve(&p, "time.sleep", 1, &q), RESOLVE_LOCAL);
	ck_assert_int_eq(resolve(&p, "time.sleep", 2, &q), RESOLVE_LOCAL);
	ck_assert_int_eq(resolve(&p, "time.sleep", 3, &q), RESOLVE_MODULE);
	ck_assert_int_eq(resolve(&p, "time.sleep", 4, &q), RESOLVE_LOCAL);
	ck_assert_int_eq(resolve(&p, "time.sleep", 5, &q), RESOLVE_LOCAL);
	buf_release(&q);
	release(&p);
}
END_TEST

START_TEST(class_and_global)
{
	struct parsed p;
	struct buf q = BUF_INIT;

	parse(&p, "import time\n"
		  "class K:\n    time = 3\n    x = time\n    async def m(self):\n        time.sleep(1)\n"
		  "async def g():\n    global time\n    time.sleep(1)\n"
		  "async def h():\n    [time for time in range(3)]\n    time.sleep(1)\n");
	ck_assert_int_eq(resolve(&p, "time\n    async", 0, &q), RESOLVE_LOCAL);
	ck_assert_int_eq(resolve(&p, "time.sleep", 0, &q), RESOLVE_MODULE);
	ck_assert_int_eq(resolve(&p, "time.sleep", 1, &q), RESOLVE_MODULE);
	ck_assert_int_eq(resolve(&p, "time.sleep", 2, &q), RESOLVE_MODULE);
	buf_release(&q);
	release(&p);
}
END_TEST

START_TEST(conditional_import_is_ambiguous)
{
	struct parsed p;
	struct buf q = BUF_INIT;

	parse(&p, "try:\n    import uvloop as loop\nexcept ImportError:\n    loop = None\n"
		  "async def f():\n    loop.install()\n");
	ck_assert_int_eq(resolve(&p, "loop.install", 0, &q), RESOLVE_AMBIGUOUS);
	buf_release(&q);
	release(&p);
}
END_TEST

START_TEST(contexts)
{
	struct parsed p;

	parse(&p, "x0 = 1\n"
		  "async def f(a=x1):\n"
		  "    x2\n"
		  "    def g():\n        x3\n"
		  "    lambda: x4\n"
		  "    (x5 for _ in y)\n"
		  "    [x6 for _ in y]\n"
		  "    class C:\n        x7\n"
		  "def s():\n    x8\n");
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x0", 0)), CONTEXT_MODULE);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x1", 0)), CONTEXT_MODULE);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x2", 0)), CONTEXT_ASYNC);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x3", 0)), CONTEXT_NESTED_SYNC);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x4", 0)), CONTEXT_NESTED_SYNC);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x5", 0)), CONTEXT_NESTED_SYNC);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x6", 0)), CONTEXT_ASYNC);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x7", 0)), CONTEXT_NESTED_SYNC);
	ck_assert_int_eq(scope_context_at(p.idx, at(&p, "x8", 0)), CONTEXT_SYNC);
	release(&p);
}
END_TEST

START_TEST(runtime_and_aliases)
{
	struct parsed p;
	struct scope_import imp;

	parse(&p, "import asyncio as aio\nimport anyio\nfrom time import sleep\n");
	ck_assert_int_eq(scope_runtime(p.idx), RUNTIME_ANYIO);
	ck_assert_str_eq(scope_module_alias(p.idx, "asyncio"), "aio");
	ck_assert_ptr_null(scope_module_alias(p.idx, "time"));
	ck_assert(scope_top_import(p.idx, "sleep", &imp));
	ck_assert_str_eq(imp.qname, "time.sleep");
	ck_assert(imp.from);
	ck_assert(scope_name_used(p.idx, "aio"));
	ck_assert(!scope_name_used(p.idx, "_task"));
	release(&p);
	parse(&p, "from trio import sleep\n");
	ck_assert_int_eq(scope_runtime(p.idx), RUNTIME_TRIO);
	release(&p);
	parse(&p, "import asyncio\n");
	ck_assert_int_eq(scope_runtime(p.idx), RUNTIME_ASYNCIO);
	release(&p);
}
END_TEST

/* The unresolved names of `text`, joined by spaces. */
static void unresolved(struct buf *out, const char *text)
{
	struct parsed p;
	struct vec names = VEC_INIT(char *);

	parse(&p, text);
	scope_unresolved(p.idx, &names);
	buf_clear(out);
	for (size_t i = 0; i < names.len; i++) {
		buf_printf(out, "%s%s", i ? " " : "", *(char **)vec_at(&names, i));
		free(*(char **)vec_at(&names, i));
	}
	vec_release(&names);
	release(&p);
}

START_TEST(unresolved_names)
{
	struct buf b = BUF_INIT;

	unresolved(&b, "import asyncio\nasync def f():\n    await asyncio.sleep(len(x))\n");
	ck_assert_str_eq(buf_cstr(&b), "x");
	/* module level runs in order: a name used above its import is unresolved */
	unresolved(&b, "t: set[asyncio.Task] = set()\nimport asyncio\n");
	ck_assert_str_eq(buf_cstr(&b), "asyncio");
	/* a function body runs later: the import below it is seen */
	unresolved(&b, "def f():\n    return asyncio.Task\nimport asyncio\n");
	ck_assert_str_eq(buf_cstr(&b), "");
	/* class bodies run at import time and skip to the module from methods */
	unresolved(&b, "class A:\n    y = 1\n    z = q\n    def m(self):\n        return y\nq = 2\n");
	ck_assert_str_eq(buf_cstr(&b), "q y");
	/* parameters, comprehensions, walrus, except and with targets, global */
	unresolved(&b, "def f(a, *b, c=1, **d):\n    return [e for e in a], (g := 2), b, c, d\n"
		       "try:\n    pass\nexcept E as h:\n    h\nwith o as w:\n    w\n"
		       "def k():\n    global n\n    n = 1\nprint(__name__)\n");
	ck_assert_str_eq(buf_cstr(&b), "E o");
	/* counted once per reference */
	unresolved(&b, "def f():\n    u(u)\n");
	ck_assert_str_eq(buf_cstr(&b), "u u");
	buf_release(&b);
}
END_TEST

/* scope_variable_refs: the mentions of one variable, not of its namesakes. */
START_TEST(variable_refs)
{
	struct parsed p;
	uint32_t refs[8];
	int scope;

	parse(&p, "t = 0\n"
		  "async def f():\n    t = 1\n    def g():\n        return t\n    del t\n"
		  "async def h():\n    return t\n"
		  "def k():\n    global t\n    t = 2\n"
		  "def m():\n    t = 3\n    def n():\n        nonlocal t\n        t = 4\n"
		  "    return [t for _ in 'ab'], len\n");
	/* f's t: its binding, the read in g, the del */
	ck_assert_uint_eq(scope_variable_refs(p.idx, at(&p, "t = 1", 0), "t", 1, refs, 8,
					      &scope), 3);
	ck_assert_int_eq(scope_kind(p.idx, scope), SCOPE_ASYNC_FUNCTION);
	/* the module's t: its binding, h's read, k's global store */
	ck_assert_uint_eq(scope_variable_refs(p.idx, at(&p, "t = 0", 0), "t", 1, refs, 8,
					      &scope), 3);
	ck_assert_int_eq(scope, 0);
	/* m's t: its binding, n's nonlocal store, the comprehension's read */
	ck_assert_uint_eq(scope_variable_refs(p.idx, at(&p, "t = 3", 0), "t", 1, refs, 2,
					      &scope), 3);
	ck_assert_uint_eq(refs[0] != refs[1], 1);
	/* a builtin: nothing binds it */
	ck_assert_uint_eq(scope_variable_refs(p.idx, at(&p, "len", 0), "len", 3, refs, 8,
					      &scope), 0);
	ck_assert_int_eq(scope, -1);
	release(&p);
}
END_TEST

Suite *suite_scope(void)
{
	Suite *s = suite_create("scope");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, aliases);
	tcase_add_test(tc, shadowing);
	tcase_add_test(tc, class_and_global);
	tcase_add_test(tc, conditional_import_is_ambiguous);
	tcase_add_test(tc, contexts);
	tcase_add_test(tc, runtime_and_aliases);
	tcase_add_test(tc, unresolved_names);
	tcase_add_test(tc, variable_refs);
	suite_add_tcase(s, tc);
	return s;
}
