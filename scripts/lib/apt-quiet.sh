# Sourced by the ensure-*.sh scripts. Runs an apt-get command quietly (its output only on
# failure). When it fails on a machine whose package lists are missing or stale (a fresh one),
# refreshes them once, as root, and tries again.
apt_quiet() {
  local out
  out="$("$@" 2>&1)" && return 0
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    out="$("$@" 2>&1)" && return 0
  fi
  echo "$out" >&2
  return 1
}
