/*
 * tree: helpers over tree-sitter trees.
 */
#include "tree.h"

#include <string.h>

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
