#!/bin/sh
# Batch beyond one repository and one machine: `batch --create-pr`,
# `--shard auto`, `batch --merge-reports`, and the GitHub Action.
#
# Pull requests: the remotes are local bare repositories under
# $TMPROOT/remotes/HOST/..., and git's `url.<base>.insteadOf` (in the
# test's own global configuration, which libgit2 and git both read) maps
# https://github.com/, https://gitlab.example.com/ and
# https://git.example.org/ onto them. So the manifest, the clone's
# `origin` and the forge detection see real-looking forge URLs, while every
# clone, fetch and push goes to a folder here. `gh` and `glab` are the
# stand-ins of tests/gh/ (first on PATH): they log each call (argv, stdin,
# folder, the token variables they saw) and answer as the real tools do,
# keeping the pull requests in a state file, and refusing a head branch
# the remote does not have (checked with `git ls-remote origin`).
#
# The shards are compared with the explicit `--shard K/N` runs, and the
# merged report with the unsharded run's. The Action's check step is
# taken from action.yml and run as the runner would run it (bash -eo
# pipefail, its env with the inputs put in), and the SARIF log it writes is
# validated by tests/sarif_schema.py and tests/sarif_check.py.
#
# Run from a built tree:
#   ASYNCMOD=$PWD/asyncmod SRCDIR=$PWD sh tests/fleet.sh
. "$SRCDIR/tests/lib.sh"

HOME="$TMPROOT/home"
XDG_CONFIG_HOME="$HOME/.config"
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
GIT_CEILING_DIRECTORIES=$TMPROOT
PYTHONDONTWRITEBYTECODE=1
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES \
    PYTHONDONTWRITEBYTECODE TMPROOT
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL EMAIL NO_COLOR \
    GH_TOKEN GITHUB_TOKEN GH_ENTERPRISE_TOKEN GITHUB_ENTERPRISE_TOKEN GITLAB_TOKEN GLAB_TOKEN \
    GITLAB_ACCESS_TOKEN OAUTH_TOKEN CI_JOB_TOKEN GH_HOST FORGE_FAIL FORGE_SLEEP \
    ASYNCMOD_FORGE_TIMEOUT ASYNCMOD_SHARD_COUNT JOB_COMPLETION_INDEX \
    SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_COUNT \
    SLURM_ARRAY_TASK_STEP CI_NODE_INDEX CI_NODE_TOTAL
mkdir -p "$XDG_CONFIG_HOME" "$TMPROOT/remotes"
R="$TMPROOT/remotes"
cat >"$HOME/.gitconfig" <<EOF
[user]
	name = Asyncmod Tester
	email = tester@example.invalid
[init]
	defaultBranch = main
[url "file://$R/github.com/"]
	insteadOf = https://github.com/
[url "file://$R/gitlab.example.com/"]
	insteadOf = https://gitlab.example.com/
[url "file://$R/git.example.org/"]
	insteadOf = https://git.example.org/
EOF

mkdir -p "$TMPROOT/bin"
cp "$ASYNCMOD" "$TMPROOT/bin/asyncmod"
AM="$TMPROOT/bin/asyncmod"
BASEPATH="$TMPROOT/bin:$PATH"
PATH="$SRCDIR/tests/gh:$BASEPATH"
export PATH
FORGE_LOG="$TMPROOT/forge.log"
FORGE_STATE="$TMPROOT/forge.json"
export FORGE_LOG FORGE_STATE

# A Python with PyYAML and jsonschema (Debian's), for the Action's cases.
PY=""
for p in ${PYTHON:-} /usr/bin/python3 python3; do
    if "$p" -c 'import yaml, jsonschema' >/dev/null 2>&1; then PY=$p; break; fi
done
[ -n "$PY" ] || PY=${PYTHON:-python3}

APP="$SRCDIR/fixtures/cli-trees/app/app.py"        # fixes AM105, AM203, ASYNC300; findings left
CLEAN="$SRCDIR/fixtures/cli-trees/app/clean.py"    # nothing to fix
FIXONLY="$TMPROOT/fixonly.py"                      # one AM203 fix, nothing left
printf 'import asyncio\n\n\nasync def handler():\n    try:\n        await asyncio.sleep(0)\n    except asyncio.TimeoutError:\n        pass\n' \
    >"$FIXONLY"
OUT="$TMPROOT/out"
ERR="$TMPROOT/err"

# Helpers of the Python checks: report(), rec(), calls(), expect().
cat >"$TMPROOT/h.py" <<'EOF'
import json, os, re, sys

def report(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]

def name(r):
    n = re.split(r"[/:]", r["repository"].rstrip("/"))[-1]
    return n[:-4] if n.endswith(".git") else n

def rec(path, n):
    for r in report(path):
        if name(r) == n:
            return r
    raise SystemExit("no record of %s in %s" % (n, path))

def calls(path=None, repo=None):
    path = path or os.environ["FORGE_LOG"]
    if not os.path.exists(path):
        return []
    with open(path) as f:
        out = [json.loads(l) for l in f]
    return [c for c in out if repo is None or os.path.basename(c["cwd"]).startswith(repo + "-")]

def expect(cond, msg):
    if not cond:
        print(msg)
EOF
# pycheck NAME [ARG...]: runs the Python on stdin after h.py (ARGs in
# sys.argv[1:]); passes when it prints nothing and exits 0.
pycheck() {
    pc_name=$1
    shift
    cat >"$TMPROOT/check.py"
    if pc_out=$("$PY" -c 'import sys; h, c = sys.argv[1:3]; sys.argv = sys.argv[2:]; exec(open(h).read()); exec(open(c).read())' \
        "$TMPROOT/h.py" "$TMPROOT/check.py" "$@" 2>&1) && [ -z "$pc_out" ]; then
        pass "$pc_name"
    else
        fail "$pc_name" "$pc_out"
    fi
}

