#!/usr/bin/env bash
# Instructions the I/O thread spends per packet-in, under callgrind: the
# inclusive cost of the connection callback (conn_on_io: read, frame,
# decode, the cbench app inline, the flow-mod queued and written) divided
# by the messages it handed to ofp_recv. A count, not a time: the same on a
# busy machine as on an idle one, so a few instructions more per message
# show where bench/regress.sh sees only noise.
#
# Usage: bench/instr_per_msg.sh BUILD [BUILD...]
# Environment: BASE_PORT (6950), MODE (throughput | latency), SECONDS_RUN (4),
# APP (cbench; simple_switch measures the learning switch the same way).
# Needs valgrind. Prints one line per build.
set -uo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: bench/instr_per_msg.sh BUILD [BUILD...]" >&2; exit 2; }
PORT=${BASE_PORT:-6950}
WORK=$(mktemp -d /tmp/ken-instr.XXXXXX)
CTRL=
trap '[[ -n $CTRL ]] && kill -TERM "$CTRL" 2>/dev/null; rm -rf "$WORK"' EXIT
for build in "$@"; do
  PORT=$((PORT + 1))
  taskset -c 0 valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$build/ken-manager" \
    --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$PORT" --default-log-level 40 "${APP:-cbench}" >/dev/null 2>&1 &
  CTRL=$!
  for _ in $(seq 300); do ss -Hltn "sport = :$PORT" | grep -q LISTEN && break; sleep 0.1; done
  timeout -k 5 120 "${BENCH:-build/ken-bench}" cbench --port "$PORT" --cpu 1 --switches 8 --macs 100 --loops 1 \
    --ms-per-test "$(( ${SECONDS_RUN:-4} * 1000 ))" --warmup 0 --ofp-version 1.0 "--${MODE:-throughput}" >/dev/null 2>&1
  kill -TERM "$CTRL" 2>/dev/null
  wait "$CTRL" 2>/dev/null
  CTRL=
  tree=$(callgrind_annotate --tree=calling --inclusive=yes "$WORK/cg.out" 2>/dev/null)
  io=$(grep -E '\*  [^ ]*:conn_on_io ' <<<"$tree" | head -1 | awk '{gsub(",", "", $1); print $1}')
  calls=$(grep -E '>   [^ ]*:ofp_recv \(' <<<"$tree" | head -1 | sed -E 's/.*\(([0-9,]+)x\).*/\1/' | tr -d ,)
  if [[ -n $io && -n $calls ]]; then
    echo "$build: $(( io / calls )) instructions per message ($calls messages)"
  else
    echo "$build: not measured"
  fi
  rm -f "$WORK/cg.out"
done
