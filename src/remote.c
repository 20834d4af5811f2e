/*
 * remote: clone, fetch and push in a watched process, credentials through
 * the callback.
 */
#include "remote.h"
#include "buf.h"
#include "repo.h"
#include "url.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What a push knows for its callbacks: the commit pushed, the migration's
 * base, and why it refused, when it did. */
struct push_state {
	git_repository *repo;
	const char *branch;
	const char *commit;	/* the commit to push, in hex */
	git_oid ours;		/* the commit to push */
	git_oid base;		/* its parent: the HEAD the migration was built on */
	const char *message;	/* --message, or NULL */
	bool force;		/* --force-branch */
	struct buf problem;	/* why the push was refused, when it was */
};

/* The payload of every callback, in the watched process. */
struct net {
	int fd;			/* where signs of progress go */
	int64_t last;		/* when the last one was written (ms) */
	const char *clean;	/* the URL without them */
	const char *user;	/* the URL's credentials, or NULL */
	const char *password;
	unsigned tried;		/* the credential types already handed out */
	struct push_state *push;
};

int remote_parse_timeout(unsigned *out, const char *s, struct err *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *s < '0' || *s > '9' || *end || errno || v > 86400)
		return err_set(err, "invalid --git-timeout '%s' (expected whole seconds from 0, "
			       "no limit, to 86400)", s);
	*out = (unsigned)v;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A sign of progress, at most one every 50 ms. */
static void beat(struct net *n)
{
	int64_t t = now_ms();

	if (n->fd < 0 || (n->last && t - n->last < 50))
		return;
	n->last = t;
	if (write(n->fd, ".", 1) < 0) {
		/* a full pipe: the watcher is behind, and has signs enough */
	}
}

static int on_sideband(const char *str, int len, void *payload)
{
	(void)str;
	(void)len;
	beat(payload);
	return 0;
}

static int on_transfer(const git_indexer_progress *stats, void *payload)
{
	(void)stats;
	beat(payload);
	return 0;
}

static int on_pack(int stage, uint32_t current, uint32_t total, void *payload)
{
	(void)stage;
	(void)current;
	(void)total;
	beat(payload);
	return 0;
}

static int on_push_transfer(unsigned current, unsigned total, size_t bytes, void *payload)
{
	(void)current;
	(void)total;
	(void)bytes;
	beat(payload);
	return 0;
}

static int on_tip(const char *refname, const git_oid *a, const git_oid *b, void *payload)
{
	(void)refname;
	(void)a;
	(void)b;
	beat(payload);
	return 0;
}

static void on_checkout(const char *path, size_t done, size_t total, void *payload)
{
	(void)path;
	(void)done;
	(void)total;
	beat(payload);
}

/* The length of "http[s]://AUTHORITY" at the start of `url`, or 0. */
static size_t http_origin_len(const char *url)
{
	size_t n = !strncmp(url, "http://", 7) ? 7 : !strncmp(url, "https://", 8) ? 8 : 0;

	return n ? n + strcspn(url + n, "/?#") : 0;
}

/* False when libgit2 asks for credentials for an HTTP server that is not
 * the URL's own (a redirect elsewhere). */
static bool same_server(const char *asked, const char *clean)
{
	size_t a = asked ? http_origin_len(asked) : 0, b = http_origin_len(clean);

	return !a || !b || (a == b && !strncasecmp(asked, clean, a));
}

/* The URL's credentials, each kind once per connection: a second request
 * for the same kind means the server refused them. Without credentials in the URL,
 * libgit2 goes on as without a callback (a local repository's `origin`
 * keeps whatever its own URL holds). */
