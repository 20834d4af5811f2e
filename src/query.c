/*
 * query: one compiled query for every rule, and predicate evaluation.
 *
 * Patterns keep their order in the combined source, so the start byte of
 * a pattern tells which transform's .scm it came from. Regular expressions
 * are compiled once here and shared read-only by all workers; each worker
 * brings its own PCRE2 match data.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "query.h"
#include "buf.h"
#include "grammar.h"
#include "vec.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

enum pred_op {
	PRED_EQ,
	PRED_NOT_EQ,
	PRED_MATCH,
	PRED_NOT_MATCH,
	PRED_ANY_OF,
	PRED_NOT_ANY_OF,
	PRED_IMPORTS,
};

struct pred {
	enum pred_op op;
	uint32_t capture;
	uint32_t other;		/* second capture for #eq? @a @b, else UINT32_MAX */
	char **strings;
	size_t *lens;		/* strlen of each of strings */
	size_t nstrings;
	pcre2_code *re;
};

struct pattern {
	const struct transform *rule;
	struct vec preds;	/* struct pred */
};

/* A pattern `((identifier) @x (#imports? @x "m.n"...))`: it would match
 * every identifier of every file, and hold for almost none, so the cursor
 * does not run it (it is disabled in `ts`); query_imported_matches() finds
 * its matches from the names the file's imports bind. */
struct imported {
	uint32_t pattern;
	uint32_t capture;
	const struct pred *pred;
};

struct query {
	TSQuery *ts;
	struct pattern *patterns;
	uint32_t npatterns;
	struct imported *imported;
	size_t nimported;
	TSSymbol identifier;
};

static void pred_release(struct pred *p)
{
	for (size_t i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->lens);
	pcre2_code_free(p->re);
}

void query_free(struct query *q)
{
	if (!q)
		return;
	for (uint32_t i = 0; i < q->npatterns; i++) {
		for (size_t k = 0; k < q->patterns[i].preds.len; k++)
			pred_release(vec_at(&q->patterns[i].preds, k));
		vec_release(&q->patterns[i].preds);
	}
	free(q->patterns);
	free(q->imported);
	ts_query_delete(q->ts);
	free(q);
}

static const char *query_error_name(TSQueryError e)
{
	switch (e) {
	case TSQueryErrorSyntax: return "syntax error";
	case TSQueryErrorNodeType: return "unknown node type";
	case TSQueryErrorField: return "unknown field";
	case TSQueryErrorCapture: return "unknown capture";
	case TSQueryErrorStructure: return "impossible pattern";
	default: return "error";
	}
}

/* Turns the raw predicate steps of one pattern into `struct pred`s. */
static int parse_predicates(struct query *q, uint32_t pattern, struct err *err)
{
	uint32_t nsteps;
	const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(q->ts, pattern, &nsteps);
	struct pattern *pat = &q->patterns[pattern];
	uint32_t i = 0;

	while (i < nsteps) {
		uint32_t end = i, len;
		const char *name;
		struct pred *p;

		while (end < nsteps && steps[end].type != TSQueryPredicateStepTypeDone)
			end++;
		if (steps[i].type != TSQueryPredicateStepTypeString || end - i < 2 ||
		    steps[i + 1].type != TSQueryPredicateStepTypeCapture)
			return err_set(err, "%s: malformed predicate in pattern %u",
				       pat->rule->code, pattern);
		name = ts_query_string_value_for_id(q->ts, steps[i].value_id, &len);
		p = vec_push(&pat->preds);
		p->capture = steps[i + 1].value_id;
		p->other = UINT32_MAX;
		if (!strcmp(name, "eq?") || !strcmp(name, "not-eq?"))
			p->op = name[0] == 'e' ? PRED_EQ : PRED_NOT_EQ;
		else if (!strcmp(name, "match?") || !strcmp(name, "not-match?"))
			p->op = name[0] == 'm' ? PRED_MATCH : PRED_NOT_MATCH;
		else if (!strcmp(name, "any-of?") || !strcmp(name, "not-any-of?"))
			p->op = name[0] == 'a' ? PRED_ANY_OF : PRED_NOT_ANY_OF;
		else if (!strcmp(name, "imports?"))
			p->op = PRED_IMPORTS;
		else
			return err_set(err, "%s: unknown predicate #%s", pat->rule->code, name);
		if (end - i < 3)
			return err_set(err, "%s: #%s needs an argument", pat->rule->code, name);
		if ((p->op == PRED_EQ || p->op == PRED_NOT_EQ) &&
		    steps[i + 2].type == TSQueryPredicateStepTypeCapture) {
			p->other = steps[i + 2].value_id;
		} else {
			p->nstrings = end - i - 2;
			p->strings = xcalloc(p->nstrings, sizeof(char *));
			p->lens = xcalloc(p->nstrings, sizeof(size_t));
			for (uint32_t k = 0; k < p->nstrings; k++) {
				const char *s;

				if (steps[i + 2 + k].type != TSQueryPredicateStepTypeString)
					return err_set(err, "%s: #%s takes strings",
						       pat->rule->code, name);
				s = ts_query_string_value_for_id(q->ts, steps[i + 2 + k].value_id,
								 &len);
				p->strings[k] = xstrndup(s, len);
				p->lens[k] = strlen(p->strings[k]);
			}
		}
		if (p->op == PRED_MATCH || p->op == PRED_NOT_MATCH) {
			int code;
			PCRE2_SIZE off;

			p->re = pcre2_compile((PCRE2_SPTR)p->strings[0], PCRE2_ZERO_TERMINATED,
					      PCRE2_UTF, &code, &off, NULL);
			if (!p->re) {
				PCRE2_UCHAR msg[256];

				pcre2_get_error_message(code, msg, sizeof(msg));
				return err_set(err, "%s: bad regular expression '%s': %s",
					       pat->rule->code, p->strings[0], (char *)msg);
			}
			pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);
		}
		i = end + 1;
	}
	return 0;
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return s;
}

