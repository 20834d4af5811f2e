/*
 * diff: unified diffs of one file's rewrite, made by libgit2.
 *
 * The output has git's headers (`diff --git a/P b/P`, `--- a/P`,
 * `+++ b/P`) so that `git apply` takes it as it is.
 */
#ifndef ASYNCMOD_DIFF_H
#define ASYNCMOD_DIFF_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"

/* Appends the diff from `old` to `new` of file `path` (relative) to
 * `out`; `mode` (the file's st_mode) sets the mode on the index line.
 * libgit2 must be initialised. */
int diff_make(struct buf *out, const char *path, unsigned mode, const char *old, size_t oldlen,
	      const char *new, size_t newlen, struct err *err);

#endif
