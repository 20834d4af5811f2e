/*
 * ASYNC220 / ASYNC221 / ASYNC222: process calls that block an async
 * function, split as flake8-async splits them.
 *
 *   ASYNC220  creates a process without waiting: `subprocess.Popen`,
 *             `os.popen`, `os.spawn*` with a mode other than `P_WAIT`;
 *   ASYNC221  runs a process and waits: `subprocess.run/call/check_call/
 *             check_output/getoutput/getstatusoutput`, `os.system`,
 *             `os.posix_spawn[p]`, `os.spawn*` with `P_WAIT` (or no mode);
 *   ASYNC222  waits for a child: `os.wait/wait3/wait4/waitid/waitpid`.
 *
 * Fix (safe): `await asyncio.to_thread(f, args...)`, the call unchanged in a
 * worker thread. With unsafe fixes wanted, `subprocess.run/call/check_call/
 * check_output` and `os.system` become `asyncio.create_subprocess_exec` /
 * `create_subprocess_shell` where every argument carries over exactly (a
 * literal command, `check=`, `capture_output=`, `input=`, `cwd=`, `env=`)
 * and the result's use can be rewritten; the other shapes of those calls
 * are reported with the reason, the safe form staying what `--fix` without
 * unsafe fixes writes. Reported always: `preexec_fn` (not safe with
 * threads), `**kwargs` that may hold it, nested sync scopes, ambiguous
 * names, anyio/trio modules.
 */
#include <string.h>

#include "table.h"
#include "blocking_process.scm.h"
#include "syntax.h"
#include "../src/tree.h"

static const char *const tokens_create[] = { "Popen", "popen", "spawn", NULL };
static const char *const tokens_run[] = { "subprocess", "system", "spawn", NULL };
static const char *const tokens_wait[] = { "wait", NULL };

enum proc_kind {
	KIND_POPEN,		/* subprocess.Popen */
	KIND_OS_POPEN,		/* os.popen */
	KIND_SPAWN,		/* os.spawn*: 220 or 221 by mode */
	KIND_RUN,		/* subprocess.run */
	KIND_CALL,		/* subprocess.call */
	KIND_CHECK_CALL,	/* subprocess.check_call */
	KIND_CHECK_OUTPUT,	/* subprocess.check_output */
	KIND_GETOUTPUT,		/* subprocess.getoutput/getstatusoutput */
	KIND_SYSTEM,		/* os.system */
	KIND_POSIX_SPAWN,	/* os.posix_spawn[p] */
	KIND_WAIT,		/* os.wait* */
};

struct proc_fn {
	const char *qname;
	enum proc_kind kind;
	const struct transform *rule;	/* NULL: decided by the spawn mode */
};

static const struct proc_fn proc_fns[] = {
	{ "subprocess.Popen", KIND_POPEN, &transform_process_create },
	{ "os.popen", KIND_OS_POPEN, &transform_process_create },
	{ "subprocess.run", KIND_RUN, &transform_process_run },
	{ "subprocess.call", KIND_CALL, &transform_process_run },
	{ "subprocess.check_call", KIND_CHECK_CALL, &transform_process_run },
	{ "subprocess.check_output", KIND_CHECK_OUTPUT, &transform_process_run },
	{ "subprocess.getoutput", KIND_GETOUTPUT, &transform_process_run },
	{ "subprocess.getstatusoutput", KIND_GETOUTPUT, &transform_process_run },
	{ "os.system", KIND_SYSTEM, &transform_process_run },
	{ "os.posix_spawn", KIND_POSIX_SPAWN, &transform_process_run },
	{ "os.posix_spawnp", KIND_POSIX_SPAWN, &transform_process_run },
	{ "os.spawnl", KIND_SPAWN, NULL },
	{ "os.spawnle", KIND_SPAWN, NULL },
	{ "os.spawnlp", KIND_SPAWN, NULL },
	{ "os.spawnlpe", KIND_SPAWN, NULL },
	{ "os.spawnv", KIND_SPAWN, NULL },
	{ "os.spawnve", KIND_SPAWN, NULL },
	{ "os.spawnvp", KIND_SPAWN, NULL },
	{ "os.spawnvpe", KIND_SPAWN, NULL },
	{ "os.wait", KIND_WAIT, &transform_process_wait },
	{ "os.wait3", KIND_WAIT, &transform_process_wait },
	{ "os.wait4", KIND_WAIT, &transform_process_wait },
	{ "os.waitid", KIND_WAIT, &transform_process_wait },
	{ "os.waitpid", KIND_WAIT, &transform_process_wait },
};

static bool is_subprocess_kind(enum proc_kind k)
{
	return k == KIND_POPEN || k == KIND_RUN || k == KIND_CALL || k == KIND_CHECK_CALL ||
	       k == KIND_CHECK_OUTPUT;
}

