/*
 * forge: opening and updating pull requests with `gh` and `glab`.
 *
 * Each call of a tool is a fork and an execvp of an argv built here (no
 * shell ever reads it), its stdin fed from a pipe (the body for `gh`),
 * its stdout and stderr read through pipes until it exits or its time is
 * up (then its process group is killed). The JSON of the list calls is
 * read with json-c.
 */
#include "forge.h"
#include "engine.h"
#include "repo.h"
#include "../transforms/table.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What a tool printed is kept up to this much (the rest is read and dropped). */
#define FORGE_OUTPUT_MAX (1u << 20)

int forge_parse_kind(enum forge_kind *kind, const char *s, struct err *err)
{
	if (!strcmp(s, "github"))
		*kind = FORGE_GITHUB;
	else if (!strcmp(s, "gitlab"))
		*kind = FORGE_GITLAB;
	else
		return err_set(err, "invalid forge '%s' (expected github or gitlab)", s);
	return 0;
}

/* Splits a remote URL into its host and its path (without a leading or
 * trailing slash, nor ".git"). Returns false when it has no host or path. */
static bool split_url(const char *url, struct buf *host, struct buf *path)
{
	const char *scheme = strstr(url, "://"), *h, *end, *p, *at;
	size_t n;

	if (scheme) {
		h = scheme + 3;
		end = h + strcspn(h, "/");
		at = memchr(h, '@', (size_t)(end - h));
		if (at)
			h = at + 1;
		n = strcspn(h, ":/");	/* a port is not part of the host */
		if (h + n > end)
			n = (size_t)(end - h);
		p = end;
	} else {
		/* scp-like [user@]host:path */
		const char *colon = strchr(url, ':');

		if (!colon || strchr(url, '/') < colon)
			return false;
		at = memchr(url, '@', (size_t)(colon - url));
		h = at ? at + 1 : url;
		n = (size_t)(colon - h);
		p = colon + 1;
	}
	if (!n)
		return false;
	buf_add(host, h, n);
	while (*p == '/')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	if (n > 4 && !strncmp(p + n - 4, ".git", 4))
		n -= 4;
	if (!n)
		return false;
	buf_add(path, p, n);
	return true;
}

enum forge_kind forge_detect(const char *url)
{
	struct buf host = BUF_INIT, path = BUF_INIT;
	enum forge_kind kind = FORGE_AUTO;

	if (split_url(url, &host, &path)) {
		for (char *c = host.ptr; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		if (strstr(host.ptr, "github"))
			kind = FORGE_GITHUB;
		else if (strstr(host.ptr, "gitlab"))
			kind = FORGE_GITLAB;
	}
	buf_release(&host);
	buf_release(&path);
	return kind;
}

char *forge_repo_arg(enum forge_kind kind, const char *url)
{
	struct buf host = BUF_INIT, path = BUF_INIT, out = BUF_INIT;

	if (split_url(url, &host, &path)) {
		if (kind == FORGE_GITLAB)
			buf_printf(&out, "https://%s/%s", host.ptr, path.ptr);
		else
			buf_printf(&out, "%s/%s", host.ptr, path.ptr);
	}
	buf_release(&host);
	buf_release(&path);
	return out.len ? buf_detach(&out) : NULL;
}

/* The variables the tools read their tokens from. */
static const char *const token_vars[] = {
	"GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
	"GITLAB_TOKEN", "GLAB_TOKEN", "GITLAB_ACCESS_TOKEN", "OAUTH_TOKEN", "CI_JOB_TOKEN", NULL
};

/* The prefixes of GitHub's and GitLab's token formats. */
static const char *const token_prefixes[] = {
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
	"glpat-", "gloas-", "gldt-", "glrt-", "glptt-", "glcbt-", "glft-", "glimt-", NULL
};

static bool token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

char *forge_redact(const char *text)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	buf_puts(&a, text);
	/* the values of the token variables, wherever they appear */
	for (size_t v = 0; token_vars[v]; v++) {
		const char *value = getenv(token_vars[v]);
		size_t n = value ? strlen(value) : 0;

		if (n < 4)
			continue;
		buf_clear(&b);
		for (const char *p = buf_cstr(&a); *p;) {
			if (!strncmp(p, value, n)) {
				buf_puts(&b, "***");
				p += n;
			} else {
				buf_putc(&b, *p++);
			}
		}
		buf_clear(&a);
		buf_puts(&a, buf_cstr(&b));
	}
	/* token-shaped words, and the user and password of URLs */
	buf_clear(&b);
	for (const char *p = buf_cstr(&a); *p;) {
		bool word_start = p == buf_cstr(&a) || !token_char(p[-1]);
		size_t k = 0, n;

		if (word_start)
			for (k = 0; token_prefixes[k]; k++)
				if (!strncmp(p, token_prefixes[k], strlen(token_prefixes[k])))
					break;
		if (word_start && token_prefixes[k]) {
			for (n = strlen(token_prefixes[k]); token_char(p[n]); n++)
				;
			buf_puts(&b, "***");
			p += n;
			continue;
		}
		if (!strncmp(p, "://", 3)) {
			size_t span = strcspn(p + 3, "/@ \t\r\n\"'");

			buf_puts(&b, "://");
			p += 3;
			if (p[span] == '@') {
				buf_puts(&b, "***");
				p += span;
			}
			continue;
		}
		buf_putc(&b, *p++);
	}
	buf_release(&a);
	return buf_detach(&b);
}