# remote HOST/PATH FILE [BRANCH]: a bare repository at $R/HOST/PATH.git
# holding FILE as app.py on BRANCH (default main), its default branch.
remote() {
    rm -rf "$TMPROOT/src" "$R/$1.git"
    git -c init.defaultBranch="${3:-main}" init -q "$TMPROOT/src"
    cat "$2" >"$TMPROOT/src/app.py"
    git -C "$TMPROOT/src" add -A && git -C "$TMPROOT/src" commit -q -m init
    mkdir -p "$(dirname "$R/$1")"
    git clone -q --bare "$TMPROOT/src" "$R/$1.git"
}

# fresh: new remotes, an empty forge, a new work folder ($W).
fresh() {
    rm -rf "$R" "$FORGE_LOG" "$FORGE_STATE" "$TMPROOT/w"
    mkdir -p "$R" "$TMPROOT/w"
    W="$TMPROOT/w"
    remote github.com/acme/billing "$APP"
    remote github.com/acme/search "$FIXONLY" trunk
    remote github.com/acme/clean "$CLEAN"
    remote gitlab.example.com/group/sub/notify "$FIXONLY"
    remote git.example.org/acme/tools "$FIXONLY"
}

# batch_in DIR ARG...: runs batch in DIR; sets $st.
batch_in() {
    bi_dir=$1
    shift
    st=0
    (cd "$bi_dir" && "$AM" batch "$@") >"$OUT" 2>"$ERR" || st=$?
}

# ---------------------------------------------------------------------------
# --create-pr on GitHub: created, then updated

fresh
printf 'https://github.com/acme/billing.git\nhttps://github.com/acme/search.git\nhttps://github.com/acme/clean.git\n' \
    >"$W/m.txt"
GH_TOKEN=ghp_0123456789abcdefABCDEF0123456789abcd
export GH_TOKEN
batch_in "$W" m.txt --push --create-pr --report r1.jsonl -j 2
if [ "$st" -eq 1 ]; then pass "create-pr: exit status 1 (findings left)"; else
    fail "create-pr: exit status $st, expected 1" "$(cat "$ERR")"; fi
pycheck "create-pr: records" "$W/r1.jsonl" <<'EOF'
p = sys.argv[1]
for n in ("billing", "search"):
    r = rec(p, n)
    expect(r["status"] == "changed" and r["pushed"] is True, "%s: %s pushed=%s" % (n, r["status"], r["pushed"]))
    expect(re.fullmatch(r"https://github\.com/acme/%s/pull/\d+" % n, str(r.get("pr_url"))), "%s: pr_url %r" % (n, r.get("pr_url")))
    expect(r.get("pr_state") == "open", "%s: pr_state %r" % (n, r.get("pr_state")))
    expect(r.get("pr_action") == "created", "%s: pr_action %r" % (n, r.get("pr_action")))
    expect("pr_reason" in r and r["pr_reason"] is None, "%s: pr_reason %r" % (n, r.get("pr_reason")))
c = rec(p, "clean")
expect(c["status"] == "unchanged" and not c["pushed"], "clean: %s pushed=%s" % (c["status"], c["pushed"]))
expect(c.get("pr_url", "absent") is None and c.get("pr_state", "absent") is None and c.get("pr_action", "absent") is None, "clean: pr keys %r" % c)
expect(c.get("pr_reason") == "the branch was not pushed", "clean: pr_reason %r" % c.get("pr_reason"))
EOF
pycheck "create-pr: gh pr list, then gh pr create, with the exact arguments" "$W/r1.jsonl" "$R" <<'EOF'
p, remotes = sys.argv[1], sys.argv[2]
import subprocess
for n, base in (("billing", "main"), ("search", "trunk")):
    r = rec(p, n)
    cs = calls(repo=n)
    expect([c["argv"][:2] for c in cs] == [["pr", "list"], ["pr", "create"]], "%s: calls %r" % (n, [c["argv"][:2] for c in cs]))
    if len(cs) != 2:
        continue
    expect(cs[0]["argv"] == ["pr", "list", "--head", r["branch"], "--state", "open", "--json", "number,url,state,isDraft", "--repo", "github.com/acme/" + n], "%s: list argv %r" % (n, cs[0]["argv"]))
    title = "asyncmod: fix " + ", ".join(sorted(r["fixes"]))
    expect(cs[1]["argv"] == ["pr", "create", "--base", base, "--head", r["branch"], "--title", title, "--body-file", "-", "--repo", "github.com/acme/" + n], "%s: create argv %r" % (n, cs[1]["argv"]))
    body = cs[1]["stdin"]
    for code, count in r["fixes"].items():
        expect(any(l.startswith("| `%s` |" % code) and " | %d | " % count in l for l in body.splitlines()), "%s: no table row for %s %d in the body:\n%s" % (n, code, count, body))
    for code, count in r["findings_left"].items():
        expect(body.count("| `%s` |" % code) >= 1, "%s: finding left %s not in the body" % (n, code))
    expect(r["commit"][:12] in body and r["branch"] in body, "%s: branch or commit not in the body" % n)
    for c in cs:
        expect(os.path.dirname(c["cwd"]).endswith("/asyncmod-work"), "%s: ran in %s, not in the clone" % (n, c["cwd"]))
        expect(c["tokens"] == ["GH_TOKEN"], "%s: tokens seen %r" % (n, c["tokens"]))
        expect(c["prompt_disabled"] == "1", "%s: GH_PROMPT_DISABLED %r" % (n, c["prompt_disabled"]))
    head = subprocess.run(["git", "-C", "%s/github.com/acme/%s.git" % (remotes, n), "rev-parse", "refs/heads/" + r["branch"]], capture_output=True, text=True).stdout.strip()
    expect(head == r["commit"], "%s: the remote's branch is at %r, the record says %r" % (n, head, r["commit"]))
