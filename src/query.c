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
#include "tokens.h"
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
	struct tokens_found tokens;	/* the rule's tokens: a text with none gets no check */
	bool ungated;		/* the rule has no tokens, or more than are told apart */
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

/* The patterns of one compiled query. */
struct query_part {
	TSQuery *ts;
	struct tokens_found tokens;	/* the tokens of the part's rules */
	bool ungated;		/* a rule of the part has no tokens: it runs on any text */
	struct pattern *patterns;
	uint32_t npatterns;
	struct imported *imported;
	size_t nimported;
};

/* Part QUERY_WHOLE runs over the whole tree. Part QUERY_ASYNC holds the
 * patterns of rules that report only inside an async def
 * (transform.in_async_def) and runs over the outermost async defs alone;
 * QUERY_WHOLE then has one more pattern of its own, `async_def`, that
 * finds them. */
enum { QUERY_WHOLE, QUERY_ASYNC, QUERY_PARTS };

struct query {
	struct query_part parts[QUERY_PARTS];
	struct tokens *tokens;	/* every token of the query's rules */
	int async_token;	/* the index of "async" among them (-1: not told apart) */
	uint32_t async_def;	/* the pattern in parts[QUERY_WHOLE], or UINT32_MAX */
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

static void part_release(struct query_part *part)
{
	for (uint32_t i = 0; i < part->npatterns; i++) {
		for (size_t k = 0; k < part->patterns[i].preds.len; k++)
			pred_release(vec_at(&part->patterns[i].preds, k));
		vec_release(&part->patterns[i].preds);
	}
	free(part->patterns);
	free(part->imported);
	if (part->ts)
		ts_query_delete(part->ts);
}

void query_free(struct query *q)
{
	if (!q)
		return;
	for (int i = 0; i < QUERY_PARTS; i++)
		part_release(&q->parts[i]);
	tokens_free(q->tokens);
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
static int parse_predicates(struct query_part *q, uint32_t pattern, struct err *err)
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
static bool pattern_is_imported(const struct query_part *q, uint32_t p, const char *s,
				const char *end)
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

/* The pattern QUERY_WHOLE gets for finding the async defs. */
static const char ASYNC_DEF_PATTERN[] = "(function_definition \"async\") @async_def\n";

/* The tokens of `rule` as bits of `tokens` (added there when new), and
 * whether it runs on any text. */
static void rule_tokens(struct tokens *tokens, const struct transform *rule,
			struct tokens_found *out, bool *ungated)
{
	memset(out, 0, sizeof(*out));
	*ungated = !rule->tokens;
	for (size_t k = 0; rule->tokens && rule->tokens[k]; k++) {
		int at = tokens_add(tokens, rule->tokens[k]);

		if (at < 0)
			*ungated = true;
		else
			tokens_set(out, at);
	}
}

static int part_new(struct query_part *part, struct tokens *tokens,
		    const struct transform *const *rules, size_t n, const char *extra,
		    TSSymbol identifier, struct err *err)
{
	struct tokens_found *gates = xcalloc(n ? n : 1, sizeof(*gates));
	bool *ungated = xcalloc(n ? n : 1, sizeof(*ungated));
	struct buf src = BUF_INIT;
	uint32_t *starts = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t err_off;
	TSQueryError qerr;
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		starts[i] = (uint32_t)src.len;
		buf_puts(&src, rules[i]->query);
		buf_putc(&src, '\n');
		rule_tokens(tokens, rules[i], &gates[i], &ungated[i]);
		part->ungated = part->ungated || ungated[i];
		tokens_merge(&part->tokens, &gates[i]);
	}
	starts[n] = (uint32_t)src.len;
	if (extra)
		buf_puts(&src, extra);
	part->ts = ts_query_new(tree_sitter_python(), buf_cstr(&src), (uint32_t)src.len, &err_off,
				&qerr);
	if (!part->ts) {
		size_t r = 0;

		while (r + 1 < n && starts[r + 1] <= err_off)
			r++;
		error = err_set(err, "%s: query %s at byte %u", n ? rules[r]->code : "?",
				query_error_name(qerr), err_off - starts[r]);
		goto done;
	}
	part->npatterns = ts_query_pattern_count(part->ts);
	part->patterns = xcalloc(part->npatterns ? part->npatterns : 1, sizeof(*part->patterns));
	for (uint32_t p = 0; p < part->npatterns; p++) {
		uint32_t at = ts_query_start_byte_for_pattern(part->ts, p);
		struct vec preds = VEC_INIT(struct pred);
		size_t r = 0;

		while (r + 1 < n && starts[r + 1] <= at)
			r++;
		part->patterns[p].rule = at < starts[n] ? rules[r] : NULL;
		part->patterns[p].preds = preds;
		if (part->patterns[p].rule) {
			part->patterns[p].tokens = gates[r];
			part->patterns[p].ungated = ungated[r];
		}
		if ((error = parse_predicates(part, p, err)) < 0)
			goto done;
	}
	part->imported = xcalloc(part->npatterns ? part->npatterns : 1, sizeof(*part->imported));
	for (uint32_t p = 0; p < part->npatterns && identifier; p++) {
		uint32_t at = ts_query_start_byte_for_pattern(part->ts, p);
		uint32_t end = p + 1 < part->npatterns ? ts_query_start_byte_for_pattern(part->ts, p + 1)
						       : (uint32_t)src.len;
		struct imported *im;

		if (!part->patterns[p].rule ||
		    !pattern_is_imported(part, p, buf_cstr(&src) + at, buf_cstr(&src) + end))
			continue;
		im = &part->imported[part->nimported++];
		im->pattern = p;
		im->pred = vec_at(&part->patterns[p].preds, 0);
		im->capture = im->pred->capture;
		ts_query_disable_pattern(part->ts, p);
	}
done:
	buf_release(&src);
	free(starts);
	free(gates);
	free(ungated);
	return error;
}

int query_new(struct query **out, const struct transform *const *rules, size_t n,
	      struct err *err)
{
	struct query *q = xcalloc(1, sizeof(*q));
	const struct transform **split[QUERY_PARTS];
	size_t count[QUERY_PARTS] = { 0 };
	int error = 0;

