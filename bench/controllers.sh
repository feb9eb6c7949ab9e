#!/usr/bin/env bash
# Controller throughput and latency, cbench-style, in one go:
#   ken-bench respond (the generator's ceiling), ken-manager with the cbench
#   and simple_switch apps, ovs-testcontroller (learning switch) and OS-Ken
#   with bench/osken_simple_switch.py; OpenFlow 1.0, 8 switches, throughput
#   and latency mode; then ken alone at 16, 64 and 1000 switches, and ken's
#   memory per idle connected switch.
# Pinned alike: the controller on CPU 0 (taskset), ken-bench on CPU 1.
# Only 127.0.0.1; every run is bounded in time and every process started here
# is stopped on exit. Prints a table and records nothing.
#
# Usage: bench/controllers.sh            (from anywhere; about 3 minutes)
# Environment: BUILD (build dir, default build), LOOPS (measured loops per
#   run, default 5), MS (ms per loop, 1000), WARMUP (loops, 2), SWITCHES (8),
#   MACS (hosts per switch, 100: learning ends in the warmup), BASE_PORT (first TCP port, 6810),
#   CTRL_CPU (0), BENCH_CPU (1), CBENCH (the classic cbench binary from
#   oflops: every controller is then also measured with it, rows NAME/cbench;
#   ken does not ship or build it).
# The figures mean something only on an otherwise idle machine: check the
# load average first. (Raising the priority with nice -n -10 does not help:
# on this VM it made pinned processes stall for seconds.)
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
LOOPS=${LOOPS:-5}
MS=${MS:-1000}
WARMUP=${WARMUP:-2}
SWITCHES=${SWITCHES:-8}
MACS=${MACS:-100}
BASE_PORT=${BASE_PORT:-6810}
CTRL_CPU=${CTRL_CPU:-0}
BENCH_CPU=${BENCH_CPU:-1}
BENCH=$BUILD/ken-bench
KEN=$BUILD/ken-manager

if [[ ! -x $BENCH ]]; then
  echo "controllers.sh: $BENCH is missing; build first (make)" >&2
  exit 2
fi
if (($(nproc) < 2)); then
  echo "controllers.sh: one CPU only: controller and ken-bench share it" >&2
  BENCH_CPU=$CTRL_CPU
fi

WORK=$(mktemp -d /tmp/ken-controllers.XXXXXX)
PIDS=()
. bench/lib.sh
cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NEXT_PORT=$BASE_PORT
CTRL_PID=
CTRL_PORT=
# start_controller NAME CMD... (the word @PORT@ in CMD becomes the port):
# starts it on CTRL_CPU and waits up to 10 s for it to listen. On failure
# prints why and returns 1 (the caller skips that controller).
start_controller() {
  local name=$1; shift
  CTRL_PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
  local args=("${@//@PORT@/$CTRL_PORT}")
  taskset -c "$CTRL_CPU" "${args[@]}" >"$WORK/$name.log" 2>&1 &
  CTRL_PID=$!
  PIDS+=("$CTRL_PID")
  for _ in $(seq 100); do
    if ! kill -0 "$CTRL_PID" 2>/dev/null; then
      echo "skip $name: it exited at start: $(tail -n 2 "$WORK/$name.log" | tr '\n' ' ')" >&2
      return 1
    fi
    ss -Hltn "sport = :$CTRL_PORT" 2>/dev/null | grep -q LISTEN && return 0
    sleep 0.1
  done
  echo "skip $name: not listening on 127.0.0.1:$CTRL_PORT after 10 s" >&2
  stop_pid "$CTRL_PID"
  return 1
}

ROWS=()
# run_bench NAME MODE SWITCHES [extra ken-bench options]: one bounded
# ken-bench run against CTRL_PORT; appends a row "name mode switches
# answered stdev responses".
run_bench() {
  local name=$1 mode=$2 n=$3; shift 3
  local limit=$(((LOOPS + WARMUP) * MS / 1000 + 40))
  local flag=--throughput
  [[ $mode == latency ]] && flag=--latency
  local out="$WORK/$name-$mode-$n.json"
  timeout -k 5 "$limit" "$BENCH" cbench --port "$CTRL_PORT" --cpu "$BENCH_CPU" --switches "$n" --macs "$MACS" \
    --loops "$LOOPS" --ms-per-test "$MS" --warmup "$WARMUP" --ofp-version 1.0 "$flag" --json "$@" \
    >"$out" 2>"$out.log"
  local rc=$?
  if [[ ! -s $out ]]; then
    echo "  $name $mode $n switches: no result (exit $rc): $(tail -n 1 "$out.log")" >&2
    ROWS+=("$name|$mode|$n|-|-|-")
    return
  fi
  local row
  # The median loop: one loop the VM stalled in does not move it.
  row=$(python3 -c 'import json,sys,statistics as st; r=json.load(sys.stdin); a=r["answered_per_s"]; \
m=st.median(r["answered_per_loop"]); print("%.0f|%.0f|%.0f" % (m, a["stdev"], r["responses_per_s"]["avg"] * m / a["avg"] if a["avg"] else 0))' \
    <"$out")
  ROWS+=("$name|$mode|$n|$row")
  echo "  $name, $mode, $n switches: ${row%%|*} answered/s" >&2
}

