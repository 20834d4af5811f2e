/*
 * report: the output formats of findings: text (optionally coloured as
 * ruff colours it), JSON, SARIF 2.1.0 for code scanning, and GitHub
 * Actions workflow commands.
 *
 * Every sink leaves out findings whose fix was applied, except JSON,
 * which lists them with `"applied": true`.
 */
#include "report.h"
#include "paths.h"
#include "source.h"
#include "explain.h"
#include "rule.h"
#include "../transforms/table.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PACKAGE_NAME, PACKAGE_VERSION and PACKAGE_URL come from configure. */

/* SGR styles of the text format, as ruff uses them. */
#define STYLE_PATH "1"		/* bold */
#define STYLE_POSITION "36"	/* cyan */
#define STYLE_CODE "1;31"	/* bold red */
#define STYLE_FIXABLE "36"	/* cyan */
#define STYLE_REASON "33"	/* yellow */
#define STYLE_PASSED "1;32"	/* bold green */

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_SRCROOT "%SRCROOT%"

const char *report_fix_name(int fix_class)
{
	return fix_class == FIX_SAFE ? "safe" : fix_class == FIX_UNSAFE ? "unsafe" : NULL;
}

void report_count(struct report_totals *out, const struct file_result *results, size_t n,
		  const struct report_errors *errors)
{
	struct report_totals t = { 0, 0, 0, 0 };

	if (errors)
		t.errors = (errors->paths ? errors->paths->len : 0) + (errors->run != NULL);

	for (size_t i = 0; i < n; i++) {
		t.errors += results[i].error != NULL;
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);

			t.findings++;
			if (f->applied)
				t.fixed++;
			else
				t.remaining++;
		}
	}
	*out = t;
}

/* One error of the run, split for the machine formats. */
struct error_item {
	char *path;		/* owned; NULL when the message names no file */
	unsigned line, column;	/* 0 when there is no position (column: no column) */
	const char *text;	/* the message after its path and position */
};

/* Reads "LINE:COL: " or "LINE: " at `*p`, advancing past it. */
static void take_position(const char **p, unsigned *line, unsigned *column)
{
	const char *q = *p;
	unsigned long l, c = 0;
	char *end;

	if (*q < '0' || *q > '9')
		return;
	l = strtoul(q, &end, 10);
	if (*end != ':' || !l || l > UINT_MAX)
		return;
	q = end + 1;
	if (*q >= '0' && *q <= '9') {
		c = strtoul(q, &end, 10);
		if (*end != ':' || c > UINT_MAX)
			return;
		q = end + 1;
	}
	*line = (unsigned)l;
	*column = (unsigned)c;
	*p = q;
}

/* Splits `msg`, an error of the file `path` ("PATH[:LINE[:COL]]: TEXT"),
 * or with `path` NULL an error whose path ends at the first ": ", or with
 * `nopath` an error of no file. */
static void split_error(struct error_item *e, const char *msg, const char *path, bool nopath)
{
	const char *p = msg;

	e->path = NULL;
	e->line = e->column = 0;
	if (nopath) {
		/* the whole message */
	} else if (path) {
		size_t n = strlen(path);

		e->path = xstrdup(path);
		if (!strncmp(msg, path, n) && msg[n] == ':') {
			p = msg + n + 1;
			take_position(&p, &e->line, &e->column);
		}
	} else {
		const char *sep = strstr(msg, ": ");

		if (sep && sep > msg) {
			e->path = xstrndup(msg, (size_t)(sep - msg));
			p = sep + 1;
		}
	}
	while (*p == ' ')
		p++;
	e->text = *p ? p : msg;
}

/* Every error of the run in output order: the paths not walked, then each
 * file's (struct error_item). Release with release_errors(). */
static void collect_errors(struct vec *out, const struct file_result *results, size_t n,
			   const struct report_errors *errors)
{
	for (size_t i = 0; errors && errors->paths && i < errors->paths->len; i++)
		split_error(vec_push(out), *(char **)vec_at(errors->paths, i), NULL, false);
	for (size_t i = 0; i < n; i++)
		if (results[i].error)
			split_error(vec_push(out), results[i].error, results[i].path, false);
	if (errors && errors->run)
		split_error(vec_push(out), errors->run, NULL, true);
}

