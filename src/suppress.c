/*
 * suppress: noqa comments, file-level exemptions and skip-file markers.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "suppress.h"
#include "rule.h"
#include "tree.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct suppress {
	pcre2_code *noqa;
	pcre2_code *file;	/* `# ruff: noqa[: CODES]`, `# flake8: noqa[: CODES]` */
};

/* Codes of other tools that name one of our checks. */
static const struct { const char *theirs, *ours; } aliases[] = {
	{ "RUF006", "ASYNC300" },	/* ruff's asyncio-dangling-task */
	{ "UP041", "AM203" },		/* ruff's timeout-error-alias */
};

/* True when `word` (n bytes) in a noqa list names `code`. */
static bool names_code(const char *word, size_t n, const char *code)
{
	size_t clen = strlen(code);

	if (n == clen && !strncasecmp(word, code, clen))
		return true;
	/* flake8-trio's TRIOxxx became flake8-async's ASYNCxxx */
	if (!strncasecmp(code, "ASYNC", 5) && n == clen - 1 && n > 4 &&
	    !strncasecmp(word, "TRIO", 4) && !strncmp(word + 4, code + 5, n - 4))
		return true;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(code, aliases[i].ours) && n == strlen(aliases[i].theirs) &&
		    !strncasecmp(word, aliases[i].theirs, n))
			return true;
	return false;
}

/* True when the list of codes text[cs, ce) names `code`. */
static bool list_names(const char *text, size_t cs, size_t ce, const char *code)
{
	for (size_t i = cs; i < ce;) {
		size_t j = i;

		while (j < ce && text[j] != ',' && text[j] != ' ' && text[j] != '\t')
			j++;
		if (names_code(text + i, j - i, code))
			return true;
		i = j;
		while (i < ce && (text[i] == ',' || text[i] == ' ' || text[i] == '\t'))
			i++;
	}
	return false;
}

int suppress_new(struct suppress **out, struct err *err)
{
	/* `# noqa`, `#noqa:CODE`, `# NOQA: A1, B2 C3`; codes are letters then digits */
	static const char pattern[] =
		"#\\s*(?i:noqa)(?::\\s*(?<codes>[A-Za-z]+[0-9]+(?:[\\s,]+[A-Za-z]+[0-9]+)*))?";
	/* a comment that starts `# ruff: noqa` or `# flake8: noqa` */
	static const char file_pattern[] =
		"^#\\s*(?:ruff|flake8)\\s*:\\s*(?i:noqa)"
		"(?:\\s*:\\s*(?<codes>[A-Za-z]+[0-9]+(?:[\\s,]+[A-Za-z]+[0-9]+)*))?";
	struct suppress *s = xcalloc(1, sizeof(*s));
	PCRE2_SIZE off;
	int code;

	s->noqa = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
	if (!s->noqa) {
		free(s);
		return err_set(err, "internal error: bad noqa pattern");
	}
	pcre2_jit_compile(s->noqa, PCRE2_JIT_COMPLETE);
	s->file = pcre2_compile((PCRE2_SPTR)file_pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off,
				NULL);
	if (!s->file) {
		pcre2_code_free(s->noqa);
		free(s);
		return err_set(err, "internal error: bad file exemption pattern");
	}
	pcre2_jit_compile(s->file, PCRE2_JIT_COMPLETE);
	*out = s;
	return 0;
}

void suppress_free(struct suppress *s)
{
	if (!s)
		return;
	pcre2_code_free(s->noqa);
	pcre2_code_free(s->file);
	free(s);
}

bool suppress_skip_file(const char *text, size_t len)
{
	size_t pos = 0;

	for (int line = 0; line < 10 && pos < len; line++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos, i = 0;
		const char *l = text + pos;

		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (i < n && l[i] == '#') {
			i++;
			while (i < n && (l[i] == ' ' || l[i] == '\t'))
				i++;
			if (n - i >= 18 && !strncmp(l + i, "asyncmod:", 9)) {
				size_t k = i + 9;

				while (k < n && (l[k] == ' ' || l[k] == '\t'))
					k++;
				if (n - k >= 9 && !strncmp(l + k, "skip-file", 9))
					return true;
			}
		}
		pos += n + 1;
	}
	return false;
}

