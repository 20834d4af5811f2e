/*
 * ini: the INI dialect pytest reads pytest.ini, tox.ini and setup.cfg in.
 *
 * pytest parses them with iniconfig, not Python's configparser, and this
 * reader follows iniconfig's rules: `#` and `;` start comment lines; a
 * line starting with `[` is a section header (a comment after it is
 * dropped); a line starting with anything else but a blank is `name =
 * value` or `name: value` (split at the first `=`, unless the name part
 * would hold a `:`); an indented line continues the previous value (joined
 * with a newline). Names and values are stripped of blanks. It refuses
 * what iniconfig refuses (a value before any section, an empty section
 * name, a section or a name given twice, a continuation with nothing to
 * continue, a line that is none of these) and what no text file holds (a
 * NUL byte), with "NAME:LINE: message".
 */
#ifndef ASYNCMOD_INI_H
#define ASYNCMOD_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "vec.h"

struct ini_entry {
	char *section;		/* owned */
	char *name;		/* owned; NULL for the section header itself */
	char *value;		/* owned; NULL for the section header itself */
	unsigned line;		/* 1-based */
};

struct ini_doc {
	struct vec entries;	/* struct ini_entry, in file order */
};

/* Parses `len` bytes of `text` (need not end in NUL). `name` is for
 * messages. On success the caller releases `out` with ini_release(). */
int ini_parse(struct ini_doc *out, const char *name, const char *text, size_t len,
	      struct err *err);
void ini_release(struct ini_doc *doc);

/* True when the document has the section. */
bool ini_has_section(const struct ini_doc *doc, const char *section);

/* The value of `name` in `section`, or NULL. */
const char *ini_get(const struct ini_doc *doc, const char *section, const char *name);

#endif
