#!/bin/sh
# A stand-in `mxtls` for test/integration/nightly-script.test.ts. Logs each call to $STUB_CALLS.
# `report` and `install` are stubs (their commands are being written elsewhere): report writes
# its -o file, install copies the policy to --map; each exits $STUB_REPORT / $STUB_INSTALL.
# scan, policy and audit: with $STUB_REAL (the real bin/mxtls.js) they run the real command,
# scan without --metrics (not there yet: a stub metrics file is written instead); without it
# they write stand-in files and exit $STUB_SCAN / $STUB_POLICY / $STUB_AUDIT.
set -eu
printf '%s\n' "$*" >>"$STUB_CALLS"
cmd=$1
out='' map='' metrics='' prev=''
for a in "$@"; do
  case $prev in --output | -o) out=$a ;; --map) map=$a ;; --metrics) metrics=$a ;; esac
  prev=$a
done

real() {
  if [ "$cmd" = scan ]; then
    # Drop "--metrics FILE" and keep every other argument as it was.
    skip=''
    for a in "$@"; do
      shift
      if [ -n "$skip" ]; then skip=''; continue; fi
      if [ "$a" = --metrics ]; then skip=1; continue; fi
      set -- "$@" "$a"
    done
    [ -z "$metrics" ] || echo '# stub metrics: mxtls scan --metrics is not there yet' >"$metrics"
  fi
  exec node "$STUB_REAL" "$@"
}

case $cmd in
  report)
    rc=${STUB_REPORT:-0}
    [ "$rc" -gt 1 ] || echo "<html>report of $2</html>" >"$out"
    exit "$rc" ;;
  install)
    rc=${STUB_INSTALL:-0}
    [ "$rc" -ne 0 ] || cp "$2" "$map"
    exit "$rc" ;;
esac
[ -z "${STUB_REAL:-}" ] || real "$@"
case $cmd in
  scan) rc=${STUB_SCAN:-0}; echo "{\"night\":\"${STUB_NIGHT:-1}\"}" >"$out" ;;
  policy) rc=${STUB_POLICY:-0}; [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] || echo "night${STUB_NIGHT:-1}.test verify" >"$out" ;;
  audit) rc=${STUB_AUDIT:-0} ;;
  *) rc=2 ;;
esac
exit "$rc"
