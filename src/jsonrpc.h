/*
 * jsonrpc: the base protocol of the Language Server Protocol: messages
 * framed by a header (`Content-Length: N`, an optional `Content-Type`,
 * each line ended by CR LF, a blank line) and a body of N bytes of JSON.
 *
 * The reader never trusts the peer: a header without a valid length, a
 * header line that is too long or a body over JSONRPC_MAX_BODY is a bad
 * frame, reported once, after which the reader skips to the next
 * `Content-Length:` it sees (or past the announced body).
 */
#ifndef ASYNCMOD_JSONRPC_H
#define ASYNCMOD_JSONRPC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

/* The largest body accepted: a source of SOURCE_MAX_BYTES, escaped. */
#define JSONRPC_MAX_BODY (128u * 1024u * 1024u)

struct jsonrpc_reader {
	int fd;
	struct buf in;		/* bytes read, not yet taken */
	size_t pos;		/* start of what is not taken in `in` */
	size_t skip;		/* body bytes of a refused frame still to drop */
	bool eof;
};

enum jsonrpc_read {
	JSONRPC_EOF,		/* the stream ended */
	JSONRPC_MESSAGE,	/* a body is in `out` */
	JSONRPC_BAD,		/* a bad frame, `err` says why */
	JSONRPC_NONE,		/* (not waiting) no whole message is available yet */
};

void jsonrpc_reader_init(struct jsonrpc_reader *r, int fd);
void jsonrpc_reader_release(struct jsonrpc_reader *r);

/* Takes the next message's body into `out`. With `wait` false it reads
 * only what is already available and returns JSONRPC_NONE when that
 * holds no whole message. */
enum jsonrpc_read jsonrpc_read(struct jsonrpc_reader *r, struct buf *out, bool wait,
			       struct err *err);

/* Writes one message with its header. Returns 0, or -1 when the stream
 * is closed or broken. */
int jsonrpc_write(int fd, const char *body, size_t len);

#endif
