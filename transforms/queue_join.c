/*
 * AM112: `await q.join()` on an asyncio queue nothing marks done.
 *
 * `join()` returns once every item put in the queue was matched by a
 * `task_done()` call. When the queue is made in this module and no code
 * in the module calls `task_done()` on it, the first item put makes the
 * join wait forever. Report only: where the consumer should acknowledge
 * an item is the author's choice.
 *
 * The queue is `asyncio.Queue()` (also PriorityQueue, LifoQueue) bound to
 * a local name, a private module name (`_queue`) or a private attribute
 * (`self._queue`); every binding must be such a call. A public module
 * name or attribute may be used by other modules: not reported. Its uses (every mention of the same
 * variable, or of an attribute of that name on any object) must be
 * method calls on it, of which one puts an item and none is `task_done`.
 * A queue handed to a function or class defined in the module counts as
 * marked done when anything in the module calls `task_done`; handed to
 * anything else, returned, stored or aliased, it escapes: not reported.
 * So is a join that is not awaited directly (`wait_for(q.join(), 5)`).
 */
#include <string.h>

#include "../src/receiver.h"
#include "table.h"
#include "syntax.h"
#include "queue_join.scm.h"
#include "../src/tree.h"

#define QUEUE_JOIN_MAX_REFS 128

/* every constructor's name holds it */
static const char *const tokens[] = { "Queue", NULL };

static const char *const constructors[] = {
	"asyncio.Queue", "asyncio.PriorityQueue", "asyncio.LifoQueue",
	"asyncio.queues.Queue", "asyncio.queues.PriorityQueue", "asyncio.queues.LifoQueue",
	NULL,
};

/* Methods and attributes of a queue that neither mark items done nor
 * let the queue escape. */
static const char *const harmless[] = {
	"join", "get", "get_nowait", "qsize", "empty", "full", "maxsize", NULL,
};
static const char *const put_methods[] = { "put", "put_nowait", NULL };

/* What the uses of a queue tell. */
struct queue_uses {
	bool put;		/* an item is put in it */
	bool done;		/* task_done is called on it (or may be) */
	bool local_escape;	/* handed to a function or class of the module */
	bool escape;		/* handed to code outside the module, or not understood */
};

/* True when `call` is a call of an asyncio queue constructor. */
static bool is_constructor(const struct rule_ctx *ctx, TSNode call)
{
	TSNode fn = syntax_field(call, "function");
	struct buf q = BUF_INIT;
	bool yes;

	if (!syntax_type_is(call, "call") ||
	    !(syntax_type_is(fn, "identifier") || syntax_type_is(fn, "attribute")))
		return false;
	yes = scope_resolve_expr(ctx->scopes, fn, &q) == RESOLVE_MODULE &&
	      syntax_str_in(buf_cstr(&q), constructors);
	buf_release(&q);
	return yes;
}

/* True when the def or class statement `def` is named by the `len` bytes
 * at `text`. */
static bool def_named(const struct rule_ctx *ctx, TSNode def, const char *text, uint32_t len)
{
	TSNode nm;

	if (syntax_type_is(def, "decorated_definition"))
		def = syntax_field(def, "definition");
	if (!syntax_type_is(def, "function_definition") && !syntax_type_is(def, "class_definition"))
		return false;
	nm = syntax_field(def, "name");
	return !ts_node_is_null(nm) && ts_node_end_byte(nm) - ts_node_start_byte(nm) == len &&
	       !memcmp(ctx->src->text + ts_node_start_byte(nm), text, len);
}

/* True when `fn` (the function of a call) names a def or class written in
 * this module: a name whose every binding where it is called is a def or
 * class statement, or `self.method` of a method of the enclosing class. */
