/*
 * ASYNC210 / ASYNC211 / ASYNC212: synchronous HTTP in an async function.
 *
 * ASYNC210 finds `requests.<verb>(..)`, module-level `httpx.<verb>(..)`,
 * `urllib.request.urlopen(..)` and the methods of a `requests.Session`;
 * ASYNC211 a request on a urllib3 pool; ASYNC212 a request method of a
 * sync `httpx.Client`. Each blocks the event loop for the whole exchange.
 *
 * Safe fix: `await asyncio.to_thread(requests.get, url, ..)`, which keeps
 * the call's own semantics. Unsafe fix (ASYNC210, when unsafe fixes are
 * wanted): a statement `r = requests.get(..)` (or an expression statement)
 * is wrapped in `async with httpx.AsyncClient(..) as client:` (or an
 * aiohttp.ClientSession, per `--http-client`) with the argument renames
 * that keep requests' behaviour, and the later uses of `r` are renamed
 * where an exact equivalent exists. When a condition of the migration
 * fails, the safe form is given and the message says why.
 *
 * Reported instead: nested sync scopes, a client object shared across
 * tasks (module-level or from an outer function), `stream=True` (reading
 * the body would still block), anyio/trio modules.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "sync_http.scm.h"
#include "sync_http_pool.scm.h"
#include "sync_http_client.scm.h"

static const char *const tokens_requests[] = { "requests", "urlopen", "httpx", "urllib3", NULL };
static const char *const tokens_pool[] = { "urllib3", NULL };
static const char *const tokens_client[] = { "httpx", NULL };

static const char *const verbs[] = {
	"get", "post", "put", "patch", "delete", "head", "options", NULL,
};

static const char *const session_ctors[] = {
	"requests.Session", "requests.session", "requests.sessions.Session",
	"requests.sessions.session", NULL,
};

static const char *const pool_ctors[] = {
	"urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPConnectionPool",
	"urllib3.HTTPSConnectionPool", "urllib3.connection_from_url", "urllib3.proxy_from_url",
	"urllib3.poolmanager.PoolManager", "urllib3.poolmanager.ProxyManager",
	"urllib3.poolmanager.proxy_from_url", "urllib3.connectionpool.HTTPConnectionPool",
	"urllib3.connectionpool.HTTPSConnectionPool",
	"urllib3.connectionpool.connection_from_url", NULL,
};

static const char *const client_ctors[] = { "httpx.Client", "httpx._client.Client", NULL };

/* What an ASYNC210 call is. */
enum kind {
	KIND_NONE,
	KIND_REQUESTS,		/* requests.<verb> */
	KIND_HTTPX,		/* httpx.<verb> */
	KIND_URLOPEN,		/* urllib.request.urlopen, urllib3.request (its default pool) */
	KIND_METHOD,		/* a method of a session, pool or client object */
};

/* Who owns the object a method is called on. */
enum owner {
	OWNER_UNKNOWN,		/* not known to be a client object */
	OWNER_LOCAL,		/* created in the coroutine that calls it */
	OWNER_SHARED,		/* module-level or from an enclosing function */
};

static bool str_in(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static bool type_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static bool same_node(TSNode a, TSNode b)
{
	return !ts_node_is_null(a) && !ts_node_is_null(b) && ts_node_eq(a, b);
}

/* True when `n` is a call whose function resolves to one of `ctors`. */
static bool is_ctor_call(const struct rule_ctx *ctx, TSNode n, const char *const *ctors)
{
	struct buf q = BUF_INIT;
	bool yes;
	TSNode fn;

	if (!type_is(n, "call"))
		return false;
	fn = field(n, "function");
	yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      str_in(buf_cstr(&q), ctors);
	buf_release(&q);
	return yes;
}

/* What a walk does after visiting a node. */
enum walk {
	WALK_INTO,		/* go on into the node's children */
	WALK_PAST,		/* skip its children */
	WALK_STOP,		/* end the walk */
};

/* Visits the nodes under `n` (not `n` itself) in order, with one cursor:
 * indexing children one by one is quadratic in their number. Returns
 * false when a visit stopped it. */
static bool walk(TSNode n, enum walk (*visit)(TSNode node, void *arg), void *arg)
{
	TSTreeCursor cur = ts_tree_cursor_new(n);
	bool stopped = false;

	if (ts_tree_cursor_goto_first_child(&cur)) {
		for (;;) {
			enum walk w = visit(ts_tree_cursor_current_node(&cur), arg);

			if (w == WALK_STOP) {
				stopped = true;
				break;
			}
			if (w == WALK_INTO && ts_tree_cursor_goto_first_child(&cur))
				continue;
			while (!ts_tree_cursor_goto_next_sibling(&cur))
				if (!ts_tree_cursor_goto_parent(&cur) ||
				    ts_node_eq(ts_tree_cursor_current_node(&cur), n))
					goto done;
		}
	}
done:
	ts_tree_cursor_delete(&cur);
	return !stopped;
}

/* The bindings of one name in one scope. */
struct bindings {
	unsigned ctor;		/* `NAME = Ctor(..)`, `with Ctor(..) as NAME` */
	unsigned other;		/* any other binding: parameter, loop target, ... */
	bool global;		/* `global NAME` / `nonlocal NAME` */
};

/* Counts how the identifier `id` (the name looked for) binds, if it does. */
static void classify_binding(const struct rule_ctx *ctx, TSNode id, const char *const *ctors,
			     struct bindings *b)
{
	TSNode p = ts_node_parent(id);
	const char *pt = ts_node_is_null(p) ? "" : ts_node_type(p);

	if (!strcmp(pt, "assignment")) {
		if (same_node(field(p, "left"), id)) {
			if (is_ctor_call(ctx, field(p, "right"), ctors))
				b->ctor++;
			else
				b->other++;
		}
	} else if (!strcmp(pt, "as_pattern_target")) {
		TSNode as = ts_node_parent(p);

		if (type_is(as, "as_pattern") && type_is(ts_node_parent(as), "with_item") &&
		    is_ctor_call(ctx, ts_node_named_child(as, 0), ctors))
			b->ctor++;
		else
			b->other++;
	} else if (!strcmp(pt, "global_statement") || !strcmp(pt, "nonlocal_statement")) {
		b->global = true;
	} else if (!strcmp(pt, "augmented_assignment") || !strcmp(pt, "for_statement") ||
		   !strcmp(pt, "for_in_clause")) {
		if (same_node(field(p, "left"), id))
			b->other++;
	} else if (!strcmp(pt, "named_expression")) {
		if (same_node(field(p, "name"), id))
			b->other++;
	} else if (!strcmp(pt, "default_parameter") || !strcmp(pt, "typed_default_parameter")) {
		if (same_node(field(p, "name"), id))
			b->other++;
	} else if (!strcmp(pt, "except_clause")) {
		if (same_node(field(p, "alias"), id))
			b->other++;
	} else if (!strcmp(pt, "pattern_list") || !strcmp(pt, "tuple_pattern") ||
		   !strcmp(pt, "list_pattern") || !strcmp(pt, "list_splat_pattern") ||
		   !strcmp(pt, "dictionary_splat_pattern") || !strcmp(pt, "parameters") ||
		   !strcmp(pt, "lambda_parameters") || !strcmp(pt, "typed_parameter") ||
		   !strcmp(pt, "aliased_import") || !strcmp(pt, "dotted_name") ||
		   !strcmp(pt, "keyword_pattern") || !strcmp(pt, "case_pattern")) {
		b->other++;
	}
}

struct scan {
	const struct rule_ctx *ctx;
	const char *name;
	const char *const *ctors;
	struct bindings *b;
};

static enum walk scan_visit(TSNode c, void *arg)
{
	struct scan *sc = arg;
	const char *t = ts_node_type(c);

	if (!ts_node_is_named(c))
		return WALK_PAST;
	if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition")) {
		if (rule_text_is(sc->ctx, field(c, "name"), sc->name))
			sc->b->other++;
		return WALK_PAST;
	}
	if (!strcmp(t, "lambda"))
		return WALK_PAST;
	if (!strcmp(t, "identifier")) {
		if (rule_text_is(sc->ctx, c, sc->name))
			classify_binding(sc->ctx, c, sc->ctors, sc->b);
		return WALK_PAST;
	}
	return WALK_INTO;
}

