/*
 * check_edit: applying edits, overlap resolution, imports added and
 * dropped, and the verify step that drops fixes breaking the syntax.
 */
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "grammar.h"
#include "pipeline.h"
#include "query.h"
#include "tree.h"
#include "units.h"

static const struct transform dummy = { .code = "T1", .name = "t", .summary = "t" };

/* A parsed snippet with its scope index. */
struct snippet {
	struct source src;
	TSParser *parser;
	TSTree *tree;
	struct scope_index *scopes;
	struct vec findings;
};

static void snippet_init(struct snippet *s, const char *text)
{
	struct err err = ERR_INIT;
	struct vec findings = VEC_INIT(struct finding);

	ck_assert_int_eq(source_from_bytes(&s->src, "t.py", text, strlen(text), &err), 0);
	s->parser = ts_parser_new();
	ts_parser_set_language(s->parser, tree_sitter_python());
	s->tree = ts_parser_parse_string(s->parser, NULL, s->src.text, s->src.len);
	s->scopes = scope_index_new(s->tree, s->src.text, s->src.len);
	s->findings = findings;
}

static void snippet_release(struct snippet *s)
{
	for (size_t i = 0; i < s->findings.len; i++)
		rule_finding_release(vec_at(&s->findings, i));
	vec_release(&s->findings);
	scope_index_free(s->scopes);
	ts_tree_delete(s->tree);
	ts_parser_delete(s->parser);
	source_release(&s->src);
}

/* Adds a safe finding with one edit replacing the first occurrence of
 * `what` (searched from `from`) by `with`. */
static struct finding *add_fix(struct snippet *s, const char *what, const char *with)
{
	struct finding *f = vec_push(&s->findings);
	struct vec edits = VEC_INIT(struct edit), needs = VEC_INIT(struct need);
	const char *at = strstr(s->src.text, what);

	ck_assert_ptr_nonnull(at);
	f->rule = &dummy;
	f->message = strdup("m");
	f->fix = FIX_SAFE;
	f->edits = edits;
	f->needs = needs;
	f->start = (uint32_t)(at - s->src.text);
	f->end = f->start + (uint32_t)strlen(what);
	rule_edit(f, f->start, f->end, with);
	return f;
}

static char *apply(struct snippet *s)
{
	struct buf out = BUF_INIT;
	struct vec edits;

	fix_apply(&out, &edits, &s->src, s->tree, s->scopes, &s->findings, false, NULL);
	fix_edits_release(&edits);
	return buf_detach(&out);
}

START_TEST(splice_sorts)
{
	struct vec edits = VEC_INIT(struct edit);
	struct buf out = BUF_INIT;
	struct edit *e;

	e = vec_push(&edits);
	e->start = 4, e->end = 5, e->text = "X";
	e = vec_push(&edits);
	e->start = 0, e->end = 1, e->text = "Y";
	e = vec_push(&edits);
	e->start = 2, e->end = 2, e->text = "++";
	fix_splice(&out, "abcdef", 6, &edits);
	ck_assert_str_eq(buf_cstr(&out), "Yb++cdXf");
	buf_release(&out);
	vec_release(&edits);
}
END_TEST

