#!/bin/sh
# Bad input: each case puts one broken file next to a fixable one and
# checks that the tool names the broken file on stderr, leaves it
# byte-for-byte alone, still fixes the good file, and exits 2.
. "$SRCDIR/tests/lib.sh"

GOOD='import time


async def f():
    time.sleep(1)
'
FIXED='import asyncio


async def f():
    await asyncio.sleep(1)
'

# run CASE-NAME EXPECTED-STDERR-PATTERN [RUNNER...]: runs `check --fix` over
# $dir (prepared by the caller, holding good.py and the bad file `bad`).
run_case() {
    name=$1 pattern=$2
    shift 2
    cp -p "$dir/$bad" "$TMPROOT/$name.before" 2>/dev/null || true
    status=0
    (cd "$dir" && "$@" check --fix --unsafe-fixes . >"$TMPROOT/$name.out" 2>"$TMPROOT/$name.err") || status=$?
    if [ "$status" -ne 2 ]; then
        fail "$name: exit status $status, expected 2" "$(cat "$TMPROOT/$name.err")"
    elif ! grep -q -- "$pattern" "$TMPROOT/$name.err"; then
        fail "$name: stderr does not say '$pattern'" "$(cat "$TMPROOT/$name.err")"
    elif [ -f "$TMPROOT/$name.before" ] && ! cmp -s "$dir/$bad" "$TMPROOT/$name.before"; then
        fail "$name: the bad file was changed"
    elif [ "$(cat "$dir/good.py")" != "$(printf '%s' "$FIXED")" ]; then
        fail "$name: the good file was not fixed" "$(cat "$dir/good.py")"
    else
        pass "$name"
    fi
}

new_dir() {
    dir="$TMPROOT/$1"
    mkdir -p "$dir"
    printf '%s' "$GOOD" >"$dir/good.py"
}

new_dir syntax; bad=bad.py
printf 'import time\n\nasync def f(:\n    time.sleep(1)\n' >"$dir/$bad"
run_case syntax-error "bad.py:3:.*syntax error" "$ASYNCMOD"

new_dir utf8; bad=bad.py
printf 'import time\nx = "\377\376"\nasync def f():\n    time.sleep(1)\n' >"$dir/$bad"
run_case invalid-utf8 "bad.py:2: invalid UTF-8" "$ASYNCMOD"

new_dir binary; bad=bad.py
printf 'import time\000\001\002 sleep\n' >"$dir/$bad"
run_case binary-file "bad.py: binary file" "$ASYNCMOD"

new_dir cookie; bad=bad.py
printf '# -*- coding: latin-1 -*-\nimport time\nasync def f():\n    time.sleep(1)\n' >"$dir/$bad"
run_case latin1-cookie "bad.py: unsupported source encoding 'latin-1'" "$ASYNCMOD"

new_dir huge; bad=bad.py
{ printf 'import time\nasync def f():\n    time.sleep(1)\n'; head -c 17000000 /dev/zero | tr '\000' '#'; printf '\n'; } >"$dir/$bad"
run_case huge-file "bad.py: file too large" "$ASYNCMOD"

new_dir readonly; bad=bad.py
printf '%s' "$GOOD" >"$dir/$bad"; chmod 444 "$dir/$bad"
run_case read-only-file "bad.py: file is read-only" "$ASYNCMOD"

# missing path: the existing path is still processed
new_dir missing; bad=good.py
status=0
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes good.py nowhere.py >/dev/null 2>"$TMPROOT/missing.err") || status=$?
if [ "$status" -eq 2 ] && grep -q "nowhere.py: No such file" "$TMPROOT/missing.err" &&
   [ "$(cat "$dir/good.py")" = "$(printf '%s' "$FIXED")" ]; then
    pass "missing-path"
else
    fail "missing-path: status $status" "$(cat "$TMPROOT/missing.err")"
fi

# Permission cases need an unprivileged user: root may write anywhere.
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null 2>&1; then
        cp "$ASYNCMOD" "$TMPROOT/asyncmod-copy"
        chmod 755 "$TMPROOT" "$TMPROOT/asyncmod-copy"
        AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups $TMPROOT/asyncmod-copy"
    else
        AS_USER=""
    fi
else
    AS_USER="$ASYNCMOD"
