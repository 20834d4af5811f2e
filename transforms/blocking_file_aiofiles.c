/*
 * blocking_file_aiofiles: ASYNC230's fix of a `with open(..) as f:` block.
 * The whole-file thread form when the block fits it, else the unsafe
 * rewrite to `async with aiofiles.open(..) as f:` with `await` on each
 * method call of `f` and `async for` over it, and the reasons the block
 * cannot take it (the file escapes, a sync protocol, a `yield`, another
 * item of the `with`).
 */
#include <string.h>

#include "blocking_file_internal.h"
#include "../src/tree.h"

/* Methods that are coroutines on an aiofiles file object. */
static const char *const aio_methods[] = {
	"close", "flush", "isatty", "read", "readline", "readlines", "seek", "seekable",
	"tell", "truncate", "write", "writable", "writelines", "read1", "readinto", "peek",
	"readall", NULL,
};

/* Plain attributes of an aiofiles file object, the same as the sync file's. */
static const char *const aio_properties[] = {
	"name", "mode", "closed", "encoding", "errors", "newlines", "line_buffering", NULL,
};

/* Members that hand out the sync file, or are sync on one kind of file
 * and a coroutine on the other. */
static const char *const aio_sync_members[] = {
	"buffer", "raw", "fileno", "detach", "readable", NULL,
};

/* Builtins that iterate or call the sync file protocol. */
static const char *const sync_protocol_calls[] = {
	"next", "iter", "list", "tuple", "set", "sorted", "enumerate", "zip", "map",
	"filter", "reversed", NULL,
};

/* How the uses of a `with` target are checked and given their awaits. */
struct use_check {
	struct rule_ctx *ctx;
	struct finding *f;
	TSNode with, target;
	const char *reason;
};

static void check_use(TSNode id, void *arg)
{
	struct use_check *u = arg;
	TSNode p = tree_parent(id), c, fn;
	uint32_t at = ts_node_start_byte(id);

	if (u->reason || syntax_node_eq(id, u->target) || rule_is_name_site(id))
		return;
	if (blocking_file_declared(id)) {
		u->reason = "escapes-block";
		return;
	}
	if (at < ts_node_start_byte(u->with))
		return;
	if (blocking_file_rebound_later(u->ctx, id, u->with))
		return;
	if (at >= ts_node_end_byte(u->with) ||
	    scope_context_at(u->ctx->scopes, at) != CONTEXT_ASYNC) {
		u->reason = "escapes-block";
		return;
	}
	if (syntax_type_is(p, "attribute") && syntax_node_eq(syntax_field(p, "object"), id)) {
		TSNode attr = syntax_field(p, "attribute");

		if (syntax_text_in(u->ctx, attr, aio_methods) && rule_callee_of(p, &c)) {
			bool parens = rule_await_needs_parens(c);

			if (syntax_type_is(tree_parent(c), "await"))
				return;
			rule_edit(u->f, ts_node_start_byte(c), ts_node_start_byte(c),
				  parens ? "(await " : "await ");
			if (parens)
				rule_edit(u->f, ts_node_end_byte(c), ts_node_end_byte(c), ")");
			return;
		}
		if (syntax_text_in(u->ctx, attr, aio_sync_members))
			u->reason = "aiofiles-buffer";
		else if (!syntax_text_in(u->ctx, attr, aio_properties) || rule_callee_of(p, &c))
			u->reason = "escapes-block";
		return;
	}
	if (syntax_type_is(p, "for_statement") && syntax_node_eq(syntax_field(p, "right"), id)) {
		if (!syntax_is_async(p))
			rule_edit(u->f, ts_node_start_byte(p), ts_node_start_byte(p), "async ");
		return;
	}
	if (syntax_type_is(p, "for_in_clause") && syntax_node_eq(syntax_field(p, "right"), id)) {
		TSNode comp = tree_parent(p);

		if (syntax_type_is(comp, "generator_expression")) {
			u->reason = "aiofiles-sync-protocol";
		} else if (!syntax_is_async(p)) {
			rule_edit(u->f, ts_node_start_byte(p), ts_node_start_byte(p), "async ");
		}
		return;
	}
	if (syntax_type_is(p, "argument_list") &&
	    !ts_node_is_null(c = blocking_file_json_load_of(u->ctx, id))) {
		struct buf text = BUF_INIT;
		uint32_t len;
		const char *t = rule_text(u->ctx, id, &len);
		TSNode attr = syntax_field(syntax_field(c, "function"), "attribute");

		buf_printf(&text, "await %.*s.read()", (int)len, t);
		rule_edit(u->f, ts_node_end_byte(attr), ts_node_end_byte(attr), "s");
		rule_edit(u->f, ts_node_start_byte(id), ts_node_end_byte(id), buf_cstr(&text));
		buf_release(&text);
		return;
	}
	if (syntax_type_is(p, "argument_list")) {
		fn = syntax_field(tree_parent(p), "function");
		u->reason = syntax_type_is(fn, "identifier") &&
			    syntax_text_in(u->ctx, fn, sync_protocol_calls) ?
			    "aiofiles-sync-protocol" : "escapes-block";
		return;
	}
	if (syntax_type_is(p, "with_item") ||
	    (syntax_type_is(p, "as_pattern") && syntax_type_is(tree_parent(p), "with_item"))) {
		u->reason = "aiofiles-sync-protocol";
		return;
	}
	u->reason = "escapes-block";
}

