#!/usr/bin/env bash
# Installs what provenant needs, from Debian's packages (idempotent: installs only what is
# missing). Package lists live in scripts/packages/<area>.txt, one name per line.
#   scripts/setup.sh                 the build (build.txt) and every list except clients
#   scripts/setup.sh --clients       also clients.txt (Neovim, Emacs, Chromium, Node), and the
#                                    newer Neovims the client is tested on, unpacked into .cache
#                                    (scripts/neovim-versions.sh; the system is not changed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

lists=()
for f in "$here"/packages/*.txt; do
  [[ "$(basename "$f")" == clients.txt ]] && continue
  lists+=("$f")
done
if [[ "${1:-}" == "--clients" && -f "$here/packages/clients.txt" ]]; then
  lists+=("$here/packages/clients.txt")
fi

mapfile -t packages < <(cat "${lists[@]}" | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [[ "${1:-}" == "--clients" ]]; then
  # The suites scripts/test-neovim.sh will ask for (PROVENANT_NEOVIM_VERSIONS, "system" aside).
  suites=()
  for v in ${PROVENANT_NEOVIM_VERSIONS:-trixie forky}; do
    [[ "$v" == system ]] || suites+=("$v")
  done
  if ((${#suites[@]})) && ! "$here/neovim-versions.sh" "${suites[@]}" >/dev/null; then
    echo "setup: the newer Neovims could not be provisioned (above): scripts/test-neovim.sh will fail" >&2
  fi
fi
echo "setup: dependencies present"
