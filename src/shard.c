/*
 * shard: `--shard auto` from a scheduler's variables, and
 * `batch --merge-reports`.
 */
#include "shard.h"
#include "buf.h"
#include "engine.h"
#include "fsio.h"
#include "vec.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A report larger than this is refused, as for --retry-failed. */
#define REPORT_FILE_MAX (64u * 1024u * 1024u)
#define SHARDS_MAX 100000u

/* A variable's value, or NULL when it is unset or empty. */
static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Parses a variable's value as a number (decimal digits only). */
static int env_number(unsigned long *out, const char *name, struct err *err)
{
	const char *v = env(name);
	char *end;

	if (!v)
		return err_set(err, "--shard auto: %s is not set", name);
	if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
		return err_set(err, "--shard auto: %s is '%s', not a number", name, v);
	*out = strtoul(v, &end, 10);
	return 0;
}

int shard_auto(unsigned *k, unsigned *n, const char **from, const char *spec, struct err *err)
{
	unsigned long given = 0, idx = 0, count = 0, min = 0, step = 1;
	const char *found[3];
	size_t nfound = 0;

	if (!strncmp(spec, "auto/", 5)) {
		const char *v = spec + 5;

		if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9 ||
		    !(given = strtoul(v, NULL, 10)) || given > SHARDS_MAX)
			return err_set(err, "invalid shard '%s' (expected auto or auto/N, 1 <= N)", spec);
	} else if (strcmp(spec, "auto")) {
		return err_set(err, "invalid shard '%s' (expected K/N, auto or auto/N)", spec);
	}
	if (env("JOB_COMPLETION_INDEX"))
		found[nfound++] = "JOB_COMPLETION_INDEX";
	if (env("SLURM_ARRAY_TASK_ID"))
		found[nfound++] = "SLURM_ARRAY_TASK_ID";
	if (env("CI_NODE_INDEX") || env("CI_NODE_TOTAL"))
		found[nfound++] = env("CI_NODE_INDEX") ? "CI_NODE_INDEX" : "CI_NODE_TOTAL";
	if (!nfound)
		return err_set(err, "--shard auto: no scheduler's variables are set (a Kubernetes "
			       "indexed Job's JOB_COMPLETION_INDEX, a Slurm array job's "
			       "SLURM_ARRAY_TASK_ID, a GitLab parallel job's CI_NODE_INDEX): give "
			       "--shard K/N");
	if (nfound > 1)
		return err_set(err, "--shard auto: both %s and %s are set, so the scheduler is "
			       "ambiguous: give --shard K/N", found[0], found[1]);
	*from = found[0];
	if (!strcmp(found[0], "JOB_COMPLETION_INDEX")) {
		unsigned long count_env = 0;

		if (env_number(&idx, "JOB_COMPLETION_INDEX", err) < 0)
			return -1;
		if (env("ASYNCMOD_SHARD_COUNT") &&
		    (env_number(&count_env, "ASYNCMOD_SHARD_COUNT", err) < 0 || !count_env))
			return err_set(err, "--shard auto: ASYNCMOD_SHARD_COUNT is '%s', not a count "
				       "of shards", env("ASYNCMOD_SHARD_COUNT"));
		if (given && count_env && given != count_env)
			return err_set(err, "--shard auto/%lu: ASYNCMOD_SHARD_COUNT says %lu", given,
				       count_env);
		count = given ? given : count_env;
		if (!count)
			return err_set(err, "--shard auto: JOB_COMPLETION_INDEX gives the index but "
				       "not the count: use --shard auto/N (N the Job's "
				       "completions) or set ASYNCMOD_SHARD_COUNT");
		idx += 1;
	} else if (!strcmp(found[0], "SLURM_ARRAY_TASK_ID")) {
		unsigned long id;

		if (env_number(&id, "SLURM_ARRAY_TASK_ID", err) < 0 ||
		    env_number(&min, "SLURM_ARRAY_TASK_MIN", err) < 0 ||
		    env_number(&count, "SLURM_ARRAY_TASK_COUNT", err) < 0)
			return -1;
		if (env("SLURM_ARRAY_TASK_STEP") &&
		    (env_number(&step, "SLURM_ARRAY_TASK_STEP", err) < 0 || !step))
			return err_set(err, "--shard auto: SLURM_ARRAY_TASK_STEP is '%s'",
				       env("SLURM_ARRAY_TASK_STEP"));
		if (id < min || (id - min) % step || (id - min) / step >= count)
			return err_set(err, "--shard auto: SLURM_ARRAY_TASK_ID %lu is not in the "
				       "range of %lu tasks from %lu by %lu: give the array as one "
				       "range (--array=A-B or A-B:S)", id, count, min, step);
		idx = (id - min) / step + 1;
	} else {
		if (env_number(&count, "CI_NODE_TOTAL", err) < 0)
			return -1;
		if (env("CI_NODE_INDEX")) {
			if (env_number(&idx, "CI_NODE_INDEX", err) < 0)
				return -1;
		} else if (count == 1) {
			idx = 1;	/* a job without `parallel:` is the one shard */
		} else {
			return err_set(err, "--shard auto: CI_NODE_TOTAL is %lu but CI_NODE_INDEX is "
				       "not set", count);
		}
	}
	if (!count || count > SHARDS_MAX)
		return err_set(err, "--shard auto: %s gives %lu shards", *from, count);
	if (given && given != count)
		return err_set(err, "--shard auto/%lu: the scheduler runs %lu jobs (%s)", given, count,
			       *from);
	if (!idx || idx > count)
		return err_set(err, "--shard auto: %s gives shard %lu of %lu", *from, idx, count);
	*k = (unsigned)idx;
	*n = (unsigned)count;
	return 0;
}

