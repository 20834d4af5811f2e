/*
 * batch: running a migration over the repositories of a manifest.
 *
 * The parent parses the manifest, picks the shard, and forks a worker per
 * repository (at most --jobs alive). A worker chdirs into its repository,
 * runs the engine there with --fix --commit semantics and writes its
 * record to a file in a private temporary folder; the parent collects the
 * records in manifest order, writes the report and the summary table.
 */
#include "batch.h"
#include "forge.h"
#include "manifest.h"
#include "fsio.h"
#include "buf.h"
#include "repo.h"
#include "vec.h"
#include "../transforms/table.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *batch_redact(const char *url)
{
	const char *scheme = strstr(url, "://"), *at, *slash;
	struct buf b = BUF_INIT;

	if (!scheme)
		return xstrdup(url);
	slash = strchr(scheme + 3, '/');
	at = memchr(scheme + 3, '@', slash ? (size_t)(slash - scheme - 3) : strlen(scheme + 3));
	if (!at)
		return xstrdup(url);
	buf_add(&b, url, (size_t)(scheme + 3 - url));
	buf_puts(&b, "***");
	buf_puts(&b, at);
	return buf_detach(&b);
}

/* Replaces every copy of the credentials of `url` in `text` by `***`. */
static char *redact_in(const char *text, const char *url)
{
	const char *scheme = strstr(url, "://"), *at, *slash;
	struct buf b = BUF_INIT;
	size_t n;

	if (!scheme)
		return xstrdup(text);
	slash = strchr(scheme + 3, '/');
	at = memchr(scheme + 3, '@', slash ? (size_t)(slash - scheme - 3) : strlen(scheme + 3));
	if (!at || at == scheme + 3)
		return xstrdup(text);
	n = (size_t)(at + 1 - (scheme + 3));	/* "user:password@" */
	for (const char *p = text; *p;) {
		if (!strncmp(p, scheme + 3, n)) {
			buf_puts(&b, "***@");
			p += n;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_detach(&b);
}

int batch_parse_shard(unsigned *k, unsigned *n, const char *s, struct err *err)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b;

	if (end == s || *end != '/')
		return err_set(err, "invalid shard '%s' (expected K/N, e.g. 2/8)", s);
	b = strtoul(end + 1, &end, 10);
	if (*end || !a || !b || a > b || b > 100000)
		return err_set(err, "invalid shard '%s' (expected K/N with 1 <= K <= N)", s);
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

unsigned batch_shard_of(const char *source, unsigned n)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)source; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return (unsigned)(h % n) + 1;
}

static bool is_url(const char *s)
{
	const char *colon = strchr(s, ':'), *slash = strchr(s, '/');

	if (strstr(s, "://"))
		return true;
	/* scp-like [user@]host:path, as git reads it: a colon before any slash */
	return colon && colon - s > 1 && (!slash || colon < slash) && access(s, F_OK) != 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes `path` and everything below it, if it exists. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The folder a URL is cloned into: its last path part and a hash. */
static char *clone_dir(const char *workdir, const char *url)
{
	const char *end = url + strlen(url), *start;
	struct buf b = BUF_INIT;
	size_t n;

	while (end > url && end[-1] == '/')
		end--;
	start = end;
	while (start > url && start[-1] != '/' && start[-1] != ':')
		start--;
	n = (size_t)(end - start);
	if (n > 4 && !strncmp(end - 4, ".git", 4))
		n -= 4;
	buf_printf(&b, "%s/", workdir);
	for (size_t i = 0; i < n && i < 64; i++) {
		char c = start[i];

		buf_putc(&b, (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ? c : '_'));
	}
	buf_printf(&b, "-%08x", batch_shard_of(url, 0xffffffffu));
	return buf_detach(&b);
}

/* Brings an earlier clone up to date with its origin. */
static int refresh_clone(const char *dir, struct err *err)
{
	git_repository *repo = NULL;
	git_remote *origin = NULL;
	git_reference *head = NULL, *upstream = NULL;
	git_object *target = NULL;
	int error = 0;

	if (git_repository_open(&repo, dir) < 0)
		return repo_git_error(err, "unable to open the earlier clone");
	if (git_remote_lookup(&origin, repo, "origin") < 0 || git_remote_fetch(origin, NULL, NULL, NULL) < 0) {
		error = repo_git_error(err, "fetch failed");
		goto done;
	}
	if (git_repository_head(&head, repo) == 0 && git_branch_upstream(&upstream, head) == 0 &&
	    git_reference_peel(&target, upstream, GIT_OBJECT_COMMIT) == 0 &&
	    git_reset(repo, target, GIT_RESET_HARD, NULL) < 0)
		error = repo_git_error(err, "unable to update the earlier clone");
done:
	git_object_free(target);
	git_reference_free(upstream);
	git_reference_free(head);
	git_remote_free(origin);
	git_repository_free(repo);
	return error;
}

/* True when a tracked file differs from HEAD (untracked files do not count). */
static int repo_dirty(const char *dir, bool *dirty, struct err *err)
{
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	git_status_options opts;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_repository_open(&repo, dir) < 0)
		return repo_git_error(err, "not a git repository");
	if (git_status_list_new(&list, repo, &opts) < 0) {
		git_repository_free(repo);
		return repo_git_error(err, "unable to read the status");
	}
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	git_repository_free(repo);
	return 0;
}