static bool module_callee(const struct rule_ctx *ctx, TSNode fn)
{
	TSNode root = ts_tree_root_node(ctx->tree), c = fn, name;
	uint32_t sites[8], len, n;
	const char *text;
	bool found = false;

	if (syntax_type_is(fn, "identifier")) {
		text = rule_text(ctx, fn, &len);
		n = (uint32_t)scope_binding_sites(ctx->scopes, ts_node_start_byte(fn), text, len,
						  sites, 8);
		for (uint32_t i = 0; i < n; i++) {
			TSNode nm = ts_node_named_descendant_for_byte_range(root, sites[i],
									    sites[i] + len);

			if (!def_named(ctx, tree_parent(nm), text, len))
				return false;
		}
		return n > 0;
	}
	if (!syntax_type_is(fn, "attribute") ||
	    !syntax_type_is(syntax_field(fn, "object"), "identifier") ||
	    !rule_text_is(ctx, syntax_field(fn, "object"), "self"))
		return false;
	name = syntax_field(fn, "attribute");
	if (ts_node_is_null(name))
		return false;
	text = rule_text(ctx, name, &len);
	while (!ts_node_is_null(c) && !syntax_type_is(c, "class_definition"))
		c = tree_parent(c);
	c = syntax_field(c, "body");
	n = ts_node_is_null(c) ? 0 : ts_node_named_child_count(c);
	for (uint32_t i = 0; i < n && !found; i++)
		found = def_named(ctx, ts_node_named_child(c, i), text, len);
	return found;
}

/* Classifies one use `u` of the queue (an identifier or an attribute). */
static void classify(const struct rule_ctx *ctx, TSNode u, struct queue_uses *uses)
{
	TSNode p = tree_parent(u);

	if (syntax_type_is(p, "parenthesized_expression")) {
		uses->escape = true;
		return;
	}
	if (syntax_type_is(p, "assignment") && syntax_is_field(p, "left", u))
		return;		/* a binding: checked to be a constructor */
	if (syntax_type_is(p, "delete_statement"))
		return;
	if (syntax_type_is(p, "attribute") && syntax_is_field(p, "object", u)) {
		TSNode m = syntax_field(p, "attribute");

		if (ts_node_is_null(m))
			uses->escape = true;
		else if (rule_text_is(ctx, m, "task_done"))
			uses->done = true;
		else if (syntax_text_in(ctx, m, put_methods))
			uses->put = true;
		else if (!syntax_text_in(ctx, m, harmless))
			uses->escape = true;
		return;
	}
	if (syntax_type_is(p, "keyword_argument"))
		p = tree_parent(p);
	if (syntax_type_is(p, "argument_list") && syntax_type_is(tree_parent(p), "call") &&
	    module_callee(ctx, syntax_field(tree_parent(p), "function"))) {
		uses->local_escape = true;
		return;
	}
	uses->escape = true;
}

/* True when some attribute `.NAME` in the module is one of `names`. */
static bool module_mentions(const struct rule_ctx *ctx, const struct vec *attrs,
			    const char *const *names)
{
	for (size_t i = 0; i < attrs->len; i++) {
		TSNode m = syntax_field(*(TSNode *)vec_at(attrs, i), "attribute");

		if (!ts_node_is_null(m) && syntax_text_in(ctx, m, names))
			return true;
	}
	return false;
}

/* One reference `u` (a name or `self.NAME`) to the queue: a binding
 * (`u = ..`) must be a constructor, the earliest of them is `*ctor`;
 * every reference is classified into `uses`. False on a binding that is
 * not a constructor. */
static bool note_ref(const struct rule_ctx *ctx, TSNode u, TSNode *ctor, struct queue_uses *uses)
{
	TSNode p = tree_parent(u);

	if (syntax_type_is(p, "assignment") && syntax_is_field(p, "left", u)) {
		TSNode r = syntax_field(p, "right");

		if (!is_constructor(ctx, r))
			return false;
		if (ts_node_is_null(*ctor) || ts_node_start_byte(r) < ts_node_start_byte(*ctor))
			*ctor = r;
	}
	classify(ctx, u, uses);
	return true;
}

/* The queue behind the name `id`: its constructor call in `*ctor` and its
 * uses. False when a binding is not a constructor, or the name is not
 * understood. */