/* The kinds that have a create_subprocess form. */
static bool has_exec_form(enum proc_kind k)
{
	return k == KIND_RUN || k == KIND_CALL || k == KIND_CHECK_CALL ||
	       k == KIND_CHECK_OUTPUT || k == KIND_SYSTEM;
}

/* The value of keyword argument `name` in `args`, or a null node. */
static TSNode keyword_value(const struct rule_ctx *ctx, TSNode args, const char *name)
{
	TSNode none = { { 0 }, NULL, NULL };

	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);

		if (syntax_type_is(a, "keyword_argument") &&
		    rule_text_is(ctx, ts_node_child_by_field_name(a, "name", 4), name))
			return ts_node_child_by_field_name(a, "value", 5);
	}
	return none;
}

static bool has_type_child(TSNode args, const char *type)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++)
		if (syntax_type_is(ts_node_named_child(args, i), type))
			return true;
	return false;
}

/* os.spawn*: flake8-async counts a mode of `P_WAIT` (or none given) as
 * running and waiting (221), any other mode as creating (220). */
static const struct transform *spawn_rule(const struct rule_ctx *ctx, TSNode args)
{
	TSNode mode = keyword_value(ctx, args, "mode");

	if (ts_node_is_null(mode) && ts_node_named_child_count(args)) {
		TSNode first = ts_node_named_child(args, 0);

		if (!syntax_type_is(first, "keyword_argument") &&
		    !syntax_type_is(first, "list_splat") &&
		    !syntax_type_is(first, "dictionary_splat") && !syntax_type_is(first, "comment"))
			mode = first;
	}
	if (ts_node_is_null(mode))
		return &transform_process_run;
	if (syntax_type_is(mode, "attribute"))
		mode = ts_node_child_by_field_name(mode, "attribute", 9);
	if (syntax_type_is(mode, "identifier") && rule_text_is(ctx, mode, "P_WAIT"))
		return &transform_process_run;
	return &transform_process_create;
}

/* A string literal without interpolations (also implicitly concatenated). */
static bool plain_string(TSNode n, bool allow_fstring)
{
	if (syntax_type_is(n, "concatenated_string")) {
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			if (!plain_string(ts_node_named_child(n, i), allow_fstring))
				return false;
		return true;
	}
	if (!syntax_type_is(n, "string"))
		return false;
	return allow_fstring || !has_type_child(n, "interpolation");
}

/* An element that can be evaluated twice with the same result and no side
 * effect: a plain string, a name, or attributes on a name. */
static bool simple_element(TSNode n)
{
	if (plain_string(n, false) || syntax_type_is(n, "identifier"))
		return true;
	if (syntax_type_is(n, "attribute"))
		return simple_element(ts_node_child_by_field_name(n, "object", 6)) &&
		       !syntax_type_is(ts_node_child_by_field_name(n, "object", 6), "string");
	return false;
}

static bool is_literal(const struct rule_ctx *ctx, TSNode n, const char *word)
{
	return !ts_node_is_null(n) && rule_text_is(ctx, n, word);
}

/* A bytes literal without interpolation, or a name: the `input=` values
 * whose later evaluation (after the child starts) changes nothing. */
static bool simple_input(const struct rule_ctx *ctx, TSNode n)
{
	uint32_t len;
	const char *t;

	if (syntax_type_is(n, "identifier"))
		return true;
	if (!plain_string(n, false))
		return false;
	t = rule_text(ctx, n, &len);
	return len && (t[0] == 'b' || t[0] == 'B' ||
		       (len > 1 && (t[1] == 'b' || t[1] == 'B')));
}

/* What the create_subprocess form needs to know about one call. */
struct exec_plan {
	enum proc_kind kind;
	TSNode cmd;		/* the list or string */
	bool shell, check, capture;
	TSNode input;		/* null when none */
	TSNode pass[2];		/* cwd=, env= keyword arguments, in order */
	unsigned npass;
	TSNode stmt;		/* the statement replaced by a multi-line form */
	TSNode target;		/* the name assigned, when the result is kept */
	bool multi_line;	/* pipes or check: needs the statement form */
};

/* Fills `p` for the create_subprocess form, or returns the reason it
 * cannot carry the call over exactly. */