bool suppress_find_noqa(const struct suppress *s, void *match_data, const char *text,
			size_t len, size_t *start, size_t *end, size_t *codes, size_t *codes_end)
{
	PCRE2_SIZE *ov;
	int rc = pcre2_match(s->noqa, (PCRE2_SPTR)text, len, 0, 0, match_data, NULL);

	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(match_data);
	*start = ov[0];
	*end = ov[1];
	if (rc < 2 || ov[2] == PCRE2_UNSET) {
		*codes = *codes_end = ov[1];
	} else {
		*codes = ov[2];
		*codes_end = ov[3];
	}
	return true;
}

bool suppress_comment_covers(const struct suppress *s, void *match_data, const char *text,
			     size_t len, const char *code)
{
	PCRE2_SIZE start = 0;

	while (start < len) {
		PCRE2_SIZE *ov;
		int rc = pcre2_match(s->noqa, (PCRE2_SPTR)text, len, start, 0, match_data, NULL);

		if (rc < 0)
			return false;
		ov = pcre2_get_ovector_pointer(match_data);
		if (rc < 2 || ov[2] == PCRE2_UNSET)
			return true;	/* a bare noqa silences every code */
		if (list_names(text, ov[2], ov[3], code))
			return true;
		start = ov[1] > start ? ov[1] : start + 1;
	}
	return false;
}

/* File-level exemptions: sets *all, or appends to `codes` (a vec of
 * char *, owned) the code lists, from the comments that hold one. */
static void file_exemptions(const struct suppress *s, void *match_data, const struct source *src,
			    const struct vec *comments, bool *all, struct vec *lists)
{
	for (size_t i = 0; i < comments->len && !*all; i++) {
		TSNode n = *(TSNode *)vec_at(comments, i);
		uint32_t at = ts_node_start_byte(n), len = ts_node_end_byte(n) - at;
		PCRE2_SIZE *ov;
		int rc = pcre2_match(s->file, (PCRE2_SPTR)src->text + at, len, 0, 0, match_data,
				     NULL);

		if (rc < 0)
			continue;
		ov = pcre2_get_ovector_pointer(match_data);
		if (rc < 2 || ov[2] == PCRE2_UNSET) {
			*all = true;
			continue;
		}
		*(char **)vec_push(lists) = strndup(src->text + at + ov[2], ov[3] - ov[2]);
	}
}

void suppress_comments(const TSTree *tree, struct vec *out)
{
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	bool down = true;

	for (;;) {
		if (down && ts_tree_cursor_goto_first_child(&c))
			continue;
		{
			TSNode n = ts_tree_cursor_current_node(&c);

			if (!strcmp(ts_node_type(n), "comment"))
				*(TSNode *)vec_push(out) = n;
		}
		if (ts_tree_cursor_goto_next_sibling(&c)) {
			down = true;
			continue;
		}
		down = false;
		if (!ts_tree_cursor_goto_parent(&c))
			break;
	}
	ts_tree_cursor_delete(&c);
}

/* The end of the line holding `at` (its line break or the end). */
static uint32_t line_end(const struct source *src, uint32_t at)
{
	const char *nl = memchr(src->text + at, '\n', src->len - at);

	return nl ? (uint32_t)(nl - src->text) : src->len;
}

/* The string node covering byte `at` that spans lines, if any. */
static bool string_around(const TSTree *tree, uint32_t at, uint32_t *end)
{
	TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(tree), at, at);

	for (; !ts_node_is_null(n); n = tree_parent(n)) {
		const char *t = ts_node_type(n);

		if ((!strcmp(t, "string") || !strcmp(t, "concatenated_string")) &&
		    ts_node_start_byte(n) <= at && at < ts_node_end_byte(n)) {
			*end = ts_node_end_byte(n);
			return true;
		}
	}
	return false;
}

