/*
 * suggest: edit distance and the nearest candidate.
 */
#include "suggest.h"
#include "buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int same(char x, char y, int fold)
{
	return fold ? tolower((unsigned char)x) == tolower((unsigned char)y) : x == y;
}

size_t suggest_distance(const char *a, const char *b, int fold)
{
	size_t n = strlen(a), m = strlen(b), w = m + 1, d;
	size_t *t = xcalloc((n + 1) * w, sizeof(*t));

	for (size_t i = 0; i <= n; i++)
		t[i * w] = i;
	for (size_t j = 0; j <= m; j++)
		t[j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t cost = same(a[i - 1], b[j - 1], fold) ? 0 : 1;
			size_t best = t[(i - 1) * w + j] + 1;

			if (t[i * w + j - 1] + 1 < best)
				best = t[i * w + j - 1] + 1;
			if (t[(i - 1) * w + j - 1] + cost < best)
				best = t[(i - 1) * w + j - 1] + cost;
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2], fold) &&
			    same(a[i - 2], b[j - 1], fold) && t[(i - 2) * w + j - 2] + 1 < best)
				best = t[(i - 2) * w + j - 2] + 1;
			t[i * w + j] = best;
		}
	}
	d = t[n * w + m];
	free(t);
	return d;
}

const char *suggest_nearest(const char *word, const char *const *candidates, size_t n,
			    int fold)
{
	size_t len = strlen(word), limit = len / 3, best = (size_t)-1;
	const char *found = NULL;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; n ? i < n : candidates[i] != NULL; i++) {
		size_t d = suggest_distance(word, candidates[i], fold);

		if (d && d <= limit && d < best) {
			best = d;
			found = candidates[i];
		}
	}
	return found;
}
