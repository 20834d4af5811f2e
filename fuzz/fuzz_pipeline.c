/*
 * fuzz_pipeline: libFuzzer target over the whole pipeline on one input.
 *
 * The input is Python source. It runs through pipeline_run_text with every
 * rule, first with safe fixes only, then with unsafe fixes too, and the
 * target aborts (so libFuzzer keeps the input) when an oracle fails:
 *   - an input that parses without error gives a fixed text that parses
 *     without error;
 *   - running the fixed text through again changes nothing;
 *   - a fix never makes module-level code read a name before anything binds
 *     it (a statement put above the import it needs);
 *   - a fix never leaves a name used that nothing binds: a name read in the
 *     output that is neither a builtin nor bound anywhere in the output,
 *     and that the input did not mention at all or bound somewhere;
 *   - the findings and the fixed text are the same when the patterns of
 *     the rules that report only inside async defs run over the whole
 *     tree (pipeline_config.whole_query) as when they run over the async
 *     defs alone.
 * Crashes and sanitizer reports are found by libFuzzer itself.
 *
 * ASYNCMOD_FUZZ_SKIP (environment) names oracles to leave out, comma
 * separated: "idempotence", "names", "syntax", "reach".
 */
#include "../src/grammar.h"
#include "../src/tree.h"
#include "../src/pipeline.h"
#include "../src/query.h"
#include "../src/rule.h"
#include "../src/suppress.h"
#include "../transforms/syntax.h"
#include "../transforms/table.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_state {
	struct query *query;
	const char **tokens;
	struct suppress *suppress;
	struct pipeline_config config;
	struct pipeline_worker *worker;
	struct pipeline_config whole_config;	/* config, whole_query set */
	struct pipeline_worker *whole_worker;
	TSParser *parser;
	bool skip_idempotence, skip_names, skip_syntax, skip_reach;
};

/* The names of the builtins module, plus module attributes every module has. */
static const char *const builtins[] = {
	"ArithmeticError", "AssertionError", "AttributeError", "BaseException",
	"BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
	"ChildProcessError", "ConnectionAbortedError", "ConnectionError",
	"ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
	"Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup", "False",
	"FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
	"GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError",
	"IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt",
	"LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "None",
	"NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError",
	"OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
	"RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
	"StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
	"SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError",
	"UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
	"UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
	"__build_class__", "__debug__", "__doc__", "__import__", "__loader__", "__name__",
	"__package__", "__spec__", "__file__", "__builtins__", "__cached__", "__annotations__",
	"__dict__", "__class__", "__qualname__", "__module__", "__path__",
	"abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
	"bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright",
	"credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit",
	"filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash",
	"help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len",
	"license", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct",
	"open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round",
	"set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple",
	"type", "vars", "zip", "self", "cls", NULL
};

static struct fuzz_state *state;

static bool skip_listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, name, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_state *s = xcalloc(1, sizeof(*s));
	struct err err = ERR_INIT;
	const char *skip = getenv("ASYNCMOD_FUZZ_SKIP");
	size_t ntok = 0;

	(void)argc;
	(void)argv;
	if (query_new(&s->query, transform_table, transform_count, &err) < 0 ||
	    suppress_new(&s->suppress, &err) < 0) {
		fprintf(stderr, "fuzz_pipeline: %s\n", err.msg);
		abort();
	}
	for (size_t i = 0; i < transform_count; i++)
		for (size_t k = 0; transform_table[i]->tokens && transform_table[i]->tokens[k]; k++)
			ntok++;
	s->tokens = xcalloc(ntok + 1, sizeof(char *));
	ntok = 0;
	for (size_t i = 0; i < transform_count; i++)
		for (size_t k = 0; transform_table[i]->tokens && transform_table[i]->tokens[k]; k++)
			s->tokens[ntok++] = transform_table[i]->tokens[k];
	s->config.query = s->query;
	s->config.tokens = s->tokens;
	s->config.mode = MODE_DIFF;
	s->config.target_minor = 11;
	s->config.timeout = RULE_DEFAULT_TIMEOUT;
	s->config.http_client = HTTP_CLIENT_HTTPX;
	s->config.suppress = s->suppress;
	s->worker = pipeline_worker_new(&s->config);
	s->whole_config = s->config;
	s->whole_config.whole_query = true;
	s->whole_worker = pipeline_worker_new(&s->whole_config);
	s->parser = ts_parser_new();
	ts_parser_set_language(s->parser, tree_sitter_python());
	s->skip_idempotence = skip_listed(skip, "idempotence");
	s->skip_names = skip_listed(skip, "names");
	s->skip_syntax = skip_listed(skip, "syntax");
	s->skip_reach = skip_listed(skip, "reach");
	state = s;
	return 0;
}

