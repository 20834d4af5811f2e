/*
 * scope_lookup: questions asked of a built scope index (scope.c builds
 * it): which scope runs a byte, what a name means there by Python's LEGB
 * rule, where it is bound, which imports the module has.
 */
#include "scope.h"
#include "scope_internal.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

int scope_at(const struct scope_index *idx, uint32_t at)
{
	int best = 0;
	uint32_t best_size = UINT32_MAX;

	for (size_t i = 0; i < idx->scopes.len; i++) {
		const struct scope *s = vec_at(&idx->scopes, i);

		if (at < s->start || at >= s->end || s->end - s->start >= best_size)
			continue;
		if (s->ex_end > s->ex_start && at >= s->ex_start && at < s->ex_end)
			continue;
		best = (int)i;
		best_size = s->end - s->start;
	}
	return best;
}

enum scope_kind scope_kind(const struct scope_index *idx, int scope)
{
	return ((const struct scope *)vec_at(&idx->scopes, (size_t)scope))->kind;
}

enum scope_context scope_context_at(const struct scope_index *idx, uint32_t at)
{
	int s = scope_at(idx, at);
	bool nested = false;

	for (;;) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);

		if (sc->kind == SCOPE_COMPREHENSION && !nested) {
			s = sc->parent;
			continue;
		}
		if (sc->kind == SCOPE_ASYNC_FUNCTION)
			return nested ? CONTEXT_NESTED_SYNC : CONTEXT_ASYNC;
		if (sc->kind == SCOPE_MODULE)
			return nested ? CONTEXT_SYNC : CONTEXT_MODULE;
		nested = true;
		s = sc->parent;
	}
}

/* Looks `name` up in the bindings of one scope. Returns -1 when the scope
 * does not bind it, else a resolution; `*global` is set for `global name`. */
static int lookup_in(const struct scope_index *idx, int scope, const char *name, size_t len,
		     const char **qname, bool *global, bool *nonlocal)
{
	size_t imports = 0, others = 0;
	const char *q = NULL;
	bool mixed = false;

	*global = *nonlocal = false;
	for (size_t i = scope_first_binding(idx, name, len, scope); i < idx->by_name.len; i++) {
		const struct binding *b = *(const struct binding **)vec_at(&idx->by_name, i);

		if (b->scope != scope || strlen(b->name) != len || memcmp(b->name, name, len))
			break;
		switch (b->kind) {
		case BIND_GLOBAL:
			*global = true;
			break;
		case BIND_NONLOCAL:
			*nonlocal = true;
			break;
		case BIND_IMPORT:
			if (q && strcmp(q, b->qname))
				mixed = true;
			if (!q)
				q = b->qname;	/* the first in the source: a try branch */
			imports++;
			break;
		case BIND_OTHER:
			others++;
			break;
		}
	}
	if (*global || *nonlocal)
		return -1;
	if (!imports && !others)
		return -1;
	if (imports && (others || mixed)) {
		*qname = q;	/* one of the candidates, for the report */
		return RESOLVE_AMBIGUOUS;
	}
	if (others)
		return RESOLVE_LOCAL;
	*qname = q;
	return RESOLVE_MODULE;
}

enum resolution scope_resolve_name(const struct scope_index *idx, uint32_t at,
				   const char *name, size_t len, const char **qname)
{
	int s = scope_at(idx, at);
	bool first = true;

	while (s >= 0) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);
		bool global, nonlocal;
		int r;

		if (sc->kind == SCOPE_CLASS && !first) {
			s = sc->parent;
			continue;
		}
		r = lookup_in(idx, s, name, len, qname, &global, &nonlocal);
		if (global) {
			s = 0;
			first = false;
			r = lookup_in(idx, 0, name, len, qname, &global, &nonlocal);
			return r < 0 ? RESOLVE_UNBOUND : (enum resolution)r;
		}
		if (r >= 0)
			return (enum resolution)r;
		first = false;
		s = sc->parent;
	}
	return RESOLVE_UNBOUND;
}

enum resolution scope_resolve_expr(const struct scope_index *idx, TSNode expr,
				   struct buf *qname)
{
	TSNode parts[32];
	size_t n = 0;
	TSNode base = expr;
	const char *q = NULL;
	enum resolution r;

