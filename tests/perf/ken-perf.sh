#!/usr/bin/env bash
# ken alone, quickly: ken-manager with the cbench app on CPU 0, ken-bench on
# CPU 1, OpenFlow 1.0; throughput and latency at each switch count, then the
# memory per idle connected switch (RSS with 1000 idle switches minus RSS
# with none, over 1000). For the comparison with other controllers run
# bench/controllers.sh.
#
# Usage: tests/perf/ken-perf.sh [SWITCH_COUNT...]     (default: 8 16 64 1000)
# Environment: BUILD (default build), MANAGER (the ken-manager to measure,
#   default $BUILD/ken-manager: another build compares), APP (cbench), LOOPS (5), MS (1000),
#   WARMUP (2), PORT (6950), MODES ("throughput latency"), MEM (1: measure
#   memory; 0: skip), CTRL_CPU (0), BENCH_CPU (1).
set -uo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
APP=${APP:-cbench}
LOOPS=${LOOPS:-5}
MS=${MS:-1000}
WARMUP=${WARMUP:-2}
PORT=${PORT:-6950}
MODES=${MODES:-throughput latency}
MEM=${MEM:-1}
CTRL_CPU=${CTRL_CPU:-0}
BENCH_CPU=${BENCH_CPU:-1}
MANAGER=$(realpath "${MANAGER:-$BUILD/ken-manager}")
COUNTS=("$@")
((${#COUNTS[@]})) || COUNTS=(8 16 64 1000)

WORK=$(mktemp -d /tmp/ken-perf.XXXXXX)
CTRL_PID=
stop_ctrl() {
  [[ -n $CTRL_PID ]] || return 0
  if ! kill -0 "$CTRL_PID" 2>/dev/null; then
    wait "$CTRL_PID"
    echo "ken-perf.sh: the controller died (status $?): $(tail -n 3 "$WORK/ctrl.log")" >&2
  fi
  kill -TERM "$CTRL_PID" 2>/dev/null
  for _ in $(seq 30); do kill -0 "$CTRL_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$CTRL_PID" 2>/dev/null
  wait "$CTRL_PID" 2>/dev/null
  CTRL_PID=
}
trap 'stop_ctrl; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# A crash leaves its core in /tmp/ken-perf-cores (kept).
start_ctrl() {
  mkdir -p /tmp/ken-perf-cores
  (ulimit -c unlimited; cd /tmp/ken-perf-cores && exec taskset -c "$CTRL_CPU" "$MANAGER" \
    --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$PORT" "$APP") >"$WORK/ctrl.log" 2>&1 &
  CTRL_PID=$!
  for _ in $(seq 100); do
    ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q LISTEN && return 0
    sleep 0.1
  done
  echo "ken-perf.sh: ken-manager is not listening: $(tail -n 2 "$WORK/ctrl.log")" >&2
  exit 2
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$CTRL_PID/status"; }
# The controller's CPU time (clock ticks, every thread) and context switches
# so far: per answered packet-in they show its cost even on a busy machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$CTRL_PID/stat"; }
ctx_switches() {
  cat /proc/"$CTRL_PID"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'
}

start_ctrl
for n in "${COUNTS[@]}"; do
  for mode in $MODES; do
    t0=$(cpu_ticks) c0=$(ctx_switches)
    out=$(timeout -k 5 $(((LOOPS + WARMUP) * MS / 1000 + 60)) "$BUILD/ken-bench" cbench --port "$PORT" \
      --cpu "$BENCH_CPU" --switches "$n" --macs 100 --loops "$LOOPS" --ms-per-test "$MS" --warmup "$WARMUP" \
      --ofp-version 1.0 "--$mode" 2>&1)
    avg=$(grep 'answered/s$' <<<"$out" | grep RESULT | sed 's|.*= [^/]*/[^/]*/\([^/]*\)/\(.*\) answered/s|\1 +- \2|')
    rtt=$(grep '^RTT' <<<"$out")
    answered=$(sed -n 's/^totals:.* answered \([0-9]*\),.*/\1/p' <<<"$out")
    cost=$(awk -v t="$(($(cpu_ticks) - t0))" -v c="$(($(ctx_switches) - c0))" -v n="${answered:-0}" \
      -v hz="$(getconf CLK_TCK)" 'BEGIN {if (n) printf "%.2f us CPU, %.3f switches per answer", t * 1e6 / hz / n, c / n}')
    printf '%-10s %5s switches: %s answered/s [%s] %s\n' "$mode" "$n" "${avg:-no result: $(tail -n 1 <<<"$out")}" \
      "$cost" "$rtt"
  done
done
stop_ctrl

((MEM)) || exit 0
start_ctrl
sleep 1
rss0=$(rss_kib)
timeout -k 5 90 "$BUILD/ken-bench" cbench --port "$PORT" --cpu "$BENCH_CPU" --switches 1000 --idle 15 \
  >"$WORK/idle.log" 2>&1 &
idle_pid=$!
for _ in $(seq 300); do
  grep -q holding "$WORK/idle.log" && break
  kill -0 "$idle_pid" 2>/dev/null || break
  sleep 0.1
done
sleep 2
rss1=$(rss_kib)
kill -TERM "$idle_pid" 2>/dev/null
wait "$idle_pid" 2>/dev/null
echo "memory per idle switch: $(((rss1 - rss0) * 1024 / 1000)) bytes (RSS $rss0 KiB idle, $rss1 KiB with 1000 switches)"