/* What the push of one branch knows: the commit pushed, the migration's
 * base, and why it refused, for the negotiation callback. */
struct push_state {
	git_repository *repo;
	const char *branch;
	git_oid ours;		/* the commit to push */
	git_oid base;		/* its parent: the HEAD the migration was built on */
	const char *message;	/* --message, or NULL */
	bool force;		/* --force-branch */
	struct buf problem;	/* why the push was refused, when it was */
};

/* Called with what the remote holds just before it is updated: a branch
 * there that holds someone else's commit is not replaced (unless
 * --force-branch). The commit was fetched just before, so it can be
 * judged; one that moved meanwhile is unknown here and refused too. */
static int push_negotiate(const git_push_update **updates, size_t len, void *payload)
{
	struct push_state *ps = payload;

	for (size_t i = 0; i < len; i++) {
		const git_oid *there = &updates[i]->src;
		git_commit *c = NULL;

		if (ps->force || git_oid_is_zero(there) || git_oid_equal(there, &ps->ours) ||
		    repo_commit_is_own(ps->repo, there, &ps->base, ps->message))
			continue;
		if (git_commit_lookup(&c, ps->repo, there) < 0)
			buf_printf(&ps->problem, "not pushed: origin's branch '%s' is at a commit "
				   "that could not be fetched to judge it (it moved, or the fetch "
				   "failed): run again, or use --force-branch to replace it",
				   ps->branch);
		else
			buf_printf(&ps->problem, "not pushed: origin's branch '%s' holds commits "
				   "asyncmod did not make (use --force-branch to replace it)",
				   ps->branch);
		git_commit_free(c);
		return -1;
	}
	return 0;
}

/* A reference the remote refused (a protected branch, a hook there). */
static int push_refused(const char *refname, const char *status, void *payload)
{
	struct push_state *ps = payload;

	if (status && !ps->problem.len)
		buf_printf(&ps->problem, "not pushed: the remote refused %s: %s", refname, status);
	return 0;
}

/* Pushes the branch holding `commit` (hex) to origin, replacing what is
 * there only when it is asyncmod's own migration (or with `force`). */
static int push_branch(const char *branch, const char *commit, const char *message, bool force,
		       struct err *err)
{
	struct push_state ps = { NULL, branch, { { 0 } }, { { 0 } }, message, force, BUF_INIT };
	git_remote *origin = NULL;
	git_commit *c = NULL;
	git_push_options opts;
	git_fetch_options fopts;
	struct buf spec = BUF_INIT, track = BUF_INIT;
	char *specs[1];
	git_strarray refspecs = { specs, 1 };
	int error = 0;

	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	git_fetch_options_init(&fopts, GIT_FETCH_OPTIONS_VERSION);
	if (git_repository_open(&ps.repo, ".") < 0 || git_remote_lookup(&origin, ps.repo, "origin") < 0) {
		error = repo_git_error(err, "no remote 'origin' to push to");
		goto done;
	}
	if (git_oid_fromstr(&ps.ours, commit) < 0 || git_commit_lookup(&c, ps.repo, &ps.ours) < 0 ||
	    git_commit_parentcount(c) != 1) {
		error = err_set(err, "not pushed: the commit %.12s is not a migration commit", commit);
		goto done;
	}
	git_oid_cpy(&ps.base, git_commit_parent_id(c, 0));
	/* what origin holds now, so that it can be judged: a branch it does
	 * not have is no error (the negotiation then sees none) */
	buf_printf(&track, "+refs/heads/%s:refs/remotes/origin/%s", branch, branch);
	specs[0] = track.ptr;
	if (!force)
		(void)git_remote_fetch(origin, &refspecs, &fopts, NULL);
	buf_printf(&spec, "+refs/heads/%s:refs/heads/%s", branch, branch);
	specs[0] = spec.ptr;
	opts.callbacks.push_negotiation = push_negotiate;
	opts.callbacks.push_update_reference = push_refused;
	opts.callbacks.payload = &ps;
	if (git_remote_push(origin, &refspecs, &opts) < 0 || ps.problem.len) {
		if (ps.problem.len)
			error = err_set(err, "%s", buf_cstr(&ps.problem));
		else
			error = repo_git_error(err, "push failed");
	}
done:
	git_commit_free(c);
	git_remote_free(origin);
	git_repository_free(ps.repo);
	buf_release(&spec);
	buf_release(&track);
	buf_release(&ps.problem);
	return error;
}

