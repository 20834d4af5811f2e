#!/bin/sh
# The language server (asyncmod server) against a scripted client:
# tests/lsp_client.py drives the lifecycle, diagnostics, incremental
# changes with UTF-16 and UTF-8 positions, code actions, cancellation and
# malformed input, and prints a PASS or FAIL line per check. The whole run
# is bounded in time: a server that hangs fails, it never blocks CI.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-python3}
mkdir -p "$TMPROOT/work"
status=0
timeout -k 5 300 "$PY" "$SRCDIR/tests/lsp_client.py" "$ASYNCMOD" "$TMPROOT/work" \
    >"$TMPROOT/out" 2>"$TMPROOT/err" || status=$?
cat "$TMPROOT/out"
passed=$(grep -c '^PASS: ' "$TMPROOT/out")
failed=$(grep -c '^FAIL: ' "$TMPROOT/out")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail "the client ended with status $status" "$(head -n 20 "$TMPROOT/err")"
fi
if [ "$passed" -lt 90 ]; then
    fail "only $passed checks ran (expected at least 90)" "$(head -n 20 "$TMPROOT/err")"
fi
finish
