#!/bin/sh
# Benchmark (not a test): repositories per second of `asyncmod batch`.
#
#   bench/batch.sh [REPOS] [RUNS]
#
# Builds REPOS (default 100) small repositories in a temporary folder, each
# with 2 or 3 Python files of which one is fixable, writes a manifest of
# their local paths and times `asyncmod batch --jobs $(nproc)` over it:
# the best of RUNS (default 3) wall-clock runs. Every real run works on a
# fresh copy of the repositories, so each one builds all the migration
# commits (no branch is there yet); the --dry-run runs use the originals.
# Run from a built tree (it uses ./asyncmod). JOBS= overrides the job count.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
am="$top/asyncmod"
repos=${1:-100}
runs=${2:-3}
jobs=${JOBS:-$(nproc)}
[ -x "$am" ] || { echo "bench: build first (make)" >&2; exit 1; }
command -v git >/dev/null 2>&1 || { echo "bench: needs git" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/asyncmod-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The commit identity comes from git config: a private HOME holds it, and
# nothing of the user's own git settings takes part.
HOME="$tmp/home"
XDG_CONFIG_HOME="$HOME/.config"
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
mkdir -p "$XDG_CONFIG_HOME"
printf '[user]\n\tname = Asyncmod Bench\n\temail = bench@example.invalid\n' >"$HOME/.gitconfig"

# The repositories: app.py has one fixable finding (a blocking sleep in a
# coroutine), util.py is already migrated, every third one has models.py.
i=1
while [ "$i" -le "$repos" ]; do
    r=$(printf '%s/pristine/repo%03d' "$tmp" "$i")
    git -c init.defaultBranch=main init -q "$r"
    cat >"$r/app.py" <<EOF
import asyncio
import time


async def handler_$i(queue):
    time.sleep(0.$i)
    await queue.put($i)
EOF
    cat >"$r/util.py" <<EOF
import asyncio


async def wait_$i(delay):
    await asyncio.sleep(delay)
    return $i
EOF
    if [ $((i % 3)) -eq 0 ]; then
        cat >"$r/models.py" <<EOF
class Model$i:
    def __init__(self, value=$i):
        self.value = value
EOF
    fi
    git -C "$r" add -A
    git -C "$r" commit -q -m "repository $i"
    i=$((i + 1))
done

# now: nanoseconds (GNU date)
now() { date +%s%N; }

# run COPY [OPTIONS]...: one timed batch over the manifest of COPY; prints
# the seconds and checks that every repository did its work.
run() {
    copy=$1
    shift
    : >"$tmp/manifest"
    for r in "$tmp/$copy"/repo*; do echo "$r" >>"$tmp/manifest"; done
    start=$(now)
    status=0
    "$am" batch "$tmp/manifest" --jobs "$jobs" --workdir "$tmp/work" "$@" >"$tmp/out" 2>"$tmp/err" ||
        status=$?
    end=$(now)
    if [ "$status" -ne 0 ] || ! grep -q "^$repos repositor[a-z]*: $repos changed" "$tmp/out"; then
        echo "bench: the batch did not change every repository (exit $status):" >&2
        tail -n 3 "$tmp/out" "$tmp/err" >&2
        exit 1
    fi
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}

# best LABEL COPY? [OPTIONS]...: the fastest of RUNS runs, printed with its rate.
best() {
    label=$1
    fresh=$2
    shift 2
    best_s=""
    n=0
    while [ "$n" -lt "$runs" ]; do
        if [ "$fresh" = fresh ]; then
            rm -rf "$tmp/copy"
            cp -R "$tmp/pristine" "$tmp/copy"
            s=$(run copy "$@")
        else
            s=$(run pristine "$@")
        fi
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
            best_s=$s
        fi
        n=$((n + 1))
    done
    awk -v n="$repos" -v s="$best_s" -v j="$jobs" -v l="$label" 'BEGIN {
        printf "%-10s %d repositories in %.2f s: %.1f repositories/s (jobs %d)\n",
               l, n, s, (s > 0 ? n / s : 0), j }'
}

echo "asyncmod batch: $repos repositories, best of $runs runs, $(nproc) cores"
best "commit" fresh
best "--dry-run" same --dry-run
