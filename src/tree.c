/*
 * tree: helpers over tree-sitter trees.
 */
#include "tree.h"

#include <string.h>

TSNode tree_parent(TSNode n)
{
	return ts_node_is_null(n) ? n : ts_node_parent(n);
}

TSTree *tree_parse(TSParser *parser, const char *text, uint32_t len)
{
	ts_parser_set_language(parser, ts_parser_language(parser));
	return ts_parser_parse_string(parser, NULL, text, len);
}

bool tree_first_error(TSNode n, TSNode *out)
{
	TSTreeCursor c = ts_tree_cursor_new(n);
	bool found = false;

	/* down into the first child that holds an error, as far as it goes;
	 * a loop, not recursion: the tree may be deep */
	for (;;) {
		TSNode cur = ts_tree_cursor_current_node(&c);

		if (!strcmp(ts_node_type(cur), "ERROR") || ts_node_is_missing(cur)) {
			*out = cur;
			found = true;
			break;
		}
		if (!ts_node_has_error(cur) || !ts_tree_cursor_goto_first_child(&c))
			break;
		while (!ts_node_has_error(ts_tree_cursor_current_node(&c)) &&
		       !ts_node_is_missing(ts_tree_cursor_current_node(&c)))
			if (!ts_tree_cursor_goto_next_sibling(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
	return found;
}

void tree_ancestors(TSNode n, struct vec *out)
{
	TSNode root = ts_tree_root_node(n.tree), at = root;
	uint32_t start = ts_node_start_byte(n);
	size_t first = out->len;

	if (root.id == n.id)
		return;
	if (ts_node_end_byte(n) == start) {
		/* an empty node: the child that holds it is not told by a byte */
		for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
			*(TSNode *)vec_push(out) = p;
		for (size_t i = first, k = out->len; i + 1 < k; i++, k--) {
			TSNode t = *(TSNode *)vec_at(out, i);

			*(TSNode *)vec_at(out, i) = *(TSNode *)vec_at(out, k - 1);
			*(TSNode *)vec_at(out, k - 1) = t;
		}
		return;
	}
	/* down through the child that holds n's first byte (children do not
	 * overlap, so it is the first that ends after it), until n itself */
	for (;;) {
		*(TSNode *)vec_push(out) = at;
		at = ts_node_first_child_for_byte(at, start);
		if (ts_node_is_null(at) || at.id == n.id)
			break;
	}
}

void tree_occurrences_find(struct tree_occurrences *o, const char *text, uint32_t start,
			   uint32_t end, const char *s, uint32_t len)
{
	const char *p = text + start, *stop = text + end;

	o->at = (struct vec)VEC_INIT(uint32_t);
	o->len = len;
	while (len && p < stop && (p = memmem(p, (size_t)(stop - p), s, len)) != NULL) {
		*(uint32_t *)vec_push(&o->at) = (uint32_t)(p - text);
		p++;
	}
}

bool tree_occurrences_within(const struct tree_occurrences *o, TSNode n)
{
	uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
	size_t lo = 0, hi = o->at.len;

	/* the first occurrence at or after the node's start */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (*(uint32_t *)vec_at(&o->at, mid) < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->at.len && *(uint32_t *)vec_at(&o->at, lo) + o->len <= end;
}

void tree_occurrences_release(struct tree_occurrences *o)
{
	vec_release(&o->at);
}
