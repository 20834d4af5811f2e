#!/bin/sh
# Shell completions and pre-commit hooks.
#
# The bash completion is loaded into `bash --norc --noprofile` and its
# function is called the way readline calls it (COMP_WORDS, COMP_CWORD,
# COMP_LINE, COMP_POINT); every case runs with plain bash and again after
# the bash-completion package's main script, when that is installed
# ($BASH_COMPLETION_MAIN names another copy of it). The zsh completion is
# syntax-checked with `zsh -n` when zsh is installed. .pre-commit-hooks.yaml
# must parse, and each hook's entry is run on a file the way pre-commit
# runs it.
. "$SRCDIR/tests/lib.sh"

# codes_with PREFIX [LEAD [LEFT-OUT]]: the rule codes starting with PREFIX,
# from `asyncmod rules`, each after LEAD, without the code LEFT-OUT.
codes_with() {
    "$ASYNCMOD" rules | awk -v p="$1" -v lead="${2:-}" -v out="${3:-}" \
        'index($1, p) == 1 && $1 != out { print lead $1 }' | LC_ALL=C sort | paste -sd' ' -
}

bashcomp="$SRCDIR/completions/asyncmod.bash"
zshcomp="$SRCDIR/completions/_asyncmod"
hooks="$SRCDIR/.pre-commit-hooks.yaml"
bcmain=${BASH_COMPLETION_MAIN:-/usr/share/bash-completion/bash_completion}

# drive.bash WORD...: completes the last WORD (empty: a new word) of the
# command line WORD... and prints the offers sorted, one a line. A word
# `--opt=value` is split into `--opt`, `=`, `value`, as readline does.
cat >"$TMPROOT/drive.bash" <<'EOF'
export LC_ALL=C
if [[ -n $BCMAIN ]]; then
    . "$BCMAIN" || exit 3
