/*
 * lsp_check: a document's findings as diagnostics, and its fixes as code
 * actions, from the same pipeline and settings as `check`.
 */
#include "lsp_internal.h"
#include "report.h"
#include "rule.h"

#include <stdlib.h>
#include <string.h>

#define LSP_SEVERITY_WARNING 2

/* Runs the document through the pipeline. Returns -1 when its settings
 * cannot be read (logged); `*skip` when it is excluded or not Python. */
static int run(struct lsp *s, struct lsp_doc *d, const struct bufcheck_request *req,
	       struct file_result *res, struct buf *fixed, bool *skip)
{
	struct err err = ERR_INIT;
	bool excluded = false;

	memset(res, 0, sizeof(*res));
	*skip = !lsp_doc_is_python(d) || d->lost;
	if (*skip)
		return 0;
	if (bufcheck_run(s->checker, d->path, d->text.ptr ? d->text.ptr : "", d->text.len, req,
			 res, fixed, &excluded, &err) < 0) {
		lsp_log(s, 1, "asyncmod: %s", err.msg);
		return -1;
	}
	*skip = excluded;
	return 0;
}

void lsp_cache_release(struct lsp *s)
{
	for (size_t i = 0; i < s->cached.len; i++)
		json_object_put(((struct lsp_cached *)vec_at(&s->cached, i))->value);
	vec_release(&s->cached);
	s->cached = (struct vec)VEC_INIT(struct lsp_cached);
	pipeline_result_release(&s->cache);
	s->cache_gen = 0;
	s->cache_ok = false;
}

/* The findings of `d` as it is now: checked again only when its text (or
 * a save) changed since. NULL when it is skipped or its settings cannot
 * be read. */
static const struct file_result *current(struct lsp *s, struct lsp_doc *d)
{
	struct bufcheck_request req = { MODE_CHECK, false, NULL, 0, true };
	bool skip;

	if (s->cache_gen != d->gen || !d->gen) {
		lsp_cache_release(s);
		s->cache_ok = run(s, d, &req, &s->cache, NULL, &skip) == 0 && !skip;
		s->cache_gen = d->gen;
		if (s->cache_ok && s->cache.error)
			lsp_log(s, 4, "asyncmod: %s", s->cache.error);
	}
	return s->cache_ok ? &s->cache : NULL;
}

/* The cached value for a key (of the text current() last checked), as a
 * new reference; `*hit` says whether there is one. */
static json_object *cache_get(struct lsp *s, const struct transform *rule, uint32_t start,
			      uint32_t end, bool *hit)
{
	for (size_t i = 0; i < s->cached.len; i++) {
		struct lsp_cached *c = vec_at(&s->cached, i);

		if (c->rule == rule && c->start == start && c->end == end) {
			*hit = true;
			return json_object_get(c->value);
		}
	}
	*hit = false;
	return NULL;
}

/* Keeps `value` (may be NULL) for a key; returns it. */
static json_object *cache_put(struct lsp *s, const struct transform *rule, uint32_t start,
			      uint32_t end, json_object *value)
{
	struct lsp_cached *c = vec_push(&s->cached);

	c->rule = rule;
	c->start = start;
	c->end = end;
	c->value = json_object_get(value);
	return value;
}

/* Byte offsets in the document of a finding (the pipeline's are past a BOM). */
static size_t doc_offset(const struct lsp_doc *d, uint32_t off)
{
	size_t bom = d->text.len >= 3 && !memcmp(d->text.ptr, "\xef\xbb\xbf", 3) ? 3 : 0;

	return off + bom > d->text.len ? d->text.len : off + bom;
}

static json_object *diagnostic(const struct lsp_doc *d, const struct lsp_lines *lines,
			       enum lsp_encoding enc, const struct finding *f)
{
	json_object *o = json_object_new_object(), *data = json_object_new_object();
	const char *fix = report_fix_name(f->reason ? FIX_NONE : f->fix);
	struct buf msg = BUF_INIT, explain = BUF_INIT;

