/*
 * reach: for each Python file named on the command line (or one path a
 * line on standard input), runs every rule with unsafe fixes twice: with
 * the patterns of the rules that report only inside async defs run over
 * the async defs alone (as asyncmod does), and over the whole tree
 * (pipeline_config.whole_query). Prints each file whose findings or fixed
 * text differ, then "reach: N files, M differ". Exits 1 when any differ.
 * For tests/reach.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pipeline.h"
#include "query.h"
#include "suppress.h"
#include "../transforms/table.h"

/* One run: its result and fixed text. */
static void run(struct pipeline_worker *w, const char *path, const char *text, size_t len,
		struct file_result *res, struct buf *out)
{
	struct file_settings fs = { .target_minor = 11, .unsafe_fixes = true,
				    .timeout = RULE_DEFAULT_TIMEOUT,
				    .http_client = HTTP_CLIENT_HTTPX };

	pipeline_run_text(w, path, text, len, &fs, res, out);
}

static bool read_all(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		return false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return true;
}

/* Compares the two runs over `path`; true when they agree. */
static bool same(struct pipeline_worker *part, struct pipeline_worker *whole, const char *path)
{
	struct buf text = BUF_INIT, f1 = BUF_INIT, f2 = BUF_INIT, o1 = BUF_INIT, o2 = BUF_INIT;
	struct file_result r1, r2;
	bool ok = true;

	if (!read_all(path, &text)) {
		fprintf(stderr, "reach: %s: cannot read\n", path);
		return false;
	}
	run(part, path, text.ptr ? text.ptr : "", text.len, &r1, &o1);
	run(whole, path, text.ptr ? text.ptr : "", text.len, &r2, &o2);
	/* a file no rule can find anything in is not parsed at all: the
	 * error of a file only the whole-tree run parsed is not told */
	pipeline_result_lines(&r1, r1.parsed && r2.parsed, &f1);
	pipeline_result_lines(&r2, r1.parsed && r2.parsed, &f2);
	pipeline_result_release(&r1);
	pipeline_result_release(&r2);
	if (f1.len != f2.len || (f1.len && memcmp(f1.ptr, f2.ptr, f1.len)) || o1.len != o2.len ||
	    (o1.len && memcmp(o1.ptr, o2.ptr, o1.len))) {
		ok = false;
		printf("DIFFER %s\n--- async defs alone ---\n%s--- whole tree ---\n%s", path,
		       buf_cstr(&f1), buf_cstr(&f2));
	}
	buf_release(&text);
	buf_release(&f1);
	buf_release(&f2);
	buf_release(&o1);
	buf_release(&o2);
	return ok;
}

int main(int argc, char **argv)
{
	struct query *q;
	struct suppress *sup;
	struct err err = ERR_INIT;
	struct pipeline_config part = { 0 }, whole;
	struct pipeline_worker *wp, *ww;
	const char **tokens;
	size_t ntok = 0;
	size_t files = 0, differ = 0;
	char line[4096];

	if (query_new(&q, transform_table, transform_count, &err) < 0 ||
	    suppress_new(&sup, &err) < 0) {
		fprintf(stderr, "reach: %s\n", err.msg);
		return 2;
	}
	for (size_t i = 0; i < transform_count; i++)
		for (size_t k = 0; transform_table[i]->tokens && transform_table[i]->tokens[k]; k++)
			ntok++;
	tokens = xcalloc(ntok + 1, sizeof(*tokens));
	ntok = 0;
	for (size_t i = 0; i < transform_count; i++)
		for (size_t k = 0; transform_table[i]->tokens && transform_table[i]->tokens[k]; k++)
			tokens[ntok++] = transform_table[i]->tokens[k];
	part.query = q;
	part.tokens = tokens;
	part.mode = MODE_DIFF;
	part.target_minor = 11;
	part.timeout = RULE_DEFAULT_TIMEOUT;
	part.suppress = sup;
	whole = part;
	whole.whole_query = true;
	wp = pipeline_worker_new(&part);
	ww = pipeline_worker_new(&whole);
	for (int i = 1; i < argc; i++, files++)
		differ += !same(wp, ww, argv[i]);
	while (argc == 1 && fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		files++;
		differ += !same(wp, ww, line);
	}
	printf("reach: %zu files, %zu differ\n", files, differ);
	pipeline_worker_free(wp);
	pipeline_worker_free(ww);
	query_free(q);
	suppress_free(sup);
	free(tokens);
	return differ ? 1 : 0;
}
