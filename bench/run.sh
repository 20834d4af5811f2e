#!/bin/sh
# Benchmark (not a test): times `asyncmod check` over a large tree against
# a parse-only pass over the same files, and reports peak memory.
#
#   bench/run.sh [TREE] [RUNS]
#
# TREE defaults to the installed Python standard library. Run from a built
# tree (it uses ./asyncmod and ./bench/parse_only). Times are the best of
# RUNS (default 3) wall-clock runs, without the cache; memory is the peak
# resident set size.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || echo /usr/lib/python3.11)}
runs=${2:-3}
am="$top/asyncmod"
po="$top/bench/parse_only"
[ -x "$am" ] && [ -x "$po" ] || { echo "bench: build first (make && make bench/parse_only)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null 2>&1 || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

# best RUNS... CMD: prints "seconds peak_kib" of the fastest run
best() {
    n=$1; shift
    best_s=""; best_m=""
    i=0
    while [ "$i" -lt "$n" ]; do
        /usr/bin/time -o "$tmp" -f '%e %M' "$@" >/dev/null 2>&1 || true
        out=$(tail -n 1 "$tmp")
        s=${out% *}; m=${out#* }
        if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s=$s; fi
        if [ -z "$best_m" ] || [ "$m" -gt "$best_m" ]; then best_m=$m; fi
        i=$((i + 1))
    done
    echo "$best_s $best_m"
}

files=$("$po" "$tree" | sed -E 's/parsed ([0-9]+) files, ([0-9]+) bytes/\1 files, \2 bytes/')
cores=$(nproc)
export cores
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "tree: $tree ($files)"
echo "cores: $cores, runs: $runs (best time, highest peak memory)"
set -- $(best "$runs" "$po" "$tree"); po_s=$1; po_m=$2
set -- $(best "$runs" "$am" check --quiet --no-cache --jobs 1 "$tree"); a1_s=$1; a1_m=$2
set -- $(best "$runs" "$am" check --quiet --no-cache --jobs "$cores" "$tree"); an_s=$1; an_m=$2
findings=$("$am" check --quiet --no-cache --jobs "$cores" "$tree" 2>/dev/null | wc -l)
printf '%-34s %8s s %9s KiB\n' "parse only (1 thread)" "$po_s" "$po_m"
printf '%-34s %8s s %9s KiB\n' "asyncmod check --jobs 1" "$a1_s" "$a1_m"
printf '%-34s %8s s %9s KiB\n' "asyncmod check --jobs $cores" "$an_s" "$an_m"
awk -v a="$a1_s" -v p="$po_s" -v n="$an_s" 'BEGIN {
    if (p > 0) printf "ratio check(1 job) / parse-only: %.2f\n", a / p;
    if (p > 0) printf "ratio check(%s jobs) / parse-only: %.2f\n", ENVIRON["cores"], n / p;
}'
echo "findings reported: $findings"