static const char *plan_exec(const struct rule_ctx *ctx, TSNode call, enum proc_kind kind,
			     struct exec_plan *p)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	TSNode parent = tree_parent(call);
	unsigned positional = 0;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->shell = kind == KIND_SYSTEM;
	if (!syntax_type_is(args, "argument_list"))
		return "subprocess-other-argument";
	for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
		TSNode a = ts_node_named_child(args, i), name, value;

		if (syntax_type_is(a, "comment"))
			return "comment-in-call";
		if (syntax_type_is(a, "list_splat"))
			return "subprocess-non-literal-args";
		if (!syntax_type_is(a, "keyword_argument")) {
			if (positional++)
				return "subprocess-other-argument";
			p->cmd = a;
			continue;
		}
		name = ts_node_child_by_field_name(a, "name", 4);
		value = ts_node_child_by_field_name(a, "value", 5);
		if (kind == KIND_SYSTEM)
			return "subprocess-other-argument";
		if (rule_text_is(ctx, name, "check") && kind == KIND_RUN) {
			if (!is_literal(ctx, value, "True") && !is_literal(ctx, value, "False"))
				return "subprocess-check";
			p->check = is_literal(ctx, value, "True");
		} else if (rule_text_is(ctx, name, "capture_output") && kind == KIND_RUN) {
			if (!is_literal(ctx, value, "True") && !is_literal(ctx, value, "False"))
				return "subprocess-other-argument";
			p->capture = is_literal(ctx, value, "True");
		} else if (rule_text_is(ctx, name, "input") &&
			   (kind == KIND_RUN || kind == KIND_CHECK_OUTPUT)) {
			if (is_literal(ctx, value, "None"))
				continue;
			if (!simple_input(ctx, value))
				return "subprocess-input";
			p->input = value;
		} else if (rule_text_is(ctx, name, "shell")) {
			if (!is_literal(ctx, value, "True") && !is_literal(ctx, value, "False"))
				return "subprocess-other-argument";
			p->shell = is_literal(ctx, value, "True");
		} else if (rule_text_is(ctx, name, "cwd") || rule_text_is(ctx, name, "env")) {
			if (p->npass < 2)
				p->pass[p->npass++] = a;
		} else if (rule_text_is(ctx, name, "text") || rule_text_is(ctx, name, "encoding") ||
			   rule_text_is(ctx, name, "errors") ||
			   rule_text_is(ctx, name, "universal_newlines")) {
			if (!is_literal(ctx, value, "None") && !is_literal(ctx, value, "False"))
				return "subprocess-text";
		} else if (rule_text_is(ctx, name, "timeout")) {
			if (!is_literal(ctx, value, "None"))
				return "subprocess-timeout";
		} else {
			return "subprocess-other-argument";
		}
	}
	if (ts_node_is_null(p->cmd))
		return "subprocess-other-argument";
	if (kind == KIND_SYSTEM) {
		if (!plain_string(p->cmd, true))
			return "subprocess-non-literal-args";
	} else if (p->shell) {
		if (!plain_string(p->cmd, false))
			return "subprocess-non-literal-args";
	} else {
		uint32_t n = 0;

		if (!syntax_type_is(p->cmd, "list"))
			return "subprocess-non-literal-args";
		for (uint32_t i = 0; i < ts_node_named_child_count(p->cmd); i++) {
			TSNode el = ts_node_named_child(p->cmd, i);

			if (syntax_type_is(el, "comment"))
				return "comment-in-call";
			if (!simple_element(el))
				return "subprocess-non-literal-args";
			n++;
		}
		if (!n)
			return "subprocess-non-literal-args";
	}
	if (kind == KIND_CHECK_CALL || kind == KIND_CHECK_OUTPUT)
		p->check = true;
	p->multi_line = p->check || p->capture || !ts_node_is_null(p->input);
	if (kind == KIND_SYSTEM && !syntax_type_is(parent, "expression_statement"))
		return "os-system-result-used";
	if (!p->multi_line)
		return NULL;
	/* the statement form: `CALL` or `NAME = CALL` as a whole statement */
	if (syntax_type_is(parent, "expression_statement")) {
		p->stmt = parent;
	} else if (syntax_type_is(parent, "assignment") &&
		   syntax_type_is(ts_node_child_by_field_name(parent, "left", 4), "identifier") &&
		   ts_node_is_null(ts_node_child_by_field_name(parent, "type", 4)) &&
		   syntax_type_is(tree_parent(parent), "expression_statement")) {
		p->target = ts_node_child_by_field_name(parent, "left", 4);
		p->stmt = tree_parent(parent);
	} else {
		return "subprocess-result-used";
	}
	if (ts_node_named_child_count(p->stmt) != 1 ||
	    !syntax_type_is(tree_parent(p->stmt), "block") || !rule_own_line(ctx, p->stmt))
		return "compound-statement";
	return NULL;
}

static void put_node(const struct rule_ctx *ctx, struct buf *out, TSNode n)
{
	uint32_t len;
	const char *t = rule_text(ctx, n, &len);

	buf_add(out, t, len);
}