/* Collects the bindings of `name` under `n`, not looking into nested
 * functions, lambdas or classes (whose own name does bind). */
static void scan_bindings(const struct rule_ctx *ctx, TSNode n, const char *name,
			  const char *const *ctors, struct bindings *b)
{
	struct scan sc = { ctx, name, ctors, b };

	walk(n, scan_visit, &sc);
}

/* A cheap look at the text first: a client object is bound by
 * `NAME = Ctor(..)` (a `(` on the same line) or `.. as NAME`. */
static bool may_bind_call(const struct rule_ctx *ctx, const char *name)
{
	const char *s = ctx->src->text, *end = s + ctx->src->len, *p = s;
	size_t len = strlen(name);

	while ((p = memmem(p, (size_t)(end - p), name, len))) {
		const char *q = p + len, *b = p;

		p = q;
		if ((b > s && (isalnum((unsigned char)b[-1]) || b[-1] == '_' || b[-1] == '.')) ||
		    (q < end && (isalnum((unsigned char)*q) || *q == '_')))
			continue;
		while (b > s && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b - s >= 3 && b[-2] == 'a' && b[-1] == 's' &&
		    !isalnum((unsigned char)b[-3]) && b[-3] != '_')
			return true;
		while (q < end && *q != '\n' && *q != '=' && *q != '(' && *q != ')' && *q != ',')
			q++;	/* `NAME: T = ..` */
		if (q + 1 < end && *q == '=' && q[1] != '=')
			for (; q < end && *q != '\n'; q++)
				if (*q == '(')
					return true;
	}
	return false;
}

/* Whether `obj`, the receiver of a method call at `call`, is a client
 * object made by one of `ctors`, and who owns it. */
/* A client the file shows by its type (`self.client` made in the class,
 * a parameter annotated `httpx.Client`): it comes from outside the
 * coroutine, so it is shared. */
static enum owner owner_by_type(const struct rule_ctx *ctx, TSNode obj, const char *const *ctors)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	const char *t = receiver_type(&rc, obj);

	return t && str_in(t, ctors) ? OWNER_SHARED : OWNER_UNKNOWN;
}

static enum owner owner_of(const struct rule_ctx *ctx, TSNode obj, TSNode call,
			   const char *const *ctors)
{
	TSNode inner = rule_enclosing_function(call), fn = inner;
	struct bindings b = { 0 };
	char name[128];
	uint32_t len;
	const char *t;

	if (type_is(obj, "call"))
		return is_ctor_call(ctx, obj, ctors) ? OWNER_LOCAL : OWNER_UNKNOWN;
	if (!type_is(obj, "identifier"))
		return owner_by_type(ctx, obj, ctors);
	t = rule_text(ctx, obj, &len);
	if (len >= sizeof(name))
		return OWNER_UNKNOWN;
	memcpy(name, t, len);
	name[len] = '\0';
	if (!may_bind_call(ctx, name))
		return owner_by_type(ctx, obj, ctors);
	for (; !ts_node_is_null(fn); fn = rule_enclosing_function(fn)) {
		memset(&b, 0, sizeof(b));
		scan_bindings(ctx, fn, name, ctors, &b);
		if (b.global)
			break;
		if (b.ctor || b.other) {
			if (b.other)
				return owner_by_type(ctx, obj, ctors);
			return same_node(fn, inner) ? OWNER_LOCAL : OWNER_SHARED;
		}
	}
	memset(&b, 0, sizeof(b));
	scan_bindings(ctx, ts_tree_root_node(ctx->tree), name, ctors, &b);
	if (b.ctor && !b.other)
		return OWNER_SHARED;
	return owner_by_type(ctx, obj, ctors);
}

/* ---- literals ---- */

/* The prefix letters of a string literal (`b`, `rb`, `f`), lower-cased. */
static bool string_prefix(const struct rule_ctx *ctx, TSNode s, char *out, size_t size)
{
	TSNode start;
	uint32_t len, k = 0;
	const char *t;

	if (!type_is(s, "string"))
		return false;
	start = ts_node_child(s, 0);
	t = rule_text(ctx, start, &len);
	for (uint32_t i = 0; i < len && t[i] != '\'' && t[i] != '"' && k + 1 < size; i++)
		out[k++] = (char)(t[i] | 0x20);
	out[k] = '\0';
	return true;
}

static bool is_text_literal(const struct rule_ctx *ctx, TSNode n)
{
	char p[8];

	return string_prefix(ctx, n, p, sizeof(p)) && !strchr(p, 'b') && !strchr(p, 'f');
}

static bool is_bytes_literal(const struct rule_ctx *ctx, TSNode n)
{
	char p[8];

	return string_prefix(ctx, n, p, sizeof(p)) && strchr(p, 'b');
}

/* Which values a dict literal may hold. */
enum dict_values {
	VALUES_STR,
	VALUES_STR_INT,
	VALUES_STR_NUMBER,
};

/* True when `n` is a dict literal with string keys and values of `kind`. */
static bool plain_dict(const struct rule_ctx *ctx, TSNode n, enum dict_values kind)
{
	uint32_t count;

	if (!type_is(n, "dictionary"))
		return false;
	count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode pair = ts_node_named_child(n, i), v;
		const char *vt;

		if (!type_is(pair, "pair") || !is_text_literal(ctx, field(pair, "key")))
			return false;
		v = field(pair, "value");
		vt = ts_node_type(v);
		if (is_text_literal(ctx, v))
			continue;
		if (!strcmp(vt, "integer") && kind != VALUES_STR)
			continue;
		if (!strcmp(vt, "float") && kind == VALUES_STR_NUMBER)
			continue;
		return false;
	}
	return true;
}

static bool is_bool_literal(TSNode n)
{
	return type_is(n, "true") || type_is(n, "false");
}

/* ---- the unsafe migration of ASYNC210 ---- */

/* One argument of the call, and what the migration does with it. */
struct arg {
	TSNode node;		/* the argument (keyword_argument or expression) */
	TSNode value;
	char name[24];		/* keyword, or the keyword a positional one maps to */
	bool positional;
	bool drop;		/* moves to the client, or is a default */
	const char *rename;	/* a new keyword, or NULL */
	const char *value_prefix;	/* text put before the value, or NULL */
};

#define MAX_ARGS 16

/* The parts of one migration, gathered before any edit is made. */
struct plan {
	struct rule_ctx *ctx;
	enum kind kind;
	const char *verb;
	bool aiohttp;
	TSNode call, ref, stmt, target, fn;
	struct arg args[MAX_ARGS];
	size_t nargs;
	const char *follow;		/* "True"/"False": requests' redirect choice */
	bool follow_given;
	TSNode timeout, verify;		/* null when not given */
	const char *why;		/* why the migration is not possible */
};