static void release_errors(struct vec *items)
{
	for (size_t i = 0; i < items->len; i++)
		free(((struct error_item *)vec_at(items, i))->path);
	vec_release(items);
}

/* " and N errors", or nothing without errors. */
static void put_errors_tail(FILE *out, size_t errors)
{
	if (errors)
		fprintf(out, " and %zu error%s", errors, errors == 1 ? "" : "s");
}

/* Prints `text` in the SGR style `sgr` when `color`, else as it is. */
static void put_styled(FILE *out, bool color, const char *sgr, const char *text)
{
	if (color)
		fprintf(out, "\033[%sm%s\033[0m", sgr, text);
	else
		fputs(text, out);
}

void report_text(FILE *out, const struct file_result *results, size_t n,
		 const struct report_errors *errors, bool unsafe, bool quiet, bool color)
{
	struct buf reason = BUF_INIT;
	char pos[64];

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);
			bool available = f->fix != FIX_NONE && !f->reason &&
					 (f->fix == FIX_SAFE || unsafe);

			if (f->applied)
				continue;
			snprintf(pos, sizeof(pos), ":%u:%u:", f->line, f->column);
			put_styled(out, color, STYLE_PATH, results[i].path);
			put_styled(out, color, STYLE_POSITION, pos);
			fputc(' ', out);
			put_styled(out, color, STYLE_CODE, f->rule->code);
			fputc(' ', out);
			if (available) {
				put_styled(out, color, STYLE_FIXABLE, "[*]");
				fputc(' ', out);
			}
			fputs(f->message, out);
			if (f->reason) {
				buf_clear(&reason);
				buf_printf(&reason, "(reason: %s)", f->reason);
				fputc(' ', out);
				put_styled(out, color, STYLE_REASON, buf_cstr(&reason));
			}
			fputc('\n', out);
		}
	}
	buf_release(&reason);
	if (!quiet)
		report_summary(out, results, n, errors, unsafe, color);
}

bool report_any_applied(const struct file_result *results, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < results[i].findings.len; k++)
			if (((const struct finding *)vec_at(&results[i].findings, k))->applied)
				return true;
	return false;
}

void report_summary(FILE *out, const struct file_result *results, size_t n,
		    const struct report_errors *errors, bool unsafe, bool color)
{
	struct report_totals t;
	size_t fixable = 0, hidden = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);

			if (f->applied)
				continue;
			fixable += f->fix != FIX_NONE && !f->reason && (f->fix == FIX_SAFE || unsafe);
			hidden += f->fix == FIX_UNSAFE && !f->reason && !unsafe;
		}
	}
	report_count(&t, results, n, errors);
	if (!t.findings && !t.errors) {
		put_styled(out, color, STYLE_PASSED, "All checks passed!");
		fputc('\n', out);
		return;
	}
	/* an error means some file was not checked or not written: no success */
	if (t.findings)
		fprintf(out, "Found %zu finding%s (%zu fixed, %zu remaining)", t.findings,
			t.findings == 1 ? "" : "s", t.fixed, t.remaining);
	else
		fputs("Found 0 findings", out);
	put_errors_tail(out, t.errors);
	fputs(".\n", out);
	if (fixable) {
		put_styled(out, color, STYLE_FIXABLE, "[*]");
		fprintf(out, " %zu fixable with the `--fix` option.\n", fixable);
	}
	if (hidden)
		fprintf(out, "%zu hidden fix%s can be enabled with the `--unsafe-fixes` option.\n",
			hidden, hidden == 1 ? "" : "es");
}

void report_diff_summary(FILE *out, const struct file_result *results, size_t n,
			 const struct report_errors *errors)
{
	struct report_totals t;

	report_count(&t, results, n, errors);
	fprintf(out, "Would fix %zu finding%s (%zu remaining)", t.fixed, t.fixed == 1 ? "" : "s",
		t.remaining);
	put_errors_tail(out, t.errors);
	fputs(".\n", out);
}

