/*
 * suppress: the comments that silence findings, as ruff and flake8 read
 * them, so that a line silenced for those tools is not rewritten here:
 *
 *   - `# noqa` (every code) or `# noqa: ASYNC230, AM101` (those codes) on
 *     the line of a finding: the line where it starts, or, when that line
 *     is part of a string spanning lines or of a statement continued with
 *     a backslash, the last line of those (where ruff looks, and where a
 *     comment can be);
 *   - file-level `# ruff: noqa` and `# flake8: noqa` (every code) or
 *     `# ruff: noqa: CODES` and `# flake8: noqa: CODES` (those codes, for
 *     the whole file, as ruff reads both), in any comment;
 *   - `# asyncmod: skip-file` in a comment line among a file's first ten
 *     lines.
 *
 * Codes other tools use for the same check count as ours: flake8-async's
 * historic TRIOxxx codes (renamed ASYNCxxx with the same numbers, as
 * ruff redirects them), ruff's RUF006 (a dangling asyncio task, our
 * ASYNC300) and UP041 (`asyncio.TimeoutError`, our AM203). The ASYNC1xx
 * meanings of the old flake8-async before that rename (blocking calls,
 * now ASYNC2xx) are not mapped: current ruff and flake8-async do not
 * either. A suppressed finding is neither reported nor fixed.
 */
#ifndef ASYNCMOD_SUPPRESS_H
#define ASYNCMOD_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "err.h"
#include "source.h"
#include "vec.h"

struct suppress;

/* Compiles the noqa pattern once; shared read-only by all workers. */
int suppress_new(struct suppress **out, struct err *err);
void suppress_free(struct suppress *s);

/* True when the file asks to be skipped. */
bool suppress_skip_file(const char *text, size_t len);

/* Removes from `findings` (struct finding) those a noqa comment silences.
 * `match_data` is the worker's PCRE2 match block. */
void suppress_filter(const struct suppress *s, void *match_data, const struct source *src,
		     const TSTree *tree, struct vec *findings);

/* True when the noqa comment `text` (len bytes) silences `code`, under
 * its own name or an alias (see above). */
bool suppress_comment_covers(const struct suppress *s, void *match_data, const char *text,
			     size_t len, const char *code);

/* The byte offset of the start of the line where a noqa comment for a
 * finding at byte `at` belongs (see above). */
uint32_t suppress_noqa_line(const struct source *src, const TSTree *tree, uint32_t at);

/* The comment nodes of the tree, in order (TSNode). */
void suppress_comments(const TSTree *tree, struct vec *out);

/* The index of the first of `comments` (as suppress_comments gives them)
 * on the line starting at byte `line`, or a later one's when none is. */
size_t suppress_first_comment_at(const struct source *src, const struct vec *comments,
				 uint32_t line);

/* Finds a line-level noqa directive in comment `text`: sets *start and
 * *end to the span from `#` to the end of its codes, *codes and *codes_end to
 * the codes (equal when there are none: a bare noqa). False when none. */
bool suppress_find_noqa(const struct suppress *s, void *match_data, const char *text,
			size_t len, size_t *start, size_t *end, size_t *codes, size_t *codes_end);

#endif
