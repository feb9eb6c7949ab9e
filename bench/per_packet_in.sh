#!/usr/bin/env bash
# What one answered packet-in costs the controller: system calls, context
# switches and CPU time, counted by perf stat on the controller process
# while ken-bench drives it (OpenFlow 1.0, cbench-style), divided by the
# packet-ins answered in the same window. Instructions come from
# bench/instr_per_msg.sh (callgrind: this VM has no hardware counters).
#
# Rows: the ceiling (ken-bench respond: what the generator can drive with
# no controller work), then ken-manager with the cbench app from each
# BUILD given, with --io-threads 1 and, when IO_THREADS lists more, with
# those too. Throughput and latency mode.
#
# Usage: bench/per_packet_in.sh BUILD [BUILD...]     (e.g. ../base/build build)
# Environment: SECONDS_RUN (4 per run), SWITCHES (8), IO_THREADS ("1 2"),
#   MODES ("throughput latency"), CTRL_CPUS (0: where the controller may
#   run; "0,1" lets several I/O threads spread), BENCH_CPU (1),
#   BASE_PORT (6980), APP (cbench).
# Needs perf (linux-perf) with the raw_syscalls tracepoints (root).
set -uo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: bench/per_packet_in.sh BUILD [BUILD...]" >&2; exit 2; }
command -v perf >/dev/null || { echo "per_packet_in.sh: perf is missing (apt-get install linux-perf)" >&2; exit 2; }
SECONDS_RUN=${SECONDS_RUN:-4}
SWITCHES=${SWITCHES:-8}
IO_THREADS=${IO_THREADS:-"1 2"}
MODES=${MODES:-"throughput latency"}
CTRL_CPUS=${CTRL_CPUS:-0}
BENCH_CPU=${BENCH_CPU:-1}
PORT=${BASE_PORT:-6980}
APP=${APP:-cbench}
BENCH=${BENCH:-$1/ken-bench}
WORK=$(mktemp -d /tmp/ken-ppi.XXXXXX)
CTRL=
. bench/lib.sh
stop_ctrl() { stop_pid "$CTRL"; CTRL=; }
trap 'stop_ctrl; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# measure LABEL MODE CMD...: starts CMD (@PORT@ replaced) on CTRL_CPUS,
# runs ken-bench, counts with perf stat over the measured loop, prints a row.
measure() {
  local label=$1 mode=$2; shift 2
  PORT=$((PORT + 1))
  local args=("${@//@PORT@/$PORT}")
  taskset -c "$CTRL_CPUS" "${args[@]}" >"$WORK/ctrl.log" 2>&1 &
  CTRL=$!
  for _ in $(seq 100); do ss -Hltn "sport = :$PORT" | grep -q LISTEN && break; sleep 0.1; done
  # perf counts the controller for the whole ken-bench run (a warmup loop,
  # then SECONDS_RUN): the handshakes are a few messages among millions.
  perf stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "$CTRL" -o "$WORK/perf.csv" \
    >/dev/null 2>&1 &
  local perf=$!
  sleep 0.3
  timeout -k 5 $((SECONDS_RUN + 60)) "$BENCH" cbench --port "$PORT" --cpu "$BENCH_CPU" --switches "$SWITCHES" \
    --macs 100 --loops 1 --ms-per-test $((SECONDS_RUN * 1000)) --warmup 1 --ofp-version 1.0 "--$mode" --json \
    >"$WORK/bench.json" 2>"$WORK/bench.log"
  kill -INT "$perf" 2>/dev/null
  wait "$perf" 2>/dev/null
  stop_ctrl
  python3 - "$label" "$mode" "$WORK/bench.json" "$WORK/perf.csv" "$SECONDS_RUN" <<'EOF'
import json, sys
label, mode, bench, perf, secs = sys.argv[1:6]
try:
    r = json.load(open(bench))
    rate = r["answered_per_loop"][0]
    n = r["answered"]  # the whole run's, as perf counted it
except Exception:
    print("%-34s %-10s no result from ken-bench" % (label, mode))
    sys.exit(0)
c = {}
for line in open(perf):
    f = line.strip().split(",")
    if len(f) > 2 and f[0] and not line.startswith("#"):
        try:
            c[f[2]] = float(f[0])
        except ValueError:
            pass
def per(k, scale=1.0):
    return "%.4f" % (c[k] * scale / n) if k in c and n else "-"
print("%-34s %-10s %12.0f %14s %14s %12s" % (label, mode, rate, per("raw_syscalls:sys_enter"),
      per("context-switches"), per("task-clock", 1e6)))
EOF
}

printf "%-34s %-10s %12s %14s %14s %12s\n" "controller" "mode" "answered/s" "syscalls/pi" "ctx-sw/pi" "cpu-ns/pi"
for mode in $MODES; do
  measure "ceiling (ken-bench respond)" "$mode" "$BENCH" respond --port @PORT@ --cpu "${CTRL_CPUS%%,*}"
  for build in "$@"; do
    help=$(timeout 5 "$build/ken-manager" --help 2>&1)
    for n in $IO_THREADS; do
      extra=()
      if grep -q -- '--io-threads' <<<"$help"; then extra=(--io-threads "$n")
      elif [[ $n != 1 ]]; then continue; fi
      measure "$build $APP io=$n" "$mode" "$build/ken-manager" --ofp-listen-host 127.0.0.1 \
        --ofp-tcp-listen-port @PORT@ --default-log-level 40 "${extra[@]}" "$APP"
    done
  done
done
echo "per answered packet-in (pi), counted on the controller process only; instructions: bench/instr_per_msg.sh"
