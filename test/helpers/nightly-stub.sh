#!/bin/sh
# A stand-in `mxtls` for the exit-code tests of test/integration/nightly-script.test.ts (its lab
# test runs the real one). Logs each call to $STUB_CALLS. Each command exits $STUB_<COMMAND>
# (STUB_SCAN, ...; 0 by default) and writes what the real one writes with that code:
#   scan     --output {"night":"$STUB_NIGHT"}
#   policy   --output "night$STUB_NIGHT.test verify" (on 0 and 3)
#   report   -o a page (on 0 and 1)
#   install  copies the policy to --map (on 0); with STUB_RELOAD=fail and --reload it does
#            too, then exits 6 as a failed `postfix reload` makes the real one; 5 and 6 change nothing
#   audit    nothing
set -eu
printf '%s\n' "$*" >>"$STUB_CALLS"
cmd=$1
out='' map='' reload='' prev=''
for a in "$@"; do
  case $prev in --output | -o) out=$a ;; --map) map=$a ;; esac
  [ "$a" != --reload ] || reload=yes
  prev=$a
done
night=${STUB_NIGHT:-1}

case $cmd in
  scan)
    rc=${STUB_SCAN:-0}
    echo "{\"night\":\"$night\"}" >"$out" ;;
  policy)
    rc=${STUB_POLICY:-0}
    case $rc in 0 | 3) echo "night$night.test verify" >"$out" ;; esac ;;
  report)
    rc=${STUB_REPORT:-0}
    case $rc in 0 | 1) echo "<html>report of $2</html>" >"$out" ;; esac ;;
  install)
    rc=${STUB_INSTALL:-0}
    if [ "$rc" -eq 0 ]; then
      cp "$2" "$map"
      if [ -n "$reload" ] && [ "${STUB_RELOAD:-}" = fail ]; then rc=6; fi
    fi ;;
  audit) rc=${STUB_AUDIT:-0} ;;
  *) rc=2 ;;
esac
exit "$rc"
