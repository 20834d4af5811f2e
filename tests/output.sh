#!/bin/sh
# What `check` reports besides its findings, and how:
#   - the JSON `fix` of every golden case (fixtures/rules), grouped by
#     the options the case runs with: a file with one fix gives, with that
#     fix's edits applied by tests/apply_edits.py, exactly what `--fix`
#     writes; a file without one is left alone by `--fix`; each of several
#     fixes alone gives text Python compiles;
#   - fixes of CRLF, CR-only and BOM files, and `fix` null for report-only
#     findings;
#   - --statistics (text and json), --exit-zero, --show-fixes,
#     --output-file (atomic: a run that cannot start leaves the file),
#     --color and FORCE_COLOR / NO_COLOR;
#   - paths in SARIF and GitHub output from the top of the work tree when
#     run from a subfolder;
#   - after --fix (and --commit --in-place), the findings left at the same
#     place in every format, where a new run puts them;
#   - the progress line: on a terminal (tests/pty_session.py), never when
#     stderr is a pipe, nor with --quiet or CI set.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-python3}
ESC=$(printf '\033')

# --- JSON fixes: each one alone is what --fix does ---------------------------

fx="$TMPROOT/fx"
mkdir -p "$fx"
: >"$fx/groups"
for case in "$SRCDIR"/fixtures/rules/*/*/; do
    case=${case%/}
    name=${case#"$SRCDIR"/fixtures/rules/}
    args=""
    [ -f "$case/args" ] && args=$(cat "$case/args")
    case " $args " in *" --select "*) ;; *) args="--select ${name%%/*} $args" ;; esac
    # one folder per set of options
    g=$(grep -n -x -F -e "$args" "$fx/groups" | cut -d: -f1 | head -n 1)
    if [ -z "$g" ]; then
        echo "$args" >>"$fx/groups"
        g=$(wc -l <"$fx/groups")
    fi
    dir="$fx/g$g/orig/$(echo "$name" | tr / _)"
    mkdir -p "$dir"
    cp "$case/input.py" "$dir/input.py"
done
chmod -R u+w "$fx"
g=0
bad=0
: >"$fx/list"
while IFS= read -r args; do
    g=$((g + 1))
    cp -R "$fx/g$g/orig" "$fx/g$g/fixed"
    status=0
    (cd "$fx/g$g/orig" && "$ASYNCMOD" check --output-format json --unsafe-fixes $args .) \
        >"$fx/g$g/findings.json" 2>"$fx/g$g/stderr" || status=$?
    (cd "$fx/g$g/fixed" && "$ASYNCMOD" check --fix --quiet --unsafe-fixes $args .) \
        >/dev/null 2>&1 || true
    if [ "$status" -gt 1 ]; then
        fail "json fixes ($args): exit $status" "$(head -n 5 "$fx/g$g/stderr")"
        bad=$((bad + 1))
    fi
    echo "$fx/g$g/findings.json $fx/g$g/orig $fx/g$g/fixed ($args)" >>"$fx/list"
done <"$fx/groups"
# one Python for every option set: "N files: S one fix, M several, Z none"
if ! out=$($PY "$SRCDIR/tests/apply_edits.py" --trees "$fx/list"); then
    fail "json fixes of the golden cases" "$(echo "$out" | head -n 20)"
elif [ "$bad" = 0 ] && [ "$g" -gt 30 ]; then
    pass "json fixes of the golden cases, $g option sets: $out"
elif [ "$bad" = 0 ]; then
    fail "json fixes: only $g option sets checked"
fi

# --- after --fix: what is left, at the same place in every format ----------

# The app tree, twice (a fix adds lines above what is left, so positions
# in the fixed text differ from those in the original).
make_tree() {
    mkdir -p "$1"
    cp -R "$SRCDIR/fixtures/cli-trees/app/." "$1/"
    cp "$1/app.py" "$1/second.py"
    chmod -R u+w "$1"
}
for fmt in text concise json sarif github; do
    make_tree "$TMPROOT/pos-$fmt"
    (cd "$TMPROOT/pos-$fmt" && "$ASYNCMOD" check --fix --output-format "$fmt" .) \
        >"$TMPROOT/pos-$fmt.out" 2>/dev/null
    $PY "$SRCDIR/tests/positions.py" "$fmt" "$TMPROOT/pos-$fmt.out" >"$TMPROOT/pos-$fmt.rows"
