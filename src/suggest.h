/*
 * suggest: "did you mean" for misspelt names (options, commands, rule
 * codes): the candidate nearest by edit distance, when it is near enough.
 */
#ifndef ASYNCMOD_SUGGEST_H
#define ASYNCMOD_SUGGEST_H

#include <stddef.h>

/* The optimal string alignment distance between `a` and `b` (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1),
 * ignoring case when `fold` is set. */
size_t suggest_distance(const char *a, const char *b, int fold);

/* The candidate (of the NULL-terminated `candidates`, or of the first `n`
 * when `n` is not 0) nearest to `word`, or NULL when none is within a
 * third of the word's length (at least 1, at most 3 edits). Ties go to
 * the earlier candidate. */
const char *suggest_nearest(const char *word, const char *const *candidates, size_t n,
			    int fold);

#endif
