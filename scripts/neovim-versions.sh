#!/usr/bin/env bash
# Provisions Debian's Neovim of newer suites (trixie: 0.10, forky: 0.12 here) next to the system's
# Neovim, without touching the system: a private apt configuration per suite (its own sources
# list, state and cache under .cache/neovim/<suite>/), the packages and the libraries they
# depend on unpacked with `dpkg -x` into .cache/neovim/<suite>/root, and a wrapper
# .cache/neovim/<suite>/bin/nvim that runs that Neovim with the suite's own dynamic loader and
# libraries, written into the unpacked executable with patchelf (not $LD_LIBRARY_PATH: the
# programs Neovim starts, `provenant lsp` and git, keep the system's loader and libraries).
#
# apt checks everything as usual: the suite's InRelease against debian-archive-keyring, the
# package indexes and every .deb against the hashes it signs; each unpacked .deb is checked
# once more against the SHA256 of that signed index. A suite provisioned once is cached: a
# second run downloads nothing.
#
# A Release file past its Valid-Until (a mirror that stopped refreshing testing) does not stop
# the provisioning: that is a date, not a broken signature or hash, and a CI must not fail on a
# date. Its signature and every hash are still checked; only its freshness is not, and every
# run that uses such a suite says so on stderr, in a line starting "neovim-versions: WARNING".
# PROVENANT_NEOVIM_ALLOW_EXPIRED=0 makes an expired Release an error instead.
#
#   scripts/neovim-versions.sh [--refresh] [suite...]   (default suites: trixie forky)
# Prints one line per suite: "<suite> <version> <path of the nvim wrapper>". Exits non-zero,
# saying why, when a suite cannot be provisioned (no network, a bad signature or hash, a suite
# without neovim).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="${PROVENANT_NEOVIM_CACHE:-$root/.cache/neovim}"
mirror="${PROVENANT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
# Testing's Release file says it is valid for a week after its date, and mirrors lag behind
# testing (this one by weeks): apt's Min-ValidTime (apt.conf(5): "instead of completely
# disabling the expiration date checking") accepts a Release up to this many days old. The
# signature and every hash are checked as always; 0 restores the archive's own window. Past
# that age the Release is expired: see PROVENANT_NEOVIM_ALLOW_EXPIRED above.
min_valid_days="${PROVENANT_NEOVIM_RELEASE_MAX_AGE_DAYS:-60}"
allow_expired="${PROVENANT_NEOVIM_ALLOW_EXPIRED:-1}"
[[ "$min_valid_days" =~ ^[0-9]+$ ]] || {
  echo "neovim-versions: PROVENANT_NEOVIM_RELEASE_MAX_AGE_DAYS must be a number of days, not '$min_valid_days'" >&2
  exit 2
}

refresh=0
suites=()
for a in "$@"; do
  case "$a" in
    --refresh) refresh=1 ;;
    -h | --help)
      sed -n '2,24p' "$0"
      exit 0
      ;;
    -*)
      echo "neovim-versions: unknown option $a" >&2
      exit 2
      ;;
    *) suites+=("$a") ;;
  esac
done
((${#suites[@]})) || suites=(trixie forky)

arch=$(dpkg --print-architecture)
case "$arch" in
  amd64) loader=ld-linux-x86-64.so.2 triplet=x86_64-linux-gnu ;;
  arm64) loader=ld-linux-aarch64.so.1 triplet=aarch64-linux-gnu ;;
  *)
    echo "neovim-versions: architecture $arch is not supported" >&2
    exit 1
    ;;
esac
for tool in apt-get apt-cache dpkg-deb patchelf; do
  command -v "$tool" >/dev/null || {
    echo "neovim-versions: $tool not found (Debian's apt, dpkg and patchelf: scripts/setup.sh --clients)" >&2
    exit 1
  }
done
[[ -r "$keyring" ]] || {
  echo "neovim-versions: $keyring not found (package debian-archive-keyring)" >&2
  exit 1
}