/* The keyword a positional argument of requests.VERB maps to. */
static const char *positional_name(const char *verb, size_t index)
{
	if (index == 0)
		return "url";
	if (index == 1)
		return !strcmp(verb, "get") ? "params" :
		       (!strcmp(verb, "post") || !strcmp(verb, "put") || !strcmp(verb, "patch")) ?
		       "data" : NULL;
	if (index == 2 && !strcmp(verb, "post"))
		return "json";
	return NULL;
}

static bool has_body(const char *verb)
{
	return !strcmp(verb, "post") || !strcmp(verb, "put") || !strcmp(verb, "patch");
}

/* Reads the arguments into `p`; false (with p->why) when one has no exact
 * equivalent. */
static bool plan_args(struct plan *p)
{
	const struct rule_ctx *ctx = p->ctx;
	TSNode list = field(p->call, "arguments");
	uint32_t count;
	size_t npos = 0;

	if (!type_is(list, "argument_list")) {
		p->why = "unusual arguments";
		return false;
	}
	count = ts_node_named_child_count(list);
	for (uint32_t i = 0; i < count; i++) {
		TSNode c = ts_node_named_child(list, i);
		const char *t = ts_node_type(c);
		struct arg *a;

		if (!strcmp(t, "comment")) {
			p->why = "a comment in the arguments";
			return false;
		}
		if (!strcmp(t, "list_splat") || !strcmp(t, "dictionary_splat")) {
			p->why = "`*args` or `**kwargs` in the call";
			return false;
		}
		if (p->nargs == MAX_ARGS) {
			p->why = "too many arguments";
			return false;
		}
		a = &p->args[p->nargs++];
		memset(a, 0, sizeof(*a));
		a->node = c;
		if (!strcmp(t, "keyword_argument")) {
			uint32_t len;
			const char *k = rule_text(ctx, field(c, "name"), &len);

			if (len >= sizeof(a->name)) {
				p->why = "an unknown keyword argument";
				return false;
			}
			memcpy(a->name, k, len);
			a->value = field(c, "value");
		} else {
			const char *k = p->kind == KIND_REQUESTS ? positional_name(p->verb, npos) :
					(npos == 0 ? "url" : NULL);

			if (!k) {
				p->why = "more positional arguments than the url";
				return false;
			}
			strcpy(a->name, k);
			a->positional = true;
			a->value = c;
			npos++;
		}
	}
	if (!npos) {
		bool url = false;

		for (size_t i = 0; i < p->nargs; i++)
			url |= !strcmp(p->args[i].name, "url");
		if (!url) {
			p->why = "no url argument";
			return false;
		}
	}
	return true;
}

/* Checks and maps the arguments of a requests.VERB call. */
static bool plan_requests_args(struct plan *p)
{
	const struct rule_ctx *ctx = p->ctx;

	p->follow = !strcmp(p->verb, "head") ? "False" : "True";
	for (size_t i = 0; i < p->nargs; i++) {
		struct arg *a = &p->args[i];
		const char *n = a->name;

		if (!strcmp(n, "url")) {
			if (a->positional && i != 0) {
				p->why = "unusual arguments";
				return false;
			}
		} else if (!strcmp(n, "params")) {
			if (!plain_dict(ctx, a->value, p->aiohttp ? VALUES_STR_INT : VALUES_STR_NUMBER)) {
				p->why = "`params=` is not a dict literal of plain values (None, "
					 "booleans and lists encode differently)";
				return false;
			}
		} else if (!strcmp(n, "headers")) {
			if (!plain_dict(ctx, a->value, VALUES_STR)) {
				p->why = "`headers=` is not a dict literal of strings";
				return false;
			}
		} else if (!strcmp(n, "data")) {
			if (!has_body(p->verb)) {
				p->why = "a body on a GET, DELETE, HEAD or OPTIONS request";
				return false;
			}
			if (plain_dict(ctx, a->value, p->aiohttp ? VALUES_STR : VALUES_STR_INT))
				continue;
			if (!p->aiohttp && is_bytes_literal(ctx, a->value)) {
				a->rename = "content";
				continue;
			}
			p->why = "`data=` is not a dict literal of plain values or bytes";
			return false;
		} else if (!strcmp(n, "json")) {
			if (!has_body(p->verb)) {
				p->why = "a body on a GET, DELETE, HEAD or OPTIONS request";
				return false;
			}
		} else if (!strcmp(n, "auth")) {
			if (!type_is(a->value, "tuple") || ts_node_named_child_count(a->value) != 2) {
				p->why = "`auth=` is not a (user, password) tuple";
				return false;
			}
			if (p->aiohttp)
				a->value_prefix = "BasicAuth";
		} else if (!strcmp(n, "timeout")) {
			if (!type_is(a->value, "integer") && !type_is(a->value, "float") &&
			    !type_is(a->value, "none")) {
				p->why = "`timeout=` is not a number or None";
				return false;
			}
			p->timeout = a->value;
			a->drop = true;
		} else if (!strcmp(n, "allow_redirects")) {
			if (!is_bool_literal(a->value)) {
				p->why = "`allow_redirects=` is not True or False";
				return false;
			}
			p->follow = type_is(a->value, "true") ? "True" : "False";
			p->follow_given = true;
			a->drop = true;
		} else if (!strcmp(n, "verify")) {
			if (!is_bool_literal(a->value)) {
				p->why = "`verify=` is a path (a CA bundle)";
				return false;
			}
			if (p->aiohttp && type_is(a->value, "false"))
				a->rename = "ssl";
			else
				a->drop = true;
			p->verify = a->value;
		} else if (!strcmp(n, "stream")) {
			if (!type_is(a->value, "false")) {
				p->why = "`stream=`";
				return false;
			}
			a->drop = true;	/* the default */
		} else if (!strcmp(n, "hooks")) {
			p->why = "`hooks=` (httpx event hooks are read-only)";
			return false;
		} else if (!strcmp(n, "files")) {
			p->why = "`files=` (the async clients need binary files)";
			return false;
		} else {
			p->why = "an argument with no exact equivalent (cookies, proxies, cert, "
				 "files, hooks, ...)";
			return false;
		}
	}
	return true;
}

/* Checks the arguments of an httpx.VERB call: all must be ones the
 * AsyncClient's method takes with the same meaning. */
static bool plan_httpx_args(struct plan *p)
{
	static const char *const request_level[] = {
		"url", "params", "headers", "auth", "follow_redirects", "timeout", "content",
		"data", "files", "json", "extensions", NULL,
	};

	for (size_t i = 0; i < p->nargs; i++)
		if (!str_in(p->args[i].name, request_level)) {
			p->why = "an argument the AsyncClient takes only at construction "
				 "(verify, cert, proxies, trust_env, cookies)";
			return false;
		}
	return true;
}

/* The response attributes a use may name: requests' name, then httpx's
 * and aiohttp's spelling. `call` marks methods (`r.json()`), `await` those
 * that aiohttp must await. Any other attribute keeps the thread form. */
struct response_attr {
	const char *name, *httpx, *aiohttp;
	bool call, await;
};

static const struct response_attr response_attrs[] = {
	{ "status_code", "status_code", "status", false, false },
	{ "reason", "reason_phrase", "reason", false, false },
	{ "headers", "headers", "headers", false, false },
	{ "text", "text", "text()", false, true },
	{ "content", "content", "read()", false, true },
	{ "json", "json", "json(content_type=None)", true, true },
	{ NULL, NULL, NULL, false, false },
};