/* What a run of a tool gave. */
struct run {
	struct buf out, err;
	int status;		/* the exit status; -1 when killed */
	bool timed_out;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void keep(struct buf *b, const char *data, size_t n)
{
	if (b->len < FORGE_OUTPUT_MAX)
		buf_add(b, data, n < FORGE_OUTPUT_MAX - b->len ? n : FORGE_OUTPUT_MAX - b->len);
}

/* The child's side: its pipes on 0, 1, 2, no prompt, then the tool. */
static void exec_tool(char *const argv[], int in, int out, int errfd)
{
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);
	/* a tool that would ask a question fails instead of waiting */
	setenv("GH_PROMPT_DISABLED", "1", 1);
	setenv("NO_PROMPT", "1", 1);
	setenv("GH_NO_UPDATE_NOTIFIER", "1", 1);
	execvp(argv[0], argv);
	dprintf(2, "unable to run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void close_pipes(int in[2], int out[2], int errp[2])
{
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
}

/* Runs argv[0] (found on PATH) with `input` on its stdin. Returns -1 only
 * when it could not be started; its failure is in `r`. */
static int run_tool(char *const argv[], const char *input, double timeout, struct run *r,
		    struct err *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 }, ws = 0;
	size_t input_len = input ? strlen(input) : 0, written = 0;
	double deadline = now_seconds() + timeout;
	struct sigaction ignore, old;
	pid_t pid, waited;

	r->status = -1;
	r->timed_out = false;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		err_errno(err, "unable to run '%s'", argv[0]);
		goto fail;
	}
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ignore, &old);	/* a tool that stops reading is no crash */
	pid = fork();
	if (pid == 0)
		exec_tool(argv, in[0], out[1], errp[1]);
	if (pid < 0) {
		sigaction(SIGPIPE, &old, NULL);
		err_errno(err, "unable to run '%s'", argv[0]);
		goto fail;
	}
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	in[0] = out[1] = errp[1] = -1;
	if (!input_len) {
		close(in[1]);
		in[1] = -1;
	} else {
		/* never blocked writing while the tool waits for its output to be read */
		fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	}
	while (out[0] >= 0 || errp[0] >= 0) {
		struct pollfd fds[3] = { { out[0], POLLIN, 0 }, { errp[0], POLLIN, 0 },
					 { in[1], POLLOUT, 0 } };
		double left = deadline - now_seconds();
		char chunk[8192];
		int n;

		if (left <= 0) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		n = poll(fds, 3, left > 1 ? 1000 : (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; n > 0 && i < 2; i++) {
			int *fd = i ? &errp[0] : &out[0];
			ssize_t got;

			if (*fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(*fd, chunk, sizeof(chunk));
			if (got > 0) {
				keep(i ? &r->err : &r->out, chunk, (size_t)got);
			} else if (got == 0 || errno != EINTR) {
				close(*fd);
				*fd = -1;
			}
		}
		if (n > 0 && in[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t put = write(in[1], input + written, input_len - written);

			if (put > 0)
				written += (size_t)put;
			if ((put < 0 && errno != EINTR && errno != EAGAIN) || written == input_len) {
				close(in[1]);
				in[1] = -1;
			}
		}
	}
	while ((waited = waitpid(pid, &ws, 0)) < 0 && errno == EINTR)
		;
	sigaction(SIGPIPE, &old, NULL);
	if (waited == pid && !r->timed_out && WIFEXITED(ws))
		r->status = WEXITSTATUS(ws);
	close_pipes(in, out, errp);
	return 0;
fail:
	close_pipes(in, out, errp);
	return -1;
}

/* "gh pr create failed (exit 1): MESSAGE", the tool's stderr on one
 * line, secrets hidden. */
static int tool_error(struct err *err, char *const argv[], const struct run *r)
{
	struct buf what = BUF_INIT, line = BUF_INIT;
	char *safe;
	int n = 0;

	for (int i = 0; argv[i] && i < 3; i++)
		buf_printf(&what, "%s%s", i ? " " : "", argv[i]);
	for (const char *p = buf_cstr(&r->err); *p; p++) {
		char c = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;

		if (c != ' ' || (line.len && line.ptr[line.len - 1] != ' '))
			buf_putc(&line, c);
	}
	while (line.len && line.ptr[line.len - 1] == ' ')
		line.ptr[--line.len] = '\0';
	safe = forge_redact(buf_cstr(&line));
	if (r->timed_out)
		n = err_set(err, "%s took too long (more than the time limit; see "
			    "ASYNCMOD_FORGE_TIMEOUT) and was stopped", what.ptr);
	else if (r->status < 0)
		n = err_set(err, "%s was killed%s%s", what.ptr, *safe ? ": " : "", safe);
	else if (r->status == 127 && strstr(safe, "unable to run"))
		n = err_set(err, "%s: %s (install it, or put it on PATH)", what.ptr, safe);
	else
		n = err_set(err, "%s failed (exit %d)%s%s", what.ptr, r->status, *safe ? ": " : "",
			    safe);
	free(safe);
	buf_release(&what);
	buf_release(&line);
	return n;
}

/* The last line of `text` that is an http(s) address. */
static bool last_url(const char *text, char *url, size_t size)
{
	bool found = false;

	for (const char *p = text; p && *p;) {
		const char *eol = p + strcspn(p, "\r\n"), *s = p;

		while (s < eol && (*s == ' ' || *s == '\t'))
			s++;
		if ((!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7)) &&
		    (size_t)(eol - s) < size) {
			size_t n = strcspn(s, " \t\r\n");

			memcpy(url, s, n);
			url[n] = '\0';
			found = true;
		}
		p = *eol ? eol + 1 : NULL;
	}
	return found;
}

/* The open pull request of a list call's JSON, if any: its number, URL and state. */
static int read_listed(const struct forge_request *rq, const char *json, char *const argv[],
		       long long *number, struct forge_result *res, bool *found, struct err *err)
{
	json_object *list = json_tokener_parse(json), *pr, *v;
	const bool gh = rq->kind == FORGE_GITHUB;
	bool draft = false;

	*found = false;
	if (!list && strspn(json, " \t\r\n") == strlen(json))
		return 0;	/* nothing listed; the forge refuses a second open one anyway */
	if (!list || !json_object_is_type(list, json_type_array)) {
		json_object_put(list);
		return err_set(err, "%s %s %s printed no JSON list", argv[0], argv[1], argv[2]);
	}
	if (!json_object_array_length(list)) {
		json_object_put(list);
		return 0;
	}
	pr = json_object_array_get_idx(list, 0);
	if (!json_object_object_get_ex(pr, gh ? "number" : "iid", &v) ||
	    !json_object_is_type(v, json_type_int) || (*number = json_object_get_int64(v)) <= 0 ||
	    !json_object_object_get_ex(pr, gh ? "url" : "web_url", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) >= sizeof(res->url)) {
		json_object_put(list);
		return err_set(err, "%s %s %s printed a record without %s", argv[0], argv[1], argv[2],
			       gh ? "number and url" : "iid and web_url");
	}
	snprintf(res->url, sizeof(res->url), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(pr, gh ? "isDraft" : "draft", &v))
		draft = json_object_get_boolean(v);
	snprintf(res->state, sizeof(res->state), "%s", draft ? "draft" : "open");
	*found = true;
	json_object_put(list);
	return 0;
}

#define ARGV_MAX 24

/* One call of a tool: its argv as it is built. */
struct call {
	const char *argv[ARGV_MAX];
	int argc;
};

static void arg(struct call *c, const char *s)
{
	if (c->argc < ARGV_MAX - 1)
		c->argv[c->argc++] = s;
	c->argv[c->argc] = NULL;
}

/* Runs the call; a tool that fails is an error with its stderr. */
static int call_run(struct call *c, const char *input, double timeout, struct run *r,
		    struct err *err)
{
	buf_clear(&r->out);
	buf_clear(&r->err);
	if (run_tool((char *const *)c->argv, input, timeout, r, err) < 0)
		return -1;
	return r->status ? tool_error(err, (char *const *)c->argv, r) : 0;
}

int forge_open_pr(const struct forge_request *rq, struct forge_result *res, struct err *err)
{
	const bool gh = rq->kind == FORGE_GITHUB;
	const char *tool = gh ? "gh" : "glab";
	char *repo = forge_repo_arg(rq->kind, rq->remote_url);
	struct call c = { { NULL }, 0 };
	struct run r = { BUF_INIT, BUF_INIT, 0, false };
	char number_text[32];
	long long number = 0;
	bool found = false;
	int error = 0;

	memset(res, 0, sizeof(*res));
	/* an open one for the branch? */
	arg(&c, tool);
	arg(&c, gh ? "pr" : "mr");
	arg(&c, "list");
	if (gh) {
		arg(&c, "--head"), arg(&c, rq->head), arg(&c, "--state"), arg(&c, "open");
		arg(&c, "--json"), arg(&c, "number,url,state,isDraft");
	} else {
		arg(&c, "--source-branch"), arg(&c, rq->head), arg(&c, "--output"), arg(&c, "json");
	}
	if (repo)
		arg(&c, "--repo"), arg(&c, repo);
	if ((error = call_run(&c, NULL, rq->timeout, &r, err)) < 0 ||
	    (error = read_listed(rq, buf_cstr(&r.out), (char *const *)c.argv, &number, res, &found,
				 err)) < 0)
		goto done;
	c.argc = 0;
	arg(&c, tool);
	arg(&c, gh ? "pr" : "mr");
	if (found) {
		/* updated in place; it keeps its draft state */
		snprintf(number_text, sizeof(number_text), "%lld", number);
		arg(&c, gh ? "edit" : "update");
		arg(&c, number_text);
		arg(&c, "--title"), arg(&c, rq->title);
		if (gh)
			arg(&c, "--body-file"), arg(&c, "-");
		else
			arg(&c, "--description"), arg(&c, rq->body);
		if (repo)
			arg(&c, "--repo"), arg(&c, repo);
		error = call_run(&c, gh ? rq->body : NULL, rq->timeout, &r, err);
		goto done;
	}
	arg(&c, "create");
	if (gh) {
		arg(&c, "--base"), arg(&c, rq->base), arg(&c, "--head"), arg(&c, rq->head);
		arg(&c, "--title"), arg(&c, rq->title), arg(&c, "--body-file"), arg(&c, "-");
	} else {
		arg(&c, "--target-branch"), arg(&c, rq->base), arg(&c, "--source-branch");
		arg(&c, rq->head), arg(&c, "--title"), arg(&c, rq->title);
		arg(&c, "--description"), arg(&c, rq->body), arg(&c, "--yes");
	}
	if (rq->draft)
		arg(&c, "--draft");
	if (repo)
		arg(&c, "--repo"), arg(&c, repo);
	if ((error = call_run(&c, gh ? rq->body : NULL, rq->timeout, &r, err)) < 0)
		goto done;
	if (!last_url(buf_cstr(&r.out), res->url, sizeof(res->url))) {
		error = err_set(err, "%s %s create printed no address of the new %s", tool,
				gh ? "pr" : "mr", gh ? "pull request" : "merge request");
		goto done;
	}
	snprintf(res->state, sizeof(res->state), "%s", rq->draft ? "draft" : "open");
	res->created = true;
done:
	if (error)
		memset(res, 0, sizeof(*res));	/* no address of a call that failed */
	free(repo);
	buf_release(&r.out);
	buf_release(&r.err);
	return error;
}

/* Writes `s` into a markdown table cell: `|` escaped, on one line. */
static void cell(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
}

static void rule_table(struct buf *body, const size_t *counts, const char *what)
{
	buf_printf(body, "| rule | name | %s | what it is |\n|---|---|---:|---|\n", what);
	for (size_t t = 0; t < transform_count; t++) {
		const struct transform *tr = transform_table[t];

		if (!counts[t])
			continue;
		buf_printf(body, "| `%s` | ", tr->code);
		cell(body, tr->name);
		buf_printf(body, " | %zu | ", counts[t]);
		cell(body, tr->summary);
		buf_puts(body, " |\n");
	}
}

void forge_describe(struct buf *title, struct buf *body, const size_t *fixed, const size_t *left,
		    size_t files_changed, size_t file_errors, const char *branch, const char *commit,
		    const char *message)
{
	size_t nfixed = 0, nleft = 0;

	for (size_t t = 0; t < transform_count; t++) {
		nfixed += fixed ? fixed[t] : 0;
		nleft += left ? left[t] : 0;
	}
	if (message && *message) {
		buf_add(title, message, strcspn(message, "\r\n"));
	} else {
		/* the default commit message's subject: the codes in order */
		const char *codes[256];
		size_t n = 0;

		for (size_t t = 0; fixed && t < transform_count && n < 256; t++)
			if (fixed[t])
				codes[n++] = transform_table[t]->code;
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && strcmp(codes[j - 1], codes[j]) > 0; j--) {
				const char *c = codes[j];

				codes[j] = codes[j - 1];
				codes[j - 1] = c;
			}
		buf_puts(title, "asyncmod: fix ");
		for (size_t i = 0; i < n; i++)
			buf_printf(title, "%s%s", i ? ", " : "", codes[i]);
		if (!n)
			buf_puts(title, "asyncio anti-patterns");
	}
	buf_printf(body, "This change was made by `asyncmod batch`: %zu fix%s of asyncio "
		   "anti-patterns in %zu file%s.\n\n", nfixed, nfixed == 1 ? "" : "es",
		   files_changed, files_changed == 1 ? "" : "s");
	if (nfixed) {
		buf_puts(body, "### Fixed\n\n");
		rule_table(body, fixed, "fixes");
		buf_putc(body, '\n');
	}
	if (nleft) {
		buf_printf(body, "### Left for review\n\n%zu finding%s asyncmod reports but does not "
			   "fix safely; `asyncmod check` lists them with their reasons.\n\n", nleft,
			   nleft == 1 ? "" : "s");
		rule_table(body, left, "findings");
		buf_putc(body, '\n');
	}
	if (file_errors)
		buf_printf(body, "%zu file%s could not be checked (syntax errors, encodings) and "
			   "%s left as %s.\n\n", file_errors, file_errors == 1 ? "" : "s",
			   file_errors == 1 ? "is" : "are", file_errors == 1 ? "it was" : "they were");
	buf_puts(body, "`asyncmod explain CODE` tells what each rule finds, why, and what its fix "
		 "writes.\n\n");
	buf_printf(body, "Branch `%s`, commit `%.12s`.\n", branch ? branch : "", commit ? commit : "");
}

