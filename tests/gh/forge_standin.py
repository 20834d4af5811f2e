"""Stand-ins for the GitHub CLI (`gh`) and the GitLab CLI (`glab`), for tests.

Each call appends one JSON line to $FORGE_LOG: the tool, its argv, its
stdin, its working folder and which token variables it saw. Pull requests
live in $FORGE_STATE (a JSON file), so a later `pr list` sees what an
earlier `pr create` made. The answers have the shape the real tools give:
a JSON list for `gh pr list --json ...` and `glab mr list --output json`,
the new pull request's address on stdout for `create`, an error on stderr
and a non-zero exit for what the real ones refuse (no token, a head branch
the remote does not have, an unknown flag).

$FORGE_FAIL names a subcommand ("create", "list", "edit", "update") that
fails as a rejected token does, echoing the token on stderr as some
errors do (and $FORGE_FAIL_TEXT after it); $FORGE_SLEEP makes every call sleep that many seconds first.
"""
import fcntl
import json
import os
import subprocess
import sys
import time

GH_LIST_FIELDS = {"number", "url", "state", "isDraft", "title", "body", "headRefName",
                  "baseRefName"}


def die(msg, code=1):
    sys.stderr.write(msg + "\n")
    sys.exit(code)


def parse(args, flags, bools):
    """argv after the subcommand -> (options, positionals); unknown flags are refused."""
    opts, pos = {}, []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and "=" in a:
            a, v = a.split("=", 1)
            args = args[:i] + [a, v] + args[i + 1:]
        if a in bools:
            opts[a] = True
        elif a in flags:
            if i + 1 >= len(args):
                die("flag needs an argument: %s" % a)
            opts[a] = args[i + 1]
            i += 1
        elif a.startswith("-"):
            die("unknown flag: %s" % a)
        else:
            pos.append(a)
        i += 1
    return opts, pos


def load():
    path = os.environ["FORGE_STATE"]
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return []


def save(prs):
    with open(os.environ["FORGE_STATE"], "w") as f:
        json.dump(prs, f, indent=1)


def origin_repo(host):
    """The repository of `origin` in the current folder, as HOST/PATH."""
    url = subprocess.run(["git", "config", "remote.origin.url"], capture_output=True,
                         text=True).stdout.strip()
    if not url:
        die("none of the git remotes configured for this repository point to a known host")
    rest = url.split("://", 1)[-1].split("@")[-1]
    rest = rest.replace(":", "/", 1) if "://" not in url else rest
    return rest[:-4] if rest.endswith(".git") else rest


def branch_on_remote(branch):
    """The commit origin's branch points at, as the forge sees the pushed branch."""
    out = subprocess.run(["git", "ls-remote", "origin", "refs/heads/" + branch],
                         capture_output=True, text=True)
    return out.stdout.split()[0] if out.returncode == 0 and out.stdout.strip() else None


