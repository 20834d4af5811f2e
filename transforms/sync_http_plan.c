/*
 * sync_http_plan: whether an ASYNC210 call can migrate to an async client
 * (httpx.AsyncClient or aiohttp.ClientSession). Reads the call's arguments
 * into a struct plan and checks each condition of the migration: a whole
 * statement, arguments with an exact equivalent, no enclosing handler, no
 * suspension, every later use of the response kept; p->why says which
 * failed. Nothing here edits the file.
 */
#include <string.h>

#include "sync_http_internal.h"
#include "../src/tree.h"

/* ---- literals ---- */

/* The prefix letters of a string literal (`b`, `rb`, `f`), lower-cased. */
static bool string_prefix(const struct rule_ctx *ctx, TSNode s, char *out, size_t size)
{
	TSNode start;
	uint32_t len, k = 0;
	const char *t;

	if (!syntax_type_is(s, "string"))
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

	if (!syntax_type_is(n, "dictionary"))
		return false;
	count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode pair = ts_node_named_child(n, i), v;
		const char *vt;

		if (!syntax_type_is(pair, "pair") ||
		    !is_text_literal(ctx, syntax_field(pair, "key")))
			return false;
		v = syntax_field(pair, "value");
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
	return syntax_type_is(n, "true") || syntax_type_is(n, "false");
}

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
	TSNode list = syntax_field(p->call, "arguments");
	uint32_t count;
	size_t npos = 0;

	if (!syntax_type_is(list, "argument_list")) {
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
			const char *k = rule_text(ctx, syntax_field(c, "name"), &len);

			if (len >= sizeof(a->name)) {
				p->why = "an unknown keyword argument";
				return false;
			}
			memcpy(a->name, k, len);
			a->value = syntax_field(c, "value");
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
			if (!syntax_type_is(a->value, "tuple") ||
			    ts_node_named_child_count(a->value) != 2) {
				p->why = "`auth=` is not a (user, password) tuple";
				return false;
			}
			if (p->aiohttp)
				a->value_prefix = "BasicAuth";
		} else if (!strcmp(n, "timeout")) {
			if (!syntax_type_is(a->value, "integer") &&
			    !syntax_type_is(a->value, "float") &&
			    !syntax_type_is(a->value, "none")) {
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
			p->follow = syntax_type_is(a->value, "true") ? "True" : "False";
			p->follow_given = true;
			a->drop = true;
		} else if (!strcmp(n, "verify")) {
			if (!is_bool_literal(a->value)) {
				p->why = "`verify=` is a path (a CA bundle)";
				return false;
			}
			if (p->aiohttp && syntax_type_is(a->value, "false"))
				a->rename = "ssl";
			else
				a->drop = true;
			p->verify = a->value;
		} else if (!strcmp(n, "stream")) {
			if (!syntax_type_is(a->value, "false")) {
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
		if (!syntax_str_in(p->args[i].name, request_level)) {
			p->why = "an argument the AsyncClient takes only at construction "
				 "(verify, cert, proxies, trust_env, cookies)";
			return false;
		}
	return true;
}

/* Finds the statement holding the call and the name bound to the result. */
static bool plan_statement(struct plan *p)
{
	TSNode parent = tree_parent(p->call), stmt;

	p->target = (TSNode){ { 0 }, NULL, NULL };
	if (syntax_type_is(parent, "expression_statement")) {
		stmt = parent;
	} else if (syntax_type_is(parent, "assignment") &&
		   syntax_node_eq(syntax_field(parent, "right"), p->call) &&
		   syntax_type_is(syntax_field(parent, "left"), "identifier") &&
		   ts_node_is_null(syntax_field(parent, "type")) &&
		   syntax_type_is(tree_parent(parent), "expression_statement")) {
		stmt = tree_parent(parent);
		p->target = syntax_field(parent, "left");
	} else {
		p->why = "the call is not a whole statement (`r = requests.get(..)` or a "
			 "call statement)";
		return false;
	}
	if (ts_node_named_child_count(stmt) != 1 || !rule_own_line(p->ctx, stmt)) {
		p->why = "the statement shares its line with other code";
		return false;
	}
	if (!syntax_type_is(tree_parent(stmt), "block")) {
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
	for (TSNode p = tree_parent(n); !ts_node_is_null(p); p = tree_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "function_definition") || !strcmp(t, "lambda"))
			return false;
		if (!strcmp(t, "block") && syntax_type_is(tree_parent(p), "try_statement")) {
			TSNode tr = tree_parent(p);

			for (uint32_t i = 0; i < ts_node_named_child_count(tr); i++) {
				const char *ct = ts_node_type(ts_node_named_child(tr, i));

				if (!strcmp(ct, "except_clause") || !strcmp(ct, "except_group_clause"))
					return true;
			}
		}
	}
	return false;
}

static enum syntax_step yield_visit(TSNode c, void *arg)
{
	(void)arg;
	return syntax_type_is(c, "yield") || syntax_type_is(c, "await") ? SYNTAX_WALK_STOP :
									  SYNTAX_WALK_INTO;
}

/* True when the statement holds a `yield` or an `await`. */
static bool suspends(TSNode stmt)
{
	return !syntax_walk(stmt, yield_visit, NULL);
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
		     !ts_node_is_null(n); n = tree_parent(n))
			if ((syntax_type_is(n, "string") ||
			     syntax_type_is(n, "concatenated_string")) &&
			    ts_node_start_byte(n) <= i)
				return true;
	}
	return false;
}

/* Checks every condition of the migration; p->why says which failed. */
bool sync_http_plan(struct plan *p)
{
	const struct rule_ctx *ctx = p->ctx;

	if (!syntax_str_in(p->verb, sync_http_verbs)) {
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

		syntax_node_text(ctx, p->target, &name);
		sync_http_scan_bindings(ctx, p->fn, buf_cstr(&name), sync_http_session_ctors, &b);
		/* renamed uses must all mean this response; httpx's keep their names */
		if (b.global || (p->kind == KIND_REQUESTS && b.ctor + b.other != 1)) {
			p->why = "the response name is bound more than once or is global";
			buf_release(&name);
			return false;
		}
		if (!sync_http_response_uses(p, syntax_field(p->fn, "body"), buf_cstr(&name),
					     NULL)) {
			buf_release(&name);
			return false;
		}
		buf_release(&name);
	}
	return true;
}
