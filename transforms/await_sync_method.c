/*
 * AM109: `await` on a plain method of an httpx response.
 *
 * `httpx.Response.json()`, `raise_for_status()`, `read()`, `close()` and
 * the `iter_*` methods are synchronous (the async ones are `aread()`,
 * `aclose()`, `aiter_*()`), so `await response.json()` raises TypeError:
 * a dict, a response or None cannot be awaited. The response is known
 * through the receiver facility: `response = await client.get(..)` (also
 * inside `asyncio.wait_for(..)`) on a client the file shows to be an
 * `httpx.AsyncClient`. aiohttp's responses, whose `json()` is a
 * coroutine, are never matched. Unsafe fix: the `await` goes (the program
 * no longer raises at that point).
 */
#include <string.h>

#include "table.h"
#include "receiver.h"
#include "await_sync_method.scm.h"

static const char *const tokens[] = { "httpx", NULL };

static int check(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	struct receiver_ctx rc = { ctx->scopes, ctx->src->text };
	TSNode aw = rule_capture(ctx, match, "await"), call = rule_capture(ctx, match, "call");
	TSNode obj = rule_capture(ctx, match, "obj");
	TSNode m = ts_node_child_by_field_name(ts_node_child_by_field_name(call, "function", 8),
					       "attribute", 9);
	const char *t = receiver_type(&rc, obj), *name;
	struct finding *f;
	uint32_t len;

	if (!t || strcmp(t, "httpx.Response"))
		return 0;
	name = rule_text(ctx, m, &len);
	f = rule_report(ctx, &transform_await_sync_method, aw,
			"`%.*s()` of an httpx response is not a coroutine: awaiting its result "
			"raises TypeError; drop the `await`%s", (int)len, name,
			len == 4 && !memcmp(name, "read", 4)   ? " (or await `aread()`)"
			: len == 5 && !memcmp(name, "close", 5) ? " (or await `aclose()`)"
								: "");
	/* `await` and the blanks after it go; parentheses and any comment in
	 * them stay */
	rule_edit(f, ts_node_start_byte(aw), ts_node_start_byte(ts_node_named_child(aw, 0)), "");
	return 0;
}


/* For `asyncmod explain`: the lines of the standard this rule enforces. */
static const char *const standard[] = {
	"核心原则 > ❌ 禁止行为",
	"- 混用同步和异步代码",
	NULL,
};

static const char *const reasons[] = { NULL };

const struct transform transform_await_sync_method = {
	.code = "AM109",
	.name = "await-sync-response-method",
	.summary = "await response.json() on an httpx response (a sync method) -> drop the await",
	.fix = FIX_UNSAFE,
	.query = await_sync_method_scm,
	.tokens = tokens,
	.check = check,
	.finds = "`await R.json()` (also `raise_for_status`, `read`, `close`, `iter_bytes`, "
		 "`iter_text`, `iter_lines`, `iter_raw`) where the file shows `R` to be an httpx "
		 "response: the awaited result of a request (`get`, `post`, .., `send`) on an "
		 "`httpx.AsyncClient`, directly or through `asyncio.wait_for`. aiohttp "
		 "responses, whose `json()` is a coroutine, are not matched.",
	.why = "httpx's response methods other than `aread`, `aclose` and `aiter_*` are "
	       "synchronous: the body is already read when the request returns. Awaiting "
	       "what they return (a dict, the response, None) raises TypeError, so the "
	       "handler fails every time. The standard's own timeout examples contain this "
	       "bug.",
	.standard = standard,
	.fix_text = "Unsafe: the `await` goes, `await response.json()` becomes "
		    "`response.json()`. The program no longer raises TypeError there.",
	.reasons = reasons,
	.example_before = "import httpx\n"
			  "\n"
			  "\n"
			  "async def fetch(url):\n"
			  "    async with httpx.AsyncClient(timeout=10) as client:\n"
			  "        response = await client.get(url)\n"
			  "        return await response.json()\n",
	.example_after = "import httpx\n"
			 "\n"
			 "\n"
			 "async def fetch(url):\n"
			 "    async with httpx.AsyncClient(timeout=10) as client:\n"
			 "        response = await client.get(url)\n"
			 "        return response.json()\n",
};
