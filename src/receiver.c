/*
 * receiver: what an expression holds, as far as the file itself tells.
 *
 * Rules that look at a method call (`p.exists()`, `f.read()`) ask here
 * for the class of the object it is called on. The answer comes from the
 * code, never from a guess: a constructor or factory call
 * (`Path(..)`, `open(..)`, `Path.cwd()`), an annotation (`p: Path`,
 * `Optional[Path]`, `Union[Path, None]`, `Path | None`, `"Path"`), a
 * module global, `with X() as y`, `self.x` assigned in the methods of the
 * class, `for x in xs` over a list, tuple, set or comprehension of one
 * class (also through a name bound only to such collections), and the methods and operators that hand back the same class
 * (`p.resolve()`, `p.parent`, `p / "x"`). Every binding of a name in the
 * scope it resolves to must agree; one that tells nothing (a loop target,
 * a call of something unknown) makes the answer "unknown". A plain
 * `x = None` is left out, as `None` is in `Optional[..]`: it says the
 * object is not there yet, not what it is.
 */
#include "receiver.h"
#include "tree.h"

#include <string.h>

/* Calls and classes whose result is known: qualified name -> class. */
static const char *const factories[][2] = {
	{ "pathlib.Path", "pathlib.Path" },
	{ "pathlib.PosixPath", "pathlib.Path" },
	{ "pathlib.WindowsPath", "pathlib.Path" },
	{ "pathlib.Path.cwd", "pathlib.Path" },
	{ "pathlib.Path.home", "pathlib.Path" },
	{ "open", "io.IOBase" },
	{ "io.open", "io.IOBase" },
	{ "os.fdopen", "io.IOBase" },
	{ "io.FileIO", "io.IOBase" },
	{ "io.BufferedReader", "io.IOBase" },
	{ "io.BufferedWriter", "io.IOBase" },
	{ "io.BufferedRandom", "io.IOBase" },
	{ "io.TextIOWrapper", "io.IOBase" },
	{ "typing.IO", "io.IOBase" },
	{ "typing.TextIO", "io.IOBase" },
	{ "typing.BinaryIO", "io.IOBase" },
	{ "io.IOBase", "io.IOBase" },
	{ "io.RawIOBase", "io.IOBase" },
	{ "io.BufferedIOBase", "io.IOBase" },
	{ "io.TextIOBase", "io.IOBase" },
	{ "httpx.Client", "httpx.Client" },
	{ "httpx.AsyncClient", "httpx.AsyncClient" },
	{ "requests.Session", "requests.Session" },
	{ "requests.session", "requests.Session" },
	{ "requests.sessions.Session", "requests.Session" },
	{ "urllib3.PoolManager", "urllib3.PoolManager" },
	{ "urllib3.ProxyManager", "urllib3.PoolManager" },
	{ "urllib3.HTTPConnectionPool", "urllib3.PoolManager" },
	{ "urllib3.HTTPSConnectionPool", "urllib3.PoolManager" },
	{ "urllib3.connection_from_url", "urllib3.PoolManager" },
	{ "urllib3.proxy_from_url", "urllib3.PoolManager" },
	{ "urllib3.poolmanager.PoolManager", "urllib3.PoolManager" },
	{ "requests.sessions.session", "requests.Session" },
	{ "aiohttp.ClientSession", "aiohttp.ClientSession" },
	{ "asyncio.Queue", "asyncio.Queue" },
	{ "asyncio.PriorityQueue", "asyncio.Queue" },
	{ "asyncio.LifoQueue", "asyncio.Queue" },
	{ "asyncio.queues.Queue", "asyncio.Queue" },
	{ "asyncio.queues.PriorityQueue", "asyncio.Queue" },
	{ "asyncio.queues.LifoQueue", "asyncio.Queue" },
	{ "asyncpg.create_pool", "asyncpg.Pool" },
	{ "asyncpg.pool.create_pool", "asyncpg.Pool" },
	{ "asyncpg.Pool", "asyncpg.Pool" },
	{ "asyncpg.pool.Pool", "asyncpg.Pool" },
	/* network I/O objects (AM201): annotations, mostly */
	{ "asyncio.StreamReader", "asyncio.StreamReader" },
	{ "asyncio.streams.StreamReader", "asyncio.StreamReader" },
	{ "asyncio.StreamWriter", "asyncio.StreamWriter" },
	{ "asyncio.streams.StreamWriter", "asyncio.StreamWriter" },
	{ "asyncio.subprocess.Process", "asyncio.subprocess.Process" },
	{ "aiohttp.ClientWebSocketResponse", "aiohttp.ClientWebSocketResponse" },
	/* thread synchronisation (AM113); multiprocessing's work alike */
	{ "threading.Event", "threading.Event" },
	{ "multiprocessing.Event", "threading.Event" },
	{ "threading.Lock", "threading.Lock" },
	{ "multiprocessing.Lock", "threading.Lock" },
	{ "threading.RLock", "threading.RLock" },
	{ "multiprocessing.RLock", "threading.RLock" },
	{ "threading.Semaphore", "threading.Semaphore" },
	{ "threading.BoundedSemaphore", "threading.Semaphore" },
	{ "multiprocessing.Semaphore", "threading.Semaphore" },
	{ "multiprocessing.BoundedSemaphore", "threading.Semaphore" },
	{ "threading.Condition", "threading.Condition" },
	{ "multiprocessing.Condition", "threading.Condition" },
	{ "threading.Barrier", "threading.Barrier" },
	{ "multiprocessing.Barrier", "threading.Barrier" },
	{ "threading.Thread", "threading.Thread" },
	{ "threading.Timer", "threading.Thread" },
	{ "multiprocessing.Process", "threading.Thread" },
	{ "queue.Queue", "queue.Queue" },
	{ "queue.LifoQueue", "queue.Queue" },
	{ "queue.PriorityQueue", "queue.Queue" },
	{ "queue.SimpleQueue", "queue.Queue" },
	{ "multiprocessing.Queue", "queue.Queue" },
	{ "multiprocessing.JoinableQueue", "queue.Queue" },
	{ "multiprocessing.SimpleQueue", "queue.Queue" },
	{ "concurrent.futures.Future", "concurrent.futures.Future" },
	{ "asyncio.run_coroutine_threadsafe", "concurrent.futures.Future" },
	{ "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.Executor" },
	{ "concurrent.futures.ProcessPoolExecutor", "concurrent.futures.Executor" },
	{ "concurrent.futures.Executor", "concurrent.futures.Executor" },
	/* sync sockets and database clients (AM114) */
	{ "socket.socket", "socket.socket" },
	{ "socket.SocketType", "socket.socket" },
	{ "socket.create_connection", "socket.socket" },
	{ "socket.create_server", "socket.socket" },
	{ "socket.fromfd", "socket.socket" },
	{ "sqlite3.connect", "sqlite3.Connection" },
	{ "sqlite3.Connection", "sqlite3.Connection" },
	{ "sqlite3.Cursor", "sqlite3.Cursor" },
	{ "psycopg2.connect", "psycopg2.connection" },
	{ "psycopg2.extensions.connection", "psycopg2.connection" },
	{ "psycopg2.extensions.cursor", "psycopg2.cursor" },
	{ "pymysql.connect", "pymysql.Connection" },
	{ "pymysql.Connection", "pymysql.Connection" },
	{ "pymysql.connections.Connection", "pymysql.Connection" },
	{ "pymysql.cursors.Cursor", "pymysql.Cursor" },
	{ "MySQLdb.connect", "MySQLdb.Connection" },
	{ "MySQLdb.Connection", "MySQLdb.Connection" },
	{ "MySQLdb.connections.Connection", "MySQLdb.Connection" },
	{ "MySQLdb.cursors.Cursor", "MySQLdb.Cursor" },
	{ "redis.Redis", "redis.Redis" },
	{ "redis.StrictRedis", "redis.Redis" },
	{ "redis.from_url", "redis.Redis" },
	{ "redis.Redis.from_url", "redis.Redis" },
	{ "redis.client.Redis", "redis.Redis" },
	{ "redis.client.StrictRedis", "redis.Redis" },
};