static int on_credentials(git_credential **out, const char *url, const char *user_from_url,
			  unsigned allowed, void *payload)
{
	struct net *n = payload;
	static const unsigned order_pw[] = { GIT_CREDENTIAL_USERPASS_PLAINTEXT,
					     GIT_CREDENTIAL_SSH_KEY, GIT_CREDENTIAL_USERNAME };
	static const unsigned order_user[] = { GIT_CREDENTIAL_SSH_KEY, GIT_CREDENTIAL_USERNAME,
					       GIT_CREDENTIAL_USERPASS_PLAINTEXT };
	const unsigned *order = n->password ? order_pw : order_user;

	(void)user_from_url;
	beat(n);
	if (!n->user)
		return GIT_PASSTHROUGH;
	if (!same_server(url, n->clean)) {
		git_error_set_str(GIT_ERROR_NET, "the server sent to another server, which asks "
				  "for credentials: the URL's are not given to it");
		return GIT_EAUTH;
	}
	for (int i = 0; i < 3; i++) {
		unsigned kind = order[i];

		if (!(allowed & kind) || (n->tried & kind))
			continue;
		n->tried |= kind;
		if (kind == GIT_CREDENTIAL_USERPASS_PLAINTEXT)
			return git_credential_userpass_plaintext_new(out, n->user,
								     n->password ? n->password : "");
		if (kind == GIT_CREDENTIAL_SSH_KEY)
			return git_credential_ssh_key_from_agent(out, n->user);
		return git_credential_username_new(out, n->user);
	}
	git_error_set_str(GIT_ERROR_NET, "the server refused the credentials in the URL");
	return GIT_EAUTH;
}

static void set_callbacks(git_remote_callbacks *cb, struct net *n)
{
	cb->sideband_progress = on_sideband;
	cb->transfer_progress = on_transfer;
	cb->pack_progress = on_pack;
	cb->push_transfer_progress = on_push_transfer;
	cb->update_tips = on_tip;
	cb->credentials = on_credentials;
	cb->payload = n;
}

/* The work of one watched process. */
typedef int (*net_fn)(struct net *n, void *arg, struct err *err);

static void write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* The watched process: runs `fn`, writes `!` and its error message when
 * it failed, and exits. */
static void run_child(int fd, pid_t parent, const char *url, net_fn fn, void *arg)
{
	struct net n = { fd, 0, NULL, NULL, NULL, 0, NULL };
	struct err err = ERR_INIT;
	struct url u;
	int rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	url_parse(&u, url ? url : "");
	n.clean = u.clean;
	if (u.has_userinfo) {
		n.user = u.user;
		n.password = u.password;
	}
	rc = fn(&n, arg, &err);
	fcntl(fd, F_SETFL, 0);
	if (rc < 0) {
		write_all(fd, "!", 1);
		write_all(fd, err.msg, strlen(err.msg));
	}
	_exit(rc < 0 ? 1 : 0);
}

/* Runs `fn` in a process of its own and waits for it, killing it when
 * `timeout` seconds (0: no limit) pass without a sign of progress. */
static int watched(const char *what, const char *url, unsigned timeout, net_fn fn, void *arg,
		   struct err *err)
{
	int fds[2], ws = 0;
	pid_t parent = getpid(), pid;
	struct buf msg = BUF_INIT;
	bool failed = false, answered = false, expired = false;
	int64_t last;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_errno(err, "%s: unable to create a pipe", what);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_errno(err, "%s: unable to start a process", what);
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(fds[1], parent, url, fn, arg);
	}
	close(fds[1]);
	last = now_ms();
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		int64_t left = timeout ? last + (int64_t)timeout * 1000 - now_ms() : -1;
		char chunk[512];
		ssize_t k;
		int r;

		if (timeout && left <= 0) {
			expired = true;
			break;
		}
		r = poll(&p, 1, timeout ? (int)(left > 3600000 ? 3600000 : left) : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;	/* the top of the loop tells */
		k = read(fds[0], chunk, sizeof(chunk));
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			break;
		for (ssize_t i = 0; i < k; i++) {
			if (failed)
				buf_putc(&msg, chunk[i]);
			else if (chunk[i] == '!')
				failed = true;
			else
				answered = true;
		}
		last = now_ms();
	}
	close(fds[0]);
	if (expired)
		kill(pid, SIGKILL);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (expired) {
		buf_release(&msg);
		if (answered)
			return err_set(err, "%s stalled: nothing from the server for %u s "
				       "(--git-timeout)", what, timeout);
		return err_set(err, "%s timed out: no answer from the server in %u s "
			       "(--git-timeout)", what, timeout);
	}
	if (failed) {
		err_set(err, "%s", buf_cstr(&msg));
		buf_release(&msg);
		return -1;
	}
	buf_release(&msg);
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
		return 0;
	if (WIFSIGNALED(ws))
		return err_set(err, "%s failed: its process was killed by signal %d", what,
			       WTERMSIG(ws));
	return err_set(err, "%s failed: its process ended with status %d", what,
		       WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
}