/* The indent unit of the block holding `stmt`: what its line's indent adds
 * to the indent of the block's header line. */
static void indent_unit(const struct rule_ctx *ctx, TSNode stmt, const char *indent,
			struct buf *out)
{
	TSNode header = tree_parent(tree_parent(stmt));
	struct buf outer = BUF_INIT;
	size_t n;

	buf_clear(out);
	if (!ts_node_is_null(header)) {
		rule_indent(ctx, ts_node_start_byte(header), &outer);
		n = outer.len;
		if (n < strlen(indent) && !strncmp(indent, buf_cstr(&outer), n))
			buf_puts(out, indent + n);
	}
	if (!out->len)
		buf_puts(out, strchr(indent, '\t') ? "\t" : "    ");
	buf_release(&outer);
}

/*
 * The replacement is written as text around nodes of the call that stay
 * where they are (the command's elements, `cwd=`, `env=`): each gap
 * between two kept nodes becomes one edit. The user's expressions are
 * then not inside any edit, so an import they name still counts as used
 * when another fix asks to drop it.
 */
struct splice {
	struct finding *f;
	uint32_t at;		/* start of the current gap */
	struct buf text;	/* its replacement so far */
};

static void splice_keep(struct splice *s, TSNode n)
{
	if (s->text.len || ts_node_start_byte(n) > s->at)
		rule_edit(s->f, s->at, ts_node_start_byte(n), buf_cstr(&s->text));
	buf_clear(&s->text);
	s->at = ts_node_end_byte(n);
}

static void splice_end(struct splice *s, uint32_t end)
{
	if (s->text.len || end > s->at)
		rule_edit(s->f, s->at, end, buf_cstr(&s->text));
	buf_release(&s->text);
}

/* `await AIO.create_subprocess_exec(ARGS, PIPES, PASS)` */
static void put_create(struct splice *s, const struct exec_plan *p, const char *aio,
		       bool in, bool so, bool se)
{
	buf_printf(&s->text, "await %s.create_subprocess_%s(", aio, p->shell ? "shell" : "exec");
	if (p->shell) {
		splice_keep(s, p->cmd);
	} else {
		uint32_t k = 0;

		for (uint32_t i = 0; i < ts_node_named_child_count(p->cmd); i++) {
			buf_puts(&s->text, k++ ? ", " : "");
			splice_keep(s, ts_node_named_child(p->cmd, i));
		}
	}
	if (in)
		buf_printf(&s->text, ", stdin=%s.subprocess.PIPE", aio);
	if (so)
		buf_printf(&s->text, ", stdout=%s.subprocess.PIPE", aio);
	if (se)
		buf_printf(&s->text, ", stderr=%s.subprocess.PIPE", aio);
	for (unsigned i = 0; i < p->npass; i++) {
		buf_puts(&s->text, ", ");
		splice_keep(s, p->pass[i]);
	}
	buf_puts(&s->text, ")");
}

/* Adds the create_subprocess edits to `f`. Returns -1 when a module name it
 * needs is taken. */