expect(calls(repo="clean") == [], "clean: the forge was called for a repository with nothing pushed")
EOF
mv "$FORGE_LOG" "$TMPROOT/forge1.log"
batch_in "$W" m.txt --push --create-pr --report r2.jsonl -j 2
if grep -q "^https://github.com/acme/billing.git  *unchanged .* https://github.com/acme/billing/pull/[0-9]*$" "$OUT"; then
    pass "create-pr again: the table shows the pull request"
else
    fail "create-pr again: the table shows the pull request" "$(cat "$OUT")"
fi
pycheck "create-pr again: the open pull requests are updated, not duplicated" "$W/r1.jsonl" "$W/r2.jsonl" "$FORGE_STATE" <<'EOF'
p1, p2, state = sys.argv[1:4]
prs = json.load(open(state))
expect(len(prs) == 2, "%d pull requests, expected 2" % len(prs))
for n in ("billing", "search"):
    a, b = rec(p1, n), rec(p2, n)
    expect(b["status"] == "unchanged" and b["pushed"], "%s: %s pushed=%s" % (n, b["status"], b["pushed"]))
    expect(b.get("pr_url") == a.get("pr_url") and b.get("pr_action") == "updated" and b.get("pr_state") == "open", "%s: second run %r %r %r" % (n, b.get("pr_url"), b.get("pr_action"), b.get("pr_state")))
    cs = calls(repo=n)
    expect([c["argv"][:2] for c in cs] == [["pr", "list"], ["pr", "edit"]], "%s: calls %r" % (n, [c["argv"][:3] for c in cs]))
    if len(cs) == 2:
        num = a["pr_url"].rsplit("/", 1)[1]
        title = "asyncmod: fix " + ", ".join(sorted(a["fixes"]))
        expect(cs[1]["argv"] == ["pr", "edit", num, "--title", title, "--body-file", "-", "--repo", "github.com/acme/" + n], "%s: edit argv %r" % (n, cs[1]["argv"]))
        expect("| `" in cs[1]["stdin"], "%s: edit got no body on stdin" % n)
for pr in prs:
    expect(pr["edits"] == 1, "%s: edited %d times" % (pr["url"], pr["edits"]))
EOF

# ---------------------------------------------------------------------------
# GitLab, drafts, and a host that names no forge

unset GH_TOKEN
GITLAB_TOKEN=glpat-abcdefghijklmnopqrst
export GITLAB_TOKEN
printf 'https://gitlab.example.com/group/sub/notify.git\n' >"$W/gl.txt"
batch_in "$W" gl.txt --push --create-pr --draft --report gl1.jsonl
batch_in "$W" gl.txt --push --create-pr --draft --report gl2.jsonl
pycheck "create-pr on GitLab: glab mr create --draft, then glab mr update" "$W/gl1.jsonl" "$W/gl2.jsonl" <<'EOF'
a, b = rec(sys.argv[1], "notify"), rec(sys.argv[2], "notify")
url = "https://gitlab.example.com/group/sub/notify/-/merge_requests/3"
expect(a.get("pr_url") == url and a.get("pr_state") == "draft" and a.get("pr_action") == "created", "first run %r" % a)
expect(b.get("pr_url") == url and b.get("pr_state") == "draft" and b.get("pr_action") == "updated", "second run %r" % b)
cs = calls(repo="notify")
expect([c["argv"][:2] for c in cs] == [["mr", "list"], ["mr", "create"], ["mr", "list"], ["mr", "update"]], "calls %r" % [c["argv"][:2] for c in cs])
if len(cs) == 4:
    repo = "https://gitlab.example.com/group/sub/notify"
    title = "asyncmod: fix AM203"
    expect(cs[0]["argv"] == ["mr", "list", "--source-branch", a["branch"], "--output", "json", "--repo", repo], "list argv %r" % cs[0]["argv"])
    body = cs[1]["argv"][9] if len(cs[1]["argv"]) > 9 else ""
    expect(cs[1]["argv"] == ["mr", "create", "--target-branch", "main", "--source-branch", a["branch"], "--title", title, "--description", body, "--yes", "--draft", "--repo", repo], "create argv %r" % cs[1]["argv"])
    expect("| `AM203` | timeout-error-alias | 1 |" in body, "the description has no row for AM203: %r" % body)
    expect(cs[3]["argv"] == ["mr", "update", "3", "--title", title, "--description", body, "--repo", repo], "update argv %r" % cs[3]["argv"])
    expect(all(c["tokens"] == ["GITLAB_TOKEN"] and c["prompt_disabled"] == "1" for c in cs), "environment %r" % [(c["tokens"], c["prompt_disabled"]) for c in cs])
EOF

