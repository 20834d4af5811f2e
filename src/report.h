/*
 * report: the sinks that print findings.
 *
 * Text: `path:line:col: CODE [*] message`, `[*]` where a fix is available
 * (and not applied), ` (reason: token)` where there is no fix, then a
 * summary line; coloured as ruff does when the caller asks for colour.
 * JSON: one array of objects with the keys path, line, column, end_line,
 * end_column, code, message, fix, applied, reason. SARIF 2.1.0: one run,
 * every rule of the catalog, a result per finding not applied. GitHub: a
 * `::warning` workflow command per finding not applied.
 */
#ifndef ASYNCMOD_REPORT_H
#define ASYNCMOD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline.h"

struct report_totals {
	size_t findings;	/* every finding */
	size_t fixed;		/* applied */
	size_t remaining;	/* not applied */
	size_t errors;		/* files skipped or not written */
};

/* Counts what `results` (n of them) hold. */
void report_count(struct report_totals *out, const struct file_result *results, size_t n);

/* Prints the findings not applied, then (unless `quiet`) a summary line.
 * `unsafe` says whether unsafe fixes count as available. With `color`,
 * the path is bold, `:line:col:` cyan, the code bold red, `[*]` cyan and
 * the reason yellow; without it the text holds no escape codes. */
void report_text(FILE *out, const struct file_result *results, size_t n, bool unsafe,
		 bool quiet, bool color);

/* Prints every finding as one JSON array. */
void report_json(FILE *out, const struct file_result *results, size_t n);

/* Prints a SARIF 2.1.0 log: the tool with every rule of the catalog, and
 * one result per finding not applied, with its fix where there is one.
 * Paths below the working folder become URIs relative to %SRCROOT%, others
 * `file://` URIs. A fix is given only when every edit has its position
 * (struct edit's line and column) and it needs no new import or
 * module-level statement. */
void report_sarif(FILE *out, const struct file_result *results, size_t n);

/* Prints each finding not applied as a GitHub Actions workflow command:
 * `::warning file=P,line=L,col=C,endLine=..,endColumn=..,title=CODE::message`,
 * properties escaped for `%`, CR, LF, `:` and `,`, the message for `%`, CR
 * and LF. */
void report_github(FILE *out, const struct file_result *results, size_t n);

/* The word for a fix class: "safe", "unsafe", or NULL. */
const char *report_fix_name(int fix_class);

#endif
