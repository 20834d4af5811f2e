#!/bin/sh
# The Python package. pyproject.toml names packaging/asyncmod_build.py as
# its PEP 517 build backend; with Debian's python3 (PACKAGE_PYTHON names
# another) and nothing from a package index (PIP_NO_INDEX=1):
#   - `pip install .` into a fresh virtual environment, with pip's build
#     isolation and with --no-build-isolation;
#   - `python3 -m build`: an sdist, and a wheel built from the unpacked sdist
#     (whose ./bootstrap fetches the grammar from the npm registry, as
#     building an sdist anywhere does), installed into another one;
#   - `pipx install .` into a scratch PIPX_HOME and PIPX_BIN_DIR;
#   - pre-commit (Debian's) installing the `asyncmod` hooks of
#     .pre-commit-hooks.yaml from a clone of this repository at its HEAD.
# Every installed asyncmod prints what the built one prints (--version, a
# check of examples/demo); the manual page and the bash completion are
# installed, and removed again by `pip uninstall`; the wheel's RECORD
# matches its files; the source tree is left as it was.
# ASYNCMOD_PACKAGE=0 skips it (distcheck and the sanitizer build: the
# package is built once).
. "$SRCDIR/tests/lib.sh"

if [ "${ASYNCMOD_PACKAGE:-1}" = 0 ]; then
    echo "SKIP: ASYNCMOD_PACKAGE=0"
    exit 77
fi
src=$(cd "$SRCDIR" && pwd -P)
if [ -z "$(git -C "$src" ls-files configure.ac 2>/dev/null)" ] && [ ! -f "$src/SOURCES.txt" ]; then
    echo "SKIP: $src is neither a git checkout nor an unpacked sdist: it has no list of sources to package"
    exit 77
