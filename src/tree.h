/*
 * tree: small helpers over tree-sitter trees shared by the Python and
 * TOML readers.
 */
#ifndef ASYNCMOD_TREE_H
#define ASYNCMOD_TREE_H

#include <stdbool.h>
#include <tree_sitter/api.h>

/* The first ERROR or MISSING node below `n` (in document order), for a
 * syntax error's position. Returns false when there is none. */
bool tree_first_error(TSNode n, TSNode *out);

#endif
