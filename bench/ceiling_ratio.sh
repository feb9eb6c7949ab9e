#!/usr/bin/env bash
# ken against the ceiling, round after round: in each round the trivial
# responder (ken-bench respond) and then ken-manager with each app answer
# the same cbench-style load (ken-bench, OpenFlow 1.0), controller on
# CTRL_CPU and generator on BENCH_CPU, in each mode. Prints every round and
# then, per app and mode, the median of the rounds' ratios (ken / the
# ceiling of the same round): the figure issue 14's targets are stated in.
# Interleaving by round keeps a slow moment of this VM's host from
# landing on one side only.
#
# Usage: bench/ceiling_ratio.sh [BUILD]          (default build)
# Environment: ROUNDS (5), LOOPS (5), MS (1000), WARMUP (2), SWITCHES (8),
#   MACS (100), APPS ("cbench simple_switch"), MODES ("throughput latency"),
#   BASE_PORT (6870), CTRL_CPU (0), BENCH_CPU (1).
# Only 127.0.0.1; every run is bounded in time and every process started
# here is stopped on exit. Meaningful only on an otherwise idle machine.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
ROUNDS=${ROUNDS:-5}
LOOPS=${LOOPS:-5}
MS=${MS:-1000}
WARMUP=${WARMUP:-2}
SWITCHES=${SWITCHES:-8}
MACS=${MACS:-100}
APPS=${APPS:-"cbench simple_switch"}
MODES=${MODES:-"throughput latency"}
PORT=${BASE_PORT:-6870}
CTRL_CPU=${CTRL_CPU:-0}
BENCH_CPU=${BENCH_CPU:-1}
BENCH=$BUILD/ken-bench
KEN=$BUILD/ken-manager
for b in "$BENCH" "$KEN"; do
  [[ -x $b ]] || { echo "ceiling_ratio.sh: $b is missing (build first)" >&2; exit 2; }
done
. bench/lib.sh
WORK=$(mktemp -d /tmp/ken-ratio.XXXXXX)
CTRL=
trap 'stop_pid "$CTRL"; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# rate MODE CMD...: starts CMD (@PORT@ is its port) on CTRL_CPU, drives it,
# stops it; prints the median answered/s of the loops, or 0.
rate() {
  local mode=$1; shift
  PORT=$((PORT + 1))
  taskset -c "$CTRL_CPU" "${@//@PORT@/$PORT}" >"$WORK/ctrl.log" 2>&1 &
  CTRL=$!
  for _ in $(seq 100); do ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q LISTEN && break; sleep 0.1; done
  timeout -k 5 $(((LOOPS + WARMUP) * MS / 1000 + 40)) "$BENCH" cbench --port "$PORT" --cpu "$BENCH_CPU" \
    --switches "$SWITCHES" --macs "$MACS" --loops "$LOOPS" --ms-per-test "$MS" --warmup "$WARMUP" \
    --ofp-version 1.0 "--$mode" --json >"$WORK/out.json" 2>/dev/null
  stop_pid "$CTRL"
  CTRL=
  python3 -c 'import json,sys,statistics as st
try: print("%.0f" % st.median(json.load(open(sys.argv[1]))["answered_per_loop"]))
except Exception: print(0)' "$WORK/out.json"
}

declare -A RATIOS
for r in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    ceiling=$(rate "$mode" "$BENCH" respond --port @PORT@)
    for app in $APPS; do
      ken=$(rate "$mode" "$KEN" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port @PORT@ --default-log-level 40 "$app")
      ratio=$(python3 -c 'import sys; c,k=map(float,sys.argv[1:]); print("%.3f" % (k/c) if c else "nan")' "$ceiling" "$ken")
      RATIOS[$app/$mode]="${RATIOS[$app/$mode]:-} $ratio"
      printf 'round %d %-10s ceiling %10s  %-14s %10s  ratio %s\n' "$r" "$mode" "$ceiling" "$app" "$ken" "$ratio"
    done
  done
done
echo "median of $ROUNDS rounds (ken / ceiling of the same round), $SWITCHES switches, OpenFlow 1.0:"
for app in $APPS; do
  for mode in $MODES; do
    python3 -c 'import sys,statistics as st; v=[float(x) for x in sys.argv[3:] if x != "nan"]; \
print("  %-14s %-10s %s" % (sys.argv[1], sys.argv[2], "%.2f (rounds %s)" % (st.median(v), " ".join(sys.argv[3:])) if v else "no result"))' \
      "$app" "$mode" ${RATIOS[$app/$mode]}
  done
done
