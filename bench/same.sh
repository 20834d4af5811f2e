#!/bin/sh
# Identity check (not a test of the catalog): runs a reference binary and
# this tree's ./asyncmod over the real-code corpus and fails on any
# difference in what they print. Use it before and after a change to the
# matching layer, which must not move a finding or a byte of a fix.
#
#   bench/same.sh REFERENCE [PATH...]
#
# REFERENCE is an asyncmod binary built from the base the change starts
# from (copy ./asyncmod aside before changing anything); SAME_NEW names
# another binary to set against it than ./asyncmod. PATH defaults to
# the corpus of tests/realcode.sh: the standard library and the asyncio
# packages Debian installs. Two runs per binary, both without the cache
# and with every rule: `--output-format json` (findings, with each fix's
# edits) and `--diff --unsafe-fixes` (the fixed text, unsafe fixes
# included). Nothing is written to the trees. The reference's outputs are
# kept in $TMPDIR keyed by the binary's checksum and the paths, so a second
# comparison only runs the new binary. Prints "N passed, M failed".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:?usage: bench/same.sh REFERENCE [PATH...]}
shift
new=${SAME_NEW:-$top/asyncmod}
[ -x "$ref" ] && [ -x "$new" ] || { echo "same: $ref and $new must be executables" >&2; exit 2; }

if [ $# -eq 0 ]; then
    dist=/usr/lib/python3/dist-packages
    set -- /usr/lib/python3.11
    for p in aiohttp httpx httpcore anyio tornado websockets asyncpg uvicorn starlette janus \
        aiosqlite aiofiles requests urllib3; do
        [ -d "$dist/$p" ] && set -- "$@" "$dist/$p"
    done
fi

key=$( (sha256sum <"$ref"; printf '%s\n' "$@") | sha256sum | cut -c1-16)
keep="${TMPDIR:-/tmp}/asyncmod-same-$key"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$keep"

passed=0 failed=0
# run BIN OUT ARGS...: stdout to OUT, stderr to OUT.err, status to OUT.rc
run() {
    bin=$1 out=$2
    shift 2
    "$bin" check --isolated --no-cache "$@" >"$out" 2>"$out.err"
    echo $? >"$out.rc"
}
for mode in json diff; do
    case $mode in
    json) opts="--output-format json" ;;
    diff) opts="--diff --unsafe-fixes" ;;
    esac
    if ! [ -s "$keep/$mode.rc" ]; then
        # shellcheck disable=SC2086
        run "$ref" "$keep/$mode.tmp" $opts "$@"
        mv "$keep/$mode.tmp.err" "$keep/$mode.err"
        mv "$keep/$mode.tmp" "$keep/$mode"
        mv "$keep/$mode.tmp.rc" "$keep/$mode.rc"
    fi
    # shellcheck disable=SC2086
    run "$new" "$tmp/$mode" $opts "$@"
    bad=""
    cmp -s "$keep/$mode" "$tmp/$mode" || bad="$bad stdout"
    cmp -s "$keep/$mode.err" "$tmp/$mode.err" || bad="$bad stderr"
    cmp -s "$keep/$mode.rc" "$tmp/$mode.rc" || bad="$bad exit-status"
    lines=$(wc -l <"$tmp/$mode")
    if [ -z "$bad" ] && [ "$lines" -gt 0 ]; then
        echo "PASS: $opts: identical ($lines lines, exit $(cat "$tmp/$mode.rc"))"
        passed=$((passed + 1))
    else
        [ -z "$bad" ] && bad=" (empty output)"
        echo "FAIL: $opts: differs in$bad"
        diff "$keep/$mode" "$tmp/$mode" | head -n 20 | sed 's/^/      /'
        diff "$keep/$mode.err" "$tmp/$mode.err" | head -n 5 | sed 's/^/      /'
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
