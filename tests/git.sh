#!/bin/sh
# Git integration: the default file list inside a work tree, --changed-since,
# and --commit (on a new branch, --in-place, --allow-dirty, --force-branch).
# Every case builds its own repository under $TMPROOT.
#
# The driver does not depend on the user's git settings: HOME is an empty
# folder (libgit2 reads $HOME/.gitconfig and the XDG file), git's global and
# system files are switched off, and each repository sets its own identity.
. "$SRCDIR/tests/lib.sh"

HOME="$TMPROOT/home"
XDG_CONFIG_HOME="$HOME/.config"
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
GIT_OPTIONAL_LOCKS=0            # `git status` must not rewrite the index
GIT_CEILING_DIRECTORIES=$TMPROOT
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_OPTIONAL_LOCKS \
    GIT_CEILING_DIRECTORIES
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_NAMESPACE \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE EMAIL NO_COLOR
mkdir -p "$XDG_CONFIG_HOME"

# One copy of the binary for the whole run, so that a rebuild meanwhile
# cannot change it between two steps of a case.
mkdir -p "$TMPROOT/bin"
cp "$ASYNCMOD" "$TMPROOT/bin/asyncmod"
PATH="$TMPROOT/bin:$PATH"
export PATH

APP="$SRCDIR/fixtures/cli-trees/app/app.py"        # 4 fixable findings, 1 report-only
CLEAN="$SRCDIR/fixtures/cli-trees/app/clean.py"    # no finding
NAME="Asyncmod Tester"
MAIL="tester@example.invalid"
DEFAULT_BRANCH="asyncmod/am105-am203-async300"
# app.py keeps its report-only finding, so a successful --fix (with or
# without --commit) exits 1: findings remain.
OUT="$TMPROOT/out"
ERR="$TMPROOT/err"

# mkrepo DIR: a fresh repository on branch main with its own identity.
mkrepo() {
    git -c init.defaultBranch=main init -q "$1" &&
        git -C "$1" config user.name "$NAME" &&
        git -C "$1" config user.email "$MAIL"
}

# put FILE DEST: copies a fixture as a plain writable file.
put() { mkdir -p "$(dirname "$2")" && cat "$1" >"$2"; }

commit_all() { git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }

# am DIR ARGS...: runs asyncmod in DIR; sets $rc, output in $OUT and $ERR.
am() {
    amdir=$1
    shift
    rc=0
    (cd "$amdir" && exec asyncmod "$@") >"$OUT" 2>"$ERR" || rc=$?
}

