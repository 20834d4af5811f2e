/*
 * color: whether output is coloured, and writing styled text.
 *
 * `--color auto|always|never`; with auto (the default), FORCE_COLOR set
 * and not empty forces colour, else NO_COLOR set and not empty turns it
 * off, else colour goes to a terminal only. This is ruff's order: its
 * colour library lets a forcing variable win over NO_COLOR, and
 * `--color` wins over both.
 */
#ifndef ASYNCMOD_COLOR_H
#define ASYNCMOD_COLOR_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

enum color_mode {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

/* Parses "auto", "always" or "never". */
int color_parse(enum color_mode *out, const char *s, struct err *err);

/* Whether to colour what goes to `fd` under `mode` and the environment. */
bool color_wanted(enum color_mode mode, int fd);

/* Prints `text` in the SGR style `sgr` (say "1;31") when `on`. */
void color_put(FILE *out, bool on, const char *sgr, const char *text);

#endif