fi
. "$BASHCOMP" || exit 3
spec=$(complete -p asyncmod) || exit 3
fn=${spec#*-F }
fn=${fn%% *}
COMP_WORDS=()
for w in "$@"; do
    if [[ $w == --*=* ]]; then
        COMP_WORDS+=("${w%%=*}" "=" "${w#*=}")
    else
        COMP_WORDS+=("$w")
    fi
done
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
COMP_KEY=9
COMPREPLY=()
"$fn" asyncmod "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | sort
EOF

# Files and folders for the path cases.
tree="$TMPROOT/tree"
mkdir -p "$tree/pkg"
: >"$tree/pkg/__init__.py"
: >"$tree/mod.py"
: >"$tree/--fast.py"
: >"$tree/pyproject.toml"

# expect MODE WANT WORD...: completing WORD... offers exactly WANT (sorted,
# space-separated).
expect() {
    mode=$1 want=$2
    shift 2
    status=0
    got=$(cd "$tree" && BCMAIN=$mode_main BASHCOMP=$bashcomp \
        bash --norc --noprofile "$TMPROOT/drive.bash" "$@" 2>"$TMPROOT/err") || status=$?
    got=$(printf '%s\n' "$got" | tr '\n' ' ' | sed 's/ *$//')
    name="$mode: '$*' offers: ${want:-nothing}"
    if [ "$status" -ne 0 ] || [ -s "$TMPROOT/err" ]; then
        fail "$name" "exit status $status" "$(head -n 5 "$TMPROOT/err")"
    elif [ "$got" != "$want" ]; then
        fail "$name" "got: ${got:-nothing}"
    else
        pass "$name"
    fi
}

run_cases() {
    mode=$1
    # subcommands and top-level options
    expect "$mode" "check" asyncmod ch
    expect "$mode" "batch check explain rules server" asyncmod ""
    expect "$mode" "--shard" asyncmod batch --sh
    expect "$mode" "--draft --dry-run" asyncmod batch --dr
    expect "$mode" "--force-branch --forge" asyncmod batch --fo
    expect "$mode" "github gitlab" asyncmod batch --forge ""
    expect "$mode" "--help --version" asyncmod --
    expect "$mode" "" asyncmod --version ""
    # options
    expect "$mode" "--target-version" asyncmod check --ta
    expect "$mode" "--unfixable --unsafe-fixes" asyncmod check --u
    expect "$mode" "--diff" asyncmod check --d
    expect "$mode" "" asyncmod check --fix --d
    expect "$mode" "--ignore --in-place --interactive --isolated" asyncmod check --i
    expect "$mode" "--force-branch --force-exclude" asyncmod check --fo
    expect "$mode" "--quiet" asyncmod check --select AM105 --q
    expect "$mode" "" asyncmod check -j 2 --j
    expect "$mode" "--help --output-format" asyncmod rules --
    expect "$mode" "--output-format" asyncmod rules --o
    # option values
    expect "$mode" "py310 py311 py312 py313 py314" asyncmod check --target-version py31
    expect "$mode" "py310 py311 py312 py313 py314" asyncmod check --target-version=py31
    expect "$mode" "py39" asyncmod check --fix --target-version py3 --target-version py39
    expect "$mode" "sarif" asyncmod check --output-format s
    expect "$mode" "concise github json sarif text" asyncmod check --output-format ""
    expect "$mode" "json text" asyncmod rules --output-format ""
    expect "$mode" "" asyncmod check -j ""
    # rule codes, from `asyncmod rules`
    expect "$mode" "$(codes_with ASYNC2)" asyncmod check --select ASYNC2
    expect "$mode" "$(codes_with AS)" asyncmod check --select=AS
    expect "$mode" "$(codes_with AM2 AM105,)" asyncmod check --select AM105,AM2
    expect "$mode" "$(codes_with '' AM105, AM105)" asyncmod check --ignore AM105,
    expect "$mode" "$(codes_with '')" asyncmod check --ignore ""
    expect "$mode" "$(codes_with AM)" asyncmod explain AM
    expect "$mode" "" asyncmod explain AM105 ""
    # paths
    expect "$mode" "mod.py" asyncmod check m
    expect "$mode" "pkg" asyncmod check --fix pk
    expect "$mode" "pkg/__init__.py" asyncmod check pkg/
    expect "$mode" "pyproject.toml" asyncmod check --config py
    expect "$mode" "--fast.py" asyncmod check -- --f
    expect "$mode" "--fix --fixable" asyncmod check --fi
}

mode_main=
run_cases "bash"
if [ -r "$bcmain" ]; then
    mode_main=$bcmain
    run_cases "bash + bash-completion"
else
    echo "SKIP: $bcmain not found: bash-completion's helpers not tried"
fi

# Every option `asyncmod --help` lists for check is completed by both
# completions.
"$ASYNCMOD" --help | awk '
    /^check options:/ { on = 1; next }
    on && /^$/ { exit }
    on { for (i = 1; i <= NF; i++) if ($i ~ /^-/) { sub(/,$/, "", $i); print $i } }
' >"$TMPROOT/help-options"
offered=" $(cd "$tree" && BCMAIN='' BASHCOMP=$bashcomp bash --norc --noprofile "$TMPROOT/drive.bash" \
    asyncmod check - | tr '\n' ' ') "
if [ ! -s "$TMPROOT/help-options" ]; then
    fail "asyncmod --help lists check options"
else
    missing=
    while read -r opt; do
        case $offered in *" $opt "*) ;; *) missing="$missing $opt" ;; esac
    done <"$TMPROOT/help-options"
    if [ -n "$missing" ]; then
        fail "bash completes every option of 'asyncmod --help'" "missing:$missing"
    else
        pass "bash completes every option of 'asyncmod --help'"
    fi
    missing=
    while read -r opt; do
        grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|\$)" "$zshcomp" || missing="$missing $opt"
    done <"$TMPROOT/help-options"
    if [ -n "$missing" ]; then
        fail "zsh completes every option of 'asyncmod --help'" "missing:$missing"
    else
        pass "zsh completes every option of 'asyncmod --help'"
    fi
fi

# zsh
if command -v zsh >/dev/null 2>&1; then
    if zsh -n "$zshcomp" 2>"$TMPROOT/err"; then
        pass "zsh -n completions/_asyncmod"
    else
        fail "zsh -n completions/_asyncmod" "$(head -n 5 "$TMPROOT/err")"
    fi
else
    echo "SKIP: zsh not installed: completions/_asyncmod not syntax-checked"
fi
if head -n 1 "$zshcomp" | grep -qx '#compdef asyncmod'; then
    pass "completions/_asyncmod starts with #compdef asyncmod"