uint32_t suppress_noqa_line(const struct source *src, const TSTree *tree, uint32_t at)
{
	uint32_t line = source_line_start(src, at < src->len ? at : src->len);

	/* each step moves to a later line, so this ends */
	for (;;) {
		uint32_t end = line_end(src, line), e = end, str_end, next = line;

		if (end >= src->len)
			return line;
		/* the line break lies in a string: the string spans lines */
		if (string_around(tree, end, &str_end) && str_end > end) {
			next = source_line_start(src, str_end - 1);
		} else {
			/* a backslash continuation (a comment cannot end in one) */
			if (e > line && src->text[e - 1] == '\r')
				e--;
			if (e > line && src->text[e - 1] == '\\') {
				TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(tree),
									     e - 1, e - 1);

				if (strcmp(ts_node_type(n), "comment"))
					next = end + 1;
			}
		}
		if (next <= line)
			return line;
		line = next;
	}
}

struct noqa_ctx {
	const struct suppress *s;
	void *match_data;
	const struct source *src;
	const TSTree *tree;
	const struct vec *comments;	/* TSNode */
	bool all;			/* a file-level exemption of every code */
	const struct vec *lists;	/* char *: file-level code lists */
};

size_t suppress_first_comment_at(const struct source *src, const struct vec *comments,
				 uint32_t line)
{
	size_t lo = 0, hi = comments->len;

	/* comments come in document order, so their lines do not decrease */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		TSNode n = *(TSNode *)vec_at(comments, mid);

		if (source_line_start(src, ts_node_start_byte(n)) < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool on_line(const struct noqa_ctx *c, uint32_t line, const char *code)
{
	for (size_t i = suppress_first_comment_at(c->src, c->comments, line);
	     i < c->comments->len; i++) {
		TSNode n = *(TSNode *)vec_at(c->comments, i);
		uint32_t at = ts_node_start_byte(n);

		if (source_line_start(c->src, at) != line)
			break;
		if (suppress_comment_covers(c->s, c->match_data, c->src->text + at,
					    ts_node_end_byte(n) - at, code))
			return true;
	}
	return false;
}

static bool not_silenced(const struct finding *f, const struct finding *kept, void *arg)
{
	const struct noqa_ctx *c = arg;
	uint32_t line = source_line_start(c->src, f->start);
	uint32_t last = suppress_noqa_line(c->src, c->tree, f->start);

	(void)kept;
	if (c->all)
		return false;
	for (size_t i = 0; i < c->lists->len; i++) {
		const char *list = *(char **)vec_at(c->lists, i);

		if (list_names(list, 0, strlen(list), f->rule->code))
			return false;
	}
	return !on_line(c, line, f->rule->code) &&
	       (last == line || !on_line(c, last, f->rule->code));
}

/* True when the text holds "noqa" in any case. */
static bool mentions_noqa(const char *text, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if ((text[i] | 0x20) == 'n' && !strncasecmp(text + i, "noqa", 4))
			return true;
	return false;
}

void suppress_filter(const struct suppress *s, void *match_data, const struct source *src,
		     const TSTree *tree, struct vec *findings)
{
	struct vec comments = VEC_INIT(TSNode), lists = VEC_INIT(char *);
	struct noqa_ctx ctx = { s, match_data, src, tree, &comments, false, &lists };

	if (!findings->len || !mentions_noqa(src->text, src->len))
		return;
	suppress_comments(tree, &comments);
	file_exemptions(s, match_data, src, &comments, &ctx.all, &lists);
	rule_findings_keep(findings, not_silenced, &ctx);
	for (size_t i = 0; i < lists.len; i++)
		free(*(char **)vec_at(&lists, i));
	vec_release(&lists);
	vec_release(&comments);
}
