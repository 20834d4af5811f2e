#!/bin/sh
# `check --add-noqa`: fixtures/noqa/CASE/input.py becomes expected.py
# (byte for byte); a second run changes nothing and adds nothing; the
# result has no findings left, still compiles, and pyflakes says of it
# what it says of the input.
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
for case in "$SRCDIR"/fixtures/noqa/*/; do
    case=${case%/}
    name=${case##*/}
    work="$TMPROOT/$name"
    mkdir -p "$work"
    cp "$case/input.py" "$work/a.py"
    chmod u+w "$work/a.py"
    status=0
    (cd "$work" && asyncmod check --isolated --add-noqa a.py) >"$work/out" 2>"$work/err" || status=$?
    if [ "$status" != 0 ]; then
        fail "$name: exit status $status" "$(head -n 5 "$work/err")"
        continue
    fi
    if ! cmp -s "$work/a.py" "$case/expected.py"; then
        fail "$name: result" "$(show_diff "$case/expected.py" "$work/a.py")"
        continue
    fi
    lines=$(cmp -l "$case/input.py" "$case/expected.py" 2>/dev/null | wc -l)
    if [ -s "$work/out" ]; then
        fail "$name: printed on stdout" "$(head -n 3 "$work/out")"
        continue
    fi
    if cmp -s "$case/input.py" "$case/expected.py"; then
        [ -s "$work/err" ] && { fail "$name: reported additions for an unchanged file" "$(cat "$work/err")"; continue; }
    else
        grep -q '^Added [0-9]* noqa directives\{0,1\}\.$' "$work/err" ||
            { fail "$name: no count of directives added" "$(cat "$work/err")"; continue; }
    fi
    cp "$work/a.py" "$work/first.py"
    status=0
    (cd "$work" && asyncmod check --isolated --add-noqa a.py) >"$work/out2" 2>"$work/err2" || status=$?
    if [ "$status" != 0 ] || ! cmp -s "$work/a.py" "$work/first.py" || [ -s "$work/err2" ]; then
        fail "$name: a second run is not a no-op (status $status)" "$(cat "$work/err2")" \
            "$(show_diff "$work/first.py" "$work/a.py")"
        continue
    fi
    status=0
    (cd "$work" && asyncmod check --isolated -q a.py) >"$work/out3" 2>&1 || status=$?
    if [ "$status" != 0 ]; then
        fail "$name: findings left after --add-noqa" "$(head -n 5 "$work/out3")"
        continue
    fi
    if ! "$PY" -c 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")' "$work/a.py" 2>"$work/compile"; then
        fail "$name: the result does not compile" "$(cat "$work/compile")"
        continue
    fi
    if "$PY" -c 'import pyflakes' 2>/dev/null; then
        (cd "$work" && cp "$case/input.py" in.py && "$PY" -m pyflakes in.py | sed 's/^in\.py//' >flakes-in; "$PY" -m pyflakes a.py | sed 's/^a\.py//' >flakes-out) || true
        if ! cmp -s "$work/flakes-in" "$work/flakes-out"; then
            fail "$name: pyflakes differs" "$(show_diff "$work/flakes-in" "$work/flakes-out")"
            continue
        fi
    fi
    pass "$name"
done

# option conflicts, as ruff refuses them
for opt in --fix --diff; do
    if asyncmod check --isolated --add-noqa $opt "$SRCDIR/fixtures/noqa/basic/input.py" >/dev/null 2>"$TMPROOT/conflict"; then
        fail "--add-noqa $opt accepted"
    elif grep -q "cannot be used with" "$TMPROOT/conflict"; then
        pass "--add-noqa $opt refused"
    else
        fail "--add-noqa $opt: unexpected message" "$(cat "$TMPROOT/conflict")"
    fi
done

# a file that cannot be read is an error (exit 2), the others are still marked
mkdir -p "$TMPROOT/mixed"
cp "$SRCDIR/fixtures/noqa/basic/input.py" "$TMPROOT/mixed/ok.py"
printf 'import time\nasync def f():\n    time.sleep(1)\n\377\n' >"$TMPROOT/mixed/bad.py"
chmod u+w "$TMPROOT/mixed/ok.py"
status=0
(cd "$TMPROOT/mixed" && asyncmod check --isolated --add-noqa ok.py bad.py) >/dev/null 2>"$TMPROOT/mixed.err" || status=$?
if [ "$status" = 2 ] && cmp -s "$TMPROOT/mixed/ok.py" "$SRCDIR/fixtures/noqa/basic/expected.py"; then
    pass "unreadable file: exit 2, others marked"
