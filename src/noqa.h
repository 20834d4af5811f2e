/*
 * noqa: `check --add-noqa`, as ruff's: a `# noqa: CODE` comment on every
 * line with a finding, so that a codebase can adopt the rules and fix the
 * old findings later.
 *
 * Each finding's comment goes on the line suppress_noqa_line() names: the
 * line where the finding starts, or the last line of a string spanning
 * lines or of a backslash-continued statement it starts in (a comment
 * cannot go anywhere else there). A line that already has a `# noqa:
 * CODES` comment gets the new codes merged into it (sorted, each once);
 * other lines get `  # noqa: CODES` at their end, after any comment they
 * have. The findings are taken again from the file as it is read for
 * writing, the result must parse as the original did, and files are
 * replaced atomically. A second run adds nothing: the comments silence
 * what they were added for.
 */
#ifndef ASYNCMOD_NOQA_H
#define ASYNCMOD_NOQA_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "pipeline.h"

/* Adds noqa comments to the files among `results` that have findings,
 * running `config`'s rules again with each file's `settings`. Problems
 * with one file go to `errs` and count in *errors; *added counts the
 * directives added or extended (one per line). */
void noqa_add(const struct pipeline_config *config, const struct file_result *results,
	      const struct file_settings *settings, size_t nfiles, FILE *errs, size_t *added,
	      size_t *errors);

#endif
