#!/bin/sh
# A real test suite before and after: CPython's own test_asyncio (Debian's
# libpython3.11-testsuite, run by Debian's python3) on copies in a temporary
# folder, never on the installed files.
#   1. test_asyncio itself: the suite's copy is fixed with the whole catalog
#      (`check --fix --isolated`) and run with its folder first on
#      PYTHONPATH;
#   2. the asyncio package: a copy is fixed the same way and shadows the
#      standard library's (asyncio is not imported at start-up, so
#      PYTHONPATH is enough) while the unmodified suite runs against it.
# Every run uses copies of both packages; tests/testsuite_run.py checks
# that each loaded module of `test` and `asyncio` comes from the copy it
# should and writes each test's outcome. After safe fixes every test keeps
# its outcome. With ASYNCMOD_TESTSUITE_UNSAFE=1 (`make check-testsuite`)
# the same runs follow `--fix --unsafe-fixes`, and each changed outcome
# must be listed, with the rule that explains it, in
# tests/testsuite-unsafe-expected.txt.
#
# Flaky tests: a test whose outcome differs is run again, twice on each
# side, with the rest of its module; it changed if the outcome it has most
# often differs between the sides. A test that fails every time after a
# fix is a change, however it does before.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON_SUITE:-/usr/bin/python3}
LIB=${TESTSUITE_LIB:-/usr/lib/python3.11}
LIMIT=${TESTSUITE_TIMEOUT:-900}
# ASYNCMOD_TESTSUITE=0 skips it (a second `make check`, as distcheck runs).
if [ "${ASYNCMOD_TESTSUITE:-1}" = 0 ]; then
    echo "SKIP: ASYNCMOD_TESTSUITE=0"
    exit 77
fi
if [ ! -d "$LIB/test/test_asyncio" ]; then
    echo "SKIP: $LIB/test/test_asyncio is missing (Debian package libpython3.11-testsuite)"
    exit 77
fi
if [ ! -x "$PY" ]; then
    echo "SKIP: $PY is missing"
    exit 77
fi
# TESTSUITE_KEEP=1 keeps the copies, the fixes and the outcomes.
[ -n "${TESTSUITE_KEEP:-}" ] && trap 'echo "kept $TMPROOT"' EXIT
RUN="$SRCDIR/tests/testsuite_run.py"
COMPARE="$SRCDIR/tests/testsuite_compare.py"
EXPECTED="$SRCDIR/tests/testsuite-unsafe-expected.txt"