/* True when the value of `n` is followed by a trailer (`.x`, `[i]`, `()`),
 * so a new `await` before it needs parentheses. */
static bool trailer_follows(TSNode n)
{
	TSNode p = ts_node_parent(n);

	if (ts_node_is_null(p))
		return false;
	return (type_is(p, "attribute") && same_node(field(p, "object"), n)) ||
	       (type_is(p, "subscript") && same_node(field(p, "value"), n)) ||
	       (type_is(p, "call") && same_node(field(p, "function"), n));
}

/* True when `n` is written or deleted: the target of an assignment or a
 * `del`, or a subscript or attribute of such a target's chain. */
static bool is_store(TSNode n)
{
	TSNode p = ts_node_parent(n);

	if (type_is(p, "subscript") && same_node(field(p, "value"), n))
		return is_store(p);
	if (type_is(p, "expression_list") || type_is(p, "pattern_list") ||
	    type_is(p, "tuple_pattern") || type_is(p, "list_pattern"))
		return is_store(p);
	if (type_is(p, "assignment") || type_is(p, "augmented_assignment") ||
	    type_is(p, "for_statement"))
		return same_node(field(p, "left"), n);
	return type_is(p, "delete_statement");
}

/* One use of the response name: checks it (f NULL) or adds its edits. */
static bool response_use(struct plan *p, TSNode id, struct finding *f)
{
	const struct rule_ctx *ctx = p->ctx;
	TSNode attr = ts_node_parent(id), name, whole;
	const struct response_attr *ra;

	if (type_is(attr, "assignment") && same_node(field(attr, "left"), id))
		return true;	/* bound again: not a use (requests' name is bound once) */
	if (!type_is(attr, "attribute") || !same_node(field(attr, "object"), id)) {
		p->why = "the response is used as a whole (passed, returned or stored)";
		return false;
	}
	name = field(attr, "attribute");
	if (is_store(attr)) {
		p->why = "a response attribute is assigned or deleted";
		return false;
	}
	if (p->kind == KIND_HTTPX) {
		/* the same Response class: only closing it is sync-only */
		if (rule_text_is(ctx, name, "close")) {
			p->why = "`close()` on the response (an async response has `aclose()`)";
			return false;
		}
		return true;
	}
	for (ra = response_attrs; ra->name; ra++)
		if (rule_text_is(ctx, name, ra->name))
			break;
	if (!ra->name) {
		p->why = "a response attribute with no exact equivalent (ok, url, "
			 "raise_for_status, iter_content, ...)";
		return false;
	}
	whole = attr;
	if (ra->call) {
		TSNode call = ts_node_parent(attr);

		if (!type_is(call, "call") || !same_node(field(call, "function"), attr) ||
		    !rule_text_is(ctx, field(call, "arguments"), "()")) {
			p->why = "a response method called with arguments or used as a value";
			return false;
		}
		whole = call;
	}
	if (!strcmp(ra->name, "headers")) {
		TSNode up = ts_node_parent(attr);
		bool ok = type_is(up, "subscript") && same_node(field(up, "value"), attr);

		if (type_is(up, "attribute") && same_node(field(up, "object"), attr) &&
		    rule_text_is(ctx, field(up, "attribute"), "get") &&
		    type_is(ts_node_parent(up), "call"))
			ok = true;
		if (!ok || is_store(up)) {
			p->why = "`headers` used other than `headers[..]` or `headers.get(..)`";
			return false;
		}
	}
	if (p->aiohttp && ra->await) {
		if (scope_context_at(ctx->scopes, ts_node_start_byte(id)) != CONTEXT_ASYNC ||
		    !same_node(rule_enclosing_function(id), p->fn)) {
			p->why = "the response body is read in a nested function, where aiohttp's "
				 "`await` is not possible";
			return false;
		}
	}
	if (!f)
		return true;
	if (p->aiohttp && ra->await) {
		bool parens = trailer_follows(whole);
		struct buf text = BUF_INIT;

		buf_printf(&text, "%sawait ", parens ? "(" : "");
		rule_edit(f, ts_node_start_byte(whole), ts_node_start_byte(whole), buf_cstr(&text));
		buf_clear(&text);
		buf_printf(&text, "%s%s", ra->aiohttp, parens ? ")" : "");
		rule_edit(f, ts_node_start_byte(name), ts_node_end_byte(whole), buf_cstr(&text));
		buf_release(&text);
	} else {
		const char *to = p->aiohttp ? ra->aiohttp : ra->httpx;

		if (strcmp(to, ra->name))
			rule_edit(f, ts_node_start_byte(name), ts_node_end_byte(name), to);
	}
	return true;
}

/* Visits every identifier named like the response in the function: checks
 * (f NULL) or edits them. */
struct uses {
	struct plan *p;
	const char *name;
	struct finding *f;
};

static enum walk uses_visit(TSNode c, void *arg)
{
	struct uses *u = arg;

	if (!type_is(c, "identifier"))
		return WALK_INTO;
	if (rule_text_is(u->p->ctx, c, u->name) && !same_node(c, u->p->target) &&
	    !rule_is_name_site(c) && !response_use(u->p, c, u->f))
		return WALK_STOP;
	return WALK_PAST;
}

static bool response_uses(struct plan *p, TSNode n, const char *name, struct finding *f)
{
	struct uses u = { p, name, f };

	return walk(n, uses_visit, &u);
}

/* Finds the statement holding the call and the name bound to the result. */
static bool plan_statement(struct plan *p)
{
	TSNode parent = ts_node_parent(p->call), stmt;

	p->target = (TSNode){ { 0 }, NULL, NULL };
	if (type_is(parent, "expression_statement")) {
		stmt = parent;
	} else if (type_is(parent, "assignment") && same_node(field(parent, "right"), p->call) &&
		   type_is(field(parent, "left"), "identifier") &&
		   ts_node_is_null(field(parent, "type")) &&
		   type_is(ts_node_parent(parent), "expression_statement")) {
		stmt = ts_node_parent(parent);
		p->target = field(parent, "left");
	} else {
		p->why = "the call is not a whole statement (`r = requests.get(..)` or a "
			 "call statement)";
		return false;
	}
	if (ts_node_named_child_count(stmt) != 1 || !rule_own_line(p->ctx, stmt)) {
		p->why = "the statement shares its line with other code";
		return false;
	}
	if (!type_is(ts_node_parent(stmt), "block")) {
		p->why = "the statement is not in a block";
		return false;
	}
	p->stmt = stmt;
	return true;
}

/* True when something between `n` and its function catches exceptions:
 * requests' exception types have no exact httpx/aiohttp equivalent. */
static bool in_try_with_handlers(TSNode n)
{
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "function_definition") || !strcmp(t, "lambda"))
			return false;
		if (!strcmp(t, "block") && type_is(ts_node_parent(p), "try_statement")) {
			TSNode tr = ts_node_parent(p);

			for (uint32_t i = 0; i < ts_node_named_child_count(tr); i++) {
				const char *ct = ts_node_type(ts_node_named_child(tr, i));

				if (!strcmp(ct, "except_clause") || !strcmp(ct, "except_group_clause"))
					return true;
			}
		}
	}
	return false;
}

static enum walk yield_visit(TSNode c, void *arg)
{
	(void)arg;
	return type_is(c, "yield") || type_is(c, "await") ? WALK_STOP : WALK_INTO;
}

/* True when the statement holds a `yield` or an `await`. */
static bool suspends(TSNode stmt)
{
	return !walk(stmt, yield_visit, NULL);
}

