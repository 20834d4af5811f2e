/*
 * AM203: `asyncio.TimeoutError` is the builtin `TimeoutError` since 3.11.
 *
 * Fix (safe on py311+): write `TimeoutError`. In an except clause a tuple
 * that then names TimeoutError twice is de-duplicated
 * (`except (asyncio.TimeoutError, TimeoutError)` -> `except TimeoutError`).
 * `from asyncio import TimeoutError` is removed (its uses keep working:
 * they now mean the builtin, which is the same class). Reported instead:
 * below py311 (`wait_for` there raises a different class), when the module
 * binds its own `TimeoutError`, or when the edit would drop a comment.
 */
#include <ctype.h>
#include <string.h>

#include "table.h"
#include "timeout_error.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "TimeoutError", NULL };

static bool is_alias_qname(const char *q)
{
	return !strcmp(q, "asyncio.TimeoutError") || !strcmp(q, "asyncio.exceptions.TimeoutError");
}

/* What an element of an except tuple is: 1 the builtin TimeoutError (or
 * the asyncio alias), 0 something else. */
static int is_timeout_error(const struct rule_ctx *ctx, TSNode el)
{
	struct buf q = BUF_INIT;
	enum resolution r = scope_resolve_expr(ctx->scopes, el, &q);
	int yes = (r == RESOLVE_MODULE && is_alias_qname(buf_cstr(&q))) ||
		  (r == RESOLVE_UNBOUND && !strcmp(buf_cstr(&q), "TimeoutError"));

	buf_release(&q);
	return yes;
}

/* The except-clause tuple holding `ref`, if any. */
static bool except_tuple(TSNode ref, TSNode *tuple)
{
	TSNode p = tree_parent(ref), g;

	if (ts_node_is_null(p) || strcmp(ts_node_type(p), "tuple"))
		return false;
	g = tree_parent(p);
	if (!ts_node_is_null(g) && !strcmp(ts_node_type(g), "as_pattern"))
		g = tree_parent(g);
	if (ts_node_is_null(g) || (strcmp(ts_node_type(g), "except_clause") &&
				   strcmp(ts_node_type(g), "except_group_clause")))
		return false;
	*tuple = p;
	return true;
}

/* Rewrites a whole except tuple with TimeoutError named once. Returns
 * false when the tuple names it only once (no de-duplication needed). */
