#!/bin/sh
# mxtls-nightly.sh: the nightly TLS policy run (README, "Every night"), for cron or the systemd
# timer next to it. Steps: scan (against last night's results), policy, report, install with
# the downgrade guard, audit of the mail log. Each step's exit code is read as the README's
# "Exit codes" table says (src/cli/exit-codes.ts):
#   0 ok   1 regression   2 usage   3 incomplete   4 internal error   130 interrupted
#   5 install refused (--max-downgrades)   6 install failed (map unchanged), or reload failed
#
# Invariant: $STATE/last-night.ndjson holds the results of the policy that is installed. It is
# replaced by tonight's only when tonight's policy was installed; after any failure it, the
# installed map and last night's report stay as they were, and tomorrow diffs against them.
#
# Settings come from the environment (systemd EnvironmentFile=/etc/default/mxtls, or cron):
#   MXTLS                 the mxtls command                         (mxtls)
#   MXTLS_DOMAINS         recipient domains, one per line           (/etc/mxtls/domains.txt)
#   MXTLS_STATE           results, policy and report                (/var/lib/mxtls)
#   MXTLS_MAP             the smtp_tls_policy_maps source installed (/etc/postfix/tls_policy)
#   MXTLS_MAP_TYPE        hash, lmdb, cdb or texthash               (hash)
#   MXTLS_MAX_DOWNGRADES  lines install may lower, N or P%          (5%)
#   MXTLS_RELOAD          yes: reload Postfix after installing      (yes)
#   MXTLS_POSTFIX_CONFIG  Postfix configuration directory for postmap and the reload
#                         (install --postfix-config, their -c DIR)  (empty: Postfix's default)
#   MXTLS_METRICS         node_exporter textfile                    (/var/lib/prometheus/node-exporter/mxtls.prom)
#   MXTLS_MAILLOG         the log audit reads, "-" for journalctl   (/var/log/mail.log)
#   MXTLS_SCAN_ARGS       more scan options, split at spaces        (empty)
#   MXTLS_POLICY_ARGS     more policy options (--omit-may, ...)     (empty)
# Exit code: the most serious of the steps', in the order 130, 2, 6, 4, 5, 1, 3, 0.
set -eu

MXTLS=${MXTLS:-mxtls}
DOMAINS=${MXTLS_DOMAINS:-/etc/mxtls/domains.txt}
STATE=${MXTLS_STATE:-/var/lib/mxtls}
MAP=${MXTLS_MAP:-/etc/postfix/tls_policy}
MAP_TYPE=${MXTLS_MAP_TYPE:-hash}
MAX_DOWNGRADES=${MXTLS_MAX_DOWNGRADES:-5%}
RELOAD=${MXTLS_RELOAD:-yes}
POSTFIX_CONFIG=${MXTLS_POSTFIX_CONFIG:-}
METRICS=${MXTLS_METRICS:-/var/lib/prometheus/node-exporter/mxtls.prom}
MAILLOG=${MXTLS_MAILLOG:-/var/log/mail.log}
SCAN_ARGS=${MXTLS_SCAN_ARGS:-}
POLICY_ARGS=${MXTLS_POLICY_ARGS:-}

LAST=$STATE/last-night.ndjson
TONIGHT=$STATE/tonight.ndjson
POLICY_NEW=$STATE/tls_policy.new
REPORT_NEW=$STATE/report.html.new
status=0

say() { printf 'mxtls-nightly: %s\n' "$*" >&2; }

meaning() {
  case $1 in
    0) echo ok ;;
    1) echo regression ;;
    2) echo 'usage: bad options or a file that cannot be used' ;;
    3) echo 'incomplete: some domains unknown' ;;
    4) echo 'internal error' ;;
    5) echo 'install refused: more lines lowered than --max-downgrades allows' ;;
    6) echo 'install failed, or the reload after it' ;;
    130) echo interrupted ;;
    *) echo 'unexpected exit code' ;;
  esac
}

# rank CODE: how serious an exit code is, for the final one (any unknown code counts as 4).
rank() {
  case $1 in
    0) echo 0 ;; 3) echo 1 ;; 1) echo 2 ;; 5) echo 3 ;; 6) echo 5 ;; 2) echo 6 ;; 130) echo 7 ;; *) echo 4 ;;
  esac
}

# note CODE: keeps the most serious code seen as the script's own.
note() {
  code=$1
  case $code in 0 | 1 | 2 | 3 | 4 | 5 | 6 | 130) ;; *) code=4 ;; esac
  if [ "$(rank "$code")" -gt "$(rank "$status")" ]; then status=$code; fi
}

