#!/bin/sh
# The cache of results (.asyncmod_cache), on a scratch copy of
# fixtures/programs plus a file with a syntax error:
#   - a warm run prints what a cold run printed, byte for byte, on both
#     streams and with the same exit status, in every output format, and
#     takes every result from the cache (no entry is written again);
#   - a changed file is checked again; --fix fixes a file whose cached
#     result said "nothing to fix" once its bytes changed, even with the
#     same size and time, and fixes files the cache holds findings for;
#   - damaged entries (flipped byte, truncated, empty, random, another
#     file's entry) are never trusted and are written again;
#   - runs at the same time agree and leave only whole entries;
#   - --no-cache and ASYNCMOD_NO_CACHE write nothing;
#   - a change of rules, target version or configuration is not served
#     from the cache;
#   - where the cache goes: beside pyproject.toml, else the working folder;
#     --cache-dir, ASYNCMOD_CACHE_DIR, cache-dir; its .gitignore;
#   - a cache folder that cannot be made: a warning, and the right output.
. "$SRCDIR/tests/lib.sh"

unset ASYNCMOD_CACHE_DIR ASYNCMOD_NO_CACHE
T="$TMPROOT/t"
C="$TMPROOT/c"

make_tree() {
    rm -rf "$1"
    mkdir -p "$1"
    # a third of the cases: enough kinds of findings, and quick
    i=0
    for d in "$SRCDIR"/fixtures/programs/*; do
        i=$((i + 1))
        [ $((i % 3)) -eq 0 ] && cp -R "$d" "$1/"
    done
    chmod -R u+w "$1"
    printf 'import time\nasync def f(:\n    time.sleep(1)\n' >"$1/broken.py"
}

# run OUT ARGS...: runs asyncmod in $T; stdout, stderr and the status go
# to OUT.out, OUT.err and OUT.status.
run() {
    out=$1
    shift
    (cd "$T" && "$ASYNCMOD" "$@" >"$out.out" 2>"$out.err"; echo $? >"$out.status")
}

# same A B: the runs A and B printed the same and exited alike.
same() {
    cmp -s "$1.out" "$2.out" && cmp -s "$1.err" "$2.err" && cmp -s "$1.status" "$2.status"
}

# The entries of cache $1 with their inode numbers, sorted.
entries() {
    find "$1/v1" -type f -exec stat -c '%i %n' {} + | LC_ALL=C sort -k2
}

make_tree "$T"

# --- warm equals cold, every format ---
for fmt in text concise json sarif github; do
    rm -rf "$C"
    run "$TMPROOT/ref-$fmt" check --no-cache --output-format "$fmt" .
    run "$TMPROOT/cold-$fmt" check --cache-dir "$C" --output-format "$fmt" .
    entries "$C" >"$TMPROOT/entries-cold"
    run "$TMPROOT/warm-$fmt" check --cache-dir "$C" --output-format "$fmt" .
    entries "$C" >"$TMPROOT/entries-warm"
    n=$(wc -l <"$TMPROOT/entries-cold")
    if ! same "$TMPROOT/ref-$fmt" "$TMPROOT/cold-$fmt"; then
        fail "cold run equals a run without cache ($fmt)" "$(show_diff "$TMPROOT/ref-$fmt.out" "$TMPROOT/cold-$fmt.out")"
    elif ! same "$TMPROOT/cold-$fmt" "$TMPROOT/warm-$fmt"; then
        fail "warm run equals cold run ($fmt)" "$(show_diff "$TMPROOT/cold-$fmt.out" "$TMPROOT/warm-$fmt.out")" \
            "$(show_diff "$TMPROOT/cold-$fmt.err" "$TMPROOT/warm-$fmt.err")"
    elif [ "$n" -lt 20 ] || ! cmp -s "$TMPROOT/entries-cold" "$TMPROOT/entries-warm"; then
        fail "warm run takes every result from the cache ($fmt)" "$n entries; rewritten:" \
            "$(show_diff "$TMPROOT/entries-cold" "$TMPROOT/entries-warm")"
    else
        pass "warm run equals cold run, from the cache ($fmt, $n files)"
    fi
done
if grep -q "syntax error" "$TMPROOT/warm-text.err" && [ "$(cat "$TMPROOT/warm-text.status")" = 2 ]; then
    pass "a cached syntax error is reported again, exit 2"
else
    fail "a cached syntax error is reported again, exit 2" "$(cat "$TMPROOT/warm-text.err")"
fi
# a file refused for its encoding is kept too: the bytes decide it
E="$TMPROOT/enc"
mkdir -p "$E"
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' >"$E/good.py"
printf '# -*- coding: latin-1 -*-\nx = "\351"\n' >"$E/latin.py"
(cd "$E" && "$ASYNCMOD" check --cache-dir "$E/c" . >"$TMPROOT/enc1.out" 2>"$TMPROOT/enc1.err"; echo $? >"$TMPROOT/enc1.status")
entries "$E/c" >"$TMPROOT/enc-cold"
(cd "$E" && "$ASYNCMOD" check --cache-dir "$E/c" . >"$TMPROOT/enc2.out" 2>"$TMPROOT/enc2.err"; echo $? >"$TMPROOT/enc2.status")
entries "$E/c" >"$TMPROOT/enc-warm"
if same "$TMPROOT/enc1" "$TMPROOT/enc2" && grep -q "latin.py: unsupported source encoding" "$TMPROOT/enc2.err" &&
   [ "$(cat "$TMPROOT/enc2.status")" = 2 ] && [ "$(wc -l <"$TMPROOT/enc-cold")" = 2 ] &&
   cmp -s "$TMPROOT/enc-cold" "$TMPROOT/enc-warm"; then
    pass "a file refused for its encoding is answered from the cache"
else
    fail "a file refused for its encoding is answered from the cache" "$(cat "$TMPROOT/enc2.err")" \
        "$(cat "$TMPROOT/enc-cold")"
fi
if [ "$(cat "$C/.gitignore" | grep -v '^#')" = "*" ] && grep -q "^Signature: 8a477f597d28d172789f06886806bc55" "$C/CACHEDIR.TAG"; then
    pass "the cache folder has its .gitignore and CACHEDIR.TAG"
else
    fail "the cache folder has its .gitignore and CACHEDIR.TAG"
fi

# --- a changed file is checked again ---
rm -rf "$C"
run "$TMPROOT/a" check --cache-dir "$C" .
f=$(cd "$T" && ls -d */before.py | head -n 1)
printf '\nimport time\nasync def added():\n    time.sleep(2)\n' >>"$T/$f"
run "$TMPROOT/b" check --cache-dir "$C" .
run "$TMPROOT/b-ref" check --no-cache .
if same "$TMPROOT/b" "$TMPROOT/b-ref" && grep -q "$f:.*ASYNC251" "$TMPROOT/b.out"; then
    pass "a changed file is checked again"
