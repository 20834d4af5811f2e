/*
 * select: rule selectors and their resolution (see select.h).
 */
#include "select.h"
#include "buf.h"
#include "suggest.h"
#include "vec.h"
#include "../transforms/table.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The length of the linter part of a code: its leading letters. */
static size_t letters(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && isalpha((unsigned char)s[i]))
		i++;
	return i;
}

/* Specificity of a selector: 0 for ALL, 1 for a linter, 1 + digits. */
static int specificity(const char *sel, size_t len)
{
	if (len == 3 && !strncasecmp(sel, "ALL", 3))
		return 0;
	return 1 + (int)(len - letters(sel, len));
}

/* True when selector `sel` (len bytes) covers `code`. */
static bool covers(const char *sel, size_t len, const char *code)
{
	size_t n = letters(sel, len);

	if (len == 3 && !strncasecmp(sel, "ALL", 3))
		return true;
	/* the linter part must be the code's whole linter: `A` is not `AM` */
	return n && n == letters(code, strlen(code)) && len <= strlen(code) &&
	       !strncasecmp(code, sel, len);
}

/* Calls fn on each non-empty selector of a comma-separated list. */
static void each(const char *list, void (*fn)(const char *, size_t, void *), void *arg)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		const char *s = p;

		p += len;
		if (*p == ',')
			p++;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len)
			fn(s, len, arg);
	}
}

struct check_state {
	const char *where;
	unsigned line;
	struct err *err;
	int error;
};

static void check_one(const char *sel, size_t len, void *arg)
{
	struct check_state *st = arg;
	struct vec names = VEC_INIT(const char *);
	struct buf word = BUF_INIT, at = BUF_INIT;
	const char *near;
	bool known = false, digits = true;

	if (st->error)
		return;
	for (size_t i = letters(sel, len); i < len; i++)
		digits &= isdigit((unsigned char)sel[i]) != 0;
	for (size_t i = 0; i < transform_count && digits; i++)
		known |= covers(sel, len, transform_table[i]->code);
	if (known)
		return;
	*(const char **)vec_push(&names) = "ALL";
	for (size_t i = 0; i < transform_count; i++)
		*(const char **)vec_push(&names) = transform_table[i]->code;
	*(const char **)vec_push(&names) = "ASYNC";
	*(const char **)vec_push(&names) = "AM";
	buf_add(&word, sel, len);
	near = suggest_nearest(buf_cstr(&word), names.items, names.len, 1);
	if (st->where)
		buf_printf(&at, "%s:%u: ", st->where, st->line);
	if (near)
		st->error = err_set(st->err, "%sunknown rule selector '%s' (did you mean '%s'?)",
				    buf_cstr(&at), buf_cstr(&word), near);
	else
		st->error = err_set(st->err, "%sunknown rule selector '%s'", buf_cstr(&at),
				    buf_cstr(&word));
	buf_release(&word);
	buf_release(&at);
	vec_release(&names);
}

int select_check(const char *list, const char *where, unsigned line, struct err *err)
{
	struct check_state st = { where, line, err, 0 };

	each(list, check_one, &st);
	return st.error;
}

int select_check_layer(const struct select_layer *l, const char *where, unsigned line,
		       struct err *err)
{
	const char *lists[] = { l->select, l->extend_select, l->ignore, l->extend_ignore,
				l->fixable, l->extend_fixable, l->unfixable };

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (select_check(lists[i], where, line, err) < 0)
			return -1;
	return 0;
}

struct has_state {
	const char *code;
	bool hit;
};

static void has_one(const char *sel, size_t len, void *arg)
{
	struct has_state *st = arg;

	st->hit |= covers(sel, len, st->code);
}

bool select_list_has(const char *list, const char *code)
{
	struct has_state st = { code, false };

	each(list, has_one, &st);
	return st.hit;
}

/* One pass of a layer at one specificity: sets update[i] to 1 (on) or
 * -1 (off) for the rules its selectors of that specificity cover. */
struct apply_state {
	int spec;
	int value;
	bool selecting;		/* the selection, not fixability */
	signed char *update;
};

static void apply_one(const char *sel, size_t len, void *arg)
{
	struct apply_state *st = arg;

	if (specificity(sel, len) != st->spec)
		return;
	for (size_t i = 0; i < transform_count; i++) {
		const struct transform *t = transform_table[i];

		if (!covers(sel, len, t->code))
			continue;
		/* a rule off by default is selected by its full code only */
		if (st->selecting && st->value > 0 && t->off_by_default && len != strlen(t->code))
			continue;
		st->update[i] = (signed char)st->value;
	}
}

/* Resolves one kind (selection or fixability) over the layers. */
static void resolve(const struct select_layer *layers, size_t n, bool *set, bool fixable)
{
	signed char *update = xcalloc(transform_count ? transform_count : 1, 1);
	const char *carried = NULL;	/* ignores carried over by an empty select */

	for (size_t i = 0; i < transform_count; i++)
		set[i] = fixable || !transform_table[i]->off_by_default;
	for (size_t k = 0; k < n; k++) {
		const struct select_layer *l = &layers[k];
		const char *base = fixable ? l->fixable : l->select;
		const char *on[2] = { base, fixable ? l->extend_fixable : l->extend_select };
		const char *off[3] = { fixable ? l->unfixable : l->ignore,
				       fixable ? NULL : l->extend_ignore, carried };
		int max = 1 + 16;

		memset(update, 0, transform_count);
		for (int spec = 0; spec <= max; spec++) {
			struct apply_state st = { spec, 1, !fixable, update };

			for (size_t j = 0; j < 2; j++)
				each(on[j], apply_one, &st);
			st.value = -1;
			for (size_t j = 0; j < 3; j++)
				each(off[j], apply_one, &st);
		}
		carried = NULL;
		if (base) {
			/* a layer that gives the list replaces what came before */
			for (size_t i = 0; i < transform_count; i++)
				set[i] = update[i] > 0;
			/* as ruff: an empty select with only ignores hands them on */
			if (!fixable && !*base && !(on[1] && *on[1]) &&
			    ((off[0] && *off[0]) || (off[1] && *off[1])))
				carried = off[0] && *off[0] ? off[0] : off[1];
		} else {
			for (size_t i = 0; i < transform_count; i++)
				if (update[i])
					set[i] = update[i] > 0;
		}
	}
	free(update);
}

void select_resolve(const struct select_layer *layers, size_t n, bool *enabled, bool *fixable)
{
	if (enabled)
		resolve(layers, n, enabled, false);
	if (fixable)
		resolve(layers, n, fixable, true);
}
