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
# g:loaded_python3_provider: Debian's python ftplugin otherwise probes the Python provider,
# which costs seconds per run and has nothing to do with provenant.
nvim_run() { # test-file
  timeout 120 nvim --headless --clean --cmd "let g:loaded_python3_provider = 0" \
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
# Filters and renames (issue 9 §5, §6), in a repository of their own.
edits="$tmp/edits-repo"
mkdir -p "$edits"
git -C "$edits" init -q -b main
printf 'first\n' > "$edits/README"
git -C "$edits" add README
git -C "$edits" commit -q -m "initial"
PROVENANT_TEST_REPO="$edits" nvim_run "$tests/edits_test.lua" || status=1

# A real terminal: Neovim's TUI inside tmux. Typing goes through send-keys and a bracketed
# paste through `tmux paste-buffer -p`, the path that ends in vim.paste.
wait_for() { # file: waits up to 15 s for it to appear
  local i
  for ((i = 0; i < 300; i++)); do
    [[ -e "$1" ]] && return 0
    sleep 0.05
  done
  return 1
}
tui_test() {
  local dir="$tmp/tui" sock="provenant-nvim-$$" ok=0 failed=0
  mkdir -p "$dir/repo"
  git -C "$dir/repo" init -q -b main
  printf 'import os\n' > "$dir/repo/tui.py"
  printf 'pasted_one = 1\npasted_two = 2\n' > "$dir/paste.txt"
  export PROVENANT_TUI_DIR="$dir"
  local tm=(tmux -L "$sock" -f /dev/null)
  # The trap runs after this function returns (tm is gone then): name the socket itself, and
  # keep the script's exit status.
  tui_socket=$sock
  trap 'rc=$?; tmux -L "$tui_socket" kill-server 2>/dev/null || true; rm -rf "$tmp"; exit $rc' EXIT
  "${tm[@]}" new-session -d -s t -x 100 -y 30 -c "$dir/repo" \
    "nvim --clean --cmd 'let g:loaded_python3_provider = 0' --cmd 'set rtp^=$root/clients/neovim' -c 'luafile $tests/tui_init.lua' tui.py"
  "${tm[@]}" set -s escape-time 0
  local pid
  pid=$("${tm[@]}" display-message -p -t t '#{pane_pid}')
  echo "== neovim-tui"
  if ! wait_for "$dir/ready"; then
    echo "  FAIL the sidecar did not start in the TUI"
    "${tm[@]}" capture-pane -p -t t || true
    echo "neovim-tui: 0 passed, 1 failed"
    kill "$pid" 2>/dev/null || true
    "${tm[@]}" kill-server 2>/dev/null || true
    return 1
  fi
  "${tm[@]}" send-keys -t t -l 'Gotyped_line = 1'
  "${tm[@]}" send-keys -t t Enter
  "${tm[@]}" load-buffer "$dir/paste.txt"
  "${tm[@]}" paste-buffer -p -t t
  "${tm[@]}" send-keys -t t Escape
  "${tm[@]}" send-keys -t t -l ':ProvenantTestDump'
  "${tm[@]}" send-keys -t t Enter
  if wait_for "$dir/dump"; then
    for want in "2 human" "3 paste" "4 paste"; do
      if grep -qx "$want" "$dir/dump"; then
        echo "  ok   line $want"; ok=$((ok + 1))
      else
        echo "  FAIL line $want: got $(tr '\n' ' ' < "$dir/dump")"; failed=$((failed + 1))
      fi
    done
  else
    echo "  FAIL no answer from :ProvenantTestDump"; failed=$((failed + 1))
    "${tm[@]}" capture-pane -p -t t || true
  fi
  # Quit Neovim itself (it would outlive the tmux server), then the server.
  "${tm[@]}" send-keys -t t Escape
  "${tm[@]}" send-keys -t t -l ':qa!'
  "${tm[@]}" send-keys -t t Enter
  local i
  for ((i = 0; i < 100 && pid > 0; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  "${tm[@]}" kill-server 2>/dev/null || true
  echo "neovim-tui: $ok passed, $failed failed"
  ((failed == 0))
}
if command -v tmux >/dev/null; then
  tui_test || status=1
else
  echo "test-neovim: tmux not found (scripts/setup.sh --clients installs it)" >&2
  status=1
fi
exit $status
