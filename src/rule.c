/*
 * rule: helpers shared by the transforms.
 */
#include "rule.h"
#include "tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

TSNode rule_capture(const struct rule_ctx *ctx, const TSQueryMatch *match, const char *name)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint16_t i = 0; i < match->capture_count; i++) {
		uint32_t len;
		const char *cn = ts_query_capture_name_for_id(ctx->query, match->captures[i].index,
							      &len);

		if (len == strlen(name) && !memcmp(cn, name, len))
			return match->captures[i].node;
	}
	return none;
}

const char *rule_text(const struct rule_ctx *ctx, TSNode node, uint32_t *len)
{
	/* a missing child (a null node) reads as "": this tree-sitter's
	 * ts_node_end_byte would follow its null subtree */
	if (ts_node_is_null(node)) {
		*len = 0;
		return ctx->src->text ? ctx->src->text : "";
	}
	*len = ts_node_end_byte(node) - ts_node_start_byte(node);
	return ctx->src->text + ts_node_start_byte(node);
}

bool rule_text_is(const struct rule_ctx *ctx, TSNode node, const char *s)
{
	uint32_t len;
	const char *t = rule_text(ctx, node, &len);

	return len == strlen(s) && !memcmp(t, s, len);
}

struct finding *rule_report(struct rule_ctx *ctx, const struct transform *rule, TSNode node,
			    const char *fmt, ...)
{
	struct finding *f = vec_push(ctx->findings);
	struct vec edits = VEC_INIT(struct edit);
	struct vec needs = VEC_INIT(struct need);
	struct buf msg = BUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&msg, (size_t)(n > 0 ? n : 0));
	va_start(ap, fmt);
	vsnprintf(msg.ptr, (size_t)n + 1, fmt, ap);
	va_end(ap);
	msg.len = (size_t)n;
	f->rule = rule;
	f->start = ts_node_start_byte(node);
	f->end = ts_node_end_byte(node);
	f->message = buf_detach(&msg);
	f->fix = rule->fix;
	f->edits = edits;
	f->needs = needs;
	f->shown = edits;
	return f;
}

static void finding_drop_fix(struct finding *f)
{
	for (size_t i = 0; i < f->edits.len; i++)
		free(((struct edit *)vec_at(&f->edits, i))->text);
	for (size_t i = 0; i < f->needs.len; i++)
		free(((struct need *)vec_at(&f->needs, i))->text);
	f->edits.len = 0;
	f->needs.len = 0;
}

void rule_no_fix(struct finding *f, const char *reason)
{
	finding_drop_fix(f);
	f->fix = FIX_NONE;
	f->reason = reason;
}

void rule_edit(struct finding *f, uint32_t start, uint32_t end, const char *text)
{
	struct edit *e = vec_push(&f->edits);

	e->start = start;
	e->end = end;
	e->text = xstrdup(text);
}

void rule_need(struct finding *f, enum need_kind kind, const char *text)
{
	struct need *n = vec_push(&f->needs);

	n->kind = kind;
	n->text = xstrdup(text);
}

/* True when `n` (an identifier or dotted name) is MODULE or starts with it. */
static bool names_module(const struct rule_ctx *ctx, TSNode n, const char *module)
{
	uint32_t len;
	const char *t;

	if (!strcmp(ts_node_type(n), "dotted_name") && ts_node_named_child_count(n))
		n = ts_node_named_child(n, 0);
	t = rule_text(ctx, n, &len);
	return len == strlen(module) && !memcmp(t, module, len);
}

/* Scans a function's own scope below `n` (not nested functions, classes or
 * lambdas) for imports that bind the name MODULE. Sets *binds when one
 * does and *plain when one is a plain `import MODULE` statement of `body`
 * itself (not under an if, try or loop) that ends before `at`. */