fi
if [ -n "$AS_USER" ]; then
    new_dir unwritable; bad=good.py
    chmod 644 "$dir/good.py"; [ "$(id -u)" -eq 0 ] && chown 65534:65534 "$dir/good.py"; chmod 555 "$dir"
    status=0
    (cd "$dir" && $AS_USER check --fix --unsafe-fixes . >/dev/null 2>"$TMPROOT/unwritable.err") || status=$?
    if [ "$status" -eq 2 ] && grep -q "good.py: unable to create a temporary file" "$TMPROOT/unwritable.err" &&
       [ "$(cat "$dir/good.py")" = "$(printf '%s' "$GOOD")" ] && [ -z "$(ls -A "$dir" | grep -v '^good.py$')" ]; then
        pass "unwritable-folder"
    else
        fail "unwritable-folder: status $status" "$(cat "$TMPROOT/unwritable.err")"
    fi
    chmod 755 "$dir"

    new_dir unreadable; bad=bad.py
    printf '%s' "$GOOD" >"$dir/$bad"; chmod 000 "$dir/$bad"; chmod 777 "$dir"; chmod 666 "$dir/good.py"
    [ "$(id -u)" -eq 0 ] && chown 65534:65534 "$dir/good.py"
    run_case unreadable-file "bad.py: unable to open: Permission denied" $AS_USER

    # a file of another owner that the user may write is not given to the user
    if [ "$(id -u)" -eq 0 ]; then
        new_dir foreign; chmod 777 "$dir"; chmod 666 "$dir/good.py"
        status=0
        (cd "$dir" && $AS_USER check --fix --unsafe-fixes good.py >/dev/null 2>"$TMPROOT/foreign.err") || status=$?
        if [ "$status" -eq 2 ] && grep -q "good.py: not written: unable to keep its owner and group" "$TMPROOT/foreign.err" &&
           [ "$(stat -c %u "$dir/good.py")" = 0 ] && [ "$(cat "$dir/good.py")" = "$(printf '%s' "$GOOD")" ]; then
            pass "foreign-owner-kept"
        else
            fail "foreign-owner-kept: status $status" "$(cat "$TMPROOT/foreign.err")"
        fi
    fi
else
    echo "SKIP: permission cases (no setpriv to drop root)"
fi

# A BOM and CRLF line endings are kept byte for byte.
dir="$TMPROOT/bom"; mkdir -p "$dir"
printf '\357\273\277import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n' >"$dir/a.py"
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet a.py >/dev/null 2>&1)
printf '\357\273\277import asyncio\r\n\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n' >"$dir/want.py"
if cmp -s "$dir/a.py" "$dir/want.py"; then pass "bom-and-crlf-kept"; else fail "bom-and-crlf-kept" "$(od -c "$dir/a.py" | head -5)"; fi

# The file mode survives a rewrite.
dir="$TMPROOT/mode"; mkdir -p "$dir"
printf '%s' "$GOOD" >"$dir/a.py"; chmod 751 "$dir/a.py"
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet a.py >/dev/null 2>&1)
if [ "$(stat -c %a "$dir/a.py")" = 751 ] && [ "$(cat "$dir/a.py")" = "$(printf '%s' "$FIXED")" ]; then
    pass "mode-kept"
else
    fail "mode-kept: $(stat -c %a "$dir/a.py")"
fi
# A FIFO or a device named on the command line is refused at once, never
# read (nothing writes to it: reading would wait forever); so is one given
# as the configuration.
dir="$TMPROOT/fifo"; mkdir -p "$dir"
printf '%s' "$GOOD" >"$dir/good.py"; mkfifo "$dir/pipe.py" "$dir/pipe.toml"
status=0
(cd "$dir" && timeout 20 "$ASYNCMOD" check --fix --unsafe-fixes good.py pipe.py /dev/zero) >"$TMPROOT/fifo.out" 2>"$TMPROOT/fifo.err" || status=$?
if [ "$status" -eq 2 ] && grep -q "pipe.py: not a regular file" "$TMPROOT/fifo.err" &&
   grep -q "/dev/zero: not a regular file" "$TMPROOT/fifo.err" &&
   [ "$(cat "$dir/good.py")" = "$(printf '%s' "$FIXED")" ]; then
    pass "fifo-and-device-refused"
else
    fail "fifo-and-device-refused: status $status" "$(cat "$TMPROOT/fifo.err")"
fi
for config in pipe.toml /dev/zero; do
    status=0
    (cd "$dir" && timeout 20 "$ASYNCMOD" check --config "$config" good.py) >/dev/null 2>"$TMPROOT/fifo.err" || status=$?
    if [ "$status" -eq 2 ] && grep -q "not a regular file" "$TMPROOT/fifo.err"; then
        pass "config-not-regular: $config"
    else
        fail "config-not-regular: $config: status $status" "$(cat "$TMPROOT/fifo.err")"
    fi