# step NAME COMMAND...: runs one step, reports its code, sets $rc (set -e must not stop here).
step() {
  name=$1
  shift
  rc=0
  "$@" || rc=$?
  say "$name: exit $rc ($(meaning "$rc"))"
}

# stop: ends the run after a step that leaves nothing to go on with; last night's files stay.
stop() {
  say "stopped after $1; last night's results, policy, report and the installed map are unchanged"
  exit "$status"
}

mkdir -p "$STATE"
if [ ! -r "$DOMAINS" ]; then
  say "no domain list at $DOMAINS (MXTLS_DOMAINS)"
  exit 2
fi

# 1. Scan. Without last night's results (the first run) there is nothing to diff against.
set --
if [ -s "$LAST" ]; then set -- --diff "$LAST" --previous "$LAST"; fi
# shellcheck disable=SC2086 # MXTLS_SCAN_ARGS is a list of options, split on purpose
step scan "$MXTLS" scan -f "$DOMAINS" --format ndjson --output "$TONIGHT" --quiet --metrics "$METRICS" "$@" $SCAN_ARGS
note "$rc"
case $rc in
  # 1 (a regression) and 3 (some domains unknown: --previous keeps their lines) still give a
  # complete policy; the install guard below decides whether it may go in.
  0 | 1 | 3) ;;
  # 4: no line was written for the domains mxtls failed on; installing would drop them.
  *) stop scan ;;
esac

# 2. The policy file, from tonight's results (last night's line where tonight is unknown).
set --
if [ -s "$LAST" ]; then set -- --previous "$LAST"; fi
# shellcheck disable=SC2086 # MXTLS_POLICY_ARGS is a list of options, split on purpose
step policy "$MXTLS" policy "$TONIGHT" --output "$POLICY_NEW" "$@" $POLICY_ARGS
note "$rc"
# 3: the same unknown domains as the scan's 3; their lines come from last night's results.
case $rc in 0 | 3) ;; *) stop policy ;; esac

# 3. The report: for people, so a failure is noted but does not hold the policy back.
set --
if [ -s "$LAST" ]; then set -- --diff "$LAST"; fi
step report "$MXTLS" report "$TONIGHT" "$@" -o "$REPORT_NEW"
case $rc in
  # 1: the report's diff found the regression the scan already counted.
  0 | 1) mv -f "$REPORT_NEW" "$STATE/report.html" ;;
  *) note "$rc" ;;
esac

# 4. Install, refused by mxtls (5) when the new file lowers too many lines; the map stays as it
# was. 6 is either a failed step (the map unchanged) or a failed reload after the map went in:
# the map's source file, byte for byte tonight's policy, tells which.
set -- --map "$MAP" --map-type "$MAP_TYPE" --max-downgrades "$MAX_DOWNGRADES"
if [ -n "$POSTFIX_CONFIG" ]; then set -- "$@" --postfix-config "$POSTFIX_CONFIG"; fi
if [ "$RELOAD" = yes ]; then set -- "$@" --reload; fi
step install "$MXTLS" install "$POLICY_NEW" "$@"
note "$rc"
installed=no
case $rc in
  0) installed=yes ;;
  6) if cmp -s "$POLICY_NEW" "$MAP"; then
       installed=yes
       say "install: tonight's policy is installed but Postfix was not reloaded; reload it by hand"
     fi ;;
esac
if [ "$installed" = yes ]; then
  mv -f "$POLICY_NEW" "$STATE/tls_policy"
  mv -f "$TONIGHT" "$LAST"
else
  say "install refused or failed: tomorrow compares with last night's results again"
fi

# 5. Audit: the mail log's verdict on the installed policy (1: it defers mail).
# The journal since yesterday, in the timestamps audit reads (journalctl -o short-iso); a
# pipeline's code is its last command's, audit's.
# shellcheck disable=SC2317 # called through step, which shellcheck does not follow
journal_audit() {
  journalctl --quiet --no-pager -o short-iso -u 'postfix@*' -u postfix --since yesterday | "$MXTLS" audit - --policy "$MAP"
}
if [ "$MAILLOG" = - ]; then
  step audit journal_audit
elif [ -r "$MAILLOG" ]; then
  step audit "$MXTLS" audit "$MAILLOG" --policy "$MAP"
else
  say "audit: no mail log at $MAILLOG (MXTLS_MAILLOG); skipped"
  rc=3
fi
note "$rc"

say "done: exit $status ($(meaning "$status"))"
exit "$status"
