#!/bin/sh
# asyncmod batch: one migration over the repositories of a manifest.
#
# Every case builds its repositories in a fresh folder under $TMPROOT:
# clean, dirty, without Python files, a syntax error next to a fixable
# file, already migrated, empty (no commits), a clone URL (a local bare
# repository served as file://) and URLs that fail. The cases prove the
# statuses, the JSON lines report, the summary table, the exit status,
# --branch / branch= / paths=, that the user's work tree, index and branch
# stay as they were, re-runs, --retry-failed, --shard, --push, --dry-run,
# that no hook runs, that credentials are never printed, the progress bar
# and that nothing is written outside each repository's folder.
#
# Run from a built tree:
#   ASYNCMOD=$PWD/asyncmod SRCDIR=$PWD sh tests/batch.sh
. "$SRCDIR/tests/lib.sh"

# The worker identity comes from $HOME/.gitconfig (libgit2 reads it; the
# git CLI is pointed at the same file); nothing of the user's own git
# settings takes part.
HOME="$TMPROOT/home"
XDG_CONFIG_HOME="$HOME/.config"
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
GIT_OPTIONAL_LOCKS=0            # `git status` must not rewrite the index
GIT_CEILING_DIRECTORIES=$TMPROOT
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_OPTIONAL_LOCKS \
    GIT_CEILING_DIRECTORIES
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_NAMESPACE \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE EMAIL NO_COLOR
mkdir -p "$XDG_CONFIG_HOME"
printf '[user]\n\tname = Asyncmod Tester\n\temail = tester@example.invalid\n[init]\n\tdefaultBranch = main\n' \
    >"$HOME/.gitconfig"

# One copy of the binary for the whole run, so that a rebuild meanwhile
# cannot change it between two steps of a case.
mkdir -p "$TMPROOT/bin"
cp "$ASYNCMOD" "$TMPROOT/bin/asyncmod"
AM="$TMPROOT/bin/asyncmod"
PATH="$TMPROOT/bin:$PATH"
export PATH

APP="$SRCDIR/fixtures/cli-trees/app/app.py"        # 4 fixable findings, 1 report-only
CLEAN="$SRCDIR/fixtures/cli-trees/app/clean.py"    # no finding: already migrated
FIXONLY="$TMPROOT/fixonly.py"                      # 1 fixable finding, nothing else
BAD="$TMPROOT/bad.py"                              # a syntax error the engine parses
TEXT="$TMPROOT/readme.txt"                         # not Python
echo "Not a Python file." >"$TEXT"
printf 'import asyncio\n\n\nasync def handler():\n    try:\n        await asyncio.sleep(0)\n    except asyncio.TimeoutError:\n        pass\n' \
    >"$FIXONLY"
printf 'import asyncio\n\n\nasync def broken(:\n    await asyncio.sleep(1)\n' >"$BAD"
DEFAULT_BRANCH="asyncmod/am105-am203-async300"
APP_FIXES='{"AM105":1,"AM203":1,"ASYNC300":1}'
APP_LEFT='{"AM105":1,"AM202":1,"ASYNC251":1}'
OUT="$TMPROOT/out"
ERR="$TMPROOT/err"
PROB="$TMPROOT/problems"
: >"$PROB"

# ---------------------------------------------------------------------------
# The report reader: validates the JSON lines and answers questions on them.
# A record is named by its repository's last path part without `.git`.
RQ="$TMPROOT/rq.py"
cat >"$RQ" <<'EOF'
import json, re, sys

KEYS = {"repository", "status", "reason", "files_changed", "fixes", "findings_left",
        "file_errors", "branch", "commit", "pushed", "push_reason", "errors"}

def name(r):
    s = r["repository"].rstrip("/")
    s = re.split(r"[/:]", s)[-1]
    return s[:-4] if s.endswith(".git") else s

def load(path, strict=True):
    out = []
    with open(path) as f:
        for no, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except ValueError as e:
                sys.exit("%s:%d: not a JSON line (%s): %r" % (path, no, e, line[:80]))
            if not isinstance(r, dict):
                sys.exit("%s:%d: not a JSON object" % (path, no))
            if strict and set(r) != KEYS:
                sys.exit("%s:%d: keys %s, expected %s" % (path, no, sorted(r), sorted(KEYS)))
            out.append(r)
    return out

def problems(r):
    p = []
    if r["status"] not in ("changed", "unchanged", "skipped", "failed"):
        p.append("status %r" % r["status"])
    if r["status"] in ("skipped", "failed") and not (isinstance(r["reason"], str) and r["reason"]):
        p.append("a %s repository without a reason" % r["status"])
    if r["reason"] is not None and not isinstance(r["reason"], str):
        p.append("reason %r" % r["reason"])
    for k in ("files_changed", "file_errors"):
        if not isinstance(r[k], int) or isinstance(r[k], bool) or r[k] < 0:
            p.append("%s %r" % (k, r[k]))
    for k in ("fixes", "findings_left"):
        if not isinstance(r[k], dict) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in r[k].values()):
            p.append("%s %r" % (k, r[k]))
    if r["branch"] is not None and not isinstance(r["branch"], str):
        p.append("branch %r" % r["branch"])
    if r["commit"] is not None and not re.fullmatch(r"[0-9a-f]{40}", str(r["commit"])):
        p.append("commit %r" % r["commit"])
    if not isinstance(r["pushed"], bool):
        p.append("pushed %r" % r["pushed"])
    elif r["pushed"] and (r["push_reason"] is not None or r["commit"] is None):
        p.append("pushed with push_reason %r, commit %r" % (r["push_reason"], r["commit"]))
    elif not r["pushed"] and not (isinstance(r["push_reason"], str) and r["push_reason"]):
        p.append("not pushed without a push_reason")
    return p

def flat(v):
    if v is None:
        return "null"
    if isinstance(v, str):
        return v.replace("\t", " ").replace("\n", " ")
    return json.dumps(v, sort_keys=True, separators=(",", ":"))

cmd, path = sys.argv[1], sys.argv[2]
if cmd == "load":                       # load REPORT: REPORT.problems, .names and .kv
    problems_, names, kv = [], [], []
    try:
        records = load(path)
    except SystemExit as e:
        problems_.append(str(e.code))
        try:
            records = load(path, strict=False)
        except SystemExit:
            records = []
    except OSError as e:
        problems_.append("no report: %s" % e)
        records = []
    for r in records:
        if set(r) == KEYS and problems(r):
            problems_.append("%s: %s" % (r["repository"], "; ".join(problems(r))))
        n = name(r) if isinstance(r.get("repository"), str) else "?"
        names.append(n)
        for k, v in r.items():
            kv.append("%s\t%s\t%s" % (n, k, flat(v)))
    for ext, lines in ((".problems", problems_), (".names", names), (".kv", kv)):
        with open(path + ext, "w") as f:
            f.write("".join(l + "\n" for l in lines))
