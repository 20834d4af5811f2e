/*
 * lsp: the language server's protocol: the lifecycle, the message queue,
 * requests and notifications, and the errors a bad message gets.
 */
#include "lsp.h"
#include "lsp_internal.h"

#include <git2.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this in a message is refused. */
#define LSP_MAX_DEPTH 64

static void send_json(struct lsp *s, json_object *msg)
{
	size_t len;
	const char *text;

	json_object_object_add(msg, "jsonrpc", json_object_new_string("2.0"));
	text = json_object_to_json_string_length(msg, JSON_C_TO_STRING_PLAIN |
						 JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (!s->broken && jsonrpc_write(s->out, text, len) < 0)
		s->broken = true;
	json_object_put(msg);
}

void lsp_notify(struct lsp *s, const char *method, json_object *params)
{
	json_object *msg = json_object_new_object();

	json_object_object_add(msg, "method", json_object_new_string(method));
	json_object_object_add(msg, "params", params);
	send_json(s, msg);
}

void lsp_log(struct lsp *s, int type, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	json_object *params = json_object_new_object();
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) >= 0) {
		buf_puts(&text, p);
		free(p);
	}
	va_end(ap);
	if (s->log && type == 1)
		fprintf(s->log, "%s\n", buf_cstr(&text));
	json_object_object_add(params, "type", json_object_new_int(type));
	json_object_object_add(params, "message", json_object_new_string(buf_cstr(&text)));
	lsp_notify(s, "window/logMessage", params);
	buf_release(&text);
}

/* Answers request `id` (taken) with `result` (taken; NULL is null). */
static void respond(struct lsp *s, json_object *id, json_object *result)
{
	json_object *msg = json_object_new_object();

	json_object_object_add(msg, "id", id);
	json_object_object_add(msg, "result", result);
	send_json(s, msg);
}

/* Answers request `id` (taken; NULL is null) with an error. */
static void respond_error(struct lsp *s, json_object *id, int code, const char *message)
{
	json_object *msg = json_object_new_object(), *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_int(code));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_object_add(msg, "id", id);
	json_object_object_add(msg, "error", e);
	send_json(s, msg);
}

struct lsp_doc *lsp_find_doc(struct lsp *s, const char *uri)
{
	for (size_t i = 0; uri && i < s->docs.len; i++) {
		struct lsp_doc *d = *(struct lsp_doc **)vec_at(&s->docs, i);

		if (!strcmp(d->uri, uri))
			return d;
	}
	return NULL;
}

static void doc_free(struct lsp_doc *d)
{
	free(d->uri);
	free(d->path);
	free(d->language);
	buf_release(&d->text);
	free(d);
}

static void close_doc(struct lsp *s, const char *uri)
{
	for (size_t i = 0; i < s->docs.len; i++) {
		struct lsp_doc *d = *(struct lsp_doc **)vec_at(&s->docs, i);

		if (!strcmp(d->uri, uri)) {
			doc_free(d);
			vec_remove(&s->docs, i);
			return;
		}
	}
}

/* A string member of `o`, or NULL. */
static const char *get_string(json_object *o, const char *key)
{
	json_object *m;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &m) ||
	    !json_object_is_type(m, json_type_string))
		return NULL;
	return json_object_get_string(m);
}

/* A member of `o` found along a path of keys, or NULL. */
static json_object *get_path(json_object *o, const char *const *keys)
{
	for (; *keys; keys++)
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, *keys, &o))
			return NULL;
	return o;
}

