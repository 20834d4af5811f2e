/*
 * review: `--fix --interactive`, one question per proposed fix.
 *
 * Each fix is shown as the file, line, rule and message, then a coloured
 * diff of that one fix with context, and the question
 * `Apply this fix? [y,n,a,d,A,q,?]`. Answers are single keys read from a
 * terminal in raw mode: y yes; n no; a this and the rest of the file; d
 * none of the rest of the file; A this rule everywhere from here on; q
 * quit, keeping what was accepted; ? help. Enter alone, or any other key,
 * answers nothing. Ctrl-C stops the review with nothing accepted.
 */
#ifndef ASYNCMOD_REVIEW_H
#define ASYNCMOD_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "pool.h"
#include "rule.h"

struct review_item {
	const char *path;
	struct finding *finding;	/* `applied` is set to the answer */
	const char *hunk;		/* the diff of this fix alone */
};

struct review_term;

/* Puts the terminal on `fd` into raw mode. Fails unless `fd` is a terminal.
 * review_term_close() restores it. */
int review_term_open(struct review_term **out, int fd, struct err *err);
void review_term_close(struct review_term *t);

struct review_outcome {
	size_t accepted;
	size_t rejected;
	bool interrupted;	/* Ctrl-C: the caller writes nothing */
};

/* Asks about each item in order, writing to `out`. */
void review_ask(struct review_term *t, FILE *out, struct review_item *items, size_t n,
		bool color, struct review_outcome *outcome);

/* The whole review of a run: the fixes of `p` (computed without writing)
 * are asked about one by one; the accepted ones are then written, or kept
 * in p->fixed for a commit, exactly as --fix makes them. */
int review_run(struct pool *p, FILE *out, bool color, struct err *err);

#endif
