/*
 * check_query: the combined query and its predicates.
 */
#include <string.h>

#include "grammar.h"
#include "query.h"
#include "tokens.h"
#include "units.h"

static const struct transform *owner_seen;

static int noop(struct rule_ctx *ctx, const TSQueryMatch *m)
{
	return 0;
}

#define T(c, q) { .code = c, .name = c, .summary = c, .query = q, .check = noop }

static const struct transform t_eq = T("Q1", "((identifier) @x (#eq? @x \"alpha\"))");
static const struct transform t_not_eq = T("Q2", "((identifier) @x (#not-eq? @x \"alpha\"))");
static const struct transform t_match = T("Q3", "((identifier) @x (#match? @x \"^a.*a$\"))");
static const struct transform t_not_match = T("Q4", "((identifier) @x (#not-match? @x \"a\"))");
static const struct transform t_any = T("Q5", "((identifier) @x (#any-of? @x \"beta\" \"gamma\"))");
static const struct transform t_imports = T("Q6", "((identifier) @x (#imports? @x \"time.sleep\"))");
/* the same predicate in a pattern of another shape: the cursor runs it */
static const struct transform t_imports_call =
	T("Q8", "(call function: (identifier) @f (#imports? @f \"time.sleep\" \"os.remove\"))");
static const struct transform t_imports_two =
	T("Q9", "((identifier) @x (#imports? @x \"os.remove\" \"time.sleep\"))");
static const struct transform t_eq_cap =
	T("Q7", "((assignment left: (identifier) @a right: (identifier) @b) (#eq? @a @b))");

static const char *text;

struct tally {
	const char *code;
	int hits;
	bool only_first;	/* wanted() refuses every rule but the first seen */
	const struct transform *first;
};

static bool tally_wanted(void *arg, const struct transform *rule)
{
	struct tally *t = arg;

	if (!t->first)
		t->first = rule;
	return !t->only_first || rule == t->first;
}

static void tally_match(void *arg, const TSQuery *ts, const TSQueryMatch *m,
			const struct transform *rule)
{
	struct tally *t = arg;

	owner_seen = rule;
	ck_assert_uint_gt(ts_query_pattern_count(ts), m->pattern_index);
	if (!strcmp(rule->code, t->code))
		t->hits++;
}

static const struct scope_index *scopes_for(void *arg)
{
	return arg;
}

/* Counts the matches of the rule `code` over `src`, with the patterns of
 * in_async_def rules over the whole tree when `whole`. */
static int count_in(const struct transform *const *rules, size_t n, const char *src,
		    const char *code, bool whole)
{
	struct query *q;
	struct err err = ERR_INIT;
	TSParser *parser = ts_parser_new();
	TSTree *tree;
	TSQueryCursor *cur = ts_query_cursor_new();
	struct scope_index *idx;
	struct query_env env;
	struct tally t = { code, 0, false, NULL };
	struct query_sink sink = { tally_wanted, tally_match, &t };

	text = src;
	ts_parser_set_language(parser, tree_sitter_python());
	tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)strlen(src));
	idx = scope_index_new(tree, src, (uint32_t)strlen(src));
	env.text = src;
	env.len = strlen(src);
	env.scopes = scopes_for;
	env.arg = idx;
	env.match_data = query_match_data_new();
	env.found = NULL;
	ck_assert_int_eq(query_new(&q, rules, n, &err), 0);
	query_run(q, cur, ts_tree_root_node(tree), &env, whole, &sink);
	query_match_data_free(env.match_data);
	query_free(q);
	scope_index_free(idx);
	ts_query_cursor_delete(cur);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return t.hits;
}

static int count(const struct transform *const *rules, size_t n, const char *src,
		 const char *code)
{
	return count_in(rules, n, src, code, false);
}

static const char *const SRC = "from time import sleep as zz\nalpha = beta\nalpha2 = gamma\narea = zz\nx = x\n";

START_TEST(predicates)
{
	const struct transform *all[] = { &t_eq, &t_not_eq, &t_match, &t_not_match, &t_any,
					  &t_imports, &t_eq_cap };
	size_t n = sizeof(all) / sizeof(all[0]);
	/* identifiers: time sleep zz alpha beta alpha2 gamma area zz x x */
	ck_assert_int_eq(count(all, n, SRC, "Q1"), 1);
	ck_assert_int_eq(count(all, n, SRC, "Q2"), 10);
	ck_assert_int_eq(count(all, n, SRC, "Q3"), 2);	/* alpha, area */
	ck_assert_int_eq(count(all, n, SRC, "Q4"), 6);	/* time sleep zz zz x x */
	ck_assert_int_eq(count(all, n, SRC, "Q5"), 2);
	ck_assert_int_eq(count(all, n, SRC, "Q6"), 2);	/* both zz */
	ck_assert_int_eq(count(all, n, SRC, "Q7"), 1);	/* x = x */
}
END_TEST

