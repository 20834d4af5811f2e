#!/bin/sh
# Runs the libFuzzer targets of a build configured with --enable-fuzz.
#
#   fuzz/run.sh [--regress] [TARGET...]     (from the build folder)
#
# --regress runs every input of fuzz/regressions/TARGET/ once and stops at
# the first crash or oracle failure. Otherwise each target fuzzes for
# FUZZ_SECONDS (default 600) from seeds made from fixtures/ and tests/ into
# fuzz/corpus/TARGET/seeds (git-ignored); new inputs are kept in
# fuzz/corpus/TARGET/, and inputs that crashed in fuzz/corpus/TARGET-crash-*.
# TARGET is pipeline, toml, manifest, url or ini (default: all five).
# FUZZ_FLAGS adds libFuzzer flags. FUZZ_TIMEOUT (default 10) is the
# seconds one input may take before it counts as a hang: an input takes
# milliseconds, but on a loaded machine a 1 s limit also stops on inputs
# that were only waiting for a core. Exits non-zero when a target failed.
set -u

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${BUILDDIR:-$(pwd)}
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_FLAGS=${FUZZ_FLAGS:-}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
regress=0
if [ "${1:-}" = "--regress" ]; then
    regress=1
    shift
fi
targets=${*:-pipeline toml manifest url ini}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# seeds TARGET DIR: writes the seed inputs of TARGET into DIR.
seeds() {
    rm -rf "$2" && mkdir -p "$2"
    i=0
    case $1 in
    pipeline)
        find "$SRCDIR/fixtures" "$SRCDIR/examples" -type f \
            \( -name input.py -o -name before.py -o -name expected.py -o -name '*.py' \) |
        while read -r f; do
            i=$((i + 1))
            cp "$f" "$2/seed$i.py"
        done ;;
    toml)
        find "$SRCDIR/fixtures" "$SRCDIR/examples" "$SRCDIR/tests" -type f -name '*.toml' |
        while read -r f; do
            i=$((i + 1))
            cp "$f" "$2/seed$i.toml"
        done ;;
    manifest)
        awk -v dir="$2" '/cat >.*manifest.* <<EOF/ { n++; on = 1; next }
            on && /^EOF$/ { on = 0; next }
            on { gsub(/\$T/, "/tmp/batch"); print > (dir "/seed" n) }' "$SRCDIR/tests/batch.sh"
        printf '/tmp/a branch=x paths=a,b # note\nhttps://u:p@h/r.git\n' >"$2/seed-mixed" ;;
    ini)
        find "$SRCDIR/fixtures" -type f \( -name '*.ini' -o -name '*.cfg' \) |
        while read -r f; do
            i=$((i + 1))
            cp "$f" "$2/seed$i.ini"
        done
        printf '[pytest]\naddopts = -ra\n  --asyncio-mode=auto\n; c\n[a]b] # x\nk: v=w\n' >"$2/seed-mixed" ;;
    url)
        # each repository of the regression inputs and the tests' manifests
        cat "$SRCDIR"/fuzz/regressions/url/* "$SRCDIR/tests/batch.sh" "$SRCDIR/tests/hostile_git.sh" |
            grep -E '^[^ #]*(://|@|:)[^ ]*$' | sort -u | while IFS= read -r line; do
            i=$((i + 1))
            printf '%s' "$line" >"$2/seed$i"
        done ;;
    esac
}

status=0
for t in $targets; do
    bin=$BUILDDIR/fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "fuzz/run.sh: no $bin: configure with CC=clang --enable-fuzz and make" >&2; exit 2; }
    if [ "$regress" -eq 1 ]; then
        dir=$SRCDIR/fuzz/regressions/$t
        set -- "$dir"/*
        [ -e "$1" ] || continue
        echo "fuzz/run.sh: $t: $# regression input(s)"
        "$bin" -timeout="$FUZZ_TIMEOUT" $FUZZ_FLAGS "$@" >"$BUILDDIR/fuzz/regress-$t.log" 2>&1 || {
            echo "fuzz/run.sh: $t: regression failed:" >&2
            tail -n 60 "$BUILDDIR/fuzz/regress-$t.log" >&2
            status=1
        }
        continue
    fi
    corpus=$BUILDDIR/fuzz/corpus/$t
    mkdir -p "$corpus"
    seeds "$t" "$corpus/seeds"
    dict=
    [ -f "$SRCDIR/fuzz/$t.dict" ] && dict="-dict=$SRCDIR/fuzz/$t.dict"
    echo "fuzz/run.sh: $t: fuzzing for $FUZZ_SECONDS s ($(ls "$corpus/seeds" | wc -l) seeds)"
    "$bin" -timeout="$FUZZ_TIMEOUT" -max_total_time="$FUZZ_SECONDS" -max_len=8192 -print_final_stats=1 \
        -artifact_prefix="$corpus-" $dict $FUZZ_FLAGS "$corpus" "$corpus/seeds" \
        >"$BUILDDIR/fuzz/fuzz-$t.log" 2>&1
    rc=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|stat::slowest_unit_time_sec|Done )' "$BUILDDIR/fuzz/fuzz-$t.log"
    grep -E '^#[0-9]+ .*(cov|DONE)' "$BUILDDIR/fuzz/fuzz-$t.log" | tail -n 1
    if [ "$rc" -ne 0 ]; then
        echo "fuzz/run.sh: $t: failed (exit $rc); the input is saved as:" >&2
        ls "$corpus"-* >&2 2>/dev/null
        # the report of what stopped it is at the end of the log (a
        # pattern would also match libFuzzer's dictionary entries)
        grep -v -E '^#[0-9]+|^  NEW_FUNC|^"' "$BUILDDIR/fuzz/fuzz-$t.log" | tail -n 80 >&2
        status=1
    fi
done
exit $status
