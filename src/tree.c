/*
 * tree: helpers over tree-sitter trees.
 */
#include "tree.h"

#include <string.h>

bool tree_first_error(TSNode n, TSNode *out)
{
	uint32_t count;

	if (!strcmp(ts_node_type(n), "ERROR") || ts_node_is_missing(n)) {
		*out = n;
		return true;
	}
	if (!ts_node_has_error(n))
		return false;
	count = ts_node_child_count(n);
	for (uint32_t i = 0; i < count; i++)
		if (tree_first_error(ts_node_child(n, i), out))
			return true;
	return false;
}
