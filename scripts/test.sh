#!/usr/bin/env bash
# Sets everything up and runs every test: clang-format and clang-tidy on the changed files,
# the build with its unit and end-to-end tests, the same under AddressSanitizer +
# UndefinedBehaviorSanitizer, a short run of each fuzzer (clang), the multi-threaded suites
# under ThreadSanitizer, and the editor-client tests (Neovim, Emacs, VS Code). Exits non-zero
# if anything fails.
#   scripts/test.sh                 everything
#   scripts/test.sh --fast          the fast set while developing: build, then the unit tests
#                                   not labelled slow (ctest -L unit -LE slow); no setup, lint
#                                   or sanitizers
#   PROVENANT_SKIP_CLIENTS=1 ...    skip the editor-client tests
#   PROVENANT_SKIP_SANITIZE=1 ...   skip the sanitizer builds (ASan + UBSan, TSan)
#   PROVENANT_SKIP_TSAN=1 ...       skip only the ThreadSanitizer build of the multi-threaded
#                                   suites
#   PROVENANT_SKIP_LINT=1 ...       skip clang-format and clang-tidy
#   PROVENANT_SKIP_FUZZ=1 ...       skip the short libFuzzer runs (scripts/fuzz.sh)
# Benchmarks are not built here: scripts/bench.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
# Each step prints the seconds since the start; "done" also prints every step's own duration,
# so the tail of a CI log says where the time went.
steps=()
step() {
  local now=$(( $(date +%s) - start ))
  printf '\n=== %s (%ss)\n' "$*" "$now"
  steps+=("$now $*")
  if [[ "$*" == "done" ]]; then
    local i
    for ((i = 0; i + 1 < ${#steps[@]}; i++)); do
      printf '  %5ss  %s\n' "$(( ${steps[i + 1]%% *} - ${steps[i]%% *} ))" "${steps[i]#* }"
    done
  fi
}

failed=()
run_ctest() { # build-dir label [ctest args...]
  local dir=$1 label=$2
  shift 2
  if ! (cd "$dir" && ctest --output-on-failure --timeout 1200 -j 2 "$@"); then failed+=("$label"); fi
}
release=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROVENANT_BENCH=OFF)

if [[ "${1:-}" == "--fast" ]]; then
  step "build (RelWithDebInfo)"
  scripts/build.sh "$root/build" "${release[@]}"
  step "fast tests (unit, not slow)"
  run_ctest "$root/build" "fast tests" -L unit -LE slow
  step "done"
  if ((${#failed[@]})); then echo "FAILED: ${failed[*]}"; exit 1; fi
  echo "fast tests passed"
  exit 0
fi

step "setup"
if [[ -n "${PROVENANT_SKIP_CLIENTS:-}" ]]; then scripts/setup.sh; else scripts/setup.sh --clients; fi

if [[ -z "${PROVENANT_SKIP_LINT:-}" ]]; then
  step "lint (clang-format, clang-tidy on changed files)"
  cmake -S "$root" -B "$root/build" -G Ninja "${release[@]}" >/dev/null # compile_commands.json
  scripts/lint.sh "$root/build" || failed+=("lint")
fi

step "build (RelWithDebInfo)"
scripts/build.sh "$root/build" "${release[@]}"
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
if [[ -z "${PROVENANT_SKIP_FUZZ:-}" ]]; then
  step "fuzzers (a short run of each: scripts/fuzz.sh)"
  scripts/fuzz.sh 15 || failed+=("fuzzers")
fi
if [[ -z "${PROVENANT_SKIP_SANITIZE:-}" && -z "${PROVENANT_SKIP_TSAN:-}" ]]; then
  # The suites whose code runs on several threads: the LSP server (I/O, document and journal
  # threads), the journal, the analysis (the report's walk diffs on a second thread:
  # analysis/diff_pipeline.cpp) and git (blame reads the owners' notes on a second thread:
  # git/blame_notes.cpp). Only their targets are built. The slow cases are left out: the
  # crash test's timing bounds are not ThreadSanitizer's concern and run above twice.
  step "build (TSan: unit_lsp, e2e_lsp, unit_journal, unit_analysis, unit_git)"
  tsan_targets=(unit_lsp e2e_lsp unit_journal unit_analysis unit_git)
  scripts/build.sh "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROVENANT_SANITIZE=thread \
    -DPROVENANT_BENCH=OFF -- "${tsan_targets[@]}"
  step "tests under TSan"
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp" \
    run_ctest "$root/build-tsan" "TSan tests" -R "^($(IFS='|'; echo "${tsan_targets[*]}")): " -LE slow
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
