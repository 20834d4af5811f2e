/*
 * pool: the worker threads of a run. Workers take the next file from a
 * shared counter and store each result in its slot, so the sinks see
 * results in walk order whichever thread finished first. Files are handed
 * out largest first, so that no worker is left alone with a big file at
 * the end while the others idle.
 *
 * With a cache, a first pass (pool_lookup) only reads and hashes files
 * and takes the results the cache holds; pool_run then runs the rest.
 */
#ifndef ASYNCMOD_POOL_H
#define ASYNCMOD_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "cache.h"
#include "pipeline.h"
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
	bool *done;		/* per file: its result came from the cache; NULL: none did */
	size_t *order;		/* the files in the order they are handed out; owned */
	size_t norder;
};

/* Runs every file of `p` on `jobs` threads (one parser and query cursor
 * each). With `p->repo` set, files are read from HEAD and their fixed
 * texts kept in `p->fixed`. */
void pool_run(struct pool *p, int jobs);

/* The cache pass: on `jobs` threads, reads each file of `p`, and fills its
 * result from `cache` where it holds one (for a run that fixes, only a
 * result with nothing to fix). Sets `p->done` and returns the number of
 * files left for pool_run. */
size_t pool_lookup(struct pool *p, struct cache *cache, int jobs);

/* Frees what the pool itself allocated (not the results). */
void pool_release(struct pool *p);

#endif