/* The file's indent unit, from the function's body against its header. */
static void indent_unit(const struct rule_ctx *ctx, TSNode fn, struct buf *out)
{
	TSNode body = field(fn, "body"), first = { { 0 }, NULL, NULL };
	struct buf outer = BUF_INIT, inner = BUF_INIT;

	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++)
		if (!type_is(ts_node_named_child(body, i), "comment")) {
			first = ts_node_named_child(body, i);
			break;
		}
	buf_clear(out);
	if (!ts_node_is_null(first)) {
		rule_indent(ctx, ts_node_start_byte(fn), &outer);
		rule_indent(ctx, ts_node_start_byte(first), &inner);
		if (inner.len > outer.len && !strncmp(buf_cstr(&inner), buf_cstr(&outer), outer.len))
			buf_puts(out, buf_cstr(&inner) + outer.len);
	}
	if (!out->len)
		buf_puts(out, "    ");
	buf_release(&outer);
	buf_release(&inner);
}

static uint32_t line_end(const struct rule_ctx *ctx, uint32_t at)
{
	while (at < ctx->src->len && ctx->src->text[at] != '\n' && ctx->src->text[at] != '\r')
		at++;
	return at;
}

static void node_text(const struct rule_ctx *ctx, TSNode n, struct buf *out)
{
	uint32_t len;
	const char *t = rule_text(ctx, n, &len);

	buf_add(out, t, len);
}

/* True when a line of the statement after its first starts inside a
 * string literal, which re-indenting would change. */
static bool multiline_string(const struct rule_ctx *ctx, TSNode stmt)
{
	TSNode root = ts_tree_root_node(ctx->tree);

	for (uint32_t i = ts_node_start_byte(stmt); i < ts_node_end_byte(stmt); i++) {
		if (ctx->src->text[i] != '\n')
			continue;
		for (TSNode n = ts_node_descendant_for_byte_range(root, i + 1, i + 1);
		     !ts_node_is_null(n); n = ts_node_parent(n))
			if ((type_is(n, "string") || type_is(n, "concatenated_string")) &&
			    ts_node_start_byte(n) <= i)
				return true;
	}
	return false;
}

/* Checks every condition of the migration; p->why says which failed. */
static bool plan_migration(struct plan *p)
{
	const struct rule_ctx *ctx = p->ctx;

	if (!str_in(p->verb, verbs)) {
		p->why = "`request(method, ..)` and `stream(..)` are left to the thread form";
		return false;
	}
	if (!plan_statement(p) || !plan_args(p))
		return false;
	if (p->kind == KIND_REQUESTS ? !plan_requests_args(p) : !plan_httpx_args(p))
		return false;
	if (multiline_string(ctx, p->stmt)) {
		p->why = "a string literal spans lines of the statement";
		return false;
	}
	if (suspends(p->stmt)) {
		p->why = "the statement holds a `yield` or `await`";
		return false;
	}
	p->fn = rule_enclosing_function(p->call);
	if (p->kind == KIND_REQUESTS && in_try_with_handlers(p->stmt)) {
		p->why = "an enclosing `try` catches exceptions, whose types differ";
		return false;
	}
	if (!ts_node_is_null(p->target)) {
		struct buf name = BUF_INIT;
		struct bindings b = { 0 };

		node_text(ctx, p->target, &name);
		scan_bindings(ctx, p->fn, buf_cstr(&name), session_ctors, &b);
		/* renamed uses must all mean this response; httpx's keep their names */
		if (b.global || (p->kind == KIND_REQUESTS && b.ctor + b.other != 1)) {
			p->why = "the response name is bound more than once or is global";
			buf_release(&name);
			return false;
		}
		if (!response_uses(p, field(p->fn, "body"), buf_cstr(&name), NULL)) {
			buf_release(&name);
			return false;
		}
		buf_release(&name);
	}
	return true;
}

/* The index of the last argument the migration keeps (the url always is). */
static size_t last_kept_arg(const struct plan *p)
{
	size_t last = 0;

	for (size_t i = 0; i < p->nargs; i++)
		if (!p->args[i].drop)
			last = i;
	return last;
}

/* The byte ranges the dropped arguments take, with their commas: up to the
 * next argument, or, at the end, from the last argument kept. Returns the
 * number of ranges. */
static size_t dropped_ranges(const struct plan *p, uint32_t (*r)[2])
{
	size_t last = last_kept_arg(p), n = 0;

	for (size_t i = 0; i < last; i++)
		if (p->args[i].drop) {
			r[n][0] = ts_node_start_byte(p->args[i].node);
			r[n++][1] = ts_node_start_byte(p->args[i + 1].node);
		}
	if (last + 1 < p->nargs) {
		r[n][0] = ts_node_end_byte(p->args[last].node);
		r[n++][1] = ts_node_end_byte(p->args[p->nargs - 1].node);
	}
	return n;
}

/* Adds the edits of the migration; -1 (nothing added) when a module name
 * needed is taken. */
