/*
 * engine: running `check` over many files with a pool of workers.
 *
 * Workers take the next file index from a shared counter and store each
 * result in its slot, so the sinks see results in walk order no matter
 * which thread finished first.
 */
#include "engine.h"
#include "config.h"
#include "query.h"
#include "repo.h"
#include "report.h"
#include "review.h"
#include "diff.h"
#include "suppress.h"
#include "walk.h"
#include "../transforms/table.h"

#include <git2.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int engine_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

static int list_check_at(const char *list, const char *where, unsigned line, struct err *err);

static bool code_matches(const char *code, const char *sel, size_t len)
{
	return len && (len <= strlen(code)) && !strncasecmp(code, sel, len);
}

static int list_check(const char *list, struct err *err)
{
	return list_check_at(list, NULL, 0, err);
}

/* Checks every selector of a comma-separated list; `where`/`line` name the
 * configuration file it came from, if any. */
static int list_check_at(const char *list, const char *where, unsigned line, struct err *err)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		bool any = false;

		while (len && (*p == ' '))
			p++, len--;
		for (size_t i = 0; i < transform_count && len; i++)
			any |= code_matches(transform_table[i]->code, p, len) ||
			       (len == 3 && !strncasecmp(p, "ALL", 3));
		if (len && !any && where)
			return err_set(err, "%s:%u: unknown rule selector '%.*s'", where, line,
				       (int)len, p);
		if (len && !any)
			return err_set(err, "unknown rule selector '%.*s'", (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static bool list_has(const char *list, const char *code)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		while (len && *p == ' ')
			p++, len--;
		if (code_matches(code, p, len) || (len == 3 && !strncasecmp(p, "ALL", 3)))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

int engine_select(struct vec *out, const char *select, const char *ignore, struct err *err)
{
	if (list_check(select, err) < 0 || list_check(ignore, err) < 0)
		return -1;
	for (size_t i = 0; i < transform_count; i++) {
		const struct transform *t = transform_table[i];

		if ((select && !list_has(select, t->code)) || (ignore && list_has(ignore, t->code)))
			continue;
		*(const struct transform **)vec_push(out) = t;
	}
	return 0;
}

struct pool {
	const struct pipeline_config *config;
	char **files;
	const struct file_settings *settings;
	struct file_result *results;
	size_t nfiles;
	size_t next;		/* shared: the next file to take */
	/* --commit: files are read from HEAD, the fixed texts kept */
	struct repo *repo;
	struct buf *fixed;
	struct buf *heads;	/* HEAD's texts, kept for a dry commit's diff */
	unsigned *modes;
	pthread_mutex_t lock;	/* libgit2 object reads, one at a time */
};

/* --commit: runs file `i` on its content in HEAD. */
static void run_from_head(struct pool *p, struct pipeline_worker *w, size_t i)
{
	struct buf text = BUF_INIT;
	struct err err = ERR_INIT;
	bool found = false;
	int rc;

	pthread_mutex_lock(&p->lock);
	rc = repo_head_content(p->repo, p->files[i], &text, &p->modes[i], &found, &err);
	pthread_mutex_unlock(&p->lock);
	if (rc < 0 || !found) {
		memset(&p->results[i], 0, sizeof(p->results[i]));
		p->results[i].path = xstrdup(p->files[i]);
		p->results[i].findings = (struct vec)VEC_INIT(struct finding);
		if (rc < 0)
			p->results[i].error = xstrdup(err.msg);
		else
			p->results[i].untracked = true;
		buf_release(&text);
		return;
	}
	pipeline_run_text(w, p->files[i], text.ptr ? text.ptr : "", text.len, &p->settings[i],
			  &p->results[i], &p->fixed[i]);
	if (p->results[i].fixed == 0)
		buf_release(&p->fixed[i]);
	if (p->heads && p->fixed[i].len)
		p->heads[i] = text;
	else
		buf_release(&text);
}

static void *pool_work(void *arg)
{
	struct pool *p = arg;
	struct pipeline_worker *w = pipeline_worker_new(p->config);

	for (;;) {
		size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);

		if (i >= p->nfiles)
			break;
		if (p->repo)
			run_from_head(p, w, i);
		else
			pipeline_run(w, p->files[i], &p->settings[i], &p->results[i]);
	}
	pipeline_worker_free(w);
	return NULL;
}

static void pool_run(struct pool *p, int jobs)
{
	pthread_t *threads;
	int started = 0;

	pthread_mutex_init(&p->lock, NULL);
	if (jobs <= 1 || p->nfiles <= 1) {
		pool_work(p);
		pthread_mutex_destroy(&p->lock);
		return;
	}
	if ((size_t)jobs > p->nfiles)
		jobs = (int)p->nfiles;
	threads = xcalloc((size_t)jobs, sizeof(*threads));
	for (int i = 0; i < jobs; i++)
		if (!pthread_create(&threads[i], NULL, pool_work, p))
			started++;
		else
			break;
	if (!started)
		pool_work(p);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	pthread_mutex_destroy(&p->lock);
}

static const char **collect_tokens(const bool *any_enabled)
{
	struct vec toks = VEC_INIT(const char *);

	for (size_t i = 0; i < transform_count; i++) {
		const struct transform *t = transform_table[i];

		for (size_t k = 0; any_enabled[i] && t->tokens && t->tokens[k]; k++)
			*(const char **)vec_push(&toks) = t->tokens[k];
	}
	*(const char **)vec_push(&toks) = NULL;
	return toks.items;
}

static int check_config(const struct config *c, void *arg, struct err *err)
{
	(void)arg;
	if (c->select && list_check_at(c->select, c->path, c->select_line, err) < 0)
		return -1;
	if (c->ignore && list_check_at(c->ignore, c->path, c->ignore_line, err) < 0)
		return -1;
	for (size_t i = 0; i < c->per_file.len; i++) {
		const struct config_ignore *pi = vec_at(&c->per_file, i);

		if (list_check_at(pi->codes, c->path, pi->line, err) < 0)
			return -1;
	}
	return 0;
}

static bool is_explicit(const struct engine_options *opts, const char *file)
{
	for (size_t i = 0; i < opts->npaths; i++) {
		const char *p = opts->paths[i];

		while (p[0] == '.' && p[1] == '/' && p[2])
			p += 2;
		if (!strcmp(p, file))
			return true;
	}
	return false;
}

/* One file's settings: the command line wins over its configuration. */
static void settle(struct file_settings *fs, bool *mask, const struct engine_options *opts,
		   const struct config *c, const char *file)
{
	const char *select = opts->select ? opts->select : c ? c->select : NULL;
	struct buf ignore = BUF_INIT;
	int target = opts->target_minor;

	if (opts->ignore)
		buf_puts(&ignore, opts->ignore);
	else if (c && c->ignore)
		buf_puts(&ignore, c->ignore);
	config_file_ignores(c, file, &ignore);
	for (size_t i = 0; i < transform_count; i++) {
		const char *code = transform_table[i]->code;

		mask[i] = (!select || list_has(select, code)) &&
			  !(ignore.len && list_has(ignore.ptr, code));
	}
	if (!target && c)
		target = c->target_minor ? c->target_minor : c->requires_minor;
	if (!target)
		target = 11;
	if (target < PY_MIN_MINOR)
		target = PY_MIN_MINOR;
	if (target > PY_MAX_MINOR)
		target = PY_MAX_MINOR;
	fs->enabled = mask;
	fs->target_minor = target;
	fs->unsafe_fixes = opts->unsafe_fixes || (c && c->unsafe_fixes == 1);
	buf_release(&ignore);
}

/* Looks up each file's configuration, drops excluded files (unless named
 * on the command line) and fills one settings record per remaining file. */
static int settle_files(struct vec *files, struct file_settings **settings, bool **masks,
			bool *any_enabled, struct config_set *configs,
			const struct engine_options *opts, struct err *err)
{
	size_t w = 0;

	*settings = xcalloc(files->len ? files->len : 1, sizeof(struct file_settings));
	*masks = xcalloc((files->len ? files->len : 1) * transform_count, sizeof(bool));
	for (size_t r = 0; r < files->len; r++) {
		char *file = *(char **)vec_at(files, r);
		const struct config *c;

		if (config_for(&c, configs, file, err) < 0)
			return -1;
		if (config_excludes(c, file) && !is_explicit(opts, file)) {
			free(file);
			continue;
		}
		settle(&(*settings)[w], *masks + w * transform_count, opts, c, file);
		for (size_t i = 0; i < transform_count; i++)
			any_enabled[i] |= (*masks)[w * transform_count + i];
		*(char **)vec_at(files, w++) = file;
	}
	files->len = w;
	return config_each(configs, check_config, NULL, err);
}

static bool in_list(const struct vec *sorted, const char *s)
{
	size_t lo = 0, hi = sorted->len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(*(char **)vec_at(sorted, mid), s);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The files of the run: the paths walked, or (no PATH, inside a work
 * tree) git's own list; narrowed by --changed-since. */
static int collect_files(struct vec *files, struct vec *errors, struct repo **repo,
			 const struct engine_options *opts, FILE *errs, struct err *err)
{
	/* --diff inside a work tree names files from its top, as git apply reads them */
	bool need_repo = opts->default_paths || opts->changed_since || opts->commit ||
			 opts->mode == MODE_DIFF;

	if (need_repo && repo_open(repo, err) < 0)
		return -1;
	if (!*repo && (opts->changed_since || opts->commit))
		return err_set(err, "%s needs a git work tree",
			       opts->commit ? "--commit" : "--changed-since");
	if (opts->commit && repo_is_unborn(*repo))
		return err_set(err, "the repository has no commit yet: --commit builds on HEAD "
			       "(use --fix or --diff)");
	if (*repo && opts->default_paths) {
		struct vec notes = VEC_INIT(char *);
		int rc = repo_list_files(*repo, files, &notes, err);

		for (size_t i = 0; i < notes.len; i++) {
			fprintf(errs, "asyncmod: note: %s\n", *(char **)vec_at(&notes, i));
			free(*(char **)vec_at(&notes, i));
		}
		vec_release(&notes);
		if (rc < 0)
			return -1;
	} else {
		walk_collect(files, errors, opts->paths, opts->npaths);
	}
	if (opts->changed_since) {
		struct vec changed = VEC_INIT(char *);
		size_t w = 0;

		if (repo_changed_files(*repo, opts->changed_since, &changed, err) < 0)
			return -1;
		for (size_t r = 0; r < files->len; r++) {
			char *f = *(char **)vec_at(files, r);

			if (in_list(&changed, f))
				*(char **)vec_at(files, w++) = f;
			else
				free(f);
		}
		files->len = w;
		for (size_t i = 0; i < changed.len; i++)
			free(*(char **)vec_at(&changed, i));
		vec_release(&changed);
	}
	return 0;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The commit message and default branch name from the fixes applied. */
static void describe_fixes(struct buf *message, struct buf *branch, const struct pool *p)
{
	struct vec codes = VEC_INIT(const char *);
	size_t *counts = xcalloc(transform_count, sizeof(size_t)), nfiles = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		bool any = false;

		for (size_t k = 0; k < p->results[i].findings.len; k++) {
			const struct finding *f = vec_at(&p->results[i].findings, k);
			size_t t = transform_index(f->rule);

			if (f->applied && t < transform_count) {
				counts[t]++;
				any = true;
			}
		}
		nfiles += any;
	}
	for (size_t t = 0; t < transform_count; t++)
		if (counts[t])
			*(const char **)vec_push(&codes) = transform_table[t]->code;
	vec_sort(&codes, code_cmp);
	buf_puts(message, "asyncmod: fix ");
	buf_puts(branch, "asyncmod/");
	for (size_t i = 0; i < codes.len; i++) {
		const char *code = *(const char **)vec_at(&codes, i);

		buf_printf(message, "%s%s", i ? ", " : "", code);
		for (const char *c = code; *c; c++)
			buf_putc(branch, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
		if (i + 1 < codes.len)
			buf_putc(branch, '-');
	}
	buf_printf(message, "\n\nFixes made by asyncmod in %zu file%s:\n\n", nfiles,
		   nfiles == 1 ? "" : "s");
	for (size_t i = 0; i < codes.len; i++) {
		const char *code = *(const char **)vec_at(&codes, i);

		for (size_t t = 0; t < transform_count; t++)
			if (!strcmp(transform_table[t]->code, code))
				buf_printf(message, "  %-9s %4zu  %s\n", code, counts[t],
					   transform_table[t]->summary);
	}
	vec_release(&codes);
	free(counts);
}

void engine_summary_release(struct engine_summary *s)
{
	free(s->fixed);
	free(s->remaining);
	s->fixed = s->remaining = NULL;
}

static void summarize(struct engine_summary *s, const struct pool *p, size_t walk_errors)
{
	if (!s->fixed)
		s->fixed = xcalloc(transform_count, sizeof(size_t));
	if (!s->remaining)
		s->remaining = xcalloc(transform_count, sizeof(size_t));
	s->errors = walk_errors;
	for (size_t i = 0; i < p->nfiles; i++) {
		bool changed = false;

		s->errors += p->results[i].error != NULL;
		for (size_t k = 0; k < p->results[i].findings.len; k++) {
			const struct finding *f = vec_at(&p->results[i].findings, k);
			size_t t = transform_index(f->rule);

			if (t >= transform_count)
				continue;
			if (f->applied)
				s->fixed[t]++;
			else
				s->remaining[t]++;
			changed |= f->applied;
		}
		s->files_changed += changed;
	}
}

/* --commit: checks that no file to change is dirty, then commits. */
static int commit_results(struct repo *repo, const struct engine_options *opts,
			  const struct pool *p, FILE *out, FILE *errs, struct err *err)
{
	struct vec changes = VEC_INIT(struct repo_change);
	struct buf message = BUF_INIT, branch = BUF_INIT, id = BUF_INIT;
	struct repo_commit_opts co;
	size_t dirty = 0;
	bool same = false;
	int error = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		struct repo_change *c;
		bool is_dirty = false;

		if (!p->fixed[i].len)
			continue;
		if ((error = repo_is_dirty(repo, p->files[i], &is_dirty, err)) < 0)
			goto done;
		if (is_dirty && (!opts->allow_dirty || opts->in_place)) {
			fprintf(errs, "asyncmod: error: %s: has uncommitted changes\n", p->files[i]);
			dirty++;
			continue;
		}
		c = vec_push(&changes);
		c->path = p->files[i];
		c->text = p->fixed[i].ptr;
		c->len = p->fixed[i].len;
		c->mode = p->modes[i];
	}
	if (dirty) {
		error = err_set(err, "nothing committed: %zu file%s to change %s uncommitted changes%s",
				dirty, dirty == 1 ? "" : "s", dirty == 1 ? "has" : "have",
				opts->in_place ? "" : " (--allow-dirty commits HEAD's content fixed)");
		goto done;
	}
	{
		size_t untracked = 0;

		for (size_t i = 0; i < p->nfiles; i++)
			untracked += p->results[i].untracked;
		if (untracked)
			fprintf(errs, "asyncmod: note: %zu file%s not in HEAD %s not part of the commit\n",
				untracked, untracked == 1 ? "" : "s", untracked == 1 ? "is" : "are");
	}
	if (!changes.len) {
		fputs("Nothing to commit: no fix applies.\n", out);
		goto done;
	}
	describe_fixes(&message, &branch, p);
	co.branch = opts->branch ? opts->branch : branch.ptr;
	co.message = opts->message ? opts->message : message.ptr;
	co.force_branch = opts->force_branch;
	co.in_place = opts->in_place;
	co.keep_same = opts->keep_same;
	co.dry_run = opts->dry_commit;
	if ((error = repo_commit(repo, &changes, &co, &id, &same, err)) < 0)
		goto done;
	if (opts->dry_commit) {
		/* the commit's diff, file by file, paths from the top of the work tree */
		for (size_t i = 0; !same && i < p->nfiles; i++) {
			struct buf d = BUF_INIT, shown = BUF_INIT;

			if (!p->fixed[i].len)
				continue;
			buf_printf(&shown, "%s%s", repo_prefix(repo), p->files[i]);
			if (diff_make(&d, shown.ptr, p->modes[i], p->heads[i].ptr ? p->heads[i].ptr : "",
				      p->heads[i].len, p->fixed[i].ptr, p->fixed[i].len, err) == 0)
				fputs(buf_cstr(&d), out);
			buf_release(&d);
			buf_release(&shown);
		}
		if (opts->summary) {
			snprintf(opts->summary->branch, sizeof(opts->summary->branch), "%s", co.branch);
			opts->summary->unchanged = same;
		}
		goto done;
	}
	if (opts->summary) {
		snprintf(opts->summary->branch, sizeof(opts->summary->branch), "%s", co.branch);
		snprintf(opts->summary->commit, sizeof(opts->summary->commit), "%s", id.ptr);
		opts->summary->unchanged = same;
	}
	if (same)
		fprintf(out, "Branch %s already holds these fixes (%.12s).\n", co.branch, id.ptr);
	else
	if (opts->in_place)
		fprintf(out, "Committed %zu file%s on the current branch as %.12s.\n", changes.len,
			changes.len == 1 ? "" : "s", id.ptr);
	else
		fprintf(out, "Committed %zu file%s on branch %s as %.12s.\n", changes.len,
			changes.len == 1 ? "" : "s", co.branch, id.ptr);
done:
	vec_release(&changes);
	buf_release(&message);
	buf_release(&branch);
	buf_release(&id);
	return error;
}

/* The text a file's fixes start from: its content in HEAD with --commit,
 * else the file itself. */
static int original_text(const struct pool *p, size_t i, struct buf *text, unsigned *mode,
			 struct err *err)
{
	bool found = true;

	buf_clear(text);
	if (p->repo)
		return repo_head_content(p->repo, p->files[i], text, mode, &found, err);
	{
		struct source src;

		if (source_load(&src, p->files[i], err) < 0)
			return -1;
		buf_add(text, src.bytes, src.size);
		*mode = src.st.st_mode;
		source_release(&src);
	}
	return 0;
}

/* Re-runs file `i` fixing only the findings of `results[i]` marked
 * applied; writes the file (or keeps the text for --commit). */
static void apply_accepted(struct pool *p, size_t i, const struct buf *text)
{
	const struct vec *fs = &p->results[i].findings;
	struct finding_key *keys = xcalloc(fs->len ? fs->len : 1, sizeof(*keys));
	struct file_settings only = p->settings[i];
	struct pipeline_config cfg = *p->config;
	struct pipeline_worker *w;
	struct file_result res;
	size_t n = 0;

	for (size_t k = 0; k < fs->len; k++) {
		const struct finding *f = vec_at(fs, k);

		if (f->applied) {
			keys[n].rule = f->rule;
			keys[n].start = f->start;
			keys[n].end = f->end;
			n++;
		}
	}
	only.only = keys;
	only.nonly = n;
	cfg.mode = p->repo ? MODE_COMMIT : MODE_FIX;
	w = pipeline_worker_new(&cfg);
	if (p->repo) {
		pipeline_run_text(w, p->files[i], text->ptr ? text->ptr : "", text->len, &only, &res,
				  &p->fixed[i]);
		if (!res.fixed)
			buf_release(&p->fixed[i]);
	} else {
		pipeline_run(w, p->files[i], &only, &res);
	}
	pipeline_worker_free(w);
	pipeline_result_release(&p->results[i]);
	p->results[i] = res;
	free(keys);
}

/* --interactive: a hunk and a question per fix, then the accepted fixes
 * are written (or committed) exactly as --fix would. */
static int review_results(struct pool *p, FILE *out, bool color, struct err *err)
{
	struct vec items = VEC_INIT(struct review_item);
	struct buf *texts = xcalloc(p->nfiles ? p->nfiles : 1, sizeof(struct buf));
	unsigned *modes = xcalloc(p->nfiles ? p->nfiles : 1, sizeof(unsigned));
	struct pipeline_worker *w = pipeline_worker_new(p->config);
	struct review_term *term = NULL;
	struct review_outcome outcome;
	int error = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		const struct vec *fs = &p->results[i].findings;
		bool any = false;

		for (size_t k = 0; k < fs->len && !any; k++)
			any = ((struct finding *)vec_at(fs, k))->applied;
		if (!any)
			continue;
		if ((error = original_text(p, i, &texts[i], &modes[i], err)) < 0)
			goto done;
		for (size_t k = 0; k < fs->len; k++) {
			struct finding *f = vec_at(fs, k);
			struct finding_key key = { f->rule, f->start, f->end };
			struct file_settings one = p->settings[i];
			struct buf fixed = BUF_INIT, hunk = BUF_INIT;
			struct file_result res;
			struct review_item *it;

			if (!f->applied)
				continue;
			one.only = &key;
			one.nonly = 1;
			pipeline_run_text(w, p->files[i], texts[i].ptr ? texts[i].ptr : "", texts[i].len,
					  &one, &res, &fixed);
			diff_make(&hunk, p->files[i], modes[i], texts[i].ptr ? texts[i].ptr : "",
				  texts[i].len, fixed.ptr ? fixed.ptr : "", fixed.len, err);
			pipeline_result_release(&res);
			buf_release(&fixed);
			it = vec_push(&items);
			it->path = p->files[i];
			it->finding = f;
			it->hunk = buf_detach(&hunk);
		}
	}
	if (!items.len) {
		fputs("No fixes to review.\n", out);
		goto done;
	}
	if ((error = review_term_open(&term, STDIN_FILENO, err)) < 0)
		goto done;
	review_ask(term, out, items.items, items.len, color, &outcome);
	review_term_close(term);
	if (outcome.interrupted) {
		for (size_t i = 0; p->fixed && i < p->nfiles; i++)
			buf_release(&p->fixed[i]);
		error = err_set(err, "interrupted: nothing was written");
		goto done;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct vec *fs = &p->results[i].findings;
		bool any = false;

		for (size_t k = 0; k < fs->len && !any; k++)
			any = ((struct finding *)vec_at(fs, k))->applied;
		if (any)
			apply_accepted(p, i, &texts[i]);
		else if (p->fixed)
			buf_release(&p->fixed[i]);
	}
	fprintf(out, "Applied %zu fix%s, rejected %zu.\n", outcome.accepted,
		outcome.accepted == 1 ? "" : "es", outcome.rejected);
done:
	for (size_t i = 0; i < items.len; i++)
		free((char *)((struct review_item *)vec_at(&items, i))->hunk);
	vec_release(&items);
	for (size_t i = 0; i < p->nfiles; i++)
		buf_release(&texts[i]);
	free(texts);
	free(modes);
	pipeline_worker_free(w);
	return error;
}

int engine_check(const struct engine_options *opts, FILE *out, FILE *errs, int *status,
		 struct err *err)
{
	struct vec rules = VEC_INIT(const struct transform *);
	struct vec files = VEC_INIT(char *), errors = VEC_INIT(char *);
	struct pipeline_config config;
	struct config_set *configs = NULL;
	struct repo *repo = NULL;
	struct suppress *suppress = NULL;
	struct file_settings *settings = NULL;
	bool *masks = NULL, *any_enabled = xcalloc(transform_count, sizeof(bool));
	struct query *query = NULL;
	struct report_totals totals;
	struct pool pool;
	const char **tokens = NULL;
	bool any_diff = false;
	int error = 0;

	git_libgit2_init();
	pool.results = NULL;
	pool.nfiles = 0;
	pool.repo = NULL;
	pool.fixed = NULL;
	pool.heads = NULL;
	pool.modes = NULL;
	if (opts->interactive && !isatty(STDIN_FILENO)) {
		error = err_set(err, "--interactive needs a terminal to ask on");
		goto done;
	}
	if ((error = engine_select(&rules, opts->select, opts->ignore, err)) < 0)
		goto done;
	if ((error = config_set_new(&configs, opts->config_path, opts->isolated, err)) < 0)
		goto done;
	if ((error = suppress_new(&suppress, err)) < 0)
		goto done;
	if ((error = query_new(&query, transform_table, transform_count, err)) < 0)
		goto done;
	if ((error = collect_files(&files, &errors, &repo, opts, errs, err)) < 0)
		goto done;
	if ((error = settle_files(&files, &settings, &masks, any_enabled, configs, opts, err)) < 0)
		goto done;
	tokens = collect_tokens(any_enabled);
	config.query = query;
	config.tokens = tokens;
	config.mode = opts->commit || opts->interactive ? MODE_COMMIT : opts->mode;
	config.unsafe_fixes = opts->unsafe_fixes;
	config.target_minor = opts->target_minor ? opts->target_minor : 11;
	config.suppress = suppress;
	config.diff_prefix = repo && opts->mode == MODE_DIFF ? repo_prefix(repo) : NULL;
	pool.config = &config;
	pool.files = files.items;
	pool.settings = settings;
	pool.nfiles = files.len;
	pool.results = xcalloc(files.len ? files.len : 1, sizeof(struct file_result));
	pool.next = 0;
	if (opts->interactive) {
		/* unsafe fixes are offered too: reviewing is how they get applied */
		for (size_t i = 0; i < files.len; i++)
			settings[i].unsafe_fixes = true;
	}
	if (opts->commit) {
		pool.repo = repo;
		pool.fixed = xcalloc(files.len ? files.len : 1, sizeof(struct buf));
		if (opts->dry_commit)
			pool.heads = xcalloc(files.len ? files.len : 1, sizeof(struct buf));
		pool.modes = xcalloc(files.len ? files.len : 1, sizeof(unsigned));
	}
	pool_run(&pool, opts->jobs > 0 ? opts->jobs : engine_default_jobs());

	if (opts->interactive && review_results(&pool, out, opts->color, err) < 0) {
		fprintf(errs, "asyncmod: error: %s\n", err->msg);
		*status = ENGINE_TROUBLE;
		goto done;
	}
	for (size_t i = 0; i < errors.len; i++)
		fprintf(errs, "asyncmod: error: %s\n", *(char **)vec_at(&errors, i));
	for (size_t i = 0; i < pool.nfiles; i++)
		if (pool.results[i].error)
			fprintf(errs, "asyncmod: error: %s\n", pool.results[i].error);
	if (opts->mode == MODE_DIFF) {
		for (size_t i = 0; i < pool.nfiles; i++)
			if (pool.results[i].diff) {
				fputs(pool.results[i].diff, out);
				any_diff = true;
			}
	}
	if (opts->no_report)
		;
	else if (opts->format == FORMAT_JSON)
		report_json(out, pool.results, pool.nfiles);
	else if (opts->format == FORMAT_SARIF)
		report_sarif(out, pool.results, pool.nfiles);
	else if (opts->format == FORMAT_GITHUB)
		report_github(out, pool.results, pool.nfiles);
	else if (opts->format == FORMAT_CONCISE && opts->mode != MODE_DIFF)
		report_text(out, pool.results, pool.nfiles, opts->unsafe_fixes, true, opts->color);
	else if (opts->mode != MODE_DIFF)
		report_text(out, pool.results, pool.nfiles, opts->unsafe_fixes, opts->quiet,
			    opts->color);
	else if (!opts->quiet) {
		report_count(&totals, pool.results, pool.nfiles);
		fprintf(errs, "Would fix %zu finding%s (%zu remaining).\n", totals.fixed,
			totals.fixed == 1 ? "" : "s", totals.remaining);
	}
	report_count(&totals, pool.results, pool.nfiles);
	if (opts->summary)
		summarize(opts->summary, &pool, errors.len);
	if (errors.len || totals.errors)
		*status = ENGINE_TROUBLE;
	else if (opts->mode == MODE_DIFF)
		*status = any_diff ? ENGINE_FINDINGS : ENGINE_CLEAN;
	else
		*status = totals.remaining ? ENGINE_FINDINGS : ENGINE_CLEAN;
	/* files that could not be read or parsed were skipped: the rest is committed */
	if (opts->commit && commit_results(repo, opts, &pool, out, errs, err) < 0) {
		fprintf(errs, "asyncmod: error: %s\n", err->msg);
		*status = ENGINE_TROUBLE;
	}
done:
	for (size_t i = 0; i < pool.nfiles; i++)
		pipeline_result_release(&pool.results[i]);
	free(pool.results);
	for (size_t i = 0; pool.fixed && i < pool.nfiles; i++)
		buf_release(&pool.fixed[i]);
	for (size_t i = 0; pool.heads && i < pool.nfiles; i++)
		buf_release(&pool.heads[i]);
	free(pool.fixed);
	free(pool.heads);
	free(pool.modes);
	for (size_t i = 0; i < files.len; i++)
		free(*(char **)vec_at(&files, i));
	for (size_t i = 0; i < errors.len; i++)
		free(*(char **)vec_at(&errors, i));
	vec_release(&files);
	vec_release(&errors);
	vec_release(&rules);
	free(tokens);
	free(settings);
	free(masks);
	free(any_enabled);
	query_free(query);
	suppress_free(suppress);
	config_set_free(configs);
	repo_free(repo);
	git_libgit2_shutdown();
	return error;
}

void engine_rules(FILE *out, enum output_format format)
{
	json_object *arr;

	if (format == FORMAT_TEXT) {
		for (size_t i = 0; i < transform_count; i++) {
			const struct transform *t = transform_table[i];
			const char *fix = report_fix_name(t->fix);

			fprintf(out, "%-9s %-7s %s\n", t->code, fix ? fix : "report", t->summary);
		}
		return;
	}
	arr = json_object_new_array();
	for (size_t i = 0; i < transform_count; i++) {
		const struct transform *t = transform_table[i];
		json_object *o = json_object_new_object();
		const char *fix = report_fix_name(t->fix);

		json_object_object_add(o, "code", json_object_new_string(t->code));
		json_object_object_add(o, "name", json_object_new_string(t->name));
		json_object_object_add(o, "summary", json_object_new_string(t->summary));
		json_object_object_add(o, "fix", json_object_new_string(fix ? fix : "report"));
		json_object_array_add(arr, o);
	}
	fputs(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_SPACED |
						     JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
	json_object_put(arr);
}