else
    fail "completions/_asyncmod starts with #compdef asyncmod"
fi

# .pre-commit-hooks.yaml: one line per hook, ID<TAB>ENTRY<TAB>LANGUAGE<TAB>TYPES_OR
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
    how="parsed with PyYAML"
    /usr/bin/python3 - "$hooks" >"$TMPROOT/hooks" 2>"$TMPROOT/err" <<'EOF'
import sys, yaml
with open(sys.argv[1]) as f:
    hooks = yaml.safe_load(f)
assert isinstance(hooks, list) and hooks, "not a list of hooks"
for h in hooks:
    missing = {"id", "name", "entry", "language", "description"} - set(h)
    assert not missing, "hook %r lacks %s" % (h.get("id"), sorted(missing))
    assert h.get("require_serial") is True, "hook %r: require_serial is not true" % h["id"]
    print("\t".join([h["id"], h["entry"], h["language"], ",".join(h.get("types_or", []))]))
EOF
    status=$?
else
    how="read with awk (no PyYAML)"
    awk '
        function out() { if (id != "") print id "\t" entry "\t" lang "\t" types }
        /^- id: / { out(); id = $3; entry = lang = types = ""; next }
        /^  entry: / { sub(/^  entry: /, ""); entry = $0 }
        /^  language: / { lang = $2 }
        /^  types_or: / { sub(/^  types_or: \[/, ""); sub(/\]$/, ""); gsub(/ /, ""); types = $0 }
        END { out() }
    ' "$hooks" >"$TMPROOT/hooks" 2>"$TMPROOT/err"
    status=$?
fi
if [ "$status" -ne 0 ]; then
    fail ".pre-commit-hooks.yaml $how" "$(tail -n 3 "$TMPROOT/err")"
else
    pass ".pre-commit-hooks.yaml $how"
fi
want="asyncmod	asyncmod check --force-exclude	python	python,pyi
asyncmod-fix	asyncmod check --force-exclude --fix	python	python,pyi
asyncmod-system	asyncmod check --force-exclude	system	python,pyi
asyncmod-fix-system	asyncmod check --force-exclude --fix	system	python,pyi"
if [ "$(cat "$TMPROOT/hooks")" = "$want" ]; then
    pass ".pre-commit-hooks.yaml: hooks asyncmod, asyncmod-fix and their -system twins"
else
    fail ".pre-commit-hooks.yaml: hooks asyncmod, asyncmod-fix and their -system twins" "got: $(cat "$TMPROOT/hooks")"
fi

# Each entry run as pre-commit runs it: `ENTRY FILE...` in the repository.
BAD='import asyncio


async def f():
    return asyncio.get_event_loop()
'
FIXED='import asyncio


async def f():
    return asyncio.get_running_loop()
'
# run_hook ID EXIT-EXPECTED FILE-AFTER
run_hook() {
    entry=$(awk -F '\t' -v id="$1" '$1 == id { print $2 }' "$TMPROOT/hooks")
    repo="$TMPROOT/hook-$1"
    mkdir -p "$repo"
    printf '%s' "$BAD" >"$repo/a.py"
    printf '%s' "$BAD" >"$repo/b.pyi"
    status=0
    (cd "$repo" && sh -c "$entry \"\$@\"" "$1" a.py b.pyi) >"$TMPROOT/out" 2>"$TMPROOT/err" || status=$?
    if [ -z "$entry" ]; then
        fail "hook $1: no entry"
    elif [ "$status" -ne "$2" ]; then
        fail "hook $1 ($entry): exit status $status, expected $2" "$(head -n 5 "$TMPROOT/err")"
    elif [ "$(cat "$repo/a.py")" != "$(printf '%s' "$3")" ] ||
        [ "$(cat "$repo/b.pyi")" != "$(printf '%s' "$3")" ]; then
        fail "hook $1 ($entry): files after the run" "$(cat "$repo/a.py")"
    else
        pass "hook $1 ($entry)"
    fi
}
run_hook asyncmod 1 "$BAD"
run_hook asyncmod-fix 0 "$FIXED"
run_hook asyncmod-system 1 "$BAD"
run_hook asyncmod-fix-system 0 "$FIXED"

finish
