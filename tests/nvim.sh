#!/bin/sh
# End to end with Neovim's built-in LSP client, headless: open a file,
# see the diagnostics, apply a quick fix and the fixAll action, write the
# buffer; the file must hold the fixed text. tests/nvim_lsp.lua drives
# Neovim; every wait in it is bounded, and Neovim itself is stopped after
# 60 seconds.
. "$SRCDIR/tests/lib.sh"

if ! command -v nvim >/dev/null 2>&1; then
    fail "nvim not found (./bootstrap installs Debian's neovim)"
    finish
    exit 1
fi

W="$TMPROOT/w"
mkdir -p "$W/pkg" "$TMPROOT/xdg"
cat >"$W/pkg/app.py" <<'EOF2'
import asyncio
import subprocess
import time


async def main():
    s = "😀"; loop = asyncio.get_event_loop()
    subprocess.run(["ls", s])
    time.sleep(1)
    return loop
EOF2
cat >"$W/expected.py" <<'EOF2'
import asyncio
import subprocess
import time


async def main():
    s = "😀"; loop = asyncio.get_running_loop()
    await asyncio.to_thread(subprocess.run, ["ls", s])
    time.sleep(1)
    return loop
EOF2
# the server reads the configuration: ASYNC251 (time.sleep) is not reported
printf '[tool.asyncmod]\nignore = ["ASYNC251"]\n' >"$W/pyproject.toml"

status=0
(cd "$W" && XDG_CONFIG_HOME="$TMPROOT/xdg" XDG_DATA_HOME="$TMPROOT/xdg" \
    XDG_STATE_HOME="$TMPROOT/xdg" XDG_CACHE_HOME="$TMPROOT/xdg" \
    ASYNCMOD="$ASYNCMOD" NVIM_LSP_FILE="$W/pkg/app.py" NVIM_LSP_OUT="$TMPROOT/steps" \
    timeout -k 5 60 nvim --headless --clean -n -i NONE \
        -c "luafile $SRCDIR/tests/nvim_lsp.lua" </dev/null >"$TMPROOT/nvim.log" 2>&1) || status=$?
steps=$(cat "$TMPROOT/steps" 2>/dev/null)

if [ "$status" -eq 0 ] && grep -qx 'end ok' "$TMPROOT/steps"; then
    pass "nvim: the session ran to its end"
else
    fail "nvim: status $status" "$steps" "$(tail -n 5 "$TMPROOT/nvim.log")"
fi
# columns are bytes in Neovim: the emoji before the call is 4 bytes, 2 UTF-16 units
if grep -qx 'diagnostics AM105@6:23 ASYNC221@7:4' "$TMPROOT/steps"; then
    pass "nvim: the diagnostics, placed after a non-BMP character"
else
    fail "nvim: diagnostics" "$steps"
fi
if grep -q '^action Fix AM105: ' "$TMPROOT/steps" && grep -qx 'after quickfix ASYNC221@7:4' "$TMPROOT/steps"; then
    pass "nvim: the quick fix applied, its diagnostic gone"
else
    fail "nvim: quick fix" "$steps"
fi
if grep -qx 'after fixAll ' "$TMPROOT/steps" && grep -qx 'written' "$TMPROOT/steps"; then
    pass "nvim: fixAll applied, no diagnostics left"
else
    fail "nvim: fixAll" "$steps"
fi
if cmp -s "$W/pkg/app.py" "$W/expected.py"; then
    pass "nvim: the written file holds the fixed text"
else
    fail "nvim: the written file" "$(show_diff "$W/expected.py" "$W/pkg/app.py")"
fi
finish
