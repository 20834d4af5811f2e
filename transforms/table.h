/*
 * table: every transform asyncmod knows, in catalog order.
 * Adding a rule is adding a file in transforms/ and a row here.
 */
#ifndef ASYNCMOD_TABLE_H
#define ASYNCMOD_TABLE_H

#include <stddef.h>

#include "../src/rule.h"

extern const struct transform *const transform_table[];
extern const size_t transform_count;

/* The position of `t` in the table, or transform_count when it is not in it. */
size_t transform_index(const struct transform *t);

extern const struct transform transform_blocking_sleep;	/* ASYNC251 */
extern const struct transform transform_blocking_open;	/* ASYNC230 */
extern const struct transform transform_sync_http;	/* ASYNC210 */
extern const struct transform transform_process_create;	/* ASYNC220 */
extern const struct transform transform_process_run;	/* ASYNC221 */
extern const struct transform transform_process_wait;	/* ASYNC222 */
extern const struct transform transform_blocking_input;	/* ASYNC250 */
extern const struct transform transform_sync_http_pool;	/* ASYNC211 */
extern const struct transform transform_sync_http_client;	/* ASYNC212 */
extern const struct transform transform_blocking_fdopen;	/* ASYNC231 */
extern const struct transform transform_blocking_file_call;	/* ASYNC232 */
extern const struct transform transform_blocking_path;	/* ASYNC240 */
extern const struct transform transform_gather;	/* AM101 */
extern const struct transform transform_wait;	/* AM102 */
extern const struct transform transform_taskgroup_cm_var;	/* ASYNC111 */
extern const struct transform transform_taskgroup_single;	/* ASYNC112 */
extern const struct transform transform_aenter_task;	/* ASYNC113 */
extern const struct transform transform_taskgroup_jump;	/* ASYNC121 */
extern const struct transform transform_dangling_task;	/* ASYNC300 */
extern const struct transform transform_unbounded_tasks;	/* AM103 */
extern const struct transform transform_run_in_executor;	/* AM104 */
extern const struct transform transform_get_event_loop;	/* AM105 */
extern const struct transform transform_run_until_complete;	/* AM106 */
extern const struct transform transform_missing_await;	/* AM107 */
extern const struct transform transform_run_in_coroutine;	/* AM108 */
extern const struct transform transform_await_sync_method;	/* AM109 */
extern const struct transform transform_blocking_library;	/* AM110 */
extern const struct transform transform_unread_task;	/* AM111 */
extern const struct transform transform_queue_join;	/* AM112 */
extern const struct transform transform_thread_wait;	/* AM113 */
extern const struct transform transform_blocking_client;	/* AM114 */
extern const struct transform transform_io_timeout;	/* AM201 */
extern const struct transform transform_useless_timeout;	/* ASYNC100 */
extern const struct transform transform_timeout_param;	/* ASYNC109 */
extern const struct transform transform_busy_wait;	/* ASYNC110 */
extern const struct transform transform_yield_in_cm;	/* ASYNC119 */
extern const struct transform transform_yield_in_cancel_scope;	/* ASYNC101 */
extern const struct transform transform_wait_for;	/* AM202 */
extern const struct transform transform_timeout_error;	/* AM203 */
extern const struct transform transform_timeout_disabled;	/* AM204 */
extern const struct transform transform_cancelled_caught;	/* ASYNC103 */
extern const struct transform transform_cancelled_exit;	/* ASYNC104 */
extern const struct transform transform_unclosed_client;	/* AM301 */
extern const struct transform transform_legacy_coroutine;	/* AM302 */
extern const struct transform transform_async_cm_protocol;	/* AM303 */
extern const struct transform transform_unclosed_resource;	/* AM304 */
extern const struct transform transform_cm_swallows;	/* AM305 */
extern const struct transform transform_swallowed_exception;	/* AM401 */
extern const struct transform transform_io_unhandled;	/* AM402 */
extern const struct transform transform_pytest_mode_unset;	/* AM501 */
extern const struct transform transform_pytest_unmarked_test;	/* AM502 */
extern const struct transform transform_pytest_async_fixture;	/* AM503 */

/* AM104's fix, shared with AM105 so that both write the same edits for
 * `await asyncio.get_event_loop().run_in_executor(None, f, ..)`: adds to
 * `f` the edits turning the run_in_executor `call` into
 * `asyncio.to_thread(..)`. Returns NULL when they were added, else the
 * reason token there is no fix (the finding's parts are then to drop). */
const char *run_in_executor_fix(struct rule_ctx *ctx, struct finding *f, TSNode call);

/* ASYNC103/ASYNC104's question, shared with AM305 so that a handler they
 * examine gets no second finding there: true when `handler` of `try_stmt`
 * catches cancellation around an await in a coroutine and does not mean
 * to swallow it. */
bool cancelled_handler_examined(const struct rule_ctx *ctx, TSNode try_stmt, TSNode handler);

#endif
