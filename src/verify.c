/*
 * verify: the checks a fixed text passes before it is written.
 */
#include "verify.h"
#include "tree.h"

#include <stdlib.h>
#include <string.h>

void verify_base_init(struct verify_base *base, const struct scope_index *original)
{
	struct vec names = VEC_INIT(char *);

	base->names = names;
	scope_unresolved(original, &base->names);
}

static void names_release(struct vec *names)
{
	for (size_t i = 0; i < names->len; i++)
		free(*(char **)vec_at(names, i));
	vec_release(names);
}

void verify_base_release(struct verify_base *base)
{
	names_release(&base->names);
}

/* True when no name occurs more often in `after` than in `before` (both
 * sorted). */
static bool names_within(const struct vec *before, const struct vec *after)
{
	size_t i = 0, k = 0;

	while (k < after->len) {
		const char *name = *(char **)vec_at(after, k);
		size_t na = 0, nb = 0;

		while (i < before->len && strcmp(*(char **)vec_at(before, i), name) < 0)
			i++;
		while (i < before->len && !strcmp(*(char **)vec_at(before, i), name)) {
			nb++;
			i++;
		}
		while (k < after->len && !strcmp(*(char **)vec_at(after, k), name)) {
			na++;
			k++;
		}
		if (na > nb)
			return false;
	}
	return true;
}

const char *verify_text(const struct verify_base *base, TSParser *parser, const char *text,
			size_t len)
{
	TSTree *tree = tree_parse(parser, text, (uint32_t)len);
	const char *why = NULL;

	if (!tree || ts_node_has_error(ts_tree_root_node(tree))) {
		why = "fix-broke-syntax";
	} else {
		struct scope_index *idx = scope_index_new(tree, text, (uint32_t)len);
		struct vec after = VEC_INIT(char *);

		scope_unresolved(idx, &after);
		if (!names_within(&base->names, &after))
			why = "fix-broke-names";
		names_release(&after);
		scope_index_free(idx);
	}
	ts_tree_delete(tree);
	return why;
}