static void scan_imports(const struct rule_ctx *ctx, TSNode n, TSNode body, uint32_t at,
			 const char *module, bool *binds, bool *plain)
{
	const char *type = ts_node_type(n);
	uint32_t count = ts_node_named_child_count(n);

	if (!strcmp(type, "function_definition") || !strcmp(type, "class_definition") ||
	    !strcmp(type, "lambda"))
		return;
	if (!strcmp(type, "import_statement") || !strcmp(type, "import_from_statement")) {
		TSNode from = ts_node_child_by_field_name(n, "module_name", 11);

		for (uint32_t i = 0; i < count; i++) {
			TSNode item = ts_node_named_child(n, i), name = item;

			if (!ts_node_is_null(from) && ts_node_eq(item, from))
				continue;
			if (!strcmp(ts_node_type(item), "aliased_import"))
				name = ts_node_child_by_field_name(item, "alias", 5);
			else if (!ts_node_is_null(from) && strcmp(ts_node_type(item), "dotted_name"))
				continue;	/* `*`, or something unknown */
			if (ts_node_is_null(name) || !names_module(ctx, name, module))
				continue;
			*binds = true;
			if (ts_node_is_null(from) && ts_node_eq(name, item) &&
			    ts_node_eq(tree_parent(n), body) && ts_node_end_byte(n) <= at)
				*plain = true;
		}
		return;
	}
	for (uint32_t i = 0; i < count; i++)
		scan_imports(ctx, ts_node_named_child(n, i), body, at, module, binds, plain);
}

/* How the functions around `at` bind the name MODULE by import: 0 none
 * does (only the module may); 1 the innermost one that does has a plain
 * `import MODULE` of its own body before `at`, so the name is bound when
 * `at` runs; -1 otherwise (conditional, later, or in an outer function:
 * a new top-level import would not help, the local name hides it). */
static int local_module_import(const struct rule_ctx *ctx, uint32_t at, const char *module)
{
	TSNode root = ts_tree_root_node(ctx->tree);

	for (TSNode p = ts_node_descendant_for_byte_range(root, at, at); !ts_node_is_null(p);
	     p = tree_parent(p)) {
		TSNode body;
		bool binds = false, plain = false;

		if (strcmp(ts_node_type(p), "function_definition"))
			continue;
		body = ts_node_child_by_field_name(p, "body", 4);
		if (ts_node_is_null(body))
			continue;
		scan_imports(ctx, body, body, at, module, &binds, &plain);
		if (binds)
			return plain ? 1 : -1;
	}
	return 0;
}

int rule_module_ref(struct rule_ctx *ctx, struct finding *f, uint32_t at, const char *module,
		    struct buf *out)
{
	const char *alias = scope_module_alias(ctx->scopes, module);
	const char *q = NULL;
	enum resolution r;

	buf_clear(out);
	if (alias) {
		r = scope_resolve_name(ctx->scopes, at, alias, strlen(alias), &q);
		if (r == RESOLVE_MODULE && !strcmp(q, module)) {
			buf_puts(out, alias);
			return 0;
		}
	}
	r = scope_resolve_name(ctx->scopes, at, module, strlen(module), &q);
	if (r != RESOLVE_UNBOUND && !(r == RESOLVE_MODULE && !strcmp(q, module)))
		return -1;
	if (r == RESOLVE_MODULE) {
		/* a function around `at` may import it itself */
		int local = local_module_import(ctx, at, module);

		if (local < 0)
			return -1;
		if (local > 0) {
			buf_puts(out, module);
			return 0;
		}
	}
	/* the name must also be free at module level, where the import goes */
	r = scope_resolve_name(ctx->scopes, 0, module, strlen(module), &q);
	if (r != RESOLVE_UNBOUND && !(r == RESOLVE_MODULE && !strcmp(q, module)))
		return -1;
	buf_puts(out, module);
	if (r == RESOLVE_UNBOUND || !scope_module_alias(ctx->scopes, module))
		rule_need(f, NEED_IMPORT, module);
	return 0;
}

void rule_fresh_name(const struct rule_ctx *ctx, const char *base, struct buf *out)
{
	buf_clear(out);
	buf_puts(out, base);
	for (int i = 1; scope_name_used(ctx->scopes, buf_cstr(out)); i++) {
		buf_clear(out);
		buf_printf(out, "%s_%d", base, i);
	}
}

