#!/bin/sh
# Installation: `make install` into a scratch DESTDIR puts the binary, the
# manual page and both shell completions where they belong, the installed
# binary runs and the installed bash completion loads; `make uninstall`
# then removes every file again. $BUILDDIR is the top build folder (by
# default the folder of $ASYNCMOD).
. "$SRCDIR/tests/lib.sh"

BUILDDIR=${BUILDDIR:-$(dirname "$ASYNCMOD")}
make=${MAKE:-make}
dest="$TMPROOT/dest"

# Runs make in $BUILDDIR without the flags of an enclosing make (its
# jobserver is not ours to use).
run_make() {
    (unset MAKEFLAGS MFLAGS MAKELEVEL; "$make" -C "$BUILDDIR" "$@") >"$TMPROOT/make.log" 2>&1
}

if ! run_make install DESTDIR="$dest"; then
    fail "make install DESTDIR=..." "$(tail -n 10 "$TMPROOT/make.log")"
    finish
    exit
fi
pass "make install DESTDIR=..."

# installed FILE-SUFFIX: prints the one file under $dest whose path ends so.
installed() {
    find "$dest" -type f -path "*/$1"
}

# expect_file SUFFIX SOURCE: SUFFIX is installed, a copy of SOURCE when one is named.
expect_file() {
    found=$(installed "$1")
    if [ -z "$found" ]; then
        fail "installed: .../$1" "files installed:" "$(cd "$dest" && find . -type f)"
    elif [ "$(printf '%s\n' "$found" | wc -l)" -ne 1 ]; then
        fail "installed: .../$1" "more than one:" "$found"
    elif [ -n "$2" ] && ! cmp -s "$found" "$2"; then
        fail "installed: .../$1" "not a copy of $2"
    else
        pass "installed: ${found#"$dest"}"
    fi
}

expect_file bin/asyncmod ""
expect_file share/man/man1/asyncmod.1 "$SRCDIR/man/asyncmod.1"
expect_file share/bash-completion/completions/asyncmod "$SRCDIR/completions/asyncmod.bash"
expect_file share/zsh/site-functions/_asyncmod "$SRCDIR/completions/_asyncmod"

bin=$(installed bin/asyncmod)
if [ -n "$bin" ]; then
    want=$("$ASYNCMOD" --version)
    if [ ! -x "$bin" ]; then
        fail "installed asyncmod is executable"
    elif [ "$("$bin" --version 2>&1)" != "$want" ]; then
        fail "installed asyncmod --version prints: $want" "got: $("$bin" --version 2>&1 | head -n 3)"
    else
        pass "installed asyncmod --version prints: $want"
    fi
fi

bashcomp=$(installed share/bash-completion/completions/asyncmod)
if [ -n "$bashcomp" ]; then
    if bash --norc --noprofile -c '. "$1" && complete -p asyncmod' sh "$bashcomp" \
        >"$TMPROOT/out" 2>&1; then
        pass "installed bash completion registers: $(cat "$TMPROOT/out")"
    else
        fail "installed bash completion loads" "$(head -n 5 "$TMPROOT/out")"
    fi
fi

if ! run_make uninstall DESTDIR="$dest"; then
    fail "make uninstall DESTDIR=..." "$(tail -n 10 "$TMPROOT/make.log")"
elif [ -n "$(find "$dest" -type f)" ]; then
    fail "make uninstall DESTDIR=... removes every file" "left:" "$(cd "$dest" && find . -type f)"
else
    pass "make uninstall DESTDIR=... removes every file"
fi
finish