/* The names of one text: every identifier, those surely bound (a store
 * position or an import), those that may be bound, and those read. */
struct name_at {
	char *name;		/* owned */
	uint32_t bind, load;	/* first binding anywhere, first read run at import */
};

struct names {
	struct vec all, stored, bound, loaded;	/* char *, owned */
	/* "name@scope" (scope: the names of the enclosing defs and classes,
	 * dot-separated; "" at module level) */
	struct vec stored_at, bound_at, loaded_at;	/* char *, owned */
	struct vec order;			/* struct name_at */
	bool future_annotations;		/* annotations are not evaluated */
	bool wildcard;			/* `from m import *`: anything may be bound */
	bool error;			/* the text does not parse cleanly */
};

static bool vec_has(const struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(*(char **)vec_at(v, i), s))
			return true;
	return false;
}

static void add_name(struct vec *v, const char *text, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	char *s = xcalloc(b - a + 1, 1);

	memcpy(s, text + a, b - a);
	if (vec_has(v, s))
		free(s);
	else
		*(char **)vec_push(v) = s;
}

static void note_at(struct vec *v, const char *text, TSNode n, bool bind)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	struct name_at *at = NULL;

	for (size_t i = 0; i < v->len && !at; i++) {
		struct name_at *x = vec_at(v, i);

		if (strlen(x->name) == b - a && !memcmp(x->name, text + a, b - a))
			at = x;
	}
	if (!at) {
		at = vec_push(v);
		at->name = xcalloc(b - a + 1, 1);
		memcpy(at->name, text + a, b - a);
		at->bind = at->load = UINT32_MAX;
	}
	if (bind && a < at->bind)
		at->bind = a;
	if (!bind && a < at->load)
		at->load = a;
}

/* True when module-level code reads `name` before anything binds it. */
static bool read_early(const struct names *nm, const char *name)
{
	for (size_t i = 0; i < nm->order.len; i++) {
		const struct name_at *x = vec_at(&nm->order, i);

		if (!strcmp(x->name, name))
			return x->bind != UINT32_MAX && x->load < x->bind;
	}
	return false;
}

/* The scope a name at `n` belongs to: the names of the function and class
 * definitions around it, outermost first, dot-separated. A definition's
 * own name belongs to the scope around it. Lambdas and comprehensions are
 * taken as part of their function, which can only hide a finding. */
static void scope_of(TSNode n, const char *text, struct buf *out)
{
	struct vec parts = VEC_INIT(TSNode);
	TSNode child = n;

	buf_clear(out);
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
		TSNode name;

		if (strcmp(ts_node_type(p), "function_definition") &&
		    strcmp(ts_node_type(p), "class_definition"))
			continue;
		name = ts_node_child_by_field_name(p, "name", 4);
		if (ts_node_is_null(name) || ts_node_eq(name, child))
			continue;
		*(TSNode *)vec_push(&parts) = name;
	}
	for (size_t i = parts.len; i-- > 0;) {
		TSNode name = *(TSNode *)vec_at(&parts, i);

		if (out->len)
			buf_putc(out, '.');
		buf_add(out, text + ts_node_start_byte(name),
			   ts_node_end_byte(name) - ts_node_start_byte(name));
	}
	vec_release(&parts);
}

