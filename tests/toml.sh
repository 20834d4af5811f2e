#!/bin/sh
# The TOML reader against toml-test's conformance cases for TOML 1.0
# (../shared/data/toml-test next to the source tree, read in place): every
# `valid` case must read to its expected JSON (tests/toml_compare.py
# compares as toml-test does) and every `invalid` case must be refused with
# a message that gives its line and column. No case is skipped.
. "$SRCDIR/tests/lib.sh"

suite="${ASYNCMOD_SHARED:-$SRCDIR/../shared}/data/toml-test/tests"
decode="$BUILDDIR/tests/toml_decode"
if [ ! -f "$suite/files-toml-1.0.0" ]; then
    echo "SKIP: toml-test's cases are not in $suite"
    exit 77
fi
python=/usr/bin/python3
[ -x "$python" ] || python=python3

valid=0 invalid=0
for f in $(grep '\.toml$' "$suite/files-toml-1.0.0"); do
    out="$TMPROOT/out.json" err="$TMPROOT/err.txt"
    status=0
    "$decode" "$suite/$f" >"$out" 2>"$err" || status=$?
    case $f in
    valid/*)
        valid=$((valid + 1))
        if [ "$status" -ne 0 ]; then
            fail "$f: refused" "$(head -c 300 "$err")"
        elif ! "$python" "$SRCDIR/tests/toml_compare.py" "$suite/${f%.toml}.json" <"$out" >"$TMPROOT/cmp.txt" 2>&1; then
            fail "$f: read wrong" "$(cat "$TMPROOT/cmp.txt")"
        else
            pass "$f"
        fi ;;
    invalid/*)
        invalid=$((invalid + 1))
        if [ "$status" -ne 1 ]; then
            fail "$f: exit status $status, expected 1" "$(head -c 300 "$err")"
        elif ! grep -q "^$suite/$f:[0-9][0-9]*:[0-9][0-9]*: " "$err"; then
            fail "$f: no line and column in the message" "$(head -c 300 "$err")"
        else
            pass "$f"
        fi ;;
    esac
done
echo "toml-test 1.0: $valid valid cases, $invalid invalid cases"
[ $((valid + invalid)) -gt 700 ] || fail "toml-test: only $((valid + invalid)) cases found"

# Nesting: 100 000 arrays or inline tables deep is refused with a position,
# not a stack overflow; a key of 100 000 parts likewise.
"$python" -c 'import sys; sys.stdout.write("x = " + "[" * 100000 + "]" * 100000 + "\n")' >"$TMPROOT/deep1.toml"
"$python" -c 'import sys; sys.stdout.write("x = " + "{a=" * 100000 + "1" + "}" * 100000 + "\n")' >"$TMPROOT/deep2.toml"
"$python" -c 'import sys; sys.stdout.write(".".join(["a"] * 100000) + " = 1\n")' >"$TMPROOT/deep3.toml"
"$python" -c 'import sys; sys.stdout.write("[" + ".".join(["a"] * 100000) + "]\n")' >"$TMPROOT/deep4.toml"
for n in 1 2 3 4; do
    status=0
    "$decode" "$TMPROOT/deep$n.toml" >/dev/null 2>"$TMPROOT/err.txt" || status=$?
    if [ "$status" -eq 1 ] && grep -q "deep$n.toml:1:[0-9]*: nested more than 4000 levels deep" "$TMPROOT/err.txt"; then
        pass "deep-$n"
    else
        fail "deep-$n: exit status $status" "$(head -c 300 "$TMPROOT/err.txt")"
    fi
done
# ...while 4000 levels are read.
"$python" -c 'import sys; sys.stdout.write("x = " + "[" * 3999 + "]" * 3999 + "\n")' >"$TMPROOT/ok.toml"
if "$decode" "$TMPROOT/ok.toml" >/dev/null 2>"$TMPROOT/err.txt"; then
    pass "deep-ok"
else
    fail "deep-ok" "$(head -c 300 "$TMPROOT/err.txt")"
fi
finish
