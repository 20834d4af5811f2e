#!/bin/sh
# asyncmod batch against hostile and unlucky remotes: servers that accept a
# connection and never answer (http:// and git://, at clone, fetch and
# push), credentials in every form a URL can carry them (they are never
# shown, and never stored in a clone: grep finds them nowhere below
# --workdir, reflogs included, after a clone, a fetch and a push against a
# local smart-HTTP server that requires basic auth), and --config with a
# relative path (read in each repository).
#
# Run from a built tree:
#   ASYNCMOD=$PWD/asyncmod SRCDIR=$PWD sh tests/hostile_git.sh
. "$SRCDIR/tests/lib.sh"

HOME="$TMPROOT/home"
XDG_CONFIG_HOME="$HOME/.config"
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
GIT_CEILING_DIRECTORIES=$TMPROOT
GIT_TERMINAL_PROMPT=0
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES \
    GIT_TERMINAL_PROMPT
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_NAMESPACE \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL EMAIL NO_COLOR
mkdir -p "$XDG_CONFIG_HOME"
printf '[user]\n\tname = Asyncmod Tester\n\temail = tester@example.invalid\n[init]\n\tdefaultBranch = main\n' \
    >"$HOME/.gitconfig"
PY=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')
OUT="$TMPROOT/out"
ERR="$TMPROOT/err"
PROB="$TMPROOT/problems"
: >"$PROB"
FIXONLY="$TMPROOT/fixonly.py"                      # 1 fixable finding (AM203), nothing else
printf 'import asyncio\n\n\nasync def handler():\n    try:\n        await asyncio.sleep(0)\n    except asyncio.TimeoutError:\n        pass\n' \
    >"$FIXONLY"

problem() { echo "$*" >>"$PROB"; }
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

# repo DIR [SRC DEST]...: a repository on main with these files in one commit.
repo() {
    rdir=$1
    shift
    git init -q "$rdir"
    while [ $# -ge 2 ]; do mkdir -p "$(dirname "$rdir/$2")" && cat "$1" >"$rdir/$2"; shift 2; done
    git -C "$rdir" add -A && git -C "$rdir" commit -q -m init
}
# bare NAME.git SRC DEST...: a bare repository whose main holds these files.
bare() {
    bdir=$1
    shift
    repo "$bdir.seed" "$@"
    git clone -q --bare "$bdir.seed" "$bdir"
    rm -rf "$bdir.seed"
}

# batch DIR ARGS...: runs `asyncmod batch` in DIR; $rc, $secs, $OUT, $ERR.
batch() {
    [ -n "${HG_TRACE:-}" ] && echo "batch $*" >&2
    bdir=$1
    shift
    rc=0
    t0=$(date +%s)
    (cd "$bdir" && exec "$ASYNCMOD" batch "$@") >"$OUT" 2>"$ERR" || rc=$?
    secs=$(($(date +%s) - t0))
    [ -n "${HG_TRACE:-}" ] && echo "  took $secs s" >&2
}
expect_rc() {
    [ "$rc" = "$1" ] || problem "exit status $rc, expected $1 (stderr: $(head -n 3 "$ERR" | tr '\n' ' '))"
}
# field REPORT N KEY: KEY of the N-th record (1-based), as text.
field() {
    "$PY" -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]) - 1]
v = r[sys.argv[3]]
print("null" if v is None else v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$@" 2>&1
}
expect() {
    got=$(field "$1" "$2" "$3")
    [ "$got" = "$4" ] || problem "record $2: $3 is '$got', expected '$4'"
}
# keys REPORT: every record has exactly the documented keys.
keys() {
    "$PY" -c 'import json, sys
want = {"repository", "status", "reason", "files_changed", "fixes", "findings_left",
        "file_errors", "branch", "commit", "pushed", "push_reason", "errors"}
for n, l in enumerate(open(sys.argv[1]), 1):
    got = set(json.loads(l))
    if got != want:
        print("record %d: keys %s" % (n, sorted(got ^ want)))' "$1" >"$1.keys" 2>&1
    [ -s "$1.keys" ] && problem "report keys: $(head -n 2 "$1.keys" | tr '\n' ' ')"
}
# leaks WHAT FILE...: none of the secrets in $SECRETS occurs in the files.
leaks() {
    what=$1
    shift
    for s in $SECRETS; do
        if grep -r -l -F -e "$s" "$@" >"$TMPROOT/leak" 2>/dev/null; then
            problem "$what: '$s' found in $(head -n 3 "$TMPROOT/leak" | tr '\n' ' ')"
        fi
        # file and folder names too
        for d in "$@"; do
            [ -d "$d" ] && find "$d" -name "*$s*" | head -n 1 | grep -q . &&
                problem "$what: '$s' in a file name below $d"
        done
    done
}