/* Methods whose result is known from their object's class: class, method,
 * class of the result (`conn.cursor()`, sqlite3's `conn.execute(..)`). */
static const char *const method_results[][3] = {
	{ "sqlite3.Connection", "cursor", "sqlite3.Cursor" },
	{ "sqlite3.Connection", "execute", "sqlite3.Cursor" },
	{ "sqlite3.Connection", "executemany", "sqlite3.Cursor" },
	{ "sqlite3.Connection", "executescript", "sqlite3.Cursor" },
	{ "sqlite3.Cursor", "execute", "sqlite3.Cursor" },
	{ "psycopg2.connection", "cursor", "psycopg2.cursor" },
	{ "pymysql.Connection", "cursor", "pymysql.Cursor" },
	{ "MySQLdb.Connection", "cursor", "MySQLdb.Cursor" },
	{ "redis.Redis", "pipeline", "redis.Pipeline" },
};

/* Methods of a path that return a path, and the attributes that are one. */
static const char *const path_methods[] = {
	"resolve", "absolute", "expanduser", "with_name", "with_suffix", "with_stem",
	"joinpath", "relative_to", "readlink", NULL,
};
static const char *const path_attributes[] = { "parent", NULL };

/* Request methods of an async client whose awaited result is a response. */
static const char *const async_request_methods[] = {
	"get", "post", "put", "patch", "delete", "head", "options", "request", "send", NULL,
};

