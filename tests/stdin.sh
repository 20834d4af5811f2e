#!/bin/sh
# check --stdin-filename PATH: standard input checked as the file PATH,
# with PATH's configuration; --fix writes the fixed source to standard
# output (the report to standard error) and nothing to disk; --diff
# prints the diff.
. "$SRCDIR/tests/lib.sh"

W="$TMPROOT/w"
mkdir -p "$W/proj/src" "$W/proj/build" "$W/elsewhere"
cat >"$W/src.py" <<'EOF'
import asyncio
import subprocess
import time


async def main():
    loop = asyncio.get_event_loop()
    subprocess.run(["ls"])
    time.sleep(1)
    return loop
EOF
cat >"$W/fixed.py" <<'EOF'
import asyncio
import subprocess
import time


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(subprocess.run, ["ls"])
    time.sleep(1)
    return loop
EOF
cat >"$W/proj/pyproject.toml" <<'EOF'
[tool.asyncmod]
ignore = ["AM105"]
target-version = "py310"
exclude = ["build"]

[tool.asyncmod.per-file-ignores]
"src/legacy.py" = ["ASYNC221"]
EOF

# run NAME STDIN ARGS...: runs asyncmod in $W with STDIN, keeping
# $TMPROOT/NAME.out, .err and .rc
run() {
    name=$1 input=$2
    shift 2
    rc=0
    (cd "$W" && asyncmod "$@" <"$input" >"$TMPROOT/$name.out" 2>"$TMPROOT/$name.err") || rc=$?
    echo "$rc" >"$TMPROOT/$name.rc"
}
rc() { cat "$TMPROOT/$1.rc"; }

# the report names PATH, as a check of PATH would
run report "$W/src.py" check --stdin-filename some/where.py
if [ "$(rc report)" = 1 ] && grep -q '^some/where.py:7:12: AM105 \[\*\]' "$TMPROOT/report.out" &&
   grep -q '^some/where.py:9:5: ASYNC251' "$TMPROOT/report.out" && [ ! -s "$TMPROOT/report.err" ]; then
    pass "report: findings under PATH, exit 1"
else
    fail "report" "rc $(rc report)" "$(cat "$TMPROOT/report.out" "$TMPROOT/report.err")"
fi

# the same as a check of the file itself
cp "$W/src.py" "$W/same.py"
(cd "$W" && asyncmod check same.py >"$TMPROOT/file.out" 2>&1) || true
run same "$W/src.py" check --stdin-filename same.py
if cmp -s "$TMPROOT/file.out" "$TMPROOT/same.out"; then
    pass "report: the same as checking the file"
else
    fail "report: not the same as checking the file" "$(show_diff "$TMPROOT/file.out" "$TMPROOT/same.out")"
fi

# --fix: the fixed source on stdout, the report on stderr, nothing on disk
echo "on disk" >"$W/target.py"
run fix "$W/src.py" check --fix --stdin-filename target.py
if cmp -s "$TMPROOT/fix.out" "$W/fixed.py" && [ "$(rc fix)" = 1 ] &&
   grep -q '^target.py:9:5: ASYNC251' "$TMPROOT/fix.err" &&
   grep -q '2 fixed, 1 remaining' "$TMPROOT/fix.err" && [ "$(cat "$W/target.py")" = "on disk" ]; then
    pass "--fix: fixed source on stdout, remaining finding on stderr, file untouched"
else
    fail "--fix" "rc $(rc fix)" "$(show_diff "$W/fixed.py" "$TMPROOT/fix.out")" "$(cat "$TMPROOT/fix.err")"
fi

# --fix equals what check --fix writes to the file
cp "$W/src.py" "$W/ondisk.py"
(cd "$W" && asyncmod check --fix --unsafe-fixes ondisk.py >/dev/null 2>&1) || true
run fixu "$W/src.py" check --fix --unsafe-fixes --stdin-filename ondisk.py
if cmp -s "$TMPROOT/fixu.out" "$W/ondisk.py" && [ "$(rc fixu)" = 0 ]; then
    pass "--fix --unsafe-fixes: the same text check --fix writes, exit 0"
else
    fail "--fix --unsafe-fixes differs from the file fix" "$(show_diff "$W/ondisk.py" "$TMPROOT/fixu.out")"
fi

