/*
 * check_query: the combined query and its predicates.
 */
#include <string.h>

#include "grammar.h"
#include "query.h"
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
	const struct query *q;
	struct query_env *env;
	const char *code;
	int hits;
};

/* A match from query_imported_matches(): its predicates must hold too. */
static void tally_imported(void *arg, const TSQueryMatch *m)
{
	struct tally *t = arg;
	const struct transform *owner = query_rule(t->q, m->pattern_index);

	ck_assert(query_match_ok(t->q, m, t->env));
	if (!strcmp(owner->code, t->code))
		t->hits++;
}

static const struct scope_index *scopes_for(void *arg)
{
	return arg;
}

/* Counts matches per owning transform code over `src`. */
static int count(const struct transform *const *rules, size_t n, const char *src,
		 const char *code)
{
	struct query *q;
	struct err err = ERR_INIT;
	TSParser *parser = ts_parser_new();
	TSTree *tree;
	TSQueryCursor *cur = ts_query_cursor_new();
	TSQueryMatch m;
	struct scope_index *idx;
	struct query_env env;
	int hits = 0;

	text = src;
	ts_parser_set_language(parser, tree_sitter_python());
	tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)strlen(src));
	idx = scope_index_new(tree, src, (uint32_t)strlen(src));
	env.text = src;
	env.scopes = scopes_for;
	env.arg = idx;
	env.match_data = query_match_data_new();
	ck_assert_int_eq(query_new(&q, rules, n, &err), 0);
	ts_query_cursor_exec(cur, query_ts(q), ts_tree_root_node(tree));
	while (ts_query_cursor_next_match(cur, &m)) {
		const struct transform *t = query_rule(q, m.pattern_index);

		owner_seen = t;
		if (query_match_ok(q, &m, &env) && !strcmp(t->code, code))
			hits++;
	}
	{
		struct tally t = { q, &env, code, 0 };

		query_imported_matches(q, ts_tree_root_node(tree), &env, tally_imported, &t);
		hits += t.hits;
	}
	query_match_data_free(env.match_data);
	query_free(q);
	scope_index_free(idx);
	ts_query_cursor_delete(cur);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return hits;
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

START_TEST(pattern_owners)
{
	const struct transform *two[] = { &t_eq, &t_any };
	struct query *q;
	struct err err = ERR_INIT;

	ck_assert_int_eq(query_new(&q, two, 2, &err), 0);
	ck_assert_ptr_eq(query_rule(q, 0), &t_eq);
	ck_assert_ptr_eq(query_rule(q, 1), &t_any);
	ck_assert_ptr_null(query_rule(q, 2));
	query_free(q);
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
	suite_add_tcase(s, tc);
	return s;
}
