/*
 * pipeline: processing one file from bytes to findings and fixes.
 */
#include "pipeline.h"
#include "cache.h"
#include "pycheck.h"
#include "diff.h"
#include "fix.h"
#include "fixdesc.h"
#include "fsio.h"
#include "grammar.h"
#include "tree.h"
#include "verify.h"
#include "rule.h"
#include "scope.h"
#include "source.h"
#include "suppress.h"
#include "../transforms/table.h"

#include <stdlib.h>
#include <string.h>

/* Passes of the rules over their own fixed output, at most. */
#define PIPELINE_FIX_PASSES 10
/* Fixes a file may have for them to be tried one by one when the merged
 * text fails verification; beyond that they all keep their findings. */
#define PIPELINE_FIX_TRIALS 64

struct pipeline_worker {
	const struct pipeline_config *config;
	TSParser *parser;
	TSQueryCursor *cursor;
	void *match_data;
};

/* The lazily built scope index of the file being processed. */
struct lazy_scopes {
	const TSTree *tree;
	const struct source *src;
	struct scope_index *idx;
};

static const struct scope_index *lazy_get(void *arg)
{
	struct lazy_scopes *l = arg;

	if (!l->idx)
		l->idx = scope_index_new(l->tree, l->src->text, l->src->len);
	return l->idx;
}

struct pipeline_worker *pipeline_worker_new(const struct pipeline_config *config)
{
	struct pipeline_worker *w = xcalloc(1, sizeof(*w));

	w->config = config;
	w->parser = ts_parser_new();
	ts_parser_set_language(w->parser, tree_sitter_python());
	w->cursor = ts_query_cursor_new();
	w->match_data = query_match_data_new();
	return w;
}

void pipeline_worker_free(struct pipeline_worker *w)
{
	if (!w)
		return;
	ts_parser_delete(w->parser);
	ts_query_cursor_delete(w->cursor);
	query_match_data_free(w->match_data);
	free(w);
}

void pipeline_result_release(struct file_result *res)
{
	for (size_t i = 0; i < res->findings.len; i++)
		rule_finding_release(vec_at(&res->findings, i));
	vec_release(&res->findings);
	free(res->path);
	free(res->error);
	free(res->diff);
	memset(res, 0, sizeof(*res));
}

void pipeline_result_lines(const struct file_result *res, bool error, struct buf *out)
{
	for (size_t i = 0; i < res->findings.len; i++) {
		const struct finding *f = vec_at(&res->findings, i);

		buf_printf(out, "%s %u-%u %d %s %s\n", f->rule->code, f->start, f->end, (int)f->fix,
			   f->reason ? f->reason : "-", f->message);
	}
	if (error && res->error)
		buf_printf(out, "error %s\n", res->error);
}

bool pipeline_prefilter_skips(const char *const *tokens, const char *text, size_t len)
{
	for (size_t i = 0; tokens[i]; i++)
		if (memmem(text, len, tokens[i], strlen(tokens[i])))
			return false;
	return true;
}


static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	c = strcmp(x->rule->code, y->rule->code);
	if (c)
		return c;
	return strcmp(x->message, y->message);
}

static bool not_a_repeat(const struct finding *f, const struct finding *kept, void *arg)
{
	(void)arg;
	return !kept || kept->start != f->start || kept->end != f->end || kept->rule != f->rule;
}

/* Two patterns of one rule may report the same node: keep one. */
static void dedupe_findings(struct vec *findings)
{
	vec_sort(findings, finding_cmp);
	rule_findings_keep(findings, not_a_repeat, NULL);
}

/* A module inside a package folder named trio or anyio (their own code
 * and tests) runs under that framework, whatever it imports. */
static enum runtime path_runtime(const char *path, enum runtime found)
{
	static const struct { const char *name; enum runtime rt; } pkgs[] = {
		{ "trio", RUNTIME_TRIO }, { "anyio", RUNTIME_ANYIO },
	};

	if (found != RUNTIME_ASYNCIO)
		return found;
	for (const char *p = path; p && *p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		for (size_t i = 0; i < 2; i++) {
			size_t n = strlen(pkgs[i].name);

			if (!strncmp(p, pkgs[i].name, n) && p[n] == '/')
				return pkgs[i].rt;
		}
	}
	return found;
}

