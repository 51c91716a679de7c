#!/usr/bin/env bash
# Builds a Debian 13 (trixie) root with Debian's own `postfix` package (3.10.x, linked with
# libtlsrpt0) under ~/.cache/mxtls-postfix310, for the interop tests that need a Postfix with
# TLSRPT and exact MTA-STS MX patterns (test/interop/postfix310.test.ts). Debian 12's Postfix is
# 3.7, and trixie's package does not install on Debian 12 (newer libc), so its binaries run in
# their own root (chroot), started by fixtures/mta/postfix-runtime.ts. Built with debootstrap
# from the Debian mirror this machine's apt sources already name; cached between runs.
# Idempotent and quiet; without root it says what it could not do and goes on (those tests then
# skip locally, never on CI). Never starts a daemon: a policy-rc.d in the root refuses every
# service start while packages are installed (the root shares this machine's network).
set -euo pipefail

# fixtures/mta/postfix-runtime.ts computes the same path. Outside node_modules, so `npm ci` keeps it.
dir="${XDG_CACHE_HOME:-$HOME/.cache}/mxtls-postfix310"
suite=trixie
[ -x "$dir/usr/sbin/postfix" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, so not building the Debian $suite root for Postfix 3.10; its tests will skip" >&2
  exit 0
fi

# The first Debian archive URI of the apt sources (deb822 "URIs:" or one-line "deb URI suite"),
# never the -security archive: trixie's packages come from the same mirror as bookworm's.
mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  sed -nE 's/^URIs:[[:space:]]+//p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//p' | tr ' ' '\n' |
  grep -E '^https?://[^ ]*/debian/?$' | head -n 1 || true)"
if [ -z "$mirror" ]; then
  echo "error: no Debian archive (…/debian) in /etc/apt/sources.list*; cannot build the $suite root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi

mkdir -p "$(dirname "$dir")"
# Built beside its final place and renamed: an interrupted run never leaves a half root.
tmp="$(mktemp -d "$dir.XXXXXX")"
# mktemp makes it 0700; as the root directory of the chroot it must let Postfix's unprivileged
# daemons through.
chmod 755 "$tmp"
trap 'umount "$tmp/proc" 2>/dev/null || true; rm -rf --one-file-system "$tmp"' EXIT
log="$tmp.log"
if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "error: debootstrap $suite from $mirror failed (full log: $log)" >&2
  exit 1
fi
# invoke-rc.d asks policy-rc.d; 101 = "action not allowed": the package's postinst would
# otherwise start a Postfix inside the root, listening on this machine's port 25.
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
chmod 755 "$tmp/usr/sbin/policy-rc.d"
echo 'postfix postfix/main_mailer_type select No configuration' | chroot "$tmp" debconf-set-selections
# Some maintainer scripts look at /proc; where mounting it is not allowed, apt still installs.
mount -t proc proc "$tmp/proc" 2>/dev/null || true
if ! chroot "$tmp" apt-get install -y -q --no-install-recommends postfix >>"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "error: apt-get install postfix in the $suite root failed (full log: $log)" >&2
  exit 1
fi
umount "$tmp/proc" 2>/dev/null || true
chroot "$tmp" apt-get clean
rm -f "$log"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
