# Shared helpers for the shell test drivers. Each driver prints one line
# per case and closes with "N passed, N failed".
: "${ASYNCMOD:?ASYNCMOD must name the asyncmod binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"

passed=0
failed=0
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/asyncmod-test.XXXXXX")
trap 'rm -rf "$TMPROOT"' EXIT

# The folder holding the binary goes first on PATH so commands can say `asyncmod`.
PATH="$(dirname "$ASYNCMOD"):$PATH"
export PATH

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; for line in "$@"; do echo "      $line"; done; }

# Shows how two files differ, indented, for a failure message.
show_diff() { diff -u "$1" "$2" | head -n 40 | sed 's/^/      | /'; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