elif cmd == "labelled":                 # labelled OUTPUT NAME...: each diff follows its repository
    lines = open(path).read().split("\n")
    starts = [i for i, l in enumerate(lines) if l.startswith("diff --git ")]
    names = sys.argv[3:]
    if len(starts) != len(names):
        sys.exit("%d diffs for %d repositories" % (len(starts), len(names)))
    prev = -1
    for i, n in zip(starts, names):
        if not any(n in l for l in lines[prev + 1:i]):
            sys.exit("no line naming %s before its diff (line %d)" % (n, i + 1))
        prev = i
EOF
# The interpreter itself, not a version manager's wrapper: it runs once per report.
PY=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')
rq() { "$PY" "$RQ" "$@"; }
# loaded REPORT: reads REPORT once (a report path is never written twice).
loaded() { [ -f "$1.kv" ] || rq load "$1"; }

# ---------------------------------------------------------------------------
# Helpers

problem() { echo "$*" >>"$PROB"; }

# verdict NAME: PASS when no problem was noted since the last verdict.
verdict() {
    if [ ! -s "$PROB" ]; then
        pass "$1"
    else
        set -- "$1"
        while IFS= read -r line; do set -- "$@" "$line"; done <"$PROB"
        fail "$@"
    fi
    : >"$PROB"
}

# mkrepo DIR: a fresh repository on branch main.
mkrepo() { git -c init.defaultBranch=main init -q "$1"; }

# put FILE DEST: copies a fixture as a plain writable file.
put() { mkdir -p "$(dirname "$2")" && cat "$1" >"$2"; }

commit_all() { git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }

