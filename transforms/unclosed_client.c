/*
 * AM301: an async HTTP client that nothing closes.
 *
 * `client = httpx.AsyncClient(..)` (or `aiohttp.ClientSession(..)`) in a
 * coroutine, with no `async with` over it and no `aclose()`/`close()` in a
 * `finally`, leaks its connections. Fix (unsafe): the assignment becomes
 * `async with httpx.AsyncClient(..) as client:` over the rest of its
 * block, re-indented with the file's indent unit; the client is then
 * closed when the block ends, also on errors. Reported instead: the client
 * escapes the function (returned, stored on an object, passed to a call
 * that is not awaited at once, used in a nested function) or the block
 * (used after it, bound again); a `yield` in the block; a close that is
 * not in a `finally`; a client never bound to a name; a statement sharing
 * its line. A parenthesised call keeps its parentheses and comments.
 * `self.x = Client(..)` is not reported when a method of the class closes
 * `self.x` and the receiver facility (receiver.c) shows that everything
 * the class puts in `self.x` is that client: the object owns it.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "syntax.h"
#include "unclosed_client.scm.h"
#include "../src/tree.h"

static const char *const tokens[] = { "AsyncClient", "ClientSession", NULL };

static const char *const classes[] = {
	"httpx.AsyncClient", "aiohttp.ClientSession", "aiohttp.client.ClientSession", NULL,
};

/* True when the client expression `call` is already managed where it is:
 * `async with X(..) [as c]`, `stack.enter_async_context(X(..))`. */
static bool managed_in_place(const struct rule_ctx *ctx, TSNode call)
{
	TSNode p = syntax_parent_unparen(call);

	if (syntax_type_is(p, "as_pattern"))
		p = tree_parent(p);
	if (syntax_type_is(p, "with_item"))
		return true;
	if (syntax_type_is(p, "argument_list")) {
		TSNode fn = ts_node_child_by_field_name(tree_parent(p), "function", 8);

		return syntax_type_is(fn, "attribute") &&
		       rule_text_is(ctx, ts_node_child_by_field_name(fn, "attribute", 9),
				    "enter_async_context");
	}
	return false;
}

/* How the function closes NAME: 0 never, 1 in a `finally` or by `async
 * with NAME`, -1 only elsewhere. */
static int closed(const struct rule_ctx *ctx, TSNode fn, TSNode name)
{
	struct vec ids = VEC_INIT(TSNode);
	uint32_t len;
	const char *t = rule_text(ctx, name, &len);
	int how = 0;

	syntax_find_names(ctx, fn, t, len, &ids);
	for (size_t i = 0; i < ids.len && how != 1; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i), p = syntax_parent_unparen(id), call;

		if (syntax_type_is(p, "with_item")) {
			how = 1;
			continue;
		}
		if (!syntax_type_is(p, "attribute") ||
		    ts_node_start_byte(ts_node_child_by_field_name(p, "object", 6)) !=
			    ts_node_start_byte(id) ||
		    (!rule_text_is(ctx, ts_node_child_by_field_name(p, "attribute", 9), "aclose") &&
		     !rule_text_is(ctx, ts_node_child_by_field_name(p, "attribute", 9), "close")) ||
		    !rule_callee_of(p, &call))
			continue;
		how = rule_inside(call, "finally_clause", (const char *const[]){
			"function_definition", "lambda", NULL }) ? 1 : -1;
	}
	vec_release(&ids);
	return how;
}

/* True when the use `id` of the client lets it outlive the block: the bare
 * name anywhere but as an argument of a call awaited at once; an attribute
 * of it returned, yielded or stored on an object without being awaited. */
static bool escapes(TSNode id)
{
	TSNode p = syntax_parent_unparen(id);

	if (syntax_type_is(p, "attribute") &&
	    ts_node_start_byte(ts_node_child_by_field_name(p, "object", 6)) == ts_node_start_byte(id))
		return syntax_member_use_escapes(p);
	if (syntax_type_is(p, "keyword_argument"))
		p = syntax_parent_unparen(p);
	if (!syntax_type_is(p, "argument_list"))
		return true;
	return !syntax_type_is(syntax_parent_unparen(tree_parent(p)), "await");
}

/* Checks the uses of NAME in `fn`: returns a reason to report, or NULL
 * when all of them lie in [from, to) and none lets the client escape. */
static const char *check_uses(const struct rule_ctx *ctx, TSNode fn, TSNode stmt, TSNode name,
			      uint32_t from, uint32_t to)
{
	struct vec ids = VEC_INIT(TSNode);
	uint32_t len;
	const char *t = rule_text(ctx, name, &len), *why = NULL;

	syntax_find_names(ctx, fn, t, len, &ids);
	for (size_t i = 0; i < ids.len && !why; i++) {
		TSNode id = *(TSNode *)vec_at(&ids, i);
		uint32_t at = ts_node_start_byte(id);

		if (at == ts_node_start_byte(name) || rule_is_name_site(id))
			continue;
		if (!syntax_owned_by(fn, id))
			why = syntax_is_store(id) ? NULL : "escapes-function";
		else if (syntax_is_store(id) || at < from || at >= to)
			why = "escapes-block";
		else if (escapes(id))
			why = "escapes-function";
	}
	vec_release(&ids);
	(void)stmt;
	return why;
}

