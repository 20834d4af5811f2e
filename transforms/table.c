/*
 * table: the list of transforms, in the order of the rule catalog.
 */
#include "table.h"

const struct transform *const transform_table[] = {
	&transform_blocking_sleep,	/* ASYNC251 */
	&transform_blocking_open,	/* ASYNC230 */
	&transform_sync_http,	/* ASYNC210 */
	&transform_process_create,	/* ASYNC220 */
	&transform_process_run,	/* ASYNC221 */
	&transform_process_wait,	/* ASYNC222 */
	&transform_blocking_input,	/* ASYNC250 */
	&transform_sync_http_pool,	/* ASYNC211 */
	&transform_sync_http_client,	/* ASYNC212 */
	&transform_blocking_fdopen,	/* ASYNC231 */
	&transform_blocking_file_call,	/* ASYNC232 */
	&transform_blocking_path,	/* ASYNC240 */
	&transform_gather,	/* AM101 */
	&transform_wait,	/* AM102 */
	&transform_taskgroup_cm_var,	/* ASYNC111 */
	&transform_taskgroup_single,	/* ASYNC112 */
	&transform_aenter_task,	/* ASYNC113 */
	&transform_taskgroup_jump,	/* ASYNC121 */
	&transform_dangling_task,	/* ASYNC300 */
	&transform_unbounded_tasks,	/* AM103 */
	&transform_run_in_executor,	/* AM104 */
	&transform_get_event_loop,	/* AM105 */
	&transform_run_until_complete,	/* AM106 */
	&transform_missing_await,	/* AM107 */
	&transform_run_in_coroutine,	/* AM108 */
	&transform_await_sync_method,	/* AM109 */
	&transform_blocking_library,	/* AM110 */
	&transform_unread_task,	/* AM111 */
	&transform_queue_join,	/* AM112 */
	&transform_thread_wait,	/* AM113 */
	&transform_blocking_client,	/* AM114 */
	&transform_io_timeout,	/* AM201 */
	&transform_useless_timeout,	/* ASYNC100 */
	&transform_timeout_param,	/* ASYNC109 */
	&transform_busy_wait,	/* ASYNC110 */
	&transform_yield_in_cm,	/* ASYNC119 */
	&transform_yield_in_cancel_scope,	/* ASYNC101 */
	&transform_wait_for,	/* AM202 */
	&transform_timeout_error,	/* AM203 */
	&transform_timeout_disabled,	/* AM204 */
	&transform_cancelled_caught,	/* ASYNC103 */
	&transform_cancelled_exit,	/* ASYNC104 */
	&transform_unclosed_client,	/* AM301 */
	&transform_legacy_coroutine,	/* AM302 */
	&transform_async_cm_protocol,	/* AM303 */
	&transform_unclosed_resource,	/* AM304 */
	&transform_cm_swallows,	/* AM305 */
	&transform_swallowed_exception,	/* AM401 */
	&transform_io_unhandled,	/* AM402 */
	&transform_pytest_mode_unset,	/* AM501 */
	&transform_pytest_unmarked_test,	/* AM502 */
	&transform_pytest_async_fixture,	/* AM503 */
};

const size_t transform_count = sizeof(transform_table) / sizeof(transform_table[0]);

size_t transform_index(const struct transform *t)
{
	size_t i = 0;

	while (i < transform_count && transform_table[i] != t)
		i++;
	return i;
}
