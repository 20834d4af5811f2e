#!/bin/sh
# Golden cases: fixtures/rules/CODE/CASE/ holds input.py, expected.txt (the
# findings `check` prints for it), optionally expected.py (the text after
# `check --fix`; absent means the fix must change nothing) and args (extra
# options, one line; without a --select, only the rule the case is filed
# under runs) and pytest's configuration files (pytest.ini, .pytest.ini,
# pyproject.toml, tox.ini, setup.cfg, conftest.py), copied next to
# input.py. Each case
# proves:
#   1. the findings are exactly expected.txt;
#   2. `--fix` writes exactly expected.py and exits 0 or 1;
#   3. `--diff` piped to `git apply` gives exactly the same text;
#   4. expected.py is valid Python (checked by the Python compiler);
#   5. a second `--fix` on the result changes nothing.
# GOLDEN_ONLY="CODE ..." limits the run to those rules' cases.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-python3}

for case in "$SRCDIR"/fixtures/rules/*/*/; do
    case=${case%/}
    name=${case#"$SRCDIR"/fixtures/rules/}
    if [ -n "${GOLDEN_ONLY:-}" ]; then
        case " $GOLDEN_ONLY " in *" ${name%%/*} "*) ;; *) continue ;; esac
    fi
    work="$TMPROOT/$(echo "$name" | tr / _)"
    mkdir -p "$work/fix" "$work/diff"
    args=""
    [ -f "$case/args" ] && args=$(cat "$case/args")
    # a case is about its own rule, unless its args select others
    case " $args " in *" --select "*) ;; *) args="--select ${name%%/*} $args" ;; esac
    expected_py="$case/expected.py"
    [ -f "$expected_py" ] || expected_py="$case/input.py"
    cp "$case/input.py" "$work/fix/input.py"
    cp "$case/input.py" "$work/diff/input.py"
    chmod u+w "$work/fix/input.py" "$work/diff/input.py"   # the source tree may be read-only
    # pytest's configuration files of the case (the pytest-asyncio rules read them)
    for conf in pytest.ini .pytest.ini pyproject.toml tox.ini setup.cfg conftest.py; do
        [ -f "$case/$conf" ] || continue
        cp "$case/$conf" "$work/fix/$conf"
        cp "$case/$conf" "$work/diff/$conf"
    done
    problems=""

    # 1. findings
    (cd "$work/fix" && "$ASYNCMOD" check --quiet --jobs 1 $args input.py) >"$work/findings.txt" 2>"$work/stderr.txt"
    if ! cmp -s "$work/findings.txt" "$case/expected.txt"; then
        fail "$name: findings" "$(show_diff "$case/expected.txt" "$work/findings.txt")"
        continue
    fi
    # 2. --fix (exit 0 or 1: an error or a crash fails the case even when
    #    the file was written before it)
    status=0
    (cd "$work/fix" && "$ASYNCMOD" check --fix --quiet $args input.py) >/dev/null 2>"$work/stderr.txt" || status=$?
    if [ "$status" -gt 1 ]; then
        fail "$name: --fix exited $status" "$(cat "$work/stderr.txt")"
        continue
    fi
    if ! cmp -s "$work/fix/input.py" "$expected_py"; then
        fail "$name: --fix output" "$(show_diff "$expected_py" "$work/fix/input.py")"
        continue
    fi
    # 3. --diff | git apply
    (cd "$work/diff" && "$ASYNCMOD" check --diff --quiet $args input.py >"$work/patch" 2>/dev/null)
    if [ -s "$work/patch" ]; then
        (cd "$work/diff" && git apply "$work/patch") 2>"$work/apply.txt" ||
            problems="git apply failed: $(cat "$work/apply.txt")"
    fi
    if [ -z "$problems" ] && ! cmp -s "$work/diff/input.py" "$expected_py"; then
        problems="--diff | git apply differs from --fix"
    fi
    # 4. the expected text is valid Python
    if [ -z "$problems" ] && ! "$PY" -c 'import ast, sys; ast.parse(open(sys.argv[1], "rb").read())' "$expected_py" 2>"$work/py.txt"; then
        problems="expected.py does not compile: $(tail -n 1 "$work/py.txt")"
    fi
    # 5. idempotence
    if [ -z "$problems" ]; then
        cp "$work/fix/input.py" "$work/once.py"
        status=0
        (cd "$work/fix" && "$ASYNCMOD" check --fix --quiet $args input.py) >/dev/null 2>&1 || status=$?
        [ "$status" -le 1 ] || problems="a second --fix exited $status"
        cmp -s "$work/fix/input.py" "$work/once.py" || problems="a second --fix changed the file again"
    fi
    if [ -n "$problems" ]; then
        fail "$name" "$problems"
    else
        pass "$name"
    fi
done
finish
