/*
 * manifest: the repositories of a batch run, one a line, with their
 * settings (`branch=`, `paths=`), and the failed ones of an earlier JSON
 * lines report (`--retry-failed`). Only regular files are read, up to a
 * size limit; every error names the file and the line.
 */
#ifndef ASYNCMOD_MANIFEST_H
#define ASYNCMOD_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "vec.h"

/* One line of a manifest. */
struct manifest_entry {
	unsigned line;
	char *source;		/* path or URL as written */
	char *display;		/* the same with credentials hidden */
	char *branch;		/* per-line branch=, or NULL */
	char *paths;		/* per-line paths=, comma-separated, or NULL */
	pid_t pid;
	bool done;
};

/* Reads the manifest at `path` into `entries` (struct manifest_entry;
 * release each with manifest_entry_release). */
int manifest_read(struct vec *entries, const char *path, struct err *err);

/* Parses manifest text (`name` places errors: "NAME:LINE: ..."), as
 * `batch` reads its MANIFEST, and sets `*count` to its repositories. */
int manifest_parse(const char *name, const char *text, size_t len, size_t *count,
		   struct err *err);

/* Appends to `names` (char *, owned) the repositories an earlier report
 * at `path` records as failed. */
int manifest_read_failed(struct vec *names, const char *path, struct err *err);

void manifest_entry_release(struct manifest_entry *e);

#endif