GH_TOKEN=ghp_0123456789abcdefABCDEF0123456789abcd
export GH_TOKEN
printf 'https://git.example.org/acme/tools.git\nhttps://github.com/acme/billing.git\n' >"$W/other.txt"
batch_in "$W" other.txt --push --create-pr --report o1.jsonl
if [ "$st" -eq 2 ]; then pass "unknown forge: exit status 2"; else fail "unknown forge: exit status $st, expected 2"; fi
pycheck "unknown forge: that repository fails, the other gets its pull request" "$W/o1.jsonl" <<'EOF'
t = rec(sys.argv[1], "tools")
expect(t["status"] == "failed" and t["pushed"] is True, "tools: %s pushed=%s" % (t["status"], t["pushed"]))
expect(t["reason"] == "pull request not opened: cannot tell the forge of 'https://git.example.org/acme/tools.git' from its host (use --forge github or --forge gitlab)", "tools: reason %r" % t["reason"])
expect(t.get("pr_reason") == t["reason"] and t.get("pr_url", 1) is None, "tools: pr keys %r %r" % (t.get("pr_reason"), t.get("pr_url")))
expect(calls(repo="tools") == [], "a tool was run for tools")
b = rec(sys.argv[1], "billing")
expect(b["status"] == "unchanged" and b.get("pr_action") == "updated", "billing: %s %r" % (b["status"], b.get("pr_action")))
EOF
batch_in "$W" other.txt --push --create-pr --forge github --report o2.jsonl
pycheck "--forge github: gh for a host named otherwise" "$W/o2.jsonl" <<'EOF'
t = rec(sys.argv[1], "tools")
expect(t["status"] == "changed" or t["status"] == "unchanged", "tools: %s %r" % (t["status"], t["reason"]))
expect(t.get("pr_url", "").startswith("https://git.example.org/acme/tools/pull/") and t.get("pr_action") == "created", "tools: %r %r" % (t.get("pr_url"), t.get("pr_action")))
cs = calls(repo="tools")
expect(cs and all(c["tool"] == "gh" and c["argv"][-2:] == ["--repo", "git.example.org/acme/tools"] for c in cs), "calls %r" % [c["argv"] for c in cs])
EOF

# A local repository (a path in the manifest) whose origin is an scp-like
# address: the forge and --repo from it, the base from the branch HEAD tracks.
cat >>"$HOME/.gitconfig" <<EOF
[url "file://$R/github.com/"]
	insteadOf = git@github.com:
EOF
git clone -q https://github.com/acme/search.git "$W/local-search"
git -C "$W/local-search" remote set-url origin git@github.com:acme/search.git
rm -f "$FORGE_LOG"
printf 'local-search\n' >"$W/local.txt"
batch_in "$W" local.txt --push --create-pr --report l1.jsonl
pycheck "a local repository with an scp-like origin" "$W/l1.jsonl" <<'EOF'
r = rec(sys.argv[1], "local-search")
expect(r["status"] in ("changed", "unchanged") and r["pushed"] and r.get("pr_action") == "updated", "record %r" % r)
cs = calls()
expect([c["argv"][:2] for c in cs] == [["pr", "list"], ["pr", "edit"]] and all(c["argv"][-2:] == ["--repo", "github.com/acme/search"] for c in cs), "calls %r" % [c["argv"] for c in cs])
expect(all(c["cwd"] == os.path.join(os.environ["TMPROOT"], "w", "local-search") for c in cs), "ran in %r" % [c["cwd"] for c in cs])
EOF

# ---------------------------------------------------------------------------
# The forge CLI failing: an error of that repository, secrets hidden

unset GH_TOKEN
GITHUB_TOKEN=plain-secret-value-4711
export GITHUB_TOKEN
printf 'https://github.com/acme/billing.git\nhttps://github.com/acme/search.git\n' >"$W/two.txt"
FORGE_FAIL=edit FORGE_FAIL_TEXT=" remote https://bot:hunter2@github.com/acme/x.git key=glpat-Zx9Zx9Zx9Zx9Zx9Zx9Zx9 ghp_Q1w2E3r4T5y6U7i8O9p0" \
    batch_in "$W" two.txt --push --create-pr --report f1.jsonl
if [ "$st" -eq 2 ]; then pass "gh failing: exit status 2"; else fail "gh failing: exit status $st, expected 2"; fi
if grep -rE "plain-secret-value-4711|hunter2|Zx9Zx9|Q1w2E3" "$OUT" "$ERR" "$W/f1.jsonl" >/dev/null; then
    fail "gh failing: the token shows" "$(grep -rhE "plain-secret|hunter2|Zx9|Q1w2" "$OUT" "$ERR" "$W/f1.jsonl" | head -n 3)"
else
    pass "gh failing: the token never shows"
fi
pycheck "gh failing: failed with the tool's stderr, the branch still pushed" "$W/f1.jsonl" <<'EOF'
for n in ("billing", "search"):
    r = rec(sys.argv[1], n)
    expect(r["status"] == "failed" and r["pushed"] is True, "%s: %s pushed=%s" % (n, r["status"], r["pushed"]))
    expect(r["reason"] == "pull request not opened: gh pr edit failed (exit 1): HTTP 401: Bad credentials (https://api.github.com/graphql) Try authenticating with: gh auth login (token ***) remote https://***@github.com/acme/x.git key=*** ***", "%s: reason %r" % (n, r["reason"]))
    expect(r.get("pr_url", 1) is None and r.get("pr_reason") == r["reason"], "%s: pr keys %r" % (n, r))
EOF
unset GITHUB_TOKEN

batch_in "$W" two.txt --push --create-pr --report f2.jsonl
pycheck "no token: gh's own error" "$W/f2.jsonl" <<'EOF'
r = rec(sys.argv[1], "billing")
expect(r["status"] == "failed" and r["reason"].startswith("pull request not opened: gh pr list failed (exit 4): To get started with GitHub CLI, please run: gh auth login"), "reason %r" % r["reason"])
EOF

if [ -e /usr/bin/gh ] || [ -e /bin/gh ]; then
    echo "SKIP: gh missing (a real gh is installed)"
else
    GH_TOKEN=x1234 PATH="$BASEPATH" batch_in "$W" two.txt --push --create-pr --report f3.jsonl
    pycheck "gh missing: a failure that says so" "$W/f3.jsonl" <<'EOF'
r = rec(sys.argv[1], "search")
expect(r["status"] == "failed" and r["reason"] == "pull request not opened: gh pr list: unable to run 'gh': No such file or directory (install it, or put it on PATH)", "reason %r" % r["reason"])
EOF
fi

