/*
 * asyncmod: parses the command line, runs it, and exits with its status.
 * Everything else lives in the core library.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct err err = ERR_INIT;
	struct cli cli;
	int status;

	if (cli_parse(&cli, argc, argv, &err) < 0) {
		fprintf(stderr, "asyncmod: error: %s\n", err.msg);
		return 2;
	}
	status = cli_run(&cli, stdout, stderr);
	if (fflush(stdout) != 0)
		status = 2;
	return status;
}
