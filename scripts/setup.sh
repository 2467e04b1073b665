#!/usr/bin/env bash
# Installs what provenant needs to build and test, from Debian's packages (idempotent).
#   scripts/setup.sh            build dependencies
#   scripts/setup.sh --clients  also what the editor-client tests need (Neovim, Emacs, Chromium, Node)
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config ccache git
          libasio-dev nlohmann-json3-dev libgit2-dev libspdlog-dev doctest-dev
          libcli11-dev libtomlplusplus-dev libdtl-dev libbenchmark-dev)
if [[ "${1:-}" == "--clients" ]]; then
  packages+=(neovim emacs-nox elpa-eglot chromium nodejs npm xz-utils)
fi

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
echo "setup: dependencies present"