start=$(date +%s)
GH_TOKEN=x1234 FORGE_SLEEP=30 ASYNCMOD_FORGE_TIMEOUT=1 batch_in "$W" two.txt --push --create-pr --report f4.jsonl -j 2
took=$(($(date +%s) - start))
pycheck "gh too slow: stopped after ASYNCMOD_FORGE_TIMEOUT ($took s)" "$W/f4.jsonl" "$took" <<'EOF'
r = rec(sys.argv[1], "billing")
expect(r["status"] == "failed" and r["reason"].startswith("pull request not opened: gh pr list took too long"), "reason %r" % r["reason"])
expect(int(sys.argv[2]) < 20, "the run took %s s" % sys.argv[2])
EOF

rm -f "$FORGE_LOG"
GH_TOKEN=x1234 batch_in "$W" two.txt --push --create-pr --dry-run --report f5.jsonl
pycheck "--dry-run: no pull request" "$W/f5.jsonl" <<'EOF'
r = rec(sys.argv[1], "billing")
expect(r.get("pr_reason") == "the branch was not pushed" and r.get("pr_url", 1) is None, "pr keys %r" % r)
expect(calls() == [], "the forge was called: %r" % [c["argv"] for c in calls()])
EOF

# the options that go together
opt_error() {
    oe_want=$1
    shift
    st=0
    "$AM" "$@" >"$OUT" 2>"$ERR" || st=$?
    if [ "$st" -eq 2 ] && grep -qF -- "$oe_want" "$ERR"; then pass "error: $*"; else
        fail "error: $*: exit $st" "$(cat "$ERR")"; fi
}
opt_error "--create-pr opens pull requests of pushed branches: use it with --push" batch "$W/m.txt" --create-pr
opt_error "--draft and --forge go with --create-pr" batch "$W/m.txt" --push --draft
opt_error "--draft and --forge go with --create-pr" batch "$W/m.txt" --forge gitlab
opt_error "invalid forge 'bitbucket' (expected github or gitlab)" batch "$W/m.txt" --push --create-pr --forge bitbucket

# ---------------------------------------------------------------------------
# --shard auto

S="$TMPROOT/shard"
mkdir -p "$S"
: >"$S/m.txt"
for i in 1 2 3 4 5 6 7; do
    git init -q "$S/r$i"
    cat "$FIXONLY" >"$S/r$i/app.py"
    [ "$i" -ne 3 ] || cat "$APP" >"$S/r$i/app.py"
    git -C "$S/r$i" add -A && git -C "$S/r$i" commit -q -m init
    echo "r$i" >>"$S/m.txt"
done
batch_in "$S" m.txt --dry-run --report full.jsonl
full_st=$st
for k in 1 2 3; do
    batch_in "$S" m.txt --dry-run --shard "$k/3" --report "s$k.jsonl"
    cp "$OUT" "$S/explicit$k.out"
done
# same_shard NAME K ENV...: `--shard auto...` under ENV picks what --shard K/3 picks.
same_shard() {
    ss_name=$1 ss_k=$2
    shift 2
    st=0
    (cd "$S" && env "$@") >"$OUT" 2>"$ERR" || st=$?
    if [ "$st" -le 1 ] && cmp -s "$OUT" "$S/explicit$ss_k.out" &&
        grep -q "^asyncmod: shard $ss_k/3 (from [A-Z_]*)\$" "$ERR"; then pass "--shard auto: $ss_name"; else
        fail "--shard auto: $ss_name: exit $st" "$(head -n 3 "$ERR")" "$(show_diff "$S/explicit$ss_k.out" "$OUT")"; fi
}
for i in 0 1 2; do
    same_shard "JOB_COMPLETION_INDEX=$i, auto/3" $((i + 1)) JOB_COMPLETION_INDEX=$i "$AM" batch m.txt --dry-run --shard auto/3
done
same_shard "JOB_COMPLETION_INDEX=1, ASYNCMOD_SHARD_COUNT=3" 2 JOB_COMPLETION_INDEX=1 ASYNCMOD_SHARD_COUNT=3 "$AM" batch m.txt --dry-run --shard auto
same_shard "Slurm --array=4-6, task 5" 2 SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_MAX=6 SLURM_ARRAY_TASK_COUNT=3 "$AM" batch m.txt --dry-run --shard auto
same_shard "Slurm --array=10-14:2, task 14" 3 SLURM_ARRAY_TASK_ID=14 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_STEP=2 SLURM_ARRAY_TASK_COUNT=3 "$AM" batch m.txt --dry-run --shard auto/3
same_shard "GitLab parallel: 3, node 1" 1 CI_NODE_INDEX=1 CI_NODE_TOTAL=3 "$AM" batch m.txt --dry-run --shard auto
same_shard "GitLab parallel: 3, node 3" 3 CI_NODE_INDEX=3 CI_NODE_TOTAL=3 "$AM" batch m.txt --dry-run --shard=auto

