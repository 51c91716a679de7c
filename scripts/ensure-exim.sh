#!/usr/bin/env bash
# Unpacks Debian's Exim daemon (exim4-daemon-light: built with GnuTLS, a second TLS stack for the
# interop tests) into a private cache, without installing the package: apt would remove Postfix
# for it (both are the system MTA), and exim4-base/-config would set up a mail system.
# fixtures/mta/exim.ts runs the binary from there with a private configuration. Idempotent and
# quiet; without root it says what it could not do and goes on (those tests then skip locally,
# never on CI).
set -euo pipefail

# fixtures/mta/exim.ts computes the same path. Outside node_modules, so `npm ci` keeps it.
dir="${XDG_CACHE_HOME:-$HOME/.cache}/mxtls-exim"
exim="$dir/usr/sbin/exim4"

# shellcheck source=lib/apt-quiet.sh
source "$(dirname "$0")/lib/apt-quiet.sh"

if [ ! -x "$exim" ]; then
  mkdir -p "$(dirname "$dir")"
  # Unpacked beside its final place and renamed: an interrupted run never leaves a half tree.
  tmp="$(mktemp -d "$dir.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt_quiet apt-get download exim4-daemon-light); then
    [ "$(id -u)" -ne 0 ] || exit 1
    echo "note: not root, and exim4-daemon-light could not be downloaded; the Exim tests will skip" >&2
    exit 0
  fi
  dpkg-deb -x "$tmp"/exim4-daemon-light_*.deb "$tmp/root"
  # The control file is kept for its Depends line, read below when a library is missing.
  dpkg-deb -e "$tmp"/exim4-daemon-light_*.deb "$tmp/root/DEBIAN"
  # The package's binary is setuid root; ours is only ever started by root and needs no bit.
  chmod u-s "$tmp/root/usr/sbin/exim4"
  rm -rf "$dir"
  mv "$tmp/root" "$dir"
fi

# Not `grep -q`: it stops reading early, and under pipefail ldd's SIGPIPE would fail the test.
ldd "$exim" | grep 'not found' >/dev/null || exit 0

# A shared library is missing (libidn12 on a stock Debian 12). Install the daemon's library
# dependencies that are not installed, and nothing else: never exim4-base or exim4-config.
libs=()
for pkg in $(sed -n 's/^Depends: //p' "$dir/DEBIAN/control" | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/ //g' | grep '^lib'); do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = 'install ok installed' ] || libs+=("$pkg")
done
if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, so not installing ${libs[*]} for the private Exim; its tests will skip" >&2
  exit 0
fi
DEBIAN_FRONTEND=noninteractive apt_quiet apt-get install -y -qq --no-install-recommends "${libs[@]}"
if ldd "$exim" | grep 'not found' >&2; then
  echo "error: $exim still misses the shared libraries above" >&2
  exit 1
fi