done
# what a new run on the fixed text reports
(cd "$TMPROOT/pos-text" && "$ASYNCMOD" check --output-format concise .) >"$TMPROOT/pos-after.out" 2>/dev/null
$PY "$SRCDIR/tests/positions.py" concise "$TMPROOT/pos-after.out" >"$TMPROOT/pos-after.rows"
if [ ! -s "$TMPROOT/pos-after.rows" ] || [ "$(wc -l <"$TMPROOT/pos-after.rows")" -lt 4 ]; then
    fail "positions after --fix: too few findings left to compare" "$(cat "$TMPROOT/pos-after.out")"
elif cmp -s "$SRCDIR/fixtures/cli-trees/app/app.py" "$TMPROOT/pos-text/app.py"; then
    fail "positions after --fix: nothing was fixed"
else
    for fmt in text concise json sarif github; do
        if cmp -s "$TMPROOT/pos-$fmt.rows" "$TMPROOT/pos-after.rows"; then
            pass "positions after --fix ($fmt): in the fixed text, as a new run gives them"
        else
            fail "positions after --fix ($fmt)" "$(show_diff "$TMPROOT/pos-after.rows" "$TMPROOT/pos-$fmt.rows")"
        fi
    done
fi
# --commit --in-place writes the fixed text to the work tree too: the same
if command -v git >/dev/null 2>&1; then
    make_tree "$TMPROOT/pos-commit"
    (cd "$TMPROOT/pos-commit" && git init -q && git config user.name T &&
        git config user.email t@example.com && git add . && git commit -qm start) >/dev/null 2>&1
    (cd "$TMPROOT/pos-commit" && "$ASYNCMOD" check --fix --commit --in-place --output-format concise .) \
        >"$TMPROOT/pos-commit.out" 2>/dev/null
    $PY "$SRCDIR/tests/positions.py" concise "$TMPROOT/pos-commit.out" >"$TMPROOT/pos-commit.rows"
    (cd "$TMPROOT/pos-commit" && "$ASYNCMOD" check --output-format concise .) >"$TMPROOT/pos-commit-after.out" 2>/dev/null
    $PY "$SRCDIR/tests/positions.py" concise "$TMPROOT/pos-commit-after.out" >"$TMPROOT/pos-commit-after.rows"
    if [ -s "$TMPROOT/pos-commit.rows" ] && cmp -s "$TMPROOT/pos-commit.rows" "$TMPROOT/pos-commit-after.rows" &&
       cmp -s "$TMPROOT/pos-commit.rows" "$TMPROOT/pos-after.rows"; then
        pass "positions after --commit --in-place: in the fixed text, as after --fix"
    else
        fail "positions after --commit --in-place" "$(show_diff "$TMPROOT/pos-commit-after.rows" "$TMPROOT/pos-commit.rows")"
    fi
