/*
 * stats: the counting outputs, with ruff's names and layout.
 *
 * `--statistics`: the findings left, counted per code, most frequent
 * first, in place of the findings themselves:
 *
 *     COUNT<TAB>CODE<TAB>[*] name        (text; `[ ] ` when not fixable)
 *     [{"code", "name", "count", "fixable"}, ...]   (json)
 *
 * the count right-aligned and the code left-aligned to the widest, the
 * marker only when some code is fixable. `--show-fixes`: after `--fix`,
 * the fixes applied per file:
 *
 *     Fixed N findings:
 *     - PATH:
 *         COUNT × CODE (name)
 */
#ifndef ASYNCMOD_STATS_H
#define ASYNCMOD_STATS_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline.h"

/* The table of the findings not applied; `unsafe` says whether unsafe
 * fixes count as fixable. With `color`, counts are bold, codes bold red,
 * `*` cyan. */
void stats_print_text(FILE *out, const struct file_result *results, size_t n, bool unsafe,
		      bool color);

/* The same as one JSON array. */
void stats_print_json(FILE *out, const struct file_result *results, size_t n, bool unsafe);

/* The fixes applied, per file in run order, codes in catalog order (as
 * `asyncmod rules` lists them); nothing when none was. */
void stats_print_fixes(FILE *out, const struct file_result *results, size_t n, bool color);

#endif