static bool name_queue(const struct rule_ctx *ctx, TSNode id, TSNode *ctor,
		       struct queue_uses *uses)
{
	TSNode root = ts_tree_root_node(ctx->tree);
	uint32_t refs[QUEUE_JOIN_MAX_REFS], len;
	const char *text = rule_text(ctx, id, &len);
	size_t n;
	int scope;

	n = scope_binding_sites(ctx->scopes, ts_node_start_byte(id), text, len, refs,
				QUEUE_JOIN_MAX_REFS);
	for (size_t i = 0; i < n; i++) {
		TSNode site = ts_node_named_descendant_for_byte_range(root, refs[i], refs[i] + len);
		TSNode p = tree_parent(site);

		if (!syntax_type_is(p, "assignment") || !syntax_is_field(p, "left", site) ||
		    !is_constructor(ctx, syntax_field(p, "right")))
			return false;	/* a parameter, a loop target, another value */
	}
	n = scope_variable_refs(ctx->scopes, ts_node_start_byte(id), text, len, refs,
				QUEUE_JOIN_MAX_REFS, &scope);
	if (n == 0 || n > QUEUE_JOIN_MAX_REFS)
		return false;
	if (scope == 0 && *text != '_')
		return false;	/* a public module global: other modules may use it */
	*ctor = (TSNode){ { 0 }, NULL, NULL };
	for (size_t i = 0; i < n; i++) {
		TSNode u = ts_node_named_descendant_for_byte_range(root, refs[i], refs[i] + len);

		if (!syntax_type_is(u, "identifier") || ts_node_start_byte(u) != refs[i] ||
		    !note_ref(ctx, u, ctor, uses))
			return false;
	}
	return !ts_node_is_null(*ctor);
}

/* The queue behind `self.NAME`: every `self.NAME = ..` in the module must
 * be a constructor; the uses are every `.NAME` in the module. */
static bool attr_queue(const struct rule_ctx *ctx, TSNode attr, const struct vec *attrs,
		       TSNode *ctor, struct queue_uses *uses)
{
	TSNode obj = syntax_field(attr, "object"), name = syntax_field(attr, "attribute");
	uint32_t len;
	const char *text;

	if (!syntax_type_is(obj, "identifier") || !rule_text_is(ctx, obj, "self") ||
	    ts_node_is_null(name))
		return false;
	text = rule_text(ctx, name, &len);
	if (*text != '_')
		return false;	/* a public attribute: code elsewhere may use it */
	*ctor = (TSNode){ { 0 }, NULL, NULL };
	for (size_t i = 0; i < attrs->len; i++) {
		TSNode a = *(TSNode *)vec_at(attrs, i), m = syntax_field(a, "attribute");

		if (ts_node_is_null(m) || ts_node_end_byte(m) - ts_node_start_byte(m) != len ||
		    memcmp(ctx->src->text + ts_node_start_byte(m), text, len))
			continue;
		if (!note_ref(ctx, a, ctor, uses))
			return false;
	}
	return !ts_node_is_null(*ctor);
}

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	TSNode recv = rule_capture(ctx, match, "recv"), call = rule_capture(ctx, match, "call");
	TSNode args = rule_capture(ctx, match, "args"), ctor;
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	struct vec attrs = VEC_INIT(TSNode);
	struct queue_uses uses = { 0 };
	const char *type;
	bool known;
	uint32_t rlen;
	const char *rtext;

	if (syntax_argument_count(tree_parent(args)) != 0)
		return 0;
	type = receiver_type(&rc, recv);
	if (!type || strcmp(type, "asyncio.Queue"))
		return 0;
	syntax_find_all(ts_tree_root_node(ctx->tree), "attribute", &attrs);
	if (syntax_type_is(recv, "identifier"))
		known = name_queue(ctx, recv, &ctor, &uses);
	else if (syntax_type_is(recv, "attribute"))
		known = attr_queue(ctx, recv, &attrs, &ctor, &uses);
	else
		known = false;
	if (!known || uses.escape || uses.done)
		goto done;
	if (uses.local_escape) {
		static const char *const task_done[] = { "task_done", NULL };

		/* the callee may mark items done, or put some, by another name */
		if (module_mentions(ctx, &attrs, task_done))
			goto done;
		uses.put = uses.put || module_mentions(ctx, &attrs, put_methods);
	}
	if (!uses.put)
		goto done;	/* nothing is ever put: join returns at once */
	rtext = rule_text(ctx, recv, &rlen);
	rule_report(ctx, &transform_queue_join, call,
		    "`%.*s.join()` waits for a `task_done()` per item put, and nothing in this "
		    "module calls `task_done()` on the queue created at line %u: the join never "
		    "returns; call `task_done()` once per item taken, in a `finally`",
		    (int)rlen, rtext, ts_node_start_point(ctor).row + 1);
