/*
 * repo: what git knows about a run's files, through libgit2.
 *
 * Inside a work tree, a run without paths covers the tracked Python files
 * plus the untracked ones git does not ignore; --changed-since narrows a
 * run to the files changed since a revision. --commit builds a commit
 * from HEAD's content without touching the work tree, the index or the
 * current branch (or, --in-place, on the current branch, updating the work
 * tree and index to match). Hooks are never run: libgit2 runs none.
 */
#ifndef ASYNCMOD_REPO_H
#define ASYNCMOD_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "vec.h"

struct repo;
struct git_repository;
struct git_oid;

/* Opens the repository whose work tree holds the current folder. Sets
 * `*out` to NULL (returning 0) outside any repository; a bare repository
 * is an error. Free with repo_free(). */
int repo_open(struct repo **out, struct err *err);
void repo_free(struct repo *r);

/* Appends (char *, owned) the tracked and the untracked-but-not-ignored
 * Python files below the current folder, as paths relative to it.
 * Submodules are skipped; their paths go to `notes` (char *, owned). */
int repo_list_files(struct repo *r, struct vec *files, struct vec *notes, struct err *err);

/* Appends (char *, owned) the files, relative to the current folder, that
 * differ between REV and the work tree (committed since, staged, unstaged
 * or untracked). */
int repo_changed_files(struct repo *r, const char *rev, struct vec *files, struct err *err);

/* HEAD's content of `path` (relative to the current folder). `*found` is
 * false when HEAD has no such file (or there is no HEAD). */
int repo_head_content(struct repo *r, const char *path, struct buf *out, unsigned *mode,
		      bool *found, struct err *err);

/* True when `path` differs in the index or the work tree from HEAD. */
int repo_is_dirty(struct repo *r, const char *path, bool *dirty, struct err *err);

/* The current folder relative to the top of the work tree ("" or "a/b/"). */
const char *repo_prefix(const struct repo *r);

/* Sets `err` to "WHAT: libgit2's last error message" and returns -1. */
int repo_git_error(struct err *err, const char *what);

/* True when the repository has no commit yet. */
bool repo_is_unborn(struct repo *r);

struct repo_change {
	char *path;		/* relative to the current folder, owned */
	char *text;		/* the new content, owned */
	size_t len;
	unsigned mode;		/* the file mode in HEAD */
};

struct repo_commit_opts {
	const char *branch;	/* the branch to create (ignored with in_place) */
	const char *message;
	bool force_branch;	/* replace an existing branch of that name */
	bool in_place;		/* commit on the current branch and update work tree and index */
	bool keep_same;		/* leave an existing branch that already holds this result,
				 * and replace one that holds asyncmod's own commit
				 * (repo_commit_is_own); any other is refused unless
				 * force_branch */
	bool dry_run;		/* build the tree, compare, but create nothing */
};

/* Commits `changes` (struct repo_change) on top of HEAD. Writes the new
 * commit's id (hex) into `id`. With `keep_same`, a branch whose commit has
 * HEAD as parent and the same tree is left as it is, `*same` is set and
 * `id` is that commit. */
int repo_commit(struct repo *r, const struct vec *changes, const struct repo_commit_opts *opts,
		struct buf *id, bool *same, struct err *err);

/* True when commit `id` is one asyncmod made as a migration, so that the
 * branch holding it can be replaced without losing anyone's work: it has
 * exactly one parent, which is `base` or an ancestor of it (so every other
 * commit it holds is in `base`'s history); its author and committer are
 * the identity asyncmod commits as in this repository (git_signature_default)
 * and its message is asyncmod's (starts with "asyncmod: fix ", or is
 * `message` when not NULL). A commit made by hand under the same identity
 * with such a message cannot be told apart. False when `id` is not in the
 * repository. */
bool repo_commit_is_own(struct git_repository *git, const struct git_oid *id,
			const struct git_oid *base, const char *message);

/* Refuses a name git would not take for a new branch (`@`, `/x`,
 * `a..b`), or one that spells a full reference (`refs/heads/x`). */
int repo_check_branch_name(const char *name, struct err *err);

#endif