# The files named by findings in $OUT (text or concise output), sorted.
reported() { sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: .*/\1/p' "$OUT" | LC_ALL=C sort -u; }


# fixed SRC DEST: what `asyncmod check --fix` makes of SRC, outside any repository.
fixed() {
    fxdir="$TMPROOT/fx.$$"
    rm -rf "$fxdir" && mkdir -p "$fxdir" && cat "$1" >"$fxdir/f.py"
    (cd "$fxdir" && asyncmod check --fix -q --isolated f.py) >/dev/null 2>&1
    cp "$fxdir/f.py" "$2"
    rm -rf "$fxdir"
}

# has_count FILE CODE N: a line of FILE names CODE with the count N.
has_count() {
    awk -v code="$2" -v n="$3" '
        { c = 0; k = 0
          for (i = 1; i <= NF; i++) { w = $i; gsub(/[^A-Za-z0-9]/, "", w)
                                      if (w == code) c = 1; else if (w == n) k = 1 } }
        c && k { found = 1 }
        END { exit !found }' "$1"
}

# ---------------------------------------------------------------------------
# 1. selection: tracked + untracked-not-ignored, from the top and a subfolder
r="$TMPROOT/sel"
mkrepo "$r"
put "$APP" "$r/tracked.py"
put "$APP" "$r/sub/inner.py"
put "$APP" "$r/build/kept.py"
printf 'ignored*.py\nbuild/\n' >"$r/.gitignore"
echo "not python" >"$r/README"
git -C "$r" add tracked.py sub/inner.py .gitignore README
git -C "$r" add -f build/kept.py       # tracked although its folder is ignored
git -C "$r" commit -q -m init
put "$APP" "$r/untracked.py"
put "$APP" "$r/sub/new.py"
put "$APP" "$r/ignored_one.py"
put "$APP" "$r/build/scratch.py"
put "$APP" "$r/.hidden/h.py"            # hidden folder: skipped, as a walk of "." skips it
am "$r" check -q
printf 'build/kept.py\nsub/inner.py\nsub/new.py\ntracked.py\nuntracked.py\n' >"$TMPROOT/want"
reported >"$TMPROOT/got"
if [ "$rc" != 1 ]; then
    fail "selection: exit status $rc, expected 1" "$(head -n 5 "$ERR")"
elif ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "selection: files checked" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")"
else
    pass "selection"
fi
am "$r/sub" check -q
printf 'inner.py\nnew.py\n' >"$TMPROOT/want"
reported >"$TMPROOT/got"
if [ "$rc" != 1 ]; then
    fail "selection-subfolder: exit status $rc, expected 1" "$(head -n 5 "$ERR")"
elif ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "selection-subfolder: files checked" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")"
else
    pass "selection-subfolder"
fi

# ---------------------------------------------------------------------------
# 2. --changed-since
r="$TMPROOT/changed"
mkrepo "$r"
put "$APP" "$r/a.py"
put "$APP" "$r/b.py"
commit_all "$r" one
echo "x = 1" >>"$r/b.py"
put "$APP" "$r/c.py"
am "$r" check -q --changed-since HEAD
printf 'b.py\nc.py\n' >"$TMPROOT/want"
reported >"$TMPROOT/got"
if [ "$rc" != 1 ] || ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "changed-since-worktree: exit $rc" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")" \
        "$(head -n 3 "$ERR")"
else
    pass "changed-since-worktree"
fi
commit_all "$r" two
am "$r" check -q --changed-since HEAD~1
reported >"$TMPROOT/got"
if [ "$rc" != 1 ] || ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "changed-since-commit: exit $rc" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")" \
        "$(head -n 3 "$ERR")"
else
    am "$r" check -q --changed-since HEAD
    if [ "$rc" != 0 ] || [ -s "$OUT" ]; then
        fail "changed-since-commit: nothing changed since HEAD, yet exit $rc" "$(head -n 5 "$OUT")"
    else
        pass "changed-since-commit"
    fi
fi
am "$r" check -q --changed-since no-such-revision
if [ "$rc" != 2 ] || ! grep -q 'no-such-revision\|--changed-since' "$ERR"; then
    fail "changed-since-bad-revision: exit $rc, expected 2 and a message" "$(head -n 3 "$ERR")"
else
    pass "changed-since-bad-revision"
fi

# ---------------------------------------------------------------------------
# 3. --commit: a new branch on HEAD, the user's state untouched
r="$TMPROOT/commit"
mkrepo "$r"
put "$APP" "$r/app.py"
put "$APP" "$r/pkg/mod.py"
put "$CLEAN" "$r/clean.py"
commit_all "$r" init
put "$APP" "$r/untracked.py"            # not tracked: not part of the commit
head=$(git -C "$r" rev-parse HEAD)
(cd "$r" && asyncmod check --diff app.py pkg/mod.py clean.py) >"$TMPROOT/commit.diff" 2>/dev/null
state "$r" >"$TMPROOT/before"
am "$r" check --fix --commit
state "$r" >"$TMPROOT/after"
git -C "$r" log -1 --format=%B "$DEFAULT_BRANCH" >"$TMPROOT/msg" 2>/dev/null
problems=""
[ "$rc" = 1 ] || problems="$problems; exit status $rc, expected 1 ($(head -n 2 "$ERR"))"
if ! git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH" >/dev/null; then
    problems="$problems; no branch $DEFAULT_BRANCH ($(git -C "$r" branch --format='%(refname:short)' | tr '\n' ' '))"
else
    [ "$(git -C "$r" rev-parse "$DEFAULT_BRANCH^@")" = "$head" ] ||
        problems="$problems; the commit's parent is not the old HEAD"
    rm -rf "$TMPROOT/commit.clone"
    git clone -q "$r" "$TMPROOT/commit.clone" &&
        (cd "$TMPROOT/commit.clone" && git apply "$TMPROOT/commit.diff" && git add -A &&
            git diff --cached --quiet "origin/$DEFAULT_BRANCH") ||
        problems="$problems; HEAD + the --diff output differs from the branch: $(git -C "$TMPROOT/commit.clone" diff --cached --stat "origin/$DEFAULT_BRANCH" | tail -n 1)"
    for cc in "AM105 2" "AM203 2" "ASYNC300 2"; do
        has_count "$TMPROOT/msg" $cc || problems="$problems; the message lacks '$cc'"
    done
    who=$(git -C "$r" log -1 --format='%an <%ae>|%cn <%ce>' "$DEFAULT_BRANCH")
    [ "$who" = "$NAME <$MAIL>|$NAME <$MAIL>" ] || problems="$problems; author/committer '$who'"
    grep -q "$DEFAULT_BRANCH" "$OUT" || problems="$problems; stdout does not name the branch"
fi
cmp -s "$TMPROOT/before" "$TMPROOT/after" ||
    problems="$problems; the user's HEAD/branch/index/work tree changed: $(diff "$TMPROOT/before" "$TMPROOT/after" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
if [ -n "$problems" ]; then
    fail "commit-new-branch" "${problems#; }"
else
    pass "commit-new-branch"
fi
refs "$r" >"$TMPROOT/refs"
am "$r" check --fix --commit --branch feature/fixes --message "Custom message"
problems=""
[ "$rc" = 1 ] || problems="$problems; exit status $rc, expected 1 ($(head -n 2 "$ERR"))"
if git -C "$r" rev-parse -q --verify refs/heads/feature/fixes >/dev/null; then
    [ "$(git -C "$r" log -1 --format=%B feature/fixes)" = "Custom message" ] ||
        problems="$problems; message '$(git -C "$r" log -1 --format=%B feature/fixes | head -n 1)'"
    [ "$(git -C "$r" rev-parse feature/fixes^@)" = "$head" ] || problems="$problems; wrong parent"
else
    problems="$problems; no branch feature/fixes"
fi
[ "$(git -C "$r" rev-parse "$DEFAULT_BRANCH")" = "$(sed -n "s#^refs/heads/$DEFAULT_BRANCH ##p" "$TMPROOT/refs")" ] ||
    problems="$problems; the earlier branch moved"
if [ -n "$problems" ]; then
    fail "commit-branch-and-message" "${problems#; }"
else
    pass "commit-branch-and-message"
fi
# from a subfolder the commit still changes the files where they are
r="$TMPROOT/commit-sub"
mkrepo "$r"
put "$APP" "$r/pkg/mod.py"
put "$CLEAN" "$r/top.py"
commit_all "$r" init
fixed "$APP" "$TMPROOT/commit-sub.want"
am "$r/pkg" check --fix --commit
git -C "$r" show "$DEFAULT_BRANCH:pkg/mod.py" >"$TMPROOT/commit-sub.got" 2>/dev/null
changed=$(git -C "$r" diff --name-only HEAD "$DEFAULT_BRANCH" 2>/dev/null | tr '\n' ' ')
if [ "$rc" != 1 ]; then
    fail "commit-subfolder: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif [ "$changed" != "pkg/mod.py " ] || ! cmp -s "$TMPROOT/commit-sub.want" "$TMPROOT/commit-sub.got"; then
    fail "commit-subfolder: the commit changes '$changed', expected pkg/mod.py fixed"
else
    pass "commit-subfolder"
fi
# the commit holds what --fix writes, byte for byte: a UTF-8 BOM stays
r="$TMPROOT/commit-bom"
mkrepo "$r"
{ printf '\357\273\277'; cat "$APP"; } >"$r/bom.py"
commit_all "$r" init
cp "$r/bom.py" "$TMPROOT/bom.orig"
fixed "$TMPROOT/bom.orig" "$TMPROOT/bom.want"
am "$r" check --fix --commit
git -C "$r" show "$DEFAULT_BRANCH:bom.py" >"$TMPROOT/bom.got" 2>/dev/null
if [ "$rc" != 1 ]; then
    fail "commit-bom: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif ! cmp -s "$TMPROOT/bom.want" "$TMPROOT/bom.got"; then
    fail "commit-bom: the committed bom.py is not what --fix writes" \
        "first bytes committed: $(head -c 6 "$TMPROOT/bom.got" | od -An -c | tr -s ' ')" \
        "first bytes --fix:     $(head -c 6 "$TMPROOT/bom.want" | od -An -c | tr -s ' ')"
else
    pass "commit-bom"
fi

# ---------------------------------------------------------------------------
# 4. hooks never run
r="$TMPROOT/hooks"
mkrepo "$r"
put "$APP" "$r/app.py"
commit_all "$r" init
marks="$TMPROOT/hook-marks"
mkdir -p "$marks"
for h in pre-commit prepare-commit-msg commit-msg post-commit reference-transaction \
    post-index-change post-checkout post-rewrite; do
    printf '#!/bin/sh\ntouch "%s/%s"\n' "$marks" "$h" >"$r/.git/hooks/$h"
    chmod +x "$r/.git/hooks/$h"
done
am "$r" check --fix --commit
rc1=$rc
am "$r" check --fix --commit --in-place
rc2=$rc
ran=$(ls "$marks")
git -C "$r" commit -q --allow-empty -m "hook probe" >/dev/null 2>&1   # git itself runs them
if [ "$rc1" != 1 ] || [ "$rc2" != 1 ]; then
    fail "hooks-not-run: exit status $rc1 (--commit), $rc2 (--in-place), expected 1" "$(head -n 3 "$ERR")"
elif [ -n "$ran" ]; then
    fail "hooks-not-run: hooks ran: $(echo "$ran" | tr "\n" " ")"
elif [ ! -e "$marks/pre-commit" ]; then
    fail "hooks-not-run: the probe hooks do not work (test setup)"
else
    pass "hooks-not-run"
fi

# ---------------------------------------------------------------------------
# 5. uncommitted changes to a file to change: refused unless --allow-dirty
r="$TMPROOT/dirty"
mkrepo "$r"
put "$APP" "$r/app.py"
put "$CLEAN" "$r/clean.py"
commit_all "$r" init
echo "user_edit = 1" >>"$r/app.py"
cp "$r/app.py" "$TMPROOT/dirty.user"
state "$r" >"$TMPROOT/before"
refs "$r" >"$TMPROOT/refs.before"
am "$r" check --fix --commit
state "$r" >"$TMPROOT/after"
refs "$r" >"$TMPROOT/refs.after"
if [ "$rc" != 2 ]; then
    fail "dirty-refused: exit status $rc, expected 2" "$(head -n 3 "$ERR")"
elif ! grep -q 'app\.py' "$ERR"; then
    fail "dirty-refused: the message does not name app.py" "$(head -n 3 "$ERR")"
elif ! cmp -s "$TMPROOT/refs.before" "$TMPROOT/refs.after"; then
    fail "dirty-refused: refs changed" "$(show_diff "$TMPROOT/refs.before" "$TMPROOT/refs.after")"
elif ! cmp -s "$TMPROOT/before" "$TMPROOT/after"; then
    fail "dirty-refused: the user's state changed" "$(show_diff "$TMPROOT/before" "$TMPROOT/after")"
else
    pass "dirty-refused"
fi
am "$r" check --fix --commit --allow-dirty
state "$r" >"$TMPROOT/after"
fixed "$APP" "$TMPROOT/dirty.want"
git -C "$r" show "$DEFAULT_BRANCH:app.py" >"$TMPROOT/dirty.got" 2>/dev/null
if [ "$rc" != 1 ]; then
    fail "dirty-allowed: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif ! git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH" >/dev/null; then
    fail "dirty-allowed: no branch $DEFAULT_BRANCH"
elif ! cmp -s "$TMPROOT/dirty.want" "$TMPROOT/dirty.got"; then
    fail "dirty-allowed: the branch's app.py is not HEAD's content fixed" \
        "$(show_diff "$TMPROOT/dirty.want" "$TMPROOT/dirty.got")"
elif ! cmp -s "$r/app.py" "$TMPROOT/dirty.user" || ! cmp -s "$TMPROOT/before" "$TMPROOT/after"; then
    fail "dirty-allowed: the user's modification or state changed" \
        "$(show_diff "$TMPROOT/before" "$TMPROOT/after")"
else
    pass "dirty-allowed"
fi
# a local change to a file that no fix touches is no reason to refuse
r="$TMPROOT/dirty-other"
mkrepo "$r"
put "$APP" "$r/app.py"
put "$CLEAN" "$r/clean.py"
commit_all "$r" init
echo "# local note" >>"$r/clean.py"
am "$r" check --fix --commit
if [ "$rc" != 1 ] || ! git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH" >/dev/null; then
    fail "dirty-untouched-file: exit status $rc, expected 1 and a branch" "$(head -n 3 "$ERR")"
else
    pass "dirty-untouched-file"
fi

# ---------------------------------------------------------------------------
# 6. --in-place: one commit on the current branch, work tree and index match
r="$TMPROOT/inplace"
mkrepo "$r"
put "$APP" "$r/app.py"
put "$APP" "$r/pkg/mod.py"
put "$CLEAN" "$r/clean.py"
commit_all "$r" init
put "$APP" "$r/untracked.py"
cp "$r/untracked.py" "$TMPROOT/inplace.untracked"
head=$(git -C "$r" rev-parse HEAD)
refs "$r" | grep -v '^refs/heads/main ' >"$TMPROOT/refs.before"
am "$r" check --fix --commit --in-place
refs "$r" | grep -v '^refs/heads/main ' >"$TMPROOT/refs.after"
fixed "$APP" "$TMPROOT/inplace.want"
problems=""
[ "$rc" = 1 ] || problems="$problems; exit status $rc, expected 1 ($(head -n 2 "$ERR"))"
[ "$(git -C "$r" symbolic-ref -q HEAD)" = refs/heads/main ] || problems="$problems; not on main any more"
[ "$(git -C "$r" rev-parse -q --verify HEAD^@)" = "$head" ] ||
    problems="$problems; HEAD is not one commit on top of the old HEAD"
[ -z "$(git -C "$r" status --porcelain -uno)" ] ||
    problems="$problems; status not clean: $(git -C "$r" status --porcelain -uno | tr '\n' ' ')"
git -C "$r" diff --quiet HEAD -- || problems="$problems; the work tree differs from HEAD"
git -C "$r" diff --cached --quiet HEAD -- || problems="$problems; the index differs from HEAD"
cmp -s "$r/app.py" "$TMPROOT/inplace.want" || problems="$problems; app.py is not fixed"
cmp -s "$r/pkg/mod.py" "$TMPROOT/inplace.want" || problems="$problems; pkg/mod.py is not fixed"
cmp -s "$r/untracked.py" "$TMPROOT/inplace.untracked" || problems="$problems; the untracked file changed"
cmp -s "$TMPROOT/refs.before" "$TMPROOT/refs.after" || problems="$problems; other refs changed"
if [ -n "$problems" ]; then
    fail "in-place" "${problems#; }"
else
    pass "in-place"
fi

# ---------------------------------------------------------------------------
# 7. a repository without commits
r="$TMPROOT/unborn"
mkrepo "$r"
put "$APP" "$r/app.py"
git -C "$r" add app.py
am "$r" check --diff
if [ "$rc" != 1 ] || ! grep -q '^diff --git a/app.py b/app.py' "$OUT"; then
    fail "unborn-diff: exit status $rc, expected 1 and a diff of app.py" "$(head -n 3 "$ERR")"
elif ! (cd "$r" && git apply --check "$OUT") 2>"$TMPROOT/apply.err"; then
    fail "unborn-diff: git apply rejects the diff" "$(head -n 3 "$TMPROOT/apply.err")"
else
    pass "unborn-diff"
fi
am "$r" check --fix
fixed "$APP" "$TMPROOT/unborn.want"
if [ "$rc" != 1 ] || ! cmp -s "$r/app.py" "$TMPROOT/unborn.want"; then
    fail "unborn-fix: exit status $rc (expected 1), or app.py not fixed" "$(head -n 3 "$ERR")"
else
    pass "unborn-fix"
fi
put "$APP" "$r/app.py"
state "$r" >"$TMPROOT/before"
am "$r" check --fix --commit
state "$r" >"$TMPROOT/after"
if [ "$rc" != 2 ]; then
    fail "unborn-commit: exit status $rc, expected 2" "stdout: $(head -n 2 "$OUT")" \
        "stderr: $(head -n 2 "$ERR")"
elif ! grep -Eqi 'no commit|unborn|empty repository' "$ERR"; then
    fail "unborn-commit: unclear message" "$(head -n 3 "$ERR")"
elif ! cmp -s "$TMPROOT/before" "$TMPROOT/after" || [ -n "$(refs "$r")" ]; then
    fail "unborn-commit: something was written" "$(show_diff "$TMPROOT/before" "$TMPROOT/after")"
else
    pass "unborn-commit"
fi

# ---------------------------------------------------------------------------
# 8. detached HEAD
r="$TMPROOT/detached"
mkrepo "$r"
put "$APP" "$r/app.py"
commit_all "$r" init
git -C "$r" checkout -q --detach
head=$(git -C "$r" rev-parse HEAD)
state "$r" >"$TMPROOT/before"
am "$r" check --fix --commit
state "$r" >"$TMPROOT/after"
if [ "$rc" != 1 ]; then
    fail "detached-head: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif [ "$(git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH^@")" != "$head" ]; then
    fail "detached-head: no branch $DEFAULT_BRANCH on the detached commit"
elif git -C "$r" symbolic-ref -q HEAD >/dev/null || ! cmp -s "$TMPROOT/before" "$TMPROOT/after"; then
    fail "detached-head: HEAD or the user's state changed" "$(show_diff "$TMPROOT/before" "$TMPROOT/after")"
else
    pass "detached-head"
fi
am "$r" check --fix --commit --in-place
if [ "$rc" != 1 ]; then
    fail "detached-in-place: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif git -C "$r" symbolic-ref -q HEAD >/dev/null || [ "$(git -C "$r" rev-parse HEAD^@)" != "$head" ]; then
    fail "detached-in-place: HEAD is not detached one commit on top of the old one"
elif [ -n "$(git -C "$r" status --porcelain)" ] || [ "$(git -C "$r" rev-parse main)" != "$head" ]; then
    fail "detached-in-place: status not clean, or branch main moved" "$(git -C "$r" status --porcelain)"
else
    pass "detached-in-place"
fi

# ---------------------------------------------------------------------------
# 9. linked worktree
r="$TMPROOT/linked/main"
wt="$TMPROOT/linked/wt"
mkrepo "$r"
put "$APP" "$r/app.py"
commit_all "$r" init
git -C "$r" worktree add -q "$wt" 2>/dev/null
put "$APP" "$r/main_only.py"            # untracked in the main work tree only
put "$APP" "$wt/wt_new.py"              # untracked in the linked one
am "$wt" check -q
printf 'app.py\nwt_new.py\n' >"$TMPROOT/want"
reported >"$TMPROOT/got"
if [ "$rc" != 1 ] || ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "worktree-selection: exit $rc" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")" "$(head -n 3 "$ERR")"
else
    pass "worktree-selection"
fi
head=$(git -C "$wt" rev-parse HEAD)
state "$wt" >"$TMPROOT/before"
state "$r" >"$TMPROOT/before.main"
am "$wt" check --fix --commit
state "$wt" >"$TMPROOT/after"
state "$r" >"$TMPROOT/after.main"
if [ "$rc" != 1 ]; then
    fail "worktree-commit: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif [ "$(git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH^@")" != "$head" ]; then
    fail "worktree-commit: no branch $DEFAULT_BRANCH on the worktree's HEAD"
elif ! cmp -s "$TMPROOT/before" "$TMPROOT/after" || ! cmp -s "$TMPROOT/before.main" "$TMPROOT/after.main"; then
    fail "worktree-commit: a work tree changed" "$(show_diff "$TMPROOT/before" "$TMPROOT/after")"
else
    pass "worktree-commit"
fi
wtbranch=$(git -C "$wt" symbolic-ref -q HEAD)
mainhead=$(git -C "$r" rev-parse HEAD)
am "$wt" check --fix --commit --in-place
fixed "$APP" "$TMPROOT/wt.want"
if [ "$rc" != 1 ]; then
    fail "worktree-in-place: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif [ "$(git -C "$wt" symbolic-ref -q HEAD)" != "$wtbranch" ] ||
    [ "$(git -C "$wt" rev-parse HEAD^@)" != "$head" ]; then
    fail "worktree-in-place: the worktree's branch did not get one commit"
elif [ "$(git -C "$r" rev-parse HEAD)" != "$mainhead" ] || ! cmp -s "$TMPROOT/before.main" "$TMPROOT/after.main"; then
    fail "worktree-in-place: the main work tree's HEAD moved"
elif [ -n "$(git -C "$wt" status --porcelain -uno)" ] || ! cmp -s "$wt/app.py" "$TMPROOT/wt.want"; then
    fail "worktree-in-place: the worktree does not match the commit" "$(git -C "$wt" status --porcelain -uno)"
else
    pass "worktree-in-place"
fi

# ---------------------------------------------------------------------------
# 10. submodules are skipped with a note
s="$TMPROOT/submod/sub"
r="$TMPROOT/submod/super"
mkrepo "$s"
put "$APP" "$s/inside.py"
commit_all "$s" sub
mkrepo "$r"
put "$APP" "$r/top.py"
commit_all "$r" top
git -C "$r" -c protocol.file.allow=always submodule add -q ../sub sub >/dev/null 2>&1
git -C "$r" commit -q -m "add the submodule"
am "$r" check -q
printf 'top.py\n' >"$TMPROOT/want"
reported >"$TMPROOT/got"
if [ ! -f "$r/sub/inside.py" ] || [ "$(git -C "$r" ls-files -s sub | cut -c1-6)" != 160000 ]; then
    fail "submodule: test setup: no submodule at sub/"
elif [ "$rc" != 1 ] || ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "submodule: exit $rc, files checked" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")"
elif ! grep -i 'submodule' "$ERR" | grep -q 'sub'; then
    fail "submodule: no note naming sub on stderr" "stderr: $(head -n 3 "$ERR")"
else
    pass "submodule"
fi

# ---------------------------------------------------------------------------
# 11. a bare repository is an error
b="$TMPROOT/b.git"
git init --bare -q "$b"
am "$b" check
if [ "$rc" != 2 ] || ! grep -qi 'bare' "$ERR"; then
    fail "bare-repository: exit status $rc, expected 2 and a message about a bare repository" \
        "$(head -n 3 "$ERR")"
else
    pass "bare-repository"
fi

# ---------------------------------------------------------------------------
# 12. an existing branch of the same name
r="$TMPROOT/existing"
mkrepo "$r"
put "$APP" "$r/app.py"
commit_all "$r" init
am "$r" check --fix --commit
rc1=$rc
first=$(git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH")
put "$CLEAN" "$r/more.py"
commit_all "$r" more
head=$(git -C "$r" rev-parse HEAD)
state "$r" >"$TMPROOT/before"
am "$r" check --fix --commit
state "$r" >"$TMPROOT/after"
if [ "$rc1" != 1 ] || [ -z "$first" ]; then
    fail "existing-branch-refused: the first --commit failed (exit $rc1)"
elif [ "$rc" != 2 ]; then
    fail "existing-branch-refused: exit status $rc, expected 2" "$(head -n 3 "$ERR")"
elif ! grep -q "$DEFAULT_BRANCH" "$ERR" || ! grep -q -- '--force-branch' "$ERR"; then
    fail "existing-branch-refused: the message names neither the branch nor --force-branch" "$(head -n 3 "$ERR")"
elif [ "$(git -C "$r" rev-parse "$DEFAULT_BRANCH")" != "$first" ] || ! cmp -s "$TMPROOT/before" "$TMPROOT/after"; then
    fail "existing-branch-refused: the branch or the user's state changed"
else
    pass "existing-branch-refused"
fi
am "$r" check --fix --commit --force-branch
if [ "$rc" != 1 ]; then
    fail "existing-branch-forced: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif [ "$(git -C "$r" rev-parse "$DEFAULT_BRANCH^@")" != "$head" ]; then
    fail "existing-branch-forced: the branch was not moved onto the new HEAD"
else
    pass "existing-branch-forced"
fi
# --force-branch never moves a branch that a work tree has checked out:
# neither the current one nor one in another linked worktree
git -C "$r" worktree add -q "$TMPROOT/existing-wt" 2>/dev/null
wthead=$(git -C "$TMPROOT/existing-wt" rev-parse HEAD)
wtbranch=$(git -C "$TMPROOT/existing-wt" symbolic-ref --short HEAD)
state "$r" >"$TMPROOT/before"
am "$r" check --fix --commit --branch main --force-branch
rc1=$rc
state "$TMPROOT/existing-wt" >"$TMPROOT/before.wt"
am "$r" check --fix --commit --branch "$wtbranch" --force-branch
state "$TMPROOT/existing-wt" >"$TMPROOT/after.wt"
state "$r" >"$TMPROOT/after"
if [ "$rc1" != 2 ] || ! cmp -s "$TMPROOT/before" "$TMPROOT/after"; then
    fail "force-branch-checked-out: --branch main --force-branch exit $rc1 (expected 2), or main changed"
elif [ "$rc" != 2 ] || [ "$(git -C "$TMPROOT/existing-wt" rev-parse HEAD)" != "$wthead" ]; then
    fail "force-branch-checked-out: the branch '$wtbranch' of another worktree was moved (exit $rc, expected 2)" \
        "that worktree's status now: $(git -C "$TMPROOT/existing-wt" status --porcelain | tr '\n' ' ')"
else
    pass "force-branch-checked-out"
fi

# ---------------------------------------------------------------------------
# 13. --diff keeps file modes, and git apply takes it
r="$TMPROOT/modes"
mkrepo "$r"
put "$APP" "$r/tool.py"
chmod +x "$r/tool.py"
put "$APP" "$r/lib.py"
put "$APP" "$r/pkg/mod.py"
commit_all "$r" init
am "$r" check --diff
cp "$OUT" "$TMPROOT/modes.diff"
awk '/^diff --git /{ f = $3; sub(/^a\//, "", f) } /^index /{ print f, $3 }' "$TMPROOT/modes.diff" >"$TMPROOT/got"
printf 'lib.py 100644\npkg/mod.py 100644\ntool.py 100755\n' >"$TMPROOT/want"
rm -rf "$TMPROOT/modes.clone"
git clone -q "$r" "$TMPROOT/modes.clone"
if [ "$(git -C "$r" ls-files -s tool.py | cut -c1-6)" != 100755 ]; then
    fail "diff-file-mode: test setup: tool.py is not committed as 100755"
elif [ "$rc" != 1 ] || ! cmp -s "$TMPROOT/want" "$TMPROOT/got"; then
    fail "diff-file-mode: exit $rc; modes in the index lines" "$(show_diff "$TMPROOT/want" "$TMPROOT/got")"
elif ! (cd "$TMPROOT/modes.clone" && git apply --check "$TMPROOT/modes.diff") >"$TMPROOT/apply.err" 2>&1 ||
    [ -s "$TMPROOT/apply.err" ]; then
    fail "diff-file-mode: git apply --check complains" "$(head -n 3 "$TMPROOT/apply.err")"
elif ! (cd "$TMPROOT/modes.clone" && git apply "$TMPROOT/modes.diff") 2>"$TMPROOT/apply.err" ||
    [ -n "$(git -C "$TMPROOT/modes.clone" diff --summary)" ] || [ ! -x "$TMPROOT/modes.clone/tool.py" ]; then
    fail "diff-file-mode: applying changed a file mode" "$(git -C "$TMPROOT/modes.clone" diff --summary)"
else
    pass "diff-file-mode"
fi
# from a subfolder, `asyncmod check --diff | git apply` run there applies
# the fixes (git reads the paths of a "diff --git" patch from the top of the
# work tree, and silently skips those outside the current folder)
rm -rf "$TMPROOT/modes.clone2"
git clone -q "$r" "$TMPROOT/modes.clone2"
am "$r/pkg" check --diff
fixed "$APP" "$TMPROOT/modes.want"
if [ "$rc" != 1 ]; then
    fail "diff-subfolder: exit status $rc, expected 1" "$(head -n 3 "$ERR")"
elif ! (cd "$TMPROOT/modes.clone2/pkg" && git apply "$OUT") 2>"$TMPROOT/apply.err"; then
    fail "diff-subfolder: git apply in pkg/ rejects the diff" "$(head -n 3 "$TMPROOT/apply.err")"
elif ! cmp -s "$TMPROOT/modes.clone2/pkg/mod.py" "$TMPROOT/modes.want"; then
    fail "diff-subfolder: git apply in pkg/ left pkg/mod.py unfixed" \
        "diff header: $(grep -m1 '^diff --git' "$OUT")"
else
    pass "diff-subfolder"
fi
# --commit and --fix keep the executable bit
am "$r" check --fix --commit
mode=$(git -C "$r" ls-tree "$DEFAULT_BRANCH" tool.py 2>/dev/null | cut -c1-6)
if [ "$rc" != 1 ] || [ "$mode" != 100755 ]; then
    fail "commit-file-mode: exit $rc; tool.py is '$mode' on the branch, expected 100755" "$(head -n 3 "$ERR")"
else
    am "$r" check --fix --commit --in-place
    if [ "$rc" != 1 ] || [ ! -x "$r/tool.py" ] ||
        [ "$(git -C "$r" ls-tree HEAD tool.py | cut -c1-6)" != 100755 ] ||
        [ -n "$(git -C "$r" status --porcelain)" ]; then
        fail "commit-file-mode: --in-place lost the executable bit (exit $rc)" "$(git -C "$r" status --porcelain)"
    else
        pass "commit-file-mode"
    fi
fi

# ---------------------------------------------------------------------------
# 14. no identity anywhere: a clear error, nothing written. (libgit2 also
# reads the system file, /etc/gitconfig, whatever GIT_CONFIG_NOSYSTEM says:
# this case takes it to hold no identity.)
r="$TMPROOT/noid"
git -c init.defaultBranch=main init -q "$r"
put "$APP" "$r/app.py"
git -C "$r" add -A
git -C "$r" -c user.name=Setup -c user.email=setup@example.invalid commit -q -m init
mkdir -p "$TMPROOT/noid-home" "$TMPROOT/noid-xdg"
state "$r" >"$TMPROOT/before"
refs "$r" >"$TMPROOT/refs.before"
rc=0
(cd "$r" && HOME="$TMPROOT/noid-home" XDG_CONFIG_HOME="$TMPROOT/noid-xdg" GIT_CONFIG_NOSYSTEM=1 \
    exec asyncmod check --fix --commit) >"$OUT" 2>"$ERR" || rc=$?
state "$r" >"$TMPROOT/after"
refs "$r" >"$TMPROOT/refs.after"
if [ "$rc" != 2 ]; then
    fail "no-identity: exit status $rc, expected 2" "$(head -n 3 "$ERR")"
elif ! grep -q 'user\.name' "$ERR" || ! grep -q 'user\.email' "$ERR"; then
    fail "no-identity: the message names neither user.name nor user.email" "$(head -n 3 "$ERR")"
elif ! cmp -s "$TMPROOT/before" "$TMPROOT/after" || ! cmp -s "$TMPROOT/refs.before" "$TMPROOT/refs.after"; then
    fail "no-identity: something was written" "$(show_diff "$TMPROOT/refs.before" "$TMPROOT/refs.after")"
else
    pass "no-identity"
fi

# ---------------------------------------------------------------------------
# 15. a refused commit says so: no fix counts as made, in any format, and
# the run exits 2 (a dirty file to change, then an existing branch)
r="$TMPROOT/refused"
mkrepo "$r"
put "$APP" "$r/app.py"
commit_all "$r" init
echo "user_edit = 1" >>"$r/app.py"
for fmt in text json github; do
    am "$r" check --fix --commit --output-format "$fmt"
    cp "$OUT" "$TMPROOT/refused-dirty.$fmt"
    echo "$rc" >>"$TMPROOT/refused-dirty.rc"
done
git -C "$r" checkout -q app.py
am "$r" check --fix --commit
rc1=$rc
first=$(git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH" || echo none)
am "$r" check --fix --commit
cp "$OUT" "$TMPROOT/refused-branch.text"
rc2=$rc
am "$r" check --fix --commit --output-format json
cp "$OUT" "$TMPROOT/refused-branch.json"
# applied_count FILE: the findings marked applied in a JSON report; errors: its error elements
applied_count() { python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1])) if f["applied"]))' "$1"; }
error_count() { python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1])) if f["code"] is None))' "$1"; }
if [ "$(tr '\n' ' ' <"$TMPROOT/refused-dirty.rc")" != "2 2 2 " ]; then
    fail "refused-commit-output: dirty: exit statuses $(tr '\n' ' ' <"$TMPROOT/refused-dirty.rc"), expected 2 2 2"