	for (int i = 0; i < QUERY_PARTS; i++)
		split[i] = xcalloc(n ? n : 1, sizeof(*split[i]));
	for (size_t i = 0; i < n; i++) {
		int k = rules[i]->in_async_def ? QUERY_ASYNC : QUERY_WHOLE;

		split[k][count[k]++] = rules[i];
	}
	q->identifier = ts_language_symbol_for_name(tree_sitter_python(), "identifier",
						    (uint32_t)strlen("identifier"), true);
	q->async_def = UINT32_MAX;
	q->tokens = tokens_new();
	q->async_token = tokens_add(q->tokens, "async");
	error = part_new(&q->parts[QUERY_WHOLE], q->tokens, split[QUERY_WHOLE],
			 count[QUERY_WHOLE], count[QUERY_ASYNC] ? ASYNC_DEF_PATTERN : NULL,
			 q->identifier, err);
	if (error == 0 && count[QUERY_ASYNC]) {
		q->async_def = q->parts[QUERY_WHOLE].npatterns - 1;
		error = part_new(&q->parts[QUERY_ASYNC], q->tokens, split[QUERY_ASYNC],
				 count[QUERY_ASYNC], NULL, q->identifier, err);
	}
	for (int i = 0; i < QUERY_PARTS; i++)
		free(split[i]);
	if (error < 0) {
		query_free(q);
		return error;
	}
	*out = q;
	return 0;
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

/* True when every predicate of `pat` holds for `m`. */
static bool match_ok(const struct pattern *pat, const TSQueryMatch *m, struct query_env *env)
{
	for (size_t i = 0; i < pat->preds.len; i++)
		if (!pred_holds(vec_at(&pat->preds, i), m, env))
			return false;
	return true;
}

/* One run of the query over a tree. */
struct run {
	const struct query *q;
	struct query_env *env;
	const struct query_sink *sink;
	struct vec async_defs;	/* TSNode: the outermost async defs, in order */
	const struct tokens_found *found;	/* the tokens the text holds; NULL: all */
};

/* Hands a match of `part` whose predicates hold to the sink, when it
 * wants the pattern's rule. */
static void deliver(struct run *r, const struct query_part *part, const TSQueryMatch *m)
{
	const struct pattern *pat = &part->patterns[m->pattern_index];

	if (!pat->rule || (r->found && !pat->ungated && !tokens_any(&pat->tokens, r->found)) ||
	    (r->sink->wanted && !r->sink->wanted(r->sink->arg, pat->rule)))
		return;
	if (match_ok(pat, m, r->env))
		r->sink->match(r->sink->arg, part->ts, m, pat->rule);
}

/* The cursor's matches of `part` under `node`; with `defs`, the async
 * defs QUERY_WHOLE's own pattern finds go to r->async_defs. */
static void run_cursor(struct run *r, const struct query_part *part, TSQueryCursor *cur,
		       TSNode node, bool defs)
{
	TSQueryMatch m;

	ts_query_cursor_exec(cur, part->ts, node);
	while (ts_query_cursor_next_match(cur, &m)) {
		if (defs && m.pattern_index == r->q->async_def)
			*(TSNode *)vec_push(&r->async_defs) = m.captures[0].node;
		else
			deliver(r, part, &m);
	}
}

static int node_start_cmp(const void *a, const void *b)
{
	uint32_t x = ts_node_start_byte(*(const TSNode *)a), y = ts_node_start_byte(*(const TSNode *)b);

	return x < y ? -1 : x > y;
}

/* Keeps the outermost of r->async_defs, in document order. */
static void outermost_defs(struct run *r)
{
	size_t kept = 0;
	uint32_t end = 0;

	vec_sort(&r->async_defs, node_start_cmp);
	for (size_t i = 0; i < r->async_defs.len; i++) {
		TSNode def = *(TSNode *)vec_at(&r->async_defs, i);

		if (kept && ts_node_start_byte(def) < end)
			continue;	/* inside the last one kept */
		*(TSNode *)vec_at(&r->async_defs, kept++) = def;
		end = ts_node_end_byte(def);
	}
	r->async_defs.len = kept;
}

/* The names the file's `from m import` statements bind for each of
 * `part`'s import-bound patterns: names[i] for part->imported[i]. Returns
 * false when there are none at all. */
static bool imported_names(const struct query_part *part, struct query_env *env,
			   struct vec *names)
{
	const struct scope_index *idx = env->scopes(env->arg);
	bool any = false;

