#!/bin/sh
# `asyncmod check --diff DIR | git apply` must produce exactly what
# `asyncmod check --fix DIR` writes, and a second --fix must change nothing.
. "$SRCDIR/tests/lib.sh"

for tree in "$SRCDIR"/examples/demo "$SRCDIR"/fixtures/cli-trees/project; do
    name=${tree#"$SRCDIR"/}
    a="$TMPROOT/a"; b="$TMPROOT/b"
    rm -rf "$a" "$b"
    cp -R "$tree" "$a"; cp -R "$tree" "$b"
    chmod -R u+w "$a" "$b"   # the source tree may be read-only
    (cd "$a" && "$ASYNCMOD" check --diff . 2>/dev/null >"$TMPROOT/patch")
    (cd "$a" && git apply "$TMPROOT/patch") 2>"$TMPROOT/apply.err" || {
        fail "$name: git apply rejected the diff" "$(cat "$TMPROOT/apply.err")"; continue; }
    (cd "$b" && "$ASYNCMOD" check --fix . >/dev/null 2>&1)
    if ! diff -r "$a" "$b" >"$TMPROOT/d"; then
        fail "$name: --diff | git apply differs from --fix" "$(head -n 20 "$TMPROOT/d")"
        continue
    fi
    if [ ! -s "$TMPROOT/patch" ]; then
        fail "$name: the diff is empty"
        continue
    fi
    cp -R "$b" "$TMPROOT/b2"
    (cd "$b" && "$ASYNCMOD" check --fix . >/dev/null 2>&1)
    status=0
    (cd "$b" && "$ASYNCMOD" check --diff . >"$TMPROOT/patch2" 2>/dev/null) || status=$?
    if ! diff -r "$b" "$TMPROOT/b2" >/dev/null; then
        fail "$name: a second --fix changed files"
    elif [ "$status" -ne 0 ] || [ -s "$TMPROOT/patch2" ]; then
        fail "$name: --diff after --fix is not empty (status $status)"
    else
        pass "$name"
    fi
    rm -rf "$TMPROOT/b2"
done
finish