fi
PY=${PACKAGE_PYTHON:-/usr/bin/python3}
version=$(sed -n 's/^AC_INIT(\[asyncmod\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")
want_version=$("$ASYNCMOD" --version)

# builds run make themselves: an enclosing make's jobserver is not theirs
unset MAKEFLAGS MFLAGS MAKELEVEL
PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
XDG_CACHE_HOME="$TMPROOT/cache" XDG_DATA_HOME="$TMPROOT/data"
export PIP_NO_INDEX PIP_DISABLE_PIP_VERSION_CHECK PIP_NO_CACHE_DIR PYTHONDONTWRITEBYTECODE
export XDG_CACHE_HOME XDG_DATA_HOME
# asyncmod's own cache would be written into the source tree
ASYNCMOD_NO_CACHE=1
export ASYNCMOD_NO_CACHE
grammar="$src/deps/tree-sitter-python-$(sed -n 's/^TSPY_VERSION=//p' "$src/bootstrap")"
[ -f "$grammar/src/parser.c" ] || grammar=${ASYNCMOD_TREE_SITTER_PYTHON:-}

for tool in "$PY -m venv -h" "$PY -m build --version" "pipx --version" "pre-commit --version"; do
    if ! $tool >/dev/null 2>&1; then
        fail "'$tool' runs" "missing: ./bootstrap installs python3-venv, python3-build, pipx and pre-commit"
        finish
        exit
    fi
done

stamp="$TMPROOT/stamp"
: >"$stamp"
sleep 1

# The reference: what the asyncmod under test prints for examples/demo.
(cd "$src" && "$ASYNCMOD" check examples/demo) >"$TMPROOT/demo-expected" 2>&1
echo "exit $?" >>"$TMPROOT/demo-expected"

# runs LABEL BIN: BIN prints the version and checks examples/demo as the
# asyncmod under test does.
runs() {
    if [ ! -x "$2" ]; then
        fail "$1: asyncmod installed" "no $2"
        return
    fi
    got=$("$2" --version 2>&1)
    if [ "$got" != "$want_version" ] || [ "$got" != "asyncmod $version" ]; then
        fail "$1: asyncmod --version" "got: $got" "expected: $want_version (asyncmod $version)"
    else
        pass "$1: asyncmod --version"
    fi
    (cd "$src" && "$2" check examples/demo) >"$TMPROOT/demo" 2>&1
    echo "exit $?" >>"$TMPROOT/demo"
    if cmp -s "$TMPROOT/demo" "$TMPROOT/demo-expected"; then
        pass "$1: asyncmod check examples/demo"
    else
        fail "$1: asyncmod check examples/demo" "$(show_diff "$TMPROOT/demo-expected" "$TMPROOT/demo")"
    fi
}

# data_installed LABEL ENV: the manual page and completions are below ENV/share.
data_installed() {
    ok=1
    cmp -s "$2/share/man/man1/asyncmod.1" "$src/man/asyncmod.1" || ok=0
    cmp -s "$2/share/bash-completion/completions/asyncmod" "$src/completions/asyncmod.bash" || ok=0
    cmp -s "$2/share/zsh/site-functions/_asyncmod" "$src/completions/_asyncmod" || ok=0
    if [ "$ok" = 1 ]; then
        pass "$1: manual page and completions installed in the environment"
    else
        fail "$1: manual page and completions installed in the environment" \
            "share/: $(cd "$2" && find share -type f 2>/dev/null | sort | tr '\n' ' ')"
    fi
}

# uninstalls LABEL ENV: pip uninstall removes every file the wheel installed.
uninstalls() {
    if ! "$2/bin/pip" uninstall -y asyncmod >"$TMPROOT/uninstall.log" 2>&1; then
        fail "$1: pip uninstall" "$(tail -n 5 "$TMPROOT/uninstall.log")"
        return
    fi
    left=$(cd "$2" && ls -d bin/asyncmod share/man/man1/asyncmod.1 \
        share/bash-completion/completions/asyncmod share/zsh/site-functions/_asyncmod 2>/dev/null)
    if [ -n "$left" ]; then
        fail "$1: pip uninstall removes every file" "left: $left"
    else
        pass "$1: pip uninstall removes every file"
    fi
}

# pip_install LABEL ENV PIP-ARGS...: a fresh virtual environment ENV and
# `pip install PIP-ARGS` in it.
pip_install() {
    label=$1 env=$2 log="$TMPROOT/pip-${2##*/}.log"
    shift 2
    if ! "$PY" -m venv "$env" >"$TMPROOT/venv.log" 2>&1; then
        fail "$label: python3 -m venv" "$(tail -n 5 "$TMPROOT/venv.log")"
        return 1
    fi
    if ! (cd "$src" && "$env/bin/pip" install "$@") >"$log" 2>&1; then
        fail "$label" "$(tail -n 15 "$log")"
        return 1
    fi
    pass "$label"
}

# 1. pip install . (build isolation), then --no-build-isolation.
if pip_install "pip install ." "$TMPROOT/venv1" .; then
    runs "pip install ." "$TMPROOT/venv1/bin/asyncmod"
    data_installed "pip install ." "$TMPROOT/venv1"
    uninstalls "pip install ." "$TMPROOT/venv1"
fi
if pip_install "pip install --no-build-isolation ." "$TMPROOT/venv2" --no-build-isolation .; then
    runs "pip install --no-build-isolation ." "$TMPROOT/venv2/bin/asyncmod"
fi

# 2. python3 -m build: an sdist, then a wheel from it.
dist="$TMPROOT/dist"
if (cd "$src" && env -u ASYNCMOD_TREE_SITTER_PYTHON "$PY" -m build --outdir "$dist" .) \
        >"$TMPROOT/build.log" 2>&1; then
    pass "python3 -m build"
else
    fail "python3 -m build" "$(tail -n 15 "$TMPROOT/build.log")"
fi
sdist="$dist/asyncmod-$version.tar.gz"
wheel=$(ls "$dist"/asyncmod-"$version"-py3-none-*.whl 2>/dev/null)
if [ -f "$sdist" ] && [ -n "$wheel" ]; then
    # RECORD names every file of the wheel once, with its sha256 (urlsafe
    # base64, unpadded) and size; RECORD itself has neither. The tag is one
    # this Python installs; the binary is a script, the rest data.
    if "$PY" - "$wheel" "$version" >"$TMPROOT/record.log" 2>&1 <<'EOF'
import base64, csv, hashlib, io, sys, zipfile
from packaging.tags import sys_tags
wheel, version = sys.argv[1], sys.argv[2]
di = f"asyncmod-{version}.dist-info"
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    assert len(names) == len(set(names)), "duplicate entries"
    rows = list(csv.reader(io.StringIO(z.read(f"{di}/RECORD").decode())))
    listed = {}
    for row in rows:
        assert len(row) == 3, f"RECORD row {row}"
        assert row[0] not in listed, f"{row[0]} listed twice"
        listed[row[0]] = row
    assert set(listed) == set(names), f"RECORD {sorted(listed)} != files {sorted(names)}"
    for name, (_, h, size) in listed.items():
        if name == f"{di}/RECORD":
            assert h == "" and size == "", "RECORD's own row"
            continue
        data = z.read(name)
        want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert h == want, f"{name}: hash {h}, file {want}"
        assert int(size) == len(data), f"{name}: size {size}, file {len(data)}"
    wheel_meta = z.read(f"{di}/WHEEL").decode()
    tag = [l.split(": ", 1)[1] for l in wheel_meta.splitlines() if l.startswith("Tag: ")]
    assert len(tag) == 1 and tag[0] in {str(t) for t in sys_tags()}, f"tag {tag}"
    assert wheel.endswith(f"-{tag[0]}.whl"), "file name and tag differ"
    assert "Root-Is-Purelib: false" in wheel_meta
    meta = z.read(f"{di}/METADATA").decode()
    assert f"\nName: asyncmod\n" in meta and f"\nVersion: {version}\n" in meta, "METADATA"
    mode = z.getinfo(f"asyncmod-{version}.data/scripts/asyncmod").external_attr >> 16
    assert mode & 0o111, "the script is not executable"
    for want in ("data/share/man/man1/asyncmod.1", "data/share/bash-completion/completions/asyncmod"):
        assert f"asyncmod-{version}.data/{want}" in names, f"no {want}"
print(len(names), "files")
EOF
    then
        pass "wheel: RECORD, WHEEL and METADATA ($(cat "$TMPROOT/record.log"))"
    else
        fail "wheel: RECORD, WHEEL and METADATA" "$(tail -n 3 "$TMPROOT/record.log")"
    fi
    # The sdist: the sources git lists, PKG-INFO and SOURCES.txt (which
    # lists the rest), nothing built, no grammar.
    tar -tzf "$sdist" | sed "s,^asyncmod-$version/,," | LC_ALL=C sort >"$TMPROOT/sdist-members"
    tar -xzOf "$sdist" "asyncmod-$version/SOURCES.txt" | LC_ALL=C sort >"$TMPROOT/sdist-list"
    printf 'PKG-INFO\nSOURCES.txt\n' | LC_ALL=C sort -m - "$TMPROOT/sdist-list" >"$TMPROOT/sdist-want"
    problems=""
    cmp -s "$TMPROOT/sdist-members" "$TMPROOT/sdist-want" || problems="members differ from SOURCES.txt"
    for f in pyproject.toml packaging/asyncmod_build.py configure.ac bootstrap Makefile.am src/main.c; do
        grep -qx "$f" "$TMPROOT/sdist-members" || problems="$problems; no $f"
    done
    bad=$(grep -E '^(deps/|configure$|config\.status$|Makefile$|asyncmod$)|\.o$' "$TMPROOT/sdist-members" | head -n 3)
    [ -z "$bad" ] || problems="$problems; holds $(echo $bad)"
    if [ -z "$problems" ]; then
        pass "sdist: the sources, PKG-INFO and SOURCES.txt ($(wc -l <"$TMPROOT/sdist-members") files)"
    else
        fail "sdist: the sources, PKG-INFO and SOURCES.txt" "$problems"
    fi
    if pip_install "pip install WHEEL (from python3 -m build)" "$TMPROOT/venv3" "$wheel"; then
        runs "wheel from the sdist" "$TMPROOT/venv3/bin/asyncmod"
        data_installed "wheel from the sdist" "$TMPROOT/venv3"
        uninstalls "wheel from the sdist" "$TMPROOT/venv3"
    fi
else
    fail "python3 -m build made asyncmod-$version.tar.gz and a py3-none wheel" "$(ls "$dist" 2>&1)"
fi

# 3. pipx install .
PIPX_HOME="$TMPROOT/pipx" PIPX_BIN_DIR="$TMPROOT/pipx-bin"
export PIPX_HOME PIPX_BIN_DIR
if (cd "$src" && pipx install .) >"$TMPROOT/pipx.log" 2>&1; then
    pass "pipx install ."
    runs "pipx install ." "$PIPX_BIN_DIR/asyncmod"
else
    fail "pipx install ." "$(tail -n 15 "$TMPROOT/pipx.log")"
fi

# 4. pre-commit: the hooks repository is a clone of this one at HEAD; a
# project with a configuration that excludes vendored/. The `names` hook
# shows that pre-commit passes vendored/lib.py too.
hookrepo="$TMPROOT/hookrepo" proj="$TMPROOT/proj"
git clone -q --no-local "$src" "$hookrepo" 2>"$TMPROOT/clone.log" || fail "git clone" "$(cat "$TMPROOT/clone.log")"
rev=$(git -C "$hookrepo" rev-parse HEAD)
mkdir -p "$proj/vendored" "$proj/pkg"
printf '[tool.asyncmod]\nexclude = ["vendored"]\n' >"$proj/pyproject.toml"
printf 'import asyncio\n\n\nasync def f():\n    return asyncio.get_event_loop()\n' >"$proj/app.py"
# pre-commit splits more than 4 files into one run per processor unless the
# hook is serial: 9 files make 2 or more summaries then, on 2 processors
pyfiles="app.py pkg/m1.py pkg/m2.py pkg/m3.py pkg/m4.py pkg/m5.py pkg/m6.py pkg/m7.py pkg/m8.py"
for f in ${pyfiles#app.py } vendored/lib.py; do cp "$proj/app.py" "$proj/$f"; done
cp "$proj/app.py" "$TMPROOT/bad.py"
cat >"$proj/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $hookrepo
    rev: $rev
    hooks:
      - id: asyncmod
      - id: asyncmod-fix
        stages: [manual]
  - repo: local
    hooks:
      - id: names
        name: names
        entry: sh -c 'printf "named %s\\n" "\$@"' --
        language: system
        types_or: [python, pyi]
        require_serial: true
        verbose: true
EOF
(cd "$proj" && git init -q && git add -A)
# pre-commit runs with no asyncmod on PATH: the hook must bring its own
precommit() {
    (cd "$proj" && env PATH=/usr/bin:/bin PRE_COMMIT_HOME="$TMPROOT/pre-commit" \
        ${grammar:+ASYNCMOD_TREE_SITTER_PYTHON="$grammar"} pre-commit "$@")
}
status=0
precommit run --all-files >"$TMPROOT/pc.log" 2>&1 || status=$?
if env PATH=/usr/bin:/bin sh -c 'command -v asyncmod' >/dev/null; then
    fail "pre-commit: no asyncmod on PATH for the test" "$(env PATH=/usr/bin:/bin sh -c 'command -v asyncmod')"
fi
hookbin=$(ls -d "$TMPROOT"/pre-commit/repo*/py_env-*/bin/asyncmod 2>/dev/null | head -n 1)
if [ -n "$hookbin" ] && [ -x "$hookbin" ]; then
    pass "pre-commit: the hook installed asyncmod in its environment"
    runs "pre-commit's environment" "$hookbin"
else
    fail "pre-commit: the hook installed asyncmod in its environment" "$(tail -n 20 "$TMPROOT/pc.log")"
fi
if [ "$status" = 1 ] && grep -q '^asyncmod\.\.*Failed$' "$TMPROOT/pc.log" &&
        grep -q '^- exit code: 1$' "$TMPROOT/pc.log"; then
    pass "pre-commit: the asyncmod hook fails on findings"
else
    fail "pre-commit: the asyncmod hook fails on findings" "exit $status" "$(tail -n 20 "$TMPROOT/pc.log")"
fi
missing=""
for f in $pyfiles; do
    grep -q "^$f:5:12: AM105 " "$TMPROOT/pc.log" || missing="$missing $f"
done
if [ -z "$missing" ]; then pass "pre-commit: findings reported"; else fail "pre-commit: findings reported" "none for:$missing"; fi
if grep -q '^named vendored/lib.py$' "$TMPROOT/pc.log" && ! grep -q '^vendored/lib.py:' "$TMPROOT/pc.log"; then
    pass "pre-commit: vendored/lib.py, passed by pre-commit, is excluded by the configuration"
else
    fail "pre-commit: vendored/lib.py, passed by pre-commit, is excluded by the configuration" \
        "$(grep vendored "$TMPROOT/pc.log")"
fi
summaries=$(grep -cE '^(Found [0-9]+ findings? |All checks passed!)' "$TMPROOT/pc.log")
if [ "$summaries" = 1 ]; then
    pass "pre-commit: one summary line"
else
    fail "pre-commit: one summary line" "$summaries summary lines"
fi
# the fix hook: fixes the files named, leaves the excluded one alone
status=0
precommit run --hook-stage manual asyncmod-fix --all-files >"$TMPROOT/pcfix.log" 2>&1 || status=$?
fixed=0
for f in $pyfiles; do
    grep -q 'get_running_loop()' "$proj/$f" && fixed=$((fixed + 1))
done
if [ "$status" = 1 ] && [ "$fixed" = 9 ] && cmp -s "$proj/vendored/lib.py" "$TMPROOT/bad.py" &&
        grep -q '^- files were modified by this hook$' "$TMPROOT/pcfix.log"; then
    pass "pre-commit: asyncmod-fix fixes the files, not the excluded one"
else
    fail "pre-commit: asyncmod-fix fixes the files, not the excluded one" "exit $status, $fixed fixed" \
        "$(tail -n 10 "$TMPROOT/pcfix.log")"
fi

# A tree that is neither a checkout nor an sdist is refused with a reason.
mkdir -p "$TMPROOT/loose"
cp "$src/configure.ac" "$src/README.md" "$TMPROOT/loose/"
status=0
(cd "$TMPROOT/loose" && "$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import asyncmod_build as b; b.build_sdist(".")' \
    "$src/packaging") >"$TMPROOT/loose.log" 2>&1 || status=$?
if [ "$status" != 0 ] && grep -q 'neither a git checkout of asyncmod nor its unpacked sdist' "$TMPROOT/loose.log" &&
        [ -z "$(ls "$TMPROOT/loose" | grep -v -e configure.ac -e README.md)" ]; then
    pass "backend: a tree with no list of its sources is refused"
else
    fail "backend: a tree with no list of its sources is refused" "exit $status" "$(tail -n 3 "$TMPROOT/loose.log")"
fi

# Nothing was written into the source tree (the test logs of make check aside).
# (files only: a folder's time changes with the logs other drivers write)
touched=$(find "$src" -newer "$stamp" ! -type d ! -path "$src/tests/*" ! -path "$src/.git/*" \
    ! -name test-suite.log -print | head -n 10)
if [ -z "$touched" ]; then
    pass "the source tree is left as it was"
else
    fail "the source tree is left as it was" $touched
fi
finish