fi
# the fixes left (unsafe ones) are edits of the fixed text: each gives what
# --fix --unsafe-fixes then writes
cp -R "$TMPROOT/pos-json" "$TMPROOT/pos-json-after"
rm -f "$TMPROOT/pos-json-after"/*.out
(cd "$TMPROOT/pos-json-after" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet --select ASYNC251 .) \
    >/dev/null 2>&1
$PY - "$TMPROOT/pos-json.out" >"$TMPROOT/pos-left.json" <<'PYEOF'
import json, sys
left = [f for f in json.load(open(sys.argv[1])) if f["code"] == "ASYNC251" and not f["applied"]]
json.dump(left, sys.stdout)
PYEOF
if out=$($PY "$SRCDIR/tests/apply_edits.py" --tree "$TMPROOT/pos-left.json" "$TMPROOT/pos-json" \
        "$TMPROOT/pos-json-after"); then
    case $out in
        *" 0 one fix"*) fail "fixes left after --fix: none to check ($out)" ;;
        *) pass "fixes left after --fix are edits of the fixed text: $out" ;;
    esac
else
    fail "fixes left after --fix" "$(echo "$out" | head -n 10)"
fi

# --- fixes of CRLF, CR-only and BOM files; report-only findings ----------------

mkdir -p "$TMPROOT/ends/orig"
printf 'import asyncio\r\nimport time\r\n\r\n\r\nasync def main():\r\n    time.sleep(1)\r\n    await asyncio.sleep(0)\r\n' \
    >"$TMPROOT/ends/orig/crlf.py"
printf 'import asyncio\rimport time\r\r\rasync def main():\r    time.sleep(1)\r    await asyncio.sleep(0)\r' \
    >"$TMPROOT/ends/orig/cr.py"
printf '\357\273\277import time\n\n\nasync def main():\n    x = "\303\274\342\202\254"; time.sleep(1)\n' \
    >"$TMPROOT/ends/orig/bom.py"
cp -R "$TMPROOT/ends/orig" "$TMPROOT/ends/fixed"
(cd "$TMPROOT/ends/orig" && "$ASYNCMOD" check --output-format json --select ASYNC251 .) \
    >"$TMPROOT/ends/findings.json" 2>&1
(cd "$TMPROOT/ends/fixed" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet --select ASYNC251 .) \
    >/dev/null 2>&1
if out=$($PY "$SRCDIR/tests/apply_edits.py" --tree "$TMPROOT/ends/findings.json" \
        "$TMPROOT/ends/orig" "$TMPROOT/ends/fixed"); then
    case $out in
        "3 files: 3 one fix"*) pass "json fixes of CRLF, CR-only and BOM files: $out" ;;
        *) fail "json fixes of CRLF, CR-only and BOM files: $out" ;;
    esac
else
    fail "json fixes of CRLF, CR-only and BOM files" "$(echo "$out" | head -n 10)"
fi

make_tree "$TMPROOT/plain"
(cd "$TMPROOT/plain" && "$ASYNCMOD" check --output-format json app.py) >"$TMPROOT/plain.json" 2>/dev/null
if out=$($PY - "$TMPROOT/plain.json" <<'PYEOF'
import json, sys
rows = json.load(open(sys.argv[1]))
for f in rows:
    fix = f["fix"]
    if f["reason"] and fix is not None:
        sys.exit("%s %s: a reason and a fix" % (f["code"], f["line"]))
    if fix is not None and set(fix) != {"applicability", "message", "edits"}:
        sys.exit("fix keys: %s" % sorted(fix))
    for e in fix["edits"] if fix else []:
        if set(e) != {"content", "location", "end_location"}:
            sys.exit("edit keys: %s" % sorted(e))
    for k in ("filename", "location", "end_location", "name"):
        if k not in f:
            sys.exit("no %s" % k)
print("%d findings, %d with a fix, %d report-only" % (
    len(rows), sum(1 for f in rows if f["fix"]), sum(1 for f in rows if not f["fix"])))
PYEOF
); then
    pass "json fix objects: $out"
else
    fail "json fix objects: $out"
fi

# a second run answers from the cache of results: the same fixes
(cd "$TMPROOT/plain" && "$ASYNCMOD" check --output-format json app.py) >"$TMPROOT/plain2.json" 2>/dev/null
if cmp -s "$TMPROOT/plain.json" "$TMPROOT/plain2.json"; then
    pass "json fix objects: the same on a second run (with the cache)"
else
    fail "json fix objects: a second run differs" "$(show_diff "$TMPROOT/plain.json" "$TMPROOT/plain2.json")"
fi

# --- --statistics, --exit-zero, --show-fixes ----------------------------------

run_in() {
    dir=$1
    shift
    status=0
    (cd "$dir" && "$ASYNCMOD" "$@") || status=$?
}
run_in "$TMPROOT/plain" check --statistics . >"$TMPROOT/stats.txt" 2>&1
expected_stats=$(printf '%s\n' \
    '4	AM105   	[*] get-event-loop-in-coroutine' \
    '2	AM202   	[ ] wait-for-instead-of-timeout' \
    '2	AM203   	[*] timeout-error-alias' \
    '2	ASYNC251	[ ] blocking-sleep-in-async-function' \
    '2	ASYNC300	[*] create-task-no-reference')
if [ "$status" = 1 ] && [ "$(cat "$TMPROOT/stats.txt")" = "$expected_stats" ]; then
    pass "--statistics: a line per code, most frequent first, exit 1"
else
    fail "--statistics (exit $status)" "$(cat "$TMPROOT/stats.txt")"
fi
run_in "$TMPROOT/plain" check --statistics --unsafe-fixes --output-format json . >"$TMPROOT/stats.json"
if [ "$status" = 1 ] && $PY -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert [(r["code"], r["count"], r["fixable"]) for r in rows] == [
    ("AM105", 4, True), ("AM202", 2, True), ("AM203", 2, True), ("ASYNC251", 2, True),
    ("ASYNC300", 2, True)], rows
assert rows[0]["name"] == "get-event-loop-in-coroutine"
' "$TMPROOT/stats.json"; then
    pass "--statistics --output-format json"
else
    fail "--statistics --output-format json (exit $status)" "$(head -n 12 "$TMPROOT/stats.json")"
fi
run_in "$TMPROOT/plain" check --statistics --output-format sarif . >/dev/null 2>"$TMPROOT/stats.err"
if [ "$status" = 2 ] && grep -q 'statistics' "$TMPROOT/stats.err"; then
    pass "--statistics with sarif: refused"
else
    fail "--statistics with sarif: exit $status" "$(cat "$TMPROOT/stats.err")"
fi

run_in "$TMPROOT/plain" check --exit-zero . >"$TMPROOT/ez.txt" 2>&1
run_in "$TMPROOT/plain" check . >"$TMPROOT/ez-plain.txt" 2>&1
if [ "$status" = 1 ]; then
    run_in "$TMPROOT/plain" check --exit-zero . >"$TMPROOT/ez.txt" 2>&1
    if [ "$status" = 0 ] && cmp -s "$TMPROOT/ez.txt" "$TMPROOT/ez-plain.txt"; then
        pass "--exit-zero: exit 0 with findings, the same report"
    else
        fail "--exit-zero: exit $status"
    fi
else
    fail "--exit-zero: the tree gives exit $status without it"
fi
run_in "$TMPROOT/plain" check --exit-zero nope.py >/dev/null 2>&1
if [ "$status" = 2 ]; then
    pass "--exit-zero: an error still exits 2"
else
    fail "--exit-zero: a missing file exits $status"
fi

make_tree "$TMPROOT/shown"
run_in "$TMPROOT/shown" check --fix --show-fixes . >"$TMPROOT/shown.txt" 2>&1
expected_shown=$(printf '%s\n' '' 'Fixed 6 findings:' '- app.py:' \
    '    1 × ASYNC300 (create-task-no-reference)' '    1 × AM105 (get-event-loop-in-coroutine)' \
    '    1 × AM203 (timeout-error-alias)' '- second.py:' \
    '    1 × ASYNC300 (create-task-no-reference)' '    1 × AM105 (get-event-loop-in-coroutine)' \
    '    1 × AM203 (timeout-error-alias)' '')
got_shown=$(sed -n '/^$/,/^$/p' "$TMPROOT/shown.txt")
if [ "$got_shown" = "$expected_shown" ] && tail -n 2 "$TMPROOT/shown.txt" | grep -q '^Found 12 findings (6 fixed, 6 remaining)\.$'; then
    pass "--show-fixes: the fixes per file between the findings and the summary"
else
    fail "--show-fixes" "$(cat "$TMPROOT/shown.txt")"
fi
make_tree "$TMPROOT/shown-quiet"
run_in "$TMPROOT/shown-quiet" check --fix --show-fixes --quiet . >"$TMPROOT/shown-quiet.txt" 2>&1
run_in "$TMPROOT/shown-quiet" check --show-fixes . >"$TMPROOT/shown-check.txt" 2>&1
if grep -q '^Fixed' "$TMPROOT/shown-quiet.txt" "$TMPROOT/shown-check.txt"; then
    fail "--show-fixes: printed with --quiet or without --fix"
else
    pass "--show-fixes: nothing with --quiet, nothing without --fix"
fi

# --- --output-file ---------------------------------------------------------------

run_in "$TMPROOT/plain" check --output-format json --output-file out/report.json . 2>"$TMPROOT/of.err"
if [ "$status" = 2 ] && grep -q 'out/report.json' "$TMPROOT/of.err" && [ ! -e "$TMPROOT/plain/out" ]; then
    pass "--output-file in a missing folder: exit 2, named"
else
    fail "--output-file in a missing folder: exit $status" "$(cat "$TMPROOT/of.err")"
fi
run_in "$TMPROOT/plain" check --output-format json --output-file report.json . >"$TMPROOT/of.out" 2>"$TMPROOT/of.err"
run_in "$TMPROOT/plain" check --output-format json . >"$TMPROOT/of-stdout.json" 2>/dev/null
if [ "$status" = 1 ] && [ ! -s "$TMPROOT/of.out" ] && cmp -s "$TMPROOT/plain/report.json" "$TMPROOT/of-stdout.json"; then
    pass "--output-file: the report there, nothing on stdout, the same exit status"
else
    fail "--output-file: exit $status" "$(head -n 3 "$TMPROOT/of.out")"
fi
rm -f "$TMPROOT/plain/report.json"
run_in "$TMPROOT/plain" check --output-file report.json nope.py app.py >"$TMPROOT/of.out" 2>"$TMPROOT/of.err"
if [ "$status" = 2 ] && grep -q 'nope.py' "$TMPROOT/of.err" && ! grep -q 'nope' "$TMPROOT/of.out" &&
   grep -q '^app.py:6:12: AM105' "$TMPROOT/plain/report.json"; then
    pass "--output-file: errors still on stderr"
else
    fail "--output-file with an error: exit $status" "$(cat "$TMPROOT/of.err")"
fi
echo "old report" >"$TMPROOT/plain/keep.txt"
chmod 640 "$TMPROOT/plain/keep.txt"
run_in "$TMPROOT/plain" check --select NOPE --output-file keep.txt . >/dev/null 2>&1
if [ "$status" = 2 ] && [ "$(cat "$TMPROOT/plain/keep.txt")" = "old report" ] &&
   [ -z "$(find "$TMPROOT/plain" -name '.keep.txt.*')" ]; then
    pass "--output-file: a run that cannot start leaves the file as it was, no scratch file"
else
    fail "--output-file: a failed run changed the file (exit $status)" "$(ls -a "$TMPROOT/plain")"
fi
run_in "$TMPROOT/plain" check --output-file keep.txt clean.py >/dev/null 2>&1
if [ "$status" = 0 ] && [ "$(cat "$TMPROOT/plain/keep.txt")" = "All checks passed!" ] &&
   [ "$(stat -c %a "$TMPROOT/plain/keep.txt")" = 640 ]; then
    pass "--output-file: replaces the file, keeping its mode"
else
    fail "--output-file: exit $status, mode $(stat -c %a "$TMPROOT/plain/keep.txt")" "$(cat "$TMPROOT/plain/keep.txt")"
fi

# --- colour ------------------------------------------------------------------------

colour_case() {   # NAME EXPECT(yes|no) ENV... -- ARGS...
    name=$1 expect=$2
    shift 2
    (cd "$TMPROOT/plain" && env "$@") >"$TMPROOT/colour.out" 2>/dev/null
    if grep -q "$ESC\[" "$TMPROOT/colour.out"; then got=yes; else got=no; fi
    if [ "$got" = "$expect" ]; then
        pass "colour, piped, $name: $got"
    else
        fail "colour, piped, $name: $got, expected $expect" "$(head -n 2 "$TMPROOT/colour.out" | cat -v)"
    fi
}
colour_case "no option" no "$ASYNCMOD" check app.py
colour_case "--color=always" yes "$ASYNCMOD" check --color=always app.py
colour_case "FORCE_COLOR=1" yes FORCE_COLOR=1 "$ASYNCMOD" check app.py
colour_case "FORCE_COLOR empty" no FORCE_COLOR= "$ASYNCMOD" check app.py
colour_case "FORCE_COLOR=1 --color never" no FORCE_COLOR=1 "$ASYNCMOD" check --color never app.py
colour_case "NO_COLOR=1 --color always" yes NO_COLOR=1 "$ASYNCMOD" check --color always app.py
colour_case "--statistics --color always" yes "$ASYNCMOD" check --statistics --color always app.py
colour_case "json --color always" no "$ASYNCMOD" check --output-format json --color always app.py
(cd "$TMPROOT/plain" && "$ASYNCMOD" check --color always app.py) 2>/dev/null |
    sed "s/$ESC\[[0-9;]*m//g" >"$TMPROOT/colour-stripped.txt"
(cd "$TMPROOT/plain" && "$ASYNCMOD" check app.py) >"$TMPROOT/colour-plain.txt" 2>/dev/null
if cmp -s "$TMPROOT/colour-stripped.txt" "$TMPROOT/colour-plain.txt"; then
    pass "--color always: nothing but colour added"
else
    fail "--color always: more than colour" "$(show_diff "$TMPROOT/colour-plain.txt" "$TMPROOT/colour-stripped.txt")"
fi
status=0
"$ASYNCMOD" check --color sometimes "$TMPROOT/plain" >/dev/null 2>"$TMPROOT/colour.err" || status=$?
if [ "$status" = 2 ] && grep -q "sometimes" "$TMPROOT/colour.err"; then
    pass "--color sometimes: refused"
else
    fail "--color sometimes: exit $status" "$(cat "$TMPROOT/colour.err")"
fi

# --- paths from the top of the work tree -------------------------------------------

if ! command -v git >/dev/null 2>&1; then
    echo "SKIP: paths from the top of the work tree (no git)"
else
    mkdir -p "$TMPROOT/repo/pkg/sub"
    cp "$SRCDIR/fixtures/cli-trees/app/app.py" "$TMPROOT/repo/pkg/sub/app.py"
    chmod u+w "$TMPROOT/repo/pkg/sub/app.py"
    git -C "$TMPROOT/repo" init -q
    top=$(cd "$TMPROOT/repo" && pwd -P)
    run_in "$TMPROOT/repo/pkg" check --output-format github sub/app.py >"$TMPROOT/gh.txt" 2>/dev/null
    run_in "$TMPROOT/repo/pkg" check --output-format sarif sub/app.py >"$TMPROOT/paths.sarif" 2>/dev/null
    run_in "$TMPROOT/repo/pkg" check --output-format concise sub/app.py >"$TMPROOT/paths.txt" 2>/dev/null
    run_in "$TMPROOT/repo/pkg" check --output-format json sub/app.py >"$TMPROOT/paths.json" 2>/dev/null
    if [ "$(grep -c '^::warning file=pkg/sub/app\.py,' "$TMPROOT/gh.txt")" = 6 ] &&
       ! grep -v '^::warning file=pkg/sub/app\.py,' "$TMPROOT/gh.txt" >/dev/null; then
        pass "github from a subfolder: file= from the top of the work tree"
    else
        fail "github from a subfolder" "$(head -n 2 "$TMPROOT/gh.txt")"
    fi
    if $PY - "$TMPROOT/paths.sarif" "$top" <<'PYEOF'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
assert base == "file://" + sys.argv[2] + "/", base
locs = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
assert len(locs) == 6 and all(l == {"uri": "pkg/sub/app.py", "uriBaseId": "%SRCROOT%"} for l in locs), locs
PYEOF
    then
        pass "sarif from a subfolder: URIs from %SRCROOT%, the top of the work tree"
    else
        fail "sarif from a subfolder" "$(grep -m 3 '"uri"' "$TMPROOT/paths.sarif")"
    fi
    if grep -q '^sub/app\.py:6:12: AM105' "$TMPROOT/paths.txt" &&
       grep -q '"path": "sub/app.py"' "$TMPROOT/paths.json" &&
       grep -q "\"filename\": \"$top/pkg/sub/app.py\"" "$TMPROOT/paths.json"; then
        pass "text and json path from the working folder, json filename absolute (as ruff)"
    else
        fail "text and json paths" "$(head -n 1 "$TMPROOT/paths.txt")" "$(grep -m 2 'path\|filename' "$TMPROOT/paths.json")"
    fi
fi

# --- progress ------------------------------------------------------------------------

# enough files for the run to last past the line's first showing (0.2 s);
# no cache, so that every run checks them all
mkdir -p "$TMPROOT/many"
i=0
while [ $i -lt 12 ]; do
    echo "async def f$i(t):"
    echo "    await t.sleep($i)"
    echo "    return [x * $i for x in range($i) if x % 3]"
    i=$((i + 1))
done >"$TMPROOT/base.py"
i=0
while [ $i -lt 1000 ]; do cp "$TMPROOT/base.py" "$TMPROOT/many/m$i.py"; i=$((i + 1)); done
cp "$SRCDIR/fixtures/cli-trees/app/app.py" "$TMPROOT/many/"
if ! $PY -c 'import pty' 2>/dev/null; then
    echo "SKIP: progress on a terminal (no pty module)"
else
    (cd "$TMPROOT/many" && env -u CI $PY "$SRCDIR/tests/pty_session.py" "" "$TMPROOT/pty1.txt" -- \
        "$ASYNCMOD" check --no-cache -j 1 --statistics .) >"$TMPROOT/pty1.status"
    if grep -q "asyncmod: [0-9]*/1001 files, [0-9]* findings\?" "$TMPROOT/pty1.txt" &&
       $PY - "$TMPROOT/pty1.txt" <<'PYEOF'
