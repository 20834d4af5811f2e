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

extern const struct transform transform_blocking_sleep;
extern const struct transform transform_blocking_open;
extern const struct transform transform_blocking_fdopen;
extern const struct transform transform_blocking_file_call;
extern const struct transform transform_get_event_loop;
extern const struct transform transform_timeout_error;
extern const struct transform transform_dangling_task;
extern const struct transform transform_process_create;
extern const struct transform transform_process_run;
extern const struct transform transform_process_wait;
extern const struct transform transform_blocking_input;
extern const struct transform transform_blocking_path;
extern const struct transform transform_gather;
extern const struct transform transform_wait;
extern const struct transform transform_taskgroup_cm_var;
extern const struct transform transform_taskgroup_single;
extern const struct transform transform_taskgroup_jump;
extern const struct transform transform_aenter_task;
extern const struct transform transform_unbounded_tasks;
extern const struct transform transform_io_timeout;
extern const struct transform transform_wait_for;
extern const struct transform transform_useless_timeout;
extern const struct transform transform_timeout_param;
extern const struct transform transform_busy_wait;
extern const struct transform transform_yield_in_cm;
extern const struct transform transform_yield_in_cancel_scope;
extern const struct transform transform_sync_http;
extern const struct transform transform_sync_http_pool;
extern const struct transform transform_sync_http_client;
extern const struct transform transform_run_in_executor;
extern const struct transform transform_run_until_complete;
extern const struct transform transform_missing_await;
extern const struct transform transform_cancelled_caught;
extern const struct transform transform_cancelled_exit;
extern const struct transform transform_legacy_coroutine;
extern const struct transform transform_unclosed_client;

#endif
