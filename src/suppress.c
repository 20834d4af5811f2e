/*
 * suppress: noqa comments and skip-file markers.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "suppress.h"
#include "rule.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct suppress {
	pcre2_code *noqa;
};

int suppress_new(struct suppress **out, struct err *err)
{
	/* `# noqa`, `#noqa:CODE`, `# NOQA: A1, B2 C3`; codes are letters then digits */
	static const char pattern[] =
		"#\\s*(?i:noqa)(?::\\s*(?<codes>[A-Za-z]+[0-9]+(?:[\\s,]+[A-Za-z]+[0-9]+)*))?";
	struct suppress *s = xcalloc(1, sizeof(*s));
	PCRE2_SIZE off;
	int code;

	s->noqa = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
	if (!s->noqa) {
		free(s);
		return err_set(err, "internal error: bad noqa pattern");
	}
	pcre2_jit_compile(s->noqa, PCRE2_JIT_COMPLETE);
	*out = s;
	return 0;
}

void suppress_free(struct suppress *s)
{
	if (!s)
		return;
	pcre2_code_free(s->noqa);
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

bool suppress_comment_covers(const struct suppress *s, void *match_data, const char *text,
			     size_t len, const char *code)
{
	PCRE2_SIZE start = 0;

	while (start < len) {
		PCRE2_SIZE *ov, cs, ce;
		int rc = pcre2_match(s->noqa, (PCRE2_SPTR)text, len, start, 0, match_data, NULL);
		size_t clen = strlen(code);

		if (rc < 0)
			return false;
		ov = pcre2_get_ovector_pointer(match_data);
		if (rc < 2 || ov[2] == PCRE2_UNSET)
			return true;	/* a bare noqa silences every code */
		cs = ov[2];
		ce = ov[3];
		for (size_t i = cs; i < ce;) {
			size_t j = i;

			while (j < ce && text[j] != ',' && text[j] != ' ' && text[j] != '\t')
				j++;
			if (j - i == clen && !strncasecmp(text + i, code, clen))
				return true;
			i = j;
			while (i < ce && (text[i] == ',' || text[i] == ' ' || text[i] == '\t'))
				i++;
		}
		start = ov[1] > start ? ov[1] : start + 1;
	}
	return false;
}

/* Collects the comment nodes of the tree. */
static void collect_comments(TSNode root, struct vec *out)
{
	TSTreeCursor c = ts_tree_cursor_new(root);
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

struct noqa_ctx {
	const struct suppress *s;
	void *match_data;
	const struct source *src;
	const struct vec *comments;	/* TSNode */
};

static bool not_silenced(const struct finding *f, const struct finding *kept, void *arg)
{
	const struct noqa_ctx *c = arg;
	uint32_t line = source_line_start(c->src, f->start);

	(void)kept;
	for (size_t i = 0; i < c->comments->len; i++) {
		TSNode n = *(TSNode *)vec_at(c->comments, i);
		uint32_t at = ts_node_start_byte(n);

		if (source_line_start(c->src, at) == line &&
		    suppress_comment_covers(c->s, c->match_data, c->src->text + at,
					    ts_node_end_byte(n) - at, f->rule->code))
			return false;
	}
	return true;
}

void suppress_filter(const struct suppress *s, void *match_data, const struct source *src,
		     const TSTree *tree, struct vec *findings)
{
	struct vec comments = VEC_INIT(TSNode);
	struct noqa_ctx ctx = { s, match_data, src, &comments };

	if (!findings->len || (!memmem(src->text, src->len, "noqa", 4) &&
			       !memmem(src->text, src->len, "NOQA", 4)))
		return;
	collect_comments(ts_tree_root_node(tree), &comments);
	rule_findings_keep(findings, not_silenced, &ctx);
	vec_release(&comments);
}
