/*
 * fixdesc: each finding's fix on its own, as the edits it makes, for the
 * sinks that show fixes (JSON, SARIF) as ruff shows them.
 *
 * A finding's fix is its own edits plus its needs (an import to add, an
 * import it may leave unused). The edits shown are what fix_apply makes
 * of that one fix with every other finding left alone, on the text the
 * finding was found in, kept only when that text passes verify_text: the
 * edits `--fix` (with `--unsafe-fixes` for an unsafe fix) would make for
 * that finding alone.
 */
#ifndef ASYNCMOD_FIXDESC_H
#define ASYNCMOD_FIXDESC_H

#include <tree_sitter/api.h>

#include "rule.h"
#include "scope.h"
#include "source.h"
#include "vec.h"

/* Sets the `shown` edits of every finding of `findings` (struct finding,
 * found in `src`) that has a fix: positions in `src`, line ends as the
 * file writes them. Findings without a fix, or whose fix alone does not
 * verify, get none. `parser` is used to parse the trial texts. */
void fixdesc_fill(struct vec *findings, const struct source *src, const TSTree *tree,
		  const struct scope_index *scopes, TSParser *parser);

/* Drops the `shown` edits of `f`. */
void fixdesc_clear(struct finding *f);

#endif
