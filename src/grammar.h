/*
 * grammar: the tree-sitter languages compiled in from the grammar folders
 * that ./bootstrap fetched (or --with-tree-sitter-python/-toml named):
 * Python for the code we rewrite, TOML for pyproject.toml.
 */
#ifndef ASYNCMOD_GRAMMAR_H
#define ASYNCMOD_GRAMMAR_H

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_toml(void);

#endif