static int migrate(struct plan *p, struct finding *f)
{
	const struct rule_ctx *ctx = p->ctx;
	struct buf mod = BUF_INIT, client = BUF_INIT, head = BUF_INIT, indent = BUF_INIT,
		   unit = BUF_INIT, text = BUF_INIT, extra = BUF_INIT, target = BUF_INIT;
	const char *nl = ctx->src->newline;
	uint32_t stmt_at = ts_node_start_byte(p->stmt);
	bool aio = p->aiohttp && p->kind == KIND_REQUESTS;
	size_t last_kept = last_kept_arg(p), ndrop;
	uint32_t drops[MAX_ARGS + 1][2];

	if (rule_module_ref(p->ctx, f, stmt_at, aio ? "aiohttp" : "httpx",
			    &mod) < 0) {
		buf_release(&mod);
		return -1;
	}
	rule_fresh_name(ctx, "client", &client);
	rule_indent(ctx, stmt_at, &indent);
	indent_unit(ctx, p->fn, &unit);

	/* the client */
	if (p->kind == KIND_HTTPX) {
		buf_printf(&head, "async with %s.AsyncClient() as %s:", buf_cstr(&mod),
			   buf_cstr(&client));
	} else if (aio) {
		buf_printf(&head, "async with %s.ClientSession(timeout=%s.ClientTimeout(",
			   buf_cstr(&mod), buf_cstr(&mod));
		if (ts_node_is_null(p->timeout)) {
			/* requests had none: the standard wants one on every I/O */
			buf_printf(&head, "total=%.15g", ctx->timeout);
		} else if (type_is(p->timeout, "none")) {
			buf_puts(&head, "total=None");
		} else {
			buf_puts(&head, "total=None, sock_connect=");
			node_text(ctx, p->timeout, &head);
			buf_puts(&head, ", sock_read=");
			node_text(ctx, p->timeout, &head);
		}
		buf_printf(&head, ")) as %s:", buf_cstr(&client));
	} else {
		buf_printf(&head, "async with %s.AsyncClient(follow_redirects=%s, timeout=",
			   buf_cstr(&mod), p->follow);
		if (ts_node_is_null(p->timeout))
			buf_printf(&head, "%.15g", ctx->timeout);	/* requests had none */
		else
			node_text(ctx, p->timeout, &head);
		buf_puts(&head, ", max_redirects=30");
		if (!ts_node_is_null(p->verify)) {
			buf_puts(&head, ", verify=");
			node_text(ctx, p->verify, &head);
		}
		buf_printf(&head, ") as %s:", buf_cstr(&client));
	}
	buf_printf(&head, "%s%s%s", nl, buf_cstr(&indent), buf_cstr(&unit));

	/* the callee: `requests.get` -> `await client.get` */
	buf_printf(&text, "await %s.%s", buf_cstr(&client), p->verb);
	if (ts_node_start_byte(p->ref) == stmt_at) {
		buf_puts(&head, buf_cstr(&text));
		rule_edit(f, stmt_at, ts_node_end_byte(p->ref), buf_cstr(&head));
	} else {
		rule_edit(f, stmt_at, stmt_at, buf_cstr(&head));
		rule_edit(f, ts_node_start_byte(p->ref), ts_node_end_byte(p->ref), buf_cstr(&text));
	}

	/* the arguments */
	if (aio) {
		if (p->follow_given && strcmp(p->follow, !strcmp(p->verb, "head") ? "False" : "True"))
			buf_printf(&extra, ", allow_redirects=%s", p->follow);
		if (!strcmp(p->follow, "True"))
			buf_puts(&extra, ", max_redirects=30");
	}
	ndrop = dropped_ranges(p, drops);
	for (size_t i = 0; i < ndrop; i++)
		if (drops[i][0] != ts_node_end_byte(p->args[last_kept].node))
			rule_edit(f, drops[i][0], drops[i][1], "");
	for (size_t i = 0; i < p->nargs; i++) {
		struct arg *a = &p->args[i];

		if (a->drop)
			continue;
		if (a->positional && i > 0) {
			buf_clear(&text);
			buf_printf(&text, "%s=", a->rename ? a->rename : a->name);
			rule_edit(f, ts_node_start_byte(a->node), ts_node_start_byte(a->node),
				  buf_cstr(&text));
		} else if (a->rename) {
			TSNode k = field(a->node, "name");

			rule_edit(f, ts_node_start_byte(k), ts_node_end_byte(k), a->rename);
		}
		if (a->value_prefix) {
			buf_clear(&text);
			buf_printf(&text, "%s.%s", buf_cstr(&mod), a->value_prefix);
			rule_edit(f, ts_node_start_byte(a->value), ts_node_start_byte(a->value),
				  buf_cstr(&text));
		}
	}
	if (last_kept + 1 < p->nargs) {
		/* the dropped arguments at the end go with the comma before them */
		rule_edit(f, ts_node_end_byte(p->args[last_kept].node),
			  ts_node_end_byte(p->args[p->nargs - 1].node), buf_cstr(&extra));
	} else if (extra.len) {
		uint32_t at = ts_node_end_byte(p->args[last_kept].node);

		rule_edit(f, at, at, buf_cstr(&extra));
	}

	/* the statement's other lines move in with it */
	for (uint32_t i = stmt_at; i < ts_node_end_byte(p->stmt); i++) {
		uint32_t ls = i + 1, k = ls;
		bool dropped = false;

		if (ctx->src->text[i] != '\n')
			continue;
		for (size_t d = 0; d < ndrop; d++)
			dropped |= drops[d][0] < ls && ls < drops[d][1];
		while (k < ctx->src->len && (ctx->src->text[k] == ' ' || ctx->src->text[k] == '\t'))
			k++;
		if (!dropped && k < ctx->src->len && ctx->src->text[k] != '\n' &&
		    ctx->src->text[k] != '\r')
			rule_edit(f, ls, ls, buf_cstr(&unit));
	}

	/* the uses of the response, and its body read while the session is open */
	if (p->kind == KIND_REQUESTS && !ts_node_is_null(p->target)) {
		node_text(ctx, p->target, &target);
		response_uses(p, field(p->fn, "body"), buf_cstr(&target), f);
		if (aio) {
			uint32_t at = line_end(ctx, ts_node_end_byte(p->stmt));

			buf_clear(&text);
			buf_printf(&text, "%s%s%sawait %s.read()", nl, buf_cstr(&indent),
				   buf_cstr(&unit), buf_cstr(&target));
			rule_edit(f, at, at, buf_cstr(&text));
		}
	}
	buf_clear(&text);
	rule_root_name(ctx, p->ref, &text);
	/* `httpx.get(..)` becomes `httpx.AsyncClient()`: that import stays used */
	if (strcmp(buf_cstr(&text), buf_cstr(&mod)))
		rule_need(f, NEED_DROP, buf_cstr(&text));
	buf_release(&mod);
	buf_release(&client);
	buf_release(&head);
	buf_release(&indent);
	buf_release(&unit);
	buf_release(&text);
	buf_release(&extra);
	buf_release(&target);
	return 0;
}

/* ---- the checks ---- */

/* True when the call passes `stream=` with a value other than False. */
static bool streams(const struct rule_ctx *ctx, TSNode call)
{
	TSNode list = field(call, "arguments");

	for (uint32_t i = 0; type_is(list, "argument_list") && i < ts_node_named_child_count(list);
	     i++) {
		TSNode a = ts_node_named_child(list, i);

		if (type_is(a, "keyword_argument") && rule_text_is(ctx, field(a, "name"), "stream") &&
		    !type_is(field(a, "value"), "false"))
			return true;
	}
	return false;
}

/* rule_to_thread turns `f(` into `f, `: when the arguments start on the
 * next line, drop the space it would leave at the end of the line. */
static void tidy_to_thread(const struct rule_ctx *ctx, struct finding *f, TSNode call)
{
	uint32_t open = ts_node_start_byte(field(call, "arguments"));
	char next = open + 1 < ctx->src->len ? ctx->src->text[open + 1] : '\0';

	if (next != '\n' && next != '\r')
		return;
	for (size_t i = 0; i < f->edits.len; i++) {
		struct edit *e = vec_at(&f->edits, i);

		if (e->start == open && e->end == open + 1 && !strcmp(e->text, ", ")) {
			free(e->text);
			e->text = xstrdup(",");
		}
	}
}

/* True when the call is in a lambda handed straight to a thread:
 * `asyncio.to_thread(lambda: ..)`, `loop.run_in_executor(None, lambda: ..)`. */
static bool runs_in_thread(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = rule_enclosing_function(call), list, outer, callee;

	if (!type_is(fn, "lambda"))
		return false;
	list = ts_node_parent(fn);
	outer = ts_node_parent(list);
	if (!type_is(list, "argument_list") || !type_is(outer, "call"))
		return false;
	callee = field(outer, "function");
	if (type_is(callee, "attribute"))
		callee = field(callee, "attribute");
	return rule_text_is(ctx, callee, "to_thread") ||
	       rule_text_is(ctx, callee, "run_in_executor");
}

static void set_message(struct finding *f, const struct buf *msg)
{
	free(f->message);
	f->message = xstrdup(buf_cstr(msg));
}

/* The common part of the three codes once a call is known: reasons to
 * report, else the fix. `label` names the call in messages. */
