/*
 * suppress: the comments that silence findings, as ruff and flake8 read
 * them: `# noqa` (every code) or `# noqa: ASYNC230, AM101` (those codes)
 * on the line where a finding starts, and `# asyncmod: skip-file` in a
 * comment line among a file's first ten lines. A suppressed finding is
 * neither reported nor fixed.
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

/* True when the noqa comment `text` (len bytes) silences `code`. */
bool suppress_comment_covers(const struct suppress *s, void *match_data, const char *text,
			     size_t len, const char *code);

#endif