static void add_name_at(struct vec *v, const char *text, TSNode n, const struct buf *scope)
{
	struct buf s = BUF_INIT;

	buf_add(&s, text + ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
	buf_putc(&s, '@');
	buf_add(&s, scope->ptr ? scope->ptr : "", scope->len);
	if (vec_has(v, buf_cstr(&s)))
		buf_release(&s);
	else
		*(char **)vec_push(v) = buf_detach(&s);
}

/* True when `v` holds `name` in `scope` or in a scope around it. */
static bool has_in_reach(const struct vec *v, const char *name, const char *scope)
{
	struct buf key = BUF_INIT;
	size_t n = strlen(scope);
	bool found = false;

	for (;;) {
		buf_clear(&key);
		buf_printf(&key, "%s@%.*s", name, (int)n, scope);
		if (vec_has(v, buf_cstr(&key))) {
			found = true;
			break;
		}
		if (!n)
			break;
		do
			n--;
		while (n && scope[n] != '.');
	}
	buf_release(&key);
	return found;
}

static bool has_ancestor(TSNode n, const char *const *types)
{
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
		for (size_t i = 0; types[i]; i++)
			if (!strcmp(ts_node_type(p), types[i]))
				return true;
	return false;
}

/* Binding positions syntax_is_store may not know of: treated as bound,
 * which can only hide a finding, never invent one. */
static bool loosely_stored(TSNode id)
{
	static const char *const binders[] = {
		"import_statement", "import_from_statement", "future_import_statement",
		"as_pattern_target", "case_pattern", "case_clause", "except_clause",
		"except_group_clause",
		"type_alias_statement", "keyword_pattern", "splat_pattern",
		"dict_pattern", "class_pattern", "global_statement", "nonlocal_statement",
		"delete_statement", "for_in_clause", "pattern_list", "tuple_pattern", "list_pattern",
		NULL
	};

	if (syntax_is_store(id) || has_ancestor(id, binders))
		return true;
	/* `def f[T]()`: a type parameter list (`set[T]` in an annotation is not) */
	for (TSNode p = ts_node_parent(id); !ts_node_is_null(p); p = ts_node_parent(p))
		if (!strcmp(ts_node_type(p), "type_parameter")) {
			TSNode g = ts_node_parent(p);

			if (!ts_node_is_null(g) && strcmp(ts_node_type(g), "type") &&
			    strcmp(ts_node_type(g), "generic_type"))
				return true;
		}
	return false;
}

/* True for a name of the module in `from MODULE import x`: it binds
 * nothing (`import a.b` binds `a`, `from a import b` binds `b` only). */
static bool import_from_module(TSNode id)
{
	TSNode dotted = ts_node_parent(id), stmt, module;

	if (ts_node_is_null(dotted) || strcmp(ts_node_type(dotted), "dotted_name"))
		return false;
	stmt = ts_node_parent(dotted);
	if (!ts_node_is_null(stmt) && !strcmp(ts_node_type(stmt), "relative_import"))
		stmt = ts_node_parent(stmt);
	if (ts_node_is_null(stmt) || strcmp(ts_node_type(stmt), "import_from_statement"))
		return false;
	/* a null node's bytes are not to be read in this tree-sitter */
	module = ts_node_child_by_field_name(stmt, "module_name", 11);
	return !ts_node_is_null(module) && ts_node_start_byte(module) <= ts_node_start_byte(id) &&
	       ts_node_end_byte(module) >= ts_node_end_byte(id);
}

/* Code that runs later than the module body around it. */
static const char *const deferred[] = { "function_definition", "lambda", NULL };

static void names_collect(struct names *nm, TSParser *parser, const char *text, size_t len)
{
	TSTree *tree = tree_parse(parser, text, (uint32_t)len);
	struct buf scope = BUF_INIT;
	TSTreeCursor c;
	TSNode root;

	memset(nm, 0, sizeof(*nm));
	nm->all = (struct vec)VEC_INIT(char *);
	nm->stored = (struct vec)VEC_INIT(char *);
	nm->bound = (struct vec)VEC_INIT(char *);
	nm->loaded = (struct vec)VEC_INIT(char *);
	nm->order = (struct vec)VEC_INIT(struct name_at);
	nm->stored_at = (struct vec)VEC_INIT(char *);
	nm->bound_at = (struct vec)VEC_INIT(char *);
	nm->loaded_at = (struct vec)VEC_INIT(char *);
	if (!tree) {
		nm->error = true;
		return;
	}
	root = ts_tree_root_node(tree);
	nm->error = ts_node_has_error(root);
	c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		const char *t = ts_node_type(n);

		if (!strcmp(t, "wildcard_import"))
			nm->wildcard = true;
		if (!strcmp(t, "future_import_statement"))
			nm->future_annotations = true;	/* any __future__ import: no order check */
		if (!strcmp(t, "identifier") && !import_from_module(n)) {
			TSNode p = ts_node_parent(n);
			const char *pt = ts_node_is_null(p) ? "" : ts_node_type(p);
			bool read = false;

			add_name(&nm->all, text, n);
			scope_of(n, text, &scope);
			if (syntax_is_store(n)) {
				add_name(&nm->stored, text, n);
				add_name_at(&nm->stored_at, text, n, &scope);
			}
			if (loosely_stored(n)) {
				add_name(&nm->bound, text, n);
				add_name_at(&nm->bound_at, text, n, &scope);
			}
			else if (!rule_is_name_site(n) && strcmp(pt, "attribute") &&
				 strcmp(pt, "keyword_argument") && strcmp(pt, "dotted_name"))
				read = true;
			else if (!strcmp(pt, "attribute") &&
				 ts_node_start_byte(ts_node_named_child(p, 0)) == ts_node_start_byte(n))
				read = true;
			if (read) {
				add_name(&nm->loaded, text, n);
				add_name_at(&nm->loaded_at, text, n, &scope);
			}
			if (loosely_stored(n))
				note_at(&nm->order, text, n, true);
			else if (read && !has_ancestor(n, deferred))
				note_at(&nm->order, text, n, false);
		}
		if (ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
	ts_tree_delete(tree);
	buf_release(&scope);
}

static void names_release(struct names *nm)
{
	struct vec *vs[] = { &nm->all, &nm->stored, &nm->bound, &nm->loaded,
			     &nm->stored_at, &nm->bound_at, &nm->loaded_at };

	for (size_t k = 0; k < 7; k++) {
		for (size_t i = 0; i < vs[k]->len; i++)
			free(*(char **)vec_at(vs[k], i));
		vec_release(vs[k]);
	}
	for (size_t i = 0; i < nm->order.len; i++)
		free(((struct name_at *)vec_at(&nm->order, i))->name);
	vec_release(&nm->order);
}

static bool is_builtin(const char *s)
{
	for (size_t i = 0; builtins[i]; i++)
		if (!strcmp(builtins[i], s))
			return true;
	return false;
}

static void fail(const char *what, const char *detail, const char *in, size_t inlen,
		 const struct buf *out)
{
	fprintf(stderr, "fuzz_pipeline: oracle failed: %s%s%s\n--- input ---\n%.*s\n"
		"--- output ---\n%.*s\n--- end ---\n", what, detail ? ": " : "", detail ? detail : "",
		(int)inlen, in, (int)out->len, out->ptr ? out->ptr : "");
	abort();
}

/* True when two buffers hold the same bytes (either may be empty, its
 * pointer NULL). */
static bool same_bytes(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->ptr, b->ptr, a->len));
}