# A server that accepts connections and never answers: silent PORTFILE [PORT].
cat >"$TMPROOT/silent.py" <<'EOF'
import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
for _ in range(50):
    try:
        s.bind(("127.0.0.1", port))
        break
    except OSError:
        time.sleep(0.1)
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
s.settimeout(1)
end = time.time() + 90
while time.time() < end:
    try:
        conns.append(s.accept()[0])
    except socket.timeout:
        pass
EOF
# wait_port FILE: waits (at most 5 s) until a server wrote its port.
wait_port() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    cat "$1" 2>/dev/null
}
SERVERS=
stop_servers() {
    for p in $SERVERS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    SERVERS=
}
trap 'stop_servers; rm -rf "$TMPROOT"' EXIT

# ---------------------------------------------------------------------------
# 1. clone from a server that never answers: http:// and git://, each fails
# within --git-timeout with its own reason; the others still run; no
# folder is left for the failed clones
T="$TMPROOT/c1"
mkdir -p "$T"
"$PY" "$TMPROOT/silent.py" "$T/port" & SERVERS="$SERVERS $!"
port=$(wait_port "$T/port")
repo "$T/local" "$FIXONLY" fix.py
bare "$T/good.git" "$FIXONLY" fix.py
cat >"$T/manifest" <<EOF
http://127.0.0.1:$port/silent-http.git
git://127.0.0.1:$port/silent-git.git
$T/local
https://user:s3cret-pw@127.0.0.1:$port/silent-creds.git
file://$T/good.git
EOF
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --git-timeout 2 --jobs 2
expect_rc 2
[ "$secs" -le 20 ] || problem "the run took $secs s with --git-timeout 2"
keys "$T/report"
for n in 1 2 4; do
    expect "$T/report" $n status failed
    expect "$T/report" $n reason "clone timed out: no answer from the server in 2 s (--git-timeout)"
done
expect "$T/report" 3 status changed
expect "$T/report" 5 status changed
grep -q "^http://127.0.0.1:$port/silent-http.git  *failed .*clone timed out" "$OUT" ||
    problem "no table row says the http clone timed out: $(head -n 3 "$OUT" | tr '\n' ' ')"
ls -A "$T/work" | LC_ALL=C sort | tr '\n' ' ' >"$T/listing"
grep -qx 'good-[0-9a-f]\{8\} ' "$T/listing" || problem "the workdir holds '$(cat "$T/listing")', expected the one good clone"
SECRETS=s3cret-pw
leaks "timeout" "$OUT" "$ERR" "$T/report" "$T/work"
verdict "clone-timeout"

# ---------------------------------------------------------------------------
# 2. a push to a server that never answers fails within the timeout; the
# migration commit stays on its local branch
T="$TMPROOT/c2"
mkdir -p "$T"
repo "$T/pusher" "$FIXONLY" fix.py
git -C "$T/pusher" remote add origin "git://127.0.0.1:$port/nowhere.git"
repo "$T/other" "$FIXONLY" fix.py
printf '%s\n%s\n' "$T/pusher" "$T/other" >"$T/manifest"
batch "$T" "$T/manifest" --report "$T/report" --push --git-timeout 2 --jobs 2
expect_rc 2
[ "$secs" -le 20 ] || problem "the run took $secs s with --git-timeout 2"
expect "$T/report" 1 status failed
expect "$T/report" 1 pushed false
expect "$T/report" 1 push_reason "push timed out: no answer from the server in 2 s (--git-timeout)"
git -C "$T/pusher" rev-parse -q --verify asyncmod/am203 >/dev/null || problem "the local branch was not kept"
expect "$T/report" 2 status failed      # no origin at all: its own reason
case $(field "$T/report" 2 reason) in
    "no remote 'origin' to push to"*) ;;
    *) problem "other: reason '$(field "$T/report" 2 reason)'" ;;
