/*
 * explain: `asyncmod explain CODE`, the long description of one rule.
 *
 * The text comes from the rule's own `struct transform` (finds, why, the
 * lines of the standard it enforces, fix, reasons, example), so a rule and
 * its documentation live in one file. The same text, as Markdown, is the
 * help of each rule in SARIF output.
 */
#ifndef ASYNCMOD_EXPLAIN_H
#define ASYNCMOD_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

struct transform;

/* The rule whose code is CODE (in any case), or NULL. */
const struct transform *explain_find(const char *code);

/* Appends the long description of `t` to `out`: plain text wrapped for a
 * terminal, or Markdown when `markdown` is true. */
void explain_write(struct buf *out, const struct transform *t, bool markdown);

/* Prints what rule CODE finds, why (quoting the standard), its fix and fix
 * class, and a before/after example. Returns -1 with `err` set for an
 * unknown code. */
int explain_print(FILE *out, const char *code, struct err *err);

#endif