# shard_error WANT ENV...: `batch m.txt --shard auto` under ENV fails with WANT, running nothing.
shard_error() {
    se_want=$1
    shift
    st=0
    (cd "$S" && env "$@") >"$OUT" 2>"$ERR" || st=$?
    if [ "$st" -eq 2 ] && grep -qF -- "$se_want" "$ERR" && [ ! -s "$OUT" ]; then pass "--shard auto error: $se_want"; else
        fail "--shard auto error: $se_want: exit $st" "$(head -n 3 "$ERR")"; fi
}
shard_error "no scheduler's variables are set" "$AM" batch m.txt --shard auto
shard_error "JOB_COMPLETION_INDEX gives the index but not the count" JOB_COMPLETION_INDEX=0 "$AM" batch m.txt --shard auto
shard_error "JOB_COMPLETION_INDEX gives shard 4 of 3" JOB_COMPLETION_INDEX=3 "$AM" batch m.txt --shard auto/3
shard_error "JOB_COMPLETION_INDEX is 'one', not a number" JOB_COMPLETION_INDEX=one "$AM" batch m.txt --shard auto/3
shard_error "--shard auto/3: ASYNCMOD_SHARD_COUNT says 4" JOB_COMPLETION_INDEX=0 ASYNCMOD_SHARD_COUNT=4 "$AM" batch m.txt --shard auto/3
shard_error "both JOB_COMPLETION_INDEX and CI_NODE_INDEX are set" JOB_COMPLETION_INDEX=0 CI_NODE_INDEX=1 CI_NODE_TOTAL=2 "$AM" batch m.txt --shard auto/2
shard_error "SLURM_ARRAY_TASK_ID 7 is not in the range of 3 tasks from 1 by 4" SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_STEP=4 "$AM" batch m.txt --shard auto
shard_error "SLURM_ARRAY_TASK_COUNT is not set" SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 "$AM" batch m.txt --shard auto
shard_error "--shard auto/4: the scheduler runs 3 jobs (CI_NODE_INDEX)" CI_NODE_INDEX=1 CI_NODE_TOTAL=3 "$AM" batch m.txt --shard auto/4
shard_error "CI_NODE_TOTAL is 3 but CI_NODE_INDEX is not set" CI_NODE_TOTAL=3 "$AM" batch m.txt --shard auto
shard_error "invalid shard 'auto/0'" "$AM" batch m.txt --shard auto/0
shard_error "invalid shard 'automatic'" "$AM" batch m.txt --shard automatic

# ---------------------------------------------------------------------------
# --merge-reports

st=0
(cd "$S" && "$AM" batch --merge-reports s1.jsonl s2.jsonl s3.jsonl --report all.jsonl) >"$OUT" 2>"$ERR" || st=$?
if [ "$st" -eq "$full_st" ]; then pass "merge-reports: the exit status of the unsharded run ($st)"; else
    fail "merge-reports: exit status $st, the unsharded run's was $full_st" "$(cat "$ERR")"; fi
pycheck "merge-reports: the records and the summary of the unsharded run" "$S/full.jsonl" "$S/all.jsonl" "$OUT" <<'EOF'
full, merged, out = sys.argv[1:4]
a = sorted(open(full).read().splitlines())
b = sorted(open(merged).read().splitlines())
expect(a == b and len(a) == 7, "merged report differs from the unsharded one:\n%s\n%s" % (a, b))
rs = report(full)
text = open(out).read().splitlines()
fixes, left, files = {}, {}, 0
for r in rs:
    files += r["files_changed"]
    for k, v in r["fixes"].items():
        fixes[k] = fixes.get(k, 0) + v
    for k, v in r["findings_left"].items():
        left[k] = left.get(k, 0) + v
for code in sorted(set(fixes) | set(left)):
    row = [l.split() for l in text if l.split()[:1] == [code]]
    expect(row and row[0][1:3] == [str(fixes.get(code, 0)), str(left.get(code, 0))], "%s: row %r, expected fixes %d left %d" % (code, row, fixes.get(code, 0), left.get(code, 0)))
nf, nl = sum(fixes.values()), sum(left.values())
last = "7 repositories: %d changed, %d unchanged, 0 skipped, 0 failed; %d fix%s in %d file%s, %d finding%s left, 0 file errors" % (
    sum(r["status"] == "changed" for r in rs), sum(r["status"] == "unchanged" for r in rs),
    nf, "" if nf == 1 else "es", files, "" if files == 1 else "s", nl, "" if nl == 1 else "s")
expect(text and text[-1] == last, "last line %r, expected %r" % (text[-1] if text else None, last))
EOF

# merge_error WANT ARG...: fails with WANT and writes no report.
merge_error() {
    me_want=$1
    shift
    rm -f "$S/bad-out.jsonl"
    st=0
    (cd "$S" && "$AM" batch --merge-reports "$@" --report bad-out.jsonl) >"$OUT" 2>"$ERR" || st=$?
    if [ "$st" -eq 2 ] && grep -qF -- "$me_want" "$ERR" && [ ! -e "$S/bad-out.jsonl" ]; then
        pass "merge-reports error: $me_want"
    else
        fail "merge-reports error: $me_want: exit $st" "$(cat "$ERR")"
    fi
}
cp "$S/s2.jsonl" "$S/again.jsonl"
dupline=$(grep -n . "$S/s2.jsonl" | head -n 1 | cut -d: -f1)
dupname=$(head -n 1 "$S/s2.jsonl" | sed 's/^{"repository":"\([^"]*\)".*/\1/')
merge_error "again.jsonl:1: repository '$dupname' is already in s2.jsonl:$dupline" s1.jsonl s2.jsonl again.jsonl
{ head -n 1 "$S/s1.jsonl"; echo '{"repository":"x",'; } >"$S/trunc.jsonl"
merge_error "trunc.jsonl:2: not a JSON record" trunc.jsonl
echo '{"repository":"x","status":"done","files_changed":0,"file_errors":0,"fixes":{},"findings_left":{}}' >"$S/status.jsonl"
merge_error "status.jsonl:1: \"status\" is not changed, unchanged, skipped or failed" status.jsonl
echo '{"repository":"x","status":"changed","files_changed":0,"file_errors":0,"fixes":{"AM203":"1"},"findings_left":{}}' >"$S/counts.jsonl"
merge_error "counts.jsonl:1: \"fixes\" is not an object of counts" counts.jsonl
echo '{"repository":"x","status":"changed","files_changed":0,"file_errors":0,"fixes":{},"findings_left":{}} trailing' >"$S/trail.jsonl"
merge_error "trail.jsonl:1: not a JSON record" trail.jsonl
echo '[1,2]' >"$S/array.jsonl"
merge_error "array.jsonl:1: not a JSON object" array.jsonl
merge_error "missing.jsonl" s1.jsonl missing.jsonl
opt_error "usage: asyncmod batch --merge-reports REPORT..." batch --merge-reports
opt_error "--merge-reports joins reports: it runs nothing" batch --merge-reports "$S/s1.jsonl" --push
: >"$S/empty.jsonl"
st=0
(cd "$S" && "$AM" batch --merge-reports empty.jsonl s1.jsonl) >"$OUT" 2>"$ERR" || st=$?
n1=$(grep -c . "$S/s1.jsonl")
if [ "$st" -le 1 ] && tail -n 1 "$OUT" | grep -q "^$n1 repositor"; then pass "merge-reports: an empty shard report"; else
    fail "merge-reports: an empty shard report: exit $st" "$(cat "$OUT" "$ERR")"; fi

