#!/bin/sh
# Real code nobody here wrote: a copy of the Python standard library and of
# Debian's dist-packages (with the asyncio packages ./bootstrap installs) is
# fixed with the whole catalog, once with unsafe fixes and once with safe
# fixes only, each on a fresh copy. Each run proves:
#   1. `check --fix` exits with 0, 1 or 2: no signal, no sanitizer report;
#   2. every file the fix changed that compiled before still compiles;
#   3. pyflakes reports no undefined name, no local referenced before
#      assignment and no unused import that it did not report before (on
#      the changed files, before and after: the others are the same bytes);
#   4. a second `check --fix` with the same options changes nothing (run on
#      the files the first one changed: the others are the same input).
# It prints the files, fixes per code, and what failed. Nothing is copied
# into the repository: the trees are read where Debian installs them.
#
# Left out of the copy, on purpose:
#   lib2to3/tests/data/   Python 2 sources and encoding fixtures that are
#                         not valid Python 3 by design
#   test/bad*.py, test/*badsyntax*
#                         modules that must fail to compile or to decode
#   __pycache__/, and every file that is not *.py
#
# No --select: every rule of the catalog runs. REALCODE_STDLIB and
# REALCODE_DIST name other trees; REALCODE_ARGS adds options to every run
# (say `--target-version py313`); PYTHON_RUN is the Python that has pyflakes
# (Debian's python3-pyflakes).
# ASYNCMOD_REALCODE=0 skips it (a second `make check`, as distcheck runs).
. "$SRCDIR/tests/lib.sh"

if [ "${ASYNCMOD_REALCODE:-1}" = 0 ]; then
    echo "SKIP: ASYNCMOD_REALCODE=0"
    exit 77
fi
PY=${PYTHON_RUN:-/usr/bin/python3}
STDLIB=${REALCODE_STDLIB:-/usr/lib/python3.11}
DIST=${REALCODE_DIST:-/usr/lib/python3/dist-packages}
PACKAGES="aiohttp httpx httpcore anyio tornado websockets asyncpg uvicorn starlette janus aiosqlite
aiofiles requests urllib3"
start=$(date +%s)

missing=""
[ -d "$STDLIB/asyncio" ] || missing="$missing $STDLIB/asyncio"
[ -d "$STDLIB/test/test_asyncio" ] || missing="$missing $STDLIB/test/test_asyncio"
for p in $PACKAGES; do [ -d "$DIST/$p" ] || missing="$missing $DIST/$p"; done
"$PY" -c 'import pyflakes' 2>/dev/null || missing="$missing pyflakes-for-$PY"
if [ -n "$missing" ]; then
    fail "real code is installed (./bootstrap installs it)" "missing:$missing"
    finish
    exit 1
fi

# copy_py FROM TO [find predicates that prune]: the *.py files of a tree.
copy_py() {
    from=$1 to=$2
    shift 2
    mkdir -p "$to"
    (cd "$from" && find . \( -name __pycache__ "$@" \) -prune -o -type f -name '*.py' -print0 |
        tar --null -T - -cf -) | tar -C "$to" -xf -
}

ORIG="$TMPROOT/orig"
copy_py "$STDLIB" "$ORIG/stdlib" -o -path ./lib2to3/tests/data -o -path './test/bad*.py' \
    -o -path './test/*badsyntax*'
copy_py "$DIST" "$ORIG/dist"
chmod -R u+w "$ORIG"
nstd=$(find "$ORIG/stdlib" -name '*.py' | wc -l)
ndist=$(find "$ORIG/dist" -name '*.py' | wc -l)
echo "real code: $nstd files of $STDLIB, $ndist of $DIST"

# fix TREE OUT OPTION PATH...: one `check --fix` in TREE; its exit status in
# OUT.rc, stdout in OUT.json, stderr in OUT.err.
fix() {
    tree=$1 out=$2 opt=$3
    shift 3
    (cd "$tree" && "$ASYNCMOD" check --isolated --fix --output-format json $opt ${REALCODE_ARGS:-} "$@") \
        >"$out.json" 2>"$out.err"
    echo $? >"$out.rc"
}

# indent: the lines after the first indented as fail indents the first
indent() { head -n 30 | sed '2,$s/^/      /'; }