#define RECEIVER_MAX_DEPTH 8
#define RECEIVER_MAX_SITES 16

static bool node_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static bool in_list(const char *const *list, const char *s, size_t len)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return true;
	return false;
}

static const char *text_of(const struct receiver_ctx *rc, TSNode n, size_t *len)
{
	*len = ts_node_end_byte(n) - ts_node_start_byte(n);
	return rc->text + ts_node_start_byte(n);
}

static const char *method_result(const char *cls, const char *method, size_t len)
{
	for (size_t i = 0; i < sizeof(method_results) / sizeof(method_results[0]); i++)
		if (!strcmp(method_results[i][0], cls) && strlen(method_results[i][1]) == len &&
		    !memcmp(method_results[i][1], method, len))
			return method_results[i][2];
	return NULL;
}

static const char *factory_class(const char *qname)
{
	for (size_t i = 0; i < sizeof(factories) / sizeof(factories[0]); i++)
		if (!strcmp(factories[i][0], qname))
			return factories[i][1];
	return NULL;
}

/* The class a name chain (`Path`, `pathlib.Path`, `typing.Optional`)
 * resolves to, builtins included. */
static const char *chain_class(const struct receiver_ctx *rc, TSNode n, struct buf *q)
{
	enum resolution r = scope_resolve_expr(rc->scopes, n, q);

	if (r == RESOLVE_LOCAL || r == RESOLVE_AMBIGUOUS)
		return NULL;
	return buf_cstr(q);
}

static int expr_type(const struct receiver_ctx *rc, TSNode e, const char **out, int depth);
static int awaited_type(const struct receiver_ctx *rc, TSNode e, const char **out, int depth);

/* Merges one more answer into `*out`: all must agree. */
static int agree(const char **out, const char *t)
{
	if (!t)
		return 0;
	if (*out && strcmp(*out, t))
		return 0;
	*out = t;
	return 1;
}

/* A string annotation's text `s`: dotted names joined by `|` (`None` left
 * out), each perhaps with a generic's parameters (`"queue.Queue[int]"` is
 * a queue) or an `Optional[..]`/`Union[..]` around them, resolved where
 * the annotation is (`at`). */