static const char *skip_word(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && !memcmp(s, word, n) ? s + n : NULL;
}

/* True when pattern `p`, whose source is [s, end), is exactly
 * `((identifier) @x (#imports? @x "..."...))`: one identifier node, no
 * quantifier, no other predicate. Any other shape stays with the cursor. */
static bool pattern_is_imported(const struct query *q, uint32_t p, const char *s, const char *end)
{
	const struct pattern *pat = &q->patterns[p];
	const struct pred *pred;
	const char *name;
	uint32_t len;

	if (pat->preds.len != 1)
		return false;
	pred = vec_at(&pat->preds, 0);
	if (pred->op != PRED_IMPORTS)
		return false;
	name = ts_query_capture_name_for_id(q->ts, pred->capture, &len);
	if (!(s = skip_word(s, end, "(")) || !(s = skip_word(skip_space(s, end), end, "(identifier)")) ||
	    !(s = skip_word(skip_space(s, end), end, "@")) || (size_t)(end - s) < len ||
	    memcmp(s, name, len))
		return false;
	s += len;
	if (!(s = skip_word(skip_space(s, end), end, "(#imports?")) ||
	    !(s = skip_word(skip_space(s, end), end, "@")) || (size_t)(end - s) < len ||
	    memcmp(s, name, len))
		return false;
	s += len;
	for (;;) {
		s = skip_space(s, end);
		if (s == end || *s != '"')
			break;
		for (s++; s < end && *s != '"'; s++)
			if (*s == '\\')
				s++;
		if (s >= end)
			return false;
		s++;
	}
	if (!(s = skip_word(s, end, ")")) || !(s = skip_word(skip_space(s, end), end, ")")))
		return false;
	s = skip_space(s, end);
	return s == end || (*s != '*' && *s != '+' && *s != '?' && *s != '@' && *s != '.');
}

int query_new(struct query **out, const struct transform *const *rules, size_t n,
	      struct err *err)
{
	struct buf src = BUF_INIT;
	uint32_t *starts = xcalloc(n + 1, sizeof(uint32_t));
	struct query *q = xcalloc(1, sizeof(*q));
	uint32_t err_off;
	TSQueryError qerr;
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		starts[i] = (uint32_t)src.len;
		buf_puts(&src, rules[i]->query);
		buf_putc(&src, '\n');
	}
	starts[n] = (uint32_t)src.len;
	q->ts = ts_query_new(tree_sitter_python(), buf_cstr(&src), (uint32_t)src.len, &err_off,
			     &qerr);
	if (!q->ts) {
		size_t r = 0;

		while (r + 1 < n && starts[r + 1] <= err_off)
			r++;
		error = err_set(err, "%s: query %s at byte %u", n ? rules[r]->code : "?",
				query_error_name(qerr), err_off - starts[r]);
		goto done;
	}
	q->npatterns = ts_query_pattern_count(q->ts);
	q->patterns = xcalloc(q->npatterns ? q->npatterns : 1, sizeof(*q->patterns));
	for (uint32_t p = 0; p < q->npatterns; p++) {
		uint32_t at = ts_query_start_byte_for_pattern(q->ts, p);
		struct vec preds = VEC_INIT(struct pred);
		size_t r = 0;

		while (r + 1 < n && starts[r + 1] <= at)
			r++;
		q->patterns[p].rule = rules[r];
		q->patterns[p].preds = preds;
		if ((error = parse_predicates(q, p, err)) < 0)
			goto done;
	}
	q->identifier = ts_language_symbol_for_name(tree_sitter_python(), "identifier",
						    (uint32_t)strlen("identifier"), true);
	q->imported = xcalloc(q->npatterns ? q->npatterns : 1, sizeof(*q->imported));
	for (uint32_t p = 0; p < q->npatterns && q->identifier; p++) {
		uint32_t at = ts_query_start_byte_for_pattern(q->ts, p);
		uint32_t end = p + 1 < q->npatterns ? ts_query_start_byte_for_pattern(q->ts, p + 1)
						    : (uint32_t)src.len;
		struct imported *im;

		if (!pattern_is_imported(q, p, buf_cstr(&src) + at, buf_cstr(&src) + end))
			continue;
		im = &q->imported[q->nimported++];
		im->pattern = p;
		im->pred = vec_at(&q->patterns[p].preds, 0);
		im->capture = im->pred->capture;
		ts_query_disable_pattern(q->ts, p);
	}