esac
verdict "push-timeout"
stop_servers

# ---------------------------------------------------------------------------
# 3. --git-timeout values: whole seconds, 0 for no limit
T="$TMPROOT/c3"
mkdir -p "$T"
repo "$T/one" "$FIXONLY" fix.py
printf '%s\n' "$T/one" >"$T/manifest"
for v in -1 1.5 x 86401 ''; do
    batch "$T" "$T/manifest" --git-timeout "$v"
    expect_rc 2
    grep -q "invalid --git-timeout '$v'" "$ERR" || problem "--git-timeout '$v': $(head -n 2 "$ERR")"
done
batch "$T" "$T/manifest" --git-timeout=0 --report "$T/report"
expect_rc 0
expect "$T/report" 1 status changed
verdict "git-timeout-values"

# ---------------------------------------------------------------------------
# 4. credentials against a smart-HTTP server that requires basic auth:
# clone, fetch and push work with the URL's credentials (raw, with `/` and
# `@` in the password; percent-encoded; a lone token), and no byte of them
# is stored in the clone or shown; a redirect to another server name does
# not get them
T="$TMPROOT/c4"
mkdir -p "$T/srv"
for n in raw enc token refused anon moved; do bare "$T/srv/$n.git" "$FIXONLY" fix.py; done
"$PY" "$SRCDIR/tests/git_http_auth.py" "$T/srv" "$T/port" 'alice:pa/ss@w0rd' \
    'tok3n-0123456789abcdef:' 2>"$T/server.log" &
auth=$!
SERVERS="$SERVERS $auth"
hp=$(wait_port "$T/port")
cat >"$T/manifest" <<EOF
http://alice:pa/ss@w0rd@127.0.0.1:$hp/raw.git
http://alice:pa%2Fss%40w0rd@127.0.0.1:$hp/enc.git
http://tok3n-0123456789abcdef@127.0.0.1:$hp/token.git
http://alice:wr0ng-pa/ss@127.0.0.1:$hp/refused.git
http://127.0.0.1:$hp/anon.git
http://alice:pa/ss@w0rd@127.0.0.1:$hp/moved/moved.git
EOF
SECRETS="w0rd pa%2Fss alice tok3n-0123456789abcdef wr0ng-pa"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r1" --push --git-timeout 20 --jobs 2
expect_rc 2
keys "$T/r1"
for n in 1 2 3; do
    expect "$T/r1" $n status changed
    expect "$T/r1" $n pushed true
done
for n in raw enc token; do
    git -C "$T/srv/$n.git" rev-parse -q --verify asyncmod/am203 >/dev/null || problem "$n: the branch did not reach the server"
done
expect "$T/r1" 4 status failed
expect "$T/r1" 4 reason "clone failed: the server refused the credentials in the URL"
expect "$T/r1" 5 status failed
# a redirect to another server name: the credentials are not given to it
expect "$T/r1" 6 status failed
case $(field "$T/r1" 6 reason) in
    "clone failed: the server sent to another server"*) ;;
    *) problem "moved: reason '$(field "$T/r1" 6 reason)'" ;;
esac
grep -q "^GET /moved.git/info/refs?service=git-upload-pack 401 -$" "$T/server.log" ||
    problem "moved: the redirect was not followed: $(grep moved "$T/server.log" | head -n 3 | tr '\n' ' ')"
grep -q "moved.git.* alice$" "$T/server.log" && problem "moved: the credentials went to the other server name"
expect "$T/r1" 1 repository "http://***@127.0.0.1:$hp/raw.git"
expect "$T/r1" 3 repository "http://***@127.0.0.1:$hp/token.git"
grep -q "^POST /raw.git/git-receive-pack 200 alice$" "$T/server.log" || problem "raw: no authenticated push in the server's log"
grep -q "^POST /token.git/git-upload-pack 200 tok3n-0123456789abcdef$" "$T/server.log" ||
    problem "token: no authenticated fetch in the server's log"