# --diff: a diff that applies to the file
cp "$W/src.py" "$W/d.py"
run diff "$W/src.py" check --diff --stdin-filename d.py
if [ "$(rc diff)" = 1 ] && grep -q '^+++ b/d.py' "$TMPROOT/diff.out" &&
   (cd "$W" && patch -s -p1 <"$TMPROOT/diff.out") && cmp -s "$W/d.py" "$W/fixed.py" &&
   grep -q 'Would fix 2 findings' "$TMPROOT/diff.err"; then
    pass "--diff: a diff that applies to PATH, exit 1"
else
    fail "--diff" "rc $(rc diff)" "$(cat "$TMPROOT/diff.out" "$TMPROOT/diff.err")"
fi
run diff0 "$W/fixed.py" check --diff --select AM105 --stdin-filename d.py
if [ "$(rc diff0)" = 0 ] && [ ! -s "$TMPROOT/diff0.out" ]; then
    pass "--diff with nothing to fix: empty, exit 0"
else
    fail "--diff with nothing to fix" "rc $(rc diff0)" "$(cat "$TMPROOT/diff0.out")"
fi

# the configuration of PATH: found above it, from another folder
(cd "$W/elsewhere" && asyncmod check --stdin-filename ../proj/src/m.py <"$W/src.py" \
    >"$TMPROOT/conf.out" 2>&1) || true
if ! grep -q AM105 "$TMPROOT/conf.out" && grep -q '^../proj/src/m.py:8:5: ASYNC221' "$TMPROOT/conf.out"; then
    pass "config: the pyproject.toml above PATH (ignore)"
else
    fail "config: ignore" "$(cat "$TMPROOT/conf.out")"
fi
# a PATH in folders that do not exist yet (an unsaved buffer): the
# nearest folder that does holds its configuration
run unsaved "$W/src.py" check --stdin-filename proj/src/new/deeper/m.py
if ! grep -q AM105 "$TMPROOT/unsaved.out" && grep -q 'ASYNC221' "$TMPROOT/unsaved.out"; then
    pass "config: a PATH in folders not made yet takes the configuration above them"
else
    fail "config: a PATH in folders not made yet" "$(cat "$TMPROOT/unsaved.out" "$TMPROOT/unsaved.err")"
fi
run legacy "$W/src.py" check --stdin-filename proj/src/legacy.py
if ! grep -q 'ASYNC221' "$TMPROOT/legacy.out" && grep -q 'ASYNC251' "$TMPROOT/legacy.out"; then
    pass "config: per-file-ignores for PATH"
else
    fail "config: per-file-ignores" "$(cat "$TMPROOT/legacy.out")"
fi
printf 'import asyncio\n\n\nasync def f():\n    try:\n        pass\n    except asyncio.TimeoutError:\n        pass\n' >"$W/te.py"
run target "$W/te.py" check --stdin-filename proj/src/te.py
run target2 "$W/te.py" check --stdin-filename te.py
# below 3.11 asyncio.TimeoutError is the form to use: no finding there
if ! grep -q 'AM203' "$TMPROOT/target.out" &&
   grep -q 'AM203 \[\*\]' "$TMPROOT/target2.out"; then
    pass "config: the target version of PATH's configuration"
else
    fail "config: target version" "$(cat "$TMPROOT/target.out" "$TMPROOT/target2.out")"
fi
(cd "$W/proj/build" && cp "$W/src.py" gen.py && asyncmod check gen.py >"$TMPROOT/ex1.out" 2>&1) || true
run ex2 "$W/src.py" check --stdin-filename proj/build/gen.py
if [ -s "$TMPROOT/ex1.out" ] && grep -q 'ASYNC221' "$TMPROOT/ex2.out" &&
   [ "$(grep -c 'ASYNC' "$TMPROOT/ex1.out")" = "$(grep -c 'ASYNC' "$TMPROOT/ex2.out")" ]; then
    pass "config: an excluded PATH is checked, as a file named on the command line is"
else
    fail "config: exclude" "$(cat "$TMPROOT/ex1.out" "$TMPROOT/ex2.out")"
fi
run isolated "$W/src.py" check --isolated --stdin-filename proj/src/m.py
if grep -q AM105 "$TMPROOT/isolated.out"; then
    pass "--isolated: no configuration"
else
    fail "--isolated" "$(cat "$TMPROOT/isolated.out")"
