/*
 * noqa: adding `# noqa: CODE` comments where findings are.
 */
#include "noqa.h"
#include "fsio.h"
#include "grammar.h"
#include "query.h"
#include "rule.h"
#include "suppress.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One line to mark: where it starts and the codes it needs. */
struct mark {
	uint32_t line;
	struct vec codes;	/* const char * (static rule codes) */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A finding's line and code. */
struct pair {
	uint32_t line;
	const char *code;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

static void add_code(struct vec *codes, const char *code)
{
	for (size_t i = 0; i < codes->len; i++)
		if (!strcmp(*(const char **)vec_at(codes, i), code))
			return;
	*(const char **)vec_push(codes) = code;
}

/* The codes of the list text[cs, ce), appended to `out` (owned copies). */
static void split_codes(const char *text, size_t cs, size_t ce, struct vec *out)
{
	for (size_t i = cs; i < ce;) {
		size_t j = i;

		while (j < ce && text[j] != ',' && text[j] != ' ' && text[j] != '\t')
			j++;
		if (j > i)
			*(char **)vec_push(out) = strndup(text + i, j - i);
		i = j;
		while (i < ce && (text[i] == ',' || text[i] == ' ' || text[i] == '\t'))
			i++;
	}
}

/* The end of the line's content: before its line break. */
static uint32_t content_end(const struct source *src, uint32_t line)
{
	const char *nl = memchr(src->text + line, '\n', src->len - line);
	uint32_t e = nl ? (uint32_t)(nl - src->text) : src->len;

	if (e > line && src->text[e - 1] == '\r')
		e--;
	return e;
}

/* Writes into `out` the line [line, end) changed so that it carries the
 * codes of `m`; returns false when the line needs nothing. */
static bool mark_line(const struct suppress *s, void *md, const struct source *src,
		      const struct vec *comments, const struct mark *m, struct buf *out)
{
	uint32_t end = content_end(src, m->line);
	struct vec all = VEC_INIT(char *);
	bool changed = false;

	buf_clear(out);
	for (size_t i = suppress_first_comment_at(src, comments, m->line); i < comments->len; i++) {
		TSNode n = *(TSNode *)vec_at(comments, i);
		uint32_t at = ts_node_start_byte(n), len = ts_node_end_byte(n) - at;
		size_t ds, de, cs, ce;

		if (source_line_start(src, at) != m->line)
			break;
		if (!suppress_find_noqa(s, md, src->text + at, len, &ds, &de, &cs, &ce))
			continue;
		if (cs == ce)
			return false;	/* a bare noqa already silences everything */
		/* merge into the existing directive */
		split_codes(src->text + at, cs, ce, &all);
		for (size_t k = 0; k < m->codes.len; k++) {
			const char *code = *(const char **)vec_at(&m->codes, k);
			bool have = false;

			for (size_t j = 0; j < all.len; j++)
				have |= !strcasecmp(*(char **)vec_at(&all, j), code);
			if (!have) {
				*(char **)vec_push(&all) = xstrdup(code);
				changed = true;
			}
		}
		if (changed) {
			qsort(all.items, all.len, sizeof(char *), cmp_str);
			buf_add(out, src->text + m->line, at + ds - m->line);
			buf_puts(out, "# noqa: ");
			for (size_t j = 0; j < all.len; j++) {
				/* the existing list may name a code twice: once is enough */
				if (j && !strcmp(*(char **)vec_at(&all, j), *(char **)vec_at(&all, j - 1)))
					continue;
				buf_printf(out, "%s%s", j ? ", " : "", *(char **)vec_at(&all, j));
			}
			buf_add(out, src->text + at + de, end - (at + de));
		}
		for (size_t j = 0; j < all.len; j++)
			free(*(char **)vec_at(&all, j));
		vec_release(&all);
		return changed;
	}
	/* no directive: one goes at the end, after trailing blanks are dropped */
	while (end > m->line && (src->text[end - 1] == ' ' || src->text[end - 1] == '\t'))
		end--;
	buf_add(out, src->text + m->line, end - m->line);
	buf_puts(out, "  # noqa: ");
	for (size_t k = 0; k < m->codes.len; k++)
		buf_printf(out, "%s%s", k ? ", " : "", *(const char **)vec_at(&m->codes, k));
	return true;
}

/* True when the tree has an error node. */
static bool has_error(const TSTree *tree)
{
	TSNode bad;

	return tree_first_error(ts_tree_root_node(tree), &bad);
}

/* Marks one file. Returns the lines changed, or -1 with `err`. */
static int mark_file(struct pipeline_worker *w, TSParser *parser, const struct suppress *s,
		     void *md, const char *path, const struct file_settings *fs, struct err *err)
{
	struct source src;
	struct file_result res;
	struct buf scratch = BUF_INIT, text = BUF_INIT, line = BUF_INIT, whole = BUF_INIT;
	struct vec marks = VEC_INIT(struct mark), comments = VEC_INIT(TSNode);
	TSTree *tree = NULL, *after = NULL;
	struct pair *pairs;
	uint32_t done = 0;
	int changed = 0, rc = 0;

	if (source_load(&src, path, err) < 0)
		return -1;
	pipeline_run_text(w, path, src.bytes, src.size, fs, &res, &scratch);
	if (res.error) {
		rc = err_set(err, "%s", res.error);
		goto out;
	}
	if (!res.findings.len)
		goto out;
	tree = tree_parse(parser, src.text, src.len);
	if (!tree) {
		rc = err_set(err, "%s: parser failed", path);
		goto out;
	}
	/* the line of each finding, then one mark per line */
	pairs = xcalloc(res.findings.len, sizeof(*pairs));
	for (size_t i = 0; i < res.findings.len; i++) {
		const struct finding *f = vec_at(&res.findings, i);

		pairs[i].line = suppress_noqa_line(&src, tree, f->start);
		pairs[i].code = f->rule->code;
	}
	qsort(pairs, res.findings.len, sizeof(*pairs), cmp_pair);
	for (size_t i = 0; i < res.findings.len; i++) {
		struct mark *m = marks.len ? vec_at(&marks, marks.len - 1) : NULL;

		if (!m || m->line != pairs[i].line) {
			struct vec codes = VEC_INIT(const char *);

			m = vec_push(&marks);
			m->line = pairs[i].line;
			m->codes = codes;
		}
		add_code(&m->codes, pairs[i].code);
	}
	free(pairs);
	suppress_comments(tree, &comments);
	for (size_t k = 0; k < marks.len; k++) {
		struct mark *m = vec_at(&marks, k);

		qsort(m->codes.items, m->codes.len, sizeof(char *), cmp_str);
		if (!mark_line(s, md, &src, &comments, m, &line))
			continue;
		buf_add(&text, src.text + done, m->line - done);
		buf_add(&text, line.ptr, line.len);
		done = content_end(&src, m->line);
		changed++;
	}
	if (!changed)
		goto out;
	buf_add(&text, src.text + done, src.len - done);
	/* the comments must leave the program as it was: it still parses */
	after = tree_parse(parser, text.ptr, (uint32_t)text.len);
	if (!after || (has_error(after) && !has_error(tree))) {
		rc = err_set(err, "%s: adding noqa comments would break the file; left unchanged",
			     path);
		goto out;
	}
	source_restore_cr(&src, text.ptr, text.len);
	buf_add(&whole, src.bytes, src.bom);
	buf_add(&whole, text.ptr, text.len);
	if (fsio_write_atomic(&src, whole.ptr, whole.len, err) < 0)
		rc = -1;
out:
	for (size_t k = 0; k < marks.len; k++)
		vec_release(&((struct mark *)vec_at(&marks, k))->codes);
	vec_release(&marks);
	vec_release(&comments);
	if (tree)
		ts_tree_delete(tree);
	if (after)
		ts_tree_delete(after);
	buf_release(&scratch);
	buf_release(&text);
	buf_release(&line);
	buf_release(&whole);
	pipeline_result_release(&res);
	source_release(&src);
	return rc < 0 ? rc : changed;
}

void noqa_add(const struct pipeline_config *config, const struct file_result *results,
	      const struct file_settings *settings, size_t nfiles, FILE *errs, size_t *added,
	      size_t *errors)
{
	struct pipeline_worker *w = NULL;
	TSParser *parser = NULL;
	void *md = NULL;

	*added = 0;
	*errors = 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct err err = ERR_INIT;
		int n;

		if (results[i].error || !results[i].findings.len)
			continue;
		if (!w) {
			w = pipeline_worker_new(config);
			parser = ts_parser_new();
			ts_parser_set_language(parser, tree_sitter_python());
			md = query_match_data_new();
		}
		n = mark_file(w, parser, config->suppress, md, results[i].path,
			      settings ? &settings[i] : NULL, &err);
		if (n < 0) {
			fprintf(errs, "asyncmod: error: %s\n", err.msg);
			(*errors)++;
		} else {
			*added += (size_t)n;
		}
	}
	if (w) {
		query_match_data_free(md);
		ts_parser_delete(parser);
		pipeline_worker_free(w);
	}
}