static int fix_exec(struct rule_ctx *ctx, struct finding *f, TSNode call, TSNode ref,
		    const struct exec_plan *p)
{
	struct buf aio = BUF_INIT, sp = BUF_INIT, root = BUF_INIT, proc = BUF_INIT,
		   out = BUF_INIT, err = BUF_INIT, indent = BUF_INIT, unit = BUF_INIT;
	struct splice s = { f, 0, BUF_INIT };
	const char *nl = ctx->src->newline;
	bool in = !ts_node_is_null(p->input);
	bool so = p->capture || p->kind == KIND_CHECK_OUTPUT, se = p->capture;
	bool uses_sp = false;
	int error = -1;

	if (rule_module_ref(ctx, f, ts_node_start_byte(call), "asyncio", &aio) < 0)
		goto done;
	if (!p->multi_line) {
		bool parens = p->kind == KIND_CALL && rule_await_needs_parens(call);
		bool completed = p->kind == KIND_RUN &&
				 !syntax_type_is(tree_parent(call), "expression_statement");

		if (completed) {
			if (rule_module_ref(ctx, f, ts_node_start_byte(call), "subprocess", &sp) < 0)
				goto done;
			uses_sp = true;
			buf_printf(&s.text, "%s.CompletedProcess(", buf_cstr(&sp));
			put_node(ctx, &s.text, p->cmd);
			buf_puts(&s.text, ", ");
		}
		s.at = ts_node_start_byte(call);
		buf_puts(&s.text, parens ? "(await (" : "await (");
		put_create(&s, p, buf_cstr(&aio), false, false, false);
		buf_puts(&s.text, ").wait()");
		buf_puts(&s.text, parens || completed ? ")" : "");
		splice_end(&s, ts_node_end_byte(call));
	} else {
		uint32_t start = ts_node_start_byte(p->stmt), end = ts_node_end_byte(p->stmt);
		uint32_t cend;
		bool keep_io = p->check || !ts_node_is_null(p->target);

		if ((p->check || (!ts_node_is_null(p->target) && p->kind == KIND_RUN)) &&
		    rule_module_ref(ctx, f, start, "subprocess", &sp) < 0)
			goto done;
		uses_sp = sp.len > 0;
		rule_fresh_name(ctx, "_proc", &proc);
		rule_fresh_name(ctx, "_out", &out);
		rule_fresh_name(ctx, "_err", &err);
		rule_indent(ctx, start, &indent);
		indent_unit(ctx, p->stmt, buf_cstr(&indent), &unit);
		s.at = start;
		buf_printf(&s.text, "%s = ", buf_cstr(&proc));
		put_create(&s, p, buf_cstr(&aio), in, so, se);
		/* a comment after the statement stays on its first line */
		cend = end;
		while (cend < ctx->src->len && (ctx->src->text[cend] == ' ' ||
						ctx->src->text[cend] == '\t'))
			cend++;
		if (cend < ctx->src->len && ctx->src->text[cend] == '#') {
			while (cend < ctx->src->len && ctx->src->text[cend] != '\n' &&
			       ctx->src->text[cend] != '\r')
				cend++;
			buf_add(&s.text, ctx->src->text + end, cend - end);
			end = cend;
		}
		buf_printf(&s.text, "%s%s", nl, buf_cstr(&indent));
		if (in || so || se) {
			if (keep_io)
				buf_printf(&s.text, "%s, %s = ", buf_cstr(&out), buf_cstr(&err));
			buf_printf(&s.text, "await %s.communicate(", buf_cstr(&proc));
			if (in)
				put_node(ctx, &s.text, p->input);
			buf_puts(&s.text, ")");
		} else {
			buf_printf(&s.text, "await %s.wait()", buf_cstr(&proc));
		}
		if (p->check) {
			buf_printf(&s.text, "%s%sif %s.returncode:%s%s%sraise "
				   "%s.CalledProcessError(%s.returncode, ",
				   nl, buf_cstr(&indent), buf_cstr(&proc), nl, buf_cstr(&indent),
				   buf_cstr(&unit), buf_cstr(&sp), buf_cstr(&proc));
			put_node(ctx, &s.text, p->cmd);
			if (in || so || se)
				buf_printf(&s.text, ", %s, %s", buf_cstr(&out), buf_cstr(&err));
			buf_puts(&s.text, ")");
		}
		if (!ts_node_is_null(p->target)) {
			buf_printf(&s.text, "%s%s", nl, buf_cstr(&indent));
			put_node(ctx, &s.text, p->target);
			buf_puts(&s.text, " = ");
			if (p->kind == KIND_RUN) {
				buf_printf(&s.text, "%s.CompletedProcess(", buf_cstr(&sp));
				put_node(ctx, &s.text, p->cmd);
				buf_printf(&s.text, ", %s.returncode", buf_cstr(&proc));
				if (in || so || se)
					buf_printf(&s.text, ", %s, %s", buf_cstr(&out), buf_cstr(&err));
				buf_puts(&s.text, ")");
			} else if (p->kind == KIND_CHECK_OUTPUT) {
				buf_puts(&s.text, buf_cstr(&out));
			} else {
				buf_printf(&s.text, "%s.returncode", buf_cstr(&proc));
			}
		}
		splice_end(&s, end);
	}
	/* The callee's import may now be unused. Not the subprocess module's
	 * own binding: another fix in the file may write
	 * `subprocess.CompletedProcess`, and the drop counts only the
	 * references left outside the edits. */
	rule_root_name(ctx, ref, &root);
	{
		const char *q = NULL;
		enum resolution rr = scope_resolve_name(ctx->scopes, ts_node_start_byte(ref),
							buf_cstr(&root), root.len, &q);

		if (!(uses_sp && !strcmp(buf_cstr(&root), buf_cstr(&sp))) &&
		    !(rr == RESOLVE_MODULE && q && !strcmp(q, "subprocess")))
			rule_need(f, NEED_DROP, buf_cstr(&root));
	}
	error = 0;
done:
	buf_release(&s.text);
	buf_release(&aio);
	buf_release(&sp);
	buf_release(&root);
	buf_release(&proc);
	buf_release(&out);
	buf_release(&err);
	buf_release(&indent);
	buf_release(&unit);
	return error;
}

static const char *what_it_does(const struct transform *rule)
{
	if (rule == &transform_process_create)
		return "starts a process with blocking calls";
	if (rule == &transform_process_wait)
		return "waits for a child process";
	return "runs a process and waits for it";
}

