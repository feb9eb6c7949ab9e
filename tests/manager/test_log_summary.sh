#!/usr/bin/env bash
# ken-manager's summaries of repeated conditions, from the outside, with a
# summary interval of 1 s: a switch that reconnects 20 times is logged
# connecting once, then summarised ("switch ... reconnected 19 times in the
# last 1 s"); a switch of the wrong version retrying 20 times is logged at
# WARNING once, then summarised, and nothing more once it stopped. The
# option is in --help, checked for range and taken from a config file.
# Every controller listens on 127.0.0.1, on a port the kernel picks.
#
#   test_log_summary.sh KEN_MANAGER SWITCH_CLIENT
set -uo pipefail
mgr=$(realpath "$1") client=$(realpath "$2")
dir=$(mktemp -d /tmp/ken-log-summary-test.XXXXXX)
pid= port= log=
cleanup() {
  [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # NAME WHY [FILE]
  n=$((n + 1)) failed=$((failed + 1))
  echo "not ok $n - $1: $2"
  [[ -n ${3:-} && -f $3 ]] && sed 's/^/    | /' "$3" | tail -40
  return 0
}
check() { # NAME WHY COMMAND...: ok when the command succeeds
  local name=$1 why=$2
  shift 2
  if "$@"; then ok "$name"; else not_ok "$name" "$why" "$log"; fi
}

# start NAME ARGS...: ken-manager in the background, log in $dir/NAME.log;
# waits until it runs; sets pid, port and log.
start() {
  log=$dir/$1.log
  shift
  "$mgr" "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "running (pid" "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  port=$(sed -n 's/.*listening on [^ ]* port \([0-9]*\).*/\1/p' "$log" | head -1)
  grep -q "running (pid" "$log" && return 0
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
  return 1
}

stop() {
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  pid=
  return $rc
}

# summed SUBJECT: the occurrences the log's summary lines of SUBJECT count
# ("SUBJECT 12 times in the last 1 s", "SUBJECT once in the last 1 s").
summed() {
  sed -n "s/.*$1 \(once\|[0-9]* times\) in the last [0-9]* s.*/\1/p" "$log" |
    awk '{ s += ($1 == "once") ? 1 : $1 } END { print s + 0 }'
}

# wait_summed SUBJECT N: until the summaries of SUBJECT count N (10 s).
wait_summed() {
  for _ in $(seq 100); do
    (($(summed "$1") >= $2)) && return 0
    sleep 0.1
  done
  return 1
}

lines() { grep -c -- "$1" "$log"; }

# ---- the option ----

timeout 5 "$mgr" --help >"$dir/help" 2>&1
log=$dir/help
check "--help lists --log-summary-interval" "missing" \
  grep -q -- "--log-summary-interval SECONDS" "$dir/help"
check "--help gives its range and default" "missing" grep -q "(0.01 to 86400; default: 60)" "$dir/help"
timeout 10 "$mgr" --log-summary-interval 0 >"$dir/out" 2>&1
rc=$?
log=$dir/out
check "--log-summary-interval 0: a usage error" "exit $rc" \
  grep -q "^ken-manager: --log-summary-interval: '0' is not a number of seconds from 0.01 to 86400" "$dir/out"

# ---- a switch that keeps reconnecting ----

local_args=(--ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 0)
if start flap "${local_args[@]}" --log-summary-interval 1; then
  if "$client" "$port" flap >"$dir/client" 2>&1; then ok "flap: 20 handshakes"
  else not_ok "flap: 20 handshakes" "switch client failed" "$dir/client"; fi
  if wait_summed "switch 0000000000000042 reconnected" 19; then ok "flap: the reconnections summarised"
  else not_ok "flap: the reconnections summarised" "$(summed "switch 0000000000000042 reconnected") of 19" "$log"; fi
  sleep 2.5 # two intervals more: nothing is added
  check "flap: 19 reconnections in the summaries" "$(summed "switch 0000000000000042 reconnected")" \
    test "$(summed "switch 0000000000000042 reconnected")" -eq 19
  check "flap: summaries at WARNING, with the last address" "no such line" \
    grep -Eq "WARNING manager: switch 0000000000000042 reconnected ([0-9]+ times|once) in the last [0-9]+ s \(last from 127\.0\.0\.1:[0-9]+, OpenFlow 1\.3\)$" "$log"
  check "flap: the first arrival logged at INFO, once" "$(lines "switch 0000000000000042 connected from") lines" \
    test "$(lines "INFO manager: switch 0000000000000042 connected from 127.0.0.1:[0-9]*, OpenFlow 1.3$")" -eq 1
  check "flap: one 'connection from' line" "$(lines "INFO controller: connection from") lines" \
    test "$(lines "INFO controller: connection from")" -eq 1
  check "flap: the others summarised" "$(summed "127.0.0.1: new connections again")" \
    test "$(summed "127.0.0.1: new connections again")" -eq 19
  # Each close is logged or summarised (by datapath and reason: a switch
  # that reconnects before its old connection is seen closing replaces it).
  closes=$(($(lines "controller: datapath .*: connection closed: ") + $(summed "datapath 0000000000000042: connection closed again")))
  check "flap: 20 closes accounted for" "$closes" test "$closes" -eq 20
  check "flap: at most 2 close lines in full" "$(lines "connection closed: ")" test "$(lines "connection closed: ")" -le 2
  total=$(wc -l <"$log")
  check "flap: a short log" "$total lines" test "$total" -lt 20
  if stop; then ok "flap: clean stop"; else not_ok "flap: clean stop" "exit $?" "$log"; fi
else
  not_ok "flap" "ken-manager did not start" "$log"
fi

# ---- a version mismatch, from a config file's interval ----

printf '[DEFAULT]\nlog_summary_interval = 1\n' >"$dir/summary.conf"
if start mismatch "${local_args[@]}" --config-file "$dir/summary.conf" simple_switch_13; then
  if "$client" "$port" mismatch >"$dir/client" 2>&1; then ok "mismatch: 20 refusals"
  else not_ok "mismatch: 20 refusals" "switch client failed" "$dir/client"; fi
  subject="127.0.0.1: no common OpenFlow version again"
  if wait_summed "$subject" 19; then ok "mismatch: summarised"
  else not_ok "mismatch: summarised" "$(summed "$subject") of 19" "$log"; fi
  check "mismatch: one WARNING line in full" "$(lines "no common OpenFlow version: ") lines" \
    test "$(lines "WARNING controller: 127.0.0.1: no common OpenFlow version: the switch offers 1.1 .*, ken speaks 1.3 (the versions of the apps simple_switch_13) (logged once per address, then summarised)$")" -eq 1
  check "mismatch: the summary says what each side offered" "no such line" \
    grep -Eq "WARNING controller: $subject ([0-9]+ times|once) in the last [0-9]+ s \(the switch offers 1\.1, ken speaks 1\.3\)$" "$log"
  before=$(lines "$subject")
  sleep 2.5 # stopped: no more summaries
  check "mismatch: nothing once it stopped" "$before then $(lines "$subject") lines" \
    test "$(lines "$subject")" -eq "$before"
  check "mismatch: 19 in the summaries" "$(summed "$subject")" test "$(summed "$subject")" -eq 19
  if stop; then ok "mismatch: clean stop"; else not_ok "mismatch: clean stop" "exit $?" "$log"; fi
else
  not_ok "mismatch" "ken-manager did not start" "$log"
fi

echo "$((n - failed)) passed, $failed failed"
((failed == 0))
