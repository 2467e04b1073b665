#!/usr/bin/env bash
# clang-format and clang-tidy (the repository's .clang-format and .clang-tidy) on the C++ files
# changed relative to the merge base with main, working-tree changes included. scripts/test.sh
# runs it before the build. Usage: scripts/lint.sh [build-dir with compile_commands.json]
# With no main branch (a CI clone of main alone, or main itself), the last commit's changes are
# checked; with no parent commit either (a shallow clone), the check is skipped with a message.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-"$root/build"}

if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "lint: not a git checkout: skipped"
  exit 0
fi
head=$(git rev-parse HEAD)
base=""
for ref in origin/main main; do
  if git rev-parse -q --verify "$ref^{commit}" >/dev/null; then
    base=$(git merge-base HEAD "$ref" || true)
    break
  fi
done
if [[ -n "$base" && "$base" != "$head" ]]; then
  what="changed since the merge base with main (${base:0:10})"
elif git rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null; then
  base=$(git rev-parse HEAD~1)
  what="changed by the last commit"
else
  echo "lint: no main branch and no parent commit to compare with: skipped"
  exit 0
fi

mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$base" -- \
  '*.cpp' '*.cc' '*.h' '*.hpp' | grep -v '^tests/layering/' || true)
if ((${#files[@]} == 0)); then
  echo "lint: no C++ file $what"
  exit 0
fi
echo "lint: ${#files[@]} C++ files $what"
status=0

# Only the changed lines: several files predate .clang-format in places, and a one-line fix
# must not demand reformatting the rest of someone else's file. Same check as
# `clang-format --dry-run -Werror`, restricted to the lines of the diff.
# (git clang-format 14 exits 0 even when it prints a diff: the diff itself is the verdict.)
out=$(git clang-format --diff --extensions cpp,cc,h,hpp "$base" -- "${files[@]}" 2>&1) || true
if grep -q '^diff --git' <<<"$out" || ! grep -qE '^(no modified files|clang-format did not modify)' <<<"$out"; then
  echo "$out"
  echo "lint: clang-format: the lines above are not formatted (fix: git clang-format $base)"
  status=1
fi

# clang-tidy reads the compile commands, without the precompiled header: GCC's .gch is not
# clang's, and the PCH only adds system headers each file includes itself anyway.
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "lint: $build/compile_commands.json missing (configure first): clang-tidy skipped"
  exit $status
fi
tidy_db=$(mktemp -d)
trap 'rm -rf "$tidy_db"' EXIT
sed -E 's# -include [^ "]*cmake_pch\.hxx##g' "$build/compile_commands.json" >"$tidy_db/compile_commands.json"
# Headers are checked through the sources that include them (HeaderFilterRegex).
mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep -E '\.(cpp|cc)$' |
  while read -r f; do grep -q "\"file\": \"$root/$f\"" "$tidy_db/compile_commands.json" && echo "$f"; done || true)
if ((${#sources[@]})); then
  jobs=$(nproc)
  if ! printf '%s\n' "${sources[@]}" |
    xargs -P "$jobs" -n 4 clang-tidy -p "$tidy_db" --quiet 2>/dev/null >"$tidy_db/tidy.log"; then
    grep -E 'warning:|error:' -A3 "$tidy_db/tidy.log" || cat "$tidy_db/tidy.log"
    echo "lint: clang-tidy found problems"
    status=1
  fi
fi
((status == 0)) && echo "lint: clean"
exit $status