def main(tool):
    argv = sys.argv[1:]
    stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    token_vars = ["GH_TOKEN", "GITHUB_TOKEN"] if tool == "gh" else ["GITLAB_TOKEN", "GLAB_TOKEN"]
    with open(os.environ["FORGE_LOG"], "a") as log:
        log.write(json.dumps({"tool": tool, "argv": argv, "stdin": stdin, "cwd": os.getcwd(),
                              "tokens": [v for v in token_vars if os.environ.get(v)],
                              "prompt_disabled": os.environ.get(
                                  "GH_PROMPT_DISABLED" if tool == "gh" else "NO_PROMPT")})
                  + "\n")
    if os.environ.get("FORGE_SLEEP"):
        time.sleep(float(os.environ["FORGE_SLEEP"]))
    token = next((os.environ[v] for v in token_vars if os.environ.get(v)), None)
    if not token:
        if tool == "gh":
            die("To get started with GitHub CLI, please run:  gh auth login\n"
                "Alternatively, populate the GH_TOKEN environment variable with a GitHub API "
                "authentication token.", 4)
        die("ERROR: no token provided. Run `glab auth login` or set GITLAB_TOKEN.")
    if len(argv) < 2 or argv[0] != ("pr" if tool == "gh" else "mr"):
        die("unknown command %r for %r" % (" ".join(argv[:2]), tool))
    sub = argv[1]
    if os.environ.get("FORGE_FAIL") == sub:
        extra = os.environ.get("FORGE_FAIL_TEXT", "")
        if tool == "gh":
            die("HTTP 401: Bad credentials (https://api.github.com/graphql)\n"
                "Try authenticating with:  gh auth login (token %s)%s" % (token, extra))
        die("ERROR: 401 Unauthorized (token %s)%s" % (token, extra))
    # one call at a time reads and writes the state, as the forge's server
    # serializes its requests (batch runs repositories in parallel)
    with open(os.environ["FORGE_STATE"] + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        (gh if tool == "gh" else glab)(sub, argv[2:], stdin)


def gh(sub, args, stdin):
    prs = load()
    if sub == "list":
        o, _ = parse(args, {"--head", "-H", "--state", "-s", "--json", "--repo", "-R",
                            "--base", "-B", "--limit", "-L"}, set())
        repo = o.get("--repo") or "github.com/" + origin_repo("github.com").split("/", 1)[-1]
        fields = o.get("--json", "").split(",")
        if not o.get("--json") or not set(fields) <= GH_LIST_FIELDS:
            die("unknown JSON field or none given: %r" % o.get("--json"))
        state = o.get("--state", "open")
        out = [{k: {"number": p["number"], "url": p["url"], "state": p["state"],
                    "isDraft": p["draft"], "title": p["title"], "body": p["body"],
                    "headRefName": p["head"], "baseRefName": p["base"]}[k] for k in fields}
               for p in prs if p["repo"] == repo and p["tool"] == "gh"
               and (not o.get("--head") or p["head"] == o["--head"])
               and (state == "all" or p["state"] == state.upper())]
        print(json.dumps(out, indent=2))
    elif sub == "create":
        o, _ = parse(args, {"--base", "-B", "--head", "-H", "--title", "-t", "--body", "-b",
                            "--body-file", "-F", "--repo", "-R"}, {"--draft", "-d"})
        repo = o.get("--repo") or "github.com/" + origin_repo("github.com").split("/", 1)[-1]
        if "--title" not in o or not ("--body" in o or "--body-file" in o):
            die("must provide `--title` and `--body` (or `--fill`) when not running "
                "interactively")
        body = stdin if o.get("--body-file") == "-" else o.get("--body", "")
        head = o.get("--head")
        if not head or not branch_on_remote(head):
            die("pull request create failed: GraphQL: Head sha can't be blank, Base sha can't "
                "be blank, No commits between %s and %s, Head ref must be a branch "
                "(createPullRequest)" % (o.get("--base"), head))
        if any(p["repo"] == repo and p["head"] == head and p["state"] == "OPEN" for p in prs):
            die('a pull request for branch "%s" into branch "%s" already exists'
                % (head, o.get("--base")))
        n = len(prs) + 1
        url = "https://%s/pull/%d" % (repo, n)
        prs.append({"tool": "gh", "repo": repo, "number": n, "url": url, "state": "OPEN",
                    "draft": bool(o.get("--draft")), "title": o["--title"], "body": body,
                    "head": head, "base": o.get("--base"), "edits": 0})
        save(prs)
        print(url)
    elif sub == "edit":
        o, pos = parse(args, {"--title", "-t", "--body", "-b", "--body-file", "-F",
                              "--repo", "-R", "--base", "-B"}, set())
        repo = o.get("--repo") or "github.com/" + origin_repo("github.com").split("/", 1)[-1]
        match = [p for p in prs if pos and str(p["number"]) == pos[0] and p["repo"] == repo]
        if not match:
            die("GraphQL: Could not resolve to a PullRequest with the number of %s."
                % (pos[0] if pos else "?"))
        p = match[0]
        if "--title" in o:
            p["title"] = o["--title"]
        if o.get("--body-file") == "-":
            p["body"] = stdin
        elif "--body" in o:
            p["body"] = o["--body"]
        p["edits"] += 1
        save(prs)
        print(p["url"])
    else:
        die("unknown command \"%s\" for \"gh pr\"" % sub)


def glab(sub, args, stdin):
    prs = load()
    if sub == "list":
        o, _ = parse(args, {"--source-branch", "-s", "--output", "-F", "--repo", "-R",
                            "--target-branch", "-t"}, {"--all", "-A"})
        repo = o.get("--repo") or "https://" + origin_repo("gitlab")
        out = [{"iid": p["number"], "web_url": p["url"], "state": p["state"],
                "draft": p["draft"], "title": p["title"], "description": p["body"],
                "source_branch": p["head"], "target_branch": p["base"]}
               for p in prs if p["repo"] == repo and p["tool"] == "glab"
               and (not o.get("--source-branch") or p["head"] == o["--source-branch"])
               and p["state"] == "opened"]
        if o.get("--output", o.get("-F")) == "json":
            print(json.dumps(out))
        else:
            print("Showing %d open merge requests" % len(out))
    elif sub == "create":
        o, _ = parse(args, {"--source-branch", "-s", "--target-branch", "-b", "--title", "-t",
                            "--description", "-d", "--repo", "-R"},
                     {"--draft", "--yes", "-y", "--fill", "-f"})
        repo = o.get("--repo") or "https://" + origin_repo("gitlab")
        if not o.get("--yes"):
            die("--yes is needed to skip the submission prompt when not running interactively")
        head = o.get("--source-branch")
        if not head or not branch_on_remote(head):
            die("ERROR: 422 Unprocessable Entity: source branch %r does not exist" % head)
        if any(p["repo"] == repo and p["head"] == head and p["state"] == "opened" for p in prs):
            die("ERROR: 409 Conflict: Another open merge request already exists for this "
                "source branch")
        n = len(prs) + 1
        url = "%s/-/merge_requests/%d" % (repo, n)
        prs.append({"tool": "glab", "repo": repo, "number": n, "url": url, "state": "opened",
                    "draft": bool(o.get("--draft")), "title": o.get("--title", ""),
                    "body": o.get("--description", ""), "head": head,
                    "base": o.get("--target-branch"), "edits": 0})
        save(prs)
        print("\nCreating merge request for %s into %s in %s\n" % (head, o.get("--target-branch"),
                                                                   repo))
        print(url)
    elif sub == "update":
        o, pos = parse(args, {"--title", "-t", "--description", "-d", "--repo", "-R"},
                       {"--yes", "-y"})
        repo = o.get("--repo") or "https://" + origin_repo("gitlab")
        match = [p for p in prs if pos and str(p["number"]) == pos[0] and p["repo"] == repo]
        if not match:
            die("ERROR: 404 Not Found")
        p = match[0]
        p["title"] = o.get("--title", p["title"])
        p["body"] = o.get("--description", p["body"])
        p["edits"] += 1
        save(prs)
        print("- Updating merge request !%d\n✓ Merge request updated\n%s" % (p["number"],
                                                                              p["url"]))
    else:
        die("unknown command \"%s\" for \"glab mr\"" % sub)
