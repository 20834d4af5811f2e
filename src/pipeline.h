/*
 * pipeline: one file through source -> prefilter -> parse -> scope ->
 * rules -> edits -> verify -> (diff | write).
 *
 * A worker owns one parser, one query cursor and one PCRE2 match block,
 * and runs files one after another; the compiled query and the settings
 * are shared read-only by all workers.
 */
#ifndef ASYNCMOD_PIPELINE_H
#define ASYNCMOD_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "query.h"
#include "rule.h"
#include "suppress.h"
#include "vec.h"

enum pipeline_mode {
	MODE_CHECK,	/* report only */
	MODE_DIFF,	/* report, and make the diff of the fixes */
	MODE_FIX,	/* report, and write the fixes in place */
	MODE_COMMIT,	/* report, and hand the fixed text back (for a commit) */
	MODE_FIX_TEXT,	/* as MODE_FIX, but the fixed text is handed back, not written */
};

struct cache;

/* What every worker shares for one run. */
struct pipeline_config {
	const struct query *query;
	const char *const *tokens;	/* NULL-terminated prefilter tokens of the selected rules */
	enum pipeline_mode mode;
	bool unsafe_fixes;		/* defaults for files without settings of their own */
	int target_minor;
	double timeout;
	enum http_client http_client;
	const struct suppress *suppress;	/* noqa comments; NULL: none are read */
	const char *diff_prefix;	/* put before paths in diffs (the folder in the work tree) */
	bool describe_fixes;		/* give findings their fix alone as edits (fixdesc.h) */
	/* MODE_COMMIT whose text also goes to the work tree (--in-place):
	 * the findings left are placed in the fixed text, as under MODE_FIX */
	bool in_work_tree;
	struct cache *cache;	/* results kept between runs (cache.h); NULL: none */
	/* run every rule over every file the prefilter lets through and the
	 * patterns of in_async_def rules over the whole tree, not just the
	 * async defs, nor only where rules' tokens are: slower, and the
	 * findings must not change (tests compare the two) */
	bool whole_query;
};

/* Names one finding across runs over the same text. */
struct finding_key {
	const struct transform *rule;
	uint32_t start, end;
};

/* What one file's configuration says (pyproject.toml and the command line). */
struct file_settings {
	const bool *enabled;	/* per transform_table index; NULL: every rule */
	int target_minor;
	bool unsafe_fixes;
	const struct finding_key *only;	/* when not NULL, fix only these findings */
	size_t nonly;
	double timeout;		/* seconds for new timeouts */
	enum http_client http_client;
	const bool *fixable;	/* per transform_table index; NULL: every rule may be fixed */
	/* pytest's configuration for the file (pytest_config.h); NULL: not
	 * known, and the rules about it say nothing */
	const struct pytest_config *pytest;
};

/* The outcome for one file. */
struct file_result {
	char *path;		/* owned */
	struct vec findings;	/* struct finding, sorted by position */
	char *error;		/* why the file was skipped or not written, or NULL; owned */
	char *diff;		/* MODE_DIFF: the file's diff, or NULL; owned */
	bool parsed;		/* the prefilter let it through */
	bool untracked;		/* --commit: not in HEAD, so not part of the commit */
	size_t fixed;		/* fixes applied (written in MODE_FIX) */
	bool written;		/* MODE_FIX: the fixed text is in the file */
};

struct pipeline_worker;

/* A worker for `config`, which must outlive it. */
struct pipeline_worker *pipeline_worker_new(const struct pipeline_config *config);
void pipeline_worker_free(struct pipeline_worker *w);

/* Runs one file with its settings (NULL: the config's defaults). Always
 * fills `res` (free it with pipeline_result_release). */
void pipeline_run(struct pipeline_worker *w, const char *path, const struct file_settings *fs,
		  struct file_result *res);

/* Runs the rules over text in memory and returns the whole fixed file
 * (byte order mark included) in `out`. Findings go to `res` as above. */
void pipeline_run_text(struct pipeline_worker *w, const char *path, const char *text,
		       size_t len, const struct file_settings *fs, struct file_result *res,
		       struct buf *out);

void pipeline_result_release(struct file_result *res);

/* The findings of `res` a line each (rule, range, fix class, reason,
 * message) and, with `error`, its error: the same text for the same
 * outcome, to compare two runs over one file. */
void pipeline_result_lines(const struct file_result *res, bool error, struct buf *out);

/* True when the text holds none of the tokens: no rule can match. */
bool pipeline_prefilter_skips(const char *const *tokens, const char *text, size_t len);

#endif
