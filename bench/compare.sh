#!/bin/sh
# Benchmark (not a test): asyncmod with its whole catalog against a bare
# parse of the same files and against ast-grep with six equivalent rules
# (bench/astgrep/rules: time.sleep, requests.*, subprocess.*, open,
# asyncio.gather and asyncio.wait_for inside the nearest enclosing
# function when it is an `async def`).
#
#   bench/compare.sh [PATH...]
#
# PATH defaults to the real-code corpus of tests/realcode.sh: the standard
# library and the asyncio packages Debian installs. Run from a built tree
# (./asyncmod and ./bench/parse_only; `make bench/parse_only`). ast-grep
# (npm @ast-grep/cli, the version pinned in bench/astgrep/package-lock.json,
# whose sha512 sums `npm ci` checks) is installed into bench/.astgrep,
# which git ignores.
#
# Each figure is from one run (RUNS=N: the median of N). CPU is user +
# system seconds with one thread; wall is with the default threads (one
# per core); peak memory is the largest resident set of the process.
# asyncmod runs without its cache except for the cold/warm pair, which
# uses a fresh cache folder.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-1}
am="$top/asyncmod"
po="$top/bench/parse_only"
ag_dir="$top/bench/.astgrep"
ag="$ag_dir/node_modules/.bin/ast-grep"
ag_version=0.51.1
[ -x "$am" ] && [ -x "$po" ] || { echo "bench: build first (make && make bench/parse_only)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null 2>&1 || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

if [ $# -eq 0 ]; then
    stdlib=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null ||
        echo /usr/lib/python3.11)
    dist=/usr/lib/python3/dist-packages
    set -- "$stdlib"
    for p in aiohttp httpx httpcore anyio tornado websockets asyncpg uvicorn starlette janus \
        aiosqlite aiofiles requests urllib3; do
        [ -d "$dist/$p" ] && set -- "$@" "$dist/$p"
    done
fi

# ast-grep, installed from the lockfile (npm ci refuses a package whose
# sha512 differs from the one recorded there)
if ! [ -x "$ag" ] || ! cmp -s "$top/bench/astgrep/package-lock.json" "$ag_dir/package-lock.json"; then
    command -v npm >/dev/null 2>&1 || { echo "bench: needs npm to install ast-grep" >&2; exit 1; }
    rm -rf "$ag_dir"
    mkdir -p "$ag_dir"
    cp "$top/bench/astgrep/package.json" "$top/bench/astgrep/package-lock.json" "$ag_dir/"
    (cd "$ag_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
# the platform's binary itself: the package's launcher is a node script
# that looks it up on every run
for b in "$ag_dir"/node_modules/@ast-grep/cli-*/ast-grep; do
    [ -x "$b" ] && "$b" --version >/dev/null 2>&1 && ag=$b && break
done
got=$("$ag" --version | awk '{print $2}')
[ "$got" = "$ag_version" ] || { echo "bench: ast-grep $got installed, $ag_version expected" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cores=$(nproc)

# measure NAME CMD...: runs CMD `runs` times (output dropped); sets
# NAME_wall, NAME_cpu and NAME_kib to the medians.
measure() {
    name=$1
    shift
    : >"$tmp/$name"
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -o "$tmp/t" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
        tail -n 1 "$tmp/t" >>"$tmp/$name"
        i=$((i + 1))
    done
    median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    eval "${name}_wall=$(awk '{print $1}' "$tmp/$name" | median)"
    eval "${name}_cpu=$(awk '{print $2 + $3}' "$tmp/$name" | median)"
    eval "${name}_kib=$(awk '{print $4}' "$tmp/$name" | median)"
}

# A cold run with a fresh cache folder, then a warm one over it.
cold_warm() {
    : >"$tmp/cold"
    : >"$tmp/warm"
    i=0
    while [ "$i" -lt "$runs" ]; do
        rm -rf "$tmp/cache"
        /usr/bin/time -o "$tmp/t" -f '%e %U %S %M' "$am" check -q --cache-dir "$tmp/cache" "$@" \
            >/dev/null 2>&1 || true
        tail -n 1 "$tmp/t" >>"$tmp/cold"
        /usr/bin/time -o "$tmp/t" -f '%e %U %S %M' "$am" check -q --cache-dir "$tmp/cache" "$@" \
            >/dev/null 2>&1 || true
        tail -n 1 "$tmp/t" >>"$tmp/warm"
        i=$((i + 1))
    done
    for n in cold warm; do
        eval "${n}_wall=$(awk '{print $1}' "$tmp/$n" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
        eval "${n}_cpu=$(awk '{print $2 + $3}' "$tmp/$n" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
        eval "${n}_kib=$(awk '{print $4}' "$tmp/$n" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
    done
}

corpus=$("$po" "$@")
echo "corpus: $* ($corpus)"
echo "cores: $cores; runs per figure: $runs (median); ast-grep $ag_version, 6 rules"
measure parse "$po" "$@"
measure am1 "$am" check -q --no-cache --jobs 1 "$@"
measure ag1 "$ag" scan -c "$top/bench/astgrep/sgconfig.yml" --threads 1 "$@"
measure amn "$am" check -q --no-cache "$@"
measure agn "$ag" scan -c "$top/bench/astgrep/sgconfig.yml" "$@"
cold_warm "$@"
am_findings=$("$am" check -q --no-cache "$@" 2>/dev/null | wc -l)
ag_findings=$("$ag" scan -c "$top/bench/astgrep/sgconfig.yml" --json=stream "$@" 2>/dev/null | wc -l)

printf '\n%-44s %9s %9s %10s\n' "" "CPU s" "wall s" "peak KiB"
printf '%-44s %9s %9s %10s\n' "parse only (1 thread)" "$parse_cpu" "$parse_wall" "$parse_kib"
printf '%-44s %9s %9s %10s\n' "asyncmod check --jobs 1 (no cache)" "$am1_cpu" "$am1_wall" "$am1_kib"
printf '%-44s %9s %9s %10s\n' "ast-grep scan --threads 1" "$ag1_cpu" "$ag1_wall" "$ag1_kib"
printf '%-44s %9s %9s %10s\n' "asyncmod check (no cache, $cores threads)" "$amn_cpu" "$amn_wall" "$amn_kib"
printf '%-44s %9s %9s %10s\n' "ast-grep scan ($cores threads)" "$agn_cpu" "$agn_wall" "$agn_kib"
printf '%-44s %9s %9s %10s\n' "asyncmod check, cold cache ($cores threads)" "$cold_cpu" "$cold_wall" "$cold_kib"
printf '%-44s %9s %9s %10s\n' "asyncmod check, warm cache ($cores threads)" "$warm_cpu" "$warm_wall" "$warm_kib"
echo "findings: asyncmod $am_findings lines (whole catalog), ast-grep $ag_findings matches (6 rules)"
echo
awk -v p="$parse_cpu" -v a1="$am1_cpu" -v g1="$ag1_cpu" -v an="$amn_wall" -v gn="$agn_wall" \
    -v cold="$cold_wall" -v warm="$warm_wall" -v coldc="$cold_cpu" -v warmc="$warm_cpu" \
    -v an_cpu="$amn_cpu" -v gn_cpu="$agn_cpu" -v cores="$cores" \
    -v mem="$(printf '%s\n' "$am1_kib" "$amn_kib" "$cold_kib" "$warm_kib" | sort -n | tail -n 1)" 'BEGIN {
    if (p > 0) {
        printf "asyncmod CPU / parse CPU (1 thread):          %6.2f\n", a1 / p;
        printf "ast-grep CPU / parse CPU (1 thread):          %6.2f\n", g1 / p;
        printf "asyncmod CPU after the parse, share of parse: %5.0f%%   (target <= 25%%)\n", (a1 - p) / p * 100;
    }
    if (an > 0)
        printf "ast-grep wall / asyncmod wall (%d threads):    %6.2f   (target >= 3; below 1: asyncmod slower)\n", cores, gn / an;
    if (an_cpu > 0)
        printf "ast-grep CPU / asyncmod CPU (%d threads):      %6.2f   (the same, unaffected by load)\n", cores, gn_cpu / an_cpu;
    if (warm > 0)
        printf "cold / warm cache wall:                       %6.1f   (target >= 20)\n", cold / warm;
    if (warmc > 0)
        printf "cold / warm cache CPU:                        %6.1f\n", coldc / warmc;
    printf "asyncmod peak memory:                         %6.1f MB (target <= 64)\n", mem / 1024;
}'
