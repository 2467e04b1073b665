#!/usr/bin/env bash
# Tests the Neovim client in headless Neovim (Debian's package): the pure span tests, then the
# end-to-end test against the real `provenant` in a real git repository. Isolated from the
# machine: temp HOME and XDG directories, no global git config, a fixed git identity.
#   scripts/test-neovim.sh        (provenant on $PATH, or PROVENANT_BINARY=/path/to/provenant)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tests="$root/tests/clients/neovim"

if ! command -v nvim >/dev/null; then
  echo "test-neovim: nvim not found (scripts/setup.sh --clients installs it)" >&2
  exit 1
fi
if [[ -n "${PROVENANT_BINARY:-}" ]]; then
  export PATH="$(dirname "$PROVENANT_BINARY"):$PATH"
fi
if ! command -v provenant >/dev/null; then
  echo "test-neovim: provenant not found on PATH (build it, or set PROVENANT_BINARY)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"
export PROVENANT_NVIM_TESTS="$tests"

# nvim --clean: no user config or user plugins; our plugin and the test doubles come first on
# the runtimepath, so plugin/provenant.lua is sourced at startup like any installed plugin.
nvim_run() { # test-file
  timeout 120 nvim --headless --clean \
    --cmd "set rtp^=$root/clients/neovim,$tests/rtp" \
    -c "luafile $1" </dev/null
}

status=0
nvim_run "$tests/spans_test.lua" || status=1

# :helptags must accept the help file (no duplicate or malformed tags).
cp -r "$root/clients/neovim/doc" "$tmp/doc"
if nvim --headless --clean -c "try | helptags $tmp/doc | catch | cquit 1 | endtry | qa!" </dev/null \
    && grep -q "^:Provenant" "$tmp/doc/tags"; then
  echo "neovim-helptags: 1 passed, 0 failed"
else
  echo "neovim-helptags: 0 passed, 1 failed"
  status=1
fi

repo="$tmp/repo"
mkdir -p "$repo"
git -C "$repo" init -q -b main
printf 'import os\n' > "$repo/app.py"
git -C "$repo" add app.py
git -C "$repo" commit -q -m "initial"
(cd "$repo" && provenant install) >"$tmp/install.log" 2>&1 || {
  echo "test-neovim: provenant install failed:" >&2
  cat "$tmp/install.log" >&2
  status=1
}
PROVENANT_TEST_REPO="$repo" nvim_run "$tests/e2e_test.lua" || status=1
exit $status