	buf_clear(qname);
	if (scope_node_is(base, "dotted_name")) {
		/* a.b.c in a class pattern: parts are the named children */
		uint32_t count = ts_node_named_child_count(base);

		for (uint32_t i = count; i > 1 && n < 32; i--)
			parts[n++] = ts_node_named_child(base, i - 1);
		base = ts_node_named_child(base, 0);
	}
	while (scope_node_is(base, "attribute") && n < 32) {
		parts[n++] = ts_node_child_by_field_id(base, idx->fields.attribute);
		base = ts_node_child_by_field_id(base, idx->fields.object);
		if (ts_node_is_null(base))
			return RESOLVE_LOCAL;
	}
	if (!scope_node_is(base, "identifier"))
		return RESOLVE_LOCAL;
	r = scope_resolve_name(idx, ts_node_start_byte(base), idx->text + ts_node_start_byte(base),
			       ts_node_end_byte(base) - ts_node_start_byte(base), &q);
	if ((r == RESOLVE_MODULE || r == RESOLVE_AMBIGUOUS) && q)
		buf_puts(qname, q);
	else
		buf_add(qname, idx->text + ts_node_start_byte(base),
			ts_node_end_byte(base) - ts_node_start_byte(base));
	while (n > 0) {
		TSNode p = parts[--n];

		buf_putc(qname, '.');
		buf_add(qname, idx->text + ts_node_start_byte(p),
			ts_node_end_byte(p) - ts_node_start_byte(p));
	}
	return r;
}

size_t scope_binding_sites(const struct scope_index *idx, uint32_t at, const char *name,
			   size_t len, uint32_t *sites, size_t max)
{
	int s = scope_at(idx, at);
	bool first = true;

	while (s >= 0) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);
		size_t n = 0;
		bool bound = false;

		if (sc->kind == SCOPE_CLASS && !first) {
			s = sc->parent;
			continue;
		}
		for (size_t i = scope_first_binding(idx, name, len, s); i < idx->by_name.len; i++) {
			const struct binding *b =
				*(const struct binding **)vec_at(&idx->by_name, i);

			if (b->scope != s || strlen(b->name) != len || memcmp(b->name, name, len))
				break;
			bound = true;
			if (b->kind != BIND_OTHER || n == max)
				return 0;
			sites[n++] = b->at;
		}
		if (bound)
			return n;
		first = false;
		s = sc->parent;
	}
	return 0;
}

bool scope_imports_name(const struct scope_index *idx, const char *text, size_t len,
			const char *const *qnames, size_t n)
{
	for (size_t i = 0; i < idx->from_imports.len; i++) {
		const struct binding *b =
			vec_at(&idx->bindings, *(size_t *)vec_at(&idx->from_imports, i));

		if ((len && b->name[0] != text[0]) || strlen(b->name) != len ||
		    memcmp(b->name, text, len))
			continue;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(b->qname, qnames[k]))
				return true;
	}
	return false;
}

void scope_names_importing(const struct scope_index *idx, const char *const *qnames, size_t n,
			   struct vec *out)
{
	for (size_t i = 0; i < idx->from_imports.len; i++) {
		const struct binding *b =
			vec_at(&idx->bindings, *(size_t *)vec_at(&idx->from_imports, i));

		for (size_t k = 0; k < n; k++)
			if (!strcmp(b->qname, qnames[k])) {
				*(const char **)vec_push(out) = b->name;
				break;
			}
	}
}

