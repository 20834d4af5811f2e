/*
 * walk: which files a run covers.
 *
 * Files named on the command line are taken as they are. Folders are
 * walked for `*.py`, `*.pyi` and files whose first line is a python
 * shebang, skipping hidden folders, `__pycache__`, virtualenvs (folders
 * holding `pyvenv.cfg`) and, inside a git work tree, whatever git ignores
 * (asked of libgit2, which reads .gitignore, .git/info/exclude and the
 * global excludes file). The result is sorted and free of duplicates.
 */
#ifndef ASYNCMOD_WALK_H
#define ASYNCMOD_WALK_H

#include <stddef.h>

#include "vec.h"

/* Appends the files under `paths` to `files` (char *, owned by the vector's
 * user: free each). Problems with one path (missing, unreadable) are
 * appended to `errors` (char * messages, owned likewise) and the walk goes
 * on. Returns 0. */
int walk_collect(struct vec *files, struct vec *errors, char *const *paths, size_t npaths);

/* Settles the symbolic links among `files`: a link is kept (its target
 * is fixed in place through it, the link stays a link) only when the
 * target is a file inside the tree being fixed (below one of `paths`, or
 * the current folder when there are none); otherwise it is dropped with a
 * note in `notes` (char *, owned). Each file is kept once, however many
 * links name it: by its own path when that is listed, else by its first
 * link. */
void walk_settle_links(struct vec *files, struct vec *notes, char *const *paths, size_t npaths);

/* True when a folder on the way to `path` (relative) is one the walk
 * skips: hidden, `__pycache__`, or a virtualenv. */
int walk_path_skipped(const char *path);

/* True when `name` is a Python source file name (`*.py`, `*.pyi`). */
int walk_is_python_name(const char *name);

/* True when the file at `path` is one a walk takes: a Python file name,
 * or no extension and a python shebang. */
int walk_is_python_file(const char *path);

#endif