elif ! grep -q '^Found 6 findings (0 fixed, 6 remaining) and 1 error\.$' "$TMPROOT/refused-dirty.text"; then
    fail "refused-commit-output: dirty: the summary claims fixes" "$(tail -n 2 "$TMPROOT/refused-dirty.text")"
elif [ "$(grep -c 'reason: not-committed' "$TMPROOT/refused-dirty.text")" != 3 ]; then
    fail "refused-commit-output: dirty: the fixes not made do not say why" "$(head -n 5 "$TMPROOT/refused-dirty.text")"
elif [ "$(applied_count "$TMPROOT/refused-dirty.json")" != 0 ] || [ "$(error_count "$TMPROOT/refused-dirty.json")" != 1 ]; then
    fail "refused-commit-output: dirty: JSON marks fixes applied or lacks the error"
elif ! grep -q '^::error::nothing committed: ' "$TMPROOT/refused-dirty.github"; then
    fail "refused-commit-output: dirty: no ::error line" "$(head -n 2 "$TMPROOT/refused-dirty.github")"
elif [ "$rc1" != 1 ] || [ "$first" = none ]; then
    fail "refused-commit-output: the clean --commit failed (exit $rc1)"
elif [ "$rc2" != 2 ] || grep -q 'Committed' "$TMPROOT/refused-branch.text" ||
    ! grep -q '^Found 6 findings (0 fixed, 6 remaining) and 1 error\.$' "$TMPROOT/refused-branch.text"; then
    fail "refused-commit-output: existing branch: exit $rc2 or the output claims fixes" "$(tail -n 2 "$TMPROOT/refused-branch.text")"
elif [ "$(applied_count "$TMPROOT/refused-branch.json")" != 0 ] || [ "$(git -C "$r" rev-parse -q --verify "refs/heads/$DEFAULT_BRANCH")" != "$first" ]; then
    fail "refused-commit-output: existing branch: JSON marks fixes applied, or the branch moved"
else
    pass "refused-commit-output"
fi

finish