/* ((identifier) @x (#imports? ...)) runs outside the cursor: the same
 * identifiers as the cursor finds for the same predicate elsewhere. */
START_TEST(imported_patterns)
{
	static const char *const src = "from time import sleep as zz\nfrom os import remove\n"
				       "import time\nzz(1)\nremove(zz)\ndef f(remove):\n"
				       "    remove(2)\nsleep(3)\n";
	const struct transform *all[] = { &t_imports, &t_imports_call, &t_imports_two };
	const struct transform *none[] = { &t_imports };
	size_t n = sizeof(all) / sizeof(all[0]);

	/* zz twice (the import's `zz` is an alias node too), remove four
	 * times (the predicate looks at the name, not at the scope) */
	ck_assert_int_eq(count(all, n, src, "Q6"), 3);
	ck_assert_int_eq(count(all, n, src, "Q8"), 3);	/* zz(1) remove(zz) remove(2) */
	ck_assert_int_eq(count(all, n, src, "Q9"), 7);
	ck_assert_int_eq(count(none, 1, "import time\ntime.sleep(1)\nsleep(2)\n", "Q6"), 0);
}
END_TEST

START_TEST(bad_queries)
{
	static const struct transform bad_re = T("B1", "((identifier) @x (#match? @x \"(\"))");
	static const struct transform bad_pred = T("B2", "((identifier) @x (#frob? @x \"a\"))");
	static const struct transform bad_node = T("B3", "(no_such_node) @x");
	const struct transform *one[1];
	struct query *q;
	struct err err = ERR_INIT;

	one[0] = &bad_re;
	ck_assert_int_eq(query_new(&q, one, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "B1"));
	one[0] = &bad_pred;
	ck_assert_int_eq(query_new(&q, one, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "frob"));
	one[0] = &bad_node;
	ck_assert_int_eq(query_new(&q, one, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown node type"));
}
END_TEST

/* A match names the rule whose .scm holds its pattern. */
START_TEST(pattern_owners)
{
	const struct transform *two[] = { &t_eq, &t_any };

	owner_seen = NULL;
	ck_assert_int_eq(count(two, 2, "alpha = 1\n", "Q1"), 1);
	ck_assert_ptr_eq(owner_seen, &t_eq);
	ck_assert_int_eq(count(two, 2, "beta = 1\n", "Q5"), 1);
	ck_assert_ptr_eq(owner_seen, &t_any);
}
END_TEST

static const struct transform t_async_call = {
	.code = "A1", .name = "A1", .summary = "A1", .in_async_def = true, .check = noop,
	.query = "(call function: (identifier) @f (#eq? @f \"go\")) @c",
};
static const struct transform t_async_imported = {
	.code = "A2", .name = "A2", .summary = "A2", .in_async_def = true, .check = noop,
	.query = "((identifier) @x (#imports? @x \"time.sleep\"))",
};
static const struct transform t_whole_call = T("W1", "(call function: (identifier) @f (#eq? @f \"go\")) @c");

/* The patterns of an in_async_def rule run over the outermost async defs
 * alone: each call inside one once (nested defs are not run twice), none
 * outside; with `whole`, over everything. */
START_TEST(async_def_patterns)
{
	static const char *const src =
		"from time import sleep\n"
		"go()\nsleep(1)\n"
		"def f():\n    go()\n    async def g():\n        go()\n        sleep(1)\n"
		"async def h():\n    go()\n    def i():\n        go()\n"
		"        async def j():\n            go(go())\n    sleep(2)\n"
		"class C:\n    async def k(self):\n        go()\n    go()\n"
		"@go()\nasync def m():\n    pass\n";
	const struct transform *all[] = { &t_async_call, &t_async_imported, &t_whole_call };
	const struct transform *async_only[] = { &t_async_call };

	ck_assert_int_eq(count(all, 3, src, "W1"), 10);
	ck_assert_int_eq(count(all, 3, src, "A1"), 6);	/* in g, h (4), k */
	ck_assert_int_eq(count_in(all, 3, src, "A1", true), 10);
	ck_assert_int_eq(count(async_only, 1, src, "A1"), 6);
	/* the import's `sleep` and the call at module level are outside */
	ck_assert_int_eq(count(all, 3, src, "A2"), 2);
	ck_assert_int_eq(count_in(all, 3, src, "A2", true), 4);
	ck_assert_int_eq(count(all, 3, "go()\n", "A1"), 0);
}
END_TEST

static const char *const gate_tokens[] = { "go", NULL };
static const char *const async_gate_tokens[] = { "sleep", NULL };
static const struct transform t_gated = {
	.code = "G1", .name = "G1", .summary = "G1", .tokens = gate_tokens, .check = noop,
	.query = "(call function: (identifier) @f) @c",
};
static const struct transform t_async_gated = {
	.code = "G2", .name = "G2", .summary = "G2", .tokens = async_gate_tokens,
	.in_async_def = true, .check = noop,
	.query = "(call function: (identifier) @f) @c",
};

/* A rule runs only on text holding one of its tokens; one that reports
 * only in async defs, only where `async` is there too. */
START_TEST(token_gates)
{
	const struct transform *both[] = { &t_gated, &t_async_gated };
	const struct transform *async_only[] = { &t_async_gated };
	struct query *q;
	struct err err = ERR_INIT;

	ck_assert_int_eq(count(both, 2, "stop()\n", "G1"), 0);
	ck_assert_int_eq(count_in(both, 2, "stop()\n", "G1", true), 1);
	ck_assert_int_eq(count(both, 2, "go()\nstop()\n", "G1"), 2);
	ck_assert_int_eq(count(both, 2, "async def f():\n    stop()\n", "G2"), 0);
	ck_assert_int_eq(count(both, 2, "async def f():\n    sleep()\n", "G2"), 1);
	/* the async defs are found with no token of the other part */
	ck_assert_int_eq(count(async_only, 1, "async def f():\n    sleep()\n", "G2"), 1);
	ck_assert_int_eq(query_new(&q, both, 2, &err), 0);
	ck_assert(!query_may_match(q, "stop()", 6, NULL));
	ck_assert(query_may_match(q, "go()", 4, NULL));
	ck_assert(!query_may_match(q, "sleep()", 7, NULL));
	ck_assert(!query_may_match(q, "async = 1", 9, NULL));
	ck_assert(query_may_match(q, "async def f(): sleep()", 22, NULL));
	query_free(q);
}
END_TEST

/* wanted() is asked first: a rule it refuses gets no match. */
START_TEST(unwanted_rules)
{
	const struct transform *two[] = { &t_eq, &t_any };
	struct query *q;
	struct err err = ERR_INIT;
	TSParser *parser = ts_parser_new();
	TSQueryCursor *cur = ts_query_cursor_new();
	const char *src = "alpha = beta\n";
	TSTree *tree;
	struct tally t = { "Q5", 0, true, NULL };
	struct query_sink sink = { tally_wanted, tally_match, &t };
	struct query_env env = { src, strlen(src), scopes_for, NULL, query_match_data_new() };

	ts_parser_set_language(parser, tree_sitter_python());
	tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)strlen(src));
	ck_assert_int_eq(query_new(&q, two, 2, &err), 0);
	query_run(q, cur, ts_tree_root_node(tree), &env, false, &sink);
	ck_assert_ptr_eq(t.first, &t_eq);
	ck_assert_int_eq(t.hits, 0);
	query_match_data_free(env.match_data);
	query_free(q);
	ts_query_cursor_delete(cur);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
}
END_TEST