void rule_indent(const struct rule_ctx *ctx, uint32_t at, struct buf *out)
{
	uint32_t i = source_line_start(ctx->src, at);

	buf_clear(out);
	while (i < ctx->src->len && (ctx->src->text[i] == ' ' || ctx->src->text[i] == '\t'))
		buf_putc(out, ctx->src->text[i++]);
}

bool rule_inside(TSNode node, const char *type, const char *const *stop)
{
	for (TSNode p = tree_parent(node); !ts_node_is_null(p); p = tree_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, type))
			return true;
		for (size_t i = 0; stop && stop[i]; i++)
			if (!strcmp(t, stop[i]))
				return false;
	}
	return false;
}

void rule_findings_keep(struct vec *findings,
			bool (*keep)(const struct finding *f, const struct finding *kept, void *arg),
			void *arg)
{
	size_t w = 0;

	for (size_t r = 0; r < findings->len; r++) {
		struct finding *f = vec_at(findings, r);

		if (!keep(f, w ? vec_at(findings, w - 1) : NULL, arg)) {
			rule_finding_release(f);
			continue;
		}
		if (w != r)
			memcpy(vec_at(findings, w), f, sizeof(*f));
		w++;
	}
	findings->len = w;
}

void rule_finding_release(struct finding *f)
{
	finding_drop_fix(f);
	vec_release(&f->edits);
	vec_release(&f->needs);
	for (size_t i = 0; i < f->shown.len; i++)
		free(((struct edit *)vec_at(&f->shown, i))->text);
	vec_release(&f->shown);
	free(f->message);
	f->message = NULL;
}

static bool same_node(TSNode a, TSNode b)
{
	return ts_node_start_byte(a) == ts_node_start_byte(b) &&
	       ts_node_end_byte(a) == ts_node_end_byte(b) &&
	       !strcmp(ts_node_type(a), ts_node_type(b));
}

bool rule_callee_of(TSNode ref, TSNode *call)
{
	TSNode p = tree_parent(ref), fn;

	if (ts_node_is_null(p) || strcmp(ts_node_type(p), "call"))
		return false;
	fn = ts_node_child_by_field_name(p, "function", 8);
	if (ts_node_is_null(fn) || !same_node(fn, ref))
		return false;
	*call = p;
	return true;
}

void rule_root_name(const struct rule_ctx *ctx, TSNode ref, struct buf *out)
{
	uint32_t len;
	const char *t;

	if (!strcmp(ts_node_type(ref), "dotted_name") && ts_node_named_child_count(ref))
		ref = ts_node_named_child(ref, 0);
	while (!strcmp(ts_node_type(ref), "attribute")) {
		TSNode obj = ts_node_child_by_field_name(ref, "object", 6);

		if (ts_node_is_null(obj))
			break;
		ref = obj;
	}
	t = rule_text(ctx, ref, &len);
	buf_clear(out);
	buf_add(out, t, len);
}

bool rule_is_name_site(TSNode ref)
{
	TSNode p = tree_parent(ref);
	const char *t;

	if (ts_node_is_null(p))
		return false;
	t = ts_node_type(p);
	if (!strcmp(t, "dotted_name") || !strcmp(t, "aliased_import") ||
	    !strcmp(t, "import_statement") || !strcmp(t, "import_from_statement"))
		return true;
	if (!strcmp(t, "attribute")) {
		TSNode attr = ts_node_child_by_field_name(p, "attribute", 9);

		return !ts_node_is_null(attr) && same_node(attr, ref);
	}
	if (!strcmp(t, "keyword_argument")) {
		TSNode name = ts_node_child_by_field_name(p, "name", 4);

		return !ts_node_is_null(name) && same_node(name, ref);
	}
	return false;
}

