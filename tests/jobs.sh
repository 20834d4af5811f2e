#!/bin/sh
# The output does not depend on --jobs: part of the standard library (the
# asyncio package, a few other packages and some of its largest files,
# which the workers take first) checked with -j 1, 2 and 8 prints the
# same bytes, in every output format.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-/usr/bin/python3}
lib=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || echo /usr/lib/python3.11)
set --
for p in asyncio concurrent json http email/_header_value_parser.py pydoc_data/topics.py \
    typing.py inspect.py subprocess.py; do
    [ -e "$lib/$p" ] && set -- "$@" "$lib/$p"
done
if [ $# -lt 3 ]; then
    fail "the standard library is at $lib" "found only: $*"
    finish
    exit
fi
for fmt in text json sarif; do
    for j in 1 2 8; do
        "$ASYNCMOD" check --no-cache --jobs "$j" --output-format "$fmt" "$@" \
            >"$TMPROOT/$fmt-$j.out" 2>"$TMPROOT/$fmt-$j.err"
        echo $? >>"$TMPROOT/$fmt-$j.err"
    done
    if [ ! -s "$TMPROOT/$fmt-1.out" ]; then
        fail "--jobs 1, 2, 8 print the same ($fmt)" "no output"
    elif cmp -s "$TMPROOT/$fmt-1.out" "$TMPROOT/$fmt-2.out" && cmp -s "$TMPROOT/$fmt-1.out" "$TMPROOT/$fmt-8.out" &&
        cmp -s "$TMPROOT/$fmt-1.err" "$TMPROOT/$fmt-2.err" && cmp -s "$TMPROOT/$fmt-1.err" "$TMPROOT/$fmt-8.err"; then
        pass "--jobs 1, 2, 8 print the same ($fmt, $(wc -l <"$TMPROOT/$fmt-1.out") lines)"
    else
        fail "--jobs 1, 2, 8 print the same ($fmt)" "$(show_diff "$TMPROOT/$fmt-1.out" "$TMPROOT/$fmt-8.out")"
    fi
done
# with --diff too (no file is written)
for j in 1 2 8; do
    "$ASYNCMOD" check --no-cache --jobs "$j" --diff --unsafe-fixes "$@" >"$TMPROOT/diff-$j.out" 2>&1
done
if cmp -s "$TMPROOT/diff-1.out" "$TMPROOT/diff-2.out" && cmp -s "$TMPROOT/diff-1.out" "$TMPROOT/diff-8.out"; then
    pass "--jobs 1, 2, 8 give the same --diff ($(wc -l <"$TMPROOT/diff-1.out") lines)"
else
    fail "--jobs 1, 2, 8 give the same --diff" "$(show_diff "$TMPROOT/diff-1.out" "$TMPROOT/diff-8.out")"
fi
finish