static bool dedupe_tuple(const struct rule_ctx *ctx, TSNode tuple, struct buf *out)
{
	uint32_t n = ts_node_named_child_count(tuple), kept = 0, timeouts = 0;
	bool seen = false;

	for (uint32_t i = 0; i < n; i++)
		timeouts += is_timeout_error(ctx, ts_node_named_child(tuple, i));
	if (timeouts < 2)
		return false;
	buf_clear(out);
	for (uint32_t i = 0; i < n; i++) {
		TSNode el = ts_node_named_child(tuple, i);
		uint32_t len;
		const char *t;

		if (is_timeout_error(ctx, el)) {
			if (seen)
				continue;
			seen = true;
			t = "TimeoutError";
			len = 12;
		} else {
			t = rule_text(ctx, el, &len);
		}
		if (kept++)
			buf_puts(out, ", ");
		buf_add(out, t, len);
	}
	if (kept > 1) {
		struct buf wrapped = BUF_INIT;

		buf_printf(&wrapped, "(%s)", buf_cstr(out));
		buf_clear(out);
		buf_add(out, wrapped.ptr, wrapped.len);
		buf_release(&wrapped);
	}
	return true;
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode ref = rule_capture(ctx, match, "ref"), tuple;
	struct buf q = BUF_INIT, text = BUF_INIT, root = BUF_INIT;
	const char *builtin_q = NULL;
	bool import_item = false;
	struct finding *f;
	enum resolution r;
	uint32_t len;
	const char *t;

	if (!strcmp(ts_node_type(ref), "identifier") && rule_is_name_site(ref)) {
		/* `from asyncio import TimeoutError`: the import itself is the finding */
		TSNode item = tree_parent(ref);

		if (strcmp(ts_node_type(item), "dotted_name") ||
		    strcmp(ts_node_type(tree_parent(item)), "import_from_statement") ||
		    !rule_text_is(ctx, ref, "TimeoutError"))
			return 0;
		{
			TSNode mod = ts_node_child_by_field_name(tree_parent(item), "module_name", 11);

			if (!ts_node_is_null(mod) && ts_node_start_byte(mod) == ts_node_start_byte(item))
				return 0;
		}
		r = scope_resolve_name(ctx->scopes, 0, "TimeoutError", 12, &builtin_q);
		if (r == RESOLVE_UNBOUND)
			return 0;
		import_item = true;
	} else {
		if (rule_is_name_site(ref))
			return 0;
		r = scope_resolve_expr(ctx->scopes, ref, &q);
		if (r != RESOLVE_MODULE || !is_alias_qname(buf_cstr(&q)))
			goto done;
		if (!strcmp(ts_node_type(ref), "identifier") && rule_text_is(ctx, ref, "TimeoutError"))
			goto done;	/* unaliased uses: the import's finding covers them */
	}
	/* before 3.11 it is a class of its own (what wait_for raises), not an
	 * alias: the standard's compat form, not reported */
	if (ctx->target_minor < 11)
		goto done;
	f = rule_report(ctx, &transform_timeout_error, import_item ? tree_parent(ref) : ref,
			"`asyncio.TimeoutError` is an alias of the builtin `TimeoutError`");
	if (import_item) {
		if (r != RESOLVE_MODULE || !is_alias_qname(builtin_q)) {
			rule_no_fix(f, "shadowed-timeouterror");
			goto done;
		}
		rule_need(f, NEED_FORCE_DROP, "TimeoutError");
		goto done;
	}
	r = scope_resolve_name(ctx->scopes, ts_node_start_byte(ref), "TimeoutError", 12,
			       &builtin_q);
	if (r != RESOLVE_UNBOUND && !(r == RESOLVE_MODULE && is_alias_qname(builtin_q))) {
		rule_no_fix(f, "shadowed-timeouterror");
		goto done;
	}
	if (r == RESOLVE_MODULE) {
		/* the module also has `from asyncio import TimeoutError`: drop it too */
		rule_need(f, NEED_FORCE_DROP, "TimeoutError");
	}
	t = rule_text(ctx, ref, &len);
	if (memchr(t, '#', len)) {
		rule_no_fix(f, "comment-would-be-lost");
		goto done;
	}
	if (except_tuple(ref, &tuple) && dedupe_tuple(ctx, tuple, &text)) {
		t = rule_text(ctx, tuple, &len);
		if (memchr(t, '#', len)) {
			rule_no_fix(f, "comment-would-be-lost");
			goto done;
		}
		if (text.ptr[0] != '(') {
			/* `except(a, b)as e` becomes `except a as e`, not `excepta` */
			uint32_t s0 = ts_node_start_byte(tuple), e0 = ts_node_end_byte(tuple);
			char next = e0 < ctx->src->len ? ctx->src->text[e0] : '\n';
			struct buf spaced = BUF_INIT;

			buf_printf(&spaced, "%s%s%s",
				   s0 > 0 && !isspace((unsigned char)ctx->src->text[s0 - 1]) ? " " : "",
				   buf_cstr(&text), isalnum((unsigned char)next) || next == '_' ? " " : "");
			buf_clear(&text);
			buf_add(&text, spaced.ptr, spaced.len);
			buf_release(&spaced);
		}
		rule_edit(f, ts_node_start_byte(tuple), ts_node_end_byte(tuple), buf_cstr(&text));
	} else {
		rule_edit(f, ts_node_start_byte(ref), ts_node_end_byte(ref), "TimeoutError");
	}
	rule_root_name(ctx, ref, &root);
	rule_need(f, NEED_DROP, buf_cstr(&root));
done:
	buf_release(&q);
	buf_release(&text);
	buf_release(&root);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"超时控制 > 设置超时",
	"# ✅ 推荐 - 使用 asyncio.timeout（Python 3.11+）",
	"超时控制 > 设置超时",
	"    except TimeoutError:",
	"超时控制 > 设置超时",
	"# ✅ 兼容 - 使用 asyncio.wait_for（Python 3.10-）",
	"超时控制 > 设置超时",
	"    except asyncio.TimeoutError:",
	NULL,
};

static const char *const reasons[] = {
	"shadowed-timeouterror", "the module binds a `TimeoutError` of its own",
	"comment-would-be-lost", "the expression or except tuple to rewrite holds a comment",
	NULL,
};

const struct transform transform_timeout_error = {
	.code = "AM203",
	.name = "timeout-error-alias",
	.summary = "asyncio.TimeoutError -> builtin TimeoutError (py311+)",
	.fix = FIX_SAFE,
	.query = timeout_error_scm,
	.tokens = tokens,
	.check = check,
	.finds = "`asyncio.TimeoutError` or `asyncio.exceptions.TimeoutError` under any import "
		 "alias, in `except` clauses, `raise`, `isinstance` and elsewhere, and the import "
		 "`from asyncio import TimeoutError`, when the target is Python 3.11 or later. "
		 "Below 3.11 it is a class of its own (what `asyncio.wait_for` raises, which "
		 "`except TimeoutError` does not catch) and the standard's compat form: not "
		 "reported.",
	.why = "Since Python 3.11 `asyncio.TimeoutError` is the builtin `TimeoutError`, which "
	       "`asyncio.timeout()` and `asyncio.wait_for()` raise. The standard's 3.11+ form "
	       "catches the builtin; `asyncio.TimeoutError` belongs to its 3.10- compatibility "
	       "form only.",
	.standard = standard,
	.fix_text = "`asyncio.TimeoutError` becomes `TimeoutError`. An except tuple that then "
		    "names it twice keeps one (`except (asyncio.TimeoutError, TimeoutError)` "
		    "becomes `except TimeoutError`); `from asyncio import TimeoutError` is removed "
		    "(its uses now mean the builtin, the same class); an `import asyncio` left "
		    "unused is removed.",
	.reasons = reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def read_or_empty(reader):\n"
			  "    try:\n"
			  "        async with asyncio.timeout(5):\n"
			  "            return await reader.read()\n"
			  "    except asyncio.TimeoutError:\n"
			  "        return b\"\"\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def read_or_empty(reader):\n"
			 "    try:\n"
			 "        async with asyncio.timeout(5):\n"
			 "            return await reader.read()\n"
			 "    except TimeoutError:\n"
			 "        return b\"\"\n",
};
