/*
 * source: one Python file's bytes, checked and indexed.
 *
 * Loading accepts UTF-8 with or without a BOM and PEP 263 cookies naming
 * utf-8 or ascii; it refuses other encodings, invalid UTF-8, NUL bytes
 * (binary files) and files over SOURCE_MAX_BYTES, with a message naming
 * the file. It records the newline style (LF or CRLF, from the first line
 * break; a file with CR alone is read with LF and written back with CR) and an index of line starts for byte -> line:column conversion.
 */
#ifndef ASYNCMOD_SOURCE_H
#define ASYNCMOD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "err.h"

#define SOURCE_MAX_BYTES (16u * 1024u * 1024u)

struct source {
	char *path;		/* as given on the command line, owned */
	char *bytes;		/* whole file as read, NUL-terminated, owned */
	size_t size;		/* length of `bytes` */
	size_t bom;		/* 3 when the file starts with a UTF-8 BOM, else 0 */
	const char *text;	/* bytes + bom: what the parser sees */
	char *cr_text;		/* a file whose lines end in CR alone: text with LF for CR, owned */
	uint32_t len;		/* length of `text` */
	const char *newline;	/* "\n" or "\r\n" */
	uint32_t *lines;	/* byte offset in `text` of each line start, owned */
	size_t nlines;
	struct stat st;		/* identity of the file when it was read */
};

#define SOURCE_INIT { 0 }

/* Reads and checks `path`. On success `out` owns everything it points to
 * and must be released with source_release(). On failure nothing needs
 * releasing and `err` says why (naming the file). */
int source_load(struct source *out, const char *path, struct err *err);

/* source_load() over bytes already read: `data` (from malloc, a NUL after
 * its `len` bytes, as fsio_read_regular() leaves them) is taken, and freed
 * on failure too. */
int source_take(struct source *out, const char *path, char *data, size_t len, struct err *err);

/* Checks and indexes `len` bytes already in memory (tests, re-parsing).
 * The bytes are copied. */
int source_from_bytes(struct source *out, const char *path, const char *data,
		      size_t len, struct err *err);

void source_release(struct source *src);

/* Gives a fixed text of a CR-only file (see cr_text) its line ends back:
 * every LF becomes CR. Does nothing for other files. */
void source_restore_cr(const struct source *src, char *text, size_t len);

/* 1-based line and column (in characters) of byte offset `off` of text. */
void source_position(const struct source *src, uint32_t off,
		     unsigned *line, unsigned *col);

/* Byte offset of the start of the line holding `off`. */
uint32_t source_line_start(const struct source *src, uint32_t off);

/* Returns the first invalid byte offset of `s`, or `len` if it is valid UTF-8. */
size_t source_utf8_check(const char *s, size_t len);

/* True when the first line is a shebang naming python. */
bool source_has_python_shebang(const char *head, size_t len);

#endif
