/*
 * timeout_scope_internal: what the files of AM202 and AM201
 * (timeout_scope.c, timeout_io.c, timeout_origin.c) share.
 */
#ifndef ASYNCMOD_TIMEOUT_SCOPE_INTERNAL_H
#define ASYNCMOD_TIMEOUT_SCOPE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "../src/rule.h"

/* timeout_scope.c */

/* Adds the edits that put `stmt` in `async with MOD.timeout(LIMIT):`: the
 * header goes where the statement starts, the statement moves to the next
 * line one indent unit deeper, and its other lines follow. `comments` is
 * appended to the header line. `keep` holds pairs of byte ranges of the
 * statement that survive the caller's own edits (only lines beginning in
 * them are re-indented); NULL means the whole statement. */
void timeout_wrap_statement(const struct rule_ctx *ctx, struct finding *f, TSNode stmt,
			    const char *mod, const char *limit, const char *comments,
			    const uint32_t *keep, size_t nkeep);

/* True when `s` is one of the NULL-terminated `list`. */
bool timeout_in_list(const char *s, const char *const *list);

/* True when the callee of `call` resolves to one of `qnames`. */
bool timeout_call_is(const struct rule_ctx *ctx, TSNode call, const char *const *qnames);

/* True when the call passes `name=` with anything but a literal `None`. */
bool timeout_bounded_by_keyword(const struct rule_ctx *ctx, TSNode call, const char *name);

/* Writes `s` seconds as a Python number literal into `out`. */
void timeout_format_seconds(double s, struct buf *out);

/* timeout_origin.c */

/* What an object is, as far as AM201 can tell from where it came from. */
enum io_kind {
	IO_UNKNOWN,
	IO_LOOP,		/* asyncio.get_running_loop() */
	IO_STREAMS,		/* the (reader, writer) pair of open_connection */
	IO_READER,		/* asyncio.StreamReader */
	IO_WRITER,		/* asyncio.StreamWriter */
	IO_PROCESS,		/* asyncio.subprocess.Process */
	IO_PG_CONN,		/* asyncpg connection */
	IO_PG_POOL,		/* asyncpg pool */
	IO_REDIS,		/* redis.asyncio client */
	IO_WEBSOCKET,		/* websockets connection */
	IO_AIOHTTP_SESSION,	/* aiohttp.ClientSession */
	IO_AIOHTTP_WS,		/* aiohttp websocket response */
};

struct io_origin {
	enum io_kind kind;
	bool bounded;		/* the object carries its own time limit */
};

/* asyncio.open_connection and the unix form, under their module paths. */
extern const char *const timeout_open_connection[];

/* What the expression `expr` is: a call, or a name bound once in the
 * function `fn` (or one of its parameters, by its annotation). */
struct io_origin timeout_origin_of_expr(const struct rule_ctx *ctx, TSNode fn, TSNode expr,
					int depth);

#endif
