/*
 * report: the sinks that print findings.
 *
 * Text: `path:line:col: CODE [*] message`, `[*]` where a fix is available
 * (and not applied), ` (reason: token)` where there is no fix, then a
 * summary line; coloured as ruff does when the caller asks for colour.
 * JSON: one array of objects with the keys path, line, column, end_line,
 * end_column, code, message, fix, applied, reason, and ruff's filename,
 * location, end_location and name; `fix` is ruff's object (applicability,
 * message, edits) or null. SARIF 2.1.0: one run, every rule of the
 * catalog, a result per finding not applied. GitHub: a `::warning`
 * workflow command per finding not applied.
 *
 * Paths: text and JSON's `path` as the run names the file (relative to
 * the working folder, as ruff prints them); JSON's `filename` absolute;
 * SARIF and GitHub relative to the top of the git work tree (`top`), where
 * the code scanning upload and the annotations resolve them.
 */
#ifndef ASYNCMOD_REPORT_H
#define ASYNCMOD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline.h"
#include "vec.h"

struct report_totals {
	size_t findings;	/* every finding */
	size_t fixed;		/* applied */
	size_t remaining;	/* not applied */
	size_t errors;		/* files skipped or not written, and paths not walked */
};

/* The errors of a run that belong to no file result. */
struct report_errors {
	const struct vec *paths;	/* char *, "PATH: TEXT": paths not walked (a
					 * missing path, an unreadable folder); may be NULL */
	const char *run;		/* an error of the whole run, or NULL: the
					 * commit that was refused */
};

/* Every sink takes, besides the results, `errors` (may be NULL): those of
 * file results are in the results. A run with an error never reports success:
 * text ends with "Found ... and N errors." instead of "All checks passed!",
 * and the machine formats carry each error as the format allows. */

/* Counts what `results` (n of them) and `errors` (may be NULL) hold. */
void report_count(struct report_totals *out, const struct file_result *results, size_t n,
		  const struct report_errors *errors);

/* Prints the findings not applied, then (unless `quiet`) a summary line.
 * `unsafe` says whether unsafe fixes count as available. With `color`,
 * the path is bold, `:line:col:` cyan, the code bold red, `[*]` cyan and
 * the reason yellow; without it the text holds no escape codes. Errors go
 * to stderr elsewhere: here they only count in the summary. */
void report_text(FILE *out, const struct file_result *results, size_t n,
		 const struct report_errors *errors, bool unsafe, bool quiet, bool color);

/* The summary report_text ends with: "All checks passed!", or "Found N
 * findings (F fixed, R remaining)." and the fixable and hidden counts. */
void report_summary(FILE *out, const struct file_result *results, size_t n,
		    const struct report_errors *errors, bool unsafe, bool color);

/* True when some fix of `results` was applied. */
bool report_any_applied(const struct file_result *results, size_t n);

/* The summary of a diff run: "Would fix N findings (K remaining)." and,
 * when there are errors, " and E errors" before the period. */
void report_diff_summary(FILE *out, const struct file_result *results, size_t n,
			 const struct report_errors *errors);

/* Prints every finding as one JSON array. An error is an element too, as
 * ruff writes its own: `code` null, `message` the error, `path` the file,
 * `line`/`column` its position or null, `fix` null, `applied` false.
 * A finding's `fix` is built from its `shown` edits (fixdesc.h): null
 * when it has none. */
void report_json(FILE *out, const struct file_result *results, size_t n,
		 const struct report_errors *errors);

/* Prints a SARIF 2.1.0 log: the tool with every rule of the catalog, and
 * one result per finding not applied, with its fix where there is one.
 * Paths below `top` (the top of the work tree, absolute; NULL: the
 * working folder) become URIs relative to %SRCROOT%, which the run's
 * originalUriBaseIds sets to `top`; others are `file://` URIs. A fix is
 * given from the finding's `shown` edits (fixdesc.h), when it has them.
 * The run's one invocation says
 * `executionSuccessful` (false when any error occurred) and holds each
 * error as a `toolExecutionNotifications` entry of level "error". */
void report_sarif(FILE *out, const struct file_result *results, size_t n,
		  const struct report_errors *errors, const char *top);

/* Prints each finding not applied as a GitHub Actions workflow command:
 * `::warning file=P,line=L,col=C,endLine=..,endColumn=..,title=CODE::message`,
 * properties escaped for `%`, CR, LF, `:` and `,`, the message for `%`, CR
 * and LF; each error first as `::error file=P[,line=L,col=C]::message`.
 * P is relative to `top` as for SARIF (absolute when outside it). */
void report_github(FILE *out, const struct file_result *results, size_t n,
		   const struct report_errors *errors, const char *top);

/* The word for a fix class: "safe", "unsafe", or NULL. */
const char *report_fix_name(int fix_class);

/* Writes `v` as pretty JSON and a newline; bytes of its strings that are
 * not UTF-8 are written as Python's surrogateescape escapes. */
struct json_object;
void report_json_put(FILE *out, struct json_object *v);

#endif
