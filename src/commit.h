/*
 * commit: a run's fixes recorded as one git commit (`check --fix --commit`):
 * on a new branch built from HEAD's content, or --in-place on the current
 * branch; refused when a file to change has uncommitted changes.
 */
#ifndef ASYNCMOD_COMMIT_H
#define ASYNCMOD_COMMIT_H

#include <stdio.h>

#include "engine.h"
#include "err.h"
#include "pool.h"
#include "repo.h"

/* Commits the fixed texts of `p` (or, with opts->dry_commit, prints the
 * commit's diff). Fills opts->summary's branch and commit when set. */
int commit_record(struct repo *repo, const struct engine_options *opts, const struct pool *p,
		  FILE *out, FILE *errs, struct err *err);

#endif