static void finish(struct rule_ctx *ctx, const struct transform *rule, TSNode call, TSNode ref,
		   enum kind kind, const char *verb, enum resolution r, enum owner owner,
		   const char *label)
{
	enum scope_context where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	struct buf msg = BUF_INIT, limit = BUF_INIT;
	struct finding *f;
	const char *reason;
	struct plan p;

	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		return;
	if (where == CONTEXT_NESTED_SYNC && runs_in_thread(ctx, call))
		return;
	f = rule_report(ctx, rule, call, "`%s` blocks the event loop in an async function; run it "
			"in a thread with `asyncio.to_thread`", label);
	f->start = ts_node_start_byte(call);
	f->end = ts_node_end_byte(call);
	if ((reason = rule_site_reason(ctx, r, where))) {
		rule_no_fix(f, reason);
		return;
	}
	if (owner == OWNER_SHARED) {
		buf_printf(&msg, "`%s` blocks the event loop in an async function, and its %s is "
			   "shared across tasks: a thread would use it concurrently",
			   label, kind == KIND_METHOD && rule == &transform_sync_http ?
			   "requests.Session (not thread-safe)" : "client object");
		set_message(f, &msg);
		rule_no_fix(f, rule == &transform_sync_http ? "shared-session" : "shared-client");
		goto done;
	}
	if ((verb && !strcmp(verb, "stream")) || streams(ctx, call)) {
		buf_printf(&msg, "`%s` blocks the event loop in an async function; it streams the "
			   "response, whose reads would still block: restructure with the async "
			   "client's streaming API", label);
		set_message(f, &msg);
		rule_no_fix(f, "http-stream");
		goto done;
	}
	if (ctx->unsafe_fixes && (kind == KIND_REQUESTS || kind == KIND_HTTPX)) {
		memset(&p, 0, sizeof(p));
		p.ctx = ctx;
		p.kind = kind;
		p.verb = verb;
		p.aiohttp = ctx->http_client == HTTP_CLIENT_AIOHTTP;
		p.call = call;
		p.ref = ref;
		if (plan_migration(&p)) {
			if (ts_node_is_null(p.timeout))
				buf_printf(&limit, "; the request now times out after %.15g s "
					   "(`--timeout`), where it waited forever", ctx->timeout);
			if (migrate(&p, f) == 0) {
				f->fix = FIX_UNSAFE;
				if (kind == KIND_HTTPX)
					buf_printf(&msg, "`%s` blocks the event loop in an async "
						   "function; use `httpx.AsyncClient` (unsafe: "
						   "cancelling the task now aborts the request)", label);
				else
					buf_printf(&msg, "`%s` blocks the event loop in an async "
						   "function; use `%s` (unsafe: errors raise the "
						   "client's own exception types; User-Agent, `.netrc` "
						   "and CA-bundle variables differ; text without a "
						   "charset may decode differently%s)", label,
						   p.aiohttp ? "aiohttp.ClientSession" :
						   "httpx.AsyncClient", buf_cstr(&limit));
				set_message(f, &msg);
				goto done;
			}
			p.why = "the name of the client module is taken";
		}
		buf_printf(&msg, "`%s` blocks the event loop in an async function; run it in a "
			   "thread with `asyncio.to_thread` (not migrated to %s: %s)", label,
			   kind == KIND_HTTPX || !p.aiohttp ? "httpx" : "aiohttp",
			   p.why ? p.why : "unusual call");
		set_message(f, &msg);
	}
	if (rule_to_thread(ctx, f, call, NULL) < 0) {
		rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	tidy_to_thread(ctx, f, call);
	f->fix = FIX_SAFE;
done:
	buf_release(&limit);
	buf_release(&msg);
}

/* True when the call runs in an async function, directly or in a nested
 * sync scope. */
static bool in_async_code(const struct rule_ctx *ctx, TSNode call)
{
	enum scope_context where = scope_context_at(ctx->scopes, ts_node_start_byte(call));

	return where == CONTEXT_ASYNC || where == CONTEXT_NESTED_SYNC;
}

/* The method name of `ref` when it is `obj.method`, else NULL; `obj` gets
 * the receiver. */
static const char *method_of(const struct rule_ctx *ctx, TSNode ref, TSNode *obj, char *buf,
			     size_t size)
{
	TSNode attr;
	uint32_t len;
	const char *t;

	if (!type_is(ref, "attribute"))
		return NULL;
	attr = field(ref, "attribute");
	t = rule_text(ctx, attr, &len);
	if (len >= size)
		return NULL;
	memcpy(buf, t, len);
	buf[len] = '\0';
	*obj = field(ref, "object");
	return buf;
}

static int check_requests(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call = rule_capture(ctx, match, "call"), obj;
	struct buf q = BUF_INIT, label = BUF_INIT;
	enum owner owner = OWNER_UNKNOWN;
	enum kind kind = KIND_NONE;
	const char *verb = NULL, *qs;
	enum resolution r;
	char method[32];

	r = scope_resolve_expr(ctx->scopes, ref, &q);
	qs = buf_cstr(&q);
	if (r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) {
		if (!strncmp(qs, "requests.", 9) && (str_in(qs + 9, verbs) ||
						    !strcmp(qs + 9, "request"))) {
			kind = KIND_REQUESTS;
			verb = qs + 9;
		} else if (!strncmp(qs, "requests.api.", 13) && (str_in(qs + 13, verbs) ||
								!strcmp(qs + 13, "request"))) {
			kind = KIND_REQUESTS;
			verb = qs + 13;
		} else if (!strncmp(qs, "httpx.", 6) && (str_in(qs + 6, verbs) ||
							 !strcmp(qs + 6, "request") ||
							 !strcmp(qs + 6, "stream"))) {
			kind = KIND_HTTPX;
			verb = qs + 6;
		} else if (!strcmp(qs, "urllib.request.urlopen") || !strcmp(qs, "urllib3.request")) {
			kind = KIND_URLOPEN;
		}
	}
	if (kind != KIND_NONE) {
		node_text(ctx, ref, &label);
	} else if (r == RESOLVE_UNBOUND || r == RESOLVE_LOCAL) {
		verb = method_of(ctx, ref, &obj, method, sizeof(method));
		if (!verb || (!str_in(verb, verbs) && strcmp(verb, "request")))
			goto done;
		if (!in_async_code(ctx, call))
			goto done;	/* before the costlier look at the receiver */
		owner = owner_of(ctx, obj, call, session_ctors);
		if (owner == OWNER_UNKNOWN)
			goto done;
		kind = KIND_METHOD;
		node_text(ctx, ref, &label);
	} else {
		goto done;
	}
	finish(ctx, &transform_sync_http, call, ref, kind, verb, r, owner, buf_cstr(&label));
done:
	buf_release(&q);
	buf_release(&label);
	return 0;
}

/* ASYNC211 and ASYNC212: a method on a client object made by `ctors`. */
static int check_method(struct rule_ctx *ctx, const TSQueryMatch *match,
			const struct transform *rule, const char *const *ctors)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call = rule_capture(ctx, match, "call"), obj;
	struct buf q = BUF_INIT, label = BUF_INIT;
	enum resolution r;
	enum owner owner;
	const char *verb;
	char method[32];

	verb = method_of(ctx, ref, &obj, method, sizeof(method));
	if (!verb)
		return 0;
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	buf_release(&q);
	if (r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS)
		return 0;	/* `urllib3.request`, `httpx.get`: a module's function */
	if (!in_async_code(ctx, call))
		return 0;	/* before the costlier look at the receiver */
	owner = owner_of(ctx, obj, call, ctors);
	if (owner == OWNER_UNKNOWN)
		return 0;
	node_text(ctx, ref, &label);
	finish(ctx, rule, call, ref, KIND_METHOD, verb, RESOLVE_MODULE, owner, buf_cstr(&label));
	buf_release(&label);
	return 0;
}

static int check_pool(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_method(ctx, match, &transform_sync_http_pool, pool_ctors);
}

static int check_client(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_method(ctx, match, &transform_sync_http_client, client_ctors);
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ❌ 禁止 - 使用 requests 库",
	"避免阻塞事件循环 > 阻塞操作检测",
	"# ✅ 正确 - 使用 httpx/aiohttp",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	"检查清单",
	"- [ ] 没有在异步函数中使用阻塞 I/O（如 `open`、`requests`）",
	NULL,
};

