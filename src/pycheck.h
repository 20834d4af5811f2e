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
 * static description). */
bool pycheck_refused(const char *text, uint32_t len, TSNode root, uint32_t *at,
		     const char **what);

#endif
