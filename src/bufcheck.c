/*
 * bufcheck: checking a text in memory with the settings of a path, for
 * `check --stdin-filename` and the language server.
 */
#include "bufcheck.h"
#include "config.h"
#include "diff.h"
#include "query.h"
#include "repo.h"
#include "report.h"
#include "source.h"
#include "suppress.h"
#include "../transforms/table.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bufcheck {
	struct engine_options opts;
	struct query *query;
	const char **tokens;
	struct suppress *suppress;
	struct pipeline_config config;
	struct pipeline_worker *worker;
	bool *mask;
};

void bufcheck_free(struct bufcheck *b)
{
	if (!b)
		return;
	pipeline_worker_free(b->worker);
	query_free(b->query);
	suppress_free(b->suppress);
	free(b->tokens);
	free(b->mask);
	free(b);
}

int bufcheck_new(struct bufcheck **out, const struct engine_options *opts, struct err *err)
{
	struct vec rules = VEC_INIT(const struct transform *);
	struct vec toks = VEC_INIT(const char *);
	struct bufcheck *b = xcalloc(1, sizeof(*b));

	*out = NULL;
	b->opts = *opts;
	b->mask = xcalloc(2 * transform_count, sizeof(bool));	/* enabled, then fixable */
	/* the command line's selection is checked here; a configuration may
	 * select any rule, so all of them are compiled */
	if (engine_select(&rules, opts->select, opts->ignore, err) < 0 ||
	    suppress_new(&b->suppress, err) < 0 ||
	    query_new(&b->query, transform_table, transform_count, err) < 0) {
		vec_release(&rules);
		bufcheck_free(b);
		return -1;
	}
	vec_release(&rules);
	for (size_t i = 0; i < transform_count; i++)
		for (size_t k = 0; transform_table[i]->tokens && transform_table[i]->tokens[k]; k++)
			*(const char **)vec_push(&toks) = transform_table[i]->tokens[k];
	*(const char **)vec_push(&toks) = NULL;
	b->tokens = toks.items;
	b->config.query = b->query;
	b->config.tokens = b->tokens;
	b->config.mode = MODE_CHECK;
	b->config.unsafe_fixes = opts->unsafe_fixes;
	b->config.target_minor = opts->target_minor ? opts->target_minor : 11;
	b->config.timeout = opts->timeout > 0 ? opts->timeout : RULE_DEFAULT_TIMEOUT;
	b->config.http_client = opts->http_client && !strcmp(opts->http_client, "aiohttp")
					? HTTP_CLIENT_AIOHTTP : HTTP_CLIENT_HTTPX;
	b->config.suppress = b->suppress;
	b->config.diff_prefix = NULL;
	/* the machine formats carry each finding's fix as edits (fixdesc.h) */
	b->config.describe_fixes = opts->format == FORMAT_JSON || opts->format == FORMAT_SARIF;
	b->worker = pipeline_worker_new(&b->config);
	*out = b;
	return 0;
}

int bufcheck_run(struct bufcheck *b, const char *path, const char *text, size_t len,
		 const struct bufcheck_request *req, struct file_result *res, struct buf *fixed,
		 bool *excluded, struct err *err)
{
	struct config_set *configs = NULL;
	struct file_settings fs;
	struct buf scratch = BUF_INIT;
	int rc;

	memset(res, 0, sizeof(*res));
	res->findings = (struct vec)VEC_INIT(struct finding);
	*excluded = false;
	if (config_set_new(&configs, b->opts.config_path, b->opts.isolated, err) < 0)
		return -1;
	rc = engine_file_settings(&fs, b->mask, excluded, &b->opts, configs, path, err);
	config_set_free(configs);
	if (rc < 0)
		return -1;
	if (*excluded && req->honour_exclude) {
		res->path = xstrdup(path);
		if (fixed) {
			buf_clear(fixed);
			buf_add(fixed, text, len);
		}
		return 0;
	}
	*excluded = false;
	fs.unsafe_fixes = fs.unsafe_fixes || req->unsafe;
	fs.only = req->only;
	fs.nonly = req->nonly;
	b->config.mode = req->mode;
	pipeline_run_text(b->worker, path, text, len, &fs, res, fixed ? fixed : &scratch);
	buf_release(&scratch);
	return 0;
}

/* Reads all of `in`, refusing more than a source may hold. */
static int read_all(struct buf *out, FILE *in, struct err *err)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		if (out->len + n > SOURCE_MAX_BYTES)
			return err_set(err, "standard input: larger than %u bytes",
				       (unsigned)SOURCE_MAX_BYTES);
		buf_add(out, chunk, n);
	}
	if (ferror(in))
		return err_set(err, "standard input: read error");
	return 0;
}