/* Runs the text through the pipeline: `out` gets the fixed text. With
 * `reach`, runs it again with every pattern over the whole tree, and
 * fails when anything differs. */
static void run_once(struct fuzz_state *s, const char *text, size_t len,
		     const struct file_settings *fs, struct buf *out, bool reach)
{
	struct file_result res, whole;
	struct buf found = BUF_INIT, whole_found = BUF_INIT, whole_out = BUF_INIT;

	pipeline_run_text(s->worker, "fuzz.py", text, len, fs, &res, out);
	if (reach && !s->skip_reach) {
		pipeline_run_text(s->whole_worker, "fuzz.py", text, len, fs, &whole, &whole_out);
		/* the gates leave unparsed a file no rule can find anything in:
		 * its error counts only when both runs parsed it */
		pipeline_result_lines(&res, res.parsed && whole.parsed, &found);
		pipeline_result_lines(&whole, res.parsed && whole.parsed, &whole_found);
		if (!same_bytes(&found, &whole_found) || !same_bytes(out, &whole_out)) {
			fprintf(stderr, "--- findings ---\n%.*s--- findings, whole tree ---\n%.*s",
				(int)found.len, found.ptr ? found.ptr : "", (int)whole_found.len,
				whole_found.ptr ? whole_found.ptr : "");
			fail("the async-def patterns find otherwise over the whole tree", NULL, text,
			     len, &whole_out);
		}
		pipeline_result_release(&whole);
	}
	buf_release(&found);
	buf_release(&whole_found);
	buf_release(&whole_out);
	pipeline_result_release(&res);
}