# ran_clean NAME OUT: the exit status is 0, 1 or 2 and no sanitizer spoke.
ran_clean() {
    rc=$(cat "$2.rc")
    if [ "$rc" -gt 2 ]; then
        if [ "$rc" -gt 128 ]; then why="killed by signal $((rc - 128))"; else why="exit status $rc"; fi
        fail "$1: no crash" "$why" "$(tail -n 5 "$2.err" | indent)"
        return 1
    fi
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$2.err"; then
        fail "$1: no sanitizer report" "$(grep -m 5 -e 'Sanitizer' -e 'runtime error:' "$2.err" | indent)"
        return 1
    fi
    pass "$1: exit status $rc, no crash"
}

for mode in unsafe safe; do
    work="$TMPROOT/$mode"
    opts=""
    [ "$mode" = unsafe ] && opts="--unsafe-fixes"
    cp -R "$ORIG" "$work"
    t0=$(date +%s)
    fix "$work" "$TMPROOT/$mode-1" "$opts" stdlib dist
    t1=$(date +%s)
    echo "$mode: check --fix $opts took $((t1 - t0)) s"
    ran_clean "$mode: first --fix" "$TMPROOT/$mode-1" || continue
    # the reasons for exit status 2: files it cannot read, said once each
    grep 'error:' "$TMPROOT/$mode-1.err" | sed 's/^/      /' | head -n 20

    (cd "$ORIG" && diff -rq . "$work" | sed -n 's|^Files \./\(.*\) and .* differ$|\1|p') |
        LC_ALL=C sort >"$TMPROOT/$mode.changed"
    if (cd "$ORIG" && diff -rq . "$work" | grep -v '^Files .* differ$' >"$TMPROOT/$mode.other"); then
        fail "$mode: the fix adds or removes no file" "$(head -n 5 "$TMPROOT/$mode.other" | indent)"
    fi
    nchanged=$(wc -l <"$TMPROOT/$mode.changed")
    echo "$mode: $nchanged files changed"

    "$PY" -W ignore "$SRCDIR/tests/realcode.py" judge "$ORIG" "$work" "$TMPROOT/$mode.changed" \
        "$TMPROOT/$mode-1.json" "$TMPROOT/$mode.problems" >"$TMPROOT/$mode.stats" ||
        fail "$mode: judging the fixed files" "tests/realcode.py failed"
    sed "s/^/$mode: /" "$TMPROOT/$mode.stats"
    nbroken=$(grep -c ': compiled before the fix' "$TMPROOT/$mode.problems")
    nflakes=$(grep -c ': new pyflakes message' "$TMPROOT/$mode.problems")
    if [ "$nbroken" -eq 0 ]; then
        pass "$mode: every changed file that compiled still compiles"
    else
        fail "$mode: $nbroken fixed files no longer compile" \
            "$(grep ': compiled before the fix' "$TMPROOT/$mode.problems" | indent)"
    fi
    if [ "$nflakes" -eq 0 ]; then
        pass "$mode: no new pyflakes message about names"
    else
        fail "$mode: $nflakes new pyflakes messages about names" \
            "$(grep ': new pyflakes message' "$TMPROOT/$mode.problems" | indent)"
    fi

    # a second run on the result changes nothing
    cp -R "$work" "$work.once"
    if [ "$nchanged" -gt 0 ]; then
        set --
        while IFS= read -r f; do set -- "$@" "$f"; done <"$TMPROOT/$mode.changed"
        fix "$work" "$TMPROOT/$mode-2" "$opts" "$@"
    else
        echo '[]' >"$TMPROOT/$mode-2.json"; : >"$TMPROOT/$mode-2.err"; echo 0 >"$TMPROOT/$mode-2.rc"
    fi
    if ran_clean "$mode: second --fix" "$TMPROOT/$mode-2"; then
        (cd "$work.once" && diff -rq . "$work") >"$TMPROOT/$mode.again"
        nagain=$(wc -l <"$TMPROOT/$mode.again")
        if [ "$nagain" -eq 0 ]; then
            pass "$mode: a second --fix changes nothing"
        else
            fail "$mode: a second --fix changes $nagain files" \
                "$(sed 's|^Files \./\([^ ]*\) and .*|\1|' "$TMPROOT/$mode.again" | indent)" \
                "$(cd "$work.once" && diff -ru . "$work" | indent)"
        fi
        "$PY" -c 'import json, sys, collections
c = collections.Counter(r["code"] for r in json.load(open(sys.argv[1])) if r.get("applied"))
print("second-run fixes per code: " + (" ".join("%s=%d" % kv for kv in sorted(c.items())) or "none"))' \
            "$TMPROOT/$mode-2.json" | sed "s/^/$mode: /"
    fi
    rm -rf "$work.once" "$work"
done

echo "realcode: $(($(date +%s) - start)) s in all"
finish
