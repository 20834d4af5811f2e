#!/bin/sh
# Runs every example of man/asyncmod.1 from the top of the source tree and
# checks its exit status. An example is marked in the page source as
#   .\" example: STATUS
#   .EX
#   $ COMMAND
#   .EE
. "$SRCDIR/tests/lib.sh"

page="$SRCDIR/man/asyncmod.1"
awk '
    /^\.\\" example: [0-9]+$/ { status = $3; want = 1; next }
    want && /^\$ / { sub(/^\$ /, ""); print status "\t" $0; want = 0 }
' "$page" >"$TMPROOT/examples"

[ -s "$TMPROOT/examples" ] || fail "no examples found in $page"
while IFS='	' read -r want cmd; do
    status=0
    (cd "$SRCDIR" && sh -c "$cmd") >"$TMPROOT/out" 2>"$TMPROOT/err" || status=$?
    if [ "$status" -ne "$want" ]; then
        fail "$cmd: exit status $status, expected $want" "$(head -n 3 "$TMPROOT/err")"
    elif [ "$want" -ne 2 ] && [ ! -s "$TMPROOT/out" ]; then
        fail "$cmd: printed nothing"
    else
        pass "$cmd"
    fi
done <"$TMPROOT/examples"
finish
