/*
 * outfile: `--output-file FILE`, the report written whole or not at all.
 *
 * The report goes to a new file next to FILE (same folder, so the same
 * file system), which replaces FILE by rename(2) once it is complete and
 * flushed to disk; a run that fails to start or to write leaves FILE as
 * it was. The new file gets the mode a created file gets (0666 less the
 * umask), or FILE's own mode when FILE exists.
 */
#ifndef ASYNCMOD_OUTFILE_H
#define ASYNCMOD_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

struct outfile {
	const char *path;	/* FILE */
	struct buf tmp;		/* the new file's path */
	FILE *f;		/* write the report here */
};

/* Creates the new file. */
int outfile_open(struct outfile *o, const char *path, struct err *err);

/* With `keep`, puts the new file in FILE's place; else removes it.
 * Returns -1 (with `err`) when writing or renaming failed. */
int outfile_close(struct outfile *o, bool keep, struct err *err);

#endif