static void check_names(const struct names *in, const struct names *out, const char *text,
			size_t len, const struct buf *fixed)
{
	if (out->wildcard || in->wildcard)
		return;
	for (size_t i = 0; i < out->loaded.len; i++) {
		const char *n = *(char **)vec_at(&out->loaded, i);

		if (!out->future_annotations && !in->future_annotations && !is_builtin(n) &&
		    read_early(out, n) && !read_early(in, n))
			fail("a fix reads a name at import time before its binding", n, text, len,
			     fixed);

		if (is_builtin(n) || vec_has(&out->bound, n))
			continue;
		/* a new name nothing binds */
		if (!vec_has(&in->all, n))
			fail("a fix leaves a name unbound", n, text, len, fixed);
	}
	/* a read whose bindings in reach went (a read that had none in the
	 * input, such as a global nothing defines, is not the fix's doing) */
	for (size_t i = 0; i < out->loaded_at.len; i++) {
		const char *key = *(char **)vec_at(&out->loaded_at, i);
		const char *at = strchr(key, '@');
		char *n = xstrndup(key, (size_t)(at - key));

		if (!is_builtin(n) && !has_in_reach(&out->bound_at, n, at + 1) &&
		    has_in_reach(&in->stored_at, n, at + 1)) {
			free(n);
			fail("a fix leaves a name unbound", key, text, len, fixed);
		}
		free(n);
	}
}

static void check(struct fuzz_state *s, const char *text, size_t len, bool unsafe,
		  int minor, const struct names *in)
{
	struct file_settings fs = { .target_minor = minor,
				    .unsafe_fixes = unsafe,
				    .timeout = RULE_DEFAULT_TIMEOUT,
				    .http_client = (minor & 1) ? HTTP_CLIENT_AIOHTTP
							       : HTTP_CLIENT_HTTPX };
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct names after;

	run_once(s, text, len, &fs, &out, true);
	if (out.len == len && (!len || !memcmp(out.ptr, text, len))) {
		buf_release(&out);
		return;
	}
	names_collect(&after, s->parser, out.ptr, out.len);
	if (!s->skip_syntax && after.error)
		fail("the fixed text does not parse", NULL, text, len, &out);
	if (!s->skip_names)
		check_names(in, &after, text, len, &out);
	names_release(&after);
	if (!s->skip_idempotence) {
		run_once(s, out.ptr, out.len, &fs, &again, false);
		if (again.len != out.len || memcmp(again.ptr, out.ptr, out.len)) {
			fprintf(stderr, "--- first output ---\n%.*s\n", (int)out.len, out.ptr);
			fail(unsafe ? "a second run changes the text (unsafe fixes)"
				    : "a second run changes the text (safe fixes)",
			     NULL, text, len, &again);
		}
	}
	buf_release(&out);
	buf_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_state *s = state;
	const char *text = (const char *)data;
	struct names in;
	uint32_t h = 2166136261u;
	int minor;

	if (size > 64 * 1024)
		return 0;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	minor = PY_MIN_MINOR + (int)(h % (PY_MAX_MINOR - PY_MIN_MINOR + 1));
	names_collect(&in, s->parser, text, size);
	if (in.error || memchr(text, '\0', size)) {
		/* no oracle on broken input beyond not crashing */
		struct buf out = BUF_INIT;
		struct file_settings fs = { .target_minor = minor,
					    .unsafe_fixes = true,
					    .timeout = RULE_DEFAULT_TIMEOUT,
					    .http_client = HTTP_CLIENT_HTTPX };

		run_once(s, text, size, &fs, &out, false);
		buf_release(&out);
	} else {
		check(s, text, size, false, minor, &in);
		check(s, text, size, true, minor, &in);
	}
	names_release(&in);
	return 0;
}