/* An error as an element of the JSON array: a finding's keys, `code` null. */
static json_object *json_error(const struct error_item *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", e->path ? json_object_new_string(e->path) : NULL);
	json_object_object_add(o, "line", e->line ? json_object_new_int((int)e->line) : NULL);
	json_object_object_add(o, "column",
			       e->column ? json_object_new_int((int)e->column) : NULL);
	json_object_object_add(o, "end_line", e->line ? json_object_new_int((int)e->line) : NULL);
	json_object_object_add(o, "end_column",
			       e->column ? json_object_new_int((int)e->column) : NULL);
	json_object_object_add(o, "code", NULL);
	json_object_object_add(o, "message", json_object_new_string(e->text));
	json_object_object_add(o, "fix", NULL);
	json_object_object_add(o, "applied", json_object_new_boolean(false));
	json_object_object_add(o, "reason", NULL);
	return o;
}

/* Writes JSON text that json-c made from strings that may hold bytes
 * that are not UTF-8 (a file name): each such byte becomes the escape of
 * the lone surrogate U+DC00+byte, the `surrogateescape` form Python (and
 * ruff) use, so the output is valid JSON and the bytes can be recovered. */
static void put_json(FILE *out, const char *text)
{
	size_t len = strlen(text);

	while (len) {
		size_t ok = source_utf8_check(text, len);

		fwrite(text, 1, ok, out);
		text += ok;
		len -= ok;
		if (len) {
			fprintf(out, "\\udc%02x", (unsigned char)*text);
			text++;
			len--;
		}
	}
}

void report_json_put(FILE *out, struct json_object *v)
{
	put_json(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY |
							JSON_C_TO_STRING_SPACED |
							JSON_C_TO_STRING_NOSLASHESCAPE));
	fputc('\n', out);
}

/* {"row": LINE, "column": COLUMN}, as ruff writes a location. */
static json_object *json_location(unsigned line, unsigned column)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "row", json_object_new_int64(line));
	json_object_object_add(o, "column", json_object_new_int64(column));
	return o;
}

/* The fix of `f` as ruff gives it: its applicability, what it does, and
 * the edits of that fix alone (struct finding's `shown`); null when the
 * finding has none to give. */
static json_object *json_fix(const struct finding *f)
{
	json_object *o, *edits;
	const char *name = report_fix_name(f->fix);

	if (!f->shown.len || !name)
		return NULL;
	o = json_object_new_object();
	edits = json_object_new_array();
	json_object_object_add(o, "applicability", json_object_new_string(name));
	json_object_object_add(o, "message", json_object_new_string(f->rule->summary));
	for (size_t i = 0; i < f->shown.len; i++) {
		const struct edit *e = vec_at(&f->shown, i);
		json_object *edit = json_object_new_object();

		json_object_object_add(edit, "content", json_object_new_string(e->text));
		json_object_object_add(edit, "location", json_location(e->line, e->column));
		json_object_object_add(edit, "end_location",
				       json_location(e->end_line, e->end_column));
		json_object_array_add(edits, edit);
	}
	json_object_object_add(o, "edits", edits);
	return o;
}

/* The keys a reader of ruff's JSON looks for besides ours: `filename`
 * (absolute), `location`, `end_location`, `name` and `url`. */
static void json_ruff_keys(json_object *o, const struct finding *f, const char *path)
{
	struct buf abs = BUF_INIT;

	paths_absolute(&abs, path);
	json_object_object_add(o, "filename", json_object_new_string(buf_cstr(&abs)));
	json_object_object_add(o, "location", json_location(f->line, f->column));
	json_object_object_add(o, "end_location", json_location(f->end_line, f->end_column));
	json_object_object_add(o, "name", json_object_new_string(f->rule->name));
	buf_release(&abs);
}

void report_json(FILE *out, const struct file_result *results, size_t n,
		 const struct report_errors *errors)
{
	json_object *arr = json_object_new_array();
	struct vec items = VEC_INIT(struct error_item);

	/* errors first, as on stderr and in the other formats */
	collect_errors(&items, results, n, errors);
	for (size_t i = 0; i < items.len; i++)
		json_object_array_add(arr, json_error(vec_at(&items, i)));
	release_errors(&items);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);
			json_object *o = json_object_new_object();

			json_object_object_add(o, "path", json_object_new_string(results[i].path));
			json_object_object_add(o, "line", json_object_new_int((int)f->line));
			json_object_object_add(o, "column", json_object_new_int((int)f->column));
			json_object_object_add(o, "end_line", json_object_new_int((int)f->end_line));
			json_object_object_add(o, "end_column",
					       json_object_new_int((int)f->end_column));
			json_object_object_add(o, "code", json_object_new_string(f->rule->code));
			json_object_object_add(o, "message", json_object_new_string(f->message));
			json_object_object_add(o, "fix", json_fix(f));
			json_object_object_add(o, "applied", json_object_new_boolean(f->applied));
			json_object_object_add(o, "reason",
					       f->reason ? json_object_new_string(f->reason) : NULL);
			json_ruff_keys(o, f, results[i].path);
			json_object_array_add(arr, o);
		}
	}
	report_json_put(out, arr);
	json_object_put(arr);
}

