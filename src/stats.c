/*
 * stats: per-code counts of a run's findings and fixes.
 */
#include "stats.h"
#include "color.h"
#include "report.h"
#include "rule.h"
#include "../transforms/table.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

struct stat_row {
	const struct transform *rule;
	size_t count;
	bool fixable;
};

static int row_cmp(const void *a, const void *b)
{
	const struct stat_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->rule->code, y->rule->code);
}

/* The rows of the findings not applied, sorted; returns how many. */
static size_t count_rows(struct stat_row *rows, const struct file_result *results, size_t n,
			 bool unsafe)
{
	size_t nrows = 0;

	memset(rows, 0, transform_count * sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);
			size_t t = transform_index(f->rule);

			if (f->applied || t >= transform_count)
				continue;
			rows[t].rule = f->rule;
			rows[t].count++;
			rows[t].fixable |= f->fix != FIX_NONE && !f->reason &&
					   (f->fix == FIX_SAFE || unsafe);
		}
	}
	for (size_t t = 0; t < transform_count; t++)
		if (rows[t].count)
			rows[nrows++] = rows[t];
	qsort(rows, nrows, sizeof(*rows), row_cmp);
	return nrows;
}

void stats_print_text(FILE *out, const struct file_result *results, size_t n, bool unsafe,
		      bool color)
{
	struct stat_row *rows = xcalloc(transform_count, sizeof(*rows));
	size_t nrows = count_rows(rows, results, n, unsafe);
	int count_width = 1, code_width = 1;
	bool any_fixable = false;
	char num[32];

	for (size_t i = 0; i < nrows; i++) {
		int w = snprintf(num, sizeof(num), "%zu", rows[i].count);

		count_width = w > count_width ? w : count_width;
		if ((int)strlen(rows[i].rule->code) > code_width)
			code_width = (int)strlen(rows[i].rule->code);
		any_fixable |= rows[i].fixable;
	}
	for (size_t i = 0; i < nrows; i++) {
		int w = snprintf(num, sizeof(num), "%zu", rows[i].count);

		fprintf(out, "%*s", count_width - w, "");
		color_put(out, color, "1", num);
		fputc('\t', out);
		color_put(out, color, "1;31", rows[i].rule->code);
		fprintf(out, "%*s\t", code_width - (int)strlen(rows[i].rule->code), "");
		if (any_fixable && rows[i].fixable) {
			fputc('[', out);
			color_put(out, color, "36", "*");
			fputs("] ", out);
		} else if (any_fixable) {
			fputs("[ ] ", out);
		}
		fprintf(out, "%s\n", rows[i].rule->name);
	}
	free(rows);
}

void stats_print_json(FILE *out, const struct file_result *results, size_t n, bool unsafe)
{
	struct stat_row *rows = xcalloc(transform_count, sizeof(*rows));
	size_t nrows = count_rows(rows, results, n, unsafe);
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < nrows; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "code", json_object_new_string(rows[i].rule->code));
		json_object_object_add(o, "name", json_object_new_string(rows[i].rule->name));
		json_object_object_add(o, "count", json_object_new_int64((int64_t)rows[i].count));
		json_object_object_add(o, "fixable", json_object_new_boolean(rows[i].fixable));
		json_object_array_add(arr, o);
	}
	report_json_put(out, arr);
	json_object_put(arr);
	free(rows);
}

void stats_print_fixes(FILE *out, const struct file_result *results, size_t n, bool color)
{
	size_t *per = xcalloc(transform_count, sizeof(size_t)), total = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < results[i].findings.len; k++)
			total += ((const struct finding *)vec_at(&results[i].findings, k))->applied;
	if (!total)
		goto done;
	fprintf(out, "Fixed %zu finding%s:\n", total, total == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		size_t most = 0;
		int width;
		char num[32];

		memset(per, 0, transform_count * sizeof(size_t));
		for (size_t k = 0; k < results[i].findings.len; k++) {
			const struct finding *f = vec_at(&results[i].findings, k);
			size_t t = transform_index(f->rule);

			if (f->applied && t < transform_count && ++per[t] > most)
				most = per[t];
		}
		if (!most)
			continue;
		width = snprintf(num, sizeof(num), "%zu", most);
		fputs("- ", out);
		color_put(out, color, "1", results[i].path);
		fputs(":\n", out);
		/* codes in catalog order, as `asyncmod rules` lists them */
		for (size_t t = 0; t < transform_count; t++) {
			const struct transform *r = transform_table[t];

			if (!per[t])
				continue;
			fprintf(out, "    %*zu \xc3\x97 ", width, per[t]);
			color_put(out, color, "1;31", r->code);
			fprintf(out, " (%s)\n", r->name);
		}
	}
done:
	free(per);
}
