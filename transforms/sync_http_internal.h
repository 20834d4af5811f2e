/*
 * sync_http_internal: what the ASYNC210/211/212 files share. sync_http.c
 * finds the calls and decides the fix, sync_http_owner.c tells who owns a
 * client object, sync_http_plan.c checks whether a call can migrate to an
 * async client, and sync_http_migrate.c builds that migration's edits.
 */
#ifndef ASYNCMOD_SYNC_HTTP_INTERNAL_H
#define ASYNCMOD_SYNC_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../src/rule.h"
#include "syntax.h"

/* The request methods: get, post, put, patch, delete, head, options. */
extern const char *const sync_http_verbs[];

/* The qualified names that make a requests.Session. */
extern const char *const sync_http_session_ctors[];

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

/* The bindings of one name in one scope. */
struct bindings {
	unsigned ctor;		/* `NAME = Ctor(..)`, `with Ctor(..) as NAME` */
	unsigned other;		/* any other binding: parameter, loop target, ... */
	bool global;		/* `global NAME` / `nonlocal NAME` */
};

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

/* ---- sync_http_owner.c ---- */

/* Collects the bindings of `name` under `n`, not looking into nested
 * functions, lambdas or classes (whose own name does bind). */
void sync_http_scan_bindings(const struct rule_ctx *ctx, TSNode n, const char *name,
			     const char *const *ctors, struct bindings *b);

/* Whether `obj`, the receiver of a method call at `call`, is a client
 * object made by one of `ctors`, and who owns it. */
enum owner sync_http_owner_of(const struct rule_ctx *ctx, TSNode obj, TSNode call,
			      const char *const *ctors);

/* ---- sync_http_plan.c ---- */

/* Checks every condition of the migration; p->why says which failed. */
bool sync_http_plan(struct plan *p);

/* ---- sync_http_migrate.c ---- */

/* Visits every identifier named like the response under `n`: checks the
 * uses (f NULL; false with p->why when one has no equivalent) or adds
 * their edits to `f`. */
bool sync_http_response_uses(struct plan *p, TSNode n, const char *name, struct finding *f);

/* Adds the edits of the migration; -1 (nothing added) when a module name
 * needed is taken. */
int sync_http_migrate(struct plan *p, struct finding *f);

#endif
