/*
 * tree: small helpers over tree-sitter trees shared by the Python and
 * TOML readers.
 */
#ifndef ASYNCMOD_TREE_H
#define ASYNCMOD_TREE_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "vec.h"

/* Parses `text` with `parser` as a new parser would. A grammar's external
 * scanner may keep state from the parse before: Python's keeps "inside an
 * f-string" when a text ends in an unterminated one, and the next text
 * then parses with a MISSING dedent. Setting the parser's language again
 * makes a new scanner. Every parse goes through here. */
TSTree *tree_parse(TSParser *parser, const char *text, uint32_t len);

/* ts_node_parent() that takes a null node too: this tree-sitter reads
 * through a null node's tree and crashes. The parent, or a null node. */
TSNode tree_parent(TSNode n);

/* The first ERROR or MISSING node below `n` (in document order), for a
 * syntax error's position. Returns false when there is none. */
bool tree_first_error(TSNode n, TSNode *out);

/* Pushes the ancestors of `n` to `out` (a vec of TSNode), from the root
 * down to n's parent: the nodes ts_node_parent() gives one by one, in one
 * walk down from the root (ts_node_parent walks down from the root on
 * every call, so climbing with it costs the depth squared). Nothing for
 * the root itself. */
void tree_ancestors(TSNode n, struct vec *out);

/* The places a text occurs in a span of a file, to skip the subtrees that
 * cannot hold it: a walk looking for a name need not enter a node whose
 * bytes hold none of its occurrences. */
struct tree_occurrences {
	struct vec at;		/* uint32_t: start byte of each occurrence, in order */
	uint32_t len;
};

/* Finds every occurrence of s (len bytes, len > 0) in text[start, end).
 * Release with tree_occurrences_release(). */
void tree_occurrences_find(struct tree_occurrences *o, const char *text, uint32_t start,
			   uint32_t end, const char *s, uint32_t len);
/* True when some occurrence lies wholly inside node n. */
bool tree_occurrences_within(const struct tree_occurrences *o, TSNode n);
void tree_occurrences_release(struct tree_occurrences *o);

/* The deepest nesting the readers take, in tree levels: more than CPython
 * compiles (about 3000 nested expressions), so that every file Python
 * accepts is read, and few enough that the recursive walks stay within a
 * thread's stack. */
#define TREE_MAX_DEPTH 4000
#define TREE_MAX_DEPTH_TEXT "4000"

#endif
