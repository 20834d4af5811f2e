/*
 * tokens: which words of a set a text holds, found in one pass.
 *
 * A bit per hash of a word's first four bytes (per pair of bytes for the
 * words of two or three) rejects nearly every position of a text; where
 * one passes, the words starting with that byte are compared.
 */
#include "tokens.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

struct tokens {
	const char *word[TOKENS_MAX];
	size_t len[TOKENS_MAX];
	size_t n;
	bool full;			/* a word was refused */
	uint8_t quads[65536 / 8];	/* bit quad_hash(first four bytes) of the longer words */
	uint8_t pairs[65536 / 8];	/* bit (a << 8 | b): a word of 2 or 3 bytes starts "ab" */
	bool any_pair;			/* a word of 2 or 3 bytes */
	bool any_single;		/* a word of one byte */
	int16_t first[256];		/* the first word starting with a byte, or -1 */
	int16_t next[TOKENS_MAX];	/* the next word starting with the same byte */
};

/* A hash of four bytes, for tokens.quads. */
static inline unsigned quad_hash(const unsigned char *s)
{
	uint32_t v;

	memcpy(&v, s, sizeof(v));
	return (unsigned)((v * UINT32_C(2654435761)) >> 16);
}

struct tokens *tokens_new(void)
{
	struct tokens *t = xcalloc(1, sizeof(*t));

	memset(t->first, 0xff, sizeof(t->first));
	return t;
}

void tokens_free(struct tokens *t)
{
	free(t);
}

int tokens_add(struct tokens *t, const char *word)
{
	size_t len = strlen(word);
	unsigned char a = (unsigned char)word[0];

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->word[i], word))
			return (int)i;
	if (t->n == TOKENS_MAX || !len) {
		t->full = true;
		return -1;
	}
	t->word[t->n] = word;
	t->len[t->n] = len;
	t->next[t->n] = t->first[a];
	t->first[a] = (int16_t)t->n;
	if (len >= 4) {
		unsigned h = quad_hash((const unsigned char *)word);

		t->quads[h / 8] |= (uint8_t)(1u << (h % 8));
	} else if (len > 1) {
		unsigned key = (unsigned)a << 8 | (unsigned char)word[1];

		t->pairs[key / 8] |= (uint8_t)(1u << (key % 8));
		t->any_pair = true;
	} else {
		t->any_single = true;
	}
	return (int)t->n++;
}

bool tokens_full(const struct tokens *t)
{
	return t->full;
}

void tokens_scan(const struct tokens *t, const char *text, size_t len, struct tokens_found *out)
{
	const unsigned char *s = (const unsigned char *)text;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < len; i++) {
		bool maybe = t->any_single;

		if (!maybe && i + 4 <= len) {
			unsigned h = quad_hash(s + i);

			maybe = t->quads[h / 8] >> (h % 8) & 1;
		}
		if (!maybe && t->any_pair && i + 1 < len) {
			unsigned key = (unsigned)s[i] << 8 | s[i + 1];

			maybe = t->pairs[key / 8] >> (key % 8) & 1;
		}
		if (!maybe)
			continue;	/* the common case: no word starts here */
		for (int k = t->first[s[i]]; k >= 0; k = t->next[k])
			if (t->len[k] <= len - i && !memcmp(s + i, t->word[k], t->len[k]))
				tokens_set(out, k);
	}
}

void tokens_set(struct tokens_found *f, int index)
{
	f->bits[index / 64] |= UINT64_C(1) << (index % 64);
}

bool tokens_has(const struct tokens_found *f, int index)
{
	return f->bits[index / 64] >> (index % 64) & 1;
}

void tokens_merge(struct tokens_found *to, const struct tokens_found *from)
{
	for (size_t i = 0; i < TOKENS_MAX / 64; i++)
		to->bits[i] |= from->bits[i];
}

bool tokens_any(const struct tokens_found *a, const struct tokens_found *b)
{
	for (size_t i = 0; i < TOKENS_MAX / 64; i++)
		if (a->bits[i] & b->bits[i])
			return true;
	return false;
}