done:
	buf_release(&src);
	free(starts);
	if (error < 0) {
		query_free(q);
		return error;
	}
	*out = q;
	return 0;
}

const TSQuery *query_ts(const struct query *q)
{
	return q->ts;
}

const struct transform *query_rule(const struct query *q, uint32_t pattern)
{
	return pattern < q->npatterns ? q->patterns[pattern].rule : NULL;
}

static bool capture_text(const TSQueryMatch *m, uint32_t capture, const char *text,
			 const char **s, uint32_t *len)
{
	for (uint16_t i = 0; i < m->capture_count; i++) {
		if (m->captures[i].index != capture)
			continue;
		*s = text + ts_node_start_byte(m->captures[i].node);
		*len = ts_node_end_byte(m->captures[i].node) - ts_node_start_byte(m->captures[i].node);
		return true;
	}
	return false;
}

static bool pred_holds(const struct pred *p, const TSQueryMatch *m, struct query_env *env)
{
	const char *s, *s2;
	uint32_t len, len2;
	bool found = false;

	if (!capture_text(m, p->capture, env->text, &s, &len))
		return true;	/* an optional capture that did not match */
	switch (p->op) {
	case PRED_EQ:
	case PRED_NOT_EQ:
		if (p->other != UINT32_MAX) {
			if (!capture_text(m, p->other, env->text, &s2, &len2))
				return true;
			found = len == len2 && !memcmp(s, s2, len);
		} else {
			found = len == p->lens[0] && !memcmp(s, p->strings[0], len);
		}
		return p->op == PRED_EQ ? found : !found;
	case PRED_MATCH:
	case PRED_NOT_MATCH:
		found = pcre2_match(p->re, (PCRE2_SPTR)s, len, 0, 0, env->match_data, NULL) >= 0;
		return p->op == PRED_MATCH ? found : !found;
	case PRED_ANY_OF:
	case PRED_NOT_ANY_OF:
		for (size_t i = 0; i < p->nstrings && !found; i++)
			found = len == p->lens[i] && !memcmp(s, p->strings[i], len);
		return p->op == PRED_ANY_OF ? found : !found;
	case PRED_IMPORTS:
		return scope_imports_name(env->scopes(env->arg), s, len,
					  (const char *const *)p->strings, p->nstrings);
	}
	return false;
}

bool query_match_ok(const struct query *q, const TSQueryMatch *match, struct query_env *env)
{
	const struct pattern *pat;

	if (match->pattern_index >= q->npatterns)
		return false;
	pat = &q->patterns[match->pattern_index];
	for (size_t i = 0; i < pat->preds.len; i++)
		if (!pred_holds(vec_at(&pat->preds, i), match, env))
			return false;
	return true;
}

void query_imported_matches(const struct query *q, TSNode root, struct query_env *env,
			    void (*fn)(void *arg, const TSQueryMatch *m), void *arg)
{
	struct vec *names;
	const struct scope_index *idx;
	bool any = false;
	TSTreeCursor c;

	if (!q->nimported)
		return;
	idx = env->scopes(env->arg);
	names = xcalloc(q->nimported, sizeof(*names));
	for (size_t i = 0; i < q->nimported; i++) {
		const struct pred *p = q->imported[i].pred;

		names[i] = (struct vec)VEC_INIT(const char *);
		scope_names_importing(idx, (const char *const *)p->strings, p->nstrings, &names[i]);
		any = any || names[i].len;
	}
	if (!any)
		goto done;
	/* every identifier of the tree, in document order; a loop, not
	 * recursion: the tree may be deep */
	c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (ts_node_symbol(n) == q->identifier && ts_node_is_named(n)) {
			uint32_t start = ts_node_start_byte(n), len = ts_node_end_byte(n) - start;

			for (size_t i = 0; i < q->nimported; i++)
				for (size_t k = 0; k < names[i].len; k++) {
					const char *name = *(const char **)vec_at(&names[i], k);
					TSQueryCapture cap = { n, q->imported[i].capture };
					TSQueryMatch m = { 0, (uint16_t)q->imported[i].pattern, 1, &cap };

					if (strlen(name) != len || memcmp(name, env->text + start, len))
						continue;
					fn(arg, &m);
					break;
				}
		}
		if (ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto walked;
	}
walked:
	ts_tree_cursor_delete(&c);
done:
	for (size_t i = 0; i < q->nimported; i++)
		vec_release(&names[i]);
	free(names);
}

void *query_match_data_new(void)
{
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);

	if (!md)
		abort();
	return md;
}

void query_match_data_free(void *md)
{
	pcre2_match_data_free(md);
}
