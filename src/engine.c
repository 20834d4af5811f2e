/*
 * engine: one `check` run from options to exit status: rule selection,
 * the files (walked, or git's list), each file's settings from its
 * configuration, the worker pool, then the sinks, the review and the
 * commit in that order.
 */
#include "engine.h"
#include "cache.h"
#include "config.h"
#include "query.h"
#include "repo.h"
#include "commit.h"
#include "pool.h"
#include "noqa.h"
#include "report.h"
#include "stats.h"
#include "select.h"
#include "review.h"
#include "suppress.h"
#include "walk.h"
#include "../transforms/table.h"

#include <git2.h>
#include <limits.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

int engine_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int engine_select(struct vec *out, const char *select, const char *ignore, struct err *err)
{
	struct select_layer l = { select, NULL, ignore, NULL, NULL, NULL, NULL };
	bool *on = xcalloc(transform_count ? transform_count : 1, sizeof(bool));

	if (select_check_layer(&l, NULL, 0, err) < 0) {
		free(on);
		return -1;
	}
	select_resolve(&l, 1, on, NULL);
	for (size_t i = 0; i < transform_count; i++)
		if (on[i])
			*(const struct transform **)vec_push(out) = transform_table[i];
	free(on);
	return 0;
}

/* The command line's selection as a layer. */
static struct select_layer options_layer(const struct engine_options *o)
{
	struct select_layer l = { o->select, o->extend_select, o->ignore, o->extend_ignore,
				  o->fixable, o->extend_fixable, o->unfixable };

	return l;
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

/* The configuration's selection as a layer. */
static struct select_layer config_layer(const struct config *c)
{
	struct select_layer l = { c->select, c->extend_select, c->ignore, c->extend_ignore,
				  c->fixable, c->extend_fixable, c->unfixable };