static int string_annotation_type(const struct receiver_ctx *rc, uint32_t at, const char *s,
				  size_t len, const char **out, int depth)
{
	int found = 0;

	if (depth > RECEIVER_MAX_DEPTH)
		return 0;
	while (len) {
		size_t n = 0, head = 0, end, open = 0;
		struct buf q = BUF_INIT;
		const char *qn = NULL, *c;
		enum resolution r;
		int ok, level = 0;

		/* one member: up to a `|` or `,` outside brackets */
		for (; n < len; n++) {
			if (s[n] == '[')
				level++;
			else if (s[n] == ']')
				level--;
			else if (!level && (s[n] == '|' || s[n] == ','))
				break;
		}
		end = n;
		while (end && s[end - 1] == ' ')
			end--;
		while (head < end && s[head] == ' ')
			head++;
		s += head;
		end -= head;
		n -= head;
		len -= head;
		while (open < end && s[open] != '[')
			open++;
		if (!(end == 4 && !memcmp(s, "None", 4))) {
			size_t dot = 0;

			if (!open)
				return 0;
			for (size_t k = 0; k < open; k++)
				if (!(s[k] == '.' || s[k] == '_' || (s[k] >= 'a' && s[k] <= 'z') ||
				      (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9')))
					return 0;
			while (dot < open && s[dot] != '.')
				dot++;
			r = scope_resolve_name(rc->scopes, at, s, dot, &qn);
			if (r == RESOLVE_MODULE && qn)
				buf_puts(&q, qn);
			else if (r == RESOLVE_UNBOUND)
				buf_add(&q, s, dot);
			else
				return 0;
			buf_add(&q, s + dot, open - dot);
			c = buf_cstr(&q);
			if (open < end && s[end - 1] == ']' &&
			    (!strcmp(c, "typing.Optional") || !strcmp(c, "typing.Union")))
				ok = string_annotation_type(rc, at, s + open + 1, end - open - 2, out,
							    depth + 1);
			else
				ok = agree(out, factory_class(c));
			buf_release(&q);
			if (!ok)
				return 0;
			found = 1;
		}
		if (n >= len)
			break;
		s += n + 1;
		len -= n + 1;
	}
	return found;
}

/* The class an annotation names; `None` members of an optional or a union
 * are left out. Sets `*none` for a bare None. */
static int annotation_type(const struct receiver_ctx *rc, TSNode a, const char **out,
			   int depth)
{
	struct buf q = BUF_INIT;
	const char *c;
	int ok = 0;

	if (ts_node_is_null(a) || depth > RECEIVER_MAX_DEPTH)
		return 0;
	if (node_is(a, "type") || node_is(a, "parenthesized_expression"))
		return annotation_type(rc, ts_node_named_child(a, 0), out, depth + 1);
	if (node_is(a, "binary_operator")) {
		TSNode l = ts_node_child_by_field_name(a, "left", 4);
		TSNode r = ts_node_child_by_field_name(a, "right", 5);
		TSNode op = ts_node_child_by_field_name(a, "operator", 8);
		const char *t = NULL;
		size_t n;
		const char *o = ts_node_is_null(op) ? "" : text_of(rc, op, &n);

		if (ts_node_is_null(op) || n != 1 || *o != '|')
			return 0;
		if (!node_is(l, "none") && !annotation_type(rc, l, &t, depth + 1))
			return 0;
		if (!node_is(r, "none") && !annotation_type(rc, r, &t, depth + 1))
			return 0;
		return agree(out, t);
	}
	if (node_is(a, "string")) {
		/* a forward reference: one string_content part */
		for (uint32_t i = 0, n = ts_node_named_child_count(a); i < n; i++) {
			TSNode part = ts_node_named_child(a, i);
			const char *t = NULL;
			size_t len;
			const char *s;

			if (!node_is(part, "string_content"))
				continue;
			s = text_of(rc, part, &len);
			ok = string_annotation_type(rc, ts_node_start_byte(a), s, len, &t, depth) &&
			     agree(out, t);
			break;
		}
		return ok;
	}
	if (node_is(a, "subscript") || node_is(a, "generic_type")) {
		TSNode v = node_is(a, "subscript") ? ts_node_child_by_field_name(a, "value", 5)
						   : ts_node_named_child(a, 0);
		const char *t = NULL;

		c = ts_node_is_null(v) ? NULL : chain_class(rc, v, &q);
		if (c && (!strcmp(c, "typing.Optional") || !strcmp(c, "typing.Union"))) {
			ok = 1;
			for (uint32_t i = 1, n = ts_node_named_child_count(a); i < n && ok; i++) {
				TSNode m = ts_node_named_child(a, i);

				if (node_is(m, "type_parameter")) {	/* generic_type's [..] */
					for (uint32_t k = 0, kn = ts_node_named_child_count(m);
					     k < kn && ok; k++) {
						TSNode p = ts_node_named_child(m, k);

						if (!node_is(p, "none") &&
						    !(node_is(p, "type") &&
						      node_is(ts_node_named_child(p, 0), "none")))
							ok = annotation_type(rc, p, &t, depth + 1);
					}
					continue;
				}
				if (!node_is(m, "none"))
					ok = annotation_type(rc, m, &t, depth + 1);
			}
			ok = ok && agree(out, t);
		} else if (c && factory_class(c)) {
			ok = agree(out, factory_class(c));	/* `queue.Queue[int]` */
		}
		buf_release(&q);
		return ok;
	}
	if (node_is(a, "identifier") || node_is(a, "attribute")) {
		c = chain_class(rc, a, &q);
		ok = c ? agree(out, factory_class(c)) : 0;
		buf_release(&q);
		return ok;
	}
	return 0;
}

/* The nodes at the bound names of the name `id` in the scope it resolves
 * to (scope_binding_sites(), at most RECEIVER_MAX_SITES): how many, 0 when
 * none are known. */
static size_t binding_nodes(const struct receiver_ctx *rc, TSNode id, TSNode *nodes)
{
	uint32_t sites[RECEIVER_MAX_SITES];
	size_t len, n;
	const char *name = text_of(rc, id, &len);
	TSNode root = ts_tree_root_node(id.tree);

	n = scope_binding_sites(rc->scopes, ts_node_start_byte(id), name, len, sites,
				RECEIVER_MAX_SITES);
	for (size_t i = 0; i < n; i++)
		nodes[i] = ts_node_named_descendant_for_byte_range(root, sites[i],
								   sites[i] + (uint32_t)len);
	return n;
}

/* The class one binding of a name gives it: the binding's name node is
 * `site`. */
static int elements_type(const struct receiver_ctx *rc, TSNode e, const char **out, int depth);

/* The class of what a name holding a collection holds: every binding of
 * the name is an assignment of a collection whose elements agree. */
static int name_elements_type(const struct receiver_ctx *rc, TSNode id, const char **out,
			      int depth)
{
	TSNode sites[RECEIVER_MAX_SITES];
	size_t n = binding_nodes(rc, id, sites);

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		TSNode site = sites[i];
		TSNode p = tree_parent(site);

		if (!node_is(site, "identifier") || !node_is(p, "assignment") ||
		    !ts_node_eq(ts_node_child_by_field_name(p, "left", 4), site) ||
		    !ts_node_is_null(ts_node_child_by_field_name(p, "type", 4)) ||
		    !elements_type(rc, ts_node_child_by_field_name(p, "right", 5), out, depth + 1))
			return 0;
	}
	return 1;
}

/* The class of the elements of the collection `e`: a list, tuple or set
 * display whose items agree, a comprehension of one class, or a name
 * bound only to such collections (`threads = [Thread(..) for ..]`). */
static int elements_type(const struct receiver_ctx *rc, TSNode e, const char **out, int depth)
{
	uint32_t n;

	if (ts_node_is_null(e) || depth > RECEIVER_MAX_DEPTH)
		return 0;
	if (node_is(e, "parenthesized_expression"))
		return elements_type(rc, ts_node_named_child(e, 0), out, depth + 1);
	if (node_is(e, "identifier"))
		return name_elements_type(rc, e, out, depth);
	if (node_is(e, "list_comprehension") || node_is(e, "set_comprehension") ||
	    node_is(e, "generator_expression"))
		return expr_type(rc, ts_node_child_by_field_name(e, "body", 4), out, depth + 1);
	if (!node_is(e, "list") && !node_is(e, "tuple") && !node_is(e, "set"))
		return 0;
	n = ts_node_named_child_count(e);
	if (!n)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		TSNode item = ts_node_named_child(e, i);

		if (node_is(item, "comment"))
			continue;
		if (!expr_type(rc, item, out, depth + 1))
			return 0;
	}
	return 1;
}

static int site_type(const struct receiver_ctx *rc, TSNode site, const char **out, int depth)
{
	TSNode p = tree_parent(site);

	/* `for x in COLLECTION:` */
	if (node_is(p, "for_statement") &&
	    ts_node_eq(ts_node_child_by_field_name(p, "left", 4), site))
		return elements_type(rc, ts_node_child_by_field_name(p, "right", 5), out,
				     depth + 1);

	if (node_is(p, "typed_parameter") || node_is(p, "typed_default_parameter"))
		return annotation_type(rc, ts_node_child_by_field_name(p, "type", 4), out,
				       depth + 1);
	if (node_is(p, "assignment") &&
	    ts_node_eq(ts_node_child_by_field_name(p, "left", 4), site)) {
		TSNode t = ts_node_child_by_field_name(p, "type", 4);
		TSNode r = ts_node_child_by_field_name(p, "right", 5);

		if (!ts_node_is_null(t))
			return annotation_type(rc, t, out, depth + 1);
		return !ts_node_is_null(r) && expr_type(rc, r, out, depth + 1);
	}
	if (node_is(p, "as_pattern_target")) {
		TSNode as = tree_parent(p);

		const char *t = NULL;

		/* `with X() as y` binds what X's __enter__ returns: the object
		 * itself for files, clients, sessions and executors; a lock's
		 * gives True */
		if (node_is(as, "as_pattern") && node_is(tree_parent(as), "with_item") &&
		    expr_type(rc, ts_node_named_child(as, 0), &t, depth + 1) &&
		    strncmp(t, "threading.", 10))
			return agree(out, t);
	}
	return 0;
}

/* True when the binding `target` (a name or `self.x`) is a plain
 * `target = None`, which says the object is not there yet: an object's
 * class is what its other bindings give, as for `Optional[..]`. */
static bool assigned_none(TSNode target)
{
	TSNode p = tree_parent(target);

	return node_is(p, "assignment") &&
	       ts_node_eq(ts_node_child_by_field_name(p, "left", 4), target) &&
	       ts_node_is_null(ts_node_child_by_field_name(p, "type", 4)) &&
	       node_is(ts_node_child_by_field_name(p, "right", 5), "none");
}

static int name_type(const struct receiver_ctx *rc, TSNode id, const char **out, int depth)
{
	TSNode sites[RECEIVER_MAX_SITES];
	size_t n = binding_nodes(rc, id, sites), typed = 0;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		TSNode site = sites[i];

		if (!node_is(site, "identifier"))
			return 0;
		if (assigned_none(site))
			continue;	/* `x = None` until it holds the object */
		if (!site_type(rc, site, out, depth))
			return 0;
		typed++;
	}
	return typed > 0;
}

