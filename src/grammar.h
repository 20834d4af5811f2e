/*
 * grammar: the tree-sitter Python language, compiled in from the grammar
 * folder that ./bootstrap fetched (or --with-tree-sitter-python named).
 */
#ifndef ASYNCMOD_GRAMMAR_H
#define ASYNCMOD_GRAMMAR_H

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);

#endif
