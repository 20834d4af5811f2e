#!/bin/sh
# Fixed code must run: fixtures/programs/CASE/ holds before.py (a program
# that prints what it does), args (the options of `check --fix`, one line)
# and after.py (the text the fix must write). Each case proves:
#   1. `check --fix` writes exactly after.py, and it differs from before.py;
#   2. a second `--fix` changes nothing;
#   3. before.py and after.py both run to exit status 0 under the Python
#      that sees Debian's aiofiles, httpx, aiohttp and requests;
#   4. they print the same, or, where a case documents a difference of an
#      unsafe fix, stdout-before and stdout-after are what each prints.
# A case with a file named `server` gets a local HTTP server
# (tests/http_server.py on 127.0.0.1) whose base URL is in $TEST_URL.
# PROGRAMS_ONLY="CASE-PREFIX ..." limits the run.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON_RUN:-/usr/bin/python3}
server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; server_pid=""; }
trap 'stop_server; rm -rf "$TMPROOT"' EXIT

# start_server: runs the server, waits for its port, sets TEST_URL.
start_server() {
    rm -f "$TMPROOT/port"
    "$PY" "$SRCDIR/tests/http_server.py" "$TMPROOT/port" >"$TMPROOT/server.log" 2>&1 &
    server_pid=$!
    n=0
    while [ ! -s "$TMPROOT/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    [ -s "$TMPROOT/port" ] || return 1
    TEST_URL="http://127.0.0.1:$(cat "$TMPROOT/port")"
    export TEST_URL
}

# run NAME FILE OUT: runs a program in its own folder, with a time limit.
run() {
    (cd "$(dirname "$2")" && timeout 60 "$PY" "$(basename "$2")") >"$3" 2>"$3.err"
}

for case in "$SRCDIR"/fixtures/programs/*/; do
    case=${case%/}
    name=${case##*/}
    if [ -n "${PROGRAMS_ONLY:-}" ]; then
        hit=""
        for p in $PROGRAMS_ONLY; do
            case $name in "$p"*) hit=1 ;; esac
        done
        [ -n "$hit" ] || continue
    fi
    work="$TMPROOT/$name"
    mkdir -p "$work/before" "$work/after"
    args=""
    [ -f "$case/args" ] && args=$(cat "$case/args")
    cp "$case/before.py" "$work/before/prog.py"
    cp "$case/before.py" "$work/after/prog.py"
    chmod u+w "$work/before/prog.py" "$work/after/prog.py"

    # 1. the fix
    (cd "$work/after" && "$ASYNCMOD" check --fix --quiet --isolated $args prog.py) >"$work/fix.out" 2>&1
    if ! cmp -s "$work/after/prog.py" "$case/after.py"; then
        fail "$name: --fix output" "$(show_diff "$case/after.py" "$work/after/prog.py")"
        continue
    fi
    if cmp -s "$case/before.py" "$case/after.py"; then
        fail "$name" "the fix changed nothing"
        continue
    fi
    # 2. idempotence
    cp "$work/after/prog.py" "$work/once.py"
    (cd "$work/after" && "$ASYNCMOD" check --fix --quiet --isolated $args prog.py) >/dev/null 2>&1
    if ! cmp -s "$work/after/prog.py" "$work/once.py"; then
        fail "$name" "a second --fix changed the file again"
        continue
    fi
    # 3. both programs run
    if [ -f "$case/server" ] && ! start_server; then
        fail "$name" "the test HTTP server did not start: $(cat "$TMPROOT/server.log")"
        stop_server
        continue
    fi
    problems=""
    run "$name" "$work/before/prog.py" "$work/before.out" ||
        problems="before.py failed: $(tail -n 5 "$work/before.out.err")"
    if [ -z "$problems" ]; then
        run "$name" "$work/after/prog.py" "$work/after.out" ||
            problems="after.py failed: $(tail -n 5 "$work/after.out.err")"
    fi
    stop_server
    if [ -n "$problems" ]; then
        fail "$name" "$problems"
        continue
    fi
    # 4. the same output, or the documented difference
    if [ -f "$case/stdout-after" ]; then
        if ! cmp -s "$work/before.out" "$case/stdout-before"; then
            fail "$name: before.py's output" "$(show_diff "$case/stdout-before" "$work/before.out")"
        elif ! cmp -s "$work/after.out" "$case/stdout-after"; then
            fail "$name: after.py's output" "$(show_diff "$case/stdout-after" "$work/after.out")"
        else
            pass "$name (documented difference)"
        fi
    elif [ ! -s "$work/before.out" ]; then
        fail "$name" "before.py printed nothing, so there is nothing to compare"
    elif ! cmp -s "$work/before.out" "$work/after.out"; then
        fail "$name: the programs print differently" "$(show_diff "$work/before.out" "$work/after.out")"
    else
        pass "$name"
    fi
done
finish
