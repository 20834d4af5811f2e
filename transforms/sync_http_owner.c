/*
 * sync_http_owner: who owns the client object an ASYNC210/211/212 method is
 * called on (made in the coroutine, shared from the module or an outer
 * function, or not known to be a client), from the bindings of its name
 * and, failing those, from the type the file shows for it.
 */
#include <ctype.h>
#include <string.h>

#include "receiver.h"
#include "sync_http_internal.h"
#include "../src/tree.h"

/* True when `n` is a call whose function resolves to one of `ctors`. */
static bool is_ctor_call(const struct rule_ctx *ctx, TSNode n, const char *const *ctors)
{
	struct buf q = BUF_INIT;
	bool yes;
	TSNode fn;

	if (!syntax_type_is(n, "call"))
		return false;
	fn = syntax_field(n, "function");
	yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      syntax_str_in(buf_cstr(&q), ctors);
	buf_release(&q);
	return yes;
}

/* Counts how the identifier `id` (the name looked for) binds, if it does. */
static void classify_binding(const struct rule_ctx *ctx, TSNode id, const char *const *ctors,
			     struct bindings *b)
{
	TSNode p = tree_parent(id);
	const char *pt = ts_node_is_null(p) ? "" : ts_node_type(p);

	if (!strcmp(pt, "assignment")) {
		if (syntax_node_eq(syntax_field(p, "left"), id)) {
			if (is_ctor_call(ctx, syntax_field(p, "right"), ctors))
				b->ctor++;
			else
				b->other++;
		}
	} else if (!strcmp(pt, "as_pattern_target")) {
		TSNode as = tree_parent(p);

		if (syntax_type_is(as, "as_pattern") &&
		    syntax_type_is(tree_parent(as), "with_item") &&
		    is_ctor_call(ctx, ts_node_named_child(as, 0), ctors))
			b->ctor++;
		else
			b->other++;
	} else if (!strcmp(pt, "global_statement") || !strcmp(pt, "nonlocal_statement")) {
		b->global = true;
	} else if (!strcmp(pt, "augmented_assignment") || !strcmp(pt, "for_statement") ||
		   !strcmp(pt, "for_in_clause")) {
		if (syntax_node_eq(syntax_field(p, "left"), id))
			b->other++;
	} else if (!strcmp(pt, "named_expression")) {
		if (syntax_node_eq(syntax_field(p, "name"), id))
			b->other++;
	} else if (!strcmp(pt, "default_parameter") || !strcmp(pt, "typed_default_parameter")) {
		if (syntax_node_eq(syntax_field(p, "name"), id))
			b->other++;
	} else if (!strcmp(pt, "except_clause")) {
		if (syntax_node_eq(syntax_field(p, "alias"), id))
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

static enum syntax_step scan_visit(TSNode c, void *arg)
{
	struct scan *sc = arg;
	const char *t = ts_node_type(c);

	if (!ts_node_is_named(c))
		return SYNTAX_WALK_PAST;
	if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition")) {
		if (rule_text_is(sc->ctx, syntax_field(c, "name"), sc->name))
			sc->b->other++;
		return SYNTAX_WALK_PAST;
	}
	if (!strcmp(t, "lambda"))
		return SYNTAX_WALK_PAST;
	if (!strcmp(t, "identifier")) {
		if (rule_text_is(sc->ctx, c, sc->name))
			classify_binding(sc->ctx, c, sc->ctors, sc->b);
		return SYNTAX_WALK_PAST;
	}
	return SYNTAX_WALK_INTO;
}

/* Collects the bindings of `name` under `n`, not looking into nested
 * functions, lambdas or classes (whose own name does bind). */
void sync_http_scan_bindings(const struct rule_ctx *ctx, TSNode n, const char *name,
			     const char *const *ctors, struct bindings *b)
{
	struct scan sc = { ctx, name, ctors, b };

	syntax_walk(n, scan_visit, &sc);
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

/* A client the file shows by its type (`self.client` made in the class,
 * a parameter annotated `httpx.Client`): it comes from outside the
 * coroutine, so it is shared. */
static enum owner owner_by_type(const struct rule_ctx *ctx, TSNode obj, const char *const *ctors)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	const char *t = receiver_type(&rc, obj);

	return t && syntax_str_in(t, ctors) ? OWNER_SHARED : OWNER_UNKNOWN;
}

/* Whether `obj`, the receiver of a method call at `call`, is a client
 * object made by one of `ctors`, and who owns it. */
enum owner sync_http_owner_of(const struct rule_ctx *ctx, TSNode obj, TSNode call,
			      const char *const *ctors)
{
	TSNode inner = rule_enclosing_function(call), fn = inner;
	struct bindings b = { 0 };
	char name[128];
	uint32_t len;
	const char *t;

	if (syntax_type_is(obj, "call"))
		return is_ctor_call(ctx, obj, ctors) ? OWNER_LOCAL : OWNER_UNKNOWN;
	if (!syntax_type_is(obj, "identifier"))
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
		sync_http_scan_bindings(ctx, fn, name, ctors, &b);
		if (b.global)
			break;
		if (b.ctor || b.other) {
			if (b.other)
				return owner_by_type(ctx, obj, ctors);
			return syntax_node_eq(fn, inner) ? OWNER_LOCAL : OWNER_SHARED;
		}
	}
	memset(&b, 0, sizeof(b));
	sync_http_scan_bindings(ctx, ts_tree_root_node(ctx->tree), name, ctors, &b);
	if (b.ctor && !b.other)
		return OWNER_SHARED;
	return owner_by_type(ctx, obj, ctors);
}