	return l;
}

static int check_config(const struct config *c, void *arg, struct err *err)
{
	const char *lists[] = { c->select, c->extend_select, c->ignore, c->extend_ignore,
				c->fixable, c->extend_fixable, c->unfixable };
	const unsigned lines[] = { c->select_line, c->extend_select_line, c->ignore_line,
				   c->extend_ignore_line, c->fixable_line, c->extend_fixable_line,
				   c->unfixable_line };

	(void)arg;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (select_check(lists[i], c->path, lines[i], err) < 0)
			return -1;
	for (size_t i = 0; i < c->per_file.len; i++) {
		const struct config_ignore *pi = vec_at(&c->per_file, i);

		if (select_check(pi->codes, c->path, pi->line, err) < 0)
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
	struct select_layer layers[2];
	struct buf ignore = BUF_INIT;
	int target = opts->target_minor;
	const char *client;
	size_t n = 0;

	/* the configuration's selection, then the command line's, as ruff
	 * resolves them; per-file-ignores remove rules last */
	if (c)
		layers[n++] = config_layer(c);
	layers[n++] = options_layer(opts);
	select_resolve(layers, n, mask, mask + transform_count);
	config_file_ignores(c, file, &ignore);
	for (size_t i = 0; i < transform_count && ignore.len; i++)
		if (select_list_has(ignore.ptr, transform_table[i]->code))
			mask[i] = false;
	if (!target && c)
		target = c->target_minor ? c->target_minor : c->requires_minor;
	if (!target)
		target = 11;
	if (target < PY_MIN_MINOR)
		target = PY_MIN_MINOR;
	if (target > PY_MAX_MINOR)
		target = PY_MAX_MINOR;
	fs->enabled = mask;
	fs->fixable = mask + transform_count;
	fs->target_minor = target;
	fs->unsafe_fixes = opts->unsafe_fixes || (c && c->unsafe_fixes == 1);
	fs->timeout = opts->timeout > 0 ? opts->timeout
		      : c && c->timeout > 0 ? c->timeout : RULE_DEFAULT_TIMEOUT;
	client = opts->http_client ? opts->http_client : c ? c->http_client : NULL;
	fs->http_client = client && !strcmp(client, "aiohttp") ? HTTP_CLIENT_AIOHTTP
							       : HTTP_CLIENT_HTTPX;
	buf_release(&ignore);
}

/* Looks up each file's configuration, drops excluded files (unless named
 * on the command line, without --force-exclude) and fills one settings record per remaining file. */
static int settle_files(struct vec *files, struct file_settings **settings, bool **masks,
			bool *any_enabled, struct config_set *configs,
			const struct engine_options *opts, struct err *err)
{
	size_t w = 0;

	*settings = xcalloc(files->len ? files->len : 1, sizeof(struct file_settings));
	/* per file: the rules enabled, then the rules fixable */
	*masks = xcalloc((files->len ? files->len : 1) * 2 * transform_count, sizeof(bool));
	for (size_t r = 0; r < files->len; r++) {
		char *file = *(char **)vec_at(files, r);
		const struct config *c;

		if (config_for(&c, configs, file, err) < 0)
			return -1;
		if (config_excludes(c, file) && (opts->force_exclude || !is_explicit(opts, file))) {
			free(file);
			continue;
		}
		settle(&(*settings)[w], *masks + w * 2 * transform_count, opts, c, file);
		(*settings)[w].pytest = config_pytest_for(configs, file);
		for (size_t i = 0; i < transform_count; i++)
			any_enabled[i] |= (*masks)[w * 2 * transform_count + i];
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
			 opts->mode == MODE_DIFF ||
			 /* they name files from the top of the work tree */
			 opts->format == FORMAT_SARIF || opts->format == FORMAT_GITHUB;

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
	{
		struct vec notes = VEC_INIT(char *);

		walk_settle_links(files, &notes, opts->default_paths ? NULL : opts->paths,
				  opts->default_paths ? 0 : opts->npaths);
		for (size_t i = 0; i < notes.len; i++) {
			fprintf(errs, "asyncmod: note: %s\n", *(char **)vec_at(&notes, i));
			free(*(char **)vec_at(&notes, i));
		}
		vec_release(&notes);
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

/* The folder of the nearest pyproject.toml above the working folder, or
 * NULL. Caller frees. */
static char *project_root(void)
{
	char dir[PATH_MAX];
	struct buf path = BUF_INIT;

	if (!getcwd(dir, sizeof(dir)))
		return NULL;
	for (;;) {
		struct stat st;
		char *slash;

		buf_clear(&path);
		buf_printf(&path, "%s/pyproject.toml", strcmp(dir, "/") ? dir : "");
		if (!stat(path.ptr, &st) && S_ISREG(st.st_mode)) {
			buf_release(&path);
			return xstrdup(dir);
		}
		if (!strcmp(dir, "/") || !(slash = strrchr(dir, '/')))
			break;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	buf_release(&path);
	return NULL;
}

/* The run's cache, or NULL when it is off or cannot be used (then with a
 * warning on `errs`). Runs that commit or review read from elsewhere than
 * the work tree, or fix one finding at a time: they keep no cache. */
static struct cache *open_cache(const struct engine_options *opts, struct config_set *configs,
				const bool *any_enabled, bool shown, FILE *errs)
{
	const struct config *c = NULL;
	struct err err = ERR_INIT;
	struct cache *cache = NULL;
	char *root, *dir;

	if (opts->no_cache || cache_env_disabled() || opts->commit || opts->interactive)
		return NULL;
	if (!opts->cache_dir && !getenv("ASYNCMOD_CACHE_DIR"))
		config_for(&c, configs, "./pyproject.toml", &err);
	root = c && c->cache_dir ? NULL : project_root();
	dir = cache_dir_choose(opts->cache_dir, c ? c->cache_dir : NULL,
			       c && c->cache_dir ? c->dir : root);
	if (cache_open(&cache, dir, any_enabled, shown, &err) < 0)
		fprintf(errs, "asyncmod: warning: running without the cache: %s\n", err.msg);
	free(dir);
	free(root);
	return cache;
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

/* The top of the work tree of `repo`, absolute: the working folder
 * without repo_prefix(); empty when it cannot be told. */
static void work_tree_top(struct buf *out, const struct repo *repo)
{
	char here[PATH_MAX];
	const char *prefix = repo_prefix(repo);
	size_t n, k = strlen(prefix);

	buf_clear(out);
	if (!getcwd(here, sizeof(here)))
		return;
	n = strlen(here);
	if (k && prefix[k - 1] == '/')
		k--;
	if (k) {
		/* "/top/a/b" less "a/b" */
		if (n <= k || strncmp(here + n - k, prefix, k) || here[n - k - 1] != '/')
			return;
		n -= k + 1;
	}
	buf_add(out, here, n ? n : 1);
}

/* Marks every applied fix of the run as not applied, for `reason`. */
static void unapply(struct pool *p, const char *reason)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		for (size_t k = 0; k < p->results[i].findings.len; k++) {
			struct finding *f = vec_at(&p->results[i].findings, k);

			if (f->applied) {
				f->applied = false;
				f->reason = reason;
			}
		}
		p->results[i].fixed = 0;
	}
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
	const struct transform **enabled = xcalloc(transform_count, sizeof(*enabled));
	size_t nenabled = 0, left;
	int jobs;
	struct query *query = NULL;
	struct report_totals totals;
	struct pool pool;
	const char **tokens = NULL;
	bool any_diff = false;
	struct report_errors report_errors = { NULL, NULL };
	struct buf commit_error = BUF_INIT, top = BUF_INIT;
	char *commit_text = NULL;	/* what the commit prints, after the report */
	size_t commit_len = 0;
	int error = 0;

	git_libgit2_init();
	config.cache = NULL;
	pool.results = NULL;
	pool.nfiles = 0;
	pool.repo = NULL;
	pool.fixed = NULL;
	pool.heads = NULL;
	pool.modes = NULL;
	pool.progress = NULL;
	pool.done = NULL;
	pool.order = NULL;
	if (opts->interactive && !isatty(STDIN_FILENO)) {
		error = err_set(err, "--interactive needs a terminal to ask on");
		goto done;
	}
	{
		struct select_layer cli = options_layer(opts);

		if ((error = select_check_layer(&cli, NULL, 0, err)) < 0)
			goto done;
	}
	if ((error = config_set_new(&configs, opts->config_path, opts->isolated, err)) < 0)
		goto done;
	if ((error = suppress_new(&suppress, err)) < 0)
		goto done;
	if ((error = collect_files(&files, &errors, &repo, opts, errs, err)) < 0)
		goto done;
	if ((error = settle_files(&files, &settings, &masks, any_enabled, configs, opts, err)) < 0)
		goto done;
	tokens = collect_tokens(any_enabled);
	config.query = NULL;
	config.tokens = tokens;
	config.mode = opts->commit || opts->interactive ? MODE_COMMIT : opts->mode;
	config.unsafe_fixes = opts->unsafe_fixes;
	config.target_minor = opts->target_minor ? opts->target_minor : 11;
	config.timeout = opts->timeout > 0 ? opts->timeout : RULE_DEFAULT_TIMEOUT;
	config.http_client = opts->http_client && !strcmp(opts->http_client, "aiohttp")
				     ? HTTP_CLIENT_AIOHTTP : HTTP_CLIENT_HTTPX;
	config.suppress = suppress;
	config.diff_prefix = repo && opts->mode == MODE_DIFF ? repo_prefix(repo) : NULL;
	config.in_work_tree = opts->commit && opts->in_place && !opts->interactive;
	config.describe_fixes = !opts->interactive && !opts->no_report && !opts->statistics &&
				(opts->format == FORMAT_JSON || opts->format == FORMAT_SARIF);
	/* --add-noqa reads every file again as it writes: no cache */
	config.cache = files.len && !opts->add_noqa
			       ? open_cache(opts, configs, any_enabled, config.describe_fixes, errs)
			       : NULL;
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
	jobs = opts->jobs > 0 ? opts->jobs : engine_default_jobs();
	left = config.cache ? pool_lookup(&pool, config.cache, jobs) : files.len;
	if (left) {
		/* compiling the query is most of the start-up: only the rules
		 * some file runs take part, and not at all when the cache
		 * answered for every file */
		for (size_t i = 0; i < transform_count; i++)
			if (any_enabled[i])
				enabled[nenabled++] = transform_table[i];
		if (!nenabled)
			enabled[nenabled++] = transform_table[0];
		if ((error = query_new(&query, enabled, nenabled, err)) < 0)
			goto done;
		config.query = query;
		if (opts->progress && left > 1)
			pool.progress = progress_new(errs, left);
		pool_run(&pool, jobs);
		progress_end(pool.progress);	/* erased before anything else prints */
		pool.progress = NULL;
	}
	if (config.cache) {
		const char *why;
		size_t n = cache_failures(config.cache, &why);

		if (n)
			fprintf(errs, "asyncmod: warning: %zu cache entr%s not written: %s\n", n,
				n == 1 ? "y" : "ies", why);
	}
	if (opts->add_noqa) {
		size_t added = 0, failed = 0;

		noqa_add(&config, pool.results, settings, pool.nfiles, errs, &added, &failed);
		for (size_t i = 0; i < errors.len; i++)
			fprintf(errs, "asyncmod: error: %s\n", *(char **)vec_at(&errors, i));
		for (size_t i = 0; i < pool.nfiles; i++)
			if (pool.results[i].error) {
				fprintf(errs, "asyncmod: error: %s\n", pool.results[i].error);
				failed++;
			}
		if (!opts->quiet && added)
			fprintf(errs, "Added %zu noqa directive%s.\n", added, added == 1 ? "" : "s");
		*status = failed || errors.len ? ENGINE_TROUBLE : ENGINE_CLEAN;
		goto done;
	}

	if (opts->interactive && review_run(&pool, out, opts->color, err) < 0) {
		fprintf(errs, "asyncmod: error: %s\n", err->msg);
		*status = ENGINE_TROUBLE;
		goto done;
	}
	/* the commit comes before the report, so that the report says what was
	 * written; files that could not be read or parsed were skipped, the
	 * rest is committed */
	if (opts->commit) {
		FILE *held = open_memstream(&commit_text, &commit_len);
		struct err cerr = ERR_INIT;

		if (commit_record(repo, opts, &pool, held ? held : out, errs, &cerr) < 0) {
			/* nothing was written: no fix counts as applied */
			if (strncmp(cerr.msg, "nothing committed", 17))
				buf_puts(&commit_error, "nothing committed: ");
			buf_puts(&commit_error, cerr.msg);
			unapply(&pool, "not-committed");
			if (opts->summary)
				opts->summary->commit_failed = true;
		}
		if (held)
			fclose(held);
	}
	report_errors.paths = &errors;
	report_errors.run = commit_error.len ? commit_error.ptr : NULL;
	for (size_t i = 0; i < errors.len; i++)
		fprintf(errs, "asyncmod: error: %s\n", *(char **)vec_at(&errors, i));
	for (size_t i = 0; i < pool.nfiles; i++)
		if (pool.results[i].error)
			fprintf(errs, "asyncmod: error: %s\n", pool.results[i].error);
	if (report_errors.run)
		fprintf(errs, "asyncmod: error: %s\n", report_errors.run);
	if (opts->mode == MODE_DIFF) {
		for (size_t i = 0; i < pool.nfiles; i++)
			if (pool.results[i].diff) {
				fputs(pool.results[i].diff, out);
				any_diff = true;
			}
	}
	if (repo && (opts->format == FORMAT_SARIF || opts->format == FORMAT_GITHUB))
		work_tree_top(&top, repo);
	if (opts->no_report)
		;
	else if (opts->statistics && opts->format == FORMAT_JSON)
		stats_print_json(out, pool.results, pool.nfiles, opts->unsafe_fixes);
	else if (opts->statistics)
		stats_print_text(out, pool.results, pool.nfiles, opts->unsafe_fixes, opts->color);
	else if (opts->format == FORMAT_JSON)
		report_json(out, pool.results, pool.nfiles, &report_errors);
	else if (opts->format == FORMAT_SARIF)
		report_sarif(out, pool.results, pool.nfiles, &report_errors,
			     top.len ? top.ptr : NULL);
	else if (opts->format == FORMAT_GITHUB)
		report_github(out, pool.results, pool.nfiles, &report_errors,
			      top.len ? top.ptr : NULL);
	else if (opts->format == FORMAT_CONCISE && opts->mode != MODE_DIFF)
		report_text(out, pool.results, pool.nfiles, &report_errors, opts->unsafe_fixes, true,
			    opts->color);
	else if (opts->mode != MODE_DIFF) {
		/* ruff's order: the findings, the fixes made, the summary */
		report_text(out, pool.results, pool.nfiles, &report_errors, opts->unsafe_fixes,
			    true, opts->color);
		if (opts->show_fixes && !opts->quiet && report_any_applied(pool.results, pool.nfiles)) {
			fputc('\n', out);
			stats_print_fixes(out, pool.results, pool.nfiles, opts->color);
			fputc('\n', out);
		}
		if (!opts->quiet)
			report_summary(out, pool.results, pool.nfiles, &report_errors,
				       opts->unsafe_fixes, opts->color);
	} else if (!opts->quiet)
		report_diff_summary(errs, pool.results, pool.nfiles, &report_errors);
	report_count(&totals, pool.results, pool.nfiles, &report_errors);
	if (opts->summary)
		summarize(opts->summary, &pool, errors.len);
	if (totals.errors)
		*status = ENGINE_TROUBLE;
	else if (opts->mode == MODE_DIFF)
		*status = any_diff && !opts->exit_zero ? ENGINE_FINDINGS : ENGINE_CLEAN;
	else
		*status = totals.remaining && !opts->exit_zero ? ENGINE_FINDINGS : ENGINE_CLEAN;
	if (commit_text)
		fwrite(commit_text, 1, commit_len, out);
done:
	free(commit_text);
	buf_release(&commit_error);
	buf_release(&top);
	for (size_t i = 0; i < pool.nfiles; i++)
		pipeline_result_release(&pool.results[i]);
	free(pool.results);
	pool_release(&pool);
	for (size_t i = 0; pool.fixed && i < pool.nfiles; i++)
		buf_release(&pool.fixed[i]);
	for (size_t i = 0; pool.heads && i < pool.nfiles; i++)
		buf_release(&pool.heads[i]);
	free(pool.fixed);
	free(pool.heads);
	free(pool.modes);
	vec_release_strings(&files);
	vec_release_strings(&errors);
	vec_release(&rules);
	free(tokens);
	free(settings);
	free(masks);
	free(any_enabled);
	free(enabled);
	query_free(query);
	cache_free(config.cache);
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

			fprintf(out, "%-9s %-7s %s%s\n", t->code, fix ? fix : "report", t->summary,
				t->off_by_default ? " [off by default]" : "");
		}
		return;
	}
	arr = json_object_new_array();
	for (size_t i = 0; i < transform_count; i++) {
		const struct transform *t = transform_table[i];
		json_object *o = json_object_new_object(), *reasons;
		const char *fix = report_fix_name(t->fix);

		json_object_object_add(o, "code", json_object_new_string(t->code));
		json_object_object_add(o, "name", json_object_new_string(t->name));
		json_object_object_add(o, "summary", json_object_new_string(t->summary));
		json_object_object_add(o, "fix", json_object_new_string(fix ? fix : "report"));
		json_object_object_add(o, "default", json_object_new_boolean(!t->off_by_default));
		reasons = json_object_new_array();
		for (size_t k = 0; t->reasons && t->reasons[k]; k += 2)
			json_object_array_add(reasons, json_object_new_string(t->reasons[k]));
		json_object_object_add(o, "reasons", reasons);
		json_object_array_add(arr, o);
	}
	report_json_put(out, arr);
	json_object_put(arr);
}

int engine_file_settings(struct file_settings *fs, bool *mask, bool *excluded,
			 const struct engine_options *opts, struct config_set *configs,
			 const char *file, struct err *err)
{
	const struct config *c;

	if (config_for(&c, configs, file, err) < 0)
		return -1;
	if (c && check_config(c, NULL, err) < 0)
		return -1;
	*excluded = config_excludes(c, file);
	settle(fs, mask, opts, c, file);
	fs->pytest = config_pytest_for(configs, file);
	return 0;
}
