# Shared helpers for the shell test drivers. Each driver prints one line
# per case and closes with "N passed, N failed".
: "${ASYNCMOD:?ASYNCMOD must name the asyncmod binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"

passed=0
failed=0
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/asyncmod-test.XXXXXX")
trap 'rm -rf "$TMPROOT"' EXIT
# The cache of results (tests/cache.sh tests it) goes to the scratch
# folder, not into the trees the tests look at.
ASYNCMOD_CACHE_DIR="$TMPROOT/.cache"
export ASYNCMOD_CACHE_DIR

# The folder holding the binary goes first on PATH so commands can say `asyncmod`.
PATH="$(dirname "$ASYNCMOD"):$PATH"
export PATH

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; for line in "$@"; do echo "      $line"; done; }

# Shows how two files differ, indented, for a failure message.
show_diff() { diff -u "$1" "$2" | head -n 40 | sed 's/^/      | /'; }

# Helpers for the drivers that build git repositories.

# state DIR: what the user sees: HEAD, the current branch, the index (its
# entries and its bytes), the status and every work tree file's content and
# executable bit.
state() {
    (
        cd "$1" || exit 1
        echo "HEAD $(git rev-parse -q --verify HEAD || echo unborn)"
        echo "branch $(git symbolic-ref -q HEAD || echo detached)"
        idx=$(git rev-parse --git-path index)
        if [ -f "$idx" ]; then echo "index-bytes $(cksum <"$idx")"; else echo "no index"; fi
        git ls-files -s
        git status --porcelain=v1 -uall --ignored
        find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | while IFS= read -r f; do
            if [ -x "$f" ]; then x=x; else x=-; fi
            echo "$x $(cksum <"$f") $f"
        done
    )
}

refs() { git -C "$1" for-each-ref --format='%(refname) %(objectname)'; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