/* `self.attr`: every assignment `self.attr = ..` in the methods of the
 * class, and a class-level annotation `attr: T`, must agree. */
static int self_attr_type(const struct receiver_ctx *rc, TSNode attr, const char **out,
			  int depth)
{
	TSNode obj = ts_node_child_by_field_name(attr, "object", 6);
	TSNode name = ts_node_child_by_field_name(attr, "attribute", 9);
	TSNode fn = attr, cls, body;
	TSTreeCursor cur;
	struct tree_occurrences occ;
	size_t alen, slen;
	const char *a, *s;
	int found = 0, ok = 1;

	if (!node_is(obj, "identifier") || ts_node_is_null(name))
		return 0;
	s = text_of(rc, obj, &slen);
	if (slen != 4 || memcmp(s, "self", 4))
		return 0;
	a = text_of(rc, name, &alen);
	while (!ts_node_is_null(fn) && !node_is(fn, "function_definition"))
		fn = tree_parent(fn);
	cls = tree_parent(tree_parent(fn));
	if (node_is(cls, "decorated_definition"))
		cls = tree_parent(tree_parent(cls));
	if (!node_is(cls, "class_definition"))
		return 0;
	body = ts_node_child_by_field_name(cls, "body", 4);
	/* every `self.<attr> = ..` and `<attr>: T` below the class: each
	 * holds the attribute's name, so a node without it is not entered */
	tree_occurrences_find(&occ, rc->text, ts_node_start_byte(body), ts_node_end_byte(body), a,
			      (uint32_t)alen);
	cur = ts_tree_cursor_new(body);
	for (bool down = true;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);

		down = down && tree_occurrences_within(&occ, n);
		if (down && node_is(n, "assignment")) {
			TSNode l = ts_node_child_by_field_name(n, "left", 4);
			TSNode t = ts_node_child_by_field_name(n, "type", 4);
			TSNode r = ts_node_child_by_field_name(n, "right", 5);
			size_t len = 0;
			const char *x;

			if (node_is(l, "attribute")) {
				TSNode lo = ts_node_child_by_field_name(l, "object", 6);
				TSNode la = ts_node_child_by_field_name(l, "attribute", 9);

				x = ts_node_is_null(la) ? "" : text_of(rc, la, &len);
				if (node_is(lo, "identifier") && !ts_node_is_null(la) && len == alen &&
				    !memcmp(x, a, alen)) {
					const char *ls = text_of(rc, lo, &len);

					if (len == 4 && !memcmp(ls, "self", 4) && !assigned_none(l)) {
						found = 1;
						ok = ok && (!ts_node_is_null(t)
								    ? annotation_type(rc, t, out, depth + 1)
								    : (!ts_node_is_null(r) &&
								       expr_type(rc, r, out, depth + 1)));
					}
				}
			} else if (node_is(l, "identifier") && !ts_node_is_null(t) &&
				   ts_node_eq(tree_parent(tree_parent(n)), body)) {
				x = text_of(rc, l, &len);
				if (len == alen && !memcmp(x, a, alen)) {
					found = 1;
					ok = ok && annotation_type(rc, t, out, depth + 1);
				}
			}
		}
		if (down && ts_tree_cursor_goto_first_child(&cur))
			continue;
		if (ts_tree_cursor_goto_next_sibling(&cur)) {
			down = true;
			continue;
		}
		if (!ts_tree_cursor_goto_parent(&cur))
			break;
		down = false;
		if (ts_node_eq(ts_tree_cursor_current_node(&cur), body))
			break;
	}
	ts_tree_cursor_delete(&cur);
	tree_occurrences_release(&occ);
	return found && ok;
}

