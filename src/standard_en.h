/*
 * standard_en: English renderings of the parts of the standard that
 * `explain` quotes: its title, its section headings, and the lines rules
 * cite (principles, prohibitions, checklist items, the captions and
 * comments of its examples). The standard is written in Chinese; users
 * read the quote and its English side by side.
 */
#ifndef ASYNCMOD_STANDARD_EN_H
#define ASYNCMOD_STANDARD_EN_H

#include <stdbool.h>

/* The standard's title, as it is written and in English. */
#define STANDARD_TITLE "Python 异步编程规范"
#define STANDARD_TITLE_EN "Python Asynchronous Programming Standard"

/* The English of one heading or quoted line (leading blanks ignored), or
 * NULL when there is none. */
const char *standard_en_lookup(const char *zh);

/* True when `s` holds Chinese text (a line to render in English). */
bool standard_en_has_cjk(const char *s);

#endif
