/*
 * partial_parse: what parsing only part of each file could save (a
 * measurement, not a feature). For every file that passes the prefilter of
 * the selected rules it times, on one reused parser, the whole-file parse
 * against a parse restricted with ts_parser_set_included_ranges() to the
 * top-level statements that could matter: those whose bytes hold a token
 * of a selected rule (the prefilter's test, per statement), every import,
 * `global` statement and top-level expression statement (assignments).
 * The statements are found from the whole-file tree, so the restricted set
 * is the most a splitter could ever keep out: a lower bound on what a real
 * partial parse would have to read (the scope index reads more, see
 * pipeline.c's parse step).
 *
 *   bench/partial_parse [--select CODE,...] PATH...
 *
 * Prints files, bytes and parse CPU (process CPU time around the parse
 * calls only, median of 3 rounds) of both, how many restricted trees came
 * out with a syntax error the whole tree has not, and how many hold
 * top-level statements other than the whole tree's inside the regions
 * (compared node for node, with their byte offsets, in the first round).
 *
 * What tree-sitter-python's indentation scanner does with included ranges
 * (tried while writing this): regions made of whole lines of whole
 * top-level statements give the same statements as the whole tree, at the
 * same offsets. Other cuts go wrong, mostly without an ERROR node: a def
 * whose body is left out parses with an empty block; a method kept
 * without its class header parses as a top-level function; a region
 * ending on the line of a closing triple quote, before a comment on that
 * line, cuts the string (that one shows as an error). Only whole lines of
 * whole top-level statements are safe.
 *
 * Why asyncmod does not parse this way: the scope index is built for
 * nearly every file past the prefilter (any match of a rule's query builds
 * it), and it answers from every binding and reference of the file:
 * scope_count_refs() decides whether a fix may drop an import that another
 * function still uses (fix.c), scope_name_used() picks a name no code
 * uses (rule.c), scope_unresolved() is the base verify.c compares the
 * fixed text with, and a `pytest.mark.trio` on any test sets the runtime.
 * Left-out statements change those answers, and with them findings and
 * fixes.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grammar.h"
#include "../src/tree.h"
#include "source.h"
#include "vec.h"
#include "walk.h"
#include "../transforms/table.h"

#define ROUNDS 3

struct totals {
	size_t files, bytes, kept, broken, differ, skipped;
	double whole, part;
	bool compare;		/* compare the trees (first round only) */
};

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool selected(const char *select, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = select; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, code, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return !select;
}

static void collect_tokens(struct vec *toks, const char *select)
{
	for (size_t i = 0; i < transform_count; i++) {
		const struct transform *t = transform_table[i];

		for (size_t k = 0; selected(select, t->code) && t->tokens && t->tokens[k]; k++)
			*(const char **)vec_push(toks) = t->tokens[k];
	}
}

static bool holds_token(const struct vec *toks, const char *text, size_t len)
{
	for (size_t i = 0; i < toks->len; i++) {
		const char *t = *(const char **)vec_at(toks, i);

		if (memmem(text, len, t, strlen(t)))
			return true;
	}
	return false;
}

static bool always_kept(TSNode n)
{
	static const char *const kinds[] = { "import_statement", "import_from_statement",
					     "future_import_statement", "global_statement",
					     "expression_statement" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(ts_node_type(n), kinds[i]))
			return true;
	return false;
}

static TSPoint point_at(const struct source *src, uint32_t at)
{
	TSPoint p = { 0, 0 };

	for (uint32_t b = 0; b < at; b++) {
		if (src->text[b] == '\n') {
			p.row++;
			p.column = 0;
		} else {
			p.column++;
		}
	}
	return p;
}

/* The whole lines of the top-level statements worth parsing, merged. A
 * statement's region runs from the start of its first line to the end of
 * its last: a comment after a closing `"""` belongs with it. */
static void regions(const struct source *src, TSNode root, const struct vec *toks,
		    struct vec *out)
{
	uint32_t n = ts_node_child_count(root);

	for (uint32_t k = 0; k < n; k++) {
		TSNode c = ts_node_child(root, k);
		uint32_t s = ts_node_start_byte(c), e = ts_node_end_byte(c);
		TSRange *last = out->len ? vec_at(out, out->len - 1) : NULL;

		while (s > 0 && src->text[s - 1] != '\n')
			s--;
		while (e < src->len && e > 0 && src->text[e - 1] != '\n')
			e++;
		if (last && s < last->end_byte)
			s = last->end_byte;
		if (e <= s || (!always_kept(c) && !holds_token(toks, src->text + s, e - s)))
			continue;
		if (last && last->end_byte == s) {
			last->end_byte = e;
			continue;
		}
		last = vec_push(out);
		last->start_byte = s;
		last->end_byte = e;
	}
	for (size_t i = 0; i < out->len; i++) {
		TSRange *r = vec_at(out, i);

		r->start_point = point_at(src, r->start_byte);
		r->end_point = point_at(src, r->end_byte);
	}
}

