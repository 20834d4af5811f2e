/*
 * receiver: the class of the object an expression holds, from the file's
 * own constructors, factories, annotations and assignments (see
 * receiver.c for the shapes it follows).
 */
#ifndef ASYNCMOD_RECEIVER_H
#define ASYNCMOD_RECEIVER_H

#include <tree_sitter/api.h>

#include "scope.h"

struct receiver_ctx {
	const struct scope_index *scopes;
	const char *text;	/* the text the tree was parsed from */
};

/* The class `expr` holds wherever it is evaluated, as one of the names
 * below, or NULL when the file does not tell (or tells two things):
 * "pathlib.Path" (also PosixPath, WindowsPath), "io.IOBase" (a file object
 * from open(), io.open(), os.fdopen(), Path.open() or an io/typing file
 * annotation), "httpx.Client", "httpx.AsyncClient", "requests.Session",
 * "urllib3.PoolManager" (any urllib3 pool or pool manager),
 * "aiohttp.ClientSession", "httpx.Response" (an awaited request of an
 * httpx.AsyncClient, also through asyncio.wait_for), "asyncio.Queue"
 * (also PriorityQueue and LifoQueue, and the generic `asyncio.Queue[T]`
 * annotation), "asyncpg.Pool" (asyncpg.create_pool(..), awaited or not,
 * or an annotation), "asyncio.StreamReader", "asyncio.StreamWriter",
 * "asyncio.subprocess.Process", "aiohttp.ClientWebSocketResponse", and for thread
 * synchronisation (multiprocessing's alike counted in): "threading.Event",
 * "threading.Lock", "threading.RLock", "threading.Semaphore" (also
 * BoundedSemaphore), "threading.Condition", "threading.Barrier",
 * "threading.Thread" (also Timer, multiprocessing.Process), "queue.Queue"
 * (every queue class of queue and multiprocessing),
 * "concurrent.futures.Executor" (thread and process pools) and
 * "concurrent.futures.Future" (`executor.submit(..)`,
 * asyncio.run_coroutine_threadsafe), and for sync network and database
 * clients: "socket.socket" (also create_connection, create_server,
 * fromfd), "sqlite3.Connection" and "sqlite3.Cursor" (`conn.cursor()`,
 * `conn.execute(..)`), "psycopg2.connection"/"psycopg2.cursor",
 * "pymysql.Connection"/"pymysql.Cursor", "MySQLdb.Connection"/
 * "MySQLdb.Cursor" (`X.connect(..)`, `conn.cursor()`), "redis.Redis"
 * (also StrictRedis, from_url) and "redis.Pipeline" (`r.pipeline()`). */
const char *receiver_type(const struct receiver_ctx *rc, TSNode expr);

#endif
