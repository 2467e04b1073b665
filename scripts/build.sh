#!/usr/bin/env bash
# Configures and builds provenant.
# Usage: scripts/build.sh [build-dir] [extra cmake args...] [-- target...]
# With targets after `--`, only those are built (and what they need).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-"$root/build"}
shift || true
args=()
targets=()
while (($#)); do
  if [[ "$1" == "--" ]]; then
    shift
    targets=("$@")
    break
  fi
  args+=("$1")
  shift
done
cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" >/dev/null
if ((${#targets[@]})); then
  cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"
else
  cmake --build "$dir" -j "$(nproc)"
fi