/* ---- clone ---- */

struct clone_job {
	const char *url;	/* clean */
	const char *dir;
};

static int do_clone(struct net *n, void *arg, struct err *err)
{
	struct clone_job *job = arg;
	git_clone_options opts;
	git_repository *repo = NULL;

	git_clone_options_init(&opts, GIT_CLONE_OPTIONS_VERSION);
	set_callbacks(&opts.fetch_opts.callbacks, n);
	opts.checkout_opts.progress_cb = on_checkout;
	opts.checkout_opts.progress_payload = n;
	if (git_clone(&repo, job->url, job->dir, &opts) < 0)
		return repo_git_error(err, "clone failed");
	git_repository_free(repo);
	return 0;
}

int remote_clone(const char *url, const char *dir, unsigned timeout, struct err *err)
{
	struct url u;
	struct clone_job job;
	int rc;

	url_parse(&u, url);
	job.url = u.clean;
	job.dir = dir;
	rc = watched("clone", url, timeout, do_clone, &job, err);
	url_release(&u);
	return rc;
}

/* ---- fetch ---- */

static int do_refresh(struct net *n, void *arg, struct err *err)
{
	struct clone_job *job = arg;
	git_repository *repo = NULL;
	git_remote *origin = NULL;
	git_reference *head = NULL, *upstream = NULL;
	git_object *target = NULL;
	git_fetch_options fopts;
	git_checkout_options copts;
	int error = 0;

	git_fetch_options_init(&fopts, GIT_FETCH_OPTIONS_VERSION);
	git_checkout_options_init(&copts, GIT_CHECKOUT_OPTIONS_VERSION);
	set_callbacks(&fopts.callbacks, n);
	copts.progress_cb = on_checkout;
	copts.progress_payload = n;
	if (git_repository_open(&repo, job->dir) < 0)
		return repo_git_error(err, "unable to open the earlier clone");
	/* the manifest's URL, never one with credentials or another host */
	if (git_remote_lookup(&origin, repo, "origin") == 0 &&
	    (strcmp(git_remote_url(origin), job->url) || git_remote_pushurl(origin))) {
		bool pushurl = git_remote_pushurl(origin) != NULL;

		git_remote_free(origin);
		origin = NULL;
		/* (the URL read back has url.<base>.insteadOf applied, so it may
		 * differ from the one written; writing it again is harmless) */
		if (git_remote_set_url(repo, "origin", job->url) < 0 ||
		    (pushurl && git_remote_set_pushurl(repo, "origin", NULL) < 0)) {
			error = repo_git_error(err, "unable to set the clone's origin");
			goto done;
		}
	}
	git_remote_free(origin);
	origin = NULL;
	if (git_remote_lookup(&origin, repo, "origin") < 0 ||
	    git_remote_fetch(origin, NULL, &fopts, NULL) < 0) {
		error = repo_git_error(err, "fetch failed");
		goto done;
	}
	if (git_repository_head(&head, repo) == 0 && git_branch_upstream(&upstream, head) == 0 &&
	    git_reference_peel(&target, upstream, GIT_OBJECT_COMMIT) == 0 &&
	    git_reset(repo, target, GIT_RESET_HARD, &copts) < 0)
		error = repo_git_error(err, "unable to update the earlier clone");
done:
	git_object_free(target);
	git_reference_free(upstream);
	git_reference_free(head);
	git_remote_free(origin);
	git_repository_free(repo);
	return error;
}

int remote_refresh(const char *url, const char *dir, unsigned timeout, struct err *err)
{
	struct url u;
	struct clone_job job;
	int rc;

	url_parse(&u, url);
	job.url = u.clean;
	job.dir = dir;
	rc = watched("fetch", url, timeout, do_refresh, &job, err);
	url_release(&u);
	return rc;
}

/* ---- push ---- */

/* Called with what the remote holds just before it is updated: a branch
 * there that holds someone else's commit is not replaced (unless
 * --force-branch). The commit was fetched just before, so it can be
 * judged; one that moved meanwhile is unknown here and refused too. */