static json_object *json_text(const char *text)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "text", json_object_new_string(text));
	return o;
}

/* Appends `s` percent-encoded as the path of a URI: unreserved characters,
 * `/` and the sub-delimiters stay, everything else (`:`, `%`, `#`, `?`,
 * spaces, bytes of non-ASCII characters) is encoded. */
static void put_uri_path(struct buf *out, const char *s)
{
	static const char keep[] = "-._~/!$&'()*+,;=@";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			buf_putc(out, (char)*p);
		else
			buf_printf(out, "%%%02X", *p);
	}
}

/* The SARIF URI of `path`: relative to `top` (the %SRCROOT% of the log)
 * when the file is below it (and `*relative` set), else an absolute
 * `file://` URI. */
static void sarif_uri(struct buf *out, const char *path, const char *top, bool *relative)
{
	struct buf p = BUF_INIT;

	paths_from_top(&p, path, top, relative);
	if (!*relative)
		buf_puts(out, "file://");
	put_uri_path(out, buf_cstr(&p));
	buf_release(&p);
}

static json_object *sarif_artifact(const char *path, const char *top)
{
	json_object *o = json_object_new_object();
	struct buf uri = BUF_INIT;
	bool relative;

	sarif_uri(&uri, path, top, &relative);
	json_object_object_add(o, "uri", json_object_new_string(buf_cstr(&uri)));
	if (relative)
		json_object_object_add(o, "uriBaseId", json_object_new_string(SARIF_SRCROOT));
	buf_release(&uri);
	return o;
}

static json_object *sarif_region(unsigned line, unsigned column, unsigned end_line,
				 unsigned end_column)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "startLine", json_object_new_int64(line));
	json_object_object_add(o, "startColumn", json_object_new_int64(column));
	json_object_object_add(o, "endLine", json_object_new_int64(end_line));
	json_object_object_add(o, "endColumn", json_object_new_int64(end_column));
	return o;
}

static json_object *sarif_rule(const struct transform *t)
{
	json_object *o = json_object_new_object(), *help = json_object_new_object();
	json_object *conf = json_object_new_object(), *props = json_object_new_object();
	json_object *tags = json_object_new_array();
	struct buf text = BUF_INIT;
	const char *fix = report_fix_name(t->fix);

	json_object_object_add(o, "id", json_object_new_string(t->code));
	json_object_object_add(o, "name", json_object_new_string(t->name));
	json_object_object_add(o, "shortDescription", json_text(t->summary));
	json_object_object_add(o, "fullDescription", json_text(t->finds ? t->finds : t->summary));
	explain_write(&text, t, false);
	json_object_object_add(help, "text", json_object_new_string(buf_cstr(&text)));
	buf_clear(&text);
	explain_write(&text, t, true);
	json_object_object_add(help, "markdown", json_object_new_string(buf_cstr(&text)));
	json_object_object_add(o, "help", help);
	json_object_object_add(conf, "level", json_object_new_string("warning"));
	json_object_object_add(o, "defaultConfiguration", conf);
	json_object_array_add(tags, json_object_new_string("asyncio"));
	buf_clear(&text);
	buf_printf(&text, "%s-fix", fix ? fix : "no");
	json_object_array_add(tags, json_object_new_string(buf_cstr(&text)));
	json_object_object_add(props, "tags", tags);
	json_object_object_add(o, "properties", props);
	buf_release(&text);
	return o;
}

/* The fix of a finding as a SARIF `fix`, or NULL when it cannot be given
 * whole: the edits carry no positions yet, or the fix also needs an import
 * or module-level statement that only the edit stage writes. */