done
# Symbolic links stay links: the target is fixed through the link when it
# lies inside the tree being checked (once, however many links name it),
# and skipped with a note when it lies outside.
dir="$TMPROOT/links"; mkdir -p "$dir/tree/sub" "$dir/outside"
printf '%s' "$GOOD" >"$dir/tree/sub/real.py"; printf '%s' "$GOOD" >"$dir/outside/other.py"
ln -s sub/real.py "$dir/tree/one.py"; ln -s sub/real.py "$dir/tree/two.py"
ln -s ../outside/other.py "$dir/tree/away.py"
status=0
(cd "$dir/tree" && "$ASYNCMOD" check --fix --unsafe-fixes one.py two.py away.py sub) >"$TMPROOT/links.out" 2>"$TMPROOT/links.err" || status=$?
if [ "$status" -eq 0 ] && [ -L "$dir/tree/one.py" ] && [ -L "$dir/tree/two.py" ] && [ -L "$dir/tree/away.py" ] &&
   [ "$(cat "$dir/tree/sub/real.py")" = "$(printf '%s' "$FIXED")" ] &&
   [ "$(cat "$dir/outside/other.py")" = "$(printf '%s' "$GOOD")" ] &&
   grep -q "away.py: a symbolic link to .*outside the tree being checked, skipped" "$TMPROOT/links.err" &&
   grep -q "Found 1 finding (1 fixed" "$TMPROOT/links.out"; then
    pass "symlinks-stay-links"
else
    fail "symlinks-stay-links: status $status" "$(cat "$TMPROOT/links.out" "$TMPROOT/links.err"; ls -l "$dir/tree")"
fi

# A file with other hard links is not replaced (that would part them).
dir="$TMPROOT/hardlink"; mkdir -p "$dir"
printf '%s' "$GOOD" >"$dir/a.py"; ln "$dir/a.py" "$dir/b.pyx"
status=0
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes a.py) >/dev/null 2>"$TMPROOT/hardlink.err" || status=$?
if [ "$status" -eq 2 ] && grep -q "a.py: has 2 hard links, not written" "$TMPROOT/hardlink.err" &&
   [ "$(cat "$dir/a.py")" = "$(printf '%s' "$GOOD")" ]; then
    pass "hard-links-kept-together"
else
    fail "hard-links-kept-together: status $status" "$(cat "$TMPROOT/hardlink.err")"
fi

# Run as root, a rewrite keeps the file's owner, group and set-id bits.
if [ "$(id -u)" -eq 0 ]; then
    dir="$TMPROOT/owner"; mkdir -p "$dir"
    printf '%s' "$GOOD" >"$dir/a.py"; chown nobody:nogroup "$dir/a.py"; chmod 4755 "$dir/a.py"
    (cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet a.py >/dev/null 2>&1)
    if [ "$(stat -c '%U:%G %a' "$dir/a.py")" = "nobody:nogroup 4755" ] &&
       [ "$(cat "$dir/a.py")" = "$(printf '%s' "$FIXED")" ]; then
        pass "owner-kept"
    else
        fail "owner-kept: $(stat -c '%U:%G %a' "$dir/a.py")"
    fi
fi
# A temporary file left by a killed run is cleaned when the file is next
# written; a fresh one (another run may be writing) stays.
dir="$TMPROOT/stale"; mkdir -p "$dir"
printf '%s' "$GOOD" >"$dir/a.py"
printf 'half' >"$dir/.a.py.asyncmod-AbC123"; touch -d '2 hours ago' "$dir/.a.py.asyncmod-AbC123"
printf 'busy' >"$dir/.a.py.asyncmod-XyZ789"
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet a.py >/dev/null 2>&1)
if [ ! -e "$dir/.a.py.asyncmod-AbC123" ] && [ -e "$dir/.a.py.asyncmod-XyZ789" ] &&
   [ "$(cat "$dir/a.py")" = "$(printf '%s' "$FIXED")" ]; then
    pass "stale-temporary-cleaned"
else
    fail "stale-temporary-cleaned" "$(ls -la "$dir")"
fi
# Nesting deeper than Python compiles is refused with a clear error, not a
# crash; so is a configuration nested as deep.
dir="$TMPROOT/deep"; mkdir -p "$dir"
printf '%s' "$GOOD" >"$dir/good.py"
{ printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n\n\nx = '
  i=0; while [ $i -lt 200 ]; do printf '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['; i=$((i + 1)); done
  i=0; while [ $i -lt 200 ]; do printf ']]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'; i=$((i + 1)); done
  printf '\n'; } >"$dir/deep.py"