static const char *const reasons_requests[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine, where `await` is a syntax error or would turn the "
	"generator async",
	"shared-session", "a method of a `requests.Session` made at module level or in an "
	"enclosing function: the session is shared across tasks and is not thread-safe",
	"http-stream", "`stream=True` (or `httpx.stream`): the response's body reads would "
	"still block; restructure with the async client's streaming API",
	"ambiguous-name", "the name may or may not mean the HTTP function (conditional imports)",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

static const char *const reasons_method[] = {
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator "
	"expression nested in the coroutine",
	"shared-client", "the client object is made at module level or in an enclosing "
	"function, so it is shared across tasks; a thread would use it concurrently",
	"http-stream", "`client.stream(..)`: the response's body reads would still block",
	"non-asyncio-runtime", "the module runs under anyio or trio",
	"import-name-shadowed", "the name `asyncio` means something else where the call is",
	NULL,
};

const struct transform transform_sync_http = {
	.code = "ASYNC210",
	.name = "blocking-http-call-in-async-function",
	.summary = "requests/httpx/urlopen call in an async function -> asyncio.to_thread, "
		   "or an async client (unsafe)",
	.fix = FIX_SAFE,
	.query = sync_http_scm,
	.tokens = tokens_requests,
	.check = check_requests,
	.finds = "A call of `requests.<verb>(..)` (get, post, put, patch, delete, head, options, "
		 "request), of module-level `httpx.<verb>(..)`, of `urllib.request.urlopen(..)`, "
		 "of `urllib3.request(..)` (urllib3 2's module-level request), "
		 "or of a method of a `requests.Session` object, whose nearest enclosing function "
		 "is an `async def`. Names are resolved through the module's imports "
		 "(`import requests as rq`, `from requests import get`); a local or parameter "
		 "with the same name is not it. A call in a lambda handed straight to "
		 "`asyncio.to_thread` or `run_in_executor` already runs in a thread: not reported.",
	.why = "A synchronous HTTP request blocks the thread, and with it the event loop, for the "
	       "whole exchange: no other task runs until the answer has arrived.",
	.standard = standard,
	.fix_text = "Safe: the call runs in a thread, `await asyncio.to_thread(requests.get, url, "
		    "..)`, with the same arguments, so requests' behaviour is kept exactly. "
		    "Unsafe (with --unsafe-fixes), for a statement `r = requests.get(..)` or a call "
		    "statement: the statement is wrapped in `async with httpx.AsyncClient("
		    "follow_redirects=True, timeout=30, max_redirects=30) as client:` and becomes "
		    "`r = await client.get(..)`, keeping requests' redirects and its redirect "
		    "limit. requests has no timeout unless one is given; the standard wants one on "
		    "every I/O, so the client gets the configured one (`--timeout`, default 30 s): "
		    "this changes behaviour, a request that used to wait forever now raises after "
		    "that long. Positional arguments become keywords, `allow_redirects`, "
		    "`timeout` and `verify` move to the client, `data=b\"..\"` becomes `content=`, "
		    "`r.reason` becomes `r.reason_phrase`. With `--http-client aiohttp` the client is "
		    "`aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))`, the body is "
		    "read inside the block (`await r.read()`), `r.status_code` becomes `r.status`, "
		    "`r.text`/`r.content`/`r.json()` become `await r.text()`/`await r.read()`/"
		    "`await r.json(content_type=None)` and `auth=(u, p)` becomes "
		    "`aiohttp.BasicAuth(u, p)`. The migration is made only when every argument and "
		    "every later use of the response has an exact equivalent (dict literals of plain "
		    "values for params/headers/data; status_code, reason, headers[..], text, content, "
		    "json()); otherwise the safe form is given and the message says why. "
		    "`httpx.<verb>(..)` migrates to `httpx.AsyncClient()` with the same arguments. "
		    "What may change with the migration: the time limit, exception types, User-Agent, `.netrc` and "
		    "CA-bundle environment variables, text decoding without a charset.",
	.reasons = reasons_requests,
	.example_before = "import requests\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    r = requests.get(url, params={\"q\": \"x\"})\n"
			  "    return r.status_code\n",
	.example_after = "import httpx\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    async with httpx.AsyncClient(follow_redirects=True, timeout=30, "
			 "max_redirects=30) as client:\n"
			 "        r = await client.get(url, params={\"q\": \"x\"})\n"
			 "    return r.status_code\n",
};

const struct transform transform_sync_http_pool = {
	.code = "ASYNC211",
	.name = "blocking-http-call-pool-in-async-function",
	.summary = "urllib3 pool request in an async function -> asyncio.to_thread",
	.fix = FIX_SAFE,
	.query = sync_http_pool_scm,
	.tokens = tokens_pool,
	.check = check_pool,
	.finds = "A request (`request`, `urlopen`, `request_encode_url`, `request_encode_body`) on "
		 "a urllib3 pool — `urllib3.PoolManager().request(..)`, or `http.request(..)` where "
		 "`http` is bound to a `PoolManager`, `ProxyManager` or connection pool — whose "
		 "nearest enclosing function is an `async def` (a lambda handed straight to "
		 "`asyncio.to_thread` or `run_in_executor` aside).",
	.why = "urllib3 requests are synchronous: they block the event loop for the whole "
	       "exchange.",
	.standard = standard,
	.fix_text = "`await asyncio.to_thread(http.request, ..)` with the same arguments, when the "
		    "pool is made in the coroutine itself. A pool made at module level or in an "
		    "enclosing function is shared across tasks: reported.",
	.reasons = reasons_method,
	.example_before = "import urllib3\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    http = urllib3.PoolManager()\n"
			  "    r = http.request(\"GET\", url)\n"
			  "    return r.status\n",
	.example_after = "import urllib3\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    http = urllib3.PoolManager()\n"
			 "    r = await asyncio.to_thread(http.request, \"GET\", url)\n"
			 "    return r.status\n",
};

const struct transform transform_sync_http_client = {
	.code = "ASYNC212",
	.name = "blocking-http-call-httpx-in-async-function",
	.summary = "sync httpx.Client method in an async function -> asyncio.to_thread",
	.fix = FIX_SAFE,
	.query = sync_http_client_scm,
	.tokens = tokens_client,
	.check = check_client,
	.finds = "A request method (get, post, put, patch, delete, head, options, request, send, "
		 "stream) of a sync `httpx.Client` — bound by `client = httpx.Client(..)` or "
		 "`with httpx.Client() as client`, assigned to `self.client` in the class, or "
		 "a parameter annotated `httpx.Client` — whose nearest enclosing function is an "
		 "`async def` (a lambda handed straight to `asyncio.to_thread` or "
		 "`run_in_executor` aside).",
	.why = "A sync httpx client blocks the thread, and with it the event loop, for the whole "
	       "exchange.",
	.standard = standard,
	.fix_text = "`await asyncio.to_thread(client.get, ..)` with the same arguments, when the "
		    "client is made in the coroutine itself. A client made at module level or in an "
		    "enclosing function is shared across tasks: reported. `client.stream(..)` is "
		    "reported (its body reads would still block).",
	.reasons = reasons_method,
	.example_before = "import httpx\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    with httpx.Client() as client:\n"
			  "        r = client.get(url)\n"
			  "    return r.status_code\n",
	.example_after = "import httpx\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    with httpx.Client() as client:\n"
			 "        r = await asyncio.to_thread(client.get, url)\n"
			 "    return r.status_code\n",
};
