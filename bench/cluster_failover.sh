#!/usr/bin/env bash
# Cluster failover on real Open vSwitch (issue 12): three ken-manager
# instances with simple_switch_13, etcd on loopback, bridges s1 - s2 - s3
# each connected to all three (tests/e2e/cluster-env.sh). Each round:
#   - kill -9 the master of s2: the time from the kill to the new master's
#     role reply (the survivor's log line "datapath 0000000000000002: role
#     master", stamped when the reply is read);
#   - the same instance back, balanced again;
#   - SIGTERM the master of s2: the same time;
#   - back again, balanced.
# Then, ROUNDS times, instance 0 alone is cut off from etcd (its etcd
# traffic through a TCP proxy that is stopped): the time to its step-down,
# and how long before the new master's role reply for its switch it came.
# Meanwhile h1 pings h3 (across all three switches, flows installed) every
# 10 ms: the packets lost and the longest gap between replies during each
# failover.
#
# Usage (root): bench/cluster_failover.sh [build]
#   ROUNDS=5               rounds
#   ETCD_TUNING=fast       etcd --heartbeat-interval 50 --election-timeout 250
#                          (its smallest lease TTL is then 1 s); "default":
#                          etcd's defaults (100/1000 ms: TTL 1 s becomes 2 s)
#   LEASE_TTL=1            --cluster-lease-ttl
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
ROUNDS=${ROUNDS:-5}
LEASE_TTL=${LEASE_TTL:-1}
case ${ETCD_TUNING:-fast} in
  fast) CL_ETCD_ARGS="--heartbeat-interval 50 --election-timeout 250" ;;
  default) CL_ETCD_ARGS="" ;;
  *) echo "cluster_failover: ETCD_TUNING is fast or default" >&2; exit 2 ;;
esac
export CL_ETCD_ARGS
[[ -x $build/ken-manager ]] || { echo "cluster_failover: $build/ken-manager is missing (ninja -C $build)"; exit 1; }
source "$here/../tests/e2e/cluster-env.sh"

cl_setup "$build/ken-manager" 19130 simple_switch_13
for i in 0 1 2; do cl_start "$i" --cluster-lease-ttl "$LEASE_TTL"; done
ttl=$(grep -ho "lease TTL [0-9]* s" "$dir/ken0.log" | tail -1)

balanced() {
  local until=$((SECONDS + 60)) all
  while ((SECONDS <= until)); do
    all="$(cl_masters 1) $(cl_masters 2) $(cl_masters 3)"
    [[ $(tr ' ' '\n' <<<"$all" | grep -c .) == 3 && $(tr ' ' '\n' <<<"$all" | sort -u | grep -c .) == 3 ]] && return 0
    sleep 0.2
  done
  echo "cluster_failover: not balanced: s1 [$(cl_masters 1)] s2 [$(cl_masters 2)] s3 [$(cl_masters 3)]" >&2
  exit 1
}

# Learn every host once, so that h1 -> h3 runs on installed flows.
balanced
for a in 1 3; do for b in 1 3; do [[ $a == "$b" ]] || in_host "$a" ping -c 2 -W 2 "10.0.0.$b" >/dev/null; done; done

# ms_since T0 FILE: milliseconds from T0 (epoch seconds) to the first
# "datapath 0000000000000002: role master" line of FILE stamped after T0.
first_master_after() {
  python3 - "$@" <<'PY'
import datetime, sys
t0 = float(sys.argv[1])
best = None
for f in sys.argv[2:]:
    for line in open(f, errors="replace"):
        if "datapath 0000000000000002: role master" not in line:
            continue
        ts = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()
        if ts >= t0 and (best is None or ts < best):
            best = ts
print("%.0f" % ((best - t0) * 1000) if best else "none")
PY
}

# ping_stats FILE: "lost N, longest gap G ms" of a ping -D output.
ping_stats() {
  python3 - "$1" <<'PY'
import re, sys
times, seqs = [], []
sent = 0
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"\[(\d+\.\d+)\] \d+ bytes from .* icmp_seq=(\d+)", line)
    if m:
        times.append(float(m.group(1)))
        seqs.append(int(m.group(2)))
    m = re.search(r"(\d+) packets transmitted", line)
    if m:
        sent = int(m.group(1))
gap = max((b - a for a, b in zip(times, times[1:])), default=0)
print("lost %d, longest gap %.0f ms" % (sent - len(times), gap * 1000))
PY
}