/* The path as `git apply` run from the top of the work tree reads it. */
static void diff_path(struct buf *out, const char *path)
{
	struct repo *repo = NULL;
	struct err err = ERR_INIT;

	if (path[0] != '/' && strncmp(path, "../", 3) && repo_open(&repo, &err) == 0 && repo)
		buf_puts(out, repo_prefix(repo));
	while (path[0] == '.' && path[1] == '/' && path[2])
		path += 2;
	buf_puts(out, path);
	repo_free(repo);
}

static void report(FILE *to, const struct engine_options *opts, const struct file_result *res,
		   bool color)
{
	switch (opts->format) {
	case FORMAT_JSON:
		report_json(to, res, 1, NULL);
		break;
	case FORMAT_SARIF:
		report_sarif(to, res, 1, NULL, NULL);
		break;
	case FORMAT_GITHUB:
		report_github(to, res, 1, NULL, NULL);
		break;
	case FORMAT_CONCISE:
		report_text(to, res, 1, NULL, opts->unsafe_fixes, true, color);
		break;
	case FORMAT_TEXT:
		report_text(to, res, 1, NULL, opts->unsafe_fixes, opts->quiet, color);
		break;
	}
}

int bufcheck_stdin(const struct engine_options *opts, const char *path, FILE *in, FILE *out,
		   FILE *errs)
{
	struct bufcheck_request req = { MODE_CHECK, false, NULL, 0, false };
	struct bufcheck *b = NULL;
	struct buf text = BUF_INIT, fixed = BUF_INIT, shown = BUF_INIT, d = BUF_INIT;
	struct file_result res;
	struct report_totals totals;
	struct err err = ERR_INIT;
	const char *no_color = getenv("NO_COLOR");
	bool excluded, diff = false, read = false;
	int status = ENGINE_TROUBLE;

	memset(&res, 0, sizeof(res));
	req.honour_exclude = opts->force_exclude;	/* an excluded PATH comes back as it is */
	if (read_all(&text, in, &err) < 0)
		goto fail;
	read = true;
	if (bufcheck_new(&b, opts, &err) < 0)
		goto fail;
	if (opts->mode == MODE_FIX)
		req.mode = MODE_FIX_TEXT;
	else if (opts->mode == MODE_DIFF)
		req.mode = MODE_COMMIT;
	if (bufcheck_run(b, path, text.ptr ? text.ptr : "", text.len, &req, &res, &fixed,
			 &excluded, &err) < 0)
		goto fail;
	if (res.error)
		fprintf(errs, "asyncmod: error: %s\n", res.error);
	if (opts->mode == MODE_FIX) {
		bool color = isatty(fileno(errs)) && !(no_color && *no_color);

		fwrite(fixed.ptr ? fixed.ptr : "", 1, fixed.len, out);
		report(errs, opts, &res, color);
	} else if (opts->mode == MODE_DIFF) {
		git_libgit2_init();
		diff_path(&shown, path);
		if (res.fixed && diff_make(&d, buf_cstr(&shown), 0100644, text.ptr, text.len,
					   fixed.ptr, fixed.len, &err) < 0) {
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
			res.fixed = 0;
			if (!res.error)
				res.error = xstrdup(err.msg);
		}
		git_libgit2_shutdown();
		if (d.len) {
			fwrite(d.ptr, 1, d.len, out);
			diff = true;
		}
		if (!opts->quiet)
			report_diff_summary(errs, &res, 1, NULL);
	} else {
		report(out, opts, &res, opts->color);
	}
	report_count(&totals, &res, 1, NULL);
	if (totals.errors)
		status = ENGINE_TROUBLE;
	else if (opts->mode == MODE_DIFF)
		status = diff ? ENGINE_FINDINGS : ENGINE_CLEAN;
	else
		status = totals.remaining ? ENGINE_FINDINGS : ENGINE_CLEAN;
	goto done;
fail:
	fprintf(errs, "asyncmod: error: %s\n", err.msg);
	/* a formatter run on save must not lose the buffer */
	if (opts->mode == MODE_FIX && read && text.len)
		fwrite(text.ptr, 1, text.len, out);
done:
	pipeline_result_release(&res);
	bufcheck_free(b);
	buf_release(&text);
	buf_release(&fixed);
	buf_release(&shown);
	buf_release(&d);
	return status;
}