else
    fail "a changed file is checked again" "$(show_diff "$TMPROOT/b-ref.out" "$TMPROOT/b.out")"
fi

# --- --fix and a cached "nothing to fix" ---
mkdir -p "$T/fixme"
printf 'import time\n\n\nasync def f():\n    time.slee_(1)\n' >"$T/fixme/m.py"
touch -d '2020-01-01 00:00:00' "$T/fixme/m.py"
run "$TMPROOT/f1" check --cache-dir "$C" --unsafe-fixes fixme
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' >"$T/fixme/m.py"
touch -d '2020-01-01 00:00:00' "$T/fixme/m.py"	# same size, same time
run "$TMPROOT/f2" check --cache-dir "$C" --unsafe-fixes --fix fixme
if [ "$(cat "$TMPROOT/f1.status")" = 0 ] && grep -q "await asyncio.sleep(1)" "$T/fixme/m.py"; then
    pass "--fix does not trust a cached clean result for changed bytes"
else
    fail "--fix does not trust a cached clean result for changed bytes" "$(cat "$T/fixme/m.py")"
fi
printf 'import time\n\n\nasync def f():\n    time.sleep(1)\n' >"$T/fixme/m.py"
run "$TMPROOT/f3" check --cache-dir "$C" --unsafe-fixes fixme
run "$TMPROOT/f4" check --cache-dir "$C" --unsafe-fixes --fix fixme
if [ "$(cat "$TMPROOT/f3.status")" = 1 ] && grep -q "await asyncio.sleep(1)" "$T/fixme/m.py" &&
    grep -q "(1 fixed" "$TMPROOT/f4.out"; then
    pass "--fix fixes a file the cache holds findings for"
else
    fail "--fix fixes a file the cache holds findings for" "$(cat "$TMPROOT/f4.out")"
fi
run "$TMPROOT/f5" check --cache-dir "$C" --diff fixme
run "$TMPROOT/f5-ref" check --no-cache --diff fixme
if same "$TMPROOT/f5" "$TMPROOT/f5-ref"; then
    pass "--diff after --fix: the same as without cache"
else
    fail "--diff after --fix: the same as without cache" "$(show_diff "$TMPROOT/f5-ref.out" "$TMPROOT/f5.out")"
fi
rm -rf "$T/fixme"