	json_object_object_add(o, "range", lsp_lines_range(lines, doc_offset(d, f->start),
							   doc_offset(d, f->end), enc));
	json_object_object_add(o, "severity", json_object_new_int(LSP_SEVERITY_WARNING));
	json_object_object_add(o, "code", json_object_new_string(f->rule->code));
	json_object_object_add(o, "source", json_object_new_string("asyncmod"));
	buf_puts(&msg, f->message);
	if (f->reason)
		buf_printf(&msg, " (reason: %s)", f->reason);
	json_object_object_add(o, "message", json_object_new_string(buf_cstr(&msg)));
	buf_printf(&explain, "asyncmod explain %s", f->rule->code);
	json_object_object_add(data, "explain", json_object_new_string(buf_cstr(&explain)));
	json_object_object_add(data, "name", json_object_new_string(f->rule->name));
	json_object_object_add(data, "fix", fix ? json_object_new_string(fix) : NULL);
	json_object_object_add(data, "reason",
			       f->reason ? json_object_new_string(f->reason) : NULL);
	json_object_object_add(o, "data", data);
	buf_release(&msg);
	buf_release(&explain);
	return o;
}

void lsp_publish(struct lsp *s, struct lsp_doc *d)
{
	json_object *params = json_object_new_object(), *list = json_object_new_array();
	const struct file_result *res;
	struct lsp_lines lines;

	d->dirty = false;
	lsp_lines_init(&lines, d->text.ptr ? d->text.ptr : "", d->text.len);
	if ((res = current(s, d)))
		for (size_t i = 0; i < res->findings.len; i++)
			json_object_array_add(list, diagnostic(d, &lines, s->enc,
							       vec_at(&res->findings, i)));
	lsp_lines_release(&lines);
	json_object_object_add(params, "uri", json_object_new_string(d->uri));
	json_object_object_add(params, "version", json_object_new_int64(d->version));
	json_object_object_add(params, "diagnostics", list);
	lsp_notify(s, "textDocument/publishDiagnostics", params);
}

/* True when actions of `kind` are wanted by the request's `only` list
 * (NULL: every kind): a listed kind or one of its parents. */
static bool kind_wanted(json_object *only, const char *kind)
{
	if (!only)
		return true;
	for (size_t i = 0; i < json_object_array_length(only); i++) {
		const char *k = json_object_get_string(json_object_array_get_idx(only, i));
		size_t n = k ? strlen(k) : 0;

		if (k && !strncmp(kind, k, n) && (kind[n] == '\0' || kind[n] == '.'))
			return true;
	}
	return false;
}

static json_object *workspace_edit(const struct lsp *s, const struct lsp_doc *d,
				   const struct buf *fixed)
{
	json_object *we = json_object_new_object();
	json_object *edits = lsp_text_edits(d->text.ptr ? d->text.ptr : "", d->text.len,
					    fixed->ptr ? fixed->ptr : "", fixed->len, s->enc);

	if (s->document_changes) {
		json_object *change = json_object_new_object(), *id = json_object_new_object();
		json_object *all = json_object_new_array();

		json_object_object_add(id, "uri", json_object_new_string(d->uri));
		json_object_object_add(id, "version", json_object_new_int64(d->version));
		json_object_object_add(change, "textDocument", id);
		json_object_object_add(change, "edits", edits);
		json_object_array_add(all, change);
		json_object_object_add(we, "documentChanges", all);
	} else {
		json_object *changes = json_object_new_object();

		json_object_object_add(changes, d->uri, edits);
		json_object_object_add(we, "changes", changes);
	}
	return we;
}

static json_object *action(const char *title, const char *kind, json_object *diag,
			   bool preferred, json_object *edit)
{
	json_object *a = json_object_new_object();

	json_object_object_add(a, "title", json_object_new_string(title));
	json_object_object_add(a, "kind", json_object_new_string(kind));
	if (diag) {
		json_object *list = json_object_new_array();

		json_object_array_add(list, diag);
		json_object_object_add(a, "diagnostics", list);
	}
	if (preferred)
		json_object_object_add(a, "isPreferred", json_object_new_boolean(1));
	if (edit)
		json_object_object_add(a, "edit", edit);
	return a;
}

