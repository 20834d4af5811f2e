/*
 * tokens: which words of a set a text holds, found in one pass.
 *
 * The query gives each rule's tokens (transform.tokens) an index here;
 * one scan of a file says which of them it holds, and a rule none of
 * whose tokens are there does not run on it.
 */
#ifndef ASYNCMOD_TOKENS_H
#define ASYNCMOD_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many distinct words are told apart. */
#define TOKENS_MAX 256

/* A set of words by index: bit i for the word of index i. */
struct tokens_found {
	uint64_t bits[TOKENS_MAX / 64];
};

struct tokens;

/* An empty set of words. Free it with tokens_free(). */
struct tokens *tokens_new(void);
void tokens_free(struct tokens *t);

/* The index of `word` (not empty; it must outlive `t`), added when new;
 * -1 when TOKENS_MAX words are there already. */
int tokens_add(struct tokens *t, const char *word);

/* True when some tokens_add() had no room: the words it refused cannot
 * be looked for. */
bool tokens_full(const struct tokens *t);

/* The words `text` holds, in one pass. */
void tokens_scan(const struct tokens *t, const char *text, size_t len, struct tokens_found *out);

void tokens_set(struct tokens_found *f, int index);
bool tokens_has(const struct tokens_found *f, int index);
/* Adds the words of `from` to `to`. */
void tokens_merge(struct tokens_found *to, const struct tokens_found *from);
/* True when the two sets share a word. */
bool tokens_any(const struct tokens_found *a, const struct tokens_found *b);

#endif