/* One file's matches as run_rules hands them to the checks. */
struct rules_run {
	const struct query *q;
	const struct source *src;
	TSTree *tree;
	struct lazy_scopes *lazy;
	const struct file_settings *fs;
	struct vec *findings;
};

/* query_sink.wanted: this file's settings enable `rule`. */
static bool rule_enabled(void *arg, const struct transform *rule)
{
	const struct rules_run *r = arg;
	size_t k = transform_index(rule);

	return !(r->fs->enabled && k < transform_count && !r->fs->enabled[k]);
}

/* query_sink.match: hands a match of an enabled `rule` whose predicates
 * hold to its check. */
static void run_check(void *arg, const TSQuery *ts, const TSQueryMatch *m,
		      const struct transform *rule)
{
	const struct rules_run *r = arg;
	struct rule_ctx ctx = { 0 };

	ctx.src = r->src;
	ctx.tree = r->tree;
	ctx.scopes = lazy_get(r->lazy);
	ctx.query = ts;
	ctx.target_minor = r->fs->target_minor;
	ctx.timeout = r->fs->timeout;
	ctx.http_client = r->fs->http_client;
	ctx.unsafe_fixes = r->fs->unsafe_fixes;
	ctx.runtime = path_runtime(r->src->path, scope_runtime(ctx.scopes));
	ctx.findings = r->findings;
	ctx.pytest = r->fs->pytest;
	rule->check(&ctx, m);
}

/* `found`: the tokens of src's text, when known (NULL: looked for). */
static void run_rules(struct pipeline_worker *w, const struct source *src, TSTree *tree,
		      struct lazy_scopes *lazy, const struct file_settings *fs,
		      const struct tokens_found *found, struct vec *findings)
{
	struct query_env env = { src->text, src->len, lazy_get, lazy, w->match_data, found };
	struct rules_run run = { w->config->query, src, tree, lazy, fs, findings };
	struct query_sink sink = { rule_enabled, run_check, &run };

	query_run(w->config->query, w->cursor, ts_tree_root_node(tree), &env,
		  w->config->whole_query, &sink);
	dedupe_findings(findings);
	if (w->config->suppress)
		suppress_filter(w->config->suppress, w->match_data, src, tree, findings);
	/* the configuration's `unfixable` rules are reported, never fixed */
	for (size_t i = 0; fs->fixable && i < findings->len; i++) {
		struct finding *f = vec_at(findings, i);
		size_t index = transform_index(f->rule);

		if (f->fix != FIX_NONE && index < transform_count && !fs->fixable[index])
			rule_no_fix(f, "unfixable");
	}
}

/* Line and column of each finding: in the original text, except for
 * findings left after fixes were written, which point into the new text. */
static void set_positions(const struct source *src, struct vec *findings,
			  const struct source *fixed, const struct vec *edits)
{
	struct fix_map map = { 0 };

	if (fixed)
		fix_map_init(&map, edits);
	for (size_t i = 0; i < findings->len; i++) {
		struct finding *f = vec_at(findings, i);

		if (fixed && !f->applied) {
			source_position(fixed, fix_map_at(&map, f->start), &f->line, &f->column);
			source_position(fixed, fix_map_at(&map, f->end), &f->end_line,
					&f->end_column);
		} else {
			source_position(src, f->start, &f->line, &f->column);
			source_position(src, f->end, &f->end_line, &f->end_column);
		}
		for (size_t k = 0; k < f->edits.len; k++) {
			struct edit *e = vec_at(&f->edits, k);

			if (fixed && !f->applied) {
				source_position(fixed, fix_map_at(&map, e->start), &e->line,
						&e->column);
				source_position(fixed, fix_map_at(&map, e->end), &e->end_line,
						&e->end_column);
			} else {
				source_position(src, e->start, &e->line, &e->column);
				source_position(src, e->end, &e->end_line, &e->end_column);
			}
		}
	}
	fix_map_release(&map);
}

