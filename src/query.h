/*
 * query: all transforms' patterns compiled as one tree-sitter query, with
 * the text predicates tree-sitter leaves to its host evaluated here.
 *
 * Predicates: #eq? #not-eq? (capture against a string or another capture),
 * #match? #not-match? (PCRE2), #any-of? #not-any-of?, and #imports? @c
 * "mod.name"... which holds when some `from mod import name [as X]` in the
 * file binds the capture's text.
 */
#ifndef ASYNCMOD_QUERY_H
#define ASYNCMOD_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "err.h"
#include "rule.h"
#include "scope.h"

struct query;

/* What predicate evaluation needs from the file being matched. `scopes`
 * returns the file's scope index, building it on first use. */
struct query_env {
	const char *text;
	const struct scope_index *(*scopes)(void *arg);
	void *arg;
	void *match_data;	/* pcre2_match_data_8 *, one per worker */
};

/* Compiles the queries of `rules` (n of them) into one. The caller frees
 * `*out` with query_free(). */
int query_new(struct query **out, const struct transform *const *rules, size_t n,
	      struct err *err);
void query_free(struct query *q);

const TSQuery *query_ts(const struct query *q);

/* The transform that owns pattern `pattern`. */
const struct transform *query_rule(const struct query *q, uint32_t pattern);

/* Evaluates the predicates of `match`'s pattern. */
bool query_match_ok(const struct query *q, const TSQueryMatch *match, struct query_env *env);

/* The matches of the patterns `((identifier) @x (#imports? @x ...))`,
 * which the cursor does not run: each identifier that a `from m import`
 * of the file binds to one of the pattern's names, in document order.
 * Calls fn(arg, match) for each; its predicates hold. */
void query_imported_matches(const struct query *q, TSNode root, struct query_env *env,
			    void (*fn)(void *arg, const TSQueryMatch *m), void *arg);

/* A PCRE2 match-data block suitable for query_env.match_data; free it
 * with query_match_data_free(). */
void *query_match_data_new(void);
void query_match_data_free(void *md);

#endif
