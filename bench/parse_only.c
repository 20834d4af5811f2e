/*
 * parse_only: the baseline for bench/run.sh. Walks the same paths as
 * `asyncmod check`, reads and parses every file once with one parser, and
 * does nothing else, so the benchmark can set the full scan against the
 * bare cost of parsing.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>

#include "grammar.h"
#include "../src/tree.h"
#include "source.h"
#include "vec.h"
#include "walk.h"

int main(int argc, char **argv)
{
	struct vec files = VEC_INIT(char *), errors = VEC_INIT(char *);
	TSParser *parser = ts_parser_new();
	size_t parsed = 0, bytes = 0;

	ts_parser_set_language(parser, tree_sitter_python());
	git_libgit2_init();
	walk_collect(&files, &errors, argv + 1, (size_t)(argc - 1));
	git_libgit2_shutdown();
	for (size_t i = 0; i < files.len; i++) {
		char *path = *(char **)vec_at(&files, i);
		struct source src;
		struct err err = ERR_INIT;

		if (source_load(&src, path, &err) == 0) {
			TSTree *tree = tree_parse(parser, src.text, src.len);

			parsed++;
			bytes += src.len;
			ts_tree_delete(tree);
			source_release(&src);
		}
		free(path);
	}
	for (size_t i = 0; i < errors.len; i++)
		free(*(char **)vec_at(&errors, i));
	vec_release(&files);
	vec_release(&errors);
	ts_parser_delete(parser);
	printf("parsed %zu files, %zu bytes\n", parsed, bytes);
	return 0;
}
