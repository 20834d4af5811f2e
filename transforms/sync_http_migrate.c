/*
 * sync_http_migrate: the edits of ASYNC210's unsafe migration once
 * sync_http_plan.c has found it possible: the statement wrapped in
 * `async with <client> as client:`, the call's arguments renamed or moved
 * to the client, and the later uses of the response renamed (checked here
 * too, for the plan, since one walk does both).
 */
#include <string.h>

#include "sync_http_internal.h"
#include "../src/tree.h"

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
	TSNode p = tree_parent(n);

	if (ts_node_is_null(p))
		return false;
	return (syntax_type_is(p, "attribute") && syntax_node_eq(syntax_field(p, "object"), n)) ||
	       (syntax_type_is(p, "subscript") && syntax_node_eq(syntax_field(p, "value"), n)) ||
	       (syntax_type_is(p, "call") && syntax_node_eq(syntax_field(p, "function"), n));
}

/* True when `n` is written or deleted: the target of an assignment or a
 * `del`, or a subscript or attribute of such a target's chain. */
static bool is_store(TSNode n)
{
	TSNode p = tree_parent(n);

	if (syntax_type_is(p, "subscript") && syntax_node_eq(syntax_field(p, "value"), n))
		return is_store(p);
	if (syntax_type_is(p, "expression_list") || syntax_type_is(p, "pattern_list") ||
	    syntax_type_is(p, "tuple_pattern") || syntax_type_is(p, "list_pattern"))
		return is_store(p);
	if (syntax_type_is(p, "assignment") || syntax_type_is(p, "augmented_assignment") ||
	    syntax_type_is(p, "for_statement"))
		return syntax_node_eq(syntax_field(p, "left"), n);
	return syntax_type_is(p, "delete_statement");
}

/* One use of the response name: checks it (f NULL) or adds its edits. */
static bool response_use(struct plan *p, TSNode id, struct finding *f)
{
	const struct rule_ctx *ctx = p->ctx;
	TSNode attr = tree_parent(id), name, whole;
	const struct response_attr *ra;

	if (syntax_type_is(attr, "assignment") && syntax_node_eq(syntax_field(attr, "left"), id))
		return true;	/* bound again: not a use (requests' name is bound once) */
	if (!syntax_type_is(attr, "attribute") ||
	    !syntax_node_eq(syntax_field(attr, "object"), id)) {
		p->why = "the response is used as a whole (passed, returned or stored)";
		return false;
	}
	name = syntax_field(attr, "attribute");
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
		TSNode call = tree_parent(attr);

		if (!syntax_type_is(call, "call") ||
		    !syntax_node_eq(syntax_field(call, "function"), attr) ||
		    !rule_text_is(ctx, syntax_field(call, "arguments"), "()")) {
			p->why = "a response method called with arguments or used as a value";
			return false;
		}
		whole = call;
	}
	if (!strcmp(ra->name, "headers")) {
		TSNode up = tree_parent(attr);
		bool ok = syntax_type_is(up, "subscript") &&
			  syntax_node_eq(syntax_field(up, "value"), attr);

		if (syntax_type_is(up, "attribute") &&
		    syntax_node_eq(syntax_field(up, "object"), attr) &&
		    rule_text_is(ctx, syntax_field(up, "attribute"), "get") &&
		    syntax_type_is(tree_parent(up), "call"))
			ok = true;
		if (!ok || is_store(up)) {
			p->why = "`headers` used other than `headers[..]` or `headers.get(..)`";
			return false;
		}
	}
	if (p->aiohttp && ra->await) {
		if (scope_context_at(ctx->scopes, ts_node_start_byte(id)) != CONTEXT_ASYNC ||
		    !syntax_node_eq(rule_enclosing_function(id), p->fn)) {
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

static enum syntax_step uses_visit(TSNode c, void *arg)
{
	struct uses *u = arg;

	if (!syntax_type_is(c, "identifier"))
		return SYNTAX_WALK_INTO;
	if (rule_text_is(u->p->ctx, c, u->name) && !syntax_node_eq(c, u->p->target) &&
	    !rule_is_name_site(c) && !response_use(u->p, c, u->f))
		return SYNTAX_WALK_STOP;
	return SYNTAX_WALK_PAST;
}

bool sync_http_response_uses(struct plan *p, TSNode n, const char *name, struct finding *f)
{
	struct uses u = { p, name, f };

	return syntax_walk(n, uses_visit, &u);
}

/* The file's indent unit, from the function's body against its header. */
static void indent_unit(const struct rule_ctx *ctx, TSNode fn, struct buf *out)
{
	TSNode body = syntax_field(fn, "body"), first = { { 0 }, NULL, NULL };
	struct buf outer = BUF_INIT, inner = BUF_INIT;

	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++)
		if (!syntax_type_is(ts_node_named_child(body, i), "comment")) {
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
int sync_http_migrate(struct plan *p, struct finding *f)
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
		} else if (syntax_type_is(p->timeout, "none")) {
			buf_puts(&head, "total=None");
		} else {
			buf_puts(&head, "total=None, sock_connect=");
			syntax_node_text(ctx, p->timeout, &head);
			buf_puts(&head, ", sock_read=");
			syntax_node_text(ctx, p->timeout, &head);
		}
		buf_printf(&head, ")) as %s:", buf_cstr(&client));
	} else {
		buf_printf(&head, "async with %s.AsyncClient(follow_redirects=%s, timeout=",
			   buf_cstr(&mod), p->follow);
		if (ts_node_is_null(p->timeout))
			buf_printf(&head, "%.15g", ctx->timeout);	/* requests had none */
		else
			syntax_node_text(ctx, p->timeout, &head);
		buf_puts(&head, ", max_redirects=30");
		if (!ts_node_is_null(p->verify)) {
			buf_puts(&head, ", verify=");
			syntax_node_text(ctx, p->verify, &head);
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
			TSNode k = syntax_field(a->node, "name");

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
		syntax_node_text(ctx, p->target, &target);
		sync_http_response_uses(p, syntax_field(p->fn, "body"), buf_cstr(&target), f);
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
