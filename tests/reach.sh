#!/bin/sh
# The patterns of the rules that report only inside async defs
# (transform.in_async_def) run over the async defs alone. That must change
# no finding and no fix: tests/reach runs every rule over each file both
# ways, with unsafe fixes, and compares the findings and the fixed text.
# The files: every fixture input, the standard's examples, and the
# real-code corpus of tests/realcode.sh (the standard library and the
# asyncio packages Debian installs, read in place). A rule wrongly marked
# in_async_def shows here as a file that differs.
. "$SRCDIR/tests/lib.sh"

STDLIB=${REALCODE_STDLIB:-/usr/lib/python3.11}
DIST=${REALCODE_DIST:-/usr/lib/python3/dist-packages}
PACKAGES="aiohttp httpx httpcore anyio tornado websockets asyncpg uvicorn starlette janus aiosqlite
aiofiles requests urllib3"

# check NAME: runs tests/reach over the paths in $TMPROOT/list
check() {
    if "$BUILDDIR/tests/reach" <"$TMPROOT/list" >"$TMPROOT/out" 2>&1; then
        pass "$1: $(tail -n 1 "$TMPROOT/out")"
    else
        fail "$1: the findings differ" "$(head -n 40 "$TMPROOT/out")" "$(tail -n 1 "$TMPROOT/out")"
    fi
}

find "$SRCDIR/fixtures" -type f \( -name '*.py' -o -name 'input*' \) ! -name '*.expected' |
    LC_ALL=C sort >"$TMPROOT/list"
check "fixtures"

if [ "${ASYNCMOD_REALCODE:-1}" = 0 ]; then
    echo "SKIP: the real-code corpus (ASYNCMOD_REALCODE=0)"
else
    : >"$TMPROOT/list"
    for tree in "$STDLIB" $(for p in $PACKAGES; do echo "$DIST/$p"; done); do
        [ -d "$tree" ] || continue
        find "$tree" -name __pycache__ -prune -o -type f -name '*.py' -print >>"$TMPROOT/list"
    done
    check "the standard library and the asyncio packages ($(wc -l <"$TMPROOT/list") files)"
fi
finish