/* The branch of origin the migration goes into. */
static int base_branch(git_repository *repo, struct buf *out, struct err *err)
{
	static const char origin[] = "refs/remotes/origin/";
	git_reference *head = NULL, *up = NULL, *origin_head = NULL;
	const char *name = NULL;

	if (git_repository_head(&head, repo) == 0 && git_reference_is_branch(head) &&
	    git_branch_upstream(&up, head) == 0 &&
	    !strncmp(git_reference_name(up), origin, sizeof(origin) - 1))
		name = git_reference_name(up) + sizeof(origin) - 1;
	else if (git_reference_lookup(&origin_head, repo, "refs/remotes/origin/HEAD") == 0 &&
		 git_reference_type(origin_head) == GIT_REFERENCE_SYMBOLIC &&
		 !strncmp(git_reference_symbolic_target(origin_head), origin, sizeof(origin) - 1))
		name = git_reference_symbolic_target(origin_head) + sizeof(origin) - 1;
	else if (head && git_reference_is_branch(head))
		name = git_reference_shorthand(head);
	if (name)
		buf_puts(out, name);
	git_reference_free(origin_head);
	git_reference_free(up);
	git_reference_free(head);
	return name ? 0 : err_set(err, "no branch to merge into: HEAD is detached and origin has "
				  "no HEAD");
}

