#!/bin/sh
# The INI reader of pytest's configuration files (src/ini.c) against
# iniconfig, the reader pytest uses (Debian's python3-iniconfig, read in
# place): hand-written corners of the dialect and seeded random texts must
# give the same entries, or be refused by both at the same line
# (tests/ini_compare.py).
. "$SRCDIR/tests/lib.sh"

python=/usr/bin/python3
[ -x "$python" ] || python=python3
if ! "$python" -c 'import iniconfig' 2>/dev/null; then
    fail "iniconfig is importable" "install python3-iniconfig (./bootstrap does)"
    finish
    exit 1
fi
mkdir -p "$TMPROOT/work"
"$python" "$SRCDIR/tests/ini_compare.py" "$BUILDDIR/tests/ini_decode" "$TMPROOT/work" \
    >"$TMPROOT/out.txt" 2>"$TMPROOT/err.txt"
status=$?
cat "$TMPROOT/out.txt"
passed=$(grep -c '^PASS: ' "$TMPROOT/out.txt")
failed=$(grep -c '^FAIL: ' "$TMPROOT/out.txt")
if [ "$status" -ne 0 ]; then
    fail "ini_compare.py exited $status" "$(tail -n 5 "$TMPROOT/err.txt")"
fi
finish
