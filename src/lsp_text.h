/*
 * lsp_text: the documents an editor has open, and positions in them.
 *
 * LSP positions are a zero-based line and a character offset in the
 * line counted in the negotiated encoding's code units: UTF-16 (the
 * default; a character beyond U+FFFF counts two), UTF-8 bytes, or UTF-32
 * code points. Lines end at LF, CR LF or CR. A character past the end of
 * its line means the line's end, a line past the last means the end of
 * the text, as the specification says; a position inside a character
 * (between the halves of a surrogate pair) means that character's start.
 */
#ifndef ASYNCMOD_LSP_TEXT_H
#define ASYNCMOD_LSP_TEXT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "vec.h"

enum lsp_encoding {
	LSP_UTF16,
	LSP_UTF8,
	LSP_UTF32,
};

/* The line starts of one text, for conversions. */
struct lsp_lines {
	const char *text;
	size_t len;
	struct vec starts;	/* size_t: byte offset of each line's start */
};

void lsp_lines_init(struct lsp_lines *l, const char *text, size_t len);
void lsp_lines_release(struct lsp_lines *l);

/* The byte offset of (line, character). */
size_t lsp_lines_offset(const struct lsp_lines *l, int64_t line, int64_t character,
			enum lsp_encoding enc);

/* The LSP position of byte offset `off`, as a {line, character} object. */
json_object *lsp_lines_position(const struct lsp_lines *l, size_t off, enum lsp_encoding enc);

/* A {start, end} range object for bytes [start, end). */
json_object *lsp_lines_range(const struct lsp_lines *l, size_t start, size_t end,
			     enum lsp_encoding enc);

/* Reads a Position object into line and character. Returns -1 (with
 * `err`) when it is not one. */
int lsp_position_parse(json_object *pos, int64_t *line, int64_t *character, struct err *err);

/* Reads a Range object into byte offsets of `l`'s text (start <= end). */
int lsp_range_parse(json_object *range, const struct lsp_lines *l, enum lsp_encoding enc,
		    size_t *start, size_t *end, struct err *err);

struct lsp_doc {
	char *uri;		/* owned */
	char *path;		/* the file it stands for (checked as), owned */
	char *language;		/* languageId, owned */
	struct buf text;
	int64_t version;
	uint64_t gen;		/* the server's count at its last change: names this text */
	bool dirty;		/* changed since its diagnostics were published */
	bool lost;		/* a change could not be applied: the text is not
				 * the editor's until a whole text comes */
};

/* Applies one TextDocumentContentChangeEvent: a whole new text (which
 * clears `lost`), or a range and its replacement. Returns -1 (with `err`)
 * for a change that is not one. */
int lsp_doc_change(struct lsp_doc *d, json_object *change, enum lsp_encoding enc,
		   struct err *err);

/* The file path of a `file:` URI (percent-decoded), or NULL for another
 * scheme or a malformed URI. Free it. */
char *lsp_uri_path(const char *uri);

/* Python: the language is python, or the path ends in .py or .pyi. */
bool lsp_doc_is_python(const struct lsp_doc *d);

/* The edits turning `old` into `new` (a TextEdit array, empty when the
 * texts are equal): one per block of changed lines, as git's diff finds
 * them, checked to give exactly `new`, else one edit over the changed
 * lines. libgit2 must be initialised. */
json_object *lsp_text_edits(const char *old, size_t oldlen, const char *new, size_t newlen,
			    enum lsp_encoding enc);

#endif