done:
	vec_release(&attrs);
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"asyncio 最佳实践 > 限制并发数量",
	"# ✅ 推荐 - 使用 asyncio.Queue 实现工作池",
	"asyncio 最佳实践 > 限制并发数量",
	"queue.task_done()",
	"asyncio 最佳实践 > 限制并发数量",
	"await queue.join()",
	NULL,
};

static const char *const no_reasons[] = { NULL };

const struct transform transform_queue_join = {
	.code = "AM112",
	.name = "queue-join-without-task-done",
	.summary = "await queue.join() on an asyncio.Queue nothing calls task_done() on (report)",
	.fix = FIX_NONE,
	.query = queue_join_scm,
	.tokens = tokens,
	.check = check,
	.finds = "`await q.join()` where `q` is an `asyncio.Queue` (also `PriorityQueue`, "
		 "`LifoQueue`) created in this module, bound to a local name, a private module "
		 "name (`_queue`) or a private attribute (`self._queue = asyncio.Queue()`), that "
		 "some code puts items in and that nothing in "
		 "the module calls `task_done()` on. Every use of the queue must be a method "
		 "call on it; a queue handed to a function or class defined in the module is "
		 "reported only when nothing in the module calls `task_done()` at all, and one "
		 "handed to other code, returned, stored or aliased is not reported, nor one "
		 "bound to a public module name or attribute, which other modules may use.",
	.why = "`Queue.join()` returns when every item put was matched by a `task_done()` "
	       "call. The standard's worker pool calls `queue.task_done()` in a `finally` for "
	       "each item it takes and only then awaits `queue.join()`; without the calls, "
	       "the first item put makes the join wait forever.",
	.standard = standard,
	.fix_text = "None: call `q.task_done()` once per item taken with `get()`, in a "
		    "`finally` so that a failed item is counted too, or wait for the consumers "
		    "themselves instead of the queue.",
	.reasons = no_reasons,
	.example_before = "import asyncio\n"
			  "\n"
			  "\n"
			  "async def crawl(urls, fetch):\n"
			  "    queue = asyncio.Queue()\n"
			  "    for url in urls:\n"
			  "        queue.put_nowait(url)\n"
			  "\n"
			  "    async def worker():\n"
			  "        while True:\n"
			  "            await fetch(await queue.get())\n"
			  "\n"
			  "    workers = [asyncio.create_task(worker()) for _ in range(4)]\n"
			  "    await queue.join()\n"
			  "    for w in workers:\n"
			  "        w.cancel()\n",
	.example_after = "import asyncio\n"
			 "\n"
			 "\n"
			 "async def crawl(urls, fetch):\n"
			 "    queue = asyncio.Queue()\n"
			 "    for url in urls:\n"
			 "        queue.put_nowait(url)\n"
			 "\n"
			 "    async def worker():\n"
			 "        while True:\n"
			 "            url = await queue.get()\n"
			 "            try:\n"
			 "                await fetch(url)\n"
			 "            finally:\n"
			 "                queue.task_done()\n"
			 "\n"
			 "    workers = [asyncio.create_task(worker()) for _ in range(4)]\n"
			 "    await queue.join()\n"
			 "    for w in workers:\n"
			 "        w.cancel()\n",
};
