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
#   - after --fix, the findings left at the same place in every format;
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
: >"$fx/counts"
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
    elif out=$($PY "$SRCDIR/tests/apply_edits.py" --tree "$fx/g$g/findings.json" \
            "$fx/g$g/orig" "$fx/g$g/fixed"); then
        echo "$out" >>"$fx/counts"
    else
        fail "json fixes ($args)" "$(echo "$out" | head -n 10)"
        bad=$((bad + 1))
    fi
done <"$fx/groups"
# "N files: S one fix, M several, Z none" per group, summed
sum=$(awk '{ n += $1; s += $3; m += $6; z += $8 }
           END { printf "%d files: %d with one fix as --fix writes it, %d with several, %d none", n, s, m, z }' \
      "$fx/counts")
if [ "$bad" = 0 ] && [ "$(wc -l <"$fx/counts")" -gt 30 ]; then
    pass "json fixes of the golden cases, $g option sets: $sum"
elif [ "$bad" = 0 ]; then
    fail "json fixes: only $(wc -l <"$fx/counts") option sets checked"
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

finish