static json_object *counts_object(const size_t *counts)
{
	json_object *o = json_object_new_object();

	for (size_t t = 0; counts && t < transform_count; t++)
		if (counts[t])
			json_object_object_add(o, transform_table[t]->code,
					       json_object_new_int64((int64_t)counts[t]));
	return o;
}

/* The "asyncmod: error:" lines a worker's run printed, one entry each. */
static json_object *error_lines(FILE *errs, const char *url)
{
	json_object *a = json_object_new_array();
	char line[2048];

	if (!errs)
		return a;
	rewind(errs);
	while (fgets(line, sizeof(line), errs)) {
		char *safe;

		if (strncmp(line, "asyncmod: error: ", 17))
			continue;
		line[strcspn(line, "\n")] = '\0';
		safe = redact_in(line + 17, url);
		json_object_array_add(a, json_object_new_string(safe));
		free(safe);
	}
	return a;
}

static void print_errors(FILE *errs, json_object *record, const struct manifest_entry *e)
{
	json_object *a;

	if (!json_object_object_get_ex(record, "errors", &a) || !json_object_is_type(a, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		fprintf(errs, "asyncmod: error: %s: %s\n", e->display,
			json_object_get_string(json_object_array_get_idx(a, i)));
}

/* One repository's worker: what its record needs besides the run. */
struct worker {
	const struct batch_options *o;
	const struct manifest_entry *e;
	const char *record;	/* the file its record goes to */
	bool pushed;		/* the branch reached origin in this run */
	const char *push_reason;	/* why it did not, when known */
	struct forge_result pr;		/* --create-pr: the pull request opened */
	const char *pr_reason;		/* why there is none, when known */
};

/* Why the branch was not pushed, when nothing more precise is known. */
static const char *no_push_reason(const struct worker *w, const char *status,
				  const struct engine_summary *s)
{
	if (w->push_reason)
		return w->push_reason;
	if (!w->o->push)
		return "not asked (no --push)";
	if (w->o->dry_run)
		return "dry run";
	if (!strcmp(status, "failed"))
		return "the repository failed";
	if (!strcmp(status, "skipped"))
		return "the repository was skipped";
	if (!s || !s->commit[0])
		return "no commit to push";
	return "not pushed";
}

/* Writes the worker's record and exits. */
static void finish_worker(const struct worker *w, const char *status, const char *reason,
			  const struct engine_summary *s, size_t file_errors, FILE *errs)
{
	const struct manifest_entry *e = w->e;
	json_object *o = json_object_new_object();
	char *safe = reason ? redact_in(reason, e->source) : NULL;
	char *push_safe = w->pushed ? NULL : redact_in(no_push_reason(w, status, s), e->source);
	FILE *f;

	json_object_object_add(o, "repository", json_object_new_string(e->display));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "reason", safe ? json_object_new_string(safe) : NULL);
	json_object_object_add(o, "files_changed",
			       json_object_new_int64(s ? (int64_t)s->files_changed : 0));
	json_object_object_add(o, "fixes", counts_object(s ? s->fixed : NULL));
	json_object_object_add(o, "findings_left", counts_object(s ? s->remaining : NULL));
	json_object_object_add(o, "file_errors", json_object_new_int64((int64_t)file_errors));
	json_object_object_add(o, "branch",
			       s && s->branch[0] ? json_object_new_string(s->branch) : NULL);
	json_object_object_add(o, "commit",
			       s && s->commit[0] ? json_object_new_string(s->commit) : NULL);
	json_object_object_add(o, "pushed", json_object_new_boolean(w->pushed));
	json_object_object_add(o, "push_reason",
			       push_safe ? json_object_new_string(push_safe) : NULL);
	json_object_object_add(o, "errors", error_lines(errs, e->source));
	if (w->o->create_pr)
		forge_record(o, &w->pr, w->pr_reason ? w->pr_reason : "the branch was not pushed");
	f = fopen(w->record, "w");
	if (f) {
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		fclose(f);
	}
	json_object_put(o);
	free(safe);
	free(push_safe);
	_exit(0);
}

/* The work of one repository, in its own process. */
static void run_worker(const struct batch_options *o, const struct manifest_entry *e, const char *record,
		       const char *diff_path)
{
	struct worker w = { .o = o, .e = e, .record = record };
	struct engine_options opts = o->check;
	struct buf partial = BUF_INIT;
	struct engine_summary summary;
	struct err err = ERR_INIT;
	char *dir = NULL, *paths[64];
	size_t npaths = 0;
	FILE *out, *errs;
	int status = 0;
	bool dirty = false;

	memset(&summary, 0, sizeof(summary));
	git_libgit2_init();
	if (is_url(e->source)) {
		struct stat st;

		dir = clone_dir(o->workdir, e->source);
		if (stat(dir, &st) == 0) {
			if (refresh_clone(dir, &err) < 0)
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
		} else {
			git_repository *repo = NULL;

			if (mkdir(o->workdir, 0777) < 0 && errno != EEXIST) {
				err_errno(&err, "unable to create the work folder '%s'", o->workdir);
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
			}
			/* cloned aside and moved in whole: a clone that fails or is
			 * killed leaves no folder that a later run would take for
			 * an empty repository */
			buf_printf(&partial, "%s.partial", dir);
			remove_tree(partial.ptr);
			if (git_clone(&repo, e->source, partial.ptr, NULL) < 0) {
				repo_git_error(&err, "clone failed");
				remove_tree(partial.ptr);
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
			}
			git_repository_free(repo);
			if (rename(partial.ptr, dir) < 0) {
				err_errno(&err, "unable to move the clone into '%s'", dir);
				remove_tree(partial.ptr);
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
			}
			buf_release(&partial);
		}
	} else {
		git_repository *repo = NULL;

		dir = xstrdup(e->source);
		if (git_repository_open(&repo, dir) < 0) {
			repo_git_error(&err, "not a git repository");
			finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
		}
		if (git_repository_is_bare(repo)) {
			git_repository_free(repo);
			finish_worker(&w, "skipped", "bare repository: no work tree", NULL, 0, NULL);
		}
		git_repository_free(repo);
		if (repo_dirty(dir, &dirty, &err) < 0)
			finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
		if (dirty && !o->check.allow_dirty)
			finish_worker(&w, "skipped",
				      "uncommitted changes (use --allow-dirty)", NULL, 0, NULL);
	}
	if (chdir(dir) < 0) {
		err_errno(&err, "unable to enter '%s'", dir);
		finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
	}
	{
		git_repository *repo = NULL;
		bool unborn = git_repository_open(&repo, ".") == 0 &&
			      git_repository_head_unborn(repo) == 1;

		git_repository_free(repo);
		if (unborn)
			finish_worker(&w, "skipped", "the repository has no commits", NULL, 0, NULL);
	}
	if (e->paths) {
		char *copy = xstrdup(e->paths), *save = NULL;

		for (char *p = strtok_r(copy, ",", &save); p && npaths < 64;
		     p = strtok_r(NULL, ",", &save))
			paths[npaths++] = xstrdup(p);
		free(copy);
		opts.paths = paths;
		opts.npaths = npaths;
		opts.default_paths = false;
	} else {
		static char *dot[] = { ".", NULL };

		opts.paths = dot;
		opts.npaths = 1;
		opts.default_paths = true;
	}
	if (e->branch)
		opts.branch = e->branch;
	opts.quiet = true;
	opts.no_report = true;
	opts.format = FORMAT_TEXT;
	opts.color = false;
	opts.jobs = 1;
	opts.summary = &summary;
	opts.keep_same = true;
	opts.mode = MODE_FIX;
	opts.commit = true;
	opts.dry_commit = o->dry_run;
	opts.allow_dirty = true;	/* dirt was judged above, per repository */
	out = fopen(o->dry_run ? diff_path : "/dev/null", "w");
	errs = tmpfile();
	if (!out || !errs)
		finish_worker(&w, "failed", "unable to open scratch files", NULL, 0, NULL);
	if (engine_check(&opts, out, errs, &status, &err) < 0) {
		fclose(out);
		finish_worker(&w, "failed", err.msg, &summary, 0, errs);
	}
	fclose(out);
	if (summary.commit_failed) {
		/* the commit itself failed: its message is the last error line */
		char line[1024] = "", last[1024] = "the commit failed";

		rewind(errs);
		while (fgets(line, sizeof(line), errs))
			if (!strncmp(line, "asyncmod: error: ", 17))
				snprintf(last, sizeof(last), "%s", line + 17);
		last[strcspn(last, "\n")] = '\0';
		finish_worker(&w, "failed", last, &summary, summary.errors, errs);
	}
	if (o->push && !o->dry_run && summary.commit[0]) {
		if (push_branch(summary.branch, summary.commit, o->check.message,
				o->check.force_branch, &err) < 0) {
			w.push_reason = err.msg;
			finish_worker(&w, "failed", err.msg, &summary, summary.errors, errs);
		}
		w.pushed = true;
		if (o->create_pr && forge_batch_pr(o->forge, &summary, o->check.message, o->draft,
						   &w.pr, &err) < 0) {
			char why[ERR_MSG_MAX + 32];

			snprintf(why, sizeof(why), "pull request not opened: %s", err.msg);
			w.pr_reason = why;
			finish_worker(&w, "failed", why, &summary, summary.errors, errs);
		}
	}
	if (o->dry_run)
		finish_worker(&w, summary.files_changed && !summary.unchanged ? "changed" : "unchanged",
			      summary.errors ? "some files could not be checked (see errors)" : NULL,
			      &summary, summary.errors, errs);
	finish_worker(&w, summary.commit[0] && !summary.unchanged ? "changed" : "unchanged",
		      summary.errors ? "some files could not be checked (see errors)" : NULL,
		      &summary, summary.errors, errs);
}

static void progress(FILE *errs, bool tty, size_t done, size_t total)
{
	int width = 30, filled;

	if (!tty || !total)
		return;
	filled = (int)(done * (size_t)width / total);
	fprintf(errs, "\r[%.*s%*s] %zu/%zu repositories", filled,
		"##############################", width - filled, "", done, total);
	if (done == total)
		fputc('\n', errs);
	fflush(errs);
}

static json_object *read_record(const char *path)
{
	return json_object_from_file(path);
}

static int64_t sum_counts(json_object *record, const char *key)
{
	json_object *v;
	int64_t sum = 0;

	if (!json_object_object_get_ex(record, key, &v) || !json_object_is_type(v, json_type_object))
		return 0;
	{
		json_object_object_foreach(v, name, count) {
			(void)name;
			sum += json_object_get_int64(count);
		}
	}
	return sum;
}

static void print_table(FILE *out, json_object **records, size_t n)
{
	size_t counts[4] = { 0 };
	static const char *const names[] = { "changed", "unchanged", "skipped", "failed" };

	fprintf(out, "%-40s %-9s %5s %5s %5s  %s\n", "repository", "status", "files", "fixes",
		"left", "branch / reason");
	for (size_t i = 0; i < n; i++) {
		json_object *r = records[i], *v;
		const char *status = "failed", *detail = "";
		int64_t fixes = 0, left = 0;

		if (json_object_object_get_ex(r, "status", &v))
			status = json_object_get_string(v);
		fixes = sum_counts(r, "fixes");
		left = sum_counts(r, "findings_left");
		if ((json_object_object_get_ex(r, "reason", &v) && v) ||
		    (json_object_object_get_ex(r, "pr_url", &v) && v) ||
		    (json_object_object_get_ex(r, "branch", &v) && v))
			detail = json_object_get_string(v);
		{
			json_object *name = NULL, *files = NULL;

			json_object_object_get_ex(r, "repository", &name);
			json_object_object_get_ex(r, "files_changed", &files);
			fprintf(out, "%-40s %-9s %5lld %5lld %5lld  %s\n",
				name ? json_object_get_string(name) : "?", status,
				(long long)(files ? json_object_get_int64(files) : 0),
				(long long)fixes, (long long)left, detail);
		}
		for (int s = 0; s < 4; s++)
			counts[s] += !strcmp(status, names[s]);
	}
	fprintf(out, "%zu repositor%s: %zu changed, %zu unchanged, %zu skipped, %zu failed\n", n,
		n == 1 ? "y" : "ies", counts[0], counts[1], counts[2], counts[3]);
}

/* The signal that interrupted a run, for the parent's wait loop: the one
 * piece of process-wide state here, as only a handler can set it. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* While workers run, INT, TERM and HUP interrupt the wait (no restart). */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], &sa, NULL);
}

