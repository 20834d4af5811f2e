/*
 * pycheck: CPython's tab rule and the grammar's other leniencies.
 */
#include "pycheck.h"
#include "tree.h"

#include <string.h>

#define PYCHECK_MAX_INDENTS 100	/* CPython's MAXINDENT */

/* Skips a string literal starting at the quote `text[i]`; returns the
 * offset after it. Triple-quoted strings may span lines; a backslash
 * always keeps the next character from ending the string. */
static uint32_t skip_string(const char *text, uint32_t len, uint32_t i)
{
	char q = text[i];
	bool triple = i + 2 < len && text[i + 1] == q && text[i + 2] == q;

	i += triple ? 3 : 1;
	while (i < len) {
		if (text[i] == '\\') {
			i += 2;
		} else if (text[i] == q &&
			   (!triple || (i + 2 < len && text[i + 1] == q && text[i + 2] == q))) {
			return i + (triple ? 3 : 1);
		} else if (!triple && text[i] == '\n') {
			return i;	/* unterminated: the parser has said so already */
		} else {
			i++;
		}
	}
	return len;
}

/* Steps over one piece of a line at text[i], which is no newline: a
 * comment (up to the newline), a string (to its end, or to the newline
 * that leaves it open), a backslash that continues the line (up to the
 * newline; `*continued` is set), or one character (brackets counted in
 * `*depth`). Returns the offset after it. */
static uint32_t step(const char *text, uint32_t len, uint32_t i, int *depth, bool *continued)
{
	char c = text[i];

	if (c == '#') {
		while (i < len && text[i] != '\n')
			i++;
		return i;
	}
	if (c == '"' || c == '\'')
		return skip_string(text, len, i);
	if (c == '\\' && i + 1 < len && text[i + 1] == '\n') {
		*continued = true;
		return i + 1;
	}
	if (c == '\\' && i + 2 < len && text[i + 1] == '\r' && text[i + 2] == '\n') {
		*continued = true;
		return i + 2;
	}
	if (c == '(' || c == '[' || c == '{')
		(*depth)++;
	else if ((c == ')' || c == ']' || c == '}') && *depth > 0)
		(*depth)--;
	return i + 1;
}

/* The offset of the first line whose indentation CPython's tokenizer
 * refuses as ambiguous (TabError), or `len`. As the tokenizer does, each
 * logical line's indentation is measured twice, with tabs to the next
 * multiple of 8 and as one column each, and both measures must order the
 * lines alike. */
static uint32_t tab_error(const char *text, uint32_t len)
{
	unsigned cols[PYCHECK_MAX_INDENTS + 1] = { 0 }, alts[PYCHECK_MAX_INDENTS + 1] = { 0 };
	int top = 0, depth = 0;
	bool continued = false;
	uint32_t i = 0;

	if (!memchr(text, '\t', len))
		return len;	/* spaces alone are never ambiguous */
	while (i < len) {
		uint32_t line = i;

		if (!depth && !continued) {
			unsigned col = 0, alt = 0;

			for (; i < len; i++) {
				if (text[i] == ' ') {
					col++;
					alt++;
				} else if (text[i] == '\t') {
					col = (col / 8 + 1) * 8;
					alt++;
				} else if (text[i] == '\f') {
					col = alt = 0;
				} else {
					break;
				}
			}
			if (i < len && text[i] != '#' && text[i] != '\n' && text[i] != '\r') {
				if (col == cols[top]) {
					if (alt != alts[top])
						return line;
				} else if (col > cols[top]) {
					if (top == PYCHECK_MAX_INDENTS || alt <= alts[top])
						return line;
					top++;
					cols[top] = col;
					alts[top] = alt;
				} else {
					while (top > 0 && col < cols[top])
						top--;
					if (col == cols[top] && alt != alts[top])
						return line;
				}
			}
		}
		continued = false;
		/* the rest of the line: strings, brackets, comments */
		while (i < len && text[i] != '\n')
			i = step(text, len, i, &depth, &continued);
		i++;	/* the newline */
	}
	return len;
}

/* `await await x`: an await whose operand is an await, unparenthesised. */
static bool double_await(const char *text, uint32_t len, TSNode root, uint32_t *at)
{
	for (const char *p = text, *end = text + len;
	     (p = memmem(p, (size_t)(end - p), "await", 5)) != NULL; p += 5) {
		const char *q = p + 5;
		TSNode n;

		while (q < end && (*q == ' ' || *q == '\t' || *q == '\\' || *q == '\n' || *q == '\r'))
			q++;
		if (end - q < 5 || memcmp(q, "await", 5))
			continue;
		n = ts_node_descendant_for_byte_range(root, (uint32_t)(p - text),
						      (uint32_t)(p - text) + 5);
		while (!ts_node_is_null(n) && (!ts_node_is_named(n) || strcmp(ts_node_type(n), "await")))
			n = tree_parent(n);	/* from the keyword up to the expression */
		if (!ts_node_is_null(n) && ts_node_named_child_count(n) &&
		    !strcmp(ts_node_type(ts_node_named_child(n, 0)), "await")) {
			*at = (uint32_t)(p - text);
			return true;
		}
	}
	return false;
}

