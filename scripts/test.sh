#!/usr/bin/env bash
# Sets everything up and runs every test: the build with its unit and end-to-end tests, the
# same under AddressSanitizer + UndefinedBehaviorSanitizer, and the editor-client tests
# (Neovim, Emacs, VS Code). Exits non-zero if anything fails.
#   scripts/test.sh                 everything
#   PROVENANT_SKIP_CLIENTS=1 ...    skip the editor-client tests
#   PROVENANT_SKIP_SANITIZE=1 ...   skip the sanitizer build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "setup"
if [[ -n "${PROVENANT_SKIP_CLIENTS:-}" ]]; then scripts/setup.sh; else scripts/setup.sh --clients; fi

failed=()
run_ctest() { # build-dir label
  if ! (cd "$1" && ctest --output-on-failure --timeout 1200 -j 2); then failed+=("$2"); fi
}

step "build (RelWithDebInfo)"
scripts/build.sh "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "tests"
run_ctest "$root/build" "tests"

if [[ -z "${PROVENANT_SKIP_SANITIZE:-}" ]]; then
  step "build (ASan + UBSan)"
  scripts/build.sh "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DPROVENANT_SANITIZE=ON -DPROVENANT_BENCH=OFF
  step "tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions="$root/tests/lsan.supp" \
    run_ctest "$root/build-asan" "sanitizer tests"
fi

if [[ -z "${PROVENANT_SKIP_CLIENTS:-}" ]]; then
  export PATH="$root/build:$PATH"
  for client in neovim emacs vscode; do
    if [[ -x scripts/test-$client.sh ]]; then
      step "client tests: $client"
      scripts/test-$client.sh || failed+=("client $client")
    fi
  done
fi

step "done"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test suites passed"