results=()
event() { # event KIND SIGNAL
  local kind=$1 sig=$2 x logs=() t0 ms p
  x=$(cl_masters 2)
  in_host 1 ping -D -i 0.01 -c 300 -W 1 10.0.0.3 >"$dir/ping.out" 2>&1 &
  p=$!
  sleep 0.5
  for i in 0 1 2; do [[ $i == "$x" ]] || logs+=("$dir/ken$i.log"); done
  t0=$(date +%s.%N)
  cl_kill "$x" "$sig"
  local until=$((SECONDS + 20))
  while ms=$(first_master_after "$t0" "${logs[@]}"); [[ $ms == none ]] && ((SECONDS <= until)); do sleep 0.1; done
  wait "$p" || true
  local ps; ps=$(ping_stats "$dir/ping.out")
  echo "  $kind: new master's role reply after $ms ms; ping h1 -> h3: $ps"
  results+=("$kind $ms")
  cl_start "$x" --cluster-lease-ttl "$LEASE_TTL"
  balanced
}

# log_ms FILE MARK PATTERN: the stamp (epoch ms) of the first line after
# line MARK of FILE matching PATTERN, or nothing.
log_ms() {
  { tail -n +"$(($2 + 1))" "$1" | grep -m1 "$3" || true; } | python3 -c '
import datetime, sys
line = sys.stdin.readline()
if line:
    t = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    print("%.0f" % (t.timestamp() * 1000))'
}

# Instance 0 cut off from etcd alone: its etcd traffic goes through a TCP
# proxy (tests/e2e/tcp_proxy.py) that is stopped. Measured: from the stop
# to its step-down, and how long before another instance's role reply for
# its switch the step-down came (the lead; it must be positive).
cutoff() {
  local m0 m1 m2 s0 t0 down up until
  m0=$(wc -l <"$dir/ken0.log") m1=$(wc -l <"$dir/ken1.log") m2=$(wc -l <"$dir/ken2.log")
  s0=$(grep -o "datapath 000000000000000[123]: role master" "$dir/ken0.log" | tail -1 | cut -c25)
  kill -STOP "$proxy_pid"
  t0=$(date +%s%3N)
  until=$((SECONDS + 20))
  while :; do
    down=$(log_ms "$dir/ken0.log" "$m0" "stepping down to SLAVE on [0-9]* switch(es): etcd does not answer")
    [[ -n $down ]] && break
    ((SECONDS <= until)) || { echo "cluster_failover: k0 did not step down" >&2; exit 1; }
    sleep 0.1
  done
  until=$((SECONDS + 20))
  while :; do
    up=$( (log_ms "$dir/ken1.log" "$m1" "datapath 000000000000000$s0: role master"; \
           log_ms "$dir/ken2.log" "$m2" "datapath 000000000000000$s0: role master") | sort -n | head -1)
    [[ -n $up ]] && break
    ((SECONDS <= until)) || { echo "cluster_failover: no new master of s$s0" >&2; exit 1; }
    sleep 0.1
  done
  echo "  cut off: k0 stepped down $((down - t0)) ms after the stop, $((up - down)) ms before s$s0's new master's role reply"
  results+=("cut-off-lead $((up - down))")
  m0=$(wc -l <"$dir/ken0.log")
  kill -CONT "$proxy_pid"
  until=$((SECONDS + 60))
  until tail -n +"$((m0 + 1))" "$dir/ken0.log" | grep -q ": role master"; do
    ((SECONDS <= until)) || { echo "cluster_failover: k0 was given no switch back" >&2; exit 1; }
    sleep 0.2
  done
  balanced
}

echo "cluster failover, $ROUNDS rounds; etcd tuning ${ETCD_TUNING:-fast}; $ttl (asked $LEASE_TTL s)"
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  event "kill -9" KILL
  event "SIGTERM" TERM
done
# k0 again, its etcd traffic through the proxy.
cl_kill 0 TERM
ip netns exec "$ns" python3 "$here/../tests/e2e/tcp_proxy.py" 19135 19130 &
proxy_pid=$!
cl_extra_pids+=("$proxy_pid")
for _ in $(seq 50); do in_ns bash -c "exec 3<>/dev/tcp/127.0.0.1/19135" 2>/dev/null && break; sleep 0.1; done
m0=$(wc -l <"$dir/ken0.log")
cl_start 0 --cluster-lease-ttl "$LEASE_TTL" --cluster-etcd http://127.0.0.1:19135
until tail -n +"$((m0 + 1))" "$dir/ken0.log" | grep -q ": role master"; do sleep 0.2; done
balanced
for r in $(seq "$ROUNDS"); do cutoff; done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
by = {}
for line in sys.stdin:
    kind, ms = line.rsplit(" ", 1)
    if ms != "none":
        by.setdefault(kind, []).append(int(ms))
for kind, v in by.items():
    what = "step-down ahead of the new master" if kind == "cut-off-lead" else "to the new master'"'"'s role reply"
    print("%-12s %s: min %d ms, median %d ms, max %d ms (%d rounds)" %
          (kind, what, min(v), statistics.median(v), max(v), len(v)))
'
