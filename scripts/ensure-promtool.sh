#!/usr/bin/env bash
# Unpacks Prometheus's `promtool` from Debian's `prometheus` package (Debian 12 ships it there;
# no package ships promtool alone) into a private cache, without installing the package:
# installing it would set up and start a Prometheus server on :9090 for a checker the tests
# only pipe a file through. test/integration/metrics-promtool.test.ts runs
# `promtool check metrics` from there (or from PATH) to validate what --metrics writes with
# the Prometheus project's own text-format parser and linter. Idempotent and quiet; without root
# it says what it could not do and goes on (those tests then skip locally, never on CI).
set -euo pipefail

# fixtures/promtool.ts computes the same path. Outside node_modules, so `npm ci` keeps it.
dir="${XDG_CACHE_HOME:-$HOME/.cache}/mxtls-promtool"
promtool="$dir/usr/bin/promtool"

command -v promtool >/dev/null 2>&1 && exit 0
[ -x "$promtool" ] && exit 0

# shellcheck source=lib/apt-quiet.sh
source "$(dirname "$0")/lib/apt-quiet.sh"

mkdir -p "$(dirname "$dir")"
# Unpacked beside its final place and renamed: an interrupted run never leaves a half tree.
tmp="$(mktemp -d "$dir.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && apt_quiet apt-get download prometheus); then
  [ "$(id -u)" -ne 0 ] || exit 1
  echo "note: not root, and prometheus (for promtool) could not be downloaded; the promtool tests will skip" >&2
  exit 0
fi
# Only promtool: the package's other 50 MB (the server, its web assets) are never unpacked.
mkdir "$tmp/root"
dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -x -C "$tmp/root" ./usr/bin/promtool
"$tmp/root/usr/bin/promtool" --version >/dev/null
rm -rf "$dir"
mv "$tmp/root" "$dir"
