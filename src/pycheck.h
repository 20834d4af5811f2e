/*
 * pycheck: what CPython refuses although the grammar takes it.
 *
 * tree-sitter's Python grammar is more lenient than CPython: it reads
 * indentation that mixes tabs and spaces ambiguously (CPython raises
 * TabError) and `await await x` (CPython: invalid syntax). A file Python
 * would not run is skipped, never "fixed".
 */
#ifndef ASYNCMOD_PYCHECK_H
#define ASYNCMOD_PYCHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* Finds the first such problem in `text` (its tree `root`). Returns false
 * when there is none; else sets `*at` (a byte offset) and `*what` (a
 * static description). Nesting deeper than TREE_MAX_DEPTH is one, found
 * before anything recursive runs over the tree; a block that holds no
 * statement is another. Unless `walk` asks for it, the tree is walked
 * for them only when the text allows such nesting (or the tree has an
 * error): otherwise `*blocks_left` is set, and the empty blocks are the
 * caller's to look for (scope_empty_block). */
/* What is said of a block that holds no statement. */
#define PYCHECK_EMPTY_BLOCK "expected an indented block (Python raises IndentationError)"

bool pycheck_refused(const char *text, uint32_t len, TSNode root, bool walk, uint32_t *at,
		     const char **what, bool *blocks_left);

#endif
