# bash completion for asyncmod                             -*- shell-script -*-
#
# `make install` puts this file in $(datadir)/bash-completion/completions/
# under the name `asyncmod`, where the bash-completion package loads it the
# first time `asyncmod` is completed. Without that package, source it from
# ~/.bashrc:
#
#     . /usr/local/share/bash-completion/completions/asyncmod
#
# It works with plain bash (4.1 or newer) and uses the bash-completion
# helpers when they are loaded. Rule codes are read from `asyncmod rules`
# each time they are completed, so they are those of the binary being run.

# Prints the rule codes of the asyncmod binary that $1 names (the command
# word as typed, e.g. `./asyncmod`), one a line; falls back to `asyncmod`
# on PATH.
_asyncmod_rule_codes()
{
    local prog=${1:-asyncmod} code rest
    # shellcheck disable=SC2088 # a literal ~/ left in the typed word
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    type -P -- "$prog" >/dev/null 2>&1 || prog=asyncmod
    "$prog" rules 2>/dev/null | while read -r code rest; do
        [[ $code =~ ^[A-Z]+[0-9]+$ ]] && printf '%s\n' "$code"
    done
}

# Sets COMPREPLY to the words of $1 that start with $cur.
_asyncmod_words()
{
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# Sets COMPREPLY to the files and folders that start with $cur.
_asyncmod_files()
{
    if declare -F _filedir >/dev/null; then
        _filedir
        return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

# Sets COMPREPLY to the folders that start with $cur.
_asyncmod_dirs()
{
    if declare -F _filedir >/dev/null; then
        _filedir -d
        return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
}

# Completes the last item of the comma-separated code list in $cur
# (--select, --ignore): the items before it are kept as they are, and codes
# already in the list are not offered again.
_asyncmod_code_list()
{
    local head="" tail=$cur code
    if [[ $cur == *,* ]]; then
        head=${cur%,*},
        tail=${cur##*,}
    fi
    COMPREPLY=()
    for code in $(_asyncmod_rule_codes "${words[0]}"); do
        [[ ,$head == *",$code,"* ]] && continue
        [[ $code == "$tail"* ]] && COMPREPLY+=("$head$code")
    done
}

_asyncmod()
{
    # shellcheck disable=SC2034 # split is set by _init_completion -s
    local cur prev words cword split
    if declare -F _init_completion >/dev/null; then
        # -s: `--opt=value` comes as prev=--opt, cur=value
        _init_completion -s || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${words[cword]}
        prev=""
        ((cword > 0)) && prev=${words[cword - 1]}
        # readline splits `--opt=value` into `--opt`, `=`, `value`
        if [[ $cur == "=" && $prev == --* ]]; then
            cur=""
        elif [[ $prev == "=" ]] && ((cword > 1)) && [[ ${words[cword - 2]} == --* ]]; then
            prev=${words[cword - 2]}
        fi
    fi
    COMPREPLY=()

    # The subcommand is the first word after the program name.
    local command="" i
    if ((cword > 1)); then
        command=${words[1]}
    fi
    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            _asyncmod_words "--help --version"
        else
            _asyncmod_words "batch check explain rules server"
        fi
        return
    fi

    case $command in
    check)
        case $prev in
        --select | --ignore | --extend-select | --extend-ignore | --fixable | --extend-fixable | --unfixable)
            _asyncmod_code_list
            return
            ;;
        --target-version)
            _asyncmod_words "py39 py310 py311 py312 py313 py314"
            return
            ;;
        --output-format)
            _asyncmod_words "text concise json sarif github"
            return
            ;;
        --http-client)
            _asyncmod_words "httpx aiohttp"
            return
            ;;
        --color)
            _asyncmod_words "auto always never"
            return
            ;;
        -o | --output-file)
            _asyncmod_files
            return
            ;;
        -j | --jobs | -m | --message | --timeout)
            return # a number, a message
            ;;
        --changed-since | --branch)
            # revisions and branches of the repository here
            _asyncmod_words "$(git for-each-ref --format='%(refname:short)' refs/heads refs/tags 2>/dev/null) HEAD"
            return
            ;;
        --config | --stdin-filename)
            _asyncmod_files
            return
            ;;
        --cache-dir)
            _asyncmod_dirs
            return
            ;;
        esac
        # after `--` everything is a path
        for ((i = 2; i < cword; i++)); do
            if [[ ${words[i]} == "--" ]]; then
                _asyncmod_files
                return
            fi
        done
        if [[ $cur == -* ]]; then
            # Options not given yet; --fix and --diff exclude each other.
            local opts="" opt used=" "
            for ((i = 2; i < cword; i++)); do
                used+="${words[i]%%=*} "
            done
            [[ $used == *" --fix "* ]] && used+="--diff "
            [[ $used == *" --diff "* ]] && used+="--fix "
            [[ $used == *" -j "* ]] && used+="--jobs "
            [[ $used == *" --jobs "* ]] && used+="-j "
            [[ $used == *" -q "* ]] && used+="--quiet "
            [[ $used == *" --quiet "* ]] && used+="-q "
            [[ $used == *" -i "* ]] && used+="--interactive "
            [[ $used == *" --interactive "* ]] && used+="-i "
            [[ $used == *" -m "* ]] && used+="--message "
            [[ $used == *" --message "* ]] && used+="-m "
            [[ $used == *" -o "* ]] && used+="--output-file "
            [[ $used == *" --output-file "* ]] && used+="-o "
            for opt in --fix --unsafe-fixes --diff -i --interactive --select --ignore \
                --target-version --timeout --http-client --output-format -j --jobs -q --quiet \
                --config --isolated --changed-since --commit --branch -m --message \
                --in-place --allow-dirty --force-branch --stdin-filename --help \
                --extend-select --extend-ignore --fixable --extend-fixable --unfixable --add-noqa \
                --no-cache --cache-dir --statistics --exit-zero --show-fixes -o --output-file \
                --color --force-exclude --no-force-exclude; do
                [[ $used == *" $opt "* ]] || opts+=" $opt"
            done
            _asyncmod_words "$opts"
        else
            _asyncmod_files
        fi
        ;;
    rules)
        if [[ $prev == --output-format ]]; then
            _asyncmod_words "text json"
        elif [[ $cur == -* ]]; then
            _asyncmod_words "--output-format --help"
        fi
        ;;
    batch)
        case $prev in
        --select | --ignore)
            _asyncmod_code_list
            return
            ;;
        --target-version)
            _asyncmod_words "py39 py310 py311 py312 py313 py314"
            return
            ;;
        --workdir)
            compopt -o dirnames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        --report | --retry-failed | --config)
            _asyncmod_files
            return
            ;;
        --http-client)
            _asyncmod_words "httpx aiohttp"
            return
            ;;
        --forge)
            _asyncmod_words "github gitlab"
            return
            ;;
        -j | --jobs | --shard | --branch | -m | --message | --timeout | --git-timeout)
            return
            ;;
        esac
        if [[ $cur == -* ]]; then
            _asyncmod_words "--select --ignore --unsafe-fixes --target-version --timeout --http-client --branch -m --message --allow-dirty --force-branch -j --jobs --config --isolated --workdir --push --dry-run --report --retry-failed --shard --create-pr --draft --forge --merge-reports --git-timeout --help"
        else
            _asyncmod_files
        fi
        ;;
    server)
        [[ $cur == -* ]] && _asyncmod_words "--stdio --help"
        ;;
    explain)
        # one CODE
        for ((i = 2; i < cword; i++)); do
            [[ ${words[i]} == -* ]] || return
        done
        if [[ $cur == -* ]]; then
            _asyncmod_words "--help"
        else
            _asyncmod_words "$(_asyncmod_rule_codes "${words[0]}")"
        fi
        ;;
    esac
} &&
    complete -F _asyncmod asyncmod

# ex: filetype=sh
