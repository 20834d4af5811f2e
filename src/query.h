/*
 * query: all transforms' patterns compiled as one tree-sitter query, with
 * the text predicates tree-sitter leaves to its host evaluated here.
 *
 * Rules whose checks report only inside an async def have their patterns
 * compiled apart and run only over the async defs of the file.
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
#include "tokens.h"

struct query;

/* What predicate evaluation needs from the file being matched. `scopes`
 * returns the file's scope index, building it on first use. */
struct query_env {
	const char *text;
	size_t len;
	const struct scope_index *(*scopes)(void *arg);
	void *arg;
	void *match_data;	/* pcre2_match_data_8 *, one per worker */
	/* the tokens the text holds, when query_may_match() found them
	 * already; NULL: query_run() looks */
	const struct tokens_found *found;
};

/* Compiles the queries of `rules` (n of them) into one. The caller frees
 * `*out` with query_free(). */
int query_new(struct query **out, const struct transform *const *rules, size_t n,
	      struct err *err);
void query_free(struct query *q);

/* Where query_run() sends the matches. */
struct query_sink {
	/* false when the file's settings leave `rule` out (NULL: all wanted);
	 * asked before the predicates are evaluated */
	bool (*wanted)(void *arg, const struct transform *rule);
	/* a match of `rule` whose predicates hold; `ts` is the compiled query
	 * its capture ids belong to */
	void (*match)(void *arg, const TSQuery *ts, const TSQueryMatch *m,
		      const struct transform *rule);
	void *arg;
};

/* False when no rule of the query can match `text`: no rule whose
 * findings may lie anywhere has one of its tokens (transform.tokens) in
 * it, and it holds no `async` or no token of a rule that reports only
 * inside an async def. Then the file need not even be parsed. `found`
 * (may be NULL) gets the tokens it holds, for query_env.found. */
bool query_may_match(const struct query *q, const char *text, size_t len,
		     struct tokens_found *found);

/* Runs the query over the tree under `root` (a module) with `cur`. The
 * patterns of rules that report only inside an async def
 * (transform.in_async_def) run only over the outermost async defs, and the
 * others only when the text holds one of their tokens, unless `whole`
 * asks for every pattern over the whole tree (the same findings, at a
 * higher cost: tests compare the two). The patterns
 * `((identifier) @x (#imports? @x "mod.name"...))` are not run by the
 * cursor: their matches are the identifiers that a `from mod import`
 * of the file binds to one of the names. */
void query_run(const struct query *q, TSQueryCursor *cur, TSNode root, struct query_env *env,
	       bool whole, const struct query_sink *sink);

/* A PCRE2 match-data block suitable for query_env.match_data; free it
 * with query_match_data_free(). */
void *query_match_data_new(void);
void query_match_data_free(void *md);

#endif
