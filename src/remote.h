/*
 * remote: the network side of `batch`: clone, fetch and push.
 *
 * Each operation runs in a process of its own, watched by the caller: the
 * process reports every sign of progress (an answer asking for
 * credentials, the server's progress messages, data received or sent,
 * references updated, files checked out), and when `timeout` seconds pass
 * without one (from the start: connecting and the server's first answer;
 * after that: a stall) it is killed and the operation fails with a message
 * that says which. libgit2 has no timeout of its own, so a server that
 * accepts a connection and never answers would otherwise hang the run.
 *
 * `url` is the repository as the manifest writes it, credentials
 * included (NULL for a local repository's own `origin`). Only its clean
 * form (url.h) is handed to libgit2 and stored in the clone; the user and
 * password go through libgit2's credential callback, so neither
 * `.git/config` nor any reflog of the clone holds them.
 */
#ifndef ASYNCMOD_REMOTE_H
#define ASYNCMOD_REMOTE_H

#include <stdbool.h>

#include "err.h"

/* The default of --git-timeout, in seconds. */
#define REMOTE_TIMEOUT_DEFAULT 120

/* Parses --git-timeout's value: whole seconds, 0 (no limit) to 86400. */
int remote_parse_timeout(unsigned *out, const char *s, struct err *err);

/* Clones `url` into `dir` (which must not exist). A failed or stopped
 * clone may leave `dir` half-made: the caller removes it. */
int remote_clone(const char *url, const char *dir, unsigned timeout, struct err *err);

/* Brings the clone in `dir` of `url` up to date: points its `origin` at
 * `url`'s clean form, fetches it and resets the checked-out branch to its
 * upstream (dropping any change made in the clone). */
int remote_refresh(const char *url, const char *dir, unsigned timeout, struct err *err);

/* Pushes `branch`, holding the migration commit `commit` (hex), from the
 * repository in the current folder to its `origin`, replacing what is
 * there only when it is asyncmod's own migration (repo_commit_is_own;
 * `message` is --message or NULL) or with `force`. */
int remote_push(const char *url, const char *branch, const char *commit, const char *message,
		bool force, unsigned timeout, struct err *err);

#endif