else
    fail "unreadable file: status $status" "$(cat "$TMPROOT/mixed.err")"
fi
# --- suppressions: each form silences what it names and nothing else ---
# Row: python source (printf %b escapes) | codes still reported; `## ` starts a comment.
H='import asyncio\nimport time\n\n\nasync def f():\n'
S='    time.sleep(1)'
T='    asyncio.create_task(f())'
sup_rows() {
    while IFS='|' read -r src want; do
        case $src in '## '*|'') continue ;; esac
        want=$(echo "$want" | sed 's/^ *//; s/ *$//')
        src=$(echo "$src" | sed 's/ *$//')
        mkdir -p "$TMPROOT/sup"
        printf '%b\n' "$(printf '%s\n' "$src" |
            awk -v H="$H" -v S="$S" -v T="$T" '{ gsub(/\$\{H\}/, H); gsub(/\$\{S\}/, S); gsub(/\$\{T\}/, T); print }')" >"$TMPROOT/sup/a.py"
        got=$(cd "$TMPROOT/sup" && asyncmod check --isolated --output-format concise a.py 2>&1 |
              awk '{print $2}' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')
        if [ "$got" = "$want" ]; then
            pass "suppress: $src -> ${want:-nothing}"
        else
            fail "suppress: $src" "expected: $want" "got:      $got" "$(cat "$TMPROOT/sup/a.py")"
        fi
    done
}
sup_rows <<'EOF_ROWS'
${H}${S}\n${T}\n                                              | ASYNC251 ASYNC300
${H}${S}  # noqa: ASYNC251\n${T}\n                          | ASYNC300
${H}${S}  # noqa: E501\n${T}\n                              | ASYNC251 ASYNC300
${H}${S}  # noqa\n${T}\n                                    | ASYNC300
${H}${S}  # NOQA:async251\n${T}\n                           | ASYNC300
${H}${S}  # noqa: ASYNC25\n${T}\n                           | ASYNC251 ASYNC300
${H}${S}  # noqa: E501 ASYNC251\n${T}\n                     | ASYNC300
## flake8-trio's old codes name the same checks
${H}${S}  # noqa: TRIO251\n${T}\n                           | ASYNC300
${H}${S}  # noqa: TRIO230\n${T}\n                           | ASYNC251 ASYNC300
## ruff's own codes for the same checks
${H}${S}\n${T}  # noqa: RUF006\n                            | ASYNC251
${H}${S}\n${T}  # noqa: RUF005\n                            | ASYNC251 ASYNC300
${H}    try:\n        pass\n    except asyncio.TimeoutError:  # noqa: UP041\n        pass\n | 
${H}    try:\n        pass\n    except asyncio.TimeoutError:  # noqa: UP040\n        pass\n | AM203
## file-level exemptions of ruff and flake8, anywhere in a comment
# ruff: noqa\n${H}${S}\n${T}\n                                | 
# ruff: noqa: ASYNC251\n${H}${S}\n${T}\n                      | ASYNC300
# ruff: noqa: E501\n${H}${S}\n${T}\n                          | ASYNC251 ASYNC300
# flake8: noqa\n${H}${S}\n${T}\n                              | 
# flake8: noqa: ASYNC300\n${H}${S}\n${T}\n                    | ASYNC251
${H}${S}\n${T}\n    # ruff: noqa: ASYNC300, ASYNC251\n             | 
${H}${S}\n${T}\n    x = '# ruff: noqa'\n    return x\n             | ASYNC251 ASYNC300
${H}${S}  # ruff: noqa: ASYNC3\n${T}\n                      | ASYNC251 ASYNC300
## lines continued with a backslash and strings spanning lines: the last line
${H}    y = time.sleep(1) + \\\n        1  # noqa: ASYNC251\n    return y\n | 
${H}    y = (time.sleep(1)\n         + 1)  # noqa: ASYNC251\n    return y\n | ASYNC251
${H}    y = f"""\n    {time.sleep(1)}\n    """  # noqa: ASYNC251\n    return y\n | 
${H}    y = f"""\n    {time.sleep(1)}  # noqa: ASYNC251\n    """\n    return y\n | ASYNC251
EOF_ROWS
finish