bool rule_own_line(const struct rule_ctx *ctx, TSNode stmt)
{
	const char *s = ctx->src->text;
	uint32_t start = ts_node_start_byte(stmt), end = ts_node_end_byte(stmt);

	for (uint32_t i = source_line_start(ctx->src, start); i < start; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	while (end < ctx->src->len && (s[end] == ' ' || s[end] == '\t'))
		end++;
	return end >= ctx->src->len || s[end] == '\n' || s[end] == '\r' || s[end] == '#';
}

TSNode rule_enclosing_function(TSNode node)
{
	TSNode found = { { 0 }, NULL, NULL };
	struct vec up = VEC_INIT(TSNode);

	tree_ancestors(node, &up);
	for (size_t i = up.len; i-- > 0;) {
		TSNode p = *(TSNode *)vec_at(&up, i);
		const char *t = ts_node_type(p);

		if (!strcmp(t, "function_definition") || !strcmp(t, "lambda")) {
			found = p;
			break;
		}
	}
	vec_release(&up);
	return found;
}

bool rule_await_needs_parens(TSNode call)
{
	TSNode p = tree_parent(call);
	const char *t = ts_node_is_null(p) ? "" : ts_node_type(p);

	return !strcmp(t, "attribute") || !strcmp(t, "subscript") || !strcmp(t, "call") ||
	       !strcmp(t, "await");
}

int rule_to_thread(struct rule_ctx *ctx, struct finding *f, TSNode call, const char *callee)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	struct buf name = BUF_INIT, text = BUF_INIT;
	bool parens = rule_await_needs_parens(call);
	uint32_t n = 0, open;

	if (ts_node_is_null(fn) || ts_node_is_null(args))
		return -1;
	if (rule_module_ref(ctx, f, ts_node_start_byte(call), "asyncio", &name) < 0) {
		buf_release(&name);
		return -1;
	}
	buf_printf(&text, "%sawait %s.to_thread(", parens ? "(" : "", buf_cstr(&name));
	if (callee) {
		buf_puts(&text, callee);
		rule_edit(f, ts_node_start_byte(fn), ts_node_end_byte(fn), buf_cstr(&text));
	} else {
		rule_edit(f, ts_node_start_byte(call), ts_node_start_byte(call), buf_cstr(&text));
	}
	open = ts_node_start_byte(args);
	if (!strcmp(ts_node_type(args), "generator_expression")) {
		/* f(x for x in y): the generator keeps its parentheses */
		rule_edit(f, open, open, ", ");
		rule_edit(f, ts_node_end_byte(args), ts_node_end_byte(args), ")");
	} else {
		for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
			if (strcmp(ts_node_type(ts_node_named_child(args, i)), "comment"))
				n++;
		rule_edit(f, open, open + 1, n ? ", " : "");
	}
	if (parens)
		rule_edit(f, ts_node_end_byte(call), ts_node_end_byte(call), ")");
	buf_release(&name);
	buf_release(&text);
	return 0;
}

void rule_fix_in_thread(struct rule_ctx *ctx, struct finding *f, TSNode call,
			enum resolution r, enum scope_context where)
{
	const char *reason = rule_site_reason(ctx, r, where);

	if (reason)
		rule_no_fix(f, reason);
	else if (rule_to_thread(ctx, f, call, NULL) < 0)
		rule_no_fix(f, "import-name-shadowed");
}

/* The first block whose first statement starts on a line of its own gives
 * the unit: that line's indent less the indent of its header's line. */
void rule_indent_unit(const struct rule_ctx *ctx, struct buf *out)
{
	TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(ctx->tree));
	struct buf outer = BUF_INIT, inner = BUF_INIT;
	bool found = false, down = true;

	buf_clear(out);
	while (!found) {
		TSNode n = ts_tree_cursor_current_node(&cur);

		if (down && !strcmp(ts_node_type(n), "block") && ts_node_named_child_count(n)) {
			TSNode first = ts_node_named_child(n, 0), head = tree_parent(n);

			if (!ts_node_is_null(head) &&
			    ts_node_start_point(first).row != ts_node_start_point(head).row) {
				rule_indent(ctx, ts_node_start_byte(head), &outer);
				rule_indent(ctx, ts_node_start_byte(first), &inner);
				if (inner.len > outer.len &&
				    mem_eq(inner.ptr, outer.ptr, outer.len)) {
					buf_add(out, inner.ptr + outer.len, inner.len - outer.len);
					found = true;
				}
			}
		}
		if (down && ts_tree_cursor_goto_first_child(&cur))
			continue;
		if (ts_tree_cursor_goto_next_sibling(&cur)) {
			down = true;
			continue;
		}
		if (!ts_tree_cursor_goto_parent(&cur))
			break;
		down = false;
	}
	if (!found)
		buf_puts(out, "    ");
	ts_tree_cursor_delete(&cur);
	buf_release(&outer);
	buf_release(&inner);
}