/* The quick fix of finding `f` alone, when its fix survives verification. */
static json_object *quick_fix(struct lsp *s, struct lsp_doc *d, const struct lsp_lines *lines,
			      const struct finding *f)
{
	struct finding_key key = { f->rule, f->start, f->end };
	struct bufcheck_request req = { MODE_COMMIT, f->fix == FIX_UNSAFE, &key, 1, true };
	struct file_result res;
	struct buf fixed = BUF_INIT, title = BUF_INIT;
	json_object *a = NULL;
	bool skip, applied = false;

	if ((a = cache_get(s, f->rule, f->start, f->end, &applied)) || applied)
		return a;

	if (run(s, d, &req, &res, &fixed, &skip) == 0 && !skip) {
		for (size_t i = 0; i < res.findings.len; i++) {
			const struct finding *g = vec_at(&res.findings, i);

			applied |= g->applied && g->rule == f->rule && g->start == f->start &&
				   g->end == f->end;
		}
	}
	if (applied && (fixed.len != d->text.len || memcmp(fixed.ptr, d->text.ptr, fixed.len))) {
		buf_printf(&title, "Fix %s: %s%s", f->rule->code, f->message,
			   f->fix == FIX_UNSAFE ? " (unsafe)" : "");
		a = action(buf_cstr(&title), "quickfix", diagnostic(d, lines, s->enc, f),
			   f->fix == FIX_SAFE, workspace_edit(s, d, &fixed));
	}
	pipeline_result_release(&res);
	buf_release(&fixed);
	buf_release(&title);
	return cache_put(s, f->rule, f->start, f->end, a);
}

/* The edit of every fix `check --fix` would apply to the document, or NULL
 * when there is none. */
static json_object *fix_all_edit(struct lsp *s, struct lsp_doc *d)
{
	struct bufcheck_request req = { MODE_COMMIT, false, NULL, 0, true };
	struct file_result res;
	struct buf fixed = BUF_INIT;
	json_object *edit = NULL;
	bool skip;

	if ((edit = cache_get(s, NULL, 1, 1, &skip)) || skip)
		return edit;
	if (run(s, d, &req, &res, &fixed, &skip) == 0 && !skip && res.fixed &&
	    (fixed.len != d->text.len || memcmp(fixed.ptr, d->text.ptr, fixed.len)))
		edit = workspace_edit(s, d, &fixed);
	pipeline_result_release(&res);
	buf_release(&fixed);
	return cache_put(s, NULL, 1, 1, edit);
}

#define FIX_ALL_TITLE "Fix all asyncmod findings"

/* The fixAll action: with its edit, or (for a client that resolves
 * actions) with what names the document's text, to be resolved when the
 * user picks it. */
static json_object *fix_all(struct lsp *s, struct lsp_doc *d, const struct file_result *found)
{
	json_object *edit, *data;
	bool any = false;

	if (!s->resolve) {
		edit = fix_all_edit(s, d);
		return edit ? action(FIX_ALL_TITLE, "source.fixAll.asyncmod", NULL, false, edit)
			    : NULL;
	}
	for (size_t i = 0; found && i < found->findings.len; i++) {
		const struct finding *f = vec_at(&found->findings, i);

		any |= f->fix != FIX_NONE && !f->reason;
	}
	if (!any)
		return NULL;
	edit = action(FIX_ALL_TITLE, "source.fixAll.asyncmod", NULL, false, NULL);
	data = json_object_new_object();
	json_object_object_add(data, "uri", json_object_new_string(d->uri));
	json_object_object_add(data, "gen", json_object_new_int64((int64_t)d->gen));
	json_object_object_add(edit, "data", data);
	return edit;
}

json_object *lsp_code_action_resolve(struct lsp *s, json_object *params, int *code,
				     struct err *err)
{
	json_object *data, *uri, *gen, *kind, *edit;
	struct lsp_doc *d;