static void reset_signals(void)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		signal(stop_signals[i], SIG_DFL);
}

/* Removes the scratch folder and the records and diffs in it. */
static void remove_scratch(const char *tmp, size_t n)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%zu.json", tmp, i);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%zu.diff", tmp, i);
		unlink(path);
	}
	rmdir(tmp);
}

int batch_run(const struct batch_options *o, FILE *out, FILE *errs, int *status,
	      struct err *err)
{
	struct vec entries = VEC_INIT(struct manifest_entry), picked = VEC_INIT(size_t);
	struct vec failed = VEC_INIT(char *);
	json_object **records = NULL;
	char tmp[PATH_MAX / 2] = "";
	pid_t parent = getpid();
	size_t running = 0, next = 0, finished = 0;
	bool tty = isatty(fileno(errs)), any_left = false, any_bad = false;
	int jobs = o->jobs > 0 ? o->jobs : engine_default_jobs();
	FILE *report = NULL;
	char config_abs[PATH_MAX] = "";
	struct batch_options local = *o;
	int error = 0;

	if (o->check.config_path && o->check.config_path[0] != '/' &&
	    !realpath(o->check.config_path, config_abs)) {
		error = err_errno(err, "%s: unable to find the configuration", o->check.config_path);
		goto done;
	}
	if ((error = manifest_read(&entries, o->manifest, err)) < 0)
		goto done;
	if (o->retry_failed && (error = manifest_read_failed(&failed, o->retry_failed, err)) < 0)
		goto done;
	for (size_t i = 0; i < entries.len; i++) {
		struct manifest_entry *e = vec_at(&entries, i);
		bool keep = !o->shard_n || batch_shard_of(e->source, o->shard_n) == o->shard_k;

		if (keep && o->retry_failed) {
			keep = false;
			for (size_t k = 0; k < failed.len && !keep; k++)
				keep = !strcmp(*(char **)vec_at(&failed, k), e->display);
		}
		if (keep)
			*(size_t *)vec_push(&picked) = i;
	}
	if (o->report && !(report = fopen(o->report, "w"))) {
		error = err_errno(err, "%s: unable to write the report", o->report);
		goto done;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/asyncmod-batch.XXXXXX",
			     getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp") >=
	    sizeof(tmp)) {
		error = err_set(err, "TMPDIR is too long");
		goto done;
	}
	if (!mkdtemp(tmp)) {
		error = err_errno(err, "unable to create a temporary folder");
		goto done;
	}
	catch_signals();
	records = xcalloc(picked.len ? picked.len : 1, sizeof(*records));
	fflush(out);
	fflush(errs);
	progress(errs, tty, 0, picked.len);
	while (finished < picked.len) {
		while (running < (size_t)jobs && next < picked.len) {
			struct manifest_entry *e = vec_at(&entries, *(size_t *)vec_at(&picked, next));
			char record[PATH_MAX], diff[PATH_MAX];
			pid_t pid;

			snprintf(record, sizeof(record), "%s/%zu.json", tmp, next);
			snprintf(diff, sizeof(diff), "%s/%zu.diff", tmp, next);
			if (config_abs[0])
				local.check.config_path = config_abs;
			pid = fork();
			if (pid == 0) {
				/* a worker dies with its parent, however the parent ends */
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				if (getppid() != parent)
					_exit(1);
				reset_signals();
				run_worker(&local, e, record, diff);
			}
			if (pid < 0) {
				error = err_errno(err, "unable to start a worker");
				goto wait_all;
			}
			e->pid = pid;
			running++;
			next++;
		}
		{
			int ws;
			pid_t pid = waitpid(-1, &ws, 0);

			if (pid < 0 && errno == EINTR && !stop_signal)
				continue;
			if (pid < 0)
				break;
			running--;
			finished++;
			progress(errs, tty, finished, picked.len);
		}
	}
wait_all:
	if (stop_signal) {
		/* interrupted: the workers stop, the scratch folder goes, and the
		 * signal ends this process as it would have */
		for (size_t i = 0; i < picked.len; i++) {
			struct manifest_entry *e = vec_at(&entries, *(size_t *)vec_at(&picked, i));

			if (e->pid > 0)
				kill(e->pid, SIGTERM);
		}
		while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
			;
		remove_scratch(tmp, picked.len);
		reset_signals();
		raise(stop_signal);
		_exit(128 + stop_signal);
	}
	while (running > 0 && waitpid(-1, NULL, 0) > 0)
		running--;
	if (error < 0)
		goto done;
	for (size_t i = 0; i < picked.len; i++) {
		struct manifest_entry *e = vec_at(&entries, *(size_t *)vec_at(&picked, i));
		char record[PATH_MAX], diff[PATH_MAX];
		json_object *r, *v;
		const char *st;

		snprintf(record, sizeof(record), "%s/%zu.json", tmp, i);
		snprintf(diff, sizeof(diff), "%s/%zu.diff", tmp, i);
		r = read_record(record);
		if (!r) {
			r = json_object_new_object();
			json_object_object_add(r, "repository", json_object_new_string(e->display));
			json_object_object_add(r, "status", json_object_new_string("failed"));
			/* the record every repository has, with what is known */
			json_object_object_add(r, "reason", json_object_new_string("the worker died"));
			json_object_object_add(r, "files_changed", json_object_new_int64(0));
			json_object_object_add(r, "fixes", json_object_new_object());
			json_object_object_add(r, "findings_left", json_object_new_object());
			json_object_object_add(r, "file_errors", json_object_new_int64(0));
			json_object_object_add(r, "branch", NULL);
			json_object_object_add(r, "commit", NULL);
			json_object_object_add(r, "pushed", json_object_new_boolean(false));
			json_object_object_add(r, "push_reason",
					       json_object_new_string("the worker died"));
			json_object_object_add(r, "errors", json_object_new_array());
			if (o->create_pr)
				forge_record(r, NULL, "the worker died");
		}
		records[i] = r;
		st = json_object_object_get_ex(r, "status", &v) ? json_object_get_string(v) : "failed";
		any_bad |= !strcmp(st, "failed") || !strcmp(st, "skipped");
		if (json_object_object_get_ex(r, "findings_left", &v) && json_object_object_length(v))
			any_left = true;
		if (json_object_object_get_ex(r, "file_errors", &v) && json_object_get_int64(v))
			any_left = true;
		if (o->dry_run) {
			struct buf whole = BUF_INIT;
			FILE *d = fopen(diff, "r");
			char chunk[8192];
			size_t n;

			if (d) {
				while ((n = fread(chunk, 1, sizeof(chunk), d)) > 0)
					buf_add(&whole, chunk, n);
				fclose(d);
			}
			if (whole.len) {
				/* git apply skips lines before the first diff header */
				char *safe = redact_in(whole.ptr, e->source);

				fprintf(out, "# repository: %s\n%s", e->display, safe);
				free(safe);
			}
			buf_release(&whole);
		}
		print_errors(errs, r, e);
		if (report) {
			fputs(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE),
			      report);
			fputc('\n', report);
		}
		unlink(record);
		unlink(diff);
	}
	print_table(out, records, picked.len);
	*status = any_bad ? ENGINE_TROUBLE : any_left ? ENGINE_FINDINGS : ENGINE_CLEAN;
done:
	reset_signals();
	if (tmp[0])
		rmdir(tmp);
	if (report)
		fclose(report);
	for (size_t i = 0; records && i < picked.len; i++)
		json_object_put(records[i]);
	free(records);
	for (size_t i = 0; i < entries.len; i++)
		manifest_entry_release(vec_at(&entries, i));
	for (size_t i = 0; i < failed.len; i++)
		free(*(char **)vec_at(&failed, i));
	vec_release(&entries);
	vec_release(&picked);
	vec_release(&failed);
	return error;
}
