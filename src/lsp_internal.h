/*
 * lsp_internal: the server's state, shared by lsp.c (the protocol) and
 * lsp_check.c (diagnostics and code actions).
 */
#ifndef ASYNCMOD_LSP_INTERNAL_H
#define ASYNCMOD_LSP_INTERNAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "bufcheck.h"
#include "jsonrpc.h"
#include "lsp_text.h"
#include "vec.h"

/* JSON-RPC and LSP error codes. */
#define LSP_PARSE_ERROR -32700
#define LSP_INVALID_REQUEST -32600
#define LSP_METHOD_NOT_FOUND -32601
#define LSP_INVALID_PARAMS -32602
#define LSP_INTERNAL_ERROR -32603
#define LSP_SERVER_NOT_INITIALIZED -32002
#define LSP_REQUEST_CANCELLED -32800
#define LSP_CONTENT_MODIFIED -32801

/* A code action (or edit) computed for the text `cache_gen` names. */
struct lsp_cached {
	const struct transform *rule;	/* the quick fix's finding; NULL: fixAll */
	uint32_t start, end;		/* fixAll: 0 the action, 1 its edit */
	json_object *value;		/* NULL: nothing to offer */
};

enum lsp_state {
	LSP_STARTING,		/* before `initialize` */
	LSP_RUNNING,
	LSP_SHUT_DOWN,		/* after `shutdown`: waits for `exit` */
};

struct lsp {
	int out;
	FILE *log;
	struct jsonrpc_reader reader;
	enum lsp_state state;
	enum lsp_encoding enc;
	bool document_changes;	/* the client takes versioned WorkspaceEdits */
	bool resolve;		/* the client resolves a code action's edit */
	uint64_t gen;		/* counts document changes (struct lsp_doc's gen) */
	/* the findings of the text last checked, by its gen */
	struct file_result cache;
	uint64_t cache_gen;
	bool cache_ok;		/* checked (not skipped, settings read) */
	struct vec cached;	/* struct lsp_cached, for the same text */
	bool broken;		/* the output is closed: stop */
	struct vec docs;	/* struct lsp_doc * */
	struct vec queue;	/* json_object *: messages read, not yet handled */
	struct bufcheck *checker;
};

/* Sends a notification (takes `params`). */
void lsp_notify(struct lsp *s, const char *method, json_object *params);

/* Logs a message to the client (window/logMessage, type 1 error .. 4 log)
 * and to the server's log. */
void lsp_log(struct lsp *s, int type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Checks `d` and publishes its diagnostics. */
void lsp_publish(struct lsp *s, struct lsp_doc *d);

/* The result of textDocument/codeAction (an array), or NULL with `err`
 * for bad params. */
json_object *lsp_code_actions(struct lsp *s, json_object *params, struct err *err);

/* The result of codeAction/resolve for the action `params`, or NULL with
 * `err` and the error `*code`. */
json_object *lsp_code_action_resolve(struct lsp *s, json_object *params, int *code,
				     struct err *err);

/* Drops the cached findings and actions. */
void lsp_cache_release(struct lsp *s);

/* The open document of `uri`, or NULL. */
struct lsp_doc *lsp_find_doc(struct lsp *s, const char *uri);

#endif
