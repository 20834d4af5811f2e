/*
 * fix: turns the fixes attached to one file's findings into new text.
 *
 * Fixes are taken in order of position; one whose edits overlap an edit
 * already taken loses and keeps its finding with reason `conflict`
 * (identical edits are shared, not conflicts). The needs of the taken
 * fixes are merged: each import is added once after the module docstring,
 * `__future__` imports and the leading import block; module-level
 * statements follow it; an import a fix may have left unused is removed
 * only when nothing else in the file refers to its name.
 */
#ifndef ASYNCMOD_FIX_H
#define ASYNCMOD_FIX_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "rule.h"
#include "scope.h"
#include "source.h"
#include "vec.h"

/* Applies the fixes of `findings` (struct finding, sorted by position)
 * whose class is allowed (safe; unsafe too when `unsafe`), marking them
 * applied, and writes the whole new text (without BOM) into `out`. The
 * edits made, sorted, go to `edits` (struct edit; release them with
 * fix_edits_release). `parser` (may be NULL) parses the merged text to
 * tell which imports are still used there. Returns the number of fixes
 * applied. */
size_t fix_apply(struct buf *out, struct vec *edits, const struct source *src,
		 const TSTree *tree, const struct scope_index *scopes, struct vec *findings,
		 bool unsafe, TSParser *parser);

/* Where bytes of the original text land after `edits` (sorted and
 * disjoint, as fix_apply leaves them): built once, then each lookup takes
 * O(log n). */
struct fix_map {
	size_t n;
	uint32_t *start, *end;	/* of each edit */
	int64_t *shift;		/* how far the edits before edit i move the text */
};

void fix_map_init(struct fix_map *m, const struct vec *edits);
uint32_t fix_map_at(const struct fix_map *m, uint32_t off);
void fix_map_release(struct fix_map *m);

void fix_edits_release(struct vec *edits);

/* Applies `edits` (struct edit, any order, no overlaps) to `text`. */
void fix_splice(struct buf *out, const char *text, size_t len, struct vec *edits);

/* Where new top-level imports go: after the docstring, `__future__`
 * imports and the leading import block (or leading comments). */
uint32_t fix_import_point(const struct source *src, const TSTree *tree);

#endif
