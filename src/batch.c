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
#include "remote.h"
#include "repo.h"
#include "url.h"
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
	return url_redact(url);
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

/* A URL, as git tells one from a path: an existing file of that name is a
 * path. */
static bool is_url(const char *s)
{
	return strstr(s, "://") || (url_is_remote(s) && access(s, F_OK) != 0);
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

/* The folder a URL is cloned into: the last path part and a hash of the
 * URL without its credentials (which no folder name may show). */
static char *clone_dir(const char *workdir, const char *source)
{
	struct url u;
	const char *url, *end, *start;
	struct buf b = BUF_INIT;
	size_t n;

	url_parse(&u, source);
	url = u.clean;
	end = url + strlen(url);

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
	url_release(&u);
	return buf_detach(&b);
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
		safe = url_redact_text(line + 17, url);
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
	char *safe = reason ? url_redact_text(reason, e->source) : NULL;
	char *push_safe = w->pushed ? NULL : url_redact_text(no_push_reason(w, status, s), e->source);
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
	bool dirty = false, remote = is_url(e->source);

	memset(&summary, 0, sizeof(summary));
	git_libgit2_init();
	if (remote) {
		struct stat st;

		dir = clone_dir(o->workdir, e->source);
		if (stat(dir, &st) == 0) {
			if (remote_refresh(e->source, dir, o->git_timeout, &err) < 0)
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
		} else {
			if (mkdir(o->workdir, 0777) < 0 && errno != EEXIST) {
				err_errno(&err, "unable to create the work folder '%s'", o->workdir);
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
			}
			/* cloned aside and moved in whole: a clone that fails or is
			 * killed leaves no folder that a later run would take for
			 * an empty repository */
			buf_printf(&partial, "%s.partial", dir);
			remove_tree(partial.ptr);
			if (remote_clone(e->source, partial.ptr, o->git_timeout, &err) < 0) {
				remove_tree(partial.ptr);
				finish_worker(&w, "failed", err.msg, NULL, 0, NULL);
			}
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
		if (remote_push(remote ? e->source : NULL, summary.branch,
				summary.commit, o->check.message, o->check.force_branch,
				o->git_timeout, &err) < 0) {
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
	char **places = NULL;
	char tmp[PATH_MAX / 2] = "";
	pid_t parent = getpid();
	size_t running = 0, next = 0, finished = 0;
	bool tty = isatty(fileno(errs)), any_left = false, any_bad = false;
	int jobs = o->jobs > 0 ? o->jobs : engine_default_jobs();
	FILE *report = NULL;
	int error = 0;

	/* a relative --config is read by each worker from its repository's
	 * top, its current folder */
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
	/* the folder each worker works in: two lines naming one repository
	 * (a URL with other credentials, a path written twice) take turns */
	places = xcalloc(picked.len ? picked.len : 1, sizeof(*places));
	for (size_t i = 0; i < picked.len; i++) {
		struct manifest_entry *e = vec_at(&entries, *(size_t *)vec_at(&picked, i));
		char real[PATH_MAX];

		places[i] = is_url(e->source) ? clone_dir(o->workdir, e->source) :
			    xstrdup(realpath(e->source, real) ? real : e->source);
	}
	while (finished < picked.len) {
		while (running < (size_t)jobs && next < picked.len) {
			struct manifest_entry *e = vec_at(&entries, *(size_t *)vec_at(&picked, next));
			char record[PATH_MAX], diff[PATH_MAX];
			bool busy = false;
			pid_t pid;

			for (size_t k = 0; k < next && !busy; k++) {
				struct manifest_entry *r = vec_at(&entries, *(size_t *)vec_at(&picked, k));

				busy = r->pid > 0 && !r->done && !strcmp(places[k], places[next]);
			}
			if (busy)
				break;	/* after the worker in that folder */
			snprintf(record, sizeof(record), "%s/%zu.json", tmp, next);
			snprintf(diff, sizeof(diff), "%s/%zu.diff", tmp, next);
			pid = fork();
			if (pid == 0) {
				/* a worker dies with its parent, however the parent ends */
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				if (getppid() != parent)
					_exit(1);
				reset_signals();
				run_worker(o, e, record, diff);
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
			for (size_t k = 0; k < next; k++) {
				struct manifest_entry *r = vec_at(&entries, *(size_t *)vec_at(&picked, k));

				if (r->pid == pid)
					r->done = true;
			}
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
				char *safe = url_redact_text(whole.ptr, e->source);

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
	for (size_t i = 0; places && i < picked.len; i++)
		free(places[i]);
	free(places);
	for (size_t i = 0; i < entries.len; i++)
		manifest_entry_release(vec_at(&entries, i));
	for (size_t i = 0; i < failed.len; i++)
		free(*(char **)vec_at(&failed, i));
	vec_release(&entries);
	vec_release(&picked);
	vec_release(&failed);
	return error;
}