static double forge_timeout(void)
{
	const char *v = getenv("ASYNCMOD_FORGE_TIMEOUT");
	char *end;
	double t = v && *v ? strtod(v, &end) : 0;

	return v && *v && !*end && t > 0 && t <= 86400 ? t : 300;
}

int forge_batch_pr(enum forge_kind forced, const struct engine_summary *s, const char *message,
		   bool draft, struct forge_result *res, struct err *err)
{
	struct forge_request rq;
	struct buf base = BUF_INIT, title = BUF_INIT, body = BUF_INIT;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	const char *url = NULL;
	char *url_copy = NULL;
	int error = 0;

	memset(&rq, 0, sizeof(rq));
	if (git_repository_open(&repo, ".") < 0) {
		error = repo_git_error(err, "not a git repository");
		goto done;
	}
	if (git_repository_config_snapshot(&cfg, repo) < 0 ||
	    git_config_get_string(&url, cfg, "remote.origin.url") < 0) {
		error = err_set(err, "no remote 'origin' to open a pull request on");
		goto done;
	}
	url_copy = xstrdup(url);
	rq.kind = forced != FORGE_AUTO ? forced : forge_detect(url_copy);
	if (rq.kind == FORGE_AUTO) {
		char *safe = forge_redact(url_copy);

		error = err_set(err, "cannot tell the forge of '%s' from its host (use --forge github "
				"or --forge gitlab)", safe);
		free(safe);
		goto done;
	}
	if ((error = base_branch(repo, &base, err)) < 0)
		goto done;
	forge_describe(&title, &body, s->fixed, s->remaining, s->files_changed, s->errors,
		       s->branch, s->commit, message);
	rq.remote_url = url_copy;
	rq.base = base.ptr;
	rq.head = s->branch;
	rq.title = title.ptr;
	rq.body = body.ptr;
	rq.draft = draft;
	rq.timeout = forge_timeout();
	error = forge_open_pr(&rq, res, err);
done:
	free(url_copy);
	git_config_free(cfg);
	git_repository_free(repo);
	buf_release(&base);
	buf_release(&title);
	buf_release(&body);
	return error;
}

void forge_record(struct json_object *o, const struct forge_result *res, const char *reason)
{
	bool ok = res && res->url[0];

	json_object_object_add(o, "pr_url", ok ? json_object_new_string(res->url) : NULL);
	json_object_object_add(o, "pr_state", ok ? json_object_new_string(res->state) : NULL);
	json_object_object_add(o, "pr_action",
			       ok ? json_object_new_string(res->created ? "created" : "updated") : NULL);
	json_object_object_add(o, "pr_reason",
			       ok ? NULL : json_object_new_string(reason ? reason : "not opened"));
}