# --- damaged entries ---
make_tree "$T"
rm -rf "$C"
run "$TMPROOT/ref" check --no-cache --output-format json .
run "$TMPROOT/cold" check --cache-dir "$C" --output-format json .
list=$(find "$C/v1" -type f | LC_ALL=C sort)
first=$(echo "$list" | head -n 1)
damage() {
    kind=$1
    i=0
    for e in $list; do
        i=$((i + 1))
        size=$(stat -c %s "$e")
        case $kind in
        flip)   # one byte of the payload changed
            at=$((size - 1 - i % (size / 2)))
            printf '\377' | dd of="$e" bs=1 seek="$at" conv=notrunc 2>/dev/null ;;
        flip-header)
            printf '\377' | dd of="$e" bs=1 seek=$((i % 56)) conv=notrunc 2>/dev/null ;;
        truncate) truncate -s $((size / 2)) "$e" ;;
        empty)  : >"$e" ;;
        random) head -c $((size + 7)) /dev/urandom >"$e" ;;
        foreign) [ "$e" = "$first" ] || cp "$first" "$e" ;;
        longer) printf 'x' >>"$e" ;;
        esac
    done
}
for kind in flip flip-header truncate empty random foreign longer; do
    damage "$kind"
    run "$TMPROOT/dam-$kind" check --cache-dir "$C" --output-format json .
    run "$TMPROOT/dam2-$kind" check --cache-dir "$C" --output-format json .
    entries "$C" >"$TMPROOT/e1"
    run "$TMPROOT/dam3-$kind" check --cache-dir "$C" --output-format json .
    entries "$C" >"$TMPROOT/e2"
    if ! same "$TMPROOT/ref" "$TMPROOT/dam-$kind"; then
        fail "$kind entries are not trusted" "$(show_diff "$TMPROOT/ref.out" "$TMPROOT/dam-$kind.out")"
    elif ! same "$TMPROOT/ref" "$TMPROOT/dam2-$kind" || ! cmp -s "$TMPROOT/e1" "$TMPROOT/e2"; then
        fail "$kind entries are written again and then used" "$(show_diff "$TMPROOT/e1" "$TMPROOT/e2")"
    else
        pass "$kind entries are not trusted, and are written again"
    fi
done

# --- runs at the same time ---
rm -rf "$C"
for i in 1 2 3 4 5 6; do
    run "$TMPROOT/par-$i" check --cache-dir "$C" --output-format json . &
done
wait
ok=true
for i in 1 2 3 4 5 6; do
    same "$TMPROOT/ref" "$TMPROOT/par-$i" || ok=false
done
run "$TMPROOT/par-after" check --cache-dir "$C" --output-format json .
leftovers=$(find "$C" -name '*.tmp-*' | wc -l)
if $ok && same "$TMPROOT/ref" "$TMPROOT/par-after" && [ "$leftovers" -eq 0 ]; then
    pass "six runs at once agree, and leave whole entries only"
else
    fail "six runs at once agree, and leave whole entries only" "leftovers: $leftovers" \
        "$(show_diff "$TMPROOT/ref.out" "$TMPROOT/par-after.out")"
fi

# --- no cache ---
rm -rf "$T/.asyncmod_cache"
run "$TMPROOT/nc" check --no-cache .
(cd "$T" && ASYNCMOD_NO_CACHE=1 "$ASYNCMOD" check . >/dev/null 2>&1)
if [ ! -e "$T/.asyncmod_cache" ]; then
    pass "--no-cache and ASYNCMOD_NO_CACHE=1 write nothing"
else
    fail "--no-cache and ASYNCMOD_NO_CACHE=1 write nothing" "$(ls -a "$T")"
fi

# --- settings are part of the key ---
rm -rf "$C"
settings_case() {
    name=$1
    shift
    run "$TMPROOT/s-ref" check --no-cache "$@" .
    run "$TMPROOT/s-got" check --cache-dir "$C" "$@" .
    if same "$TMPROOT/s-ref" "$TMPROOT/s-got"; then
        pass "settings change: $name"
    else
        fail "settings change: $name" "$(show_diff "$TMPROOT/s-ref.out" "$TMPROOT/s-got.out")"
    fi
}
run "$TMPROOT/warmup" check --cache-dir "$C" --select ASYNC251 .
settings_case "--select ALL after --select ASYNC251" --select ALL
settings_case "--ignore ASYNC251" --ignore ASYNC251
settings_case "--target-version py39" --target-version py39
settings_case "--unsafe-fixes" --unsafe-fixes
settings_case "--http-client aiohttp, --unsafe-fixes" --http-client aiohttp --unsafe-fixes
settings_case "--timeout 7" --timeout 7
printf '[tool.asyncmod]\nignore = ["AM101"]\n' >"$T/pyproject.toml"
settings_case "a pyproject.toml ignoring AM101"
printf '[tool.asyncmod]\ntarget-version = "py39"\n' >"$T/pyproject.toml"
settings_case "pyproject.toml target-version py39"
rm -f "$T/pyproject.toml"

