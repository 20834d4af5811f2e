/*
 * buf: a growable byte buffer, always NUL-terminated once it holds data.
 *
 * Embed it (`struct buf b = BUF_INIT;`) and `buf_release` it when done.
 * Allocation failure aborts the program: a code rewriter that runs out of
 * memory has nothing sensible left to do.
 */
#ifndef ASYNCMOD_BUF_H
#define ASYNCMOD_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Makes room for `extra` more bytes plus the terminating NUL. */
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Empties the buffer and keeps its memory. */
void buf_clear(struct buf *b);
/* Returns the contents ("" when empty); valid until the next change. */
const char *buf_cstr(const struct buf *b);
/* Hands the heap string to the caller, who must free() it; the buffer is
 * left empty. Never returns NULL. */
char *buf_detach(struct buf *b);
void buf_release(struct buf *b);

/* malloc/calloc/realloc/strdup that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* memcmp(a, b, n) == 0 that takes NULL for an empty buffer (memcmp may
 * not, even with n == 0). */
static inline bool mem_eq(const void *a, const void *b, size_t n)
{
	return !n || !memcmp(a, b, n);
}

/* The value of the hex digit `c` (0-9, a-f, A-F), or -1. */
static inline int hex_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