static int expr_type(const struct receiver_ctx *rc, TSNode e, const char **out, int depth)
{
	struct buf q = BUF_INIT;
	int ok = 0;

	if (ts_node_is_null(e) || depth > RECEIVER_MAX_DEPTH)
		return 0;
	if (node_is(e, "parenthesized_expression"))
		return expr_type(rc, ts_node_named_child(e, 0), out, depth + 1);
	if (node_is(e, "identifier"))
		return name_type(rc, e, out, depth);
	if (node_is(e, "await"))
		return awaited_type(rc, ts_node_named_child(e, 0), out, depth + 1);
	if (node_is(e, "call")) {
		TSNode fn = ts_node_child_by_field_name(e, "function", 8);
		const char *c = NULL, *t = NULL;

		if (node_is(fn, "identifier") || node_is(fn, "attribute"))
			c = chain_class(rc, fn, &q);
		if (c && factory_class(c)) {
			ok = agree(out, factory_class(c));
		} else if (node_is(fn, "attribute")) {
			TSNode m = ts_node_child_by_field_name(fn, "attribute", 9);
			size_t len = 0;
			const char *name = ts_node_is_null(m) ? "" : text_of(rc, m, &len);

			if (ts_node_is_null(m) ||
			    !expr_type(rc, ts_node_child_by_field_name(fn, "object", 6), &t, depth + 1))
				t = NULL;
			if (t && !strcmp(t, "pathlib.Path")) {
				if (in_list(path_methods, name, len))
					ok = agree(out, "pathlib.Path");
				else if (len == 4 && !memcmp(name, "open", 4))
					ok = agree(out, "io.IOBase");
			} else if (t && !strcmp(t, "concurrent.futures.Executor") && len == 6 &&
				   !memcmp(name, "submit", 6)) {
				ok = agree(out, "concurrent.futures.Future");	/* executor.submit(..) */
			} else if (t && method_result(t, name, len)) {
				ok = agree(out, method_result(t, name, len));
			}
		}
		buf_release(&q);
		return ok;
	}
	if (node_is(e, "attribute")) {
		TSNode m = ts_node_child_by_field_name(e, "attribute", 9);
		const char *t = NULL;
		size_t len;
		const char *name;

		if (ts_node_is_null(m))
			return 0;
		name = text_of(rc, m, &len);
		if (in_list(path_attributes, name, len) &&
		    expr_type(rc, ts_node_child_by_field_name(e, "object", 6), &t, depth + 1) &&
		    !strcmp(t, "pathlib.Path"))
			return agree(out, "pathlib.Path");
		return self_attr_type(rc, e, out, depth);
	}
	if (node_is(e, "binary_operator")) {
		TSNode op = ts_node_child_by_field_name(e, "operator", 8);
		const char *t = NULL;
		size_t len;
		const char *o = ts_node_is_null(op) ? "" : text_of(rc, op, &len);

		if (!ts_node_is_null(op) && len == 1 && *o == '/' &&
		    expr_type(rc, ts_node_child_by_field_name(e, "left", 4), &t, depth + 1) &&
		    !strcmp(t, "pathlib.Path"))
			return agree(out, "pathlib.Path");
	}
	return 0;
}

