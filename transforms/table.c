/*
 * table: the list of transforms.
 */
#include "table.h"

const struct transform *const transform_table[] = {
	&transform_blocking_sleep,	/* ASYNC251 */
	&transform_dangling_task,	/* ASYNC300 */
	&transform_run_in_executor,	/* AM104 */
	&transform_get_event_loop,	/* AM105 */
	&transform_run_until_complete,	/* AM106 */
	&transform_missing_await,	/* AM107 */
	&transform_timeout_error,	/* AM203 */
	&transform_cancelled_caught,	/* ASYNC103 */
	&transform_cancelled_exit,	/* ASYNC104 */
	&transform_unclosed_client,	/* AM301 */
	&transform_legacy_coroutine,	/* AM302 */
};

const size_t transform_count = sizeof(transform_table) / sizeof(transform_table[0]);

size_t transform_index(const struct transform *t)
{
	size_t i = 0;

	while (i < transform_count && transform_table[i] != t)
		i++;
	return i;
}