# repo DIR [SRC DEST]...: a repository with these files in one commit.
repo() {
    rdir=$1
    shift
    mkrepo "$rdir"
    while [ $# -ge 2 ]; do put "$1" "$rdir/$2"; shift 2; done
    commit_all "$rdir" init
}

# bare NAME.git SRC DEST...: a bare repository (a remote to clone from and
# push to) whose main holds these files, HEAD on main.
bare() {
    bdir=$1
    shift
    repo "$bdir.seed" "$@"
    git init -q --bare "$bdir"
    git -C "$bdir.seed" push -q "$bdir" main
    git -C "$bdir" symbolic-ref HEAD refs/heads/main
    rm -rf "$bdir.seed"
}

# batch DIR ARGS...: runs `asyncmod batch` in DIR; sets $rc, output in $OUT and $ERR.
batch() {
    bdir=$1
    shift
    rc=0
    (cd "$bdir" && exec "$AM" batch "$@") >"$OUT" 2>"$ERR" || rc=$?
}

expect_rc() {
    [ "$rc" = "$1" ] || problem "exit status $rc, expected $1 (stderr: $(head -n 3 "$ERR" | tr '\n' ' '))"
}

# field REPORT NAME KEY: the value of KEY in the record NAME (`null` for a
# JSON null, objects as compact JSON with sorted keys).
field() {
    loaded "$1"
    awk -F'\t' -v n="$2" -v k="$3" '$1 == n && $2 == k { c++; v = $3 }
        END { if (c == 1) print v; else printf "<%d records>\n", c }' "$1.kv"
}

# names REPORT: the records' names, one a line, in report order.
names() { loaded "$1" && cat "$1.names"; }

# expect REPORT NAME KEY VALUE: the record's KEY is VALUE.
expect() {
    got=$(field "$1" "$2" "$3")
    [ "$got" = "$4" ] || problem "$2: $3 is '$got', expected '$4'"
}

expect_valid() {
    loaded "$1"
    if [ -s "$1.problems" ]; then
        problem "invalid report $(basename "$1"): $(head -n 3 "$1.problems" | tr '\n' ' ')"
    fi
}

# expect_names REPORT NAME...: the report holds these records, in this order.
expect_names() {
    erep=$1
    shift
    want=$(printf '%s ' "$@")
    loaded "$erep"
    got=$(tr '\n' ' ' <"$erep.names")
    [ "$got" = "$want" ] || problem "records: '$got', expected '$want'"
}

rev() { git -C "$1" rev-parse -q --verify "$2^{commit}" 2>/dev/null || echo none; }


# snapshot DIR: every file (with its checksum) and folder below DIR.
snapshot() {
    (cd "$1" && {
        find . -type d | sed 's/^/dir /'
        find . -type f -exec cksum {} + | awk '{ print $1, $3 }'
    } | LC_ALL=C sort)
}

# ---------------------------------------------------------------------------
# 1. the full mix in one manifest
T="$TMPROOT/c1"
mkdir -p "$T"
repo "$T/clean" "$APP" app.py
repo "$T/dirty" "$APP" app.py
echo "# a local change" >>"$T/dirty/app.py"
repo "$T/nopy" "$TEXT" README.txt
repo "$T/syntax" "$APP" app.py "$BAD" bad.py
repo "$T/migrated" "$CLEAN" app.py
mkrepo "$T/empty"
put "$APP" "$T/empty/app.py"            # untracked: there is nothing to build on
bare "$T/upstream.git" "$APP" app.py
cat >"$T/manifest" <<EOF
# batch manifest for the mixed case

file://$T/missing.git        # no such repository: fails
$T/clean
   $T/dirty	# indented, with a trailing comment
$T/nopy
# a comment between entries
$T/syntax

$T/migrated
$T/empty
file://$T/upstream.git
EOF
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --jobs 2
expect_rc 2
expect_valid "$T/report"
expect_names "$T/report" missing clean dirty nopy syntax migrated empty upstream
for pair in missing=failed clean=changed dirty=skipped nopy=unchanged syntax=changed \
    migrated=unchanged empty=skipped upstream=changed; do
    expect "$T/report" "${pair%%=*}" status "${pair#*=}"
done
expect "$T/report" clean fixes "$APP_FIXES"
expect "$T/report" clean findings_left "$APP_LEFT"
expect "$T/report" clean files_changed 1
expect "$T/report" clean file_errors 0
expect "$T/report" clean branch "$DEFAULT_BRANCH"
expect "$T/report" clean commit "$(rev "$T/clean" "$DEFAULT_BRANCH")"
expect "$T/report" syntax files_changed 1
expect "$T/report" syntax file_errors 1
expect "$T/report" syntax fixes "$APP_FIXES"
[ "$(field "$T/report" syntax reason)" != null ] || problem "syntax: no reason for the file that was not checked"
changed=$(git -C "$T/syntax" diff --name-only HEAD "$DEFAULT_BRANCH" 2>&1 | tr '\n' ' ')
[ "$changed" = "app.py " ] || problem "syntax: the branch changes '$changed', expected 'app.py '"
expect "$T/report" syntax commit "$(rev "$T/syntax" "$DEFAULT_BRANCH")"
expect "$T/report" migrated fixes '{}'
expect "$T/report" migrated findings_left '{}'
[ "$(rev "$T/migrated" "$DEFAULT_BRANCH")" = none ] || problem "migrated: a branch was created"
[ "$(rev "$T/dirty" "$DEFAULT_BRANCH")" = none ] || problem "dirty: a branch was created"
[ "$(git -C "$T/empty" for-each-ref | wc -l)" = 0 ] || problem "empty: refs were created"
set -- "$T"/work/upstream-*
if [ $# != 1 ] || [ ! -d "$1" ]; then
    problem "upstream: clones in the workdir: $(ls "$T/work" 2>&1 | tr '\n' ' ')"
else
    expect "$T/report" upstream commit "$(rev "$1" "$DEFAULT_BRANCH")"
    expect "$T/report" upstream fixes "$APP_FIXES"
fi
grep -q '^repository  *status' "$OUT" || problem "no summary table header on stdout"
grep -q '^8 repositories: 3 changed, 2 unchanged, 2 skipped, 1 failed$' "$OUT" ||
    problem "summary line: '$(tail -n 1 "$OUT")'"
for n in missing.git clean dirty nopy syntax migrated empty upstream.git; do
    grep -q "$T/$n " "$OUT" || problem "the summary table has no row for $n"
done
verdict "mixed-manifest"

# ---------------------------------------------------------------------------
# 2. credentials in URLs are never printed
T="$TMPROOT/c2"
mkdir -p "$T"
repo "$T/clean" "$APP" app.py
cat >"$T/manifest" <<EOF
https://user:s3cret@127.0.0.1:9/x.git
http://s3cret@127.0.0.1:9/y.git
ssh://user:s3cret@127.0.0.1:9/z.git branch=creds
$T/clean
EOF
: >"$T/all"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --jobs 2
expect_rc 2
cat "$OUT" "$ERR" "$T/report" >>"$T/all"
expect_valid "$T/report"
expect_names "$T/report" x y z clean
for n in x y z; do expect "$T/report" $n status failed; done
expect "$T/report" clean status changed
grep -q '127\.0\.0\.1:9/x\.git' "$T/report" || problem "the report does not name the host of x.git"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report2" --jobs 2 --dry-run --push
cat "$OUT" "$ERR" "$T/report2" >>"$T/all"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report3" --jobs 2 \
    --retry-failed "$T/report"
cat "$OUT" "$ERR" "$T/report3" >>"$T/all"
expect_names "$T/report3" x y z
if grep -n 's3cret' "$T/all" >"$T/leaks"; then
    problem "the password is printed: $(head -n 3 "$T/leaks" | tr '\n' ' ')"
fi
verdict "credentials-hidden"

# ---------------------------------------------------------------------------
# 3. --branch, per-line branch= and paths=
T="$TMPROOT/c3"
mkdir -p "$T"
repo "$T/one" "$APP" app.py
repo "$T/two" "$APP" app.py
repo "$T/three" "$APP" a/app.py "$APP" b/app.py "$APP" c/app.py
cat >"$T/manifest" <<EOF
$T/one
$T/two branch=feature/custom
$T/three paths=a,c/app.py branch=three-ac
EOF
batch "$T" "$T/manifest" --branch mig/global --report "$T/report" --jobs 2
expect_rc 1
expect_valid "$T/report"
expect "$T/report" one branch mig/global
expect "$T/report" one commit "$(rev "$T/one" mig/global)"
expect "$T/report" two branch feature/custom
expect "$T/report" two commit "$(rev "$T/two" feature/custom)"
[ "$(rev "$T/two" mig/global)" = none ] || problem "two: --branch used although the line names its own"
expect "$T/report" three branch three-ac
expect "$T/report" three files_changed 2
changed=$(git -C "$T/three" diff --name-only HEAD three-ac 2>&1 | tr '\n' ' ')
[ "$changed" = "a/app.py c/app.py " ] || problem "three: the branch changes '$changed', expected 'a/app.py c/app.py '"
for r in one two three; do
    [ "$(rev "$T/$r" "$DEFAULT_BRANCH")" = none ] || problem "$r: the default branch was created"
done
verdict "branch-and-paths"

# ---------------------------------------------------------------------------
# 4. the user's work tree, index and current branch stay as they were
T="$TMPROOT/c4"
mkdir -p "$T"
repo "$T/user" "$APP" app.py "$APP" pkg/mod.py "$CLEAN" clean.py
git -C "$T/user" checkout -q -b work
put "$APP" "$T/user/scratch.py"           # untracked
repo "$T/busy" "$APP" app.py "$APP" other.py "$CLEAN" clean.py
echo "x = 1" >>"$T/busy/app.py" && git -C "$T/busy" add app.py    # staged
echo "y = 2" >>"$T/busy/other.py"                                   # not staged
head_user=$(rev "$T/user" HEAD)
head_busy=$(rev "$T/busy" HEAD)
state "$T/user" >"$T/user.before"
state "$T/busy" >"$T/busy.before"
printf '%s\n%s branch=busy-fix\n' "$T/user" "$T/busy" >"$T/manifest"
batch "$T" "$T/manifest" --report "$T/report" --jobs 2
expect "$T/report" user status changed
expect "$T/report" busy status skipped
state "$T/busy" >"$T/busy.mid"
cmp -s "$T/busy.before" "$T/busy.mid" || problem "busy (skipped): state changed: $(show_diff "$T/busy.before" "$T/busy.mid")"
batch "$T" "$T/manifest" --report "$T/report2" --jobs 2 --allow-dirty
expect "$T/report2" user status unchanged
expect "$T/report2" busy status changed
state "$T/user" >"$T/user.after"
state "$T/busy" >"$T/busy.after"
cmp -s "$T/user.before" "$T/user.after" || problem "user: state changed: $(show_diff "$T/user.before" "$T/user.after")"
cmp -s "$T/busy.before" "$T/busy.after" || problem "busy: state changed: $(show_diff "$T/busy.before" "$T/busy.after")"
[ "$(rev "$T/user" "$DEFAULT_BRANCH^")" = "$head_user" ] ||
    problem "user: the branch commit's parent is $(rev "$T/user" "$DEFAULT_BRANCH^"), HEAD is $head_user"
[ "$(rev "$T/busy" "busy-fix^")" = "$head_busy" ] ||
    problem "busy: the branch commit's parent is $(rev "$T/busy" "busy-fix^"), HEAD is $head_busy"
expect "$T/report" user commit "$(rev "$T/user" "$DEFAULT_BRANCH")"
[ "$(git -C "$T/user" ls-tree -r --name-only "$DEFAULT_BRANCH" | tr '\n' ' ')" = "app.py clean.py pkg/mod.py " ] ||
    problem "user: the branch holds $(git -C "$T/user" ls-tree -r --name-only "$DEFAULT_BRANCH" | tr '\n' ' ')"
verdict "user-state-untouched"

# ---------------------------------------------------------------------------
# 5. re-runs: the branch already holds the result
T="$TMPROOT/c5"
mkdir -p "$T"
repo "$T/app" "$APP" app.py
repo "$T/fixer" "$FIXONLY" fix.py
repo "$T/syntax" "$APP" app.py "$BAD" bad.py
bare "$T/remote.git" "$APP" app.py
printf '%s\n%s\n%s\nfile://%s\n' "$T/app" "$T/fixer" "$T/syntax" "$T/remote.git" >"$T/manifest"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r1" --jobs 2
expect_rc 1
for n in app fixer syntax remote; do expect "$T/r1" $n status changed; done
refs "$T/app" >"$T/app.refs1"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r2" --jobs 2
expect_rc 1
expect_valid "$T/r2"
for n in app fixer syntax remote; do
    expect "$T/r2" $n status unchanged
    expect "$T/r2" $n commit "$(field "$T/r1" $n commit)"
    expect "$T/r2" $n branch "$(field "$T/r1" $n branch)"
done
refs "$T/app" >"$T/app.refs2"
cmp -s "$T/app.refs1" "$T/app.refs2" || problem "app: refs changed on the re-run"
grep -q '^4 repositories: 0 changed, 4 unchanged, 0 skipped, 0 failed$' "$OUT" ||
    problem "re-run summary: '$(tail -n 1 "$OUT")'"
# HEAD moves on: the result differs, so the branch is built again on the new HEAD
put "$APP" "$T/app/more.py"
commit_all "$T/app" more
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r3" --jobs 2
expect "$T/r3" app status changed
expect "$T/r3" app commit "$(rev "$T/app" "$DEFAULT_BRANCH")"
expect "$T/r3" app files_changed 2
[ "$(rev "$T/app" "$DEFAULT_BRANCH^")" = "$(rev "$T/app" HEAD)" ] || problem "app: the rebuilt branch is not on the new HEAD"
expect "$T/r3" fixer status unchanged
verdict "re-run-unchanged"

# ---------------------------------------------------------------------------
# 6. --retry-failed REPORT
T="$TMPROOT/c6"
mkdir -p "$T"
repo "$T/ok" "$APP" app.py
repo "$T/dirty" "$APP" app.py
echo "# local" >>"$T/dirty/app.py"
cat >"$T/manifest" <<EOF
$T/ok
file://$T/late.git
$T/dirty
https://user:pw@127.0.0.1:9/cred.git
file://$T/never.git
EOF
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r1" --jobs 2
expect_rc 2
expect "$T/r1" late status failed
expect "$T/r1" never status failed
expect "$T/r1" cred status failed
bare "$T/late.git" "$APP" app.py              # the failure is repaired
git -C "$T/ok" branch -q -D "$DEFAULT_BRANCH" # a retry that ran ok would build it again
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r2" --jobs 2 --retry-failed "$T/r1"
expect_rc 2
expect_valid "$T/r2"
expect_names "$T/r2" late cred never
expect "$T/r2" late status changed
expect "$T/r2" never status failed
[ "$(rev "$T/ok" "$DEFAULT_BRANCH")" = none ] || problem "ok ran again although it had not failed"
grep -q '^3 repositories: 1 changed, 0 unchanged, 0 skipped, 2 failed$' "$OUT" ||
    problem "retry summary: '$(tail -n 1 "$OUT")'"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r3" --jobs 2 --retry-failed "$T/r2"
expect_names "$T/r3" cred never
verdict "retry-failed"

# ---------------------------------------------------------------------------
# 7. --shard K/N
T="$TMPROOT/c7"
mkdir -p "$T"
: >"$T/manifest"
for i in 1 2 3 4 5 6 7 8 9 10; do
    repo "$T/s$i" "$FIXONLY" fix.py
    echo "$T/s$i" >>"$T/manifest"
done
: >"$T/union"
for k in 1 2 3; do
    batch "$T" "$T/manifest" --shard "$k/3" --branch shard-fix --report "$T/shard$k" --jobs 2
    [ "$rc" = 0 ] || problem "shard $k/3: exit status $rc, expected 0 ($(head -n 2 "$ERR" | tr '\n' ' '))"
    expect_valid "$T/shard$k"
    names "$T/shard$k" >>"$T/union"
    # the shard touched only its own repositories
    for i in 1 2 3 4 5 6 7 8 9 10; do
        if grep -qx "s$i" "$T/union" && [ "$(rev "$T/s$i" shard-fix)" = none ]; then
            problem "s$i: in a shard so far but no branch"
        elif ! grep -qx "s$i" "$T/union" && [ "$(rev "$T/s$i" shard-fix)" != none ]; then
            problem "s$i: a branch although no shard so far holds it"
        fi
    done
done
LC_ALL=C sort "$T/union" >"$T/union.sorted"
printf 's%s\n' 1 2 3 4 5 6 7 8 9 10 | LC_ALL=C sort >"$T/all"
cmp -s "$T/union.sorted" "$T/all" ||
    problem "the shards do not cover every repository once: $(show_diff "$T/all" "$T/union.sorted")"
batch "$T" "$T/manifest" --shard 2/3 --branch shard-fix --report "$T/shard2b" --jobs 2
names "$T/shard2" >"$T/s2a"
names "$T/shard2b" >"$T/s2b"
cmp -s "$T/s2a" "$T/s2b" || problem "shard 2/3 twice: $(show_diff "$T/s2a" "$T/s2b")"
for bad in 0/3 4/3 3 x/y; do
    batch "$T" "$T/manifest" --shard "$bad" --jobs 2
    [ "$rc" = 2 ] && grep -qi shard "$ERR" || problem "--shard $bad: exit status $rc, stderr '$(head -n 1 "$ERR")'"
done
verdict "shards"

# ---------------------------------------------------------------------------
# 8. --push to a local bare remote
T="$TMPROOT/c8"
mkdir -p "$T"
bare "$T/origin.git" "$APP" app.py
git clone -q "$T/origin.git" "$T/local"
repo "$T/noremote" "$APP" app.py
main_before=$(rev "$T/origin.git" main)
cat >"$T/manifest" <<EOF
file://$T/origin.git branch=pushed-url
$T/local branch=pushed-local
$T/noremote branch=nowhere
EOF
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --push --jobs 2
expect_rc 2
expect_valid "$T/report"
expect "$T/report" origin status changed
expect "$T/report" local status changed
expect "$T/report" origin commit "$(rev "$T/origin.git" pushed-url)"
expect "$T/report" local commit "$(rev "$T/origin.git" pushed-local)"
[ "$(field "$T/report" origin commit)" != null ] || problem "origin: no commit in the record"
[ "$(rev "$T/origin.git" main)" = "$main_before" ] || problem "the remote's main moved"
st=$(field "$T/report" noremote status)
[ "$st" = failed ] || [ "$st" = skipped ] || problem "noremote (no remote to push to): status '$st'"
[ "$(rev "$T/origin.git" nowhere)" = none ] || problem "noremote's branch reached the remote"
expect "$T/report" origin pushed true
expect "$T/report" local pushed true
expect "$T/report" origin push_reason null
expect "$T/report" noremote pushed false
case $(field "$T/report" noremote push_reason) in
    *origin*) ;;
    *) problem "noremote: push_reason '$(field "$T/report" noremote push_reason)' does not name origin" ;;
