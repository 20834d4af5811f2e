/*
 * scope_internal: the index's own types, shared by the files of the scope
 * module (scope.c builds and queries the index, scope_names.c finds the
 * names nothing binds). Nothing outside the module includes this.
 */
#ifndef ASYNCMOD_SCOPE_INTERNAL_H
#define ASYNCMOD_SCOPE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <string.h>
#include <tree_sitter/api.h>

#include "scope.h"
#include "vec.h"

struct scope {
	enum scope_kind kind;
	int parent;
	uint32_t start, end;		/* the code this scope runs */
	uint32_t ex_start, ex_end;	/* a hole in it (a comprehension's first iterable) */
};

enum binding_kind { BIND_IMPORT, BIND_OTHER, BIND_GLOBAL, BIND_NONLOCAL };

struct binding {
	int scope;
	enum binding_kind kind;
	char *name;
	char *qname;			/* imports only */
	bool top;			/* an import statement directly in the module */
	bool from;
	bool async_def;			/* the name of an `async def` */
	uint32_t stmt_start, stmt_end, item_start, item_end;
	uint32_t at;			/* where the bound name is written */
};

struct ref {
	uint32_t start;
	uint32_t len;
	int scope;			/* the scope the identifier is evaluated in */
};

/* The grammar's field ids the index reads, resolved once per file: a
 * look-up by name scans the grammar's field names on every call. */
struct scope_fields {
	TSFieldId alias, attribute, body, left, module_name, name, object, parameters, return_type, right, superclasses, type, value;
};

struct scope_index {
	const char *text;
	uint32_t len;
	struct vec scopes;	/* struct scope; index 0 is the module */
	struct vec bindings;	/* struct binding */
	struct vec refs;	/* struct ref */
	struct vec from_imports;	/* size_t: the bindings made by `from m import x` */
	struct vec by_name;	/* const struct binding *, by name, scope, then source order */
	struct vec ref_names;	/* struct ref, by the text they name */
	enum runtime runtime;
	bool has_all;
	struct scope_fields fields;
	/* how visit() treats a node, by its symbol: learnt from the type
	 * name the first time a symbol is met (SCOPE_VISIT_UNKNOWN until then) */
	unsigned char *visit_kinds;
	uint32_t nsymbols;
	/* the first block holding no statement, comments at most (where
	 * CPython expects an indented block) */
	bool empty_block;
	uint32_t empty_block_at;
};

static inline void scope_fields_resolve(struct scope_fields *f, const TSLanguage *lang)
{
#define SCOPE_FIELD(x) f->x = ts_language_field_id_for_name(lang, #x, (uint32_t)strlen(#x))
	SCOPE_FIELD(alias);
	SCOPE_FIELD(attribute);
	SCOPE_FIELD(body);
	SCOPE_FIELD(left);
	SCOPE_FIELD(module_name);
	SCOPE_FIELD(name);
	SCOPE_FIELD(object);
	SCOPE_FIELD(parameters);
	SCOPE_FIELD(return_type);
	SCOPE_FIELD(right);
	SCOPE_FIELD(superclasses);
	SCOPE_FIELD(type);
	SCOPE_FIELD(value);
#undef SCOPE_FIELD
}

static inline bool scope_node_is(TSNode n, const char *type)
{
	return !strcmp(ts_node_type(n), type);
}

/* memcmp-style order of two names given with their lengths. */
int scope_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* The first entry of `by_name` for `name` in `scope` (any scope when
 * `scope` < 0), or by_name.len. */
size_t scope_first_binding(const struct scope_index *idx, const char *name, size_t len,
			   int scope);

#endif