# pull requests in the summary
st=0
"$AM" batch --merge-reports "$W/r2.jsonl" "$W/gl1.jsonl" >"$OUT" 2>"$ERR" || st=$?
if grep -qx "3 pull requests: 1 created, 2 updated" "$OUT"; then pass "merge-reports: pull requests counted"; else
    fail "merge-reports: pull requests counted" "$(cat "$OUT" "$ERR")"; fi

# ---------------------------------------------------------------------------
# The GitHub Action

ACTION="$SRCDIR/action.yml"
pycheck "action.yml: a composite action, inputs described and documented in the README" "$ACTION" "$SRCDIR/README.md" <<'EOF'
import yaml
a = yaml.safe_load(open(sys.argv[1]))
readme = open(sys.argv[2], encoding="utf-8").read()
expect(a.get("runs", {}).get("using") == "composite", "runs.using %r" % a.get("runs", {}).get("using"))
inputs = a.get("inputs") or {}
for want in ("paths", "args", "select", "version", "upload"):
    expect(want in inputs, "no input %r" % want)
section = readme.split("\n### GitHub Action\n", 1)[-1].split("\n### ", 1)[0]
rows = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
for name, spec in inputs.items():
    expect(isinstance(spec.get("description"), str) and len(spec["description"]) > 20, "input %s: no description" % name)
    expect("default" in spec and spec.get("required") is False, "input %s: not optional with a default" % name)
    expect(name in rows, "input %s: no row in the README's GitHub Action table" % name)
    if name in rows:
        row = [l for l in section.splitlines() if l.startswith("| `%s` |" % name)][0]
        shown = row.split("|")[2].strip()
        want = "empty" if spec["default"] == "" else "`%s`" % spec["default"]
        expect(shown == want, "input %s: the README says default %s, action.yml %r" % (name, shown, spec["default"]))
expect(rows <= set(inputs), "README rows for inputs action.yml lacks: %s" % sorted(rows - set(inputs)))
for name in (a.get("outputs") or {}):
    expect("`%s`" % name in section, "output %s not in the README" % name)
steps = a["runs"]["steps"]
for s in steps:
    if "run" in s:
        expect(s.get("shell") == "bash", "step %r: shell %r" % (s.get("name"), s.get("shell")))
        expect("inputs." not in s["run"] and "${{" not in s["run"], "step %r: an expression inside the script" % s.get("name"))
    if "uses" in s:
        expect(re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", s["uses"]), "step %r: uses %r is not pinned to a major version" % (s.get("name"), s["uses"]))
up = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
expect(len(up) == 1 and "steps.check.outputs.sarif-file" in up[0]["with"]["sarif_file"] and "inputs.upload == 'true'" in up[0].get("if", ""), "the upload step %r" % up)
EOF

# The action's scripts parse.
"$PY" -c '
import sys, yaml
for i, s in enumerate(yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]):
    if "run" in s:
        open("%s/step%d.sh" % (sys.argv[2], i), "w").write(s["run"])
' "$ACTION" "$TMPROOT"
for f in "$TMPROOT"/step*.sh; do
    if bash -n "$f" 2>"$ERR"; then pass "action.yml: $(basename "$f") parses"; else fail "action.yml: $(basename "$f")" "$(cat "$ERR")"; fi
done

# run_step ID WORKSPACE [INPUT=VALUE]...: runs the step ID of action.yml as
# the runner does (bash --noprofile --norc -eo pipefail, in its
# working-directory, its env with the inputs' values); $st and $TMPROOT/gh-output.
cat >"$TMPROOT/step.py" <<'EOF'
import os, re, subprocess, sys, yaml
action, step_id, ws = sys.argv[1:4]
given = dict(a.split("=", 1) for a in sys.argv[4:])
a = yaml.safe_load(open(action))
inputs = {k: v.get("default", "") for k, v in a["inputs"].items()}
inputs.update(given)
step = [s for s in a["runs"]["steps"] if s.get("id") == step_id][0]
ctx = {"github.workspace": ws, "github.action_path": os.path.dirname(os.path.abspath(action)),
       "runner.temp": os.environ["TMPROOT"] + "/runner-temp"}
def expand(v):
    def one(m):
        e = m.group(1).strip()
        if e.startswith("inputs."):
            return str(inputs[e[7:]])
        if e.startswith("steps."):
            return os.environ.get("STEP_" + e.split(".")[-1].replace("-", "_").upper(), "")
        return ctx[e]
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(v))
env = dict(os.environ)
env.update({k: expand(v) for k, v in (step.get("env") or {}).items()})
env["GITHUB_OUTPUT"] = os.environ["TMPROOT"] + "/gh-output"
open(env["GITHUB_OUTPUT"], "w").close()
cwd = expand(step.get("working-directory", ws))
script = os.environ["TMPROOT"] + "/step-run.sh"
open(script, "w").write(step["run"])
sys.exit(subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=cwd, env=env).returncode)
EOF
run_step() {
    st=0
    "$PY" "$TMPROOT/step.py" "$ACTION" "$@" >"$OUT" 2>"$ERR" || st=$?
}
output() { sed -n "s/^$1=//p" "$TMPROOT/gh-output"; }

