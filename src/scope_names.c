/*
 * scope_names: the references no enclosing scope binds, as the verify
 * stage counts them (see scope_unresolved in scope.h).
 */
#include "scope.h"
#include "scope_internal.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* Names every module sees without binding them: the builtins of the
 * Python versions we target and the module attributes the import system
 * sets. Sorted for bsearch. */
static const char *const builtin_names[] = {
	"ArithmeticError", "AssertionError", "AttributeError", "BaseException",
	"BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError",
	"BytesWarning", "ChildProcessError", "ConnectionAbortedError", "ConnectionError",
	"ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
	"Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup",
	"False", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
	"GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError",
	"IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt",
	"LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "None",
	"NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError",
	"OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
	"PythonFinalizationError", "RecursionError", "ReferenceError", "ResourceWarning",
	"RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError",
	"SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError", "True",
	"TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
	"UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError",
	"Warning", "ZeroDivisionError", "__annotations__", "__build_class__", "__builtins__",
	"__cached__", "__class__", "__debug__", "__dict__", "__doc__", "__file__", "__import__",
	"__loader__", "__module__", "__name__", "__package__", "__path__", "__qualname__",
	"__spec__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
	"bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
	"copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec",
	"exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr",
	"hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len",
	"license", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct",
	"open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round",
	"set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple",
	"type", "vars", "zip"
};

static int cstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_builtin(const char *name)
{
	return bsearch(&name, builtin_names, sizeof(builtin_names) / sizeof(builtin_names[0]),
		       sizeof(builtin_names[0]), cstr_cmp) != NULL;
}

/* A binding looked up by name and scope. */
struct bound {
	const char *name;
	int scope;
	enum binding_kind kind;
	uint32_t at;	/* the first binding of the group: the earliest position */
	bool stored;	/* ... and whether the scope assigns the name */
};

static int bound_cmp(const void *a, const void *b)
{
	const struct bound *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x->scope > y->scope) - (x->scope < y->scope);
}

/* The first binding of `name` in `scope`, or NULL. */
static const struct bound *bound_find(const struct vec *sorted, const char *name, int scope)
{
	size_t lo = 0, hi = sorted->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct bound *m = vec_at(sorted, mid);
		int c = strcmp(m->name, name);

		if (!c)
			c = (m->scope > scope) - (m->scope < scope);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sorted->len) {
		const struct bound *m = vec_at(sorted, lo);

		if (!strcmp(m->name, name) && m->scope == scope)
			return m;
	}
	return NULL;
}

/* True when some scope from `s` outwards binds `name`, as Python looks it
 * up: class bodies are seen only from themselves, `global` goes to the
 * module, `nonlocal` names an outer binding. Code that runs while the
 * module is imported (module level, class bodies, comprehensions there)
 * sees only the module names bound above it. */
static bool bound_from(const struct scope_index *idx, const struct vec *sorted,
		       const char *name, int s, uint32_t at)
{
	bool first = true, later = false;

	while (s >= 0) {
		const struct scope *sc = vec_at(&idx->scopes, (size_t)s);
		const struct bound *b;

		if (sc->kind == SCOPE_CLASS && !first) {
			s = sc->parent;
			continue;
		}
		b = bound_find(sorted, name, s);
		if (b && b->kind == BIND_GLOBAL)
			return b->stored || bound_find(sorted, name, 0) != NULL;
		if (b)
			return s != 0 || later || b->at <= at;
		if (sc->kind == SCOPE_FUNCTION || sc->kind == SCOPE_ASYNC_FUNCTION ||
		    sc->kind == SCOPE_LAMBDA || sc->kind == SCOPE_GENERATOR)
			later = true;
		first = false;
		s = sc->parent;
	}
	return false;
}

size_t scope_unresolved(const struct scope_index *idx, struct vec *names)
{
	struct vec sorted = VEC_INIT(struct bound);
	size_t before = names->len;

	for (size_t i = 0; i < idx->bindings.len; i++) {
		const struct binding *b = vec_at(&idx->bindings, i);
		struct bound *o = vec_push(&sorted);

		o->name = b->name;
		o->scope = b->scope;
		o->kind = b->kind;
		o->at = b->at;
		o->stored = b->kind != BIND_GLOBAL;
	}
	/* the first of a group stands for it: a scope's `global` declaration
	 * decides over its other bindings, and the earliest position counts */
	vec_sort(&sorted, bound_cmp);
	for (size_t i = 1, first = 0; i < sorted.len; i++) {
		struct bound *a = vec_at(&sorted, first), *b = vec_at(&sorted, i);

		if (bound_cmp(a, b)) {
			first = i;
			continue;
		}
		if (b->kind == BIND_GLOBAL)
			a->kind = BIND_GLOBAL;
		else
			a->stored = true;
		if (b->at < a->at)
			a->at = b->at;
	}
	for (size_t i = 0; i < idx->refs.len; i++) {
		const struct ref *r = vec_at(&idx->refs, i);
		char *name = xstrndup(idx->text + r->start, r->len);

		if (is_builtin(name) || bound_from(idx, &sorted, name, r->scope, r->start))
			free(name);
		else
			*(char **)vec_push(names) = name;
	}
	vec_release(&sorted);
	vec_sort(names, cstr_cmp);
	return names->len - before;
}
