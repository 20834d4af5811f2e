/*
 * fixdesc: one finding's fix made alone, turned into positioned edits.
 */
#include "fixdesc.h"
#include "fix.h"
#include "verify.h"

#include <stdlib.h>
#include <string.h>

void fixdesc_clear(struct finding *f)
{
	for (size_t i = 0; i < f->shown.len; i++)
		free(((struct edit *)vec_at(&f->shown, i))->text);
	vec_release(&f->shown);
}

/* The fix of `f` alone: its edits on `src`, or an empty vector. */
static struct vec describe(const struct finding *f, const struct source *src, const TSTree *tree,
			   const struct scope_index *scopes, TSParser *parser,
			   struct verify_base *base, bool *based)
{
	struct vec one = VEC_INIT(struct finding), edits = VEC_INIT(struct edit);
	struct buf text = BUF_INIT;
	struct finding *copy = vec_push(&one);

	/* a shallow copy: fix_apply marks it, and reads (never changes)
	 * the edits and needs it shares with `f` */
	*copy = *f;
	copy->applied = false;
	copy->held = false;
	if (fix_apply(&text, &edits, src, tree, scopes, &one, true, parser) != 1)
		goto fail;
	if (!*based) {
		verify_base_init(base, scopes);
		*based = true;
	}
	if (verify_text(base, parser, text.ptr, text.len))
		goto fail;
	/* two insertions at one point become one, so that no reader has to
	 * know their order matters (fix_splice made them in this order) */
	for (size_t i = 1; i < edits.len;) {
		struct edit *a = vec_at(&edits, i - 1), *b = vec_at(&edits, i);
		struct buf joined = BUF_INIT;

		if (a->start != a->end || b->start != b->end || a->start != b->start) {
			i++;
			continue;
		}
		buf_printf(&joined, "%s%s", a->text, b->text);
		free(a->text);
		free(b->text);
		a->text = buf_detach(&joined);
		vec_remove(&edits, i);
	}
	for (size_t i = 0; i < edits.len; i++) {
		struct edit *e = vec_at(&edits, i);

		source_position(src, e->start, &e->line, &e->column);
		source_position(src, e->end, &e->end_line, &e->end_column);
		source_restore_cr(src, e->text, strlen(e->text));
	}
	buf_release(&text);
	vec_release(&one);
	return edits;
fail:
	fix_edits_release(&edits);
	edits = (struct vec)VEC_INIT(struct edit);
	buf_release(&text);
	vec_release(&one);
	return edits;
}

void fixdesc_fill(struct vec *findings, const struct source *src, const TSTree *tree,
		  const struct scope_index *scopes, TSParser *parser)
{
	struct verify_base base;
	bool based = false;

	for (size_t i = 0; i < findings->len; i++) {
		struct finding *f = vec_at(findings, i);

		fixdesc_clear(f);
		if (f->fix == FIX_NONE || f->reason || (!f->edits.len && !f->needs.len))
			continue;
		f->shown = describe(f, src, tree, scopes, parser, &base, &based);
	}
	if (based)
		verify_base_release(&base);
}
