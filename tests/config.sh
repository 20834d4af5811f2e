#!/bin/sh
# Rule selection and fixability as ruff resolves them: one row per case,
# `[tool.asyncmod] settings | command-line options | codes expected`.
# Settings are TOML lines separated by `;`. The file holds findings of
# AM105, AM202, AM203, ASYNC251 and ASYNC300 (AM105, AM203 and ASYNC300
# with a safe fix).
. "$SRCDIR/tests/lib.sh"

work="$TMPROOT/t"
mkdir -p "$work"
cp "$SRCDIR/fixtures/cli/config-explicit-and-isolated/tree/app.py" "$work/app.py"
chmod u+w "$work/app.py"   # the source tree may be read-only (distcheck)

# run SETTINGS ARGS...: the sorted codes reported (or marked [*] when
# $FIXABLE is set), one line
run() {
    settings=$1
    shift
    {
        echo '[tool.asyncmod]'
        printf '%s\n' "$settings" | tr ';' '\n'
    } >"$work/pyproject.toml"
    (cd "$work" && asyncmod check --output-format concise "$@" app.py) >"$work/out" 2>"$work/err"
    echo $? >"$work/status"
    if [ -n "${FIXABLE:-}" ]; then
        grep ' \[\*\] ' "$work/out"
    else
        cat "$work/out"
    fi | awk '{print $2}' | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'
}

check_row() {
    settings=$(echo "$1" | sed 's/^ *//; s/ *$//')
    args=$(echo "$2" | sed 's/^ *//; s/ *$//')
    want=$(echo "$3" | sed 's/^ *//; s/ *$//')
    # shellcheck disable=SC2086
    got=$(run "$settings" $args)
    if [ "$got" = "$want" ]; then
        pass "${FIXABLE:+fixable: }[$settings] $args -> ${want:-nothing}"
    else
        fail "${FIXABLE:+fixable: }[$settings] $args" "expected: $want" "got:      $got" \
            "$(head -n 3 "$work/err")"
    fi
}

rows() {
    while IFS='|' read -r settings args want; do
        case $settings in '#'*|'') continue ;; esac
        check_row "$settings" "$args" "$want"
    done
}

rows <<'EOF_ROWS'
                                        |                                 | AM105 AM202 AM203 ASYNC251 ASYNC300
select = ["AM"]                         |                                 | AM105 AM202 AM203
# the command line's --select starts afresh: the configuration's select and ignore are dropped
select = ["AM"]                         | --select ASYNC                  | ASYNC251 ASYNC300
ignore = ["AM2"]                        | --select AM                     | AM105 AM202 AM203
ignore = ["AM2"]                        | --select=AM,ASYNC300            | AM105 AM202 AM203 ASYNC300
# without --select the command line adjusts the configuration
ignore = ["AM2"]                        | --extend-select AM203           | AM105 AM203 ASYNC251 ASYNC300
ignore = ["ASYNC251"]                   | --ignore AM                     | ASYNC300
select = ["ASYNC"]                      | --extend-select AM105           | AM105 ASYNC251 ASYNC300
select = ["ASYNC"];extend-select = ["AM105"] |                            | AM105 ASYNC251 ASYNC300
# within one layer the more specific selector wins, ignore at equal specificity
select = ["ALL"];ignore = ["AM"]        |                                 | ASYNC251 ASYNC300
ignore = ["AM"];select = ["AM203"]      |                                 | AM203
select = ["AM"];ignore = ["AM"]         |                                 |
select = ["AM2"];ignore = ["AM"]        |                                 | AM202 AM203
select = ["AM20"];ignore = ["AM2"]      |                                 | AM202 AM203
                                        | --select AM --ignore AM105      | AM202 AM203
                                        | --ignore ALL --select AM105     | AM105
                                        | --select am105,Async300         | AM105 ASYNC300
extend-ignore = ["AM"]                  |                                 | ASYNC251 ASYNC300
                                        | --extend-ignore AM2             | AM105 ASYNC251 ASYNC300
# an empty select selects nothing; its ignores carry over to the next layer
select = []                             |                                 |
select = [];ignore = ["AM"]             | --extend-select ALL             | ASYNC251 ASYNC300
# per-file-ignores apply last, whatever the command line selects
per-file-ignores = {"app.py" = ["ASYNC"]} | --select ASYNC251,AM105       | AM105
extend-per-file-ignores = {"*.py" = ["AM1"]} |                            | AM202 AM203 ASYNC251 ASYNC300
per-file-ignores = {"app.py" = ["AM2"]};extend-per-file-ignores = {"app.py" = ["ASYNC3"]} | | AM105 ASYNC251
EOF_ROWS

FIXABLE=1 rows <<'EOF_ROWS'
                                        |                                 | AM105 AM203 ASYNC300
unfixable = ["AM"]                      |                                 | ASYNC300
fixable = ["AM105"]                     |                                 | AM105
unfixable = ["AM"]                      | --fixable AM203                 | AM203
fixable = ["AM"];unfixable = ["AM105"]  |                                 | AM203
unfixable = ["ASYNC300"]                | --extend-fixable ASYNC300       | AM105 AM203 ASYNC300
                                        | --unfixable ALL                 |
extend-fixable = ["AM203"];fixable = [] |                                 | AM203
EOF_ROWS

# --fix leaves an unfixable rule's finding in place, reported
run 'unfixable = ["AM105"]' --fix >/dev/null
if grep -q 'loop = asyncio.get_event_loop()' "$work/app.py" &&
   grep -q 'AM105.*(reason: unfixable)' "$work/out" &&
   ! grep -q 'asyncio.TimeoutError' "$work/app.py"; then
    pass "--fix: an unfixable rule is reported, not fixed; the others are fixed"
else
    fail "--fix with unfixable" "$(cat "$work/out")" "$(cat "$work/app.py")"
fi
cp "$SRCDIR/fixtures/cli/config-explicit-and-isolated/tree/app.py" "$work/app.py"
chmod u+w "$work/app.py"

# errors name the file, the line and the nearest code
err_row() {
    settings=$1
    shift
    want=$1
    shift
    run "$settings" "$@" >/dev/null
    if [ "$(cat "$work/status")" = 2 ] && grep -qF -- "$want" "$work/err"; then
        pass "error: [$settings] $* -> $want"
    else
        fail "error: [$settings] $*" "expected: $want" "got: $(cat "$work/err")"
    fi
}
err_row 'extend-select = ["AS"]' "pyproject.toml:2: unknown rule selector 'AS' (did you mean 'AM'?)"
err_row 'unfixable = ["ASYNC2511"]' "pyproject.toml:2: unknown rule selector 'ASYNC2511' (did you mean 'ASYNC251'?)"
err_row 'fixable = "AM"' "pyproject.toml:2: 'fixable' must be an array of strings, not a string"
err_row 'extend-per-file-ignores = {"x.py" = ["QQQ"]}' "pyproject.toml:2: unknown rule selector 'QQQ'"
err_row '' "unknown rule selector 'ASYNC9' (did you mean" --extend-ignore ASYNC9
err_row '' "option '--select' needs rule codes or prefixes, not an empty value" --select=
err_row '' "option '--fixable' needs rule codes or prefixes, not an empty value" --fixable ,
err_row 'extend_select = ["AM"]' "pyproject.toml:2: unknown key 'extend_select' in [tool.asyncmod] (did you mean 'extend-select'?)"
err_row 'select = [' "pyproject.toml:3:1: invalid TOML: expected a value"
finish
