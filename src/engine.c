/*
 * engine: running `check` over many files with a pool of workers.
 *
 * Workers take the next file index from a shared counter and store each
 * result in its slot, so the sinks see results in walk order no matter
 * which thread finished first.
 */
#include "engine.h"
#include "query.h"
#include "report.h"
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

static bool code_matches(const char *code, const char *sel, size_t len)
{
	return len && (len <= strlen(code)) && !strncasecmp(code, sel, len);
}

static int list_check(const char *list, struct err *err)
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
	struct file_result *results;
	size_t nfiles;
	size_t next;		/* shared: the next file to take */
};

static void *pool_work(void *arg)
{
	struct pool *p = arg;
	struct pipeline_worker *w = pipeline_worker_new(p->config);

	for (;;) {
		size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);

		if (i >= p->nfiles)
			break;
		pipeline_run(w, p->files[i], &p->results[i]);
	}
	pipeline_worker_free(w);
	return NULL;
}

static void pool_run(struct pool *p, int jobs)
{
	pthread_t *threads;
	int started = 0;

	if (jobs <= 1 || p->nfiles <= 1) {
		pool_work(p);
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
}

static const char **collect_tokens(const struct vec *rules)
{
	struct vec toks = VEC_INIT(const char *);

	for (size_t i = 0; i < rules->len; i++) {
		const struct transform *t = *(const struct transform **)vec_at(rules, i);

		for (size_t k = 0; t->tokens && t->tokens[k]; k++)
			*(const char **)vec_push(&toks) = t->tokens[k];
	}
	*(const char **)vec_push(&toks) = NULL;
	return toks.items;
}

int engine_check(const struct engine_options *opts, FILE *out, FILE *errs, int *status,
		 struct err *err)
{
	struct vec rules = VEC_INIT(const struct transform *);
	struct vec files = VEC_INIT(char *), errors = VEC_INIT(char *);
	struct pipeline_config config;
	struct query *query = NULL;
	struct report_totals totals;
	struct pool pool;
	const char **tokens = NULL;
	bool any_diff = false;
	int error = 0;

	if (engine_select(&rules, opts->select, opts->ignore, err) < 0) {
		error = -1;
		goto done;
	}
	if (rules.len && (error = query_new(&query, rules.items, rules.len, err)) < 0)
		goto done;
	git_libgit2_init();
	walk_collect(&files, &errors, opts->paths, opts->npaths);
	tokens = collect_tokens(&rules);
	config.query = query;
	config.tokens = tokens;
	config.mode = opts->mode;
	config.unsafe_fixes = opts->unsafe_fixes;
	config.target_minor = opts->target_minor;
	pool.config = &config;
	pool.files = files.items;
	pool.nfiles = rules.len ? files.len : 0;
	pool.results = xcalloc(files.len ? files.len : 1, sizeof(struct file_result));
	pool.next = 0;
	pool_run(&pool, opts->jobs > 0 ? opts->jobs : engine_default_jobs());

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
	if (opts->format == FORMAT_JSON)
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
	if (errors.len || totals.errors)
		*status = ENGINE_TROUBLE;
	else if (opts->mode == MODE_DIFF)
		*status = any_diff ? ENGINE_FINDINGS : ENGINE_CLEAN;
	else
		*status = totals.remaining ? ENGINE_FINDINGS : ENGINE_CLEAN;
	for (size_t i = 0; i < pool.nfiles; i++)
		pipeline_result_release(&pool.results[i]);
	free(pool.results);
	git_libgit2_shutdown();
done:
	for (size_t i = 0; i < files.len; i++)
		free(*(char **)vec_at(&files, i));
	for (size_t i = 0; i < errors.len; i++)
		free(*(char **)vec_at(&errors, i));
	vec_release(&files);
	vec_release(&errors);
	vec_release(&rules);
	free(tokens);
	query_free(query);
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