START_TEST(overlap_loses_with_conflict)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "x = alpha_beta\n");
	add_fix(&s, "alpha_beta", "one");
	add_fix(&s, "beta", "two");
	out = apply(&s);
	ck_assert_str_eq(out, "x = one\n");
	ck_assert(((struct finding *)vec_at(&s.findings, 0))->applied);
	ck_assert(!((struct finding *)vec_at(&s.findings, 1))->applied);
	ck_assert_str_eq(((struct finding *)vec_at(&s.findings, 1))->reason, "conflict");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(identical_edits_are_shared)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "x = alpha\n");
	add_fix(&s, "alpha", "beta");
	add_fix(&s, "alpha", "beta");
	out = apply(&s);
	ck_assert_str_eq(out, "x = beta\n");
	ck_assert(((struct finding *)vec_at(&s.findings, 1))->applied);
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(unsafe_needs_the_flag)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "x = alpha\n");
	add_fix(&s, "alpha", "beta")->fix = FIX_UNSAFE;
	out = apply(&s);
	ck_assert_str_eq(out, "x = alpha\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(import_point)
{
	struct snippet s;

	snippet_init(&s, "#!/usr/bin/env python\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\nimport sys\n\nx = 1\nimport late\n");
	ck_assert_uint_eq(fix_import_point(&s.src, s.tree),
			  (uint32_t)(strstr(s.src.text, "\nx = 1") - s.src.text));
	snippet_release(&s);
	snippet_init(&s, "# licence\n# more\nx = 1\n");
	ck_assert_uint_eq(fix_import_point(&s.src, s.tree), 17);
	snippet_release(&s);
	snippet_init(&s, "x = 1\n");
	ck_assert_uint_eq(fix_import_point(&s.src, s.tree), 0);
	snippet_release(&s);
}
END_TEST

START_TEST(import_added_once_with_statement)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "\"\"\"Doc.\"\"\"\nimport os\n\nx = alpha\ny = gamma\n");
	rule_need(add_fix(&s, "alpha", "a"), NEED_IMPORT, "asyncio");
	rule_need(add_fix(&s, "gamma", "g"), NEED_IMPORT, "asyncio");
	rule_need(vec_at(&s.findings, 1), NEED_STATEMENT, "_s = set()");
	out = apply(&s);
	ck_assert_str_eq(out, "\"\"\"Doc.\"\"\"\nimport os\nimport asyncio\n\n_s = set()\n\nx = a\ny = g\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(import_added_before_code)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "x = alpha\n");
	rule_need(add_fix(&s, "alpha", "a"), NEED_IMPORT, "asyncio");
	out = apply(&s);
	ck_assert_str_eq(out, "import asyncio\n\nx = a\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(unused_import_dropped)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "import time\nimport os\n\ntime.sleep(1)\n");
	rule_need(add_fix(&s, "time.sleep", "pause"), NEED_DROP, "time");
	out = apply(&s);
	ck_assert_str_eq(out, "import os\n\npause(1)\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(used_import_kept)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "import time\n\ntime.sleep(1)\ntime.monotonic()\n");
	rule_need(add_fix(&s, "time.sleep", "pause"), NEED_DROP, "time");
	out = apply(&s);
	ck_assert_str_eq(out, "import time\n\npause(1)\ntime.monotonic()\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(import_named_in_all_kept)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "import time\n__all__ = ['time']\ntime.sleep(1)\n");
	rule_need(add_fix(&s, "time.sleep", "pause"), NEED_DROP, "time");
	out = apply(&s);
	ck_assert_str_eq(out, "import time\n__all__ = ['time']\npause(1)\n");
	free(out);
	snippet_release(&s);
	/* an `__all__` that does not name it exports nothing of it */
	snippet_init(&s, "import time\n__all__ = ['x']\ntime.sleep(1)\n");
	rule_need(add_fix(&s, "time.sleep", "pause"), NEED_DROP, "time");
	out = apply(&s);
	ck_assert_str_eq(out, "__all__ = ['x']\npause(1)\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(from_import_item_dropped)
{
	struct snippet s;
	char *out;

	snippet_init(&s, "from time import sleep, monotonic\nfrom os import (sep, getcwd)\n\nsleep(1)\nmonotonic()\ngetcwd()\n");
	rule_need(add_fix(&s, "sleep(1)", "pause(1)"), NEED_DROP, "sleep");
	rule_need(add_fix(&s, "getcwd()\n", "cwd()\n"), NEED_FORCE_DROP, "getcwd");
	out = apply(&s);
	ck_assert_str_eq(out, "from time import monotonic\nfrom os import (sep)\n\npause(1)\nmonotonic()\ncwd()\n");
	free(out);
	snippet_release(&s);
}
END_TEST

/* A transform whose fix breaks the syntax: `boom` -> `boom(`. */
static int break_check(struct rule_ctx *ctx, const TSQueryMatch *m);

static const char *const break_tokens[] = { "boom", NULL };
static const struct transform breaker = {
	.code = "T2",
	.name = "breaker",
	.summary = "breaks things",
	.fix = FIX_SAFE,
	.query = "((identifier) @ref (#eq? @ref \"boom\"))",
	.tokens = break_tokens,
	.check = break_check,
};

static int break_check(struct rule_ctx *ctx, const TSQueryMatch *m)
{
	TSNode ref = rule_capture(ctx, m, "ref");
	struct finding *f = rule_report(ctx, &breaker, ref, "boom");

	rule_edit(f, ts_node_start_byte(ref), ts_node_end_byte(ref), "boom(");
	return 0;
}

/* Runs `rule` alone over `text` in memory, in `mode`. */
static void run_one_rule(const struct transform *rule, enum pipeline_mode mode, const char *text,
			 struct file_result *res, struct buf *out)
{
	const struct transform *rules[] = { rule };
	struct pipeline_config cfg = { 0 };
	struct pipeline_worker *w;
	struct query *q;
	struct err err = ERR_INIT;

	ck_assert_int_eq(query_new(&q, rules, 1, &err), 0);
	cfg.query = q;
	cfg.tokens = rule->tokens;
	cfg.mode = mode;
	cfg.target_minor = 11;
	w = pipeline_worker_new(&cfg);
	pipeline_run_text(w, "t.py", text, strlen(text), NULL, res, out);
	pipeline_worker_free(w);
	query_free(q);
}

START_TEST(broken_fix_is_dropped)
{
	struct file_result res;
	struct buf out = BUF_INIT;
	const struct finding *f;

	run_one_rule(&breaker, MODE_DIFF, "x = boom\n", &res, &out);
	ck_assert_uint_eq(res.findings.len, 1);
	f = vec_at(&res.findings, 0);
	ck_assert(!f->applied);
	ck_assert_str_eq(f->reason, "fix-broke-syntax");
	ck_assert_str_eq(buf_cstr(&out), "x = boom\n");
	ck_assert_ptr_null(res.diff);
	pipeline_result_release(&res);
	buf_release(&out);
}
END_TEST

/* A transform that renames callees: `first` -> `print` (a builtin),
 * `second` -> `nowhere` (bound nowhere), `a1` -> `a2` -> `a3`. */
static int rename_check(struct rule_ctx *ctx, const TSQueryMatch *m);

static const char *const rename_tokens[] = { "first", "second", "a1", "a2", NULL };
static const struct transform renamer = {
	.code = "T3",
	.name = "renamer",
	.summary = "renames things",
	.fix = FIX_SAFE,
	.query = "((identifier) @ref (#match? @ref \"^(first|second|a1|a2)$\"))",
	.tokens = rename_tokens,
	.check = rename_check,
};

static int rename_check(struct rule_ctx *ctx, const TSQueryMatch *m)
{
	TSNode ref = rule_capture(ctx, m, "ref");
	const char *text = ctx->src->text + ts_node_start_byte(ref);
	const char *to = !strncmp(text, "first", 5) ? "print" :
			 !strncmp(text, "second", 6) ? "nowhere" :
			 !strncmp(text, "a1", 2) ? "a2" : "a3";
	struct finding *f;

	if (!strcmp(ts_node_type(ts_node_parent(ref)), "assignment"))
		return 0;	/* the bindings stay */
	f = rule_report(ctx, &renamer, ref, "rename");
	rule_edit(f, ts_node_start_byte(ref), ts_node_end_byte(ref), to);
	return 0;
}

START_TEST(fix_leaving_a_name_unresolved_is_dropped)
{
	struct file_result res;
	struct buf out = BUF_INIT;
	const struct finding *f;

	run_one_rule(&renamer, MODE_COMMIT, "first()\nsecond()\n", &res, &out);
	ck_assert_str_eq(buf_cstr(&out), "print()\nsecond()\n");
	ck_assert_uint_eq(res.findings.len, 2);
	f = vec_at(&res.findings, 0);
	ck_assert(f->applied);
	f = vec_at(&res.findings, 1);
	ck_assert(!f->applied);
	ck_assert_str_eq(f->reason, "fix-broke-names");
	ck_assert_uint_eq(res.fixed, 1);
	pipeline_result_release(&res);
	buf_release(&out);
}
END_TEST

START_TEST(fix_runs_until_nothing_changes)
{
	struct file_result res;
	struct buf out = BUF_INIT;

	run_one_rule(&renamer, MODE_COMMIT, "a1 = 1\na2 = 2\na3 = 3\nprint(a1)\n", &res, &out);
	ck_assert_str_eq(buf_cstr(&out), "a1 = 1\na2 = 2\na3 = 3\nprint(a3)\n");
	ck_assert_uint_eq(res.fixed, 2);
	ck_assert_uint_eq(res.findings.len, 2);
	ck_assert(((struct finding *)vec_at(&res.findings, 0))->applied);
	ck_assert(((struct finding *)vec_at(&res.findings, 1))->applied);
	pipeline_result_release(&res);
	buf_release(&out);
}
END_TEST

/* The rule context of a snippet, for the layout helpers. */
static struct rule_ctx snippet_ctx(struct snippet *s)
{
	struct rule_ctx ctx = { 0 };

	ctx.src = &s->src;
	ctx.tree = s->tree;
	ctx.scopes = s->scopes;
	ctx.findings = &s->findings;
	return ctx;
}

static char *indent_unit_of(const char *text)
{
	struct snippet s;
	struct rule_ctx ctx;
	struct buf out = BUF_INIT;

	snippet_init(&s, text);
	ctx = snippet_ctx(&s);
	rule_indent_unit(&ctx, &out);
	snippet_release(&s);
	return buf_detach(&out);
}

START_TEST(indent_unit_detected)
{
	char *u;

	u = indent_unit_of("if x:\n  y = 1\n");
	ck_assert_str_eq(u, "  ");
	free(u);
	u = indent_unit_of("class A:\n\tdef f(self):\n\t\tpass\n");
	ck_assert_str_eq(u, "\t");
	free(u);
	/* a one-line block says nothing; the next block does */
	u = indent_unit_of("if x: pass\ndef f():\n        return 1\n");
	ck_assert_str_eq(u, "        ");
	free(u);
	u = indent_unit_of("x = 1\n");
	ck_assert_str_eq(u, "    ");
	free(u);
}
END_TEST

START_TEST(reindent_skips_strings_and_blanks)
{
	struct snippet s;
	struct rule_ctx ctx;
	struct finding *f;
	char *out;
	const char *text = "def f():\n    x = '''a\nb'''\n\n    y = (1,\n2)\n    return x\n";

	snippet_init(&s, text);
	ctx = snippet_ctx(&s);
	f = add_fix(&s, "return", "return");
	rule_reindent(&ctx, f, (uint32_t)(strstr(text, "    x") - text),
		      (uint32_t)(strstr(text, "    return") - text), "  ");
	out = apply(&s);
	ck_assert_str_eq(out, "def f():\n      x = '''a\nb'''\n\n      y = (1,\n  2)\n    return x\n");
	free(out);
	snippet_release(&s);
}
END_TEST

START_TEST(dedent_removes_one_unit)
{
	struct snippet s;
	struct rule_ctx ctx;
	struct finding *f;
	char *out;
	const char *text = "def f():\n    if a:\n        x = '''\n        k'''\n        g(1,\n  2)\n";

	snippet_init(&s, text);
	ctx = snippet_ctx(&s);
	f = add_fix(&s, "    if a:\n", "");
	rule_dedent(&ctx, f, (uint32_t)(strstr(text, "        x") - text), (uint32_t)strlen(text),
		    "    ");
	out = apply(&s);
	ck_assert_str_eq(out, "def f():\n    x = '''\n        k'''\n    g(1,\n2)\n");
	free(out);
	snippet_release(&s);
}
END_TEST

/* A parse does not depend on the one before: after a text that ends in
 * an open f-string (the scanner's state says "inside an f-string"), a
 * text parses as it does with a new parser. Then the pipeline gives a
 * file the same findings whatever its worker read before. */
START_TEST(parse_has_no_memory)
{
	static const char *const before[] = { "x = f\"{a\n", "x = f'''{\n", "f\"{f'{\n", "(\n" };
	const char *text = "async def fetch(x):\n    return x\n";
	TSParser *fresh = ts_parser_new(), *used = ts_parser_new();
	TSTree *want, *got;
	char *a, *b;

	ts_parser_set_language(fresh, tree_sitter_python());
	ts_parser_set_language(used, tree_sitter_python());
	want = tree_parse(fresh, text, (uint32_t)strlen(text));
	a = ts_node_string(ts_tree_root_node(want));
	for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
		ts_tree_delete(tree_parse(used, before[i], (uint32_t)strlen(before[i])));
		got = tree_parse(used, text, (uint32_t)strlen(text));
		b = ts_node_string(ts_tree_root_node(got));
		ck_assert_str_eq(b, a);
		free(b);
		ts_tree_delete(got);
	}
	free(a);
	ts_tree_delete(want);
	ts_parser_delete(fresh);
	ts_parser_delete(used);
}
END_TEST

/* tree_parent() of a null node is a null node, not a crash. */
START_TEST(parent_of_nothing)
{
	TSNode none = { { 0 }, NULL, NULL };

	ck_assert(ts_node_is_null(tree_parent(none)));
	ck_assert(ts_node_is_null(tree_parent(tree_parent(none))));
}
END_TEST

Suite *suite_edit(void)
{
	Suite *s = suite_create("edit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, splice_sorts);
	tcase_add_test(tc, parse_has_no_memory);
	tcase_add_test(tc, parent_of_nothing);
	tcase_add_test(tc, overlap_loses_with_conflict);
	tcase_add_test(tc, identical_edits_are_shared);
	tcase_add_test(tc, unsafe_needs_the_flag);
	tcase_add_test(tc, import_point);
	tcase_add_test(tc, import_added_once_with_statement);
	tcase_add_test(tc, import_added_before_code);
	tcase_add_test(tc, unused_import_dropped);
	tcase_add_test(tc, used_import_kept);
	tcase_add_test(tc, from_import_item_dropped);
	tcase_add_test(tc, import_named_in_all_kept);
	tcase_add_test(tc, broken_fix_is_dropped);
	tcase_add_test(tc, fix_leaving_a_name_unresolved_is_dropped);
	tcase_add_test(tc, fix_runs_until_nothing_changes);
	tcase_add_test(tc, indent_unit_detected);
	tcase_add_test(tc, reindent_skips_strings_and_blanks);
	tcase_add_test(tc, dedent_removes_one_unit);
	suite_add_tcase(s, tc);
	return s;
}