static int check_process(struct rule_ctx *ctx, const TSQueryMatch *match,
			 const struct transform *self)
{
	TSNode ref = rule_capture(ctx, match, "ref"), call, args;
	struct buf q = BUF_INIT;
	const struct proc_fn *fn = NULL;
	const struct transform *rule;
	const char *reason = NULL, *qn;
	enum scope_context where;
	enum resolution r;
	struct exec_plan plan;
	struct finding *f;

	if (rule_is_name_site(ref) || !rule_callee_of(ref, &call))
		return 0;
	args = ts_node_child_by_field_name(call, "arguments", 9);
	r = scope_resolve_expr(ctx->scopes, ref, &q);
	if ((r != RESOLVE_MODULE && r != RESOLVE_AMBIGUOUS) ||
	    !syntax_type_is(args, "argument_list"))
		goto done;
	qn = buf_cstr(&q);
	for (size_t i = 0; i < sizeof(proc_fns) / sizeof(proc_fns[0]) && !fn; i++)
		if (!strcmp(proc_fns[i].qname, qn))
			fn = &proc_fns[i];
	if (!fn)
		goto done;
	rule = fn->rule ? fn->rule : spawn_rule(ctx, args);
	if (rule != self)
		goto done;
	where = scope_context_at(ctx->scopes, ts_node_start_byte(call));
	if (where != CONTEXT_ASYNC && where != CONTEXT_NESTED_SYNC)
		goto done;

	if (r == RESOLVE_AMBIGUOUS)
		reason = "ambiguous-name";
	else if (where == CONTEXT_NESTED_SYNC)
		reason = "nested-sync-scope";
	else if (ctx->runtime != RUNTIME_ASYNCIO)
		reason = "non-asyncio-runtime";
	else if (is_subprocess_kind(fn->kind) &&
		 !ts_node_is_null(keyword_value(ctx, args, "preexec_fn")) &&
		 !is_literal(ctx, keyword_value(ctx, args, "preexec_fn"), "None"))
		reason = "subprocess-preexec-fn";
	else if (is_subprocess_kind(fn->kind) && has_type_child(args, "dictionary_splat"))
		reason = "keyword-splat";

	if (!reason && ctx->unsafe_fixes && has_exec_form(fn->kind)) {
		const char *why = plan_exec(ctx, call, fn->kind, &plan);
		const char *form = plan.shell ? "shell" : "exec";

		if (why) {
			/* the safe form still applies: unsafe fixes never fix less */
			f = rule_report(ctx, self, call,
					"`%s` %s in an async function, blocking the event loop; run "
					"it in a thread with `asyncio.to_thread` "
					"(`asyncio.create_subprocess_%s` cannot take this call over "
					"exactly: %s)", qn, what_it_does(self), form, why);
			goto thread;
		}
		f = rule_report(ctx, self, call,
				"`%s` %s in an async function, blocking the event loop; use "
				"`asyncio.create_subprocess_%s` (cancelling the task leaves the child "
				"running; a loop without subprocess support, such as Windows' "
				"`SelectorEventLoop`, raises `NotImplementedError`)",
				qn, what_it_does(self), form);
		f->fix = FIX_UNSAFE;
		if (fix_exec(ctx, f, call, ref, &plan) < 0)
			rule_no_fix(f, "import-name-shadowed");
		goto done;
	}
	f = rule_report(ctx, self, call,
			"`%s` %s in an async function, blocking the event loop; run it in a "
			"thread with `asyncio.to_thread`", qn, what_it_does(self));
	if (reason) {
		rule_no_fix(f, reason);
		goto done;
	}
thread:
	f->fix = FIX_SAFE;
	if (rule_to_thread(ctx, f, call, NULL) < 0)
		rule_no_fix(f, "import-name-shadowed");
done:
	buf_release(&q);
	return 0;
}

static int check_create(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_process(ctx, match, &transform_process_create);
}

static int check_run(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_process(ctx, match, &transform_process_run);
}

static int check_wait(struct rule_ctx *ctx, const TSQueryMatch *match)
{
	return check_process(ctx, match, &transform_process_wait);
}


/* For `asyncmod explain`: the lines of the standard these rules enforce. */
static const char *const standard[] = {
	"核心原则 > ✅ 必须遵守",
	"3. **避免阻塞** - 永远不要在异步函数中执行阻塞操作",
	"核心原则 > ❌ 禁止行为",
	"- 在 async 函数中使用阻塞 I/O（如 `time.sleep`、`requests.get`）",
	"避免阻塞事件循环 > 线程池用于 I/O 密集阻塞操作",
	"# ✅ 正确 - 使用线程池处理阻塞 I/O",
	"检查清单",
	"- [ ] 阻塞操作使用 `run_in_executor` 或异步库替代",
	NULL,
};