/* tokens: words found wherever they start, at the end of the text too,
 * of one, two, three or more bytes; a word not there is not found. */
START_TEST(token_scan)
{
	static const char *const words[] = { "sleep", "os", "run", "x", "asyncio.gather", "zz" };
	struct tokens *t = tokens_new();
	struct tokens_found f;
	int at[6];
	const char *text = "import os\nasyncio.gather(run())\nsleep";

	for (size_t i = 0; i < 6; i++)
		at[i] = tokens_add(t, words[i]);
	ck_assert_int_eq(tokens_add(t, "os"), at[1]);
	tokens_scan(t, text, strlen(text), &f);
	ck_assert(tokens_has(&f, at[0]));	/* the last bytes */
	ck_assert(tokens_has(&f, at[1]));
	ck_assert(tokens_has(&f, at[2]));
	ck_assert(!tokens_has(&f, at[3]));	/* no `x` in it */
	ck_assert(tokens_has(&f, at[4]));
	ck_assert(!tokens_has(&f, at[5]));
	tokens_scan(t, "sleeq slee", 10, &f);
	ck_assert(!tokens_has(&f, at[0]));
	ck_assert(!tokens_full(t));
	for (int i = 0; i < TOKENS_MAX; i++)
		tokens_add(t, words[i % 6]);	/* repeats take no room */
	ck_assert(!tokens_full(t));
	tokens_free(t);
}
END_TEST

Suite *suite_query(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, predicates);
	tcase_add_test(tc, imported_patterns);
	tcase_add_test(tc, bad_queries);
	tcase_add_test(tc, pattern_owners);
	tcase_add_test(tc, async_def_patterns);
	tcase_add_test(tc, unwanted_rules);
	tcase_add_test(tc, token_gates);
	tcase_add_test(tc, token_scan);
	suite_add_tcase(s, tc);
	return s;
}