/* The first entry of `ref_names` for `name`, or ref_names.len. */
static size_t first_ref(const struct scope_index *idx, const char *name, size_t len)
{
	size_t lo = 0, hi = idx->ref_names.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ref *r = vec_at(&idx->ref_names, mid);

		if (scope_name_cmp(idx->text + r->start, r->len, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool scope_name_used(const struct scope_index *idx, const char *name)
{
	size_t len = strlen(name), lo = first_ref(idx, name, len), at;

	if (lo < idx->ref_names.len) {
		const struct ref *r = vec_at(&idx->ref_names, lo);

		if (r->len == len && !memcmp(idx->text + r->start, name, len))
			return true;
	}
	at = scope_first_binding(idx, name, len, -1);
	return at < idx->by_name.len &&
	       !strcmp((*(const struct binding **)vec_at(&idx->by_name, at))->name, name);
}

bool scope_has_async_def(const struct scope_index *idx, const char *name, size_t len)
{
	for (size_t i = scope_first_binding(idx, name, len, -1); i < idx->by_name.len; i++) {
		const struct binding *b = *(const struct binding **)vec_at(&idx->by_name, i);

		if (scope_name_cmp(b->name, strlen(b->name), name, len))
			break;
		if (b->async_def)
			return true;
	}
	return false;
}

const char *scope_module_alias(const struct scope_index *idx, const char *module)
{
	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);
		const char *q = NULL;

		if (b->kind != BIND_IMPORT || !b->top || b->from || strcmp(b->qname, module))
			continue;
		if (scope_resolve_name(idx, 0, b->name, strlen(b->name), &q) == RESOLVE_MODULE &&
		    !strcmp(q, module))
			return b->name;
	}
	return NULL;
}

/* Describes the import binding `b` in `out`; false when there is none. */
static bool import_out(const struct binding *b, struct scope_import *out)
{
	if (!b)
		return false;
	out->stmt_start = b->stmt_start;
	out->stmt_end = b->stmt_end;
	out->item_start = b->item_start;
	out->item_end = b->item_end;
	out->qname = b->qname;
	out->from = b->from;
	return true;
}

bool scope_top_import(const struct scope_index *idx, const char *name, struct scope_import *out)
{
	const struct binding *found = NULL;

	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);

		if (b->scope != 0 || strcmp(b->name, name))
			continue;
		if (found || b->kind != BIND_IMPORT || !b->top)
			return false;
		found = b;
	}
	return import_out(found, out);
}

bool scope_sole_import(const struct scope_index *idx, const char *name, struct scope_import *out)
{
	const struct binding *found = NULL;

	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);

		if (strcmp(b->name, name))
			continue;
		if (found || b->kind != BIND_IMPORT)
			return false;
		found = b;
	}
	return import_out(found, out);
}

size_t scope_count_refs(const struct scope_index *idx, const char *name, const uint32_t *skip,
			size_t nskip)
{
	size_t len = strlen(name), count = 0;

	for (size_t i = 0; i < idx->refs.len; i++) {
		const struct ref *r = vec_at(&idx->refs, i);
		bool skipped = false;

		if (r->len != len || memcmp(idx->text + r->start, name, len))
			continue;
		for (size_t k = 0; k < nskip && !skipped; k++)
			skipped = r->start >= skip[2 * k] && r->start + r->len <= skip[2 * k + 1];
		count += !skipped;
	}
	return count;
}

enum runtime scope_runtime(const struct scope_index *idx)
{
	return idx->runtime;
}

bool scope_has_all(const struct scope_index *idx)
{
	return idx->has_all;
}

/* The scope whose binding `name` means when evaluated in scope `s` (the
 * module for a `global` name), or -1 when no scope binds it. */
static int binding_scope(const struct scope_index *idx, int s, const char *name, size_t len)
{
	bool first = true;

	while (s >= 0) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);
		const char *q = NULL;
		bool global, nonlocal;

		if (sc->kind == SCOPE_CLASS && !first) {
			s = sc->parent;
			continue;
		}
		if (lookup_in(idx, s, name, len, &q, &global, &nonlocal) >= 0)
			return s;
		if (global)
			return lookup_in(idx, 0, name, len, &q, &global, &nonlocal) >= 0 ? 0 : -1;
		first = false;
		s = sc->parent;
	}
	return -1;
}

size_t scope_variable_refs(const struct scope_index *idx, uint32_t at, const char *name,
			   size_t len, uint32_t *refs, size_t max, int *scope)
{
	int target = binding_scope(idx, scope_at(idx, at), name, len);
	size_t lo, n = 0;

	if (scope)
		*scope = target;
	if (target < 0)
		return 0;
	lo = first_ref(idx, name, len);
	for (; lo < idx->ref_names.len; lo++) {
		const struct ref *r = vec_at(&idx->ref_names, lo);

		if (r->len != len || memcmp(idx->text + r->start, name, len))
			break;
		if (binding_scope(idx, r->scope, name, len) != target)
			continue;
		if (n < max)
			refs[n] = r->start;
		n++;
	}
	return n;
}