static int push_negotiate(const git_push_update **updates, size_t len, void *payload)
{
	struct net *n = payload;
	struct push_state *ps = n->push;

	beat(n);
	for (size_t i = 0; i < len; i++) {
		const git_oid *there = &updates[i]->src;
		git_commit *c = NULL;

		if (ps->force || git_oid_is_zero(there) || git_oid_equal(there, &ps->ours) ||
		    repo_commit_is_own(ps->repo, there, &ps->base, ps->message))
			continue;
		if (git_commit_lookup(&c, ps->repo, there) < 0)
			buf_printf(&ps->problem, "not pushed: origin's branch '%s' is at a commit "
				   "that could not be fetched to judge it (it moved, or the fetch "
				   "failed): run again, or use --force-branch to replace it",
				   ps->branch);
		else
			buf_printf(&ps->problem, "not pushed: origin's branch '%s' holds commits "
				   "asyncmod did not make (use --force-branch to replace it)",
				   ps->branch);
		git_commit_free(c);
		return -1;
	}
	return 0;
}

/* A reference the remote refused (a protected branch, a hook there). */
static int push_refused(const char *refname, const char *status, void *payload)
{
	struct net *n = payload;
	struct push_state *ps = n->push;

	beat(n);
	if (status && !ps->problem.len)
		buf_printf(&ps->problem, "not pushed: the remote refused %s: %s", refname, status);
	return 0;
}

static int do_push(struct net *n, void *arg, struct err *err)
{
	struct push_state *ps = arg;
	const char *commit = ps->commit;
	git_remote *origin = NULL;
	git_commit *c = NULL;
	git_push_options opts;
	git_fetch_options fopts;
	struct buf spec = BUF_INIT, track = BUF_INIT;
	char *specs[1];
	git_strarray refspecs = { specs, 1 };
	int error = 0;

	n->push = ps;
	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	git_fetch_options_init(&fopts, GIT_FETCH_OPTIONS_VERSION);
	set_callbacks(&fopts.callbacks, n);
	if (git_repository_open(&ps->repo, ".") < 0 ||
	    git_remote_lookup(&origin, ps->repo, "origin") < 0) {
		error = repo_git_error(err, "no remote 'origin' to push to");
		goto done;
	}
	if (git_oid_fromstr(&ps->ours, commit) < 0 ||
	    git_commit_lookup(&c, ps->repo, &ps->ours) < 0 || git_commit_parentcount(c) != 1) {
		error = err_set(err, "not pushed: the commit %.12s is not a migration commit", commit);
		goto done;
	}
	git_oid_cpy(&ps->base, git_commit_parent_id(c, 0));
	/* what origin holds now, so that it can be judged: a branch it does
	 * not have is no error (the negotiation then sees none) */
	buf_printf(&track, "+refs/heads/%s:refs/remotes/origin/%s", ps->branch, ps->branch);
	specs[0] = track.ptr;
	if (!ps->force)
		(void)git_remote_fetch(origin, &refspecs, &fopts, NULL);
	buf_printf(&spec, "+refs/heads/%s:refs/heads/%s", ps->branch, ps->branch);
	specs[0] = spec.ptr;
	set_callbacks(&opts.callbacks, n);
	n->tried = 0;	/* a connection of its own, asking again */
	opts.callbacks.push_negotiation = push_negotiate;
	opts.callbacks.push_update_reference = push_refused;
	if (git_remote_push(origin, &refspecs, &opts) < 0 || ps->problem.len) {
		if (ps->problem.len)
			error = err_set(err, "%s", buf_cstr(&ps->problem));
		else
			error = repo_git_error(err, "push failed");
	}
done:
	if (error < 0 && origin) {
		/* a local repository's own remote may hold credentials */
		const char *urls[2] = { git_remote_url(origin), git_remote_pushurl(origin) };

		for (int i = 0; i < 2; i++) {
			char *safe = urls[i] ? url_redact_text(err->msg, urls[i]) : NULL;

			if (safe)
				err_set(err, "%s", safe);
			free(safe);
		}
	}
	git_commit_free(c);
	git_remote_free(origin);
	git_repository_free(ps->repo);
	buf_release(&spec);
	buf_release(&track);
	buf_release(&ps->problem);
	return error;
}

int remote_push(const char *url, const char *branch, const char *commit, const char *message,
		bool force, unsigned timeout, struct err *err)
{
	struct push_state ps = { NULL, branch, commit, { { 0 } }, { { 0 } }, message, force,
				 BUF_INIT };
	int rc;

	rc = watched("push", url, timeout, do_push, &ps, err);
	buf_release(&ps.problem);
	return rc;
}