# The suite's private apt: nothing of /etc/apt (sources, preferences, apt.conf.d) applies.
apt_setup() { # dir suite
  local d=$1 suite=$2
  mkdir -p "$d/etc/apt.conf.d" "$d/etc/preferences.d" "$d/etc/sources.list.d" "$d/etc/trusted.gpg.d" \
    "$d/state/lists/partial" "$d/cache/archives/partial" "$d/log"
  : >"$d/state/status" # no package is installed: apt resolves the whole dependency closure
  echo "deb [signed-by=$keyring] $mirror $suite main" >"$d/etc/sources.list"
  cat >"$d/apt.conf" <<EOF
Dir::Etc "$d/etc";
Dir::State "$d/state";
Dir::State::status "$d/state/status";
Dir::Cache "$d/cache";
Dir::Log "$d/log";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Acquire::PDiffs "false";
Acquire::Retries "2";
Acquire::Min-ValidTime "$((min_valid_days * 86400))";
EOF
}

provision() { # suite: prints "<suite> <version> <wrapper>"
  local suite=$1 d="$cache/$1"
  local prefix="$d/root" wrapper="$d/bin/nvim" stamp="$d/provisioned.2" # .2: the patched executable
  local expired_note="$d/expired-release"
  if ((refresh == 0)) && [[ -f "$stamp" && -x "$wrapper" ]]; then
    [[ -f "$expired_note" ]] && echo "neovim-versions: WARNING: $suite (cached): $(cat "$expired_note")" >&2
    echo "$suite $(cat "$stamp") $wrapper"
    return 0
  fi
  rm -rf "$d"
  apt_setup "$d" "$suite" || return 1
  export APT_CONFIG="$d/apt.conf"
  echo "neovim-versions: $suite: fetching the package index from $mirror" >&2
  local update_failed=0
  apt-get -q update >"$d/log/update.log" 2>&1 || update_failed=1
  if ((update_failed == 0)) && grep -qE '^(E:|W: (Failed to fetch|GPG error|Some index files))' "$d/log/update.log"; then
    update_failed=1
  fi
  # Expired and nothing else wrong: the same update again without the date check (the signature
  # and the hashes are checked as before), and a warning on every run that uses the suite.
  if ((update_failed)) && grep -q '^E: Release file for .* is expired' "$d/log/update.log" &&
    ! grep -E '^(E|W):' "$d/log/update.log" | grep -qv -e 'is expired' -e 'Some index files failed' \
      -e 'index files failed to download' -e 'Updates for this repository will not be applied'; then
    if [[ "$allow_expired" == 0 ]]; then
      echo "neovim-versions: $suite: the mirror's Release file is expired and PROVENANT_NEOVIM_ALLOW_EXPIRED=0:" >&2
      sed 's/^/  /' "$d/log/update.log" >&2
      return 1
    fi
    cp "$d/log/update.log" "$d/log/update-expired.log"
    update_failed=0
    echo "Acquire::Check-Valid-Until \"false\";" >>"$d/apt.conf"
    apt-get -q update >"$d/log/update.log" 2>&1 || update_failed=1
    if ((update_failed == 0)) && grep -qE '^(E:|W: (Failed to fetch|GPG error|Some index files))' "$d/log/update.log"; then
      update_failed=1
    fi
    if ((update_failed == 0)); then
      local valid_until
      valid_until=$(sed -n 's/^Valid-Until: //p' "$d/state/lists/"*_InRelease 2>/dev/null | head -1)
      printf '%s\n' "the mirror's $suite Release file expired on ${valid_until:-?} (accepted up to $min_valid_days days past its date: PROVENANT_NEOVIM_RELEASE_MAX_AGE_DAYS): provisioned from it anyway, its signature and every SHA256 checked, its freshness not (PROVENANT_NEOVIM_ALLOW_EXPIRED=0 makes this an error)" >"$expired_note.tmp"
      echo "neovim-versions: WARNING: $suite: $(cat "$expired_note.tmp")" >&2
    fi
  fi
  if ((update_failed)); then
    echo "neovim-versions: $suite: apt-get update failed (no network, or the suite is not signed by a key in $keyring):" >&2
    sed 's/^/  /' "$d/log/update.log" >&2
    return 1
  fi
  local version
  version=$(apt-cache show --no-all-versions neovim 2>/dev/null | sed -n 's/^Version: //p' | head -1)
  if [[ -z "$version" ]]; then
    echo "neovim-versions: $suite has no neovim package" >&2
    return 1
  fi
  echo "neovim-versions: $suite: downloading neovim $version and its dependencies" >&2
  # With an empty dpkg status, --download-only fetches neovim, neovim-runtime and every
  # library they need down to libc6, each checked against the signed index.
  if ! apt-get -q -y --download-only install neovim neovim-runtime >"$d/log/download.log" 2>&1; then
    echo "neovim-versions: $suite: downloading the packages failed:" >&2
    sed 's/^/  /' "$d/log/download.log" >&2
    return 1
  fi
  mkdir -p "$prefix"
  local deb n=0 pkg ver want got_sum
  # (Called as `provision || status=1`, so errexit is off in here: every step says how it failed.)
  for deb in "$d/cache/archives/"*.deb; do
    # apt checked the download; this checks that what is unpacked is what the signed index
    # names, whatever apt's cache held.
    pkg=$(dpkg-deb -f "$deb" Package 2>/dev/null) ver=$(dpkg-deb -f "$deb" Version 2>/dev/null)
    want=$(apt-cache show "$pkg=$ver" 2>/dev/null | sed -n 's/^SHA256: //p')
    got_sum=$(sha256sum "$deb" | cut -d' ' -f1)
    if [[ -z "$pkg" || -z "$want" ]] || ! grep -qx "$got_sum" <<<"$want"; then
      echo "neovim-versions: $suite: $(basename "$deb") is not the package the signed index names (${pkg:-?} ${ver:-?}: index SHA256 ${want:-none}, file $got_sum)" >&2
      return 1
    fi
    dpkg-deb -x "$deb" "$prefix" || {
      echo "neovim-versions: $suite: dpkg-deb -x $deb failed" >&2
      return 1
    }
    n=$((n + 1))
  done
  local ld
  ld=$(find "$prefix" -name "$loader" -type f | head -1) # the file: a symlink may point outside
  local runtime="$prefix/usr/share/nvim/runtime"
  if [[ -z "$ld" || ! -x "$prefix/usr/bin/nvim" || ! -f "$runtime/filetype.lua" ]]; then
    echo "neovim-versions: $suite: the unpacked packages lack the loader, nvim or its runtime" >&2
    return 1
  fi
  # Debian moved the libraries to /usr/lib (merged /usr); the old paths are kept for older suites.
  local libs="$prefix/usr/lib/$triplet:$prefix/lib/$triplet:$prefix/usr/lib:$prefix/lib"
  # The unpacked nvim itself points at the suite's loader and libraries (DT_RPATH, which also
  # serves the libraries' own dependencies): Neovim's TUI starts its server by re-running its
  # own executable (/proc/self/exe), so running it as `ld.so nvim` would not do. Nothing is
  # inherited: `provenant lsp` and git, which Neovim starts, keep the system's loader and
  # libraries.
  if ! patchelf --set-interpreter "$ld" --force-rpath --set-rpath "$libs" "$prefix/usr/bin/nvim"; then
    echo "neovim-versions: $suite: patchelf failed on $prefix/usr/bin/nvim" >&2
    return 1
  fi
  mkdir -p "$d/bin"
  cat >"$wrapper.tmp" <<EOF
#!/bin/sh
# Debian $suite's Neovim $version, unpacked by scripts/neovim-versions.sh, with its own loader
# and libraries; \$VIMRUNTIME names its own runtime.
VIMRUNTIME="$runtime"
export VIMRUNTIME
exec "$prefix/usr/bin/nvim" "\$@"
EOF
  chmod +x "$wrapper.tmp"
  mv "$wrapper.tmp" "$wrapper"
  # It must run, and find the unpacked runtime, before it counts as provisioned.
  local got
  if ! got=$("$wrapper" --headless --clean -c 'lua io.stdout:write(vim.env.VIMRUNTIME, "\n", tostring(vim.version()), "\n")' -c 'qa!' </dev/null 2>&1); then
    echo "neovim-versions: $suite: the unpacked nvim does not run:" >&2
    printf '  %s\n' "$got" >&2
    return 1
  fi
  if [[ "$(echo "$got" | sed -n 1p)" != "$runtime" ]]; then
    echo "neovim-versions: $suite: \$VIMRUNTIME is not the unpacked runtime: $got" >&2
    return 1
  fi
  local nv
  nv=$(echo "$got" | sed -n 2p)
  # Unpacked: the root is the cache; apt's indexes (about 100 MB) are not needed any more.
  rm -rf "$d/cache" "$d/state"
  [[ -f "$expired_note.tmp" ]] && mv "$expired_note.tmp" "$expired_note"
  echo "$nv" >"$stamp"
  echo "neovim-versions: $suite: Neovim $nv ($version, $n packages) in $prefix" >&2
  echo "$suite $nv $wrapper"
}

status=0
for s in "${suites[@]}"; do
  provision "$s" || status=1
done
exit $status
