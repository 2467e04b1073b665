#!/usr/bin/env bash
# Tests the plain-LSP path in a third real editor: batch Emacs (Debian's emacs-nox) with eglot
# (elpa-eglot) runs `provenant lsp` through clients/emacs/provenant.el in a real git repository.
# Isolated from the machine: temp HOME, no global git config, a fixed git identity.
#   scripts/test-emacs.sh        (provenant on $PATH, or PROVENANT_BINARY=/path/to/provenant)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v emacs >/dev/null; then
  echo "test-emacs: emacs not found (scripts/setup.sh --clients installs emacs-nox and elpa-eglot)" >&2
  exit 1
fi
if [[ -n "${PROVENANT_BINARY:-}" ]]; then
  export PATH="$(dirname "$PROVENANT_BINARY"):$PATH"
fi
if ! command -v provenant >/dev/null; then
  echo "test-emacs: provenant not found on PATH (build it, or set PROVENANT_BINARY)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"

repo="$tmp/repo"
mkdir -p "$repo"
git -C "$repo" init -q -b main
printf 'import os\n' > "$repo/main.py"
git -C "$repo" add main.py
git -C "$repo" commit -q -m "initial"
if ! (cd "$repo" && provenant install) >"$tmp/install.log" 2>&1; then
  echo "test-emacs: provenant install failed:" >&2
  cat "$tmp/install.log" >&2
  exit 1
fi

# -Q: no init file, no site-start; Debian's elpa-eglot is then made visible by
# package-initialize over the system package directory.
PROVENANT_TEST_REPO="$repo" timeout 120 emacs -Q --batch \
  --eval "(progn (setq package-directory-list '(\"/usr/share/emacs/site-lisp/elpa\")) (package-initialize))" \
  -L "$root/clients/emacs" \
  -l "$root/tests/clients/emacs/e2e-test.el" </dev/null