static bool inside(const struct vec *ranges, TSNode n)
{
	for (size_t i = 0; i < ranges->len; i++) {
		const TSRange *r = vec_at(ranges, i);

		if (ts_node_start_byte(n) >= r->start_byte && ts_node_end_byte(n) <= r->end_byte)
			return true;
	}
	return false;
}

/* Whether the restricted tree holds exactly the whole tree's top-level
 * statements inside the regions, node for node and byte for byte. */
static bool same_statements(TSNode whole, TSNode part, const struct vec *ranges)
{
	uint32_t n = ts_node_child_count(whole), k = 0, m = ts_node_child_count(part);

	for (uint32_t i = 0; i < n; i++) {
		TSNode a = ts_node_child(whole, i), b;
		char *x, *y;
		bool same;

		if (!inside(ranges, a))
			continue;
		if (k >= m)
			return false;
		b = ts_node_child(part, k++);
		if (ts_node_start_byte(a) != ts_node_start_byte(b) ||
		    ts_node_end_byte(a) != ts_node_end_byte(b))
			return false;
		x = ts_node_string(a);
		y = ts_node_string(b);
		same = !strcmp(x, y);
		free(x);
		free(y);
		if (!same)
			return false;
	}
	return k == m;
}

static void measure(TSParser *parser, const struct source *src, const struct vec *toks,
		    struct totals *t)
{
	struct vec ranges = VEC_INIT(TSRange);
	double t0 = cpu_now();
	TSTree *tree = tree_parse(parser, src->text, src->len);
	TSTree *part;

	t->whole += cpu_now() - t0;
	t->files++;
	t->bytes += src->len;
	if (!tree || ts_node_has_error(ts_tree_root_node(tree))) {
		t->skipped++;
		ts_tree_delete(tree);
		return;
	}
	regions(src, ts_tree_root_node(tree), toks, &ranges);
	for (size_t i = 0; i < ranges.len; i++)
		t->kept += ((TSRange *)vec_at(&ranges, i))->end_byte -
			   ((TSRange *)vec_at(&ranges, i))->start_byte;
	if (ranges.len && ts_parser_set_included_ranges(parser, ranges.items, (uint32_t)ranges.len)) {
		t0 = cpu_now();
		part = tree_parse(parser, src->text, src->len);
		t->part += cpu_now() - t0;
		if (!part || ts_node_has_error(ts_tree_root_node(part)))
			t->broken++;
		else if (t->compare && !same_statements(ts_tree_root_node(tree),
							ts_tree_root_node(part), &ranges))
			t->differ++;
		ts_tree_delete(part);
		ts_parser_set_included_ranges(parser, NULL, 0);
	}
	ts_tree_delete(tree);
	vec_release(&ranges);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct vec files = VEC_INIT(char *), errors = VEC_INIT(char *);
	struct vec toks = VEC_INIT(const char *);
	TSParser *parser = ts_parser_new();
	const char *select = NULL;
	double whole[ROUNDS], part[ROUNDS];
	struct totals t = { 0 };
	int first = 1;

	if (argc > 2 && !strcmp(argv[1], "--select")) {
		select = argv[2];
		first = 3;
	}
	ts_parser_set_language(parser, tree_sitter_python());
	collect_tokens(&toks, select);
	git_libgit2_init();
	walk_collect(&files, &errors, argv + first, (size_t)(argc - first));
	git_libgit2_shutdown();
	for (int round = 0; round < ROUNDS; round++) {
		memset(&t, 0, sizeof(t));
		t.compare = round == 0;
		for (size_t i = 0; i < files.len; i++) {
			struct source src;
			struct err err = ERR_INIT;

			if (source_load(&src, *(char **)vec_at(&files, i), &err) < 0)
				continue;
			if (holds_token(&toks, src.text, src.len))
				measure(parser, &src, &toks, &t);
			source_release(&src);
		}
		whole[round] = t.whole;
		part[round] = t.part;
	}
	qsort(whole, ROUNDS, sizeof(double), cmp_double);
	qsort(part, ROUNDS, sizeof(double), cmp_double);
	printf("files past the prefilter: %zu (%zu with a syntax error, not restricted)\n", t.files,
	       t.skipped);
	printf("whole-file parse: %zu bytes, %.3f s CPU\n", t.bytes, whole[ROUNDS / 2]);
	printf("restricted parse: %zu bytes (%.1f%%), %.3f s CPU (%.1f%%)\n", t.kept,
	       t.bytes ? 100.0 * (double)t.kept / (double)t.bytes : 0.0, part[ROUNDS / 2],
	       whole[ROUNDS / 2] > 0 ? 100.0 * part[ROUNDS / 2] / whole[ROUNDS / 2] : 0.0);
	printf("restricted trees with a syntax error: %zu\n", t.broken);
	printf("restricted trees whose statements differ from the whole tree's: %zu\n", t.differ);
	vec_release_strings(&files);
	vec_release_strings(&errors);
	vec_release(&toks);
	ts_parser_delete(parser);
	return 0;
}
