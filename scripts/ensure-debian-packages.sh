#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing (CI runs as root on
# a clean machine). Postfix is needed for `postmap`, which checks the policy files we write, and
# for the interop tests (test/interop): real Postfix receivers and client, posttls-finger.
# Those also run `unshare`, `mount` and `script` (util-linux, mount, bsdutils: required on Debian).
# The DNSSEC interop test (test/interop/dnssec.test.ts) signs zones with ldns (ldnsutils), serves
# them with NSD and validates them with Unbound, private instances on 127.0.0.17x.
# The HTML report's browser test (test/integration/report-browser.test.ts) drives Debian's
# chromium through playwright-core's executablePath (no browser download from npm).
# `mxtls install` builds lmdb and cdb tables too (test/integration/install-cli.test.ts): Debian ships
# those map types as plugins, postfix-lmdb and postfix-cdb; `postconf -m` lists what is there.
# The WAN bench (`npm run bench:wan`, its smoke in test/integration/wan-bench.test.ts) makes
# network namespaces with iproute2's `ip` and compiles its delay line with the C compiler (gcc).
# Without root, says what is missing and goes on: those tests then skip locally (never on CI).
set -euo pipefail
bash "$(dirname "$0")/ensure-exim.sh" # Debian's Exim for test/interop, unpacked, never installed
bash "$(dirname "$0")/ensure-postfix310.sh" # Debian 13's Postfix 3.10 in a debootstrap root, for test/interop
bash "$(dirname "$0")/ensure-promtool.sh" # Prometheus's promtool, unpacked, to check --metrics files

missing=()
for cmd in postmap postfix posttls-finger; do
  command -v "$cmd" >/dev/null 2>&1 || { missing+=(postfix); break; }
done
for map in lmdb cdb; do
  { PATH="$PATH:/usr/sbin" postconf -m 2>/dev/null || true; } | grep -qx "$map" || missing+=("postfix-$map")
done
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v mount >/dev/null 2>&1 || missing+=(mount)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
command -v nsd >/dev/null 2>&1 || missing+=(nsd)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck) # contrib/mxtls-nightly.sh (test/integration/nightly-script.test.ts)
command -v unbound >/dev/null 2>&1 || missing+=(unbound)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v cc >/dev/null 2>&1 || missing+=(gcc)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
for cmd in ldns-keygen ldns-signzone; do
  command -v "$cmd" >/dev/null 2>&1 || { missing+=(ldnsutils); break; }
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, so not installing ${missing[*]}; the tests that need it will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package may start the system's own Postfix; the tests run private instances only.
if [[ " ${missing[*]} " == *" postfix "* ]]; then postfix stop >/dev/null 2>&1 || true; fi
# Likewise the system's NSD and Unbound, which would hold port 53 (127.0.0.1, or every address
# for NSD) that the fake DNS and the interop tests' resolver need.
for svc in nsd unbound; do
  if [[ " ${missing[*]} " == *" $svc "* ]]; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