/* One record read, for the duplicate check. */
struct seen {
	const char *repository;
	size_t file, line;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->repository, y->repository);

	if (c)
		return c;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Per-rule totals. */
struct rule_total {
	const char *code;	/* points into a record */
	int64_t fixes, left, repos;
};

static int total_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rule_total *)a)->code, ((const struct rule_total *)b)->code);
}

static bool count_map(json_object *o)
{
	if (!json_object_is_type(o, json_type_object))
		return false;
	{
		json_object_object_foreach(o, code, v) {
			(void)code;
			if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
				return false;
		}
	}
	return true;
}

/* Why a record is not one batch writes, or NULL. */
static const char *record_problem(json_object *r)
{
	static const char *const statuses[] = { "changed", "unchanged", "skipped", "failed" };
	json_object *v;
	bool known = false;

	if (!json_object_is_type(r, json_type_object))
		return "not a JSON object";
	if (!json_object_object_get_ex(r, "repository", &v) ||
	    !json_object_is_type(v, json_type_string) || !*json_object_get_string(v))
		return "no \"repository\" string";
	if (!json_object_object_get_ex(r, "status", &v) || !json_object_is_type(v, json_type_string))
		return "no \"status\" string";
	for (size_t i = 0; i < 4; i++)
		known |= !strcmp(json_object_get_string(v), statuses[i]);
	if (!known)
		return "\"status\" is not changed, unchanged, skipped or failed";
	if (!json_object_object_get_ex(r, "files_changed", &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return "no \"files_changed\" count";
	if (!json_object_object_get_ex(r, "file_errors", &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return "no \"file_errors\" count";
	if (!json_object_object_get_ex(r, "fixes", &v) || !count_map(v))
		return "\"fixes\" is not an object of counts";
	if (!json_object_object_get_ex(r, "findings_left", &v) || !count_map(v))
		return "\"findings_left\" is not an object of counts";
	return NULL;
}

static void add_counts(struct vec *totals, json_object *map, bool fixes)
{
	json_object_object_foreach(map, code, v) {
		struct rule_total *t = NULL;
		int64_t n = json_object_get_int64(v);

		if (!n)
			continue;
		for (size_t i = 0; i < totals->len && !t; i++)
			if (!strcmp(((struct rule_total *)vec_at(totals, i))->code, code))
				t = vec_at(totals, i);
		if (!t) {
			t = vec_push(totals);
			t->code = code;
		}
		if (fixes) {
			t->fixes += n;
			t->repos++;
		} else {
			t->left += n;
		}
	}
}

static const char *get_string(json_object *r, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(r, key, &v) && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) : NULL;
}

/* Reads one report into `records` (json_object *) and `seen`. */
static int read_report(struct vec *records, struct vec *seen, const char *path, size_t file,
		       struct err *err)
{
	struct buf text = BUF_INIT;
	struct stat st;
	size_t no = 0;

	if (fsio_read_regular(&text, &st, path, REPORT_FILE_MAX, err) < 0) {
		buf_release(&text);
		return -1;
	}
	for (size_t at = 0; at < text.len;) {
		const char *nl = memchr(text.ptr + at, '\n', text.len - at);
		size_t n = nl ? (size_t)(nl - (text.ptr + at)) : text.len - at;
		char *line = xstrndup(text.ptr + at, n);
		json_tokener *tok = json_tokener_new();
		json_object *r = json_tokener_parse_ex(tok, line, (int)n);
		bool whole = r && json_tokener_get_error(tok) == json_tokener_success &&
			     strspn(line + json_tokener_get_parse_end(tok), " \t\r") ==
				     strlen(line + json_tokener_get_parse_end(tok));
		const char *problem = NULL;

		json_tokener_free(tok);
		at += n + 1;
		no++;
		if (strspn(line, " \t\r") == n) {
			json_object_put(r);
			free(line);
			continue;
		}
		free(line);
		if (!r || !whole)
			problem = "not a JSON record";
		else
			problem = record_problem(r);
		if (problem) {
			json_object_put(r);
			buf_release(&text);
			return err_set(err, "%s:%zu: %s (expected a record of asyncmod batch --report)",
				       path, no, problem);
		}
		*(json_object **)vec_push(records) = r;
		*(struct seen *)vec_push(seen) =
			(struct seen){ get_string(r, "repository"), file, no };
	}
	buf_release(&text);
	return 0;
}

static void print_summary(FILE *f, const struct vec *records, struct vec *totals)
{
	static const char *const names[] = { "changed", "unchanged", "skipped", "failed" };
	size_t counts[4] = { 0 }, prs = 0, created = 0;
	int64_t fixes = 0, left = 0, files = 0, errors = 0;

	for (size_t i = 0; i < records->len; i++) {
		json_object *r = *(json_object **)vec_at(records, i), *v;
		const char *status = get_string(r, "status");

		for (size_t s = 0; s < 4; s++)
			counts[s] += !strcmp(status, names[s]);
		json_object_object_get_ex(r, "fixes", &v);
		add_counts(totals, v, true);
		json_object_object_get_ex(r, "findings_left", &v);
		add_counts(totals, v, false);
		json_object_object_get_ex(r, "files_changed", &v);
		files += json_object_get_int64(v);
		json_object_object_get_ex(r, "file_errors", &v);
		errors += json_object_get_int64(v);
		if (get_string(r, "pr_url")) {
			prs++;
			created += json_object_object_get_ex(r, "pr_action", &v) &&
				   !strcmp(json_object_get_string(v), "created");
		}
	}
	vec_sort(totals, total_cmp);
	fprintf(f, "%-12s %7s %7s  %s\n", "rule", "fixes", "left", "repositories fixed");
	for (size_t i = 0; i < totals->len; i++) {
		const struct rule_total *t = vec_at(totals, i);

		fprintf(f, "%-12s %7lld %7lld  %lld\n", t->code, (long long)t->fixes,
			(long long)t->left, (long long)t->repos);
		fixes += t->fixes;
		left += t->left;
	}
	for (size_t i = 0; i < records->len; i++) {
		json_object *r = *(json_object **)vec_at(records, i);
		const char *status = get_string(r, "status"), *reason = get_string(r, "reason");

		if (!strcmp(status, "failed") || !strcmp(status, "skipped"))
			fprintf(f, "%s: %s: %s\n", status, get_string(r, "repository"),
				reason ? reason : "(no reason given)");
	}
	fprintf(f, "%zu repositor%s: %zu changed, %zu unchanged, %zu skipped, %zu failed; "
		"%lld fix%s in %lld file%s, %lld finding%s left, %lld file error%s\n",
		records->len, records->len == 1 ? "y" : "ies", counts[0], counts[1], counts[2],
		counts[3], (long long)fixes, fixes == 1 ? "" : "es", (long long)files,
		files == 1 ? "" : "s", (long long)left, left == 1 ? "" : "s", (long long)errors,
		errors == 1 ? "" : "s");
	if (prs)
		fprintf(f, "%zu pull request%s: %zu created, %zu updated\n", prs, prs == 1 ? "" : "s",
			created, prs - created);
}

int shard_merge_reports(char *const *files, size_t n, const char *out, FILE *summary, int *status,
			struct err *err)
{
	struct vec records = VEC_INIT(json_object *), seen = VEC_INIT(struct seen);
	struct vec totals = VEC_INIT(struct rule_total);
	bool bad = false, left = false;
	FILE *f = NULL;
	int error = 0;

	for (size_t i = 0; i < n && !error; i++)
		error = read_report(&records, &seen, files[i], i, err);
	if (error)
		goto done;
	/* the same repository twice: two reports of one shard, or shards of
	 * different manifests */
	vec_sort(&seen, seen_cmp);
	for (size_t i = 1; i < seen.len; i++) {
		const struct seen *a = vec_at(&seen, i - 1), *b = vec_at(&seen, i);

		if (!strcmp(a->repository, b->repository)) {
			error = err_set(err, "%s:%zu: repository '%s' is already in %s:%zu", files[b->file],
					b->line, b->repository, files[a->file], a->line);
			goto done;
		}
	}
	for (size_t i = 0; i < records.len; i++) {
		json_object *r = *(json_object **)vec_at(&records, i), *v;
		const char *st = get_string(r, "status");

		bad |= !strcmp(st, "failed") || !strcmp(st, "skipped");
		json_object_object_get_ex(r, "findings_left", &v);
		left |= json_object_object_length(v) > 0;
		json_object_object_get_ex(r, "file_errors", &v);
		left |= json_object_get_int64(v) > 0;
	}
	if (out) {
		/* every input has been read: OUT may be one of them */
		if (!(f = fopen(out, "w"))) {
			error = err_errno(err, "%s: unable to write the report", out);
			goto done;
		}
		for (size_t i = 0; i < records.len; i++) {
			fputs(json_object_to_json_string_ext(*(json_object **)vec_at(&records, i),
							     JSON_C_TO_STRING_PLAIN |
								     JSON_C_TO_STRING_NOSLASHESCAPE),
			      f);
			fputc('\n', f);
		}
		if (fclose(f) != 0) {
			error = err_errno(err, "%s: unable to write the report", out);
			goto done;
		}
	}
	print_summary(summary, &records, &totals);
	*status = bad ? ENGINE_TROUBLE : left ? ENGINE_FINDINGS : ENGINE_CLEAN;
done:
	for (size_t i = 0; i < records.len; i++)
		json_object_put(*(json_object **)vec_at(&records, i));
	vec_release(&records);
	vec_release(&seen);
	vec_release(&totals);
	return error;
}