/* The levels of tree one byte of a logical line can add at most (`f(a=`
 * adds three for four bytes, `case [[` two for each `[`), and one column
 * of indentation (a block, its statement, a clause, a decorator). */
#define PYCHECK_LEVELS_PER_BYTE 4
#define PYCHECK_LEVELS_PER_COLUMN 6
#define PYCHECK_LEVELS_MORE 64	/* the module, a comment, a string's parts */

/* True when the string whose quote is at text[i] is an f-string (or a
 * t-string): its braces hold code. Any f or t among the letters just
 * before the quote counts (an `elif"..."` too: it only costs a walk). */
static bool formatted_string(const char *text, uint32_t i)
{
	for (uint32_t k = 0; k < 3 && i > k; k++) {
		char c = text[i - 1 - k];

		if (c == 'f' || c == 'F' || c == 't' || c == 'T')
			return true;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
	}
	return false;
}

/* True when the tree of a text without syntax errors may nest deeper
 * than TREE_MAX_DEPTH, from the text alone: every level of the tree is a
 * level of indentation or takes bytes of one logical line, so the deepest
 * indentation and the longest logical line bound the depth. A plain
 * string counts one byte (its parts are two levels whatever its length),
 * comments none. */
static bool may_nest_too_deep(const char *text, uint32_t len)
{
	uint64_t logical = 0, longest = 0;
	unsigned indent = 0;
	int depth = 0;
	bool continued = false;
	uint32_t i = 0;

	while (i < len) {
		if (!depth && !continued) {
			unsigned col = 0;

			for (; i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f'); i++)
				col += text[i] == '\t' ? 8 : 1;
			if (col > indent)
				indent = col;
		}
		continued = false;
		while (i < len && text[i] != '\n') {
			uint32_t from = i;

			i = step(text, len, i, &depth, &continued);
			if (text[from] == '"' || text[from] == '\'')
				logical += formatted_string(text, from) ? i - from : 1;
			else if (text[from] != '#')
				logical += i - from;
		}
		if (!depth && !continued) {
			if (logical > longest)
				longest = logical;
			logical = 0;
		}
		i++;	/* the newline */
	}
	if (logical > longest)
		longest = logical;
	return (uint64_t)PYCHECK_LEVELS_PER_COLUMN * indent + PYCHECK_LEVELS_PER_BYTE * longest +
		       PYCHECK_LEVELS_MORE >= TREE_MAX_DEPTH;
}

/* One walk over the tree: nesting deeper than TREE_MAX_DEPTH, and a block
 * that holds no statement (a body of comments alone, where CPython expects
 * an indented block). */
static const char *walk_refused(TSNode root, uint32_t *at)
{
	const TSLanguage *lang = ts_tree_language(root.tree);
	TSSymbol block = ts_language_symbol_for_name(lang, "block", 5, true);
	TSSymbol comment = ts_language_symbol_for_name(lang, "comment", 7, true);
	TSTreeCursor c = ts_tree_cursor_new(root);
	const char *why = NULL;
	uint32_t depth = 0;

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (ts_node_symbol(n) == block) {
			uint32_t count = ts_node_named_child_count(n), k = 0;

			while (k < count && ts_node_symbol(ts_node_named_child(n, k)) == comment)
				k++;
			if (k == count) {
				*at = ts_node_start_byte(n);
				why = PYCHECK_EMPTY_BLOCK;
				break;
			}
		}
		if (ts_tree_cursor_goto_first_child(&c)) {
			if (++depth > TREE_MAX_DEPTH) {
				*at = ts_node_start_byte(ts_tree_cursor_current_node(&c));
				why = "nested more than " TREE_MAX_DEPTH_TEXT " levels deep (Python does "
				      "not compile such code either)";
				break;
			}
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!depth || !ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	return why;
}

bool pycheck_refused(const char *text, uint32_t len, TSNode root, bool walk, uint32_t *at,
		     const char **what, bool *blocks_left)
{
	uint32_t line = tab_error(text, len);

	if (line < len) {
		*at = line;
		*what = "inconsistent use of tabs and spaces in indentation (Python raises "
			"TabError)";
		return true;
	}
	if (double_await(text, len, root, at)) {
		*what = "`await await`: invalid syntax in Python";
		return true;
	}
	/* the walk costs about a quarter of the parse: only where the text
	 * does not rule out what it finds first (a tree with an error may
	 * take any shape) */
	*blocks_left = !walk && !ts_node_has_error(root) && !may_nest_too_deep(text, len);
	if (!*blocks_left && (*what = walk_refused(root, at)) != NULL)
		return true;
	return false;
}