# make_tests DIR: the parts of the `test` package test_asyncio needs: the
# package, test.support, test_asyncio and the certificates it reads.
make_tests() {
    mkdir -p "$1/test"
    cp "$LIB/test/__init__.py" "$LIB"/test/*.pem "$LIB"/test/*.crl "$1/test/"
    cp -R "$LIB/test/support" "$LIB/test/test_asyncio" "$1/test/"
    find "$1" -name __pycache__ -prune -exec rm -rf {} +
    chmod -R u+w "$1"
}

# make_asyncio DIR: a copy of the asyncio package.
make_asyncio() {
    mkdir -p "$1"
    cp -R "$LIB/asyncio" "$1/"
    find "$1" -name __pycache__ -prune -exec rm -rf {} +
    chmod -R u+w "$1"
}

# fix DIR JSON ARGS...: fixes DIR with the whole catalog, keeps the findings.
fix() {
    dir=$1 json=$2
    shift 2
    "$ASYNCMOD" check --fix --isolated --target-version py311 --output-format json "$@" \
        "$dir" >"$json" 2>"$json.err"
    rc=$?
    if [ "$rc" -gt 1 ]; then
        fail "check --fix $* on $dir exits $rc" "$(head -n 5 "$json.err")"
        return 1
    fi
    echo "fixed $(grep -c '"applied": true' "$json") findings in ${dir#"$TMPROOT"/}"
}

# suite OUT TESTS ASYNCIO [NAME...]: runs test_asyncio (or modules of it)
# with the `test` package of TESTS and the asyncio of ASYNCIO, bounded in
# time; a background job has SIGINT ignored, the runner restores it.
suite() {
    out=$1 tests=$2 aio=$3
    shift 3
    t0=$(date +%s)
    # timeout makes a process group of its own: once it ends, whatever the
    # tests left running in it (a child blocked forever) is killed too.
    (cd "$TMPROOT" && PYTHONPATH="$tests:$aio" exec timeout -k 30 "$LIMIT" \
        "$PY" "$RUN" "$out" "$tests" "$aio" "$@") >"$out.log" 2>&1 &
    group=$!
    wait "$group"
    rc=$?
    kill -KILL -- "-$group" 2>/dev/null
    echo "ran ${out#"$TMPROOT"/}${1:+ ($# modules)} in $(($(date +%s) - t0)) s, exit $rc"
    [ "$rc" -eq 0 ] && [ -f "$out" ] && return 0
    case $rc in
        3) fail "${out#"$TMPROOT"/}: not the copies" "$(grep -A3 'not the copies' "$out.log")" ;;
        124 | 137)
            # what ran is kept: the tests that did not run count as missing
            fail "${out#"$TMPROOT"/}: still running after $LIMIT s" "$(tail -n 3 "$out.log")"
            [ -f "$out" ] && return 0 ;;
        *) fail "${out#"$TMPROOT"/}: exit $rc" "$(tail -n 5 "$out.log")" ;;
    esac
    return 1
}

# judge LABEL SUITE FIXES EXPECTED BASE TESTS ASYNCIO AFTER TESTS ASYNCIO:
# compares the whole runs BASE and AFTER (made with the trees named after
# each), reruns the modules whose outcomes differ twice on each side, then
# decides.
judge() {
    label=$1 kind=$2 fixes=$3 expected=$4 base=$5 bt=$6 ba=$7 after=$8 at=$9 aa=${10}
    mods=$("$PY" "$COMPARE" rerun "$base" "$after")
    rb="" ra=""
    if [ -n "$mods" ]; then
        for i in 1 2; do
            # shellcheck disable=SC2086
            suite "$after.b$i" "$bt" "$ba" $mods || return 1
            # shellcheck disable=SC2086
            suite "$after.a$i" "$at" "$aa" $mods || return 1
            rb="$rb $after.b$i" ra="$ra $after.a$i"
        done
    fi
    # shellcheck disable=SC2086
    if "$PY" "$COMPARE" judge "$label" "$kind" "$fixes" "$expected" "$base" $rb -- "$after" $ra \
        >"$after.judge"; then
        cat "$after.judge"
        pass "$label: every changed outcome is explained"
    else
        cat "$after.judge"
        fail "$label: outcomes changed" "$(grep -c ' CHANGED ' "$after.judge") tests, listed above"
    fi
}

start=$(date +%s)
make_tests "$TMPROOT/orig-tests"
make_asyncio "$TMPROOT/orig-asyncio"
suite "$TMPROOT/base" "$TMPROOT/orig-tests" "$TMPROOT/orig-asyncio" || { finish; exit; }
head -n 3 "$TMPROOT/base.log"

# mode NAME ARGS...: fixes both copies with ARGS and judges them.
mode() {
    name=$1
    shift
    expected=-
    [ "$name" = unsafe ] && expected=$EXPECTED
    make_tests "$TMPROOT/$name-tests"
    make_asyncio "$TMPROOT/$name-asyncio"
    if fix "$TMPROOT/$name-tests/test/test_asyncio" "$TMPROOT/$name-tests.json" "$@" &&
        suite "$TMPROOT/$name-tests.out" "$TMPROOT/$name-tests" "$TMPROOT/orig-asyncio"; then
        head -n 3 "$TMPROOT/$name-tests.out.log"
        judge "$name fixes of test_asyncio" test_asyncio "$TMPROOT/$name-tests.json" "$expected" \
            "$TMPROOT/base" "$TMPROOT/orig-tests" "$TMPROOT/orig-asyncio" \
            "$TMPROOT/$name-tests.out" "$TMPROOT/$name-tests" "$TMPROOT/orig-asyncio"
    fi
    if fix "$TMPROOT/$name-asyncio/asyncio" "$TMPROOT/$name-asyncio.json" "$@" &&
        suite "$TMPROOT/$name-asyncio.out" "$TMPROOT/orig-tests" "$TMPROOT/$name-asyncio"; then
        head -n 1 "$TMPROOT/$name-asyncio.out.log"
        judge "$name fixes of asyncio" asyncio "$TMPROOT/$name-asyncio.json" "$expected" \
            "$TMPROOT/base" "$TMPROOT/orig-tests" "$TMPROOT/orig-asyncio" \
            "$TMPROOT/$name-asyncio.out" "$TMPROOT/orig-tests" "$TMPROOT/$name-asyncio"
    fi
}

mode safe
if [ "${ASYNCMOD_TESTSUITE_UNSAFE:-0}" = 1 ]; then
    mode unsafe --unsafe-fixes
else
    echo "unsafe fixes not run (ASYNCMOD_TESTSUITE_UNSAFE=1 or make check-testsuite runs them)"
fi
echo "took $(($(date +%s) - start)) s"
finish