#define COMMON_REASONS \
	"nested-sync-scope", "the call is in a `def`, `lambda`, class body or generator " \
	"expression nested in the coroutine, where `await` is a syntax error or would turn the " \
	"generator async", \
	"ambiguous-name", "the name may or may not mean the process function (conditional " \
	"imports)", \
	"non-asyncio-runtime", "the module runs under anyio or trio", \
	"import-name-shadowed", "the name `asyncio` (or `subprocess`, which the fix names) means " \
	"something else where the call is"

#define SUBPROCESS_REASONS \
	"subprocess-preexec-fn", "`preexec_fn=` is given: it is not safe to use in the " \
	"presence of threads", \
	"keyword-splat", "`**kwargs` may hold `preexec_fn`"

static const char *const reasons_create[] = {
	SUBPROCESS_REASONS,
	COMMON_REASONS,
	NULL,
};

static const char *const reasons_run[] = {
	SUBPROCESS_REASONS,
	COMMON_REASONS,
	NULL,
};

static const char *const reasons_wait[] = {
	COMMON_REASONS,
	NULL,
};

const struct transform transform_process_create = {
	.code = "ASYNC220",
	.name = "create-subprocess-in-async-function",
	.summary = "subprocess.Popen / os.popen / os.spawn*(P_NOWAIT) in an async function -> "
		   "await asyncio.to_thread(..)",
	.fix = FIX_SAFE,
	.query = blocking_process_scm,
	.in_async_def = true,
	.tokens = tokens_create,
	.check = check_create,
	.finds = "A call that creates a process without waiting for it, as flake8-async's "
		 "ASYNC220 counts them: `subprocess.Popen(..)`, `os.popen(..)`, and `os.spawn*` "
		 "with a mode other than `P_WAIT` (`os.P_NOWAIT`), whose nearest enclosing "
		 "function is an `async def`. Names are resolved through the imports "
		 "(`import subprocess as sp`, `from os import popen`); a local or an import "
		 "from another module of the same name is not it. Running processes and waiting "
		 "(`subprocess.run`) is ASYNC221; `os.wait*` is ASYNC222.",
	.why = "Starting a process forks and execs in the calling thread and, for `Popen`, may "
	       "wait for the child's exec to report errors; meanwhile the event loop runs "
	       "nothing else. In a worker thread the same call leaves the loop free.",
	.standard = standard,
	.fix_text = "`subprocess.Popen(args, ..)` becomes "
		    "`await asyncio.to_thread(subprocess.Popen, args, ..)` (likewise `os.popen`, "
		    "`os.spawn*`), through the module's asyncio import or alias (one is added "
		    "when there is none). The call itself is unchanged; it runs in the default "
		    "executor, with the context copied. The returned object's blocking methods "
		    "(`wait`, `communicate`, `read`) are not changed.",
	.reasons = reasons_create,
	.example_before = "import subprocess\n"
			  "\n"
			  "\n"
			  "async def start_worker(script):\n"
			  "    return subprocess.Popen([\"python3\", script])\n",
	.example_after = "import subprocess\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def start_worker(script):\n"
			 "    return await asyncio.to_thread(subprocess.Popen, [\"python3\", script])\n",
};

