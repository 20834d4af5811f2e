/*
 * jsonrpc: reading and writing framed messages on file descriptors.
 */
#include "jsonrpc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A header longer than this, without its blank line, is a bad frame. */
#define JSONRPC_MAX_HEADER 8192

void jsonrpc_reader_init(struct jsonrpc_reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
}

void jsonrpc_reader_release(struct jsonrpc_reader *r)
{
	buf_release(&r->in);
}

/* Reads what the stream has: blocking when `wait`, else only when poll
 * says something is there. Returns 1 when bytes came, 0 otherwise. */
static int fill(struct jsonrpc_reader *r, bool wait)
{
	char chunk[65536];
	ssize_t n;

	if (r->eof)
		return 0;
	if (!wait) {
		struct pollfd p = { r->fd, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0)
			return 0;
	}
	/* drop what was taken before the buffer grows */
	if (r->pos && r->pos == r->in.len) {
		buf_clear(&r->in);
		r->pos = 0;
	} else if (r->pos > 65536) {
		memmove(r->in.ptr, r->in.ptr + r->pos, r->in.len - r->pos);
		r->in.len -= r->pos;
		r->pos = 0;
	}
	do
		n = read(r->fd, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		r->eof = true;
		return 0;
	}
	buf_add(&r->in, chunk, (size_t)n);
	return 1;
}

/* Moves past a bad header: to the next "Content-Length:" at or after
 * `from`, or keeps the last bytes, which may begin one. */
static void resync(struct jsonrpc_reader *r, size_t from)
{
	const char *p = r->in.ptr;
	size_t n = r->in.len;

	for (size_t i = from; i + 15 <= n; i++)
		if ((p[i] == 'C' || p[i] == 'c') && !strncasecmp(p + i, "Content-Length:", 15)) {
			r->pos = i;
			return;
		}
	r->pos = n >= 14 && n - 14 > from ? n - 14 : (from < n ? from : n);
}

/* Parses the header block [start, stop): Content-Length into `*len`.
 * A length over the limit sets `*big` (and `*len`, to skip the body). */
static int parse_header(const char *start, const char *stop, size_t *len, bool *big,
			struct err *err)
{
	bool have = false;

	while (start < stop) {
		const char *eol = memmem(start, (size_t)(stop - start), "\r\n", 2);
		const char *colon, *v;
		size_t n;

		if (!eol)
			eol = stop;
		n = (size_t)(eol - start);
		colon = memchr(start, ':', n);
		if (!colon)
			return err_set(err, "bad header line '%.*s'", (int)(n > 80 ? 80 : n), start);
		v = colon + 1;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		if ((size_t)(colon - start) == 14 && !strncasecmp(start, "Content-Length", 14)) {
			size_t x = 0;
			bool exact = true;

			if (v == eol)
				return err_set(err, "empty Content-Length");
			for (; v < eol && *v != ' ' && *v != '\t'; v++) {
				if (*v < '0' || *v > '9')
					return err_set(err, "bad Content-Length '%.*s'",
						       (int)(eol - colon - 1 > 40 ? 40 : eol - colon - 1),
						       colon + 1);
				if (x <= JSONRPC_MAX_BODY)
					x = x * 10 + (size_t)(*v - '0');
				else
					exact = false;
			}
			if (x > JSONRPC_MAX_BODY) {
				*big = exact;
				*len = x;
				return err_set(err, "message body over %u bytes",
					       (unsigned)JSONRPC_MAX_BODY);
			}
			*len = x;
			have = true;
		}
		start = eol + 2;
	}
	if (!have)
		return err_set(err, "header without Content-Length");
	return 0;
}

enum jsonrpc_read jsonrpc_read(struct jsonrpc_reader *r, struct buf *out, bool wait,
			       struct err *err)
{
	for (;;) {
		const char *p = r->in.ptr + r->pos;
		size_t avail = r->in.len - r->pos, len = 0;
		const char *blank;

		if (r->skip) {
			size_t n = avail < r->skip ? avail : r->skip;

			r->pos += n;
			r->skip -= n;
			avail -= n;
			p += n;
		}
		blank = !r->skip && avail ? memmem(p, avail, "\r\n\r\n", 4) : NULL;
		if (blank) {
			size_t head = (size_t)(blank - p) + 4;
			bool big = false;

			if (parse_header(p, blank, &len, &big, err) < 0) {
				if (big) {
					r->pos += head;
					r->skip = len;	/* dropped as it comes */
				} else {
					resync(r, r->pos + 1);
				}
				return JSONRPC_BAD;
			}
			if (avail - head >= len) {
				buf_clear(out);
				buf_add(out, p + head, len);
				buf_cstr(out);
				r->pos += head + len;
				return JSONRPC_MESSAGE;
			}
		} else if (!r->skip && avail > JSONRPC_MAX_HEADER) {
			err_set(err, "header over %u bytes without its blank line",
				(unsigned)JSONRPC_MAX_HEADER);
			resync(r, r->pos + 1);
			return JSONRPC_BAD;
		}
		if (!fill(r, wait)) {
			if (!r->eof)
				return JSONRPC_NONE;
			return JSONRPC_EOF;
		}
	}
}

int jsonrpc_write(int fd, const char *body, size_t len)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", len);
	const char *parts[2] = { head, body };
	size_t sizes[2] = { (size_t)n, len };

	for (int i = 0; i < 2; i++) {
		const char *s = parts[i];
		size_t left = sizes[i];

		while (left) {
			ssize_t w = write(fd, s, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			s += w;
			left -= (size_t)w;
		}
	}
	return 0;
}