/* Looks for `self.<attr>.aclose()`/`.close()` on the client class `cls`. */
struct owner_close {
	const struct rule_ctx *ctx;
	const char *attr;	/* the attribute's name */
	uint32_t len;
	const char *cls;
};

static enum syntax_step find_owner_close(TSNode n, void *arg)
{
	struct owner_close *o = arg;
	struct receiver_ctx rc = { o->ctx->scopes, o->ctx->src->text };
	TSNode fn, obj, self, name;
	const char *t;
	uint32_t len;

	if (!syntax_type_is(n, "call"))
		return SYNTAX_WALK_INTO;
	fn = syntax_field(n, "function");
	if (!syntax_type_is(fn, "attribute") ||
	    !(rule_text_is(o->ctx, syntax_field(fn, "attribute"), "aclose") ||
	      rule_text_is(o->ctx, syntax_field(fn, "attribute"), "close")))
		return SYNTAX_WALK_INTO;
	obj = syntax_field(fn, "object");
	self = syntax_field(obj, "object");
	name = syntax_field(obj, "attribute");
	if (!syntax_type_is(obj, "attribute") || !rule_text_is(o->ctx, self, "self") ||
	    ts_node_is_null(name))
		return SYNTAX_WALK_INTO;
	t = rule_text(o->ctx, name, &len);
	if (len != o->len || memcmp(t, o->attr, len))
		return SYNTAX_WALK_INTO;
	t = receiver_type(&rc, obj);
	return t && !strcmp(t, o->cls) ? SYNTAX_WALK_STOP : SYNTAX_WALK_INTO;
}

/* True when `left`, the target of `self.x = Client(..)`, is a client its
 * object owns: a method of the class closes `self.x`, and everything the
 * class assigns to `self.x` is that client (receiver.c). Its lifetime is
 * the object's, not the coroutine's. */
static bool owned_by_object(const struct rule_ctx *ctx, TSNode left, const char *qname)
{
	struct owner_close o = { ctx, NULL, 0, NULL };
	TSNode cls = rule_enclosing_function(left), name = syntax_field(left, "attribute");

	if (!syntax_type_is(left, "attribute") ||
	    !rule_text_is(ctx, syntax_field(left, "object"), "self") || ts_node_is_null(name))
		return false;
	cls = tree_parent(tree_parent(cls));
	if (syntax_type_is(cls, "decorated_definition"))
		cls = tree_parent(tree_parent(cls));
	if (!syntax_type_is(cls, "class_definition"))
		return false;
	o.attr = rule_text(ctx, name, &o.len);
	o.cls = !strcmp(qname, "aiohttp.client.ClientSession") ? "aiohttp.ClientSession" : qname;
	return !syntax_walk(syntax_field(cls, "body"), find_owner_close, &o);
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode call = rule_capture(ctx, match, "call"), fnref = rule_capture(ctx, match, "fn");
	TSNode p, stmt, left, right, fn, block, last;
	struct buf q = BUF_INIT;
	struct vec yields = VEC_INIT(TSNode);
	struct finding *f;
	bool known = false, shaped;
	int how;
	const char *why;
	uint32_t from, to;

	if (scope_resolve_expr(ctx->scopes, fnref, &q) != RESOLVE_MODULE)
		goto done;
	for (int i = 0; classes[i]; i++)
		known = known || !strcmp(q.ptr, classes[i]);
	if (!known || scope_context_at(ctx->scopes, ts_node_start_byte(call)) != CONTEXT_ASYNC ||
	    managed_in_place(ctx, call))
		goto done;
	p = syntax_parent_unparen(call);
	stmt = tree_parent(p);
	left = ts_node_child_by_field_name(p, "left", 4);
	right = ts_node_child_by_field_name(p, "right", 5);
	shaped = syntax_type_is(p, "assignment") && syntax_type_is(stmt, "expression_statement") &&
		 ts_node_named_child_count(stmt) == 1 && syntax_type_is(left, "identifier") &&
		 ts_node_is_null(ts_node_child_by_field_name(p, "type", 4)) &&
		 ts_node_start_byte(syntax_unwrap_parens(right)) == ts_node_start_byte(call);
	fn = rule_enclosing_function(call);
	if (syntax_type_is(p, "assignment") && syntax_type_is(stmt, "expression_statement") &&
	    ts_node_start_byte(syntax_unwrap_parens(right)) == ts_node_start_byte(call) &&
	    owned_by_object(ctx, left, q.ptr))
		goto done;	/* `self.x = Client()`, closed by a method of the class */
	how = shaped ? closed(ctx, fn, left) : 0;
	if (how == 1)
		goto done;	/* closed in a `finally` or by `async with NAME` */
	f = rule_report(ctx, &transform_unclosed_client, call,
			"`%s` is not closed by `async with` or a `finally`: its connections leak; "
			"manage it with `async with` (the fix closes it when the block ends)",
			q.ptr);
	if (!shaped) {
		rule_no_fix(f, syntax_type_is(p, "attribute") ? "not-bound" : "escapes-function");
		goto done;
	}
	if (how < 0) {
		rule_no_fix(f, "closed-without-finally");
		goto done;
	}
	block = tree_parent(stmt);
	last = ts_node_named_child(block, ts_node_named_child_count(block) - 1);
	from = ts_node_end_byte(stmt);
	to = ts_node_end_byte(block);
	if ((why = check_uses(ctx, fn, stmt, left, from, to))) {
		rule_no_fix(f, why);
		goto done;
	}
	for (TSNode s = ts_node_next_named_sibling(stmt); !ts_node_is_null(s);
	     s = ts_node_next_named_sibling(s))
		syntax_find_owned(s, "yield", &yields);
	if (yields.len) {
		rule_no_fix(f, "yield-in-scope");
		goto done;
	}
	if (!syntax_type_is(block, "block") || !syntax_alone(stmt) || !rule_own_line(ctx, stmt)) {
		rule_no_fix(f, "compound-statement");
		goto done;
	}
	syntax_async_with_over(ctx, f, stmt, left, ts_node_start_byte(right), ts_node_end_byte(right),
			       last);
done:
	vec_release(&yields);
	buf_release(&q);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"4. **正确的上下文管理** - 异步资源使用 `async with` 管理",
	"最佳实践总结 > 2. 资源管理",
	"# ✅ 推荐 - 使用上下文管理器",
	"检查清单",
	"- [ ] 异步资源使用 `async with` 管理",
	NULL,
};