static json_object *sarif_fix(const char *path, const char *top, const struct finding *f)
{
	json_object *o, *change, *changes, *repls;
	struct buf text = BUF_INIT;
	const char *fix = report_fix_name(f->fix);

	if (!f->shown.len || !fix)
		return NULL;
	o = json_object_new_object();
	change = json_object_new_object();
	changes = json_object_new_array();
	repls = json_object_new_array();
	buf_printf(&text, "%c%s fix: %s", fix[0] - 'a' + 'A', fix + 1, f->rule->summary);
	json_object_object_add(o, "description", json_text(buf_cstr(&text)));
	json_object_object_add(change, "artifactLocation", sarif_artifact(path, top));
	for (size_t i = 0; i < f->shown.len; i++) {
		const struct edit *e = vec_at(&f->shown, i);
		json_object *r = json_object_new_object();

		json_object_object_add(r, "deletedRegion", sarif_region(e->line, e->column,
									e->end_line, e->end_column));
		json_object_object_add(r, "insertedContent", json_text(e->text));
		json_object_array_add(repls, r);
	}
	json_object_object_add(change, "replacements", repls);
	json_object_array_add(changes, change);
	json_object_object_add(o, "artifactChanges", changes);
	buf_release(&text);
	return o;
}

static json_object *sarif_result(const char *path, const char *top, const struct finding *f,
				 size_t rule_index)
{
	json_object *o = json_object_new_object(), *loc = json_object_new_object();
	json_object *phys = json_object_new_object(), *locs = json_object_new_array(), *fix;
	struct buf msg = BUF_INIT;

	json_object_object_add(o, "ruleId", json_object_new_string(f->rule->code));
	json_object_object_add(o, "ruleIndex", json_object_new_int64((int64_t)rule_index));
	json_object_object_add(o, "level", json_object_new_string("warning"));
	buf_puts(&msg, f->message);
	if (f->reason)
		buf_printf(&msg, " (reason: %s)", f->reason);
	json_object_object_add(o, "message", json_text(buf_cstr(&msg)));
	json_object_object_add(phys, "artifactLocation", sarif_artifact(path, top));
	json_object_object_add(phys, "region", sarif_region(f->line, f->column, f->end_line,
							     f->end_column));
	json_object_object_add(loc, "physicalLocation", phys);
	json_object_array_add(locs, loc);
	json_object_object_add(o, "locations", locs);
	if (f->fix != FIX_NONE && !f->reason && (fix = sarif_fix(path, top, f))) {
		json_object *fixes = json_object_new_array();

		json_object_array_add(fixes, fix);
		json_object_object_add(o, "fixes", fixes);
	}
	buf_release(&msg);
	return o;
}

/* The run's one invocation: whether it succeeded, and each error as a
 * tool execution notification with the file and position it names. */
static json_object *sarif_invocation(const struct file_result *results, size_t n,
				     const struct report_errors *errors, const char *top)
{
	json_object *inv = json_object_new_object(), *notes = json_object_new_array();
	struct vec items = VEC_INIT(struct error_item);

	collect_errors(&items, results, n, errors);
	for (size_t i = 0; i < items.len; i++) {
		const struct error_item *e = vec_at(&items, i);
		json_object *note = json_object_new_object();

		json_object_object_add(note, "level", json_object_new_string("error"));
		json_object_object_add(note, "message", json_text(e->text));
		if (e->path) {
			json_object *loc = json_object_new_object(), *phys = json_object_new_object();
			json_object *locs = json_object_new_array();

			json_object_object_add(phys, "artifactLocation", sarif_artifact(e->path, top));
			if (e->line) {
				json_object *region = json_object_new_object();

				json_object_object_add(region, "startLine",
						       json_object_new_int64(e->line));
				if (e->column)
					json_object_object_add(region, "startColumn",
							       json_object_new_int64(e->column));
				json_object_object_add(phys, "region", region);
			}
			json_object_object_add(loc, "physicalLocation", phys);
			json_object_array_add(locs, loc);
			json_object_object_add(note, "locations", locs);
		}
		json_object_array_add(notes, note);
	}
	json_object_object_add(inv, "executionSuccessful", json_object_new_boolean(!items.len));
	json_object_object_add(inv, "toolExecutionNotifications", notes);
	release_errors(&items);
	return inv;
}

