#!/bin/sh
# Whole-CLI cases: fixtures/cli/CASE/ holds `cmd` (a shell script run with
# `asyncmod` on PATH, inside a scratch copy of CASE/tree/, or of the shared
# tree fixtures/cli-trees/NAME/ that CASE/tree-from names, when there is
# one), `stdout-expected`, `exit-expected`, and optionally
# `stderr-expected`.
. "$SRCDIR/tests/lib.sh"

for case in "$SRCDIR"/fixtures/cli/*/; do
    case=${case%/}
    name=${case##*/}
    work="$TMPROOT/$name"
    mkdir -p "$work/run"
    [ -d "$case/tree" ] && cp -R "$case/tree/." "$work/run/"
    [ -f "$case/tree-from" ] && cp -R "$SRCDIR/fixtures/cli-trees/$(cat "$case/tree-from")/." "$work/run/"
    chmod -R u+w "$work/run"   # the source tree may be read-only
    status=0
    (cd "$work/run" && sh "$case/cmd") >"$work/stdout" 2>"$work/stderr" || status=$?
    want=$(cat "$case/exit-expected")
    if [ "$status" != "$want" ]; then
        fail "$name: exit status $status, expected $want" "stderr: $(head -n 5 "$work/stderr")"
    elif ! cmp -s "$work/stdout" "$case/stdout-expected"; then
        fail "$name: stdout" "$(show_diff "$case/stdout-expected" "$work/stdout")"
    elif [ -f "$case/stderr-expected" ] && ! cmp -s "$work/stderr" "$case/stderr-expected"; then
        fail "$name: stderr" "$(show_diff "$case/stderr-expected" "$work/stderr")"
    else
        pass "$name"
    fi
done
finish