# every place git keeps a URL exists, so the search below means something
for f in .git/config .git/logs/HEAD .git/logs/refs/heads/main .git/logs/refs/remotes/origin/asyncmod/am203; do
    set -- "$T"/work/raw-*/$f
    [ -f "$1" ] || problem "raw: no $f in the clone"
done
grep -q "url = http://127.0.0.1:$hp/raw.git" "$T"/work/raw-*/.git/config || problem "raw: origin is not the clean URL"
leaks "first run" "$OUT" "$ERR" "$T/r1" "$T/work"
# the second run fetches into the clones and pushes again
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r2" --push --git-timeout 20 --jobs 2
expect_rc 2
for n in 1 2 3; do
    expect "$T/r2" $n status unchanged
    expect "$T/r2" $n pushed true
done
leaks "second run" "$OUT" "$ERR" "$T/r2" "$T/work"
verdict "credentials-never-stored"

# ---------------------------------------------------------------------------
# 5. a fetch from a server that stopped answering: the earlier clone is
# kept, the repository fails within the timeout
kill "$auth" 2>/dev/null
wait "$auth" 2>/dev/null
"$PY" "$TMPROOT/silent.py" "$T/port2" "$hp" & SERVERS="$SERVERS $!"
wait_port "$T/port2" >/dev/null
head -n 1 "$T/manifest" >"$T/one.manifest"
batch "$T" "$T/one.manifest" --workdir "$T/work" --report "$T/r3" --git-timeout 2 --jobs 1
expect_rc 2
[ "$secs" -le 20 ] || problem "the run took $secs s with --git-timeout 2"
expect "$T/r3" 1 status failed
expect "$T/r3" 1 reason "fetch timed out: no answer from the server in 2 s (--git-timeout)"
set -- "$T"/work/raw-*
[ -d "$1/.git" ] || problem "the earlier clone is gone"
leaks "fetch timeout" "$OUT" "$ERR" "$T/r3" "$T/work"
verdict "fetch-timeout"
stop_servers

# ---------------------------------------------------------------------------
# 6. every form of credentials is hidden in the table, the report, the
# reasons and the folder names; a file:// URL with credentials clones
# without them; a local repository's own origin is hidden in messages
T="$TMPROOT/c6"
mkdir -p "$T"
bare "$T/plain.git" "$FIXONLY" fix.py
cat >"$T/manifest" <<EOF
https://user:pa/s3cret@127.0.0.1:9/a.git
https://user:pa@s3cret@127.0.0.1:9/b.git
user:s3cret@127.0.0.1:c.git
ssh://user:s3cret@127.0.0.1:9/d.git
https://%73%33cret-t0ken@127.0.0.1:9/e.git
https://s3cret-only-token@127.0.0.1:9
file://user:s3cret@$T/plain.git
EOF
SECRETS="s3cret %73%33cret user:"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --git-timeout 10 --jobs 2
expect_rc 2
keys "$T/report"
for n in 1 2 3 4 5 6; do expect "$T/report" $n status failed; done
expect "$T/report" 1 repository "https://***@127.0.0.1:9/a.git"
expect "$T/report" 2 repository "https://***@127.0.0.1:9/b.git"
expect "$T/report" 3 repository "***@127.0.0.1:c.git"
expect "$T/report" 4 repository "ssh://***@127.0.0.1:9/d.git"
expect "$T/report" 5 repository "https://***@127.0.0.1:9/e.git"
expect "$T/report" 7 status changed
leaks "display" "$OUT" "$ERR" "$T/report" "$T/work"
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/r2" --retry-failed "$T/report" --git-timeout 10 --jobs 2
expect "$T/r2" 1 repository "https://***@127.0.0.1:9/a.git"
leaks "retry" "$OUT" "$ERR" "$T/r2"
# a local repository whose own origin holds credentials (libgit2 names
# the URL in its message: it is hidden there too)
repo "$T/local" "$FIXONLY" fix.py
git -C "$T/local" remote add origin "http://bob:l0cal/s3cret@127.0.0.1:9/x.git"
printf '%s\n' "$T/local" >"$T/local.manifest"
batch "$T" "$T/local.manifest" --report "$T/r3" --push --git-timeout 10 --jobs 1
expect "$T/r3" 1 status failed
case $(field "$T/r3" 1 push_reason) in
    "push failed: "*"http://***@127.0.0.1:9/x.git"*) ;;
    *) problem "local origin: push_reason '$(field "$T/r3" 1 push_reason)'" ;;
