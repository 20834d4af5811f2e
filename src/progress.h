/*
 * progress: a status line on a terminal while a long `check` runs.
 *
 *     asyncmod: 1200/4000 files, 37 findings
 *
 * written to stderr over itself (carriage return, erase line), from 0.2 s
 * into the run (a quick run shows nothing), at most PROGRESS_PER_SECOND
 * times a second, and erased before anything else is printed. It is shown only when stderr is a terminal: never in a pipe, a
 * file or a CI log (CI set), nor on a dumb terminal, nor with --quiet.
 * Workers report each file done from their own threads.
 */
#ifndef ASYNCMOD_PROGRESS_H
#define ASYNCMOD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PROGRESS_PER_SECOND 10

struct progress;

/* Whether a status line may go to `out` (see above). */
bool progress_wanted(FILE *out, bool quiet);

/* A status line on `out` for `total` files. */
struct progress *progress_new(FILE *out, size_t total);

/* One more file done, with `findings` findings. Thread-safe. */
void progress_step(struct progress *p, size_t findings);

/* Erases the line and frees `p` (may be NULL). */
void progress_end(struct progress *p);

#endif
