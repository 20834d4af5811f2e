#!/bin/sh
# The standard's own examples as the acceptance suite: tests/standard/
# standard.py reads ../shared/spec/python-async-standard.zh.md next to the
# source tree (or below $ASYNCMOD_SHARED) at test time, splits every
# python block into its ✅/❌ examples and checks them with asyncmod:
# every ❌ example is detected, every ✅ example gets no finding (a 3.10-
# form under --target-version py310), and the fixes of ❌ examples give
# the ✅ forms. The examples are checked under the standard's own pytest
# configuration (its [tool.pytest.ini_options] block, written as the work
# folder's pyproject.toml). The tables in tests/standard/ list the exceptions, each
# with its reason; a change of the standard (a block or an example more
# or less, a renamed heading) fails. Every section `explain` cites is a
# heading of the standard, and every line it quotes stands in that section.
. "$SRCDIR/tests/lib.sh"

spec="${ASYNCMOD_SHARED:-$SRCDIR/../shared}/spec/python-async-standard.zh.md"
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if [ ! -f "$spec" ]; then
    fail "the standard is at $spec" "not found: the shared folder sits next to the source tree"
    finish
    exit 1
fi
mkdir -p "$TMPROOT/work"
"$python" "$SRCDIR/tests/standard/standard.py" "$spec" "$ASYNCMOD" "$SRCDIR/tests/standard" \
    "$TMPROOT/work" >"$TMPROOT/out.txt" 2>"$TMPROOT/err.txt"
status=$?
grep -v '^[0-9]* passed, [0-9]* failed$' "$TMPROOT/out.txt"
passed=$(grep -c '^PASS: ' "$TMPROOT/out.txt")
failed=$(grep -c '^FAIL: ' "$TMPROOT/out.txt")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail "standard.py exited $status" "$(tail -n 5 "$TMPROOT/err.txt")"
fi
finish