	for (size_t i = 0; i < part->nimported; i++) {
		const struct pred *p = part->imported[i].pred;

		names[i] = (struct vec)VEC_INIT(const char *);
		scope_names_importing(idx, (const char *const *)p->strings, p->nstrings, &names[i]);
		any = any || names[i].len;
	}
	return any;
}

/* The matches of `part`'s import-bound patterns under `node`: each
 * identifier bound to one of `names`, in document order. */
static void run_imported(struct run *r, const struct query_part *part, const struct vec *names,
			 TSNode node)
{
	const char *text = r->env->text;
	TSTreeCursor c = ts_tree_cursor_new(node);

	/* a loop, not recursion: the tree may be deep */
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (ts_node_symbol(n) == r->q->identifier && ts_node_is_named(n)) {
			uint32_t start = ts_node_start_byte(n), len = ts_node_end_byte(n) - start;

			for (size_t i = 0; i < part->nimported; i++)
				for (size_t k = 0; k < names[i].len; k++) {
					const char *name = *(const char **)vec_at(&names[i], k);
					TSQueryCapture cap = { n, part->imported[i].capture };
					TSQueryMatch m = { 0, (uint16_t)part->imported[i].pattern, 1, &cap };

					if (strlen(name) != len || memcmp(name, text + start, len))
						continue;
					deliver(r, part, &m);
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
}

/* `part`'s import-bound patterns under each of the `n` nodes. */
static void run_imported_under(struct run *r, const struct query_part *part, const TSNode *nodes,
			       size_t n)
{
	struct vec *names;

	if (!part->nimported || !n)
		return;
	names = xcalloc(part->nimported, sizeof(*names));
	if (imported_names(part, r->env, names))
		for (size_t i = 0; i < n; i++)
			run_imported(r, part, names, nodes[i]);
	for (size_t i = 0; i < part->nimported; i++)
		vec_release(&names[i]);
	free(names);
}

/* True when the text (its tokens `found`) holds one of the part's tokens. */
static bool holds_token(const struct query_part *part, const struct tokens_found *found)
{
	return part->ungated || tokens_any(&part->tokens, found);
}

/* True when the text may hold an async def: no `async`, none. */
static bool may_hold_async_def(const struct query *q, const struct tokens_found *found)
{
	return q->parts[QUERY_ASYNC].ts &&
	       (q->async_token < 0 || tokens_has(found, q->async_token));
}

static bool may_match(const struct query *q, const struct tokens_found *found)
{
	return holds_token(&q->parts[QUERY_WHOLE], found) ||
	       (may_hold_async_def(q, found) && holds_token(&q->parts[QUERY_ASYNC], found));
}

bool query_may_match(const struct query *q, const char *text, size_t len,
		     struct tokens_found *found)
{
	struct tokens_found mine;

	if (!found)
		found = &mine;
	tokens_scan(q->tokens, text, len, found);
	return may_match(q, found);
}

void query_run(const struct query *q, TSQueryCursor *cur, TSNode root, struct query_env *env,
	       bool whole, const struct query_sink *sink)
{
	struct run r = { q, env, sink, VEC_INIT(TSNode), NULL };
	const struct query_part *async = &q->parts[QUERY_ASYNC];
	struct tokens_found mine;
	const struct tokens_found *found = env->found;
	bool own, in_defs;

	if (!found) {
		tokens_scan(q->tokens, env->text, env->len, &mine);
		found = &mine;
	}
	r.found = whole || tokens_full(q->tokens) ? NULL : found;
	own = whole || holds_token(&q->parts[QUERY_WHOLE], found);
	in_defs = !whole && may_hold_async_def(q, found) && holds_token(async, found);

	/* QUERY_WHOLE finds the async defs too: it runs when they are wanted */
	if (own || in_defs)
		run_cursor(&r, &q->parts[QUERY_WHOLE], cur, root, !whole);
	if (own)
		run_imported_under(&r, &q->parts[QUERY_WHOLE], &root, 1);
	if (async->ts && whole) {
		run_cursor(&r, async, cur, root, false);
		run_imported_under(&r, async, &root, 1);
	} else if (in_defs) {
		outermost_defs(&r);
		for (size_t i = 0; i < r.async_defs.len; i++)
			run_cursor(&r, async, cur, *(TSNode *)vec_at(&r.async_defs, i), false);
		run_imported_under(&r, async, r.async_defs.items, r.async_defs.len);
	}
	vec_release(&r.async_defs);
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