esac
leaks "local origin" "$OUT" "$ERR" "$T/r3"
verdict "credentials-hidden-every-form"

# ---------------------------------------------------------------------------
# 7. --config RELATIVE is read in each repository (not once, from the
# current folder); an absolute one is the same file for all
T="$TMPROOT/c7"
mkdir -p "$T/cwd/ci" "$T/cfg"
printf '[tool.asyncmod]\nselect = ["AM203"]\n' >"$T/cfg/am203.toml"
printf '[tool.asyncmod]\nselect = ["ASYNC251"]\n' >"$T/cfg/async251.toml"
cp "$T/cfg/async251.toml" "$T/cwd/ci/am.toml"
repo "$T/fixes" "$FIXONLY" fix.py "$T/cfg/am203.toml" ci/am.toml
repo "$T/keeps" "$FIXONLY" fix.py "$T/cfg/async251.toml" ci/am.toml
repo "$T/lacks" "$FIXONLY" fix.py
bare "$T/cloned.git" "$FIXONLY" fix.py "$T/cfg/am203.toml" ci/am.toml
printf '%s\n%s\n%s\nfile://%s\n' "$T/fixes" "$T/keeps" "$T/lacks" "$T/cloned.git" >"$T/manifest"
batch "$T/cwd" "$T/manifest" --workdir "$T/work" --report "$T/r1" --config ci/am.toml --jobs 2
expect_rc 2
expect "$T/r1" 1 status changed
expect "$T/r1" 1 fixes '{"AM203": 1}'
expect "$T/r1" 2 status unchanged
expect "$T/r1" 3 status failed
case $(field "$T/r1" 3 reason) in
    *ci/am.toml*) ;;
    *) problem "lacks: reason '$(field "$T/r1" 3 reason)' does not name ci/am.toml" ;;
esac
expect "$T/r1" 4 status changed
printf '%s\n%s\n' "$T/keeps" "$T/lacks" >"$T/two.manifest"
batch "$T/cwd" "$T/two.manifest" --report "$T/r2" --config "$T/cfg/am203.toml" --jobs 2
expect_rc 0
expect "$T/r2" 1 status changed
expect "$T/r2" 2 status changed
expect "$T/r2" 2 fixes '{"AM203": 1}'
verdict "config-per-repository"

# ---------------------------------------------------------------------------
# 8. lines that name one repository (a URL with other credentials or none,
# a path written twice) take turns in its folder: one migrates it, the
# others find it migrated
T="$TMPROOT/c8"
mkdir -p "$T"
bare "$T/same.git" "$FIXONLY" fix.py
repo "$T/loc" "$FIXONLY" fix.py
cat >"$T/manifest" <<EOF
file://one:s3cret@$T/same.git
file://two:s3cret@$T/same.git
file://$T/same.git
$T/loc
$T/./loc
EOF
batch "$T" "$T/manifest" --workdir "$T/work" --report "$T/report" --jobs 4
expect_rc 0
"$PY" -c 'import json, sys
st = [json.loads(l)["status"] for l in open(sys.argv[1])]
print(" ".join(sorted(st[:3])), "/", " ".join(sorted(st[3:])))' "$T/report" >"$T/statuses" 2>&1
[ "$(cat "$T/statuses")" = "changed unchanged unchanged / changed unchanged" ] ||
    problem "statuses: $(cat "$T/statuses")"
ls -A "$T/work" | grep -c . | grep -qx 1 || problem "the workdir holds $(ls -A "$T/work" | tr '\n' ' ')"
verdict "same-repository-takes-turns"

finish
