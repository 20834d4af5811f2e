/*
 * repo: git through libgit2: file lists, HEAD content, commits.
 */
#include "repo.h"
#include "fsio.h"
#include "source.h"
#include "walk.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct repo {
	git_repository *git;
	char *workdir;		/* with a trailing slash */
	char *prefix;		/* the current folder relative to the work tree, "" or "a/b/" */
};

int repo_git_error(struct err *err, const char *what)
{
	const git_error *e = git_error_last();

	return err_set(err, "%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
}

int repo_open(struct repo **out, struct err *err)
{
	char cwd[PATH_MAX];
	git_repository *git = NULL;
	struct repo *r;
	const char *wd;
	size_t n;

	*out = NULL;
	if (!getcwd(cwd, sizeof(cwd)))
		return err_errno(err, "unable to read the current folder");
	if (git_repository_open_ext(&git, cwd, 0, NULL) < 0)
		return 0;
	if (git_repository_is_bare(git)) {
		git_repository_free(git);
		return err_set(err, "'%s' is a bare repository: there is no work tree to check", cwd);
	}
	wd = git_repository_workdir(git);
	r = xcalloc(1, sizeof(*r));
	r->git = git;
	r->workdir = xstrdup(wd);
	n = strlen(wd);
	{
		char real[PATH_MAX];
		struct buf p = BUF_INIT;

		if (!realpath(cwd, real))
			snprintf(real, sizeof(real), "%s", cwd);
		if (strlen(real) + 1 >= n && !strncmp(real, wd, n - 1) && strlen(real) >= n)
			buf_printf(&p, "%s/", real + n);
		r->prefix = buf_detach(&p);
	}
	*out = r;
	return 0;
}

void repo_free(struct repo *r)
{
	if (!r)
		return;
	git_repository_free(r->git);
	free(r->workdir);
	free(r->prefix);
	free(r);
}

const char *repo_prefix(const struct repo *r)
{
	return r->prefix;
}

bool repo_is_unborn(struct repo *r)
{
	return git_repository_head_unborn(r->git) == 1;
}

/* `path` relative to the work tree -> relative to the current folder, or
 * NULL when it lies outside the current folder. */
static char *from_repo_path(const struct repo *r, const char *path)
{
	size_t n = strlen(r->prefix);

	if (strncmp(path, r->prefix, n))
		return NULL;
	return xstrdup(path + n);
}

static char *to_repo_path(const struct repo *r, const char *path)
{
	struct buf b = BUF_INIT;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	buf_printf(&b, "%s%s", r->prefix, path);
	return buf_detach(&b);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int repo_list_files(struct repo *r, struct vec *files, struct vec *notes, struct err *err)
{
	git_status_options opts;
	git_status_list *list = NULL;
	git_index *index = NULL;
	size_t count;

	if (git_repository_index(&index, r->git) < 0)
		return repo_git_error(err, "unable to read the index");
	count = git_index_entrycount(index);
	for (size_t i = 0; i < count; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		char *rel;

		if (git_index_entry_stage(e) > 0 && i > 0 &&
		    !strcmp(git_index_get_byindex(index, i - 1)->path, e->path))
			continue;	/* one entry per path in a conflict */
		if (!(rel = from_repo_path(r, e->path)))
			continue;
		if (e->mode == GIT_FILEMODE_COMMIT) {
			struct buf note = BUF_INIT;

			buf_printf(&note, "%s: submodule, skipped", rel);
			*(char **)vec_push(notes) = buf_detach(&note);
			free(rel);
		} else if (access(rel, F_OK) == 0 && !walk_path_skipped(rel) && walk_is_python_file(rel)) {
			*(char **)vec_push(files) = rel;
		} else {
			free(rel);
		}
	}
	git_index_free(index);
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	if (git_status_list_new(&list, r->git, &opts) < 0)
		return repo_git_error(err, "unable to read the status of the work tree");
	count = git_status_list_entrycount(list);
	for (size_t i = 0; i < count; i++) {
		const git_status_entry *s = git_status_byindex(list, i);
		char *rel;

		if (!(s->status & GIT_STATUS_WT_NEW) || !s->index_to_workdir)
			continue;
		rel = from_repo_path(r, s->index_to_workdir->new_file.path);
		if (rel && !walk_path_skipped(rel) && walk_is_python_file(rel))
			*(char **)vec_push(files) = rel;
		else
			free(rel);
	}
	git_status_list_free(list);
	vec_sort(files, str_cmp);
	return 0;
}

int repo_changed_files(struct repo *r, const char *rev, struct vec *files, struct err *err)
{
	git_diff_options opts;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	int error = 0;

	if (git_revparse_single(&obj, r->git, rev) < 0)
		return repo_git_error(err, "unknown revision for --changed-since");
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		error = repo_git_error(err, "--changed-since names no tree");
		goto done;
	}
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	if (git_diff_tree_to_workdir_with_index(&diff, r->git, tree, &opts) < 0) {
		error = repo_git_error(err, "unable to compare with the work tree");
		goto done;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		char *rel;

		if (d->status == GIT_DELTA_DELETED)
			continue;
		if ((rel = from_repo_path(r, d->new_file.path)))
			*(char **)vec_push(files) = rel;
	}
	vec_sort(files, str_cmp);
done:
	git_diff_free(diff);
	git_tree_free(tree);
	git_object_free(obj);
	return error;
}

int repo_head_content(struct repo *r, const char *path, struct buf *out, unsigned *mode,
		      bool *found, struct err *err)
{
	git_object *head = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char *rp = to_repo_path(r, path);
	int error = 0;

	*found = false;
	buf_clear(out);
	if (repo_is_unborn(r))
		goto done;
	if (git_revparse_single(&head, r->git, "HEAD^{tree}") < 0) {
		error = repo_git_error(err, "unable to read HEAD");
		goto done;
	}
	tree = (git_tree *)head;
	head = NULL;
	if (git_tree_entry_bypath(&entry, tree, rp) < 0)
		goto done;	/* not in HEAD */
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		goto done;
	if (git_blob_lookup(&blob, r->git, git_tree_entry_id(entry)) < 0) {
		error = repo_git_error(err, path);
		goto done;
	}
	buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	*mode = git_tree_entry_filemode(entry);
	*found = true;
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_object_free(head);
	free(rp);
	return error;
}

int repo_is_dirty(struct repo *r, const char *path, bool *dirty, struct err *err)
{
	unsigned flags = 0;
	char *rp = to_repo_path(r, path);
	int rc = git_status_file(&flags, r->git, rp);

	free(rp);
	if (rc < 0)
		return repo_git_error(err, path);
	*dirty = flags != GIT_STATUS_CURRENT && !(flags & GIT_STATUS_IGNORED);
	return 0;
}

/* Updates the work tree file and its index entry to the committed blob. */
static int update_checkout(struct repo *r, git_index *index, const struct repo_change *c,
			   const git_oid *blob, struct err *err)
{
	struct source src;
	char *rp = to_repo_path(r, c->path);
	int error = 0;

	if (source_load(&src, c->path, err) < 0) {
		free(rp);
		return -1;
	}
	if (fsio_write_atomic(&src, c->text, c->len, err) < 0) {
		error = -1;
		goto done;
	}
	(void)blob;
	if (git_index_add_bypath(index, rp) < 0)
		error = repo_git_error(err, "unable to update the index");
done:
	source_release(&src);
	free(rp);
	return error;
}

/* True when branch `name` points at a commit whose parent is `parent` and
 * whose tree is `tree`. */
static bool branch_holds(struct repo *r, const char *name, const git_commit *parent,
			 const git_oid *tree, git_oid *at)
{
	git_reference *ref = NULL;
	git_commit *tip = NULL;
	bool same = false;

	if (git_branch_lookup(&ref, r->git, name, GIT_BRANCH_LOCAL) == 0 &&
	    git_commit_lookup(&tip, r->git, git_reference_target(ref)) == 0 &&
	    git_commit_parentcount(tip) == 1 &&
	    git_oid_equal(git_commit_parent_id(tip, 0), git_commit_id(parent)) &&
	    git_oid_equal(git_commit_tree_id(tip), tree)) {
		same = true;
		git_oid_cpy(at, git_commit_id(tip));
	}
	git_commit_free(tip);
	git_reference_free(ref);
	return same;
}

bool repo_commit_is_own(git_repository *git, const git_oid *id, const git_oid *base,
			const char *message)
{
	git_commit *c = NULL;
	git_signature *sig = NULL;
	const git_signature *author, *committer;
	const git_oid *parent;
	const char *text;
	bool own = false;

	if (git_commit_lookup(&c, git, id) < 0 || git_signature_default(&sig, git) < 0 ||
	    git_commit_parentcount(c) != 1)
		goto done;
	parent = git_commit_parent_id(c, 0);
	if (!git_oid_equal(parent, base) && git_graph_descendant_of(git, base, parent) != 1)
		goto done;
	author = git_commit_author(c);
	committer = git_commit_committer(c);
	if (strcmp(author->name, sig->name) || strcmp(author->email, sig->email) ||
	    strcmp(committer->name, sig->name) || strcmp(committer->email, sig->email))
		goto done;
	text = git_commit_message(c);
	own = text && (!strncmp(text, "asyncmod: fix ", 14) || (message && !strcmp(text, message)));
done:
	git_signature_free(sig);
	git_commit_free(c);
	return own;
}

int repo_commit(struct repo *r, const struct vec *changes, const struct repo_commit_opts *opts,
		struct buf *id, bool *same, struct err *err)
{
	git_tree_update *updates = xcalloc(changes->len ? changes->len : 1, sizeof(*updates));
	git_oid *blobs = xcalloc(changes->len ? changes->len : 1, sizeof(*blobs));
	char **paths = xcalloc(changes->len ? changes->len : 1, sizeof(char *));
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_reference *branch = NULL;
	git_index *index = NULL;
	git_oid tree_id, commit_id, existing;
	char hex[GIT_OID_HEXSZ + 1];
	bool exists = false;
	int error = 0;

	if (repo_is_unborn(r)) {
		error = err_set(err, "the repository has no commit yet: --commit needs a HEAD to build on");
		goto done;
	}
	if (git_signature_default(&sig, r->git) < 0) {
		error = err_set(err, "no author identity: set user.name and user.email in git config");
		goto done;
	}
	if (git_revparse_single((git_object **)&parent, r->git, "HEAD^{commit}") < 0 ||
	    git_commit_tree(&base, parent) < 0) {
		error = repo_git_error(err, "unable to read HEAD");
		goto done;
	}
	*same = false;
	if (!opts->in_place && git_branch_lookup(&branch, r->git, opts->branch, GIT_BRANCH_LOCAL) == 0) {
		if (git_branch_is_checked_out(branch) == 1) {
			error = err_set(err, "branch '%s' is checked out in a work tree: it cannot be "
					"replaced", opts->branch);
			goto done;
		}
		if (!opts->force_branch && !opts->keep_same) {
			error = err_set(err, "branch '%s' already exists (use --force-branch to "
					"replace it)", opts->branch);
			goto done;
		}
		if (git_reference_target(branch)) {
			git_oid_cpy(&existing, git_reference_target(branch));
			exists = true;
		}
	}
	git_reference_free(branch);
	branch = NULL;
	for (size_t i = 0; i < changes->len; i++) {
		const struct repo_change *c = vec_at(changes, i);

		if (git_blob_create_from_buffer(&blobs[i], r->git, c->text, c->len) < 0) {
			error = repo_git_error(err, c->path);
			goto done;
		}
		paths[i] = to_repo_path(r, c->path);
		updates[i].action = GIT_TREE_UPDATE_UPSERT;
		updates[i].id = blobs[i];
		updates[i].filemode = c->mode;
		updates[i].path = paths[i];
	}
	if (git_tree_create_updated(&tree_id, r->git, base, changes->len, updates) < 0 ||
	    git_tree_lookup(&tree, r->git, &tree_id) < 0) {
		error = repo_git_error(err, "unable to build the tree");
		goto done;
	}
	if (opts->keep_same && !opts->in_place &&
	    branch_holds(r, opts->branch, parent, &tree_id, &commit_id)) {
		*same = true;
		git_oid_tostr(hex, sizeof(hex), &commit_id);
		buf_clear(id);
		buf_puts(id, hex);
		goto done;
	}
	/* keep_same replaces an older migration, never someone else's work */
	if (exists && opts->keep_same && !opts->force_branch &&
	    !repo_commit_is_own(r->git, &existing, git_commit_id(parent), opts->message)) {
		error = err_set(err, "branch '%s' holds commits asyncmod did not make (use "
				"--force-branch to replace it)", opts->branch);
		goto done;
	}
	if (opts->dry_run) {
		buf_clear(id);
		goto done;
	}
	if (git_commit_create(&commit_id, r->git, NULL, sig, sig, NULL, opts->message, tree, 1,
			      (const git_commit **)&parent) < 0) {
		error = repo_git_error(err, "unable to create the commit");
		goto done;
	}
	if (opts->in_place) {
		/* the work tree first: a failure there leaves HEAD where it was */
		if (git_repository_index(&index, r->git) < 0) {
			error = repo_git_error(err, "unable to read the index");
			goto done;
		}
		for (size_t i = 0; i < changes->len; i++) {
			if ((error = update_checkout(r, index, vec_at(changes, i), &blobs[i], err)) < 0) {
				struct err first = *err;

				/* say what was written before the failure */
				if (i)
					err_set(err, "%s (already rewritten in the work tree with "
						"the fixes: %zu file%s; HEAD and the index are "
						"unchanged)", first.msg, i, i == 1 ? "" : "s");
				goto done;
			}
		}
		if (git_index_write(index) < 0) {
			error = repo_git_error(err, "unable to write the index");
			goto done;
		}
		if (git_reference_name_to_id(&tree_id, r->git, "HEAD") < 0 ||
		    git_repository_head_detached(r->git) == 1) {
			if (git_repository_set_head_detached(r->git, &commit_id) < 0) {
				error = repo_git_error(err, "unable to move HEAD");
				goto done;
			}
		} else {
			git_reference *head = NULL, *moved = NULL;

			if (git_repository_head(&head, r->git) < 0 ||
			    git_reference_set_target(&moved, head, &commit_id, "asyncmod: fixes") < 0) {
				git_reference_free(head);
				error = repo_git_error(err, "unable to move the current branch");
				goto done;
			}
			git_reference_free(head);
			git_reference_free(moved);
		}
	}
	if (!opts->in_place) {
		git_commit *commit = NULL;

		if (git_commit_lookup(&commit, r->git, &commit_id) < 0 ||
		    git_branch_create(&branch, r->git, opts->branch, commit,
				      opts->force_branch || opts->keep_same) < 0) {
			git_commit_free(commit);
			error = repo_git_error(err, "unable to create the branch");
			goto done;
		}
		git_commit_free(commit);
	}
	git_oid_tostr(hex, sizeof(hex), &commit_id);
	buf_clear(id);
	buf_puts(id, hex);
done:
	for (size_t i = 0; i < changes->len; i++)
		free(paths[i]);
	free(paths);
	free(updates);
	free(blobs);
	git_index_free(index);
	git_reference_free(branch);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_signature_free(sig);
	return error;
}

/* True when one part of a branch name (between slashes) is well formed. */
static bool branch_part_ok(const char *part, size_t n)
{
	return n > 0 && part[0] != '.' && !(n >= 5 && !memcmp(part + n - 5, ".lock", 5));
}

int repo_check_branch_name(const char *name, struct err *err)
{
	size_t n = strlen(name);
	bool ok = n > 0 && name[0] != '-' && name[n - 1] != '.' && strcmp(name, "@") &&
		  strcmp(name, "HEAD") && strncmp(name, "refs/", 5) && !strstr(name, "..") &&
		  !strstr(name, "@{");

	/* git check-ref-format --branch, without asking libgit2 (no library
	 * state for a check this small) */
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		ok = c >= 0x20 && c != 0x7f && !strchr(" ~^:?*[\\", c);
	}
	for (const char *part = name; ok;) {
		const char *slash = strchr(part, '/');
		size_t len = slash ? (size_t)(slash - part) : strlen(part);

		ok = branch_part_ok(part, len);
		if (!slash)
			break;
		part = slash + 1;
	}
	if (!ok)
		return err_set(err, "invalid branch name '%s' (a short name such as "
			       "asyncmod/fixes, as git check-ref-format --branch takes it)", name);
	return 0;
}