esac
verdict "push"

# ---------------------------------------------------------------------------
# 9. --dry-run: diffs printed, no branch, no push
T="$TMPROOT/c9"
mkdir -p "$T"
bare "$T/dry.git" "$APP" app.py
git clone -q "$T/dry.git" "$T/dl"
repo "$T/dm" "$CLEAN" app.py
refs "$T/dry.git" >"$T/remote.before"
refs "$T/dl" >"$T/dl.refs.before"
state "$T/dl" >"$T/dl.before"
printf 'file://%s\n%s\n%s\n' "$T/dry.git" "$T/dl" "$T/dm" >"$T/manifest"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --dry-run --push --jobs 2
expect_rc 1
expect_valid "$T/report"
[ "$(grep -c '^diff --git a/app.py b/app.py$' "$OUT")" = 2 ] ||
    problem "$(grep -c '^diff --git' "$OUT") diffs on stdout, expected 2"
[ "$(grep -c '^+    loop = asyncio.get_running_loop()$' "$OUT")" = 2 ] || problem "the diffs lack the fix"
expect "$T/report" dry status changed
expect "$T/report" dl status changed
expect "$T/report" dm status unchanged
for n in dry dl dm; do expect "$T/report" $n commit null; done
expect "$T/report" dl fixes "$APP_FIXES"
refs "$T/dry.git" >"$T/remote.after"
refs "$T/dl" >"$T/dl.refs.after"
state "$T/dl" >"$T/dl.after"
cmp -s "$T/remote.before" "$T/remote.after" || problem "the remote changed: $(show_diff "$T/remote.before" "$T/remote.after")"
cmp -s "$T/dl.refs.before" "$T/dl.refs.after" || problem "dl: refs changed: $(show_diff "$T/dl.refs.before" "$T/dl.refs.after")"
cmp -s "$T/dl.before" "$T/dl.after" || problem "dl: state changed"
for c in "$T"/work/*; do
    [ -d "$c" ] || continue
    [ "$(git -C "$c" for-each-ref refs/heads --format='%(refname)')" = refs/heads/main ] ||
        problem "the clone $c has branches: $(git -C "$c" for-each-ref refs/heads --format='%(refname)' | tr '\n' ' ')"
done
cp "$OUT" "$T/dry.out"
verdict "dry-run"
# each printed diff can be told apart: its repository is named before it
if ! msg=$(rq labelled "$T/dry.out" "file://$T/dry.git" "$T/dl" 2>&1); then
    problem "$msg"
fi
verdict "dry-run-diffs-name-their-repository"
# a dry run does everything but commit: after a real run its statuses are
# the re-run's (`unchanged` where the branch already holds the result)
printf '%s\n' "$T/dl" >"$T/dl.manifest"
batch "$T" "$T/dl.manifest" --report "$T/real" --jobs 2
expect "$T/real" dl status changed
refs "$T/dl" >"$T/dl.refs.real"
batch "$T" "$T/dl.manifest" --report "$T/dry-again" --dry-run --jobs 2
expect "$T/dry-again" dl status unchanged
refs "$T/dl" >"$T/dl.refs.dry"
cmp -s "$T/dl.refs.real" "$T/dl.refs.dry" || problem "dl: refs changed by the dry run"
verdict "dry-run-after-run-reports-unchanged"

# ---------------------------------------------------------------------------
# 10. no repository hook runs
T="$TMPROOT/c10"
mkdir -p "$T"
HOOKS="pre-commit prepare-commit-msg commit-msg post-commit pre-push post-checkout post-merge reference-transaction pre-auto-gc"
# hooks DIR MARKS: every hook of DIR's repository appends its name to MARKS.
hooks() {
    for h in $HOOKS; do
        printf '#!/bin/sh\necho %s >>"%s"\ncat >/dev/null 2>&1 || :\nexit 0\n' "$h" "$2" >"$1/.git/hooks/$h"
        chmod +x "$1/.git/hooks/$h"
    done
}
bare "$T/hremote.git" "$APP" app.py
git clone -q "$T/hremote.git" "$T/hooked"
hooks "$T/hooked" "$T/marks"
git -C "$T/hooked" config core.hooksPath "$T/hooked/.git/hooks"
# the hooks do work for git itself (checked on a copy)
cp -R "$T/hooked" "$T/probe"
hooks "$T/probe" "$T/probe-marks"
git -C "$T/probe" config core.hooksPath "$T/probe/.git/hooks"
git -C "$T/probe" commit -q --allow-empty -m probe >/dev/null 2>&1
grep -q pre-commit "$T/probe-marks" 2>/dev/null || problem "(setup) the probe's hooks did not run under git"
echo "$T/hooked branch=hooked-fix" >"$T/manifest"
batch "$T" "$T/manifest" --push --report "$T/report" --jobs 2
expect "$T/report" hooked status changed
[ "$(rev "$T/hremote.git" hooked-fix)" = "$(field "$T/report" hooked commit)" ] || problem "the branch was not pushed"
[ ! -e "$T/marks" ] || problem "hooks ran: $(tr '\n' ' ' <"$T/marks")"
verdict "no-hooks"

# ---------------------------------------------------------------------------
# 11. exit status: 0 all changed or unchanged with nothing left, 1 findings remain
T="$TMPROOT/c11"
mkdir -p "$T"
repo "$T/fixer" "$FIXONLY" fix.py
repo "$T/migrated" "$CLEAN" app.py
repo "$T/nopy" "$TEXT" README.txt
repo "$T/left" "$APP" app.py
printf '%s\n%s\n%s\n' "$T/fixer" "$T/migrated" "$T/nopy" >"$T/ok.manifest"
batch "$T" "$T/ok.manifest" --report "$T/r1" --jobs 2
expect_rc 0
expect "$T/r1" fixer status changed
expect "$T/r1" fixer findings_left '{}'
expect "$T/r1" fixer fixes '{"AM203":1}'
expect "$T/r1" migrated status unchanged
expect "$T/r1" nopy status unchanged
batch "$T" "$T/ok.manifest" --report "$T/r2" --jobs 2
expect_rc 0
expect "$T/r2" fixer status unchanged
printf '%s\n%s\n' "$T/fixer" "$T/left" >"$T/left.manifest"
batch "$T" "$T/left.manifest" --report "$T/r3" --jobs 2
expect_rc 1
expect "$T/r3" left status changed
expect "$T/r3" left findings_left "$APP_LEFT"
verdict "exit-status"

# ---------------------------------------------------------------------------
# 12. the progress bar: on a terminal, not in a file
T="$TMPROOT/c12"
mkdir -p "$T"
repo "$T/p1" "$FIXONLY" fix.py
repo "$T/p2" "$CLEAN" app.py
printf '%s\n%s\n' "$T/p1" "$T/p2" >"$T/manifest"
if command -v script >/dev/null 2>&1; then
    # stdout goes to a file, so the terminal sees stderr only
    script -qec "cd '$T' && '$AM' batch manifest --jobs 2 >'$T/tty.out'" /dev/null >"$T/tty.log" 2>&1 </dev/null
    grep -q 'repositories' "$T/tty.log" && grep -q '\[#' "$T/tty.log" ||
        problem "no progress bar on the terminal: '$(tr '\r' '\n' <"$T/tty.log" | head -n 3 | tr '\n' ' ')'"
    grep -q '2/2 repositories' "$T/tty.log" || problem "the bar does not reach 2/2"
    grep -q '\[#' "$T/tty.out" && problem "the bar went to stdout"
    batch "$T" "$T/manifest" --jobs 2
    if grep -q '\[#\|[0-9]/[0-9] repositories' "$ERR"; then
        problem "a progress bar in a file: '$(tr '\r' '\n' <"$ERR" | head -n 2 | tr '\n' ' ')'"
    fi
    verdict "progress-bar"
else
    echo "SKIP: progress-bar (no script command)"
fi

# ---------------------------------------------------------------------------
# 13. nothing is written outside each repository's folder
T="$TMPROOT/c13"
mkdir -p "$T/cwd"
repo "$T/la" "$APP" app.py
put "$APP" "$T/la/untracked.py"
repo "$T/lb" "$APP" app.py "$BAD" bad.py
bare "$T/ra.git" "$APP" app.py
bare "$T/rb.git" "$FIXONLY" fix.py
cat >"$T/manifest" <<EOF
$T/la
$T/lb
file://$T/ra.git
file://$T/rb.git
file://$T/nothere.git
EOF
snapshot "$T" >"$T/../c13.before"
snapshot "$HOME" >"$T/../c13.home.before"
batch "$T/cwd" "$T/manifest" --workdir "$T/work" --jobs 2
expect_rc 2
snapshot "$T" | grep -v '^[^ ]* \./work\(/\|$\)' >"$T/../c13.after"
snapshot "$HOME" >"$T/../c13.home.after"
# added or changed: only git objects, refs and reflogs inside the local repositories
diff "$T/../c13.before" "$T/../c13.after" | sed -n 's/^> //p' |
    grep -v '^[^ ]* \./l[ab]/\.git/\(objects\|refs\|logs\)\(/\|$\)' >"$T/../c13.extra"
[ -s "$T/../c13.extra" ] && problem "written outside: $(head -n 5 "$T/../c13.extra" | tr '\n' ' ')"
diff "$T/../c13.before" "$T/../c13.after" | sed -n 's/^< //p' >"$T/../c13.gone"
[ -s "$T/../c13.gone" ] && problem "changed or removed: $(head -n 5 "$T/../c13.gone" | tr '\n' ' ')"
cmp -s "$T/../c13.home.before" "$T/../c13.home.after" || problem "HOME changed"
[ -z "$(ls -A "$T/cwd")" ] || problem "written to the current folder: $(ls -A "$T/cwd" | tr '\n' ' ')"
ls -A "$T/work" 2>/dev/null | LC_ALL=C sort | tr '\n' ' ' >"$T/../c13.work"
grep -qx 'ra-[0-9a-f]\{8\} rb-[0-9a-f]\{8\} ' "$T/../c13.work" ||
    problem "the workdir holds '$(cat "$T/../c13.work")', expected the two clones"
for c in "$T"/work/*; do
    [ -d "$c/.git" ] || problem "$c is not a clone"
done
# without --workdir and with local paths only, the current folder stays empty too
printf '%s\n' "$T/la" >"$T/local.manifest"
batch "$T/cwd" "$T/local.manifest" --jobs 2
[ -z "$(ls -A "$T/cwd")" ] || problem "written to the current folder: $(ls -A "$T/cwd" | tr '\n' ' ')"
verdict "writes-only-inside"

# ---------------------------------------------------------------------------
# 14. git's URL forms: an scp-like `host:path` is a URL (git never takes it
# for a local path), so it is cloned, not opened in place
T="$TMPROOT/c14"
mkdir -p "$T"
printf '127.0.0.1:nothing.git\n' >"$T/manifest"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --jobs 2
expect "$T/report" nothing status failed
case $(field "$T/report" nothing reason) in
    "not a git repository"*) problem "host:path was opened as a local path: $(field "$T/report" nothing reason)" ;;
esac
verdict "scp-like-url"

# ---------------------------------------------------------------------------
# 15. a manifest setting that is not known: the message names it whole
# (it is built before the line it points into is freed)
T="$TMPROOT/c15"
mkdir -p "$T"
repo "$T/one" "$FIXONLY" fix.py
printf '%s\n%s branch=ok colour=red-and-a-long-value-that-fills-the-line\n' "$T/one" "$T/one" >"$T/manifest"
batch "$T" "$T/manifest" --jobs 1
expect_rc 2
want="asyncmod: error: $T/manifest:2: unknown setting 'colour=red-and-a-long-value-that-fills-the-line' (expected branch=NAME or paths=A,B)"
[ "$(cat "$ERR")" = "$want" ] || problem "stderr: '$(head -n 2 "$ERR" | tr '\n' ' ')', expected '$want'"
[ "$(rev "$T/one" "asyncmod/async251")" = none ] || problem "a repository ran although the manifest is invalid"
# an earlier report with records of other shapes: only string fields count
printf '%s\n' '{"repository":null,"status":"failed"}' '{"repository":"x","status":null}' '[1]' \
    '{"repository":"'"$T/one"'","status":"failed"}' >"$T/odd-report"
printf '%s\n' "$T/one" >"$T/one.manifest"
batch "$T" "$T/one.manifest" --retry-failed "$T/odd-report" --report "$T/report" --jobs 1
expect_rc 0
expect_names "$T/report" one
verdict "manifest-errors"

# ---------------------------------------------------------------------------
# 16. a migration branch that holds someone else's commit is not replaced
# (unless --force-branch); an older migration of asyncmod's own is
T="$TMPROOT/c16"
mkdir -p "$T"
repo "$T/own" "$APP" app.py
repo "$T/theirs" "$APP" app.py
repo "$T/same-id" "$APP" app.py
printf '%s\n%s\n%s\n' "$T/own" "$T/theirs" "$T/same-id" >"$T/manifest"
batch "$T" "$T/manifest" --report "$T/r1" --jobs 2
expect_rc 1
# a reviewer adds a commit on two of the branches: by someone else, and under
# the very identity asyncmod commits as, with a message of their own
git -C "$T/theirs" checkout -q "$DEFAULT_BRANCH"
echo "# reviewed" >>"$T/theirs/app.py"
git -C "$T/theirs" -c user.name=Reviewer -c user.email=reviewer@example.invalid commit -q -am review
git -C "$T/theirs" checkout -q main
git -C "$T/same-id" checkout -q "$DEFAULT_BRANCH"
echo "# tweaked" >>"$T/same-id/app.py"
git -C "$T/same-id" commit -q -am "tweak the migration"
git -C "$T/same-id" checkout -q main
# then main moves on everywhere, so every branch is due to be rebuilt
for n in own theirs same-id; do
    put "$FIXONLY" "$T/$n/more.py"
    commit_all "$T/$n" more
done
theirs_tip=$(rev "$T/theirs" "$DEFAULT_BRANCH")
same_tip=$(rev "$T/same-id" "$DEFAULT_BRANCH")
batch "$T" "$T/manifest" --report "$T/r2" --jobs 2
expect_rc 2
expect_valid "$T/r2"
expect "$T/r2" own status changed
[ "$(rev "$T/own" "$DEFAULT_BRANCH^")" = "$(rev "$T/own" main)" ] || problem "own: the older migration was not rebuilt on main"
for n in theirs same-id; do
    expect "$T/r2" $n status failed
    expect "$T/r2" $n commit null
    expect "$T/r2" $n fixes '{}'
    case $(field "$T/r2" $n reason) in
        *"holds commits asyncmod did not make"*--force-branch*) ;;
        *) problem "$n: reason '$(field "$T/r2" $n reason)'" ;;
    esac
done
[ "$(rev "$T/theirs" "$DEFAULT_BRANCH")" = "$theirs_tip" ] || problem "theirs: the reviewer's commit was replaced"
[ "$(rev "$T/same-id" "$DEFAULT_BRANCH")" = "$same_tip" ] || problem "same-id: the hand-made commit was replaced"
grep -q "asyncmod: error: $T/theirs: .*did not make" "$ERR" || problem "no error line names theirs"
batch "$T" "$T/manifest" --report "$T/r3" --jobs 2 --force-branch
expect_rc 1
for n in own theirs same-id; do
    st=$(field "$T/r3" $n status)
    [ "$st" = changed ] || [ "$st" = unchanged ] || problem "$n with --force-branch: status $st"
    [ "$(rev "$T/$n" "$DEFAULT_BRANCH^")" = "$(rev "$T/$n" main)" ] || problem "$n: --force-branch did not rebuild the branch on main"
done
verdict "foreign-branch-kept"

# ---------------------------------------------------------------------------
# 17. --push never replaces someone else's commit on the remote branch, and
# the report says whether each push happened
T="$TMPROOT/c17"
mkdir -p "$T"
bare "$T/shared.git" "$APP" app.py
bare "$T/stale.git" "$APP" app.py
printf 'file://%s\nfile://%s\n' "$T/shared.git" "$T/stale.git" >"$T/manifest"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r1" --push --jobs 2
expect_rc 1
expect_valid "$T/r1"
for n in shared stale; do
    expect "$T/r1" $n pushed true
    expect "$T/r1" $n commit "$(rev "$T/$n.git" "$DEFAULT_BRANCH")"
done
# a colleague pushes a commit on top of the migration branch of shared.git
git clone -q "$T/shared.git" "$T/colleague"
git -C "$T/colleague" checkout -q "$DEFAULT_BRANCH"
echo "# review fix" >>"$T/colleague/app.py"
git -C "$T/colleague" -c user.name=Colleague -c user.email=colleague@example.invalid commit -q -am "review fix"
git -C "$T/colleague" push -q origin "$DEFAULT_BRANCH"
theirs=$(rev "$T/shared.git" "$DEFAULT_BRANCH")
# stale.git's main moves on: its branch is an older migration, replaced
git clone -q "$T/stale.git" "$T/upstream"
put "$FIXONLY" "$T/upstream/more.py"
commit_all "$T/upstream" more
git -C "$T/upstream" push -q origin main
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r2" --push --jobs 2
expect_rc 2
expect_valid "$T/r2"
expect "$T/r2" shared status failed
expect "$T/r2" shared pushed false
case $(field "$T/r2" shared push_reason) in
    *"holds commits asyncmod did not make"*--force-branch*) ;;
    *) problem "shared: push_reason '$(field "$T/r2" shared push_reason)'" ;;
esac
[ "$(rev "$T/shared.git" "$DEFAULT_BRANCH")" = "$theirs" ] || problem "shared: the colleague's commit was force-pushed away"
expect "$T/r2" stale status changed
expect "$T/r2" stale pushed true
expect "$T/r2" stale commit "$(rev "$T/stale.git" "$DEFAULT_BRANCH")"
[ "$(rev "$T/stale.git" "$DEFAULT_BRANCH^")" = "$(rev "$T/stale.git" main)" ] || problem "stale: the remote branch is not on the new main"
# without --push, and with --dry-run, nothing is pushed and the record says why
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r3" --jobs 2
expect "$T/r3" stale pushed false
expect "$T/r3" stale push_reason "not asked (no --push)"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r4" --push --dry-run --jobs 2
expect "$T/r4" stale pushed false
expect "$T/r4" stale push_reason "dry run"
# --force-branch replaces the colleague's commit
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r5" --push --force-branch --jobs 2
expect "$T/r5" shared pushed true
expect "$T/r5" shared commit "$(rev "$T/shared.git" "$DEFAULT_BRANCH")"
verdict "push-keeps-foreign-commits"

# ---------------------------------------------------------------------------
# 18. a worker that dies still gets a whole record
T="$TMPROOT/c18"
mkdir -p "$T"
repo "$T/fine" "$FIXONLY" fix.py
# a server that accepts and never answers: the worker waits in its clone
"$PY" -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
' "$T/port" &
srv=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$T/port" ] && break; sleep 0.1; done
printf 'http://127.0.0.1:%s/hang.git\n%s\n' "$(cat "$T/port")" "$T/fine" >"$T/manifest"
rc=0
(cd "$T" && exec "$AM" batch "$T/manifest" --workdir "$T/work" --report "$T/report" --jobs 1) >"$OUT" 2>"$ERR" &
bp=$!
kids=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
    kids=$(ps -o pid= --ppid "$bp" 2>/dev/null | tr -d ' ')
    [ -n "$kids" ] && break
    sleep 0.1
done
sleep 0.5
[ -n "$kids" ] && kill -9 $kids
wait "$bp" || rc=$?
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
if [ -z "$kids" ]; then
    problem "(setup) no worker to stop"
else
    expect_rc 2
    expect_valid "$T/report"
    expect_names "$T/report" hang fine
    expect "$T/report" hang status failed
    expect "$T/report" hang reason "the worker died"
    expect "$T/report" hang pushed false
    expect "$T/report" fine status changed
fi
verdict "worker-died-record"

# ---------------------------------------------------------------------------
# 18. the batch parent stopped while a worker hangs in a clone: TERM stops
# the workers and removes the scratch folder; after KILL the workers die
# with it (no orphan), and no half-made clone is left for a later run
T="$TMPROOT/c18"
mkdir -p "$T/scratch"
repo "$T/fine" "$FIXONLY" fix.py
"$PY" -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try:
        c, _ = s.accept()
        conns.append(c)
    except socket.timeout:
        pass
' "$T/silent-port" &
srv=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$T/silent-port" ] && break; sleep 0.1; done
port=$(cat "$T/silent-port")
printf 'http://127.0.0.1:%s/hang.git\n' "$port" >"$T/manifest"
for sig in TERM KILL; do
    (cd "$T" && TMPDIR="$T/scratch" exec "$AM" batch "$T/manifest" --workdir "$T/work" --jobs 1) >"$OUT" 2>"$ERR" &
    bp=$!
    kids=
    i=0
    while [ $i -lt 100 ]; do
        kids=$(ps -o pid= --ppid "$bp" 2>/dev/null | tr -d ' ')
        [ -n "$kids" ] && break
        sleep 0.1
        i=$((i + 1))
    done
    sleep 0.5
    kill -s "$sig" "$bp"
    wait "$bp" 2>/dev/null
    sleep 0.5
    if [ -z "$kids" ]; then
        problem "(setup) $sig: no worker started: err=$(head -c 300 "$ERR") out=$(head -c 300 "$OUT") port=$port now=$(cat "$T/silent-port") python=$(ps -eo pid,args | grep -c '[s]ocket.socket')"
    else
        for k in $kids; do
            # a zombie is dead: only a parent that never reaps (a container's
            # init) keeps it listed
            case $(ps -o stat= -p "$k" 2>/dev/null) in
                ''|Z*) ;;
                *) problem "$sig: worker $k outlived its parent"; kill -9 "$k" ;;
            esac
        done
    fi
    [ "$sig" = TERM ] && [ -n "$(ls -A "$T/scratch")" ] && problem "TERM: scratch folder left: $(ls -A "$T/scratch")"
done
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
[ -d "$T/work" ] && ls -A "$T/work" | grep -v '\.partial$' | grep -q . &&
    problem "a half-made clone was left as a repository: $(ls -A "$T/work")"
verdict "parent-stopped"

# ---------------------------------------------------------------------------
# 19. files that are no manifest or report, branch names git would refuse,
# and paths outside the repository: clear errors, nothing runs
T="$TMPROOT/c19"
mkdir -p "$T"
repo "$T/one" "$FIXONLY" fix.py
printf '%s\n' "$T/one" >"$T/one.manifest"
batch "$T" /dev/zero --jobs 1
expect_rc 2
grep -q "/dev/zero: not a regular file" "$ERR" || problem "manifest /dev/zero: $(head -n 2 "$ERR")"
batch "$T" "$T/one.manifest" --retry-failed /dev/zero --jobs 1
expect_rc 2
grep -q "/dev/zero: not a regular file" "$ERR" || problem "--retry-failed /dev/zero: $(head -n 2 "$ERR")"
for b in @ /x refs/heads/x 'a..b'; do
    printf '%s branch=%s\n' "$T/one" "$b" >"$T/bad.manifest"
    batch "$T" "$T/bad.manifest" --jobs 1
    expect_rc 2
    grep -q "bad.manifest:1: invalid branch name '$b'" "$ERR" || problem "branch=$b: $(head -n 2 "$ERR")"
done
for p in /etc ../elsewhere 'src,../../x'; do
    printf '%s paths=%s\n' "$T/one" "$p" >"$T/bad.manifest"
    batch "$T" "$T/bad.manifest" --jobs 1
    expect_rc 2
    grep -q "bad.manifest:1: paths= names a path outside the repository" "$ERR" || problem "paths=$p: $(head -n 2 "$ERR")"
done
[ "$(rev "$T/one" "asyncmod/am203")" = none ] || problem "a repository ran although the manifest is invalid"
verdict "bad-manifests-and-names"

finish
