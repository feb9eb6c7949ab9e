#!/usr/bin/env bash
# Controller CPU time per answered packet-in, two builds interleaved: the
# on-CPU time of every ken-manager thread (/proc/PID/task/*/schedstat, in
# ns) over a cbench-style run, divided by the packet-ins answered. On a
# machine other work keeps busy, answered/s (bench/regress.sh) swings with
# that work; the CPU spent per packet-in moves far less.
#
# Usage: bench/cpu_per_msg.sh OLD_BUILD [NEW_BUILD]     (NEW_BUILD: build)
# Environment: MODE (throughput | latency), ROUNDS (5), LOOPS (3),
#   SWITCHES (8), BASE_PORT (6930), CTRL_CPU (0), BENCH_CPU (1).
# Prints one line per run and the median of each build with the ratio.
set -uo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/cpu_per_msg.sh OLD_BUILD [NEW_BUILD]}
NEW=${2:-build}
MODE=${MODE:-throughput}
ROUNDS=${ROUNDS:-5}
LOOPS=${LOOPS:-3}
SWITCHES=${SWITCHES:-8}
PORT=${BASE_PORT:-6930}
BENCH=$NEW/ken-bench
CTRL=
trap '[[ -n $CTRL ]] && kill -TERM "$CTRL" 2>/dev/null' EXIT

oncpu() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {print s + 0}'; }

# run BUILD PORT: prints ns of controller CPU per answered packet-in, or -.
run() {
  taskset -c "${CTRL_CPU:-0}" "$1/ken-manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$2" \
    --default-log-level 40 cbench >/dev/null 2>&1 &
  CTRL=$!
  for _ in $(seq 100); do ss -Hltn "sport = :$2" | grep -q LISTEN && break; sleep 0.1; done
  local c0 c1 out
  c0=$(oncpu "$CTRL")
  out=$(timeout -k 5 $((LOOPS + 40)) "$BENCH" cbench --port "$2" --cpu "${BENCH_CPU:-1}" --switches "$SWITCHES" \
    --macs 100 --loops "$LOOPS" --ms-per-test 1000 --warmup 0 --ofp-version 1.0 "--$MODE" --json 2>/dev/null)
  c1=$(oncpu "$CTRL")
  kill -TERM "$CTRL" 2>/dev/null
  wait "$CTRL" 2>/dev/null
  CTRL=
  # answered_per_loop holds each 1 s loop's answered/s: their sum is the count.
  python3 -c 'import json, sys
try:
    n = sum(json.loads(sys.argv[1])["answered_per_loop"])
    print("%.1f" % ((int(sys.argv[3]) - int(sys.argv[2])) / n))
except Exception:
    print("-")' "$out" "$c0" "$c1"
}

old=() new=()
for ((r = 1; r <= ROUNDS; r++)); do
  for side in old new; do
    b=$OLD
    [[ $side == new ]] && b=$NEW
    PORT=$((PORT + 1))
    v=$(run "$b" "$PORT")
    echo "round $r: $side $MODE: $v ns of controller CPU per answered packet-in" >&2
    if [[ $side == old ]]; then old+=("$v"); else new+=("$v"); fi
  done
done
python3 - "${old[*]}" "${new[*]}" <<'PY'
import statistics as st, sys
o = [float(x) for x in sys.argv[1].split() if x != '-']
n = [float(x) for x in sys.argv[2].split() if x != '-']
mo, mn = st.median(o), st.median(n)
print('ns per answered (median): old %.1f, new %.1f, new/old %.3f' % (mo, mn, mn / mo))
PY
