#!/bin/sh
# --fix --interactive through a pseudo-terminal: answers are typed as
# single keys, Enter and stray keys answer nothing, and what is accepted is
# written (or committed) exactly as --fix would write it.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-python3}
SESSION="$SRCDIR/tests/pty_session.py"
APP="$SRCDIR/fixtures/cli-trees/app/app.py"
B='import time


async def f():
    time.sleep(1)
    time.sleep(2)
'

# fresh NAME: a scratch folder with a.py (four fixes: AM105, ASYNC251,
# ASYNC300, AM203 in that order) and b.py (two ASYNC251 fixes).
fresh() {
    dir="$TMPROOT/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$APP" "$dir/a.py"
    printf '%s' "$B" >"$dir/b.py"
    chmod u+w "$dir/a.py"
}

# The sessions below are written for the findings of these rules.
RULES=ASYNC251,ASYNC300,AM105,AM203

# session KEYS: runs the review in $dir; sets $result and $log.
session() {
    keys=$1
    shift
    log="$dir.log"
    result=$(cd "$dir" && "$PY" "$SESSION" "$keys" "$log" -- "$ASYNCMOD" check --select "$RULES" --fix --interactive "$@")
}

has() { grep -q -- "$2" "$dir/$1"; }

# 1. Enter and a stray key answer nothing; y, n, ? and q do what they say.
fresh mixed
session "^Myx?ynq"
if [ "$result" = "exit 1 restored yes" ] &&
   has a.py "get_running_loop" && has a.py "await asyncio.sleep(0.5)" &&
   ! has a.py "_background_tasks" && has a.py "asyncio.TimeoutError" &&
   [ "$(cat "$dir/b.py")" = "$(printf '%s' "$B")" ] &&
   grep -q "Applied 2 fixes, rejected 4." "$log" &&
   [ "$(grep -c "Apply this fix?" "$log")" -eq 7 ] &&
   grep -q "a - apply this fix and all remaining fixes in this file" "$log"; then
    pass "y/n/?/q, Enter and stray keys ignored"
else
    fail "y/n/?/q, Enter and stray keys ignored: $result" "$(tail -n 5 "$log")"
fi

# 2. a takes the rest of the file, d leaves the rest of the next one.
fresh file-wide
cp -R "$dir" "$dir.fix"
(cd "$dir.fix" && "$ASYNCMOD" check --select "$RULES" --fix --unsafe-fixes -q a.py >/dev/null 2>&1)
session "ad"
if cmp -s "$dir/a.py" "$dir.fix/a.py" && [ "$(cat "$dir/b.py")" = "$(printf '%s' "$B")" ] &&
   grep -q "Applied 4 fixes, rejected 2." "$log" && [ "$(grep -c "Apply this fix?" "$log")" -eq 2 ]; then
    pass "a and d decide the rest of a file; accepted fixes written as --fix writes them"
else
    fail "a and d: $result" "$(tail -n 5 "$log")"
fi

# 3. A accepts one rule everywhere without asking again.
fresh rule-wide
session "nAnn"
if has a.py "await asyncio.sleep(0.5)" && ! has a.py "get_running_loop" && has b.py "await asyncio.sleep(2)" &&
   grep -q "Applied 3 fixes, rejected 3." "$log" && [ "$(grep -c "Apply this fix?" "$log")" -eq 4 ]; then
    pass "A accepts a rule in every file"
else
    fail "A: $result" "$(tail -n 5 "$log")"
fi

# 4. Ctrl-C writes nothing and restores the terminal.
fresh interrupted
cp -R "$dir" "$dir.orig"
session "yy^C"
if diff -r "$dir" "$dir.orig" >/dev/null && [ "$result" = "exit 2 restored yes" ] &&
   grep -q "nothing was written" "$log"; then
    pass "Ctrl-C writes nothing and restores the terminal"
else
    fail "Ctrl-C: $result" "$(tail -n 5 "$log")"
fi

# 5. Without a terminal: a clear error, exit 2, nothing written.
fresh no-tty
status=0
(cd "$dir" && "$ASYNCMOD" check --fix --interactive </dev/null >"$dir.out" 2>"$dir.err") || status=$?
if [ "$status" -eq 2 ] && grep -q "needs a terminal" "$dir.err" && [ "$(cat "$dir/b.py")" = "$(printf '%s' "$B")" ]; then
    pass "no terminal: clear error"
else
    fail "no terminal: status $status" "$(cat "$dir.err")"
fi

# 6. With --commit: the accepted fixes are committed, the work tree stays.
fresh commit
(
    cd "$dir" && git init -q . && git config user.name Tester && git config user.email t@example.com &&
    git add a.py b.py && git commit -q -m base
) >/dev/null 2>&1
session "ynnnyn" --commit --branch reviewed
if [ "$result" = "exit 1 restored yes" ] && (cd "$dir" && git rev-parse -q --verify reviewed >/dev/null) &&
   [ -z "$(cd "$dir" && git status --porcelain)" ] &&
   (cd "$dir" && git show reviewed:a.py | grep -q get_running_loop) &&
   ! (cd "$dir" && git show reviewed:a.py | grep -q "asyncio.sleep(0.5)") &&
   (cd "$dir" && git show reviewed:b.py | grep -q "await asyncio.sleep(1)") &&
   (cd "$dir" && git show reviewed:b.py | grep -q "    time.sleep(2)"); then
    pass "--commit records only the accepted fixes"
else
    fail "--commit: $result" "$(tail -n 5 "$log")"
fi
# 7. Two accepted fixes that meet: AM202 writes asyncio.timeout where AM203
# took away the last other use of asyncio; the committed file keeps the
# import and runs.
dir="$TMPROOT/meet"; rm -rf "$dir"; mkdir -p "$dir"
printf 'import asyncio\n\n\nasync def f(c):\n    try:\n        return await asyncio.wait_for(c, 5)\n    except asyncio.TimeoutError:\n        return None\n\n\nasync def slow():\n    await asyncio.sleep(10)\n\n\nprint(asyncio.run(f(asyncio.sleep(0, "done"))))\n' >"$dir/w.py"
(
    cd "$dir" && git init -q . && git config user.name Tester && git config user.email t@example.com &&
    git add w.py && git commit -q -m base
) >/dev/null 2>&1
log="$dir.log"
result=$(cd "$dir" && "$PY" "$SESSION" "yy" "$log" -- "$ASYNCMOD" check --select AM202,AM203 --target-version py312 --fix --interactive --commit --branch met)
(cd "$dir" && git show met:w.py >"$dir.committed" 2>/dev/null)
if (cd "$dir" && git rev-parse -q --verify met >/dev/null) &&
   grep -q "^import asyncio" "$dir.committed" && grep -q "async with asyncio.timeout(5):" "$dir.committed" &&
   grep -q "except TimeoutError:" "$dir.committed" &&
   [ "$("$PY" "$dir.committed" 2>&1)" = "done" ]; then
    pass "--commit of two fixes that meet keeps the import they share"
else
    fail "two fixes that meet: $result" "$(cat "$dir.committed"; tail -n 5 "$log")"
fi
finish