WS="$TMPROOT/workspace"
git init -q "$WS"
mkdir -p "$WS/service" "$WS/lib"
cat "$APP" >"$WS/service/app.py"
cat "$CLEAN" >"$WS/lib/clean.py"
git -C "$WS" add -A && git -C "$WS" commit -q -m init
mkdir -p "$TMPROOT/runner-temp"

run_step check "$WS"
if [ "$st" -eq 0 ] && [ "$(output exit-code)" = 1 ] && [ "$(output sarif-file)" = asyncmod.sarif ] && [ -s "$WS/asyncmod.sarif" ]; then
    pass "action: the check step writes the SARIF log (exit-code 1)"
else
    fail "action: the check step: exit $st, outputs $(tr '\n' ' ' <"$TMPROOT/gh-output")" "$(cat "$OUT" "$ERR")"
fi
if "$PY" "$SRCDIR/tests/sarif_schema.py" --self-test >"$OUT" 2>&1; then pass "sarif_schema: the validator rejects broken logs"; else
    fail "sarif_schema: self-test" "$(cat "$OUT")"; fi
if "$PY" "$SRCDIR/tests/sarif_schema.py" "$WS/asyncmod.sarif" >"$OUT" 2>&1; then pass "action: the log is valid SARIF 2.1.0"; else
    fail "action: the log against the SARIF 2.1.0 schema" "$(cat "$OUT")"; fi
(cd "$WS" && "$AM" check --output-format concise) >"$TMPROOT/concise" 2>/dev/null || true
if "$PY" "$SRCDIR/tests/sarif_check.py" --text "$TMPROOT/concise" "$WS/asyncmod.sarif" >"$OUT" 2>&1; then
    pass "action: the log holds the findings of asyncmod check, paths from the repository's top"
else
    fail "action: sarif_check" "$(cat "$OUT")"
fi
pycheck "action: the uris are relative to the workspace" "$WS/asyncmod.sarif" <<'EOF'
log = json.load(open(sys.argv[1]))
uris = {l["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"] for l in r["locations"]}
expect(uris == {"service/app.py"}, "uris %r" % uris)
EOF

mkdir -p "$WS/out"
run_step check "$WS" select=AM203 paths="service/app.py
lib/clean.py" args="--target-version py312" sarif-file=out/am203.sarif
pycheck "action: select, paths on lines, args and sarif-file" "$WS/out/am203.sarif" "$TMPROOT/gh-output" <<'EOF'
log = json.load(open(sys.argv[1]))
ids = {r["ruleId"] for r in log["runs"][0]["results"]}
expect(ids == {"AM203"}, "rules %r" % ids)
expect("sarif-file=out/am203.sarif" in open(sys.argv[2]).read().splitlines(), "outputs %r" % open(sys.argv[2]).read())
EOF

run_step check "$WS" paths='$(touch pwned) *.py' sarif-file=inj.sarif
if [ ! -e "$WS/pwned" ] && [ ! -e "$TMPROOT/pwned" ] && [ "$(output exit-code)" = 2 ]; then
    pass "action: an input is data, never a command or a glob"
else
    fail "action: injection: exit-code $(output exit-code)" "$(ls "$WS")"
fi

run_step check "$WS" version=99.0.0
if [ "$st" -ne 0 ] && grep -q "::error::this action builds 'asyncmod" "$OUT"; then pass "action: version must match the build"; else
    fail "action: version 99.0.0: exit $st" "$(cat "$OUT" "$ERR")"; fi
v=$("$AM" --version | sed 's/^asyncmod //')
run_step check "$WS" version="v$v"
if [ "$st" -eq 0 ]; then pass "action: version v$v is the build's"; else fail "action: version v$v: exit $st" "$(cat "$OUT" "$ERR")"; fi

# The last step fails the job on an error, and on findings when asked.
judge() {
    jd_want=$1
    shift
    st=0
    env "$@" bash --noprofile --norc -eo pipefail "$TMPROOT/step3.sh" >"$OUT" 2>&1 || st=$?
    if [ "$st" -eq "$jd_want" ]; then pass "action: judged $* -> $jd_want"; else fail "action: judged $*: $st" "$(cat "$OUT")"; fi
}
judge 0 EXIT_CODE=1 FAIL_ON_FINDINGS=false
judge 1 EXIT_CODE=1 FAIL_ON_FINDINGS=true
judge 0 EXIT_CODE=0 FAIL_ON_FINDINGS=true
judge 1 EXIT_CODE=2 FAIL_ON_FINDINGS=false

# ---------------------------------------------------------------------------
# The new options are documented everywhere

"$AM" --help >"$TMPROOT/help"
for opt in --create-pr --draft --forge --merge-reports "--shard auto"; do
    missing=""
    grep -qF -- "$opt" "$TMPROOT/help" || missing="$missing --help"
    grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" "$SRCDIR/man/asyncmod.1" || missing="$missing man"
    grep -qF -- "\`$opt" "$SRCDIR/README.md" || missing="$missing README"
    case $opt in *" "*) ;; *) grep -qF -- "$opt" "$SRCDIR/completions/asyncmod.bash" || missing="$missing completion" ;; esac
    if [ -z "$missing" ]; then pass "documented: $opt"; else fail "documented: $opt: not in$missing"; fi
done

finish
