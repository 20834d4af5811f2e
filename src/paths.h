/*
 * paths: the path arithmetic of the sinks, done on strings (no file is
 * looked at, links are not followed): the working folder comes from
 * getcwd(3), which gives it without links.
 */
#ifndef ASYNCMOD_PATHS_H
#define ASYNCMOD_PATHS_H

#include <stdbool.h>

#include "buf.h"

/* Rewrites a path in place without `.` segments, repeated slashes, and
 * `..` segments that follow a name. Leading `..` of a relative path stay. */
void paths_normalize(struct buf *path);

/* `path` made absolute (against the working folder) and normalized. */
void paths_absolute(struct buf *out, const char *path);

/* `path` relative to the folder `top` (absolute; NULL: the working
 * folder) when it is below it, with `*below` set; else absolute. */
void paths_from_top(struct buf *out, const char *path, const char *top, bool *below);

#endif