/* What awaiting `e` gives: a request of an httpx.AsyncClient gives a
 * response, and so does asyncio.wait_for over one; asyncio.to_thread(F,
 * ..) gives what F's call gives. */
static int awaited_type(const struct receiver_ctx *rc, TSNode e, const char **out, int depth)
{
	TSNode fn = ts_node_child_by_field_name(e, "function", 8), m;
	struct buf q = BUF_INIT;
	const char *t = NULL, *c;
	size_t len;

	if (!node_is(e, "call") || depth > RECEIVER_MAX_DEPTH)
		return 0;
	c = node_is(fn, "attribute") || node_is(fn, "identifier") ? chain_class(rc, fn, &q) : NULL;
	if (c && !strcmp(c, "asyncio.wait_for")) {
		TSNode args = ts_node_child_by_field_name(e, "arguments", 9);

		buf_release(&q);
		return node_is(args, "argument_list") &&
		       awaited_type(rc, ts_node_named_child(args, 0), out, depth + 1);
	}
	if (c && !strcmp(c, "asyncio.to_thread")) {
		/* `await asyncio.to_thread(socket.create_connection, ..)` gives
		 * what the function called in the thread gives */
		TSNode args = ts_node_child_by_field_name(e, "arguments", 9);
		TSNode f0 = node_is(args, "argument_list") ? ts_node_named_child(args, 0) : args;
		const char *fc;
		int ok = 0;

		buf_release(&q);
		if (node_is(f0, "identifier") || node_is(f0, "attribute")) {
			fc = chain_class(rc, f0, &q);
			ok = fc && factory_class(fc) && agree(out, factory_class(fc));
			buf_release(&q);
		}
		return ok;
	}
	if (c && factory_class(c) && !strcmp(factory_class(c), "asyncpg.Pool")) {
		/* awaiting a new asyncpg pool gives the pool */
		buf_release(&q);
		return agree(out, "asyncpg.Pool");
	}
	buf_release(&q);
	if (!node_is(fn, "attribute"))
		return 0;
	m = ts_node_child_by_field_name(fn, "attribute", 9);
	if (ts_node_is_null(m))
		return 0;
	c = text_of(rc, m, &len);
	if (in_list(async_request_methods, c, len) &&
	    expr_type(rc, ts_node_child_by_field_name(fn, "object", 6), &t, depth + 1) &&
	    !strcmp(t, "httpx.AsyncClient"))
		return agree(out, "httpx.Response");
	return 0;
}

const char *receiver_type(const struct receiver_ctx *rc, TSNode expr)
{
	const char *t = NULL;

	return expr_type(rc, expr, &t, 0) ? t : NULL;
}
