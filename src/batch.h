/*
 * batch: one migration over many repositories (`asyncmod batch MANIFEST`).
 *
 * The manifest holds one repository a line, a local path or a clone URL,
 * with optional `branch=NAME` and `paths=a,b` settings; `#` starts a
 * comment. Each repository runs in a process of its own (so one that fails
 * never stops or corrupts another), up to --jobs at a time: clone it into
 * --workdir (URLs) or open it in place (paths), build the migration commit
 * on its branch as `check --fix --commit` does (never touching the work
 * tree, index or current branch), and with --push push that branch to its
 * remote. An existing branch, here or on the remote, is replaced only when
 * it holds asyncmod's own migration (repo_commit_is_own) or with
 * --force-branch. A record per repository goes to --report as JSON lines
 * (saying whether its push happened, and why not), and a summary table
 * ends the run. With --create-pr, each pushed branch gets a pull request
 * through the forge's tool (forge.h), its address and state in the record.
 */
#ifndef ASYNCMOD_BATCH_H
#define ASYNCMOD_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "err.h"

struct batch_options {
	const char *manifest;
	const char *workdir;		/* clones of URLs go below it */
	const char *report;		/* JSON lines, or NULL */
	const char *retry_failed;	/* an earlier report: only its failed repositories */
	unsigned shard_k, shard_n;	/* --shard K/N, 0/0 for all */
	const char *shard_from;		/* --shard auto: the variable the index came from */
	bool push;
	bool dry_run;
	int jobs;
	unsigned git_timeout;		/* seconds a clone, fetch or push may go without
					 * progress (remote.h); 0: no limit */
	struct engine_options check;	/* rules, fix class, target, branch, message */
	/* --create-pr: a pull request per pushed branch (forge.h) */
	bool create_pr;
	bool draft;			/* --draft */
	int forge;			/* --forge: an enum forge_kind, FORGE_AUTO from the URL */
	/* --merge-reports FILE...: join shard reports instead of running */
	bool merge_reports;
	char *const *reports;
	size_t nreports;
};

/* Runs the batch; `*status` gets the exit status (0 all changed or
 * unchanged, 1 findings remain, 2 a repository failed or was skipped).
 * Returns -1 only when the run cannot start (bad manifest, bad shard). */
int batch_run(const struct batch_options *o, FILE *out, FILE *errs, int *status,
	      struct err *err);

/* Hides the credentials of a URL (url_redact): the whole userinfo becomes
 * three stars. Returns a new string (free it). */
char *batch_redact(const char *url);


/* Parses "K/N" (1 <= K <= N). */
int batch_parse_shard(unsigned *k, unsigned *n, const char *s, struct err *err);

/* The shard (1..n) a manifest entry belongs to: stable across runs and
 * machines, from the entry's text. */
unsigned batch_shard_of(const char *source, unsigned n);

#endif