static json_object *initialize(struct lsp *s, json_object *params, struct err *err)
{
	static const char *const encodings[] = { "capabilities", "general", "positionEncodings",
						 NULL };
	static const char *const doc_changes[] = { "capabilities", "workspace", "workspaceEdit",
						   "documentChanges", NULL };
	static const char *const resolve[] = { "capabilities", "textDocument", "codeAction",
					       "resolveSupport", "properties", NULL };
	json_object *offered, *dc, *result, *caps, *sync, *save, *actions, *kinds, *info;
	struct engine_options opts;

	if (!json_object_is_type(params, json_type_object)) {
		err_set(err, "initialize needs an object of params");
		return NULL;
	}
	offered = get_path(params, encodings);
	s->enc = LSP_UTF16;
	for (size_t i = 0; json_object_is_type(offered, json_type_array) &&
			   i < json_object_array_length(offered); i++) {
		const char *e = json_object_get_string(json_object_array_get_idx(offered, i));

		if (e && !strcmp(e, "utf-8"))
			s->enc = LSP_UTF8;
	}
	dc = get_path(params, doc_changes);
	s->document_changes = dc && json_object_get_boolean(dc);
	offered = get_path(params, resolve);
	for (size_t i = 0; json_object_is_type(offered, json_type_array) &&
			   i < json_object_array_length(offered); i++) {
		const char *p = json_object_get_string(json_object_array_get_idx(offered, i));

		s->resolve |= p && !strcmp(p, "edit");
	}
	memset(&opts, 0, sizeof(opts));
	if (!s->checker && bufcheck_new(&s->checker, &opts, err) < 0)
		return NULL;

	result = json_object_new_object();
	caps = json_object_new_object();
	json_object_object_add(caps, "positionEncoding",
			       json_object_new_string(s->enc == LSP_UTF8 ? "utf-8" : "utf-16"));
	sync = json_object_new_object();
	json_object_object_add(sync, "openClose", json_object_new_boolean(1));
	json_object_object_add(sync, "change", json_object_new_int(2));	/* incremental */
	save = json_object_new_object();
	json_object_object_add(save, "includeText", json_object_new_boolean(0));
	json_object_object_add(sync, "save", save);
	json_object_object_add(caps, "textDocumentSync", sync);
	actions = json_object_new_object();
	kinds = json_object_new_array();
	json_object_array_add(kinds, json_object_new_string("quickfix"));
	json_object_array_add(kinds, json_object_new_string("source.fixAll.asyncmod"));
	json_object_object_add(actions, "codeActionKinds", kinds);
	json_object_object_add(actions, "resolveProvider", json_object_new_boolean(1));
	json_object_object_add(caps, "codeActionProvider", actions);
	json_object_object_add(result, "capabilities", caps);
	info = json_object_new_object();
	json_object_object_add(info, "name", json_object_new_string("asyncmod"));
	json_object_object_add(info, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(result, "serverInfo", info);
	return result;
}

static void did_open(struct lsp *s, json_object *params)
{
	static const char *const item[] = { "textDocument", NULL };
	json_object *td = get_path(params, item), *version, *text;
	const char *uri = get_string(td, "uri");
	struct lsp_doc *d;

	if (!uri || !json_object_object_get_ex(td, "text", &text) ||
	    !json_object_is_type(text, json_type_string)) {
		lsp_log(s, 1, "asyncmod: textDocument/didOpen without a uri and text: ignored");
		return;
	}
	close_doc(s, uri);
	d = xcalloc(1, sizeof(*d));
	d->uri = xstrdup(uri);
	d->path = lsp_uri_path(uri);
	if (!d->path)
		d->path = xstrdup("untitled.py");	/* checked as a file of the folder */
	d->language = xstrdup(get_string(td, "languageId") ? get_string(td, "languageId") : "");
	buf_add(&d->text, json_object_get_string(text),
		(size_t)json_object_get_string_len(text));
	if (json_object_object_get_ex(td, "version", &version))
		d->version = json_object_get_int64(version);
	d->dirty = true;
	d->gen = ++s->gen;
	*(struct lsp_doc **)vec_push(&s->docs) = d;
}

static void did_change(struct lsp *s, json_object *params)
{
	static const char *const item[] = { "textDocument", NULL };
	json_object *td = get_path(params, item), *version, *changes;
	struct lsp_doc *d = lsp_find_doc(s, get_string(td, "uri"));
	struct err err = ERR_INIT;

	if (!d) {
		lsp_log(s, 2, "asyncmod: textDocument/didChange for a document not open: ignored");
		return;
	}
	if (!json_object_object_get_ex(params, "contentChanges", &changes) ||
	    !json_object_is_type(changes, json_type_array)) {
		lsp_log(s, 1, "asyncmod: textDocument/didChange without contentChanges: ignored");
		return;
	}
	for (size_t i = 0; i < json_object_array_length(changes); i++)
		if (lsp_doc_change(d, json_object_array_get_idx(changes, i), s->enc, &err) < 0) {
			/* the rest would apply to a text the editor does not have */
			lsp_log(s, 1, "asyncmod: textDocument/didChange: %s; no diagnostics for %s "
				"until it is opened again or sent whole", err.msg, d->uri);
			d->lost = true;
			break;
		}
	if (json_object_object_get_ex(td, "version", &version) &&
	    json_object_is_type(version, json_type_int))
		d->version = json_object_get_int64(version);
	d->dirty = true;
	d->gen = ++s->gen;
}

static void did_save(struct lsp *s, json_object *params)
{
	static const char *const item[] = { "textDocument", NULL };
	struct lsp_doc *d = lsp_find_doc(s, get_string(get_path(params, item), "uri"));
	json_object *text;

	if (!d)
		return;
	if (json_object_object_get_ex(params, "text", &text) &&
	    json_object_is_type(text, json_type_string)) {
		d->lost = false;
		buf_clear(&d->text);
		buf_add(&d->text, json_object_get_string(text),
			(size_t)json_object_get_string_len(text));
	}
	/* the configuration may have changed on disk too */
	d->dirty = true;
	d->gen = ++s->gen;
}

static void did_close(struct lsp *s, json_object *params)
{
	static const char *const item[] = { "textDocument", NULL };
	const char *uri = get_string(get_path(params, item), "uri");
	json_object *p;

	if (!uri || !lsp_find_doc(s, uri))
		return;
	p = json_object_new_object();
	json_object_object_add(p, "uri", json_object_new_string(uri));
	json_object_object_add(p, "diagnostics", json_object_new_array());
	lsp_notify(s, "textDocument/publishDiagnostics", p);
	close_doc(s, uri);
}

/* True when a $/cancelRequest for `id` waits in the queue. */
static bool cancelled(struct lsp *s, json_object *id)
{
	for (size_t i = 0; i < s->queue.len; i++) {
		json_object *m = *(json_object **)vec_at(&s->queue, i), *params, *target;
		const char *method = get_string(m, "method");

		if (method && !strcmp(method, "$/cancelRequest") &&
		    json_object_object_get_ex(m, "params", &params) &&
		    json_object_is_type(params, json_type_object) &&
		    json_object_object_get_ex(params, "id", &target) &&
		    json_object_equal(target, id))
			return true;
	}
	return false;
}

static void request(struct lsp *s, const char *method, json_object *id, json_object *params)
{
	struct err err = ERR_INIT;
	json_object *result;

	json_object_get(id);
	if (s->state == LSP_STARTING && strcmp(method, "initialize")) {
		respond_error(s, id, LSP_SERVER_NOT_INITIALIZED, "the server is not initialized");
		return;
	}
	if (s->state == LSP_SHUT_DOWN) {
		respond_error(s, id, LSP_INVALID_REQUEST, "the server is shut down");
		return;
	}
	if (cancelled(s, id)) {
		respond_error(s, id, LSP_REQUEST_CANCELLED, "the request was cancelled");
		return;
	}
	if (!strcmp(method, "initialize")) {
		if (s->state != LSP_STARTING) {
			respond_error(s, id, LSP_INVALID_REQUEST, "initialize was already sent");
			return;
		}
		if (!(result = initialize(s, params, &err))) {
			respond_error(s, id, s->checker ? LSP_INVALID_PARAMS : LSP_INTERNAL_ERROR,
				      err.msg);
			return;
		}
		s->state = LSP_RUNNING;
		respond(s, id, result);
	} else if (!strcmp(method, "shutdown")) {
		s->state = LSP_SHUT_DOWN;
		respond(s, id, NULL);
	} else if (!strcmp(method, "textDocument/codeAction")) {
		if (!(result = lsp_code_actions(s, params, &err)))
			respond_error(s, id, LSP_INVALID_PARAMS, err.msg);
		else
			respond(s, id, result);
	} else if (!strcmp(method, "codeAction/resolve")) {
		int code = LSP_INVALID_PARAMS;

		if (!(result = lsp_code_action_resolve(s, params, &code, &err)))
			respond_error(s, id, code, err.msg);
		else
			respond(s, id, result);
	} else {
		struct buf msg = BUF_INIT;

		buf_printf(&msg, "unknown method '%s'", method);
		respond_error(s, id, LSP_METHOD_NOT_FOUND, buf_cstr(&msg));
		buf_release(&msg);
	}
}

/* Handles one notification; returns 1 for `exit`. */
static int notification(struct lsp *s, const char *method, json_object *params)
{
	if (!strcmp(method, "exit"))
		return 1;
	if (s->state != LSP_RUNNING)
		return 0;	/* dropped, as the specification says */
	if (!strcmp(method, "textDocument/didOpen"))
		did_open(s, params);
	else if (!strcmp(method, "textDocument/didChange"))
		did_change(s, params);
	else if (!strcmp(method, "textDocument/didSave"))
		did_save(s, params);
	else if (!strcmp(method, "textDocument/didClose"))
		did_close(s, params);
	/* initialized, $/cancelRequest (handled while queued), $/setTrace and
	 * anything else: nothing to do */
	return 0;
}

/* Handles one message; returns 1 for `exit`. */
static int handle(struct lsp *s, json_object *msg)
{
	json_object *id = NULL, *params = NULL, *m, *version;
	const char *method;
	bool has_id = json_object_object_get_ex(msg, "id", &id);

	if (has_id && !json_object_is_type(id, json_type_int) &&
	    !json_object_is_type(id, json_type_string)) {
		respond_error(s, NULL, LSP_INVALID_REQUEST, "an id must be an integer or a string");
		return 0;
	}
	if (!json_object_object_get_ex(msg, "jsonrpc", &version) ||
	    !json_object_is_type(version, json_type_string) ||
	    strcmp(json_object_get_string(version), "2.0")) {
		if (has_id)
			respond_error(s, json_object_get(id), LSP_INVALID_REQUEST,
				      "jsonrpc must be \"2.0\"");
		return 0;
	}
	if (!json_object_object_get_ex(msg, "method", &m)) {
		/* a response to a request of ours: there are none */
		return 0;
	}
	if (!json_object_is_type(m, json_type_string)) {
		if (has_id)
			respond_error(s, json_object_get(id), LSP_INVALID_REQUEST,
				      "method must be a string");
		return 0;
	}
	method = json_object_get_string(m);
	json_object_object_get_ex(msg, "params", &params);
	if (params && !json_object_is_type(params, json_type_object) &&
	    !json_object_is_type(params, json_type_array)) {
		if (has_id)
			respond_error(s, json_object_get(id), LSP_INVALID_PARAMS,
				      "params must be an object or an array");
		return 0;
	}
	if (has_id) {
		request(s, method, id, params);
		return 0;
	}
	return notification(s, method, params);
}

/* Parses one body; a bad one is answered here. Returns the message or NULL. */
static json_object *parse(struct lsp *s, const struct buf *body)
{
	struct json_tokener *tok = json_tokener_new_ex(LSP_MAX_DEPTH);
	json_object *msg;
	size_t used;

	msg = json_tokener_parse_ex(tok, body->ptr ? body->ptr : "", (int)body->len);
	used = json_tokener_get_parse_end(tok);
	if (msg && json_tokener_get_error(tok) == json_tokener_success)
		while (used < body->len && strchr(" \t\r\n", body->ptr[used]))
			used++;
	if (!msg || json_tokener_get_error(tok) != json_tokener_success || used != body->len) {
		json_object_put(msg);
		json_tokener_free(tok);
		respond_error(s, NULL, LSP_PARSE_ERROR, "the message is not valid JSON");
		return NULL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(msg, json_type_object)) {
		json_object_put(msg);
		respond_error(s, NULL, LSP_INVALID_REQUEST,
			      "a message must be a JSON object (batches are not used in LSP)");
		return NULL;
	}
	return msg;
}

/* Reads messages into the queue: one (waiting for it) when `wait`, then
 * all that are already there. Returns -1 at the end of the input. */
static int fill_queue(struct lsp *s, bool wait)
{
	struct buf body = BUF_INIT;
	struct err err = ERR_INIT;
	int rc = 0;

	for (;;) {
		enum jsonrpc_read r = jsonrpc_read(&s->reader, &body, wait, &err);
		json_object *msg;

		if (r == JSONRPC_NONE)
			break;
		if (r == JSONRPC_EOF) {
			rc = -1;
			break;
		}
		if (r == JSONRPC_BAD) {
			struct buf m = BUF_INIT;

			buf_printf(&m, "bad message header: %s", err.msg);
			respond_error(s, NULL, LSP_PARSE_ERROR, buf_cstr(&m));
			buf_release(&m);
		} else if ((msg = parse(s, &body))) {
			*(json_object **)vec_push(&s->queue) = msg;
			wait = false;
		}
		if (s->broken)
			break;
	}
	buf_release(&body);
	return rc;
}

int lsp_serve(int in, int out, FILE *log)
{
	struct lsp s;
	int status = 1;
	bool ended = false;

	memset(&s, 0, sizeof(s));
	s.out = out;
	s.log = log;
	s.enc = LSP_UTF16;
	s.docs = (struct vec)VEC_INIT(struct lsp_doc *);
	s.queue = (struct vec)VEC_INIT(json_object *);
	s.cached = (struct vec)VEC_INIT(struct lsp_cached);
	jsonrpc_reader_init(&s.reader, in);
	git_libgit2_init();	/* code actions' edits come from its diff */
	/* a client gone away is an error to write to, not a signal */
	signal(SIGPIPE, SIG_IGN);
	while (!s.broken) {
		json_object *msg;
		int done;

		if (!s.queue.len) {
			/* idle: what changed is checked once, after the last change */
			for (size_t i = 0; s.state == LSP_RUNNING && i < s.docs.len; i++) {
				struct lsp_doc *d = *(struct lsp_doc **)vec_at(&s.docs, i);

				if (d->dirty)
					lsp_publish(&s, d);
			}
			if (ended)
				break;
			ended = fill_queue(&s, true) < 0;
		} else if (!ended) {
			ended = fill_queue(&s, false) < 0;
		}
		if (!s.queue.len)
			continue;
		msg = *(json_object **)vec_at(&s.queue, 0);
		vec_remove(&s.queue, 0);
		done = handle(&s, msg);
		json_object_put(msg);
		if (done) {
			status = s.state == LSP_SHUT_DOWN ? 0 : 1;
			break;
		}
	}
	for (size_t i = 0; i < s.queue.len; i++)
		json_object_put(*(json_object **)vec_at(&s.queue, i));
	vec_release(&s.queue);
	for (size_t i = 0; i < s.docs.len; i++)
		doc_free(*(struct lsp_doc **)vec_at(&s.docs, i));
	vec_release(&s.docs);
	jsonrpc_reader_release(&s.reader);
	bufcheck_free(s.checker);
	lsp_cache_release(&s);
	git_libgit2_shutdown();
	return status;
}