/* Whether the findings left after fixes are placed in the fixed text: it
 * is what the file holds after the run (or what the caller gets back). */
static bool places_in_fixed(const struct pipeline_config *c)
{
	return c->mode == MODE_FIX || c->mode == MODE_FIX_TEXT || c->in_work_tree;
}

static void set_error(struct file_result *res, const char *msg)
{
	free(res->error);
	res->error = xstrdup(msg);
}

/* Applies the fixes `fs` allows to `findings` of `src` and checks the
 * result (verify.h). When the merged text fails, the fixes are taken again
 * one at a time, in order, each kept only if the text still passes; the
 * others keep their findings with the reason. Returns the fixes applied;
 * `fixed` and `edits` are as fix_apply leaves them. */
static size_t fix_verified(struct pipeline_worker *w, const struct source *src,
			   const TSTree *tree, struct lazy_scopes *lazy,
			   const struct file_settings *fs, struct vec *findings,
			   struct buf *fixed, struct vec *edits)
{
	const struct scope_index *scopes = lazy_get(lazy);
	struct verify_base base;
	size_t applied, n = findings->len;
	const char *why;
	bool *held, *keep;

	applied = fix_apply(fixed, edits, src, tree, scopes, findings, fs->unsafe_fixes,
			    w->parser);
	if (!applied)
		return 0;
	verify_base_init(&base, scopes);
	why = verify_text(&base, w->parser, fixed->ptr, fixed->len);
	if (!why) {
		verify_base_release(&base);
		return applied;
	}
	held = xcalloc(n, sizeof(bool));
	keep = xcalloc(n, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		held[i] = ((struct finding *)vec_at(findings, i))->held;
	for (size_t i = 0; i < n; i++) {
		struct finding *f = vec_at(findings, i);
		const char *trial;

		if (!f->applied)
			continue;
		if (applied > PIPELINE_FIX_TRIALS) {
			f->reason = why;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			struct finding *o = vec_at(findings, k);

			o->held = held[k] || !(keep[k] || k == i);
			o->applied = o->applied && k > i;	/* those after i are still to try */
		}
		fix_edits_release(edits);
		trial = fix_apply(fixed, edits, src, tree, scopes, findings, fs->unsafe_fixes,
				  w->parser)
				? verify_text(&base, w->parser, fixed->ptr, fixed->len)
				: "conflict";
		keep[i] = !trial && f->applied;
		if (trial && !f->reason)
			f->reason = trial;
	}
	for (size_t k = 0; k < n; k++) {
		struct finding *o = vec_at(findings, k);

		o->held = held[k] || !keep[k];
		o->applied = false;
	}
	fix_edits_release(edits);
	applied = fix_apply(fixed, edits, src, tree, scopes, findings, fs->unsafe_fixes,
			    w->parser);
	for (size_t k = 0; k < n; k++)
		((struct finding *)vec_at(findings, k))->held = held[k];
	free(held);
	free(keep);
	verify_base_release(&base);
	return applied;
}

/* A finding of the first pass that is still open while later passes fix
 * the text: where it is now. */
struct open_finding {
	size_t at;		/* index in the result's findings */
	uint32_t start, end;	/* in the current text */
	bool seen;		/* found again in the current pass */
	bool first;		/* from the first pass: has a place in the original */
	bool gone;		/* replaced by its fixed self in this pass */
};

/* Open findings sorted by rule and place, for finding each of a pass's
 * findings among them in O(log n). */
struct open_key {
	const void *rule;
	uint32_t start, end;
	size_t k;		/* index in the open list */
};

static int open_key_cmp(const void *a, const void *b)
{
	const struct open_key *x = a, *y = b;

	if (x->rule != y->rule)
		return (uintptr_t)x->rule < (uintptr_t)y->rule ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

/* The first open finding of `g`'s rule and place not yet seen again. */
static struct open_finding *open_match(struct vec *open, const struct open_key *keys, size_t n,
				       const struct finding *g)
{
	struct open_key want = { g->rule, g->start, g->end, 0 };
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (open_key_cmp(&keys[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && keys[lo].rule == want.rule && keys[lo].start == want.start &&
	       keys[lo].end == want.end; lo++) {
		struct open_finding *c = vec_at(open, keys[lo].k);

		if (!c->seen && !c->gone)
			return c;
	}
	return NULL;
}

static void place_finding(struct finding *f, const struct source *text, uint32_t start,
			  uint32_t end)
{
	source_position(text, start, &f->line, &f->column);
	source_position(text, end, &f->end_line, &f->end_column);
	for (size_t k = 0; k < f->edits.len; k++) {
		struct edit *e = vec_at(&f->edits, k);

		source_position(text, e->start, &e->line, &e->column);
		source_position(text, e->end, &e->end_line, &e->end_column);
	}
}

static int placed_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->rule->code, y->rule->code);
}

static bool not_gone(const struct finding *f, const struct finding *kept, void *arg)
{
	(void)kept;
	(void)arg;
	return f->message != NULL;
}

/* Runs the rules again on the fixed text, as often as a pass still fixes
 * something (at most PIPELINE_FIX_PASSES times), so that one run leaves
 * nothing for the next: a fix may bring a shape another rule fixes. On
 * return `fixed` holds the last text; the result's findings are every
 * fix applied and what is still open at the end, each placed in the text
 * it points into (open ones in the final text when places_in_fixed(),
 * as written).
 * Returns the fixes the later passes applied; 0 leaves everything as the
 * first pass left it, positions unset. */
static size_t fix_settle(struct pipeline_worker *w, const struct source *src,
			 const struct file_settings *fs, struct file_result *res,
			 struct buf *fixed, const struct vec *first_edits)
{
	struct vec open = VEC_INIT(struct open_finding);
	struct vec *all = &res->findings;
	struct source cur = SOURCE_INIT;
	struct err err = ERR_INIT;
	size_t total = 0, first_len = all->len;
	struct fix_map first;
	bool *placed, fresh = false;

	fix_map_init(&first, first_edits);
	for (size_t i = 0; i < all->len; i++) {
		struct finding *f = vec_at(all, i);
		struct open_finding *o;

		if (f->applied)
			continue;
		o = vec_push(&open);
		o->at = i;
		o->start = fix_map_at(&first, f->start);
		o->end = fix_map_at(&first, f->end);
		o->first = true;
	}
	fix_map_release(&first);
	for (int pass = 1; pass <= PIPELINE_FIX_PASSES; pass++) {
		struct lazy_scopes lazy = { NULL, NULL, NULL };
		struct vec found = VEC_INIT(struct finding), edits = VEC_INIT(struct edit);
		struct buf next = BUF_INIT;
		struct open_key *keys;
		size_t applied = 0, nkeys, kept;
		TSTree *tree;

		source_release(&cur);
		if (source_from_bytes(&cur, src->path, fixed->ptr, fixed->len, &err) < 0)
			break;
		tree = tree_parse(w->parser, cur.text, cur.len);
		if (!tree)
			break;
		lazy.tree = tree;
		lazy.src = &cur;
		run_rules(w, &cur, tree, &lazy, fs, NULL, &found);
		if (w->config->describe_fixes)
			fixdesc_fill(&found, &cur, tree, lazy_get(&lazy), w->parser);
		if (found.len)
			applied = fix_verified(w, &cur, tree, &lazy, fs, &found, &next, &edits);
		nkeys = open.len;
		keys = xcalloc(nkeys ? nkeys : 1, sizeof(*keys));
		for (size_t i = 0; i < open.len; i++) {
			struct open_finding *o = vec_at(&open, i);

			o->seen = false;
			keys[i].rule = ((const struct finding *)vec_at(all, o->at))->rule;
			keys[i].start = o->start;
			keys[i].end = o->end;
			keys[i].k = i;
		}
		qsort(keys, nkeys, sizeof(*keys), open_key_cmp);
		for (size_t i = 0; i < found.len; i++) {
			struct finding *g = vec_at(&found, i);
			struct open_finding *o = open_match(&open, keys, nkeys, g);

			if (o && !g->applied) {
				struct finding *f = vec_at(all, o->at);

				o->seen = true;
				f->reason = g->reason;
				if (places_in_fixed(w->config) || !o->first) {
					/* it will be placed in this text: its fix too */
					struct vec t = f->shown;

					f->shown = g->shown;
					g->shown = t;
				}
				rule_finding_release(g);
				continue;
			}
			if (o) {
				/* the fixed finding takes the place of the open one */
				rule_finding_release(vec_at(all, o->at));
				o->gone = true;
			}
			place_finding(g, &cur, g->start, g->end);
			*(struct finding *)vec_push(all) = *g;
			if (!g->applied) {
				o = vec_push(&open);
				o->at = all->len - 1;
				o->start = g->start;
				o->end = g->end;
				o->seen = true;
				o->first = false;
				o->gone = false;
			}
		}
		free(keys);
		vec_release(&found);
		/* what this pass did not find again was settled by other fixes */
		kept = 0;
		for (size_t i = 0; i < open.len; i++) {
			struct open_finding *o = vec_at(&open, i);

			if (!o->gone && !o->seen)
				rule_finding_release(vec_at(all, o->at));
			else if (!o->gone)
				*(struct open_finding *)vec_at(&open, kept++) = *o;
		}
		open.len = kept;
		if (applied) {
			struct fix_map map;

			fix_map_init(&map, &edits);
			for (size_t i = 0; i < open.len; i++) {
				struct open_finding *o = vec_at(&open, i);

				o->start = fix_map_at(&map, o->start);
				o->end = fix_map_at(&map, o->end);
			}
			fix_map_release(&map);
			buf_clear(fixed);
			buf_add(fixed, next.ptr, next.len);
			total += applied;
		}
		buf_release(&next);
		fix_edits_release(&edits);
		scope_index_free(lazy.idx);
		ts_tree_delete(tree);
		fresh = !applied;
		if (!applied)
			break;
	}
	for (size_t i = 0; !fresh && i < open.len; i++) {
		struct open_finding *o = vec_at(&open, i);

		/* the last text was not checked again: no fix to show in it */
		if (places_in_fixed(w->config) || !o->first)
			fixdesc_clear(vec_at(all, o->at));
	}
	if (total) {
		placed = xcalloc(all->len ? all->len : 1, sizeof(bool));
		for (size_t i = first_len; i < all->len; i++)
			placed[i] = true;	/* placed in the text of their pass */
		source_release(&cur);
		if (source_from_bytes(&cur, src->path, fixed->ptr, fixed->len, &err) == 0) {
			for (size_t i = 0; i < open.len; i++) {
				struct open_finding *o = vec_at(&open, i);
				struct finding *f = vec_at(all, o->at);

				if (!f->message)
					continue;
				if (places_in_fixed(w->config) || !o->first)
					place_finding(f, &cur, o->start, o->end);
				else
					place_finding(f, src, f->start, f->end);
				placed[o->at] = true;
			}
		}
		for (size_t i = 0; i < first_len; i++) {
			struct finding *f = vec_at(all, i);

			if (f->message && !placed[i])
				place_finding(f, src, f->start, f->end);
		}
		free(placed);
		rule_findings_keep(all, not_gone, NULL);
		vec_sort(all, placed_cmp);
	} else {
		/* nothing more was fixed: the first pass's findings stand, but
		 * for those the first pass's own fixes settled */
		for (size_t i = first_len; i < all->len; i++)
			rule_finding_release(vec_at(all, i));
		all->len = first_len;
		rule_findings_keep(all, not_gone, NULL);
	}
	source_release(&cur);
	vec_release(&open);
	return total;
}

/* The file is skipped for what is at byte `at`. */
static void refuse(struct file_result *res, const struct source *src, uint32_t at, const char *why)
{
	unsigned line, col;
	struct buf msg = BUF_INIT;

	source_position(src, at, &line, &col);
	buf_printf(&msg, "%s:%u:%u: %s, file skipped", src->path, line, col, why);
	res->error = buf_detach(&msg);
}

/* Fixes, verifies and emits one loaded file. `out`, when not NULL, gets
 * the fixed text whatever the mode. */
static void process(struct pipeline_worker *w, struct source *src,
		    const struct file_settings *fs, struct file_result *res, struct buf *out)
{
	const struct pipeline_config *cfg = w->config;
	struct lazy_scopes lazy = { NULL, src, NULL };
	struct buf fixed = BUF_INIT;
	struct vec edits = VEC_INIT(struct edit);
	struct err err = ERR_INIT;
	TSTree *tree;
	TSNode bad;
	size_t applied = 0;
	bool settled = false;	/* later passes fixed more; findings are placed */
	uint32_t refused_at;
	const char *why;
	bool blocks_left;
	struct tokens_found tokens;	/* what query_may_match() found in the text */

	if (out) {
		buf_clear(out);
		buf_add(out, src->bytes, src->size);
	}
	/* the query's gate first: it turns most files away */
	if ((!cfg->whole_query && !query_may_match(cfg->query, src->text, src->len, &tokens)) ||
	    pipeline_prefilter_skips(cfg->tokens, src->text, src->len) ||
	    suppress_skip_file(src->text, src->len))
		return;
	res->parsed = true;
	tree = tree_parse(w->parser, src->text, src->len);
	if (!tree) {
		set_error(res, "parser failed");
		return;
	}
	/* first: a tree nested too deep is refused before anything recurses */
	if (pycheck_refused(src->text, src->len, ts_tree_root_node(tree), cfg->whole_query,
			    &refused_at, &why, &blocks_left)) {
		refuse(res, src, refused_at, why);
		ts_tree_delete(tree);
		return;
	}
	if (tree_first_error(ts_tree_root_node(tree), &bad)) {
		refuse(res, src, ts_node_start_byte(bad), "syntax error");
		ts_tree_delete(tree);
		return;
	}
	lazy.tree = tree;
	/* the scope walk finds the empty blocks the pycheck walk did not look for */
	if (blocks_left && scope_empty_block(lazy_get(&lazy), &refused_at)) {
		refuse(res, src, refused_at, PYCHECK_EMPTY_BLOCK);
		scope_index_free(lazy.idx);
		ts_tree_delete(tree);
		return;
	}
	run_rules(w, src, tree, &lazy, fs, cfg->whole_query ? NULL : &tokens, &res->findings);
	for (size_t i = 0; fs->only && i < res->findings.len; i++) {
		struct finding *f = vec_at(&res->findings, i);
		bool wanted = false;

		for (size_t k = 0; k < fs->nonly && !wanted; k++)
			wanted = fs->only[k].rule == f->rule && fs->only[k].start == f->start &&
				 fs->only[k].end == f->end;
		f->held = !wanted;
	}
	if (cfg->describe_fixes)
		fixdesc_fill(&res->findings, src, tree, lazy_get(&lazy), w->parser);
	if (res->findings.len && cfg->mode != MODE_CHECK) {
		applied = fix_verified(w, src, tree, &lazy, fs, &res->findings, &fixed, &edits);
		if (applied && !fs->only) {
			size_t more = fix_settle(w, src, fs, res, &fixed, &edits);

			applied += more;
			settled = more > 0;
		}
	}
	if (applied)
		source_restore_cr(src, fixed.ptr, fixed.len);
	if (applied && out) {
		buf_clear(out);
		buf_add(out, src->bytes, src->bom);
		buf_add(out, fixed.ptr, fixed.len);
	}
	if (applied && cfg->mode == MODE_DIFF) {
		struct buf whole = BUF_INIT, d = BUF_INIT, shown = BUF_INIT;

		buf_add(&whole, src->bytes, src->bom);
		buf_add(&whole, fixed.ptr, fixed.len);
		if (cfg->diff_prefix && src->path[0] != '/' && strncmp(src->path, "../", 3))
			buf_puts(&shown, cfg->diff_prefix);
		buf_puts(&shown, src->path);
		if (diff_make(&d, shown.ptr, src->st.st_mode, src->bytes, src->size, whole.ptr,
			      whole.len, &err) < 0)
			set_error(res, err.msg);
		else
			res->diff = buf_detach(&d);
		buf_release(&whole);
		buf_release(&shown);
	} else if (applied && cfg->mode == MODE_FIX) {
		struct buf whole = BUF_INIT;

		buf_add(&whole, src->bytes, src->bom);
		buf_add(&whole, fixed.ptr, fixed.len);
		if (fsio_write_atomic(src, whole.ptr, whole.len, &err) == 0) {
			res->written = true;
		} else {
			set_error(res, err.msg);
			for (size_t i = 0; i < res->findings.len; i++) {
				struct finding *f = vec_at(&res->findings, i);

				if (f->applied) {
					f->applied = false;
					f->reason = "write-failed";
				}
				fixdesc_clear(f);	/* it may be a fix in the text not written */
			}
			applied = 0;
		}
		buf_release(&whole);
	}
	if (settled) {
		/* placed by fix_settle */
	} else if (applied && places_in_fixed(cfg)) {
		struct source after;

		if (source_from_bytes(&after, src->path, fixed.ptr, fixed.len, &err) == 0) {
			set_positions(src, &res->findings, &after, &edits);
			source_release(&after);
		} else {
			set_positions(src, &res->findings, NULL, NULL);
		}
	} else {
		set_positions(src, &res->findings, NULL, NULL);
	}
	if (cfg->mode != MODE_CHECK)
		res->fixed = applied;
	else
		for (size_t i = 0; i < res->findings.len; i++)
			((struct finding *)vec_at(&res->findings, i))->applied = false;
	buf_release(&fixed);
	fix_edits_release(&edits);
	scope_index_free(lazy.idx);
	ts_tree_delete(tree);
}

void pipeline_run(struct pipeline_worker *w, const char *path, const struct file_settings *fs,
		  struct file_result *res)
{
	struct file_settings defaults = { NULL, w->config->target_minor, w->config->unsafe_fixes,
					  NULL, 0, w->config->timeout, w->config->http_client, NULL,
					  NULL };
	struct source src;
	struct err err = ERR_INIT;
	struct vec findings = VEC_INIT(struct finding);
	struct buf bytes = BUF_INIT;
	struct stat st;
	struct cache_key key;
	size_t len;

	memset(res, 0, sizeof(*res));
	res->path = xstrdup(path);
	res->findings = findings;
	if (fsio_read_regular(&bytes, &st, path, SOURCE_MAX_BYTES, &err) < 0) {
		res->error = xstrdup(err.msg);	/* not kept: reading may work next time */
		buf_release(&bytes);
		return;
	}
	if (w->config->cache)
		cache_key(&key, w->config->cache, path, fs ? fs : &defaults,
			  bytes.ptr ? bytes.ptr : "", bytes.len);
	len = bytes.len;
	if (source_take(&src, path, buf_detach(&bytes), len, &err) < 0) {
		/* the bytes decide it: a check keeps it like any other outcome */
		res->error = xstrdup(err.msg);
		if (w->config->cache && w->config->mode == MODE_CHECK)
			cache_store(w->config->cache, &key, res);
		return;
	}
	src.st = st;
	process(w, &src, fs ? fs : &defaults, res, NULL);
	if (w->config->cache && (w->config->mode == MODE_CHECK ||
				 (!res->findings.len && !res->error))) {
		/* what a check reports; a run that fixes records only the
		 * files it found nothing in (what it reports is after fixes) */
		cache_store(w->config->cache, &key, res);
	}
	source_release(&src);
}

void pipeline_run_text(struct pipeline_worker *w, const char *path, const char *text,
		       size_t len, const struct file_settings *fs, struct file_result *res,
		       struct buf *out)
{
	struct file_settings defaults = { NULL, w->config->target_minor, w->config->unsafe_fixes,
					  NULL, 0, w->config->timeout, w->config->http_client, NULL,
					  NULL };
	struct source src;
	struct err err = ERR_INIT;
	struct vec findings = VEC_INIT(struct finding);

	memset(res, 0, sizeof(*res));
	res->path = xstrdup(path);
	res->findings = findings;
	if (source_from_bytes(&src, path, text, len, &err) < 0) {
		res->error = xstrdup(err.msg);
		buf_clear(out);
		buf_add(out, text, len);
		return;
	}
	process(w, &src, fs ? fs : &defaults, res, out);
	source_release(&src);
}
