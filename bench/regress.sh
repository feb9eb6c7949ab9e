#!/usr/bin/env bash
# Did a change make the controller slower? ken-manager from two builds,
# side by side in one run: the same cbench-style loads (ken-bench, OpenFlow
# 1.0) against each, interleaved round by round so that a noisy moment hits
# both, controller on CTRL_CPU and ken-bench on BENCH_CPU. Prints the median
# answered packet-ins per second of each build and their ratio (new / old).
#
# Usage: bench/regress.sh OLD_BUILD [NEW_BUILD]     (NEW_BUILD: build)
#   e.g. git worktree add ../ken-old <commit> && make -C ../ken-old
#        bench/regress.sh ../ken-old/build
# Environment: ROUNDS (3), LOOPS (5), MS (1000), WARMUP (2), BASE_PORT (6910),
#   CTRL_CPU (0), BENCH_CPU (1), CASES (the list below).
# Only 127.0.0.1; every run is bounded in time; every process started here
# is stopped on exit. Meaningful only on an otherwise idle machine.
set -uo pipefail
cd "$(dirname "$0")/.."

OLD=${1:?usage: bench/regress.sh OLD_BUILD [NEW_BUILD]}
NEW=${2:-build}
ROUNDS=${ROUNDS:-3}
LOOPS=${LOOPS:-5}
MS=${MS:-1000}
WARMUP=${WARMUP:-2}
PORT=${BASE_PORT:-6910}
CTRL_CPU=${CTRL_CPU:-0}
BENCH_CPU=${BENCH_CPU:-1}
# app:mode:switches
CASES=${CASES:-"cbench:throughput:8 cbench:latency:8 simple_switch:throughput:8 simple_switch:latency:8 cbench:throughput:1000"}
BENCH=$NEW/ken-bench
for b in "$OLD/ken-manager" "$NEW/ken-manager" "$BENCH"; do
  [[ -x $b ]] || { echo "regress.sh: $b is missing (build first)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ken-regress.XXXXXX)
CTRL=
cleanup() {
  [[ -n $CTRL ]] && kill -TERM "$CTRL" 2>/dev/null && sleep 0.5 && kill -KILL "$CTRL" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run BUILD APP MODE SWITCHES PORT: prints the median loop's answered/s, or "-".
run() {
  local build=$1 app=$2 mode=$3 n=$4 port=$5
  taskset -c "$CTRL_CPU" "$build/ken-manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
    --default-log-level 40 "$app" >"$WORK/ctl.log" 2>&1 &
  CTRL=$!
  for _ in $(seq 100); do
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q LISTEN && break
    sleep 0.1
  done
  local out=$WORK/run.json
  timeout -k 5 $(((LOOPS + WARMUP) * MS / 1000 + 40)) "$BENCH" cbench --port "$port" --cpu "$BENCH_CPU" \
    --switches "$n" --macs 100 --loops "$LOOPS" --ms-per-test "$MS" --warmup "$WARMUP" --ofp-version 1.0 \
    "--$mode" --json >"$out" 2>/dev/null
  kill -TERM "$CTRL" 2>/dev/null
  wait "$CTRL" 2>/dev/null
  CTRL=
  if [[ -s $out ]]; then
    python3 -c 'import json,sys,statistics as st; print("%.0f" % st.median(json.load(sys.stdin)["answered_per_loop"]))' <"$out"
  else
    echo -
  fi
}

declare -A got
for ((r = 1; r <= ROUNDS; r++)); do
  for c in $CASES; do
    IFS=: read -r app mode n <<<"$c"
    for side in old new; do
      build=$OLD
      [[ $side == new ]] && build=$NEW
      PORT=$((PORT + 1)) # a port of its own: the last run's may be in TIME_WAIT
      v=$(run "$build" "$app" "$mode" "$n" "$PORT")
      got[$c:$side]="${got[$c:$side]:-} $v"
      echo "round $r: $side $app $mode $n switches: $v answered/s" >&2
    done
  done
done

printf '%-34s %14s %14s %8s\n' "case (median of rounds)" "old" "new" "new/old"
for c in $CASES; do
  python3 - "$c" "${got[$c:old]}" "${got[$c:new]}" <<'PY'
import statistics as st, sys
case, old, new = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
num = lambda xs: [float(x) for x in xs if x != '-']
o, n = num(old), num(new)
mo = st.median(o) if o else float('nan')
mn = st.median(n) if n else float('nan')
print('%-34s %14.0f %14.0f %8.2f' % (case.replace(':', ' '), mo, mn, mn / mo if o and n else float('nan')))
PY
done
