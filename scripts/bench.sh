#!/usr/bin/env bash
# Builds the benchmarks (bench/*.cpp, programs that print figures; scripts/test.sh does not
# build them) in their own build directory and runs one, or lists them.
#   scripts/bench.sh                      build them all and list them
#   scripts/bench.sh lsp_edits [args...]  build and run build-bench/bench/bench_lsp_edits
# The figures and the arguments each takes: docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${PROVENANT_BENCH_DIR:-"$root/build-bench"}
name=${1:-}
if [[ -z "$name" ]]; then
  "$root/scripts/build.sh" "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROVENANT_BENCH=ON
  echo "benchmarks in $dir/bench:"
  find "$dir/bench" -maxdepth 1 -type f -name 'bench_*' -perm -u+x -printf '  %f\n' | sort
  exit 0
fi
shift
if [[ ! -f "$root/bench/$name.cpp" ]]; then
  echo "bench.sh: no benchmark bench/$name.cpp" >&2
  exit 2
fi
"$root/scripts/build.sh" "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROVENANT_BENCH=ON -- "bench_$name"
exec "$dir/bench/bench_$name" "$@"
