/*
 * cli: the command line, parsed into what the engine needs.
 *
 *   asyncmod check [--fix] [--unsafe-fixes] [--diff] [--select CODES]
 *                  [--ignore CODES] [--target-version pyXY]
 *                  [--output-format text|json] [--jobs N] [--quiet] [PATH...]
 *   asyncmod rules [--output-format text|json]
 *   asyncmod --help | --version
 */
#ifndef ASYNCMOD_CLI_H
#define ASYNCMOD_CLI_H

#include <stdio.h>

#include "batch.h"
#include "engine.h"
#include "err.h"

enum cli_command {
	CLI_CHECK,
	CLI_RULES,
	CLI_HELP,
	CLI_VERSION,
	CLI_EXPLAIN,
	CLI_BATCH,
	CLI_SERVER,	/* the language server on stdin/stdout */
};

struct cli {
	enum cli_command command;
	struct engine_options opts;
	const char *code;	/* explain: the rule code */
	struct batch_options batch;	/* batch: its own settings; .check is unused */
	const char *stdin_filename;	/* check --stdin-filename PATH, or NULL */
};

/* Parses argv. `out->opts.paths` points into argv (or at a static "."). */
int cli_parse(struct cli *out, int argc, char **argv, struct err *err);

/* Parses "py39" ... "py314" into a 3.x minor number. */
int cli_parse_version(int *minor, const char *s, struct err *err);

void cli_usage(FILE *out);

/* Runs the parsed command; returns the exit status. */
int cli_run(const struct cli *cli, FILE *out, FILE *errs);

#endif