const struct transform transform_process_run = {
	.code = "ASYNC221",
	.name = "run-process-in-async-function",
	.summary = "subprocess.run / os.system in an async function -> await "
		   "asyncio.to_thread(..) or asyncio.create_subprocess_exec (unsafe)",
	.fix = FIX_SAFE,
	.query = blocking_process_scm,
	.in_async_def = true,
	.tokens = tokens_run,
	.check = check_run,
	.finds = "A call that runs a process and waits for it, as flake8-async's ASYNC221 "
		 "counts them: `subprocess.run`, `call`, `check_call`, `check_output`, "
		 "`getoutput`, `getstatusoutput`, `os.system`, `os.posix_spawn[p]`, and "
		 "`os.spawn*` with `P_WAIT` (or no mode), whose nearest enclosing function is an "
		 "`async def`. Names are resolved through the imports (`import subprocess as "
		 "sp`, `from subprocess import run`); a local or an import from another module "
		 "of the same name is not it. Creating a process without waiting "
		 "(`subprocess.Popen`, `os.popen`) is ASYNC220; `os.wait*` is ASYNC222.",
	.why = "The call blocks until the child exits; the event loop runs nothing else "
	       "meanwhile, for as long as the child runs.",
	.standard = standard,
	.fix_text = "Safe: `subprocess.run(args, ..)` becomes "
		    "`await asyncio.to_thread(subprocess.run, args, ..)`, and so for every "
		    "function listed: the call is unchanged, in the default executor; "
		    "cancelling the task does not stop the child.\n"
		    "With unsafe fixes, `run`, `call`, `check_call`, `check_output` and "
		    "`os.system` use `asyncio.create_subprocess_exec` (`_shell` with "
		    "`shell=True` and for `os.system`) where the call carries over exactly: "
		    "the command a list literal of strings, names and attributes (a string "
		    "literal for the shell), other arguments only `check=`/`capture_output=` "
		    "(literal), `input=` (bytes literal or name), `cwd=`, `env=`. "
		    "A call with nothing to check or capture becomes "
		    "`await (await asyncio.create_subprocess_exec(..)).wait()` in place (the "
		    "return code; `run` wraps it in `subprocess.CompletedProcess(args, ..)`). "
		    "Otherwise the statement `CALL` or `NAME = CALL` becomes "
		    "`_proc = await asyncio.create_subprocess_exec(.., stdout=PIPE, ..)`, "
		    "`_out, _err = await _proc.communicate(input)` (or `await _proc.wait()`), "
		    "`if _proc.returncode: raise subprocess.CalledProcessError(..)` for a check, "
		    "and `NAME = subprocess.CompletedProcess(args, _proc.returncode, _out, _err)` "
		    "(`_out` for `check_output`, the return code for `call`/`check_call`). "
		    "What changes: cancelling the task leaves the child running (`run` kills "
		    "it on an exception), and a loop without subprocess support (Windows' "
		    "`SelectorEventLoop`) raises `NotImplementedError`. Any other call gets "
		    "the safe form, and with unsafe fixes its message names why the process "
		    "API cannot take it over: `subprocess-text` (`text=`, `encoding=`, "
		    "`errors=`, `universal_newlines=`), `subprocess-timeout` (`run` kills the "
		    "child when `timeout=` expires), `subprocess-check` (`check=` not a "
		    "literal), `subprocess-input` (`input=` not a bytes literal or a name), "
		    "`subprocess-non-literal-args` (the command is not a literal), "
		    "`subprocess-other-argument` (other arguments), `subprocess-result-used` "
		    "(the result is used inside an expression), `os-system-result-used` (a "
		    "wait status, not an exit code), `compound-statement` (the statement "
		    "shares its line) or `comment-in-call` (a comment would be lost).",
	.reasons = reasons_run,
	.example_before = "import subprocess\n"
			  "\n"
			  "\n"
			  "async def fetch_all():\n"
			  "    subprocess.run([\"git\", \"fetch\", \"--all\"], check=True)\n",
	.example_after = "import subprocess\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def fetch_all():\n"
			 "    _proc = await asyncio.create_subprocess_exec(\"git\", \"fetch\", "
			 "\"--all\")\n"
			 "    await _proc.wait()\n"
			 "    if _proc.returncode:\n"
			 "        raise subprocess.CalledProcessError(_proc.returncode, [\"git\", "
			 "\"fetch\", \"--all\"])\n",
};

const struct transform transform_process_wait = {
	.code = "ASYNC222",
	.name = "wait-for-process-in-async-function",
	.summary = "os.wait / os.waitpid in an async function -> await asyncio.to_thread(..)",
	.fix = FIX_SAFE,
	.query = blocking_process_scm,
	.in_async_def = true,
	.tokens = tokens_wait,
	.check = check_wait,
	.finds = "A call that waits for a child process, as flake8-async's ASYNC222 counts "
		 "them: `os.wait`, `os.wait3`, `os.wait4`, `os.waitid`, `os.waitpid`, whose "
		 "nearest enclosing function is an `async def`, resolved through the imports "
		 "(`from os import waitpid`). Creating a process is ASYNC220, running one and "
		 "waiting ASYNC221.",
	.why = "The call blocks until a child changes state; the event loop runs nothing else "
	       "meanwhile.",
	.standard = standard,
	.fix_text = "`os.waitpid(pid, 0)` becomes `await asyncio.to_thread(os.waitpid, pid, 0)`, "
		    "through the module's asyncio import or alias (one is added when there is "
		    "none). The call is unchanged, in the default executor; cancelling the task "
		    "does not stop the wait.",
	.reasons = reasons_wait,
	.example_before = "import os\n"
			  "\n"
			  "\n"
			  "async def reap(pid):\n"
			  "    _, status = os.waitpid(pid, 0)\n"
			  "    return os.waitstatus_to_exitcode(status)\n",
	.example_after = "import os\n"
			 "import asyncio\n"
			 "\n"
			 "\n"
			 "async def reap(pid):\n"
			 "    _, status = await asyncio.to_thread(os.waitpid, pid, 0)\n"
			 "    return os.waitstatus_to_exitcode(status)\n",
};
