/*
 * bufcheck: one text in memory checked as if it were the file PATH.
 *
 * The settings are those a `check` of PATH would use: the nearest
 * pyproject.toml above it (read again on every run, so an edited
 * configuration takes effect), its exclude patterns, per-file-ignores and
 * target version, with the command line's options over it. The text goes
 * through the same pipeline as a file on disk (pipeline_run_text): the
 * fixes are the verified, settled ones the CLI writes. `check
 * --stdin-filename` and the language server both use it.
 */
#ifndef ASYNCMOD_BUFCHECK_H
#define ASYNCMOD_BUFCHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "engine.h"
#include "err.h"
#include "pipeline.h"

struct bufcheck;

/* Compiles the rules `opts` selects (every rule when it selects none;
 * a configuration narrows per file). Free with bufcheck_free(). */
int bufcheck_new(struct bufcheck **out, const struct engine_options *opts, struct err *err);
void bufcheck_free(struct bufcheck *b);

/* One run. */
struct bufcheck_request {
	enum pipeline_mode mode;	/* MODE_CHECK, MODE_COMMIT or MODE_FIX_TEXT */
	bool unsafe;			/* allow unsafe fixes besides what the settings say */
	const struct finding_key *only;	/* fix only these findings (NULL: all allowed) */
	size_t nonly;
	bool honour_exclude;		/* an excluded PATH is not checked */
};

/* Runs `text` (`len` bytes) as the file `path`. Fills `res` (release it
 * with pipeline_result_release) and, when `fixed` is not NULL, puts there
 * the whole text after the fixes (the text itself when nothing changed).
 * `*excluded` tells an excluded PATH that was not checked. Returns -1
 * with `err` when the configuration cannot be read. */
int bufcheck_run(struct bufcheck *b, const char *path, const char *text, size_t len,
		 const struct bufcheck_request *req, struct file_result *res, struct buf *fixed,
		 bool *excluded, struct err *err);

/* `check --stdin-filename PATH`: reads standard input and checks it as
 * PATH. Without fixes the report goes to `out`; with --fix the fixed
 * source goes to `out` (the source unchanged when nothing could be fixed)
 * and the report to `errs`; with --diff the diff goes to `out`. Returns
 * the exit status. */
int bufcheck_stdin(const struct engine_options *opts, const char *path, FILE *in, FILE *out,
		   FILE *errs);

#endif