fi

# machine formats name PATH
run json "$W/src.py" check --output-format json --stdin-filename pkg/j.py
if "${PYTHON:-python3}" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 3 and all(x["path"] == "pkg/j.py" for x in d), d
' "$TMPROOT/json.out"; then
    pass "json: findings under PATH"
else
    fail "json" "$(cat "$TMPROOT/json.out")"
fi

# noqa comments, a BOM and CRLF line ends are kept
printf '\357\273\277import asyncio\r\n\r\n\r\nasync def f():\r\n    a = asyncio.get_event_loop()\r\n    return a, asyncio.get_event_loop()  # noqa: AM105\r\n' >"$W/crlf.py"
printf '\357\273\277import asyncio\r\n\r\n\r\nasync def f():\r\n    a = asyncio.get_running_loop()\r\n    return a, asyncio.get_event_loop()  # noqa: AM105\r\n' >"$W/crlf-fixed.py"
run crlf "$W/crlf.py" check --fix --stdin-filename crlf.py
if cmp -s "$TMPROOT/crlf.out" "$W/crlf-fixed.py" && [ "$(rc crlf)" = 0 ]; then
    pass "--fix: BOM, CRLF and noqa kept"
else
    fail "--fix: BOM, CRLF and noqa" "$(od -c "$TMPROOT/crlf.out" | head -n 8)"
fi

# a file that cannot be checked: the source unchanged on stdout, exit 2
printf 'import asyncio\nasync def f(:\n    asyncio.get_event_loop()\n' >"$W/bad.py"
run bad "$W/bad.py" check --fix --stdin-filename bad.py
if cmp -s "$TMPROOT/bad.out" "$W/bad.py" && [ "$(rc bad)" = 2 ] &&
   grep -q 'bad.py:2:13: syntax error' "$TMPROOT/bad.err"; then
    pass "--fix on a syntax error: the source unchanged, exit 2"
else
    fail "--fix on a syntax error" "rc $(rc bad)" "$(cat "$TMPROOT/bad.out" "$TMPROOT/bad.err")"
fi
printf 'import asyncio\n\377\n' >"$W/bin.py"
run bin "$W/bin.py" check --fix --stdin-filename bin.py
if cmp -s "$TMPROOT/bin.out" "$W/bin.py" && [ "$(rc bin)" = 2 ] && grep -q 'invalid UTF-8' "$TMPROOT/bin.err"; then
    pass "--fix on invalid UTF-8: the source unchanged, exit 2"
else
    fail "--fix on invalid UTF-8" "rc $(rc bin)" "$(cat "$TMPROOT/bin.err")"
fi
: >"$W/empty.py"
run empty "$W/empty.py" check --stdin-filename empty.py
if [ "$(rc empty)" = 0 ] && grep -q 'All checks passed!' "$TMPROOT/empty.out"; then
    pass "empty input: all checks passed"
else
    fail "empty input" "$(cat "$TMPROOT/empty.out" "$TMPROOT/empty.err")"
fi
mkdir -p "$W/badconf"
printf '[tool.asyncmod]\nselect = ["NOPE1"]\n' >"$W/badconf/pyproject.toml"
run badconf "$W/src.py" check --fix --stdin-filename badconf/x.py
if [ "$(rc badconf)" = 2 ] && cmp -s "$TMPROOT/badconf.out" "$W/src.py" &&
   grep -q "unknown rule selector 'NOPE1'" "$TMPROOT/badconf.err"; then
    pass "a broken configuration: error, exit 2, the source unchanged on stdout"
else
    fail "a broken configuration" "rc $(rc badconf)" "$(cat "$TMPROOT/badconf.err")"
fi

# usage errors
for args in "check --stdin-filename a.py b.py" "check --stdin-filename a.py --fix --commit" \
            "check --stdin-filename" "check --stdin-filename=" "rules --stdin-filename a.py"; do
    # shellcheck disable=SC2086
    run usage "$W/src.py" $args
    if [ "$(rc usage)" = 2 ] && grep -q 'error' "$TMPROOT/usage.err" && [ ! -s "$TMPROOT/usage.out" ]; then
        pass "usage error: $args"
    else
        fail "usage error: $args" "rc $(rc usage)" "$(cat "$TMPROOT/usage.err")"
    fi
done
finish
