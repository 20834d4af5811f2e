/*
 * select: which rules run on a file and which of them may be fixed,
 * resolved as ruff resolves lint.select, extend-select, ignore, fixable
 * and unfixable.
 *
 * A selector is `ALL`, a linter (`ASYNC`, `AM`), or a linter followed by
 * the first digits of codes (`ASYNC2`, `AM10`, `ASYNC251`). Its
 * specificity grows in that order: ALL, the linter, then one step per
 * digit. Settings come in layers, applied in order: the configuration's,
 * then the command line's. Within one layer the selectors are applied
 * from the least specific to the most specific, and at equal specificity
 * an ignore comes after a select, so `select = ["ASYNC"], ignore =
 * ["ASYNC2"]` and `ignore = ["ALL"], select = ["AM105"]` both do what they
 * say whatever the order of the keys. A layer that gives `select` starts
 * from nothing (what earlier layers selected or ignored is forgotten); a
 * layer without it only adds its extend-select and removes its ignores.
 * So `--select` on the command line replaces the configuration's select
 * and ignore, while `--ignore` or `--extend-select` there adjust them.
 * Fixable and unfixable resolve the same way, starting from every rule.
 */
#ifndef ASYNCMOD_SELECT_H
#define ASYNCMOD_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* One layer; each list is comma-separated selectors, NULL when absent. */
struct select_layer {
	const char *select;		/* NULL: not given (an empty string selects nothing) */
	const char *extend_select;
	const char *ignore;
	const char *extend_ignore;	/* the same as ignore, as in ruff */
	const char *fixable;		/* NULL: not given */
	const char *extend_fixable;
	const char *unfixable;
};

/* Checks each selector of `list`: an unknown one is an error naming it,
 * with the nearest known code when one is close, and `where:line` first
 * when `where` is not NULL. */
int select_check(const char *list, const char *where, unsigned line, struct err *err);

/* Checks every list of a layer. */
int select_check_layer(const struct select_layer *l, const char *where, unsigned line,
		       struct err *err);

/* Resolves `n` layers into per-rule flags (indexed as transform_table):
 * `enabled` starts with every rule, `fixable` too. */
void select_resolve(const struct select_layer *layers, size_t n, bool *enabled, bool *fixable);

/* True when one selector of `list` covers `code`. */
bool select_list_has(const char *list, const char *code);

#endif