cp "$dir/deep.py" "$dir/deep.before"
status=0
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes good.py deep.py) >/dev/null 2>"$TMPROOT/deep.err" || status=$?
if [ "$status" -eq 2 ] && grep -q "deep.py:8:.*: nested more than 4000 levels deep (Python does not compile such code either), file skipped" "$TMPROOT/deep.err" &&
   cmp -s "$dir/deep.py" "$dir/deep.before" && [ "$(cat "$dir/good.py")" = "$(printf '%s' "$FIXED")" ]; then
    pass "deep-nesting-refused"
else
    fail "deep-nesting-refused: status $status" "$(cat "$TMPROOT/deep.err")"
fi
# the same nesting spread over lines, one bracket a line, each line short:
# the text still tells it may nest that deep
{ printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n\n\nx = (\n'
  i=0; while [ $i -lt 4100 ]; do printf '[\n'; i=$((i + 1)); done
  i=0; while [ $i -lt 4100 ]; do printf ']\n'; i=$((i + 1)); done
  printf ')\n'; } >"$dir/deep_lines.py"
status=0
(cd "$dir" && "$ASYNCMOD" check deep_lines.py) >/dev/null 2>"$TMPROOT/deep.err" || status=$?
if [ "$status" -eq 2 ] && grep -q "deep_lines.py:[0-9]*:.*: nested more than 4000 levels deep" "$TMPROOT/deep.err"; then
    pass "deep-nesting-over-lines-refused"
else
    fail "deep-nesting-over-lines-refused: status $status" "$(cat "$TMPROOT/deep.err")"
fi
{ printf '[tool.asyncmod]\nx = '; sed -n '$p' "$dir/deep.before" | cut -c5-; } >"$dir/deep.toml"
status=0
(cd "$dir" && "$ASYNCMOD" check --config deep.toml good.py) >/dev/null 2>"$TMPROOT/deep.err" || status=$?
if [ "$status" -eq 2 ] && grep -q "deep.toml:2:[0-9]*: nested more than 4000 levels deep" "$TMPROOT/deep.err"; then
    pass "deep-config-refused"
else
    fail "deep-config-refused: status $status" "$(cat "$TMPROOT/deep.err")"
fi
# Lines ending in CR alone are Python too: read, fixed and written back
# with CR.
dir="$TMPROOT/cr"; mkdir -p "$dir"
printf 'import time\r\r\rasync def f():\r    time.sleep(1)\r' >"$dir/a.py"
(cd "$dir" && "$ASYNCMOD" check a.py >"$TMPROOT/cr.out" 2>&1)
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet a.py >/dev/null 2>&1)
printf 'import asyncio\r\r\rasync def f():\r    await asyncio.sleep(1)\r' >"$dir/want.py"
if grep -q "^a.py:5:5: ASYNC251" "$TMPROOT/cr.out" && cmp -s "$dir/a.py" "$dir/want.py"; then
    pass "cr-line-ends"
else
    fail "cr-line-ends" "$(cat "$TMPROOT/cr.out"; od -c "$dir/a.py" | head -5)"
fi
# What CPython refuses though the grammar takes it: ambiguous tabs
# (TabError) and `await await`. Tabs that CPython reads alike are fine.
new_dir taberror; bad=bad.py
printf 'import time\n\n\nasync def f():\n    if True:\n\ttime.sleep(1)\n' >"$dir/$bad"
run_case tab-error "bad.py:6:1: inconsistent use of tabs and spaces" "$ASYNCMOD"
new_dir awaitawait; bad=bad.py
printf 'import time\n\n\nasync def f(x):\n    await await x\n    time.sleep(1)\n' >"$dir/$bad"
run_case await-await "bad.py:5:5: .await await.: invalid syntax" "$ASYNCMOD"
new_dir emptybody; bad=bad.py
printf 'import time\n\n\nasync def f():\n    # nothing yet\n\n\nasync def g():\n    time.sleep(1)\n' >"$dir/$bad"
run_case empty-body "bad.py:4:.*expected an indented block" "$ASYNCMOD"
dir="$TMPROOT/tabs-ok"; mkdir -p "$dir"
printf 'import time\n\n\nasync def f():\n\tif True:\n        \ttime.sleep(1)\n\tawait (await f())\n' >"$dir/a.py"
status=0
(cd "$dir" && "$ASYNCMOD" check --fix --unsafe-fixes --quiet a.py) >/dev/null 2>"$TMPROOT/tabs-ok.err" || status=$?
if [ "$status" -eq 0 ] && grep -q "await asyncio.sleep(1)" "$dir/a.py"; then
    pass "tabs-python-reads-alike"
else
    fail "tabs-python-reads-alike: status $status" "$(cat "$TMPROOT/tabs-ok.err")"
fi
finish