import re, sys
t = open(sys.argv[1], "rb").read()
lines = re.findall(rb"\r\x1b\[Kasyncmod: (\d+)/1001 files, (\d+) findings?", t)
done = [int(m[0]) for m in lines]
assert lines, t[:200]
assert done == sorted(done), done
# the line is erased before the report: the report starts after "\r\x1b[K"
last = t.rindex(b"asyncmod: ")
rest = t[last:]
assert b"\r\x1b[K" in rest and rest.index(b"\r\x1b[K") < rest.index(b"AM105"), rest[:120]
assert b"get-event-loop-in-coroutine" in rest.split(b"\r\x1b[K", 1)[1]
PYEOF
    then
        pass "progress on a terminal: files done of the total, erased before the report"
    else
        fail "progress on a terminal" "$(cat -v "$TMPROOT/pty1.txt" | head -c 600)"
    fi
    (cd "$TMPROOT/many" && CI=true $PY "$SRCDIR/tests/pty_session.py" "" "$TMPROOT/pty2.txt" -- \
        "$ASYNCMOD" check --no-cache -j 1 --statistics .) >/dev/null
    (cd "$TMPROOT/many" && env -u CI $PY "$SRCDIR/tests/pty_session.py" "" "$TMPROOT/pty3.txt" -- \
        "$ASYNCMOD" check --no-cache -j 1 --quiet --statistics .) >/dev/null
    if grep -q "files, " "$TMPROOT/pty2.txt" "$TMPROOT/pty3.txt"; then
        fail "progress: shown with CI set or --quiet" "$(grep -l 'files, ' "$TMPROOT/pty2.txt" "$TMPROOT/pty3.txt")"
    elif ! grep -q "AM105" "$TMPROOT/pty2.txt" || ! grep -q "AM105" "$TMPROOT/pty3.txt"; then
        fail "progress: the runs with CI set or --quiet did not report"
    else
        pass "progress: none with CI set, none with --quiet"
    fi
fi
(cd "$TMPROOT/many" && env -u CI "$ASYNCMOD" check --no-cache -j 1 --statistics .) >"$TMPROOT/piped.out" 2>"$TMPROOT/piped.err"
if [ -s "$TMPROOT/piped.err" ] || grep -q "files, " "$TMPROOT/piped.out"; then
    fail "progress: written to a pipe" "$(head -c 300 "$TMPROOT/piped.err" | cat -v)"
else
    pass "progress: nothing when stderr is not a terminal"
fi

finish