# run_classic NAME MODE SWITCHES: the same load from the classic cbench
# (oflops), when CBENCH names its binary; a row "NAME/cbench" with the
# average of its measured loops (cbench reports no per-loop median).
run_classic() {
  [[ -n ${CBENCH:-} ]] || return 0
  local name=$1/cbench mode=$2 n=$3
  local flag=(-t)
  [[ $mode == latency ]] && flag=()
  local out="$WORK/$name-$mode-$n.cbench"
  mkdir -p "$(dirname "$out")"
  timeout -k 5 $(((LOOPS + WARMUP) * MS / 1000 + 40)) taskset -c "$BENCH_CPU" "$CBENCH" -c 127.0.0.1 \
    -p "$CTRL_PORT" -m "$MS" -l $((LOOPS + WARMUP)) -w "$WARMUP" -s "$n" -M "$MACS" "${flag[@]}" >"$out" 2>&1
  local row
  row=$(sed -n 's|^RESULT: .* = \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\) responses/s.*|\3\|\4|p' "$out" | head -1)
  if [[ -z $row ]]; then
    echo "  $name $mode $n switches: no result: $(tail -n 1 "$out")" >&2
    ROWS+=("$name|$mode|$n|-|-|-")
    return
  fi
  local avg=${row%%|*} sd=${row#*|}
  ROWS+=("$name|$mode|$n|${avg%.*}|${sd%.*}|${avg%.*}")
  echo "  $name, $mode, $n switches: ${avg%.*} responses/s" >&2
}

# compare NAME CMD...: start, run both modes at SWITCHES (and the classic
# cbench's, with CBENCH), stop.
compare() {
  local name=$1; shift
  echo "== $name" >&2
  start_controller "$name" "$@" || { ROWS+=("$name|skipped|-|-|-|-"); return; }
  sleep 0.5
  run_bench "$name" throughput "$SWITCHES"
  run_bench "$name" latency "$SWITCHES"
  run_classic "$name" throughput "$SWITCHES"
  run_classic "$name" latency "$SWITCHES"
  stop_pid "$CTRL_PID"
}

# ken-manager's listening options, read from its --help (OS-Ken's names first).
ken_cmd() {
  local app=$1 help
  help=$(timeout 5 "$KEN" --help 2>&1)  # bounded: a --help that never exits must not stall the run
  local cmd=("$KEN")
  if grep -q -- '--ofp-listen-host' <<<"$help"; then cmd+=(--ofp-listen-host 127.0.0.1); fi
  if grep -q -- '--ofp-tcp-listen-port' <<<"$help"; then cmd+=(--ofp-tcp-listen-port @PORT@)
  else cmd+=(--port @PORT@); fi
  KEN_CMD=("${cmd[@]}" "$app")
}

have_ken() {
  [[ -x $KEN ]] && return 0
  echo "skip ken-manager: $KEN does not exist yet" >&2
  return 1
}

echo "controllers.sh: OpenFlow 1.0, $SWITCHES switches x $MACS MACs, $LOOPS loops of $MS ms after $WARMUP warmup;" \
  "load average $(cut -d" " -f1-3 /proc/loadavg);" \
  "controller on CPU $CTRL_CPU, ken-bench on CPU $BENCH_CPU; logs in $WORK" >&2

compare "ceiling" "$BENCH" respond --port @PORT@
if have_ken; then
  for app in cbench simple_switch; do
    ken_cmd "$app"
    compare "ken-$app" "${KEN_CMD[@]}"
  done
  # The same cbench app with every handler on the app's own thread: what
  # the hand-off from the I/O thread costs.
  ken_cmd cbench
  compare "ken-cbench-threaded" "${KEN_CMD[@]:0:${#KEN_CMD[@]}-1}" --noinline-handlers cbench
  # Two I/O threads sharing the one controller CPU: what splitting the
  # switches costs where it cannot gain (with more CPUs it spreads).
  if timeout 5 "$KEN" --help 2>&1 | grep -q -- '--io-threads'; then
    compare "ken-cbench-io2" "${KEN_CMD[@]:0:${#KEN_CMD[@]}-1}" --io-threads 2 cbench
  fi
else
  ROWS+=("ken-cbench|skipped|-|-|-|-" "ken-simple_switch|skipped|-|-|-|-" "ken-cbench-threaded|skipped|-|-|-|-")
fi
if command -v ovs-testcontroller >/dev/null; then
  compare "ovs-testcontroller" ovs-testcontroller "ptcp:@PORT@:127.0.0.1" "--unixctl=$WORK/otc.ctl" -vconsole:warn
else
  echo "skip ovs-testcontroller: not installed (Debian openvswitch-testcontroller)" >&2
  ROWS+=("ovs-testcontroller|skipped|-|-|-|-")
fi
if /usr/bin/python3 -c 'import os_ken' 2>/dev/null; then
  compare "os-ken" /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 \
    --ofp-tcp-listen-port @PORT@ bench/osken_simple_switch.py
else
  echo "skip os-ken: python3-os-ken is not installed" >&2
  ROWS+=("os-ken|skipped|-|-|-|-")
fi

# ken alone: scaling with the number of switches, then memory per idle switch.
MEM_LINE="memory per idle switch: not measured (no ken-manager)"
if have_ken; then
  ken_cmd cbench
  echo "== ken-cbench scaling" >&2
  if start_controller "ken-scaling" "${KEN_CMD[@]}"; then
    sleep 0.5
    for n in 16 64 1000; do
      run_bench "ken-cbench" throughput "$n"
      run_bench "ken-cbench" latency "$n"
    done
    stop_pid "$CTRL_PID"
  fi
  # What the kernel and ken-bench themselves lose at 1000 connections: the
  # trivial responder at the same count.
  echo "== ceiling at 1000 switches" >&2
  if start_controller "ceiling-1000" "$BENCH" respond --port @PORT@; then
    sleep 0.5
    run_bench "ceiling" throughput 1000
    stop_pid "$CTRL_PID"
  fi
  echo "== ken-cbench memory with 1000 idle switches" >&2
  if start_controller "ken-memory" "${KEN_CMD[@]}"; then
    sleep 1
    rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$CTRL_PID/status")
    timeout -k 5 60 "$BENCH" cbench --port "$CTRL_PORT" --cpu "$BENCH_CPU" --switches 1000 --idle 20 \
      >"$WORK/idle.log" 2>&1 &
    idle_pid=$!
    PIDS+=("$idle_pid")
    for _ in $(seq 300); do
      grep -q 'holding' "$WORK/idle.log" && break
      kill -0 "$idle_pid" 2>/dev/null || break
      sleep 0.1
    done
    if grep -q 'holding' "$WORK/idle.log"; then
      sleep 2
      rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$CTRL_PID/status")
      MEM_LINE="memory per idle switch: $(((rss1 - rss0) * 1024 / 1000)) bytes (RSS ${rss0} KiB with 0 switches, ${rss1} KiB with 1000)"
    else
      MEM_LINE="memory per idle switch: not measured: $(tail -n 1 "$WORK/idle.log")"
    fi
    stop_pid "$idle_pid"
    stop_pid "$CTRL_PID"
  fi
fi

# The table: answered packet-ins per second, and ratios to the references
# measured in the same mode at the same switch count.
ref() { # ref NAME MODE N -> answered/s or empty
  local r
  for r in "${ROWS[@]}"; do
    IFS='|' read -r nm md n a _ <<<"$r"
    [[ $nm == "$1" && $md == "$2" && $n == "$3" && $a != - ]] && { echo "$a"; return; }
  done
}
ratio() { [[ -n $1 && -n $2 && $2 != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}' || echo -; }
echo
printf '%-24s %-10s %8s %14s %12s %14s %9s %9s %9s\n' controller mode switches answered/s stdev responses/s \
  "x ovs" "x os-ken" "/ceiling"
for r in "${ROWS[@]}"; do
  IFS='|' read -r nm md n a sd rs <<<"$r"
  gen=  # rows of the classic cbench are compared with its own
  [[ $nm == */cbench ]] && gen=/cbench
  printf '%-24s %-10s %8s %14s %12s %14s %9s %9s %9s\n' "$nm" "$md" "$n" "$a" "$sd" "$rs" \
    "$(ratio "$a" "$(ref ovs-testcontroller$gen "$md" "$n")")" "$(ratio "$a" "$(ref os-ken$gen "$md" "$n")")" \
    "$(ratio "$a" "$(ref ceiling$gen "$md" "$n")")"
done
echo
pct() { [[ -n $1 && -n $2 && $2 != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}' || echo -; }
echo "1000 switches vs $SWITCHES, throughput: ken-cbench $(pct "$(ref ken-cbench throughput 1000)" \
"$(ref ken-cbench throughput "$SWITCHES")"), ceiling $(pct "$(ref ceiling throughput 1000)" "$(ref ceiling throughput "$SWITCHES")")"
echo "$MEM_LINE"
echo "answered/s: packet-ins answered per second (a packet-out, or a flow-mod carrying the buffer id), median of $LOOPS loops"
if [[ -n ${CBENCH:-} ]]; then
  echo "NAME/cbench rows: the classic cbench ($CBENCH) as generator, its responses/s averaged over $LOOPS loops, compared with ceiling/cbench"
fi
