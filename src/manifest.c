/*
 * manifest: reading the list of repositories a batch runs over, and the
 * failed ones of an earlier report.
 */
#include "manifest.h"
#include "batch.h"
#include "fsio.h"
#include "repo.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A manifest or a report larger than this is refused. */
#define MANIFEST_FILE_MAX (64u * 1024u * 1024u)

void manifest_entry_release(struct manifest_entry *e)
{
	free(e->source);
	free(e->display);
	free(e->branch);
	free(e->paths);
}

/* Parses one manifest line (NUL-terminated, changed in place) into
 * `entries`; `name` and `no` place errors. */
/* True when every path of a comma-separated `paths=` list stays inside
 * the repository: relative, and no `..` part. */
static bool paths_inside(const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	bool inside = true;

	for (char *p = strtok_r(copy, ",", &save); p && inside; p = strtok_r(NULL, ",", &save)) {
		const char *part = p;

		if (p[0] == '/' || p[0] == '~')
			inside = false;
		while (inside && part) {
			const char *slash = strchr(part, '/');
			size_t n = slash ? (size_t)(slash - part) : strlen(part);

			inside = !(n == 2 && part[0] == '.' && part[1] == '.');
			part = slash ? slash + 1 : NULL;
		}
	}
	free(copy);
	return inside;
}

static int parse_manifest_line(struct vec *entries, const char *name, unsigned no, char *p,
			       struct err *err)
{
	char *tok, *save = NULL;
	struct manifest_entry *e = NULL;

	if ((tok = strchr(p, '#')) && (tok == p || tok[-1] == ' ' || tok[-1] == '\t'))
		*tok = '\0';
	for (tok = strtok_r(p, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!e) {
			e = vec_push(entries);
			e->line = no;
			e->source = xstrdup(tok);
			e->display = batch_redact(tok);
		} else if (!strncmp(tok, "branch=", 7) && tok[7]) {
			struct err why = ERR_INIT;

			if (repo_check_branch_name(tok + 7, &why) < 0)
				return err_set(err, "%s:%u: %s", name, no, why.msg);
			free(e->branch);
			e->branch = xstrdup(tok + 7);
		} else if (!strncmp(tok, "paths=", 6) && tok[6]) {
			if (!paths_inside(tok + 6))
				return err_set(err, "%s:%u: paths= names a path outside the repository "
					       "('%s'): give paths relative to its top, without '..'",
					       name, no, tok + 6);
			free(e->paths);
			e->paths = xstrdup(tok + 6);
		} else {
			return err_set(err, "%s:%u: unknown setting '%s' (expected branch=NAME or paths=A,B)",
				       name, no, tok);
		}
	}
	return 0;
}

/* Parses manifest text into `entries` (struct manifest_entry); `name` places errors. */
static int parse_manifest(struct vec *entries, const char *name, const char *text, size_t len,
			  struct err *err)
{
	unsigned no = 0;
	int error = 0;

	for (size_t at = 0; at < len && !error;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		char *line = xmalloc(n + 1);

		memcpy(line, text + at, n);
		line[n] = '\0';
		error = parse_manifest_line(entries, name, ++no, line, err);
		free(line);
		at += n + 1;
	}
	return error;
}

int manifest_parse(const char *name, const char *text, size_t len, size_t *count,
			 struct err *err)
{
	struct vec entries = VEC_INIT(struct manifest_entry);
	int error = parse_manifest(&entries, name, text, len, err);

	*count = entries.len;
	for (size_t i = 0; i < entries.len; i++)
		manifest_entry_release(vec_at(&entries, i));
	vec_release(&entries);
	return error;
}

int manifest_read(struct vec *entries, const char *path, struct err *err)
{
	struct buf text = BUF_INIT;
	struct stat st;
	int error;

	if (fsio_read_regular(&text, &st, path, MANIFEST_FILE_MAX, err) < 0) {
		buf_release(&text);
		return -1;
	}
	error = parse_manifest(entries, path, text.ptr ? text.ptr : "", text.len, err);
	buf_release(&text);
	return error;
}

int manifest_read_failed(struct vec *names, const char *path, struct err *err)
{
	struct buf text = BUF_INIT;
	struct stat st;
	unsigned no = 0;

	if (fsio_read_regular(&text, &st, path, MANIFEST_FILE_MAX, err) < 0) {
		buf_release(&text);
		return -1;
	}
	for (size_t at = 0; at < text.len;) {
		const char *nl = memchr(text.ptr + at, '\n', text.len - at);
		size_t n = nl ? (size_t)(nl - (text.ptr + at)) : text.len - at;
		char *line = xstrndup(text.ptr + at, n);
		json_object *o = json_tokener_parse(line), *repo, *status;

		at += n + 1;
		no++;
		if (!o) {
			bool blank = strspn(line, " \t\r") == strlen(line);

			free(line);
			if (blank)
				continue;
			buf_release(&text);
			return err_set(err, "%s:%u: not a JSON record", path, no);
		}
		free(line);
		/* a record of another shape (a JSON null, a number) is no failure */
		if (json_object_object_get_ex(o, "repository", &repo) &&
		    json_object_is_type(repo, json_type_string) &&
		    json_object_object_get_ex(o, "status", &status) &&
		    json_object_is_type(status, json_type_string) &&
		    !strcmp(json_object_get_string(status), "failed"))
			*(char **)vec_push(names) = xstrdup(json_object_get_string(repo));
		json_object_put(o);
	}
	buf_release(&text);
	return 0;
}
