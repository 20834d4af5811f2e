/*
 * shard: a batch run spread over a scheduler's jobs, and their reports
 * joined.
 *
 * `--shard auto` takes the shard from the variables the scheduler sets in
 * each job: a Kubernetes indexed Job's JOB_COMPLETION_INDEX (0-based; the
 * count is not in the pod, so `--shard auto/N` or ASYNCMOD_SHARD_COUNT
 * gives it), a Slurm array job's SLURM_ARRAY_TASK_ID, _MIN, _COUNT (and
 * _STEP), a GitLab parallel job's CI_NODE_INDEX (1-based) and
 * CI_NODE_TOTAL. `batch --merge-reports` reads the JSON lines reports of
 * the shards and prints one summary: the repositories per status and the
 * fixes and findings left per rule.
 */
#ifndef ASYNCMOD_SHARD_H
#define ASYNCMOD_SHARD_H

#include <stdio.h>

#include "err.h"

/* Sets `*k` (1..n) and `*n` from the scheduler's variables. `spec` is
 * "auto" or "auto/N". `from` gets the variable the index came from. An
 * error when no scheduler's variables are set, when two schedulers' are,
 * or when they contradict each other or N. */
int shard_auto(unsigned *k, unsigned *n, const char **from, const char *spec, struct err *err);

/* Reads the reports `files` (n of them), refusing a malformed line or a
 * repository already read (FILE:LINE), writes them as one report to `out`
 * when not NULL, and the summary to `summary`. `*status` as batch's. */
int shard_merge_reports(char *const *files, size_t n, const char *out, FILE *summary, int *status,
			struct err *err);

#endif
