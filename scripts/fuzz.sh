#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan + UBSan) and runs each for a short
# time on a copy of its corpus in the repository (tests/fuzz/corpus/<target>), so the corpus
# is never changed by a run. Exits non-zero when a target finds a crash (its input is left in
# the run directory: add it to the corpus as a regression input once fixed).
#   scripts/fuzz.sh [seconds per target=15] [build-dir=build-fuzz]
# Skipped, with a message, when clang is not installed (scripts/packages/build.txt has it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-15}
dir=${2:-"$root/build-fuzz"}
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ not found (Debian package clang): fuzzers skipped"
  exit 0
fi
targets=(fuzz_note fuzz_journal_entry fuzz_agent_payload fuzz_lsp fuzz_origin_text fuzz_pack)
CC=clang CXX=clang++ "$root/scripts/build.sh" "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPROVENANT_FUZZ=ON -DPROVENANT_TESTS=OFF -DPROVENANT_BENCH=OFF -DPROVENANT_STATIC_DEPS=OFF \
  -- "${targets[@]}"
work=$(mktemp -d "${TMPDIR:-/tmp}/provenant-fuzz-XXXXXX")
status=0
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
  cp "$root/tests/fuzz/corpus/$name/"* "$work/$name/corpus/"
  echo "fuzz: $t for ${seconds}s"
  # -rss_limit_mb and -timeout: over-budget memory or a hang is a finding, like a crash.
  if ! (cd "$work/$name" &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$dir/tests/fuzz/$t" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
          -timeout=10 -print_final_stats=1 -artifact_prefix="$work/$name/artifacts/" \
          "$work/$name/corpus" > "$work/$name/log" 2>&1); then
    echo "fuzz: $t FAILED; its log and the input: $work/$name"
    tail -40 "$work/$name/log"
    status=1
    continue
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$name/log" | sed "s/^/fuzz: $t /"
done
if ((status == 0)); then rm -rf "$work"; fi
exit $status