static const char *const reasons[] = {
	"escapes-function", "the client outlives the function: returned, yielded, stored on "
	"an object or in a container, passed to a call that is not awaited at once (a task), "
	"used in a nested function, or never bound to a plain name",
	"escapes-block", "the name is used after the block the client was created in, or "
	"bound again in the function",
	"not-bound", "the client is used as a temporary (`await httpx.AsyncClient().get(..)`) "
	"and never bound to a name",
	"closed-without-finally", "the function closes the client, but not in a `finally`: "
	"an exception before the close leaks it; use `async with` or move the close into "
	"`finally`",
	"yield-in-scope", "the rest of the block holds a `yield`: a new `async with` would stay "
	"open while the generator is suspended",
	"compound-statement", "the assignment shares its line with other code or with its "
	"block's header",
	NULL,
};

const struct transform transform_unclosed_client = {
	.code = "AM301",
	.name = "unclosed-async-client",
	.summary = "httpx.AsyncClient()/aiohttp.ClientSession() never closed -> async with",
	.fix = FIX_UNSAFE,
	.query = unclosed_client_scm,
	.in_async_def = true,
	.tokens = tokens,
	.check = check,
	.finds = "A call of `httpx.AsyncClient(..)` or `aiohttp.ClientSession(..)` (under any "
		 "import alias) in a coroutine that is not the subject of an `async with`, not "
		 "given to `enter_async_context`, and whose name is not closed by "
		 "`aclose()`/`close()` in a `finally` or by `async with NAME`. "
		 "`self.x = httpx.AsyncClient(..)` is not reported when a method of the class "
		 "closes `self.x` and everything the class puts in `self.x` is that client: the "
		 "object owns it.",
	.why = "A client holds a connection pool; one never closed leaks sockets and, with "
	       "aiohttp, warns \"Unclosed client session\". The standard requires async "
	       "resources to be managed with `async with`.",
	.standard = standard,
	.fix_text = "`client = httpx.AsyncClient(..)` becomes `async with httpx.AsyncClient(..) "
		    "as client:` and the rest of its block moves into it, re-indented with the "
		    "file's indent unit. What changes: the client is closed when the block ends "
		    "(also when it raises), so anything that kept it past the block would find "
		    "it closed; such uses are reported instead.",
	.reasons = reasons,
	.example_before = "import httpx\n"
			  "\n"
			  "\n"
			  "async def fetch_all(urls):\n"
			  "    client = httpx.AsyncClient()\n"
			  "    pages = []\n"
			  "    for url in urls:\n"
			  "        pages.append((await client.get(url)).text)\n"
			  "    return pages\n",
	.example_after = "import httpx\n"
			 "\n"
			 "\n"
			 "async def fetch_all(urls):\n"
			 "    async with httpx.AsyncClient() as client:\n"
			 "        pages = []\n"
			 "        for url in urls:\n"
			 "            pages.append((await client.get(url)).text)\n"
			 "        return pages\n",
};