/* True when the line starting at `at` begins inside a string literal (the
 * middle of a triple-quoted string), whose text must not change. */
static bool line_in_string(const struct rule_ctx *ctx, uint32_t at)
{
	TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(ctx->tree), at, at);

	for (; !ts_node_is_null(n); n = tree_parent(n)) {
		const char *t = ts_node_type(n);

		if ((!strcmp(t, "string") || !strcmp(t, "concatenated_string")) &&
		    ts_node_start_byte(n) < at)
			return true;
	}
	return false;
}

/* True when the line starting at `at` holds only blanks. */
static bool line_blank(const struct rule_ctx *ctx, uint32_t at)
{
	const char *s = ctx->src->text;

	while (at < ctx->src->len && (s[at] == ' ' || s[at] == '\t' || s[at] == '\f'))
		at++;
	return at >= ctx->src->len || s[at] == '\n' || s[at] == '\r';
}

/* Calls `each` with the start of every line that begins in [start, end)
 * (the line holding `start` included), is not blank and does not begin
 * inside a string literal. */
static void each_code_line(const struct rule_ctx *ctx, uint32_t start, uint32_t end,
			   void (*each)(const struct rule_ctx *ctx, uint32_t at, void *arg),
			   void *arg)
{
	const char *s = ctx->src->text;
	uint32_t at = source_line_start(ctx->src, start);

	while (at < end && at < ctx->src->len) {
		if (!line_blank(ctx, at) && !line_in_string(ctx, at))
			each(ctx, at, arg);
		while (at < ctx->src->len && s[at] != '\n')
			at++;
		at++;
	}
}

struct indent_job {
	struct finding *f;
	const char *text;
	size_t len;
};

static void add_prefix(const struct rule_ctx *ctx, uint32_t at, void *arg)
{
	struct indent_job *job = arg;

	(void)ctx;
	rule_edit(job->f, at, at, job->text);
}

static void drop_prefix(const struct rule_ctx *ctx, uint32_t at, void *arg)
{
	struct indent_job *job = arg;
	const char *s = ctx->src->text;
	size_t n = 0;

	while (n < job->len && at + n < ctx->src->len && s[at + n] == job->text[n])
		n++;
	if (n)
		rule_edit(job->f, at, at + (uint32_t)n, "");
}

void rule_reindent(const struct rule_ctx *ctx, struct finding *f, uint32_t start, uint32_t end,
		   const char *prefix)
{
	struct indent_job job = { f, prefix, strlen(prefix) };

	each_code_line(ctx, start, end, add_prefix, &job);
}

void rule_dedent(const struct rule_ctx *ctx, struct finding *f, uint32_t start, uint32_t end,
		 const char *unit)
{
	struct indent_job job = { f, unit, strlen(unit) };

	each_code_line(ctx, start, end, drop_prefix, &job);
}

const char *rule_site_reason(const struct rule_ctx *ctx, enum resolution r,
			     enum scope_context where)
{
	if (r == RESOLVE_AMBIGUOUS)
		return "ambiguous-name";
	if (where == CONTEXT_NESTED_SYNC)
		return "nested-sync-scope";
	if (ctx->runtime != RUNTIME_ASYNCIO)
		return "non-asyncio-runtime";
	return NULL;
}

bool rule_in_test_code(const struct rule_ctx *ctx)
{
	const char *path = ctx->src->path, *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (!strncmp(base, "test_", 5) || !strcmp(base, "conftest.py") ||
	    (n > 8 && !strcmp(base + n - 8, "_test.py")))
		return true;
	for (const char *p = path; p < base; p = strchr(p, '/') + 1)
		if ((!strncmp(p, "test/", 5) || !strncmp(p, "tests/", 6)))
			return true;
	return false;
}