	*code = LSP_INVALID_PARAMS;
	if (!json_object_is_type(params, json_type_object) ||
	    !json_object_object_get_ex(params, "kind", &kind) ||
	    !json_object_is_type(kind, json_type_string) ||
	    strcmp(json_object_get_string(kind), "source.fixAll.asyncmod") ||
	    !json_object_object_get_ex(params, "data", &data) ||
	    !json_object_object_get_ex(data, "uri", &uri) ||
	    !json_object_is_type(uri, json_type_string) ||
	    !json_object_object_get_ex(data, "gen", &gen) ||
	    !json_object_is_type(gen, json_type_int)) {
		err_set(err, "not a code action of this server to resolve");
		return NULL;
	}
	d = lsp_find_doc(s, json_object_get_string(uri));
	if (!d || (uint64_t)json_object_get_int64(gen) != d->gen || d->lost) {
		*code = LSP_CONTENT_MODIFIED;
		err_set(err, "the document changed since the action was offered");
		return NULL;
	}
	current(s, d);	/* the cache is of this text */
	edit = fix_all_edit(s, d);
	if (!edit) {
		/* nothing left to fix (a fix failed verification): an empty edit */
		struct buf none = BUF_INIT;

		buf_add(&none, d->text.ptr, d->text.len);
		edit = workspace_edit(s, d, &none);
		buf_release(&none);
	}
	params = json_object_get(params);
	json_object_object_add(params, "edit", edit);
	return params;
}

json_object *lsp_code_actions(struct lsp *s, json_object *params, struct err *err)
{
	json_object *td, *uri, *range, *context, *only = NULL, *list;
	struct vec wanted = VEC_INIT(const struct finding *);
	const struct file_result *found;
	struct lsp_doc *d;
	struct lsp_lines lines;
	size_t start, end;

	if (!json_object_is_type(params, json_type_object) ||
	    !json_object_object_get_ex(params, "textDocument", &td) ||
	    !json_object_object_get_ex(td, "uri", &uri) ||
	    !json_object_is_type(uri, json_type_string) ||
	    !json_object_object_get_ex(params, "range", &range) ||
	    !json_object_object_get_ex(params, "context", &context) ||
	    !json_object_is_type(context, json_type_object)) {
		err_set(err, "codeAction needs textDocument.uri, range and context");
		return NULL;
	}
	if (json_object_object_get_ex(context, "only", &only) &&
	    json_object_is_type(only, json_type_null))
		only = NULL;
	if (only && !json_object_is_type(only, json_type_array)) {
		err_set(err, "context.only must be an array of kinds");
		return NULL;
	}
	d = lsp_find_doc(s, json_object_get_string(uri));
	list = json_object_new_array();
	if (!d)
		return list;
	lsp_lines_init(&lines, d->text.ptr ? d->text.ptr : "", d->text.len);
	if (lsp_range_parse(range, &lines, s->enc, &start, &end, err) < 0) {
		lsp_lines_release(&lines);
		json_object_put(list);
		return NULL;
	}
	found = current(s, d);
	/* the quick fixes run on their own results: the cached findings stay */
	for (size_t i = 0; found && kind_wanted(only, "quickfix") && i < found->findings.len; i++) {
		const struct finding *f = vec_at(&found->findings, i);

		if (f->fix == FIX_NONE || f->reason || doc_offset(d, f->start) > end ||
		    doc_offset(d, f->end) < start)
			continue;
		*(const struct finding **)vec_push(&wanted) = f;
	}
	for (size_t i = 0; i < wanted.len; i++) {
		json_object *a = quick_fix(s, d, &lines, *(const struct finding **)vec_at(&wanted, i));

		if (a)
			json_object_array_add(list, a);
	}
	vec_release(&wanted);
	if (found && kind_wanted(only, "source.fixAll.asyncmod")) {
		json_object *a = fix_all(s, d, found);

		if (a)
			json_object_array_add(list, a);
	}
	lsp_lines_release(&lines);
	return list;
}
