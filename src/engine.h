/*
 * engine: one `check` run: select rules, walk paths, run the pipeline on
 * every file across worker threads, and hand the results to the sinks in
 * path order, so the output is the same for any number of jobs.
 */
#ifndef ASYNCMOD_ENGINE_H
#define ASYNCMOD_ENGINE_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "pipeline.h"
#include "vec.h"

enum output_format {
	FORMAT_TEXT,		/* findings, then a summary */
	FORMAT_CONCISE,		/* findings only, one line each */
	FORMAT_JSON,
	FORMAT_SARIF,		/* SARIF 2.1.0, as GitHub code scanning reads it */
	FORMAT_GITHUB,		/* GitHub Actions workflow commands */
};

struct engine_options {
	char *const *paths;
	size_t npaths;
	enum pipeline_mode mode;
	bool unsafe_fixes;
	bool quiet;
	enum output_format format;
	bool color;		/* colour the text output (a terminal, no NO_COLOR) */
	const char *select;	/* comma-separated codes or prefixes, NULL: the config's, or all */
	const char *ignore;
	/* --extend-select, --extend-ignore, --fixable, --extend-fixable,
	 * --unfixable: comma-separated, NULL when not given (see select.h) */
	const char *extend_select, *extend_ignore, *fixable, *extend_fixable, *unfixable;
	bool add_noqa;		/* --add-noqa: write `# noqa: CODE` where findings are */
	int target_minor;	/* 3.x; 0: from the config, requires-python, or 11 */
	double timeout;		/* --timeout SECONDS; 0: the config's, or 30 */
	const char *http_client;	/* --http-client NAME; NULL: the config's, or httpx */
	int jobs;		/* 0: one per core */
	const char *config_path;	/* --config FILE, or NULL to look for pyproject.toml */
	bool isolated;		/* --isolated: read no configuration file */
	bool default_paths;	/* no PATH given: in a git work tree, git's file list */
	const char *changed_since;	/* --changed-since REV */
	bool commit;		/* --commit: record the fixes as a commit */
	const char *branch;	/* --branch NAME */
	const char *message;	/* --message TEXT */
	bool in_place;		/* --in-place: commit on the current branch */
	bool allow_dirty;
	bool force_branch;
	bool interactive;	/* --interactive: ask before each fix */
	bool keep_same;		/* --commit: an existing branch holding this result is kept */
	bool dry_commit;	/* --commit: print the commit's diff instead of making it */
	bool no_report;		/* print no findings (batch keeps its own records) */
	bool statistics;	/* --statistics: counts per code instead of the findings */
	bool exit_zero;		/* --exit-zero: findings left do not make the status 1 */
	bool show_fixes;	/* --show-fixes: list the fixes applied per file */
	bool progress;		/* a status line on `errs` while files are checked */
	bool no_cache;		/* --no-cache: neither read nor write the cache */
	const char *cache_dir;	/* --cache-dir DIR, or NULL (cache.h says what then) */
	struct engine_summary *summary;	/* filled when not NULL */
	bool force_exclude;	/* --force-exclude: `exclude` drops files named on the command line too */
};

/* What a run did, for `batch`. Counts are per transform_table index. */
struct engine_summary {
	size_t files_changed;
	size_t *fixed;		/* fixes applied per rule (owned; engine_summary_release) */
	size_t *remaining;	/* findings left per rule */
	size_t errors;		/* files skipped or not written */
	char branch[256];
	char commit[64];	/* the commit made or kept, hex; "" when none */
	bool unchanged;		/* the branch already held this result */
	bool commit_failed;	/* the commit was refused or failed: nothing written */
};

void engine_summary_release(struct engine_summary *s);

/* Exit statuses, as ruff uses them. */
#define ENGINE_CLEAN 0
#define ENGINE_FINDINGS 1
#define ENGINE_TROUBLE 2

/* Appends to `out` (const struct transform *) the rules that `select` and
 * `ignore` leave. Unknown codes are an error. */
int engine_select(struct vec *out, const char *select, const char *ignore, struct err *err);

/* Runs `check` and writes results to `out`, per-file problems to `errs`.
 * Sets `*status` to the exit status. Returns -1 (with `err`) only when
 * the run could not start (a bad rule code, a broken query). */
int engine_check(const struct engine_options *opts, FILE *out, FILE *errs, int *status,
		 struct err *err);

/* Prints the rule catalog (text or JSON). */
void engine_rules(FILE *out, enum output_format format);

struct config_set;

/* The settings of one `file` as a run with `opts` gives them: the
 * nearest configuration in `configs` (validated), the command line over
 * it. `mask` holds two entries per rule of the catalog: each rule enabled,
 * then each rule fixable. `*excluded` says whether the configuration's
 * exclude patterns match the file. */
int engine_file_settings(struct file_settings *fs, bool *mask, bool *excluded,
			 const struct engine_options *opts, struct config_set *configs,
			 const char *file, struct err *err);

/* Number of online cores, at least 1. */
int engine_default_jobs(void);

#endif