/* Where %SRCROOT% is: `top` (or the working folder) as a `file://` URI
 * ending in a slash, as SARIF wants a base URI. */
static json_object *sarif_base_ids(const char *top)
{
	json_object *ids = json_object_new_object(), *root = json_object_new_object();
	struct buf dir = BUF_INIT, uri = BUF_INIT;

	paths_absolute(&dir, top ? top : ".");
	buf_puts(&uri, "file://");
	put_uri_path(&uri, buf_cstr(&dir));
	if (!uri.len || uri.ptr[uri.len - 1] != '/')
		buf_putc(&uri, '/');
	json_object_object_add(root, "uri", json_object_new_string(buf_cstr(&uri)));
	json_object_object_add(ids, SARIF_SRCROOT, root);
	buf_release(&dir);
	buf_release(&uri);
	return ids;
}

void report_sarif(FILE *out, const struct file_result *results, size_t n,
		  const struct report_errors *errors, const char *top)
{
	json_object *invocations = json_object_new_array();
	json_object *log = json_object_new_object(), *runs = json_object_new_array();
	json_object *run = json_object_new_object(), *tool = json_object_new_object();
	json_object *driver = json_object_new_object(), *rules = json_object_new_array();
	json_object *list = json_object_new_array();

	json_object_object_add(log, "$schema", json_object_new_string(SARIF_SCHEMA));
	json_object_object_add(log, "version", json_object_new_string("2.1.0"));
	json_object_object_add(driver, "name", json_object_new_string(PACKAGE_NAME));
	json_object_object_add(driver, "version", json_object_new_string(PACKAGE_VERSION));
	if (*PACKAGE_URL)	/* AC_INIT's URL argument, when configure.ac gives one */
		json_object_object_add(driver, "informationUri",
				       json_object_new_string(PACKAGE_URL));
	for (size_t i = 0; i < transform_count; i++)
		json_object_array_add(rules, sarif_rule(transform_table[i]));
	json_object_object_add(driver, "rules", rules);
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);
	json_object_array_add(invocations, sarif_invocation(results, n, errors, top));
	json_object_object_add(run, "invocations", invocations);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);

			if (!f->applied)
				json_object_array_add(list, sarif_result(results[i].path, top, f,
									 transform_index(f->rule)));
		}
	}
	json_object_object_add(run, "results", list);
	json_object_object_add(run, "columnKind", json_object_new_string("unicodeCodePoints"));
	json_object_object_add(run, "originalUriBaseIds", sarif_base_ids(top));
	json_object_array_add(runs, run);
	json_object_object_add(log, "runs", runs);
	report_json_put(out, log);
	json_object_put(log);
}

/* Prints `s` escaped for a workflow command: `%`, CR and LF always, and
 * `:` and `,` too in a property value. */
static void put_github_escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

void report_github(FILE *out, const struct file_result *results, size_t n,
		   const struct report_errors *errors, const char *top)
{
	struct vec items = VEC_INIT(struct error_item);
	struct buf shown = BUF_INIT;	/* a path from the top of the work tree */
	bool below;

	collect_errors(&items, results, n, errors);
	for (size_t i = 0; i < items.len; i++) {
		const struct error_item *e = vec_at(&items, i);

		fputs("::error", out);
		if (e->path) {
			fputs(" file=", out);
			paths_from_top(&shown, e->path, top, &below);
			put_github_escaped(out, buf_cstr(&shown), true);
			if (e->line)
				fprintf(out, ",line=%u", e->line);
			if (e->column)
				fprintf(out, ",col=%u", e->column);
		}
		fputs("::", out);
		put_github_escaped(out, e->text, false);
		fputc('\n', out);
	}
	release_errors(&items);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);

			if (f->applied)
				continue;
			fputs("::warning file=", out);
			paths_from_top(&shown, results[i].path, top, &below);
			put_github_escaped(out, buf_cstr(&shown), true);
			fprintf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=", f->line,
				f->column, f->end_line, f->end_column);
			put_github_escaped(out, f->rule->code, true);
			fputs("::", out);
			put_github_escaped(out, f->message, false);
			if (f->reason) {
				fputs(" (reason: ", out);
				put_github_escaped(out, f->reason, false);
				fputc(')', out);
			}
			fputc('\n', out);
		}
	}
	buf_release(&shown);
}