struct yield_find {
	const struct rule_ctx *ctx;
	bool found;
};

static void find_yield(TSNode n, struct yield_find *y)
{
	if (y->found)
		return;
	if (syntax_type_is(n, "yield") &&
	    scope_context_at(y->ctx->scopes, ts_node_start_byte(n)) == CONTEXT_ASYNC) {
		y->found = true;
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
		find_yield(ts_node_named_child(n, i), y);
}

/* Checks one item of the `with` and adds its edits: `aiofiles.open` for
 * the call, awaits and `async for` for the uses of its target. Returns a
 * reason when the item cannot become async. */
static const char *with_item_plan(struct rule_ctx *ctx, struct finding *f, TSNode with,
				  TSNode item, const char *aiofiles)
{
	TSNode value = syntax_field(item, "value"), call = value, target = { { 0 }, NULL, NULL };
	TSNode fn, args;
	struct use_check u = { ctx, f, with, target, NULL };
	struct buf text = BUF_INIT;
	enum open_form form;
	uint32_t len;
	const char *t;

	if (syntax_type_is(value, "as_pattern")) {
		call = ts_node_named_child(value, 0);
		target = syntax_named_child(syntax_field(value, "alias"), 0);
	}
	if ((form = blocking_file_open_form(ctx, call)) == OPEN_NONE)
		return "not-open";
	fn = syntax_field(call, "function");
	if (form == OPEN_BUILTIN) {
		blocking_file_drop_open_name(ctx, f, call);
		buf_printf(&text, "%s.open", aiofiles);
		rule_edit(f, ts_node_start_byte(fn), ts_node_end_byte(fn), buf_cstr(&text));
	} else {
		args = syntax_field(call, "arguments");
		t = rule_text(ctx, syntax_field(fn, "object"), &len);
		buf_printf(&text, "%s.open(%.*s%s", aiofiles, (int)len, t,
			   syntax_argument_count(call) ? ", " : "");
		rule_edit(f, ts_node_start_byte(call), ts_node_start_byte(args) + 1,
			  buf_cstr(&text));
	}
	buf_release(&text);
	if (ts_node_is_null(target))
		return NULL;
	if (!syntax_type_is(target, "identifier"))
		return "escapes-block";
	u.target = target;
	t = rule_text(ctx, target, &len);
	buf_add(&text, t, len);
	blocking_file_each_name(ctx, syntax_field(rule_enclosing_function(with), "body"),
				buf_cstr(&text), check_use, &u);
	buf_release(&text);
	return u.reason;
}

/* The fix of `with` for the item `item`: the whole-file form when it
 * fits, else the aiofiles form. Returns a reason when there is none. */
const char *blocking_file_with_fix(struct rule_ctx *ctx, struct finding *f, TSNode with,
				   TSNode item)
{
	TSNode clause = ts_node_named_child(with, 0);
	struct yield_find y = { ctx, false };
	struct buf aiofiles = BUF_INIT;
	const char *own = NULL, *other = NULL, *r;
	uint32_t items = 0;

	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++)
		items += syntax_type_is(ts_node_named_child(clause, i), "with_item");
	if (items == 1 && blocking_file_whole_with(ctx, f, with, item)) {
		f->fix = FIX_SAFE;
		blocking_file_set_message(f, "`open` blocks the event loop in an async function; "
					     "read or write the whole file in a thread");
		return NULL;
	}
	if (rule_module_ref(ctx, f, ts_node_start_byte(with), "aiofiles", &aiofiles) < 0) {
		buf_release(&aiofiles);
		return "import-name-shadowed";
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode it = ts_node_named_child(clause, i);

		if (!syntax_type_is(it, "with_item"))
			continue;
		r = with_item_plan(ctx, f, with, it, buf_cstr(&aiofiles));
		if (syntax_node_eq(it, item))
			own = r;
		else if (r && !other)
			other = r;
	}
	buf_release(&aiofiles);
	if (own)
		return own;
	if (other)
		return "other-with-item";
	find_yield(syntax_field(with, "body"), &y);
	if (y.found)
		return "yield-in-scope";
	rule_edit(f, ts_node_start_byte(with), ts_node_start_byte(with), "async ");
	f->fix = FIX_UNSAFE;
	blocking_file_set_message(f, "`open` blocks the event loop in an async function; use "
				     "`aiofiles.open` (unsafe: each file operation runs in a thread "
				     "and becomes a point where other tasks run and where "
				     "cancellation can arrive)");
	return NULL;
}

