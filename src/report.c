/*
 * report: text and JSON output of findings.
 */
#include "report.h"
#include "rule.h"

#include <json-c/json.h>

const char *report_fix_name(int fix_class)
{
	return fix_class == FIX_SAFE ? "safe" : fix_class == FIX_UNSAFE ? "unsafe" : NULL;
}

void report_count(struct report_totals *out, const struct file_result *results, size_t n)
{
	struct report_totals t = { 0, 0, 0, 0 };

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

void report_text(FILE *out, const struct file_result *results, size_t n, bool unsafe, bool quiet,
		 bool color)
{
	struct report_totals t;
	size_t fixable = 0, hidden = 0;

	(void)color;

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);
			bool available = f->fix != FIX_NONE && !f->reason &&
					 (f->fix == FIX_SAFE || unsafe);

			if (f->applied)
				continue;
			fixable += available;
			hidden += f->fix == FIX_UNSAFE && !f->reason && !unsafe;
			fprintf(out, "%s:%u:%u: %s %s%s", results[i].path, f->line, f->column,
				f->rule->code, available ? "[*] " : "", f->message);
			if (f->reason)
				fprintf(out, " (reason: %s)", f->reason);
			fputc('\n', out);
		}
	}
	if (quiet)
		return;
	report_count(&t, results, n);
	if (!t.findings) {
		fputs("All checks passed!\n", out);
		return;
	}
	fprintf(out, "Found %zu finding%s (%zu fixed, %zu remaining).\n", t.findings,
		t.findings == 1 ? "" : "s", t.fixed, t.remaining);
	if (fixable)
		fprintf(out, "[*] %zu fixable with the `--fix` option.\n", fixable);
	if (hidden)
		fprintf(out, "%zu hidden fix%s can be enabled with the `--unsafe-fixes` option.\n",
			hidden, hidden == 1 ? "" : "es");
}

void report_json(FILE *out, const struct file_result *results, size_t n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);
			json_object *o = json_object_new_object();
			const char *fix = report_fix_name(f->reason && !f->applied &&
							  f->fix == FIX_NONE ? FIX_NONE : f->fix);

			json_object_object_add(o, "path", json_object_new_string(results[i].path));
			json_object_object_add(o, "line", json_object_new_int((int)f->line));
			json_object_object_add(o, "column", json_object_new_int((int)f->column));
			json_object_object_add(o, "end_line", json_object_new_int((int)f->end_line));
			json_object_object_add(o, "end_column",
					       json_object_new_int((int)f->end_column));
			json_object_object_add(o, "code", json_object_new_string(f->rule->code));
			json_object_object_add(o, "message", json_object_new_string(f->message));
			json_object_object_add(o, "fix", fix ? json_object_new_string(fix) : NULL);
			json_object_object_add(o, "applied", json_object_new_boolean(f->applied));
			json_object_object_add(o, "reason",
					       f->reason ? json_object_new_string(f->reason) : NULL);
			json_object_array_add(arr, o);
		}
	}
	fputs(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_SPACED |
						     JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
	json_object_put(arr);
}

void report_sarif(FILE *out, const struct file_result *results, size_t n)
{
	(void)out, (void)results, (void)n;
}

void report_github(FILE *out, const struct file_result *results, size_t n)
{
	(void)out, (void)results, (void)n;
}
