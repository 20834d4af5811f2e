/*
 * scope: Python name scopes over one parsed file.
 *
 * Built once per file (only for files that matched some rule), the index
 * knows every function-like scope (module, def, async def, lambda, class
 * body, comprehension, generator expression), the names each binds (imports
 * with their qualified names, parameters, assignments, nested defs, for and
 * with targets, except names, walrus targets, global/nonlocal), every
 * identifier reference, and the module's async runtime. It answers "what
 * does this name mean here" the way Python does: function scopes are flat,
 * class bodies are skipped by nested functions, `global` jumps to the module.
 *
 * The index points into the tree and the text it was built from: free it
 * before either.
 */
#ifndef ASYNCMOD_SCOPE_H
#define ASYNCMOD_SCOPE_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "vec.h"

enum scope_kind {
	SCOPE_MODULE,
	SCOPE_FUNCTION,
	SCOPE_ASYNC_FUNCTION,
	SCOPE_LAMBDA,
	SCOPE_CLASS,
	SCOPE_COMPREHENSION,	/* list, set and dict comprehensions */
	SCOPE_GENERATOR,	/* generator expressions */
};

/* Where a node runs, as the rules need to know it. */
enum scope_context {
	CONTEXT_MODULE,		/* module level, outside any function */
	CONTEXT_SYNC,		/* a plain def (or lambda/class) not inside an async def */
	CONTEXT_ASYNC,		/* directly in an async def: `await` is allowed here */
	CONTEXT_NESTED_SYNC,	/* a def, lambda, class body or genexp inside an async def */
};

enum resolution {
	RESOLVE_UNBOUND,	/* not bound in any enclosing scope: a builtin or unknown */
	RESOLVE_MODULE,		/* bound only by imports, all to the same qualified name */
	RESOLVE_LOCAL,		/* bound by something other than an import: shadowed */
	RESOLVE_AMBIGUOUS,	/* bound by imports of different names, or by import and otherwise */
};

enum runtime {
	RUNTIME_ASYNCIO,
	RUNTIME_ANYIO,
	RUNTIME_TRIO,
};

/* An import binding at the top level of the module. */
struct scope_import {
	uint32_t stmt_start, stmt_end;	/* the whole import statement */
	uint32_t item_start, item_end;	/* `x`, `x as y`, `a.b` inside it */
	const char *qname;		/* "time.sleep", "asyncio" */
	bool from;			/* a `from m import` statement */
};

struct scope_index;

/* Builds the index for `tree` parsed from `text`. Caller frees it with
 * scope_index_free(). */
struct scope_index *scope_index_new(const TSTree *tree, const char *text, uint32_t len);
void scope_index_free(struct scope_index *idx);

/* The innermost scope running the code at byte `at`, and its kind. */
int scope_at(const struct scope_index *idx, uint32_t at);
enum scope_kind scope_kind(const struct scope_index *idx, int scope);

/* The context of the code at byte `at` (list/set/dict comprehensions are
 * transparent: `await` is allowed in them inside an async def). */
enum scope_context scope_context_at(const struct scope_index *idx, uint32_t at);

/* Resolves a name as seen from byte `at`. On RESOLVE_MODULE `*qname` is
 * the imported qualified name (owned by the index); on RESOLVE_AMBIGUOUS
 * it is one of the imported candidates. */
enum resolution scope_resolve_name(const struct scope_index *idx, uint32_t at,
				   const char *name, size_t len, const char **qname);

/* Resolves an identifier, a chain of attributes on one (`t.sleep`,
 * `asyncio.exceptions.TimeoutError`) or a dotted name of a class pattern
 * to a qualified name written into
 * `qname`. Returns the resolution of the chain's first name. */
enum resolution scope_resolve_expr(const struct scope_index *idx, TSNode expr,
				   struct buf *qname);

/* Where the scope that `name` resolves to from byte `at` binds it: the
 * offsets of the bound names (`x` of `x = ..`, of a parameter, of
 * `with .. as x`), in source order. Returns how many, or 0 when the name
 * is unbound, bound by an import or a global/nonlocal statement there, or
 * bound more than `max` times. */
size_t scope_binding_sites(const struct scope_index *idx, uint32_t at, const char *name,
			   size_t len, uint32_t *sites, size_t max);

/* True when some `from M import N [as X]` in the file binds the local name
 * `text` to one of the `n` qualified names. Cheap: used as a query predicate. */
bool scope_imports_name(const struct scope_index *idx, const char *text, size_t len,
			const char *const *qnames, size_t n);

/* The names `from m import x [as y]` statements bind to any of the
 * qualified names `qnames` (n of them): `y`, or `x` without an alias. Each
 * is pushed to `out` (a vec of const char *, valid as long as the index).
 * scope_imports_name() holds exactly for these names. */
void scope_names_importing(const struct scope_index *idx, const char *const *qnames, size_t n,
			   struct vec *out);

/* True when `name` appears anywhere in the file as a binding or reference. */
bool scope_name_used(const struct scope_index *idx, const char *name);

/* True when a block of the file holds no statement, comments at most
 * (CPython raises IndentationError): `*at` is where the first one starts. */
bool scope_empty_block(const struct scope_index *idx, uint32_t *at);
/* True when some `async def` of the file, in any scope, is called `name`. */
bool scope_has_async_def(const struct scope_index *idx, const char *name, size_t len);
/* The local name of an unconditional top-level `import MODULE [as X]`
 * (owned by the index), or NULL. */
const char *scope_module_alias(const struct scope_index *idx, const char *module);

/* The top-level import that binds `name`, if exactly one import statement
 * at the top level of the module does and nothing else binds it there. */
bool scope_top_import(const struct scope_index *idx, const char *name,
		      struct scope_import *out);

/* The import that binds `name`, if it is the file's only binding of that
 * name in any scope (a function's own `import asyncio`, say). */
bool scope_sole_import(const struct scope_index *idx, const char *name,
		       struct scope_import *out);
/* Counts references to `name` (identifiers in load or store position,
 * outside import statements) that lie outside every range in `skip`
 * (pairs of start/end offsets, `nskip` pairs). */
size_t scope_count_refs(const struct scope_index *idx, const char *name,
			const uint32_t *skip, size_t nskip);

/* Appends to `names` (char *, owned by the caller) the text of every
 * identifier reference that no enclosing scope binds and that is not a
 * builtin, once per reference, and sorts `names`. Code that runs at import
 * time (module level, class bodies) sees only module names bound above it. Returns how many were
 * added. A fix must not raise the count of any name: a reference it
 * creates or leaves behind would raise NameError. */
size_t scope_unresolved(const struct scope_index *idx, struct vec *names);

/* The identifier references in the file (loads and stores, outside
 * import statements) that mean the same variable as `name` seen from byte
 * `at`: those that resolve to the scope that binds it there. Writes the
 * start offsets of the first `max` into `refs`, the scope (an index for
 * scope_kind) into `*scope` when not NULL (-1 when nothing binds the
 * name), and returns how many there are in all (0 when nothing binds it). */
size_t scope_variable_refs(const struct scope_index *idx, uint32_t at, const char *name,
			   size_t len, uint32_t *refs, size_t max, int *scope);

/* The async framework the module runs under, from its imports. */
enum runtime scope_runtime(const struct scope_index *idx);

/* True when the file mentions `__all__` (an import may be re-exported). */
bool scope_has_all(const struct scope_index *idx);

#endif
