/*
 * explain: `asyncmod explain CODE`, the long description of one rule.
 */
#ifndef ASYNCMOD_EXPLAIN_H
#define ASYNCMOD_EXPLAIN_H

#include <stdio.h>

#include "err.h"

/* Prints what rule CODE finds, why (quoting the standard), its fix and fix
 * class, and a before/after example. Returns -1 with `err` set for an
 * unknown code. */
int explain_print(FILE *out, const char *code, struct err *err);

#endif