# --- where the cache goes ---
P="$TMPROOT/proj"
rm -rf "$P"
mkdir -p "$P/pkg/sub"
printf 'import time\nasync def f():\n    time.sleep(1)\n' >"$P/pkg/sub/m.py"
printf '[project]\nname = "p"\n' >"$P/pyproject.toml"
(cd "$P/pkg/sub" && "$ASYNCMOD" check . >/dev/null 2>&1)
if [ -f "$P/.asyncmod_cache/.gitignore" ] && [ ! -e "$P/pkg/sub/.asyncmod_cache" ]; then
    pass "the cache goes beside pyproject.toml"
else
    fail "the cache goes beside pyproject.toml" "$(find "$P" -name .asyncmod_cache)"
fi
git -C "$P" init -q 2>/dev/null
if [ -z "$(git -C "$P" status --porcelain=v1 -uall | grep asyncmod_cache)" ]; then
    pass "git does not see the cache folder"
else
    fail "git does not see the cache folder" "$(git -C "$P" status --porcelain=v1 -uall)"
fi
rm -rf "$P/.git" "$P/.asyncmod_cache"
printf '[tool.asyncmod]\ncache-dir = "build/amcache"\n' >"$P/pyproject.toml"
(cd "$P/pkg" && "$ASYNCMOD" check . >/dev/null 2>&1)
if [ -d "$P/build/amcache/v1" ] && [ ! -e "$P/.asyncmod_cache" ]; then
    pass "cache-dir in the configuration, relative to it"
else
    fail "cache-dir in the configuration, relative to it" "$(find "$P" -type d)"
fi
(cd "$P/pkg" && ASYNCMOD_CACHE_DIR="$P/envcache" "$ASYNCMOD" check . >/dev/null 2>&1)
(cd "$P/pkg" && ASYNCMOD_CACHE_DIR="$P/envcache" "$ASYNCMOD" check --cache-dir "$P/optcache" . >/dev/null 2>&1)
if [ -d "$P/envcache/v1" ] && [ -d "$P/optcache/v1" ] &&
    [ "$(find "$P/envcache/v1" -type f | wc -l)" = 1 ]; then
    pass "ASYNCMOD_CACHE_DIR wins over cache-dir, --cache-dir over both"
else
    fail "ASYNCMOD_CACHE_DIR wins over cache-dir, --cache-dir over both" "$(find "$P" -type d)"
fi
printf '[tool.asyncmod]\ncache-dir = 3\n' >"$P/pyproject.toml"
if (cd "$P" && "$ASYNCMOD" check . >/dev/null 2>"$TMPROOT/cd.err"); [ $? -eq 2 ] &&
    grep -q "pyproject.toml:2: 'cache-dir' must be a string" "$TMPROOT/cd.err"; then
    pass "cache-dir of the wrong type is an error naming the line"
else
    fail "cache-dir of the wrong type is an error naming the line" "$(cat "$TMPROOT/cd.err")"
fi
rm -rf "$P/pyproject.toml" "$P/build"
Q="$TMPROOT/noproj"
mkdir -p "$Q"
cp "$P/pkg/sub/m.py" "$Q/"
(cd "$Q" && "$ASYNCMOD" check m.py >/dev/null 2>&1)
if [ -f "$Q/.asyncmod_cache/.gitignore" ]; then
    pass "without pyproject.toml the cache goes to the working folder"
else
    fail "without pyproject.toml the cache goes to the working folder" "$(ls -a "$Q")"
fi

# --- a cache folder that cannot be made ---
: >"$TMPROOT/plainfile"
run "$TMPROOT/bad" check --cache-dir "$TMPROOT/plainfile/cache" --output-format json .
if same "$TMPROOT/ref" "$TMPROOT/bad"; then
    fail "an unusable cache folder gives a warning" "no warning on stderr"
elif cmp -s "$TMPROOT/ref.out" "$TMPROOT/bad.out" && cmp -s "$TMPROOT/ref.status" "$TMPROOT/bad.status" &&
    grep -q "^asyncmod: warning: running without the cache: .*plainfile/cache" "$TMPROOT/bad.err"; then
    pass "an unusable cache folder: a warning, and the same output"
else
    fail "an unusable cache folder: a warning, and the same output" "$(cat "$TMPROOT/bad.err" | head -5)"
fi

finish
