/*
 * forge: pull requests for `batch --create-pr`, through the forge's own
 * command-line tool, as turbolift does: `gh` for GitHub, `glab` for
 * GitLab.
 *
 * The forge comes from the host of the remote's URL (or --forge). In the
 * repository's folder, an open pull request whose head is the branch is
 * looked for first (`gh pr list --head B --state open --json ...`, `glab mr
 * list --source-branch B --output json`); one found is updated (`gh pr
 * edit`, `glab mr update`), else one is created (`gh pr create`, `glab mr
 * create`) with --base the branch the migration was built on. The tool
 * runs with an argv (no shell) and the caller's environment, its output
 * captured, within a time limit; whatever of its stderr goes into a message
 * has tokens and URL credentials hidden.
 */
#ifndef ASYNCMOD_FORGE_H
#define ASYNCMOD_FORGE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

enum forge_kind {
	FORGE_AUTO,		/* from the remote's host */
	FORGE_GITHUB,
	FORGE_GITLAB,
};

/* Parses "github" or "gitlab" (--forge). */
int forge_parse_kind(enum forge_kind *kind, const char *s, struct err *err);

/* The forge of a remote URL (https://, ssh://, scp-like host:path) from
 * its host: GitHub for a host whose name holds "github", GitLab for one
 * holding "gitlab"; FORGE_AUTO when neither. */
enum forge_kind forge_detect(const char *url);

/* The repository a URL names, as the forge's tool takes it for --repo:
 * "HOST/OWNER/NAME" for gh, "https://HOST/GROUP/.../NAME" for glab
 * (credentials and a final ".git" dropped). NULL when the URL has no host
 * and path. Free the result. */
char *forge_repo_arg(enum forge_kind kind, const char *url);

/* What one repository's pull request is made of. */
struct forge_request {
	enum forge_kind kind;	/* resolved: FORGE_GITHUB or FORGE_GITLAB */
	const char *remote_url;	/* origin's URL as configured */
	const char *base;	/* the branch to merge into */
	const char *head;	/* the migration branch */
	const char *title;
	const char *body;	/* markdown */
	bool draft;
	double timeout;		/* seconds each call of the tool may take */
};

struct forge_result {
	char url[1024];		/* the pull request's address */
	char state[16];		/* "open" or "draft" */
	bool created;		/* false: an open one was updated */
};

/* Opens or updates the pull request of `rq->head`. Runs in the current
 * folder (the repository's work tree). On failure `err` names the tool's
 * call and holds its stderr, secrets hidden. */
int forge_open_pr(const struct forge_request *rq, struct forge_result *res, struct err *err);

/* Hides what looks like a secret in `text`: the values of the token
 * variables the tools read (GH_TOKEN, GITHUB_TOKEN, GITLAB_TOKEN, ...),
 * token-shaped words (ghp_..., github_pat_..., glpat-...) and the user
 * and password of URLs, each becoming "***". Returns a new string. */
char *forge_redact(const char *text);

/* Appends the title and the markdown body of a migration's pull request:
 * `fixed` and `left` are counts per transform_table index (either may be
 * NULL), `message` the --message given (its first line is the title), or
 * NULL for "asyncmod: fix CODES". */
void forge_describe(struct buf *title, struct buf *body, const size_t *fixed, const size_t *left,
		    size_t files_changed, size_t file_errors, const char *branch, const char *commit,
		    const char *message);

/* For `batch --create-pr`, in the repository's folder after its branch was
 * pushed: finds origin's URL (as configured) and the branch HEAD tracks
 * there (else origin's HEAD, else HEAD's branch) as the base, describes
 * the migration of `s` and opens or updates its pull request. The forge is
 * `forced` unless FORGE_AUTO. The time limit of each call of the tool is
 * ASYNCMOD_FORGE_TIMEOUT seconds (default 300). */
struct engine_summary;
int forge_batch_pr(enum forge_kind forced, const struct engine_summary *s, const char *message,
		   bool draft, struct forge_result *res, struct err *err);

/* Adds the keys of --create-pr to a batch record: pr_url, pr_state
 * ("open", "draft"), pr_action ("created", "updated") from `res`, or all
 * null and pr_reason saying why there is none. */
struct json_object;
void forge_record(struct json_object *record, const struct forge_result *res, const char *reason);

#endif
