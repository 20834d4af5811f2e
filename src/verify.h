/*
 * verify: whether a fixed text may replace the original.
 *
 * A fixed file must parse, and every name must still mean something: no
 * identifier may be left unresolved (see scope_unresolved) more often than
 * in the original. That catches an import removed while a fix still refers
 * to it, a module-level statement placed above the import it needs, and a
 * new name a fix writes that nothing binds.
 */
#ifndef ASYNCMOD_VERIFY_H
#define ASYNCMOD_VERIFY_H

#include <stddef.h>
#include <tree_sitter/api.h>

#include "scope.h"
#include "vec.h"

/* The unresolved names of the original text, computed once. */
struct verify_base {
	struct vec names;	/* char *, sorted, owned */
};

/* Fills `base` from the scope index of the original text. Release it
 * with verify_base_release(). */
void verify_base_init(struct verify_base *base, const struct scope_index *original);
void verify_base_release(struct verify_base *base);

/* Why `text` cannot replace the original, as a reason token
 * (`fix-broke-syntax`, `fix-broke-names`), or NULL when it may. Uses
 * `parser` to parse it. */
const char *verify_text(const struct verify_base *base, TSParser *parser, const char *text,
			size_t len);

#endif
