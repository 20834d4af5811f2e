/*
 * pool: the worker threads of a run. Workers take the next file index from
 * a shared counter and store each result in its slot, so the sinks see
 * results in walk order whichever thread finished first.
 */
#ifndef ASYNCMOD_POOL_H
#define ASYNCMOD_POOL_H

#include <pthread.h>
#include <stddef.h>

#include "buf.h"
#include "pipeline.h"
#include "progress.h"
#include "repo.h"

struct pool {
	const struct pipeline_config *config;
	char **files;
	const struct file_settings *settings;
	struct file_result *results;
	size_t nfiles;
	size_t next;		/* shared: the next file to take */
	/* --commit: files are read from HEAD, the fixed texts kept */
	struct repo *repo;
	struct buf *fixed;
	struct buf *heads;	/* HEAD's texts, kept for a dry commit's diff */
	unsigned *modes;
	pthread_mutex_t lock;	/* libgit2 object reads, one at a time */
	struct progress *progress;	/* told of each file done; may be NULL */
};

/* Runs every file of `p` on `jobs` threads (one parser and query cursor
 * each). With `p->repo` set, files are read from HEAD and their fixed
 * texts kept in `p->fixed`. */
void pool_run(struct pool *p, int jobs);

#endif
